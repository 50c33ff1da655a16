/*
 * test_sp_eintr.c — a 1 ms interval timer firing through run, communicate
 * and the waits (an EINTR storm): every call still completes with the
 * right data. The handler is installed with raw sigaction, without
 * SA_RESTART, so every blocking call is interrupted; both are restored.
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include <batteries/subprocess.h>

#include "sp_test.h"

static volatile sig_atomic_t ticks;

static void on_alarm(int sig)
{
    (void)sig;
    ticks++;
}

Test(subprocess_eintr, itimer_storm_during_run_and_communicate)
{
    struct sigaction sa, old_sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm; /* no SA_RESTART */
    sigemptyset(&sa.sa_mask);
    cr_assert_eq(sigaction(SIGALRM, &sa, &old_sa), 0);
    struct itimerval it = {{0, 1000}, {0, 1000}}, old_it;
    cr_assert_eq(setitimer(ITIMER_REAL, &it, &old_it), 0);

    size_t n = 8u << 20;
    char *in = malloc(n);
    for (size_t i = 0; i < n; i++)
        in[i] = (char)('a' + i % 26);
    bt_err err = BT_ERR_INIT;
    for (int round = 0; round < 3; round++) {
        bt_subprocess_opts o = BT_SUBPROCESS_OPTS_INIT;
        o.input = in;
        o.input_len = n;
        o.capture_output = true;
        const char *cat[] = {"sh", "-c", "sleep 0.05; cat; echo err >&2", NULL};
        bt_subprocess_completed r;
        cr_assert_eq(bt_subprocess_run(cat, &o, &r, &err), 0, "%s", err.msg);
        cr_expect_eq(r.stdout_buf.len, n);
        cr_expect(r.stdout_buf.len == n && memcmp(r.stdout_buf.data, in, n) == 0);
        cr_expect_str_eq(r.stderr_buf.data, "err\n");
        bt_subprocess_completed_fini(&r);

        /* One pipe, no timeout: the blocking read path. */
        o = (bt_subprocess_opts)BT_SUBPROCESS_OPTS_INIT;
        o.out = BT_SUBPROCESS_PIPE;
        const char *slow[] = {"sh", "-c", "sleep 0.1; echo done", NULL};
        cr_assert_eq(bt_subprocess_run(slow, &o, &r, &err), 0, "%s", err.msg);
        cr_expect_str_eq(r.stdout_buf.data, "done\n");
        bt_subprocess_completed_fini(&r);

        /* wait with and without a timeout, and a timeout that expires. */
        bt_popen *p;
        const char *sl[] = {"sleep", "0.1", NULL};
        cr_assert_eq(bt_subprocess_popen(sl, NULL, &p, &err), 0);
        cr_expect_eq(bt_popen_wait(p, 0.02, &err), BT_ETIMEOUTEXPIRED);
        cr_expect_eq(bt_popen_wait(p, 5, &err), 0);
        cr_expect_eq(p->returncode, 0);
        bt_popen_free(p);
        cr_assert_eq(bt_subprocess_popen(sl, NULL, &p, &err), 0);
        cr_expect_eq(bt_popen_wait(p, -1, &err), 0);
        bt_popen_free(p);

        o = (bt_subprocess_opts)BT_SUBPROCESS_OPTS_INIT;
        o.capture_output = true;
        o.timeout = 0.1;
        const char *to[] = {"sh", "-c", "echo before; exec sleep 3", NULL};
        cr_expect_eq(bt_subprocess_run(to, &o, &r, &err), BT_ETIMEOUTEXPIRED);
        cr_expect_str_eq(r.stdout_buf.data, "before\n");
        bt_subprocess_completed_fini(&r);

        /* stdin closed early while the timer fires: EPIPE, not EINTR. */
        o = (bt_subprocess_opts)BT_SUBPROCESS_OPTS_INIT;
        o.input = in;
        o.input_len = n;
        o.capture_output = true;
        const char *head[] = {"sh", "-c", "sleep 0.02; exec head -c 3", NULL};
        cr_assert_eq(bt_subprocess_run(head, &o, &r, &err), 0, "%s", err.msg);
        cr_expect_str_eq(r.stdout_buf.data, "abc");
        bt_subprocess_completed_fini(&r);

        const char *bad[] = {"nosuchprog", NULL};
        cr_expect_eq(bt_subprocess_popen(bad, NULL, &p, &err), BT_ENOENT);
    }
    free(in);

    struct itimerval off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &off, NULL);
    sigaction(SIGALRM, &old_sa, NULL);
    setitimer(ITIMER_REAL, &old_it, NULL);
    cr_expect_gt(ticks, 100, "the timer fired only %d times", (int)ticks);
    sp_no_zombie();
}
