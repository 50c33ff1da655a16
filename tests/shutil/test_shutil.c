/*
 * shutil against CPython, live: every case runs on two identical fixture
 * trees, ours on one and CPython's shutil (shutil_oracle.py) on the other;
 * the results, the messages and the trees afterwards must be the same.
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <batteries/shutil.h>

#include "bt_test.h"

static char top[64];

static void write_file(const char *p, const char *content, mode_t mode)
{
    int fd = open(p, O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, 0600);
    cr_assert_geq(fd, 0, "create %s", p);
    cr_assert_eq(write(fd, content, strlen(content)), (ssize_t)strlen(content));
    close(fd);
    cr_assert_eq(chmod(p, mode), 0);
}

/* The same tree, times included, in dir. */
static void make_tree(const char *dir)
{
    cr_assert_eq(mkdir(dir, 0755), 0);
    cr_assert_eq(chdir(dir), 0);
    write_file("f.txt", "hello\n", 0640);
    write_file("exe", "#!/bin/sh\n", 0755);
    cr_assert_eq(mkdir("src", 0750), 0);
    cr_assert_eq(mkdir("src/sub", 0755), 0);
    cr_assert_eq(mkdir("src/skip.d", 0755), 0);
    write_file("src/a.c", "int a;\n", 0644);
    write_file("src/b.o", "obj", 0600);
    write_file("src/sub/deep.c", "int deep;\n", 0644);
    write_file("src/skip.d/x", "x", 0644);
    cr_assert_eq(symlink("a.c", "src/link_a"), 0);
    cr_assert_eq(symlink("sub", "src/link_sub"), 0);
    cr_assert_eq(symlink("../outside", "src/escape"), 0);
    cr_assert_eq(mkdir("outside", 0755), 0);
    write_file("outside/keep", "keep me", 0644);
    cr_assert_eq(mkdir("dest", 0755), 0);
    write_file("dest/f.txt", "old", 0644);
    cr_assert_eq(symlink("f.txt", "link_f"), 0);
    cr_assert_eq(symlink("nowhere", "dangling"), 0);
    cr_assert_eq(mkfifo("fifo", 0644), 0);
    cr_assert_eq(mkdir("mixed", 0755), 0);
    write_file("mixed/plain", "p", 0644);
    cr_assert_eq(mkfifo("mixed/pipe", 0644), 0);
    cr_assert_eq(symlink("gone", "mixed/dangling"), 0);
    /* Fixed times so copy2/copystat results compare across the trees. */
    const char *timed[] = {"f.txt", "exe", "src/a.c", "src/b.o", "src/sub/deep.c", "src/sub",
                           "src", NULL};
    struct timespec ts[2] = {{1000000000, 123456789}, {1100000000, 987654321}};
    for (size_t i = 0; timed[i]; i++)
        cr_assert_eq(utimensat(AT_FDCWD, timed[i], ts, 0), 0);
    cr_assert_eq(chdir(".."), 0);
}

static void fresh_trees(void)
{
    snprintf(top, sizeof top, "/tmp/bt_shutil_XXXXXX");
    cr_assert_not_null(mkdtemp(top));
    cr_assert_eq(chdir(top), 0);
    make_tree("a");
    make_tree("b");
}

static char *run_python(const char *root, const char *args)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "python3 %s/tests/shutil/shutil_oracle.py %s/%s %s",
             BT_TEST_SOURCE_ROOT, top, root, args);
    FILE *p = popen(cmd, "r");
    cr_assert_not_null(p);
    bt_buf out = BT_BUF_INIT;
    char chunk[4096];
    size_t k;
    while ((k = fread(chunk, 1, sizeof chunk, p)) > 0)
        bt_buf_append(&out, chunk, k);
    cr_assert_eq(pclose(p), 0, "oracle failed: %s", cmd);
    char *r = strdup(out.data ? out.data : "");
    bt_buf_fini(&out);
    return r;
}

/* Our answer in the oracle's words. */
static void answer(bt_buf *line, int rc, const bt_err *err, const char *result)
{
    if (rc >= 0) {
        bt_buf_printf(line, "ok %s\n", result ? result : "");
        return;
    }
    if (rc == BT_ESHUTIL)
        bt_buf_printf(line, "err shutil %s\n", err->msg);
    else if (rc == BT_EKEY)
        bt_buf_printf(line, "err lookup %s\n", err->msg);
    else if (rc == BT_EVALUE)
        bt_buf_printf(line, "err value %s\n", err->msg);
    else if (rc > -1000)
        bt_buf_printf(line, "err errno:%d %s\n", -rc, err->msg);
    else
        bt_buf_printf(line, "err %s %s\n", bt_errsym(rc), err->msg);
}

static bool flag(const char *s)
{
    return strcmp(s, "1") == 0;
}

/* Runs one case in tree a: op and its arguments as the oracle takes them. */
static void run_ours(int argc, char **argv, bt_buf *line)
{
    bt_err err = BT_ERR_INIT;
    bt_buf res = BT_BUF_INIT;
    const char *op = argv[0];
    int rc;
    char num[32];
    const char *result = NULL;
    if (strcmp(op, "copyfile") == 0) {
        rc = bt_shutil_copyfile(argv[1], argv[2], flag(argv[3]), &err);
        result = argv[2];
    } else if (strcmp(op, "copy") == 0 || strcmp(op, "copy2") == 0) {
        rc = (op[4] ? bt_shutil_copy2 : bt_shutil_copy)(argv[1], argv[2], flag(argv[3]), &res,
                                                        &err);
        result = res.data;
    } else if (strcmp(op, "copymode") == 0) {
        rc = bt_shutil_copymode(argv[1], argv[2], flag(argv[3]), &err);
    } else if (strcmp(op, "copystat") == 0) {
        rc = bt_shutil_copystat(argv[1], argv[2], flag(argv[3]), &err);
    } else if (strcmp(op, "copytree") == 0) {
        bt_shutil_copytree_opts o = BT_SHUTIL_COPYTREE_INIT;
        bt_strvec pats = BT_STRVEC_INIT;
        o.symlinks = flag(argv[3]);
        o.ignore_dangling_symlinks = flag(argv[4]);
        o.dirs_exist_ok = flag(argv[5]);
        if (argc > 6 && *argv[6]) {
            char *copy = strdup(argv[6]);
            for (char *t = strtok(copy, ","); t; t = strtok(NULL, ","))
                bt_strvec_append_str(&pats, t);
            free(copy);
            o.ignore = bt_shutil_ignore_patterns;
            o.ignore_ctx = &pats;
        }
        rc = bt_shutil_copytree(argv[1], argv[2], &o, &res, &err);
        result = res.data;
        bt_strvec_fini(&pats);
    } else if (strcmp(op, "rmtree") == 0) {
        rc = bt_shutil_rmtree(argv[1], flag(argv[2]), NULL, NULL, &err);
    } else if (strcmp(op, "move") == 0) {
        rc = bt_shutil_move(argv[1], argv[2], NULL, NULL, &res, &err);
        result = res.data;
    } else if (strcmp(op, "which") == 0) {
        rc = bt_shutil_which(argv[1], 0, strcmp(argv[2], "-") ? argv[2] : NULL, &res);
        result = rc == 1 ? res.data : "None";
    } else if (strcmp(op, "disk_usage") == 0) {
        bt_shutil_usage u;
        rc = bt_shutil_disk_usage(argv[1], &u, &err);
        snprintf(num, sizeof num, "%llu", (unsigned long long)u.total);
        result = num;
    } else if (strcmp(op, "chown") == 0) {
        rc = bt_shutil_chown(argv[1], strcmp(argv[2], "-") ? argv[2] : NULL,
                             strcmp(argv[3], "-") ? argv[3] : NULL, &err);
    } else {
        cr_assert_fail("unknown op %s", op);
        return;
    }
    answer(line, rc, &err, result);
    bt_buf_fini(&res);
}

static void check_case(const char *args)
{
    fresh_trees();
    /* Ours, in tree a. */
    char *copy = strdup(args);
    char *argv[16];
    int argc = 0;
    for (char *t = strtok(copy, " "); t && argc < 16; t = strtok(NULL, " "))
        argv[argc++] = strcmp(t, "''") ? t : (char *)"";
    char path[128];
    snprintf(path, sizeof path, "%s/a", top);
    cr_assert_eq(chdir(path), 0);
    bt_buf ours = BT_BUF_INIT;
    run_ours(argc, argv, &ours);
    free(copy);
    char *theirs = run_python("b", args);
    cr_expect_str_eq(ours.data, theirs, "shutil.%s:\nours:   %s\ncpython: %s", args, ours.data,
                     theirs);
    char *snap_a = run_python("a", "snapshot");
    char *snap_b = run_python("b", "snapshot");
    cr_expect_str_eq(snap_a, snap_b, "tree after shutil.%s:\nours:\n%s\ncpython:\n%s", args,
                     snap_a, snap_b);
    free(theirs);
    free(snap_a);
    free(snap_b);
    bt_buf_fini(&ours);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", top);
    cr_assert_eq(chdir("/"), 0);
    cr_assert_eq(system(cmd), 0);
}

#define CASE(name, args)                                                       \
    Test(shutil_vs_cpython, name)                                              \
    {                                                                          \
        check_case(args);                                                      \
    }

CASE(copyfile, "copyfile f.txt out.txt 1")
CASE(copyfile_over, "copyfile f.txt dest/f.txt 1")
CASE(copyfile_same, "copyfile f.txt ./f.txt 1")
CASE(copyfile_missing, "copyfile nope out 1")
CASE(copyfile_no_dir, "copyfile f.txt nodir/out 1")
CASE(copyfile_into_missing_dir, "copyfile f.txt nodir/ 1")
CASE(copyfile_onto_dir, "copyfile f.txt dest 1")
CASE(copyfile_fifo, "copyfile fifo out 1")
CASE(copyfile_link_follow, "copyfile link_f out 1")
CASE(copyfile_link_nofollow, "copyfile link_f out 0")
CASE(copy_into_dir, "copy exe dest 1")
CASE(copy2_into_dir, "copy2 exe dest 1")
CASE(copy2_keeps_times, "copy2 f.txt new.txt 1")
CASE(copy2_link_nofollow, "copy2 link_f newlink 0")
CASE(copymode, "copymode exe f.txt 1")
CASE(copystat, "copystat src/a.c f.txt 1")
CASE(copystat_missing, "copystat nope f.txt 1")
CASE(copytree, "copytree src dst 0 0 0")
CASE(copytree_symlinks, "copytree src dst 1 0 0")
CASE(copytree_ignore, "copytree src dst 0 0 0 *.o,skip*")
CASE(copytree_exists, "copytree src dest 0 0 0")
CASE(copytree_exists_ok, "copytree src dest 0 0 1")
CASE(copytree_missing, "copytree nope dst 0 0 0")
CASE(copytree_dangling, "copytree mixed mixed_copy 0 0 0")
CASE(copytree_dangling_ignored, "copytree mixed mixed_copy 0 1 0 pipe")
CASE(rmtree, "rmtree src 0")
CASE(rmtree_link, "rmtree link_f 0")
CASE(rmtree_missing, "rmtree nope 0")
CASE(rmtree_missing_ignored, "rmtree nope 1")
CASE(rmtree_file, "rmtree f.txt 0")
CASE(move_file_into_dir, "move exe dest")
CASE(move_rename, "move f.txt g.txt")
CASE(move_exists, "move f.txt dest")
CASE(move_dir, "move src moved")
CASE(move_dir_into_itself, "move src src/sub")
CASE(move_missing, "move nope x")
CASE(which_sh, "which sh -")
CASE(which_none, "which no-such-program-here -")
CASE(which_path, "which exe .:/bin")
CASE(which_slash, "which ./exe -")
CASE(which_empty_path, "which sh ''")
CASE(disk_usage, "disk_usage .")
CASE(disk_usage_missing, "disk_usage nope")
CASE(chown, "chown f.txt root root")
CASE(chown_unknown_user, "chown f.txt no-such-user-x -")
CASE(chown_nothing, "chown f.txt - -")

static int failing_copy(void *ctx, const char *src, const char *dst, bt_err *err)
{
    (void)ctx;
    (void)dst;
    return bt_err_oserror(err, BT_EACCES, src, NULL);
}

Test(shutil_api, copytree_collects_errors_and_goes_on)
{
    fresh_trees();
    char path[128];
    snprintf(path, sizeof path, "%s/a", top);
    cr_assert_eq(chdir(path), 0);
    bt_strvec errors = BT_STRVEC_INIT;
    bt_shutil_copytree_opts o = BT_SHUTIL_COPYTREE_INIT;
    o.copy_function = failing_copy;
    o.errors = &errors;
    bt_err err = BT_ERR_INIT;
    cr_assert_eq(bt_shutil_copytree("src", "dst", &o, NULL, &err), BT_ESHUTIL);
    /* Every file failed (a.c, b.o, x, deep.c, and the links' targets). */
    cr_assert_geq(errors.count, 3 * 5);
    cr_assert_eq(errors.count % 3, 0);
    cr_assert(strncmp(err.msg, "[('src/", 7) == 0, "%s", err.msg);
    struct stat st;
    cr_assert_eq(stat("dst/sub", &st), 0, "directories are still made");
    bt_strvec_fini(&errors);
}

static int count_errors(void *ctx, const char *func, const char *path, int code,
                        const bt_err *err)
{
    (void)func;
    (void)path;
    (void)code;
    (void)err;
    (*(int *)ctx)++;
    return 0;
}

Test(shutil_api, rmtree_never_leaves_the_tree)
{
    fresh_trees();
    char path[128];
    snprintf(path, sizeof path, "%s/a", top);
    cr_assert_eq(chdir(path), 0);
    int calls = 0;
    cr_assert_eq(bt_shutil_rmtree("src", false, count_errors, &calls, NULL), 0);
    cr_assert_eq(calls, 0);
    struct stat st;
    cr_assert_neq(lstat("src", &st), 0);
    cr_assert_eq(stat("outside/keep", &st), 0, "the link's target outside survives");
    /* A link given as the top: refused, and the target untouched. */
    cr_assert_eq(symlink("outside", "link_dir"), 0);
    bt_err err = BT_ERR_INIT;
    cr_assert_eq(bt_shutil_rmtree("link_dir", false, NULL, NULL, &err), -ELOOP);
    cr_assert_str_eq(err.msg, "Cannot call rmtree on a symbolic link");
    cr_assert_eq(stat("outside/keep", &st), 0);
}

static int scenario(void *arg)
{
    (void)arg;
    bt_buf out = BT_BUF_INIT;
    int rc = bt_shutil_copytree("src", "cp_alloc", NULL, &out, NULL);
    if (rc == 0)
        rc = bt_shutil_copy2("f.txt", "dest", true, &out, NULL);
    if (rc == 0)
        rc = bt_shutil_which("sh", 0, NULL, &out) < 0 ? BT_ENOMEM : 0;
    if (rc == 0)
        rc = bt_shutil_move("cp_alloc", "mv_alloc", NULL, NULL, &out, NULL);
    /* Leave the tree as it was for the next round, without the library
     * (whose allocations are the ones being failed). */
    if (system("rm -rf cp_alloc mv_alloc dest/f.txt") != 0)
        rc = BT_EIO;
    bt_buf_fini(&out);
    return rc;
}

Test(allocfail, shutil)
{
    fresh_trees();
    char path[128];
    snprintf(path, sizeof path, "%s/a", top);
    cr_assert_eq(chdir(path), 0);
    cr_assert_geq(bt_test_allocfail(scenario, NULL), 10);
}

#include <pthread.h>
#include <stdatomic.h>

static atomic_bool stop_swapping;

/* Swaps tree/d between a real directory and a link to ../outside as fast
 * as it can, while rmtree runs: the window between listing tree and
 * opening d is where an unsafe rmtree would follow the link out. */
static void *swapper(void *arg)
{
    (void)arg;
    while (!atomic_load(&stop_swapping)) {
        if (rename("tree/d", "tree/d_real") == 0) {
            if (symlink("../outside", "tree/d") == 0) {
                unlink("tree/d");
            }
            rename("tree/d_real", "tree/d");
        }
    }
    return NULL;
}

Test(shutil_api, rmtree_survives_a_link_swapped_in)
{
    fresh_trees();
    char path[128];
    snprintf(path, sizeof path, "%s/a", top);
    cr_assert_eq(chdir(path), 0);
    struct stat st;
    int rounds = 0;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    time_t deadline = t0.tv_sec + 2;
    atomic_store(&stop_swapping, false);
    pthread_t th;
    cr_assert_eq(mkdir("tree", 0755), 0);
    cr_assert_eq(pthread_create(&th, NULL, swapper, NULL), 0);
    for (;;) {
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (now.tv_sec >= deadline && rounds >= 50)
            break;
        /* A fresh tree/d with content (the swapper may move it under us:
         * no asserts here), then rmtree of the whole tree. */
        mkdir("tree", 0755);
        mkdir("tree/d", 0755);
        int fd = open("tree/d/file", O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
        if (fd >= 0)
            close(fd);
        fd = open("tree/other", O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
        if (fd >= 0)
            close(fd);
        bt_shutil_rmtree("tree", true, NULL, NULL, NULL);
        cr_assert_eq(stat("outside/keep", &st), 0, "rmtree followed a swapped-in link (round %d)",
                     rounds);
        rounds++;
    }
    atomic_store(&stop_swapping, true);
    pthread_join(th, NULL);
    cr_assert_eq(stat("outside/keep", &st), 0);
}
