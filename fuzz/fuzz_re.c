/*
 * fuzz_re.c — compile any pattern and run it on any subject; the functions
 * must tell one story and never crash or hang (the match limit is set low,
 * so a catastrophic pattern ends as a clear BT_ERUNTIME):
 *
 *  - compile succeeds, or fails with one of re's codes, err.code equal to
 *    the code, a message, and a position inside the pattern (or -1);
 *  - compiling the same pattern again gives the same answer (the cache);
 *  - every span lies in the subject, starts <= ends, on character
 *    boundaries for str patterns, group 0 set; lastindex names a group that
 *    took part (or -1);
 *  - a match() is also the leftmost search() result, a fullmatch() spans
 *    the whole subject; findall, finditer, sub (count) and split agree on
 *    the number of matches; finditer's matches go left to right without
 *    overlapping (two start at one place only as an empty match and then a
 *    non-empty one);
 *  - str subjects that are not UTF-8 are refused with BT_EUNICODE (by
 *    finditer once it reaches the bad bytes).
 *
 * Input: byte 0 picks the flags (bit 0 IGNORECASE, 1 MULTILINE, 2 DOTALL,
 * 3 VERBOSE, 4 ASCII, 5 bytes pattern, 6 LOCALE); then the pattern up to a
 * NUL (at most MAX_PATTERN bytes); then the subject (at most MAX_SUBJECT).
 */
#include <batteries/core.h>
#include <batteries/re.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

enum { MAX_PATTERN = 256, MAX_SUBJECT = 512 };

static void *xdup(const void *p, size_t n)
{
    void *q = malloc(n ? n : 1);
    CHECK(q != NULL);
    if (n)
        memcpy(q, p, n);
    return q;
}

static bool boundary(const char *s, size_t n, ptrdiff_t at)
{
    return (size_t)at == n || ((unsigned char)s[at] & 0xC0) != 0x80;
}

static void check_match(const bt_re_matchobj *m, const char *s, size_t n,
                        bool bytes)
{
    size_t groups = bt_re_pattern_groups(bt_re_match_re(m));
    for (size_t g = 0; g <= groups; g++) {
        ptrdiff_t a, b;
        CHECK(bt_re_match_span(m, g, &a, &b) == 0);
        if (a < 0) {
            CHECK(g > 0 && a == -1 && b == -1);
            CHECK(bt_re_match_group(m, g, NULL, NULL) == 0);
            continue;
        }
        CHECK(a <= b && (size_t)b <= n);
        if (!bytes)
            CHECK(boundary(s, n, a) && boundary(s, n, b));
        const char *t;
        size_t len;
        CHECK(bt_re_match_group(m, g, &t, &len) == 1);
        CHECK(t == s + a && len == (size_t)(b - a));
    }
    CHECK(bt_re_match_span(m, groups + 1, NULL, NULL) == BT_EINDEX);
    ptrdiff_t li = bt_re_match_lastindex(m);
    if (li == BT_ERUNTIME)
        return;
    CHECK(li >= -1 && li <= (ptrdiff_t)groups && li != 0);
    if (li > 0)
        CHECK(bt_re_match_start(m, (size_t)li) >= 0);
}

static bool is_re_code(int rc)
{
    return rc == BT_ERE || rc == BT_EVALUE || rc == BT_EOVERFLOWERR ||
           rc == BT_EUNICODE || rc == BT_ERUNTIME;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    static bool once;
    if (!once) {
        bt_re_set_match_limit(200000);
        once = true;
    }
    uint8_t sel = data[0];
    int flags = 0;
    if (sel & 1)
        flags |= BT_RE_IGNORECASE;
    if (sel & 2)
        flags |= BT_RE_MULTILINE;
    if (sel & 4)
        flags |= BT_RE_DOTALL;
    if (sel & 8)
        flags |= BT_RE_VERBOSE;
    if (sel & 16)
        flags |= BT_RE_ASCII;
    bool bytes = sel & 32;
    if (bytes)
        flags |= BT_RE_BYTES;
    if (sel & 64)
        flags |= BT_RE_LOCALE;
    const uint8_t *p = data + 1;
    size_t rest = size - 1, plen = 0;
    while (plen < rest && plen < MAX_PATTERN && p[plen] != 0)
        plen++;
    size_t skip = plen < rest && p[plen] == 0 ? plen + 1 : plen;
    size_t n = rest - skip;
    if (n > MAX_SUBJECT)
        n = MAX_SUBJECT;
    char *pat = xdup(p, plen);
    char *s = xdup(p + skip, n);

    bt_re_pattern *re = NULL, *again = NULL;
    bt_err err = BT_ERR_INIT, err2 = BT_ERR_INIT;
    int rc = bt_re_compile(pat, plen, flags, &re, &err);
    int rc2 = bt_re_compile(pat, plen, flags, &again, &err2);
    CHECK(rc == rc2);
    if (rc < 0) {
        CHECK(is_re_code(rc) || rc == BT_ENOMEM);
        CHECK(err.code == rc && err.msg[0] != '\0');
        CHECK(err.pos >= -1 && err.pos <= (ptrdiff_t)plen);
        CHECK(strcmp(err.msg, err2.msg) == 0 && err.pos == err2.pos);
        goto out;
    }
    CHECK(re == again);
    bt_re_pattern_free(again);

    /* search, match, fullmatch */
    bt_re_matchobj *ms = NULL, *mm = NULL, *mf = NULL;
    int rs = bt_re_search(re, s, n, &ms, &err);
    if (rs == BT_EUNICODE) {
        CHECK(!bytes && bt_utf8_validate(s, n, NULL) < 0);
        /* the walks fail too; finditer once it gets to the bad bytes */
        bt_strvec v = BT_STRVEC_INIT;
        int rf = (int)bt_re_findall(re, s, n, &v, &err);
        CHECK(rf == BT_EUNICODE || rf == BT_ERUNTIME);
        CHECK(v.count == 0);
        bt_strvec_fini(&v);
        bt_re_iter *it;
        int ri = bt_re_finditer(re, s, n, &it, &err);
        if (ri == 0) {
            const bt_re_matchobj *m;
            while ((ri = bt_re_iter_next(it, &m, &err)) == 1)
                ;
            bt_re_iter_free(it);
        }
        CHECK(ri == BT_EUNICODE || ri == BT_ERUNTIME);
        goto out;
    }
    if (rs == BT_ERUNTIME)
        goto out;
    CHECK(rs == 0 || rs == 1);
    if (rs == 1)
        check_match(ms, s, n, bytes);
    int rm = bt_re_match(re, s, n, &mm, &err);
    if (rm == 1) {
        check_match(mm, s, n, bytes);
        CHECK(rs == 1 && bt_re_match_start(ms, 0) == 0);
        CHECK(bt_re_match_end(ms, 0) == bt_re_match_end(mm, 0));
    } else {
        CHECK(rm == 0 || rm == BT_ERUNTIME);
    }
    int rf = bt_re_fullmatch(re, s, n, &mf, &err);
    if (rf == 1) {
        check_match(mf, s, n, bytes);
        CHECK(bt_re_match_start(mf, 0) == 0 &&
              bt_re_match_end(mf, 0) == (ptrdiff_t)n);
        CHECK(rs == 1);
    } else {
        CHECK(rf == 0 || rf == BT_ERUNTIME);
    }
    bt_re_match_free(ms);
    bt_re_match_free(mm);
    bt_re_match_free(mf);

    /* finditer, findall, sub, split agree */
    bt_re_iter *it;
    CHECK(bt_re_finditer(re, s, n, &it, &err) == 0);
    const bt_re_matchobj *m;
    ptrdiff_t count = 0, prev_end = -1, prev_start = -1;
    int ri;
    while ((ri = bt_re_iter_next(it, &m, &err)) == 1) {
        check_match(m, s, n, bytes);
        ptrdiff_t a = bt_re_match_start(m, 0), b = bt_re_match_end(m, 0);
        /* after an empty match, a non-empty one may start at the same
         * place (Python 3.7+) */
        CHECK(a >= prev_end);
        if (a == prev_start)
            CHECK(prev_end == prev_start && b > a);
        prev_start = a;
        prev_end = b;
        count++;
    }
    bt_re_iter_free(it);
    if (ri == BT_ERUNTIME)
        goto out;
    CHECK(ri == 0);
    CHECK((count > 0) == (rs == 1));
    bt_strvec v = BT_STRVEC_INIT;
    ptrdiff_t k = bt_re_findall(re, s, n, &v, &err);
    if (k != BT_ERUNTIME) {
        CHECK(k == count);
        size_t groups = bt_re_pattern_groups(re);
        CHECK(v.count == (size_t)count * (groups ? groups : 1));
    }
    bt_strvec_clear(&v);
    bt_buf out = BT_BUF_INIT;
    k = bt_re_sub(re, "", 0, s, n, 0, &out, &err);
    if (k != BT_ERUNTIME)
        CHECK(k == count && out.len <= n);
    bt_buf_fini(&out);
    k = bt_re_split(re, s, n, 0, &v, &err);
    if (k != BT_ERUNTIME)
        CHECK(k == (ptrdiff_t)v.count &&
              v.count == 1 + (size_t)count * (bt_re_pattern_groups(re) + 1));
    bt_strvec_fini(&v);
out:
    bt_re_pattern_free(re);
    free(pat);
    free(s);
    return 0;
}
