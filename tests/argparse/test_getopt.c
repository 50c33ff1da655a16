/* getopt and gnu_getopt against CPython (tests/argparse/vectors/getopt.tsv). */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include <batteries/argparse.h>

#include "bt_test.h"

/* "hex|count": count strings joined by NUL, hex-encoded. */
typedef struct list {
    char *mem;
    const char *items[64];
    size_t n;
} list;

static void parse_list(const char *field, list *l)
{
    const char *bar = strrchr(field, '|');
    cr_assert_not_null(bar);
    char *hex = strndup(field, (size_t)(bar - field));
    size_t len;
    l->mem = bt_test_unhex(hex, &len);
    free(hex);
    l->n = (size_t)atoi(bar + 1);
    cr_assert_leq(l->n, 64);
    const char *p = l->mem;
    for (size_t i = 0; i < l->n; i++) {
        l->items[i] = p;
        p += strlen(p) + 1;
    }
}

static void expect_vec(const bt_strvec *v, const list *want, const char *what,
                       size_t row)
{
    cr_expect_eq(v->count, want->n, "row %zu: %s count %zu want %zu", row, what,
                 v->count, want->n);
    for (size_t i = 0; i < v->count && i < want->n; i++)
        cr_expect_str_eq(v->items[i], want->items[i], "row %zu: %s[%zu]", row,
                         what, i);
}

Test(getopt, matches_cpython)
{
    bt_test_vectors v;
    char *f[BT_TEST_MAX_FIELDS];
    size_t rows = 0;
    bt_test_vectors_open(&v, "argparse", "getopt");
    while (bt_test_vectors_next(&v, f) == 7) {
        list args, longs;
        parse_list(f[1], &args);
        parse_list(f[3], &longs);
        size_t n;
        char *shortopts = bt_test_unhex(f[2], &n);
        bt_getopt_result r = BT_GETOPT_RESULT_INIT;
        bt_err err = BT_ERR_INIT;
        int rc = (strcmp(f[0], "getopt") == 0 ? bt_getopt_getopt
                                              : bt_getopt_gnu_getopt)(
            args.items, args.n, shortopts, longs.items, longs.n, &r, &err);
        if (strcmp(f[4], "ok") == 0) {
            cr_expect_eq(rc, 0, "row %zu: %s", rows, err.msg);
            list opts, rest;
            parse_list(f[5], &opts);
            parse_list(f[6], &rest);
            if (rc == 0) {
                expect_vec(&r.opts, &opts, "opts", rows);
                expect_vec(&r.args, &rest, "args", rows);
            }
            free(opts.mem);
            free(rest.mem);
        } else {
            char *msg = bt_test_unhex(f[5], &n);
            cr_expect_eq(rc, BT_EGETOPT, "row %zu", rows);
            cr_expect_str_eq(err.msg, msg, "row %zu", rows);
            cr_expect_geq(err.pos, 0);
            cr_expect_lt(err.pos, (ptrdiff_t)args.n);
            free(msg);
        }
        bt_getopt_result_fini(&r);
        free(args.mem);
        free(longs.mem);
        free(shortopts);
        rows++;
    }
    bt_test_vectors_close(&v);
    cr_assert_gt(rows, 800);
}

Test(getopt, posixly_correct_stops_gnu_getopt)
{
    const char *args[] = {"-a", "file", "-b"};
    bt_getopt_result r = BT_GETOPT_RESULT_INIT;
    setenv("POSIXLY_CORRECT", "1", 1);
    cr_assert_eq(bt_getopt_gnu_getopt(args, 3, "ab", NULL, 0, &r, NULL), 0);
    /* Python: ([('-a', '')], ['file', '-b']) */
    cr_assert_eq(r.opts.count, 2);
    cr_assert_eq(r.args.count, 2);
    cr_assert_str_eq(r.args.items[1], "-b");
    bt_getopt_result_fini(&r);
    bt_getopt_result_fini(NULL);
    unsetenv("POSIXLY_CORRECT");
}

static int scenario(void *arg)
{
    (void)arg;
    const char *args[] = {"-ab", "-cfoo", "--cond=x", "--testing", "a1", "a2"};
    const char *longs[] = {"cond=", "testing"};
    bt_getopt_result r = BT_GETOPT_RESULT_INIT;
    int rc = bt_getopt_gnu_getopt(args, 6, "abc:", longs, 2, &r, NULL);
    bt_getopt_result_fini(&r);
    return rc;
}

Test(allocfail, getopt)
{
    cr_assert_geq(bt_test_allocfail(scenario, NULL), 5);
}
