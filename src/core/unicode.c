/* unicode.c — character properties, from tables generated out of CPython. */
#include "core_int.h"
#include "unicode_tables.h"

bool bt_unicode_isprintable(uint32_t cp)
{
    if (cp < 0x80)
        return cp >= 0x20 && cp < 0x7f;
    if (cp > 0x10FFFF)
        return false;
    size_t lo = 0, hi = bt__unicode_nonprintable_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cp < bt__unicode_nonprintable[mid][0])
            hi = mid;
        else if (cp > bt__unicode_nonprintable[mid][1])
            lo = mid + 1;
        else
            return false;
    }
    return true;
}
