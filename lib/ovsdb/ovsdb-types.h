/* OVSDB types (RFC 7047 section 3.2 <type>, <base-type>, <atomic-type>).
 *
 * An atomic type is one of integer, real, boolean, string, uuid.  A base
 * type is an atomic type plus optional constraints (enum, integer/real
 * range, string length, and for uuids a reference to a table with a
 * strong or weak reference type).  A column type (struct ovsdb_type) is a
 * key base type, an optional value base type (present only for maps), and
 * the bounds on the number of elements, n_min (0 or 1) and n_max (>= 1,
 * UINT_MAX for "unlimited"):
 *
 *     scalar            n_min == n_max == 1, no value type
 *     optional scalar   n_min == 0, n_max == 1, no value type
 *     set               no value type and not a scalar
 *     map               value type present
 *
 * Constraint checking of values lives in ovsdb-data.h
 * (ovsdb_atom_check_constraints(), ovsdb_datum_check_constraints()).
 *
 * refTable: ovsdb_base_type_from_json() only records the referenced table's
 * name (uuid.ref_table_name).  ovsdb_schema_from_json() resolves it to the
 * table schema (uuid.ref_table), so within a parsed schema ref_table is set
 * for every reference; for a type parsed on its own it stays NULL. */
#ifndef OVSDB_TYPES_H
#define OVSDB_TYPES_H 1

#include <float.h>
#include <jansson.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include "compiler.h"

struct ovsdb_datum;
struct ovsdb_table_schema;

/* Atomic types.  OVSDB_TYPE_VOID is "no type": the value type of a set or
 * scalar. */
enum ovsdb_atomic_type {
    OVSDB_TYPE_VOID,
    OVSDB_TYPE_INTEGER,
    OVSDB_TYPE_REAL,
    OVSDB_TYPE_BOOLEAN,
    OVSDB_TYPE_STRING,
    OVSDB_TYPE_UUID,
    OVSDB_N_TYPES
};

/* Returns true if TYPE is one of the valid enum values (VOID included). */
bool ovsdb_atomic_type_is_valid(enum ovsdb_atomic_type);
/* Returns "void", "integer", "real", "boolean", "string" or "uuid". */
const char *ovsdb_atomic_type_to_string(enum ovsdb_atomic_type);
/* Parses one of the names above (not "void").  Returns true on success. */
bool ovsdb_atomic_type_from_string(const char *, enum ovsdb_atomic_type *);
/* Parses a JSON string naming an atomic type (not "void"). */
struct ovsdb_error *ovsdb_atomic_type_from_json(enum ovsdb_atomic_type *,
                                                const json_t *)
    VS_WARN_UNUSED_RESULT;
/* Returns a JSON string (new reference). */
json_t *ovsdb_atomic_type_to_json(enum ovsdb_atomic_type);

enum ovsdb_ref_type {
    OVSDB_REF_STRONG,           /* Referenced row must exist (RFC 7047). */
    OVSDB_REF_WEAK              /* Dangling references are removed. */
};

struct ovsdb_integer_constraints {
    int64_t min;        /* INT64_MIN if there is no "minInteger". */
    int64_t max;        /* INT64_MAX if there is no "maxInteger". */
};

struct ovsdb_real_constraints {
    double min;         /* -DBL_MAX if there is no "minReal". */
    double max;         /* DBL_MAX if there is no "maxReal". */
};

struct ovsdb_string_constraints {
    unsigned int min_len;   /* Minimum length in UTF-8 characters (0). */
    unsigned int max_len;   /* Maximum length (UINT_MAX: no maximum). */
};

struct ovsdb_uuid_constraints {
    char *ref_table_name;   /* "refTable", or NULL if not a reference. */
    const struct ovsdb_table_schema *ref_table; /* Resolved by the schema
                                                 * parser, else NULL. */
    enum ovsdb_ref_type ref_type;   /* "refType"; STRONG by default. */
};

struct ovsdb_base_type {
    enum ovsdb_atomic_type type;

    /* "enum": if nonnull, a set of allowed values (a datum whose keys have
     * type TYPE, sorted, no values), owned by this base type. */
    struct ovsdb_datum *enum_;

    /* Constraints for TYPE (only the member that matches TYPE is used). */
    union {
        struct ovsdb_integer_constraints integer;
        struct ovsdb_real_constraints real;
        /* no boolean constraints other than enum */
        struct ovsdb_string_constraints string;
        struct ovsdb_uuid_constraints uuid;
    } u;
};

#define OVSDB_BASE_VOID_INIT    { .type = OVSDB_TYPE_VOID }
#define OVSDB_BASE_INTEGER_INIT { .type = OVSDB_TYPE_INTEGER,           \
                                  .u.integer = { INT64_MIN, INT64_MAX } }
#define OVSDB_BASE_REAL_INIT    { .type = OVSDB_TYPE_REAL,              \
                                  .u.real = { -DBL_MAX, DBL_MAX } }
#define OVSDB_BASE_BOOLEAN_INIT { .type = OVSDB_TYPE_BOOLEAN }
#define OVSDB_BASE_STRING_INIT  { .type = OVSDB_TYPE_STRING,            \
                                  .u.string = { 0, UINT_MAX } }
#define OVSDB_BASE_UUID_INIT    { .type = OVSDB_TYPE_UUID,              \
                                  .u.uuid = { NULL, NULL, OVSDB_REF_STRONG } }

/* Initializes BASE as TYPE without constraints. */
void ovsdb_base_type_init(struct ovsdb_base_type *,
                          enum ovsdb_atomic_type);
/* Initializes DST as a deep copy of SRC (enum duplicated, ref_table
 * pointer copied as is). */
void ovsdb_base_type_clone(struct ovsdb_base_type *dst,
                           const struct ovsdb_base_type *src);
/* Frees what BASE owns (not BASE itself).  NULL is a no-op. */
void ovsdb_base_type_destroy(struct ovsdb_base_type *);
/* True if BASE's constraints are consistent (min <= max ...). */
bool ovsdb_base_type_is_valid(const struct ovsdb_base_type *);
/* True if BASE has any constraint (enum, ranges, lengths, refTable). */
bool ovsdb_base_type_has_constraints(const struct ovsdb_base_type *);
/* Removes all constraints, including enum and refTable. */
void ovsdb_base_type_clear_constraints(struct ovsdb_base_type *);

/* Reference helpers (false unless BASE is a uuid with a refTable). */
bool ovsdb_base_type_is_ref(const struct ovsdb_base_type *);
bool ovsdb_base_type_is_strong_ref(const struct ovsdb_base_type *);
bool ovsdb_base_type_is_weak_ref(const struct ovsdb_base_type *);

/* Parses RFC 7047 <base-type>: either an atomic type name ("integer") or an
 * object {"type": NAME, constraints...}.  Rejects constraints that do not
 * fit the type (e.g. "maxLength" on an integer), min > max, a malformed
 * enum (values checked against the other constraints), a bad "refType", or
 * "refType" without "refTable".  On success initializes *BASE (owned by the
 * caller, free with ovsdb_base_type_destroy()); on error *BASE is left
 * destroyed-safe (VOID). */
struct ovsdb_error *ovsdb_base_type_from_json(struct ovsdb_base_type *,
                                              const json_t *)
    VS_WARN_UNUSED_RESULT;
/* Returns the JSON form: a bare type name when there are no constraints,
 * else an object (new reference). */
json_t *ovsdb_base_type_to_json(const struct ovsdb_base_type *);

/* A column type. */
struct ovsdb_type {
    struct ovsdb_base_type key;
    struct ovsdb_base_type value;   /* OVSDB_TYPE_VOID unless a map. */
    unsigned int n_min;             /* 0 or 1. */
    unsigned int n_max;             /* >= 1, UINT_MAX for "unlimited". */
};

#define OVSDB_TYPE_SCALAR_INITIALIZER(KEY) \
    { KEY, OVSDB_BASE_VOID_INIT, 1, 1 }

/* Unconstrained scalar types, handy for parsing single atoms. */
extern const struct ovsdb_type ovsdb_type_integer;
extern const struct ovsdb_type ovsdb_type_real;
extern const struct ovsdb_type ovsdb_type_boolean;
extern const struct ovsdb_type ovsdb_type_string;
extern const struct ovsdb_type ovsdb_type_uuid;

/* Deep copy / free (not TYPE itself) / consistency check. */
void ovsdb_type_clone(struct ovsdb_type *dst, const struct ovsdb_type *src);
void ovsdb_type_destroy(struct ovsdb_type *);
bool ovsdb_type_is_valid(const struct ovsdb_type *);

/* Shape predicates (see the top of this file). */
bool ovsdb_type_is_scalar(const struct ovsdb_type *);
bool ovsdb_type_is_optional(const struct ovsdb_type *);    /* n_min == 0 */
bool ovsdb_type_is_optional_scalar(const struct ovsdb_type *);
bool ovsdb_type_is_composite(const struct ovsdb_type *);   /* n_max > 1 */
bool ovsdb_type_is_set(const struct ovsdb_type *);
bool ovsdb_type_is_map(const struct ovsdb_type *);

/* Parses RFC 7047 <type>: an atomic type name, or an object
 * {"key": <base-type>, "value": <base-type>, "min": 0|1,
 *  "max": N|"unlimited"}.  Requires n_min <= n_max, n_max >= 1,
 * n_min <= 1.  On success initializes *TYPE (free with
 * ovsdb_type_destroy()). */
struct ovsdb_error *ovsdb_type_from_json(struct ovsdb_type *,
                                         const json_t *)
    VS_WARN_UNUSED_RESULT;
/* Returns the canonical JSON form (new reference): a bare atomic type name
 * for an unconstrained scalar, else an object with "min"/"max" only when
 * they differ from 1. */
json_t *ovsdb_type_to_json(const struct ovsdb_type *);

/* Returns an English description ("set of up to 4 integers", "map from
 * string to string") in a new string the caller frees; used in messages. */
char *ovsdb_type_to_english(const struct ovsdb_type *);

#endif /* ovsdb-types.h */
