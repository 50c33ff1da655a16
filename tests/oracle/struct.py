"""Oracle plug-in for the struct module: formats, pack, unpack and offsets.

Formats go to CPython as bytes, which the struct module accepts: a byte that
is no format character is then "bad char in struct format" exactly where C
meets it. (Given a str, CPython would refuse a non-ASCII character up front
with UnicodeEncodeError, before seeing any earlier error: the documented
deviation, which bytes formats step around.) A NUL cannot reach C, so no
format holds one.

Items travel as text, as in tools/gen_vectors/struct.py, separated by
spaces: i:<int> and u:<int> (the C side builds an INT or a UINT item: the
same Python int either way), d:<16 hex digits of the double's bits>, b:0|1,
y:<hex bytes>. Unpacked items come back in the same notation, the kind given
by the format character (signed codes INT, unsigned ones UINT), doubles
compared bit for bit.

A CPython 3.11 bug is not followed: a 'p' field of size 0 ('0p') has its
length byte written anyway, 0xff at the field's offset (seen when a pad byte,
alignment padding or, in pack_into, the buffer's next byte is there), and
unpacking one raises SystemError ("Negative size passed to
PyBytes_FromStringAndSize"). The library writes nothing and gives b'', as
'0s' does: where CPython's answer for a format with '0p' is a success or a
SystemError, the answer expected is CPython's for that format with '0s'.
"""
import math
import os
import re
import struct

# run.py keeps tests/oracle off sys.path: this must be the standard module.
assert hasattr(struct, 'iter_unpack') and \
    os.path.abspath(struct.__file__) != os.path.abspath(__file__), struct

GROUPS = ['calcsize', 'pack', 'unpack', 'roundtrip', 'offsets', 'iter']

FIELDS = {
    # result is 'ok' or the exception's name (struct.error, OverflowError).
    'calcsize': ['result', 'size', 'message'],
    # bt_struct_new + bt_struct_pack and bt_struct_pack_fmt, which must agree.
    'pack': ['result', 'packed:hex', 'message'],
    # bt_struct_new + bt_struct_unpack and bt_struct_unpack_fmt, likewise.
    'unpack': ['result', 'items', 'message'],
    # unpack(pack(values)).
    'roundtrip': ['result', 'items', 'message'],
    # unpack_from(data, offset); pack_into(bytearray(data), offset, *values).
    'offsets': ['unpack_from', 'items', 'uf_message',
                'pack_into', 'buffer:hex', 'pi_message'],
    # iter_unpack: the records, ';'-separated.
    'iter': ['result', 'records', 'message'],
}

# Library bugs found by this oracle and not fixed yet: the cases that show
# them are not drawn while they are listed here (take the entry out to check
# a fix). 'pack_into_count' (the pack_into wording for a wrong item count)
# was the first, fixed the same day.
KNOWN_BUGS = set()

WEIGHTS = {'calcsize': 20, 'pack': 30, 'unpack': 20, 'roundtrip': 15,
           'offsets': 10, 'iter': 5}

SIGNED = 'bhilqn'
UNSIGNED = 'BHILQNP'
FLOATS = 'efd'
NATIVE_CODES = 'xcbB?hHiIlLqQnNPefdsp'
STANDARD_CODES = 'xcbB?hHiIlLqQefdsp'
PREFIXES = ['', '', '@', '=', '<', '>', '!']
SPACES = b' \t\n\r\x0b\x0c'
# Never format characters: letters, punctuation, the prefixes out of place,
# controls that are not C whitespace, bytes above ASCII.
JUNK = (b'aAzZkKgjJmMoOrRtTuUvVwWyYD!@<>=-+.#()[]*%$~/\\|",;:_'
        b'\x01\x1c\x1f\x7f\x80\x85\xa0\xc3\xe9\xff')
HUGE_COUNTS = [2**31 - 1, 2**31, 2**32, 2**60, 2**61 - 1, 2**62, 2**63 - 1,
               2**63, 2**64, 10**19, 10**20, 1152921504606846975,
               1152921504606846976, 4611686018427387903, 4611686018427387904,
               9223372036854775807, 9223372036854775806]

I64_MIN, I64_MAX, U64_MAX = -2**63, 2**63 - 1, 2**64 - 1


# ---------------------------------------------------------------- generators

def _count(rng, c, huge):
    r = rng.random()
    if r < 0.5:
        return None
    if r < 0.9:
        return rng.randrange(4)
    if huge and rng.random() < 0.6:
        return rng.choice(HUGE_COUNTS) + rng.choice((-1, 0, 0, 1))
    return rng.randrange(4, 300 if c in 'spx' else 24)


def _format(rng, defect=0.2, huge=False, max_tokens=6):
    """(format bytes, standard?, [(char, count)]) of a random format; with
    probability `defect` one thing in it is wrong."""
    prefix = rng.choice(PREFIXES)
    std = prefix not in ('', '@')
    codes = STANDARD_CODES if std else NATIVE_CODES
    tokens = [(rng.choice(codes), None) for _ in range(rng.randrange(max_tokens + 1))]
    tokens = [(c, _count(rng, c, huge)) for c, _ in tokens]
    kind = rng.randrange(5) if rng.random() < defect else None
    at = rng.randrange(len(tokens) + 1)
    if kind == 3 and tokens:  # whitespace between a count and its char
        at = min(at, len(tokens) - 1)
        if tokens[at][1] is None:
            tokens[at] = (tokens[at][0], rng.randrange(4))
    if kind == 0:  # a byte that is no format character
        tokens.insert(at, (chr(rng.choice(JUNK)), _count(rng, 'x', huge)))
    elif kind == 1:  # n N P: native only; in native mode, a prefix out of place
        tokens.insert(at, (rng.choice('nNP') if std else rng.choice('@=<>!'), None))
    out = bytearray()
    if kind == 2:  # whitespace first: the prefix is then a plain (bad) char
        out.append(rng.choice(SPACES))
    out += prefix.encode()
    for k, (c, n) in enumerate(tokens):
        if n is not None:
            digits = str(n)
            if rng.random() < 0.05:
                digits = '0' * rng.randrange(1, 4) + digits
            out += digits.encode()
            if kind == 3 and k == at:
                out.append(rng.choice(SPACES))
        out += c.encode('latin-1')
        if rng.random() < 0.15:
            out += bytes(rng.choice(SPACES) for _ in range(rng.randrange(1, 3)))
    if kind == 4:  # a repeat count without a char
        out += str(rng.choice((0, 1, 7, 12, rng.randrange(10**6)))).encode()
    tokens = [(c, 1 if n is None else n) for c, n in tokens]
    return bytes(out), std, tokens


def _short_record(rng):
    """A record of one to three integer or 'd' fields, the shape that gets a
    pack and unpack of its own in C (src/struct/special.c)."""
    prefix = rng.choice(PREFIXES)
    std = prefix not in ('', '@')
    codes = 'bBhHiIlLqQd' if std else 'bBhHiIlLqQnNd'
    tokens = [(rng.choice(codes), 1) for _ in range(rng.randrange(1, 4))]
    return (prefix + ''.join(c for c, _ in tokens)).encode(), std, tokens


def _any_record(rng, defect, many):
    if rng.random() < 0.25:
        return _short_record(rng)
    return _format(rng, defect=defect, max_tokens=many)


def _calcsize(fmt):
    try:
        return struct.calcsize(fmt)
    except struct.error:
        return None


def _int_limits(c, std):
    size = struct.calcsize(('<' if std else '@') + c)
    if c in SIGNED:
        return -2**(8 * size - 1), 2**(8 * size - 1) - 1
    return 0, 2**(8 * size) - 1


def _int_item(rng, v):
    v = max(I64_MIN, min(U64_MAX, v))
    if v < 0:
        return ('i', v)
    if v > I64_MAX:
        return ('u', v)
    return (rng.choice('iu'), v)


INT_EDGES = (I64_MIN, I64_MIN + 1, I64_MAX, I64_MAX + 1, U64_MAX, -2**31 - 1,
             -2**31, 2**31 - 1, 2**31, 2**32 - 1, 2**32, -129, -128, 127, 128,
             255, 256, -32769, -32768, 32767, 32768, 65535, 65536, 0, 1, -1, 2)


def _int_value(rng, c, std, good):
    """A value in the code's range (good) or, mostly, outside it."""
    lo, hi = _int_limits(c, std)
    pick = rng.randrange(8)
    if pick == 0:
        v = rng.choice((lo, hi, lo - 1, hi + 1))
    elif pick < 3:
        v = rng.randint(lo, hi)
    elif pick == 3:
        v = rng.randint(I64_MIN, U64_MAX)
    else:
        v = rng.choice(INT_EDGES)
    if good:
        return min(max(v, lo), hi)
    if lo <= v <= hi:
        v = rng.choice((lo - 1, hi + 1, rng.randint(I64_MIN, U64_MAX)))
    return max(I64_MIN, min(U64_MAX, v))


def _bits(x):
    return struct.unpack('>Q', struct.pack('>d', x))[0]


def _from_bits(b):
    return struct.unpack('>d', struct.pack('>Q', b))[0]


F32_MAX = struct.unpack('<f', b'\xff\xff\x7f\x7f')[0]
F32_EDGE = F32_MAX + 2.0**103  # halfway to 2**128: rounds (to even) to inf
SPECIAL_FLOATS = [
    0.0, -0.0, 1.0, -1.5, 0.1, 1 / 3, 2.5, math.inf, -math.inf, math.nan,
    -math.nan, 1e300, -1e300, 5e-324, 2.2250738585072014e-308,
    1.7976931348623157e308,
    # binary16: the largest, the rounding edge to inf, the subnormals.
    65504.0, 65519.99999999999, 65520.0, 65536.0, 2.0**-24, 2.0**-25,
    1.5 * 2.0**-25, 1.5 * 2.0**-24, 2.0**-14, 2.0**-14 - 2.0**-25, 6e-8,
    3e-8, 1024.5, 2049.0, 4097.0,
    # binary32.
    F32_MAX, F32_EDGE, 3.4028235e38, 3.4028236e38, 2.0**-149, 2.0**-150,
    1.5 * 2.0**-150, 1.5 * 2.0**-149, 2.0**-126, 1e-46, 1.4e-45, 16777217.0,
    # NaNs with payloads, quiet and signaling.
    _from_bits(0x7ff0000000000001), _from_bits(0x7ff4000000000000),
    _from_bits(0xfff0000020000000), _from_bits(0x7ff8000000000001),
    _from_bits(0x7ff0000010000000), _from_bits(0xfffc000000000000),
]


def _near(rng, x):
    if math.isnan(x) or math.isinf(x):
        return x
    return rng.choice((x, math.nextafter(x, math.inf),
                       math.nextafter(x, -math.inf)))


def _midpoint(rng, fmt, nbits):
    """Halfway between two neighbours of a narrower format (a rounding tie),
    or just beside it."""
    while True:
        b = rng.getrandbits(nbits)
        lo = struct.unpack(fmt, b.to_bytes(nbits // 8, 'little'))[0]
        if math.isfinite(lo):
            hi = struct.unpack(fmt, ((b + 1) % 2**nbits).to_bytes(nbits // 8,
                                                                 'little'))[0]
            if math.isfinite(hi) and (lo < 0) == (hi < 0):
                return _near(rng, (lo + hi) / 2)


def _double(rng, c):
    pick = rng.randrange(10)
    if pick < 3:
        x = _near(rng, rng.choice(SPECIAL_FLOATS))
    elif pick == 3:
        x = _from_bits(rng.getrandbits(64))
    elif pick == 4:  # a NaN with a random payload
        x = _from_bits(rng.getrandbits(1) << 63 | 0x7ff << 52
                       | (rng.getrandbits(52) or 1))
    elif pick == 5:
        x = _midpoint(rng, '<e' if c == 'e' else '<f', 16 if c == 'e' else 32)
    elif pick == 6:
        x = rng.uniform(-70000, 70000)
    elif pick == 7:
        x = float(rng.randrange(-100, 100))
    elif pick == 8:
        x = rng.random() * 2.0**rng.randrange(-160, 140)
    else:
        x = struct.unpack('<e', rng.randbytes(2))[0] if c == 'e' else \
            struct.unpack('<f', rng.randbytes(4))[0]
    return -x if rng.random() < 0.2 else x


def _packs(c, std, v):
    try:
        struct.pack(('<' if std else '@') + c, v)
        return True
    except (struct.error, OverflowError):
        return False


def _float_item(rng, c, std, good):
    """An item for e, f or d: mostly a double, sometimes an int or a bool;
    one that packs (good) or, when the code has any, one that overflows."""
    for _ in range(100):
        r = rng.random()
        if r < 0.12:
            item = _int_item(rng, rng.choice((
                0, 1, -7, 65504, 65505, 65519, 65520, 70000, 2**24 + 1,
                2**53 + 1, 2**63, U64_MAX, I64_MIN, rng.randint(I64_MIN, U64_MAX))))
        elif r < 0.15:
            item = ('b', rng.random() < 0.5)
        else:
            item = ('d', _double(rng, c))
        if _packs(c, std, item[1]) == good:
            return item
    return ('d', 0.0) if good else ('y', b'')


def _bytes_item(rng, n):
    length = rng.choice((0, 1, n, n, max(n - 1, 0), n + 1, rng.randrange(n + 4),
                         rng.randrange(300) if rng.random() < 0.1 else 2))
    return ('y', rng.randbytes(length))


def _wrong_kind(rng, c):
    if c in 'csp':
        opts = [('i', rng.randrange(256)), ('u', 0), ('d', 1.0), ('b', True)]
        if c == 'c':  # bytes, but not of length 1
            opts.append(('y', rng.randbytes(rng.choice((0, 2, 3)))))
        return rng.choice(opts)
    if c in FLOATS:
        return ('y', rng.randbytes(rng.randrange(3)))
    return rng.choice((('d', rng.choice((1.0, 0.0, math.nan, -2.5))),
                       ('y', rng.randbytes(rng.randrange(3)))))


def _value(rng, c, std, good):
    """An item for code c that packs (good) or that must not."""
    if c == '?':  # anything goes: its truth value
        return rng.choice((('b', rng.random() < 0.5), ('i', rng.choice((0, 5, -1))),
                           ('u', rng.choice((0, U64_MAX))),
                           ('d', rng.choice((0.0, -0.0, math.nan, 0.5))),
                           ('y', rng.randbytes(rng.randrange(2)))))
    if not good and (c in 'csp' or rng.random() < 0.3):
        return _wrong_kind(rng, c)
    if c in 'sp':
        return _bytes_item(rng, 1)
    if c == 'c':
        return ('y', rng.randbytes(1))
    if c in FLOATS:
        return _float_item(rng, c, std, good)
    if good and rng.random() < 0.05:
        return ('b', rng.random() < 0.5)
    return _int_item(rng, _int_value(rng, c, std, good))


def _values(rng, std, tokens, bad=0.0, miscount=0.0):
    """Items for the format's codes, all of which pack; with probability `bad`
    one or two that don't, and with `miscount` one too few or too many."""
    codes = STANDARD_CODES if std else NATIVE_CODES
    slots = []
    for c, n in tokens:
        if c in codes and c != 'x':
            slots.extend([(c, n)] if c in 'sp' else [(c, 1)] * n)
    spoil = set()
    if slots and rng.random() < bad:
        spoil = {rng.randrange(len(slots)) for _ in range(rng.choice((1, 1, 2)))}
    vals = []
    for k, (c, n) in enumerate(slots):
        if c in 'sp' and k not in spoil:
            vals.append(_bytes_item(rng, n))
        else:
            vals.append(_value(rng, c, std, k not in spoil))
    if rng.random() < miscount:
        if vals and rng.random() < 0.5:
            del vals[rng.randrange(len(vals))]
        else:
            vals.append(_int_item(rng, rng.randrange(100)))
    return vals


def _items_text(vals):
    out = []
    for k, v in vals:
        if k in 'iu':
            out.append('%s:%d' % (k, v))
        elif k == 'd':
            out.append('d:%016x' % _bits(v))
        elif k == 'b':
            out.append('b:%d' % v)
        else:
            out.append('y:' + v.hex())
    return ' '.join(out).encode()


BIASED = (0x00, 0xff, 0x7f, 0x80, 0x01, 0x02, 0x7c, 0xfc, 0x7e, 0xfe, 0xc0)


def _data(rng, n):
    if rng.random() < 0.4:
        return rng.randbytes(n)
    return bytes(rng.choice(BIASED) if rng.random() < 0.6 else rng.randrange(256)
                 for _ in range(n))


def _offset(rng, size, buflen):
    if buflen >= size and rng.random() < 0.5:  # one that fits
        return rng.choice((rng.randint(0, buflen - size),
                           rng.randint(-buflen, -size) if size else -buflen))
    return rng.choice((
        0, rng.randint(-buflen - 3, buflen + 3), rng.randint(-buflen - 3, buflen + 3),
        -size, -size - 1, -size + 1, buflen - size, buflen - size + 1, -buflen,
        -buflen - 1, buflen, buflen + 1, rng.randint(-2**63, 2**63 - 1),
        rng.choice((-2**63, -2**63 + 1, 2**63 - 1, 2**63 - 2, -2**62, 2**62,
                    2**63 - 1 - size, -2**31, 2**32))))


def generate(rng):
    group = rng.choices(GROUPS, weights=[WEIGHTS[g] for g in GROUPS])[0]
    if group == 'calcsize':
        fmt, _, _ = _format(rng, defect=0.35, huge=True)
        return group, [fmt]
    # Now and then a long format: more than 32 codes and 64 steps take the
    # one-shot forms off the stack.
    many = 40 if rng.random() < 0.08 else 6
    if group == 'pack':
        fmt, std, tokens = _any_record(rng, 0.15, many)
        vals = _values(rng, std, tokens, bad=0.35, miscount=0.05)
        return group, [fmt, _items_text(vals)]
    if group == 'roundtrip':
        fmt, std, tokens = _any_record(rng, 0.02, many)
        vals = _values(rng, std, tokens, bad=0.05, miscount=0.01)
        return group, [fmt, _items_text(vals)]
    if group == 'unpack':
        fmt, _, _ = _any_record(rng, 0.1, many)
        size = _calcsize(fmt)
        if size is None:
            size = rng.randrange(9)
        elif rng.random() < 0.1:
            size = max(0, size + rng.choice((-1, 1, 2, -size, 8)))
        return group, [fmt, _data(rng, size)]
    if group == 'offsets':
        fmt, std, tokens = _format(rng, defect=0.05, max_tokens=3)
        size = _calcsize(fmt)
        size = 4 if size is None else size
        buflen = rng.choice((0, size, size + rng.randrange(1, 12), rng.randrange(size + 1),
                             rng.randrange(40)))
        vals = _values(rng, std, tokens, bad=0.1,
                       miscount=0 if 'pack_into_count' in KNOWN_BUGS else 0.03)
        return group, [fmt, _items_text(vals), _data(rng, buflen),
                       str(_offset(rng, size, buflen)).encode()]
    # iter
    fmt, _, _ = _format(rng, defect=0.05, max_tokens=3)
    size = _calcsize(fmt) or 0
    n = size * rng.randrange(5)
    if size > 1 and rng.random() < 0.15:
        n += rng.randrange(1, size)
    if size == 0 or n > 4000:
        n = rng.randrange(6)
    return group, [fmt, _data(rng, n)]


# ---------------------------------------------------------- CPython's answer

def _parse_items(text):
    vals = []
    for tok in text.decode().split():
        kind, v = tok[0], tok[2:]
        if kind in 'iu':
            vals.append(int(v))
        elif kind == 'd':
            vals.append(_from_bits(int(v, 16)))
        elif kind == 'b':
            vals.append(v == '1')
        else:
            vals.append(bytes.fromhex(v))
    return vals


def _item_codes(fmt):
    """The format character behind each value unpack gives (fmt is valid)."""
    s = fmt[1:] if fmt[:1] in (b'@', b'=', b'<', b'>', b'!') else fmt
    codes, i = [], 0
    while i < len(s):
        c = s[i]
        i += 1
        if c in SPACES:
            continue
        num = 1
        if 0x30 <= c <= 0x39:
            j = i - 1
            while 0x30 <= s[i] <= 0x39:
                i += 1
            num = int(s[j:i])
            c = s[i]
            i += 1
        ch = chr(c)
        if ch in 'sp':
            codes.append(ch)
        elif ch != 'x':
            codes.extend(ch * num)
    return codes


def _enc_unpacked(v, c):
    if c in SIGNED:
        return 'i:%d' % v
    if c in UNSIGNED:
        return 'u:%d' % v
    if c in FLOATS:
        return 'd:%016x' % _bits(v)
    if c == '?':
        return 'b:%d' % v
    return 'y:' + v.hex()


def _record(fmt, values):
    return ' '.join(_enc_unpacked(v, c) for v, c in zip(values, _item_codes(fmt)))


def _err(e):
    name = 'struct.error' if isinstance(e, struct.error) else type(e).__name__
    return [name, '', str(e)]


_ZERO_P = re.compile(rb'(?<![0-9])(0+)p')


def _answer(fn, fmt):
    """fn(fmt) -> [fields], CPython's answer; for a '0p' field, as if '0s'
    (see the top of this file) unless CPython refused the values."""
    out = fn(fmt)
    sane = _ZERO_P.sub(rb'\1s', fmt)
    if sane != fmt and out[0] in ('ok', 'SystemError'):
        return fn(sane)
    return out


def _try(fn):
    """fn() -> [fields], or the exception's fields."""
    try:
        return fn()
    except Exception as e:  # noqa: BLE001 - whatever CPython says is the answer
        return _err(e)


def _calcsize_answer(fmt):
    return ['ok', str(struct.calcsize(fmt)), '']


def expect(group, args):
    fmt = args[0]
    if group == 'calcsize':
        return _try(lambda: _calcsize_answer(fmt))
    if group == 'pack':
        vals = _parse_items(args[1])
        return _answer(lambda f: _try(lambda: [
            'ok', struct.pack(f, *vals).hex(), '']), fmt)
    if group == 'unpack':
        return _answer(lambda f: _try(lambda: [
            'ok', _record(f, struct.unpack(f, args[1])), '']), fmt)
    if group == 'roundtrip':
        vals = _parse_items(args[1])
        return _answer(lambda f: _try(lambda: [
            'ok', _record(f, struct.unpack(f, struct.pack(f, *vals))), '']), fmt)
    if group == 'offsets':
        vals, data, offset = _parse_items(args[1]), args[2], int(args[3])

        def pack_into(f):
            buf = bytearray(data)
            struct.pack_into(f, buf, offset, *vals)
            return ['ok', bytes(buf).hex(), '']

        return (_answer(lambda f: _try(lambda: [
                    'ok', _record(f, struct.unpack_from(f, data, offset)), '']), fmt)
                + _answer(lambda f: _try(lambda: pack_into(f)), fmt))
    if group == 'iter':
        return _answer(lambda f: _try(lambda: [
            'ok', ';'.join(_record(f, r) for r in struct.iter_unpack(f, args[1])),
            '']), fmt)
    raise ValueError('unknown group %r' % group)
