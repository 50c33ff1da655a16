/* glob_int.h — fnmatch patterns compiled once, for glob's loops. */
#ifndef BATTERIES_GLOB_INT_H
#define BATTERIES_GLOB_INT_H

#include <batteries/glob.h>

typedef struct bt__fnpat {
    const void *toks; /* compiled elements (private to fnmatch.c) */
    size_t ntoks;
    bool invalid;     /* CPython's re would reject it: nothing matches */
    void *heap;
    /* Patterns of a few dozen characters compile here, without the heap. */
    _Alignas(max_align_t) unsigned char stack[4096];
} bt__fnpat;

/* Compiles pat; returns 0 or BT_ENOMEM. Free with bt__fnmatch_free. */
int bt__fnmatch_compile(const char *pat, bt__fnpat *p);
bool bt__fnmatch_match(const bt__fnpat *p, const char *name);
void bt__fnmatch_free(bt__fnpat *p);

#endif
