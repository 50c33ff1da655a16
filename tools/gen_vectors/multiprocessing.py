#!/usr/bin/env python3
"""CPython's answers for the multiprocessing module (fork start method).

exitcodes.tsv: how a child ended -> Process.exitcode, each child run for
real by CPython. names.tsv: Process names in the parent and in a child.
errors.tsv: misuse and its exception class and message, in the format of
tests/threading/helpers.h (case, ok, repr | case, err, class, message);
object addresses in messages are written as ADDR.
"""
import os
import re
import signal
import sys
import time

# This folder holds a multiprocessing.py (this file): import the real one.
_HERE = sys.path.pop(0)
import multiprocessing as mp  # noqa: E402
import queue  # noqa: E402

sys.path.insert(0, _HERE)
from common import write_vectors  # noqa: E402

sys.dont_write_bytecode = True
assert mp.get_start_method() == "fork"
ctx = mp  # the default context, so names are "Process-N" as the docs show


# ---- exit codes: one child per case, the target named by the case ----

def t_return():
    return 42  # the return value is ignored


def t_exit3():
    sys.exit(3)


def t_exit255():
    sys.exit(255)


def t_exit256():
    os._exit(256)  # the status keeps the low 8 bits


def t_fail():
    raise ValueError("boom")


def t_segv():
    os.kill(os.getpid(), signal.SIGSEGV)


def t_abort():
    os.abort()


def t_sleep():
    time.sleep(30)


def exitcodes():
    rows = []
    for case, target, then in [
        ("return", t_return, None), ("exit3", t_exit3, None),
        ("exit255", t_exit255, None), ("exit256", t_exit256, None),
        ("fail", t_fail, None), ("segv", t_segv, None), ("abort", t_abort, None),
        ("terminate", t_sleep, "terminate"), ("kill", t_sleep, "kill"),
    ]:
        p = ctx.Process(target=target)
        p.start()
        if then:
            getattr(p, then)()
        p.join(20)
        rows.append([case, str(p.exitcode)])
    return rows


# ---- names ----

def child_names(q):
    a = ctx.Process(target=t_return)
    b = ctx.Process(target=t_return)
    q.put([mp.current_process().name, a.name, b.name])


def names():
    mp.process._process_counter = __import__("itertools").count(1)
    p1 = ctx.Process(target=t_return)
    p2 = ctx.Process(target=child_names, args=(None,))
    q = ctx.Queue()
    p2._args = (q,)
    p2.start()
    inside = q.get(timeout=20)
    p2.join()
    p1.start()
    p1.join()
    return [["main", mp.current_process().name], ["first", p1.name],
            ["second", p2.name], ["child_current", inside[0]],
            ["child_first", inside[1]], ["child_second", inside[2]]]


# ---- errors ----

def cls_name(e):
    c = type(e)
    mod = c.__module__
    if mod == "builtins":
        return c.__name__
    return {"_queue": "queue"}.get(mod, mod) + "." + c.__name__


def run(fn):
    try:
        r = fn()
    except BaseException as e:  # noqa: BLE001
        msg = re.sub(r"0x[0-9a-f]+", "ADDR", str(e))
        return ["err", cls_name(e), msg]
    return ["ok", repr(r)]


def e_start_twice():
    p = ctx.Process(target=t_return)
    p.start()
    try:
        p.start()
    finally:
        p.join()


def e_join_self():
    mp.current_process().join()


def e_daemon_after_start():
    p = ctx.Process(target=t_return)
    p.start()
    try:
        p.daemon = True
    finally:
        p.join()


def e_queue_closed_put():
    q = ctx.Queue()
    q.close()
    q.put(b"x")


def e_queue_closed_get():
    q = ctx.Queue()
    q.close()
    q.get()


def e_queue_full():
    q = ctx.Queue(1)
    q.put(b"a")
    q.put(b"b", timeout=0.05)


def e_queue_empty():
    q = ctx.Queue()
    return q.get(timeout=0.05)


def e_pipe_send_readonly():
    a, b = ctx.Pipe(False)
    a.send_bytes(b"x")


def e_pipe_recv_writeonly():
    a, b = ctx.Pipe(False)
    b.recv_bytes()


def e_pipe_closed():
    a, b = ctx.Pipe()
    a.close()
    a.send_bytes(b"x")


def e_pipe_eof():
    a, b = ctx.Pipe()
    b.close()
    a.recv_bytes()


def e_pipe_maxlength():
    a, b = ctx.Pipe()
    b.send_bytes(b"0123456789")
    a.recv_bytes(5)


def e_pipe_roundtrip():
    a, b = ctx.Pipe()
    b.send_bytes(b"hello")
    return a.recv_bytes()


def e_pipe_empty_message():
    a, b = ctx.Pipe()
    b.send_bytes(b"")
    return a.recv_bytes()


def e_pipe_poll_empty():
    a, b = ctx.Pipe()
    return a.poll(0.01)


def e_value_typecode():
    ctx.Value("x")


def e_value_wrap():
    v = ctx.Value("i")
    v.value = 2 ** 40 + 5
    return v.value


def e_value_float_into_int():
    v = ctx.Value("i")
    v.value = 1.5


def e_value_int_into_double():
    v = ctx.Value("d")
    v.value = 3
    return v.value


def e_array_index():
    return ctx.Array("i", 3)[3]


def e_array_negative_index():
    a = ctx.Array("h", 3)
    a[-1] = -7
    return a[2]


def e_array_index_too_negative():
    return ctx.Array("i", 3)[-4]


CASES = {
    "lock_release_unheld": lambda: ctx.Lock().release(),
    "rlock_release_unowned": lambda: ctx.RLock().release(),
    "bsem_over_release": lambda: ctx.BoundedSemaphore(2).release(),
    "sem_negative": lambda: ctx.Semaphore(-1),
    "sem_release_above_initial": lambda: ctx.Semaphore(1).release(),
    "lock_acquire_negative_timeout": lambda: (lambda l: (l.acquire(), l.acquire(True, -5)))(ctx.Lock())[1],
    "lock_acquire_nonblocking_free": lambda: ctx.Lock().acquire(False),
    "lock_acquire_nonblocking_nan": lambda: ctx.Lock().acquire(False, float("nan")),
    "rlock_reenter": lambda: (lambda l: (l.acquire(), l.acquire(False)))(ctx.RLock())[1],
    "sem_acquire_zero": lambda: ctx.Semaphore(0).acquire(timeout=0.01),
    "event_wait_timeout": lambda: ctx.Event().wait(0.01),
    "event_wait_set": lambda: (lambda e: (e.set(), e.wait(0)))(ctx.Event())[1],
    "cond_wait_unowned": lambda: ctx.Condition().wait(0.01),
    "cond_notify_unowned": lambda: ctx.Condition().notify(),
    "cond_wait_timeout": lambda: (lambda c: (c.acquire(), c.wait(0.01)))(ctx.Condition())[1],
    "start_twice": e_start_twice,
    "join_unstarted": lambda: ctx.Process(target=t_return).join(),
    "join_self": e_join_self,
    "daemon_after_start": e_daemon_after_start,
    "queue_closed_put": e_queue_closed_put,
    "queue_closed_get": e_queue_closed_get,
    "queue_full": e_queue_full,
    "queue_empty": e_queue_empty,
    "queue_put_negative_timeout": lambda: ctx.Queue().put(b"x", True, -1),
    "pipe_send_readonly": e_pipe_send_readonly,
    "pipe_recv_writeonly": e_pipe_recv_writeonly,
    "pipe_closed": e_pipe_closed,
    "pipe_eof": e_pipe_eof,
    "pipe_maxlength": e_pipe_maxlength,
    "pipe_roundtrip": e_pipe_roundtrip,
    "pipe_empty_message": e_pipe_empty_message,
    "pipe_poll_empty": e_pipe_poll_empty,
    "value_typecode": e_value_typecode,
    "value_wrap": e_value_wrap,
    "value_float_into_int": e_value_float_into_int,
    "value_int_into_double": e_value_int_into_double,
    "array_index": e_array_index,
    "array_negative_index": e_array_negative_index,
    "array_index_too_negative": e_array_index_too_negative,
}


def main():
    write_vectors("multiprocessing", "exitcodes", ["case", "exitcode"],
                  exitcodes())
    write_vectors("multiprocessing", "names", ["label", "name"], names())
    write_vectors("multiprocessing", "errors",
                  ["case", "ok|err", "repr|class", "message"],
                  [[k] + run(f) for k, f in CASES.items()])


if __name__ == "__main__":
    main()
