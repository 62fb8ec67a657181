/* vs-bench netlink: how fast lib/netlink plugs containers into a bridge.
 *
 *   vs-bench netlink N [--netns-prefix=PREFIX] [--bridge=BR]
 *                      [--host-netns=NS] [--subnet=A.B] [--progress=K]
 *
 * For each of N containers, whose network namespaces PREFIX1 ... PREFIXN
 * must exist already (utilities/vs-bench-netlink.sh creates them, and runs
 * this in a private "host" namespace), does what a container platform does
 * for a new container: creates a veth pair whose peer appears directly in
 * the container's namespace as eth0, gives eth0 an address (A.B.x.y/16)
 * and brings it up, enslaves the host end to bridge BR (created if needed)
 * and brings it up.  Everything goes through lib/netlink on cached sockets;
 * nothing is executed.  Prints the rate (and, with --progress=K, the cost
 * per port of every K ports), then checks the result with one dump and
 * prints the process's memory use. */
#include <config.h>

#include "vs-bench.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "netlink.h"
#include "util.h"

static double
now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Returns the value of FIELD ("VmRSS", "VmHWM") in /proc/self/status, in
 * kB, or -1. */
static long
proc_status_kb(const char *field)
{
    char line[256];
    size_t len = strlen(field);
    long kb = -1;
    FILE *f;

    f = fopen("/proc/self/status", "r");
    if (!f) {
        return -1;
    }
    while (fgets(line, sizeof line, f)) {
        if (!strncmp(line, field, len) && line[len] == ':') {
            kb = strtol(line + len + 1, NULL, 10);
            break;
        }
    }
    fclose(f);
    return kb;
}

static void
bench_usage(void)
{
    printf("usage: vs-bench netlink N [--netns-prefix=PREFIX] "
           "[--bridge=BR]\n"
           "                         [--host-netns=NS] [--subnet=A.B] "
           "[--progress=K]\n"
           "Plugs N containers (namespaces PREFIX1..PREFIXN, which must "
           "exist) into\n"
           "bridge BR of namespace NS (default: the current one) through "
           "lib/netlink.\n"
           "Defaults: --netns-prefix=vsbench-c --bridge=br0 "
           "--subnet=10.64\n");
}

int
bench_netlink_main(int argc, char *argv[])
{
    static const struct option options[] = {
        {"netns-prefix", required_argument, NULL, 'p'},
        {"bridge", required_argument, NULL, 'b'},
        {"host-netns", required_argument, NULL, 'H'},
        {"subnet", required_argument, NULL, 's'},
        {"progress", required_argument, NULL, 'P'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *prefix = "vsbench-c", *bridge = "br0", *host = NULL;
    const char *subnet = "10.64";
    struct netlink_link_attrs host_attrs, peer_attrs, br_attrs;
    struct netlink_link *links;
    struct netlink_ns *hns;
    size_t n_links, n_ports;
    double t0, t1, tp;
    int progress = 0;
    char *msg;
    int n, c;

    optind = 1;
    while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        switch (c) {
        case 'p': prefix = optarg; break;
        case 'b': bridge = optarg; break;
        case 'H': host = optarg; break;
        case 's': subnet = optarg; break;
        case 'P':
            if (!str_to_int(optarg, &progress) || progress < 1) {
                fprintf(stderr, "vs-bench netlink: bad --progress\n");
                return 2;
            }
            break;
        case 'h': bench_usage(); return 0;
        default: return 2;
        }
    }
    if (optind >= argc || !str_to_int(argv[optind], &n) || n < 1
        || n > 65000) {
        fprintf(stderr, "vs-bench netlink: need a port count between 1 and "
                "65000 (try --help)\n");
        return 2;
    }

    if (netlink_ns_open(host, &hns, &msg)) {
        fprintf(stderr, "vs-bench netlink: %s\n", msg);
        free(msg);
        return 1;
    }
    netlink_link_attrs_init(&br_attrs);
    br_attrs.up = 1;
    if (netlink_bridge_add(hns, bridge, NULL, &br_attrs, true, &msg)) {
        fprintf(stderr, "vs-bench netlink: %s\n", msg);
        free(msg);
        return 1;
    }

    netlink_link_attrs_init(&host_attrs);
    host_attrs.master = bridge;
    host_attrs.up = 1;
    netlink_link_attrs_init(&peer_attrs);
    peer_attrs.up = 1;

    t0 = tp = now();
    for (int i = 1; i <= n; i++) {
        char spec[256], veth[IFNAMSIZ], cidr[32];
        struct netlink_ns *cns;

        snprintf(spec, sizeof spec, "%s%d", prefix, i);
        snprintf(veth, sizeof veth, "vb%d", i);
        snprintf(cidr, sizeof cidr, "%s.%d.%d/16", subnet, i / 250,
                 i % 250 + 1);
        if (netlink_ns_open(spec, &cns, &msg)
            || netlink_veth_add(hns, veth, &host_attrs, cns, "eth0",
                                &peer_attrs, &msg)
            || netlink_addr_add(cns, "eth0", cidr, &msg)) {
            fprintf(stderr, "vs-bench netlink: port %d: %s\n", i, msg);
            free(msg);
            return 1;
        }
        /* Done with this container: do not hold a socket (and a
         * reference to its namespace) per container. */
        netlink_ns_close(cns);

        if (progress && i % progress == 0) {
            double t = now();
            printf("progress: ports %d-%d: %.0f us/port\n", i - progress + 1,
                   i, (t - tp) * 1e6 / progress);
            tp = t;
        }
    }
    t1 = now();

    /* Check, with one dump, that every port is there. */
    if (netlink_link_dump(hns, &links, &n_links, &msg)) {
        fprintf(stderr, "vs-bench netlink: %s\n", msg);
        free(msg);
        return 1;
    }
    n_ports = 0;
    for (size_t i = 0; i < n_links; i++) {
        if (!strcmp(links[i].kind, "veth") && links[i].master
            && links[i].flags & IFF_UP) {
            n_ports++;
        }
    }
    free(links);

    printf("ports: %d\n", n);
    printf("seconds: %.3f\n", t1 - t0);
    printf("rate: %.1f ports/s\n", n / (t1 - t0));
    printf("per_port_us: %.0f\n", (t1 - t0) * 1e6 / n);
    printf("verified: %zu of %d ports enslaved and up\n", n_ports, n);
    printf("sockets_open: %zu\n", netlink_ns_count());
    printf("rss_kb: %ld\n", proc_status_kb("VmRSS"));
    printf("peak_rss_kb: %ld\n", proc_status_kb("VmHWM"));
    netlink_ns_close(hns);
    return n_ports == (size_t) n ? 0 : 1;
}
