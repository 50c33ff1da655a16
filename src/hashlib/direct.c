/*
 * direct.c — md5, sha1 and the sha2 family through OpenSSL's own digest
 * routines (MD5_Init, SHA256_Update, ...), the very functions its default
 * provider wraps, without EVP's dispatch.
 *
 * Why: EVP_DigestInit_ex + Update + Final cost about 40-55 ns more than the
 * routines themselves on this machine, a third of a whole sha256 of 64 bytes
 * (72 ns direct, 128 ns through EVP with a fetched MD and a reused context),
 * and the state is then a plain struct, copied by assignment where digest()
 * must leave the object as it was. The routines are deprecated in OpenSSL 3
 * (still built by default, and in 3.5); hashlib_int.h turns this path off
 * when OpenSSL was built without them. It is taken only when the fetched
 * EVP_MD comes from the default provider: under a FIPS configuration, or
 * any other provider, the algorithm goes through EVP as before, so the
 * provider configuration keeps the last word on what is available.
 */
#define OPENSSL_SUPPRESS_DEPRECATED

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/provider.h>

#include "hashlib_int.h"

#if BT__HAVE_DIRECT

/* Per algorithm: 0 not decided yet, 1 direct, 2 through EVP. */
static atomic_int decided[BT__N_ALGOS];

bool bt__direct_usable(int id, const EVP_MD *md)
{
    if (id != BT__MD5 && id != BT__SHA1 && id != BT__SHA224 && id != BT__SHA256 &&
        id != BT__SHA384 && id != BT__SHA512)
        return false;
    int d = atomic_load_explicit(&decided[id], memory_order_relaxed);
    if (BT__UNLIKELY(d == 0)) {
        /* BT_HASHLIB_EVP_ONLY=1 takes EVP throughout: the test suite's
         * second run, which checks that path too. */
        const char *evp_only = getenv("BT_HASHLIB_EVP_ONLY");
        const OSSL_PROVIDER *p = EVP_MD_get0_provider(md);
        const char *name = p ? OSSL_PROVIDER_get0_name(p) : NULL;
        d = name && strcmp(name, "default") == 0 && !(evp_only && *evp_only == '1') ? 1 : 2;
        atomic_store_explicit(&decided[id], d, memory_order_relaxed);
    }
    return d == 1;
}

void bt__direct_init(int id, bt__direct_state *s)
{
    switch (id) {
    case BT__MD5: MD5_Init(&s->md5); break;
    case BT__SHA1: SHA1_Init(&s->sha1); break;
    case BT__SHA224: SHA224_Init(&s->sha256); break;
    case BT__SHA256: SHA256_Init(&s->sha256); break;
    case BT__SHA384: SHA384_Init(&s->sha512); break;
    default: SHA512_Init(&s->sha512); break;
    }
}

void bt__direct_update(int id, bt__direct_state *s, const void *data, size_t n)
{
    switch (id) {
    case BT__MD5: MD5_Update(&s->md5, data, n); break;
    case BT__SHA1: SHA1_Update(&s->sha1, data, n); break;
    case BT__SHA224:
    case BT__SHA256: SHA256_Update(&s->sha256, data, n); break;
    default: SHA512_Update(&s->sha512, data, n); break;
    }
}

/* The md5, sha1 and sha256 finals wipe the block they padded themselves
 * (OpenSSL's md32_common.h); SHA512_Final leaves it, the message's tail. */
void bt__direct_final(int id, bt__direct_state *s, unsigned char *out)
{
    switch (id) {
    case BT__MD5: MD5_Final(out, &s->md5); break;
    case BT__SHA1: SHA1_Final(out, &s->sha1); break;
    case BT__SHA224: SHA224_Final(out, &s->sha256); break;
    case BT__SHA256: SHA256_Final(out, &s->sha256); break;
    case BT__SHA384:
        SHA384_Final(out, &s->sha512);
        explicit_bzero(&s->sha512.u, sizeof s->sha512.u);
        break;
    default:
        SHA512_Final(out, &s->sha512);
        explicit_bzero(&s->sha512.u, sizeof s->sha512.u);
        break;
    }
}

void bt__direct_wipe(int id, bt__direct_state *s)
{
    switch (id) {
    case BT__MD5: explicit_bzero(&s->md5, sizeof s->md5); break;
    case BT__SHA1: explicit_bzero(&s->sha1, sizeof s->sha1); break;
    case BT__SHA224:
    case BT__SHA256: explicit_bzero(&s->sha256, sizeof s->sha256); break;
    default: explicit_bzero(&s->sha512, sizeof s->sha512); break;
    }
}

#endif
