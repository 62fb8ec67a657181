/* OVSDB errors. */
#include <config.h>
#include "ovsdb-error.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dynamic-string.h"
#include "util.h"

static struct ovsdb_error *
ovsdb_error_alloc(const char *tag, char *details)
{
    struct ovsdb_error *error = xzalloc(sizeof *error);
    error->tag = tag ? tag : "ovsdb error";
    error->details = details;
    return error;
}

struct ovsdb_error *
ovsdb_error_valist(const char *tag, const char *details, va_list args)
{
    return ovsdb_error_alloc(tag, details ? xvasprintf(details, args) : NULL);
}

struct ovsdb_error *
ovsdb_error(const char *tag, const char *details, ...)
{
    struct ovsdb_error *error;
    va_list args;

    va_start(args, details);
    error = ovsdb_error_valist(tag, details, args);
    va_end(args);
    return error;
}

struct ovsdb_error *
ovsdb_io_error(int errno_, const char *details, ...)
{
    struct ovsdb_error *error;
    va_list args;

    va_start(args, details);
    error = ovsdb_error_valist("I/O error", details, args);
    va_end(args);
    error->errno_ = errno_;
    return error;
}

struct ovsdb_error *
ovsdb_syntax_error(const json_t *json, const char *tag,
                   const char *details, ...)
{
    struct ovsdb_error *error;
    va_list args;

    va_start(args, details);
    error = ovsdb_error_valist(tag ? tag : "syntax error", details, args);
    va_end(args);
    if (json) {
        error->syntax = json_dumps(json, JSON_COMPACT | JSON_ENCODE_ANY
                                         | JSON_PRESERVE_ORDER);
    }
    return error;
}

struct ovsdb_error *
ovsdb_wrap_error(struct ovsdb_error *error, const char *details, ...)
{
    va_list args;
    char *prefix;

    va_start(args, details);
    prefix = xvasprintf(details, args);
    va_end(args);

    if (error->details) {
        char *s = xasprintf("%s: %s", prefix, error->details);
        free(prefix);
        free(error->details);
        error->details = s;
    } else {
        error->details = prefix;
    }
    return error;
}

void
ovsdb_error_destroy(struct ovsdb_error *error)
{
    if (error) {
        free(error->details);
        free(error->syntax);
        free(error);
    }
}

struct ovsdb_error *
ovsdb_error_clone(const struct ovsdb_error *old)
{
    if (!old) {
        return NULL;
    }
    struct ovsdb_error *new = xzalloc(sizeof *new);
    new->tag = old->tag;
    new->details = old->details ? xstrdup(old->details) : NULL;
    new->syntax = old->syntax ? xstrdup(old->syntax) : NULL;
    new->errno_ = old->errno_;
    return new;
}

const char *
ovsdb_error_get_tag(const struct ovsdb_error *error)
{
    return error->tag;
}

const char *
ovsdb_error_get_details(const struct ovsdb_error *error)
{
    return error->details;
}

static const char *
ovsdb_error_errno_string(int errno_)
{
    return errno_ == EOF ? "unexpected end of file" : vs_strerror(errno_);
}

json_t *
ovsdb_error_to_json(const struct ovsdb_error *error)
{
    json_t *json = json_object();

    json_object_set_new(json, "error", json_string(error->tag));
    if (error->details) {
        json_object_set_new(json, "details", json_string(error->details));
    }
    if (error->syntax) {
        json_object_set_new(json, "syntax", json_string(error->syntax));
    }
    if (error->errno_) {
        json_object_set_new(json, "io-error",
                            json_string(ovsdb_error_errno_string(
                                            error->errno_)));
    }
    return json;
}

json_t *
ovsdb_error_to_json_free(struct ovsdb_error *error)
{
    json_t *json = ovsdb_error_to_json(error);
    ovsdb_error_destroy(error);
    return json;
}

char *
ovsdb_error_to_string(const struct ovsdb_error *error)
{
    struct ds ds = DS_EMPTY_INITIALIZER;

    if (error->syntax) {
        ds_put_format(&ds, "syntax \"%s\": ", error->syntax);
    }
    ds_put_cstr(&ds, error->tag);
    if (error->details) {
        ds_put_format(&ds, ": %s", error->details);
    }
    if (error->errno_) {
        ds_put_format(&ds, " (%s)", ovsdb_error_errno_string(error->errno_));
    }
    return ds_steal_cstr(&ds);
}

char *
ovsdb_error_to_string_free(struct ovsdb_error *error)
{
    char *s = ovsdb_error_to_string(error);
    ovsdb_error_destroy(error);
    return s;
}
