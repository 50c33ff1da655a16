/* Every allocation of the os functions that allocate fails in turn: each
 * must give BT_ENOMEM and leak nothing (bt_test_allocfail). */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bt_test.h"
#include "os_test.h"

static char root[64];

static int walk_all(bool fwalk, const char *flags)
{
    bt_os_walk_opts o = BT_OS_WALK_OPTS_INIT;
    o.topdown = strchr(flags, 't') != NULL;
    o.followlinks = strchr(flags, 'f') != NULL;
    bt_os_walk_iter *w;
    int rc =
        fwalk ? bt_os_fwalk(".", &o, -1, &w, NULL) : bt_os_walk(".", &o, &w);
    if (rc < 0)
        return rc;
    bt_os_walk_step s;
    while ((rc = bt_os_walk_next(w, &s, NULL)) > 0) {
        for (size_t i = s.dirnames->count; i-- > 0;)
            if (strncmp(s.dirnames->items[i], "skip", 4) == 0)
                bt_strvec_remove(s.dirnames, i);
    }
    bt_os_walk_close(w);
    return rc;
}

static int listing(void *arg)
{
    (void)arg;
    bt_strvec v = BT_STRVEC_INIT;
    ptrdiff_t n = bt_os_listdir("sub", &v, NULL);
    int fd = open("sub", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (n >= 0)
        n = bt_os_listdir_fd(fd, &v, NULL);
    close(fd);
    bt_strvec_fini(&v);
    if (n < 0)
        return (int)n;
    bt_os_scandir_iter *it;
    int rc = bt_os_scandir(".", &it, NULL);
    if (rc < 0)
        return rc;
    bt_os_direntry *e;
    while ((rc = bt_os_scandir_next(it, &e, NULL)) > 0) {
        bt_os_stat_result st;
        bt_os_direntry_stat(e, false, &st, NULL);
        bt_os_direntry_is_dir(e, true, NULL);
    }
    bt_os_scandir_close(it);
    return rc;
}

static int walking(void *arg)
{
    (void)arg;
    int rc = walk_all(false, "t");
    if (rc == 0)
        rc = walk_all(false, "b");
    if (rc == 0)
        rc = walk_all(false, "tf");
    if (rc == 0)
        rc = walk_all(true, "t");
    if (rc == 0)
        rc = walk_all(true, "bf");
    return rc;
}

static int paths(void *arg)
{
    (void)arg;
    /* Undo what an interrupted run left. */
    rename("x/y/moved", "a.txt");
    bt_buf b = BT_BUF_INIT;
    int rc = bt_os_getcwd(&b, NULL);
    if (rc == 0)
        rc = bt_os_readlink("link_dir", &b, NULL);
    if (rc == 0)
        rc = bt_os_makedirs("m/n/o", 0755, true, NULL);
    if (rc == 0)
        rc = bt_os_removedirs("m/n/o", NULL);
    if (rc == 0)
        rc = bt_os_renames("a.txt", "x/y/moved", NULL);
    if (rc == 0)
        rc = bt_os_renames("x/y/moved", "a.txt", NULL);
    bt_buf_fini(&b);
    return rc;
}

static int environment(void *arg)
{
    (void)arg;
    bt_strvec v = BT_STRVEC_INIT;
    bt_buf b = BT_BUF_INIT;
    bt_os_env *e = NULL, *c = NULL;
    ptrdiff_t n = bt_os_environ(&v);
    int rc = n < 0 ? (int)n : bt_os_getenv("BT_OS_ALLOC", &b);
    if (rc >= 0)
        rc = bt_os_env_new(&e);
    for (int i = 0; rc == 0 && i < 40; i++) {
        char key[16];
        snprintf(key, sizeof key, "K%d", i);
        rc = bt_os_env_set(e, key, "value", NULL);
    }
    if (rc == 0)
        rc = bt_os_env_set(e, "K3", "replaced", NULL);
    if (rc == 0)
        rc = bt_os_env_unset(e, "K4");
    if (rc == 0)
        rc = bt_os_environ_copy(&c);
    bt_os_env_free(e);
    bt_os_env_free(c);
    bt_strvec_fini(&v);
    bt_buf_fini(&b);
    return rc < 0 ? rc : 0;
}

Test(allocfail, os_listing)
{
    os_test_tree(root);
    cr_expect_geq(bt_test_allocfail(listing, NULL), 4);
    os_test_rm(root);
}

Test(allocfail, os_walk)
{
    os_test_tree(root);
    cr_expect_geq(bt_test_allocfail(walking, NULL), 20);
    os_test_rm(root);
}

Test(allocfail, os_paths)
{
    os_test_tree(root);
    cr_expect_geq(bt_test_allocfail(paths, NULL), 6);
    os_test_rm(root);
}

Test(allocfail, os_environment)
{
    cr_assert_eq(setenv("BT_OS_ALLOC", "set", 1), 0);
    cr_expect_geq(bt_test_allocfail(environment, NULL), 10);
}
