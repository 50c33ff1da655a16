/*
 * re_tables.h — character data of CPython 3.11 for the re module, generated
 * by src/re/gen_tables.py into re_tables.c and re_names.c.
 */
#ifndef BT_RE_TABLES_H
#define BT_RE_TABLES_H

#include <stddef.h>
#include <stdint.h>

typedef struct bt__re_map {
    uint32_t cp, to;
} bt__re_map;

typedef struct bt__re_range {
    uint32_t lo, hi;
} bt__re_range;

typedef struct bt__re_fix {
    uint32_t cp;
    uint32_t n;
    uint32_t to[2];
} bt__re_fix;

extern const bt__re_map bt__re_lower[], bt__re_lower_inv[], bt__re_upper[];
extern const size_t bt__re_lower_n, bt__re_lower_inv_n, bt__re_upper_n;
extern const bt__re_fix bt__re_fixes[];
extern const size_t bt__re_fixes_n;
extern const bt__re_range bt__re_word[], bt__re_alpha[], bt__re_digit[],
    bt__re_space[], bt__re_xid_start[], bt__re_xid_cont[], bt__re_cjk[];
extern const size_t bt__re_word_n, bt__re_alpha_n, bt__re_digit_n,
    bt__re_space_n, bt__re_xid_start_n, bt__re_xid_cont_n, bt__re_cjk_n;

/* Character names (re_names.c). */
extern const size_t bt__re_nwords, bt__re_nnames;
/* Offsets of every 8th word and every 16th name; code points 3 bytes LE. */
extern const unsigned char bt__re_word_text[], bt__re_name_seq[],
    bt__re_name_cp[];
extern const uint32_t bt__re_word_off[], bt__re_name_off[];
extern const uint16_t bt__re_word_code[];
extern const char *const bt__re_jamo_l[19], *const bt__re_jamo_v[21],
                                                *const bt__re_jamo_t[28];

#endif
