/* ovsdb-idl-replica: the storage of the IDL's replica.
 *
 * Tables and what is registered for them; rows, from creation to the
 * moment nothing holds them any more (replica, change tracking, an open
 * transaction); the marking of changes for the seqno and change tracking;
 * the installation of a server schema, converting the rows of an older one
 * so that they keep their identity; and the monitor requests that the
 * registrations amount to.  See ovsdb-idl-private.h for the layout of the
 * IDL's files and ovsdb-idl.h for the contract. */
#include <config.h>

#include "ovsdb-idl-private.h"

#include <stdlib.h>
#include "hmap.h"
#include "list.h"
#include "ovsdb-schema.h"
#include "shash.h"
#include "util.h"
#include "vlog.h"

static struct vlog_module *const THIS_MODULE = &VLM_ovsdb_idl;

/* A schema that was replaced while rows of it may still be alive (tracked
 * deleted rows, garbage): freed with the IDL. */
struct retired_schema {
    struct vs_list node;
    struct ovsdb_schema *schema;
};

/* ------------------------------------------------------------------ */
/* Tables and registration.                                            */
/* ------------------------------------------------------------------ */

struct idl_table *
idl_table_get(const struct ovsdb_idl *idl, const char *name)
{
    return name ? shash_find_data(&idl->tables, name) : NULL;
}

struct idl_table *
idl_table_get_or_create(struct ovsdb_idl *idl, const char *name)
{
    struct idl_table *t = idl_table_get(idl, name);
    if (!t) {
        t = xzalloc(sizeof *t);
        t->idl = idl;
        t->name = xstrdup(name);
        shash_init(&t->reg_columns);
        shash_init(&t->omit_columns);
        hmap_init(&t->rows);
        vs_list_init(&t->track_list);
        shash_add(&idl->tables, name, t);
    }
    return t;
}

void
ovsdb_idl_add_table(struct ovsdb_idl *idl, const char *table)
{
    idl_table_get_or_create(idl, table);
}

void
ovsdb_idl_add_column(struct ovsdb_idl *idl, const char *table,
                     const char *column)
{
    struct idl_table *t = idl_table_get_or_create(idl, table);
    shash_add_once(&t->reg_columns, column, NULL);
}

void
ovsdb_idl_add_all_columns(struct ovsdb_idl *idl, const char *table)
{
    idl_table_get_or_create(idl, table)->all_columns = true;
}

void
ovsdb_idl_add_all(struct ovsdb_idl *idl)
{
    idl->add_all = true;
}

void
ovsdb_idl_omit_alert(struct ovsdb_idl *idl, const char *table,
                     const char *column)
{
    struct idl_table *t = idl_table_get_or_create(idl, table);
    shash_add_once(&t->reg_columns, column, NULL);
    shash_add_once(&t->omit_columns, column, NULL);
}

/* ------------------------------------------------------------------ */
/* Rows.                                                               */
/* ------------------------------------------------------------------ */

struct ovsdb_datum *
idl_data_create_default(const struct ovsdb_table_schema *ts,
                        const struct uuid *uuid)
{
    struct ovsdb_datum *data = xmalloc(ts->n_columns * sizeof *data);
    for (size_t i = 0; i < ts->n_columns; i++) {
        ovsdb_datum_init_default(&data[i], idl_col_type(ts, i));
    }
    if (uuid) {
        data[OVSDB_COL_UUID].keys[0].uuid = *uuid;
    }
    return data;
}

void
idl_data_destroy(struct ovsdb_datum *data,
                 const struct ovsdb_table_schema *ts)
{
    if (data) {
        for (size_t i = 0; i < ts->n_columns; i++) {
            ovsdb_datum_destroy(&data[i], idl_col_type(ts, i));
        }
        free(data);
    }
}

struct ovsdb_idl_row *
idl_row_create(struct idl_table *t, const struct uuid *uuid)
{
    struct ovsdb_idl_row *row = xzalloc(sizeof *row);
    row->uuid = *uuid;
    row->table = t;
    row->schema = t->schema;
    vs_list_init(&row->txn_node);
    vs_list_init(&row->track_node);
    vs_list_init(&row->gc_node);
    return row;
}

struct ovsdb_idl_row *
idl_table_find_replica_row(const struct idl_table *t,
                           const struct uuid *uuid)
{
    struct ovsdb_idl_row *row;
    HMAP_FOR_EACH_WITH_HASH (row, hmap_node, uuid_hash(uuid), &t->rows) {
        if (row->old && uuid_equals(&row->uuid, uuid)) {
            return row;
        }
    }
    return NULL;
}

void
idl_row_clear_txn(struct ovsdb_idl_row *row)
{
    if (row->new_) {
        size_t n = idl_row_n_columns(row);
        for (size_t i = 0; i < n; i++) {
            if (row->written[i] || !row->old) {
                ovsdb_datum_destroy(&row->new_[i],
                                    idl_col_type(row->schema, i));
            }
        }
        free(row->new_);
        free(row->written);
        row->new_ = NULL;
        row->written = NULL;
    }
    row->txn_deleted = false;
    if (row->in_txn) {
        vs_list_remove(&row->txn_node);
        vs_list_init(&row->txn_node);
        row->in_txn = false;
    }
}

void
idl_row_free(struct ovsdb_idl_row *row)
{
    idl_row_clear_txn(row);
    if (row->tracked) {
        vs_list_remove(&row->track_node);
    }
    if (row->in_gc) {
        vs_list_remove(&row->gc_node);
    }
    free(row->updated);
    idl_data_destroy(row->old, row->schema);
    free(row);
}

void
idl_row_release(struct ovsdb_idl_row *row)
{
    if (row->deleted && !row->tracked && !row->in_txn) {
        idl_row_free(row);
    }
}

void
idl_gc(struct ovsdb_idl *idl)
{
    struct ovsdb_idl_row *row;
    LIST_FOR_EACH_SAFE (row, gc_node, &idl->gc) {
        idl_row_release(row);
    }
}

/* Change marking: the seqno and change tracking.  ROW changed. */
static void
row_track(struct ovsdb_idl_row *row)
{
    struct ovsdb_idl *idl = row->table->idl;
    idl->changed = true;
    row->seqno = idl->seqno + 1;
    if (idl->track && !row->tracked) {
        row->tracked = true;
        vs_list_push_back(&row->table->track_list, &row->track_node);
    }
}

void
idl_row_note_column_change(struct ovsdb_idl_row *row, size_t i)
{
    struct idl_table *t = row->table;
    if (t->alert && t->schema == row->schema && !t->alert[i]) {
        return;
    }
    row_track(row);
    if (t->idl->track) {
        if (!row->updated) {
            row->updated = xcalloc(idl_row_n_columns(row),
                                   sizeof *row->updated);
        }
        row->updated[i] = true;
    }
}

void
idl_row_note_new(struct ovsdb_idl_row *row)
{
    row_track(row);
    if (row->table->idl->track) {
        row->track_new = true;
    }
}

void
idl_row_insert_into_replica(struct idl_table *t, struct ovsdb_idl_row *row)
{
    hmap_insert(&t->rows, &row->hmap_node, uuid_hash(&row->uuid));
    idl_row_note_new(row);
}

void
idl_row_delete_from_replica(struct ovsdb_idl_row *row)
{
    struct ovsdb_idl *idl = row->table->idl;

    hmap_remove(&row->table->rows, &row->hmap_node);
    row->deleted = true;
    row_track(row);
    if (!row->tracked) {
        row->in_gc = true;
        vs_list_push_back(&idl->gc, &row->gc_node);
    }
}

void
idl_finish_change(struct ovsdb_idl *idl)
{
    if (idl->changed) {
        idl->changed = false;
        idl->seqno++;
    }
}

/* ------------------------------------------------------------------ */
/* Schema installation.                                                */
/* ------------------------------------------------------------------ */

static bool
types_equal(const struct ovsdb_type *a, const struct ovsdb_type *b)
{
    json_t *ja = ovsdb_type_to_json(a);
    json_t *jb = ovsdb_type_to_json(b);
    bool equal = json_equal(ja, jb);
    json_decref(ja);
    json_decref(jb);
    return equal;
}

/* Converts DATA, an array for the columns of OLD_TS (freed), into one for
 * NEW_TS: columns with the same name and type keep their values.  If
 * VALID is NULL, every element of DATA is initialized and so is every
 * element of the result (new columns at their defaults).  Otherwise only
 * elements with VALID[i] are initialized; the result's valid elements are
 * flagged in NEW_VALID (others are left empty). */
static struct ovsdb_datum *
data_convert(struct ovsdb_datum *data, const bool *valid, bool *new_valid,
             const struct ovsdb_table_schema *old_ts,
             const struct ovsdb_table_schema *new_ts)
{
    struct ovsdb_datum *nd = xmalloc(new_ts->n_columns * sizeof *nd);
    bool *moved = xcalloc(old_ts->n_columns, sizeof *moved);

    for (size_t i = 0; i < new_ts->n_columns; i++) {
        const struct ovsdb_column *nc = ovsdb_table_schema_column(new_ts, i);
        const struct ovsdb_column *oc
            = ovsdb_table_schema_get_column(old_ts, nc->name);
        if (oc && (!valid || valid[oc->index])
            && types_equal(&oc->type, &nc->type)) {
            nd[i] = data[oc->index];
            moved[oc->index] = true;
            if (new_valid) {
                new_valid[i] = true;
            }
        } else if (!valid) {
            ovsdb_datum_init_default(&nd[i], &nc->type);
        } else {
            ovsdb_datum_init_empty(&nd[i]);
        }
    }
    for (size_t i = 0; i < old_ts->n_columns; i++) {
        if (!moved[i] && (!valid || valid[i])) {
            ovsdb_datum_destroy(&data[i], idl_col_type(old_ts, i));
        }
    }
    free(moved);
    free(data);
    return nd;
}

/* Maps per-column FLAGS (freed) from OLD_TS to NEW_TS by column name;
 * columns new in NEW_TS get MISSING. */
static bool *
flags_convert(bool *flags, const struct ovsdb_table_schema *old_ts,
              const struct ovsdb_table_schema *new_ts, bool missing)
{
    bool *nf = xcalloc(new_ts->n_columns, sizeof *nf);
    for (size_t i = 0; i < new_ts->n_columns; i++) {
        const struct ovsdb_column *oc = ovsdb_table_schema_get_column(
            old_ts, ovsdb_table_schema_column(new_ts, i)->name);
        nf[i] = oc ? flags[oc->index] : missing;
    }
    free(flags);
    return nf;
}

/* Moves ROW's data over to NEW_TS (the same table in a new schema). */
static void
row_convert(struct ovsdb_idl_row *row, const struct ovsdb_table_schema *new_ts)
{
    const struct ovsdb_table_schema *old_ts = row->schema;

    if (old_ts == new_ts) {
        return;
    }
    if (row->old) {
        row->old = data_convert(row->old, NULL, NULL, old_ts, new_ts);
        if (row->new_) {
            bool *nw = xcalloc(new_ts->n_columns, sizeof *nw);
            row->new_ = data_convert(row->new_, row->written, nw, old_ts,
                                     new_ts);
            free(row->written);
            row->written = nw;
        }
    } else if (row->new_) {
        row->new_ = data_convert(row->new_, NULL, NULL, old_ts, new_ts);
        row->written = flags_convert(row->written, old_ts, new_ts, false);
    }
    if (row->updated) {
        row->updated = flags_convert(row->updated, old_ts, new_ts, true);
    }
    row->schema = new_ts;
}

void
idl_table_set_schema(struct idl_table *t,
                     const struct ovsdb_table_schema *ts)
{
    free(t->monitored);
    free(t->alert);
    t->monitored = NULL;
    t->alert = NULL;
    t->schema = ts;
    if (!ts) {
        return;
    }
    t->monitored = xcalloc(ts->n_columns, sizeof *t->monitored);
    t->alert = xcalloc(ts->n_columns, sizeof *t->alert);
    for (size_t i = OVSDB_N_STD_COLUMNS; i < ts->n_columns; i++) {
        const char *name = ovsdb_table_schema_column(ts, i)->name;
        t->monitored[i] = (t->all_columns || t->idl->add_all
                           || shash_find(&t->reg_columns, name));
        t->alert[i] = !shash_find(&t->omit_columns, name);
    }
    t->alert[OVSDB_COL_UUID] = t->alert[OVSDB_COL_VERSION] = true;
}

void
idl_table_delete_all_rows(struct idl_table *t)
{
    struct ovsdb_idl_row *row;
    HMAP_FOR_EACH_SAFE (row, hmap_node, &t->rows) {
        if (row->old) {
            idl_row_delete_from_replica(row);
        }
    }
}

/* Switches T over to TS, its schema in a new server schema (NULL if the
 * server no longer has it). */
static void
table_install_schema(struct idl_table *t, const struct ovsdb_table_schema *ts)
{
    struct ovsdb_idl_row *row;

    if (!ts) {
        if (t->schema) {
            VLOG_INFO("%s: server has no table %s",
                      ovsdb_idl_get_remote(t->idl), t->name);
        }
        idl_table_delete_all_rows(t);
        /* Drop rows inserted by the txn too: nothing to insert into. */
        HMAP_FOR_EACH_SAFE (row, hmap_node, &t->rows) {
            hmap_remove(&t->rows, &row->hmap_node);
            idl_row_free(row);
        }
        idl_table_set_schema(t, NULL);
        return;
    }
    if (t->schema) {
        HMAP_FOR_EACH (row, hmap_node, &t->rows) {
            row_convert(row, ts);
        }
        LIST_FOR_EACH (row, track_node, &t->track_list) {
            if (row->deleted) {
                row_convert(row, ts);
            }
        }
    }
    idl_table_set_schema(t, ts);
}

void
idl_install_schema(struct ovsdb_idl *idl, struct ovsdb_schema *schema)
{
    struct ovsdb_schema *old = idl->schema;

    if (old && ovsdb_schema_equal(old, schema)) {
        ovsdb_schema_destroy(schema);
        /* Registrations may have changed: recompute the column flags. */
        struct shash_node *node;
        SHASH_FOR_EACH (node, &idl->tables) {
            struct idl_table *t = node->data;
            idl_table_set_schema(t, ovsdb_schema_get_table(old, t->name));
        }
        return;
    }

    idl->schema = schema;
    if (idl->add_all) {
        struct shash_node *node;
        SHASH_FOR_EACH (node, &schema->tables) {
            idl_table_get_or_create(idl, node->name);
        }
    }

    struct shash_node *node;
    SHASH_FOR_EACH (node, &idl->tables) {
        struct idl_table *t = node->data;
        table_install_schema(t, ovsdb_schema_get_table(schema, t->name));
    }
    /* Garbage rows keep their old schema, which stays allocated. */
    if (old) {
        struct retired_schema *rs = xmalloc(sizeof *rs);
        rs->schema = old;
        vs_list_push_back(&idl->retired_schemas, &rs->node);
    }
}

json_t *
idl_monitor_requests(const struct ovsdb_idl *idl, bool cond)
{
    json_t *requests = json_object();
    struct shash_node *node;

    SHASH_FOR_EACH (node, &idl->tables) {
        struct idl_table *t = node->data;
        if (!t->schema) {
            continue;
        }
        json_t *columns = json_array();
        for (size_t i = OVSDB_N_STD_COLUMNS; i < t->schema->n_columns; i++) {
            if (t->monitored[i]) {
                json_array_append_new(columns, json_string(
                    ovsdb_table_schema_column(t->schema, i)->name));
            }
        }
        if (!json_array_size(columns)) {
            json_decref(columns);
            continue;
        }
        json_t *req = json_pack("{s:o}", "columns", columns);
        json_object_set_new(requests, t->name,
                            cond ? json_pack("[o]", req) : req);
    }
    return requests;
}

/* ------------------------------------------------------------------ */
/* Life cycle.                                                         */
/* ------------------------------------------------------------------ */

static void
table_destroy(struct idl_table *t)
{
    struct ovsdb_idl_row *row;

    HMAP_FOR_EACH_POP (row, hmap_node, &t->rows) {
        idl_row_free(row);
    }
    LIST_FOR_EACH_POP (row, track_node, &t->track_list) {
        row->tracked = false;
        vs_list_init(&row->track_node);
        if (row->deleted) {
            idl_row_free(row);
        }
    }
    hmap_destroy(&t->rows);
    shash_destroy(&t->reg_columns);
    shash_destroy(&t->omit_columns);
    free(t->monitored);
    free(t->alert);
    free(t->name);
    free(t);
}

void
idl_replica_init(struct ovsdb_idl *idl)
{
    shash_init(&idl->tables);
    vs_list_init(&idl->retired_schemas);
    vs_list_init(&idl->gc);
    idl->seqno = 1;
}

void
idl_replica_destroy(struct ovsdb_idl *idl)
{
    struct ovsdb_idl_row *row;
    LIST_FOR_EACH_SAFE (row, gc_node, &idl->gc) {
        idl_row_free(row);
    }

    struct shash_node *node;
    SHASH_FOR_EACH (node, &idl->tables) {
        table_destroy(node->data);
    }
    shash_destroy(&idl->tables);

    struct retired_schema *rs;
    LIST_FOR_EACH_POP (rs, node, &idl->retired_schemas) {
        ovsdb_schema_destroy(rs->schema);
        free(rs);
    }
    ovsdb_schema_destroy(idl->schema);
}
