/* test-netlink: exposes each operation of lib/netns, lib/netlink and
 * lib/netlink-monitor as a subcommand, for tests/netlink.at.
 *
 *   test-netlink [-n NETNS] [-v] COMMAND [ARG...]
 *   test-netlink batch          (commands from stdin, one per line, each
 *                                optionally starting with "-n NETNS")
 *
 * Output is stable (no ifindexes, no random MACs unless asked for).  On
 * failure the library's message goes to stderr, alone on its line, and the
 * exit status is 1 (batch stops at the first failure). */
#include <config.h>

#include "netlink.h"
#include "netlink-monitor.h"

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <linux/neighbour.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dynamic-string.h"
#include "netns.h"
#include "poll-loop.h"
#include "shash.h"
#include "util.h"
#include "vlog.h"

/* Handles opened so far, by spec ("" for the current namespace), kept for
 * the life of the process so that a batch reuses its sockets. */
static struct shash handles = SHASH_INITIALIZER(&handles);

/* Namespace given with -n for the command being run. */
static const char *cur_netns;

static void fail(char *msg) VS_NO_RETURN;
static void usage_error(const char *format, ...)
    VS_PRINTF_FORMAT(1, 2) VS_NO_RETURN;

static void
fail(char *msg)
{
    fprintf(stderr, "%s\n", msg ? msg : "unknown error");
    free(msg);
    exit(1);
}

static void
usage_error(const char *format, ...)
{
    va_list args;

    va_start(args, format);
    fprintf(stderr, "test-netlink: ");
    vfprintf(stderr, format, args);
    fprintf(stderr, "\n");
    va_end(args);
    exit(2);
}

static struct netlink_ns *
get_ns(const char *spec)
{
    struct netlink_ns *ns;
    char *msg;

    spec = spec ? spec : "";
    ns = shash_find_data(&handles, spec);
    if (!ns) {
        if (netlink_ns_open(spec, &ns, &msg)) {
            fail(msg);
        }
        shash_add(&handles, spec, ns);
    }
    return ns;
}

static struct netlink_ns *
cur_ns(void)
{
    return get_ns(cur_netns);
}

/* MSGP is read only after ERROR has been computed, unlike a plain
 * argument. */
static void
check(int error, char **msgp)
{
    if (error) {
        fail(*msgp);
    }
}

static void
check_errno(int error, const char *what)
{
    if (error) {
        fail(xasprintf("%s (%s)", what, vs_strerror(error)));
    }
}

/* Arguments: "key=value" or bare words. */
static const char *
arg_value(const char *arg, const char *key)
{
    size_t len = strlen(key);

    return (!strncmp(arg, key, len) && arg[len] == '=') ? arg + len + 1
                                                         : NULL;
}

static int
parse_bool(const char *key, const char *s)
{
    if (!strcmp(s, "on") || !strcmp(s, "yes") || !strcmp(s, "1")
        || !strcmp(s, "true")) {
        return 1;
    } else if (!strcmp(s, "off") || !strcmp(s, "no") || !strcmp(s, "0")
               || !strcmp(s, "false")) {
        return 0;
    }
    usage_error("%s: expected on or off, got '%s'", key, s);
}

static int
parse_int(const char *key, const char *s)
{
    int value;

    if (!str_to_int(s, &value)) {
        usage_error("%s: expected an integer, got '%s'", key, s);
    }
    return value;
}

/* Parses a link setting ARG into ATTRS; PREFIX is "" or "peer-".  Returns
 * false if ARG is not one. */
static bool
parse_link_attr(const char *arg, const char *prefix,
                struct netlink_link_attrs *attrs)
{
    size_t plen = strlen(prefix);
    const char *v;

    if (strncmp(arg, prefix, plen)) {
        return false;
    }
    arg += plen;
    if (!strcmp(arg, "up")) {
        attrs->up = 1;
    } else if (!strcmp(arg, "down")) {
        attrs->up = 0;
    } else if ((v = arg_value(arg, "mtu"))) {
        attrs->mtu = parse_int("mtu", v);
    } else if ((v = arg_value(arg, "txqlen"))) {
        attrs->txqlen = parse_int("txqlen", v);
    } else if ((v = arg_value(arg, "mac"))) {
        attrs->mac = v;
    } else if ((v = arg_value(arg, "alias"))) {
        attrs->alias = v;
    } else if ((v = arg_value(arg, "master"))) {
        attrs->master = v;
    } else if (!strcmp(arg, "nomaster")) {
        attrs->master = "";
    } else if ((v = arg_value(arg, "netns"))) {
        attrs->netns = get_ns(v);
    } else if ((v = arg_value(arg, "name"))) {
        attrs->name = v;
    } else {
        return false;
    }
    return true;
}

static bool
parse_bridge_opt(const char *arg, struct netlink_bridge_options *opts)
{
    const char *v;

    if ((v = arg_value(arg, "stp"))) {
        opts->stp = parse_bool("stp", v);
    } else if ((v = arg_value(arg, "ageing"))) {
        opts->ageing_time = parse_int("ageing", v);
    } else if ((v = arg_value(arg, "vlan-filtering"))) {
        opts->vlan_filtering = parse_bool("vlan-filtering", v);
    } else if ((v = arg_value(arg, "mcast-snooping"))) {
        opts->mcast_snooping = parse_bool("mcast-snooping", v);
    } else {
        return false;
    }
    return true;
}

static void
need_args(int argc, int min, const char *usage)
{
    if (argc < min) {
        usage_error("usage: %s", usage);
    }
}

/* ---------------------------------------------------------------------
 * Commands.  ARGV[0] is the command name.
 */

static void
cmd_netns_add(int argc, char *argv[])
{
    char *msg;

    need_args(argc, 2, "netns-add NAME");
    check(netns_add(argv[1], &msg), &msg);
}

static void
cmd_netns_del(int argc, char *argv[])
{
    char *msg;

    need_args(argc, 2, "netns-del NAME");
    check(netns_del(argv[1], &msg), &msg);
}

static void
cmd_netns_list(int argc VS_UNUSED, char *argv[] VS_UNUSED)
{
    char **names;
    size_t n;

    check_errno(netns_list(&names, &n), "cannot list namespaces");
    for (size_t i = 0; i < n; i++) {
        printf("%s\n", names[i]);
        free(names[i]);
    }
    free(names);
}

/* Opens the namespace to check that the spec resolves. */
static void
cmd_netns_check(int argc, char *argv[])
{
    struct netns *ns;
    char *msg;

    need_args(argc, 2, "netns-check SPEC");
    check(netns_open(argv[1], &ns, &msg), &msg);
    printf("%s\n", netns_describe(ns));
    netns_close(ns);
}

static void
cmd_bridge_add(int argc, char *argv[])
{
    struct netlink_bridge_options opts;
    struct netlink_link_attrs attrs;
    bool may_exist = false;
    char *msg;

    need_args(argc, 2, "bridge-add NAME [OPTION...]");
    netlink_bridge_options_init(&opts);
    netlink_link_attrs_init(&attrs);
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "may-exist")) {
            may_exist = true;
        } else if (!parse_bridge_opt(argv[i], &opts)
                   && !parse_link_attr(argv[i], "", &attrs)) {
            usage_error("bridge-add: unknown option '%s'", argv[i]);
        }
    }
    check(netlink_bridge_add(cur_ns(), argv[1], &opts, &attrs, may_exist,
                             &msg), &msg);
}

static void
cmd_bridge_set(int argc, char *argv[])
{
    struct netlink_bridge_options opts;
    char *msg;

    need_args(argc, 2, "bridge-set NAME OPTION...");
    netlink_bridge_options_init(&opts);
    for (int i = 2; i < argc; i++) {
        if (!parse_bridge_opt(argv[i], &opts)) {
            usage_error("bridge-set: unknown option '%s'", argv[i]);
        }
    }
    check(netlink_bridge_set_options(cur_ns(), argv[1], &opts, &msg), &msg);
}

static void
cmd_bridge_show(int argc, char *argv[])
{
    struct netlink_bridge_options opts;
    char *msg;

    need_args(argc, 2, "bridge-show NAME");
    check(netlink_bridge_get_options(cur_ns(), argv[1], &opts, &msg), &msg);
    printf("stp=%s ageing=%d vlan-filtering=%s mcast-snooping=%s\n",
           opts.stp ? "on" : "off", opts.ageing_time,
           opts.vlan_filtering ? "on" : "off",
           opts.mcast_snooping ? "on" : "off");
}

static void
cmd_veth_add(int argc, char *argv[])
{
    struct netlink_link_attrs attrs, peer_attrs;
    struct netlink_ns *peer_ns = NULL;
    char *msg;

    need_args(argc, 3, "veth-add NAME PEER [peer-netns=NS] [OPTION...]");
    netlink_link_attrs_init(&attrs);
    netlink_link_attrs_init(&peer_attrs);
    for (int i = 3; i < argc; i++) {
        const char *v = arg_value(argv[i], "peer-netns");

        if (v) {
            peer_ns = get_ns(v);
        } else if (!parse_link_attr(argv[i], "peer-", &peer_attrs)
                   && !parse_link_attr(argv[i], "", &attrs)) {
            usage_error("veth-add: unknown option '%s'", argv[i]);
        }
    }
    check(netlink_veth_add(cur_ns(), argv[1], &attrs, peer_ns, argv[2],
                           &peer_attrs, &msg), &msg);
}

static void
cmd_vxlan_add(int argc, char *argv[])
{
    struct netlink_vxlan_options opts;
    struct netlink_link_attrs attrs;
    char *msg;

    need_args(argc, 2, "vxlan-add NAME vni=N [OPTION...]");
    netlink_vxlan_options_init(&opts);
    netlink_link_attrs_init(&attrs);
    for (int i = 2; i < argc; i++) {
        const char *v;

        if ((v = arg_value(argv[i], "vni"))) {
            opts.vni = parse_int("vni", v);
        } else if ((v = arg_value(argv[i], "remote"))) {
            opts.remote = v;
        } else if ((v = arg_value(argv[i], "local"))) {
            opts.local = v;
        } else if ((v = arg_value(argv[i], "dstport"))) {
            opts.dst_port = parse_int("dstport", v);
        } else if ((v = arg_value(argv[i], "learning"))) {
            opts.learning = parse_bool("learning", v);
        } else if ((v = arg_value(argv[i], "dev"))) {
            opts.dev = v;
        } else if (!parse_link_attr(argv[i], "", &attrs)) {
            usage_error("vxlan-add: unknown option '%s'", argv[i]);
        }
    }
    check(netlink_vxlan_add(cur_ns(), argv[1], &opts, &attrs, &msg), &msg);
}

static void
cmd_link_set(int argc, char *argv[])
{
    struct netlink_link_attrs attrs;
    char *msg;

    need_args(argc, 3, "link-set NAME OPTION...");
    netlink_link_attrs_init(&attrs);
    for (int i = 2; i < argc; i++) {
        if (!parse_link_attr(argv[i], "", &attrs)) {
            usage_error("link-set: unknown option '%s'", argv[i]);
        }
    }
    check(netlink_link_set(cur_ns(), argv[1], &attrs, &msg), &msg);
}

static void
cmd_link_del(int argc, char *argv[])
{
    char *msg;

    need_args(argc, 2, "link-del NAME");
    check(netlink_link_del(cur_ns(), argv[1], &msg), &msg);
}

static const char *
master_name(struct netlink_ns *ns, int master)
{
    static struct netlink_link m;

    if (!master) {
        return "-";
    }
    return netlink_link_get_by_index(ns, master, &m, NULL) ? "?" : m.name;
}

/* Prints the FIELDS (N of them) of LINK separated by spaces; with no
 * FIELDS, prints "NAME kind=... master=... mtu=... admin=..." */
static void
print_link_fields(struct netlink_ns *ns, const struct netlink_link *link,
                  char *fields[], int n)
{
    static const char *const all[] = { "kind", "master", "mtu", "admin" };
    struct ds s = DS_EMPTY_INITIALIZER;
    char mac[3 * 32];

    if (!n) {
        ds_put_cstr(&s, link->name);
    }
    for (int i = 0; i < (n ? n : (int) ARRAY_SIZE(all)); i++) {
        const char *f = n ? fields[i] : all[i];
        const char *sep = (n && !i) ? "" : " ";

        if (!n) {
            ds_put_format(&s, "%s%s=", sep, f);
            sep = "";
        }
        if (!strcmp(f, "name")) {
            ds_put_format(&s, "%s%s", sep, link->name);
        } else if (!strcmp(f, "kind")) {
            ds_put_format(&s, "%s%s", sep, link->kind[0] ? link->kind : "-");
        } else if (!strcmp(f, "master")) {
            ds_put_format(&s, "%s%s", sep, master_name(ns, link->master));
        } else if (!strcmp(f, "mtu")) {
            ds_put_format(&s, "%s%u", sep, link->mtu);
        } else if (!strcmp(f, "txqlen")) {
            ds_put_format(&s, "%s%u", sep, link->txqlen);
        } else if (!strcmp(f, "admin")) {
            ds_put_format(&s, "%s%s", sep, link->flags & IFF_UP ? "up"
                                                                : "down");
        } else if (!strcmp(f, "oper")) {
            ds_put_format(&s, "%s%s", sep,
                          netlink_operstate_to_string(link->operstate));
        } else if (!strcmp(f, "mac")) {
            ds_put_format(&s, "%s%s", sep,
                          netlink_link_format_mac(link, mac));
        } else if (!strcmp(f, "alias")) {
            ds_put_format(&s, "%s%s", sep, link->alias[0] ? link->alias
                                                          : "-");
        } else if (!strcmp(f, "multicast")) {
            ds_put_format(&s, "%s%s", sep,
                          link->flags & IFF_MULTICAST ? "yes" : "no");
        } else {
            usage_error("unknown link field '%s'", f);
        }
    }
    printf("%s\n", ds_cstr(&s));
    ds_destroy(&s);
}

static void
cmd_link_show(int argc, char *argv[])
{
    struct netlink_link link;
    char *msg;

    need_args(argc, 2, "link-show NAME [FIELD...]");
    check(netlink_link_get(cur_ns(), argv[1], &link, &msg), &msg);
    print_link_fields(cur_ns(), &link, argv + 2, argc - 2);
}

static void
cmd_link_list(int argc, char *argv[])
{
    struct netlink_link *links;
    size_t n;
    char *msg;

    check(netlink_link_dump(cur_ns(), &links, &n, &msg), &msg);
    for (size_t i = 0; i < n; i++) {
        print_link_fields(cur_ns(), &links[i], argv + 1, argc - 1);
    }
    free(links);
}

static void
cmd_link_stats(int argc, char *argv[])
{
    struct netlink_link link;
    char *msg;

    need_args(argc, 2, "link-stats NAME");
    check(netlink_link_get(cur_ns(), argv[1], &link, &msg), &msg);
    printf("rx_packets=%"PRIu64" tx_packets=%"PRIu64" rx_bytes=%"PRIu64
           " tx_bytes=%"PRIu64" rx_errors=%"PRIu64" tx_errors=%"PRIu64
           " rx_dropped=%"PRIu64" tx_dropped=%"PRIu64"\n",
           link.stats.rx_packets, link.stats.tx_packets,
           link.stats.rx_bytes, link.stats.tx_bytes,
           link.stats.rx_errors, link.stats.tx_errors,
           link.stats.rx_dropped, link.stats.tx_dropped);
}

static void
cmd_port_set(int argc, char *argv[])
{
    struct netlink_bridge_port_options opts;
    char *msg;

    need_args(argc, 3, "port-set PORT FLAG=on|off...");
    netlink_bridge_port_options_init(&opts);
    for (int i = 2; i < argc; i++) {
        const char *v;

        if ((v = arg_value(argv[i], "hairpin"))) {
            opts.hairpin = parse_bool("hairpin", v);
        } else if ((v = arg_value(argv[i], "learning"))) {
            opts.learning = parse_bool("learning", v);
        } else if ((v = arg_value(argv[i], "flood"))) {
            opts.flood = parse_bool("flood", v);
        } else if ((v = arg_value(argv[i], "isolated"))) {
            opts.isolated = parse_bool("isolated", v);
        } else {
            usage_error("port-set: unknown flag '%s'", argv[i]);
        }
    }
    check(netlink_bridge_port_set(cur_ns(), argv[1], &opts, &msg), &msg);
}

static void
cmd_port_show(int argc, char *argv[])
{
    struct netlink_bridge_port_options opts;
    char *msg;

    need_args(argc, 2, "port-show PORT");
    check(netlink_bridge_port_get(cur_ns(), argv[1], &opts, &msg), &msg);
    printf("hairpin=%s learning=%s flood=%s isolated=%s\n",
           opts.hairpin ? "on" : "off", opts.learning ? "on" : "off",
           opts.flood ? "on" : "off", opts.isolated ? "on" : "off");
}

static uint16_t
parse_vid(const char *s)
{
    int vid = parse_int("vid", s);

    if (vid < 0 || vid > 65535) {
        usage_error("bad VLAN id '%s'", s);
    }
    return vid;
}

static void
cmd_vlan_add(int argc, char *argv[])
{
    unsigned int flags = 0;
    char *msg;

    need_args(argc, 3, "vlan-add PORT VID [pvid] [untagged]");
    for (int i = 3; i < argc; i++) {
        if (!strcmp(argv[i], "pvid")) {
            flags |= NETLINK_VLAN_PVID;
        } else if (!strcmp(argv[i], "untagged")) {
            flags |= NETLINK_VLAN_UNTAGGED;
        } else {
            usage_error("vlan-add: unknown flag '%s'", argv[i]);
        }
    }
    check(netlink_bridge_vlan_add(cur_ns(), argv[1], parse_vid(argv[2]),
                                  flags, &msg), &msg);
}

static void
cmd_vlan_del(int argc, char *argv[])
{
    char *msg;

    need_args(argc, 3, "vlan-del PORT VID");
    check(netlink_bridge_vlan_del(cur_ns(), argv[1], parse_vid(argv[2]),
                                  &msg), &msg);
}

/* Parses "VID" or "FIRST-LAST" into the VIDs it names, appended to
 * VIDS (room for 4096). */
static void
parse_vid_range(const char *s, uint16_t *vids, size_t *n)
{
    const char *dash = strchr(s, '-');
    uint16_t first, last;

    if (dash) {
        char *head = xmemdup0(s, dash - s);

        first = parse_vid(head);
        last = parse_vid(dash + 1);
        free(head);
    } else {
        first = last = parse_vid(s);
    }
    for (unsigned int vid = first; vid <= last && *n < 4096; vid++) {
        vids[(*n)++] = vid;
    }
}

/* vlan-set PORT [pvid=VID] [pvid-tagged] [tagged=VID|FIRST-LAST,...] */
static void
cmd_vlan_set(int argc, char *argv[])
{
    uint16_t pvid = 0, tagged[4096];
    bool pvid_untagged = true;
    size_t n_tagged = 0;
    char *msg;

    need_args(argc, 2, "vlan-set PORT [pvid=VID] [pvid-tagged] "
              "[tagged=VID|FIRST-LAST,...]");
    for (int i = 2; i < argc; i++) {
        const char *v;

        if ((v = arg_value(argv[i], "pvid"))) {
            pvid = parse_vid(v);
        } else if (!strcmp(argv[i], "pvid-tagged")) {
            pvid_untagged = false;
        } else if ((v = arg_value(argv[i], "tagged"))) {
            char *copy = xstrdup(v), *save = NULL;

            for (char *t = strtok_r(copy, ",", &save); t;
                 t = strtok_r(NULL, ",", &save)) {
                parse_vid_range(t, tagged, &n_tagged);
            }
            free(copy);
        } else {
            usage_error("vlan-set: unknown option '%s'", argv[i]);
        }
    }
    check(netlink_bridge_vlan_set(cur_ns(), argv[1], pvid, pvid_untagged,
                                  tagged, n_tagged, &msg), &msg);
}

static void
cmd_vlan_show(int argc, char *argv[])
{
    struct netlink_vlan *vlans;
    size_t n;
    char *msg;

    check(netlink_bridge_vlan_list(cur_ns(), argc > 1 ? argv[1] : NULL,
                                   &vlans, &n, &msg), &msg);
    for (size_t i = 0; i < n; i++) {
        printf("%s %u%s%s\n", vlans[i].port, vlans[i].vid,
               vlans[i].flags & NETLINK_VLAN_PVID ? " pvid" : "",
               vlans[i].flags & NETLINK_VLAN_UNTAGGED ? " untagged" : "");
    }
    free(vlans);
}

static void
cmd_fdb_show(int argc, char *argv[])
{
    struct netlink_fdb *fdb;
    size_t n;
    char *msg;

    check(netlink_fdb_dump(cur_ns(), argc > 1 ? argv[1] : NULL, &fdb, &n,
                           &msg), &msg);
    for (size_t i = 0; i < n; i++) {
        const struct netlink_fdb *e = &fdb[i];

        printf("%02x:%02x:%02x:%02x:%02x:%02x dev %s", e->mac[0],
               e->mac[1], e->mac[2], e->mac[3], e->mac[4], e->mac[5],
               e->port[0] ? e->port : "?");
        if (e->vlan) {
            printf(" vlan %u", e->vlan);
        }
        printf("%s\n", e->state & NUD_PERMANENT ? " permanent" : "");
    }
    free(fdb);
}

static void
cmd_addr_add(int argc, char *argv[])
{
    char *msg;

    need_args(argc, 3, "addr-add DEV CIDR");
    check(netlink_addr_add(cur_ns(), argv[1], argv[2], &msg), &msg);
}

static void
cmd_addr_del(int argc, char *argv[])
{
    char *msg;

    need_args(argc, 3, "addr-del DEV CIDR");
    check(netlink_addr_del(cur_ns(), argv[1], argv[2], &msg), &msg);
}

static int
parse_family_arg(const char *arg)
{
    return (!strcmp(arg, "-4") ? AF_INET
            : !strcmp(arg, "-6") ? AF_INET6
            : -1);
}

static void
cmd_addr_list(int argc, char *argv[])
{
    struct netlink_addr *addrs;
    const char *dev = NULL;
    int family = AF_UNSPEC;
    size_t n;
    char *msg;

    for (int i = 1; i < argc; i++) {
        int f = parse_family_arg(argv[i]);

        if (f >= 0) {
            family = f;
        } else {
            dev = argv[i];
        }
    }
    check(netlink_addr_list(cur_ns(), dev, family, &addrs, &n, &msg), &msg);
    for (size_t i = 0; i < n; i++) {
        char buf[NETLINK_ADDR_BUFSIZE];

        printf("%s %s\n", addrs[i].ifname,
               netlink_addr_format(&addrs[i], buf));
    }
    free(addrs);
}

/* route-add DST [via=GW] [dev=DEV] [replace] */
static void
parse_route_args(int argc, char *argv[], const char **gw, const char **dev,
                 bool *replace)
{
    for (int i = 2; i < argc; i++) {
        const char *v;

        if ((v = arg_value(argv[i], "via"))) {
            *gw = v;
        } else if ((v = arg_value(argv[i], "dev"))) {
            *dev = v;
        } else if (replace && !strcmp(argv[i], "replace")) {
            *replace = true;
        } else {
            usage_error("%s: unknown option '%s'", argv[0], argv[i]);
        }
    }
}

static void
cmd_route_add(int argc, char *argv[])
{
    const char *gw = NULL, *dev = NULL;
    bool replace = false;
    char *msg;

    need_args(argc, 2, "route-add DST [via=GW] [dev=DEV] [replace]");
    parse_route_args(argc, argv, &gw, &dev, &replace);
    check(netlink_route_add(cur_ns(), argv[1], gw, dev, replace, &msg),
          &msg);
}

static void
cmd_route_del(int argc, char *argv[])
{
    const char *gw = NULL, *dev = NULL;
    char *msg;

    need_args(argc, 2, "route-del DST [via=GW] [dev=DEV]");
    parse_route_args(argc, argv, &gw, &dev, NULL);
    check(netlink_route_del(cur_ns(), argv[1], gw, dev, &msg), &msg);
}

static void
cmd_route_list(int argc, char *argv[])
{
    struct netlink_route *routes;
    int family = argc > 1 ? parse_family_arg(argv[1]) : AF_UNSPEC;
    size_t n;
    char *msg;

    if (family < 0) {
        usage_error("route-list: expected -4 or -6");
    }
    check(netlink_route_list(cur_ns(), family, &routes, &n, &msg), &msg);
    for (size_t i = 0; i < n; i++) {
        char buf[NETLINK_ROUTE_BUFSIZE];

        printf("%s\n", netlink_route_format(&routes[i], buf));
    }
    free(routes);
}

/* monitor [--count=N] [--addrs] [--replay] [--vlans]: prints "ready", then
 * one line per event, and exits after N events (default: never). */
struct monitor_ctx {
    long long int count;        /* Events left, or -1 for unlimited. */
    unsigned long long int n_add, n_change, n_delete, n_resync;
    bool quiet;
};

static void
print_event(const struct netlink_event *ev, void *ctx_)
{
    struct monitor_ctx *ctx = ctx_;
    const char *type = netlink_event_type_to_string(ev->type);

    switch (ev->type) {
    case NETLINK_EVENT_ADD: ctx->n_add++; break;
    case NETLINK_EVENT_CHANGE: ctx->n_change++; break;
    case NETLINK_EVENT_DELETE: ctx->n_delete++; break;
    }
    if (ev->resync) {
        ctx->n_resync++;
    }
    if (!ctx->quiet) {
        if (ev->link) {
            printf("%s link %s kind=%s admin=%s%s\n", type, ev->link->name,
                   ev->link->kind[0] ? ev->link->kind : "-",
                   ev->link->flags & IFF_UP ? "up" : "down",
                   ev->resync ? " (resync)" : "");
        } else if (ev->vlans) {
            const struct netlink_vlan_range *r = ev->vlans;

            if (!r->ifindex) {
                printf("%s vlans of every port%s\n", type,
                       ev->resync ? " (resync)" : "");
            } else {
                printf("%s vlan %s %u", type, r->port[0] ? r->port : "?",
                       r->first);
                if (r->last != r->first) {
                    printf("-%u", r->last);
                }
                printf("%s%s%s\n", r->flags & NETLINK_VLAN_PVID ? " pvid" : "",
                       r->flags & NETLINK_VLAN_UNTAGGED ? " untagged" : "",
                       ev->resync ? " (resync)" : "");
            }
        } else {
            char buf[NETLINK_ADDR_BUFSIZE];

            printf("%s addr %s %s%s\n", type,
                   ev->addr->ifname[0] ? ev->addr->ifname : "?",
                   netlink_addr_format(ev->addr, buf),
                   ev->resync ? " (resync)" : "");
        }
        fflush(stdout);
    }
    if (ctx->count > 0) {
        ctx->count--;
    }
}

static void
cmd_monitor(int argc, char *argv[])
{
    struct monitor_ctx ctx = { .count = -1 };
    unsigned int flags = NETLINK_MONITOR_LINKS;
    struct netlink_monitor *mon;
    char *msg;

    for (int i = 1; i < argc; i++) {
        const char *v;

        if ((v = arg_value(argv[i], "--count"))) {
            ctx.count = parse_int("--count", v);
        } else if (!strcmp(argv[i], "--addrs")) {
            flags |= NETLINK_MONITOR_ADDRS;
        } else if (!strcmp(argv[i], "--replay")) {
            flags |= NETLINK_MONITOR_REPLAY;
        } else if (!strcmp(argv[i], "--vlans")) {
            flags |= NETLINK_MONITOR_VLANS;
        } else {
            usage_error("monitor: unknown option '%s'", argv[i]);
        }
    }
    check(netlink_monitor_create(cur_ns(), flags, print_event, &ctx, &mon,
                                 &msg), &msg);
    printf("ready\n");
    fflush(stdout);
    for (;;) {
        netlink_monitor_run(mon);
        if (!ctx.count) {
            break;
        }
        netlink_monitor_wait(mon);
        poll_block();
    }
    netlink_monitor_destroy(mon);
}

/* monitor-overflow N: with a tiny receive buffer, creates N veth pairs
 * without reading events, then lets the monitor catch up; then deletes
 * them the same way.  Prints what the monitor saw. */
static void
cmd_monitor_overflow(int argc, char *argv[])
{
    struct monitor_ctx ctx = { .count = -1, .quiet = true };
    struct netlink_monitor_stats stats;
    struct netlink_monitor *mon;
    struct netlink_ns *ns = cur_ns();
    int n;
    char *msg;

    need_args(argc, 2, "monitor-overflow N");
    n = parse_int("N", argv[1]);
    check(netlink_monitor_create(ns, NETLINK_MONITOR_LINKS, print_event,
                                 &ctx, &mon, &msg), &msg);
    check_errno(netlink_monitor_set_rcvbuf(mon, 1), "setsockopt failed");

    for (int round = 0; round < 2; round++) {
        memset(&ctx, 0, sizeof ctx);
        ctx.count = -1;
        ctx.quiet = true;
        for (int i = 0; i < n; i++) {
            char a[IFNAMSIZ], b[IFNAMSIZ];

            snprintf(a, sizeof a, "ovfa%d", i);
            snprintf(b, sizeof b, "ovfb%d", i);
            if (!round) {
                check(netlink_veth_add(ns, a, NULL, NULL, b, NULL, &msg),
                      &msg);
            } else {
                check(netlink_link_del(ns, a, &msg), &msg);
            }
        }
        /* Now the reactor: run until the monitor has caught up. */
        for (int i = 0; i < 200 && (round ? ctx.n_delete : ctx.n_add) < 2 * n;
             i++) {
            netlink_monitor_run(mon);
            netlink_monitor_wait(mon);
            poll_timer_wait(50);
            poll_block();
        }
        netlink_monitor_get_stats(mon, &stats);
        printf("%s: overflowed=%s resynced=%s added=%llu deleted=%llu "
               "links=%zu\n", round ? "delete" : "create",
               stats.n_overflows ? "yes" : "no",
               stats.n_resyncs ? "yes" : "no", ctx.n_add, ctx.n_delete,
               stats.n_links);
    }
    netlink_monitor_destroy(mon);
}

/* socket-count: number of netlink sockets (namespace handles) open. */
static void
cmd_socket_count(int argc VS_UNUSED, char *argv[] VS_UNUSED)
{
    printf("%zu\n", netlink_ns_count());
}

struct command {
    const char *name;
    void (*handler)(int argc, char *argv[]);
};

static const struct command commands[] = {
    { "netns-add", cmd_netns_add },
    { "netns-del", cmd_netns_del },
    { "netns-list", cmd_netns_list },
    { "netns-check", cmd_netns_check },
    { "bridge-add", cmd_bridge_add },
    { "bridge-set", cmd_bridge_set },
    { "bridge-show", cmd_bridge_show },
    { "veth-add", cmd_veth_add },
    { "vxlan-add", cmd_vxlan_add },
    { "link-set", cmd_link_set },
    { "link-del", cmd_link_del },
    { "link-show", cmd_link_show },
    { "link-list", cmd_link_list },
    { "link-stats", cmd_link_stats },
    { "port-set", cmd_port_set },
    { "port-show", cmd_port_show },
    { "vlan-add", cmd_vlan_add },
    { "vlan-del", cmd_vlan_del },
    { "vlan-set", cmd_vlan_set },
    { "vlan-show", cmd_vlan_show },
    { "fdb-show", cmd_fdb_show },
    { "addr-add", cmd_addr_add },
    { "addr-del", cmd_addr_del },
    { "addr-list", cmd_addr_list },
    { "route-add", cmd_route_add },
    { "route-del", cmd_route_del },
    { "route-list", cmd_route_list },
    { "monitor", cmd_monitor },
    { "monitor-overflow", cmd_monitor_overflow },
    { "socket-count", cmd_socket_count },
};

static void
run_command(int argc, char *argv[])
{
    cur_netns = NULL;
    if (argc >= 2 && (!strcmp(argv[0], "-n") || !strcmp(argv[0], "--netns"))) {
        cur_netns = argv[1];
        argc -= 2;
        argv += 2;
    } else if (argc >= 1 && str_starts_with(argv[0], "--netns=")) {
        cur_netns = argv[0] + strlen("--netns=");
        argc--;
        argv++;
    }
    if (argc < 1) {
        usage_error("missing command");
    }
    for (size_t i = 0; i < ARRAY_SIZE(commands); i++) {
        if (!strcmp(argv[0], commands[i].name)) {
            commands[i].handler(argc, argv);
            fflush(stdout);
            return;
        }
    }
    usage_error("unknown command '%s'", argv[0]);
}

static void
run_batch(void)
{
    struct ds line = DS_EMPTY_INITIALIZER;

    while (!ds_get_line(&line, stdin)) {
        char *words[64], *save = NULL;
        int n = 0;

        for (char *w = strtok_r(ds_cstr(&line), " \t", &save);
             w && n < (int) ARRAY_SIZE(words);
             w = strtok_r(NULL, " \t", &save)) {
            words[n++] = w;
        }
        if (n && words[0][0] != '#') {
            run_command(n, words);
        }
    }
    ds_destroy(&line);
}

static void
usage(void)
{
    printf("usage: test-netlink [-n NETNS] [-v] COMMAND [ARG...]\n"
           "       test-netlink batch < COMMANDS\n"
           "commands:");
    for (size_t i = 0; i < ARRAY_SIZE(commands); i++) {
        printf(" %s", commands[i].name);
    }
    printf("\n");
    exit(0);
}

int
main(int argc, char *argv[])
{
    struct shash_node *node;
    int i;

    set_program_name(argv[0]);
    vlog_set_levels(NULL, VLF_CONSOLE, VLL_WARN);

    for (i = 1; i < argc && argv[i][0] == '-'; i++) {
        if (!strcmp(argv[i], "-v")) {
            vlog_set_levels(NULL, VLF_CONSOLE, VLL_DBG);
        } else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            usage();
        } else {
            break;              /* -n / --netns: part of the command. */
        }
    }
    argc -= i;
    argv += i;
    if (argc >= 1 && !strcmp(argv[0], "batch")) {
        run_batch();
    } else {
        run_command(argc, argv);
    }

    SHASH_FOR_EACH (node, &handles) {
        netlink_ns_close(node->data);
    }
    shash_destroy(&handles);
    return 0;
}
