#!/usr/bin/env python3
"""CPython's answers for fnmatch (glob itself is compared live against
CPython on a fixture tree by tests/glob/test_glob.c). Names and patterns are
hex of their UTF-8 (surrogateescape for the undecodable bytes)."""
import random
import sys

# This folder holds a glob.py (this file): import the standard library's.
_HERE = sys.path.pop(0)
import fnmatch  # noqa: E402
import glob  # noqa: E402

sys.path.insert(0, _HERE)
from common import write_vectors  # noqa: E402


def enc(s):
    return s.encode("utf-8", "surrogateescape").hex()


PATTERNS = ["", "*", "**", "?", "??", "*.py", "*.*", "a*", "*a", "a*b*c", "*a*a*a", "[abc]",
            "[!abc]", "[a-c]", "[!a-c]", "[]]", "[!]]", "[]a]", "[!]a]", "[", "[a", "[!",
            "a[", "[[]", "[\\]", "\\", "\\*", "[a-]", "[-a]", "[!-a]", "[a--]", "[--0]",
            "[%--]", "[z-a]", "[!z-a]", "[a-c-e]", "[b-a-a]", "[c-a-b]", "[]-a]", "[!--]",
            "[^a]", "[!^]", "[&&a]", "[a~~b]", "[a||b]", "[*]", "[?]", "*[0-9]*", "é*",
            "[é-ü]", "?é", "[!é]", "\U0001F600*", "[\U0001F600]", ".*", "*/*", "a/*",
            "[\udcff]", "?\udcff", "*\udcfe", "x[a-c-e-g]y", "[a-cx-z]", "[!a-cx-z]",
            "[0-9a-f]*", "*.[ch]", "[.]*", "[[!]]", "[]-]", "[!]-]", "[a-\U0001F600]"]
NAMES = ["", "a", "b", "z", "abc", "aXbYc", "aaa", "a.py", ".py", "x.pyc", "dir/a.py", "a/b",
         "]", "[", "-", "!", "^", "\\", "*", "?", "0", "%", "+", ",", "é", "éa", "ü",
         "\U0001F600", "\U0001F600x", ".hidden", "a\nb", "\udcff", "a\udcff", "\udcfeq",
         "x", "xby", "xfy", "xgy", "xhy", "&", "~", "|", "file1.c", "file.h", "["]


def main():
    rng = random.Random(20261121)
    rows = []
    for p in PATTERNS:
        for n in NAMES:
            rows.append([enc(n), enc(p), "1" if fnmatch.fnmatchcase(n, p) else "0"])
    alphabet = list("ab-]![^*?\\.zé") + ["\udcff"]
    for _ in range(1500):
        p = "".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 8)))
        n = "".join(rng.choice("ab-]![^.zé\\") for _ in range(rng.randrange(0, 5)))
        try:
            r = "1" if fnmatch.fnmatchcase(n, p) else "0"
        except Exception:  # noqa: BLE001 - a pattern CPython's re rejects
            r = "error"
        rows.append([enc(n), enc(p), r])
    write_vectors("glob", "fnmatch", ["name_hex", "pattern_hex", "match"], rows)
    esc = [[enc(s), enc(glob.escape(s)), "1" if glob.has_magic(s) else "0"]
           for s in ["", "a", "*", "a?b", "[x]", "/a/*/b", "**", "no magic", "é[é]"]]
    write_vectors("glob", "escape", ["path_hex", "escaped_hex", "has_magic"], esc)


if __name__ == "__main__":
    main()
