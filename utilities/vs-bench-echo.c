/* vs-bench echo, vs-bench echo-server: JSON-RPC "echo" load.
 *
 *   vs-bench echo --remote=NAME [--clients=N] [--depth=D] [--seconds=S]
 *                 [--size=BYTES] [--warmup=S] [--label=TEXT]
 *                 [--server-pid=PID] [SSL options]
 *       N connections to NAME (unix:, tcp:, ssl:), each keeping D "echo"
 *       requests in flight (params: one string of BYTES bytes), all driven
 *       by one poll loop in this process over vswitch-lite's streams.
 *       Reports the request rate and the p50/p99 round-trip latency in
 *       microseconds (from building a request to having framed its reply;
 *       see "Load generator" below for why the client is lean).
 *
 *   vs-bench echo --raw=unix|tcp [--size=BYTES] [--seconds=S]
 *       The floor for depth-1 latency: a forked child connected through a
 *       unix socket pair or a loopback TCP connection answers each request
 *       with as many bytes as an echo reply takes on the wire; both sides
 *       use blocking read() and write(), no JSON, no reactor.
 *
 *   vs-bench echo-server [SSL options] LISTEN-NAME...
 *       Serves "echo" on each listener (punix:, ptcp:, pssl:) from one
 *       poll loop, with jsonrpc sessions, as the vswitch-lite daemons do.
 *       Prints "listening on NAME" for each (with the bound port), then
 *       runs until killed.
 *
 * Each result is printed for people and as a "BENCH key=value..." line. */
#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "dynamic-string.h"
#include "jsonrpc.h"
#include "jsonrpc-session.h"
#include "poll-loop.h"
#include "socket-util.h"
#include "stream.h"
#include "stream-ssl.h"
#include "timeval.h"
#include "util.h"
#include "vlog.h"
#include "vs-bench.h"
#include "vs-bench-lib.h"

VLOG_DEFINE_THIS_MODULE(bench_echo);

/* Sorts S; returns the P-th percentile in microseconds: the sample at
 * index floor(P% of the count), which is one rank above the nearest-rank
 * percentile that samples_percentile_us() returns for the other modules.
 * Kept so that "vs-bench echo" results stay comparable with earlier ones. */
static double
echo_percentile_us(struct samples *s, double p)
{
    if (!s->n) {
        return 0;
    }
    samples_sort(s);
    size_t idx = (size_t) (p / 100.0 * s->n);
    if (idx >= s->n) {
        idx = s->n - 1;
    }
    return s->ns[idx] / 1000.0;
}

static char *
make_payload(size_t size)
{
    char *s = xmalloc(size + 1);
    memset(s, 'x', size);
    s[size] = '\0';
    return s;
}

/* Options shared by the subcommands. */
static const char *remote;
static const char *raw_mode;
static const char *label;
static unsigned int n_clients = 1;
static unsigned int depth = 1;
static unsigned int size = 64;
static double seconds = 5;
static double warmup = 0.5;
static pid_t server_pid;

static void
print_result(const char *what, struct samples *s, double elapsed,
             long long int client_cpu_ns, long long int server_cpu_ns)
{
    double rate = elapsed > 0 ? s->n / elapsed : 0;
    double p50 = echo_percentile_us(s, 50);
    double p99 = echo_percentile_us(s, 99);

    printf("%-14s %-28s %2ux%-3u %6u B: %9.0f req/s  p50 %8.1f us  "
           "p99 %8.1f us", label ? label : "echo", what, n_clients, depth,
           size, rate, p50, p99);
    if (s->n && client_cpu_ns >= 0) {
        printf("  cpu/req: client %.1f us", client_cpu_ns / 1000.0 / s->n);
        if (server_cpu_ns >= 0) {
            printf(", server %.1f us", server_cpu_ns / 1000.0 / s->n);
        }
    }
    printf("\n");
    printf("BENCH test=echo label=%s remote=%s clients=%u depth=%u size=%u "
           "requests=%zu seconds=%.3f rate=%.0f p50_us=%.1f p99_us=%.1f",
           label ? label : "echo", what, n_clients, depth, size, s->n,
           elapsed, rate, p50, p99);
    if (s->n && client_cpu_ns >= 0) {
        printf(" client_cpu_us=%.2f", client_cpu_ns / 1000.0 / s->n);
    }
    if (s->n && server_cpu_ns >= 0) {
        printf(" server_cpu_us=%.2f", server_cpu_ns / 1000.0 / s->n);
    }
    printf("\n");
    fflush(stdout);
}

/* ------------------------------------------------------------------------
 * Raw ping-pong. */

static int
do_raw(void)
{
    /* The wire sizes of one echo request and its reply. */
    char *payload = make_payload(size);
    json_t *params = json_pack("[s]", payload);
    free(payload);
    struct jsonrpc_msg *request = jsonrpc_create_request(
        "echo", json_incref(params), NULL);
    struct jsonrpc_msg *reply = jsonrpc_create_reply(params, request->id);
    char *request_s = jsonrpc_msg_to_string(request);
    char *reply_s = jsonrpc_msg_to_string(reply);
    size_t request_len = strlen(request_s);
    size_t reply_len = strlen(reply_s);
    jsonrpc_msg_destroy(request);
    jsonrpc_msg_destroy(reply);

    struct raw_peer peer;
    raw_peer_start(&peer, raw_mode, request_len, reply_len);

    struct samples s = { NULL, 0, 0, 0 };
    long long int start = now_ns();
    long long int measure_from = start + (long long int) (warmup * 1e9);
    long long int end = measure_from + (long long int) (seconds * 1e9);
    long long int cpu0 = -1, child_cpu0 = -1;
    long long int t;
    for (t = start; t < end; t = now_ns()) {
        if (cpu0 < 0 && t >= measure_from) {
            cpu0 = proc_stat_cpu_ns(getpid());
            child_cpu0 = proc_stat_cpu_ns(peer.pid);
            measure_from = t;
        }
        long long int rtt = raw_peer_exchange(&peer);
        if (cpu0 >= 0) {
            samples_add(&s, rtt);
        }
    }
    long long int cpu = proc_stat_cpu_ns(getpid()) - cpu0;
    long long int child_cpu = proc_stat_cpu_ns(peer.pid) - child_cpu0;
    raw_peer_stop(&peer);

    char *what = xasprintf("raw-%s", raw_mode);
    unsigned int save_clients = n_clients, save_depth = depth;
    n_clients = depth = 1;
    print_result(what, &s, (t - measure_from) / 1e9, cpu, child_cpu);
    n_clients = save_clients;
    depth = save_depth;
    free(what);
    free(s.ns);
    free(request_s);
    free(reply_s);
    return 0;
}

/* ------------------------------------------------------------------------
 * Load generator.
 *
 * The client must cost much less than the server, or it would measure
 * itself: on a small machine the two share the CPUs.  So it does not parse
 * replies with jansson.  It builds requests from a template, sends all that
 * are due in one system call, and frames replies with a scanner like the
 * jsonrpc framer's, reading only the "id" of each.  It talks through
 * vswitch-lite's streams, so the same code covers unix, tcp and ssl. */

struct inflight {
    long long int id;           /* -1 if free. */
    long long int sent_ns;
};

struct client {
    struct stream *stream;
    struct inflight *slots;     /* 'depth' of them. */
    long long int next_id;

    struct ds out;              /* Bytes to send. */
    size_t out_ofs;             /* First unsent byte in 'out'. */

    /* Reply scanner. */
    struct ds msg;              /* Bytes of the reply being framed. */
    int depth;
    bool in_string, escape;
};

static char *request_prefix;    /* {"method":"echo","params":["xxx"],"id": */
static size_t request_prefix_len;

static void
client_queue_requests(struct client *c)
{
    for (unsigned int i = 0; i < depth; i++) {
        struct inflight *slot = &c->slots[i];
        if (slot->id < 0) {
            slot->id = c->next_id++;
            slot->sent_ns = now_ns();
            ds_put_buffer(&c->out, request_prefix, request_prefix_len);
            ds_put_format(&c->out, "%lld}", slot->id);
        }
    }
}

/* Returns 0, or an errno value if the connection failed. */
static int
client_flush(struct client *c)
{
    while (c->out_ofs < c->out.length) {
        ssize_t n = stream_send(c->stream, c->out.string + c->out_ofs,
                                c->out.length - c->out_ofs);
        if (n > 0) {
            c->out_ofs += n;
        } else if (n == -EAGAIN) {
            return 0;
        } else {
            return n ? -n : EPIPE;
        }
    }
    ds_clear(&c->out);
    c->out_ofs = 0;
    return 0;
}

/* Handles one complete reply (or request) in C->msg. */
static void
client_got_message(struct client *c, struct samples *s, bool measuring,
                   long long int measure_from)
{
    const char *msg = ds_cstr(&c->msg);
    const char *id = NULL;

    /* The payload is all 'x', so the last "id": is the message's. */
    for (const char *p = strstr(msg, "\"id\":"); p;
         p = strstr(p + 1, "\"id\":")) {
        id = p + 5;
    }
    if (!id) {
        vs_fatal(0, "%s: message without id: %s", remote, msg);
    }
    if (*id == '"') {
        /* An inactivity probe from the server ("id":"echo"). */
        if (strstr(msg, "\"method\":\"echo\"")) {
            ds_put_cstr(&c->out, "{\"result\":[],\"error\":null,"
                        "\"id\":\"echo\"}");
        }
        return;
    }
    if (!strstr(msg, "\"error\":null")) {
        vs_fatal(0, "%s: error reply: %s", remote, msg);
    }

    long long int value = strtoll(id, NULL, 10);
    long long int t = now_ns();
    for (unsigned int k = 0; k < depth; k++) {
        struct inflight *slot = &c->slots[k];
        if (slot->id == value) {
            if (measuring && slot->sent_ns >= measure_from) {
                samples_add(s, t - slot->sent_ns);
            }
            slot->id = -1;
            return;
        }
    }
    vs_fatal(0, "%s: reply to unknown request %lld", remote, value);
}

/* Frames the N bytes in BUF into messages. */
static void
client_scan(struct client *c, const char *buf, size_t n, struct samples *s,
            bool measuring, long long int measure_from)
{
    size_t start = 0;

    for (size_t i = 0; i < n; i++) {
        char ch = buf[i];

        if (c->in_string) {
            if (c->escape) {
                c->escape = false;
            } else if (ch == '\\') {
                c->escape = true;
            } else if (ch == '"') {
                c->in_string = false;
            }
        } else if (ch == '"') {
            c->in_string = true;
        } else if (ch == '{' || ch == '[') {
            if (!c->depth++) {
                start = i;
            }
        } else if (ch == '}' || ch == ']') {
            if (!--c->depth) {
                ds_put_buffer(&c->msg, buf + start, i + 1 - start);
                client_got_message(c, s, measuring, measure_from);
                ds_clear(&c->msg);
            }
        } else if (!c->depth && ch != ' ' && ch != '\n') {
            vs_fatal(0, "%s: garbage between messages", remote);
        }
        if (!c->depth) {
            start = i + 1;
        }
    }
    if (c->depth) {
        ds_put_buffer(&c->msg, buf + start, n - start);
    }
}

static int
do_load(void)
{
    struct client *clients = xcalloc(n_clients, sizeof *clients);
    char *payload = make_payload(size);
    char *buf = xmalloc(65536);

    request_prefix = xasprintf("{\"method\":\"echo\",\"params\":[\"%s\"],"
                               "\"id\":", payload);
    request_prefix_len = strlen(request_prefix);

    for (unsigned int i = 0; i < n_clients; i++) {
        struct client *c = &clients[i];
        int error = stream_open_block(stream_open(remote, &c->stream),
                                      10000, &c->stream);
        if (error) {
            vs_fatal(0, "%s: connection failed (%s)", remote,
                     vs_strerror(error));
        }
        c->slots = xmalloc(depth * sizeof *c->slots);
        for (unsigned int j = 0; j < depth; j++) {
            c->slots[j].id = -1;
        }
        ds_init(&c->out);
        ds_init(&c->msg);
    }

    struct samples s = { NULL, 0, 0, 0 };
    bool measuring = false;
    long long int start = now_ns();
    long long int measure_from = start + (long long int) (warmup * 1e9);
    long long int end = measure_from + (long long int) (seconds * 1e9);
    long long int cpu0 = 0, server_cpu0 = -1;
    long long int now;

    for (;;) {
        now = now_ns();
        if (!measuring && now >= measure_from) {
            measuring = true;
            measure_from = now;
            cpu0 = time_cpu_msec() * 1000000LL;
            server_cpu0 = server_pid ? proc_stat_cpu_ns(server_pid) : -1;
        }
        if (now >= end) {
            break;
        }

        for (unsigned int i = 0; i < n_clients; i++) {
            struct client *c = &clients[i];
            int error;

            stream_run(c->stream);
            for (int j = 0; j < 16; j++) {
                ssize_t n = stream_recv(c->stream, buf, 65536);
                if (n > 0) {
                    client_scan(c, buf, n, &s, measuring, measure_from);
                    if (n < 65536) {
                        break;
                    }
                } else if (n == -EAGAIN) {
                    break;
                } else {
                    vs_fatal(0, "%s: connection failed (%s)", remote,
                             n ? vs_strerror(-n) : "closed by peer");
                }
            }
            client_queue_requests(c);
            error = client_flush(c);
            if (error) {
                vs_fatal(0, "%s: send failed (%s)", remote,
                         vs_strerror(error));
            }
        }

        for (unsigned int i = 0; i < n_clients; i++) {
            struct client *c = &clients[i];
            stream_run_wait(c->stream);
            stream_recv_wait(c->stream);
            if (c->out_ofs < c->out.length) {
                stream_send_wait(c->stream);
            }
        }
        poll_timer_wait(MAX(1, (end - now) / 1000000));
        poll_block();
    }

    long long int cpu = time_cpu_msec() * 1000000LL - cpu0;
    long long int server_cpu = (server_cpu0 >= 0
                                ? proc_stat_cpu_ns(server_pid) - server_cpu0
                                : -1);
    print_result(remote, &s, (now - measure_from) / 1e9, cpu, server_cpu);

    for (unsigned int i = 0; i < n_clients; i++) {
        stream_close(clients[i].stream);
        free(clients[i].slots);
        ds_destroy(&clients[i].out);
        ds_destroy(&clients[i].msg);
    }
    free(clients);
    free(payload);
    free(buf);
    free(request_prefix);
    free(s.ns);
    return 0;
}

static void echo_usage(void) VS_NO_RETURN;

static void
echo_usage(void)
{
    printf("usage: vs-bench echo --remote=NAME [--clients=N] [--depth=D] "
           "[--seconds=S]\n"
           "                     [--size=BYTES] [--warmup=S] "
           "[--label=TEXT] [--server-pid=PID]\n"
           "       vs-bench echo --raw=unix|tcp [--size=BYTES] "
           "[--seconds=S]\n"
           "       vs-bench echo-server LISTEN-NAME...\n");
    stream_ssl_usage();
    exit(EXIT_SUCCESS);
}

static void
parse_echo_options(int argc, char *argv[])
{
    enum {
        OPT_REMOTE = UCHAR_MAX + 1,
        OPT_RAW,
        OPT_CLIENTS,
        OPT_DEPTH,
        OPT_SECONDS,
        OPT_WARMUP,
        OPT_SIZE,
        OPT_LABEL,
        OPT_SERVER_PID,
        STREAM_SSL_OPTION_ENUMS,
        VLOG_OPTION_ENUMS
    };
    static const struct option long_options[] = {
        {"remote", required_argument, NULL, OPT_REMOTE},
        {"raw", required_argument, NULL, OPT_RAW},
        {"clients", required_argument, NULL, OPT_CLIENTS},
        {"depth", required_argument, NULL, OPT_DEPTH},
        {"seconds", required_argument, NULL, OPT_SECONDS},
        {"warmup", required_argument, NULL, OPT_WARMUP},
        {"size", required_argument, NULL, OPT_SIZE},
        {"label", required_argument, NULL, OPT_LABEL},
        {"server-pid", required_argument, NULL, OPT_SERVER_PID},
        {"help", no_argument, NULL, 'h'},
        STREAM_SSL_LONG_OPTIONS,
        VLOG_LONG_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    unsigned int u;

    optind = 1;
    for (;;) {
        int c = getopt_long(argc, argv, "hv::", long_options, NULL);
        if (c == -1) {
            break;
        }
        switch (c) {
        case OPT_REMOTE:
            remote = optarg;
            break;
        case OPT_RAW:
            raw_mode = optarg;
            break;
        case OPT_LABEL:
            label = optarg;
            break;
        case OPT_CLIENTS:
        case OPT_DEPTH:
        case OPT_SIZE:
        case OPT_SERVER_PID:
            if (!str_to_uint(optarg, &u) || (c != OPT_SIZE && !u)) {
                vs_fatal(0, "%s: bad number", optarg);
            }
            if (c == OPT_CLIENTS) {
                n_clients = u;
            } else if (c == OPT_DEPTH) {
                depth = u;
            } else if (c == OPT_SIZE) {
                size = u;
            } else {
                server_pid = u;
            }
            break;
        case OPT_SECONDS:
        case OPT_WARMUP:
            if (!str_to_double(optarg, c == OPT_SECONDS ? &seconds : &warmup)
                || (c == OPT_SECONDS ? seconds <= 0 : warmup < 0)) {
                vs_fatal(0, "%s: bad number of seconds", optarg);
            }
            break;
        case 'h':
            echo_usage();
        STREAM_SSL_OPTION_HANDLERS
        VLOG_OPTION_HANDLERS
        case '?':
            exit(EXIT_FAILURE);
        default:
            vs_abort(0, "unexpected option %d", c);
        }
    }
}

int
bench_echo_main(int argc, char *argv[])
{
    signal(SIGPIPE, SIG_IGN);
    parse_echo_options(argc, argv);
    if (optind != argc) {
        vs_fatal(0, "echo: unexpected argument %s", argv[optind]);
    }
    if (raw_mode) {
        return do_raw();
    } else if (!remote) {
        vs_fatal(0, "echo: --remote or --raw is required");
    }
    return do_load();
}

/* ------------------------------------------------------------------------
 * Echo server. */

int
bench_echo_server_main(int argc, char *argv[])
{
    signal(SIGPIPE, SIG_IGN);
    parse_echo_options(argc, argv);
    int n_listeners = argc - optind;
    if (n_listeners < 1) {
        vs_fatal(0, "echo-server: at least one LISTEN-NAME is required");
    }

    struct pstream **listeners = xmalloc(n_listeners * sizeof *listeners);
    for (int i = 0; i < n_listeners; i++) {
        int error = pstream_open(argv[optind + i], &listeners[i]);
        if (error) {
            vs_fatal(0, "%s: listen failed (%s)", argv[optind + i],
                     vs_strerror(error));
        }
        printf("listening on %s\n", pstream_get_name(listeners[i]));
    }
    fflush(stdout);

    struct jsonrpc_session **sessions = NULL;
    size_t n_sessions = 0, allocated = 0;
    for (;;) {
        /* Existing connections first: they are what is measured. */
        for (size_t i = 0; i < n_sessions; ) {
            struct jsonrpc_session *js = sessions[i];

            jsonrpc_session_run(js);
            for (int j = 0; j < 50; j++) {
                /* "echo" is answered inside jsonrpc_session_recv(). */
                struct jsonrpc_msg *msg = jsonrpc_session_recv(js);
                if (!msg) {
                    break;
                }
                if (msg->type == JSONRPC_REQUEST) {
                    jsonrpc_session_send(js, jsonrpc_create_error(
                                             json_string("unknown method"),
                                             msg->id));
                }
                jsonrpc_msg_destroy(msg);
            }
            if (!jsonrpc_session_is_alive(js)) {
                jsonrpc_session_close(js);
                sessions[i] = sessions[--n_sessions];
            } else {
                i++;
            }
        }

        for (int i = 0; i < n_listeners; i++) {
            for (int j = 0; j < 100; j++) {
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
                if (n_sessions >= allocated) {
                    allocated = allocated * 2 + 16;
                    sessions = xrealloc(sessions,
                                        allocated * sizeof *sessions);
                }
                sessions[n_sessions++] = jsonrpc_session_open_unreliably(
                    jsonrpc_open(stream));
            }
        }

        for (int i = 0; i < n_listeners; i++) {
            pstream_wait(listeners[i]);
        }
        for (size_t i = 0; i < n_sessions; i++) {
            jsonrpc_session_wait(sessions[i]);
            jsonrpc_session_recv_wait(sessions[i]);
        }
        poll_block();
    }
}
