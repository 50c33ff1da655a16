/*
 * match.c — grep's matcher: the patterns combined into one Python-dialect
 * regex (re.h, PCRE2's JIT), searched over large windows of the buffer
 * rather than line by line: a match is found, then widened to its line.
 *
 * A line matches when re.search(pattern, line) would find a match in the
 * line on its own (without its newline). Searching a window of many lines
 * at once (with MULTILINE, so ^ and $ stop at line ends) finds the same
 * lines, as long as the pattern cannot look past a line's ends: a match
 * that runs over a newline is checked against its first line alone, and
 * patterns that could be blind to a line within a window (lookaround, \A,
 * \Z, atomic groups and possessive repeats) are searched line by line.
 */
#include <string.h>

#include "grep.h"

/* The window of the first buffer-wide search, and its largest size. */
#define WINDOW_MIN ((size_t)256)
#define WINDOW_MAX ((size_t)4 << 20)

/* Length of the global flag groups, "(?i)(?s)...", that start p. */
static size_t leading_flags(const char *p, size_t n)
{
    size_t i = 0;
    for (;;) {
        if (n - i < 4 || p[i] != '(' || p[i + 1] != '?')
            return i;
        size_t j = i + 2;
        while (j < n && p[j] && strchr("aiLmsux", p[j]))
            j++;
        if (j == i + 2 || j >= n || p[j] != ')')
            return i;
        i = j + 1;
    }
}

/* Could the pattern's text make it look past the ends of a line? Judged on
 * the text, so an escaped "\(?=" counts too: that only costs speed. */
static bool needs_per_line(const char *p, size_t n)
{
    static const char *const marks[] = {
        "\\A", "\\Z", "(?=", "(?!", "(?<=", "(?<!", "(?>",
        "(?(", "(?-", "*+",  "++",  "?+",   "}+",
    };
    for (size_t k = 0; k < sizeof marks / sizeof *marks; k++)
        if (memmem(p, n, marks[k], strlen(marks[k])))
            return true;
    return false;
}

/* A pattern that means its own bytes (no character special to re). */
static bool plain_literal(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c < 0x80 && !strchr("abcdefghijklmnopqrstuvwxyz"
                                "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                                " _-,:;\"'/=<>@!%&~`",
                                c))
            return false;
        if (c == 0)
            return false;
    }
    return true;
}

int grep_matcher_init(grep_matcher *m, const bt_strvec *patterns,
                      const grep_syntax *syn, bt_err *err)
{
    memset(m, 0, sizeof *m);
    bt_buf_init(&m->source);
    bt_buf flags = BT_BUF_INIT, body = BT_BUF_INIT, lit = BT_BUF_INIT;
    int rc = 0;
    size_t n = patterns->count;
    for (size_t i = 0; i < n && rc >= 0; i++) {
        const char *p = patterns->items[i];
        size_t len = patterns->lens[i];
        if (i > 0)
            rc = bt_buf_append_byte(&body, '|');
        if (rc >= 0 && n > 1)
            rc = bt_buf_append_str(&body, "(?:");
        if (rc >= 0 && syn->fixed) {
            bt_buf_clear(&lit);
            rc = bt_re_escape(p, len, &lit);
            if (rc >= 0)
                rc = bt_buf_append(&body, lit.data, lit.len);
        } else if (rc >= 0) {
            /* Python wants global flags first: a -x/-w wrapper or the
             * alternation would put them in the middle. */
            size_t k = leading_flags(p, len);
            rc = bt_buf_append(&flags, p, k);
            if (rc >= 0)
                rc = bt_buf_append(&body, p + k, len - k);
            if (rc >= 0 && needs_per_line(p, len))
                m->per_line = true;
        }
        if (rc >= 0 && n > 1)
            rc = bt_buf_append_byte(&body, ')');
    }
    if (rc >= 0)
        rc = bt_buf_append(&m->source, flags.data, flags.len);
    if (rc >= 0 && syn->line)
        rc = bt_buf_append_str(&m->source, "^(?:");
    else if (rc >= 0 && syn->word)
        rc = bt_buf_append_str(&m->source, "(?<!\\w)(?:");
    if (rc >= 0)
        rc = bt_buf_append(&m->source, body.data, body.len);
    if (rc >= 0 && syn->line)
        rc = bt_buf_append_str(&m->source, ")$");
    else if (rc >= 0 && syn->word)
        rc = bt_buf_append_str(&m->source, ")(?!\\w)");
    if (rc < 0) {
        bt_err_setf(err, rc, -1, "out of memory");
    } else {
        m->flags = BT_RE_MULTILINE | (syn->icase ? BT_RE_IGNORECASE : 0);
        rc = bt_re_compile(m->source.data ? m->source.data : "", m->source.len,
                           m->flags, &m->text, err);
    }
    if (rc >= 0 && n == 1 && !syn->icase && !syn->word && !syn->line &&
        patterns->lens[0] > 0 &&
        (syn->fixed || plain_literal(patterns->items[0], patterns->lens[0]))) {
        m->lit = patterns->items[0];
        m->litlen = patterns->lens[0];
    }
    bt_buf_fini(&flags);
    bt_buf_fini(&body);
    bt_buf_fini(&lit);
    if (rc < 0)
        grep_matcher_fini(m);
    return rc < 0 ? rc : 0;
}

void grep_matcher_fini(grep_matcher *m)
{
    bt_re_pattern_free(m->text);
    bt_re_pattern_free(m->bytes);
    bt_buf_fini(&m->source);
    m->text = m->bytes = NULL;
}

void grep_scan_init(grep_scan *s, grep_matcher *m, const char *buf, size_t end)
{
    s->m = m;
    s->buf = buf;
    s->end = end;
    s->binary = false;
    s->per_line = m->per_line;
    s->window = WINDOW_MIN;
}

bt_re_pattern *grep_scan_pattern(grep_scan *s, bt_err *err)
{
    grep_matcher *m = s->m;
    if (!s->binary)
        return m->text;
    if (!m->bytes &&
        bt_re_compile(m->source.data ? m->source.data : "", m->source.len,
                      m->flags | BT_RE_BYTES, &m->bytes, err) < 0)
        return NULL;
    return m->bytes;
}

static size_t line_start(const char *b, size_t lo, size_t at)
{
    const char *nl = memrchr(b + lo, '\n', at - lo);
    return nl ? (size_t)(nl - b) + 1 : lo;
}

static size_t line_end(const char *b, size_t at, size_t hi)
{
    const char *nl = memchr(b + at, '\n', hi - at);
    return nl ? (size_t)(nl - b) : hi;
}

/* re.search on b[lo, hi); once the text turns out not to be UTF-8, the
 * scan goes on with the bytes pattern. */
static int search(grep_scan *s, size_t lo, size_t hi, bt_re_matchobj **mo,
                  bt_err *err)
{
    for (;;) {
        bt_re_pattern *p = grep_scan_pattern(s, err);
        if (!p)
            return err ? err->code : BT_ENOMEM;
        int r = bt_re_search(p, s->buf + lo, hi - lo, mo, err);
        if (r != BT_EUNICODE || s->binary)
            return r;
        s->binary = true;
    }
}

static int next_literal(grep_scan *s, size_t pos, size_t *ls, size_t *le)
{
    const char *hit =
        memmem(s->buf + pos, s->end - pos, s->m->lit, s->m->litlen);
    if (!hit)
        return 0;
    size_t at = (size_t)(hit - s->buf);
    *ls = line_start(s->buf, pos, at);
    *le = line_end(s->buf, at, s->end);
    return 1;
}

static int next_per_line(grep_scan *s, size_t pos, size_t *ls, size_t *le,
                         bt_err *err)
{
    for (;;) {
        size_t e = line_end(s->buf, pos, s->end);
        int r = search(s, pos, e, NULL, err);
        if (r < 0)
            return r;
        if (r == 1) {
            *ls = pos;
            *le = e;
            return 1;
        }
        if (e >= s->end)
            return 0;
        pos = e + 1;
    }
}

int grep_scan_next(grep_scan *s, size_t pos, size_t *ls, size_t *le,
                   bt_err *err)
{
    if (pos > s->end)
        return 0;
    if (s->m->lit)
        return next_literal(s, pos, ls, le);
    if (s->per_line)
        return next_per_line(s, pos, ls, le, err);
    const char *b = s->buf;
    for (;;) {
        size_t wend = s->end;
        if (s->window < s->end - pos)
            wend = line_end(b, pos + s->window, s->end);
        bt_re_matchobj *mo = NULL;
        int r = search(s, pos, wend, &mo, err);
        if (r == BT_ERUNTIME) {
            /* PCRE2's match limit counts a whole window's backtracking:
             * what fits in a line is left to line-by-line searches */
            s->per_line = true;
            return next_per_line(s, pos, ls, le, err);
        }
        if (r < 0)
            return r;
        if (r == 0) {
            if (wend >= s->end)
                return 0;
            pos = wend + 1;
            if (s->window < WINDOW_MAX)
                s->window *= 2;
            continue;
        }
        ptrdiff_t a, z;
        bt_re_match_span(mo, 0, &a, &z);
        bt_re_match_free(mo);
        size_t ms = pos + (size_t)a, me = pos + (size_t)z;
        size_t l0 = line_start(b, pos, ms), l1 = line_end(b, ms, wend);
        /* Matches are often close together: the next window is about twice
         * the distance to this one. */
        size_t w = 2 * (l1 - pos);
        s->window = w < WINDOW_MIN   ? WINDOW_MIN
                    : w > WINDOW_MAX ? WINDOW_MAX
                                     : w;
        if (me > l1) { /* ran over a newline: does the line match alone? */
            r = search(s, l0, l1, NULL, err);
            if (r < 0)
                return r;
        }
        if (r == 1) {
            *ls = l0;
            *le = l1;
            return 1;
        }
        if (l1 >= s->end)
            return 0;
        pos = l1 + 1;
    }
}
