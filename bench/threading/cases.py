"""threading cases: an uncontended Lock acquire + release (ours, CPython's,
and a pthread mutex as the anchor), and CPU-bound work in parallel: the sum
of sqrt(i) for i < 2e7, cut into 8 chunks that 2 threads take from a
queue. CPython's threads take turns under the GIL; ours run at once. The
anchor for the parallel case is our own single thread doing the same 8
chunks one after the other (the issue asks for >= 1.7x on 2 cores)."""
import math
import queue
import threading

N = 20_000_000
CHUNKS = 8
WORKERS = 2


def sqrt_sum_threads():
    todo = queue.SimpleQueue()
    for c in range(CHUNKS):
        todo.put(c)
    results = [0.0] * CHUNKS

    def worker():
        while True:
            try:
                c = todo.get_nowait()
            except queue.Empty:
                return
            # The fastest pure-Python loop: map and sum run in C.
            results[c] = sum(map(math.sqrt, range(c * N // CHUNKS, (c + 1) * N // CHUNKS)))

    threads = [threading.Thread(target=worker) for _ in range(WORKERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(results)


INPUTS = {}

CASES = [
    dict(name="lock_acquire_release", unit="ns/op", anchor="pthread_mutex",
         py_setup="l = threading.Lock(); acquire = l.acquire; release = l.release",
         py_stmt="acquire(); release()"),
    dict(name="sqrt_sum_2threads", unit="ns/op", anchor="one_thread",
         py_setup="", py_stmt="sqrt_sum_threads()"),
]
