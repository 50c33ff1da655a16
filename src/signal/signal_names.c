/* signal_names.c — strsignal, valid_signals and the Signals enum's names. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>

#include "signal_int.h"

/* The descriptions, taken once from the C library (as Python's strsignal
 * does on every call), so the strings are static and the call thread-safe
 * even where strsignal writes a shared buffer. */
enum { DESC_MAX = 64 };
static char descriptions[BT_SIGNAL_NSIG][DESC_MAX];
static bool described[BT_SIGNAL_NSIG];
static pthread_once_t describe_once = PTHREAD_ONCE_INIT;

static void describe_all(void)
{
    for (int i = 1; i < BT_SIGNAL_NSIG; i++) {
        errno = 0;
        const char *s = strsignal(i);
        /* Python's test: no errno, and not glibc's "Unknown signal %d". */
        if (errno || !s || strstr(s, "Unknown signal"))
            continue;
        size_t n = strlen(s);
        if (n >= DESC_MAX)
            n = DESC_MAX - 1;
        memcpy(descriptions[i], s, n);
        described[i] = true;
    }
}

int bt_signal_strsignal(int signum, const char **out, bt_err *err)
{
    if (signum < 1 || signum >= BT_SIGNAL_NSIG)
        return bt_err_setf(err, BT_EVALUE, -1, "signal number out of range");
    pthread_once(&describe_once, describe_all);
    *out = described[signum] ? descriptions[signum] : NULL;
    return 0;
}

int bt_signal_valid_signals(bt_signal_set *out)
{
    sigset_t all;
    if (sigfillset(&all) < 0)
        return -errno;
    bt__signal_from_sigset(&all, out);
    return 0;
}

/* Signals' members: the <signal.h> names, the name Python reports first
 * where two share a number (the enum's members sort by value, then name). */
#define SIG(name)                                                              \
    {                                                                          \
#name, name                                                            \
    }
static const struct {
    const char *name;
    int signum;
} names[] = {
    SIG(SIGHUP),    SIG(SIGINT),  SIG(SIGQUIT),  SIG(SIGILL),  SIG(SIGTRAP),
    SIG(SIGABRT),   SIG(SIGIOT),  SIG(SIGBUS),   SIG(SIGFPE),  SIG(SIGKILL),
    SIG(SIGUSR1),   SIG(SIGSEGV), SIG(SIGUSR2),  SIG(SIGPIPE), SIG(SIGALRM),
    SIG(SIGTERM),
#ifdef SIGSTKFLT
    SIG(SIGSTKFLT),
#endif
    SIG(SIGCHLD),   SIG(SIGCLD),  SIG(SIGCONT),  SIG(SIGSTOP), SIG(SIGTSTP),
    SIG(SIGTTIN),   SIG(SIGTTOU), SIG(SIGURG),   SIG(SIGXCPU), SIG(SIGXFSZ),
    SIG(SIGVTALRM), SIG(SIGPROF), SIG(SIGWINCH), SIG(SIGIO),   SIG(SIGPOLL),
#ifdef SIGPWR
    SIG(SIGPWR),
#endif
    SIG(SIGSYS),
};
#undef SIG

int bt_signal_signals_name(int signum, const char **name, bt_err *err)
{
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (names[i].signum == signum) {
            *name = names[i].name;
            return 0;
        }
    }
    if (signum == SIGRTMIN) {
        *name = "SIGRTMIN";
        return 0;
    }
    if (signum == SIGRTMAX) {
        *name = "SIGRTMAX";
        return 0;
    }
    return bt_err_setf(err, BT_EVALUE, -1, "%d is not a valid Signals", signum);
}

int bt_signal_signals_from_name(const char *name, int *signum, bt_err *err)
{
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strcmp(names[i].name, name) == 0) {
            *signum = names[i].signum;
            return 0;
        }
    }
    if (strcmp(name, "SIGRTMIN") == 0) {
        *signum = SIGRTMIN;
        return 0;
    }
    if (strcmp(name, "SIGRTMAX") == 0) {
        *signum = SIGRTMAX;
        return 0;
    }
    /* str(KeyError('FOO')) is the key's repr. */
    bt_buf b = BT_BUF_INIT;
    int rc = bt_repr_str(&b, name, strlen(name));
    if (rc < 0)
        return bt_err_setf(err, BT_EKEY, -1, "'%s'", name);
    rc = bt_err_setf(err, BT_EKEY, -1, "%s", b.data);
    bt_buf_fini(&b);
    return rc;
}
