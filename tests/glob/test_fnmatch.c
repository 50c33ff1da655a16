/* fnmatch and glob.escape/has_magic against CPython's answers. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include <batteries/glob.h>

#include "bt_test.h"

Test(fnmatch, matches_cpython)
{
    bt_test_vectors v;
    char *f[BT_TEST_MAX_FIELDS];
    int cases = 0;
    bt_test_vectors_open(&v, "glob", "fnmatch");
    while (bt_test_vectors_next(&v, f) == 3) {
        size_t n;
        char *name = bt_test_unhex(f[0], &n);
        char *pat = bt_test_unhex(f[1], &n);
        bool want = f[2][0] == '1';
        cr_expect_eq(bt_fnmatch_fnmatchcase(name, pat), want, "fnmatchcase(%s, %s)", f[0], f[1]);
        cr_expect_eq(bt_fnmatch_fnmatch(name, pat), want);
        free(name);
        free(pat);
        cases++;
    }
    bt_test_vectors_close(&v);
    cr_assert_gt(cases, 4000);
}

Test(fnmatch, filter_keeps_order)
{
    bt_strvec names = BT_STRVEC_INIT, out = BT_STRVEC_INIT;
    const char *in[] = {"b.py", "a.txt", "a.py", ".x.py", "py"};
    for (size_t i = 0; i < 5; i++)
        bt_strvec_append_str(&names, in[i]);
    cr_assert_eq(bt_fnmatch_filter(&names, "*.py", &out), 0);
    /* fnmatch.filter(['b.py','a.txt','a.py','.x.py','py'], '*.py') */
    cr_assert_eq(out.count, 3);
    cr_assert_str_eq(out.items[0], "b.py");
    cr_assert_str_eq(out.items[1], "a.py");
    cr_assert_str_eq(out.items[2], ".x.py");
    bt_strvec_fini(&names);
    bt_strvec_fini(&out);
}

Test(fnmatch, long_sets_and_patterns)
{
    /* A set longer than the stack scratch takes the heap path. */
    char pat[600] = "[";
    for (int i = 0; i < 250; i++)
        strcat(pat, i % 2 ? "-" : "q");
    strcat(pat, "a-c]*");
    /* CPython: [False, True, False, True] for these four names. */
    cr_assert_not(bt_fnmatch_fnmatchcase("b-tail", pat));
    cr_assert(bt_fnmatch_fnmatchcase("q", pat));
    cr_assert_not(bt_fnmatch_fnmatchcase("z", pat));
    cr_assert(bt_fnmatch_fnmatchcase("-x", pat));
    /* Many stars do not blow up: the match is linear in backtracking. */
    char name[4001];
    memset(name, 'a', 4000);
    name[4000] = '\0';
    cr_assert_not(bt_fnmatch_fnmatchcase(name, "*a*a*a*a*a*a*a*a*a*b"));
}

Test(glob, escape_and_has_magic_match_cpython)
{
    bt_test_vectors v;
    char *f[BT_TEST_MAX_FIELDS];
    int cases = 0;
    bt_test_vectors_open(&v, "glob", "escape");
    while (bt_test_vectors_next(&v, f) == 3) {
        size_t n, wn;
        char *path = bt_test_unhex(f[0], &n);
        char *want = bt_test_unhex(f[1], &wn);
        bt_buf out = BT_BUF_INIT;
        cr_assert_eq(bt_glob_escape(path, &out), 0);
        cr_expect_str_eq(out.data ? out.data : "", want);
        cr_expect_eq(bt_glob_has_magic(path), f[2][0] == '1');
        bt_buf_fini(&out);
        free(path);
        free(want);
        cases++;
    }
    bt_test_vectors_close(&v);
    cr_assert_gt(cases, 5);
}
