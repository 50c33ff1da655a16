"""Oracle plug-in for the core module: UTF-8, repr(), bt_strvec.

A plug-in gives run.py:
  GROUPS              the check groups, in TAP order (one `ok` line each)
  FIELDS[group]       names of the driver's answer fields; a name ending in
                      ':hex' holds hex-encoded bytes (shown decoded on mismatch)
  generate(rng)       -> (group, [bytes args]) for one random case
  expect(group, args) -> [str fields], CPython's answer in the driver's format
"""
import unicodedata

GROUPS = ['utf8', 'repr_str', 'repr_bytes', 'strvec', 'codepoint']

FIELDS = {
    # validate's verdict; the bad span (end from bt_utf8_decode at start);
    # bt_utf8_count; where a bt_utf8_decode loop first fails; the code
    # points it yields (bad bytes as U+DC80.. like 'surrogateescape'); whether
    # bt_utf8_encode of them gives the input back; whether validate and count
    # agree at every alignment of the input.
    'utf8': ['status', 'start', 'end', 'message:hex', 'count', 'decode_bad',
             'decoded', 'reencoded', 'aligned'],
    'repr_str': ['repr:hex'],
    'repr_bytes': ['repr:hex'],
    # sep.join(v) as appended, v.index(probe), len, sep.join(sorted(v)) and
    # the sorted items themselves (comma-separated hex).
    'strvec': ['join:hex', 'index', 'count', 'sorted_join:hex', 'sorted'],
    'codepoint': ['utf8:hex', 'isprintable'],
}

WEIGHTS = {'utf8': 40, 'repr_str': 25, 'repr_bytes': 10, 'strvec': 10,
           'codepoint': 15}


def _hex(b):
    return b.hex()


# ---------------------------------------------------------------- generators

def _valid_char(rng):
    width = rng.choice((1, 2, 2, 3, 3, 3, 4))
    if width == 1:
        return bytes([rng.randrange(0x80)])
    if width == 2:
        cp = rng.randrange(0x80, 0x800)
    elif width == 3:
        cp = rng.choice((rng.randrange(0x800, 0xD800),
                         rng.randrange(0xE000, 0x10000)))
    else:
        cp = rng.randrange(0x10000, 0x110000)
    return chr(cp).encode()


def _cont(rng):
    return rng.randrange(0x80, 0xC0)


def _utf8_piece(rng):
    """One chunk of UTF-8-ish input: mostly valid, each kind of error often."""
    kind = rng.randrange(12)
    if kind <= 2:  # ASCII runs of every length cross the word-at-a-time loop
        return bytes(rng.randrange(0x20, 0x7F)
                     for _ in range(rng.choice((1, 7, 8, 9, 31, 32, 33,
                                                rng.randrange(80)))))
    if kind <= 5:
        return b''.join(_valid_char(rng) for _ in range(rng.randrange(1, 6)))
    if kind == 6:  # truncated multi-byte sequence
        full = chr(rng.choice((rng.randrange(0x80, 0x800),
                               rng.randrange(0x800, 0xD800),
                               rng.randrange(0x10000, 0x110000)))).encode()
        return full[:rng.randrange(1, len(full))]
    if kind == 7:  # surrogate, ED A0..BF xx
        return bytes([0xED, rng.randrange(0xA0, 0xC0), _cont(rng)])
    if kind == 8:  # overlong forms
        return rng.choice((
            bytes([rng.choice((0xC0, 0xC1)), _cont(rng)]),
            bytes([0xE0, rng.randrange(0x80, 0xA0), _cont(rng)]),
            bytes([0xF0, rng.randrange(0x80, 0x90), _cont(rng), _cont(rng)]),
        ))
    if kind == 9:  # above U+10FFFF, and bytes that never start anything
        return rng.choice((
            bytes([0xF4, rng.randrange(0x90, 0xC0), _cont(rng), _cont(rng)]),
            bytes([rng.randrange(0xF5, 0x100)]) + bytes(
                _cont(rng) for _ in range(rng.randrange(4))),
        ))
    if kind == 10:  # lone continuation bytes
        return bytes(_cont(rng) for _ in range(rng.randrange(1, 4)))
    return rng.randbytes(rng.randrange(1, 5))


def _utf8ish(rng, max_pieces=12):
    return b''.join(_utf8_piece(rng)
                    for _ in range(rng.randrange(max_pieces + 1)))


_edges = None


def _printable_edges():
    """Code points where str.isprintable() flips: the table boundaries."""
    global _edges
    if _edges is None:
        prev, _edges = True, []
        for cp in range(0x110000):
            p = chr(cp).isprintable()
            if p != prev:
                _edges.append(cp)
                prev = p
    return _edges


_FORMAT_AND_SPACES = (
    0xA0, 0xAD, 0x600, 0x605, 0x61C, 0x6DD, 0x70F, 0x1680, 0x180E, 0x2000,
    0x200A, 0x200B, 0x200F, 0x2028, 0x2029, 0x202A, 0x202E, 0x202F, 0x205F,
    0x2060, 0x2064, 0x2066, 0x206F, 0x3000, 0xFEFF, 0xFFF9, 0xFFFB, 0x110BD,
    0x1D173, 0x1D17A, 0xE0001, 0xE0020, 0xE007F,
)


def _codepoint(rng):
    kind = rng.randrange(10)
    if kind == 0:
        return ord(rng.choice('\'"\\\n\r\t\x00\x1b\x7f a'))
    if kind == 1:
        return rng.randrange(0x80)
    if kind == 2:
        return rng.randrange(0x80, 0x100)
    if kind == 3:
        return rng.randrange(0x100, 0x10000)
    if kind == 4:
        return rng.randrange(0x10000, 0x110000)
    if kind == 5:  # unassigned, found by asking unicodedata
        for _ in range(50):
            cp = rng.randrange(0x110000)
            if unicodedata.category(chr(cp)) == 'Cn':
                break
        return cp
    if kind == 6:  # private use
        return rng.choice((rng.randrange(0xE000, 0xF900),
                           rng.randrange(0xF0000, 0x110000)))
    if kind == 7:
        return rng.choice(_FORMAT_AND_SPACES)
    edges = _printable_edges()
    return max(0, rng.choice(edges) + rng.choice((-1, 0)))


def _text(rng):
    """UTF-8 of a random str; surrogates come only through the invalid-bytes
    path (a str with a lone surrogate has no UTF-8)."""
    cps = [_codepoint(rng) for _ in range(rng.randrange(12))]
    return ''.join(chr(c) for c in cps if not 0xD800 <= c <= 0xDFFF).encode()


def _item(rng):
    kind = rng.randrange(6)
    if kind == 0:
        return b''
    if kind == 1:  # short strings over a tiny alphabet: ties and prefixes
        return bytes(rng.choice(b'ab\x00') for _ in range(rng.randrange(4)))
    if kind == 2:
        return _text(rng)
    if kind == 3:
        return rng.randbytes(rng.randrange(1, 6))
    return bytes(rng.randrange(0x61, 0x64) for _ in range(rng.randrange(6)))


def generate(rng):
    group = rng.choices(GROUPS, weights=[WEIGHTS[g] for g in GROUPS])[0]
    if group == 'utf8':
        return group, [_utf8ish(rng)]
    if group == 'repr_str':
        data = _text(rng) if rng.random() < 0.6 else _utf8ish(rng, 5)
        return group, [data]
    if group == 'repr_bytes':
        data = rng.choice((rng.randbytes(rng.randrange(20)), _utf8ish(rng, 4),
                           bytes(rng.choice(b'\'"\\\t\n\r\x00\x7f\x80\xffa')
                                 for _ in range(rng.randrange(10)))))
        return group, [data]
    if group == 'strvec':
        items = [_item(rng) for _ in range(rng.randrange(20))]
        items += rng.sample(items, k=min(len(items), rng.randrange(3)))
        rng.shuffle(items)
        sep = bytes(rng.choice(b', \x00') for _ in range(rng.randrange(3)))
        probe = rng.choice(items) if items and rng.random() < 0.7 else _item(rng)
        return group, [sep, probe] + items
    # Surrogates and out-of-range values must be refused by bt_utf8_encode.
    cp = rng.choice((_codepoint(rng), rng.randrange(0xD800, 0xE000),
                     rng.randrange(0x110000, 0x120000),
                     rng.choice((0xFFFFFFFF, 0x7FFFFFFF, 0x80000000))))
    return group, [cp.to_bytes(4, 'big')]


# ---------------------------------------------------------- CPython's answer

def _codepoints(s):
    return ''.join('%06x' % ord(c) for c in s)


def _expect_utf8(data):
    lenient = data.decode('utf-8', 'surrogateescape')
    try:
        text = data.decode('utf-8')
    except UnicodeDecodeError as e:
        return ['err', str(e.start), str(e.end), _hex(str(e).encode()),
                'err', str(e.start), _codepoints(lenient), 'same', 'same']
    return ['ok', '-', '-', '', str(len(text)), '-', _codepoints(lenient),
            'same', 'same']


def expect(group, args):
    if group == 'utf8':
        return _expect_utf8(args[0])
    if group == 'repr_str':
        return [_hex(repr(args[0].decode('utf-8', 'surrogateescape')).encode())]
    if group == 'repr_bytes':
        return [_hex(repr(args[0]).encode('ascii'))]
    if group == 'strvec':
        sep, probe, items = args[0], args[1], args[2:]
        index = str(items.index(probe)) if probe in items else 'absent'
        ordered = sorted(items)
        return [_hex(sep.join(items)), index, str(len(items)),
                _hex(sep.join(ordered)), ','.join(_hex(i) for i in ordered)]
    if group == 'codepoint':
        cp = int.from_bytes(args[0], 'big')
        try:
            encoded = _hex(chr(cp).encode('utf-8'))
            printable = '1' if chr(cp).isprintable() else '0'
        except (ValueError, OverflowError, UnicodeEncodeError):
            # chr() refuses > U+10FFFF, the strict encoder refuses surrogates;
            # isprintable() is False for both.
            encoded, printable = 'refused', '0'
        return [encoded, printable]
    raise ValueError('unknown group %r' % group)
