/* bench_time.c — clock reads and gmtime + strftime; see cases.py. */
#include <batteries/time.h>

#include "bench.h"

static bt_buf out = BT_BUF_INIT;

static void run_time_ns(uint64_t iters)
{
    for (uint64_t i = 0; i < iters; i++) {
        int64_t t = bt_time_time_ns();
        bench_escape(&t);
    }
}

static void run_monotonic(uint64_t iters)
{
    for (uint64_t i = 0; i < iters; i++) {
        double t = bt_time_monotonic();
        bench_escape(&t);
    }
}

static void run_gmtime_strftime(uint64_t iters)
{
    for (uint64_t i = 0; i < iters; i++) {
        bt_time_struct_time t;
        bt_buf_clear(&out);
        int rc = bt_time_gmtime(1700000000.0, &t, NULL);
        rc |= bt_time_strftime(&out, "%Y-%m-%d %H:%M:%S", &t, NULL);
        bench_escape(&rc);
        bench_escape(out.data);
    }
}

static void free_out(void)
{
    bt_buf_fini(&out);
}

static const bench_case cases[] = {
    {"time_ns", NULL, run_time_ns, NULL},
    {"monotonic", NULL, run_monotonic, NULL},
    {"gmtime_strftime", NULL, run_gmtime_strftime, free_out},
};

int main(void)
{
    return bench_main(cases, sizeof cases / sizeof cases[0]);
}
