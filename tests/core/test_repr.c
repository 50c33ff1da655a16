/* repr() and isprintable() against CPython (tests/core/vectors/repr.tsv). */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "bt_test.h"

Test(repr, str_and_bytes_match_cpython)
{
    bt_test_vectors v;
    char *f[BT_TEST_MAX_FIELDS];
    int cases = 0;
    bt_test_vectors_open(&v, "core", "repr");
    while (bt_test_vectors_next(&v, f) == 3) {
        size_t n, wn;
        char *data = bt_test_unhex(f[0], &n);
        char *want = bt_test_unhex(f[1], &wn);
        bt_buf b = BT_BUF_INIT;
        cr_assert_eq(bt_buf_append_str(&b, "<"), 0);
        cr_assert_eq(bt_repr_str(&b, data, n), 0);
        cr_expect_eq(b.len, wn + 1, "%s: got %s want %s", f[0], b.data, want);
        cr_expect_eq(memcmp(b.data + 1, want, wn), 0, "%s: got %s want %s", f[0], b.data, want);
        bt_buf_clear(&b);
        cr_assert_eq(bt_repr_bytes(&b, data, n), 0);
        cr_expect_str_eq(b.data, f[2], "%s", f[0]);
        bt_buf_fini(&b);
        free(data);
        free(want);
        cases++;
    }
    bt_test_vectors_close(&v);
    cr_assert_gt(cases, 300);
}

Test(repr, isprintable_matches_cpython)
{
    bt_test_vectors v;
    char *f[BT_TEST_MAX_FIELDS];
    int cases = 0;
    bt_test_vectors_open(&v, "core", "printable");
    while (bt_test_vectors_next(&v, f) == 2) {
        uint32_t cp = (uint32_t)strtoul(f[0], NULL, 16);
        cr_expect_eq(bt_unicode_isprintable(cp), f[1][0] == '1', "U+%04X", cp);
        cases++;
    }
    bt_test_vectors_close(&v);
    cr_assert_gt(cases, 1000);
}
