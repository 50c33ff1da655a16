#!/usr/bin/env python3
"""CPython's answers for concurrent.futures, for the state machine that
needs no threads to show:

future_ops.tsv: seeded random sequences of operations on one Future with a
done callback attached; per operation the outcome. Ops: cancel,
srnc (set_running_or_notify_cancel), set_result (42), set_exception
(ValueError('boom')), cancelled, running, done, result (timeout=0),
exception (timeout=0), calls (how many times the callback ran so far),
late_cb (add a callback now: how many times it ran at once). Outcomes:
"True"/"False"/"None"/"42"/"n" or "exc <class> <message>" (the Future's
repr in InvalidStateError's message is cut to the state name before ':').

wait.tsv: futures in given states (a list may name one future twice),
return_when, timeout=0: the done flags per list position and len(done).
as_completed.tsv: the same lists with as_completed(timeout=0): the
positions (first occurrence) yielded, sorted (CPython yields the
already-done ones in set order), then the exception or "ok"."""
import random
import sys

_HERE = sys.path.pop(0)
import concurrent.futures as cf  # noqa: E402
import logging  # noqa: E402

# CPython logs "Future ... in unexpected state" critically; not wanted here.
logging.getLogger("concurrent.futures").addHandler(logging.NullHandler())
logging.getLogger("concurrent.futures").propagate = False

sys.path.insert(0, _HERE)
from common import write_vectors  # noqa: E402

OPS = ["cancel", "srnc", "set_result", "set_exception", "cancelled",
       "running", "done", "result", "exception", "calls", "late_cb"]


def exc_name(e):
    mod = type(e).__module__
    if mod == "builtins":
        return type(e).__name__
    if mod.startswith("concurrent.futures"):
        return "concurrent.futures." + type(e).__name__
    return mod + "." + type(e).__name__


def outcome(fn):
    try:
        r = fn()
    except Exception as e:  # noqa: BLE001
        msg = str(e)
        if isinstance(e, cf.InvalidStateError):
            msg = msg.split(":")[0]
        return "exc %s %s" % (exc_name(e), msg)
    if isinstance(e := r, BaseException):
        return "raised %s %s" % (exc_name(e), e)
    return str(r)


def run_ops(ops):
    f = cf.Future()
    calls = [0]

    def cb(_):
        calls[0] += 1

    f.add_done_callback(cb)
    out = []
    for op in ops:
        if op == "cancel":
            out.append(outcome(f.cancel))
        elif op == "srnc":
            out.append(outcome(f.set_running_or_notify_cancel))
        elif op == "set_result":
            out.append(outcome(lambda: f.set_result(42)))
        elif op == "set_exception":
            out.append(outcome(lambda: f.set_exception(ValueError("boom"))))
        elif op in ("cancelled", "running", "done"):
            out.append(outcome(getattr(f, op)))
        elif op == "result":
            out.append(outcome(lambda: f.result(timeout=0)))
        elif op == "exception":
            out.append(outcome(lambda: f.exception(timeout=0)))
        elif op == "calls":
            out.append(str(calls[0]))
        elif op == "late_cb":
            late = [0]

            def lcb(_):
                late[0] += 1

            f.add_done_callback(lcb)
            out.append(str(late[0]))
    return out


STATES = ["pending", "running", "cancelled", "notified", "ok", "raised"]


def make(state):
    f = cf.Future()
    if state == "running":
        f.set_running_or_notify_cancel()
    elif state == "cancelled":
        f.cancel()
    elif state == "notified":
        f.cancel()
        f.set_running_or_notify_cancel()
    elif state == "ok":
        f.set_result(1)
    elif state == "raised":
        f.set_exception(ValueError("x"))
    return f


WHEN = {"FIRST_COMPLETED": cf.FIRST_COMPLETED,
        "FIRST_EXCEPTION": cf.FIRST_EXCEPTION,
        "ALL_COMPLETED": cf.ALL_COMPLETED}


def random_list(rng):
    """States of distinct futures and the list positions naming them."""
    k = rng.randint(1, 4)
    states = [rng.choice(STATES) for _ in range(k)]
    order = [rng.randrange(k) for _ in range(rng.randint(k, k + 2))]
    for i in range(k):  # every future appears at least once
        if i not in order:
            order[rng.randrange(len(order))] = i
    return states, order


def main():
    rng = random.Random(7)
    rows = []
    for i in range(300):
        ops = [rng.choice(OPS) for _ in range(rng.randint(1, 8))]
        rows.append([str(i), " ".join(ops), "|".join(run_ops(ops))])
    write_vectors("futures", "future_ops", ["id", "ops", "outcomes"], rows)

    wrows, arows = [], []
    for i in range(300):
        states, order = random_list(rng)
        when = rng.choice(list(WHEN))
        fs = [make(s) for s in states]
        lst = [fs[j] for j in order]
        done, _ = cf.wait(lst, timeout=0, return_when=WHEN[when])
        flags = "".join("1" if f in done else "0" for f in lst)
        wrows.append([str(i), " ".join(states), " ".join(map(str, order)),
                      when, flags, str(len(done))])
        fs = [make(s) for s in states]
        lst = [fs[j] for j in order]
        got = []
        try:
            for f in cf.as_completed(lst, timeout=0):
                got.append(lst.index(f))
            res = "ok"
        except Exception as e:  # noqa: BLE001
            res = "exc %s %s" % (exc_name(e), e)
        arows.append([str(i), " ".join(states), " ".join(map(str, order)),
                      " ".join(map(str, sorted(got))) or "-", res])
    write_vectors("futures", "wait", ["id", "states", "order", "return_when",
                                      "done_flags", "ndone"], wrows)
    write_vectors("futures", "as_completed", ["id", "states", "order",
                                              "yielded", "result"], arows)


if __name__ == "__main__":
    main()
