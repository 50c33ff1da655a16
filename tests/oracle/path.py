"""Oracle plug-in for the path module (os.path as posixpath): random paths
through every pure function, and abspath.

Paths are drawn from a small grammar: '', '/', '.', '..', names with dots,
'~' and '$' forms, unicode, bytes that are not UTF-8, runs of slashes. They
travel as bytes; CPython gets them as str decoded with os.fsdecode
(surrogateescape), the way it sees such a file name, and its answers go back
through os.fsencode. No path holds a NUL (a C path cannot).

The environment: this plug-in sets a few BT_OR_* variables at import, before
run.py starts the driver, so the driver inherits them; HOME, the user
database and the working directory (abspath, relpath) are the same for both
sides.
"""
import os
import posixpath

GROUPS = ['join', 'split', 'splitext', 'dirname', 'basename', 'normpath',
          'normcase', 'isabs', 'splitdrive', 'commonprefix', 'commonpath',
          'expandvars', 'expanduser', 'relpath', 'abspath']

# result: 'ok' or the exception's class; out: the path; message: str(exc)
# for ValueError (TypeError's wording is Python's own call machinery, not
# the function's: the C side gives none, so it is left out).
_ONE = ['result', 'out:hex', 'message']
FIELDS = {g: _ONE for g in GROUPS}
FIELDS.update({
    'split': ['head:hex', 'tail:hex'],
    'splitext': ['root:hex', 'ext:hex'],
    'splitdrive': ['drive:hex', 'rest:hex'],
    'isabs': ['isabs'],
})

WEIGHTS = {'join': 12, 'split': 6, 'splitext': 8, 'dirname': 4, 'basename': 4,
           'normpath': 12, 'normcase': 1, 'isabs': 2, 'splitdrive': 1,
           'commonprefix': 8, 'commonpath': 10, 'expandvars': 10,
           'expanduser': 6, 'relpath': 12, 'abspath': 4}

ENV = {'BT_OR_A': 'alpha', 'BT_OR_B': '/b//c/', 'BT_OR_EMPTY': '',
       'BT_OR_U': '\u00e9\U0001f600', 'BT_OR_D': '$BT_OR_A', 'BT OR S': 's p'}
for _k, _v in ENV.items():
    os.environ[_k] = _v
for _k in ('BT_OR_NOPE', 'BT_OR_AB'):
    os.environ.pop(_k, None)

NAMES = [b'', b'.', b'..', b'...', b'a', b'b', b'abc', b'.x', b'x.', b'x.y',
         b'a.b.c', b'..x', b'x..', b'.x.y', '\u00e9'.encode(), '\u65e5\u672c'.encode(),
         '\U0001f600'.encode(), b' ', b'~', b'-', b'\xff', b'\xc3', b'\xe2\x82',
         b'\xc3\xa9x', b'\xc3x']
VARS = [b'$BT_OR_A', b'${BT_OR_B}', b'$BT_OR_NOPE', b'${BT_OR_NOPE}', b'$', b'${',
        b'}', b'{', b'$BT_OR_AB', b'${BT OR S}', b'$BT_OR_EMPTY', b'$BT_OR_D',
        b'${BT_OR_U}', b'$_', b'${}', b'$$', b'$1', b'${BT_OR_A']
USERS = [b'', b'root', b'nobody', b'daemon', b'bt_or_no_such_user', b'r', b'~']
SEPS = [b'/', b'/', b'/', b'/', b'//', b'///']


def _path(rng, pieces=None):
    pieces = pieces or NAMES
    out = bytearray()
    if rng.random() < 0.4:
        out += rng.choice(SEPS)
    # Now and then a long one (past the 64 bytes the vector path takes).
    count = rng.randrange(0, 6) if rng.random() < 0.85 else rng.randrange(6, 30)
    for k in range(count):
        if k:
            out += rng.choice(SEPS)
        out += rng.choice(pieces)
    if rng.random() < 0.2:
        out += rng.choice(SEPS)
    return bytes(out)


def _related(rng, base):
    """A path sharing a start with base, for commonprefix and relpath."""
    r = rng.random()
    if r < 0.3:
        return base + _path(rng)
    if r < 0.5:
        cut = rng.randrange(len(base) + 1)
        return base[:cut] + _path(rng)
    if r < 0.6:
        return base
    return _path(rng)


def generate(rng):
    group = rng.choices(GROUPS, weights=[WEIGHTS[g] for g in GROUPS])[0]
    if group == 'join':
        return group, [_path(rng) for _ in range(rng.choice((0, 1, 2, 2, 3, 4, 6)))]
    if group in ('commonprefix', 'commonpath'):
        base = _path(rng)
        n = rng.choice((0, 1, 2, 2, 3, 3, 4, 7))
        return group, [_related(rng, base) for _ in range(n)]
    if group == 'relpath':
        p = _path(rng)
        if rng.random() < 0.2:
            return group, [p]  # start=None
        return group, [p, _related(rng, p)]
    if group == 'expandvars':
        return group, [_path(rng, NAMES + VARS * 2)]
    if group == 'expanduser':
        head = b'~' + rng.choice(USERS) if rng.random() < 0.85 else b''
        return group, [head + (_path(rng) if rng.random() < 0.7 else b'')]
    return group, [_path(rng)]


def _fs(b):
    return os.fsdecode(b)


def _out(s):
    return os.fsencode(s).hex()


def expect(group, args):
    paths = [_fs(a) for a in args]
    if group == 'split':
        return [_out(x) for x in posixpath.split(paths[0])]
    if group == 'splitext':
        return [_out(x) for x in posixpath.splitext(paths[0])]
    if group == 'splitdrive':
        return [_out(x) for x in posixpath.splitdrive(paths[0])]
    if group == 'isabs':
        return ['1' if posixpath.isabs(paths[0]) else '0']
    try:
        if group == 'join':
            out = posixpath.join(*paths)
        elif group in ('commonprefix', 'commonpath'):
            out = getattr(posixpath, group)(paths)
        elif group == 'relpath':
            out = posixpath.relpath(*paths)
        else:
            out = getattr(posixpath, group)(paths[0])
    except ValueError as e:
        return ['ValueError', '', str(e)]
    except TypeError:
        return ['TypeError', '', '']
    return ['ok', _out(out), '']
