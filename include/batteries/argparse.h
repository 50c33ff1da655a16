/*
 * batteries/argparse.h — command lines: Python's getopt module (argparse
 * will join it here).
 *
 * getopt works on an argument vector without the program name (Python's
 * sys.argv[1:]); options and values come back as strings, as in Python.
 */
#ifndef BATTERIES_ARGPARSE_H
#define BATTERIES_ARGPARSE_H

#include <batteries/core.h>

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

#define BT_GETOPT_RESULT_INIT {BT_STRVEC_INIT, BT_STRVEC_INIT}

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

#ifdef __cplusplus
}
#endif

#endif /* BATTERIES_ARGPARSE_H */
