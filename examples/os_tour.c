/*
 * os_tour — the notes' os walkthrough, in a scratch directory:
 *
 *   os.system('ls'); os.system('touch newfile'); os.system('ls newfile')
 *   os.getcwd()
 *   os.path.exists('newfile')            -> True
 *   os.mkdir('newdir')
 *   os.path.isfile('newdir')             -> False
 *   os.path.isdir('newdir')              -> True
 * then what the notes go on to need: listdir, stat, walk, the environment
 * and an error as Python prints it. Everything made is removed at the end.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <batteries/os.h>
#include <batteries/path.h>

static const char *py_bool(bool b)
{
    return b ? "True" : "False";
}

/* Python's repr of a list of names. */
static void print_list(const char *label, const bt_strvec *v)
{
    bt_buf line = BT_BUF_INIT;
    bt_buf_append_str(&line, "[");
    for (size_t i = 0; i < v->count; i++) {
        if (i)
            bt_buf_append_str(&line, ", ");
        bt_repr_str(&line, v->items[i], v->lens[i]);
    }
    bt_buf_append_str(&line, "]");
    printf("%s%s\n", label, line.data);
    bt_buf_fini(&line);
}

static int run(const char *command)
{
    fflush(stdout); /* the shell writes to the same stdout */
    int status = bt_os_system(command);
    printf("os.system('%s') -> %d\n", command, status);
    return status;
}

int main(void)
{
    bt_err err = BT_ERR_INIT;
    char scratch[] = "/tmp/os_tour_XXXXXX";
    if (!mkdtemp(scratch) || bt_os_chdir(scratch, &err) < 0) {
        fprintf(stderr, "os_tour: cannot make a scratch directory\n");
        return 1;
    }

    run("ls");
    run("touch newfile");
    run("ls newfile");

    bt_buf cwd = BT_BUF_INIT;
    if (bt_os_getcwd(&cwd, &err) == 0)
        printf("os.getcwd() -> '%s'\n", cwd.data);
    bt_buf_fini(&cwd);

    printf("os.path.exists('newfile') -> %s\n",
           py_bool(bt_path_exists("newfile")));
    if (bt_os_mkdir("newdir", 0777, &err) < 0)
        printf("%s: %s\n", bt_errname(err.code), err.msg);
    printf("os.path.isfile('newdir') -> %s\n",
           py_bool(bt_path_isfile("newdir")));
    printf("os.path.isdir('newdir') -> %s\n", py_bool(bt_path_isdir("newdir")));

    /* The directory order is the file system's: sorted, as Python's
     * sorted(os.listdir()). */
    bt_strvec names = BT_STRVEC_INIT;
    if (bt_os_listdir(".", &names, &err) >= 0 && bt_strvec_sort(&names) == 0)
        print_list("sorted(os.listdir('.')) -> ", &names);
    bt_strvec_fini(&names);

    bt_os_stat_result st;
    if (bt_os_stat("newdir", &st, &err) == 0)
        printf("oct(os.stat('newdir').st_mode) -> '0o%o' (a directory: %s)\n",
               st.st_mode, py_bool(S_ISDIR(st.st_mode)));

    /* os.makedirs and os.walk: for root, dirs, files in os.walk('.') */
    bt_os_makedirs("newdir/a/b", 0777, true, &err);
    bt_os_walk_iter *w;
    if (bt_os_walk(".", NULL, &w) == 0) {
        bt_os_walk_step step;
        while (bt_os_walk_next(w, &step, &err) > 0) {
            bt_strvec_sort(step.dirnames);
            printf("os.walk: %s ", step.dirpath);
            print_list("", step.dirnames);
        }
        bt_os_walk_close(w);
    }

    /* An error, as Python prints it. */
    if (bt_os_mkdir("newdir", 0777, &err) < 0)
        printf("os.mkdir('newdir') -> %s: %s\n", bt_errname(err.code), err.msg);

    bt_buf home = BT_BUF_INIT;
    if (bt_os_getenv("HOME", &home) == 1)
        printf("os.environ['HOME'] -> '%s'\n", home.data);
    bt_buf_fini(&home);

    /* Clean up what we made. */
    bt_os_removedirs("newdir/a/b", NULL);
    bt_os_remove("newfile", NULL);
    bt_os_chdir("/", NULL);
    if (bt_os_rmdir(scratch, &err) < 0) {
        fprintf(stderr, "os_tour: %s\n", err.msg);
        return 1;
    }
    return 0;
}
