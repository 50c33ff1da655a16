/*
 * bt_test.h — helpers for the Criterion suites: CPython vector files and the
 * allocation-failure runner.
 */
#ifndef BT_TEST_H
#define BT_TEST_H

#include <stddef.h>
#include <stdio.h>

#include <batteries/core.h>

/* One open vector file: tests/<module>/vectors/<name>.tsv */
typedef struct bt_test_vectors {
    FILE *f;
    char *line;
    size_t cap;
    int lineno;
    char path[512];
} bt_test_vectors;

#define BT_TEST_MAX_FIELDS 16

/* Opens the vector file; fails the test when it is missing. */
void bt_test_vectors_open(bt_test_vectors *v, const char *module, const char *name);

/* Reads the next case into fields[] (tab-separated, in place). Returns the
 * field count, or 0 at the end of the file. Comment lines are skipped. */
int bt_test_vectors_next(bt_test_vectors *v, char *fields[BT_TEST_MAX_FIELDS]);

void bt_test_vectors_close(bt_test_vectors *v);

/* Decodes hex into a fresh malloc'd buffer (NUL-terminated); *n gets the length. */
char *bt_test_unhex(const char *hex, size_t *n);

/* A scenario for the allocation-failure runner: does real work through the
 * library, frees everything it made, and returns 0 or the first error. */
typedef int (*bt_test_scenario)(void *arg);

/*
 * Runs fn once with every allocation succeeding (it must return 0), then
 * again with allocation 1 failing, then 2, ... until a run meets no failure.
 * After every run no allocation may be outstanding, and a run whose injected
 * failure was hit must return BT_ENOMEM. Returns the number of failure points
 * exercised. Fails the test on any violation.
 */
int bt_test_allocfail(bt_test_scenario fn, void *arg);

/* Outstanding allocations of the counting allocator bt_test_allocfail uses. */
long bt_test_live_allocations(void);

#endif
