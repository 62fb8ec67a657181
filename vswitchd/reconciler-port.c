/* Ports and interfaces for the reconciler (see reconciler-private.h):
 * the runtime state of each interface, and making the kernel's devices
 * match each kind of interface: system devices (enslaved, never created
 * or deleted), the bridge's own device, internal ports (a veth pair in the
 * host namespace), veth ports (with reconciler-container.c for the
 * container side) and VXLAN ports.  Every port device is then kept on its
 * master, up, at its MTU, isolated or not, and with its VLANs. */
#include <config.h>

#include "reconciler-private.h"

#include <errno.h>
#include <inttypes.h>
#include <linux/if.h>
#include <stdlib.h>
#include <string.h>
#include "coverage.h"
#include "desired.h"
#include "hash.h"
#include "hmap.h"
#include "netlink.h"
#include "shash.h"
#include "util.h"
#include "vlog.h"

static struct vlog_module *const THIS_MODULE = &VLM_reconciler;

COVERAGE_DEFINE(reconcile_port_created);
COVERAGE_DEFINE(reconcile_port_recreated);
COVERAGE_DEFINE(reconcile_port_adopted);
COVERAGE_DEFINE(reconcile_port_changed);
COVERAGE_DEFINE(reconcile_vlans_restored);

struct rc_port *
rc_port_find(const struct reconciler *rc, const char *name)
{
    struct rc_port *rp;

    HMAP_FOR_EACH_WITH_HASH (rp, node, hash_string(name, 0), &rc->ports) {
        if (!strcmp(rp->name, name)) {
            return rp;
        }
    }
    return NULL;
}

struct rc_port *
rc_port_get(struct reconciler *rc, const char *name)
{
    struct rc_port *rp = rc_port_find(rc, name);

    if (!rp) {
        rp = xzalloc(sizeof *rp);
        rp->name = xstrdup(name);
        rp->isolated = -1;
        rp->verify = true;
        hmap_insert(&rc->ports, &rp->node, hash_string(name, 0));
    }
    return rp;
}

void
rc_port_destroy(struct reconciler *rc, struct rc_port *rp)
{
    hmap_remove(&rc->ports, &rp->node);
    free(rp->name);
    free(rp->enslaved);
    free(rp->error);
    free(rp->logged_error);
    free(rp);
}

static void
port_set_error(struct rc_port *rp, char *msg, bool transient)
{
    if (msg && (!rp->logged_error || strcmp(rp->logged_error, msg))) {
        VLOG_WARN_RL(&rc_rl, "interface %s: %s", rp->name, msg);
        free(rp->logged_error);
        rp->logged_error = xstrdup(msg);
    }
    free(rp->error);
    rp->error = msg;
    rp->transient = transient;
}

/* Gives port device DEV (IFINDEX, or 0 if just created) of a VLAN-filtering
 * bridge the VLANs interface I wants, if it lacks them.  Returns 0 or an
 * errno with *ERRP. */
static int
sync_vlans(struct pass *p, const struct rc_port *rp,
           const struct vsd_iface *i, const char *dev, int ifindex,
           char **errp)
{
    int error;

    if (pass_vlans_match(p, ifindex, i)) {
        return 0;
    }
    error = pass_set_vlans(p, dev, i, errp);
    if (!error) {
        if (ifindex && rp->applied_hash == i->hash) {
            /* The database did not change: someone else did. */
            COVERAGE_INC(reconcile_vlans_restored);
            VLOG_INFO("port %s: VLANs of %s were changed outside "
                      "vswitch-lite; restored", i->name, dev);
        }
        p->changes++;
    }
    return error;
}

/* Makes port device DEV (enslaved to MASTER) right: master, up, MTU,
 * isolation, VLANs.  If JUST_CREATED, DEV was created by this pass with
 * master, up and MTU already set.  Returns 0 or an errno with *ERRP. */
static int
sync_port_device(struct pass *p, struct rc_port *rp,
                 const struct vsd_iface *i, const char *dev,
                 const char *master, bool just_created, char **errp)
{
    struct reconciler *rc = p->rc;
    struct rc_bridge *rb = rc_bridge_find(rc, i->br->name);
    int error;

    if (!just_created) {
        const struct netlink_link *l = kv_find(&p->kv, dev);
        struct netlink_link_attrs attrs;
        bool any = false;

        if (!l) {
            *errp = xasprintf("device %s vanished", dev);
            return ENODEV;
        }
        netlink_link_attrs_init(&attrs);
        if (l->master != kv_ifindex(&p->kv, master)) {
            attrs.master = master;
            any = true;
            rp->isolated = 0;   /* A new bridge port starts afresh. */
        }
        if (!(l->flags & IFF_UP)) {
            attrs.up = 1;
            any = true;
        }
        if (i->mtu && l->mtu != (unsigned int) i->mtu) {
            attrs.mtu = i->mtu;
            any = true;
        }
        if (any) {
            error = netlink_link_set(rc->hns, dev, &attrs, errp);
            if (error) {
                return error;
            }
            VLOG_INFO("port %s: updated%s%s%s%s%s", i->name,
                      attrs.master ? " master " : "",
                      attrs.master ? attrs.master : "",
                      attrs.up >= 0 ? " up" : "",
                      attrs.mtu ? " mtu" : "", "");
            COVERAGE_INC(reconcile_port_changed);
            p->changes++;
        }
    } else {
        rp->isolated = 0;
    }

    /* Isolation. */
    if (rp->isolated < 0) {
        struct netlink_bridge_port_options cur;

        error = netlink_bridge_port_get(rc->hns, dev, &cur, errp);
        if (error) {
            return error;
        }
        rp->isolated = cur.isolated;
    }
    if (rp->isolated != i->isolated) {
        struct netlink_bridge_port_options o;

        netlink_bridge_port_options_init(&o);
        o.isolated = i->isolated;
        error = netlink_bridge_port_set(rc->hns, dev, &o, errp);
        if (error) {
            return error;
        }
        rp->isolated = i->isolated;
        p->changes++;
    }

    /* VLANs. */
    if (rb && rb->filtering) {
        return sync_vlans(p, rp, i, dev,
                          just_created ? 0 : kv_ifindex(&p->kv, dev), errp);
    }
    return 0;
}

void
rc_port_attrs_init(struct netlink_link_attrs *attrs,
                   const struct vsd_iface *i, const char *master)
{
    netlink_link_attrs_init(attrs);
    attrs->master = master;
    attrs->up = 1;
    attrs->mtu = i->mtu;
    attrs->alias = i->alias;
}

void
rc_peer_attrs_init(struct netlink_link_attrs *attrs,
                   const struct vsd_iface *i)
{
    netlink_link_attrs_init(attrs);
    attrs->up = 1;
    attrs->mtu = i->mtu;
    attrs->mac = i->mac;
    attrs->alias = i->alias;
}

/* Claims the device I->name, of KIND, for RP in pass P: fails, recording
 * RP's error, if a device of that name exists that vswitch-lite does not
 * own; deletes an owned one whose alias or kind is not I's.  On success,
 * stores in *LP the device to keep, or NULL if there is none. */
static bool
claim_device(struct pass *p, struct rc_port *rp, const struct vsd_iface *i,
             const char *kind, const struct netlink_link **lp)
{
    const struct netlink_link *l = kv_find(&p->kv, i->name);

    if (l && !is_owned(l)) {
        port_set_error(rp, xasprintf("device %s exists and is not managed "
                                     "by vswitch-lite", i->name), true);
        return false;
    }
    shash_add_once(&p->expected, i->name, NULL);
    if (l && (strcmp(l->alias, i->alias) || strcmp(l->kind, kind))) {
        pass_delete_owned(p, i->name, "configuration changed");
        l = NULL;
    }
    *lp = l;
    return true;
}

/* Finishes setting up DEVICE, just created in the host namespace for RP,
 * unless ERROR says creation failed; deletes DEVICE if that fails.
 * Returns 0 or a positive errno, with a message in *MSGP. */
static int
finish_new_device(struct pass *p, struct rc_port *rp,
                  const struct vsd_iface *i, const char *device,
                  const char *master, int error, char **msgp)
{
    if (!error) {
        error = sync_port_device(p, rp, i, device, master, true, msgp);
        if (error) {
            netlink_link_del(p->rc->hns, device, NULL);
        }
    }
    return error;
}

/* Ends reconciling RP: on ERROR, makes MSG (taking it), or ERROR's text if
 * MSG is null, RP's transient error; otherwise marks RP realized and frees
 * MSG. */
static void
port_finish(struct rc_port *rp, int error, char *msg)
{
    if (error) {
        port_set_error(rp, msg ? msg : xstrdup(vs_strerror(error)), true);
    } else {
        rp->realized = true;
        free(msg);
    }
}

static void
reconcile_veth(struct pass *p, struct rc_port *rp, const struct vsd_iface *i,
               const char *master)
{
    struct reconciler *rc = p->rc;
    const struct netlink_link *l;
    struct netlink_ns *cns = NULL;
    char *msg = NULL;
    int error;

    if (!claim_device(p, rp, i, "veth", &l)) {
        return;
    }

    if (!l || rp->verify || rp->applied_hash != i->hash) {
        if (i->netns) {
            error = netlink_ns_open(i->netns, &cns, &msg);
            if (error) {
                port_set_error(rp, msg ? msg : xstrdup(vs_strerror(error)),
                               true);
                return;
            }
        } else {
            cns = netlink_ns_ref(rc->hns);
        }
    }

    if (l) {
        error = sync_port_device(p, rp, i, i->name, master, false, &msg);
        if (!error && (rp->verify || rp->applied_hash != i->hash)) {
            error = pass_sync_container(p, i, cns, &msg);
            if (error == ENODEV || error == EEXIST) {
                VLOG_WARN("port %s: %s; recreating it", i->name, msg);
                free(msg);
                msg = NULL;
                pass_delete_owned(p, i->name, "peer missing");
                l = NULL;
                error = 0;
            }
        }
        if (l && !error && !rp->realized) {
            COVERAGE_INC(reconcile_port_adopted);
            VLOG_DBG("port %s: adopted existing device", i->name);
        }
    }
    if (!l) {
        if (rp->realized) {
            COVERAGE_INC(reconcile_port_recreated);
            VLOG_WARN("port %s: device %s vanished, recreating it", i->name,
                      i->name);
        }
        error = pass_create_veth(p, i, master, cns, &msg);
        error = finish_new_device(p, rp, i, i->name, master, error, &msg);
        if (!error) {
            COVERAGE_INC(reconcile_port_created);
            VLOG_INFO("port %s: created veth with peer %s in %s on %s",
                      i->name, i->peer, netlink_ns_describe(cns), master);
            p->changes++;
        }
    }
    netlink_ns_close(cns);
    port_finish(rp, error, msg);
}

static void
reconcile_vxlan(struct pass *p, struct rc_port *rp, const struct vsd_iface *i,
                const char *master)
{
    struct reconciler *rc = p->rc;
    const struct netlink_link *l;
    char *msg = NULL;
    int error;

    if (!claim_device(p, rp, i, "vxlan", &l)) {
        return;
    }
    if (l) {
        error = sync_port_device(p, rp, i, i->name, master, false, &msg);
    } else {
        struct netlink_vxlan_options vo;
        struct netlink_link_attrs attrs;

        if (rp->realized) {
            COVERAGE_INC(reconcile_port_recreated);
            VLOG_WARN("port %s: device vanished, recreating it", i->name);
        }
        netlink_vxlan_options_init(&vo);
        vo.vni = i->vni;
        vo.remote = i->remote_ip;
        vo.local = i->local_ip;
        vo.dst_port = i->dst_port;
        rc_port_attrs_init(&attrs, i, master);
        error = netlink_vxlan_add(rc->hns, i->name, &vo, &attrs, &msg);
        if (error && error != EEXIST) {
            netlink_link_del(rc->hns, i->name, NULL);
        }
        error = finish_new_device(p, rp, i, i->name, master, error, &msg);
        if (!error) {
            COVERAGE_INC(reconcile_port_created);
            VLOG_INFO("port %s: created vxlan (VNI %"PRIu32", remote %s) "
                      "on %s", i->name, i->vni, i->remote_ip, master);
            p->changes++;
        }
    }
    port_finish(rp, error, msg);
}

/* An internal port that is not the bridge itself: a veth pair in the host
 * namespace, I->name for the host's stack and I->bport on the bridge. */
static void
reconcile_internal(struct pass *p, struct rc_port *rp,
                   const struct vsd_iface *i, const char *master)
{
    struct reconciler *rc = p->rc;
    const struct netlink_link *l = kv_find(&p->kv, i->name);
    const struct netlink_link *b = kv_find(&p->kv, i->bport);
    char *msg = NULL;
    int error = 0;

    if ((l && !is_owned(l)) || (b && !is_owned(b))) {
        port_set_error(rp, xasprintf("device %s exists and is not managed "
                                     "by vswitch-lite",
                                     l && !is_owned(l) ? i->name : i->bport),
                       true);
        return;
    }
    shash_add_once(&p->expected, i->name, NULL);
    shash_add_once(&p->expected, i->bport, NULL);
    if ((l && strcmp(l->alias, i->alias)) || (b && strcmp(b->alias, i->alias))
        || !l != !b) {
        pass_delete_owned(p, i->name, "configuration changed");
        pass_delete_owned(p, i->bport, "configuration changed");
        l = b = NULL;
    }
    if (l) {
        error = sync_port_device(p, rp, i, i->bport, master, false, &msg);
        if (!error && (!(l->flags & IFF_UP)
                       || (i->mtu && l->mtu != (unsigned) i->mtu))) {
            struct netlink_link_attrs attrs;

            netlink_link_attrs_init(&attrs);
            attrs.up = 1;
            attrs.mtu = i->mtu;
            error = netlink_link_set(rc->hns, i->name, &attrs, &msg);
            p->changes++;
        }
    } else {
        struct netlink_link_attrs attrs, pattrs;

        if (rp->realized) {
            COVERAGE_INC(reconcile_port_recreated);
            VLOG_WARN("port %s: device vanished, recreating it", i->name);
        }
        rc_port_attrs_init(&attrs, i, master);
        rc_peer_attrs_init(&pattrs, i);
        error = netlink_veth_add(rc->hns, i->bport, &attrs, NULL, i->name,
                                 &pattrs, &msg);
        if (error && error != EEXIST) {
            netlink_link_del(rc->hns, i->bport, NULL);
        }
        error = finish_new_device(p, rp, i, i->bport, master, error, &msg);
        if (!error) {
            COVERAGE_INC(reconcile_port_created);
            VLOG_INFO("port %s: created internal port (bridge end %s) on %s",
                      i->name, i->bport, master);
            p->changes++;
        }
    }
    port_finish(rp, error, msg);
}

/* The bridge's own device. */
static void
reconcile_bridge_self(struct pass *p, struct rc_port *rp,
                      const struct vsd_iface *i)
{
    struct reconciler *rc = p->rc;
    struct rc_bridge *rb = rc_bridge_find(rc, i->br->name);
    const struct netlink_link *l = kv_find(&p->kv, i->name);
    struct netlink_link_attrs attrs;
    char *msg = NULL;
    bool any = false;
    int error = 0;

    if (!l) {
        port_set_error(rp, xasprintf("bridge device %s is missing",
                                     i->name), true);
        return;
    }
    netlink_link_attrs_init(&attrs);
    if (i->mtu && l->mtu != (unsigned) i->mtu) {
        attrs.mtu = i->mtu;
        any = true;
    }
    if (i->mac) {
        char buf[3 * 32];

        if (strcmp(netlink_link_format_mac(l, buf), i->mac)) {
            attrs.mac = i->mac;
            any = true;
        }
    }
    if (any) {
        error = netlink_link_set(rc->hns, i->name, &attrs, &msg);
        p->changes++;
    }
    if (!error && rb && rb->filtering) {
        error = sync_vlans(p, rp, i, i->name, l->ifindex, &msg);
    } else if (!error && rb && rb->fallback && vsd_iface_needs_vlans(i)) {
        msg = xstrdup("kernel lacks bridge VLAN filtering: the bridge's "
                      "own port cannot have a VLAN tag");
        error = EOPNOTSUPP;
    }
    if (error) {
        port_set_error(rp, msg ? msg : xstrdup(vs_strerror(error)),
                       error != EOPNOTSUPP);
        msg = NULL;
    }
    free(msg);
}

static void
reconcile_system(struct pass *p, struct rc_port *rp, const struct vsd_iface *i,
                 const char *master)
{
    const struct netlink_link *l = kv_find(&p->kv, i->name);
    char *msg = NULL;
    int error;

    if (!l) {
        /* No retry timer: the link monitor tells when it appears. */
        port_set_error(rp, xasprintf("no such device %s in the host's "
                                     "network namespace", i->name), false);
        return;
    }
    error = sync_port_device(p, rp, i, i->name, master, false, &msg);
    if (!error && (!rp->enslaved || strcmp(rp->enslaved, master))) {
        free(rp->enslaved);
        rp->enslaved = xstrdup(master);
    }
    port_finish(rp, error, msg);
}

/* The error of interface I, not in access mode, on a bridge that cannot
 * filter VLANs. */
static char *
fallback_trunk_error(const struct vsd_iface *i)
{
    const char *mode = vsd_vlan_mode_to_string(i->vlan_mode);

    return (i->vlan_mode == VSD_VLAN_TRUNK
            ? xasprintf("kernel lacks bridge VLAN filtering: port %s cannot "
                        "trunk VLANs", i->port_name)
            : xasprintf("kernel lacks bridge VLAN filtering: port %s cannot "
                        "trunk VLANs (vlan_mode %s)", i->port_name, mode));
}

void
reconcile_iface(struct pass *p, const struct vsd_iface *i)
{
    struct reconciler *rc = p->rc;
    struct rc_port *rp = rc_port_get(rc, i->name);
    struct rc_bridge *rb = rc_bridge_find(rc, i->br->name);
    char *vbname = NULL, *old_error;
    const char *master;

    rp->seen = true;
    old_error = rp->error;
    rp->error = NULL;
    rp->transient = false;
    if (p->full) {
        rp->verify = true;
    }

    if (i->error) {
        port_set_error(rp, xstrdup(i->error), false);
        rp->realized = false;
        goto done;
    }
    if (rb->error) {
        port_set_error(rp, xasprintf("bridge %s: %s", i->br->name,
                                     rb->error), true);
        goto done;
    }

    master = i->br->name;
    if (rb->fallback && !i->bridge_self) {
        if (i->vlan_mode != VSD_VLAN_ACCESS) {
            port_set_error(rp, fallback_trunk_error(i), false);
            rp->realized = false;
            goto done;
        }
        if (i->tag) {
            const char *vberr;

            vbname = vsd_vlan_bridge_name(i->br->name, i->tag);
            vberr = shash_find_data(&p->vb_errors, vbname);
            if (vberr) {
                port_set_error(rp, xasprintf("VLAN %d bridge %s: %s",
                                             i->tag, vbname, vberr), true);
                goto done;
            }
            master = vbname;
        }
    }

    switch (i->kind) {
    case VSD_SYSTEM:
        reconcile_system(p, rp, i, master);
        break;
    case VSD_INTERNAL:
        if (i->bridge_self) {
            reconcile_bridge_self(p, rp, i);
        } else {
            reconcile_internal(p, rp, i, master);
        }
        break;
    case VSD_VETH:
        reconcile_veth(p, rp, i, master);
        break;
    case VSD_VXLAN:
        reconcile_vxlan(p, rp, i, master);
        break;
    }

done:
    if (old_error && !rp->error) {
        VLOG_INFO("interface %s: error cleared", i->name);
    }
    if (!rp->error) {
        free(rp->logged_error);
        rp->logged_error = NULL;
    }
    free(old_error);
    if (!rp->error || !rp->transient) {
        rp->applied_hash = i->hash;
        rp->verify = false;
    } else {
        rp->applied_hash = 0;
    }
    free(vbname);
}
