/* test_threads.c — signals and threads: handlers run on the thread that
 * dispatches, pthread_kill reaches the thread it names, concurrent
 * dispatching and handler changes (suite 'concurrency': also under TSan,
 * so only Test() and the cr_* macros of tests/common/tsan). */
#include <criterion/criterion.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <time.h>
#include <unistd.h>

#include <batteries/signal.h>

static atomic_ulong ran_on;
static atomic_int handled;

static int record_thread(int signum, void *ctx, bt_err *err)
{
    (void)signum;
    (void)ctx;
    (void)err;
    atomic_store(&ran_on, (unsigned long)pthread_self());
    atomic_fetch_add(&handled, 1);
    return 0;
}

static void *dispatch_once(void *arg)
{
    *(unsigned long *)arg = (unsigned long)pthread_self();
    bt_signal_check_signals(NULL);
    return NULL;
}

Test(signal_threads, handler_runs_on_the_dispatching_thread)
{
    cr_assert_eq(bt_signal_signal(SIGUSR1, record_thread, NULL, NULL, NULL), 0);
    cr_assert_eq(raise(SIGUSR1), 0); /* arrives on this thread */
    cr_expect_eq(atomic_load(&handled), 0);
    pthread_t t;
    unsigned long worker = 0;
    cr_assert_eq(pthread_create(&t, NULL, dispatch_once, &worker), 0);
    pthread_join(t, NULL);
    cr_expect_eq(atomic_load(&handled), 1);
    cr_expect_eq(atomic_load(&ran_on), worker);
    cr_expect_neq(worker, (unsigned long)pthread_self());
}

struct waiter {
    atomic_ulong ident;
    atomic_int ready;
    int got;
};

static void *wait_for_usr1(void *arg)
{
    struct waiter *w = arg;
    bt_signal_set mask = {0};
    mask.has[SIGUSR1] = true;
    atomic_store(&w->ident, (unsigned long)pthread_self());
    atomic_store(&w->ready, 1);
    /* Bounded: 5 s at most, the test fails rather than hangs. */
    int rc = bt_signal_sigtimedwait(&mask, 5.0, NULL, NULL);
    w->got = rc == 1 ? SIGUSR1 : rc;
    return NULL;
}

Test(signal_threads, pthread_kill_reaches_the_named_thread)
{
    /* Block USR1 everywhere (the mask is inherited), so only a wait takes it.
     */
    bt_signal_set mask = {0};
    mask.has[SIGUSR1] = true;
    cr_assert_eq(
        bt_signal_pthread_sigmask(BT_SIGNAL_SIG_BLOCK, &mask, NULL, NULL), 0);
    struct waiter w = {0};
    pthread_t t;
    cr_assert_eq(pthread_create(&t, NULL, wait_for_usr1, &w), 0);
    while (!atomic_load(&w.ready))
        sched_yield();
    cr_assert_eq(bt_signal_pthread_kill(atomic_load(&w.ident), SIGUSR1, NULL),
                 0);
    pthread_join(t, NULL);
    cr_expect_eq(w.got, SIGUSR1);
    /* Not pending for this thread: the signal went to the other one. */
    bt_signal_set pending;
    cr_assert_eq(bt_signal_sigpending(&pending, NULL), 0);
    cr_expect_eq(pending.has[SIGUSR1], false);
    cr_expect_eq(bt_signal_pthread_kill((unsigned long)pthread_self(), 0, NULL),
                 0);
}

static int count_it(int signum, void *ctx, bt_err *err)
{
    (void)signum;
    (void)err;
    atomic_fetch_add((atomic_int *)ctx, 1);
    return 0;
}

static atomic_int stop;

static void *dispatcher(void *arg)
{
    (void)arg;
    while (!atomic_load(&stop))
        bt_signal_check_signals(NULL);
    bt_signal_check_signals(NULL);
    return NULL;
}

static void *changer(void *arg)
{
    atomic_int *counter = arg;
    for (int i = 0; i < 2000; i++) {
        bt_signal_handler h;
        bt_signal_signal(SIGUSR2, count_it, counter, NULL, NULL);
        bt_signal_getsignal(SIGUSR2, &h, NULL);
    }
    return NULL;
}

Test(signal_threads, concurrent_dispatch_and_changes)
{
    static atomic_int counter;
    cr_assert_eq(bt_signal_signal(SIGUSR2, count_it, &counter, NULL, NULL), 0);
    pthread_t d[2], c;
    atomic_store(&stop, 0);
    for (int i = 0; i < 2; i++)
        cr_assert_eq(pthread_create(&d[i], NULL, dispatcher, NULL), 0);
    cr_assert_eq(pthread_create(&c, NULL, changer, &counter), 0);
    int sent = 0;
    for (int i = 0; i < 500; i++) {
        raise(SIGUSR2);
        sent++;
        if (i % 50 == 0) {
            /* Let one arrival be handled before the next one. */
            int before = atomic_load(&counter);
            for (int k = 0; k < 100000 && atomic_load(&counter) == before; k++)
                sched_yield();
        }
    }
    pthread_join(c, NULL);
    atomic_store(&stop, 1);
    for (int i = 0; i < 2; i++)
        pthread_join(d[i], NULL);
    int n = atomic_load(&counter);
    cr_expect_gt(n, 0);
    cr_expect_leq(n, sent, "each arrival is handled at most once");
}
