/*
 * futures_processpool — the notes' ProcessPoolExecutor: map a CPU-bound
 * function over inputs on worker processes, then submit one more call and
 * print its result.
 *
 *   with concurrent.futures.ProcessPoolExecutor() as executor:
 *       results = executor.map(count_primes, [...])
 *       process = executor.submit(count_primes, n)
 *       process.result()
 *
 * count_primes(lo, hi) counts the primes in [lo, hi) by trial division;
 * arguments and results travel between processes as bytes (here decimal
 * text), as a process pool's calls do.
 *
 * Usage: futures_processpool [limit]   (200000 by default, in 8 slices)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <batteries/futures.h>
#include <batteries/time.h>

static bool is_prime(long n)
{
    if (n < 2)
        return false;
    for (long d = 2; d * d <= n; d++)
        if (n % d == 0)
            return false;
    return true;
}

/* "lo hi" -> "count" */
static int count_primes(const void *arg, size_t len, bt_buf *out, bt_err *err)
{
    char text[64];
    long lo, hi;
    snprintf(text, sizeof text, "%.*s", (int)len, (const char *)arg);
    if (sscanf(text, "%ld %ld", &lo, &hi) != 2)
        return bt_err_setf(err, BT_EVALUE, -1, "bad slice %s", text);
    long count = 0;
    for (long n = lo; n < hi; n++)
        count += is_prime(n);
    return bt_buf_printf(out, "%ld", count) < 0 ? BT_ENOMEM : 0;
}

int main(int argc, char **argv)
{
    long limit = argc > 1 ? atol(argv[1]) : 200000;
    enum { SLICES = 8 };
    bt_err err = BT_ERR_INIT;
    bt_executor *ex;
    if (bt_processpool_new(&ex, BT_FUTURES_DEFAULT, BT_FUTURES_DEFAULT, NULL,
                           NULL, &err) < 0) {
        fprintf(stderr, "%s: %s\n", bt_errname(err.code), err.msg);
        return 1;
    }
    char text[SLICES][64];
    const void *args[SLICES];
    size_t lens[SLICES];
    for (int i = 0; i < SLICES; i++) {
        lens[i] =
            (size_t)snprintf(text[i], sizeof text[i], "%ld %ld",
                             limit * i / SLICES, limit * (i + 1) / SLICES);
        args[i] = text[i];
    }
    double t0 = bt_time_perf_counter();
    bt_map *m;
    if (bt_executor_map_bytes(&m, ex, count_primes, args, lens, SLICES,
                              BT_TIMEOUT_NONE, &err) < 0) {
        fprintf(stderr, "%s: %s\n", bt_errname(err.code), err.msg);
        return 1;
    }
    const void *data;
    size_t n;
    long total = 0;
    int rc, i = 0;
    while ((rc = bt_map_next_bytes(m, &data, &n, &err)) == 1) {
        printf("primes in [%s): %.*s\n", text[i++], (int)n, (const char *)data);
        total += atol(data);
    }
    bt_map_free(m);
    if (rc < 0) {
        fprintf(stderr, "%s: %s\n", bt_errname(err.code), err.msg);
        return 1;
    }
    printf("primes below %ld: %ld (%zu worker processes)\n", limit, total,
           bt_executor_max_workers(ex));

    bt_future *f;
    if (bt_executor_submit_bytes(ex, count_primes, "0 100", 5, &f, &err) == 0 &&
        bt_future_result_bytes(f, BT_TIMEOUT_NONE, &data, &n, &err) == 0)
        printf("process.result(): %.*s primes below 100\n", (int)n,
               (const char *)data);
    bt_future_free(f);
    bt_executor_free(ex);
    printf("Finished in %.2f second(s)\n", bt_time_perf_counter() - t0);
    return 0;
}
