/*
 * fuzz_getopt.c — argv parsing: the input is split at NUL bytes into
 * shortopts, a count of long options, the long options and the arguments.
 * Checks: no crash; on success every option is "-x" or "--name" with a
 * value, the arguments left are at most the arguments given, and
 * getopt's options are a prefix of gnu_getopt's; on failure, err names an
 * argument that exists.
 */
#include <batteries/argparse.h>

#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 1024)
        return 0;
    char *copy = malloc(size + 1);
    CHECK(copy);
    memcpy(copy, data, size);
    copy[size] = '\0';
    const char *parts[64];
    size_t n = 0;
    for (size_t i = 0; i <= size && n < 64;) {
        parts[n++] = copy + i;
        i += strlen(copy + i) + 1;
    }
    const char *shortopts = n ? parts[0] : "";
    size_t nlong = n > 1 ? (size_t)(unsigned char)parts[1][0] % 4 : 0;
    if (2 + nlong > n)
        nlong = n > 2 ? n - 2 : 0;
    const char *const *longs = parts + 2;
    const char *const *args = parts + 2 + nlong;
    size_t nargs = n > 2 + nlong ? n - 2 - nlong : 0;

    bt_getopt_result a = BT_GETOPT_RESULT_INIT, g = BT_GETOPT_RESULT_INIT;
    bt_err ea = BT_ERR_INIT, eg = BT_ERR_INIT;
    int ra = bt_getopt_getopt(args, nargs, shortopts, longs, nlong, &a, &ea);
    int rg = bt_getopt_gnu_getopt(args, nargs, shortopts, longs, nlong, &g, &eg);
    CHECK(ra == 0 || ra == BT_EGETOPT);
    CHECK(rg == 0 || rg == BT_EGETOPT);
    if (ra == BT_EGETOPT)
        CHECK(ea.pos >= 0 && (size_t)ea.pos < nargs);
    if (rg == BT_EGETOPT)
        CHECK(eg.pos >= 0 && (size_t)eg.pos < nargs);
    if (ra == 0) {
        CHECK(a.opts.count % 2 == 0);
        for (size_t i = 0; i < a.opts.count; i += 2)
            CHECK(a.opts.items[i][0] == '-' && a.opts.lens[i] >= 2);
        CHECK(a.args.count <= nargs);
    }
    if (ra == 0 && rg == 0 && shortopts[0] != '+') {
        CHECK(g.opts.count >= a.opts.count);
        for (size_t i = 0; i < a.opts.count; i++)
            CHECK(strcmp(a.opts.items[i], g.opts.items[i]) == 0);
    }
    bt_getopt_result_fini(&a);
    bt_getopt_result_fini(&g);
    free(copy);
    return 0;
}
