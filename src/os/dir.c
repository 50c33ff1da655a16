/*
 * dir.c — os.listdir and os.scandir. Both read the directory through the
 * module's reader (getdents64 on Linux); scandir's entries keep the type
 * readdir gave and cache their stat results, as Python's DirEntry does, and
 * stat relative to the listing's descriptor rather than by path.
 */
#include <dirent.h>
#include <string.h>
#include <unistd.h>

#include "os_int.h"

struct bt_os_scandir_iter {
    bt__os_dir dir;
    bool open;
    int fd_arg; /* the descriptor scandir_fd was given, or -1 */
    char *path; /* the path given (NULL: the default ".") */
    size_t path_len;
    bt_buf entry_path;
    bt_os_direntry entry;
};

static int open_dir_path(const char *path, bt__os_dir *d, bt_err *err)
{
    int fd;
    BT__RETRY(fd, open(path ? path : ".",
                          O_RDONLY | O_NONBLOCK | O_DIRECTORY | O_CLOEXEC));
    if (fd < 0)
        return bt__os_fail(err, path, NULL);
    int rc = bt__os_dir_open(d, fd, NULL);
    return rc == BT_ENOMEM ? bt__os_nomem(err)
           : rc < 0        ? bt__os_fail(err, path, NULL)
                           : 0;
}

int bt__os_dup_dirfd(int fd, bt_err *err)
{
    int copy = fcntl(fd, F_DUPFD_CLOEXEC, 0);
    if (copy < 0)
        return bt__os_fail(err, NULL, NULL);
    struct stat st;
    int rc;
    BT__RETRY(rc, fstat(copy, &st));
    if (rc == 0 && !S_ISDIR(st.st_mode)) {
        errno = ENOTDIR;
        rc = -1;
    }
    if (rc < 0) {
        rc = bt__os_fail_fd(err, -errno, fd);
        close(copy);
        return rc;
    }
    return copy;
}

static int open_dir_fd(int fd, bt__os_dir *d, bt_err *err)
{
    int copy = bt__os_dup_dirfd(fd, err);
    if (copy < 0)
        return copy;
    int rc = bt__os_dir_open(d, copy, NULL);
    return rc == BT_ENOMEM ? bt__os_nomem(err)
           : rc < 0        ? bt__os_fail_fd(err, rc, fd)
                           : 0;
}

/* Reads every name of d into out; on failure out is as it was. */
static ptrdiff_t read_names(bt__os_dir *d, bt_strvec *out, const char *path,
                            int fd, bt_err *err)
{
    size_t before = out->count;
    bt__os_dirent e;
    int rc;
    while ((rc = bt__os_dir_read(d, &e)) > 0) {
        if (bt_strvec_append(out, e.name, e.len) < 0) {
            rc = bt__os_nomem(err);
            break;
        }
    }
    if (rc < 0 && rc != BT_ENOMEM)
        rc = fd >= 0 ? bt__os_fail_fd(err, rc, fd)
                     : bt_err_oserror(err, rc, path, NULL);
    if (rc < 0) {
        while (out->count > before)
            bt_strvec_remove(out, out->count - 1);
        return rc;
    }
    return (ptrdiff_t)(out->count - before);
}

ptrdiff_t bt_os_listdir(const char *path, bt_strvec *out, bt_err *err)
{
    bt__os_dir d;
    int rc = open_dir_path(path, &d, err);
    if (rc < 0)
        return rc;
    ptrdiff_t n = read_names(&d, out, path, -1, err);
    bt__os_dir_close(&d);
    return n;
}

ptrdiff_t bt_os_listdir_fd(int fd, bt_strvec *out, bt_err *err)
{
    bt__os_dir d;
    int rc = open_dir_fd(fd, &d, err);
    if (rc < 0)
        return rc;
    ptrdiff_t n = read_names(&d, out, NULL, fd, err);
    bt__os_dir_rewind(&d);
    bt__os_dir_close(&d);
    return n;
}

static int new_iter(bt_os_scandir_iter **out, bt_err *err)
{
    bt_os_scandir_iter *it = bt_calloc(1, sizeof *it);
    if (!it)
        return bt__os_nomem(err);
    it->fd_arg = -1;
    *out = it;
    return 0;
}

int bt_os_scandir(const char *path, bt_os_scandir_iter **out, bt_err *err)
{
    bt_os_scandir_iter *it = NULL;
    int rc = new_iter(&it, err);
    if (rc < 0)
        return rc;
    if (path) {
        it->path_len = strlen(path);
        if (!(it->path = bt_strndup(path, it->path_len))) {
            bt_free(it);
            return bt__os_nomem(err);
        }
    }
    rc = open_dir_path(path, &it->dir, err);
    if (rc < 0) {
        bt_free(it->path);
        bt_free(it);
        return rc;
    }
    it->open = true;
    *out = it;
    return 0;
}

int bt_os_scandir_fd(int fd, bt_os_scandir_iter **out, bt_err *err)
{
    bt_os_scandir_iter *it = NULL;
    int rc = new_iter(&it, err);
    if (rc < 0)
        return rc;
    rc = open_dir_fd(fd, &it->dir, err);
    if (rc < 0) {
        bt_free(it);
        return rc;
    }
    it->fd_arg = fd;
    it->open = true;
    *out = it;
    return 0;
}

static void close_dir(bt_os_scandir_iter *it)
{
    if (!it->open)
        return;
    if (it->fd_arg >= 0)
        bt__os_dir_rewind(&it->dir);
    bt__os_dir_close(&it->dir);
    it->open = false;
}

int bt_os_scandir_next(bt_os_scandir_iter *it, bt_os_direntry **entry,
                       bt_err *err)
{
    *entry = NULL;
    if (!it->open)
        return 0;
    bt__os_dirent e;
    int rc = bt__os_dir_read(&it->dir, &e);
    if (rc <= 0) {
        if (rc < 0)
            rc = it->fd_arg >= 0 ? bt__os_fail_fd(err, rc, it->fd_arg)
                                 : bt_err_oserror(err, rc, it->path, NULL);
        close_dir(it);
        return rc;
    }
    bt_os_direntry *d = &it->entry;
    d->name = e.name;
    d->name_len = e.len;
    if (it->fd_arg >= 0) {
        d->path = e.name;
        d->path_len = e.len;
    } else {
        bt_buf_clear(&it->entry_path);
        const char *dir = it->path ? it->path : ".";
        size_t dlen = it->path ? it->path_len : 1;
        if (bt__os_join(&it->entry_path, dir, dlen, e.name, e.len) < 0)
            return bt__os_nomem(err);
        d->path = it->entry_path.data;
        d->path_len = it->entry_path.len;
    }
    d->priv.ino = e.ino;
    d->priv.d_type = e.type;
    d->priv.dir_fd = it->dir.fd;
    d->priv.cached = 0;
    *entry = d;
    return 1;
}

void bt_os_scandir_close(bt_os_scandir_iter *it)
{
    if (!it)
        return;
    close_dir(it);
    bt_buf_fini(&it->entry_path);
    bt_free(it->path);
    bt_free(it);
}

static bt__os_ecache cache_of(bt_os_direntry *e)
{
    bt__os_ecache c = {e->priv.cached, &e->priv.lst, &e->priv.st};
    return c;
}

static int entry_result(bt_os_direntry *e, const bt__os_ecache *c, int rc,
                        bt_err *err)
{
    e->priv.cached = c->cached;
    return rc < 0 ? bt_err_oserror(err, rc, e->path, NULL) : rc;
}

int bt_os_direntry_is_dir(bt_os_direntry *e, bool follow_symlinks, bt_err *err)
{
    bt__os_ecache c = cache_of(e);
    int rc = bt__os_entry_test_mode(e->priv.dir_fd, e->name, e->priv.d_type,
                                    follow_symlinks, S_IFDIR, &c);
    return entry_result(e, &c, rc, err);
}

int bt_os_direntry_is_file(bt_os_direntry *e, bool follow_symlinks, bt_err *err)
{
    bt__os_ecache c = cache_of(e);
    int rc = bt__os_entry_test_mode(e->priv.dir_fd, e->name, e->priv.d_type,
                                    follow_symlinks, S_IFREG, &c);
    return entry_result(e, &c, rc, err);
}

int bt_os_direntry_is_symlink(bt_os_direntry *e, bt_err *err)
{
    bt__os_ecache c = cache_of(e);
    int rc =
        bt__os_entry_is_symlink(e->priv.dir_fd, e->name, e->priv.d_type, &c);
    return entry_result(e, &c, rc, err);
}

int bt_os_direntry_stat(bt_os_direntry *e, bool follow_symlinks,
                        bt_os_stat_result *out, bt_err *err)
{
    bt__os_ecache c = cache_of(e);
    const bt_os_stat_result *st = NULL;
    int rc = bt__os_entry_stat(e->priv.dir_fd, e->name, e->priv.d_type,
                               follow_symlinks, &c, &st);
    if (rc == 0)
        *out = *st;
    return entry_result(e, &c, rc, err);
}

uint64_t bt_os_direntry_inode(const bt_os_direntry *e)
{
    return e->priv.ino;
}
