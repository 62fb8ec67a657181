/* ovsdb-idl: a generic client-side replica ("IDL") of an OVSDB database,
 * with transactions.  Shared by vswitchd and vsctl.
 *
 * Connection.  The IDL keeps a jsonrpc_session to REMOTE (one remote or a
 * comma-separated list, tried in turn; reconnect FSM with backoff).  On
 * every (re)connection it fetches the schema ("get_schema"), sends one
 * monitor request for the registered tables and columns ("monitor_cond"
 * with "update2" notifications, falling back to "monitor"/"update" when
 * the server replies "unknown method"), and replaces its replica with the
 * server's initial contents.  The replica therefore survives server
 * restarts: after a reconnection it is brought back in line by diffing the
 * new initial contents against what it had, so rows that did not change
 * keep their identity (same struct ovsdb_idl_row pointer), rows that
 * vanished are deleted and new ones inserted, and only real differences
 * bump the seqno and show up in change tracking.
 *
 * Schema tolerance.  Registrations are by name.  A registered table or
 * column that the server's schema lacks is simply absent (accessors return
 * an empty datum, ovsdb_idl_has_column() says false); the server's extra
 * tables and columns are ignored unless registered.  So the same client
 * works against our vswitch.ovsschema and Open vSwitch's full one.
 *
 * Replica.  Rows are indexed by uuid per table; each row holds one datum
 * per column of the server's table schema (unregistered columns stay
 * empty).  Values are read generically by column name.
 *
 * Memory and lifetimes:
 *   - A row pointer stays valid while the row exists.  Rows deleted by
 *     one ovsdb_idl_run() are freed at the start of the next one, so a
 *     pointer obtained between two runs is good until the second run.
 *     Extensions: a row reported by change tracking stays valid (with its
 *     last contents) until ovsdb_idl_track_clear(), and a row touched by
 *     an open transaction lives until the transaction is destroyed.
 *   - Data returned by accessors belong to the IDL (do not modify or
 *     free) and are valid as long as the row, and only until the row's
 *     column is written again in a transaction.
 *
 * Transactions.  At most one transaction per IDL is open at a time.
 * While it is open, reads see the transaction's own changes: written
 * columns show the written value, rows inserted by it appear in
 * iteration and lookups, rows deleted by it disappear.  Commit is
 * non-blocking (ovsdb_idl_txn_commit(), call again after ovsdb_idl_wait()
 * / ovsdb_idl_txn_wait() until it returns something other than
 * TXN_INCOMPLETE) or blocking (ovsdb_idl_txn_commit_block(), for
 * utilities).  Optimistic concurrency as in Open vSwitch: a caller that
 * derives a write from what it read calls ovsdb_idl_txn_verify() on what
 * it read; if another client changed it first, the commit returns
 * TXN_TRY_AGAIN, and the caller waits for the replica to change
 * (ovsdb_idl_get_seqno()), recomputes and retries.
 *
 * Everything is single-threaded and non-blocking unless the name says
 * _block. */
#ifndef OVSDB_IDL_H
#define OVSDB_IDL_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "compiler.h"
#include "ovsdb-data.h"
#include "ovsdb-uuid.h"

struct ovsdb_schema;
struct ovsdb_table_schema;
struct ovsdb_idl;
struct ovsdb_idl_row;
struct ovsdb_idl_txn;

/* ------------------------------------------------------------------ */
/* Connection and life cycle.                                          */
/* ------------------------------------------------------------------ */

/* Creates an IDL for database DB_NAME (e.g. "Open_vSwitch") at REMOTE
 * (see jsonrpc_session_open(): "unix:PATH", "tcp:IP:PORT", "ssl:...", or a
 * comma-separated list).  If RETRY is false, the IDL gives up after one
 * try at each remote or when the connection drops (then
 * ovsdb_idl_is_alive() returns false; utilities use that to report "database
 * connection failed"); if true it reconnects forever (daemons).  Nothing
 * happens until ovsdb_idl_run().  Never returns NULL. */
struct ovsdb_idl *ovsdb_idl_create(const char *remote, const char *db_name,
                                   bool retry);
/* Destroys IDL, its replica, its open transaction (as by
 * ovsdb_idl_txn_destroy()) and its connection.  NULL is a no-op. */
void ovsdb_idl_destroy(struct ovsdb_idl *);

/* Registration: what to replicate.  Call these before the first
 * ovsdb_idl_run(); later calls take effect at the next (re)connection.
 *
 * add_table(): replicate TABLE's rows; with no column registered for it
 *   either, nothing of TABLE is monitored (register at least one column).
 * add_column(): replicate COLUMN of TABLE (implies add_table()).
 * add_all_columns(): every column of TABLE that the server has.
 * add_all(): every table and column the server has (vsctl uses this).
 * omit_alert(): COLUMN (registered as well) is replicated, but changes to
 *   it alone neither change the seqno nor mark rows in change tracking.
 *   Meant for status columns the client writes itself (vswitchd's
 *   Interface statistics), so that its own writes do not wake it up.
 *
 * Names the server lacks are tolerated (see the top of this file). */
void ovsdb_idl_add_table(struct ovsdb_idl *, const char *table);
void ovsdb_idl_add_column(struct ovsdb_idl *, const char *table,
                          const char *column);
void ovsdb_idl_add_all_columns(struct ovsdb_idl *, const char *table);
void ovsdb_idl_add_all(struct ovsdb_idl *);
void ovsdb_idl_omit_alert(struct ovsdb_idl *, const char *table,
                          const char *column);

/* Does the IDL's work: connects and reconnects, fetches the schema,
 * (re)monitors, applies updates to the replica, handles lock
 * notifications and transaction replies.  Frees rows deleted since the
 * previous call (see "Memory and lifetimes").  Never blocks. */
void ovsdb_idl_run(struct ovsdb_idl *);
/* Registers with the reactor what would make ovsdb_idl_run() useful. */
void ovsdb_idl_wait(struct ovsdb_idl *);

/* Returns a number that changes whenever the replica's contents change
 * (other than through omit_alert() columns), including when a
 * reconnection brought differences, and when the lock status changes.
 * Callers compare it with the value they last acted on. */
unsigned int ovsdb_idl_get_seqno(const struct ovsdb_idl *);
/* Changes every time a complete replica has been (re)received from the
 * server, i.e. once per successful (re)connection.  A client that keeps
 * ephemeral state in the database (which a server restart erases) can
 * compare it to know that it should rewrite that state. */
unsigned int ovsdb_idl_get_resync_seqno(const struct ovsdb_idl *);

/* True if connected and the replica is complete and current (the monitor
 * request was answered on this connection). */
bool ovsdb_idl_is_connected(const struct ovsdb_idl *);
/* True once the replica has been complete at least once; from then on its
 * contents are meaningful (perhaps stale while disconnected). */
bool ovsdb_idl_has_ever_connected(const struct ovsdb_idl *);
/* False once a non-retrying IDL gave up (see ovsdb_idl_create()) or hit a
 * fatal protocol error (for example the database does not exist on the
 * server); otherwise true. */
bool ovsdb_idl_is_alive(const struct ovsdb_idl *);
/* The error (positive errno, or EOF) that ended the last connection or
 * connection attempt, 0 if none.  For messages. */
int ovsdb_idl_get_last_error(const struct ovsdb_idl *);
/* If the IDL failed for a reason other than the connection (bad schema,
 * unknown database, monitor request refused), a message for people,
 * else NULL.  Owned by the IDL. */
const char *ovsdb_idl_get_error_message(const struct ovsdb_idl *);
/* The name of the remote in use. */
const char *ovsdb_idl_get_remote(const struct ovsdb_idl *);
/* Drops the connection and reconnects (resynchronizing the replica). */
void ovsdb_idl_force_reconnect(struct ovsdb_idl *);
/* See jsonrpc_session_set_probe_interval(). */
void ovsdb_idl_set_probe_interval(struct ovsdb_idl *, int probe_interval);

/* ------------------------------------------------------------------ */
/* Locks (RFC 7047 "lock"): only the holder should write, e.g. status.  */
/* ------------------------------------------------------------------ */

/* Asks the server for lock NAME (NULL to give up any lock), now and after
 * every reconnection.  While a lock is set, every transaction asserts it
 * and fails with TXN_NOT_LOCKED if the IDL does not hold it. */
void ovsdb_idl_set_lock(struct ovsdb_idl *, const char *lock_name);
/* True if the server granted the lock (and did not take it back). */
bool ovsdb_idl_has_lock(const struct ovsdb_idl *);
/* True if the lock is wanted but someone else holds it. */
bool ovsdb_idl_is_lock_contended(const struct ovsdb_idl *);

/* ------------------------------------------------------------------ */
/* Schema.                                                             */
/* ------------------------------------------------------------------ */

/* The server's schema as last fetched, or NULL before the first one.
 * Owned by the IDL; valid until the next ovsdb_idl_run(). */
const struct ovsdb_schema *ovsdb_idl_get_schema(const struct ovsdb_idl *);
/* TABLE's schema on the server, or NULL (unknown table or no schema
 * yet).  Same lifetime as above. */
const struct ovsdb_table_schema *ovsdb_idl_get_table_schema(
    const struct ovsdb_idl *, const char *table);
/* True if the server's schema has TABLE (resp. COLUMN in TABLE) and it is
 * registered, i.e. replicated. */
bool ovsdb_idl_has_table(const struct ovsdb_idl *, const char *table);
bool ovsdb_idl_has_column(const struct ovsdb_idl *, const char *table,
                          const char *column);

/* ------------------------------------------------------------------ */
/* Reading the replica.                                                */
/* ------------------------------------------------------------------ */

/* Returns the row of TABLE with UUID, or NULL.  Sees the open
 * transaction's inserts and deletes. */
const struct ovsdb_idl_row *ovsdb_idl_get_row(const struct ovsdb_idl *,
                                              const char *table,
                                              const struct uuid *);
/* Iteration over TABLE's rows, in no particular order (hash order).  The
 * open transaction's inserted rows are included, its deleted rows are
 * skipped.  Don't run the IDL or commit during an iteration. */
const struct ovsdb_idl_row *ovsdb_idl_first_row(const struct ovsdb_idl *,
                                                const char *table);
const struct ovsdb_idl_row *ovsdb_idl_next_row(const struct ovsdb_idl_row *);
size_t ovsdb_idl_count_rows(const struct ovsdb_idl *, const char *table);
/* Returns a row of TABLE whose string COLUMN (see
 * ovsdb_idl_row_get_string()) is VALUE, or NULL.  Scans the table: the
 * first match in iteration order. */
const struct ovsdb_idl_row *ovsdb_idl_find_row_by_string(
    const struct ovsdb_idl *, const char *table, const char *column,
    const char *value);

#define OVSDB_IDL_FOR_EACH(ROW, TABLE, IDL)                 \
    for ((ROW) = ovsdb_idl_first_row(IDL, TABLE); (ROW);    \
         (ROW) = ovsdb_idl_next_row(ROW))

const struct uuid *ovsdb_idl_row_get_uuid(const struct ovsdb_idl_row *);
const char *ovsdb_idl_row_get_table_name(const struct ovsdb_idl_row *);
const struct ovsdb_table_schema *ovsdb_idl_row_get_table_schema(
    const struct ovsdb_idl_row *);
struct ovsdb_idl *ovsdb_idl_row_get_idl(const struct ovsdb_idl_row *);

/* Returns the value of COLUMN in ROW (as the open transaction sees it),
 * never NULL: an unknown or unreplicated column yields an empty datum.
 * If TYPEP is nonnull, stores the column's type there, or NULL if the
 * server has no such column. */
const struct ovsdb_datum *ovsdb_idl_row_get(const struct ovsdb_idl_row *,
                                            const char *column,
                                            const struct ovsdb_type **typep);

/* Typed conveniences on top of ovsdb_idl_row_get(); each returns the
 * fallback when the column is missing, empty or of another type:
 *   get_string(): the (first) string value, or NULL;
 *   get_integer(), get_boolean(): the (first) value, or DFLT;
 *   get_map_string(): for a string-to-string map, the value of KEY, or
 *     NULL;
 *   get_ref(): for a uuid column with a refTable, the replicated row that
 *     its element IDX references, or NULL (dangling, out of range, or that
 *     table is not replicated). */
const char *ovsdb_idl_row_get_string(const struct ovsdb_idl_row *,
                                     const char *column);
int64_t ovsdb_idl_row_get_integer(const struct ovsdb_idl_row *,
                                  const char *column, int64_t dflt);
bool ovsdb_idl_row_get_boolean(const struct ovsdb_idl_row *,
                               const char *column, bool dflt);
const char *ovsdb_idl_row_get_map_string(const struct ovsdb_idl_row *,
                                         const char *column,
                                         const char *key);
const struct ovsdb_idl_row *ovsdb_idl_row_get_ref(
    const struct ovsdb_idl_row *, const char *column, unsigned int idx);

/* The value of the IDL's seqno when ROW was last inserted or changed
 * (omit_alert() columns excepted).  A reconciler can remember the seqno
 * it last reconciled at and skip rows that did not change since. */
unsigned int ovsdb_idl_row_get_seqno(const struct ovsdb_idl_row *);

/* ------------------------------------------------------------------ */
/* Change tracking (for reconcilers).                                  */
/* ------------------------------------------------------------------ */

/* Once enabled, the IDL remembers every row inserted, modified or
 * deleted (by the server, as seen through monitor updates and
 * resynchronizations; omit_alert() columns excepted) since the last
 * ovsdb_idl_track_clear().  Deleted rows stay readable with their last
 * contents until then. */
void ovsdb_idl_track_enable(struct ovsdb_idl *);
/* Iterates TABLE's tracked rows (inserted, modified or deleted). */
const struct ovsdb_idl_row *ovsdb_idl_track_first(const struct ovsdb_idl *,
                                                  const char *table);
const struct ovsdb_idl_row *ovsdb_idl_track_next(
    const struct ovsdb_idl_row *);
#define OVSDB_IDL_FOR_EACH_TRACKED(ROW, TABLE, IDL)         \
    for ((ROW) = ovsdb_idl_track_first(IDL, TABLE); (ROW);  \
         (ROW) = ovsdb_idl_track_next(ROW))
/* ROW was inserted since the last clear (and still exists). */
bool ovsdb_idl_row_is_new(const struct ovsdb_idl_row *);
/* ROW was deleted since the last clear (it is only reachable through
 * tracking now). */
bool ovsdb_idl_row_is_deleted(const struct ovsdb_idl_row *);
/* COLUMN of ROW changed since the last clear (true for every column of a
 * new row). */
bool ovsdb_idl_row_is_updated(const struct ovsdb_idl_row *,
                              const char *column);
/* Forgets tracked changes and frees tracked deleted rows. */
void ovsdb_idl_track_clear(struct ovsdb_idl *);

/* ------------------------------------------------------------------ */
/* Transactions.                                                       */
/* ------------------------------------------------------------------ */

enum ovsdb_idl_txn_status {
    TXN_UNCOMMITTED,    /* Not yet committed. */
    TXN_UNCHANGED,      /* Nothing to do: committed without a request. */
    TXN_INCOMPLETE,     /* Sent; waiting for the reply. */
    TXN_ABORTED,        /* ovsdb_idl_txn_abort() was called. */
    TXN_SUCCESS,        /* Committed. */
    TXN_TRY_AGAIN,      /* A verify failed, a row written vanished, or
                         * the connection dropped (not connected at
                         * commit, or before the reply: the outcome is
                         * unknown).  Wait for the seqno to change, then
                         * recompute and retry. */
    TXN_NOT_LOCKED,     /* A lock is set but not held. */
    TXN_ERROR           /* The server rejected it (see get_error()). */
};

/* "unchanged", "incomplete", "success", "try again", ... */
const char *ovsdb_idl_txn_status_to_string(enum ovsdb_idl_txn_status);

/* Opens a transaction on IDL, which must not have one open. */
struct ovsdb_idl_txn *ovsdb_idl_txn_create(struct ovsdb_idl *);
/* The open transaction of IDL, or NULL. */
struct ovsdb_idl_txn *ovsdb_idl_get_txn(const struct ovsdb_idl *);
/* Appends a "comment" operation (shown in the server's log).  Comments
 * alone do not make a transaction "changed". */
void ovsdb_idl_txn_add_comment(struct ovsdb_idl_txn *, const char *, ...)
    VS_PRINTF_FORMAT(2, 3);

/* Inserts a new row into TABLE and returns it.  Every column starts at
 * its type's default.  If UUID is nonnull it is used as the row's
 * temporary uuid, else a random one is chosen; either way the server
 * assigns the final uuid (ovsdb_idl_txn_get_insert_uuid()).  Writing the
 * temporary uuid into a reference column of this transaction refers to the
 * new row (it is sent as a "named-uuid").  Returns NULL (and the commit
 * will fail with TXN_ERROR) if the server has no TABLE. */
const struct ovsdb_idl_row *ovsdb_idl_txn_insert(struct ovsdb_idl_txn *,
                                                 const char *table,
                                                 const struct uuid *);
/* Deletes ROW (a no-op for a row already deleted by this transaction; a
 * row inserted by this transaction is simply dropped). */
void ovsdb_idl_txn_delete(struct ovsdb_idl_txn *,
                          const struct ovsdb_idl_row *);
/* Sets COLUMN of ROW to DATUM, taking ownership of DATUM's contents
 * (DATUM itself is left empty).  DATUM must be a valid datum of the
 * column's type; if it is not (or the column is unknown or immutable on
 * an existing row), the write is dropped and the commit fails with
 * TXN_ERROR and a message.  At commit, a write that leaves a replicated
 * column unchanged is omitted. */
void ovsdb_idl_txn_write(struct ovsdb_idl_txn *,
                         const struct ovsdb_idl_row *, const char *column,
                         struct ovsdb_datum *);
/* Like ovsdb_idl_txn_write() with a copy of DATUM. */
void ovsdb_idl_txn_write_clone(struct ovsdb_idl_txn *,
                               const struct ovsdb_idl_row *,
                               const char *column,
                               const struct ovsdb_datum *);
/* Conveniences: write a one-element value, or (optional scalars, sets,
 * maps) the empty value for clear(). */
void ovsdb_idl_txn_write_string(struct ovsdb_idl_txn *,
                                const struct ovsdb_idl_row *,
                                const char *column, const char *);
void ovsdb_idl_txn_write_integer(struct ovsdb_idl_txn *,
                                 const struct ovsdb_idl_row *,
                                 const char *column, int64_t);
void ovsdb_idl_txn_write_boolean(struct ovsdb_idl_txn *,
                                 const struct ovsdb_idl_row *,
                                 const char *column, bool);
void ovsdb_idl_txn_write_uuid(struct ovsdb_idl_txn *,
                              const struct ovsdb_idl_row *,
                              const char *column, const struct uuid *);
void ovsdb_idl_txn_clear(struct ovsdb_idl_txn *,
                         const struct ovsdb_idl_row *, const char *column);
/* Sets the string-to-string map COLUMN of ROW to the N pairs in KV (KV[2i]
 * the key, KV[2i+1] its value; copied, keys in any order, each at most
 * once).  Returns false, writing nothing, if the server has no such
 * column. */
bool ovsdb_idl_txn_write_smap(struct ovsdb_idl_txn *,
                              const struct ovsdb_idl_row *,
                              const char *column, const char *const *kv,
                              size_t n);

/* Makes the commit fail with TXN_TRY_AGAIN unless COLUMN of ROW still has,
 * on the server, the value the replica has now (sent as a "wait"
 * operation with timeout 0).  Also fails if ROW was deleted meanwhile.
 * No-op for rows inserted by this transaction and for columns that are
 * not replicated.  Verification alone does not make a transaction
 * "changed". */
void ovsdb_idl_txn_verify(struct ovsdb_idl_txn *,
                          const struct ovsdb_idl_row *, const char *column);

/* Server-side mutation of COLUMN of ROW (RFC 7047 "mutate"), for updates
 * that must not race, e.g. inserting into a set without a verify.
 * MUTATOR is "+=", "-=", "*=", "/=", "%=", "insert" or "delete".  ARG is
 * a datum of the column's type (for arithmetic, one element; for
 * insert/delete, a set or map, size bounds not applied); ownership of its
 * contents is taken.  The replica view does not show the result (it
 * arrives with the monitor update). */
void ovsdb_idl_txn_mutate(struct ovsdb_idl_txn *,
                          const struct ovsdb_idl_row *, const char *column,
                          const char *mutator, struct ovsdb_datum *arg);
/* Increments integer COLUMN of ROW on the server and reads the new value
 * back in the same transaction (ovsdb_idl_txn_get_increment_new_value()).
 * At most one increment per transaction.  Used for next_cfg. */
void ovsdb_idl_txn_increment(struct ovsdb_idl_txn *,
                             const struct ovsdb_idl_row *,
                             const char *column);
/* Like ovsdb_idl_txn_increment(), but the increment is dropped (and does
 * not count as a change) if the transaction changes nothing else: what
 * "vsctl --wait" needs, so that a read-only invocation neither bumps
 * next_cfg nor waits. */
void ovsdb_idl_txn_increment_if_changed(struct ovsdb_idl_txn *,
                                        const struct ovsdb_idl_row *,
                                        const char *column);
/* True if the transaction's increment was sent (after TXN_SUCCESS). */
bool ovsdb_idl_txn_has_increment(const struct ovsdb_idl_txn *);

/* Commits.  The first call sends the transaction (or decides it is
 * TXN_UNCHANGED, TXN_TRY_AGAIN if not connected, TXN_ERROR if a write was
 * invalid); while the reply is outstanding it returns TXN_INCOMPLETE (the
 * caller runs ovsdb_idl_run() and calls it again after ovsdb_idl_wait());
 * afterwards it keeps returning the final status.  Never blocks.
 *
 * The replica changes only through the server's monitor updates.  A server
 * that sends the update for a transaction before its reply (ovsdb-server
 * does, ovsdb-lite too) has the replica current when TXN_SUCCESS is
 * returned. */
enum ovsdb_idl_txn_status ovsdb_idl_txn_commit(struct ovsdb_idl_txn *);
/* Runs ovsdb_idl_run() and the reactor until the commit has a final
 * status (which it returns). */
enum ovsdb_idl_txn_status ovsdb_idl_txn_commit_block(struct ovsdb_idl_txn *);
/* Wakes the reactor when the commit status may have changed. */
void ovsdb_idl_txn_wait(const struct ovsdb_idl_txn *);
/* The current status (TXN_UNCOMMITTED before the first commit). */
enum ovsdb_idl_txn_status ovsdb_idl_txn_get_status(
    const struct ovsdb_idl_txn *);
/* Abandons an uncommitted or incomplete transaction: the status becomes
 * TXN_ABORTED (a reply that arrives later is ignored; the server may still
 * have committed an incomplete one). */
void ovsdb_idl_txn_abort(struct ovsdb_idl_txn *);
/* For TXN_ERROR (and TXN_TRY_AGAIN, TXN_NOT_LOCKED): a message for people,
 * e.g. "constraint violation: ..." or "verify failed".  NULL otherwise.
 * Owned by TXN. */
const char *ovsdb_idl_txn_get_error(const struct ovsdb_idl_txn *);
/* After TXN_SUCCESS: the new value of the incremented column. */
int64_t ovsdb_idl_txn_get_increment_new_value(const struct ovsdb_idl_txn *);
/* After TXN_SUCCESS: the final uuid of the row that was inserted with
 * temporary uuid TEMP (the row's uuid before commit), or NULL. */
const struct uuid *ovsdb_idl_txn_get_insert_uuid(const struct ovsdb_idl_txn *,
                                                 const struct uuid *temp);
/* Destroys TXN (aborting it if still incomplete), dropping its view of
 * the replica.  NULL is a no-op.  The replica itself changes only through
 * the server's monitor updates. */
void ovsdb_idl_txn_destroy(struct ovsdb_idl_txn *);
/* The IDL of TXN. */
struct ovsdb_idl *ovsdb_idl_txn_get_idl(const struct ovsdb_idl_txn *);

#endif /* ovsdb-idl.h */
