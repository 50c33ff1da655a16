/* bench_subprocess.c — run(['/bin/true']), capturing 1 MB and 100 MB of
 * stdout, and spawning from a process with 4 GB resident; the anchors are
 * raw posix_spawn (+ a pipe read loop) and, for 4 GB, fork + exec. */
#include <batteries/subprocess.h>

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

extern char **environ;

static void run_true(uint64_t iters)
{
    const char *args[] = {"/bin/true", NULL};
    for (uint64_t i = 0; i < iters; i++) {
        bt_subprocess_completed r;
        if (bt_subprocess_run(args, NULL, &r, NULL) < 0)
            abort();
        bench_escape(&r);
        bt_subprocess_completed_fini(&r);
    }
}

static void run_true_posix_spawn(uint64_t iters)
{
    char *argv[] = {"/bin/true", NULL};
    for (uint64_t i = 0; i < iters; i++) {
        pid_t pid;
        int st;
        if (posix_spawn(&pid, "/bin/true", NULL, NULL, argv, environ) != 0)
            abort();
        while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
            ;
    }
}

static void capture(uint64_t iters, const char *count)
{
    const char *args[] = {"head", "-c", count, "/dev/zero", NULL};
    bt_subprocess_opts o = BT_SUBPROCESS_OPTS_INIT;
    o.out = BT_SUBPROCESS_PIPE;
    for (uint64_t i = 0; i < iters; i++) {
        bt_subprocess_completed r;
        if (bt_subprocess_run(args, &o, &r, NULL) < 0)
            abort();
        bench_escape(r.stdout_buf.data);
        bt_subprocess_completed_fini(&r);
    }
}

/* The anchor: posix_spawnp with stdout on a pipe, read() into a buffer
 * that doubles, waitpid. */
static void capture_raw(uint64_t iters, const char *count)
{
    char *argv[] = {"head", "-c", (char *)count, "/dev/zero", NULL};
    for (uint64_t i = 0; i < iters; i++) {
        int p[2];
        if (pipe2(p, O_CLOEXEC) < 0)
            abort();
        posix_spawn_file_actions_t fa;
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_adddup2(&fa, p[1], 1);
        pid_t pid;
        if (posix_spawnp(&pid, "head", &fa, NULL, argv, environ) != 0)
            abort();
        posix_spawn_file_actions_destroy(&fa);
        close(p[1]);
        size_t cap = 65536, len = 0;
        char *buf = malloc(cap);
        for (;;) {
            if (cap - len < 32768)
                buf = realloc(buf, cap *= 2);
            ssize_t r = read(p[0], buf + len, cap - len);
            if (r < 0 && errno == EINTR)
                continue;
            if (r <= 0)
                break;
            len += (size_t)r;
        }
        close(p[0]);
        bench_escape(buf);
        free(buf);
        int st;
        while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
            ;
    }
}

static void capture_1m(uint64_t iters)
{
    capture(iters, "1000000");
}
static void capture_1m_raw(uint64_t iters)
{
    capture_raw(iters, "1000000");
}
static void capture_100m(uint64_t iters)
{
    capture(iters, "100000000");
}
static void capture_100m_raw(uint64_t iters)
{
    capture_raw(iters, "100000000");
}

#define BIG ((size_t)4 << 30)
static void *big;

static int big_setup(void)
{
    if (big)
        return 0;
    big = mmap(NULL, BIG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (big == MAP_FAILED) {
        big = NULL;
        return 1;
    }
    memset(big, 1, BIG); /* resident, every page mapped */
    return 0;
}

static void big_teardown(void)
{
    if (big)
        munmap(big, BIG);
    big = NULL;
}

static void run_true_fork(uint64_t iters)
{
    char *argv[] = {"/bin/true", NULL};
    for (uint64_t i = 0; i < iters; i++) {
        pid_t pid = fork();
        if (pid == 0) {
            execve("/bin/true", argv, environ);
            _exit(127);
        }
        if (pid < 0)
            abort();
        int st;
        while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
            ;
    }
}

static const bench_case cases[] = {
    {"run_true", NULL, run_true, NULL},
    {"run_true@posix_spawn", NULL, run_true_posix_spawn, NULL},
    {"capture_1m", NULL, capture_1m, NULL},
    {"capture_1m@posix_spawn", NULL, capture_1m_raw, NULL},
    {"capture_100m", NULL, capture_100m, NULL},
    {"capture_100m@posix_spawn", NULL, capture_100m_raw, NULL},
    {"run_true_4g", big_setup, run_true, big_teardown},
    {"run_true_4g@fork", big_setup, run_true_fork, big_teardown},
};

int main(void)
{
    return bench_main(cases, sizeof cases / sizeof cases[0]);
}
