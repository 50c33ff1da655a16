/*
 * hashlib_int.h — the hashlib module's internals: the algorithm table, the
 * hash object's layout, BLAKE2 and the helpers hmac.c and kdf.c share.
 */
#ifndef BATTERIES_HASHLIB_INT_H
#define BATTERIES_HASHLIB_INT_H

#include <batteries/hashlib.h>

#include <openssl/evp.h>
#include <openssl/md5.h>
#include <openssl/sha.h>

#include "core_int.h"

/* OpenSSL's direct digest routines (direct.c), unless it was built without
 * the APIs it deprecated in 3.0. */
#if !defined(OPENSSL_NO_DEPRECATED_3_0) && !defined(OPENSSL_NO_MD5)
#define BT__HAVE_DIRECT 1
#else
#define BT__HAVE_DIRECT 0
#endif

/* ------------------------------------------------------------------------ */
/* BLAKE2 (blake2.c)                                                         */
/* ------------------------------------------------------------------------ */

#define BT__BLAKE2B_BLOCK 128
#define BT__BLAKE2S_BLOCK 64

typedef struct bt__blake2b {
    uint64_t h[8];
    uint64_t t[2];
    uint64_t f[2];
    size_t buflen;
    uint8_t outlen;
    bool last_node;
    uint8_t buf[BT__BLAKE2B_BLOCK];
} bt__blake2b;

typedef struct bt__blake2s {
    uint32_t h[8];
    uint32_t t[2];
    uint32_t f[2];
    size_t buflen;
    uint8_t outlen;
    bool last_node;
    uint8_t buf[BT__BLAKE2S_BLOCK];
} bt__blake2s;

/* Checks params as Python does; fills err on failure. */
int bt__blake2b_check(const bt_hashlib_blake2_params *p, bt_err *err);
int bt__blake2s_check(const bt_hashlib_blake2_params *p, bt_err *err);
/* Initializes a state from checked params (key block included). */
void bt__blake2b_init(bt__blake2b *s, const bt_hashlib_blake2_params *p);
void bt__blake2s_init(bt__blake2s *s, const bt_hashlib_blake2_params *p);
void bt__blake2b_update(bt__blake2b *s, const void *data, size_t n);
void bt__blake2s_update(bt__blake2s *s, const void *data, size_t n);
/* Finalizes a copy of *s: the state itself is left untouched. */
void bt__blake2b_digest(const bt__blake2b *s, uint8_t *out);
void bt__blake2s_digest(const bt__blake2s *s, uint8_t *out);

/* ------------------------------------------------------------------------ */
/* Algorithms (hashlib.c)                                                    */
/* ------------------------------------------------------------------------ */

/* The algorithms with a name in Python's table; the order is the table's. */
enum bt__algo_id {
    BT__MD5,
    BT__SHA1,
    BT__SHA224,
    BT__SHA256,
    BT__SHA384,
    BT__SHA512,
    BT__SHA512_224,
    BT__SHA512_256,
    BT__SHA3_224,
    BT__SHA3_256,
    BT__SHA3_384,
    BT__SHA3_512,
    BT__SHAKE_128,
    BT__SHAKE_256,
    BT__BLAKE2B,
    BT__BLAKE2S,
    BT__N_ALGOS,
    BT__DYNAMIC = BT__N_ALGOS /* any other digest OpenSSL offers */
};

enum bt__kind {
    BT__KIND_EVP,
    BT__KIND_XOF,
    BT__KIND_BLAKE2B,
    BT__KIND_BLAKE2S,
    BT__KIND_DIRECT /* md5, sha1, sha2 from the default provider: direct.c */
};

/* ------------------------------------------------------------------------ */
/* Direct digests (direct.c)                                                 */
/* ------------------------------------------------------------------------ */

#if BT__HAVE_DIRECT
typedef union bt__direct_state {
    MD5_CTX md5;
    SHA_CTX sha1;
    SHA256_CTX sha256; /* sha224 too */
    SHA512_CTX sha512; /* sha384 too */
} bt__direct_state;

/* Whether table algorithm id, fetched as md, takes the direct routines:
 * md5, sha1, sha224/256/384/512 when md comes from the default provider.
 * Decided once per algorithm. */
bool bt__direct_usable(int id, const EVP_MD *md);
void bt__direct_init(int id, bt__direct_state *s);
void bt__direct_update(int id, bt__direct_state *s, const void *data, size_t n);
/* Writes the digest; *s is spent, its buffered input wiped. */
void bt__direct_final(int id, bt__direct_state *s, unsigned char *out);
/* Zeroes a state that is no longer needed. */
void bt__direct_wipe(int id, bt__direct_state *s);
#endif

/*
 * A resolved algorithm: one of the table's (md is the process-wide fetched
 * EVP_MD, not owned) or a dynamic one (md is owned: one reference).
 */
typedef struct bt__algo {
    int id;
    int kind;
    int digest_size;
    int block_size;
    const char *name; /* Python's name, static storage */
    EVP_MD *md;       /* NULL for BLAKE2 */
} bt__algo;

/*
 * Resolves a name as hashlib.new does. Returns 0, or BT_EVALUE (message
 * "unsupported hash type <name>"), or BT_ENOMEM. A dynamic algorithm's md
 * must be released with bt__algo_release.
 */
int bt__algo_resolve(const char *name, bt__algo *a, bt_err *err);
/* Fills *a for a table entry; BT_EVALUE when OpenSSL lacks it. */
int bt__algo_get(int id, bt__algo *a);
void bt__algo_release(bt__algo *a);
/*
 * The EVP_MD for a name as _hashlib's py_digest_by_name finds it (blake2b
 * is OpenSSL's BLAKE2B-512): for pbkdf2_hmac. Returns a new reference or
 * NULL (OpenSSL's error queue then says why).
 */
EVP_MD *bt__md_fetch_for_kdf(const char *name);

/*
 * Turns OpenSSL's last queued error into Python's message (_setException:
 * "[lib] reason", or altmsg / "no reason supplied" when the queue is empty),
 * clears the queue and returns code (BT_ENOMEM for OpenSSL's allocation
 * failures, whatever code was asked for).
 */
int bt__ossl_error(bt_err *err, int code, const char *altmsg);

/* ------------------------------------------------------------------------ */
/* The hash object                                                           */
/* ------------------------------------------------------------------------ */

/*
 * The direct kind holds the digest's own state struct, fed at once. For the
 * EVP kinds, short inputs are only buffered in the object: while the data
 * so far fits in BT__BUF_MAX bytes (ctx == NULL), new() and update() make
 * no OpenSSL call, and each digest hashes the buffer with a cached context
 * (the calls of a one-shot hash), leaving the object as it was. Past that,
 * the object holds a context fed directly (ctx != NULL) and digests
 * finalize a copy of it in a per-thread scratch context. See
 * docs/hashlib.md.
 */
#define BT__BUF_MAX 256

struct bt_hash {
    bt__algo algo;
    EVP_MD_CTX *ctx;  /* EVP kinds, once streaming; NULL while buffered */
    uint16_t buf_len; /* bytes in u.buf while buffered */
    union {
        bt__blake2b b2b;
        bt__blake2s b2s;
#if BT__HAVE_DIRECT
        bt__direct_state direct;
#endif
        unsigned char buf[BT__BUF_MAX];
    } u;
};

/* Initializes caller-allocated *h for a resolved algorithm; on success h
 * owns a's reference (if any). blake2 params may be NULL (defaults) and
 * must have been checked. Returns 0, BT_ENOMEM or BT_EVALUE. */
int bt__hash_init(bt_hash *h, const bt__algo *a,
                  const bt_hashlib_blake2_params *b2);
/* Releases what *h holds (not h itself). */
void bt__hash_fini(bt_hash *h);
/* *dst (uninitialized, caller-allocated) becomes a copy of *src. */
int bt__hash_copy_into(bt_hash *dst, const bt_hash *src);
int bt__hash_update(bt_hash *h, const void *data, size_t n);
/*
 * Writes the digest of the data so far followed by extra[0..extra_len) into
 * out (digest_size bytes), leaving h's data unchanged: HMAC's outer hash.
 * Fixed-size algorithms only.
 */
int bt__hash_digest_with(const bt_hash *h, const void *extra, size_t extra_len,
                         unsigned char *out);

#endif /* BATTERIES_HASHLIB_INT_H */
