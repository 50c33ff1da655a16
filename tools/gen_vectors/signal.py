#!/usr/bin/env python3
"""CPython's answers for signal: strsignal for every number around the
range (strsignal.tsv), valid_signals (valid.tsv), Signals names both ways
(names.tsv: number -> name or error; lookup.tsv: name -> number or error),
and what each misuse raises (errors.tsv: case, exception class, str(exc);
the C test makes the same call per case name).

The "err" fields: the exception's class name and str(exc)."""
import os
import sys
import threading

# This folder holds a signal.py (this file): import the standard library's.
_HERE = sys.path.pop(0)
import signal  # noqa: E402

sys.path.insert(0, _HERE)
from common import write_vectors  # noqa: E402


def outcome(fn):
    try:
        value = fn()
    except BaseException as e:  # noqa: BLE001 - KeyError etc. are the answer
        return ["err", type(e).__name__, str(e)]
    return ["ok", "" if value is None else str(value)]


def strsignal_rows():
    rows = []
    for n in range(-1, signal.NSIG + 2):
        r = outcome(lambda: signal.strsignal(n))
        if r[0] == "ok" and signal.strsignal(n) is None:
            r = ["none", ""]
        rows.append([str(n)] + r)
    return rows


def names_rows():
    return [[str(n)] + outcome(lambda: signal.Signals(n).name)
            for n in range(-1, signal.NSIG + 2)]


def lookup_rows():
    names = list(signal.Signals.__members__) + ["FOO", "SIGRT", "sigint", "INT", ""]
    return [[name] + outcome(lambda: int(signal.Signals[name])) for name in names]


def blocking_fd():
    """The message names the fd; the C test's fd differs, so "{fd}"."""
    r, w = os.pipe()
    try:
        return signal.set_wakeup_fd(w)
    except ValueError as e:
        raise ValueError(str(e).replace(str(w), "{fd}")) from None
    finally:
        os.close(r)
        os.close(w)


def alarm_negative():
    """alarm(-1) is alarm((unsigned)-1): the next alarm(0) reports it."""
    signal.alarm(-1)
    return signal.alarm(0)


def itimer_interval(seconds):
    """The interval as the kernel keeps it (rounded up to microseconds)."""
    signal.setitimer(signal.ITIMER_REAL, 100, seconds)
    interval = signal.getitimer(signal.ITIMER_REAL)[1]
    signal.setitimer(signal.ITIMER_REAL, 0)
    return repr(interval)


# Error cases; the C test maps each name to the same call.
ERRORS = [
    ("signal_0", lambda: signal.signal(0, signal.SIG_DFL)),
    ("signal_nsig", lambda: signal.signal(signal.NSIG, signal.SIG_DFL)),
    ("signal_negative", lambda: signal.signal(-1, signal.SIG_IGN)),
    ("signal_sigkill_handler", lambda: signal.signal(signal.SIGKILL, lambda *a: None)),
    ("signal_sigkill_dfl", lambda: signal.signal(signal.SIGKILL, signal.SIG_DFL)),
    ("signal_sigstop_ign", lambda: signal.signal(signal.SIGSTOP, signal.SIG_IGN)),
    ("signal_32", lambda: signal.signal(32, lambda *a: None)),
    ("signal_bad_handler", lambda: signal.signal(signal.SIGUSR1, None)),
    ("getsignal_0", lambda: signal.getsignal(0)),
    ("getsignal_nsig", lambda: signal.getsignal(signal.NSIG)),
    ("strsignal_0", lambda: signal.strsignal(0)),
    ("siginterrupt_0", lambda: signal.siginterrupt(0, True)),
    ("siginterrupt_nsig", lambda: signal.siginterrupt(signal.NSIG, False)),
    ("raise_signal_100", lambda: signal.raise_signal(100)),
    ("raise_signal_negative", lambda: signal.raise_signal(-1)),
    ("raise_signal_0", lambda: signal.raise_signal(0)),
    ("pthread_kill_1000", lambda: signal.pthread_kill(threading.get_ident(), 1000)),
    ("pthread_kill_0", lambda: signal.pthread_kill(threading.get_ident(), 0)),
    ("pthread_sigmask_bad_how", lambda: signal.pthread_sigmask(5, [])),
    ("pthread_sigmask_0", lambda: signal.pthread_sigmask(signal.SIG_BLOCK, [0])),
    ("sigwait_0", lambda: signal.sigwait([0])),
    ("sigwaitinfo_0", lambda: signal.sigwaitinfo([0])),
    ("sigtimedwait_0", lambda: signal.sigtimedwait([0], 0)),
    ("sigtimedwait_negative", lambda: signal.sigtimedwait([signal.SIGUSR1], -1)),
    ("sigtimedwait_nan", lambda: signal.sigtimedwait([signal.SIGUSR1], float("nan"))),
    ("sigtimedwait_huge", lambda: signal.sigtimedwait([signal.SIGUSR1], 1e10)),
    ("sigtimedwait_poll", lambda: signal.sigtimedwait([signal.SIGUSR1], 0)),
    ("setitimer_bad_which", lambda: signal.setitimer(5, 1.0)),
    ("setitimer_negative", lambda: signal.setitimer(signal.ITIMER_REAL, -1.0)),
    ("setitimer_negative_interval", lambda: signal.setitimer(signal.ITIMER_REAL, 1.0, -1.0)),
    ("setitimer_nan", lambda: signal.setitimer(signal.ITIMER_REAL, float("nan"))),
    ("setitimer_huge", lambda: signal.setitimer(signal.ITIMER_REAL, 1e10)),
    ("setitimer_inf", lambda: signal.setitimer(signal.ITIMER_PROF, float("inf"))),
    ("getitimer_bad_which", lambda: signal.getitimer(7)),
    ("set_wakeup_fd_bad", lambda: signal.set_wakeup_fd(999)),
    ("set_wakeup_fd_negative", lambda: signal.set_wakeup_fd(-5)),
    ("set_wakeup_fd_blocking", blocking_fd),
    ("signals_0", lambda: signal.Signals(0)),
    ("signals_35", lambda: signal.Signals(35)),
    ("signals_foo", lambda: signal.Signals["FOO"]),
    ("signals_quote", lambda: signal.Signals["it's"]),
    ("alarm_negative", alarm_negative),
    ("itimer_round_1e-7", lambda: itimer_interval(1e-7)),
    ("itimer_round_1.5e-6", lambda: itimer_interval(1.5e-6)),
    ("itimer_round_0.25", lambda: itimer_interval(0.25)),
    ("itimer_round_1.0000001", lambda: itimer_interval(1.0000001)),
    ("default_int_handler", lambda: signal.default_int_handler(signal.SIGINT, None)),
]


def main():
    write_vectors("signal", "strsignal", ["signum", "kind", "value"], strsignal_rows())
    write_vectors("signal", "valid", ["signum"],
                  [[str(int(s))] for s in sorted(signal.valid_signals())])
    write_vectors("signal", "names", ["signum", "kind", "value"], names_rows())
    write_vectors("signal", "lookup", ["name", "kind", "value"], lookup_rows())
    rows = []
    for name, fn in ERRORS:
        r = outcome(fn)
        rows.append([name] + r)
    signal.setitimer(signal.ITIMER_REAL, 0)
    signal.setitimer(signal.ITIMER_PROF, 0)
    write_vectors("signal", "errors", ["case", "kind", "class_or_value", "message"], rows)


if __name__ == "__main__":
    main()
