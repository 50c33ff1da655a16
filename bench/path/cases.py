"""path cases: os.path's string functions per call (the issue's target: at
least 20x CPython per call for normpath, join and relpath).

Both sides use the same literal paths (they are short: no INPUTS files).
CPython's functions are bound to module globals first, so its timing has no
attribute lookups in it; ours appends each result to a buffer it clears
every time (what a loop reusing one buffer does), CPython allocates a str.
"""
from posixpath import join, normpath, relpath, split, splitext  # noqa: F401

NORM = "/usr/local/../lib/./python3.11//site-packages/"
CLEAN = "/usr/lib/python3.11/site-packages"
REL_PATH = "/usr/lib/python3.11/site-packages/pip"
REL_START = "/usr/local/share/doc"
FILE = "/usr/lib/python3.11/os.py"

INPUTS = {}

CASES = [
    dict(name="normpath", unit="ns/op", py_setup="", py_stmt="normpath(NORM)"),
    # A path that is already normal (the common input).
    dict(name="normpath_clean", unit="ns/op", py_setup="", py_stmt="normpath(CLEAN)"),
    dict(name="join", unit="ns/op", py_setup="",
         py_stmt="join('/usr/local', 'lib', 'python3.11')"),
    dict(name="relpath", unit="ns/op", py_setup="",
         py_stmt="relpath(REL_PATH, REL_START)"),
    dict(name="split", unit="ns/op", py_setup="", py_stmt="split(FILE)"),
    dict(name="splitext", unit="ns/op", py_setup="", py_stmt="splitext(FILE)"),
]
