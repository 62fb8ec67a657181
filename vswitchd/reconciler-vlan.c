/* VLANs for the reconciler (see reconciler-private.h): the VLANs that the
 * ports of VLAN-filtering bridges have in the kernel (one dump per pass,
 * taken only when some port needs it), the VLANs an interface wants
 * (Port.tag, Port.trunks), and setting them.  Per-VLAN bridges, for
 * kernels without VLAN filtering, are in reconciler-bridge.c and
 * reconciler-port.c. */
#include <config.h>

#include "reconciler-private.h"

#include <stdlib.h>
#include "desired.h"
#include "hash.h"
#include "hmap.h"
#include "netlink.h"
#include "util.h"
#include "vlog.h"

static struct vlog_module *const THIS_MODULE = &VLM_reconciler;

/* One port's VLANs, from a VLAN dump. */
struct kvlans {
    struct hmap_node node;      /* By ifindex. */
    int ifindex;
    uint16_t pvid;              /* 0: none. */
    bool pvid_untagged;
    bool bad;                   /* Untagged non-PVID VLANs. */
    uint16_t *tagged;
    size_t n_tagged, allocated;
};

static void
pass_load_vlans(struct pass *p)
{
    struct netlink_vlan *v;
    char *msg = NULL;
    size_t n;

    if (p->vlans_loaded) {
        return;
    }
    p->vlans_loaded = true;
    if (netlink_bridge_vlan_list(p->rc->hns, NULL, &v, &n, &msg)) {
        VLOG_WARN_RL(&rc_rl, "cannot read bridge VLANs: %s", msg);
        free(msg);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        struct kvlans *kvl = NULL, *e;

        HMAP_FOR_EACH_WITH_HASH (e, node, hash_int(v[i].ifindex, 0),
                                 &p->vlans) {
            if (e->ifindex == v[i].ifindex) {
                kvl = e;
            }
        }
        if (!kvl) {
            kvl = xzalloc(sizeof *kvl);
            kvl->ifindex = v[i].ifindex;
            hmap_insert(&p->vlans, &kvl->node, hash_int(v[i].ifindex, 0));
        }
        if (v[i].flags & NETLINK_VLAN_PVID) {
            kvl->pvid = v[i].vid;
            kvl->pvid_untagged = (v[i].flags & NETLINK_VLAN_UNTAGGED) != 0;
        } else if (v[i].flags & NETLINK_VLAN_UNTAGGED) {
            kvl->bad = true;
        } else {
            if (kvl->n_tagged >= kvl->allocated) {
                kvl->allocated = kvl->allocated ? 2 * kvl->allocated : 4;
                kvl->tagged = xrealloc(kvl->tagged, kvl->allocated
                                       * sizeof *kvl->tagged);
            }
            kvl->tagged[kvl->n_tagged++] = v[i].vid;
        }
    }
    free(v);
}

static const struct kvlans *
pass_find_vlans(struct pass *p, int ifindex)
{
    struct kvlans *e;

    pass_load_vlans(p);
    HMAP_FOR_EACH_WITH_HASH (e, node, hash_int(ifindex, 0), &p->vlans) {
        if (e->ifindex == ifindex) {
            return e;
        }
    }
    return NULL;
}

/* The VLANs a port of a VLAN-filtering bridge should have. */
static void
desired_vlans(const struct vsd_iface *i, uint16_t *pvid,
              const uint16_t **tagged, size_t *n_tagged)
{
    *pvid = i->tag ? i->tag : (i->n_trunks ? 0 : 1);
    *tagged = i->trunks;
    *n_tagged = i->n_trunks;
}

static bool
vlans_match(const struct kvlans *k, const struct vsd_iface *i)
{
    const uint16_t *tagged;
    uint16_t pvid;
    size_t n_tagged, n = 0;

    desired_vlans(i, &pvid, &tagged, &n_tagged);
    if (!k) {
        return false;
    }
    if (k->bad || k->pvid != pvid || (pvid && !k->pvid_untagged)) {
        return false;
    }
    for (size_t j = 0; j < n_tagged; j++) {
        if (tagged[j] != pvid) {
            n++;
        }
    }
    if (n != k->n_tagged) {
        return false;
    }
    for (size_t j = 0; j < k->n_tagged; j++) {
        bool found = false;

        for (size_t m = 0; m < n_tagged && !found; m++) {
            found = tagged[m] == k->tagged[j];
        }
        if (!found) {
            return false;
        }
    }
    return true;
}

bool
pass_vlans_match(struct pass *p, int ifindex, const struct vsd_iface *i)
{
    return vlans_match(ifindex ? pass_find_vlans(p, ifindex) : NULL, i);
}

int
pass_set_vlans(struct pass *p, const char *dev, const struct vsd_iface *i,
               char **errp)
{
    const uint16_t *tagged;
    uint16_t pvid;
    size_t n_tagged;

    desired_vlans(i, &pvid, &tagged, &n_tagged);
    return netlink_bridge_vlan_set(p->rc->hns, dev, pvid, true, tagged,
                                   n_tagged, errp);
}

void
pass_destroy_vlans(struct pass *p)
{
    struct kvlans *kvl;

    HMAP_FOR_EACH_POP (kvl, node, &p->vlans) {
        free(kvl->tagged);
        free(kvl);
    }
    hmap_destroy(&p->vlans);
}
