/*
 * batteries/hashlib.h — Python's hashlib and hmac: message digests (MD5, the
 * SHA-1, SHA-2 and SHA-3 families, SHAKE, BLAKE2), HMAC, PBKDF2 and scrypt,
 * with Python's names, results and error messages.
 *
 *   >>> h = hashlib.sha256(b"abc"); h.update(b"def"); h.hexdigest()
 *
 *   bt_hash *h;
 *   char hex[BT_HASHLIB_MAX_HEXDIGEST_SIZE];
 *   bt_hashlib_new("sha256", "abc", 3, &h, &err);
 *   bt_hashlib_update(h, "def", 3);
 *   bt_hashlib_hexdigest(h, hex, sizeof hex);
 *   bt_hashlib_free(h);
 *
 * Digests come from OpenSSL libcrypto 3, except BLAKE2b/BLAKE2s, which are
 * written here (OpenSSL 3.0 has no keyed, salted, personalized or
 * variable-size BLAKE2 digest; see docs/hashlib.md).
 */
#ifndef BATTERIES_HASHLIB_H
#define BATTERIES_HASHLIB_H

#include <batteries/core.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A hash object: Python's hashlib.sha256() and friends. Opaque. */
typedef struct bt_hash bt_hash;

/* An HMAC object: Python's hmac.HMAC. Opaque. */
typedef struct bt_hmac bt_hmac;

/* The largest digest_size of a fixed-size algorithm (sha512, blake2b). */
#define BT_HASHLIB_MAX_DIGEST_SIZE 64
/* Room for the longest hexdigest of a fixed-size algorithm and its NUL. */
#define BT_HASHLIB_MAX_HEXDIGEST_SIZE (2 * BT_HASHLIB_MAX_DIGEST_SIZE + 1)
/* The largest block_size (sha3_224). */
#define BT_HASHLIB_MAX_BLOCK_SIZE 168

/* ------------------------------------------------------------------------ */
/* Algorithms                                                                */
/* ------------------------------------------------------------------------ */

/**
 * Appends the names of the algorithms every build supports, sorted:
 * blake2b, blake2s, md5, sha1, sha224, sha256, sha384, sha3_224, sha3_256,
 * sha3_384, sha3_512, sha512, shake_128, shake_256.
 *
 * Python: sorted(hashlib.algorithms_guaranteed).
 * Returns: 0, or BT_ENOMEM (out is then unchanged).
 * Ownership: out is caller-owned; the names are copied into it.
 * Thread safety: safe on distinct vectors.
 */
BT_API int bt_hashlib_algorithms_guaranteed(bt_strvec *out);

/**
 * Appends the names of every algorithm bt_hashlib_new accepts here: the
 * guaranteed ones plus what the loaded OpenSSL providers offer (md5-sha1,
 * ripemd160, sm3, ...), by Python's names, sorted, without duplicates.
 *
 * Python: sorted(hashlib.algorithms_available).
 * Returns: 0, or BT_ENOMEM (out is then unchanged).
 * Ownership: out is caller-owned; the names are copied into it.
 * Thread safety: safe on distinct vectors.
 */
BT_API int bt_hashlib_algorithms_available(bt_strvec *out);

/* ------------------------------------------------------------------------ */
/* Hash objects                                                              */
/* ------------------------------------------------------------------------ */

/**
 * Makes a hash object for the algorithm called name, fed with n bytes of
 * data (data may be NULL when n is 0). Python's names ("sha256",
 * "sha3_256", "shake_128", "blake2b", "sha512_224", ...) and their aliases
 * ("SHA256", "blake2b512", ...) are found at once; any other name is asked
 * of OpenSSL, case-insensitively ("sha-256", "RIPEMD160", "sm3"), as Python
 * does. blake2b/blake2s get their default parameters.
 *
 * Python: hashlib.new(name, data).
 * Returns: 0 and *out, or BT_EVALUE for an unknown name (err->msg:
 *   "unsupported hash type <name>"), or BT_ENOMEM.
 * Ownership: the caller frees *out with bt_hashlib_free; name and data are
 *   borrowed.
 * Thread safety: safe.
 */
BT_API int bt_hashlib_new(const char *name, const void *data, size_t n,
                          bt_hash **out, bt_err *err);

/**
 * The named constructors: a hash object for one algorithm, fed with n bytes
 * of data (data may be NULL when n is 0). Faster than bt_hashlib_new, which
 * must look the name up.
 *
 * Python: hashlib.md5(data), hashlib.sha1(data), ..., hashlib.shake_256(data).
 * Returns: 0 and *out, BT_ENOMEM, or BT_EVALUE when the OpenSSL in use has
 *   no such algorithm (a FIPS-only configuration without md5, say).
 * Ownership: the caller frees *out with bt_hashlib_free; data is borrowed.
 * Thread safety: safe.
 */
BT_API int bt_hashlib_md5(const void *data, size_t n, bt_hash **out);
BT_API int bt_hashlib_sha1(const void *data, size_t n, bt_hash **out);
BT_API int bt_hashlib_sha224(const void *data, size_t n, bt_hash **out);
BT_API int bt_hashlib_sha256(const void *data, size_t n, bt_hash **out);
BT_API int bt_hashlib_sha384(const void *data, size_t n, bt_hash **out);
BT_API int bt_hashlib_sha512(const void *data, size_t n, bt_hash **out);
BT_API int bt_hashlib_sha512_224(const void *data, size_t n, bt_hash **out);
BT_API int bt_hashlib_sha512_256(const void *data, size_t n, bt_hash **out);
BT_API int bt_hashlib_sha3_224(const void *data, size_t n, bt_hash **out);
BT_API int bt_hashlib_sha3_256(const void *data, size_t n, bt_hash **out);
BT_API int bt_hashlib_sha3_384(const void *data, size_t n, bt_hash **out);
BT_API int bt_hashlib_sha3_512(const void *data, size_t n, bt_hash **out);
BT_API int bt_hashlib_shake_128(const void *data, size_t n, bt_hash **out);
BT_API int bt_hashlib_shake_256(const void *data, size_t n, bt_hash **out);

/*
 * BLAKE2 parameters: the keyword arguments of hashlib.blake2b/blake2s.
 * Start from BT_HASHLIB_BLAKE2B_PARAMS or BT_HASHLIB_BLAKE2S_PARAMS (Python's
 * defaults) and change what you need; a zero-filled struct is invalid
 * (digest_size 0 and depth 0 are errors, as in Python).
 *  digest_size  1..64 (blake2b) or 1..32 (blake2s)
 *  key          up to 64 / 32 bytes; keyed hashing (a MAC) when key_len > 0
 *  salt         up to 16 / 8 bytes, zero-padded
 *  person       personalization, up to 16 / 8 bytes, zero-padded
 *  fanout, depth, leaf_size, node_offset, node_depth, inner_size, last_node
 *               tree hashing, as RFC 7693's parameter block and Python
 */
typedef struct bt_hashlib_blake2_params {
    int digest_size;
    const void *key;
    size_t key_len;
    const void *salt;
    size_t salt_len;
    const void *person;
    size_t person_len;
    int fanout;
    int depth;
    uint64_t leaf_size;
    uint64_t node_offset;
    int node_depth;
    int inner_size;
    bool last_node;
} bt_hashlib_blake2_params;

#define BT_HASHLIB_BLAKE2B_PARAMS                                              \
    {                                                                          \
        64, NULL, 0, NULL, 0, NULL, 0, 1, 1, 0, 0, 0, 0, false                 \
    }
#define BT_HASHLIB_BLAKE2S_PARAMS                                              \
    {                                                                          \
        32, NULL, 0, NULL, 0, NULL, 0, 1, 1, 0, 0, 0, 0, false                 \
    }

/**
 * Makes a BLAKE2b (bt_hashlib_blake2b) or BLAKE2s (bt_hashlib_blake2s) hash
 * object with the given parameters (NULL: the defaults), fed with n bytes of
 * data.
 *
 * Python: hashlib.blake2b(data, digest_size=..., key=..., salt=...,
 *   person=..., fanout=..., depth=..., leaf_size=..., node_offset=...,
 *   node_depth=..., inner_size=..., last_node=...), and blake2s.
 * Returns: 0 and *out; BT_EVALUE with Python's message for a parameter out
 *   of range ("digest_size must be between 1 and 64 bytes", "maximum key
 *   length is 64 bytes", "maximum salt length is 16 bytes", "maximum person
 *   length is 16 bytes", "fanout must be between 0 and 255", ...);
 *   BT_EOVERFLOWERR for leaf_size above 2**32-1 ("leaf_size is too large")
 *   or, for blake2s, node_offset above 2**48-1 ("node_offset is too
 *   large"); or BT_ENOMEM.
 * Ownership: the caller frees *out with bt_hashlib_free; params, the
 *   buffers it points to and data are borrowed for the call.
 * Thread safety: safe.
 */
BT_API int bt_hashlib_blake2b(const void *data, size_t n,
                              const bt_hashlib_blake2_params *params,
                              bt_hash **out, bt_err *err);
BT_API int bt_hashlib_blake2s(const void *data, size_t n,
                              const bt_hashlib_blake2_params *params,
                              bt_hash **out, bt_err *err);

/**
 * Feeds n more bytes to the hash. Works after a digest too: digests never
 * end a hash object.
 *
 * Python: h.update(data).
 * Returns: 0, or BT_ENOMEM / BT_EVALUE when OpenSSL fails (out of memory in
 *   OpenSSL, a broken provider). A failure when the object first outgrows
 *   its buffer (see docs/hashlib.md) leaves it as it was; a failure of
 *   OpenSSL's own update leaves it unusable.
 * Ownership: data is borrowed.
 * Thread safety: not safe on an object another thread uses.
 */
BT_API int bt_hashlib_update(bt_hash *h, const void *data, size_t n);

/**
 * Writes the digest of everything fed so far into out, which has room for
 * outsize bytes (BT_HASHLIB_MAX_DIGEST_SIZE always suffices). The object is
 * unchanged: digest again, update and digest again, as in Python.
 *
 * Python: h.digest().
 * Returns: the digest size (>= 0); BT_EVALUE when outsize < digest_size
 *   (nothing written); BT_ETYPE for shake_128/shake_256, whose length must
 *   be chosen: use bt_hashlib_shake_digest (Python: "digest() missing
 *   required argument 'length' (pos 1)"); BT_ENOMEM or BT_EVALUE when
 *   OpenSSL fails.
 * Ownership: out is caller-owned.
 * Thread safety: digests and copies of one object may run concurrently;
 *   not with an update or free of it.
 */
BT_API ptrdiff_t bt_hashlib_digest(const bt_hash *h, void *out, size_t outsize);

/**
 * Writes the digest as lowercase hex and a NUL into out, which has room for
 * outsize chars: 2 * digest_size + 1 (BT_HASHLIB_MAX_HEXDIGEST_SIZE always
 * suffices). Non-destructive, as bt_hashlib_digest.
 *
 * Python: h.hexdigest().
 * Returns: the number of hex digits (2 * digest_size); BT_EVALUE when out is
 *   too small (nothing written); BT_ETYPE for shake (use
 *   bt_hashlib_shake_hexdigest); BT_ENOMEM or BT_EVALUE when OpenSSL fails.
 * Ownership: out is caller-owned.
 * Thread safety: as bt_hashlib_digest.
 */
BT_API ptrdiff_t bt_hashlib_hexdigest(const bt_hash *h, char *out,
                                      size_t outsize);

/**
 * Writes the first length bytes of a shake_128/shake_256 output into out
 * (which must have room for length bytes). Non-destructive: any length, any
 * number of times, and update may continue.
 *
 * Python: h.digest(length) for hashlib.shake_128/shake_256.
 * Returns: length; BT_ETYPE for a fixed-size algorithm (Python: "HASH.digest()
 *   takes no arguments (1 given)"); BT_ENOMEM or BT_EVALUE when OpenSSL
 *   fails.
 * Ownership: out is caller-owned.
 * Thread safety: as bt_hashlib_digest.
 */
BT_API ptrdiff_t bt_hashlib_shake_digest(const bt_hash *h, void *out,
                                         size_t length);

/**
 * Writes the first length bytes of a shake output as 2 * length lowercase
 * hex digits and a NUL into out (room for 2 * length + 1 chars).
 *
 * Python: h.hexdigest(length) for hashlib.shake_128/shake_256.
 * Returns: 2 * length; BT_ETYPE for a fixed-size algorithm; BT_ENOMEM
 *   (including when 2 * length + 1 overflows) or BT_EVALUE when OpenSSL
 *   fails.
 * Ownership: out is caller-owned.
 * Thread safety: as bt_hashlib_digest.
 */
BT_API ptrdiff_t bt_hashlib_shake_hexdigest(const bt_hash *h, char *out,
                                            size_t length);

/**
 * Makes an independent copy of the hash object: same algorithm, same data
 * so far; updating one does not change the other.
 *
 * Python: h.copy().
 * Returns: 0 and *out, BT_ENOMEM, or BT_EVALUE when OpenSSL fails.
 * Ownership: the caller frees *out with bt_hashlib_free; h is borrowed.
 * Thread safety: as bt_hashlib_digest.
 */
BT_API int bt_hashlib_copy(const bt_hash *h, bt_hash **out);

/**
 * Frees a hash object.
 *
 * Python: del h.
 * Returns: nothing. Accepts NULL.
 * Ownership: h is invalid afterwards.
 * Thread safety: not safe on an object another thread uses.
 */
BT_API void bt_hashlib_free(bt_hash *h);

/**
 * The size in bytes of the digest (0 for shake_128/shake_256, as in Python;
 * the chosen digest_size for blake2b/blake2s).
 *
 * Python: h.digest_size.
 * Returns: the size, >= 0.
 * Ownership: nothing to free.
 * Thread safety: safe.
 */
BT_API int bt_hashlib_digest_size(const bt_hash *h);

/**
 * The internal block size of the algorithm in bytes (64 for sha256, 136 for
 * sha3_256, 128 for blake2b).
 *
 * Python: h.block_size.
 * Returns: the size, >= 0 (0 only for OpenSSL's "NULL" digest).
 * Ownership: nothing to free.
 * Thread safety: safe.
 */
BT_API int bt_hashlib_block_size(const bt_hash *h);

/**
 * The algorithm's Python name: "sha256", "sha3_256", "shake_128",
 * "blake2b", "sha512_224", "md5-sha1", ... whatever name the object was made
 * with ("SHA256" gives "sha256").
 *
 * Python: h.name.
 * Returns: a NUL-terminated string, never NULL.
 * Ownership: borrowed; valid while h lives.
 * Thread safety: safe.
 */
BT_API const char *bt_hashlib_name(const bt_hash *h);

/**
 * Hashes n bytes with the algorithm called name in one call, writing the
 * digest into out (room for outsize bytes). The fastest way to hash one
 * message: no object is allocated.
 *
 * Python: hashlib.new(name, data).digest(), hashlib.sha256(data).digest().
 * Returns: the digest size; BT_EVALUE for an unknown name ("unsupported hash
 *   type <name>") or when outsize < digest_size; BT_ETYPE for shake (no
 *   length; use an object and bt_hashlib_shake_digest); BT_ENOMEM.
 * Ownership: name and data are borrowed; out is caller-owned.
 * Thread safety: safe.
 */
BT_API ptrdiff_t bt_hashlib_hash(const char *name, const void *data, size_t n,
                                 void *out, size_t outsize, bt_err *err);

/**
 * Hashes a file: reads fd from its current offset to end of file in large
 * reads (bt_hashlib_file_digest), or opens path read-only and does the same
 * (bt_hashlib_file_digest_path), feeding a new hash object of the algorithm
 * called name. Reads interrupted by signals are retried.
 *
 * Python: hashlib.file_digest(f, name) (f opened with open(path, 'rb')).
 * Returns: 0 and *out; BT_EVALUE for an unknown name ("unsupported hash type
 *   <name>"); -errno for an OS error, with err->msg as Python's OSError
 *   reads ("[Errno 2] No such file or directory: 'x'"; without the file
 *   name for a bad fd); BT_ENOMEM.
 * Ownership: the caller frees *out with bt_hashlib_free; fd stays open and
 *   the caller's (its offset moves to the end); path is borrowed, its fd is
 *   closed before returning.
 * Thread safety: safe.
 */
BT_API int bt_hashlib_file_digest(int fd, const char *name, bt_hash **out,
                                  bt_err *err);
BT_API int bt_hashlib_file_digest_path(const char *path, const char *name,
                                       bt_hash **out, bt_err *err);

/**
 * Feeds the rest of file fd (from its current offset to end of file) to an
 * existing hash object, in large reads: file_digest for hash objects made
 * with parameters (a keyed blake2b, say).
 *
 * Python: hashlib.file_digest(f, lambda: h) with h made beforehand.
 * Returns: 0; -errno for an OS error (err->msg as Python's OSError reads);
 *   BT_ENOMEM; or BT_EVALUE when OpenSSL fails.
 * Ownership: fd stays the caller's; h stays the caller's.
 * Thread safety: not safe on an object another thread uses.
 */
BT_API int bt_hashlib_update_fd(bt_hash *h, int fd, bt_err *err);

/* ------------------------------------------------------------------------ */
/* Key derivation                                                            */
/* ------------------------------------------------------------------------ */

/**
 * PBKDF2 with HMAC (PKCS #5 v2): derives dklen bytes into out from a
 * password and a salt, with iterations rounds of the HMAC of hash_name.
 * There is no dklen=None: pass the digest size for Python's default.
 *
 * Python: hashlib.pbkdf2_hmac(hash_name, password, salt, iterations, dklen).
 * Returns: dklen; BT_EVALUE for an unknown hash_name, with OpenSSL's reason
 *   as Python reports it ("[digital envelope routines] unsupported"), for
 *   shake ("no reason supplied"), for iterations == 0 ("iteration value
 *   must be greater than 0.") or dklen == 0 ("key length must be greater
 *   than 0."); BT_EOVERFLOWERR for iterations or dklen above INT_MAX
 *   ("iteration value is too great.", "key length is too great.") or a
 *   password or salt longer than INT_MAX ("password is too long.", "salt is
 *   too long."); BT_ENOMEM.
 * Ownership: out (dklen bytes) is caller-owned; the rest is borrowed.
 * Thread safety: safe.
 */
BT_API int bt_hashlib_pbkdf2_hmac(const char *hash_name, const void *password,
                                  size_t passlen, const void *salt,
                                  size_t saltlen, uint64_t iterations,
                                  uint64_t dklen, void *out, bt_err *err);

/**
 * scrypt (RFC 7914): derives dklen bytes into out from a password and a
 * salt, with cost n (a power of 2 above 1), block size r and
 * parallelization p, using at most maxmem bytes of memory (0: OpenSSL's
 * default limit, 32 MiB). Python's default dklen is 64.
 *
 * Python: hashlib.scrypt(password, salt=salt, n=n, r=r, p=p, maxmem=maxmem,
 *   dklen=dklen).
 * Returns: dklen; BT_EVALUE with Python's message: "n must be a power of
 *   2.", "maxmem must be positive and smaller than 2147483647", "dklen must
 *   be greater than 0 and smaller than 2147483647", "Invalid parameter
 *   combination for n, r, p, maxmem.", "[digital envelope routines] memory
 *   limit exceeded"; BT_ENOMEM.
 * Ownership: out (dklen bytes) is caller-owned; the rest is borrowed.
 * Thread safety: safe.
 */
BT_API int bt_hashlib_scrypt(const void *password, size_t passlen,
                             const void *salt, size_t saltlen, uint64_t n,
                             uint64_t r, uint64_t p, uint64_t maxmem,
                             uint64_t dklen, void *out, bt_err *err);

/* ------------------------------------------------------------------------ */
/* hmac                                                                      */
/* ------------------------------------------------------------------------ */

/**
 * Makes an HMAC object with a key (any length; keys longer than the block
 * size are hashed first) for the hash called digestmod (any name
 * bt_hashlib_new accepts, blake2b and blake2s included), fed with msglen
 * bytes of msg (msg may be NULL when msglen is 0).
 *
 * Python: hmac.new(key, msg, digestmod).
 * Returns: 0 and *out; BT_ETYPE when digestmod is NULL or "" ("Missing
 *   required parameter 'digestmod'."); BT_EVALUE for an unknown name
 *   ("unsupported hash type <name>") or shake ("no reason supplied");
 *   BT_ENOMEM.
 * Ownership: the caller frees *out with bt_hmac_free; key, msg and
 *   digestmod are borrowed.
 * Thread safety: safe.
 */
BT_API int bt_hmac_new(const void *key, size_t keylen, const void *msg,
                       size_t msglen, const char *digestmod, bt_hmac **out,
                       bt_err *err);

/**
 * Feeds n more bytes to the HMAC; works after a digest too.
 *
 * Python: h.update(msg).
 * Returns: 0, or BT_ENOMEM / BT_EVALUE when OpenSSL fails.
 * Ownership: data is borrowed.
 * Thread safety: not safe on an object another thread uses.
 */
BT_API int bt_hmac_update(bt_hmac *h, const void *data, size_t n);

/**
 * Writes the HMAC of everything fed so far into out (room for outsize
 * bytes; BT_HASHLIB_MAX_DIGEST_SIZE always suffices), as raw bytes
 * (bt_hmac_digest_into) or as lowercase hex and a NUL (bt_hmac_hexdigest,
 * room for 2 * digest_size + 1). Non-destructive.
 *
 * Python: h.digest(), h.hexdigest().
 * Returns: the number of bytes / hex digits written; BT_EVALUE when out is
 *   too small (nothing written); BT_ENOMEM or BT_EVALUE when OpenSSL fails.
 * Ownership: out is caller-owned.
 * Thread safety: digests and copies of one object may run concurrently;
 *   not with an update or free of it.
 */
BT_API ptrdiff_t bt_hmac_digest_into(const bt_hmac *h, void *out,
                                     size_t outsize);
BT_API ptrdiff_t bt_hmac_hexdigest(const bt_hmac *h, char *out, size_t outsize);

/**
 * Makes an independent copy of an HMAC object.
 *
 * Python: h.copy().
 * Returns: 0 and *out, BT_ENOMEM, or BT_EVALUE when OpenSSL fails.
 * Ownership: the caller frees *out with bt_hmac_free; h is borrowed.
 * Thread safety: as bt_hmac_digest_into.
 */
BT_API int bt_hmac_copy(const bt_hmac *h, bt_hmac **out);

/**
 * Frees an HMAC object (and wipes its key material).
 *
 * Python: del h.
 * Returns: nothing. Accepts NULL.
 * Ownership: h is invalid afterwards.
 * Thread safety: not safe on an object another thread uses.
 */
BT_API void bt_hmac_free(bt_hmac *h);

/**
 * The HMAC's digest size (bt_hmac_digest_size) and the block size of its
 * hash (bt_hmac_block_size), in bytes.
 *
 * Python: h.digest_size, h.block_size.
 * Returns: the size, > 0.
 * Ownership: nothing to free.
 * Thread safety: safe.
 */
BT_API int bt_hmac_digest_size(const bt_hmac *h);
BT_API int bt_hmac_block_size(const bt_hmac *h);

/**
 * The HMAC's name: "hmac-" and the hash's Python name ("hmac-sha256").
 *
 * Python: h.name.
 * Returns: a NUL-terminated string, never NULL.
 * Ownership: borrowed; valid while h lives.
 * Thread safety: safe.
 */
BT_API const char *bt_hmac_name(const bt_hmac *h);

/**
 * Computes the HMAC of msg with key and the hash called digest in one call,
 * into out (room for outsize bytes). Faster than an object: nothing is
 * allocated.
 *
 * Python: hmac.digest(key, msg, digest).
 * Returns: the digest size; BT_ETYPE when digest is NULL or ""; BT_EVALUE
 *   for an unknown name ("unsupported hash type <name>"), shake ("no reason
 *   supplied") or when outsize is too small; BT_ENOMEM.
 * Ownership: out is caller-owned; the rest is borrowed.
 * Thread safety: safe.
 */
BT_API ptrdiff_t bt_hmac_digest(const void *key, size_t keylen, const void *msg,
                                size_t msglen, const char *digest, void *out,
                                size_t outsize, bt_err *err);

/**
 * Compares two byte strings in time that depends on the lengths only, never
 * on the contents: the way to check a MAC or a password hash (== and memcmp
 * leak, through their timing, how many leading bytes matched).
 *
 * Python: hmac.compare_digest(a, b) on bytes (str arguments are compared by
 *   their bytes; Python only accepts ASCII str).
 * Returns: 1 when equal (same length, same bytes), else 0.
 * Ownership: a and b are borrowed.
 * Thread safety: safe.
 */
BT_API int bt_hmac_compare_digest(const void *a, size_t alen, const void *b,
                                  size_t blen);

#ifdef __cplusplus
}
#endif

#endif /* BATTERIES_HASHLIB_H */
