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

/* Parses WHERE as a condition on TABLE and stores in A the rows of the
 * transaction's view that match it (see query()).  A is empty after an
 * error; the caller frees it with row_array_destroy() either way. */
static struct ovsdb_error *
query_where(struct exec *x, struct db_table *table, const json_t *where,
            struct row_array *a)
{
    struct ovsdb_condition cond = OVSDB_CONDITION_INITIALIZER;
    struct ovsdb_error *error;

    *a = (struct row_array) ROW_ARRAY_INITIALIZER;
    error = ovsdb_condition_from_json(table->schema, where, x->symtab, &cond);
    if (!error) {
        query(table, &cond, a);
    }
    ovsdb_condition_destroy(&cond);
    return error;
}

/* Stores in *UUID the uuid of the row that "insert" creates, from its
 * optional members "uuid" (UUID_JSON) and "uuid-name" (UUID_NAME). */
static struct ovsdb_error *
insert_choose_uuid(struct exec *x, const struct db_table *table,
                   const json_t *uuid_json, const json_t *uuid_name,
                   struct uuid *uuid)
{
    if (uuid_json) {
        if (!uuid_from_string(uuid, json_string_value(uuid_json))) {
            return ovsdb_syntax_error(uuid_json, NULL, "bad uuid");
        }
        if (db_table_find_row(table, uuid) || txn_find_row(table, uuid)) {
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
            symbol->uuid = *uuid;
        } else {
            *uuid = symbol->uuid;
        }
        symbol->created = true;
    } else if (!uuid_json) {
        db_uuid_generate(uuid);
    }
    if (!uuid_json && db_table_find_row(table, uuid)) {
        return ovsdb_error("duplicate uuid", "named-uuid %s collides with "
                           "an existing row", json_string_value(uuid_name));
    }
    return NULL;
}

/* Parses ROW_JSON, the "row" of an "insert" into TABLE, into a new row
 * in *ROWP (the other columns get their defaults). */
static struct ovsdb_error *
insert_parse_row(struct exec *x, const struct db_table *table,
                 const json_t *row_json, struct db_row **rowp)
{
    const struct ovsdb_table_schema *ts = table->schema;
    struct ovsdb_error *error;
    struct db_row *row;
    const char *name;
    json_t *value;

    json_object_foreach ((json_t *) row_json, name, value) {
        const struct ovsdb_column *c = ovsdb_table_schema_get_column(ts,
                                                                     name);
        if (c && c->index < OVSDB_N_STD_COLUMNS) {
            return ovsdb_syntax_error(NULL, "constraint violation",
                                      "Column %s in table %s cannot be "
                                      "set.", name, ts->name);
        }
    }

    row = db_row_create(table);
    error = ovsdb_row_from_json(&row->row, row_json, x->symtab, NULL);

    /* Defaults may violate constraints (e.g. an enum without ""). */
    for (size_t i = OVSDB_N_STD_COLUMNS; !error && i < ts->n_columns; i++) {
        const struct ovsdb_datum *d = &row->row.fields[i];
        if (d->n == 1) {
            error = ovsdb_datum_check_constraints(d,
                                                  &ts->column_array[i]->type);
            if (error) {
                error = ovsdb_wrap_error(error, "column %s",
                                         ts->column_array[i]->name);
            }
        }
    }
    if (error) {
        db_row_destroy(row);
        return error;
    }
    *rowp = row;
    return NULL;
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
    struct ovsdb_error *error;
    struct db_row *row = NULL;
    struct uuid uuid, version;

    if (ovsdb_parser_has_error(parser)) {
        return NULL;
    }
    error = insert_choose_uuid(x, table, uuid_json, uuid_name, &uuid);
    if (!error) {
        error = insert_parse_row(x, table, row_json, &row);
    }
    if (error) {
        return error;
    }

    db_uuid_generate(&version);
    ovsdb_row_set_uuid(&row->row, &uuid);
    ovsdb_row_set_version(&row->row, &version);
    db_table_insert_row(table, row);
    txn_add_row(x->txn, table, &uuid, NULL, row);
    json_object_set_new(result, "uuid",
                        ovsdb_atom_to_json(&row->row.fields[0].keys[0],
                                           OVSDB_TYPE_UUID));
    return NULL;
}

/* Returns the rows in A as a JSON array of their COLUMNS.  Without
 * "_uuid" among COLUMNS, rows equal in COLUMNS appear once. */
static json_t *
rows_to_json(const struct row_array *a, const struct ovsdb_column_set *columns)
{
    bool distinct = !ovsdb_column_set_contains(columns, OVSDB_COL_UUID);
    json_t *rows = json_array();
    struct row_set set;

    row_set_init(&set, columns, distinct ? a->n : 0);
    for (size_t i = 0; i < a->n; i++) {
        const struct ovsdb_row *row = &a->rows[i]->row;

        if (!distinct || row_set_add(&set, row)) {
            json_array_append_new(rows, ovsdb_row_to_json(row, columns));
        }
    }
    row_set_destroy(&set);
    return rows;
}

static struct ovsdb_error *
op_select(struct exec *x, struct ovsdb_parser *parser, json_t *result)
{
    struct db_table *table = parse_table(x, parser);
    const json_t *where = ovsdb_parser_member(parser, "where", OP_ARRAY);
    const json_t *columns_json = ovsdb_parser_member(parser, "columns",
                                                     OP_ARRAY | OP_OPTIONAL);
    struct ovsdb_column_set columns = OVSDB_COLUMN_SET_INITIALIZER;
    struct row_array a = ROW_ARRAY_INITIALIZER;
    struct ovsdb_error *error;

    if (ovsdb_parser_has_error(parser)) {
        return NULL;
    }
    error = query_where(x, table, where, &a);
    if (!error) {
        error = parse_columns(columns_json, table, &columns);
    }
    if (!error) {
        json_object_set_new(result, "rows", rows_to_json(&a, &columns));
    }
    row_array_destroy(&a);
    ovsdb_column_set_destroy(&columns);
    return error;
}

/* Parses ROW_JSON, the "row" of an "update" of TABLE, into ROW, and the
 * columns it sets into COLUMNS, which must all be mutable. */
static struct ovsdb_error *
update_parse_row(struct exec *x, const struct db_table *table,
                 const json_t *row_json, struct db_row *row,
                 struct ovsdb_column_set *columns)
{
    struct ovsdb_error *error;

    error = ovsdb_row_from_json(&row->row, row_json, x->symtab, columns);
    for (size_t i = 0; !error && i < columns->n; i++) {
        const struct ovsdb_column *c = columns->columns[i];

        if (!c->mutable_ || c->index < OVSDB_N_STD_COLUMNS) {
            error = ovsdb_syntax_error(NULL, "constraint violation",
                                       "Cannot update immutable column %s "
                                       "in table %s.", c->name,
                                       table->schema->name);
        }
    }
    return error;
}

static struct ovsdb_error *
op_update(struct exec *x, struct ovsdb_parser *parser, json_t *result)
{
    struct db_table *table = parse_table(x, parser);
    const json_t *where = ovsdb_parser_member(parser, "where", OP_ARRAY);
    const json_t *row_json = ovsdb_parser_member(parser, "row", OP_OBJECT);
    struct ovsdb_column_set columns = OVSDB_COLUMN_SET_INITIALIZER;
    struct row_array a = ROW_ARRAY_INITIALIZER;
    struct ovsdb_error *error;
    struct db_row *row;

    if (ovsdb_parser_has_error(parser)) {
        return NULL;
    }
    row = db_row_create(table);
    error = update_parse_row(x, table, row_json, row, &columns);
    if (!error) {
        error = query_where(x, table, where, &a);
    }
    if (!error) {
        for (size_t i = 0; i < a.n; i++) {
            if (!ovsdb_row_equal_columns(&a.rows[i]->row, &row->row,
                                         &columns)) {
                struct db_row *rw = txn_row_modify(x->txn, table, a.rows[i]);
                ovsdb_row_update_columns(&rw->row, &row->row, &columns);
            }
        }
        json_object_set_new(result, "count", json_integer(a.n));
    }
    row_array_destroy(&a);
    db_row_destroy(row);
    ovsdb_column_set_destroy(&columns);
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
    struct row_array a = ROW_ARRAY_INITIALIZER;
    struct ovsdb_error *error;

    if (ovsdb_parser_has_error(parser)) {
        return NULL;
    }
    error = ovsdb_mutation_set_from_json(table->schema, mutations_json,
                                         x->symtab, &mutations);
    if (!error) {
        error = query_where(x, table, where, &a);
    }
    if (!error) {
        for (size_t i = 0; !error && i < a.n; i++) {
            struct db_row *rw = txn_row_modify(x->txn, table, a.rows[i]);
            error = ovsdb_mutation_set_execute(&rw->row, &mutations);
        }
        json_object_set_new(result, "count", json_integer(a.n));
    }
    row_array_destroy(&a);
    ovsdb_mutation_set_destroy(&mutations);
    return error;
}

static struct ovsdb_error *
op_delete(struct exec *x, struct ovsdb_parser *parser, json_t *result)
{
    struct db_table *table = parse_table(x, parser);
    const json_t *where = ovsdb_parser_member(parser, "where", OP_ARRAY);
    struct row_array a = ROW_ARRAY_INITIALIZER;
    struct ovsdb_error *error;

    if (ovsdb_parser_has_error(parser)) {
        return NULL;
    }
    error = query_where(x, table, where, &a);
    if (!error) {
        for (size_t i = 0; i < a.n; i++) {
            txn_row_delete(x->txn, table, a.rows[i]);
        }
        json_object_set_new(result, "count", json_integer(a.n));
    }
    row_array_destroy(&a);
    return error;
}

/* Parses ROWS, a JSON array of rows of TABLE, into *N rows in *ROWSP.
 * Even after an error, all *N rows are initialized: the caller frees them
 * with free_rows(). */
static struct ovsdb_error *
parse_rows(struct exec *x, const struct db_table *table, const json_t *rows,
           struct ovsdb_row **rowsp, size_t *n)
{
    struct ovsdb_error *error = NULL;

    *n = json_array_size(rows);
    *rowsp = xcalloc(*n ? *n : 1, sizeof **rowsp);
    for (size_t i = 0; i < *n; i++) {
        ovsdb_row_init(&(*rowsp)[i], table->schema);
        if (!error) {
            error = ovsdb_row_from_json(&(*rowsp)[i], json_array_get(rows, i),
                                        x->symtab, NULL);
        }
    }
    return error;
}

static void
free_rows(struct ovsdb_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        ovsdb_row_uninit(&rows[i]);
    }
    free(rows);
}

/* Returns true if the rows in A, compared in COLUMNS, are the same set as
 * the N rows in EXPECTED. */
static bool
rows_equal(const struct row_array *a, const struct ovsdb_row *expected,
           size_t n, const struct ovsdb_column_set *columns)
{
    struct row_set exp_set, act_set;
    bool equal = true;

    row_set_init(&exp_set, columns, n);
    for (size_t i = 0; i < n; i++) {
        row_set_add(&exp_set, &expected[i]);
    }

    row_set_init(&act_set, columns, a->n);
    for (size_t i = 0; i < a->n && equal; i++) {
        if (!row_set_contains(&exp_set, &a->rows[i]->row)) {
            equal = false;
        } else {
            row_set_add(&act_set, &a->rows[i]->row);
        }
    }
    equal = equal && act_set.n == exp_set.n;
    row_set_destroy(&act_set);
    row_set_destroy(&exp_set);
    return equal;
}

/* Returns the error of a "wait" whose condition does not hold: "timed
 * out" once its timeout TIMEOUT_MSEC (if HAS_TIMEOUT) has passed;
 * otherwise the request blocks, to be retried within TIMEOUT_MSEC. */
static struct ovsdb_error *
wait_unsatisfied(struct exec *x, bool has_timeout, long long int timeout_msec)
{
    long long int elapsed_msec = x->ctx->elapsed_msec;

    if (has_timeout && elapsed_msec >= timeout_msec) {
        return (elapsed_msec
                ? ovsdb_error("timed out", "\"wait\" timed out after %lld ms",
                              elapsed_msec)
                : ovsdb_error("timed out", "\"where\" clause test failed"));
    }
    if (timeout_msec < x->timeout_msec) {
        x->timeout_msec = timeout_msec;
    }
    x->blocked = true;
    return ovsdb_error("not supported", "wait not yet satisfied");
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
    struct ovsdb_column_set columns = OVSDB_COLUMN_SET_INITIALIZER;
    struct row_array a = ROW_ARRAY_INITIALIZER;
    long long int timeout_msec = LLONG_MAX;
    struct ovsdb_row *expected = NULL;
    struct ovsdb_error *error;
    size_t n_expected = 0;
    bool want_equal;

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
    want_equal = !strcmp(json_string_value(until), "==");
    if (!want_equal && strcmp(json_string_value(until), "!=")) {
        return ovsdb_syntax_error(until, NULL,
                                  "\"until\" must be \"==\" or \"!=\"");
    }

    error = query_where(x, table, where, &a);
    if (!error) {
        error = parse_columns(columns_json, table, &columns);
    }
    if (!error) {
        error = parse_rows(x, table, rows, &expected, &n_expected);
    }
    if (!error
        && rows_equal(&a, expected, n_expected, &columns) != want_equal) {
        error = wait_unsatisfied(x, timeout != NULL, timeout_msec);
    }

    free_rows(expected, n_expected);
    row_array_destroy(&a);
    ovsdb_column_set_destroy(&columns);
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
