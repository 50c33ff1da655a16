#!/usr/bin/env python3
"""CPython's answers for os.path (posixpath): every pure function over a few
hundred paths, written to tests/path/vectors/.

Paths and results are hex of their bytes. A path is handed to Python as a
str decoded with os.fsdecode (surrogateescape), the way Python sees a file
name that is not valid UTF-8, and each result is encoded back with
os.fsencode: so the C library, which works on bytes, is held to Python's
str semantics (commonprefix counts characters, not bytes).

The environment matters for expandvars and expanduser: env.tsv lists the
variables this generator sets (and the ones it makes sure are unset); the C
test sets the same before replaying. expanduser rows carry their HOME.
relpath and abspath rows carry the directory they ran in ('/' or '/usr').
"""
import os
import posixpath
import random
import sys

sys.dont_write_bytecode = True
from common import write_vectors  # noqa: E402

SEED = 20240611

# Components the random paths are made of.
NAMES = ["", ".", "..", "...", "a", "b", "abc", ".bashrc", "a.b", "a.b.c",
         "x.", ".a.", "..a", "a..", "tar.gz", "\u00e9", "\u65e5\u672c.txt",
         "\U0001f600", "~", "$", "sp ace", "-", "a\\b", "c:"]
SEPS = ["/", "/", "/", "//", "///"]

EDGE = [
    "", ".", "..", "...", "/", "//", "///", "////", "/.", "/..", "//.", "//..",
    "///..", "./", "../", ".//", "..//", "./.", "../..", "../../", "/../..",
    "//../..", "a", "a/", "a//", "/a", "//a", "///a", "////a", "/a/", "//a//",
    "a/b", "a//b", "a///b", "a/./b", "a/../b", "a/b/..", "a/b/../..",
    "a/b/../../..", "/a/b/../../..", "//a/b/../../..", "./a", "../a", ".a",
    "a.", "a.b", "a.b.c", ".a.b", "..a", "a..b", "a/.b", "a/..b", "a/b.",
    "a/.", "a/..", ".bashrc", "/.bashrc", "a/.bashrc", "..bashrc", "...b",
    "a.b/c", "a.b/c.d", "a.b/.c", "a/b.c/", "a/b.c//", "/a.b.c/d.e.f",
    "foo.tar.gz", "./.x", "~", "~/", "~/x", "~root", "~root/x", "~x/y",
    "$HOME", "${HOME}", "\u00e9", "\u00e9/\u00e8", "/\u65e5\u672c/\u8a9e.txt",
    "\U0001f600.\U0001f601", " ", " /", "/ ", "a b/c d", "a\\b", "c:\\x",
    "\t", "a\nb", "/usr/lib/python3.11/os.py", "/usr/local/../lib/./x//",
    "../../x/../y", "./../.", "x/./../.", "/./x", "/../x", "//../x",
]

# Not valid UTF-8: Python sees them through surrogateescape.
RAW = [b"\xff", b"/\xff/..", b"\xc3", b"\xc3/\xa9", b"a.\xff", b"\xe2\x82/x",
       b"\xed\xa0\x80.x", b"\xf0\x9f\x98", b"\x80.b"]


def dec(b):
    return os.fsdecode(b)


def enc(s):
    return os.fsencode(s).hex()


def random_path(rng, names=NAMES):
    out = []
    if rng.random() < 0.4:
        out.append(rng.choice(SEPS))
    for k in range(rng.randrange(1, 6)):
        if k:
            out.append(rng.choice(SEPS))
        out.append(rng.choice(names))
    if rng.random() < 0.2:
        out.append(rng.choice(SEPS))
    return "".join(out)


def corpus(rng):
    paths = list(EDGE) + [dec(b) for b in RAW]
    paths += [random_path(rng) for _ in range(300)]
    seen, out = set(), []
    for p in paths:
        if p not in seen:
            seen.add(p)
            out.append(p)
    return out


def unary_rows(paths):
    rows = []
    for p in paths:
        head, tail = posixpath.split(p)
        root, ext = posixpath.splitext(p)
        drive, rest = posixpath.splitdrive(p)
        rows.append([enc(p), "1" if posixpath.isabs(p) else "0", enc(head), enc(tail),
                     enc(root), enc(ext), enc(posixpath.dirname(p)),
                     enc(posixpath.basename(p)), enc(posixpath.normpath(p)),
                     enc(posixpath.normcase(p)), enc(drive), enc(rest)])
    return rows


def join_rows(rng, paths):
    rows = [["0", "-", "err", "TypeError"]]
    lists = [[p] for p in paths[:40]]
    lists += [["a", ""], ["", "a"], ["", ""], ["a", "", "b"], ["/", "a"], ["a", "/"],
              ["a/", "b"], ["a//", "b"], ["a", "/b", "c"], ["/a", "/b"], ["", "/"],
              ["a", "b/", ""], ["//", "a"], ["a", "//b", ""], ["", "", ""]]
    for _ in range(200):
        lists.append([rng.choice(paths) for _ in range(rng.randrange(1, 6))])
    for parts in lists:
        rows.append([str(len(parts)), ",".join(enc(p) for p in parts), "ok",
                     enc(posixpath.join(*parts))])
    return rows


def prefix_lists(rng, paths):
    lists = [[], [""], ["a"], ["/usr/lib", "/usr/local"], ["abc", "abd", "ab"],
             ["\u00e9", "\u00e8"], ["a\u00e9", "a\u00e9b"], ["x", ""],
             [dec(b"\xc3X"), dec(b"\xc3\xa9")], [dec(b"\xc3\xa9"), dec(b"\xc3X")],
             [dec(b"a\xff"), dec(b"a\xfe")], [dec(b"\xe2\x82\xac"), dec(b"\xe2\x82")],
             ["/a/b", "/a/b/"], ["/a", "/a/./b"], ["a", "a"], ["/", "/"],
             ["\U0001f600", "\U0001f601"], ["a/b/c", "a/b/d", "a/x"],
             ["/a//b", "/a/b"], ["a/./b", "a/b/c"], [".", "./a"], ["..", "../a"],
             ["/a", "b"], ["", "/"], ["/", ""], ["a", "/a", "b"]]
    for _ in range(250):
        k = rng.randrange(1, 5)
        base = rng.choice(paths)
        lists.append([base + random_path(rng) if rng.random() < 0.5 else rng.choice(paths)
                      for _ in range(k)])
    return lists


def commonprefix_rows(lists):
    return [[str(len(v)), ",".join(enc(p) for p in v) if v else "-",
             enc(posixpath.commonprefix(v))] for v in lists]


def commonpath_rows(lists):
    rows = []
    for v in lists:
        try:
            row = ["ok", enc(posixpath.commonpath(v)), ""]
        except ValueError as e:
            row = ["err", "ValueError", str(e)]
        rows.append([str(len(v)), ",".join(enc(p) for p in v) if v else "-"] + row)
    return rows


CWDS = ["/", "/usr"]


def relpath_rows(rng, paths):
    rows = []
    pairs = [(p, None) for p in paths[:60]]
    pairs += [("/a/b", "/a"), ("/a", "/a/b"), ("/a/b", "/c/d"), ("/", "/"), ("a", "a"),
              ("a", ""), ("", "a"), ("", None), ("/x", "//x"), ("//x", "/x"),
              ("/usr/lib", "/usr/lib/python3"), ("a/b", "../c"), ("..", "."),
              ("\u00e9/x", "\u00e9/y"), ("/a/./b/../c", "/a//c/d/")]
    for _ in range(200):
        pairs.append((rng.choice(paths), rng.choice(paths + [None])))
    for cwd in CWDS:
        os.chdir(cwd)
        for p, start in pairs:
            try:
                row = ["ok", enc(posixpath.relpath(p, start)), ""]
            except ValueError as e:
                row = ["err", "ValueError", str(e)]
            rows.append([enc(cwd), enc(p), "-" if start is None else enc(start)] + row)
    return rows


def abspath_rows(paths):
    rows = []
    for cwd in CWDS:
        os.chdir(cwd)
        for p in paths:
            rows.append([enc(cwd), enc(p), enc(posixpath.abspath(p))])
    return rows


ENV_SET = {
    "BT_PV_A": "alpha",
    "BT_PV_B": "/b/dir/",
    "BT_PV_EMPTY": "",
    "BT_PV_DOLLAR": "$BT_PV_A",
    "BT_PV_UNI": "\u00e9\u65e5",
    "BT PV SPACE": "sp",
    "BT_PV_BRACE": "}{",
    "_": "underscore",
    "BT_PV_1": "one",
}
ENV_UNSET = ["BT_PV_UNSET", "BT_PV_AB", "BT_PV_", "BT_PV_a", "1BT"]


def env_rows():
    rows = [["set", enc(k), enc(v)] for k, v in ENV_SET.items()]
    rows += [["unset", enc(k), "-"] for k in ENV_UNSET]
    return rows


def expandvars_rows(rng, paths):
    for k, v in ENV_SET.items():
        os.environ[k] = v
    for k in ENV_UNSET:
        os.environ.pop(k, None)
    cases = ["$", "$$", "${", "${}", "$}", "${BT_PV_A", "$BT_PV_A", "${BT_PV_A}",
             "$BT_PV_AB", "${BT_PV_A}B", "$BT_PV_A/x", "x$BT_PV_A.y", "$BT_PV_B$BT_PV_A",
             "${BT_PV_B}/${BT_PV_A}", "$BT_PV_EMPTY", "a${BT_PV_EMPTY}b", "$BT_PV_DOLLAR",
             "$BT_PV_UNI", "${BT PV SPACE}", "$BT PV SPACE", "${BT_PV_BRACE}",
             "${BT_PV_BRACE}}", "$BT_PV_UNSET", "${BT_PV_UNSET}", "$BT_PV_", "$BT_PV_a",
             "$1BT", "$BT_PV_1", "$_", "${_}", "$_x", "$-", "$/", "$.", "a$", "$ {BT_PV_A}",
             "${BT_PV_A${BT_PV_B}}", "${${BT_PV_A}}", "$$BT_PV_A", "\\$BT_PV_A",
             "'$BT_PV_A'", "$BT_PV_A$", "${a}b${BT_PV_A}c$BT_PV_B", "$\u00e9",
             "$BT_PV_A\u00e9", "${\u00e9}", "~/$BT_PV_A", "no dollar", "",
             "${BT_PV_A}${BT_PV_A}${BT_PV_A}", "$BT_PV_A" * 20, "${" + "x" * 50 + "}"]
    tokens = ["$BT_PV_A", "${BT_PV_B}", "$BT_PV_UNSET", "${", "}", "$", "$_", "{",
              "${BT_PV_UNI}", "${BT PV SPACE}", "$BT_PV_EMPTY", "$BT_PV_DOLLAR", "/", "x",
              "\u00e9", "${BT_PV_1}", "$1"]
    for _ in range(200):
        cases.append("".join(rng.choice(tokens) for _ in range(rng.randrange(1, 7))))
    cases += paths[:40]
    rows, seen = [], set()
    for p in cases:
        if p not in seen:
            seen.add(p)
            rows.append([enc(p), enc(posixpath.expandvars(p))])
    return rows


HOMES = ["/home/tester", "/home/tester/", "/", "", "//", "/x//y//", "rel/home", "/h\u00e9"]
USERS = ["root", "daemon", "bin", "sys", "nobody", "bt_no_such_user", "", "ro", "root ",
         "r\u00e9"]


def expanduser_rows(rng, paths):
    cases = ["~", "~/", "~//", "~/x", "~/x/", "x/~", "~~", "~~/x", " ~", "", "/~",
             "~/.bashrc", "~/\u00e9"]
    for u in USERS:
        cases += ["~" + u, "~" + u + "/", "~" + u + "/x/y", "~" + u + "//z"]
    cases += paths[:30]
    rows = []
    for home in HOMES:
        os.environ["HOME"] = home
        for p in cases:
            rows.append([enc(home), enc(p), enc(posixpath.expanduser(p))])
    for _ in range(50):
        home = rng.choice(HOMES)
        os.environ["HOME"] = home
        p = "~" + rng.choice(["", "root", "nobody", "bt_no_such_user"]) + random_path(rng)
        rows.append([enc(home), enc(p), enc(posixpath.expanduser(p))])
    return rows


def main():
    rng = random.Random(SEED)
    paths = corpus(rng)
    write_vectors("path", "unary",
                  ["path", "isabs", "split_head", "split_tail", "splitext_root",
                   "splitext_ext", "dirname", "basename", "normpath", "normcase",
                   "splitdrive_drive", "splitdrive_rest"], unary_rows(paths))
    write_vectors("path", "join", ["count", "parts(,)", "ok|err", "result|exc"],
                  join_rows(rng, paths))
    lists = prefix_lists(rng, paths)
    write_vectors("path", "commonprefix", ["count", "paths(,)|-", "result"],
                  commonprefix_rows(lists))
    write_vectors("path", "commonpath",
                  ["count", "paths(,)|-", "ok|err", "result|exc", "message"],
                  commonpath_rows(lists))
    write_vectors("path", "relpath",
                  ["cwd", "path", "start|-", "ok|err", "result|exc", "message"],
                  relpath_rows(rng, paths))
    write_vectors("path", "abspath", ["cwd", "path", "result"], abspath_rows(paths))
    write_vectors("path", "env", ["set|unset", "name", "value|-"], env_rows())
    write_vectors("path", "expandvars", ["path", "result"], expandvars_rows(rng, paths))
    write_vectors("path", "expanduser", ["HOME", "path", "result"],
                  expanduser_rows(rng, paths))


if __name__ == "__main__":
    main()
