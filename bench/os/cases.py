"""os cases: os.walk over a generated tree of about 20k entries (20 x 20
directories of 50 files: 20,420 names), against CPython's os.walk and
against `find TREE > /dev/null` (the anchor: GNU find, run as a process
from the C side and timed the same way, so its number includes starting
the process, about a millisecond, and printing every path); listdir of one
50-entry directory, stat of one file, and scandir with is_dir() per entry,
per call.

The walk is top-down, nothing pruned; both sides build the same lists
(every directory's path, its dirnames and filenames) and discard them.
"""
import os  # noqa: F401 - used by the statements
import tempfile

TREE = os.path.join(tempfile.gettempdir(), "bt_bench_os_tree")


def _make_tree():
    marker = os.path.join(TREE, ".complete")
    if os.path.exists(marker):
        return
    for i in range(20):
        for j in range(20):
            d = os.path.join(TREE, "d%02d" % i, "s%02d" % j)
            os.makedirs(d, exist_ok=True)
            for k in range(50):
                open(os.path.join(d, "file_%02d.txt" % k), "w").close()
    open(marker, "w").close()


_make_tree()

DIR = os.path.join(TREE, "d07", "s07")
FILE = os.path.join(DIR, "file_07.txt")

INPUTS = {"tree.txt": TREE.encode(), "dir.txt": DIR.encode(),
          "file.txt": FILE.encode()}


def walk_all(top):
    for _ in os.walk(top):
        pass


def scan_is_dir(d):
    with os.scandir(d) as it:
        for e in it:
            e.is_dir()


CASES = [
    dict(name="walk_20k", unit="ns/op", anchor="find",
         py_stmt="walk_all(TREE)"),
    dict(name="listdir_50", unit="ns/op", py_stmt="os.listdir(DIR)"),
    dict(name="stat", unit="ns/op", py_stmt="os.stat(FILE)"),
    dict(name="scandir_is_dir_50", unit="ns/op", py_stmt="scan_is_dir(DIR)"),
]
