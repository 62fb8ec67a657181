/* The reconciler: makes the kernel's bridges and ports match a desired
 * state (desired.h), keeps them matched, and reports their status.
 *
 * Each reconciliation "pass" does, in the namespace vswitchd runs in (the
 * "host" namespace):
 *
 *   1. one link dump (and, if a bridge filters VLANs, one VLAN dump): the
 *      kernel's actual state;
 *   2. a diff of every desired bridge and interface against it, applying
 *      only the differences through lib/netlink (nothing is executed);
 *      container namespaces are entered only for interfaces that are new,
 *      changed, or being verified (start-up, "bridge/reconcile"), with one
 *      look at the peer, its addresses and routes per namespace;
 *   3. removal of devices vswitchd owns (IFLA_IFALIAS "vswitch-lite:...")
 *      that the desired state no longer names;
 *   4. if anything changed, one more link dump for the status.
 *
 * A device that already exists with the right owner alias and settings is
 * adopted without being touched, so traffic keeps flowing across a
 * vswitchd restart.  Devices vswitchd does not own are never deleted or
 * changed, except system ports the database names (enslaved, brought up,
 * MTU).
 *
 * Passes run when the desired state changes, when the link monitor reports
 * a change to a device that matters (an owned device changed or vanished,
 * a missing system device appeared), when a failed interface is due for a
 * retry, and on request.  Interface statistics are refreshed every few
 * seconds with one dump.
 *
 * VLANs: Port.tag and Port.trunks use the bridge's VLAN filtering.  If the
 * kernel lacks it (EOPNOTSUPP, no CONFIG_BRIDGE_VLAN_FILTERING), access
 * ports of VLAN N go instead onto a per-VLAN bridge that vswitchd owns,
 * vsd_vlan_bridge_name(BR, N), which isolates the VLANs from one another;
 * trunk ports then fail with "kernel lacks bridge VLAN filtering".
 *
 * The implementation is split by responsibility over reconciler.c and
 * reconciler-*.c; reconciler-private.h says what each file holds. */
#ifndef VSWITCHD_RECONCILER_H
#define VSWITCHD_RECONCILER_H 1

#include <stdbool.h>
#include <stdint.h>
#include "netlink.h"

struct ds;
struct vsd_config;
struct reconciler;

/* Creates a reconciler for the current network namespace.  It does nothing
 * to the kernel until the first reconciler_set_config().  Returns 0 or a
 * positive errno (with a message in *ERRP, which the caller frees). */
int reconciler_create(struct reconciler **, char **errp);
void reconciler_destroy(struct reconciler *);

/* Replaces the desired state by CONFIG (taking ownership).  The next
 * reconciler_run() reconciles.  The first config given also triggers a
 * full verification (every container namespace is looked at). */
void reconciler_set_config(struct reconciler *, struct vsd_config *config);
const struct vsd_config *reconciler_get_config(const struct reconciler *);

/* Requests a full pass that also verifies every container namespace. */
void reconciler_force_full(struct reconciler *);

/* Sets how often statistics are refreshed, in ms (default 5000; at least
 * 1000). */
void reconciler_set_stats_interval(struct reconciler *, int msec);

void reconciler_run(struct reconciler *);
void reconciler_wait(struct reconciler *);

/* The 'cfg' of the last desired state that a pass has fully applied (each
 * interface realized or its error recorded), or -1. */
int64_t reconciler_get_applied_cfg(const struct reconciler *);

/* Changes whenever some status below changes. */
uint64_t reconciler_get_status_seqno(const struct reconciler *);

struct rc_iface_status {
    const char *error;          /* NULL if none. */
    bool present;               /* The host-side device exists. */
    int ifindex;
    char mac[18];               /* "" if unknown. */
    unsigned int mtu;           /* 0 if unknown. */
    bool link_up;               /* Operational state up. */
    bool admin_up;              /* IFF_UP. */
    struct netlink_link_stats stats;
};

/* Status of interface NAME, or NULL if the reconciler has none (not in
 * the desired state, or no pass yet). */
const struct rc_iface_status *reconciler_get_iface_status(
    const struct reconciler *, const char *name);

struct rc_bridge_status {
    const char *error;          /* NULL if none. */
    const char *vlan_mode;      /* "none", "filtering", "per-vlan-bridges"
                                 * (see the top of this file). */
    bool present;
    int ifindex;
};
const struct rc_bridge_status *reconciler_get_bridge_status(
    const struct reconciler *, const char *name);

/* For "bridge/show BR": desired and kernel state, port by port.  Returns
 * false if BR is not a desired bridge. */
bool reconciler_show_bridge(struct reconciler *, const char *br,
                            struct ds *out);
/* For "fdb/show BR". */
bool reconciler_show_fdb(struct reconciler *, const char *br,
                         struct ds *out);
/* For "vswitchd/status": reconciliation statistics. */
void reconciler_show_status(const struct reconciler *, struct ds *out);

/* Kernel VLAN filtering: 1 supported, 0 not, -1 not known yet. */
int reconciler_vlan_filtering_supported(const struct reconciler *);

#endif /* reconciler.h */
