/* test_vectors.c — signal against CPython's answers (tools/gen_vectors/
 * signal.py): strsignal, valid_signals, Signals names, and what each
 * misuse raises. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <batteries/signal.h>

#include "bt_test.h"

Test(signal_vectors, strsignal)
{
    bt_test_vectors v;
    char *f[BT_TEST_MAX_FIELDS];
    int cases = 0;
    bt_test_vectors_open(&v, "signal", "strsignal");
    while (bt_test_vectors_next(&v, f) > 0) {
        int signum = atoi(f[0]);
        const char *out = "unset";
        bt_err err = BT_ERR_INIT;
        int rc = bt_signal_strsignal(signum, &out, &err);
        if (strcmp(f[1], "err") == 0) {
            cr_expect_lt(rc, 0, "strsignal(%d)", signum);
            cr_expect_str_eq(bt_errname(rc), f[2]);
            cr_expect_str_eq(err.msg, f[3]);
        } else if (strcmp(f[1], "none") == 0) {
            cr_expect_eq(rc, 0);
            cr_expect_null(out, "strsignal(%d) is None", signum);
        } else {
            cr_expect_eq(rc, 0);
            cr_assert_not_null(out, "strsignal(%d)", signum);
            cr_expect_str_eq(out, f[2], "strsignal(%d)", signum);
        }
        cases++;
    }
    bt_test_vectors_close(&v);
    cr_expect_gt(cases, 60);
}

Test(signal_vectors, valid_signals)
{
    bt_signal_set want = {0}, got = {0};
    bt_test_vectors v;
    char *f[BT_TEST_MAX_FIELDS];
    bt_test_vectors_open(&v, "signal", "valid");
    while (bt_test_vectors_next(&v, f) > 0) {
        int n = atoi(f[0]);
        cr_assert(n > 0 && n < BT_SIGNAL_NSIG);
        want.has[n] = true;
    }
    bt_test_vectors_close(&v);
    cr_assert_eq(bt_signal_valid_signals(&got), 0);
    for (int i = 0; i < BT_SIGNAL_NSIG; i++)
        cr_expect_eq(got.has[i], want.has[i], "signal %d", i);
}

Test(signal_vectors, signals_names)
{
    bt_test_vectors v;
    char *f[BT_TEST_MAX_FIELDS];
    bt_test_vectors_open(&v, "signal", "names");
    while (bt_test_vectors_next(&v, f) > 0) {
        int signum = atoi(f[0]);
        const char *name = NULL;
        bt_err err = BT_ERR_INIT;
        int rc = bt_signal_signals_name(signum, &name, &err);
        if (strcmp(f[1], "err") == 0) {
            cr_expect_str_eq(bt_errname(rc), f[2], "Signals(%d)", signum);
            cr_expect_str_eq(err.msg, f[3]);
        } else {
            cr_expect_eq(rc, 0, "Signals(%d)", signum);
            cr_assert_not_null(name);
            cr_expect_str_eq(name, f[2]);
        }
    }
    bt_test_vectors_close(&v);
}

Test(signal_vectors, signals_lookup)
{
    bt_test_vectors v;
    char *f[BT_TEST_MAX_FIELDS];
    bt_test_vectors_open(&v, "signal", "lookup");
    while (bt_test_vectors_next(&v, f) > 0) {
        int signum = -1;
        bt_err err = BT_ERR_INIT;
        int rc = bt_signal_signals_from_name(f[0], &signum, &err);
        if (strcmp(f[1], "err") == 0) {
            cr_expect_str_eq(bt_errname(rc), f[2], "Signals[%s]", f[0]);
            cr_expect_str_eq(err.msg, f[3]);
        } else {
            cr_expect_eq(rc, 0, "Signals[%s]", f[0]);
            cr_expect_eq(signum, atoi(f[2]), "Signals[%s]", f[0]);
        }
    }
    bt_test_vectors_close(&v);
}

/* ---- errors.tsv: the same call per case name ---- */

static int noop(int signum, void *ctx, bt_err *err)
{
    (void)signum;
    (void)ctx;
    (void)err;
    return 0;
}

static bt_signal_set set_of(int signum)
{
    bt_signal_set s = {0};
    s.has[signum] = true;
    return s;
}

struct outcome {
    int rc;
    char value[64];
};

static int blocking_fd(bt_err *err, char *fdtext, size_t cap)
{
    int p[2];
    cr_assert_eq(pipe2(p, O_CLOEXEC), 0);
    snprintf(fdtext, cap, "%d", p[1]);
    int rc = bt_signal_set_wakeup_fd(p[1], true, err);
    close(p[0]);
    close(p[1]);
    return rc;
}

static double itimer_interval(double seconds)
{
    double interval = -1;
    cr_assert_eq(bt_signal_setitimer(BT_SIGNAL_ITIMER_REAL, 100, seconds, NULL,
                                     NULL, NULL),
                 0);
    cr_assert_eq(
        bt_signal_getitimer(BT_SIGNAL_ITIMER_REAL, NULL, &interval, NULL), 0);
    cr_assert_eq(
        bt_signal_setitimer(BT_SIGNAL_ITIMER_REAL, 0, 0, NULL, NULL, NULL), 0);
    return interval;
}

/* Makes the call errors.tsv names; fdtext gets the fd for "{fd}". */
static struct outcome run_case(const char *name, bt_err *err, char *fdtext,
                               size_t cap)
{
    struct outcome o = {0, ""};
    bt_signal_set zero = set_of(0), usr1 = set_of(SIGUSR1);
    const char *s = NULL;
    int signum = 0;
    unsigned long self = (unsigned long)pthread_self();
#define IS(x) (strcmp(name, x) == 0)
    if (IS("signal_0"))
        o.rc = bt_signal_signal(0, BT_SIGNAL_SIG_DFL, NULL, NULL, err);
    else if (IS("signal_nsig"))
        o.rc = bt_signal_signal(BT_SIGNAL_NSIG, BT_SIGNAL_SIG_DFL, NULL, NULL,
                                err);
    else if (IS("signal_negative"))
        o.rc = bt_signal_signal(-1, BT_SIGNAL_SIG_IGN, NULL, NULL, err);
    else if (IS("signal_sigkill_handler"))
        o.rc = bt_signal_signal(SIGKILL, noop, NULL, NULL, err);
    else if (IS("signal_sigkill_dfl"))
        o.rc = bt_signal_signal(SIGKILL, BT_SIGNAL_SIG_DFL, NULL, NULL, err);
    else if (IS("signal_sigstop_ign"))
        o.rc = bt_signal_signal(SIGSTOP, BT_SIGNAL_SIG_IGN, NULL, NULL, err);
    else if (IS("signal_32"))
        o.rc = bt_signal_signal(32, noop, NULL, NULL, err);
    else if (IS("signal_bad_handler"))
        o.rc = bt_signal_signal(SIGUSR1, BT_SIGNAL_NONE, NULL, NULL, err);
    else if (IS("getsignal_0") || IS("getsignal_nsig")) {
        bt_signal_handler h;
        o.rc = bt_signal_getsignal(IS("getsignal_0") ? 0 : BT_SIGNAL_NSIG, &h,
                                   err);
    } else if (IS("strsignal_0"))
        o.rc = bt_signal_strsignal(0, &s, err);
    else if (IS("siginterrupt_0"))
        o.rc = bt_signal_siginterrupt(0, true, err);
    else if (IS("siginterrupt_nsig"))
        o.rc = bt_signal_siginterrupt(BT_SIGNAL_NSIG, false, err);
    else if (IS("raise_signal_100"))
        o.rc = bt_signal_raise_signal(100, err);
    else if (IS("raise_signal_negative"))
        o.rc = bt_signal_raise_signal(-1, err);
    else if (IS("raise_signal_0"))
        o.rc = bt_signal_raise_signal(0, err);
    else if (IS("pthread_kill_1000"))
        o.rc = bt_signal_pthread_kill(self, 1000, err);
    else if (IS("pthread_kill_0"))
        o.rc = bt_signal_pthread_kill(self, 0, err);
    else if (IS("pthread_sigmask_bad_how")) {
        bt_signal_set empty = {0};
        o.rc = bt_signal_pthread_sigmask(5, &empty, NULL, err);
    } else if (IS("pthread_sigmask_0"))
        o.rc = bt_signal_pthread_sigmask(BT_SIGNAL_SIG_BLOCK, &zero, NULL, err);
    else if (IS("sigwait_0"))
        o.rc = bt_signal_sigwait(&zero, err);
    else if (IS("sigwaitinfo_0"))
        o.rc = bt_signal_sigwaitinfo(&zero, NULL, err);
    else if (IS("sigtimedwait_0"))
        o.rc = bt_signal_sigtimedwait(&zero, 0, NULL, err);
    else if (IS("sigtimedwait_negative"))
        o.rc = bt_signal_sigtimedwait(&usr1, -1, NULL, err);
    else if (IS("sigtimedwait_nan"))
        o.rc = bt_signal_sigtimedwait(&usr1, NAN, NULL, err);
    else if (IS("sigtimedwait_huge"))
        o.rc = bt_signal_sigtimedwait(&usr1, 1e10, NULL, err);
    else if (IS("sigtimedwait_poll")) /* None: our 0 */
        o.rc = bt_signal_sigtimedwait(&usr1, 0, NULL, err) == 0 ? 0 : -1;
    else if (IS("setitimer_bad_which"))
        o.rc = bt_signal_setitimer(5, 1.0, 0, NULL, NULL, err);
    else if (IS("setitimer_negative"))
        o.rc = bt_signal_setitimer(BT_SIGNAL_ITIMER_REAL, -1.0, 0, NULL, NULL,
                                   err);
    else if (IS("setitimer_negative_interval"))
        o.rc = bt_signal_setitimer(BT_SIGNAL_ITIMER_REAL, 1.0, -1.0, NULL, NULL,
                                   err);
    else if (IS("setitimer_nan"))
        o.rc =
            bt_signal_setitimer(BT_SIGNAL_ITIMER_REAL, NAN, 0, NULL, NULL, err);
    else if (IS("setitimer_huge"))
        o.rc = bt_signal_setitimer(BT_SIGNAL_ITIMER_REAL, 1e10, 0, NULL, NULL,
                                   err);
    else if (IS("setitimer_inf"))
        o.rc = bt_signal_setitimer(BT_SIGNAL_ITIMER_PROF, INFINITY, 0, NULL,
                                   NULL, err);
    else if (IS("getitimer_bad_which"))
        o.rc = bt_signal_getitimer(7, NULL, NULL, err);
    else if (IS("set_wakeup_fd_bad"))
        o.rc = bt_signal_set_wakeup_fd(999, true, err);
    else if (IS("set_wakeup_fd_negative"))
        o.rc = bt_signal_set_wakeup_fd(-5, true, err);
    else if (IS("set_wakeup_fd_blocking"))
        o.rc = blocking_fd(err, fdtext, cap);
    else if (IS("signals_0"))
        o.rc = bt_signal_signals_name(0, &s, err);
    else if (IS("signals_35"))
        o.rc = bt_signal_signals_name(35, &s, err);
    else if (IS("signals_foo"))
        o.rc = bt_signal_signals_from_name("FOO", &signum, err);
    else if (IS("signals_quote"))
        o.rc = bt_signal_signals_from_name("it's", &signum, err);
    else if (IS("alarm_negative")) {
        bt_signal_alarm((unsigned int)-1);
        snprintf(o.value, sizeof o.value, "%u", bt_signal_alarm(0));
    } else if (strncmp(name, "itimer_round_", 13) == 0)
        snprintf(o.value, sizeof o.value, "%.17g",
                 itimer_interval(strtod(name + 13, NULL)));
    else if (IS("default_int_handler"))
        o.rc = bt_signal_default_int_handler(SIGINT, NULL, err);
    else
        cr_assert_fail("no C call for case %s", name);
#undef IS
    return o;
}

/* Python's repr of a float against ours printed with %.17g. */
static bool same_float(const char *py, const char *ours)
{
    return strtod(py, NULL) == strtod(ours, NULL);
}

Test(signal_vectors, errors)
{
    bt_test_vectors v;
    char *f[BT_TEST_MAX_FIELDS];
    int cases = 0;
    bt_test_vectors_open(&v, "signal", "errors");
    while (bt_test_vectors_next(&v, f) > 0) {
        bt_err err = BT_ERR_INIT;
        char fdtext[16] = "";
        struct outcome o = run_case(f[0], &err, fdtext, sizeof fdtext);
        if (strcmp(f[1], "ok") == 0) {
            cr_expect_eq(o.rc, 0, "%s: %s", f[0], err.msg);
            if (*f[2])
                cr_expect(same_float(f[2], o.value), "%s: %s vs %s", f[0], f[2],
                          o.value);
        } else {
            cr_expect_lt(o.rc, 0, "%s", f[0]);
            /* signal.ItimerError is an OSError subclass; ours is -errno. */
            const char *cls =
                strcmp(f[2], "itimer_error") == 0 ? "OSError" : f[2];
            cr_expect_str_eq(bt_errname(o.rc), cls, "%s", f[0]);
            cr_expect_eq(err.code, o.rc, "%s", f[0]);
            char want[512];
            const char *hole = strstr(f[3], "{fd}");
            if (hole)
                snprintf(want, sizeof want, "%.*s%s%s", (int)(hole - f[3]),
                         f[3], fdtext, hole + 4);
            else
                snprintf(want, sizeof want, "%s", f[3]);
            cr_expect_str_eq(err.msg, want, "%s", f[0]);
        }
        cases++;
    }
    bt_test_vectors_close(&v);
    cr_expect_gt(cases, 40);
}
