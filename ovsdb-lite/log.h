/* ovsdb-lite durable storage: an append-only log of JSON records.
 *
 * This module knows nothing about OVSDB: it stores JSON values (jansson
 * json_t) as integrity-checked records in one file per database, makes
 * them durable with group commit, and replaces the file atomically for
 * compaction.  Documentation/ovsdb-lite-log.md describes the format and
 * the crash-safety argument in more detail.
 *
 * File format
 * -----------
 *
 *   file   = magic record*
 *   magic  = "VSDB-LOG 1\n"
 *   record = "VSR " LEN " " CRC "\n" PAYLOAD "\n"
 *
 * LEN is the length of PAYLOAD in bytes, in decimal without leading zeros
 * (1 to OVSDB_LOG_MAX_RECORD).  CRC is the CRC-32C (Castagnoli) of PAYLOAD,
 * as exactly 8 lowercase hex digits.  PAYLOAD is one compact JSON value
 * (never containing a raw new-line).  So a log is readable with `less`.
 *
 * Reading and repair
 * ------------------
 *
 * Records are read in order.  At the first record that is incomplete or
 * fails its check (bad header, length past the end of the file, CRC
 * mismatch, missing final new-line, unparsable JSON) at offset X, the rest
 * of the file is searched for any valid record:
 *
 *   - none: the damage is a torn or corrupt TAIL (a crash during an append
 *     that was never acknowledged).  ovsdb_log_read() logs a warning
 *     "PATH: N bytes of torn or corrupt data at offset X, truncating" and
 *     reports EOF; in a writable log, the file is truncated back to X by
 *     ovsdb_log_truncate_tail() or implicitly by the first write.
 *
 *   - some: the corruption is in the MIDDLE.  Truncating would silently
 *     drop acknowledged data, so ovsdb_log_read() fails with EBADMSG and
 *     "PATH: corrupt record at offset X followed by valid data; refusing
 *     to open (run ovsdb-lite-tool check)", and the log accepts no writes.
 *
 * Durability and group commit
 * ---------------------------
 *
 * ovsdb_log_write() only serializes the record into memory and returns
 * its sequence number (1, 2, 3, ... over the life of the object; the
 * first write after open returns 1).  A background sync thread, started
 * at the first write or replacement, appends queued records with write()
 * and then calls fdatasync(); one fdatasync covers every record queued
 * before it started, so concurrent clients share syncs.  When a sync
 * completes the thread wakes the main loop through an eventfd registered
 * by ovsdb_log_wait(); ovsdb_log_run() then updates
 * ovsdb_log_durable_seqno().  A record with seqno S is on disk once
 * ovsdb_log_durable_seqno() >= S: send the reply for a transaction only
 * then.  The main thread never blocks on write() or fdatasync() except in
 * functions named _block, ovsdb_log_open/read/truncate_tail (start-up)
 * and ovsdb_log_close().
 *
 * Typical server loop:
 *
 *     for (;;) {
 *         ...process requests: for each commit,
 *            ovsdb_log_write(log, txn_json, &seqno, &error);
 *            and park the reply with its seqno...
 *         ovsdb_log_run(log);
 *         ...send parked replies with seqno <= ovsdb_log_durable_seqno(log);
 *            if ovsdb_log_get_error(log) != 0, fail them and stop...
 *         ovsdb_log_wait(log);      (also starts a sync of this
 *                                    iteration's writes: one fdatasync
 *                                    per loop iteration at most)
 *         poll_block();
 *     }
 *
 * An I/O error in the sync thread (write or fdatasync failure) is sticky:
 * after a failed fsync nothing is known about what reached the disk, so
 * the durable seqno stops advancing, every later write fails with the
 * same error, and the server should report it and exit.
 *
 * Replacement (compaction)
 * ------------------------
 *
 * ovsdb_log_replace_start() creates PATH.tmp and returns a second log
 * object that only accepts writes (buffered in memory).  The caller
 * writes a snapshot there, then ovsdb_log_replace_commit() hands it to
 * the sync thread, which writes and fdatasyncs PATH.tmp, rename()s it over
 * PATH, fsyncs the directory, and from then on appends to the new file.
 * Records written to LOG after replace_commit() go to the new file, after
 * the snapshot.  Records written before replace_commit() are assumed to
 * be covered by the snapshot: they become durable when the rename is
 * durable.  A crash at any point leaves PATH either entirely old or
 * entirely new (PATH.tmp is removed at the next writable open).  If the
 * replacement fails, it is logged, PATH.tmp is removed, the log keeps
 * appending to the old file, and the records queued before the commit are
 * written to the old file instead, so nothing is lost.
 *
 * Locking
 * -------
 *
 * With LOCK, ovsdb_log_open() takes an exclusive open-file-description
 * lock (F_OFD_SETLK) on DIR/.BASE.~lock~, held until ovsdb_log_close().
 * It conflicts with every other opener with LOCK, in this process or
 * another, and it survives fork() (the child shares the lock).
 *
 * Errors
 * ------
 *
 * Functions that can fail return 0 or a positive errno value and, if
 * ERRORP is nonnull, store in *ERRORP a message for people that starts
 * with the file name (caller frees; NULL on success).  EOF (from
 * <stdio.h>, negative) means end of log for ovsdb_log_read().  EBADMSG
 * means corrupt data, EBUSY a held lock.
 *
 * Threads: all functions must be called from one thread (the main loop);
 * the sync thread is internal.  Do not fork() once the sync thread has
 * started (after the first write); daemonize before writing. */
#ifndef OVSDB_LITE_LOG_H
#define OVSDB_LITE_LOG_H 1

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct ovsdb_log;

#define OVSDB_LOG_MAGIC "VSDB-LOG 1\n"
#define OVSDB_LOG_MAX_RECORD (1024 * 1024 * 1024)   /* Payload bytes. */

enum ovsdb_log_open_mode {
    OVSDB_LOG_READ_ONLY,    /* Must exist; no writes, never modified. */
    OVSDB_LOG_READ_WRITE,   /* Must exist. */
    OVSDB_LOG_CREATE,       /* Created (empty) if missing, else opened. */
    OVSDB_LOG_CREATE_EXCL   /* Must not exist (EEXIST); created empty. */
};

/* Opens the log NAME in MODE.  With LOCK, first takes the database lock
 * (see above); if another opener holds it, fails with EBUSY and "NAME:
 * database is locked by another process".  Creation is atomic: the magic
 * is written to NAME.tmp, fdatasync'd, link()ed to NAME, and the
 * directory fsync'd, so NAME never exists half-made.  A file that does
 * not start with the magic fails with EBADMSG.  Writable modes with LOCK
 * remove a stale NAME.tmp left by a crashed replacement.
 *
 * On success stores a new log in *LOGP, positioned before the first
 * record, and returns 0; otherwise stores NULL and returns an error.
 * Blocks (file I/O); use at start-up. */
int ovsdb_log_open(const char *name, enum ovsdb_log_open_mode, bool lock,
                   struct ovsdb_log **logp, char **errorp);

/* Flushes any queued records to the file and fdatasyncs them (unless the
 * log has failed), stops the sync thread, releases the lock and frees
 * LOG.  Blocks.  A no-op for NULL.  An unfinished replacement started
 * with ovsdb_log_replace_commit() completes first. */
void ovsdb_log_close(struct ovsdb_log *);

/* Returns the file name passed to ovsdb_log_open(). */
const char *ovsdb_log_get_name(const struct ovsdb_log *);

/* Reads the next record.  Returns 0 and stores the value in *JSONP
 * (caller owns it, json_decref()), or returns EOF at the end of the
 * valid records (also after a torn tail, see above), or EBADMSG for a
 * corrupt middle, or another errno for an I/O error; on any error *JSONP
 * is NULL.  Errors and EOF are sticky.  Reading is allowed only before
 * the first write.  The whole file is read into memory at the first call
 * and released at the end; blocks.  After EBADMSG, ovsdb_log_get_offset()
 * is the offset of the corrupt record (for ovsdb-lite-tool check). */
int ovsdb_log_read(struct ovsdb_log *, json_t **jsonp, char **errorp);

/* Reading: the offset just past the last record read (or the magic).
 * Writing: the logical end of the file including records that are still
 * queued in memory.  So after open + reading to EOF, this is the size of
 * the valid part of the file. */
off_t ovsdb_log_get_offset(const struct ovsdb_log *);

/* Size of the "snapshot": after open, the offset just past the first
 * record (the magic's length for an empty log); after a successful
 * replacement, the size of the replacement file as written by the
 * caller.  A server compacts when get_offset() - snapshot_size() grows
 * past some multiple of snapshot_size(). */
off_t ovsdb_log_snapshot_size(const struct ovsdb_log *);

/* Number of records read plus written since the snapshot (the first
 * record read after open, or the replacement's records, not counted). */
uint64_t ovsdb_log_n_records_since_snapshot(const struct ovsdb_log *);

/* In a writable log whose reading stopped at a torn tail, truncates the
 * file back to the last good record and fdatasyncs it; otherwise does
 * nothing.  If reading has not reached EOF, first reads (and discards)
 * the remaining records.  The first ovsdb_log_write() calls this
 * implicitly.  Blocks; use at start-up. */
int ovsdb_log_truncate_tail(struct ovsdb_log *, char **errorp);

/* Queues JSON (any JSON value; it is not modified or stolen) as a new
 * record at the end of LOG and stores its sequence number in *SEQNOP (if
 * nonnull).  Does not block on I/O (except the first write of a log with
 * a torn tail, see ovsdb_log_truncate_tail()).  The record is durable
 * once ovsdb_log_durable_seqno() >= *SEQNOP; ovsdb_log_wait() or
 * ovsdb_log_commit_start() starts the sync.
 *
 * Fails with EBADF on a read-only log, EBADMSG after a corrupt middle,
 * EFBIG for a record over OVSDB_LOG_MAX_RECORD, EINVAL if JSON cannot be
 * serialized, or the log's sticky I/O error.
 *
 * Also works on the object returned by ovsdb_log_replace_start(), where
 * *SEQNOP is set to 0. */
int ovsdb_log_write(struct ovsdb_log *, const json_t *, uint64_t *seqnop,
                    char **errorp);

/* Sequence number of the last record written (0 if none). */
uint64_t ovsdb_log_written_seqno(const struct ovsdb_log *);

/* Asks the sync thread to make every record written so far durable.
 * Never blocks.  Cheap if there is nothing new. */
void ovsdb_log_commit_start(struct ovsdb_log *);

/* Every record with a sequence number <= the returned value is on disk
 * (as of the last ovsdb_log_run() or ovsdb_log_commit_block()). */
uint64_t ovsdb_log_durable_seqno(const struct ovsdb_log *);

/* Starts a sync if needed and waits until every record written so far
 * is durable and any replacement in progress has finished.  Returns 0 or
 * the log's sticky error.  Blocks: for tools and shutdown, not for the
 * server's main loop. */
int ovsdb_log_commit_block(struct ovsdb_log *, char **errorp);

/* Picks up completed syncs and replacements from the sync thread:
 * updates ovsdb_log_durable_seqno(), logs (once) an I/O error, logs the
 * outcome of a replacement.  Never blocks. */
void ovsdb_log_run(struct ovsdb_log *);

/* Starts a sync of anything written but not yet submitted (like
 * ovsdb_log_commit_start()), then arranges for poll_block() to wake when
 * ovsdb_log_run() has something to pick up. */
void ovsdb_log_wait(struct ovsdb_log *);

/* Returns the log's sticky error (0 if none) and, if MSGP is nonnull,
 * stores a message (owned by LOG) or NULL.  Valid after ovsdb_log_run(). */
int ovsdb_log_get_error(const struct ovsdb_log *, const char **msgp);

/* Starts replacing LOG: creates NAME.tmp (truncating a stale one) and
 * stores in *NEWP a write-only log for the caller's snapshot records.
 * Fails with EBUSY if a replacement is still in progress, EBADF if LOG is
 * read-only, or the sticky error.  Cheap (one open()). */
int ovsdb_log_replace_start(struct ovsdb_log *, struct ovsdb_log **newp,
                            char **errorp);

/* Commits the replacement NEW (from ovsdb_log_replace_start() on LOG),
 * taking ownership of NEW in all cases.  Queues the switch to the sync
 * thread and returns without blocking; see "Replacement" above.
 * Returns 0 if queued, or an error if NEW's writes failed (then NEW is
 * aborted and LOG is unchanged).  From now on ovsdb_log_get_offset()
 * and ovsdb_log_snapshot_size() describe the new file; if the switch later
 * fails, ovsdb_log_run() logs it and restores them. */
int ovsdb_log_replace_commit(struct ovsdb_log *, struct ovsdb_log *new,
                             char **errorp);

/* Abandons the replacement NEW: closes and removes NAME.tmp, frees NEW.
 * A no-op for NULL. */
void ovsdb_log_replace_abort(struct ovsdb_log *new);

/* True while a committed replacement has not yet completed or failed (as
 * of the last ovsdb_log_run()). */
bool ovsdb_log_replace_in_progress(const struct ovsdb_log *);

/* Counters since open, as of the last ovsdb_log_run() or
 * ovsdb_log_commit_block(). */
struct ovsdb_log_stats {
    uint64_t n_writes;          /* Records written (queued). */
    uint64_t n_syncs;           /* fdatasync()s of the log completed. */
    uint64_t n_bytes;           /* Bytes appended with write(). */
    uint64_t n_replacements;    /* Successful replacements. */
    uint64_t n_failed_replacements;
};
void ovsdb_log_get_stats(const struct ovsdb_log *, struct ovsdb_log_stats *);

/* Test hook: makes the process kill itself with SIGKILL at POINT during
 * the next replacements: "replace-before-rename" (PATH.tmp complete and
 * synced, PATH untouched), "replace-after-rename" (renamed, directory not
 * yet synced), or NULL/"" for none.  The environment variable
 * OVSDB_LOG_CRASH_AT, read at ovsdb_log_open(), sets the same thing. */
void ovsdb_log_set_crash_point(const char *point);

/* CRC-32C (Castagnoli) of DATA, continuing from CRC (0 to start). */
uint32_t ovsdb_log_crc32c(uint32_t crc, const void *data, size_t n);

#endif /* ovsdb-lite/log.h */
