#!/usr/bin/env python3
"""CPython's answers for the hashlib module: digests of every algorithm,
names and sizes, BLAKE2 parameters, HMAC, pbkdf2_hmac, scrypt,
compare_digest, the algorithm lists and the exact error messages.

Inputs are not stored: a field `n:seed` stands for pattern(n, seed), the
bytes the C tests rebuild (tests/hashlib/hashlib_test.h, same recipe):

    byte i of pattern(n, seed) = (i * 167 + (i >> 8) * 59 + seed * 101 + 13) & 0xff

Errors are written as the Python exception class (UnsupportedDigestmodError
as its base, ValueError) and str(exception).
"""
import os
import sys

# This file is named hashlib.py: keep its directory off the path while the
# standard library's hashlib (and hmac, which imports it) load.
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path = [p for p in sys.path if os.path.abspath(p or ".") != _HERE]
import hashlib  # noqa: E402
import hmac  # noqa: E402
import ssl  # noqa: E402

sys.path.insert(0, _HERE)
from common import write_vectors  # noqa: E402

sys.dont_write_bytecode = True

MIB = 1 << 20


def pattern(n, seed=0):
    return bytes((i * 167 + (i >> 8) * 59 + seed * 101 + 13) & 0xFF
                 for i in range(n))


_BIG = {}


def data(n, seed=0):
    """pattern(n, seed), with the 1 MiB inputs built once."""
    if n >= 4096:
        if seed not in _BIG:
            _BIG[seed] = pattern(MIB, seed)
        return _BIG[seed][:n]
    return pattern(n, seed)


def ref(n, seed=0):
    return "%d:%d" % (n, seed)


def exc_name(e):
    for base in (TypeError, OverflowError, ValueError):
        if isinstance(e, base):
            return base.__name__
    return type(e).__name__


def outcome(fn):
    """['ok', hex] or ['err', class, message]."""
    try:
        return ["ok", fn().hex()]
    except Exception as e:  # every Python error is a case to replay
        return ["err", exc_name(e), str(e)]


FIXED = ["md5", "sha1", "sha224", "sha256", "sha384", "sha512", "sha512_224",
         "sha512_256", "sha3_224", "sha3_256", "sha3_384", "sha3_512",
         "blake2b", "blake2s"]
SHAKE = ["shake_128", "shake_256"]
# What this OpenSSL offers beyond the guaranteed set (skipped if absent).
EXTRA = ["md5-sha1", "ripemd160", "sm3"]


def available_extra():
    return [n for n in EXTRA if n in hashlib.algorithms_available]


def digest_cases():
    rows = []
    for name in FIXED + available_extra():
        bs = hashlib.new(name).block_size
        for n in sorted({0, 1, 3, bs - 1, bs, bs + 1, 2 * bs + 5, 1000, MIB}):
            h = hashlib.new(name, data(n))
            rows.append([name, ref(n), "-", h.hexdigest()])
    for name in SHAKE:
        for n in (0, 1, 167, 168, 169, 1000, MIB):
            for length in (0, 1, 16, 32, 64, 100, 136, 168, 200, 500):
                h = hashlib.new(name, data(n))
                rows.append([name, ref(n), str(length), h.hexdigest(length)])
    return rows


INFO_NAMES = [
    "md5", "MD5", "sha1", "SHA1", "sha224", "SHA224", "sha256", "SHA256",
    "sha384", "SHA384", "sha512", "SHA512", "sha512_224", "SHA512_224",
    "sha512_256", "SHA512_256", "sha3_224", "sha3_256", "sha3_384",
    "sha3_512", "shake_128", "shake_256", "blake2b", "blake2s", "blake2b512",
    "blake2s256", "sha-256", "Sha256", "SHA2-256", "SHA3-256", "sha512-224",
    "SHA512-256", "SHAKE128", "shake128", "SHAKE-256", "2.16.840.1.101.3.4.2.1",
    "ripemd160", "RIPEMD160", "md5-sha1", "MD5-SHA1", "sm3", "NULL",
    "KECCAK-KMAC-128",
    # unknown names
    "x", "", "BLAKE2B", "Blake2b", "md4", "MDC2", "whirlpool", "sha257",
    "sha256WithRSAEncryption", "sha3-257", "SHA3_256",
]


def info_cases():
    """name given, then Python's .name, digest_size, block_size and the
    digest of pattern(100) (shake: 40 bytes), or the error."""
    rows = []
    for given in INFO_NAMES:
        try:
            h = hashlib.new(given, data(100))
        except Exception as e:
            rows.append([given, "err", exc_name(e), str(e)])
            continue
        try:
            hexd = h.hexdigest()
        except TypeError:
            hexd = h.hexdigest(40)
        rows.append([given, "ok", h.name, str(h.digest_size),
                     str(h.block_size), hexd])
    return rows


def blake2_cases():
    """variant, digest_size, key, salt, person (pattern refs), fanout, depth,
    leaf_size, node_offset, node_depth, inner_size, last_node, data, then
    the outcome."""
    rows = []
    specs = []
    for v, out, keyb, saltb in (("blake2b", 64, 64, 16), ("blake2s", 32, 32, 8)):
        d = dict(digest_size=out, key=0, salt=0, person=0, fanout=1, depth=1,
                 leaf_size=0, node_offset=0, node_depth=0, inner_size=0,
                 last_node=False)

        def add(**kw):
            s = dict(d)
            s.update(kw)
            for n in kw.pop("_lens", (0, 3, 200)):
                specs.append((v, dict(s, n=n)))

        add()
        for ds in (1, 16, 20, out - 1, out):
            add(digest_size=ds)
        for kl in (1, 16, keyb - 1, keyb):
            add(key=kl)
            add(key=kl, digest_size=out // 2)
        for sl in (1, saltb - 1, saltb):
            add(salt=sl)
        for pl in (1, saltb):
            add(person=pl)
        add(key=keyb, salt=saltb, person=saltb, digest_size=out // 4)
        add(fanout=0, depth=255, leaf_size=4096, node_offset=5, node_depth=1,
            inner_size=out, last_node=True)
        add(fanout=2, depth=2, leaf_size=0xFFFFFFFF,
            node_offset=0xFFFFFFFFFFFF if v == "blake2s" else 2**64 - 1,
            node_depth=255, inner_size=1)
        add(last_node=True)
        for n in (out, 64, 65, 127, 128, 129, 1000, MIB):
            add(_lens=(n,))
            add(_lens=(n,), key=keyb, salt=saltb, person=saltb)
        # errors, single and several at once (the first check wins)
        for bad in (dict(digest_size=0), dict(digest_size=out + 1),
                    dict(key=keyb + 1), dict(salt=saltb + 1),
                    dict(person=saltb + 1), dict(fanout=256), dict(fanout=-1),
                    dict(depth=0), dict(depth=256), dict(leaf_size=2**32),
                    dict(node_depth=256), dict(node_depth=-1),
                    dict(inner_size=out + 1), dict(inner_size=-1),
                    dict(digest_size=-1), dict(depth=-1)):
            add(_lens=(0,), **bad)
        if v == "blake2s":
            add(_lens=(0,), node_offset=2**48)
        allbad = dict(digest_size=0, salt=saltb + 1, person=saltb + 1,
                      fanout=256, depth=0, leaf_size=2**32, node_depth=256,
                      inner_size=out + 1, key=keyb + 1)
        if v == "blake2s":
            allbad["node_offset"] = 2**48
        keys = list(allbad)
        for i in range(len(keys)):
            add(_lens=(0,), **{k: allbad[k] for k in keys[i:]})
    for v, s in specs:
        key, salt, person = data(s["key"], 1), data(s["salt"], 2), data(s["person"], 3)
        ctor = getattr(hashlib, v)

        def run():
            return ctor(data(s["n"]), digest_size=s["digest_size"], key=key,
                        salt=salt, person=person, fanout=s["fanout"],
                        depth=s["depth"], leaf_size=s["leaf_size"],
                        node_offset=s["node_offset"],
                        node_depth=s["node_depth"],
                        inner_size=s["inner_size"],
                        last_node=s["last_node"]).digest()

        rows.append([v, str(s["digest_size"]), ref(s["key"], 1),
                     ref(s["salt"], 2), ref(s["person"], 3), str(s["fanout"]),
                     str(s["depth"]), str(s["leaf_size"]),
                     str(s["node_offset"]), str(s["node_depth"]),
                     str(s["inner_size"]), "1" if s["last_node"] else "0",
                     ref(s["n"])] + outcome(run))
    return rows


HMAC_NAMES = FIXED + ["SHA256", "sha-256", "blake2b512"]


def hmac_cases():
    """digestmod, key, msg, then 'ok', name, digest_size, block_size,
    hexdigest (hmac.new) and whether hmac.digest agrees; or the error."""
    rows = []
    for name in HMAC_NAMES + available_extra():
        bs = hashlib.new(name).block_size
        for kl in sorted({0, 1, 16, bs - 1, bs, bs + 1, 2 * bs + 7, 300}):
            for ml in (0, 5, 64, 1000):
                key, msg = data(kl, 4), data(ml, 5)
                h = hmac.new(key, msg, name)
                assert hmac.digest(key, msg, name) == h.digest()
                rows.append([name, ref(kl, 4), ref(ml, 5), "ok", h.name,
                             str(h.digest_size), str(h.block_size),
                             h.hexdigest()])
    for name in ("x", "", "shake_128", "shake_256", "md4", "BLAKE2B"):
        try:
            hmac.new(b"key", b"msg", name)
            raise AssertionError(name)
        except Exception as e:
            rows.append([name, ref(3, 4), ref(3, 5), "err", exc_name(e), str(e)])
    return rows


def pbkdf2_cases():
    rows = []
    for name in ["sha1", "sha256", "sha512", "md5", "sha3_256", "blake2b",
                 "blake2s", "SHA256", "blake2b512"] + available_extra():
        for pl, sl, it, dk in ((8, 16, 1, 20), (8, 16, 2, 32), (0, 0, 1, 16),
                               (100, 30, 10, 64), (200, 8, 3, 150),
                               (5, 5, 1000, 32)):
            pw, salt = data(pl, 6), data(sl, 7)
            rows.append([name, ref(pl, 6), ref(sl, 7), str(it), str(dk)] +
                        outcome(lambda: hashlib.pbkdf2_hmac(name, pw, salt, it, dk)))
    for name, it, dk in (("x", 1, 32), ("sha256", 0, 32), ("sha256", 2**31, 32),
                         ("sha256", 2**32 + 1, 32), ("sha256", 1, 0),
                         ("sha256", 1, 2**31), ("x", 0, 0), ("sha256", 0, 0),
                         ("sha256", 2**31, 0), ("shake_128", 1, 32),
                         ("shake_256", 1, 32), ("", 1, 32), ("md4", 1, 16)):
        rows.append([name, ref(3, 6), ref(3, 7), str(it), str(dk)] +
                    outcome(lambda: hashlib.pbkdf2_hmac(name, b"pwd", b"slt", it, dk)))
    return rows


def scrypt_cases():
    rows = []
    for pl, sl, n, r, p, mm, dk in (
            (8, 16, 2, 1, 1, 0, 64), (0, 0, 16, 1, 1, 0, 64),
            (8, 16, 1024, 8, 1, 0, 32), (8, 16, 16384, 8, 1, 0, 64),
            (20, 20, 256, 2, 3, 0, 100), (8, 16, 4, 1, 1, 0, 1),
            (8, 16, 16384, 8, 1, 16 * MIB + 70000, 64),
            # errors
            (3, 3, 3, 1, 1, 0, 64), (3, 3, 1, 1, 1, 0, 64),
            (3, 3, 0, 1, 1, 0, 64), (3, 3, 2, 0, 1, 0, 64),
            (3, 3, 2, 1, 0, 0, 64), (3, 3, 2, 1, 1, 0, 0),
            (3, 3, 2, 1, 1, 0, 2**31), (3, 3, 2, 1, 1, 2**31, 64),
            (3, 3, 2**20, 8, 1, 0, 64), (3, 3, 2**20, 8, 1, 2**30, 64),
            (3, 3, 16384, 8, 1, 16 * MIB, 64), (3, 3, 2, 1, 1, 1, 64),
            (3, 3, 4, 2**32, 1, 0, 64), (3, 3, 4, 1, 2**32, 0, 64),
            (3, 3, 2**33, 1, 1, 2**31 - 1, 64), (3, 3, 3, 0, 1, 2**31, 0),
            (3, 3, 4, 0, 1, 2**31, 0), (3, 3, 4, 0, 1, 2, 0)):
        pw, salt = data(pl, 8), data(sl, 9)
        rows.append([ref(pl, 8), ref(sl, 9), str(n), str(r), str(p), str(mm),
                     str(dk)] +
                    outcome(lambda: hashlib.scrypt(pw, salt=salt, n=n, r=r, p=p,
                                                   maxmem=mm, dklen=dk)))
    return rows


def compare_cases():
    pairs = [(b"", b""), (b"a", b"a"), (b"a", b"b"), (b"a", b""), (b"", b"a"),
             (b"abc", b"abd"), (b"abc", b"abcd"), (b"abcd", b"abc"),
             (b"\x00", b"\x00"), (b"\x00", b""), (b"x" * 64, b"x" * 64),
             (b"x" * 64, b"x" * 63 + b"y"), (b"y" + b"x" * 63, b"x" * 64),
             (bytes(range(256)), bytes(range(256))),
             (bytes(range(256)), bytes(range(255)) + b"\x00")]
    return [[a.hex(), b.hex(), "1" if hmac.compare_digest(a, b) else "0"]
            for a, b in pairs]


def algorithm_rows():
    return [["openssl", ssl.OPENSSL_VERSION],
            ["guaranteed", ",".join(sorted(hashlib.algorithms_guaranteed))],
            ["available", ",".join(sorted(hashlib.algorithms_available))]]


RECIPE = ["# data fields n:seed are pattern(n, seed): byte i = "
          "(i * 167 + (i >> 8) * 59 + seed * 101 + 13) & 0xff"]


def with_recipe(rows):
    return [RECIPE] + rows


def main():
    write_vectors("hashlib", "digests", ["name", "data", "length", "hexdigest"],
                  with_recipe(digest_cases()))
    write_vectors("hashlib", "info",
                  ["given", "ok", "name", "digest_size", "block_size",
                   "hexdigest of 100:0 (shake: 40 bytes)", "| err class msg"],
                  with_recipe(info_cases()))
    write_vectors("hashlib", "blake2",
                  ["variant", "digest_size", "key", "salt", "person", "fanout",
                   "depth", "leaf_size", "node_offset", "node_depth",
                   "inner_size", "last_node", "data", "ok hex | err class msg"],
                  with_recipe(blake2_cases()))
    write_vectors("hashlib", "hmac",
                  ["digestmod", "key", "msg", "ok", "name", "digest_size",
                   "block_size", "hexdigest", "| err class msg"], with_recipe(hmac_cases()))
    write_vectors("hashlib", "pbkdf2",
                  ["hash_name", "password", "salt", "iterations", "dklen",
                   "ok hex | err class msg"], with_recipe(pbkdf2_cases()))
    write_vectors("hashlib", "scrypt",
                  ["password", "salt", "n", "r", "p", "maxmem", "dklen",
                   "ok hex | err class msg"], with_recipe(scrypt_cases()))
    write_vectors("hashlib", "compare", ["a", "b", "equal"], compare_cases())
    write_vectors("hashlib", "algorithms", ["what", "value"], algorithm_rows())


if __name__ == "__main__":
    main()
