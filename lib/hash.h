/* Non-cryptographic hash functions for in-memory tables. */
#ifndef HASH_H
#define HASH_H 1

#include <stddef.h>
#include <stdint.h>

/* Hashes N bytes at P with BASIS. */
uint32_t hash_bytes(const void *p, size_t n, uint32_t basis);
/* Hashes the NUL-terminated string S with BASIS. */
uint32_t hash_string(const char *s, uint32_t basis);
/* Hashes a 32-bit or 64-bit integer with BASIS. */
uint32_t hash_int(uint32_t x, uint32_t basis);
uint32_t hash_uint64(uint64_t x, uint32_t basis);
/* Mixes B into A. */
uint32_t hash_add(uint32_t a, uint32_t b);

#endif /* hash.h */
