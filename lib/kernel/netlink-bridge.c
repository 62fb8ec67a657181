/* Bridges, for the netlink module (see netlink.h and netlink-private.h):
 * bridge options (IFLA_BR_*), bridge-port flags (IFLA_BRPORT_*), bridge
 * VLANs and the forwarding database.  libnl-route 3.7 has no setters for
 * most of these, so the requests are built as raw messages. */
#include <config.h>

#include "netlink.h"
#include "netlink-private.h"

#include <errno.h>
#include <linux/if_bridge.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <netlink/attr.h>
#include <netlink/msg.h>

#include "util.h"

/* ---------------------------------------------------------------------
 * Bridge options.
 */

void
netlink_bridge_options_init(struct netlink_bridge_options *opts)
{
    opts->stp = -1;
    opts->ageing_time = -1;
    opts->vlan_filtering = -1;
    opts->mcast_snooping = -1;
}

bool
netlink_bridge_options_any(const struct netlink_bridge_options *opts)
{
    return opts && (opts->stp >= 0 || opts->ageing_time >= 0
                    || opts->vlan_filtering >= 0
                    || opts->mcast_snooping >= 0);
}

int
netlink_bridge_send_options(struct netlink_ns *ns, const char *name,
                            const struct netlink_bridge_options *opts,
                            char **errp)
{
    struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
    struct nlattr *linkinfo, *data;
    struct nl_msg *msg;
    char *extack;
    int error;

    if (opts->ageing_time > 42949672) {
        return netlink_set_error(errp, EINVAL, "ageing time %d s for bridge "
                                 "'%s' is too large", opts->ageing_time, name);
    }
    msg = netlink_make_msg(RTM_NEWLINK, 0, &ifi, sizeof ifi);
    nla_put_string(msg, IFLA_IFNAME, name);
    linkinfo = nla_nest_start(msg, IFLA_LINKINFO);
    nla_put_string(msg, IFLA_INFO_KIND, "bridge");
    data = nla_nest_start(msg, IFLA_INFO_DATA);
    if (opts->stp >= 0) {
        nla_put_u32(msg, IFLA_BR_STP_STATE, opts->stp != 0);
    }
    if (opts->ageing_time >= 0) {
        nla_put_u32(msg, IFLA_BR_AGEING_TIME, opts->ageing_time * 100);
    }
    if (opts->vlan_filtering >= 0) {
        nla_put_u8(msg, IFLA_BR_VLAN_FILTERING, opts->vlan_filtering != 0);
    }
    if (opts->mcast_snooping >= 0) {
        nla_put_u8(msg, IFLA_BR_MCAST_SNOOPING, opts->mcast_snooping != 0);
    }
    nla_nest_end(msg, data);
    nla_nest_end(msg, linkinfo);

    error = netlink_transact_ack(ns, msg, &extack);
    if (error == ENODEV) {
        netlink_set_error(errp, error, "bridge '%s' not found%s", name,
                          ns->suffix);
    } else if (error) {
        netlink_kernel_error(errp, error, extack, "cannot set options of "
                             "bridge '%s'%s", name, ns->suffix);
    }
    free(extack);
    return error;
}

/* Looks up link NAME into *D; fails with EINVAL if it is not a bridge. */
static int
get_bridge(struct netlink_ns *ns, const char *name,
           struct netlink_link_details *d, char **errp)
{
    int error = netlink_link_get_details(ns, name, 0, d, errp);

    if (!error && !d->is_bridge) {
        error = netlink_set_error(errp, EINVAL, "device '%s' is not a "
                                  "bridge%s", name, ns->suffix);
    }
    return error;
}

int
netlink_bridge_set_options(struct netlink_ns *ns, const char *name,
                           const struct netlink_bridge_options *opts,
                           char **errp)
{
    struct netlink_link_details d;
    int error;

    error = get_bridge(ns, name, &d, errp);
    if (error) {
        return error;
    }
    return (netlink_bridge_options_any(opts)
            ? netlink_bridge_send_options(ns, name, opts, errp)
            : 0);
}

int
netlink_bridge_get_options(struct netlink_ns *ns, const char *name,
                           struct netlink_bridge_options *opts, char **errp)
{
    struct netlink_link_details d;
    int error;

    error = get_bridge(ns, name, &d, errp);
    if (error) {
        netlink_bridge_options_init(opts);
        return error;
    }
    *opts = d.bridge;
    return 0;
}

/* ---------------------------------------------------------------------
 * Bridge ports and VLANs.
 */

void
netlink_bridge_port_options_init(struct netlink_bridge_port_options *opts)
{
    opts->hairpin = -1;
    opts->learning = -1;
    opts->flood = -1;
    opts->isolated = -1;
}

/* Looks up link PORT into *D; fails with EINVAL if it is not a bridge
 * port. */
static int
get_bridge_port(struct netlink_ns *ns, const char *port,
                struct netlink_link_details *d, char **errp)
{
    int error = netlink_link_get_details(ns, port, 0, d, errp);

    if (!error && (!d->link.master || !d->is_bridge_port)) {
        error = netlink_set_error(errp, EINVAL, "device '%s' is not a bridge "
                                  "port%s", port, ns->suffix);
    }
    return error;
}

int
netlink_bridge_port_set(struct netlink_ns *ns, const char *port,
                        const struct netlink_bridge_port_options *opts,
                        char **errp)
{
    struct ifinfomsg ifi = { .ifi_family = AF_BRIDGE };
    struct netlink_link_details d;
    struct nlattr *protinfo;
    struct nl_msg *msg;
    char *extack;
    int error;

    error = get_bridge_port(ns, port, &d, errp);
    if (error) {
        return error;
    }

    /* As "bridge link set": AF_BRIDGE RTM_SETLINK with a nested
     * IFLA_PROTINFO (libnl-route 3.7 lacks IFLA_BRPORT_ISOLATED). */
    ifi.ifi_index = d.link.ifindex;
    msg = netlink_make_msg(RTM_SETLINK, 0, &ifi, sizeof ifi);
    protinfo = nla_nest_start(msg, IFLA_PROTINFO | NLA_F_NESTED);
    if (opts->hairpin >= 0) {
        nla_put_u8(msg, IFLA_BRPORT_MODE, opts->hairpin != 0);
    }
    if (opts->learning >= 0) {
        nla_put_u8(msg, IFLA_BRPORT_LEARNING, opts->learning != 0);
    }
    if (opts->flood >= 0) {
        nla_put_u8(msg, IFLA_BRPORT_UNICAST_FLOOD, opts->flood != 0);
    }
    if (opts->isolated >= 0) {
        nla_put_u8(msg, IFLA_BRPORT_ISOLATED, opts->isolated != 0);
    }
    nla_nest_end(msg, protinfo);

    error = netlink_transact_ack(ns, msg, &extack);
    if (error) {
        netlink_kernel_error(errp, error, extack, "cannot set bridge port "
                             "flags of '%s'%s", port, ns->suffix);
    }
    free(extack);
    return error;
}

int
netlink_bridge_port_get(struct netlink_ns *ns, const char *port,
                        struct netlink_bridge_port_options *opts,
                        char **errp)
{
    struct netlink_link_details d;
    int error;

    netlink_bridge_port_options_init(opts);
    error = get_bridge_port(ns, port, &d, errp);
    if (error) {
        return error;
    }
    *opts = d.port;
    return 0;
}

static int
check_vid(uint16_t vid, char **errp)
{
    if (vid < 1 || vid > 4094) {
        return netlink_set_error(errp, EINVAL, "VLAN id %u is out of range "
                                 "(1 to 4094)", vid);
    }
    return 0;
}

/* VLAN entries (IFLA_BRIDGE_VLAN_INFO) per request, at most: a request
 * fits in one page, libnl's default message size. */
#define MAX_VLAN_INFOS 256

/* The AF_BRIDGE RTM_SETLINK (TYPE == RTM_SETLINK, add) or RTM_DELLINK
 * (remove) for link D's VLANs, to be filled in. */
static struct nl_msg *
start_vlan_msg(const struct netlink_link_details *d, int type,
               struct nlattr **afspecp)
{
    struct ifinfomsg ifi = { .ifi_family = AF_BRIDGE,
                             .ifi_index = d->link.ifindex };
    struct nl_msg *msg = netlink_make_msg(type, 0, &ifi, sizeof ifi);

    *afspecp = nla_nest_start(msg, IFLA_AF_SPEC);
    if (d->is_bridge) {
        /* The bridge device's own VLANs. */
        nla_put_u16(msg, IFLA_BRIDGE_FLAGS, BRIDGE_FLAGS_SELF);
    }
    return msg;
}

/* Appends VLAN VID with the kernel's FLAGS to MSG. */
static void
put_vlan_info(struct nl_msg *msg, uint16_t vid, uint16_t flags)
{
    struct bridge_vlan_info vinfo = { .flags = flags, .vid = vid };

    if (nla_put(msg, IFLA_BRIDGE_VLAN_INFO, sizeof vinfo, &vinfo) < 0) {
        vs_abort(0, "netlink message too small for VLAN %u", vid);
    }
}

/* The kernel's flags for FLAGS[I] (NETLINK_VLAN_*), or 0 if FLAGS is
 * null. */
static uint16_t
kernel_vlan_flags(const unsigned int *flags, size_t i)
{
    return ((flags && flags[i] & NETLINK_VLAN_PVID
             ? BRIDGE_VLAN_INFO_PVID : 0)
            | (flags && flags[i] & NETLINK_VLAN_UNTAGGED
               ? BRIDGE_VLAN_INFO_UNTAGGED : 0));
}

/* Sends AF_BRIDGE RTM_SETLINK (TYPE == RTM_SETLINK, add) or RTM_DELLINK
 * (remove) requests carrying the N VLANs in VIDS (ascending) with FLAGS[i]
 * (all 0 if FLAGS is null) for link D.  Consecutive VIDs with the same
 * flags go as one range, and MAX_VLAN_INFOS entries per request: a trunk
 * of every VLAN costs one small request. */
static int
send_vlans(struct netlink_ns *ns, const struct netlink_link_details *d,
           int type, const uint16_t *vids, const unsigned int *flags,
           size_t n, char **errp)
{
    size_t i = 0;

    while (i < n) {
        uint16_t first = vids[i];
        struct nlattr *afspec;
        struct nl_msg *msg;
        size_t n_infos = 0;
        char *extack;
        int error;

        msg = start_vlan_msg(d, type, &afspec);
        while (i < n && n_infos + 2 <= MAX_VLAN_INFOS) {
            uint16_t f = kernel_vlan_flags(flags, i);
            size_t j = i + 1;

            /* A range may not hold the PVID. */
            while (!(f & BRIDGE_VLAN_INFO_PVID) && j < n
                   && vids[j] == vids[j - 1] + 1
                   && kernel_vlan_flags(flags, j) == f) {
                j++;
            }
            if (j - i > 1) {
                put_vlan_info(msg, vids[i],
                              f | BRIDGE_VLAN_INFO_RANGE_BEGIN);
                put_vlan_info(msg, vids[j - 1],
                              f | BRIDGE_VLAN_INFO_RANGE_END);
                n_infos += 2;
            } else {
                put_vlan_info(msg, vids[i], f);
                n_infos++;
            }
            i = j;
        }
        nla_nest_end(msg, afspec);

        error = netlink_transact_ack(ns, msg, &extack);
        if (error) {
            const char *verb = type == RTM_SETLINK ? "add" : "remove";
            const char *prep = type == RTM_SETLINK ? "to" : "from";

            if (n == 1) {
                netlink_kernel_error(errp, error, extack, "cannot %s VLAN %u "
                                     "%s '%s'%s", verb, first, prep,
                                     d->link.name, ns->suffix);
            } else {
                netlink_kernel_error(errp, error, extack, "cannot %s VLANs "
                                     "%s '%s'%s", verb, prep, d->link.name,
                                     ns->suffix);
            }
            free(extack);
            return error;
        }
    }
    return 0;
}

static int
get_vlan_port(struct netlink_ns *ns, const char *port,
              struct netlink_link_details *d, char **errp)
{
    int error = netlink_link_get_details(ns, port, 0, d, errp);

    if (!error && !d->is_bridge && !d->is_bridge_port) {
        error = netlink_set_error(errp, EINVAL, "device '%s' is neither a "
                                  "bridge nor a bridge port%s", port,
                                  ns->suffix);
    }
    return error;
}

/* Adds (TYPE is RTM_SETLINK, with FLAGSP) or deletes (RTM_DELLINK, FLAGSP
 * null) VLAN VID on bridge or bridge port PORT. */
static int
change_vlan(struct netlink_ns *ns, const char *port, int type, uint16_t vid,
            const unsigned int *flagsp, char **errp)
{
    struct netlink_link_details d;
    int error;

    netlink_clear_error(errp);
    error = check_vid(vid, errp);
    if (error || (error = get_vlan_port(ns, port, &d, errp))) {
        return error;
    }
    return send_vlans(ns, &d, type, &vid, flagsp, 1, errp);
}

int
netlink_bridge_vlan_add(struct netlink_ns *ns, const char *port,
                        uint16_t vid, unsigned int flags, char **errp)
{
    return change_vlan(ns, port, RTM_SETLINK, vid, &flags, errp);
}

int
netlink_bridge_vlan_del(struct netlink_ns *ns, const char *port,
                        uint16_t vid, char **errp)
{
    return change_vlan(ns, port, RTM_DELLINK, vid, NULL, errp);
}

static unsigned int
vlan_flags_from_kernel(uint16_t flags)
{
    return ((flags & BRIDGE_VLAN_INFO_PVID ? NETLINK_VLAN_PVID : 0)
            | (flags & BRIDGE_VLAN_INFO_UNTAGGED ? NETLINK_VLAN_UNTAGGED : 0));
}

bool
netlink_parse_vlan_ranges(const struct nlmsghdr *hdr,
                          struct netlink_vlan_range **rangesp, size_t *n)
{
    struct netlink_array ranges = { NULL, 0, 0 };
    const struct br_vlan_msg *bvm = NLMSG_DATA(hdr);
    struct nlattr *a;
    int rem;

    *rangesp = NULL;
    *n = 0;
    if ((hdr->nlmsg_type != RTM_NEWVLAN && hdr->nlmsg_type != RTM_DELVLAN)
        || hdr->nlmsg_len < NLMSG_LENGTH(sizeof *bvm)
        || bvm->family != AF_BRIDGE) {
        return false;
    }
    nlmsg_for_each_attr(a, (struct nlmsghdr *) hdr, sizeof *bvm, rem) {
        struct nlattr *tb[BRIDGE_VLANDB_ENTRY_MAX + 1];
        const struct bridge_vlan_info *v;
        struct netlink_vlan_range *r;

        if (nla_type(a) != BRIDGE_VLANDB_ENTRY
            || nla_parse_nested(tb, BRIDGE_VLANDB_ENTRY_MAX, a, NULL) < 0
            || !tb[BRIDGE_VLANDB_ENTRY_INFO]
            || nla_len(tb[BRIDGE_VLANDB_ENTRY_INFO]) < (int) sizeof *v) {
            continue;
        }
        v = nla_data(tb[BRIDGE_VLANDB_ENTRY_INFO]);
        r = netlink_array_append(&ranges, sizeof *r);
        r->ifindex = bvm->ifindex;
        r->first = v->vid;
        r->last = MAX(v->vid, attr_u16(tb[BRIDGE_VLANDB_ENTRY_RANGE],
                                       v->vid));
        r->flags = vlan_flags_from_kernel(v->flags);
    }
    *rangesp = ranges.elems;
    *n = ranges.n;
    return true;
}

struct vlan_dump_aux {
    int ifindex;                /* 0: all. */
    struct netlink_array vlans;
};

static int
vlan_dump_reply(const struct nlmsghdr *hdr, void *aux_)
{
    struct vlan_dump_aux *aux = aux_;
    struct nlattr *tb[IFLA_MAX + 1];
    const struct ifinfomsg *ifi;
    const struct nlattr *a;
    char name[IFNAMSIZ];
    uint16_t first = 0;         /* Start of a range, 0 if none. */
    int rem;

    if (hdr->nlmsg_type != RTM_NEWLINK
        || hdr->nlmsg_len < NLMSG_LENGTH(sizeof *ifi)
        || nlmsg_parse((struct nlmsghdr *) hdr, sizeof *ifi, tb, IFLA_MAX,
                       NULL) < 0
        || !tb[IFLA_AF_SPEC]) {
        return 0;
    }
    ifi = NLMSG_DATA(hdr);
    if (aux->ifindex && ifi->ifi_index != aux->ifindex) {
        return 0;
    }
    attr_string(tb[IFLA_IFNAME], name, sizeof name);
    nla_for_each_nested(a, tb[IFLA_AF_SPEC], rem) {
        const struct bridge_vlan_info *v;

        if (nla_type(a) != IFLA_BRIDGE_VLAN_INFO
            || nla_len(a) < (int) sizeof *v) {
            continue;
        }
        v = nla_data(a);
        if (v->flags & BRIDGE_VLAN_INFO_RANGE_BEGIN) {
            first = v->vid;
            continue;
        }
        if (!(v->flags & BRIDGE_VLAN_INFO_RANGE_END) || !first
            || first > v->vid) {
            first = v->vid;
        }
        for (unsigned int vid = first; vid <= v->vid; vid++) {
            struct netlink_vlan *vlan;

            vlan = netlink_array_append(&aux->vlans, sizeof *vlan);
            vlan->ifindex = ifi->ifi_index;
            memcpy(vlan->port, name, sizeof vlan->port);
            vlan->vid = vid;
            vlan->flags = vlan_flags_from_kernel(v->flags);
        }
        first = 0;
    }
    return 0;
}

static int
compare_vlans(const void *a_, const void *b_)
{
    const struct netlink_vlan *a = a_, *b = b_;

    if (a->ifindex != b->ifindex) {
        return a->ifindex < b->ifindex ? -1 : 1;
    }
    return a->vid < b->vid ? -1 : a->vid > b->vid;
}

static const struct netlink_dump_class vlan_dump_class = {
    .what = "bridge VLANs",
    .type = RTM_GETLINK,
    .hdrlen = sizeof(struct ifinfomsg),
    .ext_mask = RTEXT_FILTER_BRVLAN_COMPRESSED,
    .reply = vlan_dump_reply,
    .size = sizeof(struct netlink_vlan),
    .compare = compare_vlans,
};

static int
list_vlans(struct netlink_ns *ns, int ifindex, struct netlink_vlan **vlansp,
           size_t *n, char **errp)
{
    struct vlan_dump_aux aux = { .ifindex = ifindex };
    int error;

    error = netlink_dump(ns, &vlan_dump_class, AF_BRIDGE, &aux, &aux.vlans,
                         errp);
    *vlansp = aux.vlans.elems;
    *n = aux.vlans.n;
    return error;
}

int
netlink_bridge_vlan_list(struct netlink_ns *ns, const char *port,
                         struct netlink_vlan **vlansp, size_t *n,
                         char **errp)
{
    int ifindex;
    int error;

    netlink_clear_error(errp);
    *vlansp = NULL;
    *n = 0;
    error = netlink_name_to_index(ns, port, &ifindex, errp);
    return error ? error : list_vlans(ns, ifindex, vlansp, n, errp);
}

int
netlink_bridge_vlan_set(struct netlink_ns *ns, const char *port,
                        uint16_t pvid, bool pvid_untagged,
                        const uint16_t *tagged, size_t n_tagged,
                        char **errp)
{
    unsigned int *want;         /* Indexed by VID: 0 unwanted, else flags
                                 * + 0x100. */
    uint16_t *add_vids, *del_vids;
    unsigned int *add_flags;
    size_t n_add = 0, n_del = 0;
    struct netlink_vlan *cur;
    struct netlink_link_details d;
    size_t n_cur;
    int error;

    netlink_clear_error(errp);
    if (pvid && (error = check_vid(pvid, errp))) {
        return error;
    }
    for (size_t i = 0; i < n_tagged; i++) {
        error = check_vid(tagged[i], errp);
        if (error) {
            return error;
        }
    }
    error = get_vlan_port(ns, port, &d, errp);
    if (error) {
        return error;
    }
    error = list_vlans(ns, d.link.ifindex, &cur, &n_cur, errp);
    if (error) {
        return error;
    }

    want = xcalloc(4096, sizeof *want);
    for (size_t i = 0; i < n_tagged; i++) {
        want[tagged[i]] = 0x100;
    }
    if (pvid) {
        want[pvid] = (0x100 | NETLINK_VLAN_PVID
                      | (pvid_untagged ? NETLINK_VLAN_UNTAGGED : 0));
    }

    add_vids = xmalloc(4096 * sizeof *add_vids);
    add_flags = xmalloc(4096 * sizeof *add_flags);
    del_vids = xmalloc((n_cur + 1) * sizeof *del_vids);
    for (size_t i = 0; i < n_cur; i++) {
        uint16_t vid = cur[i].vid;

        if (vid >= 4096) {
            continue;
        } else if (!want[vid]) {
            del_vids[n_del++] = vid;
        } else if ((want[vid] & 0xff) == cur[i].flags) {
            want[vid] = 0;      /* Already right. */
        }
    }
    for (unsigned int vid = 1; vid < 4095; vid++) {
        if (want[vid]) {
            add_vids[n_add] = vid;
            add_flags[n_add++] = want[vid] & 0xff;
        }
    }

    /* Add first, so that the port is never without its VLANs. */
    error = send_vlans(ns, &d, RTM_SETLINK, add_vids, add_flags, n_add,
                       errp);
    if (!error) {
        error = send_vlans(ns, &d, RTM_DELLINK, del_vids, NULL, n_del,
                           errp);
    }
    free(want);
    free(add_vids);
    free(add_flags);
    free(del_vids);
    free(cur);
    return error;
}

/* ---------------------------------------------------------------------
 * FDB.
 */

struct fdb_dump_aux {
    int master;                 /* 0: all. */
    struct netlink_array fdb;
};

static int
fdb_dump_reply(const struct nlmsghdr *hdr, void *aux_)
{
    struct fdb_dump_aux *aux = aux_;
    struct nlattr *tb[NDA_MAX + 1];
    const struct ndmsg *ndm;
    struct netlink_fdb *e;

    if (hdr->nlmsg_type != RTM_NEWNEIGH
        || hdr->nlmsg_len < NLMSG_LENGTH(sizeof *ndm)
        || nlmsg_parse((struct nlmsghdr *) hdr, sizeof *ndm, tb, NDA_MAX,
                       NULL) < 0
        || !tb[NDA_LLADDR] || nla_len(tb[NDA_LLADDR]) != 6) {
        return 0;
    }
    ndm = NLMSG_DATA(hdr);
    if (ndm->ndm_family != AF_BRIDGE
        || (aux->master && attr_u32(tb[NDA_MASTER], 0) != aux->master)) {
        return 0;
    }
    e = netlink_array_append(&aux->fdb, sizeof *e);
    memcpy(e->mac, nla_data(tb[NDA_LLADDR]), 6);
    e->ifindex = ndm->ndm_ifindex;
    e->master = attr_u32(tb[NDA_MASTER], 0);
    e->vlan = attr_u16(tb[NDA_VLAN], 0);
    e->state = ndm->ndm_state;
    e->flags = ndm->ndm_flags;
    return 0;
}

static const struct netlink_dump_class fdb_dump_class = {
    .what = "forwarding database",
    .type = RTM_GETNEIGH,
    .hdrlen = sizeof(struct ndmsg),
    .reply = fdb_dump_reply,
    .size = sizeof(struct netlink_fdb),
    .fill_names = true,
    .index_ofs = offsetof(struct netlink_fdb, ifindex),
    .name_ofs = offsetof(struct netlink_fdb, port),
};

int
netlink_fdb_dump(struct netlink_ns *ns, const char *bridge,
                 struct netlink_fdb **fdbp, size_t *n, char **errp)
{
    struct fdb_dump_aux aux = { 0, { NULL, 0, 0 } };
    int error;

    netlink_clear_error(errp);
    error = netlink_name_to_index(ns, bridge, &aux.master, errp);
    if (!error) {
        error = netlink_dump(ns, &fdb_dump_class, AF_BRIDGE, &aux, &aux.fdb,
                             errp);
    }
    *fdbp = aux.fdb.elems;
    *n = aux.fdb.n;
    return error;
}
