/*
 * reaper.c — children whose Popen was freed while they ran.
 *
 * Python puts such a Popen on a list that later Popen calls poll; until
 * then the child, once ended, is a zombie. Here each one gets a small
 * detached thread that waits for exactly that pid (never -1: other code's
 * children are not ours to reap), so no zombie stays. Only when no thread
 * can be made does the pid go on Python's kind of list, reaped by the next
 * bt_subprocess_popen or bt_popen_free.
 */
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>

#include "subprocess_int.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pid_t *pending;
static size_t npending, cappending;

static void *reap_one(void *arg)
{
    pid_t pid = (pid_t)(intptr_t)arg;
    pid_t r;
    BT__RETRY(r, waitpid(pid, NULL, 0));
    (void)r;
    return NULL;
}

static bool start_reaper(pid_t pid)
{
    pthread_attr_t attr;
    if (pthread_attr_init(&attr) != 0)
        return false;
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&attr, 64 * 1024);
    /* The thread must not take the process's signals from its threads. */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    pthread_t t;
    int rc = pthread_create(&t, &attr, reap_one, (void *)(intptr_t)pid);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    pthread_attr_destroy(&attr);
    return rc == 0;
}

void bt__sp_orphan(pid_t pid)
{
    if (start_reaper(pid))
        return;
    pthread_mutex_lock(&lock);
    if (npending == cappending) {
        size_t cap = cappending ? cappending * 2 : 8;
        pid_t *n = bt_realloc(pending, cap * sizeof *n);
        if (n) {
            pending = n;
            cappending = cap;
        }
    }
    if (npending < cappending) {
        pending[npending] = pid;
        __atomic_store_n(&npending, npending + 1, __ATOMIC_RELEASE);
    }
    pthread_mutex_unlock(&lock);
}

void bt__sp_reap_orphans(void)
{
    /* The common case, nothing pending, takes no lock. */
    if (__atomic_load_n(&npending, __ATOMIC_ACQUIRE) == 0)
        return;
    pthread_mutex_lock(&lock);
    for (size_t i = 0; i < npending;) {
        pid_t r;
        BT__RETRY(r, waitpid(pending[i], NULL, WNOHANG));
        if (r == 0) {
            i++;
            continue;
        }
        pending[i] = pending[npending - 1];
        __atomic_store_n(&npending, npending - 1, __ATOMIC_RELEASE);
    }
    if (npending == 0 && pending) {
        bt_free(pending);
        pending = NULL;
        cappending = 0;
    }
    pthread_mutex_unlock(&lock);
}
