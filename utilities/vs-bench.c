/* vs-bench: benchmarks for vswitch-lite.
 *
 *   vs-bench unixctl --target=[LABEL=]TARGET... [options]
 *       Request rate and latency of one unixctl command ("version") over
 *       one persistent connection per target, one request in flight
 *       (pipeline depth 1), next to a raw unix-socket ping-pong between
 *       this process and a forked child: the cost of the kernel round
 *       trip alone, the floor for any daemon.
 *
 *   vs-bench idle --pid=[LABEL=]PID... [--seconds=N]
 *       Wakeups of idle daemons over N seconds (from the scheduler's
 *       per-thread run counts in /proc) and their resident set size.
 *
 * vs-bench never starts daemons itself: utilities/vs-setup.sh bench does
 * that and passes their sockets and pids here. */
#include <config.h>

#include <ctype.h>
#include <sched.h>
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "command-line.h"
#include "jsonrpc.h"
#include "poll-loop.h"
#include "stream.h"
#include "unixctl.h"
#include "util.h"
#include "vs-bench.h"
#include "vs-bench-lib.h"

static void usage(void) VS_NO_RETURN;
static int cmd_unixctl(int argc, char *argv[]);
static int cmd_idle(int argc, char *argv[]);

int
main(int argc, char *argv[])
{
    const char *cmd;

    set_program_name(argv[0]);
    signal(SIGPIPE, SIG_IGN);

    if (argc < 2) {
        usage();
    }
    cmd = argv[1];
    if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help")) {
        usage();
    } else if (!strcmp(cmd, "-V") || !strcmp(cmd, "--version")) {
        vs_print_version();
        return EXIT_SUCCESS;
    } else if (!strcmp(cmd, "unixctl")) {
        return cmd_unixctl(argc - 1, argv + 1);
    } else if (!strcmp(cmd, "idle")) {
        return cmd_idle(argc - 1, argv + 1);
    } else if (!strcmp(cmd, "netlink")) {
        return bench_netlink_main(argc - 1, argv + 1);
    } else if (!strcmp(cmd, "echo")) {
        return bench_echo_main(argc - 1, argv + 1);
    } else if (!strcmp(cmd, "echo-server")) {
        return bench_echo_server_main(argc - 1, argv + 1);
    } else if (!strcmp(cmd, "ports")) {
        return bench_ports_main(argc - 1, argv + 1);
    } else if (!strcmp(cmd, "ovsdb")) {
        return bench_ovsdb_main(argc - 1, argv + 1);
    }
    vs_fatal(0, "unknown command \"%s\" (try --help)", cmd);
}

static void
usage(void)
{
    printf("%s: vswitch-lite benchmarks\n"
           "usage: %s COMMAND [OPTIONS]\n"
           "\nCommands:\n"
           "  unixctl --target=[LABEL=]TARGET...\n"
           "      rate and latency of a unixctl command at depth 1 over\n"
           "      one connection per target, and of a raw unix-socket\n"
           "      ping-pong (the physical limit)\n"
           "    --target=[LABEL=]TARGET  socket path or program name\n"
           "                             (repeatable)\n"
           "    --ovs=TARGET             same as --target=ovs-vswitchd="
           "TARGET\n"
           "    --baseline=LABEL         rate ratios against LABEL "
           "(default\n"
           "                             ovs-vswitchd)\n"
           "    --command=COMMAND        command to send (default "
           "version)\n"
           "    --requests=N             measured requests per target "
           "(20000)\n"
           "    --warmup=N               unmeasured requests first "
           "(1000)\n"
           "    --duration=SECS          time limit per target (10)\n"
           "    --rounds=N               interleave targets in N rounds "
           "(4)\n"
           "    --no-raw                 skip the raw ping-pong\n"
           "    --cpu=N                  run client and servers on CPU N\n"
           "    --client=jsonrpc|lean    client: lib/jsonrpc (default), or\n"
           "                             template requests and id-only\n"
           "                             reply checks\n"
           "  idle --pid=[LABEL=]PID...  wakeups and RSS of idle processes\n"
           "    --seconds=N              observation time (default 60)\n"
           "  netlink N [OPTIONS]        create N container ports through\n"
           "                             netlink (vs-bench netlink --help)\n"
           "  echo --remote=NAME [OPTIONS]\n"
           "                             JSON-RPC \"echo\" load (vs-bench "
           "echo --help)\n"
           "  echo-server LISTEN-NAME... serve \"echo\" for the above\n"
           "  ports N [OPTIONS]          add N veth container ports in one\n"
           "                             transaction; time until cur_cfg\n"
           "                             (vs-bench ports --help)\n"
           "  ovsdb MODE --remote=NAME   OVSDB workloads: select, mutate,\n"
           "                             insert, fanout, idle-clients\n"
           "                             (vs-bench ovsdb --help)\n"
           "\nOther options:\n"
           "  -h, --help                 display this help message\n"
           "  -V, --version              display version information\n"
           "\nEach result is printed as a table and as one line starting "
           "with\n\"BENCH \" made of KEY=VALUE pairs.\n",
           program_name, program_name);
    exit(EXIT_SUCCESS);
}

/* Parses a positive integer option or dies. */
static long long int
parse_positive(const char *option, const char *value)
{
    long long int n;

    if (!str_to_llong(value, &n) || n <= 0) {
        vs_fatal(0, "--%s: \"%s\" is not a positive integer", option, value);
    }
    return n;
}

/* Splits "LABEL=VALUE" into *LABELP and *VALUEP (new strings).  Without a
 * '=' (or when what precedes it contains '/', so is part of a path), the
 * label is the base name of VALUE. */
static void
split_labeled(const char *arg, char **labelp, char **valuep)
{
    const char *eq = strchr(arg, '=');

    if (eq && eq > arg && !memchr(arg, '/', eq - arg)) {
        *labelp = xmemdup0(arg, eq - arg);
        *valuep = xstrdup(eq + 1);
    } else {
        *labelp = base_name(arg);
        *valuep = xstrdup(arg);
    }
}

/* ------------------------------------------------------------------------
 * unixctl targets. */

/* Framing of back-to-back JSON objects for --client=lean: finds where a
 * top-level object ends, across reads, minding strings and escapes. */
struct lean_reader {
    char *buf;
    size_t len, allocated;
    size_t scanned;             /* Bytes of 'buf' already scanned. */
    int depth;
    bool in_string, escape;
};

struct target {
    char *label;
    char *name;                 /* As given. */
    char *path;                 /* Socket path. */
    struct jsonrpc *rpc;        /* The one persistent connection, or... */
    struct stream *stream;      /* ...with --client=lean, this one. */
    long long int next_id;      /* --client=lean: id of the next request. */
    struct lean_reader reader;  /* --client=lean: reply framing. */
    char *answer;               /* First reply, to show what we talk to. */
    size_t request_len, reply_len;  /* Wire sizes of one exchange. */
    bool is_raw;
    pid_t server_pid;           /* The peer process, 0 if unknown. */

    struct samples samples;
    long long int client_cpu_ns;    /* CPU time we spent measuring. */
    long long int server_cpu_ns;    /* CPU time the server spent, or -1. */
};

static const char *bench_command = "version";

/* --client=lean: requests from a template, replies framed by a scanner
 * that only checks the id, instead of jansson on both sides.  Still over
 * vswitch-lite's streams and reactor. */
static bool lean_client;

/* Returns the CPU time consumed so far by all threads of PID, from the
 * scheduler's statistics, in ns, or -1 if unavailable. */
static long long int
proc_cpu_ns(pid_t pid)
{
    char dir_name[64];
    struct dirent *de;
    long long int total = 0;
    DIR *dir;

    snprintf(dir_name, sizeof dir_name, "/proc/%ld/task", (long) pid);
    dir = opendir(dir_name);
    if (!dir) {
        return -1;
    }
    while ((de = readdir(dir)) != NULL) {
        long long int ns;
        char *file_name;
        FILE *f;

        if (!isdigit((unsigned char) de->d_name[0])) {
            continue;
        }
        file_name = xasprintf("%s/%s/schedstat", dir_name, de->d_name);
        f = fopen(file_name, "r");
        free(file_name);
        if (!f || fscanf(f, "%lld", &ns) != 1) {
            total = -1;
        } else if (total >= 0) {
            total += ns;
        }
        if (f) {
            fclose(f);
        }
    }
    closedir(dir);
    return total;
}

static long long int
self_cpu_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Returns the pid of the process listening on the unix socket PATH, asked
 * of the kernel (SO_PEERCRED) over a short-lived extra connection, or 0 if
 * that fails. */
static pid_t
socket_peer_pid(const char *path)
{
    struct sockaddr_un sun;
    struct ucred cred;
    socklen_t len = sizeof cred;
    pid_t pid = 0;
    int fd;

    if (strlen(path) >= sizeof sun.sun_path) {
        return 0;
    }
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return 0;
    }
    memset(&sun, 0, sizeof sun);
    sun.sun_family = AF_UNIX;
    strcpy(sun.sun_path, path);
    if (!connect(fd, (struct sockaddr *) &sun, sizeof sun)
        && !getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len)) {
        pid = cred.pid;
    }
    close(fd);
    return pid;
}

/* Scans R for the end of the first complete top-level JSON object and
 * returns its length, or 0 if it is not complete yet. */
static size_t
lean_reader_scan(struct lean_reader *r)
{
    for (; r->scanned < r->len; r->scanned++) {
        char c = r->buf[r->scanned];

        if (r->in_string) {
            if (r->escape) {
                r->escape = false;
            } else if (c == '\\') {
                r->escape = true;
            } else if (c == '"') {
                r->in_string = false;
            }
        } else if (c == '"') {
            r->in_string = true;
        } else if (c == '{' || c == '[') {
            r->depth++;
        } else if ((c == '}' || c == ']') && --r->depth == 0) {
            return ++r->scanned;
        }
    }
    return 0;
}

/* Drops the first N bytes of R (a complete object). */
static void
lean_reader_consume(struct lean_reader *r, size_t n)
{
    memmove(r->buf, r->buf + n, r->len - n);
    r->len -= n;
    r->scanned = 0;
    r->depth = 0;
    r->in_string = r->escape = false;
}

/* Checks a reply that the scanner framed: on the first one, fully, with
 * jansson (and remembers the answer); afterwards only that it carries the
 * id of the request ID. */
static void
lean_check_reply(struct target *t, const char *reply, size_t len,
                 long long int id)
{
    char id_text[32];
    const char *p;
    int n;

    if (!t->answer) {
        json_error_t error;
        json_t *json = json_loadb(reply, len, 0, &error);
        json_t *result = json ? json_object_get(json, "result") : NULL;
        json_t *err = json ? json_object_get(json, "error") : NULL;

        if (!json_is_string(result) || !json_is_null(err)
            || !json_is_integer(json_object_get(json, "id"))) {
            vs_fatal(0, "%s: unexpected reply %.*s", t->label, (int) len,
                     reply);
        }
        t->reply_len = len;
        t->answer = xstrdup(json_string_value(result));
        t->answer[strcspn(t->answer, "\n")] = '\0';
        json_decref(json);
    }

    n = snprintf(id_text, sizeof id_text, "\"id\":%lld", id);
    p = memmem(reply, len, id_text, n);
    if (!p || (p[n] != ',' && p[n] != '}')) {
        vs_fatal(0, "%s: reply without id %lld: %.*s", t->label, id,
                 (int) len, reply);
    }
}

/* One exchange with --client=lean; returns its round-trip time in ns. */
static long long int
lean_exchange(struct target *t)
{
    struct lean_reader *r = &t->reader;
    long long int id = t->next_id++;
    long long int start, end;
    char request[256];
    size_t n, sent;

    start = now_ns();
    n = snprintf(request, sizeof request,
                 "{\"id\":%lld,\"method\":\"%s\",\"params\":[]}", id,
                 bench_command);
    for (sent = 0; sent < n; ) {
        ssize_t retval = stream_send(t->stream, request + sent, n - sent);

        if (retval > 0) {
            sent += retval;
        } else if (retval == -EAGAIN) {
            stream_send_wait(t->stream);
            poll_block();
        } else {
            vs_fatal(-retval, "%s: send failed", t->label);
        }
    }
    for (;;) {
        size_t len = lean_reader_scan(r);
        ssize_t retval;

        if (len) {
            end = now_ns();
            lean_check_reply(t, r->buf, len, id);
            lean_reader_consume(r, len);
            return end - start;
        }
        if (r->allocated - r->len < 4096) {
            r->allocated = MAX(2 * r->allocated, 8192);
            r->buf = xrealloc(r->buf, r->allocated);
        }
        retval = stream_recv(t->stream, r->buf + r->len,
                             r->allocated - r->len);
        if (retval > 0) {
            r->len += retval;
        } else if (retval == -EAGAIN) {
            stream_recv_wait(t->stream);
            poll_block();
        } else {
            vs_fatal(retval ? -retval : 0, "%s: %s", t->label,
                     retval ? "receive failed" : "connection closed");
        }
    }
}

/* Sends one request to TARGET and waits for its reply; returns the
 * round-trip time in ns, including building the request and parsing the
 * reply (a client cannot avoid those). */
static long long int
target_exchange(struct target *t)
{
    struct jsonrpc_msg *request, *reply;
    long long int start, end;
    int error;

    if (lean_client) {
        return lean_exchange(t);
    }

    start = now_ns();
    request = jsonrpc_create_request(bench_command, json_array(), NULL);
    error = jsonrpc_transact_block(t->rpc, request, &reply);
    end = now_ns();
    if (error) {
        vs_fatal(error, "%s: transaction failed", t->label);
    }
    if (reply->type != JSONRPC_REPLY || !json_is_string(reply->result)) {
        char *s = jsonrpc_msg_to_string(reply);
        vs_fatal(0, "%s: unexpected reply %s", t->label, s);
    }
    if (!t->answer) {
        char *s = jsonrpc_msg_to_string(reply);

        t->reply_len = strlen(s);
        free(s);
        t->answer = xstrdup(json_string_value(reply->result));
        t->answer[strcspn(t->answer, "\n")] = '\0';
    }
    jsonrpc_msg_destroy(reply);
    return end - start;
}

static void
target_connect(struct target *t)
{
    struct jsonrpc_msg *request;
    char *error_msg = NULL;
    char *s;
    int error;

    t->path = unixctl_target_to_path(t->name, &error_msg);
    if (!t->path) {
        vs_fatal(0, "%s: %s", t->label, error_msg);
    }
    if (lean_client) {
        char *name = xasprintf("unix:%s", t->path);

        error = stream_open_block(stream_open(name, &t->stream), 10000,
                                  &t->stream);
        free(name);
    } else {
        error = unixctl_client_create(t->path, &t->rpc);
    }
    if (error) {
        vs_fatal(error, "%s: cannot connect to %s", t->label, t->path);
    }
    t->server_pid = socket_peer_pid(t->path);

    request = jsonrpc_create_request(bench_command, json_array(), NULL);
    s = jsonrpc_msg_to_string(request);
    t->request_len = strlen(s);
    free(s);
    jsonrpc_msg_destroy(request);
}

/* Measures up to N exchanges with T (or the raw peer if T->is_raw),
 * stopping early after BUDGET_NS of run time. */
static void
measure(struct target *t, struct raw_peer *raw, long long int n,
        long long int budget_ns)
{
    long long int server_cpu0 = t->server_pid ? proc_cpu_ns(t->server_pid)
                                              : -1;
    long long int client_cpu0 = self_cpu_ns();
    long long int start = now_ns();
    long long int server_cpu1;
    long long int i;

    for (i = 0; i < n; i++) {
        long long int rtt = t->is_raw ? raw_peer_exchange(raw)
                                      : target_exchange(t);
        samples_add(&t->samples, rtt);
        if (!(i & 63) && now_ns() - start > budget_ns) {
            break;
        }
    }
    t->samples.busy_ns += now_ns() - start;
    t->client_cpu_ns += self_cpu_ns() - client_cpu0;

    server_cpu1 = server_cpu0 >= 0 ? proc_cpu_ns(t->server_pid) : -1;
    if (server_cpu1 < 0 || t->server_cpu_ns < 0) {
        t->server_cpu_ns = -1;
    } else {
        t->server_cpu_ns += server_cpu1 - server_cpu0;
    }
}

/* Per-request CPU time in microseconds, or a negative number if unknown. */
static double
per_request_us(const struct target *t, long long int cpu_ns)
{
    return cpu_ns >= 0 && t->samples.n ? cpu_ns / 1e3 / t->samples.n : -1;
}

/* Prints VALUE in a column of WIDTH characters with a leading space,
 * followed by SUFFIX, or "-" if VALUE is negative (unknown). */
static void
print_column(double value, int precision, const char *suffix, int width)
{
    if (value >= 0) {
        printf(" %*.*f%s", width - (int) strlen(suffix), precision, value,
               suffix);
    } else {
        printf(" %*s", width, "-");
    }
}

/* CPU affinity of the threads we pinned, to restore them afterwards. */
struct saved_affinity {
    pid_t tid;
    cpu_set_t mask;
};
static struct saved_affinity *saved_affinities;
static size_t n_saved_affinities;

/* Pins thread TID to CPU, remembering its previous affinity. */
static void
pin_thread(pid_t tid, int cpu)
{
    struct saved_affinity *sa;
    cpu_set_t mask;

    saved_affinities = xrealloc(saved_affinities, (n_saved_affinities + 1)
                                * sizeof *saved_affinities);
    sa = &saved_affinities[n_saved_affinities];
    if (sched_getaffinity(tid, sizeof sa->mask, &sa->mask)) {
        vs_fatal(errno, "cannot read the CPU affinity of thread %ld",
                 (long) tid);
    }
    sa->tid = tid;
    n_saved_affinities++;

    CPU_ZERO(&mask);
    CPU_SET(cpu, &mask);
    if (sched_setaffinity(tid, sizeof mask, &mask)) {
        vs_fatal(errno, "cannot pin thread %ld to CPU %d", (long) tid, cpu);
    }
}

/* Pins every thread of process PID to CPU. */
static void
pin_process(pid_t pid, int cpu)
{
    char dir_name[64];
    struct dirent *de;
    DIR *dir;

    snprintf(dir_name, sizeof dir_name, "/proc/%ld/task", (long) pid);
    dir = opendir(dir_name);
    if (!dir) {
        vs_fatal(errno, "cannot list the threads of process %ld",
                 (long) pid);
    }
    while ((de = readdir(dir)) != NULL) {
        if (isdigit((unsigned char) de->d_name[0])) {
            pin_thread(atoi(de->d_name), cpu);
        }
    }
    closedir(dir);
}

/* Restores the affinities changed by pin_thread(), most recent first, so
 * that our own thread is restored last. */
static void
unpin_all(void)
{
    while (n_saved_affinities > 0) {
        struct saved_affinity *sa
            = &saved_affinities[--n_saved_affinities];
        sched_setaffinity(sa->tid, sizeof sa->mask, &sa->mask);
    }
    free(saved_affinities);
    saved_affinities = NULL;
}

static int
cmd_unixctl(int argc, char *argv[])
{
    enum {
        OPT_TARGET = UCHAR_MAX + 1,
        OPT_OVS,
        OPT_BASELINE,
        OPT_COMMAND,
        OPT_REQUESTS,
        OPT_WARMUP,
        OPT_DURATION,
        OPT_ROUNDS,
        OPT_NO_RAW,
        OPT_CPU,
        OPT_CLIENT,
    };
    static const struct option long_options[] = {
        {"target", required_argument, NULL, OPT_TARGET},
        {"ovs", required_argument, NULL, OPT_OVS},
        {"baseline", required_argument, NULL, OPT_BASELINE},
        {"command", required_argument, NULL, OPT_COMMAND},
        {"requests", required_argument, NULL, OPT_REQUESTS},
        {"warmup", required_argument, NULL, OPT_WARMUP},
        {"duration", required_argument, NULL, OPT_DURATION},
        {"rounds", required_argument, NULL, OPT_ROUNDS},
        {"no-raw", no_argument, NULL, OPT_NO_RAW},
        {"cpu", required_argument, NULL, OPT_CPU},
        {"client", required_argument, NULL, OPT_CLIENT},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    long long int requests = 20000, warmup = 1000, duration = 10;
    long long int rounds = 4;
    const char *baseline_label = "ovs-vswitchd";
    bool do_raw = true;
    struct target **targets = NULL;     /* Raw ping-pong first, if any. */
    struct target *raw_t = NULL, *base_t = NULL;
    size_t n_targets = 0, i;
    struct raw_peer raw;
    long long int r;
    int cpu = -1;
    char cpu_name[16];

    optind = 1;
    for (;;) {
        int c = getopt_long(argc, argv, "h", long_options, NULL);
        struct target *t;

        if (c == -1) {
            break;
        }
        switch (c) {
        case OPT_TARGET:
        case OPT_OVS:
            t = xzalloc(sizeof *t);
            if (c == OPT_OVS) {
                t->label = xstrdup("ovs-vswitchd");
                t->name = xstrdup(optarg);
            } else {
                split_labeled(optarg, &t->label, &t->name);
            }
            targets = xrealloc(targets, (n_targets + 1) * sizeof *targets);
            targets[n_targets++] = t;
            break;
        case OPT_BASELINE:
            baseline_label = optarg;
            break;
        case OPT_COMMAND:
            if (!optarg[0] || strpbrk(optarg, "\"\\")
                || strlen(optarg) > 100) {
                vs_fatal(0, "--command: \"%s\" is not a command name",
                         optarg);
            }
            bench_command = optarg;
            break;
        case OPT_REQUESTS:
            requests = parse_positive("requests", optarg);
            break;
        case OPT_WARMUP:
            warmup = parse_positive("warmup", optarg);
            break;
        case OPT_DURATION:
            duration = parse_positive("duration", optarg);
            break;
        case OPT_ROUNDS:
            rounds = parse_positive("rounds", optarg);
            break;
        case OPT_NO_RAW:
            do_raw = false;
            break;
        case OPT_CLIENT:
            if (!strcmp(optarg, "lean")) {
                lean_client = true;
            } else if (!strcmp(optarg, "jsonrpc")) {
                lean_client = false;
            } else {
                vs_fatal(0, "--client: \"%s\" is not \"jsonrpc\" or "
                         "\"lean\"", optarg);
            }
            break;
        case OPT_CPU:
            if (!str_to_int(optarg, &cpu) || cpu < 0 || cpu >= CPU_SETSIZE) {
                vs_fatal(0, "--cpu: \"%s\" is not a CPU number", optarg);
            }
            break;
        case 'h':
            usage();
        case '?':
            exit(EXIT_FAILURE);
        default:
            vs_abort(0, "unhandled option %d", c);
        }
    }
    if (optind < argc) {
        vs_fatal(0, "unexpected argument \"%s\" (try --help)", argv[optind]);
    }
    if (!n_targets && !do_raw) {
        vs_fatal(0, "nothing to measure (try --target)");
    }
    rounds = MIN(rounds, requests);

    /* Connect and, with --cpu, move everyone to the one CPU: ourselves
     * (and so the raw ping-pong child, forked later) and the servers. */
    for (i = 0; i < n_targets; i++) {
        target_connect(targets[i]);
    }
    if (cpu >= 0) {
        pin_thread(0, cpu);
        for (i = 0; i < n_targets; i++) {
            if (!targets[i]->server_pid) {
                vs_fatal(0, "%s: --cpu needs the server's pid, which the "
                         "kernel did not tell", targets[i]->label);
            }
            pin_process(targets[i]->server_pid, cpu);
        }
    }

    /* Warm up (caches, allocator, the daemons' first-time paths) and
     * learn the wire sizes. */
    for (i = 0; i < n_targets; i++) {
        struct target *t = targets[i];
        long long int j;

        for (j = 0; j < warmup; j++) {
            target_exchange(t);
        }
        if (!base_t && !strcmp(t->label, baseline_label)) {
            base_t = t;
        }
    }

    if (do_raw) {
        size_t request_len = n_targets ? targets[0]->request_len : 40;
        size_t reply_len = n_targets ? targets[0]->reply_len : 64;
        long long int j;

        raw_t = xzalloc(sizeof *raw_t);
        raw_t->label = xstrdup("raw-pingpong");
        raw_t->is_raw = true;
        raw_t->request_len = request_len;
        raw_t->reply_len = reply_len;
        raw_t->answer = xasprintf("%zu bytes out, %zu bytes back over a "
                                  "socketpair, forked echo child",
                                  request_len, reply_len);
        raw_peer_start(&raw, "unix", request_len, reply_len);
        raw_t->server_pid = raw.pid;
        for (j = 0; j < warmup; j++) {
            raw_peer_exchange(&raw);
        }

        targets = xrealloc(targets, (n_targets + 1) * sizeof *targets);
        memmove(&targets[1], &targets[0], n_targets * sizeof *targets);
        targets[0] = raw_t;
        n_targets++;
    }

    printf("unixctl \"%s\": one connection per target, one request in "
           "flight,\n%lld requests per target in %lld interleaved rounds "
           "(after %lld warm-up requests),\n%s client", bench_command,
           requests, rounds, warmup,
           lean_client ? "lean (template requests, id-only reply check)"
                       : "jsonrpc (lib/jsonrpc on both directions)");
    if (cpu >= 0) {
        printf(",\nclient and servers all pinned to CPU %d", cpu);
    } else {
        printf(",\nCPU placement left to the scheduler");
    }
    printf("\n\n");
    for (i = 0; i < n_targets; i++) {
        struct target *t = targets[i];

        printf("  %-14s %s%s%s", t->label, t->is_raw ? "" : t->path,
               t->is_raw ? "" : ": ", t->answer);
        if (t->server_pid && !t->is_raw) {
            printf(" (pid %ld)", (long) t->server_pid);
        }
        printf("\n");
    }
    fflush(stdout);

    /* Rounds: each target in turn gets a slice, so that slow drift (CPU
     * frequency, other load) affects all of them alike. */
    for (r = 0; r < rounds; r++) {
        long long int n = requests / rounds + (r < requests % rounds);
        long long int budget = duration * 1000000000LL / rounds;

        for (i = 0; i < n_targets; i++) {
            measure(targets[i], &raw, n, budget);
        }
    }
    if (raw_t) {
        raw_peer_stop(&raw);
    }
    unpin_all();

    for (i = 0; i < n_targets; i++) {
        samples_sort(&targets[i]->samples);
    }

    printf("\n%-14s %8s %9s %7s %7s %8s %9s %8s %8s\n", "", "", "",
           "", "", "", "", "client", "server");
    printf("%-14s %8s %9s %7s %7s %8s %9s %8s %8s\n", "target",
           "requests", "req/s", "p50 us", "p99 us", "p50/raw", "rate/base",
           "CPU us", "CPU us");
    for (i = 0; i < n_targets; i++) {
        struct target *t = targets[i];
        double p50 = samples_percentile_us(&t->samples, 50);
        double p99 = samples_percentile_us(&t->samples, 99);
        double rate = samples_rate(&t->samples);

        printf("%-14s %8zu %9.0f %7.1f %7.1f", t->label, t->samples.n,
               rate, p50, p99);
        print_column(raw_t
                     ? p50 / samples_percentile_us(&raw_t->samples, 50)
                     : -1, 2, "x", 8);
        print_column(base_t && !t->is_raw
                     ? rate / samples_rate(&base_t->samples) : -1,
                     2, "x", 9);
        print_column(per_request_us(t, t->client_cpu_ns), 1, "", 8);
        print_column(per_request_us(t, t->server_cpu_ns), 1, "", 8);
        printf("\n");
    }
    printf("\np50/raw:   median round trip relative to the raw "
           "ping-pong's\n");
    if (base_t) {
        printf("rate/base: request rate relative to %s\n", base_t->label);
    }
    printf("CPU us:    CPU time per request of this client (building, "
           "sending,\n           receiving, parsing) and of the server "
           "process (all threads)\n\n");

    snprintf(cpu_name, sizeof cpu_name, "%d", cpu);
    for (i = 0; i < n_targets; i++) {
        struct target *t = targets[i];
        double p50 = samples_percentile_us(&t->samples, 50);

        printf("BENCH unixctl target=%s command=%s client=%s cpu=%s "
               "requests=%zu rate=%.0f p50_us=%.1f p99_us=%.1f",
               t->label, bench_command, lean_client ? "lean" : "jsonrpc",
               cpu >= 0 ? cpu_name : "any",
               t->samples.n,
               samples_rate(&t->samples), p50,
               samples_percentile_us(&t->samples, 99));
        if (raw_t) {
            printf(" p50_over_raw=%.2f",
                   p50 / samples_percentile_us(&raw_t->samples, 50));
        }
        if (base_t && !t->is_raw) {
            printf(" rate_over_%s=%.2f", base_t->label,
                   samples_rate(&t->samples)
                   / samples_rate(&base_t->samples));
        }
        printf(" client_cpu_us=%.2f",
               per_request_us(t, t->client_cpu_ns));
        if (t->server_pid && t->server_cpu_ns >= 0) {
            printf(" server_cpu_us=%.2f",
                   per_request_us(t, t->server_cpu_ns));
        }
        printf("\n");
    }

    for (i = 0; i < n_targets; i++) {
        struct target *t = targets[i];

        jsonrpc_close(t->rpc);
        stream_close(t->stream);
        free(t->reader.buf);
        free(t->label);
        free(t->name);
        free(t->path);
        free(t->answer);
        free(t->samples.ns);
        free(t);
    }
    free(targets);
    return EXIT_SUCCESS;
}

/* ------------------------------------------------------------------------
 * idle. */

struct idle_proc {
    char *label;
    pid_t pid;
    bool have_schedstat;
    bool gone;                  /* Exited during the measurement. */
    unsigned long long int runs0, runs1;    /* Scheduler run counts. */
    unsigned long long int ctxt0, ctxt1;    /* Context switches. */
    unsigned long long int rss_kib;
    int n_threads;
};

/* Reads the "KEY: VALUE" number from a /proc status file's text. */
static bool
status_field(const char *text, const char *key, unsigned long long int *v)
{
    size_t len = strlen(key);
    const char *p = text;

    while (p && *p) {
        if (!strncmp(p, key, len) && p[len] == ':') {
            *v = strtoull(p + len + 1, NULL, 10);
            return true;
        }
        p = strchr(p, '\n');
        p = p ? p + 1 : NULL;
    }
    return false;
}

static char *
read_small_file(const char *file_name)
{
    char buf[8192];
    size_t n;
    FILE *f = fopen(file_name, "r");

    if (!f) {
        return NULL;
    }
    n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return xstrdup(buf);
}

/* Sums the run counts (from schedstat) and context switches of all threads
 * of P.  Returns false if the process is gone. */
static bool
idle_sample(struct idle_proc *p, unsigned long long int *runs,
            unsigned long long int *ctxt)
{
    char dir_name[64];
    struct dirent *de;
    DIR *dir;

    snprintf(dir_name, sizeof dir_name, "/proc/%ld/task", (long) p->pid);
    dir = opendir(dir_name);
    if (!dir) {
        return false;
    }
    *runs = *ctxt = 0;
    p->n_threads = 0;
    p->have_schedstat = true;
    while ((de = readdir(dir)) != NULL) {
        unsigned long long int vol = 0, invol = 0;
        char *file_name, *text;

        if (!isdigit((unsigned char) de->d_name[0])) {
            continue;
        }
        p->n_threads++;

        file_name = xasprintf("%s/%s/schedstat", dir_name, de->d_name);
        text = read_small_file(file_name);
        free(file_name);
        if (text) {
            unsigned long long int run_ns, wait_ns, count;
            if (sscanf(text, "%llu %llu %llu", &run_ns, &wait_ns,
                       &count) == 3) {
                *runs += count;
            } else {
                p->have_schedstat = false;
            }
            free(text);
        } else {
            p->have_schedstat = false;
        }

        file_name = xasprintf("%s/%s/status", dir_name, de->d_name);
        text = read_small_file(file_name);
        free(file_name);
        if (text) {
            status_field(text, "voluntary_ctxt_switches", &vol);
            status_field(text, "nonvoluntary_ctxt_switches", &invol);
            *ctxt += vol + invol;
            free(text);
        }
    }
    closedir(dir);
    return true;
}

static int
cmd_idle(int argc, char *argv[])
{
    enum {
        OPT_PID = UCHAR_MAX + 1,
        OPT_SECONDS,
    };
    static const struct option long_options[] = {
        {"pid", required_argument, NULL, OPT_PID},
        {"seconds", required_argument, NULL, OPT_SECONDS},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct idle_proc *procs = NULL;
    size_t n_procs = 0, i;
    long long int seconds = 60;
    long long int start, elapsed;
    int status = EXIT_SUCCESS;

    optind = 1;
    for (;;) {
        int c = getopt_long(argc, argv, "h", long_options, NULL);
        struct idle_proc *p;
        char *value;
        long long int pid;

        if (c == -1) {
            break;
        }
        switch (c) {
        case OPT_PID:
            procs = xrealloc(procs, (n_procs + 1) * sizeof *procs);
            p = &procs[n_procs++];
            memset(p, 0, sizeof *p);
            split_labeled(optarg, &p->label, &value);
            pid = parse_positive("pid", value);
            if (pid > INT_MAX) {
                vs_fatal(0, "--pid: %s is out of range", value);
            }
            p->pid = pid;
            if (!strchr(optarg, '=')) {
                char *comm_file = xasprintf("/proc/%lld/comm", pid);
                char *comm = read_small_file(comm_file);

                free(p->label);
                p->label = comm ? comm : xstrdup(value);
                p->label[strcspn(p->label, "\n")] = '\0';
                free(comm_file);
            }
            free(value);
            break;
        case OPT_SECONDS:
            seconds = parse_positive("seconds", optarg);
            break;
        case 'h':
            usage();
        case '?':
            exit(EXIT_FAILURE);
        default:
            vs_abort(0, "unhandled option %d", c);
        }
    }
    if (optind < argc) {
        vs_fatal(0, "unexpected argument \"%s\" (try --help)", argv[optind]);
    }
    if (!n_procs) {
        vs_fatal(0, "idle: at least one --pid is required");
    }

    for (i = 0; i < n_procs; i++) {
        struct idle_proc *p = &procs[i];

        if (!idle_sample(p, &p->runs0, &p->ctxt0)) {
            vs_fatal(0, "%s: no process with pid %ld", p->label,
                     (long) p->pid);
        }
    }
    printf("watching %zu idle process%s for %lld s...\n", n_procs,
           n_procs == 1 ? "" : "es", seconds);
    fflush(stdout);

    start = now_ns();
    xsleep_msec(seconds * 1000);
    elapsed = now_ns() - start;

    printf("\n%-14s %8s %8s %9s %12s %9s %9s\n", "process", "pid",
           "threads", "wakeups", "wakeups/min", "ctxt-sw", "RSS KiB");
    for (i = 0; i < n_procs; i++) {
        struct idle_proc *p = &procs[i];
        char *status_file, *text;
        unsigned long long int wakeups;
        double per_min;

        if (!idle_sample(p, &p->runs1, &p->ctxt1)) {
            printf("%-14s %8ld exited during the measurement\n", p->label,
                   (long) p->pid);
            p->gone = true;
            status = EXIT_FAILURE;
            continue;
        }
        status_file = xasprintf("/proc/%ld/status", (long) p->pid);
        text = read_small_file(status_file);
        if (!text || !status_field(text, "VmRSS", &p->rss_kib)) {
            p->rss_kib = 0;
        }
        free(text);
        free(status_file);

        wakeups = (p->have_schedstat ? p->runs1 - p->runs0
                   : p->ctxt1 - p->ctxt0);
        per_min = wakeups * 60e9 / elapsed;
        printf("%-14s %8ld %8d %9llu %12.1f %9llu %9llu\n", p->label,
               (long) p->pid, p->n_threads, wakeups, per_min,
               p->ctxt1 - p->ctxt0, p->rss_kib);
        p->runs1 = wakeups;     /* Remember for the BENCH line. */
    }
    printf("(wakeups: times the process's threads were scheduled, from "
           "/proc/PID/task/*/schedstat)\n\n");

    for (i = 0; i < n_procs; i++) {
        struct idle_proc *p = &procs[i];

        if (p->gone) {
            continue;
        }
        printf("BENCH idle process=%s pid=%ld seconds=%.1f wakeups=%llu "
               "wakeups_per_min=%.1f ctxt_switches=%llu rss_kib=%llu\n",
               p->label, (long) p->pid, elapsed / 1e9, p->runs1,
               p->runs1 * 60e9 / elapsed, p->ctxt1 - p->ctxt0,
               p->rss_kib);
    }

    for (i = 0; i < n_procs; i++) {
        free(procs[i].label);
    }
    free(procs);
    return status;
}
