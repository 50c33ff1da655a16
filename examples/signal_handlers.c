/*
 * signal_handlers — the notes' signal example: a SIGINT handler that
 * refuses to quit and an alarm that wakes the program up.
 *
 *   def quit_handler(signum, frame):
 *       print 'no no no..'
 *   def alarm_handler(signum, frame):
 *       print 'Wake up'
 *   signal.signal(signal.SIGINT, quit_handler)
 *   signal.signal(signal.SIGALRM, alarm_handler)
 *   signal.alarm(5)
 *   for x in range(10):
 *       time.sleep(10)
 *
 * In C the handlers run where the program dispatches
 * (bt_signal_check_signals; Python runs them between two bytecodes), here
 * between short naps. (bt_signal_pause would do too, but a signal that
 * comes just before it is handled only by the next one, as in Python.)
 * So that `make run` needs nobody at the keyboard, the program presses
 * Ctrl-C itself once (raise_signal(SIGINT)); a real Ctrl-C while it waits
 * prints "no no no.." too. It ends at the alarm, not after the notes' 100
 * seconds of sleep.
 *
 * Usage: signal_handlers [seconds]   (the alarm; 5 as in the notes)
 */
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include <batteries/signal.h>
#include <batteries/time.h>

static int quit_handler(int signum, void *ctx, bt_err *err)
{
    (void)signum;
    (void)ctx;
    (void)err;
    printf("no no no..\n");
    return 0;
}

static int alarm_handler(int signum, void *ctx, bt_err *err)
{
    (void)signum;
    (void)err;
    printf("Wake up\n");
    *(bool *)ctx = true;
    return 0;
}

int main(int argc, char **argv)
{
    unsigned int seconds = argc > 1 ? (unsigned int)atoi(argv[1]) : 5;
    bool woke = false;
    bt_err err = BT_ERR_INIT;
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (bt_signal_signal(SIGINT, quit_handler, NULL, NULL, &err) < 0 ||
        bt_signal_signal(SIGALRM, alarm_handler, &woke, NULL, &err) < 0) {
        fprintf(stderr, "%s: %s\n", bt_errname(err.code), err.msg);
        return 1;
    }
    bt_signal_alarm(seconds);
    printf("alarm in %u s; pressing Ctrl-C (raise_signal(SIGINT))\n", seconds);
    if (bt_signal_raise_signal(SIGINT, &err) < 0) /* runs quit_handler */
        return 1;
    while (!woke) {
        bt_time_sleep(0.05, NULL); /* a signal interrupts it, not ends it */
        if (bt_signal_check_signals(&err) < 0)
            return 1;
    }
    return 0;
}
