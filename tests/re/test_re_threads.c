/* re from several threads at once: the shared cache (compile, eviction,
 * purge), patterns shared by threads, the lazily compiled programs and
 * lastindex, per-thread match scratch. */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <batteries/re.h>

enum { THREADS = 8, ROUNDS = 300 };

static bt_re_pattern *shared;

static void *worker(void *arg)
{
    long id = (long)arg;
    long bad = 0;
    for (int r = 0; r < ROUNDS; r++) {
        char pat[64];
        /* the same few patterns from every thread, and some of its own */
        snprintf(pat, sizeof pat, "(?P<k>\\w+)=(\\d+)%s%d", r % 3 ? "|x" : "|y",
                 r % 5 == 0 ? (int)id : r % 7);
        bt_re_pattern *p;
        if (bt_re_compile(pat, BT_RE_NTS, 0, &p, NULL) < 0) {
            bad++;
            continue;
        }
        bt_re_matchobj *m;
        if (bt_re_search(p, "  key=42;", BT_RE_NTS, &m, NULL) != 1)
            bad++;
        else {
            if (bt_re_match_lastindex(m) != 2 || bt_re_match_start(m, 1) != 2)
                bad++;
            bt_re_match_free(m);
        }
        /* the shared pattern: its match and fullmatch programs and marks
         * are compiled by whichever thread comes first */
        if (bt_re_match(shared, "ab12", 4, &m, NULL) != 1)
            bad++;
        else {
            if (bt_re_match_lastindex(m) != 2)
                bad++;
            bt_re_match_free(m);
        }
        if (bt_re_fullmatch(shared, "ab12", 4, NULL, NULL) != 1)
            bad++;
        bt_strvec v = BT_STRVEC_INIT;
        if (bt_re_findall(shared, "a1 b2 c3", 8, &v, NULL) != 3)
            bad++;
        bt_strvec_fini(&v);
        bt_re_pattern_free(p);
        if (r % 50 == 49)
            bt_re_purge();
    }
    bt_re_purge();
    return (void *)bad;
}

Test(re_threads, shared_patterns_and_cache)
{
    cr_assert_eq(bt_re_compile("([a-z]+)(\\d+)", BT_RE_NTS, 0, &shared, NULL),
                 0);
    pthread_t t[THREADS];
    for (long i = 0; i < THREADS; i++)
        cr_assert_eq(pthread_create(&t[i], NULL, worker, (void *)i), 0);
    long bad = 0;
    for (int i = 0; i < THREADS; i++) {
        void *r;
        pthread_join(t[i], &r);
        bad += (long)r;
    }
    cr_expect_eq(bad, 0);
    bt_re_pattern_free(shared);
    bt_re_purge();
}
