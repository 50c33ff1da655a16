/* bt_strvec: the owned list of strings, checked against Python's list. */
#include <criterion/criterion.h>
#include <string.h>

#include "bt_test.h"

Test(strvec, append_insert_remove_like_a_list)
{
    bt_strvec v = BT_STRVEC_INIT;
    cr_assert_eq(bt_strvec_append_str(&v, "b"), 0);
    cr_assert_eq(bt_strvec_append_str(&v, "d"), 0);
    cr_assert_eq(bt_strvec_insert(&v, 0, "a", 1), 0);
    cr_assert_eq(bt_strvec_insert(&v, 2, "c", 1), 0);
    cr_assert_eq(bt_strvec_insert(&v, 4, "e", 1), 0);
    cr_assert_eq(bt_strvec_insert(&v, 6, "x", 1), BT_EINDEX);
    cr_assert_eq(v.count, 5);
    const char *want[] = {"a", "b", "c", "d", "e"};
    for (size_t i = 0; i < 5; i++)
        cr_assert_str_eq(v.items[i], want[i]);
    cr_assert_null(v.items[5], "argv-style NULL after the last item");
    cr_assert_eq(bt_strvec_remove(&v, 1), 0);
    cr_assert_eq(bt_strvec_remove(&v, 9), BT_EINDEX);
    cr_assert_str_eq(v.items[1], "c");
    cr_assert_null(v.items[4]);
    cr_assert_eq(bt_strvec_index(&v, "d", 1), 2);
    cr_assert_eq(bt_strvec_index(&v, "b", 1), BT_EVALUE);
    bt_strvec_fini(&v);
    bt_strvec_fini(NULL);
}

Test(strvec, pointers_stay_put_while_growing)
{
    bt_strvec v = BT_STRVEC_INIT;
    char name[32];
    cr_assert_eq(bt_strvec_append_str(&v, "first"), 0);
    const char *first = v.items[0];
    for (int i = 0; i < 20000; i++) {
        snprintf(name, sizeof name, "name%d", i);
        cr_assert_eq(bt_strvec_append_str(&v, name), 0);
    }
    cr_assert_eq(bt_strvec_remove(&v, 0), 0);
    cr_assert_str_eq(first, "first", "chunk memory never moves");
    cr_assert_str_eq(v.items[19999], "name19999");
    cr_assert_eq(v.lens[19999], 9);
    bt_strvec_fini(&v);
}

Test(strvec, embedded_nul_and_large_items)
{
    bt_strvec v = BT_STRVEC_INIT;
    cr_assert_eq(bt_strvec_append(&v, "a\0b", 3), 0);
    static char big[200000];
    memset(big, 'q', sizeof big);
    cr_assert_eq(bt_strvec_append(&v, big, sizeof big), 0);
    cr_assert_eq(bt_strvec_append_str(&v, "small"), 0);
    cr_assert_eq(v.lens[0], 3);
    cr_assert_eq(memcmp(v.items[0], "a\0b", 4), 0);
    cr_assert_eq(v.lens[1], sizeof big);
    cr_assert_eq(v.items[1][sizeof big], '\0');
    cr_assert_str_eq(v.items[2], "small");
    /* Appending an item of the vector to itself is allowed. */
    cr_assert_eq(bt_strvec_append(&v, v.items[1], v.lens[1]), 0);
    cr_assert_eq(memcmp(v.items[3], big, sizeof big), 0);
    bt_strvec_fini(&v);
}

Test(strvec, sort_is_code_point_order)
{
    /* sorted(['b', 'a', 'ab', '', 'é', 'z', 'B', 'a\x00']) in CPython: */
    const char *in[] = {"b", "a", "ab", "", "\xc3\xa9", "z", "B"};
    const char *want[] = {"", "B", "a", "a\0", "ab", "b", "z", "\xc3\xa9"};
    size_t wantlen[] = {0, 1, 1, 2, 2, 1, 1, 2};
    bt_strvec v = BT_STRVEC_INIT;
    for (size_t i = 0; i < 7; i++)
        bt_strvec_append_str(&v, in[i]);
    bt_strvec_append(&v, "a\0", 2);
    cr_assert_eq(bt_strvec_sort(&v), 0);
    for (size_t i = 0; i < 8; i++) {
        cr_assert_eq(v.lens[i], wantlen[i], "item %zu", i);
        cr_assert_eq(memcmp(v.items[i], want[i], wantlen[i]), 0, "item %zu", i);
    }
    bt_strvec_fini(&v);
}

Test(strvec, join_and_clear)
{
    bt_strvec v = BT_STRVEC_INIT;
    bt_buf out = BT_BUF_INIT;
    cr_assert_eq(bt_strvec_join(&v, ",", 1, &out), 0);
    cr_assert_eq(out.len, 0, "','.join([]) == ''");
    bt_strvec_append_str(&v, "usr");
    cr_assert_eq(bt_strvec_join(&v, "/", 1, &out), 0);
    cr_assert_str_eq(out.data, "usr");
    bt_strvec_append_str(&v, "local");
    bt_strvec_append_str(&v, "");
    bt_buf_clear(&out);
    cr_assert_eq(bt_strvec_join(&v, " / ", 3, &out), 0);
    cr_assert_str_eq(out.data, "usr / local / ");
    bt_strvec_clear(&v);
    cr_assert_eq(v.count, 0);
    cr_assert_null(v.items[0]);
    bt_strvec_append_str(&v, "fresh");
    cr_assert_str_eq(v.items[0], "fresh");
    bt_buf_fini(&out);
    bt_strvec_fini(&v);
}
