/* HMAC objects and compare_digest beyond the CPython vectors. */
#include "hashlib_test.h"

static void hmac_hex(bt_hmac *h, char *out)
{
    ptrdiff_t k = bt_hmac_hexdigest(h, out, BT_HASHLIB_MAX_HEXDIGEST_SIZE);
    cr_assert_eq(k, 2 * bt_hmac_digest_size(h));
}

static void hmac_whole(const char *name, const void *key, size_t kl,
                       const unsigned char *msg, size_t n, char *out)
{
    unsigned char d[BT_HASHLIB_MAX_DIGEST_SIZE];
    ptrdiff_t k = bt_hmac_digest(key, kl, msg, n, name, d, sizeof d, NULL);
    cr_assert_gt(k, 0, "%s", name);
    char *hex = ht_hex(d, (size_t)k);
    strcpy(out, hex);
    free(hex);
}

static const char *const mods[] = {"sha256",  "md5",    "sha3_512", "blake2b",
                                   "blake2s", "sha512", "sm3"};

Test(hmac, pieces_copy_and_repeated_digests)
{
    unsigned char *key = ht_pattern(200, 1);
    unsigned char *msg = ht_pattern(3000, 2);
    for (size_t a = 0; a < sizeof mods / sizeof mods[0]; a++) {
        for (size_t kl = 0; kl <= 200; kl += 50) {
            char want1[130], want2[130], want3[130], got[130];
            hmac_whole(mods[a], key, kl, msg, 100, want1);
            hmac_whole(mods[a], key, kl, msg, 3000, want2);
            hmac_whole(mods[a], key, kl, msg, 150, want3);
            bt_hmac *h, *c;
            cr_assert_eq(bt_hmac_new(key, kl, NULL, 0, mods[a], &h, NULL), 0);
            cr_assert_eq(bt_hmac_update(h, msg, 40), 0);
            cr_assert_eq(bt_hmac_update(h, msg + 40, 60), 0);
            hmac_hex(h, got);
            cr_expect_str_eq(got, want1, "%s kl=%zu", mods[a], kl);
            hmac_hex(h, got);
            cr_expect_str_eq(got, want1, "%s kl=%zu again", mods[a], kl);
            cr_assert_eq(bt_hmac_copy(h, &c), 0);
            cr_expect_str_eq(bt_hmac_name(c), bt_hmac_name(h));
            cr_assert_eq(bt_hmac_update(h, msg + 100, 2900), 0);
            cr_assert_eq(bt_hmac_update(c, msg + 100, 50), 0);
            hmac_hex(h, got);
            cr_expect_str_eq(got, want2, "%s kl=%zu long", mods[a], kl);
            bt_hmac_free(h);
            hmac_hex(c, got);
            cr_expect_str_eq(got, want3, "%s kl=%zu copy", mods[a], kl);
            unsigned char raw[64];
            ptrdiff_t k = bt_hmac_digest_into(c, raw, sizeof raw);
            cr_assert_eq(k, bt_hmac_digest_size(c));
            char *hex = ht_hex(raw, (size_t)k);
            cr_expect_str_eq(hex, want3);
            free(hex);
            bt_hmac_free(c);
        }
    }
    free(key);
    free(msg);
}

Test(hmac, rfc4231_case_2)
{
    /* RFC 4231 test case 2: key "Jefe". */
    const char *msg = "what do ya want for nothing?";
    char got[130];
    hmac_whole("sha256", "Jefe", 4, (const unsigned char *)msg, strlen(msg),
               got);
    cr_expect_str_eq(
        got,
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

Test(hmac, errors_and_small_buffers)
{
    bt_hmac *h;
    bt_err err = BT_ERR_INIT;
    unsigned char out[64];
    char hex[129];
    cr_expect_eq(bt_hmac_new("k", 1, NULL, 0, NULL, &h, &err), BT_ETYPE);
    cr_expect_str_eq(err.msg, "Missing required parameter 'digestmod'.");
    cr_expect_eq(bt_hmac_digest("k", 1, "m", 1, NULL, out, 64, &err), BT_ETYPE);
    cr_expect_eq(bt_hmac_digest("k", 1, "m", 1, "sha256", out, 31, &err),
                 BT_EVALUE);
    cr_expect_eq(bt_hmac_digest("k", 1, "m", 1, "sha256", out, 32, NULL), 32);
    cr_assert_eq(bt_hmac_new("k", 1, "m", 1, "sha384", &h, NULL), 0);
    cr_expect_eq(bt_hmac_digest_into(h, out, 47), BT_EVALUE);
    cr_expect_eq(bt_hmac_hexdigest(h, hex, 96), BT_EVALUE);
    cr_expect_eq(bt_hmac_digest_into(h, out, 48), 48);
    cr_expect_eq(bt_hmac_block_size(h), 128);
    cr_expect_str_eq(bt_hmac_name(h), "hmac-sha384");
    bt_hmac_free(h);
    bt_hmac_free(NULL);
}

Test(hmac, compare_digest)
{
    cr_expect_eq(bt_hmac_compare_digest(NULL, 0, NULL, 0), 1);
    cr_expect_eq(bt_hmac_compare_digest("a", 1, NULL, 0), 0);
    cr_expect_eq(bt_hmac_compare_digest(NULL, 0, "a", 1), 0);
    cr_expect_eq(bt_hmac_compare_digest("abc", 3, "abc", 3), 1);
    cr_expect_eq(bt_hmac_compare_digest("abc", 3, "abC", 3), 0);
    cr_expect_eq(bt_hmac_compare_digest("abc", 3, "abc", 2), 0);
    /* Equal prefixes of different lengths are not equal. */
    cr_expect_eq(bt_hmac_compare_digest("ab", 2, "abc", 3), 0);
}
