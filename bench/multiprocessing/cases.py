"""multiprocessing cases: a small message sent to a child process and
echoed back (one op = one round trip), through a pair of Queues and
through a duplex Pipe; and a Process started and joined. CPython runs the
same programs with its multiprocessing (fork start method); the C anchors
are the plain system calls (write/read on a socket pair, fork + waitpid).

The echo child runs for a whole measurement; starting it is untimed on
both sides. Messages are 16 bytes; CPython's Queue pickles its bytes
object, its Pipe case uses send_bytes/recv_bytes (no pickling)."""
import multiprocessing as mp

MSG = b"x" * 16

_running = []


def _stop_running():
    for stop in _running:
        stop()
    _running.clear()


def _queue_echo(inq, outq):
    while True:
        m = inq.get()
        if m is None:
            return
        outq.put(m)


def start_queue_echo():
    """Two Queues and a child echoing from the first into the second."""
    _stop_running()
    q1, q2 = mp.Queue(), mp.Queue()
    p = mp.Process(target=_queue_echo, args=(q1, q2), daemon=True)
    p.start()

    def stop():
        q1.put(None)
        p.join()

    _running.append(stop)
    return q1, q2


def _pipe_echo(mine, conn):
    mine.close()  # the parent's end: or this child never sees end of file
    while True:
        try:
            m = conn.recv_bytes()
        except EOFError:
            return
        conn.send_bytes(m)


def start_pipe_echo():
    """A duplex Pipe and a child echoing every message back."""
    _stop_running()
    a, b = mp.Pipe()
    p = mp.Process(target=_pipe_echo, args=(a, b), daemon=True)
    p.start()
    b.close()

    def stop():
        a.close()
        p.join()

    _running.append(stop)
    return a


def noop():
    pass


def start_join():
    p = mp.Process(target=noop)
    p.start()
    p.join()


INPUTS = {}

CASES = [
    dict(name="queue_roundtrip", unit="ns/op", anchor="socketpair",
         py_setup="q1, q2 = start_queue_echo()",
         py_stmt="q1.put(MSG); q2.get()"),
    dict(name="pipe_roundtrip", unit="ns/op", anchor="socketpair",
         py_setup="a = start_pipe_echo()",
         py_stmt="a.send_bytes(MSG); a.recv_bytes()"),
    # Its setup also stops the last echo child: a forked child holds a copy
    # of every descriptor of this process, the write end of the C bench
    # program's stdin among them, and the program ends only at EOF there.
    dict(name="process_start_join", unit="ns/op", anchor="fork_waitpid",
         py_setup="_stop_running()", py_stmt="start_join()"),
]
