/*
 * The environment: getenv/putenv/unsetenv and their errors, the environ
 * snapshot compared with the os.environ CPython builds from the same
 * environ (duplicates and entries without '=' included), and bt_os_env
 * given to a child, which must see exactly that environment.
 * (Criterion runs each test in its own process: changing environ here
 * touches no other test.)
 */
#include <criterion/criterion.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <batteries/os.h>

#include "bt_test.h"
#include "os_test.h"

extern char **environ;

Test(os_env, getenv_putenv_unsetenv)
{
    bt_buf v = BT_BUF_INIT;
    bt_err err = BT_ERR_INIT;
    cr_assert_eq(bt_os_putenv("BT_OS_TEST", "caf\xc3\xa9 = ok", &err), 0);
    cr_expect_str_eq(getenv("BT_OS_TEST"), "caf\xc3\xa9 = ok");
    cr_expect_eq(bt_os_getenv("BT_OS_TEST", &v), 1);
    cr_expect_str_eq(v.data, "caf\xc3\xa9 = ok");
    cr_assert_eq(bt_os_putenv("BT_OS_TEST", "", &err), 0);
    bt_buf_clear(&v);
    cr_expect_eq(bt_os_getenv("BT_OS_TEST", &v), 1,
                 "set to empty is still set");
    cr_expect_eq(v.len, 0u);
    cr_expect_not_null(v.data, "NUL-terminated even when empty");
    cr_assert_eq(bt_os_unsetenv("BT_OS_TEST", &err), 0);
    bt_buf_clear(&v);
    cr_expect_eq(bt_os_getenv("BT_OS_TEST", &v), 0);
    cr_expect_eq(v.len, 0u);
    cr_expect_eq(bt_os_unsetenv("BT_OS_TEST", &err), 0,
                 "unsetting an unset name is fine");
    /* Python 3.11's errors: ValueError for '=' in putenv; libc's EINVAL
     * otherwise, without a file name. */
    cr_expect_eq(bt_os_putenv("A=B", "x", &err), BT_EVALUE);
    cr_expect_str_eq(err.msg, "illegal environment variable name");
    cr_expect_eq(bt_os_putenv("", "x", &err), BT_EINVAL);
    cr_expect_str_eq(err.msg, "[Errno 22] Invalid argument");
    cr_expect_eq(bt_os_unsetenv("A=B", &err), BT_EINVAL);
    cr_expect_str_eq(err.msg, "[Errno 22] Invalid argument");
    cr_expect_eq(bt_os_unsetenv("", &err), BT_EINVAL);
    bt_buf_fini(&v);
}

/* The real interpreter (not a wrapper script that edits the environment). */
static char *python_exe(void)
{
    FILE *p = popen("python3 -c 'import sys; print(sys.executable)'", "r");
    cr_assert_not_null(p);
    static char exe[512];
    cr_assert_not_null(fgets(exe, sizeof exe, p));
    pclose(p);
    exe[strcspn(exe, "\n")] = '\0';
    return exe;
}

/* What CPython's os.environ holds when started with envp: one "KEY=VALUE"
 * per line, hex-encoded, in order. */
static void python_environ(char *const *envp, bt_strvec *out)
{
    int fds[2];
    cr_assert_eq(pipe(fds), 0);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
    posix_spawn_file_actions_addclose(&fa, fds[0]);
    char *argv[] = {
        python_exe(), "-c",
        "import os\n"
        "for k, v in os.environb.items(): print((k + b'=' + v).hex())",
        NULL};
    pid_t pid;
    cr_assert_eq(posix_spawn(&pid, argv[0], &fa, NULL, argv, envp), 0);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    FILE *f = fdopen(fds[0], "r");
    char *line = NULL;
    size_t cap = 0;
    ssize_t k;
    while ((k = getline(&line, &cap, f)) > 0) {
        line[strcspn(line, "\n")] = '\0';
        size_t n;
        char *raw = bt_test_unhex(line, &n);
        cr_assert_eq(bt_strvec_append(out, raw, n), 0);
        free(raw);
    }
    free(line);
    fclose(f);
    int status;
    waitpid(pid, &status, 0);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void expect_same(const bt_strvec *ours, const bt_strvec *theirs)
{
    cr_expect_eq(ours->count, theirs->count, "%zu variables, CPython sees %zu",
                 ours->count, theirs->count);
    for (size_t i = 0; i < ours->count && i < theirs->count; i++)
        cr_expect_str_eq(ours->items[i], theirs->items[i], "variable %zu", i);
}

Test(os_env, environ_snapshot_matches_cpython)
{
    /* Python must not coerce the locale (PEP 538 would add LC_CTYPE). */
    cr_assert_eq(bt_os_putenv("PYTHONCOERCECLOCALE", "0", NULL), 0);
    cr_assert_eq(bt_os_putenv("BT_OS_NL", "two\nlines", NULL), 0);
    cr_assert_eq(bt_os_putenv("BT_OS_BAD", "\xff\xfe", NULL), 0);
    bt_strvec ours = BT_STRVEC_INIT, theirs = BT_STRVEC_INIT;
    cr_assert_gt(bt_os_environ(&ours), 3);
    python_environ(environ, &theirs);
    expect_same(&ours, &theirs);
    bt_strvec_fini(&ours);
    bt_strvec_fini(&theirs);
}

Test(os_env, duplicates_first_wins_and_entries_without_equals_are_skipped)
{
    char *fake[] = {"PYTHONCOERCECLOCALE=0",
                    "DUP=first",
                    "NOEQUALS",
                    "X=1",
                    "DUP=second",
                    "=empty_key",
                    NULL};
    char **saved = environ;
    environ = fake;
    bt_strvec ours = BT_STRVEC_INIT, theirs = BT_STRVEC_INIT;
    ptrdiff_t n = bt_os_environ(&ours);
    bt_os_env *copy;
    cr_assert_eq(bt_os_environ_copy(&copy), 0);
    environ = saved;
    cr_expect_eq(n, 4);
    python_environ(fake, &theirs);
    expect_same(&ours, &theirs);
    char *const *envp = bt_os_env_envp(copy);
    for (size_t i = 0; i < ours.count; i++)
        cr_expect_str_eq(envp[i], ours.items[i], "the copy holds the same");
    cr_expect_null(envp[ours.count]);
    cr_expect_str_eq(bt_os_env_get(copy, "DUP"), "first");
    cr_expect_str_eq(bt_os_env_get(copy, ""), "empty_key");
    bt_os_env_free(copy);
    bt_strvec_fini(&ours);
    bt_strvec_fini(&theirs);
}

Test(os_env, env_object_builds_a_child_environment)
{
    bt_os_env *e;
    cr_assert_eq(bt_os_env_new(&e), 0);
    cr_expect_eq(bt_os_env_len(e), 0u);
    cr_expect_null(bt_os_env_envp(e)[0], "an empty environment is {NULL}");
    bt_err err = BT_ERR_INIT;
    cr_assert_eq(bt_os_env_set(e, "PYTHONCOERCECLOCALE", "0", &err), 0);
    cr_assert_eq(bt_os_env_set(e, "A", "1", &err), 0);
    cr_assert_eq(bt_os_env_set(e, "B", "2", &err), 0);
    cr_assert_eq(bt_os_env_set(e, "C", "line\nbreak \xff", &err), 0);
    cr_assert_eq(bt_os_env_set(e, "A", "changed", &err), 0);
    cr_expect_eq(bt_os_env_len(e), 4u);
    cr_expect_str_eq(bt_os_env_get(e, "A"), "changed");
    cr_expect_null(bt_os_env_get(e, "Z"));
    cr_expect_eq(bt_os_env_unset(e, "B"), 0);
    cr_expect_eq(bt_os_env_unset(e, "B"), BT_EKEY);
    cr_expect_eq(bt_os_env_set(e, "BAD=KEY", "x", &err), BT_EVALUE);
    cr_expect_str_eq(err.msg, "illegal environment variable name");
    cr_assert_eq(bt_os_env_set(e, "B", "back", &err), 0);
    const char *want[] = {"PYTHONCOERCECLOCALE=0", "A=changed",
                          "C=line\nbreak \xff", "B=back"};
    char *const *envp = bt_os_env_envp(e);
    for (size_t i = 0; i < 4; i++)
        cr_expect_str_eq(envp[i], want[i],
                         "a changed key keeps its place, a new one goes last");
    cr_expect_null(envp[4]);
    /* The child sees exactly this environment; ours is untouched. */
    bt_strvec theirs = BT_STRVEC_INIT;
    python_environ(envp, &theirs);
    cr_expect_eq(theirs.count, 4u);
    for (size_t i = 0; i < theirs.count && i < 4; i++)
        cr_expect_str_eq(theirs.items[i], want[i]);
    cr_expect_null(getenv("C"));
    bt_strvec_fini(&theirs);
    bt_os_env_free(e);
    bt_os_env_free(NULL);

    /* A copy of the process environment, changed for the child only. */
    cr_assert_eq(bt_os_putenv("BT_OS_PARENT", "p", NULL), 0);
    cr_assert_eq(bt_os_putenv("PYTHONCOERCECLOCALE", "0", NULL), 0);
    cr_assert_eq(bt_os_environ_copy(&e), 0);
    cr_assert_eq(bt_os_env_set(e, "BT_OS_CHILD", "c", NULL), 0);
    cr_assert_eq(bt_os_env_unset(e, "BT_OS_PARENT"), 0);
    python_environ(bt_os_env_envp(e), &theirs);
    bool child = false, parent = false;
    for (size_t i = 0; i < theirs.count; i++) {
        child |= strcmp(theirs.items[i], "BT_OS_CHILD=c") == 0;
        parent |= strncmp(theirs.items[i], "BT_OS_PARENT=", 13) == 0;
    }
    cr_expect(child && !parent);
    cr_expect_eq(theirs.count, bt_os_env_len(e));
    cr_expect_str_eq(getenv("BT_OS_PARENT"), "p");
    cr_expect_null(getenv("BT_OS_CHILD"));
    bt_strvec_fini(&theirs);
    bt_os_env_free(e);
}
