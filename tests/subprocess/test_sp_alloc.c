/* test_sp_alloc.c — out of memory at every allocation of run, check_output
 * and environ_with: a clean BT_ENOMEM, nothing leaked, no zombie. */
#include <criterion/criterion.h>

#include <batteries/subprocess.h>

#include "bt_test.h"
#include "sp_test.h"

static int run_scenario(void *arg)
{
    (void)arg;
    bt_subprocess_opts o = BT_SUBPROCESS_OPTS_INIT;
    o.capture_output = true;
    o.input = "abc";
    o.input_len = 3;
    const char *args[] = {"sh", "-c", "cat; echo e >&2", NULL};
    bt_subprocess_completed r;
    int rc = bt_subprocess_run(args, &o, &r, NULL);
    bt_subprocess_completed_fini(&r);
    if (rc < 0)
        return rc;
    bt_buf b = BT_BUF_INIT;
    rc = bt_subprocess_getoutput("echo x", &b, NULL);
    bt_buf_fini(&b);
    if (rc < 0)
        return rc;
    const char *bad[] = {"nosuchprog", NULL};
    bt_popen *p;
    rc = bt_subprocess_popen(bad, NULL, &p, NULL);
    if (rc != BT_ENOENT)
        return rc;
    bt_os_env *env;
    const char *ch[] = {"A=1", "HOME", NULL};
    rc = bt_subprocess_environ_with(ch, &env, NULL);
    bt_os_env_free(env);
    return rc;
}

Test(subprocess_alloc, every_allocation_failure_is_clean)
{
    cr_expect_gt(bt_test_allocfail(run_scenario, NULL), 5);
    sp_no_zombie();
}
