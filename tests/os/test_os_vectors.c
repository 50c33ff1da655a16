/* Replays tools/gen_vectors/os.py: float times through utime and back
 * through stat, and waitstatus_to_exitcode. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bt_test.h"
#include "os_test.h"

static double unbits(const char *hex)
{
    uint64_t u = strtoull(hex, NULL, 16);
    double d;
    memcpy(&d, &u, sizeof d);
    return d;
}

Test(os_vectors, utime_float_times)
{
    char root[64];
    os_test_mkroot(root);
    cr_assert_eq(chdir(root), 0);
    os_test_touch("f", NULL);
    bt_test_vectors v;
    char *f[BT_TEST_MAX_FIELDS];
    int nf, cases = 0;
    bt_test_vectors_open(&v, "os", "utime");
    while ((nf = bt_test_vectors_next(&v, f)) > 0) {
        double t[2] = {unbits(f[0]), unbits(f[1])};
        bt_err err = BT_ERR_INIT;
        int rc = bt_os_utime("f", t, true, &err);
        if (strcmp(f[2], "err") == 0) {
            cr_expect_lt(rc, 0, "line %d: utime(%s, %s) should fail", v.lineno,
                         f[0], f[1]);
            cr_expect_str_eq(bt_errname(rc), f[3], "line %d", v.lineno);
            cr_expect_str_eq(err.msg, f[4], "line %d", v.lineno);
        } else {
            cr_assert_eq(rc, 0, "line %d: %s", v.lineno, err.msg);
            bt_os_stat_result st;
            cr_assert_eq(bt_os_stat("f", &st, NULL), 0);
            cr_expect_eq(st.st_atime_ns, strtoll(f[3], NULL, 10),
                         "line %d: atime %.17g", v.lineno, t[0]);
            cr_expect_eq(st.st_mtime_ns, strtoll(f[4], NULL, 10),
                         "line %d: mtime %.17g", v.lineno, t[1]);
        }
        cases++;
    }
    bt_test_vectors_close(&v);
    cr_expect_gt(cases, 600);
    cr_assert_eq(chdir("/"), 0);
    os_test_rm(root);
}

Test(os_vectors, waitstatus_to_exitcode)
{
    bt_test_vectors v;
    char *f[BT_TEST_MAX_FIELDS];
    int nf, cases = 0;
    bt_test_vectors_open(&v, "os", "waitstatus");
    while ((nf = bt_test_vectors_next(&v, f)) > 0) {
        bt_err err = BT_ERR_INIT;
        int rc = bt_os_waitstatus_to_exitcode(atoi(f[0]), &err);
        if (strcmp(f[1], "ok") == 0) {
            cr_expect_eq(rc, atoi(f[2]), "status %s", f[0]);
        } else {
            cr_expect_eq(rc, BT_EVALUE, "status %s", f[0]);
            cr_expect_str_eq(err.msg, f[3], "status %s", f[0]);
        }
        cases++;
    }
    bt_test_vectors_close(&v);
    cr_expect_gt(cases, 1000);
}
