/*
 * fs.c — the file-system calls of os: the current directory, mkdir and
 * makedirs, removing and renaming, links, permissions, owners, times and
 * sizes. Each is the system call plus Python's error text; makedirs,
 * removedirs and renames follow os.py line for line.
 */
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "os_int.h"

int bt_os_getcwd(bt_buf *out, bt_err *err)
{
    size_t room = 256;
    for (;;) {
        if (bt_buf_reserve(out, room) < 0)
            return bt__os_nomem(err);
        char *dst = out->data + out->len;
        if (getcwd(dst, out->cap - out->len)) {
            out->len += strlen(dst);
            return 0;
        }
        if (errno != ERANGE) {
            int rc = bt__os_fail(err, NULL, NULL);
            out->data[out->len] = '\0';
            return rc;
        }
        room = (out->cap - out->len) * 2;
    }
}

int bt_os_chdir(const char *path, bt_err *err)
{
    return chdir(path) < 0 ? bt__os_fail(err, path, NULL) : 0;
}

int bt_os_fchdir(int fd, bt_err *err)
{
    int rc;
    BT__RETRY(rc, fchdir(fd));
    return rc < 0 ? bt__os_fail(err, NULL, NULL) : 0;
}

int bt_os_mkdir_at(int dir_fd, const char *path, unsigned mode, bt_err *err)
{
    if (mkdirat(bt__os_dirfd(dir_fd), path, (mode_t)mode) < 0)
        return bt__os_fail(err, path, NULL);
    return 0;
}

int bt_os_mkdir(const char *path, unsigned mode, bt_err *err)
{
    return bt_os_mkdir_at(-1, path, mode, err);
}

static bool exists(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0;
}

static bool isdir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* head, tail = split(p[0..n)); with `again`, an empty tail splits the head
 * once more (os.py's "if not tail: head, tail = path.split(head)"). The
 * tail is p[*tail .. *tail + *tail_len). */
static void split(const char *p, size_t n, bool again, size_t *head,
                  size_t *tail, size_t *tail_len)
{
    bt__os_split(p, n, head, tail);
    if (again && *tail == n) {
        n = *head;
        bt__os_split(p, n, head, tail);
    }
    *tail_len = n - *tail;
}

/* os.makedirs on name[0..n) (name is a private copy, NUL-terminated at n;
 * the byte after a head is set to NUL for the recursive call and restored). */
static int makedirs(char *name, size_t n, unsigned mode, bool exist_ok,
                    bt_err *err)
{
    size_t head, tail, tail_len;
    split(name, n, true, &head, &tail, &tail_len);
    if (head && tail_len) {
        char saved = name[head];
        name[head] = '\0';
        int rc = 0;
        bool there = exists(name);
        if (!there)
            rc = makedirs(name, head, 0777, exist_ok, err);
        name[head] = saved;
        /* A parent created meanwhile by someone else is fine. */
        if (rc < 0 && rc != BT_EEXIST)
            return rc;
        if (!there && tail_len == 1 && name[tail] == '.')
            return 0; /* "xxx/newdir/." exists once xxx/newdir does */
    }
    if (mkdir(name, (mode_t)mode) < 0) {
        int rc = bt__os_fail(err, name, NULL);
        if (!exist_ok || !isdir(name))
            return rc;
    }
    return 0;
}

int bt_os_makedirs(const char *name, unsigned mode, bool exist_ok, bt_err *err)
{
    assert(name);
    size_t n = strlen(name);
    char *copy = bt_strndup(name, n);
    if (!copy)
        return bt__os_nomem(err);
    int rc = makedirs(copy, n, mode, exist_ok, err);
    bt_free(copy);
    return rc;
}

int bt_os_unlink_at(int dir_fd, const char *path, bt_err *err)
{
    if (unlinkat(bt__os_dirfd(dir_fd), path, 0) < 0)
        return bt__os_fail(err, path, NULL);
    return 0;
}

int bt_os_unlink(const char *path, bt_err *err)
{
    return bt_os_unlink_at(-1, path, err);
}

int bt_os_remove(const char *path, bt_err *err)
{
    return bt_os_unlink_at(-1, path, err);
}

int bt_os_rmdir_at(int dir_fd, const char *path, bt_err *err)
{
    if (unlinkat(bt__os_dirfd(dir_fd), path, AT_REMOVEDIR) < 0)
        return bt__os_fail(err, path, NULL);
    return 0;
}

int bt_os_rmdir(const char *path, bt_err *err)
{
    return bt_os_rmdir_at(-1, path, err);
}

int bt_os_removedirs(const char *name, bt_err *err)
{
    assert(name);
    size_t n = strlen(name), head, tail, tail_len;
    char *p = bt_strndup(name, n);
    if (!p)
        return bt__os_nomem(err);
    int rc = bt_os_rmdir(name, err);
    if (rc == 0) {
        split(p, n, true, &head, &tail, &tail_len);
        while (head && tail_len) {
            p[head] = '\0';
            if (rmdir(p) < 0)
                break; /* not empty, most likely: the end, as in Python */
            split(p, head, false, &head, &tail, &tail_len);
        }
    }
    bt_free(p);
    return rc;
}

int bt_os_rename(const char *src, const char *dst, bt_err *err)
{
    return rename(src, dst) < 0 ? bt__os_fail(err, src, dst) : 0;
}

int bt_os_replace(const char *src, const char *dst, bt_err *err)
{
    return bt_os_rename(src, dst, err);
}

int bt_os_renames(const char *old_path, const char *new_path, bt_err *err)
{
    assert(old_path && new_path);
    size_t head, tail, tail_len;
    split(new_path, strlen(new_path), false, &head, &tail, &tail_len);
    if (head && tail_len) {
        char *h = bt_strndup(new_path, head);
        if (!h)
            return bt__os_nomem(err);
        int rc = exists(h) ? 0 : bt_os_makedirs(h, 0777, false, err);
        bt_free(h);
        if (rc < 0)
            return rc;
    }
    int rc = bt_os_rename(old_path, new_path, err);
    if (rc < 0)
        return rc;
    split(old_path, strlen(old_path), false, &head, &tail, &tail_len);
    if (head && tail_len) {
        /* OSErrors are ignored, as in Python; MemoryError is not. */
        char *h = bt_strndup(old_path, head);
        rc = h ? bt_os_removedirs(h, NULL) : BT_ENOMEM;
        bt_free(h);
        if (rc == BT_ENOMEM)
            return bt__os_nomem(err);
    }
    return 0;
}

int bt_os_link(const char *src, const char *dst, bt_err *err)
{
    return link(src, dst) < 0 ? bt__os_fail(err, src, dst) : 0;
}

int bt_os_symlink(const char *src, const char *dst, bt_err *err)
{
    return symlink(src, dst) < 0 ? bt__os_fail(err, src, dst) : 0;
}

int bt_os_readlink(const char *path, bt_buf *out, bt_err *err)
{
    size_t room = 256;
    for (;;) {
        if (bt_buf_reserve(out, room) < 0)
            return bt__os_nomem(err);
        size_t cap = out->cap - out->len; /* the NUL's byte included */
        ssize_t n = readlink(path, out->data + out->len, cap);
        if (n < 0) {
            out->data[out->len] = '\0';
            return bt__os_fail(err, path, NULL);
        }
        if ((size_t)n < cap) {
            out->len += (size_t)n;
            out->data[out->len] = '\0';
            return 0;
        }
        room = cap * 2; /* it may have been cut: try again, larger */
    }
}

int bt_os_chmod(const char *path, unsigned mode, bt_err *err)
{
    return chmod(path, (mode_t)mode) < 0 ? bt__os_fail(err, path, NULL) : 0;
}

int bt_os_fchmod(int fd, unsigned mode, bt_err *err)
{
    int rc;
    BT__RETRY(rc, fchmod(fd, (mode_t)mode));
    return rc < 0 ? bt__os_fail(err, NULL, NULL) : 0;
}

/* _Py_Uid_Converter / _Py_Gid_Converter for a 64-bit value: -1 means "no
 * change"; a value that does not survive the trip through the 32-bit id is
 * "less than minimum", even when too large (CPython 3.11's wording). */
static int id_arg(int64_t v, const char *what, uint32_t *out, bt_err *err)
{
    if (v == -1) {
        *out = (uint32_t)-1;
        return 0;
    }
    if (v < 0 || v > (int64_t)UINT32_MAX)
        return bt_err_setf(err, BT_EOVERFLOWERR, -1, "%s is less than minimum",
                           what);
    *out = (uint32_t)v;
    return 0;
}

static int ids(int64_t uid, int64_t gid, uid_t *u, gid_t *g, bt_err *err)
{
    uint32_t a = 0, b = 0;
    int rc = id_arg(uid, "uid", &a, err);
    if (rc == 0)
        rc = id_arg(gid, "gid", &b, err);
    *u = (uid_t)a;
    *g = (gid_t)b;
    return rc;
}

static int chown_path(int (*fn)(const char *, uid_t, gid_t), const char *path,
                      int64_t uid, int64_t gid, bt_err *err)
{
    uid_t u;
    gid_t g;
    int rc = ids(uid, gid, &u, &g, err);
    if (rc == 0 && fn(path, u, g) < 0)
        rc = bt__os_fail(err, path, NULL);
    return rc;
}

int bt_os_chown(const char *path, int64_t uid, int64_t gid, bt_err *err)
{
    return chown_path(chown, path, uid, gid, err);
}

int bt_os_lchown(const char *path, int64_t uid, int64_t gid, bt_err *err)
{
    return chown_path(lchown, path, uid, gid, err);
}

int bt_os_fchown(int fd, int64_t uid, int64_t gid, bt_err *err)
{
    uid_t u;
    gid_t g;
    int rc = ids(uid, gid, &u, &g, err);
    if (rc == 0) {
        BT__RETRY(rc, fchown(fd, u, g));
        if (rc < 0)
            rc = bt__os_fail(err, NULL, NULL);
    }
    return rc;
}

/* _PyTime_DoubleToDenominator with _PyTime_ROUND_FLOOR, as utime converts
 * a float time. */
static int to_timespec(double d, struct timespec *ts, bt_err *err)
{
    if (isnan(d))
        return bt_err_setf(err, BT_EVALUE, -1,
                           "Invalid value NaN (not a number)");
    double intpart;
    volatile double frac = modf(d, &intpart);
    frac = floor(frac * 1e9);
    if (frac >= 1e9) {
        frac -= 1e9;
        intpart += 1.0;
    } else if (frac < 0) {
        frac += 1e9;
        intpart -= 1.0;
    }
    if (!(intpart >= -9223372036854775808.0 && intpart < 9223372036854775808.0))
        return bt_err_setf(err, BT_EOVERFLOWERR, -1,
                           "timestamp out of range for platform time_t");
    ts->tv_sec = (time_t)intpart;
    ts->tv_nsec = (long)frac;
    return 0;
}

static int set_times(const char *path, const struct timespec *ts, bool follow,
                     bt_err *err)
{
    if (utimensat(AT_FDCWD, path, ts, follow ? 0 : AT_SYMLINK_NOFOLLOW) < 0)
        return bt__os_fail(err, NULL,
                           NULL); /* CPython 3.11 names no file here */
    return 0;
}

int bt_os_utime(const char *path, const double times[2], bool follow_symlinks,
                bt_err *err)
{
    if (!times)
        return set_times(path, NULL, follow_symlinks, err);
    struct timespec ts[2];
    int rc = to_timespec(times[0], &ts[0], err);
    if (rc == 0)
        rc = to_timespec(times[1], &ts[1], err);
    return rc < 0 ? rc : set_times(path, ts, follow_symlinks, err);
}

int bt_os_utime_ns(const char *path, const int64_t ns[2], bool follow_symlinks,
                   bt_err *err)
{
    if (!ns)
        return set_times(path, NULL, follow_symlinks, err);
    struct timespec ts[2];
    for (int i = 0; i < 2; i++) {
        int64_t sec = ns[i] / 1000000000, rem = ns[i] % 1000000000;
        if (rem < 0) { /* divmod: the remainder is never negative */
            rem += 1000000000;
            sec -= 1;
        }
        ts[i].tv_sec = (time_t)sec;
        ts[i].tv_nsec = (long)rem;
    }
    return set_times(path, ts, follow_symlinks, err);
}

bool bt_os_access(const char *path, int mode)
{
    return access(path, mode) == 0;
}

int bt_os_truncate(const char *path, int64_t length, bt_err *err)
{
    return truncate(path, (off_t)length) < 0 ? bt__os_fail(err, path, NULL) : 0;
}

int bt_os_ftruncate(int fd, int64_t length, bt_err *err)
{
    int rc;
    BT__RETRY(rc, ftruncate(fd, (off_t)length));
    return rc < 0 ? bt__os_fail(err, NULL, NULL) : 0;
}

unsigned bt_os_umask(unsigned mask)
{
    return (unsigned)umask((mode_t)mask);
}
