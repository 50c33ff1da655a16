/*
 * drv_struct.c — the C side of the struct oracle (tests/oracle/struct.py).
 *
 * Reads one case per line, "<group>\t<hex arg>\t<hex arg>...", and writes one
 * answer line of tab-separated fields in the order struct.py's FIELDS lists.
 * Where the library has two ways to do a thing (a compiled bt_struct and the
 * one-shot *_fmt form) both run and must agree; the answer says so when they
 * don't. Every buffer handed to the library is allocated at its exact size so
 * that ASan sees a read or write past it.
 */
#include <batteries/core.h>
#include <batteries/struct.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drv_common.h"


/* A NUL-terminated copy of an argument (formats, numbers, item lists). */
static char *cstr(const arg *a)
{
    char *s = xmalloc(a->n + 1);
    memcpy(s, a->p, a->n);
    s[a->n] = '\0';
    return s;
}

/* An exact-size copy of an argument's bytes. */
static unsigned char *exact(const arg *a)
{
    unsigned char *p = xmalloc(a->n);
    if (a->n)
        memcpy(p, a->p, a->n);
    return p;
}

/* ------------------------------------------------------------------ items */

typedef struct item_list {
    bt_struct_item *v;
    char **bufs;
    size_t n;
} item_list;

static void free_items(item_list *it)
{
    for (size_t k = 0; k < it->n; k++)
        free(it->bufs[k]);
    free(it->bufs);
    free(it->v);
}

/* Parses "i:-5 u:7 d:<16 hex> b:1 y:<hex>"; bytes get exact-size buffers. */
static int parse_items(const arg *a, item_list *out)
{
    char *text = cstr(a);
    size_t cap = 1;
    for (size_t k = 0; k < a->n; k++)
        cap += text[k] == ' ';
    out->v = xmalloc(cap * sizeof *out->v);
    out->bufs = xmalloc(cap * sizeof *out->bufs);
    out->n = 0;
    int rc = 0;
    char *save = NULL;
    for (char *tok = strtok_r(text, " ", &save); tok;
         tok = strtok_r(NULL, " ", &save)) {
        size_t k = out->n;
        const char *val = tok + 2;
        char *end = NULL;
        if (k == cap || strlen(tok) < 2 || tok[1] != ':') {
            rc = -1;
            break;
        }
        out->bufs[k] = NULL;
        out->n++;
        errno = 0;
        switch (tok[0]) {
        case 'i':
            out->v[k] = bt_struct_int(strtoll(val, &end, 10));
            break;
        case 'u':
            out->v[k] = bt_struct_uint(strtoull(val, &end, 10));
            break;
        case 'b':
            out->v[k] = bt_struct_bool(val[0] == '1');
            end = tok + 3;
            break;
        case 'd': {
            uint64_t bits = strtoull(val, &end, 16);
            double d;
            memcpy(&d, &bits, sizeof d);
            out->v[k] = bt_struct_double(d);
            break;
        }
        case 'y': {
            size_t len = strlen(val), n;
            out->bufs[k] = xmalloc(len / 2);
            if (unhex(val, len, out->bufs[k], &n) < 0) {
                rc = -1;
                break;
            }
            out->v[k] = bt_struct_bytes(out->bufs[k], n);
            end = tok + strlen(tok);
            break;
        }
        default:
            rc = -1;
            break;
        }
        if (rc < 0 || errno || !end || *end != '\0') {
            rc = -1;
            break;
        }
    }
    free(text);
    return rc;
}

/* ---------------------------------------------------------------- answers */

static void add_hex(bt_buf *b, const void *p, size_t n)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++)
        (void)bt_buf_printf(b, "%02x", s[i]);
}

static void add_items(bt_buf *b, const bt_struct_item *it, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        if (k)
            (void)bt_buf_append_byte(b, ' ');
        switch (it[k].kind) {
        case BT_STRUCT_INT:
            (void)bt_buf_printf(b, "i:%lld", (long long)it[k].v.i);
            break;
        case BT_STRUCT_UINT:
            (void)bt_buf_printf(b, "u:%llu", (unsigned long long)it[k].v.u);
            break;
        case BT_STRUCT_BOOL:
            (void)bt_buf_printf(b, "b:%d", it[k].v.b ? 1 : 0);
            break;
        case BT_STRUCT_DOUBLE: {
            uint64_t bits;
            memcpy(&bits, &it[k].v.d, sizeof bits);
            (void)bt_buf_printf(b, "d:%016llx", (unsigned long long)bits);
            break;
        }
        case BT_STRUCT_BYTES:
            (void)bt_buf_append_str(b, "y:");
            add_hex(b, it[k].v.bytes.data, it[k].v.bytes.len);
            break;
        default:
            (void)bt_buf_printf(b, "?kind=%d", (int)it[k].kind);
            break;
        }
    }
}

/* The three fields of a failure: the exception's name, nothing, the message. */
static void add_err(bt_buf *b, ptrdiff_t rc, const bt_err *err)
{
    if (err->code != rc)
        (void)bt_buf_printf(b, "rc=%td but err.code=%d\t\t%s", rc, err->code,
                            err->msg);
    else if (rc == BT_ESTRUCT)
        (void)bt_buf_printf(b, "struct.error\t\t%s", err->msg);
    else if (rc == BT_EOVERFLOWERR)
        (void)bt_buf_printf(b, "OverflowError\t\t%s", err->msg);
    else
        (void)bt_buf_printf(b, "rc=%td\t\t%s", rc, err->msg);
}

/* "ok", then the record's bytes (items NULL) or its items, when rc is `want`
 * (the size or the count); otherwise the error. */
static void add_result(bt_buf *b, ptrdiff_t rc, const bt_err *err, size_t want,
                       const void *bytes, const bt_struct_item *items)
{
    if (rc < 0)
        add_err(b, rc, err);
    else if ((size_t)rc != want)
        (void)bt_buf_printf(b, "returned %td, expected %zu\t\t", rc, want);
    else {
        (void)bt_buf_append_str(b, "ok\t");
        if (items)
            add_items(b, items, want);
        else
            add_hex(b, bytes, want);
        (void)bt_buf_append_byte(b, '\t');
    }
}

/* pack_into answers 0 and the whole buffer. */
static void add_packed_into(bt_buf *b, int rc, const bt_err *err,
                            const void *buf, size_t len)
{
    if (rc > 0)
        (void)bt_buf_printf(b, "pack_into returned %d\t\t", rc);
    else
        add_result(b, rc < 0 ? rc : (ptrdiff_t)len, err, len, buf, NULL);
}

/* An answer's fields inside one field: tabs shown as '|'. */
static void put_flat(const char *s)
{
    for (; *s; s++)
        putchar(*s == '\t' ? '|' : *s);
}

/* Prints the answer when both ways agree; otherwise both, in the first field
 * (the other fields left empty, so the line has the right shape). */
static void emit_agreed(bt_buf *compiled, bt_buf *oneshot, const char *what)
{
    const char *a = compiled->data ? compiled->data : "";
    const char *b = oneshot->data ? oneshot->data : "";
    if (strcmp(a, b) == 0)
        fputs(a, stdout);
    else {
        printf("%s: compiled [", what);
        put_flat(a);
        printf("] vs one-shot [");
        put_flat(b);
        printf("]\t\t");
    }
    bt_buf_fini(compiled);
    bt_buf_fini(oneshot);
}

/* ------------------------------------------------------------------ cases */

static void case_calcsize(const char *fmt)
{
    bt_err err = BT_ERR_INIT, err2 = BT_ERR_INIT;
    ptrdiff_t size = bt_struct_calcsize(fmt, &err);
    bt_struct *s = NULL;
    int rc = bt_struct_new(fmt, &s, &err2);
    bt_buf a = BT_BUF_INIT, b = BT_BUF_INIT;
    if (size >= 0)
        (void)bt_buf_printf(&a, "ok\t%td\t", size);
    else
        add_err(&a, size, &err);
    if (rc == 0)
        (void)bt_buf_printf(&b, "ok\t%zu\t", bt_struct_size(s));
    else
        add_err(&b, rc, &err2);
    if (rc == 0 && strcmp(bt_struct_format(s), fmt) != 0)
        (void)bt_buf_append_str(&b, "format() differs");
    bt_struct_free(s);
    emit_agreed(&b, &a, "calcsize");
    putchar('\n');
}

static void case_pack(const char *fmt, const item_list *it)
{
    ptrdiff_t size = bt_struct_calcsize(fmt, NULL);
    size_t outlen = size > 0 ? (size_t)size : 0;
    unsigned char *out1 = xmalloc(outlen), *out2 = xmalloc(outlen);
    bt_buf a = BT_BUF_INIT, b = BT_BUF_INIT;

    bt_err err = BT_ERR_INIT;
    bt_struct *s = NULL;
    int rc = bt_struct_new(fmt, &s, &err);
    if (rc < 0)
        add_err(&a, rc, &err);
    else if (bt_struct_size(s) != outlen)
        (void)bt_buf_printf(&a, "size %zu, calcsize %td\t\t", bt_struct_size(s),
                            size);
    else {
        ptrdiff_t n = bt_struct_pack(s, it->v, it->n, out1, outlen, &err);
        add_result(&a, n, &err, outlen, out1, NULL);
    }
    bt_struct_free(s);

    bt_err err2 = BT_ERR_INIT;
    ptrdiff_t n2 = bt_struct_pack_fmt(fmt, it->v, it->n, out2, outlen, &err2);
    add_result(&b, n2, &err2, outlen, out2, NULL);
    emit_agreed(&a, &b, "pack");
    putchar('\n');
    free(out1);
    free(out2);
}

static void case_unpack(const char *fmt, const arg *data)
{
    unsigned char *buf = exact(data);
    bt_buf a = BT_BUF_INIT, b = BT_BUF_INIT;
    bt_err err = BT_ERR_INIT;
    bt_struct *s = NULL;
    size_t count = 0;
    int rc = bt_struct_new(fmt, &s, &err);
    if (rc < 0)
        add_err(&a, rc, &err);
    else {
        count = bt_struct_count(s);
        bt_struct_item *got = xmalloc(count * sizeof *got);
        ptrdiff_t n = bt_struct_unpack(s, buf, data->n, got, count, &err);
        add_result(&a, n, &err, count, NULL, got);
        free(got);
    }
    bt_struct_free(s);

    bt_struct_item *got2 = xmalloc(count * sizeof *got2);
    bt_err err2 = BT_ERR_INIT;
    ptrdiff_t n2 = bt_struct_unpack_fmt(fmt, buf, data->n, got2, count, &err2);
    add_result(&b, n2, &err2, count, NULL, got2);
    free(got2);
    emit_agreed(&a, &b, "unpack");
    putchar('\n');
    free(buf);
}

static void case_roundtrip(const char *fmt, const item_list *it)
{
    bt_buf a = BT_BUF_INIT;
    bt_err err = BT_ERR_INIT;
    bt_struct *s = NULL;
    int rc = bt_struct_new(fmt, &s, &err);
    if (rc < 0) {
        add_err(&a, rc, &err);
    } else {
        size_t size = bt_struct_size(s), count = bt_struct_count(s);
        unsigned char *out = xmalloc(size);
        ptrdiff_t n = bt_struct_pack(s, it->v, it->n, out, size, &err);
        if (n < 0)
            add_err(&a, n, &err);
        else {
            /* The copy is exactly the record: ASan sees any read past it. */
            arg packed = {(char *)out, (size_t)n};
            unsigned char *rec = exact(&packed);
            bt_struct_item *got = xmalloc(count * sizeof *got);
            ptrdiff_t m =
                bt_struct_unpack_fmt(fmt, rec, (size_t)n, got, count, &err);
            add_result(&a, m, &err, count, NULL, got);
            free(got);
            free(rec);
        }
        free(out);
    }
    bt_struct_free(s);
    fputs(a.data ? a.data : "", stdout);
    putchar('\n');
    bt_buf_fini(&a);
}

static void case_offsets(const char *fmt, const item_list *it, const arg *data,
                         const char *offset_text)
{
    char *end;
    errno = 0;
    long long off = strtoll(offset_text, &end, 10);
    if (errno || *end != '\0' || off < PTRDIFF_MIN || off > PTRDIFF_MAX) {
        printf("bad offset %s\t\t\t\t\t\n", offset_text);
        return;
    }
    ptrdiff_t offset = (ptrdiff_t)off;
    unsigned char *buf = exact(data);
    bt_struct *s = NULL;
    bt_err err = BT_ERR_INIT;
    int rc = bt_struct_new(fmt, &s, &err);
    size_t count = rc == 0 ? bt_struct_count(s) : 0;

    /* unpack_from, both ways. */
    bt_buf a = BT_BUF_INIT, b = BT_BUF_INIT;
    bt_struct_item *got = xmalloc(count * sizeof *got);
    if (rc < 0)
        add_err(&a, rc, &err);
    else {
        bt_err e = BT_ERR_INIT;
        ptrdiff_t n =
            bt_struct_unpack_from(s, buf, data->n, offset, got, count, &e);
        add_result(&a, n, &e, count, NULL, got);
    }
    bt_err e2 = BT_ERR_INIT;
    ptrdiff_t n2 =
        bt_struct_unpack_from_fmt(fmt, buf, data->n, offset, got, count, &e2);
    add_result(&b, n2, &e2, count, NULL, got);
    free(got);
    emit_agreed(&a, &b, "unpack_from");
    putchar('\t');

    /* pack_into, both ways, each into its own copy of the data. */
    unsigned char *buf2 = exact(data);
    if (rc < 0)
        add_err(&a, rc, &err);
    else {
        bt_err e = BT_ERR_INIT;
        int r = bt_struct_pack_into(s, buf, data->n, offset, it->v, it->n, &e);
        add_packed_into(&a, r, &e, buf, data->n);
    }
    bt_err e3 = BT_ERR_INIT;
    int r2 =
        bt_struct_pack_into_fmt(fmt, buf2, data->n, offset, it->v, it->n, &e3);
    add_packed_into(&b, r2, &e3, buf2, data->n);
    emit_agreed(&a, &b, "pack_into");
    putchar('\n');
    bt_struct_free(s);
    free(buf);
    free(buf2);
}

static void case_iter(const char *fmt, const arg *data)
{
    unsigned char *buf = exact(data);
    bt_buf a = BT_BUF_INIT;
    bt_err err = BT_ERR_INIT;
    bt_struct *s = NULL;
    bt_struct_iter iter;
    int rc = bt_struct_new(fmt, &s, &err);
    if (rc == 0)
        rc = bt_struct_iter_unpack(s, buf, data->n, &iter, &err);
    if (rc < 0)
        add_err(&a, rc, &err);
    else {
        size_t count = bt_struct_count(s), records = 0;
        bt_struct_item *got = xmalloc(count * sizeof *got);
        (void)bt_buf_append_str(&a, "ok\t");
        int k;
        while ((k = bt_struct_iter_next(&iter, got, count)) == 1) {
            if (records++)
                (void)bt_buf_append_byte(&a, ';');
            add_items(&a, got, count);
        }
        (void)bt_buf_append_byte(&a, '\t');
        if (k != 0)
            (void)bt_buf_printf(&a, "iter_next gave %d", k);
        else if (records != data->n / bt_struct_size(s))
            (void)bt_buf_printf(&a, "%zu records for %zu bytes", records,
                                data->n);
        free(got);
    }
    bt_struct_free(s);
    fputs(a.data ? a.data : "", stdout);
    putchar('\n');
    bt_buf_fini(&a);
    free(buf);
}

/* ------------------------------------------------------------------- main */

static void run_case(const char *group, arg *args, size_t nargs)
{
    if (nargs < 1 || memchr(args[0].p, '\0', args[0].n)) {
        printf("bad case\n");
        return;
    }
    char *fmt = cstr(&args[0]);
    item_list it = {NULL, NULL, 0};
    bool with_items = strcmp(group, "pack") == 0 ||
                      strcmp(group, "roundtrip") == 0 ||
                      strcmp(group, "offsets") == 0;
    if (with_items && (nargs < 2 || parse_items(&args[1], &it) < 0))
        printf("bad items\n");
    else if (strcmp(group, "calcsize") == 0 && nargs == 1)
        case_calcsize(fmt);
    else if (strcmp(group, "pack") == 0 && nargs == 2)
        case_pack(fmt, &it);
    else if (strcmp(group, "unpack") == 0 && nargs == 2)
        case_unpack(fmt, &args[1]);
    else if (strcmp(group, "roundtrip") == 0 && nargs == 2)
        case_roundtrip(fmt, &it);
    else if (strcmp(group, "offsets") == 0 && nargs == 4) {
        char *offset = cstr(&args[3]);
        case_offsets(fmt, &it, &args[2], offset);
        free(offset);
    } else if (strcmp(group, "iter") == 0 && nargs == 2)
        case_iter(fmt, &args[1]);
    else
        printf("unknown case %s with %zu args\n", group, nargs);
    if (with_items && it.v)
        free_items(&it);
    free(fmt);
}

int main(void)
{
    return drv_main(run_case);
}
