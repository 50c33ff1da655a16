/* values.c — Python values in a namespace: copies, equality, str/repr, and
 * the int and float conversions of type=int / type=float. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "argparse_int.h"

int bt__ap_vec_push(ap_vec *v, void *p)
{
    if (v->n == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 8;
        void **items = bt_realloc(v->items, cap * sizeof *items);
        if (!items)
            return BT_ENOMEM;
        v->items = items;
        v->cap = cap;
    }
    v->items[v->n++] = p;
    return 0;
}

/* str.splitlines(keepends): \n, \r\n, \r, \v, \f, \x1c-\x1e, \x85,
 * U+2028, U+2029. */
int bt__ap_splitlines(const char *d, size_t len, bool keepends,
                      bt_strvec *lines)
{
    size_t st0 = 0;
    for (size_t j = 0; j < len;) {
        size_t brk = 0;
        unsigned char c = (unsigned char)d[j];
        if (c == '\n' || c == '\v' || c == '\f' || (c >= 0x1c && c <= 0x1e))
            brk = 1;
        else if (c == '\r')
            brk = j + 1 < len && d[j + 1] == '\n' ? 2 : 1;
        else if (c == 0xC2 && j + 1 < len && (unsigned char)d[j + 1] == 0x85)
            brk = 2;
        else if (c == 0xE2 && j + 2 < len && (unsigned char)d[j + 1] == 0x80 &&
                 ((unsigned char)d[j + 2] == 0xA8 ||
                  (unsigned char)d[j + 2] == 0xA9))
            brk = 3;
        if (!brk) {
            j++;
            continue;
        }
        if (bt_strvec_append(lines, d + st0, j - st0 + (keepends ? brk : 0)) <
            0)
            return BT_ENOMEM;
        j += brk;
        st0 = j;
    }
    if (st0 < len && bt_strvec_append(lines, d + st0, len - st0) < 0)
        return BT_ENOMEM;
    return 0;
}

/* FNV-1a */
/* Eight bytes at a time, a multiply to mix: option strings and dests are
 * short, and this runs for every argument. */
uint32_t bt__ap_hash(const char *s, size_t n)
{
    uint64_t h = 0x9E3779B97F4A7C15u ^ n;
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, s, 8);
        h = (h ^ w) * 0xFF51AFD7ED558CCDu;
        h ^= h >> 32;
        s += 8;
        n -= 8;
    }
    uint64_t w = 0;
    memcpy(&w, s, n);
    h = (h ^ w) * 0xC4CEB9FE1A85EC53u;
    h ^= h >> 29;
    return (uint32_t)h;
}

void bt__ap_vec_fini(ap_vec *v)
{
    bt_free(v->items);
    v->items = NULL;
    v->n = v->cap = 0;
}

/* A copy of s owned by the arena (freed with it) or, without one, by the
 * caller (bt_free). */
static char *str_copy(bt_argparse_ns *arena, const char *s, size_t n)
{
    return arena ? bt__ap_ns_strndup(arena, s, n) : bt_strndup(s, n);
}

int bt__ap_value_copy(bt_argparse_value *dst, const bt_argparse_value *src)
{
    return bt__ap_value_copy_in(NULL, dst, src);
}

int bt__ap_value_copy_in(bt_argparse_ns *arena, bt_argparse_value *dst,
                         const bt_argparse_value *src)
{
    *dst = *src;
    if (src->type == BT_ARGPARSE_STR && src->s) {
        if (!(dst->s = str_copy(arena, src->s, strlen(src->s))))
            return BT_ENOMEM;
    } else if (src->type == BT_ARGPARSE_LIST) {
        dst->list.items = NULL;
        dst->list.n = 0;
        if (!src->list.n)
            return 0;
        bt_argparse_value *items = bt_calloc(src->list.n, sizeof *items);
        if (!items)
            return BT_ENOMEM;
        dst->list.items = items;
        for (size_t i = 0; i < src->list.n; i++) {
            int rc =
                bt__ap_value_copy_in(arena, &items[i], &src->list.items[i]);
            dst->list.n = i + 1;
            if (rc < 0) {
                bt__ap_value_fini_in(arena, dst);
                return rc;
            }
        }
    }
    return 0;
}

void bt__ap_value_fini(bt_argparse_value *v)
{
    bt__ap_value_fini_in(NULL, v);
}

void bt__ap_value_fini_slow(bt_argparse_ns *arena, bt_argparse_value *v)
{
    if (v->type == BT_ARGPARSE_STR && !arena)
        bt_free((void *)v->s);
    else if (v->type == BT_ARGPARSE_LIST) {
        bt_argparse_value *items = (bt_argparse_value *)v->list.items;
        for (size_t i = 0; i < v->list.n; i++)
            bt__ap_value_fini_in(arena, &items[i]);
        bt_free(items);
    }
    v->type = BT_ARGPARSE_UNSET;
}

static bool numeric(const bt_argparse_value *v, double *d, int64_t *i,
                    bool *isint)
{
    switch (v->type) {
    case BT_ARGPARSE_INT:
        *i = v->i;
        *d = (double)v->i;
        *isint = true;
        return true;
    case BT_ARGPARSE_BOOL:
        *i = v->b;
        *d = v->b;
        *isint = true;
        return true;
    case BT_ARGPARSE_FLOAT:
        *d = v->f;
        *isint = false;
        return true;
    default:
        return false;
    }
}

/* Python's ==, with True == 1 == 1.0. */
bool bt__ap_value_eq(const bt_argparse_value *a, const bt_argparse_value *b)
{
    double da, db;
    int64_t ia, ib;
    bool inta, intb;
    if (numeric(a, &da, &ia, &inta) && numeric(b, &db, &ib, &intb))
        return inta && intb ? ia == ib : da == db;
    if (a->type != b->type)
        return false;
    switch (a->type) {
    case BT_ARGPARSE_NONE:
        return true;
    case BT_ARGPARSE_STR:
        return strcmp(a->s, b->s) == 0;
    case BT_ARGPARSE_PTR:
        return a->p == b->p;
    case BT_ARGPARSE_LIST:
        if (a->list.n != b->list.n)
            return false;
        for (size_t i = 0; i < a->list.n; i++)
            if (!bt__ap_value_eq(&a->list.items[i], &b->list.items[i]))
                return false;
        return true;
    default:
        return false;
    }
}

bool bt__ap_str_is_suppress(const char *s)
{
    return s && strcmp(s, BT_ARGPARSE_SUPPRESS) == 0;
}

bool bt__ap_is_suppress(const bt_argparse_value *v)
{
    return v->type == BT_ARGPARSE_STR && bt__ap_str_is_suppress(v->s);
}

/* repr(float): the shortest digits that read back, Python's layout. */
int bt__ap_float_repr(bt_buf *out, double d)
{
    if (isnan(d))
        return bt_buf_append_str(out, "nan");
    if (isinf(d))
        return bt_buf_append_str(out, d < 0 ? "-inf" : "inf");
    char buf[64];
    int prec;
    for (prec = 1; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*e", prec - 1, d);
        if (strtod(buf, NULL) == d)
            break;
    }
    /* buf: [-]d[.ddd]e[+-]xx */
    char digits[32];
    size_t nd = 0;
    const char *p = buf;
    bool neg = *p == '-';
    if (neg)
        p++;
    for (; *p != 'e'; p++)
        if (*p != '.')
            digits[nd++] = *p;
    int exp = atoi(p + 1);
    while (nd > 1 && digits[nd - 1] == '0')
        nd--;
    bt_buf b = BT_BUF_INIT;
    int rc = 0;
    if (neg)
        rc |= bt_buf_append_byte(&b, '-');
    if (exp >= -5 + 1 && exp < 16) {
        if (exp < 0) {
            rc |= bt_buf_append_str(&b, "0.");
            for (int i = -1; i > exp; i--)
                rc |= bt_buf_append_byte(&b, '0');
            rc |= bt_buf_append(&b, digits, nd);
        } else {
            size_t intlen = (size_t)exp + 1;
            for (size_t i = 0; i < intlen; i++)
                rc |= bt_buf_append_byte(&b, i < nd ? (unsigned char)digits[i]
                                                    : '0');
            rc |= bt_buf_append_byte(&b, '.');
            if (nd > intlen)
                rc |= bt_buf_append(&b, digits + intlen, nd - intlen);
            else
                rc |= bt_buf_append_byte(&b, '0');
        }
    } else {
        rc |= bt_buf_append_byte(&b, (unsigned char)digits[0]);
        if (nd > 1) {
            rc |= bt_buf_append_byte(&b, '.');
            rc |= bt_buf_append(&b, digits + 1, nd - 1);
        }
        rc |= bt_buf_printf(&b, "e%c%02d", exp < 0 ? '-' : '+',
                            exp < 0 ? -exp : exp);
    }
    if (rc == 0)
        rc = bt_buf_append(out, b.data, b.len);
    bt_buf_fini(&b);
    return rc < 0 ? BT_ENOMEM : 0;
}

static int value_fmt(bt_buf *out, const bt_argparse_value *v, bool repr)
{
    switch (v->type) {
    case BT_ARGPARSE_UNSET:
    case BT_ARGPARSE_NONE:
        return bt_buf_append_str(out, "None");
    case BT_ARGPARSE_STR:
        return repr ? bt_repr_str(out, v->s, strlen(v->s))
                    : bt_buf_append_str(out, v->s);
    case BT_ARGPARSE_INT:
        return bt_buf_printf(out, "%lld", (long long)v->i);
    case BT_ARGPARSE_FLOAT:
        return bt__ap_float_repr(out, v->f);
    case BT_ARGPARSE_BOOL:
        return bt_buf_append_str(out, v->b ? "True" : "False");
    case BT_ARGPARSE_PTR:
        return bt_buf_printf(out, "<object at %p>", v->p);
    case BT_ARGPARSE_LIST: {
        int rc = bt_buf_append_byte(out, '[');
        for (size_t i = 0; rc == 0 && i < v->list.n; i++) {
            if (i)
                rc = bt_buf_append_str(out, ", ");
            if (rc == 0)
                rc = value_fmt(out, &v->list.items[i], true);
        }
        return rc ? rc : bt_buf_append_byte(out, ']');
    }
    }
    return 0;
}

int bt__ap_value_repr(bt_buf *out, const bt_argparse_value *v)
{
    return value_fmt(out, v, true) < 0 ? BT_ENOMEM : 0;
}

int bt__ap_value_str(bt_buf *out, const bt_argparse_value *v)
{
    return value_fmt(out, v, false) < 0 ? BT_ENOMEM : 0;
}

/* Python's str.strip() for the ASCII whitespace int() and float() skip. */
static void strip(const char **s, size_t *n)
{
    while (*n && (isspace((unsigned char)**s) || **s == '\x1c' ||
                  **s == '\x1d' || **s == '\x1e' || **s == '\x1f'))
        (*s)++, (*n)--;
    while (*n && (isspace((unsigned char)(*s)[*n - 1]) ||
                  ((*s)[*n - 1] >= '\x1c' && (*s)[*n - 1] <= '\x1f')))
        (*n)--;
}

/* Copies digits with single underscores between them; false if malformed. */
static bool digits_(const char **p, const char *end, bt_buf *b, size_t *count)
{
    *count = 0;
    while (*p < end) {
        if (isdigit((unsigned char)**p)) {
            if (b && bt_buf_append_byte(b, (unsigned char)**p) < 0)
                return false;
            (*count)++;
            (*p)++;
        } else if (**p == '_' && *count && *p + 1 < end &&
                   isdigit((unsigned char)(*p)[1])) {
            (*p)++;
        } else
            break;
    }
    return true;
}

/* int(s), base 10, within 64 bits. */
/* The part int() and float() read: stripped, the sign taken off. */
static const char *number_body(const char **s, size_t *n, const char **end,
                               bool *neg)
{
    *n = strlen(*s);
    strip(s, n);
    const char *p = *s;
    *end = *s + *n;
    *neg = false;
    if (p < *end && (*p == '+' || *p == '-'))
        *neg = *p++ == '-';
    return p;
}

int bt__ap_parse_int(const char *s, int64_t *out)
{
    size_t n;
    const char *end;
    bool neg;
    const char *p = number_body(&s, &n, &end, &neg);
    if (end - p > 0 && end - p < 19 && !memchr(p, '_', (size_t)(end - p))) {
        /* the common case, without a copy: at most 18 digits fit */
        int64_t v = 0;
        const char *q = p;
        for (; q < end && *q >= '0' && *q <= '9'; q++)
            v = v * 10 + (*q - '0');
        if (q != end)
            return BT_EVALUE;
        *out = neg ? -v : v;
        return 0;
    }
    bt_buf b = BT_BUF_INIT;
    size_t count;
    if (!digits_(&p, end, &b, &count)) {
        bt_buf_fini(&b);
        return BT_ENOMEM;
    }
    int rc = BT_EVALUE;
    if (count && p == end && b.data) {
        errno = 0;
        char *e;
        unsigned long long u = strtoull(b.data, &e, 10);
        if (errno == 0 &&
            (neg ? u <= (unsigned long long)INT64_MAX + 1 : u <= INT64_MAX)) {
            *out = neg ? (int64_t)(0 - u) : (int64_t)u;
            rc = 0;
        }
    }
    bt_buf_fini(&b);
    return rc;
}

static bool ieq(const char *a, const char *b, size_t n)
{
    if (strlen(b) != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (tolower((unsigned char)a[i]) != b[i])
            return false;
    return true;
}

/* float(s): decimal with underscores, inf, infinity, nan. */
int bt__ap_parse_float(const char *s, double *out)
{
    size_t n;
    const char *end;
    bool neg;
    const char *p = number_body(&s, &n, &end, &neg);
    size_t rest = (size_t)(end - p);
    if (ieq(p, "inf", rest) || ieq(p, "infinity", rest)) {
        *out = neg ? -INFINITY : INFINITY;
        return 0;
    }
    if (ieq(p, "nan", rest)) {
        *out = neg ? -NAN : NAN;
        return 0;
    }
    /* Python's grammar, copying the digits without underscores into b
     * (or, when there are none, only checking them: b NULL) */
    bool plain = !memchr(s, '_', n) && n < 64;
    bt_buf b = BT_BUF_INIT, *bp = plain ? NULL : &b;
    size_t ni = 0, nf = 0, ne = 0;
    bool mem = (!bp || bt_buf_append_byte(bp, neg ? '-' : '+') == 0) &&
               digits_(&p, end, bp, &ni);
    if (mem && p < end && *p == '.') {
        p++;
        mem = (!bp || bt_buf_append_byte(bp, '.') == 0) &&
              digits_(&p, end, bp, &nf);
    }
    bool ok = ni + nf > 0;
    if (mem && ok && p < end && (*p == 'e' || *p == 'E')) {
        p++;
        mem = !bp || bt_buf_append_byte(bp, 'e') == 0;
        if (mem && p < end && (*p == '+' || *p == '-')) {
            mem = !bp || bt_buf_append_byte(bp, (unsigned char)*p) == 0;
            p++;
        }
        mem = mem && digits_(&p, end, bp, &ne);
        ok = ne > 0;
    }
    if (!mem) {
        bt_buf_fini(&b);
        return BT_ENOMEM;
    }
    int rc = BT_EVALUE;
    if (ok && p == end) {
        char tmp[64];
        if (plain) {
            memcpy(tmp, s, n);
            tmp[n] = 0;
        }
        *out = strtod(plain ? tmp : b.data, NULL);
        rc = 0;
    }
    bt_buf_fini(&b);
    return rc;
}

/* _get_value: the type conversion, with Python's message in msg. */
int bt__ap_convert(const ap_action *a, const char *arg, bt_argparse_value *out,
                   bt_buf *msg, bt_argparse_ns *arena)
{
    int rc;
    const char *tname = "str";
    out->type = BT_ARGPARSE_UNSET;
    if (a->convert) {
        bt_err err = BT_ERR_INIT;
        bt_argparse_value v = {.type = BT_ARGPARSE_NONE};
        rc = a->convert(arg, a->convert_ctx, &v, &err);
        tname = a->type_name ? a->type_name : "type";
        if (rc == BT_EARGUMENT) {
            bt_buf_clear(msg);
            return bt_buf_append_str(msg, err.msg) < 0 ? BT_ENOMEM
                                                       : BT_EARGUMENT;
        }
        if (rc >= 0) {
            if (v.type == BT_ARGPARSE_STR || v.type == BT_ARGPARSE_LIST)
                return bt__ap_value_copy_in(arena, out, &v);
            *out = v;
            return 0;
        }
        if (rc != BT_EVALUE && rc != BT_ETYPE)
            return rc;
    } else if (a->type == BT_ARGPARSE_INT) {
        tname = "int";
        rc = bt__ap_parse_int(arg, &out->i);
        if (rc == 0) {
            out->type = BT_ARGPARSE_INT;
            return 0;
        }
    } else if (a->type == BT_ARGPARSE_FLOAT) {
        tname = "float";
        rc = bt__ap_parse_float(arg, &out->f);
        if (rc == 0) {
            out->type = BT_ARGPARSE_FLOAT;
            return 0;
        }
        if (rc == BT_ENOMEM)
            return rc;
    } else {
        if (!(out->s = str_copy(arena, arg, strlen(arg))))
            return BT_ENOMEM;
        out->type = BT_ARGPARSE_STR;
        return 0;
    }
    if (rc == BT_ENOMEM)
        return rc;
    bt_buf_clear(msg);
    rc = bt_buf_printf(msg, "invalid %s value: ", tname);
    if (rc == 0)
        rc = bt_repr_str(msg, arg, strlen(arg));
    return rc < 0 ? BT_ENOMEM : BT_EARGUMENT;
}
