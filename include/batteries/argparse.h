/*
 * batteries/argparse.h — command lines: Python's argparse and getopt.
 *
 * Both work on an argument vector without the program name (Python's
 * sys.argv[1:]). argparse builds a parser the way Python does (a parser,
 * add_argument with an options struct of Python's keywords, groups,
 * subparsers), parses into a namespace read by typed lookups, and formats
 * help, usage and errors exactly as Python 3.11. It never prints or exits
 * unless asked to (exit_on_error, or bt_argparse_exit).
 */
#ifndef BATTERIES_ARGPARSE_H
#define BATTERIES_ARGPARSE_H

#include <batteries/core.h>

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * What getopt returns: opts holds pairs (option, value) — "-a" or "--name"
 * and the value, "" when the option takes none — and args the arguments
 * left over. Start with BT_GETOPT_RESULT_INIT, free with
 * bt_getopt_result_fini.
 */
typedef struct bt_getopt_result {
    bt_strvec opts;
    bt_strvec args;
} bt_getopt_result;

#define BT_GETOPT_RESULT_INIT                                                  \
    {                                                                          \
        BT_STRVEC_INIT, BT_STRVEC_INIT                                         \
    }

/**
 * Parses args[0..nargs) with the short options (letters, a ':' after one
 * that takes a value) and the long options (names, a trailing '=' on one
 * that takes a value; a unique prefix is enough). Stops at the first
 * argument that is not an option, or after "--".
 *
 * Python: getopt.getopt(args, shortopts, longopts).
 * Returns: 0 and out filled (appended to), BT_EGETOPT with Python's
 *   message ("option -x not recognized", "option --name requires argument",
 *   "option --name must not have an argument", "option --na not a unique
 *   prefix") and err->pos = the index in args of the argument at fault, or
 *   BT_ENOMEM.
 * Ownership: everything is borrowed; out is the caller's (free it with
 *   bt_getopt_result_fini, also after an error).
 * Thread safety: safe on distinct results.
 */
BT_API int bt_getopt_getopt(const char *const *args, size_t nargs,
                            const char *shortopts, const char *const *longopts,
                            size_t nlong, bt_getopt_result *out, bt_err *err);

/**
 * As bt_getopt_getopt, but options and other arguments may be mixed, as GNU
 * getopt allows; a shortopts starting with '+', or POSIXLY_CORRECT in the
 * environment, stops at the first non-option instead.
 *
 * Python: getopt.gnu_getopt(args, shortopts, longopts).
 * Returns: as bt_getopt_getopt.
 * Ownership: as bt_getopt_getopt.
 * Thread safety: safe on distinct results while no thread changes the
 *   environment.
 */
BT_API int bt_getopt_gnu_getopt(const char *const *args, size_t nargs,
                                const char *shortopts,
                                const char *const *longopts, size_t nlong,
                                bt_getopt_result *out, bt_err *err);

/**
 * Frees what a getopt result holds and leaves it empty.
 *
 * Python: no equivalent.
 * Returns: nothing. Accepts NULL.
 * Ownership: frees the strings of the result.
 * Thread safety: not safe on a result another thread uses.
 */
BT_API void bt_getopt_result_fini(bt_getopt_result *r);

/* ------------------------------------------------------------------------ */
/* argparse                                                                  */
/* ------------------------------------------------------------------------ */

/*
 * A parser, an argument group or a mutually exclusive group: all take
 * bt_argparse_add_argument, as Python's _ActionsContainer. Groups and
 * subcommand parsers belong to the top-level parser and are freed with it.
 */
typedef struct bt_argparse bt_argparse;
/* The object add_subparsers returns (Python's _SubParsersAction). */
typedef struct bt_argparse_subparsers bt_argparse_subparsers;
/* A parse's result: Python's Namespace, plus unrecognized arguments and, on
 * exit or error, the text Python would print and the exit status. */
typedef struct bt_argparse_ns bt_argparse_ns;

/* The kind of a value in a namespace (and of const, default, type). */
typedef enum bt_argparse_type {
    BT_ARGPARSE_UNSET = 0, /* "not given" in an options struct */
    BT_ARGPARSE_NONE,      /* None */
    BT_ARGPARSE_STR,       /* str: s */
    BT_ARGPARSE_INT,       /* int (64-bit): i */
    BT_ARGPARSE_FLOAT,     /* float: f */
    BT_ARGPARSE_BOOL,      /* bool: b */
    BT_ARGPARSE_LIST,      /* list: list.items[0 .. list.n) */
    BT_ARGPARSE_PTR        /* what a custom converter returned: p */
} bt_argparse_type;

/* A Python value. In a namespace, strings and lists belong to it. */
typedef struct bt_argparse_value {
    bt_argparse_type type;
    union {
        const char *s;
        int64_t i;
        double f;
        bool b;
        void *p;
        struct {
            const struct bt_argparse_value *items;
            size_t n;
        } list;
    };
} bt_argparse_value;

#define BT_ARGPARSE_SUPPRESS "==SUPPRESS=="
#define BT_ARGPARSE_VNONE    ((bt_argparse_value){.type = BT_ARGPARSE_NONE})
#define BT_ARGPARSE_VSTR(x)                                                    \
    ((bt_argparse_value){.type = BT_ARGPARSE_STR, .s = (x)})
#define BT_ARGPARSE_VINT(x)                                                    \
    ((bt_argparse_value){.type = BT_ARGPARSE_INT, .i = (x)})
#define BT_ARGPARSE_VFLOAT(x)                                                  \
    ((bt_argparse_value){.type = BT_ARGPARSE_FLOAT, .f = (x)})
#define BT_ARGPARSE_VBOOL(x)                                                   \
    ((bt_argparse_value){.type = BT_ARGPARSE_BOOL, .b = (x)})
/* default=argparse.SUPPRESS */
#define BT_ARGPARSE_VSUPPRESS BT_ARGPARSE_VSTR(BT_ARGPARSE_SUPPRESS)

/* action=... (BT_ARGPARSE_STORE, the zero value, is Python's default). */
typedef enum bt_argparse_action {
    BT_ARGPARSE_STORE = 0,
    BT_ARGPARSE_STORE_CONST,
    BT_ARGPARSE_STORE_TRUE,
    BT_ARGPARSE_STORE_FALSE,
    BT_ARGPARSE_APPEND,
    BT_ARGPARSE_APPEND_CONST,
    BT_ARGPARSE_COUNT,
    BT_ARGPARSE_HELP,
    BT_ARGPARSE_VERSION,
    BT_ARGPARSE_EXTEND,
    BT_ARGPARSE_BOOLEAN_OPTIONAL /* argparse.BooleanOptionalAction */
} bt_argparse_action;

/* nargs=...: 0 is Python's None (one value, not a list); N > 0 is N. */
#define BT_ARGPARSE_OPTIONAL     (-1) /* '?' */
#define BT_ARGPARSE_ZERO_OR_MORE (-2) /* '*' */
#define BT_ARGPARSE_ONE_OR_MORE  (-3) /* '+' */
#define BT_ARGPARSE_REMAINDER    (-4) /* argparse.REMAINDER ('...') */

/* What parse returns when an action asked to exit (--help, --version): the
 * namespace holds the text to print on stdout and status 0. */
#define BT_ARGPARSE_EXIT 1

/*
 * A custom type= converter: converts arg into *out (a STR result is copied,
 * so it may point into ctx or static storage). Return 0, BT_EVALUE or
 * BT_ETYPE for Python's "invalid <type_name> value: 'x'", BT_EARGUMENT with
 * err's message for argparse.ArgumentTypeError(msg), or another code (such
 * as BT_ENOMEM) to stop the parse with it.
 */
typedef int (*bt_argparse_convert_fn)(const char *arg, void *ctx,
                                      bt_argparse_value *out, bt_err *err);

/* formatter_class=...: flags, so that Python's mixes (a class deriving from
 * ArgumentDefaultsHelpFormatter and RawDescriptionHelpFormatter) combine. */
#define BT_ARGPARSE_HELP_FORMATTER                 0
#define BT_ARGPARSE_RAW_DESCRIPTION_HELP_FORMATTER 1
#define BT_ARGPARSE_RAW_TEXT_HELP_FORMATTER                                    \
    3 /* derives from raw description                                          \
       */
#define BT_ARGPARSE_ARGUMENT_DEFAULTS_HELP_FORMATTER 4
#define BT_ARGPARSE_METAVAR_TYPE_HELP_FORMATTER      8

/* ArgumentParser(...) and add_parser(name, ...) keywords. */
typedef struct bt_argparse_opts {
    const char *prog;  /* NULL: the program's name (argv[0]'s basename) */
    const char *usage; /* NULL: generated */
    const char *description;
    const char *epilog;
    const char *prefix_chars;          /* NULL: "-" */
    const char *fromfile_prefix_chars; /* NULL: none */
    bool no_add_help;                  /* add_help=False */
    bool no_allow_abbrev;              /* allow_abbrev=False */
    bool exit_on_error;  /* print and exit as Python does (see bt_argparse_exit)
                          */
    int width;           /* help width; 0: COLUMNS or the terminal, minus 2 */
    int formatter_class; /* BT_ARGPARSE_*_HELP_FORMATTER */
    bt_argparse_value argument_default; /* UNSET: None */
    const bt_argparse *const *parents;  /* NULL-terminated; copied from */
    /* add_parser only: */
    const char *help;
    const char *const *aliases; /* NULL-terminated */
} bt_argparse_opts;

/* add_argument(...) keywords. */
typedef struct bt_argparse_arg {
    bt_argparse_action action;
    int nargs;
    bt_argparse_value const_value;   /* const= */
    bt_argparse_value default_value; /* default= (UNSET: Python's default) */
    bt_argparse_type type; /* UNSET or STR: str; INT: int; FLOAT: float */
    bt_argparse_convert_fn convert; /* type=callable, named type_name */
    void *convert_ctx;
    const char *type_name;
    const char *const *choices; /* NULL-terminated, converted with the type */
    bool required;
    const char *help; /* BT_ARGPARSE_SUPPRESS hides the argument */
    const char *metavar;
    const char *const *metavars; /* a metavar tuple, NULL-terminated */
    const char *dest;
    const char *version; /* action=version */
} bt_argparse_arg;

/* add_subparsers(...) keywords. */
typedef struct bt_argparse_subparsers_opts {
    const char *title;
    const char *description;
    const char *prog;
    const char *dest; /* NULL: argparse.SUPPRESS */
    bool required;
    const char *help;
    const char *metavar;
} bt_argparse_subparsers_opts;

/* The names of an argument: BT_ARGPARSE_NAMES("-f", "--foo"). */
#define BT_ARGPARSE_NAMES(...) ((const char *const[]){__VA_ARGS__, NULL})

/**
 * Creates a parser (with -h/--help unless no_add_help).
 *
 * Python: argparse.ArgumentParser(prog, usage, description, epilog,
 *   parents=..., formatter_class=..., prefix_chars=...,
 *   fromfile_prefix_chars=..., argument_default=..., add_help=...,
 *   allow_abbrev=..., exit_on_error=...).
 * Returns: the parser, or NULL when out of memory. Python's errors while
 *   copying parents (a conflicting option string, "cannot merge actions -
 *   two groups are named 'x'"; a parent with subparsers, which is not
 *   supported, is BT_ENOTIMPL) are kept and returned by every parse.
 * Ownership: opts (may be NULL) and its strings are copied; free the parser
 *   with bt_argparse_free.
 * Thread safety: a parser may be used by one thread at a time; parsing
 *   does not change it, so finished parsers can be shared for parsing.
 */
BT_API bt_argparse *bt_argparse_new(const bt_argparse_opts *opts);

/**
 * Frees a parser with its groups and subcommand parsers.
 *
 * Python: no equivalent.
 * Returns: nothing. Accepts NULL; a group or subcommand parser is freed
 *   with its top-level parser only (passing one does nothing).
 * Ownership: the parser and everything it returned are invalid afterwards.
 * Thread safety: not safe on a parser in use.
 */
BT_API void bt_argparse_free(bt_argparse *p);

/**
 * Adds an argument: a positional when names is one name without a prefix
 * character (or NULL/empty with kw->dest), else an optional with these
 * option strings. kw may be NULL (all of Python's defaults).
 *
 * Python: parser.add_argument(*names, **kw), group.add_argument(...).
 * Returns: 0; BT_EVALUE or BT_ETYPE with Python's message ("nargs for store
 *   actions must be != 0; ...", "invalid option string 'x': must start with
 *   a character '-'", "dest supplied twice for positional argument",
 *   "'required' is an invalid argument for positionals", "mutually
 *   exclusive arguments must be optional", "length of metavar tuple does
 *   not match nargs", ...); BT_EARGUMENT ("argument -f: conflicting option
 *   string: -f"); BT_ENOMEM. The first such error is kept and returned again
 *   by every parse, so checking each call is optional.
 * Ownership: everything is copied.
 * Thread safety: not safe on a parser in use.
 */
BT_API int bt_argparse_add_argument(bt_argparse *c, const char *const *names,
                                    const bt_argparse_arg *kw, bt_err *err);

/**
 * Adds an argument group (shown as its own section in help), or a mutually
 * exclusive group, to a parser or group.
 *
 * Python: parser.add_argument_group(title, description),
 *   parser.add_mutually_exclusive_group(required=...).
 * Returns: the group, or NULL when out of memory (the parser then keeps
 *   BT_ENOMEM for its parses, and adding to NULL returns BT_ENOMEM).
 * Ownership: strings are copied; the group belongs to the parser.
 * Thread safety: not safe on a parser in use.
 */
BT_API bt_argparse *bt_argparse_add_argument_group(bt_argparse *c,
                                                   const char *title,
                                                   const char *description);
BT_API bt_argparse *bt_argparse_add_mutually_exclusive_group(bt_argparse *c,
                                                             bool required);

/**
 * Sets parser-level defaults: dest takes value when no argument sets it.
 *
 * Python: parser.set_defaults(dest=value).
 * Returns: 0, or BT_ENOMEM.
 * Ownership: dest and value are copied.
 * Thread safety: not safe on a parser in use.
 */
BT_API int bt_argparse_set_default(bt_argparse *p, const char *dest,
                                   bt_argparse_value value);

/**
 * Adds the subcommands argument, then the parser of each subcommand.
 *
 * Python: sp = parser.add_subparsers(title=..., dest=..., required=...);
 *   sp.add_parser(name, help=..., aliases=[...], **parser_kwargs).
 * Returns: the subparsers object / the new parser; NULL when out of memory
 *   or on Python's error (a second add_subparsers: "cannot have multiple
 *   subparser arguments"; "conflicting subparser: x"), which the parser
 *   then keeps for its parses as BT_EARGUMENT (err, when given, has it).
 * Ownership: both belong to the top-level parser.
 * Thread safety: not safe on a parser in use.
 */
BT_API bt_argparse_subparsers *bt_argparse_add_subparsers(
    bt_argparse *p, const bt_argparse_subparsers_opts *opts, bt_err *err);
BT_API bt_argparse *bt_argparse_add_parser(bt_argparse_subparsers *sp,
                                           const char *name,
                                           const bt_argparse_opts *opts,
                                           bt_err *err);

/**
 * Parses args[0..nargs) (the command line without the program name).
 * parse_known_args keeps what it does not recognize in the namespace's
 * extras; parse_args makes them an error ("unrecognized arguments: x");
 * parse_intermixed_args lets positionals and optionals mix, and
 * parse_known_intermixed_args also keeps what it does not know.
 *
 * Python: parser.parse_args(args), parser.parse_known_args(args),
 *   parser.parse_intermixed_args(args),
 *   parser.parse_known_intermixed_args(args).
 * Returns: 0 and *out; BT_ARGPARSE_EXIT and *out when --help or --version
 *   asked to exit (bt_argparse_ns_output has the text for stdout);
 *   BT_EARGUMENT and *out on a command-line error (err->msg is Python's
 *   ArgumentError text, "argument -c: invalid int value: 'x'"; the
 *   namespace's output is the whole "usage: ...\nprog: error: ...\n" for
 *   stderr, and its status 2); BT_EVALUE/BT_ETYPE/BT_EARGUMENT kept from
 *   building the parser; BT_EKEY for a bad %(name)s in help (during
 *   --help); an OS error for a fromfile_prefix_chars file is an argument
 *   error as in Python; BT_ENOMEM (*out NULL). With exit_on_error, exits
 *   and help print and exit instead of returning.
 * Ownership: args are borrowed; free *out with bt_argparse_ns_free, also
 *   after an error.
 * Thread safety: safe on distinct namespaces (the parser is only read).
 */
BT_API int bt_argparse_parse_args(const bt_argparse *p, const char *const *args,
                                  size_t nargs, bt_argparse_ns **out,
                                  bt_err *err);
BT_API int bt_argparse_parse_known_args(const bt_argparse *p,
                                        const char *const *args, size_t nargs,
                                        bt_argparse_ns **out, bt_err *err);
BT_API int bt_argparse_parse_intermixed_args(const bt_argparse *p,
                                             const char *const *args,
                                             size_t nargs, bt_argparse_ns **out,
                                             bt_err *err);
BT_API int bt_argparse_parse_known_intermixed_args(const bt_argparse *p,
                                                   const char *const *args,
                                                   size_t nargs,
                                                   bt_argparse_ns **out,
                                                   bt_err *err);

/**
 * Formats the help or the usage line as Python's HelpFormatter does.
 *
 * Python: parser.format_help(), parser.format_usage().
 * Returns: 0 with the text appended to out, BT_EKEY ("'x'" for a bad
 *   %(x)s in a help string), BT_EVALUE, or BT_ENOMEM.
 * Ownership: out stays the caller's.
 * Thread safety: safe while no thread changes the parser or COLUMNS.
 */
BT_API int bt_argparse_format_help(const bt_argparse *p, bt_buf *out,
                                   bt_err *err);
BT_API int bt_argparse_format_usage(const bt_argparse *p, bt_buf *out,
                                    bt_err *err);

/**
 * Prints what a parse left to print (help, version, or the usage and
 * error) to stdout for status 0 or stderr otherwise, frees the namespace
 * and exits with the status; for a namespace without one (a successful
 * parse), exits 0.
 *
 * Python: what parse_args does with exit_on_error (parser.exit/error).
 * Returns: never.
 * Ownership: frees ns (may be NULL).
 * Thread safety: exits the process.
 */
BT_API void bt_argparse_exit(bt_argparse_ns *ns);

/**
 * The generic lookup: the value of dest in the namespace.
 *
 * Python: getattr(args, dest).
 * Returns: 0 and *out, or BT_EKEY ("'Namespace' object has no attribute
 *   'x'").
 * Ownership: *out is borrowed from ns until bt_argparse_ns_free.
 * Thread safety: safe (reads only).
 */
BT_API int bt_argparse_get(const bt_argparse_ns *ns, const char *dest,
                           const bt_argparse_value **out, bt_err *err);

/**
 * Typed lookups by dest. get_str: a str (NULL for None); get_int: an int
 * (bool counts as int, as in Python); get_double: a float or int;
 * get_bool: a bool; get_count: an int, None counting as 0; get_list: a
 * list's items; get_strs: a list of str copied into out.
 *
 * Python: args.dest.
 * Returns: 0 and *out; 1 when the value is None (except get_str and
 *   get_count; *out then untouched); BT_EKEY for an unknown dest; BT_ETYPE
 *   when the value is of another type ("dest 'x' is a str, not an int").
 * Ownership: strings and items are borrowed from ns; get_strs copies.
 * Thread safety: safe (reads only).
 */
BT_API int bt_argparse_get_str(const bt_argparse_ns *ns, const char *dest,
                               const char **out, bt_err *err);
BT_API int bt_argparse_get_int(const bt_argparse_ns *ns, const char *dest,
                               int64_t *out, bt_err *err);
BT_API int bt_argparse_get_double(const bt_argparse_ns *ns, const char *dest,
                                  double *out, bt_err *err);
BT_API int bt_argparse_get_bool(const bt_argparse_ns *ns, const char *dest,
                                bool *out, bt_err *err);
BT_API int bt_argparse_get_count(const bt_argparse_ns *ns, const char *dest,
                                 int64_t *out, bt_err *err);
BT_API int bt_argparse_get_list(const bt_argparse_ns *ns, const char *dest,
                                const bt_argparse_value **items, size_t *n,
                                bt_err *err);
BT_API int bt_argparse_get_strs(const bt_argparse_ns *ns, const char *dest,
                                bt_strvec *out, bt_err *err);

/**
 * The namespace's repr, its unrecognized arguments (parse_known_args), and
 * the text and status of an exit or error.
 *
 * Python: repr(args); the second item of parse_known_args; what
 *   SystemExit would have printed and its code.
 * Returns: repr: 0 or BT_ENOMEM; extras: the vector (empty unless
 *   parse_known_args); output: the text ("" when none); status: the exit
 *   status (0 when none).
 * Ownership: repr appends to the caller's out; the rest is borrowed from
 *   ns.
 * Thread safety: safe (reads only).
 */
BT_API int bt_argparse_ns_repr(const bt_argparse_ns *ns, bt_buf *out);
BT_API const bt_strvec *bt_argparse_ns_extras(const bt_argparse_ns *ns);
BT_API const char *bt_argparse_ns_output(const bt_argparse_ns *ns);
BT_API int bt_argparse_ns_status(const bt_argparse_ns *ns);

/**
 * Frees a namespace.
 *
 * Python: del args.
 * Returns: nothing. Accepts NULL.
 * Ownership: everything borrowed from ns is invalid afterwards.
 * Thread safety: not safe on a namespace in use.
 */
BT_API void bt_argparse_ns_free(bt_argparse_ns *ns);

#ifdef __cplusplus
}
#endif

#endif /* BATTERIES_ARGPARSE_H */
