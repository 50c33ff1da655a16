#!/usr/bin/env python3
"""CPython's answers for socket.

inet.tsv:  family, text -> "ok", packed hex, inet_ntop(packed) | "err",
           class, str(exc)  (socket.inet_pton / inet_ntop).
ntop.tsv:  family, packed hex -> "ok", text | "err", class, str(exc).
gai.tsv:   host, port, family, type, flags -> the results, one field each:
           "family,type,proto,canonname,repr(sockaddr)".
nameinfo.tsv: host, port, flags -> "ok", host, service | "err", class, msg.
errors.tsv: case -> class, str(exc): what each misuse raises, made live
           here on loopback (the C test provokes the same case by name)."""
import sys

# This folder holds a socket.py (this file): import the standard library's
# (before anything else imports "socket").
_HERE = sys.path.pop(0)
import asyncio  # noqa: E402
import os  # noqa: E402
import selectors  # noqa: E402
import socket  # noqa: E402
import tempfile  # noqa: E402

sys.path.insert(0, _HERE)
from common import write_vectors  # noqa: E402

FAM = {"AF_INET": socket.AF_INET, "AF_INET6": socket.AF_INET6, "0": 0}


def catch(fn):
    try:
        return ["ok"] + fn()
    except Exception as e:  # noqa: BLE001
        return ["err", type(e).__name__, str(e)]


def inet_rows():
    texts = ["1.2.3.4", "0.0.0.0", "255.255.255.255", "127.0.0.1", "1.2.3",
             "1.2.3.4.5", "01.2.3.4", "1.2.3.256", " 1.2.3.4", "", "abc",
             "::", "::1", "0:0:0:0:0:0:0:1", "fe80::1", "2001:db8::ff00:42:8329",
             "::ffff:1.2.3.4", "1:2:3:4:5:6:7:8", "1::2::3", "1:2:3:4:5:6:7:8:9",
             "12345::1", "::ffff:1.2.3", "1.2.3.4x", "2001:DB8::1"]
    rows = []
    for fam in ("AF_INET", "AF_INET6"):
        for t in texts:
            def go():
                p = socket.inet_pton(FAM[fam], t)
                return [p.hex(), socket.inet_ntop(FAM[fam], p)]
            rows.append([fam, t] + catch(go))
    return rows


def ntop_rows():
    rows = []
    for fam, packed in [("AF_INET", "01020304"), ("AF_INET", "010203"),
                        ("AF_INET", "0102030405"), ("AF_INET", ""),
                        ("AF_INET6", "00" * 15 + "01"), ("AF_INET6", "00" * 16),
                        ("AF_INET6", "20010db8" + "00" * 11 + "01"),
                        ("AF_INET6", "00" * 10 + "ffff" + "7f000001"),
                        ("AF_INET6", "01020304"), ("AF_INET6", "00" * 17)]:
        rows.append([fam, packed] +
                    catch(lambda: [socket.inet_ntop(FAM[fam], bytes.fromhex(packed))]))
    return rows


def gai_rows():
    cases = [("127.0.0.1", "80", "AF_INET", "SOCK_STREAM", "0"),
             ("127.0.0.1", "53", "AF_INET", "SOCK_DGRAM", "0"),
             ("::1", "443", "AF_INET6", "SOCK_STREAM", "0"),
             ("-", "8080", "AF_INET", "SOCK_STREAM", "AI_PASSIVE"),
             ("-", "8080", "AF_INET6", "SOCK_STREAM", "AI_PASSIVE"),
             ("localhost", "1234", "AF_INET", "SOCK_STREAM", "0"),
             ("1.2.3.4", "0", "AF_INET", "SOCK_STREAM", "AI_NUMERICHOST"),
             ("not a host", "0", "0", "SOCK_STREAM", "AI_NUMERICHOST"),
             ("127.0.0.1", "notaservice", "AF_INET", "SOCK_STREAM", "AI_NUMERICSERV")]
    rows = []
    for host, port, fam, typ, flags in cases:
        def go():
            res = socket.getaddrinfo(None if host == "-" else host, port,
                                     FAM[fam], getattr(socket, typ),
                                     0, 0 if flags == "0" else getattr(socket, flags))
            return ["%d,%d,%d,%s,%r" % (int(f), int(t), p, c, sa)
                    for f, t, p, c, sa in res]
        rows.append([host, port, fam, typ, flags] + catch(go))
    return rows


def nameinfo_rows():
    NUM = socket.NI_NUMERICHOST | socket.NI_NUMERICSERV
    rows = []
    for host, port, flags in [("127.0.0.1", 80, NUM), ("::1", 443, NUM),
                              ("127.0.0.1", 70000, NUM), ("localhost", 80, NUM),
                              ("1.2.3.4", 0, NUM | socket.NI_DGRAM)]:
        rows.append([host, str(port), str(flags)] +
                    catch(lambda: list(socket.getnameinfo((host, port), flags))))
    return rows


def err(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001
        return [type(e).__name__, str(e)]
    raise AssertionError("no exception")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def error_rows():
    rows = []

    def add(name, fn):
        rows.append([name] + err(fn))

    port = free_port()
    add("connect_refused", lambda: socket.create_connection(("127.0.0.1", port)))
    add("bind_port_range", lambda: socket.socket().bind(("127.0.0.1", 70000)))
    add("connect_port_range", lambda: socket.socket().connect(("127.0.0.1", -1)))
    add("settimeout_negative", lambda: socket.socket().settimeout(-2))
    add("settimeout_nan", lambda: socket.socket().settimeout(float("nan")))
    add("gai_numeric", lambda: socket.getaddrinfo("not a host", 0, 0, 0, 0,
                                                  socket.AI_NUMERICHOST))
    add("gai_service", lambda: socket.getaddrinfo("127.0.0.1", "notaservice", socket.AF_INET,
                                                  socket.SOCK_STREAM, 0, socket.AI_NUMERICSERV))

    def recv_timeout():
        a, b = socket.socketpair()
        a.settimeout(0.05)
        a.recv(1)
    add("recv_timeout", recv_timeout)

    def recv_nonblocking():
        a, b = socket.socketpair()
        a.setblocking(False)
        a.recv(1)
    add("recv_nonblocking", recv_nonblocking)

    def broken_pipe():
        a, b = socket.socketpair()
        b.close()
        a.send(b"x")
    add("send_broken_pipe", broken_pipe)

    def reset():
        srv = socket.create_server(("127.0.0.1", 0))
        c = socket.create_connection(srv.getsockname())
        conn, _ = srv.accept()
        c.sendall(b"unread")
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        conn.close()
        import time
        time.sleep(0.05)
        c.recv(10)
    add("recv_reset", reset)

    add("getpeername_notconn", lambda: socket.socket().getpeername())
    add("setsockopt_bad", lambda: socket.socket().setsockopt(socket.SOL_SOCKET, 12345, 1))
    add("unix_path_too_long",
        lambda: socket.socket(socket.AF_UNIX).bind("/tmp/" + "x" * 200))
    add("inet_ntop_bad_len", lambda: socket.inet_ntop(socket.AF_INET, b"abc"))
    add("inet_pton_bad", lambda: socket.inet_pton(socket.AF_INET, "1.2.3"))
    add("inet_pton_family", lambda: socket.inet_pton(12345, "1.2.3.4"))
    add("getnameinfo_negative_port", lambda: socket.getnameinfo(("127.0.0.1", -1), 3))
    add("create_server_dualstack_family",
        lambda: socket.create_server(("127.0.0.1", 0), dualstack_ipv6=True))

    busy = socket.create_server(("127.0.0.1", 0))
    bport = busy.getsockname()[1]
    rows.append(["create_server_in_use_port", str(bport), ""])
    add("create_server_in_use", lambda: socket.create_server(("127.0.0.1", bport)))
    busy.close()

    add("makefile_bad_mode", lambda: socket.socket().makefile("x"))
    add("recv_exactly_eof", lambda: (_ for _ in ()).throw(
        asyncio.IncompleteReadError(b"abc", 4)))

    def sendfile_nonblocking():
        a, b = socket.socketpair()
        a.setblocking(False)
        with tempfile.TemporaryFile() as f:
            f.write(b"x")
            f.seek(0)
            a.sendfile(f)
    add("sendfile_nonblocking", sendfile_nonblocking)

    sel = selectors.DefaultSelector()
    r, w = os.pipe()
    sel.register(r, selectors.EVENT_READ)
    fd = r
    add("selector_register_twice", lambda: sel.register(r, selectors.EVENT_READ))
    add("selector_bad_events", lambda: sel.register(w, 4))
    add("selector_unregister_missing", lambda: sel.unregister(w))
    add("selector_modify_missing", lambda: sel.modify(w, selectors.EVENT_READ))
    add("selector_negative_fd", lambda: sel.register(-1, selectors.EVENT_READ))
    rows.append(["selector_fd", str(fd), ""])
    sel.close()
    os.close(r)
    os.close(w)
    return rows


def main():
    write_vectors("socket", "inet", ["family", "text", "result..."], inet_rows())
    write_vectors("socket", "ntop", ["family", "packed", "result..."], ntop_rows())
    write_vectors("socket", "gai", ["host", "port", "family", "type", "flags", "result..."],
                  gai_rows())
    write_vectors("socket", "nameinfo", ["host", "port", "flags", "result..."],
                  nameinfo_rows())
    write_vectors("socket", "errors", ["case", "class", "message"], error_rows())


if __name__ == "__main__":
    main()
