/*
 * fd.c — os.open and the descriptor calls. Every descriptor made here is
 * close-on-exec (PEP 446) except dup2's default, which is inheritable as in
 * Python; calls a signal can interrupt are retried (PEP 475).
 */
#include <limits.h>
#include <unistd.h>

#include "os_int.h"

int bt_os_open_at(int dir_fd, const char *path, int flags, unsigned mode,
                  bt_err *err)
{
    int fd;
    BT__RETRY(fd, openat(bt__os_dirfd(dir_fd), path, flags | O_CLOEXEC,
                            (mode_t)mode));
    return fd < 0 ? bt__os_fail(err, path, NULL) : fd;
}

int bt_os_open(const char *path, int flags, unsigned mode, bt_err *err)
{
    return bt_os_open_at(-1, path, flags, mode, err);
}

int bt_os_close(int fd, bt_err *err)
{
    if (close(fd) < 0 && errno != EINTR)
        return bt__os_fail(err, NULL, NULL);
    return 0;
}

int bt_os_dup(int fd, bt_err *err)
{
    int r = fcntl(fd, F_DUPFD_CLOEXEC, 0);
    return r < 0 ? bt__os_fail(err, NULL, NULL) : r;
}

int bt_os_dup2(int fd, int fd2, bool inheritable, bt_err *err)
{
    int r;
    if (inheritable)
        BT__RETRY(r, dup2(fd, fd2));
    else
        BT__RETRY(r, dup3(fd, fd2, O_CLOEXEC));
    return r < 0 ? bt__os_fail(err, NULL, NULL) : r;
}

int bt_os_pipe(int fds[2], bt_err *err)
{
    return pipe2(fds, O_CLOEXEC) < 0 ? bt__os_fail(err, NULL, NULL) : 0;
}

ptrdiff_t bt_os_read(int fd, void *buf, size_t n, bt_err *err)
{
    if (n > SSIZE_MAX)
        n = SSIZE_MAX;
    ssize_t r;
    BT__RETRY(r, read(fd, buf, n));
    return r < 0 ? bt__os_fail(err, NULL, NULL) : (ptrdiff_t)r;
}

ptrdiff_t bt_os_write(int fd, const void *buf, size_t n, bt_err *err)
{
    if (n > SSIZE_MAX)
        n = SSIZE_MAX;
    ssize_t r;
    BT__RETRY(r, write(fd, buf, n));
    return r < 0 ? bt__os_fail(err, NULL, NULL) : (ptrdiff_t)r;
}

int bt_os_fsync(int fd, bt_err *err)
{
    int r;
    BT__RETRY(r, fsync(fd));
    return r < 0 ? bt__os_fail(err, NULL, NULL) : 0;
}

int64_t bt_os_lseek(int fd, int64_t pos, int how, bt_err *err)
{
    off_t r = lseek(fd, (off_t)pos, how);
    return r < 0 ? bt__os_fail(err, NULL, NULL) : (int64_t)r;
}

int bt_os_get_inheritable(int fd, bt_err *err)
{
    int flags = fcntl(fd, F_GETFD);
    if (flags < 0)
        return bt__os_fail(err, NULL, NULL);
    return !(flags & FD_CLOEXEC);
}

int bt_os_set_inheritable(int fd, bool inheritable, bt_err *err)
{
    int flags = fcntl(fd, F_GETFD);
    if (flags < 0)
        return bt__os_fail(err, NULL, NULL);
    int want = inheritable ? flags & ~FD_CLOEXEC : flags | FD_CLOEXEC;
    if (want != flags && fcntl(fd, F_SETFD, want) < 0)
        return bt__os_fail(err, NULL, NULL);
    return 0;
}
