/* reconnect: a finite-state machine for connecting and reconnecting to a
 * network peer with exponential backoff, plus optional detection of a peer
 * that stopped responding (inactivity probes).
 *
 * The FSM does no I/O.  The client reports what happens (connecting(),
 * connected(), connect_failed(), disconnected(), activity(), ...) and asks
 * reconnect_run() what to do next (connect, disconnect, send a probe).
 * Every function that depends on time takes an explicit NOW in
 * milliseconds; outside tests pass time_msec().  The semantics are those of
 * Open vSwitch's reconnect library (C and Python agree), so the states,
 * backoff and statistics below match it step by step.
 *
 * States:
 *
 *   VOID        disabled; run() never asks for anything.
 *   LISTENING   passive and listening; stays until told otherwise.
 *   BACKOFF     waiting 'backoff' ms before the next attempt; then run()
 *               returns RECONNECT_CONNECT.
 *   CONNECTING  an attempt is in progress; after max(1000, backoff) ms run()
 *               returns RECONNECT_DISCONNECT (the attempt timed out).
 *   ACTIVE      connected and recently active; after the probe interval
 *               without activity run() returns RECONNECT_PROBE (-> IDLE).
 *   IDLE        probe sent; one more probe interval without activity and
 *               run() returns RECONNECT_DISCONNECT.
 *   RECONNECT   force_reconnect() was called; run() returns
 *               RECONNECT_DISCONNECT at once.
 *
 * Backoff: the first attempt after enable() is immediate.  Each failed
 * attempt sets backoff to min_backoff (default 1000 ms) if it was below it,
 * else doubles it, capped at max_backoff (default 8000 ms).  A connection
 * that saw activity for at least 'backoff' ms resets backoff to
 * min_backoff (to 0 in passive mode) when it drops; a connection that
 * dropped sooner keeps growing it.  Attempts counted by
 * set_backoff_free_tries() happen without any backoff. */
#ifndef RECONNECT_H
#define RECONNECT_H 1

#include <stdbool.h>

struct reconnect;

/* Defaults, in milliseconds. */
#define RECONNECT_DEFAULT_MIN_BACKOFF 1000
#define RECONNECT_DEFAULT_MAX_BACKOFF 8000
#define RECONNECT_DEFAULT_PROBE_INTERVAL 5000

/* Creates a disabled FSM (state VOID) named "void", with default settings,
 * created at NOW.  The caller usually sets a name and calls
 * reconnect_enable().  Never returns NULL. */
struct reconnect *reconnect_create(long long int now);
/* Frees FSM.  NULL is a no-op. */
void reconnect_destroy(struct reconnect *fsm);

/* If QUIET, informational messages (connecting, connected, backoff...) are
 * logged at DBG instead of INFO; meant for connections that are expected
 * to be short-lived.  Warnings and errors keep their level. */
void reconnect_set_quiet(struct reconnect *fsm, bool quiet);

/* The name used in log messages; NAME NULL means "void".  The FSM keeps its
 * own copy.  get_name() returns a string owned by FSM. */
const char *reconnect_get_name(const struct reconnect *fsm);
void reconnect_set_name(struct reconnect *fsm, const char *name);

/* Backoff bounds and probe interval, in milliseconds. */
int reconnect_get_min_backoff(const struct reconnect *fsm);
int reconnect_get_max_backoff(const struct reconnect *fsm);
int reconnect_get_probe_interval(const struct reconnect *fsm);

/* Limits the number of connection attempts (counted by enable() and by
 * each backoff after a failure or disconnection) to MAX_TRIES; UINT_MAX,
 * the default, means unlimited.  When the tries run out the FSM disables
 * itself (VOID) instead of backing off.  get_max_tries() returns the tries
 * left, UINT_MAX if unlimited. */
void reconnect_set_max_tries(struct reconnect *fsm, unsigned int max_tries);
unsigned int reconnect_get_max_tries(const struct reconnect *fsm);

/* Makes the next BACKOFF_FREE_TRIES - 1 failed attempts retry at once,
 * without backoff.  0 and 1 both mean "no free retries" (the default). */
void reconnect_set_backoff_free_tries(struct reconnect *fsm,
                                      unsigned int backoff_free_tries);

/* Sets the backoff bounds.  MIN_BACKOFF is raised to at least 1000 ms;
 * MAX_BACKOFF 0 means the default 8000 ms, otherwise it is raised to at
 * least 1000 ms and to at least the (adjusted) MIN_BACKOFF.  If FSM is in
 * BACKOFF with a longer backoff than the new maximum, the current backoff
 * is cut to the new maximum. */
void reconnect_set_backoff(struct reconnect *fsm, int min_backoff,
                           int max_backoff);

/* Sets the probe interval: after this many ms connected without
 * reconnect_activity(), run() returns RECONNECT_PROBE, and after as many
 * again RECONNECT_DISCONNECT.  0 disables probing; other values are raised
 * to at least 1000 ms. */
void reconnect_set_probe_interval(struct reconnect *fsm, int probe_interval);

/* Passive mode: FSM listens for connections instead of making them.
 * Switching to passive while CONNECTING or RECONNECT, or to active while
 * LISTENING (if a try is left), moves FSM to BACKOFF with no backoff so
 * that run() says RECONNECT_CONNECT at once.  Active is the default. */
bool reconnect_is_passive(const struct reconnect *fsm);
void reconnect_set_passive(struct reconnect *fsm, bool passive,
                           long long int now);

/* Returns true unless FSM is in VOID (disabled). */
bool reconnect_is_enabled(const struct reconnect *fsm);
/* If FSM is disabled and a try is left (using one up), moves it to BACKOFF
 * with no backoff, so that the next run() returns RECONNECT_CONNECT.
 * Otherwise has no effect. */
void reconnect_enable(struct reconnect *fsm, long long int now);
/* Moves FSM to VOID: run() returns 0 until it is enabled again. */
void reconnect_disable(struct reconnect *fsm, long long int now);
/* If FSM is connecting or connected, moves it to RECONNECT so that the next
 * run() returns RECONNECT_DISCONNECT; the client then drops the connection,
 * reports disconnected() and the FSM backs off and reconnects.  No effect
 * in other states. */
void reconnect_force_reconnect(struct reconnect *fsm, long long int now);

/* The client reports events.  ERROR is a positive errno value, EOF for an
 * orderly close by the peer, or 0 for no specific reason; it only affects
 * the log message.
 *
 * disconnected(): the connection or attempt is gone.  No effect in VOID or
 * BACKOFF.  Otherwise, logs what happened, records the disconnection time
 * if FSM was connected, and moves to BACKOFF with a new backoff (see the
 * top of this file), or to VOID if no try is left.
 *
 * connecting(): an attempt (or, passive, a listen attempt) is in progress;
 * FSM enters CONNECTING unless it is already there.
 *
 * listening(): passive FSM is now listening; enters LISTENING.
 *
 * listen_error(): accepting failed; if LISTENING, same as disconnected(),
 * else ignored.
 *
 * connected(): unless already ACTIVE or IDLE, passes through CONNECTING,
 * enters ACTIVE and records the connection time.
 *
 * connect_failed(): connecting() then disconnected().
 *
 * activity(): something was received; enters ACTIVE (from any state) and
 * restarts the probe interval.  Only meaningful once connected.
 *
 * receive_attempted(): the client tried to receive at NOW.  A probe or
 * idle timeout that expired only fires once a receive attempt was made at
 * or after its expiration, so that a long stall of the main loop is not
 * mistaken for a silent peer.  NOW = LLONG_MAX turns this check off (the
 * timeouts then fire on time alone).  A new FSM counts as having attempted
 * a receive at creation. */
void reconnect_disconnected(struct reconnect *fsm, long long int now,
                            int error);
void reconnect_connecting(struct reconnect *fsm, long long int now);
void reconnect_listening(struct reconnect *fsm, long long int now);
void reconnect_listen_error(struct reconnect *fsm, long long int now,
                            int error);
void reconnect_connected(struct reconnect *fsm, long long int now);
void reconnect_connect_failed(struct reconnect *fsm, long long int now,
                              int error);
void reconnect_activity(struct reconnect *fsm, long long int now);
void reconnect_receive_attempted(struct reconnect *fsm, long long int now);

enum reconnect_action {
    RECONNECT_CONNECT = 1,      /* Start connecting (or listening). */
    RECONNECT_DISCONNECT,       /* Drop the connection or attempt, then
                                 * report disconnected() or
                                 * connect_failed(). */
    RECONNECT_PROBE             /* Send a request that elicits a reply. */
};

/* Returns what the client should do now: 0 (nothing) or one of
 * enum reconnect_action.  Returning RECONNECT_PROBE moves FSM from ACTIVE
 * to IDLE; nothing else changes state.  Never blocks. */
enum reconnect_action reconnect_run(struct reconnect *fsm,
                                    long long int now);
/* Registers with the reactor (poll_timer_wait_until()) the time at which
 * reconnect_run() will have something to do, if any. */
void reconnect_wait(struct reconnect *fsm, long long int now);
/* Returns the number of ms (>= 0, at most INT_MAX) after which
 * reconnect_run() should be called, or -1 if there is no deadline. */
int reconnect_timeout(struct reconnect *fsm, long long int now);

/* True in ACTIVE and IDLE. */
bool reconnect_is_connected(const struct reconnect *fsm);
/* Milliseconds since the last connected() (even if disconnected since),
 * or UINT_MAX if never connected. */
unsigned int reconnect_get_last_connect_elapsed(const struct reconnect *fsm,
                                                long long int now);
/* Milliseconds since the last disconnection from ACTIVE or IDLE, or
 * UINT_MAX if never disconnected. */
unsigned int reconnect_get_last_disconnect_elapsed(
    const struct reconnect *fsm, long long int now);
/* Incremented on every connection and every disconnection, so a client
 * can tell that "the connection" changed since it last looked. */
unsigned int reconnect_get_seqno(const struct reconnect *fsm);

/* All times and durations in milliseconds. */
struct reconnect_stats {
    long long int creation_time;     /* NOW given to reconnect_create(). */
    long long int last_activity;     /* Last activity(), else creation. */
    long long int last_connected;    /* Last connected(), LLONG_MAX if
                                      * never. */
    long long int last_disconnected; /* Last disconnection, LLONG_MAX if
                                      * never. */
    int backoff;                     /* Current backoff. */
    unsigned int seqno;              /* See reconnect_get_seqno(). */
    bool is_connected;               /* ACTIVE or IDLE? */
    unsigned int msec_since_connect;    /* UINT_MAX if never connected. */
    unsigned int msec_since_disconnect; /* UINT_MAX if never
                                         * disconnected. */
    unsigned long long int total_connected_duration; /* Including the
                                                      * current one. */
    unsigned int n_attempted_connections;
    unsigned int n_successful_connections;
    const char *state;               /* "VOID", "BACKOFF", ... (static). */
    unsigned int state_elapsed;      /* Time in the current state. */
};

/* Fills STATS with FSM's statistics as of NOW. */
void reconnect_get_stats(const struct reconnect *fsm, long long int now,
                         struct reconnect_stats *stats);

#endif /* reconnect.h */
