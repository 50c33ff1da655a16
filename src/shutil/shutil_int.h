/* shutil_int.h — helpers shared by the shutil sources. */
#ifndef BATTERIES_SHUTIL_INT_H
#define BATTERIES_SHUTIL_INT_H

#include <batteries/shutil.h>

#include "core_int.h"

/* os.path.join(a, b) into out (replacing its contents). */
int bt__shutil_join(bt_buf *out, const char *a, const char *b);

/* shutil's _samefile: os.path.samefile, false when either is missing. */
bool bt__shutil_samefile(const char *a, const char *b);

#endif
