/* ovsdb-lite: OVSDB transactions.  See transaction.h. */
#include <config.h>

#include "transaction.h"

#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "database.h"
#include "hash.h"
#include "ovsdb-condition.h"
#include "ovsdb-data.h"
#include "ovsdb-error.h"
#include "ovsdb-mutation.h"
#include "ovsdb-parser.h"
#include "ovsdb-row.h"
#include "ovsdb-schema.h"
#include "util.h"

/* Execution state of one request. */
struct exec {
    struct txn *txn;
    struct ovsdb_symbol_table *symtab;
    const struct txn_context *ctx;
    long long int timeout_msec;     /* Smallest unsatisfied wait timeout. */
    bool blocked;                   /* An unsatisfied "wait" stopped us. */
};

/* Transactions and their rows. */

static struct txn *
txn_create(struct db *db)
{
    struct txn *txn = xzalloc(sizeof *txn);

    txn->db = db;
    vs_list_init(&txn->tables);
    ds_init(&txn->comment);
    return txn;
}

static struct txn_table *
txn_get_table(struct txn *txn, struct db_table *table)
{
    if (!table->txn_table) {
        struct txn_table *tt = xmalloc(sizeof *tt);

        tt->table = table;
        hmap_init(&tt->rows);
        vs_list_push_back(&txn->tables, &tt->node);
        table->txn_table = tt;
    }
    return table->txn_table;
}

static struct txn_row *
txn_find_row(const struct db_table *table, const struct uuid *uuid)
{
    struct txn_row *tr;

    if (!table->txn_table) {
        return NULL;
    }
    HMAP_FOR_EACH_WITH_HASH (tr, hmap_node, uuid_hash(uuid),
                             &table->txn_table->rows) {
        if (uuid_equals(&tr->uuid, uuid)) {
            return tr;
        }
    }
    return NULL;
}

static struct txn_row *
txn_add_row(struct txn *txn, struct db_table *table, const struct uuid *uuid,
            struct db_row *old, struct db_row *new)
{
    struct txn_table *tt = txn_get_table(txn, table);
    struct txn_row *tr = xzalloc(sizeof *tr);

    tr->table = table;
    tr->uuid = *uuid;
    tr->old = old;
    tr->new = new;
    tr->n_refs = old ? old->n_refs : 0;
    if (old) {
        old->txn_row = tr;
    }
    if (new) {
        new->txn_row = tr;
    }
    hmap_insert(&tt->rows, &tr->hmap_node, uuid_hash(uuid));
    return tr;
}

/* Returns a writable version of ROW, which must be in its table's current
 * view, copying it on first write. */
static struct db_row *
txn_row_modify(struct txn *txn, struct db_table *table, struct db_row *row)
{
    struct txn_row *tr = row->txn_row;
    struct db_row *copy;
    struct uuid version;

    if (tr && tr->new != tr->old) {
        return tr->new;
    }

    copy = db_row_clone(row);
    db_uuid_generate(&version);
    ovsdb_row_set_version(&copy->row, &version);
    db_table_remove_row(table, row);
    db_table_insert_row(table, copy);
    if (tr) {
        tr->new = copy;
        copy->txn_row = tr;
    } else {
        txn_add_row(txn, table, db_row_uuid(row), row, copy);
    }
    return copy;
}

/* Deletes ROW, which must be in its table's current view. */
static void
txn_row_delete(struct txn *txn, struct db_table *table, struct db_row *row)
{
    struct txn_row *tr = row->txn_row;

    db_table_remove_row(table, row);
    if (!tr) {
        txn_add_row(txn, table, db_row_uuid(row), row, NULL);
    } else {
        if (tr->new != tr->old) {
            db_row_destroy(tr->new);
        }
        tr->new = NULL;
    }
}

static void
txn_row_free(struct txn_row *tr)
{
    free(tr->changed);
    free(tr);
}

static void
txn_free(struct txn *txn)
{
    struct txn_table *tt;

    LIST_FOR_EACH_POP (tt, node, &txn->tables) {
        struct txn_row *tr;

        HMAP_FOR_EACH_SAFE (tr, hmap_node, &tt->rows) {
            txn_row_free(tr);
        }
        hmap_destroy(&tt->rows);
        tt->table->txn_table = NULL;
        free(tt);
    }
    ds_destroy(&txn->comment);
    free(txn);
}

/* Undoes TR's change in memory. */
static void
txn_row_undo(struct txn_row *tr)
{
    if (tr->new && tr->new != tr->old) {
        db_table_remove_row(tr->table, tr->new);
        db_row_destroy(tr->new);
    }
    if (tr->old) {
        if (tr->old != tr->new) {
            db_table_insert_row(tr->table, tr->old);
        }
        tr->old->txn_row = NULL;
    }
    tr->new = tr->old;
}

void
txn_abort(struct txn *txn)
{
    struct txn_table *tt;

    if (!txn) {
        return;
    }
    LIST_FOR_EACH (tt, node, &txn->tables) {
        struct txn_row *tr;

        HMAP_FOR_EACH (tr, hmap_node, &tt->rows) {
            txn_row_undo(tr);
        }
    }
    txn_free(txn);
}

void
txn_commit(struct txn *txn)
{
    struct txn_table *tt;

    LIST_FOR_EACH (tt, node, &txn->tables) {
        struct db_table *table = tt->table;
        struct txn_row *tr;

        HMAP_FOR_EACH (tr, hmap_node, &tt->rows) {
            if (tr->old != tr->new) {
                if (tr->old) {
                    db_table_index_remove(table, tr->old);
                    db_row_destroy(tr->old);
                }
                if (tr->new) {
                    db_table_index_insert(table, tr->new);
                }
            }
            if (tr->new) {
                tr->new->n_refs = tr->n_refs;
                tr->new->txn_row = NULL;
            }
        }
    }
    txn_free(txn);
}

/* Collects every txn_row of TXN into an array (*N elements). */
static struct txn_row **
txn_collect_rows(const struct txn *txn, size_t *n)
{
    struct txn_row **rows = NULL;
    size_t allocated = 0;
    struct txn_table *tt;

    *n = 0;
    LIST_FOR_EACH (tt, node, &txn->tables) {
        struct txn_row *tr;

        HMAP_FOR_EACH (tr, hmap_node, &tt->rows) {
            if (*n >= allocated) {
                allocated = allocated ? allocated * 2 : 16;
                rows = xrealloc(rows, allocated * sizeof *rows);
            }
            rows[(*n)++] = tr;
        }
    }
    return rows;
}

/* Queries. */

struct row_array {
    struct db_row **rows;
    size_t n, allocated;
};

static void
row_array_add(struct row_array *a, struct db_row *row)
{
    if (a->n >= a->allocated) {
        a->allocated = a->allocated ? a->allocated * 2 : 8;
        a->rows = xrealloc(a->rows, a->allocated * sizeof *a->rows);
    }
    a->rows[a->n++] = row;
}

/* Stores in A the rows of TABLE's current view that match every clause of
 * COND.  A stays valid while the table changes. */
static void
query(struct db_table *table, const struct ovsdb_condition *cond,
      struct row_array *a)
{
    const struct uuid *uuid = ovsdb_condition_get_uuid(cond);

    memset(a, 0, sizeof *a);
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

/* A set of rows distinct in some columns. */
struct distinct_node {
    struct hmap_node hmap_node;
    const struct ovsdb_row *row;
};

struct distinct_set {
    struct hmap map;
    const struct ovsdb_column_set *columns;
    struct distinct_node *nodes;
    size_t n;
};

static void
distinct_init(struct distinct_set *set, const struct ovsdb_column_set *cols,
              size_t capacity)
{
    hmap_init(&set->map);
    set->columns = cols;
    set->nodes = xmalloc((capacity ? capacity : 1) * sizeof *set->nodes);
    set->n = 0;
}

static const struct ovsdb_row *
distinct_find(const struct distinct_set *set, const struct ovsdb_row *row,
              uint32_t hash)
{
    struct distinct_node *node;

    HMAP_FOR_EACH_WITH_HASH (node, hmap_node, hash, &set->map) {
        if (ovsdb_row_equal_columns(node->row, row, set->columns)) {
            return node->row;
        }
    }
    return NULL;
}

/* Adds ROW unless an equal one is present; returns true if added.  The set
 * must have room (capacity given to distinct_init()). */
static bool
distinct_add(struct distinct_set *set, const struct ovsdb_row *row)
{
    uint32_t hash = ovsdb_row_hash_columns(row, set->columns, 0);

    if (distinct_find(set, row, hash)) {
        return false;
    }
    set->nodes[set->n].row = row;
    hmap_insert(&set->map, &set->nodes[set->n].hmap_node, hash);
    set->n++;
    return true;
}

static bool
distinct_contains(const struct distinct_set *set, const struct ovsdb_row *row)
{
    return distinct_find(set, row,
                         ovsdb_row_hash_columns(row, set->columns, 0)) != NULL;
}

static void
distinct_destroy(struct distinct_set *set)
{
    hmap_destroy(&set->map);
    free(set->nodes);
}

/* Operations. */

typedef struct ovsdb_error *op_func(struct exec *, struct ovsdb_parser *,
                                    json_t *result);

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
            struct distinct_set set;

            distinct_init(&set, &columns, a.n);
            for (size_t i = 0; i < a.n; i++) {
                if (distinct_add(&set, &a.rows[i]->row)) {
                    json_array_append_new(
                        rows, ovsdb_row_to_json(&a.rows[i]->row, &columns));
                }
            }
            distinct_destroy(&set);
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
        struct distinct_set exp_set, act_set;
        struct row_array a;
        bool equal = true;

        distinct_init(&exp_set, &columns, n_expected);
        for (size_t i = 0; i < n_expected; i++) {
            distinct_add(&exp_set, &expected[i]);
        }

        query(table, &cond, &a);
        distinct_init(&act_set, &columns, a.n);
        for (size_t i = 0; i < a.n && equal; i++) {
            if (!distinct_contains(&exp_set, &a.rows[i]->row)) {
                equal = false;
            } else {
                distinct_add(&act_set, &a.rows[i]->row);
            }
        }
        if (equal) {
            equal = act_set.n == exp_set.n;
        }
        free(a.rows);
        distinct_destroy(&act_set);
        distinct_destroy(&exp_set);

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

static op_func *
lookup_op(const char *name)
{
    static const struct {
        const char *name;
        op_func *func;
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

/* Commit-time checks. */

/* Gathers the uuids that atoms of BASE (key or value, as KEYS says) of
 * datum D refer to, into *UUIDS (sorted). */
static size_t
collect_ref_uuids(const struct ovsdb_datum *d, bool keys, struct uuid **uuids)
{
    const union ovsdb_atom *atoms = keys ? d->keys : d->values;

    *uuids = xmalloc((d->n ? d->n : 1) * sizeof **uuids);
    for (unsigned int i = 0; i < d->n; i++) {
        (*uuids)[i] = atoms[i].uuid;
    }
    return d->n;
}

static int
compare_uuids(const void *a, const void *b)
{
    return uuid_compare_3way(a, b);
}

/* Returns the txn_row that tracks the row UUID of TABLE's, creating a
 * reference-count-only one for an untouched committed row.  Returns NULL
 * if there is no such row in the current view or among rows the
 * transaction deleted. */
static struct txn_row *
find_or_make_txn_row(struct txn *txn, struct db_table *table,
                     const struct uuid *uuid)
{
    struct txn_row *tr = txn_find_row(table, uuid);

    if (!tr) {
        struct db_row *row = db_table_find_row(table, uuid);
        if (row) {
            tr = txn_add_row(txn, table, uuid, row, row);
        }
    }
    return tr;
}

/* Adjusts reference counts for strong references in COLUMN of TR that were
 * added (in new, not old) or removed (in old, not new). */
static struct ovsdb_error *
adjust_refs(struct txn *txn, struct txn_row *tr,
            const struct ovsdb_column *column)
{
    const struct ovsdb_base_type *bases[2] = { &column->type.key,
                                               &column->type.value };
    const struct ovsdb_datum *od = tr->old ? &tr->old->row.fields[
        column->index] : NULL;
    const struct ovsdb_datum *nd = tr->new ? &tr->new->row.fields[
        column->index] : NULL;
    const struct ovsdb_datum empty = OVSDB_DATUM_EMPTY_INITIALIZER;

    if (od && nd && ovsdb_datum_equals(od, nd, &column->type)) {
        return NULL;
    }
    if (!od) {
        od = &empty;
    }
    if (!nd) {
        nd = &empty;
    }

    for (int b = 0; b < 2; b++) {
        struct db_table *target;
        struct uuid *olds, *news;
        size_t n_old, n_new, i, j;
        struct ovsdb_error *error = NULL;

        if (!ovsdb_base_type_is_strong_ref(bases[b])) {
            continue;
        }
        target = db_get_table(txn->db, bases[b]->u.uuid.ref_table_name);
        if (!target) {
            continue;
        }
        n_old = collect_ref_uuids(od, b == 0, &olds);
        n_new = collect_ref_uuids(nd, b == 0, &news);
        qsort(olds, n_old, sizeof *olds, compare_uuids);
        qsort(news, n_new, sizeof *news, compare_uuids);

        for (i = j = 0; !error && (i < n_old || j < n_new); ) {
            int cmp = (i >= n_old ? 1 : j >= n_new ? -1
                       : uuid_compare_3way(&olds[i], &news[j]));
            const struct uuid *u;
            int delta;

            if (!cmp) {
                i++, j++;
                continue;
            } else if (cmp < 0) {
                u = &olds[i++];
                delta = -1;
            } else {
                u = &news[j++];
                delta = 1;
            }
            if (uuid_equals(u, &tr->uuid)) {
                continue;           /* Self references do not count. */
            }

            struct txn_row *dst;
            if (delta > 0) {
                struct db_row *row = db_table_find_row(target, u);
                dst = row ? find_or_make_txn_row(txn, target, u) : NULL;
                if (!dst) {
                    error = ovsdb_error("referential integrity violation",
                                        "Table %s column %s row "UUID_FMT" "
                                        "references nonexistent row "
                                        UUID_FMT" in table %s.",
                                        tr->table->schema->name,
                                        column->name, UUID_ARGS(&tr->uuid),
                                        UUID_ARGS(u), target->schema->name);
                    break;
                }
                dst->n_refs++;
            } else {
                dst = find_or_make_txn_row(txn, target, u);
                if (dst && dst->n_refs) {
                    dst->n_refs--;
                }
            }
        }
        free(olds);
        free(news);
        if (error) {
            return error;
        }
    }
    return NULL;
}

static bool
table_has_strong_refs(const struct ovsdb_table_schema *ts)
{
    for (size_t c = OVSDB_N_STD_COLUMNS; c < ts->n_columns; c++) {
        const struct ovsdb_type *type = &ts->column_array[c]->type;
        if (ovsdb_base_type_is_strong_ref(&type->key)
            || ovsdb_base_type_is_strong_ref(&type->value)) {
            return true;
        }
    }
    return false;
}

/* Deletes the unreferenced non-root row of TR and, in turn, rows that
 * only it referred to. */
static void
collect_garbage(struct txn *txn, struct txn_row *first)
{
    struct txn_row **stack = xmalloc(sizeof *stack);
    size_t n = 0, allocated = 1;

    stack[n++] = first;
    while (n) {
        struct txn_row *tr = stack[--n];
        const struct ovsdb_table_schema *ts = tr->table->schema;
        struct db_row *row = tr->new;

        if (!row || tr->n_refs || ts->is_root) {
            continue;
        }

        /* Drop the row's outgoing strong references. */
        for (size_t c = OVSDB_N_STD_COLUMNS; c < ts->n_columns; c++) {
            const struct ovsdb_column *column = ts->column_array[c];
            const struct ovsdb_datum *d = &row->row.fields[c];
            const struct ovsdb_base_type *bases[2] = { &column->type.key,
                                                       &column->type.value };

            for (int b = 0; b < 2; b++) {
                const union ovsdb_atom *atoms = b ? d->values : d->keys;
                struct db_table *target;

                if (!ovsdb_base_type_is_strong_ref(bases[b])) {
                    continue;
                }
                target = db_get_table(txn->db,
                                      bases[b]->u.uuid.ref_table_name);
                for (unsigned int i = 0; target && i < d->n; i++) {
                    struct txn_row *dst;

                    if (uuid_equals(&atoms[i].uuid, &tr->uuid)) {
                        continue;
                    }
                    dst = find_or_make_txn_row(txn, target, &atoms[i].uuid);
                    if (dst && dst->n_refs && !--dst->n_refs && dst->new) {
                        if (n >= allocated) {
                            allocated *= 2;
                            stack = xrealloc(stack, allocated * sizeof *stack);
                        }
                        stack[n++] = dst;
                    }
                }
            }
        }
        txn_row_delete(txn, tr->table, row);
    }
    free(stack);
}

static struct ovsdb_error *
check_references(struct txn *txn)
{
    struct txn_row **rows;
    struct ovsdb_error *error = NULL;
    size_t n, i;

    /* Count references added and removed. */
    rows = txn_collect_rows(txn, &n);
    for (i = 0; !error && i < n; i++) {
        struct txn_row *tr = rows[i];
        const struct ovsdb_table_schema *ts = tr->table->schema;

        if (tr->old == tr->new || !table_has_strong_refs(ts)) {
            continue;
        }
        for (size_t c = OVSDB_N_STD_COLUMNS; !error && c < ts->n_columns;
             c++) {
            const struct ovsdb_column *column = ts->column_array[c];
            if (ovsdb_base_type_is_strong_ref(&column->type.key)
                || ovsdb_base_type_is_strong_ref(&column->type.value)) {
                error = adjust_refs(txn, tr, column);
            }
        }
    }
    free(rows);
    if (error) {
        return error;
    }

    /* Garbage collection. */
    rows = txn_collect_rows(txn, &n);
    for (i = 0; i < n; i++) {
        struct txn_row *tr = rows[i];
        if (tr->new && !tr->n_refs && !tr->table->schema->is_root) {
            collect_garbage(txn, tr);
        }
    }
    free(rows);

    /* Deleted rows must not be referenced any longer. */
    rows = txn_collect_rows(txn, &n);
    for (i = 0; !error && i < n; i++) {
        struct txn_row *tr = rows[i];
        if (tr->old && !tr->new && tr->n_refs) {
            error = ovsdb_error("referential integrity violation",
                                "cannot delete %s row "UUID_FMT" because of "
                                "%zu remaining reference(s)",
                                tr->table->schema->name, UUID_ARGS(&tr->uuid),
                                tr->n_refs);
        }
    }
    free(rows);
    return error;
}

static struct ovsdb_error *
check_max_rows(const struct txn *txn)
{
    struct txn_table *tt;

    LIST_FOR_EACH (tt, node, &txn->tables) {
        size_t n_rows = hmap_count(&tt->table->rows);
        unsigned int max_rows = tt->table->schema->max_rows;

        if (n_rows > max_rows) {
            return ovsdb_error("constraint violation",
                               "transaction causes \"%s\" table to contain "
                               "%zu rows, greater than the schema-defined "
                               "limit of %u row(s)", tt->table->schema->name,
                               n_rows, max_rows);
        }
    }
    return NULL;
}

/* A set of uuids. */
struct uuid_node {
    struct hmap_node hmap_node;
    struct uuid uuid;
};

static bool
uuid_set_contains(const struct hmap *set, const struct uuid *uuid)
{
    struct uuid_node *node;

    HMAP_FOR_EACH_WITH_HASH (node, hmap_node, uuid_hash(uuid), set) {
        if (uuid_equals(&node->uuid, uuid)) {
            return true;
        }
    }
    return false;
}

static void
uuid_set_destroy(struct hmap *set)
{
    struct uuid_node *node;

    HMAP_FOR_EACH_SAFE (node, hmap_node, set) {
        free(node);
    }
    hmap_destroy(set);
}

/* Removes from column COLUMN of ROW (of TABLE) the elements whose weak
 * reference (in key or value) points to a row that is not in the
 * transaction's view or whose uuid is in DELETED (may be NULL).  Modifies
 * the row through the transaction only if something must go.  Returns an
 * error if the column ends up with too few elements. */
static struct ovsdb_error *
clean_weak_refs(struct txn *txn, struct db_table *table, struct db_row *row,
                const struct ovsdb_column *column, const struct hmap *deleted)
{
    const struct ovsdb_type *type = &column->type;
    struct db_table *key_target = NULL, *value_target = NULL;
    const struct ovsdb_datum *d = &row->row.fields[column->index];
    unsigned int n_removed = 0;
    bool *remove = NULL;

    if (ovsdb_base_type_is_weak_ref(&type->key)) {
        key_target = db_get_table(txn->db, type->key.u.uuid.ref_table_name);
    }
    if (ovsdb_base_type_is_weak_ref(&type->value)) {
        value_target = db_get_table(txn->db,
                                    type->value.u.uuid.ref_table_name);
    }
    for (unsigned int i = 0; i < d->n; i++) {
        bool dangling = false;

        for (int b = 0; b < 2 && !dangling; b++) {
            struct db_table *target = b ? value_target : key_target;
            const struct uuid *u;

            if (!target) {
                continue;
            }
            u = b ? &d->values[i].uuid : &d->keys[i].uuid;
            if (deleted) {
                dangling = uuid_set_contains(deleted, u);
            } else {
                dangling = (!uuid_equals(u, db_row_uuid(row))
                            && !db_table_find_row(target, u));
            }
        }
        if (dangling) {
            if (!remove) {
                remove = xcalloc(d->n, sizeof *remove);
            }
            remove[i] = true;
            n_removed++;
        }
    }
    if (!n_removed) {
        return NULL;
    }

    struct db_row *rw = txn_row_modify(txn, table, row);
    struct ovsdb_datum *wd = &rw->row.fields[column->index];
    for (unsigned int i = wd->n; i-- > 0; ) {
        if (remove[i]) {
            ovsdb_datum_remove_unsafe(wd, i, type);
        }
    }
    free(remove);
    ovsdb_datum_sort_assert(wd, type);

    if (wd->n < type->n_min) {
        return ovsdb_error("constraint violation",
                           "Deletion of %u weak reference(s) to deleted (or "
                           "never-existing) rows from column \"%s\" in \"%s\" "
                           "row "UUID_FMT" %scaused this column to become "
                           "empty, but constraints on this column disallow "
                           "an empty column.", n_removed, column->name,
                           table->schema->name, UUID_ARGS(db_row_uuid(rw)),
                           (rw->txn_row->old ? ""
                            : "(inserted within this transaction) "));
    }
    return NULL;
}

static bool
column_has_weak_refs(const struct ovsdb_column *column)
{
    return (ovsdb_base_type_is_weak_ref(&column->type.key)
            || ovsdb_base_type_is_weak_ref(&column->type.value));
}

static struct ovsdb_error *
check_weak_refs(struct txn *txn)
{
    struct ovsdb_error *error = NULL;
    struct txn_row **rows;
    size_t n, i;

    /* Weak references written by this transaction to missing rows. */
    rows = txn_collect_rows(txn, &n);
    for (i = 0; !error && i < n; i++) {
        struct txn_row *tr = rows[i];
        const struct ovsdb_table_schema *ts = tr->table->schema;

        if (!tr->new || tr->new == tr->old) {
            continue;
        }
        for (size_t c = OVSDB_N_STD_COLUMNS; !error && c < ts->n_columns;
             c++) {
            const struct ovsdb_column *column = ts->column_array[c];
            if (column_has_weak_refs(column)) {
                error = clean_weak_refs(txn, tr->table, tr->new, column,
                                        NULL);
            }
        }
    }

    /* Weak references to rows that this transaction deleted. */
    for (size_t t = 0; !error && t < txn->db->n_tables; t++) {
        struct db_table *target = txn->db->table_array[t];
        struct hmap deleted = HMAP_INITIALIZER(&deleted);
        struct txn_row *tr;

        if (!target->n_weak_sources || !target->txn_table) {
            continue;
        }
        HMAP_FOR_EACH (tr, hmap_node, &target->txn_table->rows) {
            if (tr->old && !tr->new) {
                struct uuid_node *node = xmalloc(sizeof *node);
                node->uuid = tr->uuid;
                hmap_insert(&deleted, &node->hmap_node, uuid_hash(&tr->uuid));
            }
        }
        for (size_t s = 0; !hmap_is_empty(&deleted) && !error
                 && s < target->n_weak_sources; s++) {
            const struct db_weak_source *src = &target->weak_sources[s];
            struct row_array a;

            /* Collect first: cleaning replaces rows in the table. */
            memset(&a, 0, sizeof a);
            struct db_row *row;
            HMAP_FOR_EACH (row, hmap_node, &src->table->rows) {
                if (row->row.fields[src->column->index].n) {
                    row_array_add(&a, row);
                }
            }
            for (size_t r = 0; !error && r < a.n; r++) {
                error = clean_weak_refs(txn, src->table, a.rows[r],
                                        src->column, &deleted);
            }
            free(a.rows);
        }
        uuid_set_destroy(&deleted);
    }
    free(rows);
    return error;
}

static void
describe_index_row(struct ds *s, const char *title, const struct db_row *row,
                   const struct ovsdb_column_set *index)
{
    const struct txn_row *tr = row->txn_row;

    ds_put_format(s, "  %s row, with UUID "UUID_FMT", ", title,
                  UUID_ARGS(db_row_uuid(row)));
    if (!tr || tr->old == tr->new) {
        ds_put_cstr(s, "existed in the database before this transaction "
                    "and was not modified by the transaction.");
    } else if (!tr->old) {
        ds_put_cstr(s, "was inserted by this transaction.");
    } else if (ovsdb_row_equal_columns(&tr->old->row, &tr->new->row, index)) {
        ds_put_cstr(s, "existed in the database before this transaction, "
                    "which modified some of the row's columns but not any "
                    "columns in this index.");
    } else {
        ds_put_cstr(s, "had different index values before the "
                    "transaction.");
    }
}

static struct ovsdb_error *
duplicate_index_error(const struct db_table *table, size_t idx,
                      const struct db_row *a, const struct db_row *b)
{
    const struct ovsdb_column_set *index = &table->schema->indexes[idx];
    struct ds s = DS_EMPTY_INITIALIZER;
    struct ovsdb_error *error;

    ds_put_format(&s, "Transaction causes multiple rows in \"%s\" table to "
                  "have identical values (", table->schema->name);
    for (size_t i = 0; i < index->n; i++) {
        const struct ovsdb_column *c = index->columns[i];
        if (i) {
            ds_put_cstr(&s, ", ");
        }
        ovsdb_datum_to_string(&a->row.fields[c->index], &c->type, &s);
    }
    ds_put_cstr(&s, ") for index on ");
    if (index->n == 1) {
        ds_put_format(&s, "column \"%s\".", index->columns[0]->name);
    } else {
        ds_put_cstr(&s, "columns ");
        for (size_t i = 0; i < index->n; i++) {
            ds_put_format(&s, "%s\"%s\"", i ? ", " : "",
                          index->columns[i]->name);
        }
        ds_put_char(&s, '.');
    }
    describe_index_row(&s, "First", a, index);
    describe_index_row(&s, "Second", b, index);
    error = ovsdb_error("constraint violation", "%s", ds_cstr(&s));
    ds_destroy(&s);
    return error;
}

static struct ovsdb_error *
check_indexes(struct txn *txn)
{
    struct txn_table *tt;

    LIST_FOR_EACH (tt, node, &txn->tables) {
        struct db_table *table = tt->table;
        const struct ovsdb_table_schema *ts = table->schema;

        for (size_t i = 0; i < ts->n_indexes; i++) {
            const struct ovsdb_column_set *cols = &ts->indexes[i];
            struct distinct_set news;
            struct txn_row *tr;

            distinct_init(&news, cols, hmap_count(&tt->rows));
            HMAP_FOR_EACH (tr, hmap_node, &tt->rows) {
                struct hmap_node *node;
                uint32_t hash;

                if (!tr->new || tr->new == tr->old) {
                    continue;
                }

                /* Against rows of this transaction. */
                hash = db_row_index_hash(tr->new, i);
                const struct ovsdb_row *dup = distinct_find(&news,
                                                            &tr->new->row,
                                                            hash);
                if (dup) {
                    struct db_row *other = CONTAINER_OF(dup, struct db_row,
                                                        row);
                    distinct_destroy(&news);
                    return duplicate_index_error(table, i, other, tr->new);
                }
                news.nodes[news.n].row = &tr->new->row;
                hmap_insert(&news.map, &news.nodes[news.n].hmap_node, hash);
                news.n++;

                /* Against committed rows the transaction leaves alone. */
                for (node = hmap_first_with_hash(&table->indexes[i], hash);
                     node; node = hmap_next_with_hash(node)) {
                    struct db_row *other = db_row_from_index_node(node, i);

                    if ((!other->txn_row
                         || other->txn_row->old == other->txn_row->new)
                        && ovsdb_row_equal_columns(&other->row,
                                                   &tr->new->row, cols)) {
                        distinct_destroy(&news);
                        return duplicate_index_error(table, i, other,
                                                     tr->new);
                    }
                }
            }
            distinct_destroy(&news);
        }
    }
    return NULL;
}

/* Works out which columns each modified row changed, and drops rows that
 * did not really change. */
static void
determine_changes(struct txn *txn)
{
    struct txn_table *tt;

    txn->n_changes = 0;
    LIST_FOR_EACH (tt, node, &txn->tables) {
        const struct ovsdb_table_schema *ts = tt->table->schema;
        struct txn_row *tr;

        HMAP_FOR_EACH_SAFE (tr, hmap_node, &tt->rows) {
            if (!tr->old && !tr->new) {
                hmap_remove(&tt->rows, &tr->hmap_node);
                txn_row_free(tr);
                continue;
            }
            if (tr->old == tr->new) {
                continue;
            }
            tr->changed = xcalloc(ts->n_columns, sizeof *tr->changed);
            if (tr->old && tr->new) {
                bool any = false;

                for (size_t c = 0; c < ts->n_columns; c++) {
                    if (c != OVSDB_COL_VERSION
                        && !ovsdb_datum_equals(&tr->old->row.fields[c],
                                               &tr->new->row.fields[c],
                                               &ts->column_array[c]->type)) {
                        tr->changed[c] = any = true;
                    }
                }
                if (!any) {
                    /* Keep the committed row (its reference count may still
                     * change). */
                    size_t n_refs = tr->n_refs;
                    txn_row_undo(tr);
                    tr->n_refs = n_refs;
                    tr->old->txn_row = tr;
                    free(tr->changed);
                    tr->changed = NULL;
                    continue;
                }
                tr->changed[OVSDB_COL_VERSION] = true;
            } else {
                for (size_t c = 0; c < ts->n_columns; c++) {
                    tr->changed[c] = true;
                }
            }
            txn->n_changes++;
        }
    }
}

static struct ovsdb_error *
txn_prepare(struct txn *txn)
{
    struct ovsdb_error *error;

    if (vs_list_is_empty(&txn->tables)) {
        txn->n_changes = 0;     /* Read-only: nothing to check. */
        return NULL;
    }

    error = check_references(txn);
    if (!error) {
        error = check_max_rows(txn);
    }
    if (!error) {
        error = check_weak_refs(txn);
    }
    if (!error) {
        error = check_indexes(txn);
    }
    if (!error) {
        determine_changes(txn);
    }
    return error;
}

struct txn *
txn_execute(struct db *db, const json_t *params,
            const struct txn_context *ctx, json_t **resultsp,
            long long int *timeout_msecp)
{
    struct ovsdb_error *error = NULL;
    struct exec x;
    json_t *results;
    size_t n_ops, i;

    *timeout_msecp = LLONG_MAX;
    if (!json_is_array(params) || !json_array_size(params)
        || !json_is_string(json_array_get(params, 0))
        || strcmp(json_string_value(json_array_get(params, 0)), db->name)) {
        error = (!json_is_array(params)
                 ? ovsdb_syntax_error(params, NULL, "array expected")
                 : ovsdb_syntax_error(params, NULL, "database name expected "
                                      "as first parameter"));
        *resultsp = ovsdb_error_to_json_free(error);
        return NULL;
    }

    x.txn = txn_create(db);
    x.symtab = ovsdb_symbol_table_create();
    x.ctx = ctx;
    x.timeout_msec = LLONG_MAX;
    x.blocked = false;

    results = json_array();
    n_ops = json_array_size(params) - 1;
    for (i = 1; i <= n_ops; i++) {
        const json_t *operation = json_array_get(params, i);
        struct ovsdb_error *parse_error;
        struct ovsdb_parser parser;
        json_t *result = json_object();
        const json_t *op;

        ovsdb_parser_init(&parser, operation, "ovsdb operation %zu of %zu",
                          i, n_ops);
        op = ovsdb_parser_member(&parser, "op", OP_ID);
        if (op) {
            op_func *func = lookup_op(json_string_value(op));
            if (func) {
                error = func(&x, &parser, result);
            } else {
                ovsdb_parser_raise_error(&parser, "No operation \"%s\"",
                                         json_string_value(op));
            }
        }
        parse_error = ovsdb_parser_finish(&parser);
        if (parse_error) {
            ovsdb_error_destroy(error);
            error = parse_error;
            x.blocked = false;
        }
        if (error) {
            json_decref(result);
            if (x.blocked) {
                /* An unsatisfied "wait": retry later. */
                *timeout_msecp = x.timeout_msec;
                json_decref(results);
                results = NULL;
            } else {
                json_array_append_new(results, ovsdb_error_to_json(error));
            }
            break;
        }
        json_array_append_new(results, result);
    }

    if (!error) {
        error = txn_prepare(x.txn);
        if (error) {
            json_array_append_new(results, ovsdb_error_to_json(error));
        }
    } else if (results) {
        while (json_array_size(results) < n_ops) {
            json_array_append_new(results, json_null());
        }
    }
    ovsdb_symbol_table_destroy(x.symtab);

    *resultsp = results;
    if (error) {
        ovsdb_error_destroy(error);
        txn_abort(x.txn);
        return NULL;
    }
    return x.txn;
}

json_t *
txn_to_record_json(const struct txn *txn, long long int date_msec)
{
    json_t *record = NULL;
    struct txn_table *tt;

    LIST_FOR_EACH (tt, node, &txn->tables) {
        const struct ovsdb_table_schema *ts = tt->table->schema;
        json_t *table_json = NULL;
        struct txn_row *tr;

        HMAP_FOR_EACH (tr, hmap_node, &tt->rows) {
            char uuid[UUID_LEN + 1];
            json_t *row_json;

            if (tr->old == tr->new) {
                continue;
            }
            if (!tr->new) {
                row_json = json_null();
            } else if (!tr->old) {
                row_json = db_row_to_disk_json(tr->new);
            } else {
                row_json = json_object();
                for (size_t c = OVSDB_N_STD_COLUMNS; c < ts->n_columns;
                     c++) {
                    const struct ovsdb_column *column = ts->column_array[c];
                    if (tr->changed[c] && !column->ephemeral) {
                        json_object_set_new(
                            row_json, column->name,
                            ovsdb_datum_to_json(&tr->new->row.fields[c],
                                                &column->type));
                    }
                }
                if (!json_object_size(row_json)) {
                    json_decref(row_json);
                    continue;       /* Only ephemeral columns changed. */
                }
            }
            if (!table_json) {
                table_json = json_object();
            }
            uuid_format(&tr->uuid, uuid);
            json_object_set_new(table_json, uuid, row_json);
        }
        if (table_json) {
            if (!record) {
                record = json_object();
            }
            json_object_set_new(record, ts->name, table_json);
        }
    }

    if (record) {
        json_object_set_new(record, "_date", json_integer(date_msec));
        if (txn->comment.length) {
            json_object_set_new(record, "_comment",
                                json_string(ds_cstr_ro(&txn->comment)));
        }
    }
    return record;
}
