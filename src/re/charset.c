/*
 * charset.c — CPython 3.11's character predicates as the re module uses
 * them (tables from gen_tables.py): sre's lowercase and uppercase, \w \d \s,
 * str.isalpha(), str.isidentifier(), digit values for int(), and
 * unicodedata.lookup for \N{NAME}.
 */
#include <string.h>

#include "re_int.h"

static const bt__re_map *find_map(const bt__re_map *v, size_t n, uint32_t c)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid].cp < c)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && v[lo].cp == c ? &v[lo] : NULL;
}

uint32_t bt__re_lower_uni(uint32_t c)
{
    if (c < 128)
        return c >= 'A' && c <= 'Z' ? c + 32 : c;
    const bt__re_map *m = find_map(bt__re_lower, bt__re_lower_n, c);
    return m ? m->to : c;
}

uint32_t bt__re_upper_uni(uint32_t c)
{
    if (c < 128)
        return c >= 'a' && c <= 'z' ? c - 32 : c;
    const bt__re_map *m = find_map(bt__re_upper, bt__re_upper_n, c);
    return m ? m->to : c;
}

/* Index of the range holding c, or -1. */
static ptrdiff_t range_index(const bt__re_range *r, size_t n, uint32_t c)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (r[mid].hi < c)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && r[lo].lo <= c ? (ptrdiff_t)lo : -1;
}

bool bt__re_in_ranges(const bt__re_range *r, size_t n, uint32_t c)
{
    return range_index(r, n, c) >= 0;
}

bool bt__re_is_word_uni(uint32_t c)
{
    if (c < 128)
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
               (c >= '0' && c <= '9') || c == '_';
    return bt__re_in_ranges(bt__re_word, bt__re_word_n, c);
}

bool bt__re_is_digit_uni(uint32_t c)
{
    if (c < 128)
        return c >= '0' && c <= '9';
    return bt__re_in_ranges(bt__re_digit, bt__re_digit_n, c);
}

bool bt__re_is_space_uni(uint32_t c)
{
    return bt__re_in_ranges(bt__re_space, bt__re_space_n, c);
}

bool bt__re_is_alpha(uint32_t c)
{
    return bt__re_in_ranges(bt__re_alpha, bt__re_alpha_n, c);
}

bool bt__re_is_identifier(const uint32_t *s, size_t n)
{
    if (n == 0)
        return false;
    if (!bt__re_in_ranges(bt__re_xid_start, bt__re_xid_start_n, s[0]))
        return false;
    for (size_t i = 1; i < n; i++)
        if (!bt__re_in_ranges(bt__re_xid_cont, bt__re_xid_cont_n, s[i]))
            return false;
    return true;
}

int bt__re_digit_value(uint32_t c)
{
    ptrdiff_t i = range_index(bt__re_digit, bt__re_digit_n, c);
    if (i < 0)
        return -1;
    return (int)((c - bt__re_digit[i].lo) % 10);
}

/* ----------------------------------------------------------------- names */

/* The word (NUL-terminated in the table) at offset off, compared with
 * w[0..n): <0, 0, >0 like strcmp. */
static int word_cmp(size_t off, const char *w, size_t n)
{
    const unsigned char *t = bt__re_word_text + off;
    for (size_t i = 0; i < n; i++) {
        if (t[i] == 0)
            return -1;
        if (t[i] != (unsigned char)w[i])
            return t[i] < (unsigned char)w[i] ? -1 : 1;
    }
    return t[n] == 0 ? 0 : 1;
}

/* The code of a word, or 0 when no name uses it. */
static unsigned word_code(const char *w, size_t n)
{
    size_t buckets = (bt__re_nwords + 7) / 8;
    size_t lo = 0, hi = buckets;
    /* the last bucket whose first word is <= w */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (word_cmp(bt__re_word_off[mid], w, n) <= 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return 0;
    size_t b = lo - 1, off = bt__re_word_off[b];
    for (size_t k = b * 8; k < bt__re_nwords && k < b * 8 + 8; k++) {
        int c = word_cmp(off, w, n);
        if (c == 0)
            return bt__re_word_code[k];
        if (c > 0)
            return 0;
        off += strlen((const char *)bt__re_word_text + off) + 1;
    }
    return 0;
}

/* Compares the NUL-terminated sequence at off with q[0..n). */
static int seq_cmp(size_t off, const unsigned char *q, size_t n)
{
    const unsigned char *t = bt__re_name_seq + off;
    for (size_t i = 0; i < n; i++) {
        if (t[i] != q[i])
            return t[i] < q[i] ? -1 : 1; /* t[i] == 0 sorts first */
    }
    return t[n] == 0 ? 0 : 1;
}

static int32_t table_lookup(const char *name, size_t len)
{
    unsigned char q[512];
    size_t qn = 0;
    char word[128];
    size_t i = 0;
    while (i <= len) {
        size_t j = i;
        while (j < len && name[j] != ' ')
            j++;
        size_t wn = j - i;
        if (wn == 0 || wn >= sizeof word)
            return -1;
        for (size_t k = 0; k < wn; k++) {
            char c = name[i + k];
            word[k] = (char)(c >= 'a' && c <= 'z' ? c - 32 : c);
        }
        unsigned code = word_code(word, wn);
        if (!code)
            return -1;
        do {
            if (qn + 1 >= sizeof q)
                return -1;
            unsigned b = code & 0x7F;
            code >>= 7;
            q[qn++] = (unsigned char)(b | (code ? 0x80 : 0));
        } while (code);
        i = j + 1;
    }
    size_t buckets = (bt__re_nnames + 15) / 16;
    size_t lo = 0, hi = buckets;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (seq_cmp(bt__re_name_off[mid], q, qn) <= 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return -1;
    size_t b = lo - 1, off = bt__re_name_off[b];
    for (size_t k = b * 16; k < bt__re_nnames && k < b * 16 + 16; k++) {
        int c = seq_cmp(off, q, qn);
        if (c == 0) {
            const unsigned char *cp = bt__re_name_cp + 3 * k;
            return (int32_t)(cp[0] | cp[1] << 8 | cp[2] << 16);
        }
        if (c > 0)
            return -1;
        off += strlen((const char *)bt__re_name_seq + off) + 1;
    }
    return -1;
}

/* find_syllable: the longest jamo name at s (case-sensitive). */
static size_t syllable(const char *s, size_t n, const char *const *names,
                       int count, int *pos)
{
    int best = -1;
    size_t blen = 0;
    for (int i = 0; i < count; i++) {
        size_t l = strlen(names[i]);
        if ((best >= 0 && l <= blen) || l > n)
            continue;
        if (memcmp(s, names[i], l) == 0) {
            best = i;
            blen = l;
        }
    }
    *pos = best;
    return best < 0 ? 0 : blen;
}

int32_t bt__re_lookup_name(const char *name, size_t len)
{
    if (len >= 16 && memcmp(name, "HANGUL SYLLABLE ", 16) == 0) {
        const char *s = name + 16;
        size_t n = len - 16;
        int L, V, T;
        size_t k = syllable(s, n, bt__re_jamo_l, 19, &L);
        k += syllable(s + k, n - k, bt__re_jamo_v, 21, &V);
        k += syllable(s + k, n - k, bt__re_jamo_t, 28, &T);
        if (L < 0 || V < 0 || T < 0 || k != n)
            return -1;
        return 0xAC00 + (L * 21 + V) * 28 + T;
    }
    if (len >= 22 && memcmp(name, "CJK UNIFIED IDEOGRAPH-", 22) == 0) {
        size_t n = len - 22;
        if (n != 4 && n != 5)
            return -1;
        uint32_t v = 0;
        for (size_t i = 22; i < len; i++) {
            char c = name[i];
            if (c >= '0' && c <= '9')
                v = v * 16 + (uint32_t)(c - '0');
            else if (c >= 'A' && c <= 'F')
                v = v * 16 + (uint32_t)(c - 'A' + 10);
            else
                return -1;
        }
        return bt__re_in_ranges(bt__re_cjk, bt__re_cjk_n, v) ? (int32_t)v : -1;
    }
    return table_lookup(name, len);
}
