/*
 * hashlib.c — hash objects over OpenSSL's EVP digests (and blake2.c, and
 * OpenSSL's direct md5/sha1/sha2 routines: direct.c), the algorithm table,
 * name lookup, and file_digest.
 *
 * Performance design (docs/hashlib.md has the measurements):
 *  - each table algorithm's EVP_MD is fetched once per process (lock-free
 *    lazy init) and reused: OpenSSL 3's implicit fetch per call costs about
 *    as much as hashing a short message;
 *  - EVP_MD_CTX objects go to a small per-thread cache per algorithm
 *    instead of being freed, and a context is readied by copying a
 *    per-thread pristine one (cheaper than EVP_DigestInit_ex);
 *  - short inputs (up to BT__BUF_MAX bytes) are only buffered in the
 *    object: new() and update() make no OpenSSL call, and digest() hashes
 *    the buffer with a cached context, the calls of a one-shot hash, so it
 *    never needs to copy a context to stay non-destructive. Longer inputs
 *    stream into a context of the object's own, and digests finalize a copy
 *    in a per-thread scratch context.
 */
#include <assert.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/objects.h>

#include "hashlib_int.h"

/* ------------------------------------------------------------------------ */
/* The algorithm table (CPython's _hashopenssl py_hashes)                    */
/* ------------------------------------------------------------------------ */

struct algo_info {
    const char *name;  /* Python's name */
    const char *alias; /* the other name _hashlib accepts, or NULL */
    const char *ossl;  /* OpenSSL's name, to fetch */
    int nid;
    int kind;
    int digest_size; /* as Python reports it (0 for shake) */
    int block_size;
};

static const struct algo_info algos[BT__N_ALGOS] = {
    [BT__MD5] = {"md5", "MD5", "MD5", NID_md5, BT__KIND_EVP, 16, 64},
    [BT__SHA1] = {"sha1", "SHA1", "SHA1", NID_sha1, BT__KIND_EVP, 20, 64},
    [BT__SHA224] = {"sha224", "SHA224", "SHA224", NID_sha224, BT__KIND_EVP, 28,
                    64},
    [BT__SHA256] = {"sha256", "SHA256", "SHA256", NID_sha256, BT__KIND_EVP, 32,
                    64},
    [BT__SHA384] = {"sha384", "SHA384", "SHA384", NID_sha384, BT__KIND_EVP, 48,
                    128},
    [BT__SHA512] = {"sha512", "SHA512", "SHA512", NID_sha512, BT__KIND_EVP, 64,
                    128},
    [BT__SHA512_224] = {"sha512_224", "SHA512_224", "SHA512-224",
                        NID_sha512_224, BT__KIND_EVP, 28, 128},
    [BT__SHA512_256] = {"sha512_256", "SHA512_256", "SHA512-256",
                        NID_sha512_256, BT__KIND_EVP, 32, 128},
    [BT__SHA3_224] = {"sha3_224", NULL, "SHA3-224", NID_sha3_224, BT__KIND_EVP,
                      28, 144},
    [BT__SHA3_256] = {"sha3_256", NULL, "SHA3-256", NID_sha3_256, BT__KIND_EVP,
                      32, 136},
    [BT__SHA3_384] = {"sha3_384", NULL, "SHA3-384", NID_sha3_384, BT__KIND_EVP,
                      48, 104},
    [BT__SHA3_512] = {"sha3_512", NULL, "SHA3-512", NID_sha3_512, BT__KIND_EVP,
                      64, 72},
    [BT__SHAKE_128] = {"shake_128", NULL, "SHAKE128", NID_shake128,
                       BT__KIND_XOF, 0, 168},
    [BT__SHAKE_256] = {"shake_256", NULL, "SHAKE256", NID_shake256,
                       BT__KIND_XOF, 0, 136},
    [BT__BLAKE2B] = {"blake2b", "blake2b512", "BLAKE2B-512", NID_blake2b512,
                     BT__KIND_BLAKE2B, 64, 128},
    [BT__BLAKE2S] = {"blake2s", "blake2s256", "BLAKE2S-256", NID_blake2s256,
                     BT__KIND_BLAKE2S, 32, 64},
};

/*
 * Python's names and aliases, the most used first. Names are compared as
 * two 8-byte words of a zero-padded 16-byte key: no strlen or memcmp call,
 * which matters when the whole hash of a short message takes ~100 ns.
 */
#define NAME_KEY 16
static const struct {
    _Alignas(8) char s[NAME_KEY];
    int id;
} names[] = {
    {"sha256", BT__SHA256},
    {"md5", BT__MD5},
    {"sha1", BT__SHA1},
    {"sha512", BT__SHA512},
    {"sha384", BT__SHA384},
    {"sha224", BT__SHA224},
    {"blake2b", BT__BLAKE2B},
    {"blake2s", BT__BLAKE2S},
    {"sha3_256", BT__SHA3_256},
    {"sha3_512", BT__SHA3_512},
    {"sha3_224", BT__SHA3_224},
    {"sha3_384", BT__SHA3_384},
    {"shake_128", BT__SHAKE_128},
    {"shake_256", BT__SHAKE_256},
    {"sha512_224", BT__SHA512_224},
    {"sha512_256", BT__SHA512_256},
    {"SHA256", BT__SHA256},
    {"MD5", BT__MD5},
    {"SHA1", BT__SHA1},
    {"SHA512", BT__SHA512},
    {"SHA384", BT__SHA384},
    {"SHA224", BT__SHA224},
    {"SHA512_224", BT__SHA512_224},
    {"SHA512_256", BT__SHA512_256},
    {"blake2b512", BT__BLAKE2B},
    {"blake2s256", BT__BLAKE2S},
};

#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define KEY_SHIFT(i) (56 - 8 * (i))
#else
#define KEY_SHIFT(i) (8 * (i))
#endif

static int lookup_name(const char *name)
{
    /* The key is built in registers, as memcpy of the table reads it:
     * bytes stored one by one and reloaded as words would stall
     * store-to-load forwarding. */
    uint64_t k0 = 0, k1 = 0;
    size_t i;
    for (i = 0; i < 8; i++) {
        unsigned char c = (unsigned char)name[i];
        if (!c)
            goto search;
        k0 |= (uint64_t)c << KEY_SHIFT(i);
    }
    for (; i < NAME_KEY - 1; i++) {
        unsigned char c = (unsigned char)name[i];
        if (!c)
            goto search;
        k1 |= (uint64_t)c << KEY_SHIFT(i - 8);
    }
    return -1; /* longer than any table name */
search:
    for (i = 0; i < BT__COUNTOF(names); i++) {
        uint64_t n0, n1;
        memcpy(&n0, names[i].s, 8);
        memcpy(&n1, names[i].s + 8, 8);
        if (n0 == k0 && n1 == k1)
            return names[i].id;
    }
    return -1;
}

static int id_by_nid(int nid)
{
    if (nid == NID_undef)
        return -1;
    for (int i = 0; i < BT__N_ALGOS; i++)
        if (algos[i].nid == nid)
            return i;
    return -1;
}

/* ------------------------------------------------------------------------ */
/* OpenSSL errors, as CPython's _setException words them                     */
/* ------------------------------------------------------------------------ */

int bt__ossl_error(bt_err *err, int code, const char *altmsg)
{
    unsigned long e = ERR_peek_last_error();
    if (!e) {
        return bt_err_setf(err, code, -1, "%s",
                           altmsg ? altmsg : "no reason supplied");
    }
    ERR_clear_error();
    if (ERR_GET_REASON(e) == ERR_R_MALLOC_FAILURE)
        code = BT_ENOMEM;
    const char *lib = ERR_lib_error_string(e);
    const char *reason = ERR_reason_error_string(e);
    if (!reason)
        reason = "no reason supplied";
    if (lib)
        return bt_err_setf(err, code, -1, "[%s] %s", lib, reason);
    return bt_err_setf(err, code, -1, "%s", reason);
}

/* A failure in the middle of hashing, where no message is wanted. */
static int ossl_fail(void)
{
    unsigned long e = ERR_peek_last_error();
    ERR_clear_error();
    return ERR_GET_REASON(e) == ERR_R_MALLOC_FAILURE ? BT_ENOMEM : BT_EVALUE;
}

/* ------------------------------------------------------------------------ */
/* Fetched digests: once per process                                         */
/* ------------------------------------------------------------------------ */

static EVP_MD *_Atomic fetched[BT__N_ALGOS];

static EVP_MD *fetch_slow(int id)
{
    ERR_set_mark();
    EVP_MD *md = EVP_MD_fetch(NULL, algos[id].ossl, NULL);
    ERR_pop_to_mark();
    if (!md)
        return NULL;
    EVP_MD *expected = NULL;
    if (!atomic_compare_exchange_strong_explicit(&fetched[id], &expected, md,
                                                 memory_order_acq_rel,
                                                 memory_order_acquire)) {
        EVP_MD_free(md); /* another thread won; use its */
        md = expected;
    }
    return md;
}

static inline EVP_MD *get_md(int id)
{
    EVP_MD *md = atomic_load_explicit(&fetched[id], memory_order_acquire);
    return BT__LIKELY(md != NULL) ? md : fetch_slow(id);
}

/* ------------------------------------------------------------------------ */
/* Per-thread caches of EVP_MD_CTX                                           */
/* ------------------------------------------------------------------------ */

#define CTX_CACHE 4

struct ctx_cache {
    EVP_MD_CTX *ctx[BT__N_ALGOS][CTX_CACHE];
    uint8_t n[BT__N_ALGOS];
    EVP_MD_CTX *pristine[BT__N_ALGOS]; /* initialized, never fed */
    EVP_MD_CTX *scratch;
    bool armed;
};

static _Thread_local struct ctx_cache tcache;
static pthread_key_t cache_key;
static pthread_once_t cache_key_once = PTHREAD_ONCE_INIT;
static bool cache_key_ok;

/* Runs at thread exit with the exiting thread's cache. */
static void cache_destroy(void *arg)
{
    struct ctx_cache *c = arg;
    for (int i = 0; i < BT__N_ALGOS; i++) {
        while (c->n[i])
            EVP_MD_CTX_free(c->ctx[i][--c->n[i]]);
        EVP_MD_CTX_free(c->pristine[i]);
        c->pristine[i] = NULL;
    }
    EVP_MD_CTX_free(c->scratch);
    c->scratch = NULL;
    c->armed = false;
}

static void cache_key_create(void)
{
    cache_key_ok = pthread_key_create(&cache_key, cache_destroy) == 0;
}

/* Registers this thread's cache for cleanup at thread exit. */
static bool cache_arm(void)
{
    if (BT__LIKELY(tcache.armed))
        return true;
    pthread_once(&cache_key_once, cache_key_create);
    if (!cache_key_ok || pthread_setspecific(cache_key, &tcache) != 0)
        return false;
    tcache.armed = true;
    return true;
}

static inline EVP_MD_CTX *ctx_get(int id)
{
    if (id < BT__N_ALGOS && tcache.n[id])
        return tcache.ctx[id][--tcache.n[id]];
    return EVP_MD_CTX_new();
}

static inline void ctx_put(int id, EVP_MD_CTX *ctx)
{
    if (id < BT__N_ALGOS && tcache.n[id] < CTX_CACHE && cache_arm())
        tcache.ctx[id][tcache.n[id]++] = ctx;
    else
        EVP_MD_CTX_free(ctx);
}

/*
 * Readies ctx for a new hash of md. Copying a pristine context (initialized
 * once per thread and algorithm, never fed) is ~10 ns cheaper than
 * EVP_DigestInit_ex, which in OpenSSL 3.0 frees and re-creates the provider
 * context and looks for an ENGINE every time.
 */
static int fresh_ctx(EVP_MD_CTX *ctx, int id, const EVP_MD *md)
{
    if (id < BT__N_ALGOS) {
        EVP_MD_CTX *p = tcache.pristine[id];
        if (BT__UNLIKELY(!p) && cache_arm()) {
            p = EVP_MD_CTX_new();
            if (p && !EVP_DigestInit_ex(p, md, NULL)) {
                ERR_clear_error();
                EVP_MD_CTX_free(p);
                p = NULL;
            }
            tcache.pristine[id] = p;
        }
        if (BT__LIKELY(p != NULL))
            return EVP_MD_CTX_copy_ex(ctx, p);
    }
    return EVP_DigestInit_ex(ctx, md, NULL);
}

static EVP_MD_CTX *scratch_ctx(void)
{
    if (!tcache.scratch && cache_arm())
        tcache.scratch = EVP_MD_CTX_new();
    return tcache.scratch;
}

/* ------------------------------------------------------------------------ */
/* Resolving names                                                           */
/* ------------------------------------------------------------------------ */

int bt__algo_get(int id, bt__algo *a)
{
    const struct algo_info *in = &algos[id];
    a->id = id;
    a->kind = in->kind;
    a->digest_size = in->digest_size;
    a->block_size = in->block_size;
    a->name = in->name;
    a->md = NULL;
    if (in->kind == BT__KIND_BLAKE2B || in->kind == BT__KIND_BLAKE2S)
        return 0;
    a->md = get_md(id);
    if (!a->md)
        return BT_EVALUE;
#if BT__HAVE_DIRECT
    if (bt__direct_usable(id, a->md))
        a->kind = BT__KIND_DIRECT;
#endif
    return 0;
}

void bt__algo_release(bt__algo *a)
{
    if (a->id == BT__DYNAMIC)
        EVP_MD_free(a->md);
    a->md = NULL;
}

/* Python's name for a digest OpenSSL gave us (py_digest_name). */
static const char *py_digest_name(int nid)
{
    int id = id_by_nid(nid);
    if (id >= 0)
        return algos[id].name;
    const char *name = OBJ_nid2ln(nid);
    if (!name)
        name = OBJ_nid2sn(nid);
    return name ? name : "undefined";
}

int bt__algo_resolve(const char *name, bt__algo *a, bt_err *err)
{
    assert(name != NULL);
    int id = lookup_name(name);
    if (BT__LIKELY(id >= 0)) {
        if (bt__algo_get(id, a) == 0)
            return 0;
        return bt_err_setf(err, BT_EVALUE, -1, "unsupported hash type %s",
                           name);
    }
    /* Any name OpenSSL knows: "SHA-256", "RIPEMD160", an OID, ... */
    ERR_set_mark();
    EVP_MD *md = EVP_MD_fetch(NULL, name, NULL);
    ERR_pop_to_mark();
    if (!md)
        return bt_err_setf(err, BT_EVALUE, -1, "unsupported hash type %s",
                           name);
    int nid = EVP_MD_get_type(md);
    id = id_by_nid(nid);
    if (id >= 0) {
        EVP_MD_free(md);
        if (bt__algo_get(id, a) == 0)
            return 0;
        return bt_err_setf(err, BT_EVALUE, -1, "unsupported hash type %s",
                           name);
    }
    a->id = BT__DYNAMIC;
    a->md = md;
    a->name = py_digest_name(nid);
    if (EVP_MD_get_flags(md) & EVP_MD_FLAG_XOF) {
        a->kind = BT__KIND_XOF;
        a->digest_size = 0;
    } else {
        a->kind = BT__KIND_EVP;
        a->digest_size = EVP_MD_get_size(md);
    }
    a->block_size = EVP_MD_get_block_size(md);
    if (a->digest_size < 0 || a->digest_size > BT_HASHLIB_MAX_DIGEST_SIZE ||
        a->block_size < 0) {
        EVP_MD_free(md);
        return bt_err_setf(err, BT_EVALUE, -1, "unsupported hash type %s",
                           name);
    }
    return 0;
}

EVP_MD *bt__md_fetch_for_kdf(const char *name)
{
    int id = lookup_name(name);
    if (id >= 0) {
        if (algos[id].kind == BT__KIND_EVP || algos[id].kind == BT__KIND_XOF) {
            EVP_MD *md = get_md(id);
            if (md && EVP_MD_up_ref(md))
                return md;
        }
        return EVP_MD_fetch(NULL, algos[id].ossl, NULL);
    }
    return EVP_MD_fetch(NULL, name, NULL);
}

/* ------------------------------------------------------------------------ */
/* The hash object                                                           */
/* ------------------------------------------------------------------------ */

static inline bool is_evp(const bt_hash *h)
{
    return h->algo.kind == BT__KIND_EVP || h->algo.kind == BT__KIND_XOF;
}

static const bt_hashlib_blake2_params b2b_defaults = BT_HASHLIB_BLAKE2B_PARAMS;
static const bt_hashlib_blake2_params b2s_defaults = BT_HASHLIB_BLAKE2S_PARAMS;

int bt__hash_init(bt_hash *h, const bt__algo *a,
                  const bt_hashlib_blake2_params *b2)
{
    h->algo = *a;
    h->ctx = NULL;
    h->buf_len = 0;
    if (a->kind == BT__KIND_BLAKE2B) {
        if (b2)
            h->algo.digest_size = b2->digest_size;
        bt__blake2b_init(&h->u.b2b, b2 ? b2 : &b2b_defaults);
    } else if (a->kind == BT__KIND_BLAKE2S) {
        if (b2)
            h->algo.digest_size = b2->digest_size;
        bt__blake2s_init(&h->u.b2s, b2 ? b2 : &b2s_defaults);
    }
#if BT__HAVE_DIRECT
    else if (a->kind == BT__KIND_DIRECT)
        bt__direct_init(a->id, &h->u.direct);
#endif
    /* EVP kinds start buffered: no OpenSSL call yet. */
    return 0;
}

void bt__hash_fini(bt_hash *h)
{
#if BT__HAVE_DIRECT
    /* As OpenSSL clears its own digest contexts when freeing them: the
     * state's block may hold the last bytes of the input. */
    if (h->algo.kind == BT__KIND_DIRECT)
        bt__direct_wipe(h->algo.id, &h->u.direct);
#endif
    if (h->ctx) {
        ctx_put(h->algo.id, h->ctx);
        h->ctx = NULL;
    }
    bt__algo_release(&h->algo);
}

/* A cached context initialized for h's digest and fed with the buffer. */
static int buffered_ctx(const bt_hash *h, EVP_MD_CTX **out)
{
    EVP_MD_CTX *ctx = ctx_get(h->algo.id);
    if (BT__UNLIKELY(!ctx))
        return BT_ENOMEM;
    if (BT__UNLIKELY(!fresh_ctx(ctx, h->algo.id, h->algo.md) ||
                     !EVP_DigestUpdate(ctx, h->u.buf, h->buf_len))) {
        int rc = ossl_fail();
        EVP_MD_CTX_free(ctx);
        return rc;
    }
    *out = ctx;
    return 0;
}

int bt__hash_update(bt_hash *h, const void *data, size_t n)
{
    switch (h->algo.kind) {
    case BT__KIND_BLAKE2B:
        bt__blake2b_update(&h->u.b2b, data, n);
        return 0;
    case BT__KIND_BLAKE2S:
        bt__blake2s_update(&h->u.b2s, data, n);
        return 0;
#if BT__HAVE_DIRECT
    case BT__KIND_DIRECT:
        bt__direct_update(h->algo.id, &h->u.direct, data, n);
        return 0;
#endif
    default:
        break;
    }
    if (BT__LIKELY(!h->ctx)) {
        if (n <= BT__BUF_MAX - (size_t)h->buf_len) {
            if (n) {
                memcpy(h->u.buf + h->buf_len, data, n);
                h->buf_len = (uint16_t)(h->buf_len + n);
            }
            return 0;
        }
        /* Too much to buffer: stream from now on (h unchanged on failure). */
        EVP_MD_CTX *ctx;
        int rc = buffered_ctx(h, &ctx);
        if (rc < 0)
            return rc;
        h->ctx = ctx;
    }
    if (BT__UNLIKELY(!EVP_DigestUpdate(h->ctx, data, n)))
        return ossl_fail();
    return 0;
}

/*
 * Finalizes the data so far plus extra into out, leaving h unchanged: from
 * the buffer through a cached context, or from a scratch copy of h's
 * context. xof_len is the output length for a XOF (ignored otherwise).
 */
static int evp_final(const bt_hash *h, const void *extra, size_t extra_len,
                     unsigned char *out, size_t xof_len)
{
    EVP_MD_CTX *ctx;
    if (!h->ctx) {
        int rc = buffered_ctx(h, &ctx);
        if (rc < 0)
            return rc;
    } else {
        ctx = scratch_ctx();
        if (BT__UNLIKELY(!ctx))
            return BT_ENOMEM;
        if (BT__UNLIKELY(!EVP_MD_CTX_copy_ex(ctx, h->ctx)))
            return ossl_fail();
    }
    int ok = extra_len == 0 || EVP_DigestUpdate(ctx, extra, extra_len);
    if (ok) {
        if (h->algo.kind == BT__KIND_XOF)
            ok = EVP_DigestFinalXOF(ctx, out, xof_len);
        else
            ok = EVP_DigestFinal_ex(ctx, out, NULL);
    }
    int rc = ok ? 0 : ossl_fail();
    if (!h->ctx) {
        if (ok)
            ctx_put(h->algo.id, ctx);
        else
            EVP_MD_CTX_free(ctx);
    }
    return rc;
}

#if BT__HAVE_DIRECT
/* Finalizes a copy of the state (fed with extra first), leaving h as it
 * was; bt__direct_final wipes the copy's buffered input. */
static void direct_digest(const bt_hash *h, const void *extra, size_t extra_len,
                          unsigned char *out)
{
    bt__direct_state s = h->u.direct;
    if (extra_len)
        bt__direct_update(h->algo.id, &s, extra, extra_len);
    bt__direct_final(h->algo.id, &s, out);
}
#endif

/* The digest of the data so far into out (digest_size bytes). */
static int fixed_digest(const bt_hash *h, unsigned char *out)
{
    switch (h->algo.kind) {
    case BT__KIND_BLAKE2B:
        bt__blake2b_digest(&h->u.b2b, out);
        return 0;
    case BT__KIND_BLAKE2S:
        bt__blake2s_digest(&h->u.b2s, out);
        return 0;
#if BT__HAVE_DIRECT
    case BT__KIND_DIRECT:
        direct_digest(h, NULL, 0, out);
        return 0;
#endif
    default:
        return evp_final(h, NULL, 0, out, 0);
    }
}

int bt__hash_digest_with(const bt_hash *h, const void *extra, size_t extra_len,
                         unsigned char *out)
{
    if (extra_len == 0)
        return fixed_digest(h, out);
    if (is_evp(h))
        return evp_final(h, extra, extra_len, out, 0);
#if BT__HAVE_DIRECT
    if (h->algo.kind == BT__KIND_DIRECT) {
        direct_digest(h, extra, extra_len, out);
        return 0;
    }
#endif
    /* BLAKE2: the state is a plain struct; finalize a copy. */
    if (h->algo.kind == BT__KIND_BLAKE2B) {
        bt__blake2b s = h->u.b2b;
        bt__blake2b_update(&s, extra, extra_len);
        bt__blake2b_digest(&s, out);
        OPENSSL_cleanse(&s, sizeof s);
    } else {
        bt__blake2s s = h->u.b2s;
        bt__blake2s_update(&s, extra, extra_len);
        bt__blake2s_digest(&s, out);
        OPENSSL_cleanse(&s, sizeof s);
    }
    return 0;
}

int bt__hash_copy_into(bt_hash *dst, const bt_hash *src)
{
    dst->algo = src->algo;
    dst->ctx = NULL;
    dst->buf_len = src->buf_len;
    if (!is_evp(src)) {
        dst->u = src->u;
        return 0;
    }
    if (!src->ctx) {
        if (src->buf_len)
            memcpy(dst->u.buf, src->u.buf, src->buf_len);
        if (src->algo.id == BT__DYNAMIC && !EVP_MD_up_ref(src->algo.md))
            return ossl_fail();
        return 0;
    }
    EVP_MD_CTX *ctx = ctx_get(src->algo.id);
    if (!ctx)
        return BT_ENOMEM;
    if (!EVP_MD_CTX_copy_ex(ctx, src->ctx)) {
        int rc = ossl_fail();
        EVP_MD_CTX_free(ctx);
        return rc;
    }
    if (src->algo.id == BT__DYNAMIC && !EVP_MD_up_ref(src->algo.md)) {
        EVP_MD_CTX_free(ctx);
        return ossl_fail();
    }
    dst->ctx = ctx;
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Public API                                                                */
/* ------------------------------------------------------------------------ */

static int make(const bt__algo *a, const bt_hashlib_blake2_params *b2,
                const void *data, size_t n, bt_hash **out)
{
    assert(out != NULL && (data != NULL || n == 0));
    bt_hash *h = bt_malloc(sizeof *h);
    if (!h)
        return BT_ENOMEM;
    int rc = bt__hash_init(h, a, b2);
    if (rc < 0) {
        bt_free(h);
        return rc;
    }
    if (n) {
        rc = bt__hash_update(h, data, n);
        if (rc < 0) {
            bt__hash_fini(h);
            bt_free(h);
            return rc;
        }
    }
    *out = h;
    return 0;
}

int bt_hashlib_new(const char *name, const void *data, size_t n, bt_hash **out,
                   bt_err *err)
{
    bt__algo a;
    int rc = bt__algo_resolve(name, &a, err);
    if (rc < 0)
        return rc;
    rc = make(&a, NULL, data, n, out);
    if (rc < 0)
        bt__algo_release(&a);
    return rc;
}

static int named(int id, const void *data, size_t n, bt_hash **out)
{
    bt__algo a;
    int rc = bt__algo_get(id, &a);
    return rc < 0 ? rc : make(&a, NULL, data, n, out);
}

#define NAMED(fn, id)                                                          \
    int fn(const void *data, size_t n, bt_hash **out)                          \
    {                                                                          \
        return named(id, data, n, out);                                        \
    }
NAMED(bt_hashlib_md5, BT__MD5)
NAMED(bt_hashlib_sha1, BT__SHA1)
NAMED(bt_hashlib_sha224, BT__SHA224)
NAMED(bt_hashlib_sha256, BT__SHA256)
NAMED(bt_hashlib_sha384, BT__SHA384)
NAMED(bt_hashlib_sha512, BT__SHA512)
NAMED(bt_hashlib_sha512_224, BT__SHA512_224)
NAMED(bt_hashlib_sha512_256, BT__SHA512_256)
NAMED(bt_hashlib_sha3_224, BT__SHA3_224)
NAMED(bt_hashlib_sha3_256, BT__SHA3_256)
NAMED(bt_hashlib_sha3_384, BT__SHA3_384)
NAMED(bt_hashlib_sha3_512, BT__SHA3_512)
NAMED(bt_hashlib_shake_128, BT__SHAKE_128)
NAMED(bt_hashlib_shake_256, BT__SHAKE_256)
#undef NAMED

static int blake2(int id, const void *data, size_t n,
                  const bt_hashlib_blake2_params *params, bt_hash **out,
                  bt_err *err)
{
    if (params) {
        int rc = id == BT__BLAKE2B ? bt__blake2b_check(params, err)
                                   : bt__blake2s_check(params, err);
        if (rc < 0)
            return rc;
    }
    bt__algo a;
    bt__algo_get(id, &a);
    return make(&a, params, data, n, out);
}

int bt_hashlib_blake2b(const void *data, size_t n,
                       const bt_hashlib_blake2_params *params, bt_hash **out,
                       bt_err *err)
{
    return blake2(BT__BLAKE2B, data, n, params, out, err);
}

int bt_hashlib_blake2s(const void *data, size_t n,
                       const bt_hashlib_blake2_params *params, bt_hash **out,
                       bt_err *err)
{
    return blake2(BT__BLAKE2S, data, n, params, out, err);
}

int bt_hashlib_update(bt_hash *h, const void *data, size_t n)
{
    return bt__hash_update(h, data, n);
}

ptrdiff_t bt_hashlib_digest(const bt_hash *h, void *out, size_t outsize)
{
    if (h->algo.kind == BT__KIND_XOF)
        return BT_ETYPE;
    size_t ds = (size_t)h->algo.digest_size;
    if (outsize < ds)
        return BT_EVALUE;
    int rc = fixed_digest(h, out);
    return rc < 0 ? rc : (ptrdiff_t)ds;
}

static void to_hex(char *out, const unsigned char *in, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 15];
    }
    out[2 * n] = '\0';
}

ptrdiff_t bt_hashlib_hexdigest(const bt_hash *h, char *out, size_t outsize)
{
    if (h->algo.kind == BT__KIND_XOF)
        return BT_ETYPE;
    size_t ds = (size_t)h->algo.digest_size;
    if (outsize < 2 * ds + 1)
        return BT_EVALUE;
    unsigned char d[BT_HASHLIB_MAX_DIGEST_SIZE];
    int rc = fixed_digest(h, d);
    if (rc < 0)
        return rc;
    to_hex(out, d, ds);
    return (ptrdiff_t)(2 * ds);
}

ptrdiff_t bt_hashlib_shake_digest(const bt_hash *h, void *out, size_t length)
{
    if (h->algo.kind != BT__KIND_XOF)
        return BT_ETYPE;
    if (length > PTRDIFF_MAX)
        return BT_ENOMEM;
    if (length == 0)
        return 0;
    int rc = evp_final(h, NULL, 0, out, length);
    return rc < 0 ? rc : (ptrdiff_t)length;
}

ptrdiff_t bt_hashlib_shake_hexdigest(const bt_hash *h, char *out, size_t length)
{
    if (h->algo.kind != BT__KIND_XOF)
        return BT_ETYPE;
    if (length > (PTRDIFF_MAX - 1) / 2)
        return BT_ENOMEM;
    if (length) {
        /* The bytes go to the upper half of out, then expand forward into
         * hex: each step reads byte i before writing chars 2i and 2i+1,
         * which never reach an unread byte. */
        unsigned char *bin = (unsigned char *)out + length;
        int rc = evp_final(h, NULL, 0, bin, length);
        if (rc < 0)
            return rc;
        static const char digits[] = "0123456789abcdef";
        for (size_t i = 0; i < length; i++) {
            unsigned char c = bin[i];
            out[2 * i] = digits[c >> 4];
            out[2 * i + 1] = digits[c & 15];
        }
    }
    out[2 * length] = '\0';
    return (ptrdiff_t)(2 * length);
}

int bt_hashlib_copy(const bt_hash *h, bt_hash **out)
{
    bt_hash *c = bt_malloc(sizeof *c);
    if (!c)
        return BT_ENOMEM;
    int rc = bt__hash_copy_into(c, h);
    if (rc < 0) {
        bt_free(c);
        return rc;
    }
    *out = c;
    return 0;
}

void bt_hashlib_free(bt_hash *h)
{
    if (!h)
        return;
    bt__hash_fini(h);
    bt_free(h);
}

int bt_hashlib_digest_size(const bt_hash *h)
{
    return h->algo.digest_size;
}

int bt_hashlib_block_size(const bt_hash *h)
{
    return h->algo.block_size;
}

const char *bt_hashlib_name(const bt_hash *h)
{
    return h->algo.name;
}

ptrdiff_t bt_hashlib_hash(const char *name, const void *data, size_t n,
                          void *out, size_t outsize, bt_err *err)
{
    bt__algo a;
    int rc = bt__algo_resolve(name, &a, err);
    if (rc < 0)
        return rc;
    if (a.kind == BT__KIND_XOF) {
        bt__algo_release(&a);
        return bt_err_setf(err, BT_ETYPE, -1,
                           "digest() missing required argument 'length' "
                           "(pos 1)");
    }
    size_t ds = (size_t)a.digest_size;
    if (outsize < ds) {
        bt__algo_release(&a);
        return bt_err_setf(err, BT_EVALUE, -1,
                           "output buffer too small: %zu bytes for a %zu-byte "
                           "digest",
                           outsize, ds);
    }
    if (a.kind == BT__KIND_EVP) {
        /* Straight through a cached context: no object, no copy. */
        EVP_MD_CTX *ctx = ctx_get(a.id);
        if (!ctx) {
            bt__algo_release(&a);
            return BT_ENOMEM;
        }
        if (!fresh_ctx(ctx, a.id, a.md) || !EVP_DigestUpdate(ctx, data, n) ||
            !EVP_DigestFinal_ex(ctx, out, NULL)) {
            rc = ossl_fail();
            EVP_MD_CTX_free(ctx);
        } else {
            ctx_put(a.id, ctx);
        }
        bt__algo_release(&a);
        return rc < 0 ? rc : (ptrdiff_t)ds;
    }
#if BT__HAVE_DIRECT
    if (a.kind == BT__KIND_DIRECT) {
        bt__direct_state st;
        bt__direct_init(a.id, &st);
        bt__direct_update(a.id, &st, data, n);
        bt__direct_final(a.id, &st, out);
        return (ptrdiff_t)ds;
    }
#endif
    bt_hash h;
    bt__hash_init(&h, &a, NULL); /* BLAKE2: cannot fail */
    bt__hash_update(&h, data, n);
    bt__hash_digest_with(&h, NULL, 0, out);
    bt__hash_fini(&h);
    return (ptrdiff_t)ds;
}

/* ------------------------------------------------------------------------ */
/* algorithms_guaranteed / algorithms_available                              */
/* ------------------------------------------------------------------------ */

static const char *const guaranteed[] = {
    "blake2b",  "blake2s", "md5",       "sha1",      "sha224",
    "sha256",   "sha384",  "sha3_224",  "sha3_256",  "sha3_384",
    "sha3_512", "sha512",  "shake_128", "shake_256",
};

/* Appends src's items to out; on failure out is restored. */
static int append_all(bt_strvec *out, const bt_strvec *src)
{
    size_t before = out->count;
    for (size_t i = 0; i < src->count; i++) {
        if (bt_strvec_append(out, src->items[i], src->lens[i]) < 0) {
            while (out->count > before)
                bt_strvec_remove(out, out->count - 1);
            return BT_ENOMEM;
        }
    }
    return 0;
}

int bt_hashlib_algorithms_guaranteed(bt_strvec *out)
{
    bt_strvec v = BT_STRVEC_INIT;
    int rc = 0;
    for (size_t i = 0; i < BT__COUNTOF(guaranteed) && rc == 0; i++)
        rc = bt_strvec_append_str(&v, guaranteed[i]);
    if (rc == 0)
        rc = append_all(out, &v);
    bt_strvec_fini(&v);
    return rc;
}

struct collect {
    bt_strvec *v;
    int rc;
};

static void collect_md(EVP_MD *md, void *arg)
{
    struct collect *c = arg;
    int nid = EVP_MD_get_type(md);
    if (c->rc < 0 || nid == NID_undef)
        return;
    const char *name = py_digest_name(nid);
    if (bt_strvec_index(c->v, name, strlen(name)) >= 0)
        return;
    c->rc = bt_strvec_append_str(c->v, name);
}

int bt_hashlib_algorithms_available(bt_strvec *out)
{
    bt_strvec v = BT_STRVEC_INIT;
    struct collect c = {&v, 0};
    for (size_t i = 0; i < BT__COUNTOF(guaranteed) && c.rc == 0; i++)
        c.rc = bt_strvec_append_str(&v, guaranteed[i]);
    if (c.rc == 0) {
        ERR_set_mark();
        EVP_MD_do_all_provided(NULL, collect_md, &c);
        ERR_pop_to_mark();
    }
    if (c.rc == 0)
        c.rc = bt_strvec_sort(&v);
    if (c.rc == 0)
        c.rc = append_all(out, &v);
    bt_strvec_fini(&v);
    return c.rc;
}

/* ------------------------------------------------------------------------ */
/* file_digest                                                               */
/* ------------------------------------------------------------------------ */

/* Python reads 256 KiB at a time; so do we (fits in L2 while hashed). */
#define FILE_CHUNK (256 * 1024)

static int update_fd(bt_hash *h, int fd, const char *path, bt_err *err)
{
    unsigned char *buf = bt_malloc(FILE_CHUNK);
    if (!buf)
        return BT_ENOMEM;
    int rc = 0;
    for (;;) {
        ssize_t k = read(fd, buf, FILE_CHUNK);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            rc = bt_err_oserror(err, -errno, path, NULL);
            break;
        }
        if (k == 0)
            break;
        rc = bt__hash_update(h, buf, (size_t)k);
        if (rc < 0)
            break;
    }
    bt_free(buf);
    return rc;
}

int bt_hashlib_update_fd(bt_hash *h, int fd, bt_err *err)
{
    return update_fd(h, fd, NULL, err);
}

static int file_digest(int fd, const char *path, const char *name,
                       bt_hash **out, bt_err *err)
{
    bt_hash *h;
    int rc = bt_hashlib_new(name, NULL, 0, &h, err);
    if (rc < 0)
        return rc;
    rc = update_fd(h, fd, path, err);
    if (rc < 0) {
        bt_hashlib_free(h);
        return rc;
    }
    *out = h;
    return 0;
}

int bt_hashlib_file_digest(int fd, const char *name, bt_hash **out, bt_err *err)
{
    return file_digest(fd, NULL, name, out, err);
}

int bt_hashlib_file_digest_path(const char *path, const char *name,
                                bt_hash **out, bt_err *err)
{
    /* As `with open(path, 'rb') as f: file_digest(f, name)`: the file is
     * opened before the name is looked up, so a missing file wins. */
    int fd;
    BT__RETRY(fd, open(path, O_RDONLY | O_CLOEXEC));
    if (fd < 0)
        return bt_err_oserror(err, -errno, path, NULL);
    int rc = file_digest(fd, path, name, out, err);
    close(fd);
    return rc;
}
