/* The allocator hook, and the allocation-failure runner over every core
 * function that allocates. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bt_test.h"

static int seen_malloc, seen_free;

static void *my_malloc(size_t n, void *ctx)
{
    (void)ctx;
    seen_malloc++;
    return malloc(n);
}

static void *my_realloc(void *p, size_t n, void *ctx)
{
    (void)ctx;
    return realloc(p, n);
}

static void my_free(void *p, void *ctx)
{
    (void)ctx;
    seen_free++;
    free(p);
}

Test(alloc, hook_is_used_and_restored)
{
    bt_allocator a = {my_malloc, my_realloc, my_free, NULL}, got;
    bt_set_allocator(&a);
    bt_get_allocator(&got);
    cr_assert_eq(got.malloc, my_malloc);
    char *s = bt_strdup("hello");
    cr_assert_str_eq(s, "hello");
    bt_free(s);
    cr_assert_eq(seen_malloc, 1);
    cr_assert_eq(seen_free, 1);
    bt_set_allocator(NULL);
    bt_get_allocator(&got);
    cr_assert_neq(got.malloc, my_malloc);
}

Test(alloc, helpers)
{
    cr_assert_null(bt_calloc(SIZE_MAX / 2, 4), "calloc must catch overflow");
    int *z = bt_calloc(4, sizeof(int));
    cr_assert(z && z[0] == 0 && z[3] == 0);
    bt_free(z);
    void *p = bt_malloc(0);
    cr_assert_not_null(p, "malloc(0) gives a unique pointer");
    cr_assert_null(bt_realloc(p, 0), "realloc(p, 0) frees");
    char *s = bt_strndup("abcdef", 3);
    cr_assert_str_eq(s, "abc");
    bt_free(s);
    s = bt_memdup("a\0b", 3);
    cr_assert(memcmp(s, "a\0b", 3) == 0);
    bt_free(s);
    bt_free(NULL);
}

static int scenario_buf(void *arg)
{
    (void)arg;
    bt_buf b = BT_BUF_INIT;
    int rc = 0;
    for (int i = 0; i < 200 && rc == 0; i++)
        rc = bt_buf_printf(&b, "%d,", i);
    if (rc == 0)
        rc = bt_buf_append(&b, b.data, b.len); /* append from itself */
    if (rc == 0)
        rc = bt_repr_str(&b, "caf\xc3\xa9\n'", 8);
    if (rc == 0)
        rc = bt_repr_bytes(&b, "\x00\xff", 2);
    if (rc == 0) {
        size_t len;
        char *s = bt_buf_take(&b, &len);
        if (!s)
            rc = BT_ENOMEM;
        bt_free(s);
    }
    bt_buf_fini(&b);
    if (rc == 0) {
        char *s = bt_buf_take(&b, NULL); /* empty: allocates "" */
        if (!s)
            return BT_ENOMEM;
        bt_free(s);
    }
    return rc;
}

Test(allocfail, buf)
{
    cr_assert_gt(bt_test_allocfail(scenario_buf, NULL), 3);
}

static int scenario_strvec(void *arg)
{
    (void)arg;
    bt_strvec v = BT_STRVEC_INIT;
    bt_buf out = BT_BUF_INIT;
    int rc = 0;
    char name[64];
    for (int i = 0; i < 300 && rc == 0; i++) {
        snprintf(name, sizeof name, "entry-%d", 300 - i);
        rc = bt_strvec_append_str(&v, name);
    }
    static char big[100000];
    if (rc == 0)
        rc = bt_strvec_insert(&v, 5, big, sizeof big);
    if (rc == 0)
        rc = bt_strvec_append(&v, v.items[0], v.lens[0]);
    if (rc == 0)
        rc = bt_strvec_sort(&v);
    if (rc == 0)
        rc = bt_strvec_join(&v, ", ", 2, &out);
    bt_strvec_clear(&v);
    if (rc == 0)
        rc = bt_strvec_append_str(&v, "again");
    bt_buf_fini(&out);
    bt_strvec_fini(&v);
    return rc;
}

Test(allocfail, strvec)
{
    cr_assert_gt(bt_test_allocfail(scenario_strvec, NULL), 5);
}

static int scenario_strdup(void *arg)
{
    (void)arg;
    char *a = bt_strdup("x");
    char *b = bt_memdup("yz", 2);
    int rc = (a && b) ? 0 : BT_ENOMEM;
    bt_free(a);
    bt_free(b);
    return rc;
}

Test(allocfail, dup)
{
    cr_assert_eq(bt_test_allocfail(scenario_strdup, NULL), 2);
}
