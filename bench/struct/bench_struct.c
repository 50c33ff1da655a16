/*
 * bench_struct.c — compiled Struct pack/unpack against hand-written C: the
 * anchor is what a C programmer writes for one fixed record, memcpy plus
 * byte swaps in a function the compiler may not inline into the loop.
 */
#include <batteries/struct.h>

#include <string.h>

#include "bench.h"

static bt_struct *ihq, *d10, *ihqb;
static bt_struct_item ihq_items[3], ihq_ints[3], ihqb_items[4], d10_items[10], out[10];
static unsigned char buf[80];

/* Shared by the cases: the first call compiles, later ones find it done. */
static int setup(void)
{
    if (ihq)
        return 0;
    if (bt_struct_new("!IHq", &ihq, NULL) < 0 || bt_struct_new("<10d", &d10, NULL) < 0 ||
        bt_struct_new("!IHqB", &ihqb, NULL) < 0)
        return -1;
    ihq_items[0] = bt_struct_uint(1);
    ihq_items[1] = bt_struct_uint(2);
    ihq_items[2] = bt_struct_int(-3);
    for (int i = 0; i < 3; i++) {
        ihq_ints[i] = bt_struct_int(i == 2 ? -3 : i + 1);
        ihqb_items[i] = ihq_items[i];
    }
    ihqb_items[3] = bt_struct_uint(4);
    for (int i = 0; i < 10; i++)
        d10_items[i] = bt_struct_double(i / 3.0);
    return 0;
}

static void teardown(void)
{
    bt_struct_free(ihq);
    bt_struct_free(d10);
    bt_struct_free(ihqb);
    ihq = d10 = ihqb = NULL;
}

static void run_pack_ihq(uint64_t iters)
{
    for (uint64_t i = 0; i < iters; i++) {
        bench_escape(ihq_items);
        ptrdiff_t n = bt_struct_pack(ihq, ihq_items, 3, buf, sizeof buf, NULL);
        bench_escape(&n);
        bench_escape(buf);
    }
}

static void run_pack_ihq_ints(uint64_t iters)
{
    for (uint64_t i = 0; i < iters; i++) {
        bench_escape(ihq_ints);
        ptrdiff_t n = bt_struct_pack(ihq, ihq_ints, 3, buf, sizeof buf, NULL);
        bench_escape(&n);
        bench_escape(buf);
    }
}

static void run_pack_ihqb(uint64_t iters)
{
    for (uint64_t i = 0; i < iters; i++) {
        bench_escape(ihqb_items);
        ptrdiff_t n = bt_struct_pack(ihqb, ihqb_items, 4, buf, sizeof buf, NULL);
        bench_escape(&n);
        bench_escape(buf);
    }
}

static void run_unpack_ihq(uint64_t iters)
{
    bt_struct_pack(ihq, ihq_items, 3, buf, sizeof buf, NULL);
    for (uint64_t i = 0; i < iters; i++) {
        bench_escape(buf);
        ptrdiff_t n = bt_struct_unpack(ihq, buf, 14, out, 10, NULL);
        bench_escape(&n);
        bench_escape(out);
    }
}

static void run_pack_10d(uint64_t iters)
{
    for (uint64_t i = 0; i < iters; i++) {
        bench_escape(d10_items);
        ptrdiff_t n = bt_struct_pack(d10, d10_items, 10, buf, sizeof buf, NULL);
        bench_escape(&n);
        bench_escape(buf);
    }
}

static void run_unpack_10d(uint64_t iters)
{
    bt_struct_pack(d10, d10_items, 10, buf, sizeof buf, NULL);
    for (uint64_t i = 0; i < iters; i++) {
        bench_escape(buf);
        ptrdiff_t n = bt_struct_unpack(d10, buf, 80, out, 10, NULL);
        bench_escape(&n);
        bench_escape(out);
    }
}

/* The anchors: one record type, written by hand. */
struct ihq_rec {
    uint32_t a;
    uint16_t b;
    int64_t c;
};

__attribute__((noinline)) static void hand_pack_ihq(unsigned char *p, const struct ihq_rec *r)
{
    uint32_t a = __builtin_bswap32(r->a);
    uint16_t b = __builtin_bswap16(r->b);
    uint64_t c = __builtin_bswap64((uint64_t)r->c);
    memcpy(p, &a, 4);
    memcpy(p + 4, &b, 2);
    memcpy(p + 6, &c, 8);
}

__attribute__((noinline)) static void hand_unpack_ihq(const unsigned char *p, struct ihq_rec *r)
{
    uint32_t a;
    uint16_t b;
    uint64_t c;
    memcpy(&a, p, 4);
    memcpy(&b, p + 4, 2);
    memcpy(&c, p + 6, 8);
    r->a = __builtin_bswap32(a);
    r->b = __builtin_bswap16(b);
    r->c = (int64_t)__builtin_bswap64(c);
}

__attribute__((noinline)) static void hand_pack_10d(unsigned char *p, const double *v)
{
    memcpy(p, v, 80);
}

__attribute__((noinline)) static void hand_unpack_10d(const unsigned char *p, double *v)
{
    memcpy(v, p, 80);
}

static void run_pack_ihq_anchor(uint64_t iters)
{
    struct ihq_rec r = {1, 2, -3};
    for (uint64_t i = 0; i < iters; i++) {
        bench_escape(&r);
        hand_pack_ihq(buf, &r);
        bench_escape(buf);
    }
}

static void run_unpack_ihq_anchor(uint64_t iters)
{
    struct ihq_rec r;
    for (uint64_t i = 0; i < iters; i++) {
        bench_escape(buf);
        hand_unpack_ihq(buf, &r);
        bench_escape(&r);
    }
}

static void run_pack_10d_anchor(uint64_t iters)
{
    double v[10];
    for (int i = 0; i < 10; i++)
        v[i] = i / 3.0;
    for (uint64_t i = 0; i < iters; i++) {
        bench_escape(v);
        hand_pack_10d(buf, v);
        bench_escape(buf);
    }
}

static void run_unpack_10d_anchor(uint64_t iters)
{
    double v[10];
    for (uint64_t i = 0; i < iters; i++) {
        bench_escape(buf);
        hand_unpack_10d(buf, v);
        bench_escape(v);
    }
}

static const bench_case cases[] = {
    {"pack_IHq", setup, run_pack_ihq, teardown},
    {"unpack_IHq", setup, run_unpack_ihq, teardown},
    {"pack_10d", setup, run_pack_10d, teardown},
    {"unpack_10d", setup, run_unpack_10d, teardown},
    {"pack_IHq_int_items", setup, run_pack_ihq_ints, teardown},
    {"pack_IHqB", setup, run_pack_ihqb, teardown},
    {"pack_IHq@memcpy_bswap", NULL, run_pack_ihq_anchor, NULL},
    {"unpack_IHq@memcpy_bswap", NULL, run_unpack_ihq_anchor, NULL},
    {"pack_10d@memcpy", NULL, run_pack_10d_anchor, NULL},
    {"unpack_10d@memcpy", NULL, run_unpack_10d_anchor, NULL},
};

int main(void)
{
    return bench_main(cases, sizeof cases / sizeof cases[0]);
}
