/*
 * helpers.h — what the threading and queue suites share: starting a thread
 * in one call, and replaying a vector file of named cases (one C function
 * per case name, compared with CPython's exception, message or result).
 */
#ifndef BT_THREADING_TEST_HELPERS_H
#define BT_THREADING_TEST_HELPERS_H

#include <criterion/criterion.h>
#include <string.h>

#include <batteries/threading.h>

#include "bt_test.h"

/* Makes and starts a thread; fails the test when it cannot. */
static inline bt_thread *start_thread(bt_thread_fn fn, void *arg)
{
    bt_thread *t;
    cr_assert_eq(bt_thread_new(&t, fn, arg, NULL), 0);
    cr_assert_eq(bt_thread_start(t, NULL), 0);
    return t;
}

/* A case returns its code (or >= 0) and writes Python's repr() of its
 * result into out (64 bytes). */
typedef int (*case_fn)(bt_err *err, char *out);

typedef struct named_case {
    const char *name;
    case_fn fn;
} named_case;

#define NAMED_CASE(name)                                                       \
    {                                                                          \
#name, name                                                            \
    }

/*
 * Runs every row of tests/<module>/vectors/<file>.tsv ("case", then "ok"
 * and the result, or "err", the class and the message) through the case of
 * that name. python_class gives the class CPython names for a code.
 */
static inline void replay_cases(const char *module, const char *file,
                                const named_case *cases, size_t ncases,
                                const char *(*python_class)(int code))
{
    bt_test_vectors v;
    char *f[BT_TEST_MAX_FIELDS];
    size_t seen = 0;
    int n;
    bt_test_vectors_open(&v, module, file);
    while ((n = bt_test_vectors_next(&v, f)) > 0) {
        size_t i = 0;
        while (i < ncases && strcmp(cases[i].name, f[0]) != 0)
            i++;
        cr_assert_lt(i, ncases, "no C case for %s", f[0]);
        bt_err err = BT_ERR_INIT;
        char out[64] = "";
        int rc = cases[i].fn(&err, out);
        if (strcmp(f[1], "ok") == 0) {
            cr_expect_geq(rc, 0, "%s: got %s (%s), CPython returned %s", f[0],
                          bt_errname(rc), err.msg, f[2]);
            cr_expect_str_eq(out, f[2], "%s: got %s, CPython %s", f[0], out,
                             f[2]);
        } else {
            const char *msg = n > 3 ? f[3] : "";
            cr_expect_lt(rc, 0, "%s: succeeded, CPython raised %s", f[0], f[2]);
            cr_expect_str_eq(python_class(rc), f[2], "%s: got %s, CPython %s",
                             f[0], python_class(rc), f[2]);
            if (err.code) /* the calls without an err leave it clear */
                cr_expect_eq(err.code, rc, "%s: err.code", f[0]);
            cr_expect_str_eq(err.msg, msg, "%s: got '%s', CPython '%s'", f[0],
                             err.msg, msg);
        }
        seen++;
    }
    bt_test_vectors_close(&v);
    cr_assert_eq(seen, ncases, "every case has a row");
}

#endif
