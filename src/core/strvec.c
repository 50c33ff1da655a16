/*
 * strvec.c — the owned string vector. Strings are copied into chunks that
 * never move, so item pointers stay valid as the vector grows, and a list of
 * many short names costs a few allocations instead of one per name.
 */
#include <stdlib.h>
#include <string.h>

#include "core_int.h"

struct chunk {
    struct chunk *next;
    size_t size;
    size_t used;
    char data[];
};

enum { CHUNK_FIRST = 1024, CHUNK_MAX = 64 * 1024 };

void bt_strvec_init(bt_strvec *v)
{
    v->items = NULL;
    v->lens = NULL;
    v->count = 0;
    v->cap = 0;
    v->chunks = NULL;
}

static void free_chunks(bt_strvec *v)
{
    struct chunk *c = v->chunks;
    while (c) {
        struct chunk *next = c->next;
        bt_free(c);
        c = next;
    }
    v->chunks = NULL;
}

void bt_strvec_fini(bt_strvec *v)
{
    if (!v)
        return;
    free_chunks(v);
    bt_free(v->items);
    bt_free(v->lens);
    bt_strvec_init(v);
}

void bt_strvec_clear(bt_strvec *v)
{
    free_chunks(v);
    v->count = 0;
    if (v->items)
        v->items[0] = NULL;
}

/* Room for one more item in both arrays (items keeps a NULL after the last). */
static int grow_arrays(bt_strvec *v)
{
    if (v->count < v->cap)
        return 0;
    size_t cap = v->cap ? v->cap * 2 : 8;
    size_t isz, lsz;
    if (bt__mul_overflow(cap + 1, sizeof(char *), &isz) ||
        bt__mul_overflow(cap, sizeof(size_t), &lsz))
        return BT_ENOMEM;
    char **items = bt_realloc(v->items, isz);
    if (!items)
        return BT_ENOMEM;
    v->items = items;
    size_t *lens = bt_realloc(v->lens, lsz);
    if (!lens)
        return BT_ENOMEM; /* items grew but cap did not: still consistent */
    v->lens = lens;
    v->cap = cap;
    return 0;
}

/* Copies n bytes plus a NUL into chunk storage. */
static char *store(bt_strvec *v, const char *s, size_t n)
{
    size_t need;
    if (bt__add_overflow(n, 1, &need))
        return NULL;
    struct chunk *head = v->chunks;
    if (!head || head->size - head->used < need) {
        size_t size = head ? BT__MIN(head->size * 2, (size_t)CHUNK_MAX) : CHUNK_FIRST;
        if (size < need)
            size = need;
        size_t total;
        if (bt__add_overflow(sizeof(struct chunk), size, &total))
            return NULL;
        struct chunk *c = bt_malloc(total);
        if (!c)
            return NULL;
        c->size = size;
        c->used = 0;
        /* A chunk made for one large string goes behind the head, so the
         * head's free space stays in use. */
        if (head && size == need && head->size - head->used > 64) {
            c->next = head->next;
            head->next = c;
        } else {
            c->next = head;
            v->chunks = c;
        }
        head = c;
    }
    char *dst = head->data + head->used;
    if (n)
        memcpy(dst, s, n);
    dst[n] = '\0';
    head->used += need;
    return dst;
}

int bt_strvec_insert(bt_strvec *v, size_t i, const char *s, size_t n)
{
    if (i > v->count)
        return BT_EINDEX;
    if (grow_arrays(v) < 0)
        return BT_ENOMEM;
    char *copy = store(v, s, n);
    if (!copy)
        return BT_ENOMEM;
    memmove(v->items + i + 1, v->items + i, (v->count - i) * sizeof(char *));
    memmove(v->lens + i + 1, v->lens + i, (v->count - i) * sizeof(size_t));
    v->items[i] = copy;
    v->lens[i] = n;
    v->count++;
    v->items[v->count] = NULL;
    return 0;
}

int bt_strvec_append(bt_strvec *v, const char *s, size_t n)
{
    return bt_strvec_insert(v, v->count, s, n);
}

int bt_strvec_append_str(bt_strvec *v, const char *s)
{
    return bt_strvec_insert(v, v->count, s, strlen(s));
}

int bt_strvec_remove(bt_strvec *v, size_t i)
{
    if (i >= v->count)
        return BT_EINDEX;
    memmove(v->items + i, v->items + i + 1, (v->count - i - 1) * sizeof(char *));
    memmove(v->lens + i, v->lens + i + 1, (v->count - i - 1) * sizeof(size_t));
    v->count--;
    v->items[v->count] = NULL;
    return 0;
}

struct entry {
    char *s;
    size_t n;
};

static int cmp_entry(const void *a, const void *b)
{
    const struct entry *x = a, *y = b;
    int c = memcmp(x->s, y->s, BT__MIN(x->n, y->n));
    if (c)
        return c;
    return (x->n > y->n) - (x->n < y->n);
}

int bt_strvec_sort(bt_strvec *v)
{
    if (v->count < 2)
        return 0;
    struct entry *e = bt_calloc(v->count, sizeof *e);
    if (!e)
        return BT_ENOMEM;
    for (size_t i = 0; i < v->count; i++)
        e[i] = (struct entry){v->items[i], v->lens[i]};
    qsort(e, v->count, sizeof *e, cmp_entry);
    for (size_t i = 0; i < v->count; i++) {
        v->items[i] = e[i].s;
        v->lens[i] = e[i].n;
    }
    bt_free(e);
    return 0;
}

ptrdiff_t bt_strvec_index(const bt_strvec *v, const char *s, size_t n)
{
    for (size_t i = 0; i < v->count; i++)
        if (v->lens[i] == n && memcmp(v->items[i], s, n) == 0)
            return (ptrdiff_t)i;
    return BT_EVALUE;
}

int bt_strvec_join(const bt_strvec *v, const char *sep, size_t seplen,
                   bt_buf *out)
{
    size_t total = 0;
    for (size_t i = 0; i < v->count; i++)
        if (bt__add_overflow(total, v->lens[i], &total) ||
            (i && bt__add_overflow(total, seplen, &total)))
            return BT_ENOMEM;
    if (bt_buf_reserve(out, total) < 0)
        return BT_ENOMEM;
    for (size_t i = 0; i < v->count; i++) {
        if (i)
            bt_buf_append(out, sep, seplen); /* cannot fail: reserved */
        bt_buf_append(out, v->items[i], v->lens[i]);
    }
    if (out->data)
        out->data[out->len] = '\0';
    return 0;
}
