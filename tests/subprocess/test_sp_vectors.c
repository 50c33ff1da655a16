/*
 * test_sp_vectors.c — subprocess.run on a matrix of child behaviours (exit
 * codes, signals, output sizes, stdin closed early, timeouts, check),
 * compared with what CPython returned for the same children
 * (tools/gen_vectors/subprocess.py), and CalledProcessError's wording for
 * every signal.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include <batteries/hashlib.h>
#include <batteries/subprocess.h>

#include "bt_test.h"
#include "sp_test.h"

static int mode(const char *s)
{
    if (strcmp(s, "pipe") == 0)
        return BT_SUBPROCESS_PIPE;
    if (strcmp(s, "devnull") == 0)
        return BT_SUBPROCESS_DEVNULL;
    if (strcmp(s, "stdout") == 0)
        return BT_SUBPROCESS_STDOUT;
    cr_assert_fail("bad mode %s", s);
    return 0;
}

/* Splits hex of NUL-joined strings into a NULL-terminated vector. */
static char **split_args(const char *hex, char **blob)
{
    size_t n;
    *blob = bt_test_unhex(hex, &n);
    size_t count = 1;
    for (size_t i = 0; i < n; i++)
        count += (*blob)[i] == '\0';
    char **v = calloc(count + 1, sizeof *v);
    size_t k = 0;
    v[k++] = *blob;
    for (size_t i = 0; i < n; i++)
        if ((*blob)[i] == '\0')
            v[k++] = *blob + i + 1;
    return v;
}

static void check_data(const char *name, const char *what, bool has,
                       const bt_buf *b, const char *len_field,
                       const char *data_field)
{
    if (strcmp(len_field, "-") == 0) {
        cr_expect_not(has, "%s: %s should be None", name, what);
        return;
    }
    cr_assert(has, "%s: %s should be captured", name, what);
    size_t want = strtoul(len_field, NULL, 10);
    cr_assert_eq(b->len, want, "%s: %s has %zu bytes, CPython %zu", name, what,
                 b->len, want);
    if (strncmp(data_field, "sha256:", 7) == 0) {
        bt_hash *h;
        cr_assert_eq(bt_hashlib_sha256(b->data, b->len, &h), 0);
        char hex[160];
        cr_assert_geq(bt_hashlib_hexdigest(h, hex, sizeof hex), 0);
        bt_hashlib_free(h);
        cr_expect_str_eq(hex, data_field + 7, "%s: %s differs", name, what);
    } else {
        size_t n;
        char *expect = bt_test_unhex(data_field, &n);
        cr_expect(n == b->len && (n == 0 || memcmp(expect, b->data, n) == 0),
                  "%s: %s differs", name, what);
        free(expect);
    }
}

Test(subprocess_vectors, run_matrix_matches_cpython)
{
    bt_test_vectors v;
    bt_test_vectors_open(&v, "subprocess", "run");
    char *f[BT_TEST_MAX_FIELDS];
    int cases = 0;
    while (bt_test_vectors_next(&v, f)) {
        const char *name = f[0];
        char *blob;
        char **args = split_args(f[2], &blob);
        bt_subprocess_opts o = BT_SUBPROCESS_OPTS_INIT;
        o.shell = f[1][0] == '1';
        char *input = NULL;
        size_t input_len = 0;
        if (strncmp(f[3], "zeros:", 6) == 0) {
            input_len = strtoul(f[3] + 6, NULL, 10);
            input = calloc(1, input_len + 1);
        } else if (strcmp(f[3], "-") != 0) {
            input = bt_test_unhex(f[3], &input_len);
        } else {
            o.in = BT_SUBPROCESS_DEVNULL;
        }
        o.input = input;
        o.input_len = input_len;
        o.out = mode(f[4]);
        o.err = mode(f[5]);
        if (strcmp(f[6], "-") != 0)
            o.timeout = strtod(f[6], NULL);
        o.check = f[7][0] == '1';
        bt_subprocess_completed r;
        bt_err err = BT_ERR_INIT;
        int rc = bt_subprocess_run((const char *const *)args, &o, &r, &err);
        if (strcmp(f[8], "-") == 0) {
            cr_expect_eq(rc, 0, "%s: %s: %s", name, bt_errname(rc), err.msg);
        } else {
            cr_expect_str_eq(bt_errname(rc), f[8], "%s", name);
            cr_expect_str_eq(err.msg, f[9], "%s", name);
        }
        if (strcmp(f[10], "-") != 0)
            cr_expect_eq(r.returncode, atoi(f[10]), "%s: returncode %d, CPython %s",
                         name, r.returncode, f[10]);
        else /* TimeoutExpired: killed by run */
            cr_expect_eq(r.returncode, -9, "%s", name);
        check_data(name, "stdout", r.has_stdout, &r.stdout_buf, f[11], f[12]);
        check_data(name, "stderr", r.has_stderr, &r.stderr_buf, f[13], f[14]);
        bt_subprocess_completed_fini(&r);
        free(input);
        free(args);
        free(blob);
        sp_no_zombie();
        cases++;
    }
    bt_test_vectors_close(&v);
    cr_assert_gt(cases, 40);
}

/* The library's formatter behind check's errors (hidden, reachable from
 * the static library): every returncode, including each signal number,
 * against CPython's str(CalledProcessError(rc, cmd)). Real children that
 * die of signals go through it in the matrix above. */
int bt__sp_called_error(bt_err *err, const bt_strvec *args, bool shell,
                        int returncode);

Test(subprocess_vectors, called_process_error_wording)
{
    bt_test_vectors v;
    bt_test_vectors_open(&v, "subprocess", "called");
    char *f[BT_TEST_MAX_FIELDS];
    int cases = 0;
    while (bt_test_vectors_next(&v, f)) {
        bool shell = strncmp(f[1], "str:", 4) == 0;
        char *blob;
        char **args = split_args(shell ? f[1] + 4 : f[1], &blob);
        bt_strvec vec = BT_STRVEC_INIT;
        for (size_t i = 0; args[i]; i++)
            cr_assert_eq(bt_strvec_append_str(&vec, args[i]), 0);
        bt_err err = BT_ERR_INIT;
        cr_expect_eq(bt__sp_called_error(&err, &vec, shell, atoi(f[0])),
                     BT_ECALLEDPROCESS);
        cr_expect_str_eq(err.msg, f[2], "returncode %s", f[0]);
        bt_strvec_fini(&vec);
        free(args);
        free(blob);
        cases++;
    }
    bt_test_vectors_close(&v);
    cr_assert_gt(cases, 200);
}
