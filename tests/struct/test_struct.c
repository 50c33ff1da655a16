/* struct against CPython's answers (tests/struct/vectors, made by
 * tools/gen_vectors/struct.py). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <batteries/struct.h>

#include "bt_test.h"

enum { MAX_ITEMS = 64 };

/* Items parsed from "i:-5 u:7 d:<bits> b:1 y:<hex>"; bytes live in bufs. */
typedef struct items {
    bt_struct_item v[MAX_ITEMS];
    char *bufs[MAX_ITEMS];
    size_t n;
} items;

static void parse_items(const char *text, items *out)
{
    memset(out, 0, sizeof *out);
    if (strcmp(text, "-") == 0)
        return;
    char *copy = strdup(text);
    for (char *tok = strtok(copy, " "); tok; tok = strtok(NULL, " ")) {
        cr_assert_lt(out->n, MAX_ITEMS);
        size_t k = out->n++;
        const char *val = tok + 2;
        switch (tok[0]) {
        case 'i': out->v[k] = bt_struct_int(strtoll(val, NULL, 10)); break;
        case 'u': out->v[k] = bt_struct_uint(strtoull(val, NULL, 10)); break;
        case 'b': out->v[k] = bt_struct_bool(val[0] == '1'); break;
        case 'd': {
            uint64_t bits = strtoull(val, NULL, 16);
            double d;
            memcpy(&d, &bits, 8);
            out->v[k] = bt_struct_double(d);
            break;
        }
        case 'y': {
            size_t len;
            out->bufs[k] = bt_test_unhex(val, &len);
            out->v[k] = bt_struct_bytes(out->bufs[k], len);
            break;
        }
        default: cr_assert_fail("bad item %s", tok);
        }
    }
    free(copy);
}

static void free_items(items *it)
{
    for (size_t k = 0; k < MAX_ITEMS; k++)
        free(it->bufs[k]);
}

static int code_for(const char *exc)
{
    /* Deviation: Python cannot encode a non-ASCII format to bytes; in C the
     * byte is simply not a format character. */
    if (strcmp(exc, "UnicodeEncodeError") == 0)
        return BT_ESTRUCT;
    if (strcmp(exc, "struct.error") == 0)
        return BT_ESTRUCT;
    if (strcmp(exc, "OverflowError") == 0)
        return BT_EOVERFLOWERR;
    cr_assert_fail("unexpected exception %s", exc);
    return 0;
}

/* Compares unpacked items with the expected notation, bit for bit. */
static void expect_items(const bt_struct_item *got, size_t n, const char *want,
                         const char *ctx)
{
    items w;
    parse_items(want, &w);
    cr_assert_eq(n, w.n, "%s: %zu items, want %zu", ctx, n, w.n);
    for (size_t k = 0; k < n; k++) {
        const bt_struct_item *g = &got[k], *e = &w.v[k];
        cr_expect_eq(g->kind, e->kind, "%s item %zu: kind %d want %d", ctx, k, g->kind, e->kind);
        switch (e->kind) {
        case BT_STRUCT_INT: cr_expect_eq(g->v.i, e->v.i, "%s item %zu", ctx, k); break;
        case BT_STRUCT_UINT: cr_expect_eq(g->v.u, e->v.u, "%s item %zu", ctx, k); break;
        case BT_STRUCT_BOOL: cr_expect_eq(g->v.b, e->v.b, "%s item %zu", ctx, k); break;
        case BT_STRUCT_DOUBLE:
            cr_expect_eq(memcmp(&g->v.d, &e->v.d, 8), 0, "%s item %zu: %a want %a", ctx, k,
                         g->v.d, e->v.d);
            break;
        case BT_STRUCT_BYTES:
            cr_expect_eq(g->v.bytes.len, e->v.bytes.len, "%s item %zu", ctx, k);
            if (g->v.bytes.len == e->v.bytes.len)
                cr_expect_eq(memcmp(g->v.bytes.data, e->v.bytes.data, e->v.bytes.len), 0,
                             "%s item %zu", ctx, k);
            break;
        }
    }
    free_items(&w);
}

Test(struct, calcsize_matches_cpython)
{
    bt_test_vectors v;
    char *f[BT_TEST_MAX_FIELDS];
    int cases = 0;
    bt_test_vectors_open(&v, "struct", "calcsize");
    int nf;
    while ((nf = bt_test_vectors_next(&v, f)) > 0) {
        size_t n;
        char *fmt = bt_test_unhex(f[0], &n);
        bt_err err = BT_ERR_INIT;
        ptrdiff_t got = bt_struct_calcsize(fmt, &err);
        if (strcmp(f[1], "ok") == 0) {
            cr_expect_eq(got, atol(f[2]), "format %s: %s", f[0], err.msg);
        } else if (strlen(fmt) == n) { /* an embedded NUL cannot reach C */
            cr_expect_eq(got, code_for(f[2]), "format %s", f[0]);
            if (strcmp(f[2], "UnicodeEncodeError") == 0)
                cr_expect_str_eq(err.msg, "bad char in struct format");
            else
                cr_expect_str_eq(err.msg, f[3], "format %s", f[0]);
        }
        free(fmt);
        cases++;
    }
    bt_test_vectors_close(&v);
    cr_assert_gt(cases, 50);
}

Test(struct, pack_matches_cpython)
{
    bt_test_vectors v;
    char *f[BT_TEST_MAX_FIELDS];
    int cases = 0;
    bt_test_vectors_open(&v, "struct", "pack");
    while (bt_test_vectors_next(&v, f) > 0) {
        size_t n;
        char *fmt = bt_test_unhex(f[0], &n);
        items it;
        parse_items(f[1], &it);
        unsigned char out[1024];
        bt_err err = BT_ERR_INIT;
        ptrdiff_t got = bt_struct_pack_fmt(fmt, it.v, it.n, out, sizeof out, &err);
        bt_struct *s = NULL;
        int compiled = bt_struct_new(fmt, &s, NULL);
        if (strcmp(f[2], "ok") == 0) {
            size_t wn;
            char *want = bt_test_unhex(f[3], &wn);
            cr_expect_eq(got, (ptrdiff_t)wn, "%s %s: %s", fmt, f[1], err.msg);
            if (got == (ptrdiff_t)wn)
                cr_expect_eq(memcmp(out, want, wn), 0, "%s %s", fmt, f[1]);
            /* The compiled form gives the same bytes. */
            cr_assert_eq(compiled, 0);
            unsigned char out2[1024];
            cr_expect_eq(bt_struct_pack(s, it.v, it.n, out2, sizeof out2, NULL), (ptrdiff_t)wn);
            cr_expect_eq(memcmp(out2, want, wn), 0, "%s compiled", fmt);
            free(want);
        } else {
            cr_expect_eq(got, code_for(f[3]), "%s %s: got %td (%s)", fmt, f[1], got, err.msg);
            cr_expect_str_eq(err.msg, f[4], "%s %s", fmt, f[1]);
        }
        bt_struct_free(s);
        free_items(&it);
        free(fmt);
        cases++;
    }
    bt_test_vectors_close(&v);
    cr_assert_gt(cases, 2000);
}

Test(struct, unpack_matches_cpython)
{
    bt_test_vectors v;
    char *f[BT_TEST_MAX_FIELDS];
    int cases = 0;
    bt_test_vectors_open(&v, "struct", "unpack");
    while (bt_test_vectors_next(&v, f) > 0) {
        size_t n, dn;
        char *fmt = bt_test_unhex(f[0], &n);
        char *data = bt_test_unhex(f[1], &dn);
        bt_struct_item got[MAX_ITEMS];
        bt_err err = BT_ERR_INIT;
        ptrdiff_t rc = bt_struct_unpack_fmt(fmt, data, dn, got, MAX_ITEMS, &err);
        char ctx[256];
        snprintf(ctx, sizeof ctx, "unpack(%s, %s)", fmt, f[1]);
        if (strcmp(f[2], "ok") == 0) {
            cr_expect_geq(rc, 0, "%s: %s", ctx, err.msg);
            if (rc >= 0)
                expect_items(got, (size_t)rc, f[3], ctx);
        } else {
            cr_expect_eq(rc, code_for(f[3]), "%s", ctx);
            cr_expect_str_eq(err.msg, f[4], "%s", ctx);
        }
        free(fmt);
        free(data);
        cases++;
    }
    bt_test_vectors_close(&v);
    cr_assert_gt(cases, 1000);
}

/* "ok <items>" or "err <exc> <msg>" from fields f[i..]; returns fields used. */
static int check_result(char **f, ptrdiff_t rc, const bt_err *err, const char *ctx,
                        void (*ok)(char *want, void *arg), void *arg)
{
    if (strcmp(f[0], "ok") == 0) {
        cr_expect_geq(rc, 0, "%s: %s", ctx, err->msg);
        if (rc >= 0)
            ok(f[1], arg);
        return 2;
    }
    cr_expect_eq(rc, code_for(f[1]), "%s: got %td", ctx, rc);
    cr_expect_str_eq(err->msg, f[2], "%s", ctx);
    return 3;
}

struct unpack_ok {
    bt_struct_item *items;
    ptrdiff_t n;
    const char *ctx;
};

static void unpack_ok(char *want, void *arg)
{
    struct unpack_ok *u = arg;
    expect_items(u->items, (size_t)u->n, want, u->ctx);
}

struct pack_ok {
    const unsigned char *buf;
    size_t len;
    const char *ctx;
};

static void pack_ok(char *want, void *arg)
{
    struct pack_ok *p = arg;
    size_t wn;
    char *w = bt_test_unhex(want, &wn);
    cr_expect_eq(wn, p->len);
    cr_expect_eq(memcmp(w, p->buf, wn), 0, "%s", p->ctx);
    free(w);
}

Test(struct, offsets_match_cpython)
{
    bt_test_vectors v;
    char *f[BT_TEST_MAX_FIELDS];
    int cases = 0;
    bt_test_vectors_open(&v, "struct", "offsets");
    while (bt_test_vectors_next(&v, f) > 0) {
        size_t n;
        char *fmt = bt_test_unhex(f[0], &n);
        size_t buflen = (size_t)atol(f[1]);
        ptrdiff_t off = atol(f[2]);
        items it;
        parse_items(f[3], &it);
        unsigned char data[32], buf[32];
        for (size_t k = 0; k < buflen; k++)
            data[k] = (unsigned char)k;
        memset(buf, 0xaa, sizeof buf);
        char ctx[128];
        snprintf(ctx, sizeof ctx, "%s buflen=%zu offset=%td", fmt, buflen, off);

        bt_struct_item got[MAX_ITEMS];
        bt_err err = BT_ERR_INIT;
        ptrdiff_t rc = bt_struct_unpack_from_fmt(fmt, data, buflen, off, got, MAX_ITEMS, &err);
        struct unpack_ok u = {got, rc, ctx};
        int used = check_result(f + 4, rc, &err, ctx, unpack_ok, &u);
        cr_assert_str_eq(f[4 + used], "|");

        bt_err_clear(&err);
        rc = bt_struct_pack_into_fmt(fmt, buf, buflen, off, it.v, it.n, &err);
        struct pack_ok p = {buf, buflen, ctx};
        check_result(f + 5 + used, rc, &err, ctx, pack_ok, &p);
        free_items(&it);
        free(fmt);
        cases++;
    }
    bt_test_vectors_close(&v);
    cr_assert_gt(cases, 400);
}

Test(struct, iter_unpack_matches_cpython)
{
    bt_test_vectors v;
    char *f[BT_TEST_MAX_FIELDS];
    int cases = 0;
    bt_test_vectors_open(&v, "struct", "iter");
    while (bt_test_vectors_next(&v, f) > 0) {
        size_t n, dn;
        char *fmt = bt_test_unhex(f[0], &n);
        char *data = bt_test_unhex(f[1], &dn);
        bt_struct *s;
        cr_assert_eq(bt_struct_new(fmt, &s, NULL), 0);
        bt_struct_iter it;
        bt_err err = BT_ERR_INIT;
        int rc = bt_struct_iter_unpack(s, data, dn, &it, &err);
        if (strcmp(f[2], "ok") == 0) {
            cr_assert_eq(rc, 0, "%s: %s", fmt, err.msg);
            char *records = strcmp(f[3], "-") ? f[3] : "";
            bt_struct_item got[MAX_ITEMS];
            char *save = NULL;
            char *rec = strtok_r(records, ";", &save);
            int k;
            while ((k = bt_struct_iter_next(&it, got, MAX_ITEMS)) == 1) {
                cr_assert_not_null(rec, "%s: more records than CPython", fmt);
                expect_items(got, bt_struct_count(s), rec, fmt);
                rec = strtok_r(NULL, ";", &save);
            }
            cr_expect_eq(k, 0);
            cr_expect_null(rec, "%s: fewer records than CPython", fmt);
        } else {
            cr_expect_eq(rc, code_for(f[3]), "%s", fmt);
            cr_expect_str_eq(err.msg, f[4], "%s", fmt);
        }
        bt_struct_free(s);
        free(fmt);
        free(data);
        cases++;
    }
    bt_test_vectors_close(&v);
    cr_assert_gt(cases, 5);
}
