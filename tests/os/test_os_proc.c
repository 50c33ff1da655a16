/* The process and the machine: ids, cpu_count, urandom, system() and wait
 * statuses, compared with what CPython answers where it can answer. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <batteries/os.h>

/* The first line CPython prints for a script (given on the command line,
 * in single quotes). */
static char *python(const char *script)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "python3 -c '%s'", script);
    FILE *p = popen(cmd, "r");
    cr_assert_not_null(p);
    static char line[1024];
    cr_assert_not_null(fgets(line, sizeof line, p));
    cr_assert_eq(pclose(p), 0);
    line[strcspn(line, "\n")] = '\0';
    return line;
}

Test(os_proc, ids)
{
    cr_expect_eq(bt_os_getpid(), (int)getpid());
    cr_expect_eq(bt_os_getppid(), (int)getppid());
    cr_expect_neq(bt_os_getpid(), bt_os_getppid());
}

Test(os_proc, cpu_count_matches_cpython)
{
    char ours[32];
    snprintf(ours, sizeof ours, "%d", bt_os_cpu_count());
    cr_expect_str_eq(python("import os; print(os.cpu_count())"), ours);
}

Test(os_proc, urandom)
{
    static unsigned char a[1 << 20], b[1 << 20];
    cr_assert_eq(bt_os_urandom(a, sizeof a, NULL), 0);
    cr_assert_eq(bt_os_urandom(b, sizeof b, NULL), 0);
    cr_expect_neq(memcmp(a, b, sizeof a), 0, "two draws differ");
    size_t counts[256] = {0};
    for (size_t i = 0; i < sizeof a; i++)
        counts[a[i]]++;
    for (int v = 0; v < 256; v++)
        cr_expect(counts[v] > 3500 && counts[v] < 4700,
                  "byte %d seen %zu times", v, counts[v]);
    cr_expect_eq(bt_os_urandom(a, 0, NULL), 0, "zero bytes is fine");
}

Test(os_proc, system_returns_python_wait_status)
{
    const char *cmds[] = {"exit 3", "kill -9 $$", "true", "exit 255", "false"};
    char ours[256] = "";
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        char one[32];
        snprintf(one, sizeof one, "%s%d", i ? " " : "", bt_os_system(cmds[i]));
        strcat(ours, one);
    }
    cr_expect_str_eq(python("import os; print(*[os.system(c) for c in "
                            "[\"exit 3\", \"kill -9 $$\", \"true\", \"exit "
                            "255\", \"false\"]])"),
                     ours);
}

Test(os_proc, waitstatus_to_exitcode_matches_cpython)
{
    int statuses[] = {0, 768, 9, 0x137f, 0x7f, 0xffff, 0x8b, 0xff00, 0x100};
    size_t n = sizeof statuses / sizeof statuses[0];
    char ours[1024] = "";
    for (size_t i = 0; i < n; i++) {
        bt_err err = BT_ERR_INIT;
        int rc = bt_os_waitstatus_to_exitcode(statuses[i], &err);
        char one[600];
        if (rc == BT_EVALUE)
            snprintf(one, sizeof one, "%sValueError:%s", i ? "|" : "", err.msg);
        else
            snprintf(one, sizeof one, "%s%d", i ? "|" : "", rc);
        strcat(ours, one);
    }
    cr_expect_str_eq(
        python("import os\n"
               "def f(s):\n"
               "  try: return str(os.waitstatus_to_exitcode(s))\n"
               "  except ValueError as e: return \"ValueError:%s\" % e\n"
               "print(\"|\".join(f(s) for s in "
               "[0, 768, 9, 0x137f, 0x7f, 0xffff, 0x8b, 0xff00, 0x100]))"),
        ours);
}
