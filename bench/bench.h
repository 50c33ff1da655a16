/*
 * bench.h — the C half of the benchmark harness (see bench/README.md).
 *
 * A module's bench program lists its cases in an array and hands it to
 * bench_main, which serves bench/run.py over stdin/stdout: the driver picks
 * the iteration counts and the order; the program only times loops.
 */
#ifndef BATTERIES_BENCH_H
#define BATTERIES_BENCH_H

#include <stddef.h>
#include <stdint.h>

typedef struct bench_case {
    /* "<case>" as in cases.py, or "<case>@<anchor>" for an anchor. */
    const char *name;
    /* Optional; run once, untimed, before the case is first measured.
     * Returns 0, or nonzero to fail the case. */
    int (*setup)(void);
    /* Performs the operation iters times. */
    void (*run)(uint64_t iters);
    /* Optional; frees what setup made (so leak checkers stay quiet). */
    void (*teardown)(void);
} bench_case;

/*
 * Serves the protocol until EOF on stdin, one answer line per command line:
 *   list            -> the case names, separated by spaces
 *   <case> <iters>  -> nanoseconds for iters runs, or "error <message>"
 * Returns the exit status for main.
 */
int bench_main(const bench_case *cases, size_t n);

/*
 * The bytes of input file `name`, written by run.py from the module's
 * cases.py INPUTS into $BENCH_DATA_DIR, so C and Python time identical data.
 * Returns NULL (after a message on stderr) when it cannot be read; the
 * memory is the harness's, freed when bench_main returns.
 */
const char *bench_input(const char *name, size_t *len);

/*
 * Makes the compiler believe *p is read and anything may have changed, so
 * a result cannot be discarded nor a loop-invariant call hoisted.
 */
static inline void bench_escape(const void *p)
{
    __asm__ __volatile__("" : : "r"(p) : "memory");
}

#endif /* BATTERIES_BENCH_H */
