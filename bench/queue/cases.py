"""queue cases: items moved between two threads through a bounded Queue
(ours, CPython's queue.Queue, and a minimal mutex + condition variable ring
in C as the anchor), and put_nowait + get_nowait in one thread.

One op of put_get_2threads is one item put by the producer and got by the
consumer. Both sides use a queue of QMAX slots so the rate is the transfer
rate, not how fast items pile up. The Python side times the producer's
puts while a consumer thread drains (at most QMAX items are still in
flight when the clock stops); the C side times the whole transfer,
including starting and joining its consumer."""
import queue
import threading

QMAX = 256

_running = []


def start_consumer():
    """A fresh Queue(QMAX) with a thread draining it until None."""
    for q, t in _running:
        q.put(None)
        t.join()
    _running.clear()
    q = queue.Queue(QMAX)

    def consume():
        get = q.get
        while get() is not None:
            pass

    t = threading.Thread(target=consume, daemon=True)
    t.start()
    _running.append((q, t))
    return q


INPUTS = {}

CASES = [
    dict(name="put_get_2threads", unit="ops/s", anchor="mutex_condvar",
         py_setup="q = start_consumer(); put = q.put", py_stmt="put(1)"),
    dict(name="put_get_nowait", unit="ns/op",
         py_setup="q = queue.Queue(); put = q.put_nowait; get = q.get_nowait",
         py_stmt="put(1); get()"),
]
