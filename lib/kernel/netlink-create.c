/* Creating devices, for the netlink module (see netlink.h and
 * netlink-private.h): bridges, veth pairs and VXLAN devices.  Each is
 * created in one request with its final name and settings; what the kernel
 * ignores in a creation request (the alias, a veth peer's up state) follows
 * in one more.  When a name is taken, the message says which. */
#include <config.h>

#include "netlink.h"
#include "netlink-private.h"

#include <errno.h>
#include <inttypes.h>
#include <linux/netlink.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/link/bridge.h>
#include <netlink/route/link/veth.h>
#include <netlink/route/link/vxlan.h>

#include "netns.h"
#include "vlog.h"

static struct vlog_module *const THIS_MODULE = &VLM_netlink;

/* ---------------------------------------------------------------------
 * Shared steps.
 */

/* Applies, after creating link NAME in NS, what the kernel ignores in a
 * creation request: the alias (IFLA_IFALIAS) and, if UP_TOO, the up/down
 * state.  One request at most. */
static int
finish_create(struct netlink_ns *ns, const char *name,
              const struct netlink_link_attrs *attrs, bool up_too,
              char **errp)
{
    struct netlink_link_attrs late;

    if (!attrs || (!attrs->alias && (!up_too || attrs->up < 0))) {
        return 0;
    }
    netlink_link_attrs_init(&late);
    late.alias = attrs->alias;
    if (up_too) {
        late.up = attrs->up;
    }
    return netlink_link_set(ns, name, &late, errp);
}

/* Asks the kernel to create LINK in NS; fails with EEXIST if its name is
 * taken.  Returns 0 or a positive errno, with the kernel's extended ACK,
 * if any, in *EXTACKP (caller frees).  Reports only a failure to build the
 * request in *ERRP. */
static int
send_create(struct netlink_ns *ns, struct rtnl_link *link, char **extackp,
            char **errp)
{
    struct nl_msg *msg;
    int error;

    error = rtnl_link_build_add_request(link, NLM_F_CREATE | NLM_F_EXCL,
                                        &msg);
    return (error < 0
            ? netlink_build_error(errp, error)
            : netlink_transact_ack(ns, msg, extackp));
}

/* Checks that ATTRS does not ask for what creation cannot do. */
static int
check_create_attrs(const struct netlink_link_attrs *attrs, const char *name,
                   char **errp)
{
    if (attrs && (attrs->netns || attrs->name)) {
        return netlink_set_error(errp, EINVAL, "cannot move or rename '%s' "
                                 "while creating it", name);
    }
    return 0;
}

/* ---------------------------------------------------------------------
 * Bridges.
 */

int
netlink_bridge_add(struct netlink_ns *ns, const char *name,
                   const struct netlink_bridge_options *opts,
                   const struct netlink_link_attrs *attrs,
                   bool may_exist, char **errp)
{
    struct rtnl_link *link;
    char *extack = NULL;
    bool created = false;
    int error;

    netlink_clear_error(errp);
    error = netlink_validate_ifname(name, "bridge name", errp);
    if (error || (error = check_create_attrs(attrs, name, errp))) {
        return error;
    }

    link = rtnl_link_bridge_alloc();
    rtnl_link_set_name(link, name);
    error = netlink_attrs_to_rtnl(ns, link, attrs, name, true, errp);
    if (!error) {
        error = send_create(ns, link, &extack, errp);
        if (error == EEXIST) {
            struct netlink_link_details d;

            if (!netlink_link_get_details(ns, name, 0, &d, NULL)) {
                if (!d.is_bridge) {
                    netlink_set_error(errp, error, "device '%s'%s exists and "
                                      "is not a bridge", name, ns->suffix);
                } else if (!may_exist) {
                    netlink_set_error(errp, error, "bridge '%s' already "
                                      "exists%s", name, ns->suffix);
                } else {
                    error = attrs ? netlink_link_set(ns, name, attrs, errp)
                                  : 0;
                }
            } else {
                netlink_set_error(errp, error, "device '%s' already exists%s",
                                  name, ns->suffix);
            }
        } else if (error && errp && !*errp) {
            netlink_kernel_error(errp, error, extack, "cannot create bridge "
                                 "'%s'%s", name, ns->suffix);
        } else if (!error) {
            VLOG_DBG("created bridge '%s'%s", name, ns->suffix);
            created = true;
            error = finish_create(ns, name, attrs, false, errp);
        }
    }
    rtnl_link_put(link);
    free(extack);

    if (!error && netlink_bridge_options_any(opts)) {
        error = netlink_bridge_send_options(ns, name, opts, errp);
        if (error && created) {
            /* Do not leave a half-configured bridge behind. */
            netlink_link_del(ns, name, NULL);
        }
    }
    return error;
}

/* ---------------------------------------------------------------------
 * veth and VXLAN.
 */

int
netlink_veth_add(struct netlink_ns *ns, const char *name,
                 const struct netlink_link_attrs *attrs,
                 struct netlink_ns *peer_ns, const char *peer_name,
                 const struct netlink_link_attrs *peer_attrs, char **errp)
{
    struct netlink_link_attrs pattrs;
    struct rtnl_link *link, *peer;
    char *extack = NULL;
    int error;

    netlink_clear_error(errp);
    if (!peer_ns) {
        peer_ns = ns;
    }
    error = netlink_validate_ifname(name, "veth name", errp);
    if (error
        || (error = netlink_validate_ifname(peer_name, "veth peer name",
                                            errp))
        || (error = check_create_attrs(attrs, name, errp))
        || (error = check_create_attrs(peer_attrs, peer_name, errp))) {
        return error;
    }
    if (peer_ns == ns && !strcmp(name, peer_name)) {
        return netlink_set_error(errp, EINVAL, "veth name and peer name are "
                                 "both '%s'%s", name, ns->suffix);
    }
    if (peer_attrs && peer_attrs->master) {
        return netlink_set_error(errp, EINVAL, "cannot enslave veth peer '%s' "
                                 "while creating it", peer_name);
    }

    /* The kernel cannot bring the peer up while creating it (nor set an
     * alias on either end): that is a separate request, in the peer's
     * namespace. */
    if (peer_attrs) {
        pattrs = *peer_attrs;
        pattrs.up = -1;
        pattrs.alias = NULL;
    }

    link = rtnl_link_veth_alloc();
    peer = rtnl_link_veth_get_peer(link);
    rtnl_link_set_name(link, name);
    rtnl_link_set_name(peer, peer_name);
    if (peer_ns != ns) {
        rtnl_link_set_ns_fd(peer, netns_fd(peer_ns->netns));
    }
    error = netlink_attrs_to_rtnl(ns, link, attrs, name, true, errp);
    if (!error && peer_attrs) {
        error = netlink_attrs_to_rtnl(peer_ns, peer, &pattrs, peer_name, true,
                                      errp);
    }
    if (!error) {
        error = send_create(ns, link, &extack, errp);
        if (error == EEXIST) {
            struct netlink_link l;

            /* Which name is taken?  Only asked after a failure. */
            if (!netlink_link_get(ns, name, &l, NULL)) {
                netlink_set_error(errp, error, "device '%s' already exists%s",
                                  name, ns->suffix);
            } else {
                netlink_set_error(errp, error, "device '%s' already exists%s",
                                  peer_name, peer_ns->suffix);
            }
        } else if (error && errp && !*errp) {
            netlink_kernel_error(errp, error, extack, "cannot create veth "
                                 "pair '%s'%s with peer '%s'%s", name,
                                 ns->suffix, peer_name, peer_ns->suffix);
        }
    }
    rtnl_link_put(peer);
    rtnl_link_put(link);
    free(extack);

    if (!error) {
        error = finish_create(ns, name, attrs, false, errp);
    }
    if (!error) {
        error = finish_create(peer_ns, peer_name, peer_attrs, true, errp);
    }
    if (!error) {
        VLOG_DBG("created veth pair '%s'%s with peer '%s'%s", name,
                 ns->suffix, peer_name, peer_ns->suffix);
    }
    return error;
}

void
netlink_vxlan_options_init(struct netlink_vxlan_options *opts)
{
    memset(opts, 0, sizeof *opts);
    opts->learning = -1;
}

int
netlink_vxlan_add(struct netlink_ns *ns, const char *name,
                  const struct netlink_vxlan_options *opts,
                  const struct netlink_link_attrs *attrs, char **errp)
{
    struct nl_addr *remote = NULL, *local = NULL;
    struct rtnl_link *link;
    char *extack = NULL;
    int error;

    netlink_clear_error(errp);
    error = netlink_validate_ifname(name, "vxlan name", errp);
    if (error || (error = check_create_attrs(attrs, name, errp))) {
        return error;
    }
    if (opts->vni > VXLAN_ID_MAX) {
        return netlink_set_error(errp, EINVAL, "VXLAN id %"PRIu32" for '%s' "
                                 "is out of range (0 to %d)", opts->vni,
                                 name, VXLAN_ID_MAX);
    }
    if (opts->dst_port < 0 || opts->dst_port > 65535) {
        return netlink_set_error(errp, EINVAL, "invalid VXLAN port %d for "
                                 "'%s'", opts->dst_port, name);
    }
    if (opts->remote && netlink_parse_ip(opts->remote, false, &remote)) {
        return netlink_set_error(errp, EINVAL, "invalid remote address '%s' "
                                 "for '%s'", opts->remote, name);
    }
    if (opts->local && netlink_parse_ip(opts->local, false, &local)) {
        nl_addr_put(remote);
        return netlink_set_error(errp, EINVAL, "invalid local address '%s' "
                                 "for '%s'", opts->local, name);
    }

    link = rtnl_link_vxlan_alloc();
    rtnl_link_set_name(link, name);
    rtnl_link_vxlan_set_id(link, opts->vni);
    if (remote) {
        rtnl_link_vxlan_set_group(link, remote);
    }
    if (local) {
        rtnl_link_vxlan_set_local(link, local);
    }
    rtnl_link_vxlan_set_port(link, opts->dst_port ? opts->dst_port : 4789);
    if (opts->learning >= 0) {
        rtnl_link_vxlan_set_learning(link, opts->learning != 0);
    }
    if (opts->dev) {
        int ifindex;

        error = netlink_name_to_index(ns, opts->dev, &ifindex, errp);
        if (!error) {
            rtnl_link_vxlan_set_link(link, ifindex);
        }
    }
    if (!error) {
        error = netlink_attrs_to_rtnl(ns, link, attrs, name, true, errp);
    }
    if (!error) {
        error = send_create(ns, link, &extack, errp);
        if (error == EEXIST) {
            netlink_set_error(errp, error, "device '%s' already exists%s",
                              name, ns->suffix);
        } else if (error && errp && !*errp) {
            netlink_kernel_error(errp, error, extack, "cannot create VXLAN "
                                 "device '%s'%s", name, ns->suffix);
        } else if (!error) {
            VLOG_DBG("created VXLAN device '%s' (VNI %"PRIu32")%s", name,
                     opts->vni, ns->suffix);
            error = finish_create(ns, name, attrs, false, errp);
        }
    }
    rtnl_link_put(link);
    nl_addr_put(remote);
    nl_addr_put(local);
    free(extack);
    return error;
}
