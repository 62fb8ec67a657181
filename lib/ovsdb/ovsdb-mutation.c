/* OVSDB mutations. */
#include <config.h>
#include "ovsdb-mutation.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "ovsdb-error.h"
#include "ovsdb-row.h"
#include "ovsdb-schema.h"
#include "util.h"

static const char *const mutator_names[] = {
    [OVSDB_M_ADD] = "+=",
    [OVSDB_M_SUB] = "-=",
    [OVSDB_M_MUL] = "*=",
    [OVSDB_M_DIV] = "/=",
    [OVSDB_M_MOD] = "%=",
    [OVSDB_M_INSERT] = "insert",
    [OVSDB_M_DELETE] = "delete",
};

struct ovsdb_error *
ovsdb_mutator_from_string(const char *name, enum ovsdb_mutator *mutator)
{
    for (size_t i = 0; i < ARRAY_SIZE(mutator_names); i++) {
        if (!strcmp(name, mutator_names[i])) {
            *mutator = i;
            return NULL;
        }
    }
    return ovsdb_syntax_error(NULL, "unknown mutator",
                              "No mutator named %s.", name);
}

const char *
ovsdb_mutator_to_string(enum ovsdb_mutator mutator)
{
    return ((unsigned int) mutator < ARRAY_SIZE(mutator_names)
            ? mutator_names[mutator] : "<invalid>");
}

static struct ovsdb_error *
type_mismatch(const struct ovsdb_mutation *m, const json_t *json)
{
    char *s = ovsdb_type_to_english(&m->column->type);
    struct ovsdb_error *error = ovsdb_syntax_error(
        json, NULL, "Type mismatch: \"%s\" operator may not be applied to "
        "column %s of type %s.", ovsdb_mutator_to_string(m->mutator),
        m->column->name, s);
    free(s);
    return error;
}

static bool
is_map_json(const json_t *json)
{
    return (json_is_array(json) && json_array_size(json) == 2
            && json_is_string(json_array_get(json, 0))
            && !strcmp(json_string_value(json_array_get(json, 0)), "map"));
}

static struct ovsdb_error *
mutation_from_json(const struct ovsdb_table_schema *ts, const json_t *json,
                   struct ovsdb_symbol_table *symtab,
                   struct ovsdb_mutation *m)
{
    const struct ovsdb_column *column;
    struct ovsdb_error *error;
    const char *mutator;
    const json_t *value;

    error = ovsdb_table_schema_parse_triple(ts, json, "mutation", &column,
                                            &mutator);
    if (error) {
        return error;
    }
    if (!column->mutable_ || column->index < OVSDB_N_STD_COLUMNS) {
        return ovsdb_syntax_error(json, "constraint violation",
                                  "Cannot mutate immutable column %s in "
                                  "table %s.", column->name, ts->name);
    }
    m->column = column;

    error = ovsdb_mutator_from_string(mutator, &m->mutator);
    if (error) {
        return error;
    }

    value = json_array_get(json, 2);
    ovsdb_type_clone(&m->type, &column->type);
    switch (m->mutator) {
    case OVSDB_M_ADD:
    case OVSDB_M_SUB:
    case OVSDB_M_MUL:
    case OVSDB_M_DIV:
    case OVSDB_M_MOD:
        if (ovsdb_type_is_map(&m->type)
            || (m->type.key.type != OVSDB_TYPE_INTEGER
                && m->type.key.type != OVSDB_TYPE_REAL)
            || (m->mutator == OVSDB_M_MOD
                && m->type.key.type == OVSDB_TYPE_REAL)) {
            error = type_mismatch(m, json);
            break;
        }
        ovsdb_base_type_clear_constraints(&m->type.key);
        m->type.n_min = m->type.n_max = 1;
        error = ovsdb_datum_from_json(&m->arg, &m->type, value, symtab);
        break;

    case OVSDB_M_INSERT:
        if (ovsdb_type_is_scalar(&m->type)) {
            error = type_mismatch(m, json);
            break;
        }
        m->type.n_min = 0;
        error = ovsdb_datum_from_json(&m->arg, &m->type, value, symtab);
        break;

    case OVSDB_M_DELETE:
        if (ovsdb_type_is_scalar(&m->type)) {
            error = type_mismatch(m, json);
            break;
        }
        m->type.n_min = 0;
        m->type.n_max = UINT_MAX;
        if (ovsdb_type_is_map(&m->type) && !is_map_json(value)) {
            /* A set of keys to delete. */
            ovsdb_base_type_destroy(&m->type.value);
            ovsdb_base_type_init(&m->type.value, OVSDB_TYPE_VOID);
        }
        error = ovsdb_datum_from_json(&m->arg, &m->type, value, symtab);
        break;

    default:
        error = OVSDB_BUG("bad mutator");
        break;
    }

    if (error) {
        ovsdb_type_destroy(&m->type);
    }
    return error;
}

struct ovsdb_error *
ovsdb_mutation_set_from_json(const struct ovsdb_table_schema *ts,
                             const json_t *json,
                             struct ovsdb_symbol_table *symtab,
                             struct ovsdb_mutation_set *set)
{
    set->mutations = NULL;
    set->n_mutations = 0;
    if (!json_is_array(json)) {
        return ovsdb_syntax_error(json, NULL, "Parse error in mutation "
                                  "set (array of mutations expected).");
    }

    size_t n = json_array_size(json);
    set->mutations = xcalloc(n ? n : 1, sizeof *set->mutations);
    for (size_t i = 0; i < n; i++) {
        struct ovsdb_error *error = mutation_from_json(
            ts, json_array_get(json, i), symtab, &set->mutations[i]);
        if (error) {
            ovsdb_mutation_set_destroy(set);
            return error;
        }
        set->n_mutations++;
    }
    return NULL;
}

json_t *
ovsdb_mutation_set_to_json(const struct ovsdb_mutation_set *set)
{
    json_t *json = json_array();

    for (size_t i = 0; i < set->n_mutations; i++) {
        const struct ovsdb_mutation *m = &set->mutations[i];
        json_t *mutation = json_array();

        json_array_append_new(mutation, json_string(m->column->name));
        json_array_append_new(mutation, json_string(
                                  ovsdb_mutator_to_string(m->mutator)));
        json_array_append_new(mutation, ovsdb_datum_to_json(&m->arg,
                                                            &m->type));
        json_array_append_new(json, mutation);
    }
    return json;
}

void
ovsdb_mutation_set_destroy(struct ovsdb_mutation_set *set)
{
    for (size_t i = 0; i < set->n_mutations; i++) {
        struct ovsdb_mutation *m = &set->mutations[i];
        ovsdb_datum_destroy(&m->arg, &m->type);
        ovsdb_type_destroy(&m->type);
    }
    free(set->mutations);
    set->mutations = NULL;
    set->n_mutations = 0;
}

/* Arithmetic. */

enum arith_result {
    ARITH_OK,
    ARITH_DOMAIN,       /* Division by zero. */
    ARITH_RANGE         /* Out of range. */
};

static enum arith_result
mutate_integer(enum ovsdb_mutator mutator, int64_t *x, int64_t y)
{
    int64_t r;

    switch (mutator) {
    case OVSDB_M_ADD:
        if (__builtin_add_overflow(*x, y, &r)) {
            return ARITH_RANGE;
        }
        break;
    case OVSDB_M_SUB:
        if (__builtin_sub_overflow(*x, y, &r)) {
            return ARITH_RANGE;
        }
        break;
    case OVSDB_M_MUL:
        if (__builtin_mul_overflow(*x, y, &r)) {
            return ARITH_RANGE;
        }
        break;
    case OVSDB_M_DIV:
    case OVSDB_M_MOD:
        if (!y) {
            return ARITH_DOMAIN;
        } else if (*x == INT64_MIN && y == -1) {
            if (mutator == OVSDB_M_DIV) {
                return ARITH_RANGE;
            }
            r = 0;
        } else {
            r = mutator == OVSDB_M_DIV ? *x / y : *x % y;
        }
        break;
    case OVSDB_M_INSERT:
    case OVSDB_M_DELETE:
    default:
        vs_abort(0, "bad arithmetic mutator %d", (int) mutator);
    }
    *x = r;
    return ARITH_OK;
}

static enum arith_result
mutate_real(enum ovsdb_mutator mutator, double *x, double y)
{
    double r;

    switch (mutator) {
    case OVSDB_M_ADD:
        r = *x + y;
        break;
    case OVSDB_M_SUB:
        r = *x - y;
        break;
    case OVSDB_M_MUL:
        r = *x * y;
        break;
    case OVSDB_M_DIV:
        if (y == 0.0) {
            return ARITH_DOMAIN;
        }
        r = *x / y;
        break;
    case OVSDB_M_MOD:
    case OVSDB_M_INSERT:
    case OVSDB_M_DELETE:
    default:
        vs_abort(0, "bad real mutator %d", (int) mutator);
    }
    if (!isfinite(r)) {
        return ARITH_RANGE;
    }
    *x = r == 0.0 ? 0.0 : r;    /* No -0.0. */
    return ARITH_OK;
}

static struct ovsdb_error *
mutate_arith(const struct ovsdb_mutation *m, struct ovsdb_datum *dst)
{
    const struct ovsdb_type *type = &m->column->type;
    const union ovsdb_atom *arg = &m->arg.keys[0];
    struct ovsdb_error *error;

    for (unsigned int i = 0; i < dst->n; i++) {
        enum arith_result r = (type->key.type == OVSDB_TYPE_INTEGER
                               ? mutate_integer(m->mutator,
                                                &dst->keys[i].integer,
                                                arg->integer)
                               : mutate_real(m->mutator, &dst->keys[i].real,
                                             arg->real));
        if (r == ARITH_DOMAIN) {
            return ovsdb_error("domain error", "Division by zero.");
        } else if (r == ARITH_RANGE) {
            return ovsdb_error("range error", "Result of \"%s\" operation "
                               "is out of range.",
                               ovsdb_mutator_to_string(m->mutator));
        }
    }

    error = ovsdb_datum_sort(dst, type);
    if (error) {
        ovsdb_error_destroy(error);
        /* Keep DST duplicate-free, as the contract promises. */
        ovsdb_datum_sort_unique(dst, type);
        return ovsdb_error("constraint violation", "Result of \"%s\" "
                           "operation contains duplicates.",
                           ovsdb_mutator_to_string(m->mutator));
    }
    return NULL;
}

static struct ovsdb_error *
check_result(const struct ovsdb_mutation *m, const struct ovsdb_datum *dst)
{
    const struct ovsdb_type *type = &m->column->type;
    struct ovsdb_error *error;

    if (dst->n < type->n_min || dst->n > type->n_max) {
        char *s = ovsdb_type_to_english(type);
        error = ovsdb_error("constraint violation", "Attempted to store %u "
                            "elements in %s.", dst->n, s);
        free(s);
        return error;
    }
    error = ovsdb_datum_check_constraints(dst, type);
    if (error) {
        return ovsdb_wrap_error(error, "Result of \"%s\" operation on "
                                "column %s",
                                ovsdb_mutator_to_string(m->mutator),
                                m->column->name);
    }
    return NULL;
}

struct ovsdb_error *
ovsdb_mutation_set_execute(struct ovsdb_row *row,
                           const struct ovsdb_mutation_set *set)
{
    for (size_t i = 0; i < set->n_mutations; i++) {
        const struct ovsdb_mutation *m = &set->mutations[i];
        struct ovsdb_datum *dst = &row->fields[m->column->index];
        const struct ovsdb_type *dst_type = &m->column->type;
        struct ovsdb_error *error = NULL;

        switch (m->mutator) {
        case OVSDB_M_ADD:
        case OVSDB_M_SUB:
        case OVSDB_M_MUL:
        case OVSDB_M_DIV:
        case OVSDB_M_MOD:
            error = mutate_arith(m, dst);
            break;

        case OVSDB_M_INSERT:
            ovsdb_datum_union(dst, &m->arg, dst_type, false);
            break;

        case OVSDB_M_DELETE:
            ovsdb_datum_subtract(dst, dst_type, &m->arg, &m->type);
            break;

        default:
            error = OVSDB_BUG("bad mutator");
            break;
        }
        if (!error) {
            error = check_result(m, dst);
        }
        if (error) {
            return error;
        }
    }
    return NULL;
}
