/* OVSDB conditions. */
#include <config.h>
#include "ovsdb-condition.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "ovsdb-error.h"
#include "ovsdb-row.h"
#include "ovsdb-schema.h"
#include "util.h"

static const char *const function_names[] = {
    [OVSDB_F_FALSE] = "false",
    [OVSDB_F_TRUE] = "true",
    [OVSDB_F_EQ] = "==",
    [OVSDB_F_NE] = "!=",
    [OVSDB_F_LT] = "<",
    [OVSDB_F_LE] = "<=",
    [OVSDB_F_GT] = ">",
    [OVSDB_F_GE] = ">=",
    [OVSDB_F_INCLUDES] = "includes",
    [OVSDB_F_EXCLUDES] = "excludes",
};

struct ovsdb_error *
ovsdb_function_from_string(const char *name, enum ovsdb_function *function)
{
    for (int f = OVSDB_F_EQ; f < (int) ARRAY_SIZE(function_names); f++) {
        if (!strcmp(name, function_names[f])) {
            *function = f;
            return NULL;
        }
    }
    return ovsdb_syntax_error(NULL, "unknown function",
                              "No function named %s.", name);
}

const char *
ovsdb_function_to_string(enum ovsdb_function function)
{
    return ((unsigned int) function < ARRAY_SIZE(function_names)
            ? function_names[function] : "<invalid>");
}

void
ovsdb_condition_init(struct ovsdb_condition *cnd)
{
    cnd->clauses = NULL;
    cnd->n_clauses = 0;
}

static void
clause_destroy(struct ovsdb_clause *clause)
{
    if (clause->column) {
        ovsdb_datum_destroy(&clause->arg, &clause->column->type);
    }
}

void
ovsdb_condition_destroy(struct ovsdb_condition *cnd)
{
    for (size_t i = 0; i < cnd->n_clauses; i++) {
        clause_destroy(&cnd->clauses[i]);
    }
    free(cnd->clauses);
    ovsdb_condition_init(cnd);
}

void
ovsdb_condition_clone(struct ovsdb_condition *to,
                      const struct ovsdb_condition *from)
{
    to->n_clauses = from->n_clauses;
    to->clauses = xcalloc(from->n_clauses ? from->n_clauses : 1,
                          sizeof *to->clauses);
    for (size_t i = 0; i < from->n_clauses; i++) {
        const struct ovsdb_clause *src = &from->clauses[i];
        struct ovsdb_clause *dst = &to->clauses[i];

        dst->function = src->function;
        dst->column = src->column;
        if (src->column) {
            ovsdb_datum_clone(&dst->arg, &src->arg, &src->column->type);
        } else {
            ovsdb_datum_init_empty(&dst->arg);
        }
    }
}

static struct ovsdb_error *
type_mismatch(const json_t *json, enum ovsdb_function function,
              const struct ovsdb_column *column)
{
    char *s = ovsdb_type_to_english(&column->type);
    struct ovsdb_error *error = ovsdb_syntax_error(
        json, NULL, "Type mismatch: \"%s\" operator may not be applied to "
        "column %s of type %s.", ovsdb_function_to_string(function),
        column->name, s);
    free(s);
    return error;
}

static struct ovsdb_error *
clause_from_json(const struct ovsdb_table_schema *ts, const json_t *json,
                 struct ovsdb_symbol_table *symtab,
                 struct ovsdb_clause *clause)
{
    const struct ovsdb_column *column;
    struct ovsdb_error *error;
    struct ovsdb_type type;
    const char *function;

    clause->column = NULL;
    ovsdb_datum_init_empty(&clause->arg);

    if (json_is_boolean(json)) {
        clause->function = json_is_true(json) ? OVSDB_F_TRUE : OVSDB_F_FALSE;
        return NULL;
    }
    error = ovsdb_table_schema_parse_triple(ts, json, "condition", &column,
                                            &function);
    if (error
        || (error = ovsdb_function_from_string(function,
                                               &clause->function))) {
        return error;
    }

    /* The argument's type, relaxed from the column's as RFC 7047 says. */
    type = column->type;
    switch (clause->function) {
    case OVSDB_F_LT:
    case OVSDB_F_LE:
    case OVSDB_F_GT:
    case OVSDB_F_GE:
        if (!(ovsdb_type_is_scalar(&type)
              || ovsdb_type_is_optional_scalar(&type))
            || (type.key.type != OVSDB_TYPE_INTEGER
                && type.key.type != OVSDB_TYPE_REAL)) {
            return type_mismatch(json, clause->function, column);
        }
        type.n_min = type.n_max = 1;
        break;

    case OVSDB_F_EQ:
    case OVSDB_F_NE:
        break;

    case OVSDB_F_EXCLUDES:
        if (!ovsdb_type_is_scalar(&type)) {
            type.n_min = 0;
            type.n_max = UINT_MAX;
        }
        break;

    case OVSDB_F_INCLUDES:
        if (!ovsdb_type_is_scalar(&type)) {
            type.n_min = 0;
        }
        break;

    case OVSDB_F_FALSE:
    case OVSDB_F_TRUE:
    default:
        return OVSDB_BUG("bad function");
    }

    error = ovsdb_datum_from_json(&clause->arg, &type,
                                  json_array_get(json, 2), symtab);
    if (!error) {
        clause->column = column;
    }
    return error;
}

struct ovsdb_error *
ovsdb_condition_from_json(const struct ovsdb_table_schema *ts,
                          const json_t *json,
                          struct ovsdb_symbol_table *symtab,
                          struct ovsdb_condition *cnd)
{
    ovsdb_condition_init(cnd);
    if (!json_is_array(json)) {
        return ovsdb_syntax_error(json, NULL, "Parse error in condition "
                                  "(array of clauses expected).");
    }

    size_t n = json_array_size(json);
    cnd->clauses = xcalloc(n ? n : 1, sizeof *cnd->clauses);
    for (size_t i = 0; i < n; i++) {
        struct ovsdb_error *error = clause_from_json(
            ts, json_array_get(json, i), symtab, &cnd->clauses[i]);
        if (error) {
            ovsdb_condition_destroy(cnd);
            return error;
        }
        cnd->n_clauses++;
    }
    return NULL;
}

json_t *
ovsdb_condition_to_json(const struct ovsdb_condition *cnd)
{
    json_t *json = json_array();

    for (size_t i = 0; i < cnd->n_clauses; i++) {
        const struct ovsdb_clause *c = &cnd->clauses[i];
        if (c->function == OVSDB_F_TRUE || c->function == OVSDB_F_FALSE) {
            json_array_append_new(json, json_boolean(c->function
                                                     == OVSDB_F_TRUE));
        } else {
            json_t *clause = json_array();
            json_array_append_new(clause, json_string(c->column->name));
            json_array_append_new(clause, json_string(
                                      ovsdb_function_to_string(c->function)));
            json_array_append_new(clause, ovsdb_datum_to_json(
                                      &c->arg, &c->column->type));
            json_array_append_new(json, clause);
        }
    }
    return json;
}

bool
ovsdb_condition_is_true(const struct ovsdb_condition *cnd)
{
    for (size_t i = 0; i < cnd->n_clauses; i++) {
        if (cnd->clauses[i].function != OVSDB_F_TRUE) {
            return false;
        }
    }
    return true;
}

bool
ovsdb_condition_is_false(const struct ovsdb_condition *cnd)
{
    for (size_t i = 0; i < cnd->n_clauses; i++) {
        if (cnd->clauses[i].function == OVSDB_F_FALSE) {
            return true;
        }
    }
    return false;
}

bool
ovsdb_clause_evaluate(const struct ovsdb_datum *field,
                      const struct ovsdb_clause *c)
{
    const struct ovsdb_datum *arg = &c->arg;
    const struct ovsdb_type *type;
    int cmp;

    switch (c->function) {
    case OVSDB_F_FALSE:
        return false;
    case OVSDB_F_TRUE:
        return true;
    case OVSDB_F_EQ:
        return ovsdb_datum_equals(field, arg, &c->column->type);
    case OVSDB_F_NE:
        return !ovsdb_datum_equals(field, arg, &c->column->type);
    case OVSDB_F_INCLUDES:
        return ovsdb_datum_includes_all(arg, field, &c->column->type);
    case OVSDB_F_EXCLUDES:
        return ovsdb_datum_excludes_all(arg, field, &c->column->type);
    case OVSDB_F_LT:
    case OVSDB_F_LE:
    case OVSDB_F_GT:
    case OVSDB_F_GE:
        if (!field->n) {
            return false;
        }
        type = &c->column->type;
        cmp = ovsdb_atom_compare_3way(&field->keys[0], &arg->keys[0],
                                      type->key.type);
        return (c->function == OVSDB_F_LT ? cmp < 0
                : c->function == OVSDB_F_LE ? cmp <= 0
                : c->function == OVSDB_F_GT ? cmp > 0
                : cmp >= 0);
    default:
        vs_abort(0, "bad function %d", (int) c->function);
    }
}

static bool
clause_evaluate_row(const struct ovsdb_row *row, const struct ovsdb_clause *c)
{
    return ovsdb_clause_evaluate(c->column ? &row->fields[c->column->index]
                                 : NULL, c);
}

bool
ovsdb_condition_match_every_clause(const struct ovsdb_row *row,
                                   const struct ovsdb_condition *cnd)
{
    for (size_t i = 0; i < cnd->n_clauses; i++) {
        if (!clause_evaluate_row(row, &cnd->clauses[i])) {
            return false;
        }
    }
    return true;
}

bool
ovsdb_condition_match_any_clause(const struct ovsdb_row *row,
                                 const struct ovsdb_condition *cnd)
{
    for (size_t i = 0; i < cnd->n_clauses; i++) {
        if (clause_evaluate_row(row, &cnd->clauses[i])) {
            return true;
        }
    }
    return false;
}

bool
ovsdb_condition_empty_or_match_any(const struct ovsdb_row *row,
                                   const struct ovsdb_condition *cnd)
{
    return !cnd->n_clauses || ovsdb_condition_match_any_clause(row, cnd);
}

const struct uuid *
ovsdb_condition_get_uuid(const struct ovsdb_condition *cnd)
{
    if (cnd->n_clauses == 1) {
        const struct ovsdb_clause *c = &cnd->clauses[0];
        if (c->function == OVSDB_F_EQ && c->column
            && c->column->index == OVSDB_COL_UUID && c->arg.n == 1) {
            return &c->arg.keys[0].uuid;
        }
    }
    return NULL;
}
