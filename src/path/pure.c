/*
 * pure.c — os.path's string functions: join, split, splitext, dirname,
 * basename, normpath, normcase, isabs, splitdrive, commonprefix, commonpath.
 * Nothing here looks at the file system; each output buffer is grown at most
 * once per call.
 */
#include "path_int.h"

/* ------------------------------------------------------------- normpath */

size_t bt__path_norm(const char *s, size_t n, char *d)
{
    if (n == 0) {
        d[0] = '.';
        return 1;
    }
    size_t i = 0, w = 0;
    /* One leading slash, or exactly two (POSIX leaves "//" alone). */
    if (s[0] == '/') {
        d[w++] = '/';
        if (n > 1 && s[1] == '/' && !(n > 2 && s[2] == '/'))
            d[w++] = '/';
    }
    const size_t root = w;
    const bool absolute = root > 0;
    size_t comps = 0; /* components written */
    size_t ups = 0;   /* of which leading ".." (relative paths only) */
    for (;;) {
        while (i < n && s[i] == '/')
            i++;
        if (i == n)
            break;
        size_t start = i;
        while (i < n && s[i] != '/')
            i++;
        size_t len = i - start;
        if (s[start] == '.') {
            if (len == 1)
                continue;
            if (len == 2 && s[start + 1] == '.') {
                if (comps > ups) {
                    /* Drop the last component and the slash before it. */
                    size_t k = w;
                    while (k > root && d[k - 1] != '/')
                        k--;
                    w = k > root ? k - 1 : root;
                    comps--;
                    continue;
                }
                if (absolute)
                    continue; /* ".." at the root is the root */
                ups++;
            }
        }
        if (comps)
            d[w++] = '/';
        memmove(d + w, s + start, len);
        w += len;
        comps++;
    }
    if (w == 0)
        d[w++] = '.';
    return w;
}

#if defined(__SSE2__)
#include <emmintrin.h>

static uint64_t bits16(__m128i v, char c)
{
    return (uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(c)));
}

/* Fixed-size loads and stores (each compiles to one instruction). */
static uint64_t load8(const char *s)
{
    uint64_t v;
    memcpy(&v, s, 8);
    return v;
}

static uint32_t load4(const char *s)
{
    uint32_t v;
    memcpy(&v, s, 4);
    return v;
}

/* Copies component s[b, b+len) (inside s[0, n)) to d; reads stay inside
 * s; writes may go 16 bytes past len. */
static void copy_comp(char *d, const char *s, size_t b, size_t len, size_t n)
{
    s += b;
    if (len <= 16 && b + 16 <= n) {
        _mm_storeu_si128((__m128i *)d, _mm_loadu_si128((const __m128i *)s));
    } else if (len >= 16) {
        for (size_t k = 0; k + 16 < len; k += 16)
            _mm_storeu_si128((__m128i *)(d + k),
                             _mm_loadu_si128((const __m128i *)(s + k)));
        _mm_storeu_si128((__m128i *)(d + len - 16),
                         _mm_loadu_si128((const __m128i *)(s + len - 16)));
    } else if (len >= 8) { /* the first 8 and the last 8, overlapping */
        uint64_t x = load8(s), y = load8(s + len - 8);
        memcpy(d, &x, 8);
        memcpy(d + len - 8, &y, 8);
    } else if (len >= 4) {
        uint32_t x = load4(s), y = load4(s + len - 4);
        memcpy(d, &x, 4);
        memcpy(d + len - 4, &y, 4);
    } else {
        d[0] = s[0];
        d[len / 2] = s[len / 2];
        d[len - 1] = s[len - 1];
    }
}

/*
 * bt__path_norm for 1 <= n <= 64: 16-byte compares give one bit per byte
 * for the slashes and the dots; from those masks come each component's
 * first and last byte (no byte loop), the check that the path is already
 * normal (then it is copied whole), and the "." and ".." tests.
 */
static size_t norm64(const char *s, size_t n, char *d)
{
    uint64_t sl = 0, dot = 0;
    if (n >= 16) {
        size_t k = 0;
        for (; k + 16 <= n; k += 16) {
            __m128i v = _mm_loadu_si128((const __m128i *)(s + k));
            sl |= bits16(v, '/') << k;
            dot |= bits16(v, '.') << k;
        }
        if (k < n) { /* the last 16 bytes again, keeping the new ones */
            __m128i v = _mm_loadu_si128((const __m128i *)(s + n - 16));
            size_t old = 16 - (n - k);
            sl |= (bits16(v, '/') >> old) << k;
            dot |= (bits16(v, '.') >> old) << k;
        }
    } else if (n >= 4) {
        /* Two overlapping loads of 8 (or 4) bytes: the first and the last. */
        size_t half = n >= 8 ? 8 : 4;
        uint64_t lo = n >= 8 ? load8(s) : load4(s);
        uint64_t hi = n >= 8 ? load8(s + n - 8) : load4(s + n - 4);
        __m128i v = _mm_set_epi64x((long long)hi, (long long)lo);
        uint64_t ms = bits16(v, '/'), md = bits16(v, '.');
        sl = (ms & 0xff) | (ms >> 8) << (n - half);
        dot = (md & 0xff) | (md >> 8) << (n - half);
    } else {
        for (size_t k = 0; k < n; k++) {
            sl |= (uint64_t)(s[k] == '/') << k;
            dot |= (uint64_t)(s[k] == '.') << k;
        }
    }
    const uint64_t valid = n == 64 ? ~0ull : (1ull << n) - 1;
    const uint64_t name = ~sl & valid;
    uint64_t first = name & ~(name << 1), last = name & ~(name >> 1);
    /* Already normal: no "." or ".." part, no "//" but two leading
     * slashes, no trailing slash (unless all slashes, and then at most
     * two). */
    uint64_t lone_dot = first & last & dot;
    uint64_t two_dots = first & dot & dot >> 1 & last >> 1;
    uint64_t doubled = sl & sl >> 1;
    if ((sl & 7) == 3)
        doubled &= ~(uint64_t)1;
    bool trailing = (sl >> (n - 1)) & 1 && (name || n > 2);
    if (!(lone_dot | two_dots | doubled) && !trailing) {
        memcpy(d, s, n);
        return n;
    }
    size_t w = 0;
    if (sl & 1) {
        d[w++] = '/';
        if ((sl & 6) == 2) /* exactly two leading slashes */
            d[w++] = '/';
    }
    const bool absolute = w > 0;
    unsigned char starts[33]; /* where each kept component begins in d */
    size_t comps = 0, ups = 0;
    while (first) {
        size_t b = (size_t)__builtin_ctzll(first);
        size_t len = (size_t)__builtin_ctzll(last) - b + 1;
        first &= first - 1;
        last &= last - 1;
        if ((dot >> b) & 1 && len <= 2) {
            if (len == 1)
                continue;
            if ((dot >> (b + 1)) & 1) {
                if (comps > ups) {
                    w = starts[--comps];
                    continue;
                }
                if (absolute)
                    continue;
                ups++;
            }
        }
        starts[comps] = (unsigned char)w;
        d[w] = '/';
        w += comps++ != 0;
        copy_comp(d + w, s, b, len, n);
        w += len;
    }
    if (w == 0)
        d[w++] = '.';
    return w;
}

size_t bt__path_norm_fast(const char *s, size_t n, char *d)
{
    if (n == 0 || n > 64)
        return bt__path_norm(s, n, d);
    return norm64(s, n, d);
}
#else
size_t bt__path_norm_fast(const char *s, size_t n, char *d)
{
    return bt__path_norm(s, n, d);
}
#endif

int bt_path_normpath(const char *p, bt_buf *out)
{
    size_t n = strlen(p);
    if (bt__path_reserve(out, (n ? n : 1) + BT__PATH_NORM_SLACK, &p) < 0)
        return BT_ENOMEM;
    size_t k = bt__path_norm_fast(p, n, out->data + out->len);
    bt__path_setlen(out, out->len + k);
    return 0;
}

/* ----------------------------------------------------------------- join */

int bt_path_join(const char *const *parts, size_t n, bt_buf *out)
{
    if (n == 0)
        return BT_ETYPE;
    /* A part inside out would move when out grows: build apart, then copy. */
    if (out->data) {
        for (size_t i = 0; i < n; i++) {
            if (bt__path_inside(out, parts[i])) {
                bt_buf tmp = BT_BUF_INIT;
                int rc = bt_path_join(parts, n, &tmp);
                if (rc == 0)
                    rc = bt_buf_append(out, tmp.data, tmp.len);
                bt_buf_fini(&tmp);
                return rc;
            }
        }
    }
    /* Everything before the last absolute part is thrown away. */
    size_t first = 0;
    for (size_t i = n; i-- > 0;) {
        if (parts[i][0] == '/') {
            first = i;
            break;
        }
    }
    size_t lens[16];
    size_t total = 0;
    char last = '\0'; /* last byte of the path so far, '\0' while empty */
    for (size_t i = first; i < n; i++) {
        size_t len = strlen(parts[i]);
        if (i - first < BT__COUNTOF(lens))
            lens[i - first] = len;
        if (i > first && last != '\0' && last != '/')
            total++;
        if (bt__add_overflow(total, len, &total))
            return BT_ENOMEM;
        if (len)
            last = parts[i][len - 1];
    }
    if (bt__path_reserve(out, total, NULL) < 0)
        return BT_ENOMEM;
    char *d = out->data + out->len;
    size_t w = 0;
    for (size_t i = first; i < n; i++) {
        size_t len =
            i - first < BT__COUNTOF(lens) ? lens[i - first] : strlen(parts[i]);
        if (i > first && w && d[w - 1] != '/')
            d[w++] = '/';
        memcpy(d + w, parts[i], len);
        w += len;
    }
    bt__path_setlen(out, out->len + w);
    return 0;
}

/* ---------------------------------------------------------------- split */

/*
 * Appends p[aoff, aoff+alen) to a and p[boff, boff+blen) to b, growing each
 * at most once; a and b may be one buffer, p may point into either.
 */
static int append_two(const char *p, bt_buf *a, size_t aoff, size_t alen,
                      bt_buf *b, size_t boff, size_t blen)
{
    if (a == b) {
        if (bt__path_reserve(a, alen + blen, &p) < 0)
            return BT_ENOMEM;
        char *d = a->data + a->len;
        memcpy(d, p + aoff, alen);
        memcpy(d + alen, p + boff, blen);
        bt__path_setlen(a, a->len + alen + blen);
        return 0;
    }
    if (bt__path_reserve(a, alen, &p) < 0 || bt__path_reserve(b, blen, &p) < 0)
        return BT_ENOMEM;
    memcpy(a->data + a->len, p + aoff, alen);
    bt__path_setlen(a, a->len + alen);
    memcpy(b->data + b->len, p + boff, blen);
    bt__path_setlen(b, b->len + blen);
    return 0;
}

/* Appends p[off, off+len) to out. */
static int append_part(const char *p, size_t off, size_t len, bt_buf *out)
{
    if (bt__path_reserve(out, len, &p) < 0)
        return BT_ENOMEM;
    memcpy(out->data + out->len, p + off, len);
    bt__path_setlen(out, out->len + len);
    return 0;
}

/* Where split() cuts: the head is p[0, *headlen), the tail p[*tail, n). */
static void split_point(const char *p, size_t n, size_t *headlen, size_t *tail)
{
    const char *slash = n ? memrchr(p, '/', n) : NULL;
    size_t i = slash ? (size_t)(slash - p) + 1 : 0;
    size_t h = i;
    while (h > 0 && p[h - 1] == '/')
        h--;
    *headlen = h ? h : i; /* all slashes: the head keeps them */
    *tail = i;
}

int bt_path_split(const char *p, bt_buf *head, bt_buf *tail)
{
    size_t n = strlen(p), hl, t;
    split_point(p, n, &hl, &t);
    return append_two(p, head, 0, hl, tail, t, n - t);
}

int bt_path_dirname(const char *p, bt_buf *out)
{
    size_t n = strlen(p), hl, t;
    split_point(p, n, &hl, &t);
    return append_part(p, 0, hl, out);
}

int bt_path_basename(const char *p, bt_buf *out)
{
    size_t n = strlen(p), hl, t;
    split_point(p, n, &hl, &t);
    return append_part(p, t, n - t, out);
}

int bt_path_splitext(const char *p, bt_buf *root, bt_buf *ext)
{
    size_t n = strlen(p);
    const char *slash = n ? memrchr(p, '/', n) : NULL;
    size_t name = slash ? (size_t)(slash - p) + 1 : 0;
    const char *dot = n - name ? memrchr(p + name, '.', n - name) : NULL;
    if (dot) {
        size_t d = (size_t)(dot - p);
        /* Leading dots of the name are not an extension. */
        for (size_t k = name; k < d; k++)
            if (p[k] != '.')
                return append_two(p, root, 0, d, ext, d, n - d);
    }
    return append_two(p, root, 0, n, ext, n, 0);
}

int bt_path_splitdrive(const char *p, bt_buf *drive, bt_buf *rest)
{
    return append_two(p, drive, 0, 0, rest, 0, strlen(p));
}

int bt_path_normcase(const char *p, bt_buf *out)
{
    return append_part(p, 0, strlen(p), out);
}

bool bt_path_isabs(const char *p)
{
    return p[0] == '/';
}

/* --------------------------------------------------------- commonprefix */

/* The length of the character at s[i] (s holds n bytes): its UTF-8
 * sequence, or 1 for a byte outside valid UTF-8. */
static size_t char_len(const char *s, size_t i, size_t n)
{
    if ((unsigned char)s[i] < 0x80)
        return 1;
    size_t adv;
    return bt_utf8_decode(s + i, n - i, &adv) < 0 ? 1 : adv;
}

int bt_path_commonprefix(const bt_strvec *v, bt_buf *out)
{
    if (v->count == 0)
        return append_part("", 0, 0, out);
    const char *a = v->items[0];
    size_t an = strlen(a), common = an;
    for (size_t j = 1; j < v->count && common; j++) {
        const char *b = v->items[j];
        size_t bn = strlen(b), i = 0;
        while (i < common && i < bn && a[i] == b[i]) {
            if ((unsigned char)a[i] < 0x80) {
                i++;
                continue;
            }
            /* The same character: the same sequence, or the same stray
             * byte in both. */
            size_t k = char_len(a, i, an);
            if (i + k > common || k != char_len(b, i, bn) ||
                memcmp(a + i, b + i, k) != 0)
                break;
            i += k;
        }
        common = i;
    }
    return append_part(a, 0, common, out);
}

/* ----------------------------------------------------------- commonpath */

/* Iterates the components of a path that commonpath keeps (not "", not "."). */
typedef struct comp_iter {
    const char *s;
    size_t i, n;
} comp_iter;

static bool next_comp(comp_iter *it, size_t *start, size_t *len)
{
    for (;;) {
        while (it->i < it->n && it->s[it->i] == '/')
            it->i++;
        if (it->i == it->n)
            return false;
        size_t b = it->i;
        while (it->i < it->n && it->s[it->i] != '/')
            it->i++;
        if (it->i - b == 1 && it->s[b] == '.')
            continue;
        *start = b;
        *len = it->i - b;
        return true;
    }
}

int bt_path_commonpath(const bt_strvec *v, bt_buf *out, bt_err *err)
{
    if (v->count == 0)
        return bt_err_setf(err, BT_EVALUE, -1,
                           "commonpath() arg is an empty sequence");
    const char *a = v->items[0];
    bool abs = a[0] == '/';
    for (size_t j = 1; j < v->count; j++)
        if ((v->items[j][0] == '/') != abs)
            return bt_err_setf(err, BT_EVALUE, -1,
                               "Can't mix absolute and relative paths");
    size_t an = strlen(a);
    size_t common = SIZE_MAX; /* components of a shared by every path */
    for (size_t j = 1; j < v->count && common; j++) {
        const char *b = v->items[j];
        comp_iter ia = {a, 0, an}, ib = {b, 0, strlen(b)};
        size_t k = 0, as, al, bs, bl;
        while (k < common && next_comp(&ia, &as, &al) &&
               next_comp(&ib, &bs, &bl) && al == bl &&
               memcmp(a + as, b + bs, al) == 0)
            k++;
        common = k;
    }
    /* The result: "/" if absolute, then the common components. */
    comp_iter it = {a, 0, an};
    size_t total = abs, k = 0, s, l;
    while (k < common && next_comp(&it, &s, &l)) {
        total += l + (k > 0);
        k++;
    }
    common = k;
    if (bt__path_reserve(out, total, NULL) < 0)
        return BT_ENOMEM;
    char *d = out->data + out->len;
    size_t w = 0;
    if (abs)
        d[w++] = '/';
    it.i = 0;
    for (k = 0; k < common && next_comp(&it, &s, &l); k++) {
        if (k)
            d[w++] = '/';
        memcpy(d + w, a + s, l);
        w += l;
    }
    bt__path_setlen(out, out->len + w);
    return 0;
}
