/*
 * bench_hashlib.c — the C side of the hashlib cases (cases.py holds the
 * inputs, the units and the Python counterparts). The anchors call OpenSSL 3
 * the fastest way: EVP_MD fetched once, one EVP_MD_CTX reused.
 */
#include <batteries/hashlib.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

#include "bench.h"

static const char *big, *msg, *key;
static size_t big_len, msg_len, key_len;
static EVP_MD *md_sha256, *md_md5;
static EVP_MD_CTX *anchor_ctx;
static EVP_MAC *mac;
static EVP_MAC_CTX *mac_ctx;

static int load(const char *name, const char **data, size_t *len, size_t want)
{
    *data = bench_input(name, len);
    if (!*data)
        return -1;
    if (*len != want) {
        fprintf(stderr, "bench_hashlib: %s has %zu bytes, want %zu\n", name,
                *len, want);
        return -1;
    }
    return 0;
}

static int setup_openssl(void)
{
    if (!md_sha256)
        md_sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
    if (!md_md5)
        md_md5 = EVP_MD_fetch(NULL, "MD5", NULL);
    if (!anchor_ctx)
        anchor_ctx = EVP_MD_CTX_new();
    return md_sha256 && md_md5 && anchor_ctx ? 0 : -1;
}

static void teardown_openssl(void)
{
    EVP_MD_CTX_free(anchor_ctx);
    anchor_ctx = NULL;
    EVP_MD_free(md_sha256);
    md_sha256 = NULL;
    EVP_MD_free(md_md5);
    md_md5 = NULL;
}

static int setup_big(void)
{
    if (load("big.bin", &big, &big_len, 64u << 20) < 0)
        return -1;
    return setup_openssl();
}

static int setup_msg(void)
{
    if (load("msg64.bin", &msg, &msg_len, 64) < 0 ||
        load("key32.bin", &key, &key_len, 32) < 0)
        return -1;
    return setup_openssl();
}

typedef int (*ctor)(const void *, size_t, bt_hash **);

/* Ours: a hash object per op, as hashlib.sha256(data).digest(): the named
 * constructor fed with the data, digest, free. */
static void ours(ctor make, const char *data, size_t len, uint64_t iters)
{
    unsigned char out[BT_HASHLIB_MAX_DIGEST_SIZE];
    for (uint64_t i = 0; i < iters; i++) {
        bt_hash *h;
        bench_escape(data);
        if (make(data, len, &h) < 0)
            return;
        ptrdiff_t k = bt_hashlib_digest(h, out, sizeof out);
        bench_escape(&k);
        bench_escape(out);
        bt_hashlib_free(h);
    }
}

/* The same through bt_hashlib_new("sha256") and update, as
 * hashlib.new('sha256', data).digest(): adds the name lookup. */
static void ours_new(const char *name, const char *data, size_t len,
                     uint64_t iters)
{
    unsigned char out[BT_HASHLIB_MAX_DIGEST_SIZE];
    for (uint64_t i = 0; i < iters; i++) {
        bt_hash *h;
        bench_escape(data);
        if (bt_hashlib_new(name, NULL, 0, &h, NULL) < 0)
            return;
        bt_hashlib_update(h, data, len);
        ptrdiff_t k = bt_hashlib_digest(h, out, sizeof out);
        bench_escape(&k);
        bench_escape(out);
        bt_hashlib_free(h);
    }
}

/* The anchor: pre-fetched EVP_MD, reused EVP_MD_CTX. */
static void anchor(const EVP_MD *md, const char *data, size_t len,
                   uint64_t iters)
{
    unsigned char out[EVP_MAX_MD_SIZE];
    for (uint64_t i = 0; i < iters; i++) {
        bench_escape(data);
        EVP_DigestInit_ex(anchor_ctx, md, NULL);
        EVP_DigestUpdate(anchor_ctx, data, len);
        EVP_DigestFinal_ex(anchor_ctx, out, NULL);
        bench_escape(out);
    }
}

static void run_sha256_big(uint64_t iters)
{
    ours(bt_hashlib_sha256, big, big_len, iters);
}

static void run_sha256_big_anchor(uint64_t iters)
{
    anchor(md_sha256, big, big_len, iters);
}

static void run_md5_big(uint64_t iters)
{
    ours(bt_hashlib_md5, big, big_len, iters);
}

static void run_md5_big_anchor(uint64_t iters)
{
    anchor(md_md5, big, big_len, iters);
}

static void run_sha256_msg(uint64_t iters)
{
    ours(bt_hashlib_sha256, msg, msg_len, iters);
}

static void run_sha256_msg_anchor(uint64_t iters)
{
    anchor(md_sha256, msg, msg_len, iters);
}

static void run_md5_msg(uint64_t iters)
{
    ours(bt_hashlib_md5, msg, msg_len, iters);
}

static void run_md5_msg_anchor(uint64_t iters)
{
    anchor(md_md5, msg, msg_len, iters);
}

static void run_sha256_msg_new(uint64_t iters)
{
    ours_new("sha256", msg, msg_len, iters);
}

static void run_sha256_oneshot(uint64_t iters)
{
    unsigned char out[BT_HASHLIB_MAX_DIGEST_SIZE];
    for (uint64_t i = 0; i < iters; i++) {
        bench_escape(msg);
        ptrdiff_t k =
            bt_hashlib_hash("sha256", msg, msg_len, out, sizeof out, NULL);
        bench_escape(&k);
        bench_escape(out);
    }
}

static int setup_hmac(void)
{
    if (setup_msg() < 0)
        return -1;
    if (mac_ctx)
        return 0;
    if (!mac)
        mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
    mac_ctx = mac ? EVP_MAC_CTX_new(mac) : NULL;
    if (!mac_ctx)
        return -1;
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, "SHA256", 0),
        OSSL_PARAM_construct_end(),
    };
    return EVP_MAC_CTX_set_params(mac_ctx, params) ? 0 : -1;
}

static void teardown_hmac(void)
{
    EVP_MAC_CTX_free(mac_ctx);
    mac_ctx = NULL;
    EVP_MAC_free(mac);
    mac = NULL;
    teardown_openssl();
}

static void run_hmac(uint64_t iters)
{
    unsigned char out[BT_HASHLIB_MAX_DIGEST_SIZE];
    for (uint64_t i = 0; i < iters; i++) {
        bench_escape(msg);
        ptrdiff_t k = bt_hmac_digest(key, key_len, msg, msg_len, "sha256", out,
                                     sizeof out, NULL);
        bench_escape(&k);
        bench_escape(out);
    }
}

/* Re-keyed every op, as each hmac.digest call is. */
static void run_hmac_anchor(uint64_t iters)
{
    unsigned char out[EVP_MAX_MD_SIZE];
    size_t outlen;
    for (uint64_t i = 0; i < iters; i++) {
        bench_escape(msg);
        EVP_MAC_init(mac_ctx, (const unsigned char *)key, key_len, NULL);
        EVP_MAC_update(mac_ctx, (const unsigned char *)msg, msg_len);
        EVP_MAC_final(mac_ctx, out, &outlen, sizeof out);
        bench_escape(out);
    }
}

static const bench_case cases[] = {
    {"sha256_64MiB", setup_big, run_sha256_big, teardown_openssl},
    {"sha256_64MiB@openssl", setup_big, run_sha256_big_anchor,
     teardown_openssl},
    {"md5_64MiB", setup_big, run_md5_big, teardown_openssl},
    {"md5_64MiB@openssl", setup_big, run_md5_big_anchor, teardown_openssl},
    {"sha256_64B", setup_msg, run_sha256_msg, teardown_openssl},
    {"sha256_64B@openssl", setup_msg, run_sha256_msg_anchor, teardown_openssl},
    {"md5_64B", setup_msg, run_md5_msg, teardown_openssl},
    {"md5_64B@openssl", setup_msg, run_md5_msg_anchor, teardown_openssl},
    {"sha256_64B_new", setup_msg, run_sha256_msg_new, teardown_openssl},
    {"sha256_64B_new@openssl", setup_msg, run_sha256_msg_anchor,
     teardown_openssl},
    {"sha256_64B_oneshot", setup_msg, run_sha256_oneshot, teardown_openssl},
    {"sha256_64B_oneshot@openssl", setup_msg, run_sha256_msg_anchor,
     teardown_openssl},
    {"hmac_sha256_64B", setup_hmac, run_hmac, teardown_hmac},
    {"hmac_sha256_64B@openssl", setup_hmac, run_hmac_anchor, teardown_hmac},
};

int main(void)
{
    return bench_main(cases, sizeof cases / sizeof cases[0]);
}
