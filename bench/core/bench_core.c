/*
 * bench_core.c — the C side of the core cases; cases.py holds the inputs,
 * the units and the Python counterparts.
 */
#include <batteries/core.h>

#include <stdio.h>

#include "bench.h"

static const char *ascii, *mixed, *repr_text;
static size_t ascii_len, mixed_len, repr_len;
static bt_buf repr_buf = BT_BUF_INIT, append_buf = BT_BUF_INIT;

/* The cases time the success path, so the input must be valid. */
static int load_utf8(const char *name, const char **data, size_t *len)
{
    *data = bench_input(name, len);
    if (!*data)
        return -1;
    if (bt_utf8_validate(*data, *len, NULL) != 0) {
        fprintf(stderr, "bench_core: %s is not valid UTF-8\n", name);
        return -1;
    }
    return 0;
}

static void validate_loop(const char *data, size_t len, uint64_t iters)
{
    for (uint64_t i = 0; i < iters; i++) {
        bench_escape(data);
        int rc = bt_utf8_validate(data, len, NULL);
        bench_escape(&rc);
    }
}

static int setup_ascii(void)
{
    return load_utf8("ascii.txt", &ascii, &ascii_len);
}

static void run_ascii(uint64_t iters)
{
    validate_loop(ascii, ascii_len, iters);
}

static int setup_mixed(void)
{
    return load_utf8("mixed.txt", &mixed, &mixed_len);
}

static void run_mixed(uint64_t iters)
{
    validate_loop(mixed, mixed_len, iters);
}

static int setup_repr(void)
{
    return load_utf8("repr.txt", &repr_text, &repr_len);
}

/* Into a reused buffer: Python's repr allocates a str, we append to a
 * caller's buffer, which is how the API is meant to be used. */
static void run_repr(uint64_t iters)
{
    for (uint64_t i = 0; i < iters; i++) {
        bt_buf_clear(&repr_buf);
        bench_escape(repr_text);
        int rc = bt_repr_str(&repr_buf, repr_text, repr_len);
        bench_escape(&rc);
        bench_escape(repr_buf.data);
    }
}

static void free_repr(void)
{
    bt_buf_fini(&repr_buf);
}

static void run_buf_append(uint64_t iters)
{
    static const char piece[] = "0123456789abcdef";
    for (uint64_t i = 0; i < iters; i++) {
        for (int k = 0; k < 1000; k++) {
            bench_escape(piece);
            int rc = bt_buf_append(&append_buf, piece, sizeof piece - 1);
            bench_escape(&rc);
        }
        bench_escape(append_buf.data);
        bt_buf_clear(&append_buf);
    }
}

static void free_append(void)
{
    bt_buf_fini(&append_buf);
}

static const bench_case cases[] = {
    {"utf8_validate_ascii", setup_ascii, run_ascii, NULL},
    {"utf8_validate_mixed", setup_mixed, run_mixed, NULL},
    {"repr_str", setup_repr, run_repr, free_repr},
    {"buf_append", NULL, run_buf_append, free_append},
};

int main(void)
{
    return bench_main(cases, sizeof cases / sizeof cases[0]);
}
