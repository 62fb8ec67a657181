/* OVSDB mutations (RFC 7047 section 5.1 <mutation>, used by the "mutate"
 * operation).
 *
 * A mutation set is a JSON array of [COLUMN, MUTATOR, VALUE].
 *
 * Type rules (ovsdb_mutation_set_from_json(); violations are "syntax
 * error"s, unknown columns "unknown column", unknown mutators "unknown
 * mutator"; a mutation of an immutable column or of "_uuid"/"_version" is
 * a "constraint violation"):
 *   - "+=", "-=", "*=", "/=": the column's key type is integer or real and
 *     it is a scalar or a set (not a map); VALUE is one atom of the key
 *     type, constraints NOT applied (e.g. "+=" -5 on a column with
 *     minInteger 0 is accepted; the result is checked instead).
 *   - "%=": like the above but integer only.
 *   - "insert": the column is a set or map (not a scalar); VALUE is a set
 *     or map of the column's type that may have fewer than its minimum
 *     number of elements.
 *   - "delete": the column is a set or map; VALUE is a set (of the key
 *     type, for either) or, for a map, a map; it may have any number of
 *     elements.
 *
 * Semantics (ovsdb_mutation_set_execute(), applied in order):
 *   - arithmetic: applied to the scalar, or to every element of the set,
 *     integer arithmetic as C on int64_t (/ and % truncate toward zero);
 *     a set whose elements collide afterwards is a "constraint violation".
 *     Division or modulo by zero: "domain error".  Integer overflow, or a
 *     real result that is not finite: "range error".
 *   - insert: adds VALUE's elements; for a map, a pair whose key is already
 *     present is ignored (the existing value is kept).
 *   - delete: removes VALUE's elements from a set; from a map, removes the
 *     keys given as a set, or the pairs (key AND value must match) given as
 *     a map.  Absent elements are ignored.
 *   - afterwards every column must satisfy its type: atoms within their
 *     constraints (enum, min/max, length) and n_min <= n <= n_max, else
 *     "constraint violation". */
#ifndef OVSDB_MUTATION_H
#define OVSDB_MUTATION_H 1

#include <jansson.h>
#include <stddef.h>
#include "compiler.h"
#include "ovsdb-data.h"
#include "ovsdb-types.h"

struct ovsdb_column;
struct ovsdb_row;
struct ovsdb_symbol_table;
struct ovsdb_table_schema;

enum ovsdb_mutator {
    OVSDB_M_ADD,        /* "+=" */
    OVSDB_M_SUB,        /* "-=" */
    OVSDB_M_MUL,        /* "*=" */
    OVSDB_M_DIV,        /* "/=" */
    OVSDB_M_MOD,        /* "%=" */
    OVSDB_M_INSERT,     /* "insert" */
    OVSDB_M_DELETE      /* "delete" */
};

/* Parses a mutator name; returns NULL or an "unknown mutator" error. */
struct ovsdb_error *ovsdb_mutator_from_string(const char *,
                                              enum ovsdb_mutator *)
    VS_WARN_UNUSED_RESULT;
const char *ovsdb_mutator_to_string(enum ovsdb_mutator);

struct ovsdb_mutation {
    enum ovsdb_mutator mutator;
    const struct ovsdb_column *column;
    struct ovsdb_datum arg;     /* Argument, a valid datum of 'type'. */
    struct ovsdb_type type;     /* Type of 'arg' (relaxed from the
                                 * column's type as described above). */
};

struct ovsdb_mutation_set {
    struct ovsdb_mutation *mutations;
    size_t n_mutations;
};

#define OVSDB_MUTATION_SET_INITIALIZER { NULL, 0 }

/* Parses JSON (an array of mutations) against TABLE into SET (initialized
 * here; empty on error).  SYMTAB resolves "named-uuid"s (may be NULL). */
struct ovsdb_error *ovsdb_mutation_set_from_json(
    const struct ovsdb_table_schema *, const json_t *,
    struct ovsdb_symbol_table *, struct ovsdb_mutation_set *)
    VS_WARN_UNUSED_RESULT;
/* Returns the JSON form (new reference). */
json_t *ovsdb_mutation_set_to_json(const struct ovsdb_mutation_set *);
/* Frees what SET owns and leaves it empty. */
void ovsdb_mutation_set_destroy(struct ovsdb_mutation_set *);

/* Applies SET to ROW (of the table SET was parsed for), in order.  Returns
 * NULL on success.  On error ROW may be partly mutated (each column is
 * still a sorted, duplicate-free datum, but maybe outside its constraints),
 * so callers mutate a copy and discard it on error. */
struct ovsdb_error *ovsdb_mutation_set_execute(
    struct ovsdb_row *, const struct ovsdb_mutation_set *)
    VS_WARN_UNUSED_RESULT;

#endif /* ovsdb-mutation.h */
