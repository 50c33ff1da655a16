/*
 * fuzz_sockfile.c — the makefile() reader's framing and the address
 * helpers must hold for any bytes:
 *
 *  - bytes written to a socketpair and read back with readline(limit),
 *    read(n) and read() in an order the input picks come out whole: the
 *    pieces concatenate to the input, a readline piece holds at most one
 *    "\n" and only as its last byte, and is cut only by the limit or the end
 *    of the stream; read(n) gives n bytes unless the stream ended;
 *  - inet_pton of the input as text either fails or gives bytes whose
 *    inet_ntop parses back to the same bytes (for AF_INET and AF_INET6);
 *  - the repr of an AF_UNIX address made from the input is well formed.
 *
 * Input: byte 0 seeds the read pattern and the buffer size; the rest is the
 * stream (at most 64 KiB, so it fits the socket buffer).
 */
#include <batteries/socket.h>

#include <string.h>

#include "fuzz.h"

static void check_address(const uint8_t *data, size_t size)
{
    char text[128];
    size_t n = size < sizeof text - 1 ? size : sizeof text - 1;
    memcpy(text, data, n);
    text[n] = '\0';
    const int fams[2] = {AF_INET, AF_INET6};
    for (int i = 0; i < 2; i++) {
        unsigned char packed[16], again[16];
        int len = bt_socket_inet_pton(fams[i], text, packed, NULL);
        if (len < 0)
            continue;
        char shown[64];
        CHECK(bt_socket_inet_ntop(fams[i], packed, (size_t)len, shown,
                                  sizeof shown, NULL) == 0);
        CHECK(bt_socket_inet_pton(fams[i], shown, again, NULL) == len);
        CHECK(memcmp(packed, again, (size_t)len) == 0);
    }
    bt_sockaddr a = {.family = AF_UNIX};
    size_t m = size < 108 ? size : 108;
    memcpy(a.host, data, m);
    a.host_len = m;
    a.host[m] = '\0';
    bt_buf b = BT_BUF_INIT;
    CHECK(bt_sockaddr_repr(&a, &b) == 0);
    CHECK(b.len >= 2);
    bt_buf_fini(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0 || size > 65536)
        return 0;
    check_address(data + 1, size - 1);
    unsigned seed = data[0];
    const uint8_t *stream = data + 1;
    size_t n = size - 1;
    bt_socket *a, *b;
    if (bt_socket_socketpair(&a, &b, 0, 0, 0, NULL) < 0)
        return 0;
    bt_socket_setsockopt(a, SOL_SOCKET, SO_SNDBUF, 1 << 18, NULL);
    CHECK(bt_socket_sendall(a, stream, n, 0, NULL) == 0);
    bt_socket_shutdown(a, SHUT_WR, NULL);
    bt_socket_file *f;
    CHECK(bt_socket_makefile(&f, b, "r", (ptrdiff_t)(seed % 7) * 5 + 1, NULL) ==
          0);
    bt_buf all = BT_BUF_INIT;
    for (unsigned step = 0;; step++) {
        unsigned pick = (seed >> (step % 8)) ^ step;
        bt_buf piece = BT_BUF_INIT;
        ptrdiff_t r;
        ptrdiff_t limit = (ptrdiff_t)(pick % 13) - 1;
        if (pick % 3 == 0) {
            r = bt_socket_file_read(f, &piece, limit, NULL);
            CHECK(r >= 0);
            if (limit >= 0 && r < limit)
                CHECK(all.len + (size_t)r == n); /* short only at the end */
        } else {
            r = bt_socket_file_readline(f, &piece, limit, NULL);
            CHECK(r >= 0);
            const char *nl =
                memchr(piece.data ? piece.data : "", '\n', (size_t)r);
            CHECK(!nl || nl == piece.data + r - 1);
            if (!nl && r > 0 && (limit < 0 || r < limit))
                CHECK(all.len + (size_t)r == n); /* cut by the end only */
        }
        CHECK((size_t)r == piece.len);
        CHECK(bt_buf_append(&all, piece.data ? piece.data : "", piece.len) ==
              0);
        bt_buf_fini(&piece);
        if (all.len == n && (r == 0 || step > n + 16))
            break;
        CHECK(step < 4 * n + 64);
    }
    CHECK(all.len == n && (n == 0 || memcmp(all.data, stream, n) == 0));
    bt_buf_fini(&all);
    bt_socket_file_close(f, NULL);
    bt_socket_close(a);
    bt_socket_close(b);
    return 0;
}
