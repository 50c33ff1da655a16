/*
 * test_sp_threads.c — spawning from several threads at once (suite
 * 'concurrency', so `make check` also runs it under TSan): every child gets
 * its own streams and output, failures stay with their thread, nothing
 * leaks and no zombie is left.
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <batteries/subprocess.h>

#include "sp_test.h"

#define THREADS 6
#define ROUNDS 15

struct job {
    int id;
    int failures;
};

static void *spawner(void *arg)
{
    struct job *j = arg;
    for (int i = 0; i < ROUNDS; i++) {
        char word[32];
        snprintf(word, sizeof word, "t%d-%d", j->id, i);
        bt_subprocess_opts o = BT_SUBPROCESS_OPTS_INIT;
        o.capture_output = true;
        o.input = word;
        o.input_len = strlen(word);
        const char *args[] = {"sh", "-c", "cat; echo \" $0\" >&2", word, NULL};
        bt_subprocess_completed r;
        bt_err err = BT_ERR_INIT;
        int rc = bt_subprocess_run(args, &o, &r, &err);
        char want_err[40];
        snprintf(want_err, sizeof want_err, " %s\n", word);
        if (rc != 0 || !r.stdout_buf.data || strcmp(r.stdout_buf.data, word) != 0 ||
            !r.stderr_buf.data || strcmp(r.stderr_buf.data, want_err) != 0)
            j->failures++;
        bt_subprocess_completed_fini(&r);

        const char *bad[] = {"nosuchprog_threads", NULL};
        bt_popen *p;
        rc = bt_subprocess_popen(bad, NULL, &p, &err);
        if (rc != BT_ENOENT ||
            strcmp(err.msg, "[Errno 2] No such file or directory: 'nosuchprog_threads'") != 0)
            j->failures++;

        const char *sl[] = {"sleep", "0.01", NULL};
        if (bt_subprocess_popen(sl, NULL, &p, &err) != 0 || bt_popen_wait(p, 5, &err) != 0 ||
            p->returncode != 0)
            j->failures++;
        bt_popen_free(p);
    }
    return NULL;
}

Test(subprocess_threads, spawn_from_many_threads)
{
    int probe = open("/dev/null", O_RDONLY | O_CLOEXEC);
    close(probe);
    pthread_t t[THREADS];
    struct job jobs[THREADS];
    for (int i = 0; i < THREADS; i++) {
        jobs[i] = (struct job){i, 0};
        cr_assert_eq(pthread_create(&t[i], NULL, spawner, &jobs[i]), 0);
    }
    int failures = 0;
    for (int i = 0; i < THREADS; i++) {
        pthread_join(t[i], NULL);
        failures += jobs[i].failures;
    }
    cr_expect_eq(failures, 0);
    int after = open("/dev/null", O_RDONLY | O_CLOEXEC);
    cr_expect_eq(after, probe, "a descriptor leaked");
    close(after);
    sp_no_zombie();
}

/* A child spawned by one thread never holds the pipes another thread made
 * for its own child: a reader sees EOF as soon as its own child ends. */
Test(subprocess_threads, no_pipe_end_held_by_another_child)
{
    /* Long sleepers spawned concurrently with quick children: the quick
     * ones' communicate must not wait for the sleepers. */
    pthread_t t[2];
    struct job jobs[2] = {{100, 0}, {101, 0}};
    for (int i = 0; i < 2; i++)
        cr_assert_eq(pthread_create(&t[i], NULL, spawner, &jobs[i]), 0);
    bt_popen *sleepers[5];
    const char *args[] = {"sleep", "3", NULL};
    for (int i = 0; i < 5; i++)
        cr_assert_eq(bt_subprocess_popen(args, NULL, &sleepers[i], NULL), 0);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    cr_expect_lt(t1.tv_sec - t0.tv_sec, 3, "a quick child's pipe was held by a sleeper");
    cr_expect_eq(jobs[0].failures + jobs[1].failures, 0);
    for (int i = 0; i < 5; i++) {
        bt_popen_kill(sleepers[i], NULL);
        bt_popen_wait(sleepers[i], -1, NULL);
        bt_popen_free(sleepers[i]);
    }
    sp_no_zombie();
}
