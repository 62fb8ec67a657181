/* ovsdb-lite: monitors.  See monitor.h. */
#include <config.h>

#include "monitor.h"

#include <stdlib.h>
#include <string.h>
#include "database.h"
#include "dynamic-string.h"
#include "ovsdb-condition.h"
#include "ovsdb-data.h"
#include "ovsdb-error.h"
#include "ovsdb-parser.h"
#include "ovsdb-schema.h"
#include "transaction.h"
#include "util.h"

enum {
    MS_INITIAL = 1 << 0,
    MS_INSERT = 1 << 1,
    MS_DELETE = 1 << 2,
    MS_MODIFY = 1 << 3,
    MS_ALL = MS_INITIAL | MS_INSERT | MS_DELETE | MS_MODIFY
};

struct monitor_column {
    const struct ovsdb_column *column;
    unsigned int select;            /* MS_*. */
};

struct monitor_table {
    struct db_table *table;
    struct monitor_column *columns; /* In column index order. */
    size_t n_columns;
    unsigned int select;            /* Union of the columns' selects. */
    struct ovsdb_condition cond;    /* Version 2 only; empty: every row. */
};

struct monitor {
    struct db *db;
    enum monitor_version version;
    struct monitor_table *tables;   /* In table name order. */
    size_t n_tables;
    char *key;
};

static void monitor_update_key(struct monitor *);

static bool
parse_bool(struct ovsdb_parser *parser, const char *name, bool default_)
{
    const json_t *json = ovsdb_parser_member(parser, name,
                                             OP_BOOLEAN | OP_OPTIONAL);
    return json ? json_is_true(json) : default_;
}

static int
compare_monitor_columns(const void *a_, const void *b_)
{
    const struct monitor_column *a = a_, *b = b_;
    return (a->column->index > b->column->index) -
           (a->column->index < b->column->index);
}

static struct monitor_column *
find_column(struct monitor_table *mt, const struct ovsdb_column *column)
{
    for (size_t i = 0; i < mt->n_columns; i++) {
        if (mt->columns[i].column == column) {
            return &mt->columns[i];
        }
    }
    return NULL;
}

static struct ovsdb_error *
add_column(struct monitor_table *mt, const struct ovsdb_column *column,
           unsigned int select, const json_t *json)
{
    if (find_column(mt, column)) {
        return ovsdb_syntax_error(json, NULL, "column %s mentioned more "
                                  "than once", column->name);
    }
    mt->columns = xrealloc(mt->columns,
                           (mt->n_columns + 1) * sizeof *mt->columns);
    mt->columns[mt->n_columns].column = column;
    mt->columns[mt->n_columns].select = select;
    mt->n_columns++;
    mt->select |= select;
    return NULL;
}

static struct ovsdb_error *
parse_monitor_request(struct monitor *m, struct monitor_table *mt,
                      const json_t *request)
{
    const struct ovsdb_table_schema *ts = mt->table->schema;
    const json_t *columns, *select_json, *where = NULL;
    struct ovsdb_parser parser;
    struct ovsdb_error *error;
    unsigned int select;

    ovsdb_parser_init(&parser, request, "table %s", ts->name);
    if (m->version == MONITOR_V2) {
        where = ovsdb_parser_member(&parser, "where", OP_ARRAY | OP_OPTIONAL);
    }
    columns = ovsdb_parser_member(&parser, "columns", OP_ARRAY | OP_OPTIONAL);
    select_json = ovsdb_parser_member(&parser, "select",
                                      OP_OBJECT | OP_OPTIONAL);
    error = ovsdb_parser_finish(&parser);
    if (error) {
        return error;
    }

    if (select_json) {
        select = 0;
        ovsdb_parser_init(&parser, select_json, "table %s select", ts->name);
        select |= parse_bool(&parser, "initial", true) ? MS_INITIAL : 0;
        select |= parse_bool(&parser, "insert", true) ? MS_INSERT : 0;
        select |= parse_bool(&parser, "delete", true) ? MS_DELETE : 0;
        select |= parse_bool(&parser, "modify", true) ? MS_MODIFY : 0;
        error = ovsdb_parser_finish(&parser);
        if (error) {
            return error;
        }
    } else {
        select = MS_ALL;
    }

    if (columns) {
        for (size_t i = 0; i < json_array_size(columns); i++) {
            const json_t *elem = json_array_get(columns, i);
            const struct ovsdb_column *column;

            if (!json_is_string(elem)) {
                return ovsdb_syntax_error(columns, NULL,
                                          "array of column names expected");
            }
            column = ovsdb_table_schema_get_column(ts,
                                                   json_string_value(elem));
            if (!column) {
                return ovsdb_syntax_error(columns, NULL, "%s is not a valid "
                                          "column name",
                                          json_string_value(elem));
            }
            if (column->index == OVSDB_COL_UUID) {
                continue;       /* Always implied by the row's uuid. */
            }
            error = add_column(mt, column, select, columns);
            if (error) {
                return error;
            }
        }
    } else {
        for (size_t i = 0; i < ts->n_columns; i++) {
            if (i != OVSDB_COL_UUID) {
                error = add_column(mt, ts->column_array[i], select, NULL);
                if (error) {
                    return error;
                }
            }
        }
    }
    mt->select |= select;

    if (where) {
        struct ovsdb_condition cond;

        error = ovsdb_condition_from_json(ts, where, NULL, &cond);
        if (error) {
            return error;
        }
        ovsdb_condition_destroy(&mt->cond);
        mt->cond = cond;
    }
    return NULL;
}

struct ovsdb_error *
monitor_create(struct db *db, enum monitor_version version,
               const json_t *requests, struct monitor **monitorp)
{
    struct monitor *m = xzalloc(sizeof *m);
    struct ovsdb_error *error = NULL;
    const char *name;
    json_t *value;

    *monitorp = NULL;
    m->db = db;
    m->version = version;
    if (!json_is_object(requests)) {
        error = ovsdb_syntax_error(requests, NULL,
                                   "monitor-requests must be object");
        goto error;
    }

    m->tables = xcalloc(db->n_tables ? db->n_tables : 1, sizeof *m->tables);
    for (size_t i = 0; i < db->n_tables; i++) {
        struct db_table *table = db->table_array[i];
        const json_t *req = json_object_get(requests, table->schema->name);
        struct monitor_table *mt;

        if (!req) {
            continue;
        }
        mt = &m->tables[m->n_tables++];
        mt->table = table;
        ovsdb_condition_init(&mt->cond);
        if (json_is_array(req)) {
            for (size_t j = 0; !error && j < json_array_size(req); j++) {
                error = parse_monitor_request(m, mt, json_array_get(req, j));
            }
        } else {
            error = parse_monitor_request(m, mt, req);
        }
        if (error) {
            goto error;
        }
        if (mt->n_columns > 1) {
            qsort(mt->columns, mt->n_columns, sizeof *mt->columns,
                  compare_monitor_columns);
        }
    }
    json_object_foreach ((json_t *) requests, name, value) {
        if (!db_get_table(db, name)) {
            error = ovsdb_syntax_error(NULL, NULL, "no table named %s", name);
            goto error;
        }
    }

    monitor_update_key(m);
    *monitorp = m;
    return NULL;

error:
    monitor_destroy(m);
    return error;
}

void
monitor_destroy(struct monitor *m)
{
    if (m) {
        for (size_t i = 0; i < m->n_tables; i++) {
            free(m->tables[i].columns);
            ovsdb_condition_destroy(&m->tables[i].cond);
        }
        free(m->tables);
        free(m->key);
        free(m);
    }
}

enum monitor_version
monitor_get_version(const struct monitor *m)
{
    return m->version;
}

static void
monitor_update_key(struct monitor *m)
{
    struct ds key = DS_EMPTY_INITIALIZER;

    ds_put_format(&key, "v%d", m->version);
    for (size_t i = 0; i < m->n_tables; i++) {
        const struct monitor_table *mt = &m->tables[i];

        ds_put_format(&key, "|%s:", mt->table->schema->name);
        for (size_t j = 0; j < mt->n_columns; j++) {
            ds_put_format(&key, "%s/%u,", mt->columns[j].column->name,
                          mt->columns[j].select);
        }
        if (mt->cond.n_clauses) {
            json_t *cond = ovsdb_condition_to_json(&mt->cond);
            char *s = json_dumps(cond, JSON_COMPACT | JSON_SORT_KEYS);

            ds_put_format(&key, "where:%s", s ? s : "?");
            free(s);
            json_decref(cond);
        }
    }
    free(m->key);
    m->key = ds_steal_cstr(&key);
}

const char *
monitor_get_key(const struct monitor *m)
{
    return m->key;
}

/* Composing updates. */

static bool
row_visible(const struct monitor *m, const struct monitor_table *mt,
            const struct db_row *row)
{
    return (row
            && (m->version == MONITOR_V1
                || ovsdb_condition_empty_or_match_any(&row->row, &mt->cond)));
}

/* Returns the row-update for ROW (OLD and NEW versions; either may be
 * NULL) of kind TYPE (one MS_* bit), or NULL if there is nothing to
 * report.  CHANGED says which columns changed (for MS_MODIFY). */
static json_t *
compose_row_update(const struct monitor *m, const struct monitor_table *mt,
                   unsigned int type, const struct db_row *old,
                   const struct db_row *new, const bool *changed)
{
    json_t *update, *old_json = NULL, *new_json = NULL;

    if (type == MS_MODIFY) {
        bool any = false;
        for (size_t i = 0; i < mt->n_columns && !any; i++) {
            const struct monitor_column *c = &mt->columns[i];
            any = (c->select & MS_MODIFY) && changed[c->column->index];
        }
        if (!any) {
            return NULL;
        }
    }

    update = json_object();
    if (m->version == MONITOR_V2 && type == MS_DELETE) {
        json_object_set_new(update, "delete", json_null());
        return update;
    }
    if (m->version == MONITOR_V1) {
        if (type & (MS_DELETE | MS_MODIFY)) {
            old_json = json_object();
            json_object_set_new(update, "old", old_json);
        }
        if (type & (MS_INITIAL | MS_INSERT | MS_MODIFY)) {
            new_json = json_object();
            json_object_set_new(update, "new", new_json);
        }
    } else {
        new_json = json_object();
        json_object_set_new(update, (type == MS_INITIAL ? "initial"
                                     : type == MS_INSERT ? "insert"
                                     : "modify"), new_json);
    }

    for (size_t i = 0; i < mt->n_columns; i++) {
        const struct monitor_column *c = &mt->columns[i];
        const struct ovsdb_type *ctype = &c->column->type;
        size_t idx = c->column->index;

        if (!(type & c->select)) {
            continue;
        }
        if (m->version == MONITOR_V1) {
            if (type == MS_DELETE || (type == MS_MODIFY && changed[idx])) {
                json_object_set_new(old_json, c->column->name,
                                    ovsdb_datum_to_json(&old->row.fields[idx],
                                                        ctype));
            }
            if (new_json) {
                json_object_set_new(new_json, c->column->name,
                                    ovsdb_datum_to_json(&new->row.fields[idx],
                                                        ctype));
            }
        } else if (type == MS_MODIFY) {
            if (changed[idx]) {
                struct ovsdb_datum diff;

                ovsdb_datum_diff(&diff, &old->row.fields[idx],
                                 &new->row.fields[idx], ctype);
                json_object_set_new(new_json, c->column->name,
                                    ovsdb_datum_to_json(&diff, ctype));
                ovsdb_datum_destroy(&diff, ctype);
            }
        } else if (!ovsdb_datum_is_default(&new->row.fields[idx], ctype)) {
            json_object_set_new(new_json, c->column->name,
                                ovsdb_datum_to_json(&new->row.fields[idx],
                                                    ctype));
        }
    }
    return update;
}

static void
add_row_update(json_t **updatesp, json_t **table_jsonp,
               const struct monitor_table *mt, const struct uuid *uuid,
               json_t *row_update)
{
    char s[UUID_LEN + 1];

    if (!*updatesp) {
        *updatesp = json_object();
    }
    if (!*table_jsonp) {
        *table_jsonp = json_object();
        json_object_set_new(*updatesp, mt->table->schema->name,
                            *table_jsonp);
    }
    uuid_format(uuid, s);
    json_object_set_new(*table_jsonp, s, row_update);
}

json_t *
monitor_get_initial(const struct monitor *m)
{
    json_t *updates = NULL;

    for (size_t i = 0; i < m->n_tables; i++) {
        const struct monitor_table *mt = &m->tables[i];
        json_t *table_json = NULL;
        const struct db_row *row;

        if (!(mt->select & MS_INITIAL)) {
            continue;
        }
        HMAP_FOR_EACH (row, hmap_node, &mt->table->rows) {
            if (row_visible(m, mt, row)) {
                json_t *ru = compose_row_update(m, mt, MS_INITIAL, NULL, row,
                                                NULL);
                add_row_update(&updates, &table_json, mt, db_row_uuid(row),
                               ru);
            }
        }
    }
    return updates ? updates : json_object();
}

json_t *
monitor_compose_txn(const struct monitor *m, const struct txn *txn)
{
    json_t *updates = NULL;

    for (size_t i = 0; i < m->n_tables; i++) {
        const struct monitor_table *mt = &m->tables[i];
        const struct txn_table *tt = mt->table->txn_table;
        json_t *table_json = NULL;
        const struct txn_row *tr;

        if (!tt || vs_list_is_empty(&txn->tables)) {
            continue;
        }
        HMAP_FOR_EACH (tr, hmap_node, &tt->rows) {
            bool old_visible, new_visible;
            unsigned int type;
            json_t *ru;

            if (!txn_row_is_change(tr)) {
                continue;
            }
            old_visible = row_visible(m, mt, tr->old);
            new_visible = row_visible(m, mt, tr->new);
            if (!old_visible && !new_visible) {
                continue;
            }
            type = (!old_visible ? MS_INSERT
                    : !new_visible ? MS_DELETE
                    : MS_MODIFY);
            if (!(mt->select & type)) {
                continue;
            }
            if (m->version == MONITOR_V1 && type != MS_MODIFY
                && tr->old && tr->new) {
                continue;       /* Can't happen: no conditions in v1. */
            }
            ru = compose_row_update(m, mt, type, tr->old, tr->new,
                                    tr->changed);
            if (ru) {
                add_row_update(&updates, &table_json, mt, &tr->uuid, ru);
            }
        }
    }
    return updates;
}

struct ovsdb_error *
monitor_change_condition(struct monitor *m, const json_t *changes,
                         json_t **updatep)
{
    struct ovsdb_condition *new_conds;
    struct ovsdb_error *error = NULL;
    const char *name;
    json_t *value;
    size_t i;

    *updatep = NULL;
    if (!json_is_object(changes)) {
        return ovsdb_syntax_error(NULL, NULL, "monitor-cond-change-requests "
                                  "must be object");
    }

    new_conds = xcalloc(m->n_tables ? m->n_tables : 1, sizeof *new_conds);
    for (i = 0; i < m->n_tables; i++) {
        ovsdb_condition_clone(&new_conds[i], &m->tables[i].cond);
    }

    json_object_foreach ((json_t *) changes, name, value) {
        struct monitor_table *mt = NULL;

        if (!db_get_table(m->db, name)) {
            error = ovsdb_syntax_error(NULL, NULL, "no table named %s", name);
            goto out;
        }
        for (i = 0; i < m->n_tables; i++) {
            if (!strcmp(m->tables[i].table->schema->name, name)) {
                mt = &m->tables[i];
                break;
            }
        }
        if (!mt) {
            error = ovsdb_syntax_error(NULL, NULL, "no table named %s in "
                                       "monitor session", name);
            goto out;
        }
        if (!json_is_array(value)) {
            error = ovsdb_syntax_error(NULL, NULL, "table %s no "
                                       "monitor-cond-change JSON array",
                                       name);
            goto out;
        }
        for (size_t j = 0; j < json_array_size(value); j++) {
            const json_t *req = json_array_get(value, j);
            const json_t *columns, *where;
            struct ovsdb_parser parser;

            ovsdb_parser_init(&parser, req, "table %s", name);
            columns = ovsdb_parser_member(&parser, "columns",
                                          OP_ARRAY | OP_OPTIONAL);
            where = ovsdb_parser_member(&parser, "where",
                                        OP_ARRAY | OP_OPTIONAL);
            error = ovsdb_parser_finish(&parser);
            if (!error && columns) {
                error = ovsdb_syntax_error(req, NULL, "changing columns is "
                                           "unsupported");
            }
            if (!error && where) {
                struct ovsdb_condition cond;

                error = ovsdb_condition_from_json(mt->table->schema, where,
                                                  NULL, &cond);
                if (!error) {
                    ovsdb_condition_destroy(&new_conds[i]);
                    new_conds[i] = cond;
                }
            }
            if (error) {
                goto out;
            }
        }
    }

    /* Compute what the client must add and remove. */
    for (i = 0; i < m->n_tables; i++) {
        struct monitor_table *mt = &m->tables[i];
        json_t *table_json = NULL;
        const struct db_row *row;

        HMAP_FOR_EACH (row, hmap_node, &mt->table->rows) {
            bool was = ovsdb_condition_empty_or_match_any(&row->row,
                                                          &mt->cond);
            bool is = ovsdb_condition_empty_or_match_any(&row->row,
                                                         &new_conds[i]);
            json_t *ru = NULL;

            if (is && !was) {
                ru = compose_row_update(m, mt, MS_INSERT, NULL, row, NULL);
            } else if (was && !is) {
                ru = compose_row_update(m, mt, MS_DELETE, row, NULL, NULL);
            }
            if (ru) {
                add_row_update(updatep, &table_json, mt, db_row_uuid(row),
                               ru);
            }
        }
        ovsdb_condition_destroy(&mt->cond);
        mt->cond = new_conds[i];
        ovsdb_condition_init(&new_conds[i]);
    }
    monitor_update_key(m);

out:
    for (i = 0; i < m->n_tables; i++) {
        ovsdb_condition_destroy(&new_conds[i]);
    }
    free(new_conds);
    return error;
}
