/*
 * struct_message — the notes' length-prefixed messages: the sender writes
 * struct.pack('!I', len(message)) and then the bytes; the receiver reads 4
 * bytes, unpacks the length with '!I', then reads exactly that much. Here
 * both ends are the two sides of a pipe.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <batteries/struct.h>

static int write_all(int fd, const void *p, size_t n)
{
    const char *c = p;
    while (n > 0) {
        ssize_t k = write(fd, c, n);
        if (k < 0)
            return -1;
        c += k;
        n -= (size_t)k;
    }
    return 0;
}

static int read_exactly(int fd, void *p, size_t n)
{
    char *c = p;
    while (n > 0) {
        ssize_t k = read(fd, c, n);
        if (k <= 0)
            return -1;
        c += k;
        n -= (size_t)k;
    }
    return 0;
}

int main(void)
{
    static const char *messages[] = {"this is a cool message", "A", ""};
    bt_struct *header;
    bt_err err = BT_ERR_INIT;
    int fds[2];
    if (bt_struct_new("!I", &header, &err) < 0 || pipe(fds) < 0) {
        fprintf(stderr, "setup failed: %s\n", err.msg);
        return 1;
    }

    /* s.sendall(struct.pack('!I', len(m))); s.sendall(m) */
    for (size_t i = 0; i < 3; i++) {
        unsigned char head[4];
        bt_struct_item len = bt_struct_uint(strlen(messages[i]));
        if (bt_struct_pack(header, &len, 1, head, sizeof head, &err) < 0 ||
            write_all(fds[1], head, 4) < 0 ||
            write_all(fds[1], messages[i], strlen(messages[i])) < 0)
            return 1;
    }
    close(fds[1]);

    /* number = struct.unpack('!I', s.recv(4))[0]; data = s.recv(number) */
    unsigned char head[4];
    while (read_exactly(fds[0], head, 4) == 0) {
        bt_struct_item len;
        if (bt_struct_unpack(header, head, 4, &len, 1, &err) < 0)
            return 1;
        char body[256];
        if (len.v.u >= sizeof body || read_exactly(fds[0], body, (size_t)len.v.u) < 0)
            return 1;
        printf("received %llu bytes: '%.*s'\n", (unsigned long long)len.v.u, (int)len.v.u,
               body);
    }
    close(fds[0]);

    /* What struct.pack('!I', -1) says in Python, and here: */
    bt_struct_item bad = bt_struct_int(-1);
    unsigned char out[4];
    if (bt_struct_pack(header, &bad, 1, out, sizeof out, &err) < 0)
        printf("struct.pack('!I', -1) -> %s: %s\n", bt_errname(err.code), err.msg);
    bt_struct_free(header);
    return 0;
}
