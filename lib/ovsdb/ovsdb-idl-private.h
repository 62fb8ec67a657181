/* ovsdb-idl-private.h: what the files of the IDL share, for them only.
 * Users include ovsdb-idl.h.
 *
 * The IDL is split by responsibility:
 *
 *   ovsdb-idl.c          the session: life cycle, the conversation with
 *                        the server (get_schema, monitor_cond falling back
 *                        to monitor, update notifications), locks, and
 *                        dispatch of incoming messages;
 *   ovsdb-idl-replica.c  the replica's storage: tables and registrations,
 *                        rows and their lifetimes, change marking, the
 *                        installation of a (new) server schema, and what
 *                        to monitor;
 *   ovsdb-idl-update.c   bringing the replica in line with the server:
 *                        table updates ("update"/"update2") and the
 *                        initial contents after each (re)connection;
 *   ovsdb-idl-read.c     the users' view: schema accessors, row lookup
 *                        and iteration, column values, change tracking;
 *   ovsdb-idl-txn.c      transactions: the transaction view, building the
 *                        "transact" request, interpreting the reply.
 *
 * The session reaches the replica only through the idl_*() functions
 * declared below; the replica knows nothing of the session. */
#ifndef OVSDB_IDL_PRIVATE_H
#define OVSDB_IDL_PRIVATE_H 1

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include "hmap.h"
#include "list.h"
#include "ovsdb-data.h"
#include "ovsdb-idl.h"
#include "ovsdb-schema.h"
#include "ovsdb-uuid.h"
#include "shash.h"
#include "vlog.h"

struct jsonrpc_msg;
struct jsonrpc_session;

/* All of the IDL's files log as the one module "ovsdb_idl" (defined in
 * ovsdb-idl.c; the other files point their THIS_MODULE at it) and share one
 * rate limit for the messages that the server can trigger. */
extern struct vlog_module VLM_ovsdb_idl;
extern struct vlog_rate_limit idl_rl;

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
    /* Session (ovsdb-idl.c). */
    char *db_name;
    struct jsonrpc_session *session;
    unsigned int session_seqno;
    bool retry;
    enum idl_state state;
    json_t *request_id;             /* Outstanding get_schema/monitor. */
    bool use_update2;               /* monitor_cond accepted? */
    json_t *monitor_id;

    /* Replica (ovsdb-idl-replica.c, ovsdb-idl-update.c). */
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

    /* Lock (ovsdb-idl.c). */
    char *lock_name;
    bool has_lock;
    bool is_lock_contended;
    json_t *lock_request_id;

    /* The open transaction (ovsdb-idl-txn.c), or NULL. */
    struct ovsdb_idl_txn *txn;
};

/* ------------------------------------------------------------------ */
/* Session (ovsdb-idl.c).                                              */
/* ------------------------------------------------------------------ */

/* Sends request METHOD with PARAMS (taking ownership) on IDL's session.
 * If IDP is nonnull, the request's id replaces the one stored there (which
 * is released): *IDP is what the reply will be matched against. */
void idl_send(struct ovsdb_idl *, const char *method, json_t *params,
              json_t **idp);
/* Returns a message for people (caller frees) from ERROR, a JSON-RPC
 * error member or an operation's error object. */
char *idl_error_to_string(const json_t *error);

/* ------------------------------------------------------------------ */
/* Replica storage (ovsdb-idl-replica.c).                              */
/* ------------------------------------------------------------------ */

static inline size_t
idl_row_n_columns(const struct ovsdb_idl_row *row)
{
    return row->schema->n_columns;
}

static inline const struct ovsdb_type *
idl_col_type(const struct ovsdb_table_schema *ts, size_t i)
{
    return &ovsdb_table_schema_column(ts, i)->type;
}

/* Initializes, resp. frees, the replica's part of IDL. */
void idl_replica_init(struct ovsdb_idl *);
void idl_replica_destroy(struct ovsdb_idl *);

/* The table named NAME (NULL is allowed: none), or NULL if not
 * registered.  get_or_create() registers it, with no columns. */
struct idl_table *idl_table_get(const struct ovsdb_idl *, const char *name);
struct idl_table *idl_table_get_or_create(struct ovsdb_idl *,
                                          const char *name);
/* Sets T's schema to TS (NULL: the server lacks the table) and recomputes
 * which columns are monitored and which alert. */
void idl_table_set_schema(struct idl_table *,
                          const struct ovsdb_table_schema *);
/* Deletes every replica row of T (rows inserted by a txn stay). */
void idl_table_delete_all_rows(struct idl_table *);
/* The replica row (not one inserted by the txn) of T with UUID, or
 * NULL. */
struct ovsdb_idl_row *idl_table_find_replica_row(const struct idl_table *,
                                                 const struct uuid *);

/* Returns a new array of TS's columns, each at its default, with the
 * "_uuid" column set to UUID (if nonnull). */
struct ovsdb_datum *idl_data_create_default(
    const struct ovsdb_table_schema *, const struct uuid *);
/* Frees DATA, an array for TS's columns (NULL is a no-op). */
void idl_data_destroy(struct ovsdb_datum *,
                      const struct ovsdb_table_schema *);

/* Returns a new row of T with UUID and no data, in no list or map. */
struct ovsdb_idl_row *idl_row_create(struct idl_table *,
                                     const struct uuid *);
/* Drops ROW's transaction view and takes it out of the txn. */
void idl_row_clear_txn(struct ovsdb_idl_row *);
/* Frees ROW, taking it out of every list (not out of table->rows). */
void idl_row_free(struct ovsdb_idl_row *);
/* Frees ROW if nothing holds it any more (it must be deleted). */
void idl_row_release(struct ovsdb_idl_row *);
/* Frees the deleted rows that nothing holds any more. */
void idl_gc(struct ovsdb_idl *);

/* Change marking, for the seqno and change tracking.
 * note_column_change(): column I of ROW changed (nothing happens for an
 * omit_alert() column); note_new(): ROW is new in the replica;
 * insert_into_replica(), resp. delete_from_replica(): ROW joins (as new),
 * resp. leaves, its table's rows. */
void idl_row_note_column_change(struct ovsdb_idl_row *, size_t i);
void idl_row_note_new(struct ovsdb_idl_row *);
void idl_row_insert_into_replica(struct idl_table *, struct ovsdb_idl_row *);
void idl_row_delete_from_replica(struct ovsdb_idl_row *);
/* Ends a batch of changes: bumps the seqno if any of them alerts. */
void idl_finish_change(struct ovsdb_idl *);

/* Installs SCHEMA (taking ownership) as the server's schema, converting
 * the replica to it (rows keep their identity and the values of columns
 * whose name and type did not change). */
void idl_install_schema(struct ovsdb_idl *, struct ovsdb_schema *);
/* Returns the <monitor-requests> object for what is registered (a new
 * reference): the monitored columns of each table the server has, in the
 * "monitor_cond" form if COND, else in the "monitor" form. */
json_t *idl_monitor_requests(const struct ovsdb_idl *, bool cond);

/* ------------------------------------------------------------------ */
/* Updates (ovsdb-idl-update.c).                                       */
/* ------------------------------------------------------------------ */

/* Resynchronizes the replica with SNAPSHOT, the complete contents (reply
 * to a monitor request), in "update2" form if UPDATE2.  Rows that did not
 * change keep their identity. */
void idl_process_snapshot(struct ovsdb_idl *, const json_t *snapshot,
                          bool update2);
/* Applies one table-updates (UPDATE2: table-updates2) object.  Returns
 * false if it was inconsistent with the replica. */
bool idl_process_table_updates(struct ovsdb_idl *, const json_t *updates,
                               bool update2);

/* ------------------------------------------------------------------ */
/* Transactions (ovsdb-idl-txn.c).                                     */
/* ------------------------------------------------------------------ */

/* The connection dropped: an incomplete transaction gets TXN_TRY_AGAIN. */
void idl_txn_disconnected(struct ovsdb_idl *);
/* If MSG is the reply to the open transaction's request, interprets it;
 * otherwise does nothing. */
void idl_txn_handle_reply(struct ovsdb_idl *, const struct jsonrpc_msg *);

#endif /* ovsdb-idl-private.h */
