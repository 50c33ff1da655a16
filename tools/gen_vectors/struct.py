#!/usr/bin/env python3
"""CPython's answers for the struct module.

Items are written as <kind>:<value>: i:<int> and u:<int> (the C side builds
an INT or UINT item), d:<16 hex digits of the IEEE double>, b:0|1, y:<hex
bytes>. Expected unpack results use the same notation, with i/u chosen by the
format character (signed codes give INT, unsigned ones UINT). Formats and
buffers are hex so any byte can appear in them.
"""
import random
import re
import sys

# This folder holds a struct.py (this file): import the standard library's.
_HERE = sys.path.pop(0)
import struct  # noqa: E402

sys.path.insert(0, _HERE)
from common import write_vectors  # noqa: E402

sys.dont_write_bytecode = True

NATIVE = "bBhHiIlLqQnNPefd?csp"
STANDARD = "bBhHiIlLqQefd?csp"
SIGNED = set("bhilqn")
UNSIGNED = set("BHILQNP")
BITS = {"b": 8, "h": 16, "i": 32, "q": 64, "n": 64}


def dbits(x):
    return struct.pack("<d", x)[::-1].hex()


def enc_item(v, code=None):
    if isinstance(v, bool):
        return "b:%d" % v
    if isinstance(v, int):
        kind = "u" if (code in UNSIGNED or (code is None and v > 2**63 - 1)) else "i"
        return "%s:%d" % (kind, v)
    if isinstance(v, float):
        return "d:" + dbits(v)
    if isinstance(v, bytes):
        return "y:" + v.hex()
    raise TypeError(v)


def item_codes(fmt):
    """The format character behind each value unpack returns."""
    body = fmt.lstrip("@=<>!")
    out = []
    for count, c in re.findall(r"(\d*)([a-zA-Z?])", body):
        n = int(count) if count else 1
        if c in "sp":
            out.append(c)
        elif c != "x":
            out.extend(c * n)
    return out


def err(e):
    name = "struct.error" if isinstance(e, struct.error) else type(e).__name__
    return ["err", name, str(e)]


def int_limits(c, std):
    size = struct.calcsize(("<" if std else "@") + c)
    signed = c in SIGNED
    lo = -(2 ** (8 * size - 1)) if signed else 0
    hi = 2 ** (8 * size - 1) - 1 if signed else 2 ** (8 * size) - 1
    return lo, hi


def in_item_range(v):
    return -(2**63) <= v <= 2**64 - 1


def pack_cases(rng):
    rows = []

    def add(fmt, items):
        try:
            out = ["ok", struct.pack(fmt, *items).hex()]
        except Exception as e:  # noqa: BLE001 - we record whatever CPython says
            out = err(e)
        rows.append([fmt.encode().hex(), " ".join(enc_item(v) for v in items) or "-"] + out)

    for prefix in ["@", "=", "<", ">", "!"]:
        std = prefix != "@"
        for c in "bBhHiIlLqQnNP":
            if std and c in "nNP":
                add(prefix + c, [1])
                continue
            lo, hi = int_limits(c, std)
            for v in {lo, hi, lo - 1, hi + 1, 0, 1, -1, -(2**63), 2**63 - 1, 2**63, 2**64 - 1,
                      -(2**31) - 1, 2**31, 2**32, 255, 256, -129, 65535, 65536, -32769}:
                if in_item_range(v):
                    add(prefix + c, [v])
            add(prefix + c, [True])
            add(prefix + c, [1.0])
            add(prefix + c, [b"x"])
        for c in "efd":
            for v in [0.0, -0.0, 1.0, -1.5, 65504.0, 65519.99, 65520.0, 1e-8, 6e-8, 3e-8,
                      2.0**-24, 2.0**-25, 1.5 * 2.0**-25, 2.0**-14, 1e300, -1e300,
                      3.4028235e38, 3.4028236e38, 3.4028234664e38, 1e-46, 1.4e-45,
                      float("inf"), float("-inf"), float("nan"), -float("nan"),
                      struct.unpack("<d", bytes.fromhex("0100000000f07f7f"))[0],
                      0.1, 1 / 3, 2.5, 1024.5, 2049.0, 4097.0]:
                add(prefix + c, [v])
            for v in [0, 1, -7, 65504, 65505, 70000, 2**53 + 1, 2**63, 2**64 - 1, -(2**63), True]:
                add(prefix + c, [v])
            add(prefix + c, [b"x"])
        add(prefix + "?", [0])
        add(prefix + "?", [5])
        add(prefix + "?", [0.0])
        add(prefix + "?", [float("nan")])
        add(prefix + "?", [b""])
        add(prefix + "?", [b"a"])
        add(prefix + "?", [2**64 - 1])
        add(prefix + "c", [b"a"])
        add(prefix + "c", [b""])
        add(prefix + "c", [b"ab"])
        add(prefix + "c", [1])
        add(prefix + "3c", [b"a", b"b", b"c"])
        for n in [0, 1, 3, 5, 256, 300]:
            for data in [b"", b"ab", b"abcdef", b"z" * 300]:
                add(prefix + "%ds" % n, [data])
                add(prefix + "%dp" % n, [data])
        add(prefix + "s", [1])
        add(prefix + "p", [1.0])
        add(prefix + "hh", [1])
        add(prefix + "hh", [1, 2, 3])
        add(prefix + "", [])
        add(prefix + "", [1])
    # Alignment and mixed records.
    for fmt, items in [("@bq", [1, 2]), ("@bhiq", [1, 2, 3, 4]), ("@c?xP", [b"a", True, 9]),
                       ("@i0q", [7]), ("@bd", [1, 2.5]), ("@xxi", [1]), ("@3s i", [b"ab", 5]),
                       ("!IHq", [1, 2, -3]), ("<10d", [float(i) / 3 for i in range(10)]),
                       ("hh", [1, 2]), ("  2h  ", [1, 2]), ("\t<h", [1]), ("=iq", [1, 2]),
                       (">bhilq", [-1, -2, -3, -4, -5]), ("<BHILQ", [1, 2, 3, 4, 5]),
                       ("5x", []), ("2x3xi", [4]), ("@e d", [1.5, 2.5])]:
        add(fmt, items)
    # Random records.
    for _ in range(300):
        prefix = rng.choice(["@", "=", "<", ">", "!", ""])
        table = NATIVE if prefix in ("@", "") else STANDARD
        parts, items = [], []
        for _ in range(rng.randrange(1, 6)):
            c = rng.choice(table)
            n = rng.choice([1, 1, 1, 2, 3])
            parts.append(("%d" % n if n > 1 else "") + c)
            for _ in range(1 if c in "sp" else n):
                if c in "sp":
                    items.append(bytes(rng.randrange(256) for _ in range(rng.randrange(0, 5))))
                elif c == "c":
                    items.append(bytes([rng.randrange(256)]))
                elif c == "?":
                    items.append(rng.choice([True, False, 0, 3]))
                elif c in "efd":
                    items.append(rng.choice([rng.uniform(-70000, 70000), rng.random(),
                                             float(rng.randrange(-100, 100))]))
                else:
                    lo, hi = int_limits(c, prefix not in ("@", ""))
                    items.append(rng.randrange(lo, hi + 1) if rng.random() < 0.9
                                 else rng.choice([lo - 1, hi + 1]))
        items = [v for v in items if not isinstance(v, int) or in_item_range(v)]
        add(prefix + "".join(parts), items)
    return rows


def unpack_cases(rng):
    rows = []

    def add(fmt, data):
        try:
            vals = struct.unpack(fmt, data)
            codes = item_codes(fmt)
            out = ["ok", " ".join(enc_item(v, c) for v, c in zip(vals, codes)) or "-"]
        except Exception as e:  # noqa: BLE001
            out = err(e)
        rows.append([fmt.encode().hex(), data.hex()] + out)

    for prefix in ["@", "<", ">", "!", "="]:
        table = NATIVE if prefix == "@" else STANDARD
        for c in table:
            size = struct.calcsize(prefix + c)
            patterns = [b"\x00" * size, b"\xff" * size, b"\x80" + b"\x00" * (size - 1),
                        b"\x00" * (size - 1) + b"\x80", b"\x7f" + b"\xff" * (size - 1),
                        bytes(range(1, size + 1))]
            if c in "efd":
                patterns += [struct.pack(prefix + c, v) for v in (1.5, -0.0, float("inf"))]
                if c == "e":
                    patterns += [bytes.fromhex(h) for h in ("017c", "7c01", "ff7f", "7fff", "0100",
                                                            "0001", "00fc", "fc00", "ffff")]
                if c == "f":
                    patterns += [bytes.fromhex(h) for h in ("0100807f", "7f800001", "ffffbf7f",
                                                            "01000000", "0000c0ff")]
                if c == "d":
                    patterns += [bytes.fromhex("0100000000f07f7f"), bytes.fromhex("7ff0000000000001")]
            if c == "?":
                patterns += [b"\x02"]
            for data in patterns:
                add(prefix + c, data[:size])
            add(prefix + c, b"\x00" * (size + 1))
            add(prefix + c, b"\x00" * max(size - 1, 0) if size > 1 else b"")
        for n in [0, 1, 3, 5]:
            for data in [b"\x00" * n, b"\x02ab" + b"x" * n, b"\xffabcdef"[:n]]:
                if len(data) == n:
                    add(prefix + "%ds" % n, data)
                    if n:
                        add(prefix + "%dp" % n, data)
    for fmt, data in [("@bq", bytes(16)), ("@c?xP", bytes(range(16))), ("!IHq", bytes(range(14))),
                      ("<10d", bytes(range(80))), ("2x3xi", bytes(range(12))), ("3c", b"xyz"),
                      ("0s", b""), ("", b""), ("", b"x")]:
        add(fmt, data)
    for _ in range(200):
        prefix = rng.choice(["@", "<", ">", "!"])
        table = NATIVE if prefix == "@" else STANDARD
        fmt = prefix + "".join(rng.choice(["", "2", "3"]) + rng.choice(table)
                               for _ in range(rng.randrange(1, 5)))
        size = struct.calcsize(fmt)
        add(fmt, bytes(rng.randrange(256) for _ in range(size)))
    return rows


def format_cases():
    rows = []
    fmts = ["", "@", "x", "3", "3x", "z", "<n", "<N", "<P", "@n", "@N", "@P", "4 s", " 4s ",
            "hh", "@hi", "@bq", "bq", "!IHq", "<10d", "@3c?xP", "@i0q", "5p", "0s", "2x3xi",
            "i ", " i", "\ti\n", "\x0bi\x0c", "é", "h\xe9", "@@i", "<>i", "-1i", "+i", "1.5i",
            "99999999999999999999i", "9223372036854775807q", "9223372036854775807x",
            "9223372036854775807s", "9223372036854775808x", "1152921504606846975q",
            "1152921504606846976q", "4611686018427387904h", "i" * 40, "@" + "bq" * 20,
            "=e", "@e", "@?", "<?", "Z", "!", "!!", "10", "10 ", "@ 3", "@l", "<l", "@L"]
    for f in fmts:
        try:
            out = ["ok", str(struct.calcsize(f))]
        except Exception as e:  # noqa: BLE001
            out = err(e)
        rows.append([f.encode().hex()] + out)
    return rows


def offset_cases():
    rows = []
    for fmt in ["i", "<h", "2s", "0s", "!IHq"]:
        size = struct.calcsize(fmt)
        for buflen in [0, 1, 3, 4, 8, 20]:
            for off in [-25, -9, -8, -5, -4, -3, -2, -1, 0, 1, 2, 4, 5, 19, 20, 21]:
                data = bytes(range(buflen))
                try:
                    vals = struct.unpack_from(fmt, data, off)
                    codes = item_codes(fmt)
                    u = ["ok", " ".join(enc_item(v, c) for v, c in zip(vals, codes)) or "-"]
                except Exception as e:  # noqa: BLE001
                    u = err(e)
                items = [b"ab"] if fmt == "2s" else [b""] if fmt == "0s" else \
                    [1, 2, -3] if fmt == "!IHq" else [258]
                buf = bytearray(b"\xaa" * buflen)
                try:
                    struct.pack_into(fmt, buf, off, *items)
                    p = ["ok", bytes(buf).hex()]
                except Exception as e:  # noqa: BLE001
                    p = err(e)
                rows.append([fmt.encode().hex(), str(buflen), str(off),
                             " ".join(enc_item(v) for v in items)] + u + ["|"] + p)
    return rows


def iter_cases():
    rows = []
    for fmt, data in [("i", bytes(range(12))), ("i", bytes(range(5))), ("0i", b"abc"),
                      ("<hb", bytes(range(9))), ("2s", b"abcdef"), ("x", b""), ("i", b""),
                      ("@hq", bytes(range(32)))]:
        try:
            recs = list(struct.iter_unpack(fmt, data))
            codes = item_codes(fmt)
            out = ["ok", ";".join(" ".join(enc_item(v, c) for v, c in zip(r, codes)) for r in recs)
                   or "-"]
        except Exception as e:  # noqa: BLE001
            out = err(e)
        rows.append([fmt.encode().hex(), data.hex()] + out)
    return rows


def main():
    rng = random.Random(20261121)
    write_vectors("struct", "calcsize", ["format_hex", "ok|err", "size|exc", "message"],
                  format_cases())
    write_vectors("struct", "pack", ["format_hex", "items", "ok|err", "hex|exc", "message"],
                  pack_cases(rng))
    write_vectors("struct", "unpack", ["format_hex", "data_hex", "ok|err", "items|exc", "message"],
                  unpack_cases(rng))
    write_vectors("struct", "offsets", ["format_hex", "buflen", "offset", "items",
                                        "unpack_from: ok items | err exc msg", "|",
                                        "pack_into: ok hex | err exc msg"], offset_cases())
    write_vectors("struct", "iter", ["format_hex", "data_hex", "ok|err", "records|exc", "message"],
                  iter_cases())


if __name__ == "__main__":
    main()
