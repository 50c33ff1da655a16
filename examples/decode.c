/*
 * decode — bytes.decode('utf-8') in C: which byte strings are text, how
 * many characters they hold, and Python's exact complaint about the rest.
 *
 *   >>> b'caf\xc3\xa9'.decode()          -> 'café' (4 characters)
 *   >>> b'caf\xe9'.decode()              -> UnicodeDecodeError: 'utf-8' codec
 *        can't decode byte 0xe9 in position 3: invalid continuation byte...
 */
#include <stdio.h>
#include <string.h>

#include <batteries/core.h>

static void try_decode(const char *data, size_t n)
{
    bt_buf shown = BT_BUF_INIT;
    bt_err err = BT_ERR_INIT;
    if (bt_repr_bytes(&shown, data, n) < 0)
        return;
    printf("%s.decode() -> ", shown.data);
    if (bt_utf8_validate(data, n, &err) == 0) {
        bt_buf_clear(&shown);
        if (bt_repr_str(&shown, data, n) == 0)
            printf("%s (%td characters)\n", shown.data, bt_utf8_count(data, n));
    } else {
        printf("%s: %s\n", bt_errname(err.code), err.msg);
    }
    bt_buf_fini(&shown);
}

int main(void)
{
    static const struct {
        const char *data;
        size_t n;
    } samples[] = {
        {"caf\xc3\xa9", 5},
        {"caf\xe9", 4},
        {"\xe6\x97\xa5\xe6\x9c\xac", 6},
        {"\xf0\x9f\x98\x80 ok", 7},
        {"cut \xe2\x82", 6},
        {"\xed\xa0\x80 surrogate", 13},
    };
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++)
        try_decode(samples[i].data, samples[i].n);
    return 0;
}
