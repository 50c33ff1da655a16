/*
 * blake2.c — BLAKE2b and BLAKE2s (RFC 7693) with the full parameter block
 * (digest length, key, salt, personalization, tree parameters), as
 * hashlib.blake2b/blake2s. OpenSSL 3.0 only offers the unkeyed fixed-size
 * BLAKE2b-512 and BLAKE2s-256 digests (and a keyed-only MAC), which cannot
 * give Python's results for the other parameters; see docs/hashlib.md.
 */
#include <string.h>

#include <openssl/crypto.h>

#include "hashlib_int.h"

static const uint64_t iv64[8] = {
    0x6a09e667f3bcc908ULL, 0xbb67ae8584caa73bULL, 0x3c6ef372fe94f82bULL,
    0xa54ff53a5f1d36f1ULL, 0x510e527fade682d1ULL, 0x9b05688c2b3e6c1fULL,
    0x1f83d9abfb41bd6bULL, 0x5be0cd19137e2179ULL,
};

static const uint32_t iv32[8] = {
    0x6a09e667U, 0xbb67ae85U, 0x3c6ef372U, 0xa54ff53aU,
    0x510e527fU, 0x9b05688cU, 0x1f83d9abU, 0x5be0cd19U,
};

/* The message word schedule of each round (RFC 7693, 2.7). */
static const uint8_t sigma[10][16] = {
    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
    {14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3},
    {11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4},
    {7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8},
    {9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13},
    {2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9},
    {12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11},
    {13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10},
    {6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5},
    {10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0},
};

static inline uint64_t le64(const uint8_t *p)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
#else
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
#endif
}

static inline uint32_t le32(const uint8_t *p)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
#else
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
#endif
}

static inline void put_le(uint8_t *p, uint64_t v, int bytes)
{
    for (int i = 0; i < bytes; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static inline uint64_t rotr64(uint64_t x, int n)
{
    return (x >> n) | (x << (64 - n));
}

static inline uint32_t rotr32(uint32_t x, int n)
{
    return (x >> n) | (x << (32 - n));
}

/* ------------------------------------------------------------------------ */
/* Parameter checks, in Python's order and with its messages                 */
/* ------------------------------------------------------------------------ */

static int check(const bt_hashlib_blake2_params *p, int outbytes, int keybytes,
                 int saltbytes, int personbytes, bool is_s, bt_err *err)
{
    if (p->digest_size <= 0 || p->digest_size > outbytes)
        return bt_err_setf(err, BT_EVALUE, -1,
                           "digest_size must be between 1 and %d bytes",
                           outbytes);
    if (p->salt_len > (size_t)saltbytes)
        return bt_err_setf(err, BT_EVALUE, -1,
                           "maximum salt length is %d bytes", saltbytes);
    if (p->person_len > (size_t)personbytes)
        return bt_err_setf(err, BT_EVALUE, -1,
                           "maximum person length is %d bytes", personbytes);
    if (p->fanout < 0 || p->fanout > 255)
        return bt_err_setf(err, BT_EVALUE, -1,
                           "fanout must be between 0 and 255");
    if (p->depth <= 0 || p->depth > 255)
        return bt_err_setf(err, BT_EVALUE, -1,
                           "depth must be between 1 and 255");
    if (p->leaf_size > 0xFFFFFFFFULL)
        return bt_err_setf(err, BT_EOVERFLOWERR, -1, "leaf_size is too large");
    if (is_s && p->node_offset > 0xFFFFFFFFFFFFULL)
        return bt_err_setf(err, BT_EOVERFLOWERR, -1,
                           "node_offset is too large");
    if (p->node_depth < 0 || p->node_depth > 255)
        return bt_err_setf(err, BT_EVALUE, -1,
                           "node_depth must be between 0 and 255");
    /* sic: Python's message reads "between 0 and is 64". */
    if (p->inner_size < 0 || p->inner_size > outbytes)
        return bt_err_setf(err, BT_EVALUE, -1,
                           "inner_size must be between 0 and is %d", outbytes);
    if (p->key_len > (size_t)keybytes)
        return bt_err_setf(err, BT_EVALUE, -1, "maximum key length is %d bytes",
                           keybytes);
    return 0;
}

int bt__blake2b_check(const bt_hashlib_blake2_params *p, bt_err *err)
{
    return check(p, 64, 64, 16, 16, false, err);
}

int bt__blake2s_check(const bt_hashlib_blake2_params *p, bt_err *err)
{
    return check(p, 32, 32, 8, 8, true, err);
}

/* ------------------------------------------------------------------------ */
/* BLAKE2b                                                                   */
/* ------------------------------------------------------------------------ */

#define G64(a, b, c, d, x, y)                                                  \
    do {                                                                       \
        a = a + b + (x);                                                       \
        d = rotr64(d ^ a, 32);                                                 \
        c = c + d;                                                             \
        b = rotr64(b ^ c, 24);                                                 \
        a = a + b + (y);                                                       \
        d = rotr64(d ^ a, 16);                                                 \
        c = c + d;                                                             \
        b = rotr64(b ^ c, 63);                                                 \
    } while (0)

static void compress_b(bt__blake2b *s, const uint8_t *block)
{
    uint64_t m[16], v[16];
    for (int i = 0; i < 16; i++)
        m[i] = le64(block + 8 * i);
    for (int i = 0; i < 8; i++) {
        v[i] = s->h[i];
        v[i + 8] = iv64[i];
    }
    v[12] ^= s->t[0];
    v[13] ^= s->t[1];
    v[14] ^= s->f[0];
    v[15] ^= s->f[1];
    /* Rounds written out: with r constant, sigma[r][i] folds at compile
     * time and the message words stay in registers. */
#define ROUND64(r)                                                             \
    do {                                                                       \
        G64(v[0], v[4], v[8], v[12], m[sigma[r][0]], m[sigma[r][1]]);          \
        G64(v[1], v[5], v[9], v[13], m[sigma[r][2]], m[sigma[r][3]]);          \
        G64(v[2], v[6], v[10], v[14], m[sigma[r][4]], m[sigma[r][5]]);         \
        G64(v[3], v[7], v[11], v[15], m[sigma[r][6]], m[sigma[r][7]]);         \
        G64(v[0], v[5], v[10], v[15], m[sigma[r][8]], m[sigma[r][9]]);         \
        G64(v[1], v[6], v[11], v[12], m[sigma[r][10]], m[sigma[r][11]]);       \
        G64(v[2], v[7], v[8], v[13], m[sigma[r][12]], m[sigma[r][13]]);        \
        G64(v[3], v[4], v[9], v[14], m[sigma[r][14]], m[sigma[r][15]]);        \
    } while (0)
    ROUND64(0);
    ROUND64(1);
    ROUND64(2);
    ROUND64(3);
    ROUND64(4);
    ROUND64(5);
    ROUND64(6);
    ROUND64(7);
    ROUND64(8);
    ROUND64(9);
    ROUND64(0);
    ROUND64(1);
#undef ROUND64
    for (int i = 0; i < 8; i++)
        s->h[i] ^= v[i] ^ v[i + 8];
}

static inline void count_b(bt__blake2b *s, uint64_t n)
{
    s->t[0] += n;
    s->t[1] += (s->t[0] < n);
}

void bt__blake2b_init(bt__blake2b *s, const bt_hashlib_blake2_params *p)
{
    /* The 64-byte parameter block of RFC 7693 2.5 / the BLAKE2 paper. */
    uint8_t pb[64] = {0};
    pb[0] = (uint8_t)p->digest_size;
    pb[1] = (uint8_t)p->key_len;
    pb[2] = (uint8_t)p->fanout;
    pb[3] = (uint8_t)p->depth;
    put_le(pb + 4, p->leaf_size, 4);
    put_le(pb + 8, p->node_offset, 8);
    pb[16] = (uint8_t)p->node_depth;
    pb[17] = (uint8_t)p->inner_size;
    if (p->salt_len)
        memcpy(pb + 32, p->salt, p->salt_len);
    if (p->person_len)
        memcpy(pb + 48, p->person, p->person_len);
    for (int i = 0; i < 8; i++)
        s->h[i] = iv64[i] ^ le64(pb + 8 * i);
    s->t[0] = s->t[1] = s->f[0] = s->f[1] = 0;
    s->buflen = 0;
    s->outlen = (uint8_t)p->digest_size;
    s->last_node = p->last_node;
    if (p->key_len) {
        uint8_t block[BT__BLAKE2B_BLOCK] = {0};
        memcpy(block, p->key, p->key_len);
        bt__blake2b_update(s, block, sizeof block);
        OPENSSL_cleanse(block, sizeof block);
    }
}

void bt__blake2b_update(bt__blake2b *s, const void *data, size_t n)
{
    const uint8_t *in = data;
    if (n == 0)
        return;
    /* The last block is kept back: the final one is compressed with f0 set. */
    size_t fill = BT__BLAKE2B_BLOCK - s->buflen;
    if (n > fill) {
        memcpy(s->buf + s->buflen, in, fill);
        count_b(s, BT__BLAKE2B_BLOCK);
        compress_b(s, s->buf);
        s->buflen = 0;
        in += fill;
        n -= fill;
        while (n > BT__BLAKE2B_BLOCK) {
            count_b(s, BT__BLAKE2B_BLOCK);
            compress_b(s, in);
            in += BT__BLAKE2B_BLOCK;
            n -= BT__BLAKE2B_BLOCK;
        }
    }
    memcpy(s->buf + s->buflen, in, n);
    s->buflen += n;
}

void bt__blake2b_digest(const bt__blake2b *state, uint8_t *out)
{
    bt__blake2b s = *state;
    uint8_t full[64];
    count_b(&s, s.buflen);
    s.f[0] = ~(uint64_t)0;
    if (s.last_node)
        s.f[1] = ~(uint64_t)0;
    memset(s.buf + s.buflen, 0, BT__BLAKE2B_BLOCK - s.buflen);
    compress_b(&s, s.buf);
    for (int i = 0; i < 8; i++)
        put_le(full + 8 * i, s.h[i], 8);
    memcpy(out, full, s.outlen);
    OPENSSL_cleanse(&s, sizeof s);
}

/* ------------------------------------------------------------------------ */
/* BLAKE2s                                                                   */
/* ------------------------------------------------------------------------ */

#define G32(a, b, c, d, x, y)                                                  \
    do {                                                                       \
        a = a + b + (x);                                                       \
        d = rotr32(d ^ a, 16);                                                 \
        c = c + d;                                                             \
        b = rotr32(b ^ c, 12);                                                 \
        a = a + b + (y);                                                       \
        d = rotr32(d ^ a, 8);                                                  \
        c = c + d;                                                             \
        b = rotr32(b ^ c, 7);                                                  \
    } while (0)

static void compress_s(bt__blake2s *s, const uint8_t *block)
{
    uint32_t m[16], v[16];
    for (int i = 0; i < 16; i++)
        m[i] = le32(block + 4 * i);
    for (int i = 0; i < 8; i++) {
        v[i] = s->h[i];
        v[i + 8] = iv32[i];
    }
    v[12] ^= s->t[0];
    v[13] ^= s->t[1];
    v[14] ^= s->f[0];
    v[15] ^= s->f[1];
#define ROUND32(r)                                                             \
    do {                                                                       \
        G32(v[0], v[4], v[8], v[12], m[sigma[r][0]], m[sigma[r][1]]);          \
        G32(v[1], v[5], v[9], v[13], m[sigma[r][2]], m[sigma[r][3]]);          \
        G32(v[2], v[6], v[10], v[14], m[sigma[r][4]], m[sigma[r][5]]);         \
        G32(v[3], v[7], v[11], v[15], m[sigma[r][6]], m[sigma[r][7]]);         \
        G32(v[0], v[5], v[10], v[15], m[sigma[r][8]], m[sigma[r][9]]);         \
        G32(v[1], v[6], v[11], v[12], m[sigma[r][10]], m[sigma[r][11]]);       \
        G32(v[2], v[7], v[8], v[13], m[sigma[r][12]], m[sigma[r][13]]);        \
        G32(v[3], v[4], v[9], v[14], m[sigma[r][14]], m[sigma[r][15]]);        \
    } while (0)
    ROUND32(0);
    ROUND32(1);
    ROUND32(2);
    ROUND32(3);
    ROUND32(4);
    ROUND32(5);
    ROUND32(6);
    ROUND32(7);
    ROUND32(8);
    ROUND32(9);
#undef ROUND32
    for (int i = 0; i < 8; i++)
        s->h[i] ^= v[i] ^ v[i + 8];
}

static inline void count_s(bt__blake2s *s, uint32_t n)
{
    s->t[0] += n;
    s->t[1] += (s->t[0] < n);
}

void bt__blake2s_init(bt__blake2s *s, const bt_hashlib_blake2_params *p)
{
    /* The 32-byte parameter block: node_offset is 48 bits here. */
    uint8_t pb[32] = {0};
    pb[0] = (uint8_t)p->digest_size;
    pb[1] = (uint8_t)p->key_len;
    pb[2] = (uint8_t)p->fanout;
    pb[3] = (uint8_t)p->depth;
    put_le(pb + 4, p->leaf_size, 4);
    put_le(pb + 8, p->node_offset, 6);
    pb[14] = (uint8_t)p->node_depth;
    pb[15] = (uint8_t)p->inner_size;
    if (p->salt_len)
        memcpy(pb + 16, p->salt, p->salt_len);
    if (p->person_len)
        memcpy(pb + 24, p->person, p->person_len);
    for (int i = 0; i < 8; i++)
        s->h[i] = iv32[i] ^ le32(pb + 4 * i);
    s->t[0] = s->t[1] = s->f[0] = s->f[1] = 0;
    s->buflen = 0;
    s->outlen = (uint8_t)p->digest_size;
    s->last_node = p->last_node;
    if (p->key_len) {
        uint8_t block[BT__BLAKE2S_BLOCK] = {0};
        memcpy(block, p->key, p->key_len);
        bt__blake2s_update(s, block, sizeof block);
        OPENSSL_cleanse(block, sizeof block);
    }
}

void bt__blake2s_update(bt__blake2s *s, const void *data, size_t n)
{
    const uint8_t *in = data;
    if (n == 0)
        return;
    size_t fill = BT__BLAKE2S_BLOCK - s->buflen;
    if (n > fill) {
        memcpy(s->buf + s->buflen, in, fill);
        count_s(s, BT__BLAKE2S_BLOCK);
        compress_s(s, s->buf);
        s->buflen = 0;
        in += fill;
        n -= fill;
        while (n > BT__BLAKE2S_BLOCK) {
            count_s(s, BT__BLAKE2S_BLOCK);
            compress_s(s, in);
            in += BT__BLAKE2S_BLOCK;
            n -= BT__BLAKE2S_BLOCK;
        }
    }
    memcpy(s->buf + s->buflen, in, n);
    s->buflen += n;
}

void bt__blake2s_digest(const bt__blake2s *state, uint8_t *out)
{
    bt__blake2s s = *state;
    uint8_t full[32];
    count_s(&s, (uint32_t)s.buflen);
    s.f[0] = ~(uint32_t)0;
    if (s.last_node)
        s.f[1] = ~(uint32_t)0;
    memset(s.buf + s.buflen, 0, BT__BLAKE2S_BLOCK - s.buflen);
    compress_s(&s, s.buf);
    for (int i = 0; i < 8; i++)
        put_le(full + 4 * i, s.h[i], 4);
    memcpy(out, full, s.outlen);
    OPENSSL_cleanse(&s, sizeof s);
}
