#!/usr/bin/env python3
"""CPython's answers for the core module: UTF-8 decoding, repr(), OSError
text and the errno -> exception class mapping."""
import errno
import os
import random
import sys

from common import write_vectors

sys.dont_write_bytecode = True


def decode_case(data):
    try:
        text = data.decode("utf-8")
        return [data.hex(), "ok", str(len(text)), ""]
    except UnicodeDecodeError as e:
        return [data.hex(), "err", str(e.start), str(e.end), str(e)]


def utf8_cases(rng):
    fixed = [
        b"", b"a", b"hello", b"\x00", b"\x7f", b"\x80", b"\xbf", b"\xc0\x80",
        b"\xc1\xbf", b"\xc2\x80", b"\xdf\xbf", b"\xc2", b"\xc2A", b"\xe0\x80\x80",
        b"\xe0\x9f\xbf", b"\xe0\xa0\x80", b"\xed\x9f\xbf", b"\xed\xa0\x80",
        b"\xed\xbf\xbf", b"\xee\x80\x80", b"\xef\xbf\xbf", b"\xe2\x82",
        b"\xe2\x82A", b"\xe2A", b"\xf0\x80\x80\x80", b"\xf0\x8f\xbf\xbf",
        b"\xf0\x90\x80\x80", b"\xf4\x8f\xbf\xbf", b"\xf4\x90\x80\x80",
        b"\xf5\x80\x80\x80", b"\xf8\x88\x80\x80\x80", b"\xff", b"\xfe",
        b"\xf0\x90\x80", b"\xf0\x90", b"\xf0", b"\xf0\x90\x80A", b"\xf0\x90A",
        "h\u00e9llo w\u00f6rld".encode(), "\u65e5\u672c\u8a9e".encode(),
        "\U0001F600 emoji".encode(), b"abc" * 20 + b"\xff" + b"x" * 40,
        b"a" * 33 + b"\xc3\xa9" + b"b" * 31 + b"\xe2\x82",
    ]
    rows = [decode_case(b) for b in fixed]
    alphabet = [b"a", b"\x00", b"\x7f", b"\x80", b"\xbf", b"\xc2", b"\xdf", b"\xe0",
                b"\xed", b"\xef", b"\xf0", b"\xf4", b"\xf5", b"\xff", b"\xa0", b"\x90",
                "\u00e9".encode(), "\u20ac".encode(), "\U00010348".encode()]
    for _ in range(400):
        n = rng.randrange(0, 12)
        data = b"".join(rng.choice(alphabet) for _ in range(n))
        if rng.random() < 0.3:
            data = b"x" * rng.randrange(0, 70) + data
        rows.append(decode_case(data))
    return rows


def repr_cases(rng):
    samples = [
        "", "a", "it's", 'say "hi"', "both ' and \"", "back\\slash", "tab\there",
        "nl\nretcr\r", "\x00\x01\x1f\x7f", "\x80\x9f\xa0\xad\xff", "caf\u00e9",
        "\u200b\u200e\u2028\u2029\u3000\ufeff", "\ue000", "\U000F0000",
        "\U0001F600", "\u0378", "\U000E0001", "\U0010FFFF", "\u00a0 nbsp",
        "\u0300 combining", "\u4e2d\u6587",
    ]
    pool = [chr(c) for c in list(range(0, 0x250)) + [0x2028, 0x200d, 0xfff9, 0xfffd,
            0xffff, 0x10000, 0x1d173, 0x1f4a9, 0xe0100, 0xdffff]]
    for _ in range(300):
        samples.append("".join(rng.choice(pool) for _ in range(rng.randrange(0, 8))))
    rows = []
    for s in samples:
        data = s.encode("utf-8")
        rows.append([data.hex(), repr(s).encode("utf-8").hex(), repr(data)])
    # Undecodable bytes: repr of the surrogateescape'd str, as os.fsdecode gives.
    for data in [b"\xff", b"a\x80b", b"\xe2\x82", b"\xed\xa0\x80", b"\xf0\x90\x80'"]:
        s = data.decode("utf-8", "surrogateescape")
        rows.append([data.hex(), repr(s).encode("utf-8").hex(), repr(data)])
    return rows


def printable_cases():
    cps = list(range(0, 0x3000, 7)) + [0x2028, 0x2029, 0xfeff, 0xd800, 0xdfff,
            0xe000, 0xf8ff, 0xfffe, 0x10ffff, 0x110000, 0xe0001, 0x1f600]
    return [["%x" % cp, "1" if cp < 0x110000 and chr(cp).isprintable() else "0"]
            for cp in cps]


def oserror_cases():
    rows = []
    names = [n for n in dir(errno) if n.startswith("E") and n.isupper()]
    seen = set()
    for n in sorted(names):
        e = getattr(errno, n)
        if e in seen:
            continue
        seen.add(e)
        exc = OSError(e, os.strerror(e))
        rows.append([str(e), type(exc).__name__, errno.errorcode[e], os.strerror(e)])
    return rows


def oserror_text_cases():
    rows = []
    files = [None, "x", "a b", "it's", "new\nline", "caf\u00e9", "\u200b", "q\"'"]
    for e in [errno.ENOENT, errno.EACCES, errno.EXDEV, errno.EEXIST]:
        for f1 in files:
            for f2 in ([None, "dst"] if f1 else [None]):
                exc = OSError(e, os.strerror(e), f1, None, f2)
                rows.append([str(e), (f1 or "").encode().hex() if f1 else "-",
                             f2.encode().hex() if f2 else "-",
                             str(exc).encode().hex()])
    return rows


def main():
    rng = random.Random(20261121)
    write_vectors("core", "utf8", ["input_hex", "ok|err", "count|start", "end", "message"],
                  utf8_cases(rng))
    write_vectors("core", "repr", ["utf8_hex", "repr_str_hex", "repr_bytes"], repr_cases(rng))
    write_vectors("core", "printable", ["codepoint_hex", "isprintable"], printable_cases())
    write_vectors("core", "errno", ["errno", "exception", "symbol", "strerror"], oserror_cases())
    write_vectors("core", "oserror", ["errno", "filename_hex", "filename2_hex", "str_hex"],
                  oserror_text_cases())


if __name__ == "__main__":
    main()
