/* Hash functions: a 32-bit murmur3-style mix.  See hash.h. */
#include <config.h>
#include "hash.h"

#include <string.h>

static inline uint32_t
rotl32(uint32_t x, int k)
{
    return (x << k) | (x >> (32 - k));
}

static inline uint32_t
mhash_add(uint32_t hash, uint32_t data)
{
    data *= 0xcc9e2d51;
    data = rotl32(data, 15);
    data *= 0x1b873593;
    hash ^= data;
    hash = rotl32(hash, 13);
    return hash * 5 + 0xe6546b64;
}

static inline uint32_t
mhash_finish(uint32_t hash)
{
    hash ^= hash >> 16;
    hash *= 0x85ebca6b;
    hash ^= hash >> 13;
    hash *= 0xc2b2ae35;
    hash ^= hash >> 16;
    return hash;
}

uint32_t
hash_add(uint32_t a, uint32_t b)
{
    return mhash_add(a, b);
}

uint32_t
hash_bytes(const void *p_, size_t n, uint32_t basis)
{
    const unsigned char *p = p_;
    uint32_t hash = basis;
    size_t i;

    for (i = 0; i + 4 <= n; i += 4) {
        uint32_t word;
        memcpy(&word, p + i, 4);
        hash = mhash_add(hash, word);
    }
    if (i < n) {
        uint32_t word = 0;
        memcpy(&word, p + i, n - i);
        hash = mhash_add(hash, word);
    }
    return mhash_finish(hash ^ (uint32_t) n);
}

uint32_t
hash_string(const char *s, uint32_t basis)
{
    return hash_bytes(s, strlen(s), basis);
}

uint32_t
hash_int(uint32_t x, uint32_t basis)
{
    return mhash_finish(mhash_add(basis, x) ^ 4);
}

uint32_t
hash_uint64(uint64_t x, uint32_t basis)
{
    uint32_t hash = mhash_add(basis, (uint32_t) x);
    return mhash_finish(mhash_add(hash, (uint32_t) (x >> 32)) ^ 8);
}
