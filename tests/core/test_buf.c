/* bt_buf: Python's bytearray used for building output. */
#include <criterion/criterion.h>
#include <string.h>

#include "bt_test.h"

Test(buf, starts_empty_without_allocating)
{
    bt_buf b;
    bt_buf_init(&b);
    cr_assert_null(b.data);
    cr_assert_eq(b.len, 0);
    bt_buf_fini(&b);
    bt_buf_fini(NULL);
}

Test(buf, append_keeps_nul_and_binary)
{
    bt_buf b = BT_BUF_INIT;
    cr_assert_eq(bt_buf_append(&b, "ab\0cd", 5), 0);
    cr_assert_eq(b.len, 5);
    cr_assert_eq(memcmp(b.data, "ab\0cd", 6), 0, "trailing NUL after the data");
    cr_assert_eq(bt_buf_append_str(&b, "ef"), 0);
    cr_assert_eq(bt_buf_append_byte(&b, 0xff), 0);
    cr_assert_eq(b.len, 8);
    cr_assert_eq((unsigned char)b.data[7], 0xff);
    cr_assert_eq(b.data[8], '\0');
    bt_buf_fini(&b);
}

Test(buf, append_from_itself_while_growing)
{
    bt_buf b = BT_BUF_INIT;
    cr_assert_eq(bt_buf_append_str(&b, "xy"), 0);
    for (int i = 0; i < 12; i++)
        cr_assert_eq(bt_buf_append(&b, b.data, b.len), 0);
    cr_assert_eq(b.len, 2u << 12);
    for (size_t i = 0; i < b.len; i++)
        cr_assert_eq(b.data[i], i % 2 ? 'y' : 'x');
    bt_buf_fini(&b);
}

Test(buf, printf_grows)
{
    bt_buf b = BT_BUF_INIT;
    cr_assert_eq(bt_buf_printf(&b, "%s=%d", "n", 42), 0);
    cr_assert_str_eq(b.data, "n=42");
    char big[1000];
    memset(big, 'z', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    cr_assert_eq(bt_buf_printf(&b, "[%s]", big), 0);
    cr_assert_eq(b.len, 4 + 2 + 999);
    cr_assert_eq(b.data[b.len - 1], ']');
    cr_assert_eq(b.data[b.len], '\0');
    bt_buf_fini(&b);
}

Test(buf, reserve_clear_take)
{
    bt_buf b = BT_BUF_INIT;
    cr_assert_eq(bt_buf_reserve(&b, 100), 0);
    cr_assert_geq(b.cap, 101);
    cr_assert_str_eq(b.data, "", "a reserved buffer is an empty C string");
    char *before = b.data;
    for (int i = 0; i < 100; i++)
        bt_buf_append_byte(&b, 'a');
    cr_assert_eq(b.data, before, "no reallocation within the reserve");
    cr_assert_eq(bt_buf_reserve(&b, SIZE_MAX), BT_ENOMEM);
    cr_assert_eq(b.len, 100, "failed reserve leaves the buffer unchanged");
    bt_buf_clear(&b);
    cr_assert_eq(b.len, 0);
    cr_assert_str_eq(b.data, "");
    bt_buf_append_str(&b, "kept");
    size_t len = 0;
    char *s = bt_buf_take(&b, &len);
    cr_assert_str_eq(s, "kept");
    cr_assert_eq(len, 4);
    cr_assert_null(b.data);
    cr_assert_eq(b.len, 0);
    bt_free(s);
    s = bt_buf_take(&b, &len);
    cr_assert_str_eq(s, "");
    cr_assert_eq(len, 0);
    bt_free(s);
}
