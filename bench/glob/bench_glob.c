/* bench_glob.c — fnmatch per call and a recursive glob over a tree made
 * by cases.py (its path is the input tree.txt). */
#include <batteries/glob.h>

#include <stdio.h>
#include <string.h>

#include "bench.h"

static void run_fnmatch(uint64_t iters)
{
    for (uint64_t i = 0; i < iters; i++) {
        const char *name = "build_output_123.py";
        bench_escape(&name);
        bool m = bt_fnmatch_fnmatchcase(name, "*_[0-9]*.py");
        bench_escape(&m);
    }
}

static char tree[512];

static int setup_tree(void)
{
    size_t len;
    const char *root = bench_input("tree.txt", &len);
    if (!root || len >= sizeof tree)
        return -1;
    memcpy(tree, root, len);
    tree[len] = '\0';
    return 0;
}

static void run_glob(uint64_t iters)
{
    bt_glob_opts o = BT_GLOB_OPTS_INIT;
    o.recursive = true;
    o.root_dir = tree; /* as Python's glob(root_dir=TREE) */
    for (uint64_t i = 0; i < iters; i++) {
        bt_strvec out = BT_STRVEC_INIT;
        ptrdiff_t n = bt_glob_glob("**/*.c", &o, &out);
        bench_escape(&n);
        bt_strvec_fini(&out);
    }
}

static const bench_case cases[] = {
    {"fnmatchcase", NULL, run_fnmatch, NULL},
    {"glob_recursive", setup_tree, run_glob, NULL},
};

int main(void)
{
    return bench_main(cases, sizeof cases / sizeof cases[0]);
}
