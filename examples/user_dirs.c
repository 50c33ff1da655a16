/*
 * user_dirs — the notes' loop, in a scratch directory:
 *
 *   os.chdir("demos")
 *   for i in range(1000):
 *       os.mkdir(f"user_dir{i}")
 *
 * then a look at what it made, what running it twice does (FileExistsError,
 * or nothing with os.makedirs(..., exist_ok=True)), and the clean-up.
 */
#include <stdio.h>
#include <stdlib.h>

#include <batteries/os.h>

int main(void)
{
    bt_err err = BT_ERR_INIT;
    char scratch[] = "/tmp/user_dirs_XXXXXX";
    if (!mkdtemp(scratch) || bt_os_chdir(scratch, &err) < 0 ||
        bt_os_mkdir("demos", 0777, &err) < 0 ||
        bt_os_chdir("demos", &err) < 0) {
        fprintf(stderr, "user_dirs: %s\n", err.msg);
        return 1;
    }

    char name[32];
    for (int i = 0; i < 1000; i++) {
        snprintf(name, sizeof name, "user_dir%d", i);
        if (bt_os_mkdir(name, 0777, &err) < 0) {
            fprintf(stderr, "%s: %s\n", bt_errname(err.code), err.msg);
            return 1;
        }
    }

    bt_strvec names = BT_STRVEC_INIT;
    ptrdiff_t n = bt_os_listdir(NULL, &names, &err);
    bt_strvec_sort(&names);
    printf("len(os.listdir()) -> %td\n", n);
    printf("sorted(os.listdir())[:4] -> ['%s', '%s', '%s', '%s']\n",
           names.items[0], names.items[1], names.items[2], names.items[3]);

    /* Running the loop a second time. */
    if (bt_os_mkdir("user_dir0", 0777, &err) < 0)
        printf("os.mkdir('user_dir0') again -> %s: %s\n", bt_errname(err.code),
               err.msg);
    int again = bt_os_makedirs("user_dir0", 0777, true, &err);
    printf("os.makedirs('user_dir0', exist_ok=True) -> %s\n",
           again == 0 ? "None" : err.msg);

    /* Clean up: every user_dirN, then demos and the scratch directory. */
    int failed = 0;
    for (size_t i = 0; i < names.count; i++)
        failed |= bt_os_rmdir(names.items[i], &err) < 0;
    bt_strvec_fini(&names);
    bt_os_chdir(scratch, NULL);
    failed |= bt_os_removedirs("demos", &err) < 0;
    bt_os_chdir("/", NULL);
    failed |= bt_os_rmdir(scratch, &err) < 0;
    if (failed)
        fprintf(stderr, "user_dirs: clean-up: %s\n", err.msg);
    return failed;
}
