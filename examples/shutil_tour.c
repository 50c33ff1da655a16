/*
 * shutil_tour — the notes' shell utilities, in a scratch directory:
 *
 *   shutil.copy('newfile', 'newfileCopy')     -> 'newfileCopy'
 *   shutil.move('newfileCopy', 'newerfile')   -> 'newerfile'
 * and the ones a script reaches for next: copytree with ignore_patterns,
 * rmtree, which, disk_usage.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <batteries/shutil.h>

static void say(const char *call, int rc, const bt_buf *result, const bt_err *err)
{
    if (rc < 0)
        printf("%s -> %s: %s\n", call, bt_errname(rc), err->msg);
    else
        printf("%s -> '%s'\n", call, result->data ? result->data : "");
}

int main(void)
{
    char dir[] = "/tmp/shutil_tour_XXXXXX";
    if (!mkdtemp(dir) || chdir(dir) < 0) {
        perror("shutil_tour");
        return 1;
    }
    int fd = open("newfile", O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
    if (fd >= 0)
        close(fd);

    bt_err err = BT_ERR_INIT;
    bt_buf out = BT_BUF_INIT;
    int rc = bt_shutil_copy("newfile", "newfileCopy", true, &out, &err);
    say("shutil.copy('newfile', 'newfileCopy')", rc, &out, &err);
    bt_buf_clear(&out);
    rc = bt_shutil_move("newfileCopy", "newerfile", NULL, NULL, &out, &err);
    say("shutil.move('newfileCopy', 'newerfile')", rc, &out, &err);

    /* copytree('project', 'backup', ignore=ignore_patterns('*.o')) */
    mkdir("project", 0755);
    mkdir("project/src", 0755);
    fd = open("project/src/main.c", O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
    if (fd >= 0)
        close(fd);
    fd = open("project/src/main.o", O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
    if (fd >= 0)
        close(fd);
    bt_strvec patterns = BT_STRVEC_INIT;
    bt_strvec_append_str(&patterns, "*.o");
    bt_shutil_copytree_opts opts = BT_SHUTIL_COPYTREE_INIT;
    opts.ignore = bt_shutil_ignore_patterns;
    opts.ignore_ctx = &patterns;
    bt_buf_clear(&out);
    rc = bt_shutil_copytree("project", "backup", &opts, &out, &err);
    say("shutil.copytree('project', 'backup', ignore=ignore_patterns('*.o'))", rc, &out, &err);
    struct stat st;
    printf("backup/src/main.c copied: %s, backup/src/main.o copied: %s\n",
           stat("backup/src/main.c", &st) == 0 ? "yes" : "no",
           stat("backup/src/main.o", &st) == 0 ? "yes" : "no");

    /* The same again: the destination exists now. */
    rc = bt_shutil_copytree("project", "backup", &opts, NULL, &err);
    say("shutil.copytree('project', 'backup') again", rc, &out, &err);

    bt_buf_clear(&out);
    rc = bt_shutil_which("sh", 0, NULL, &out);
    printf("shutil.which('sh') -> %s%s%s\n", rc == 1 ? "'" : "", rc == 1 ? out.data : "None",
           rc == 1 ? "'" : "");

    bt_shutil_usage u;
    if (bt_shutil_disk_usage(".", &u, &err) == 0)
        printf("shutil.disk_usage('.'): %.1f%% used\n", 100.0 * (double)u.used / (double)u.total);

    if (chdir("/") == 0 && bt_shutil_rmtree(dir, false, NULL, NULL, &err) == 0)
        printf("shutil.rmtree(scratch dir) -> done\n");
    bt_strvec_fini(&patterns);
    bt_buf_fini(&out);
    return 0;
}
