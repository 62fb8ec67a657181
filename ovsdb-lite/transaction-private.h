/* ovsdb-lite: what the parts of the transaction executor share.  Only
 * the transaction-*.c files include this; everyone else uses
 * transaction.h.
 *
 * The executor has four parts, in the order a request meets them:
 *
 *   transaction-execute.c  the "transact" request: checks its params,
 *                          runs each operation in turn through the
 *                          operation table, assembles the results array
 *                          and, when every operation succeeded, has the
 *                          transaction checked (txn_prepare()).
 *   transaction-ops.c      the operations of RFC 7047 section 5.2
 *                          ("insert" ... "assert"), each changing the
 *                          transaction's view through the change set.
 *   transaction-check.c    the checks of the whole transaction before it
 *                          may commit: references (transaction-refs.c),
 *                          maxRows, index uniqueness; then works out what
 *                          really changed.
 *   transaction.c          the change set (struct txn, struct txn_row:
 *                          copy on first write, delete, undo) and what
 *                          the caller does with a prepared transaction:
 *                          commit, abort, the log record. */
#ifndef OVSDB_LITE_TRANSACTION_PRIVATE_H
#define OVSDB_LITE_TRANSACTION_PRIVATE_H 1

#include "transaction.h"

struct ovsdb_error;
struct ovsdb_parser;
struct ovsdb_symbol_table;

/* The change set (transaction.c).
 *
 * While a transaction runs, a table's 'rows' is the transaction's view;
 * each row the transaction touched has a txn_row in its table's
 * txn_table, reachable from the row as 'txn_row'. */

/* Returns a new, empty transaction on DB. */
struct txn *txn_create(struct db *);
/* Returns the txn_row of the row UUID of TABLE, or NULL if the
 * transaction has not touched it. */
struct txn_row *txn_find_row(const struct db_table *, const struct uuid *);
/* Records that the transaction tracks row UUID of TABLE, with committed
 * version OLD (NULL: inserted) and current version NEW (NULL: deleted;
 * OLD == NEW: only its reference count may change).  The rows must not
 * be tracked yet.  Returns the new txn_row. */
struct txn_row *txn_add_row(struct txn *, struct db_table *,
                            const struct uuid *, struct db_row *old,
                            struct db_row *new);
/* Returns a writable version of ROW, which must be in TABLE's current
 * view, copying it (with a new "_version") on first write. */
struct db_row *txn_row_modify(struct txn *, struct db_table *,
                              struct db_row *);
/* Deletes ROW, which must be in TABLE's current view. */
void txn_row_delete(struct txn *, struct db_table *, struct db_row *);
/* Undoes TR's change in TABLE's view: afterwards TR->new == TR->old, and
 * the committed row (if any) no longer points to TR. */
void txn_row_undo(struct txn_row *);
/* Frees TR, which must no longer be in its txn_table. */
void txn_row_free(struct txn_row *);
/* Returns every txn_row of TXN, in an array of *N elements that the
 * caller frees.  A snapshot: rows tracked later are not in it. */
struct txn_row **txn_collect_rows(const struct txn *, size_t *n);

/* Operations (transaction-ops.c). */

/* Execution state of one "transact" request. */
struct exec {
    struct txn *txn;
    struct ovsdb_symbol_table *symtab;  /* "uuid-name"s. */
    const struct txn_context *ctx;
    long long int timeout_msec;     /* Smallest unsatisfied wait timeout. */
    bool blocked;                   /* An unsatisfied "wait" stopped us. */
};

/* Runs one operation whose members PARSER reads, filling the operation's
 * result object RESULT.  Returns NULL or an error; an error raised on
 * PARSER counts too (ovsdb_parser_finish()). */
typedef struct ovsdb_error *txn_op_func(struct exec *, struct ovsdb_parser *,
                                        json_t *result);

/* Returns the operation called NAME ("insert", "select", ...), or NULL if
 * there is none. */
txn_op_func *txn_op_lookup(const char *name);

/* Checks before commit (transaction-check.c, transaction-refs.c). */

/* Checks the whole of TXN once every operation succeeded, completing the
 * change set (reference counts, garbage collection, weak references
 * removed) and working out which columns changed ('changed',
 * 'n_changes').  Returns NULL, or the error that must fail TXN. */
struct ovsdb_error *txn_prepare(struct txn *);

/* Counts the strong references TXN adds and removes, deletes the non-root
 * rows left without references (in turn), and fails the transaction if a
 * reference points to a missing row or a deleted row is still
 * referenced. */
struct ovsdb_error *txn_check_references(struct txn *);
/* Removes the weak references that point to missing or deleted rows (RFC
 * 7047 section 3.2), failing the transaction if a column ends up with too
 * few elements. */
struct ovsdb_error *txn_check_weak_refs(struct txn *);

#endif /* ovsdb-lite/transaction-private.h */
