/* Error codes, messages and bt_err, against CPython's errno tables. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "bt_test.h"

Test(error, os_codes_are_negative_errno)
{
    cr_assert_eq(BT_ENOENT, -ENOENT);
    cr_assert_eq(BT_ENOMEM, -ENOMEM);
    cr_assert_eq(BT_ETIMEDOUT, -ETIMEDOUT);
    cr_assert(BT_EVALUE < -200, "library codes must stay clear of errno values");
}

Test(error, errno_table_matches_cpython)
{
    bt_test_vectors v;
    char *f[BT_TEST_MAX_FIELDS];
    int cases = 0;
    bt_test_vectors_open(&v, "core", "errno");
    while (bt_test_vectors_next(&v, f) == 4) {
        int e = atoi(f[0]);
        /* Deviation: allocation failure is MemoryError in Python, and the
         * library reports it as BT_ENOMEM. */
        const char *want = e == ENOMEM ? "MemoryError" : f[1];
        cr_expect_str_eq(bt_errname(-e), want, "errno %d", e);
        cr_expect_str_eq(bt_strerror(-e), f[3], "errno %d", e);
        /* EWOULDBLOCK/EAGAIN and the like share a number: any of the names. */
        cr_expect_eq(strerror(e) != NULL, 1);
        cr_expect(strlen(bt_errsym(-e)) > 0, "errno %d has no symbol", e);
        cases++;
    }
    bt_test_vectors_close(&v);
    cr_assert_gt(cases, 100);
}

Test(error, library_codes)
{
    cr_assert_str_eq(bt_errname(BT_EVALUE), "ValueError");
    cr_assert_str_eq(bt_errname(BT_ESTRUCT), "struct.error");
    cr_assert_str_eq(bt_errsym(BT_EVALUE), "BT_EVALUE");
    cr_assert_str_eq(bt_errsym(BT_ENOENT), "ENOENT");
    cr_assert_str_eq(bt_strerror(BT_EINDEX), "index out of range");
    cr_assert_str_eq(bt_strerror(0), "Success");
    cr_assert_str_eq(bt_errname(0), "");
    cr_assert_str_eq(bt_errname(-4000), "OSError");
    cr_assert_str_eq(bt_strerror(-4000), "Unknown error 4000");
    cr_assert_str_eq(bt_errsym(-4000), "");
}

Test(error, err_setf_and_clear)
{
    bt_err err = BT_ERR_INIT;
    cr_assert_eq(err.pos, -1);
    int rc = bt_err_setf(&err, BT_EVALUE, 7, "bad escape %s at position %d", "\\q", 7);
    cr_assert_eq(rc, BT_EVALUE);
    cr_assert_eq(err.code, BT_EVALUE);
    cr_assert_eq(err.pos, 7);
    cr_assert_str_eq(err.msg, "bad escape \\q at position 7");
    bt_err_clear(&err);
    cr_assert_eq(err.code, 0);
    cr_assert_eq(err.pos, -1);
    cr_assert_str_eq(err.msg, "");
    cr_assert_eq(bt_err_setf(NULL, BT_ETYPE, 0, "x"), BT_ETYPE);
    bt_err_clear(NULL);
}

Test(error, err_setf_truncates)
{
    bt_err err = BT_ERR_INIT;
    char big[2000];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    bt_err_setf(&err, BT_EVALUE, -1, "%s", big);
    cr_assert_eq(strlen(err.msg), BT_ERR_MSG_SIZE - 1);
}

Test(error, oserror_text_matches_cpython)
{
    bt_test_vectors v;
    char *f[BT_TEST_MAX_FIELDS];
    int cases = 0;
    bt_test_vectors_open(&v, "core", "oserror");
    while (bt_test_vectors_next(&v, f) == 4) {
        size_t n;
        char *f1 = strcmp(f[1], "-") ? bt_test_unhex(f[1], &n) : NULL;
        char *f2 = strcmp(f[2], "-") ? bt_test_unhex(f[2], &n) : NULL;
        char *want = bt_test_unhex(f[3], &n);
        bt_err err = BT_ERR_INIT;
        int rc = bt_err_oserror(&err, -atoi(f[0]), f1, f2);
        cr_expect_eq(rc, -atoi(f[0]));
        cr_expect_str_eq(err.msg, want);
        free(f1);
        free(f2);
        free(want);
        cases++;
    }
    bt_test_vectors_close(&v);
    cr_assert_gt(cases, 20);
}

Test(error, oserror_long_name_truncated_cleanly)
{
    char name[3000];
    memset(name, 'n', sizeof name - 1);
    name[sizeof name - 1] = '\0';
    bt_err err = BT_ERR_INIT;
    bt_err_oserror(&err, BT_ENOENT, name, name);
    size_t len = strlen(err.msg);
    cr_assert_lt(len, BT_ERR_MSG_SIZE);
    cr_assert(strncmp(err.msg, "[Errno 2] No such file or directory: 'nnn", 41) == 0);
    cr_assert_eq(err.msg[len - 1], '\'', "%s", err.msg);
    cr_assert(strstr(err.msg, "...'") != NULL);
}
