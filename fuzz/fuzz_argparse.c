/*
 * fuzz_argparse.c — argparse's argv parsing. The first byte picks one of a
 * few parsers (built from the spec language of the vector tests) and the
 * parse function; the rest, split at NUL bytes, is the command line.
 * Checks: no crash or hang; the result is success, an exit (status 0 and
 * text) or an argument error (status 2, "usage: " and "prog: error: ");
 * a namespace always has a repr; parse_args never leaves extras.
 */
#include <batteries/argparse.h>

#include <stdlib.h>
#include <string.h>

#include "../tests/argparse/ap_spec.c"
#include "fuzz.h"

static const char *const specs[] = {
    "parser prog=f\n"
    "arg -a action=store_true\narg -b\narg -c type=int choices=1,2,3\n"
    "arg -v --verbose action=count\narg -e --extend action=extend nargs=+\n"
    "arg --two nargs=2\narg --opt nargs=? const=s:C\narg --flag "
    "action=BooleanOptionalAction\n"
    "mutex m\narg in=m --x action=store_true\narg in=m --y type=float\n"
    "arg first\narg rest nargs=*\n",
    "parser prog=g prefix_chars=-+ allow_abbrev=0\n"
    "arg +p action=append_const const=i:1 dest=ps\narg -1 action=store_true "
    "dest=one\n"
    "arg --version action=version version=\"%(prog)s 1\"\n"
    "subparsers sp dest=cmd required=1\ncmd a of=sp name=add aliases=a "
    "help=adds\n"
    "cmd b of=sp name=rm\narg in=a xs type=int nargs=+\narg in=b --force "
    "action=store_true\n"
    "arg in=b rest nargs=...\n",
    "parser prog=h\narg -n type=int\narg --name required=1\narg pos nargs=?\n"
    "arg more nargs=* type=float\n",
};

static bt_argparse *parsers[3];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 2048)
        return 0;
    for (size_t i = 0; i < 3; i++)
        if (!parsers[i]) {
            int rc;
            bt_err err = BT_ERR_INIT;
            setenv("COLUMNS", "80", 1);
            parsers[i] = ap_spec_build(specs[i], &rc, &err);
            CHECK(parsers[i]);
        }
    unsigned sel = data[0];
    const bt_argparse *p = parsers[sel % 3];
    char *copy = malloc(size);
    CHECK(copy);
    memcpy(copy, data + 1, size - 1);
    copy[size - 1] = '\0';
    const char *args[64];
    size_t n = 0;
    for (size_t i = 0; i < size - 1 && n < 64;) {
        args[n++] = copy + i;
        i += strlen(copy + i) + 1;
    }
    bt_argparse_ns *ns = NULL;
    bt_err err = BT_ERR_INIT;
    int fn = (sel / 3) % 3, rc;
    if (fn == 0)
        rc = bt_argparse_parse_args(p, args, n, &ns, &err);
    else if (fn == 1)
        rc = bt_argparse_parse_known_args(p, args, n, &ns, &err);
    else
        rc = bt_argparse_parse_intermixed_args(p, args, n, &ns, &err);
    if (fn == 2 && rc == BT_ETYPE) {
        free(copy);
        return 0; /* REMAINDER/PARSER positionals refuse intermixed, as Python
                   */
    }
    CHECK(rc == 0 || rc == BT_ARGPARSE_EXIT || rc == BT_EARGUMENT);
    CHECK(ns);
    const char *out = bt_argparse_ns_output(ns);
    if (rc == 0)
        CHECK(bt_argparse_ns_status(ns) == 0 && !*out);
    if (rc == BT_ARGPARSE_EXIT)
        CHECK(bt_argparse_ns_status(ns) == 0);
    if (rc == BT_EARGUMENT) {
        CHECK(bt_argparse_ns_status(ns) == 2);
        CHECK(strncmp(out, "usage: ", 7) == 0 && strstr(out, ": error: "));
        CHECK(err.code == BT_EARGUMENT && err.msg[0]);
    }
    if (rc == 0 && fn != 1)
        CHECK(bt_argparse_ns_extras(ns)->count == 0);
    if (rc == 0)
        CHECK(bt_argparse_ns_extras(ns)->count <= n + 1);
    bt_buf b = BT_BUF_INIT;
    CHECK(bt_argparse_ns_repr(ns, &b) == 0 &&
          strncmp(b.data, "Namespace(", 10) == 0);
    bt_buf_fini(&b);
    bt_argparse_ns_free(ns);
    free(copy);
    return 0;
}
