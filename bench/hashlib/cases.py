"""hashlib cases: throughput on 64 MiB and the cost of hashing one 64-byte
message (the issue's targets: >= 0.97x OpenSSL EVP on 64 MiB; on 64 bytes
>= 2.3x CPython and >= 0.83x EVP with a pre-fetched EVP_MD and a reused
EVP_MD_CTX, the anchor).

The anchor 'openssl' is EVP_DigestInit_ex/Update/Final_ex with the EVP_MD
fetched once and one EVP_MD_CTX reused for every op: the fastest way to
call OpenSSL 3, which hashlib objects cannot simply be (they must be
allocated, freed, and digest() must not end them).
"""
import hashlib
import hmac

MIB = 1 << 20


def _pattern(n, seed):
    # Deterministic, not constant: a 64 KiB pattern repeated.
    block = bytes((i * 167 + (i >> 8) * 59 + seed * 101 + 13) & 0xFF
                  for i in range(65536))
    return block * (n // 65536) + block[:n % 65536]


BIG = _pattern(64 * MIB, 1)
MSG = _pattern(64, 2)
KEY = _pattern(32, 3)

INPUTS = {"big.bin": BIG, "msg64.bin": MSG, "key32.bin": KEY}

CASES = [
    # One op hashes the whole 64 MiB: new, one update, digest, free.
    dict(name="sha256_64MiB", unit="MB/s", bytes=64 * MIB, anchor="openssl",
         py_setup="data = BIG", py_stmt="hashlib.sha256(data).digest()"),
    dict(name="md5_64MiB", unit="MB/s", bytes=64 * MIB, anchor="openssl",
         py_setup="data = BIG", py_stmt="hashlib.md5(data).digest()"),
    # One op: the named constructor with the data (bt_hashlib_sha256(m, 64,
    # &h): new + update), digest, free; as Python's statement.
    dict(name="sha256_64B", unit="ns/op", anchor="openssl",
         py_setup="m = MSG", py_stmt="hashlib.sha256(m).digest()"),
    dict(name="md5_64B", unit="ns/op", anchor="openssl",
         py_setup="m = MSG", py_stmt="hashlib.md5(m).digest()"),
    # By name: bt_hashlib_new("sha256") + update + digest + free.
    dict(name="sha256_64B_new", unit="ns/op", anchor="openssl",
         py_setup="m = MSG", py_stmt="hashlib.new('sha256', m).digest()"),
    # The one-shot bt_hashlib_hash("sha256", ...): no object at all.
    dict(name="sha256_64B_oneshot", unit="ns/op", anchor="openssl",
         py_setup="m = MSG", py_stmt="hashlib.sha256(m).digest()"),
    # hmac.digest is CPython's fastest HMAC (OpenSSL's one-shot HMAC());
    # ours is bt_hmac_digest. The anchor reuses one EVP_MAC_CTX whose digest
    # was set once, re-keyed with EVP_MAC_init each op.
    dict(name="hmac_sha256_64B", unit="ns/op", anchor="openssl",
         py_setup="m = MSG; k = KEY",
         py_stmt="hmac.digest(k, m, 'sha256')"),
]
