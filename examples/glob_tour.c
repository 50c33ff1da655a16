/*
 * glob_tour — the notes' glob walkthrough, in a scratch directory holding
 * newfile, newerfile, newdir/ and abc:
 *
 *   glob.glob('n*')   -> ['newdir', 'newerfile', 'newfile']   (sorted here)
 *   glob.glob('*e')   -> ['newerfile', 'newfile']
 *   glob.glob('???')  -> ['abc']
 *   glob.glob('x*')   -> []
 * and the two things the notes do not show: '**' with recursive=True, and
 * fnmatch on plain names.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <batteries/glob.h>

static void show(const char *pattern, bool recursive)
{
    bt_glob_opts opts = BT_GLOB_OPTS_INIT;
    opts.recursive = recursive;
    bt_strvec names = BT_STRVEC_INIT;
    bt_buf line = BT_BUF_INIT;
    /* Directory order is the file system's: sort to print what Python's
     * sorted(glob.glob(...)) prints. */
    if (bt_glob_glob(pattern, &opts, &names) < 0 || bt_strvec_sort(&names) < 0)
        return;
    bt_buf_append_str(&line, "[");
    for (size_t i = 0; i < names.count; i++) {
        if (i)
            bt_buf_append_str(&line, ", ");
        bt_repr_str(&line, names.items[i], names.lens[i]);
    }
    bt_buf_append_str(&line, "]");
    printf("glob.glob(%s%s) -> %s\n", pattern, recursive ? ", recursive=True" : "", line.data);
    bt_buf_fini(&line);
    bt_strvec_fini(&names);
}

static void touch(const char *path)
{
    int fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
    if (fd >= 0)
        close(fd);
}

int main(void)
{
    char dir[] = "/tmp/glob_tour_XXXXXX";
    if (!mkdtemp(dir) || chdir(dir) < 0) {
        perror("glob_tour");
        return 1;
    }
    touch("newfile");
    touch("newerfile");
    mkdir("newdir", 0755);
    touch("abc");
    touch("newdir/inner.txt");

    show("n*", false);
    show("*e", false);
    show("???", false);
    show("x*", false);
    show("**/*.txt", true);

    printf("fnmatch.fnmatch('newfile', 'new*[!x]') -> %s\n",
           bt_fnmatch_fnmatch("newfile", "new*[!x]") ? "True" : "False");

    /* Clean up what we made. */
    unlink("newdir/inner.txt");
    rmdir("newdir");
    unlink("newfile");
    unlink("newerfile");
    unlink("abc");
    if (chdir("/") == 0)
        rmdir(dir);
    return 0;
}
