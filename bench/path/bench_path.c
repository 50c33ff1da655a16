/*
 * bench_path.c — os.path's string functions per call. Each run appends its
 * result to a buffer cleared every time, as a loop reusing one buffer does.
 */
#include <batteries/path.h>

#include "bench.h"

static const char *norm = "/usr/local/../lib/./python3.11//site-packages/";
static const char *clean = "/usr/lib/python3.11/site-packages";
static const char *rel_path = "/usr/lib/python3.11/site-packages/pip";
static const char *rel_start = "/usr/local/share/doc";
static const char *file = "/usr/lib/python3.11/os.py";
static const char *parts[] = {"/usr/local", "lib", "python3.11"};

static bt_buf a = BT_BUF_INIT, b = BT_BUF_INIT;

static void teardown(void)
{
    bt_buf_fini(&a);
    bt_buf_fini(&b);
}

static void run_normpath(uint64_t iters)
{
    for (uint64_t i = 0; i < iters; i++) {
        bench_escape(norm);
        bt_buf_clear(&a);
        int rc = bt_path_normpath(norm, &a);
        bench_escape(&rc);
        bench_escape(a.data);
    }
}

static void run_normpath_clean(uint64_t iters)
{
    for (uint64_t i = 0; i < iters; i++) {
        bench_escape(clean);
        bt_buf_clear(&a);
        int rc = bt_path_normpath(clean, &a);
        bench_escape(&rc);
        bench_escape(a.data);
    }
}

static void run_join(uint64_t iters)
{
    for (uint64_t i = 0; i < iters; i++) {
        bench_escape(parts);
        bt_buf_clear(&a);
        int rc = bt_path_join(parts, 3, &a);
        bench_escape(&rc);
        bench_escape(a.data);
    }
}

static void run_relpath(uint64_t iters)
{
    for (uint64_t i = 0; i < iters; i++) {
        bench_escape(rel_path);
        bt_buf_clear(&a);
        int rc = bt_path_relpath(rel_path, rel_start, &a, NULL);
        bench_escape(&rc);
        bench_escape(a.data);
    }
}

static void run_split(uint64_t iters)
{
    for (uint64_t i = 0; i < iters; i++) {
        bench_escape(file);
        bt_buf_clear(&a);
        bt_buf_clear(&b);
        int rc = bt_path_split(file, &a, &b);
        bench_escape(&rc);
        bench_escape(a.data);
        bench_escape(b.data);
    }
}

static void run_splitext(uint64_t iters)
{
    for (uint64_t i = 0; i < iters; i++) {
        bench_escape(file);
        bt_buf_clear(&a);
        bt_buf_clear(&b);
        int rc = bt_path_splitext(file, &a, &b);
        bench_escape(&rc);
        bench_escape(a.data);
        bench_escape(b.data);
    }
}

static const bench_case cases[] = {
    {"normpath", NULL, run_normpath, teardown},
    {"normpath_clean", NULL, run_normpath_clean, teardown},
    {"join", NULL, run_join, teardown},
    {"relpath", NULL, run_relpath, teardown},
    {"split", NULL, run_split, teardown},
    {"splitext", NULL, run_splitext, teardown},
};

int main(void)
{
    return bench_main(cases, sizeof cases / sizeof cases[0]);
}
