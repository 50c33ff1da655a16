"""socket cases: echo round trips over loopback TCP (64 B and 16 KiB
messages), and a ThreadingTCPServer answering 50 concurrent clients.

Echo: one op is one round trip: the client sends the message with sendall
and reads the same number of bytes back. Each side runs both ends in its own
language: ours is a bt_socket client against a bt_socket echo server in a
forked child; CPython's is a socket client against a CPython echo server in
a child process. The anchor is the same client and server written with raw
blocking send/recv calls. TCP_NODELAY is set everywhere. The C pairs are
pinned to one CPU for these cases: on this VM a wakeup across CPUs made any
C pair (raw or ours) bimodal, 15 or 45 us per connection, while CPython's
pair measures 15.4 us pinned or not. The round trip is the kernel's: two
sleeps and two wakeups; CPython is within ~15% of raw C here.

Threading server: one op is a burst of 50 concurrent requests, each a new
connection: the client sends a line, the handler (StreamRequestHandler
style: readline from rfile, write to wfile) echoes it, the server closes the
connection. Ours: bt_socketserver with threading (a thread per request, as
ThreadingTCPServer) and 50 bt_socket client threads; CPython's:
socketserver.ThreadingTCPServer and 50 client threads. Both servers listen
with a backlog of 128 (CPython's default 5 would measure SYN retransmits).
The C clients run freely for the whole measurement; CPython's start each
burst together (a Barrier) and the burst ends when all 50 are answered."""
import os
import socket
import socketserver
import subprocess
import sys
import threading

MSG64 = b"x" * 64
MSG16K = bytes(range(256)) * 64

_ECHO_SERVER = r"""
import socket, sys
s = socket.create_server(('127.0.0.1', 0))
print(s.getsockname()[1], flush=True)
while True:
    c, _ = s.accept()
    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    while True:
        d = c.recv(65536)
        if not d:
            break
        c.sendall(d)
    c.close()
"""

_server = []
_clients = []


def echo_client():
    """A connection to the CPython echo server (started once); the server
    serves one connection at a time, so the previous one is closed."""
    while _clients:
        _clients.pop().close()
    if not _server:
        p = subprocess.Popen([sys.executable, "-c", _ECHO_SERVER],
                             stdout=subprocess.PIPE)
        _server.append((p, int(p.stdout.readline())))
        import atexit
        atexit.register(p.kill)
    c = socket.create_connection(("127.0.0.1", _server[0][1]))
    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    _clients.append(c)
    return c


def round_trip(c, msg):
    c.sendall(msg)
    n = len(msg)
    got = 0
    while got < n:
        d = c.recv(n - got)
        if not d:
            raise EOFError
        got += len(d)


class _Handler(socketserver.StreamRequestHandler):
    def handle(self):
        self.wfile.write(self.rfile.readline())


class _Server(socketserver.ThreadingTCPServer):
    request_queue_size = 128
    daemon_threads = True


_burst = []


def start_burst_server():
    """A ThreadingTCPServer and 50 client threads doing one request per
    burst() call (started once)."""
    if _burst:
        return _burst[0]
    srv = _Server(("127.0.0.1", 0), _Handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    port = srv.server_address[1]
    start = threading.Barrier(51)
    done = threading.Barrier(51)

    def client():
        while True:
            start.wait()
            with socket.create_connection(("127.0.0.1", port)) as s:
                s.sendall(b"hello\n")
                while s.recv(64):
                    pass
            done.wait()

    for _ in range(50):
        threading.Thread(target=client, daemon=True).start()

    def burst():
        start.wait()
        done.wait()

    _burst.append(burst)
    return burst


INPUTS = {}

CASES = [
    dict(name="echo_64", unit="ns/op", anchor="raw_c",
         py_setup="c = echo_client()", py_stmt="round_trip(c, MSG64)"),
    dict(name="echo_16k", unit="ns/op", anchor="raw_c",
         py_setup="c = echo_client()", py_stmt="round_trip(c, MSG16K)"),
    dict(name="threading_server_50", unit="ops/s",
         py_setup="burst = start_burst_server()", py_stmt="burst()"),
]
