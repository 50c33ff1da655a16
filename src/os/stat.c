/*
 * stat.c — os.stat and friends, and the DirEntry logic that decides when a
 * directory entry needs a stat at all (shared by scandir and walk).
 */
#include <dirent.h>
#include <sys/stat.h>

#include "os_int.h"

/* sec * 10**9 + nsec, saturated to int64 (times past the years 1677 and
 * 2262, which Python's unbounded ints can still hold). */
static int64_t ns_of(struct timespec t)
{
    int64_t ns;
    if (__builtin_mul_overflow((int64_t)t.tv_sec, (int64_t)1000000000, &ns) ||
        __builtin_add_overflow(ns, (int64_t)t.tv_nsec, &ns))
        return t.tv_sec < 0 ? INT64_MIN : INT64_MAX;
    return ns;
}

void bt__os_fill_stat(const struct stat *st, bt_os_stat_result *out)
{
    out->st_mode = st->st_mode;
    out->st_ino = st->st_ino;
    out->st_dev = st->st_dev;
    out->st_nlink = st->st_nlink;
    out->st_uid = st->st_uid;
    out->st_gid = st->st_gid;
    out->st_size = st->st_size;
    /* Python: float sec + nsec * 1e-9; int sec * 10**9 + nsec. */
    out->st_atime_s =
        (double)st->st_atim.tv_sec + (double)st->st_atim.tv_nsec * 1e-9;
    out->st_mtime_s =
        (double)st->st_mtim.tv_sec + (double)st->st_mtim.tv_nsec * 1e-9;
    out->st_ctime_s =
        (double)st->st_ctim.tv_sec + (double)st->st_ctim.tv_nsec * 1e-9;
    out->st_atime_ns = ns_of(st->st_atim);
    out->st_mtime_ns = ns_of(st->st_mtim);
    out->st_ctime_ns = ns_of(st->st_ctim);
    out->st_blocks = st->st_blocks;
    out->st_blksize = st->st_blksize;
    out->st_rdev = st->st_rdev;
}

int bt_os_stat_at(int dir_fd, const char *path, bool follow_symlinks,
                  bt_os_stat_result *out, bt_err *err)
{
    struct stat st;
    if (fstatat(bt__os_dirfd(dir_fd), path, &st,
                follow_symlinks ? 0 : AT_SYMLINK_NOFOLLOW) < 0)
        return bt__os_fail(err, path, NULL);
    bt__os_fill_stat(&st, out);
    return 0;
}

int bt_os_stat(const char *path, bt_os_stat_result *out, bt_err *err)
{
    return bt_os_stat_at(-1, path, true, out, err);
}

int bt_os_lstat(const char *path, bt_os_stat_result *out, bt_err *err)
{
    return bt_os_stat_at(-1, path, false, out, err);
}

int bt_os_fstat(int fd, bt_os_stat_result *out, bt_err *err)
{
    struct stat st;
    int rc;
    BT__RETRY(rc, fstat(fd, &st));
    if (rc < 0)
        return bt__os_fail(err, NULL, NULL);
    bt__os_fill_stat(&st, out);
    return 0;
}

/* DirEntry_fetch_stat / DirEntry_get_lstat. */
static int fetch(int dir_fd, const char *name, bool follow,
                 bt_os_stat_result *out)
{
    struct stat st;
    if (fstatat(dir_fd, name, &st, follow ? 0 : AT_SYMLINK_NOFOLLOW) < 0)
        return -errno;
    bt__os_fill_stat(&st, out);
    return 0;
}

static int get_lstat(int dir_fd, const char *name, bt__os_ecache *c)
{
    if (c->cached & BT__OS_HAVE_LST)
        return 0;
    int rc = fetch(dir_fd, name, false, c->lst);
    if (rc == 0)
        c->cached |= BT__OS_HAVE_LST;
    return rc;
}

int bt__os_entry_stat(int dir_fd, const char *name, unsigned char type,
                      bool follow, bt__os_ecache *c,
                      const bt_os_stat_result **res)
{
    int rc;
    if (!follow) {
        rc = get_lstat(dir_fd, name, c);
        *res = c->lst;
        return rc;
    }
    if (!(c->cached & BT__OS_HAVE_ST)) {
        rc = bt__os_entry_is_symlink(dir_fd, name, type, c);
        if (rc < 0)
            return rc;
        if (rc) {
            rc = fetch(dir_fd, name, true, c->st);
        } else {
            rc = get_lstat(dir_fd, name, c);
            if (rc == 0)
                *c->st = *c->lst;
        }
        if (rc < 0)
            return rc;
        c->cached |= BT__OS_HAVE_ST;
    }
    *res = c->st;
    return 0;
}

int bt__os_entry_test_mode(int dir_fd, const char *name, unsigned char type,
                           bool follow, unsigned mode_bits, bt__os_ecache *c)
{
    bool is_symlink = type == DT_LNK;
    if (type == DT_UNKNOWN || (follow && is_symlink)) {
        const bt_os_stat_result *st;
        int rc = bt__os_entry_stat(dir_fd, name, type, follow, c, &st);
        if (rc == -ENOENT)
            return 0; /* gone since the listing: not a file nor a directory */
        if (rc < 0)
            return rc;
        return (st->st_mode & S_IFMT) == mode_bits;
    }
    if (is_symlink)
        return 0;
    return mode_bits == S_IFDIR ? type == DT_DIR : type == DT_REG;
}

int bt__os_entry_is_symlink(int dir_fd, const char *name, unsigned char type,
                            bt__os_ecache *c)
{
    if (type != DT_UNKNOWN)
        return type == DT_LNK;
    return bt__os_entry_test_mode(dir_fd, name, type, false, S_IFLNK, c);
}
