/* Test driver for jsonrpc framing/messages and the unixctl server.
 *
 *   test-unixctl [server] [--unixctl=PATH] [DAEMON/VLOG OPTIONS]
 *       A unixctl server (the default when the first argument is an
 *       option, so that "vs_start_daemon test-unixctl" works) with extra
 *       commands for tests:
 *         echo [ARG...]         replies with ARGs joined by spaces
 *         echo-error [ARG...]   the same, as an error reply
 *         block MSECS [TEXT]    replies TEXT (default "done") after MSECS
 *         big N                 replies with N bytes of 'x'
 *         n-conns               replies with the number of connections
 *         exit                  exits
 *   test-unixctl parse [--chunk=N] [--max=N] < INPUT
 *       Frames INPUT as back-to-back JSON-RPC messages, feeding it N bytes
 *       at a time, and prints each message in compact JSON, or the error.
 *   test-unixctl create request|notify|reply|error ARG JSON [JSON]
 *       Builds a message and prints its wire form.
 *   test-unixctl clients N SOCKET COMMAND [ARG...]
 *       Opens N connections at once, sends COMMAND on each, waits for all
 *       replies, and prints how many were answered and how.
 *   test-unixctl send SOCKET TEXT      sends TEXT raw, prints what comes
 *                                      back until the server closes.
 *   test-unixctl send-big SOCKET N     sends one request with an N-byte
 *                                      argument, then as "send".
 *   test-unixctl hold SOCKET TEXT [N]  sends TEXT N times (default 1), then
 *                                      sleeps without reading until killed.
 *   test-unixctl connect-many SOCKET N opens N connections, then sleeps
 *                                      until killed.
 */
#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "daemon.h"
#include "dynamic-string.h"
#include "jsonrpc.h"
#include "poll-loop.h"
#include "socket-util.h"
#include "stream.h"
#include "timeval.h"
#include "unixctl.h"
#include "util.h"
#include "vlog.h"

static void usage(void) VS_NO_RETURN;

/* "server". */

struct deferred {
    struct unixctl_conn *conn;
    long long int when;
    char *text;
};

static struct deferred *deferred;
static size_t n_deferred, allocated_deferred;
static bool exiting;
static struct unixctl_server *the_server;

static void
join_args(struct ds *ds, int argc, const char *argv[])
{
    for (int i = 1; i < argc; i++) {
        if (i > 1) {
            ds_put_char(ds, ' ');
        }
        ds_put_cstr(ds, argv[i]);
    }
}

static void
cmd_echo(struct unixctl_conn *conn, int argc, const char *argv[],
         void *aux VS_UNUSED)
{
    struct ds ds = DS_EMPTY_INITIALIZER;
    join_args(&ds, argc, argv);
    unixctl_command_reply(conn, ds_cstr(&ds));
    ds_destroy(&ds);
}

static void
cmd_echo_error(struct unixctl_conn *conn, int argc, const char *argv[],
               void *aux VS_UNUSED)
{
    struct ds ds = DS_EMPTY_INITIALIZER;
    join_args(&ds, argc, argv);
    unixctl_command_reply_error(conn, ds_cstr(&ds));
    ds_destroy(&ds);
}

static void
cmd_block(struct unixctl_conn *conn, int argc, const char *argv[],
          void *aux VS_UNUSED)
{
    long long int msecs;

    if (!str_to_llong(argv[1], &msecs) || msecs < 0) {
        unixctl_command_reply_error(conn, "block: bad MSECS");
        return;
    }
    if (n_deferred >= allocated_deferred) {
        allocated_deferred = allocated_deferred * 2 + 4;
        deferred = xrealloc(deferred, allocated_deferred * sizeof *deferred);
    }
    struct deferred *d = &deferred[n_deferred++];
    d->conn = conn;
    d->when = time_msec() + msecs;
    d->text = xstrdup(argc > 2 ? argv[2] : "done");
}

static void
cmd_big(struct unixctl_conn *conn, int argc VS_UNUSED, const char *argv[],
        void *aux VS_UNUSED)
{
    unsigned int n;

    if (!str_to_uint(argv[1], &n)) {
        unixctl_command_reply_error(conn, "big: bad N");
        return;
    }
    char *s = xmalloc(n + 1);
    memset(s, 'x', n);
    s[n] = '\0';
    unixctl_command_reply(conn, s);
    free(s);
}

static void
cmd_n_conns(struct unixctl_conn *conn, int argc VS_UNUSED,
            const char *argv[] VS_UNUSED, void *aux VS_UNUSED)
{
    char *s = xasprintf("%u", unixctl_server_n_conns(the_server));
    unixctl_command_reply(conn, s);
    free(s);
}

static void
cmd_exit(struct unixctl_conn *conn, int argc VS_UNUSED,
         const char *argv[] VS_UNUSED, void *aux VS_UNUSED)
{
    exiting = true;
    unixctl_command_reply(conn, NULL);
}

static void
run_deferred(void)
{
    long long int now = time_msec();

    for (size_t i = 0; i < n_deferred; ) {
        struct deferred *d = &deferred[i];
        if (d->when <= now) {
            unixctl_command_reply(d->conn, d->text);
            free(d->text);
            deferred[i] = deferred[--n_deferred];
        } else {
            i++;
        }
    }
}

static void
wait_deferred(void)
{
    for (size_t i = 0; i < n_deferred; i++) {
        poll_timer_wait_until(deferred[i].when);
    }
}

static int
do_server(int argc, char *argv[])
{
    enum {
        OPT_UNIXCTL = UCHAR_MAX + 1,
        VLOG_OPTION_ENUMS,
        DAEMON_OPTION_ENUMS
    };
    static const struct option long_options[] = {
        {"unixctl", required_argument, NULL, OPT_UNIXCTL},
        DAEMON_LONG_OPTIONS,
        VLOG_LONG_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    const char *unixctl_path = NULL;
    int error;

    optind = 1;
    for (;;) {
        int c = getopt_long(argc, argv, "v::", long_options, NULL);
        if (c == -1) {
            break;
        }
        switch (c) {
        case OPT_UNIXCTL:
            unixctl_path = optarg;
            break;
        DAEMON_OPTION_HANDLERS
        VLOG_OPTION_HANDLERS
        case '?':
            exit(EXIT_FAILURE);
        default:
            vs_abort(0, "unexpected option %d", c);
        }
    }

    daemonize_start();
    error = unixctl_server_create(unixctl_path, &the_server);
    if (error) {
        vs_fatal(error, "could not create unixctl server");
    }
    unixctl_command_register("echo", "[ARG...]", 0, INT_MAX, cmd_echo,
                             NULL);
    unixctl_command_register("echo-error", "[ARG...]", 0, INT_MAX,
                             cmd_echo_error, NULL);
    unixctl_command_register("block", "MSECS [TEXT]", 1, 2, cmd_block,
                             NULL);
    unixctl_command_register("big", "N", 1, 1, cmd_big, NULL);
    unixctl_command_register("n-conns", "", 0, 0, cmd_n_conns, NULL);
    unixctl_command_register("exit", "", 0, 0, cmd_exit, NULL);
    daemonize_complete();

    while (!exiting) {
        unixctl_server_run(the_server);
        run_deferred();
        if (exiting) {
            break;
        }
        unixctl_server_wait(the_server);
        wait_deferred();
        poll_block();
    }
    /* Let the reply to "exit" go out. */
    unixctl_server_run(the_server);
    unixctl_server_destroy(the_server);
    return 0;
}

/* "parse". */

static void
print_json_object(const json_t *json)
{
    struct jsonrpc_msg *msg;
    char *error = jsonrpc_msg_from_json(json, &msg);

    if (error) {
        printf("bad message: %s\n", error);
        free(error);
    } else {
        char *s = jsonrpc_msg_to_string(msg);
        printf("%s: %s\n", jsonrpc_msg_type_to_string(msg->type), s);
        free(s);
        jsonrpc_msg_destroy(msg);
    }
}

static int
do_parse(int argc, char *argv[])
{
    static const struct option long_options[] = {
        {"chunk", required_argument, NULL, 'c'},
        {"max", required_argument, NULL, 'm'},
        {NULL, 0, NULL, 0},
    };
    unsigned int chunk = 0, max = 0;
    struct ds input = DS_EMPTY_INITIALIZER;
    char buf[4096];
    size_t n;

    optind = 1;
    for (;;) {
        int c = getopt_long(argc, argv, "", long_options, NULL);
        if (c == -1) {
            break;
        }
        if ((c != 'c' && c != 'm')
            || !str_to_uint(optarg, c == 'c' ? &chunk : &max)) {
            usage();
        }
    }

    while ((n = fread(buf, 1, sizeof buf, stdin)) > 0) {
        ds_put_buffer(&input, buf, n);
    }

    struct json_framer *f = json_framer_create(max);
    size_t ofs = 0;
    size_t len = input.length;
    while (ofs < len) {
        size_t feed = chunk ? MIN(chunk, len - ofs) : len - ofs;
        size_t used = json_framer_feed(f, input.string + ofs, feed);
        ofs += used;

        if (json_framer_is_done(f)) {
            char *error;
            json_t *json = json_framer_take(f, &error);
            if (!json) {
                printf("parse error: %s\n", error);
                free(error);
                break;
            }
            print_json_object(json);
            json_decref(json);
        } else if (json_framer_get_error(f)) {
            printf("framing error: %s\n", json_framer_get_error(f));
            break;
        } else if (used < feed) {
            printf("framer stopped early\n");
            break;
        }
    }
    json_framer_destroy(f);
    ds_destroy(&input);
    return 0;
}

/* "create". */

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

static int
do_create(int argc, char *argv[])
{
    struct jsonrpc_msg *msg;

    if (argc < 4) {
        usage();
    }
    if (!strcmp(argv[1], "request")) {
        msg = jsonrpc_create_request(argv[2], parse_json_arg(argv[3]), NULL);
    } else if (!strcmp(argv[1], "notify")) {
        msg = jsonrpc_create_notify(argv[2], parse_json_arg(argv[3]));
    } else if (!strcmp(argv[1], "reply") || !strcmp(argv[1], "error")) {
        json_t *body = parse_json_arg(argv[2]);
        json_t *id = parse_json_arg(argv[3]);
        msg = (!strcmp(argv[1], "reply")
               ? jsonrpc_create_reply(body, id)
               : jsonrpc_create_error(body, id));
        json_decref(id);
    } else {
        usage();
    }

    char *error = jsonrpc_msg_is_valid(msg);
    if (error) {
        printf("invalid: %s\n", error);
        free(error);
    }
    char *s = jsonrpc_msg_to_string(msg);
    printf("%s\n", s);
    free(s);
    jsonrpc_msg_destroy(msg);
    return 0;
}

/* "clients". */

static int
do_clients(int argc, char *argv[])
{
    unsigned int n;

    if (argc < 4 || !str_to_uint(argv[1], &n) || !n) {
        usage();
    }
    const char *path = argv[2];
    const char *command = argv[3];
    struct jsonrpc **rpcs = xcalloc(n, sizeof *rpcs);
    json_t **ids = xcalloc(n, sizeof *ids);
    unsigned int n_results = 0, n_errors = 0, n_failed = 0, n_done = 0;
    char *first = NULL;
    bool all_same = true;

    /* Connect all, then send all, so the server sees them concurrently. */
    for (unsigned int i = 0; i < n; i++) {
        int error = unixctl_client_create(path, &rpcs[i]);
        if (error) {
            vs_fatal(error, "client %u: cannot connect to %s", i, path);
        }
    }
    for (unsigned int i = 0; i < n; i++) {
        json_t *params = json_array();
        for (int j = 4; j < argc; j++) {
            json_array_append_new(params, json_string(argv[j]));
        }
        jsonrpc_send(rpcs[i], jsonrpc_create_request(command, params,
                                                     &ids[i]));
    }

    long long int deadline = time_msec() + 30000;
    while (n_done < n) {
        for (unsigned int i = 0; i < n; i++) {
            struct jsonrpc_msg *reply;
            int error;

            if (!rpcs[i]) {
                continue;
            }
            jsonrpc_run(rpcs[i]);
            error = jsonrpc_recv(rpcs[i], &reply);
            if (error == EAGAIN) {
                continue;
            }
            if (error) {
                n_failed++;
            } else {
                const json_t *body = (reply->type == JSONRPC_REPLY
                                      ? reply->result : reply->error);
                const char *s = json_is_string(body)
                                ? json_string_value(body) : "";
                if (!json_equal(reply->id, ids[i])) {
                    n_failed++;
                } else if (reply->type == JSONRPC_REPLY) {
                    n_results++;
                } else {
                    n_errors++;
                }
                if (!first) {
                    first = xstrdup(s);
                } else if (strcmp(first, s)) {
                    all_same = false;
                }
                jsonrpc_msg_destroy(reply);
            }
            jsonrpc_close(rpcs[i]);
            rpcs[i] = NULL;
            n_done++;
        }
        if (n_done >= n) {
            break;
        }
        if (time_msec() > deadline) {
            printf("timed out with %u of %u answered\n", n_done, n);
            return 1;
        }
        for (unsigned int i = 0; i < n; i++) {
            if (rpcs[i]) {
                jsonrpc_wait(rpcs[i]);
                jsonrpc_recv_wait(rpcs[i]);
            }
        }
        poll_timer_wait_until(deadline);
        poll_block();
    }

    printf("%u clients: %u results, %u errors, %u failed%s\n", n, n_results,
           n_errors, n_failed, all_same ? ", all identical" : "");
    if (first) {
        fputs(first, stdout);
    }
    for (unsigned int i = 0; i < n; i++) {
        json_decref(ids[i]);
    }
    free(ids);
    free(rpcs);
    free(first);
    return 0;
}

/* "send", "send-big", "hold". */

static int
connect_raw(const char *path)
{
    int fd = make_unix_socket(SOCK_STREAM, false, NULL, path);
    if (fd < 0) {
        vs_fatal(-fd, "%s: cannot connect", path);
    }
    return fd;
}

/* Writes all of BUF; returns 0 or an errno (e.g. EPIPE or ECONNRESET when
 * the server dropped us half-way). */
static int
write_all(int fd, const char *buf, size_t n)
{
    while (n > 0) {
        ssize_t retval = send(fd, buf, n, MSG_NOSIGNAL);
        if (retval < 0) {
            if (errno == EINTR) {
                continue;
            }
            return errno;
        }
        buf += retval;
        n -= retval;
    }
    return 0;
}

static int
send_and_read(const char *path, const char *buf, size_t n)
{
    int fd = connect_raw(path);
    int error = write_all(fd, buf, n);
    struct ds reply = DS_EMPTY_INITIALIZER;

    if (!error) {
        shutdown(fd, SHUT_WR);
    }
    for (;;) {
        char rbuf[4096];
        ssize_t retval = read(fd, rbuf, sizeof rbuf);
        if (retval < 0 && errno == EINTR) {
            continue;
        } else if (retval <= 0) {
            break;
        }
        ds_put_buffer(&reply, rbuf, retval);
    }
    close(fd);

    if (reply.length) {
        printf("received: %s\n", ds_cstr(&reply));
    }
    printf("connection closed by server\n");
    ds_destroy(&reply);
    return 0;
}

static int
do_send(int argc, char *argv[])
{
    if (argc != 3) {
        usage();
    }
    return send_and_read(argv[1], argv[2], strlen(argv[2]));
}

static int
do_send_big(int argc, char *argv[])
{
    unsigned int n;

    if (argc != 3 || !str_to_uint(argv[2], &n)) {
        usage();
    }
    struct ds msg = DS_EMPTY_INITIALIZER;
    ds_put_cstr(&msg, "{\"method\":\"echo\",\"params\":[\"");
    ds_put_char_multiple(&msg, 'x', n);
    ds_put_cstr(&msg, "\"],\"id\":0}");
    int retval = send_and_read(argv[1], msg.string, msg.length);
    ds_destroy(&msg);
    return retval;
}

static int
do_hold(int argc, char *argv[])
{
    unsigned int count = 1;

    if (argc < 3 || argc > 4 || (argc == 4 && !str_to_uint(argv[3], &count))) {
        usage();
    }
    int fd = connect_raw(argv[1]);
    for (unsigned int i = 0; i < count; i++) {
        write_all(fd, argv[2], strlen(argv[2]));
    }
    printf("holding\n");
    fflush(stdout);
    for (;;) {
        pause();
    }
}

static int
do_connect_many(int argc, char *argv[])
{
    unsigned int n;

    if (argc != 3 || !str_to_uint(argv[2], &n)) {
        usage();
    }
    for (unsigned int i = 0; i < n; i++) {
        connect_raw(argv[1]);
    }
    printf("connected %u\n", n);
    fflush(stdout);
    for (;;) {
        pause();
    }
}

static void
usage(void)
{
    printf("usage: %s server|parse|create|clients|send|send-big|hold|"
           "connect-many ...\n"
           "(see the comment at the top of tests/test-unixctl.c)\n",
           program_name);
    exit(EXIT_FAILURE);
}

int
main(int argc, char *argv[])
{
    set_program_name(argv[0]);
    signal(SIGPIPE, SIG_IGN);

    /* With no subcommand, or options first (as vs_start_daemon passes
     * them), act as the server. */
    if (argc < 2 || argv[1][0] == '-') {
        return do_server(argc, argv);
    }
    const char *cmd = argv[1];
    argc--;
    argv++;

    if (!strcmp(cmd, "server")) {
        return do_server(argc, argv);
    } else if (!strcmp(cmd, "parse")) {
        return do_parse(argc, argv);
    } else if (!strcmp(cmd, "create")) {
        return do_create(argc, argv);
    } else if (!strcmp(cmd, "clients")) {
        return do_clients(argc, argv);
    } else if (!strcmp(cmd, "send")) {
        return do_send(argc, argv);
    } else if (!strcmp(cmd, "send-big")) {
        return do_send_big(argc, argv);
    } else if (!strcmp(cmd, "hold")) {
        return do_hold(argc, argv);
    } else if (!strcmp(cmd, "connect-many")) {
        return do_connect_many(argc, argv);
    }
    usage();
}
