/*
 * bench_grep.c — whole grep programs on cases.py's 100 MB file: ours
 * (build/cmd/grep/grep, found beside this program's build directory) and
 * the anchor, GNU grep (/bin/grep). Each iteration spawns the program with
 * standard output to a file and waits for it, as a shell runs it.
 */
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

extern char **environ;

static char ours[4096], text[4096], out[4096];

static int setup(void)
{
    if (ours[0])
        return 0;
    size_t len;
    const char *paths = bench_input("paths.txt", &len);
    if (!paths || sscanf(paths, "%4095[^\n]\n%4095[^\n]", text, out) != 2)
        return -1;
    char self[2048];
    ssize_t k = readlink("/proc/self/exe", self, sizeof self - 1);
    if (k <= 0)
        return -1;
    self[k] = 0;
    char *slash = strrchr(self, '/'); /* build/bench/grep/bench_grep */
    if (!slash)
        return -1;
    *slash = 0;
    snprintf(ours, sizeof ours, "%s/../../cmd/grep/grep", self);
    if (access(ours, X_OK) != 0) {
        fprintf(stderr, "bench_grep: %s is missing\n", ours);
        ours[0] = 0;
        return -1;
    }
    return 0;
}

/* Runs prog PATTERN TEXT > out under LC_ALL=C.UTF-8; exits on a failure
 * (the driver reports the program's death). */
static void grep_once(const char *prog, const char *pattern)
{
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, out, O_WRONLY | O_CREAT | O_TRUNC,
                                     0644);
    char *argv[] = {(char *)"grep", (char *)pattern, text, NULL};
    char *envp[] = {(char *)"LC_ALL=C.UTF-8", NULL};
    pid_t pid;
    int rc = posix_spawn(&pid, prog, &fa, NULL, argv, envp);
    posix_spawn_file_actions_destroy(&fa);
    int status = 0;
    if (rc == 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
        WEXITSTATUS(status) == 0)
        return;
    fprintf(stderr, "bench_grep: %s %s failed\n", prog, pattern);
    exit(1);
}

#define CASE(name, prog, pattern)                                              \
    static void run_##name(uint64_t iters)                                     \
    {                                                                          \
        for (uint64_t i = 0; i < iters; i++)                                   \
            grep_once(prog, pattern);                                          \
    }

CASE(literal, ours, "Sherlock")
CASE(literal_gnu, "/bin/grep", "Sherlock")
CASE(regex, ours, "Hol[a-z]*s")
CASE(regex_gnu, "/bin/grep", "Hol[a-z]*s")

int main(void)
{
    static const bench_case cases[] = {
        {"literal", setup, run_literal, NULL},
        {"literal@gnu_grep", setup, run_literal_gnu, NULL},
        {"regex", setup, run_regex, NULL},
        {"regex@gnu_grep", setup, run_regex_gnu, NULL},
    };
    return bench_main(cases, sizeof cases / sizeof *cases);
}
