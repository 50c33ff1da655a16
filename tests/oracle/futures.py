"""Oracle plug-in for concurrent.futures (module 'futures', driver
drv_futures): fresh random sequences of operations on one Future with a
done callback attached (the state machine, InvalidStateError, callbacks
before and after completion), and wait()/as_completed() with timeout 0 over
lists of futures in every state, some listed twice. The same encoding as
tools/gen_vectors/futures.py (see there)."""
import concurrent.futures as cf
import logging

# CPython logs "Future ... in unexpected state" critically; not wanted here.
logging.getLogger("concurrent.futures").addHandler(logging.NullHandler())
logging.getLogger("concurrent.futures").propagate = False

GROUPS = ['ops', 'wait', 'as_completed']
FIELDS = {'ops': ['outcomes'], 'wait': ['done_flags', 'ndone'],
          'as_completed': ['yielded', 'result']}

OPS = ["cancel", "srnc", "set_result", "set_exception", "cancelled",
       "running", "done", "result", "exception", "calls", "late_cb"]
STATES = ["pending", "running", "cancelled", "notified", "ok", "raised"]
WHEN = {"FIRST_COMPLETED": cf.FIRST_COMPLETED,
        "FIRST_EXCEPTION": cf.FIRST_EXCEPTION,
        "ALL_COMPLETED": cf.ALL_COMPLETED}


def _exc_name(e):
    mod = type(e).__module__
    if mod == "builtins":
        return type(e).__name__
    return "concurrent.futures." + type(e).__name__


def _outcome(fn):
    try:
        r = fn()
    except Exception as e:  # noqa: BLE001
        msg = str(e)
        if isinstance(e, cf.InvalidStateError):
            msg = msg.split(":")[0]
        return ("exc %s %s" % (_exc_name(e), msg)).rstrip()
    if isinstance(r, BaseException):
        return "raised %s %s" % (_exc_name(r), r)
    return str(r)


def _run_ops(ops):
    f = cf.Future()
    calls = [0]
    f.add_done_callback(lambda _: calls.__setitem__(0, calls[0] + 1))
    out = []
    for op in ops:
        if op == "cancel":
            out.append(_outcome(f.cancel))
        elif op == "srnc":
            out.append(_outcome(f.set_running_or_notify_cancel))
        elif op == "set_result":
            out.append(_outcome(lambda: f.set_result(42)))
        elif op == "set_exception":
            out.append(_outcome(lambda: f.set_exception(ValueError("boom"))))
        elif op in ("cancelled", "running", "done"):
            out.append(_outcome(getattr(f, op)))
        elif op == "result":
            out.append(_outcome(lambda: f.result(timeout=0)))
        elif op == "exception":
            out.append(_outcome(lambda: f.exception(timeout=0)))
        elif op == "calls":
            out.append(str(calls[0]))
        else:  # late_cb
            late = [0]
            f.add_done_callback(lambda _: late.__setitem__(0, late[0] + 1))
            out.append(str(late[0]))
    return out


def _make(state):
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


def generate(rng):
    group = rng.choice(GROUPS)
    if group == 'ops':
        ops = [rng.choice(OPS) for _ in range(rng.randint(1, 10))]
        return group, [" ".join(ops).encode()]
    k = rng.randint(1, 5)
    states = [rng.choice(STATES) for _ in range(k)]
    order = [rng.randrange(k) for _ in range(rng.randint(k, k + 3))]
    for i in range(k):
        if i not in order:
            order[rng.randrange(len(order))] = i
    args = [" ".join(states).encode(), " ".join(map(str, order)).encode()]
    if group == 'wait':
        args.append(rng.choice(list(WHEN)).encode())
    return group, args


def expect(group, args):
    if group == 'ops':
        return ["|".join(_run_ops(args[0].decode().split()))]
    states = args[0].decode().split()
    order = [int(x) for x in args[1].decode().split()]
    fs = [_make(s) for s in states]
    lst = [fs[j] for j in order]
    if group == 'wait':
        done, _ = cf.wait(lst, timeout=0, return_when=WHEN[args[2].decode()])
        return ["".join("1" if f in done else "0" for f in lst), str(len(done))]
    got = []
    try:
        for f in cf.as_completed(lst, timeout=0):
            got.append(lst.index(f))
        res = "ok"
    except Exception as e:  # noqa: BLE001
        res = "exc %s %s" % (_exc_name(e), e)
    return [" ".join(map(str, sorted(got))) or "-", res]
