/* Growable strings: see dynamic-string.h. */
#include <config.h>
#include "dynamic-string.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "util.h"

void
ds_init(struct ds *ds)
{
    ds->string = NULL;
    ds->length = 0;
    ds->allocated = 0;
}

void
ds_clear(struct ds *ds)
{
    ds->length = 0;
    if (ds->string) {
        ds->string[0] = '\0';
    }
}

void
ds_truncate(struct ds *ds, size_t new_length)
{
    if (ds->length > new_length) {
        ds->length = new_length;
        ds->string[new_length] = '\0';
    }
}

void
ds_reserve(struct ds *ds, size_t min_length)
{
    if (min_length > ds->allocated || !ds->string) {
        ds->allocated += MAX(min_length, ds->allocated);
        ds->allocated = MAX(8, ds->allocated);
        ds->string = xrealloc(ds->string, ds->allocated + 1);
    }
}

char *
ds_put_uninit(struct ds *ds, size_t n)
{
    ds_reserve(ds, ds->length + n);
    ds->length += n;
    ds->string[ds->length] = '\0';
    return &ds->string[ds->length - n];
}

void
ds_put_char(struct ds *ds, char c)
{
    *ds_put_uninit(ds, 1) = c;
}

void
ds_put_char_multiple(struct ds *ds, char c, size_t n)
{
    memset(ds_put_uninit(ds, n), c, n);
}

void
ds_put_buffer(struct ds *ds, const char *s, size_t n)
{
    memcpy(ds_put_uninit(ds, n), s, n);
}

void
ds_put_cstr(struct ds *ds, const char *s)
{
    ds_put_buffer(ds, s, strlen(s));
}

void
ds_put_format(struct ds *ds, const char *format, ...)
{
    va_list args;

    va_start(args, format);
    ds_put_format_valist(ds, format, args);
    va_end(args);
}

void
ds_put_format_valist(struct ds *ds, const char *format, va_list args_)
{
    va_list args;
    size_t available;
    int needed;

    ds_reserve(ds, ds->length + 64);
    available = ds->allocated - ds->length + 1;
    va_copy(args, args_);
    needed = vsnprintf(&ds->string[ds->length], available, format, args);
    va_end(args);

    if (needed < 0) {
        ds->string[ds->length] = '\0';
    } else if ((size_t) needed < available) {
        ds->length += needed;
    } else {
        ds_reserve(ds, ds->length + needed);
        va_copy(args, args_);
        vsnprintf(&ds->string[ds->length], needed + 1, format, args);
        va_end(args);
        ds->length += needed;
    }
}

void
ds_put_strftime_msec(struct ds *ds, const char *template,
                     long long int when, int utc)
{
    time_t secs = when / 1000;
    struct tm tm;
    char buf[128];
    char msec[8];
    struct ds tmpl = DS_EMPTY_INITIALIZER;

    if (utc) {
        gmtime_r(&secs, &tm);
    } else {
        localtime_r(&secs, &tm);
    }
    /* Expand "%.###" to the milliseconds before calling strftime(). */
    snprintf(msec, sizeof msec, "%03lld", when % 1000);
    for (const char *p = template; *p; p++) {
        if (!strncmp(p, "%.###", 5)) {
            ds_put_format(&tmpl, ".%s", msec);
            p += 4;
        } else {
            ds_put_char(&tmpl, *p);
        }
    }
    if (strftime(buf, sizeof buf, ds_cstr(&tmpl), &tm)) {
        ds_put_cstr(ds, buf);
    }
    ds_destroy(&tmpl);
}

int
ds_get_line(struct ds *ds, FILE *file)
{
    ds_clear(ds);
    for (;;) {
        int c = getc(file);
        if (c == EOF) {
            return ds->length ? 0 : EOF;
        } else if (c == '\n') {
            return 0;
        }
        ds_put_char(ds, c);
    }
}

char *
ds_cstr(struct ds *ds)
{
    if (!ds->string) {
        ds_reserve(ds, 0);
    }
    ds->string[ds->length] = '\0';
    return ds->string;
}

const char *
ds_cstr_ro(const struct ds *ds)
{
    return ds->string ? ds->string : "";
}

char *
ds_steal_cstr(struct ds *ds)
{
    char *s = ds_cstr(ds);
    ds_init(ds);
    return s;
}

void
ds_destroy(struct ds *ds)
{
    free(ds->string);
    ds_init(ds);
}

void
ds_chomp(struct ds *ds, int c)
{
    if (ds->length > 0 && ds->string[ds->length - 1] == (char) c) {
        ds->string[--ds->length] = '\0';
    }
}

int
ds_last(const struct ds *ds)
{
    return ds->length ? (unsigned char) ds->string[ds->length - 1] : EOF;
}
