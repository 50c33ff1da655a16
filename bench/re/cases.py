"""re cases: finditer counting the matches of the issue's patterns over 10 MB
of English-like text, and the benchmarks game's regex-redux on its fasta
input (n = 500000). The anchor is PCRE2 with its JIT called directly, with
the options our translation gets (UTF and UCP for str patterns): the cost
of batteries' dialect layer is what separates the two.

The inputs are built by deterministic recipes (random.Random with a fixed
seed; the fasta generator's linear congruential generator) and cached in
the temporary directory, as the glob cases cache their tree.
"""
import os
import random
import re
import tempfile

CACHE = os.path.join(tempfile.gettempdir(), "bt_bench_re_v1")

WORDS = ("the of and to a in that is was he for it with as his on be at by "
         "had not are but from or have an they which one you were her all "
         "she there would their we him been has when who will more no if "
         "out so said what up its about into than them can only other new "
         "some could time these two may then do first any my now such like "
         "our over man me even most made after also did many before must "
         "through back years where much your way well down should because "
         "each just those people how too little state good very make world "
         "still own see men work long get here between both life being "
         "under never day same another know while last might us great old "
         "year off come since against go came right used take three "
         "morning evening street window letter matter friend business "
         "café naïve façade").split()
ING = ("thing nothing something morning evening being going coming "
       "looking asking saying making taking seeing knowing during "
       "bring string king ring sing wing sting ceiling").split()
NAMES = ["Sherlock", "Holmes", "Watson", "Irene", "Adler", "Lestrade",
         "Mycroft", "Hudson"]


def make_text(size=10 * 1000 * 1000):
    rng = random.Random(2023)
    out = []
    n = 0
    sentence = 0
    while n < size:
        k = rng.random()
        if k < 0.004:
            w = rng.choice(NAMES)
        elif k < 0.06:
            w = rng.choice(ING)
        elif k < 0.065:
            w = "%s=%s;" % (rng.choice(WORDS), rng.choice(WORDS + ING))
        else:
            w = rng.choice(WORDS)
        if sentence == 0:
            w = w[:1].upper() + w[1:]
        sentence += 1
        if sentence > 6 and rng.random() < 0.12:
            w += rng.choice(".....!?")
            sentence = 0
        elif rng.random() < 0.05:
            w += ","
        out.append(w)
        n += len(w) + 1
        if rng.random() < 0.01:
            out.append("\n")
    return " ".join(out).encode()


ALU = ("GGCCGGGCGCGGTGGCTCACGCCTGTAATCCCAGCACTTTGGGAGGCCGAGGCGGGCGGATCACCTGAG"
       "GTCAGGAGTTCGAGACCAGCCTGGCCAACATGGTGAAACCCCGTCTCTACTAAAAATACAAAAATTAGC"
       "CGGGCGTGGTGGCGCGCGCCTGTAATCCCAGCTACTCGGGAGGCTGAGGCAGGAGAATCGCTTGAACCC"
       "GGGAGGCGGAGGTTGCAGTGAGCCGAGATCGCGCCACTGCACTCCAGCCTGGGCGACAGAGCGAGACTC"
       "CGTCTCAAAAA")
IUB = [("a", 0.27), ("c", 0.12), ("g", 0.12), ("t", 0.27), ("B", 0.02),
       ("D", 0.02), ("H", 0.02), ("K", 0.02), ("M", 0.02), ("N", 0.02),
       ("R", 0.02), ("S", 0.02), ("V", 0.02), ("W", 0.02), ("Y", 0.02)]
HOMO = [("a", 0.3029549426680), ("c", 0.1979883004921),
        ("g", 0.1975473066391), ("t", 0.3015094502008)]


def make_fasta(n=500000):
    """The benchmarks game's fasta output for n (its LCG, seed 42)."""
    out = []
    width = 60

    def repeat(header, seq, count):
        out.append(header)
        s = seq * (count // len(seq) + 2)
        for i in range(0, count, width):
            out.append(s[i:min(i + width, count)])

    seed = [42]

    def random_fasta(header, table, count):
        out.append(header)
        cum, probs, total = [], [], 0.0
        for c, p in table:
            total += p
            cum.append(c)
            probs.append(total)
        line = []
        im, ia, ic = 139968, 3877, 29573
        s = seed[0]
        for i in range(count):
            s = (s * ia + ic) % im
            r = s / im
            for c, p in zip(cum, probs):
                if r < p:
                    line.append(c)
                    break
            else:
                line.append(cum[-1])
            if len(line) == width:
                out.append("".join(line))
                line = []
        if line:
            out.append("".join(line))
        seed[0] = s

    repeat(">ONE Homo sapiens alu", ALU, 2 * n)
    random_fasta(">TWO IUB ambiguity codes", IUB, 3 * n)
    random_fasta(">THREE Homo sapiens frequency", HOMO, 5 * n)
    return ("\n".join(out) + "\n").encode()


def cached(name, make):
    path = os.path.join(CACHE, name)
    if not os.path.exists(path):
        os.makedirs(CACHE, exist_ok=True)
        data = make()
        with tempfile.NamedTemporaryFile(dir=CACHE, delete=False) as f:
            f.write(data)
        os.replace(f.name, path)
    with open(path, "rb") as f:
        return f.read()


TEXT_BYTES = cached("text.txt", make_text)
FASTA = cached("fasta.txt", make_fasta)
TEXT = TEXT_BYTES.decode()

INPUTS = {"text.txt": TEXT_BYTES, "fasta.txt": FASTA}

PATTERNS = {
    "literal": "Sherlock",
    "alternation": "Sherlock|Holmes|Watson|Irene|Adler",
    "ing_words": r"\b\w+ing\b",
    "key_val": r"(?P<key>\w+)=(?P<val>.*?);",
}

VARIANTS = (b"agggtaaa|tttaccct", b"[cgt]gggtaaa|tttaccc[acg]",
            b"a[act]ggtaaa|tttacc[agt]t", b"ag[act]gtaaa|tttac[agt]ct",
            b"agg[act]taaa|ttta[agt]cct", b"aggg[acg]aaa|ttt[cgt]ccct",
            b"agggt[cgt]aa|tt[acg]accct", b"agggta[cgt]a|t[acg]taccct",
            b"agggtaa[cgt]|[acg]ttaccct")
SUBST = ((b"tHa[Nt]", b"<4>"), (b"aND|caN|Ha[DS]|WaS", b"<3>"),
         (b"a[NSt]|BY", b"<2>"), (b"<[^>]*>", b"|"),
         (b"\\|[^|][^|]*\\|", b"-"))


def count(pattern, text):
    return sum(1 for _ in re.finditer(pattern, text))


def regex_redux(seq):
    """The regex-redux program (Python version); returns its results."""
    seq = re.sub(b">.*\n|\n", b"", seq)
    counts = [sum(1 for _ in re.finditer(v, seq)) for v in VARIANTS]
    for f, r in SUBST:
        seq = re.sub(f, r, seq)
    return counts, len(seq)


CASES = [
    dict(name=name, unit="MB/s", bytes=len(TEXT_BYTES), anchor="pcre2",
         py_setup="p = re.compile(PATTERNS[%r])" % name,
         py_stmt="sum(1 for _ in p.finditer(TEXT))")
    for name in PATTERNS
] + [
    dict(name="regex_redux", unit="MB/s", bytes=len(FASTA), anchor="pcre2",
         py_setup="", py_stmt="regex_redux(FASTA)"),
]
