/* argparse's C API: building errors against CPython's (the "setup" rows of
 * argparse.tsv), typed lookups, exit_on_error, allocation failures. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <batteries/argparse.h>

#include "ap_spec.h"
#include "bt_test.h"

static const char *pyname(int code)
{
    return code == BT_EARGUMENT ? "ArgumentError" : bt_errname(code);
}

Test(argparse_api, building_errors_match_cpython)
{
    bt_test_vectors v;
    char *f[BT_TEST_MAX_FIELDS];
    size_t rows = 0;
    bt_test_vectors_open(&v, "argparse", "argparse");
    while (bt_test_vectors_next(&v, f) >= 4) {
        if (strcmp(f[0], "setup") != 0)
            continue;
        size_t n;
        char *text = bt_test_unhex(f[1], &n), *msg = bt_test_unhex(f[3], &n);
        int rc;
        bt_err err = BT_ERR_INIT;
        bt_argparse *p = ap_spec_build(text, &rc, &err);
        if (p) {
            /* errors while copying parents are kept for the parses */
            bt_argparse_ns *ns;
            rc = bt_argparse_parse_args(p, NULL, 0, &ns, &err);
            cr_expect_null(ns);
        }
        cr_expect_str_eq(pyname(rc), f[2], "%s", text);
        cr_expect_str_eq(err.msg, msg, "%s", text);
        bt_argparse_free(p);
        free(text);
        free(msg);
        rows++;
    }
    bt_test_vectors_close(&v);
    cr_expect_geq(rows, 15);
}

static bt_argparse *demo(void)
{
    bt_argparse *p = bt_argparse_new(&(bt_argparse_opts){.prog = "demo"});
    cr_assert_not_null(p);
    cr_assert_eq(bt_argparse_add_argument(
                     p, BT_ARGPARSE_NAMES("-n"),
                     &(bt_argparse_arg){.type = BT_ARGPARSE_INT}, NULL),
                 0);
    bt_argparse_add_argument(p, BT_ARGPARSE_NAMES("-f"),
                             &(bt_argparse_arg){.type = BT_ARGPARSE_FLOAT},
                             NULL);
    bt_argparse_add_argument(p, BT_ARGPARSE_NAMES("-v"),
                             &(bt_argparse_arg){.action = BT_ARGPARSE_COUNT},
                             NULL);
    bt_argparse_add_argument(
        p, BT_ARGPARSE_NAMES("-q"),
        &(bt_argparse_arg){.action = BT_ARGPARSE_STORE_TRUE}, NULL);
    bt_argparse_add_argument(p, BT_ARGPARSE_NAMES("--name"), NULL, NULL);
    bt_argparse_add_argument(
        p, BT_ARGPARSE_NAMES("files"),
        &(bt_argparse_arg){.nargs = BT_ARGPARSE_ZERO_OR_MORE}, NULL);
    return p;
}

Test(argparse_api, typed_lookups)
{
    bt_argparse *p = demo();
    bt_argparse_ns *ns;
    bt_err err = BT_ERR_INIT;
    const char *args[] = {"-n", "7", "-f", "2.5", "-vv", "-q", "a", "b"};
    cr_assert_eq(bt_argparse_parse_args(p, args, 8, &ns, &err), 0, "%s",
                 err.msg);
    int64_t i = 0;
    double d = 0;
    bool b = false;
    const char *s = "x";
    cr_expect_eq(bt_argparse_get_int(ns, "n", &i, &err), 0);
    cr_expect_eq(i, 7);
    cr_expect_eq(bt_argparse_get_double(ns, "f", &d, &err), 0);
    cr_expect(d == 2.5);
    cr_expect_eq(bt_argparse_get_double(ns, "n", &d, &err), 0);
    cr_expect(d == 7.0);
    cr_expect_eq(bt_argparse_get_count(ns, "v", &i, &err), 0);
    cr_expect_eq(i, 2);
    cr_expect_eq(bt_argparse_get_bool(ns, "q", &b, &err), 0);
    cr_expect(b);
    cr_expect_eq(bt_argparse_get_str(ns, "name", &s, &err), 0);
    cr_expect_null(s);
    bt_strvec files = BT_STRVEC_INIT;
    cr_expect_eq(bt_argparse_get_strs(ns, "files", &files, &err), 0);
    cr_expect_eq(files.count, 2);
    cr_expect_str_eq(files.items[1], "b");
    bt_strvec_fini(&files);
    const bt_argparse_value *items;
    size_t n;
    cr_expect_eq(bt_argparse_get_list(ns, "files", &items, &n, &err), 0);
    cr_expect_eq(n, 2);
    /* wrong types and unknown names */
    cr_expect_eq(bt_argparse_get_int(ns, "f", &i, &err), BT_ETYPE);
    cr_expect_str_eq(err.msg, "dest 'f' is a float, not an int");
    cr_expect_eq(bt_argparse_get_str(ns, "n", &s, &err), BT_ETYPE);
    cr_expect_str_eq(err.msg, "dest 'n' is an int, not a str");
    cr_expect_eq(bt_argparse_get_bool(ns, "files", &b, &err), BT_ETYPE);
    cr_expect_eq(bt_argparse_get_list(ns, "q", &items, &n, &err), BT_ETYPE);
    cr_expect_eq(bt_argparse_get_int(ns, "nope", &i, &err), BT_EKEY);
    cr_expect_str_eq(err.msg, "'Namespace' object has no attribute 'nope'");
    bt_argparse_ns_free(ns);
    /* None: 1 and the output untouched; count None is 0 */
    cr_assert_eq(bt_argparse_parse_args(p, NULL, 0, &ns, &err), 0);
    i = 42;
    cr_expect_eq(bt_argparse_get_int(ns, "n", &i, &err), 1);
    cr_expect_eq(i, 42);
    cr_expect_eq(bt_argparse_get_double(ns, "f", &d, &err), 1);
    cr_expect_eq(bt_argparse_get_count(ns, "v", &i, &err), 0);
    cr_expect_eq(i, 0);
    cr_expect_eq(bt_argparse_ns_status(ns), 0);
    cr_expect_str_eq(bt_argparse_ns_output(ns), "");
    bt_argparse_ns_free(ns);
    bt_argparse_free(p);
}

Test(argparse_api, errors_return_text_and_status)
{
    bt_argparse *p = demo();
    bt_argparse_ns *ns;
    bt_err err = BT_ERR_INIT;
    const char *args[] = {"-n", "x"};
    cr_assert_eq(bt_argparse_parse_args(p, args, 2, &ns, &err), BT_EARGUMENT);
    cr_expect_str_eq(err.msg, "argument -n: invalid int value: 'x'");
    cr_expect_eq(bt_argparse_ns_status(ns), 2);
    cr_expect_str_eq(
        bt_argparse_ns_output(ns),
        "usage: demo [-h] [-n N] [-f F] [-v] [-q] [--name NAME] [files ...]\n"
        "demo: error: argument -n: invalid int value: 'x'\n");
    bt_argparse_ns_free(ns);
    /* parse_known_args keeps what it does not know */
    const char *more[] = {"--zzz", "a", "-q"};
    cr_assert_eq(bt_argparse_parse_known_args(p, more, 3, &ns, &err), 0);
    cr_expect_eq(bt_argparse_ns_extras(ns)->count, 1);
    cr_expect_str_eq(bt_argparse_ns_extras(ns)->items[0], "--zzz");
    bt_argparse_ns_free(ns);
    bt_argparse_free(p);
}

static bt_argparse *exiting; /* still reachable when the test exits */

Test(argparse_api, exit_on_error_prints_and_exits, .exit_code = 2)
{
    bt_argparse *p = exiting = bt_argparse_new(
        &(bt_argparse_opts){.prog = "x", .exit_on_error = true});
    bt_argparse_add_argument(p, BT_ARGPARSE_NAMES("-c"),
                             &(bt_argparse_arg){.type = BT_ARGPARSE_INT}, NULL);
    bt_argparse_ns *ns;
    const char *args[] = {"-c", "x"};
    bt_argparse_parse_args(p, args, 2, &ns, NULL);
    cr_assert_fail("parse_args returned");
}

Test(argparse_api, help_exits_zero, .exit_code = 0)
{
    bt_argparse *p = bt_argparse_new(&(bt_argparse_opts){.prog = "x"});
    bt_argparse_ns *ns;
    const char *args[] = {"-h"};
    cr_assert_eq(bt_argparse_parse_args(p, args, 1, &ns, NULL),
                 BT_ARGPARSE_EXIT);
    cr_assert(
        strstr(bt_argparse_ns_output(ns), "show this help message and exit"));
    bt_argparse_free(p);
    bt_argparse_exit(ns);
}

static int to_ptr(const char *arg, void *ctx, bt_argparse_value *out,
                  bt_err *err)
{
    (void)err;
    if (strcmp(arg, "me") != 0)
        return BT_EVALUE;
    *out = (bt_argparse_value){.type = BT_ARGPARSE_PTR, .p = ctx};
    return 0;
}

Test(argparse_api, converter_and_building_rules)
{
    int target;
    bt_argparse *p = bt_argparse_new(&(bt_argparse_opts){.prog = "c"});
    bt_err err = BT_ERR_INIT;
    cr_assert_eq(
        bt_argparse_add_argument(p, BT_ARGPARSE_NAMES("who"),
                                 &(bt_argparse_arg){.convert = to_ptr,
                                                    .convert_ctx = &target,
                                                    .type_name = "person"},
                                 &err),
        0);
    bt_argparse_ns *ns;
    const char *ok[] = {"me"}, *bad[] = {"you"};
    cr_assert_eq(bt_argparse_parse_args(p, ok, 1, &ns, &err), 0);
    const bt_argparse_value *v;
    cr_expect_eq(bt_argparse_get(ns, "who", &v, &err), 0);
    cr_expect_eq(v->type, BT_ARGPARSE_PTR);
    cr_expect_eq(v->p, &target);
    bt_argparse_ns_free(ns);
    cr_assert_eq(bt_argparse_parse_args(p, bad, 1, &ns, &err), BT_EARGUMENT);
    cr_expect_str_eq(err.msg, "argument who: invalid person value: 'you'");
    bt_argparse_ns_free(ns);
    /* a REMAINDER positional refuses parse_intermixed_args as Python does */
    bt_argparse_add_argument(p, BT_ARGPARSE_NAMES("rest"),
                             &(bt_argparse_arg){.nargs = BT_ARGPARSE_REMAINDER},
                             NULL);
    cr_expect_eq(bt_argparse_parse_intermixed_args(p, ok, 1, &ns, &err),
                 BT_ETYPE);
    cr_expect_str_eq(err.msg,
                     "parse_intermixed_args: positional arg with nargs=...");
    /* a building error sticks: every parse returns it */
    cr_expect_eq(
        bt_argparse_add_argument(p, BT_ARGPARSE_NAMES("-h"), NULL, &err),
        BT_EARGUMENT);
    cr_expect_eq(bt_argparse_parse_args(p, ok, 1, &ns, &err), BT_EARGUMENT);
    cr_expect_null(ns);
    cr_expect_str_eq(err.msg, "argument -h: conflicting option string: -h");
    cr_expect_eq(bt_argparse_add_argument(NULL, NULL, NULL, &err), BT_ENOMEM);
    bt_argparse_free(p);
    bt_argparse_free(NULL);
    bt_argparse_ns_free(NULL);
}

static const char *const alloc_spec =
    "parent base add_help=0 prog=b\n"
    "group bg in=base title=net\n"
    "arg in=bg --host default=s:h help=\"the host\"\n"
    "mutex bm in=base\n"
    "arg in=bm --json action=store_true\n"
    "arg in=bm --xml action=store_true\n"
    "default in=base color=s:red\n"
    "parser prog=git parents=base formatter=defaults,raw_description "
    "description=\"a version control\"\n"
    "arg --debug action=store_true\n"
    "mutex m\n"
    "arg in=m -v action=count\n"
    "arg in=m -q action=store_true\n"
    "subparsers sp dest=command title=commands help=what\n"
    "cmd c1 of=sp name=commit help=record aliases=ci\n"
    "arg in=c1 -m --message required=1 choices=a,b,msg\n"
    "arg in=c1 files nargs=* type=str\n";

static int scenario(void *arg)
{
    (void)arg;
    int rc;
    bt_err err = BT_ERR_INIT;
    bt_argparse *p = ap_spec_build(alloc_spec, &rc, &err);
    if (!p)
        return rc;
    bt_argparse_ns *ns = NULL;
    const char *args[] = {"--debug", "-vv", "ci", "-m", "msg", "a", "b"};
    rc = bt_argparse_parse_args(p, args, 7, &ns, &err);
    bt_buf b = BT_BUF_INIT;
    if (rc == 0)
        rc = bt_argparse_ns_repr(ns, &b);
    if (rc == 0)
        rc = bt_argparse_format_help(p, &b, &err);
    bt_argparse_ns_free(ns);
    ns = NULL;
    const char *bad[] = {"-v", "-q", "commit"};
    if (rc == 0) {
        rc = bt_argparse_parse_args(p, bad, 3, &ns, &err);
        if (rc == BT_EARGUMENT)
            rc = 0;
    }
    bt_argparse_ns_free(ns);
    bt_buf_fini(&b);
    bt_argparse_free(p);
    return rc;
}

Test(argparse_api, allocation_failures)
{
    setenv("COLUMNS", "80", 1);
    cr_expect_eq(scenario(NULL), 0);
    cr_expect_gt(bt_test_allocfail(scenario, NULL), 100);
}
