/*
 * futures_threadpool — the notes' ThreadPoolExecutor: submit one call and
 * take its result, submit several and print them as they complete, then map
 * over [1, 2, 3, 4, 5] and print the results in order.
 *
 *   with concurrent.futures.ThreadPoolExecutor() as executor:
 *       f = executor.submit(input_function, function_argument)
 *       f.result()
 *       objects = [executor.submit(function, argument) for _ in range(times)]
 *       for f in concurrent.futures.as_completed(objects):
 *           print(f.result())
 *       results = executor.map(function, [1, 2, 3, 4, 5])
 *
 * The function here sleeps `seconds` and says how long, as the classic
 * "do_something" of that tutorial does.
 *
 * Usage: futures_threadpool [seconds]   (1 in the notes, 0.05 by default)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <batteries/futures.h>
#include <batteries/time.h>

static double base = 0.05;

/* do_something(n): sleep n * base seconds, return "Done Sleeping...n". */
static int do_something(void *arg, void **result, bt_err *err)
{
    long n = (long)(intptr_t)arg;
    int rc = bt_time_sleep((double)n * base, err);
    if (rc < 0)
        return rc;
    char *s = malloc(32);
    if (!s)
        return bt_err_setf(err, BT_ENOMEM, -1, "%s", "");
    snprintf(s, 32, "Done Sleeping...%ld", n);
    *result = s;
    return 0;
}

static int fail(const char *what, const bt_err *err)
{
    fprintf(stderr, "%s: %s: %s\n", what, bt_errname(err->code), err->msg);
    return 1;
}

int main(int argc, char **argv)
{
    if (argc > 1)
        base = atof(argv[1]);
    bt_err err = BT_ERR_INIT;
    bt_executor *ex;
    if (bt_threadpool_new(&ex, BT_FUTURES_DEFAULT, NULL, NULL, NULL, &err) < 0)
        return fail("ThreadPoolExecutor", &err);
    double t0 = bt_time_perf_counter();

    /* f = executor.submit(do_something, 1); print(f.result()) */
    bt_future *f;
    void *value;
    if (bt_executor_submit(ex, do_something, (void *)(intptr_t)1, &f, &err) <
            0 ||
        bt_future_result(f, BT_TIMEOUT_NONE, &value, &err) < 0)
        return fail("submit", &err);
    printf("%s\n", (char *)value);
    free(value);
    bt_future_free(f);

    /* Five calls sleeping 5, 4, 3, 2, 1: as_completed gives the short ones
     * first. */
    bt_future *objects[5];
    for (int i = 0; i < 5; i++)
        if (bt_executor_submit(ex, do_something, (void *)(intptr_t)(5 - i),
                               &objects[i], &err) < 0)
            return fail("submit", &err);
    bt_as_completed *it;
    if (bt_as_completed_new(&it, objects, 5, BT_TIMEOUT_NONE, &err) < 0)
        return fail("as_completed", &err);
    while (bt_as_completed_next(it, &f, &err) == 1) {
        bt_future_result(f, 0, &value, NULL);
        printf("%s\n", (char *)value);
        free(value);
    }
    bt_as_completed_free(it);
    for (int i = 0; i < 5; i++)
        bt_future_free(objects[i]);

    /* results = executor.map(do_something, [1, 2, 3, 4, 5]): in order. */
    void *args[5];
    for (int i = 0; i < 5; i++)
        args[i] = (void *)(intptr_t)(i + 1);
    bt_map *m;
    if (bt_executor_map(&m, ex, do_something, args, 5, BT_TIMEOUT_NONE, &err) <
        0)
        return fail("map", &err);
    int rc;
    while ((rc = bt_map_next(m, &value, &err)) == 1) {
        printf("%s\n", (char *)value);
        free(value);
    }
    bt_map_free(m);
    if (rc < 0)
        return fail("map", &err);
    bt_executor_free(ex); /* leaving `with`: shutdown(wait=True) */
    printf("Finished in %.2f second(s)\n", bt_time_perf_counter() - t0);
    return 0;
}
