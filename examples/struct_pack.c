/*
 * struct_pack — the notes' round trip:
 *
 *   data = struct.pack('hh', 1, 2);  print(data)   # b'\x01\x00\x02\x00'
 *   data = struct.unpack('hh', data); print(data)  # (1, 2)
 *
 * (The notes write 'hh1', which Python itself rejects: "repeat count given
 * without format specifier" — shown at the end.)
 */
#include <stdio.h>

#include <batteries/struct.h>

int main(void)
{
    bt_err err = BT_ERR_INIT;
    bt_struct_item values[] = {bt_struct_int(1), bt_struct_int(2)};
    unsigned char data[4];
    bt_buf shown = BT_BUF_INIT;

    ptrdiff_t n = bt_struct_pack_fmt("hh", values, 2, data, sizeof data, &err);
    if (n < 0 || bt_repr_bytes(&shown, data, (size_t)n) < 0) {
        fprintf(stderr, "%s: %s\n", bt_errname(err.code), err.msg);
        return 1;
    }
    printf("struct.pack('hh', 1, 2) = %s\n", shown.data);

    bt_struct_item out[2];
    n = bt_struct_unpack_fmt("hh", data, sizeof data, out, 2, &err);
    if (n != 2) {
        fprintf(stderr, "%s: %s\n", bt_errname(err.code), err.msg);
        return 1;
    }
    printf("struct.unpack('hh', data) = (%lld, %lld)\n", (long long)out[0].v.i,
           (long long)out[1].v.i);

    if (bt_struct_calcsize("hh1", &err) < 0)
        printf("struct.calcsize('hh1') -> %s: %s\n", bt_errname(err.code), err.msg);
    bt_buf_fini(&shown);
    return 0;
}
