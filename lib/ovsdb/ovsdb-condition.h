/* OVSDB conditions (RFC 7047 section 5.1 <condition>, with the Open
 * vSwitch extensions of ovsdb-server(7) section 5.1).
 *
 * A condition is a JSON array of clauses.  A clause is either
 * [COLUMN, FUNCTION, VALUE] or a JSON boolean (true/false).
 *
 * FUNCTION and VALUE type rules (checked by ovsdb_condition_from_json(),
 * violations are "syntax error"s unless noted):
 *   - "<", "<=", ">", ">=": only for a column of type integer or real that
 *     is a scalar or an optional scalar ("set of 0 or 1 integer"); VALUE
 *     is exactly one atom of that type.  On an empty optional column the
 *     clause is false.
 *   - "==", "!=": VALUE must be a value of the column's type (size bounds
 *     and constraints included).
 *   - "includes": like "==" but, unless the column is a scalar, VALUE may
 *     have fewer than the column's minimum number of elements.
 *   - "excludes": like "includes" and, unless the column is a scalar,
 *     VALUE may also have more than the maximum.
 *   - unknown function: tag "unknown function"; unknown column: tag
 *     "unknown column"; a VALUE violating constraints (e.g. outside an
 *     enum): "constraint violation".
 *
 * Semantics on a row's value F (sets and maps as sets of elements or
 * key-value pairs; a scalar as a one-element set):
 *   ==  F equals VALUE          !=  F differs from VALUE
 *   includes  VALUE is a subset of F
 *   excludes  VALUE and F have no element in common
 *   < <= > >= F's single number compared with VALUE (false if F empty)
 *
 * A condition used in a transaction's "where" is the conjunction of its
 * clauses (ovsdb_condition_match_every_clause(); an empty condition is
 * true).  monitor_cond's "where" is the disjunction
 * (ovsdb_condition_empty_or_match_any(): an empty condition is true). */
#ifndef OVSDB_CONDITION_H
#define OVSDB_CONDITION_H 1

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include "compiler.h"
#include "ovsdb-data.h"

struct ovsdb_column;
struct ovsdb_row;
struct ovsdb_symbol_table;
struct ovsdb_table_schema;

enum ovsdb_function {
    OVSDB_F_FALSE,      /* Literal false clause. */
    OVSDB_F_TRUE,       /* Literal true clause. */
    OVSDB_F_EQ,         /* "==" */
    OVSDB_F_NE,         /* "!=" */
    OVSDB_F_LT,         /* "<" */
    OVSDB_F_LE,         /* "<=" */
    OVSDB_F_GT,         /* ">" */
    OVSDB_F_GE,         /* ">=" */
    OVSDB_F_INCLUDES,   /* "includes" */
    OVSDB_F_EXCLUDES    /* "excludes" */
};

/* Parses a function name ("==", ..., "excludes"; not "true"/"false").
 * Returns NULL or an "unknown function" error. */
struct ovsdb_error *ovsdb_function_from_string(const char *,
                                               enum ovsdb_function *)
    VS_WARN_UNUSED_RESULT;
/* Returns the name ("==", ..., "true", "false"). */
const char *ovsdb_function_to_string(enum ovsdb_function);

struct ovsdb_clause {
    enum ovsdb_function function;
    const struct ovsdb_column *column;  /* NULL for OVSDB_F_TRUE/FALSE. */
    struct ovsdb_datum arg;     /* Of column->type (maybe more/fewer
                                 * elements, see above); empty for
                                 * TRUE/FALSE. */
};

struct ovsdb_condition {
    struct ovsdb_clause *clauses;
    size_t n_clauses;
};

#define OVSDB_CONDITION_INITIALIZER { NULL, 0 }

void ovsdb_condition_init(struct ovsdb_condition *);
/* Frees what CND owns and leaves it empty (usable again). */
void ovsdb_condition_destroy(struct ovsdb_condition *);
/* Initializes TO as a deep copy of FROM. */
void ovsdb_condition_clone(struct ovsdb_condition *to,
                           const struct ovsdb_condition *from);

/* Parses JSON (an array of clauses) against TABLE into CND (initialized by
 * this function; empty on error).  SYMTAB resolves "named-uuid"s (may be
 * NULL).  Clauses keep their order. */
struct ovsdb_error *ovsdb_condition_from_json(
    const struct ovsdb_table_schema *, const json_t *,
    struct ovsdb_symbol_table *, struct ovsdb_condition *)
    VS_WARN_UNUSED_RESULT;
/* Returns the JSON form (new reference). */
json_t *ovsdb_condition_to_json(const struct ovsdb_condition *);

/* True if CND is empty or only has "true" clauses / has a "false" clause
 * (for transaction-style conjunctions). */
bool ovsdb_condition_is_true(const struct ovsdb_condition *);
bool ovsdb_condition_is_false(const struct ovsdb_condition *);

/* Evaluates one clause on FIELD, the value of clause->column (a valid
 * datum of the column's type).  TRUE/FALSE clauses ignore FIELD (may be
 * NULL). */
bool ovsdb_clause_evaluate(const struct ovsdb_datum *field,
                           const struct ovsdb_clause *);

/* Evaluates CND on ROW (of the table CND was parsed for):
 *   match_every_clause: all clauses true (true if CND is empty);
 *   match_any_clause: some clause true (false if CND is empty);
 *   empty_or_match_any: true if CND is empty, else match_any_clause. */
bool ovsdb_condition_match_every_clause(const struct ovsdb_row *,
                                        const struct ovsdb_condition *);
bool ovsdb_condition_match_any_clause(const struct ovsdb_row *,
                                      const struct ovsdb_condition *);
bool ovsdb_condition_empty_or_match_any(const struct ovsdb_row *,
                                        const struct ovsdb_condition *);

/* Returns the equality clause "_uuid == U" of CND if CND is exactly
 * [["_uuid", "==", ["uuid", U]]] (so a server can use its uuid index), else
 * NULL. */
const struct uuid *ovsdb_condition_get_uuid(const struct ovsdb_condition *);

#endif /* ovsdb-condition.h */
