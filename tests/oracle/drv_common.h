/* drv_common.h — helpers every oracle driver uses: memory that never fails
 * silently and the hex decoding of run.py's protocol. */
#ifndef BT_ORACLE_DRV_COMMON_H
#define BT_ORACLE_DRV_COMMON_H

#include <stdio.h>
#include <stdlib.h>

static inline void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) {
        fputs("oracle driver: out of memory\n", stderr);
        exit(2);
    }
    return p;
}

static inline int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decodes hex into out (which may be s itself: bytes are never longer). */
static inline int unhex(const char *s, size_t len, char *out, size_t *n)
{
    if (len % 2)
        return -1;
    for (size_t i = 0; i < len / 2; i++) {
        int hi = hexval((unsigned char)s[2 * i]);
        int lo = hexval((unsigned char)s[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return -1;
        out[i] = (char)(hi << 4 | lo);
    }
    *n = len / 2;
    return 0;
}

#endif
