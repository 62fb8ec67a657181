/* ovsdb-lite: the operations of a "transact" request (RFC 7047 section
 * 5.2).  Each reads its members through the request's parser and changes
 * the transaction's view through the change set; see
 * transaction-private.h. */
#include <config.h>

#include "transaction-private.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "database.h"
#include "ovsdb-condition.h"
#include "ovsdb-data.h"
#include "ovsdb-error.h"
#include "ovsdb-mutation.h"
#include "ovsdb-parser.h"
#include "ovsdb-row.h"
#include "ovsdb-schema.h"
#include "row-set.h"
#include "util.h"

/* Stores in A the rows of TABLE's current view that match every clause of
 * COND.  A stays valid while the table changes. */
static void
query(struct db_table *table, const struct ovsdb_condition *cond,
      struct row_array *a)
{
    const struct uuid *uuid = ovsdb_condition_get_uuid(cond);

    *a = (struct row_array) ROW_ARRAY_INITIALIZER;
    if (uuid) {
        struct db_row *row = db_table_find_row(table, uuid);
        if (row) {
            row_array_add(a, row);
        }
    } else if (ovsdb_condition_is_false(cond)) {
        return;
    } else {
        struct db_row *row;

        HMAP_FOR_EACH (row, hmap_node, &table->rows) {
            if (ovsdb_condition_match_every_clause(&row->row, cond)) {
                row_array_add(a, row);
            }
        }
    }
}

static struct db_table *
parse_table(struct exec *x, struct ovsdb_parser *parser)
{
    const json_t *json = ovsdb_parser_member(parser, "table", OP_ID);
    struct db_table *table;

    if (!json) {
        return NULL;
    }
    table = db_get_table(x->txn->db, json_string_value(json));
    if (!table) {
        ovsdb_parser_raise_error(parser, "No table named %s.",
                                 json_string_value(json));
    }
    return table;
}

/* Parses JSON (may be NULL: all columns, including "_uuid" and
 * "_version") as a column set of TABLE. */
static struct ovsdb_error *
parse_columns(const json_t *json, const struct db_table *table,
              struct ovsdb_column_set *columns)
{
    if (!json) {
        ovsdb_column_set_add_all(columns, table->schema, true);
        return NULL;
    }
    return ovsdb_column_set_from_json(json, table->schema, columns);
}

static struct ovsdb_error *
op_insert(struct exec *x, struct ovsdb_parser *parser, json_t *result)
{
    struct db_table *table = parse_table(x, parser);
    const json_t *uuid_json = ovsdb_parser_member(parser, "uuid",
                                                  OP_STRING | OP_OPTIONAL);
    const json_t *uuid_name = ovsdb_parser_member(parser, "uuid-name",
                                                  OP_ID | OP_OPTIONAL);
    const json_t *row_json = ovsdb_parser_member(parser, "row", OP_OBJECT);
    const struct ovsdb_table_schema *ts;
    struct ovsdb_error *error;
    struct db_row *row;
    struct uuid uuid;

    if (ovsdb_parser_has_error(parser)) {
        return NULL;
    }
    ts = table->schema;

    if (uuid_json) {
        if (!uuid_from_string(&uuid, json_string_value(uuid_json))) {
            return ovsdb_syntax_error(uuid_json, NULL, "bad uuid");
        }
        if (db_table_find_row(table, &uuid) || txn_find_row(table, &uuid)) {
            return ovsdb_syntax_error(uuid_json, "duplicate uuid",
                                      "This UUID would duplicate a UUID "
                                      "already present within the table or "
                                      "deleted within the same "
                                      "transaction.");
        }
    }
    if (uuid_name) {
        const char *name = json_string_value(uuid_name);
        struct ovsdb_symbol *symbol = ovsdb_symbol_table_get(x->symtab, name);

        if (!symbol) {
            struct uuid new_uuid;

            db_uuid_generate(&new_uuid);
            symbol = ovsdb_symbol_table_put(x->symtab, name, &new_uuid, false);
        }

        if (symbol->created) {
            return ovsdb_syntax_error(uuid_name, "duplicate uuid-name",
                                      "This \"uuid-name\" appeared on an "
                                      "earlier \"insert\" operation.");
        }
        if (uuid_json) {
            symbol->uuid = uuid;
        } else {
            uuid = symbol->uuid;
        }
        symbol->created = true;
    } else if (!uuid_json) {
        db_uuid_generate(&uuid);
    }
    if (!uuid_json && db_table_find_row(table, &uuid)) {
        return ovsdb_error("duplicate uuid", "named-uuid %s collides with "
                           "an existing row", json_string_value(uuid_name));
    }

    row = db_row_create(table);
    {
        const char *name;
        json_t *value;

        json_object_foreach ((json_t *) row_json, name, value) {
            const struct ovsdb_column *c = ovsdb_table_schema_get_column(ts,
                                                                         name);
            if (c && c->index < OVSDB_N_STD_COLUMNS) {
                db_row_destroy(row);
                return ovsdb_syntax_error(NULL, "constraint violation",
                                          "Column %s in table %s cannot be "
                                          "set.", name, ts->name);
            }
        }
    }
    error = ovsdb_row_from_json(&row->row, row_json, x->symtab, NULL);
    if (error) {
        db_row_destroy(row);
        return error;
    }

    /* Defaults may violate constraints (e.g. an enum without ""). */
    for (size_t i = OVSDB_N_STD_COLUMNS; i < ts->n_columns; i++) {
        const struct ovsdb_datum *d = &row->row.fields[i];
        if (d->n == 1) {
            error = ovsdb_datum_check_constraints(d,
                                                  &ts->column_array[i]->type);
            if (error) {
                db_row_destroy(row);
                return ovsdb_wrap_error(error, "column %s",
                                        ts->column_array[i]->name);
            }
        }
    }

    {
        struct uuid version;
        db_uuid_generate(&version);
        ovsdb_row_set_uuid(&row->row, &uuid);
        ovsdb_row_set_version(&row->row, &version);
    }
    db_table_insert_row(table, row);
    txn_add_row(x->txn, table, &uuid, NULL, row);
    json_object_set_new(result, "uuid",
                        ovsdb_atom_to_json(&row->row.fields[0].keys[0],
                                           OVSDB_TYPE_UUID));
    return NULL;
}

static struct ovsdb_error *
op_select(struct exec *x, struct ovsdb_parser *parser, json_t *result)
{
    struct db_table *table = parse_table(x, parser);
    const json_t *where = ovsdb_parser_member(parser, "where", OP_ARRAY);
    const json_t *columns_json = ovsdb_parser_member(parser, "columns",
                                                     OP_ARRAY | OP_OPTIONAL);
    struct ovsdb_condition cond = OVSDB_CONDITION_INITIALIZER;
    struct ovsdb_column_set columns = OVSDB_COLUMN_SET_INITIALIZER;
    struct ovsdb_error *error;

    if (ovsdb_parser_has_error(parser)) {
        return NULL;
    }
    error = ovsdb_condition_from_json(table->schema, where, x->symtab, &cond);
    if (!error) {
        error = parse_columns(columns_json, table, &columns);
    }
    if (!error) {
        struct row_array a;
        json_t *rows = json_array();

        query(table, &cond, &a);
        if (ovsdb_column_set_contains(&columns, OVSDB_COL_UUID)) {
            for (size_t i = 0; i < a.n; i++) {
                json_array_append_new(rows, ovsdb_row_to_json(&a.rows[i]->row,
                                                              &columns));
            }
        } else {
            struct row_set set;

            row_set_init(&set, &columns, a.n);
            for (size_t i = 0; i < a.n; i++) {
                if (row_set_add(&set, &a.rows[i]->row)) {
                    json_array_append_new(
                        rows, ovsdb_row_to_json(&a.rows[i]->row, &columns));
                }
            }
            row_set_destroy(&set);
        }
        free(a.rows);
        json_object_set_new(result, "rows", rows);
    }
    ovsdb_column_set_destroy(&columns);
    ovsdb_condition_destroy(&cond);
    return error;
}

static struct ovsdb_error *
op_update(struct exec *x, struct ovsdb_parser *parser, json_t *result)
{
    struct db_table *table = parse_table(x, parser);
    const json_t *where = ovsdb_parser_member(parser, "where", OP_ARRAY);
    const json_t *row_json = ovsdb_parser_member(parser, "row", OP_OBJECT);
    struct ovsdb_condition cond = OVSDB_CONDITION_INITIALIZER;
    struct ovsdb_column_set columns = OVSDB_COLUMN_SET_INITIALIZER;
    struct ovsdb_error *error;
    struct db_row *row;

    if (ovsdb_parser_has_error(parser)) {
        return NULL;
    }
    row = db_row_create(table);
    error = ovsdb_row_from_json(&row->row, row_json, x->symtab, &columns);
    for (size_t i = 0; !error && i < columns.n; i++) {
        const struct ovsdb_column *c = columns.columns[i];

        if (!c->mutable_ || c->index < OVSDB_N_STD_COLUMNS) {
            error = ovsdb_syntax_error(NULL, "constraint violation",
                                       "Cannot update immutable column %s "
                                       "in table %s.", c->name,
                                       table->schema->name);
        }
    }
    if (!error) {
        error = ovsdb_condition_from_json(table->schema, where, x->symtab,
                                          &cond);
    }
    if (!error) {
        struct row_array a;

        query(table, &cond, &a);
        for (size_t i = 0; i < a.n; i++) {
            if (!ovsdb_row_equal_columns(&a.rows[i]->row, &row->row,
                                         &columns)) {
                struct db_row *rw = txn_row_modify(x->txn, table, a.rows[i]);
                ovsdb_row_update_columns(&rw->row, &row->row, &columns);
            }
        }
        json_object_set_new(result, "count", json_integer(a.n));
        free(a.rows);
    }
    db_row_destroy(row);
    ovsdb_column_set_destroy(&columns);
    ovsdb_condition_destroy(&cond);
    return error;
}

static struct ovsdb_error *
op_mutate(struct exec *x, struct ovsdb_parser *parser, json_t *result)
{
    struct db_table *table = parse_table(x, parser);
    const json_t *where = ovsdb_parser_member(parser, "where", OP_ARRAY);
    const json_t *mutations_json = ovsdb_parser_member(parser, "mutations",
                                                       OP_ARRAY);
    struct ovsdb_mutation_set mutations = OVSDB_MUTATION_SET_INITIALIZER;
    struct ovsdb_condition cond = OVSDB_CONDITION_INITIALIZER;
    struct ovsdb_error *error;

    if (ovsdb_parser_has_error(parser)) {
        return NULL;
    }
    error = ovsdb_mutation_set_from_json(table->schema, mutations_json,
                                         x->symtab, &mutations);
    if (!error) {
        error = ovsdb_condition_from_json(table->schema, where, x->symtab,
                                          &cond);
    }
    if (!error) {
        struct row_array a;

        query(table, &cond, &a);
        for (size_t i = 0; !error && i < a.n; i++) {
            struct db_row *rw = txn_row_modify(x->txn, table, a.rows[i]);
            error = ovsdb_mutation_set_execute(&rw->row, &mutations);
        }
        json_object_set_new(result, "count", json_integer(a.n));
        free(a.rows);
    }
    ovsdb_mutation_set_destroy(&mutations);
    ovsdb_condition_destroy(&cond);
    return error;
}

static struct ovsdb_error *
op_delete(struct exec *x, struct ovsdb_parser *parser, json_t *result)
{
    struct db_table *table = parse_table(x, parser);
    const json_t *where = ovsdb_parser_member(parser, "where", OP_ARRAY);
    struct ovsdb_condition cond = OVSDB_CONDITION_INITIALIZER;
    struct ovsdb_error *error;

    if (ovsdb_parser_has_error(parser)) {
        return NULL;
    }
    error = ovsdb_condition_from_json(table->schema, where, x->symtab, &cond);
    if (!error) {
        struct row_array a;

        query(table, &cond, &a);
        for (size_t i = 0; i < a.n; i++) {
            txn_row_delete(x->txn, table, a.rows[i]);
        }
        json_object_set_new(result, "count", json_integer(a.n));
        free(a.rows);
    }
    ovsdb_condition_destroy(&cond);
    return error;
}

static struct ovsdb_error *
op_wait(struct exec *x, struct ovsdb_parser *parser,
        json_t *result VS_UNUSED)
{
    const json_t *timeout = ovsdb_parser_member(parser, "timeout",
                                                OP_INTEGER | OP_OPTIONAL);
    struct db_table *table = parse_table(x, parser);
    const json_t *where = ovsdb_parser_member(parser, "where", OP_ARRAY);
    const json_t *columns_json = ovsdb_parser_member(parser, "columns",
                                                     OP_ARRAY | OP_OPTIONAL);
    const json_t *until = ovsdb_parser_member(parser, "until", OP_STRING);
    const json_t *rows = ovsdb_parser_member(parser, "rows", OP_ARRAY);
    struct ovsdb_condition cond = OVSDB_CONDITION_INITIALIZER;
    struct ovsdb_column_set columns = OVSDB_COLUMN_SET_INITIALIZER;
    struct ovsdb_row *expected = NULL;
    size_t n_expected = 0;
    long long int timeout_msec = LLONG_MAX;
    struct ovsdb_error *error;

    if (ovsdb_parser_has_error(parser)) {
        return NULL;
    }
    if (timeout) {
        timeout_msec = json_integer_value(timeout);
        if (timeout_msec < 0) {
            return ovsdb_syntax_error(timeout, NULL,
                                      "timeout must be nonnegative");
        }
    }
    if (strcmp(json_string_value(until), "==")
        && strcmp(json_string_value(until), "!=")) {
        return ovsdb_syntax_error(until, NULL,
                                  "\"until\" must be \"==\" or \"!=\"");
    }

    error = ovsdb_condition_from_json(table->schema, where, x->symtab, &cond);
    if (!error) {
        error = parse_columns(columns_json, table, &columns);
    }
    if (!error) {
        n_expected = json_array_size(rows);
        expected = xcalloc(n_expected ? n_expected : 1, sizeof *expected);
        for (size_t i = 0; i < n_expected; i++) {
            ovsdb_row_init(&expected[i], table->schema);
            if (!error) {
                error = ovsdb_row_from_json(&expected[i],
                                            json_array_get(rows, i),
                                            x->symtab, NULL);
            }
        }
    }
    if (!error) {
        struct row_set exp_set, act_set;
        struct row_array a;
        bool equal = true;

        row_set_init(&exp_set, &columns, n_expected);
        for (size_t i = 0; i < n_expected; i++) {
            row_set_add(&exp_set, &expected[i]);
        }

        query(table, &cond, &a);
        row_set_init(&act_set, &columns, a.n);
        for (size_t i = 0; i < a.n && equal; i++) {
            if (!row_set_contains(&exp_set, &a.rows[i]->row)) {
                equal = false;
            } else {
                row_set_add(&act_set, &a.rows[i]->row);
            }
        }
        if (equal) {
            equal = act_set.n == exp_set.n;
        }
        free(a.rows);
        row_set_destroy(&act_set);
        row_set_destroy(&exp_set);

        if (!strcmp(json_string_value(until), "==") != equal) {
            if (timeout && x->ctx->elapsed_msec >= timeout_msec) {
                if (x->ctx->elapsed_msec) {
                    error = ovsdb_error("timed out", "\"wait\" timed out "
                                        "after %lld ms",
                                        x->ctx->elapsed_msec);
                } else {
                    error = ovsdb_error("timed out",
                                        "\"where\" clause test failed");
                }
            } else {
                if (timeout_msec < x->timeout_msec) {
                    x->timeout_msec = timeout_msec;
                }
                x->blocked = true;
                error = ovsdb_error("not supported",
                                    "wait not yet satisfied");
            }
        }
    }

    for (size_t i = 0; i < n_expected; i++) {
        ovsdb_row_uninit(&expected[i]);
    }
    free(expected);
    ovsdb_column_set_destroy(&columns);
    ovsdb_condition_destroy(&cond);
    return error;
}

static struct ovsdb_error *
op_commit(struct exec *x VS_UNUSED, struct ovsdb_parser *parser,
          json_t *result VS_UNUSED)
{
    /* Every commit is durable here, so "durable" changes nothing. */
    ovsdb_parser_member(parser, "durable", OP_BOOLEAN);
    return NULL;
}

static struct ovsdb_error *
op_abort(struct exec *x VS_UNUSED, struct ovsdb_parser *parser VS_UNUSED,
         json_t *result VS_UNUSED)
{
    return ovsdb_error("aborted", "aborted by request");
}

static struct ovsdb_error *
op_comment(struct exec *x, struct ovsdb_parser *parser,
           json_t *result VS_UNUSED)
{
    const json_t *comment = ovsdb_parser_member(parser, "comment", OP_STRING);

    if (comment) {
        if (x->txn->comment.length) {
            ds_put_char(&x->txn->comment, '\n');
        }
        ds_put_cstr(&x->txn->comment, json_string_value(comment));
    }
    return NULL;
}

static struct ovsdb_error *
op_assert(struct exec *x, struct ovsdb_parser *parser,
          json_t *result VS_UNUSED)
{
    const json_t *lock = ovsdb_parser_member(parser, "lock", OP_ID);

    if (!lock) {
        return NULL;
    }
    if (x->ctx->lock_owned
        && x->ctx->lock_owned(json_string_value(lock), x->ctx->aux)) {
        return NULL;
    }
    return ovsdb_error("not owner", "Asserted lock %s not held.",
                       json_string_value(lock));
}

txn_op_func *
txn_op_lookup(const char *name)
{
    static const struct {
        const char *name;
        txn_op_func *func;
    } ops[] = {
        { "insert", op_insert },
        { "select", op_select },
        { "update", op_update },
        { "mutate", op_mutate },
        { "delete", op_delete },
        { "wait", op_wait },
        { "commit", op_commit },
        { "abort", op_abort },
        { "comment", op_comment },
        { "assert", op_assert },
    };

    for (size_t i = 0; i < ARRAY_SIZE(ops); i++) {
        if (!strcmp(ops[i].name, name)) {
            return ops[i].func;
        }
    }
    return NULL;
}
