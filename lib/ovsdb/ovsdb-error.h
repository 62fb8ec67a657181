/* OVSDB errors: a tag from RFC 7047's list plus optional details.
 *
 * Every fallible function of the OVSDB data model returns a
 * "struct ovsdb_error *": NULL means success, otherwise the caller owns the
 * error and must hand it on or ovsdb_error_destroy() it.  Such functions are
 * marked VS_WARN_UNUSED_RESULT.
 *
 * The tag is the machine-readable error string that goes in a transaction
 * result's "error" member.  Tags used by this code base (RFC 7047 section
 * 4.1.3 and ovsdb-server(7)):
 *
 *     "syntax error"            JSON of the wrong shape, unknown function,
 *                               type mismatch between a value and a column
 *     "unknown column", "unknown table"  (syntax-class errors with a
 *                               specific tag, as Open vSwitch uses them)
 *     "constraint violation"    value outside enum/min/max/length, set size
 *                               outside [min, max], duplicate set elements
 *                               or map keys, writing an immutable column
 *     "domain error"            division or modulo by zero in a mutation
 *     "range error"             arithmetic result out of the type's range
 *     "referential integrity violation", "resources exhausted",
 *     "not owner", "timed out", "not supported", "unknown database",
 *     "duplicate uuid-name", "aborted", "I/O error", "internal error" ...
 *                               (used by the server)
 *
 * The JSON form (ovsdb_error_to_json()) is the RFC 7047 error object:
 *
 *     {"error": TAG, "details": DETAILS}
 *
 * with "details" omitted when there are none, and, for syntax errors made
 * by ovsdb_syntax_error() with a JSON argument, a "syntax" member holding
 * the offending JSON text (as Open vSwitch does).  "io-error" holds the
 * strerror() text of errors from ovsdb_io_error(). */
#ifndef OVSDB_ERROR_H
#define OVSDB_ERROR_H 1

#include <jansson.h>
#include <stdarg.h>
#include "compiler.h"

/* The fields are public for reading; build errors with the functions. */
struct ovsdb_error {
    const char *tag;    /* Static string, e.g. "syntax error"; never NULL. */
    char *details;      /* Human-readable explanation, or NULL. */
    char *syntax;       /* Compact JSON text of the offending input, or
                         * NULL. */
    int errno_;         /* Positive errno for I/O errors, else 0. */
};

/* Returns a new error with TAG (a string literal or other string that
 * outlives the error) and DETAILS formatted printf-style (DETAILS may be
 * NULL for no details). */
struct ovsdb_error *ovsdb_error(const char *tag, const char *details, ...)
    VS_PRINTF_FORMAT(2, 3) VS_WARN_UNUSED_RESULT;
struct ovsdb_error *ovsdb_error_valist(const char *tag, const char *details,
                                       va_list)
    VS_PRINTF_FORMAT(2, 0) VS_WARN_UNUSED_RESULT;

/* Returns an "I/O error" with ERRNO_ (positive errno, or EOF for an
 * unexpected end of file) and formatted DETAILS. */
struct ovsdb_error *ovsdb_io_error(int errno_, const char *details, ...)
    VS_PRINTF_FORMAT(2, 3) VS_WARN_UNUSED_RESULT;

/* Returns an error about JSON (which may be NULL; it is only serialized,
 * not retained), tagged TAG or "syntax error" if TAG is NULL. */
struct ovsdb_error *ovsdb_syntax_error(const json_t *json, const char *tag,
                                       const char *details, ...)
    VS_PRINTF_FORMAT(3, 4) VS_WARN_UNUSED_RESULT;

/* Prefixes ERROR's details with the formatted text and ": " (or sets the
 * details to the text if there were none) and returns ERROR.  Used to add
 * context: ovsdb_wrap_error(e, "table %s column %s", t, c). */
struct ovsdb_error *ovsdb_wrap_error(struct ovsdb_error *error,
                                     const char *details, ...)
    VS_PRINTF_FORMAT(2, 3) VS_WARN_UNUSED_RESULT;

/* Returns an "internal error" naming the source location; for "can't
 * happen" paths that should fail a transaction rather than the process. */
#define OVSDB_BUG(MSG) \
    ovsdb_error("internal error", "%s: %s", __FILE__ ":" \
                VS_INTERNAL_STRINGIZE(__LINE__), MSG)
#define VS_INTERNAL_STRINGIZE(X) VS_INTERNAL_STRINGIZE2(X)
#define VS_INTERNAL_STRINGIZE2(X) #X

/* Frees ERROR (NULL is a no-op). */
void ovsdb_error_destroy(struct ovsdb_error *);
/* Returns a deep copy of ERROR (NULL for NULL). */
struct ovsdb_error *ovsdb_error_clone(const struct ovsdb_error *)
    VS_WARN_UNUSED_RESULT;

/* Accessors.  get_details() returns NULL if there are no details. */
const char *ovsdb_error_get_tag(const struct ovsdb_error *);
const char *ovsdb_error_get_details(const struct ovsdb_error *);

/* Returns the RFC 7047 error object (a new reference).
 * The _free variant also destroys ERROR. */
json_t *ovsdb_error_to_json(const struct ovsdb_error *);
json_t *ovsdb_error_to_json_free(struct ovsdb_error *);

/* Returns "TAG: DETAILS" (or "TAG" without details), preceded by
 * "syntax \"SYNTAX\": " when there is offending syntax, in a new string the
 * caller frees.  The _free variant also destroys ERROR. */
char *ovsdb_error_to_string(const struct ovsdb_error *);
char *ovsdb_error_to_string_free(struct ovsdb_error *);

#endif /* ovsdb-error.h */
