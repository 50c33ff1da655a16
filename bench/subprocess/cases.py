"""subprocess cases: run(['/bin/true']) per call against raw posix_spawn +
waitpid (the anchor) and CPython's subprocess.run; capturing 1 MB and
100 MB of a child's stdout (head -c N /dev/zero, stdout=PIPE) against a raw
posix_spawn + pipe read loop into a growing buffer (the anchor) and
CPython; and run(['/bin/true']) again from a process with 4 GB resident,
against fork + exec + waitpid from the same process (the anchor: what a
page-table copy costs), and CPython with 4 GB resident too. Compare
run_true_4g's ours with run_true's: a vfork-style spawn stays flat.
"""
import subprocess  # noqa: F401 - used by the statements

_BIG = []


def big():
    """4 GB resident in this process (the driver's), made once."""
    if not _BIG:
        _BIG.append(b"\x01" * (4 << 30))


CASES = [
    dict(name="run_true", unit="ns/op", anchor="posix_spawn",
         py_stmt="subprocess.run(['/bin/true'])"),
    dict(name="capture_1m", unit="MB/s", bytes=1000000, anchor="posix_spawn",
         py_stmt="subprocess.run(['head', '-c', '1000000', '/dev/zero'],"
                 " stdout=subprocess.PIPE)"),
    dict(name="capture_100m", unit="MB/s", bytes=100000000,
         anchor="posix_spawn",
         py_stmt="subprocess.run(['head', '-c', '100000000', '/dev/zero'],"
                 " stdout=subprocess.PIPE)"),
    dict(name="run_true_4g", unit="ns/op", anchor="fork", py_setup="big()",
         py_stmt="subprocess.run(['/bin/true'])"),
]
