/*
 * batteries/re.h — Python's re module: regular expressions with Python
 * 3.11's syntax, semantics, errors and positions, run by PCRE2's JIT.
 *
 *   bt_re_pattern *p;
 *   bt_re_matchobj *m;
 *   bt_re_compile("spam:(?P<spam>[a-z]+)", BT_RE_NTS, 0, &p, &err);
 *   if (bt_re_search(p, "this is spam:egg", BT_RE_NTS, &m, &err) == 1) {
 *       const char *g; size_t n;
 *       bt_re_match_group_name(m, "spam", BT_RE_NTS, &g, &n);   // "egg"
 *       bt_re_match_free(m);
 *   }
 *   bt_re_pattern_free(p);
 *
 * Pattern kinds. A pattern is a str pattern (UTF-8 text; Unicode \w \d \s
 * \b and case folding as Python's, unless BT_RE_ASCII) or, with the flag
 * BT_RE_BYTES, a bytes pattern matching binary subjects byte by byte. The
 * subject of a str pattern must be valid UTF-8 (BT_EUNICODE otherwise).
 *
 * Positions. Every position the API takes or gives (pos, endpos, spans,
 * error positions in bt_err.pos) is a byte offset into the string. For str
 * patterns Python counts characters instead: bt_re_char_index turns a byte
 * offset into Python's index and bt_re_byte_offset goes back. The text of
 * an error message reads exactly as Python's (so "at position N" counts
 * characters there, as in Python).
 *
 * Lengths. Every (pointer, length) pair accepts BT_RE_NTS as the length for
 * a NUL-terminated string.
 *
 * Errors: BT_ERE (re.error; bt_err has Python's message and the byte
 * position), BT_EVALUE (ValueError: incompatible flags, pos/endpos not on a
 * character boundary), BT_EOVERFLOWERR (repeat counts too large), BT_EINDEX
 * (IndexError: no such group, unknown group name in a template), BT_EUNICODE
 * (a str pattern or subject that is not UTF-8), BT_ERUNTIME (a match limit
 * was hit, see bt_re_set_match_limit), BT_ENOMEM.
 *
 * docs/re.md has the Python -> C table and the list of deviations.
 */
#ifndef BATTERIES_RE_H
#define BATTERIES_RE_H

#include <batteries/core.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Flags, with Python's values (re.IGNORECASE == 2, ...). */
#define BT_RE_NOFLAG     0
#define BT_RE_TEMPLATE   1 /* deprecated in Python 3.11: no repetition */
#define BT_RE_IGNORECASE 2
#define BT_RE_LOCALE     4 /* bytes patterns: the C locale's ctype at compile */
#define BT_RE_MULTILINE  8
#define BT_RE_DOTALL     16
#define BT_RE_UNICODE    32 /* the default for str patterns */
#define BT_RE_VERBOSE    64
#define BT_RE_DEBUG      128 /* accepted; prints nothing */
#define BT_RE_ASCII      256
#define BT_RE_T          BT_RE_TEMPLATE
#define BT_RE_I          BT_RE_IGNORECASE
#define BT_RE_L          BT_RE_LOCALE
#define BT_RE_M          BT_RE_MULTILINE
#define BT_RE_S          BT_RE_DOTALL
#define BT_RE_U          BT_RE_UNICODE
#define BT_RE_X          BT_RE_VERBOSE
#define BT_RE_A          BT_RE_ASCII
/* Not a Python flag: the pattern (and its subjects) are bytes, not str. */
#define BT_RE_BYTES (1 << 28)

/* A length meaning "NUL-terminated: use strlen". */
#define BT_RE_NTS ((size_t)-1)
/* The default endpos: the end of the string. */
#define BT_RE_END ((size_t)-1)

/* A compiled pattern: Python's re.Pattern. Immutable and reference-counted;
 * threads may share one. */
typedef struct bt_re_pattern bt_re_pattern;

/* A match: Python's re.Match. It borrows the subject string (keep the
 * string alive while the match is used) and holds a reference to its
 * pattern. */
typedef struct bt_re_matchobj bt_re_matchobj;

/* The state of a finditer loop. */
typedef struct bt_re_iter bt_re_iter;

/* ------------------------------------------------------------------------ */
/* Compiling                                                                 */
/* ------------------------------------------------------------------------ */

/**
 * Compiles a pattern, or finds it in the cache of the last 512 patterns
 * compiled (keyed by pattern, flags and kind, as re's cache).
 *
 * Python: re.compile(pattern, flags); bytes patterns with BT_RE_BYTES.
 * Returns: 0 and *out, or BT_ERE with Python's message and the byte
 *   position in err ("missing ), unterminated subpattern at position 0",
 *   "bad escape \q at position 3", "look-behind requires fixed-width
 *   pattern", ...), BT_EVALUE ("cannot use LOCALE flag with a str pattern",
 *   "ASCII and UNICODE flags are incompatible", ...), BT_EOVERFLOWERR ("the
 *   repetition number is too large"), BT_EUNICODE (a str pattern that is
 *   not UTF-8), BT_ERUNTIME (nesting deeper than Python's recursion limit
 *   allows), or BT_ENOMEM.
 * Ownership: pattern is copied; *out is a new reference: release it with
 *   bt_re_pattern_free.
 * Thread safety: safe; the cache is shared under a lock.
 */
BT_API int bt_re_compile(const char *pattern, size_t len, int flags,
                         bt_re_pattern **out, bt_err *err);

/**
 * Releases a reference to a pattern; the last one frees it.
 *
 * Python: del pattern.
 * Returns: nothing. Accepts NULL.
 * Ownership: p (this reference) is invalid afterwards; matches keep their
 *   own references.
 * Thread safety: safe.
 */
BT_API void bt_re_pattern_free(bt_re_pattern *p);

/**
 * Empties the pattern cache, and frees the calling thread's match scratch
 * space (match data, JIT stack), which is otherwise kept for the thread's
 * next match and freed when the thread exits.
 *
 * Python: re.purge().
 * Returns: nothing.
 * Ownership: patterns still referenced elsewhere stay valid.
 * Thread safety: safe.
 */
BT_API void bt_re_purge(void);

/**
 * Sets the PCRE2 match limit (steps of backtracking per match attempt) used
 * by later matches; hitting it makes the call fail with BT_ERUNTIME
 * ("regular expression match limit exceeded") instead of running for ever,
 * where Python would keep going. 0 restores the default (100000000).
 *
 * Python: no equivalent.
 * Returns: the previous limit.
 * Ownership: nothing to free.
 * Thread safety: safe (atomic); affects every thread's later matches.
 */
BT_API uint32_t bt_re_set_match_limit(uint32_t limit);

/**
 * The pattern's source text.
 *
 * Python: Pattern.pattern.
 * Returns: the text (NUL-terminated) and *len (if not NULL) its length.
 * Ownership: borrowed from p.
 * Thread safety: safe.
 */
BT_API const char *bt_re_pattern_pattern(const bt_re_pattern *p, size_t *len);

/**
 * The pattern's flags: the flags argument plus inline flags, with
 * BT_RE_UNICODE added for str patterns that are not ASCII, as Python
 * reports them (never BT_RE_BYTES).
 *
 * Python: Pattern.flags.
 * Returns: the flags.
 * Ownership: nothing to free.
 * Thread safety: safe.
 */
BT_API int bt_re_pattern_flags(const bt_re_pattern *p);

/**
 * Whether the pattern is a bytes pattern (compiled with BT_RE_BYTES).
 *
 * Python: isinstance(Pattern.pattern, bytes).
 * Returns: true or false.
 * Ownership: nothing to free.
 * Thread safety: safe.
 */
BT_API bool bt_re_pattern_is_bytes(const bt_re_pattern *p);

/**
 * The number of capturing groups.
 *
 * Python: Pattern.groups.
 * Returns: the count.
 * Ownership: nothing to free.
 * Thread safety: safe.
 */
BT_API size_t bt_re_pattern_groups(const bt_re_pattern *p);

/**
 * The number of the group with this name.
 *
 * Python: Pattern.groupindex[name].
 * Returns: the group number (>= 1), or BT_EKEY when no group has the name.
 * Ownership: name is borrowed.
 * Thread safety: safe.
 */
BT_API ptrdiff_t bt_re_pattern_groupindex(const bt_re_pattern *p,
                                          const char *name, size_t len);

/**
 * The name of group g, to walk the groupindex mapping (groups 1 ..
 * bt_re_pattern_groups(p)).
 *
 * Python: {v: k for k, v in Pattern.groupindex.items()}.get(g).
 * Returns: the name (NUL-terminated) and *len, or NULL when group g has no
 *   name or does not exist.
 * Ownership: borrowed from p.
 * Thread safety: safe.
 */
BT_API const char *bt_re_pattern_group_name(const bt_re_pattern *p, size_t g,
                                            size_t *len);

/* ------------------------------------------------------------------------ */
/* Matching                                                                  */
/* ------------------------------------------------------------------------ */

/**
 * Scans for the first place the pattern matches (search), matches at the
 * start only (match), or matches the whole string (fullmatch). The _range
 * forms take Python's pos and endpos (byte offsets; endpos BT_RE_END for
 * the end; values past the end are clamped as Python clamps them; with a
 * str pattern both must fall on character boundaries).
 *
 * Python: Pattern.search(string, pos, endpos), Pattern.match(...),
 *   Pattern.fullmatch(...); re.search(pattern, string) is bt_re_compile +
 *   bt_re_search.
 * Returns: 1 and *m on a match, 0 and *m = NULL when there is none (None),
 *   or BT_EUNICODE (a str subject that is not UTF-8), BT_EVALUE (pos or
 *   endpos inside a character), BT_ERUNTIME (match limit), BT_ENOMEM. m may
 *   be NULL when only the answer is wanted (nothing is allocated then).
 * Ownership: s is borrowed by the match: keep it alive while *m is used;
 *   free *m with bt_re_match_free.
 * Thread safety: safe; p may be used by several threads at once.
 */
BT_API int bt_re_search(const bt_re_pattern *p, const char *s, size_t n,
                        bt_re_matchobj **m, bt_err *err);
BT_API int bt_re_match(const bt_re_pattern *p, const char *s, size_t n,
                       bt_re_matchobj **m, bt_err *err);
BT_API int bt_re_fullmatch(const bt_re_pattern *p, const char *s, size_t n,
                           bt_re_matchobj **m, bt_err *err);
BT_API int bt_re_search_range(const bt_re_pattern *p, const char *s, size_t n,
                              size_t pos, size_t endpos, bt_re_matchobj **m,
                              bt_err *err);
BT_API int bt_re_match_range(const bt_re_pattern *p, const char *s, size_t n,
                             size_t pos, size_t endpos, bt_re_matchobj **m,
                             bt_err *err);
BT_API int bt_re_fullmatch_range(const bt_re_pattern *p, const char *s,
                                 size_t n, size_t pos, size_t endpos,
                                 bt_re_matchobj **m, bt_err *err);

/**
 * Starts iterating over the non-overlapping matches, left to right, with
 * Python 3.7's rules for empty matches (an empty match right after a
 * non-empty one is found; after an empty match the next one may start at
 * the same place only if it is not empty).
 *
 * The UTF-8 check of a str subject goes along with the matches, a few
 * kilobytes ahead of them (over text about to be read, so it costs almost
 * nothing): bt_re_iter_next reports BT_EUNICODE when the check reaches
 * bytes that are not UTF-8.
 *
 * Python: Pattern.finditer(string, pos, endpos).
 * Returns: 0 and *it, or BT_EVALUE (pos or endpos inside a character),
 *   BT_EUNICODE (bytes before pos, or next to a pos or endpos that is not
 *   on a boundary, are not UTF-8), BT_ENOMEM.
 * Ownership: *it borrows p and s; free it with bt_re_iter_free.
 * Thread safety: safe; an iterator is used by one thread at a time.
 */
BT_API int bt_re_finditer(const bt_re_pattern *p, const char *s, size_t n,
                          bt_re_iter **it, bt_err *err);
BT_API int bt_re_finditer_range(const bt_re_pattern *p, const char *s, size_t n,
                                size_t pos, size_t endpos, bt_re_iter **it,
                                bt_err *err);

/**
 * The next match of a finditer loop.
 *
 * Python: next(iterator).
 * Returns: 1 and *m, 0 at the end (StopIteration), or BT_EUNICODE (a str
 *   subject that is not UTF-8) or BT_ERUNTIME (match limit); after an
 *   error the iterator is at its end.
 * Ownership: *m is borrowed from the iterator until the next call or
 *   bt_re_iter_free; keep one with bt_re_match_copy.
 * Thread safety: not safe on an iterator another thread uses.
 */
BT_API int bt_re_iter_next(bt_re_iter *it, const bt_re_matchobj **m,
                           bt_err *err);

/**
 * Frees a finditer iterator.
 *
 * Python: del iterator.
 * Returns: nothing. Accepts NULL.
 * Ownership: the borrowed match it last gave is invalid afterwards.
 * Thread safety: not safe on an iterator another thread uses.
 */
BT_API void bt_re_iter_free(bt_re_iter *it);

/**
 * Appends every non-overlapping match to out: the whole match when the
 * pattern has no groups, else the groups of each match (row after row,
 * bt_re_pattern_groups(p) items per match, "" for a group that did not
 * take part), as Python's list of strings or of tuples.
 *
 * Python: Pattern.findall(string, pos, endpos).
 * Returns: the number of matches, or the errors of bt_re_search (out is
 *   then as it was).
 * Ownership: out stays the caller's; strings are copied into it.
 * Thread safety: safe on distinct vectors.
 */
BT_API ptrdiff_t bt_re_findall(const bt_re_pattern *p, const char *s, size_t n,
                               bt_strvec *out, bt_err *err);
BT_API ptrdiff_t bt_re_findall_range(const bt_re_pattern *p, const char *s,
                                     size_t n, size_t pos, size_t endpos,
                                     bt_strvec *out, bt_err *err);

/**
 * Splits s at the matches, appending the pieces to out, with the groups of
 * each match between them, at most maxsplit splits (0: all). A group that
 * did not take part, None in Python, is appended as "" (bt_re_finditer
 * tells the two apart).
 *
 * Python: Pattern.split(string, maxsplit).
 * Returns: the number of items appended, or the errors of bt_re_search (out
 *   is then as it was).
 * Ownership: out stays the caller's; strings are copied into it.
 * Thread safety: safe on distinct vectors.
 */
BT_API ptrdiff_t bt_re_split(const bt_re_pattern *p, const char *s, size_t n,
                             size_t maxsplit, bt_strvec *out, bt_err *err);

/**
 * Replaces the leftmost non-overlapping matches (at most count; 0: all)
 * with the template repl, appending the result to out. The template knows
 * \1..\99, \g<1>, \g<name>, \g<0>, octal escapes and \n \t \\ etc.; an
 * unknown escape of an ASCII letter is an error, other escapes stay as
 * written. bt_re_subn is the same function under subn's name.
 *
 * Python: Pattern.sub(repl, string, count), Pattern.subn (the count is the
 *   return value).
 * Returns: the number of replacements, or BT_ERE for a bad template
 *   ("invalid group reference 3 at position 1", "bad escape \q at position
 *   0", "missing >, unterminated name at position 3", ...), BT_EINDEX
 *   ("unknown group name 'x'"), or the errors of bt_re_search; out is then
 *   unchanged.
 * Ownership: repl and s are borrowed; out stays the caller's.
 * Thread safety: safe on distinct buffers.
 */
BT_API ptrdiff_t bt_re_sub(const bt_re_pattern *p, const char *repl,
                           size_t rlen, const char *s, size_t n, size_t count,
                           bt_buf *out, bt_err *err);
BT_API ptrdiff_t bt_re_subn(const bt_re_pattern *p, const char *repl,
                            size_t rlen, const char *s, size_t n, size_t count,
                            bt_buf *out, bt_err *err);

/* A replacement function for bt_re_sub_fn: appends the replacement for m to
 * out; returns 0, or a negative code that stops the substitution. */
typedef int (*bt_re_repl_fn)(const bt_re_matchobj *m, bt_buf *out, void *ctx);

/**
 * Like bt_re_sub, with the replacement made by a function called for each
 * match.
 *
 * Python: Pattern.sub(function, string, count).
 * Returns: the number of replacements, the negative code fn returned, or
 *   the errors of bt_re_search; out is unchanged on error.
 * Ownership: the match given to fn is borrowed for the call.
 * Thread safety: safe on distinct buffers.
 */
BT_API ptrdiff_t bt_re_sub_fn(const bt_re_pattern *p, bt_re_repl_fn fn,
                              void *ctx, const char *s, size_t n, size_t count,
                              bt_buf *out, bt_err *err);

/**
 * Appends s with every character that has a meaning in a pattern escaped
 * by a backslash (the ASCII characters ()[]{}?*+-|^$\.&~# and whitespace
 * \t\n\r\v\f), the same for str and bytes.
 *
 * Python: re.escape(pattern).
 * Returns: 0, or BT_ENOMEM (out is unchanged).
 * Ownership: s is borrowed; out stays the caller's.
 * Thread safety: safe on distinct buffers.
 */
BT_API int bt_re_escape(const char *s, size_t n, bt_buf *out);

/* ------------------------------------------------------------------------ */
/* Match objects                                                             */
/* ------------------------------------------------------------------------ */

/**
 * Frees a match.
 *
 * Python: del match.
 * Returns: nothing. Accepts NULL.
 * Ownership: releases its reference to the pattern.
 * Thread safety: no other thread may be using m.
 */
BT_API void bt_re_match_free(bt_re_matchobj *m);

/**
 * Copies a match (for one borrowed from a finditer loop).
 *
 * Python: copy.copy(match).
 * Returns: 0 and *out, or BT_ENOMEM.
 * Ownership: free *out with bt_re_match_free; it borrows the same string.
 * Thread safety: safe.
 */
BT_API int bt_re_match_copy(const bt_re_matchobj *m, bt_re_matchobj **out);

/**
 * The text of group g (0: the whole match), by number or by name.
 *
 * Python: Match.group(g), Match[g], Match.group('name').
 * Returns: 1 with *s and *len (both may be NULL) pointing into the string,
 *   0 when the group did not take part (None; *s = NULL, *len = 0), or
 *   BT_EINDEX ("no such group").
 * Ownership: *s is borrowed from the subject string.
 * Thread safety: safe.
 */
BT_API int bt_re_match_group(const bt_re_matchobj *m, size_t g, const char **s,
                             size_t *len);
BT_API int bt_re_match_group_name(const bt_re_matchobj *m, const char *name,
                                  size_t nlen, const char **s, size_t *len);

/**
 * Appends the texts of several groups at once, dflt for the ones that did
 * not take part.
 *
 * Python: Match.group(g1, g2, ...), with None shown as dflt.
 * Returns: 0, BT_EINDEX ("no such group"; out unchanged) or BT_ENOMEM.
 * Ownership: dflt (may be NULL: "") and groups are borrowed; out stays the
 *   caller's.
 * Thread safety: safe on distinct vectors.
 */
BT_API int bt_re_match_group_many(const bt_re_matchobj *m, const size_t *groups,
                                  size_t count, const char *dflt, size_t dlen,
                                  bt_strvec *out);

/**
 * Appends the texts of all groups 1.. in order, dflt for the ones that did
 * not take part.
 *
 * Python: Match.groups(default).
 * Returns: 0 or BT_ENOMEM (out unchanged).
 * Ownership: dflt (may be NULL: "") is borrowed; out stays the caller's.
 * Thread safety: safe on distinct vectors.
 */
BT_API int bt_re_match_groups(const bt_re_matchobj *m, const char *dflt,
                              size_t dlen, bt_strvec *out);

/**
 * Appends name, text pairs for the named groups in group order (items 2k
 * and 2k+1), dflt for groups that did not take part.
 *
 * Python: Match.groupdict(default).
 * Returns: 0 or BT_ENOMEM (out unchanged).
 * Ownership: dflt (may be NULL: "") is borrowed; out stays the caller's.
 * Thread safety: safe on distinct vectors.
 */
BT_API int bt_re_match_groupdict(const bt_re_matchobj *m, const char *dflt,
                                 size_t dlen, bt_strvec *out);

/**
 * The span of group g: byte offsets of its start and end, -1 and -1 when
 * it did not take part. bt_re_match_start and bt_re_match_end give one of
 * the two.
 *
 * Python: Match.span(g), Match.start(g), Match.end(g).
 * Returns: span: 0, or BT_EINDEX ("no such group"); start/end: the offset,
 *   -1 for a group that did not take part, or BT_EINDEX.
 * Ownership: nothing to free.
 * Thread safety: safe.
 */
BT_API int bt_re_match_span(const bt_re_matchobj *m, size_t g, ptrdiff_t *start,
                            ptrdiff_t *end);
BT_API ptrdiff_t bt_re_match_start(const bt_re_matchobj *m, size_t g);
BT_API ptrdiff_t bt_re_match_end(const bt_re_matchobj *m, size_t g);

/**
 * The number of the last group that closed on the way to the match, and
 * its name.
 *
 * Python: Match.lastindex, Match.lastgroup.
 * Returns: lastindex: the group number, -1 for None, or BT_ENOMEM /
 *   BT_ERUNTIME (the answer needs one more match run); lastgroup: the name
 *   (NUL-terminated, *len) or NULL for None.
 * Ownership: the name is borrowed from the pattern.
 * Thread safety: safe.
 */
BT_API ptrdiff_t bt_re_match_lastindex(const bt_re_matchobj *m);
BT_API const char *bt_re_match_lastgroup(const bt_re_matchobj *m, size_t *len);

/**
 * Appends a template with the match's groups filled in, as bt_re_sub does
 * for each match.
 *
 * Python: Match.expand(template).
 * Returns: 0, or the template errors of bt_re_sub (out unchanged).
 * Ownership: template borrowed; out stays the caller's.
 * Thread safety: safe on distinct buffers.
 */
BT_API int bt_re_match_expand(const bt_re_matchobj *m, const char *tpl,
                              size_t tlen, bt_buf *out, bt_err *err);

/**
 * The pos and endpos the match was searched with (after clamping).
 *
 * Python: Match.pos, Match.endpos.
 * Returns: the byte offset.
 * Ownership: nothing to free.
 * Thread safety: safe.
 */
BT_API size_t bt_re_match_pos(const bt_re_matchobj *m);
BT_API size_t bt_re_match_endpos(const bt_re_matchobj *m);

/**
 * The pattern that made the match.
 *
 * Python: Match.re.
 * Returns: the pattern.
 * Ownership: borrowed from the match (which holds a reference).
 * Thread safety: safe.
 */
BT_API const bt_re_pattern *bt_re_match_re(const bt_re_matchobj *m);

/**
 * The string the match was made on.
 *
 * Python: Match.string.
 * Returns: the subject and *len (if not NULL) its length.
 * Ownership: the caller's own string, which the match borrows.
 * Thread safety: safe.
 */
BT_API const char *bt_re_match_string(const bt_re_matchobj *m, size_t *len);

/* ------------------------------------------------------------------------ */
/* Character offsets                                                         */
/* ------------------------------------------------------------------------ */

/**
 * Python's character index of a byte offset into UTF-8 text (the number of
 * characters before it), to show positions as Python does for str
 * patterns. A negative offset (-1 of an unmatched group) is returned as is.
 *
 * Python: the int in Match.start() on a str.
 * Returns: the index, or BT_EVALUE when off > n or not on a character
 *   boundary, or BT_EUNICODE when s[0..off) is not UTF-8.
 * Ownership: s is borrowed.
 * Thread safety: safe.
 */
BT_API ptrdiff_t bt_re_char_index(const char *s, size_t n, ptrdiff_t off);

/**
 * The byte offset of Python's character index into UTF-8 text: for pos and
 * endpos given the Python way. An index past the end gives n.
 *
 * Python: len(s[:index].encode()).
 * Returns: the offset, or BT_EUNICODE when the text before it is not UTF-8.
 * Ownership: s is borrowed.
 * Thread safety: safe.
 */
BT_API ptrdiff_t bt_re_byte_offset(const char *s, size_t n, size_t index);

#ifdef __cplusplus
}
#endif

#endif /* BATTERIES_RE_H */
