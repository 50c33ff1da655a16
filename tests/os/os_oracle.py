#!/usr/bin/env python3
"""CPython's os module on a fixture tree, for tests/os.

Usage: os_oracle.py ROOT < commands > answers

Runs in ROOT. Each command line is tab-separated: an operation name, then
its arguments hex-encoded (file names are bytes; text is UTF-8). Each answer
is one line, in the format the C tests print for the same call:

  listdir P            names, hex, comma-separated, in directory order
  scandir P            per entry name:path:inode:is_dir:is_file:is_symlink:
                       is_dir(False):is_file(False):stat().st_ino:
                       stat(False).st_ino (comma-separated)
  stat P FOLLOW        the stat_result fields (floats as IEEE-754 hex bits)
  walk TOP FLAGS       the steps and errors of os.walk, ';'-separated
  fwalk TOP FLAGS      the same for os.fwalk (plus fstat(dirfd).st_ino)
  call OP ARGS...      any other os call: "ok[:value]" or "Exc:message"

A failing call answers "Exc:message" (type name, str(exc)). Walk FLAGS: t
top-down (else bottom-up), f followlinks, p prune dirnames starting with
"skip", r reverse dirnames, a append "ghost" to dirnames, x onerror raises.

With followlinks, the library does not enter a directory that is one of its
own ancestors (same st_dev, st_ino) and reports ELOOP for it to onerror;
CPython has no such check (it descends until the path is too long). The
walk here is CPython's own os.walk/os.fwalk with that one rule added the
way a caller would add it: pruning dirnames top-down. Bottom-up walks with
followlinks are the same tree of calls produced in post-order.
"""
import errno
import os
import re
import struct
import sys

SENTINEL = "/nonexistent-bt-os-oracle/%d"


def h(b):
    if isinstance(b, str):
        b = os.fsencode(b)
    return b.hex()


def unhex(s):
    return bytes.fromhex(s)


def fmt_exc(e):
    return "%s:%s" % (type(e).__name__, e)


def fbits(x):
    return struct.pack(">d", x).hex()


def stat_line(st):
    return " ".join(str(v) for v in (
        st.st_mode, st.st_ino, st.st_dev, st.st_nlink, st.st_uid, st.st_gid,
        st.st_size, st.st_atime_ns, st.st_mtime_ns, st.st_ctime_ns,
        fbits(st.st_atime), fbits(st.st_mtime), fbits(st.st_ctime),
        st.st_blocks, st.st_blksize, st.st_rdev))


def attempt(f):
    try:
        v = f()
    except OSError as e:
        return "E%d" % e.errno
    return str(int(v)) if isinstance(v, bool) else str(v)


def scandir_line(p):
    out = []
    with os.scandir(p) as it:
        for e in it:
            out.append(":".join([
                h(e.name), h(e.path), str(e.inode()),
                attempt(e.is_dir), attempt(e.is_file), attempt(e.is_symlink),
                attempt(lambda: e.is_dir(follow_symlinks=False)),
                attempt(lambda: e.is_file(follow_symlinks=False)),
                attempt(lambda: e.stat().st_ino),
                attempt(lambda: e.stat(follow_symlinks=False).st_ino)]))
    return ",".join(out)


def modify(dirs, flags):
    """What the C test does to dirnames (top-down) before the next step."""
    if "p" in flags:
        dirs[:] = [d for d in dirs if not os.fsencode(d).startswith(b"skip")]
    if "r" in flags:
        dirs.reverse()
    if "a" in flags:
        dirs.append("ghost")


class Stop(Exception):
    pass


class Walk:
    """Runs os.walk / os.fwalk and records its steps and onerror calls."""

    def __init__(self, fwalk, top, flags):
        self.fwalk, self.top, self.flags = fwalk, top, flags
        self.events = []
        self.follow = "f" in flags
        self.sentinels = {}
        self.ids = {}
        self.parent = {}

    def onerror(self, e):
        if e.filename in self.sentinels:
            real = self.sentinels[e.filename]
            e = OSError(errno.ELOOP, os.strerror(errno.ELOOP), real)
            self.events.append(("E", real, e))
        else:
            name = e.filename if isinstance(e.filename, str) else ""
            self.events.append(("E", name, e))
        if "x" in self.flags:
            raise Stop()

    def run(self, topdown, apply_flags):
        if self.fwalk:
            gen = os.fwalk(self.top, topdown, self.onerror,
                           follow_symlinks=self.follow)
        else:
            gen = os.walk(self.top, topdown, self.onerror, self.follow)
        try:
            for step in gen:
                dirpath, dirs, files = step[:3]
                extra = ""
                if self.fwalk:
                    extra = str(os.fstat(step[3]).st_ino)
                self.events.append(("Y", dirpath, list(dirs), list(files),
                                    extra))
                if apply_flags:
                    modify(dirs, self.flags)
                if self.follow and topdown:
                    self.guard(dirpath, dirs, step[3] if self.fwalk else None)
        except Stop:
            self.events.append(("STOP",))

    def guard(self, dirpath, dirs, dirfd):
        """The library's loop rule, as a caller's pruning: a dir equal to an
        ancestor is replaced by a path that cannot exist, so that CPython
        reports it to onerror exactly when it would have entered it."""
        st = os.fstat(dirfd) if dirfd is not None else os.stat(dirpath)
        self.ids[dirpath] = (st.st_dev, st.st_ino)
        chain, p = set(), dirpath
        while p is not None:
            chain.add(self.ids[p])
            p = self.parent.get(p)
        for i, d in enumerate(dirs):
            child = os.path.join(dirpath, d)
            self.parent[child] = dirpath
            try:
                if dirfd is not None:
                    cst = os.stat(d, dir_fd=dirfd)
                else:
                    cst = os.stat(child)
            except OSError:
                continue
            if (cst.st_dev, cst.st_ino) in chain:
                s = SENTINEL % len(self.sentinels)
                self.sentinels[s] = child
                dirs[i] = s

    def postorder(self):
        """Bottom-up order of a top-down run: children (in order), then the
        directory itself. An event's parent is known from the paths guard()
        saw (fwalk names only the failing name in its errors: those other
        than loops would be placed at the top; the fixture has none)."""
        kids, roots = {}, []
        for ev in self.events:
            par = self.parent.get(ev[1])
            (kids.setdefault(par, []) if par is not None else roots).append(ev)
        out = []

        def visit(ev):
            if ev[0] == "Y":
                for k in kids.get(ev[1], []):
                    visit(k)
            out.append(ev)
        for ev in roots:
            visit(ev)
        return out

    def line(self):
        topdown = "t" in self.flags
        if self.follow and not topdown:
            self.run(True, False)
            events = self.postorder()
        else:
            self.run(topdown, True)
            events = self.events
        parts = []
        for ev in events:
            if ev[0] == "Y":
                parts.append("Y:%s:%s:%s%s" % (
                    h(ev[1]), ",".join(h(d) for d in ev[2]),
                    ",".join(h(f) for f in ev[3]),
                    ":" + ev[4] if ev[4] else ""))
            elif ev[0] == "E":
                parts.append("E:%s" % fmt_exc(ev[2]))
            else:
                parts.append("STOP")
        return ";".join(parts)


def call(op, args):
    s = [os.fsdecode(a) for a in args]
    if op == "mkdir":
        os.mkdir(s[0], int(s[1]))
    elif op == "makedirs":
        os.makedirs(s[0], int(s[1]), exist_ok=s[2] == "1")
    elif op in ("remove", "unlink", "rmdir", "removedirs", "chdir"):
        getattr(os, op)(s[0])
    elif op in ("rename", "replace", "renames", "link", "symlink"):
        getattr(os, op)(s[0], s[1])
    elif op == "readlink":
        return h(os.readlink(s[0]))
    elif op == "chmod":
        os.chmod(s[0], int(s[1]))
    elif op in ("chown", "lchown"):
        getattr(os, op)(s[0], int(s[1]), int(s[2]))
    elif op == "truncate":
        os.truncate(s[0], int(s[1]))
    elif op == "utime":
        os.utime(s[0], None if s[1] == "now" else (float(s[1]), float(s[2])),
                 follow_symlinks=s[3] == "1")
    elif op == "utime_ns":
        os.utime(s[0], ns=(int(s[1]), int(s[2])), follow_symlinks=s[3] == "1")
    elif op == "times":
        st = os.lstat(s[0])
        return "%d %d" % (st.st_atime_ns, st.st_mtime_ns)
    elif op == "access":
        return str(int(os.access(s[0], int(s[1]))))
    elif op == "open":
        os.close(os.open(s[0], int(s[1]), int(s[2])))
    elif op == "listdir":
        return ",".join(h(n) for n in os.listdir(s[0]))
    elif op == "stat":
        os.stat(s[0])
    elif op == "lstat":
        os.lstat(s[0])
    elif op == "scandir":
        os.scandir(s[0]).close()
    elif op == "fwalk_top":
        for _ in os.fwalk(s[0]):
            pass
    elif op == "exists":
        return str(int(os.path.lexists(s[0])))
    elif op == "tree":
        out = []
        for dp, dn, fn in os.walk(s[0]):
            out += [os.path.join(dp, n) for n in sorted(dn + fn)]
        return ",".join(h(p) for p in sorted(out))
    else:
        raise SystemExit("unknown op " + op)
    return None


def answer(fields):
    op, args = fields[0], [unhex(a) for a in fields[1:]]
    try:
        if op == "listdir":
            return ",".join(h(n) for n in os.listdir(os.fsdecode(args[0])))
        if op == "scandir":
            return scandir_line(os.fsdecode(args[0]))
        if op == "stat":
            return stat_line(os.stat(os.fsdecode(args[0]),
                                     follow_symlinks=args[1] == b"1"))
        if op in ("walk", "fwalk"):
            return Walk(op == "fwalk", os.fsdecode(args[0]),
                        args[1].decode()).line()
        if op == "call":
            v = call(args[0].decode(), args[1:])
            return "ok" if v is None else "ok:" + v
    except (OSError, ValueError, OverflowError) as e:
        if op in ("walk", "fwalk"):
            # Raised from the walk: a descriptor's number differs between
            # the two processes.
            return re.sub(r": \d+$", ": FD", fmt_exc(e))
        return fmt_exc(e)
    raise SystemExit("unknown command " + op)


def main():
    os.chdir(sys.argv[1])
    out = sys.stdout.buffer
    for line in sys.stdin.buffer:
        fields = line.rstrip(b"\n").decode("ascii").split("\t")
        res = answer(fields)
        out.write(res.encode("utf-8", "backslashreplace") + b"\n")
        out.flush()


if __name__ == "__main__":
    main()
