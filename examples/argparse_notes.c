/*
 * argparse_notes — the notes' argparse example:
 *
 *   parser = argparse.ArgumentParser(description='argparse example')
 *   parser.add_argument('-a', action="store_true", default=False)
 *   parser.add_argument('-b', action="store", dest="blog")
 *   parser.add_argument('-c', action="store", dest="c", type=int)
 *   parser.add_argument('--version', action='version', version='%(prog)s 2.0')
 *   args = parser.parse_args(['-a', '-b happy'])
 *   print(args)               # Namespace(a=True, blog=' happy', c=None)
 *   if args.a: print("-a was passed")
 *   if args.blog: print("-b", args.blog, "was passed")
 *   if args.c: print("-c", args.c, "was passed (int)")
 *   parser.parse_args(["--help"])
 *
 * Without arguments it replays the notes (prog "myscript.py"); with
 * arguments (say -a -b happy -c 3 --version) it parses them as a program
 * would, exiting as Python does for --help, --version and errors.
 */
#include <stdio.h>

#include <batteries/argparse.h>

static bt_argparse *make(const char *prog, bool exit_on_error)
{
    bt_argparse *p =
        bt_argparse_new(&(bt_argparse_opts){.prog = prog,
                                            .description = "argparse example",
                                            .exit_on_error = exit_on_error});
    bt_argparse_add_argument(
        p, BT_ARGPARSE_NAMES("-a"),
        &(bt_argparse_arg){.action = BT_ARGPARSE_STORE_TRUE,
                           .default_value = BT_ARGPARSE_VBOOL(false)},
        NULL);
    bt_argparse_add_argument(
        p, BT_ARGPARSE_NAMES("-b"),
        &(bt_argparse_arg){.action = BT_ARGPARSE_STORE, .dest = "blog"}, NULL);
    bt_argparse_add_argument(p, BT_ARGPARSE_NAMES("-c"),
                             &(bt_argparse_arg){.action = BT_ARGPARSE_STORE,
                                                .dest = "c",
                                                .type = BT_ARGPARSE_INT},
                             NULL);
    bt_argparse_add_argument(p, BT_ARGPARSE_NAMES("--version"),
                             &(bt_argparse_arg){.action = BT_ARGPARSE_VERSION,
                                                .version = "%(prog)s 2.0"},
                             NULL);
    return p;
}

static void report(const bt_argparse_ns *args)
{
    bt_buf r = BT_BUF_INIT;
    bt_argparse_ns_repr(args, &r);
    printf("%s\n", r.data);
    bt_buf_fini(&r);
    bool a = false;
    const char *blog = NULL;
    int64_t c = 0;
    bt_argparse_get_bool(args, "a", &a, NULL);
    bt_argparse_get_str(args, "blog", &blog, NULL);
    bt_argparse_get_int(args, "c", &c, NULL);
    if (a)
        printf("-a was passed\n");
    if (blog && *blog)
        printf("-b %s was passed\n", blog);
    if (c)
        printf("-c %lld was passed (int)\n", (long long)c);
}

int main(int argc, char **argv)
{
    if (argc > 1) {
        bt_argparse *parser = make(NULL, true);
        bt_argparse_ns *args;
        if (bt_argparse_parse_args(parser, (const char *const *)argv + 1,
                                   (size_t)argc - 1, &args, NULL) == 0)
            report(args);
        bt_argparse_ns_free(args);
        bt_argparse_free(parser);
        return 0;
    }
    bt_argparse *parser = make("myscript.py", false);
    bt_argparse_ns *args;
    const char *notes[] = {"-a", "-b happy"};
    if (bt_argparse_parse_args(parser, notes, 2, &args, NULL) == 0)
        report(args);
    bt_argparse_ns_free(args);
    const char *help[] = {"--help"};
    if (bt_argparse_parse_args(parser, help, 1, &args, NULL) ==
        BT_ARGPARSE_EXIT)
        printf("\n%s", bt_argparse_ns_output(args)); /* then SystemExit: 0 */
    bt_argparse_ns_free(args);
    bt_argparse_free(parser);
    return 0;
}
