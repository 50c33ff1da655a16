#!/usr/bin/env python3
"""CPython's answers for the re module.

Writes tests/re/vectors/*.tsv. Every field that holds text is hex (UTF-8
for str patterns, the bytes themselves for bytes patterns); every position
is a byte offset (CPython's character offsets converted here). Results are
'ok', 'none' or the exception's name (re.error, ValueError, OverflowError,
IndexError); messages are Python's str(exc).

Files:
  compile   kind flags pattern -> result message pos flags groups groupindex
  match     func kind flags pattern subject pos endpos -> result spans
            lastindex lastgroup message
  findall   kind flags pattern subject pos endpos -> result count items
  finditer  kind flags pattern subject pos endpos -> result matches
  split     kind flags pattern subject maxsplit -> result items (None: ~)
  sub       kind flags pattern repl subject count -> result out n message
  expand    kind flags pattern subject template -> result out message
  escape    kind text -> out
  casefold  pattern-char subject-char in-a-set? -> (?i) match?
"""
import random
import sys
import unicodedata
import warnings

# This folder holds a re.py (this file): import the standard library's.
_HERE = sys.path.pop(0)
import re  # noqa: E402

sys.path.insert(0, _HERE)
from common import write_vectors  # noqa: E402

sys.dont_write_bytecode = True
warnings.simplefilter("ignore")

FLAGS = {"": 0, "i": re.I, "m": re.M, "s": re.S, "x": re.X, "a": re.A,
         "u": re.U, "L": re.L, "t": re.T}


def hx(kind, x):
    if x is None:
        return "~"
    return (x.encode() if kind == "s" else x).hex()


def exc_name(e):
    if isinstance(e, re.error):
        return "re.error"
    return type(e).__name__


def msg(e):
    return str(e).encode().hex()


def bpos(kind, s, i):
    if kind == "b" or i is None or i < 0:
        return i
    return len(s[:i].encode())


def spans(kind, s, m):
    return ";".join("%d,%d" % (bpos(kind, s, m.span(g)[0]),
                               bpos(kind, s, m.span(g)[1]))
                    for g in range(m.re.groups + 1))


def enc(kind, x):
    return x.encode("utf-8") if kind == "s" else x


def P(kind, text):
    """A pattern or subject of a kind from a str written with \\x escapes."""
    if kind == "s":
        return text
    return text.encode("latin-1")


# ------------------------------------------------------------------ compile

COMPILE_STR = r"""
a
(a)(b)
(?P<first>a)(?P<second>b)(c)
(?P<\u00e9t\u00e9>x)
(?P<_1>x)
(?i)abc
(?m)^$
(?s).
(?x) a b # comment
(?a)\w
(?u)\w
(?ims)x
(?i:a)b
(?-i:a)
(?i-s:a)
(?a:\w)
(?a)(?u:x)
(?>a+)
a*+
a++b
a?+
a{2}+
(?(1)a|b)(x)
(?P<n>a)(?(n)b|c)
(?:(?P<n>a)|b)(?(n)x)
(?<=ab)c
(?<!a)b
(?<=a|b)c
(?<=(a))b
(a)(?<=\1)
(?=a)*
a{,3}
a{3,}
a{}
a{
a{1
a{1,2
a{x}
x{,}
{1,2}
\Z
\A
\b\B
[]a]
[^]a]
[a-]
[-a]
[\]]
[\w-]
\0
\07
\101
\141\142
\x41
\u00e9
\U0001F600
\N{EM DASH}
\N{em dash}
\N{LATIN SMALL LETTER A}
\N{LINE FEED}
\N{LF}
\N{BYTE ORDER MARK}
\N{CJK UNIFIED IDEOGRAPH-4E00}
\N{HANGUL SYLLABLE GAG}
\N{hangul syllable GA}
\*\+\?\.\(\)\[\]\{\}\|\^\$\\
\-\#\ \&\~
\é
(a)\1
(a)(?P=n)
(?#comment)a
a|b|c
ab|ac
a(?:b|c)
(?x)[ ]
(?x)\ 
(((((((((((a)))))))))))\11
(a)\10
(?i)\u0130
(?L)a
(?u)a
(?t)a
"""

COMPILE_STR_ERRORS = r"""
(
)
a)
(a
(?
(?P
(?P<
(?P<a
(?P<>a)
(?P<1>a)
(?P<a-b>a)
(?P<a>x)(?P<a>y)
(?P=a)
(?P=
(?P=1)
(?P=a
(?P<a>(?P=a))
(?Px)
(?<x)
(?<
(?<=a*)b
(?<=a+)b
(?<=a|bc)d
(?<!a{1,2})b
(?<=(a)\1*)b
(?<=(a)(?(1)b|cd))e
(?(1)a|b)
(?(2)a|b)(c)
(?(0)a)
(?(-1)a)
(?(a)a)
(?(1a)a)
(?(1)a|b|c)
(?(1)a
(?(
(?()
(?<=(a)(?(1)b|c))
(?<=a(?P=n))(?P<n>a)
(?P<n>a(?P=n))
(a\1)
(?<=(a)\1)
(?i
(?i-
(?i-:a)
(?-
(?-:a)
(?-x)
(?i-i:a)
(?-a:x)
(?au)
(?aL)
(?t:a)
(?-t:a)
(?L)
(?q)
(?iq)
(?i-q:a)
(?\u00e9)
(?i\u00e9)
(?i-\u00e9:a)
a(?i)
a|(?i)b
((?i)a)
(?x)a(?i)
(?#abc
*
+
?
{1}
a**
a*??
a++?
a{2}{3}
^*
$*
\b*
\A+
(?=a)*
\
a\
(\
\q
\a\q
[\q]
\8
[\8]
\9
\400
\777
[\400]
\x
\x4
\xZ
\u
\u12
\u123g
\U0011FFFF
\U00110000
\U1234
\N
\N{
\N{}
\N{NO SUCH NAME}
\N{LATIN SMALL LETTER A
\N{KEYCAP NUMBER SIGN}
\N{LATIN SMALL LETTER A\N}
[
[a
[^
[]
[a-
[z-a]
[\w-a]
[a-\w]
[\d-\d]
[\A]
[\Z]
[\B]
[a-\n\d]
a{2,1}
a{2,1}\
x{4294967295}
x{4294967296}
x{1,4294967296}
(?x)a
 #
\1
(a)\2
(a)\01
"""


def compile_rows():
    rows = []

    def add(kind, flags, pat):
        try:
            r = re.compile(pat, flags)
        except Exception as e:  # noqa: BLE001
            pos = -1
            if isinstance(e, re.error) and e.pos is not None:
                pos = bpos(kind, pat, e.pos)
            rows.append([kind, str(int(flags)), hx(kind, pat), exc_name(e), msg(e),
                         str(pos), "-", "-", "-"])
            return
        gi = ";".join("%s=%d" % (k.encode().hex(), v)
                      for k, v in sorted(r.groupindex.items(),
                                         key=lambda kv: kv[1])) or "-"
        rows.append([kind, str(int(flags)), hx(kind, pat), "ok", "-", "-",
                     str(r.flags), str(r.groups), gi])

    for block in (COMPILE_STR, COMPILE_STR_ERRORS):
        for line in block.split("\n")[1:-1]:
            # \uXXXX in these lists stays an escape of the pattern itself,
            # except in group names and flags, where it means the character.
            pat = line.replace("\\u00e9", "\u00e9") if line.startswith(
                ("(?P<\\u", "(?\\u", "(?i\\u", "(?i-\\u")) else line
            add("s", 0, pat)
            try:
                b = pat.encode("latin-1")
            except UnicodeEncodeError:
                continue
            add("b", 0, b)
    # multi-line patterns: line and column in the message
    for pat in ["a\n(", "ab\ncd\n)", "(?x)\n a\n b\n )", "x\n\\q",
                "\n\n[z-a]", "(?P<a\n>x)"]:
        add("s", 0, pat)
        add("b", 0, pat.encode())
    # Latin-1 characters in bytes messages
    for pat in [b"(?\xe9)", b"[\xe9-a]", b"(?P<\xe9>a)(?P<\xe9>b)",
                b"(?P=\xe9x)", b"(?<\xff", b"(?P\xff", b"[\\w-\xa0]",
                b"\xe9(", b"(?i\xe9)", b"(?\\\xe9)", b"(?(\xe9\xff)a)"]:
        add("b", 0, pat)
    # the flags argument
    for kind, flags, pat in [
            ("s", re.L, "a"), ("s", re.A | re.U, "a"), ("b", re.U, b"a"),
            ("b", re.L | re.A, b"a"), ("s", re.U, "(?a)a"),
            ("b", 0, b"(?u)a"), ("b", 0, b"(?L)a"), ("b", re.L, b"a"),
            ("s", re.I | re.M | re.S | re.X, "a b"), ("s", re.A, "a"),
            ("s", re.T, "a"), ("s", re.T, "a*"), ("s", 0, "(?t)a|b"),
            ("s", 1 << 20, "a"), ("s", re.X, "a # b"), ("b", re.A, b"a"),
            ("s", re.U, "a"), ("s", re.L, "(?x"), ("b", re.U, b"(")]:
        add(kind, flags, pat)
    # nesting close to Python's recursion limit
    for n in (100, 250, 480):
        add("s", 0, "(" * n + ")" * n)
        add("s", 0, "(?:" * n + "a" + ")" * n)
    return rows


# -------------------------------------------------------------------- match

def match_rows(rng):
    rows = []

    def add(func, kind, flags, pat, s, pos=0, endpos=None):
        n = len(s)
        if endpos is None:
            endpos = n
        bp = bpos(kind, s, pos) if 0 <= pos <= n else (
            pos if pos < 0 or kind == "b" else len(s.encode()) + pos - n)
        be = bpos(kind, s, endpos) if 0 <= endpos <= n else (
            endpos if endpos < 0 or kind == "b" else
            len(s.encode()) + endpos - n)
        base = [func, kind, str(int(flags)), hx(kind, pat), hx(kind, s), str(bp),
                str(be)]
        try:
            r = re.compile(pat, flags)
            m = getattr(r, func)(s, pos, endpos)
        except Exception as e:  # noqa: BLE001
            rows.append(base + [exc_name(e), "-", "-", "-", msg(e)])
            return
        if m is None:
            rows.append(base + ["none", "-", "-", "-", "-"])
            return
        li = -1 if m.lastindex is None else m.lastindex
        lg = "-" if m.lastgroup is None else m.lastgroup.encode().hex()
        rows.append(base + ["ok", spans(kind, s, m), str(li), lg, "-"])

    cases = [
        # the notes
        ("search", 0, r"spam:([a-z]+)", "this is spam:egg"),
        ("search", 0, r"spam:(?P<spam>[a-z]+)", "this is spam:egg"),
        ("match", 0, "a.*a", "alphabet"),
        ("match", 0, "h.*t", "alphabet"),
        ("search", 0, "h.*t", "alphabet"),
        ("search", 0, "a.*z", "alphabet"),
        ("search", 0, "l(.*)e", "alphabet"),
        ("search", 0, "l1'>(.*)</a>", "<a href='l1'>some text</a>  <a href='l2'>more text</a>"),
        ("search", 0, "l1'>(.*?)</a>", "<a href='l1'>some text</a>  <a href='l2'>more text</a>"),
        ("search", 0, "the", "To where it bent in the undergrowth;"),
        # anchors
        ("search", 0, "^a", "ba"), ("search", re.M, "^a", "b\na"),
        ("search", re.M, "^", "a\n"), ("search", 0, "a$", "a\n"),
        ("search", 0, "a$", "a\nb"), ("search", re.M, "a$", "a\nb"),
        ("search", 0, r"a\Z", "a\n"), ("search", 0, r"a\Z", "a"),
        ("search", 0, r"\Aa", "ba"), ("search", 0, "$", "a\n"),
        ("search", re.M, "$", "a\n"), ("fullmatch", 0, "a$", "a\n"),
        ("search", 0, r"\b", ""), ("search", 0, r"\B", ""),
        ("search", 0, r"\B", " "), ("search", 0, r"\B", "a"),
        ("search", 0, r"\bfoo\b", "a foo b"), ("search", 0, r"\Bfoo", "xfoo"),
        ("search", 0, r"\b\u00e9", "x \u00e9"), ("search", re.A, r"\b\u00e9", "x\u00e9"),
        ("search", 0, r"\b\u00e9", "x\u00e9"), ("search", 0, r"(?a:\b)x", "\u00e9x"),
        ("search", 0, r"\w+", "\u00e9t\u00e9 caf\u00e9"),
        ("search", re.A, r"\w+", "\u00e9t\u00e9 cafe"),
        ("search", 0, r"\d+", "x\u0661\u0662\u0663"),
        ("search", re.A, r"\d+", "x\u0661\u0662\u06633"),
        ("search", 0, r"\s+", "a\x1c\x1d\u2003b"),
        ("search", re.A, r"\s+", "a\x1c\x1d \tb"),
        ("search", 0, r"\W+", "ab\u2028\u00b7cd"),
        ("search", 0, r"[\w]+", "\u00b2\u2160\u0300x"),
        ("search", 0, r"\w+", "\u00b2\u2160\u0300x"),
        ("search", 0, r"\D", "\u0661a"), ("search", 0, r"\S", " \x85\xa0a"),
        # dot
        ("search", 0, ".", "\n"), ("search", re.S, ".", "\n"),
        ("search", 0, "(?s:.)", "\n"), ("search", re.S, "(?-s:.)", "\n"),
        ("search", 0, ".+", "\u00e9\U0001F600\nx"),
        # case folding
        ("search", re.I, "sherlock", "SHERLOCK holmes"),
        ("fullmatch", re.I, "k", "\u212a"), ("fullmatch", re.I, "s", "\u017f"),
        ("fullmatch", re.I, "\u017f", "S"), ("fullmatch", re.I, "i", "\u0130"),
        ("fullmatch", re.I, "\u0130", "I"), ("fullmatch", re.I, "i", "\u0131"),
        ("fullmatch", re.I, "[a-z]", "\u0130"), ("fullmatch", re.I, "[a-z]", "\u212a"),
        ("fullmatch", re.I, "\u03c3", "\u03c2"), ("fullmatch", re.I, "\u03a3", "\u03c2"),
        ("fullmatch", re.I, "[\u03c3]", "\u03a3"), ("fullmatch", re.I, "\u00b5", "\u039c"),
        ("fullmatch", re.I, "\u00df", "\u1e9e"), ("fullmatch", re.I, "\u00df", "SS"),
        ("fullmatch", re.I, "\U00010400", "\U00010428"),
        ("fullmatch", re.I, "[\U00010400]", "\U00010428"),
        ("fullmatch", re.I, "[\U00010400x]", "\U00010428"),
        ("fullmatch", re.I, "[\U00010400x]", "\U00010400"),
        ("fullmatch", re.I, "[\U00010400-\U00010401]", "\U00010428"),
        ("fullmatch", re.I | re.A, "[\U00010400-\U00010401]", "\U00010428"),
        ("fullmatch", re.I | re.A, "k", "\u212a"), ("fullmatch", re.I | re.A, "\u00e9", "\u00c9"),
        ("fullmatch", re.I, "\u00e9", "\u00c9"), ("fullmatch", re.I, "(?-i:a)", "A"),
        ("fullmatch", 0, "(?i:a)A", "aA"), ("fullmatch", re.I, "[^a]", "A"),
        ("fullmatch", re.I, "[^k]", "\u212a"), ("fullmatch", re.I, r"[\w]", "\u212a"),
        ("fullmatch", re.I, r"[^\W]", "\u212a"), ("fullmatch", re.I, "[\u0345]", "\u1fbe"),
        ("fullmatch", re.I, "\u1c80", "\u0412"), ("fullmatch", re.I, "[\u0400-\u04ff]", "\u1c80"),
        ("fullmatch", re.I, r"(a)\1", "aA"), ("fullmatch", re.I, r"(?P<x>ab)(?P=x)", "abAB"),
        # groups, lastindex, lastgroup
        ("match", 0, "(a)(b)", "ab"), ("match", 0, "(a(b))", "ab"),
        ("match", 0, "(?:(a)|b)*", "ab"), ("match", 0, "(?:(a)|b)*", "ba"),
        ("match", 0, "(?=(ab))(a)", "ab"), ("match", 0, "(a)|b", "b"),
        ("match", 0, "(?P<x>a)(?P<y>b)?", "a"), ("match", 0, "(?P<x>a)(?P<y>b)?", "ab"),
        ("match", 0, "((a)|(b))+", "ab"), ("match", 0, "(a*)+", "b"),
        ("match", 0, "(a?)*", "a"), ("match", 0, "(a|)+", "aa"),
        ("match", 0, "(?:(a)|(b)|(c))+", "cab"), ("match", 0, "(a)(?<=(a))", "a"),
        ("match", 0, r"(?P<a>.)(?P<b>.)(?P=a)", "xyx"), ("match", 0, r"(.)\1", "aa"),
        ("match", 0, r"(a)?(?(1)b|c)", "ab"), ("match", 0, r"(a)?(?(1)b|c)", "c"),
        ("match", 0, r"(?P<q>')?x(?(q)')", "'x'"), ("match", 0, r"(?P<q>')?x(?(q)')", "x'"),
        ("match", 0, r"(?:(a)|b)(?(1)x|y)", "by"),
        ("match", 0, r"(?>a+)b", "aaab"), ("match", 0, r"(?>a+)a", "aaa"),
        ("match", 0, r"a++a", "aaa"), ("match", 0, r"a*+b", "aab"),
        ("match", 0, r"(?:ab)*+ab", "ababab"),
        # sre never goes back into a finished pass of a possessive repeat
        ("search", 0, r"(?:a|ab){2}+c", "abac"), ("search", 0, r"(?:a|ab)*+c", "abac"),
        ("search", 0, r"(?:a|ab){1,3}+c", "abac"), ("search", 0, r"(?:\W:{,2}\B){2}+", "a,:"),
        ("search", 0, r"(?>(?:\W:{,2}\B){2})", "a,:"), ("search", 0, r"(?:|a)*+b", "aab"),
        ("search", 0, r"(?:ab|a)++c", "abac"), ("search", 0, r"(?:a|ab)?+c", "abc"), ("match", 0, r"(a|ab)(c|bcd)(d*)", "abcd"),
        ("match", 0, r"(?:a|ab)c", "abc"), ("fullmatch", 0, "a|ab", "ab"),
        ("fullmatch", 0, "a*?", "aaa"), ("fullmatch", 0, "(a+?)(a*)", "aaa"),
        ("match", 0, "a*?b", "aab"), ("match", 0, "a{2,3}?", "aaa"),
        ("match", 0, "a{,2}", "aaa"), ("match", 0, "a{2,}", "aaaa"),
        ("match", 0, "x{}", "x{}"), ("match", 0, "x{,}", "xxx"),
        # lookarounds
        ("search", 0, "(?<=ab)c", "abc"), ("search", 0, "(?<!ab)c", "abc"),
        ("search", 0, "(?<=a|b)c", "bc"), ("search", 0, "(?<=(a))b", "ab"),
        ("search", 0, r"(a)(?<=\1)", "a"), ("search", 0, r"(a)x(?<=\1x)", "ax"),
        ("search", 0, "(?<=(?=ab)a)b", "ab"), ("search", 0, "(?<=\u00e9)x", "\u00e9x"),
        ("search", 0, "(?<=\U0001F600)x", "\U0001F600x"), ("search", 0, "(?<!^)x", "xx"),
        ("search", 0, "(?=a)a", "ba"), ("search", 0, "(?!a)\\w", "ab"),
        # escapes
        ("search", 0, r"\x41\101\0", "A A\x00"), ("search", 0, r"\u00e9", "\u00e9"),
        ("search", 0, r"\N{EM DASH}", "a\u2014b"), ("search", 0, r"[\N{EM DASH}x]", "\u2014"),
        ("search", 0, r"\t\n\r\f\v\a\\", "\t\n\r\f\v\a\\"),
        ("search", 0, r"[\b]", "\b"), ("search", 0, r"\-\#\ ", "-# "),
        # verbose
        ("search", re.X, r"a b  # comment" "\n c", "abc"),
        ("search", re.X, r"a\ b", "a b"), ("search", re.X, r"[ ]", " "),
        ("search", 0, r"(?x)a|b c", "bc"), ("search", 0, r"(?x: a b)c d", "abc d"),
        ("search", re.X, r"a{1, 2}", "a{1,2}"), ("search", re.X, r"a *", "aaa"),
        # sets
        ("search", 0, "[]a]", "]"), ("search", 0, "[^]a]", "b"),
        ("search", 0, "[a-]", "-"), ("search", 0, "[\\w-]+", "a-b"),
        ("search", 0, "[^\\s\\S]", "ab"), ("search", 0, "[\\s\\S]", "\n"),
        ("search", 0, "[^\\d\\D]", "ab"), ("search", 0, "[\\W\\d]+", " 1a"),
        ("search", 0, "[^\\W\\d]+", " 1a\u00e9_"), ("search", re.A, "[^\\W\\d]+", " 1a\u00e9_"),
        ("search", 0, "[\u00e0-\u00ff]+", "a\u00e9\u00ff\u0100"),
        # pos and endpos
        ("search", 0, "^a", "aa", 1), ("search", 0, "a$", "aab", 0, 2),
        ("search", 0, "a", "ba", 1, 1), ("search", 0, "", "abc", 2, 1),
        ("match", 0, "b", "ab", 1), ("fullmatch", 0, "b", "abc", 1, 2),
        ("search", 0, r"\b", "ab", 1), ("search", 0, "(?<=a)b", "ab", 1),
        ("search", 0, "a", "aaa", -5, 100), ("search", 0, "\u00e9", "\u00e9\u00e9", 1),
        ("fullmatch", 0, "", "abc", 3, 1),
        # surrogates in a pattern never match UTF-8 text
        ("search", 0, r"\ud800|a", "xa"), ("search", 0, r"[^\ud800]", "a"),
        ("search", 0, r"[\ud000-\ue000]+", "\ud7ff\ue000"),
        ("search", re.I, r"\ud800*x", "x"), ("search", 0, r"\udfff", "x"),
        ("search", 0, r"[\ud800-\udfff]", "x"),
        # empty
        ("search", 0, "", ""), ("fullmatch", 0, "", ""), ("match", 0, "a*", ""),
        ("search", 0, "x*", "abxd"),
        # bytes kinds below run through bytes_cases
    ]
    for c in cases:
        func, flags, pat, s = c[:4]
        rest = c[4:]
        add(func, "s", flags, pat, s, *rest)

    bytes_cases = [
        ("search", 0, rb"\w+", b"caf\xe9 x"), ("search", re.L, rb"\w+", b"caf\xe9 x"),
        ("search", 0, rb"\d+", b"a123"), ("search", 0, rb"\s+", b"a\x1c \tb"),
        ("fullmatch", re.I, b"K", b"k"), ("fullmatch", re.I, b"\xe9", b"\xc9"),
        ("fullmatch", re.I | re.L, b"\xe9", b"\xc9"), ("search", 0, rb"\b\xe9", b"a\xe9"),
        ("search", 0, rb"[\x80-\xff]+", b"ab\x80\xfe"), ("search", 0, b".", b"\n"),
        ("search", re.S, b".", b"\n"), ("match", 0, rb"(a)(?P<n>b)\1", b"aba"),
        ("search", 0, rb"\x00", b"a\x00"), ("search", re.I, b"[a-z]+", b"ABC"),
        ("search", re.I, rb"[^\W\d]+", b"12aB_\xe9"), ("search", 0, rb"\Bb", b"ab"),
    ]
    for func, flags, pat, s in bytes_cases:
        add(func, "b", flags, pat, s)

    # Each of these characters against each, case-insensitively, as a
    # literal and in a set: the case tables.
    tricky = ("aAkK\u212asS\u017fiI\u0131\u0130\u00b5\u039c\u03bc\u03c3"
              "\u03c2\u03a3\u0345\u03b9\u0399\u1fbe\u00df\u1e9e\u01c4\u01c5"
              "\u01c6\u0398\u03b8\u03d1\u03f4\u1c80\u0432\u0412\U00010400"
              "\U00010428\u00e9\u00c9\u2126\u03c9\u212b\u00e5\u00ff\u0178")
    for a in tricky:
        for b in tricky:
            add("fullmatch", "s", re.I, re.escape(a), b)
        add("fullmatch", "s", re.I, "[%sx]" % a, "x")
    for a in tricky:
        for b in tricky[::3]:
            add("fullmatch", "s", re.I, "[%s_]" % a, b)
            add("fullmatch", "s", re.I | re.A, re.escape(a), b)

    # \N{...}: names, aliases, any case, the algorithmic families, and
    # names unicodedata.lookup refuses (named sequences, wrong case, ...)
    named = [cp for cp in range(0x110000)
             if unicodedata.name(chr(cp), None)]
    for cp in rng.sample(named, 300):
        name = unicodedata.name(chr(cp))
        if rng.random() < 0.3:
            name = name.lower()
        add("fullmatch", "s", 0, "\\N{%s}" % name, chr(cp))
    for name in ["LINE FEED", "LF", "NBSP", "BOM", "ZWJ", "BYTE ORDER MARK",
                 "LATIN CAPITAL LETTER GHA", "ESC", "NEL", "SHY", "DEL",
                 "KEYCAP NUMBER SIGN", "LATIN SMALL LETTER A WITH MACRON AND "
                 "GRAVE", "CJK UNIFIED IDEOGRAPH-4E00", "CJK UNIFIED "
                 "IDEOGRAPH-4e00", "CJK UNIFIED IDEOGRAPH-04E00",
                 "CJK UNIFIED IDEOGRAPH-4E0", "CJK UNIFIED IDEOGRAPH-2A6DF",
                 "CJK UNIFIED IDEOGRAPH-2A6E0", "CJK UNIFIED IDEOGRAPH-3134A",
                 "cjk unified ideograph-4E00", "HANGUL SYLLABLE GA",
                 "HANGUL SYLLABLE GAG", "HANGUL SYLLABLE HIH",
                 "HANGUL SYLLABLE A", "HANGUL SYLLABLE GGWAELH",
                 "hangul syllable GA", "HANGUL SYLLABLE ga", "HANGUL SYLLABLE ",
                 "LATIN SMALL LETTER A ", " LATIN SMALL LETTER A",
                 "LATIN SMALL  LETTER A", "LATIN_SMALL_LETTER_A",
                 "TANGUT IDEOGRAPH-17000", "EM DASH", "em dash", "Em Dash",
                 "LATIN SMALL LETTER \u00e9", "NO SUCH NAME", "A", "SPACE"]:
        add("fullmatch", "s", 0, "\\N{%s}" % name, "\u2014")
        add("search", "s", 0, "[\\N{%s}x]" % name, "x")

    # \w \d \s and \b on a sample of code points, str and ASCII
    sample = sorted(set(rng.sample(range(0x30000), 300)) |
                    {0x1c, 0x1f, 0x85, 0xa0, 0xb2, 0xbd, 0x300, 0x660,
                     0x2028, 0x2160, 0x203f, 0x3000, 0x3007, 0xff10})
    for cp in sample:
        c = chr(cp)
        if unicodedata.category(c) == "Cs":
            continue
        for pat in (r"\w", r"\d", r"\s", r"\W", r"[\w]", r"[^\d]", r"\b."):
            add("fullmatch" if pat != r"\b." else "search", "s", 0, pat, c)
        add("fullmatch", "s", re.A, r"\w", c)
    return rows


# ------------------------------------------------------------------ findall

def list_rows():
    fa, fi, sp = [], [], []
    cases = [
        ("s", 0, "x*", "abxd"), ("s", 0, "", "abc"), ("s", 0, "a|", "bab"),
        ("s", 0, r"\w+", "the quick \u00e9t\u00e9 fox"), ("s", 0, r"(\w)(\d)?", "a1b c3"),
        ("s", 0, r"(a)|(b)", "abc"), ("s", 0, r"(?P<k>\w+)=(?P<v>.*?);", "a=1;bb=22;c=;"),
        ("s", 0, r"\b", "ab cd"), ("s", 0, r"\B", "ab cd"), ("s", 0, r"^", "a\nb\n"),
        ("s", re.M, r"^", "a\nb\n"), ("s", re.M, r"$", "a\nb\n"), ("s", 0, r"$", "a\n"),
        ("s", 0, r"(?=a)", "aaa"), ("s", 0, r"a??", "aa"), ("s", 0, r"(a?)(b?)", "ab"),
        ("s", 0, r"\d*", "1a22b"), ("s", 0, r"[aeiou]", "alphabet"), ("s", re.I, r"[aeiou]", "ALPHABET"),
        ("s", 0, r"(?:x*)", "axxb"), ("s", 0, r"x*?", "xx"), ("s", 0, r"\u00e9*", "\u00e9a\u00e9\u00e9"),
        ("s", 0, r"(.)(?=(.))", "abc"), ("b", 0, rb"\w*", b"ab \xe9c"), ("b", 0, rb"(a)(b)?", b"aab"),
        ("s", 0, r"Sherlock|Holmes|Watson", "Sherlock Holmes met Watson and Holmes"),
    ]
    for kind, flags, pat, s in cases:
        r = re.compile(pat, flags)
        for pos, endpos in ((0, len(s)), (1, len(s)), (0, max(len(s) - 1, 0)),
                            (2, 1)):
            base = [kind, str(int(flags)), hx(kind, pat), hx(kind, s),
                    str(bpos(kind, s, pos)), str(bpos(kind, s, endpos))]
            items = r.findall(s, pos, endpos)
            flat = []
            for x in items:
                flat.extend(x if isinstance(x, tuple) else [x])
            fa.append(base + ["ok", str(len(items)),
                              ",".join(hx(kind, x) for x in flat)])
            ms = ["%s/%d" % (spans(kind, s, m),
                             -1 if m.lastindex is None else m.lastindex)
                  for m in r.finditer(s, pos, endpos)]
            fi.append(base + ["ok", "|".join(ms) or "-"])
        for maxsplit in (0, 1, 2):
            res = r.split(s, maxsplit)
            sp.append([kind, str(int(flags)), hx(kind, pat), hx(kind, s),
                       str(maxsplit), "ok", str(len(res)),
                       ",".join(hx(kind, x) for x in res)])
    for pat, s in [("x*", "axbc"), ("(x*)", "axbc"), ("(a)|b", "xbz"),
                   (r"\W+", "Words, words, words."), (r"(\W+)", "Words, words, words."),
                   (r"[a-f]+", "0a3B9"), (r"\b", "a b"), (r"", "abc"),
                   (r"(?=b)", "abab"), (r"$", "a\n"), (r"(?m)^", "a\nb")]:
        for maxsplit in (0, 1, 3):
            res = re.split(pat, s, maxsplit)
            sp.append(["s", "0", hx("s", pat), hx("s", s), str(maxsplit),
                       "ok", str(len(res)),
                       ",".join(hx("s", x) for x in res)])
    return fa, fi, sp


# --------------------------------------------------------------------- sub

def sub_rows():
    rows = []

    def add(kind, flags, pat, repl, s, count=0):
        base = [kind, str(int(flags)), hx(kind, pat), hx(kind, repl), hx(kind, s),
                str(count)]
        try:
            out, n = re.subn(pat, repl, s, count, flags)
        except Exception as e:  # noqa: BLE001
            rows.append(base + [exc_name(e), "-", "-", msg(e)])
            return
        rows.append(base + ["ok", hx(kind, out), str(n), "-"])

    for pat, repl, s, count in [
            ("x*", "-", "abxd", 0), ("x*", "-", "abxd", 2), ("", "-", "abc", 0),
            ("the", "---", "Then took the other, as just as fair,", 0),
            (r"number: (?P<number>[0-9]+) ", "number:XXX", "name:Jack number:06213123", 0),
            (r"(\w+) (\w+)", r"\2 \1", "hello world foo bar", 0),
            (r"(\w+) (\w+)", r"\g<2> \g<1>", "hello world", 0),
            (r"(?P<a>\w+) (?P<b>\w+)", r"\g<b> \g<a>", "hello world", 0),
            (r"(a)|b", r"[\1]", "ab", 0), (r"a", r"\n\t\\\0\07\101", "a", 0),
            (r"a", r"\-\.\'", "a", 0), (r"(a)", r"\g<0>\g<1>", "xa", 0),
            (r"(a)", r"\g< 1>", "a", 0), (r"(a)", r"\g<+1>", "a", 0),
            (r"(a)", r"\g<1_0>", "a", 0), (r"(a)", r"\g<-0>", "a", 0),
            (r"(a)", "\\g<\u0661>", "a", 0), (r"a", r"\g<0>\g<0>", "aa", 1),
            (r"(a)", r"\12", "a", 0), (r"(a)", r"\2", "a", 0),
            (r"(a)", r"\g<2>", "a", 0), (r"(a)", r"\g<x>", "a", 0),
            (r"(a)", r"\g<-1>", "a", 0), (r"(a)", r"\g<1x>", "a", 0),
            (r"(a)", r"\g<1", "a", 0), (r"(a)", r"\g", "a", 0), (r"(a)", r"\g<>", "a", 0),
            (r"(a)", r"\q", "a", 0), (r"(a)", "\\", "a", 0), (r"(a)", r"\400", "a", 0),
            (r"(a)", r"\8", "a", 0), (r"(a)", r"\g<99999999999999999999>", "a", 0),
            (r"(a)", r"\g<1073741823>", "a", 0), (r"(a)", r"x\g<é>", "a", 0),
            ("a", "\u00e9\\n", "bab", 0), ("(?P<\u00e9>a)", "<\\g<\u00e9>>", "a", 0),
            ("a", "x\ny\\", "a", 0), ("b", "x", "aaa", 0), ("a", "", "aaa", 0),
            (r"\b", "|", "ab cd", 0), (r"(?=b)", "^", "abab", 0), (r"$", "!", "a\n", 0)]:
        add("s", 0, pat, repl, s, count)
    for pat, repl, s in [(rb"(a)", rb"\1\1", b"xa"), (rb"\xe9", b"\xff", b"a\xe9"),
                         (rb"(a)", rb"\g<\xe9>", b"a"), (rb"(a)", rb"\g<1\xe9>", b"a"),
                         (rb"a", rb"\377", b"a"), (rb"a", rb"\q", b"a")]:
        add("b", 0, pat, repl, s)
    exp = []
    for pat, s, t in [(r"(\w+) (\w+)", "hello world", r"\2-\1"),
                      (r"(?P<a>x)(y)?", "x", r"[\1|\2|\g<a>]"),
                      (r"(a)", "a", r"\g<9>"), (r"(a)", "a", r"\q"),
                      (r"(a)", "a", r"\g<nope>"), (r"(a)", "a", r"tab\there")]:
        m = re.search(pat, s)
        try:
            exp.append(["s", "0", hx("s", pat), hx("s", s), hx("s", t), "ok",
                        hx("s", m.expand(t)), "-"])
        except Exception as e:  # noqa: BLE001
            exp.append(["s", "0", hx("s", pat), hx("s", s), hx("s", t),
                        exc_name(e), "-", msg(e)])
    return rows, exp


def escape_rows():
    rows = []
    for s in ["", "abc", "a.b*c", "()[]{}?*+-|^$\\.&~# \t\n\r\v\f",
              "\u00e9t\u00e9!", "_:/=@%'\"<>,;`", "\x00\x01"]:
        rows.append(["s", hx("s", s), hx("s", re.escape(s))])
        b = s.encode("utf-8")
        rows.append(["b", b.hex(), re.escape(b).hex()])
    return rows


def main():
    rng = random.Random(4)
    write_vectors("re", "compile",
                  ["kind", "flags", "pattern", "result", "message", "pos",
                   "flags_out", "groups", "groupindex"], compile_rows())
    write_vectors("re", "match",
                  ["func", "kind", "flags", "pattern", "subject", "pos",
                   "endpos", "result", "spans", "lastindex", "lastgroup",
                   "message"], match_rows(rng))
    fa, fi, sp = list_rows()
    write_vectors("re", "findall",
                  ["kind", "flags", "pattern", "subject", "pos", "endpos",
                   "result", "count", "items"], fa)
    write_vectors("re", "finditer",
                  ["kind", "flags", "pattern", "subject", "pos", "endpos",
                   "result", "matches"], fi)
    write_vectors("re", "split",
                  ["kind", "flags", "pattern", "subject", "maxsplit", "result",
                   "count", "items"], sp)
    subs, exp = sub_rows()
    write_vectors("re", "sub",
                  ["kind", "flags", "pattern", "repl", "subject", "count",
                   "result", "out", "n", "message"], subs)
    write_vectors("re", "expand",
                  ["kind", "flags", "pattern", "subject", "template", "result",
                   "out", "message"], exp)
    write_vectors("re", "escape", ["kind", "text", "out"], escape_rows())


if __name__ == "__main__":
    main()
