/* The compiled Struct object and the C-only parts of the API. */
#include <criterion/criterion.h>
#include <string.h>

#include <batteries/struct.h>

#include "bt_test.h"

Test(struct_api, compiled_attributes)
{
    bt_struct *s;
    cr_assert_eq(bt_struct_new("!IHq", &s, NULL), 0);
    cr_assert_str_eq(bt_struct_format(s), "!IHq");
    cr_assert_eq(bt_struct_size(s), 14);
    cr_assert_eq(bt_struct_count(s), 3);
    bt_struct_free(s);
    bt_struct_free(NULL);
    cr_assert_eq(bt_struct_new("3s2p4x?", &s, NULL), 0);
    cr_assert_eq(bt_struct_count(s), 3, "s and p are one item each, x none");
    bt_struct_free(s);
}

Test(struct_api, notes_round_trip)
{
    /* data = struct.pack('hh', 1, 2); struct.unpack('hh', data) == (1, 2) */
    bt_struct_item in[] = {bt_struct_int(1), bt_struct_int(2)}, out[2];
    unsigned char data[4];
    cr_assert_eq(bt_struct_pack_fmt("hh", in, 2, data, sizeof data, NULL), 4);
    cr_assert_eq(bt_struct_unpack_fmt("hh", data, 4, out, 2, NULL), 2);
    cr_assert_eq(out[0].kind, BT_STRUCT_INT);
    cr_assert_eq(out[0].v.i, 1);
    cr_assert_eq(out[1].v.i, 2);
}

Test(struct_api, bad_format_reports_position)
{
    bt_struct *s = NULL;
    bt_err err = BT_ERR_INIT;
    cr_assert_eq(bt_struct_new("<hhz", &s, &err), BT_ESTRUCT);
    cr_assert_null(s);
    cr_assert_str_eq(err.msg, "bad char in struct format");
    cr_assert_eq(err.pos, 3);
}

Test(struct_api, small_output_and_item_arrays)
{
    bt_struct_item in[] = {bt_struct_int(1)}, out[1];
    unsigned char buf[8];
    bt_err err = BT_ERR_INIT;
    cr_assert_eq(bt_struct_pack_fmt("q", in, 1, buf, 4, &err), BT_ESTRUCT);
    cr_assert_str_eq(err.msg, "pack requires a buffer of at least 8 bytes (actual buffer size is 4)");
    cr_assert_eq(bt_struct_unpack_fmt("2h", buf, 4, out, 1, &err), BT_EVALUE);
    cr_assert_str_eq(err.msg, "unpack needs room for 2 items (got 1)");
}

Test(struct_api, zero_length_pascal_string)
{
    /* CPython 3.11 fails unpack('0p') with a SystemError; we give b''. */
    bt_struct_item out[1], in[] = {bt_struct_bytes("ab", 2)};
    unsigned char buf[1] = {0x55};
    cr_assert_eq(bt_struct_unpack_fmt("0p", buf, 0, out, 1, NULL), 1);
    cr_assert_eq(out[0].v.bytes.len, 0);
    cr_assert_eq(bt_struct_pack_fmt("0p", in, 1, buf, 0, NULL), 0);
    cr_assert_eq(buf[0], 0x55, "nothing written outside the record");
}

Test(struct_api, long_formats_leave_the_stack)
{
    char fmt[200] = "<";
    bt_struct_item in[60], out[60];
    for (int i = 0; i < 60; i++) {
        strcat(fmt, i % 2 ? "h" : "b ");
        in[i] = bt_struct_int(i - 30);
    }
    unsigned char buf[90];
    cr_assert_eq(bt_struct_pack_fmt(fmt, in, 60, buf, sizeof buf, NULL), 90);
    cr_assert_eq(bt_struct_unpack_fmt(fmt, buf, 90, out, 60, NULL), 60);
    for (int i = 0; i < 60; i++)
        cr_assert_eq(out[i].v.i, i - 30);
}

static int scenario(void *arg)
{
    (void)arg;
    bt_struct *s = NULL;
    int rc = bt_struct_new("!IHq 3s", &s, NULL);
    if (rc < 0)
        return rc;
    bt_struct_free(s);
    char fmt[200] = "<";
    for (int i = 0; i < 40; i++)
        strcat(fmt, "bh");
    ptrdiff_t n = bt_struct_calcsize(fmt, NULL);
    bt_struct_item out[80];
    unsigned char buf[120] = {0};
    ptrdiff_t got = bt_struct_unpack_fmt(fmt, buf, (size_t)n, out, 80, NULL);
    return got < 0 ? (int)got : 0;
}

Test(allocfail, struct)
{
    cr_assert_geq(bt_test_allocfail(scenario, NULL), 4);
}
