/* repr.c — Python's repr() of str and bytes. */
#include <stdio.h>
#include <string.h>

#include "core_int.h"

static const char hexdigits[] = "0123456789abcdef";

char bt__repr_quote(const char *s, size_t n)
{
    bool sq = memchr(s, '\'', n) != NULL;
    bool dq = sq && memchr(s, '"', n) != NULL;
    return (sq && !dq) ? '"' : '\'';
}

/* Writes "\x", "\u" or "\U" and the hex digits of v (2, 4 or 8 of them). */
static size_t put_hex_escape(char *out, char kind, uint32_t v, int digits)
{
    out[0] = '\\';
    out[1] = kind;
    for (int d = 0; d < digits; d++)
        out[2 + d] = hexdigits[(v >> (4 * (digits - 1 - d))) & 0xF];
    return (size_t)digits + 2;
}

/* The escape of an ASCII byte inside a repr, or 0 when it stands as is. */
static size_t ascii_escape(char *out, unsigned char c, char quote)
{
    if (c == (unsigned char)quote || c == '\\') {
        out[0] = '\\';
        out[1] = (char)c;
        return 2;
    }
    const char *named = c == '\n' ? "\\n" : c == '\r' ? "\\r" : c == '\t' ? "\\t" : NULL;
    if (named) {
        memcpy(out, named, 2);
        return 2;
    }
    if (c < 0x20 || c >= 0x7f)
        return put_hex_escape(out, 'x', c, 2);
    return 0;
}

size_t bt__repr_step(char *out, const char *s, size_t n, char quote,
                     size_t *adv)
{
    unsigned char c = (unsigned char)s[0];
    if (c < 0x80) {
        *adv = 1;
        size_t k = ascii_escape(out, c, quote);
        if (k)
            return k;
        out[0] = (char)c;
        return 1;
    }
    int32_t cp = bt_utf8_decode(s, n, adv);
    if (cp < 0) {
        /* surrogateescape: each undecodable byte becomes U+DC80 + byte. */
        size_t w = 0;
        for (size_t k = 0; k < *adv; k++)
            w += put_hex_escape(out + w, 'u', 0xDC00u + (unsigned char)s[k], 4);
        return w;
    }
    if (bt_unicode_isprintable((uint32_t)cp)) {
        memcpy(out, s, *adv);
        return *adv;
    }
    if (cp <= 0xff)
        return put_hex_escape(out, 'x', (uint32_t)cp, 2);
    if (cp <= 0xffff)
        return put_hex_escape(out, 'u', (uint32_t)cp, 4);
    return put_hex_escape(out, 'U', (uint32_t)cp, 8);
}

int bt_repr_str(bt_buf *out, const char *s, size_t n)
{
    size_t start = out->len;
    char quote = bt__repr_quote(s, n);
    /* Most text needs no escape: reserve for the common case once. */
    if (bt_buf_reserve(out, n + 2) < 0)
        return BT_ENOMEM;
    out->data[out->len++] = quote;
    size_t i = 0;
    char piece[BT__REPR_STEP_MAX];
    while (i < n) {
        /* Copy runs of plain printable ASCII in one go. */
        size_t j = i;
        while (j < n) {
            unsigned char c = (unsigned char)s[j];
            if (c < 0x20 || c >= 0x7f || c == '\\' || c == (unsigned char)quote)
                break;
            j++;
        }
        if (j > i) {
            if (bt_buf_append(out, s + i, j - i) < 0)
                goto nomem;
            i = j;
            continue;
        }
        size_t adv;
        size_t k = bt__repr_step(piece, s + i, n - i, quote, &adv);
        if (bt_buf_append(out, piece, k) < 0)
            goto nomem;
        i += adv;
    }
    if (bt_buf_append_byte(out, (unsigned char)quote) < 0)
        goto nomem;
    return 0;
nomem:
    out->len = start;
    out->data[start] = '\0';
    return BT_ENOMEM;
}

int bt_repr_bytes(bt_buf *out, const void *p, size_t n)
{
    const unsigned char *s = p;
    size_t start = out->len;
    char quote = bt__repr_quote(p, n);
    if (bt_buf_reserve(out, n + 3) < 0)
        return BT_ENOMEM;
    out->data[out->len++] = 'b';
    out->data[out->len++] = quote;
    char piece[4];
    for (size_t i = 0; i < n; i++) {
        size_t k = ascii_escape(piece, s[i], quote);
        int rc = k ? bt_buf_append(out, piece, k) : bt_buf_append_byte(out, s[i]);
        if (rc < 0)
            goto nomem;
    }
    if (bt_buf_append_byte(out, (unsigned char)quote) < 0)
        goto nomem;
    return 0;
nomem:
    out->len = start;
    out->data[start] = '\0';
    return BT_ENOMEM;
}
