/* bench_signal.c — raise + handler round trip and set + get handler,
 * against raw raise/sigaction (the anchors). See cases.py. */
#include <signal.h>
#include <stdint.h>

#include <batteries/signal.h>

#include "bench.h"

static uint64_t count;

static int handler(int signum, void *ctx, bt_err *err)
{
    (void)signum;
    (void)ctx;
    (void)err;
    count++;
    return 0;
}

/* ---- raise + dispatch ---- */

static int raise_setup(void)
{
    return bt_signal_signal(SIGUSR1, handler, NULL, NULL, NULL);
}

static void run_raise_dispatch(uint64_t iters)
{
    for (uint64_t i = 0; i < iters; i++)
        bt_signal_raise_signal(SIGUSR1, NULL);
    bench_escape(&count);
}

static volatile sig_atomic_t raw_flag;

static void raw_handler(int signum)
{
    (void)signum;
    raw_flag = 1;
}

static int raw_setup(void)
{
    struct sigaction sa = {0};
    sa.sa_handler = raw_handler;
    sigemptyset(&sa.sa_mask);
    return sigaction(SIGUSR1, &sa, NULL);
}

static void run_raise_anchor(uint64_t iters)
{
    for (uint64_t i = 0; i < iters; i++) {
        raise(SIGUSR1);
        if (raw_flag) {
            raw_flag = 0;
            count++;
        }
    }
    bench_escape(&count);
}

/* ---- set + get ---- */

static void run_set_get(uint64_t iters)
{
    bt_signal_handler h;
    for (uint64_t i = 0; i < iters; i++) {
        bt_signal_signal(SIGUSR2, handler, NULL, NULL, NULL);
        bt_signal_getsignal(SIGUSR2, &h, NULL);
        bench_escape(&h);
    }
}

static void run_set_get_anchor(uint64_t iters)
{
    struct sigaction sa = {0}, now;
    sa.sa_handler = raw_handler;
    sigemptyset(&sa.sa_mask);
    for (uint64_t i = 0; i < iters; i++) {
        sigaction(SIGUSR2, &sa, NULL);
        sigaction(SIGUSR2, NULL, &now);
        bench_escape(&now);
    }
}

static const bench_case cases[] = {
    {"raise_dispatch", raise_setup, run_raise_dispatch, NULL},
    {"raise_dispatch@sigaction", raw_setup, run_raise_anchor, NULL},
    {"set_get_handler", NULL, run_set_get, NULL},
    {"set_get_handler@sigaction", NULL, run_set_get_anchor, NULL},
};

int main(void)
{
    return bench_main(cases, sizeof cases / sizeof cases[0]);
}
