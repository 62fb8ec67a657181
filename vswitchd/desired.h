/* The desired state of the host's bridges and ports, as the database says,
 * validated and normalized: what the reconciler (reconciler.h) makes the
 * kernel match.
 *
 * The database glue (bridge.c) builds one vsd_config per database change
 * from the replica: vsd_config_add_bridge() per Bridge row, then
 * vsd_config_add_port() per Port row with its Interface rows, then
 * vsd_config_finish().  Building never fails: an Interface whose row is
 * invalid (bad type, options, names, VLANs, ...) is kept with 'error' set
 * and is never realized in the kernel.
 *
 * Everything here is pure computation (no system calls), so it is easy to
 * test. */
#ifndef VSWITCHD_DESIRED_H
#define VSWITCHD_DESIRED_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "hmap.h"
#include "list.h"
#include "ovsdb-uuid.h"
#include "shash.h"

/* Prefix of the IFLA_IFALIAS of every device vswitchd creates: the device
 * is "owned" by vswitchd.  The full alias is
 * "vswitch-lite:ROW-UUID[:FINGERPRINT]". */
#define VSD_ALIAS_PREFIX "vswitch-lite:"

enum vsd_iface_kind {
    VSD_SYSTEM,                 /* "" or "system": an existing device. */
    VSD_INTERNAL,               /* "internal". */
    VSD_VETH,                   /* "veth". */
    VSD_VXLAN                   /* "vxlan". */
};

/* How a bridge's Port.isolated default is chosen
 * (Bridge other_config:port-isolation). */
enum vsd_isolation {
    VSD_ISOLATE_NONE,           /* "none" (default). */
    VSD_ISOLATE_VETH,           /* "veth": container ports only. */
    VSD_ISOLATE_ALL             /* "all". */
};

/* Port.vlan_mode, as vswitchd applies it (see vsd_port_spec). */
enum vsd_vlan_mode {
    VSD_VLAN_ACCESS,            /* One VLAN, 'tag', untagged. */
    VSD_VLAN_TRUNK,             /* 'trunks', tagged (empty: all VLANs). */
    VSD_VLAN_NATIVE_TAGGED,     /* Native VLAN 'tag', tagged, + trunks. */
    VSD_VLAN_NATIVE_UNTAGGED    /* Native VLAN 'tag', untagged, + trunks. */
};

/* On a VLAN-filtering bridge, the VLAN that untagged ports (no tag, no
 * vlan_mode) share: the kernel's default PVID.  It stands for Open
 * vSwitch's VLAN 0, the VLAN of frames without an 802.1Q header. */
#define VSD_UNTAGGED_VID 1

/* The VLANs of a port of a VLAN-filtering bridge, as the kernel carries
 * them ("bridge vlan show"). */
struct vsd_vlans {
    uint16_t pvid;              /* Untagged ingress frames join this VLAN;
                                 * 0: none, they are dropped. */
    bool pvid_tagged;           /* The PVID egresses tagged. */
    uint16_t *tagged;           /* The other VLANs, egress tagged: sorted,
                                 * unique, without 'pvid'. */
    size_t n_tagged;
};

struct vsd_bridge;

struct vsd_iface {
    struct hmap_node node;      /* In vsd_config's 'ifaces', by name. */
    struct vs_list bridge_node; /* In vsd_bridge's 'ifaces'. */
    struct vsd_bridge *br;

    char *name;                 /* Interface name = host-side device. */
    struct uuid uuid;           /* Interface row. */
    char *port_name;
    struct uuid port_uuid;
    char *type;                 /* As in the row ("" for system). */
    enum vsd_iface_kind kind;

    /* If nonnull, the row is invalid: this says why, and nothing is
     * realized for it. */
    char *error;

    /* From the Port: its VLANs as the database gives them, normalized to
     * what 'vlan_mode' uses (a tag only in access and native modes, trunks
     * only in trunk and native modes), and what that makes of them on a
     * VLAN-filtering bridge. */
    enum vsd_vlan_mode vlan_mode;
    int tag;                    /* Access or native VLAN 1..4094, 0 if
                                 * none. */
    uint16_t *trunks;           /* Tagged VLANs, sorted, unique; none in
                                 * trunk or native mode means all. */
    size_t n_trunks;
    struct vsd_vlans vlans;
    bool isolated;              /* Bridge port "isolated" flag. */

    /* Common columns. */
    char *mac;                  /* "xx:xx:xx:xx:xx:xx" or NULL. */
    int mtu;                    /* mtu_request, 0 if none. */

    /* veth. */
    char *peer;                 /* Peer device name (default "eth0"). */
    char *netns;                /* Namespace spec of the peer, or NULL for
                                 * the host's own namespace. */
    char **addrs;               /* Normalized CIDRs ("10.0.0.2/24"). */
    size_t n_addrs;
    char **gateways;            /* Normalized addresses. */
    size_t n_gateways;

    /* vxlan. */
    uint32_t vni;
    char *remote_ip;
    char *local_ip;
    int dst_port;               /* 4789 by default. */

    /* internal. */
    bool bridge_self;           /* Names the bridge's own device. */
    char *bport;                /* Otherwise: the bridge-side end of the
                                 * veth pair whose other end is 'name'. */

    /* Fingerprints: 'cfg_hash' covers what can only be set when the device
     * is created (it is part of the owner alias, so a device made for an
     * older configuration is recognized and replaced); 'hash' covers
     * everything, to tell which interfaces changed. */
    uint32_t cfg_hash;
    uint32_t hash;
    char *alias;                /* VSD_ALIAS_PREFIX "UUID:CFG_HASH". */
};

struct vsd_bridge {
    struct hmap_node node;      /* In vsd_config's 'bridges', by name. */
    char *name;
    struct uuid uuid;
    char *alias;                /* VSD_ALIAS_PREFIX "UUID". */
    bool stp;
    bool mcast_snooping;
    int ageing;                 /* Seconds, -1 for the kernel default. */
    enum vsd_isolation isolation;
    char *warning;              /* Ignored bad other_config, or NULL. */
    struct vs_list ifaces;      /* vsd_iface's, in the order added. */

    /* VLANs in use by valid interfaces. */
    bool needs_vlans;           /* Some port needs VLANs
                                 * (vsd_iface_needs_vlans()). */
    uint16_t *access_vlans;     /* Distinct tags of access ports, sorted. */
    size_t n_access_vlans;
};

struct vsd_config {
    int64_t cfg;                /* Open_vSwitch.next_cfg it came from. */
    struct hmap bridges;        /* vsd_bridge's by name. */
    struct hmap ifaces;         /* vsd_iface's by name. */
};

/* What the database glue passes in (pointers borrowed for the call). */
struct vsd_iface_spec {
    const char *name;
    struct uuid uuid;
    const char *type;           /* NULL means "". */
    const struct shash *options;    /* char * values; may be NULL. */
    const char *mac;            /* NULL if none. */
    int64_t mtu_request;        /* 0 if none. */
};

struct vsd_port_spec {
    const char *name;
    struct uuid uuid;
    int64_t tag;                /* -1 if none. */
    const int64_t *trunks;
    size_t n_trunks;
    const char *vlan_mode;      /* NULL or "" if none. */
    const struct shash *other_config;   /* char * values; may be NULL. */
    const struct vsd_iface_spec *ifaces;
    size_t n_ifaces;
};

struct vsd_config *vsd_config_create(int64_t cfg);
void vsd_config_destroy(struct vsd_config *);

/* Adds a bridge.  OTHER_CONFIG (char * values, may be NULL) may hold
 * "mac-aging-time" (seconds) and "port-isolation" (none, veth, all).
 * Returns the bridge, or NULL if a bridge with this name exists already
 * (the duplicate is ignored and logged). */
struct vsd_bridge *vsd_config_add_bridge(struct vsd_config *,
                                         const char *name,
                                         const struct uuid *uuid,
                                         bool stp, bool mcast_snooping,
                                         const struct shash *other_config);

/* Adds PORT's interfaces to BR. */
void vsd_config_add_port(struct vsd_config *, struct vsd_bridge *br,
                         const struct vsd_port_spec *port);

/* Cross-checks (name clashes between interfaces, bridges and the names
 * vswitchd derives), computes each bridge's VLAN needs and every
 * fingerprint.  Call once, after adding everything. */
void vsd_config_finish(struct vsd_config *);

struct vsd_bridge *vsd_config_find_bridge(const struct vsd_config *,
                                          const char *name);
struct vsd_iface *vsd_config_find_iface(const struct vsd_config *,
                                        const char *name);

/* Returns the deterministic name of the per-VLAN bridge that holds BR's
 * access ports of VLAN VID when the kernel cannot filter VLANs: "BR.vVID"
 * if it fits 15 characters, else a prefix of BR, 4 hex digits of a hash of
 * BR and ".vVID".  Caller frees. */
char *vsd_vlan_bridge_name(const char *br, int vid);

/* Whether interface I needs VLANs: it has a tag, or a vlan_mode other than
 * access.  A bridge filters VLANs if one of its ports needs them; ports
 * without a tag and without trunks (or in vlan_mode access without a tag)
 * are then on VSD_UNTAGGED_VID. */
bool vsd_iface_needs_vlans(const struct vsd_iface *i);

/* Returns the Port.vlan_mode spelling of MODE: "access", "trunk", ... */
const char *vsd_vlan_mode_to_string(enum vsd_vlan_mode mode);

/* Returns a human-readable kind name: "system", "internal", ... */
const char *vsd_iface_kind_to_string(enum vsd_iface_kind);
const char *vsd_isolation_to_string(enum vsd_isolation);

/* Parses the name of a network namespace as options:netns takes it (a
 * name, pid:N, or an absolute path).  Returns NULL or an error message the
 * caller frees. */
char *vsd_check_netns_spec(const char *spec);

#endif /* desired.h */
