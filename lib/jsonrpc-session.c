/* JSON-RPC sessions: jsonrpc connections that reconnect by themselves. */
#include <config.h>

#include "jsonrpc-session.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "coverage.h"
#include "jsonrpc.h"
#include "poll-loop.h"
#include "reconnect.h"
#include "stream.h"
#include "timeval.h"
#include "util.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(jsonrpc_session);

COVERAGE_DEFINE(jsonrpc_session_echo_reply);
COVERAGE_DEFINE(jsonrpc_session_probe);

static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);

/* At most this many "echo" requests are answered in one
 * jsonrpc_session_recv() call, so that a flood cannot starve the loop. */
#define MAX_ECHOES_PER_RECV 50

struct jsonrpc_session {
    char **remotes;
    size_t n_remotes;
    size_t next_remote;

    struct reconnect *reconnect;
    struct jsonrpc *rpc;        /* Connected, or NULL. */
    struct stream *stream;      /* Connecting, or NULL. */
    struct pstream *pstream;    /* Listening (passive only), or NULL. */
    int last_error;
    unsigned int seqno;

    /* Applied to each new connection. */
    size_t max_backlog_bytes;
    size_t max_backlog_msgs;
    size_t max_msg_size;
};

/* Makes the next remote in turn the current one. */
static void
jsonrpc_session_pick_remote(struct jsonrpc_session *s)
{
    reconnect_set_name(s->reconnect,
                       s->remotes[s->next_remote++ % s->n_remotes]);
}

static struct jsonrpc_session *
jsonrpc_session_create(const char *const *remotes, size_t n_remotes)
{
    struct jsonrpc_session *s = xzalloc(sizeof *s);

    vs_assert(n_remotes > 0);
    s->remotes = xmalloc(n_remotes * sizeof *s->remotes);
    for (size_t i = 0; i < n_remotes; i++) {
        s->remotes[i] = xstrdup(remotes[i]);
    }
    s->n_remotes = n_remotes;
    s->reconnect = reconnect_create(time_msec());
    s->max_backlog_bytes = JSONRPC_SESSION_MAX_BACKLOG_BYTES;
    s->max_backlog_msgs = JSONRPC_SESSION_MAX_BACKLOG_MSGS;
    s->max_msg_size = JSONRPC_DEFAULT_MAX_MSG_SIZE;
    return s;
}

struct jsonrpc_session *
jsonrpc_session_open_multiple(const char *const *remotes, size_t n_remotes,
                              bool retry)
{
    struct jsonrpc_session *s = jsonrpc_session_create(remotes, n_remotes);
    long long int now = time_msec();

    jsonrpc_session_pick_remote(s);
    reconnect_enable(s->reconnect, now);
    reconnect_set_backoff_free_tries(s->reconnect, n_remotes);

    const char *name = reconnect_get_name(s->reconnect);
    if (!pstream_verify_name(name)) {
        reconnect_set_passive(s->reconnect, true, now);
    }
    if (!retry) {
        reconnect_set_max_tries(s->reconnect, n_remotes);
    }
    if (!stream_or_pstream_needs_probes(name)) {
        reconnect_set_probe_interval(s->reconnect, 0);
    }
    return s;
}

struct jsonrpc_session *
jsonrpc_session_open(const char *name, bool retry)
{
    char *copy = xstrdup(name);
    char **remotes = NULL;
    size_t n = 0;
    char *save_ptr = NULL;

    for (char *token = strtok_r(copy, ",", &save_ptr); token;
         token = strtok_r(NULL, ",", &save_ptr)) {
        while (*token == ' ') {
            token++;
        }
        if (*token) {
            remotes = xrealloc(remotes, (n + 1) * sizeof *remotes);
            remotes[n++] = token;
        }
    }
    if (!n) {
        /* Keep the (bad) name so that the failure is logged. */
        remotes = xmalloc(sizeof *remotes);
        remotes[n++] = copy;
    }

    struct jsonrpc_session *s = jsonrpc_session_open_multiple(
        (const char *const *) remotes, n, retry);
    free(remotes);
    free(copy);
    return s;
}

struct jsonrpc_session *
jsonrpc_session_open_unreliably(struct jsonrpc *rpc)
{
    const char *name = jsonrpc_get_name(rpc);
    struct jsonrpc_session *s = jsonrpc_session_create(&name, 1);
    long long int now = time_msec();

    reconnect_set_quiet(s->reconnect, true);
    reconnect_set_name(s->reconnect, name);
    reconnect_set_max_tries(s->reconnect, 0);
    reconnect_connected(s->reconnect, now);
    if (!stream_or_pstream_needs_probes(name)) {
        reconnect_set_probe_interval(s->reconnect, 0);
    }
    s->rpc = rpc;
    jsonrpc_set_max_backlog(rpc, s->max_backlog_bytes, s->max_backlog_msgs);
    s->seqno = 1;
    return s;
}

void
jsonrpc_session_close(struct jsonrpc_session *s)
{
    if (s) {
        jsonrpc_close(s->rpc);
        stream_close(s->stream);
        pstream_close(s->pstream);
        reconnect_destroy(s->reconnect);
        for (size_t i = 0; i < s->n_remotes; i++) {
            free(s->remotes[i]);
        }
        free(s->remotes);
        free(s);
    }
}

/* Drops the connection or connection attempt, if any. */
static void
jsonrpc_session_disconnect(struct jsonrpc_session *s)
{
    if (s->rpc) {
        jsonrpc_close(s->rpc);
        s->rpc = NULL;
    } else if (s->stream) {
        stream_close(s->stream);
        s->stream = NULL;
    } else {
        return;
    }
    s->seqno++;
    jsonrpc_session_pick_remote(s);
}

/* Takes over STREAM as the session's connection. */
static void
jsonrpc_session_start(struct jsonrpc_session *s, struct stream *stream)
{
    reconnect_connected(s->reconnect, time_msec());
    s->rpc = jsonrpc_open(stream);
    jsonrpc_set_max_backlog(s->rpc, s->max_backlog_bytes,
                            s->max_backlog_msgs);
    jsonrpc_set_max_msg_size(s->rpc, s->max_msg_size);
    s->seqno++;
}

static void
jsonrpc_session_connect(struct jsonrpc_session *s)
{
    long long int now = time_msec();
    const char *name;
    int error;

    jsonrpc_session_disconnect(s);
    name = reconnect_get_name(s->reconnect);
    if (!reconnect_is_passive(s->reconnect)) {
        error = stream_open(name, &s->stream);
        if (!error) {
            reconnect_connecting(s->reconnect, now);
        } else {
            s->last_error = error;
        }
    } else {
        error = s->pstream ? 0 : pstream_open(name, &s->pstream);
        if (!error) {
            reconnect_listening(s->reconnect, now);
        } else {
            s->last_error = error;
        }
    }

    if (error) {
        reconnect_connect_failed(s->reconnect, now, error);
        jsonrpc_session_pick_remote(s);
    }
    s->seqno++;
}

void
jsonrpc_session_run(struct jsonrpc_session *s)
{
    if (s->pstream) {
        struct stream *stream;
        int error = pstream_accept(s->pstream, &stream);

        if (!error) {
            if (s->rpc || s->stream) {
                VLOG_INFO_RL(&rl, "%s: new connection from %s replacing "
                             "the active connection",
                             reconnect_get_name(s->reconnect),
                             stream_get_name(stream));
                jsonrpc_session_disconnect(s);
            }
            jsonrpc_session_start(s, stream);
        } else if (error != EAGAIN) {
            reconnect_listen_error(s->reconnect, time_msec(), error);
            pstream_close(s->pstream);
            s->pstream = NULL;
            s->last_error = error;
        }
    }

    if (s->rpc) {
        size_t backlog = jsonrpc_get_backlog(s->rpc);
        int error;

        jsonrpc_run(s->rpc);
        if (jsonrpc_get_backlog(s->rpc) < backlog) {
            /* Data that had been waiting in the queue went out: the peer
             * is reading.  (Data sent at once does not count: kernel
             * buffers take a lot before a stalled peer shows.) */
            reconnect_activity(s->reconnect, time_msec());
        }

        error = jsonrpc_get_status(s->rpc);
        if (error) {
            reconnect_disconnected(s->reconnect, time_msec(), error);
            jsonrpc_session_disconnect(s);
            s->last_error = error;
        }
    } else if (s->stream) {
        int error;

        stream_run(s->stream);
        error = stream_connect(s->stream);
        if (!error) {
            struct stream *stream = s->stream;
            s->stream = NULL;
            jsonrpc_session_start(s, stream);
        } else if (error != EAGAIN) {
            reconnect_connect_failed(s->reconnect, time_msec(), error);
            stream_close(s->stream);
            s->stream = NULL;
            jsonrpc_session_pick_remote(s);
            s->last_error = error;
        }
    }

    switch (reconnect_run(s->reconnect, time_msec())) {
    case RECONNECT_CONNECT:
        jsonrpc_session_connect(s);
        break;

    case RECONNECT_DISCONNECT:
        reconnect_disconnected(s->reconnect, time_msec(), 0);
        jsonrpc_session_disconnect(s);
        break;

    case RECONNECT_PROBE:
        if (s->rpc) {
            struct jsonrpc_msg *request;

            COVERAGE_INC(jsonrpc_session_probe);
            request = jsonrpc_create_request("echo", json_array(), NULL);
            json_decref(request->id);
            request->id = json_string("echo");
            jsonrpc_send(s->rpc, request);
        }
        break;
    }
}

void
jsonrpc_session_wait(struct jsonrpc_session *s)
{
    if (s->rpc) {
        jsonrpc_wait(s->rpc);
    } else if (s->stream) {
        stream_run_wait(s->stream);
        stream_connect_wait(s->stream);
    }
    if (s->pstream) {
        pstream_wait(s->pstream);
    }
    reconnect_wait(s->reconnect, time_msec());
}

const char *
jsonrpc_session_get_name(const struct jsonrpc_session *s)
{
    return reconnect_get_name(s->reconnect);
}

size_t
jsonrpc_session_get_n_remotes(const struct jsonrpc_session *s)
{
    return s->n_remotes;
}

int
jsonrpc_session_send(struct jsonrpc_session *s, struct jsonrpc_msg *msg)
{
    if (!s->rpc) {
        jsonrpc_msg_destroy(msg);
        return ENOTCONN;
    }
    return jsonrpc_send(s->rpc, msg);
}

/* Returns true if MSG is the reply to one of our inactivity probes. */
static bool
is_probe_reply(const struct jsonrpc_msg *msg)
{
    return (msg->type == JSONRPC_REPLY && msg->id
            && json_is_string(msg->id)
            && !strcmp(json_string_value(msg->id), "echo"));
}

struct jsonrpc_msg *
jsonrpc_session_recv(struct jsonrpc_session *s)
{
    for (int i = 0; s->rpc && i < MAX_ECHOES_PER_RECV; i++) {
        unsigned long long int received = jsonrpc_get_received_bytes(s->rpc);
        struct jsonrpc_msg *msg;
        int error;

        error = jsonrpc_recv(s->rpc, &msg);

        long long int now = time_msec();
        reconnect_receive_attempted(s->reconnect, now);
        if (received != jsonrpc_get_received_bytes(s->rpc)) {
            /* Any data counts as activity, not only whole messages, so
             * that a large message on a slow link does not look like a
             * dead peer. */
            reconnect_activity(s->reconnect, now);
        }
        if (error) {
            /* EAGAIN, or a failure that jsonrpc_session_run() handles. */
            return NULL;
        }

        if (msg->type == JSONRPC_REQUEST && !strcmp(msg->method, "echo")) {
            COVERAGE_INC(jsonrpc_session_echo_reply);
            jsonrpc_send(s->rpc, jsonrpc_create_reply(
                             json_incref(msg->params), msg->id));
        } else if (!is_probe_reply(msg)) {
            return msg;
        }
        jsonrpc_msg_destroy(msg);
    }
    /* More echoes may be buffered: jsonrpc_recv_wait() then wakes the loop
     * at once. */
    return NULL;
}

void
jsonrpc_session_recv_wait(struct jsonrpc_session *s)
{
    if (s->rpc) {
        jsonrpc_recv_wait(s->rpc);
    }
}

size_t
jsonrpc_session_get_backlog(const struct jsonrpc_session *s)
{
    return s->rpc ? jsonrpc_get_backlog(s->rpc) : 0;
}

bool
jsonrpc_session_is_alive(const struct jsonrpc_session *s)
{
    return (s->rpc || s->stream
            || reconnect_get_max_tries(s->reconnect) > 0);
}

bool
jsonrpc_session_is_connected(const struct jsonrpc_session *s)
{
    return s->rpc != NULL;
}

unsigned int
jsonrpc_session_get_seqno(const struct jsonrpc_session *s)
{
    return s->seqno;
}

int
jsonrpc_session_get_status(const struct jsonrpc_session *s)
{
    return s && s->rpc ? jsonrpc_get_status(s->rpc) : 0;
}

int
jsonrpc_session_get_last_error(const struct jsonrpc_session *s)
{
    return s->last_error;
}

void
jsonrpc_session_get_reconnect_stats(const struct jsonrpc_session *s,
                                    struct reconnect_stats *stats)
{
    reconnect_get_stats(s->reconnect, time_msec(), stats);
}

void
jsonrpc_session_force_reconnect(struct jsonrpc_session *s)
{
    reconnect_force_reconnect(s->reconnect, time_msec());
}

void
jsonrpc_session_enable_reconnect(struct jsonrpc_session *s)
{
    reconnect_set_max_tries(s->reconnect, UINT_MAX);
    reconnect_set_backoff(s->reconnect, RECONNECT_DEFAULT_MIN_BACKOFF,
                          RECONNECT_DEFAULT_MAX_BACKOFF);
}

void
jsonrpc_session_set_backoff(struct jsonrpc_session *s, int min_backoff,
                            int max_backoff)
{
    reconnect_set_backoff(s->reconnect, min_backoff, max_backoff);
}

void
jsonrpc_session_set_probe_interval(struct jsonrpc_session *s,
                                   int probe_interval)
{
    reconnect_set_probe_interval(s->reconnect, probe_interval);
}

void
jsonrpc_session_set_max_backlog(struct jsonrpc_session *s, size_t max_bytes,
                                size_t max_msgs)
{
    s->max_backlog_bytes = max_bytes;
    s->max_backlog_msgs = max_msgs;
    if (s->rpc) {
        jsonrpc_set_max_backlog(s->rpc, max_bytes, max_msgs);
    }
}

void
jsonrpc_session_set_max_msg_size(struct jsonrpc_session *s, size_t max)
{
    s->max_msg_size = max;
    if (s->rpc) {
        jsonrpc_set_max_msg_size(s->rpc, max);
    }
}
