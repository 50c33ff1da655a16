"""shutil cases: copytree + rmtree of a 2,000-file tree (the issue names
10k files; the ratio is per file), against CPython's shutil and against
`cp -r` + `rm -rf` (the anchor, two processes per round)."""
import os
import shutil  # noqa: F401 - used by the statements
import tempfile

TREE = os.path.join(tempfile.gettempdir(), "bt_bench_shutil_tree")
DST = TREE + "_py_copy"


def _make_tree():
    marker = os.path.join(TREE, ".complete")
    if os.path.exists(marker):
        return
    for i in range(20):
        d = os.path.join(TREE, "d%02d" % i, "sub")
        os.makedirs(d, exist_ok=True)
        for k in range(100):
            with open(os.path.join(d if k % 2 else os.path.dirname(d), "f%03d.txt" % k), "w") as f:
                f.write("x" * (k * 37 % 4096))
    open(marker, "w").close()


_make_tree()

INPUTS = {"tree.txt": TREE.encode()}

CASES = [
    dict(name="copytree_rmtree", unit="ns/op", anchor="cp_r",
         py_setup="", py_stmt="shutil.copytree(TREE, DST); shutil.rmtree(DST)"),
]
