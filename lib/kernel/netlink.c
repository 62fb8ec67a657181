/* The core of the netlink module (see netlink.h, and netlink-private.h for
 * how the module is split): namespace handles and their sockets, the
 * request and answer core that every other file of the module goes
 * through, error messages, and name and address parsing.
 *
 * Requests are built with libnl: rtnl_link_* objects (generic link
 * changes, veth, VXLAN, deletion, lookups), rtnl_addr_*, rtnl_route_*, and
 * raw nl_msg construction for what libnl-route 3.7 lacks (bridge options
 * IFLA_BR_*, bridge port flags IFLA_BRPORT_*, bridge VLANs).  Each request
 * is sent with nl_send_auto() on the namespace's cached socket; answers are
 * read by netlink_transact(), which keeps the kernel's real errno (libnl's
 * error codes lose it) and its extended-ACK text for messages. */
#include <config.h>

#include "netlink.h"
#include "netlink-private.h"

#include <ctype.h>
#include <errno.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <netlink/addr.h>
#include <netlink/attr.h>
#include <netlink/errno.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
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

/* Every open handle, by namespace id. */
static struct hmap all_ns = HMAP_INITIALIZER(&all_ns);

/* Receive buffer shared by all requests (one thread, and reply callbacks
 * never start another request).  Larger than any message the kernel sends
 * (dump skbs are at most 32 kB). */
static uint8_t rx_buf[65536];

/* ---------------------------------------------------------------------
 * Errors.
 */

int
netlink_set_error(char **errp, int error, const char *format, ...)
{
    if (errp) {
        va_list args;

        va_start(args, format);
        *errp = xvasprintf(format, args);
        va_end(args);
    }
    return error;
}

int
netlink_kernel_error(char **errp, int error, const char *extack,
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

int
netlink_build_error(char **errp, int nlerr)
{
    return netlink_set_error(errp, nlerr_to_errno(nlerr),
                             "cannot build netlink request");
}

/* ---------------------------------------------------------------------
 * Names and addresses.
 */

int
netlink_validate_ifname(const char *name, const char *what, char **errp)
{
    netlink_clear_error(errp);
    if (!name || !name[0]) {
        return netlink_set_error(errp, EINVAL, "%s is empty", what);
    }
    if (strlen(name) >= IFNAMSIZ) {
        return netlink_set_error(errp, EINVAL, "%s '%s' exceeds %d characters",
                                 what, name, IFNAMSIZ - 1);
    }
    if (!strcmp(name, ".") || !strcmp(name, "..")) {
        return netlink_set_error(errp, EINVAL, "%s '%s' is not allowed", what,
                                 name);
    }
    for (const char *p = name; *p; p++) {
        if (*p == '/' || *p == ':') {
            return netlink_set_error(errp, EINVAL, "%s '%s' contains '%c'",
                                     what, name, *p);
        } else if (isspace((unsigned char) *p)) {
            return netlink_set_error(errp, EINVAL, "%s '%s' contains white "
                                     "space", what, name);
        }
    }
    return 0;
}

int
netlink_parse_ip(const char *s, bool allow_prefix, struct nl_addr **addrp)
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
            netlink_set_error(errp, error, "cannot open a netlink socket in "
                              "%s (%s)", netns_describe(netns),
                              vs_strerror(error));
        }
        return error;
    }

    /* Hand the socket to libnl. */
    sock = nl_socket_alloc();
    if (!sock) {
        close(fd);
        return netlink_set_error(errp, ENOMEM, "cannot allocate a netlink "
                                 "socket");
    }
    nlerr = nl_socket_set_fd(sock, NETLINK_ROUTE, fd);
    if (!nlerr) {
        nlerr = nl_socket_set_buffer_size(sock, 32768, 32768);
    }
    if (nlerr < 0) {
        error = nlerr_to_errno(nlerr);
        netlink_set_error(errp, error, "cannot set up a netlink socket in %s "
                          "(%s)", netns_describe(netns), nl_geterror(nlerr));
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
    netlink_clear_error(errp);
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
    netlink_clear_error(errp);
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

int
netlink_transact(struct netlink_ns *ns, struct nl_msg *msg,
                 netlink_reply_func *reply, void *aux, char **extackp)
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

int
netlink_transact_ack(struct netlink_ns *ns, struct nl_msg *msg, char **extackp)
{
    char *extack;
    int error;

    error = netlink_transact(ns, msg, NULL, NULL, &extack);
    if (extackp) {
        *extackp = extack;
    } else {
        free(extack);
    }
    return error;
}

void *
netlink_array_append(struct netlink_array *array, size_t size)
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

/* The request for a dump of CLASS's objects of FAMILY. */
static struct nl_msg *
make_dump_msg(const struct netlink_dump_class *class, int family)
{
    /* Every rtnetlink family header (ifinfomsg, the largest, ifaddrmsg,
     * rtmsg, ndmsg) begins like struct rtgenmsg: with the family. */
    uint8_t hdr[sizeof(struct ifinfomsg)];
    struct nl_msg *msg;

    vs_assert(class->hdrlen <= sizeof hdr);
    memset(hdr, 0, sizeof hdr);
    hdr[0] = family;
    msg = netlink_make_msg(class->type, NLM_F_DUMP, hdr, class->hdrlen);
    if (class->ext_mask) {
        nla_put_u32(msg, IFLA_EXT_MASK, class->ext_mask);
    }
    return msg;
}

int
netlink_dump(struct netlink_ns *ns, const struct netlink_dump_class *class,
             int family, void *aux, struct netlink_array *array,
             char **errp)
{
    char *extack = NULL;
    int error = EAGAIN;

    for (int i = 0; i < 10 && error == EAGAIN; i++) {
        free(extack);
        array->n = 0;
        error = netlink_transact(ns, make_dump_msg(class, family),
                                 class->reply, aux, &extack);
    }
    if (error) {
        netlink_kernel_error(errp, error, extack, "cannot list %s%s",
                             class->what, ns->suffix);
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

struct nl_msg *
netlink_make_msg(int type, int flags, const void *hdr, size_t hdrlen)
{
    struct nl_msg *msg = nlmsg_alloc_simple(type, flags);

    if (!msg || nlmsg_append(msg, (void *) hdr, hdrlen, NLMSG_ALIGNTO) < 0) {
        vs_abort(0, "out of memory building netlink message");
    }
    return msg;
}
