/*
 * file.c — socket.makefile(): a BufferedRWPair-like object over a socket,
 * binary only. Reads fill a buffer with recv; writes collect in a buffer
 * sent with sendall when it fills or on flush.
 */
#include <string.h>

#include "socket_int.h"

struct bt_socket_file {
    bt_socket *sock;
    bool readable;
    bool writable;
    size_t bufsize; /* the write buffer's size; 0: unbuffered writes */
    char *rbuf;
    size_t rcap;
    size_t rpos; /* next unread byte */
    size_t rlen; /* end of buffered data */
    bt_buf wbuf;
};

enum { DEFAULT_BUFFER_SIZE = 8192 };

int bt_socket_makefile(bt_socket_file **out, bt_socket *s, const char *mode,
                       ptrdiff_t buffering, bt_err *err)
{
    bool r = false, w = false;
    for (const char *c = mode; *c; c++) {
        if (*c == 'r')
            r = true;
        else if (*c == 'w')
            w = true;
        else if (*c != 'b')
            return bt_err_setf(err, BT_EVALUE, -1,
                               "invalid mode '%s' (only r, w, b allowed)",
                               mode);
    }
    if (!r && !w)
        r = true; /* Python's default mode is "r" */
    bt_socket_file *f = bt_calloc(1, sizeof *f);
    if (!f)
        return bt_err_setf(err, BT_ENOMEM, -1, "out of memory");
    f->sock = s;
    f->readable = r;
    f->writable = w;
    f->bufsize = buffering < 0 ? DEFAULT_BUFFER_SIZE : (size_t)buffering;
    f->rcap = f->bufsize ? f->bufsize : DEFAULT_BUFFER_SIZE;
    if (r) {
        f->rbuf = bt_malloc(f->rcap);
        if (!f->rbuf) {
            bt_free(f);
            return bt_err_setf(err, BT_ENOMEM, -1, "out of memory");
        }
    }
    *out = f;
    return 0;
}

static int not_readable(bt_err *err)
{
    return bt_err_setf(err, BT_EVALUE, -1, "File not open for reading");
}

/* Refills the read buffer; returns the bytes added (0 at end of stream). */
static ptrdiff_t fill(bt_socket_file *f, bt_err *err)
{
    if (f->rpos == f->rlen)
        f->rpos = f->rlen = 0;
    else if (f->rlen == f->rcap) {
        memmove(f->rbuf, f->rbuf + f->rpos, f->rlen - f->rpos);
        f->rlen -= f->rpos;
        f->rpos = 0;
    }
    ptrdiff_t r = bt_socket_recv_into(f->sock, f->rbuf + f->rlen,
                                      f->rcap - f->rlen, 0, err);
    if (r > 0)
        f->rlen += (size_t)r;
    return r;
}

ptrdiff_t bt_socket_file_readline(bt_socket_file *f, bt_buf *out,
                                  ptrdiff_t limit, bt_err *err)
{
    if (!f->readable)
        return not_readable(err);
    size_t got = 0;
    size_t max = limit < 0 ? (size_t)-1 : (size_t)limit;
    while (got < max) {
        if (f->rpos == f->rlen) {
            ptrdiff_t r = fill(f, err);
            if (r < 0)
                return r;
            if (r == 0)
                break;
        }
        size_t avail = f->rlen - f->rpos;
        if (avail > max - got)
            avail = max - got;
        const char *p = f->rbuf + f->rpos;
        const char *nl = memchr(p, '\n', avail);
        size_t take = nl ? (size_t)(nl - p) + 1 : avail;
        if (bt_buf_append(out, p, take) < 0)
            return bt_err_setf(err, BT_ENOMEM, -1, "out of memory");
        f->rpos += take;
        got += take;
        if (nl)
            break;
    }
    return (ptrdiff_t)got;
}

ptrdiff_t bt_socket_file_read(bt_socket_file *f, bt_buf *out, ptrdiff_t n,
                              bt_err *err)
{
    if (!f->readable)
        return not_readable(err);
    size_t want = n < 0 ? (size_t)-1 : (size_t)n;
    size_t got = 0;
    /* First what is buffered. */
    size_t take = f->rlen - f->rpos;
    if (take > want)
        take = want;
    if (take && bt_buf_append(out, f->rbuf + f->rpos, take) < 0)
        return bt_err_setf(err, BT_ENOMEM, -1, "out of memory");
    f->rpos += take;
    got += take;
    /* Then straight from the socket into out, without the copy. */
    while (got < want) {
        size_t chunk = want - got;
        if (chunk > 65536)
            chunk = 65536;
        if (chunk < f->rcap && n >= 0)
            chunk = want - got;
        ptrdiff_t r = bt_socket_recv(f->sock, out, chunk, 0, err);
        if (r < 0)
            return r;
        if (r == 0)
            break;
        got += (size_t)r;
    }
    return (ptrdiff_t)got;
}

int bt_socket_file_flush(bt_socket_file *f, bt_err *err)
{
    if (!f->writable || f->wbuf.len == 0)
        return 0;
    int rc = bt_socket_sendall(f->sock, f->wbuf.data, f->wbuf.len, 0, err);
    if (rc < 0) {
        /* Keep what was not sent, as BufferedWriter does. */
        size_t sent = err && err->pos > 0 ? (size_t)err->pos : 0;
        if (sent > f->wbuf.len)
            sent = f->wbuf.len;
        memmove(f->wbuf.data, f->wbuf.data + sent, f->wbuf.len - sent);
        f->wbuf.len -= sent;
        f->wbuf.data[f->wbuf.len] = '\0';
        return rc;
    }
    bt_buf_clear(&f->wbuf);
    return 0;
}

ptrdiff_t bt_socket_file_write(bt_socket_file *f, const void *data, size_t n,
                               bt_err *err)
{
    if (!f->writable)
        return bt_err_setf(err, BT_EVALUE, -1, "File not open for writing");
    if (f->bufsize == 0 || n >= f->bufsize) {
        int rc = bt_socket_file_flush(f, err);
        if (rc < 0)
            return rc;
        rc = bt_socket_sendall(f->sock, data, n, 0, err);
        return rc < 0 ? rc : (ptrdiff_t)n;
    }
    if (f->wbuf.len + n > f->bufsize) {
        int rc = bt_socket_file_flush(f, err);
        if (rc < 0)
            return rc;
    }
    if (bt_buf_append(&f->wbuf, data, n) < 0)
        return bt_err_setf(err, BT_ENOMEM, -1, "out of memory");
    return (ptrdiff_t)n;
}

int bt_socket_file_close(bt_socket_file *f, bt_err *err)
{
    if (!f)
        return 0;
    int rc = bt_socket_file_flush(f, err);
    bt_buf_fini(&f->wbuf);
    bt_free(f->rbuf);
    bt_free(f);
    return rc;
}
