/* UTF-8 decoding against CPython's strict decoder (tests/core/vectors/utf8.tsv). */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "bt_test.h"

Test(utf8, validate_matches_cpython)
{
    bt_test_vectors v;
    char *f[BT_TEST_MAX_FIELDS];
    int cases = 0;
    bt_test_vectors_open(&v, "core", "utf8");
    int nf;
    while ((nf = bt_test_vectors_next(&v, f)) > 0) {
        size_t n;
        char *data = bt_test_unhex(f[0], &n);
        bt_err err = BT_ERR_INIT;
        int rc = bt_utf8_validate(data, n, &err);
        ptrdiff_t count = bt_utf8_count(data, n);
        if (strcmp(f[1], "ok") == 0) {
            cr_expect_eq(rc, 0, "%s: %s", f[0], err.msg);
            cr_expect_eq(count, atol(f[2]), "%s", f[0]);
        } else {
            cr_assert_eq(nf, 5);
            cr_expect_eq(rc, BT_EUNICODE, "%s", f[0]);
            cr_expect_eq(count, BT_EUNICODE, "%s", f[0]);
            cr_expect_eq(err.code, BT_EUNICODE);
            cr_expect_eq(err.pos, atol(f[2]), "%s", f[0]);
            cr_expect_str_eq(err.msg, f[4], "%s", f[0]);
            /* decode() at the bad spot reports the same span. */
            size_t adv;
            size_t start = (size_t)atol(f[2]);
            cr_expect_eq(bt_utf8_decode(data + start, n - start, &adv), -1);
            cr_expect_eq(adv, (size_t)(atol(f[3]) - atol(f[2])), "%s", f[0]);
        }
        free(data);
        cases++;
    }
    bt_test_vectors_close(&v);
    cr_assert_gt(cases, 400);
}

Test(utf8, decode_and_encode_round_trip)
{
    char out[4];
    for (uint32_t cp = 0; cp <= 0x10FFFF; cp++) {
        size_t k = bt_utf8_encode(cp, out);
        if (cp >= 0xD800 && cp <= 0xDFFF) {
            cr_assert_eq(k, 0);
            continue;
        }
        cr_assert(k >= 1 && k <= 4);
        size_t adv;
        cr_assert_eq(bt_utf8_decode(out, k, &adv), (int32_t)cp);
        cr_assert_eq(adv, k);
        cr_assert_eq(bt_utf8_validate(out, k, NULL), 0);
    }
    cr_assert_eq(bt_utf8_encode(0x110000, out), 0);
}

Test(utf8, long_ascii_runs)
{
    /* Exercise every alignment of the word-at-a-time ASCII scan. */
    char buf[200];
    for (size_t bad = 0; bad < 100; bad++) {
        memset(buf, 'a', sizeof buf);
        buf[bad] = (char)0xff;
        bt_err err = BT_ERR_INIT;
        cr_assert_eq(bt_utf8_validate(buf, sizeof buf, &err), BT_EUNICODE);
        cr_assert_eq(err.pos, (ptrdiff_t)bad);
        cr_assert_eq(bt_utf8_count(buf, bad), (ptrdiff_t)bad);
    }
}
