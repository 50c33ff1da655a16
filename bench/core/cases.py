"""Core cases: UTF-8 validation, repr() of a str, the byte buffer.

Read by bench/run.py (see bench/README.md). INPUTS are written to files the
C program reads, so both sides time the very same bytes; the Python
statements run with this module's globals.
"""
import random

MIB = 1 << 20

_ENGLISH = ("the quick brown fox jumps over lazy dog while reading a long "
            "manual about text encodings and their subtle corner cases").split()
_GREEK = "καλημέρα κόσμε αλφάβητο γλώσσα ελληνικά θάλασσα φως ουρανός".split()
_CJK = "你好 世界 漢字 日本語 東京 中文 文字 한국어 서울".split()
_EMOJI = ["😀", "🚀", "🎉", "👍🏽", "🐍", "❤️", "🌍"]


def _text(pick, seed):
    """Exactly 1 MiB of words from pick(rng), lines of ~12 words."""
    rng = random.Random(seed)
    parts, size = [], 0
    while True:
        word = pick(rng) + ("\n" if rng.random() < 1 / 12 else " ")
        data = word.encode()
        if size + len(data) > MIB:
            break
        parts.append(data)
        size += len(data)
    return b"".join(parts) + b" " * (MIB - size)


def _mixed_word(rng):
    # By bytes about 40% ASCII, 33% 2-byte, 27% 3- and 4-byte sequences.
    x = rng.random()
    pool = (_ENGLISH if x < 0.45 else _GREEK if x < 0.65
            else _CJK if x < 0.88 else _EMOJI)
    return rng.choice(pool)


REPR_TEXT = b"Don't panic: this str is 40 bytes long.\n"
assert len(REPR_TEXT) == 40

INPUTS = {
    "ascii.txt": _text(lambda rng: rng.choice(_ENGLISH), 1),
    "mixed.txt": _text(_mixed_word, 2),
    "repr.txt": REPR_TEXT,
}

CASES = [
    # CPython has no validate-only call: decoding is how Python code checks
    # UTF-8, so the Python side also builds the str (for ASCII that is one
    # fast copy after its own ASCII scan).
    dict(name="utf8_validate_ascii", unit="MB/s", bytes=MIB,
         py_setup="data = INPUTS['ascii.txt']",
         py_stmt="data.decode('utf-8')"),
    dict(name="utf8_validate_mixed", unit="MB/s", bytes=MIB,
         py_setup="data = INPUTS['mixed.txt']",
         py_stmt="data.decode('utf-8')"),
    # Python's input is already a str; ours is the UTF-8 bytes, decoded while
    # escaping. Ours appends into a reused buffer (cleared each time), which
    # is how bt_repr_str is meant to be called.
    dict(name="repr_str", unit="ns/op",
         py_setup="s = INPUTS['repr.txt'].decode()",
         py_stmt="repr(s)"),
    # One op = 1000 appends of a 16-byte piece, then clear. `+=` is the
    # fastest way CPython appends to a bytearray; the loop runs on fast
    # locals. bytearray.clear() releases the memory, so CPython regrows each
    # op where bt_buf_clear keeps its capacity; the interpreted loop costs
    # far more than those ~15 reallocs.
    dict(name="buf_append", unit="ns/op",
         py_setup="piece = b'0123456789abcdef'; ba = bytearray(); "
                  "r = range(1000)",
         py_stmt="for _ in r:\n    ba += piece\nba.clear()"),
]
