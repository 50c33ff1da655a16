/* Hash objects: pieces, copies, non-destructive digests, sizes and misuse.
 * Expected values come from whole-message hashing, itself checked against
 * CPython in test_vectors.c. */
#include <pthread.h>
#include <stdio.h>

#include "hashlib_test.h"

static const char *const every[] = {
    "md5",       "sha1",       "sha224",     "sha256",   "sha384",
    "sha512",    "sha512_224", "sha512_256", "sha3_224", "sha3_256",
    "sha3_384",  "sha3_512",   "blake2b",    "blake2s",  "shake_128",
    "shake_256", "ripemd160",  "sha-256",
};

#define NALGOS (sizeof every / sizeof every[0])

/* Lengths around the block sizes and the 256-byte replay limit. */
static const size_t lens[] = {0,   1,   63,  64,  65,  127,  128,
                              200, 255, 256, 257, 300, 1000, 5000};

/* The digest of h as hex; 40 bytes of output for shake. */
static void hexof(bt_hash *h, char *out)
{
    if (bt_hashlib_digest_size(h) == 0) {
        cr_assert_eq(bt_hashlib_shake_hexdigest(h, out, 40), 80);
    } else {
        ptrdiff_t k =
            bt_hashlib_hexdigest(h, out, BT_HASHLIB_MAX_HEXDIGEST_SIZE);
        cr_assert_eq(k, 2 * bt_hashlib_digest_size(h));
    }
}

/* hexof(new(name, data[0..n))) */
static void whole(const char *name, const unsigned char *data, size_t n,
                  char *out)
{
    bt_hash *h;
    cr_assert_eq(bt_hashlib_new(name, data, n, &h, NULL), 0, "%s", name);
    hexof(h, out);
    bt_hashlib_free(h);
}

Test(hash, update_in_pieces_equals_one_update)
{
    unsigned char *data = ht_pattern(5000, 3);
    static const size_t pieces[] = {1, 7, 64, 100, 255, 256, 257, 1000};
    for (size_t a = 0; a < NALGOS; a++) {
        for (size_t p = 0; p < sizeof pieces / sizeof pieces[0]; p++) {
            char want[200], got[200];
            whole(every[a], data, 5000, want);
            bt_hash *h;
            cr_assert_eq(bt_hashlib_new(every[a], NULL, 0, &h, NULL), 0);
            for (size_t off = 0; off < 5000; off += pieces[p]) {
                size_t k = 5000 - off < pieces[p] ? 5000 - off : pieces[p];
                cr_assert_eq(bt_hashlib_update(h, data + off, k), 0);
            }
            cr_assert_eq(bt_hashlib_update(h, NULL, 0), 0);
            hexof(h, got);
            cr_expect_str_eq(got, want, "%s in pieces of %zu", every[a],
                             pieces[p]);
            bt_hashlib_free(h);
        }
    }
    free(data);
}

/* digest, digest again, update, digest: every step as Python gives it. */
Test(hash, digest_is_non_destructive)
{
    unsigned char *data = ht_pattern(6000, 4);
    for (size_t a = 0; a < NALGOS; a++) {
        for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
            size_t n = lens[i];
            char want1[200], want2[200], got[200];
            whole(every[a], data, n, want1);
            whole(every[a], data, n + 700, want2);
            bt_hash *h;
            cr_assert_eq(bt_hashlib_new(every[a], data, n, &h, NULL), 0);
            hexof(h, got);
            cr_expect_str_eq(got, want1, "%s n=%zu first", every[a], n);
            hexof(h, got);
            cr_expect_str_eq(got, want1, "%s n=%zu second", every[a], n);
            /* Update after a digest: in two parts, crossing the limit. */
            cr_assert_eq(bt_hashlib_update(h, data + n, 300), 0);
            cr_assert_eq(bt_hashlib_update(h, data + n + 300, 400), 0);
            hexof(h, got);
            cr_expect_str_eq(got, want2, "%s n=%zu after update", every[a], n);
            bt_hashlib_free(h);
        }
    }
    free(data);
}

/* Small updates between digests stay on the replay path. */
Test(hash, digest_between_small_updates)
{
    unsigned char *data = ht_pattern(300, 5);
    for (size_t a = 0; a < NALGOS; a++) {
        bt_hash *h;
        cr_assert_eq(bt_hashlib_new(every[a], NULL, 0, &h, NULL), 0);
        for (size_t n = 1; n <= 300; n += 13) {
            char want[200], got[200];
            cr_assert_eq(bt_hashlib_update(h, data + n - 1 - (n > 1 ? 12 : 0),
                                           n > 1 ? 13 : 1),
                         0);
            whole(every[a], data, n, want);
            hexof(h, got);
            cr_expect_str_eq(got, want, "%s after %zu bytes", every[a], n);
        }
        bt_hashlib_free(h);
    }
    free(data);
}

Test(hash, copy_is_independent)
{
    unsigned char *data = ht_pattern(7000, 6);
    for (size_t a = 0; a < NALGOS; a++) {
        for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
            size_t n = lens[i];
            for (int digested = 0; digested < 2; digested++) {
                char base[200], got[200], want_a[200], want_b[200];
                bt_hash *h, *c;
                cr_assert_eq(bt_hashlib_new(every[a], data, n, &h, NULL), 0);
                if (digested)
                    hexof(h, base);
                cr_assert_eq(bt_hashlib_copy(h, &c), 0);
                cr_expect_str_eq(bt_hashlib_name(c), bt_hashlib_name(h));
                cr_expect_eq(bt_hashlib_digest_size(c),
                             bt_hashlib_digest_size(h));
                /* original gets data[n..n+100), the copy data[n..n+1000) */
                cr_assert_eq(bt_hashlib_update(h, data + n, 100), 0);
                cr_assert_eq(bt_hashlib_update(c, data + n, 1000), 0);
                whole(every[a], data, n + 100, want_a);
                whole(every[a], data, n + 1000, want_b);
                hexof(h, got);
                cr_expect_str_eq(got, want_a, "%s n=%zu original", every[a], n);
                hexof(c, got);
                cr_expect_str_eq(got, want_b, "%s n=%zu copy", every[a], n);
                /* Freeing the original leaves the copy whole. */
                bt_hashlib_free(h);
                hexof(c, got);
                cr_expect_str_eq(got, want_b, "%s n=%zu copy alone", every[a],
                                 n);
                bt_hashlib_free(c);
            }
        }
    }
    free(data);
}

Test(hash, shake_lengths_are_prefixes)
{
    unsigned char *data = ht_pattern(500, 7);
    const char *names[] = {"shake_128", "shake_256"};
    for (int a = 0; a < 2; a++) {
        bt_hash *h;
        cr_assert_eq(bt_hashlib_new(names[a], data, 500, &h, NULL), 0);
        unsigned char big[1000], small[33];
        cr_assert_eq(bt_hashlib_shake_digest(h, big, sizeof big), 1000);
        cr_assert_eq(bt_hashlib_shake_digest(h, small, sizeof small), 33);
        cr_expect_eq(memcmp(big, small, sizeof small), 0, "%s", names[a]);
        cr_assert_eq(bt_hashlib_shake_digest(h, small, 0), 0);
        char hex[3];
        cr_assert_eq(bt_hashlib_shake_hexdigest(h, hex, 1), 2);
        char *want = ht_hex(big, 1);
        cr_expect_str_eq(hex, want);
        free(want);
        cr_assert_eq(bt_hashlib_shake_hexdigest(h, hex, 0), 0);
        cr_expect_str_eq(hex, "");
        bt_hashlib_free(h);
    }
    free(data);
}

Test(hash, named_constructors_match_new)
{
    typedef int (*ctor)(const void *, size_t, bt_hash **);
    static const struct {
        const char *name;
        ctor fn;
    } ctors[] = {
        {"md5", bt_hashlib_md5},
        {"sha1", bt_hashlib_sha1},
        {"sha224", bt_hashlib_sha224},
        {"sha256", bt_hashlib_sha256},
        {"sha384", bt_hashlib_sha384},
        {"sha512", bt_hashlib_sha512},
        {"sha512_224", bt_hashlib_sha512_224},
        {"sha512_256", bt_hashlib_sha512_256},
        {"sha3_224", bt_hashlib_sha3_224},
        {"sha3_256", bt_hashlib_sha3_256},
        {"sha3_384", bt_hashlib_sha3_384},
        {"sha3_512", bt_hashlib_sha3_512},
        {"shake_128", bt_hashlib_shake_128},
        {"shake_256", bt_hashlib_shake_256},
    };
    unsigned char *data = ht_pattern(100, 8);
    for (size_t i = 0; i < sizeof ctors / sizeof ctors[0]; i++) {
        bt_hash *h;
        char want[200], got[200];
        cr_assert_eq(ctors[i].fn(data, 100, &h), 0);
        cr_expect_str_eq(bt_hashlib_name(h), ctors[i].name);
        hexof(h, got);
        bt_hashlib_free(h);
        whole(ctors[i].name, data, 100, want);
        cr_expect_str_eq(got, want, "%s", ctors[i].name);
    }
    /* blake2 with NULL params is the default */
    bt_hash *h;
    char want[200], got[200];
    cr_assert_eq(bt_hashlib_blake2b(data, 100, NULL, &h, NULL), 0);
    hexof(h, got);
    bt_hashlib_free(h);
    whole("blake2b", data, 100, want);
    cr_expect_str_eq(got, want);
    cr_assert_eq(bt_hashlib_blake2s(data, 100, NULL, &h, NULL), 0);
    hexof(h, got);
    cr_expect_eq(bt_hashlib_block_size(h), 64);
    bt_hashlib_free(h);
    whole("blake2s", data, 100, want);
    cr_expect_str_eq(got, want);
    free(data);
}

Test(hash, misuse_and_small_buffers)
{
    bt_hash *h, *s;
    cr_assert_eq(bt_hashlib_new("sha256", "abc", 3, &h, NULL), 0);
    cr_assert_eq(bt_hashlib_shake_128("abc", 3, &s), 0);
    unsigned char out[64];
    char hex[129];
    cr_expect_eq(bt_hashlib_digest(h, out, 31), BT_EVALUE);
    cr_expect_eq(bt_hashlib_digest(h, out, 32), 32);
    cr_expect_eq(bt_hashlib_hexdigest(h, hex, 64), BT_EVALUE);
    cr_expect_eq(bt_hashlib_hexdigest(h, hex, 65), 64);
    cr_expect_str_eq(
        hex,
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    /* Python: TypeError both ways. */
    cr_expect_eq(bt_hashlib_shake_digest(h, out, 8), BT_ETYPE);
    cr_expect_eq(bt_hashlib_shake_hexdigest(h, hex, 8), BT_ETYPE);
    cr_expect_eq(bt_hashlib_digest(s, out, sizeof out), BT_ETYPE);
    cr_expect_eq(bt_hashlib_hexdigest(s, hex, sizeof hex), BT_ETYPE);
    cr_expect_eq(bt_hashlib_digest_size(s), 0);
    cr_expect_eq(bt_hashlib_block_size(s), 168);
    bt_hashlib_free(h);
    bt_hashlib_free(s);
    bt_hashlib_free(NULL);

    bt_err err = BT_ERR_INIT;
    cr_expect_eq(bt_hashlib_hash("shake_256", "", 0, out, sizeof out, &err),
                 BT_ETYPE);
    cr_expect_str_eq(err.msg,
                     "digest() missing required argument 'length' (pos 1)");
    cr_expect_eq(bt_hashlib_hash("sha512", "", 0, out, 63, &err), BT_EVALUE);
    cr_expect_eq(bt_hashlib_hash("sha512", "", 0, out, 64, &err), 64);
    cr_expect_eq(bt_hashlib_hash("blake2s", "", 0, out, 31, &err), BT_EVALUE);
    cr_expect_eq(bt_hashlib_hash("ripemd160", "", 0, out, 20, &err), 20);
    cr_expect_eq(bt_hashlib_new("nope", NULL, 0, &h, NULL), BT_EVALUE);
    cr_expect_eq(bt_hashlib_new("nope", NULL, 0, &h, &err), BT_EVALUE);
    cr_expect_str_eq(err.msg, "unsupported hash type nope");
    cr_expect_eq(err.code, BT_EVALUE);
}

Test(hash, blake2_key_is_a_mac)
{
    /* Keyed BLAKE2b differs from unkeyed and from a different key. */
    bt_hashlib_blake2_params p = BT_HASHLIB_BLAKE2B_PARAMS;
    bt_hash *a, *b, *c;
    p.key = "k1";
    p.key_len = 2;
    cr_assert_eq(bt_hashlib_blake2b("m", 1, &p, &a, NULL), 0);
    p.key = "k2";
    cr_assert_eq(bt_hashlib_blake2b("m", 1, &p, &b, NULL), 0);
    cr_assert_eq(bt_hashlib_blake2b("m", 1, NULL, &c, NULL), 0);
    char x[129], y[129], z[129];
    hexof(a, x);
    hexof(b, y);
    hexof(c, z);
    cr_expect_str_neq(x, y);
    cr_expect_str_neq(x, z);
    bt_hashlib_free(a);
    bt_hashlib_free(b);
    bt_hashlib_free(c);
    bt_hashlib_blake2_params zero;
    memset(&zero, 0, sizeof zero);
    bt_err err = BT_ERR_INIT;
    cr_expect_eq(bt_hashlib_blake2s(NULL, 0, &zero, &a, &err), BT_EVALUE);
    cr_expect_str_eq(err.msg, "digest_size must be between 1 and 32 bytes");
}

/* Hash objects used from many threads, each with its own objects, and
 * moved between threads: the per-thread caches stay consistent and are
 * released when the threads end (LSan checks under make check). */
struct worker {
    const char *name;
    char want[200];
    bt_hash *handoff; /* made here, freed by the main thread */
    int failures;
};

static void *work(void *arg)
{
    struct worker *w = arg;
    for (int i = 0; i < 2000; i++) {
        bt_hash *h, *c;
        char got[200];
        if (bt_hashlib_new(w->name, "hello", 5, &h, NULL) < 0) {
            w->failures++;
            continue;
        }
        if (bt_hashlib_copy(h, &c) == 0) {
            hexof(c, got);
            w->failures += strcmp(got, w->want) != 0;
            bt_hashlib_free(c);
        }
        hexof(h, got);
        w->failures += strcmp(got, w->want) != 0;
        bt_hashlib_free(h);
    }
    if (bt_hashlib_new(w->name, "hello", 5, &w->handoff, NULL) < 0)
        w->failures++;
    return NULL;
}

Test(hash, threads)
{
    struct worker w[8];
    pthread_t t[8];
    for (int i = 0; i < 8; i++) {
        w[i].name = every[i % NALGOS];
        w[i].failures = 0;
        w[i].handoff = NULL;
        whole(w[i].name, (const unsigned char *)"hello", 5, w[i].want);
        cr_assert_eq(pthread_create(&t[i], NULL, work, &w[i]), 0);
    }
    for (int i = 0; i < 8; i++) {
        cr_assert_eq(pthread_join(t[i], NULL), 0);
        cr_expect_eq(w[i].failures, 0, "%s", w[i].name);
        char got[200];
        hexof(w[i].handoff, got);
        cr_expect_str_eq(got, w[i].want);
        bt_hashlib_free(w[i].handoff);
    }
}

/* Digests and copies of one shared object from several threads at once:
 * digest never changes the object, buffered or streaming. */
struct shared {
    const bt_hash *h;
    const char *want;
    int failures;
};

static void *digest_shared(void *arg)
{
    struct shared *s = arg;
    for (int i = 0; i < 1000; i++) {
        char hex[BT_HASHLIB_MAX_HEXDIGEST_SIZE];
        bt_hash *c;
        if (bt_hashlib_hexdigest(s->h, hex, sizeof hex) < 0 ||
            strcmp(hex, s->want))
            s->failures++;
        if (bt_hashlib_copy(s->h, &c) < 0) {
            s->failures++;
            continue;
        }
        if (bt_hashlib_update(c, "x", 1) < 0)
            s->failures++;
        bt_hashlib_free(c);
    }
    return NULL;
}

Test(hash, concurrent_digests_of_one_object)
{
    unsigned char *data = ht_pattern(5000, 11);
    const size_t sizes[] = {100, 5000};
    for (int k = 0; k < 2; k++) {
        bt_hash *h;
        char want[200];
        whole("sha256", data, sizes[k], want);
        cr_assert_eq(bt_hashlib_new("sha256", data, sizes[k], &h, NULL), 0);
        struct shared s[4];
        pthread_t t[4];
        for (int i = 0; i < 4; i++) {
            s[i] = (struct shared){h, want, 0};
            cr_assert_eq(pthread_create(&t[i], NULL, digest_shared, &s[i]), 0);
        }
        for (int i = 0; i < 4; i++) {
            cr_assert_eq(pthread_join(t[i], NULL), 0);
            cr_expect_eq(s[i].failures, 0, "size %zu", sizes[k]);
        }
        bt_hashlib_free(h);
    }
    free(data);
}
