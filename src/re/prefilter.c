/*
 * prefilter.c — two speed-ups around PCRE2 that change no answer:
 *
 *  - the UTF-8 check of str subjects, with a word-at-a-time ASCII skip
 *    (bt_utf8_validate words the error when there is one);
 *  - a literal prefilter for patterns that begin with an alternation of
 *    literal strings ("Sherlock|Holmes|Watson"): PCRE2 tries its matcher at
 *    every place where one of the first characters occurs, which in text is
 *    every few dozen bytes; here a scan for the first two bytes of each
 *    string (32 places at a time with AVX2, 16 with SSE2) and a memcmp find
 *    the places where a match can start, and only there the anchored
 *    program runs. Every match starts with one of the strings, and places
 *    are tried left to right, so the first match found is the leftmost, as
 *    PCRE2's own search would find it. In the finditer, findall, split and
 *    sub loops the scan also checks the UTF-8 of str subjects a few
 *    kilobytes ahead of itself.
 */
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "re_int.h"

/* --------------------------------------------------------------- UTF-8 */

#if defined(__SSE2__)
/* Bytes of v in [lo, lo + span] as a 16-bit mask. */
static inline unsigned in_range(__m128i v, unsigned char lo, unsigned char span)
{
    __m128i t = _mm_sub_epi8(v, _mm_set1_epi8((char)lo));
    __m128i le = _mm_cmpeq_epi8(_mm_min_epu8(t, _mm_set1_epi8((char)span)), t);
    return (unsigned)_mm_movemask_epi8(le);
}
#endif

/* Checks one sequence after another from i until at least `until`;
 * returns the position reached, or (size_t)-1 for invalid UTF-8. */
static size_t scalar_until(const unsigned char *s, size_t n, size_t i,
                           size_t until)
{
    while (i < n && i < until) {
        if (s[i] < 0x80) {
            i++;
            continue;
        }
        size_t bad;
        const char *reason;
        size_t k = bt__utf8_seq(s + i, n - i, &bad, &reason);
        if (!k)
            return (size_t)-1;
        i += k;
    }
    return i;
}

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define HAVE_AVX2_PATH 1

__attribute__((target("avx2"))) static inline uint32_t
in_range32(__m256i v, unsigned char lo, unsigned char span)
{
    __m256i t = _mm256_sub_epi8(v, _mm256_set1_epi8((char)lo));
    __m256i le =
        _mm256_cmpeq_epi8(_mm256_min_epu8(t, _mm256_set1_epi8((char)span)), t);
    return (uint32_t)_mm256_movemask_epi8(le);
}

/* The 64-byte loop of the check with AVX2: returns where it stopped (a
 * sequence boundary, everything before it valid) or (size_t)-1. */
__attribute__((target("avx2"))) static size_t
validate_avx2(const unsigned char *s, size_t n)
{
    size_t i = 0;
    unsigned carry = 0;
    while (i + 64 <= n) {
        __m256i a = _mm256_loadu_si256((const __m256i *)(s + i));
        __m256i b = _mm256_loadu_si256((const __m256i *)(s + i + 32));
        /* No branch on ASCII-or-not: in text with a few accented letters
         * it would be mispredicted at each of them. */
        uint64_t hi = (uint32_t)_mm256_movemask_epi8(a) |
                      (uint64_t)(uint32_t)_mm256_movemask_epi8(b) << 32;
        uint64_t lead = in_range32(a, 0xC2, 0x1D) |
                        (uint64_t)in_range32(b, 0xC2, 0x1D) << 32;
        uint64_t cont = in_range32(a, 0x80, 0x3F) |
                        (uint64_t)in_range32(b, 0x80, 0x3F) << 32;
        if (BT__LIKELY((lead | cont) == hi && cont == ((lead << 1) | carry))) {
            carry = (unsigned)(lead >> 63);
            i += 64;
            continue;
        }
        size_t at = scalar_until(s, n, carry ? i - 1 : i, i + 64);
        if (at == (size_t)-1)
            return at;
        i = at;
        carry = 0;
    }
    return carry ? i - 1 : i;
}
#endif

static bool have_avx2(void)
{
#if defined(HAVE_AVX2_PATH)
    static atomic_int avx2 = -1;
    int have = atomic_load_explicit(&avx2, memory_order_relaxed);
    if (have < 0) {
        have = __builtin_cpu_supports("avx2") ? 1 : 0;
        atomic_store_explicit(&avx2, have, memory_order_relaxed);
    }
    return have;
#else
    return false;
#endif
}

/* Is s[0..n) UTF-8? */
static bool valid_utf8(const unsigned char *s, size_t n)
{
    size_t i = 0;
#if defined(HAVE_AVX2_PATH)
    if (have_avx2()) {
        i = validate_avx2(s, n);
        if (i == (size_t)-1)
            return false;
    }
#endif
#if defined(__SSE2__)
    /*
     * 16 bytes at a time. A block of ASCII passes at once; so does a block
     * whose other bytes are all two-byte sequences (C2..DF then 80..BF: the
     * Latin, Greek, Cyrillic... letters), checked with masks, a lead at the
     * end of a block carrying into the next. Anything else (three- and
     * four-byte sequences, errors) goes through the sequence-by-sequence
     * check.
     */
    unsigned carry = 0;
    while (i + 16 <= n) {
        if (i + 64 <= n) {
            __m128i a = _mm_loadu_si128((const __m128i *)(s + i));
            __m128i b = _mm_loadu_si128((const __m128i *)(s + i + 16));
            __m128i c = _mm_loadu_si128((const __m128i *)(s + i + 32));
            __m128i d = _mm_loadu_si128((const __m128i *)(s + i + 48));
            __m128i o = _mm_or_si128(_mm_or_si128(a, b), _mm_or_si128(c, d));
            if (!_mm_movemask_epi8(o) && !carry) {
                i += 64;
                continue;
            }
            /* the same mask test on all 64 bytes at once */
            uint64_t hi = (uint64_t)_mm_movemask_epi8(a) |
                          (uint64_t)_mm_movemask_epi8(b) << 16 |
                          (uint64_t)_mm_movemask_epi8(c) << 32 |
                          (uint64_t)_mm_movemask_epi8(d) << 48;
            uint64_t lead = (uint64_t)in_range(a, 0xC2, 0x1D) |
                            (uint64_t)in_range(b, 0xC2, 0x1D) << 16 |
                            (uint64_t)in_range(c, 0xC2, 0x1D) << 32 |
                            (uint64_t)in_range(d, 0xC2, 0x1D) << 48;
            uint64_t cont = (uint64_t)in_range(a, 0x80, 0x3F) |
                            (uint64_t)in_range(b, 0x80, 0x3F) << 16 |
                            (uint64_t)in_range(c, 0x80, 0x3F) << 32 |
                            (uint64_t)in_range(d, 0x80, 0x3F) << 48;
            if ((lead | cont) == hi && cont == ((lead << 1) | carry)) {
                carry = (unsigned)(lead >> 63);
                i += 64;
                continue;
            }
        }
        __m128i v = _mm_loadu_si128((const __m128i *)(s + i));
        unsigned hi = (unsigned)_mm_movemask_epi8(v);
        unsigned lead = hi ? in_range(v, 0xC2, 0x1D) : 0;
        unsigned cont = hi ? in_range(v, 0x80, 0x3F) : 0;
        if ((lead | cont) == hi && cont == (((lead << 1) | carry) & 0xFFFF)) {
            carry = (lead >> 15) & 1;
            i += 16;
            continue;
        }
        /* the slow way through this block (from the lead it carries) */
        size_t at = scalar_until(s, n, carry ? i - 1 : i, i + 16);
        if (at == (size_t)-1)
            return false;
        i = at;
        carry = 0;
    }
    if (carry)
        i--;
#endif
    return scalar_until(s, n, i, n) != (size_t)-1;
}

int bt__re_validate(const char *p, size_t n, bt_err *err)
{
    if (valid_utf8((const unsigned char *)p, n))
        return 0;
    return bt_utf8_validate(p, n, err);
}

/* ------------------------------------------------------------ prefilter */

/* The literal run at the start of a sequence, appended as UTF-8 (str) or
 * bytes; false when the sequence does not start with a literal. */
static bool literal_run(const re_seq *s, bool istext, bt_buf *out)
{
    size_t i = 0;
    for (; i < s->n && s->v[i]->op == OP_LITERAL; i++) {
        uint32_t c = s->v[i]->u.c;
        if (istext) {
            char u[4];
            size_t k = bt_utf8_encode(c, u);
            if (!k || bt_buf_append(out, u, k) < 0)
                return false;
        } else if (bt_buf_append_byte(out, (unsigned char)c) < 0) {
            return false;
        }
    }
    return i > 0;
}

void bt__re_prefilter_build(bt_re_pattern *p, const re_tree *t)
{
    if (t->flags & (F_I | F_TEMPLATE))
        return;
    const re_seq *s = t->root;
    /* through capturing or plain groups that change no flag */
    while (s->n > 0 && s->v[0]->op == OP_SUBPATTERN &&
           !(s->v[0]->u.sub.add & F_I))
        s = s->v[0]->u.sub.body;
    re_prefilter pf;
    memset(&pf, 0, sizeof pf);
    bt_buf text = BT_BUF_INIT;
    /* A pattern that starts with one literal string is left to PCRE2,
     * whose search for it is as fast as this scan. */
    if (s->n == 0 || s->v[0]->op != OP_BRANCH)
        return;
    const re_node *br = s->v[0];
    size_t n = br->u.branch.n;
    if (n < 2 || n > RE_PF_MAX)
        return;
    for (size_t i = 0; i < n; i++) {
        size_t before = text.len;
        if (!literal_run(br->u.branch.v[i], t->istext, &text) ||
            text.len - before < 2 || text.len - before > RE_PF_LEN) {
            bt_buf_fini(&text);
            return;
        }
        pf.len[i] = (uint8_t)(text.len - before);
        memcpy(pf.str[i], text.data + before, pf.len[i]);
    }
    bt_buf_fini(&text);
    pf.n = n;
    p->pf = pf;
    p->has_pf = true;
}

static bool verify(const re_prefilter *pf, const unsigned char *s, size_t at,
                   size_t end)
{
    for (size_t k = 0; k < pf->n; k++)
        if (end - at >= pf->len[k] && s[at] == pf->str[k][0] &&
            memcmp(s + at, pf->str[k], pf->len[k]) == 0)
            return true;
    return false;
}

/* Checks UTF-8 from *checked (a sequence boundary) up to at least `to`
 * (or n), a window at a time, so that it stays in the cache for the scan
 * that follows. Returns false on invalid UTF-8. */
bool bt__re_check_ahead(const unsigned char *s, size_t n, size_t *checked,
                        size_t to)
{
    size_t from = *checked;
    size_t lim = BT__MIN(n, BT__MAX(to, from) + 4096);
    /* end the window at a sequence boundary */
    while (lim < n && (s[lim] & 0xC0) == 0x80)
        lim++;
    if (!valid_utf8(s + from, lim - from))
        return false;
    *checked = lim;
    return true;
}

#if defined(HAVE_AVX2_PATH)
__attribute__((target("avx2"))) static ptrdiff_t
scan_avx2(const re_prefilter *pf, const unsigned char *s, size_t i, size_t end,
          size_t n, size_t *checked, size_t *stop)
{
    __m256i b0[RE_PF_MAX], b1[RE_PF_MAX];
    for (size_t k = 0; k < pf->n; k++) {
        b0[k] = _mm256_set1_epi8((char)pf->str[k][0]);
        b1[k] = _mm256_set1_epi8((char)pf->str[k][1]);
    }
    while (i + 33 <= end) {
        if (checked && *checked < i + 33 &&
            !bt__re_check_ahead(s, n, checked, i + 33))
            return -2;
        __m256i c0 = _mm256_loadu_si256((const __m256i *)(s + i));
        __m256i c1 = _mm256_loadu_si256((const __m256i *)(s + i + 1));
        __m256i hit = _mm256_and_si256(_mm256_cmpeq_epi8(c0, b0[0]),
                                       _mm256_cmpeq_epi8(c1, b1[0]));
        for (size_t k = 1; k < pf->n; k++)
            hit = _mm256_or_si256(
                hit, _mm256_and_si256(_mm256_cmpeq_epi8(c0, b0[k]),
                                      _mm256_cmpeq_epi8(c1, b1[k])));
        uint32_t mask = (uint32_t)_mm256_movemask_epi8(hit);
        while (mask) {
            size_t at = i + (size_t)__builtin_ctz(mask);
            if (verify(pf, s, at, end))
                return (ptrdiff_t)at;
            mask &= mask - 1;
        }
        i += 32;
    }
    *stop = i;
    return -1;
}
#endif

ptrdiff_t bt__re_prefilter_scan(const re_prefilter *pf, const char *p,
                                size_t start, size_t end, size_t n,
                                size_t *checked)
{
    const unsigned char *s = (const unsigned char *)p;
    size_t i = start;
#if defined(HAVE_AVX2_PATH)
    if (have_avx2()) {
        ptrdiff_t c = scan_avx2(pf, s, i, end, n, checked, &i);
        if (c != -1)
            return c;
    }
#endif
#if defined(__SSE2__)
    __m128i b0[RE_PF_MAX], b1[RE_PF_MAX];
    for (size_t k = 0; k < pf->n; k++) {
        b0[k] = _mm_set1_epi8((char)pf->str[k][0]);
        b1[k] = _mm_set1_epi8((char)pf->str[k][1]);
    }
    while (i + 17 <= end) {
        if (checked && *checked < i + 17 &&
            !bt__re_check_ahead(s, n, checked, i + 17))
            return -2;
        __m128i c0 = _mm_loadu_si128((const __m128i *)(s + i));
        __m128i c1 = _mm_loadu_si128((const __m128i *)(s + i + 1));
        __m128i hit = _mm_setzero_si128();
        for (size_t k = 0; k < pf->n; k++)
            hit = _mm_or_si128(hit, _mm_and_si128(_mm_cmpeq_epi8(c0, b0[k]),
                                                  _mm_cmpeq_epi8(c1, b1[k])));
        unsigned mask = (unsigned)_mm_movemask_epi8(hit);
        while (mask) {
            size_t at = i + (size_t)__builtin_ctz(mask);
            if (verify(pf, s, at, end))
                return (ptrdiff_t)at;
            mask &= mask - 1;
        }
        i += 16;
    }
#endif
    if (checked && *checked < end && !bt__re_check_ahead(s, n, checked, end))
        return -2;
    for (; i + 1 < end; i++)
        if (verify(pf, s, i, end))
            return (ptrdiff_t)i;
    return -1;
}
