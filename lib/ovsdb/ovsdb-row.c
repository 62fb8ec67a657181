/* OVSDB rows. */
#include <config.h>
#include "ovsdb-row.h"

#include <stdlib.h>
#include <string.h>
#include "hash.h"
#include "ovsdb-error.h"
#include "util.h"

void
ovsdb_row_init(struct ovsdb_row *row, const struct ovsdb_table_schema *ts)
{
    row->table = ts;
    row->fields = xmalloc(ts->n_columns * sizeof *row->fields);
    for (size_t i = 0; i < ts->n_columns; i++) {
        ovsdb_datum_init_default(&row->fields[i],
                                 &ts->column_array[i]->type);
    }
}

void
ovsdb_row_uninit(struct ovsdb_row *row)
{
    if (row->fields) {
        for (size_t i = 0; i < row->table->n_columns; i++) {
            ovsdb_datum_destroy(&row->fields[i],
                                &row->table->column_array[i]->type);
        }
        free(row->fields);
        row->fields = NULL;
    }
}

void
ovsdb_row_clone_into(struct ovsdb_row *dst, const struct ovsdb_row *src)
{
    const struct ovsdb_table_schema *ts = src->table;

    dst->table = ts;
    dst->fields = xmalloc(ts->n_columns * sizeof *dst->fields);
    for (size_t i = 0; i < ts->n_columns; i++) {
        ovsdb_datum_clone(&dst->fields[i], &src->fields[i],
                          &ts->column_array[i]->type);
    }
}

struct ovsdb_row *
ovsdb_row_create(const struct ovsdb_table_schema *ts)
{
    struct ovsdb_row *row = xmalloc(sizeof *row);
    ovsdb_row_init(row, ts);
    return row;
}

struct ovsdb_row *
ovsdb_row_clone(const struct ovsdb_row *old)
{
    struct ovsdb_row *row = xmalloc(sizeof *row);
    ovsdb_row_clone_into(row, old);
    return row;
}

void
ovsdb_row_destroy(struct ovsdb_row *row)
{
    if (row) {
        ovsdb_row_uninit(row);
        free(row);
    }
}

const struct uuid *
ovsdb_row_get_uuid(const struct ovsdb_row *row)
{
    return &row->fields[OVSDB_COL_UUID].keys[0].uuid;
}

void
ovsdb_row_set_uuid(struct ovsdb_row *row, const struct uuid *uuid)
{
    row->fields[OVSDB_COL_UUID].keys[0].uuid = *uuid;
}

const struct uuid *
ovsdb_row_get_version(const struct ovsdb_row *row)
{
    return &row->fields[OVSDB_COL_VERSION].keys[0].uuid;
}

void
ovsdb_row_set_version(struct ovsdb_row *row, const struct uuid *version)
{
    row->fields[OVSDB_COL_VERSION].keys[0].uuid = *version;
}

struct ovsdb_error *
ovsdb_row_from_json(struct ovsdb_row *row, const json_t *json,
                    struct ovsdb_symbol_table *symtab,
                    struct ovsdb_column_set *columns)
{
    const struct ovsdb_table_schema *ts = row->table;
    const char *name;
    json_t *value;

    if (!json_is_object(json)) {
        return ovsdb_syntax_error(json, NULL, "row must be JSON object");
    }

    json_object_foreach ((json_t *) json, name, value) {
        const struct ovsdb_column *column;
        struct ovsdb_datum datum;
        struct ovsdb_error *error;

        error = ovsdb_table_schema_find_column(ts, name, json, &column);
        if (error) {
            return error;
        }
        error = ovsdb_datum_from_json(&datum, &column->type, value, symtab);
        if (error) {
            return ovsdb_wrap_error(error, "column %s", name);
        }
        ovsdb_datum_swap(&row->fields[column->index], &datum);
        ovsdb_datum_destroy(&datum, &column->type);
        if (columns) {
            ovsdb_column_set_add_once(columns, column);
        }
    }
    return NULL;
}

json_t *
ovsdb_row_to_json(const struct ovsdb_row *row,
                  const struct ovsdb_column_set *columns)
{
    const struct ovsdb_table_schema *ts = row->table;
    json_t *json = json_object();

    if (columns) {
        for (size_t i = 0; i < columns->n; i++) {
            const struct ovsdb_column *c = columns->columns[i];
            json_object_set_new(json, c->name,
                                ovsdb_datum_to_json(&row->fields[c->index],
                                                    &c->type));
        }
    } else {
        for (size_t i = 0; i < ts->n_columns; i++) {
            const struct ovsdb_column *c = ts->column_array[i];
            json_object_set_new(json, c->name,
                                ovsdb_datum_to_json(&row->fields[i],
                                                    &c->type));
        }
    }
    return json;
}

uint32_t
ovsdb_row_hash_columns(const struct ovsdb_row *row,
                       const struct ovsdb_column_set *columns,
                       uint32_t basis)
{
    for (size_t i = 0; i < columns->n; i++) {
        const struct ovsdb_column *c = columns->columns[i];
        basis = ovsdb_datum_hash(&row->fields[c->index], &c->type, basis);
    }
    return basis;
}

int
ovsdb_row_compare_columns_3way(const struct ovsdb_row *a,
                               const struct ovsdb_row *b,
                               const struct ovsdb_column_set *columns)
{
    for (size_t i = 0; i < columns->n; i++) {
        const struct ovsdb_column *c = columns->columns[i];
        int cmp = ovsdb_datum_compare_3way(&a->fields[c->index],
                                           &b->fields[c->index], &c->type);
        if (cmp) {
            return cmp;
        }
    }
    return 0;
}

bool
ovsdb_row_equal_columns(const struct ovsdb_row *a, const struct ovsdb_row *b,
                        const struct ovsdb_column_set *columns)
{
    return !ovsdb_row_compare_columns_3way(a, b, columns);
}

void
ovsdb_row_update_columns(struct ovsdb_row *dst, const struct ovsdb_row *src,
                         const struct ovsdb_column_set *columns)
{
    for (size_t i = 0; i < columns->n; i++) {
        const struct ovsdb_column *c = columns->columns[i];
        struct ovsdb_datum tmp;

        ovsdb_datum_clone(&tmp, &src->fields[c->index], &c->type);
        ovsdb_datum_swap(&dst->fields[c->index], &tmp);
        ovsdb_datum_destroy(&tmp, &c->type);
    }
}
