/*
 * fuzz_repr.c — bt_repr_bytes and bt_repr_str on any input: the output is
 * quoted as Python quotes, uses only the escapes Python would print, is
 * printable ASCII (bytes) or valid UTF-8 (str), and reads back, as eval()
 * would, to exactly the input (str: invalid bytes come back from their
 * 'surrogateescape' \udcNN).
 */
#include <batteries/core.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

static int hexval(char c)
{
    /* repr() writes lowercase hex digits only. */
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* The escape \x, \u or \U stands for v; Python uses the shortest kind and
 * only for what it does not print as is. */
static void check_escape(bool str, char kind, uint32_t v)
{
    if (!str) {
        CHECK(kind == 'x' && (v < 0x20 || v >= 0x7f));
        CHECK(v != '\n' && v != '\r' && v != '\t');
        return;
    }
    CHECK(!bt_unicode_isprintable(v) && v != '\n' && v != '\r' && v != '\t');
    if (kind == 'x')
        CHECK(v <= 0xff);
    else if (kind == 'u')
        CHECK(v > 0xff && v <= 0xffff);
    else
        CHECK(v > 0xffff && v <= 0x10ffff);
}

/* Reads a repr back into out; every malformed detail is a broken invariant. */
static void unrepr(const char *r, size_t n, bool str, bt_buf *out)
{
    size_t i = 0;
    if (!str) {
        CHECK(n >= 1 && r[0] == 'b');
        i = 1;
    }
    CHECK(n >= i + 2);
    char q = r[i];
    CHECK((q == '\'' || q == '"') && r[n - 1] == q);
    size_t end = n - 1;
    for (i++; i < end;) {
        unsigned char c = (unsigned char)r[i];
        CHECK(c != (unsigned char)q);
        if (c != '\\') {
            CHECK(c >= 0x20 && c != 0x7f);
            size_t adv = 1;
            if (c >= 0x80) {
                CHECK(str);
                int32_t cp = bt_utf8_decode(r + i, end - i, &adv);
                CHECK(cp >= 0 && bt_unicode_isprintable((uint32_t)cp));
            }
            CHECK(bt_buf_append(out, r + i, adv) == 0);
            i += adv;
            continue;
        }
        CHECK(i + 1 < end);
        char e = r[i + 1];
        i += 2;
        int digits;
        switch (e) {
        case '\\':
        case '\'':
        case '"':
            /* Python escapes only the quote it chose. */
            CHECK(e == '\\' || e == q);
            CHECK(bt_buf_append_byte(out, (unsigned char)e) == 0);
            continue;
        case 'n':
        case 'r':
        case 't':
            CHECK(bt_buf_append_byte(out, e == 'n' ? '\n' : e == 'r' ? '\r'
                                                                      : '\t') == 0);
            continue;
        case 'x':
            digits = 2;
            break;
        case 'u':
            digits = 4;
            break;
        case 'U':
            digits = 8;
            break;
        default:
            CHECK(!"unknown escape");
            continue;
        }
        CHECK(str || e == 'x');
        CHECK(end - i >= (size_t)digits);
        uint32_t v = 0;
        for (int d = 0; d < digits; d++) {
            int h = hexval(r[i++]);
            CHECK(h >= 0);
            v = v << 4 | (uint32_t)h;
        }
        check_escape(str, e, v);
        if (!str || v < 0x80) {
            CHECK(bt_buf_append_byte(out, (unsigned char)v) == 0);
        } else if (v >= 0xDC80 && v <= 0xDCFF) {
            CHECK(bt_buf_append_byte(out, (unsigned char)(v - 0xDC00)) == 0);
        } else {
            char enc[4];
            size_t k = bt_utf8_encode(v, enc);
            CHECK(k > 0);
            CHECK(bt_buf_append(out, enc, k) == 0);
        }
    }
}

static char python_quote(const uint8_t *data, size_t size)
{
    bool sq = memchr(data, '\'', size) != NULL;
    bool dq = memchr(data, '"', size) != NULL;
    return sq && !dq ? '"' : '\'';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char q = python_quote(data, size);
    for (int str = 0; str < 2; str++) {
        bt_buf r = BT_BUF_INIT, back = BT_BUF_INIT;
        int rc = str ? bt_repr_str(&r, (const char *)data, size)
                     : bt_repr_bytes(&r, data, size);
        CHECK(rc == 0 && r.data != NULL && r.data[r.len] == '\0');
        CHECK(r.data[str ? 0 : 1] == q);
        if (str)
            CHECK(bt_utf8_validate(r.data, r.len, NULL) == 0);
        unrepr(r.data, r.len, str, &back);
        CHECK(back.len == size);
        CHECK(size == 0 || memcmp(back.data, data, size) == 0);
        bt_buf_fini(&r);
        bt_buf_fini(&back);
    }
    return 0;
}
