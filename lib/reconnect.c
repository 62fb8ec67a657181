/* reconnect: connection FSM with exponential backoff and inactivity
 * probes.  See reconnect.h for the contract. */
#include <config.h>
#include "reconnect.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include "poll-loop.h"
#include "util.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(reconnect);

/* States are bits so that a test for a set of states is one mask. */
enum state {
    S_VOID = 1 << 0,
    S_BACKOFF = 1 << 1,
    S_CONNECTING = 1 << 2,
    S_ACTIVE = 1 << 3,
    S_IDLE = 1 << 4,
    S_RECONNECT = 1 << 5,
    S_LISTENING = 1 << 6
};

#define S_CONNECTED (S_ACTIVE | S_IDLE)

struct reconnect {
    /* Configuration. */
    char *name;
    int min_backoff;
    int max_backoff;
    int probe_interval;
    bool passive;
    enum vlog_level info;       /* VLL_INFO, or VLL_DBG when quiet. */

    /* State. */
    enum state state;
    long long int state_entered;
    int backoff;
    long long int last_activity;
    long long int last_connected;     /* LLONG_MAX if never. */
    long long int last_disconnected;  /* LLONG_MAX if never. */
    long long int last_receive_attempt;
    unsigned int max_tries;           /* UINT_MAX: unlimited. */
    unsigned int backoff_free_tries;

    /* Statistics only. */
    long long int creation_time;
    unsigned int n_attempted_connections;
    unsigned int n_successful_connections;
    unsigned long long int total_connected_duration;
    unsigned int seqno;
};

static const char *
state_name(enum state state)
{
    switch (state) {
    case S_VOID: return "VOID";
    case S_BACKOFF: return "BACKOFF";
    case S_CONNECTING: return "CONNECTING";
    case S_ACTIVE: return "ACTIVE";
    case S_IDLE: return "IDLE";
    case S_RECONNECT: return "RECONNECT";
    case S_LISTENING: return "LISTENING";
    }
    return "***ERROR***";
}

static bool
is_connected_state(enum state state)
{
    return (state & S_CONNECTED) != 0;
}

struct reconnect *
reconnect_create(long long int now)
{
    struct reconnect *fsm = xzalloc(sizeof *fsm);

    fsm->name = xstrdup("void");
    fsm->min_backoff = RECONNECT_DEFAULT_MIN_BACKOFF;
    fsm->max_backoff = RECONNECT_DEFAULT_MAX_BACKOFF;
    fsm->probe_interval = RECONNECT_DEFAULT_PROBE_INTERVAL;
    fsm->passive = false;
    fsm->info = VLL_INFO;

    fsm->state = S_VOID;
    fsm->state_entered = now;
    fsm->backoff = 0;
    fsm->last_activity = now;
    fsm->last_connected = LLONG_MAX;
    fsm->last_disconnected = LLONG_MAX;
    fsm->last_receive_attempt = now;
    fsm->max_tries = UINT_MAX;
    fsm->backoff_free_tries = 0;

    fsm->creation_time = now;
    return fsm;
}

void
reconnect_destroy(struct reconnect *fsm)
{
    if (fsm) {
        free(fsm->name);
        free(fsm);
    }
}

void
reconnect_set_quiet(struct reconnect *fsm, bool quiet)
{
    fsm->info = quiet ? VLL_DBG : VLL_INFO;
}

const char *
reconnect_get_name(const struct reconnect *fsm)
{
    return fsm->name;
}

void
reconnect_set_name(struct reconnect *fsm, const char *name)
{
    free(fsm->name);
    fsm->name = xstrdup(name ? name : "void");
}

int
reconnect_get_min_backoff(const struct reconnect *fsm)
{
    return fsm->min_backoff;
}

int
reconnect_get_max_backoff(const struct reconnect *fsm)
{
    return fsm->max_backoff;
}

int
reconnect_get_probe_interval(const struct reconnect *fsm)
{
    return fsm->probe_interval;
}

void
reconnect_set_max_tries(struct reconnect *fsm, unsigned int max_tries)
{
    fsm->max_tries = max_tries;
}

unsigned int
reconnect_get_max_tries(const struct reconnect *fsm)
{
    return fsm->max_tries;
}

void
reconnect_set_backoff_free_tries(struct reconnect *fsm,
                                 unsigned int backoff_free_tries)
{
    fsm->backoff_free_tries = backoff_free_tries;
}

void
reconnect_set_backoff(struct reconnect *fsm, int min_backoff,
                      int max_backoff)
{
    fsm->min_backoff = MAX(min_backoff, 1000);
    fsm->max_backoff = (max_backoff
                        ? MAX(max_backoff, 1000)
                        : RECONNECT_DEFAULT_MAX_BACKOFF);
    fsm->max_backoff = MAX(fsm->max_backoff, fsm->min_backoff);

    if (fsm->state == S_BACKOFF && fsm->backoff > fsm->max_backoff) {
        fsm->backoff = fsm->max_backoff;
    }
}

void
reconnect_set_probe_interval(struct reconnect *fsm, int probe_interval)
{
    fsm->probe_interval = probe_interval ? MAX(probe_interval, 1000) : 0;
}

/* Uses up one try, if tries are limited.  Returns false if none was
 * left. */
static bool
may_retry(struct reconnect *fsm)
{
    if (fsm->max_tries == UINT_MAX) {
        return true;
    } else if (fsm->max_tries > 0) {
        fsm->max_tries--;
        return true;
    } else {
        return false;
    }
}

/* Moves FSM to STATE at NOW, keeping the statistics up to date. */
static void
transition(struct reconnect *fsm, long long int now, enum state state)
{
    bool was_connected = is_connected_state(fsm->state);

    if (fsm->state == S_CONNECTING) {
        fsm->n_attempted_connections++;
        if (state == S_ACTIVE) {
            fsm->n_successful_connections++;
        }
    }
    if (was_connected != is_connected_state(state)) {
        if (was_connected && fsm->last_connected != LLONG_MAX) {
            fsm->total_connected_duration += now - fsm->last_connected;
        }
        fsm->seqno++;
    }

    VLOG_DBG("%s: entering %s", fsm->name, state_name(state));
    fsm->state = state;
    fsm->state_entered = now;
}

/* Enters BACKOFF with no backoff at all: run() asks to connect at once. */
static void
backoff_now(struct reconnect *fsm, long long int now)
{
    transition(fsm, now, S_BACKOFF);
    fsm->backoff = 0;
}

bool
reconnect_is_passive(const struct reconnect *fsm)
{
    return fsm->passive;
}

void
reconnect_set_passive(struct reconnect *fsm, bool passive,
                      long long int now)
{
    bool restart;

    if (fsm->passive == passive) {
        return;
    }
    fsm->passive = passive;

    if (passive) {
        restart = (fsm->state & (S_CONNECTING | S_RECONNECT)) != 0;
    } else {
        restart = fsm->state == S_LISTENING && may_retry(fsm);
    }
    if (restart) {
        backoff_now(fsm, now);
    }
}

bool
reconnect_is_enabled(const struct reconnect *fsm)
{
    return fsm->state != S_VOID;
}

void
reconnect_enable(struct reconnect *fsm, long long int now)
{
    if (fsm->state == S_VOID && may_retry(fsm)) {
        backoff_now(fsm, now);
    }
}

void
reconnect_disable(struct reconnect *fsm, long long int now)
{
    if (fsm->state != S_VOID) {
        transition(fsm, now, S_VOID);
    }
}

void
reconnect_force_reconnect(struct reconnect *fsm, long long int now)
{
    if (fsm->state & (S_CONNECTING | S_CONNECTED)) {
        transition(fsm, now, S_RECONNECT);
    }
}

/* Logs why FSM, in a state other than VOID and BACKOFF, is disconnecting. */
static void
log_disconnection(const struct reconnect *fsm, int error)
{
    if (fsm->state & S_CONNECTED) {
        if (error > 0) {
            VLOG_WARN("%s: connection dropped (%s)",
                      fsm->name, vs_strerror(error));
        } else if (error == EOF) {
            VLOG(fsm->info, "%s: connection closed by peer", fsm->name);
        } else {
            VLOG(fsm->info, "%s: connection dropped", fsm->name);
        }
    } else if (fsm->state == S_LISTENING) {
        if (error > 0) {
            VLOG_WARN("%s: error listening for connections (%s)",
                      fsm->name, vs_strerror(error));
        } else {
            VLOG(fsm->info, "%s: error listening for connections",
                 fsm->name);
        }
    } else if (fsm->state == S_RECONNECT) {
        VLOG(fsm->info, "%s: connection closed by client", fsm->name);
    } else if (fsm->backoff < fsm->max_backoff) {
        /* Once at the maximum backoff, failures are no longer logged. */
        const char *type = fsm->passive ? "listen" : "connection";

        if (error > 0) {
            VLOG_INFO("%s: %s attempt failed (%s)",
                      fsm->name, type, vs_strerror(error));
        } else {
            VLOG(fsm->info, "%s: %s attempt timed out", fsm->name, type);
        }
    }
}

/* Doubles FSM's backoff after a failure, within [min_backoff,
 * max_backoff]. */
static void
grow_backoff(struct reconnect *fsm)
{
    if (fsm->backoff < fsm->min_backoff) {
        fsm->backoff = fsm->min_backoff;
    } else if (fsm->backoff < fsm->max_backoff / 2) {
        fsm->backoff *= 2;
        VLOG(fsm->info, "%s: waiting %.3g seconds before %s",
             fsm->name, fsm->backoff / 1000.0,
             fsm->passive ? "trying to listen again" : "reconnect");
    } else {
        if (fsm->backoff < fsm->max_backoff) {
            VLOG(fsm->info, "%s: continuing to %s in the background but "
                 "suppressing further logging", fsm->name,
                 fsm->passive ? "try to listen" : "reconnect");
        }
        fsm->backoff = fsm->max_backoff;
    }
}

/* Computes the backoff before the next attempt, as FSM leaves its current
 * state because of a disconnection or failure. */
static void
update_backoff(struct reconnect *fsm)
{
    if (fsm->backoff_free_tries > 1) {
        fsm->backoff_free_tries--;
        fsm->backoff = 0;
    } else if (fsm->state & S_CONNECTED
               && (fsm->passive
                   || (fsm->last_activity - fsm->last_connected
                       >= fsm->backoff))) {
        /* The connection was up long enough to count as a success. */
        fsm->backoff = fsm->passive ? 0 : fsm->min_backoff;
    } else {
        grow_backoff(fsm);
    }
}

void
reconnect_disconnected(struct reconnect *fsm, long long int now, int error)
{
    if (fsm->state & (S_VOID | S_BACKOFF)) {
        return;
    }

    log_disconnection(fsm, error);
    if (fsm->state & S_CONNECTED) {
        fsm->last_disconnected = now;
    }

    if (!may_retry(fsm)) {
        transition(fsm, now, S_VOID);
        return;
    }
    update_backoff(fsm);
    transition(fsm, now, S_BACKOFF);
}

void
reconnect_connecting(struct reconnect *fsm, long long int now)
{
    if (fsm->state == S_CONNECTING) {
        return;
    }
    if (fsm->passive) {
        VLOG(fsm->info, "%s: listening...", fsm->name);
    } else if (fsm->backoff < fsm->max_backoff) {
        VLOG(fsm->info, "%s: connecting...", fsm->name);
    }
    transition(fsm, now, S_CONNECTING);
}

void
reconnect_listening(struct reconnect *fsm, long long int now)
{
    if (fsm->state != S_LISTENING) {
        VLOG(fsm->info, "%s: listening...", fsm->name);
        transition(fsm, now, S_LISTENING);
    }
}

void
reconnect_listen_error(struct reconnect *fsm, long long int now, int error)
{
    if (fsm->state == S_LISTENING) {
        reconnect_disconnected(fsm, now, error);
    }
}

void
reconnect_connected(struct reconnect *fsm, long long int now)
{
    if (is_connected_state(fsm->state)) {
        return;
    }
    reconnect_connecting(fsm, now);

    VLOG(fsm->info, "%s: connected", fsm->name);
    transition(fsm, now, S_ACTIVE);
    fsm->last_connected = now;
}

void
reconnect_connect_failed(struct reconnect *fsm, long long int now,
                         int error)
{
    reconnect_connecting(fsm, now);
    reconnect_disconnected(fsm, now, error);
}

void
reconnect_activity(struct reconnect *fsm, long long int now)
{
    if (fsm->state != S_ACTIVE) {
        transition(fsm, now, S_ACTIVE);
    }
    fsm->last_activity = now;
}

void
reconnect_receive_attempted(struct reconnect *fsm, long long int now)
{
    fsm->last_receive_attempt = now;
}

/* Returns when a probe timer that expires at EXPIRATION should fire, given
 * that it only fires once a receive was attempted at or after
 * EXPIRATION: EXPIRATION itself if it is still ahead or such an attempt was
 * made, otherwise NOW + 1, to wake up soon and let the client attempt a
 * receive. */
static long long int
probe_deadline(const struct reconnect *fsm, long long int now,
               long long int expiration)
{
    if (now < expiration || fsm->last_receive_attempt >= expiration) {
        return expiration;
    }
    return now + 1;
}

/* Returns the time at which run() has something to do in FSM's current
 * state, or LLONG_MAX if never. */
static long long int
deadline(const struct reconnect *fsm, long long int now)
{
    switch (fsm->state) {
    case S_VOID:
    case S_LISTENING:
        return LLONG_MAX;

    case S_BACKOFF:
        return fsm->state_entered + fsm->backoff;

    case S_CONNECTING:
        return fsm->state_entered + MAX(1000, fsm->backoff);

    case S_ACTIVE:
        if (!fsm->probe_interval) {
            return LLONG_MAX;
        }
        return probe_deadline(fsm, now,
                              MAX(fsm->last_activity, fsm->state_entered)
                              + fsm->probe_interval);

    case S_IDLE:
        if (!fsm->probe_interval) {
            return LLONG_MAX;
        }
        return probe_deadline(fsm, now,
                              fsm->state_entered + fsm->probe_interval);

    case S_RECONNECT:
        return fsm->state_entered;
    }
    vs_abort(0, "reconnect: bad state %d", (int) fsm->state);
}

/* Performs FSM's action for its current state, whose deadline passed. */
static enum reconnect_action
expire(struct reconnect *fsm, long long int now)
{
    switch (fsm->state) {
    case S_VOID:
    case S_LISTENING:
        return 0;

    case S_BACKOFF:
        return RECONNECT_CONNECT;

    case S_CONNECTING:
    case S_RECONNECT:
        return RECONNECT_DISCONNECT;

    case S_ACTIVE:
        VLOG_DBG("%s: idle %lld ms, sending inactivity probe", fsm->name,
                 now - MAX(fsm->last_activity, fsm->state_entered));
        transition(fsm, now, S_IDLE);
        return RECONNECT_PROBE;

    case S_IDLE:
        VLOG_ERR("%s: no response to inactivity probe after %.3g "
                 "seconds, disconnecting",
                 fsm->name, (now - fsm->state_entered) / 1000.0);
        return RECONNECT_DISCONNECT;
    }
    vs_abort(0, "reconnect: bad state %d", (int) fsm->state);
}

enum reconnect_action
reconnect_run(struct reconnect *fsm, long long int now)
{
    long long int when = deadline(fsm, now);

    return when != LLONG_MAX && now >= when ? expire(fsm, now) : 0;
}

void
reconnect_wait(struct reconnect *fsm, long long int now)
{
    long long int when = deadline(fsm, now);

    if (when != LLONG_MAX) {
        poll_timer_wait_until(when);
    }
}

int
reconnect_timeout(struct reconnect *fsm, long long int now)
{
    long long int when = deadline(fsm, now);

    if (when == LLONG_MAX) {
        return -1;
    }
    return MAX(0, MIN(INT_MAX, when - now));
}

bool
reconnect_is_connected(const struct reconnect *fsm)
{
    return is_connected_state(fsm->state);
}

unsigned int
reconnect_get_last_connect_elapsed(const struct reconnect *fsm,
                                   long long int now)
{
    return (fsm->last_connected == LLONG_MAX
            ? UINT_MAX
            : (unsigned int) (now - fsm->last_connected));
}

unsigned int
reconnect_get_last_disconnect_elapsed(const struct reconnect *fsm,
                                      long long int now)
{
    return (fsm->last_disconnected == LLONG_MAX
            ? UINT_MAX
            : (unsigned int) (now - fsm->last_disconnected));
}

unsigned int
reconnect_get_seqno(const struct reconnect *fsm)
{
    return fsm->seqno;
}

void
reconnect_get_stats(const struct reconnect *fsm, long long int now,
                    struct reconnect_stats *stats)
{
    bool connected = reconnect_is_connected(fsm);

    stats->creation_time = fsm->creation_time;
    stats->last_activity = fsm->last_activity;
    stats->last_connected = fsm->last_connected;
    stats->last_disconnected = fsm->last_disconnected;
    stats->backoff = fsm->backoff;
    stats->seqno = fsm->seqno;
    stats->is_connected = connected;
    stats->msec_since_connect = reconnect_get_last_connect_elapsed(fsm, now);
    stats->msec_since_disconnect
        = reconnect_get_last_disconnect_elapsed(fsm, now);
    stats->total_connected_duration = fsm->total_connected_duration;
    if (connected && fsm->last_connected != LLONG_MAX) {
        stats->total_connected_duration += now - fsm->last_connected;
    }
    stats->n_attempted_connections = fsm->n_attempted_connections;
    stats->n_successful_connections = fsm->n_successful_connections;
    stats->state = state_name(fsm->state);
    stats->state_elapsed = now - fsm->state_entered;
}
