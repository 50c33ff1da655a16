/* hashlib and hmac against CPython (tests/hashlib/vectors/, written by
 * tools/gen_vectors/hashlib.py). */
#include <openssl/crypto.h>
#include <stdio.h>

#include "hashlib_test.h"

/* Checks a failure against the vector's Python class and message. */
static void expect_error(int rc, const bt_err *err, const char *cls,
                         const char *msg, const char *what)
{
    cr_expect_lt(rc, 0, "%s: succeeded, Python raised %s", what, cls);
    cr_expect_str_eq(bt_errname(rc), cls, "%s: got %s", what, bt_errsym(rc));
    cr_expect_eq(err->code, rc, "%s", what);
    cr_expect_str_eq(err->msg, msg, "%s", what);
}

Test(vectors, digests)
{
    bt_test_vectors v;
    char *f[BT_TEST_MAX_FIELDS];
    int cases = 0;
    bt_test_vectors_open(&v, "hashlib", "digests");
    while (bt_test_vectors_next(&v, f) == 4) {
        size_t n;
        unsigned char *data = ht_field(f[1], &n);
        bt_hash *h = NULL;
        bt_err err = BT_ERR_INIT;
        cr_assert_eq(bt_hashlib_new(f[0], data, n, &h, &err), 0, "%s: %s", f[0],
                     err.msg);
        if (strcmp(f[2], "-") == 0) {
            cr_expect_str_eq(ht_hexdigest(h), f[3], "%s %s", f[0], f[1]);
            /* The one-shot agrees. */
            unsigned char out[BT_HASHLIB_MAX_DIGEST_SIZE];
            ptrdiff_t k = bt_hashlib_hash(f[0], data, n, out, sizeof out, &err);
            cr_assert_eq(k, bt_hashlib_digest_size(h), "%s: %s", f[0], err.msg);
            char *hex = ht_hex(out, (size_t)k);
            cr_expect_str_eq(hex, f[3], "one-shot %s %s", f[0], f[1]);
            free(hex);
        } else {
            size_t len = strtoul(f[2], NULL, 10);
            char *hex = malloc(2 * len + 1);
            cr_assert_eq(bt_hashlib_shake_hexdigest(h, hex, len),
                         (ptrdiff_t)(2 * len));
            cr_expect_str_eq(hex, f[3], "%s %s %zu", f[0], f[1], len);
            unsigned char *bin = malloc(len + 1);
            cr_assert_eq(bt_hashlib_shake_digest(h, bin, len), (ptrdiff_t)len);
            char *again = ht_hex(bin, len);
            cr_expect_str_eq(again, f[3]);
            free(again);
            free(bin);
            free(hex);
        }
        bt_hashlib_free(h);
        free(data);
        cases++;
    }
    bt_test_vectors_close(&v);
    cr_assert_gt(cases, 250);
}

/* Names: what bt_hashlib_new accepts, the name and sizes it reports. */
Test(vectors, info)
{
    bt_test_vectors v;
    char *f[BT_TEST_MAX_FIELDS];
    int cases = 0, nf;
    unsigned char *data = ht_pattern(100, 0);
    bt_test_vectors_open(&v, "hashlib", "info");
    while ((nf = bt_test_vectors_next(&v, f)) > 0) {
        bt_hash *h = NULL;
        bt_err err = BT_ERR_INIT;
        int rc = bt_hashlib_new(f[0], data, 100, &h, &err);
        if (strcmp(f[1], "err") == 0) {
            cr_assert_eq(nf, 4);
            expect_error(rc, &err, f[2], f[3], f[0]);
            unsigned char out[64];
            bt_err err2 = BT_ERR_INIT;
            cr_expect_eq(bt_hashlib_hash(f[0], "", 0, out, sizeof out, &err2),
                         rc);
            cr_expect_str_eq(err2.msg, f[3]);
        } else {
            cr_assert_eq(nf, 6);
            cr_assert_eq(rc, 0, "%s: %s", f[0], err.msg);
            cr_expect_str_eq(bt_hashlib_name(h), f[2], "%s", f[0]);
            cr_expect_eq(bt_hashlib_digest_size(h), atoi(f[3]), "%s", f[0]);
            cr_expect_eq(bt_hashlib_block_size(h), atoi(f[4]), "%s", f[0]);
            char hex[81];
            unsigned char out[BT_HASHLIB_MAX_DIGEST_SIZE];
            if (bt_hashlib_digest(h, out, sizeof out) == BT_ETYPE) {
                cr_assert_eq(bt_hashlib_shake_hexdigest(h, hex, 40), 80);
                cr_expect_str_eq(hex, f[5], "%s", f[0]);
            } else {
                cr_expect_str_eq(ht_hexdigest(h), f[5], "%s", f[0]);
            }
            bt_hashlib_free(h);
        }
        cases++;
    }
    bt_test_vectors_close(&v);
    free(data);
    cr_assert_gt(cases, 50);
}

static int int_field(const char *s)
{
    return (int)strtol(s, NULL, 10);
}

Test(vectors, blake2)
{
    bt_test_vectors v;
    char *f[BT_TEST_MAX_FIELDS];
    int cases = 0, nf;
    bt_test_vectors_open(&v, "hashlib", "blake2");
    while ((nf = bt_test_vectors_next(&v, f)) > 0) {
        bool is_b = strcmp(f[0], "blake2b") == 0;
        bt_hashlib_blake2_params p =
            is_b ? (bt_hashlib_blake2_params)BT_HASHLIB_BLAKE2B_PARAMS
                 : (bt_hashlib_blake2_params)BT_HASHLIB_BLAKE2S_PARAMS;
        size_t n;
        unsigned char *key = ht_field(f[2], &p.key_len);
        unsigned char *salt = ht_field(f[3], &p.salt_len);
        unsigned char *person = ht_field(f[4], &p.person_len);
        unsigned char *data = ht_field(f[12], &n);
        p.key = key;
        p.salt = salt;
        p.person = person;
        p.digest_size = int_field(f[1]);
        p.fanout = int_field(f[5]);
        p.depth = int_field(f[6]);
        p.leaf_size = strtoull(f[7], NULL, 10);
        p.node_offset = strtoull(f[8], NULL, 10);
        p.node_depth = int_field(f[9]);
        p.inner_size = int_field(f[10]);
        p.last_node = f[11][0] == '1';
        bt_hash *h = NULL;
        bt_err err = BT_ERR_INIT;
        int rc = is_b ? bt_hashlib_blake2b(data, n, &p, &h, &err)
                      : bt_hashlib_blake2s(data, n, &p, &h, &err);
        char what[128];
        snprintf(what, sizeof what, "%s line %d", f[0], v.lineno);
        if (strcmp(f[13], "ok") == 0) {
            cr_assert_eq(rc, 0, "%s: %s", what, err.msg);
            cr_expect_str_eq(ht_hexdigest(h), f[14], "%s", what);
            cr_expect_eq(bt_hashlib_digest_size(h), p.digest_size);
            cr_expect_str_eq(bt_hashlib_name(h), f[0]);
            bt_hashlib_free(h);
        } else {
            cr_assert_eq(nf, 16);
            expect_error(rc, &err, f[14], f[15], what);
        }
        free(key);
        free(salt);
        free(person);
        free(data);
        cases++;
    }
    bt_test_vectors_close(&v);
    cr_assert_gt(cases, 200);
}

Test(vectors, hmac)
{
    bt_test_vectors v;
    char *f[BT_TEST_MAX_FIELDS];
    int cases = 0, nf;
    bt_test_vectors_open(&v, "hashlib", "hmac");
    while ((nf = bt_test_vectors_next(&v, f)) > 0) {
        size_t kl, ml;
        unsigned char *key = ht_field(f[1], &kl);
        unsigned char *msg = ht_field(f[2], &ml);
        bt_hmac *h = NULL;
        bt_err err = BT_ERR_INIT, err2 = BT_ERR_INIT;
        int rc = bt_hmac_new(key, kl, msg, ml, f[0], &h, &err);
        unsigned char out[BT_HASHLIB_MAX_DIGEST_SIZE];
        ptrdiff_t k =
            bt_hmac_digest(key, kl, msg, ml, f[0], out, sizeof out, &err2);
        char what[128];
        snprintf(what, sizeof what, "%s key %s msg %s", f[0], f[1], f[2]);
        if (strcmp(f[3], "ok") == 0) {
            cr_assert_eq(nf, 8);
            cr_assert_eq(rc, 0, "%s: %s", what, err.msg);
            cr_expect_str_eq(bt_hmac_name(h), f[4], "%s", what);
            cr_expect_eq(bt_hmac_digest_size(h), atoi(f[5]), "%s", what);
            cr_expect_eq(bt_hmac_block_size(h), atoi(f[6]), "%s", what);
            char hex[BT_HASHLIB_MAX_HEXDIGEST_SIZE];
            cr_assert_eq(bt_hmac_hexdigest(h, hex, sizeof hex), 2 * atoi(f[5]));
            cr_expect_str_eq(hex, f[7], "%s", what);
            cr_assert_eq(k, atoi(f[5]), "%s: %s", what, err2.msg);
            char *one = ht_hex(out, (size_t)k);
            cr_expect_str_eq(one, f[7], "one-shot %s", what);
            free(one);
            bt_hmac_free(h);
        } else {
            cr_assert_eq(nf, 6);
            expect_error(rc, &err, f[4], f[5], what);
            expect_error((int)k, &err2, f[4], f[5], what);
        }
        free(key);
        free(msg);
        cases++;
    }
    bt_test_vectors_close(&v);
    cr_assert_gt(cases, 500);
}

Test(vectors, pbkdf2_hmac)
{
    bt_test_vectors v;
    char *f[BT_TEST_MAX_FIELDS];
    int cases = 0, nf;
    bt_test_vectors_open(&v, "hashlib", "pbkdf2");
    while ((nf = bt_test_vectors_next(&v, f)) > 0) {
        size_t pl, sl;
        unsigned char *pw = ht_field(f[1], &pl);
        unsigned char *salt = ht_field(f[2], &sl);
        uint64_t it = strtoull(f[3], NULL, 10), dk = strtoull(f[4], NULL, 10);
        unsigned char out[256];
        bt_err err = BT_ERR_INIT;
        char what[128];
        snprintf(what, sizeof what, "pbkdf2 line %d (%s)", v.lineno, f[0]);
        bool ok = strcmp(f[5], "ok") == 0;
        /* Error cases never write, whatever their dklen. */
        cr_assert(!ok || dk <= sizeof out);
        int rc =
            bt_hashlib_pbkdf2_hmac(f[0], pw, pl, salt, sl, it, dk, out, &err);
        if (ok) {
            cr_assert_eq(rc, (int)dk, "%s: %s", what, err.msg);
            char *hex = ht_hex(out, dk);
            cr_expect_str_eq(hex, f[6], "%s", what);
            free(hex);
        } else {
            cr_assert_eq(nf, 8);
            expect_error(rc, &err, f[6], f[7], what);
        }
        free(pw);
        free(salt);
        cases++;
    }
    bt_test_vectors_close(&v);
    cr_assert_gt(cases, 60);
}

Test(vectors, scrypt, .timeout = 60)
{
    bt_test_vectors v;
    char *f[BT_TEST_MAX_FIELDS];
    int cases = 0, nf;
    bt_test_vectors_open(&v, "hashlib", "scrypt");
    while ((nf = bt_test_vectors_next(&v, f)) > 0) {
        size_t pl, sl;
        unsigned char *pw = ht_field(f[0], &pl);
        unsigned char *salt = ht_field(f[1], &sl);
        uint64_t n = strtoull(f[2], NULL, 10), r = strtoull(f[3], NULL, 10),
                 p = strtoull(f[4], NULL, 10), mm = strtoull(f[5], NULL, 10),
                 dk = strtoull(f[6], NULL, 10);
        unsigned char out[128];
        bt_err err = BT_ERR_INIT;
        char what[128];
        snprintf(what, sizeof what, "scrypt line %d", v.lineno);
        bool ok = strcmp(f[7], "ok") == 0;
        /* Error cases never write, whatever their dklen. */
        cr_assert(!ok || dk <= sizeof out);
        int rc =
            bt_hashlib_scrypt(pw, pl, salt, sl, n, r, p, mm, dk, out, &err);
        if (ok) {
            cr_assert_eq(rc, (int)dk, "%s: %s", what, err.msg);
            char *hex = ht_hex(out, dk);
            cr_expect_str_eq(hex, f[8], "%s", what);
            free(hex);
        } else {
            cr_assert_eq(nf, 10);
            expect_error(rc, &err, f[8], f[9], what);
        }
        free(pw);
        free(salt);
        cases++;
    }
    bt_test_vectors_close(&v);
    cr_assert_gt(cases, 20);
}

Test(vectors, compare_digest)
{
    bt_test_vectors v;
    char *f[BT_TEST_MAX_FIELDS];
    int cases = 0;
    bt_test_vectors_open(&v, "hashlib", "compare");
    while (bt_test_vectors_next(&v, f) == 3) {
        size_t an, bn;
        char *a = bt_test_unhex(f[0], &an);
        char *b = bt_test_unhex(f[1], &bn);
        cr_expect_eq(bt_hmac_compare_digest(a, an, b, bn), atoi(f[2]),
                     "%s vs %s", f[0], f[1]);
        free(a);
        free(b);
        cases++;
    }
    bt_test_vectors_close(&v);
    cr_assert_gt(cases, 10);
}

static void split_expect(const char *csv, const bt_strvec *got,
                         const char *what)
{
    bt_strvec want = BT_STRVEC_INIT;
    const char *p = csv;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        cr_assert_eq(bt_strvec_append(&want, p, len), 0);
        if (!comma)
            break;
        p = comma + 1;
    }
    bt_buf a = BT_BUF_INIT, b = BT_BUF_INIT;
    cr_assert_eq(bt_strvec_join(&want, ",", 1, &a), 0);
    cr_assert_eq(bt_strvec_join(got, ",", 1, &b), 0);
    cr_expect_str_eq(b.data ? b.data : "", a.data, "%s", what);
    bt_buf_fini(&a);
    bt_buf_fini(&b);
    bt_strvec_fini(&want);
}

Test(vectors, algorithms)
{
    bt_test_vectors v;
    char *f[BT_TEST_MAX_FIELDS];
    char openssl[256] = "";
    bt_test_vectors_open(&v, "hashlib", "algorithms");
    while (bt_test_vectors_next(&v, f) == 2) {
        if (strcmp(f[0], "openssl") == 0) {
            snprintf(openssl, sizeof openssl, "%s", f[1]);
        } else if (strcmp(f[0], "guaranteed") == 0) {
            bt_strvec got = BT_STRVEC_INIT;
            cr_assert_eq(bt_hashlib_algorithms_guaranteed(&got), 0);
            split_expect(f[1], &got, "algorithms_guaranteed");
            bt_strvec_fini(&got);
        } else {
            bt_strvec got = BT_STRVEC_INIT;
            cr_assert_eq(bt_hashlib_algorithms_available(&got), 0);
            /* The set depends on the OpenSSL build: compare when CPython
             * used the same one, else require every name to work. */
            if (strcmp(openssl, OpenSSL_version(OPENSSL_VERSION)) == 0)
                split_expect(f[1], &got, "algorithms_available");
            for (size_t i = 0; i < got.count; i++) {
                bt_hash *h = NULL;
                bt_err err = BT_ERR_INIT;
                cr_expect_eq(bt_hashlib_new(got.items[i], NULL, 0, &h, &err), 0,
                             "%s: %s", got.items[i], err.msg);
                if (h)
                    cr_expect_str_eq(bt_hashlib_name(h), got.items[i]);
                bt_hashlib_free(h);
            }
            bt_strvec_fini(&got);
        }
    }
    bt_test_vectors_close(&v);
}
