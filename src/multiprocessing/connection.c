/* connection.c — Pipe(): connection ends over Unix stream sockets, with
 * Python's message framing. */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "mp_int.h"

struct bt_mp_connection {
    int fd;
    bool readable, writable;
};

/* ---- framing ---- */

static int send_all(int fd, struct iovec *iov, int niov)
{
    while (niov > 0) {
        struct msghdr m = {.msg_iov = iov, .msg_iovlen = (size_t)niov};
        ssize_t k = sendmsg(fd, &m, MSG_NOSIGNAL);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            return -errno;
        }
        while (niov > 0 && (size_t)k >= iov->iov_len) {
            k -= (ssize_t)iov->iov_len;
            iov++;
            niov--;
        }
        if (niov > 0) {
            iov->iov_base = (char *)iov->iov_base + k;
            iov->iov_len -= (size_t)k;
        }
    }
    return 0;
}

int bt__mp_send_msg(int fd, const void *data, size_t n)
{
    unsigned char hdr[12];
    size_t hlen;
    if (n > 0x7fffffff) {
        memset(hdr, 0xff, 4);
        for (int i = 0; i < 8; i++)
            hdr[4 + i] = (unsigned char)((uint64_t)n >> (56 - 8 * i));
        hlen = 12;
    } else {
        for (int i = 0; i < 4; i++)
            hdr[i] = (unsigned char)(n >> (24 - 8 * i));
        hlen = 4;
    }
    /* One call for header and body: a small message is one write. */
    struct iovec iov[2] = {{hdr, hlen}, {(void *)data, n}};
    return send_all(fd, iov, n ? 2 : 1);
}

/* Reads exactly n bytes. 1 done, 0 end of file before the first byte,
 * BT_EIO end of file after some, -errno. */
static int recv_all(int fd, void *buf, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t k = recv(fd, (char *)buf + got, n - got, 0);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            return -errno;
        }
        if (k == 0)
            return got ? BT_EIO : 0;
        got += (size_t)k;
    }
    return 1;
}

ptrdiff_t bt__mp_recv_msg(int fd, bt_buf *out, size_t maxlength, bt_err *err)
{
    unsigned char hdr[8];
    int rc = recv_all(fd, hdr, 4);
    if (rc == 0)
        return bt_err_setf(err, BT_EEOF, -1, "%s", "");
    uint64_t size = 0;
    if (rc > 0) {
        for (int i = 0; i < 4; i++)
            size = size << 8 | hdr[i];
        if (size == 0xffffffff) {
            rc = recv_all(fd, hdr, 8);
            size = 0;
            for (int i = 0; rc > 0 && i < 8; i++)
                size = size << 8 | hdr[i];
            if (rc == 0)
                rc = BT_EIO;
        } else if (size > 0x7fffffff) {
            /* A negative length other than -1: not a Python frame. */
            return bt_err_setf(err, BT_EMSGSIZE, -1, "bad message length");
        }
    }
    if (rc == BT_EIO)
        return bt_err_setf(err, BT_EIO, -1, "got end of file during message");
    if (rc < 0)
        return bt_err_oserror(err, rc, NULL, NULL);
    if ((maxlength && size > maxlength) || size > PTRDIFF_MAX - 1)
        return bt_err_setf(err, BT_EMSGSIZE, -1, "bad message length");
    bt_buf_clear(out);
    if (bt_buf_reserve(out, (size_t)size) < 0)
        return bt_err_setf(err, BT_ENOMEM, -1, "%s", "");
    rc = recv_all(fd, out->data, (size_t)size);
    if (rc == 0 && size)
        rc = BT_EIO;
    if (rc == BT_EIO)
        return bt_err_setf(err, BT_EIO, -1, "got end of file during message");
    if (rc < 0)
        return bt_err_oserror(err, rc, NULL, NULL);
    out->len = (size_t)size;
    out->data[size] = 0;
    return (ptrdiff_t)size;
}

int bt__mp_poll_in(int fd, const bt__deadline *d)
{
    for (;;) {
        struct pollfd p = {fd, POLLIN, 0};
        struct timespec left = {0, 0}, *t = NULL;
        if (!d->forever) {
            struct timespec now;
            clock_gettime(CLOCK_MONOTONIC, &now);
            int64_t ns = (int64_t)(d->at.tv_sec - now.tv_sec) * 1000000000 +
                         (d->at.tv_nsec - now.tv_nsec);
            if (ns > 0) {
                left.tv_sec = (time_t)(ns / 1000000000);
                left.tv_nsec = (long)(ns % 1000000000);
            }
            t = &left;
        }
        int rc = ppoll(&p, 1, t, NULL);
        if (rc >= 0)
            return rc > 0;
        if (errno != EINTR)
            return -errno;
    }
}

/* ---- Pipe ---- */

int bt_mp_pipe(bt_mp_connection **a, bt_mp_connection **b, bool duplex)
{
    *a = *b = NULL;
    int fds[2];
    /* A socket pair for both kinds (Python uses os.pipe() when not duplex):
     * MSG_NOSIGNAL makes a write to a closed peer EPIPE, never SIGPIPE,
     * without touching the process's signal mask or dispositions. */
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) < 0)
        return -errno;
    bt_mp_connection *x = bt_malloc(sizeof *x), *y = bt_malloc(sizeof *y);
    if (!x || !y) {
        bt_free(x);
        bt_free(y);
        close(fds[0]);
        close(fds[1]);
        return BT_ENOMEM;
    }
    *x = (bt_mp_connection){fds[0], true, duplex};
    *y = (bt_mp_connection){fds[1], duplex, true};
    if (!duplex) {
        shutdown(fds[0], SHUT_WR);
        shutdown(fds[1], SHUT_RD);
    }
    *a = x;
    *b = y;
    return 0;
}

void bt_mp_connection_close(bt_mp_connection *c)
{
    if (c->fd >= 0) {
        close(c->fd); /* Linux releases the fd even on EINTR: no retry */
        c->fd = -1;
    }
}

void bt_mp_connection_free(bt_mp_connection *c)
{
    if (!c)
        return;
    bt_mp_connection_close(c);
    bt_free(c);
}

int bt_mp_connection_fileno(const bt_mp_connection *c)
{
    return c->fd;
}

static int check(bt_mp_connection *c, bool reading, bt_err *err)
{
    if (c->fd < 0)
        return bt_err_setf(err, BT_EBADF, -1, "handle is closed");
    if (reading && !c->readable)
        return bt_err_setf(err, BT_EBADF, -1, "connection is write-only");
    if (!reading && !c->writable)
        return bt_err_setf(err, BT_EBADF, -1, "connection is read-only");
    return 0;
}

int bt_mp_connection_send_bytes(bt_mp_connection *c, const void *data, size_t n,
                                bt_err *err)
{
    int rc = check(c, false, err);
    if (rc < 0)
        return rc;
    rc = bt__mp_send_msg(c->fd, data, n);
    return rc < 0 ? bt_err_oserror(err, rc, NULL, NULL) : 0;
}

ptrdiff_t bt_mp_connection_recv_bytes(bt_mp_connection *c, bt_buf *out,
                                      size_t maxlength, bt_err *err)
{
    int rc = check(c, true, err);
    if (rc < 0)
        return rc;
    ptrdiff_t n = bt__mp_recv_msg(c->fd, out, maxlength, err);
    if (n == BT_EMSGSIZE) {
        /* The rest of the message is still in the stream: as Python's
         * _bad_message_length, stop reading (or close a read-only end). */
        if (c->writable)
            c->readable = false;
        else
            bt_mp_connection_close(c);
    }
    return n;
}

int bt_mp_connection_poll(bt_mp_connection *c, double timeout, bt_err *err)
{
    int rc = check(c, true, err);
    if (rc < 0)
        return rc;
    rc = bt__threading_check_timeout(timeout, err);
    if (rc < 0)
        return rc;
    bt__deadline d;
    bt__threading_deadline(&d, timeout);
    rc = bt__mp_poll_in(c->fd, &d);
    return rc < 0 ? bt_err_oserror(err, rc, NULL, NULL) : rc;
}
