/* ap_spec.h — builds a parser from the spec language of
 * tools/gen_vectors/argparse_specs.py (SPEC_DOC there), for the vector test,
 * the fuzz target and the benchmark. */
#ifndef AP_SPEC_H
#define AP_SPEC_H

#include <batteries/argparse.h>

/* Builds the parser; returns it (NULL on failure, with the first error's
 * code in *rc and message in err). */
bt_argparse *ap_spec_build(const char *text, int *rc, bt_err *err);

#endif
