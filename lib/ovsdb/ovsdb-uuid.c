/* UUIDs for OVSDB, on libuuid. */
#include <config.h>
#include "ovsdb-uuid.h"

#include <stdio.h>
#include <string.h>
#include <uuid/uuid.h>
#include "hash.h"
#include "util.h"

void
uuid_zero(struct uuid *uuid)
{
    memset(uuid, 0, sizeof *uuid);
}

bool
uuid_is_zero(const struct uuid *uuid)
{
    return !(uuid->parts[0] | uuid->parts[1] | uuid->parts[2]
             | uuid->parts[3]);
}

void
uuid_from_bytes(struct uuid *uuid, const unsigned char b[16])
{
    for (int i = 0; i < 4; i++) {
        const unsigned char *p = &b[i * 4];
        uuid->parts[i] = ((uint32_t) p[0] << 24) | ((uint32_t) p[1] << 16)
                         | ((uint32_t) p[2] << 8) | p[3];
    }
}

void
uuid_to_bytes(const struct uuid *uuid, unsigned char b[16])
{
    for (int i = 0; i < 4; i++) {
        uint32_t x = uuid->parts[i];
        b[i * 4] = x >> 24;
        b[i * 4 + 1] = x >> 16;
        b[i * 4 + 2] = x >> 8;
        b[i * 4 + 3] = x;
    }
}

void
uuid_random(struct uuid *uuid)
{
    uuid_t u;

    uuid_generate_random(u);
    uuid_from_bytes(uuid, u);
}

bool
uuid_equals(const struct uuid *a, const struct uuid *b)
{
    return (a->parts[0] == b->parts[0] && a->parts[1] == b->parts[1]
            && a->parts[2] == b->parts[2] && a->parts[3] == b->parts[3]);
}

int
uuid_compare_3way(const struct uuid *a, const struct uuid *b)
{
    for (int i = 0; i < 4; i++) {
        if (a->parts[i] != b->parts[i]) {
            return a->parts[i] < b->parts[i] ? -1 : 1;
        }
    }
    return 0;
}

uint32_t
uuid_hash(const struct uuid *uuid)
{
    /* Random UUIDs are already well mixed, but a parsed one need not be. */
    return hash_bytes(uuid->parts, sizeof uuid->parts, 0);
}

static int
hexit_value(int c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    } else if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

bool
uuid_from_string_prefix(struct uuid *uuid, const char *s, size_t *n)
{
    /* Positions of the dashes in xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx. */
    unsigned char bytes[16];
    int nbytes = 0;
    size_t i = 0;

    while (i < UUID_LEN) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (s[i] != '-') {
                goto error;
            }
            i++;
            continue;
        }
        int hi = hexit_value((unsigned char) s[i]);
        int lo = hi < 0 ? -1 : hexit_value((unsigned char) s[i + 1]);
        if (lo < 0) {
            goto error;
        }
        bytes[nbytes++] = hi * 16 + lo;
        i += 2;
    }
    uuid_from_bytes(uuid, bytes);
    if (n) {
        *n = UUID_LEN;
    }
    return true;

error:
    uuid_zero(uuid);
    return false;
}

bool
uuid_from_string(struct uuid *uuid, const char *s)
{
    if (!uuid_from_string_prefix(uuid, s, NULL) || s[UUID_LEN] != '\0') {
        uuid_zero(uuid);
        return false;
    }
    return true;
}

bool
uuid_is_valid_string(const char *s)
{
    struct uuid u;
    return uuid_from_string(&u, s);
}

void
uuid_format(const struct uuid *uuid, char buf[UUID_LEN + 1])
{
    snprintf(buf, UUID_LEN + 1, UUID_FMT, UUID_ARGS(uuid));
}

char *
uuid_to_string(const struct uuid *uuid)
{
    char *s = xmalloc(UUID_LEN + 1);
    uuid_format(uuid, s);
    return s;
}
