/*
 * listdir, scandir, stat, walk and fwalk on a fixture tree, compared live
 * with CPython run on the same tree (tests/os/os_oracle.py): names and
 * their order, DirEntry answers, every stat field, and the steps of every
 * walk (top-down, bottom-up, pruned, reordered, followlinks through two
 * symbolic link loops, onerror stopping the walk).
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bt_test.h"
#include "os_test.h"

static char root[64];

/* Reads every directory and follows every link once, so the access times
 * relatime updates on a first read are settled before either side stats. */
static void settle(void)
{
    char cmd[160];
    snprintf(cmd, sizeof cmd,
             "cd '%s' && find . > /dev/null && find -L . > /dev/null 2>&1",
             root);
    cr_assert_neq(system(cmd), -1);
}

/* Runs each command on both sides and compares the lines. ours(i) gives
 * our answer to command i. */
typedef char *(*answer_fn)(size_t i, const void *arg);

static void compare(const bt_buf *cmds, size_t n, answer_fn ours,
                    const void *arg, const char *const *what)
{
    char **want = os_test_oracle(root, cmds, n);
    for (size_t i = 0; i < n; i++) {
        char *got = ours(i, arg);
        cr_expect_str_eq(got, want[i], "%s", what[i]);
        free(got);
    }
    os_test_free_lines(want, n);
}

static const char *paths[] = {
    ".",
    "sub",
    "sub/",
    "sub/deep",
    "sub/deep/er",
    "e\xc3\xa9",
    "bad\xff",
    "nl\nname",
    "empty",
    "link_dir",
    "link_dir/deep",
    "a.txt",
    "file\nnl",
    "link_file",
    "dangling",
    "selfloop",
    "loop",
    "fifo",
    "missing",
    "",
    "a.txt/x",
    "sub/deep/up",
    "bad\xff/f\xfe.txt",
};
#define NPATHS (sizeof paths / sizeof paths[0])

static char *ans_listdir(size_t i, const void *arg)
{
    (void)arg;
    return os_test_listdir(paths[i]);
}

Test(os_tree, listdir_matches_cpython)
{
    os_test_tree(root);
    bt_buf cmds = BT_BUF_INIT;
    for (size_t i = 0; i < NPATHS; i++)
        os_test_cmd(&cmds, "listdir", 1, &paths[i]);
    compare(&cmds, NPATHS, ans_listdir, NULL, paths);
    bt_buf_fini(&cmds);

    /* The absolute root, and listdir(None) = ".". */
    char *a = os_test_listdir(root), *b = os_test_listdir(NULL),
         *c = os_test_listdir(".");
    cr_expect_str_eq(a, c);
    cr_expect_str_eq(b, c);
    free(a);
    free(b);
    free(c);
    os_test_rm(root);
}

static char *ans_scandir(size_t i, const void *arg)
{
    return os_test_scandir(paths[i], *(const bool *)arg);
}

Test(os_tree, scandir_matches_cpython)
{
    os_test_tree(root);
    settle();
    bt_buf cmds = BT_BUF_INIT;
    for (size_t i = 0; i < NPATHS; i++)
        os_test_cmd(&cmds, "scandir", 1, &paths[i]);
    bool known = false, unknown = true;
    compare(&cmds, NPATHS, ans_scandir, &known, paths);
    /* The same answers when readdir does not give the type (DT_UNKNOWN, as
     * on some file systems): every method then stats. */
    compare(&cmds, NPATHS, ans_scandir, &unknown, paths);
    bt_buf_fini(&cmds);
    os_test_rm(root);
}

static char *ans_stat(size_t i, const void *arg)
{
    (void)arg;
    return os_test_stat(paths[i / 2], i % 2 == 0);
}

Test(os_tree, stat_fields_match_cpython)
{
    os_test_tree(root);
    settle();
    bt_buf cmds = BT_BUF_INIT;
    const char *what[2 * NPATHS];
    for (size_t i = 0; i < NPATHS; i++) {
        const char *args[][2] = {{paths[i], "1"}, {paths[i], "0"}};
        os_test_cmd(&cmds, "stat", 2, args[0]);
        os_test_cmd(&cmds, "stat", 2, args[1]);
        what[2 * i] = what[2 * i + 1] = paths[i];
    }
    compare(&cmds, 2 * NPATHS, ans_stat, NULL, what);
    bt_buf_fini(&cmds);
    os_test_rm(root);
}

typedef struct walk_case {
    const char *top;
    const char *flags;
} walk_case;

static const walk_case walks[] = {
    {".", "t"},
    {".", "b"},
    {".", "tp"},
    {".", "tpr"},
    {".", "tpa"},
    {".", "bp"},
    {".", "br"},
    {".", "tf"},
    {".", "bf"},
    {".", "tfp"},
    {".", "tfr"},
    {"sub", "t"},
    {"sub/", "b"},
    {"sub", "tf"},
    {"sub", "bf"},
    {"link_dir", "t"},
    {"link_dir", "tf"},
    {"missing", "t"},
    {"missing", "b"},
    {"a.txt", "t"},
    {"", "t"},
    {".", "tax"},
    {".", "tx"},
    {"empty", "b"},
    {"bad\xff", "t"},
    {"nl\nname", "b"},
    {"sub/deep/up", "t"},
    {"sub/deep/up", "tfp"},
};
#define NWALKS (sizeof walks / sizeof walks[0])

static const char *fwalk_tops[] = {".",     "sub",      "link_dir",   "missing",
                                   "a.txt", "dangling", "sub/deep/up"};

typedef struct walk_set {
    bool fwalk;
    size_t n;
    const walk_case *cases;
} walk_set;

static char *ans_walk(size_t i, const void *arg)
{
    const walk_set *s = arg;
    return os_test_walk(s->fwalk, s->cases[i].top, s->cases[i].flags);
}

static void run_walks(bool fwalk, const walk_case *cases, size_t n)
{
    bt_buf cmds = BT_BUF_INIT;
    const char **what = calloc(n, sizeof *what);
    char **labels = calloc(n, sizeof *labels);
    for (size_t i = 0; i < n; i++) {
        const char *args[] = {cases[i].top, cases[i].flags};
        os_test_cmd(&cmds, fwalk ? "fwalk" : "walk", 2, args);
        labels[i] = malloc(160);
        snprintf(labels[i], 160, "%s('%s', flags '%s')",
                 fwalk ? "fwalk" : "walk", cases[i].top, cases[i].flags);
        what[i] = labels[i];
    }
    walk_set set = {fwalk, n, cases};
    compare(&cmds, n, ans_walk, &set, what);
    for (size_t i = 0; i < n; i++)
        free(labels[i]);
    free(labels);
    free(what);
    bt_buf_fini(&cmds);
}

Test(os_tree, walk_matches_cpython)
{
    os_test_tree(root);
    run_walks(false, walks, NWALKS);
    /* The absolute root too. */
    walk_case abs[] = {{root, "t"}, {root, "bf"}};
    run_walks(false, abs, 2);
    os_test_rm(root);
}

Test(os_tree, fwalk_matches_cpython)
{
    os_test_tree(root);
    static const char *flags[] = {"t", "b", "tf", "bf", "tpr", "tpa", "tx"};
    size_t nt = sizeof fwalk_tops / sizeof fwalk_tops[0],
           nf = sizeof flags / sizeof flags[0];
    walk_case *cases = calloc(nt * nf, sizeof *cases);
    for (size_t i = 0; i < nt; i++)
        for (size_t k = 0; k < nf; k++)
            cases[i * nf + k] = (walk_case){fwalk_tops[i], flags[k]};
    run_walks(true, cases, nt * nf);
    free(cases);
    os_test_rm(root);
}

/* Open descriptors of the process (less the one that lists them). */
static int count_fds(void)
{
    bt_strvec v = BT_STRVEC_INIT;
    ptrdiff_t n = bt_os_listdir("/proc/self/fd", &v, NULL);
    cr_assert_gt(n, 0);
    bt_strvec_fini(&v);
    return (int)n - 1;
}

Test(os_tree, walk_holds_no_descriptor_between_steps)
{
    os_test_tree(root);
    int before = count_fds();
    bt_os_walk_iter *w;
    cr_assert_eq(bt_os_walk(".", NULL, &w), 0);
    bt_os_walk_step s;
    cr_assert_eq(bt_os_walk_next(w, &s, NULL), 1);
    cr_assert_eq(bt_os_walk_next(w, &s, NULL), 1);
    cr_expect_eq(count_fds(), before, "walk holds no descriptor between steps");
    bt_os_walk_close(w);
    /* fwalk holds one per level (here ".", sub, deep), and frees them all
     * on close. */
    cr_assert_eq(bt_os_fwalk(NULL, NULL, -1, &w, NULL), 0);
    while (bt_os_walk_next(w, &s, NULL) > 0)
        if (strcmp(s.dirpath, "./sub/deep") == 0)
            break;
    cr_assert_str_eq(s.dirpath, "./sub/deep");
    cr_expect_eq(count_fds(), before + 3, "fwalk: one descriptor per level");
    bt_os_walk_close(w);
    cr_expect_eq(count_fds(), before, "fwalk's descriptors released");
    os_test_rm(root);
}

Test(os_tree, fd_listings_match_path_listings)
{
    os_test_tree(root);
    int fd = open("sub", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    cr_assert_geq(fd, 0);
    bt_strvec a = BT_STRVEC_INIT, b = BT_STRVEC_INIT;
    cr_assert_gt(bt_os_listdir("sub", &a, NULL), 0);
    cr_assert_eq(bt_os_listdir_fd(fd, &b, NULL), (ptrdiff_t)a.count);
    /* The offset is rewound: a second listing gives the same. */
    cr_assert_eq(bt_os_listdir_fd(fd, &b, NULL), (ptrdiff_t)a.count);
    for (size_t i = 0; i < a.count; i++) {
        cr_expect_str_eq(b.items[i], a.items[i]);
        cr_expect_str_eq(b.items[a.count + i], a.items[i]);
    }
    bt_os_scandir_iter *it;
    cr_assert_eq(bt_os_scandir_fd(fd, &it, NULL), 0);
    bt_os_direntry *e;
    size_t k = 0;
    while (bt_os_scandir_next(it, &e, NULL) > 0) {
        cr_expect_str_eq(e->name, a.items[k]);
        cr_expect_str_eq(e->path, a.items[k], "scandir(fd): path is the name");
        bt_os_stat_result st;
        cr_expect_eq(bt_os_direntry_stat(e, false, &st, NULL), 0);
        k++;
    }
    cr_expect_eq(k, a.count);
    bt_os_scandir_close(it);
    /* The caller's descriptor stays open. */
    cr_expect_eq(bt_os_listdir_fd(fd, &b, NULL), (ptrdiff_t)a.count);
    close(fd);

    /* Errors name the descriptor by number, as Python. */
    bt_err err = BT_ERR_INIT;
    fd = open("a.txt", O_RDONLY | O_CLOEXEC);
    cr_assert_eq(bt_os_listdir_fd(fd, &b, &err), BT_ENOTDIR);
    char want[64];
    snprintf(want, sizeof want, "[Errno 20] Not a directory: %d", fd);
    cr_expect_str_eq(err.msg, want);
    cr_assert_eq(bt_os_scandir_fd(fd, &it, &err), BT_ENOTDIR);
    cr_expect_str_eq(err.msg, want);
    close(fd);
    cr_assert_eq(bt_os_scandir_fd(-1, &it, &err), BT_EBADF);
    cr_expect_str_eq(err.msg, "[Errno 9] Bad file descriptor");
    bt_strvec_fini(&a);
    bt_strvec_fini(&b);
    os_test_rm(root);
}

Test(os_tree, scandir_default_path_and_entry_errors)
{
    os_test_tree(root);
    bt_os_scandir_iter *it;
    cr_assert_eq(bt_os_scandir(NULL, &it, NULL), 0);
    bt_os_direntry *e;
    bool saw = false;
    bt_err err = BT_ERR_INIT;
    while (bt_os_scandir_next(it, &e, NULL) > 0) {
        cr_expect(strncmp(e->path, "./", 2) == 0,
                  "scandir() paths start with ./: %s", e->path);
        if (strcmp(e->name, "selfloop") == 0) {
            saw = true;
            cr_expect_eq(bt_os_direntry_is_dir(e, true, &err), BT_ELOOP);
            cr_expect_str_eq(
                err.msg,
                "[Errno 40] Too many levels of symbolic links: './selfloop'");
            cr_expect_eq(bt_os_direntry_is_symlink(e, NULL), 1);
        }
    }
    cr_expect(saw);
    /* Once over, it stays over. */
    cr_expect_eq(bt_os_scandir_next(it, &e, NULL), 0);
    bt_os_scandir_close(it);
    bt_os_scandir_close(NULL);
    os_test_rm(root);
}
