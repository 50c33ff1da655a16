/*
 * The special forms of short records (src/struct/special.c) against the
 * general path: every record of one to three integer or 'd' fields under
 * every prefix, packed with boundary values of every kind and unpacked from
 * random bytes, must give what the one-shot functions give (the path the
 * CPython vectors and the oracle check), byte for byte and message for
 * message.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <batteries/struct.h>

#include "bt_test.h"

/* The values drawn for a field: around every width's limits, of both
 * integer kinds, and the kinds an integer field refuses or converts. */
static bt_struct_item value_at(unsigned k)
{
    static const int64_t ints[] = {0, 1, -1, 127, 128, -128, -129, 255, 256,
                                   32767, 32768, -32768, -32769, 65535, 65536,
                                   INT32_MAX, (int64_t)INT32_MAX + 1, INT32_MIN,
                                   (int64_t)INT32_MIN - 1, UINT32_MAX,
                                   (int64_t)UINT32_MAX + 1, INT64_MAX, INT64_MIN};
    static const uint64_t uints[] = {0, 1, 255, 256, 65535, 65536, UINT32_MAX,
                                     (uint64_t)UINT32_MAX + 1, INT64_MAX,
                                     (uint64_t)INT64_MAX + 1, UINT64_MAX,
                                     UINT64_MAX - 127, UINT64_MAX - 32767};
    static const double doubles[] = {0.0, -0.0, 1.5, -2.25, 1e308, INFINITY};
    const size_t ni = sizeof ints / sizeof ints[0], nu = sizeof uints / sizeof uints[0],
                 nd = sizeof doubles / sizeof doubles[0];
    if (k < ni)
        return bt_struct_int(ints[k]);
    k -= (unsigned)ni;
    if (k < nu)
        return bt_struct_uint(uints[k]);
    k -= (unsigned)nu;
    if (k < nd)
        return bt_struct_double(doubles[k]);
    k -= (unsigned)nd;
    switch (k) {
    case 0: return bt_struct_bool(true);
    case 1: return bt_struct_bytes("a", 1);
    default: {
        bt_struct_item junk; /* a kind no constructor makes */
        memset(&junk, 0, sizeof junk);
        junk.kind = (bt_struct_kind)(k == 2 ? 0 : 77);
        return junk;
    }
    }
}

#define NVALUES (23 + 13 + 6 + 4)
#define MAXF 6 /* fields in a record here */

static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static uint64_t next_random(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* Packs items with the compiled record and with the one-shot function:
 * the same result, message and bytes. */
static void same_pack(const char *fmt, bt_struct *s, const bt_struct_item *items, size_t n,
                      size_t outlen)
{
    unsigned char a[64], b[64];
    memset(a, 0xa5, sizeof a);
    memset(b, 0xa5, sizeof b);
    bt_err ea = BT_ERR_INIT, eb = BT_ERR_INIT;
    ptrdiff_t ra = bt_struct_pack(s, items, n, a, outlen, &ea);
    ptrdiff_t rb = bt_struct_pack_fmt(fmt, items, n, b, outlen, &eb);
    cr_assert_eq(ra, rb, "%s: pack gives %td, the one-shot form %td (%s)", fmt, ra, rb, eb.msg);
    if (ra < 0) {
        cr_assert_str_eq(ea.msg, eb.msg, "%s", fmt);
        return;
    }
    cr_assert_eq(memcmp(a, b, (size_t)ra), 0, "%s: different bytes", fmt);
    bt_struct_item back[MAXF];
    cr_assert_eq(bt_struct_unpack(s, a, (size_t)ra, back, MAXF, NULL), (ptrdiff_t)n, "%s", fmt);
    unsigned char again[64];
    cr_assert_eq(bt_struct_pack(s, back, n, again, sizeof again, NULL), ra, "%s", fmt);
    cr_assert_eq(memcmp(a, again, (size_t)ra), 0, "%s: unpack then pack differs", fmt);
}

static void same_unpack(const char *fmt, bt_struct *s, size_t len, size_t cap)
{
    unsigned char data[64];
    for (size_t k = 0; k < sizeof data; k++)
        data[k] = (unsigned char)next_random();
    bt_struct_item a[MAXF], b[MAXF];
    bt_err ea = BT_ERR_INIT, eb = BT_ERR_INIT;
    ptrdiff_t ra = bt_struct_unpack(s, data, len, a, cap, &ea);
    ptrdiff_t rb = bt_struct_unpack_fmt(fmt, data, len, b, cap, &eb);
    cr_assert_eq(ra, rb, "%s: unpack gives %td, the one-shot form %td", fmt, ra, rb);
    if (ra < 0) {
        cr_assert_str_eq(ea.msg, eb.msg, "%s", fmt);
        return;
    }
    for (ptrdiff_t k = 0; k < ra; k++) {
        cr_assert_eq(a[k].kind, b[k].kind, "%s item %td", fmt, k);
        cr_assert_eq(a[k].v.u, b[k].v.u, "%s item %td", fmt, k);
    }
}

static void check_record(const char *fmt)
{
    bt_struct *s;
    cr_assert_eq(bt_struct_new(fmt, &s, NULL), 0, "%s", fmt);
    size_t n = bt_struct_count(s), size = bt_struct_size(s);
    bt_struct_item items[MAXF];
    /* Every value in every field once, the other fields drawn at random. */
    for (size_t field = 0; field < n; field++) {
        for (unsigned v = 0; v < NVALUES; v++) {
            for (size_t k = 0; k < n; k++)
                items[k] = value_at(k == field ? v : (unsigned)(next_random() % NVALUES));
            same_pack(fmt, s, items, n, 64);
        }
    }
    for (size_t k = 0; k < n; k++)
        items[k] = bt_struct_int(1);
    same_pack(fmt, s, items, n - 1, 64);
    same_pack(fmt, s, items, n, size - 1);
    for (int r = 0; r < 8; r++)
        same_unpack(fmt, s, size, MAXF);
    same_unpack(fmt, s, size + 1, MAXF);
    same_unpack(fmt, s, size - 1, MAXF);
    same_unpack(fmt, s, size, n - 1);
    bt_struct_free(s);
}

Test(struct_special, short_records_agree_with_the_general_path)
{
    static const char *prefixes[] = {"", "@", "=", "<", ">", "!"};
    static const char native[] = "bBhHiIlLqQnNd", standard[] = "bBhHiIlLqQd";
    for (size_t p = 0; p < sizeof prefixes / sizeof prefixes[0]; p++) {
        const char *codes = p < 2 ? native : standard;
        size_t nc = strlen(codes);
        for (size_t a = 0; a < nc; a++) {
            for (size_t b = 0; b <= nc; b++) {
                for (size_t c = 0; c <= (b < nc ? nc : 0); c++) {
                    char fmt[8];
                    snprintf(fmt, sizeof fmt, "%s%c%c%c", prefixes[p], codes[a],
                             b < nc ? codes[b] : '\0', c < nc ? codes[c] : '\0');
                    check_record(fmt);
                }
            }
        }
    }
}

/* Longer records take the wide path (one 8-byte word per value, the last
 * values past the last whole word stored at their own width): random
 * records of four to six fields. */
Test(struct_special, longer_records_agree_with_the_general_path)
{
    static const char *prefixes[] = {"", "@", "=", "<", ">", "!"};
    static const char native[] = "bBhHiIlLqQnNd", standard[] = "bBhHiIlLqQd";
    for (int r = 0; r < 1500; r++) {
        size_t p = next_random() % 6;
        const char *codes = p < 2 ? native : standard;
        size_t nc = strlen(codes), nf = 4 + next_random() % 3;
        char fmt[16];
        size_t at = (size_t)snprintf(fmt, sizeof fmt, "%s", prefixes[p]);
        for (size_t k = 0; k < nf; k++)
            fmt[at++] = codes[next_random() % nc];
        fmt[at] = '\0';
        check_record(fmt);
    }
}

/* Arrays of doubles (straight code for 4 to 16 of them): any bits, and a
 * value of another kind at each position in turn. */
Test(struct_special, double_arrays_agree_with_the_general_path)
{
    static const char *prefixes[] = {"", "@", "=", "<", ">", "!"};
    for (size_t p = 0; p < sizeof prefixes / sizeof prefixes[0]; p++) {
        for (unsigned count = 1; count <= 20; count++) {
            char fmt[16], one_fmt[8];
            snprintf(fmt, sizeof fmt, "%s%ud", prefixes[p], count);
            snprintf(one_fmt, sizeof one_fmt, "%sd", prefixes[p]);
            bt_struct *s;
            cr_assert_eq(bt_struct_new(fmt, &s, NULL), 0, "%s", fmt);
            bt_struct_item items[20], back[20];
            for (unsigned wrong = 0; wrong <= count; wrong++) {
                for (unsigned k = 0; k < count; k++) {
                    uint64_t bits = next_random();
                    double d;
                    memcpy(&d, &bits, 8);
                    items[k] = bt_struct_double(d);
                }
                if (wrong < count)
                    items[wrong] = value_at((unsigned)(next_random() % NVALUES));
                unsigned char a[160], b[160];
                bt_err ea = BT_ERR_INIT, eb = BT_ERR_INIT;
                ptrdiff_t ra = bt_struct_pack(s, items, count, a, sizeof a, &ea);
                ptrdiff_t rb = bt_struct_pack_fmt(fmt, items, count, b, sizeof b, &eb);
                cr_assert_eq(ra, rb, "%s: %td vs %td (%s)", fmt, ra, rb, eb.msg);
                if (ra < 0) {
                    cr_assert_str_eq(ea.msg, eb.msg, "%s", fmt);
                    continue;
                }
                cr_assert_eq(memcmp(a, b, (size_t)ra), 0, "%s", fmt);
                cr_assert_eq(bt_struct_unpack(s, a, (size_t)ra, back, count, NULL), count);
                for (unsigned k = 0; k < count; k++) {
                    cr_assert_eq(back[k].kind, BT_STRUCT_DOUBLE, "%s", fmt);
                    unsigned char one[8];
                    cr_assert_eq(bt_struct_pack_fmt(one_fmt, &back[k], 1, one, 8, NULL), 8);
                    cr_assert_eq(memcmp(one, a + 8 * k, 8), 0, "%s value %u", fmt, k);
                }
            }
            bt_struct_item few[20];
            cr_assert_eq(bt_struct_unpack(s, "", 0, few, 20, NULL), BT_ESTRUCT);
            unsigned char data[160];
            for (size_t k = 0; k < sizeof data; k++)
                data[k] = (unsigned char)next_random();
            cr_assert_eq(bt_struct_unpack(s, data, 8 * count, few, count - 1, NULL), BT_EVALUE);
            bt_struct_item x[20], y[20];
            cr_assert_eq(bt_struct_unpack(s, data, 8 * count, x, 20, NULL), count);
            cr_assert_eq(bt_struct_unpack_fmt(fmt, data, 8 * count, y, 20, NULL), count);
            for (unsigned k = 0; k < count; k++) {
                cr_assert_eq(x[k].kind, y[k].kind);
                cr_assert_eq(x[k].v.u, y[k].v.u, "%s value %u", fmt, k);
            }
            bt_struct_free(s);
        }
    }
}
