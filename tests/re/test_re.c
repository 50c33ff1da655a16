/* re: each public function, its failure cases, the notes' examples, the
 * cache, limits, invalid UTF-8 and allocation failures. Expected values are
 * Python 3.11's (checked by hand in the interpreter). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <batteries/re.h>

#include "bt_test.h"

static bt_re_pattern *compile(const char *pat, int flags)
{
    bt_re_pattern *p = NULL;
    bt_err err = BT_ERR_INIT;
    int rc = bt_re_compile(pat, BT_RE_NTS, flags, &p, &err);
    cr_assert_eq(rc, 0, "compile %s: %s", pat, err.msg);
    return p;
}

static void expect_group(const bt_re_matchobj *m, size_t g, const char *want)
{
    const char *s;
    size_t n;
    int rc = bt_re_match_group(m, g, &s, &n);
    if (!want) {
        cr_expect_eq(rc, 0, "group %zu should be None", g);
        cr_expect_null(s);
        return;
    }
    cr_assert_eq(rc, 1, "group %zu", g);
    cr_expect(n == strlen(want) && memcmp(s, want, n) == 0,
              "group %zu: '%.*s' want '%s'", g, (int)n, s, want);
}

/* ------------------------------------------------------------- the notes */

Test(re, notes_spam_group_and_span)
{
    bt_re_pattern *p = compile("spam:(?P<spam>[a-z]+)", 0);
    bt_re_matchobj *m;
    bt_err err = BT_ERR_INIT;
    cr_assert_eq(bt_re_search(p, "this is spam:egg", BT_RE_NTS, &m, &err), 1);
    expect_group(m, 0, "spam:egg");
    expect_group(m, 1, "egg");
    const char *s;
    size_t n;
    cr_assert_eq(bt_re_match_group_name(m, "spam", BT_RE_NTS, &s, &n), 1);
    cr_expect(n == 3 && memcmp(s, "egg", 3) == 0);
    ptrdiff_t a, b;
    cr_assert_eq(bt_re_match_span(m, 1, &a, &b), 0);
    cr_expect_eq(a, 13);
    cr_expect_eq(b, 16);
    cr_expect_eq(bt_re_pattern_groupindex(p, "spam", 4), 1);
    bt_re_match_free(m);
    bt_re_pattern_free(p);
    bt_re_purge();
}

Test(re, notes_match_and_search)
{
    bt_re_pattern *p = compile("a.*a", 0);
    bt_re_matchobj *m;
    cr_assert_eq(bt_re_match(p, "alphabet", 8, &m, NULL), 1);
    expect_group(m, 0, "alpha");
    bt_re_match_free(m);
    bt_re_pattern_free(p);
    p = compile("h.*t", 0);
    cr_expect_eq(bt_re_match(p, "alphabet", 8, &m, NULL), 0);
    cr_expect_null(m);
    cr_assert_eq(bt_re_search(p, "alphabet", 8, &m, NULL), 1);
    cr_expect_eq(bt_re_match_start(m, 0), 3);
    cr_expect_eq(bt_re_match_end(m, 0), 8);
    bt_re_match_free(m);
    bt_re_pattern_free(p);
    p = compile("l(.*)e", 0);
    cr_assert_eq(bt_re_search(p, "alphabet", 8, &m, NULL), 1);
    size_t len;
    cr_expect_eq(bt_re_pattern_pattern(bt_re_match_re(m), &len),
                 bt_re_pattern_pattern(p, NULL));
    cr_expect_str_eq(bt_re_match_string(m, &len), "alphabet");
    cr_expect_eq(bt_re_match_start(m, 0), 1);
    cr_expect_eq(bt_re_match_end(m, 0), 7);
    expect_group(m, 1, "phab");
    bt_re_match_free(m);
    bt_re_pattern_free(p);
    bt_re_purge();
}

static int scale(const bt_re_matchobj *m, bt_buf *out, void *ctx)
{
    (void)ctx;
    const char *s;
    size_t n;
    if (bt_re_match_group_name(m, "coord", BT_RE_NTS, &s, &n) != 1)
        return BT_EVALUE;
    return bt_buf_printf(out, "X:%d", atoi(s) * 3);
}

Test(re, notes_sub_with_a_function)
{
    /* The notes' pattern has spaces ('X: (?P<coord>[0-9]+) ') and matches
     * nothing in " X:22 Y:55", so Python leaves it as is; without them it
     * gives the output the notes show. */
    bt_re_pattern *p = compile("X: (?P<coord>[0-9]+) ", 0);
    bt_buf out = BT_BUF_INIT;
    cr_assert_eq(
        bt_re_sub_fn(p, scale, NULL, " X:22 Y:55", BT_RE_NTS, 0, &out, NULL),
        0);
    cr_expect_str_eq(out.data, " X:22 Y:55");
    bt_re_pattern_free(p);
    bt_buf_clear(&out);
    p = compile("X:(?P<coord>[0-9]+)", 0);
    cr_assert_eq(
        bt_re_sub_fn(p, scale, NULL, " X:22 Y:55", BT_RE_NTS, 0, &out, NULL),
        1);
    cr_expect_str_eq(out.data, " X:66 Y:55");
    bt_buf_fini(&out);
    bt_re_pattern_free(p);
    bt_re_purge();
}

Test(re, notes_greedy_and_lazy)
{
    const char *text = "<a href='l1'>some text</a>  \n"
                       "      <a href='l2'>more text</a>";
    bt_re_pattern *greedy = compile("l1'>(.*)</a>", BT_RE_DOTALL);
    bt_re_pattern *lazy = compile("l1'>(.*?)</a>", 0);
    bt_re_matchobj *m;
    cr_assert_eq(bt_re_search(greedy, text, BT_RE_NTS, &m, NULL), 1);
    expect_group(m, 1, "some text</a>  \n      <a href='l2'>more text");
    bt_re_match_free(m);
    cr_assert_eq(bt_re_search(lazy, text, BT_RE_NTS, &m, NULL), 1);
    expect_group(m, 1, "some text");
    bt_re_match_free(m);
    bt_re_pattern_free(greedy);
    bt_re_pattern_free(lazy);
    bt_re_purge();
}

Test(re, notes_poem_substitution)
{
    bt_re_pattern *p = compile("the", 0);
    bt_buf out = BT_BUF_INIT;
    const char *line = "Though as for that the passing there";
    cr_assert_eq(bt_re_search(p, line, BT_RE_NTS, NULL, NULL), 1);
    cr_expect_eq(bt_re_sub(p, "---", BT_RE_NTS, line, BT_RE_NTS, 0, &out, NULL),
                 2);
    cr_expect_str_eq(out.data, "Though as for that --- passing ---re");
    bt_buf_fini(&out);
    bt_re_pattern_free(p);
    bt_re_purge();
}

/* --------------------------------------------------------------- compile */

Test(re, compile_errors_carry_message_and_byte_position)
{
    bt_re_pattern *p = (bt_re_pattern *)1;
    bt_err err = BT_ERR_INIT;
    cr_expect_eq(bt_re_compile("(abc", BT_RE_NTS, 0, &p, &err), BT_ERE);
    cr_expect_null(p);
    cr_expect_str_eq(err.msg,
                     "missing ), unterminated subpattern at position 0");
    cr_expect_eq(err.pos, 0);
    /* the message counts characters, err.pos bytes */
    cr_expect_eq(bt_re_compile("\xc3\xa9\xc3\xa9\\q", BT_RE_NTS, 0, &p, &err),
                 BT_ERE);
    cr_expect_str_eq(err.msg, "bad escape \\q at position 2");
    cr_expect_eq(err.pos, 4);
    cr_expect_eq(bt_re_compile("(?<=a+)b", BT_RE_NTS, 0, &p, &err), BT_ERE);
    cr_expect_str_eq(err.msg, "look-behind requires fixed-width pattern");
    cr_expect_eq(err.pos, -1);
    cr_expect_eq(bt_re_compile("a", 1, BT_RE_LOCALE, &p, &err), BT_EVALUE);
    cr_expect_str_eq(err.msg, "cannot use LOCALE flag with a str pattern");
    cr_expect_eq(bt_re_compile("a{4294967295}", BT_RE_NTS, 0, &p, &err),
                 BT_EOVERFLOWERR);
    cr_expect_str_eq(err.msg, "the repetition number is too large");
    /* not UTF-8: UnicodeDecodeError with the byte */
    cr_expect_eq(bt_re_compile("a\xff", 2, 0, &p, &err), BT_EUNICODE);
    cr_expect_eq(err.pos, 1);
    /* ... but fine as bytes */
    cr_expect_eq(bt_re_compile("a\xff", 2, BT_RE_BYTES, &p, &err), 0);
    bt_re_pattern_free(p);
    /* nesting past Python's recursion limit */
    char deep[2100];
    memset(deep, '(', 1000);
    memset(deep + 1000, ')', 1000);
    deep[2000] = 0;
    cr_expect_eq(bt_re_compile(deep, BT_RE_NTS, 0, &p, &err), BT_ERUNTIME);
    cr_expect_str_eq(err.msg, "maximum recursion depth exceeded");
    bt_re_purge();
}

Test(re, compile_deviations_are_clear_errors)
{
    bt_re_pattern *p;
    bt_err err = BT_ERR_INIT;
    cr_expect_eq(bt_re_compile("a{70000}", BT_RE_NTS, 0, &p, &err), BT_ERE);
    cr_expect(strstr(err.msg, "65535") != NULL, "%s", err.msg);
    bt_re_purge();
}

Test(re, cache_returns_the_same_pattern)
{
    bt_re_pattern *a = compile("ca(ch)e", 0), *b = compile("ca(ch)e", 0);
    bt_re_pattern *c = compile("ca(ch)e", BT_RE_I);
    bt_re_pattern *d = compile("ca(ch)e", BT_RE_BYTES);
    cr_expect_eq(a, b);
    cr_expect_neq(a, c);
    cr_expect_neq(a, d);
    cr_expect_eq(bt_re_pattern_flags(c), BT_RE_I | BT_RE_U);
    cr_expect_eq(bt_re_pattern_flags(d), 0);
    /* DEBUG patterns are not cached (and nothing is printed) */
    bt_re_pattern *e = compile("x", BT_RE_DEBUG),
                  *f = compile("x", BT_RE_DEBUG);
    cr_expect_neq(e, f);
    bt_re_pattern_free(e);
    bt_re_pattern_free(f);
    /* the oldest entry goes first when the cache is full */
    for (int i = 0; i < 600; i++) {
        char pat[32];
        snprintf(pat, sizeof pat, "filler%d", i);
        bt_re_pattern_free(compile(pat, 0));
    }
    bt_re_pattern *g = compile("ca(ch)e", 0);
    cr_expect_neq(g, a, "evicted after 512 newer patterns");
    bt_re_pattern_free(g);
    /* purge leaves patterns held elsewhere usable */
    bt_re_purge();
    cr_expect_eq(bt_re_search(a, "cache", 5, NULL, NULL), 1);
    bt_re_pattern_free(a);
    bt_re_pattern_free(b);
    bt_re_pattern_free(c);
    bt_re_pattern_free(d);
    bt_re_pattern_free(NULL);
    bt_re_purge();
}

Test(re, pattern_attributes)
{
    bt_re_pattern *p = compile("(?P<year>\\d+)-(\\d+)-(?P<day>\\d+)", BT_RE_X);
    size_t len;
    cr_expect_str_eq(bt_re_pattern_pattern(p, &len),
                     "(?P<year>\\d+)-(\\d+)-(?P<day>\\d+)");
    cr_expect_eq(len, strlen("(?P<year>\\d+)-(\\d+)-(?P<day>\\d+)"));
    cr_expect_eq(bt_re_pattern_flags(p), BT_RE_X | BT_RE_U);
    cr_expect_eq(bt_re_pattern_groups(p), 3);
    cr_expect_not(bt_re_pattern_is_bytes(p));
    cr_expect_eq(bt_re_pattern_groupindex(p, "year", BT_RE_NTS), 1);
    cr_expect_eq(bt_re_pattern_groupindex(p, "day", 3), 3);
    cr_expect_eq(bt_re_pattern_groupindex(p, "month", BT_RE_NTS), BT_EKEY);
    cr_expect_str_eq(bt_re_pattern_group_name(p, 1, &len), "year");
    cr_expect_null(bt_re_pattern_group_name(p, 2, &len));
    cr_expect_null(bt_re_pattern_group_name(p, 0, &len));
    cr_expect_null(bt_re_pattern_group_name(p, 4, &len));
    bt_re_pattern_free(p);
    bt_re_purge();
}

/* ---------------------------------------------------------------- match */

Test(re, subjects_must_be_utf8_for_str_patterns)
{
    bt_re_pattern *p = compile("a", 0);
    bt_re_matchobj *m = (bt_re_matchobj *)1;
    bt_err err = BT_ERR_INIT;
    cr_expect_eq(bt_re_search(p, "xa\xc3", 3, &m, &err), BT_EUNICODE);
    cr_expect_null(m);
    cr_expect_eq(err.pos, 2);
    cr_expect_str_eq(err.msg, "'utf-8' codec can't decode byte 0xc3 in "
                              "position 2: unexpected end of data");
    cr_expect_eq(bt_re_match(p, "\xed\xa0\x80", 3, &m, &err), BT_EUNICODE);
    cr_expect_eq(bt_re_fullmatch(p, "\xff", 1, &m, &err), BT_EUNICODE);
    bt_strvec v = BT_STRVEC_INIT;
    cr_expect_eq(bt_re_findall(p, "\xff", 1, &v, &err), BT_EUNICODE);
    cr_expect_eq(v.count, 0);
    cr_expect_eq(bt_re_split(p, "a\xff", 2, 0, &v, &err), BT_EUNICODE);
    cr_expect_eq(v.count, 0);
    /* finditer checks as it goes, a few kilobytes ahead of the matches:
     * the error comes from bt_re_iter_next, after the matches before */
    char *big = malloc(20001);
    memset(big, 'x', 20000);
    big[0] = 'a';
    big[20000] = '\xff';
    bt_re_iter *it;
    cr_assert_eq(bt_re_finditer(p, big, 20001, &it, &err), 0);
    const bt_re_matchobj *im;
    cr_expect_eq(bt_re_iter_next(it, &im, &err), 1);
    cr_expect_eq(bt_re_iter_next(it, &im, &err), BT_EUNICODE);
    cr_expect_eq(err.pos, 20000);
    cr_expect_eq(bt_re_iter_next(it, &im, &err), 0);
    bt_re_iter_free(it);
    free(big);
    /* ... also before pos, and when nothing can match */
    cr_assert_eq(bt_re_finditer_range(p, "\xff a", 3, 1, 3, &it, &err),
                 BT_EUNICODE);
    cr_expect_eq(bt_re_findall_range(p, "a\xff", 2, 2, 1, &v, &err),
                 BT_EUNICODE);
    bt_re_pattern_free(p);
    p = compile("b", 0);
    cr_expect_eq(bt_re_findall(p, "aaaa\xff", 5, &v, &err), BT_EUNICODE);
    cr_expect_eq(bt_re_split(p, "b\xff", 2, 1, &v, &err), BT_EUNICODE,
                 "even after maxsplit");
    cr_expect_eq(v.count, 0);
    bt_buf out = BT_BUF_INIT;
    cr_expect_eq(bt_re_sub(p, "b", 1, "a\xff", 2, 0, &out, &err), BT_EUNICODE);
    cr_expect_eq(bt_re_sub(p, "\xff", 1, "a", 1, 0, &out, &err), BT_EUNICODE);
    cr_expect_eq(out.len, 0);
    bt_re_pattern_free(p);
    /* a bytes pattern takes any bytes */
    p = compile("\\xff", BT_RE_BYTES);
    cr_expect_eq(bt_re_search(p, "a\xff", 2, NULL, &err), 1);
    bt_re_pattern_free(p);
    bt_re_purge();
}

Test(re, utf8_check_agrees_with_the_decoder)
{
    /* Random mixes of ASCII, two-, three- and four-byte sequences and
     * broken ones, across the 16-byte blocks the fast check works in. */
    static const char *parts[] = {
        "a",        "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80",
        "\x80",     "\xc3",     "\xe2\x82",     "\xed\xa0\x80",
        "\xc0\xaf", "\xff",     "\xdf\xbf",     "\xc2\x80"};
    bt_re_pattern *p = compile("x", 0);
    unsigned seed = 7;
    char buf[300];
    for (int round = 0; round < 4000; round++) {
        size_t n = 0;
        int pieces = (int)((seed = seed * 1103515245u + 12345u) >> 16) % 80;
        for (int k = 0; k < pieces; k++) {
            seed = seed * 1103515245u + 12345u;
            unsigned r = (seed >> 16) % 100;
            /* mostly ASCII and two-byte letters, a few of the rest */
            const char *part = r < 60   ? parts[0]
                               : r < 85 ? parts[1]
                               : r < 97 ? parts[2 + (r % 2)]
                                        : parts[4 + (seed >> 8) % 8];
            size_t len = strlen(part);
            memcpy(buf + n, part, len);
            n += len;
        }
        bt_err e1 = BT_ERR_INIT, e2 = BT_ERR_INIT;
        int want = bt_utf8_validate(buf, n, &e1);
        int got = bt_re_search(p, buf, n, NULL, &e2);
        cr_assert_eq(got < 0 ? got : 0, want, "round %d", round);
        if (want < 0)
            cr_assert_eq(e2.pos, e1.pos);
    }
    bt_re_pattern_free(p);
    bt_re_purge();
}

Test(re, pos_and_endpos)
{
    bt_re_pattern *p = compile("^\\w", 0);
    bt_re_matchobj *m;
    bt_err err = BT_ERR_INIT;
    /* ^ is the real start of the string, not pos */
    cr_expect_eq(bt_re_search_range(p, "ab", 2, 1, BT_RE_END, &m, &err), 0);
    bt_re_pattern_free(p);
    p = compile("\\w", 0);
    cr_assert_eq(bt_re_search_range(p, "\xc3\xa9\xc3\xa9", 4, 2, 100, &m, &err),
                 1);
    cr_expect_eq(bt_re_match_pos(m), 2);
    cr_expect_eq(bt_re_match_endpos(m), 4, "endpos is clamped");
    cr_expect_eq(bt_re_match_start(m, 0), 2);
    cr_expect_eq(bt_re_char_index("\xc3\xa9\xc3\xa9", 4, 2), 1);
    bt_re_match_free(m);
    /* positions inside a character */
    cr_expect_eq(bt_re_search_range(p, "\xc3\xa9", 2, 1, 2, &m, &err),
                 BT_EVALUE);
    cr_expect_eq(err.pos, 1);
    cr_expect_eq(bt_re_match_range(p, "\xc3\xa9", 2, 0, 1, &m, &err),
                 BT_EVALUE);
    bt_re_iter *it;
    cr_expect_eq(bt_re_finditer_range(p, "\xc3\xa9", 2, 1, 2, &it, &err),
                 BT_EVALUE);
    bt_strvec v = BT_STRVEC_INIT;
    cr_expect_eq(bt_re_findall_range(p, "\xc3\xa9", 2, 0, 1, &v, &err),
                 BT_EVALUE);
    /* endpos before pos: no match (Python's documented rule) */
    cr_expect_eq(bt_re_search_range(p, "abc", 3, 2, 1, &m, &err), 0);
    cr_expect_eq(bt_re_fullmatch_range(p, "abc", 3, 2, 1, &m, &err), 0);
    cr_expect_eq(bt_re_findall_range(p, "abc", 3, 2, 1, &v, &err), 0);
    /* fullmatch must end at endpos */
    cr_expect_eq(bt_re_fullmatch_range(p, "abc", 3, 1, 2, &m, &err), 1);
    cr_expect_eq(bt_re_match_end(m, 0), 2);
    bt_re_match_free(m);
    bt_strvec_fini(&v);
    bt_re_pattern_free(p);
    bt_re_purge();
}

Test(re, match_object_accessors)
{
    bt_re_pattern *p = compile("(?P<a>x)(?P<b>y)?(z)", 0);
    bt_re_matchobj *m, *c;
    cr_assert_eq(bt_re_search(p, "-xz", 3, &m, NULL), 1);
    expect_group(m, 1, "x");
    expect_group(m, 2, NULL);
    expect_group(m, 3, "z");
    cr_expect_eq(bt_re_match_group(m, 4, NULL, NULL), BT_EINDEX);
    const char *s;
    size_t n;
    cr_expect_eq(bt_re_match_group_name(m, "c", 1, &s, &n), BT_EINDEX);
    cr_expect_eq(bt_re_match_group_name(m, "b", 1, &s, &n), 0);
    ptrdiff_t a, b;
    cr_expect_eq(bt_re_match_span(m, 2, &a, &b), 0);
    cr_expect(a == -1 && b == -1);
    cr_expect_eq(bt_re_match_span(m, 9, &a, &b), BT_EINDEX);
    cr_expect_eq(bt_re_match_start(m, 9), BT_EINDEX);
    cr_expect_eq(bt_re_match_end(m, 2), -1);
    cr_expect_eq(bt_re_match_lastindex(m), 3);
    cr_expect_null(bt_re_match_lastgroup(m, &n));

    bt_strvec v = BT_STRVEC_INIT;
    cr_assert_eq(bt_re_match_groups(m, "-", 1, &v), 0);
    cr_assert_eq(v.count, 3);
    cr_expect_str_eq(v.items[0], "x");
    cr_expect_str_eq(v.items[1], "-");
    cr_expect_str_eq(v.items[2], "z");
    bt_strvec_clear(&v);
    cr_assert_eq(bt_re_match_groupdict(m, NULL, 0, &v), 0);
    cr_assert_eq(v.count, 4);
    cr_expect_str_eq(v.items[0], "a");
    cr_expect_str_eq(v.items[1], "x");
    cr_expect_str_eq(v.items[2], "b");
    cr_expect_str_eq(v.items[3], "");
    bt_strvec_clear(&v);
    size_t want[] = {0, 3, 2};
    cr_assert_eq(bt_re_match_group_many(m, want, 3, "None", BT_RE_NTS, &v), 0);
    cr_expect_str_eq(v.items[0], "xz");
    cr_expect_str_eq(v.items[1], "z");
    cr_expect_str_eq(v.items[2], "None");
    size_t bad[] = {1, 7};
    cr_expect_eq(bt_re_match_group_many(m, bad, 2, NULL, 0, &v), BT_EINDEX);
    cr_expect_eq(v.count, 3, "unchanged on error");
    bt_strvec_fini(&v);

    bt_buf out = BT_BUF_INIT;
    bt_err err = BT_ERR_INIT;
    cr_assert_eq(
        bt_re_match_expand(m, "<\\g<a>|\\2|\\3>", BT_RE_NTS, &out, &err), 0);
    cr_expect_str_eq(out.data, "<x||z>");
    cr_expect_eq(bt_re_match_expand(m, "\\g<c>", BT_RE_NTS, &out, &err),
                 BT_EINDEX);
    cr_expect_str_eq(err.msg, "unknown group name 'c'");
    cr_expect_eq(bt_re_match_expand(m, "\\4", BT_RE_NTS, &out, &err), BT_ERE);
    cr_expect_str_eq(err.msg, "invalid group reference 4 at position 1");
    cr_expect_str_eq(out.data, "<x||z>");
    bt_buf_fini(&out);

    cr_assert_eq(bt_re_match_copy(m, &c), 0);
    bt_re_match_free(m);
    bt_re_pattern_free(p);
    expect_group(c, 3, "z");
    cr_expect_eq(bt_re_pattern_groups(bt_re_match_re(c)), 3,
                 "the copy keeps its pattern alive");
    bt_re_match_free(c);
    bt_re_match_free(NULL);
    bt_re_purge();
}

Test(re, lastindex_and_lastgroup)
{
    struct {
        const char *pat, *s;
        ptrdiff_t last;
        const char *group;
    } cases[] = {
        {"(a)(b)", "ab", 2, NULL},          {"(a(b))", "ab", 1, NULL},
        {"(?:(a)|b)*", "ab", 1, NULL},      {"(?=(ab))(a)", "ab", 2, NULL},
        {"(?P<x>a)(?P<y>b)?", "a", 1, "x"}, {"(?P<x>a)(?P<y>b)?", "ab", 2, "y"},
        {"(a)|b", "b", -1, NULL},           {"a", "a", -1, NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bt_re_pattern *p = compile(cases[i].pat, 0);
        bt_re_matchobj *m;
        cr_assert_eq(bt_re_match(p, cases[i].s, BT_RE_NTS, &m, NULL), 1);
        cr_expect_eq(bt_re_match_lastindex(m), cases[i].last, "%s",
                     cases[i].pat);
        size_t n;
        const char *g = bt_re_match_lastgroup(m, &n);
        if (cases[i].group)
            cr_expect(g && strcmp(g, cases[i].group) == 0, "%s", cases[i].pat);
        else
            cr_expect_null(g, "%s", cases[i].pat);
        bt_re_match_free(m);
        bt_re_pattern_free(p);
    }
    bt_re_purge();
}

/* ------------------------------------------------------------------ walks */

Test(re, finditer_borrowed_match_and_end)
{
    bt_re_pattern *p = compile("x*", 0);
    bt_re_iter *it;
    cr_assert_eq(bt_re_finditer(p, "abxd", 4, &it, NULL), 0);
    const bt_re_matchobj *m;
    ptrdiff_t want[][2] = {{0, 0}, {1, 1}, {2, 3}, {3, 3}, {4, 4}};
    for (size_t i = 0; i < 5; i++) {
        cr_assert_eq(bt_re_iter_next(it, &m, NULL), 1);
        cr_expect_eq(bt_re_match_start(m, 0), want[i][0]);
        cr_expect_eq(bt_re_match_end(m, 0), want[i][1]);
    }
    cr_expect_eq(bt_re_iter_next(it, &m, NULL), 0);
    cr_expect_null(m);
    cr_expect_eq(bt_re_iter_next(it, &m, NULL), 0);
    bt_re_iter_free(it);
    bt_re_iter_free(NULL);
    bt_re_pattern_free(p);
    bt_re_purge();
}

Test(re, findall_split_sub_empty_matches)
{
    bt_re_pattern *p = compile("x*", 0);
    bt_buf out = BT_BUF_INIT;
    cr_expect_eq(bt_re_sub(p, "-", 1, "abxd", 4, 0, &out, NULL), 5);
    cr_expect_str_eq(out.data, "-a-b--d-");
    bt_strvec v = BT_STRVEC_INIT;
    cr_expect_eq(bt_re_split(p, "axbc", 4, 0, &v, NULL), 6);
    const char *want[] = {"", "a", "", "b", "c", ""};
    for (size_t i = 0; i < 6; i++)
        cr_expect_str_eq(v.items[i], want[i]);
    bt_strvec_clear(&v);
    cr_expect_eq(bt_re_findall(p, "axxb", 4, &v, NULL), 4);
    bt_strvec_fini(&v);
    bt_buf_fini(&out);
    bt_re_pattern_free(p);
    bt_re_purge();
}

Test(re, sub_template_errors_leave_output_unchanged)
{
    bt_re_pattern *p = compile("(a)(?P<n>b)", 0);
    bt_buf out = BT_BUF_INIT;
    bt_buf_append_str(&out, "kept");
    bt_err err = BT_ERR_INIT;
    cr_expect_eq(bt_re_sub(p, "\\3", 2, "ab", 2, 0, &out, &err), BT_ERE);
    cr_expect_str_eq(err.msg, "invalid group reference 3 at position 1");
    cr_expect_eq(bt_re_sub(p, "\\g<m>", BT_RE_NTS, "ab", 2, 0, &out, &err),
                 BT_EINDEX);
    cr_expect_eq(bt_re_sub(p, "\\q", 2, "zz", 2, 0, &out, &err), BT_ERE,
                 "template errors even without a match");
    cr_expect_str_eq(err.msg, "bad escape \\q at position 0");
    cr_expect_eq(
        bt_re_subn(p, "\\g<n>\\1", BT_RE_NTS, "abab", 4, 1, &out, &err), 1);
    cr_expect_str_eq(out.data, "keptbaab");
    bt_buf_fini(&out);
    bt_re_pattern_free(p);
    bt_re_purge();
}

static int failing(const bt_re_matchobj *m, bt_buf *out, void *ctx)
{
    int *calls = ctx;
    (void)m;
    if (++*calls == 2)
        return BT_EKEY;
    return bt_buf_append_str(out, "!");
}

Test(re, sub_fn_error_stops_and_restores)
{
    bt_re_pattern *p = compile("a", 0);
    bt_buf out = BT_BUF_INIT;
    bt_buf_append_str(&out, "x");
    int calls = 0;
    cr_expect_eq(bt_re_sub_fn(p, failing, &calls, "aaa", 3, 0, &out, NULL),
                 BT_EKEY);
    cr_expect_eq(calls, 2);
    cr_expect_str_eq(out.data, "x");
    bt_buf_fini(&out);
    bt_re_pattern_free(p);
    bt_re_purge();
}

Test(re, escape)
{
    bt_buf out = BT_BUF_INIT;
    cr_assert_eq(bt_re_escape("a.b*c d\xc3\xa9", BT_RE_NTS, &out), 0);
    cr_expect_str_eq(out.data, "a\\.b\\*c\\ d\xc3\xa9");
    bt_buf_fini(&out);
}

Test(re, char_and_byte_offsets)
{
    const char *s = "a\xc3\xa9\xf0\x9f\x98\x80z";
    cr_expect_eq(bt_re_char_index(s, BT_RE_NTS, 0), 0);
    cr_expect_eq(bt_re_char_index(s, BT_RE_NTS, 3), 2);
    cr_expect_eq(bt_re_char_index(s, BT_RE_NTS, 8), 4);
    cr_expect_eq(bt_re_char_index(s, BT_RE_NTS, -1), -1);
    cr_expect_eq(bt_re_char_index(s, BT_RE_NTS, 2), BT_EVALUE);
    cr_expect_eq(bt_re_char_index(s, BT_RE_NTS, 9), BT_EVALUE);
    cr_expect_eq(bt_re_char_index("\xff", 1, 1), BT_EUNICODE);
    cr_expect_eq(bt_re_byte_offset(s, BT_RE_NTS, 2), 3);
    cr_expect_eq(bt_re_byte_offset(s, BT_RE_NTS, 3), 7);
    cr_expect_eq(bt_re_byte_offset(s, BT_RE_NTS, 99), 8);
    cr_expect_eq(bt_re_byte_offset("\xff", 1, 1), BT_EUNICODE);
}

Test(re, match_limit_is_a_clear_error)
{
    bt_re_pattern *p = compile("(a*)*b", 0);
    uint32_t old = bt_re_set_match_limit(10000);
    bt_err err = BT_ERR_INIT;
    char s[64];
    memset(s, 'a', 40);
    memcpy(s + 40, "xb", 2); /* a 'b' to find, not after the a's */
    cr_expect_eq(bt_re_search(p, s, 42, NULL, &err), BT_ERUNTIME);
    cr_expect(strstr(err.msg, "match limit") != NULL, "%s", err.msg);
    bt_strvec v = BT_STRVEC_INIT;
    cr_expect_eq(bt_re_findall(p, s, 42, &v, &err), BT_ERUNTIME);
    bt_re_iter *it;
    cr_assert_eq(bt_re_finditer(p, s, 42, &it, &err), 0);
    const bt_re_matchobj *m;
    cr_expect_eq(bt_re_iter_next(it, &m, &err), BT_ERUNTIME);
    cr_expect_eq(bt_re_iter_next(it, &m, &err), 0, "then at its end");
    bt_re_iter_free(it);
    cr_expect_eq(bt_re_set_match_limit(0), 10000);
    cr_expect_eq(bt_re_set_match_limit(old), 100000000u);
    bt_strvec_fini(&v);
    bt_re_pattern_free(p);
    bt_re_purge();
}

Test(re, long_subjects_and_deep_backtracking)
{
    size_t n = 1 << 20;
    char *s = malloc(n + 1);
    for (size_t i = 0; i < n; i++)
        s[i] = "ab"[i % 2];
    s[n] = 0;
    bt_re_pattern *p = compile("(?:(a)|b)*c?$", 0);
    bt_re_matchobj *m;
    bt_err err = BT_ERR_INIT;
    cr_assert_eq(bt_re_match(p, s, n, &m, &err), 1, "%s", err.msg);
    cr_expect_eq(bt_re_match_end(m, 0), (ptrdiff_t)n);
    bt_re_match_free(m);
    bt_re_pattern_free(p);
    free(s);
    bt_re_purge();
}

/* ------------------------------------------------------- allocation failures
 */

static int scenario(void *arg)
{
    (void)arg;
    bt_re_pattern *p;
    bt_err err = BT_ERR_INIT;
    int rc = bt_re_compile("(?P<w>\\w)(?i:[a-z\\u0130]+)?(?<=(?P=w))|(x)(y)",
                           BT_RE_NTS, 0, &p, &err);
    if (rc < 0)
        goto out0;
    bt_re_matchobj *m = NULL;
    rc = bt_re_search(p, "  caf\xc3\xa9 xy", BT_RE_NTS, &m, &err);
    if (rc < 0)
        goto out1;
    if (m) {
        ptrdiff_t li = bt_re_match_lastindex(m);
        if (li < -1) {
            rc = (int)li;
            goto out2;
        }
        bt_buf out = BT_BUF_INIT;
        rc = bt_re_match_expand(m, "[\\g<w>]", BT_RE_NTS, &out, &err);
        bt_buf_fini(&out);
        if (rc < 0)
            goto out2;
    }
    bt_strvec v = BT_STRVEC_INIT;
    ptrdiff_t k = bt_re_findall(p, "ab cd xy", BT_RE_NTS, &v, &err);
    if (k >= 0)
        k = bt_re_split(p, "ab cd xy", BT_RE_NTS, 0, &v, &err);
    bt_strvec_fini(&v);
    if (k < 0) {
        rc = (int)k;
        goto out2;
    }
    bt_buf out = BT_BUF_INIT;
    k = bt_re_sub(p, "<\\1>", BT_RE_NTS, "ab cd", BT_RE_NTS, 0, &out, &err);
    bt_buf_fini(&out);
    if (k < 0) {
        rc = (int)k;
        goto out2;
    }
    bt_re_iter *it;
    rc = bt_re_finditer(p, "ab cd", BT_RE_NTS, &it, &err);
    if (rc == 0) {
        const bt_re_matchobj *im;
        while ((rc = bt_re_iter_next(it, &im, &err)) == 1) {
            bt_re_matchobj *c;
            rc = bt_re_match_copy(im, &c);
            bt_re_match_free(c);
            if (rc < 0)
                break;
        }
        bt_re_iter_free(it);
    }
    rc = rc < 0 ? rc : 0;
out2:
    bt_re_match_free(m);
out1:
    bt_re_pattern_free(p);
out0:
    bt_re_purge();
    return rc;
}

Test(re, allocation_failures_are_clean)
{
    /* warm the engine check up first: it runs once per process */
    bt_re_pattern_free(compile("x", 0));
    bt_re_purge();
    int points = bt_test_allocfail(scenario, NULL);
    cr_expect_gt(points, 20);
}
