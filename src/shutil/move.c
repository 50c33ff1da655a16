/* move.c — shutil.move, which, disk_usage and chown. */
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <batteries/path.h>

#include "shutil_int.h"

/* shutil._basename: the last component, trailing slashes ignored. */
static int base_name(const char *p, bt_buf *out)
{
    size_t n = strlen(p);
    while (n > 1 && p[n - 1] == '/')
        n--;
    char *trimmed = bt_strndup(p, n);
    if (!trimmed)
        return BT_ENOMEM;
    int rc = bt_path_basename(trimmed, out);
    bt_free(trimmed);
    return rc;
}

/* shutil._destinsrc: whether dst lies inside src. */
static int dest_in_src(const char *src, const char *dst, bool *inside)
{
    bt_buf a = BT_BUF_INIT, b = BT_BUF_INIT;
    int rc = bt_path_abspath(src, &a, NULL);
    if (rc == 0)
        rc = bt_path_abspath(dst, &b, NULL);
    if (rc == 0 && a.data[a.len - 1] != '/')
        rc = bt_buf_append_byte(&a, '/');
    if (rc == 0 && b.data[b.len - 1] != '/')
        rc = bt_buf_append_byte(&b, '/');
    if (rc == 0)
        *inside = b.len >= a.len && memcmp(a.data, b.data, a.len) == 0;
    bt_buf_fini(&a);
    bt_buf_fini(&b);
    return rc;
}

int bt_shutil_move(const char *src, const char *dst, bt_shutil_copy_fn copy_function,
                   void *copy_ctx, bt_buf *out_dst, bt_err *err)
{
    bt_buf real = BT_BUF_INIT, base = BT_BUF_INIT;
    int rc = 0;
    if (bt_path_isdir(dst)) {
        if (bt__shutil_samefile(src, dst)) {
            /* Maybe a case change on a case-insensitive file system. */
            rc = rename(src, dst) < 0 ? bt_err_oserror(err, -errno, src, dst) : 0;
            goto done;
        }
        rc = base_name(src, &base);
        if (rc == 0)
            rc = bt__shutil_join(&real, dst, base.data);
        if (rc == 0 && bt_path_exists(real.data)) {
            rc = bt_err_setf(err, BT_ESHUTIL, -1, "Destination path '%s' already exists",
                             real.data);
        }
    } else {
        rc = bt_buf_append_str(&real, dst);
    }
    if (rc < 0)
        goto done;
    if (rename(src, real.data) == 0)
        goto found;
    if (bt_path_islink(src)) {
        char target[4096];
        ssize_t n = readlink(src, target, sizeof target - 1);
        if (n < 0) {
            rc = bt_err_oserror(err, -errno, src, NULL);
            goto done;
        }
        target[n] = '\0';
        if (symlink(target, real.data) < 0)
            rc = bt_err_oserror(err, -errno, target, real.data);
        else if (unlink(src) < 0)
            rc = bt_err_oserror(err, -errno, src, NULL);
    } else if (bt_path_isdir(src)) {
        bool inside = false;
        rc = dest_in_src(src, dst, &inside);
        if (rc == 0 && inside)
            rc = bt_err_setf(err, BT_ESHUTIL, -1, "Cannot move a directory '%s' into itself '%s'.",
                             src, dst);
        if (rc == 0) {
            bt_shutil_copytree_opts o = BT_SHUTIL_COPYTREE_INIT;
            o.symlinks = true;
            o.copy_function = copy_function;
            o.copy_ctx = copy_ctx;
            rc = bt_shutil_copytree(src, real.data, &o, NULL, err);
        }
        if (rc == 0)
            rc = bt_shutil_rmtree(src, false, NULL, NULL, err);
    } else {
        rc = copy_function ? copy_function(copy_ctx, src, real.data, err)
                           : bt_shutil_copy2(src, real.data, true, NULL, err);
        if (rc == 0 && unlink(src) < 0)
            rc = bt_err_oserror(err, -errno, src, NULL);
    }
found:
    if (rc == 0 && out_dst)
        rc = bt_buf_append(out_dst, real.data, real.len);
done:
    bt_buf_fini(&real);
    bt_buf_fini(&base);
    return rc;
}

/* shutil._access_check: exists, accessible with mode, not a directory. */
static bool access_check(const char *p, int mode)
{
    return bt_path_exists(p) && access(p, mode) == 0 && !bt_path_isdir(p);
}

int bt_shutil_which(const char *cmd, int mode, const char *path, bt_buf *out)
{
    if (mode == 0)
        mode = F_OK | X_OK;
    if (strchr(cmd, '/'))
        return access_check(cmd, mode) ? (bt_buf_append_str(out, cmd) < 0 ? BT_ENOMEM : 1) : 0;
    if (!path)
        path = getenv("PATH");
    if (!path)
        path = "/bin:/usr/bin"; /* os.confstr("CS_PATH") on glibc */
    if (!*path)
        return 0; /* PATH='' finds nothing; PATH=':' looks in the cwd */
    bt_strvec seen = BT_STRVEC_INIT;
    bt_buf name = BT_BUF_INIT;
    int found = 0;
    for (const char *p = path;; p++) {
        const char *end = strchr(p, ':');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        char *dir = bt_strndup(p, n);
        if (!dir) {
            found = BT_ENOMEM;
            break;
        }
        if (bt_strvec_index(&seen, dir, n) < 0) {
            if (bt_strvec_append(&seen, dir, n) < 0 || bt__shutil_join(&name, dir, cmd) < 0)
                found = BT_ENOMEM;
            else if (access_check(name.data, mode))
                found = bt_buf_append(out, name.data, name.len) < 0 ? BT_ENOMEM : 1;
        }
        bt_free(dir);
        if (found || !end)
            break;
        p = end;
    }
    bt_strvec_fini(&seen);
    bt_buf_fini(&name);
    return found;
}

int bt_shutil_disk_usage(const char *path, bt_shutil_usage *out, bt_err *err)
{
    struct statvfs st;
    if (statvfs(path, &st) < 0)
        return bt_err_oserror(err, -errno, path, NULL);
    out->total = (uint64_t)st.f_blocks * st.f_frsize;
    out->free = (uint64_t)st.f_bavail * st.f_frsize;
    out->used = (uint64_t)(st.f_blocks - st.f_bfree) * st.f_frsize;
    return 0;
}

int bt_shutil_chown(const char *path, const char *user, const char *group, bt_err *err)
{
    if (!user && !group)
        return bt_err_setf(err, BT_EVALUE, -1, "user and/or group must be set");
    uid_t uid = (uid_t)-1;
    gid_t gid = (gid_t)-1;
    char buf[16384];
    if (user) {
        struct passwd pw, *res = NULL;
        if (getpwnam_r(user, &pw, buf, sizeof buf, &res) != 0 || !res) {
            bt_buf m = BT_BUF_INIT;
            int rc = bt_repr_str(&m, user, strlen(user));
            bt_err_setf(err, BT_EKEY, -1, "no such user: %s", rc == 0 ? m.data : user);
            bt_buf_fini(&m);
            return BT_EKEY;
        }
        uid = res->pw_uid;
    }
    if (group) {
        struct group gr, *res = NULL;
        if (getgrnam_r(group, &gr, buf, sizeof buf, &res) != 0 || !res) {
            bt_buf m = BT_BUF_INIT;
            int rc = bt_repr_str(&m, group, strlen(group));
            bt_err_setf(err, BT_EKEY, -1, "no such group: %s", rc == 0 ? m.data : group);
            bt_buf_fini(&m);
            return BT_EKEY;
        }
        gid = res->gr_gid;
    }
    if (chown(path, uid, gid) < 0)
        return bt_err_oserror(err, -errno, path, NULL);
    return 0;
}
