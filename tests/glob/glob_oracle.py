#!/usr/bin/env python3
"""CPython's glob on a fixture tree: reads lines "<flags>\t<pattern>" on
stdin (flags: r = recursive, h = include_hidden, d = root_dir is 'sub'),
runs from the tree's root and prints the sorted results, one line per
pattern, names separated by NUL bytes (hex-encoded to stay on one line)."""
import glob
import os
import sys

root = sys.argv[1]
os.chdir(root)
for line in sys.stdin:
    flags, pattern = line.rstrip("\n").split("\t", 1)
    res = glob.glob(pattern, recursive="r" in flags, include_hidden="h" in flags,
                    root_dir="sub" if "d" in flags else None)
    print("\0".join(sorted(res)).encode("utf-8", "surrogateescape").hex(), flush=True)
