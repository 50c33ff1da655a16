/* tree.c — whole trees: copytree (errors collected as shutil.Error does),
 * ignore_patterns, and the descriptor-based rmtree of CPython 3.11. */
#include <dirent.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <batteries/glob.h>
#include <batteries/os.h>
#include <batteries/path.h>

#include "shutil_int.h"

int bt_shutil_ignore_patterns(void *ctx, const char *dir, const bt_strvec *names,
                              bt_strvec *ignored)
{
    (void)dir;
    const bt_strvec *patterns = ctx;
    for (size_t p = 0; p < patterns->count; p++)
        if (bt_fnmatch_filter(names, patterns->items[p], ignored) < 0)
            return BT_ENOMEM;
    return 0;
}

/* One failed entry: (src, dst, str(why)) into the list. */
static int add_error(bt_strvec *errors, const char *src, const char *dst, const char *why)
{
    if (bt_strvec_append_str(errors, src) < 0 || bt_strvec_append_str(errors, dst) < 0 ||
        bt_strvec_append_str(errors, why) < 0)
        return BT_ENOMEM;
    return 0;
}

/* str(shutil.Error(errors)): the list of tuples as Python prints it. */
static void error_message(const bt_strvec *errors, bt_err *err)
{
    bt_buf m = BT_BUF_INIT;
    int rc = bt_buf_append_byte(&m, '[');
    for (size_t i = 0; rc == 0 && i + 2 < errors->count; i += 3) {
        rc = bt_buf_append_str(&m, i ? ", (" : "(");
        for (size_t k = 0; rc == 0 && k < 3; k++) {
            if (k)
                rc = bt_buf_append_str(&m, ", ");
            if (rc == 0)
                rc = bt_repr_str(&m, errors->items[i + k], errors->lens[i + k]);
        }
        if (rc == 0)
            rc = bt_buf_append_byte(&m, ')');
    }
    if (rc == 0)
        rc = bt_buf_append_byte(&m, ']');
    bt_err_setf(err, BT_ESHUTIL, -1, "%s", rc == 0 ? m.data : "shutil.Error");
    bt_buf_fini(&m);
}

static int default_copy(void *ctx, const char *src, const char *dst, bt_err *err)
{
    (void)ctx;
    return bt_shutil_copy2(src, dst, true, NULL, err);
}

/* os.scandir(path) as a list, in directory order. */
static int scan(const char *path, bt_strvec *names, bt_buf *types, bt_err *err)
{
    DIR *d = opendir(path);
    if (!d)
        return bt_err_oserror(err, -errno, path, NULL);
    int rc = 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir(d))) {
        const char *n = e->d_name;
        if (n[0] == '.' && (!n[1] || (n[1] == '.' && !n[2])))
            continue;
        rc = bt_strvec_append_str(names, n);
        if (rc == 0)
            rc = bt_buf_append_byte(types, e->d_type);
    }
    closedir(d);
    return rc;
}

/* DirEntry.is_symlink() / is_dir() from d_type, with a stat when unknown. */
static bool entry_is(const char *path, unsigned char type, unsigned char want, bool follow)
{
    if (type != DT_UNKNOWN && !(follow && type == DT_LNK))
        return type == want;
    struct stat st;
    if ((follow ? stat(path, &st) : lstat(path, &st)) < 0)
        return false;
    return want == DT_DIR ? S_ISDIR(st.st_mode) : S_ISLNK(st.st_mode);
}

static int copytree_at(const char *src, const char *dst, const bt_shutil_copytree_opts *o,
                       bt_strvec *errors, bt_err *err)
{
    bt_strvec names = BT_STRVEC_INIT, ignored = BT_STRVEC_INIT;
    bt_buf types = BT_BUF_INIT, s = BT_BUF_INIT, d = BT_BUF_INIT;
    bt_err why = BT_ERR_INIT;
    int rc = scan(src, &names, &types, err);
    if (rc == 0 && o->ignore)
        rc = o->ignore(o->ignore_ctx, src, &names, &ignored);
    if (rc == 0)
        rc = bt_os_makedirs(dst, 0777, o->dirs_exist_ok, err);
    bt_shutil_copy_fn copy = o->copy_function ? o->copy_function : default_copy;
    for (size_t i = 0; rc == 0 && i < names.count; i++) {
        const char *name = names.items[i];
        if (bt_strvec_index(&ignored, name, names.lens[i]) >= 0)
            continue;
        rc = bt__shutil_join(&s, src, name);
        if (rc == 0)
            rc = bt__shutil_join(&d, dst, name);
        if (rc < 0)
            break;
        bt_err_clear(&why);
        int r;
        if (entry_is(s.data, (unsigned char)types.data[i], DT_LNK, false)) {
            char target[4096];
            ssize_t n = readlink(s.data, target, sizeof target - 1);
            if (n < 0) {
                r = bt_err_oserror(&why, -errno, s.data, NULL);
            } else {
                target[n] = '\0';
                if (o->symlinks) {
                    r = symlink(target, d.data) < 0 ? bt_err_oserror(&why, -errno, target, d.data)
                                                    : bt_shutil_copystat(s.data, d.data, false, &why);
                } else if (!bt_path_exists(target) && o->ignore_dangling_symlinks) {
                    continue; /* Python checks the target from the cwd, as here */
                } else if (entry_is(s.data, (unsigned char)types.data[i], DT_DIR, true)) {
                    r = copytree_at(s.data, d.data, o, errors, &why);
                } else {
                    r = copy(o->copy_ctx, s.data, d.data, &why);
                }
            }
        } else if (entry_is(s.data, (unsigned char)types.data[i], DT_DIR, false)) {
            r = copytree_at(s.data, d.data, o, errors, &why);
        } else {
            r = copy(o->copy_ctx, s.data, d.data, &why);
        }
        if (r == BT_ENOMEM)
            rc = r;
        else if (r == BT_ESHUTIL && why.msg[0] == '[')
            ; /* a nested copytree: its entries are in the list already */
        else if (r < 0)
            rc = add_error(errors, s.data, d.data, why.msg);
    }
    if (rc == 0) {
        bt_err_clear(&why);
        if (bt_shutil_copystat(src, dst, true, &why) < 0)
            rc = add_error(errors, src, dst, why.msg);
    }
    bt_strvec_fini(&names);
    bt_strvec_fini(&ignored);
    bt_buf_fini(&types);
    bt_buf_fini(&s);
    bt_buf_fini(&d);
    if (rc == 0 && errors->count) {
        error_message(errors, err);
        return BT_ESHUTIL;
    }
    return rc;
}

int bt_shutil_copytree(const char *src, const char *dst, const bt_shutil_copytree_opts *opts,
                       bt_buf *out_dst, bt_err *err)
{
    static const bt_shutil_copytree_opts defaults = BT_SHUTIL_COPYTREE_INIT;
    const bt_shutil_copytree_opts *o = opts ? opts : &defaults;
    /* This call's failures alone decide its result; the caller's list
     * (which may hold older ones) gets them appended. */
    bt_strvec errors = BT_STRVEC_INIT;
    int rc = copytree_at(src, dst, o, &errors, err);
    for (size_t i = 0; o->errors && i < errors.count && rc != BT_ENOMEM; i++)
        if (bt_strvec_append(o->errors, errors.items[i], errors.lens[i]) < 0)
            rc = BT_ENOMEM;
    bt_strvec_fini(&errors);
    if (rc == 0 && out_dst)
        rc = bt_buf_append_str(out_dst, dst);
    return rc;
}

/* rmtree's failures go through one place: ignore, ask onexc, or stop. */
typedef struct rm {
    bool ignore;
    bt_shutil_onexc_fn onexc;
    void *ctx;
    bt_err *err;
} rm;

static int fail(rm *r, const char *func, const char *path, int code, const char *msg)
{
    bt_err e = BT_ERR_INIT;
    if (msg)
        bt_err_setf(&e, code, -1, "%s", msg);
    else
        bt_err_oserror(&e, code, path, NULL);
    if (r->ignore)
        return 0;
    if (r->onexc)
        return r->onexc(r->ctx, func, path, code, &e);
    if (r->err)
        *r->err = e;
    return code;
}

static bool same_stat(const struct stat *a, const struct stat *b)
{
    return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

/* _rmtree_safe_fd: everything below the open directory topfd (named path). */
static int rmtree_fd(rm *r, int topfd, const char *path)
{
    int dupfd = fcntl(topfd, F_DUPFD_CLOEXEC, 0);
    DIR *d = dupfd < 0 ? NULL : fdopendir(dupfd);
    if (!d) {
        int e = errno;
        if (dupfd >= 0)
            close(dupfd);
        return fail(r, "os.scandir", path, -e, NULL);
    }
    /* The listing first, as Python's list(scandir): removing while reading
     * a directory may skip entries. */
    bt_strvec names = BT_STRVEC_INIT;
    bt_buf types = BT_BUF_INIT, full = BT_BUF_INIT;
    int rc = 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir(d))) {
        const char *n = e->d_name;
        if (n[0] == '.' && (!n[1] || (n[1] == '.' && !n[2])))
            continue;
        rc = bt_strvec_append_str(&names, n);
        if (rc == 0)
            rc = bt_buf_append_byte(&types, e->d_type);
    }
    closedir(d);
    for (size_t i = 0; rc == 0 && i < names.count; i++) {
        const char *name = names.items[i];
        if ((rc = bt__shutil_join(&full, path, name)) < 0)
            break;
        unsigned char type = (unsigned char)types.data[i];
        struct stat orig;
        bool is_dir = type == DT_DIR;
        if (type == DT_UNKNOWN || is_dir) {
            if (fstatat(topfd, name, &orig, AT_SYMLINK_NOFOLLOW) < 0) {
                if (is_dir) {
                    rc = fail(r, "os.lstat", full.data, -errno, NULL);
                    continue;
                }
            } else {
                is_dir = S_ISDIR(orig.st_mode);
            }
        }
        if (!is_dir) {
            if (unlinkat(topfd, name, 0) < 0)
                rc = fail(r, "os.unlink", full.data, -errno, NULL);
            continue;
        }
        int dirfd = openat(topfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (dirfd < 0) {
            rc = fail(r, "os.open", full.data, -errno, NULL);
            continue;
        }
        struct stat now;
        if (fstat(dirfd, &now) == 0 && same_stat(&orig, &now)) {
            rc = rmtree_fd(r, dirfd, full.data);
            close(dirfd);
            if (rc == 0 && unlinkat(topfd, name, AT_REMOVEDIR) < 0)
                rc = fail(r, "os.rmdir", full.data, -errno, NULL);
        } else {
            /* Replaced by a link since we looked: never follow it. */
            close(dirfd);
            rc = fail(r, "os.path.islink", full.data, -ELOOP,
                      "Cannot call rmtree on a symbolic link");
        }
    }
    bt_strvec_fini(&names);
    bt_buf_fini(&types);
    bt_buf_fini(&full);
    return rc;
}

int bt_shutil_rmtree(const char *path, bool ignore_errors, bt_shutil_onexc_fn onexc, void *ctx,
                     bt_err *err)
{
    rm r = {ignore_errors, onexc, ctx, err};
    struct stat orig, now;
    if (lstat(path, &orig) < 0)
        return fail(&r, "os.lstat", path, -errno, NULL);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return fail(&r, "os.open", path, -errno, NULL);
    int rc;
    if (fstat(fd, &now) == 0 && same_stat(&orig, &now)) {
        rc = rmtree_fd(&r, fd, path);
        close(fd);
        if (rc == 0 && rmdir(path) < 0)
            rc = fail(&r, "os.rmdir", path, -errno, NULL);
    } else {
        close(fd);
        rc = fail(&r, "os.path.islink", path, -ELOOP, "Cannot call rmtree on a symbolic link");
    }
    return rc;
}
