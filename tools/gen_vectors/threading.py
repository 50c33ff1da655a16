#!/usr/bin/env python3
"""CPython's answers for threading: what each misuse raises, with its
message, and what the polling calls return. One row per named case; the C
test performs the same call for each name (tests/threading/test_errors.c).

Columns: case, then "err", the exception class and str(exc), or "ok" and
repr() of the result."""
import sys

# This folder holds a threading.py (this file): import the standard library's.
_HERE = sys.path.pop(0)
import threading  # noqa: E402

sys.path.insert(0, _HERE)
from common import write_vectors  # noqa: E402

NAN = float("nan")


def held(lock):
    lock.acquire()
    return lock


def started():
    t = threading.Thread(target=lambda: None)
    t.start()
    t.join()
    return t


def join_live(timeout):
    """join(timeout) on a thread that is still running."""
    go = threading.Event()
    t = threading.Thread(target=go.wait)
    t.start()
    try:
        t.join(timeout)
        return t.is_alive()
    finally:
        go.set()
        t.join()


def aborted_barrier():
    b = threading.Barrier(2)
    b.abort()
    return b


def acquired_condition(lock=None):
    c = threading.Condition(lock)
    c.acquire()
    return c


CASES = [
    ("lock_nonblocking_timeout", lambda: threading.Lock().acquire(False, 1)),
    ("lock_nonblocking_huge", lambda: threading.Lock().acquire(False, 1e20)),
    ("lock_nonblocking_nan", lambda: threading.Lock().acquire(False, NAN)),
    ("lock_negative_timeout", lambda: threading.Lock().acquire(True, -2)),
    ("lock_tiny_negative_timeout", lambda: threading.Lock().acquire(True, -1e-9)),
    ("lock_nan_timeout", lambda: threading.Lock().acquire(True, NAN)),
    ("lock_huge_timeout", lambda: threading.Lock().acquire(True, 1e20)),
    ("lock_over_max_timeout", lambda: threading.Lock().acquire(True, 9223372037.0)),
    ("lock_huge_negative_timeout", lambda: threading.Lock().acquire(True, -1e20)),
    ("lock_held_poll", lambda: held(threading.Lock()).acquire(False)),
    ("lock_held_zero_timeout", lambda: held(threading.Lock()).acquire(True, 0)),
    ("lock_held_short_timeout", lambda: held(threading.Lock()).acquire(True, 0.01)),
    ("lock_free_acquire", lambda: threading.Lock().acquire(True, 5)),
    ("lock_release_unlocked", lambda: threading.Lock().release()),
    ("rlock_release_unowned", lambda: threading.RLock().release()),
    ("rlock_nonblocking_timeout", lambda: threading.RLock().acquire(False, 1)),
    ("rlock_negative_timeout", lambda: threading.RLock().acquire(True, -0.5)),
    ("rlock_nan_timeout", lambda: threading.RLock().acquire(True, NAN)),
    ("rlock_reentrant", lambda: held(threading.RLock()).acquire(False)),
    ("condition_wait_unacquired", lambda: threading.Condition().wait(0.01)),
    ("condition_lock_wait_unacquired",
     lambda: threading.Condition(threading.Lock()).wait(0.01)),
    ("condition_wait_for_unacquired",
     lambda: threading.Condition().wait_for(lambda: False, 0.01)),
    ("condition_notify_unacquired", lambda: threading.Condition().notify()),
    ("condition_notify_all_unacquired", lambda: threading.Condition().notify_all()),
    ("condition_wait_huge", lambda: acquired_condition().wait(1e20)),
    ("condition_wait_negative", lambda: acquired_condition().wait(-1.5)),
    ("condition_wait_nan", lambda: acquired_condition().wait(NAN)),
    ("condition_wait_short", lambda: acquired_condition().wait(0.01)),
    ("condition_wait_for_true", lambda: acquired_condition().wait_for(lambda: True, 0)),
    ("condition_wait_for_timeout",
     lambda: acquired_condition(threading.Lock()).wait_for(lambda: False, 0.01)),
    ("semaphore_negative", lambda: threading.Semaphore(-1)),
    ("bounded_semaphore_negative", lambda: threading.BoundedSemaphore(-1)),
    ("semaphore_nonblocking_timeout", lambda: threading.Semaphore(1).acquire(False, 1)),
    ("semaphore_release_zero", lambda: threading.Semaphore(1).release(0)),
    ("semaphore_release_negative", lambda: threading.Semaphore(1).release(-3)),
    ("bounded_over_release", lambda: threading.BoundedSemaphore(1).release()),
    ("bounded_over_release_n", lambda: threading.BoundedSemaphore(3).release(1)),
    ("semaphore_huge", lambda: threading.Semaphore(0).acquire(True, 1e20)),
    ("semaphore_huge_available", lambda: threading.Semaphore(1).acquire(True, 1e20)),
    ("semaphore_negative_timeout", lambda: threading.Semaphore(0).acquire(True, -5)),
    ("semaphore_poll_empty", lambda: threading.Semaphore(0).acquire(False)),
    ("event_wait_huge", lambda: threading.Event().wait(1e20)),
    ("event_wait_negative", lambda: threading.Event().wait(-1.5)),
    ("event_wait_nan", lambda: threading.Event().wait(NAN)),
    ("barrier_aborted", lambda: aborted_barrier().wait()),
    ("barrier_timeout", lambda: threading.Barrier(2).wait(0.01)),
    ("barrier_default_timeout", lambda: threading.Barrier(2, timeout=0.01).wait()),
    ("barrier_single", lambda: threading.Barrier(1).wait()),
    ("thread_join_unstarted", lambda: threading.Thread(target=print).join()),
    ("thread_start_twice", lambda: started().start()),
    ("thread_join_current", lambda: threading.current_thread().join()),
    ("thread_set_daemon_active",
     lambda: setattr(threading.current_thread(), "daemon", True)),
    ("thread_join_nan", lambda: started().join(NAN)),
    ("thread_join_huge", lambda: started().join(1e20)),
    ("thread_join_negative", lambda: started().join(-5)),
    ("thread_join_live_nan", lambda: join_live(NAN)),
    ("thread_join_live_huge", lambda: join_live(1e20)),
    ("thread_join_live_negative", lambda: join_live(-5)),
    ("thread_join_live_short", lambda: join_live(0.01)),
    ("stack_size_small", lambda: threading.stack_size(100)),
    ("stack_size_below_min", lambda: threading.stack_size(32767)),
]


def main():
    rows = []
    for name, call in CASES:
        try:
            out = ["ok", repr(call())]
        except Exception as e:  # noqa: BLE001 - record what CPython raises
            out = ["err", type(e).__name__, str(e)]
        rows.append([name] + out)
    write_vectors("threading", "errors", ["case", "ok|err", "result|exc", "message"], rows)


if __name__ == "__main__":
    main()
