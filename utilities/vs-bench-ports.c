/* vs-bench ports: how fast vswitchd realizes container ports.
 *
 *   vs-bench ports N [--db=SERVER] [--netns-prefix=PREFIX] [--bridge=BR]
 *                    [--subnet=A.B] [--port-prefix=NAME] [--timeout=SECS]
 *
 * Adds N veth container ports to bridge BR (created first if needed) in
 * ONE database transaction, as an orchestrator would: for container i, an
 * Interface named NAMEi (default "vb"i) of type veth with
 * options:netns=PREFIXi, options:peer=eth0 and options:address=A.B.x.y/16,
 * and its Port.  The namespaces must exist
 * (utilities/vs-bench-ports.sh creates them and runs the daemons).  The
 * clock starts when the transaction is sent and stops when vswitchd
 * reports Open_vSwitch.cur_cfg >= the transaction's next_cfg, i.e. when
 * every port is realized in the kernel (or has its error recorded).
 * Prints the commit time, the total, the rate, and how many interfaces
 * came up without error. */
#include <config.h>

#include "vs-bench.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dirs.h"
#include "ovsdb-data.h"
#include "ovsdb-idl.h"
#include "poll-loop.h"
#include "timeval.h"
#include "util.h"
#include "vlog.h"

static double
now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static struct ovsdb_idl *idl;
static long long int deadline;

/* Runs the IDL until COND(), or dies on timeout or connection loss. */
static void
run_until(bool (*cond)(const void *), const void *aux, const char *what)
{
    for (;;) {
        ovsdb_idl_run(idl);
        if (cond(aux)) {
            return;
        }
        if (!ovsdb_idl_is_alive(idl)) {
            fprintf(stderr, "vs-bench ports: database connection lost "
                    "while %s\n", what);
            exit(1);
        }
        if (time_msec() >= deadline) {
            fprintf(stderr, "vs-bench ports: timeout while %s\n", what);
            exit(1);
        }
        ovsdb_idl_wait(idl);
        poll_timer_wait_until(deadline);
        poll_block();
    }
}

static bool
connected(const void *aux VS_UNUSED)
{
    return ovsdb_idl_is_connected(idl);
}

static bool
cfg_reached(const void *cfg_)
{
    const int64_t *cfg = cfg_;
    const struct ovsdb_idl_row *ovs = ovsdb_idl_first_row(idl,
                                                          "Open_vSwitch");

    return ovs && ovsdb_idl_row_get_integer(ovs, "cur_cfg", 0) >= *cfg;
}

/* Commits TXN, which increments next_cfg; returns the new next_cfg. */
static int64_t
commit(struct ovsdb_idl_txn *txn, const char *what)
{
    enum ovsdb_idl_txn_status status;
    int64_t cfg;

    while ((status = ovsdb_idl_txn_commit(txn)) == TXN_INCOMPLETE) {
        if (time_msec() >= deadline) {
            fprintf(stderr, "vs-bench ports: timeout while %s\n", what);
            exit(1);
        }
        ovsdb_idl_run(idl);
        ovsdb_idl_wait(idl);
        ovsdb_idl_txn_wait(txn);
        poll_timer_wait_until(deadline);
        poll_block();
    }
    if (status != TXN_SUCCESS) {
        const char *err = ovsdb_idl_txn_get_error(txn);

        fprintf(stderr, "vs-bench ports: %s: %s%s%s\n", what,
                ovsdb_idl_txn_status_to_string(status), err ? ": " : "",
                err ? err : "");
        exit(1);
    }
    cfg = ovsdb_idl_txn_get_increment_new_value(txn);
    ovsdb_idl_txn_destroy(txn);
    return cfg;
}

static const struct ovsdb_idl_row *
find_bridge(const char *name)
{
    return ovsdb_idl_find_row_by_string(idl, "Bridge", "name", name);
}

/* Creates bridge NAME (with its internal port) and waits for vswitchd. */
static void
create_bridge(const char *name)
{
    const struct ovsdb_idl_row *ovs = ovsdb_idl_first_row(idl,
                                                          "Open_vSwitch");
    const struct ovsdb_idl_row *br, *port, *iface;
    struct uuid bu, pu, iu;
    struct ovsdb_idl_txn *txn;
    const struct ovsdb_type *type;
    union ovsdb_atom atom;
    struct ovsdb_datum d;
    int64_t cfg;

    txn = ovsdb_idl_txn_create(idl);
    uuid_random(&bu);
    uuid_random(&pu);
    uuid_random(&iu);
    iface = ovsdb_idl_txn_insert(txn, "Interface", &iu);
    port = ovsdb_idl_txn_insert(txn, "Port", &pu);
    br = ovsdb_idl_txn_insert(txn, "Bridge", &bu);
    ovsdb_idl_txn_write_string(txn, iface, "name", name);
    ovsdb_idl_txn_write_string(txn, iface, "type", "internal");
    ovsdb_idl_txn_write_string(txn, port, "name", name);
    ovsdb_idl_txn_write_uuid(txn, port, "interfaces", &iu);
    ovsdb_idl_txn_write_string(txn, br, "name", name);
    ovsdb_idl_txn_write_uuid(txn, br, "ports", &pu);
    ovsdb_idl_row_get(ovs, "bridges", &type);
    atom.uuid = bu;
    ovsdb_datum_init_empty(&d);
    ovsdb_datum_add_unsafe(&d, &atom, NULL, type);
    ovsdb_idl_txn_mutate(txn, ovs, "bridges", "insert", &d);
    ovsdb_idl_txn_increment(txn, ovs, "next_cfg");
    cfg = commit(txn, "creating the bridge");
    run_until(cfg_reached, &cfg, "waiting for vswitchd (bridge)");
}

static void
bench_usage(void)
{
    printf("usage: vs-bench ports N [--db=SERVER] [--netns-prefix=PREFIX]\n"
           "                        [--bridge=BR] [--subnet=A.B] "
           "[--port-prefix=NAME]\n"
           "                        [--timeout=SECS]\n"
           "Adds N veth container ports (peers in namespaces PREFIX1.."
           "PREFIXN,\nwhich must exist) to BR in one transaction and times "
           "until vswitchd\nconfirms them (cur_cfg).  Defaults: "
           "--db=unix:$VS_RUNDIR/db.sock\n--netns-prefix=vsbench-c "
           "--bridge=br0 --subnet=10.64 --timeout=600\n");
}

int
bench_ports_main(int argc, char *argv[])
{
    static const struct option options[] = {
        {"db", required_argument, NULL, 'd'},
        {"netns-prefix", required_argument, NULL, 'p'},
        {"bridge", required_argument, NULL, 'b'},
        {"subnet", required_argument, NULL, 's'},
        {"timeout", required_argument, NULL, 't'},
        {"port-prefix", required_argument, NULL, 'n'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *prefix = "vsbench-c", *bridge = "br0", *subnet = "10.64";
    const char *pprefix = "vb";
    char *db = NULL;
    int n, c, timeout = 600, n_ok = 0, n_err = 0;
    const struct ovsdb_idl_row *ovs, *br, *row;
    struct ovsdb_idl_txn *txn;
    struct uuid *port_uuids;
    const char *first_error = NULL;
    double t0, t1, t2;
    int64_t cfg;

    vlog_set_levels(NULL, VLF_CONSOLE, VLL_WARN);
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        switch (c) {
        case 'd': free(db); db = xstrdup(optarg); break;
        case 'p': prefix = optarg; break;
        case 'b': bridge = optarg; break;
        case 's': subnet = optarg; break;
        case 'n': pprefix = optarg; break;
        case 't':
            if (!str_to_int(optarg, &timeout) || timeout < 1) {
                fprintf(stderr, "vs-bench ports: bad --timeout\n");
                return 2;
            }
            break;
        case 'h': bench_usage(); return 0;
        default: return 2;
        }
    }
    if (optind >= argc || !str_to_int(argv[optind], &n) || n < 1
        || n > 60000) {
        fprintf(stderr, "vs-bench ports: need a port count between 1 and "
                "60000 (try --help)\n");
        return 2;
    }
    if (!db) {
        db = xasprintf("unix:%s/db.sock", vs_rundir());
    }
    deadline = time_msec() + timeout * 1000LL;

    idl = ovsdb_idl_create(db, "Open_vSwitch", false);
    ovsdb_idl_add_column(idl, "Open_vSwitch", "bridges");
    ovsdb_idl_add_column(idl, "Open_vSwitch", "next_cfg");
    ovsdb_idl_add_column(idl, "Open_vSwitch", "cur_cfg");
    ovsdb_idl_add_column(idl, "Bridge", "name");
    ovsdb_idl_add_column(idl, "Bridge", "ports");
    ovsdb_idl_add_column(idl, "Port", "name");
    ovsdb_idl_add_column(idl, "Port", "interfaces");
    ovsdb_idl_add_column(idl, "Interface", "name");
    ovsdb_idl_add_column(idl, "Interface", "type");
    ovsdb_idl_add_column(idl, "Interface", "options");
    ovsdb_idl_add_column(idl, "Interface", "error");
    ovsdb_idl_add_column(idl, "Interface", "ofport");
    run_until(connected, NULL, "connecting to the database");
    ovs = ovsdb_idl_first_row(idl, "Open_vSwitch");
    if (!ovs) {
        fprintf(stderr, "vs-bench ports: no Open_vSwitch row (run "
                "\"vsctl init\")\n");
        return 1;
    }
    if (!find_bridge(bridge)) {
        create_bridge(bridge);
    }
    br = find_bridge(bridge);
    ovs = ovsdb_idl_first_row(idl, "Open_vSwitch");

    /* The one transaction. */
    txn = ovsdb_idl_txn_create(idl);
    ovsdb_idl_txn_add_comment(txn, "vs-bench ports %d", n);
    port_uuids = xmalloc(n * sizeof *port_uuids);
    for (int i = 1; i <= n; i++) {
        char name[16], netns[256], addr[32];
        const struct ovsdb_idl_row *port, *iface;
        const char *opts[6];
        struct uuid iu;

        snprintf(name, sizeof name, "%s%d", pprefix, i);
        snprintf(netns, sizeof netns, "%s%d", prefix, i);
        snprintf(addr, sizeof addr, "%s.%d.%d/16", subnet, i / 250,
                 i % 250 + 1);
        uuid_random(&iu);
        uuid_random(&port_uuids[i - 1]);
        iface = ovsdb_idl_txn_insert(txn, "Interface", &iu);
        port = ovsdb_idl_txn_insert(txn, "Port", &port_uuids[i - 1]);
        ovsdb_idl_txn_write_string(txn, iface, "name", name);
        ovsdb_idl_txn_write_string(txn, iface, "type", "veth");
        opts[0] = "address";
        opts[1] = addr;
        opts[2] = "netns";
        opts[3] = netns;
        opts[4] = "peer";
        opts[5] = "eth0";
        if (!ovsdb_idl_txn_write_smap(txn, iface, "options", opts, 3)) {
            fprintf(stderr, "vs-bench ports: the database has no column "
                    "options in table Interface\n");
            exit(1);
        }
        ovsdb_idl_txn_write_string(txn, port, "name", name);
        ovsdb_idl_txn_write_uuid(txn, port, "interfaces", &iu);
    }
    {
        const struct ovsdb_type *type;
        struct ovsdb_datum d;

        ovsdb_idl_row_get(br, "ports", &type);
        ovsdb_datum_init_empty(&d);
        for (int i = 0; i < n; i++) {
            union ovsdb_atom atom = { .uuid = port_uuids[i] };

            ovsdb_datum_add_unsafe(&d, &atom, NULL, type);
        }
        ovsdb_datum_sort_assert(&d, type);
        ovsdb_idl_txn_mutate(txn, br, "ports", "insert", &d);
    }
    ovsdb_idl_txn_increment(txn, ovs, "next_cfg");

    t0 = now();
    cfg = commit(txn, "adding the ports");
    t1 = now();
    run_until(cfg_reached, &cfg, "waiting for vswitchd to apply the ports");
    t2 = now();

    OVSDB_IDL_FOR_EACH (row, "Interface", idl) {
        const char *name = ovsdb_idl_row_get_string(row, "name");
        const char *err = ovsdb_idl_row_get_string(row, "error");

        if (!name || strncmp(name, pprefix, strlen(pprefix))
            || !str_to_int(name + strlen(pprefix), &c) || c < 1 || c > n) {
            continue;
        }
        if (err) {
            n_err++;
            first_error = first_error ? first_error : err;
        } else if (ovsdb_idl_row_get_integer(row, "ofport", -1) > 0) {
            n_ok++;
        }
    }

    printf("ports: %d\n", n);
    printf("commit_ms: %.1f\n", (t1 - t0) * 1e3);
    printf("seconds: %.3f\n", t2 - t0);
    printf("rate: %.1f ports/s\n", n / (t2 - t0));
    printf("per_port_us: %.0f\n", (t2 - t0) * 1e6 / n);
    printf("realized: %d of %d (errors: %d)\n", n_ok, n, n_err);
    if (first_error) {
        printf("first_error: %s\n", first_error);
    }
    free(port_uuids);
    ovsdb_idl_destroy(idl);
    free(db);
    return n_ok == n ? 0 : 1;
}
