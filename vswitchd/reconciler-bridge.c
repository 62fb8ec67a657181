/* Bridges for the reconciler (see reconciler-private.h): each desired
 * bridge is created or adopted, kept up, and given its options (STP,
 * ageing, multicast snooping, VLAN filtering when its ports use VLANs).
 * This is also where a kernel without VLAN filtering is detected; its
 * bridges with VLAN access ports then get one per-VLAN bridge, owned by
 * vswitchd, for each access VLAN. */
#include <config.h>

#include "reconciler-private.h"

#include <errno.h>
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

COVERAGE_DEFINE(reconcile_bridge_created);

struct rc_bridge *
rc_bridge_find(const struct reconciler *rc, const char *name)
{
    struct rc_bridge *rb;

    HMAP_FOR_EACH_WITH_HASH (rb, node, hash_string(name, 0), &rc->bridges) {
        if (!strcmp(rb->name, name)) {
            return rb;
        }
    }
    return NULL;
}

struct rc_bridge *
rc_bridge_get(struct reconciler *rc, const char *name)
{
    struct rc_bridge *rb = rc_bridge_find(rc, name);

    if (!rb) {
        rb = xzalloc(sizeof *rb);
        rb->name = xstrdup(name);
        rb->st.vlan_mode = "none";
        hmap_insert(&rc->bridges, &rb->node, hash_string(name, 0));
    }
    return rb;
}

void
rc_bridge_destroy(struct reconciler *rc, struct rc_bridge *rb)
{
    hmap_remove(&rc->bridges, &rb->node);
    free(rb->name);
    free(rb->error);
    free(rb);
}

/* Notes that the kernel refused VLAN filtering (EOPNOTSUPP), dropping the
 * message in *ERRP: from now on, access ports use per-VLAN bridges. */
static void
note_no_vlan_filtering(struct reconciler *rc, char **errp)
{
    free(*errp);
    *errp = NULL;
    rc->vlan_filtering = 0;
    VLOG_WARN("kernel lacks bridge VLAN filtering: using per-VLAN "
              "bridges for access ports; trunk ports will fail");
}

/* Creates bridge NAME, owned (with ALIAS), up and with OPTS. */
static int
create_bridge_device(struct pass *p, const char *name, const char *alias,
                     struct netlink_bridge_options *opts, char **errp)
{
    struct reconciler *rc = p->rc;
    struct netlink_link_attrs attrs;
    int error;

    /* A new bridge does not filter VLANs; saying so explicitly fails on
     * kernels without VLAN filtering. */
    if (opts->vlan_filtering == 0) {
        opts->vlan_filtering = -1;
    }
    netlink_link_attrs_init(&attrs);
    attrs.up = 1;
    attrs.alias = alias;
    error = netlink_bridge_add(rc->hns, name, opts, &attrs, false, errp);
    if (error == EOPNOTSUPP && opts->vlan_filtering == 1) {
        note_no_vlan_filtering(rc, errp);
        opts->vlan_filtering = -1;
        error = netlink_bridge_add(rc->hns, name, opts, &attrs, false,
                                   errp);
    } else if (!error && opts->vlan_filtering == 1) {
        rc->vlan_filtering = 1;
    }
    if (error) {
        return error;
    }
    VLOG_INFO("created bridge %s", name);
    COVERAGE_INC(reconcile_bridge_created);
    p->changes++;
    kv_refresh(rc, &p->kv, name);
    return 0;
}

/* Makes existing bridge L, which vswitchd owns, carry ALIAS, be up and
 * have OPTS, changing only what differs. */
static int
update_bridge_device(struct pass *p, const struct netlink_link *l,
                     const char *alias, struct netlink_bridge_options *opts,
                     char **errp)
{
    struct reconciler *rc = p->rc;
    const char *name = l->name;
    struct netlink_bridge_options cur, delta;
    struct netlink_link_attrs attrs;
    bool any = false;
    int error;

    netlink_link_attrs_init(&attrs);
    if (strcmp(l->alias, alias)) {
        attrs.alias = alias;
    }
    if (!(l->flags & IFF_UP)) {
        attrs.up = 1;
    }
    if (attrs.alias || attrs.up >= 0) {
        error = netlink_link_set(rc->hns, name, &attrs, errp);
        if (error) {
            return error;
        }
        p->changes++;
    }

    error = netlink_bridge_get_options(rc->hns, name, &cur, errp);
    if (error) {
        return error;
    }
    netlink_bridge_options_init(&delta);
#define DELTA(FIELD)                                            \
    if (opts->FIELD >= 0 && opts->FIELD != cur.FIELD) {         \
        delta.FIELD = opts->FIELD;                              \
        any = true;                                             \
    }
    DELTA(stp);
    DELTA(ageing_time);
    DELTA(mcast_snooping);
    DELTA(vlan_filtering);
#undef DELTA
    if (!any) {
        if (opts->vlan_filtering == 1) {
            rc->vlan_filtering = 1;
        }
        return 0;
    }
    error = netlink_bridge_set_options(rc->hns, name, &delta, errp);
    if (error == EOPNOTSUPP && delta.vlan_filtering == 1) {
        note_no_vlan_filtering(rc, errp);
        delta.vlan_filtering = -1;
        opts->vlan_filtering = -1;
        if (delta.stp < 0 && delta.ageing_time < 0
            && delta.mcast_snooping < 0) {
            return 0;
        }
        error = netlink_bridge_set_options(rc->hns, name, &delta, errp);
    } else if (!error && delta.vlan_filtering == 1) {
        rc->vlan_filtering = 1;
    }
    if (!error) {
        VLOG_INFO("bridge %s: options updated", name);
        p->changes++;
    }
    return error;
}

/* Makes sure bridge NAME exists (owned, with ALIAS), is up and has OPTS.
 * Handles a kernel without VLAN filtering.  Returns 0 or an errno with a
 * message in *ERRP. */
static int
sync_bridge_device(struct pass *p, const char *name, const char *alias,
                   struct netlink_bridge_options *opts, char **errp)
{
    const struct netlink_link *l = kv_find(&p->kv, name);

    if (l && (strcmp(l->kind, "bridge") || !is_owned(l))) {
        *errp = xasprintf("device %s exists and is not a bridge managed by "
                          "vswitch-lite", name);
        return EEXIST;
    }
    return (l
            ? update_bridge_device(p, l, alias, opts, errp)
            : create_bridge_device(p, name, alias, opts, errp));
}

static void
bridge_options(const struct vsd_bridge *br, struct netlink_bridge_options *o)
{
    netlink_bridge_options_init(o);
    o->stp = br->stp;
    o->mcast_snooping = br->mcast_snooping;
    if (br->ageing >= 0) {
        o->ageing_time = br->ageing;
    }
}

void
reconcile_bridge(struct pass *p, const struct vsd_bridge *br)
{
    struct reconciler *rc = p->rc;
    struct rc_bridge *rb = rc_bridge_get(rc, br->name);
    struct netlink_bridge_options opts;
    char *msg = NULL;
    int error;

    rb->seen = true;
    free(rb->error);
    rb->error = NULL;
    shash_add_once(&p->expected, br->name, NULL);

    bridge_options(br, &opts);
    if (br->needs_vlans && rc->vlan_filtering != 0) {
        opts.vlan_filtering = 1;
    } else if (!br->needs_vlans) {
        opts.vlan_filtering = 0;
    }
    error = sync_bridge_device(p, br->name, br->alias, &opts, &msg);
    if (error) {
        pass_note_error(p, br->name, error, msg);
        rb->error = msg ? msg : xstrdup(vs_strerror(error));
        rb->st.present = kv_find(&p->kv, br->name) != NULL;
        rb->filtering = rb->fallback = false;
        rb->st.vlan_mode = "none";
        return;
    }
    rb->filtering = br->needs_vlans && rc->vlan_filtering == 1;
    rb->fallback = br->needs_vlans && rc->vlan_filtering == 0;
    rb->st.vlan_mode = (rb->filtering ? "filtering"
                        : rb->fallback ? "per-vlan-bridges" : "none");

    if (rb->fallback) {
        for (size_t k = 0; k < br->n_access_vlans; k++) {
            int vid = br->access_vlans[k];
            char *name = vsd_vlan_bridge_name(br->name, vid);
            char *alias = xasprintf("%s:vlan%d", br->alias, vid);
            struct netlink_bridge_options vopts;

            shash_add_once(&p->expected, name, NULL);
            bridge_options(br, &vopts);
            vopts.vlan_filtering = 0;
            msg = NULL;
            error = sync_bridge_device(p, name, alias, &vopts, &msg);
            if (error) {
                pass_note_error(p, name, error, msg);
                shash_add_once(&p->vb_errors, name,
                               msg ? msg : xstrdup(vs_strerror(error)));
            }
            free(name);
            free(alias);
        }
    }
}
