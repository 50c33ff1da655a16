/* glob.glob on a fixture tree, compared live with CPython's glob on the
 * same tree (tests/glob/glob_oracle.py). */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <batteries/glob.h>

#include "bt_test.h"

static char root[64];

static void touch(const char *p)
{
    int fd = open(p, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
    cr_assert_geq(fd, 0, "create %s", p);
    close(fd);
}

static void make_tree(void)
{
    snprintf(root, sizeof root, "/tmp/bt_glob_XXXXXX");
    cr_assert_not_null(mkdtemp(root));
    cr_assert_eq(chdir(root), 0);
    const char *dirs[] = {"sub", "sub/deep", "sub/deep/er", "sub/.hid", "other", "e\xc3\xa9",
                          "x[1]", NULL};
    for (size_t i = 0; dirs[i]; i++)
        cr_assert_eq(mkdir(dirs[i], 0755), 0);
    const char *files[] = {"a.c", "b.c", "a.h", "ab.txt", ".dot.c", "new", "newfile", "xyz",
                           "sub/a.c", "sub/z.py", "sub/.hidden.c", "sub/deep/c.c",
                           "sub/deep/er/d.c", "sub/.hid/h.c", "other/o.c", "e\xc3\xa9/u.c",
                           "x[1]/in.c", "q?", "star*", "bad\xff.c", NULL};
    for (size_t i = 0; files[i]; i++)
        touch(files[i]);
    cr_assert_eq(symlink("sub", "link"), 0);
    cr_assert_eq(symlink("nowhere", "dangling.c"), 0);
}

static const char *cases[][2] = {
    {"", "*.c"}, {"", "*"}, {"", "?.c"}, {"", "[ab].c"}, {"", "n*"}, {"", "*e"},
    {"", "???"}, {"", "x*"}, {"", "*/*.c"}, {"", "*/*/*.c"}, {"", "sub/*"}, {"", "sub/*/"},
    {"", "*/"}, {"", "sub"}, {"", "sub/"}, {"", "nope"}, {"", "nope/"}, {"", "a.c/"},
    {"", ".*"}, {"", "sub/.*"}, {"h", "*"}, {"h", "sub/*"}, {"", "**"}, {"r", "**"},
    {"r", "**/*.c"}, {"r", "**/"}, {"r", "sub/**"}, {"r", "sub/**/"}, {"r", "sub/**/*.c"},
    {"rh", "**/*.c"}, {"r", "**/deep/**"}, {"", "sub/**/*.c"}, {"", "x[[]1]/*"},
    {"", "x[1]/*"}, {"", "q?"}, {"", "q[?]"}, {"", "star[*]"}, {"", "e\xc3\xa9/*"},
    {"", "bad*"}, {"", "link/*.c"}, {"", "dangling.c"}, {"", "d*"}, {"", ""}, {"r", ""},
    {"", "/"}, {"d", "*.c"}, {"d", "*"}, {"dr", "**/*.c"}, {"d", "deep/*"},
    {"", "[!a]*.c"}, {"", "*[!c]"},
};

/* The sorted results joined with NUL, hex-encoded (what the oracle prints). */
static char *ours(const char *flags, const char *pattern)
{
    bt_glob_opts o = BT_GLOB_OPTS_INIT;
    o.recursive = strchr(flags, 'r') != NULL;
    o.include_hidden = strchr(flags, 'h') != NULL;
    o.root_dir = strchr(flags, 'd') ? "sub" : NULL;
    bt_strvec out = BT_STRVEC_INIT;
    ptrdiff_t n = bt_glob_glob(pattern, &o, &out);
    cr_assert_geq(n, 0);
    cr_assert_eq((size_t)n, out.count);
    cr_assert_eq(bt_strvec_sort(&out), 0);
    bt_buf joined = BT_BUF_INIT, hex = BT_BUF_INIT;
    cr_assert_eq(bt_strvec_join(&out, "", 1, &joined), 0);
    for (size_t i = 0; i < joined.len; i++)
        bt_buf_printf(&hex, "%02x", (unsigned char)joined.data[i]);
    char *r = strdup(hex.data ? hex.data : "");
    bt_buf_fini(&joined);
    bt_buf_fini(&hex);
    bt_strvec_fini(&out);
    return r;
}

Test(glob, matches_cpython_on_a_fixture_tree)
{
    make_tree();
    char cmd[512];
    char in_path[96], out_path[96];
    snprintf(in_path, sizeof in_path, "%s/.patterns", root);
    snprintf(out_path, sizeof out_path, "%s/.results", root);
    FILE *in = fopen(in_path, "w");
    cr_assert_not_null(in);
    size_t n = sizeof cases / sizeof cases[0];
    for (size_t i = 0; i < n; i++)
        fprintf(in, "%s\t%s\n", cases[i][0], cases[i][1]);
    fclose(in);
    /* The result files are hidden: they match only the hidden patterns,
     * which both sides see the same way. */
    snprintf(cmd, sizeof cmd, "python3 %s/tests/glob/glob_oracle.py %s < %s > %s",
             BT_TEST_SOURCE_ROOT, root, in_path, out_path);
    cr_assert_eq(system(cmd), 0, "the CPython oracle failed");
    FILE *res = fopen(out_path, "r");
    cr_assert_not_null(res);
    char *line = NULL;
    size_t cap = 0;
    for (size_t i = 0; i < n; i++) {
        ssize_t k = getline(&line, &cap, res);
        cr_assert_gt(k, 0);
        if (line[k - 1] == '\n')
            line[k - 1] = '\0';
        char *got = ours(cases[i][0], cases[i][1]);
        cr_expect_str_eq(got, line, "glob(%s) flags '%s'", cases[i][1], cases[i][0]);
        free(got);
    }
    free(line);
    fclose(res);
    snprintf(cmd, sizeof cmd, "rm -rf %s", root);
    cr_assert_eq(system(cmd), 0);
}

Test(glob, dir_fd_and_absolute_patterns)
{
    make_tree();
    int fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    cr_assert_geq(fd, 0);
    cr_assert_eq(chdir("/"), 0);
    bt_glob_opts o = BT_GLOB_OPTS_INIT;
    o.dir_fd = fd;
    bt_strvec out = BT_STRVEC_INIT;
    cr_assert_eq(bt_glob_glob("sub/deep/*.c", &o, &out), 1);
    cr_assert_str_eq(out.items[0], "sub/deep/c.c");
    bt_strvec_clear(&out);
    char abs[128];
    snprintf(abs, sizeof abs, "%s/sub/deep/*.c", root);
    cr_assert_eq(bt_glob_glob(abs, NULL, &out), 1);
    cr_assert(strstr(out.items[0], "/sub/deep/c.c") != NULL);
    bt_strvec_fini(&out);
    close(fd);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", root);
    cr_assert_eq(system(cmd), 0);
}

static int scenario(void *arg)
{
    (void)arg;
    bt_strvec out = BT_STRVEC_INIT;
    bt_glob_opts o = BT_GLOB_OPTS_INIT;
    o.recursive = true;
    ptrdiff_t n = bt_glob_glob("**/*.c", &o, &out);
    if (n >= 0)
        n = bt_glob_glob("sub/*/", NULL, &out);
    bt_buf b = BT_BUF_INIT;
    if (n >= 0)
        n = bt_glob_escape("a*b?", &b);
    bt_buf_fini(&b);
    bt_strvec_fini(&out);
    return n < 0 ? (int)n : 0;
}

Test(allocfail, glob)
{
    make_tree();
    cr_assert_geq(bt_test_allocfail(scenario, NULL), 10);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", root);
    cr_assert_eq(system(cmd), 0);
}
