/*
 * utf8.c — UTF-8 validation and decoding with the exact error positions and
 * reasons of CPython's strict decoder (Objects/stringlib/codecs.h).
 */
#include <stdio.h>
#include <string.h>

#include "core_int.h"
#include "unicode_tables.h"

static const char reason_start[] = "invalid start byte";
static const char reason_cont[] = "invalid continuation byte";
static const char reason_end[] = "unexpected end of data";

static inline bool is_cont(unsigned char c)
{
    return (c & 0xC0) == 0x80;
}

size_t bt__utf8_seq(const unsigned char *s, size_t n, size_t *bad_len,
                    const char **reason)
{
    unsigned char c = s[0];
    size_t need;
    unsigned char lo = 0x80, hi = 0xBF; /* allowed range of the 2nd byte */
    if (c >= 0xC2 && c <= 0xDF) {
        need = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 3;
        if (c == 0xE0)
            lo = 0xA0; /* no overlongs */
        else if (c == 0xED)
            hi = 0x9F; /* no surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 4;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F; /* nothing above U+10FFFF */
    } else {
        *bad_len = 1;
        *reason = reason_start;
        return 0;
    }
    /* CPython reports the maximal valid prefix: the bad part ends at the
     * first byte that cannot continue the sequence, or at the end of data. */
    for (size_t k = 1; k < need; k++) {
        if (k >= n) {
            *bad_len = n;
            *reason = reason_end;
            return 0;
        }
        unsigned char d = s[k];
        bool ok = (k == 1) ? (d >= lo && d <= hi) : is_cont(d);
        if (!ok) {
            *bad_len = k;
            *reason = reason_cont;
            return 0;
        }
    }
    return need;
}

/* Length of the ASCII prefix of s[0..n), 16 bytes at a time. */
static size_t ascii_prefix(const unsigned char *s, size_t n)
{
    size_t i = 0;
    const uint64_t high = 0x8080808080808080ULL;
    while (i + 32 <= n) {
        uint64_t a, b, c, d;
        memcpy(&a, s + i, 8);
        memcpy(&b, s + i + 8, 8);
        memcpy(&c, s + i + 16, 8);
        memcpy(&d, s + i + 24, 8);
        if ((a | b | c | d) & high)
            break;
        i += 32;
    }
    while (i + 8 <= n) {
        uint64_t a;
        memcpy(&a, s + i, 8);
        if (a & high)
            break;
        i += 8;
    }
    while (i < n && s[i] < 0x80)
        i++;
    return i;
}

/* The sequence-by-sequence check that finds and words the first error. */
static int validate_precise(const void *p, size_t n, bt_err *err)
{
    const unsigned char *s = p;
    size_t i = 0;
    while (i < n) {
        if (s[i] < 0x80) {
            i += ascii_prefix(s + i, n - i);
            continue;
        }
        size_t bad;
        const char *reason;
        size_t k = bt__utf8_seq(s + i, n - i, &bad, &reason);
        if (BT__LIKELY(k)) {
            i += k;
            continue;
        }
        if (bad == 1)
            return bt_err_setf(err, BT_EUNICODE, (ptrdiff_t)i,
                               "'utf-8' codec can't decode byte 0x%02x in "
                               "position %zu: %s",
                               s[i], i, reason);
        return bt_err_setf(err, BT_EUNICODE, (ptrdiff_t)i,
                           "'utf-8' codec can't decode bytes in position "
                           "%zu-%zu: %s",
                           i, i + bad - 1, reason);
    }
    return 0;
}

/*
 * Well-formedness through the shift-DFA generated from CPython's decoder
 * (tools/gen_unicode.py): one table load and one shift per byte, no branch
 * per sequence, so mixed scripts cost what ASCII-free text costs. ASCII runs
 * are skipped a word at a time between blocks.
 */
static bool dfa_valid(const unsigned char *s, size_t n)
{
    uint64_t state = 0;
    size_t i = 0;
    while (i < n) {
        if ((state & 63) == 0) {
            i += ascii_prefix(s + i, n - i);
            if (i >= n)
                break;
        }
        size_t end = BT__MIN(n, i + 64);
        for (; i < end; i++)
            state = bt__utf8_dfa[s[i]] >> (state & 63);
        if ((state & 63) == 6)
            return false;
    }
    return (state & 63) == 0;
}

int bt_utf8_validate(const void *p, size_t n, bt_err *err)
{
    if (BT__LIKELY(dfa_valid(p, n)))
        return 0;
    return validate_precise(p, n, err);
}

int32_t bt_utf8_decode(const void *p, size_t n, size_t *adv)
{
    const unsigned char *s = p;
    if (s[0] < 0x80) {
        *adv = 1;
        return s[0];
    }
    size_t bad;
    const char *reason;
    size_t k = bt__utf8_seq(s, n, &bad, &reason);
    if (!k) {
        *adv = bad;
        return -1;
    }
    *adv = k;
    if (k == 2)
        return (int32_t)(((s[0] & 0x1Fu) << 6) | (s[1] & 0x3Fu));
    if (k == 3)
        return (int32_t)(((s[0] & 0x0Fu) << 12) | ((s[1] & 0x3Fu) << 6) |
                         (s[2] & 0x3Fu));
    return (int32_t)(((s[0] & 0x07u) << 18) | ((s[1] & 0x3Fu) << 12) |
                     ((s[2] & 0x3Fu) << 6) | (s[3] & 0x3Fu));
}

size_t bt_utf8_encode(uint32_t cp, char out[4])
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        if (cp >= 0xD800 && cp <= 0xDFFF)
            return 0;
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    if (cp <= 0x10FFFF) {
        out[0] = (char)(0xF0 | (cp >> 18));
        out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[3] = (char)(0x80 | (cp & 0x3F));
        return 4;
    }
    return 0;
}

ptrdiff_t bt_utf8_count(const void *p, size_t n)
{
    const unsigned char *s = p;
    if (!dfa_valid(s, n))
        return BT_EUNICODE;
    /* Well-formed: every byte but a continuation byte starts a character
     * (a loop the compiler vectorizes). */
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
        count += (s[i] & 0xC0) != 0x80;
    return (ptrdiff_t)count;
}
