/* rtnetlink operations over libnl-3 / libnl-route-3: see netlink.h.
 *
 * Requests are built with libnl: rtnl_link_* objects (generic link
 * changes, veth, VXLAN, deletion, lookups), rtnl_addr_*, rtnl_route_*, and
 * raw nl_msg construction for what libnl-route 3.7 lacks (bridge options
 * IFLA_BR_*, bridge port flags IFLA_BRPORT_*, bridge VLANs).  Each request
 * is sent with nl_send_auto() on the namespace's cached socket; answers are
 * read by transact(), which keeps the kernel's real errno (libnl's error
 * codes lose it) and its extended-ACK text for messages. */
#include <config.h>

#include "netlink.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <linux/if.h>
#include <linux/if_bridge.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/link/bridge.h>
#include <netlink/route/link/veth.h>
#include <netlink/route/link/vxlan.h>
#include <netlink/route/nexthop.h>
#include <netlink/route/route.h>
#include <netlink/socket.h>

#include "coverage.h"
#include "hash.h"
#include "hmap.h"
#include "netns.h"
#include "util.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(netlink);

COVERAGE_DEFINE(netlink_request);
COVERAGE_DEFINE(netlink_dump);
COVERAGE_DEFINE(netlink_socket_open);

#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif
#ifndef NETLINK_CAP_ACK
#define NETLINK_CAP_ACK 10
#endif
#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

struct netlink_ns {
    struct hmap_node hmap_node; /* In 'all_ns', by namespace id. */
    int ref_cnt;
    struct netns *netns;
    struct nl_sock *sock;       /* Request socket, inside 'netns'. */
    char *suffix;               /* " in network namespace 'c1'" or "". */
};

static struct hmap all_ns = HMAP_INITIALIZER(&all_ns);

/* Receive buffer shared by all requests (one thread, and reply callbacks
 * never start another request).  Larger than any message the kernel sends
 * (dump skbs are at most 32 kB). */
static uint8_t rx_buf[65536];

/* ---------------------------------------------------------------------
 * Errors.
 */

static void
clear_error(char **errp)
{
    if (errp) {
        *errp = NULL;
    }
}

static int VS_PRINTF_FORMAT(3, 4)
set_error(char **errp, int error, const char *format, ...)
{
    if (errp) {
        va_list args;

        va_start(args, format);
        *errp = xvasprintf(format, args);
        va_end(args);
    }
    return error;
}

/* Sets a message "FORMAT...: strerror(ERROR)[ (EXTACK)]" and returns
 * ERROR. */
static int VS_PRINTF_FORMAT(4, 5)
kernel_error(char **errp, int error, const char *extack,
             const char *format, ...)
{
    if (errp) {
        va_list args;
        char *what;

        va_start(args, format);
        what = xvasprintf(format, args);
        va_end(args);
        if (extack && extack[0]) {
            *errp = xasprintf("%s: %s (%s)", what, vs_strerror(error),
                              extack);
        } else {
            *errp = xasprintf("%s: %s", what, vs_strerror(error));
        }
        free(what);
    }
    return error;
}

static int
nlerr_to_errno(int nlerr)
{
    switch (nlerr < 0 ? -nlerr : nlerr) {
    case NLE_NOMEM: return ENOMEM;
    case NLE_INVAL: return EINVAL;
    case NLE_RANGE: return ERANGE;
    case NLE_MSGSIZE: return EMSGSIZE;
    case NLE_AF_NOSUPPORT: return EAFNOSUPPORT;
    case NLE_NOADDR: return EADDRNOTAVAIL;
    case NLE_EXIST: return EEXIST;
    case NLE_OBJ_NOTFOUND: return ENOENT;
    case NLE_PERM: return EPERM;
    case NLE_BUSY: return EBUSY;
    case NLE_AGAIN: return EAGAIN;
    case NLE_OPNOTSUPP: return EOPNOTSUPP;
    case NLE_NODEV: return ENODEV;
    default: return EPROTO;
    }
}

/* ---------------------------------------------------------------------
 * Names and parsing helpers.
 */

int
netlink_validate_ifname(const char *name, const char *what, char **errp)
{
    clear_error(errp);
    if (!name || !name[0]) {
        return set_error(errp, EINVAL, "%s is empty", what);
    }
    if (strlen(name) >= IFNAMSIZ) {
        return set_error(errp, EINVAL, "%s '%s' exceeds %d characters",
                         what, name, IFNAMSIZ - 1);
    }
    if (!strcmp(name, ".") || !strcmp(name, "..")) {
        return set_error(errp, EINVAL, "%s '%s' is not allowed", what,
                         name);
    }
    for (const char *p = name; *p; p++) {
        if (*p == '/' || *p == ':') {
            return set_error(errp, EINVAL, "%s '%s' contains '%c'", what,
                             name, *p);
        } else if (isspace((unsigned char) *p)) {
            return set_error(errp, EINVAL, "%s '%s' contains white space",
                             what, name);
        }
    }
    return 0;
}

static bool
parse_mac(const char *s, uint8_t mac[6])
{
    unsigned int b[6];
    int n;

    if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%n",
               &b[0], &b[1], &b[2], &b[3], &b[4], &b[5], &n) != 6
        || s[n]) {
        return false;
    }
    for (int i = 0; i < 6; i++) {
        mac[i] = b[i];
    }
    return true;
}

/* Parses an IPv4 or IPv6 address, with a "/prefix" if ALLOW_PREFIX, into
 * a new nl_addr (caller puts it).  Without a prefix the prefix length is
 * the full address length. */
static int
parse_ip(const char *s, bool allow_prefix, struct nl_addr **addrp)
{
    struct nl_addr *addr;
    int family;

    *addrp = NULL;
    if (!s || !s[0] || (!allow_prefix && strchr(s, '/'))
        || !strcmp(s, "default") || !strcmp(s, "any")
        || !strcmp(s, "all") || !strcmp(s, "none")) {
        return EINVAL;
    }
    family = strchr(s, ':') ? AF_INET6 : AF_INET;
    if (nl_addr_parse(s, family, &addr) < 0) {
        return EINVAL;
    }
    if (nl_addr_get_len(addr) != (family == AF_INET ? 4 : 16)) {
        nl_addr_put(addr);
        return EINVAL;
    }
    *addrp = addr;
    return 0;
}

static uint32_t
attr_u32(const struct nlattr *a, uint32_t dflt)
{
    return a && nla_len(a) >= 4 ? nla_get_u32((struct nlattr *) a) : dflt;
}

static uint16_t
attr_u16(const struct nlattr *a, uint16_t dflt)
{
    return a && nla_len(a) >= 2 ? nla_get_u16((struct nlattr *) a) : dflt;
}

static uint8_t
attr_u8(const struct nlattr *a, uint8_t dflt)
{
    return a && nla_len(a) >= 1 ? nla_get_u8((struct nlattr *) a) : dflt;
}

/* Copies string attribute A into BUF of SIZE bytes (always terminated). */
static void
attr_string(const struct nlattr *a, char *buf, size_t size)
{
    size_t len = 0;

    if (a) {
        const char *s = nla_data(a);
        size_t max = nla_len(a);

        while (len < max && len + 1 < size && s[len]) {
            len++;
        }
        memcpy(buf, s, len);
    }
    buf[len] = '\0';
}

static int
parse_nested(struct nlattr *tb[], int maxtype, const struct nlattr *nest)
{
    return nla_parse_nested(tb, maxtype, (struct nlattr *) nest, NULL);
}

/* What a dump collects: N elements in room for ALLOCATED. */
struct dump_array {
    void *elems;
    size_t n, allocated;
};

/* Appends a zeroed element of SIZE bytes to ARRAY and returns it. */
static void *
array_append(struct dump_array *array, size_t size)
{
    void *elem;

    if (array->n >= array->allocated) {
        array->allocated = array->allocated ? array->allocated * 2 : 16;
        array->elems = xrealloc(array->elems, array->allocated * size);
    }
    elem = (char *) array->elems + array->n++ * size;
    memset(elem, 0, size);
    return elem;
}

/* ---------------------------------------------------------------------
 * Namespace handles and sockets.
 */

static uint32_t
hash_netns_id(struct netns_id id)
{
    return hash_add(hash_uint64(id.dev, 0), hash_uint64(id.ino, 0));
}

/* Runs inside the target namespace: a socket belongs to the namespace it is
 * created in.  Binding to port 0 lets the kernel pick a free port in that
 * namespace (libnl's own port allocator is limited to 1024 sockets per
 * process). */
static int
socket_in_ns(void *fdp_)
{
    struct sockaddr_nl local = { .nl_family = AF_NETLINK };
    int *fdp = fdp_;
    int fd, error;

    fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
    if (fd < 0) {
        return errno;
    }
    if (bind(fd, (struct sockaddr *) &local, sizeof local)) {
        error = errno;
        close(fd);
        return error;
    }
    *fdp = fd;
    return 0;
}

static int
open_socket(const struct netns *netns, struct nl_sock **sockp, char **errp)
{
    struct nl_sock *sock;
    char *msg = NULL;
    int error, nlerr, fd = -1, one = 1;

    *sockp = NULL;
    error = netns_call(netns, socket_in_ns, &fd, &msg);
    if (error) {
        if (msg) {
            if (errp) {
                *errp = msg;
            } else {
                free(msg);
            }
        } else {
            set_error(errp, error, "cannot open a netlink socket in %s (%s)",
                      netns_describe(netns), vs_strerror(error));
        }
        return error;
    }

    /* Hand the socket to libnl. */
    sock = nl_socket_alloc();
    if (!sock) {
        close(fd);
        return set_error(errp, ENOMEM, "cannot allocate a netlink socket");
    }
    nlerr = nl_socket_set_fd(sock, NETLINK_ROUTE, fd);
    if (!nlerr) {
        nlerr = nl_socket_set_buffer_size(sock, 32768, 32768);
    }
    if (nlerr < 0) {
        error = nlerr_to_errno(nlerr);
        set_error(errp, error, "cannot set up a netlink socket in %s (%s)",
                  netns_describe(netns), nl_geterror(nlerr));
        bool owned = nl_socket_get_fd(sock) == fd;

        nl_socket_free(sock);   /* Closes 'fd' if it is the socket's. */
        if (!owned) {
            close(fd);
        }
        return error;
    }
    COVERAGE_INC(netlink_socket_open);

    /* Kernel's explanation of errors, without the request echoed back. */
    setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof one);
    setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof one);
    nl_socket_disable_auto_ack(sock);
    *sockp = sock;
    return 0;
}

int
netlink_ns_open_socket(struct netlink_ns *ns, struct nl_sock **sockp,
                       char **errp)
{
    clear_error(errp);
    return open_socket(ns->netns, sockp, errp);
}

int
netlink_ns_open(const char *spec, struct netlink_ns **nsp, char **errp)
{
    struct netlink_ns *ns;
    struct netns *netns;
    struct netns_id id;
    uint32_t hash;
    int error;

    *nsp = NULL;
    clear_error(errp);
    error = netns_open(spec, &netns, errp);
    if (error) {
        return error;
    }

    id = netns_get_id(netns);
    hash = hash_netns_id(id);
    HMAP_FOR_EACH_WITH_HASH (ns, hmap_node, hash, &all_ns) {
        if (netns_id_equals(netns_get_id(ns->netns), id)) {
            netns_close(netns);
            ns->ref_cnt++;
            *nsp = ns;
            return 0;
        }
    }

    ns = xzalloc(sizeof *ns);
    error = open_socket(netns, &ns->sock, errp);
    if (error) {
        netns_close(netns);
        free(ns);
        return error;
    }
    ns->netns = netns;
    ns->ref_cnt = 1;
    ns->suffix = (netns_spec(netns)
                  ? xasprintf(" in %s", netns_describe(netns))
                  : xstrdup(""));
    hmap_insert(&all_ns, &ns->hmap_node, hash);
    *nsp = ns;
    return 0;
}

struct netlink_ns *
netlink_ns_ref(struct netlink_ns *ns)
{
    ns->ref_cnt++;
    return ns;
}

void
netlink_ns_close(struct netlink_ns *ns)
{
    if (ns && !--ns->ref_cnt) {
        hmap_remove(&all_ns, &ns->hmap_node);
        nl_socket_free(ns->sock);
        netns_close(ns->netns);
        free(ns->suffix);
        free(ns);
    }
}

const struct netns *
netlink_ns_get_netns(const struct netlink_ns *ns)
{
    return ns->netns;
}

const char *
netlink_ns_describe(const struct netlink_ns *ns)
{
    return netns_describe(ns->netns);
}

size_t
netlink_ns_count(void)
{
    return hmap_count(&all_ns);
}

/* ---------------------------------------------------------------------
 * Transactions.
 */

typedef int reply_func(const struct nlmsghdr *, void *aux);

/* Returns a copy of the extended-ACK message in error or done message
 * HDR, whose payload starts with a header of HDRLEN bytes, or NULL. */
static char *
parse_extack(const struct nlmsghdr *hdr, size_t hdrlen)
{
    struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
    const uint8_t *payload = NLMSG_DATA(hdr);
    size_t len = hdr->nlmsg_len - NLMSG_HDRLEN;
    char msg[256];

    if (!(hdr->nlmsg_flags & NLM_F_ACK_TLVS) || len < hdrlen) {
        return NULL;
    }
    hdrlen = NLMSG_ALIGN(hdrlen);
    if (len <= hdrlen
        || nla_parse(tb, NLMSGERR_ATTR_MAX,
                     (struct nlattr *) (payload + hdrlen), len - hdrlen,
                     NULL) < 0
        || !tb[NLMSGERR_ATTR_MSG]) {
        return NULL;
    }
    attr_string(tb[NLMSGERR_ATTR_MSG], msg, sizeof msg);
    return msg[0] ? xstrdup(msg) : NULL;
}

/* Sends MSG (and frees it) on NS's socket and reads the answer: for each
 * data message, calls REPLY(msg, AUX) if REPLY is nonnull (a nonzero
 * return is remembered as the result but the answer is still read to its
 * end).  Returns 0 or a positive errno; EAGAIN for an interrupted dump.
 * Stores the kernel's extended-ACK text, if any, in *EXTACKP (caller
 * frees). */
static int
transact(struct netlink_ns *ns, struct nl_msg *msg, reply_func *reply,
         void *aux, char **extackp)
{
    struct nlmsghdr *req = nlmsg_hdr(msg);
    bool dump = (req->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;
    int fd = nl_socket_get_fd(ns->sock);
    uint32_t port = nl_socket_get_local_port(ns->sock);
    int error = 0, reply_error = 0;
    bool interrupted = false;
    uint32_t seq;
    int retval;

    *extackp = NULL;
    req->nlmsg_flags |= NLM_F_REQUEST | (dump ? 0 : NLM_F_ACK);
    COVERAGE_INC(netlink_request);
    if (dump) {
        COVERAGE_INC(netlink_dump);
    }
    errno = 0;
    retval = nl_send_auto(ns->sock, msg);
    seq = req->nlmsg_seq;
    nlmsg_free(msg);
    if (retval < 0) {
        return errno ? errno : nlerr_to_errno(retval);
    }

    for (;;) {
        struct sockaddr_nl sa;
        struct iovec iov = { rx_buf, sizeof rx_buf };
        struct msghdr mh = {
            .msg_name = &sa, .msg_namelen = sizeof sa,
            .msg_iov = &iov, .msg_iovlen = 1,
        };
        struct nlmsghdr *hdr;
        ssize_t len;

        len = recvmsg(fd, &mh, 0);
        if (len < 0) {
            if (errno == EINTR) {
                continue;
            }
            return errno;
        }
        if (mh.msg_flags & MSG_TRUNC) {
            VLOG_WARN("%s: netlink answer truncated", netns_describe(
                          ns->netns));
            return EMSGSIZE;
        }
        if (sa.nl_pid != 0) {
            continue;           /* Not from the kernel. */
        }
        for (hdr = (struct nlmsghdr *) rx_buf; NLMSG_OK(hdr, len);
             hdr = NLMSG_NEXT(hdr, len)) {
            if (hdr->nlmsg_seq != seq || hdr->nlmsg_pid != port) {
                continue;       /* Left over from an earlier request. */
            }
            if (hdr->nlmsg_flags & NLM_F_DUMP_INTR) {
                interrupted = true;
            }
            if (hdr->nlmsg_type == NLMSG_ERROR) {
                const struct nlmsgerr *e = NLMSG_DATA(hdr);

                if (hdr->nlmsg_len < NLMSG_LENGTH(sizeof *e)) {
                    error = EPROTO;
                } else {
                    error = -e->error;
                    *extackp = parse_extack(hdr, sizeof *e);
                }
                goto done;
            } else if (hdr->nlmsg_type == NLMSG_DONE) {
                if (hdr->nlmsg_len >= NLMSG_LENGTH(sizeof(int))) {
                    int e = *(const int *) NLMSG_DATA(hdr);
                    error = e < 0 ? -e : 0;
                    *extackp = parse_extack(hdr, sizeof(int));
                }
                goto done;
            } else if (hdr->nlmsg_type == NLMSG_NOOP
                       || hdr->nlmsg_type == NLMSG_OVERRUN) {
                continue;
            } else if (reply && !reply_error) {
                reply_error = reply(hdr, aux);
            }
        }
    }

done:
    if (!error && interrupted) {
        error = EAGAIN;
    }
    return error ? error : reply_error;
}

/* transact() for a request whose only answer is an ACK; frees the extended
 * ACK text unless EXTACKP is nonnull. */
static int
transact_ack(struct netlink_ns *ns, struct nl_msg *msg, char **extackp)
{
    char *extack;
    int error;

    error = transact(ns, msg, NULL, NULL, &extack);
    if (extackp) {
        *extackp = extack;
    } else {
        free(extack);
    }
    return error;
}

/* Fills in names from a link dump, for IFINDEX fields at byte offset
 * INDEX_OFS and name fields at NAME_OFS of the N SIZE-byte elements of
 * ARRAY. */
static void
fill_names(struct netlink_ns *ns, void *array, size_t n, size_t size,
           size_t index_ofs, size_t name_ofs)
{
    struct netlink_link *links;
    size_t n_links;

    if (!n || netlink_link_dump(ns, &links, &n_links, NULL)) {
        return;
    }
    for (size_t i = 0; i < n; i++) {
        char *elem = (char *) array + i * size;
        const struct netlink_link *l;
        int ifindex;

        memcpy(&ifindex, elem + index_ofs, sizeof ifindex);
        l = netlink_link_find(links, n_links, ifindex);
        if (l) {
            memcpy(elem + name_ofs, l->name, IFNAMSIZ);
        }
    }
    free(links);
}

/* How to dump one kind of object into an array. */
struct dump_class {
    const char *what;           /* For "cannot list WHAT". */
    struct nl_msg *(*make_msg)(const void *make_aux);
    reply_func *reply;          /* Appends to the aux's dump_array. */
    size_t size;                /* Size of an element. */
    int (*compare)(const void *, const void *); /* NULL: kernel's order. */

    /* If FILL_NAMES, fill_names() with these offsets after the dump. */
    bool fill_names;
    size_t index_ofs, name_ofs;
};

/* Dumps: CLASS->make_msg(MAKE_AUX) builds the request, CLASS->reply(msg,
 * AUX) appends each answer to ARRAY, which AUX contains.  Retries
 * interrupted dumps, each time emptying ARRAY.  On success, sorts ARRAY
 * with CLASS->compare, if any, fills in link names if CLASS says so, and
 * returns 0.  On failure, frees and empties ARRAY, sets "cannot list WHAT"
 * in *ERRP and returns a positive errno. */
static int
dump(struct netlink_ns *ns, const struct dump_class *class,
     const void *make_aux, void *aux, struct dump_array *array, char **errp)
{
    char *extack = NULL;
    int error = EAGAIN;

    for (int i = 0; i < 10 && error == EAGAIN; i++) {
        free(extack);
        array->n = 0;
        error = transact(ns, class->make_msg(make_aux), class->reply, aux,
                         &extack);
    }
    if (error) {
        kernel_error(errp, error, extack, "cannot list %s%s", class->what,
                     ns->suffix);
        free(array->elems);
        array->elems = NULL;
        array->n = 0;
    } else {
        if (class->compare && array->n) {
            qsort(array->elems, array->n, class->size, class->compare);
        }
        if (class->fill_names) {
            fill_names(ns, array->elems, array->n, class->size,
                       class->index_ofs, class->name_ofs);
        }
    }
    free(extack);
    return error;
}

static struct nl_msg *
make_simple_msg(int type, int flags, const void *hdr, size_t hdrlen)
{
    struct nl_msg *msg = nlmsg_alloc_simple(type, flags);

    if (!msg || nlmsg_append(msg, (void *) hdr, hdrlen, NLMSG_ALIGNTO) < 0) {
        vs_abort(0, "out of memory building netlink message");
    }
    return msg;
}

/* ---------------------------------------------------------------------
 * Link parsing.
 */

bool
netlink_parse_link(const struct nlmsghdr *hdr, struct netlink_link *link)
{
    struct nlattr *tb[IFLA_MAX + 1];
    const struct ifinfomsg *ifi;

    if (hdr->nlmsg_len < NLMSG_LENGTH(sizeof *ifi)
        || nlmsg_parse((struct nlmsghdr *) hdr, sizeof *ifi, tb, IFLA_MAX,
                       NULL) < 0) {
        return false;
    }
    ifi = NLMSG_DATA(hdr);
    memset(link, 0, sizeof *link);
    link->ifindex = ifi->ifi_index;
    link->flags = ifi->ifi_flags;
    attr_string(tb[IFLA_IFNAME], link->name, sizeof link->name);
    link->master = attr_u32(tb[IFLA_MASTER], 0);
    link->link = attr_u32(tb[IFLA_LINK], 0);
    link->link_netnsid = tb[IFLA_LINK_NETNSID]
                         ? (int) attr_u32(tb[IFLA_LINK_NETNSID], 0) : -1;
    link->operstate = attr_u8(tb[IFLA_OPERSTATE], IF_OPER_UNKNOWN);
    link->mtu = attr_u32(tb[IFLA_MTU], 0);
    link->txqlen = attr_u32(tb[IFLA_TXQLEN], 0);
    if (tb[IFLA_ADDRESS]) {
        size_t len = MIN((size_t) nla_len(tb[IFLA_ADDRESS]),
                         sizeof link->mac);
        memcpy(link->mac, nla_data(tb[IFLA_ADDRESS]), len);
        link->mac_len = len;
    }
    attr_string(tb[IFLA_IFALIAS], link->alias, sizeof link->alias);
    if (tb[IFLA_LINKINFO]) {
        struct nlattr *info[IFLA_INFO_MAX + 1];

        if (!parse_nested(info, IFLA_INFO_MAX, tb[IFLA_LINKINFO])) {
            attr_string(info[IFLA_INFO_KIND], link->kind,
                        sizeof link->kind);
        }
    }
    if (tb[IFLA_STATS64]) {
        struct rtnl_link_stats64 s;
        size_t len = MIN((size_t) nla_len(tb[IFLA_STATS64]), sizeof s);

        memset(&s, 0, sizeof s);
        memcpy(&s, nla_data(tb[IFLA_STATS64]), len);
        link->stats.rx_packets = s.rx_packets;
        link->stats.tx_packets = s.tx_packets;
        link->stats.rx_bytes = s.rx_bytes;
        link->stats.tx_bytes = s.tx_bytes;
        link->stats.rx_errors = s.rx_errors;
        link->stats.tx_errors = s.tx_errors;
        link->stats.rx_dropped = s.rx_dropped;
        link->stats.tx_dropped = s.tx_dropped;
        link->stats.multicast = s.multicast;
        link->stats.collisions = s.collisions;
    }
    return true;
}

/* A link with the bridge and bridge-port details of its IFLA_LINKINFO. */
struct link_details {
    struct netlink_link link;
    bool is_bridge;
    struct netlink_bridge_options bridge;
    bool is_bridge_port;
    struct netlink_bridge_port_options port;
};

static void
parse_link_details(const struct nlmsghdr *hdr, struct link_details *d)
{
    struct nlattr *tb[IFLA_MAX + 1];
    struct nlattr *info[IFLA_INFO_MAX + 1];
    char slave_kind[16];

    d->is_bridge = !strcmp(d->link.kind, "bridge");
    d->is_bridge_port = false;
    netlink_bridge_options_init(&d->bridge);
    netlink_bridge_port_options_init(&d->port);

    if (nlmsg_parse((struct nlmsghdr *) hdr, sizeof(struct ifinfomsg), tb,
                    IFLA_MAX, NULL) < 0
        || !tb[IFLA_LINKINFO]
        || parse_nested(info, IFLA_INFO_MAX, tb[IFLA_LINKINFO])) {
        return;
    }
    if (d->is_bridge && info[IFLA_INFO_DATA]) {
        struct nlattr *br[IFLA_BR_MAX + 1];

        if (!parse_nested(br, IFLA_BR_MAX, info[IFLA_INFO_DATA])) {
            d->bridge.stp = attr_u32(br[IFLA_BR_STP_STATE], 0) != 0;
            d->bridge.ageing_time = attr_u32(br[IFLA_BR_AGEING_TIME], 0)
                                    / 100;
            d->bridge.vlan_filtering = attr_u8(br[IFLA_BR_VLAN_FILTERING],
                                               0);
            d->bridge.mcast_snooping = attr_u8(br[IFLA_BR_MCAST_SNOOPING],
                                               0);
        }
    }
    attr_string(info[IFLA_INFO_SLAVE_KIND], slave_kind, sizeof slave_kind);
    if (!strcmp(slave_kind, "bridge") && info[IFLA_INFO_SLAVE_DATA]) {
        struct nlattr *bp[IFLA_BRPORT_MAX + 1];

        if (!parse_nested(bp, IFLA_BRPORT_MAX,
                          info[IFLA_INFO_SLAVE_DATA])) {
            d->is_bridge_port = true;
            d->port.hairpin = attr_u8(bp[IFLA_BRPORT_MODE], 0);
            d->port.learning = attr_u8(bp[IFLA_BRPORT_LEARNING], 0);
            d->port.flood = attr_u8(bp[IFLA_BRPORT_UNICAST_FLOOD], 0);
            d->port.isolated = attr_u8(bp[IFLA_BRPORT_ISOLATED], 0);
        }
    }
}

struct get_link_aux {
    struct link_details *details;
    bool found;
};

static int
get_link_reply(const struct nlmsghdr *hdr, void *aux_)
{
    struct get_link_aux *aux = aux_;

    if (hdr->nlmsg_type == RTM_NEWLINK && !aux->found
        && netlink_parse_link(hdr, &aux->details->link)) {
        parse_link_details(hdr, aux->details);
        aux->found = true;
    }
    return 0;
}

/* Looks up one link by NAME (or by IFINDEX if NAME is NULL). */
static int
get_link_details(struct netlink_ns *ns, const char *name, int ifindex,
                 struct link_details *d, char **errp)
{
    struct get_link_aux aux = { .details = d, .found = false };
    struct nl_msg *msg;
    char *extack;
    int error;

    clear_error(errp);
    memset(d, 0, sizeof *d);
    if (name) {
        error = netlink_validate_ifname(name, "device name", errp);
        if (error) {
            return error;
        }
    }
    error = rtnl_link_build_get_request(name ? 0 : ifindex, name, &msg);
    if (error < 0) {
        return set_error(errp, nlerr_to_errno(error),
                         "cannot build netlink request");
    }
    error = transact(ns, msg, get_link_reply, &aux, &extack);
    if (!error && !aux.found) {
        error = ENODEV;
    }
    if (error == ENODEV) {
        if (name) {
            set_error(errp, error, "device '%s' not found%s", name,
                      ns->suffix);
        } else {
            set_error(errp, error, "device with index %d not found%s",
                      ifindex, ns->suffix);
        }
    } else if (error) {
        kernel_error(errp, error, extack, "cannot look up device '%s'%s",
                     name ? name : "?", ns->suffix);
    }
    free(extack);
    return error;
}

int
netlink_link_get(struct netlink_ns *ns, const char *name,
                 struct netlink_link *link, char **errp)
{
    struct link_details d;
    int error;

    error = get_link_details(ns, name, 0, &d, errp);
    *link = d.link;
    return error;
}

int
netlink_link_get_by_index(struct netlink_ns *ns, int ifindex,
                          struct netlink_link *link, char **errp)
{
    struct link_details d;
    int error;

    error = get_link_details(ns, NULL, ifindex, &d, errp);
    *link = d.link;
    return error;
}

/* Stores the ifindex of link NAME in NS (> 0) in *IFINDEXP, or 0 with an
 * error.  A null NAME stands for "any link": 0, without error. */
static int
name_to_index(struct netlink_ns *ns, const char *name, int *ifindexp,
              char **errp)
{
    struct link_details d;
    int error;

    if (!name) {
        *ifindexp = 0;
        return 0;
    }
    error = get_link_details(ns, name, 0, &d, errp);
    *ifindexp = error ? 0 : d.link.ifindex;
    return error;
}

static int
link_dump_reply(const struct nlmsghdr *hdr, void *array_)
{
    struct dump_array *array = array_;

    if (hdr->nlmsg_type == RTM_NEWLINK) {
        struct netlink_link *link = array_append(array, sizeof *link);

        if (!netlink_parse_link(hdr, link)) {
            array->n--;
        }
    }
    return 0;
}

static struct nl_msg *
make_link_dump_msg(const void *family_)
{
    const int *family = family_;
    struct ifinfomsg ifi = { .ifi_family = *family };

    return make_simple_msg(RTM_GETLINK, NLM_F_DUMP, &ifi, sizeof ifi);
}

static int
compare_links(const void *a_, const void *b_)
{
    const struct netlink_link *a = a_, *b = b_;

    return a->ifindex < b->ifindex ? -1 : a->ifindex > b->ifindex;
}

static const struct dump_class link_dump_class = {
    .what = "links",
    .make_msg = make_link_dump_msg,
    .reply = link_dump_reply,
    .size = sizeof(struct netlink_link),
    .compare = compare_links,
};

int
netlink_link_dump(struct netlink_ns *ns, struct netlink_link **linksp,
                  size_t *n, char **errp)
{
    struct dump_array array = { NULL, 0, 0 };
    int family = AF_UNSPEC;
    int error;

    clear_error(errp);
    error = dump(ns, &link_dump_class, &family, &array, &array, errp);
    *linksp = array.elems;
    *n = array.n;
    return error;
}

const struct netlink_link *
netlink_link_find(const struct netlink_link *links, size_t n, int ifindex)
{
    struct netlink_link key;

    if (!n) {
        return NULL;
    }
    key.ifindex = ifindex;
    return bsearch(&key, links, n, sizeof *links, compare_links);
}

const char *
netlink_operstate_to_string(uint8_t operstate)
{
    static const char *const names[] = {
        [IF_OPER_UNKNOWN] = "unknown",
        [IF_OPER_NOTPRESENT] = "notpresent",
        [IF_OPER_DOWN] = "down",
        [IF_OPER_LOWERLAYERDOWN] = "lowerlayerdown",
        [IF_OPER_TESTING] = "testing",
        [IF_OPER_DORMANT] = "dormant",
        [IF_OPER_UP] = "up",
    };

    return (operstate < ARRAY_SIZE(names) && names[operstate]
            ? names[operstate] : "unknown");
}

char *
netlink_link_format_mac(const struct netlink_link *link, char *buf)
{
    char *p = buf;

    *p = '\0';
    for (size_t i = 0; i < link->mac_len; i++) {
        p += sprintf(p, "%s%02x", i ? ":" : "", link->mac[i]);
    }
    return buf;
}

/* ---------------------------------------------------------------------
 * Link changes.
 */

void
netlink_link_attrs_init(struct netlink_link_attrs *attrs)
{
    memset(attrs, 0, sizeof *attrs);
    attrs->up = -1;
    attrs->txqlen = -1;
}

/* Applies ATTRS (but not 'name' and 'netns') to libnl link object L,
 * resolving 'master' in NS.  WHAT names the link in messages.  If CREATING,
 * leaves out the alias, which the kernel ignores in creation requests (see
 * finish_create()). */
static int
attrs_to_rtnl(struct netlink_ns *ns, struct rtnl_link *l,
              const struct netlink_link_attrs *attrs, const char *what,
              bool creating, char **errp)
{
    if (!attrs) {
        return 0;
    }
    if (attrs->up == 1) {
        rtnl_link_set_flags(l, IFF_UP);
    } else if (attrs->up == 0) {
        rtnl_link_unset_flags(l, IFF_UP);
    }
    if (attrs->mtu < 0) {
        return set_error(errp, EINVAL, "invalid MTU %d for '%s'",
                         attrs->mtu, what);
    } else if (attrs->mtu > 0) {
        rtnl_link_set_mtu(l, attrs->mtu);
    }
    if (attrs->txqlen >= 0) {
        rtnl_link_set_txqlen(l, attrs->txqlen);
    }
    if (attrs->mac) {
        struct nl_addr *addr;
        uint8_t mac[6];

        if (!parse_mac(attrs->mac, mac)) {
            return set_error(errp, EINVAL, "invalid MAC address '%s' for "
                             "'%s'", attrs->mac, what);
        }
        addr = nl_addr_build(AF_LLC, mac, sizeof mac);
        rtnl_link_set_addr(l, addr);
        nl_addr_put(addr);
    }
    if (attrs->alias) {
        if (strlen(attrs->alias) >= IFALIASZ) {
            return set_error(errp, EINVAL, "alias for '%s' exceeds %d "
                             "characters", what, IFALIASZ - 1);
        }
        if (!creating) {
            rtnl_link_set_ifalias(l, attrs->alias);
        }
    }
    if (attrs->master) {
        int master = 0;

        if (attrs->master[0]) {
            int error = name_to_index(ns, attrs->master, &master, errp);
            if (error) {
                return error;
            }
        }
        rtnl_link_set_master(l, master);
    }
    return 0;
}

int
netlink_link_set(struct netlink_ns *ns, const char *ifname,
                 const struct netlink_link_attrs *attrs, char **errp)
{
    struct rtnl_link *orig, *change;
    struct nl_msg *msg;
    char *extack = NULL;
    const char *new_name = NULL;
    int error;

    clear_error(errp);
    error = netlink_validate_ifname(ifname, "device name", errp);
    if (error) {
        return error;
    }
    if (attrs->name && strcmp(attrs->name, ifname)) {
        error = netlink_validate_ifname(attrs->name, "new device name",
                                        errp);
        if (error) {
            return error;
        }
        new_name = attrs->name;
    }

    orig = rtnl_link_alloc();
    change = rtnl_link_alloc();
    if (new_name) {
        /* Renaming: the kernel finds the link by index. */
        int ifindex;

        error = name_to_index(ns, ifname, &ifindex, errp);
        if (error) {
            goto out;
        }
        rtnl_link_set_ifindex(orig, ifindex);
        rtnl_link_set_name(change, new_name);
    } else {
        /* Index 0 and IFLA_IFNAME: the kernel finds the link by name. */
        rtnl_link_set_name(change, ifname);
    }
    error = attrs_to_rtnl(ns, change, attrs, ifname, false, errp);
    if (error) {
        goto out;
    }
    if (attrs->netns && attrs->netns != ns) {
        rtnl_link_set_ns_fd(change, netns_fd(attrs->netns->netns));
    }

    error = rtnl_link_build_change_request(orig, change, 0, &msg);
    if (error < 0) {
        error = set_error(errp, nlerr_to_errno(error),
                          "cannot build netlink request");
        goto out;
    }
    error = transact_ack(ns, msg, &extack);
    if (error == ENODEV) {
        set_error(errp, error, "device '%s' not found%s", ifname,
                  ns->suffix);
    } else if (error == EEXIST) {
        const char *where = (attrs->netns && attrs->netns != ns
                             ? attrs->netns->suffix : ns->suffix);
        set_error(errp, error, "device '%s' already exists%s",
                  new_name ? new_name : ifname, where);
    } else if (error) {
        kernel_error(errp, error, extack, "cannot change device '%s'%s",
                     ifname, ns->suffix);
    } else {
        VLOG_DBG("changed device '%s'%s", ifname, ns->suffix);
    }

out:
    free(extack);
    rtnl_link_put(orig);
    rtnl_link_put(change);
    return error;
}

int
netlink_link_set_up(struct netlink_ns *ns, const char *ifname, bool up,
                    char **errp)
{
    struct netlink_link_attrs attrs;

    netlink_link_attrs_init(&attrs);
    attrs.up = up;
    return netlink_link_set(ns, ifname, &attrs, errp);
}

int
netlink_link_set_master(struct netlink_ns *ns, const char *ifname,
                        const char *master, char **errp)
{
    struct netlink_link_attrs attrs;

    netlink_link_attrs_init(&attrs);
    attrs.master = master ? master : "";
    return netlink_link_set(ns, ifname, &attrs, errp);
}

int
netlink_link_set_netns(struct netlink_ns *ns, const char *ifname,
                       struct netlink_ns *target, const char *new_name,
                       char **errp)
{
    struct netlink_link_attrs attrs;

    netlink_link_attrs_init(&attrs);
    attrs.netns = target;
    attrs.name = new_name;
    return netlink_link_set(ns, ifname, &attrs, errp);
}

int
netlink_link_del(struct netlink_ns *ns, const char *ifname, char **errp)
{
    struct rtnl_link *link;
    struct nl_msg *msg;
    char *extack;
    int error;

    clear_error(errp);
    error = netlink_validate_ifname(ifname, "device name", errp);
    if (error) {
        return error;
    }
    link = rtnl_link_alloc();
    rtnl_link_set_name(link, ifname);
    error = rtnl_link_build_delete_request(link, &msg);
    rtnl_link_put(link);
    if (error < 0) {
        return set_error(errp, nlerr_to_errno(error),
                         "cannot build netlink request");
    }
    error = transact_ack(ns, msg, &extack);
    if (error == ENODEV) {
        set_error(errp, error, "device '%s' not found%s", ifname,
                  ns->suffix);
    } else if (error) {
        kernel_error(errp, error, extack, "cannot delete device '%s'%s",
                     ifname, ns->suffix);
    } else {
        VLOG_DBG("deleted device '%s'%s", ifname, ns->suffix);
    }
    free(extack);
    return error;
}

/* Applies, after creating link NAME in NS, what the kernel ignores in a
 * creation request: the alias (IFLA_IFALIAS) and, if UP_TOO, the up/down
 * state.  One request at most. */
static int
finish_create(struct netlink_ns *ns, const char *name,
              const struct netlink_link_attrs *attrs, bool up_too,
              char **errp)
{
    struct netlink_link_attrs late;

    if (!attrs || (!attrs->alias && (!up_too || attrs->up < 0))) {
        return 0;
    }
    netlink_link_attrs_init(&late);
    late.alias = attrs->alias;
    if (up_too) {
        late.up = attrs->up;
    }
    return netlink_link_set(ns, name, &late, errp);
}

/* Asks the kernel to create LINK in NS; fails with EEXIST if its name is
 * taken.  Returns 0 or a positive errno, with the kernel's extended ACK,
 * if any, in *EXTACKP (caller frees).  Reports only a failure to build the
 * request in *ERRP. */
static int
send_create(struct netlink_ns *ns, struct rtnl_link *link, char **extackp,
            char **errp)
{
    struct nl_msg *msg;
    int error;

    error = rtnl_link_build_add_request(link, NLM_F_CREATE | NLM_F_EXCL,
                                        &msg);
    return (error < 0
            ? set_error(errp, nlerr_to_errno(error),
                        "cannot build netlink request")
            : transact_ack(ns, msg, extackp));
}

/* Checks that ATTRS does not ask for what creation cannot do. */
static int
check_create_attrs(const struct netlink_link_attrs *attrs, const char *name,
                   char **errp)
{
    if (attrs && (attrs->netns || attrs->name)) {
        return set_error(errp, EINVAL, "cannot move or rename '%s' while "
                         "creating it", name);
    }
    return 0;
}

/* ---------------------------------------------------------------------
 * Bridges.
 */

void
netlink_bridge_options_init(struct netlink_bridge_options *opts)
{
    opts->stp = -1;
    opts->ageing_time = -1;
    opts->vlan_filtering = -1;
    opts->mcast_snooping = -1;
}

static bool
bridge_options_any(const struct netlink_bridge_options *opts)
{
    return opts && (opts->stp >= 0 || opts->ageing_time >= 0
                    || opts->vlan_filtering >= 0
                    || opts->mcast_snooping >= 0);
}

/* Sends the IFLA_BR_* options in OPTS for bridge NAME (raw message:
 * libnl-route 3.7 has no setters for them). */
static int
set_bridge_options(struct netlink_ns *ns, const char *name,
                   const struct netlink_bridge_options *opts, char **errp)
{
    struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
    struct nlattr *linkinfo, *data;
    struct nl_msg *msg;
    char *extack;
    int error;

    if (opts->ageing_time > 42949672) {
        return set_error(errp, EINVAL, "ageing time %d s for bridge '%s' "
                         "is too large", opts->ageing_time, name);
    }
    msg = make_simple_msg(RTM_NEWLINK, 0, &ifi, sizeof ifi);
    nla_put_string(msg, IFLA_IFNAME, name);
    linkinfo = nla_nest_start(msg, IFLA_LINKINFO);
    nla_put_string(msg, IFLA_INFO_KIND, "bridge");
    data = nla_nest_start(msg, IFLA_INFO_DATA);
    if (opts->stp >= 0) {
        nla_put_u32(msg, IFLA_BR_STP_STATE, opts->stp != 0);
    }
    if (opts->ageing_time >= 0) {
        nla_put_u32(msg, IFLA_BR_AGEING_TIME, opts->ageing_time * 100);
    }
    if (opts->vlan_filtering >= 0) {
        nla_put_u8(msg, IFLA_BR_VLAN_FILTERING, opts->vlan_filtering != 0);
    }
    if (opts->mcast_snooping >= 0) {
        nla_put_u8(msg, IFLA_BR_MCAST_SNOOPING, opts->mcast_snooping != 0);
    }
    nla_nest_end(msg, data);
    nla_nest_end(msg, linkinfo);

    error = transact_ack(ns, msg, &extack);
    if (error == ENODEV) {
        set_error(errp, error, "bridge '%s' not found%s", name, ns->suffix);
    } else if (error) {
        kernel_error(errp, error, extack, "cannot set options of bridge "
                     "'%s'%s", name, ns->suffix);
    }
    free(extack);
    return error;
}

int
netlink_bridge_add(struct netlink_ns *ns, const char *name,
                   const struct netlink_bridge_options *opts,
                   const struct netlink_link_attrs *attrs,
                   bool may_exist, char **errp)
{
    struct rtnl_link *link;
    char *extack = NULL;
    bool created = false;
    int error;

    clear_error(errp);
    error = netlink_validate_ifname(name, "bridge name", errp);
    if (error || (error = check_create_attrs(attrs, name, errp))) {
        return error;
    }

    link = rtnl_link_bridge_alloc();
    rtnl_link_set_name(link, name);
    error = attrs_to_rtnl(ns, link, attrs, name, true, errp);
    if (!error) {
        error = send_create(ns, link, &extack, errp);
        if (error == EEXIST) {
            struct link_details d;

            if (!get_link_details(ns, name, 0, &d, NULL)) {
                if (!d.is_bridge) {
                    set_error(errp, error, "device '%s'%s exists and is not "
                              "a bridge", name, ns->suffix);
                } else if (!may_exist) {
                    set_error(errp, error, "bridge '%s' already exists%s",
                              name, ns->suffix);
                } else {
                    error = attrs ? netlink_link_set(ns, name, attrs, errp)
                                  : 0;
                }
            } else {
                set_error(errp, error, "device '%s' already exists%s", name,
                          ns->suffix);
            }
        } else if (error && errp && !*errp) {
            kernel_error(errp, error, extack, "cannot create bridge '%s'%s",
                         name, ns->suffix);
        } else if (!error) {
            VLOG_DBG("created bridge '%s'%s", name, ns->suffix);
            created = true;
            error = finish_create(ns, name, attrs, false, errp);
        }
    }
    rtnl_link_put(link);
    free(extack);

    if (!error && bridge_options_any(opts)) {
        error = set_bridge_options(ns, name, opts, errp);
        if (error && created) {
            /* Do not leave a half-configured bridge behind. */
            netlink_link_del(ns, name, NULL);
        }
    }
    return error;
}

int
netlink_bridge_set_options(struct netlink_ns *ns, const char *name,
                           const struct netlink_bridge_options *opts,
                           char **errp)
{
    struct link_details d;
    int error;

    clear_error(errp);
    error = get_link_details(ns, name, 0, &d, errp);
    if (error) {
        return error;
    }
    if (!d.is_bridge) {
        return set_error(errp, EINVAL, "device '%s' is not a bridge%s",
                         name, ns->suffix);
    }
    return bridge_options_any(opts) ? set_bridge_options(ns, name, opts,
                                                         errp) : 0;
}

int
netlink_bridge_get_options(struct netlink_ns *ns, const char *name,
                           struct netlink_bridge_options *opts, char **errp)
{
    struct link_details d;
    int error;

    error = get_link_details(ns, name, 0, &d, errp);
    if (error) {
        netlink_bridge_options_init(opts);
        return error;
    }
    if (!d.is_bridge) {
        netlink_bridge_options_init(opts);
        return set_error(errp, EINVAL, "device '%s' is not a bridge%s",
                         name, ns->suffix);
    }
    *opts = d.bridge;
    return 0;
}

/* ---------------------------------------------------------------------
 * veth and VXLAN.
 */

int
netlink_veth_add(struct netlink_ns *ns, const char *name,
                 const struct netlink_link_attrs *attrs,
                 struct netlink_ns *peer_ns, const char *peer_name,
                 const struct netlink_link_attrs *peer_attrs, char **errp)
{
    struct netlink_link_attrs pattrs;
    struct rtnl_link *link, *peer;
    char *extack = NULL;
    int error;

    clear_error(errp);
    if (!peer_ns) {
        peer_ns = ns;
    }
    error = netlink_validate_ifname(name, "veth name", errp);
    if (error
        || (error = netlink_validate_ifname(peer_name, "veth peer name",
                                            errp))
        || (error = check_create_attrs(attrs, name, errp))
        || (error = check_create_attrs(peer_attrs, peer_name, errp))) {
        return error;
    }
    if (peer_ns == ns && !strcmp(name, peer_name)) {
        return set_error(errp, EINVAL, "veth name and peer name are both "
                         "'%s'%s", name, ns->suffix);
    }
    if (peer_attrs && peer_attrs->master) {
        return set_error(errp, EINVAL, "cannot enslave veth peer '%s' "
                         "while creating it", peer_name);
    }

    /* The kernel cannot bring the peer up while creating it (nor set an
     * alias on either end): that is a separate request, in the peer's
     * namespace. */
    if (peer_attrs) {
        pattrs = *peer_attrs;
        pattrs.up = -1;
        pattrs.alias = NULL;
    }

    link = rtnl_link_veth_alloc();
    peer = rtnl_link_veth_get_peer(link);
    rtnl_link_set_name(link, name);
    rtnl_link_set_name(peer, peer_name);
    if (peer_ns != ns) {
        rtnl_link_set_ns_fd(peer, netns_fd(peer_ns->netns));
    }
    error = attrs_to_rtnl(ns, link, attrs, name, true, errp);
    if (!error && peer_attrs) {
        error = attrs_to_rtnl(peer_ns, peer, &pattrs, peer_name, true,
                              errp);
    }
    if (!error) {
        error = send_create(ns, link, &extack, errp);
        if (error == EEXIST) {
            struct netlink_link l;

            /* Which name is taken?  Only asked after a failure. */
            if (!netlink_link_get(ns, name, &l, NULL)) {
                set_error(errp, error, "device '%s' already exists%s", name,
                          ns->suffix);
            } else {
                set_error(errp, error, "device '%s' already exists%s",
                          peer_name, peer_ns->suffix);
            }
        } else if (error && errp && !*errp) {
            kernel_error(errp, error, extack, "cannot create veth pair "
                         "'%s'%s with peer '%s'%s", name, ns->suffix,
                         peer_name, peer_ns->suffix);
        }
    }
    rtnl_link_put(peer);
    rtnl_link_put(link);
    free(extack);

    if (!error) {
        error = finish_create(ns, name, attrs, false, errp);
    }
    if (!error) {
        error = finish_create(peer_ns, peer_name, peer_attrs, true, errp);
    }
    if (!error) {
        VLOG_DBG("created veth pair '%s'%s with peer '%s'%s", name,
                 ns->suffix, peer_name, peer_ns->suffix);
    }
    return error;
}

void
netlink_vxlan_options_init(struct netlink_vxlan_options *opts)
{
    memset(opts, 0, sizeof *opts);
    opts->learning = -1;
}

int
netlink_vxlan_add(struct netlink_ns *ns, const char *name,
                  const struct netlink_vxlan_options *opts,
                  const struct netlink_link_attrs *attrs, char **errp)
{
    struct nl_addr *remote = NULL, *local = NULL;
    struct rtnl_link *link;
    char *extack = NULL;
    int error;

    clear_error(errp);
    error = netlink_validate_ifname(name, "vxlan name", errp);
    if (error || (error = check_create_attrs(attrs, name, errp))) {
        return error;
    }
    if (opts->vni > VXLAN_ID_MAX) {
        return set_error(errp, EINVAL, "VXLAN id %"PRIu32" for '%s' is out "
                         "of range (0 to %d)", opts->vni, name,
                         VXLAN_ID_MAX);
    }
    if (opts->dst_port < 0 || opts->dst_port > 65535) {
        return set_error(errp, EINVAL, "invalid VXLAN port %d for '%s'",
                         opts->dst_port, name);
    }
    if (opts->remote && parse_ip(opts->remote, false, &remote)) {
        return set_error(errp, EINVAL, "invalid remote address '%s' for "
                         "'%s'", opts->remote, name);
    }
    if (opts->local && parse_ip(opts->local, false, &local)) {
        nl_addr_put(remote);
        return set_error(errp, EINVAL, "invalid local address '%s' for "
                         "'%s'", opts->local, name);
    }

    link = rtnl_link_vxlan_alloc();
    rtnl_link_set_name(link, name);
    rtnl_link_vxlan_set_id(link, opts->vni);
    if (remote) {
        rtnl_link_vxlan_set_group(link, remote);
    }
    if (local) {
        rtnl_link_vxlan_set_local(link, local);
    }
    rtnl_link_vxlan_set_port(link, opts->dst_port ? opts->dst_port : 4789);
    if (opts->learning >= 0) {
        rtnl_link_vxlan_set_learning(link, opts->learning != 0);
    }
    if (opts->dev) {
        int ifindex;

        error = name_to_index(ns, opts->dev, &ifindex, errp);
        if (!error) {
            rtnl_link_vxlan_set_link(link, ifindex);
        }
    }
    if (!error) {
        error = attrs_to_rtnl(ns, link, attrs, name, true, errp);
    }
    if (!error) {
        error = send_create(ns, link, &extack, errp);
        if (error == EEXIST) {
            set_error(errp, error, "device '%s' already exists%s", name,
                      ns->suffix);
        } else if (error && errp && !*errp) {
            kernel_error(errp, error, extack, "cannot create VXLAN device "
                         "'%s'%s", name, ns->suffix);
        } else if (!error) {
            VLOG_DBG("created VXLAN device '%s' (VNI %"PRIu32")%s", name,
                     opts->vni, ns->suffix);
            error = finish_create(ns, name, attrs, false, errp);
        }
    }
    rtnl_link_put(link);
    nl_addr_put(remote);
    nl_addr_put(local);
    free(extack);
    return error;
}

/* ---------------------------------------------------------------------
 * Bridge ports and VLANs.
 */

void
netlink_bridge_port_options_init(struct netlink_bridge_port_options *opts)
{
    opts->hairpin = -1;
    opts->learning = -1;
    opts->flood = -1;
    opts->isolated = -1;
}

int
netlink_bridge_port_set(struct netlink_ns *ns, const char *port,
                        const struct netlink_bridge_port_options *opts,
                        char **errp)
{
    struct ifinfomsg ifi = { .ifi_family = AF_BRIDGE };
    struct link_details d;
    struct nlattr *protinfo;
    struct nl_msg *msg;
    char *extack;
    int error;

    error = get_link_details(ns, port, 0, &d, errp);
    if (error) {
        return error;
    }
    if (!d.link.master || !d.is_bridge_port) {
        return set_error(errp, EINVAL, "device '%s' is not a bridge port%s",
                         port, ns->suffix);
    }

    /* As "bridge link set": AF_BRIDGE RTM_SETLINK with a nested
     * IFLA_PROTINFO (libnl-route 3.7 lacks IFLA_BRPORT_ISOLATED). */
    ifi.ifi_index = d.link.ifindex;
    msg = make_simple_msg(RTM_SETLINK, 0, &ifi, sizeof ifi);
    protinfo = nla_nest_start(msg, IFLA_PROTINFO | NLA_F_NESTED);
    if (opts->hairpin >= 0) {
        nla_put_u8(msg, IFLA_BRPORT_MODE, opts->hairpin != 0);
    }
    if (opts->learning >= 0) {
        nla_put_u8(msg, IFLA_BRPORT_LEARNING, opts->learning != 0);
    }
    if (opts->flood >= 0) {
        nla_put_u8(msg, IFLA_BRPORT_UNICAST_FLOOD, opts->flood != 0);
    }
    if (opts->isolated >= 0) {
        nla_put_u8(msg, IFLA_BRPORT_ISOLATED, opts->isolated != 0);
    }
    nla_nest_end(msg, protinfo);

    error = transact_ack(ns, msg, &extack);
    if (error) {
        kernel_error(errp, error, extack, "cannot set bridge port flags of "
                     "'%s'%s", port, ns->suffix);
    }
    free(extack);
    return error;
}

int
netlink_bridge_port_get(struct netlink_ns *ns, const char *port,
                        struct netlink_bridge_port_options *opts,
                        char **errp)
{
    struct link_details d;
    int error;

    netlink_bridge_port_options_init(opts);
    error = get_link_details(ns, port, 0, &d, errp);
    if (error) {
        return error;
    }
    if (!d.is_bridge_port) {
        return set_error(errp, EINVAL, "device '%s' is not a bridge port%s",
                         port, ns->suffix);
    }
    *opts = d.port;
    return 0;
}

static int
check_vid(uint16_t vid, char **errp)
{
    if (vid < 1 || vid > 4094) {
        return set_error(errp, EINVAL, "VLAN id %u is out of range (1 to "
                         "4094)", vid);
    }
    return 0;
}

/* Sends one AF_BRIDGE RTM_SETLINK (TYPE == RTM_SETLINK, add) or
 * RTM_DELLINK (remove) carrying the N VLANs in VIDS with FLAGS[i] for
 * link D. */
static int
send_vlans(struct netlink_ns *ns, const struct link_details *d, int type,
           const uint16_t *vids, const unsigned int *flags, size_t n,
           char **errp)
{
    struct ifinfomsg ifi = { .ifi_family = AF_BRIDGE,
                             .ifi_index = d->link.ifindex };
    struct nlattr *afspec;
    struct nl_msg *msg;
    char *extack;
    int error;

    if (!n) {
        return 0;
    }
    msg = make_simple_msg(type, 0, &ifi, sizeof ifi);
    afspec = nla_nest_start(msg, IFLA_AF_SPEC);
    if (d->is_bridge) {
        /* The bridge device's own VLANs. */
        nla_put_u16(msg, IFLA_BRIDGE_FLAGS, BRIDGE_FLAGS_SELF);
    }
    for (size_t i = 0; i < n; i++) {
        struct bridge_vlan_info vinfo = { .vid = vids[i] };

        if (flags && flags[i] & NETLINK_VLAN_PVID) {
            vinfo.flags |= BRIDGE_VLAN_INFO_PVID;
        }
        if (flags && flags[i] & NETLINK_VLAN_UNTAGGED) {
            vinfo.flags |= BRIDGE_VLAN_INFO_UNTAGGED;
        }
        nla_put(msg, IFLA_BRIDGE_VLAN_INFO, sizeof vinfo, &vinfo);
    }
    nla_nest_end(msg, afspec);

    error = transact_ack(ns, msg, &extack);
    if (error) {
        if (n == 1) {
            kernel_error(errp, error, extack, "cannot %s VLAN %u %s '%s'%s",
                         type == RTM_SETLINK ? "add" : "remove", vids[0],
                         type == RTM_SETLINK ? "to" : "from",
                         d->link.name, ns->suffix);
        } else {
            kernel_error(errp, error, extack, "cannot %s VLANs %s '%s'%s",
                         type == RTM_SETLINK ? "add" : "remove",
                         type == RTM_SETLINK ? "to" : "from",
                         d->link.name, ns->suffix);
        }
    }
    free(extack);
    return error;
}

static int
get_vlan_port(struct netlink_ns *ns, const char *port,
              struct link_details *d, char **errp)
{
    int error = get_link_details(ns, port, 0, d, errp);

    if (!error && !d->is_bridge && !d->is_bridge_port) {
        error = set_error(errp, EINVAL, "device '%s' is neither a bridge "
                          "nor a bridge port%s", port, ns->suffix);
    }
    return error;
}

/* Adds (TYPE is RTM_SETLINK, with FLAGSP) or deletes (RTM_DELLINK, FLAGSP
 * null) VLAN VID on bridge or bridge port PORT. */
static int
change_vlan(struct netlink_ns *ns, const char *port, int type, uint16_t vid,
            const unsigned int *flagsp, char **errp)
{
    struct link_details d;
    int error;

    clear_error(errp);
    error = check_vid(vid, errp);
    if (error || (error = get_vlan_port(ns, port, &d, errp))) {
        return error;
    }
    return send_vlans(ns, &d, type, &vid, flagsp, 1, errp);
}

int
netlink_bridge_vlan_add(struct netlink_ns *ns, const char *port,
                        uint16_t vid, unsigned int flags, char **errp)
{
    return change_vlan(ns, port, RTM_SETLINK, vid, &flags, errp);
}

int
netlink_bridge_vlan_del(struct netlink_ns *ns, const char *port,
                        uint16_t vid, char **errp)
{
    return change_vlan(ns, port, RTM_DELLINK, vid, NULL, errp);
}

struct vlan_dump_aux {
    int ifindex;                /* 0: all. */
    struct dump_array vlans;
};

static int
vlan_dump_reply(const struct nlmsghdr *hdr, void *aux_)
{
    struct vlan_dump_aux *aux = aux_;
    struct nlattr *tb[IFLA_MAX + 1];
    const struct ifinfomsg *ifi;
    const struct nlattr *a;
    char name[IFNAMSIZ];
    int rem;

    if (hdr->nlmsg_type != RTM_NEWLINK
        || hdr->nlmsg_len < NLMSG_LENGTH(sizeof *ifi)
        || nlmsg_parse((struct nlmsghdr *) hdr, sizeof *ifi, tb, IFLA_MAX,
                       NULL) < 0
        || !tb[IFLA_AF_SPEC]) {
        return 0;
    }
    ifi = NLMSG_DATA(hdr);
    if (aux->ifindex && ifi->ifi_index != aux->ifindex) {
        return 0;
    }
    attr_string(tb[IFLA_IFNAME], name, sizeof name);
    nla_for_each_nested(a, tb[IFLA_AF_SPEC], rem) {
        const struct bridge_vlan_info *v;
        struct netlink_vlan *vlan;

        if (nla_type(a) != IFLA_BRIDGE_VLAN_INFO
            || nla_len(a) < (int) sizeof *v) {
            continue;
        }
        v = nla_data(a);
        vlan = array_append(&aux->vlans, sizeof *vlan);
        vlan->ifindex = ifi->ifi_index;
        memcpy(vlan->port, name, sizeof vlan->port);
        vlan->vid = v->vid;
        vlan->flags = ((v->flags & BRIDGE_VLAN_INFO_PVID
                        ? NETLINK_VLAN_PVID : 0)
                       | (v->flags & BRIDGE_VLAN_INFO_UNTAGGED
                          ? NETLINK_VLAN_UNTAGGED : 0));
    }
    return 0;
}

static struct nl_msg *
make_vlan_dump_msg(const void *aux VS_UNUSED)
{
    struct ifinfomsg ifi = { .ifi_family = AF_BRIDGE };
    struct nl_msg *msg;

    msg = make_simple_msg(RTM_GETLINK, NLM_F_DUMP, &ifi, sizeof ifi);
    nla_put_u32(msg, IFLA_EXT_MASK, RTEXT_FILTER_BRVLAN);
    return msg;
}

static int
compare_vlans(const void *a_, const void *b_)
{
    const struct netlink_vlan *a = a_, *b = b_;

    if (a->ifindex != b->ifindex) {
        return a->ifindex < b->ifindex ? -1 : 1;
    }
    return a->vid < b->vid ? -1 : a->vid > b->vid;
}

static const struct dump_class vlan_dump_class = {
    .what = "bridge VLANs",
    .make_msg = make_vlan_dump_msg,
    .reply = vlan_dump_reply,
    .size = sizeof(struct netlink_vlan),
    .compare = compare_vlans,
};

static int
list_vlans(struct netlink_ns *ns, int ifindex, struct netlink_vlan **vlansp,
           size_t *n, char **errp)
{
    struct vlan_dump_aux aux = { .ifindex = ifindex };
    int error;

    error = dump(ns, &vlan_dump_class, NULL, &aux, &aux.vlans, errp);
    *vlansp = aux.vlans.elems;
    *n = aux.vlans.n;
    return error;
}

int
netlink_bridge_vlan_list(struct netlink_ns *ns, const char *port,
                         struct netlink_vlan **vlansp, size_t *n,
                         char **errp)
{
    int ifindex;
    int error;

    clear_error(errp);
    *vlansp = NULL;
    *n = 0;
    error = name_to_index(ns, port, &ifindex, errp);
    return error ? error : list_vlans(ns, ifindex, vlansp, n, errp);
}

int
netlink_bridge_vlan_set(struct netlink_ns *ns, const char *port,
                        uint16_t pvid, const uint16_t *tagged,
                        size_t n_tagged, char **errp)
{
    unsigned int *want;         /* Indexed by VID: 0 unwanted, else flags
                                 * + 0x100. */
    uint16_t *add_vids, *del_vids;
    unsigned int *add_flags;
    size_t n_add = 0, n_del = 0;
    struct netlink_vlan *cur;
    struct link_details d;
    size_t n_cur;
    int error;

    clear_error(errp);
    if (pvid && (error = check_vid(pvid, errp))) {
        return error;
    }
    for (size_t i = 0; i < n_tagged; i++) {
        error = check_vid(tagged[i], errp);
        if (error) {
            return error;
        }
    }
    error = get_vlan_port(ns, port, &d, errp);
    if (error) {
        return error;
    }
    error = list_vlans(ns, d.link.ifindex, &cur, &n_cur, errp);
    if (error) {
        return error;
    }

    want = xcalloc(4096, sizeof *want);
    for (size_t i = 0; i < n_tagged; i++) {
        want[tagged[i]] = 0x100;
    }
    if (pvid) {
        want[pvid] = 0x100 | NETLINK_VLAN_PVID | NETLINK_VLAN_UNTAGGED;
    }

    add_vids = xmalloc(4096 * sizeof *add_vids);
    add_flags = xmalloc(4096 * sizeof *add_flags);
    del_vids = xmalloc((n_cur + 1) * sizeof *del_vids);
    for (size_t i = 0; i < n_cur; i++) {
        uint16_t vid = cur[i].vid;

        if (vid >= 4096) {
            continue;
        } else if (!want[vid]) {
            del_vids[n_del++] = vid;
        } else if ((want[vid] & 0xff) == cur[i].flags) {
            want[vid] = 0;      /* Already right. */
        }
    }
    for (unsigned int vid = 1; vid < 4095; vid++) {
        if (want[vid]) {
            add_vids[n_add] = vid;
            add_flags[n_add++] = want[vid] & 0xff;
        }
    }

    /* Add first, so that the port is never without its VLANs. */
    error = send_vlans(ns, &d, RTM_SETLINK, add_vids, add_flags, n_add,
                       errp);
    if (!error) {
        error = send_vlans(ns, &d, RTM_DELLINK, del_vids, NULL, n_del,
                           errp);
    }
    free(want);
    free(add_vids);
    free(add_flags);
    free(del_vids);
    free(cur);
    return error;
}

/* ---------------------------------------------------------------------
 * FDB.
 */

struct fdb_dump_aux {
    int master;                 /* 0: all. */
    struct dump_array fdb;
};

static int
fdb_dump_reply(const struct nlmsghdr *hdr, void *aux_)
{
    struct fdb_dump_aux *aux = aux_;
    struct nlattr *tb[NDA_MAX + 1];
    const struct ndmsg *ndm;
    struct netlink_fdb *e;

    if (hdr->nlmsg_type != RTM_NEWNEIGH
        || hdr->nlmsg_len < NLMSG_LENGTH(sizeof *ndm)
        || nlmsg_parse((struct nlmsghdr *) hdr, sizeof *ndm, tb, NDA_MAX,
                       NULL) < 0
        || !tb[NDA_LLADDR] || nla_len(tb[NDA_LLADDR]) != 6) {
        return 0;
    }
    ndm = NLMSG_DATA(hdr);
    if (ndm->ndm_family != AF_BRIDGE
        || (aux->master && attr_u32(tb[NDA_MASTER], 0) != aux->master)) {
        return 0;
    }
    e = array_append(&aux->fdb, sizeof *e);
    memcpy(e->mac, nla_data(tb[NDA_LLADDR]), 6);
    e->ifindex = ndm->ndm_ifindex;
    e->master = attr_u32(tb[NDA_MASTER], 0);
    e->vlan = attr_u16(tb[NDA_VLAN], 0);
    e->state = ndm->ndm_state;
    e->flags = ndm->ndm_flags;
    return 0;
}

static struct nl_msg *
make_fdb_dump_msg(const void *aux VS_UNUSED)
{
    struct ndmsg ndm = { .ndm_family = AF_BRIDGE };

    return make_simple_msg(RTM_GETNEIGH, NLM_F_DUMP, &ndm, sizeof ndm);
}

static const struct dump_class fdb_dump_class = {
    .what = "forwarding database",
    .make_msg = make_fdb_dump_msg,
    .reply = fdb_dump_reply,
    .size = sizeof(struct netlink_fdb),
    .fill_names = true,
    .index_ofs = offsetof(struct netlink_fdb, ifindex),
    .name_ofs = offsetof(struct netlink_fdb, port),
};

int
netlink_fdb_dump(struct netlink_ns *ns, const char *bridge,
                 struct netlink_fdb **fdbp, size_t *n, char **errp)
{
    struct fdb_dump_aux aux = { 0, { NULL, 0, 0 } };
    int error;

    clear_error(errp);
    error = name_to_index(ns, bridge, &aux.master, errp);
    if (!error) {
        error = dump(ns, &fdb_dump_class, NULL, &aux, &aux.fdb, errp);
    }
    *fdbp = aux.fdb.elems;
    *n = aux.fdb.n;
    return error;
}

/* ---------------------------------------------------------------------
 * Addresses.
 */

bool
netlink_parse_addr(const struct nlmsghdr *hdr, struct netlink_addr *addr)
{
    struct nlattr *tb[IFA_MAX + 1];
    const struct ifaddrmsg *ifa;
    const struct nlattr *a;
    size_t len;

    if (hdr->nlmsg_len < NLMSG_LENGTH(sizeof *ifa)
        || nlmsg_parse((struct nlmsghdr *) hdr, sizeof *ifa, tb, IFA_MAX,
                       NULL) < 0) {
        return false;
    }
    ifa = NLMSG_DATA(hdr);
    if (ifa->ifa_family != AF_INET && ifa->ifa_family != AF_INET6) {
        return false;
    }
    memset(addr, 0, sizeof *addr);
    addr->ifindex = ifa->ifa_index;
    addr->family = ifa->ifa_family;
    addr->prefixlen = ifa->ifa_prefixlen;
    addr->scope = ifa->ifa_scope;
    addr->flags = attr_u32(tb[IFA_FLAGS], ifa->ifa_flags);
    a = tb[IFA_LOCAL] ? tb[IFA_LOCAL] : tb[IFA_ADDRESS];
    len = addr->family == AF_INET ? 4 : 16;
    if (!a || (size_t) nla_len(a) < len) {
        return false;
    }
    memcpy(addr->addr, nla_data(a), len);
    return true;
}

char *
netlink_addr_format(const struct netlink_addr *addr, char *buf)
{
    char ip[INET6_ADDRSTRLEN];

    inet_ntop(addr->family, addr->addr, ip, sizeof ip);
    snprintf(buf, NETLINK_ADDR_BUFSIZE, "%s/%u", ip, addr->prefixlen);
    return buf;
}

static int
addr_change(struct netlink_ns *ns, const char *ifname, const char *cidr,
            bool add, char **errp)
{
    struct nl_addr *local;
    struct rtnl_addr *addr;
    struct nl_msg *msg;
    char *extack = NULL;
    int error, ifindex;

    clear_error(errp);
    if (parse_ip(cidr, true, &local)) {
        return set_error(errp, EINVAL, "invalid IP address '%s'",
                         cidr ? cidr : "");
    }
    error = name_to_index(ns, ifname, &ifindex, errp);
    if (error) {
        nl_addr_put(local);
        return error;
    }

    addr = rtnl_addr_alloc();
    rtnl_addr_set_ifindex(addr, ifindex);
    rtnl_addr_set_family(addr, nl_addr_get_family(local));
    rtnl_addr_set_local(addr, local);
    rtnl_addr_set_prefixlen(addr, nl_addr_get_prefixlen(local));
    error = (add
             ? rtnl_addr_build_add_request(addr, NLM_F_EXCL, &msg)
             : rtnl_addr_build_delete_request(addr, 0, &msg));
    rtnl_addr_put(addr);
    nl_addr_put(local);
    if (error < 0) {
        return set_error(errp, nlerr_to_errno(error),
                         "cannot build netlink request");
    }

    error = transact_ack(ns, msg, &extack);
    if (error == EEXIST && add) {
        set_error(errp, error, "address %s already exists on '%s'%s", cidr,
                  ifname, ns->suffix);
    } else if (error == EADDRNOTAVAIL && !add) {
        set_error(errp, error, "address %s not found on '%s'%s", cidr,
                  ifname, ns->suffix);
    } else if (error) {
        kernel_error(errp, error, extack, "cannot %s address %s %s '%s'%s",
                     add ? "add" : "remove", cidr, add ? "to" : "from",
                     ifname, ns->suffix);
    } else {
        VLOG_DBG("%s address %s %s '%s'%s", add ? "added" : "removed",
                 cidr, add ? "to" : "from", ifname, ns->suffix);
    }
    free(extack);
    return error;
}

int
netlink_addr_add(struct netlink_ns *ns, const char *ifname,
                 const char *cidr, char **errp)
{
    return addr_change(ns, ifname, cidr, true, errp);
}

int
netlink_addr_del(struct netlink_ns *ns, const char *ifname,
                 const char *cidr, char **errp)
{
    return addr_change(ns, ifname, cidr, false, errp);
}

struct addr_dump_aux {
    int ifindex;                /* 0: all. */
    int family;                 /* AF_UNSPEC: all. */
    struct dump_array addrs;
};

static int
addr_dump_reply(const struct nlmsghdr *hdr, void *aux_)
{
    struct addr_dump_aux *aux = aux_;
    struct netlink_addr *addr;

    if (hdr->nlmsg_type != RTM_NEWADDR) {
        return 0;
    }
    addr = array_append(&aux->addrs, sizeof *addr);
    if (!netlink_parse_addr(hdr, addr)
        || (aux->ifindex && addr->ifindex != aux->ifindex)
        || (aux->family != AF_UNSPEC && addr->family != aux->family)) {
        aux->addrs.n--;
    }
    return 0;
}

static struct nl_msg *
make_addr_dump_msg(const void *family_)
{
    const int *family = family_;
    struct ifaddrmsg ifa = { .ifa_family = *family };

    return make_simple_msg(RTM_GETADDR, NLM_F_DUMP, &ifa, sizeof ifa);
}

static int
compare_addrs(const void *a_, const void *b_)
{
    const struct netlink_addr *a = a_, *b = b_;
    int cmp;

    if (a->ifindex != b->ifindex) {
        return a->ifindex < b->ifindex ? -1 : 1;
    }
    if (a->family != b->family) {
        return a->family == AF_INET ? -1 : 1;
    }
    cmp = memcmp(a->addr, b->addr, sizeof a->addr);
    if (cmp) {
        return cmp;
    }
    return a->prefixlen < b->prefixlen ? -1 : a->prefixlen > b->prefixlen;
}

static const struct dump_class addr_dump_class = {
    .what = "addresses",
    .make_msg = make_addr_dump_msg,
    .reply = addr_dump_reply,
    .size = sizeof(struct netlink_addr),
    .compare = compare_addrs,
    .fill_names = true,
    .index_ofs = offsetof(struct netlink_addr, ifindex),
    .name_ofs = offsetof(struct netlink_addr, ifname),
};

int
netlink_addr_list(struct netlink_ns *ns, const char *ifname, int family,
                  struct netlink_addr **addrsp, size_t *n, char **errp)
{
    struct addr_dump_aux aux = { 0, family, { NULL, 0, 0 } };
    int error;

    clear_error(errp);
    error = name_to_index(ns, ifname, &aux.ifindex, errp);
    if (!error) {
        error = dump(ns, &addr_dump_class, &family, &aux, &aux.addrs, errp);
    }
    *addrsp = aux.addrs.elems;
    *n = aux.addrs.n;
    return error;
}

/* ---------------------------------------------------------------------
 * Routes.
 */

char *
netlink_route_format(const struct netlink_route *r, char *buf)
{
    char dst[INET6_ADDRSTRLEN], gw[INET6_ADDRSTRLEN];
    int n;

    if (!r->dst_len) {
        n = snprintf(buf, NETLINK_ROUTE_BUFSIZE, "default");
    } else {
        inet_ntop(r->family, r->dst, dst, sizeof dst);
        n = snprintf(buf, NETLINK_ROUTE_BUFSIZE, "%s/%u", dst, r->dst_len);
    }
    if (r->has_gateway) {
        inet_ntop(r->family, r->gateway, gw, sizeof gw);
        n += snprintf(buf + n, NETLINK_ROUTE_BUFSIZE - n, " via %s", gw);
    }
    if (r->dev[0]) {
        n += snprintf(buf + n, NETLINK_ROUTE_BUFSIZE - n, " dev %s",
                      r->dev);
    } else if (r->oif) {
        n += snprintf(buf + n, NETLINK_ROUTE_BUFSIZE - n, " dev #%d",
                      r->oif);
    }
    if (r->scope == RT_SCOPE_LINK) {
        snprintf(buf + n, NETLINK_ROUTE_BUFSIZE - n, " scope link");
    }
    return buf;
}

static int
route_change(struct netlink_ns *ns, const char *dst, const char *gateway,
             const char *dev, bool add, bool replace, char **errp)
{
    struct nl_addr *dst_addr = NULL, *gw_addr = NULL;
    struct rtnl_nexthop *nh;
    struct rtnl_route *route;
    struct nl_msg *msg;
    char *extack = NULL;
    int error, family, ifindex = 0;

    clear_error(errp);
    if (gateway && parse_ip(gateway, false, &gw_addr)) {
        return set_error(errp, EINVAL, "invalid gateway address '%s'",
                         gateway);
    }
    if (add && !gateway && !dev) {
        return set_error(errp, EINVAL, "route to %s needs a gateway or a "
                         "device", dst ? dst : "?");
    }
    family = gw_addr ? nl_addr_get_family(gw_addr) : AF_INET;
    if (dst && !strcmp(dst, "default")) {
        if (nl_addr_parse("default", family, &dst_addr) < 0) {
            dst_addr = NULL;
        }
    } else if (dst && !parse_ip(dst, true, &dst_addr)) {
        if (!gw_addr) {
            family = nl_addr_get_family(dst_addr);
        }
    }
    if (!dst_addr) {
        nl_addr_put(gw_addr);
        return set_error(errp, EINVAL, "invalid route destination '%s'",
                         dst ? dst : "");
    }
    if (nl_addr_get_family(dst_addr) != family) {
        nl_addr_put(gw_addr);
        nl_addr_put(dst_addr);
        return set_error(errp, EINVAL, "route to %s: gateway %s is of "
                         "another address family", dst, gateway);
    }
    if (dev) {
        error = name_to_index(ns, dev, &ifindex, errp);
        if (error) {
            nl_addr_put(gw_addr);
            nl_addr_put(dst_addr);
            return error;
        }
    }

    route = rtnl_route_alloc();
    rtnl_route_set_family(route, family);
    rtnl_route_set_dst(route, dst_addr);
    rtnl_route_set_table(route, RT_TABLE_MAIN);
    if (add) {
        rtnl_route_set_protocol(route, RTPROT_BOOT);
        rtnl_route_set_type(route, RTN_UNICAST);
    } else {
        /* Match any protocol and scope, as "ip route del" does. */
        rtnl_route_set_protocol(route, RTPROT_UNSPEC);
        rtnl_route_set_scope(route, RT_SCOPE_NOWHERE);
    }
    nh = rtnl_route_nh_alloc();
    if (gw_addr) {
        rtnl_route_nh_set_gateway(nh, gw_addr);
    }
    if (ifindex) {
        rtnl_route_nh_set_ifindex(nh, ifindex);
    }
    rtnl_route_add_nexthop(route, nh);

    error = (add
             ? rtnl_route_build_add_request(route, (replace ? NLM_F_REPLACE
                                                    : NLM_F_EXCL), &msg)
             : rtnl_route_build_del_request(route, 0, &msg));
    rtnl_route_put(route);
    nl_addr_put(gw_addr);
    nl_addr_put(dst_addr);
    if (error < 0) {
        return set_error(errp, nlerr_to_errno(error),
                         "cannot build netlink request");
    }

    error = transact_ack(ns, msg, &extack);
    if (error == EEXIST && add) {
        set_error(errp, error, "route to %s already exists%s", dst,
                  ns->suffix);
    } else if (error == ESRCH && !add) {
        set_error(errp, error, "route to %s not found%s", dst, ns->suffix);
    } else if (error) {
        kernel_error(errp, error, extack, "cannot %s route to %s%s%s%s%s%s",
                     add ? "add" : "delete", dst,
                     gateway ? " via " : "", gateway ? gateway : "",
                     dev ? " dev " : "", dev ? dev : "", ns->suffix);
    } else {
        VLOG_DBG("%s route to %s%s", add ? "added" : "deleted", dst,
                 ns->suffix);
    }
    free(extack);
    return error;
}

int
netlink_route_add(struct netlink_ns *ns, const char *dst,
                  const char *gateway, const char *dev, bool replace,
                  char **errp)
{
    return route_change(ns, dst, gateway, dev, true, replace, errp);
}

int
netlink_route_del(struct netlink_ns *ns, const char *dst,
                  const char *gateway, const char *dev, char **errp)
{
    return route_change(ns, dst, gateway, dev, false, false, errp);
}

struct route_dump_aux {
    int family;
    struct dump_array routes;
};

static int
route_dump_reply(const struct nlmsghdr *hdr, void *aux_)
{
    struct route_dump_aux *aux = aux_;
    struct nlattr *tb[RTA_MAX + 1];
    const struct rtmsg *rtm;
    struct netlink_route *r;
    size_t len;

    if (hdr->nlmsg_type != RTM_NEWROUTE
        || hdr->nlmsg_len < NLMSG_LENGTH(sizeof *rtm)
        || nlmsg_parse((struct nlmsghdr *) hdr, sizeof *rtm, tb, RTA_MAX,
                       NULL) < 0) {
        return 0;
    }
    rtm = NLMSG_DATA(hdr);
    if ((rtm->rtm_family != AF_INET && rtm->rtm_family != AF_INET6)
        || (aux->family != AF_UNSPEC && rtm->rtm_family != aux->family)
        || rtm->rtm_type != RTN_UNICAST
        || attr_u32(tb[RTA_TABLE], rtm->rtm_table) != RT_TABLE_MAIN
        || rtm->rtm_flags & RTM_F_CLONED) {
        return 0;
    }
    len = rtm->rtm_family == AF_INET ? 4 : 16;
    r = array_append(&aux->routes, sizeof *r);
    r->family = rtm->rtm_family;
    r->dst_len = rtm->rtm_dst_len;
    if (tb[RTA_DST] && (size_t) nla_len(tb[RTA_DST]) >= len) {
        memcpy(r->dst, nla_data(tb[RTA_DST]), len);
    }
    if (tb[RTA_GATEWAY] && (size_t) nla_len(tb[RTA_GATEWAY]) >= len) {
        memcpy(r->gateway, nla_data(tb[RTA_GATEWAY]), len);
        r->has_gateway = true;
    }
    r->oif = attr_u32(tb[RTA_OIF], 0);
    r->table = RT_TABLE_MAIN;
    r->protocol = rtm->rtm_protocol;
    r->scope = rtm->rtm_scope;
    r->type = rtm->rtm_type;
    r->metric = attr_u32(tb[RTA_PRIORITY], 0);
    return 0;
}

static struct nl_msg *
make_route_dump_msg(const void *family_)
{
    const int *family = family_;
    struct rtmsg rtm = { .rtm_family = *family };

    return make_simple_msg(RTM_GETROUTE, NLM_F_DUMP, &rtm, sizeof rtm);
}

static const struct dump_class route_dump_class = {
    .what = "routes",
    .make_msg = make_route_dump_msg,
    .reply = route_dump_reply,
    .size = sizeof(struct netlink_route),
    .fill_names = true,
    .index_ofs = offsetof(struct netlink_route, oif),
    .name_ofs = offsetof(struct netlink_route, dev),
};

int
netlink_route_list(struct netlink_ns *ns, int family,
                   struct netlink_route **routesp, size_t *n, char **errp)
{
    struct route_dump_aux aux = { family, { NULL, 0, 0 } };
    int error;

    clear_error(errp);
    error = dump(ns, &route_dump_class, &family, &aux, &aux.routes, errp);
    *routesp = aux.routes.elems;
    *n = aux.routes.n;
    return error;
}
