/* ovsdb-idl-update: bringing the IDL's replica in line with the server.
 *
 * Applies the table updates of "update" and "update2" notifications
 * (insert, modify with whole values or update2 diffs, delete) and
 * resynchronizes the replica with the initial contents that answer each
 * monitor request, keeping the identity of the rows that survive a
 * reconnection.  Values that the server sends but that do not fit the
 * column are logged (rate-limited) and ignored.  See ovsdb-idl-private.h
 * for the layout of the IDL's files. */
#include <config.h>

#include "ovsdb-idl-private.h"

#include <stdlib.h>
#include "coverage.h"
#include "hmap.h"
#include "ovsdb-error.h"
#include "ovsdb-schema.h"
#include "util.h"
#include "vlog.h"

static struct vlog_module *const THIS_MODULE = &VLM_ovsdb_idl;

COVERAGE_DEFINE(idl_resync);

/* Parses ROW_JSON's monitored columns into DATA (an array for T's
 * columns), replacing the values there.  If DIFF, values are update2
 * diffs applied to DATA.  If CHANGED is nonnull, sets CHANGED[i] for each
 * column whose value changed (comparing with the previous value). */
static void
parse_row_json(struct idl_table *t, struct ovsdb_datum *data,
               const json_t *row_json, bool diff, bool *changed)
{
    const char *name;
    json_t *value;

    if (!json_is_object(row_json)) {
        VLOG_WARN_RL(&idl_rl, "table %s: row is not a JSON object", t->name);
        return;
    }
    json_object_foreach ((json_t *) row_json, name, value) {
        const struct ovsdb_column *c
            = ovsdb_table_schema_get_column(t->schema, name);
        if (!c || c->index < OVSDB_N_STD_COLUMNS) {
            continue;
        }
        struct ovsdb_error *error;
        struct ovsdb_datum d;
        if (diff) {
            struct ovsdb_type dtype;
            ovsdb_datum_diff_type(&dtype, &c->type);
            error = ovsdb_datum_from_json(&d, &dtype, value, NULL);
            ovsdb_type_destroy(&dtype);
            if (!error) {
                struct ovsdb_datum nd;
                error = ovsdb_datum_apply_diff(&nd, &data[c->index], &d,
                                               &c->type);
                ovsdb_datum_destroy(&d, &c->type);
                if (!error) {
                    d = nd;
                }
            }
        } else {
            error = ovsdb_datum_from_json(&d, &c->type, value, NULL);
        }
        if (error) {
            char *s = ovsdb_error_to_string_free(error);
            VLOG_WARN_RL(&idl_rl, "table %s column %s: bad value from server "
                         "(%s)", t->name, name, s);
            free(s);
            continue;
        }
        if (changed && !ovsdb_datum_equals(&d, &data[c->index], &c->type)) {
            changed[c->index] = true;
        }
        ovsdb_datum_swap(&d, &data[c->index]);
        ovsdb_datum_destroy(&d, &c->type);
    }
}

/* Replaces ROW's replica values with DATA (for the same schema), noting
 * the columns that differ.  Frees DATA. */
static void
row_replace_data(struct ovsdb_idl_row *row, struct ovsdb_datum *data)
{
    const struct ovsdb_table_schema *ts = row->schema;
    for (size_t i = 0; i < ts->n_columns; i++) {
        if (!ovsdb_datum_equals(&row->old[i], &data[i], idl_col_type(ts, i))) {
            ovsdb_datum_swap(&row->old[i], &data[i]);
            idl_row_note_column_change(row, i);
        }
    }
    idl_data_destroy(data, ts);
}

/* Gives the replica row of T with UUID the contents ROW_JSON (whole
 * values; the columns it lacks at their defaults), noting the columns
 * that change.  If T has no such row, creates one, in no map yet, and sets
 * *IS_NEWP to true (else to false).  Returns the row. */
static struct ovsdb_idl_row *
row_load(struct idl_table *t, const struct uuid *uuid,
         const json_t *row_json, bool *is_newp)
{
    struct ovsdb_datum *data = idl_data_create_default(t->schema, uuid);
    struct ovsdb_idl_row *row = idl_table_find_replica_row(t, uuid);

    parse_row_json(t, data, row_json, false, NULL);
    *is_newp = !row;
    if (row) {
        row_replace_data(row, data);
    } else {
        row = idl_row_create(t, uuid);
        row->old = data;
    }
    return row;
}

static void
process_row_insert(struct idl_table *t, const struct uuid *uuid,
                   const json_t *row_json)
{
    /* The insert of a row we have is a replacement. */
    bool is_new;
    struct ovsdb_idl_row *row = row_load(t, uuid, row_json, &is_new);
    if (is_new) {
        idl_row_insert_into_replica(t, row);
    }
}

static bool
process_row_modify(struct idl_table *t, const struct uuid *uuid,
                   const json_t *row_json, bool diff)
{
    struct ovsdb_idl_row *row = idl_table_find_replica_row(t, uuid);
    if (!row) {
        VLOG_WARN_RL(&idl_rl, "table %s: cannot modify missing row "UUID_FMT,
                     t->name, UUID_ARGS(uuid));
        return false;
    }
    bool *changed = xcalloc(t->schema->n_columns, sizeof *changed);
    parse_row_json(t, row->old, row_json, diff, changed);
    for (size_t i = 0; i < t->schema->n_columns; i++) {
        if (changed[i]) {
            idl_row_note_column_change(row, i);
        }
    }
    free(changed);
    return true;
}

static bool
process_row_delete(struct idl_table *t, const struct uuid *uuid)
{
    struct ovsdb_idl_row *row = idl_table_find_replica_row(t, uuid);
    if (!row) {
        VLOG_WARN_RL(&idl_rl, "table %s: cannot delete missing row "UUID_FMT,
                     t->name, UUID_ARGS(uuid));
        return false;
    }
    idl_row_delete_from_replica(row);
    return true;
}

bool
idl_process_table_updates(struct ovsdb_idl *idl, const json_t *updates,
                          bool update2)
{
    const char *table_name;
    json_t *table_updates;
    bool ok = true;

    if (!json_is_object(updates)) {
        VLOG_WARN_RL(&idl_rl, "table updates is not a JSON object");
        return false;
    }
    json_object_foreach ((json_t *) updates, table_name, table_updates) {
        struct idl_table *t = idl_table_get(idl, table_name);
        const char *uuid_s;
        json_t *ru;

        if (!t || !t->schema || !json_is_object(table_updates)) {
            continue;
        }
        json_object_foreach (table_updates, uuid_s, ru) {
            struct uuid uuid;
            if (!uuid_from_string(&uuid, uuid_s) || !json_is_object(ru)) {
                VLOG_WARN_RL(&idl_rl, "table %s: bad row update", table_name);
                continue;
            }
            if (update2) {
                const json_t *j;
                if ((j = json_object_get(ru, "initial"))
                    || (j = json_object_get(ru, "insert"))) {
                    process_row_insert(t, &uuid, j);
                } else if ((j = json_object_get(ru, "modify"))) {
                    ok &= process_row_modify(t, &uuid, j, true);
                } else if (json_object_get(ru, "delete")) {
                    ok &= process_row_delete(t, &uuid);
                }
            } else {
                const json_t *old = json_object_get(ru, "old");
                const json_t *new = json_object_get(ru, "new");
                if (new && !old) {
                    process_row_insert(t, &uuid, new);
                } else if (new) {
                    ok &= process_row_modify(t, &uuid, new, false);
                } else if (old) {
                    ok &= process_row_delete(t, &uuid);
                }
            }
        }
    }
    return ok;
}

/* Resynchronizes T with ROWS, its complete contents (from the reply to a
 * monitor request; NULL if it has no rows). */
static void
table_process_snapshot(struct idl_table *t, const json_t *rows, bool update2)
{
    struct hmap seen = HMAP_INITIALIZER(&seen);
    struct ovsdb_idl_row *row;
    const char *uuid_s;
    json_t *ru;

    if (!t->schema) {
        return;
    }
    if (json_is_object(rows)) {
        json_object_foreach ((json_t *) rows, uuid_s, ru) {
            struct uuid uuid;
            const json_t *row_json;

            if (!uuid_from_string(&uuid, uuid_s) || !json_is_object(ru)) {
                continue;
            }
            row_json = json_object_get(ru, update2 ? "initial" : "new");
            if (!row_json) {
                continue;
            }
            bool is_new;
            row = row_load(t, &uuid, row_json, &is_new);
            if (is_new) {
                idl_row_note_new(row);
            } else {
                hmap_remove(&t->rows, &row->hmap_node);
            }
            hmap_insert(&seen, &row->hmap_node, uuid_hash(&uuid));
        }
    }
    /* Rows left in t->rows (other than txn inserts) are gone. */
    idl_table_delete_all_rows(t);
    HMAP_FOR_EACH_POP (row, hmap_node, &seen) {
        hmap_insert(&t->rows, &row->hmap_node, uuid_hash(&row->uuid));
    }
    hmap_destroy(&seen);
}

void
idl_process_snapshot(struct ovsdb_idl *idl, const json_t *snapshot,
                     bool update2)
{
    struct shash_node *node;

    COVERAGE_INC(idl_resync);
    if (!json_is_object(snapshot)) {
        snapshot = NULL;
    }
    SHASH_FOR_EACH (node, &idl->tables) {
        struct idl_table *t = node->data;
        table_process_snapshot(t, snapshot ? json_object_get(snapshot,
                                                             t->name)
                                           : NULL, update2);
    }
}

