/* OVSDB schemas. */
#include <config.h>
#include "ovsdb-schema.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dynamic-string.h"
#include "ovsdb-data.h"
#include "ovsdb-error.h"
#include "ovsdb-parser.h"
#include "util.h"

/* Prefixes ERROR's details with PREFIX (no separator added). */
static struct ovsdb_error *
prefix_error(struct ovsdb_error *error, const char *prefix)
{
    char *s = xasprintf("%s%s", prefix, error->details ? error->details : "");
    free(error->details);
    error->details = s;
    return error;
}

/* Checks NAME as a table or column name. */
static struct ovsdb_error *
check_name(const char *name)
{
    if (name[0] == '_') {
        return ovsdb_error("syntax error",
                           "names beginning with \"_\" are reserved");
    } else if (!ovsdb_is_valid_id(name)) {
        return ovsdb_error("syntax error", "name is not a valid <id>");
    }
    return NULL;
}

/* Columns. */

struct ovsdb_column *
ovsdb_column_create(const char *name, bool mutable_, bool ephemeral,
                    const struct ovsdb_type *type)
{
    struct ovsdb_column *column = xzalloc(sizeof *column);
    column->index = UINT_MAX;
    column->name = xstrdup(name);
    column->mutable_ = mutable_;
    column->ephemeral = ephemeral;
    ovsdb_type_clone(&column->type, type);
    return column;
}

void
ovsdb_column_destroy(struct ovsdb_column *column)
{
    if (column) {
        ovsdb_type_destroy(&column->type);
        free(column->name);
        free(column);
    }
}

struct ovsdb_error *
ovsdb_column_from_json(const json_t *json, const char *name,
                       struct ovsdb_column **columnp)
{
    struct ovsdb_parser parser;
    struct ovsdb_error *error;
    const json_t *type_json, *mutable_json, *ephemeral_json;
    struct ovsdb_type type;

    *columnp = NULL;
    ovsdb_parser_init(&parser, json, "column \"%s\"", name);
    type_json = ovsdb_parser_member(&parser, "type", OP_STRING | OP_OBJECT);
    mutable_json = ovsdb_parser_member(&parser, "mutable",
                                       OP_BOOLEAN | OP_OPTIONAL);
    ephemeral_json = ovsdb_parser_member(&parser, "ephemeral",
                                         OP_BOOLEAN | OP_OPTIONAL);
    error = ovsdb_parser_finish(&parser);
    if (error) {
        return error;
    }

    error = ovsdb_type_from_json(&type, type_json);
    if (error) {
        char *prefix = xasprintf("column \"%s\": ", name);
        prefix_error(error, prefix);
        free(prefix);
        return error;
    }

    *columnp = ovsdb_column_create(name,
                                   mutable_json ? json_is_true(mutable_json)
                                   : true,
                                   ephemeral_json
                                   ? json_is_true(ephemeral_json) : false,
                                   &type);
    ovsdb_type_destroy(&type);
    return NULL;
}

json_t *
ovsdb_column_to_json(const struct ovsdb_column *column)
{
    json_t *json = json_object();
    json_object_set_new(json, "type", ovsdb_type_to_json(&column->type));
    if (column->ephemeral) {
        json_object_set_new(json, "ephemeral", json_true());
    }
    if (!column->mutable_) {
        json_object_set_new(json, "mutable", json_false());
    }
    return json;
}

/* Column sets. */

void
ovsdb_column_set_init(struct ovsdb_column_set *set)
{
    set->columns = NULL;
    set->n = set->allocated = 0;
}

void
ovsdb_column_set_destroy(struct ovsdb_column_set *set)
{
    free(set->columns);
    ovsdb_column_set_init(set);
}

void
ovsdb_column_set_clone(struct ovsdb_column_set *dst,
                       const struct ovsdb_column_set *src)
{
    dst->columns = src->n ? xmemdup(src->columns,
                                    src->n * sizeof *src->columns) : NULL;
    dst->n = dst->allocated = src->n;
}

void
ovsdb_column_set_add(struct ovsdb_column_set *set,
                     const struct ovsdb_column *column)
{
    if (set->n >= set->allocated) {
        set->allocated = set->allocated ? set->allocated * 2 : 4;
        set->columns = xrealloc(set->columns,
                                set->allocated * sizeof *set->columns);
    }
    set->columns[set->n++] = column;
}

bool
ovsdb_column_set_add_once(struct ovsdb_column_set *set,
                          const struct ovsdb_column *column)
{
    if (ovsdb_column_set_contains(set, column->index)) {
        return false;
    }
    ovsdb_column_set_add(set, column);
    return true;
}

size_t
ovsdb_column_set_find(const struct ovsdb_column_set *set,
                      unsigned int column_index)
{
    for (size_t i = 0; i < set->n; i++) {
        if (set->columns[i]->index == column_index) {
            return i;
        }
    }
    return SIZE_MAX;
}

bool
ovsdb_column_set_contains(const struct ovsdb_column_set *set,
                          unsigned int column_index)
{
    return ovsdb_column_set_find(set, column_index) != SIZE_MAX;
}

static int
compare_column_indexes(const void *a_, const void *b_)
{
    const struct ovsdb_column *const *a = a_;
    const struct ovsdb_column *const *b = b_;
    return (*a)->index < (*b)->index ? -1 : (*a)->index > (*b)->index;
}

void
ovsdb_column_set_sort(struct ovsdb_column_set *set)
{
    if (set->n > 1) {
        qsort(set->columns, set->n, sizeof *set->columns,
              compare_column_indexes);
    }
}

bool
ovsdb_column_set_equals(const struct ovsdb_column_set *a,
                        const struct ovsdb_column_set *b)
{
    if (a->n != b->n) {
        return false;
    }
    for (size_t i = 0; i < a->n; i++) {
        if (a->columns[i]->index != b->columns[i]->index) {
            return false;
        }
    }
    return true;
}

bool
ovsdb_column_set_is_superset(const struct ovsdb_column_set *a,
                             const struct ovsdb_column_set *b)
{
    for (size_t i = 0; i < b->n; i++) {
        if (!ovsdb_column_set_contains(a, b->columns[i]->index)) {
            return false;
        }
    }
    return true;
}

void
ovsdb_column_set_to_string(const struct ovsdb_column_set *set,
                           struct ds *s)
{
    if (!set->n) {
        ds_put_cstr(s, "<none>");
    }
    for (size_t i = 0; i < set->n; i++) {
        if (i) {
            ds_put_cstr(s, ", ");
        }
        ds_put_cstr(s, set->columns[i]->name);
    }
}

struct ovsdb_error *
ovsdb_column_set_from_json(const json_t *json,
                           const struct ovsdb_table_schema *table,
                           struct ovsdb_column_set *set)
{
    ovsdb_column_set_init(set);
    if (!json_is_array(json)) {
        return ovsdb_syntax_error(json, NULL, "array of column names "
                                  "expected");
    }

    for (size_t i = 0; i < json_array_size(json); i++) {
        const json_t *elem = json_array_get(json, i);
        const struct ovsdb_column *column;
        struct ovsdb_error *error = NULL;

        if (!json_is_string(elem)) {
            error = ovsdb_syntax_error(json, NULL, "array of column names "
                                       "expected");
        } else if (!(column = ovsdb_table_schema_get_column(
                         table, json_string_value(elem)))) {
            error = ovsdb_syntax_error(json, "unknown column", "No column "
                                       "%s in table %s.",
                                       json_string_value(elem), table->name);
        } else if (!ovsdb_column_set_add_once(set, column)) {
            error = ovsdb_syntax_error(json, NULL, "column \"%s\" appears "
                                       "more than once", column->name);
        }
        if (error) {
            ovsdb_column_set_destroy(set);
            return error;
        }
    }
    return NULL;
}

json_t *
ovsdb_column_set_to_json(const struct ovsdb_column_set *set)
{
    json_t *json = json_array();
    for (size_t i = 0; i < set->n; i++) {
        json_array_append_new(json, json_string(set->columns[i]->name));
    }
    return json;
}

void
ovsdb_column_set_add_all(struct ovsdb_column_set *set,
                         const struct ovsdb_table_schema *table,
                         bool with_std)
{
    ovsdb_column_set_init(set);
    for (size_t i = with_std ? 0 : OVSDB_N_STD_COLUMNS;
         i < table->n_columns; i++) {
        ovsdb_column_set_add(set, table->column_array[i]);
    }
}

/* Table schemas. */

struct ovsdb_table_schema *
ovsdb_table_schema_create(const char *name, bool is_root,
                          unsigned int max_rows)
{
    struct ovsdb_table_schema *ts = xzalloc(sizeof *ts);

    ts->name = xstrdup(name);
    ts->is_root = ts->is_root_declared = is_root;
    ts->max_rows = max_rows;
    shash_init(&ts->columns);

    ovsdb_table_schema_add_column(
        ts, ovsdb_column_create("_uuid", false, false, &ovsdb_type_uuid));
    ovsdb_table_schema_add_column(
        ts, ovsdb_column_create("_version", false, false, &ovsdb_type_uuid));
    return ts;
}

void
ovsdb_table_schema_add_column(struct ovsdb_table_schema *ts,
                              struct ovsdb_column *column)
{
    vs_assert(!shash_find(&ts->columns, column->name));
    column->index = ts->n_columns;
    ts->column_array = xrealloc(ts->column_array,
                                (ts->n_columns + 1)
                                * sizeof *ts->column_array);
    ts->column_array[ts->n_columns++] = column;
    shash_add(&ts->columns, column->name, column);
}

void
ovsdb_table_schema_destroy(struct ovsdb_table_schema *ts)
{
    if (!ts) {
        return;
    }
    for (size_t i = 0; i < ts->n_indexes; i++) {
        ovsdb_column_set_destroy(&ts->indexes[i]);
    }
    free(ts->indexes);
    for (size_t i = 0; i < ts->n_columns; i++) {
        ovsdb_column_destroy(ts->column_array[i]);
    }
    free(ts->column_array);
    shash_destroy(&ts->columns);
    free(ts->name);
    free(ts);
}

const struct ovsdb_column *
ovsdb_table_schema_get_column(const struct ovsdb_table_schema *ts,
                              const char *name)
{
    return shash_find_data(&ts->columns, name);
}

struct ovsdb_error *
ovsdb_table_schema_find_column(const struct ovsdb_table_schema *ts,
                               const char *name, const json_t *json,
                               const struct ovsdb_column **columnp)
{
    *columnp = ovsdb_table_schema_get_column(ts, name);
    return (*columnp
            ? NULL
            : ovsdb_syntax_error(json, "unknown column",
                                 "No column %s in table %s.", name,
                                 ts->name));
}

struct ovsdb_error *
ovsdb_table_schema_parse_triple(const struct ovsdb_table_schema *ts,
                                const json_t *json, const char *what,
                                const struct ovsdb_column **columnp,
                                const char **operatorp)
{
    *columnp = NULL;
    *operatorp = NULL;
    if (!json_is_array(json) || json_array_size(json) != 3
        || !json_is_string(json_array_get(json, 0))
        || !json_is_string(json_array_get(json, 1))) {
        return ovsdb_syntax_error(json, NULL, "Parse error in %s.", what);
    }
    *operatorp = json_string_value(json_array_get(json, 1));
    return ovsdb_table_schema_find_column(
        ts, json_string_value(json_array_get(json, 0)), json, columnp);
}

static int
compare_strings(const void *a_, const void *b_)
{
    const char *const *a = a_;
    const char *const *b = b_;
    return strcmp(*a, *b);
}

/* Returns the keys of object JSON, sorted, in an array the caller frees
 * (the strings belong to JSON). */
static const char **
sorted_keys(const json_t *json, size_t *np)
{
    size_t n = json_object_size(json);
    const char **keys = xmalloc((n ? n : 1) * sizeof *keys);
    const char *key;
    json_t *value;
    size_t i = 0;

    json_object_foreach ((json_t *) json, key, value) {
        keys[i++] = key;
    }
    qsort(keys, n, sizeof *keys, compare_strings);
    *np = n;
    return keys;
}

static struct ovsdb_error *
parse_index(struct ovsdb_table_schema *ts, const json_t *json, size_t idx,
            struct ovsdb_column_set *set)
{
    struct ovsdb_error *error;

    ovsdb_column_set_init(set);
    if (!json_is_array(json)) {
        return ovsdb_syntax_error(json, NULL, "table \"%s\" index %zu: "
                                  "array of column names expected",
                                  ts->name, idx);
    }
    if (!json_array_size(json)) {
        return ovsdb_syntax_error(json, NULL, "table \"%s\" index %zu: "
                                  "index must have at least one column",
                                  ts->name, idx);
    }
    for (size_t i = 0; i < json_array_size(json); i++) {
        const json_t *elem = json_array_get(json, i);
        const struct ovsdb_column *column;

        if (!json_is_string(elem)) {
            error = ovsdb_syntax_error(json, NULL, "table \"%s\" index %zu: "
                                       "array of column names expected",
                                       ts->name, idx);
            goto error;
        }
        const char *name = json_string_value(elem);
        column = ovsdb_table_schema_get_column(ts, name);
        if (!column) {
            error = ovsdb_syntax_error(json, NULL, "table \"%s\" index %zu: "
                                       "column \"%s\" does not exist",
                                       ts->name, idx, name);
            goto error;
        }
        if (column->ephemeral) {
            error = ovsdb_syntax_error(json, NULL, "table \"%s\" index %zu: "
                                       "column \"%s\" is ephemeral and may "
                                       "not be indexed", ts->name, idx,
                                       name);
            goto error;
        }
        if (!ovsdb_column_set_add_once(set, column)) {
            error = ovsdb_syntax_error(json, NULL, "table \"%s\" index %zu: "
                                       "column \"%s\" appears more than "
                                       "once", ts->name, idx, name);
            goto error;
        }
    }
    return NULL;

error:
    ovsdb_column_set_destroy(set);
    return error;
}

struct ovsdb_error *
ovsdb_table_schema_from_json(const json_t *json, const char *name,
                             struct ovsdb_table_schema **tsp)
{
    struct ovsdb_table_schema *ts = NULL;
    const json_t *columns, *mutable, *is_root, *max_rows, *indexes;
    struct ovsdb_parser parser;
    struct ovsdb_error *error;
    const char **names = NULL;
    size_t n_names;

    *tsp = NULL;
    error = check_name(name);
    if (error) {
        char *prefix = xasprintf("table \"%s\": ", name);
        prefix_error(error, prefix);
        free(prefix);
        return error;
    }

    ovsdb_parser_init(&parser, json, "table \"%s\"", name);
    columns = ovsdb_parser_member(&parser, "columns", OP_OBJECT);
    is_root = ovsdb_parser_member(&parser, "isRoot",
                                  OP_BOOLEAN | OP_OPTIONAL);
    max_rows = ovsdb_parser_member(&parser, "maxRows",
                                   OP_INTEGER | OP_OPTIONAL);
    indexes = ovsdb_parser_member(&parser, "indexes",
                                  OP_ARRAY | OP_OPTIONAL);
    /* Open vSwitch accepts (and ignores) a table-level "mutable". */
    mutable = ovsdb_parser_member(&parser, "mutable",
                                  OP_BOOLEAN | OP_OPTIONAL);
    (void) mutable;
    error = ovsdb_parser_finish(&parser);
    if (error) {
        return error;
    }

    unsigned int n_max = UINT_MAX;
    if (max_rows) {
        json_int_t x = json_integer_value(max_rows);
        if (x < 1) {
            return ovsdb_syntax_error(json, NULL, "table \"%s\": maxRows "
                                      "must be at least 1", name);
        }
        n_max = x >= UINT_MAX ? UINT_MAX : x;
    }
    if (!json_object_size(columns)) {
        return ovsdb_syntax_error(json, NULL, "table \"%s\": table must "
                                  "have at least one column", name);
    }

    ts = ovsdb_table_schema_create(name, is_root && json_is_true(is_root),
                                   n_max);

    /* Columns get indexes in order of their names. */
    names = sorted_keys(columns, &n_names);
    for (size_t i = 0; i < n_names; i++) {
        const char *cname = names[i];
        struct ovsdb_column *column;

        error = check_name(cname);
        if (error) {
            char *prefix = xasprintf("table \"%s\" column \"%s\": ",
                                     name, cname);
            prefix_error(error, prefix);
            free(prefix);
            goto error;
        }
        error = ovsdb_column_from_json(json_object_get(columns, cname),
                                       cname, &column);
        if (error) {
            char *prefix = xasprintf("table \"%s\" ", name);
            prefix_error(error, prefix);
            free(prefix);
            goto error;
        }
        ovsdb_table_schema_add_column(ts, column);
    }

    if (indexes) {
        size_t n = json_array_size(indexes);
        ts->indexes = xcalloc(n ? n : 1, sizeof *ts->indexes);
        for (size_t i = 0; i < n; i++) {
            error = parse_index(ts, json_array_get(indexes, i), i,
                                &ts->indexes[i]);
            if (error) {
                goto error;
            }
            ts->n_indexes++;
        }
    }

    free(names);
    *tsp = ts;
    return NULL;

error:
    free(names);
    ovsdb_table_schema_destroy(ts);
    return error;
}

json_t *
ovsdb_table_schema_to_json(const struct ovsdb_table_schema *ts)
{
    json_t *json = json_object();
    json_t *columns = json_object();

    for (size_t i = OVSDB_N_STD_COLUMNS; i < ts->n_columns; i++) {
        const struct ovsdb_column *column = ts->column_array[i];
        json_object_set_new(columns, column->name,
                            ovsdb_column_to_json(column));
    }
    json_object_set_new(json, "columns", columns);
    if (ts->is_root_declared) {
        json_object_set_new(json, "isRoot", json_true());
    }
    if (ts->max_rows != UINT_MAX) {
        json_object_set_new(json, "maxRows", json_integer(ts->max_rows));
    }
    if (ts->n_indexes) {
        json_t *indexes = json_array();
        for (size_t i = 0; i < ts->n_indexes; i++) {
            json_array_append_new(indexes,
                                  ovsdb_column_set_to_json(&ts->indexes[i]));
        }
        json_object_set_new(json, "indexes", indexes);
    }
    return json;
}

static struct ovsdb_table_schema *
table_schema_clone(const struct ovsdb_table_schema *old)
{
    struct ovsdb_table_schema *new;

    new = ovsdb_table_schema_create(old->name, old->is_root_declared,
                                    old->max_rows);
    new->is_root = old->is_root;
    for (size_t i = OVSDB_N_STD_COLUMNS; i < old->n_columns; i++) {
        const struct ovsdb_column *c = old->column_array[i];
        ovsdb_table_schema_add_column(new, ovsdb_column_create(
                                          c->name, c->mutable_, c->ephemeral,
                                          &c->type));
    }
    new->n_indexes = old->n_indexes;
    new->indexes = xcalloc(old->n_indexes ? old->n_indexes : 1,
                           sizeof *new->indexes);
    for (size_t i = 0; i < old->n_indexes; i++) {
        const struct ovsdb_column_set *oi = &old->indexes[i];
        ovsdb_column_set_init(&new->indexes[i]);
        for (size_t j = 0; j < oi->n; j++) {
            ovsdb_column_set_add(&new->indexes[i],
                                 new->column_array[oi->columns[j]->index]);
        }
    }
    return new;
}

/* Database schemas. */

bool
ovsdb_parse_version(const char *s, int version[3])
{
    int n = -1;

    if (sscanf(s, "%d.%d.%d%n", &version[0], &version[1], &version[2],
               &n) != 3 || n < 0 || s[n] != '\0') {
        return false;
    }
    for (int i = 0; i < 3; i++) {
        if (version[i] < 0) {
            return false;
        }
    }
    /* Reject signs and spaces that sscanf() would skip. */
    for (const char *p = s; *p; p++) {
        if (*p != '.' && (*p < '0' || *p > '9')) {
            return false;
        }
    }
    return true;
}

bool
ovsdb_is_valid_version(const char *s)
{
    int v[3];
    return ovsdb_parse_version(s, v);
}

int
ovsdb_version_compare(const char *a, const char *b)
{
    int va[3], vb[3];

    vs_assert(ovsdb_parse_version(a, va) && ovsdb_parse_version(b, vb));
    for (int i = 0; i < 3; i++) {
        if (va[i] != vb[i]) {
            return va[i] < vb[i] ? -1 : 1;
        }
    }
    return 0;
}

/* Resolves BASE's refTable within SCHEMA. */
static struct ovsdb_error *
resolve_ref(const struct ovsdb_schema *schema,
            const struct ovsdb_table_schema *ts,
            const struct ovsdb_column *column, struct ovsdb_base_type *base,
            const char *which)
{
    if (!ovsdb_base_type_is_ref(base)) {
        return NULL;
    }
    base->u.uuid.ref_table = shash_find_data(&schema->tables,
                                             base->u.uuid.ref_table_name);
    if (!base->u.uuid.ref_table) {
        return ovsdb_error("syntax error", "table \"%s\" column \"%s\": "
                           "%srefTable \"%s\" does not exist", ts->name,
                           column->name, which, base->u.uuid.ref_table_name);
    }
    return NULL;
}

/* Resolves every reference in SCHEMA and computes is_root. */
static struct ovsdb_error *
schema_finish(struct ovsdb_schema *schema)
{
    const struct shash_node **nodes = shash_sort(&schema->tables);
    size_t n = shash_count(&schema->tables);
    struct ovsdb_error *error = NULL;
    bool any_root = false;

    for (size_t i = 0; i < n && !error; i++) {
        struct ovsdb_table_schema *ts = nodes[i]->data;
        any_root |= ts->is_root_declared;
        for (size_t j = OVSDB_N_STD_COLUMNS; j < ts->n_columns && !error;
             j++) {
            struct ovsdb_column *column = ts->column_array[j];
            bool is_map = column->type.value.type != OVSDB_TYPE_VOID;
            error = resolve_ref(schema, ts, column, &column->type.key,
                                is_map ? "key " : "");
            if (!error) {
                error = resolve_ref(schema, ts, column, &column->type.value,
                                    "value ");
            }
        }
    }
    for (size_t i = 0; i < n; i++) {
        struct ovsdb_table_schema *ts = nodes[i]->data;
        ts->is_root = any_root ? ts->is_root_declared : true;
    }
    free(nodes);
    return error;
}

struct ovsdb_error *
ovsdb_schema_from_json(const json_t *json, struct ovsdb_schema **schemap)
{
    const json_t *name, *version, *cksum, *tables;
    struct ovsdb_schema *schema;
    struct ovsdb_parser parser;
    struct ovsdb_error *error;
    const char **names;
    size_t n_names;

    *schemap = NULL;
    ovsdb_parser_init(&parser, json, "database schema");
    name = ovsdb_parser_member(&parser, "name", OP_ID);
    version = ovsdb_parser_member(&parser, "version",
                                  OP_STRING | OP_OPTIONAL);
    cksum = ovsdb_parser_member(&parser, "cksum", OP_STRING | OP_OPTIONAL);
    tables = ovsdb_parser_member(&parser, "tables", OP_OBJECT);
    /* Written by ovsdb-tool and some generators; ignored. */
    ovsdb_parser_member(&parser, "doc", OP_STRING | OP_OPTIONAL);
    error = ovsdb_parser_finish(&parser);
    if (error) {
        return error;
    }

    if (version && !ovsdb_is_valid_version(json_string_value(version))) {
        return ovsdb_syntax_error(version, NULL, "schema version \"%s\" "
                                  "is not in the form x.y.z",
                                  json_string_value(version));
    }

    schema = xzalloc(sizeof *schema);
    schema->name = xstrdup(json_string_value(name));
    schema->version = version ? xstrdup(json_string_value(version)) : NULL;
    schema->cksum = cksum ? xstrdup(json_string_value(cksum)) : NULL;
    shash_init(&schema->tables);

    names = sorted_keys(tables, &n_names);
    for (size_t i = 0; i < n_names; i++) {
        struct ovsdb_table_schema *ts;

        error = ovsdb_table_schema_from_json(json_object_get(tables,
                                                             names[i]),
                                             names[i], &ts);
        if (error) {
            break;
        }
        shash_add(&schema->tables, ts->name, ts);
    }
    free(names);

    if (!error) {
        error = schema_finish(schema);
    }
    if (error) {
        ovsdb_schema_destroy(schema);
        return error;
    }
    *schemap = schema;
    return NULL;
}

struct ovsdb_error *
ovsdb_schema_from_file(const char *file_name, struct ovsdb_schema **schemap)
{
    json_error_t jerr;
    json_t *json;
    struct ovsdb_error *error;

    *schemap = NULL;
    json = json_load_file(file_name, 0, &jerr);
    if (!json) {
        FILE *f = fopen(file_name, "r");
        if (!f) {
            return ovsdb_io_error(errno, "%s: could not open schema",
                                  file_name);
        }
        fclose(f);
        return ovsdb_error("syntax error", "%s:%d: %s", file_name,
                           jerr.line, jerr.text);
    }
    error = ovsdb_schema_from_json(json, schemap);
    json_decref(json);
    if (error) {
        char *prefix = xasprintf("%s: ", file_name);
        prefix_error(error, prefix);
        free(prefix);
    }
    return error;
}

json_t *
ovsdb_schema_to_json(const struct ovsdb_schema *schema)
{
    json_t *json = json_object();
    json_t *tables = json_object();
    const struct shash_node **nodes = shash_sort(&schema->tables);
    size_t n = shash_count(&schema->tables);

    json_object_set_new(json, "name", json_string(schema->name));
    if (schema->version) {
        json_object_set_new(json, "version", json_string(schema->version));
    }
    if (schema->cksum) {
        json_object_set_new(json, "cksum", json_string(schema->cksum));
    }
    for (size_t i = 0; i < n; i++) {
        json_object_set_new(tables, nodes[i]->name,
                            ovsdb_table_schema_to_json(nodes[i]->data));
    }
    json_object_set_new(json, "tables", tables);
    free(nodes);
    return json;
}

struct ovsdb_schema *
ovsdb_schema_clone(const struct ovsdb_schema *old)
{
    struct ovsdb_schema *new = xzalloc(sizeof *new);
    struct shash_node *node;

    new->name = xstrdup(old->name);
    new->version = old->version ? xstrdup(old->version) : NULL;
    new->cksum = old->cksum ? xstrdup(old->cksum) : NULL;
    shash_init(&new->tables);
    SHASH_FOR_EACH (node, &old->tables) {
        struct ovsdb_table_schema *ts = table_schema_clone(node->data);
        shash_add(&new->tables, ts->name, ts);
    }

    struct ovsdb_error *error = schema_finish(new);
    vs_assert(!error);
    /* schema_finish() recomputed is_root from the declarations, which
     * matches the original unless it was built by hand; keep the
     * original's. */
    SHASH_FOR_EACH (node, &old->tables) {
        const struct ovsdb_table_schema *ots = node->data;
        struct ovsdb_table_schema *nts = shash_find_data(&new->tables,
                                                         ots->name);
        nts->is_root = ots->is_root;
    }
    return new;
}

void
ovsdb_schema_destroy(struct ovsdb_schema *schema)
{
    struct shash_node *node;

    if (!schema) {
        return;
    }
    SHASH_FOR_EACH (node, &schema->tables) {
        ovsdb_table_schema_destroy(node->data);
    }
    shash_destroy(&schema->tables);
    free(schema->name);
    free(schema->version);
    free(schema->cksum);
    free(schema);
}

bool
ovsdb_schema_equal(const struct ovsdb_schema *a,
                   const struct ovsdb_schema *b)
{
    json_t *ja = ovsdb_schema_to_json(a);
    json_t *jb = ovsdb_schema_to_json(b);
    bool equal = json_equal(ja, jb);
    json_decref(ja);
    json_decref(jb);
    return equal;
}

const struct ovsdb_table_schema *
ovsdb_schema_get_table(const struct ovsdb_schema *schema, const char *name)
{
    return shash_find_data(&schema->tables, name);
}
