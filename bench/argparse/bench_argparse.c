/* bench_argparse.c — parse a 20-option command line (ours against glibc's
 * getopt_long with hand conversions, the anchor) and format the help. The
 * parser is the one of cases.py. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <batteries/argparse.h>

#include "bench.h"

static const char *const ARGV[] = {
    "--name",    "alpha",     "--count",   "42",      "--ratio",   "0.75",
    "-vvv",      "-q",        "--mode",    "fast",    "-t",        "one",
    "--tag=two", "-o",        "out.txt",   "--level", "5",         "--no-color",
    "--fast",    "--size",    "1024",      "--scale", "1.5",       "--label",
    "x",         "-n",        "--retries", "7",       "--user",    "root",
    "--host",    "localhost", "--port",    "8080",    "--timeout", "2.5",
    "in.txt",    "out.dat"};
#define NARGV (sizeof ARGV / sizeof ARGV[0])

static bt_argparse *parser;

#define ADD(names, ...)                                                        \
    bt_argparse_add_argument(parser, BT_ARGPARSE_NAMES names,                  \
                             &(bt_argparse_arg){__VA_ARGS__}, NULL)

static int setup(void)
{
    if (parser)
        return 0;
    setenv("COLUMNS", "80", 1);
    parser = bt_argparse_new(&(bt_argparse_opts){
        .prog = "bench", .description = "a parser with twenty options"});
    if (!parser)
        return -1;
    static const char *const modes[] = {"fast", "slow", "auto", NULL};
    ADD(("--name"), .help = "a name");
    ADD(("--count"), .type = BT_ARGPARSE_INT, .help = "how many");
    ADD(("--ratio"), .type = BT_ARGPARSE_FLOAT, .help = "a ratio");
    ADD(("-v", "--verbose"), .action = BT_ARGPARSE_COUNT,
        .default_value = BT_ARGPARSE_VINT(0), .help = "more output");
    ADD(("-q", "--quiet"), .action = BT_ARGPARSE_STORE_TRUE,
        .help = "less output");
    ADD(("--mode"), .choices = modes, .default_value = BT_ARGPARSE_VSTR("auto"),
        .help = "mode");
    ADD(("-t", "--tag"), .action = BT_ARGPARSE_APPEND,
        .help = "a tag (repeatable)");
    ADD(("-o", "--output"), .help = "output file");
    ADD(("--level"), .type = BT_ARGPARSE_INT,
        .default_value = BT_ARGPARSE_VINT(1), .help = "level");
    ADD(("--color"), .action = BT_ARGPARSE_BOOLEAN_OPTIONAL, .help = "colour");
    ADD(("--fast"), .dest = "speed", .action = BT_ARGPARSE_STORE_CONST,
        .const_value = BT_ARGPARSE_VSTR("fast"), .help = "go fast");
    ADD(("--size"), .type = BT_ARGPARSE_INT, .help = "size");
    ADD(("--scale"), .type = BT_ARGPARSE_FLOAT, .help = "scale");
    ADD(("--label"), .help = "label");
    ADD(("-n", "--dry-run"), .action = BT_ARGPARSE_STORE_TRUE,
        .help = "do nothing");
    ADD(("--retries"), .type = BT_ARGPARSE_INT,
        .default_value = BT_ARGPARSE_VINT(3), .help = "retries");
    ADD(("--user"), .help = "user");
    ADD(("--host"), .help = "host");
    ADD(("--port"), .type = BT_ARGPARSE_INT, .help = "port");
    ADD(("--timeout"), .type = BT_ARGPARSE_FLOAT, .help = "timeout");
    ADD(("src"), .help = "source");
    ADD(("dst"), .help = "destination");
    bt_argparse_ns *ns;
    int rc = bt_argparse_parse_args(parser, ARGV, NARGV, &ns, NULL);
    int64_t port = 0;
    if (rc == 0)
        rc = bt_argparse_get_int(ns, "port", &port, NULL);
    bt_argparse_ns_free(ns);
    return rc == 0 && port == 8080 ? 0 : -1;
}

static void teardown(void)
{
    bt_argparse_free(parser);
    parser = NULL;
}

static void run_parse(uint64_t iters)
{
    for (uint64_t i = 0; i < iters; i++) {
        bt_argparse_ns *ns;
        bt_argparse_parse_args(parser, ARGV, NARGV, &ns, NULL);
        bench_escape(ns);
        bt_argparse_ns_free(ns);
    }
}

static void run_help(uint64_t iters)
{
    bt_buf b = BT_BUF_INIT;
    for (uint64_t i = 0; i < iters; i++) {
        bt_buf_clear(&b);
        bt_argparse_format_help(parser, &b, NULL);
        bench_escape(b.data);
    }
    bt_buf_fini(&b);
}

/* ---- the anchor: getopt_long and hand conversions ---- */

struct opts {
    const char *name, *mode, *output, *label, *user, *host, *speed, *tags[8];
    long count, level, size, retries, port;
    double ratio, scale, timeout;
    int verbose, quiet, color, dry_run, ntags;
};

static void run_getopt(uint64_t iters)
{
    static const struct option longs[] = {
        {"name", 1, 0, 'N'},     {"count", 1, 0, 'C'},
        {"ratio", 1, 0, 'R'},    {"verbose", 0, 0, 'v'},
        {"quiet", 0, 0, 'q'},    {"mode", 1, 0, 'M'},
        {"tag", 1, 0, 't'},      {"output", 1, 0, 'o'},
        {"level", 1, 0, 'L'},    {"color", 0, 0, 'c'},
        {"no-color", 0, 0, 'k'}, {"fast", 0, 0, 'F'},
        {"size", 1, 0, 'S'},     {"scale", 1, 0, 's'},
        {"label", 1, 0, 'l'},    {"dry-run", 0, 0, 'n'},
        {"retries", 1, 0, 'r'},  {"user", 1, 0, 'u'},
        {"host", 1, 0, 'H'},     {"port", 1, 0, 'P'},
        {"timeout", 1, 0, 'T'},  {0, 0, 0, 0}};
    char *argv[NARGV + 2];
    for (uint64_t it = 0; it < iters; it++) {
        argv[0] = "bench";
        memcpy(argv + 1, ARGV, sizeof ARGV);
        argv[NARGV + 1] = NULL;
        struct opts o = {.mode = "auto", .level = 1, .retries = 3};
        optind = 0;
        opterr = 0;
        int c;
        while ((c = getopt_long((int)NARGV + 1, argv, "vqt:o:n", longs,
                                NULL)) != -1) {
            switch (c) {
            case 'N':
                o.name = optarg;
                break;
            case 'C':
                o.count = strtol(optarg, NULL, 10);
                break;
            case 'R':
                o.ratio = strtod(optarg, NULL);
                break;
            case 'v':
                o.verbose++;
                break;
            case 'q':
                o.quiet = 1;
                break;
            case 'M':
                if (strcmp(optarg, "fast") && strcmp(optarg, "slow") &&
                    strcmp(optarg, "auto"))
                    return;
                o.mode = optarg;
                break;
            case 't':
                if (o.ntags < 8)
                    o.tags[o.ntags++] = optarg;
                break;
            case 'o':
                o.output = optarg;
                break;
            case 'L':
                o.level = strtol(optarg, NULL, 10);
                break;
            case 'c':
                o.color = 1;
                break;
            case 'k':
                o.color = 0;
                break;
            case 'F':
                o.speed = "fast";
                break;
            case 'S':
                o.size = strtol(optarg, NULL, 10);
                break;
            case 's':
                o.scale = strtod(optarg, NULL);
                break;
            case 'l':
                o.label = optarg;
                break;
            case 'n':
                o.dry_run = 1;
                break;
            case 'r':
                o.retries = strtol(optarg, NULL, 10);
                break;
            case 'u':
                o.user = optarg;
                break;
            case 'H':
                o.host = optarg;
                break;
            case 'P':
                o.port = strtol(optarg, NULL, 10);
                break;
            case 'T':
                o.timeout = strtod(optarg, NULL);
                break;
            default:
                return;
            }
        }
        bench_escape(&o);
    }
}

static const bench_case cases[] = {
    {"parse_20_options", setup, run_parse, teardown},
    {"parse_20_options@getopt_long", NULL, run_getopt, NULL},
    {"format_help", setup, run_help, teardown},
};

int main(void)
{
    return bench_main(cases, sizeof cases / sizeof cases[0]);
}
