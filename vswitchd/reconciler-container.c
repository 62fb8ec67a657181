/* The container side of veth ports, for the reconciler (see
 * reconciler-private.h): creating the pair with its peer directly in the
 * container's namespace, with the peer's addresses and default routes, and
 * later checking and fixing that peer, its addresses and its routes.  This
 * is the only part of vswitchd that works inside container namespaces. */
#include <config.h>

#include "reconciler-private.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if.h>
#include <linux/rtnetlink.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include "desired.h"
#include "netlink.h"
#include "util.h"

int
pass_create_veth(struct pass *p, const struct vsd_iface *i,
                 const char *master, struct netlink_ns *cns, char **errp)
{
    struct reconciler *rc = p->rc;
    struct netlink_link_attrs attrs, pattrs;
    int error;

    rc_port_attrs_init(&attrs, i, master);
    rc_peer_attrs_init(&pattrs, i);
    error = netlink_veth_add(rc->hns, i->name, &attrs, cns, i->peer,
                             &pattrs, errp);
    if (error) {
        /* veth_add may have created the pair before failing (e.g. at the
         * alias): do not leave it half-built. */
        if (error != EEXIST) {
            netlink_link_del(rc->hns, i->name, NULL);
        }
        return error;
    }
    for (size_t k = 0; k < i->n_addrs && !error; k++) {
        error = netlink_addr_add(cns, i->peer, i->addrs[k], errp);
    }
    for (size_t k = 0; k < i->n_gateways && !error; k++) {
        error = netlink_route_add(cns, "default", i->gateways[k], i->peer,
                                  true, errp);
    }
    if (error) {
        netlink_link_del(rc->hns, i->name, NULL);
    }
    return error;
}

int
pass_sync_container(struct pass *p, const struct vsd_iface *i,
                    struct netlink_ns *cns, char **errp)
{
    struct netlink_addr *addrs = NULL;
    struct netlink_route *routes = NULL;
    struct netlink_link peer;
    size_t n_addrs = 0, n_routes = 0;
    int error;

    error = netlink_link_get(cns, i->peer, &peer, errp);
    if (error) {
        return error;
    }
    if (strcmp(peer.alias, i->alias)) {
        free(*errp);
        *errp = xasprintf("device %s in %s is not this port's peer",
                          i->peer, netlink_ns_describe(cns));
        return EEXIST;
    }
    if (!(peer.flags & IFF_UP) || (i->mtu && peer.mtu != (unsigned) i->mtu)) {
        struct netlink_link_attrs attrs;

        netlink_link_attrs_init(&attrs);
        attrs.up = 1;
        attrs.mtu = i->mtu;
        error = netlink_link_set(cns, i->peer, &attrs, errp);
        if (error) {
            return error;
        }
        p->changes++;
    }

    /* Addresses: remove global addresses the database does not list
     * (link-local ones stay), then add what is missing.  Removal comes
     * first: removing an IPv4 subnet's primary address also removes the
     * secondary ones. */
    error = netlink_addr_list(cns, i->peer, AF_UNSPEC, &addrs, &n_addrs,
                              errp);
    if (error) {
        return error;
    }
    for (size_t m = 0; m < n_addrs && !error; m++) {
        char buf[NETLINK_ADDR_BUFSIZE];
        bool wanted = false;

        if (addrs[m].scope != RT_SCOPE_UNIVERSE) {
            continue;
        }
        netlink_addr_format(&addrs[m], buf);
        for (size_t k = 0; k < i->n_addrs && !wanted; k++) {
            wanted = !strcmp(buf, i->addrs[k]);
        }
        if (!wanted) {
            error = netlink_addr_del(cns, i->peer, buf, errp);
            if (error == EADDRNOTAVAIL || error == ENOENT) {
                /* Went away with the primary address. */
                free(*errp);
                *errp = NULL;
                error = 0;
            }
            p->changes++;
        }
    }
    for (size_t k = 0; k < i->n_addrs && !error; k++) {
        bool found = false;

        for (size_t m = 0; m < n_addrs && !found; m++) {
            char buf[NETLINK_ADDR_BUFSIZE];

            found = !strcmp(netlink_addr_format(&addrs[m], buf),
                            i->addrs[k]);
        }
        if (!found) {
            error = netlink_addr_add(cns, i->peer, i->addrs[k], errp);
            if (error == EEXIST) {
                free(*errp);
                *errp = NULL;
                error = 0;
            }
            p->changes++;
        }
    }
    free(addrs);
    if (error) {
        return error;
    }

    /* Default routes through the peer. */
    error = netlink_route_list(cns, AF_UNSPEC, &routes, &n_routes, errp);
    if (error) {
        return error;
    }
    for (size_t k = 0; k < i->n_gateways && !error; k++) {
        int family = strchr(i->gateways[k], ':') ? AF_INET6 : AF_INET;
        uint8_t gw[16];
        bool found = false;

        inet_pton(family, i->gateways[k], gw);
        for (size_t m = 0; m < n_routes && !found; m++) {
            const struct netlink_route *r = &routes[m];

            found = (r->family == family && !r->dst_len && r->has_gateway
                     && r->oif == peer.ifindex
                     && !memcmp(r->gateway, gw,
                                family == AF_INET ? 4 : 16));
        }
        if (!found) {
            error = netlink_route_add(cns, "default", i->gateways[k],
                                      i->peer, true, errp);
            p->changes++;
        }
    }
    for (size_t m = 0; m < n_routes && !error; m++) {
        const struct netlink_route *r = &routes[m];
        char gw[INET6_ADDRSTRLEN];
        bool wanted = false;

        if (r->dst_len || !r->has_gateway || r->oif != peer.ifindex) {
            continue;
        }
        inet_ntop(r->family, r->gateway, gw, sizeof gw);
        for (size_t k = 0; k < i->n_gateways && !wanted; k++) {
            wanted = !strcmp(gw, i->gateways[k]);
        }
        if (!wanted) {
            error = netlink_route_del(cns, "default", gw, i->peer, errp);
            if (error == ESRCH) {
                free(*errp);
                *errp = NULL;
                error = 0;
            }
            p->changes++;
        }
    }
    free(routes);
    return error;
}
