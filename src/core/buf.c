/* buf.c — the growable byte buffer. */
#include <stdio.h>
#include <string.h>

#include "core_int.h"

void bt_buf_init(bt_buf *b)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
}

void bt_buf_fini(bt_buf *b)
{
    if (!b)
        return;
    bt_free(b->data);
    bt_buf_init(b);
}

int bt_buf_reserve(bt_buf *b, size_t extra)
{
    size_t need;
    if (bt__add_overflow(b->len, extra, &need) || bt__add_overflow(need, 1, &need))
        return BT_ENOMEM;
    if (need <= b->cap)
        return 0;
    /* Grow by half again, like CPython's bytearray, so appends stay O(1). */
    size_t cap = b->cap + b->cap / 2;
    if (cap < need)
        cap = need;
    if (cap < 64)
        cap = 64;
    char *d = bt_realloc(b->data, cap);
    if (!d)
        return BT_ENOMEM;
    d[b->len] = '\0'; /* a fresh buffer is a valid empty string at once */
    b->data = d;
    b->cap = cap;
    return 0;
}

int bt_buf_append(bt_buf *b, const void *p, size_t n)
{
    if (n == 0 && b->data)
        return 0;
    if (b->len + n + 1 > b->cap) {
        /* p may point into the buffer: keep its offset across the realloc. */
        bool inside = b->data && (const char *)p >= b->data &&
                      (const char *)p < b->data + b->cap;
        size_t off = inside ? (size_t)((const char *)p - b->data) : 0;
        if (bt_buf_reserve(b, n) < 0)
            return BT_ENOMEM;
        if (inside)
            p = b->data + off;
    }
    if (n)
        memmove(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

int bt_buf_append_str(bt_buf *b, const char *s)
{
    return bt_buf_append(b, s, strlen(s));
}

int bt_buf_append_byte(bt_buf *b, unsigned char c)
{
    if (b->len + 2 > b->cap && bt_buf_reserve(b, 1) < 0)
        return BT_ENOMEM;
    b->data[b->len++] = (char)c;
    b->data[b->len] = '\0';
    return 0;
}

int bt_buf_vprintf(bt_buf *b, const char *fmt, va_list ap)
{
    va_list again;
    va_copy(again, ap);
    size_t room = b->cap > b->len ? b->cap - b->len : 0;
    int k = vsnprintf(room ? b->data + b->len : NULL, room, fmt, ap);
    if (k < 0) {
        va_end(again);
        if (b->data)
            b->data[b->len] = '\0';
        return BT_EVALUE;
    }
    if ((size_t)k >= room) {
        if (bt_buf_reserve(b, (size_t)k) < 0) {
            va_end(again);
            if (b->data)
                b->data[b->len] = '\0';
            return BT_ENOMEM;
        }
        vsnprintf(b->data + b->len, (size_t)k + 1, fmt, again);
    }
    va_end(again);
    b->len += (size_t)k;
    return 0;
}

int bt_buf_printf(bt_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = bt_buf_vprintf(b, fmt, ap);
    va_end(ap);
    return rc;
}

void bt_buf_clear(bt_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

char *bt_buf_take(bt_buf *b, size_t *len)
{
    char *d = b->data;
    if (!d) {
        d = bt_malloc(1);
        if (!d)
            return NULL;
        d[0] = '\0';
    }
    if (len)
        *len = b->len;
    bt_buf_init(b);
    return d;
}
