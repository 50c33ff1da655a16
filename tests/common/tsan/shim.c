/* shim.c — the runner behind the TSan stand-in for Criterion: one forked
 * child per test (a fatal failure or a TSan report ends only that child),
 * TAP on stdout, a test's messages on stderr. */
#include <stdarg.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "criterion/criterion.h"

enum { MAX_TESTS = 1024 };

struct test {
    const char *suite, *name;
    bt_shim_fn fn;
};

static struct test tests[MAX_TESTS];
static int ntests;
static bool failed;

void bt_shim_register(const char *suite, const char *name, bt_shim_fn fn)
{
    if (ntests < MAX_TESTS)
        tests[ntests++] = (struct test){suite, name, fn};
}

void bt_shim_fail(const char *file, int line, bool fatal, const char *expr, const char *fmt, ...)
{
    fprintf(stderr, "%s:%d: failed: %s\n", file, line, expr);
    if (*fmt) {
        va_list ap;
        va_start(ap, fmt);
        vfprintf(stderr, fmt, ap);
        va_end(ap);
        fputc('\n', stderr);
    }
    failed = true;
    if (fatal)
        _exit(1);
}

void bt_shim_skip(const char *fmt, ...)
{
    (void)fmt;
    _exit(77);
}

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv; /* Criterion's options (--tap, --jobs) do not apply */
    printf("1..%d\n", ntests);
    fflush(stdout);
    int bad = 0;
    for (int i = 0; i < ntests; i++) {
        pid_t pid = fork();
        if (pid == 0) {
            tests[i].fn();
            _exit(failed ? 1 : 0);
        }
        int status = 0;
        waitpid(pid, &status, 0);
        int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        if (code == 77)
            printf("ok %d - %s::%s # SKIP\n", i + 1, tests[i].suite, tests[i].name);
        else if (code == 0)
            printf("ok %d - %s::%s\n", i + 1, tests[i].suite, tests[i].name);
        else {
            printf("not ok %d - %s::%s (status %d)\n", i + 1, tests[i].suite, tests[i].name,
                   code);
            bad++;
        }
        fflush(stdout);
    }
    return bad != 0;
}
