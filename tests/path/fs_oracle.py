"""CPython's side of tests/path/test_path_fs.c: answers os.path requests about
the fixture tree the C test built, in the directory it runs in.

One request per line on stdin, "<function>\\t<hex arg>\\t<hex arg>...";
one answer line per request on stdout, in the format the C test writes for
its own answer, so the two are compared as strings:

    ok<TAB><hex of a path> | ok<TAB>1|0 | ok<TAB><integer>
    ok<TAB><16 hex digits: the bits of a double>
    err<TAB><exception class><TAB><hex of str(exception)>

The C test runs this with `python3 -I -c <this file's text>`, so it can run
it from any directory and as any user.
"""
import os
import os.path
import struct
import sys


def fs(h):
    return os.fsdecode(bytes.fromhex(h))


def out_path(s):
    return "ok\t" + os.fsencode(s).hex()


def out_bool(b):
    return "ok\t" + ("1" if b else "0")


def out_float(x):
    return "ok\t%016x" % struct.unpack("<Q", struct.pack("<d", x))[0]


def open_fd(p):
    # Descriptors as the C side opens them: O_RDONLY (O_CLOEXEC makes no
    # difference here); "-1" and other numbers are taken as they are.
    try:
        return int(p)
    except ValueError:
        return os.open(p, os.O_RDONLY)


def answer(fn, a):
    if fn == "realpath":
        return out_path(os.path.realpath(a[0]))
    if fn == "realpath_strict":
        return out_path(os.path.realpath(a[0], strict=True))
    if fn == "abspath":
        return out_path(os.path.abspath(a[0]))
    if fn == "relpath":
        return out_path(os.path.relpath(a[0], a[1] if len(a) > 1 else None))
    if fn == "expanduser":
        return out_path(os.path.expanduser(a[0]))
    if fn in ("exists", "lexists", "isfile", "isdir", "islink", "ismount"):
        return out_bool(getattr(os.path, fn)(a[0]))
    if fn == "getsize":
        return "ok\t%d" % os.path.getsize(a[0])
    if fn in ("getmtime", "getatime", "getctime"):
        return out_float(getattr(os.path, fn)(a[0]))
    if fn in ("getmtime_ns", "getatime_ns", "getctime_ns"):
        return "ok\t%d" % getattr(os.stat(a[0]), "st_" + fn[3:])
    if fn == "samefile":
        return out_bool(os.path.samefile(a[0], a[1]))
    if fn == "sameopenfile":
        fds = [open_fd(p) for p in a]
        try:
            return out_bool(os.path.sameopenfile(fds[0], fds[1]))
        finally:
            for p, fd in zip(a, fds):
                if fd >= 0 and not p.lstrip("-").isdigit():
                    os.close(fd)
    raise ValueError("unknown function %r" % fn)


def main():
    for line in sys.stdin:
        fields = line.rstrip("\n").split("\t")
        args = [fs(h) for h in fields[1:]]
        try:
            text = answer(fields[0], args)
        except Exception as e:  # noqa: BLE001 - the exception is the answer
            text = "err\t%s\t%s" % (type(e).__name__, str(e).encode(
                "utf-8", "surrogateescape").hex())
        print(text, flush=True)


main()
