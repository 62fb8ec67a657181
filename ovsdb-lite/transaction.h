/* ovsdb-lite: OVSDB transactions (RFC 7047 section 4.1.3 "transact" and
 * section 5.2 operations).
 *
 * txn_execute() runs the operations of one "transact" request against a
 * database.  While it runs, each table's 'rows' shows the transaction's
 * view (inserted rows added, deleted rows removed, modified rows replaced
 * by private copies); the committed versions of modified and deleted rows
 * are held by the transaction's txn_rows.  When every operation
 * succeeded, txn_execute() checks the whole transaction (referential
 * integrity, garbage collection of unreferenced non-root rows, maxRows,
 * weak references, index uniqueness) and either fails it (undoing every
 * change) or returns the prepared transaction.
 *
 * The caller then reads the change set (txn_tables / txn_rows below) to
 * write the log record and compose monitor updates, and finally calls
 * txn_commit() to make the changes permanent in memory, or txn_abort() to
 * undo them.  Nothing else may touch the database in between. */
#ifndef OVSDB_LITE_TRANSACTION_H
#define OVSDB_LITE_TRANSACTION_H 1

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include "dynamic-string.h"
#include "hmap.h"
#include "list.h"
#include "ovsdb-uuid.h"

struct db;
struct db_row;
struct db_table;

/* A row that the transaction changed (or whose reference count it
 * changed):
 *
 *   old == NULL, new != NULL    inserted
 *   old != NULL, new == NULL    deleted
 *   old != new, both nonnull    modified ('changed' says which columns)
 *   old == new                  only the reference count changed
 *   both NULL                   inserted then deleted (ignored)
 */
struct txn_row {
    struct hmap_node hmap_node;     /* In txn_table's 'rows', by uuid. */
    struct db_table *table;
    struct uuid uuid;
    struct db_row *old;             /* Committed version. */
    struct db_row *new;             /* Version after the transaction. */
    size_t n_refs;                  /* New reference count (at commit). */
    bool *changed;                  /* Per column index, once prepared. */
};

/* Returns true if TR inserts, deletes or modifies its row. */
static inline bool
txn_row_is_change(const struct txn_row *tr)
{
    return tr->old != tr->new;
}

struct txn_table {
    struct vs_list node;            /* In txn's 'tables'. */
    struct db_table *table;
    struct hmap rows;               /* Contains struct txn_row, by uuid. */
};

struct txn {
    struct db *db;
    struct vs_list tables;          /* Contains struct txn_table. */
    struct ds comment;              /* "comment" operations, joined. */
    size_t n_changes;               /* Rows inserted, deleted, modified. */
};

/* What the session executing a transaction provides. */
struct txn_context {
    /* Returns true if the session owns lock NAME (for "assert"); NULL
     * means it owns no lock. */
    bool (*lock_owned)(const char *name, void *aux);
    void *aux;
    /* Time since the request arrived, for "wait" timeouts. */
    long long int elapsed_msec;
};

/* Executes the "transact" request whose params (database name first) are
 * PARAMS, which must name DB.  Returns one of:
 *
 *   - A prepared transaction (the request succeeded so far), with the
 *     results array (new reference) in *RESULTSP.  The caller must
 *     txn_commit() or txn_abort() it.  It may have no changes at all.
 *
 *   - NULL with the results array in *RESULTSP: the request failed (one
 *     operation's error, or the commit error as an extra element) and
 *     changed nothing.
 *
 *   - NULL with *RESULTSP NULL: a "wait" operation is not satisfied yet
 *     and has not timed out.  *TIMEOUT_MSECP is the smallest "timeout"
 *     of the unsatisfied waits (LLONG_MAX if none): re-execute the request
 *     when the database changes or, at the latest, when CTX->elapsed_msec
 *     reaches it. */
struct txn *txn_execute(struct db *, const json_t *params,
                        const struct txn_context *, json_t **resultsp,
                        long long int *timeout_msecp);

/* Makes a prepared transaction's changes permanent and frees it. */
void txn_commit(struct txn *);
/* Undoes a transaction's changes and frees it (NULL is a no-op). */
void txn_abort(struct txn *);

/* Returns the transaction record for the log (see database.h), or NULL if
 * TXN changes nothing that is written on disk (new reference). */
json_t *txn_to_record_json(const struct txn *, long long int date_msec);

#endif /* ovsdb-lite/transaction.h */
