/*
 * subprocess_pipeline — the notes' pipeline, each stage a Popen whose stdin
 * is the previous one's stdout; the notes' example.py is written to a
 * scratch directory first (it is the script the notes cat). Python:
 *
 *   cat = subprocess.Popen(['cat', 'example.py'], stdout=subprocess.PIPE)
 *   grep = subprocess.Popen(['grep', 'subprocess'], stdin=cat.stdout,
 *                           stdout=subprocess.PIPE)
 *   cut = subprocess.Popen(['cut', '-f1', '-d='], stdin=grep.stdout,
 *                          stdout=subprocess.PIPE)
 *   for line in cut.stdout:
 *       print(line.strip())
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <batteries/subprocess.h>

static const char example_py[] =
    "import subprocess\n"
    "\n"
    "cat = subprocess.Popen(['cat', 'example.py'],\n"
    "                        stdout=subprocess.PIPE,\n"
    "                        )\n"
    "\n"
    "grep = subprocess.Popen(['grep', 'subprocess'],\n"
    "                        stdin=cat.stdout,\n"
    "                        stdout=subprocess.PIPE,\n"
    "                        )\n"
    "\n"
    "cut = subprocess.Popen(['cut', '-f1', '-d='],\n"
    "                       stdin=grep.stdout,\n"
    "                       stdout=subprocess.PIPE,\n"
    "                       )\n"
    "\n"
    "end_of_pipe = cut.stdout\n"
    "\n"
    "for line in end_of_pipe:\n"
    "    print line.strip()\n";

int main(void)
{
    char dir[] = "/tmp/subprocess_pipeline_XXXXXX";
    if (!mkdtemp(dir) || chdir(dir) < 0)
        return 1;
    FILE *f = fopen("example.py", "w");
    if (!f)
        return 1;
    fputs(example_py, f);
    fclose(f);

    bt_err err = BT_ERR_INIT;
    bt_subprocess_opts o = BT_SUBPROCESS_OPTS_INIT;
    o.out = BT_SUBPROCESS_PIPE;
    const char *cat_args[] = {"cat", "example.py", NULL};
    const char *grep_args[] = {"grep", "subprocess", NULL};
    const char *cut_args[] = {"cut", "-f1", "-d=", NULL};
    bt_popen *cat, *grep, *cut;
    if (bt_subprocess_popen(cat_args, &o, &cat, &err) < 0)
        return 1;
    o.in = cat->stdout_fd;
    if (bt_subprocess_popen(grep_args, &o, &grep, &err) < 0)
        return 1;
    o.in = grep->stdout_fd;
    if (bt_subprocess_popen(cut_args, &o, &cut, &err) < 0)
        return 1;
    /* The right ends closed: each stage sees EOF when the one before ends. */
    close(cat->stdout_fd);
    cat->stdout_fd = -1;
    close(grep->stdout_fd);
    grep->stdout_fd = -1;

    bt_buf out = BT_BUF_INIT;
    if (bt_popen_communicate(cut, NULL, 0, BT_SUBPROCESS_TIMEOUT_NONE, &out, NULL, &err) < 0)
        return 1;
    bt_popen_wait(cat, BT_SUBPROCESS_TIMEOUT_NONE, &err);
    bt_popen_wait(grep, BT_SUBPROCESS_TIMEOUT_NONE, &err);
    /* for line in end_of_pipe: print(line.strip()) */
    for (char *line = out.data; line && *line;) {
        char *nl = strchr(line, '\n');
        size_t n = nl ? (size_t)(nl - line) : strlen(line);
        size_t a = 0;
        while (a < n && (line[a] == ' ' || line[a] == '\t'))
            a++;
        while (n > a && (line[n - 1] == ' ' || line[n - 1] == '\t'))
            n--;
        printf("%.*s\n", (int)(n - a), line + a);
        line = nl ? nl + 1 : line + n;
    }
    printf("returncodes: cat %d, grep %d, cut %d\n", cat->returncode, grep->returncode,
           cut->returncode);
    bt_buf_fini(&out);
    bt_popen_free(cat);
    bt_popen_free(grep);
    bt_popen_free(cut);
    unlink("example.py");
    if (chdir("/") == 0)
        rmdir(dir);
    return 0;
}
