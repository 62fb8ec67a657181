/* Kernel link, address and bridge VLAN events: see netlink-monitor.h. */
#include <config.h>

#include "netlink-monitor.h"

#include <errno.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <netlink/netlink.h>
#include <netlink/socket.h>

#include "coverage.h"
#include "hash.h"
#include "hmap.h"
#include "netns.h"
#include "poll-loop.h"
#include "util.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(netlink_monitor);

COVERAGE_DEFINE(netlink_monitor_event);
COVERAGE_DEFINE(netlink_monitor_overflow);
COVERAGE_DEFINE(netlink_monitor_resync);

/* Notifications read per netlink_monitor_run() call, at most. */
#define MAX_RECVS_PER_RUN 64

#define DEFAULT_RCVBUF (1024 * 1024)

struct mon_link {
    struct hmap_node hmap_node; /* In 'links', by ifindex. */
    struct netlink_link link;
};

struct mon_addr {
    struct hmap_node hmap_node; /* In 'addrs', by addr_hash(). */
    struct netlink_addr addr;
};

struct netlink_monitor {
    struct netlink_ns *ns;
    struct nl_sock *sock;
    int fd;
    unsigned int flags;
    netlink_monitor_cb *cb;
    void *aux;

    struct hmap links;
    struct hmap addrs;

    bool replay_pending;        /* Report the initial table as ADDs. */
    bool more;                  /* Stopped reading with data left. */
    bool need_resync;           /* Overflowed: drain, then resync. */
    bool resync_failed;         /* Last resync failed: retry later. */

    struct netlink_monitor_stats stats;
};

/* Notification buffer shared by all monitors (one thread; callbacks may
 * not run a monitor). */
static uint8_t rx_buf[65536];
static bool in_run;

static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);

const char *
netlink_event_type_to_string(enum netlink_event_type type)
{
    switch (type) {
    case NETLINK_EVENT_ADD: return "add";
    case NETLINK_EVENT_CHANGE: return "change";
    case NETLINK_EVENT_DELETE: return "delete";
    }
    return "?";
}

/* ---------------------------------------------------------------------
 * Tables.
 */

static struct mon_link *
find_link(const struct netlink_monitor *mon, int ifindex)
{
    struct mon_link *ml;

    HMAP_FOR_EACH_WITH_HASH (ml, hmap_node, hash_int(ifindex, 0),
                             &mon->links) {
        if (ml->link.ifindex == ifindex) {
            return ml;
        }
    }
    return NULL;
}

static uint32_t
addr_hash(const struct netlink_addr *a)
{
    uint32_t hash = hash_int(a->ifindex, a->family);

    hash = hash_add(hash, a->prefixlen);
    return hash_bytes(a->addr, sizeof a->addr, hash);
}

static bool
addr_same_key(const struct netlink_addr *a, const struct netlink_addr *b)
{
    return (a->ifindex == b->ifindex && a->family == b->family
            && a->prefixlen == b->prefixlen
            && !memcmp(a->addr, b->addr, sizeof a->addr));
}

static struct mon_addr *
find_addr(const struct netlink_monitor *mon, const struct netlink_addr *key)
{
    struct mon_addr *ma;

    HMAP_FOR_EACH_WITH_HASH (ma, hmap_node, addr_hash(key), &mon->addrs) {
        if (addr_same_key(&ma->addr, key)) {
            return ma;
        }
    }
    return NULL;
}

/* True if A and B differ in anything but statistics. */
static bool
link_changed(const struct netlink_link *a, const struct netlink_link *b)
{
    struct netlink_link x = *a, y = *b;

    memset(&x.stats, 0, sizeof x.stats);
    memset(&y.stats, 0, sizeof y.stats);
    return memcmp(&x, &y, sizeof x) != 0;
}

static bool
addr_changed(const struct netlink_addr *a, const struct netlink_addr *b)
{
    return a->flags != b->flags || a->scope != b->scope;
}

static void
fill_ifname(const struct netlink_monitor *mon, struct netlink_addr *addr)
{
    const struct mon_link *ml = find_link(mon, addr->ifindex);

    if (ml) {
        memcpy(addr->ifname, ml->link.name, sizeof addr->ifname);
    }
}

static void
clear_tables(struct netlink_monitor *mon)
{
    struct mon_link *ml;
    struct mon_addr *ma;

    HMAP_FOR_EACH_POP (ml, hmap_node, &mon->links) {
        free(ml);
    }
    HMAP_FOR_EACH_POP (ma, hmap_node, &mon->addrs) {
        free(ma);
    }
}

/* ---------------------------------------------------------------------
 * Events.
 */

/* Counts EV and hands it to the callback. */
static void
deliver(struct netlink_monitor *mon, const struct netlink_event *ev)
{
    COVERAGE_INC(netlink_monitor_event);
    mon->stats.n_events++;
    mon->cb(ev, mon->aux);
}

static void
notify_link(struct netlink_monitor *mon, enum netlink_event_type type,
            const struct netlink_link *link,
            const struct netlink_link *old, bool resync)
{
    struct netlink_event ev = {
        .type = type, .resync = resync, .link = link, .old_link = old,
    };

    if (mon->flags & NETLINK_MONITOR_LINKS) {
        deliver(mon, &ev);
    }
}

static void
notify_vlans(struct netlink_monitor *mon, enum netlink_event_type type,
             const struct netlink_vlan_range *vlans, bool resync)
{
    struct netlink_event ev = { .type = type, .resync = resync,
                                .vlans = vlans };

    deliver(mon, &ev);
}

static void
notify_addr(struct netlink_monitor *mon, enum netlink_event_type type,
            const struct netlink_addr *addr, bool resync)
{
    struct netlink_event ev = { .type = type, .resync = resync,
                                .addr = addr };

    deliver(mon, &ev);
}

/* Brings the table entry for LINK up to date and reports the change. */
static void
update_link(struct netlink_monitor *mon, const struct netlink_link *link,
            bool resync)
{
    struct mon_link *ml = find_link(mon, link->ifindex);

    if (!ml) {
        ml = xmalloc(sizeof *ml);
        ml->link = *link;
        hmap_insert(&mon->links, &ml->hmap_node, hash_int(link->ifindex, 0));
        notify_link(mon, NETLINK_EVENT_ADD, &ml->link, NULL, resync);
    } else if (link_changed(&ml->link, link)) {
        struct netlink_link old = ml->link;

        ml->link = *link;
        notify_link(mon, NETLINK_EVENT_CHANGE, &ml->link, &old, resync);
    } else {
        ml->link.stats = link->stats;
    }
}

static void
remove_addr(struct netlink_monitor *mon, struct mon_addr *ma, bool resync)
{
    hmap_remove(&mon->addrs, &ma->hmap_node);
    notify_addr(mon, NETLINK_EVENT_DELETE, &ma->addr, resync);
    free(ma);
}

static void
remove_link(struct netlink_monitor *mon, struct mon_link *ml, bool resync)
{
    struct mon_addr *ma;

    /* The kernel reports the addresses' removal first; in case it did not
     * (or we missed it), do not keep addresses of a link that is gone. */
    HMAP_FOR_EACH_SAFE (ma, hmap_node, &mon->addrs) {
        if (ma->addr.ifindex == ml->link.ifindex) {
            remove_addr(mon, ma, resync);
        }
    }
    hmap_remove(&mon->links, &ml->hmap_node);
    notify_link(mon, NETLINK_EVENT_DELETE, &ml->link, NULL, resync);
    free(ml);
}

static void
update_addr(struct netlink_monitor *mon, struct netlink_addr *addr,
            bool resync)
{
    struct mon_addr *ma = find_addr(mon, addr);

    fill_ifname(mon, addr);
    if (!ma) {
        ma = xmalloc(sizeof *ma);
        ma->addr = *addr;
        hmap_insert(&mon->addrs, &ma->hmap_node, addr_hash(addr));
        notify_addr(mon, NETLINK_EVENT_ADD, &ma->addr, resync);
    } else if (addr_changed(&ma->addr, addr)) {
        ma->addr = *addr;
        notify_addr(mon, NETLINK_EVENT_CHANGE, &ma->addr, resync);
    }
}

static void
process_msg(struct netlink_monitor *mon, const struct nlmsghdr *hdr)
{
    switch (hdr->nlmsg_type) {
    case RTM_NEWLINK:
    case RTM_DELLINK: {
        const struct ifinfomsg *ifi = NLMSG_DATA(hdr);
        struct netlink_link link;

        /* AF_BRIDGE messages on the same group describe bridge ports; an
         * AF_BRIDGE RTM_DELLINK only means "left the bridge". */
        if (hdr->nlmsg_len < NLMSG_LENGTH(sizeof *ifi)
            || ifi->ifi_family != AF_UNSPEC
            || !netlink_parse_link(hdr, &link)) {
            return;
        }
        if (hdr->nlmsg_type == RTM_NEWLINK) {
            update_link(mon, &link, false);
        } else {
            struct mon_link *ml = find_link(mon, link.ifindex);
            if (ml) {
                remove_link(mon, ml, false);
            }
        }
        break;
    }

    case RTM_NEWADDR:
    case RTM_DELADDR: {
        struct netlink_addr addr;

        if (!(mon->flags & NETLINK_MONITOR_ADDRS)
            || !netlink_parse_addr(hdr, &addr)) {
            return;
        }
        if (hdr->nlmsg_type == RTM_NEWADDR) {
            update_addr(mon, &addr, false);
        } else {
            struct mon_addr *ma = find_addr(mon, &addr);
            if (ma) {
                remove_addr(mon, ma, false);
            }
        }
        break;
    }

    case RTM_NEWVLAN:
    case RTM_DELVLAN: {
        struct netlink_vlan_range *ranges;
        size_t n;

        if (!(mon->flags & NETLINK_MONITOR_VLANS)
            || !netlink_parse_vlan_ranges(hdr, &ranges, &n)) {
            return;
        }
        for (size_t i = 0; i < n; i++) {
            const struct mon_link *ml = find_link(mon, ranges[i].ifindex);

            if (ml) {
                memcpy(ranges[i].port, ml->link.name, sizeof ranges[i].port);
            }
            notify_vlans(mon, (hdr->nlmsg_type == RTM_NEWVLAN
                               ? NETLINK_EVENT_ADD : NETLINK_EVENT_DELETE),
                         &ranges[i], false);
        }
        free(ranges);
        break;
    }

    default:
        break;
    }
}

/* ---------------------------------------------------------------------
 * Snapshots and resynchronization.
 */

struct snapshot {
    struct netlink_link *links;
    size_t n_links;
    struct netlink_addr *addrs;
    size_t n_addrs;
};

static int
take_snapshot(struct netlink_monitor *mon, struct snapshot *s, char **errp)
{
    int error;

    memset(s, 0, sizeof *s);
    error = netlink_link_dump(mon->ns, &s->links, &s->n_links, errp);
    if (!error && mon->flags & NETLINK_MONITOR_ADDRS) {
        error = netlink_addr_list(mon->ns, NULL, AF_UNSPEC, &s->addrs,
                                  &s->n_addrs, errp);
        if (error) {
            free(s->links);
            s->links = NULL;
        }
    }
    return error;
}

static void
resync(struct netlink_monitor *mon)
{
    unsigned long long int n_events = mon->stats.n_events;
    struct snapshot s;
    struct hmap seen_links = HMAP_INITIALIZER(&seen_links);
    struct hmap seen_addrs = HMAP_INITIALIZER(&seen_addrs);
    struct mon_link *ml;
    struct mon_addr *ma;
    char *error_msg;

    if (take_snapshot(mon, &s, &error_msg)) {
        VLOG_WARN_RL(&rl, "%s: resynchronization failed, will retry (%s)",
                     netlink_ns_describe(mon->ns), error_msg);
        free(error_msg);
        mon->resync_failed = true;
        return;
    }
    mon->resync_failed = false;
    mon->need_resync = false;
    COVERAGE_INC(netlink_monitor_resync);
    mon->stats.n_resyncs++;

    /* Links: update or add what the kernel has, moving each entry to
     * 'seen_links'; what remains in 'links' is gone.  Deletions first, so
     * that a name reused by a new ifindex is consistent. */
    for (size_t i = 0; i < s.n_links; i++) {
        ml = find_link(mon, s.links[i].ifindex);
        if (ml) {
            hmap_remove(&mon->links, &ml->hmap_node);
            hmap_insert(&seen_links, &ml->hmap_node,
                        hash_int(ml->link.ifindex, 0));
        }
    }
    HMAP_FOR_EACH_SAFE (ml, hmap_node, &mon->links) {
        remove_link(mon, ml, true);
    }
    hmap_swap(&mon->links, &seen_links);
    hmap_destroy(&seen_links);
    for (size_t i = 0; i < s.n_links; i++) {
        update_link(mon, &s.links[i], true);
    }

    /* Addresses, the same way. */
    for (size_t i = 0; i < s.n_addrs; i++) {
        ma = find_addr(mon, &s.addrs[i]);
        if (ma) {
            hmap_remove(&mon->addrs, &ma->hmap_node);
            hmap_insert(&seen_addrs, &ma->hmap_node, addr_hash(&ma->addr));
        }
    }
    HMAP_FOR_EACH_SAFE (ma, hmap_node, &mon->addrs) {
        remove_addr(mon, ma, true);
    }
    hmap_swap(&mon->addrs, &seen_addrs);
    hmap_destroy(&seen_addrs);
    for (size_t i = 0; i < s.n_addrs; i++) {
        update_addr(mon, &s.addrs[i], true);
    }

    if (mon->flags & NETLINK_MONITOR_VLANS) {
        struct netlink_vlan_range any = { .ifindex = 0 };

        notify_vlans(mon, NETLINK_EVENT_CHANGE, &any, true);
    }

    VLOG_INFO("%s: resynchronized after netlink overflow (%llu changes "
              "found)", netlink_ns_describe(mon->ns),
              mon->stats.n_events - n_events);
    free(s.links);
    free(s.addrs);
}

/* ---------------------------------------------------------------------
 * Public functions.
 */

int
netlink_monitor_create(struct netlink_ns *ns, unsigned int flags,
                       netlink_monitor_cb *cb, void *aux,
                       struct netlink_monitor **monp, char **errp)
{
    struct netlink_monitor *mon;
    struct nl_sock *sock;
    struct snapshot s;
    int error, nlerr;

    *monp = NULL;
    if (errp) {
        *errp = NULL;
    }
    error = netlink_ns_open_socket(ns, &sock, errp);
    if (error) {
        return error;
    }
    nlerr = nl_socket_add_memberships(sock, RTNLGRP_LINK, 0);
    if (!nlerr && flags & NETLINK_MONITOR_ADDRS) {
        nlerr = nl_socket_add_memberships(sock, RTNLGRP_IPV4_IFADDR,
                                          RTNLGRP_IPV6_IFADDR, 0);
    }
    if (!nlerr && flags & NETLINK_MONITOR_VLANS
        && nl_socket_add_memberships(sock, RTNLGRP_BRVLAN, 0) < 0) {
        VLOG_WARN_RL(&rl, "%s: kernel sends no bridge VLAN events "
                     "(RTNLGRP_BRVLAN): VLAN changes made by others go "
                     "unnoticed", netlink_ns_describe(ns));
    }
    if (!nlerr) {
        nlerr = nl_socket_set_nonblocking(sock);
    }
    if (nlerr < 0) {
        if (errp) {
            *errp = xasprintf("cannot subscribe to link events in %s (%s)",
                              netlink_ns_describe(ns), nl_geterror(nlerr));
        }
        nl_socket_free(sock);
        return EPROTO;
    }

    mon = xzalloc(sizeof *mon);
    mon->ns = netlink_ns_ref(ns);
    mon->sock = sock;
    mon->fd = nl_socket_get_fd(sock);
    mon->flags = flags;
    mon->cb = cb;
    mon->aux = aux;
    hmap_init(&mon->links);
    hmap_init(&mon->addrs);
    netlink_monitor_set_rcvbuf(mon, DEFAULT_RCVBUF);

    /* Subscribed above, so any change from now on is either in this
     * snapshot or queued on the socket (or both: then it is dropped as a
     * repeat). */
    error = take_snapshot(mon, &s, errp);
    if (error) {
        netlink_monitor_destroy(mon);
        return error;
    }
    for (size_t i = 0; i < s.n_links; i++) {
        struct mon_link *ml = xmalloc(sizeof *ml);

        ml->link = s.links[i];
        hmap_insert(&mon->links, &ml->hmap_node,
                    hash_int(ml->link.ifindex, 0));
    }
    for (size_t i = 0; i < s.n_addrs; i++) {
        struct mon_addr *ma = xmalloc(sizeof *ma);

        ma->addr = s.addrs[i];
        hmap_insert(&mon->addrs, &ma->hmap_node, addr_hash(&ma->addr));
    }
    free(s.links);
    free(s.addrs);
    mon->replay_pending = (flags & NETLINK_MONITOR_REPLAY) != 0;
    *monp = mon;
    return 0;
}

void
netlink_monitor_destroy(struct netlink_monitor *mon)
{
    if (mon) {
        poll_fd_forget(mon->fd);
        nl_socket_free(mon->sock);
        clear_tables(mon);
        hmap_destroy(&mon->links);
        hmap_destroy(&mon->addrs);
        netlink_ns_close(mon->ns);
        free(mon);
    }
}

int
netlink_monitor_set_rcvbuf(struct netlink_monitor *mon, int bytes)
{
    /* SO_RCVBUFFORCE passes rmem_max when we have CAP_NET_ADMIN. */
    if (setsockopt(mon->fd, SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof bytes)
        && setsockopt(mon->fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof bytes)) {
        return errno;
    }
    return 0;
}

static int
compare_link_ptrs(const void *a_, const void *b_)
{
    const struct netlink_link *const *a = a_, *const *b = b_;

    return ((*a)->ifindex < (*b)->ifindex ? -1
            : (*a)->ifindex > (*b)->ifindex);
}

static int
compare_addr_ptrs(const void *a_, const void *b_)
{
    const struct netlink_addr *a = *(const struct netlink_addr *const *) a_;
    const struct netlink_addr *b = *(const struct netlink_addr *const *) b_;
    int cmp;

    if (a->ifindex != b->ifindex) {
        return a->ifindex < b->ifindex ? -1 : 1;
    }
    if (a->family != b->family) {
        return a->family < b->family ? -1 : 1;
    }
    cmp = memcmp(a->addr, b->addr, sizeof a->addr);
    return cmp ? cmp : (a->prefixlen < b->prefixlen ? -1
                        : a->prefixlen > b->prefixlen);
}

static void
replay(struct netlink_monitor *mon)
{
    size_t n = hmap_count(&mon->links), i = 0;
    const struct netlink_link **links = xmalloc((n + 1) * sizeof *links);
    const struct netlink_addr **addrs;
    struct mon_link *ml;
    struct mon_addr *ma;

    /* In ifindex order, for a stable report. */
    HMAP_FOR_EACH (ml, hmap_node, &mon->links) {
        links[i++] = &ml->link;
    }
    qsort(links, n, sizeof *links, compare_link_ptrs);
    for (i = 0; i < n; i++) {
        notify_link(mon, NETLINK_EVENT_ADD, links[i], NULL, false);
    }
    free(links);

    n = hmap_count(&mon->addrs);
    addrs = xmalloc((n + 1) * sizeof *addrs);
    i = 0;
    HMAP_FOR_EACH (ma, hmap_node, &mon->addrs) {
        fill_ifname(mon, &ma->addr);
        addrs[i++] = &ma->addr;
    }
    qsort(addrs, n, sizeof *addrs, compare_addr_ptrs);
    for (i = 0; i < n; i++) {
        notify_addr(mon, NETLINK_EVENT_ADD, addrs[i], false);
    }
    free(addrs);
}

void
netlink_monitor_run(struct netlink_monitor *mon)
{
    bool drained = false;

    vs_assert(!in_run);
    in_run = true;

    if (mon->replay_pending) {
        mon->replay_pending = false;
        replay(mon);
    }

    mon->more = false;
    for (int i = 0; ; i++) {
        struct nlmsghdr *hdr;
        ssize_t len;

        if (i >= MAX_RECVS_PER_RUN) {
            mon->more = true;
            break;
        }
        if (!poll_fd_may_be_ready(mon->fd, POLLIN)) {
            drained = true;     /* Nothing arrived: skip the recv(). */
            break;
        }
        len = recv(mon->fd, rx_buf, sizeof rx_buf, MSG_DONTWAIT);
        if (len < 0) {
            if (errno == EINTR) {
                continue;
            } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
                poll_fd_clear_ready(mon->fd, POLLIN);
                drained = true;
                break;
            } else if (errno == ENOBUFS) {
                COVERAGE_INC(netlink_monitor_overflow);
                mon->stats.n_overflows++;
                if (!mon->need_resync) {
                    VLOG_WARN_RL(&rl, "%s: netlink event queue overflowed "
                                 "(events were lost); resynchronizing",
                                 netlink_ns_describe(mon->ns));
                }
                mon->need_resync = true;
                continue;
            }
            VLOG_WARN_RL(&rl, "%s: error receiving netlink events (%s)",
                         netlink_ns_describe(mon->ns), vs_strerror(errno));
            break;
        }
        if (mon->need_resync) {
            continue;           /* Stale: the resync will cover it. */
        }
        for (hdr = (struct nlmsghdr *) rx_buf; NLMSG_OK(hdr, len);
             hdr = NLMSG_NEXT(hdr, len)) {
            process_msg(mon, hdr);
        }
    }

    if (mon->need_resync && drained) {
        resync(mon);
    }
    in_run = false;
}

void
netlink_monitor_wait(struct netlink_monitor *mon)
{
    if (mon->replay_pending || mon->more
        || (mon->need_resync && !mon->resync_failed)) {
        poll_immediate_wake();
    } else if (mon->need_resync) {
        poll_timer_wait(1000);
    }
    poll_fd_wait(mon->fd, POLLIN);
}

const struct netlink_link *
netlink_monitor_find_link(const struct netlink_monitor *mon,
                          const char *name)
{
    const struct mon_link *ml;

    HMAP_FOR_EACH (ml, hmap_node, &mon->links) {
        if (!strcmp(ml->link.name, name)) {
            return &ml->link;
        }
    }
    return NULL;
}

const struct netlink_link *
netlink_monitor_find_link_by_index(const struct netlink_monitor *mon,
                                   int ifindex)
{
    const struct mon_link *ml = find_link(mon, ifindex);

    return ml ? &ml->link : NULL;
}

void
netlink_monitor_get_stats(const struct netlink_monitor *mon,
                          struct netlink_monitor_stats *stats)
{
    *stats = mon->stats;
    stats->n_links = hmap_count(&mon->links);
    stats->n_addrs = hmap_count(&mon->addrs);
}
