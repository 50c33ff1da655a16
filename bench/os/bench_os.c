/* bench_os.c — os.walk over the tree cases.py makes (its path is the input
 * tree.txt), with `find` as the anchor; listdir, stat and scandir per call
 * on one directory and one file of it. */
#include <batteries/os.h>

#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

extern char **environ;

static char tree[512], dir[512], file[512];

static int load(const char *name, char *out, size_t cap)
{
    size_t len;
    const char *p = bench_input(name, &len);
    if (!p || len >= cap)
        return -1;
    memcpy(out, p, len);
    out[len] = '\0';
    return 0;
}

static int setup(void)
{
    return load("tree.txt", tree, sizeof tree) ||
           load("dir.txt", dir, sizeof dir) ||
           load("file.txt", file, sizeof file);
}

static void run_walk(uint64_t iters)
{
    for (uint64_t i = 0; i < iters; i++) {
        bt_os_walk_iter *w;
        if (bt_os_walk(tree, NULL, &w) < 0)
            return;
        bt_os_walk_step s;
        size_t names = 0;
        while (bt_os_walk_next(w, &s, NULL) > 0)
            names += s.dirnames->count + s.filenames->count;
        bench_escape(&names);
        bt_os_walk_close(w);
    }
}

/* The anchor: `find TREE > /dev/null`, started and waited for per op. */
static void run_find(uint64_t iters)
{
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    char *argv[] = {"find", tree, NULL};
    for (uint64_t i = 0; i < iters; i++) {
        pid_t pid;
        int status;
        if (posix_spawnp(&pid, "find", &fa, NULL, argv, environ) != 0)
            break;
        waitpid(pid, &status, 0);
    }
    posix_spawn_file_actions_destroy(&fa);
}

static void run_listdir(uint64_t iters)
{
    for (uint64_t i = 0; i < iters; i++) {
        bt_strvec v = BT_STRVEC_INIT;
        ptrdiff_t n = bt_os_listdir(dir, &v, NULL);
        bench_escape(&n);
        bt_strvec_fini(&v);
    }
}

static void run_stat(uint64_t iters)
{
    for (uint64_t i = 0; i < iters; i++) {
        bt_os_stat_result st;
        int rc = bt_os_stat(file, &st, NULL);
        bench_escape(&rc);
        bench_escape(&st);
    }
}

static void run_scandir(uint64_t iters)
{
    for (uint64_t i = 0; i < iters; i++) {
        bt_os_scandir_iter *it;
        if (bt_os_scandir(dir, &it, NULL) < 0)
            return;
        bt_os_direntry *e;
        int dirs = 0;
        while (bt_os_scandir_next(it, &e, NULL) > 0)
            dirs += bt_os_direntry_is_dir(e, true, NULL);
        bench_escape(&dirs);
        bt_os_scandir_close(it);
    }
}

static const bench_case cases[] = {
    {"walk_20k", setup, run_walk, NULL},
    {"walk_20k@find", setup, run_find, NULL},
    {"listdir_50", setup, run_listdir, NULL},
    {"stat", setup, run_stat, NULL},
    {"scandir_is_dir_50", setup, run_scandir, NULL},
};

int main(void)
{
    return bench_main(cases, sizeof cases / sizeof cases[0]);
}
