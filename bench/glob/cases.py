"""glob cases: fnmatch per call, and glob('**/*.c', recursive=True) over a
generated tree of about 20k entries (the issue names 100k; 20k keeps
`make bench` short and the ratio is per entry)."""
import fnmatch  # noqa: F401 - used by the statements
import glob  # noqa: F401
import os
import tempfile

TREE = os.path.join(tempfile.gettempdir(), "bt_bench_glob_tree")


def _make_tree():
    marker = os.path.join(TREE, ".complete")
    if os.path.exists(marker):
        return
    os.makedirs(TREE, exist_ok=True)
    # 20 top dirs x 20 subdirs x 50 files, a third of them .c
    for i in range(20):
        for j in range(20):
            d = os.path.join(TREE, "d%02d" % i, "s%02d" % j)
            os.makedirs(d, exist_ok=True)
            for k in range(50):
                ext = (".c", ".h", ".txt")[k % 3]
                open(os.path.join(d, "f%02d%s" % (k, ext)), "w").close()
    open(marker, "w").close()


_make_tree()

INPUTS = {"tree.txt": TREE.encode()}

CASES = [
    dict(name="fnmatchcase", unit="ns/op", py_setup="",
         py_stmt="fnmatch.fnmatchcase('build_output_123.py', '*_[0-9]*.py')"),
    dict(name="glob_recursive", unit="ns/op", py_setup="",
         py_stmt="glob.glob('**/*.c', root_dir=TREE, recursive=True)"),
]
