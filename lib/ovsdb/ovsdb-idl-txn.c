/* ovsdb-idl-txn: the IDL's transactions.
 *
 * The transaction view of the replica (rows inserted, deleted and written
 * by the open transaction, kept in the rows' "new_" data), verifications,
 * mutations and the increment; building the "transact" request from them
 * (named uuids for inserted rows, unchanged writes left out, the lock
 * asserted); and interpreting the reply into a final status.  See
 * ovsdb-idl-private.h for the layout of the IDL's files and ovsdb-idl.h
 * for the contract. */
#include <config.h>

#include "ovsdb-idl-private.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "coverage.h"
#include "dynamic-string.h"
#include "hmap.h"
#include "jsonrpc.h"
#include "list.h"
#include "ovsdb-error.h"
#include "ovsdb-schema.h"
#include "poll-loop.h"
#include "util.h"

COVERAGE_DEFINE(idl_txn_commit);

/* A column to verify in a transaction. */
struct txn_verify {
    struct vs_list node;
    char *table;
    struct uuid uuid;
    char *column;
    json_t *value;                  /* Value expected. */
};

/* A mutation requested in a transaction. */
struct txn_mutation {
    struct vs_list node;
    const struct ovsdb_idl_row *row;
    char *column;
    char *mutator;
    json_t *value;
};

/* What each operation's result means to us. */
enum op_kind {
    OP_OTHER,
    OP_COUNT1,                      /* update/delete/mutate: count 1. */
    OP_INSERT,                      /* Record the uuid. */
    OP_INC_SELECT                   /* Increment readback. */
};

struct txn_insert {
    struct uuid temp;
    struct uuid real;
    bool known;
};

struct ovsdb_idl_txn {
    struct ovsdb_idl *idl;
    enum ovsdb_idl_txn_status status;
    char *error;
    struct vs_list rows;            /* Rows touched (txn_node). */
    struct vs_list verifies;        /* struct txn_verify. */
    struct vs_list mutations;       /* struct txn_mutation. */
    struct ds comment;
    const struct ovsdb_idl_row *inc_row;
    char *inc_column;
    bool inc_if_changed;            /* Only with other changes. */
    bool inc_sent;                  /* Increment part of the request. */
    int64_t inc_new_value;

    json_t *request_id;
    enum op_kind *op_kinds;
    size_t n_ops;
    struct txn_insert *inserts;
    size_t n_inserts;
};

static void txn_set_error(struct ovsdb_idl_txn *, const char *format, ...)
    VS_PRINTF_FORMAT(2, 3);

/* ------------------------------------------------------------------ */
/* Creation and status.                                               */
/* ------------------------------------------------------------------ */

const char *
ovsdb_idl_txn_status_to_string(enum ovsdb_idl_txn_status status)
{
    switch (status) {
    case TXN_UNCOMMITTED: return "uncommitted";
    case TXN_UNCHANGED: return "unchanged";
    case TXN_INCOMPLETE: return "incomplete";
    case TXN_ABORTED: return "aborted";
    case TXN_SUCCESS: return "success";
    case TXN_TRY_AGAIN: return "try again";
    case TXN_NOT_LOCKED: return "not locked";
    case TXN_ERROR: return "error";
    }
    return "<unknown>";
}

struct ovsdb_idl_txn *
ovsdb_idl_txn_create(struct ovsdb_idl *idl)
{
    vs_assert(!idl->txn);
    struct ovsdb_idl_txn *txn = xzalloc(sizeof *txn);
    txn->idl = idl;
    txn->status = TXN_UNCOMMITTED;
    vs_list_init(&txn->rows);
    vs_list_init(&txn->verifies);
    vs_list_init(&txn->mutations);
    ds_init(&txn->comment);
    idl->txn = txn;
    return txn;
}

struct ovsdb_idl_txn *
ovsdb_idl_get_txn(const struct ovsdb_idl *idl)
{
    return idl->txn;
}

struct ovsdb_idl *
ovsdb_idl_txn_get_idl(const struct ovsdb_idl_txn *txn)
{
    return txn->idl;
}

static void
txn_set_error(struct ovsdb_idl_txn *txn, const char *format, ...)
{
    if (!txn->error) {
        va_list args;
        va_start(args, format);
        txn->error = xvasprintf(format, args);
        va_end(args);
    }
}

void
ovsdb_idl_txn_add_comment(struct ovsdb_idl_txn *txn, const char *format, ...)
{
    va_list args;

    if (txn->comment.length) {
        ds_put_char(&txn->comment, '\n');
    }
    va_start(args, format);
    ds_put_format_valist(&txn->comment, format, args);
    va_end(args);
}

static bool
txn_is_open(const struct ovsdb_idl_txn *txn)
{
    return txn->status == TXN_UNCOMMITTED;
}

/* ------------------------------------------------------------------ */
/* The transaction view: inserts, deletes, writes.                    */
/* ------------------------------------------------------------------ */

/* Makes ROW part of TXN (a no-op if it is already): TXN holds it until
 * destroyed, and considers it when building the request. */
static void
txn_add_row(struct ovsdb_idl_txn *txn, struct ovsdb_idl_row *row)
{
    if (!row->in_txn) {
        row->in_txn = true;
        vs_list_push_back(&txn->rows, &row->txn_node);
    }
}

/* Makes ROW part of TXN, with a transaction view. */
static void
txn_touch_row(struct ovsdb_idl_txn *txn, struct ovsdb_idl_row *row)
{
    txn_add_row(txn, row);
    if (!row->new_) {
        size_t n = idl_row_n_columns(row);
        row->new_ = xcalloc(n, sizeof *row->new_);
        row->written = xcalloc(n, sizeof *row->written);
    }
}

const struct ovsdb_idl_row *
ovsdb_idl_txn_insert(struct ovsdb_idl_txn *txn, const char *table,
                     const struct uuid *uuid)
{
    struct idl_table *t = idl_table_get(txn->idl, table);
    struct uuid temp;

    if (!t) {
        const struct ovsdb_table_schema *ts
            = ovsdb_idl_get_table_schema(txn->idl, table);
        if (ts) {
            /* A table the caller did not register: replicate nothing of
             * it, but allow inserting. */
            t = idl_table_get_or_create(txn->idl, table);
            idl_table_set_schema(t, ts);
        }
    }
    if (!t || !t->schema || !txn_is_open(txn)) {
        txn_set_error(txn, "cannot insert into table %s: no such table",
                      table);
        return NULL;
    }
    if (uuid) {
        temp = *uuid;
    } else {
        uuid_random(&temp);
    }

    struct ovsdb_idl_row *row = idl_row_create(t, &temp);
    row->new_ = idl_data_create_default(t->schema, &temp);
    row->written = xcalloc(t->schema->n_columns, sizeof *row->written);
    txn_add_row(txn, row);
    hmap_insert(&t->rows, &row->hmap_node, uuid_hash(&temp));
    return row;
}

static void
txn_drop_inserted_row(struct ovsdb_idl_row *row)
{
    idl_row_clear_txn(row);
    hmap_remove(&row->table->rows, &row->hmap_node);
    idl_row_free(row);
}

void
ovsdb_idl_txn_delete(struct ovsdb_idl_txn *txn,
                     const struct ovsdb_idl_row *row_)
{
    struct ovsdb_idl_row *row = (struct ovsdb_idl_row *) row_;

    if (!row || !txn_is_open(txn) || row->txn_deleted) {
        return;
    }
    /* A row inserted by this transaction stays allocated (hidden, and not
     * sent) until the transaction is destroyed, in case the caller still
     * refers to it. */
    txn_touch_row(txn, row);
    row->txn_deleted = true;
}

void
ovsdb_idl_txn_write(struct ovsdb_idl_txn *txn,
                    const struct ovsdb_idl_row *row_, const char *column,
                    struct ovsdb_datum *datum)
{
    struct ovsdb_idl_row *row = (struct ovsdb_idl_row *) row_;
    const struct ovsdb_column *c
        = row ? ovsdb_table_schema_get_column(row->schema, column) : NULL;
    struct ovsdb_error *error;

    if (!row || !c || !txn_is_open(txn)) {
        txn_set_error(txn, "no column %s in table %s", column,
                      row ? row->table->name : "(null)");
        goto drop;
    }
    if (c->index < OVSDB_N_STD_COLUMNS || (row->old && !c->mutable_)) {
        txn_set_error(txn, "cannot modify immutable column %s in table %s",
                      column, row->table->name);
        goto drop;
    }
    if (row->txn_deleted) {
        goto drop;
    }
    error = ovsdb_datum_check_constraints(datum, &c->type);
    if (error) {
        char *s = ovsdb_error_to_string_free(error);
        txn_set_error(txn, "column %s of table %s: %s", column,
                      row->table->name, s);
        free(s);
        goto drop;
    }

    txn_touch_row(txn, row);
    if (row->written[c->index] || !row->old) {
        ovsdb_datum_destroy(&row->new_[c->index], &c->type);
    }
    row->new_[c->index] = *datum;
    row->written[c->index] = true;
    ovsdb_datum_init_empty(datum);
    return;

drop:
    if (c) {
        ovsdb_datum_destroy(datum, &c->type);
    } else {
        /* Without a type we can only free what a datum always owns; the
         * caller passed a datum for a column that does not exist, so
         * leak-free handling needs the type.  Strings would leak; callers
         * that look up the column first avoid this. */
        free(datum->keys);
        free(datum->values);
    }
    ovsdb_datum_init_empty(datum);
}

void
ovsdb_idl_txn_write_clone(struct ovsdb_idl_txn *txn,
                          const struct ovsdb_idl_row *row, const char *column,
                          const struct ovsdb_datum *datum)
{
    const struct ovsdb_column *c
        = row ? ovsdb_table_schema_get_column(row->schema, column) : NULL;
    struct ovsdb_datum copy;

    if (!c) {
        txn_set_error(txn, "no column %s in table %s", column,
                      row ? row->table->name : "(null)");
        return;
    }
    ovsdb_datum_clone(&copy, datum, &c->type);
    ovsdb_idl_txn_write(txn, row, column, &copy);
}

static void
write_atom(struct ovsdb_idl_txn *txn, const struct ovsdb_idl_row *row,
           const char *column, enum ovsdb_atomic_type atype,
           const union ovsdb_atom *atom)
{
    const struct ovsdb_column *c
        = row ? ovsdb_table_schema_get_column(row->schema, column) : NULL;
    struct ovsdb_datum d;

    if (!c || c->type.key.type != atype
        || c->type.value.type != OVSDB_TYPE_VOID) {
        txn_set_error(txn, "column %s in table %s is missing or not of type "
                      "%s", column, row ? row->table->name : "(null)",
                      ovsdb_atomic_type_to_string(atype));
        return;
    }
    ovsdb_datum_init_single(&d, atom, NULL, &c->type);
    ovsdb_idl_txn_write(txn, row, column, &d);
}

bool
ovsdb_idl_txn_write_smap(struct ovsdb_idl_txn *txn,
                         const struct ovsdb_idl_row *row, const char *column,
                         const char *const *kv, size_t n)
{
    const struct ovsdb_type *type;
    struct ovsdb_datum d;

    ovsdb_idl_row_get(row, column, &type);
    if (!type) {
        return false;
    }
    ovsdb_datum_init_empty(&d);
    for (size_t i = 0; i < n; i++) {
        union ovsdb_atom k = { .string = (char *) kv[2 * i] };
        union ovsdb_atom v = { .string = (char *) kv[2 * i + 1] };

        ovsdb_datum_add_unsafe(&d, &k, &v, type);
    }
    ovsdb_datum_sort_assert(&d, type);
    ovsdb_idl_txn_write(txn, row, column, &d);
    return true;
}

void
ovsdb_idl_txn_write_string(struct ovsdb_idl_txn *txn,
                           const struct ovsdb_idl_row *row,
                           const char *column, const char *s)
{
    union ovsdb_atom atom = { .string = (char *) s };
    write_atom(txn, row, column, OVSDB_TYPE_STRING, &atom);
}

void
ovsdb_idl_txn_write_integer(struct ovsdb_idl_txn *txn,
                            const struct ovsdb_idl_row *row,
                            const char *column, int64_t value)
{
    union ovsdb_atom atom = { .integer = value };
    write_atom(txn, row, column, OVSDB_TYPE_INTEGER, &atom);
}

void
ovsdb_idl_txn_write_boolean(struct ovsdb_idl_txn *txn,
                            const struct ovsdb_idl_row *row,
                            const char *column, bool value)
{
    union ovsdb_atom atom = { .boolean = value };
    write_atom(txn, row, column, OVSDB_TYPE_BOOLEAN, &atom);
}

void
ovsdb_idl_txn_write_uuid(struct ovsdb_idl_txn *txn,
                         const struct ovsdb_idl_row *row,
                         const char *column, const struct uuid *uuid)
{
    union ovsdb_atom atom = { .uuid = *uuid };
    write_atom(txn, row, column, OVSDB_TYPE_UUID, &atom);
}

void
ovsdb_idl_txn_clear(struct ovsdb_idl_txn *txn,
                    const struct ovsdb_idl_row *row, const char *column)
{
    struct ovsdb_datum d;
    ovsdb_datum_init_empty(&d);
    ovsdb_idl_txn_write(txn, row, column, &d);
}

/* ------------------------------------------------------------------ */
/* Verifications, mutations, the increment.                           */
/* ------------------------------------------------------------------ */

void
ovsdb_idl_txn_verify(struct ovsdb_idl_txn *txn,
                     const struct ovsdb_idl_row *row, const char *column)
{
    const struct ovsdb_column *c
        = row ? ovsdb_table_schema_get_column(row->schema, column) : NULL;

    if (!c || !row->old || !txn_is_open(txn)
        || c->index < OVSDB_N_STD_COLUMNS
        || row->schema != row->table->schema
        || !row->table->monitored[c->index]) {
        return;
    }

    struct txn_verify *v;
    LIST_FOR_EACH (v, node, &txn->verifies) {
        if (uuid_equals(&v->uuid, &row->uuid) && !strcmp(v->column, column)
            && !strcmp(v->table, row->table->name)) {
            return;
        }
    }
    v = xmalloc(sizeof *v);
    v->table = xstrdup(row->table->name);
    v->uuid = row->uuid;
    v->column = xstrdup(column);
    v->value = ovsdb_datum_to_json(&row->old[c->index], &c->type);
    vs_list_push_back(&txn->verifies, &v->node);
}

void
ovsdb_idl_txn_mutate(struct ovsdb_idl_txn *txn,
                     const struct ovsdb_idl_row *row, const char *column,
                     const char *mutator, struct ovsdb_datum *arg)
{
    const struct ovsdb_column *c
        = row ? ovsdb_table_schema_get_column(row->schema, column) : NULL;

    if (!c || !txn_is_open(txn)) {
        txn_set_error(txn, "no column %s in table %s", column,
                      row ? row->table->name : "(null)");
        if (c) {
            ovsdb_datum_destroy(arg, &c->type);
        }
        ovsdb_datum_init_empty(arg);
        return;
    }

    struct txn_mutation *m = xmalloc(sizeof *m);
    m->row = row;
    m->column = xstrdup(column);
    m->mutator = xstrdup(mutator);
    if (strcmp(mutator, "insert") && strcmp(mutator, "delete")
        && arg->n >= 1) {
        m->value = ovsdb_atom_to_json(&arg->keys[0], c->type.key.type);
    } else {
        m->value = ovsdb_datum_to_json(arg, &c->type);
        if (ovsdb_type_is_map(&c->type) && !strcmp(mutator, "delete")
            && !arg->values) {
            /* Deleting keys given as a set. */
            json_decref(m->value);
            struct ovsdb_type set_type = c->type;
            set_type.value.type = OVSDB_TYPE_VOID;
            m->value = ovsdb_datum_to_json(arg, &set_type);
        }
    }
    ovsdb_datum_destroy(arg, &c->type);
    ovsdb_datum_init_empty(arg);
    vs_list_push_back(&txn->mutations, &m->node);
    txn_add_row(txn, (struct ovsdb_idl_row *) row);
}

void
ovsdb_idl_txn_increment(struct ovsdb_idl_txn *txn,
                        const struct ovsdb_idl_row *row, const char *column)
{
    vs_assert(!txn->inc_row);
    if (!row || !txn_is_open(txn)) {
        return;
    }
    txn->inc_row = row;
    txn->inc_column = xstrdup(column);
    txn_add_row(txn, (struct ovsdb_idl_row *) row);
}

void
ovsdb_idl_txn_increment_if_changed(struct ovsdb_idl_txn *txn,
                                   const struct ovsdb_idl_row *row,
                                   const char *column)
{
    ovsdb_idl_txn_increment(txn, row, column);
    txn->inc_if_changed = true;
}

bool
ovsdb_idl_txn_has_increment(const struct ovsdb_idl_txn *txn)
{
    return txn->inc_sent && txn->status == TXN_SUCCESS;
}

/* ------------------------------------------------------------------ */
/* Building the "transact" request.                                   */
/* ------------------------------------------------------------------ */

/* Named-uuid for a row inserted by the transaction. */
static char *
named_uuid(const struct uuid *uuid)
{
    char *s = xasprintf("row"UUID_FMT, UUID_ARGS(uuid));
    for (char *p = s; *p; p++) {
        if (*p == '-') {
            *p = '_';
        }
    }
    return s;
}

/* Is UUID the temporary uuid of a row that TXN inserts? */
static bool
txn_is_insert_uuid(const struct ovsdb_idl_txn *txn, const struct uuid *uuid)
{
    const struct ovsdb_idl_row *row;
    LIST_FOR_EACH (row, txn_node, &txn->rows) {
        if (!row->old && uuid_equals(&row->uuid, uuid)) {
            return true;
        }
    }
    return false;
}

/* Replaces, inside JSON, ["uuid", U] by ["named-uuid", NAME] for rows the
 * transaction inserts.  Returns JSON (or its replacement). */
static json_t *
substitute_uuids(json_t *json, const struct ovsdb_idl_txn *txn)
{
    if (json_is_array(json)) {
        if (json_array_size(json) == 2
            && json_is_string(json_array_get(json, 0))
            && !strcmp(json_string_value(json_array_get(json, 0)), "uuid")
            && json_is_string(json_array_get(json, 1))) {
            struct uuid uuid;
            if (uuid_from_string(&uuid, json_string_value(
                                     json_array_get(json, 1)))
                && txn_is_insert_uuid(txn, &uuid)) {
                char *name = named_uuid(&uuid);
                json_t *r = json_pack("[ss]", "named-uuid", name);
                free(name);
                json_decref(json);
                return r;
            }
            return json;
        }
        for (size_t i = 0; i < json_array_size(json); i++) {
            json_t *elem = json_incref(json_array_get(json, i));
            json_t *sub = substitute_uuids(elem, txn);
            json_array_set_new(json, i, sub);
        }
    } else if (json_is_object(json)) {
        const char *key;
        json_t *value;
        json_object_foreach (json, key, value) {
            json_t *sub = substitute_uuids(json_incref(value), txn);
            json_object_set_new(json, key, sub);
        }
    }
    return json;
}

static json_t *
where_uuid(const struct ovsdb_idl_row *row)
{
    json_t *value;
    if (row->old) {
        char buf[UUID_LEN + 1];
        uuid_format(&row->uuid, buf);
        value = json_pack("[ss]", "uuid", buf);
    } else {
        char *name = named_uuid(&row->uuid);
        value = json_pack("[ss]", "named-uuid", name);
        free(name);
    }
    return json_pack("[[sso]]", "_uuid", "==", value);
}

static void
txn_add_op(struct ovsdb_idl_txn *txn, json_t *ops, json_t *op,
           enum op_kind kind)
{
    json_array_append_new(ops, op);
    txn->op_kinds = xrealloc(txn->op_kinds,
                             (txn->n_ops + 1) * sizeof *txn->op_kinds);
    txn->op_kinds[txn->n_ops++] = kind;
}

/* Builds the "transact" params.  Returns NULL if there is nothing to do
 * (no changes). */
static json_t *
txn_build(struct ovsdb_idl_txn *txn)
{
    struct ovsdb_idl *idl = txn->idl;
    json_t *ops = json_array();
    bool changed = false;
    struct ovsdb_idl_row *row;

    json_array_append_new(ops, json_string(idl->db_name));
    txn->n_ops = 0;
    if (idl->lock_name) {
        txn_add_op(txn, ops, json_pack("{s:s,s:s}", "op", "assert",
                                       "lock", idl->lock_name), OP_OTHER);
    }

    /* Verifications first: later operations must not affect them. */
    struct txn_verify *v;
    LIST_FOR_EACH (v, node, &txn->verifies) {
        char buf[UUID_LEN + 1];
        uuid_format(&v->uuid, buf);
        txn_add_op(txn, ops,
                   json_pack("{s:s,s:s,s:i,s:[[ss[ss]]],s:[s],s:s,s:[{s:O}]}",
                             "op", "wait", "table", v->table,
                             "timeout", 0,
                             "where", "_uuid", "==", "uuid", buf,
                             "columns", v->column,
                             "until", "==",
                             "rows", v->column, v->value),
                   OP_OTHER);
    }

    LIST_FOR_EACH (row, txn_node, &txn->rows) {
        const struct ovsdb_table_schema *ts = row->schema;
        const char *table = row->table->name;

        if (row->txn_deleted) {
            if (!row->old) {
                continue;       /* Inserted, then deleted: nothing. */
            }
            txn_add_op(txn, ops,
                       json_pack("{s:s,s:s,s:o}", "op", "delete",
                                 "table", table, "where", where_uuid(row)),
                       OP_COUNT1);
            changed = true;
            continue;
        }
        if (!row->new_) {
            continue;           /* Only mutations or increment. */
        }

        json_t *row_json = json_object();
        for (size_t i = OVSDB_N_STD_COLUMNS; i < ts->n_columns; i++) {
            const struct ovsdb_column *c = ovsdb_table_schema_column(ts, i);
            if (!row->written[i]) {
                continue;
            }
            if (row->old && row->table->monitored
                && row->table->schema == ts && row->table->monitored[i]
                && ovsdb_datum_equals(&row->old[i], &row->new_[i],
                                      &c->type)) {
                continue;       /* Unchanged. */
            }
            json_object_set_new(row_json, c->name,
                                substitute_uuids(ovsdb_datum_to_json(
                                    &row->new_[i], &c->type), txn));
        }

        if (!row->old) {
            char *name = named_uuid(&row->uuid);
            txn_add_op(txn, ops,
                       json_pack("{s:s,s:s,s:o,s:s}", "op", "insert",
                                 "table", table, "row", row_json,
                                 "uuid-name", name),
                       OP_INSERT);
            free(name);
            changed = true;
        } else if (json_object_size(row_json)) {
            txn_add_op(txn, ops,
                       json_pack("{s:s,s:s,s:o,s:o}", "op", "update",
                                 "table", table, "where", where_uuid(row),
                                 "row", row_json),
                       OP_COUNT1);
            changed = true;
        } else {
            json_decref(row_json);
        }
    }

    struct txn_mutation *m;
    LIST_FOR_EACH (m, node, &txn->mutations) {
        if (m->row->txn_deleted) {
            continue;
        }
        json_t *value = substitute_uuids(json_deep_copy(m->value), txn);
        txn_add_op(txn, ops,
                   json_pack("{s:s,s:s,s:o,s:[[sso]]}", "op", "mutate",
                             "table", m->row->table->name,
                             "where", where_uuid(m->row),
                             "mutations", m->column, m->mutator, value),
                   OP_COUNT1);
        changed = true;
    }

    txn->inc_sent = false;
    if (txn->inc_row && !txn->inc_row->txn_deleted
        && (changed || !txn->inc_if_changed)) {
        txn->inc_sent = true;
        txn_add_op(txn, ops,
                   json_pack("{s:s,s:s,s:o,s:[[ssi]]}", "op", "mutate",
                             "table", txn->inc_row->table->name,
                             "where", where_uuid(txn->inc_row),
                             "mutations", txn->inc_column, "+=", 1),
                   OP_COUNT1);
        txn_add_op(txn, ops,
                   json_pack("{s:s,s:s,s:o,s:[s]}", "op", "select",
                             "table", txn->inc_row->table->name,
                             "where", where_uuid(txn->inc_row),
                             "columns", txn->inc_column),
                   OP_INC_SELECT);
        changed = true;
    }

    if (txn->comment.length) {
        txn_add_op(txn, ops, json_pack("{s:s,s:s}", "op", "comment",
                                       "comment", ds_cstr(&txn->comment)),
                   OP_OTHER);
    }

    if (!changed) {
        json_decref(ops);
        return NULL;
    }
    return ops;
}

/* ------------------------------------------------------------------ */
/* Commit and the reply.                                              */
/* ------------------------------------------------------------------ */

enum ovsdb_idl_txn_status
ovsdb_idl_txn_commit(struct ovsdb_idl_txn *txn)
{
    struct ovsdb_idl *idl = txn->idl;

    if (txn->status != TXN_UNCOMMITTED) {
        return txn->status;
    }
    if (txn->error) {
        txn->status = TXN_ERROR;
        return txn->status;
    }

    json_t *params = txn_build(txn);
    if (!params) {
        txn->status = TXN_UNCHANGED;
        return txn->status;
    }
    if (!ovsdb_idl_is_connected(idl)) {
        json_decref(params);
        txn_set_error(txn, "not connected to the database");
        txn->status = TXN_TRY_AGAIN;
        return txn->status;
    }
    if (idl->lock_name && !idl->has_lock) {
        json_decref(params);
        txn_set_error(txn, "lock %s is not held", idl->lock_name);
        txn->status = TXN_NOT_LOCKED;
        return txn->status;
    }

    /* Remember which inserts to map. */
    struct ovsdb_idl_row *row;
    LIST_FOR_EACH (row, txn_node, &txn->rows) {
        if (!row->old && !row->txn_deleted) {
            txn->inserts = xrealloc(txn->inserts, (txn->n_inserts + 1)
                                    * sizeof *txn->inserts);
            struct txn_insert *ins = &txn->inserts[txn->n_inserts++];
            ins->temp = row->uuid;
            uuid_zero(&ins->real);
            ins->known = false;
        }
    }

    COVERAGE_INC(idl_txn_commit);
    idl_send(idl, "transact", params, &txn->request_id);
    txn->status = TXN_INCOMPLETE;
    return txn->status;
}

static void
txn_finish(struct ovsdb_idl_txn *txn, enum ovsdb_idl_txn_status status)
{
    txn->status = status;
    json_decref(txn->request_id);
    txn->request_id = NULL;
}

void
idl_txn_disconnected(struct ovsdb_idl *idl)
{
    struct ovsdb_idl_txn *txn = idl->txn;
    if (txn && txn->status == TXN_INCOMPLETE) {
        txn_set_error(txn, "connection to the database dropped");
        txn_finish(txn, TXN_TRY_AGAIN);
    }
}

void
idl_txn_handle_reply(struct ovsdb_idl *idl, const struct jsonrpc_msg *msg)
{
    struct ovsdb_idl_txn *txn = idl->txn;

    if (!txn || !txn->request_id || !json_equal(msg->id, txn->request_id)
        || txn->status != TXN_INCOMPLETE) {
        return;
    }
    if (msg->type == JSONRPC_ERROR) {
        char *s = idl_error_to_string(msg->error);
        txn_set_error(txn, "%s", s);
        free(s);
        txn_finish(txn, TXN_ERROR);
        return;
    }
    if (!json_is_array(msg->result)
        || json_array_size(msg->result) < txn->n_ops) {
        txn_set_error(txn, "reply to transaction has wrong shape");
        txn_finish(txn, TXN_ERROR);
        return;
    }

    /* Errors first: the first one decides. */
    for (size_t i = 0; i < json_array_size(msg->result); i++) {
        const json_t *r = json_array_get(msg->result, i);
        const json_t *e = json_is_object(r) ? json_object_get(r, "error")
                                            : NULL;
        if (!json_is_string(e)) {
            continue;
        }
        const char *tag = json_string_value(e);
        char *s = idl_error_to_string(r);
        enum ovsdb_idl_txn_status status;
        if (!strcmp(tag, "timed out")) {
            status = TXN_TRY_AGAIN;
            free(s);
            s = xstrdup("verify failed: the database changed");
        } else if (!strcmp(tag, "not owner")) {
            status = TXN_NOT_LOCKED;
        } else {
            status = TXN_ERROR;
        }
        txn_set_error(txn, "%s", s);
        free(s);
        txn_finish(txn, status);
        return;
    }

    size_t insert_idx = 0;
    for (size_t i = 0; i < txn->n_ops; i++) {
        const json_t *r = json_array_get(msg->result, i);
        switch (txn->op_kinds[i]) {
        case OP_OTHER:
            break;
        case OP_COUNT1: {
            const json_t *count = json_object_get(r, "count");
            if (!json_is_integer(count) || json_integer_value(count) != 1) {
                txn_set_error(txn, "a row to update or delete no longer "
                              "exists");
                txn_finish(txn, TXN_TRY_AGAIN);
                return;
            }
            break;
        }
        case OP_INSERT: {
            const json_t *u = json_object_get(r, "uuid");
            struct uuid uuid;
            if (insert_idx < txn->n_inserts && json_is_array(u)
                && json_is_string(json_array_get(u, 1))
                && uuid_from_string(&uuid, json_string_value(
                                        json_array_get(u, 1)))) {
                txn->inserts[insert_idx].real = uuid;
                txn->inserts[insert_idx].known = true;
            }
            insert_idx++;
            break;
        }
        case OP_INC_SELECT: {
            const json_t *rows = json_object_get(r, "rows");
            const json_t *v = json_object_get(json_array_get(rows, 0),
                                              txn->inc_column);
            if (!json_is_integer(v)) {
                txn_set_error(txn, "increment of %s: bad reply",
                              txn->inc_column);
                txn_finish(txn, TXN_ERROR);
                return;
            }
            txn->inc_new_value = json_integer_value(v);
            break;
        }
        }
    }
    txn_finish(txn, TXN_SUCCESS);
}

enum ovsdb_idl_txn_status
ovsdb_idl_txn_commit_block(struct ovsdb_idl_txn *txn)
{
    enum ovsdb_idl_txn_status status;

    for (;;) {
        ovsdb_idl_run(txn->idl);
        status = ovsdb_idl_txn_commit(txn);
        if (status != TXN_INCOMPLETE) {
            return status;
        }
        ovsdb_idl_wait(txn->idl);
        ovsdb_idl_txn_wait(txn);
        poll_block();
    }
}

void
ovsdb_idl_txn_wait(const struct ovsdb_idl_txn *txn)
{
    if (txn->status != TXN_INCOMPLETE && txn->status != TXN_UNCOMMITTED) {
        poll_immediate_wake();
    }
}

enum ovsdb_idl_txn_status
ovsdb_idl_txn_get_status(const struct ovsdb_idl_txn *txn)
{
    return txn->status;
}

void
ovsdb_idl_txn_abort(struct ovsdb_idl_txn *txn)
{
    if (txn->status == TXN_UNCOMMITTED || txn->status == TXN_INCOMPLETE) {
        txn_finish(txn, TXN_ABORTED);
    }
}

const char *
ovsdb_idl_txn_get_error(const struct ovsdb_idl_txn *txn)
{
    return (txn->status == TXN_SUCCESS || txn->status == TXN_UNCHANGED
            ? NULL : txn->error);
}

int64_t
ovsdb_idl_txn_get_increment_new_value(const struct ovsdb_idl_txn *txn)
{
    return txn->inc_new_value;
}

const struct uuid *
ovsdb_idl_txn_get_insert_uuid(const struct ovsdb_idl_txn *txn,
                              const struct uuid *temp)
{
    for (size_t i = 0; i < txn->n_inserts; i++) {
        if (txn->inserts[i].known && uuid_equals(&txn->inserts[i].temp,
                                                 temp)) {
            return &txn->inserts[i].real;
        }
    }
    return NULL;
}

/* ------------------------------------------------------------------ */
/* Destruction.                                                       */
/* ------------------------------------------------------------------ */

void
ovsdb_idl_txn_destroy(struct ovsdb_idl_txn *txn)
{
    if (!txn) {
        return;
    }

    struct ovsdb_idl_row *row;
    LIST_FOR_EACH_SAFE (row, txn_node, &txn->rows) {
        if (!row->old && !row->deleted) {
            txn_drop_inserted_row(row);
        } else {
            idl_row_clear_txn(row);
            if (row->deleted && !row->tracked && !row->in_gc) {
                idl_row_release(row);
            }
        }
    }

    struct txn_verify *v;
    LIST_FOR_EACH_POP (v, node, &txn->verifies) {
        free(v->table);
        free(v->column);
        json_decref(v->value);
        free(v);
    }
    struct txn_mutation *m;
    LIST_FOR_EACH_POP (m, node, &txn->mutations) {
        free(m->column);
        free(m->mutator);
        json_decref(m->value);
        free(m);
    }
    txn->idl->txn = NULL;
    json_decref(txn->request_id);
    ds_destroy(&txn->comment);
    free(txn->inc_column);
    free(txn->op_kinds);
    free(txn->inserts);
    free(txn->error);
    free(txn);
}
