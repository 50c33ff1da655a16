/* copy.c — shutil's file copies: copyfileobj, copyfile, copymode, copystat,
 * copy and copy2, as CPython 3.11 does them on Linux. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <batteries/path.h>

#include "shutil_int.h"

int bt__shutil_join(bt_buf *out, const char *a, const char *b)
{
    const char *parts[2] = {a, b};
    bt_buf_clear(out);
    return bt_path_join(parts, 2, out);
}

bool bt__shutil_samefile(const char *a, const char *b)
{
    return bt_path_samefile(a, b, NULL) == 1;
}

static int write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t k = write(fd, p, n);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            return -errno;
        }
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

int bt_shutil_copyfileobj(int src_fd, int dst_fd, size_t length)
{
    char stack[64 * 1024];
    size_t cap = length ? length : sizeof stack;
    char *buf = cap <= sizeof stack ? stack : bt_malloc(cap);
    if (!buf)
        return BT_ENOMEM;
    int rc = 0;
    for (;;) {
        ssize_t k = read(src_fd, buf, cap);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            rc = k < 0 ? -errno : 0;
            break;
        }
        if ((rc = write_all(dst_fd, buf, (size_t)k)) < 0)
            break;
    }
    if (buf != stack)
        bt_free(buf);
    return rc;
}

/* The kernel copies: copy_file_range, then sendfile; 1 when neither
 * applies (the caller falls back to read/write), 0 done, or -errno. */
static int kernel_copy(int in, int out)
{
    bool cfr = true;
    for (;;) {
        ssize_t k = cfr ? copy_file_range(in, NULL, out, NULL, 1 << 30, 0)
                        : sendfile(out, in, NULL, 1 << 30);
        if (k > 0)
            continue;
        if (k == 0)
            return 0;
        if (errno == EINTR)
            continue;
        bool unsupported = errno == EXDEV || errno == ENOSYS || errno == EINVAL ||
                           errno == EOPNOTSUPP || errno == ENOTSUP;
        if (!unsupported)
            return -errno;
        if (!cfr)
            return 1;
        cfr = false; /* nothing copied yet by a failing first call */
    }
}

static int symlink_copy(const char *src, const char *dst, bt_err *err)
{
    char target[4096];
    ssize_t n = readlink(src, target, sizeof target - 1);
    if (n < 0)
        return bt_err_oserror(err, -errno, src, NULL);
    target[n] = '\0';
    if (symlink(target, dst) < 0)
        return bt_err_oserror(err, -errno, target, dst);
    return 0;
}

int bt_shutil_copyfile(const char *src, const char *dst, bool follow_symlinks, bt_err *err)
{
    if (bt__shutil_samefile(src, dst)) {
        bt_buf a = BT_BUF_INIT, b = BT_BUF_INIT;
        int rc = bt_repr_str(&a, src, strlen(src));
        rc = rc ? rc : bt_repr_str(&b, dst, strlen(dst));
        if (rc == 0)
            bt_err_setf(err, BT_ESHUTIL, -1, "%s and %s are the same file", a.data, b.data);
        bt_buf_fini(&a);
        bt_buf_fini(&b);
        return rc ? rc : BT_ESHUTIL;
    }
    const char *both[2] = {src, dst};
    for (int i = 0; i < 2; i++) {
        struct stat st;
        if (stat(both[i], &st) == 0 && S_ISFIFO(st.st_mode))
            return bt_err_setf(err, BT_ESHUTIL, -1, "`%s` is a named pipe", both[i]);
    }
    struct stat lst;
    if (!follow_symlinks && lstat(src, &lst) == 0 && S_ISLNK(lst.st_mode))
        return symlink_copy(src, dst, err);
    int in;
    BT__RETRY(in, open(src, O_RDONLY | O_CLOEXEC));
    if (in < 0)
        return bt_err_oserror(err, -errno, src, NULL);
    int out;
    BT__RETRY(out, open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666));
    if (out < 0) {
        int e = errno;
        close(in);
        /* CPython's issue 43219: a missing directory, said plainly. */
        if (e == EISDIR && !bt_path_exists(dst))
            return bt_err_setf(err, BT_ENOENT, -1, "Directory does not exist: %s", dst);
        return bt_err_oserror(err, -e, dst, NULL);
    }
    int rc = kernel_copy(in, out);
    if (rc == 1)
        rc = bt_shutil_copyfileobj(in, out, 0);
    if (rc < 0)
        bt_err_oserror(err, rc, NULL, NULL);
    close(in);
    if (close(out) < 0 && rc == 0)
        rc = bt_err_oserror(err, -errno, dst, NULL);
    return rc;
}

static bool both_links(const char *src, const char *dst)
{
    struct stat a, b;
    return lstat(src, &a) == 0 && S_ISLNK(a.st_mode) && lstat(dst, &b) == 0 &&
           S_ISLNK(b.st_mode);
}

int bt_shutil_copymode(const char *src, const char *dst, bool follow_symlinks, bt_err *err)
{
    /* Linux has no lchmod: links keep their (meaningless) mode. */
    if (!follow_symlinks && both_links(src, dst))
        return 0;
    struct stat st;
    if (stat(src, &st) < 0)
        return bt_err_oserror(err, -errno, src, NULL);
    if (chmod(dst, st.st_mode & 07777) < 0)
        return bt_err_oserror(err, -errno, dst, NULL);
    return 0;
}

/* shutil._copyxattr: attributes the file system or the caller cannot have
 * are skipped, as in Python. */
static int copy_xattrs(const char *src, const char *dst, bool follow, bt_err *err)
{
    ssize_t n = follow ? listxattr(src, NULL, 0) : llistxattr(src, NULL, 0);
    if (n < 0)
        return errno == ENOTSUP || errno == ENODATA || errno == EINVAL
                   ? 0
                   : bt_err_oserror(err, -errno, src, NULL);
    if (n == 0)
        return 0;
    char *names = bt_malloc((size_t)n);
    if (!names)
        return BT_ENOMEM;
    n = follow ? listxattr(src, names, (size_t)n) : llistxattr(src, names, (size_t)n);
    int rc = n < 0 ? bt_err_oserror(err, -errno, src, NULL) : 0;
    for (ssize_t off = 0; rc == 0 && off < n; off += (ssize_t)strlen(names + off) + 1) {
        const char *name = names + off;
        char value[65536];
        ssize_t v = follow ? getxattr(src, name, value, sizeof value)
                           : lgetxattr(src, name, value, sizeof value);
        int r = v < 0 ? -errno
                      : (follow ? setxattr(dst, name, value, (size_t)v, 0)
                                : lsetxattr(dst, name, value, (size_t)v, 0)) < 0
                            ? -errno
                            : 0;
        if (r < 0 && r != -EPERM && r != -ENOTSUP && r != -ENODATA && r != -EINVAL)
            rc = bt_err_oserror(err, r, v < 0 ? src : dst, NULL);
    }
    bt_free(names);
    return rc;
}

int bt_shutil_copystat(const char *src, const char *dst, bool follow_symlinks, bt_err *err)
{
    bool follow = follow_symlinks || !both_links(src, dst);
    struct stat st;
    if ((follow ? stat(src, &st) : lstat(src, &st)) < 0)
        return bt_err_oserror(err, -errno, src, NULL);
    struct timespec times[2] = {st.st_atim, st.st_mtim};
    if (utimensat(AT_FDCWD, dst, times, follow ? 0 : AT_SYMLINK_NOFOLLOW) < 0)
        return bt_err_oserror(err, -errno, dst, NULL);
    /* Attributes before the mode: a read-only mode would refuse them. */
    int rc = copy_xattrs(src, dst, follow, err);
    if (rc < 0)
        return rc;
    if (follow && chmod(dst, st.st_mode & 07777) < 0)
        return bt_err_oserror(err, -errno, dst, NULL);
    return 0;
}

/* copy and copy2: into a directory, under the source's name. */
static int copy_with(const char *src, const char *dst, bool follow, bool all_meta,
                     bt_buf *out_dst, bt_err *err)
{
    bt_buf target = BT_BUF_INIT, base = BT_BUF_INIT;
    int rc = 0;
    if (bt_path_isdir(dst)) {
        rc = bt_path_basename(src, &base);
        if (rc == 0)
            rc = bt__shutil_join(&target, dst, base.data);
    } else {
        rc = bt_buf_append_str(&target, dst);
    }
    if (rc == 0)
        rc = bt_shutil_copyfile(src, target.data, follow, err);
    if (rc == 0)
        rc = all_meta ? bt_shutil_copystat(src, target.data, follow, err)
                      : bt_shutil_copymode(src, target.data, follow, err);
    if (rc == 0 && out_dst)
        rc = bt_buf_append(out_dst, target.data, target.len);
    bt_buf_fini(&target);
    bt_buf_fini(&base);
    return rc;
}

int bt_shutil_copy(const char *src, const char *dst, bool follow_symlinks, bt_buf *out_dst,
                   bt_err *err)
{
    return copy_with(src, dst, follow_symlinks, false, out_dst, err);
}

int bt_shutil_copy2(const char *src, const char *dst, bool follow_symlinks, bt_buf *out_dst,
                    bt_err *err)
{
    return copy_with(src, dst, follow_symlinks, true, out_dst, err);
}
