/* plural.h — the notes' pluralization rules (the Bonus Lab). */
#ifndef PLURAL_H
#define PLURAL_H

#include <batteries/core.h>

/* Appends the plural of word to out: 0, or BT_ENOMEM. */
int plural(const char *word, bt_buf *out);

#endif
