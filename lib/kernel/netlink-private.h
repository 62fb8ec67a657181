/* Internal to the netlink module (lib/kernel/netlink*.c): what its files
 * share.  Not installed and not for callers, who include netlink.h.
 *
 * The module is split by responsibility:
 *
 *   netlink.c         namespace handles and their sockets, the request and
 *                     answer core (transact, dump), error messages, name
 *                     and address parsing;
 *   netlink-link.c    links: parsing, lookups, dumps, changes, deletion;
 *   netlink-create.c  creating devices: bridges, veth pairs, VXLAN;
 *   netlink-bridge.c  bridge options, bridge-port flags, bridge VLANs and
 *                     the forwarding database;
 *   netlink-addr.c    addresses and routes.
 *
 * The namespace cache and the receive buffer belong to netlink.c alone;
 * the other files keep no state.  All of them log as the vlog module
 * "netlink", which netlink.c defines. */
#ifndef NETLINK_PRIVATE_H
#define NETLINK_PRIVATE_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <netlink/attr.h>

#include "compiler.h"
#include "hmap.h"
#include "netlink.h"

struct nl_addr;
struct nl_msg;
struct nl_sock;
struct nlmsghdr;
struct rtnl_link;
struct vlog_module;

extern struct vlog_module VLM_netlink;

struct netlink_ns {
    struct hmap_node hmap_node; /* In netlink.c's cache, by namespace id. */
    int ref_cnt;
    struct netns *netns;
    struct nl_sock *sock;       /* Request socket, inside 'netns'. */
    char *suffix;               /* " in network namespace 'c1'" or "". */
};

/* ---------------------------------------------------------------------
 * Errors (netlink.c).  Like the public functions, these take an ERRP that
 * may be null and return the positive errno they are given.
 */

static inline void
netlink_clear_error(char **errp)
{
    if (errp) {
        *errp = NULL;
    }
}

/* Sets a message FORMAT... in *ERRP and returns ERROR. */
int netlink_set_error(char **errp, int error, const char *format, ...)
    VS_PRINTF_FORMAT(3, 4);

/* Sets a message "FORMAT...: strerror(ERROR)[ (EXTACK)]" and returns
 * ERROR. */
int netlink_kernel_error(char **errp, int error, const char *extack,
                         const char *format, ...)
    VS_PRINTF_FORMAT(4, 5);

/* For a libnl request builder's failure NLERR: sets "cannot build netlink
 * request" and returns the errno for NLERR. */
int netlink_build_error(char **errp, int nlerr);

/* ---------------------------------------------------------------------
 * Parsing (netlink.c, and inline).
 */

/* Parses an IPv4 or IPv6 address, with a "/prefix" if ALLOW_PREFIX, into
 * a new nl_addr (caller puts it).  Without a prefix the prefix length is
 * the full address length.  Returns 0 or EINVAL. */
int netlink_parse_ip(const char *s, bool allow_prefix,
                     struct nl_addr **addrp);

/* The value of integer attribute A, or DFLT if A is null or too short. */
static inline uint32_t
attr_u32(const struct nlattr *a, uint32_t dflt)
{
    return a && nla_len(a) >= 4 ? nla_get_u32((struct nlattr *) a) : dflt;
}

static inline uint16_t
attr_u16(const struct nlattr *a, uint16_t dflt)
{
    return a && nla_len(a) >= 2 ? nla_get_u16((struct nlattr *) a) : dflt;
}

static inline uint8_t
attr_u8(const struct nlattr *a, uint8_t dflt)
{
    return a && nla_len(a) >= 1 ? nla_get_u8((struct nlattr *) a) : dflt;
}

/* Copies string attribute A (may be null) into BUF of SIZE bytes (always
 * terminated). */
static inline void
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

/* ---------------------------------------------------------------------
 * Requests and answers (netlink.c).
 */

/* A new request of TYPE with FLAGS whose payload starts with the HDRLEN
 * bytes of family header HDR.  Aborts if out of memory. */
struct nl_msg *netlink_make_msg(int type, int flags, const void *hdr,
                                size_t hdrlen);

typedef int netlink_reply_func(const struct nlmsghdr *, void *aux);

/* Sends MSG (and frees it) on NS's socket and reads the answer: for each
 * data message, calls REPLY(msg, AUX) if REPLY is nonnull (a nonzero
 * return is remembered as the result but the answer is still read to its
 * end).  Returns 0 or a positive errno; EAGAIN for an interrupted dump.
 * Stores the kernel's extended-ACK text, if any, in *EXTACKP (caller
 * frees). */
int netlink_transact(struct netlink_ns *ns, struct nl_msg *msg,
                     netlink_reply_func *reply, void *aux, char **extackp);

/* netlink_transact() for a request whose only answer is an ACK; frees the
 * extended ACK text unless EXTACKP is nonnull. */
int netlink_transact_ack(struct netlink_ns *ns, struct nl_msg *msg,
                         char **extackp);

/* What a dump collects: N elements in room for ALLOCATED. */
struct netlink_array {
    void *elems;
    size_t n, allocated;
};

/* Appends a zeroed element of SIZE bytes to ARRAY and returns it. */
void *netlink_array_append(struct netlink_array *array, size_t size);

/* How to dump one kind of object into an array. */
struct netlink_dump_class {
    const char *what;           /* For "cannot list WHAT". */

    /* The request: TYPE (RTM_GETLINK, ...) with a family header of HDRLEN
     * bytes (sizeof(struct ifinfomsg), ...) and, if nonzero, EXT_MASK as
     * IFLA_EXT_MASK. */
    int type;
    size_t hdrlen;
    uint32_t ext_mask;

    netlink_reply_func *reply;  /* Appends to the aux's netlink_array. */
    size_t size;                /* Size of an element. */
    int (*compare)(const void *, const void *); /* NULL: kernel's order. */

    /* If FILL_NAMES, the dump fills in the name field at byte offset
     * NAME_OFS of each element from a link dump, for the ifindex field at
     * INDEX_OFS. */
    bool fill_names;
    size_t index_ofs, name_ofs;
};

/* Dumps the objects of address family FAMILY (AF_UNSPEC: all) as CLASS
 * says: CLASS->reply(msg, AUX) appends each answer to ARRAY, which AUX
 * contains.  Retries
 * interrupted dumps, each time emptying ARRAY.  On success, sorts ARRAY
 * with CLASS->compare, if any, fills in link names if CLASS says so, and
 * returns 0.  On failure, frees and empties ARRAY, sets "cannot list WHAT"
 * in *ERRP and returns a positive errno. */
int netlink_dump(struct netlink_ns *ns, const struct netlink_dump_class *,
                 int family, void *aux, struct netlink_array *array,
                 char **errp);

/* ---------------------------------------------------------------------
 * Links (netlink-link.c).
 */

/* A link with the bridge and bridge-port details of its IFLA_LINKINFO. */
struct netlink_link_details {
    struct netlink_link link;
    bool is_bridge;
    struct netlink_bridge_options bridge;
    bool is_bridge_port;
    struct netlink_bridge_port_options port;
};

/* Looks up one link by NAME (or by IFINDEX if NAME is NULL) into *D.
 * Fails with ENODEV ("device 'x' not found..."). */
int netlink_link_get_details(struct netlink_ns *ns, const char *name,
                             int ifindex, struct netlink_link_details *d,
                             char **errp);

/* Stores the ifindex of link NAME in NS (> 0) in *IFINDEXP, or 0 with an
 * error.  A null NAME stands for "any link": 0, without error. */
int netlink_name_to_index(struct netlink_ns *ns, const char *name,
                          int *ifindexp, char **errp);

/* Applies ATTRS (but not 'name' and 'netns') to libnl link object L,
 * resolving 'master' in NS.  WHAT names the link in messages.  If CREATING,
 * leaves out the alias, which the kernel ignores in creation requests. */
int netlink_attrs_to_rtnl(struct netlink_ns *ns, struct rtnl_link *l,
                          const struct netlink_link_attrs *attrs,
                          const char *what, bool creating, char **errp);

/* ---------------------------------------------------------------------
 * Bridges (netlink-bridge.c).
 */

/* Whether OPTS (may be null) changes anything. */
bool netlink_bridge_options_any(const struct netlink_bridge_options *opts);

/* Sends the IFLA_BR_* options in OPTS for bridge NAME (one request). */
int netlink_bridge_send_options(struct netlink_ns *ns, const char *name,
                                const struct netlink_bridge_options *opts,
                                char **errp);

#endif /* netlink-private.h */
