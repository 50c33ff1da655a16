/*
 * subprocess_run — the notes' run() calls, in a scratch directory holding
 * poem.txt and a hamlet.txt without the word "Python". Python:
 *
 *   procinfo = subprocess.run(["grep", "Python", "hamlet.txt"])
 *   print(procinfo.args, "returned", procinfo.returncode)
 *   print(procinfo.stdout, procinfo.stderr)
 *   procinfo = subprocess.run("cat poem.txt | grep wood", shell=True,
 *                             capture_output=True)
 *   procinfo
 *   # CompletedProcess(args='cat poem.txt | grep wood', returncode=0,
 *   #   stdout=b'Two roads diverged in a yellow wood,\t\nTwo roads
 *   #   diverged in a wood, and I\xe2\x80\x94\t\n', stderr=b'')
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <batteries/subprocess.h>

static const char poem[] = "Two roads diverged in a yellow wood,\t\n"
                           "And sorry I could not travel both\t\n"
                           "And be one traveler, long I stood\t\n"
                           "And looked down one as far as I could\t\n"
                           "To where it bent in the undergrowth;\n"
                           " \n"
                           "Then took the other, as just as fair,\t\n"
                           "And having perhaps the better claim,\t\n"
                           "Because it was grassy and wanted wear;\t\n"
                           "Though as for that the passing there\t\n"
                           "Had worn them really about the same,\n"
                           " \n"
                           "And both that morning equally lay\t\n"
                           "In leaves no step had trodden black.\t\n"
                           "Oh, I kept the first for another day!\t\n"
                           "Yet knowing how way leads on to way,\t\n"
                           "I doubted if I should ever come back.\n"
                           " \n"
                           "I shall be telling this with a sigh\t\n"
                           "Somewhere ages and ages hence:\t\n"
                           "Two roads diverged in a wood, and I\xe2\x80\x94\t\n"
                           "I took the one less traveled by,\t\n"
                           "And that has made all the difference.\n";

static const char hamlet[] = "To be, or not to be, that is the question:\n"
                             "Whether 'tis nobler in the mind to suffer\n";

static int write_file(const char *name, const char *text)
{
    FILE *f = fopen(name, "w");
    if (!f)
        return -1;
    fputs(text, f);
    return fclose(f);
}

/* Python's repr of a list of str. */
static void print_list(const bt_strvec *v)
{
    bt_buf b = BT_BUF_INIT;
    bt_buf_append_byte(&b, '[');
    for (size_t i = 0; i < v->count; i++) {
        if (i)
            bt_buf_append_str(&b, ", ");
        bt_repr_str(&b, v->items[i], v->lens[i]);
    }
    bt_buf_append_byte(&b, ']');
    fputs(b.data, stdout);
    bt_buf_fini(&b);
}

int main(void)
{
    char dir[] = "/tmp/subprocess_run_XXXXXX";
    if (!mkdtemp(dir) || chdir(dir) < 0 || write_file("poem.txt", poem) < 0 ||
        write_file("hamlet.txt", hamlet) < 0)
        return 1;
    bt_err err = BT_ERR_INIT;
    bt_subprocess_completed r;

    const char *grep[] = {"grep", "Python", "hamlet.txt", NULL};
    if (bt_subprocess_run(grep, NULL, &r, &err) < 0)
        return 1;
    print_list(&r.args);
    printf(" returned %d\n", r.returncode);
    printf("%s %s\n", r.has_stdout ? "b''" : "None", r.has_stderr ? "b''" : "None");
    bt_subprocess_completed_fini(&r);

    const char *cmd[] = {"cat poem.txt | grep wood", NULL};
    bt_subprocess_opts o = BT_SUBPROCESS_OPTS_INIT;
    o.shell = true;
    o.capture_output = true;
    if (bt_subprocess_run(cmd, &o, &r, &err) < 0)
        return 1;
    bt_buf b = BT_BUF_INIT;
    bt_buf_append_str(&b, "CompletedProcess(args=");
    bt_repr_str(&b, r.args.items[0], r.args.lens[0]);
    bt_buf_printf(&b, ", returncode=%d, stdout=", r.returncode);
    bt_repr_bytes(&b, r.stdout_buf.data, r.stdout_buf.len);
    bt_buf_append_str(&b, ", stderr=");
    bt_repr_bytes(&b, r.stderr_buf.data, r.stderr_buf.len);
    bt_buf_append_str(&b, ")");
    printf("%s\n", b.data);
    bt_buf_fini(&b);
    bt_subprocess_completed_fini(&r);

    unlink("poem.txt");
    unlink("hamlet.txt");
    if (chdir("/") == 0)
        rmdir(dir);
    return 0;
}
