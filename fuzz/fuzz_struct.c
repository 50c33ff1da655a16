/*
 * fuzz_struct.c — the struct module's functions must tell one story about
 * every format and buffer:
 *
 *  - bt_struct_calcsize and bt_struct_new accept the same formats, give the
 *    same size, or fail with the same code, position and message;
 *  - unpack of a record of exactly the size succeeds with bt_struct_count
 *    items (BYTES items pointing inside the record), and the one-shot form
 *    gives the same items; a short items array is refused, not overrun;
 *  - unpack(pack(unpack(data))) == unpack(data) item by item (doubles bit by
 *    bit), and pack(unpack(P)) == P byte for byte for whatever pack made (the
 *    bytes pack normalizes, pads, '?', a 'p' length, NaN payloads in 'e' and
 *    signaling NaNs in 'f', are normal in its output); s and c bytes come
 *    back where they were;
 *  - unpack_from and pack_into succeed exactly when Python's offset rules
 *    say so, with its messages, touch only the record (ASan watches the
 *    reads) and agree with unpack and pack;
 *  - iter_unpack over n records yields n records equal to unpack's;
 *  - items made from the input's bytes pack the same way with the compiled
 *    and the one-shot forms, and what they pack is a fixed point as above.
 *
 * Input: byte 0 picks the options (bits 0-1: how far the record sits off a
 * malloc boundary; bit 3: also pack items made from the input's bytes) and
 * seeds the other choices; then the format up to a NUL (at most MAX_FORMAT
 * bytes; longer, the rest is data); then the data.
 */
#include <batteries/core.h>
#include <batteries/struct.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

enum {
    MAX_FORMAT = 128,
    MAX_SIZE = 1 << 16, /* records larger than this are only parsed */
    MAX_ITEMS = 1 << 12,
    MAX_RECORDS = 64,
};

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    CHECK(p != NULL);
    return p;
}

static void *dup_exact(const void *p, size_t n)
{
    void *q = xmalloc(n);
    if (n)
        memcpy(q, p, n);
    return q;
}

static bool same_err(const bt_err *a, const bt_err *b)
{
    return a->code == b->code && a->pos == b->pos &&
           strcmp(a->msg, b->msg) == 0;
}

static bool same_item(const bt_struct_item *a, const bt_struct_item *b)
{
    if (a->kind != b->kind)
        return false;
    switch (a->kind) {
    case BT_STRUCT_INT:
        return a->v.i == b->v.i;
    case BT_STRUCT_UINT:
        return a->v.u == b->v.u;
    case BT_STRUCT_BOOL:
        return a->v.b == b->v.b;
    case BT_STRUCT_DOUBLE:
        return memcmp(&a->v.d, &b->v.d, sizeof(double)) == 0;
    case BT_STRUCT_BYTES:
        return a->v.bytes.len == b->v.bytes.len &&
               (a->v.bytes.len == 0 ||
                memcmp(a->v.bytes.data, b->v.bytes.data, a->v.bytes.len) == 0);
    default:
        return false;
    }
}

static bool same_items(const bt_struct_item *a, const bt_struct_item *b,
                       size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (!same_item(&a[k], &b[k]))
            return false;
    return true;
}

/* Items unpack gave from rec[0..size): valid kinds, bytes inside the record. */
static void check_unpacked(const bt_struct_item *it, size_t n,
                           const unsigned char *rec, size_t size)
{
    for (size_t k = 0; k < n; k++) {
        CHECK(it[k].kind >= BT_STRUCT_INT && it[k].kind <= BT_STRUCT_BYTES);
        if (it[k].kind == BT_STRUCT_BYTES) {
            const unsigned char *p = it[k].v.bytes.data;
            CHECK(it[k].v.bytes.len <= size);
            if (it[k].v.bytes.len)
                CHECK(p >= rec &&
                      (size_t)(p - rec) <= size - it[k].v.bytes.len);
        }
    }
}

/* A small deterministic generator, seeded from the input. */
static uint64_t next_rand(uint64_t *s)
{
    *s = *s * 6364136223846793005u + 1442695040888963407u;
    return *s >> 33;
}

/* unpack, both ways, of exactly one record; returns the items (count of
 * them), which point into rec. */
static bt_struct_item *unpack_both(const bt_struct *s, const char *fmt,
                                   const unsigned char *rec)
{
    size_t size = bt_struct_size(s), count = bt_struct_count(s);
    bt_struct_item *it = xmalloc(count * sizeof *it);
    bt_struct_item *it2 = xmalloc(count * sizeof *it2);
    bt_err err = BT_ERR_INIT;
    CHECK(bt_struct_unpack(s, rec, size, it, count, &err) == (ptrdiff_t)count);
    CHECK(err.code == 0);
    CHECK(bt_struct_unpack_fmt(fmt, rec, size, it2, count, &err) ==
          (ptrdiff_t)count);
    check_unpacked(it, count, rec, size);
    CHECK(same_items(it, it2, count));
    free(it2);
    return it;
}

/* pack, both ways, into exact-size buffers; returns the record or NULL
 * (then both failed alike). */
static unsigned char *pack_both(const bt_struct *s, const char *fmt,
                                const bt_struct_item *it, size_t n, bt_err *err)
{
    size_t size = bt_struct_size(s);
    unsigned char *out = xmalloc(size), *out2 = xmalloc(size);
    bt_err err2 = BT_ERR_INIT;
    ptrdiff_t rc = bt_struct_pack(s, it, n, out, size, err);
    ptrdiff_t rc2 = bt_struct_pack_fmt(fmt, it, n, out2, size, &err2);
    CHECK(rc == rc2);
    if (rc < 0) {
        CHECK(err->code == rc && same_err(err, &err2));
        CHECK(rc == BT_ESTRUCT || rc == BT_EOVERFLOWERR);
        free(out);
        free(out2);
        return NULL;
    }
    CHECK(rc == (ptrdiff_t)size);
    CHECK(size == 0 || memcmp(out, out2, size) == 0);
    free(out2);
    return out;
}

/* pack(unpack(p)) == p for a record p that pack made. */
static void check_fixed_point(const bt_struct *s, const char *fmt,
                              const unsigned char *p)
{
    size_t size = bt_struct_size(s), count = bt_struct_count(s);
    unsigned char *rec = dup_exact(p, size);
    bt_struct_item *it = unpack_both(s, fmt, rec);
    bt_err err = BT_ERR_INIT;
    unsigned char *again = pack_both(s, fmt, it, count, &err);
    CHECK(again != NULL);
    CHECK(size == 0 || memcmp(again, p, size) == 0);
    free(again);
    free(it);
    free(rec);
}

/* Python's offset rules: the record's start in a len-byte buffer, or -1 and
 * the message. */
static ptrdiff_t place(ptrdiff_t offset, size_t len, size_t size, bool packing,
                       char *msg, size_t cap)
{
    size_t off;
    if (offset < 0) {
        size_t back = (size_t)(-(offset + 1)) + 1;
        if (back < size) {
            if (packing)
                snprintf(msg, cap, "no space to pack %zu bytes at offset %td",
                         size, offset);
            else
                snprintf(msg, cap,
                         "not enough data to unpack %zu bytes at offset %td",
                         size, offset);
            return -1;
        }
        if (back > len) {
            snprintf(msg, cap, "offset %td out of range for %zu-byte buffer",
                     offset, len);
            return -1;
        }
        off = len - back;
    } else {
        off = (size_t)offset;
        if (off > len || len - off < size) {
            snprintf(
                msg, cap,
                packing
                    ? "pack_into requires a buffer of at least %zu bytes for "
                      "packing "
                      "%zu bytes at offset %zu (actual buffer size is %zu)"
                    : "unpack_from requires a buffer of at least %zu bytes for "
                      "unpacking %zu bytes at offset %zu (actual buffer size "
                      "is %zu)",
                size + off, size, off, len);
            return -1;
        }
    }
    return (ptrdiff_t)off;
}

static void check_offsets(const bt_struct *s, const char *fmt,
                          const unsigned char *buf, size_t len,
                          const bt_struct_item *items,
                          const unsigned char *packed, uint64_t *rnd)
{
    size_t size = bt_struct_size(s), count = bt_struct_count(s);
    ptrdiff_t L = (ptrdiff_t)len, S = (ptrdiff_t)size;
    const ptrdiff_t offsets[] = {
        0,
        1,
        L - S,
        L - S + 1,
        -S,
        -S - 1,
        -L,
        -L - 1,
        L,
        L + 1,
        (ptrdiff_t)(next_rand(rnd) % (2 * len + 3)) - L - 1,
        PTRDIFF_MIN,
        PTRDIFF_MAX,
        PTRDIFF_MIN + 1,
        PTRDIFF_MAX - S,
    };
    bt_struct_item *it = xmalloc(count * sizeof *it);
    for (size_t k = 0; k < sizeof offsets / sizeof *offsets; k++) {
        ptrdiff_t offset = offsets[k];
        char want[BT_ERR_MSG_SIZE];
        bt_err err = BT_ERR_INIT, err2 = BT_ERR_INIT;

        /* unpack_from: the items of unpack at the start the rules give. */
        ptrdiff_t off = place(offset, len, size, false, want, sizeof want);
        ptrdiff_t rc =
            bt_struct_unpack_from(s, buf, len, offset, it, count, &err);
        if (off < 0) {
            CHECK(rc == BT_ESTRUCT && err.code == BT_ESTRUCT);
            CHECK(strcmp(err.msg, want) == 0);
        } else {
            CHECK(rc == (ptrdiff_t)count);
            unsigned char *rec = dup_exact(buf + off, size);
            bt_struct_item *ref = unpack_both(s, fmt, rec);
            CHECK(same_items(it, ref, count));
            check_unpacked(it, count, buf + off, size);
            free(ref);
            free(rec);
        }
        ptrdiff_t rc2 =
            bt_struct_unpack_from_fmt(fmt, buf, len, offset, it, count, &err2);
        CHECK(rc2 == rc && same_err(&err, &err2));

        /* pack_into: the packed record at that start, nothing else touched. */
        off = place(offset, len, size, true, want, sizeof want);
        unsigned char *into = dup_exact(buf, len), *into2 = dup_exact(buf, len);
        bt_err_clear(&err);
        bt_err_clear(&err2);
        int r = bt_struct_pack_into(s, into, len, offset, items, count, &err);
        int r2 = bt_struct_pack_into_fmt(fmt, into2, len, offset, items, count,
                                         &err2);
        CHECK(r == r2 && same_err(&err, &err2));
        if (off < 0) {
            CHECK(r == BT_ESTRUCT && err.code == BT_ESTRUCT);
            CHECK(strcmp(err.msg, want) == 0);
            CHECK(len == 0 || memcmp(into, buf, len) == 0);
        } else {
            CHECK(r == 0);
            size_t o = (size_t)off;
            CHECK(o == 0 || memcmp(into, buf, o) == 0);
            CHECK(size == 0 || memcmp(into + o, packed, size) == 0);
            CHECK(len - o - size == 0 ||
                  memcmp(into + o + size, buf + o + size, len - o - size) == 0);
            CHECK(len == 0 || memcmp(into, into2, len) == 0);
        }
        free(into);
        free(into2);
    }
    free(it);
}

static void check_iter(const bt_struct *s, const char *fmt,
                       const unsigned char *data, size_t len)
{
    size_t size = bt_struct_size(s), count = bt_struct_count(s);
    bt_struct_iter iter;
    bt_err err = BT_ERR_INIT;
    char want[BT_ERR_MSG_SIZE];
    if (size == 0) {
        CHECK(bt_struct_iter_unpack(s, data, len, &iter, &err) == BT_ESTRUCT);
        CHECK(strcmp(err.msg,
                     "cannot iteratively unpack with a struct of length 0") ==
              0);
        return;
    }
    if (len % size) {
        CHECK(bt_struct_iter_unpack(s, data, len, &iter, &err) == BT_ESTRUCT);
        snprintf(
            want, sizeof want,
            "iterative unpacking requires a buffer of a multiple of %zu bytes",
            size);
        CHECK(strcmp(err.msg, want) == 0);
    }
    size_t records = len / size < MAX_RECORDS ? len / size : MAX_RECORDS;
    unsigned char *buf = dup_exact(data, records * size);
    CHECK(bt_struct_iter_unpack(s, buf, records * size, &iter, &err) == 0);
    bt_struct_item *it = xmalloc(count * sizeof *it);
    size_t got = 0;
    int k;
    while ((k = bt_struct_iter_next(&iter, it, count)) == 1) {
        CHECK(got < records);
        unsigned char *rec = dup_exact(buf + got * size, size);
        bt_struct_item *ref = unpack_both(s, fmt, rec);
        CHECK(same_items(it, ref, count));
        check_unpacked(it, count, buf + got * size, size);
        free(ref);
        free(rec);
        got++;
    }
    CHECK(k == 0 && got == records);
    CHECK(bt_struct_iter_next(&iter, it, count) == 0);
    free(it);
    free(buf);
}

/* Items of every kind, made from the input's bytes. */
static bt_struct_item *make_items(size_t n, const unsigned char *src,
                                  size_t len, uint64_t *rnd)
{
    bt_struct_item *it = xmalloc(n * sizeof *it);
    for (size_t k = 0; k < n; k++) {
        uint64_t v = 0;
        for (int b = 0; b < 8; b++)
            v = v << 8 | (len ? src[next_rand(rnd) % len] : 0);
        if (next_rand(rnd) % 4 == 0) /* small values are the interesting ones */
            v = (uint64_t)((int64_t)(int8_t)v);
        switch (next_rand(rnd) % 6) {
        case 0:
            it[k] = bt_struct_int((int64_t)v);
            break;
        case 1:
            it[k] = bt_struct_uint(v);
            break;
        case 2: {
            double d;
            memcpy(&d, &v, sizeof d);
            it[k] = bt_struct_double(d);
            break;
        }
        case 3:
            it[k] = bt_struct_bool(v & 1);
            break;
        default: { /* mostly one byte, for 'c'; any slice of the input */
            size_t at = len ? next_rand(rnd) % len : 0;
            size_t blen = len == 0 ? 0
                          : v % 4  ? 1
                                   : next_rand(rnd) % (len - at + 1);
            it[k] = bt_struct_bytes(src + at, blen);
            break;
        }
        }
    }
    return it;
}

static void check_made_items(const bt_struct *s, const char *fmt,
                             const unsigned char *src, size_t len,
                             uint64_t *rnd)
{
    size_t count = bt_struct_count(s);
    /* One too few or too many now and then. */
    size_t n = count;
    switch (next_rand(rnd) % 8) {
    case 0:
        n = count + 1;
        break;
    case 1:
        n = count ? count - 1 : 0;
        break;
    default:
        break;
    }
    bt_struct_item *it = make_items(n, src, len, rnd);
    bt_err err = BT_ERR_INIT;
    unsigned char *packed = pack_both(s, fmt, it, n, &err);
    if (packed) {
        CHECK(n == count);
        check_fixed_point(s, fmt, packed);
    } else if (n != count) {
        char want[BT_ERR_MSG_SIZE];
        snprintf(want, sizeof want,
                 "pack expected %zu items for packing (got %zu)", count, n);
        CHECK(strcmp(err.msg, want) == 0);
    }
    free(packed);
    free(it);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint8_t mode = data[0];
    const uint8_t *p = data + 1;
    size_t rest = size - 1;
    size_t flen = 0;
    while (flen < rest && flen < MAX_FORMAT && p[flen] != 0)
        flen++;
    char *fmt = xmalloc(flen + 1);
    memcpy(fmt, p, flen);
    fmt[flen] = '\0';
    size_t skip = flen < rest && p[flen] == 0 ? flen + 1 : flen;
    size_t len = rest - skip;
    unsigned char *buf = dup_exact(p + skip, len);
    uint64_t rnd = mode ^ (uint64_t)size << 8;

    /* calcsize and new agree. */
    bt_err err = BT_ERR_INIT, err2 = BT_ERR_INIT;
    ptrdiff_t calc = bt_struct_calcsize(fmt, &err);
    bt_struct *s = NULL;
    int rc = bt_struct_new(fmt, &s, &err2);
    if (calc < 0) {
        CHECK(rc == calc && calc == BT_ESTRUCT);
        CHECK(same_err(&err, &err2));
        CHECK(err.pos >= -1 && err.pos <= (ptrdiff_t)flen);
        /* The one-shot forms refuse the format the same way. */
        bt_err err3 = BT_ERR_INIT;
        CHECK(bt_struct_unpack_fmt(fmt, buf, len, NULL, 0, &err3) == calc);
        CHECK(same_err(&err, &err3));
        goto out;
    }
    CHECK(rc == 0 && s != NULL);
    CHECK(bt_struct_size(s) == (size_t)calc);
    CHECK(strcmp(bt_struct_format(s), fmt) == 0);
    size_t rsize = bt_struct_size(s), count = bt_struct_count(s);
    if (rsize > MAX_SIZE || count > MAX_ITEMS)
        goto out;

    /* A record of exactly the size: the data, repeated or zeros to fill. */
    size_t lead = mode & 3; /* and not always aligned */
    unsigned char *block = xmalloc(lead + rsize), *rec = block + lead;
    for (size_t i = 0; i < rsize; i++)
        rec[i] = len ? buf[i % len] : 0;
    bt_struct_item *items = unpack_both(s, fmt, rec);

    /* A short items array is refused, not overrun. */
    if (count) {
        bt_struct_item *few = xmalloc((count - 1) * sizeof *few);
        CHECK(bt_struct_unpack(s, rec, rsize, few, count - 1, &err) ==
              BT_EVALUE);
        CHECK(bt_struct_unpack_from(s, rec, rsize, 0, few, count - 1, &err) ==
              BT_EVALUE);
        CHECK(bt_struct_unpack_fmt(fmt, rec, rsize, few, count - 1, &err) ==
              BT_EVALUE);
        bt_struct_iter iter;
        if (rsize && bt_struct_iter_unpack(s, rec, rsize, &iter, NULL) == 0)
            CHECK(bt_struct_iter_next(&iter, few, count - 1) == BT_EVALUE);
        free(few);
    }
    /* unpack with the wrong length is refused with Python's message. */
    if (len != rsize) {
        char want[BT_ERR_MSG_SIZE];
        snprintf(want, sizeof want, "unpack requires a buffer of %zu bytes",
                 rsize);
        bt_err_clear(&err);
        bt_struct_item *it = xmalloc(count * sizeof *it);
        CHECK(bt_struct_unpack(s, buf, len, it, count, &err) == BT_ESTRUCT);
        CHECK(strcmp(err.msg, want) == 0);
        free(it);
    }

    /* unpack(pack(unpack(data))) == unpack(data); pack's output is a fixed
     * point; s, c and p bytes land where they came from. */
    unsigned char *packed = pack_both(s, fmt, items, count, &err);
    CHECK(packed != NULL);
    /* An output buffer one byte short is refused, not overrun. */
    if (rsize) {
        char want[BT_ERR_MSG_SIZE];
        snprintf(want, sizeof want,
                 "pack requires a buffer of at least %zu bytes (actual buffer "
                 "size is %zu)",
                 rsize, rsize - 1);
        unsigned char *small = xmalloc(rsize - 1);
        bt_err_clear(&err);
        CHECK(bt_struct_pack(s, items, count, small, rsize - 1, &err) ==
              BT_ESTRUCT);
        CHECK(strcmp(err.msg, want) == 0);
        bt_err_clear(&err);
        CHECK(bt_struct_pack_fmt(fmt, items, count, small, rsize - 1, &err) ==
              BT_ESTRUCT);
        CHECK(strcmp(err.msg, want) == 0);
        free(small);
    }
    unsigned char *prec = dup_exact(packed, rsize);
    bt_struct_item *again = unpack_both(s, fmt, prec);
    CHECK(same_items(items, again, count));
    for (size_t k = 0; k < count; k++) {
        if (items[k].kind != BT_STRUCT_BYTES || items[k].v.bytes.len == 0)
            continue;
        size_t at =
            (size_t)((const unsigned char *)items[k].v.bytes.data - rec);
        CHECK(memcmp(packed + at, rec + at, items[k].v.bytes.len) == 0);
        CHECK((const unsigned char *)again[k].v.bytes.data - prec ==
              (ptrdiff_t)at);
    }
    free(again);
    free(prec);
    check_fixed_point(s, fmt, packed);

    check_offsets(s, fmt, buf, len, items, packed, &rnd);
    check_iter(s, fmt, buf, len);
    if (mode & 8)
        check_made_items(s, fmt, buf, len, &rnd);

    free(packed);
    free(items);
    free(block);
out:
    bt_struct_free(s);
    free(buf);
    free(fmt);
    return 0;
}
