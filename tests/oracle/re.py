"""Oracle plug-in for the re module: random patterns and subjects.

Patterns come from a small grammar of Python's syntax (literals with the
characters where case folding is tricky, sets, escapes, categories, anchors,
every kind of group, lookarounds, backreferences, conditionals, lazy and
possessive repeats, inline and scoped flags) and one time in eight are
damaged (a character dropped, inserted or cut off) to reach the errors.
Most are str patterns; those that fit in Latin-1 also run as bytes.

Every case sends the kind (s or b), the flags and the pattern first. All
positions the C side answers are byte offsets, so CPython's character
offsets are converted here; strings travel in hex.

Deviations kept out of the draws (docs/re.md lists them): repeat counts
and look-behinds over 65535 (PCRE2's limits, never drawn); IGNORECASE
backreferences (the pattern is drawn again), where PCRE2's Unicode case
folding and sre's lowercasing differ; repeats of a body that holds a group
and can match the empty string, other than * and {m,} with m >= 2 (drawn
again: sre and PCRE2 stop repeating empty passes at different points, which
shows in the groups); possessive repeats of a body with a group (CPython
3.11's sre keeps the start of a group that a last, failed pass opened);
conditionals on a group from inside that group (sre takes a group it is
re-entering as unset when its last capture ended before the new start);
match() with endpos < pos.
"""
import os
import re
import warnings

# run.py keeps tests/oracle off sys.path: this must be the standard module.
assert hasattr(re, 'fullmatch') and \
    os.path.abspath(re.__file__) != os.path.abspath(__file__), re

warnings.simplefilter('ignore')

GROUPS = ['compile', 'search', 'match', 'fullmatch', 'findall', 'finditer',
          'split', 'sub', 'expand', 'escape']

FIELDS = {
    'compile': ['result', 'message:hex', 'pos', 'flags', 'groups', 'groupindex'],
    'search': ['result', 'message:hex', 'spans', 'lastindex', 'lastgroup'],
    'match': ['result', 'message:hex', 'spans', 'lastindex', 'lastgroup'],
    'fullmatch': ['result', 'message:hex', 'spans', 'lastindex', 'lastgroup'],
    'findall': ['result', 'message:hex', 'items'],
    'finditer': ['result', 'message:hex', 'matches'],
    'split': ['result', 'message:hex', 'items'],
    'sub': ['result', 'message:hex', 'out:hex', 'count'],
    'expand': ['result', 'message:hex', 'out:hex'],
    'escape': ['out:hex'],
}

WEIGHTS = {'compile': 20, 'search': 25, 'match': 8, 'fullmatch': 8,
           'findall': 10, 'finditer': 10, 'split': 6, 'sub': 10,
           'expand': 4, 'escape': 2}

# Characters whose case folding differs between engines, and plain ones.
LITERALS = ('abcxyzABCXYZ0189 _-,;:!="\'/@%<>\n'
            '\u00e9\u00c9\u00df\u1e9ekK\u212asS\u017fiI\u0131\u0130'
            '\u03c3\u03c2\u03a3\u00b5\u039c\u03bc\u0345\u03b9\u1fbe'
            '\U0001F600\U00010400\U00010428\u00e0\u4e2d\u0661\u00b2'
            '\u2160\u0300\u203f\u00a0\u2028\u1c80\u0432')
SUBJECT_EXTRA = 'aAbB \n_1\u00e9\u00c9-'
FLAG_CHOICES = [0, 0, 0, 0, re.I, re.M, re.S, re.X, re.A, re.I | re.A,
                re.I | re.M | re.S, re.U, re.L, re.DEBUG & 0, 1024]
NAMES = ['a', 'b', 'key', 'val', '\u00e9t\u00e9', 'x1', '_']


class Gen:
    def __init__(self, rng, bytes_only):
        self.rng = rng
        self.groups = 0
        self.closed = []
        self.names = []
        self.bytes_only = bytes_only

    def lit(self):
        r = self.rng
        c = r.choice(LITERALS)
        if self.bytes_only and ord(c) > 255:
            c = r.choice('abcAB01_ -')
        if c in '.^$*+?{}[]\\|()#':
            return '\\' + c
        return c

    def set_item(self):
        r = self.rng
        k = r.randrange(10)
        if k < 4:
            return self.lit().replace(']', '\\]')
        if k < 6:
            a, b = sorted(r.sample('abcxyzAZ09\u00e0\u00e9\u03c3', 2))
            if self.bytes_only and (ord(a) > 255 or ord(b) > 255):
                a, b = 'a', 'f'
            return a + '-' + b
        if k < 8:
            return r.choice(['\\d', '\\w', '\\s', '\\D', '\\W', '\\S'])
        return r.choice(['\\n', '\\x41', '\\101', '\\-', '\\]', '-',
                         '\\\\', '^', '[', '\\u00e9' if not self.bytes_only
                         else 'e', '\\U00010400' if not self.bytes_only
                         else 'E'])

    def charset(self):
        r = self.rng
        items = ''.join(self.set_item() for _ in range(r.randrange(1, 4)))
        return '[' + ('^' if r.random() < 0.3 else '') + items + ']'

    def atom(self, depth, fixed=False):
        r = self.rng
        k = r.randrange(100)
        if k < 30 or depth > 3:
            return self.lit()
        if k < 42:
            return self.charset()
        if k < 50:
            return r.choice(['\\d', '\\w', '\\s', '\\D', '\\W', '\\S', '.'])
        if k < 56 and not fixed:
            return r.choice(['^', '$', '\\A', '\\Z', '\\b', '\\B'])
        if k < 60:
            esc = ['\\x41', '\\t', '\\n', '\\0', '\\012', '\\141', '\\\\']
            if not self.bytes_only:
                esc += ['\\u00e9', '\\U0001F600', '\\N{LATIN SMALL LETTER A}',
                        '\\N{EM DASH}', '\\N{greek small letter sigma}',
                        '\\udc80']
            return r.choice(esc)
        if k < 66 and self.closed and not fixed:
            g = r.choice(self.closed)
            if isinstance(g, str):
                return '(?P=%s)' % g
            return r.choice(['\\%d' % g, '(?:\\%d)' % g])
        if k < 70 and not fixed:
            g = r.randrange(1, self.groups + 2)
            return '(?(%d)%s|%s)' % (g, self.seq(depth + 1),
                                     self.seq(depth + 1))
        if k < 74 and not fixed:
            body = self.fixed_seq(depth + 1)
            return '(?<%s%s)' % (r.choice('=!'), body)
        return self.group(depth, fixed)

    def group(self, depth, fixed):
        r = self.rng
        k = r.randrange(10)
        if k < 4:
            self.groups += 1
            g = self.groups
            body = self.fixed_seq(depth + 1) if fixed else self.alt(depth + 1)
            self.closed.append(g)
            return '(' + body + ')'
        if k < 5:
            self.groups += 1
            name = r.choice(NAMES)
            if self.bytes_only and not name.isascii():
                name = 'bb'
            if name in self.names:
                name = name + str(self.groups)
            self.names.append(name)
            body = self.fixed_seq(depth + 1) if fixed else self.alt(depth + 1)
            self.closed.append(name)
            return '(?P<%s>%s)' % (name, body)
        body = self.fixed_seq(depth + 1) if fixed else self.alt(depth + 1)
        if k < 6:
            return '(?:' + body + ')'
        if k < 8:
            flag = r.choice(['i', '-i', 'a', 's', 'm', 'i-s', 'x', 'u'])
            if self.bytes_only and flag == 'u':
                flag = 'i'
            return '(?%s:%s)' % (flag, body)
        if k < 9 and not fixed:
            return '(?>' + body + ')'
        return '(?%s%s)' % (r.choice('=!'), body)

    def quant(self):
        r = self.rng
        q = r.choice(['*', '+', '?', '{2}', '{1,3}', '{,2}', '{2,}', '{0}',
                      '{0,1}', '{3,1}'])
        return q + r.choice(['', '', '?', '+'])

    def piece(self, depth, fixed=False):
        a = self.atom(depth, fixed)
        if not fixed and self.rng.random() < 0.3:
            a += self.quant()
        elif fixed and self.rng.random() < 0.1:
            a += '{2}'
        return a

    def seq(self, depth):
        return ''.join(self.piece(depth) for _ in range(self.rng.randrange(4)))

    def fixed_seq(self, depth):
        n = self.rng.randrange(1, 3)
        return ''.join(self.piece(depth, True) for _ in range(n))

    def alt(self, depth):
        out = self.seq(depth)
        while self.rng.random() < 0.25:
            out += '|' + self.seq(depth)
        return out

    def pattern(self):
        r = self.rng
        p = self.alt(0)
        if r.random() < 0.15:
            p = r.choice(['(?i)', '(?m)', '(?s)', '(?a)', '(?x)', '(?ims)',
                          '(?u)', '(?L)']) + p
        return p


def damage(rng, p):
    k = rng.randrange(4)
    i = rng.randrange(len(p) + 1)
    if k == 0 and p:
        return p[:i] + p[i + 1:]
    if k == 1:
        return p[:i] + rng.choice('()[]{}?*+\\|^$-:<>=!P#0123g') + p[i:]
    if k == 2:
        return p[:i]
    return p + rng.choice(['\\', '(', ')', '[', '{1', '(?', '(?P<', '\\q',
                           '\\8', '\\400', '\\x4', '\\u12', '\\N{NO SUCH}',
                           '(?<=a*)', '(?i', '{2,1}', '(?P=zz)'])


def _deviates(seq, flags, open_groups=()):
    """Does a parsed pattern use a documented deviation (see above)?"""
    from re import _constants as C
    for op, av in seq:
        if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            lo, hi, body = av
            unbounded_ok = hi == C.MAXREPEAT and lo != 1
            if (hi > 1 and not unbounded_ok and body.getwidth()[0] == 0 and
                    _has_group(body)):
                return True
            if op is C.POSSESSIVE_REPEAT and _has_group(body):
                return True
            if _deviates(body, flags, open_groups):
                return True
        elif op is C.GROUPREF and flags & re.I:
            return True
        elif op is C.SUBPATTERN:
            f = flags
            if av[1] & re.I:
                f |= re.I
            if av[2] & re.I:
                f &= ~re.I
            inner = open_groups + ((av[0],) if av[0] is not None else ())
            if _deviates(av[3], f, inner):
                return True
        elif op is C.BRANCH:
            if any(_deviates(b, flags, open_groups) for b in av[1]):
                return True
        elif op in (C.ASSERT, C.ASSERT_NOT):
            if _deviates(av[1], flags, open_groups):
                return True
        elif op is C.ATOMIC_GROUP:
            if _deviates(av, flags, open_groups):
                return True
        elif op is C.GROUPREF_EXISTS:
            if av[0] in open_groups:
                return True
            if _deviates(av[1], flags, open_groups) or (
                    av[2] and _deviates(av[2], flags, open_groups)):
                return True
    return False


def _has_group(seq):
    from re import _constants as C
    for op, av in seq:
        if op is C.SUBPATTERN and av[0] is not None:
            return True
        subs = []
        if op is C.SUBPATTERN:
            subs = [av[3]]
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            subs = [av[2]]
        elif op is C.BRANCH:
            subs = av[1]
        elif op in (C.ASSERT, C.ASSERT_NOT):
            subs = [av[1]]
        elif op is C.ATOMIC_GROUP:
            subs = [av]
        elif op is C.GROUPREF_EXISTS:
            subs = [av[1]] + ([av[2]] if av[2] else [])
        if any(_has_group(x) for x in subs):
            return True
    return False


def deviates(kind, flags, p):
    try:
        tree = re._parser.parse(p if kind == 's' else p.encode('latin-1'),
                                flags)
    except Exception:  # noqa: BLE001 -- errors are compared, not skipped
        return False
    return _deviates(tree, tree.state.flags)


def make_pattern(rng):
    for _ in range(20):
        kind, flags, p = _make_pattern(rng)
        if not deviates(kind, flags, p):
            break
    return kind, flags, p


def _make_pattern(rng):
    bytes_only = rng.random() < 0.2
    g = Gen(rng, bytes_only)
    p = g.pattern()
    if rng.random() < 0.125:
        p = damage(rng, p)
    kind = 's'
    if bytes_only:
        try:
            p.encode('latin-1')
            kind = 'b'
        except UnicodeEncodeError:
            pass
    flags = rng.choice(FLAG_CHOICES)
    if kind == 's' and flags & re.L and rng.random() < 0.7:
        flags &= ~re.L
    if kind == 'b' and flags & re.U and rng.random() < 0.7:
        flags &= ~re.U
    return kind, flags, p


def encode(kind, s):
    return s.encode('utf-8') if kind == 's' else s.encode('latin-1')


def subject(rng, kind, p):
    chars = [c for c in p if c not in '()[]?*+{}|\\^$'] + list(SUBJECT_EXTRA)
    if kind == 'b':
        chars = [c for c in chars if ord(c) < 256]
    n = rng.randrange(12)
    return ''.join(rng.choice(chars) for _ in range(n))


def template(rng, kind):
    parts = []
    for _ in range(rng.randrange(4)):
        parts.append(rng.choice([
            'x', '-', '\\1', '\\2', '\\g<1>', '\\g<0>', '\\g<a>', '\\g<key>',
            '\\n', '\\\\', '\\t', '\\101', '\\0', '\\07', '\\12', '\\g< 1>',
            '\\g<-1>', '\\g<x', '\\g', '\\q', '\\-', '\\8', '\\99',
            '\\g<9999999999999>', '\\400', '\u00e9' if kind == 's' else 'e',
            '\\g<1_0>', '\\']))
    return ''.join(parts)


def generate(rng):
    group = rng.choices(GROUPS, [WEIGHTS[g] for g in GROUPS])[0]
    if group == 'escape':
        kind = rng.choice('sb')
        chars = 'ab()[]{}?*+-|^$\\.&~# \t\n\r\v\f\x00\u00e9_1'
        s = ''.join(rng.choice(chars) for _ in range(rng.randrange(8)))
        return group, [encode('s', s) if kind == 's' else
                       s.encode('utf-8')]
    kind, flags, p = make_pattern(rng)
    head = [kind.encode(), str(int(flags)).encode(), encode(kind, p)]
    if group == 'compile':
        return group, head
    s = subject(rng, kind, p)
    if group in ('search', 'match', 'fullmatch', 'findall', 'finditer'):
        n = len(s)
        pos = rng.choice([0, 0, 0, 1, 2, n, n + 2, -1])
        endpos = rng.choice([n, n, n, n - 1, 3, n + 5, 0, -1])
        if group == 'match' and max(endpos, 0) < min(max(pos, 0), n):
            endpos = n  # the documented deviation
        return group, head + [encode(kind, s), str(cbyte(kind, s, pos)).encode(),
                              str(cbyte(kind, s, endpos)).encode()]
    if group == 'split':
        return group, head + [encode(kind, s),
                              str(rng.choice([0, 0, 1, 2])).encode()]
    if group == 'sub':
        return group, head + [encode(kind, template(rng, kind)),
                              encode(kind, s),
                              str(rng.choice([0, 0, 1, 2])).encode()]
    return group, head + [encode(kind, s), encode(kind, template(rng, kind))]


def cbyte(kind, s, i):
    """Byte offset of character index i (clamping as Python will)."""
    if kind == 'b' or i < 0:
        return i
    if i > len(s):
        return len(s.encode()) + (i - len(s))
    return len(s[:i].encode())


def exc_name(e):
    if isinstance(e, re.error):
        return 're.error'
    if isinstance(e, RecursionError):
        return 'RuntimeError'
    return type(e).__name__


def decode(kind, b):
    return b.decode('utf-8') if kind == 's' else b


def to_bytes(kind, s, i):
    if kind == 'b' or i is None or i < 0:
        return i
    return len(s[:i].encode())


def spans(kind, s, m):
    out = []
    for g in range(m.re.groups + 1):
        a, b = m.span(g)
        out.append('%d,%d' % (to_bytes(kind, s, a), to_bytes(kind, s, b)))
    return ';'.join(out)


def hexs(kind, x):
    if x is None:
        return ''
    return (x.encode() if kind == 's' else x).hex()


def expect(group, args):
    if group == 'escape':
        return [re.escape(args[0].decode('utf-8')).encode().hex()]
    kind, flags, praw = args[0].decode(), int(args[1]), args[2]
    pat = decode(kind, praw)
    nfields = len(FIELDS[group])
    try:
        r = re.compile(pat, flags)
    except Exception as e:  # noqa: BLE001 -- every exception is an answer
        if group == 'compile':
            pos = -1
            if isinstance(e, re.error) and e.pos is not None:
                pos = to_bytes(kind, pat, e.pos)
            return [exc_name(e), str(e).encode().hex(), str(pos), '-', '-', '-']
        return [exc_name(e), str(e).encode().hex()] + ['-'] * (nfields - 2)
    if group == 'compile':
        gi = ';'.join('%s=%d' % (hexs('s', k) if True else k, v)
                      for k, v in sorted(r.groupindex.items(),
                                         key=lambda kv: kv[1]))
        return ['ok', '-', '-', str(r.flags), str(r.groups), gi or '-']
    s = decode(kind, args[3])
    if group in ('search', 'match', 'fullmatch', 'findall', 'finditer'):
        pos, endpos = int(args[4]), int(args[5])
        if kind == 's':
            pos, endpos = bchar(s, pos), bchar(s, endpos)
        fn = getattr(r, group)
        try:
            res = fn(s, pos, endpos)
        except Exception as e:  # noqa: BLE001
            return [exc_name(e), str(e).encode().hex()] + ['-'] * (nfields - 2)
        if group == 'findall':
            items = []
            for x in res:
                if isinstance(x, tuple):
                    items.extend(x)
                else:
                    items.append(x)
            return ['ok', '-', '%d:' % len(items) +
                    ','.join(hexs(kind, x) for x in items)]
        if group == 'finditer':
            out = ['%s/%d' % (spans(kind, s, m),
                              -1 if m.lastindex is None else m.lastindex)
                   for m in res]
            return ['ok', '-', '|'.join(out) or '-']
        if res is None:
            return ['none', '-', '-', '-', '-']
        li = -1 if res.lastindex is None else res.lastindex
        lg = '-' if res.lastgroup is None else res.lastgroup.encode().hex()
        return ['ok', '-', spans(kind, s, res), str(li), lg]
    if group == 'split':
        try:
            res = r.split(s, maxsplit=int(args[4]))
        except Exception as e:  # noqa: BLE001
            return [exc_name(e), str(e).encode().hex(), '-']
        return ['ok', '-', '%d:' % len(res) +
                ','.join(hexs(kind, x) for x in res)]
    if group == 'sub':
        repl = decode(kind, args[3])
        s = decode(kind, args[4])
        try:
            out, n = r.subn(repl, s, count=int(args[5]))
        except Exception as e:  # noqa: BLE001
            return [exc_name(e), str(e).encode().hex(), '-', '-']
        return ['ok', '-', hexs(kind, out), str(n)]
    # expand
    t = decode(kind, args[4])
    m = r.search(s)
    if m is None:
        return ['none', '-', '-']
    try:
        return ['ok', '-', hexs(kind, m.expand(t))]
    except Exception as e:  # noqa: BLE001
        return [exc_name(e), str(e).encode().hex(), '-']


def bchar(s, b):
    """Character index of byte offset b into s (past the end: beyond)."""
    if b < 0:
        return b
    raw = s.encode()
    if b >= len(raw):
        return len(s) + (b - len(raw))
    return len(raw[:b].decode('utf-8', 'ignore'))
