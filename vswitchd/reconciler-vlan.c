/* VLANs for the reconciler (see reconciler-private.h): the VLANs that the
 * ports of VLAN-filtering bridges have in the kernel (one dump per pass,
 * taken only when some port needs it), whether they are the ones an
 * interface wants (desired.c computes those from Port.vlan_mode, tag and
 * trunks), and setting them.  Per-VLAN bridges, for
 * kernels without VLAN filtering, are in reconciler-bridge.c and
 * reconciler-port.c. */
#include <config.h>

#include "reconciler-private.h"

#include <stdlib.h>
#include <string.h>
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

/* Whether K, a port's VLANs in the kernel (NULL if none), are V. */
static bool
vlans_match(const struct kvlans *k, const struct vsd_vlans *v)
{
    return (k && !k->bad
            && k->pvid == v->pvid
            && (!v->pvid || k->pvid_untagged == !v->pvid_tagged)
            && k->n_tagged == v->n_tagged
            && (!v->n_tagged
                || !memcmp(k->tagged, v->tagged,
                           v->n_tagged * sizeof *v->tagged)));
}

bool
pass_vlans_match(struct pass *p, int ifindex, const struct vsd_iface *i)
{
    return vlans_match(ifindex ? pass_find_vlans(p, ifindex) : NULL,
                       &i->vlans);
}

int
pass_set_vlans(struct pass *p, const char *dev, const struct vsd_iface *i,
               char **errp)
{
    const struct vsd_vlans *v = &i->vlans;

    return netlink_bridge_vlan_set(p->rc->hns, dev, v->pvid, !v->pvid_tagged,
                                   v->tagged, v->n_tagged, errp);
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
