/* format.c — parsing a struct format string exactly as CPython 3.11's
 * prepare_s does: the same sizes, alignment, limits and messages. */
#include <string.h>

#include "struct_int.h"

enum { NATIVE, STANDARD_LE, STANDARD_BE };

struct fmtdef {
    uint8_t op;
    uint8_t check;
    uint8_t size;
    uint8_t align; /* native mode only */
};

/* Native sizes and alignments of this platform's C types. */
#define ALIGNOF(t) ((uint8_t)_Alignof(t))

static bool native_def(char c, struct fmtdef *d)
{
    switch (c) {
    case 'x': *d = (struct fmtdef){0, 0, 1, 1}; return true;
    case 'c': *d = (struct fmtdef){OP_CHAR, 0, 1, 1}; return true;
    case 's': *d = (struct fmtdef){OP_STR, 0, 1, 1}; return true;
    case 'p': *d = (struct fmtdef){OP_PSTR, 0, 1, 1}; return true;
    case '?': *d = (struct fmtdef){OP_BOOL, 0, sizeof(_Bool), ALIGNOF(_Bool)}; return true;
    case 'b': *d = (struct fmtdef){OP_INT, CHK_BYTE, 1, 1}; return true;
    case 'B': *d = (struct fmtdef){OP_UINT, CHK_UBYTE, 1, 1}; return true;
    case 'h': *d = (struct fmtdef){OP_INT, CHK_SHORT, sizeof(short), ALIGNOF(short)}; return true;
    case 'H': *d = (struct fmtdef){OP_UINT, CHK_USHORT, sizeof(short), ALIGNOF(short)}; return true;
    case 'i': *d = (struct fmtdef){OP_INT, CHK_RANGE, sizeof(int), ALIGNOF(int)}; return true;
    case 'I': *d = (struct fmtdef){OP_UINT, CHK_RANGE, sizeof(int), ALIGNOF(int)}; return true;
    case 'l': *d = (struct fmtdef){OP_INT, sizeof(long) < 8 ? CHK_RANGE : CHK_NONE, sizeof(long), ALIGNOF(long)}; return true;
    case 'L': *d = (struct fmtdef){OP_UINT, sizeof(long) < 8 ? CHK_RANGE : CHK_NONE, sizeof(long), ALIGNOF(long)}; return true;
    case 'q': *d = (struct fmtdef){OP_INT, CHK_NONE, sizeof(long long), ALIGNOF(long long)}; return true;
    case 'Q': *d = (struct fmtdef){OP_UINT, CHK_NONE, sizeof(long long), ALIGNOF(long long)}; return true;
    case 'n': *d = (struct fmtdef){OP_INT, CHK_NONE, sizeof(ptrdiff_t), ALIGNOF(ptrdiff_t)}; return true;
    case 'N': *d = (struct fmtdef){OP_UINT, CHK_NONE, sizeof(size_t), ALIGNOF(size_t)}; return true;
    case 'P': *d = (struct fmtdef){OP_UINT, CHK_NONE, sizeof(void *), ALIGNOF(void *)}; return true;
    case 'e': *d = (struct fmtdef){OP_HALF, 0, 2, 2}; return true;
    case 'f': *d = (struct fmtdef){OP_FLOATN, 0, sizeof(float), ALIGNOF(float)}; return true;
    case 'd': *d = (struct fmtdef){OP_DOUBLE, 0, sizeof(double), ALIGNOF(double)}; return true;
    default: return false;
    }
}

/*
 * Standard sizes ('=', '<', '>', '!'): no alignment, no n, N or P. When the
 * byte order is the host's, CPython packs h and H with its native routines
 * (same size), whose range messages differ; in the other order q and Q go
 * through _PyLong_AsByteArray, which words overflow its own way. We follow.
 */
static bool standard_def(char c, bool host_order, struct fmtdef *d)
{
    switch (c) {
    case 'x': *d = (struct fmtdef){0, 0, 1, 0}; return true;
    case 'c': *d = (struct fmtdef){OP_CHAR, 0, 1, 0}; return true;
    case 's': *d = (struct fmtdef){OP_STR, 0, 1, 0}; return true;
    case 'p': *d = (struct fmtdef){OP_PSTR, 0, 1, 0}; return true;
    case '?': *d = (struct fmtdef){OP_BOOL, 0, 1, 0}; return true;
    case 'b': *d = (struct fmtdef){OP_INT, CHK_BYTE, 1, 0}; return true;
    case 'B': *d = (struct fmtdef){OP_UINT, CHK_UBYTE, 1, 0}; return true;
    case 'h': *d = (struct fmtdef){OP_INT, host_order ? CHK_SHORT : CHK_RANGE, 2, 0}; return true;
    case 'H': *d = (struct fmtdef){OP_UINT, host_order ? CHK_USHORT : CHK_RANGE, 2, 0}; return true;
    case 'i': case 'l': *d = (struct fmtdef){OP_INT, CHK_RANGE, 4, 0}; return true;
    case 'I': case 'L': *d = (struct fmtdef){OP_UINT, CHK_RANGE, 4, 0}; return true;
    case 'q': *d = (struct fmtdef){OP_INT, host_order ? CHK_NONE : CHK_WIDE, 8, 0}; return true;
    case 'Q': *d = (struct fmtdef){OP_UINT, host_order ? CHK_NONE : CHK_WIDE, 8, 0}; return true;
    case 'e': *d = (struct fmtdef){OP_HALF, 0, 2, 0}; return true;
    case 'f': *d = (struct fmtdef){OP_FLOAT, 0, 4, 0}; return true;
    case 'd': *d = (struct fmtdef){OP_DOUBLE, 0, 8, 0}; return true;
    default: return false;
    }
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static int too_long(bt_err *err)
{
    return bt_err_setf(err, BT_ESTRUCT, -1, "total struct size too long");
}

ptrdiff_t bt__struct_parse(const char *format, bt__struct_code *codes,
                           size_t cap, size_t *size_out, size_t *nitems_out,
                           bt_err *err)
{
    const size_t max = PTRDIFF_MAX;
    const char *s = format;
    int mode = NATIVE;
    const bool host_little = __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__;
    bool little = host_little;
    switch (*s) {
    case '@': s++; break;
    case '=': s++; mode = little ? STANDARD_LE : STANDARD_BE; break;
    case '<': s++; mode = STANDARD_LE; break;
    case '>': case '!': s++; mode = STANDARD_BE; break;
    default: break;
    }
    if (mode != NATIVE)
        little = mode == STANDARD_LE;

    size_t size = 0, nitems = 0, ncodes = 0;
    char c;
    while ((c = *s++) != '\0') {
        if (is_space(c))
            continue;
        size_t num = 1;
        if (c >= '0' && c <= '9') {
            num = (size_t)(c - '0');
            while ((c = *s++) >= '0' && c <= '9') {
                size_t d = (size_t)(c - '0');
                if (num > (max - d) / 10)
                    return too_long(err);
                num = num * 10 + d;
            }
            if (c == '\0')
                return bt_err_setf(err, BT_ESTRUCT, (ptrdiff_t)(s - 1 - format),
                                   "repeat count given without format specifier");
        }
        struct fmtdef d;
        if (!(mode == NATIVE ? native_def(c, &d) : standard_def(c, little == host_little, &d)))
            return bt_err_setf(err, BT_ESTRUCT, (ptrdiff_t)(s - 1 - format),
                               "bad char in struct format");
        if (d.align > 1 && size > 0) {
            size_t extra = (d.align - 1) - (size - 1) % d.align;
            if (extra > max - size)
                return too_long(err);
            size += extra;
        }
        if (num > (max - size) / d.size)
            return too_long(err);
        bool is_string = d.op == OP_STR || d.op == OP_PSTR;
        if (c != 'x' && (num > 0 || is_string)) {
            if (ncodes < cap) {
                bt__struct_code *code = &codes[ncodes];
                code->op = d.op;
                code->check = d.check;
                code->size = d.size;
                code->little = little;
                code->as_signed = c == 'P';
                code->fmt = c;
                code->count = num;
                code->offset = size;
            }
            ncodes++;
            nitems += is_string ? 1 : num;
        }
        size += num * d.size;
    }
    *size_out = size;
    *nitems_out = nitems;
    return (ptrdiff_t)ncodes;
}

/* Formats short enough compile on the stack in the one-shot functions. */
int bt_struct_new(const char *format, bt_struct **out, bt_err *err)
{
    size_t size, nitems;
    ptrdiff_t n = bt__struct_parse(format, NULL, 0, &size, &nitems, err);
    if (n < 0)
        return (int)n;
    bt_struct *s = bt_calloc(1, sizeof *s);
    if (!s)
        return BT_ENOMEM;
    s->format = bt_strdup(format);
    s->codes = bt_calloc((size_t)n ? (size_t)n : 1, sizeof *s->codes);
    if (!s->format || !s->codes) {
        bt_struct_free(s);
        return BT_ENOMEM;
    }
    bt__struct_parse(format, s->codes, (size_t)n, &s->size, &s->nitems, err);
    s->ncodes = (size_t)n;
    s->nsteps = bt__struct_steps(s->codes, s->ncodes, NULL, 0);
    s->steps = bt_calloc(s->nsteps ? s->nsteps : 1, sizeof *s->steps);
    if (!s->steps) {
        bt_struct_free(s);
        return BT_ENOMEM;
    }
    bt__struct_steps(s->codes, s->ncodes, s->steps, s->nsteps);
    s->zero_fill = bt__struct_zero_fill(s->codes, s->ncodes, s->size);
    s->nwops = bt__struct_wops(s->codes, s->steps, s->nsteps, NULL, 0);
    if (s->nwops) {
        s->wops = bt_calloc(s->nwops, sizeof *s->wops);
        if (!s->wops) {
            bt_struct_free(s);
            return BT_ENOMEM;
        }
        bt__struct_wops(s->codes, s->steps, s->nsteps, s->wops, s->nwops);
        s->doubles = bt__struct_doubles_only(s->wops, s->nwops);
        s->nfull = bt__struct_nfull(s->wops, s->nwops, s->size);
        s->order = s->wops[0].swap;
        for (size_t k = 1; k < s->nwops; k++)
            if (s->wops[k].swap != s->wops[0].swap)
                s->order = -1;
        if (!s->zero_fill)
            s->fast = s->doubles                                ? BT__STRUCT_FAST_DOUBLES
                      : s->nfull == s->nwops && s->order == 1 ? BT__STRUCT_FAST_SWAPPED
                      : s->nfull == s->nwops && s->order == 0 ? BT__STRUCT_FAST_NATIVE
                                                               : BT__STRUCT_FAST_WIDE;
    }
    bt__struct_choose(s);
    *out = s;
    return 0;
}

void bt_struct_free(bt_struct *s)
{
    if (!s)
        return;
    bt_free(s->format);
    bt_free(s->codes);
    bt_free(s->steps);
    bt_free(s->wops);
    bt_free(s);
}

size_t bt_struct_size(const bt_struct *s)
{
    return s->size;
}

const char *bt_struct_format(const bt_struct *s)
{
    return s->format;
}

size_t bt_struct_count(const bt_struct *s)
{
    return s->nitems;
}

ptrdiff_t bt_struct_calcsize(const char *format, bt_err *err)
{
    size_t size, nitems;
    ptrdiff_t n = bt__struct_parse(format, NULL, 0, &size, &nitems, err);
    return n < 0 ? n : (ptrdiff_t)size;
}
