/* Addresses and routes, for the netlink module (see netlink.h and
 * netlink-private.h): parsing and formatting them, adding and removing
 * them, and listing them (with the names of their devices). */
#include <config.h>

#include "netlink.h"
#include "netlink-private.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <netlink/addr.h>
#include <netlink/msg.h>
#include <netlink/route/addr.h>
#include <netlink/route/nexthop.h>
#include <netlink/route/route.h>

#include "vlog.h"

static struct vlog_module *const THIS_MODULE = &VLM_netlink;

/* ---------------------------------------------------------------------
 * Addresses.
 */

bool
netlink_parse_addr(const struct nlmsghdr *hdr, struct netlink_addr *addr)
{
    struct nlattr *tb[IFA_MAX + 1];
    const struct ifaddrmsg *ifa;
    const struct nlattr *a;
    size_t len;

    if (hdr->nlmsg_len < NLMSG_LENGTH(sizeof *ifa)
        || nlmsg_parse((struct nlmsghdr *) hdr, sizeof *ifa, tb, IFA_MAX,
                       NULL) < 0) {
        return false;
    }
    ifa = NLMSG_DATA(hdr);
    if (ifa->ifa_family != AF_INET && ifa->ifa_family != AF_INET6) {
        return false;
    }
    memset(addr, 0, sizeof *addr);
    addr->ifindex = ifa->ifa_index;
    addr->family = ifa->ifa_family;
    addr->prefixlen = ifa->ifa_prefixlen;
    addr->scope = ifa->ifa_scope;
    addr->flags = attr_u32(tb[IFA_FLAGS], ifa->ifa_flags);
    a = tb[IFA_LOCAL] ? tb[IFA_LOCAL] : tb[IFA_ADDRESS];
    len = addr->family == AF_INET ? 4 : 16;
    if (!a || (size_t) nla_len(a) < len) {
        return false;
    }
    memcpy(addr->addr, nla_data(a), len);
    return true;
}

char *
netlink_addr_format(const struct netlink_addr *addr, char *buf)
{
    char ip[INET6_ADDRSTRLEN];

    inet_ntop(addr->family, addr->addr, ip, sizeof ip);
    snprintf(buf, NETLINK_ADDR_BUFSIZE, "%s/%u", ip, addr->prefixlen);
    return buf;
}

static int
addr_change(struct netlink_ns *ns, const char *ifname, const char *cidr,
            bool add, char **errp)
{
    struct nl_addr *local;
    struct rtnl_addr *addr;
    struct nl_msg *msg;
    char *extack = NULL;
    int error, ifindex;

    netlink_clear_error(errp);
    if (netlink_parse_ip(cidr, true, &local)) {
        return netlink_set_error(errp, EINVAL, "invalid IP address '%s'",
                                 cidr ? cidr : "");
    }
    error = netlink_name_to_index(ns, ifname, &ifindex, errp);
    if (error) {
        nl_addr_put(local);
        return error;
    }

    addr = rtnl_addr_alloc();
    rtnl_addr_set_ifindex(addr, ifindex);
    rtnl_addr_set_family(addr, nl_addr_get_family(local));
    rtnl_addr_set_local(addr, local);
    rtnl_addr_set_prefixlen(addr, nl_addr_get_prefixlen(local));
    error = (add
             ? rtnl_addr_build_add_request(addr, NLM_F_EXCL, &msg)
             : rtnl_addr_build_delete_request(addr, 0, &msg));
    rtnl_addr_put(addr);
    nl_addr_put(local);
    if (error < 0) {
        return netlink_build_error(errp, error);
    }

    error = netlink_transact_ack(ns, msg, &extack);
    if (error == EEXIST && add) {
        netlink_set_error(errp, error, "address %s already exists on '%s'%s",
                          cidr, ifname, ns->suffix);
    } else if (error == EADDRNOTAVAIL && !add) {
        netlink_set_error(errp, error, "address %s not found on '%s'%s", cidr,
                          ifname, ns->suffix);
    } else if (error) {
        netlink_kernel_error(errp, error, extack, "cannot %s address %s %s "
                             "'%s'%s", add ? "add" : "remove", cidr,
                             add ? "to" : "from", ifname, ns->suffix);
    } else {
        VLOG_DBG("%s address %s %s '%s'%s", add ? "added" : "removed",
                 cidr, add ? "to" : "from", ifname, ns->suffix);
    }
    free(extack);
    return error;
}

int
netlink_addr_add(struct netlink_ns *ns, const char *ifname,
                 const char *cidr, char **errp)
{
    return addr_change(ns, ifname, cidr, true, errp);
}

int
netlink_addr_del(struct netlink_ns *ns, const char *ifname,
                 const char *cidr, char **errp)
{
    return addr_change(ns, ifname, cidr, false, errp);
}

struct addr_dump_aux {
    int ifindex;                /* 0: all. */
    int family;                 /* AF_UNSPEC: all. */
    struct netlink_array addrs;
};

static int
addr_dump_reply(const struct nlmsghdr *hdr, void *aux_)
{
    struct addr_dump_aux *aux = aux_;
    struct netlink_addr *addr;

    if (hdr->nlmsg_type != RTM_NEWADDR) {
        return 0;
    }
    addr = netlink_array_append(&aux->addrs, sizeof *addr);
    if (!netlink_parse_addr(hdr, addr)
        || (aux->ifindex && addr->ifindex != aux->ifindex)
        || (aux->family != AF_UNSPEC && addr->family != aux->family)) {
        aux->addrs.n--;
    }
    return 0;
}

static int
compare_addrs(const void *a_, const void *b_)
{
    const struct netlink_addr *a = a_, *b = b_;
    int cmp;

    if (a->ifindex != b->ifindex) {
        return a->ifindex < b->ifindex ? -1 : 1;
    }
    if (a->family != b->family) {
        return a->family == AF_INET ? -1 : 1;
    }
    cmp = memcmp(a->addr, b->addr, sizeof a->addr);
    if (cmp) {
        return cmp;
    }
    return a->prefixlen < b->prefixlen ? -1 : a->prefixlen > b->prefixlen;
}

static const struct netlink_dump_class addr_dump_class = {
    .what = "addresses",
    .type = RTM_GETADDR,
    .hdrlen = sizeof(struct ifaddrmsg),
    .reply = addr_dump_reply,
    .size = sizeof(struct netlink_addr),
    .compare = compare_addrs,
    .fill_names = true,
    .index_ofs = offsetof(struct netlink_addr, ifindex),
    .name_ofs = offsetof(struct netlink_addr, ifname),
};

int
netlink_addr_list(struct netlink_ns *ns, const char *ifname, int family,
                  struct netlink_addr **addrsp, size_t *n, char **errp)
{
    struct addr_dump_aux aux = { 0, family, { NULL, 0, 0 } };
    int error;

    netlink_clear_error(errp);
    error = netlink_name_to_index(ns, ifname, &aux.ifindex, errp);
    if (!error) {
        error = netlink_dump(ns, &addr_dump_class, family, &aux, &aux.addrs,
                             errp);
    }
    *addrsp = aux.addrs.elems;
    *n = aux.addrs.n;
    return error;
}

/* ---------------------------------------------------------------------
 * Routes.
 */

char *
netlink_route_format(const struct netlink_route *r, char *buf)
{
    char dst[INET6_ADDRSTRLEN], gw[INET6_ADDRSTRLEN];
    int n;

    if (!r->dst_len) {
        n = snprintf(buf, NETLINK_ROUTE_BUFSIZE, "default");
    } else {
        inet_ntop(r->family, r->dst, dst, sizeof dst);
        n = snprintf(buf, NETLINK_ROUTE_BUFSIZE, "%s/%u", dst, r->dst_len);
    }
    if (r->has_gateway) {
        inet_ntop(r->family, r->gateway, gw, sizeof gw);
        n += snprintf(buf + n, NETLINK_ROUTE_BUFSIZE - n, " via %s", gw);
    }
    if (r->dev[0]) {
        n += snprintf(buf + n, NETLINK_ROUTE_BUFSIZE - n, " dev %s",
                      r->dev);
    } else if (r->oif) {
        n += snprintf(buf + n, NETLINK_ROUTE_BUFSIZE - n, " dev #%d",
                      r->oif);
    }
    if (r->scope == RT_SCOPE_LINK) {
        snprintf(buf + n, NETLINK_ROUTE_BUFSIZE - n, " scope link");
    }
    return buf;
}

static int
route_change(struct netlink_ns *ns, const char *dst, const char *gateway,
             const char *dev, bool add, bool replace, char **errp)
{
    struct nl_addr *dst_addr = NULL, *gw_addr = NULL;
    struct rtnl_nexthop *nh;
    struct rtnl_route *route;
    struct nl_msg *msg;
    char *extack = NULL;
    int error, family, ifindex = 0;

    netlink_clear_error(errp);
    if (gateway && netlink_parse_ip(gateway, false, &gw_addr)) {
        return netlink_set_error(errp, EINVAL, "invalid gateway address '%s'",
                                 gateway);
    }
    if (add && !gateway && !dev) {
        return netlink_set_error(errp, EINVAL, "route to %s needs a gateway "
                                 "or a device", dst ? dst : "?");
    }
    family = gw_addr ? nl_addr_get_family(gw_addr) : AF_INET;
    if (dst && !strcmp(dst, "default")) {
        if (nl_addr_parse("default", family, &dst_addr) < 0) {
            dst_addr = NULL;
        }
    } else if (dst && !netlink_parse_ip(dst, true, &dst_addr)) {
        if (!gw_addr) {
            family = nl_addr_get_family(dst_addr);
        }
    }
    if (!dst_addr) {
        nl_addr_put(gw_addr);
        return netlink_set_error(errp, EINVAL, "invalid route destination "
                                 "'%s'", dst ? dst : "");
    }
    if (nl_addr_get_family(dst_addr) != family) {
        nl_addr_put(gw_addr);
        nl_addr_put(dst_addr);
        return netlink_set_error(errp, EINVAL, "route to %s: gateway %s is of "
                                 "another address family", dst, gateway);
    }
    if (dev) {
        error = netlink_name_to_index(ns, dev, &ifindex, errp);
        if (error) {
            nl_addr_put(gw_addr);
            nl_addr_put(dst_addr);
            return error;
        }
    }

    route = rtnl_route_alloc();
    rtnl_route_set_family(route, family);
    rtnl_route_set_dst(route, dst_addr);
    rtnl_route_set_table(route, RT_TABLE_MAIN);
    if (add) {
        rtnl_route_set_protocol(route, RTPROT_BOOT);
        rtnl_route_set_type(route, RTN_UNICAST);
    } else {
        /* Match any protocol and scope, as "ip route del" does. */
        rtnl_route_set_protocol(route, RTPROT_UNSPEC);
        rtnl_route_set_scope(route, RT_SCOPE_NOWHERE);
    }
    nh = rtnl_route_nh_alloc();
    if (gw_addr) {
        rtnl_route_nh_set_gateway(nh, gw_addr);
    }
    if (ifindex) {
        rtnl_route_nh_set_ifindex(nh, ifindex);
    }
    rtnl_route_add_nexthop(route, nh);

    error = (add
             ? rtnl_route_build_add_request(route, (replace ? NLM_F_REPLACE
                                                    : NLM_F_EXCL), &msg)
             : rtnl_route_build_del_request(route, 0, &msg));
    rtnl_route_put(route);
    nl_addr_put(gw_addr);
    nl_addr_put(dst_addr);
    if (error < 0) {
        return netlink_build_error(errp, error);
    }

    error = netlink_transact_ack(ns, msg, &extack);
    if (error == EEXIST && add) {
        netlink_set_error(errp, error, "route to %s already exists%s", dst,
                          ns->suffix);
    } else if (error == ESRCH && !add) {
        netlink_set_error(errp, error, "route to %s not found%s", dst,
                          ns->suffix);
    } else if (error) {
        netlink_kernel_error(errp, error, extack, "cannot %s route to "
                             "%s%s%s%s%s%s", add ? "add" : "delete", dst,
                             gateway ? " via " : "", gateway ? gateway : "",
                             dev ? " dev " : "", dev ? dev : "", ns->suffix);
    } else {
        VLOG_DBG("%s route to %s%s", add ? "added" : "deleted", dst,
                 ns->suffix);
    }
    free(extack);
    return error;
}

int
netlink_route_add(struct netlink_ns *ns, const char *dst,
                  const char *gateway, const char *dev, bool replace,
                  char **errp)
{
    return route_change(ns, dst, gateway, dev, true, replace, errp);
}

int
netlink_route_del(struct netlink_ns *ns, const char *dst,
                  const char *gateway, const char *dev, char **errp)
{
    return route_change(ns, dst, gateway, dev, false, false, errp);
}

struct route_dump_aux {
    int family;
    struct netlink_array routes;
};

static int
route_dump_reply(const struct nlmsghdr *hdr, void *aux_)
{
    struct route_dump_aux *aux = aux_;
    struct nlattr *tb[RTA_MAX + 1];
    const struct rtmsg *rtm;
    struct netlink_route *r;
    size_t len;

    if (hdr->nlmsg_type != RTM_NEWROUTE
        || hdr->nlmsg_len < NLMSG_LENGTH(sizeof *rtm)
        || nlmsg_parse((struct nlmsghdr *) hdr, sizeof *rtm, tb, RTA_MAX,
                       NULL) < 0) {
        return 0;
    }
    rtm = NLMSG_DATA(hdr);
    if ((rtm->rtm_family != AF_INET && rtm->rtm_family != AF_INET6)
        || (aux->family != AF_UNSPEC && rtm->rtm_family != aux->family)
        || rtm->rtm_type != RTN_UNICAST
        || attr_u32(tb[RTA_TABLE], rtm->rtm_table) != RT_TABLE_MAIN
        || rtm->rtm_flags & RTM_F_CLONED) {
        return 0;
    }
    len = rtm->rtm_family == AF_INET ? 4 : 16;
    r = netlink_array_append(&aux->routes, sizeof *r);
    r->family = rtm->rtm_family;
    r->dst_len = rtm->rtm_dst_len;
    if (tb[RTA_DST] && (size_t) nla_len(tb[RTA_DST]) >= len) {
        memcpy(r->dst, nla_data(tb[RTA_DST]), len);
    }
    if (tb[RTA_GATEWAY] && (size_t) nla_len(tb[RTA_GATEWAY]) >= len) {
        memcpy(r->gateway, nla_data(tb[RTA_GATEWAY]), len);
        r->has_gateway = true;
    }
    r->oif = attr_u32(tb[RTA_OIF], 0);
    r->table = RT_TABLE_MAIN;
    r->protocol = rtm->rtm_protocol;
    r->scope = rtm->rtm_scope;
    r->type = rtm->rtm_type;
    r->metric = attr_u32(tb[RTA_PRIORITY], 0);
    return 0;
}

static const struct netlink_dump_class route_dump_class = {
    .what = "routes",
    .type = RTM_GETROUTE,
    .hdrlen = sizeof(struct rtmsg),
    .reply = route_dump_reply,
    .size = sizeof(struct netlink_route),
    .fill_names = true,
    .index_ofs = offsetof(struct netlink_route, oif),
    .name_ofs = offsetof(struct netlink_route, dev),
};

int
netlink_route_list(struct netlink_ns *ns, int family,
                   struct netlink_route **routesp, size_t *n, char **errp)
{
    struct route_dump_aux aux = { family, { NULL, 0, 0 } };
    int error;

    netlink_clear_error(errp);
    error = netlink_dump(ns, &route_dump_class, family, &aux, &aux.routes,
                         errp);
    *routesp = aux.routes.elems;
    *n = aux.routes.n;
    return error;
}
