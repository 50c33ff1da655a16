/*
 * sigpipe.h — writing where MSG_NOSIGNAL cannot be given (a pipe, a
 * sendfile) without dying of SIGPIPE and without touching the process's
 * disposition: block SIGPIPE in the calling thread for the writes, and take
 * back the one they raised. A SIGPIPE that was pending before stays so.
 */
#ifndef BATTERIES_CORE_SIGPIPE_H
#define BATTERIES_CORE_SIGPIPE_H

#include <signal.h>
#include <stdbool.h>

typedef struct bt__sigpipe_guard {
    sigset_t old;     /* the thread's mask before */
    bool was_pending; /* a SIGPIPE was already pending: never take it */
    bool raised;      /* set by the caller when a write failed with EPIPE */
} bt__sigpipe_guard;

void bt__sigpipe_block(bt__sigpipe_guard *g);
void bt__sigpipe_restore(const bt__sigpipe_guard *g);

#endif
