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

/* Returns ERROR, or 0 if ERROR is ALREADY or ALREADY2 (either may be 0),
 * which say that the kernel is already as the change wanted; then frees
 * and clears the message in *ERRP. */
static int
already_so(int error, int already, int already2, char **errp)
{
    if (error && (error == already || error == already2)) {
        free(*errp);
        *errp = NULL;
        return 0;
    }
    return error;
}

/* Gives peer I->peer in CNS exactly I's global addresses. */
static int
sync_addresses(struct pass *p, const struct vsd_iface *i,
               struct netlink_ns *cns, char **errp)
{
    struct netlink_addr *addrs = NULL;
    size_t n_addrs = 0;
    int error;

    /* Remove global addresses the database does not list (link-local ones
     * stay), then add what is missing.  Removal comes first: removing an
     * IPv4 subnet's primary address also removes the secondary ones. */
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
            /* It may have gone away with the primary address. */
            error = netlink_addr_del(cns, i->peer, buf, errp);
            error = already_so(error, EADDRNOTAVAIL, ENOENT, errp);
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
            error = already_so(error, EEXIST, 0, errp);
            p->changes++;
        }
    }
    free(addrs);
    return error;
}

/* Gives CNS exactly I's default routes through peer I->peer, whose
 * ifindex is PEER_IFINDEX. */
static int
sync_routes(struct pass *p, const struct vsd_iface *i,
            struct netlink_ns *cns, int peer_ifindex, char **errp)
{
    struct netlink_route *routes = NULL;
    size_t n_routes = 0;
    int error;

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
                     && r->oif == peer_ifindex
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

        if (r->dst_len || !r->has_gateway || r->oif != peer_ifindex) {
            continue;
        }
        inet_ntop(r->family, r->gateway, gw, sizeof gw);
        for (size_t k = 0; k < i->n_gateways && !wanted; k++) {
            wanted = !strcmp(gw, i->gateways[k]);
        }
        if (!wanted) {
            error = netlink_route_del(cns, "default", gw, i->peer, errp);
            error = already_so(error, ESRCH, 0, errp);
            p->changes++;
        }
    }
    free(routes);
    return error;
}

int
pass_sync_container(struct pass *p, const struct vsd_iface *i,
                    struct netlink_ns *cns, char **errp)
{
    struct netlink_link peer;
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
    error = sync_addresses(p, i, cns, errp);
    return error ? error : sync_routes(p, i, cns, peer.ifindex, errp);
}
