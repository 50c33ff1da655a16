/*
 * The file-system calls, succeeding and failing, compared with CPython:
 * the same sequence of calls runs in two copies of a small tree, ours in
 * one and CPython's in the other, and every answer ("ok", the value, or
 * the exception's class and message) must be the same; so must the trees
 * at the end. Covers makedirs' exist_ok rules, removedirs and renames,
 * two-path messages, names that are not UTF-8 or hold a newline, utime's
 * rounding of float times, and permission errors root cannot bypass.
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bt_test.h"
#include "os_test.h"

typedef struct call {
    const char *op;
    const char *a[4];
} call;

static char long_name[301];

static const call calls[] = {
    {"mkdir", {"newd", "511"}},
    {"mkdir", {"newd", "511"}},
    {"mkdir", {"missing/x", "511"}},
    {"mkdir", {"file/x", "511"}},
    {"mkdir", {"bad\xff", "511"}},
    {"mkdir", {"", "511"}},
    {"mkdir", {"/proc/bt_os_test", "511"}},
    {"mkdir", {long_name, "511"}},
    {"makedirs", {"a/b/c", "511", "0"}},
    {"makedirs", {"a/b/c", "511", "0"}},
    {"makedirs", {"a/b/c", "511", "1"}},
    {"makedirs", {"a/b/c/", "511", "1"}},
    {"makedirs", {"file", "511", "1"}},
    {"makedirs", {"linkfile", "511", "1"}},
    {"makedirs", {"linkdir", "511", "1"}},
    {"makedirs", {"linkdir", "511", "0"}},
    {"makedirs", {"file/x/y", "511", "1"}},
    {"makedirs", {"m1/m2/.", "511", "0"}},
    {"exists", {"m1/m2"}},
    {"makedirs", {"", "511", "0"}},
    {"makedirs", {"/", "511", "1"}},
    {"makedirs", {"/", "511", "0"}},
    {"makedirs", {"nl\ndir/new\xfe/x", "448", "0"}},
    {"makedirs", {"a//b2///c2", "511", "0"}},
    {"makedirs", {"./dot/x", "511", "0"}},
    {"makedirs", {"dot/../dot2/x", "511", "0"}},
    {"makedirs", {"/proc/bt_os_test/x", "511", "1"}},
    {"remove", {"missing"}},
    {"remove", {"dir"}},
    {"unlink", {"file2"}},
    {"unlink", {"file2"}},
    {"rmdir", {"missing"}},
    {"rmdir", {"dir"}},
    {"rmdir", {"file"}},
    {"rmdir", {"empty"}},
    {"removedirs", {"a/b/c"}},
    {"exists", {"a"}},
    {"removedirs", {"missing/x"}},
    {"makedirs", {"r1/r2/r3", "511", "0"}},
    {"open", {"r1/keep", "65", "420"}},
    {"removedirs", {"r1/r2/r3"}},
    {"exists", {"r1/r2"}},
    {"exists", {"r1"}},
    {"rename", {"missing", "x"}},
    {"rename", {"dir", "file"}},
    {"rename", {"file", "dir"}},
    {"rename", {"file", "file3"}},
    {"replace", {"file3", "file"}},
    {"rename", {"newd", "dir"}},
    {"rename", {"bad\xff", "nl\ndir/bad\xfe"}},
    {"rename", {"bad\xff", "x"}},
    {"renames", {"file", "n1/n2/file"}},
    {"exists", {"n1/n2/file"}},
    {"renames", {"n1/n2/file", "file"}},
    {"exists", {"n1"}},
    {"renames", {"missing", "q1/q2/x"}},
    {"exists", {"q1/q2"}},
    {"link", {"missing", "x"}},
    {"link", {"file", "hard"}},
    {"link", {"file", "hard"}},
    {"link", {"dir", "dirlink"}},
    {"symlink", {"target", "sym"}},
    {"symlink", {"x", "sym"}},
    {"readlink", {"sym"}},
    {"readlink", {"linkdir"}},
    {"readlink", {"file"}},
    {"readlink", {"missing"}},
    {"chdir", {"missing"}},
    {"chdir", {"file"}},
    {"chmod", {"missing", "420"}},
    {"chmod", {"file", "384"}},
    {"chown", {"missing", "-1", "-1"}},
    {"chown", {"file", "-1", "-1"}},
    {"chown", {"file", "-2", "-1"}},
    {"chown", {"file", "4294967296", "0"}},
    {"chown", {"file", "0", "-5"}},
    {"chown", {"file", "4294967295", "-1"}},
    {"lchown", {"linkfile", "-1", "-1"}},
    {"lchown", {"missing", "0", "0"}},
    {"truncate", {"missing", "0"}},
    {"truncate", {"dir", "0"}},
    {"truncate", {"file", "-1"}},
    {"truncate", {"file", "2"}},
    {"utime", {"missing", "1", "2", "1"}},
    {"utime", {"file", "1.5", "2.25", "1"}},
    {"times", {"file"}},
    {"utime", {"file", "1000000000.123456789", "-1.5", "1"}},
    {"times", {"file"}},
    {"utime", {"file", "1234567890.9999999999", "0.1", "1"}},
    {"times", {"file"}},
    {"utime", {"file", "-0.1", "1.0000000001", "1"}},
    {"times", {"file"}},
    {"utime", {"file", "1e-10", "-1e-10", "1"}},
    {"times", {"file"}},
    {"utime", {"file", "4102444800.7", "-9999999.999999999", "1"}},
    {"times", {"file"}},
    {"utime", {"file", "nan", "1", "1"}},
    {"utime", {"file", "1", "1e300", "1"}},
    {"utime", {"file", "-inf", "1", "1"}},
    {"utime_ns", {"file", "1", "-1", "1"}},
    {"times", {"file"}},
    {"utime_ns", {"file", "-1500000000", "123456789012345", "1"}},
    {"times", {"file"}},
    {"utime", {"linkfile", "10", "20", "0"}},
    {"times", {"linkfile"}},
    {"times", {"file"}},
    {"utime", {"missing", "now", "", "1"}},
    {"access", {"missing", "0"}},
    {"access", {"file", "0"}},
    {"access", {"file", "6"}},
    {"access", {"file", "1"}},
    {"open", {"missing", "0", "0"}},
    {"open", {"file", "192", "420"}},
    {"open", {"dir", "1", "0"}},
    {"open", {"file", "65536", "0"}},
    {"open", {"/proc/version", "1", "0"}},
    {"open", {"newfile", "65", "420"}},
    {"listdir", {"missing"}},
    {"listdir", {"file"}},
    {"listdir", {"nl\ndir"}},
    {"stat", {"missing"}},
    {"lstat", {"missing"}},
    {"stat", {"file/x"}},
    {"stat", {"sym"}},
    {"scandir", {"missing"}},
    {"scandir", {"file"}},
    {"fwalk_top", {"missing"}},
    {"fwalk_top", {"file"}},
    {"tree", {"."}},
};
#define NCALLS (sizeof calls / sizeof calls[0])

static int nargs(const call *c)
{
    int n = 0;
    while (n < 4 && c->a[n])
        n++;
    return n;
}

static char *answer(const call *c)
{
    const char *const *a = c->a;
    const char *op = c->op;
    bt_err err = BT_ERR_INIT;
    bt_buf b = BT_BUF_INIT;
    int rc = 0;
    if (strcmp(op, "mkdir") == 0) {
        rc = bt_os_mkdir(a[0], (unsigned)atoi(a[1]), &err);
    } else if (strcmp(op, "makedirs") == 0) {
        rc = bt_os_makedirs(a[0], (unsigned)atoi(a[1]), a[2][0] == '1', &err);
    } else if (strcmp(op, "remove") == 0) {
        rc = bt_os_remove(a[0], &err);
    } else if (strcmp(op, "unlink") == 0) {
        rc = bt_os_unlink(a[0], &err);
    } else if (strcmp(op, "rmdir") == 0) {
        rc = bt_os_rmdir(a[0], &err);
    } else if (strcmp(op, "removedirs") == 0) {
        rc = bt_os_removedirs(a[0], &err);
    } else if (strcmp(op, "chdir") == 0) {
        rc = bt_os_chdir(a[0], &err);
    } else if (strcmp(op, "rename") == 0) {
        rc = bt_os_rename(a[0], a[1], &err);
    } else if (strcmp(op, "replace") == 0) {
        rc = bt_os_replace(a[0], a[1], &err);
    } else if (strcmp(op, "renames") == 0) {
        rc = bt_os_renames(a[0], a[1], &err);
    } else if (strcmp(op, "link") == 0) {
        rc = bt_os_link(a[0], a[1], &err);
    } else if (strcmp(op, "symlink") == 0) {
        rc = bt_os_symlink(a[0], a[1], &err);
    } else if (strcmp(op, "readlink") == 0) {
        bt_buf t = BT_BUF_INIT;
        rc = bt_os_readlink(a[0], &t, &err);
        if (rc == 0) {
            bt_buf_append_str(&b, "ok:");
            os_test_hex(&b, t.data, t.len);
        }
        bt_buf_fini(&t);
    } else if (strcmp(op, "chmod") == 0) {
        rc = bt_os_chmod(a[0], (unsigned)atoi(a[1]), &err);
    } else if (strcmp(op, "chown") == 0) {
        rc = bt_os_chown(a[0], atoll(a[1]), atoll(a[2]), &err);
    } else if (strcmp(op, "lchown") == 0) {
        rc = bt_os_lchown(a[0], atoll(a[1]), atoll(a[2]), &err);
    } else if (strcmp(op, "truncate") == 0) {
        rc = bt_os_truncate(a[0], atoll(a[1]), &err);
    } else if (strcmp(op, "utime") == 0) {
        double t[2] = {strtod(a[1], NULL), strtod(a[2], NULL)};
        rc = bt_os_utime(a[0], strcmp(a[1], "now") == 0 ? NULL : t,
                         a[3][0] == '1', &err);
    } else if (strcmp(op, "utime_ns") == 0) {
        int64_t t[2] = {atoll(a[1]), atoll(a[2])};
        rc = bt_os_utime_ns(a[0], t, a[3][0] == '1', &err);
    } else if (strcmp(op, "times") == 0) {
        bt_os_stat_result st;
        rc = bt_os_lstat(a[0], &st, &err);
        if (rc == 0)
            bt_buf_printf(&b, "ok:%lld %lld", (long long)st.st_atime_ns,
                          (long long)st.st_mtime_ns);
    } else if (strcmp(op, "access") == 0) {
        bt_buf_printf(&b, "ok:%d", bt_os_access(a[0], atoi(a[1])));
    } else if (strcmp(op, "open") == 0) {
        rc = bt_os_open(a[0], atoi(a[1]), (unsigned)atoi(a[2]), &err);
        if (rc >= 0)
            rc = bt_os_close(rc, &err);
    } else if (strcmp(op, "listdir") == 0) {
        char *s = os_test_listdir(a[0]);
        if (strchr(s, ':'))
            bt_buf_append_str(&b, s); /* the error */
        else
            bt_buf_printf(&b, "ok:%s", s);
        free(s);
    } else if (strcmp(op, "stat") == 0 || strcmp(op, "lstat") == 0) {
        bt_os_stat_result st;
        rc = op[0] == 's' ? bt_os_stat(a[0], &st, &err)
                          : bt_os_lstat(a[0], &st, &err);
    } else if (strcmp(op, "scandir") == 0) {
        bt_os_scandir_iter *it;
        rc = bt_os_scandir(a[0], &it, &err);
        if (rc == 0)
            bt_os_scandir_close(it);
    } else if (strcmp(op, "fwalk_top") == 0) {
        bt_os_walk_iter *w = NULL;
        rc = bt_os_fwalk(a[0], NULL, -1, &w, &err);
        if (rc == 0) {
            bt_os_walk_step s;
            while ((rc = bt_os_walk_next(w, &s, &err)) > 0)
                continue;
            bt_os_walk_close(w);
        }
    } else if (strcmp(op, "exists") == 0) {
        bt_os_stat_result st;
        bt_buf_printf(&b, "ok:%d", bt_os_lstat(a[0], &st, NULL) == 0);
    } else if (strcmp(op, "tree") == 0) {
        /* Every path under a[0], sorted, as the oracle lists them. */
        bt_strvec all = BT_STRVEC_INIT;
        bt_os_walk_iter *w;
        cr_assert_eq(bt_os_walk(a[0], NULL, &w), 0);
        bt_os_walk_step s;
        bt_buf p = BT_BUF_INIT;
        while (bt_os_walk_next(w, &s, NULL) > 0) {
            const bt_strvec *lists[] = {s.dirnames, s.filenames};
            for (int k = 0; k < 2; k++) {
                for (size_t i = 0; i < lists[k]->count; i++) {
                    bt_buf_clear(&p);
                    bt_buf_printf(&p, "%s/%s", s.dirpath, lists[k]->items[i]);
                    bt_strvec_append(&all, p.data, p.len);
                }
            }
        }
        bt_os_walk_close(w);
        bt_strvec_sort(&all);
        bt_buf_append_str(&b, "ok:");
        for (size_t i = 0; i < all.count; i++) {
            if (i)
                bt_buf_append_byte(&b, ',');
            os_test_hex(&b, all.items[i], all.lens[i]);
        }
        bt_buf_fini(&p);
        bt_strvec_fini(&all);
    } else {
        cr_assert_fail("unknown op %s", op);
    }
    if (rc < 0)
        os_test_exc(&b, rc, &err);
    else if (!b.len)
        bt_buf_append_str(&b, "ok");
    char *s = strdup(b.data);
    bt_buf_fini(&b);
    return s;
}

Test(os_calls, match_cpython_call_by_call)
{
    memset(long_name, 'x', 300);
    char mine[64], theirs[64];
    os_test_mkroot(mine);
    os_test_mkroot(theirs);
    os_test_small_tree(mine);
    os_test_small_tree(theirs);
    bt_buf cmds = BT_BUF_INIT;
    for (size_t i = 0; i < NCALLS; i++) {
        const char *args[5] = {calls[i].op};
        int n = nargs(&calls[i]);
        for (int k = 0; k < n; k++)
            args[k + 1] = calls[i].a[k];
        os_test_cmd(&cmds, "call", n + 1, args);
    }
    char **want = os_test_oracle(theirs, &cmds, NCALLS);
    cr_assert_eq(chdir(mine), 0);
    for (size_t i = 0; i < NCALLS; i++) {
        char *got = answer(&calls[i]);
        cr_expect_str_eq(got, want[i], "call %zu: %s('%s', '%s'): %s != %s", i,
                         calls[i].op, calls[i].a[0],
                         calls[i].a[1] ? calls[i].a[1] : "", got, want[i]);
        free(got);
    }
    os_test_free_lines(want, NCALLS);
    bt_buf_fini(&cmds);
    cr_assert_eq(chdir("/"), 0);
    os_test_rm(mine);
    os_test_rm(theirs);
}

Test(os_calls, times_beyond_int64_nanoseconds_saturate)
{
    char root[64];
    os_test_mkroot(root);
    cr_assert_eq(chdir(root), 0);
    os_test_touch("f", NULL);
    /* 10**11 s is past 2262; the file system may clamp it (ext4 stops in
     * 2446), still past what int64 nanoseconds hold. */
    double t[2] = {1e11, 0.5};
    cr_assert_eq(bt_os_utime("f", t, true, NULL), 0);
    bt_os_stat_result st;
    cr_assert_eq(bt_os_stat("f", &st, NULL), 0);
    cr_expect_eq(st.st_atime_ns, INT64_MAX);
    cr_expect_gt(st.st_atime_s, 9.3e9, "the float keeps the time");
    cr_expect_eq(st.st_mtime_ns, 500000000);
    cr_assert_eq(chdir("/"), 0);
    os_test_rm(root);
}

Test(os_calls, permission_denied_as_a_normal_user)
{
    if (geteuid() == 0)
        cr_skip_test(
            "running as root: mode 000 does not stop root (the /proc cases in "
            "os_calls::match_cpython_call_by_call cover EACCES for root)");
    char root[64];
    os_test_mkroot(root);
    cr_assert_eq(chdir(root), 0);
    cr_assert_eq(mkdir("locked", 0), 0);
    bt_strvec v = BT_STRVEC_INIT;
    bt_err err = BT_ERR_INIT;
    cr_expect_eq(bt_os_listdir("locked", &v, &err), BT_EACCES);
    cr_expect_str_eq(err.msg, "[Errno 13] Permission denied: 'locked'");
    cr_expect_eq(bt_os_mkdir("locked/x", 0777, &err), BT_EACCES);
    cr_expect_str_eq(err.msg, "[Errno 13] Permission denied: 'locked/x'");
    cr_expect_eq(bt_os_makedirs("locked/x/y", 0777, true, &err), BT_EACCES);
    cr_expect_str_eq(err.msg, "[Errno 13] Permission denied: 'locked/x'");
    bt_strvec_fini(&v);
    cr_assert_eq(chmod("locked", 0700), 0);
    cr_assert_eq(chdir("/"), 0);
    os_test_rm(root);
}

Test(os_calls, getcwd_and_chdir)
{
    char root[64];
    os_test_mkroot(root);
    cr_assert_eq(bt_os_chdir(root, NULL), 0);
    bt_buf cwd = BT_BUF_INIT;
    cr_assert_eq(bt_buf_append_str(&cwd, "prefix:"), 0);
    cr_assert_eq(bt_os_getcwd(&cwd, NULL), 0);
    char want[80];
    snprintf(want, sizeof want, "prefix:%s", root);
    cr_expect_str_eq(cwd.data, want, "appended to what the buffer held");
    /* A long path: getcwd grows its buffer. */
    bt_buf deep = BT_BUF_INIT;
    bt_buf_append_str(&deep, root);
    for (int i = 0; i < 40; i++) {
        bt_buf_append_str(&deep,
                          "/a_rather_long_directory_name_to_grow_the_path");
        cr_assert_eq(bt_os_mkdir(deep.data, 0755, NULL), 0);
    }
    cr_assert_eq(bt_os_chdir(deep.data, NULL), 0);
    bt_buf_clear(&cwd);
    cr_assert_eq(bt_os_getcwd(&cwd, NULL), 0);
    cr_expect_str_eq(cwd.data, deep.data);
    int fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    cr_assert_eq(bt_os_fchdir(fd, NULL), 0);
    close(fd);
    bt_buf_clear(&cwd);
    cr_assert_eq(bt_os_getcwd(&cwd, NULL), 0);
    cr_expect_str_eq(cwd.data, root);
    bt_err err = BT_ERR_INIT;
    cr_expect_eq(bt_os_fchdir(-1, &err), BT_EBADF);
    cr_expect_str_eq(err.msg, "[Errno 9] Bad file descriptor");
    /* The directory removed under us: Python's message has no file name. */
    cr_assert_eq(bt_os_mkdir("gone", 0755, NULL), 0);
    cr_assert_eq(bt_os_chdir("gone", NULL), 0);
    cr_assert_eq(bt_os_rmdir("../gone", NULL), 0);
    bt_buf_clear(&cwd);
    cr_expect_eq(bt_os_getcwd(&cwd, &err), BT_ENOENT);
    cr_expect_str_eq(err.msg, "[Errno 2] No such file or directory");
    cr_expect_eq(cwd.len, 0u);
    cr_assert_eq(chdir("/"), 0);
    bt_buf_fini(&cwd);
    bt_buf_fini(&deep);
    os_test_rm(root);
}

Test(os_calls, at_variants)
{
    char root[64];
    os_test_mkroot(root);
    int dfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    cr_assert_geq(dfd, 0);
    cr_assert_eq(chdir("/"), 0);
    bt_err err = BT_ERR_INIT;
    cr_assert_eq(bt_os_mkdir_at(dfd, "d", 0755, NULL), 0);
    int fd = bt_os_open_at(dfd, "d/f", O_CREAT | O_WRONLY, 0644, NULL);
    cr_assert_geq(fd, 0);
    cr_expect_eq(bt_os_get_inheritable(fd, NULL), 0,
                 "open_at is close-on-exec too");
    close(fd);
    bt_os_stat_result st;
    cr_assert_eq(bt_os_stat_at(dfd, "d/f", true, &st, NULL), 0);
    cr_expect(S_ISREG(st.st_mode));
    cr_expect_eq(bt_os_stat_at(dfd, "nope", false, &st, &err), BT_ENOENT);
    cr_expect_str_eq(err.msg, "[Errno 2] No such file or directory: 'nope'");
    cr_expect_eq(bt_os_rmdir_at(dfd, "d", &err), BT_ENOTEMPTY);
    cr_expect_str_eq(err.msg, "[Errno 39] Directory not empty: 'd'");
    cr_assert_eq(bt_os_unlink_at(dfd, "d/f", NULL), 0);
    cr_expect_eq(bt_os_unlink_at(dfd, "d/f", &err), BT_ENOENT);
    cr_assert_eq(bt_os_rmdir_at(dfd, "d", NULL), 0);
    cr_expect_eq(bt_os_mkdir_at(-1, "tmp", 0755, &err), BT_EEXIST,
                 "negative: the cwd (/)");
    cr_expect_str_eq(err.msg, "[Errno 17] File exists: 'tmp'");
    close(dfd);
    os_test_rm(root);
}
