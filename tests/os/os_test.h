/* os_test.h — the fixture tree, the CPython oracle (os_oracle.py) and the
 * answers our calls give in the oracle's format. */
#ifndef OS_TEST_H
#define OS_TEST_H

#include <batteries/os.h>

/* Makes a fresh directory under /tmp; root gets its path. */
void os_test_mkroot(char root[64]);

/* Makes the fixture tree in root (see os_test.c) and enters it. */
void os_test_tree(char root[64]);

/* The mutable tree tests/os/test_os_calls.c runs calls in. */
void os_test_small_tree(const char *root);

/* Creates (or truncates) a file holding content (may be NULL). */
void os_test_touch(const char *path, const char *content);

/* rm -rf root. */
void os_test_rm(const char *root);

/* Appends a command line: op, then each argument hex-encoded. */
void os_test_cmd(bt_buf *cmds, const char *op, int nargs,
                 const char *const *args);

/* Runs the oracle in root on the commands; returns n answer lines
 * (malloc'd; free with os_test_free_lines). */
char **os_test_oracle(const char *root, const bt_buf *cmds, size_t n);
void os_test_free_lines(char **lines, size_t n);

/* Appends hex of n bytes. */
void os_test_hex(bt_buf *b, const char *s, size_t n);

/* "Exc:message" for a failure. */
void os_test_exc(bt_buf *b, int code, const bt_err *err);

/* Our answers, in the oracle's format (malloc'd strings). */
char *os_test_listdir(const char *path);
char *os_test_scandir(const char *path, bool force_unknown);
char *os_test_stat(const char *path, bool follow);
char *os_test_walk(bool fwalk, const char *top, const char *flags);

#endif
