/* A JSON-RPC session: a jsonrpc connection that reconnects by itself
 * (lib/reconnect.h), as Open vSwitch's jsonrpc_session.
 *
 * The session is active or passive depending on its remote's name: "tcp:",
 * "ssl:" and "unix:" connect; "ptcp:", "pssl:" and "punix:" listen and
 * take the connections that arrive.  A passive session talks to one peer at
 * a time: a new connection replaces the current one (logged).
 *
 * Remotes: NAME may list several, separated by commas
 * ("tcp:10.0.0.1:6640,tcp:10.0.0.2:6640"); after a failed or dropped
 * connection the next one is tried, in turn, the first try at each
 * without backoff.
 *
 * Liveness: when the stream class needs it (tcp, ssl; not unix), after
 * the probe interval (default 5 s) without anything received, the session
 * sends an "echo" request, and if nothing arrives for another interval it
 * drops the connection and reconnects.  Incoming "echo" requests are
 * answered automatically and replies to our own probes are swallowed, so
 * jsonrpc_session_recv() never returns either.
 *
 * Slow consumers: when a peer does not read and more than
 * JSONRPC_SESSION_MAX_BACKLOG_BYTES bytes or JSONRPC_SESSION_MAX_BACKLOG_MSGS
 * messages pile up unsent, the connection is dropped with a log line (see
 * jsonrpc_set_max_backlog()).
 *
 * Every function is non-blocking.  The seqno changes whenever the session
 * connects or disconnects: a client compares it with the value it saw to
 * learn that it must (re)send its state, for example. */
#ifndef JSONRPC_SESSION_H
#define JSONRPC_SESSION_H 1

#include <stdbool.h>
#include <stddef.h>

struct jsonrpc;
struct jsonrpc_msg;
struct reconnect_stats;

#define JSONRPC_SESSION_MAX_BACKLOG_BYTES (4 * 1024 * 1024)
#define JSONRPC_SESSION_MAX_BACKLOG_MSGS 10000

/* Creates a session for NAME, a remote or a comma-separated list of
 * remotes.  If RETRY is true, it keeps reconnecting forever; otherwise it
 * gives up after one try at each remote (see jsonrpc_session_is_alive()).
 * Never fails: bad names show up as failed connection attempts (logged).
 * The first connection attempt happens in jsonrpc_session_run(). */
struct jsonrpc_session *jsonrpc_session_open(const char *name, bool retry);
/* Like jsonrpc_session_open() with the N_REMOTES names in REMOTES. */
struct jsonrpc_session *jsonrpc_session_open_multiple(
    const char *const *remotes, size_t n_remotes, bool retry);
/* Creates a session around the already connected RPC (taken over) that
 * never reconnects: once RPC fails the session is dead.  Useful for
 * connections accepted by a server that manages its own listener. */
struct jsonrpc_session *jsonrpc_session_open_unreliably(struct jsonrpc *);
/* Closes S and its connection (NULL is a no-op). */
void jsonrpc_session_close(struct jsonrpc_session *);

/* Does the session's work: accepts, connects, sends queued output, sends
 * probes, notices failures and reconnects. */
void jsonrpc_session_run(struct jsonrpc_session *);
void jsonrpc_session_wait(struct jsonrpc_session *);

/* The name of the remote currently in use (for a list, the one being tried
 * or connected). */
const char *jsonrpc_session_get_name(const struct jsonrpc_session *);
size_t jsonrpc_session_get_n_remotes(const struct jsonrpc_session *);

/* Sends MSG (taking ownership) if connected; otherwise drops it.  Returns
 * 0, or ENOTCONN if not connected, or the connection's error. */
int jsonrpc_session_send(struct jsonrpc_session *, struct jsonrpc_msg *);
/* Returns the next received message (the caller owns it), or NULL if none
 * is ready.  "echo" requests are answered here and never returned. */
struct jsonrpc_msg *jsonrpc_session_recv(struct jsonrpc_session *);
void jsonrpc_session_recv_wait(struct jsonrpc_session *);

/* Bytes queued on the connection but not yet sent. */
size_t jsonrpc_session_get_backlog(const struct jsonrpc_session *);

/* True while connected or trying to (false once a non-retrying session
 * ran out of tries, or an unreliable session's connection failed). */
bool jsonrpc_session_is_alive(const struct jsonrpc_session *);
/* True if connected now. */
bool jsonrpc_session_is_connected(const struct jsonrpc_session *);
/* Changes on every connection and disconnection. */
unsigned int jsonrpc_session_get_seqno(const struct jsonrpc_session *);
/* The error status of the current connection (0 if healthy or none). */
int jsonrpc_session_get_status(const struct jsonrpc_session *);
/* The error that ended the last connection or attempt, 0 if none. */
int jsonrpc_session_get_last_error(const struct jsonrpc_session *);
void jsonrpc_session_get_reconnect_stats(const struct jsonrpc_session *,
                                         struct reconnect_stats *);

/* Drops the connection (if any) and reconnects, after the backoff. */
void jsonrpc_session_force_reconnect(struct jsonrpc_session *);
/* Makes a non-retrying session retry forever, with the default backoff. */
void jsonrpc_session_enable_reconnect(struct jsonrpc_session *);
/* Sets the backoff bounds in ms (see reconnect_set_backoff()). */
void jsonrpc_session_set_backoff(struct jsonrpc_session *,
                                 int min_backoff, int max_backoff);
/* Sets the probe interval in ms, 0 to disable probes (values from 1 to
 * 999 mean 1000).  The default is 5000 ms for remotes whose stream class
 * needs probes (tcp, ssl) and 0 for the others (unix). */
void jsonrpc_session_set_probe_interval(struct jsonrpc_session *,
                                        int probe_interval);
/* Sets the slow-consumer limits for this and future connections (0: no
 * limit on that count). */
void jsonrpc_session_set_max_backlog(struct jsonrpc_session *,
                                     size_t max_bytes, size_t max_msgs);
/* Sets the largest message accepted, for this and future connections. */
void jsonrpc_session_set_max_msg_size(struct jsonrpc_session *, size_t);

#endif /* jsonrpc-session.h */
