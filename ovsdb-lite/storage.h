/* ovsdb-lite: a database on disk, through the durable log (log.h).
 *
 * The file is a log whose first record is a snapshot (the schema and every
 * row) and whose following records are transactions (formats in
 * database.h).  Opening replays it; every committed transaction appends a
 * record, which is durable once storage_durable_seqno() reaches the seqno
 * that storage_write() returned; compaction replaces the file atomically
 * with a single snapshot record. */
#ifndef OVSDB_LITE_STORAGE_H
#define OVSDB_LITE_STORAGE_H 1

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct db;
struct ovsdb_schema;
struct storage;

/* Creates FILE_NAME (which must not exist) holding an empty database with
 * SCHEMA, durably.  Returns 0 or an errno with a message in *ERRORP
 * (caller frees). */
int storage_create(const char *file_name, const struct ovsdb_schema *,
                   char **errorp);

/* Like storage_create(), but FILE_NAME gets a snapshot of DB. */
int storage_create_from_db(const char *file_name, const struct db *,
                           char **errorp);

/* Opens and locks FILE_NAME, replays it and returns the database in *DBP
 * and the storage in *STORAGEP.  A torn tail is truncated (logged); a
 * corrupt middle, a bad record or a database that breaks its schema fails.
 * Returns 0 or an errno with a message in *ERRORP (caller frees).
 * Blocks. */
int storage_open(const char *file_name, struct db **dbp,
                 struct storage **storagep, char **errorp);

/* Reads FILE_NAME without locking or modifying it and returns its
 * database in *DBP (for tools).  *N_RECORDSP, if nonnull, receives the
 * number of records. */
int storage_read(const char *file_name, struct db **dbp,
                 uint64_t *n_recordsp, char **errorp);

/* Flushes, syncs and closes (NULL is a no-op).  Blocks. */
void storage_close(struct storage *);

const char *storage_get_name(const struct storage *);

/* Queues the transaction record RECORD; stores its seqno in *SEQNOP.
 * Returns 0 or the log's error (message in *ERRORP). */
int storage_write(struct storage *, const json_t *record, uint64_t *seqnop,
                  char **errorp);
/* Seqno of the last record written (0 if none). */
uint64_t storage_written_seqno(const struct storage *);
/* Every record with a seqno up to this one is on disk. */
uint64_t storage_durable_seqno(const struct storage *);

void storage_run(struct storage *);
void storage_wait(struct storage *);
/* The log's sticky I/O error, 0 if none, with a message in *MSGP. */
int storage_get_error(const struct storage *, const char **msgp);

/* Compaction.  The log is compacted automatically (storage_run() returns
 * true from storage_should_compact()) when what it appended since the
 * last snapshot exceeds both FACTOR times the snapshot's size and
 * MIN_BYTES.  Defaults: 4 and 10 MiB. */
void storage_set_compaction_policy(struct storage *, unsigned int factor,
                                   off_t min_bytes);
bool storage_should_compact(const struct storage *);
/* Starts replacing the file with a snapshot of DB (non-blocking: the log's
 * sync thread writes and renames it).  Returns 0, EBUSY if a compaction is
 * still running, or another error with a message in *ERRORP. */
int storage_compact(struct storage *, const struct db *, char **errorp);
/* Waits until everything written is durable and any compaction has
 * finished.  Returns 0 or the log's error.  Blocks (for tools). */
int storage_commit_block(struct storage *, char **errorp);
bool storage_compaction_in_progress(const struct storage *);

/* Statistics for "memory/show" and tests. */
struct storage_stats {
    off_t file_size;            /* Logical size including queued data. */
    off_t snapshot_size;
    uint64_t n_records_since_snapshot;
    uint64_t n_writes, n_syncs, n_compactions, n_failed_compactions;
};
void storage_get_stats(const struct storage *, struct storage_stats *);

#endif /* ovsdb-lite/storage.h */
