/* ovsdb-lite: OVSDB transactions: the change set, commit, abort and the
 * log record.  See transaction.h and transaction-private.h. */
#include <config.h>

#include "transaction-private.h"

#include <stdlib.h>
#include "database.h"
#include "hash.h"
#include "ovsdb-data.h"
#include "ovsdb-row.h"
#include "ovsdb-schema.h"
#include "util.h"

struct txn *
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

struct txn_row *
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

struct txn_row *
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

struct db_row *
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

void
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

void
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

void
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

struct txn_row **
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
