/* vs-bench ovsdb: the same OVSDB workloads against any OVSDB server.
 *
 *   vs-bench ovsdb MODE --remote=NAME [options]
 *
 * MODE is one of:
 *
 *   select        "transact" with one "select" (one row matched), one
 *                 request in flight: rate, p50 and p99 latency.
 *   mutate        single-row "mutate" commits from --clients connections
 *                 (default 4), each keeping --depth (default 8) in flight,
 *                 each client on its own row: commits/s, p50, p99.
 *   insert        one transaction inserting --rows rows (default 10000):
 *                 seconds until its reply.
 *   fanout        --monitors sessions (default 1000) each with a "monitor"
 *                 on the table; one commit from another session: time
 *                 until the last monitor has the update (--rounds times).
 *   idle-clients  --clients connections (default 10000) opened at once,
 *                 each sending one "echo": time until every one has its
 *                 reply; then the server's RSS growth per session
 *                 (--server-pid), its CPU time over --idle-seconds (5)
 *                 while they stay idle, and the echo p50 of one more
 *                 client with them connected, against the same without.
 *
 * All clients use lib/jsonrpc over lib/stream, driven by one poll loop.
 * The database must have the benchmark schema (--print-schema prints it):
 * table "T" with an integer column "n" and a string column "s".  Each mode
 * first empties T and inserts the rows it needs.
 *
 * Results are printed for people and as "BENCH key=value..." lines. */
#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "dynamic-string.h"
#include "jsonrpc.h"
#include "poll-loop.h"
#include "stream.h"
#include "util.h"
#include "vlog.h"
#include "vs-bench.h"
#include "vs-bench-lib.h"

VLOG_DEFINE_THIS_MODULE(bench_ovsdb);

static const char bench_schema[] =
    "{\"name\": \"Bench\", \"version\": \"1.0.0\",\n"
    " \"tables\": {\"T\": {\"columns\": {\n"
    "     \"n\": {\"type\": \"integer\"},\n"
    "     \"s\": {\"type\": \"string\"}}}}}\n";

/* Options. */
static const char *remote;
static const char *label = "server";
static const char *db_name = "Bench";
static unsigned int n_clients;          /* 0: the mode's default. */
static unsigned int depth;              /* 0: the mode's default. */
static unsigned int n_rows = 10000;
static unsigned int n_monitors = 1000;
static unsigned int n_rounds = 5;
static unsigned int n_echoes = 2000;
static double seconds = 5;
static double warmup = 0.5;
static double idle_seconds = 5;
static double timeout = 60;
static pid_t server_pid;

/* Resident set size of PID in KiB, or -1. */
static long long int
proc_rss_kib(pid_t pid)
{
    char name[64], line[256];
    long long int rss = -1;
    FILE *f;

    snprintf(name, sizeof name, "/proc/%ld/status", (long) pid);
    f = fopen(name, "r");
    if (!f) {
        return -1;
    }
    while (fgets(line, sizeof line, f)) {
        if (!strncmp(line, "VmRSS:", 6)) {
            rss = strtoll(line + 6, NULL, 10);
            break;
        }
    }
    fclose(f);
    return rss;
}

static void
raise_nofile_limit(void)
{
    struct rlimit rl;

    if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &rl)) {
            VLOG_WARN("setrlimit(RLIMIT_NOFILE) failed (%s)",
                      vs_strerror(errno));
        }
    }
}

/* ------------------------------------------------------------------------
 * Connections. */

struct conn {
    struct stream *stream;      /* While connecting. */
    struct jsonrpc *rpc;        /* Once connected. */
    unsigned int index;
    unsigned int inflight;
    long long int *sent_ns;     /* Per in-flight request, by id % depth. */
    json_int_t *ids;
    long long int done_ns;      /* idle-clients, fanout: when it finished. */
    bool busy;                  /* Waiting for something. */
};

/* Opens a connection to 'remote' and waits until it is connected. */
static struct jsonrpc *
open_block(void)
{
    struct stream *stream;
    int error = stream_open_block(stream_open(remote, &stream), 10000,
                                  &stream);
    if (error) {
        vs_fatal(0, "%s: connection failed (%s)", remote,
                 vs_strerror(error));
    }
    return jsonrpc_open(stream);
}

static json_t *
transact_params(json_t *ops)
{
    json_t *params = json_array();
    size_t i;
    json_t *op;

    json_array_append_new(params, json_string(db_name));
    json_array_foreach(ops, i, op) {
        json_array_append(params, op);
    }
    json_decref(ops);
    return params;
}

/* Sends "transact" with OPS (taking ownership) and waits for the reply;
 * dies unless every operation succeeded. */
static void
transact_block(struct jsonrpc *rpc, json_t *ops)
{
    struct jsonrpc_msg *reply;
    int error = jsonrpc_transact_block(
        rpc, jsonrpc_create_request("transact", transact_params(ops), NULL),
        &reply);
    if (error) {
        vs_fatal(0, "%s: transact failed (%s)", remote, vs_strerror(error));
    }
    if (reply->type != JSONRPC_REPLY || !json_is_array(reply->result)) {
        vs_fatal(0, "%s: transact failed", remote);
    }
    size_t i;
    json_t *r;
    json_array_foreach(reply->result, i, r) {
        if (!json_is_object(r) || json_object_get(r, "error")) {
            char *s = json_dumps(reply->result, JSON_COMPACT);
            vs_fatal(0, "%s: transact error: %s", remote, s);
        }
    }
    jsonrpc_msg_destroy(reply);
}

/* Empties T and inserts rows n=0, s="row-I" for I in [0, N). */
static void
setup_rows(struct jsonrpc *rpc, unsigned int n)
{
    json_t *ops = json_array();

    json_array_append_new(ops, json_pack("{s:s, s:s, s:[]}", "op", "delete",
                                         "table", "T", "where"));
    for (unsigned int i = 0; i < n; i++) {
        char s[32];
        snprintf(s, sizeof s, "row-%u", i);
        json_array_append_new(ops, json_pack("{s:s, s:s, s:{s:i, s:s}}",
                                             "op", "insert", "table", "T",
                                             "row", "n", 0, "s", s));
    }
    transact_block(rpc, ops);
}

static json_t *
where_row(unsigned int i)
{
    char s[32];
    snprintf(s, sizeof s, "row-%u", i);
    return json_pack("[[s, s, s]]", "s", "==", s);
}

/* Dies if MSG is not a successful reply to a transact. */
static void
check_transact_reply(const struct jsonrpc_msg *msg)
{
    json_t *r;
    size_t i;

    if (msg->type != JSONRPC_REPLY || !json_is_array(msg->result)) {
        char *s = jsonrpc_msg_to_string(msg);
        vs_fatal(0, "%s: unexpected message %s", remote, s);
    }
    json_array_foreach(msg->result, i, r) {
        if (!json_is_object(r) || json_object_get(r, "error")) {
            char *s = jsonrpc_msg_to_string(msg);
            vs_fatal(0, "%s: transact error: %s", remote, s);
        }
    }
}

static void
print_latency(const char *mode, struct samples *s, double elapsed,
              long long int server_cpu_ns)
{
    double rate = elapsed > 0 ? s->n / elapsed : 0;
    samples_sort(s);
    double p50 = samples_percentile_us(s, 50);
    double p99 = samples_percentile_us(s, 99);

    printf("%-14s %-7s %ux%-2u %9.0f /s  p50 %8.1f us  p99 %8.1f us",
           label, mode, n_clients, depth, rate, p50, p99);
    if (server_cpu_ns >= 0 && s->n) {
        printf("  server cpu %.1f us/op", server_cpu_ns / 1000.0 / s->n);
    }
    printf("\nBENCH test=ovsdb-%s label=%s clients=%u depth=%u ops=%zu "
           "seconds=%.3f rate=%.0f p50_us=%.1f p99_us=%.1f", mode, label,
           n_clients, depth, s->n, elapsed, rate, p50, p99);
    if (server_cpu_ns >= 0 && s->n) {
        printf(" server_cpu_us=%.2f", server_cpu_ns / 1000.0 / s->n);
    }
    printf("\n");
    fflush(stdout);
}

/* ------------------------------------------------------------------------
 * select and mutate: N clients x D requests in flight for 'seconds'. */

static struct jsonrpc_msg *
make_request(const char *mode, unsigned int row)
{
    json_t *op;

    if (!strcmp(mode, "select")) {
        op = json_pack("{s:s, s:s, s:o}", "op", "select", "table", "T",
                       "where", where_row(row));
    } else {
        op = json_pack("{s:s, s:s, s:o, s:[[s, s, i]]}", "op", "mutate",
                       "table", "T", "where", where_row(row),
                       "mutations", "n", "+=", 1);
    }
    return jsonrpc_create_request("transact",
                                  transact_params(json_pack("[o]", op)),
                                  NULL);
}

static int
do_load(const char *mode)
{
    struct conn *conns = xcalloc(n_clients, sizeof *conns);
    struct samples s = { NULL, 0, 0, 0 };

    for (unsigned int i = 0; i < n_clients; i++) {
        struct conn *c = &conns[i];
        c->rpc = open_block();
        c->index = i;
        c->sent_ns = xcalloc(depth, sizeof *c->sent_ns);
        c->ids = xcalloc(depth, sizeof *c->ids);
        for (unsigned int j = 0; j < depth; j++) {
            c->ids[j] = -1;
        }
    }
    setup_rows(conns[0].rpc, n_clients);

    long long int start = now_ns();
    long long int measure_from = start + (long long int) (warmup * 1e9);
    long long int end = measure_from + (long long int) (seconds * 1e9);
    long long int server_cpu0 = -1;
    bool measuring = false;
    long long int t;

    for (;;) {
        t = now_ns();
        if (!measuring && t >= measure_from) {
            measuring = true;
            measure_from = t;
            server_cpu0 = server_pid ? proc_stat_cpu_ns(server_pid) : -1;
        }
        if (t >= end) {
            break;
        }
        for (unsigned int i = 0; i < n_clients; i++) {
            struct conn *c = &conns[i];
            struct jsonrpc_msg *msg;
            int error;

            jsonrpc_run(c->rpc);
            while (!(error = jsonrpc_recv(c->rpc, &msg))) {
                if (msg->type == JSONRPC_REQUEST
                    && !strcmp(msg->method, "echo")) {
                    jsonrpc_send(c->rpc, jsonrpc_create_reply(
                                     json_incref(msg->params), msg->id));
                    jsonrpc_msg_destroy(msg);
                    continue;
                }
                check_transact_reply(msg);
                json_int_t id = json_integer_value(msg->id);
                unsigned int k;
                for (k = 0; k < depth; k++) {
                    if (c->ids[k] == id) {
                        break;
                    }
                }
                if (k >= depth) {
                    vs_fatal(0, "%s: reply to unknown request", remote);
                }
                if (measuring && c->sent_ns[k] >= measure_from) {
                    samples_add(&s, now_ns() - c->sent_ns[k]);
                }
                c->ids[k] = -1;
                c->inflight--;
                jsonrpc_msg_destroy(msg);
            }
            if (error != EAGAIN) {
                vs_fatal(0, "%s: connection failed (%s)", remote,
                         error == EOF ? "closed" : vs_strerror(error));
            }
            for (unsigned int k = 0; k < depth; k++) {
                if (c->ids[k] < 0) {
                    struct jsonrpc_msg *req = make_request(mode, i);
                    c->ids[k] = json_integer_value(req->id);
                    c->sent_ns[k] = now_ns();
                    c->inflight++;
                    error = jsonrpc_send(c->rpc, req);
                    if (error) {
                        vs_fatal(0, "%s: send failed (%s)", remote,
                                 vs_strerror(error));
                    }
                }
            }
            jsonrpc_run(c->rpc);
        }
        for (unsigned int i = 0; i < n_clients; i++) {
            jsonrpc_wait(conns[i].rpc);
            jsonrpc_recv_wait(conns[i].rpc);
        }
        poll_timer_wait(MAX(1, (end - t) / 1000000));
        poll_block();
    }

    long long int server_cpu = (server_cpu0 >= 0
                                ? proc_stat_cpu_ns(server_pid) - server_cpu0
                                : -1);
    print_latency(mode, &s, (t - measure_from) / 1e9, server_cpu);

    for (unsigned int i = 0; i < n_clients; i++) {
        jsonrpc_close(conns[i].rpc);
        free(conns[i].sent_ns);
        free(conns[i].ids);
    }
    free(conns);
    free(s.ns);
    return 0;
}

/* ------------------------------------------------------------------------
 * insert. */

static int
do_insert(void)
{
    struct jsonrpc *rpc = open_block();
    struct samples s = { NULL, 0, 0, 0 };

    for (unsigned int r = 0; r < n_rounds; r++) {
        setup_rows(rpc, 0);

        json_t *ops = json_array();
        for (unsigned int i = 0; i < n_rows; i++) {
            char str[32];
            snprintf(str, sizeof str, "row-%u", i);
            json_array_append_new(ops, json_pack("{s:s, s:s, s:{s:i, s:s}}",
                                                 "op", "insert", "table",
                                                 "T", "row", "n", (int) i,
                                                 "s", str));
        }
        struct jsonrpc_msg *req = jsonrpc_create_request(
            "transact", transact_params(ops), NULL);
        struct jsonrpc_msg *reply;
        long long int t0 = now_ns();
        int error = jsonrpc_transact_block(rpc, req, &reply);
        long long int t1 = now_ns();
        if (error) {
            vs_fatal(0, "%s: transact failed (%s)", remote,
                     vs_strerror(error));
        }
        check_transact_reply(reply);
        jsonrpc_msg_destroy(reply);
        samples_add(&s, t1 - t0);
    }
    setup_rows(rpc, 0);
    jsonrpc_close(rpc);

    samples_sort(&s);
    double median_s = samples_percentile_us(&s, 50) / 1e6;
    double max_s = s.ns[s.n - 1] / 1e9;
    printf("%-14s insert  %u rows in one transaction: median %.3f s, "
           "max %.3f s (%u rounds), %.0f rows/s\n", label, n_rows,
           median_s, max_s, n_rounds, n_rows / median_s);
    printf("BENCH test=ovsdb-insert label=%s rows=%u rounds=%u "
           "median_s=%.4f max_s=%.4f\n", label, n_rows, n_rounds, median_s,
           max_s);
    free(s.ns);
    return 0;
}

/* ------------------------------------------------------------------------
 * Many connections: opening them all at once, and fan-out. */

/* Starts opening N connections at once, without waiting.  Connections
 * whose connect() fails with EAGAIN (listen backlog full) are retried by
 * conns_run(). */
static struct conn *
conns_start(unsigned int n)
{
    struct conn *conns = xcalloc(n, sizeof *conns);

    for (unsigned int i = 0; i < n; i++) {
        conns[i].index = i;
        conns[i].busy = true;
    }
    return conns;
}

/* Callback for a message received on C (not an echo request).  Returns
 * true if C is done with what it waited for. */
typedef bool conn_msg_cb(struct conn *c, struct jsonrpc_msg *msg);
/* Callback for a newly connected C: sends its first request. */
typedef void conn_connected_cb(struct conn *c);

/* Runs busy connections in CONNS[N] until every one is no longer busy or
 * DEADLINE (ns) passes.  Returns the number still busy.  PENDING (indexes
 * of busy connections) is kept across calls. */
static unsigned int
conns_run(struct conn *conns, unsigned int *pending, unsigned int n_pending,
          conn_connected_cb *connected, conn_msg_cb *cb,
          long long int deadline)
{
    unsigned int retries = 0;

    while (n_pending && now_ns() < deadline) {
        for (unsigned int p = 0; p < n_pending; ) {
            struct conn *c = &conns[pending[p]];
            int error = 0;

            if (!c->stream && !c->rpc) {
                error = stream_open(remote, &c->stream);
                if (error == EAGAIN) {
                    retries++;
                    p++;
                    continue;
                }
            }
            if (!error && c->stream) {
                error = stream_connect(c->stream);
                if (!error) {
                    c->rpc = jsonrpc_open(c->stream);
                    c->stream = NULL;
                    connected(c);
                } else if (error == EAGAIN) {
                    p++;
                    continue;
                }
            }
            if (error) {
                vs_fatal(0, "%s: connection %u failed (%s)", remote,
                         c->index, vs_strerror(error));
            }

            struct jsonrpc_msg *msg;
            jsonrpc_run(c->rpc);
            while (c->busy && !(error = jsonrpc_recv(c->rpc, &msg))) {
                if (msg->type == JSONRPC_REQUEST
                    && !strcmp(msg->method, "echo")) {
                    jsonrpc_send(c->rpc, jsonrpc_create_reply(
                                     json_incref(msg->params), msg->id));
                    jsonrpc_msg_destroy(msg);
                    continue;
                }
                if (cb(c, msg)) {
                    c->busy = false;
                    c->done_ns = now_ns();
                }
                jsonrpc_msg_destroy(msg);
            }
            if (c->busy && error && error != EAGAIN) {
                vs_fatal(0, "%s: connection %u failed (%s)", remote,
                         c->index,
                         error == EOF ? "closed" : vs_strerror(error));
            }
            if (c->busy) {
                p++;
            } else {
                pending[p] = pending[--n_pending];
            }
        }
        if (!n_pending) {
            break;
        }
        bool need_retry = false;
        for (unsigned int p = 0; p < n_pending; p++) {
            struct conn *c = &conns[pending[p]];
            if (c->rpc) {
                jsonrpc_wait(c->rpc);
                jsonrpc_recv_wait(c->rpc);
            } else if (c->stream) {
                stream_connect_wait(c->stream);
            } else {
                need_retry = true;
            }
        }
        if (need_retry) {
            poll_timer_wait(1);
        }
        poll_timer_wait(MAX(1, (deadline - now_ns()) / 1000000));
        poll_block();
    }
    if (retries) {
        VLOG_INFO("%u connect() retries (listen backlog full)", retries);
    }
    return n_pending;
}

static void
send_echo(struct conn *c)
{
    int error = jsonrpc_send(c->rpc, jsonrpc_create_request(
                                 "echo", json_pack("[s]", "hello"), NULL));
    if (error) {
        vs_fatal(0, "%s: send failed (%s)", remote, vs_strerror(error));
    }
}

static bool
got_echo_reply(struct conn *c VS_UNUSED, struct jsonrpc_msg *msg)
{
    if (msg->type != JSONRPC_REPLY) {
        char *s = jsonrpc_msg_to_string(msg);
        vs_fatal(0, "%s: unexpected message %s", remote, s);
    }
    return true;
}

static void
send_monitor(struct conn *c)
{
    json_t *params = json_pack("[s, i, {s:{s:[s, s]}}]", db_name,
                               (int) c->index, "T", "columns", "n", "s");
    int error = jsonrpc_send(c->rpc, jsonrpc_create_request("monitor",
                                                             params, NULL));
    if (error) {
        vs_fatal(0, "%s: send failed (%s)", remote, vs_strerror(error));
    }
}

/* Monitor set-up: done at the reply to "monitor". */
static bool
got_monitor_reply(struct conn *c VS_UNUSED, struct jsonrpc_msg *msg)
{
    if (msg->type == JSONRPC_NOTIFY) {
        return false;
    } else if (msg->type != JSONRPC_REPLY) {
        char *s = jsonrpc_msg_to_string(msg);
        vs_fatal(0, "%s: monitor failed: %s", remote, s);
    }
    return true;
}

/* Fan-out: done at the first "update". */
static bool
got_update(struct conn *c VS_UNUSED, struct jsonrpc_msg *msg)
{
    return msg->type == JSONRPC_NOTIFY && !strcmp(msg->method, "update");
}

static void
no_op_connected(struct conn *c VS_UNUSED)
{
}

static unsigned int *
all_pending(unsigned int n)
{
    unsigned int *pending = xmalloc(n * sizeof *pending);
    for (unsigned int i = 0; i < n; i++) {
        pending[i] = i;
    }
    return pending;
}

static int
do_fanout(void)
{
    struct jsonrpc *writer = open_block();
    setup_rows(writer, 1);

    struct conn *conns = conns_start(n_monitors);
    unsigned int *pending = all_pending(n_monitors);
    long long int t0 = now_ns();
    unsigned int left = conns_run(conns, pending, n_monitors, send_monitor,
                                  got_monitor_reply,
                                  t0 + (long long int) (timeout * 1e9));
    if (left) {
        vs_fatal(0, "%s: %u of %u monitors not set up after %.0f s", remote,
                 left, n_monitors, timeout);
    }
    double setup_s = (now_ns() - t0) / 1e9;

    struct samples last = { NULL, 0, 0, 0 }, first = { NULL, 0, 0, 0 };
    struct samples commit = { NULL, 0, 0, 0 };
    for (unsigned int r = 0; r < n_rounds; r++) {
        for (unsigned int i = 0; i < n_monitors; i++) {
            conns[i].busy = true;
            pending[i] = i;
        }
        json_t *op = json_pack("{s:s, s:s, s:o, s:[[s, s, i]]}", "op",
                               "mutate", "table", "T", "where", where_row(0),
                               "mutations", "n", "+=", 1);
        struct jsonrpc_msg *req = jsonrpc_create_request(
            "transact", transact_params(json_pack("[o]", op)), NULL);
        json_t *id = json_incref(req->id);
        long long int start = now_ns();
        int error = jsonrpc_send(writer, req);
        if (error) {
            vs_fatal(0, "%s: send failed (%s)", remote, vs_strerror(error));
        }
        left = conns_run(conns, pending, n_monitors, no_op_connected,
                         got_update,
                         now_ns() + (long long int) (timeout * 1e9));
        if (left) {
            vs_fatal(0, "%s: %u of %u monitors got no update after %.0f s",
                     remote, left, n_monitors, timeout);
        }
        long long int lo = LLONG_MAX, hi = 0;
        for (unsigned int i = 0; i < n_monitors; i++) {
            lo = MIN(lo, conns[i].done_ns);
            hi = MAX(hi, conns[i].done_ns);
        }
        samples_add(&first, lo - start);
        samples_add(&last, hi - start);

        /* The commit's own reply (may well have come already). */
        struct jsonrpc_msg *reply;
        for (;;) {
            error = jsonrpc_recv_block(writer, &reply);
            if (error) {
                vs_fatal(0, "%s: transact failed (%s)", remote,
                         vs_strerror(error));
            }
            if (reply->id && json_equal(reply->id, id)) {
                break;
            }
            jsonrpc_msg_destroy(reply);
        }
        check_transact_reply(reply);
        jsonrpc_msg_destroy(reply);
        json_decref(id);
        samples_add(&commit, now_ns() - start);
    }

    samples_sort(&last);
    samples_sort(&first);
    double last_ms = samples_percentile_us(&last, 50) / 1000;
    double last_max_ms = last.ns[last.n - 1] / 1e6;
    double first_ms = samples_percentile_us(&first, 50) / 1000;
    printf("%-14s fanout  %u monitors (set up in %.3f s): one commit -> "
           "first update %.2f ms, last update %.2f ms (median of %u, "
           "max %.2f ms)\n", label, n_monitors, setup_s, first_ms, last_ms,
           n_rounds, last_max_ms);
    printf("BENCH test=ovsdb-fanout label=%s monitors=%u rounds=%u "
           "setup_s=%.3f first_ms=%.3f last_ms=%.3f last_max_ms=%.3f\n",
           label, n_monitors, n_rounds, setup_s, first_ms, last_ms,
           last_max_ms);
    fflush(stdout);

    for (unsigned int i = 0; i < n_monitors; i++) {
        jsonrpc_close(conns[i].rpc);
    }
    jsonrpc_close(writer);
    free(conns);
    free(pending);
    free(first.ns);
    free(last.ns);
    free(commit.ns);
    return 0;
}

/* Echo p50 over RPC, depth 1, 'n_echoes' requests. */
static double
echo_p50_us(struct jsonrpc *rpc)
{
    struct samples s = { NULL, 0, 0, 0 };

    for (unsigned int i = 0; i < n_echoes + n_echoes / 10; i++) {
        struct jsonrpc_msg *reply;
        long long int t0 = now_ns();
        int error = jsonrpc_transact_block(
            rpc, jsonrpc_create_request("echo", json_pack("[s]", "hello"),
                                        NULL), &reply);
        long long int t1 = now_ns();
        if (error || reply->type != JSONRPC_REPLY) {
            vs_fatal(0, "%s: echo failed (%s)", remote,
                     error ? vs_strerror(error) : "error reply");
        }
        jsonrpc_msg_destroy(reply);
        if (i >= n_echoes / 10) {
            samples_add(&s, t1 - t0);
        }
    }
    samples_sort(&s);
    double p50 = samples_percentile_us(&s, 50);
    free(s.ns);
    return p50;
}

static int
do_idle_clients(void)
{
    /* The extra client connects first, so that its connection is not one
     * of the burst. */
    struct jsonrpc *extra = open_block();
    double p50_before = echo_p50_us(extra);
    long long int rss0 = server_pid ? proc_rss_kib(server_pid) : -1;

    struct conn *conns = conns_start(n_clients);
    unsigned int *pending = all_pending(n_clients);
    long long int t0 = now_ns();
    unsigned int left = conns_run(conns, pending, n_clients, send_echo,
                                  got_echo_reply,
                                  t0 + (long long int) (timeout * 1e9));
    long long int t1 = now_ns();
    unsigned int accepted = n_clients - left;
    double accept_s = (t1 - t0) / 1e9;

    /* Let the server settle, then measure it while everyone is idle. */
    xsleep_msec(500);
    long long int rss1 = server_pid ? proc_rss_kib(server_pid) : -1;
    long long int cpu0 = server_pid ? proc_stat_cpu_ns(server_pid) : -1;
    xsleep_msec(idle_seconds * 1000);
    long long int cpu1 = server_pid ? proc_stat_cpu_ns(server_pid) : -1;
    double p50_with = echo_p50_us(extra);
    jsonrpc_close(extra);

    double kib_per_session = (rss0 >= 0 && rss1 >= 0 && accepted
                              ? (double) (rss1 - rss0) / accepted : -1);
    double idle_cpu_ms = cpu0 >= 0 && cpu1 >= 0 ? (cpu1 - cpu0) / 1e6 : -1;

    printf("%-14s idle    %u clients: %u accepted in %.3f s%s; RSS "
           "%lld -> %lld KiB (%.1f KiB/session); CPU while idle %.0f ms "
           "in %.0f s; echo p50 %.1f us alone, %.1f us with them "
           "(%.2fx)\n", label, n_clients, accepted, accept_s,
           left ? " (TIMED OUT)" : "", rss0, rss1, kib_per_session,
           idle_cpu_ms, idle_seconds, p50_before, p50_with,
           p50_with / p50_before);
    printf("BENCH test=ovsdb-idle-clients label=%s clients=%u accepted=%u "
           "accept_s=%.3f rss0_kib=%lld rss1_kib=%lld "
           "kib_per_session=%.2f idle_seconds=%.1f idle_cpu_ms=%.0f "
           "echo_p50_alone_us=%.1f echo_p50_with_us=%.1f\n", label,
           n_clients, accepted, accept_s, rss0, rss1, kib_per_session,
           idle_seconds, idle_cpu_ms, p50_before, p50_with);
    fflush(stdout);

    for (unsigned int i = 0; i < n_clients; i++) {
        jsonrpc_close(conns[i].rpc);
        stream_close(conns[i].stream);
    }
    free(conns);
    free(pending);
    return 0;
}

/* ------------------------------------------------------------------------
 * Options. */

static void ovsdb_usage(void) VS_NO_RETURN;

static void
ovsdb_usage(void)
{
    printf("usage: vs-bench ovsdb MODE --remote=NAME [OPTIONS]\n"
           "       vs-bench ovsdb --print-schema\n"
           "Modes: select, mutate, insert, fanout, idle-clients.\n"
           "Options:\n"
           "  --remote=NAME       server to measure (unix:, tcp:, ssl:)\n"
           "  --label=TEXT        name of the server in the results\n"
           "  --db=NAME           database name (default Bench)\n"
           "  --server-pid=PID    report the server's CPU and RSS\n"
           "  --clients=N         mutate: 4, idle-clients: 10000, "
           "select: 1\n"
           "  --depth=D           requests in flight per client (mutate: "
           "8, select: 1)\n"
           "  --seconds=S         select, mutate: measured seconds (5)\n"
           "  --warmup=S          select, mutate: unmeasured start (0.5)\n"
           "  --rows=N            insert: rows per transaction (10000)\n"
           "  --monitors=N        fanout: monitoring sessions (1000)\n"
           "  --rounds=N          insert, fanout: repetitions (5)\n"
           "  --idle-seconds=S    idle-clients: CPU observation (5)\n"
           "  --echoes=N          idle-clients: echoes per p50 (2000)\n"
           "  --timeout=S         give up waiting after S seconds (60)\n");
    exit(EXIT_SUCCESS);
}

static void
parse_options(int argc, char *argv[])
{
    enum {
        OPT_REMOTE = UCHAR_MAX + 1,
        OPT_LABEL,
        OPT_DB,
        OPT_SERVER_PID,
        OPT_CLIENTS,
        OPT_DEPTH,
        OPT_ROWS,
        OPT_MONITORS,
        OPT_ROUNDS,
        OPT_ECHOES,
        OPT_SECONDS,
        OPT_WARMUP,
        OPT_IDLE_SECONDS,
        OPT_TIMEOUT,
        OPT_PRINT_SCHEMA,
        VLOG_OPTION_ENUMS
    };
    static const struct option long_options[] = {
        {"remote", required_argument, NULL, OPT_REMOTE},
        {"label", required_argument, NULL, OPT_LABEL},
        {"db", required_argument, NULL, OPT_DB},
        {"server-pid", required_argument, NULL, OPT_SERVER_PID},
        {"clients", required_argument, NULL, OPT_CLIENTS},
        {"depth", required_argument, NULL, OPT_DEPTH},
        {"rows", required_argument, NULL, OPT_ROWS},
        {"monitors", required_argument, NULL, OPT_MONITORS},
        {"rounds", required_argument, NULL, OPT_ROUNDS},
        {"echoes", required_argument, NULL, OPT_ECHOES},
        {"seconds", required_argument, NULL, OPT_SECONDS},
        {"warmup", required_argument, NULL, OPT_WARMUP},
        {"idle-seconds", required_argument, NULL, OPT_IDLE_SECONDS},
        {"timeout", required_argument, NULL, OPT_TIMEOUT},
        {"print-schema", no_argument, NULL, OPT_PRINT_SCHEMA},
        {"help", no_argument, NULL, 'h'},
        VLOG_LONG_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    unsigned int u;
    double d;

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
        case OPT_LABEL:
            label = optarg;
            break;
        case OPT_DB:
            db_name = optarg;
            break;
        case OPT_SERVER_PID:
        case OPT_CLIENTS:
        case OPT_DEPTH:
        case OPT_ROWS:
        case OPT_MONITORS:
        case OPT_ROUNDS:
        case OPT_ECHOES:
            if (!str_to_uint(optarg, &u) || !u) {
                vs_fatal(0, "%s: bad number", optarg);
            }
            *(c == OPT_SERVER_PID ? (unsigned int *) &server_pid
              : c == OPT_CLIENTS ? &n_clients
              : c == OPT_DEPTH ? &depth
              : c == OPT_ROWS ? &n_rows
              : c == OPT_MONITORS ? &n_monitors
              : c == OPT_ROUNDS ? &n_rounds : &n_echoes) = u;
            break;
        case OPT_SECONDS:
        case OPT_WARMUP:
        case OPT_IDLE_SECONDS:
        case OPT_TIMEOUT:
            if (!str_to_double(optarg, &d) || d < 0
                || (d == 0 && c != OPT_WARMUP)) {
                vs_fatal(0, "%s: bad number of seconds", optarg);
            }
            *(c == OPT_SECONDS ? &seconds
              : c == OPT_WARMUP ? &warmup
              : c == OPT_IDLE_SECONDS ? &idle_seconds : &timeout) = d;
            break;
        case OPT_PRINT_SCHEMA:
            fputs(bench_schema, stdout);
            exit(EXIT_SUCCESS);
        case 'h':
            ovsdb_usage();
        VLOG_OPTION_HANDLERS
        case '?':
            exit(EXIT_FAILURE);
        default:
            vs_abort(0, "unexpected option %d", c);
        }
    }
}

int
bench_ovsdb_main(int argc, char *argv[])
{
    signal(SIGPIPE, SIG_IGN);
    parse_options(argc, argv);
    if (optind + 1 != argc) {
        vs_fatal(0, "ovsdb: exactly one MODE is required (try --help)");
    }
    const char *mode = argv[optind];
    if (!remote) {
        vs_fatal(0, "ovsdb: --remote is required");
    }
    raise_nofile_limit();

    if (!strcmp(mode, "select") || !strcmp(mode, "mutate")) {
        bool is_select = !strcmp(mode, "select");
        n_clients = n_clients ? n_clients : is_select ? 1 : 4;
        depth = depth ? depth : is_select ? 1 : 8;
        return do_load(mode);
    } else if (!strcmp(mode, "insert")) {
        return do_insert();
    } else if (!strcmp(mode, "fanout")) {
        return do_fanout();
    } else if (!strcmp(mode, "idle-clients")) {
        n_clients = n_clients ? n_clients : 10000;
        return do_idle_clients();
    }
    vs_fatal(0, "ovsdb: unknown mode \"%s\" (try --help)", mode);
}
