"""signal cases: a signal raised at ourselves and its handler run
(raise_signal, which dispatches before it returns, as Python's does; the
anchor is raise(3) with a plain sigaction handler that sets a flag: the
least C can do), and setting then reading a handler (signal + getsignal;
the anchor is two sigaction calls).

The Python handler does the same nothing as the C one: it counts."""
import signal

_count = [0]


def handler(signum, frame):
    _count[0] += 1


def other(signum, frame):
    pass


INPUTS = {}

CASES = [
    dict(name="raise_dispatch", unit="ns/op", anchor="sigaction",
         py_setup="signal.signal(signal.SIGUSR1, handler); "
                  "raise_signal = signal.raise_signal; SIGUSR1 = signal.SIGUSR1",
         py_stmt="raise_signal(SIGUSR1)"),
    dict(name="set_get_handler", unit="ns/op", anchor="sigaction",
         py_setup="sig = signal.signal; get = signal.getsignal; SIGUSR2 = signal.SIGUSR2",
         py_stmt="sig(SIGUSR2, handler); get(SIGUSR2)"),
]
