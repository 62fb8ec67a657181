/* The reconciler: see reconciler.h. */
#include <config.h>

#include "reconciler.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <linux/if.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <stdlib.h>
#include <string.h>
#include "coverage.h"
#include "desired.h"
#include "dynamic-string.h"
#include "hash.h"
#include "hmap.h"
#include "netlink-monitor.h"
#include "netlink.h"
#include "poll-loop.h"
#include "shash.h"
#include "timeval.h"
#include "util.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(reconciler);

COVERAGE_DEFINE(reconcile_pass);
COVERAGE_DEFINE(reconcile_full);
COVERAGE_DEFINE(reconcile_bridge_created);
COVERAGE_DEFINE(reconcile_bridge_deleted);
COVERAGE_DEFINE(reconcile_port_created);
COVERAGE_DEFINE(reconcile_port_deleted);
COVERAGE_DEFINE(reconcile_port_recreated);
COVERAGE_DEFINE(reconcile_port_adopted);
COVERAGE_DEFINE(reconcile_port_changed);
COVERAGE_DEFINE(reconcile_kernel_error);
COVERAGE_DEFINE(reconcile_stats_refresh);

static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(30, 60);

#define EVENT_DELAY_MSEC 20
#define MIN_RETRY_MSEC 1000
#define MAX_RETRY_MSEC 30000

/* Per-interface runtime state, by interface name. */
struct rc_port {
    struct hmap_node node;
    char *name;
    uint32_t applied_hash;      /* vsd_iface 'hash' fully applied, or 0. */
    bool realized;              /* Its device(s) existed at some point. */
    bool verify;                /* Look at the container side next pass. */
    int isolated;               /* Kernel's flag: -1 unknown, 0, 1. */
    char *enslaved;             /* System port: bridge we enslaved it to. */
    char *error;
    char *logged_error;         /* Last error logged. */
    bool transient;             /* 'error' may clear by retrying. */
    bool seen;                  /* Mark for the sweep. */
    struct rc_iface_status st;
};

/* Per-bridge runtime state. */
struct rc_bridge {
    struct hmap_node node;
    char *name;
    char *error;
    bool filtering;             /* VLAN filtering in use. */
    bool fallback;              /* Per-VLAN bridges in use. */
    bool seen;
    struct rc_bridge_status st;
};

struct reconciler {
    struct netlink_ns *hns;
    struct netlink_monitor *mon;
    struct vsd_config *config;
    struct hmap ports;          /* rc_port's. */
    struct hmap bridges;        /* rc_bridge's. */
    int vlan_filtering;         /* -1 unknown, 0 unsupported, 1 works. */

    bool need_pass;             /* Pass at the next run. */
    bool need_full;             /* ...verifying every container. */
    long long int event_pass_at;    /* Pass at this time (LLONG_MAX). */
    long long int retry_at;         /* Retry failed ports (LLONG_MAX). */
    int retry_backoff;
    long long int next_stats;
    int stats_interval;

    int64_t applied_cfg;
    uint64_t status_seqno;

    /* Statistics. */
    unsigned long long int n_passes;
    unsigned long long int n_full_passes;
    unsigned long long int n_changes;
    long long int last_pass_wall;   /* time_wall_msec() at its start. */
    long long int last_pass_msec;   /* Duration. */
    int last_pass_changes;
    size_t last_n_errors;
    bool churning;              /* Last pass changed the kernel and still
                                 * failed: its own events must not trigger
                                 * the next pass before the retry time. */
};

/* The kernel's links, from one dump, plus what the pass learned since. */
struct kview {
    struct netlink_link *links;
    size_t n;
    struct shash by_name;       /* Name -> struct netlink_link *. */
    struct netlink_link **extra;    /* Links fetched after the dump. */
    size_t n_extra, allocated_extra;
};

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

struct pass {
    struct reconciler *rc;
    struct kview kv;
    struct shash expected;      /* Owned device names to keep. */
    struct shash vb_errors;     /* Per-VLAN bridge name -> error. */
    struct hmap vlans;          /* kvlans's, if 'vlans_loaded'. */
    bool vlans_loaded;
    bool full;
    int changes;
};

static void monitor_cb(const struct netlink_event *, void *rc_);
static void pass_run(struct reconciler *, bool full);

/* ---------------------------------------------------------------------
 * Runtime objects.
 */

static struct rc_port *
port_find(const struct reconciler *rc, const char *name)
{
    struct rc_port *rp;

    HMAP_FOR_EACH_WITH_HASH (rp, node, hash_string(name, 0), &rc->ports) {
        if (!strcmp(rp->name, name)) {
            return rp;
        }
    }
    return NULL;
}

static struct rc_port *
port_get(struct reconciler *rc, const char *name)
{
    struct rc_port *rp = port_find(rc, name);

    if (!rp) {
        rp = xzalloc(sizeof *rp);
        rp->name = xstrdup(name);
        rp->isolated = -1;
        rp->verify = true;
        hmap_insert(&rc->ports, &rp->node, hash_string(name, 0));
    }
    return rp;
}

static void
port_destroy(struct reconciler *rc, struct rc_port *rp)
{
    hmap_remove(&rc->ports, &rp->node);
    free(rp->name);
    free(rp->enslaved);
    free(rp->error);
    free(rp->logged_error);
    free(rp);
}

static struct rc_bridge *
bridge_find(const struct reconciler *rc, const char *name)
{
    struct rc_bridge *rb;

    HMAP_FOR_EACH_WITH_HASH (rb, node, hash_string(name, 0), &rc->bridges) {
        if (!strcmp(rb->name, name)) {
            return rb;
        }
    }
    return NULL;
}

static struct rc_bridge *
bridge_get(struct reconciler *rc, const char *name)
{
    struct rc_bridge *rb = bridge_find(rc, name);

    if (!rb) {
        rb = xzalloc(sizeof *rb);
        rb->name = xstrdup(name);
        rb->st.vlan_mode = "none";
        hmap_insert(&rc->bridges, &rb->node, hash_string(name, 0));
    }
    return rb;
}

static void
bridge_destroy(struct reconciler *rc, struct rc_bridge *rb)
{
    hmap_remove(&rc->bridges, &rb->node);
    free(rb->name);
    free(rb->error);
    free(rb);
}

/* ---------------------------------------------------------------------
 * Life cycle.
 */

int
reconciler_create(struct reconciler **rcp, char **errp)
{
    struct reconciler *rc;
    int error;

    *rcp = NULL;
    rc = xzalloc(sizeof *rc);
    error = netlink_ns_open(NULL, &rc->hns, errp);
    if (error) {
        free(rc);
        return error;
    }
    error = netlink_monitor_create(rc->hns, NETLINK_MONITOR_LINKS,
                                   monitor_cb, rc, &rc->mon, errp);
    if (error) {
        netlink_ns_close(rc->hns);
        free(rc);
        return error;
    }
    /* Creating a thousand ports in one pass makes thousands of events; a
     * large buffer (kernel memory, used only while events queue up) avoids
     * the overflow and resynchronization that would follow. */
    netlink_monitor_set_rcvbuf(rc->mon, 16 * 1024 * 1024);
    hmap_init(&rc->ports);
    hmap_init(&rc->bridges);
    rc->vlan_filtering = -1;
    rc->event_pass_at = LLONG_MAX;
    rc->retry_at = LLONG_MAX;
    rc->next_stats = LLONG_MAX;
    rc->stats_interval = 5000;
    rc->applied_cfg = -1;
    rc->need_full = true;
    *rcp = rc;
    return 0;
}

void
reconciler_destroy(struct reconciler *rc)
{
    struct rc_port *rp;
    struct rc_bridge *rb;

    if (!rc) {
        return;
    }
    HMAP_FOR_EACH_SAFE (rp, node, &rc->ports) {
        port_destroy(rc, rp);
    }
    HMAP_FOR_EACH_SAFE (rb, node, &rc->bridges) {
        bridge_destroy(rc, rb);
    }
    hmap_destroy(&rc->ports);
    hmap_destroy(&rc->bridges);
    vsd_config_destroy(rc->config);
    netlink_monitor_destroy(rc->mon);
    netlink_ns_close(rc->hns);
    free(rc);
}

void
reconciler_set_config(struct reconciler *rc, struct vsd_config *config)
{
    vsd_config_destroy(rc->config);
    rc->config = config;
    rc->need_pass = true;
    if (rc->next_stats == LLONG_MAX) {
        rc->next_stats = time_msec() + rc->stats_interval;
    }
}

const struct vsd_config *
reconciler_get_config(const struct reconciler *rc)
{
    return rc->config;
}

void
reconciler_force_full(struct reconciler *rc)
{
    rc->need_pass = true;
    rc->need_full = true;
}

void
reconciler_set_stats_interval(struct reconciler *rc, int msec)
{
    msec = MAX(msec, 1000);
    if (msec != rc->stats_interval) {
        rc->stats_interval = msec;
        if (rc->next_stats != LLONG_MAX) {
            rc->next_stats = time_msec() + msec;
        }
    }
}

int64_t
reconciler_get_applied_cfg(const struct reconciler *rc)
{
    return rc->applied_cfg;
}

uint64_t
reconciler_get_status_seqno(const struct reconciler *rc)
{
    return rc->status_seqno;
}

int
reconciler_vlan_filtering_supported(const struct reconciler *rc)
{
    return rc->vlan_filtering;
}

const struct rc_iface_status *
reconciler_get_iface_status(const struct reconciler *rc, const char *name)
{
    const struct rc_port *rp = port_find(rc, name);

    return rp && rp->seen ? &rp->st : NULL;
}

const struct rc_bridge_status *
reconciler_get_bridge_status(const struct reconciler *rc, const char *name)
{
    const struct rc_bridge *rb = bridge_find(rc, name);

    return rb && rb->seen ? &rb->st : NULL;
}

/* ---------------------------------------------------------------------
 * Link monitor.
 */

static bool
is_owned(const struct netlink_link *l)
{
    return str_starts_with(l->alias, VSD_ALIAS_PREFIX);
}

static bool
link_matters(const struct reconciler *rc, const struct netlink_link *l)
{
    return (is_owned(l)
            || port_find(rc, l->name)
            || (rc->config && (vsd_config_find_iface(rc->config, l->name)
                               || vsd_config_find_bridge(rc->config,
                                                         l->name))));
}

static void
monitor_cb(const struct netlink_event *ev, void *rc_)
{
    struct reconciler *rc = rc_;

    if (!ev->link || !rc->config) {
        return;
    }
    if (link_matters(rc, ev->link)
        || (ev->old_link && link_matters(rc, ev->old_link))) {
        VLOG_DBG("link %s: %s, reconciling", ev->link->name,
                 netlink_event_type_to_string(ev->type));
        if (ev->type == NETLINK_EVENT_DELETE) {
            struct rc_port *rp = port_find(rc, ev->link->name);

            if (rp) {
                rp->verify = true;
            }
        }
        rc->event_pass_at = MIN(rc->event_pass_at,
                                time_msec() + EVENT_DELAY_MSEC);
    }
}

/* ---------------------------------------------------------------------
 * Kernel view.
 */

static int
kv_load(struct reconciler *rc, struct kview *kv)
{
    char *msg = NULL;
    int error;

    memset(kv, 0, sizeof *kv);
    shash_init(&kv->by_name);
    error = netlink_link_dump(rc->hns, &kv->links, &kv->n, &msg);
    if (error) {
        VLOG_WARN_RL(&rl, "cannot read the kernel's links: %s",
                     msg ? msg : vs_strerror(error));
        free(msg);
        kv->links = NULL;
        kv->n = 0;
        return error;
    }
    for (size_t i = 0; i < kv->n; i++) {
        shash_replace(&kv->by_name, kv->links[i].name, &kv->links[i]);
    }
    return 0;
}

static void
kv_destroy(struct kview *kv)
{
    shash_destroy(&kv->by_name);
    free(kv->links);
    for (size_t i = 0; i < kv->n_extra; i++) {
        free(kv->extra[i]);
    }
    free(kv->extra);
}

static const struct netlink_link *
kv_find(const struct kview *kv, const char *name)
{
    return shash_find_data(&kv->by_name, name);
}

static const struct netlink_link *
kv_find_by_index(const struct kview *kv, int ifindex)
{
    const struct netlink_link *l = netlink_link_find(kv->links, kv->n,
                                                     ifindex);

    if (l && kv_find(kv, l->name) == l) {
        return l;
    }
    for (size_t i = 0; i < kv->n_extra; i++) {
        if (kv->extra[i]->ifindex == ifindex
            && kv_find(kv, kv->extra[i]->name) == kv->extra[i]) {
            return kv->extra[i];
        }
    }
    return NULL;
}

static void
kv_forget(struct kview *kv, const char *name)
{
    shash_find_and_delete(&kv->by_name, name);
}

/* Re-reads link NAME (one request) after the pass changed it. */
static const struct netlink_link *
kv_refresh(struct reconciler *rc, struct kview *kv, const char *name)
{
    struct netlink_link *l = xmalloc(sizeof *l);

    if (netlink_link_get(rc->hns, name, l, NULL)) {
        free(l);
        kv_forget(kv, name);
        return NULL;
    }
    if (kv->n_extra >= kv->allocated_extra) {
        kv->allocated_extra = kv->allocated_extra
                              ? 2 * kv->allocated_extra : 8;
        kv->extra = xrealloc(kv->extra,
                             kv->allocated_extra * sizeof *kv->extra);
    }
    kv->extra[kv->n_extra++] = l;
    shash_replace(&kv->by_name, name, l);
    return l;
}

static int
kv_ifindex(const struct kview *kv, const char *name)
{
    const struct netlink_link *l = kv_find(kv, name);

    return l ? l->ifindex : 0;
}

/* ---------------------------------------------------------------------
 * Helpers for a pass.
 */

static void
pass_note_error(struct pass *p, const char *what, int error, char *msg)
{
    COVERAGE_INC(reconcile_kernel_error);
    VLOG_WARN_RL(&rl, "%s: %s", what, msg ? msg : vs_strerror(error));
    (void) p;
}

static void
port_set_error(struct rc_port *rp, char *msg, bool transient)
{
    if (msg && (!rp->logged_error || strcmp(rp->logged_error, msg))) {
        VLOG_WARN_RL(&rl, "interface %s: %s", rp->name, msg);
        free(rp->logged_error);
        rp->logged_error = xstrdup(msg);
    }
    free(rp->error);
    rp->error = msg;
    rp->transient = transient;
}

/* Deletes owned device NAME, if the view has it. */
static void
delete_owned(struct pass *p, const char *name, const char *why)
{
    const struct netlink_link *l = kv_find(&p->kv, name);
    char *msg = NULL;
    int error;

    if (!l || !is_owned(l)) {
        return;
    }
    error = netlink_link_del(p->rc->hns, name, &msg);
    if (error && error != ENODEV) {
        pass_note_error(p, name, error, msg);
    } else {
        VLOG_INFO("deleted device %s (%s)", name, why);
        COVERAGE_INC(reconcile_port_deleted);
        p->changes++;
    }
    free(msg);
    /* A veth pair goes as a whole: forget the peer if it was here. */
    if (l->link && l->link_netnsid < 0) {
        const struct netlink_link *peer = kv_find_by_index(&p->kv, l->link);

        if (peer) {
            kv_forget(&p->kv, peer->name);
        }
    }
    kv_forget(&p->kv, name);
}

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
        VLOG_WARN_RL(&rl, "cannot read bridge VLANs: %s", msg);
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

/* Makes sure bridge NAME exists (owned, with ALIAS), is up and has OPTS.
 * Handles a kernel without VLAN filtering.  Returns 0 or an errno with a
 * message in *ERRP. */
static int
sync_bridge_device(struct pass *p, const char *name, const char *alias,
                   struct netlink_bridge_options *opts, char **errp)
{
    struct reconciler *rc = p->rc;
    const struct netlink_link *l = kv_find(&p->kv, name);
    int error;

    if (l && (strcmp(l->kind, "bridge") || !is_owned(l))) {
        *errp = xasprintf("device %s exists and is not a bridge managed by "
                          "vswitch-lite", name);
        return EEXIST;
    }
    if (!l) {
        struct netlink_link_attrs attrs;

        /* A new bridge does not filter VLANs; saying so explicitly fails
         * on kernels without VLAN filtering. */
        if (opts->vlan_filtering == 0) {
            opts->vlan_filtering = -1;
        }
        netlink_link_attrs_init(&attrs);
        attrs.up = 1;
        attrs.alias = alias;
        error = netlink_bridge_add(rc->hns, name, opts, &attrs, false, errp);
        if (error == EOPNOTSUPP && opts->vlan_filtering == 1) {
            free(*errp);
            *errp = NULL;
            rc->vlan_filtering = 0;
            VLOG_WARN("kernel lacks bridge VLAN filtering: using per-VLAN "
                      "bridges for access ports; trunk ports will fail");
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

    /* Exists: change only what differs. */
    struct netlink_bridge_options cur, delta;
    struct netlink_link_attrs attrs;

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
    bool any = false;
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
        free(*errp);
        *errp = NULL;
        rc->vlan_filtering = 0;
        VLOG_WARN("kernel lacks bridge VLAN filtering: using per-VLAN "
                  "bridges for access ports; trunk ports will fail");
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

static void
reconcile_bridge(struct pass *p, const struct vsd_bridge *br)
{
    struct reconciler *rc = p->rc;
    struct rc_bridge *rb = bridge_get(rc, br->name);
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

/* Makes port device DEV (enslaved to MASTER) right: master, up, MTU,
 * isolation, VLANs.  If JUST_CREATED, DEV was created by this pass with
 * master, up and MTU already set.  Returns 0 or an errno with *ERRP. */
static int
sync_port_device(struct pass *p, struct rc_port *rp,
                 const struct vsd_iface *i, const char *dev,
                 const char *master, bool just_created, char **errp)
{
    struct reconciler *rc = p->rc;
    struct rc_bridge *rb = bridge_find(rc, i->br->name);
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
        int ifindex = just_created ? 0 : kv_ifindex(&p->kv, dev);
        const struct kvlans *k = ifindex ? pass_find_vlans(p, ifindex)
                                         : NULL;

        if (!vlans_match(k, i)) {
            const uint16_t *tagged;
            uint16_t pvid;
            size_t n_tagged;

            desired_vlans(i, &pvid, &tagged, &n_tagged);
            error = netlink_bridge_vlan_set(rc->hns, dev, pvid, tagged,
                                            n_tagged, errp);
            if (error) {
                return error;
            }
            p->changes++;
        }
    }
    return 0;
}

/* Checks and fixes the container side of veth I: peer up, MTU, addresses,
 * default routes.  Returns 0, or ENODEV if the peer is missing, or another
 * errno, with *ERRP. */
static int
sync_container(struct pass *p, const struct vsd_iface *i,
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

/* Sets ATTRS for creating the bridge end of I's device: enslaved to
 * MASTER, up, with I's MTU and alias. */
static void
port_attrs_init(struct netlink_link_attrs *attrs, const struct vsd_iface *i,
                const char *master)
{
    netlink_link_attrs_init(attrs);
    attrs->master = master;
    attrs->up = 1;
    attrs->mtu = i->mtu;
    attrs->alias = i->alias;
}

/* Sets ATTRS for creating the far end of I's veth pair: up, with I's MTU,
 * MAC and alias. */
static void
peer_attrs_init(struct netlink_link_attrs *attrs, const struct vsd_iface *i)
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
        delete_owned(p, i->name, "configuration changed");
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

/* Creates veth I: host end enslaved to MASTER, peer in its namespace with
 * its addresses and routes.  On failure, leaves nothing behind. */
static int
create_veth(struct pass *p, const struct vsd_iface *i, const char *master,
            struct netlink_ns *cns, char **errp)
{
    struct reconciler *rc = p->rc;
    struct netlink_link_attrs attrs, pattrs;
    int error;

    port_attrs_init(&attrs, i, master);
    peer_attrs_init(&pattrs, i);
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
            error = sync_container(p, i, cns, &msg);
            if (error == ENODEV || error == EEXIST) {
                VLOG_WARN("port %s: %s; recreating it", i->name, msg);
                free(msg);
                msg = NULL;
                delete_owned(p, i->name, "peer missing");
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
        error = create_veth(p, i, master, cns, &msg);
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
        port_attrs_init(&attrs, i, master);
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
        delete_owned(p, i->name, "configuration changed");
        delete_owned(p, i->bport, "configuration changed");
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
        port_attrs_init(&attrs, i, master);
        peer_attrs_init(&pattrs, i);
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
    struct rc_bridge *rb = bridge_find(rc, i->br->name);
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
    if (!error && rb && rb->filtering && i->tag) {
        const struct kvlans *k = pass_find_vlans(p, l->ifindex);

        if (!vlans_match(k, i)) {
            const uint16_t *tagged;
            uint16_t pvid;
            size_t n_tagged;

            desired_vlans(i, &pvid, &tagged, &n_tagged);
            error = netlink_bridge_vlan_set(rc->hns, i->name, pvid, tagged,
                                            n_tagged, &msg);
            p->changes++;
        }
    } else if (!error && rb && rb->fallback && (i->tag || i->n_trunks)) {
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

static void
reconcile_iface(struct pass *p, const struct vsd_iface *i)
{
    struct reconciler *rc = p->rc;
    struct rc_port *rp = port_get(rc, i->name);
    struct rc_bridge *rb = bridge_find(rc, i->br->name);
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
        if (i->n_trunks) {
            port_set_error(rp, xasprintf("kernel lacks bridge VLAN "
                                         "filtering: port %s cannot trunk "
                                         "VLANs", i->port_name), false);
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

/* Deletes owned devices that the pass did not claim. */
static void
pass_collect_garbage(struct pass *p)
{
    for (size_t k = 0; k < p->kv.n; k++) {
        const struct netlink_link *l = &p->kv.links[k];

        if (kv_find(&p->kv, l->name) == l && is_owned(l)
            && !shash_find(&p->expected, l->name)) {
            bool is_bridge = !strcmp(l->kind, "bridge");

            delete_owned(p, l->name, "no longer in the database");
            if (is_bridge) {
                COVERAGE_INC(reconcile_bridge_deleted);
            }
        }
    }
}

/* Drops runtime state of ports and bridges that left the configuration,
 * releasing system devices vswitchd enslaved. */
static void
pass_sweep(struct pass *p)
{
    struct reconciler *rc = p->rc;
    struct rc_port *rp;
    struct rc_bridge *rb;

    HMAP_FOR_EACH_SAFE (rp, node, &rc->ports) {
        if (rp->seen) {
            continue;
        }
        if (rp->enslaved) {
            const struct netlink_link *l = kv_find(&p->kv, rp->name);
            int master = kv_ifindex(&p->kv, rp->enslaved);

            if (l && master && l->master == master) {
                char *msg = NULL;

                if (netlink_link_set_master(rc->hns, rp->name, "", &msg)) {
                    pass_note_error(p, rp->name, 0, msg);
                } else {
                    VLOG_INFO("released system device %s from %s",
                              rp->name, rp->enslaved);
                    p->changes++;
                }
                free(msg);
            }
        }
        port_destroy(rc, rp);
    }
    HMAP_FOR_EACH_SAFE (rb, node, &rc->bridges) {
        if (!rb->seen) {
            bridge_destroy(rc, rb);
        }
    }
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

/* Refreshes every status from KV.  Returns true if any changed. */
static bool
update_statuses(struct reconciler *rc, const struct kview *kv)
{
    bool changed = false;
    struct rc_bridge *rb;

    if (!rc->config) {
        return false;
    }
    const struct vsd_iface *i;
    HMAP_FOR_EACH (i, node, &rc->config->ifaces) {
        struct rc_port *rp = port_find(rc, i->name);

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

static void
pass_run(struct reconciler *rc, bool full)
{
    long long int start = time_msec();
    struct vsd_config *c = rc->config;
    const struct vsd_bridge *br;
    const struct vsd_iface *i;
    struct rc_port *rp;
    struct rc_bridge *rb;
    struct kvlans *kvl;
    struct pass p;
    size_t n_errors = 0;
    bool transient = false;

    COVERAGE_INC(reconcile_pass);
    if (full) {
        COVERAGE_INC(reconcile_full);
    }
    memset(&p, 0, sizeof p);
    p.rc = rc;
    p.full = full;
    shash_init(&p.expected);
    shash_init(&p.vb_errors);
    hmap_init(&p.vlans);
    rc->last_pass_wall = time_wall_msec();

    if (kv_load(rc, &p.kv)) {
        kv_destroy(&p.kv);
        shash_destroy(&p.expected);
        shash_destroy(&p.vb_errors);
        hmap_destroy(&p.vlans);
        rc->retry_at = time_msec() + MIN_RETRY_MSEC;
        return;
    }

    HMAP_FOR_EACH (rp, node, &rc->ports) {
        rp->seen = false;
    }
    HMAP_FOR_EACH (rb, node, &rc->bridges) {
        rb->seen = false;
    }

    HMAP_FOR_EACH (br, node, &c->bridges) {
        reconcile_bridge(&p, br);
    }
    HMAP_FOR_EACH (i, node, &c->ifaces) {
        reconcile_iface(&p, i);
    }
    pass_collect_garbage(&p);
    pass_sweep(&p);

    /* Status. */
    if (p.changes) {
        kv_destroy(&p.kv);
        if (kv_load(rc, &p.kv)) {
            memset(&p.kv, 0, sizeof p.kv);
            shash_init(&p.kv.by_name);
        }
    }
    HMAP_FOR_EACH (rp, node, &rc->ports) {
        if (rp->error) {
            n_errors++;
            transient |= rp->transient;
        }
    }
    if (update_statuses(rc, &p.kv) || rc->applied_cfg != c->cfg) {
        rc->status_seqno++;
    }
    rc->applied_cfg = c->cfg;

    rc->churning = transient && p.changes > 0;
    if (transient) {
        rc->retry_backoff = (rc->retry_backoff
                             ? MIN(rc->retry_backoff * 2, MAX_RETRY_MSEC)
                             : MIN_RETRY_MSEC);
        rc->retry_at = time_msec() + rc->retry_backoff;
    } else {
        rc->retry_backoff = 0;
        rc->retry_at = LLONG_MAX;
    }

    rc->n_passes++;
    rc->n_full_passes += full;
    rc->n_changes += p.changes;
    rc->last_pass_changes = p.changes;
    rc->last_pass_msec = time_msec() - start;
    rc->last_n_errors = n_errors;
    if (p.changes || full) {
        VLOG_INFO("reconciled%s: %d change%s, %zu interface%s with errors, "
                  "%lld ms", full ? " (full)" : "", p.changes,
                  p.changes == 1 ? "" : "s", n_errors,
                  n_errors == 1 ? "" : "s", rc->last_pass_msec);
    }

    kv_destroy(&p.kv);
    shash_destroy(&p.expected);
    shash_destroy_free_data(&p.vb_errors);
    HMAP_FOR_EACH_POP (kvl, node, &p.vlans) {
        free(kvl->tagged);
        free(kvl);
    }
    hmap_destroy(&p.vlans);
}

static void
refresh_stats(struct reconciler *rc)
{
    struct kview kv;

    COVERAGE_INC(reconcile_stats_refresh);
    if (!kv_load(rc, &kv) && update_statuses(rc, &kv)) {
        rc->status_seqno++;
    }
    kv_destroy(&kv);
}

void
reconciler_run(struct reconciler *rc)
{
    long long int now;

    /* Drain the monitor (bounded). */
    for (int k = 0; k < 64; k++) {
        struct netlink_monitor_stats before, after;

        netlink_monitor_get_stats(rc->mon, &before);
        netlink_monitor_run(rc->mon);
        netlink_monitor_get_stats(rc->mon, &after);
        if (after.n_events == before.n_events
            && after.n_resyncs == before.n_resyncs) {
            break;
        }
    }
    if (!rc->config) {
        return;
    }

    now = time_msec();
    if (rc->churning && rc->event_pass_at != LLONG_MAX
        && rc->retry_at != LLONG_MAX) {
        rc->event_pass_at = MAX(rc->event_pass_at, rc->retry_at);
    }
    if (now >= rc->event_pass_at || now >= rc->retry_at) {
        rc->need_pass = true;
    }
    if (rc->need_pass) {
        bool full = rc->need_full;

        rc->need_pass = rc->need_full = false;
        rc->event_pass_at = LLONG_MAX;
        pass_run(rc, full);
        rc->next_stats = time_msec() + rc->stats_interval;
    } else if (now >= rc->next_stats && hmap_count(&rc->config->ifaces)) {
        refresh_stats(rc);
        rc->next_stats = time_msec() + rc->stats_interval;
    }
}

void
reconciler_wait(struct reconciler *rc)
{
    netlink_monitor_wait(rc->mon);
    if (!rc->config) {
        return;
    }
    if (rc->need_pass) {
        poll_immediate_wake();
    }
    if (rc->event_pass_at != LLONG_MAX) {
        poll_timer_wait_until(rc->event_pass_at);
    }
    if (rc->retry_at != LLONG_MAX) {
        poll_timer_wait_until(rc->retry_at);
    }
    if (rc->next_stats != LLONG_MAX && hmap_count(&rc->config->ifaces)) {
        /* Statistics only matter when there are interfaces: an empty
         * vswitchd never wakes up. */
        poll_timer_wait_until(rc->next_stats);
    }
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
    if (i->tag) {
        ds_put_format(out, ", VLAN %d", i->tag);
    }
    if (i->n_trunks) {
        ds_put_cstr(out, ", trunks ");
        for (size_t k = 0; k < i->n_trunks; k++) {
            ds_put_format(out, "%s%u", k ? "," : "", i->trunks[k]);
        }
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
    rb = bridge_find(rc, name);
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
        const struct rc_port *rp = port_find(rc, ifaces[k]->name);
        char *master = NULL;

        i = ifaces[k];
        if (rb && rb->fallback && i->tag) {
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
    rb = bridge_find(rc, name);
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
