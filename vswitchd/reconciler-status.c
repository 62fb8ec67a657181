/* What the reconciler tells (see reconciler-private.h): the status of
 * each interface and bridge, which vswitchd writes back to the database
 * (refreshed after each pass that changed something and by the statistics
 * timer), and the reports for people: bridge/show (desired and kernel
 * state, port by port), fdb/show and vswitchd/status. */
#include <config.h>

#include "reconciler.h"
#include "reconciler-private.h"

#include <inttypes.h>
#include <linux/if.h>
#include <linux/neighbour.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "desired.h"
#include "dynamic-string.h"
#include "hmap.h"
#include "netlink.h"
#include "shash.h"
#include "util.h"

/* ---------------------------------------------------------------------
 * Status.
 */

uint64_t
reconciler_get_status_seqno(const struct reconciler *rc)
{
    return rc->status_seqno;
}

const struct rc_iface_status *
reconciler_get_iface_status(const struct reconciler *rc, const char *name)
{
    const struct rc_port *rp = rc_port_find(rc, name);

    return rp && rp->seen ? &rp->st : NULL;
}

const struct rc_bridge_status *
reconciler_get_bridge_status(const struct reconciler *rc, const char *name)
{
    const struct rc_bridge *rb = rc_bridge_find(rc, name);

    return rb && rb->seen ? &rb->st : NULL;
}

/* The device whose state an interface's status reports. */
static const char *
status_device(const struct vsd_iface *i)
{
    return i->name;
}

static bool
update_port_status(struct rc_port *rp, const struct netlink_link *l)
{
    struct rc_iface_status st;
    bool changed;

    memset(&st, 0, sizeof st);
    st.error = rp->error;
    if (l) {
        st.present = true;
        st.ifindex = l->ifindex;
        if (l->mac_len == 6) {
            netlink_link_format_mac(l, st.mac);
        }
        st.mtu = l->mtu;
        st.link_up = l->operstate == IF_OPER_UP
                     || (l->operstate == IF_OPER_UNKNOWN
                         && (l->flags & IFF_RUNNING));
        st.admin_up = (l->flags & IFF_UP) != 0;
        st.stats = l->stats;
    }
    changed = memcmp(&st, &rp->st, sizeof st) != 0;
    rp->st = st;
    return changed;
}

bool
update_statuses(struct reconciler *rc, const struct kview *kv)
{
    bool changed = false;
    struct rc_bridge *rb;

    if (!rc->config) {
        return false;
    }
    const struct vsd_iface *i;
    HMAP_FOR_EACH (i, node, &rc->config->ifaces) {
        struct rc_port *rp = rc_port_find(rc, i->name);

        if (rp && rp->seen) {
            const struct netlink_link *l = kv_find(kv, status_device(i));

            if (i->kind != VSD_SYSTEM && i->kind != VSD_INTERNAL
                && l && !is_owned(l)) {
                l = NULL;       /* Someone else's device of that name. */
            }
            changed |= update_port_status(rp, l);
        }
    }
    HMAP_FOR_EACH (rb, node, &rc->bridges) {
        const struct netlink_link *l = kv_find(kv, rb->name);
        struct rc_bridge_status st = rb->st;

        st.error = rb->error;
        st.present = l != NULL;
        st.ifindex = l ? l->ifindex : 0;
        changed |= memcmp(&st, &rb->st, sizeof st) != 0;
        rb->st = st;
    }
    return changed;
}

/* ---------------------------------------------------------------------
 * Reports.
 */

static int
compare_iface_names(const void *a_, const void *b_)
{
    const struct vsd_iface *const *a = a_, *const *b = b_;

    return strcmp((*a)->name, (*b)->name);
}

static void
put_link(struct ds *out, const struct kview *kv,
         const struct netlink_link *l)
{
    const struct netlink_link *m;
    char mac[3 * 32];

    ds_put_format(out, "ifindex %d", l->ifindex);
    if (l->kind[0]) {
        ds_put_format(out, ", %s", l->kind);
    }
    if (l->master) {
        m = kv_find_by_index(kv, l->master);
        if (m) {
            ds_put_format(out, ", master %s", m->name);
        } else {
            ds_put_format(out, ", master ifindex %d", l->master);
        }
    }
    ds_put_format(out, ", %s, link %s, mtu %u", l->flags & IFF_UP
                  ? "up" : "down", netlink_operstate_to_string(l->operstate),
                  l->mtu);
    if (l->mac_len == 6) {
        ds_put_format(out, ", mac %s", netlink_link_format_mac(l, mac));
    }
    ds_put_format(out, ", %s", is_owned(l) ? "owned" : "not owned");
}

static void
put_desired(struct ds *out, const struct vsd_iface *i, const char *master)
{
    if (i->error) {
        ds_put_cstr(out, i->type[0] ? i->type : "system");
        return;
    }
    ds_put_format(out, "%s", vsd_iface_kind_to_string(i->kind));
    switch (i->kind) {
    case VSD_SYSTEM:
        ds_put_format(out, ", existing device %s", i->name);
        break;
    case VSD_INTERNAL:
        if (i->bridge_self) {
            ds_put_cstr(out, ", the bridge's own device");
        } else {
            ds_put_format(out, ", bridge end %s", i->bport);
        }
        break;
    case VSD_VETH:
        ds_put_format(out, ", peer %s in %s", i->peer,
                      i->netns ? i->netns : "the host namespace");
        for (size_t k = 0; k < i->n_addrs; k++) {
            ds_put_format(out, "%s%s", k ? " " : ", address ", i->addrs[k]);
        }
        for (size_t k = 0; k < i->n_gateways; k++) {
            ds_put_format(out, "%s%s", k ? " " : ", gateway ",
                          i->gateways[k]);
        }
        break;
    case VSD_VXLAN:
        ds_put_format(out, ", VNI %"PRIu32", remote %s", i->vni,
                      i->remote_ip);
        if (i->local_ip) {
            ds_put_format(out, ", local %s", i->local_ip);
        }
        ds_put_format(out, ", port %d", i->dst_port);
        break;
    }
    if (i->mac) {
        ds_put_format(out, ", mac %s", i->mac);
    }
    if (i->mtu) {
        ds_put_format(out, ", mtu %d", i->mtu);
    }
    if (i->vlan_mode != VSD_VLAN_ACCESS) {
        ds_put_format(out, ", vlan_mode %s",
                      vsd_vlan_mode_to_string(i->vlan_mode));
    }
    if (i->tag) {
        ds_put_format(out, ", VLAN %d", i->tag);
    }
    if (i->n_trunks) {
        ds_put_cstr(out, ", trunks ");
        for (size_t k = 0; k < i->n_trunks; k++) {
            ds_put_format(out, "%s%u", k ? "," : "", i->trunks[k]);
        }
    } else if (i->vlan_mode != VSD_VLAN_ACCESS) {
        ds_put_cstr(out, ", trunks all");
    }
    if (i->isolated) {
        ds_put_cstr(out, ", isolated");
    }
    if (master && !i->bridge_self) {
        ds_put_format(out, ", master %s", master);
    }
}

bool
reconciler_show_bridge(struct reconciler *rc, const char *name,
                       struct ds *out)
{
    const struct vsd_bridge *br;
    const struct rc_bridge *rb;
    const struct vsd_iface *i, **ifaces;
    const struct netlink_link *l;
    struct kview kv;
    size_t n = 0;

    br = rc->config ? vsd_config_find_bridge(rc->config, name) : NULL;
    if (!br) {
        return false;
    }
    rb = rc_bridge_find(rc, name);
    if (kv_load(rc, &kv)) {
        memset(&kv, 0, sizeof kv);
        shash_init(&kv.by_name);
    }

    ds_put_format(out, "bridge %s\n", name);
    ds_put_format(out, "  desired: stp %s, mcast_snooping %s, ",
                  br->stp ? "on" : "off", br->mcast_snooping ? "on" : "off");
    if (br->ageing >= 0) {
        ds_put_format(out, "ageing %d s", br->ageing);
    } else {
        ds_put_cstr(out, "ageing default");
    }
    ds_put_format(out, ", port-isolation %s",
                  vsd_isolation_to_string(br->isolation));
    ds_put_format(out, ", vlan mode %s\n",
                  rb ? rb->st.vlan_mode : "none");
    l = kv_find(&kv, name);
    ds_put_cstr(out, "  kernel:  ");
    if (l) {
        struct netlink_bridge_options o;

        put_link(out, &kv, l);
        if (!netlink_bridge_get_options(rc->hns, name, &o, NULL)) {
            ds_put_format(out, ", stp %s, mcast_snooping %s, ageing %d s, "
                          "vlan_filtering %s", o.stp ? "on" : "off",
                          o.mcast_snooping ? "on" : "off", o.ageing_time,
                          o.vlan_filtering ? "on" : "off");
        }
        ds_put_char(out, '\n');
    } else {
        ds_put_cstr(out, "missing\n");
    }
    if (rb && rb->fallback) {
        for (size_t k = 0; k < br->n_access_vlans; k++) {
            char *vb = vsd_vlan_bridge_name(name, br->access_vlans[k]);

            l = kv_find(&kv, vb);
            ds_put_format(out, "  VLAN %u bridge %s: ", br->access_vlans[k],
                          vb);
            if (l) {
                put_link(out, &kv, l);
                ds_put_char(out, '\n');
            } else {
                ds_put_cstr(out, "missing\n");
            }
            free(vb);
        }
    }
    if (rb && rb->error) {
        ds_put_format(out, "  error:   %s\n", rb->error);
    }
    if (br->warning) {
        ds_put_format(out, "  warning: %s\n", br->warning);
    }

    ifaces = xmalloc((hmap_count(&rc->config->ifaces) + 1)
                     * sizeof *ifaces);
    LIST_FOR_EACH (i, bridge_node, &br->ifaces) {
        ifaces[n++] = i;
    }
    qsort(ifaces, n, sizeof *ifaces, compare_iface_names);
    for (size_t k = 0; k < n; k++) {
        const struct rc_port *rp = rc_port_find(rc, ifaces[k]->name);
        char *master = NULL;

        i = ifaces[k];
        if (rb && rb->fallback && i->tag
            && i->vlan_mode == VSD_VLAN_ACCESS) {
            master = vsd_vlan_bridge_name(name, i->tag);
        } else {
            master = xstrdup(name);
        }
        ds_put_format(out, "  port %s", i->port_name);
        if (strcmp(i->port_name, i->name)) {
            ds_put_format(out, " (interface %s)", i->name);
        }
        ds_put_cstr(out, "\n    desired: ");
        put_desired(out, i, i->error ? NULL : master);
        ds_put_cstr(out, "\n    kernel:  ");
        l = kv_find(&kv, i->kind == VSD_INTERNAL && !i->bridge_self
                    ? i->bport : i->name);
        if (l && (i->kind == VSD_SYSTEM || i->bridge_self || is_owned(l))) {
            put_link(out, &kv, l);
        } else if (l) {
            ds_put_cstr(out, "a device of that name exists but is not "
                        "owned by vswitch-lite");
        } else {
            ds_put_cstr(out, "missing");
        }
        ds_put_char(out, '\n');
        if (rp && rp->error) {
            ds_put_format(out, "    error:   %s\n", rp->error);
        } else if (rp && rp->seen) {
            ds_put_cstr(out, "    state:   in sync\n");
        } else {
            ds_put_cstr(out, "    state:   pending\n");
        }
        free(master);
    }
    free(ifaces);
    kv_destroy(&kv);
    return true;
}

struct fdb_line {
    char port[IFNAMSIZ];
    uint16_t vlan;
    char mac[18];
    const char *type;
};

static int
compare_fdb_lines(const void *a_, const void *b_)
{
    const struct fdb_line *a = a_, *b = b_;
    int c = strcmp(a->port, b->port);

    return c ? c : a->vlan != b->vlan ? a->vlan - b->vlan
                                      : strcmp(a->mac, b->mac);
}

static void
collect_fdb(struct reconciler *rc, const char *bridge, int vlan,
            struct fdb_line **lines, size_t *n, size_t *allocated)
{
    struct netlink_fdb *fdb;
    size_t n_fdb;

    if (netlink_fdb_dump(rc->hns, bridge, &fdb, &n_fdb, NULL)) {
        return;
    }
    for (size_t k = 0; k < n_fdb; k++) {
        struct fdb_line *fl;

        if (!fdb[k].port[0] || !strcmp(fdb[k].port, bridge)) {
            continue;
        }
        if (*n >= *allocated) {
            *allocated = *allocated ? 2 * *allocated : 16;
            *lines = xrealloc(*lines, *allocated * sizeof **lines);
        }
        fl = &(*lines)[(*n)++];
        memset(fl, 0, sizeof *fl);
        snprintf(fl->port, sizeof fl->port, "%s", fdb[k].port);
        fl->vlan = fdb[k].vlan ? fdb[k].vlan : vlan;
        snprintf(fl->mac, sizeof fl->mac, "%02x:%02x:%02x:%02x:%02x:%02x",
                 fdb[k].mac[0], fdb[k].mac[1], fdb[k].mac[2], fdb[k].mac[3],
                 fdb[k].mac[4], fdb[k].mac[5]);
        fl->type = (fdb[k].state & NUD_PERMANENT ? "static"
                    : fdb[k].flags & NTF_EXT_LEARNED ? "external"
                    : "learned");
    }
    free(fdb);
}

bool
reconciler_show_fdb(struct reconciler *rc, const char *name, struct ds *out)
{
    const struct vsd_bridge *br;
    const struct rc_bridge *rb;
    struct fdb_line *lines = NULL;
    size_t n = 0, allocated = 0;

    br = rc->config ? vsd_config_find_bridge(rc->config, name) : NULL;
    if (!br) {
        return false;
    }
    rb = rc_bridge_find(rc, name);
    collect_fdb(rc, name, 0, &lines, &n, &allocated);
    if (rb && rb->fallback) {
        for (size_t k = 0; k < br->n_access_vlans; k++) {
            char *vb = vsd_vlan_bridge_name(name, br->access_vlans[k]);

            collect_fdb(rc, vb, br->access_vlans[k], &lines, &n, &allocated);
            free(vb);
        }
    }
    if (n) {
        qsort(lines, n, sizeof *lines, compare_fdb_lines);
    }
    ds_put_format(out, " %-15s %4s  %-17s  %s\n", "port", "VLAN", "MAC",
                  "type");
    for (size_t k = 0; k < n; k++) {
        ds_put_format(out, " %-15s %4u  %-17s  %s\n", lines[k].port,
                      lines[k].vlan, lines[k].mac, lines[k].type);
    }
    free(lines);
    return true;
}

void
reconciler_show_status(const struct reconciler *rc, struct ds *out)
{
    size_t n_bridges = rc->config ? hmap_count(&rc->config->bridges) : 0;
    size_t n_ifaces = rc->config ? hmap_count(&rc->config->ifaces) : 0;

    ds_put_format(out, "bridges: %zu, interfaces: %zu (%zu with errors)\n",
                  n_bridges, n_ifaces, rc->last_n_errors);
    ds_put_format(out, "kernel VLAN filtering: %s\n",
                  rc->vlan_filtering == 1 ? "yes"
                  : rc->vlan_filtering == 0
                  ? "no (access ports use per-VLAN bridges)"
                  : "not probed yet");
    if (rc->n_passes) {
        ds_put_cstr(out, "last reconcile: ");
        ds_put_strftime_msec(out, "%Y-%m-%dT%H:%M:%S%.###Z",
                             rc->last_pass_wall, true);
        ds_put_format(out, ", %lld ms, %d changes\n", rc->last_pass_msec,
                      rc->last_pass_changes);
    } else {
        ds_put_cstr(out, "last reconcile: never\n");
    }
    ds_put_format(out, "reconciles: %llu (%llu full), kernel changes: "
                  "%llu\n", rc->n_passes, rc->n_full_passes, rc->n_changes);
}
