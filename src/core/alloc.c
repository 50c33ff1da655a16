/* alloc.c — the allocator hook every allocation of the library goes through. */
#include <stdlib.h>
#include <string.h>

#include "core_int.h"

static void *libc_malloc(size_t size, void *ctx)
{
    (void)ctx;
    return malloc(size);
}

static void *libc_realloc(void *p, size_t size, void *ctx)
{
    (void)ctx;
    return realloc(p, size);
}

static void libc_free(void *p, void *ctx)
{
    (void)ctx;
    free(p);
}

static const bt_allocator libc_allocator = {libc_malloc, libc_realloc,
                                            libc_free, NULL};
static bt_allocator current = {libc_malloc, libc_realloc, libc_free, NULL};

void bt_set_allocator(const bt_allocator *a)
{
    current = a ? *a : libc_allocator;
}

void bt_get_allocator(bt_allocator *out)
{
    *out = current;
}

void *bt_malloc(size_t size)
{
    /* Size 0 still gets a unique pointer, so NULL always means failure. */
    return current.malloc(size ? size : 1, current.ctx);
}

void *bt_calloc(size_t n, size_t size)
{
    size_t total;
    if (bt__mul_overflow(n, size, &total))
        return NULL;
    void *p = bt_malloc(total);
    if (p)
        memset(p, 0, total);
    return p;
}

void *bt_realloc(void *p, size_t size)
{
    if (size == 0) {
        bt_free(p);
        return NULL;
    }
    return current.realloc(p, size, current.ctx);
}

void bt_free(void *p)
{
    if (p)
        current.free(p, current.ctx);
}

void *bt_memdup(const void *p, size_t n)
{
    void *q = bt_malloc(n);
    if (q && n)
        memcpy(q, p, n);
    return q;
}

char *bt_strndup(const char *s, size_t n)
{
    size_t len = strnlen(s, n);
    char *q = bt_malloc(len + 1);
    if (q) {
        memcpy(q, s, len);
        q[len] = '\0';
    }
    return q;
}

char *bt_strdup(const char *s)
{
    return bt_strndup(s, strlen(s));
}
