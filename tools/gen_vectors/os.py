#!/usr/bin/env python3
"""CPython's answers for the os module's conversions that need no fixture:

  utime.tsv       float times given to os.utime, and the nanoseconds a stat
                  then reads back (or the exception): the float -> timespec
                  rounding (_PyTime_ROUND_FLOOR) and its errors. Times stay
                  within what ext4 and tmpfs store (1901..2514), so the
                  file system keeps them as given.
  waitstatus.tsv  os.waitstatus_to_exitcode for every status up to 0x1ff,
                  every exit code, every signal, and a seeded sample.

Doubles are written as the hex of their IEEE-754 bits (big-endian).
"""
import random
import struct
import sys
import tempfile

# This folder holds an os.py (this file): import the standard library's.
_HERE = sys.path.pop(0)
import os  # noqa: E402

sys.path.insert(0, _HERE)
from common import write_vectors  # noqa: E402

sys.dont_write_bytecode = True


def dbits(x):
    return struct.pack(">d", x).hex()


def times(rng):
    lo, hi = -(2 ** 31) + 2, 2 ** 33
    special = [0.0, -0.0, 1.5, -1.5, 0.1, -0.1, 1e-10, -1e-10, 5e-324, -5e-324,
               0.9999999999, -0.9999999999, 1.0000000001, 2.5e-9, -2.5e-9,
               1234567890.9999999999, 1234567890.0000000001, 1e9 + 0.123456789,
               -9999999.999999999, float(hi), float(lo), 4102444800.7]
    vals = list(special)
    for _ in range(600):
        kind = rng.randrange(4)
        if kind == 0:      # any time in range, any fraction
            vals.append(rng.uniform(lo, hi))
        elif kind == 1:    # close to a whole second, either side
            k = rng.randrange(lo, hi)
            vals.append(k + rng.choice([1, -1]) * rng.random() * 1e-8)
        elif kind == 2:    # small, positive or negative
            vals.append(rng.uniform(-10, 10) * 10 ** rng.randrange(-12, 2))
        else:              # whole nanoseconds as a float would carry them
            vals.append(rng.randrange(lo, hi) + rng.randrange(10 ** 9) / 1e9)
    errors = [float("nan"), float("inf"), float("-inf"), 1e300, -1e300,
              9.3e18, -9.3e18]
    return vals, errors


def utime_cases(rng):
    vals, errors = times(rng)
    rows = []
    with tempfile.TemporaryDirectory() as d:
        f = os.path.join(d, "f")
        open(f, "w").close()
        pairs = [(vals[i], vals[-1 - i]) for i in range(len(vals))]
        pairs += [(e, 1.0) for e in errors] + [(1.0, e) for e in errors]
        for a, m in pairs:
            try:
                os.utime(f, (a, m))
            except (ValueError, OverflowError) as e:
                rows.append([dbits(a), dbits(m), "err", type(e).__name__, str(e)])
                continue
            st = os.stat(f)
            rows.append([dbits(a), dbits(m), "ok", str(st.st_atime_ns),
                         str(st.st_mtime_ns)])
    return rows


def waitstatus_cases(rng):
    statuses = set(range(0x200))
    statuses |= {code << 8 for code in range(256)}
    statuses |= {sig for sig in range(1, 128)} | {sig | 0x80 for sig in range(1, 128)}
    statuses |= {(sig << 8) | 0x7f for sig in range(256)}
    statuses |= {rng.randrange(0, 1 << 16) for _ in range(500)}
    statuses |= {-1, 0x10000, 0x7fffffff}
    rows = []
    for s in sorted(statuses):
        try:
            rows.append([str(s), "ok", str(os.waitstatus_to_exitcode(s))])
        except ValueError as e:
            rows.append([str(s), "err", type(e).__name__, str(e)])
    return rows


def main():
    rng = random.Random(20241121)
    write_vectors("os", "utime", ["atime", "mtime", "ok|err", "atime_ns|exc",
                                  "mtime_ns|message"], utime_cases(rng))
    write_vectors("os", "waitstatus", ["status", "ok|err", "code|exc", "message"],
                  waitstatus_cases(rng))


if __name__ == "__main__":
    main()
