/*
 * grep — the notes' grep lab as a program: prints the lines of files (or
 * standard input) that a pattern in Python's regex dialect matches, with
 * GNU grep's options, output, messages and exit status (docs/tools.md).
 *
 *   usage: grep [OPTION]... PATTERNS [FILE]...
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <batteries/os.h>

#include "grep.h"

/* GNU grep's default GREP_COLORS: ms=01;31:fn=35:ln=32:se=36. */
#define SGR_START   "\33[%sm\33[K"
#define SGR_END     "\33[m\33[K"
#define COLOR_MATCH "01;31"
#define COLOR_FILE  "35"
#define COLOR_LINE  "32"
#define COLOR_SEP   "36"

/* How much of a file is checked for NUL bytes at a time, before lines
 * from it are printed. */
#define CHECK_BLOCK ((size_t)64 << 10)

typedef struct grep_ctx {
    const char *prog;
    grep_matcher m;
    bool invert, number, count, only, list, quiet, silent, recursive, color;
    int with_name; /* -1: decided by the operands; 0: -h; 1: -H */
    bool selected; /* some line was selected */
    bool error;    /* some file could not be read */
} grep_ctx;

/* The state of the file being searched. */
typedef struct grep_file {
    const char *name;
    bool show_name;
    const char *buf;
    size_t end;      /* the lines end here (the final newline excluded) */
    size_t checked;  /* checked for NUL bytes up to here */
    size_t nl_pos;   /* line number bookkeeping: lineno is the number of */
    size_t lineno;   /* the line that starts at nl_pos */
    long long count; /* selected lines */
    grep_scan scan;
} grep_file;

static void warn(grep_ctx *c, const char *fmt, ...) BT_PRINTF(2, 3);
static void warn(grep_ctx *c, const char *fmt, ...)
{
    fflush(stdout);
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s: ", c->prog);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

/* An error about a file: "grep: name: No such file or directory". */
static void file_error(grep_ctx *c, const char *name, int code)
{
    c->error = true;
    if (!c->silent)
        warn(c, "%s: %s", name, strerror(code));
}

static void put(const char *s, size_t n)
{
    fwrite_unlocked(s, 1, n, stdout);
}

static void put_colored(const grep_ctx *c, const char *sgr, const char *s,
                        size_t n)
{
    if (c->color)
        printf(SGR_START, sgr);
    put(s, n);
    if (c->color)
        fputs_unlocked(SGR_END, stdout);
}

static void put_sep(const grep_ctx *c)
{
    put_colored(c, COLOR_SEP, ":", 1);
}

static void put_name(const grep_ctx *c, const grep_file *f)
{
    put_colored(c, COLOR_FILE, f->name, strlen(f->name));
}

/* Newlines in [p, e): a loop the compiler turns into vector code, much
 * faster than memchr for lines of typical length. */
static size_t count_newlines(const char *p, const char *e)
{
    size_t k = 0;
    while (e - p >= 64) {
        unsigned char c = 0;
        for (int i = 0; i < 64; i++)
            c += p[i] == '\n';
        k += c;
        p += 64;
    }
    for (; p < e; p++)
        k += *p == '\n';
    return k;
}

static size_t line_number(grep_file *f, size_t ls)
{
    f->lineno += count_newlines(f->buf + f->nl_pos, f->buf + ls);
    f->nl_pos = ls;
    return f->lineno;
}

static void put_prefix(const grep_ctx *c, const grep_file *f, size_t lineno)
{
    if (f->show_name) {
        put_name(c, f);
        put_sep(c);
    }
    if (c->number) {
        char num[24], *p = num + sizeof num;
        do
            *--p = (char)('0' + lineno % 10);
        while (lineno /= 10);
        put_colored(c, COLOR_LINE, p, (size_t)(num + sizeof num - p));
        put_sep(c);
    }
}

/* Is this line text? As GNU grep: not when a NUL byte is near it (looked
 * for ahead, by blocks, as GNU grep looks at its buffer), nor when the line
 * is not UTF-8. */
static bool text_line(grep_file *f, size_t ls, size_t le)
{
    if (le >= f->checked) {
        size_t to = f->checked + CHECK_BLOCK;
        to = to < le ? le : to;
        to = to > f->end ? f->end : to;
        if (memchr(f->buf + f->checked, 0, to - f->checked)) {
            f->scan.binary = true;
            return false;
        }
        f->checked = to;
    }
    if (bt_utf8_validate(f->buf + ls, le - ls, NULL) < 0) {
        f->scan.binary = true;
        return false;
    }
    return true;
}

/* The matches within one line, for -o and --color: Python's finditer
 * over the line alone. */
static int put_matches(grep_ctx *c, grep_file *f, size_t ls, size_t le,
                       size_t lineno)
{
    bt_err err = BT_ERR_INIT;
    bt_re_pattern *p = grep_scan_pattern(&f->scan, &err);
    bt_re_iter *it = NULL;
    if (!p || bt_re_finditer(p, f->buf + ls, le - ls, &it, &err) < 0)
        goto fail;
    const bt_re_matchobj *mo;
    size_t done = 0;
    int r;
    if (!c->only)
        put_prefix(c, f, lineno);
    while ((r = bt_re_iter_next(it, &mo, &err)) == 1) {
        ptrdiff_t a, z;
        bt_re_match_span(mo, 0, &a, &z);
        if (a == z)
            continue;
        if (c->only) {
            put_prefix(c, f, lineno);
            put_colored(c, COLOR_MATCH, f->buf + ls + a, (size_t)(z - a));
            fputc_unlocked('\n', stdout);
        } else {
            put(f->buf + ls + done, (size_t)a - done);
            put_colored(c, COLOR_MATCH, f->buf + ls + a, (size_t)(z - a));
            done = (size_t)z;
        }
    }
    if (r < 0)
        goto fail;
    if (!c->only) {
        put(f->buf + ls + done, le - ls - done);
        fputc_unlocked('\n', stdout);
    }
    bt_re_iter_free(it);
    return 0;
fail:
    bt_re_iter_free(it);
    warn(c, "%s: %s", f->name, err.msg);
    c->error = true;
    return -1;
}

enum { GO_ON = 0, STOP_FILE = 1, STOP_ALL = 2 };

/* A selected line: counted, and printed unless only counts or names are
 * wanted. Returns GO_ON, STOP_FILE or STOP_ALL (or -1 on an error). */
static int select_line(grep_ctx *c, grep_file *f, size_t ls, size_t le)
{
    f->count++;
    c->selected = true;
    if (c->quiet)
        return STOP_ALL;
    if (c->list)
        return STOP_FILE;
    if (c->count)
        return GO_ON;
    if (!text_line(f, ls, le)) {
        warn(c, "%s: binary file matches", f->name);
        return STOP_FILE;
    }
    size_t lineno = c->number ? line_number(f, ls) : 0;
    if (c->only && c->invert)
        return GO_ON; /* GNU prints nothing for -o -v */
    if (c->only || (c->color && !c->invert))
        return put_matches(c, f, ls, le, lineno) < 0 ? -1 : GO_ON;
    put_prefix(c, f, lineno);
    put(f->buf + ls, le - ls);
    fputc_unlocked('\n', stdout);
    return GO_ON;
}

/* Every selected line of buf[0, n). Returns GO_ON, STOP_ALL or -1. */
static int grep_buffer(grep_ctx *c, const char *name, bool show_name,
                       const char *buf, size_t n)
{
    grep_file f = {name, show_name, buf, n, 0, 0, 1, 0, {0}};
    if (n > 0 && buf[n - 1] == '\n')
        f.end = n - 1;
    grep_scan_init(&f.scan, &c->m, buf, f.end);
    int act = GO_ON;
    size_t pos = 0;
    while (n > 0 && act == GO_ON) {
        bt_err err = BT_ERR_INIT;
        size_t ls = 0, le = 0;
        int r = grep_scan_next(&f.scan, pos, &ls, &le, &err);
        if (r < 0) {
            warn(c, "%s: %s", name, err.msg);
            c->error = true;
            return -1;
        }
        if (c->invert) {
            /* the lines between two matching ones are selected */
            size_t stop = r ? ls : f.end + 1;
            while (pos < stop && act == GO_ON) {
                size_t e = pos;
                const char *nl = memchr(buf + pos, '\n', f.end - pos);
                e = nl ? (size_t)(nl - buf) : f.end;
                act = select_line(c, &f, pos, e);
                pos = e + 1;
            }
        } else if (r) {
            act = select_line(c, &f, ls, le);
        }
        if (!r || le >= f.end)
            break;
        pos = le + 1;
    }
    if (act < 0)
        return -1;
    if (c->list && f.count > 0) {
        put_name(c, &f);
        fputc_unlocked('\n', stdout);
    } else if (c->count && !c->list && !c->quiet) {
        if (show_name) {
            put_name(c, &f);
            put_sep(c);
        }
        printf("%lld\n", f.count);
    }
    return act == STOP_ALL ? STOP_ALL : GO_ON;
}

/* Reads all of fd: mapped when it is a regular file, else read. */
static int slurp(int fd, const struct stat *st, char **buf, size_t *n,
                 bool *mapped)
{
    *buf = NULL;
    *n = 0;
    *mapped = false;
    /* mapped from the start: unless a shell left standard input elsewhere */
    if (S_ISREG(st->st_mode) && st->st_size > 0 &&
        lseek(fd, 0, SEEK_CUR) == 0) {
        void *p =
            mmap(NULL, (size_t)st->st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (p != MAP_FAILED) {
            madvise(p, (size_t)st->st_size, MADV_SEQUENTIAL);
            *buf = p;
            *n = (size_t)st->st_size;
            *mapped = true;
            return 0;
        }
    }
    size_t cap = 0;
    for (;;) {
        if (cap - *n < 65536) {
            size_t ncap = cap ? 2 * cap : 131072;
            char *nb = bt_realloc(*buf, ncap);
            if (!nb)
                return -ENOMEM;
            *buf = nb;
            cap = ncap;
        }
        ssize_t k = read(fd, *buf + *n, cap - *n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0)
            return -errno;
        if (k == 0)
            return 0;
        *n += (size_t)k;
    }
}

static void release(char *buf, size_t n, bool mapped)
{
    if (mapped)
        munmap(buf, n);
    else
        bt_free(buf);
}

/* Searches one open file. */
static int grep_fd(grep_ctx *c, int fd, const char *name, bool show_name)
{
    struct stat st;
    if (fstat(fd, &st) < 0) {
        file_error(c, name, errno);
        return GO_ON;
    }
    if (S_ISDIR(st.st_mode)) {
        file_error(c, name, EISDIR);
        return GO_ON;
    }
    char *buf;
    size_t n;
    bool mapped;
    int rc = slurp(fd, &st, &buf, &n, &mapped);
    if (rc < 0) {
        release(buf, n, mapped);
        file_error(c, name, -rc);
        return GO_ON;
    }
    rc = grep_buffer(c, name, show_name, buf, n);
    release(buf, n, mapped);
    return rc == STOP_ALL ? STOP_ALL : GO_ON;
}

/* A file found by -r: symbolic links and special files are skipped, as
 * GNU grep -r skips them. */
static int grep_walked(grep_ctx *c, const char *path, bool show)
{
    int fd =
        open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW | O_NONBLOCK);
    if (fd < 0) {
        if (errno != ELOOP)
            file_error(c, path, errno);
        return GO_ON;
    }
    struct stat st;
    int rc = GO_ON;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
        rc = grep_fd(c, fd, path, show);
    close(fd);
    return rc;
}

/* os.walk's onerror: "grep: dir: Permission denied". */
static int walk_error(void *arg, int code, const bt_err *err)
{
    grep_ctx *c = arg;
    const char *q = strstr(err->msg, ": '");
    const char *e = strrchr(err->msg, '\'');
    if (q && e > q + 3)
        warn(c, "%.*s: %s", (int)(e - q - 3), q + 3, strerror(-code));
    else
        warn(c, "%s", err->msg);
    c->error = true;
    return 0;
}

static int grep_tree(grep_ctx *c, const char *top, bool implicit, bool show)
{
    bt_os_walk_opts o = BT_OS_WALK_OPTS_INIT;
    o.onerror = c->silent ? NULL : walk_error;
    o.onerror_arg = c;
    bt_os_walk_iter *w;
    if (bt_os_walk(top, &o, &w) < 0) {
        file_error(c, top, ENOMEM);
        return GO_ON;
    }
    bt_os_walk_step st;
    bt_buf path = BT_BUF_INIT;
    int rc = GO_ON;
    while (rc == GO_ON && (bt_os_walk_next(w, &st, NULL)) == 1) {
        for (size_t i = 0; i < st.filenames->count && rc == GO_ON; i++) {
            bt_buf_clear(&path);
            const char *d = st.dirpath;
            size_t dn = st.dirpath_len;
            if (implicit && dn >= 1 && d[0] == '.' &&
                (dn == 1 || d[1] == '/')) {
                /* "grep -r x" names files as GNU grep does: no "./" */
                d += dn == 1 ? 1 : 2;
                dn -= dn == 1 ? 1 : 2;
            }
            int e = 0;
            if (dn)
                e = bt_buf_append(&path, d, dn);
            if (e >= 0 && dn && d[dn - 1] != '/')
                e = bt_buf_append_byte(&path, '/');
            if (e >= 0)
                e = bt_buf_append(&path, st.filenames->items[i],
                                  st.filenames->lens[i]);
            if (e < 0) {
                file_error(c, top, ENOMEM);
                break;
            }
            rc = grep_walked(c, path.data, show);
        }
    }
    bt_buf_fini(&path);
    bt_os_walk_close(w);
    return rc;
}

/* One operand: "-" (standard input), a file, or with -r a directory. */
static int grep_operand(grep_ctx *c, const char *arg, bool implicit,
                        bool several)
{
    if (!strcmp(arg, "-")) {
        bool show = c->with_name < 0 ? several : c->with_name;
        return grep_fd(c, 0, "(standard input)", show);
    }
    if (c->recursive) {
        struct stat st;
        if (stat(arg, &st) == 0 && S_ISDIR(st.st_mode)) {
            /* GNU grep names the files found under a directory */
            return grep_tree(c, arg, implicit, c->with_name != 0);
        }
    }
    int fd = open(arg, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        file_error(c, arg, errno);
        return GO_ON;
    }
    bool show = c->with_name < 0 ? several : c->with_name;
    int rc = grep_fd(c, fd, arg, show);
    close(fd);
    return rc;
}

static void usage_error(const char *prog)
{
    fprintf(stderr,
            "Usage: %s [OPTION]... PATTERNS [FILE]...\n"
            "Try '%s --help' for more information.\n",
            prog, prog);
    exit(2);
}

static void help(const char *prog)
{
    printf("Usage: %s [OPTION]... PATTERNS [FILE]...\n"
           "Search for PATTERNS (Python regular expressions) in each FILE.\n"
           "Example: %s -i 'hello\\s+world' menu.h main.c\n"
           "PATTERNS can contain multiple patterns separated by newlines.\n\n"
           "  -e, --regexp=PATTERNS     use PATTERNS for matching\n"
           "  -F, --fixed-strings       PATTERNS are strings\n"
           "  -i, --ignore-case         ignore case distinctions\n"
           "  -w, --word-regexp         match only whole words\n"
           "  -x, --line-regexp         match only whole lines\n"
           "  -v, --invert-match        select non-matching lines\n"
           "  -n, --line-number         print line number with output lines\n"
           "  -H, --with-filename       print file name with output lines\n"
           "  -h, --no-filename         suppress the file name prefix\n"
           "  -o, --only-matching       show only nonempty parts of lines "
           "that match\n"
           "  -q, --quiet, --silent     suppress all normal output\n"
           "  -s, --no-messages         suppress error messages\n"
           "  -r, --recursive           search directories (os.walk)\n"
           "  -l, --files-with-matches  print only names of FILEs with "
           "selected lines\n"
           "  -c, --count               print only a count of selected lines "
           "per FILE\n"
           "      --color[=WHEN]        use markers to highlight the "
           "matches;\n"
           "                            WHEN is 'always', 'never', or "
           "'auto'\n\n"
           "When FILE is '-', read standard input.  With no FILE, read '.' "
           "if\nrecursive, '-' otherwise.\n"
           "Exit status is 0 if any line is selected, 1 otherwise;\n"
           "if any error occurs and -q is not given, the exit status is 2.\n",
           prog, prog);
    exit(0);
}

/* Adds the patterns of one -e (or the first operand), split at newlines. */
static void add_patterns(bt_strvec *v, const char *s)
{
    for (;;) {
        const char *nl = strchr(s, '\n');
        size_t n = nl ? (size_t)(nl - s) : strlen(s);
        if (bt_strvec_append(v, s, n) < 0) {
            fprintf(stderr, "grep: out of memory\n");
            exit(2);
        }
        if (!nl)
            return;
        s = nl + 1;
    }
}

static bool color_choice(const char *prog, const char *when)
{
    if (!when || !strcmp(when, "auto") || !strcmp(when, "tty") ||
        !strcmp(when, "if-tty")) {
        const char *t = getenv("TERM");
        return isatty(STDOUT_FILENO) && t && strcmp(t, "dumb") != 0;
    }
    if (!strcmp(when, "always") || !strcmp(when, "yes") ||
        !strcmp(when, "force"))
        return true;
    if (!strcmp(when, "never") || !strcmp(when, "no") || !strcmp(when, "none"))
        return false;
    fprintf(stderr, "%s: invalid argument '%s' for '--color'\n", prog, when);
    fprintf(stderr, "Valid arguments are:\n  - 'always', 'yes', 'force'\n"
                    "  - 'never', 'no', 'none'\n  - 'auto', 'tty', 'if-tty'\n");
    usage_error(prog);
    return false;
}

int main(int argc, char **argv)
{
    grep_ctx c = {0};
    const char *slash = strrchr(argv[0], '/');
    c.prog = slash ? slash + 1 : argv[0];
    argv[0] = (char *)c.prog; /* getopt's messages name the program so */
    c.with_name = -1;
    grep_syntax syn = {0};
    bt_strvec patterns = BT_STRVEC_INIT;
    bool have_e = false;
    int matcher = 0; /* the -E -F -G -P given: they may not differ */
    enum { OPT_COLOR = 256, OPT_HELP };
    static const struct option longopts[] = {
        {"regexp", required_argument, NULL, 'e'},
        {"fixed-strings", no_argument, NULL, 'F'},
        {"extended-regexp", no_argument, NULL, 'E'},
        {"basic-regexp", no_argument, NULL, 'G'},
        {"perl-regexp", no_argument, NULL, 'P'},
        {"ignore-case", no_argument, NULL, 'i'},
        {"word-regexp", no_argument, NULL, 'w'},
        {"line-regexp", no_argument, NULL, 'x'},
        {"invert-match", no_argument, NULL, 'v'},
        {"line-number", no_argument, NULL, 'n'},
        {"with-filename", no_argument, NULL, 'H'},
        {"no-filename", no_argument, NULL, 'h'},
        {"only-matching", no_argument, NULL, 'o'},
        {"quiet", no_argument, NULL, 'q'},
        {"silent", no_argument, NULL, 'q'},
        {"no-messages", no_argument, NULL, 's'},
        {"recursive", no_argument, NULL, 'r'},
        {"files-with-matches", no_argument, NULL, 'l'},
        {"count", no_argument, NULL, 'c'},
        {"color", optional_argument, NULL, OPT_COLOR},
        {"colour", optional_argument, NULL, OPT_COLOR},
        {"help", no_argument, NULL, OPT_HELP},
        {NULL, 0, NULL, 0},
    };
    int opt;
    while ((opt = getopt_long(argc, argv, "e:FEGPiywxvnHhoqsrlc", longopts,
                              NULL)) != -1) {
        switch (opt) {
        case 'e':
            add_patterns(&patterns, optarg);
            have_e = true;
            break;
        case 'F':
        case 'E':
        case 'G':
        case 'P':
            /* the dialect is always Python's; GNU grep's rule stays */
            if (matcher && matcher != opt) {
                warn(&c, "conflicting matchers specified");
                bt_strvec_fini(&patterns);
                return 2;
            }
            matcher = opt;
            syn.fixed = opt == 'F';
            break;
        case 'i':
        case 'y':
            syn.icase = true;
            break;
        case 'w':
            syn.word = true;
            break;
        case 'x':
            syn.line = true;
            break;
        case 'v':
            c.invert = true;
            break;
        case 'n':
            c.number = true;
            break;
        case 'H':
            c.with_name = 1;
            break;
        case 'h':
            c.with_name = 0;
            break;
        case 'o':
            c.only = true;
            break;
        case 'q':
            c.quiet = true;
            break;
        case 's':
            c.silent = true;
            break;
        case 'r':
            c.recursive = true;
            break;
        case 'l':
            c.list = true;
            break;
        case 'c':
            c.count = true;
            break;
        case OPT_COLOR:
            c.color = color_choice(c.prog, optarg);
            break;
        case OPT_HELP:
            help(c.prog);
            break;
        default:
            usage_error(c.prog);
        }
    }
    if (!have_e) {
        if (optind >= argc)
            usage_error(c.prog);
        add_patterns(&patterns, argv[optind++]);
    }
    bt_err err = BT_ERR_INIT;
    if (grep_matcher_init(&c.m, &patterns, &syn, &err) < 0) {
        warn(&c, "%s", err.msg);
        bt_strvec_fini(&patterns);
        return 2;
    }
    static char outbuf[1 << 16];
    setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);
    int nfiles = argc - optind;
    if (nfiles == 0)
        grep_operand(&c, c.recursive ? "." : "-", true, false);
    for (int i = optind; i < argc; i++)
        if (grep_operand(&c, argv[i], false, nfiles > 1) == STOP_ALL)
            break;
    if (fflush(stdout) != 0 || ferror(stdout)) {
        warn(&c, "write error: %s", strerror(errno));
        c.error = true;
    }
    grep_matcher_fini(&c.m);
    bt_strvec_fini(&patterns);
    if (c.quiet && c.selected)
        return 0;
    return c.error ? 2 : c.selected ? 0 : 1;
}
