/* unicode_tables.h — tables generated from CPython by tools/gen_unicode.py. */
#ifndef BATTERIES_UNICODE_TABLES_H
#define BATTERIES_UNICODE_TABLES_H

#include <stddef.h>
#include <stdint.h>

extern const uint32_t bt__unicode_nonprintable[][2];
extern const size_t bt__unicode_nonprintable_count;
extern const uint64_t bt__utf8_dfa[256];

#endif
