/* ovsdb-lite: the JSON-RPC side of the database server (RFC 7047
 * section 4 and ovsdb-server(7)): listeners, sessions, the methods, locks,
 * triggers ("wait"), monitors, and durable replies.
 *
 * Scale: each session keeps a persistent poll_watch on its socket, so an
 * idle session costs nothing per main-loop iteration.  A session is run
 * only when its socket is readable or writable again, or it has work left
 * over, and then for a bounded number of requests, round robin, so that a
 * flooding client cannot starve the others.  Listeners accept in batches.
 *
 * Durability: a reply or notification that reveals the database's
 * contents is queued behind the log record of the last transaction
 * committed before it, and sent only once that record is on disk; a
 * session's output always leaves in order.  Monitor updates for a
 * transaction therefore reach every client after the transaction is
 * durable, and before the reply to the client that made it. */
#ifndef OVSDB_LITE_SERVER_H
#define OVSDB_LITE_SERVER_H 1

#include <stdbool.h>
#include <stddef.h>

struct db;
struct ds;
struct server;
struct shash;
struct storage;

struct server *server_create(void);
/* Closes every session and listener and every database (flushing and
 * closing its storage).  NULL is a no-op. */
void server_destroy(struct server *);

/* Serves DB (taking ownership of it and of STORAGE, which may be NULL for
 * a database that lives in memory only).  Returns false, without taking
 * anything, if a database with the same name is already served. */
bool server_add_db(struct server *, struct db *, struct storage *);
/* Appends the names of the databases, one per line, in name order. */
void server_list_dbs(const struct server *, struct ds *);

/* Starts listening on NAME ("punix:...", "ptcp:...", "pssl:...").
 * Returns 0 or a positive errno with a message in *ERRORP (caller frees).
 * EEXIST if NAME is already a remote. */
int server_add_remote(struct server *, const char *name, char **errorp);
/* Stops listening on NAME and closes the sessions it accepted.  Returns
 * false if there is no such remote. */
bool server_remove_remote(struct server *, const char *name);
/* Returns the name that remote NAME's listener reports, with the bound
 * port and address for ptcp and pssl ("ptcp:0:127.0.0.1" may become
 * "ptcp:41234:127.0.0.1"), or NULL if there is no such remote. */
const char *server_get_remote_bound_name(const struct server *,
                                         const char *name);
/* Appends the remotes' names (as given), one per line, sorted. */
void server_list_remotes(const struct server *, struct ds *);

void server_run(struct server *);
void server_wait(struct server *);

/* Starts compacting database DB_NAME (every database if NULL).  Returns 0,
 * or an error with a message in *ERRORP.  server_compaction_done() tells
 * when every compaction started so far has finished, with the number of
 * failures since the last call in *N_FAILEDP. */
int server_compact(struct server *, const char *db_name, char **errorp);
bool server_compaction_done(struct server *, unsigned int *n_failedp);
/* Sets the automatic compaction policy of every database (see
 * storage_set_compaction_policy()). */
void server_set_compaction_policy(struct server *, unsigned int factor,
                                  long long int min_bytes);

/* Adds "sessions", "monitors", "rows", "backlog", "triggers", "locks" to
 * USAGE (for memory/show). */
void server_get_memory_usage(const struct server *, struct shash *usage);

#endif /* ovsdb-lite/server.h */
