/* ovsdb-idl: generic client-side replica of an OVSDB database.
 * See ovsdb-idl.h for the contract. */
#include <config.h>

#include "ovsdb-idl.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "coverage.h"
#include "dynamic-string.h"
#include "hmap.h"
#include "jsonrpc.h"
#include "jsonrpc-session.h"
#include "list.h"
#include "ovsdb-error.h"
#include "ovsdb-schema.h"
#include "poll-loop.h"
#include "shash.h"
#include "timeval.h"
#include "util.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(ovsdb_idl);

COVERAGE_DEFINE(idl_resync);
COVERAGE_DEFINE(idl_update);
COVERAGE_DEFINE(idl_txn_commit);

static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(10, 10);

/* Where the IDL is in its conversation with the server. */
enum idl_state {
    IDL_S_DISCONNECTED,         /* No connection (or not yet talking). */
    IDL_S_SCHEMA_REQUESTED,     /* Sent get_schema. */
    IDL_S_MONITOR_REQUESTED,    /* Sent monitor_cond or monitor. */
    IDL_S_MONITORING            /* Replica is current. */
};

/* One table: what is registered, and the rows. */
struct idl_table {
    struct ovsdb_idl *idl;
    char *name;
    bool all_columns;               /* add_all_columns() or add_all(). */
    struct shash reg_columns;       /* Registered column names (no data). */
    struct shash omit_columns;      /* omit_alert() column names. */

    /* From the server's schema (NULL/0 if it lacks the table). */
    const struct ovsdb_table_schema *schema;
    bool *monitored;                /* Per column index: replicated. */
    bool *alert;                    /* Per column index: alerts. */

    struct hmap rows;               /* struct ovsdb_idl_row, by uuid. */
    struct vs_list track_list;      /* Tracked rows (track_node). */
};

struct ovsdb_idl_row {
    struct hmap_node hmap_node;     /* In table->rows, unless deleted. */
    struct uuid uuid;
    struct idl_table *table;
    const struct ovsdb_table_schema *schema;    /* Types of the data. */
    struct ovsdb_datum *old;        /* Replica values (n_columns), or NULL
                                     * for a row inserted by a txn. */
    bool deleted;                   /* Deleted from the replica. */
    unsigned int seqno;             /* See ovsdb_idl_row_get_seqno(). */

    /* Transaction view. */
    struct ovsdb_datum *new_;       /* NULL, or n_columns data: where
                                     * written[i] (or old is NULL) the
                                     * value the txn sees. */
    bool *written;
    bool txn_deleted;
    bool in_txn;
    struct vs_list txn_node;        /* In txn->rows if in_txn. */

    /* Change tracking. */
    bool tracked;
    bool track_new;
    bool *updated;                  /* Per column; NULL until needed. */
    struct vs_list track_node;      /* In table->track_list if tracked. */

    /* Garbage: deleted rows waiting to be freed. */
    bool in_gc;
    struct vs_list gc_node;         /* In idl->gc if in_gc. */
};

struct ovsdb_idl {
    char *db_name;
    struct jsonrpc_session *session;
    unsigned int session_seqno;
    bool retry;
    enum idl_state state;
    json_t *request_id;             /* Outstanding get_schema/monitor. */
    bool use_update2;               /* monitor_cond accepted? */
    json_t *monitor_id;

    bool add_all;
    struct shash tables;            /* Name -> struct idl_table *. */
    struct ovsdb_schema *schema;    /* Server's schema, or NULL. */
    struct vs_list retired_schemas; /* struct retired_schema. */

    unsigned int seqno;
    unsigned int resync_seqno;
    bool changed;                   /* An alerting change in progress. */
    bool ever_connected;
    bool fatal;                     /* Gave up for a non-connection cause. */
    char *error_message;

    bool track;
    struct vs_list gc;              /* Deleted rows to free. */

    /* Lock. */
    char *lock_name;
    bool has_lock;
    bool is_lock_contended;
    json_t *lock_request_id;

    struct ovsdb_idl_txn *txn;
};

struct retired_schema {
    struct vs_list node;
    struct ovsdb_schema *schema;
};

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

static void idl_send_schema_request(struct ovsdb_idl *);
static void idl_handle_msg(struct ovsdb_idl *, struct jsonrpc_msg *);
static void idl_row_free(struct ovsdb_idl_row *);
static void idl_gc(struct ovsdb_idl *);
static void idl_txn_disconnected(struct ovsdb_idl *);
static void idl_send_lock_request(struct ovsdb_idl *);
static void txn_set_error(struct ovsdb_idl_txn *, const char *format, ...)
    VS_PRINTF_FORMAT(2, 3);

/* ------------------------------------------------------------------ */
/* Tables and registration.                                            */
/* ------------------------------------------------------------------ */

static struct idl_table *
idl_table_get(const struct ovsdb_idl *idl, const char *name)
{
    return name ? shash_find_data(&idl->tables, name) : NULL;
}

static struct idl_table *
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

struct ovsdb_idl *
ovsdb_idl_create(const char *remote, const char *db_name, bool retry)
{
    struct ovsdb_idl *idl = xzalloc(sizeof *idl);

    idl->db_name = xstrdup(db_name);
    idl->session = jsonrpc_session_open(remote, retry);
    idl->session_seqno = UINT_MAX;
    idl->retry = retry;
    idl->state = IDL_S_DISCONNECTED;
    idl->monitor_id = json_string("vs-idl");
    shash_init(&idl->tables);
    vs_list_init(&idl->retired_schemas);
    vs_list_init(&idl->gc);
    idl->seqno = 1;
    return idl;
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

static size_t
row_n_columns(const struct ovsdb_idl_row *row)
{
    return row->schema->n_columns;
}

static const struct ovsdb_type *
col_type(const struct ovsdb_table_schema *ts, size_t i)
{
    return &ovsdb_table_schema_column(ts, i)->type;
}

/* Returns a new array of TS's columns, each at its default, with the
 * "_uuid" column set to UUID. */
static struct ovsdb_datum *
data_create_default(const struct ovsdb_table_schema *ts,
                    const struct uuid *uuid)
{
    struct ovsdb_datum *data = xmalloc(ts->n_columns * sizeof *data);
    for (size_t i = 0; i < ts->n_columns; i++) {
        ovsdb_datum_init_default(&data[i], col_type(ts, i));
    }
    if (uuid) {
        data[OVSDB_COL_UUID].keys[0].uuid = *uuid;
    }
    return data;
}

static void
data_destroy(struct ovsdb_datum *data, const struct ovsdb_table_schema *ts)
{
    if (data) {
        for (size_t i = 0; i < ts->n_columns; i++) {
            ovsdb_datum_destroy(&data[i], col_type(ts, i));
        }
        free(data);
    }
}

static struct ovsdb_idl_row *
row_create(struct idl_table *t, const struct uuid *uuid)
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

static struct ovsdb_idl_row *
table_find_row(const struct idl_table *t, const struct uuid *uuid)
{
    struct ovsdb_idl_row *row;
    HMAP_FOR_EACH_WITH_HASH (row, hmap_node, uuid_hash(uuid), &t->rows) {
        if (uuid_equals(&row->uuid, uuid)) {
            return row;
        }
    }
    return NULL;
}

/* Replica row (not one inserted by the txn) with UUID. */
static struct ovsdb_idl_row *
table_find_replica_row(const struct idl_table *t, const struct uuid *uuid)
{
    struct ovsdb_idl_row *row;
    HMAP_FOR_EACH_WITH_HASH (row, hmap_node, uuid_hash(uuid), &t->rows) {
        if (row->old && uuid_equals(&row->uuid, uuid)) {
            return row;
        }
    }
    return NULL;
}

static void
row_clear_txn(struct ovsdb_idl_row *row)
{
    if (row->new_) {
        size_t n = row_n_columns(row);
        for (size_t i = 0; i < n; i++) {
            if (row->written[i] || !row->old) {
                ovsdb_datum_destroy(&row->new_[i], col_type(row->schema, i));
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

static void
idl_row_free(struct ovsdb_idl_row *row)
{
    row_clear_txn(row);
    if (row->tracked) {
        vs_list_remove(&row->track_node);
    }
    if (row->in_gc) {
        vs_list_remove(&row->gc_node);
    }
    free(row->updated);
    data_destroy(row->old, row->schema);
    free(row);
}

/* Frees ROW if nothing holds it any more (it must be deleted). */
static void
row_release(struct ovsdb_idl_row *row)
{
    if (row->deleted && !row->tracked && !row->in_txn) {
        idl_row_free(row);
    }
}

static void
idl_gc(struct ovsdb_idl *idl)
{
    struct ovsdb_idl_row *row;
    LIST_FOR_EACH_SAFE (row, gc_node, &idl->gc) {
        if (!row->in_txn && !row->tracked) {
            idl_row_free(row);
        }
    }
}

/* Change tracking and seqno bookkeeping. */
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

static void
row_note_column_change(struct ovsdb_idl_row *row, size_t i)
{
    struct idl_table *t = row->table;
    if (t->alert && t->schema == row->schema && !t->alert[i]) {
        return;
    }
    row_track(row);
    if (t->idl->track) {
        if (!row->updated) {
            row->updated = xcalloc(row_n_columns(row), sizeof *row->updated);
        }
        row->updated[i] = true;
    }
}

static void
row_insert_into_replica(struct idl_table *t, struct ovsdb_idl_row *row)
{
    hmap_insert(&t->rows, &row->hmap_node, uuid_hash(&row->uuid));
    row_track(row);
    if (t->idl->track) {
        row->track_new = true;
    }
}

static void
row_delete_from_replica(struct ovsdb_idl_row *row)
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

/* ------------------------------------------------------------------ */
/* Connection handling.                                                */
/* ------------------------------------------------------------------ */

static void
idl_set_fatal(struct ovsdb_idl *idl, const char *format, ...)
    VS_PRINTF_FORMAT(2, 3);

static void
idl_set_fatal(struct ovsdb_idl *idl, const char *format, ...)
{
    va_list args;

    free(idl->error_message);
    va_start(args, format);
    idl->error_message = xvasprintf(format, args);
    va_end(args);

    VLOG_WARN_RL(&rl, "%s: %s", jsonrpc_session_get_name(idl->session),
                 idl->error_message);
    if (idl->retry) {
        jsonrpc_session_force_reconnect(idl->session);
    } else {
        idl->fatal = true;
    }
    idl->state = IDL_S_DISCONNECTED;
}

static void
idl_send(struct ovsdb_idl *idl, const char *method, json_t *params,
         json_t **idp)
{
    struct jsonrpc_msg *msg = jsonrpc_create_request(method, params, idp);
    jsonrpc_session_send(idl->session, msg);
}

static void
idl_send_schema_request(struct ovsdb_idl *idl)
{
    json_decref(idl->request_id);
    idl->request_id = NULL;
    idl_send(idl, "get_schema", json_pack("[s]", idl->db_name),
             &idl->request_id);
    idl->state = IDL_S_SCHEMA_REQUESTED;
}

void
ovsdb_idl_run(struct ovsdb_idl *idl)
{
    idl_gc(idl);
    if (idl->fatal) {
        return;
    }

    jsonrpc_session_run(idl->session);

    unsigned int seqno = jsonrpc_session_get_seqno(idl->session);
    if (seqno != idl->session_seqno) {
        idl->session_seqno = seqno;
        idl_txn_disconnected(idl);
        if (idl->has_lock || idl->is_lock_contended) {
            idl->has_lock = false;
            idl->is_lock_contended = false;
            idl->seqno++;
        }
        json_decref(idl->lock_request_id);
        idl->lock_request_id = NULL;
        idl->state = IDL_S_DISCONNECTED;
        if (jsonrpc_session_is_connected(idl->session)) {
            idl_send_schema_request(idl);
            if (idl->lock_name) {
                idl_send_lock_request(idl);
            }
        }
    }

    /* Bound the work per call so a flood cannot starve the caller. */
    for (int i = 0; i < 50; i++) {
        struct jsonrpc_msg *msg = jsonrpc_session_recv(idl->session);
        if (!msg) {
            break;
        }
        idl_handle_msg(idl, msg);
        jsonrpc_msg_destroy(msg);
        if (idl->fatal || idl->session_seqno
            != jsonrpc_session_get_seqno(idl->session)) {
            break;
        }
        if (i == 49) {
            poll_immediate_wake();
        }
    }
}

void
ovsdb_idl_wait(struct ovsdb_idl *idl)
{
    if (idl->fatal) {
        return;
    }
    jsonrpc_session_wait(idl->session);
    jsonrpc_session_recv_wait(idl->session);
    if (!vs_list_is_empty(&idl->gc)) {
        /* Nothing to do: freed at the next run. */
    }
}

unsigned int
ovsdb_idl_get_seqno(const struct ovsdb_idl *idl)
{
    return idl->seqno;
}

unsigned int
ovsdb_idl_get_resync_seqno(const struct ovsdb_idl *idl)
{
    return idl->resync_seqno;
}

bool
ovsdb_idl_is_connected(const struct ovsdb_idl *idl)
{
    return idl->state == IDL_S_MONITORING
           && jsonrpc_session_is_connected(idl->session);
}

bool
ovsdb_idl_has_ever_connected(const struct ovsdb_idl *idl)
{
    return idl->ever_connected;
}

bool
ovsdb_idl_is_alive(const struct ovsdb_idl *idl)
{
    return !idl->fatal && jsonrpc_session_is_alive(idl->session);
}

int
ovsdb_idl_get_last_error(const struct ovsdb_idl *idl)
{
    int error = jsonrpc_session_get_status(idl->session);
    return error ? error : jsonrpc_session_get_last_error(idl->session);
}

const char *
ovsdb_idl_get_error_message(const struct ovsdb_idl *idl)
{
    return idl->error_message;
}

const char *
ovsdb_idl_get_remote(const struct ovsdb_idl *idl)
{
    return jsonrpc_session_get_name(idl->session);
}

void
ovsdb_idl_force_reconnect(struct ovsdb_idl *idl)
{
    jsonrpc_session_force_reconnect(idl->session);
}

void
ovsdb_idl_set_probe_interval(struct ovsdb_idl *idl, int probe_interval)
{
    jsonrpc_session_set_probe_interval(idl->session, probe_interval);
}

/* ------------------------------------------------------------------ */
/* Schema handling and monitoring.                                     */
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
            ovsdb_datum_destroy(&data[i], col_type(old_ts, i));
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

static void
table_set_schema(struct idl_table *t, const struct ovsdb_table_schema *ts)
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

/* Deletes every replica row of T (the server no longer has the table). */
static void
table_delete_all_rows(struct idl_table *t)
{
    struct ovsdb_idl_row *row;
    HMAP_FOR_EACH_SAFE (row, hmap_node, &t->rows) {
        if (row->old) {
            row_delete_from_replica(row);
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
                      jsonrpc_session_get_name(t->idl->session), t->name);
        }
        table_delete_all_rows(t);
        /* Drop rows inserted by the txn too: nothing to insert into. */
        HMAP_FOR_EACH_SAFE (row, hmap_node, &t->rows) {
            hmap_remove(&t->rows, &row->hmap_node);
            idl_row_free(row);
        }
        table_set_schema(t, NULL);
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
    table_set_schema(t, ts);
}

/* Installs SCHEMA (taking ownership) as the server's schema. */
static void
idl_install_schema(struct ovsdb_idl *idl, struct ovsdb_schema *schema)
{
    struct ovsdb_schema *old = idl->schema;

    if (old && ovsdb_schema_equal(old, schema)) {
        ovsdb_schema_destroy(schema);
        /* Registrations may have changed: recompute the column flags. */
        struct shash_node *node;
        SHASH_FOR_EACH (node, &idl->tables) {
            struct idl_table *t = node->data;
            table_set_schema(t, ovsdb_schema_get_table(old, t->name));
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

static void
idl_send_monitor_request(struct ovsdb_idl *idl)
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
                            idl->use_update2 ? json_pack("[o]", req) : req);
    }

    json_decref(idl->request_id);
    idl->request_id = NULL;
    idl_send(idl, idl->use_update2 ? "monitor_cond" : "monitor",
             json_pack("[sOo]", idl->db_name, idl->monitor_id, requests),
             &idl->request_id);
    idl->state = IDL_S_MONITOR_REQUESTED;
}

/* Is ERROR (a JSON-RPC error member) "unknown method"? */
static bool
is_unknown_method(const json_t *error)
{
    const char *s = json_string_value(error);
    if (!s && json_is_object(error)) {
        s = json_string_value(json_object_get(error, "error"));
    }
    return s && !strcmp(s, "unknown method");
}

static char *
error_to_string(const json_t *error)
{
    if (json_is_string(error)) {
        return xstrdup(json_string_value(error));
    } else if (json_is_object(error)
               && json_is_string(json_object_get(error, "error"))) {
        const char *tag = json_string_value(json_object_get(error, "error"));
        const char *details = json_string_value(json_object_get(error,
                                                                "details"));
        return details ? xasprintf("%s: %s", tag, details) : xstrdup(tag);
    } else {
        char *s = json_dumps(error, JSON_COMPACT | JSON_SORT_KEYS
                             | JSON_ENCODE_ANY);
        return s ? s : xstrdup("unknown error");
    }
}

/* ------------------------------------------------------------------ */
/* Applying updates.                                                   */
/* ------------------------------------------------------------------ */

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
        VLOG_WARN_RL(&rl, "table %s: row is not a JSON object", t->name);
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
            VLOG_WARN_RL(&rl, "table %s column %s: bad value from server "
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
        if (!ovsdb_datum_equals(&row->old[i], &data[i], col_type(ts, i))) {
            ovsdb_datum_swap(&row->old[i], &data[i]);
            row_note_column_change(row, i);
        }
    }
    data_destroy(data, ts);
}

static void
process_row_insert(struct idl_table *t, const struct uuid *uuid,
                   const json_t *row_json)
{
    struct ovsdb_datum *data = data_create_default(t->schema, uuid);
    struct ovsdb_idl_row *row = table_find_replica_row(t, uuid);

    parse_row_json(t, data, row_json, false, NULL);
    if (row) {
        /* Insert of a row we have: treat as a replacement. */
        row_replace_data(row, data);
    } else {
        row = row_create(t, uuid);
        row->old = data;
        row_insert_into_replica(t, row);
    }
}

static bool
process_row_modify(struct idl_table *t, const struct uuid *uuid,
                   const json_t *row_json, bool diff)
{
    struct ovsdb_idl_row *row = table_find_replica_row(t, uuid);
    if (!row) {
        VLOG_WARN_RL(&rl, "table %s: cannot modify missing row "UUID_FMT,
                     t->name, UUID_ARGS(uuid));
        return false;
    }
    bool *changed = xcalloc(t->schema->n_columns, sizeof *changed);
    parse_row_json(t, row->old, row_json, diff, changed);
    for (size_t i = 0; i < t->schema->n_columns; i++) {
        if (changed[i]) {
            row_note_column_change(row, i);
        }
    }
    free(changed);
    return true;
}

static bool
process_row_delete(struct idl_table *t, const struct uuid *uuid)
{
    struct ovsdb_idl_row *row = table_find_replica_row(t, uuid);
    if (!row) {
        VLOG_WARN_RL(&rl, "table %s: cannot delete missing row "UUID_FMT,
                     t->name, UUID_ARGS(uuid));
        return false;
    }
    row_delete_from_replica(row);
    return true;
}

/* Applies one table-updates (UPDATE2: table-updates2) object.  Returns
 * false if it was inconsistent with the replica. */
static bool
process_table_updates(struct ovsdb_idl *idl, const json_t *updates,
                      bool update2)
{
    const char *table_name;
    json_t *table_updates;
    bool ok = true;

    if (!json_is_object(updates)) {
        VLOG_WARN_RL(&rl, "table updates is not a JSON object");
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
                VLOG_WARN_RL(&rl, "table %s: bad row update", table_name);
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
            struct ovsdb_datum *data = data_create_default(t->schema, &uuid);
            parse_row_json(t, data, row_json, false, NULL);
            row = table_find_replica_row(t, &uuid);
            if (row) {
                row_replace_data(row, data);
                hmap_remove(&t->rows, &row->hmap_node);
            } else {
                row = row_create(t, &uuid);
                row->old = data;
                row_track(row);
                if (t->idl->track) {
                    row->track_new = true;
                }
            }
            hmap_insert(&seen, &row->hmap_node, uuid_hash(&uuid));
        }
    }
    /* Rows left in t->rows (other than txn inserts) are gone. */
    table_delete_all_rows(t);
    HMAP_FOR_EACH_POP (row, hmap_node, &seen) {
        hmap_insert(&t->rows, &row->hmap_node, uuid_hash(&row->uuid));
    }
    hmap_destroy(&seen);
}

/* Resynchronizes the replica with SNAPSHOT, the complete contents (reply
 * to a monitor request). */
static void
process_snapshot(struct ovsdb_idl *idl, const json_t *snapshot, bool update2)
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

static void
idl_finish_change(struct ovsdb_idl *idl)
{
    if (idl->changed) {
        idl->changed = false;
        idl->seqno++;
    }
}

static void
idl_handle_schema_reply(struct ovsdb_idl *idl, const struct jsonrpc_msg *msg)
{
    if (msg->type == JSONRPC_ERROR) {
        char *s = error_to_string(msg->error);
        idl_set_fatal(idl, "database %s: get_schema failed (%s)",
                      idl->db_name, s);
        free(s);
        return;
    }

    struct ovsdb_schema *schema;
    struct ovsdb_error *error = ovsdb_schema_from_json(msg->result, &schema);
    if (error) {
        char *s = ovsdb_error_to_string_free(error);
        idl_set_fatal(idl, "database %s: bad schema from server (%s)",
                      idl->db_name, s);
        free(s);
        return;
    }
    idl_install_schema(idl, schema);
    idl->use_update2 = true;
    idl_send_monitor_request(idl);
}

static void
idl_handle_monitor_reply(struct ovsdb_idl *idl, const struct jsonrpc_msg *msg)
{
    if (msg->type == JSONRPC_ERROR) {
        if (idl->use_update2 && is_unknown_method(msg->error)) {
            VLOG_DBG("%s: monitor_cond not supported, using monitor",
                     jsonrpc_session_get_name(idl->session));
            idl->use_update2 = false;
            idl_send_monitor_request(idl);
            return;
        }
        char *s = error_to_string(msg->error);
        idl_set_fatal(idl, "database %s: monitor request failed (%s)",
                      idl->db_name, s);
        free(s);
        return;
    }
    process_snapshot(idl, msg->result, idl->use_update2);
    idl->state = IDL_S_MONITORING;
    idl->resync_seqno++;
    if (!idl->ever_connected) {
        idl->ever_connected = true;
        idl->changed = true;
    }
    idl_finish_change(idl);
    free(idl->error_message);
    idl->error_message = NULL;
}

static void
idl_handle_update(struct ovsdb_idl *idl, const struct jsonrpc_msg *msg,
                  bool update2)
{
    if (idl->state != IDL_S_MONITORING || !json_is_array(msg->params)
        || json_array_size(msg->params) < 2
        || !json_equal(json_array_get(msg->params, 0), idl->monitor_id)) {
        return;
    }
    COVERAGE_INC(idl_update);
    bool ok = process_table_updates(idl, json_array_get(msg->params, 1),
                                    update2);
    idl_finish_change(idl);
    if (!ok) {
        /* Our replica disagrees with the server: start over. */
        VLOG_WARN_RL(&rl, "%s: replica out of sync, reconnecting",
                     jsonrpc_session_get_name(idl->session));
        jsonrpc_session_force_reconnect(idl->session);
    }
}

/* Locks. */
static void
idl_send_lock_request(struct ovsdb_idl *idl)
{
    json_decref(idl->lock_request_id);
    idl->lock_request_id = NULL;
    idl_send(idl, "lock", json_pack("[s]", idl->lock_name),
             &idl->lock_request_id);
}

static void
idl_update_lock(struct ovsdb_idl *idl, bool has_lock, bool contended)
{
    if (idl->has_lock != has_lock || idl->is_lock_contended != contended) {
        idl->has_lock = has_lock;
        idl->is_lock_contended = contended;
        idl->seqno++;
    }
}

void
ovsdb_idl_set_lock(struct ovsdb_idl *idl, const char *lock_name)
{
    if (idl->lock_name && lock_name && !strcmp(idl->lock_name, lock_name)) {
        return;
    }
    if (idl->lock_name) {
        if (jsonrpc_session_is_connected(idl->session)) {
            idl_send(idl, "unlock", json_pack("[s]", idl->lock_name), NULL);
        }
        free(idl->lock_name);
        idl->lock_name = NULL;
        json_decref(idl->lock_request_id);
        idl->lock_request_id = NULL;
        idl_update_lock(idl, false, false);
    }
    if (lock_name) {
        idl->lock_name = xstrdup(lock_name);
        if (jsonrpc_session_is_connected(idl->session)) {
            idl_send_lock_request(idl);
        }
    }
}

bool
ovsdb_idl_has_lock(const struct ovsdb_idl *idl)
{
    return idl->has_lock;
}

bool
ovsdb_idl_is_lock_contended(const struct ovsdb_idl *idl)
{
    return idl->is_lock_contended;
}

static bool
lock_notify_matches(const struct ovsdb_idl *idl, const json_t *params)
{
    return (idl->lock_name && json_is_array(params)
            && json_is_string(json_array_get(params, 0))
            && !strcmp(json_string_value(json_array_get(params, 0)),
                       idl->lock_name));
}

static void idl_handle_txn_reply(struct ovsdb_idl *,
                                 const struct jsonrpc_msg *);

static void
idl_handle_msg(struct ovsdb_idl *idl, struct jsonrpc_msg *msg)
{
    if (msg->type == JSONRPC_NOTIFY) {
        if (!strcmp(msg->method, "update2")) {
            idl_handle_update(idl, msg, true);
        } else if (!strcmp(msg->method, "update")) {
            idl_handle_update(idl, msg, false);
        } else if (!strcmp(msg->method, "locked")) {
            if (lock_notify_matches(idl, msg->params)) {
                idl_update_lock(idl, true, false);
            }
        } else if (!strcmp(msg->method, "stolen")) {
            if (lock_notify_matches(idl, msg->params)) {
                idl_update_lock(idl, false, true);
            }
        }
        return;
    }
    if (msg->type == JSONRPC_REQUEST) {
        /* "echo" is answered by the session; nothing else is expected. */
        return;
    }

    /* Replies. */
    if (idl->request_id && json_equal(msg->id, idl->request_id)) {
        json_decref(idl->request_id);
        idl->request_id = NULL;
        if (idl->state == IDL_S_SCHEMA_REQUESTED) {
            idl_handle_schema_reply(idl, msg);
        } else if (idl->state == IDL_S_MONITOR_REQUESTED) {
            idl_handle_monitor_reply(idl, msg);
        }
    } else if (idl->lock_request_id
               && json_equal(msg->id, idl->lock_request_id)) {
        json_decref(idl->lock_request_id);
        idl->lock_request_id = NULL;
        if (msg->type == JSONRPC_REPLY) {
            bool locked = json_is_true(json_object_get(msg->result,
                                                       "locked"));
            idl_update_lock(idl, locked, !locked);
        } else {
            char *s = error_to_string(msg->error);
            VLOG_WARN_RL(&rl, "lock %s: %s", idl->lock_name, s);
            free(s);
        }
    } else if (idl->txn && idl->txn->request_id
               && json_equal(msg->id, idl->txn->request_id)) {
        idl_handle_txn_reply(idl, msg);
    }
}

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
ovsdb_idl_destroy(struct ovsdb_idl *idl)
{
    if (!idl) {
        return;
    }
    ovsdb_idl_txn_destroy(idl->txn);
    jsonrpc_session_close(idl->session);

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
    json_decref(idl->request_id);
    json_decref(idl->lock_request_id);
    json_decref(idl->monitor_id);
    free(idl->lock_name);
    free(idl->error_message);
    free(idl->db_name);
    free(idl);
}

/* ------------------------------------------------------------------ */
/* Schema accessors.                                                   */
/* ------------------------------------------------------------------ */

const struct ovsdb_schema *
ovsdb_idl_get_schema(const struct ovsdb_idl *idl)
{
    return idl->schema;
}

const struct ovsdb_table_schema *
ovsdb_idl_get_table_schema(const struct ovsdb_idl *idl, const char *table)
{
    return idl->schema ? ovsdb_schema_get_table(idl->schema, table) : NULL;
}

bool
ovsdb_idl_has_table(const struct ovsdb_idl *idl, const char *table)
{
    const struct idl_table *t = idl_table_get(idl, table);
    return t && t->schema;
}

bool
ovsdb_idl_has_column(const struct ovsdb_idl *idl, const char *table,
                     const char *column)
{
    const struct idl_table *t = idl_table_get(idl, table);
    if (!t || !t->schema) {
        return false;
    }
    const struct ovsdb_column *c = ovsdb_table_schema_get_column(t->schema,
                                                                 column);
    return c && (c->index < OVSDB_N_STD_COLUMNS || t->monitored[c->index]);
}

/* ------------------------------------------------------------------ */
/* Reading.                                                            */
/* ------------------------------------------------------------------ */

static bool
row_is_visible(const struct ovsdb_idl_row *row)
{
    return !row->txn_deleted && !row->deleted;
}

const struct ovsdb_idl_row *
ovsdb_idl_get_row(const struct ovsdb_idl *idl, const char *table,
                  const struct uuid *uuid)
{
    const struct idl_table *t = idl_table_get(idl, table);
    const struct ovsdb_idl_row *row = t ? table_find_row(t, uuid) : NULL;
    return row && row_is_visible(row) ? row : NULL;
}

static const struct ovsdb_idl_row *
next_visible(const struct idl_table *t, struct hmap_node *node)
{
    for (; node; node = hmap_next(&t->rows, node)) {
        const struct ovsdb_idl_row *row
            = CONTAINER_OF(node, struct ovsdb_idl_row, hmap_node);
        if (row_is_visible(row)) {
            return row;
        }
    }
    return NULL;
}

const struct ovsdb_idl_row *
ovsdb_idl_first_row(const struct ovsdb_idl *idl, const char *table)
{
    const struct idl_table *t = idl_table_get(idl, table);
    return t ? next_visible(t, hmap_first(&t->rows)) : NULL;
}

const struct ovsdb_idl_row *
ovsdb_idl_next_row(const struct ovsdb_idl_row *row)
{
    return next_visible(row->table, hmap_next(&row->table->rows,
                                              &row->hmap_node));
}

size_t
ovsdb_idl_count_rows(const struct ovsdb_idl *idl, const char *table)
{
    const struct ovsdb_idl_row *row;
    size_t n = 0;
    OVSDB_IDL_FOR_EACH (row, table, idl) {
        n++;
    }
    return n;
}

const struct uuid *
ovsdb_idl_row_get_uuid(const struct ovsdb_idl_row *row)
{
    return &row->uuid;
}

const char *
ovsdb_idl_row_get_table_name(const struct ovsdb_idl_row *row)
{
    return row->table->name;
}

const struct ovsdb_table_schema *
ovsdb_idl_row_get_table_schema(const struct ovsdb_idl_row *row)
{
    return row->schema;
}

struct ovsdb_idl *
ovsdb_idl_row_get_idl(const struct ovsdb_idl_row *row)
{
    return row->table->idl;
}

static const struct ovsdb_datum *
row_datum(const struct ovsdb_idl_row *row, size_t i)
{
    if (row->new_ && (!row->old || row->written[i])) {
        return &row->new_[i];
    }
    return &row->old[i];
}

const struct ovsdb_datum *
ovsdb_idl_row_get(const struct ovsdb_idl_row *row, const char *column,
                  const struct ovsdb_type **typep)
{
    static const struct ovsdb_datum empty = OVSDB_DATUM_EMPTY_INITIALIZER;
    const struct ovsdb_column *c
        = ovsdb_table_schema_get_column(row->schema, column);
    if (typep) {
        *typep = c ? &c->type : NULL;
    }
    return c ? row_datum(row, c->index) : &empty;
}

const struct ovsdb_idl_row *
ovsdb_idl_find_row_by_string(const struct ovsdb_idl *idl, const char *table,
                             const char *column, const char *value)
{
    const struct ovsdb_idl_row *row;

    OVSDB_IDL_FOR_EACH (row, table, idl) {
        const char *s = ovsdb_idl_row_get_string(row, column);

        if (s && !strcmp(s, value)) {
            return row;
        }
    }
    return NULL;
}

const char *
ovsdb_idl_row_get_string(const struct ovsdb_idl_row *row, const char *column)
{
    const struct ovsdb_type *type;
    const struct ovsdb_datum *d = ovsdb_idl_row_get(row, column, &type);
    return (type && type->key.type == OVSDB_TYPE_STRING && d->n
            ? d->keys[0].string : NULL);
}

int64_t
ovsdb_idl_row_get_integer(const struct ovsdb_idl_row *row,
                          const char *column, int64_t dflt)
{
    const struct ovsdb_type *type;
    const struct ovsdb_datum *d = ovsdb_idl_row_get(row, column, &type);
    return (type && type->key.type == OVSDB_TYPE_INTEGER && d->n
            ? d->keys[0].integer : dflt);
}

bool
ovsdb_idl_row_get_boolean(const struct ovsdb_idl_row *row,
                          const char *column, bool dflt)
{
    const struct ovsdb_type *type;
    const struct ovsdb_datum *d = ovsdb_idl_row_get(row, column, &type);
    return (type && type->key.type == OVSDB_TYPE_BOOLEAN && d->n
            ? d->keys[0].boolean : dflt);
}

const char *
ovsdb_idl_row_get_map_string(const struct ovsdb_idl_row *row,
                             const char *column, const char *key)
{
    const struct ovsdb_type *type;
    const struct ovsdb_datum *d = ovsdb_idl_row_get(row, column, &type);
    if (!type || type->key.type != OVSDB_TYPE_STRING
        || type->value.type != OVSDB_TYPE_STRING) {
        return NULL;
    }
    union ovsdb_atom atom = { .string = (char *) key };
    unsigned int idx = ovsdb_datum_find_key(d, &atom, OVSDB_TYPE_STRING);
    return idx == UINT_MAX ? NULL : d->values[idx].string;
}

const struct ovsdb_idl_row *
ovsdb_idl_row_get_ref(const struct ovsdb_idl_row *row, const char *column,
                      unsigned int idx)
{
    const struct ovsdb_type *type;
    const struct ovsdb_datum *d = ovsdb_idl_row_get(row, column, &type);
    if (!type || type->key.type != OVSDB_TYPE_UUID
        || !type->key.u.uuid.ref_table || idx >= d->n) {
        return NULL;
    }
    return ovsdb_idl_get_row(row->table->idl,
                             type->key.u.uuid.ref_table->name,
                             &d->keys[idx].uuid);
}

unsigned int
ovsdb_idl_row_get_seqno(const struct ovsdb_idl_row *row)
{
    return row->seqno;
}

/* ------------------------------------------------------------------ */
/* Change tracking.                                                    */
/* ------------------------------------------------------------------ */

void
ovsdb_idl_track_enable(struct ovsdb_idl *idl)
{
    idl->track = true;
}

const struct ovsdb_idl_row *
ovsdb_idl_track_first(const struct ovsdb_idl *idl, const char *table)
{
    const struct idl_table *t = idl_table_get(idl, table);
    if (!t || vs_list_is_empty(&t->track_list)) {
        return NULL;
    }
    return CONTAINER_OF(vs_list_front(&t->track_list), struct ovsdb_idl_row,
                        track_node);
}

const struct ovsdb_idl_row *
ovsdb_idl_track_next(const struct ovsdb_idl_row *row)
{
    if (row->track_node.next == &row->table->track_list) {
        return NULL;
    }
    return CONTAINER_OF(row->track_node.next, struct ovsdb_idl_row,
                        track_node);
}

bool
ovsdb_idl_row_is_new(const struct ovsdb_idl_row *row)
{
    return row->track_new && !row->deleted;
}

bool
ovsdb_idl_row_is_deleted(const struct ovsdb_idl_row *row)
{
    return row->deleted;
}

bool
ovsdb_idl_row_is_updated(const struct ovsdb_idl_row *row, const char *column)
{
    const struct ovsdb_column *c
        = ovsdb_table_schema_get_column(row->schema, column);
    if (!c || !row->tracked) {
        return false;
    }
    return row->track_new || (row->updated && row->updated[c->index]);
}

void
ovsdb_idl_track_clear(struct ovsdb_idl *idl)
{
    struct shash_node *node;
    SHASH_FOR_EACH (node, &idl->tables) {
        struct idl_table *t = node->data;
        struct ovsdb_idl_row *row;

        LIST_FOR_EACH_POP (row, track_node, &t->track_list) {
            vs_list_init(&row->track_node);
            row->tracked = false;
            row->track_new = false;
            free(row->updated);
            row->updated = NULL;
            if (row->deleted) {
                if (row->in_txn) {
                    row->in_gc = true;
                    vs_list_push_back(&idl->gc, &row->gc_node);
                } else {
                    idl_row_free(row);
                }
            }
        }
    }
}

/* ------------------------------------------------------------------ */
/* Transactions.                                                       */
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

/* Makes ROW part of TXN, with a transaction view. */
static void
txn_touch_row(struct ovsdb_idl_txn *txn, struct ovsdb_idl_row *row)
{
    if (!row->in_txn) {
        row->in_txn = true;
        vs_list_push_back(&txn->rows, &row->txn_node);
    }
    if (!row->new_) {
        size_t n = row_n_columns(row);
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
            table_set_schema(t, ts);
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

    struct ovsdb_idl_row *row = row_create(t, &temp);
    row->new_ = data_create_default(t->schema, &temp);
    row->written = xcalloc(t->schema->n_columns, sizeof *row->written);
    row->in_txn = true;
    vs_list_push_back(&txn->rows, &row->txn_node);
    hmap_insert(&t->rows, &row->hmap_node, uuid_hash(&temp));
    return row;
}

static void
txn_drop_inserted_row(struct ovsdb_idl_row *row)
{
    row_clear_txn(row);
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

    struct ovsdb_idl_row *r = (struct ovsdb_idl_row *) row;
    if (!r->in_txn) {
        r->in_txn = true;
        vs_list_push_back(&txn->rows, &r->txn_node);
    }
}

void
ovsdb_idl_txn_increment(struct ovsdb_idl_txn *txn,
                        const struct ovsdb_idl_row *row, const char *column)
{
    struct ovsdb_idl_row *r = (struct ovsdb_idl_row *) row;

    vs_assert(!txn->inc_row);
    if (!row || !txn_is_open(txn)) {
        return;
    }
    txn->inc_row = row;
    txn->inc_column = xstrdup(column);
    if (!r->in_txn) {
        r->in_txn = true;
        vs_list_push_back(&txn->rows, &r->txn_node);
    }
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
    json_decref(txn->request_id);
    txn->request_id = NULL;
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

static void
idl_txn_disconnected(struct ovsdb_idl *idl)
{
    struct ovsdb_idl_txn *txn = idl->txn;
    if (txn && txn->status == TXN_INCOMPLETE) {
        txn_set_error(txn, "connection to the database dropped");
        txn_finish(txn, TXN_TRY_AGAIN);
    }
}

static void
idl_handle_txn_reply(struct ovsdb_idl *idl, const struct jsonrpc_msg *msg)
{
    struct ovsdb_idl_txn *txn = idl->txn;

    if (txn->status != TXN_INCOMPLETE) {
        return;
    }
    if (msg->type == JSONRPC_ERROR) {
        char *s = error_to_string(msg->error);
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
        char *s = error_to_string(r);
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
            row_clear_txn(row);
            if (row->deleted && !row->tracked && !row->in_gc) {
                row_release(row);
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
