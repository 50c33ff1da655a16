/*
 * grep.h — the grep lab's parts: the matcher (match.c: patterns in
 * Python's dialect, compiled once, searched over whole buffers) and the
 * driver (main.c: options, files, output).
 */
#ifndef BT_CMD_GREP_H
#define BT_CMD_GREP_H

#include <stdbool.h>
#include <stddef.h>

#include <batteries/core.h>
#include <batteries/re.h>

/* How the patterns are to be read (the options that change matching). */
typedef struct grep_syntax {
    bool fixed; /* -F: each pattern is a literal string */
    bool icase; /* -i */
    bool word;  /* -w: the match is a whole word */
    bool line;  /* -x: the match is the whole line */
} grep_syntax;

/*
 * The compiled patterns. text is the str (Unicode) pattern used on UTF-8
 * text; bytes, compiled on first need, is the same pattern as a bytes
 * pattern, used on binary data (NUL bytes or not UTF-8).
 */
typedef struct grep_matcher {
    bt_re_pattern *text;
    bt_re_pattern *bytes;
    bt_buf source; /* the combined pattern, for the bytes compile */
    int flags;
    /* Search line by line instead of over whole buffers: the pattern can
     * see past a line's ends (lookaround, \A, \Z, atomic groups), so a
     * buffer-wide search could miss a line that matches on its own. */
    bool per_line;
    /* A plain literal (-F, or a pattern without special characters):
     * memmem finds the lines. */
    const char *lit;
    size_t litlen;
} grep_matcher;

/*
 * Compiles the patterns (each already split at newlines) into m.
 * Returns 0, or a negative code with the message (re.error's) in err.
 */
int grep_matcher_init(grep_matcher *m, const bt_strvec *patterns,
                      const grep_syntax *syn, bt_err *err);
void grep_matcher_fini(grep_matcher *m);

/*
 * The state of one search over a buffer of lines: buf[0, end) holds the
 * lines, separated by '\n', without the final newline. binary switches
 * the search to the bytes pattern.
 */
typedef struct grep_scan {
    grep_matcher *m;
    const char *buf;
    size_t end;
    bool binary;
    bool per_line; /* the matcher's choice, or after a window hit the limit */
    size_t window; /* the next buffer-wide search's size, adapted */
} grep_scan;

void grep_scan_init(grep_scan *s, grep_matcher *m, const char *buf, size_t end);

/*
 * Finds the first line at or after pos (a line start, <= end) that has a
 * match. Returns 1 with the line in [*ls, *le) (*le is end or the index
 * of its '\n'), 0 when there is none, or a negative code (err set).
 */
int grep_scan_next(grep_scan *s, size_t pos, size_t *ls, size_t *le,
                   bt_err *err);

/*
 * The pattern that applies to this scan (text, or bytes once binary).
 * Returns NULL with err set when the bytes pattern cannot be compiled.
 */
bt_re_pattern *grep_scan_pattern(grep_scan *s, bt_err *err);

#endif
