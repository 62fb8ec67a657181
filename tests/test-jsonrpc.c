/* Test driver for streams (unix, tcp, ssl), jsonrpc and jsonrpc_session.
 *
 *   test-jsonrpc [OPTIONS] COMMAND [ARG...]
 *
 * Commands:
 *   listen PSTREAM...
 *       A JSON-RPC server on each listener (as a daemon with --detach).
 *       Prints "listening on NAME" for each, with the bound port, before
 *       detaching.  Each accepted connection becomes a jsonrpc_session, so
 *       "echo" requests are answered (with their params); any other request
 *       gets an error reply.  Logs "NAME: accepted" and why each
 *       connection ended.  unixctl: n-conns, exit.
 *   session REMOTE
 *       A jsonrpc_session on REMOTE (active, passive or a list), as a
 *       daemon with --detach; logs "connected" and "disconnected" with the
 *       seqno.  Requests other than "echo" get an error reply.  unixctl:
 *         session/status                 name, state, seqno, backoff...
 *         session/request METHOD PARAMS  replies with the reply's wire form
 *         session/notify METHOD PARAMS
 *         session/flood N SIZE           queues N notifications carrying
 *                                        SIZE bytes each
 *         session/force-reconnect
 *         session/set-probe-interval MSECS
 *         exit
 *   request REMOTE METHOD PARAMS   sends a request and prints the reply's
 *                                  wire form.
 *   notify REMOTE METHOD PARAMS    sends a notification.
 *   echo REMOTE SIZE [COUNT]       sends COUNT (default 1) "echo" requests
 *                                  with a SIZE-byte string full of
 *                                  characters that need escaping, checks
 *                                  that each reply carries it back intact.
 *   send-raw REMOTE TEXT           sends TEXT as bytes (--chunk=N bytes at
 *                                  a time, --delay=MSECS apart), then
 *                                  prints what comes back until the peer
 *                                  closes the connection, --replies=N
 *                                  complete messages arrived, or
 *                                  --timeout.
 *   hold REMOTE [TEXT]             connects, sends TEXT, prints "holding",
 *                                  then never reads, until killed.
 *   probes NAME...                 prints whether each needs probes.
 *
 * Options: --private-key, --certificate, --ca-cert (SSL), --sndbuf=BYTES
 * and --rcvbuf=BYTES (socket buffers of every stream), --max-msg-size=N,
 * --default-port=PORT (for names without one), --timeout=MSECS (blocking
 * client commands, default 10000), --chunk=N, --delay=MSECS, --replies=N,
 * --unixctl=PATH, daemon and vlog options. */
#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "command-line.h"
#include "daemon.h"
#include "dynamic-string.h"
#include "jsonrpc.h"
#include "jsonrpc-session.h"
#include "poll-loop.h"
#include "reconnect.h"
#include "stream.h"
#include "stream-ssl.h"
#include "timeval.h"
#include "unixctl.h"
#include "util.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(test_jsonrpc);

static void usage(void) VS_NO_RETURN;

static const char *unixctl_path;
static int sndbuf, rcvbuf;
static size_t max_msg_size = JSONRPC_DEFAULT_MAX_MSG_SIZE;
static int default_port = -1;
static long long int timeout_msec = 10000;
static unsigned int chunk_size;
static unsigned int delay_msec;
static unsigned int n_replies;
static bool exiting;

static json_t *
parse_json_arg(const char *s)
{
    json_error_t error;
    json_t *json = json_loads(s, JSON_DECODE_ANY, &error);
    if (!json) {
        vs_fatal(0, "%s: bad JSON (%s)", s, error.text);
    }
    return json;
}

static void
set_buffers(struct stream *stream)
{
    if (sndbuf || rcvbuf) {
        int error = stream_set_socket_buffers(stream, sndbuf, rcvbuf);
        if (error) {
            VLOG_WARN("%s: could not set socket buffers (%s)",
                      stream_get_name(stream), vs_strerror(error));
        }
    }
}

/* Opens REMOTE and waits for the connection.  Exits on failure. */
static struct stream *
open_stream(const char *remote)
{
    struct stream *stream;
    int error;

    error = (default_port >= 0
             ? stream_open_with_default_ports(remote, default_port,
                                              default_port, &stream)
             : stream_open(remote, &stream));
    error = stream_open_block(error, timeout_msec, &stream);
    if (error) {
        vs_fatal(0, "%s: connection failed (%s)", remote,
                 vs_strerror(error));
    }
    set_buffers(stream);
    return stream;
}

static struct jsonrpc *
open_jsonrpc(const char *remote)
{
    struct jsonrpc *rpc = jsonrpc_open(open_stream(remote));
    jsonrpc_set_max_msg_size(rpc, max_msg_size);
    return rpc;
}

static void
print_msg(const struct jsonrpc_msg *msg)
{
    char *s = jsonrpc_msg_to_string(msg);
    printf("%s\n", s);
    free(s);
}

/* Answers REQUEST, which is not an "echo" (those are answered by the
 * session). */
static void
answer_request(struct jsonrpc_session *s, const struct jsonrpc_msg *request)
{
    json_t *error = json_pack("{s:s}", "error", "unknown method");
    jsonrpc_session_send(s, jsonrpc_create_error(error, request->id));
}

static void
handle_received(struct jsonrpc_session *s, struct jsonrpc_msg *msg)
{
    if (msg->type == JSONRPC_REQUEST) {
        answer_request(s, msg);
    } else {
        VLOG_DBG("%s: received %s", jsonrpc_session_get_name(s),
                 jsonrpc_msg_type_to_string(msg->type));
    }
}

static void
unixctl_exit(struct unixctl_conn *conn, int argc VS_UNUSED,
             const char *argv[] VS_UNUSED, void *aux VS_UNUSED)
{
    exiting = true;
    unixctl_command_reply(conn, NULL);
}

static struct unixctl_server *
start_unixctl(void)
{
    struct unixctl_server *server;
    int error = unixctl_server_create(unixctl_path, &server);
    if (error) {
        vs_fatal(error, "could not create unixctl server");
    }
    unixctl_command_register("exit", "", 0, 0, unixctl_exit, NULL);
    return server;
}

/* "listen". */

struct server_conn {
    struct jsonrpc_session *js;
    char *name;
};

static struct server_conn *conns;
static size_t n_conns, allocated_conns;

static void
unixctl_n_conns(struct unixctl_conn *conn, int argc VS_UNUSED,
                const char *argv[] VS_UNUSED, void *aux VS_UNUSED)
{
    char *s = xasprintf("%zu", n_conns);
    unixctl_command_reply(conn, s);
    free(s);
}

static int
do_listen(int argc, char *argv[])
{
    struct pstream **listeners;
    int n_listeners = argc - 1;

    if (n_listeners < 1) {
        usage();
    }

    daemonize_start();
    listeners = xmalloc(n_listeners * sizeof *listeners);
    for (int i = 0; i < n_listeners; i++) {
        int error = (default_port >= 0
                     ? pstream_open_with_default_ports(argv[i + 1],
                                                       default_port,
                                                       default_port,
                                                       &listeners[i])
                     : pstream_open(argv[i + 1], &listeners[i]));
        if (error) {
            vs_fatal(0, "%s: listen failed (%s)", argv[i + 1],
                     vs_strerror(error));
        }
        printf("listening on %s\n", pstream_get_name(listeners[i]));
    }
    fflush(stdout);

    struct unixctl_server *unixctl = start_unixctl();
    unixctl_command_register("n-conns", "", 0, 0, unixctl_n_conns, NULL);
    daemonize_complete();

    while (!exiting) {
        for (int i = 0; i < n_listeners; i++) {
            for (int j = 0; j < 10; j++) {
                struct stream *stream;
                int error = pstream_accept(listeners[i], &stream);
                if (error) {
                    if (error != EAGAIN) {
                        VLOG_WARN("%s: accept failed (%s)",
                                  pstream_get_name(listeners[i]),
                                  vs_strerror(error));
                    }
                    break;
                }
                VLOG_INFO("%s: accepted", stream_get_name(stream));
                set_buffers(stream);

                struct jsonrpc *rpc = jsonrpc_open(stream);
                jsonrpc_set_max_msg_size(rpc, max_msg_size);
                if (n_conns >= allocated_conns) {
                    allocated_conns = allocated_conns * 2 + 4;
                    conns = xrealloc(conns, allocated_conns * sizeof *conns);
                }
                conns[n_conns].name = xstrdup(stream_get_name(stream));
                conns[n_conns].js = jsonrpc_session_open_unreliably(rpc);
                n_conns++;
            }
        }

        for (size_t i = 0; i < n_conns; ) {
            struct server_conn *c = &conns[i];

            jsonrpc_session_run(c->js);
            for (int j = 0; j < 50; j++) {
                struct jsonrpc_msg *msg = jsonrpc_session_recv(c->js);
                if (!msg) {
                    break;
                }
                handle_received(c->js, msg);
                jsonrpc_msg_destroy(msg);
            }
            if (!jsonrpc_session_is_alive(c->js)) {
                int error = jsonrpc_session_get_last_error(c->js);
                VLOG_INFO("%s: connection ended (%s)", c->name,
                          error == EOF ? "closed by peer"
                          : vs_strerror(error));
                jsonrpc_session_close(c->js);
                free(c->name);
                conns[i] = conns[--n_conns];
            } else {
                i++;
            }
        }

        unixctl_server_run(unixctl);
        if (exiting) {
            break;
        }

        for (int i = 0; i < n_listeners; i++) {
            pstream_wait(listeners[i]);
        }
        for (size_t i = 0; i < n_conns; i++) {
            jsonrpc_session_wait(conns[i].js);
            jsonrpc_session_recv_wait(conns[i].js);
        }
        unixctl_server_wait(unixctl);
        poll_block();
    }

    unixctl_server_run(unixctl);
    unixctl_server_destroy(unixctl);
    for (size_t i = 0; i < n_conns; i++) {
        jsonrpc_session_close(conns[i].js);
        free(conns[i].name);
    }
    for (int i = 0; i < n_listeners; i++) {
        pstream_close(listeners[i]);
    }
    free(listeners);
    free(conns);
    return 0;
}

/* "session". */

struct pending_request {
    json_t *id;
    struct unixctl_conn *conn;
};

static struct jsonrpc_session *the_session;
static struct pending_request *pending;
static size_t n_pending, allocated_pending;

static void
fail_pending_requests(const char *why)
{
    for (size_t i = 0; i < n_pending; i++) {
        unixctl_command_reply_error(pending[i].conn, why);
        json_decref(pending[i].id);
    }
    n_pending = 0;
}

static void
session_status(struct unixctl_conn *conn, int argc VS_UNUSED,
               const char *argv[] VS_UNUSED, void *aux VS_UNUSED)
{
    struct jsonrpc_session *s = the_session;
    struct reconnect_stats stats;
    struct ds ds = DS_EMPTY_INITIALIZER;
    int last_error = jsonrpc_session_get_last_error(s);

    jsonrpc_session_get_reconnect_stats(s, &stats);
    ds_put_format(&ds, "name: %s\n", jsonrpc_session_get_name(s));
    ds_put_format(&ds, "connected: %s\n",
                  jsonrpc_session_is_connected(s) ? "yes" : "no");
    ds_put_format(&ds, "state: %s\n", stats.state);
    ds_put_format(&ds, "seqno: %u\n", jsonrpc_session_get_seqno(s));
    ds_put_format(&ds, "backoff: %d\n", stats.backoff);
    ds_put_format(&ds, "attempts: %u\n", stats.n_attempted_connections);
    ds_put_format(&ds, "successes: %u\n", stats.n_successful_connections);
    ds_put_format(&ds, "last error: %s\n",
                  !last_error ? "none"
                  : last_error == EOF ? "closed by peer"
                  : vs_strerror(last_error));
    unixctl_command_reply(conn, ds_cstr(&ds));
    ds_destroy(&ds);
}

static void
session_request(struct unixctl_conn *conn, int argc VS_UNUSED,
                const char *argv[], void *aux VS_UNUSED)
{
    json_t *id;

    if (!jsonrpc_session_is_connected(the_session)) {
        unixctl_command_reply_error(conn, "not connected");
        return;
    }
    struct jsonrpc_msg *request = jsonrpc_create_request(
        argv[1], parse_json_arg(argv[2]), &id);
    if (n_pending >= allocated_pending) {
        allocated_pending = allocated_pending * 2 + 4;
        pending = xrealloc(pending, allocated_pending * sizeof *pending);
    }
    pending[n_pending].id = id;
    pending[n_pending].conn = conn;
    n_pending++;
    jsonrpc_session_send(the_session, request);
}

static void
session_notify(struct unixctl_conn *conn, int argc VS_UNUSED,
               const char *argv[], void *aux VS_UNUSED)
{
    int error = jsonrpc_session_send(
        the_session, jsonrpc_create_notify(argv[1],
                                           parse_json_arg(argv[2])));
    if (error) {
        unixctl_command_reply_error(conn, vs_strerror(error));
    } else {
        unixctl_command_reply(conn, NULL);
    }
}

static void
session_flood(struct unixctl_conn *conn, int argc VS_UNUSED,
              const char *argv[], void *aux VS_UNUSED)
{
    unsigned int n, size;

    if (!str_to_uint(argv[1], &n) || !str_to_uint(argv[2], &size)) {
        unixctl_command_reply_error(conn, "bad arguments");
        return;
    }

    char *payload = xmalloc(size + 1);
    memset(payload, 'x', size);
    payload[size] = '\0';
    unsigned int sent = 0;
    for (; sent < n; sent++) {
        json_t *params = json_pack("[s]", payload);
        if (jsonrpc_session_send(the_session,
                                 jsonrpc_create_notify("flood", params))) {
            break;
        }
    }
    free(payload);

    char *reply = xasprintf("queued %u, backlog %zu bytes", sent,
                            jsonrpc_session_get_backlog(the_session));
    unixctl_command_reply(conn, reply);
    free(reply);
}

static void
session_force_reconnect(struct unixctl_conn *conn, int argc VS_UNUSED,
                        const char *argv[] VS_UNUSED, void *aux VS_UNUSED)
{
    jsonrpc_session_force_reconnect(the_session);
    unixctl_command_reply(conn, NULL);
}

static void
session_set_probe_interval(struct unixctl_conn *conn, int argc VS_UNUSED,
                           const char *argv[], void *aux VS_UNUSED)
{
    int msecs;

    if (!str_to_int(argv[1], &msecs) || msecs < 0) {
        unixctl_command_reply_error(conn, "bad MSECS");
        return;
    }
    jsonrpc_session_set_probe_interval(the_session, msecs);
    unixctl_command_reply(conn, NULL);
}

static void
session_got_reply(struct jsonrpc_msg *msg)
{
    for (size_t i = 0; i < n_pending; i++) {
        if (json_equal(pending[i].id, msg->id)) {
            char *s = jsonrpc_msg_to_string(msg);
            unixctl_command_reply(pending[i].conn, s);
            free(s);
            json_decref(pending[i].id);
            pending[i] = pending[--n_pending];
            return;
        }
    }
    VLOG_WARN("received reply with unknown id");
}

static int
do_session(int argc, char *argv[])
{
    if (argc != 2) {
        usage();
    }

    daemonize_start();
    struct unixctl_server *unixctl = start_unixctl();
    unixctl_command_register("session/status", "", 0, 0, session_status,
                             NULL);
    unixctl_command_register("session/request", "METHOD PARAMS", 2, 2,
                             session_request, NULL);
    unixctl_command_register("session/notify", "METHOD PARAMS", 2, 2,
                             session_notify, NULL);
    unixctl_command_register("session/flood", "N SIZE", 2, 2,
                             session_flood, NULL);
    unixctl_command_register("session/force-reconnect", "", 0, 0,
                             session_force_reconnect, NULL);
    unixctl_command_register("session/set-probe-interval", "MSECS", 1, 1,
                             session_set_probe_interval, NULL);

    the_session = jsonrpc_session_open(argv[1], true);
    jsonrpc_session_set_max_msg_size(the_session, max_msg_size);
    daemonize_complete();

    unsigned int seqno = jsonrpc_session_get_seqno(the_session);
    bool was_connected = false;
    while (!exiting) {
        jsonrpc_session_run(the_session);

        unsigned int new_seqno = jsonrpc_session_get_seqno(the_session);
        bool connected = jsonrpc_session_is_connected(the_session);
        if (new_seqno != seqno) {
            if (connected != was_connected || connected) {
                VLOG_INFO("%s (seqno %u)",
                          connected ? "connected" : "disconnected",
                          new_seqno);
            }
            if (!connected) {
                fail_pending_requests("connection lost");
            }
            seqno = new_seqno;
            was_connected = connected;
        }

        for (int i = 0; i < 50; i++) {
            struct jsonrpc_msg *msg = jsonrpc_session_recv(the_session);
            if (!msg) {
                break;
            }
            if (msg->type == JSONRPC_REPLY || msg->type == JSONRPC_ERROR) {
                session_got_reply(msg);
            } else {
                handle_received(the_session, msg);
            }
            jsonrpc_msg_destroy(msg);
        }

        unixctl_server_run(unixctl);
        if (exiting) {
            break;
        }

        jsonrpc_session_wait(the_session);
        jsonrpc_session_recv_wait(the_session);
        unixctl_server_wait(unixctl);
        poll_block();
    }

    fail_pending_requests("exiting");
    unixctl_server_run(unixctl);
    unixctl_server_destroy(unixctl);
    jsonrpc_session_close(the_session);
    free(pending);
    return 0;
}

/* Client commands. */

static int
do_request(int argc, char *argv[])
{
    struct jsonrpc_msg *reply;
    int error;

    if (argc != 4) {
        usage();
    }
    struct jsonrpc *rpc = open_jsonrpc(argv[1]);
    error = jsonrpc_transact_block(
        rpc, jsonrpc_create_request(argv[2], parse_json_arg(argv[3]), NULL),
        &reply);
    if (error) {
        vs_fatal(0, "%s: transaction failed (%s)", argv[1],
                 error == EOF ? "connection closed by peer"
                 : vs_strerror(error));
    }
    print_msg(reply);
    jsonrpc_msg_destroy(reply);
    jsonrpc_close(rpc);
    return 0;
}

static int
do_notify(int argc, char *argv[])
{
    if (argc != 4) {
        usage();
    }
    struct jsonrpc *rpc = open_jsonrpc(argv[1]);
    int error = jsonrpc_send_block(
        rpc, jsonrpc_create_notify(argv[2], parse_json_arg(argv[3])));
    if (error) {
        vs_fatal(0, "%s: send failed (%s)", argv[1], vs_strerror(error));
    }
    /* Let TLS flush its buffered records, then close. */
    for (int i = 0; i < 10; i++) {
        jsonrpc_run(rpc);
    }
    jsonrpc_close(rpc);
    return 0;
}

/* Fills BUF with N pseudo-random bytes of text that exercise the framer:
 * braces, brackets, quotes, backslashes, control characters and non-ASCII
 * characters (UTF-8) among letters. */
static char *
make_payload(size_t n, unsigned int seed)
{
    static const char *const pieces[] = {
        "{", "}", "[", "]", "\"", "\\", "\n", "\t", "\x01", "/",
        "\xc3\xa9", "\xe2\x98\x83", "a", "b", "0", " ", ":", ",",
    };
    char *s = xmalloc(n + 1);
    size_t len = 0;

    while (len < n) {
        seed = seed * 1103515245 + 12345;
        const char *piece = pieces[(seed >> 16) % ARRAY_SIZE(pieces)];
        size_t plen = strlen(piece);
        if (len + plen > n) {
            piece = "x";
            plen = 1;
        }
        memcpy(s + len, piece, plen);
        len += plen;
    }
    s[len] = '\0';
    return s;
}

static int
do_echo(int argc, char *argv[])
{
    unsigned int size, count = 1;

    if (argc < 3 || argc > 4 || !str_to_uint(argv[2], &size)
        || (argc > 3 && !str_to_uint(argv[3], &count))) {
        usage();
    }

    struct jsonrpc *rpc = open_jsonrpc(argv[1]);
    for (unsigned int i = 0; i < count; i++) {
        char *payload = make_payload(size, i + 1);
        json_t *params = json_array();
        json_array_append_new(params, json_string(payload));
        json_t *expected = json_deep_copy(params);

        struct jsonrpc_msg *reply;
        int error = jsonrpc_transact_block(
            rpc, jsonrpc_create_request("echo", params, NULL), &reply);
        if (error) {
            vs_fatal(0, "%s: echo %u failed (%s)", argv[1], i,
                     error == EOF ? "connection closed by peer"
                     : vs_strerror(error));
        }
        if (reply->type != JSONRPC_REPLY
            || !json_equal(reply->result, expected)) {
            vs_fatal(0, "%s: echo %u: reply differs", argv[1], i);
        }
        jsonrpc_msg_destroy(reply);
        json_decref(expected);
        free(payload);
    }
    printf("%u echoes of %u bytes: ok\n", count, size);
    jsonrpc_close(rpc);
    return 0;
}

static int
do_send_raw(int argc, char *argv[])
{
    if (argc != 3) {
        usage();
    }
    struct stream *stream = open_stream(argv[1]);
    const char *text = argv[2];
    size_t len = strlen(text);
    size_t ofs = 0;
    long long int deadline = time_msec() + timeout_msec;

    while (ofs < len) {
        size_t n = chunk_size ? MIN(chunk_size, len - ofs) : len - ofs;
        ssize_t retval;

        for (;;) {
            stream_run(stream);
            retval = stream_send(stream, text + ofs, n);
            if (retval != -EAGAIN) {
                break;
            }
            stream_run_wait(stream);
            stream_send_wait(stream);
            poll_block();
        }
        if (retval < 0) {
            vs_fatal(0, "%s: send failed (%s)", argv[1],
                     vs_strerror(-retval));
        }
        ofs += retval;
        if (delay_msec && ofs < len) {
            /* Let the bytes go out on their own. */
            for (int i = 0; i < 100; i++) {
                stream_run(stream);
            }
            xsleep_msec(delay_msec);
        }
    }

    /* Print what comes back until EOF or enough replies. */
    struct json_framer *framer = json_framer_create(0);
    unsigned int n_received = 0;
    for (;;) {
        char buf[4096];
        ssize_t retval;

        if (n_replies && n_received >= n_replies) {
            printf("\n");
            break;
        }
        stream_run(stream);
        retval = stream_recv(stream, buf, sizeof buf);
        if (retval > 0) {
            fwrite(buf, 1, retval, stdout);
            for (size_t used = 0; used < (size_t) retval; ) {
                used += json_framer_feed(framer, buf + used, retval - used);
                if (json_framer_is_done(framer)) {
                    char *error;
                    json_decref(json_framer_take(framer, &error));
                    free(error);
                    n_received++;
                } else if (json_framer_get_error(framer)) {
                    break;
                }
            }
            continue;
        } else if (retval == 0) {
            printf("\n(connection closed)\n");
            break;
        } else if (retval != -EAGAIN) {
            printf("\n(connection failed: %s)\n", vs_strerror(-retval));
            break;
        }
        if (time_msec() >= deadline) {
            printf("\n(timeout)\n");
            break;
        }
        stream_run_wait(stream);
        stream_recv_wait(stream);
        poll_timer_wait_until(deadline);
        poll_block();
    }
    json_framer_destroy(framer);
    stream_close(stream);
    return 0;
}

static int
do_hold(int argc, char *argv[])
{
    if (argc < 2 || argc > 3) {
        usage();
    }
    struct stream *stream = open_stream(argv[1]);
    if (argc > 2) {
        const char *text = argv[2];
        size_t len = strlen(text), ofs = 0;
        while (ofs < len) {
            stream_run(stream);
            ssize_t retval = stream_send(stream, text + ofs, len - ofs);
            if (retval > 0) {
                ofs += retval;
            } else if (retval == -EAGAIN) {
                stream_run_wait(stream);
                stream_send_wait(stream);
                poll_block();
            } else {
                vs_fatal(0, "%s: send failed (%s)", argv[1],
                         vs_strerror(-retval));
            }
        }
        for (int i = 0; i < 100; i++) {
            stream_run(stream);
        }
    }
    printf("holding\n");
    fflush(stdout);
    for (;;) {
        pause();
    }
}

static int
do_probes(int argc, char *argv[])
{
    for (int i = 1; i < argc; i++) {
        const char *name = argv[i];
        printf("%s: %s, %s\n", name,
               !stream_verify_name(name) ? "active"
               : !pstream_verify_name(name) ? "passive" : "unknown",
               stream_or_pstream_needs_probes(name) ? "probes"
               : "no probes");
    }
    return 0;
}

static void
usage(void)
{
    printf("usage: %s [OPTIONS] listen|session|request|notify|echo|"
           "send-raw|hold|probes ...\n"
           "(see the comment at the top of tests/test-jsonrpc.c)\n",
           program_name);
    exit(EXIT_FAILURE);
}

static void
parse_options(int argc, char *argv[])
{
    enum {
        OPT_UNIXCTL = UCHAR_MAX + 1,
        OPT_SNDBUF,
        OPT_RCVBUF,
        OPT_MAX_MSG_SIZE,
        OPT_DEFAULT_PORT,
        OPT_TIMEOUT,
        OPT_CHUNK,
        OPT_DELAY,
        OPT_REPLIES,
        STREAM_SSL_OPTION_ENUMS,
        VLOG_OPTION_ENUMS,
        DAEMON_OPTION_ENUMS
    };
    static const struct option long_options[] = {
        {"unixctl", required_argument, NULL, OPT_UNIXCTL},
        {"sndbuf", required_argument, NULL, OPT_SNDBUF},
        {"rcvbuf", required_argument, NULL, OPT_RCVBUF},
        {"max-msg-size", required_argument, NULL, OPT_MAX_MSG_SIZE},
        {"default-port", required_argument, NULL, OPT_DEFAULT_PORT},
        {"timeout", required_argument, NULL, OPT_TIMEOUT},
        {"chunk", required_argument, NULL, OPT_CHUNK},
        {"delay", required_argument, NULL, OPT_DELAY},
        {"replies", required_argument, NULL, OPT_REPLIES},
        {"help", no_argument, NULL, 'h'},
        STREAM_SSL_LONG_OPTIONS,
        DAEMON_LONG_OPTIONS,
        VLOG_LONG_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    unsigned int u;

    for (;;) {
        int c = getopt_long(argc, argv, "+hv::", long_options, NULL);
        if (c == -1) {
            break;
        }
        switch (c) {
        case OPT_UNIXCTL:
            unixctl_path = optarg;
            break;
        case OPT_SNDBUF:
        case OPT_RCVBUF:
        case OPT_MAX_MSG_SIZE:
        case OPT_DEFAULT_PORT:
        case OPT_TIMEOUT:
        case OPT_CHUNK:
        case OPT_DELAY:
        case OPT_REPLIES:
            if (!str_to_uint(optarg, &u)) {
                vs_fatal(0, "%s: bad number", optarg);
            }
            if (c == OPT_SNDBUF) {
                sndbuf = u;
            } else if (c == OPT_RCVBUF) {
                rcvbuf = u;
            } else if (c == OPT_MAX_MSG_SIZE) {
                max_msg_size = u;
            } else if (c == OPT_DEFAULT_PORT) {
                default_port = u;
            } else if (c == OPT_TIMEOUT) {
                timeout_msec = u;
            } else if (c == OPT_CHUNK) {
                chunk_size = u;
            } else if (c == OPT_REPLIES) {
                n_replies = u;
            } else {
                delay_msec = u;
            }
            break;
        case 'h':
            usage();
        STREAM_SSL_OPTION_HANDLERS
        DAEMON_OPTION_HANDLERS
        VLOG_OPTION_HANDLERS
        case '?':
            exit(EXIT_FAILURE);
        default:
            vs_abort(0, "unexpected option %d", c);
        }
    }
}

int
main(int argc, char *argv[])
{
    set_program_name(argv[0]);
    signal(SIGPIPE, SIG_IGN);
    parse_options(argc, argv);

    argc -= optind;
    argv += optind;
    if (argc < 1) {
        usage();
    }

    const char *cmd = argv[0];
    if (!strcmp(cmd, "listen")) {
        return do_listen(argc, argv);
    } else if (!strcmp(cmd, "session")) {
        return do_session(argc, argv);
    } else if (!strcmp(cmd, "request")) {
        return do_request(argc, argv);
    } else if (!strcmp(cmd, "notify")) {
        return do_notify(argc, argv);
    } else if (!strcmp(cmd, "echo")) {
        return do_echo(argc, argv);
    } else if (!strcmp(cmd, "send-raw")) {
        return do_send_raw(argc, argv);
    } else if (!strcmp(cmd, "hold")) {
        return do_hold(argc, argv);
    } else if (!strcmp(cmd, "probes")) {
        return do_probes(argc, argv);
    }
    usage();
}
