/*
 * argparse_integers — the notes' "process some integers":
 *
 *   parser = ArgumentParser(description="process some integers")
 *   parser.add_argument("integers", metavar="N", type=int, nargs='+',
 *                       help="value for the accumulator")
 *   parser.add_argument("--sum", dest="operator", default="max",
 *                       action="store_const", const="sum",
 *                       help="sum the values (instead of finding the max)")
 *   args = parser.parse_args()
 *   print "Integers:", args.integers
 *   print "Operator:", args.operator
 *
 * Like Python, it prints help for -h and "usage: ... error: ..." with
 * status 2 for a bad command line (exit_on_error).
 */
#include <stdio.h>

#include <batteries/argparse.h>

int main(int argc, char **argv)
{
    bt_argparse *parser = bt_argparse_new(&(bt_argparse_opts){
        .description = "process some integers", .exit_on_error = true});
    bt_argparse_add_argument(
        parser, BT_ARGPARSE_NAMES("integers"),
        &(bt_argparse_arg){.metavar = "N",
                           .type = BT_ARGPARSE_INT,
                           .nargs = BT_ARGPARSE_ONE_OR_MORE,
                           .help = "value for the accumulator"},
        NULL);
    bt_argparse_add_argument(
        parser, BT_ARGPARSE_NAMES("--sum"),
        &(bt_argparse_arg){.dest = "operator",
                           .default_value = BT_ARGPARSE_VSTR("max"),
                           .action = BT_ARGPARSE_STORE_CONST,
                           .const_value = BT_ARGPARSE_VSTR("sum"),
                           .help = "sum the values (instead of finding "
                                   "the max)"},
        NULL);
    bt_argparse_ns *args;
    if (bt_argparse_parse_args(parser, (const char *const *)argv + 1,
                               (size_t)argc - 1, &args, NULL) < 0) {
        bt_argparse_free(parser);
        return 1; /* out of memory: errors have exited already */
    }
    const bt_argparse_value *integers;
    size_t n;
    const char *op;
    bt_argparse_get_list(args, "integers", &integers, &n, NULL);
    bt_argparse_get_str(args, "operator", &op, NULL);
    printf("Integers: [");
    long long acc = integers[0].i;
    for (size_t i = 0; i < n; i++) {
        printf("%s%lld", i ? ", " : "", (long long)integers[i].i);
        if (i)
            acc = op[0] == 's' ? acc + integers[i].i
                               : (integers[i].i > acc ? integers[i].i : acc);
    }
    printf("]\nOperator: %s\n", op);
    printf("Result: %lld\n", acc);
    bt_argparse_ns_free(args);
    bt_argparse_free(parser);
    return 0;
}
