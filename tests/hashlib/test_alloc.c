/* Every allocation of the module's functions fails in turn: each must give
 * BT_ENOMEM and leak nothing (bt_test_allocfail). OpenSSL's own memory does
 * not go through the hook and is not counted. */
#include <stdio.h>
#include <unistd.h>

#include "hashlib_test.h"

#define TRY(expr)                                                              \
    do {                                                                       \
        ptrdiff_t rc_ = (expr);                                                \
        if (rc_ < 0) {                                                         \
            rc = (int)rc_;                                                     \
            goto out;                                                          \
        }                                                                      \
    } while (0)

static int hash_scenario(void *arg)
{
    const char *name = arg;
    bt_hash *h = NULL, *c = NULL;
    int rc = 0;
    unsigned char out[64];
    char hex[129];
    TRY(bt_hashlib_new(name, "abc", 3, &h, NULL));
    TRY(bt_hashlib_update(h, "def", 3));
    if (bt_hashlib_digest_size(h) == 0) {
        TRY(bt_hashlib_shake_digest(h, out, 20));
    } else {
        TRY(bt_hashlib_digest(h, out, sizeof out));
        TRY(bt_hashlib_hexdigest(h, hex, sizeof hex));
    }
    TRY(bt_hashlib_copy(h, &c));
    TRY(bt_hashlib_update(c, "ghi", 3));
    bt_hashlib_free(h);
    h = NULL;
    TRY(bt_hashlib_copy(c, &h));
    /* The one-shot allocates nothing of ours; shake has no one-shot. */
    if (bt_hashlib_digest_size(h) > 0)
        TRY(bt_hashlib_hash(name, "abc", 3, out, sizeof out, NULL));
out:
    bt_hashlib_free(h);
    bt_hashlib_free(c);
    return rc;
}

Test(alloc, hash_objects)
{
    const char *names[] = {"sha256",  "md5",     "sha3_256",  "shake_128",
                           "blake2b", "blake2s", "ripemd160", "SHA-256"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        cr_expect_gt(bt_test_allocfail(hash_scenario, (void *)names[i]), 0,
                     "%s", names[i]);
}

static int blake2_scenario(void *arg)
{
    (void)arg;
    bt_hashlib_blake2_params p = BT_HASHLIB_BLAKE2S_PARAMS;
    p.key = "key";
    p.key_len = 3;
    bt_hash *h = NULL;
    int rc = 0;
    TRY(bt_hashlib_blake2s("x", 1, &p, &h, NULL));
out:
    bt_hashlib_free(h);
    return rc;
}

Test(alloc, blake2)
{
    cr_expect_gt(bt_test_allocfail(blake2_scenario, NULL), 0);
}

static int hmac_scenario(void *arg)
{
    const char *name = arg;
    bt_hmac *h = NULL, *c = NULL;
    int rc = 0;
    unsigned char out[64];
    char hex[129];
    char key[300];
    memset(key, 'k', sizeof key);
    TRY(bt_hmac_new(key, sizeof key, "msg", 3, name, &h, NULL));
    TRY(bt_hmac_update(h, "more", 4));
    TRY(bt_hmac_digest_into(h, out, sizeof out));
    TRY(bt_hmac_copy(h, &c));
    TRY(bt_hmac_hexdigest(c, hex, sizeof hex));
    TRY(bt_hmac_digest(key, 10, "m", 1, name, out, sizeof out, NULL));
out:
    bt_hmac_free(h);
    bt_hmac_free(c);
    return rc;
}

Test(alloc, hmac)
{
    cr_expect_gt(bt_test_allocfail(hmac_scenario, "sha256"), 0);
    cr_expect_gt(bt_test_allocfail(hmac_scenario, "blake2b"), 0);
    cr_expect_gt(bt_test_allocfail(hmac_scenario, "md5-sha1"), 0);
}

static int algorithms_scenario(void *arg)
{
    (void)arg;
    bt_strvec v = BT_STRVEC_INIT;
    int rc = 0;
    TRY(bt_strvec_append_str(&v, "first"));
    TRY(bt_hashlib_algorithms_guaranteed(&v));
    TRY(bt_hashlib_algorithms_available(&v));
out:
    bt_strvec_fini(&v);
    return rc;
}

Test(alloc, algorithms)
{
    cr_expect_gt(bt_test_allocfail(algorithms_scenario, NULL), 0);
}

static char file_path[64];

static int file_scenario(void *arg)
{
    (void)arg;
    bt_hash *h = NULL;
    int rc = 0;
    TRY(bt_hashlib_file_digest_path(file_path, "sha256", &h, NULL));
    unsigned char out[32];
    TRY(bt_hashlib_digest(h, out, sizeof out));
out:
    bt_hashlib_free(h);
    return rc;
}

Test(alloc, file_digest)
{
    snprintf(file_path, sizeof file_path, "/tmp/bt_hashlib_alloc_XXXXXX");
    int fd = mkstemp(file_path);
    cr_assert(fd >= 0);
    cr_assert_eq(write(fd, "some data", 9), 9);
    close(fd);
    cr_expect_gt(bt_test_allocfail(file_scenario, NULL), 0);
    unlink(file_path);
}

/* The algorithm lists leave the caller's vector as it was on failure. */
static long budget; /* allocations left before failing; < 0: unlimited */

static void *budget_malloc(size_t n, void *ctx)
{
    (void)ctx;
    if (budget == 0)
        return NULL;
    if (budget > 0)
        budget--;
    return malloc(n);
}

static void *budget_realloc(void *p, size_t n, void *ctx)
{
    (void)ctx;
    if (budget == 0)
        return NULL;
    if (budget > 0)
        budget--;
    return realloc(p, n);
}

static void budget_free(void *p, void *ctx)
{
    (void)ctx;
    free(p);
}

Test(alloc, algorithms_unchanged_on_failure)
{
    static const bt_allocator a = {budget_malloc, budget_realloc, budget_free,
                                   NULL};
    int (*fns[])(bt_strvec *) = {bt_hashlib_algorithms_guaranteed,
                                 bt_hashlib_algorithms_available};
    for (int f = 0; f < 2; f++) {
        int failures = 0;
        for (long k = 0;; k++) {
            bt_strvec v = BT_STRVEC_INIT;
            cr_assert_eq(bt_strvec_append_str(&v, "first"), 0);
            bt_set_allocator(&a);
            budget = k;
            int rc = fns[f](&v);
            budget = -1;
            bt_set_allocator(NULL);
            if (rc == 0) {
                cr_expect_gt(v.count, 14);
                cr_expect_str_eq(v.items[1], "blake2b");
                bt_strvec_fini(&v);
                break;
            }
            cr_assert_eq(rc, BT_ENOMEM);
            cr_expect_eq(v.count, 1, "budget %ld", k);
            cr_expect_str_eq(v.items[0], "first");
            failures++;
            bt_strvec_fini(&v);
        }
        cr_expect_gt(failures, 0);
    }
}
