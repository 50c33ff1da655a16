/*
 * The pure functions of os.path against CPython's answers
 * (tools/gen_vectors/path.py), and the module's conventions: appending,
 * aliasing, errors, allocation failures.
 */
#include <criterion/criterion.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <batteries/path.h>

#include "bt_test.h"

/* A vector field (hex) as a fresh NUL-terminated string. */
static char *unhex(const char *hex)
{
    size_t n;
    return bt_test_unhex(hex, &n);
}

/* Fails the test unless b holds exactly the bytes of the hex string want. */
static void expect_hex(const bt_buf *b, const char *want, const char *fn,
                       const bt_test_vectors *v)
{
    size_t n;
    char *w = bt_test_unhex(want, &n);
    cr_assert_not_null(b->data, "%s line %d: no buffer", fn, v->lineno);
    bool same = b->len == n && memcmp(b->data, w, n) == 0;
    cr_assert(same, "%s line %d: want '%s', got '%.*s'", fn, v->lineno, w,
              (int)b->len, b->data);
    cr_assert_eq(b->data[b->len], '\0', "%s: result not NUL-terminated", fn);
    free(w);
}

/* Splits a ','-separated hex list of count strings into a strvec. */
static void parse_list(const char *field, int count, bt_strvec *out,
                       char ***cstrs)
{
    bt_strvec_init(out);
    *cstrs = calloc((size_t)count + 1, sizeof **cstrs);
    cr_assert_not_null(*cstrs);
    if (count == 0)
        return;
    char *copy = strdup(field);
    char *p = copy;
    for (int k = 0; k < count; k++) {
        char *comma = strchr(p, ',');
        if (comma)
            *comma = '\0';
        (*cstrs)[k] = unhex(p);
        cr_assert_eq(bt_strvec_append_str(out, (*cstrs)[k]), 0);
        p = comma ? comma + 1 : p + strlen(p);
    }
    free(copy);
}

static void free_list(bt_strvec *v, char **cstrs)
{
    for (size_t k = 0; cstrs[k]; k++)
        free(cstrs[k]);
    free(cstrs);
    bt_strvec_fini(v);
}

/* ------------------------------------------------------------- vectors */

Test(path_vectors, unary)
{
    bt_test_vectors v;
    char *f[BT_TEST_MAX_FIELDS];
    int cases = 0;
    bt_test_vectors_open(&v, "path", "unary");
    while (bt_test_vectors_next(&v, f)) {
        char *p = unhex(f[0]);
        bt_buf a = BT_BUF_INIT, b = BT_BUF_INIT;
        cr_assert_eq(bt_path_isabs(p), f[1][0] == '1', "isabs line %d",
                     v.lineno);
        cr_assert_eq(bt_path_split(p, &a, &b), 0);
        expect_hex(&a, f[2], "split head", &v);
        expect_hex(&b, f[3], "split tail", &v);
        bt_buf_clear(&a);
        bt_buf_clear(&b);
        cr_assert_eq(bt_path_splitext(p, &a, &b), 0);
        expect_hex(&a, f[4], "splitext root", &v);
        expect_hex(&b, f[5], "splitext ext", &v);
        bt_buf_clear(&a);
        cr_assert_eq(bt_path_dirname(p, &a), 0);
        expect_hex(&a, f[6], "dirname", &v);
        bt_buf_clear(&a);
        cr_assert_eq(bt_path_basename(p, &a), 0);
        expect_hex(&a, f[7], "basename", &v);
        bt_buf_clear(&a);
        cr_assert_eq(bt_path_normpath(p, &a), 0);
        expect_hex(&a, f[8], "normpath", &v);
        bt_buf_clear(&a);
        cr_assert_eq(bt_path_normcase(p, &a), 0);
        expect_hex(&a, f[9], "normcase", &v);
        bt_buf_clear(&a);
        bt_buf_clear(&b);
        cr_assert_eq(bt_path_splitdrive(p, &a, &b), 0);
        expect_hex(&a, f[10], "splitdrive drive", &v);
        expect_hex(&b, f[11], "splitdrive rest", &v);
        bt_buf_fini(&a);
        bt_buf_fini(&b);
        free(p);
        cases++;
    }
    bt_test_vectors_close(&v);
    cr_assert_gt(cases, 300);
}

Test(path_vectors, join)
{
    bt_test_vectors v;
    char *f[BT_TEST_MAX_FIELDS];
    bt_test_vectors_open(&v, "path", "join");
    while (bt_test_vectors_next(&v, f)) {
        int count = atoi(f[0]);
        bt_strvec parts;
        char **cs;
        parse_list(f[1], count, &parts, &cs);
        bt_buf out = BT_BUF_INIT;
        int rc = bt_path_join((const char *const *)cs, (size_t)count, &out);
        if (strcmp(f[2], "err") == 0) {
            cr_assert_eq(rc, BT_ETYPE, "line %d: want TypeError", v.lineno);
            cr_assert_eq(out.len, 0);
        } else {
            cr_assert_eq(rc, 0, "line %d", v.lineno);
            expect_hex(&out, f[3], "join", &v);
        }
        bt_buf_fini(&out);
        free_list(&parts, cs);
    }
    bt_test_vectors_close(&v);
}

Test(path_vectors, commonprefix)
{
    bt_test_vectors v;
    char *f[BT_TEST_MAX_FIELDS];
    bt_test_vectors_open(&v, "path", "commonprefix");
    while (bt_test_vectors_next(&v, f)) {
        bt_strvec list;
        char **cs;
        parse_list(f[1], atoi(f[0]), &list, &cs);
        bt_buf out = BT_BUF_INIT;
        cr_assert_eq(bt_path_commonprefix(&list, &out), 0);
        expect_hex(&out, f[2], "commonprefix", &v);
        bt_buf_fini(&out);
        free_list(&list, cs);
    }
    bt_test_vectors_close(&v);
}

Test(path_vectors, commonpath)
{
    bt_test_vectors v;
    char *f[BT_TEST_MAX_FIELDS];
    bt_test_vectors_open(&v, "path", "commonpath");
    while (bt_test_vectors_next(&v, f)) {
        bt_strvec list;
        char **cs;
        parse_list(f[1], atoi(f[0]), &list, &cs);
        bt_buf out = BT_BUF_INIT;
        bt_err err = BT_ERR_INIT;
        int rc = bt_path_commonpath(&list, &out, &err);
        if (strcmp(f[2], "err") == 0) {
            cr_assert_eq(rc, BT_EVALUE, "line %d: want ValueError", v.lineno);
            cr_assert_str_eq(bt_errname(rc), f[3]);
            cr_assert_str_eq(err.msg, f[4], "line %d", v.lineno);
            cr_assert_eq(out.len, 0);
        } else {
            cr_assert_eq(rc, 0, "line %d: %s", v.lineno, err.msg);
            expect_hex(&out, f[3], "commonpath", &v);
        }
        bt_buf_fini(&out);
        free_list(&list, cs);
    }
    bt_test_vectors_close(&v);
}

/* chdir to a vector's directory; the vectors need getcwd to say the same. */
static void enter(const char *hex)
{
    char *dir = unhex(hex);
    char here[PATH_MAX];
    if (chdir(dir) != 0 || !getcwd(here, sizeof here) || strcmp(here, dir) != 0)
        cr_skip_test("cannot work in %s (getcwd differs): vectors need it",
                     dir);
    free(dir);
}

Test(path_vectors, relpath)
{
    bt_test_vectors v;
    char *f[BT_TEST_MAX_FIELDS];
    bt_test_vectors_open(&v, "path", "relpath");
    while (bt_test_vectors_next(&v, f)) {
        enter(f[0]);
        char *p = unhex(f[1]);
        char *start = strcmp(f[2], "-") == 0 ? NULL : unhex(f[2]);
        bt_buf out = BT_BUF_INIT;
        bt_err err = BT_ERR_INIT;
        int rc = bt_path_relpath(p, start, &out, &err);
        if (strcmp(f[3], "err") == 0) {
            cr_assert_eq(rc, BT_EVALUE, "line %d", v.lineno);
            cr_assert_str_eq(err.msg, f[5]);
        } else {
            cr_assert_eq(rc, 0, "line %d: %s", v.lineno, err.msg);
            expect_hex(&out, f[4], "relpath", &v);
        }
        bt_buf_fini(&out);
        free(p);
        free(start);
    }
    bt_test_vectors_close(&v);
}

Test(path_vectors, abspath)
{
    bt_test_vectors v;
    char *f[BT_TEST_MAX_FIELDS];
    bt_test_vectors_open(&v, "path", "abspath");
    while (bt_test_vectors_next(&v, f)) {
        enter(f[0]);
        char *p = unhex(f[1]);
        bt_buf out = BT_BUF_INIT;
        cr_assert_eq(bt_path_abspath(p, &out, NULL), 0, "line %d", v.lineno);
        expect_hex(&out, f[2], "abspath", &v);
        bt_buf_fini(&out);
        free(p);
    }
    bt_test_vectors_close(&v);
}

/* The environment the generator ran expandvars in. */
static void load_env(void)
{
    bt_test_vectors v;
    char *f[BT_TEST_MAX_FIELDS];
    bt_test_vectors_open(&v, "path", "env");
    while (bt_test_vectors_next(&v, f)) {
        char *name = unhex(f[1]);
        if (strcmp(f[0], "set") == 0) {
            char *value = unhex(f[2]);
            cr_assert_eq(setenv(name, value, 1), 0);
            free(value);
        } else {
            cr_assert_eq(unsetenv(name), 0);
        }
        free(name);
    }
    bt_test_vectors_close(&v);
}

Test(path_vectors, expandvars)
{
    load_env();
    bt_test_vectors v;
    char *f[BT_TEST_MAX_FIELDS];
    bt_test_vectors_open(&v, "path", "expandvars");
    while (bt_test_vectors_next(&v, f)) {
        char *p = unhex(f[0]);
        bt_buf out = BT_BUF_INIT;
        cr_assert_eq(bt_path_expandvars(p, &out), 0);
        expect_hex(&out, f[1], "expandvars", &v);
        bt_buf_fini(&out);
        free(p);
    }
    bt_test_vectors_close(&v);
}

Test(path_vectors, expanduser)
{
    bt_test_vectors v;
    char *f[BT_TEST_MAX_FIELDS];
    bt_test_vectors_open(&v, "path", "expanduser");
    while (bt_test_vectors_next(&v, f)) {
        char *home = unhex(f[0]), *p = unhex(f[1]);
        cr_assert_eq(setenv("HOME", home, 1), 0);
        bt_buf out = BT_BUF_INIT;
        cr_assert_eq(bt_path_expanduser(p, &out), 0);
        expect_hex(&out, f[2], "expanduser", &v);
        bt_buf_fini(&out);
        free(home);
        free(p);
    }
    bt_test_vectors_close(&v);
}

/* ---------------------------------------------------------- conventions */

Test(path_api, results_are_appended)
{
    bt_buf out = BT_BUF_INIT;
    cr_assert_eq(bt_buf_append_str(&out, "x="), 0);
    cr_assert_eq(bt_path_normpath("a//b/../c/", &out), 0);
    cr_assert_str_eq(out.data, "x=a/c");
    const char *parts[] = {"/usr", "lib"};
    cr_assert_eq(bt_path_join(parts, 2, &out), 0);
    cr_assert_str_eq(out.data, "x=a/c/usr/lib");
    bt_buf_fini(&out);
}

Test(path_api, empty_result_is_still_a_string)
{
    /* basename("a/") is "": the buffer must hold a C string all the same. */
    bt_buf out = BT_BUF_INIT;
    cr_assert_eq(bt_path_basename("a/", &out), 0);
    cr_assert_not_null(out.data);
    cr_assert_str_eq(out.data, "");
    bt_buf_fini(&out);
    bt_strvec none = BT_STRVEC_INIT;
    cr_assert_eq(bt_path_commonprefix(&none, &out), 0);
    cr_assert_not_null(out.data);
    bt_buf_fini(&out);
}

Test(path_api, input_may_live_in_the_output)
{
    bt_buf out = BT_BUF_INIT;
    cr_assert_eq(bt_buf_append_str(&out, "/usr/local/../lib/./x//"), 0);
    size_t n = out.len;
    /* The input is the buffer itself, which has to grow. */
    cr_assert_eq(bt_path_normpath(out.data, &out), 0);
    cr_assert_str_eq(out.data + n, "/usr/lib/x");
    cr_assert_eq(bt_path_basename(out.data + n, &out), 0);
    cr_assert_str_eq(out.data + n, "/usr/lib/xx");
    const char *parts[] = {out.data, "tail"};
    cr_assert_eq(bt_path_join(parts, 2, &out), 0);
    cr_assert_str_eq(out.data + n + 11,
                     "/usr/local/../lib/./x///usr/lib/xx/tail");
    bt_buf_fini(&out);

    bt_buf a = BT_BUF_INIT, b = BT_BUF_INIT;
    cr_assert_eq(bt_buf_append_str(&a, "dir/name.ext"), 0);
    cr_assert_eq(bt_path_split(a.data, &a, &b), 0);
    cr_assert_str_eq(a.data, "dir/name.extdir");
    cr_assert_str_eq(b.data, "name.ext");
    cr_assert_eq(bt_path_splitext(b.data, &a, &b), 0);
    cr_assert_str_eq(a.data, "dir/name.extdirname");
    cr_assert_str_eq(b.data, "name.ext.ext");
    bt_buf_fini(&a);
    bt_buf_fini(&b);
}

Test(path_api, split_into_one_buffer)
{
    bt_buf out = BT_BUF_INIT;
    cr_assert_eq(bt_path_split("a/b/c", &out, &out), 0);
    cr_assert_str_eq(out.data, "a/bc");
    cr_assert_eq(bt_path_splitext("x.tar.gz", &out, &out), 0);
    cr_assert_str_eq(out.data, "a/bcx.tar.gz");
    bt_buf_fini(&out);
}

Test(path_api, join_needs_a_part)
{
    bt_buf out = BT_BUF_INIT;
    cr_assert_eq(bt_path_join(NULL, 0, &out), BT_ETYPE);
    cr_assert_eq(out.len, 0);
    cr_assert_str_eq(bt_errname(BT_ETYPE), "TypeError");
    bt_buf_fini(&out);
}

Test(path_api, commonpath_errors)
{
    bt_strvec v = BT_STRVEC_INIT;
    bt_buf out = BT_BUF_INIT;
    bt_err err = BT_ERR_INIT;
    cr_assert_eq(bt_path_commonpath(&v, &out, &err), BT_EVALUE);
    cr_assert_str_eq(err.msg, "commonpath() arg is an empty sequence");
    cr_assert_eq(bt_strvec_append_str(&v, "/a"), 0);
    cr_assert_eq(bt_strvec_append_str(&v, "a"), 0);
    cr_assert_eq(bt_path_commonpath(&v, &out, &err), BT_EVALUE);
    cr_assert_str_eq(err.msg, "Can't mix absolute and relative paths");
    cr_assert_eq(bt_path_commonpath(&v, &out, NULL), BT_EVALUE);
    cr_assert_eq(out.len, 0);
    bt_strvec_fini(&v);
    bt_buf_fini(&out);
}

Test(path_api, relpath_errors)
{
    bt_buf out = BT_BUF_INIT;
    bt_err err = BT_ERR_INIT;
    cr_assert_eq(bt_path_relpath("", "/x", &out, &err), BT_EVALUE);
    cr_assert_str_eq(err.msg, "no path specified");
    cr_assert_eq(bt_path_relpath("", NULL, &out, NULL), BT_EVALUE);
    cr_assert_eq(out.len, 0);
    bt_buf_fini(&out);
}

Test(path_api, constants)
{
    cr_assert_str_eq(BT_PATH_SEP, "/");
    cr_assert_str_eq(BT_PATH_CURDIR, ".");
    cr_assert_str_eq(BT_PATH_PARDIR, "..");
    cr_assert_str_eq(BT_PATH_EXTSEP, ".");
    cr_assert_str_eq(BT_PATH_PATHSEP, ":");
    cr_assert_str_eq(BT_PATH_DEFPATH, "/bin:/usr/bin");
    cr_assert_str_eq(BT_PATH_DEVNULL, "/dev/null");
    cr_assert_null(BT_PATH_ALTSEP);
    cr_assert_eq(BT_PATH_SUPPORTS_UNICODE_FILENAMES, 0);
}

Test(path_api, long_paths)
{
    /* Past every stack buffer: relpath's scratch, join's length table. */
    size_t n = 5000;
    char *a = malloc(n + 1), *b = malloc(n + 1);
    cr_assert(a && b);
    for (size_t i = 0; i < n; i++) {
        a[i] = i % 2 ? '/' : 'x';
        b[i] = i % 2 ? '/' : (i < n / 2 ? 'x' : 'y');
    }
    a[0] = b[0] = '/';
    a[n] = b[n] = '\0';
    bt_buf out = BT_BUF_INIT;
    cr_assert_eq(bt_path_relpath(a, b, &out, NULL), 0);
    /* b's last ~n/4 components are y: that many "..", then a's x's. */
    size_t ups = 0, xs = 0;
    for (size_t i = 0; i + 1 < out.len; i++) {
        ups += out.data[i] == '.' && out.data[i + 1] == '.';
        xs += out.data[i] == 'x';
    }
    xs += out.data[out.len - 1] == 'x';
    cr_assert_eq(ups, n / 4, "ups %zu", ups);
    cr_assert_eq(xs, n / 4, "xs %zu", xs);
    bt_buf_fini(&out);

    const char *parts[40];
    for (int i = 0; i < 40; i++)
        parts[i] = i == 20 ? "/r" : "p";
    cr_assert_eq(bt_path_join(parts, 40, &out), 0);
    cr_assert_eq(out.len, 2 + 19 * 2);
    cr_assert_eq(strncmp(out.data, "/r/p/p", 6), 0);
    bt_buf_fini(&out);
    free(a);
    free(b);
}

/* --------------------------------------------------- allocation failure */

static int scenario_pure(void *arg)
{
    (void)arg;
    bt_buf a = BT_BUF_INIT, b = BT_BUF_INIT;
    bt_strvec v = BT_STRVEC_INIT;
    const char *parts[] = {"/usr", "local/", "lib"};
    int rc = bt_path_join(parts, 3, &a);
    if (rc == 0)
        rc = bt_path_normpath("/usr/./local//../lib", &a);
    if (rc == 0)
        rc = bt_path_split("a/b/c", &a, &b);
    if (rc == 0)
        rc = bt_path_splitext("x.tar.gz", &b, &a);
    if (rc == 0)
        rc = bt_path_dirname("a/b", &b);
    if (rc == 0)
        rc = bt_path_basename("a/b", &a);
    if (rc == 0)
        rc = bt_path_splitdrive("a/b", &a, &b);
    if (rc == 0)
        rc = bt_path_normcase("A/B", &b);
    if (rc == 0)
        rc = bt_strvec_append_str(&v, "/usr/lib/x");
    if (rc == 0)
        rc = bt_strvec_append_str(&v, "/usr/local/y");
    if (rc == 0) {
        bt_buf_fini(&a);
        rc = bt_path_commonprefix(&v, &a);
    }
    if (rc == 0) {
        bt_buf_fini(&a);
        rc = bt_path_commonpath(&v, &a, NULL);
    }
    if (rc == 0) {
        bt_buf_fini(&a);
        rc = bt_path_expandvars("$BT_PV_A/${BT_PV_B}x$NOPE", &a);
    }
    if (rc == 0) {
        bt_buf_fini(&a);
        rc = bt_path_expanduser("~root/x", &a);
    }
    if (rc == 0) {
        bt_buf_fini(&a);
        rc = bt_path_expanduser("~/x", &a);
    }
    if (rc == 0) {
        bt_buf_fini(&a);
        rc = bt_path_relpath("/a/b/c", "/a/d", &a, NULL);
    }
    if (rc == 0) {
        bt_buf_fini(&a);
        rc = bt_path_relpath("c", "../d", &a, NULL);
    }
    if (rc == 0) {
        bt_buf_fini(&a);
        rc = bt_path_abspath("x/../y", &a, NULL);
    }
    bt_buf_fini(&a);
    bt_buf_fini(&b);
    bt_strvec_fini(&v);
    return rc;
}

Test(path_alloc, pure_functions)
{
    setenv("BT_PV_A", "alpha", 1);
    setenv("BT_PV_B", "beta", 1);
    setenv("HOME", "/home/x", 1);
    cr_assert_gt(bt_test_allocfail(scenario_pure, NULL), 10);
}

static int scenario_long_relpath(void *arg)
{
    const char *long_path = arg;
    bt_buf a = BT_BUF_INIT;
    int rc = bt_path_relpath(long_path, "/x/y", &a, NULL);
    bt_buf_fini(&a);
    return rc;
}

Test(path_alloc, relpath_scratch)
{
    char *p = malloc(3001);
    cr_assert_not_null(p);
    for (int i = 0; i < 3000; i++)
        p[i] = i % 3 == 0 ? '/' : 'q';
    p[3000] = '\0';
    cr_assert_eq(bt_test_allocfail(scenario_long_relpath, p), 2);
    free(p);
}
