/* sigpipe.c — see sigpipe.h. */
#include "sigpipe.h"

#include <errno.h>
#include <pthread.h>
#include <time.h>

void bt__sigpipe_block(bt__sigpipe_guard *g)
{
    sigset_t set, pending;
    sigemptyset(&set);
    sigaddset(&set, SIGPIPE);
    sigpending(&pending);
    g->was_pending = sigismember(&pending, SIGPIPE) == 1;
    g->raised = false;
    pthread_sigmask(SIG_BLOCK, &set, &g->old);
}

void bt__sigpipe_restore(const bt__sigpipe_guard *g)
{
    if (g->raised && !g->was_pending) {
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGPIPE);
        struct timespec zero = {0, 0};
        while (sigtimedwait(&set, NULL, &zero) < 0 && errno == EINTR)
            ;
    }
    pthread_sigmask(SIG_SETMASK, &g->old, NULL);
}
