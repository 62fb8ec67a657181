/* Kernel link, address and bridge VLAN events of one network namespace,
 * delivered through the reactor.
 *
 * A monitor opens its own rtnetlink socket inside the namespace of a
 * netlink_ns handle, subscribes to RTNLGRP_LINK (and, if asked, the IPv4
 * and IPv6 address groups and RTNLGRP_BRVLAN), and keeps a table of the
 * links and addresses it knows.  netlink_monitor_run() reads the pending
 * notifications without blocking and calls the callback once per real
 * link or address change:
 *
 *   ADD      a link or address appeared,
 *   CHANGE   a link's name, flags, operstate, MTU, MAC, master, alias,
 *            ... or an address's flags or scope changed (statistics alone
 *            are not a change; repeated identical notifications are
 *            dropped),
 *   DELETE   it went away (for a link, also when it moved to another
 *            namespace).
 *
 * and once per range of bridge VLANs in a notification (the kernel's
 * RTM_NEWVLAN and RTM_DELVLAN, which it sends for changes through either
 * of its VLAN interfaces; the monitor keeps no table of VLANs):
 *
 *   ADD      VLANs were added to a bridge port, or their flags changed,
 *   DELETE   VLANs were removed.
 *
 * Overflow: if the kernel drops notifications because the socket's
 * receive buffer is full (ENOBUFS), the monitor logs it, discards what is
 * queued, dumps the current links and addresses and synthesizes the ADD,
 * CHANGE and DELETE events that bring the caller from the state it last saw
 * to the current one (with 'resync' set), so no change is silently lost.
 * VLANs, which it does not track, get one CHANGE event with 'resync' set
 * and ifindex 0: any port's VLANs may have changed.
 *
 * Usage in a main loop:
 *
 *   netlink_monitor_run(mon);   (callbacks happen here)
 *   ...
 *   netlink_monitor_wait(mon);
 *   poll_block();
 */
#ifndef NETLINK_MONITOR_H
#define NETLINK_MONITOR_H 1

#include <stdbool.h>
#include <stddef.h>
#include "netlink.h"

enum netlink_event_type {
    NETLINK_EVENT_ADD,
    NETLINK_EVENT_CHANGE,
    NETLINK_EVENT_DELETE
};

/* Returns "add", "change" or "delete". */
const char *netlink_event_type_to_string(enum netlink_event_type);

struct netlink_event {
    enum netlink_event_type type;
    bool resync;                /* Synthesized by a resynchronization. */

    /* Link event: 'link' is the new state (for DELETE, the last one known),
     * 'old_link' the previous state for CHANGE (else NULL).  NULL for
     * other events.  Exactly one of 'link', 'addr' and 'vlans' is
     * nonnull. */
    const struct netlink_link *link;
    const struct netlink_link *old_link;

    /* Address event ('ifname' filled in if the monitor knows the link),
     * else NULL. */
    const struct netlink_addr *addr;

    /* Bridge VLAN event ('port' filled in if the monitor knows the link;
     * for the bridge's own VLANs, the bridge), else NULL. */
    const struct netlink_vlan_range *vlans;
};

/* Callback: the pointers in EVENT are valid only during the call.  It may
 * issue netlink requests (netlink.h) but must not destroy or run the
 * monitor. */
typedef void netlink_monitor_cb(const struct netlink_event *event,
                                void *aux);

/* Flags for netlink_monitor_create(). */
#define NETLINK_MONITOR_LINKS  (1u << 0) /* Link events. */
#define NETLINK_MONITOR_ADDRS  (1u << 1) /* IPv4 and IPv6 address events. */
#define NETLINK_MONITOR_REPLAY (1u << 2) /* First run reports what exists
                                          * at creation as ADD events. */
#define NETLINK_MONITOR_VLANS  (1u << 3) /* Bridge VLAN events (kernels
                                          * since 5.9; older ones, without
                                          * RTNLGRP_BRVLAN, send none). */

struct netlink_monitor;

/* Creates a monitor of the namespace of NS (which it references) for the
 * events selected by FLAGS, calling CB(event, AUX) from
 * netlink_monitor_run().  Subscribes first, then dumps the current links
 * and addresses into its table, so nothing that happens after this call
 * is missed.  Stores the monitor in *MONP (NULL on failure). */
int netlink_monitor_create(struct netlink_ns *ns, unsigned int flags,
                           netlink_monitor_cb *cb, void *aux,
                           struct netlink_monitor **monp, char **errp);

/* Closes the socket (telling the reactor first) and frees MON.
 * netlink_monitor_destroy(NULL) is a no-op. */
void netlink_monitor_destroy(struct netlink_monitor *mon);

/* Processes pending notifications (a bounded number per call) and, after
 * an overflow, resynchronizes.  Never blocks on the kernel, except for the
 * resynchronization dumps. */
void netlink_monitor_run(struct netlink_monitor *mon);

/* Makes the next poll_block() wake when netlink_monitor_run() has work. */
void netlink_monitor_wait(struct netlink_monitor *mon);

/* Sets the socket's receive buffer to BYTES (the kernel may round it).
 * The default is 1 MB.  Small values make overflows easy to provoke in
 * tests.  Returns 0 or a positive errno. */
int netlink_monitor_set_rcvbuf(struct netlink_monitor *mon, int bytes);

/* The monitor's current view: a link by name or ifindex, or NULL. */
const struct netlink_link *netlink_monitor_find_link(
    const struct netlink_monitor *mon, const char *name);
const struct netlink_link *netlink_monitor_find_link_by_index(
    const struct netlink_monitor *mon, int ifindex);

struct netlink_monitor_stats {
    unsigned long long int n_events;    /* Callbacks made. */
    unsigned long long int n_overflows; /* ENOBUFS seen. */
    unsigned long long int n_resyncs;   /* Resynchronizations done. */
    size_t n_links;                     /* Links in the table. */
    size_t n_addrs;                     /* Addresses in the table. */
};

void netlink_monitor_get_stats(const struct netlink_monitor *mon,
                               struct netlink_monitor_stats *stats);

#endif /* netlink-monitor.h */
