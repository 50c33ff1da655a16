/* sp_test.c — see sp_test.h. */
#include "sp_test.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static int zombie_pid(void)
{
    siginfo_t si;
    memset(&si, 0, sizeof si);
    if (waitid(P_ALL, 0, &si, WEXITED | WNOHANG | WNOWAIT) < 0)
        return 0; /* ECHILD: no child at all */
    return si.si_pid;
}

void sp_no_zombie(void)
{
    int pid = zombie_pid();
    cr_assert_eq(pid, 0, "child %d is a zombie", pid);
}

void sp_wait_no_zombie(void)
{
    for (int i = 0; i < 500 && zombie_pid() != 0; i++) {
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    sp_no_zombie();
}

char *sp_python(const char *script, const char *const *args, size_t *len)
{
    int p[2];
    cr_assert_eq(pipe2(p, O_CLOEXEC), 0);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, p[1], 1);
    /* Not the test runner's descriptors: python and its children must not
     * hold them. */
    posix_spawn_file_actions_addclosefrom_np(&fa, 3);
    const char *argv[32] = {"python3", "-c", script};
    size_t n = 3;
    for (size_t i = 0; args && args[i] && n < 31; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    pid_t pid;
    int rc = posix_spawnp(&pid, "python3", &fa, NULL, (char *const *)argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(p[1]);
    cr_assert_eq(rc, 0, "python3 did not start");
    size_t cap = 4096, got = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (cap - got < 2048)
            buf = realloc(buf, cap *= 2);
        ssize_t r = read(p[0], buf + got, cap - got - 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    close(p[0]);
    buf[got] = '\0';
    int st;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "python3 failed");
    if (len)
        *len = got;
    return buf;
}

void sp_mkdtemp(char dir[64])
{
    snprintf(dir, 64, "/tmp/bt_sp_XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
}
