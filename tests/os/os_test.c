/* os_test.c — see os_test.h. */
#include "os_test.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void os_test_mkroot(char root[64])
{
    snprintf(root, 64, "/tmp/bt_os_XXXXXX");
    cr_assert_not_null(mkdtemp(root));
}

void os_test_touch(const char *p, const char *content)
{
    int fd = open(p, O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, 0644);
    cr_assert_geq(fd, 0, "create %s", p);
    if (content)
        cr_assert_eq(write(fd, content, strlen(content)),
                     (ssize_t)strlen(content));
    close(fd);
}

/*
 * The read-only fixture: files, nested and empty directories, names with a
 * newline, UTF-8 and bytes that are not UTF-8, symbolic links to a file, to
 * a directory, dangling, to themselves, and two loops back to the top (for
 * followlinks), a FIFO, and "skip*" directories to prune.
 */
void os_test_tree(char root[64])
{
    os_test_mkroot(root);
    cr_assert_eq(chdir(root), 0);
    const char *dirs[] = {
        "sub",      "sub/deep",    "sub/deep/er",      "skipme",
        "skip2",    "skip2/inner", "e\xc3\xa9",        "bad\xff",
        "nl\nname", "empty",       "sub/deep/er/last", NULL};
    for (size_t i = 0; dirs[i]; i++)
        cr_assert_eq(mkdir(dirs[i], 0755), 0, "mkdir %s", dirs[i]);
    const char *files[] = {"a.txt",
                           "b.bin",
                           "sub/c.txt",
                           "sub/deep/d.txt",
                           "skipme/x.txt",
                           "e\xc3\xa9/u.txt",
                           "bad\xff/f\xfe.txt",
                           "file\nnl",
                           "nl\nname/in",
                           "sub/deep/er/last/z",
                           NULL};
    for (size_t i = 0; files[i]; i++)
        os_test_touch(files[i], files[i]);
    cr_assert_eq(symlink("sub", "link_dir"), 0);
    cr_assert_eq(symlink("a.txt", "link_file"), 0);
    cr_assert_eq(symlink("nowhere", "dangling"), 0);
    cr_assert_eq(symlink("selfloop", "selfloop"), 0);
    cr_assert_eq(symlink(".", "loop"), 0);
    cr_assert_eq(symlink("../..", "sub/deep/up"), 0);
    cr_assert_eq(mkfifo("fifo", 0644), 0);
}

/*
 * The tree the mutating calls run in (one copy per side): files, a
 * non-empty and an empty directory, links to a file and to a directory,
 * names that are not UTF-8 or hold a newline.
 */
void os_test_small_tree(const char *root)
{
    char p[256];
    const char *dirs[] = {"dir", "dir/inner", "empty", "nl\ndir", NULL};
    for (size_t i = 0; dirs[i]; i++) {
        snprintf(p, sizeof p, "%s/%s", root, dirs[i]);
        cr_assert_eq(mkdir(p, 0755), 0, "mkdir %s", p);
    }
    const char *files[] = {"file", "file2", "dir/f", "bad\xff", NULL};
    for (size_t i = 0; files[i]; i++) {
        snprintf(p, sizeof p, "%s/%s", root, files[i]);
        os_test_touch(p, "data");
    }
    snprintf(p, sizeof p, "%s/linkfile", root);
    cr_assert_eq(symlink("file", p), 0);
    snprintf(p, sizeof p, "%s/linkdir", root);
    cr_assert_eq(symlink("dir", p), 0);
}

void os_test_rm(const char *root)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    cr_assert_eq(system(cmd), 0);
}

void os_test_hex(bt_buf *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        cr_assert_eq(bt_buf_printf(b, "%02x", (unsigned char)s[i]), 0);
}

void os_test_cmd(bt_buf *cmds, const char *op, int nargs,
                 const char *const *args)
{
    bt_buf_append_str(cmds, op);
    for (int i = 0; i < nargs; i++) {
        bt_buf_append_byte(cmds, '\t');
        os_test_hex(cmds, args[i], strlen(args[i]));
    }
    bt_buf_append_byte(cmds, '\n');
}

char **os_test_oracle(const char *root, const bt_buf *cmds, size_t n)
{
    char in[] = "/tmp/bt_os_cmds_XXXXXX", out[] = "/tmp/bt_os_answers_XXXXXX";
    int fi = mkstemp(in), fo = mkstemp(out);
    cr_assert(fi >= 0 && fo >= 0);
    cr_assert_eq(write(fi, cmds->data, cmds->len), (ssize_t)cmds->len);
    close(fi);
    close(fo);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "python3 %s/tests/os/os_oracle.py '%s' < %s > %s",
             BT_TEST_SOURCE_ROOT, root, in, out);
    cr_assert_eq(system(cmd), 0, "the CPython oracle failed");
    FILE *f = fopen(out, "r");
    cr_assert_not_null(f);
    char **lines = calloc(n, sizeof *lines);
    size_t cap = 0;
    for (size_t i = 0; i < n; i++) {
        char *line = NULL;
        ssize_t k = getline(&line, &cap, f);
        cr_assert_gt(k, 0, "the oracle answered %zu of %zu lines", i, n);
        if (line[k - 1] == '\n')
            line[k - 1] = '\0';
        lines[i] = line;
        cap = 0;
    }
    fclose(f);
    unlink(in);
    unlink(out);
    return lines;
}

void os_test_free_lines(char **lines, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(lines[i]);
    free(lines);
}

void os_test_exc(bt_buf *b, int code, const bt_err *err)
{
    cr_assert_eq(err->code, code, "err.code %d, returned %d (%s)", err->code,
                 code, err->msg);
    bt_buf_printf(b, "%s:%s", bt_errname(code), err->msg);
}

static char *take(bt_buf *b)
{
    char *s = strdup(b->data ? b->data : "");
    bt_buf_fini(b);
    return s;
}

char *os_test_listdir(const char *path)
{
    bt_strvec v = BT_STRVEC_INIT;
    bt_err err = BT_ERR_INIT;
    bt_buf b = BT_BUF_INIT;
    ptrdiff_t n = bt_os_listdir(path, &v, &err);
    if (n < 0) {
        os_test_exc(&b, (int)n, &err);
    } else {
        cr_assert_eq((size_t)n, v.count);
        for (size_t i = 0; i < v.count; i++) {
            if (i)
                bt_buf_append_byte(&b, ',');
            os_test_hex(&b, v.items[i], v.lens[i]);
        }
    }
    bt_strvec_fini(&v);
    return take(&b);
}

static void attempt(bt_buf *b, int rc)
{
    if (rc < 0)
        bt_buf_printf(b, "E%d", -rc);
    else
        bt_buf_printf(b, "%d", rc);
}

static void attempt_ino(bt_buf *b, int rc, const bt_os_stat_result *st)
{
    if (rc < 0)
        bt_buf_printf(b, "E%d", -rc);
    else
        bt_buf_printf(b, "%llu", (unsigned long long)st->st_ino);
}

char *os_test_scandir(const char *path, bool force_unknown)
{
    bt_os_scandir_iter *it;
    bt_err err = BT_ERR_INIT;
    bt_buf b = BT_BUF_INIT;
    int rc = bt_os_scandir(path, &it, &err);
    if (rc < 0) {
        os_test_exc(&b, rc, &err);
        return take(&b);
    }
    bt_os_direntry *e;
    size_t k = 0;
    while ((rc = bt_os_scandir_next(it, &e, &err)) > 0) {
        if (force_unknown)
            e->priv.d_type = DT_UNKNOWN; /* as a file system without d_type */
        if (k++)
            bt_buf_append_byte(&b, ',');
        os_test_hex(&b, e->name, e->name_len);
        bt_buf_append_byte(&b, ':');
        os_test_hex(&b, e->path, e->path_len);
        cr_assert_eq(strlen(e->path), e->path_len);
        bt_buf_printf(&b,
                      ":%llu:", (unsigned long long)bt_os_direntry_inode(e));
        attempt(&b, bt_os_direntry_is_dir(e, true, NULL));
        bt_buf_append_byte(&b, ':');
        attempt(&b, bt_os_direntry_is_file(e, true, NULL));
        bt_buf_append_byte(&b, ':');
        attempt(&b, bt_os_direntry_is_symlink(e, NULL));
        bt_buf_append_byte(&b, ':');
        attempt(&b, bt_os_direntry_is_dir(e, false, NULL));
        bt_buf_append_byte(&b, ':');
        attempt(&b, bt_os_direntry_is_file(e, false, NULL));
        bt_os_stat_result st;
        bt_buf_append_byte(&b, ':');
        attempt_ino(&b, bt_os_direntry_stat(e, true, &st, NULL), &st);
        bt_buf_append_byte(&b, ':');
        attempt_ino(&b, bt_os_direntry_stat(e, false, &st, NULL), &st);
    }
    cr_assert_eq(rc, 0);
    cr_assert_null(e);
    bt_os_scandir_close(it);
    return take(&b);
}

static void fbits(bt_buf *b, double x)
{
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    bt_buf_printf(b, "%016llx", (unsigned long long)u);
}

char *os_test_stat(const char *path, bool follow)
{
    bt_os_stat_result st;
    bt_err err = BT_ERR_INIT;
    bt_buf b = BT_BUF_INIT;
    int rc =
        follow ? bt_os_stat(path, &st, &err) : bt_os_lstat(path, &st, &err);
    if (rc < 0) {
        os_test_exc(&b, rc, &err);
        return take(&b);
    }
    bt_buf_printf(&b, "%u %llu %llu %llu %u %u %lld %lld %lld %lld ",
                  st.st_mode, (unsigned long long)st.st_ino,
                  (unsigned long long)st.st_dev,
                  (unsigned long long)st.st_nlink, st.st_uid, st.st_gid,
                  (long long)st.st_size, (long long)st.st_atime_ns,
                  (long long)st.st_mtime_ns, (long long)st.st_ctime_ns);
    fbits(&b, st.st_atime_s);
    bt_buf_append_byte(&b, ' ');
    fbits(&b, st.st_mtime_s);
    bt_buf_append_byte(&b, ' ');
    fbits(&b, st.st_ctime_s);
    bt_buf_printf(&b, " %lld %lld %llu", (long long)st.st_blocks,
                  (long long)st.st_blksize, (unsigned long long)st.st_rdev);
    return take(&b);
}

typedef struct walk_rec {
    bt_buf *out;
    bool stop;
} walk_rec;

static void sep(bt_buf *b)
{
    if (b->len)
        bt_buf_append_byte(b, ';');
}

static int on_error(void *arg, int code, const bt_err *err)
{
    walk_rec *r = arg;
    sep(r->out);
    bt_buf_append_str(r->out, "E:");
    os_test_exc(r->out, code, err);
    return r->stop ? -1 : 0;
}

static void names(bt_buf *b, const bt_strvec *v)
{
    for (size_t i = 0; i < v->count; i++) {
        if (i)
            bt_buf_append_byte(b, ',');
        os_test_hex(b, v->items[i], v->lens[i]);
    }
}

/* What the oracle's modify() does to dirnames. */
static void modify(bt_strvec *dirs, const char *flags)
{
    if (strchr(flags, 'p')) {
        for (size_t i = dirs->count; i-- > 0;)
            if (strncmp(dirs->items[i], "skip", 4) == 0)
                cr_assert_eq(bt_strvec_remove(dirs, i), 0);
    }
    if (strchr(flags, 'r')) {
        bt_strvec rev = BT_STRVEC_INIT;
        for (size_t i = dirs->count; i-- > 0;)
            cr_assert_eq(bt_strvec_append(&rev, dirs->items[i], dirs->lens[i]),
                         0);
        bt_strvec_clear(dirs);
        for (size_t i = 0; i < rev.count; i++)
            cr_assert_eq(bt_strvec_append(dirs, rev.items[i], rev.lens[i]), 0);
        bt_strvec_fini(&rev);
    }
    if (strchr(flags, 'a'))
        cr_assert_eq(bt_strvec_append_str(dirs, "ghost"), 0);
}

char *os_test_walk(bool fwalk, const char *top, const char *flags)
{
    bt_buf b = BT_BUF_INIT;
    walk_rec rec = {&b, strchr(flags, 'x') != NULL};
    bt_os_walk_opts o = BT_OS_WALK_OPTS_INIT;
    o.topdown = strchr(flags, 't') != NULL;
    o.followlinks = strchr(flags, 'f') != NULL;
    o.onerror = on_error;
    o.onerror_arg = &rec;
    bt_os_walk_iter *w;
    bt_err err = BT_ERR_INIT;
    int rc =
        fwalk ? bt_os_fwalk(top, &o, -1, &w, &err) : bt_os_walk(top, &o, &w);
    if (rc < 0) {
        os_test_exc(&b, rc, &err);
        return take(&b);
    }
    bt_os_walk_step s;
    while ((rc = bt_os_walk_next(w, &s, &err)) > 0) {
        sep(&b);
        bt_buf_append_str(&b, "Y:");
        os_test_hex(&b, s.dirpath, s.dirpath_len);
        cr_assert_eq(strlen(s.dirpath), s.dirpath_len);
        bt_buf_append_byte(&b, ':');
        names(&b, s.dirnames);
        bt_buf_append_byte(&b, ':');
        names(&b, s.filenames);
        if (fwalk) {
            bt_os_stat_result st;
            cr_assert_eq(bt_os_fstat(s.dirfd, &st, NULL), 0);
            bt_buf_printf(&b, ":%llu", (unsigned long long)st.st_ino);
        } else {
            cr_assert_eq(s.dirfd, -1);
        }
        modify(s.dirnames, flags);
    }
    if (rc == -1 && rec.stop) {
        sep(&b);
        bt_buf_append_str(&b, "STOP");
        cr_assert_eq(bt_os_walk_next(w, &s, &err), 0,
                     "a stopped walk stays over");
    } else if (rc < 0) {
        /* Raised out of the walk (fwalk of a non-directory with follow):
         * Python's answer is the exception alone, with the descriptor's
         * number (which differs between the processes) as FD. */
        bt_buf_clear(&b);
        os_test_exc(&b, rc, &err);
        char *colon = strrchr(b.data, ':');
        if (colon && colon[1] == ' ' &&
            strspn(colon + 2, "0123456789") == strlen(colon + 2)) {
            b.len = (size_t)(colon - b.data);
            bt_buf_append_str(&b, ": FD");
        }
    }
    bt_os_walk_close(w);
    return take(&b);
}
