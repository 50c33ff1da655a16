/*
 * kdf.c — pbkdf2_hmac and scrypt through OpenSSL, with the checks and
 * messages of CPython's _hashlib, in the same order.
 */
#include <limits.h>
#include <stdio.h>

#include <openssl/err.h>

#include "hashlib_int.h"

int bt_hashlib_pbkdf2_hmac(const char *hash_name, const void *password,
                           size_t passlen, const void *salt, size_t saltlen,
                           uint64_t iterations, uint64_t dklen, void *out,
                           bt_err *err)
{
    /* _hashlib looks the digest up first; an unknown name reports
     * OpenSSL's reason ("[digital envelope routines] unsupported"). */
    EVP_MD *md = bt__md_fetch_for_kdf(hash_name);
    if (!md) {
        char alt[BT_ERR_MSG_SIZE];
        snprintf(alt, sizeof alt, "unsupported hash type %s", hash_name);
        return bt__ossl_error(err, BT_EVALUE, alt);
    }
    int rc = 0;
    if (passlen > INT_MAX)
        rc = bt_err_setf(err, BT_EOVERFLOWERR, -1, "password is too long.");
    else if (saltlen > INT_MAX)
        rc = bt_err_setf(err, BT_EOVERFLOWERR, -1, "salt is too long.");
    else if (iterations < 1)
        rc = bt_err_setf(err, BT_EVALUE, -1,
                         "iteration value must be greater than 0.");
    else if (iterations > INT_MAX)
        rc = bt_err_setf(err, BT_EOVERFLOWERR, -1,
                         "iteration value is too great.");
    else if (dklen < 1)
        rc = bt_err_setf(err, BT_EVALUE, -1,
                         "key length must be greater than 0.");
    else if (dklen > INT_MAX)
        rc = bt_err_setf(err, BT_EOVERFLOWERR, -1, "key length is too great.");
    else if (!PKCS5_PBKDF2_HMAC(password, (int)passlen, salt, (int)saltlen,
                                (int)iterations, md, (int)dklen, out))
        rc = bt__ossl_error(err, BT_EVALUE, NULL);
    EVP_MD_free(md);
    return rc < 0 ? rc : (int)dklen;
}

int bt_hashlib_scrypt(const void *password, size_t passlen, const void *salt,
                      size_t saltlen, uint64_t n, uint64_t r, uint64_t p,
                      uint64_t maxmem, uint64_t dklen, void *out, bt_err *err)
{
    if (passlen > INT_MAX)
        return bt_err_setf(err, BT_EOVERFLOWERR, -1, "password is too long.");
    if (saltlen > INT_MAX)
        return bt_err_setf(err, BT_EOVERFLOWERR, -1, "salt is too long.");
    if (n < 2 || (n & (n - 1)))
        return bt_err_setf(err, BT_EVALUE, -1, "n must be a power of 2.");
    if (maxmem > INT_MAX)
        return bt_err_setf(err, BT_EVALUE, -1,
                           "maxmem must be positive and smaller than %d",
                           INT_MAX);
    if (dklen < 1 || dklen > INT_MAX)
        return bt_err_setf(err, BT_EVALUE, -1,
                           "dklen must be greater than 0 and smaller than %d",
                           INT_MAX);
    /* Let OpenSSL validate the rest, as _hashlib does: a dry run first. */
    if (!EVP_PBE_scrypt(NULL, 0, NULL, 0, n, r, p, maxmem, NULL, 0))
        return bt__ossl_error(err, BT_EVALUE,
                              "Invalid parameter combination for n, r, p, "
                              "maxmem.");
    if (!EVP_PBE_scrypt(password, passlen, salt, saltlen, n, r, p, maxmem, out,
                        (size_t)dklen))
        return bt__ossl_error(err, BT_EVALUE, NULL);
    return (int)dklen;
}
