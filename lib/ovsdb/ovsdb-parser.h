/* Helper for parsing JSON objects with a fixed set of members, reporting
 * the first problem as an ovsdb_error.  Used by the schema parser, and by
 * the server for transaction operations:
 *
 *     struct ovsdb_parser p;
 *     ovsdb_parser_init(&p, json, "insert operation");
 *     const json_t *table = ovsdb_parser_member(&p, "table", OP_ID);
 *     const json_t *row = ovsdb_parser_member(&p, "row",
 *                                             OP_OBJECT | OP_OPTIONAL);
 *     struct ovsdb_error *error = ovsdb_parser_finish(&p);
 *     if (error) { ...; return error; }
 *     ...use table and row...
 *
 * After the first error, ovsdb_parser_member() returns NULL for every call;
 * ovsdb_parser_finish() returns that first error, or, if there was none, a
 * "syntax error" for a member the caller never asked for (e.g.
 * "insert operation has unknown member \"rows\""), or NULL.  The parser
 * borrows JSON; returned members are borrowed references valid while JSON
 * is. */
#ifndef OVSDB_PARSER_H
#define OVSDB_PARSER_H 1

#include <jansson.h>
#include <stdbool.h>
#include "compiler.h"
#include "shash.h"

struct ovsdb_error;

enum ovsdb_parser_types {
    OP_NULL = 1 << 0,           /* null */
    OP_FALSE = 1 << 1,          /* false */
    OP_TRUE = 1 << 2,           /* true */
    OP_BOOLEAN = OP_FALSE | OP_TRUE,
    OP_INTEGER = 1 << 3,        /* integer */
    OP_NONINTEGER = 1 << 4,     /* real */
    OP_NUMBER = OP_INTEGER | OP_NONINTEGER,
    OP_STRING = 1 << 5,         /* any string */
    OP_ARRAY = 1 << 6,
    OP_OBJECT = 1 << 7,
    OP_ID = 1 << 8,             /* string that is a valid <id> */
    OP_OPTIONAL = 1 << 9,       /* member may be absent (then NULL) */
    OP_ANY = (OP_NULL | OP_BOOLEAN | OP_NUMBER | OP_STRING | OP_ARRAY
              | OP_OBJECT)      /* any JSON value */
};

struct ovsdb_parser {
    char *name;                 /* For messages, e.g. "table Bridge". */
    struct shash used;          /* Member names asked for so far. */
    const json_t *json;         /* The object being parsed. */
    struct ovsdb_error *error;  /* First error, or NULL. */
};

/* Starts parsing JSON, described as the printf-formatted NAME in messages.
 * If JSON is not an object, records a "syntax error". */
void ovsdb_parser_init(struct ovsdb_parser *, const json_t *,
                       const char *name, ...) VS_PRINTF_FORMAT(3, 4);
/* Returns member NAME if it has one of TYPES, else records a "syntax
 * error" ("NAME is missing", "NAME has wrong type", "NAME is not a valid
 * id") and returns NULL.  OP_OPTIONAL: a missing member yields NULL
 * without error. */
const json_t *ovsdb_parser_member(struct ovsdb_parser *, const char *name,
                                  enum ovsdb_parser_types types);
/* Records ERROR (taking ownership) unless an error is already recorded. */
void ovsdb_parser_put_error(struct ovsdb_parser *, struct ovsdb_error *);
/* Records a "syntax error" with formatted details. */
void ovsdb_parser_raise_error(struct ovsdb_parser *, const char *format, ...)
    VS_PRINTF_FORMAT(2, 3);
bool ovsdb_parser_has_error(const struct ovsdb_parser *);
/* Checks for unknown members, frees the parser's memory, and returns the
 * first error or NULL (see top). */
struct ovsdb_error *ovsdb_parser_finish(struct ovsdb_parser *)
    VS_WARN_UNUSED_RESULT;
/* Frees the parser's memory and any recorded error. */
void ovsdb_parser_destroy(struct ovsdb_parser *);

#endif /* ovsdb-parser.h */
