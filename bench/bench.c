/*
 * bench.c — the protocol loop and input loading shared by every bench_<module>
 * program.
 */
#include "bench.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Inputs stay alive until bench_main returns: cases keep pointers to them. */
typedef struct input {
    struct input *next;
    size_t len;
    char data[];
} input;

static input *inputs;

const char *bench_input(const char *name, size_t *len)
{
    const char *dir = getenv("BENCH_DATA_DIR");
    if (!dir) {
        fprintf(stderr, "bench: BENCH_DATA_DIR is not set (run via run.py)\n");
        return NULL;
    }
    char path[4096];
    if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path) {
        fprintf(stderr, "bench: path too long: %s/%s\n", dir, name);
        return NULL;
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "bench: %s: %s\n", path, strerror(errno));
        return NULL;
    }
    input *in = NULL;
    long size = -1;
    if (fseek(f, 0, SEEK_END) == 0)
        size = ftell(f);
    if (size >= 0 && fseek(f, 0, SEEK_SET) == 0)
        in = malloc(sizeof *in + (size_t)size + 1);
    if (in && fread(in->data, 1, (size_t)size, f) == (size_t)size) {
        in->len = (size_t)size;
        in->data[size] = '\0';
        in->next = inputs;
        inputs = in;
    } else {
        fprintf(stderr, "bench: cannot read %s\n", path);
        free(in);
        in = NULL;
    }
    fclose(f);
    if (!in)
        return NULL;
    *len = in->len;
    return in->data;
}

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

enum { UNSET, READY, FAILED };

/* Answers one command line (without its newline) on stdout. */
static void serve(const bench_case *cases, size_t n, unsigned char *state,
                  char *line)
{
    if (strcmp(line, "list") == 0) {
        for (size_t i = 0; i < n; i++)
            printf("%s%s", i ? " " : "", cases[i].name);
        putchar('\n');
        return;
    }
    char *sp = strchr(line, ' ');
    char *end = NULL;
    uint64_t iters = 0;
    if (sp) {
        *sp = '\0';
        errno = 0;
        iters = strtoull(sp + 1, &end, 10);
    }
    if (!sp || end == sp + 1 || *end || errno || iters == 0) {
        printf("error bad command (want 'list' or '<case> <iters>')\n");
        return;
    }
    size_t i = 0;
    while (i < n && strcmp(cases[i].name, line) != 0)
        i++;
    if (i == n) {
        printf("error no case named %s\n", line);
        return;
    }
    if (state[i] == UNSET)
        state[i] = (!cases[i].setup || cases[i].setup() == 0) ? READY : FAILED;
    if (state[i] == FAILED) {
        printf("error setup of %s failed (see stderr)\n", line);
        return;
    }
    uint64_t t0 = now_ns();
    cases[i].run(iters);
    uint64_t t1 = now_ns();
    printf("%" PRIu64 "\n", t1 - t0);
}

int bench_main(const bench_case *cases, size_t n)
{
    unsigned char *state = calloc(n ? n : 1, 1);
    if (!state)
        return 1;
    char line[512];
    while (fgets(line, sizeof line, stdin)) {
        size_t len = strcspn(line, "\r\n");
        if (line[len] == '\0' && !feof(stdin)) {
            printf("error command too long\n");
            int c;
            while ((c = getchar()) != EOF && c != '\n')
                ;
        } else {
            line[len] = '\0';
            serve(cases, n, state, line);
        }
        /* stdout is a pipe, hence fully buffered: the driver waits for it. */
        fflush(stdout);
    }
    for (size_t i = 0; i < n; i++)
        if (state[i] == READY && cases[i].teardown)
            cases[i].teardown();
    free(state);
    while (inputs) {
        input *next = inputs->next;
        free(inputs);
        inputs = next;
    }
    return 0;
}
