/* bt_test.c — vector files and the allocation-failure runner. */
#include "bt_test.h"

#include <criterion/criterion.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#ifndef BT_TEST_SOURCE_ROOT
#error "BT_TEST_SOURCE_ROOT must name the source tree"
#endif

void bt_test_vectors_open(bt_test_vectors *v, const char *module, const char *name)
{
    memset(v, 0, sizeof *v);
    snprintf(v->path, sizeof v->path, "%s/tests/%s/vectors/%s.tsv",
             BT_TEST_SOURCE_ROOT, module, name);
    v->f = fopen(v->path, "r");
    cr_assert(v->f != NULL, "cannot open %s (run tools/gen_vectors/%s.py)",
              v->path, module);
}

int bt_test_vectors_next(bt_test_vectors *v, char *fields[BT_TEST_MAX_FIELDS])
{
    for (;;) {
        ssize_t k = getline(&v->line, &v->cap, v->f);
        if (k < 0)
            return 0;
        v->lineno++;
        if (k > 0 && v->line[k - 1] == '\n')
            v->line[--k] = '\0';
        if (v->line[0] == '#')
            continue;
        int n = 0;
        char *p = v->line;
        fields[n++] = p;
        while ((p = strchr(p, '\t')) && n < BT_TEST_MAX_FIELDS) {
            *p++ = '\0';
            fields[n++] = p;
        }
        return n;
    }
}

void bt_test_vectors_close(bt_test_vectors *v)
{
    if (v->f)
        fclose(v->f);
    free(v->line);
    memset(v, 0, sizeof *v);
}

char *bt_test_unhex(const char *hex, size_t *n)
{
    size_t len = strlen(hex);
    cr_assert(len % 2 == 0, "odd hex string %s", hex);
    char *out = malloc(len / 2 + 1);
    cr_assert(out);
    for (size_t i = 0; i < len / 2; i++) {
        unsigned int byte;
        cr_assert(sscanf(hex + 2 * i, "%2x", &byte) == 1, "bad hex %s", hex);
        out[i] = (char)byte;
    }
    out[len / 2] = '\0';
    *n = len / 2;
    return out;
}

static atomic_long live;
static atomic_long calls;
static atomic_long fail_at; /* 0: never fail */
static atomic_bool failed;

static bool should_fail(void)
{
    long k = atomic_fetch_add(&calls, 1) + 1;
    if (atomic_load(&fail_at) == k) {
        atomic_store(&failed, true);
        return true;
    }
    return false;
}

static void *count_malloc(size_t size, void *ctx)
{
    (void)ctx;
    if (should_fail())
        return NULL;
    void *p = malloc(size);
    if (p)
        atomic_fetch_add(&live, 1);
    return p;
}

static void *count_realloc(void *p, size_t size, void *ctx)
{
    (void)ctx;
    if (should_fail())
        return NULL;
    void *q = realloc(p, size);
    if (q && !p)
        atomic_fetch_add(&live, 1);
    return q;
}

static void count_free(void *p, void *ctx)
{
    (void)ctx;
    if (p)
        atomic_fetch_sub(&live, 1);
    free(p);
}

long bt_test_live_allocations(void)
{
    return atomic_load(&live);
}

int bt_test_allocfail(bt_test_scenario fn, void *arg)
{
    static const bt_allocator counting = {count_malloc, count_realloc, count_free, NULL};
    bt_set_allocator(&counting);
    atomic_store(&live, 0);
    atomic_store(&calls, 0);
    atomic_store(&fail_at, 0);
    int rc = fn(arg);
    cr_assert_eq(rc, 0, "scenario fails without injected failures: %s", bt_strerror(rc));
    cr_assert_eq(atomic_load(&live), 0, "scenario leaks %ld allocations", atomic_load(&live));
    long total = atomic_load(&calls);
    int points = 0;
    for (long k = 1;; k++) {
        atomic_store(&calls, 0);
        atomic_store(&failed, false);
        atomic_store(&fail_at, k);
        rc = fn(arg);
        bool hit = atomic_load(&failed);
        cr_assert_eq(atomic_load(&live), 0,
                     "failing allocation %ld leaks %ld allocations", k, atomic_load(&live));
        if (!hit) {
            cr_assert_eq(rc, 0, "run %ld: no failure injected but got %s", k, bt_errsym(rc));
            break;
        }
        cr_assert_eq(rc, BT_ENOMEM, "failing allocation %ld gave %d (%s), want BT_ENOMEM", k,
                     rc, bt_errsym(rc));
        points++;
        cr_assert(k <= total + 1000, "scenario keeps allocating");
    }
    bt_set_allocator(NULL);
    return points;
}
