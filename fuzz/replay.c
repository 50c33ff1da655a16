/*
 * replay.c — runs a fuzz target over files and directories of inputs without
 * libFuzzer, so the corpus is a regression test. Prints TAP: one test that
 * passes when every input was replayed without breaking an invariant.
 */
#include <dirent.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *current = "";

/* A target abort()s on a broken invariant: say which input did it. */
static void on_abort(int sig)
{
    static const char head[] = "not ok 1 - aborted on ";
    ssize_t w = write(STDOUT_FILENO, head, sizeof head - 1);
    w += write(STDOUT_FILENO, current, strlen(current));
    w += write(STDOUT_FILENO, "\n", 1);
    (void)w;
    raise(sig);
}

static int replay_file(const char *path, size_t size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    /* Exactly the input's size, so that ASan sees any read past it. */
    uint8_t *data = malloc(size ? size : 1);
    int bad = !data || fread(data, 1, size, f) != size;
    fclose(f);
    if (!bad) {
        current = path;
        LLVMFuzzerTestOneInput(data, size);
    }
    free(data);
    return bad ? -1 : 0;
}

static int replay_path(const char *path, size_t *count)
{
    struct stat st;
    if (stat(path, &st) < 0)
        return -1;
    if (!S_ISDIR(st.st_mode)) {
        if (replay_file(path, (size_t)st.st_size) < 0)
            return -1;
        ++*count;
        return 0;
    }
    DIR *d = opendir(path);
    if (!d)
        return -1;
    int rc = 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        size_t len = strlen(path) + strlen(e->d_name) + 2;
        char *sub = malloc(len);
        if (!sub) {
            rc = -1;
            break;
        }
        snprintf(sub, len, "%s/%s", path, e->d_name);
        rc = replay_path(sub, count);
        if (rc < 0)
            fprintf(stderr, "replay: cannot read %s\n", sub);
        free(sub);
    }
    closedir(d);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE-OR-DIR...\n", argv[0]);
        return 2;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_abort;
    sa.sa_flags = (int)SA_RESETHAND;
    sigaction(SIGABRT, &sa, NULL);
    printf("1..1\n");
    fflush(stdout);
    size_t count = 0;
    for (int i = 1; i < argc; i++) {
        if (replay_path(argv[i], &count) < 0) {
            printf("not ok 1 - cannot read %s\n", argv[i]);
            return 1;
        }
    }
    /* An empty corpus would make this test pass while checking nothing. */
    if (count == 0) {
        printf("not ok 1 - no inputs found\n");
        return 1;
    }
    printf("ok 1 - replayed %zu inputs\n", count);
    return 0;
}
