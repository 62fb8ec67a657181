/* A growable string buffer, always NUL-terminated once used. */
#ifndef DYNAMIC_STRING_H
#define DYNAMIC_STRING_H 1

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include "compiler.h"

struct ds {
    char *string;       /* Null-terminated string, or NULL if unused. */
    size_t length;      /* Bytes used, not including the terminator. */
    size_t allocated;   /* Allocated bytes minus one for the terminator. */
};

#define DS_EMPTY_INITIALIZER { NULL, 0, 0 }

void ds_init(struct ds *);
void ds_clear(struct ds *);
void ds_truncate(struct ds *, size_t new_length);
void ds_reserve(struct ds *, size_t min_length);
/* Makes room for N more bytes and returns a pointer to them; the caller
 * fills them in.  Length grows by N. */
char *ds_put_uninit(struct ds *, size_t n);
void ds_put_char(struct ds *, char);
void ds_put_char_multiple(struct ds *, char, size_t n);
void ds_put_buffer(struct ds *, const char *, size_t n);
void ds_put_cstr(struct ds *, const char *);
void ds_put_format(struct ds *, const char *, ...) VS_PRINTF_FORMAT(2, 3);
void ds_put_format_valist(struct ds *, const char *, va_list)
    VS_PRINTF_FORMAT(2, 0);
/* Appends strftime(TEMPLATE) of WHEN (milliseconds since the epoch); "%.###"
 * in TEMPLATE expands to the milliseconds. UTC if UTC is true. */
void ds_put_strftime_msec(struct ds *, const char *template,
                          long long int when, int utc);
/* Reads a line from FILE, without the newline.  Returns 0 or EOF. */
int ds_get_line(struct ds *, FILE *);

/* Returns the string, never NULL (an empty ds yields ""). */
char *ds_cstr(struct ds *);
const char *ds_cstr_ro(const struct ds *);
/* Returns the string and reinitializes DS; the caller frees it. */
char *ds_steal_cstr(struct ds *);
void ds_destroy(struct ds *);
void ds_chomp(struct ds *, int c);
int ds_last(const struct ds *);

#endif /* dynamic-string.h */
