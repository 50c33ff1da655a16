#!/usr/bin/env python3
"""CPython's answers for getopt.getopt and getopt.gnu_getopt (getopt.tsv),
and for argparse (argparse.tsv): parsers described in a small spec language
(SPEC_DOC below) that tests/argparse/test_argparse.c reads too, each with
many command lines and CPython's namespace or exact error text and exit
status, and the --help text at two terminal widths. Fields are hex so any
argument can appear; lists are joined with NUL bytes before hex-encoding."""
import os
import random
import sys

# This folder holds an argparse.py (this file): import the standard library's.
_HERE = sys.path.pop(0)
import argparse  # noqa: E402
import contextlib  # noqa: E402
import getopt  # noqa: E402
import io  # noqa: E402

sys.path.insert(0, _HERE)
from common import write_vectors  # noqa: E402


def enc(items):
    return "\0".join(items).encode("utf-8", "surrogateescape").hex() + "|%d" % len(items)


def case(fn, args, short, longs):
    try:
        opts, rest = fn(args, short, longs)
        flat = [x for pair in opts for x in pair]
        return ["ok", enc(flat), enc(rest)]
    except getopt.GetoptError as e:
        return ["err", str(e).encode().hex(), e.opt.encode().hex()]


FIXED = [
    (['-ab', '-cfoo', '-d', 'bar', 'a1', 'a2'], 'abc:d:', []),
    (['--cond=foo', '--testing', '--ofile', 'abc.def', '-x', 'a1', 'a2'], 'x',
     ['cond=', 'ofile=', 'testing']),
    (['-a', 'x', '-b'], 'ab', []), (['--', '-a'], 'a', []), (['-', '-a'], 'a', []),
    (['-z'], 'a', []), (['-c'], 'c:', []), (['--nope'], '', ['yes']),
    (['--te'], '', ['test', 'team']), (['--te'], '', ['test']), (['--test=1'], '', ['test']),
    (['--test'], '', ['test=']), (['--test'], '', ['test', 'test=']),
    (['--test=v'], '', ['test', 'test=']), (['--t=v'], '', ['test=', 'tex']),
    (['--=x'], '', ['']), (['--='], '', ['=']), (['-a-b'], 'a-b', []), (['-:'], 'a:', []),
    (['-é'], 'é', []), (['-éx'], 'é:', []), (['-a', '--', 'b'], 'a', []),
    (['x', '-a'], 'a', []), (['-ca', '-b'], 'c:ab', []), (['--long', 'v', 'rest'], '', ['long=']),
    (['-'], '', []), ([], 'a', []), (['--'], '', []), (['---'], '', ['-']),
    (['--a', '--ab'], '', ['ab', 'abc']), (['-a', 'b', '-c', 'd'], '+ac', []),
]


def main():
    rng = random.Random(20261121)
    os.environ.pop("POSIXLY_CORRECT", None)
    rows = []
    cases = list(FIXED)
    pieces = ['-a', '-b', '-c', '-cv', '-abc', '-x', '--', '-', 'arg', '--long', '--lo',
              '--long=v', '--flag', '--fl', '--flag=1', '--other', '--o', 'val', '-ca', '--l']
    for _ in range(400):
        args = [rng.choice(pieces) for _ in range(rng.randrange(0, 6))]
        short = rng.choice(['abc:', 'a:b', 'ab', '+ab:c', 'c:', 'x'])
        longs = rng.choice([[], ['long=', 'flag'], ['long', 'longer=', 'flag', 'flags='],
                            ['other=', 'flag']])
        cases.append((args, short, longs))
    for args, short, longs in cases:
        for name, fn in (("getopt", getopt.getopt), ("gnu_getopt", getopt.gnu_getopt)):
            rows.append([name, enc(args), short.encode().hex(), enc(longs)] +
                        case(fn, args, short, longs))
    write_vectors("argparse", "getopt", ["function", "args", "shortopts_hex", "longopts",
                                         "ok|err", "opts|message_hex", "args|opt_hex"], rows)


if __name__ == "__main__":
    main()
    from argparse_specs import main as argparse_main  # noqa: E402

    argparse_main(argparse, contextlib, io, enc, write_vectors)
