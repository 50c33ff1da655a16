/* drv_common.h — helpers every oracle driver uses: memory that never fails
 * silently and the hex decoding of run.py's protocol. */
#ifndef BT_ORACLE_DRV_COMMON_H
#define BT_ORACLE_DRV_COMMON_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#define MAX_ARGS 64

/* One decoded argument of a case. */
typedef struct arg {
    char *p;
    size_t n;
} arg;

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

/*
 * The driver's loop: reads "<group>\t<hex>\t<hex>..." lines, decodes the
 * arguments in place and hands them to run, which must print exactly one
 * answer line. Stdout is line-buffered so that, if a case crashes the
 * driver, run.py knows which.
 */
static inline int drv_main(void (*run)(const char *group, arg *args, size_t nargs))
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    while ((len = getline(&line, &cap, stdin)) > 0) {
        if (line[len - 1] == '\n')
            line[--len] = '\0';
        arg args[MAX_ARGS];
        size_t nargs = 0;
        bool bad = false;
        char *group = line, *tab = strchr(line, '\t');
        while (tab) {
            *tab = '\0';
            char *field = tab + 1;
            tab = strchr(field, '\t');
            size_t flen = tab ? (size_t)(tab - field) : strlen(field);
            if (nargs == MAX_ARGS || unhex(field, flen, field, &args[nargs].n) < 0) {
                bad = true;
                break;
            }
            args[nargs++].p = field;
        }
        if (bad)
            printf("bad case\n");
        else
            run(group, args, nargs);
    }
    free(line);
    return 0;
}

#endif
