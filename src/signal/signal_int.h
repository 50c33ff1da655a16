/* signal_int.h — what the signal module's files share. */
#ifndef BATTERIES_SIGNAL_INT_H
#define BATTERIES_SIGNAL_INT_H

#include <signal.h>
#include <stdint.h>

#include <batteries/signal.h>

/* Python's iterable_to_sigset: ValueError for a number out of [1; NSIG-1];
 * numbers sigaddset refuses (glibc's reserved 32, 33) are skipped. */
int bt__signal_to_sigset(const bt_signal_set *in, sigset_t *out, bt_err *err);

/* Python's sigset_to_set: every member in [1; NSIG-1]. */
void bt__signal_from_sigset(const sigset_t *in, bt_signal_set *out);

/* Python's _PyTime_FromSecondsObject(..., ROUND_CEILING) for a float:
 * seconds to nanoseconds, with its NaN and overflow errors. */
int bt__signal_seconds_to_ns(double seconds, int64_t *ns, bt_err *err);

#endif
