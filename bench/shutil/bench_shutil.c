/* bench_shutil.c — copytree + rmtree of the tree cases.py makes, and the
 * anchor: `cp -r` then `rm -rf` as two child processes. */
#include <batteries/shutil.h>

#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "bench.h"

extern char **environ;

static char src[512], dst[600];

static int setup(void)
{
    size_t len;
    const char *root = bench_input("tree.txt", &len);
    if (!root || len >= sizeof src)
        return -1;
    memcpy(src, root, len);
    src[len] = '\0';
    snprintf(dst, sizeof dst, "%s_c_copy", src);
    return 0;
}

static void run_ours(uint64_t iters)
{
    for (uint64_t i = 0; i < iters; i++) {
        int rc = bt_shutil_copytree(src, dst, NULL, NULL, NULL);
        rc |= bt_shutil_rmtree(dst, false, NULL, NULL, NULL);
        bench_escape(&rc);
    }
}

static void run(char *const argv[])
{
    pid_t pid;
    int status;
    if (posix_spawnp(&pid, argv[0], NULL, NULL, argv, environ) == 0)
        waitpid(pid, &status, 0);
}

static void run_anchor(uint64_t iters)
{
    for (uint64_t i = 0; i < iters; i++) {
        char *cp[] = {"cp", "-r", src, dst, NULL};
        char *rm[] = {"rm", "-rf", dst, NULL};
        run(cp);
        run(rm);
    }
}

static const bench_case cases[] = {
    {"copytree_rmtree", setup, run_ours, NULL},
    {"copytree_rmtree@cp_r", setup, run_anchor, NULL},
};

int main(void)
{
    return bench_main(cases, sizeof cases / sizeof cases[0]);
}
