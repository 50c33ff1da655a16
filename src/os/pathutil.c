/* pathutil.c — the bits of os.path the os module itself needs (join and
 * split, as posixpath has them) and the shared error helpers. */
#include <stdio.h>
#include <string.h>

#include "os_int.h"

int bt__os_nomem(bt_err *err)
{
    return bt_err_setf(err, BT_ENOMEM, -1, "%s", "");
}

int bt__os_fail_fd(bt_err *err, int code, int fd)
{
    return bt_err_setf(err, code, -1, "[Errno %d] %s: %d", -code,
                       bt_strerror(code), fd);
}

int bt__os_join(bt_buf *out, const char *a, size_t alen, const char *b,
                size_t blen)
{
    size_t start = out->len;
    int rc = 0;
    if (blen && b[0] == '/')
        alen = 0; /* an absolute name throws the head away */
    if (alen) {
        rc = bt_buf_append(out, a, alen);
        if (rc == 0 && a[alen - 1] != '/')
            rc = bt_buf_append_byte(out, '/');
    }
    if (rc == 0)
        rc = bt_buf_append(out, b, blen);
    if (rc == 0)
        rc = bt_buf_reserve(out, 0); /* NUL-terminated even when empty */
    if (rc < 0) {
        out->len = start;
        if (out->data)
            out->data[start] = '\0';
    }
    return rc;
}

void bt__os_split(const char *p, size_t n, size_t *head_len, size_t *tail_off)
{
    size_t i = n;
    while (i > 0 && p[i - 1] != '/')
        i--;
    *tail_off = i;
    size_t h = i;
    while (h > 0 && p[h - 1] == '/')
        h--;
    *head_len = h ? h : i; /* a head of only slashes keeps them */
}
