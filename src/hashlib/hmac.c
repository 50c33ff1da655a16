/*
 * hmac.c — HMAC (RFC 2104) on the module's own hash objects, and
 * compare_digest.
 *
 * Built on bt_hash rather than OpenSSL's EVP_MAC: the MAC would fetch its
 * digest by name on every init, while the hash objects reuse fetched
 * digests and cached contexts, and BLAKE2 (ours) works the same way. The
 * construction is Python's hmac._init_old: keys longer than the block are
 * hashed, then padded; the inner hash starts with key ^ 0x36.., the outer
 * with key ^ 0x5c...
 */
#include <assert.h>
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>

#include "hashlib_int.h"

struct bt_hmac {
    bt_hash inner;
    bt_hash outer;
    char name[64];
};

static int check_digestmod(const char *digestmod, bt_err *err)
{
    if (!digestmod || !*digestmod)
        return bt_err_setf(err, BT_ETYPE, -1,
                           "Missing required parameter 'digestmod'.");
    return 0;
}

/* bt__hash_init taking a reference of its own on a dynamic digest. */
static int hash_init_ref(bt_hash *h, const bt__algo *a)
{
    if (a->id == BT__DYNAMIC && !EVP_MD_up_ref(a->md))
        return BT_ENOMEM;
    int rc = bt__hash_init(h, a, NULL);
    if (rc < 0 && a->id == BT__DYNAMIC)
        EVP_MD_free(a->md);
    return rc;
}

/*
 * Initializes inner and outer (caller-allocated) for algorithm a with key.
 * They take references of their own: the caller still releases a.
 */
static int hmac_init(bt_hash *inner, bt_hash *outer, const bt__algo *a,
                     const void *key, size_t keylen, bt_err *err)
{
    /* OpenSSL's HMAC refuses XOFs and digests without a size, with nothing
     * in its error queue: Python then says "no reason supplied". */
    if (a->kind == BT__KIND_XOF || a->digest_size <= 0 || a->block_size <= 0 ||
        a->block_size > BT_HASHLIB_MAX_BLOCK_SIZE)
        return bt_err_setf(err, BT_EVALUE, -1, "no reason supplied");
    assert(key != NULL || keylen == 0);
    size_t block = (size_t)a->block_size;
    unsigned char pad[BT_HASHLIB_MAX_BLOCK_SIZE];
    unsigned char hashed[BT_HASHLIB_MAX_DIGEST_SIZE];
    int rc;
    if (keylen > block) {
        bt_hash kh;
        rc = hash_init_ref(&kh, a);
        if (rc < 0)
            return rc;
        rc = bt__hash_update(&kh, key, keylen);
        if (rc == 0)
            rc = bt__hash_digest_with(&kh, NULL, 0, hashed);
        bt__hash_fini(&kh);
        OPENSSL_cleanse(&kh, sizeof kh);
        if (rc < 0)
            goto out;
        key = hashed;
        keylen = (size_t)a->digest_size;
    }
    memset(pad, 0x36, block);
    for (size_t i = 0; i < keylen; i++)
        pad[i] ^= ((const unsigned char *)key)[i];
    rc = hash_init_ref(inner, a);
    if (rc < 0)
        goto out;
    rc = bt__hash_update(inner, pad, block);
    if (rc == 0) {
        rc = hash_init_ref(outer, a);
        if (rc == 0) {
            for (size_t i = 0; i < block; i++)
                pad[i] ^= 0x36 ^ 0x5c;
            rc = bt__hash_update(outer, pad, block);
            if (rc < 0)
                bt__hash_fini(outer);
        }
    }
    if (rc < 0)
        bt__hash_fini(inner);
out:
    OPENSSL_cleanse(pad, sizeof pad);
    OPENSSL_cleanse(hashed, sizeof hashed);
    return rc;
}

int bt_hmac_new(const void *key, size_t keylen, const void *msg, size_t msglen,
                const char *digestmod, bt_hmac **out, bt_err *err)
{
    int rc = check_digestmod(digestmod, err);
    if (rc < 0)
        return rc;
    bt__algo a;
    rc = bt__algo_resolve(digestmod, &a, err);
    if (rc < 0)
        return rc;
    bt_hmac *h = bt_malloc(sizeof *h);
    if (!h) {
        bt__algo_release(&a);
        return BT_ENOMEM;
    }
    rc = hmac_init(&h->inner, &h->outer, &a, key, keylen, err);
    bt__algo_release(&a);
    if (rc < 0) {
        bt_free(h);
        return rc;
    }
    snprintf(h->name, sizeof h->name, "hmac-%s", h->inner.algo.name);
    if (msglen) {
        rc = bt__hash_update(&h->inner, msg, msglen);
        if (rc < 0) {
            bt_hmac_free(h);
            return rc;
        }
    }
    *out = h;
    return 0;
}

int bt_hmac_update(bt_hmac *h, const void *data, size_t n)
{
    return bt__hash_update(&h->inner, data, n);
}

static int hmac_final(const bt_hmac *h, unsigned char *out)
{
    unsigned char inner[BT_HASHLIB_MAX_DIGEST_SIZE];
    int rc = bt__hash_digest_with(&h->inner, NULL, 0, inner);
    if (rc == 0)
        rc = bt__hash_digest_with(&h->outer, inner,
                                  (size_t)h->inner.algo.digest_size, out);
    return rc;
}

ptrdiff_t bt_hmac_digest_into(const bt_hmac *h, void *out, size_t outsize)
{
    size_t ds = (size_t)h->inner.algo.digest_size;
    if (outsize < ds)
        return BT_EVALUE;
    int rc = hmac_final(h, out);
    return rc < 0 ? rc : (ptrdiff_t)ds;
}

ptrdiff_t bt_hmac_hexdigest(const bt_hmac *h, char *out, size_t outsize)
{
    static const char digits[] = "0123456789abcdef";
    size_t ds = (size_t)h->inner.algo.digest_size;
    if (outsize < 2 * ds + 1)
        return BT_EVALUE;
    unsigned char d[BT_HASHLIB_MAX_DIGEST_SIZE];
    int rc = hmac_final(h, d);
    if (rc < 0)
        return rc;
    for (size_t i = 0; i < ds; i++) {
        out[2 * i] = digits[d[i] >> 4];
        out[2 * i + 1] = digits[d[i] & 15];
    }
    out[2 * ds] = '\0';
    return (ptrdiff_t)(2 * ds);
}

int bt_hmac_copy(const bt_hmac *h, bt_hmac **out)
{
    bt_hmac *c = bt_malloc(sizeof *c);
    if (!c)
        return BT_ENOMEM;
    int rc = bt__hash_copy_into(&c->inner, &h->inner);
    if (rc == 0) {
        rc = bt__hash_copy_into(&c->outer, &h->outer);
        if (rc < 0)
            bt__hash_fini(&c->inner);
    }
    if (rc < 0) {
        bt_free(c);
        return rc;
    }
    memcpy(c->name, h->name, sizeof c->name);
    *out = c;
    return 0;
}

void bt_hmac_free(bt_hmac *h)
{
    if (!h)
        return;
    bt__hash_fini(&h->inner);
    bt__hash_fini(&h->outer);
    OPENSSL_cleanse(h, sizeof *h);
    bt_free(h);
}

int bt_hmac_digest_size(const bt_hmac *h)
{
    return h->inner.algo.digest_size;
}

int bt_hmac_block_size(const bt_hmac *h)
{
    return h->inner.algo.block_size;
}

const char *bt_hmac_name(const bt_hmac *h)
{
    return h->name;
}

ptrdiff_t bt_hmac_digest(const void *key, size_t keylen, const void *msg,
                         size_t msglen, const char *digest, void *out,
                         size_t outsize, bt_err *err)
{
    int rc = check_digestmod(digest, err);
    if (rc < 0)
        return rc;
    bt__algo a;
    rc = bt__algo_resolve(digest, &a, err);
    if (rc < 0)
        return rc;
    size_t ds = (size_t)a.digest_size;
    /* On the stack: no allocation of ours. */
    bt_hmac h;
    rc = hmac_init(&h.inner, &h.outer, &a, key, keylen, err);
    bt__algo_release(&a);
    if (rc < 0)
        return rc;
    if (outsize < ds) {
        rc = bt_err_setf(err, BT_EVALUE, -1,
                         "output buffer too small: %zu bytes for a %zu-byte "
                         "digest",
                         outsize, ds);
    } else {
        rc = bt__hash_update(&h.inner, msg, msglen);
        if (rc == 0)
            rc = hmac_final(&h, out);
    }
    bt__hash_fini(&h.inner);
    bt__hash_fini(&h.outer);
    OPENSSL_cleanse(&h, sizeof h);
    return rc < 0 ? rc : (ptrdiff_t)ds;
}

int bt_hmac_compare_digest(const void *a, size_t alen, const void *b,
                           size_t blen)
{
    /* The work depends on blen only: with unequal lengths b is compared
     * with itself and the answer is forced to "different". */
    const void *left = alen == blen ? a : b;
    int result = alen != blen;
    if (blen)
        result |= CRYPTO_memcmp(left, b, blen) != 0;
    return result == 0;
}
