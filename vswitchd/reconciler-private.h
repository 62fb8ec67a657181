/* Internal to the reconciler (vswitchd/reconciler*.c): what its files
 * share.  Not for other code, which includes reconciler.h.
 *
 * The reconciler is split by responsibility:
 *
 *   reconciler.c            life cycle, configuration, scheduling (link
 *                           and bridge VLAN events, retries, statistics
 *                           timer) and
 *                           the pass: its order, the removal of what the
 *                           desired state no longer names, the sweep;
 *   reconciler-kview.c      the kernel's links as a pass sees them;
 *   reconciler-bridge.c     bridges, including per-VLAN bridges;
 *   reconciler-port.c       ports and interfaces, by kind;
 *   reconciler-container.c  the container side of veth ports: the peer,
 *                           its addresses and default routes;
 *   reconciler-vlan.c       the VLANs of ports on VLAN-filtering bridges;
 *   reconciler-status.c     interface and bridge status, and the reports
 *                           (bridge/show, fdb/show, vswitchd/status).
 *
 * State lives in struct reconciler (one per reconciler) and struct pass
 * (one per pass); the files keep none of their own.  All of them log as
 * the vlog module "reconciler", with one rate limit, which reconciler.c
 * defines. */
#ifndef VSWITCHD_RECONCILER_PRIVATE_H
#define VSWITCHD_RECONCILER_PRIVATE_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "desired.h"
#include "hmap.h"
#include "netlink.h"
#include "reconciler.h"
#include "shash.h"
#include "util.h"

struct vlog_module;
struct vlog_rate_limit;

extern struct vlog_module VLM_reconciler;

/* For warnings about the kernel and interfaces. */
extern struct vlog_rate_limit rc_rl;

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

struct pass {
    struct reconciler *rc;
    struct kview kv;
    struct shash expected;      /* Owned device names to keep. */
    struct shash vb_errors;     /* Per-VLAN bridge name -> error. */
    struct hmap vlans;          /* reconciler-vlan.c's, if 'vlans_loaded'. */
    bool vlans_loaded;
    bool full;
    int changes;
};

/* Whether vswitchd owns link L (its alias carries VSD_ALIAS_PREFIX). */
static inline bool
is_owned(const struct netlink_link *l)
{
    return str_starts_with(l->alias, VSD_ALIAS_PREFIX);
}

/* ---------------------------------------------------------------------
 * Passes (reconciler.c).
 */

/* Logs (rate-limited) and counts a kernel error about WHAT: MSG, or
 * ERROR's text if MSG is null.  Does not take MSG. */
void pass_note_error(struct pass *, const char *what, int error, char *msg);

/* Deletes owned device NAME, if the view has it, giving WHY in the log,
 * and forgets it (and its veth peer) in the view. */
void pass_delete_owned(struct pass *, const char *name, const char *why);

/* ---------------------------------------------------------------------
 * Kernel view (reconciler-kview.c).
 */

/* Dumps the links of RC's namespace into a new *KV.  On failure, logs,
 * leaves *KV empty (but to be destroyed) and returns a positive errno. */
int kv_load(struct reconciler *rc, struct kview *kv);
void kv_destroy(struct kview *kv);

/* The link named NAME, or with IFINDEX, or NULL. */
const struct netlink_link *kv_find(const struct kview *kv, const char *name);
const struct netlink_link *kv_find_by_index(const struct kview *kv,
                                            int ifindex);

/* Forgets link NAME (it was deleted). */
void kv_forget(struct kview *kv, const char *name);

/* Re-reads link NAME (one request) after the pass changed it.  Returns it,
 * or NULL (and forgets it) if it is gone. */
const struct netlink_link *kv_refresh(struct reconciler *rc,
                                      struct kview *kv, const char *name);

/* The ifindex of link NAME, or 0. */
int kv_ifindex(const struct kview *kv, const char *name);

/* ---------------------------------------------------------------------
 * Bridges (reconciler-bridge.c).
 */

/* RC's state for bridge NAME: NULL if none; rc_bridge_get() creates it. */
struct rc_bridge *rc_bridge_find(const struct reconciler *rc,
                                 const char *name);
struct rc_bridge *rc_bridge_get(struct reconciler *rc, const char *name);
void rc_bridge_destroy(struct reconciler *rc, struct rc_bridge *rb);

/* Makes the kernel's bridge BR, and its per-VLAN bridges if the kernel
 * lacks VLAN filtering, match BR, recording any error in BR's state. */
void reconcile_bridge(struct pass *p, const struct vsd_bridge *br);

/* ---------------------------------------------------------------------
 * Ports and interfaces (reconciler-port.c).
 */

/* RC's state for interface NAME: NULL if none; rc_port_get() creates it. */
struct rc_port *rc_port_find(const struct reconciler *rc, const char *name);
struct rc_port *rc_port_get(struct reconciler *rc, const char *name);
void rc_port_destroy(struct reconciler *rc, struct rc_port *rp);

/* Sets ATTRS for creating the bridge end of I's device: enslaved to
 * MASTER, up, with I's MTU and alias. */
void rc_port_attrs_init(struct netlink_link_attrs *attrs,
                        const struct vsd_iface *i, const char *master);

/* Sets ATTRS for creating the far end of I's veth pair: up, with I's MTU,
 * MAC and alias. */
void rc_peer_attrs_init(struct netlink_link_attrs *attrs,
                        const struct vsd_iface *i);

/* Makes the kernel's devices for interface I match I (after its bridge
 * has been reconciled), recording the outcome in I's state. */
void reconcile_iface(struct pass *p, const struct vsd_iface *i);

/* ---------------------------------------------------------------------
 * The container side of veth ports (reconciler-container.c).
 */

/* Creates veth I: host end enslaved to MASTER, peer in its namespace CNS
 * with its addresses and routes.  On failure, leaves nothing behind.
 * Returns 0 or a positive errno, with a message in *ERRP. */
int pass_create_veth(struct pass *p, const struct vsd_iface *i,
                     const char *master, struct netlink_ns *cns,
                     char **errp);

/* Checks and fixes the container side of veth I: peer up, MTU, addresses,
 * default routes.  Returns 0, or ENODEV if the peer is missing, EEXIST if
 * the device of its name is not its peer, or another errno, with *ERRP. */
int pass_sync_container(struct pass *p, const struct vsd_iface *i,
                        struct netlink_ns *cns, char **errp);

/* ---------------------------------------------------------------------
 * VLANs (reconciler-vlan.c).
 */

/* Whether the VLANs that the kernel gives port IFINDEX (0: not known, as
 * for a device just created) are the ones interface I wants.  The first
 * call in a pass dumps every port's VLANs. */
bool pass_vlans_match(struct pass *p, int ifindex, const struct vsd_iface *i);

/* Gives port DEV the VLANs interface I wants.  Returns 0 or a positive
 * errno, with a message in *ERRP. */
int pass_set_vlans(struct pass *p, const char *dev, const struct vsd_iface *i,
                   char **errp);

/* Frees what pass_vlans_match() loaded. */
void pass_destroy_vlans(struct pass *p);

/* ---------------------------------------------------------------------
 * Status (reconciler-status.c).
 */

/* Refreshes every interface's and bridge's status from KV.  Returns true
 * if any changed. */
bool update_statuses(struct reconciler *rc, const struct kview *kv);

#endif /* reconciler-private.h */
