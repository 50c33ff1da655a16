#!/usr/bin/env python3
"""CPython's shutil on a fixture tree, for tests/shutil/test_shutil.c.

  shutil_oracle.py ROOT OP ARGS...   runs shutil.OP in ROOT (as the cwd) and
                                     prints "ok RESULT" or "err KIND MESSAGE"
  shutil_oracle.py ROOT snapshot     prints the tree: one line per entry with
                                     its type, mode, size, content hash, link
                                     target and mtime (ns)
KIND is "errno:N" for an OSError (FileNotFoundError without errno counts as
2), "shutil" for shutil.Error and its subclasses, "lookup", "value"."""
import errno
import hashlib
import os
import shutil
import stat
import sys

root, op, args = sys.argv[1], sys.argv[2], sys.argv[3:]
os.chdir(root)


def flag(s):
    return s == "1"


def snapshot():
    for dirpath, dirnames, filenames in os.walk(".", followlinks=False):
        dirnames.sort()
        for name in sorted(dirnames + filenames):
            p = os.path.join(dirpath, name)
            st = os.lstat(p)
            kind = "l" if stat.S_ISLNK(st.st_mode) else "d" if stat.S_ISDIR(st.st_mode) else \
                "p" if stat.S_ISFIFO(st.st_mode) else "f"
            extra = ""
            if kind == "l":
                extra = os.readlink(p)
            elif kind == "f":
                with open(p, "rb") as f:
                    extra = hashlib.sha256(f.read()).hexdigest()[:16]
            # The fixture's fixed times (2001-2004) must carry over exactly;
            # anything made during the test just reads "new".
            mtime = st.st_mtime_ns if st.st_mtime_ns < 1.2e18 else "new"
            print(p, kind, oct(stat.S_IMODE(st.st_mode)) if kind != "l" else "-", extra, mtime)


if op == "snapshot":
    snapshot()
    sys.exit(0)

try:
    if op == "copyfile":
        r = shutil.copyfile(args[0], args[1], follow_symlinks=flag(args[2]))
    elif op == "copy":
        r = shutil.copy(args[0], args[1], follow_symlinks=flag(args[2]))
    elif op == "copy2":
        r = shutil.copy2(args[0], args[1], follow_symlinks=flag(args[2]))
    elif op == "copymode":
        r = shutil.copymode(args[0], args[1], follow_symlinks=flag(args[2]))
    elif op == "copystat":
        r = shutil.copystat(args[0], args[1], follow_symlinks=flag(args[2]))
    elif op == "copytree":
        ignore = shutil.ignore_patterns(*args[5].split(",")) if len(args) > 5 else None
        r = shutil.copytree(args[0], args[1], symlinks=flag(args[2]),
                            ignore_dangling_symlinks=flag(args[3]), dirs_exist_ok=flag(args[4]),
                            ignore=ignore)
    elif op == "rmtree":
        r = shutil.rmtree(args[0], ignore_errors=flag(args[1]))
    elif op == "move":
        r = shutil.move(args[0], args[1])
    elif op == "which":
        r = shutil.which(args[0], path=None if args[1] == "-" else args[1])
    elif op == "disk_usage":
        r = shutil.disk_usage(args[0]).total
    elif op == "chown":
        r = shutil.chown(args[0], None if args[1] == "-" else args[1],
                         None if args[2] == "-" else args[2])
    else:
        raise SystemExit("unknown op " + op)
    print("ok", ("None" if op == "which" else "") if r is None else r)
except shutil.Error as e:
    print("err shutil", e)
except OSError as e:
    n = e.errno if e.errno is not None else (2 if isinstance(e, FileNotFoundError) else 0)
    if isinstance(e, shutil.SpecialFileError):
        print("err shutil", e)  # batteries: BT_ESHUTIL (an OSError without errno here)
    else:
        if e.errno is None and str(e) == "Cannot call rmtree on a symbolic link":
            n = errno.ELOOP  # batteries needs a code: ELOOP (documented)
        print("err errno:%d" % n, e)
except LookupError as e:
    print("err lookup", e)
except ValueError as e:
    print("err value", e)
