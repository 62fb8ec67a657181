/* Kernel network configuration over rtnetlink (libnl-3 / libnl-route-3):
 * bridges, veth pairs, VXLAN devices, bridge ports and VLANs, addresses,
 * routes, and queries, in any network namespace.
 *
 * Namespaces.  Every operation takes a 'struct netlink_ns', a handle on
 * one network namespace with one netlink socket opened inside it (see
 * netns.h for how namespaces are named).  Handles are cached: opening the
 * same namespace again (same device and inode, whatever the spec) returns
 * the same handle with one more reference, so the socket is created once
 * and reused for any number of operations.  The socket is created while
 * the thread is switched into the namespace; the thread switches back at
 * once and never stays in another namespace.
 *
 * Errors.  Functions return 0 or a positive errno value.  If ERRP is
 * nonnull, *ERRP receives NULL on success or, on failure, a message for
 * people that the caller must free(), e.g. "veth peer name
 * 'eth0-too-long-name' exceeds 15 characters", "network namespace 'c7'
 * not found", "device 'br0' exists and is not a bridge", "cannot add
 * address 10.0.0.2/24 to 'eth0' in network namespace 'c1': Permission
 * denied".  When the kernel explains an error (extended ACK), its words are
 * included.  Device names are checked (length < IFNAMSIZ, no '/', ':' or
 * white space, not "." or "..") before anything is sent to the kernel.
 *
 * Blocking.  Requests are synchronous: each call sends one or a few
 * requests and reads the kernel's answers.  rtnetlink answers requests
 * while processing sendmsg(), so in practice the calls do not wait for
 * anything but the kernel's own work.  Creating a port costs a few
 * requests on cached sockets and never dumps the link table.
 *
 * Not thread-safe: use from one thread.
 *
 * The implementation is split by responsibility: netlink.c (namespaces,
 * requests), netlink-link.c, netlink-create.c, netlink-bridge.c and
 * netlink-addr.c; netlink-private.h says what each holds. */
#ifndef NETLINK_H
#define NETLINK_H 1

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct netns;

/* ---------------------------------------------------------------------
 * Namespace handles.
 */

struct netlink_ns;

/* Opens (or finds in the cache) the handle for the namespace named by SPEC
 * (see netns.h; NULL or "" for the current namespace) and stores it in
 * *NSP with one new reference (NULL on failure). */
int netlink_ns_open(const char *spec, struct netlink_ns **nsp, char **errp);

/* Drops one reference to NS; the last one closes its socket.
 * netlink_ns_close(NULL) is a no-op. */
void netlink_ns_close(struct netlink_ns *ns);

/* Adds a reference to NS and returns NS. */
struct netlink_ns *netlink_ns_ref(struct netlink_ns *ns);

/* The underlying namespace (owned by NS) and its description for messages
 * ("network namespace 'c1'"). */
const struct netns *netlink_ns_get_netns(const struct netlink_ns *ns);
const char *netlink_ns_describe(const struct netlink_ns *ns);

/* Number of open handles (and thus sockets), for tests and benchmarks. */
size_t netlink_ns_count(void);

/* ---------------------------------------------------------------------
 * Names.
 */

/* Checks that NAME is a valid network device name.  WHAT names its role
 * in the message: "veth peer name 'eth0-too-long-name' exceeds 15
 * characters" for WHAT = "veth peer name".  Returns 0 or EINVAL. */
int netlink_validate_ifname(const char *name, const char *what,
                            char **errp);

/* ---------------------------------------------------------------------
 * Links.
 */

/* Settings for a link, applied at creation or by netlink_link_set().  Call
 * netlink_link_attrs_init() first: it marks every field "unchanged". */
struct netlink_link_attrs {
    int up;                     /* -1: unchanged, 0: down, 1: up. */
    int mtu;                    /* 0: unchanged. */
    int txqlen;                 /* -1: unchanged. */
    const char *mac;            /* NULL: unchanged; "xx:xx:xx:xx:xx:xx". */
    const char *alias;          /* NULL: unchanged; "": remove alias. */
    const char *master;         /* NULL: unchanged; "": release from its
                                 * master; else enslave to this bridge. */
    struct netlink_ns *netns;   /* NULL: stay; else move the link there.
                                 * Not at creation (see netlink_veth_add()
                                 * for the peer). */
    const char *name;           /* NULL: unchanged; else rename (the link
                                 * must be down, or be moved by 'netns'). */
};

void netlink_link_attrs_init(struct netlink_link_attrs *);

/* Applies ATTRS to the existing link IFNAME in NS, in one request ('master'
 * names a bridge in NS).  With 'netns' set, the link moves to that
 * namespace, renamed to 'name' there if set; the kernel moves it first,
 * then applies the other settings.  Fails with ENODEV ("device 'x' not
 * found in network namespace 'c1'") or EEXIST (the new name is taken). */
int netlink_link_set(struct netlink_ns *ns, const char *ifname,
                     const struct netlink_link_attrs *attrs, char **errp);

/* Shorthands for netlink_link_set(). */
int netlink_link_set_up(struct netlink_ns *ns, const char *ifname, bool up,
                        char **errp);
int netlink_link_set_master(struct netlink_ns *ns, const char *ifname,
                            const char *master, char **errp);
int netlink_link_set_netns(struct netlink_ns *ns, const char *ifname,
                           struct netlink_ns *target, const char *new_name,
                           char **errp);

/* Deletes link IFNAME in NS (for a veth, both ends go).  Fails with ENODEV
 * if there is no such link. */
int netlink_link_del(struct netlink_ns *ns, const char *ifname,
                     char **errp);

/* Bridge options.  -1 means "unchanged" (or the kernel's default at
 * creation); netlink_bridge_options_init() sets every field to -1. */
struct netlink_bridge_options {
    int stp;                    /* 0: off, 1: on. */
    int ageing_time;            /* FDB ageing time, in seconds. */
    int vlan_filtering;         /* 0: off, 1: on. */
    int mcast_snooping;         /* 0: off, 1: on. */
};

void netlink_bridge_options_init(struct netlink_bridge_options *);

/* Creates bridge NAME in NS with OPTS and ATTRS (either may be NULL).  If a
 * link NAME exists already: if it is a bridge and MAY_EXIST is true,
 * applies OPTS and ATTRS to it and returns 0; otherwise fails with EEXIST
 * ("device 'br0' exists and is not a bridge", "bridge 'br0' already
 * exists"). */
int netlink_bridge_add(struct netlink_ns *ns, const char *name,
                       const struct netlink_bridge_options *opts,
                       const struct netlink_link_attrs *attrs,
                       bool may_exist, char **errp);

/* Changes the options of existing bridge NAME.  Fails with EINVAL if NAME
 * is not a bridge. */
int netlink_bridge_set_options(struct netlink_ns *ns, const char *name,
                               const struct netlink_bridge_options *opts,
                               char **errp);

/* Reads the options of bridge NAME into *OPTS. */
int netlink_bridge_get_options(struct netlink_ns *ns, const char *name,
                               struct netlink_bridge_options *opts,
                               char **errp);

/* Creates a veth pair in one request: NAME in NS with ATTRS, and its peer
 * created directly in PEER_NS (NULL: NS) under its final name PEER_NAME,
 * so no temporary name appears anywhere.  ATTRS may be NULL; it may not
 * set 'netns' or 'name'.  PEER_ATTRS (may be NULL) may set 'up', 'mtu',
 * 'txqlen', 'mac' and 'alias'; 'up' costs one more request, in PEER_NS
 * (the kernel cannot bring the peer up while creating it).  On EEXIST the
 * message says which name is taken. */
int netlink_veth_add(struct netlink_ns *ns, const char *name,
                     const struct netlink_link_attrs *attrs,
                     struct netlink_ns *peer_ns, const char *peer_name,
                     const struct netlink_link_attrs *peer_attrs,
                     char **errp);

/* VXLAN device settings. */
struct netlink_vxlan_options {
    uint32_t vni;               /* VXLAN network identifier (0..2^24-1). */
    const char *remote;         /* Remote VTEP IPv4/IPv6 address, or NULL. */
    const char *local;          /* Local address, or NULL. */
    int dst_port;               /* UDP port; 0 means 4789 (IANA). */
    int learning;               /* -1: kernel default (on), 0: off, 1: on. */
    const char *dev;            /* Underlay device, or NULL. */
};

void netlink_vxlan_options_init(struct netlink_vxlan_options *);

/* Creates VXLAN device NAME in NS with OPTS and ATTRS (may be NULL; e.g.
 * 'master' to enslave it to a bridge and 'up'). */
int netlink_vxlan_add(struct netlink_ns *ns, const char *name,
                      const struct netlink_vxlan_options *opts,
                      const struct netlink_link_attrs *attrs, char **errp);

/* ---------------------------------------------------------------------
 * Bridge ports and VLANs.
 */

/* Bridge port flags: -1 unchanged, 0 off, 1 on. */
struct netlink_bridge_port_options {
    int hairpin;                /* Reflect frames back out of the port. */
    int learning;               /* Learn source MACs. */
    int flood;                  /* Flood unknown unicast to this port. */
    int isolated;               /* Isolated ports only talk to non-isolated
                                 * ports (Docker icc=false style). */
};

void netlink_bridge_port_options_init(struct netlink_bridge_port_options *);

/* Sets the flags in OPTS on bridge port PORT.  Fails with EINVAL ("device
 * 'x' is not a bridge port") if PORT has no bridge master. */
int netlink_bridge_port_set(struct netlink_ns *ns, const char *port,
                            const struct netlink_bridge_port_options *opts,
                            char **errp);

/* Reads the flags of bridge port PORT into *OPTS (all 0 or 1). */
int netlink_bridge_port_get(struct netlink_ns *ns, const char *port,
                            struct netlink_bridge_port_options *opts,
                            char **errp);

/* VLAN flags. */
#define NETLINK_VLAN_PVID     (1u << 0) /* Untagged ingress goes here. */
#define NETLINK_VLAN_UNTAGGED (1u << 1) /* Egress untagged. */

/* Adds VLAN VID (1..4094) to PORT with FLAGS (NETLINK_VLAN_*).  PORT may be
 * a bridge port or the bridge itself (its own, "self", VLANs).  The bridge
 * must have vlan_filtering on for VLANs to take effect. */
int netlink_bridge_vlan_add(struct netlink_ns *ns, const char *port,
                            uint16_t vid, unsigned int flags, char **errp);

/* Removes VLAN VID from PORT (e.g. VID 1, the default). */
int netlink_bridge_vlan_del(struct netlink_ns *ns, const char *port,
                            uint16_t vid, char **errp);

/* Makes PORT's VLANs exactly: PVID (if nonzero) as PVID, egress untagged
 * if PVID_UNTAGGED (an access or native-untagged port) or tagged (a
 * native-tagged port), plus each of the N_TAGGED VIDs in TAGGED as tagged
 * (a trunk).  Removes every other VLAN, including the default VLAN 1
 * unless asked for.  Costs one dump of PORT's VLANs and a request for
 * what to add and one for what to remove (consecutive VIDs go as ranges,
 * so a trunk of all VLANs is one small request). */
int netlink_bridge_vlan_set(struct netlink_ns *ns, const char *port,
                            uint16_t pvid, bool pvid_untagged,
                            const uint16_t *tagged, size_t n_tagged,
                            char **errp);

struct netlink_vlan {
    int ifindex;
    char port[IFNAMSIZ];
    uint16_t vid;
    unsigned int flags;         /* NETLINK_VLAN_*. */
};

/* Stores in *VLANSP an array of the VLANs of PORT (NULL: every port and
 * bridge in NS), sorted by ifindex then VID, and their number in *N.  The
 * caller frees the array. */
int netlink_bridge_vlan_list(struct netlink_ns *ns, const char *port,
                             struct netlink_vlan **vlansp, size_t *n,
                             char **errp);

/* ---------------------------------------------------------------------
 * Queries.
 */

struct netlink_link_stats {
    uint64_t rx_packets, tx_packets;
    uint64_t rx_bytes, tx_bytes;
    uint64_t rx_errors, tx_errors;
    uint64_t rx_dropped, tx_dropped;
    uint64_t multicast, collisions;
};

struct netlink_link {
    int ifindex;
    char name[IFNAMSIZ];
    char kind[16];              /* "bridge", "veth", "vxlan", ... or "". */
    int master;                 /* Master's ifindex, 0 if none. */
    int link;                   /* IFLA_LINK (veth peer's ifindex), or 0. */
    int link_netnsid;           /* Namespace id of 'link', -1: same ns. */
    unsigned int flags;         /* IFF_*. */
    uint8_t operstate;          /* IF_OPER_*. */
    unsigned int mtu;
    unsigned int txqlen;
    uint8_t mac[32];            /* Link-layer address... */
    size_t mac_len;             /* ...and its length (0 if none). */
    char alias[256];            /* IFLA_IFALIAS, "" if none. */
    struct netlink_link_stats stats; /* 64-bit counters. */
};

/* Returns "up", "down", "unknown", "lowerlayerdown", ... for an IF_OPER_*
 * value. */
const char *netlink_operstate_to_string(uint8_t operstate);

/* Formats LINK's MAC as "xx:xx:..." into BUF (at least 3 * 32 bytes);
 * returns BUF ("" if no MAC). */
char *netlink_link_format_mac(const struct netlink_link *link, char *buf);

/* Looks up one link by name or ifindex (one request, no dump).  Fails with
 * ENODEV ("device 'x' not found in network namespace 'c1'"). */
int netlink_link_get(struct netlink_ns *ns, const char *name,
                     struct netlink_link *link, char **errp);
int netlink_link_get_by_index(struct netlink_ns *ns, int ifindex,
                              struct netlink_link *link, char **errp);

/* Dumps every link in NS into a new array *LINKSP sorted by ifindex, with
 * their number in *N.  The caller frees the array. */
int netlink_link_dump(struct netlink_ns *ns, struct netlink_link **linksp,
                      size_t *n, char **errp);

/* Returns the entry with IFINDEX in LINKS[N] (sorted by ifindex, as from
 * netlink_link_dump()), or NULL. */
const struct netlink_link *netlink_link_find(const struct netlink_link *,
                                             size_t n, int ifindex);

/* One bridge forwarding database entry. */
struct netlink_fdb {
    uint8_t mac[6];
    int ifindex;                /* Port. */
    char port[IFNAMSIZ];
    int master;                 /* Bridge ifindex (0 if unknown). */
    uint16_t vlan;              /* 0 if none. */
    uint16_t state;             /* NUD_* (NUD_PERMANENT: static/local). */
    uint8_t flags;              /* NTF_*. */
};

/* Dumps the FDB entries of bridge BRIDGE (NULL: every bridge) in NS into a
 * new array *FDBP with their number in *N.  The caller frees it. */
int netlink_fdb_dump(struct netlink_ns *ns, const char *bridge,
                     struct netlink_fdb **fdbp, size_t *n, char **errp);

/* ---------------------------------------------------------------------
 * Addresses and routes.
 */

struct netlink_addr {
    int ifindex;
    char ifname[IFNAMSIZ];      /* "" if unknown. */
    int family;                 /* AF_INET or AF_INET6. */
    uint8_t addr[16];           /* Address in network byte order. */
    unsigned int prefixlen;
    uint8_t scope;              /* RT_SCOPE_*. */
    uint32_t flags;             /* IFA_F_*. */
};

/* Formats ADDR as "10.0.0.2/24" or "fd00::2/64" into BUF (at least
 * NETLINK_ADDR_BUFSIZE bytes) and returns BUF. */
#define NETLINK_ADDR_BUFSIZE 64
char *netlink_addr_format(const struct netlink_addr *addr, char *buf);

/* Adds address CIDR ("10.0.0.2/24", "fd00::2/64"; no prefix means /32 or
 * /128) to IFNAME in NS.  Fails with EEXIST if it is already there. */
int netlink_addr_add(struct netlink_ns *ns, const char *ifname,
                     const char *cidr, char **errp);

/* Removes address CIDR from IFNAME in NS. */
int netlink_addr_del(struct netlink_ns *ns, const char *ifname,
                     const char *cidr, char **errp);

/* Lists the addresses of FAMILY (AF_UNSPEC: both) on IFNAME (NULL: all
 * links) in NS into a new array *ADDRSP with their number in *N, sorted by
 * ifindex, family, then address.  The caller frees the array. */
int netlink_addr_list(struct netlink_ns *ns, const char *ifname,
                      int family, struct netlink_addr **addrsp, size_t *n,
                      char **errp);

struct netlink_route {
    int family;
    uint8_t dst[16];
    unsigned int dst_len;       /* 0: default route. */
    uint8_t gateway[16];
    bool has_gateway;
    int oif;                    /* Output ifindex, 0 if none. */
    char dev[IFNAMSIZ];         /* Its name, "" if none/unknown. */
    uint32_t table;
    uint8_t protocol, scope, type;
    uint32_t metric;
};

/* Formats ROUTE like "ip route": "default via 10.0.0.1 dev eth0",
 * "10.0.0.0/24 dev eth0 scope link".  BUF must have at least
 * NETLINK_ROUTE_BUFSIZE bytes. */
#define NETLINK_ROUTE_BUFSIZE 160
char *netlink_route_format(const struct netlink_route *, char *buf);

/* Adds a route in NS's main table to DST ("default" or a CIDR) via
 * GATEWAY (may be NULL) out of DEV (may be NULL; one of GATEWAY and DEV is
 * required).  With REPLACE, replaces an existing route to DST instead of
 * failing with EEXIST. */
int netlink_route_add(struct netlink_ns *ns, const char *dst,
                      const char *gateway, const char *dev, bool replace,
                      char **errp);

/* Deletes the route to DST (with GATEWAY and DEV, if given) in NS's main
 * table.  Fails with ESRCH if there is no such route. */
int netlink_route_del(struct netlink_ns *ns, const char *dst,
                      const char *gateway, const char *dev, char **errp);

/* Lists the unicast routes of FAMILY (AF_UNSPEC: both) in NS's main table
 * into a new array *ROUTESP with their number in *N.  The caller frees the
 * array. */
int netlink_route_list(struct netlink_ns *ns, int family,
                       struct netlink_route **routesp, size_t *n,
                       char **errp);

/* ---------------------------------------------------------------------
 * For netlink-monitor: parsing of rtnetlink messages.
 */
struct nlmsghdr;

/* Parses an RTM_NEWLINK or RTM_DELLINK message into *LINK.  Returns true
 * if successful. */
bool netlink_parse_link(const struct nlmsghdr *, struct netlink_link *link);

/* Parses an RTM_NEWADDR or RTM_DELADDR message into *ADDR (without
 * 'ifname').  Returns true if successful. */
bool netlink_parse_addr(const struct nlmsghdr *, struct netlink_addr *addr);

/* VLANs FIRST to LAST of bridge port (or bridge) IFINDEX, as a bridge VLAN
 * notification reports them. */
struct netlink_vlan_range {
    int ifindex;
    char port[IFNAMSIZ];        /* Not filled in by the parser. */
    uint16_t first, last;
    unsigned int flags;         /* NETLINK_VLAN_* (RTM_NEWVLAN only). */
};

/* Parses an RTM_NEWVLAN or RTM_DELVLAN message (group RTNLGRP_BRVLAN) into
 * an array of its VLAN ranges in *RANGESP (the caller frees it), and their
 * number in *N.  Returns true if successful (possibly with no ranges: the
 * message may carry only global VLAN options). */
bool netlink_parse_vlan_ranges(const struct nlmsghdr *,
                               struct netlink_vlan_range **rangesp,
                               size_t *n);

/* Opens a new libnl socket for rtnetlink inside NS, with its fd
 * close-on-exec, storing it in *SOCKP (the caller destroys it with
 * nl_socket_free()). */
struct nl_sock;
int netlink_ns_open_socket(struct netlink_ns *ns, struct nl_sock **sockp,
                           char **errp);

#endif /* netlink.h */
