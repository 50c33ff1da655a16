"""concurrent.futures cases.

submit_await_10k: 10,000 empty calls submitted to a 2-thread pool, one
Future each, then every result awaited (one op = the 10k calls; divide by
10,000 for the time per call). CPython: ThreadPoolExecutor(2), submit in a
loop, then result() on each. Anchor: GLib's GThreadPool with 2 threads
pushing the same 10k empty calls and waiting for the last (no futures).

sqrt_sum_8tasks_2threads: sum of sqrt(i) for i < 2e7 in 8 tasks on a
2-thread pool (submit the 8, await the 8). CPython: the same on
ThreadPoolExecutor(2) (the GIL makes it serial). Anchor: our own single
thread doing the 8 chunks one after the other (the issue asks >= 1.7x).

process_round_trip_100: 100 small calls (8 argument bytes in, 8 result
bytes out) submitted to a 2-process pool and awaited. CPython:
ProcessPoolExecutor(2) with abs(i) (pickling a small int each way), its
workers started by the forkserver context: forked workers would inherit the
driver's pipe to the C program and keep it from ever seeing EOF. Once
started, the round trip is the same pickling and pipes either way."""
import concurrent.futures
import math
import multiprocessing

BATCH = 10_000
N = 20_000_000
CHUNKS = 8
SMALL = 100

_pools = {}


def thread_pool():
    if "t" not in _pools:
        _pools["t"] = concurrent.futures.ThreadPoolExecutor(2)
    return _pools["t"]


def process_pool():
    if "p" not in _pools:
        _pools["p"] = concurrent.futures.ProcessPoolExecutor(
            2, mp_context=multiprocessing.get_context("forkserver"))
        # Start the workers outside the timing, as the C side does.
        list(_pools["p"].map(abs, range(4)))
    return _pools["p"]


def nothing():
    pass


def submit_await(ex, n):
    submit = ex.submit
    fs = [submit(nothing) for _ in range(n)]
    for f in fs:
        f.result()


def chunk_sum(c):
    return sum(map(math.sqrt, range(c * N // CHUNKS, (c + 1) * N // CHUNKS)))


def sqrt_sum(ex):
    fs = [ex.submit(chunk_sum, c) for c in range(CHUNKS)]
    return sum(f.result() for f in fs)


def round_trip(ex):
    # abs: a builtin, so it pickles by name (this module is not importable
    # in the workers under the driver's module name).
    fs = [ex.submit(abs, i) for i in range(SMALL)]
    for f in fs:
        f.result()


INPUTS = {}

CASES = [
    dict(name="submit_await_10k", unit="ns/op", anchor="gthreadpool",
         py_setup="ex = thread_pool()", py_stmt="submit_await(ex, BATCH)"),
    dict(name="sqrt_sum_8tasks_2threads", unit="ns/op", anchor="one_thread",
         py_setup="ex = thread_pool()", py_stmt="sqrt_sum(ex)"),
    dict(name="process_round_trip_100", unit="ns/op",
         py_setup="ex = process_pool()", py_stmt="round_trip(ex)"),
]
