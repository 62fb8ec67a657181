/* OVSDB schemas (RFC 7047 section 3.2): database, table and column
 * schemas, column sets, and the schema checker.
 *
 * Column numbering: every table has the implicit columns "_uuid"
 * (index OVSDB_COL_UUID == 0) and "_version" (OVSDB_COL_VERSION == 1), both
 * of type uuid and immutable.  The schema's own columns follow with indexes
 * 2, 3, ... in ascending order of their names, so the numbering depends
 * only on the set of names.  Rows (ovsdb-row.h) store one datum per column
 * at that index.
 *
 * Root tables: as in Open vSwitch, if no table in a database schema says
 * "isRoot": true, every table is a root table (backward compatibility with
 * schemas older than the "isRoot" member).  ovsdb_schema_from_json() sets
 * is_root accordingly; ovsdb_schema_to_json() writes back what the input
 * said.
 *
 * Every object hangs off its schema: tables are owned by
 * struct ovsdb_schema, columns by their table.  Pointers into a schema
 * (tables, columns, base_type.u.uuid.ref_table) stay valid until
 * ovsdb_schema_destroy(). */
#ifndef OVSDB_SCHEMA_H
#define OVSDB_SCHEMA_H 1

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include "compiler.h"
#include "ovsdb-types.h"
#include "shash.h"

struct ds;

enum {
    OVSDB_COL_UUID = 0,         /* "_uuid" */
    OVSDB_COL_VERSION = 1,      /* "_version" */
    OVSDB_N_STD_COLUMNS = 2
};

struct ovsdb_column {
    unsigned int index;         /* Position in the table's columns. */
    char *name;
    bool mutable_;              /* "mutable" (true unless said false). */
    bool ephemeral;             /* "ephemeral": not written to disk. */
    struct ovsdb_type type;
};

/* Returns a new column (for building schemas by hand; the schema parser
 * uses it too).  Takes a copy of NAME and TYPE.  INDEX is set when it is
 * added to a table. */
struct ovsdb_column *ovsdb_column_create(const char *name, bool mutable_,
                                         bool ephemeral,
                                         const struct ovsdb_type *);
void ovsdb_column_destroy(struct ovsdb_column *);
/* Parses RFC 7047 <column-schema> {"type": ..., "ephemeral": bool,
 * "mutable": bool} for the column NAME.  Errors name the column:
 * "column \"ports\": ...". */
struct ovsdb_error *ovsdb_column_from_json(const json_t *, const char *name,
                                           struct ovsdb_column **)
    VS_WARN_UNUSED_RESULT;
json_t *ovsdb_column_to_json(const struct ovsdb_column *);

/* An ordered set of columns of one table (used for indexes, "columns"
 * members of select/monitor requests, and row comparisons). */
struct ovsdb_column_set {
    const struct ovsdb_column **columns;
    size_t n, allocated;
};

#define OVSDB_COLUMN_SET_INITIALIZER { NULL, 0, 0 }

void ovsdb_column_set_init(struct ovsdb_column_set *);
void ovsdb_column_set_destroy(struct ovsdb_column_set *);
void ovsdb_column_set_clone(struct ovsdb_column_set *dst,
                            const struct ovsdb_column_set *src);
/* Appends COLUMN (the caller avoids duplicates, or uses add_once()). */
void ovsdb_column_set_add(struct ovsdb_column_set *,
                          const struct ovsdb_column *);
/* Appends COLUMN unless present; returns true if it was added. */
bool ovsdb_column_set_add_once(struct ovsdb_column_set *,
                               const struct ovsdb_column *);
/* Returns the position of the column with INDEX, or SIZE_MAX. */
size_t ovsdb_column_set_find(const struct ovsdb_column_set *,
                             unsigned int column_index);
bool ovsdb_column_set_contains(const struct ovsdb_column_set *,
                               unsigned int column_index);
/* Sorts the columns by index (the canonical order). */
void ovsdb_column_set_sort(struct ovsdb_column_set *);
bool ovsdb_column_set_equals(const struct ovsdb_column_set *,
                             const struct ovsdb_column_set *);
/* True if every column of B is in A. */
bool ovsdb_column_set_is_superset(const struct ovsdb_column_set *a,
                                  const struct ovsdb_column_set *b);
/* Appends "name, name2" (or "<none>"). */
void ovsdb_column_set_to_string(const struct ovsdb_column_set *,
                                struct ds *);

/* A table schema. */
struct ovsdb_table_schema {
    char *name;
    bool is_root;               /* Effective root-ness (see top). */
    bool is_root_declared;      /* What "isRoot" said. */
    unsigned int max_rows;      /* "maxRows"; UINT_MAX if unlimited. */
    struct shash columns;       /* Name -> struct ovsdb_column * (owned),
                                 * including "_uuid" and "_version". */
    struct ovsdb_column **column_array; /* Indexed by column index. */
    size_t n_columns;           /* Including the two implicit columns. */
    struct ovsdb_column_set *indexes;   /* "indexes", columns in the
                                         * order the schema gives. */
    size_t n_indexes;
};

/* Creates an empty table schema with only the implicit columns. */
struct ovsdb_table_schema *ovsdb_table_schema_create(const char *name,
                                                     bool is_root,
                                                     unsigned int max_rows);
/* Adds COLUMN (taking ownership) to TABLE, giving it the next index.
 * (Hand-built schemas number in insertion order, not by name.) */
void ovsdb_table_schema_add_column(struct ovsdb_table_schema *,
                                   struct ovsdb_column *);
void ovsdb_table_schema_destroy(struct ovsdb_table_schema *);
/* Parses RFC 7047 <table-schema> for the table NAME.  References stay
 * unresolved (ref_table NULL); use ovsdb_schema_from_json() for a whole
 * database.  Errors name the table: "table \"Bridge\" column \"ports\":
 * ...". */
struct ovsdb_error *ovsdb_table_schema_from_json(
    const json_t *, const char *name, struct ovsdb_table_schema **)
    VS_WARN_UNUSED_RESULT;
/* Returns the JSON form (without implicit columns) (new reference). */
json_t *ovsdb_table_schema_to_json(const struct ovsdb_table_schema *);
/* Returns the column NAME (implicit columns included), or NULL. */
const struct ovsdb_column *ovsdb_table_schema_get_column(
    const struct ovsdb_table_schema *, const char *name);
/* Stores the column NAME of TS in *COLUMNP and returns NULL; if TS has no
 * such column, stores NULL and returns an "unknown column" error about
 * JSON ("No column NAME in table T."). */
struct ovsdb_error *ovsdb_table_schema_find_column(
    const struct ovsdb_table_schema *ts, const char *name,
    const json_t *json, const struct ovsdb_column **columnp)
    VS_WARN_UNUSED_RESULT;
/* Parses the shape shared by an RFC 7047 <condition> clause and a
 * <mutation>: JSON must be [COLUMN, OPERATOR, VALUE] with string COLUMN
 * and OPERATOR, COLUMN in TS.  Stores the column in *COLUMNP and the
 * operator's name (owned by JSON) in *OPERATORP and returns NULL, or
 * returns an error: "Parse error in WHAT." or an "unknown column" one. */
struct ovsdb_error *ovsdb_table_schema_parse_triple(
    const struct ovsdb_table_schema *ts, const json_t *json,
    const char *what, const struct ovsdb_column **columnp,
    const char **operatorp)
    VS_WARN_UNUSED_RESULT;
/* Returns the column with INDEX (< n_columns). */
static inline const struct ovsdb_column *
ovsdb_table_schema_column(const struct ovsdb_table_schema *t,
                          unsigned int index)
{
    return t->column_array[index];
}
/* Parses a JSON array of column names of TABLE into SET (initialized here,
 * left empty on error); rejects unknown and duplicate names. */
struct ovsdb_error *ovsdb_column_set_from_json(
    const json_t *, const struct ovsdb_table_schema *,
    struct ovsdb_column_set *)
    VS_WARN_UNUSED_RESULT;
json_t *ovsdb_column_set_to_json(const struct ovsdb_column_set *);
/* Fills SET (initialized here) with all of TABLE's columns, implicit
 * columns included if WITH_STD. */
void ovsdb_column_set_add_all(struct ovsdb_column_set *,
                              const struct ovsdb_table_schema *,
                              bool with_std);

/* A database schema. */
struct ovsdb_schema {
    char *name;
    char *version;              /* "x.y.z", or NULL if absent. */
    char *cksum;                /* "cksum", or NULL if absent. */
    struct shash tables;        /* Name -> struct ovsdb_table_schema *
                                 * (owned). */
};

/* Parses and checks RFC 7047 <database-schema>.  On success stores a new
 * schema in *SCHEMAP (caller frees with ovsdb_schema_destroy()).  On error
 * *SCHEMAP is NULL and the error (usually "syntax error") says what and
 * where, naming the table and column, e.g.:
 *
 *     table "Bridge" column "ports": refTable "Prot" does not exist
 *
 * Checks: "name" is an <id>; "version" if present is "x.y.z"; "tables" is
 * an object whose names are <id>s not beginning with "_"; each
 * table has at least one column; column names are <id>s not beginning with
 * "_"; types are valid (ovsdb_type_from_json()); every refTable names an
 * existing table; "maxRows" is a positive integer; "isRoot" a boolean;
 * "indexes" is an array of nonempty arrays of existing, non-ephemeral,
 * distinct column names; no unknown members (a table-level "mutable" and a
 * top-level "doc" are accepted and ignored). */
struct ovsdb_error *ovsdb_schema_from_json(const json_t *,
                                           struct ovsdb_schema **schemap)
    VS_WARN_UNUSED_RESULT;
/* Reads and parses FILE_NAME (an "I/O error" if it can't be read, a
 * "syntax error" naming the file and line for bad JSON). */
struct ovsdb_error *ovsdb_schema_from_file(const char *file_name,
                                           struct ovsdb_schema **schemap)
    VS_WARN_UNUSED_RESULT;
/* Returns the JSON form, as get_schema replies with it (new reference). */
json_t *ovsdb_schema_to_json(const struct ovsdb_schema *);
/* Deep copy (references resolved within the copy). */
struct ovsdb_schema *ovsdb_schema_clone(const struct ovsdb_schema *);
/* NULL is a no-op. */
void ovsdb_schema_destroy(struct ovsdb_schema *);
/* True if A and B have the same JSON form. */
bool ovsdb_schema_equal(const struct ovsdb_schema *,
                        const struct ovsdb_schema *);
/* Returns the table NAME, or NULL. */
const struct ovsdb_table_schema *ovsdb_schema_get_table(
    const struct ovsdb_schema *, const char *name);

/* Version strings "x.y.z" (each a decimal number < 2^31).  Returns true
 * and stores the parts, or false. */
bool ovsdb_parse_version(const char *, int version[3]);
bool ovsdb_is_valid_version(const char *);
/* Compares two valid version strings: <0, 0, >0. */
int ovsdb_version_compare(const char *, const char *);

#endif /* ovsdb-schema.h */
