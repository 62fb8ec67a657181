/* Desired state: see desired.h. */
#include <config.h>

#include "desired.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dynamic-string.h"
#include "hash.h"
#include "netlink.h"
#include "netns.h"
#include "util.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(desired);

static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);

struct vsd_config *
vsd_config_create(int64_t cfg)
{
    struct vsd_config *c = xzalloc(sizeof *c);

    c->cfg = cfg;
    hmap_init(&c->bridges);
    hmap_init(&c->ifaces);
    return c;
}

static void
free_strv(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i]);
    }
    free(v);
}

static void
iface_destroy(struct vsd_iface *i)
{
    free(i->name);
    free(i->port_name);
    free(i->type);
    free(i->error);
    free(i->trunks);
    free(i->vlans.tagged);
    free(i->mac);
    free(i->peer);
    free(i->netns);
    free_strv(i->addrs, i->n_addrs);
    free_strv(i->gateways, i->n_gateways);
    free(i->remote_ip);
    free(i->local_ip);
    free(i->bport);
    free(i->alias);
    free(i);
}

void
vsd_config_destroy(struct vsd_config *c)
{
    struct vsd_bridge *br;
    struct vsd_iface *i;

    if (!c) {
        return;
    }
    HMAP_FOR_EACH_POP (i, node, &c->ifaces) {
        iface_destroy(i);
    }
    HMAP_FOR_EACH_POP (br, node, &c->bridges) {
        free(br->name);
        free(br->alias);
        free(br->warning);
        free(br->access_vlans);
        free(br);
    }
    hmap_destroy(&c->ifaces);
    hmap_destroy(&c->bridges);
    free(c);
}

struct vsd_bridge *
vsd_config_find_bridge(const struct vsd_config *c, const char *name)
{
    struct vsd_bridge *br;

    HMAP_FOR_EACH_WITH_HASH (br, node, hash_string(name, 0), &c->bridges) {
        if (!strcmp(br->name, name)) {
            return br;
        }
    }
    return NULL;
}

struct vsd_iface *
vsd_config_find_iface(const struct vsd_config *c, const char *name)
{
    struct vsd_iface *i;

    HMAP_FOR_EACH_WITH_HASH (i, node, hash_string(name, 0), &c->ifaces) {
        if (!strcmp(i->name, name)) {
            return i;
        }
    }
    return NULL;
}

static const char *
smap_get(const struct shash *s, const char *key)
{
    return s ? shash_find_data(s, key) : NULL;
}

/* Parses a boolean as OVS does for other_config: "true" or "false". */
static int
parse_bool(const char *s)
{
    if (!s) {
        return -1;
    }
    if (!strcmp(s, "true")) {
        return 1;
    } else if (!strcmp(s, "false")) {
        return 0;
    }
    return -2;
}

struct vsd_bridge *
vsd_config_add_bridge(struct vsd_config *c, const char *name,
                      const struct uuid *uuid, bool stp, bool mcast_snooping,
                      const struct shash *other_config)
{
    struct vsd_bridge *br;
    const char *s;
    struct ds w = DS_EMPTY_INITIALIZER;

    if (vsd_config_find_bridge(c, name)) {
        VLOG_WARN_RL(&rl, "bridge %s specified twice", name);
        return NULL;
    }
    br = xzalloc(sizeof *br);
    br->name = xstrdup(name);
    br->uuid = *uuid;
    br->alias = xasprintf(VSD_ALIAS_PREFIX UUID_FMT, UUID_ARGS(uuid));
    br->stp = stp;
    br->mcast_snooping = mcast_snooping;
    br->ageing = -1;
    vs_list_init(&br->ifaces);

    s = smap_get(other_config, "mac-aging-time");
    if (s) {
        int secs;

        if (str_to_int(s, &secs) && secs >= 0 && secs <= 1000000) {
            br->ageing = secs;
        } else {
            ds_put_format(&w, "ignoring invalid other_config:mac-aging-time "
                          "\"%s\" (seconds expected)", s);
        }
    }
    s = smap_get(other_config, "port-isolation");
    if (!s || !strcmp(s, "none")) {
        br->isolation = VSD_ISOLATE_NONE;
    } else if (!strcmp(s, "veth")) {
        br->isolation = VSD_ISOLATE_VETH;
    } else if (!strcmp(s, "all")) {
        br->isolation = VSD_ISOLATE_ALL;
    } else {
        if (w.length) {
            ds_put_cstr(&w, "; ");
        }
        ds_put_format(&w, "ignoring invalid other_config:port-isolation "
                      "\"%s\" (none, veth or all expected)", s);
    }
    br->warning = w.length ? ds_steal_cstr(&w) : NULL;
    ds_destroy(&w);

    hmap_insert(&c->bridges, &br->node, hash_string(name, 0));
    return br;
}

const char *
vsd_iface_kind_to_string(enum vsd_iface_kind kind)
{
    switch (kind) {
    case VSD_SYSTEM: return "system";
    case VSD_INTERNAL: return "internal";
    case VSD_VETH: return "veth";
    case VSD_VXLAN: return "vxlan";
    }
    return "?";
}

const char *
vsd_isolation_to_string(enum vsd_isolation iso)
{
    switch (iso) {
    case VSD_ISOLATE_NONE: return "none";
    case VSD_ISOLATE_VETH: return "veth";
    case VSD_ISOLATE_ALL: return "all";
    }
    return "?";
}

char *
vsd_check_netns_spec(const char *spec)
{
    char *msg = NULL;

    if (!spec[0]) {
        return xstrdup("empty network namespace name");
    }
    if (str_starts_with(spec, "pid:")) {
        int pid;

        if (!str_to_int(spec + 4, &pid) || pid <= 0) {
            return xasprintf("invalid process id in network namespace "
                             "\"%s\"", spec);
        }
        return NULL;
    }
    if (spec[0] == '/') {
        return NULL;
    }
    if (netns_validate_name(spec, &msg)) {
        return msg ? msg : xasprintf("invalid network namespace name "
                                     "\"%s\"", spec);
    }
    return NULL;
}

/* Parses IP (no prefix) into a normalized string.  Returns NULL if
 * invalid. */
static char *
normalize_ip(const char *s, int *familyp)
{
    unsigned char buf[16];
    char out[INET6_ADDRSTRLEN];
    int family = strchr(s, ':') ? AF_INET6 : AF_INET;

    if (inet_pton(family, s, buf) != 1) {
        return NULL;
    }
    inet_ntop(family, buf, out, sizeof out);
    if (familyp) {
        *familyp = family;
    }
    return xstrdup(out);
}

/* Parses "ADDR[/PREFIX]" into a normalized "ADDR/PREFIX". */
static char *
normalize_cidr(const char *s)
{
    char *copy = xstrdup(s), *slash, *ip, *out = NULL;
    int family, prefix;

    slash = strchr(copy, '/');
    if (slash) {
        *slash = '\0';
    }
    ip = normalize_ip(copy, &family);
    if (ip) {
        int max = family == AF_INET ? 32 : 128;

        if (!slash) {
            prefix = max;
        } else if (!str_to_int(slash + 1, &prefix) || prefix < 0
                   || prefix > max) {
            prefix = -1;
        }
        if (prefix >= 0) {
            out = xasprintf("%s/%d", ip, prefix);
        }
        free(ip);
    }
    free(copy);
    return out;
}

/* Splits S at commas and white space into words. */
static void
split_words(const char *s, char ***wordsp, size_t *n)
{
    char *copy = xstrdup(s), *save = NULL;
    size_t allocated = 0;

    *wordsp = NULL;
    *n = 0;
    for (char *w = strtok_r(copy, ", \t\n", &save); w;
         w = strtok_r(NULL, ", \t\n", &save)) {
        if (*n >= allocated) {
            allocated = allocated ? 2 * allocated : 4;
            *wordsp = xrealloc(*wordsp, allocated * sizeof **wordsp);
        }
        (*wordsp)[(*n)++] = xstrdup(w);
    }
    free(copy);
}

/* Normalizes a MAC "xx:xx:xx:xx:xx:xx" (any case) into NORM.  Returns an
 * error message or NULL. */
static char *
check_mac(const char *s, char **normp)
{
    unsigned int b[6];
    char tail;

    *normp = NULL;
    if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3],
               &b[4], &b[5], &tail) != 6
        || strlen(s) != 17) {
        return xasprintf("invalid MAC address \"%s\"", s);
    }
    if (b[0] & 1) {
        return xasprintf("MAC address %s is a multicast address", s);
    }
    if (!(b[0] | b[1] | b[2] | b[3] | b[4] | b[5])) {
        return xasprintf("MAC address %s is all-zeros", s);
    }
    *normp = xasprintf("%02x:%02x:%02x:%02x:%02x:%02x", b[0], b[1], b[2],
                       b[3], b[4], b[5]);
    return NULL;
}

static char *
check_ifname(const char *name, const char *what)
{
    char *msg = NULL;

    if (netlink_validate_ifname(name, what, &msg)) {
        return msg ? msg : xasprintf("invalid %s \"%s\"", what, name);
    }
    return NULL;
}

/* Fills in the veth-specific members of I from OPTIONS.  Returns NULL or
 * an error message. */
static char *
parse_veth(struct vsd_iface *i, const struct shash *options)
{
    const char *peer = smap_get(options, "peer");
    const char *netns = smap_get(options, "netns");
    const char *address = smap_get(options, "address");
    const char *gateway = smap_get(options, "gateway");
    char *err;

    i->peer = xstrdup(peer && peer[0] ? peer : "eth0");
    err = check_ifname(i->peer, "veth peer name");
    if (err) {
        return err;
    }
    if (netns && netns[0]) {
        err = vsd_check_netns_spec(netns);
        if (err) {
            return err;
        }
        i->netns = xstrdup(netns);
    } else if (!strcmp(i->peer, i->name)) {
        return xasprintf("veth peer name \"%s\" equals the interface name "
                         "and options:netns is not set", i->peer);
    }

    if (address) {
        char **words;
        size_t n;

        split_words(address, &words, &n);
        i->addrs = xcalloc(n ? n : 1, sizeof *i->addrs);
        for (size_t k = 0; k < n; k++) {
            char *norm = normalize_cidr(words[k]);

            if (!norm) {
                err = xasprintf("invalid address \"%s\" in options:address "
                                "(expected ADDRESS/PREFIX, IPv4 or IPv6)",
                                words[k]);
                free_strv(words, n);
                return err;
            }
            bool dup = false;
            for (size_t j = 0; j < i->n_addrs; j++) {
                dup = dup || !strcmp(i->addrs[j], norm);
            }
            if (dup) {
                free(norm);
            } else {
                i->addrs[i->n_addrs++] = norm;
            }
        }
        free_strv(words, n);
    }
    if (gateway) {
        char **words;
        size_t n;
        bool have4 = false, have6 = false;

        split_words(gateway, &words, &n);
        i->gateways = xcalloc(n ? n : 1, sizeof *i->gateways);
        for (size_t k = 0; k < n; k++) {
            int family;
            char *norm = normalize_ip(words[k], &family);

            if (!norm) {
                err = xasprintf("invalid gateway \"%s\" in options:gateway "
                                "(expected an IPv4 or IPv6 address)",
                                words[k]);
                free_strv(words, n);
                return err;
            }
            if ((family == AF_INET && have4) || (family == AF_INET6
                                                 && have6)) {
                err = xasprintf("options:gateway has more than one IPv%d "
                                "gateway", family == AF_INET ? 4 : 6);
                free(norm);
                free_strv(words, n);
                return err;
            }
            have4 = have4 || family == AF_INET;
            have6 = have6 || family == AF_INET6;
            i->gateways[i->n_gateways++] = norm;
        }
        free_strv(words, n);
    }
    return NULL;
}

static char *
parse_vxlan(struct vsd_iface *i, const struct shash *options)
{
    const char *remote = smap_get(options, "remote_ip");
    const char *local = smap_get(options, "local_ip");
    const char *key = smap_get(options, "key");
    const char *port = smap_get(options, "dst_port");

    if (!remote) {
        return xstrdup("vxlan interface needs options:remote_ip");
    }
    if (!strcmp(remote, "flow")) {
        return xstrdup("options:remote_ip=flow is not supported");
    }
    i->remote_ip = normalize_ip(remote, NULL);
    if (!i->remote_ip) {
        return xasprintf("invalid options:remote_ip \"%s\"", remote);
    }
    if (local) {
        i->local_ip = normalize_ip(local, NULL);
        if (!i->local_ip) {
            return xasprintf("invalid options:local_ip \"%s\"", local);
        }
        if (!strchr(i->local_ip, ':') != !strchr(i->remote_ip, ':')) {
            return xstrdup("options:local_ip and options:remote_ip are of "
                           "different address families");
        }
    }
    if (key) {
        long long int vni;

        if (!strcmp(key, "flow")) {
            return xstrdup("options:key=flow is not supported");
        }
        if (!str_to_llong(key, &vni) || vni < 0 || vni > 0xffffff) {
            return xasprintf("invalid options:key \"%s\" (VXLAN network "
                             "identifier 0 to 16777215 expected)", key);
        }
        i->vni = vni;
    }
    i->dst_port = 4789;
    if (port) {
        int p;

        if (!str_to_int(port, &p) || p < 1 || p > 65535) {
            return xasprintf("invalid options:dst_port \"%s\"", port);
        }
        i->dst_port = p;
    }
    return NULL;
}

static int
compare_u16(const void *a_, const void *b_)
{
    const uint16_t *a = a_, *b = b_;

    return *a < *b ? -1 : *a > *b;
}

/* Parses P's tag and trunks into I.  Returns NULL or an error. */
static char *
parse_tag_trunks(struct vsd_iface *i, const struct vsd_port_spec *p)
{
    size_t n = 0;

    if (p->tag >= 0) {
        if (p->tag < 1 || p->tag > 4094) {
            return xasprintf("port %s: invalid VLAN tag %"PRId64" (1 to "
                             "4094 expected)", p->name, p->tag);
        }
        i->tag = p->tag;
    }
    if (!p->n_trunks) {
        return NULL;
    }
    i->trunks = xmalloc(p->n_trunks * sizeof *i->trunks);
    for (size_t k = 0; k < p->n_trunks; k++) {
        if (p->trunks[k] < 1 || p->trunks[k] > 4094) {
            return xasprintf("port %s: invalid trunk VLAN %"PRId64" (1 to "
                             "4094 expected)", p->name, p->trunks[k]);
        }
        i->trunks[i->n_trunks++] = p->trunks[k];
    }
    qsort(i->trunks, i->n_trunks, sizeof *i->trunks, compare_u16);
    for (size_t k = 0; k < i->n_trunks; k++) {
        if (!n || i->trunks[n - 1] != i->trunks[k]) {
            i->trunks[n++] = i->trunks[k];
        }
    }
    i->n_trunks = n;
    return NULL;
}

const char *
vsd_vlan_mode_to_string(enum vsd_vlan_mode mode)
{
    switch (mode) {
    case VSD_VLAN_ACCESS: return "access";
    case VSD_VLAN_TRUNK: return "trunk";
    case VSD_VLAN_NATIVE_TAGGED: return "native-tagged";
    case VSD_VLAN_NATIVE_UNTAGGED: return "native-untagged";
    }
    return "?";
}

/* Sets I's vlan_mode from P (the column, or Open vSwitch's default: access
 * with a tag, trunk with trunks only, and access on the untagged VLAN for a
 * port with neither) and drops the tag or trunks that the mode ignores,
 * warning as Open vSwitch does.  Returns NULL or an error. */
static char *
parse_vlan_mode(struct vsd_iface *i, const struct vsd_port_spec *p)
{
    const char *mode = p->vlan_mode;

    if (!mode || !mode[0]) {
        i->vlan_mode = (i->tag || !i->n_trunks ? VSD_VLAN_ACCESS
                        : VSD_VLAN_TRUNK);
        if (i->tag && i->n_trunks) {
            VLOG_WARN_RL(&rl, "port %s: ignoring trunks in favor of "
                         "implicit vlan", p->name);
        }
    } else if (!strcmp(mode, "access")) {
        i->vlan_mode = VSD_VLAN_ACCESS;
        if (i->n_trunks) {
            VLOG_WARN_RL(&rl, "port %s: ignoring trunks in access mode",
                         p->name);
        }
    } else if (!strcmp(mode, "trunk")) {
        i->vlan_mode = VSD_VLAN_TRUNK;
        if (i->tag) {
            VLOG_WARN_RL(&rl, "port %s: ignoring tag %d in trunk mode",
                         p->name, i->tag);
        }
        i->tag = 0;
    } else if (!strcmp(mode, "native-tagged")) {
        i->vlan_mode = VSD_VLAN_NATIVE_TAGGED;
    } else if (!strcmp(mode, "native-untagged")) {
        i->vlan_mode = VSD_VLAN_NATIVE_UNTAGGED;
    } else if (!strcmp(mode, "dot1q-tunnel")) {
        return xasprintf("port %s: vlan_mode dot1q-tunnel is not supported",
                         p->name);
    } else {
        return xasprintf("port %s: invalid vlan_mode \"%s\"", p->name, mode);
    }
    if (i->vlan_mode == VSD_VLAN_ACCESS) {
        free(i->trunks);
        i->trunks = NULL;
        i->n_trunks = 0;
    }
    return NULL;
}

/* Computes I's VLANs on a VLAN-filtering bridge from its mode, tag and
 * trunks.  VSD_UNTAGGED_VID is Open vSwitch's VLAN 0, so: an access port
 * without a tag is on it; a trunk of all VLANs carries it untagged (as
 * PVID) and VLANs 2 to 4094 tagged; native modes without a tag have it as
 * their native VLAN, and with a tag never carry it unless listed. */
static void
compute_vlans(struct vsd_iface *i)
{
    struct vsd_vlans *v = &i->vlans;
    bool all = i->vlan_mode != VSD_VLAN_ACCESS && !i->n_trunks;

    memset(v, 0, sizeof *v);
    switch (i->vlan_mode) {
    case VSD_VLAN_ACCESS:
        v->pvid = i->tag ? i->tag : VSD_UNTAGGED_VID;
        return;
    case VSD_VLAN_TRUNK:
        v->pvid = all ? VSD_UNTAGGED_VID : 0;
        break;
    case VSD_VLAN_NATIVE_TAGGED:
    case VSD_VLAN_NATIVE_UNTAGGED:
        v->pvid = i->tag ? i->tag : VSD_UNTAGGED_VID;
        v->pvid_tagged = i->tag && i->vlan_mode == VSD_VLAN_NATIVE_TAGGED;
        break;
    }

    v->tagged = xmalloc((all ? 4094 : i->n_trunks) * sizeof *v->tagged);
    if (all) {
        for (uint16_t vid = VSD_UNTAGGED_VID + 1; vid <= 4094; vid++) {
            if (vid != v->pvid) {
                v->tagged[v->n_tagged++] = vid;
            }
        }
    } else {
        for (size_t k = 0; k < i->n_trunks; k++) {
            if (i->trunks[k] != v->pvid) {
                v->tagged[v->n_tagged++] = i->trunks[k];
            }
        }
    }
}

bool
vsd_iface_needs_vlans(const struct vsd_iface *i)
{
    return i->tag || i->vlan_mode != VSD_VLAN_ACCESS;
}

/* Checks and fills in Port-level settings.  Returns NULL or an error. */
static char *
parse_port(struct vsd_iface *i, const struct vsd_bridge *br,
           const struct vsd_port_spec *p)
{
    const char *iso;
    char *err;
    int b;

    err = parse_tag_trunks(i, p);
    if (!err) {
        err = parse_vlan_mode(i, p);
    }
    if (err) {
        return err;
    }
    compute_vlans(i);

    iso = smap_get(p->other_config, "isolated");
    b = parse_bool(iso);
    if (b == -2) {
        return xasprintf("port %s: invalid other_config:isolated \"%s\" "
                         "(true or false expected)", p->name, iso);
    } else if (b >= 0) {
        i->isolated = b;
    } else {
        i->isolated = (br->isolation == VSD_ISOLATE_ALL
                       || (br->isolation == VSD_ISOLATE_VETH
                           && i->kind == VSD_VETH));
    }
    return NULL;
}

static char *
parse_iface(struct vsd_iface *i, const struct vsd_bridge *br,
            const struct vsd_port_spec *p, const struct vsd_iface_spec *s)
{
    const char *type = i->type;
    char *err;

    if (!type[0] || !strcmp(type, "system")) {
        i->kind = VSD_SYSTEM;
    } else if (!strcmp(type, "internal")) {
        i->kind = VSD_INTERNAL;
    } else if (!strcmp(type, "veth")) {
        i->kind = VSD_VETH;
    } else if (!strcmp(type, "vxlan")) {
        i->kind = VSD_VXLAN;
    } else {
        return xasprintf("unsupported interface type \"%s\" (vswitch-lite "
                         "supports \"\", internal, veth and vxlan)", type);
    }

    err = check_ifname(i->name, "interface name");
    if (err) {
        return err;
    }
    if (p->n_ifaces > 1) {
        return xasprintf("port %s has %zu interfaces: bonds are not "
                         "supported", p->name, p->n_ifaces);
    }
    if (s->mac && s->mac[0]) {
        err = check_mac(s->mac, &i->mac);
        if (err) {
            return err;
        }
    }
    if (s->mtu_request) {
        if (s->mtu_request < 68 || s->mtu_request > 65535) {
            return xasprintf("invalid mtu_request %"PRId64" (68 to 65535 "
                             "expected)", s->mtu_request);
        }
        i->mtu = s->mtu_request;
    }

    switch (i->kind) {
    case VSD_SYSTEM:
        if (!strcmp(i->name, br->name)) {
            return xasprintf("interface %s has the name of its bridge but "
                             "type \"%s\" (use internal)", i->name, type);
        }
        break;
    case VSD_INTERNAL:
        if (!strcmp(i->name, br->name)) {
            i->bridge_self = true;
        } else {
            i->bport = xasprintf("vsi-%08"PRIx32,
                                 hash_string(i->name, 0x5a5a));
        }
        break;
    case VSD_VETH:
        err = parse_veth(i, s->options);
        if (err) {
            return err;
        }
        break;
    case VSD_VXLAN:
        err = parse_vxlan(i, s->options);
        if (err) {
            return err;
        }
        break;
    }
    return parse_port(i, br, p);
}

void
vsd_config_add_port(struct vsd_config *c, struct vsd_bridge *br,
                    const struct vsd_port_spec *p)
{
    for (size_t k = 0; k < p->n_ifaces; k++) {
        const struct vsd_iface_spec *s = &p->ifaces[k];
        struct vsd_iface *i, *other;

        other = vsd_config_find_iface(c, s->name);
        if (other) {
            if (!other->error) {
                other->error = xasprintf("interface %s is configured more "
                                         "than once (bridges %s and %s)",
                                         s->name, other->br->name, br->name);
            }
            VLOG_WARN_RL(&rl, "interface %s is configured more than once",
                         s->name);
            continue;
        }

        i = xzalloc(sizeof *i);
        i->br = br;
        i->name = xstrdup(s->name);
        i->uuid = s->uuid;
        i->port_name = xstrdup(p->name);
        i->port_uuid = p->uuid;
        i->type = xstrdup(s->type ? s->type : "");
        i->error = parse_iface(i, br, p, s);
        hmap_insert(&c->ifaces, &i->node, hash_string(i->name, 0));
        vs_list_push_back(&br->ifaces, &i->bridge_node);
    }
}

char *
vsd_vlan_bridge_name(const char *br, int vid)
{
    char suffix[16];
    size_t len = strlen(br), slen;

    snprintf(suffix, sizeof suffix, ".v%d", vid);
    slen = strlen(suffix);
    if (len + slen < IFNAMSIZ) {
        return xasprintf("%s%s", br, suffix);
    }
    return xasprintf("%.*s%04"PRIx32"%s", (int) (IFNAMSIZ - 1 - slen - 4),
                     br, hash_string(br, 0) & 0xffff, suffix);
}

static uint32_t
hash_str_or_null(const char *s, uint32_t basis)
{
    return s ? hash_string(s, basis) : hash_int(0x9e3779b9, basis);
}

static void
compute_hashes(struct vsd_iface *i)
{
    uint32_t h;

    /* Creation-time settings. */
    h = hash_string(i->type, 0);
    h = hash_int(i->kind, h);
    h = hash_str_or_null(i->peer, h);
    h = hash_str_or_null(i->netns, h);
    h = hash_str_or_null(i->remote_ip, h);
    h = hash_str_or_null(i->local_ip, h);
    h = hash_int(i->vni, h);
    h = hash_int(i->dst_port, h);
    h = hash_str_or_null(i->bport, h);
    h = hash_str_or_null(i->mac, h);
    i->cfg_hash = h;

    /* Everything. */
    h = hash_int(i->cfg_hash, 1);
    h = hash_bytes(&i->uuid, sizeof i->uuid, h);
    h = hash_str_or_null(i->error, h);
    h = hash_int(i->vlan_mode, h);
    h = hash_int(i->tag, h);
    h = hash_bytes(i->trunks, i->n_trunks * sizeof *i->trunks, h);
    h = hash_int(i->isolated, h);
    h = hash_int(i->mtu, h);
    for (size_t k = 0; k < i->n_addrs; k++) {
        h = hash_string(i->addrs[k], h);
    }
    h = hash_int(i->n_addrs, h);
    for (size_t k = 0; k < i->n_gateways; k++) {
        h = hash_string(i->gateways[k], h);
    }
    h = hash_int(i->n_gateways, h);
    h = hash_string(i->br->name, h);
    i->hash = h ? h : 1;

    free(i->alias);
    i->alias = xasprintf(VSD_ALIAS_PREFIX UUID_FMT ":%08"PRIx32,
                         UUID_ARGS(&i->uuid), i->cfg_hash);
}

void
vsd_config_finish(struct vsd_config *c)
{
    struct shash derived = SHASH_INITIALIZER(&derived);
    struct vsd_bridge *br;
    struct vsd_iface *i;

    /* Names vswitchd derives: per-VLAN bridges (for every tag, whether or
     * not they turn out to be needed) and internal ports' bridge ends. */
    HMAP_FOR_EACH (br, node, &c->bridges) {
        struct vsd_iface *other = vsd_config_find_iface(c, br->name);

        if (other && other->br != br && !other->error) {
            other->error = xasprintf("interface %s has the name of bridge "
                                     "%s", other->name, br->name);
        } else if (other && other->br == br && !other->error
                   && other->kind != VSD_INTERNAL) {
            other->error = xasprintf("interface %s has the name of its "
                                     "bridge but type \"%s\" (use "
                                     "internal)", other->name, other->type);
        }
    }
    HMAP_FOR_EACH (i, node, &c->ifaces) {
        if (i->error) {
            continue;
        }
        if (i->tag) {
            char *vb = vsd_vlan_bridge_name(i->br->name, i->tag);
            shash_add_once(&derived, vb, i);
            free(vb);
        }
        if (i->bport && !shash_add_once(&derived, i->bport, i)) {
            i->error = xasprintf("internal port %s: derived device name %s "
                                 "is taken", i->name, i->bport);
        }
    }
    HMAP_FOR_EACH (i, node, &c->ifaces) {
        if (!i->error && (shash_find(&derived, i->name)
                          || (i->kind != VSD_INTERNAL
                              && vsd_config_find_bridge(c, i->name)))) {
            i->error = xasprintf("interface name %s clashes with a device "
                                 "name that vswitch-lite uses", i->name);
        }
    }
    HMAP_FOR_EACH (br, node, &c->bridges) {
        if (shash_find(&derived, br->name)) {
            VLOG_WARN_RL(&rl, "bridge %s clashes with a per-VLAN bridge "
                         "name", br->name);
        }
    }
    shash_destroy(&derived);

    /* VLAN needs and fingerprints. */
    HMAP_FOR_EACH (br, node, &c->bridges) {
        uint16_t *tags = NULL;
        size_t n = 0, allocated = 0;

        LIST_FOR_EACH (i, bridge_node, &br->ifaces) {
            if (i->error) {
                continue;
            }
            if (vsd_iface_needs_vlans(i)) {
                br->needs_vlans = true;
            }
            if (i->tag && i->vlan_mode == VSD_VLAN_ACCESS) {
                if (n >= allocated) {
                    allocated = allocated ? 2 * allocated : 8;
                    tags = xrealloc(tags, allocated * sizeof *tags);
                }
                tags[n++] = i->tag;
            }
        }
        if (n) {
            qsort(tags, n, sizeof *tags, compare_u16);
            size_t m = 0;
            for (size_t k = 0; k < n; k++) {
                if (!m || tags[m - 1] != tags[k]) {
                    tags[m++] = tags[k];
                }
            }
            n = m;
        }
        br->access_vlans = tags;
        br->n_access_vlans = n;
    }
    HMAP_FOR_EACH (i, node, &c->ifaces) {
        compute_hashes(i);
    }
}
