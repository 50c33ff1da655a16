/*
 * core_int.h — helpers shared by the library's own sources. Never installed;
 * everything here has hidden visibility (the default for the library).
 */
#ifndef BATTERIES_CORE_INT_H
#define BATTERIES_CORE_INT_H

#include <batteries/core.h>
#include <errno.h>

#define BT__LIKELY(x) __builtin_expect(!!(x), 1)
#define BT__UNLIKELY(x) __builtin_expect(!!(x), 0)
#define BT__MIN(a, b) ((a) < (b) ? (a) : (b))
#define BT__MAX(a, b) ((a) > (b) ? (a) : (b))
#define BT__COUNTOF(a) (sizeof(a) / sizeof((a)[0]))

/* Retries `expr` (a system call returning -1 with errno) while a signal
 * interrupts it (PEP 475); leaves the result in `res`. */
#define BT__RETRY(res, expr)                                                   \
    do {                                                                       \
        (res) = (expr);                                                        \
    } while ((res) == -1 && errno == EINTR)

/* a + b into *out, false on size_t overflow. */
static inline bool bt__add_overflow(size_t a, size_t b, size_t *out)
{
    return __builtin_add_overflow(a, b, out);
}

/* a * b into *out, false on size_t overflow. */
static inline bool bt__mul_overflow(size_t a, size_t b, size_t *out)
{
    return __builtin_mul_overflow(a, b, out);
}

/*
 * Classifies the UTF-8 sequence at s[0..n) (n > 0, s[0] >= 0x80).
 * Returns the sequence length (2..4) when valid, else 0 with *bad_len set to
 * the maximal bad subpart as CPython counts it and *reason to its reason.
 */
size_t bt__utf8_seq(const unsigned char *s, size_t n, size_t *bad_len,
                    const char **reason);

/* Longest escape one character can produce in a repr: "\\UXXXXXXXX" or up to
 * four "\\udcXX" for a bad sequence. */
#define BT__REPR_STEP_MAX 24

/* The quote Python's repr() picks for this text: ' unless it holds ' and no ". */
char bt__repr_quote(const char *s, size_t n);

/*
 * Writes the repr() form of the next character of UTF-8 text s[0..n) (n > 0)
 * into out, as Python's str repr escapes it inside `quote`. *adv gets the
 * bytes consumed. Returns the bytes written (<= BT__REPR_STEP_MAX).
 */
size_t bt__repr_step(char *out, const char *s, size_t n, char quote,
                     size_t *adv);

#endif /* BATTERIES_CORE_INT_H */
