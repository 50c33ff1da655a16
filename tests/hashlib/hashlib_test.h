/*
 * hashlib_test.h — helpers shared by the hashlib suites: the input recipe of
 * tools/gen_vectors/hashlib.py and small checks.
 */
#ifndef HASHLIB_TEST_H
#define HASHLIB_TEST_H

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include <batteries/hashlib.h>

#include "bt_test.h"

/* byte i of pattern(n, seed), as tools/gen_vectors/hashlib.py builds it. */
static inline unsigned char ht_byte(size_t i, unsigned seed)
{
    return (unsigned char)((i * 167 + (i >> 8) * 59 + seed * 101 + 13) & 0xff);
}

/* A fresh malloc'd pattern(n, seed) (never NULL, even for n == 0). */
static inline unsigned char *ht_pattern(size_t n, unsigned seed)
{
    unsigned char *p = malloc(n ? n : 1);
    cr_assert(p);
    for (size_t i = 0; i < n; i++)
        p[i] = ht_byte(i, seed);
    return p;
}

/* Decodes a vector field "n:seed" into pattern(n, seed). */
static inline unsigned char *ht_field(const char *field, size_t *n)
{
    unsigned long long len;
    unsigned seed;
    cr_assert(sscanf(field, "%llu:%u", &len, &seed) == 2, "bad field %s",
              field);
    *n = (size_t)len;
    return ht_pattern(*n, seed);
}

/* Lowercase hex of n bytes into a fresh malloc'd string. */
static inline char *ht_hex(const void *p, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    const unsigned char *b = p;
    char *s = malloc(2 * n + 1);
    cr_assert(s);
    for (size_t i = 0; i < n; i++) {
        s[2 * i] = digits[b[i] >> 4];
        s[2 * i + 1] = digits[b[i] & 15];
    }
    s[2 * n] = '\0';
    return s;
}

/* The hexdigest of a fixed-size hash object (into a static buffer). */
static inline const char *ht_hexdigest(bt_hash *h)
{
    static char hex[BT_HASHLIB_MAX_HEXDIGEST_SIZE];
    ptrdiff_t k = bt_hashlib_hexdigest(h, hex, sizeof hex);
    cr_assert_eq(k, 2 * bt_hashlib_digest_size(h), "hexdigest gave %td", k);
    return hex;
}

#endif
