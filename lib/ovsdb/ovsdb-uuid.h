/* UUIDs as OVSDB uses them (RFC 7047 <uuid>), generated through libuuid.
 *
 * A struct uuid holds the 128 bits as four 32-bit words in host byte order:
 * parts[0] is the first 8 hex digits of the text form, parts[1] the next
 * "xxxx-xxxx", parts[2] "xxxx-xxxx", parts[3] the last 8 digits.  So
 * uuid_compare_3way() orders UUIDs exactly as their text forms sort, and
 * UUID_FMT/UUID_ARGS print them without a conversion buffer:
 *
 *     printf("row " UUID_FMT "\n", UUID_ARGS(&uuid));
 *
 * Names avoid libuuid's own (uuid_compare, uuid_parse, uuid_generate, ...),
 * so <uuid/uuid.h> may be included alongside this header. */
#ifndef OVSDB_UUID_H
#define OVSDB_UUID_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct uuid {
    uint32_t parts[4];
};

/* Length of the text form, without the terminating NUL. */
#define UUID_LEN 36

#define UUID_FMT "%08x-%04x-%04x-%04x-%04x%08x"
#define UUID_ARGS(UUID)                             \
    ((unsigned int) ((UUID)->parts[0])),            \
    ((unsigned int) ((UUID)->parts[1] >> 16)),      \
    ((unsigned int) ((UUID)->parts[1] & 0xffff)),   \
    ((unsigned int) ((UUID)->parts[2] >> 16)),      \
    ((unsigned int) ((UUID)->parts[2] & 0xffff)),   \
    ((unsigned int) ((UUID)->parts[3]))

/* Sets UUID to all-zeros. */
void uuid_zero(struct uuid *);
/* Returns true if UUID is all-zeros. */
bool uuid_is_zero(const struct uuid *);

/* Stores a new random (version 4) UUID in UUID, from libuuid. */
void uuid_random(struct uuid *);

/* Equality, total order consistent with the text form, and a hash. */
bool uuid_equals(const struct uuid *, const struct uuid *);
int uuid_compare_3way(const struct uuid *, const struct uuid *);
uint32_t uuid_hash(const struct uuid *);

/* Parses S, which must be exactly the 36-character form
 * xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx (hex digits in either case, nothing
 * before or after).  Returns true and stores it in UUID, or returns false
 * and zeroes UUID. */
bool uuid_from_string(struct uuid *, const char *s);
/* Like uuid_from_string() but S need only begin with a UUID; on success
 * stores in *N the number of characters consumed (UUID_LEN). */
bool uuid_from_string_prefix(struct uuid *, const char *s, size_t *n);
/* Returns true if S is a valid UUID text form. */
bool uuid_is_valid_string(const char *s);

/* Writes the lowercase text form of UUID and a NUL into BUF. */
void uuid_format(const struct uuid *, char buf[UUID_LEN + 1]);
/* Returns the text form in a new string that the caller frees. */
char *uuid_to_string(const struct uuid *);

/* Conversion to and from libuuid's 16-byte big-endian uuid_t layout. */
void uuid_from_bytes(struct uuid *, const unsigned char bytes[16]);
void uuid_to_bytes(const struct uuid *, unsigned char bytes[16]);

#endif /* ovsdb-uuid.h */
