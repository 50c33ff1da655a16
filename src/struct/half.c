/* half.c — IEEE 754 binary16 ('e'), rounding and overflow as CPython. */
#include <math.h>

#include "struct_int.h"

int bt__struct_pack_half(double x, uint16_t *out)
{
    uint16_t sign = signbit(x) ? 0x8000 : 0;
    if (isnan(x)) {
        /* CPython keeps the sign and makes the one quiet NaN, no payload. */
        *out = sign | 0x7e00;
        return 0;
    }
    double a = fabs(x);
    if (isinf(a)) {
        *out = sign | 0x7c00;
        return 0;
    }
    if (a < 0x1p-14) {
        /* Subnormal (or zero): units of 2**-24, ties to even; 1024 units
         * carry into the smallest normal number on their own. */
        *out = sign | (uint16_t)nearbyint(a * 0x1p24);
        return 0;
    }
    int e;
    double m = frexp(a, &e) * 2.0; /* a = m * 2**(e-1), 1 <= m < 2 */
    e -= 1;
    double q = nearbyint(m * 1024.0); /* 1024..2048, ties to even */
    if (q == 2048.0) {
        q = 1024.0;
        e += 1;
    }
    if (e + 15 >= 31)
        return BT_EOVERFLOWERR;
    *out = sign | (uint16_t)((e + 15) << 10) | (uint16_t)(q - 1024.0);
    return 0;
}

double bt__struct_unpack_half(uint16_t h)
{
    bool neg = h & 0x8000;
    int e = (h >> 10) & 0x1f;
    unsigned f = h & 0x3ff;
    double x;
    if (e == 0x1f) {
        if (f == 0)
            x = INFINITY;
        else
            x = NAN; /* CPython 3.11 drops the payload */
    } else if (e == 0) {
        x = ldexp((double)f, -24);
    } else {
        x = ldexp((double)(f + 1024), e - 25);
    }
    return neg ? -x : x;
}
