"""Oracle plug-in for fnmatch (module 'fnmatch', driver drv_fnmatch): random
names and patterns over a small alphabet rich in the characters that make
sets subtle ('-', ']', '!', '^', '\\'), plus non-ASCII and undecodable bytes.
A pattern CPython's re rejects counts as matching nothing."""
import fnmatch

GROUPS = ['fnmatch']
FIELDS = {'fnmatch': ['match']}

_PAT = ['a', 'b', 'z', '-', ']', '[', '!', '^', '\\', '*', '?', '.', '/', 'é', '\U0001F600',
        '[a-c]', '[!', '[]', '0', '9']
_NAME = ['a', 'b', 'z', '-', ']', '[', '!', '^', '\\', '.', '/', 'é', '\U0001F600', '0',
         'x', '\udcff']


def generate(rng):
    pat = ''.join(rng.choice(_PAT) for _ in range(rng.randrange(0, 9)))
    name = ''.join(rng.choice(_NAME) for _ in range(rng.randrange(0, 7)))
    enc = lambda s: s.encode('utf-8', 'surrogateescape')  # noqa: E731
    return 'fnmatch', [enc(name), enc(pat)]


def expect(group, args):
    name, pat = (a.decode('utf-8', 'surrogateescape') for a in args)
    try:
        return ['1' if fnmatch.fnmatchcase(name, pat) else '0']
    except Exception:  # noqa: BLE001 - re.error: nothing matches in C
        return ['0']
