/*
 * threading_sleepers — the notes' first threading example: ten threads,
 * each sleeping and waking up, started and never joined by hand. As in
 * Python, the program still waits for them before it exits: that is
 * atexit(bt_threading_shutdown) (Python does it for every program).
 *
 *   def sleeper(i):
 *       print("thread {:d} sleeps for 5 seconds".format(i))
 *       time.sleep(5)
 *       print("thread {:d} woke up".format(i))
 *
 *   for i in range(10):
 *       t = Thread(target=sleeper, args=(i,))
 *       t.start()
 *
 * Usage: threading_sleepers [seconds]   (5 as in the notes by default)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <batteries/threading.h>
#include <batteries/time.h>

static double seconds = 5;

static int sleeper(void *arg, bt_err *err)
{
    int i = (int)(intptr_t)arg;
    printf("thread %d sleeps for %g seconds\n", i, seconds);
    int rc = bt_time_sleep(seconds, err);
    if (rc < 0)
        return rc;
    printf("thread %d woke up\n", i);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1)
        seconds = atof(argv[1]);
    /* Python's exit rule: wait for the non-daemon threads. */
    atexit(bt_threading_shutdown);
    setvbuf(stdout, NULL, _IOLBF, 0);
    for (int i = 0; i < 10; i++) {
        bt_thread *t;
        bt_err err = BT_ERR_INIT;
        if (bt_thread_new(&t, sleeper, (void *)(intptr_t)i, "sleeper") < 0 ||
            bt_thread_start(t, &err) < 0) {
            fprintf(stderr, "%s: %s\n", bt_errname(err.code), err.msg);
            return 1;
        }
        bt_thread_free(t); /* the thread runs on; we keep no handle */
    }
    printf("main: %zu threads alive, returning from main\n",
           bt_threading_active_count());
    return 0;
}
