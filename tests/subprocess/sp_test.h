/* sp_test.h — helpers for the subprocess suites. */
#ifndef SP_TEST_H
#define SP_TEST_H

#include <stddef.h>

#include <batteries/subprocess.h>

/* The helper child program (tests/subprocess/sp_child.c), built beside. */
#ifndef SP_CHILD
#error "SP_CHILD must be the helper's path"
#endif

/* Fails the test when this process has a child that has ended and not been
 * waited for (a zombie). */
void sp_no_zombie(void);

/* Waits (up to ~5 s) until this process has no zombie: for children handed
 * to the library's reaper. */
void sp_wait_no_zombie(void);

/* Runs `python3 -c script` (with the arguments, NULL-terminated) through
 * posix_spawn and a pipe — not through the module under test — and returns
 * its stdout (malloc'd, NUL-terminated); fails the test if python fails. */
char *sp_python(const char *script, const char *const *args, size_t *len);

/* A fresh scratch directory /tmp/bt_sp_XXXXXX. */
void sp_mkdtemp(char dir[64]);

#endif
