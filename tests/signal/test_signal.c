/* test_signal.c — handlers recorded by the C handler and run by the
 * dispatch, getsignal, KeyboardInterrupt, the wakeup fd, masks and the
 * synchronous waits. Every test runs in its own process (Criterion forks),
 * so dispositions set here die with it. */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#include <batteries/signal.h>

static atomic_int calls[BT_SIGNAL_NSIG];
static atomic_int last_ctx_ok;

static int count(int signum, void *ctx, bt_err *err)
{
    (void)err;
    atomic_fetch_add(&calls[signum], 1);
    atomic_store(&last_ctx_ok, ctx == (void *)&calls);
    return 0;
}

static int fail(int signum, void *ctx, bt_err *err)
{
    (void)ctx;
    atomic_fetch_add(&calls[signum], 1);
    return bt_err_setf(err, BT_ERUNTIME, -1, "handler for %d failed", signum);
}

static bt_signal_set set_of(int a, int b)
{
    bt_signal_set s = {0};
    s.has[a] = true;
    if (b)
        s.has[b] = true;
    return s;
}

Test(signal, handler_runs_at_dispatch_not_in_the_signal)
{
    bt_err err = BT_ERR_INIT;
    cr_assert_eq(bt_signal_signal(SIGUSR1, count, &calls, NULL, &err), 0, "%s",
                 err.msg);
    /* kill(2), unlike raise_signal, does not dispatch by itself. */
    cr_assert_eq(kill(getpid(), SIGUSR1), 0);
    cr_assert_eq(kill(getpid(), SIGUSR1), 0);
    cr_expect_eq(atomic_load(&calls[SIGUSR1]), 0);
    cr_assert_eq(bt_signal_check_signals(&err), 0);
    /* Two arrivals before a check run the handler once, as in Python. */
    cr_expect_eq(atomic_load(&calls[SIGUSR1]), 1);
    cr_expect(atomic_load(&last_ctx_ok));
    cr_assert_eq(bt_signal_check_signals(&err), 0);
    cr_expect_eq(atomic_load(&calls[SIGUSR1]), 1);
}

Test(signal, raise_signal_dispatches)
{
    cr_assert_eq(bt_signal_signal(SIGUSR2, count, &calls, NULL, NULL), 0);
    cr_assert_eq(bt_signal_raise_signal(SIGUSR2, NULL), 0);
    cr_expect_eq(atomic_load(&calls[SIGUSR2]), 1);
}

Test(signal, failing_handler_leaves_the_rest_pending)
{
    bt_err err = BT_ERR_INIT;
    cr_assert_eq(bt_signal_signal(SIGUSR1, fail, NULL, NULL, NULL), 0);
    cr_assert_eq(bt_signal_signal(SIGUSR2, count, &calls, NULL, NULL), 0);
    kill(getpid(), SIGUSR2);
    kill(getpid(), SIGUSR1);
    cr_assert_eq(bt_signal_check_signals(&err), BT_ERUNTIME);
    cr_expect_str_eq(err.msg, "handler for 10 failed");
    cr_expect_eq(atomic_load(&calls[SIGUSR2]), 0,
                 "signal order: USR1 (10) before USR2 (12)");
    cr_assert_eq(bt_signal_check_signals(&err), 0);
    cr_expect_eq(atomic_load(&calls[SIGUSR2]), 1);
    cr_expect_eq(atomic_load(&calls[SIGUSR1]), 1);
    /* raise_signal returns the handler's failure, as Python raises it. */
    err = (bt_err)BT_ERR_INIT;
    cr_expect_eq(bt_signal_raise_signal(SIGUSR1, &err), BT_ERUNTIME);
    cr_expect_str_eq(err.msg, "handler for 10 failed");
}

Test(signal, handler_reset_before_dispatch_drops_the_signal)
{
    cr_assert_eq(bt_signal_signal(SIGUSR1, count, &calls, NULL, NULL), 0);
    kill(getpid(), SIGUSR1);
    cr_assert_eq(bt_signal_signal(SIGUSR1, BT_SIGNAL_SIG_IGN, NULL, NULL, NULL),
                 0);
    cr_expect_eq(bt_signal_check_signals(NULL), 0);
    cr_expect_eq(atomic_load(&calls[SIGUSR1]), 0);
}

Test(signal, signal_returns_the_old_handler_and_getsignal_agrees)
{
    bt_signal_handler old, now;
    cr_assert_eq(bt_signal_getsignal(SIGUSR1, &now, NULL), 0);
    cr_expect(now.fn == BT_SIGNAL_SIG_DFL);
    cr_assert_eq(bt_signal_signal(SIGUSR1, count, &calls, &old, NULL), 0);
    cr_expect(old.fn == BT_SIGNAL_SIG_DFL);
    cr_assert_eq(bt_signal_getsignal(SIGUSR1, &now, NULL), 0);
    cr_expect(now.fn == count);
    cr_expect(now.ctx == (void *)&calls);
    cr_assert_eq(bt_signal_signal(SIGUSR1, BT_SIGNAL_SIG_IGN, NULL, &old, NULL),
                 0);
    cr_expect(old.fn == count && old.ctx == (void *)&calls);
    cr_assert_eq(bt_signal_getsignal(SIGUSR1, &now, NULL), 0);
    cr_expect(now.fn == BT_SIGNAL_SIG_IGN);
    /* The OS agrees. */
    struct sigaction sa;
    sigaction(SIGUSR1, NULL, &sa);
    cr_expect(sa.sa_handler == SIG_IGN);
    cr_assert_eq(bt_signal_signal(SIGUSR1, BT_SIGNAL_SIG_DFL, NULL, &old, NULL),
                 0);
    cr_expect(old.fn == BT_SIGNAL_SIG_IGN);
    sigaction(SIGUSR1, NULL, &sa);
    cr_expect(sa.sa_handler == SIG_DFL);
}

static void foreign(int signum)
{
    (void)signum;
}

Test(signal, getsignal_none_for_a_foreign_handler)
{
    /* Python's None: a handler that was not installed through signal(). */
    struct sigaction sa = {0};
    sa.sa_handler = foreign;
    sigaction(SIGUSR2, &sa, NULL);
    bt_signal_handler h;
    cr_assert_eq(bt_signal_getsignal(SIGUSR2, &h, NULL), 0);
    cr_expect(h.fn == BT_SIGNAL_NONE);
    bt_signal_handler old;
    cr_assert_eq(bt_signal_signal(SIGUSR2, count, NULL, &old, NULL), 0);
    cr_expect(old.fn == BT_SIGNAL_NONE);
    /* And back to foreign behind our back: None again, not our table. */
    sigaction(SIGUSR2, &sa, NULL);
    cr_assert_eq(bt_signal_getsignal(SIGUSR2, &h, NULL), 0);
    cr_expect(h.fn == BT_SIGNAL_NONE);
}

Test(signal, installs_without_sa_restart_as_python)
{
    cr_assert_eq(bt_signal_signal(SIGUSR1, count, NULL, NULL, NULL), 0);
    struct sigaction sa;
    sigaction(SIGUSR1, NULL, &sa);
    cr_expect_eq(sa.sa_flags & SA_RESTART, 0);
    cr_expect_neq(sa.sa_flags & SA_ONSTACK, 0);
    cr_assert_eq(bt_signal_siginterrupt(SIGUSR1, false, NULL), 0);
    sigaction(SIGUSR1, NULL, &sa);
    cr_expect_neq(sa.sa_flags & SA_RESTART, 0);
    cr_assert_eq(bt_signal_siginterrupt(SIGUSR1, true, NULL), 0);
    sigaction(SIGUSR1, NULL, &sa);
    cr_expect_eq(sa.sa_flags & SA_RESTART, 0);
    cr_expect_eq(bt_signal_siginterrupt(SIGKILL, false, NULL), -EINVAL);
}

Test(signal, library_never_changes_dispositions_by_itself)
{
    struct sigaction before[BT_SIGNAL_NSIG], after;
    for (int i = 1; i < BT_SIGNAL_NSIG; i++)
        sigaction(i, NULL, &before[i]);
    const char *s;
    bt_signal_set set;
    bt_signal_handler h;
    int p[2];
    cr_assert_eq(pipe2(p, O_CLOEXEC | O_NONBLOCK), 0);
    bt_signal_strsignal(SIGINT, &s, NULL);
    bt_signal_valid_signals(&set);
    bt_signal_check_signals(NULL);
    bt_signal_keyboard_interrupt_pending();
    cr_assert_eq(bt_signal_set_wakeup_fd(p[1], true, NULL), -1);
    bt_signal_set_wakeup_fd(-1, true, NULL);
    for (int i = 1; i < BT_SIGNAL_NSIG; i++) {
        bt_signal_getsignal(i, &h, NULL);
        sigaction(i, NULL, &after);
        cr_expect(after.sa_handler == before[i].sa_handler, "signal %d", i);
        cr_expect_eq(after.sa_flags, before[i].sa_flags, "signal %d", i);
    }
    close(p[0]);
    close(p[1]);
}

Test(signal, keyboard_interrupt_only_when_asked)
{
    bt_err err = BT_ERR_INIT;
    /* SIG_IGN: SIGINT changes nothing. */
    cr_assert_eq(bt_signal_signal(SIGINT, BT_SIGNAL_SIG_IGN, NULL, NULL, NULL),
                 0);
    raise(SIGINT);
    cr_expect_not(bt_signal_keyboard_interrupt_pending());
    cr_expect_eq(bt_signal_check_signals(&err), 0);
    /* A user handler: it runs, no KeyboardInterrupt. */
    cr_assert_eq(bt_signal_signal(SIGINT, count, NULL, NULL, NULL), 0);
    raise(SIGINT);
    cr_expect_not(bt_signal_keyboard_interrupt_pending());
    cr_expect_eq(bt_signal_check_signals(&err), 0);
    cr_expect_eq(atomic_load(&calls[SIGINT]), 1);
    /* Python's default, asked for. */
    cr_assert_eq(bt_signal_signal(SIGINT, bt_signal_default_int_handler, NULL,
                                  NULL, NULL),
                 0);
    raise(SIGINT);
    cr_expect(bt_signal_keyboard_interrupt_pending(),
              "set by the signal itself");
    cr_expect_eq(bt_signal_check_signals(&err), BT_EINTERRUPT);
    cr_expect_str_eq(bt_errname(err.code), "KeyboardInterrupt");
    cr_expect_str_eq(err.msg, "");
    cr_expect_not(bt_signal_keyboard_interrupt_pending(), "raised = consumed");
    /* A program that polls instead of dispatching clears it itself. */
    raise(SIGINT);
    cr_expect(bt_signal_keyboard_interrupt_clear());
    cr_expect_not(bt_signal_keyboard_interrupt_clear());
    /* Moving SIGINT elsewhere stops the flag. */
    cr_assert_eq(bt_signal_signal(SIGINT, count, NULL, NULL, NULL), 0);
    bt_signal_check_signals(NULL);
    raise(SIGINT);
    cr_expect_not(bt_signal_keyboard_interrupt_pending());
    bt_signal_check_signals(NULL);
}

Test(signal, wakeup_fd_gets_the_signal_number)
{
    int p[2];
    cr_assert_eq(pipe2(p, O_CLOEXEC | O_NONBLOCK), 0);
    cr_assert_eq(bt_signal_signal(SIGUSR1, count, NULL, NULL, NULL), 0);
    cr_assert_eq(bt_signal_signal(SIGUSR2, count, NULL, NULL, NULL), 0);
    cr_assert_eq(bt_signal_set_wakeup_fd(p[1], true, NULL), -1);
    kill(getpid(), SIGUSR1);
    kill(getpid(), SIGUSR2);
    unsigned char buf[8];
    cr_assert_eq(read(p[0], buf, sizeof buf), 2);
    cr_expect_eq(buf[0], SIGUSR1);
    cr_expect_eq(buf[1], SIGUSR2);
    cr_expect_eq(bt_signal_set_wakeup_fd(-1, true, NULL), p[1]);
    kill(getpid(), SIGUSR1);
    cr_expect_eq(read(p[0], buf, sizeof buf), -1,
                 "turned off: nothing written");
    cr_expect_eq(errno, EAGAIN);
    cr_expect_eq(bt_signal_check_signals(NULL), 0);
    cr_expect_eq(bt_signal_wakeup_fd_error(), 0);
    close(p[0]);
    close(p[1]);
}

static void fill(int fd)
{
    char chunk[4096] = {0};
    while (write(fd, chunk, sizeof chunk) > 0)
        ;
    while (write(fd, chunk, 1) > 0)
        ;
}

Test(signal, wakeup_fd_full_buffer_and_errors)
{
    int p[2];
    cr_assert_eq(pipe2(p, O_CLOEXEC | O_NONBLOCK), 0);
    fill(p[1]);
    cr_assert_eq(bt_signal_signal(SIGUSR1, count, NULL, NULL, NULL), 0);
    /* warn_on_full_buffer=True: the full buffer is reported. */
    bt_signal_set_wakeup_fd(p[1], true, NULL);
    kill(getpid(), SIGUSR1);
    cr_expect_eq(bt_signal_wakeup_fd_error(), -EAGAIN);
    cr_expect_eq(bt_signal_wakeup_fd_error(), 0, "reading it forgets it");
    /* False: silently dropped. The handler still runs. */
    bt_signal_set_wakeup_fd(p[1], false, NULL);
    kill(getpid(), SIGUSR1);
    cr_expect_eq(bt_signal_wakeup_fd_error(), 0);
    bt_signal_check_signals(NULL);
    cr_expect_eq(atomic_load(&calls[SIGUSR1]), 1);
    /* Another error is reported even with warn_on_full_buffer=False. */
    int r = open("/dev/null", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    cr_assert_geq(r, 0);
    bt_signal_set_wakeup_fd(r, false, NULL);
    kill(getpid(), SIGUSR1);
    cr_expect_eq(bt_signal_wakeup_fd_error(), -EBADF);
    bt_signal_set_wakeup_fd(-1, true, NULL);
    close(r);
    close(p[0]);
    close(p[1]);
}

Test(signal, pthread_sigmask_block_pending_unblock)
{
    bt_err err = BT_ERR_INIT;
    cr_assert_eq(bt_signal_signal(SIGUSR1, count, NULL, NULL, NULL), 0);
    bt_signal_set mask = set_of(SIGUSR1, 0), old, pending;
    cr_assert_eq(
        bt_signal_pthread_sigmask(BT_SIGNAL_SIG_BLOCK, &mask, &old, &err), 0);
    cr_expect_not(old.has[SIGUSR1]);
    cr_expect_not(old.has[0]);
    raise(SIGUSR1);
    cr_assert_eq(bt_signal_sigpending(&pending, NULL), 0);
    cr_expect(pending.has[SIGUSR1]);
    cr_expect_not(pending.has[SIGUSR2]);
    cr_expect_eq(bt_signal_check_signals(NULL), 0);
    cr_expect_eq(atomic_load(&calls[SIGUSR1]), 0, "blocked: not delivered");
    /* Reading only. */
    bt_signal_set now;
    cr_assert_eq(
        bt_signal_pthread_sigmask(BT_SIGNAL_SIG_BLOCK, NULL, &now, NULL), 0);
    cr_expect(now.has[SIGUSR1]);
    /* Unblocking delivers, and pthread_sigmask dispatches. */
    cr_assert_eq(
        bt_signal_pthread_sigmask(BT_SIGNAL_SIG_UNBLOCK, &mask, &old, &err), 0);
    cr_expect(old.has[SIGUSR1]);
    cr_expect_eq(atomic_load(&calls[SIGUSR1]), 1);
    bt_signal_set empty = {0};
    cr_assert_eq(
        bt_signal_pthread_sigmask(BT_SIGNAL_SIG_SETMASK, &empty, &old, NULL),
        0);
    cr_expect_not(old.has[SIGUSR1]);
    /* Reserved numbers are skipped, as Python skips them. */
    bt_signal_set reserved = set_of(32, 33);
    cr_expect_eq(
        bt_signal_pthread_sigmask(BT_SIGNAL_SIG_BLOCK, &reserved, NULL, NULL),
        0);
}

Test(signal, sigwait_takes_a_blocked_signal_without_its_handler)
{
    cr_assert_eq(bt_signal_signal(SIGUSR1, count, NULL, NULL, NULL), 0);
    bt_signal_set mask = set_of(SIGUSR1, SIGUSR2);
    cr_assert_eq(
        bt_signal_pthread_sigmask(BT_SIGNAL_SIG_BLOCK, &mask, NULL, NULL), 0);
    raise(SIGUSR2);
    cr_expect_eq(bt_signal_sigwait(&mask, NULL), SIGUSR2);
    raise(SIGUSR1);
    cr_expect_eq(bt_signal_sigwait(&mask, NULL), SIGUSR1);
    bt_signal_check_signals(NULL);
    cr_expect_eq(atomic_load(&calls[SIGUSR1]), 0);
}

Test(signal, sigwaitinfo_fills_struct_siginfo)
{
    bt_signal_set mask = set_of(SIGUSR2, 0);
    cr_assert_eq(
        bt_signal_pthread_sigmask(BT_SIGNAL_SIG_BLOCK, &mask, NULL, NULL), 0);
    cr_assert_eq(kill(getpid(), SIGUSR2), 0);
    bt_signal_siginfo info;
    memset(&info, 0xff, sizeof info);
    cr_assert_eq(bt_signal_sigwaitinfo(&mask, &info, NULL), SIGUSR2);
    cr_expect_eq(info.signo, SIGUSR2);
    cr_expect_eq(info.code, SI_USER);
    cr_expect_eq(info.error, 0);
    cr_expect_eq(info.pid, getpid());
    cr_expect_eq(info.uid, getuid());
    /* sigqueue: SI_QUEUE. */
    union sigval val = {.sival_int = 7};
    cr_assert_eq(sigqueue(getpid(), SIGUSR2, val), 0);
    cr_assert_eq(bt_signal_sigtimedwait(&mask, 1.0, &info, NULL), 1);
    cr_expect_eq(info.code, SI_QUEUE);
}
