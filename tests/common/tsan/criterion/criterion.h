/*
 * A stand-in for <criterion/criterion.h> for the ThreadSanitizer build.
 *
 * Criterion 2.4 cannot start under TSan (its inheritable arena's mmap meets
 * TSan's address-space reservation: Criterion issue #274), so `make
 * check-tsan` builds the same test sources against this header instead: the
 * Test() and cr_* macros the suites use, a runner that forks one child per
 * test and prints TAP. Only what the suites use is here.
 */
#ifndef BT_CRITERION_TSAN_SHIM_H
#define BT_CRITERION_TSAN_SHIM_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef void (*bt_shim_fn)(void);

void bt_shim_register(const char *suite, const char *name, bt_shim_fn fn);
void bt_shim_fail(const char *file, int line, bool fatal, const char *expr, const char *fmt,
                  ...) __attribute__((format(printf, 5, 6)));
void bt_shim_skip(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define Test(suite, name, ...)                                                 \
    static void suite##_##name(void);                                          \
    __attribute__((constructor)) static void bt_shim_reg_##suite##_##name(void) \
    {                                                                          \
        bt_shim_register(#suite, #name, suite##_##name);                       \
    }                                                                          \
    static void suite##_##name(void)

/* The optional message: "" "fmt", args... (a literal format, as Criterion). */
#define BT_SHIM_CHECK(fatal, cond, expr, ...)                                  \
    do {                                                                       \
        if (!(cond))                                                           \
            bt_shim_fail(__FILE__, __LINE__, fatal, expr, "" __VA_ARGS__);     \
    } while (0)

#define cr_assert(c, ...) BT_SHIM_CHECK(true, (c), #c, __VA_ARGS__)
#define cr_expect(c, ...) BT_SHIM_CHECK(false, (c), #c, __VA_ARGS__)
#define cr_assert_not(c, ...) BT_SHIM_CHECK(true, !(c), "!(" #c ")", __VA_ARGS__)
#define cr_expect_not(c, ...) BT_SHIM_CHECK(false, !(c), "!(" #c ")", __VA_ARGS__)
#define cr_assert_fail(...) BT_SHIM_CHECK(true, 0, "cr_assert_fail", __VA_ARGS__)

#define BT_SHIM_CMP(fatal, a, op, b, ...)                                      \
    BT_SHIM_CHECK(fatal, (a)op(b), #a " " #op " " #b, __VA_ARGS__)
#define cr_assert_eq(a, b, ...) BT_SHIM_CMP(true, a, ==, b, __VA_ARGS__)
#define cr_assert_neq(a, b, ...) BT_SHIM_CMP(true, a, !=, b, __VA_ARGS__)
#define cr_assert_lt(a, b, ...) BT_SHIM_CMP(true, a, <, b, __VA_ARGS__)
#define cr_assert_leq(a, b, ...) BT_SHIM_CMP(true, a, <=, b, __VA_ARGS__)
#define cr_assert_gt(a, b, ...) BT_SHIM_CMP(true, a, >, b, __VA_ARGS__)
#define cr_assert_geq(a, b, ...) BT_SHIM_CMP(true, a, >=, b, __VA_ARGS__)
#define cr_expect_eq(a, b, ...) BT_SHIM_CMP(false, a, ==, b, __VA_ARGS__)
#define cr_expect_neq(a, b, ...) BT_SHIM_CMP(false, a, !=, b, __VA_ARGS__)
#define cr_expect_lt(a, b, ...) BT_SHIM_CMP(false, a, <, b, __VA_ARGS__)
#define cr_expect_leq(a, b, ...) BT_SHIM_CMP(false, a, <=, b, __VA_ARGS__)
#define cr_expect_gt(a, b, ...) BT_SHIM_CMP(false, a, >, b, __VA_ARGS__)
#define cr_expect_geq(a, b, ...) BT_SHIM_CMP(false, a, >=, b, __VA_ARGS__)

#define cr_assert_null(p, ...) BT_SHIM_CHECK(true, (p) == NULL, #p " == NULL", __VA_ARGS__)
#define cr_expect_null(p, ...) BT_SHIM_CHECK(false, (p) == NULL, #p " == NULL", __VA_ARGS__)
#define cr_assert_not_null(p, ...) BT_SHIM_CHECK(true, (p) != NULL, #p " != NULL", __VA_ARGS__)
#define cr_expect_not_null(p, ...) BT_SHIM_CHECK(false, (p) != NULL, #p " != NULL", __VA_ARGS__)

#define BT_SHIM_STR(fatal, a, op, b, ...)                                      \
    BT_SHIM_CHECK(fatal, strcmp((a), (b)) op 0, #a " " #op " " #b, __VA_ARGS__)
#define cr_assert_str_eq(a, b, ...) BT_SHIM_STR(true, a, ==, b, __VA_ARGS__)
#define cr_assert_str_neq(a, b, ...) BT_SHIM_STR(true, a, !=, b, __VA_ARGS__)
#define cr_expect_str_eq(a, b, ...) BT_SHIM_STR(false, a, ==, b, __VA_ARGS__)
#define cr_expect_str_neq(a, b, ...) BT_SHIM_STR(false, a, !=, b, __VA_ARGS__)

#define cr_skip_test(...) bt_shim_skip("" __VA_ARGS__)

#endif
