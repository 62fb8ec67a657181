/* Links, for the netlink module (see netlink.h and netlink-private.h):
 * parsing RTM_NEWLINK messages (with their bridge and bridge-port
 * details), looking links up by name or index, dumping them, changing
 * them (up, MTU, MAC, alias, master, namespace, name) and deleting them. */
#include <config.h>

#include "netlink.h"
#include "netlink-private.h"

#include <errno.h>
#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <netlink/addr.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/route/link.h>

#include "netns.h"
#include "util.h"
#include "vlog.h"

static struct vlog_module *const THIS_MODULE = &VLM_netlink;

/* ---------------------------------------------------------------------
 * Link parsing.
 */

static int
parse_nested(struct nlattr *tb[], int maxtype, const struct nlattr *nest)
{
    return nla_parse_nested(tb, maxtype, (struct nlattr *) nest, NULL);
}

bool
netlink_parse_link(const struct nlmsghdr *hdr, struct netlink_link *link)
{
    struct nlattr *tb[IFLA_MAX + 1];
    const struct ifinfomsg *ifi;

    if (hdr->nlmsg_len < NLMSG_LENGTH(sizeof *ifi)
        || nlmsg_parse((struct nlmsghdr *) hdr, sizeof *ifi, tb, IFLA_MAX,
                       NULL) < 0) {
        return false;
    }
    ifi = NLMSG_DATA(hdr);
    memset(link, 0, sizeof *link);
    link->ifindex = ifi->ifi_index;
    link->flags = ifi->ifi_flags;
    attr_string(tb[IFLA_IFNAME], link->name, sizeof link->name);
    link->master = attr_u32(tb[IFLA_MASTER], 0);
    link->link = attr_u32(tb[IFLA_LINK], 0);
    link->link_netnsid = tb[IFLA_LINK_NETNSID]
                         ? (int) attr_u32(tb[IFLA_LINK_NETNSID], 0) : -1;
    link->operstate = attr_u8(tb[IFLA_OPERSTATE], IF_OPER_UNKNOWN);
    link->mtu = attr_u32(tb[IFLA_MTU], 0);
    link->txqlen = attr_u32(tb[IFLA_TXQLEN], 0);
    if (tb[IFLA_ADDRESS]) {
        size_t len = MIN((size_t) nla_len(tb[IFLA_ADDRESS]),
                         sizeof link->mac);
        memcpy(link->mac, nla_data(tb[IFLA_ADDRESS]), len);
        link->mac_len = len;
    }
    attr_string(tb[IFLA_IFALIAS], link->alias, sizeof link->alias);
    if (tb[IFLA_LINKINFO]) {
        struct nlattr *info[IFLA_INFO_MAX + 1];

        if (!parse_nested(info, IFLA_INFO_MAX, tb[IFLA_LINKINFO])) {
            attr_string(info[IFLA_INFO_KIND], link->kind,
                        sizeof link->kind);
        }
    }
    if (tb[IFLA_STATS64]) {
        struct rtnl_link_stats64 s;
        size_t len = MIN((size_t) nla_len(tb[IFLA_STATS64]), sizeof s);

        memset(&s, 0, sizeof s);
        memcpy(&s, nla_data(tb[IFLA_STATS64]), len);
        link->stats.rx_packets = s.rx_packets;
        link->stats.tx_packets = s.tx_packets;
        link->stats.rx_bytes = s.rx_bytes;
        link->stats.tx_bytes = s.tx_bytes;
        link->stats.rx_errors = s.rx_errors;
        link->stats.tx_errors = s.tx_errors;
        link->stats.rx_dropped = s.rx_dropped;
        link->stats.tx_dropped = s.tx_dropped;
        link->stats.multicast = s.multicast;
        link->stats.collisions = s.collisions;
    }
    return true;
}

static void
parse_link_details(const struct nlmsghdr *hdr, struct netlink_link_details *d)
{
    struct nlattr *tb[IFLA_MAX + 1];
    struct nlattr *info[IFLA_INFO_MAX + 1];
    char slave_kind[16];

    d->is_bridge = !strcmp(d->link.kind, "bridge");
    d->is_bridge_port = false;
    netlink_bridge_options_init(&d->bridge);
    netlink_bridge_port_options_init(&d->port);

    if (nlmsg_parse((struct nlmsghdr *) hdr, sizeof(struct ifinfomsg), tb,
                    IFLA_MAX, NULL) < 0
        || !tb[IFLA_LINKINFO]
        || parse_nested(info, IFLA_INFO_MAX, tb[IFLA_LINKINFO])) {
        return;
    }
    if (d->is_bridge && info[IFLA_INFO_DATA]) {
        struct nlattr *br[IFLA_BR_MAX + 1];

        if (!parse_nested(br, IFLA_BR_MAX, info[IFLA_INFO_DATA])) {
            d->bridge.stp = attr_u32(br[IFLA_BR_STP_STATE], 0) != 0;
            d->bridge.ageing_time = attr_u32(br[IFLA_BR_AGEING_TIME], 0)
                                    / 100;
            d->bridge.vlan_filtering = attr_u8(br[IFLA_BR_VLAN_FILTERING],
                                               0);
            d->bridge.mcast_snooping = attr_u8(br[IFLA_BR_MCAST_SNOOPING],
                                               0);
        }
    }
    attr_string(info[IFLA_INFO_SLAVE_KIND], slave_kind, sizeof slave_kind);
    if (!strcmp(slave_kind, "bridge") && info[IFLA_INFO_SLAVE_DATA]) {
        struct nlattr *bp[IFLA_BRPORT_MAX + 1];

        if (!parse_nested(bp, IFLA_BRPORT_MAX,
                          info[IFLA_INFO_SLAVE_DATA])) {
            d->is_bridge_port = true;
            d->port.hairpin = attr_u8(bp[IFLA_BRPORT_MODE], 0);
            d->port.learning = attr_u8(bp[IFLA_BRPORT_LEARNING], 0);
            d->port.flood = attr_u8(bp[IFLA_BRPORT_UNICAST_FLOOD], 0);
            d->port.isolated = attr_u8(bp[IFLA_BRPORT_ISOLATED], 0);
        }
    }
}

struct get_link_aux {
    struct netlink_link_details *details;
    bool found;
};

static int
get_link_reply(const struct nlmsghdr *hdr, void *aux_)
{
    struct get_link_aux *aux = aux_;

    if (hdr->nlmsg_type == RTM_NEWLINK && !aux->found
        && netlink_parse_link(hdr, &aux->details->link)) {
        parse_link_details(hdr, aux->details);
        aux->found = true;
    }
    return 0;
}

int
netlink_link_get_details(struct netlink_ns *ns, const char *name, int ifindex,
                         struct netlink_link_details *d, char **errp)
{
    struct get_link_aux aux = { .details = d, .found = false };
    struct nl_msg *msg;
    char *extack;
    int error;

    netlink_clear_error(errp);
    memset(d, 0, sizeof *d);
    if (name) {
        error = netlink_validate_ifname(name, "device name", errp);
        if (error) {
            return error;
        }
    }
    error = rtnl_link_build_get_request(name ? 0 : ifindex, name, &msg);
    if (error < 0) {
        return netlink_build_error(errp, error);
    }
    error = netlink_transact(ns, msg, get_link_reply, &aux, &extack);
    if (!error && !aux.found) {
        error = ENODEV;
    }
    if (error == ENODEV) {
        if (name) {
            netlink_set_error(errp, error, "device '%s' not found%s", name,
                              ns->suffix);
        } else {
            netlink_set_error(errp, error, "device with index %d not found%s",
                              ifindex, ns->suffix);
        }
    } else if (error) {
        netlink_kernel_error(errp, error, extack, "cannot look up device "
                             "'%s'%s", name ? name : "?", ns->suffix);
    }
    free(extack);
    return error;
}

int
netlink_link_get(struct netlink_ns *ns, const char *name,
                 struct netlink_link *link, char **errp)
{
    struct netlink_link_details d;
    int error;

    error = netlink_link_get_details(ns, name, 0, &d, errp);
    *link = d.link;
    return error;
}

int
netlink_link_get_by_index(struct netlink_ns *ns, int ifindex,
                          struct netlink_link *link, char **errp)
{
    struct netlink_link_details d;
    int error;

    error = netlink_link_get_details(ns, NULL, ifindex, &d, errp);
    *link = d.link;
    return error;
}

int
netlink_name_to_index(struct netlink_ns *ns, const char *name, int *ifindexp,
                      char **errp)
{
    struct netlink_link_details d;
    int error;

    if (!name) {
        *ifindexp = 0;
        return 0;
    }
    error = netlink_link_get_details(ns, name, 0, &d, errp);
    *ifindexp = error ? 0 : d.link.ifindex;
    return error;
}

static int
link_dump_reply(const struct nlmsghdr *hdr, void *array_)
{
    struct netlink_array *array = array_;

    if (hdr->nlmsg_type == RTM_NEWLINK) {
        struct netlink_link *link = netlink_array_append(array, sizeof *link);

        if (!netlink_parse_link(hdr, link)) {
            array->n--;
        }
    }
    return 0;
}

static int
compare_links(const void *a_, const void *b_)
{
    const struct netlink_link *a = a_, *b = b_;

    return a->ifindex < b->ifindex ? -1 : a->ifindex > b->ifindex;
}

static const struct netlink_dump_class link_dump_class = {
    .what = "links",
    .type = RTM_GETLINK,
    .hdrlen = sizeof(struct ifinfomsg),
    .reply = link_dump_reply,
    .size = sizeof(struct netlink_link),
    .compare = compare_links,
};

int
netlink_link_dump(struct netlink_ns *ns, struct netlink_link **linksp,
                  size_t *n, char **errp)
{
    struct netlink_array array = { NULL, 0, 0 };
    int error;

    netlink_clear_error(errp);
    error = netlink_dump(ns, &link_dump_class, AF_UNSPEC, &array, &array,
                         errp);
    *linksp = array.elems;
    *n = array.n;
    return error;
}

const struct netlink_link *
netlink_link_find(const struct netlink_link *links, size_t n, int ifindex)
{
    struct netlink_link key;

    if (!n) {
        return NULL;
    }
    key.ifindex = ifindex;
    return bsearch(&key, links, n, sizeof *links, compare_links);
}

const char *
netlink_operstate_to_string(uint8_t operstate)
{
    static const char *const names[] = {
        [IF_OPER_UNKNOWN] = "unknown",
        [IF_OPER_NOTPRESENT] = "notpresent",
        [IF_OPER_DOWN] = "down",
        [IF_OPER_LOWERLAYERDOWN] = "lowerlayerdown",
        [IF_OPER_TESTING] = "testing",
        [IF_OPER_DORMANT] = "dormant",
        [IF_OPER_UP] = "up",
    };

    return (operstate < ARRAY_SIZE(names) && names[operstate]
            ? names[operstate] : "unknown");
}

char *
netlink_link_format_mac(const struct netlink_link *link, char *buf)
{
    char *p = buf;

    *p = '\0';
    for (size_t i = 0; i < link->mac_len; i++) {
        p += sprintf(p, "%s%02x", i ? ":" : "", link->mac[i]);
    }
    return buf;
}

/* ---------------------------------------------------------------------
 * Link changes.
 */

void
netlink_link_attrs_init(struct netlink_link_attrs *attrs)
{
    memset(attrs, 0, sizeof *attrs);
    attrs->up = -1;
    attrs->txqlen = -1;
}

static bool
parse_mac(const char *s, uint8_t mac[6])
{
    unsigned int b[6];
    int n;

    if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%n",
               &b[0], &b[1], &b[2], &b[3], &b[4], &b[5], &n) != 6
        || s[n]) {
        return false;
    }
    for (int i = 0; i < 6; i++) {
        mac[i] = b[i];
    }
    return true;
}

int
netlink_attrs_to_rtnl(struct netlink_ns *ns, struct rtnl_link *l,
                      const struct netlink_link_attrs *attrs, const char *what,
                      bool creating, char **errp)
{
    if (!attrs) {
        return 0;
    }
    if (attrs->up == 1) {
        rtnl_link_set_flags(l, IFF_UP);
    } else if (attrs->up == 0) {
        rtnl_link_unset_flags(l, IFF_UP);
    }
    if (attrs->mtu < 0) {
        return netlink_set_error(errp, EINVAL, "invalid MTU %d for '%s'",
                                 attrs->mtu, what);
    } else if (attrs->mtu > 0) {
        rtnl_link_set_mtu(l, attrs->mtu);
    }
    if (attrs->txqlen >= 0) {
        rtnl_link_set_txqlen(l, attrs->txqlen);
    }
    if (attrs->mac) {
        struct nl_addr *addr;
        uint8_t mac[6];

        if (!parse_mac(attrs->mac, mac)) {
            return netlink_set_error(errp, EINVAL, "invalid MAC address '%s' "
                                     "for '%s'", attrs->mac, what);
        }
        addr = nl_addr_build(AF_LLC, mac, sizeof mac);
        rtnl_link_set_addr(l, addr);
        nl_addr_put(addr);
    }
    if (attrs->alias) {
        if (strlen(attrs->alias) >= IFALIASZ) {
            return netlink_set_error(errp, EINVAL, "alias for '%s' exceeds %d "
                                     "characters", what, IFALIASZ - 1);
        }
        if (!creating) {
            rtnl_link_set_ifalias(l, attrs->alias);
        }
    }
    if (attrs->master) {
        int master = 0;

        if (attrs->master[0]) {
            int error = netlink_name_to_index(ns, attrs->master, &master,
                                              errp);
            if (error) {
                return error;
            }
        }
        rtnl_link_set_master(l, master);
    }
    return 0;
}

int
netlink_link_set(struct netlink_ns *ns, const char *ifname,
                 const struct netlink_link_attrs *attrs, char **errp)
{
    struct rtnl_link *orig, *change;
    struct nl_msg *msg;
    char *extack = NULL;
    const char *new_name = NULL;
    int error;

    netlink_clear_error(errp);
    error = netlink_validate_ifname(ifname, "device name", errp);
    if (error) {
        return error;
    }
    if (attrs->name && strcmp(attrs->name, ifname)) {
        error = netlink_validate_ifname(attrs->name, "new device name",
                                        errp);
        if (error) {
            return error;
        }
        new_name = attrs->name;
    }

    orig = rtnl_link_alloc();
    change = rtnl_link_alloc();
    if (new_name) {
        /* Renaming: the kernel finds the link by index. */
        int ifindex;

        error = netlink_name_to_index(ns, ifname, &ifindex, errp);
        if (error) {
            goto out;
        }
        rtnl_link_set_ifindex(orig, ifindex);
        rtnl_link_set_name(change, new_name);
    } else {
        /* Index 0 and IFLA_IFNAME: the kernel finds the link by name. */
        rtnl_link_set_name(change, ifname);
    }
    error = netlink_attrs_to_rtnl(ns, change, attrs, ifname, false, errp);
    if (error) {
        goto out;
    }
    if (attrs->netns && attrs->netns != ns) {
        rtnl_link_set_ns_fd(change, netns_fd(attrs->netns->netns));
    }

    error = rtnl_link_build_change_request(orig, change, 0, &msg);
    if (error < 0) {
        error = netlink_build_error(errp, error);
        goto out;
    }
    error = netlink_transact_ack(ns, msg, &extack);
    if (error == ENODEV) {
        netlink_set_error(errp, error, "device '%s' not found%s", ifname,
                          ns->suffix);
    } else if (error == EEXIST) {
        const char *where = (attrs->netns && attrs->netns != ns
                             ? attrs->netns->suffix : ns->suffix);
        netlink_set_error(errp, error, "device '%s' already exists%s",
                          new_name ? new_name : ifname, where);
    } else if (error) {
        netlink_kernel_error(errp, error, extack, "cannot change device "
                             "'%s'%s", ifname, ns->suffix);
    } else {
        VLOG_DBG("changed device '%s'%s", ifname, ns->suffix);
    }

out:
    free(extack);
    rtnl_link_put(orig);
    rtnl_link_put(change);
    return error;
}

int
netlink_link_set_up(struct netlink_ns *ns, const char *ifname, bool up,
                    char **errp)
{
    struct netlink_link_attrs attrs;

    netlink_link_attrs_init(&attrs);
    attrs.up = up;
    return netlink_link_set(ns, ifname, &attrs, errp);
}

int
netlink_link_set_master(struct netlink_ns *ns, const char *ifname,
                        const char *master, char **errp)
{
    struct netlink_link_attrs attrs;

    netlink_link_attrs_init(&attrs);
    attrs.master = master ? master : "";
    return netlink_link_set(ns, ifname, &attrs, errp);
}

int
netlink_link_set_netns(struct netlink_ns *ns, const char *ifname,
                       struct netlink_ns *target, const char *new_name,
                       char **errp)
{
    struct netlink_link_attrs attrs;

    netlink_link_attrs_init(&attrs);
    attrs.netns = target;
    attrs.name = new_name;
    return netlink_link_set(ns, ifname, &attrs, errp);
}

int
netlink_link_del(struct netlink_ns *ns, const char *ifname, char **errp)
{
    struct rtnl_link *link;
    struct nl_msg *msg;
    char *extack;
    int error;

    netlink_clear_error(errp);
    error = netlink_validate_ifname(ifname, "device name", errp);
    if (error) {
        return error;
    }
    link = rtnl_link_alloc();
    rtnl_link_set_name(link, ifname);
    error = rtnl_link_build_delete_request(link, &msg);
    rtnl_link_put(link);
    if (error < 0) {
        return netlink_build_error(errp, error);
    }
    error = netlink_transact_ack(ns, msg, &extack);
    if (error == ENODEV) {
        netlink_set_error(errp, error, "device '%s' not found%s", ifname,
                          ns->suffix);
    } else if (error) {
        netlink_kernel_error(errp, error, extack, "cannot delete device "
                             "'%s'%s", ifname, ns->suffix);
    } else {
        VLOG_DBG("deleted device '%s'%s", ifname, ns->suffix);
    }
    free(extack);
    return error;
}
