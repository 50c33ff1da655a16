#!/usr/bin/env python3
"""CPython's answers for queue: what each misuse raises (errors.tsv), and
the order in which Queue, LifoQueue and PriorityQueue hand out items
(order.tsv), with many equal priorities so that heapq's tie order shows.

errors.tsv: case, then "err", the exception class and str(exc), or "ok"
and repr() of the result; the C test makes the same call per case name.
order.tsv: kind, maxsize-free operations "p<priority>:<id>" (put) and "g"
(get), then the ids in the order get returned them."""
import random
import sys

# This folder holds a queue.py (this file): import the standard library's.
_HERE = sys.path.pop(0)
import queue  # noqa: E402

sys.path.insert(0, _HERE)
from common import write_vectors  # noqa: E402

NAN = float("nan")


def with_items(q, *items):
    for item in items:
        q.put(item)
    return q


def task_done_after_get():
    q = with_items(queue.Queue(), 1)
    q.get()
    return q.task_done()


CASES = [
    ("queue_get_negative", lambda: queue.Queue().get(True, -1)),
    ("queue_get_negative_with_item", lambda: with_items(queue.Queue(), 1).get(True, -1)),
    ("queue_get_nowait_empty", lambda: queue.Queue().get_nowait()),
    ("queue_get_nonblocking_negative", lambda: queue.Queue().get(False, -1)),
    ("queue_get_zero", lambda: queue.Queue().get(True, 0)),
    ("queue_get_short", lambda: queue.Queue().get(True, 0.01)),
    ("queue_get_huge", lambda: queue.Queue().get(True, 1e20)),
    ("queue_get_huge_with_item", lambda: with_items(queue.Queue(), 1).get(True, 1e20)),
    ("queue_put_unbounded_negative", lambda: queue.Queue().put(1, True, -1)),
    ("queue_put_unbounded_nan", lambda: queue.Queue().put(1, True, NAN)),
    ("queue_put_bounded_negative", lambda: queue.Queue(1).put(1, True, -1)),
    ("queue_put_full_nowait", lambda: with_items(queue.Queue(1), 1).put_nowait(2)),
    ("queue_put_full_zero", lambda: with_items(queue.Queue(1), 1).put(2, True, 0)),
    ("queue_put_full_short", lambda: with_items(queue.Queue(1), 1).put(2, True, 0.01)),
    ("queue_put_full_huge", lambda: with_items(queue.Queue(1), 1).put(2, True, 1e20)),
    ("queue_put_full_nonblocking_negative",
     lambda: with_items(queue.Queue(1), 1).put(2, False, -1)),
    ("queue_task_done_too_many", lambda: queue.Queue().task_done()),
    ("queue_task_done_after_get", task_done_after_get),
    ("queue_full_when_bound_reached", lambda: with_items(queue.Queue(2), 1, 2).full()),
    ("queue_full_unbounded", lambda: with_items(queue.Queue(0), 1, 2, 3).full()),
    ("queue_full_negative_bound", lambda: with_items(queue.Queue(-5), 1, 2).full()),
    ("queue_maxsize_negative", lambda: queue.Queue(-5).maxsize),
    ("queue_qsize", lambda: with_items(queue.LifoQueue(), 1, 2, 3).qsize()),
    ("queue_empty", lambda: queue.PriorityQueue().empty()),
    ("lifo_get_negative", lambda: queue.LifoQueue().get(True, -1)),
    ("priority_get_nowait_empty", lambda: queue.PriorityQueue().get_nowait()),
    ("simple_get_negative", lambda: queue.SimpleQueue().get(True, -1)),
    ("simple_get_nan", lambda: queue.SimpleQueue().get(True, NAN)),
    ("simple_get_huge", lambda: queue.SimpleQueue().get(True, 1e20)),
    ("simple_get_negative_with_item",
     lambda: with_items(queue.SimpleQueue(), 1).get(True, -1)),
    ("simple_get_huge_with_item", lambda: with_items(queue.SimpleQueue(), 1).get(True, 1e20)),
    ("simple_get_nonblocking_negative", lambda: queue.SimpleQueue().get(False, -1)),
    ("simple_get_nowait_empty", lambda: queue.SimpleQueue().get_nowait()),
    ("simple_get_zero", lambda: queue.SimpleQueue().get(True, 0)),
    ("simple_qsize", lambda: with_items(queue.SimpleQueue(), 1, 2).qsize()),
]


class Item:
    """Compares by priority only, so equal priorities tie for heapq."""

    def __init__(self, prio, ident):
        self.prio, self.ident = prio, ident

    def __lt__(self, other):
        return self.prio < other.prio


def order_rows(rng):
    rows = []
    kinds = [("fifo", queue.Queue), ("lifo", queue.LifoQueue),
             ("priority", queue.PriorityQueue)]
    for kind, cls in kinds:
        for n in range(120 if kind == "priority" else 10):
            q = cls()
            ops, got, ident = [], [], 0
            for _ in range(rng.randint(1, 80)):
                if q.qsize() and rng.random() < 0.4:
                    ops.append("g")
                    got.append(q.get_nowait().ident)
                else:
                    prio = rng.randint(0, 1 + n % 6)
                    ops.append("p%d:%d" % (prio, ident))
                    q.put_nowait(Item(prio, ident))
                    ident += 1
            while q.qsize():
                ops.append("g")
                got.append(q.get_nowait().ident)
            rows.append([kind, " ".join(ops), " ".join(map(str, got))])
    return rows


def main():
    rows = []
    for name, call in CASES:
        try:
            out = ["ok", repr(call())]
        except Exception as e:  # noqa: BLE001 - record what CPython raises
            out = ["err", type(e).__name__, str(e)]
        rows.append([name] + out)
    write_vectors("queue", "errors", ["case", "ok|err", "result|exc", "message"], rows)
    write_vectors("queue", "order", ["kind", "operations", "ids got"], order_rows(random.Random(7)))


if __name__ == "__main__":
    main()
