/*
 * sendfile.c — socket.sendfile over sendfile(2). sendfile has no
 * MSG_NOSIGNAL, so the calling thread blocks SIGPIPE around the call and
 * swallows a SIGPIPE the call raised (the standard trick; the process's
 * dispositions and other threads are never touched).
 */
#include <poll.h>
#include <signal.h>
#include <sys/sendfile.h>
#include <time.h>
#include <unistd.h>

#include "sigpipe.h"
#include "socket_int.h"

/* socket._sendfile_use_send: read + sendall, for what sendfile(2) refuses
 * (pipes and other non-mmap-able files). */
static ptrdiff_t sendfile_use_send(bt_socket *s, int fd, off_t offset,
                                   size_t count, bt_err *err)
{
    char buf[16384];
    size_t total = 0;
    for (;;) {
        size_t want = sizeof buf;
        if (count) {
            if (total >= count)
                break;
            if (count - total < want)
                want = count - total;
        }
        ssize_t r = pread(fd, buf, want, offset + (off_t)total);
        if (r < 0 && errno == ESPIPE)
            r = read(fd, buf, want);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            return bt__socket_oserror(err, -errno);
        }
        if (r == 0)
            break;
        int rc = bt_socket_sendall(s, buf, (size_t)r, 0, err);
        if (rc < 0)
            return rc;
        total += (size_t)r;
    }
    return (ptrdiff_t)total;
}

ptrdiff_t bt_socket_sendfile(bt_socket *s, int fd, off_t offset, size_t count,
                             bt_err *err)
{
    if (s->timeout == 0)
        return bt_err_setf(err, BT_EVALUE, -1,
                           "non-blocking sockets are not supported");
    double deadline = s->timeout > 0 ? bt__socket_now() + s->timeout : -1.0;
    size_t total = 0;
    off_t pos = offset;
    int rc = 0;
    bt__sigpipe_guard guard;
    bt__sigpipe_block(&guard);
    for (;;) {
        size_t chunk = 1u << 30;
        if (count) {
            if (total >= count)
                break;
            if (count - total < chunk)
                chunk = count - total;
        }
        ssize_t r = sendfile(s->fd, fd, &pos, chunk);
        if (r > 0) {
            total += (size_t)r;
            continue;
        }
        if (r == 0)
            break; /* end of file */
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN && s->timeout > 0) {
            rc = bt__socket_wait(s->fd, POLLOUT, deadline, err);
            if (rc < 0)
                break;
            continue;
        }
        if (total == 0 &&
            (errno == EINVAL || errno == ENOSYS || errno == ESPIPE)) {
            bt__sigpipe_restore(&guard);
            ptrdiff_t r2 = sendfile_use_send(s, fd, offset, count, err);
            if (r2 > 0)
                lseek(fd, offset + (off_t)r2, SEEK_SET);
            return r2;
        }
        guard.raised = errno == EPIPE;
        rc = bt__socket_oserror(err, -errno);
        break;
    }
    bt__sigpipe_restore(&guard);
    /* Python seeks the file past what was sent. */
    if (total > 0 || rc == 0)
        lseek(fd, offset + (off_t)total, SEEK_SET);
    return rc < 0 ? rc : (ptrdiff_t)total;
}
