/*
 * path_int.h — helpers shared by the path module's sources.
 */
#ifndef BATTERIES_PATH_INT_H
#define BATTERIES_PATH_INT_H

#include <stdint.h>
#include <string.h>

#include <batteries/path.h>

#include "core_int.h"

/*
 * Normalizes the n bytes at s as posixpath.normpath does and writes the
 * result to d, which must have room for max(n, 1) bytes. d may be s itself
 * (the result is never longer than the input, except "" -> "."), or any
 * buffer not overlapping s. Returns the result's length (>= 1). No NUL is
 * written.
 */
size_t bt__path_norm(const char *s, size_t n, char *d);

/* Bytes past max(n, 1) that bt__path_norm_fast may scribble on in d. */
#define BT__PATH_NORM_SLACK 16

/*
 * The same result as bt__path_norm, faster (a vector scan of the whole path
 * first), for a d that does not overlap s and has room for max(n, 1) +
 * BT__PATH_NORM_SLACK bytes (the bytes past the result are garbage).
 */
size_t bt__path_norm_fast(const char *s, size_t n, char *d);

/*
 * The current directory, as os.getcwd(): into stack (cap bytes) when it
 * fits, else into fresh memory in *heap (the caller frees it). *dir points
 * at the result and *len gets its length. Returns 0, BT_ENOMEM or -errno
 * (err gets "[Errno N] ..." without a file name).
 */
int bt__path_getcwd(char *stack, size_t cap, char **heap, const char **dir,
                    size_t *len, bt_err *err);

/* Whether p points into b's storage. */
static inline bool bt__path_inside(const bt_buf *b, const char *p)
{
    uintptr_t x = (uintptr_t)p, lo = (uintptr_t)b->data;
    return b->data && x >= lo && x < lo + b->cap;
}

/*
 * Makes room for extra more bytes in b. *p, when it pointed into b, is
 * moved along with the storage. Returns 0 or BT_ENOMEM (b unchanged).
 */
static inline int bt__path_reserve(bt_buf *b, size_t extra, const char **p)
{
    if (BT__LIKELY(b->data && b->cap - b->len > extra))
        return 0;
    bool in = p && bt__path_inside(b, *p);
    size_t off = in ? (size_t)(*p - b->data) : 0;
    if (bt_buf_reserve(b, extra) < 0)
        return BT_ENOMEM;
    if (in)
        *p = b->data + off;
    return 0;
}

/* Ends b's contents at len (which must be <= the current length + the
 * reserved room) with the NUL every bt_buf keeps. */
static inline void bt__path_setlen(bt_buf *b, size_t len)
{
    b->len = len;
    b->data[len] = '\0';
}

#endif /* BATTERIES_PATH_INT_H */
