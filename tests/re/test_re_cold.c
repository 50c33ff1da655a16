/* test_re_cold.c — allocation failures during the first compile of a
 * process, while the engine check (which probes PCRE2 once) still runs.
 * Each failure point gets a fresh child process, so the engine is cold. */
#include <criterion/criterion.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <batteries/re.h>

static atomic_long calls, fail_at, live;
static atomic_bool failed;

static void *cold_malloc(size_t n, void *ctx)
{
    (void)ctx;
    if (atomic_fetch_add(&calls, 1) + 1 == atomic_load(&fail_at)) {
        atomic_store(&failed, true);
        return NULL;
    }
    void *p = malloc(n);
    if (p)
        atomic_fetch_add(&live, 1);
    return p;
}

static void *cold_realloc(void *p, size_t n, void *ctx)
{
    if (!p)
        return cold_malloc(n, ctx);
    if (atomic_fetch_add(&calls, 1) + 1 == atomic_load(&fail_at)) {
        atomic_store(&failed, true);
        return NULL;
    }
    return realloc(p, n);
}

static void cold_free(void *p, void *ctx)
{
    (void)ctx;
    if (p)
        atomic_fetch_sub(&live, 1);
    free(p);
}

/* Child: 0 clean, 1 success though an allocation failed, 2 wrong code,
 * 3 leak, 4 no failure injected (the end of the points). */
static int cold_compile(long k)
{
    static const bt_allocator a = {cold_malloc, cold_realloc, cold_free, NULL};
    bt_set_allocator(&a);
    atomic_store(&fail_at, k);
    bt_re_pattern *p = NULL;
    int rc = bt_re_compile("\\w+\\b", BT_RE_NTS, 0, &p, NULL);
    bt_re_pattern_free(p);
    bt_re_purge();
    if (!atomic_load(&failed))
        return 4;
    if (rc == 0)
        return 1;
    if (rc != BT_ENOMEM)
        return 2;
    return atomic_load(&live) ? 3 : 0;
}

Test(re_cold, allocation_failures_in_the_first_compile)
{
    long k;
    for (k = 1; k < 5000; k++) {
        pid_t pid = fork();
        cr_assert_geq(pid, 0);
        if (pid == 0)
            _exit(cold_compile(k));
        int st;
        cr_assert_eq(waitpid(pid, &st, 0), pid);
        cr_assert(WIFEXITED(st), "failing allocation %ld: the child died", k);
        int code = WEXITSTATUS(st);
        if (code == 4)
            break;
        cr_assert_eq(code, 0, "failing allocation %ld: %s", k,
                     code == 1   ? "compile succeeded"
                     : code == 2 ? "a code other than BT_ENOMEM"
                                 : "leaked");
    }
    cr_expect_gt(k, 10, "only %ld allocations", k);
}
