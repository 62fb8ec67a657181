/* The reconciler (see reconciler.h, and reconciler-private.h for how it is
 * split): its life cycle and configuration, the scheduling of passes (on
 * a new desired state, on link and bridge VLAN events that matter, on
 * retries of failed interfaces, on request) and of statistics refreshes,
 * and the pass itself, which calls on the other files in order: bridges,
 * interfaces, removal of owned devices nobody wants, the sweep of stale
 * state, then status. */
#include <config.h>

#include "reconciler.h"
#include "reconciler-private.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "coverage.h"
#include "desired.h"
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
COVERAGE_DEFINE(reconcile_bridge_deleted);
COVERAGE_DEFINE(reconcile_port_deleted);
COVERAGE_DEFINE(reconcile_kernel_error);
COVERAGE_DEFINE(reconcile_stats_refresh);

struct vlog_rate_limit rc_rl = VLOG_RATE_LIMIT_INIT(30, 60);

#define EVENT_DELAY_MSEC 20
#define MIN_RETRY_MSEC 1000
#define MAX_RETRY_MSEC 30000

static void monitor_cb(const struct netlink_event *, void *rc_);

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
    error = netlink_monitor_create(rc->hns, (NETLINK_MONITOR_LINKS
                                             | NETLINK_MONITOR_VLANS),
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
        rc_port_destroy(rc, rp);
    }
    HMAP_FOR_EACH_SAFE (rb, node, &rc->bridges) {
        rc_bridge_destroy(rc, rb);
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

int
reconciler_vlan_filtering_supported(const struct reconciler *rc)
{
    return rc->vlan_filtering;
}

/* ---------------------------------------------------------------------
 * Link monitor.
 */

static bool
link_matters(const struct reconciler *rc, const struct netlink_link *l)
{
    return (is_owned(l)
            || rc_port_find(rc, l->name)
            || (rc->config && (vsd_config_find_iface(rc->config, l->name)
                               || vsd_config_find_bridge(rc->config,
                                                         l->name))));
}

/* Schedules a pass soon, merging the events of the next few
 * milliseconds. */
static void
schedule_event_pass(struct reconciler *rc)
{
    rc->event_pass_at = MIN(rc->event_pass_at,
                            time_msec() + EVENT_DELAY_MSEC);
}

/* The VLANs of a bridge port changed: a pass puts back those of the ports
 * vswitchd manages (EV's ifindex is 0 if any port's may have). */
static void
vlan_event(struct reconciler *rc, const struct netlink_event *ev)
{
    const struct netlink_vlan_range *r = ev->vlans;
    const struct netlink_link *l;

    l = r->ifindex ? netlink_monitor_find_link_by_index(rc->mon, r->ifindex)
                   : NULL;
    if (!r->ifindex || (l && link_matters(rc, l))) {
        VLOG_DBG("VLANs %u-%u of %s: %s, reconciling", r->first, r->last,
                 l ? l->name : "every port",
                 netlink_event_type_to_string(ev->type));
        schedule_event_pass(rc);
    }
}

static void
monitor_cb(const struct netlink_event *ev, void *rc_)
{
    struct reconciler *rc = rc_;

    if (!rc->config) {
        return;
    }
    if (ev->vlans) {
        vlan_event(rc, ev);
        return;
    }
    if (!ev->link) {
        return;
    }
    if (link_matters(rc, ev->link)
        || (ev->old_link && link_matters(rc, ev->old_link))) {
        VLOG_DBG("link %s: %s, reconciling", ev->link->name,
                 netlink_event_type_to_string(ev->type));
        if (ev->type == NETLINK_EVENT_DELETE) {
            struct rc_port *rp = rc_port_find(rc, ev->link->name);

            if (rp) {
                rp->verify = true;
            }
        }
        schedule_event_pass(rc);
    }
}

/* ---------------------------------------------------------------------
 * Passes.
 */

void
pass_note_error(struct pass *p, const char *what, int error, char *msg)
{
    COVERAGE_INC(reconcile_kernel_error);
    VLOG_WARN_RL(&rc_rl, "%s: %s", what, msg ? msg : vs_strerror(error));
    (void) p;
}

void
pass_delete_owned(struct pass *p, const char *name, const char *why)
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

/* Deletes owned devices that the pass did not claim. */
static void
pass_collect_garbage(struct pass *p)
{
    for (size_t k = 0; k < p->kv.n; k++) {
        const struct netlink_link *l = &p->kv.links[k];

        if (kv_find(&p->kv, l->name) == l && is_owned(l)
            && !shash_find(&p->expected, l->name)) {
            bool is_bridge = !strcmp(l->kind, "bridge");

            pass_delete_owned(p, l->name, "no longer in the database");
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
        rc_port_destroy(rc, rp);
    }
    HMAP_FOR_EACH_SAFE (rb, node, &rc->bridges) {
        if (!rb->seen) {
            rc_bridge_destroy(rc, rb);
        }
    }
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
        pass_destroy_vlans(&p);
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
    pass_destroy_vlans(&p);
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
