/*
 * test_sp_big.c — 100 MB through communicate in both directions at once,
 * output on both pipes, and a timeout while a grandchild holds the pipe
 * open (compared with CPython).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>

#include <batteries/subprocess.h>

#include "sp_test.h"

#define BIG (100u * 1000u * 1000u)

Test(subprocess_big, hundred_mb_each_way_through_cat)
{
    unsigned char *in = malloc(BIG);
    cr_assert_not_null(in);
    for (size_t i = 0; i < BIG; i++)
        in[i] = (unsigned char)(i * 2654435761u >> 13);
    bt_subprocess_opts o = BT_SUBPROCESS_OPTS_INIT;
    o.input = in;
    o.input_len = BIG;
    o.capture_output = true;
    const char *args[] = {"cat", NULL};
    bt_subprocess_completed r;
    bt_err err = BT_ERR_INIT;
    cr_assert_eq(bt_subprocess_run(args, &o, &r, &err), 0, "%s", err.msg);
    cr_assert_eq(r.stdout_buf.len, BIG);
    cr_expect(memcmp(r.stdout_buf.data, in, BIG) == 0, "the bytes came back changed");
    cr_expect_eq(r.stderr_buf.len, 0);
    bt_subprocess_completed_fini(&r);
    free(in);
    sp_no_zombie();
}

/* The child writes 100 MB to stdout before it reads its 100 MB of input,
 * and 30 MB to stderr: any order of blocking would deadlock. */
Test(subprocess_big, output_before_input_both_pipes)
{
    char *in = calloc(1, BIG);
    bt_subprocess_opts o = BT_SUBPROCESS_OPTS_INIT;
    o.input = in;
    o.input_len = BIG;
    o.capture_output = true;
    const char *args[] = {"sh", "-c",
                          "head -c 100000000 /dev/zero; head -c 30000000 /dev/zero >&2;"
                          " wc -c",
                          NULL};
    bt_subprocess_completed r;
    bt_err err = BT_ERR_INIT;
    cr_assert_eq(bt_subprocess_run(args, &o, &r, &err), 0, "%s", err.msg);
    cr_expect_eq(r.returncode, 0);
    cr_assert_eq(r.stdout_buf.len, BIG + 10);
    cr_expect_str_eq(r.stdout_buf.data + BIG, "100000000\n");
    cr_expect_eq(r.stderr_buf.len, 30000000u);
    bt_subprocess_completed_fini(&r);
    free(in);
    sp_no_zombie();
}

/*
 * The child prints, starts a grandchild that keeps stdout open for 2 s and
 * exits at once. Python's run(timeout=0.5) raises TimeoutExpired at 0.5 s
 * (EOF has not come) with the output so far; the child has already ended,
 * so its returncode is 0, not the kill's. We must match, and not hang
 * until the grandchild lets go.
 */
Test(subprocess_big, timeout_with_grandchild_holding_pipe)
{
    /* The grandchildren (ours and CPython's) outlive their parents: make
     * this process their reaper, so they do not land on the test runner's
     * (Criterion's runner is a subreaper and mistakes them for its own). */
    cr_assert_eq(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
    const char *script = "echo start; (sleep 2; echo late) & exit 0";
    const char *py_args[] = {script, NULL};
    char *py = sp_python("import subprocess, sys, time\n"
                         "t = time.monotonic()\n"
                         "try:\n"
                         "    subprocess.run(['sh', '-c', sys.argv[1]], capture_output=True,"
                         " timeout=0.5)\n"
                         "    print('no timeout')\n"
                         "except subprocess.TimeoutExpired as e:\n"
                         "    print('%s|%r|%r|%d' % (e, e.stdout, e.stderr,"
                         " time.monotonic() - t < 1.5))\n",
                         py_args, NULL);
    bt_subprocess_opts o = BT_SUBPROCESS_OPTS_INIT;
    o.capture_output = true;
    o.timeout = 0.5;
    const char *args[] = {"sh", "-c", script, NULL};
    bt_subprocess_completed r;
    bt_err err = BT_ERR_INIT;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    cr_assert_eq(bt_subprocess_run(args, &o, &r, &err), BT_ETIMEOUTEXPIRED);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double took = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
    /* TimeoutExpired holds None for a stream nothing was read from yet;
     * here that is an empty buffer. */
    char mine[1024];
    snprintf(mine, sizeof mine, "%.400s|%s|%s|%d\n", err.msg,
             r.stdout_buf.len ? "b'start\\n'" : "None",
             r.stderr_buf.len ? "b'?'" : "None", took < 1.5);
    cr_expect(strcmp(r.stdout_buf.data, "start\n") == 0);
    cr_expect_str_eq(mine, py);
    cr_expect_eq(r.returncode, 0, "the child had ended: nothing to kill");
    bt_subprocess_completed_fini(&r);
    free(py);
    /* Wait for the two grandchildren we adopted; then nothing is left. */
    while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
        ;
    sp_no_zombie();
}
