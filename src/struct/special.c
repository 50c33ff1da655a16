/*
 * special.c — pack and unpack compiled for each shape of short record.
 *
 * Most records packed in a loop are a few integers in one byte order (a
 * network header such as '!IHq', a file record '<Hd'). For records of one
 * to three integer or 'd' fields laid end to end, there is one function per
 * combination of field widths and byte order, so every offset, width and
 * byte swap is a constant and nothing is looked up per value: packing checks
 * each value with two or three instructions against a per-field constant
 * (its kind as unpack gives it, and for signed fields the bias that turns the
 * range check into one shift). A record with an unusual value (another kind,
 * out of range) is handed to the path that takes every kind, which packs it
 * or words Python's error. 2 byte orders x (4 + 16 + 64) width combinations,
 * for pack and for unpack: 336 functions of a few dozen instructions.
 *
 * Arrays of 4 to 16 doubles get the same treatment where SSE2 is there, one
 * function per count: a loop over a few values costs more than the copy
 * itself here, so each count is straight code, two values per 16-byte move.
 */
#include <stddef.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "struct_int.h"

/* Special forms exist only on little-endian hosts (they come from the wide
 * descriptors), so a swapped field is a big-endian one. */
static inline void put(unsigned char *p, uint64_t v, unsigned log2w, bool swap)
{
    bt__struct_store(p, v, 1u << log2w, !swap);
}

static inline uint64_t get(const unsigned char *p, unsigned log2w, bool swap)
{
    return bt__struct_load(p, 1u << log2w, !swap);
}

/* Nonzero unless the item has the field's kind and, below 8 bytes, a value
 * in range: (v + bias) >> bits is 0 exactly for [-bias, 2^bits - bias). */
static inline uint64_t field_bad(const bt__struct_field *f, uint64_t kind, uint64_t v,
                                 unsigned log2w)
{
    uint64_t bad = kind ^ f->kind;
    if (log2w < 3)
        bad |= (v + f->bias) >> (8u << log2w);
    return bad;
}

/*
 * A record the fast check refused may be valid all the same: an
 * integer field also takes the other integer kind (INT 5 for 'H', UINT 5
 * for 'h') when the value is in range, and the bytes already stored are then
 * the right ones (the two kinds store the same bits for a value both can
 * hold). Anything else goes to the path that takes every kind. Data-driven
 * and out of line: the common case never runs it.
 */
__attribute__((noinline)) static ptrdiff_t other_kinds(const bt_struct *s,
                                                       const bt_struct_item *it, size_t n,
                                                       void *out, size_t outlen, bt_err *err)
{
    uint64_t bad = 0;
    for (size_t k = 0; k < s->nwops; k++) {
        const bt__struct_field *f = &s->field[k];
        uint64_t v = it[k].v.u, d = (uint64_t)it[k].kind ^ f->kind;
        unsigned bits = 64 - s->wops[k].shift;
        /* d is 0 for the field's own kind; d == f->other for the other
         * integer kind, which needs a value below 2^63; the product is 0
         * for those alone (both factors are below 2^33). */
        bad |= d * ((d ^ f->other) | (v >> 63));
        bad |= (v + f->bias) >> (bits - 1) >> 1; /* two shifts: bits may be 64 */
    }
    if (!bad)
        return (ptrdiff_t)s->size;
    return bt__struct_pack_any(s, it, n, out, outlen, err);
}

/* Every value is read before anything is written, so items and out may
 * even overlap. */
static inline __attribute__((always_inline)) ptrdiff_t
special_pack(const bt_struct *s, const bt_struct_item *it, size_t n, void *out, size_t outlen,
             bt_err *err, bool swap, unsigned nf, unsigned l0, unsigned l1, unsigned l2)
{
    const unsigned w0 = 1u << l0, w1 = nf > 1 ? 1u << l1 : 0, w2 = nf > 2 ? 1u << l2 : 0;
    if (BT__LIKELY(n == nf && outlen >= w0 + w1 + w2)) {
        unsigned char *o = out;
        uint64_t v0 = it[0].v.u, v1 = nf > 1 ? it[1].v.u : 0, v2 = nf > 2 ? it[2].v.u : 0;
        uint64_t bad = field_bad(&s->field[0], (uint64_t)it[0].kind, v0, l0);
        if (nf > 1)
            bad |= field_bad(&s->field[1], (uint64_t)it[1].kind, v1, l1);
        if (nf > 2)
            bad |= field_bad(&s->field[2], (uint64_t)it[2].kind, v2, l2);
        put(o, v0, l0, swap);
        if (nf > 1)
            put(o + w0, v1, l1, swap);
        if (nf > 2)
            put(o + w0 + w1, v2, l2, swap);
        if (BT__LIKELY(!bad))
            return (ptrdiff_t)(w0 + w1 + w2);
        return other_kinds(s, it, n, out, outlen, err);
    }
    return bt__struct_pack_any(s, it, n, out, outlen, err);
}

/* Signed fields are sign-extended from their width: (x ^ m) - m with m the
 * width's sign bit (0 for unsigned fields). */
static inline __attribute__((always_inline)) ptrdiff_t
special_unpack(const bt_struct *s, const void *buf, size_t len, bt_struct_item *items,
               size_t cap, bt_err *err, bool swap, unsigned nf, unsigned l0, unsigned l1,
               unsigned l2)
{
    const unsigned w0 = 1u << l0, w1 = nf > 1 ? 1u << l1 : 0, w2 = nf > 2 ? 1u << l2 : 0;
    if (BT__LIKELY(len == w0 + w1 + w2 && cap >= nf)) {
        const unsigned char *p = buf;
        const bt__struct_field *f = s->field;
        uint64_t x0 = get(p, l0, swap), x1 = nf > 1 ? get(p + w0, l1, swap) : 0,
                 x2 = nf > 2 ? get(p + w0 + w1, l2, swap) : 0;
        items[0].kind = (bt_struct_kind)f[0].kind;
        items[0].v.u = l0 < 3 ? (x0 ^ f[0].bias) - f[0].bias : x0;
        if (nf > 1) {
            items[1].kind = (bt_struct_kind)f[1].kind;
            items[1].v.u = l1 < 3 ? (x1 ^ f[1].bias) - f[1].bias : x1;
        }
        if (nf > 2) {
            items[2].kind = (bt_struct_kind)f[2].kind;
            items[2].v.u = l2 < 3 ? (x2 ^ f[2].bias) - f[2].bias : x2;
        }
        return (ptrdiff_t)nf;
    }
    return bt__struct_unpack_any(s, buf, len, items, cap, err);
}

/* One function per (byte order, field count, widths): EACHk calls
 * M(args..., l) for the four widths of k fields. */
#define EACH1(M, ...) M(__VA_ARGS__, 0) M(__VA_ARGS__, 1) M(__VA_ARGS__, 2) M(__VA_ARGS__, 3)
#define EACH2(M, ...)                                                         \
    EACH1(M, __VA_ARGS__, 0) EACH1(M, __VA_ARGS__, 1) EACH1(M, __VA_ARGS__, 2) \
    EACH1(M, __VA_ARGS__, 3)
#define EACH3(M, ...)                                                         \
    EACH2(M, __VA_ARGS__, 0) EACH2(M, __VA_ARGS__, 1) EACH2(M, __VA_ARGS__, 2) \
    EACH2(M, __VA_ARGS__, 3)

#define DEFINE(sw, nf, a, b, c)                                                              \
    static ptrdiff_t pack_##sw##_##nf##_##a##b##c(const bt_struct *s,                        \
                                                  const bt_struct_item *it, size_t n,         \
                                                  void *out, size_t outlen, bt_err *err)      \
    {                                                                                        \
        return special_pack(s, it, n, out, outlen, err, sw, nf, a, b, c);                    \
    }                                                                                        \
    static ptrdiff_t unpack_##sw##_##nf##_##a##b##c(const bt_struct *s, const void *buf,     \
                                                    size_t len, bt_struct_item *items,        \
                                                    size_t cap, bt_err *err)                  \
    {                                                                                        \
        return special_unpack(s, buf, len, items, cap, err, sw, nf, a, b, c);                \
    }
#define DEFINE1(sw, a) DEFINE(sw, 1, a, 0, 0)
#define DEFINE2(sw, a, b) DEFINE(sw, 2, a, b, 0)
#define DEFINE3(sw, a, b, c) DEFINE(sw, 3, a, b, c)

EACH1(DEFINE1, 0)
EACH1(DEFINE1, 1)
EACH2(DEFINE2, 0)
EACH2(DEFINE2, 1)
EACH3(DEFINE3, 0)
EACH3(DEFINE3, 1)

typedef struct {
    bt__struct_pack_fn pack;
    bt__struct_unpack_fn unpack;
} special_fns;

/* Indexed by the widths' log2 values a + 4b + 16c. */
#define ENTRY(sw, nf, a, b, c) [(a) + 4 * (b) + 16 * (c)] = {pack_##sw##_##nf##_##a##b##c, \
                                                          unpack_##sw##_##nf##_##a##b##c},
#define ENTRY1(sw, a) ENTRY(sw, 1, a, 0, 0)
#define ENTRY2(sw, a, b) ENTRY(sw, 2, a, b, 0)
#define ENTRY3(sw, a, b, c) ENTRY(sw, 3, a, b, c)

static const special_fns table1[2][4] = {{EACH1(ENTRY1, 0)}, {EACH1(ENTRY1, 1)}};
static const special_fns table2[2][16] = {{EACH2(ENTRY2, 0)}, {EACH2(ENTRY2, 1)}};
static const special_fns table3[2][64] = {{EACH3(ENTRY3, 0)}, {EACH3(ENTRY3, 1)}};

#if defined(__SSE2__)
_Static_assert(offsetof(bt_struct_item, v) == 8 && sizeof(bt_struct_item) >= 16,
               "the item layout the double moves read and write");

/* Reverses the bytes of both 64-bit halves (SSE2 has no byte shuffle). */
static inline __m128i bswap64x2(__m128i x)
{
    x = _mm_shufflelo_epi16(x, _MM_SHUFFLE(0, 1, 2, 3));
    x = _mm_shufflehi_epi16(x, _MM_SHUFFLE(0, 1, 2, 3));
    return _mm_or_si128(_mm_slli_epi16(x, 8), _mm_srli_epi16(x, 8));
}

/* An item's first 16 bytes are its kind, padding and value: one unpack
 * gathers two values for one store, the other the two kinds to test (the
 * padding is masked off once, at the end). */
static inline __attribute__((always_inline)) bool
doubles_put(const bt_struct_item *it, unsigned char *o, unsigned count, bool swap)
{
    const __m128i want = _mm_set_epi32(0, BT_STRUCT_DOUBLE, 0, BT_STRUCT_DOUBLE);
    __m128i diff = _mm_setzero_si128();
#pragma GCC unroll 8
    for (unsigned k = 0; k + 2 <= count; k += 2) {
        __m128i a = _mm_loadu_si128((const __m128i *)(const void *)&it[k]);
        __m128i b = _mm_loadu_si128((const __m128i *)(const void *)&it[k + 1]);
        __m128i v = _mm_unpackhi_epi64(a, b);
        _mm_storeu_si128((__m128i *)(void *)(o + 8 * k), swap ? bswap64x2(v) : v);
        diff = _mm_or_si128(diff, _mm_xor_si128(_mm_unpacklo_epi64(a, b), want));
    }
    diff = _mm_and_si128(diff, _mm_set_epi32(0, -1, 0, -1));
    bool ok = _mm_movemask_epi8(_mm_cmpeq_epi32(diff, _mm_setzero_si128())) == 0xffff;
    if (count % 2) {
        ok &= it[count - 1].kind == BT_STRUCT_DOUBLE;
        put(o + 8 * (count - 1), it[count - 1].v.u, 3, swap);
    }
    return ok;
}

static inline __attribute__((always_inline)) void
doubles_get(const unsigned char *p, bt_struct_item *it, unsigned count, bool swap)
{
    const __m128i kind = _mm_set_epi32(0, BT_STRUCT_DOUBLE, 0, BT_STRUCT_DOUBLE);
#pragma GCC unroll 8
    for (unsigned k = 0; k + 2 <= count; k += 2) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + 8 * k));
        v = swap ? bswap64x2(v) : v;
        _mm_storeu_si128((__m128i *)(void *)&it[k], _mm_unpacklo_epi64(kind, v));
        _mm_storeu_si128((__m128i *)(void *)&it[k + 1], _mm_unpackhi_epi64(kind, v));
    }
    if (count % 2) {
        it[count - 1].kind = BT_STRUCT_DOUBLE;
        it[count - 1].v.u = get(p + 8 * (count - 1), 3, swap);
    }
}

#define DOUBLES_MIN (BT__STRUCT_SPECIAL_MAX + 1)
#define DOUBLES_MAX 16

static inline __attribute__((always_inline)) ptrdiff_t
doubles_pack(const bt_struct *s, const bt_struct_item *it, size_t n, void *out, size_t outlen,
             bt_err *err, bool swap, unsigned count)
{
    if (BT__LIKELY(n == count && outlen >= 8 * count && doubles_put(it, out, count, swap)))
        return (ptrdiff_t)(8 * count);
    return bt__struct_pack_any(s, it, n, out, outlen, err);
}

static inline __attribute__((always_inline)) ptrdiff_t
doubles_unpack(const bt_struct *s, const void *buf, size_t len, bt_struct_item *items,
               size_t cap, bt_err *err, bool swap, unsigned count)
{
    if (BT__LIKELY(len == 8 * count && cap >= count)) {
        doubles_get(buf, items, count, swap);
        return (ptrdiff_t)count;
    }
    return bt__struct_unpack_any(s, buf, len, items, cap, err);
}

#define DEFINE_DOUBLES(sw, count)                                                            \
    static ptrdiff_t pack_##sw##_d##count(const bt_struct *s, const bt_struct_item *it,     \
                                          size_t n, void *out, size_t outlen, bt_err *err)   \
    {                                                                                        \
        return doubles_pack(s, it, n, out, outlen, err, sw, count);                          \
    }                                                                                        \
    static ptrdiff_t unpack_##sw##_d##count(const bt_struct *s, const void *buf, size_t len, \
                                            bt_struct_item *items, size_t cap, bt_err *err)  \
    {                                                                                        \
        return doubles_unpack(s, buf, len, items, cap, err, sw, count);                      \
    }
#define EACH_COUNT(M, sw)                                                                   \
    M(sw, 4) M(sw, 5) M(sw, 6) M(sw, 7) M(sw, 8) M(sw, 9) M(sw, 10) M(sw, 11) M(sw, 12)     \
    M(sw, 13) M(sw, 14) M(sw, 15) M(sw, 16)

EACH_COUNT(DEFINE_DOUBLES, 0)
EACH_COUNT(DEFINE_DOUBLES, 1)

#define ENTRY_DOUBLES(sw, count) [(count)-DOUBLES_MIN] = {pack_##sw##_d##count, \
                                                          unpack_##sw##_d##count},
static const special_fns table_doubles[2][DOUBLES_MAX - DOUBLES_MIN + 1] = {
    {EACH_COUNT(ENTRY_DOUBLES, 0)}, {EACH_COUNT(ENTRY_DOUBLES, 1)}};

/* Arrays of DOUBLES_MIN..DOUBLES_MAX doubles, from offset 0 in one order. */
static bool special_doubles(bt_struct *s, size_t n)
{
    if (!s->doubles || n > DOUBLES_MAX || s->size != 8 * n)
        return false;
    s->pack = table_doubles[s->order][n - DOUBLES_MIN].pack;
    s->unpack = table_doubles[s->order][n - DOUBLES_MIN].unpack;
    return true;
}
#else
/* Without SSE2 the copy loops of pack.c serve arrays of doubles. */
static bool special_doubles(bt_struct *s, size_t n)
{
    (void)s;
    (void)n;
    return false;
}
#endif

static unsigned log2_width(unsigned shift)
{
    switch (64 - shift) {
    case 8: return 0;
    case 16: return 1;
    case 32: return 2;
    default: return 3;
    }
}

bool bt__struct_special(bt_struct *s)
{
    size_t n = s->nwops;
    if (n == 0 || s->zero_fill || s->order < 0)
        return false;
    if (n > BT__STRUCT_SPECIAL_MAX)
        return special_doubles(s, n);
    unsigned index = 0, scale = 1;
    size_t offset = 0;
    for (size_t k = 0; k < n; k++) {
        const bt__struct_wop *w = &s->wops[k];
        unsigned l = log2_width(w->shift);
        if (w->offset != offset)
            return false;
        offset += 1u << l;
        index += l * scale;
        scale *= 4;
        bool is_signed = w->out_kind == BT_STRUCT_INT && l < 3;
        s->field[k].kind = w->out_kind;
        /* INT ^ UINT: what the other integer kind gives in other_kinds_ok;
         * a 'd' field takes no other kind (no 32-bit kind reaches 2^32). */
        s->field[k].other = w->out_kind == BT_STRUCT_DOUBLE ? (uint64_t)1 << 32 : 3;
        s->field[k].bias = is_signed ? (uint64_t)1 << (8u * (1u << l) - 1) : 0;
    }
    if (offset != s->size)
        return false;
    const special_fns *fns = n == 1   ? &table1[s->order][index]
                             : n == 2 ? &table2[s->order][index]
                                      : &table3[s->order][index];
    s->pack = fns->pack;
    s->unpack = fns->unpack;
    return true;
}
