"""Differential tests of cmd/grep (prints TAP).

Where Python's regex dialect and GNU grep's agree (literals, simple regular
expressions), our grep and GNU grep (/bin/grep, run under the name "grep"
with -E so that + ? | ( ) mean the same) get the same arguments and input;
stdout and the exit status must be identical (stderr too for the messages
GNU words the same way). What only Python's dialect has (\\d, inline flags,
lookaround, named groups) is compared with the notes' own Python grep
(bench/grep/notes_grep.py) run by python3.

usage: test_grep.py BUILD/cmd/grep/grep
"""
import concurrent.futures
import os
import random
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
NOTES_GREP = os.path.join(HERE, "..", "..", "bench", "grep", "notes_grep.py")
GNU = "/bin/grep"
ENV = dict(os.environ, LC_ALL="C.UTF-8", TERM="xterm")
ENV.pop("GREP_COLORS", None)
ENV.pop("GREP_COLOR", None)
ENV.pop("POSIXLY_CORRECT", None)
TIMEOUT = 20

POEM = """Two roads diverged in a yellow wood,
And sorry I could not travel both
And be one traveler, long I stood
And looked down one as far as I could
To where it bent in the undergrowth;

Then took the other, as just as fair,
And having perhaps the better claim,
Because it was grassy and wanted wear;
Though as for that the passing there
Had worn them really about the same,

And both that morning equally lay
In leaves no step had trodden black.
Oh, I kept the first for another day!
Yet knowing how way leads on to way,
I doubted if I should ever come back.

I shall be telling this with a sigh
Somewhere ages and ages hence:
Two roads diverged in a wood, and I\u2014
I took the one less traveled by,
And that has made all the difference.
"""

NOTES = """Road 66 runs 2448 miles; ROAD signs say road.
the café opened in 1887 at 221B Baker Street
CAFÉ and Café and café
a.c and abc and a*c
wood, wooden, woods and Wood
x = 42 + y_1
tab\there
  leading spaces
trailing spaces  
"""


class Tap:
    """Cases run on a few threads (each is a pair of processes); the
    results are printed in order."""

    def __init__(self, pool):
        self.n = 0
        self.failed = 0
        self.pool = pool
        self.pending = []

    def later(self, fn):
        self.pending.append(self.pool.submit(fn))

    def flush(self):
        for f in self.pending:
            self.check(*f.result())
        self.pending = []

    def check(self, ok, name, why=""):
        self.n += 1
        if ok:
            print(f"ok {self.n} - {name}")
        else:
            self.failed += 1
            print(f"not ok {self.n} - {name}")
            for line in why.splitlines():
                print(f"# {line}")
        sys.stdout.flush()


def run(argv, cwd, stdin=b"", executable=None):
    p = subprocess.run(argv, cwd=cwd, input=stdin, capture_output=True,
                       env=ENV, timeout=TIMEOUT, executable=executable)
    return p.returncode, p.stdout, p.stderr


def make_tree(root):
    def write(name, data):
        path = os.path.join(root, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)

    write("poem.txt", POEM.encode())
    write("notes.txt", NOTES.encode())
    write("empty.txt", b"")
    write("nonl.txt", b"first wood\nlast wood without newline")
    write("blank.txt", b"\n\nwood\n\n")
    write("binary.bin", b"wood\x00and\nmore wood\n")
    write("tree/a.txt", b"a wood here\nnothing\n")
    write("tree/sub/b.txt", b"wood in sub\nWood capital\n")
    write("tree/sub/deeper/c.txt", b"no match\n")
    write("tree/d.txt", b"roads and wood\n")
    # -r skips symbolic links it meets (GNU's -r; -R would follow them)
    os.symlink("../poem.txt", os.path.join(root, "tree", "link.txt"))
    os.symlink("sub", os.path.join(root, "tree", "linkdir"))
    # A larger file: matches scattered over many windows, lines that
    # nearly match, a match on the last line with no newline.
    rng = random.Random(9)
    words = ("wood road the and yellow diverged travel morning sigh "
             "café naïve 2448 1887 ages wooden").split()
    lines = []
    for i in range(30000):
        k = rng.randint(0, 12)
        lines.append(" ".join(rng.choice(words) for _ in range(k)))
    write("big.txt", ("\n".join(lines) + "\nlast road").encode())


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: test_grep.py BUILD/cmd/grep/grep")
    ours = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory(prefix="bt_grep_") as root, \
            concurrent.futures.ThreadPoolExecutor(4) as pool:
        tap = Tap(pool)
        make_tree(root)
        gnu_cases(tap, ours, root)
        python_cases(tap, ours, root)
        tap.flush()
        own_cases(tap, ours, root)
    print(f"1..{tap.n}")
    return 1 if tap.failed else 0


def compare(tap, *args, **kw):
    tap.later(lambda: compare_now(*args, **kw))


def compare_now(ours, root, args, stdin=b"", sort=False, stderr=False,
                name=None, ere=True):
    a = run([ours] + args, root, stdin)
    b = run(["grep"] + (["-E"] if ere else []) + args, root, stdin,
            executable=GNU)
    if sort:
        a = (a[0], b"".join(sorted(a[1].splitlines(True))), a[2])
        b = (b[0], b"".join(sorted(b[1].splitlines(True))), b[2])
    ok = a[0] == b[0] and a[1] == b[1] and (not stderr or a[2] == b[2])
    why = (f"args: {args!r}\nours: rc={a[0]} out={a[1][:600]!r} "
           f"err={a[2][:300]!r}\ngnu:  rc={b[0]} out={b[1][:600]!r} "
           f"err={b[2][:300]!r}")
    return ok, name or f"gnu {' '.join(args)}", why


GNU_PATTERNS = ["wood", "^And", "way,$", "ro+ads?", "(sigh|wear)",
                "[A-Z][a-z]+ing", "a.c", "\\bI\\b", "caf\u00e9", "[0-9]+",
                "x{2,}", "^$", "e"]
GNU_OPTIONS = [[], ["-n"], ["-c"], ["-o"], ["-i"], ["-v"], ["-l"], ["-w"],
               ["-x"], ["-in"], ["-vc"], ["-on"], ["-ic"], ["-wo"],
               ["-xv"], ["-nv"], ["-iw"],
               ["--color=always"], ["--color=always", "-n", "-i"],
               ["--color=always", "-o"], ["--color=auto", "-n"], ["-H"]]


def gnu_cases(tap, ours, root):
    files = ["poem.txt", "notes.txt"]
    # every option with every other pattern (and the reverse): each pair of
    # neighbours covers the whole table, in half the time
    for i, pat in enumerate(GNU_PATTERNS):
        for j, opts in enumerate(GNU_OPTIONS):
            if j < 4 or (i + j) % 2 == 0:
                compare(tap, ours, root, opts + [pat] + files[:1])
        compare(tap, ours, root, ["-n", pat] + files)
    # -F: the pattern is a string, even with re's special characters
    for pat in ["a.c", "a*c", "wood,", "(sigh", "Wood", "x = 42 + y_1", "",
                "\u2014"]:
        for opts in [["-F"], ["-Fi"], ["-Fw"], ["-Fx"], ["-Fo"], ["-Fc"],
                     ["-Fv", "-n"]]:
            compare(tap, ours, root, opts + ["--", pat, "notes.txt",
                                             "poem.txt"], ere=False)
    # several patterns: -e (repeatable) and newlines in a pattern
    for args in (["-e", "wood", "-e", "sigh"], ["-e", "wood\nsigh"],
                 ["-n", "-e", "^And", "-e", "diverged"],
                 ["-c", "-e", "xyz", "-e", "Two"],
                 ["-o", "-e", "wood", "-e", "sigh"],
                 ["-w", "-e", "I", "-e", "by"], ["-x", "-e", "", "-e", "x"],
                 ["-e", "wood", "-v", "-e", "the"]):
        compare(tap, ours, root, args + ["poem.txt", "notes.txt"])
    compare(tap, ours, root, ["-F", "-e", "a.c", "-e", "wood,", "poem.txt",
                              "notes.txt"], ere=False)
    # the empty pattern, empty files, no final newline, blank lines
    for args in (["", "poem.txt"], ["-c", "", "poem.txt", "empty.txt"],
                 ["-v", "", "poem.txt"], ["-n", "", "blank.txt"],
                 ["-o", "", "poem.txt"], ["-w", "", "blank.txt"],
                 ["-x", "", "blank.txt"], ["-c", "^", "blank.txt"],
                 ["wood", "empty.txt"], ["-c", "wood", "empty.txt"],
                 ["-v", "x", "empty.txt"], ["-l", "", "empty.txt"],
                 ["wood", "nonl.txt"], ["-n", "newline", "nonl.txt"],
                 ["-v", "first", "nonl.txt"], ["-o", "wood", "nonl.txt"],
                 ["-c", "wood", "nonl.txt", "blank.txt", "empty.txt"],
                 ["-l", "wood", "nonl.txt", "blank.txt", "empty.txt"],
                 ["-lv", "wood", "nonl.txt", "blank.txt", "empty.txt"],
                 ["-h", "wood", "nonl.txt", "blank.txt"],
                 ["-H", "-c", "wood", "nonl.txt"],
                 ["--color=always", "-l", "wood", "nonl.txt", "blank.txt"],
                 ["--color=always", "-c", "wood", "nonl.txt", "blank.txt"],
                 ["-q", "wood", "poem.txt"], ["-q", "zzz", "poem.txt"]):
        compare(tap, ours, root, args)
    # standard input, alone and as "-" among files
    data = POEM.encode()
    for args in (["wood"], ["-n", "I"], ["-c", "the"], ["wood", "-"],
                 ["wood", "-", "notes.txt"], ["-l", "wood", "-", "notes.txt"],
                 ["-H", "wood"], ["-v", "a"]):
        compare(tap, ours, root, args, stdin=data)
    compare(tap, ours, root, ["x"], stdin=b"", name="gnu empty stdin")
    compare(tap, ours, root, ["-c", "a"], stdin=b"a\na", name="gnu stdin "
            "without final newline")
    # errors: missing file (other files still searched), a directory
    for args in (["wood", "nosuch.txt"], ["wood", "nosuch.txt", "poem.txt"],
                 ["-c", "wood", "poem.txt", "nosuch.txt"],
                 ["-s", "wood", "nosuch.txt", "poem.txt"],
                 ["-q", "wood", "nosuch.txt", "poem.txt"],
                 ["wood", "tree"], ["wood", "tree", "poem.txt"],
                 ["wood", "binary.bin"], ["-c", "wood", "binary.bin"],
                 ["-l", "wood", "binary.bin"], ["zzz", "binary.bin"],
                 ["-n", "more", "binary.bin", "nonl.txt"]):
        compare(tap, ours, root, args, stderr=True)
    # -r: the order of a walk is the directory's, so the lines are sorted
    for args in (["-r", "wood", "tree"], ["-rn", "wood", "tree"],
                 ["-rc", "wood", "tree"], ["-rl", "wood", "tree"],
                 ["-ri", "wood", "tree"], ["-rh", "wood", "tree"],
                 ["-r", "wood", "tree/a.txt"], ["-r", "wood", "tree/sub",
                                                "tree/d.txt"],
                 ["-rv", "wood", "tree"], ["-r", "zzz", "tree"],
                 ["-r", "wood", "tree/link.txt"], ["-rc", "wood", "tree/linkdir"],
                 ["-r", "--color=always", "wood", "tree"]):
        compare(tap, ours, root, args, sort=True)
    compare(tap, ours, os.path.join(root, "tree"), ["-r", "wood"], sort=True,
            name="gnu -r with no operand (.)")
    # a larger file: the windowed search must find exactly GNU's lines
    for pat in ("wood", "road$", "^the", "caf\u00e9 [0-9]+", "diverged.*sigh",
                "\\bages\\b", "wooden|yellow travel", "e"):
        for opts in (["-n"], ["-c"], ["-vc"], ["-on"], ["-wn"], ["-in"]):
            compare(tap, ours, root, opts + [pat, "big.txt"])
    # usage errors: status 2
    for args in ([], ["--nosuch", "x", "poem.txt"], ["-F", "-E", "x"],
                 ["-j", "x"]):
        compare(tap, ours, root, args, stderr=True, ere=False)


PY_PATTERNS = ["\\d+", "\\d{4}", "(?i)road", "(?i)caf\u00e9", "wood(?=,)",
               "(?<=a )wood", "road(?!s)", "(?<![a-z])[Cc]af", "\\bI\\b",
               "(?P<w>o)(?P=w)", "(\\w)\\1", "[^\\W\\d]+ed\\b",
               "\\Aand", "(?x) w o o d  # verbose", "\\s{2}", "ROAD|66",
               "(?>wood)s", "wo*+d", "\\w+\u00e9"]

# the windowed search and the line-by-line one, over many windows
BIG_PY_PATTERNS = ["\\d{4}", "(?i)road", "(?<=a )wood", "road(?!s)",
                   "(\\w)\\1", "\\w+\u00e9"]


def python_cases(tap, ours, root):
    for pat in PY_PATTERNS:
        files = ("poem.txt", "notes.txt")
        if pat in BIG_PY_PATTERNS:
            files += ("big.txt",)
        for f in files:
            tap.later(lambda pat=pat, f=f: python_now(ours, root, pat, f))


def python_now(ours, root, pat, f):
    a = run([ours, pat, f], root)
    b = run([sys.executable, NOTES_GREP, f, pat], root)
    want = b[1]
    if want and not want.endswith(b"\n"):
        want += b"\n"  # the notes' grep prints a last line as it is
    return (a[1] == want and a[0] == (0 if want else 1) and b[0] == 0,
            f"python {pat!r} {f}",
            f"ours: rc={a[0]} out={a[1][:600]!r} err={a[2]!r}\n"
            f"python: rc={b[0]} out={b[1][:600]!r} err={b[2]!r}")


def own_cases(tap, ours, root):
    # re.error's message, status 2
    a = run([ours, "a(", "poem.txt"], root)
    tap.check(a[0] == 2 and a[1] == b"" and a[2] ==
              b"grep: missing ), unterminated subpattern at position 1\n",
              "bad pattern: re.error's message, status 2", repr(a))
    # a match that runs over a newline is no match of either line
    a = run([ours, "-c", "a\\s+b"], root, b"xa\nb\na b\n")
    tap.check(a == (0, b"1\n", b""), "no match across lines", repr(a))
    a = run([ours, "-c", "(?s)a.b"], root, b"a\nb\nazb\n")
    tap.check(a == (0, b"1\n", b""), "(?s) dot stays in its line", repr(a))
    # a lookbehind cannot see the previous line
    a = run([ours, "-n", "(?<!x)y"], root, b"x\ny\nxy\n")
    tap.check(a == (0, b"2:y\n", b""), "lookbehind at a line start", repr(a))
    # text that is not UTF-8 is binary, searched as bytes
    a = run([ours, "caf"], root, b"caf\xe9\n")
    tap.check(a[0] == 0 and a[1] == b"" and
              a[2] == b"grep: (standard input): binary file matches\n",
              "latin-1 text is binary", repr(a))
    a = run([ours, "-c", "caf"], root, b"caf\xe9\nok\ncafe\n")
    tap.check(a == (0, b"2\n", b""), "counting in binary data", repr(a))


if __name__ == "__main__":
    sys.exit(main())
