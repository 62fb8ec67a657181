/* vswitchd's database side: see bridge.h. */
#include <config.h>

#include "bridge.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "coverage.h"
#include "desired.h"
#include "dynamic-string.h"
#include "memory.h"
#include "ovsdb-idl.h"
#include "poll-loop.h"
#include "reconciler.h"
#include "shash.h"
#include "timeval.h"
#include "unixctl.h"
#include "util.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(bridge);

COVERAGE_DEFINE(bridge_reconfigure);
COVERAGE_DEFINE(bridge_status_txn);

static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);

static struct ovsdb_idl *idl;
static struct reconciler *rc;

static unsigned int last_idl_seqno;     /* Replica seqno last turned into a
                                         * desired state. */
static bool have_config;
static unsigned int last_resync_seqno;  /* To rewrite status after a server
                                         * restart. */
static uint64_t written_status_seqno;   /* Reconciler status written. */
static bool status_dirty = true;
static struct ovsdb_idl_txn *status_txn;
static long long int status_retry_at = LLONG_MAX;
static int64_t written_cur_cfg = -1;
static unsigned long long int n_status_txns;
static unsigned long long int n_reconfigures;

static unixctl_cb_func bridge_unixctl_list;
static unixctl_cb_func bridge_unixctl_show;
static unixctl_cb_func bridge_unixctl_reconcile;
static unixctl_cb_func bridge_unixctl_fdb_show;
static unixctl_cb_func bridge_unixctl_status;
static memory_report_func bridge_memory_report;

/* Columns vswitchd reads, then the status columns it writes (replicated so
 * that unchanged values are not rewritten, but without waking it up). */
static const char *const ovs_columns[] = {
    "bridges", "next_cfg", "other_config",
};
static const char *const ovs_status_columns[] = { "cur_cfg" };
static const char *const bridge_columns[] = {
    "name", "ports", "stp_enable", "mcast_snooping_enable", "other_config",
};
static const char *const bridge_status_columns[] = { "status" };
static const char *const port_columns[] = {
    "name", "interfaces", "tag", "trunks", "vlan_mode", "other_config",
};
static const char *const iface_columns[] = {
    "name", "type", "options", "mac", "mtu_request",
};
static const char *const iface_status_columns[] = {
    "error", "ifindex", "mac_in_use", "mtu", "link_state", "admin_state",
    "statistics", "ofport",
};

static void
register_columns(const char *table, const char *const *cols, size_t n,
                 bool omit)
{
    for (size_t i = 0; i < n; i++) {
        ovsdb_idl_add_column(idl, table, cols[i]);
        if (omit) {
            ovsdb_idl_omit_alert(idl, table, cols[i]);
        }
    }
}

void
bridge_init(const char *remote)
{
    char *msg = NULL;
    int error;

    error = reconciler_create(&rc, &msg);
    if (error) {
        vs_fatal(0, "cannot set up netlink: %s",
                 msg ? msg : vs_strerror(error));
    }

    idl = ovsdb_idl_create(remote, "Open_vSwitch", true);
    register_columns("Open_vSwitch", ovs_columns, ARRAY_SIZE(ovs_columns),
                     false);
    register_columns("Open_vSwitch", ovs_status_columns,
                     ARRAY_SIZE(ovs_status_columns), true);
    register_columns("Bridge", bridge_columns, ARRAY_SIZE(bridge_columns),
                     false);
    register_columns("Bridge", bridge_status_columns,
                     ARRAY_SIZE(bridge_status_columns), true);
    register_columns("Port", port_columns, ARRAY_SIZE(port_columns), false);
    register_columns("Interface", iface_columns, ARRAY_SIZE(iface_columns),
                     false);
    register_columns("Interface", iface_status_columns,
                     ARRAY_SIZE(iface_status_columns), true);

    unixctl_command_register("bridge/list", "", 0, 0, bridge_unixctl_list,
                             NULL);
    unixctl_command_register("bridge/show", "BRIDGE", 1, 1,
                             bridge_unixctl_show, NULL);
    unixctl_command_register("bridge/reconcile", "", 0, 0,
                             bridge_unixctl_reconcile, NULL);
    unixctl_command_register("fdb/show", "BRIDGE", 1, 1,
                             bridge_unixctl_fdb_show, NULL);
    unixctl_command_register("vswitchd/status", "", 0, 0,
                             bridge_unixctl_status, NULL);
    memory_report_register(bridge_memory_report, NULL);
}

void
bridge_exit(void)
{
    if (status_txn) {
        ovsdb_idl_txn_destroy(status_txn);
        status_txn = NULL;
    }
    ovsdb_idl_destroy(idl);
    idl = NULL;
    reconciler_destroy(rc);
    rc = NULL;
}

/* ---------------------------------------------------------------------
 * Replica -> desired state.
 */

/* Fills SH (char * values, borrowed from the datum) from string-to-string
 * map COLUMN of ROW. */
static void
get_smap(const struct ovsdb_idl_row *row, const char *column,
         struct shash *sh)
{
    const struct ovsdb_type *type;
    const struct ovsdb_datum *d = ovsdb_idl_row_get(row, column, &type);

    shash_init(sh);
    if (!type || type->key.type != OVSDB_TYPE_STRING
        || type->value.type != OVSDB_TYPE_STRING) {
        return;
    }
    for (unsigned int i = 0; i < d->n; i++) {
        shash_add_once(sh, d->keys[i].string, d->values[i].string);
    }
}

static const struct ovsdb_datum *
get_refs(const struct ovsdb_idl_row *row, const char *column)
{
    const struct ovsdb_type *type;
    const struct ovsdb_datum *d = ovsdb_idl_row_get(row, column, &type);
    static const struct ovsdb_datum empty;

    return type && type->key.type == OVSDB_TYPE_UUID ? d : &empty;
}

static void
add_port(struct vsd_config *c, struct vsd_bridge *br,
         const struct ovsdb_idl_row *port)
{
    const struct ovsdb_datum *ifaces = get_refs(port, "interfaces");
    const struct ovsdb_datum *trunks_d;
    const struct ovsdb_type *type;
    struct vsd_iface_spec *specs;
    struct shash *options;
    struct shash port_oc;
    struct vsd_port_spec ps;
    int64_t *trunks = NULL;
    size_t n = 0;

    memset(&ps, 0, sizeof ps);
    ps.name = ovsdb_idl_row_get_string(port, "name");
    if (!ps.name) {
        return;
    }
    ps.uuid = *ovsdb_idl_row_get_uuid(port);
    ps.tag = -1;
    {
        const struct ovsdb_datum *tag = ovsdb_idl_row_get(port, "tag",
                                                          &type);
        if (type && type->key.type == OVSDB_TYPE_INTEGER && tag->n) {
            ps.tag = tag->keys[0].integer;
        }
    }
    trunks_d = ovsdb_idl_row_get(port, "trunks", &type);
    if (type && type->key.type == OVSDB_TYPE_INTEGER && trunks_d->n) {
        trunks = xmalloc(trunks_d->n * sizeof *trunks);
        for (unsigned int i = 0; i < trunks_d->n; i++) {
            trunks[i] = trunks_d->keys[i].integer;
        }
        ps.trunks = trunks;
        ps.n_trunks = trunks_d->n;
    }
    ps.vlan_mode = ovsdb_idl_row_get_string(port, "vlan_mode");
    get_smap(port, "other_config", &port_oc);
    ps.other_config = &port_oc;

    specs = xcalloc(ifaces->n ? ifaces->n : 1, sizeof *specs);
    options = xcalloc(ifaces->n ? ifaces->n : 1, sizeof *options);
    for (unsigned int i = 0; i < ifaces->n; i++) {
        const struct ovsdb_idl_row *iface;
        struct vsd_iface_spec *s = &specs[n];

        iface = ovsdb_idl_get_row(idl, "Interface", &ifaces->keys[i].uuid);
        if (!iface || !ovsdb_idl_row_get_string(iface, "name")) {
            continue;
        }
        s->name = ovsdb_idl_row_get_string(iface, "name");
        s->uuid = *ovsdb_idl_row_get_uuid(iface);
        s->type = ovsdb_idl_row_get_string(iface, "type");
        get_smap(iface, "options", &options[n]);
        s->options = &options[n];
        s->mac = ovsdb_idl_row_get_string(iface, "mac");
        s->mtu_request = ovsdb_idl_row_get_integer(iface, "mtu_request", 0);
        n++;
    }
    ps.ifaces = specs;
    ps.n_ifaces = n;
    vsd_config_add_port(c, br, &ps);

    for (size_t i = 0; i < n; i++) {
        shash_destroy(&options[i]);
    }
    free(options);
    free(specs);
    shash_destroy(&port_oc);
    free(trunks);
}

static struct vsd_config *
build_config(void)
{
    const struct ovsdb_idl_row *ovs = ovsdb_idl_first_row(idl,
                                                          "Open_vSwitch");
    struct vsd_config *c;

    c = vsd_config_create(ovs ? ovsdb_idl_row_get_integer(ovs, "next_cfg",
                                                          0) : 0);
    if (ovs) {
        const struct ovsdb_datum *brs = get_refs(ovs, "bridges");
        const char *s;

        for (unsigned int i = 0; i < brs->n; i++) {
            const struct ovsdb_idl_row *row;
            const struct ovsdb_datum *ports;
            struct vsd_bridge *br;
            struct shash oc;
            const char *name;

            row = ovsdb_idl_get_row(idl, "Bridge", &brs->keys[i].uuid);
            name = row ? ovsdb_idl_row_get_string(row, "name") : NULL;
            if (!name) {
                continue;
            }
            get_smap(row, "other_config", &oc);
            br = vsd_config_add_bridge(
                c, name, ovsdb_idl_row_get_uuid(row),
                ovsdb_idl_row_get_boolean(row, "stp_enable", false),
                ovsdb_idl_row_get_boolean(row, "mcast_snooping_enable",
                                          false),
                &oc);
            shash_destroy(&oc);
            if (!br) {
                continue;
            }
            ports = get_refs(row, "ports");
            for (unsigned int j = 0; j < ports->n; j++) {
                const struct ovsdb_idl_row *port;

                port = ovsdb_idl_get_row(idl, "Port", &ports->keys[j].uuid);
                if (port) {
                    add_port(c, br, port);
                }
            }
        }

        s = ovsdb_idl_row_get_map_string(ovs, "other_config",
                                         "stats-update-interval");
        if (s) {
            int msec;

            if (str_to_int(s, &msec) && msec > 0) {
                reconciler_set_stats_interval(rc, msec);
            }
        }
    }
    vsd_config_finish(c);
    return c;
}

/* ---------------------------------------------------------------------
 * Status write-back.
 */

static void
write_optional_string(struct ovsdb_idl_txn *txn,
                      const struct ovsdb_idl_row *row, const char *column,
                      const char *value)
{
    if (!ovsdb_idl_has_column(idl, ovsdb_idl_row_get_table_name(row),
                              column)) {
        return;
    }
    if (value) {
        ovsdb_idl_txn_write_string(txn, row, column, value);
    } else {
        ovsdb_idl_txn_clear(txn, row, column);
    }
}

static void
write_optional_integer(struct ovsdb_idl_txn *txn,
                       const struct ovsdb_idl_row *row, const char *column,
                       bool present, int64_t value)
{
    if (!ovsdb_idl_has_column(idl, ovsdb_idl_row_get_table_name(row),
                              column)) {
        return;
    }
    if (present) {
        ovsdb_idl_txn_write_integer(txn, row, column, value);
    } else {
        ovsdb_idl_txn_clear(txn, row, column);
    }
}

/* Writes map COLUMN of ROW from N (KEY, VALUE) pairs; VALUES are strings
 * (if SVALUES) or integers. */
static void
write_map(struct ovsdb_idl_txn *txn, const struct ovsdb_idl_row *row,
          const char *column, const char *const *keys,
          const char *const *svalues, const int64_t *ivalues, size_t n)
{
    const struct ovsdb_type *type;
    struct ovsdb_datum d;

    ovsdb_idl_row_get(row, column, &type);
    if (!type || type->key.type != OVSDB_TYPE_STRING
        || type->value.type != (svalues ? OVSDB_TYPE_STRING
                                : OVSDB_TYPE_INTEGER)) {
        return;
    }
    ovsdb_datum_init_empty(&d);
    for (size_t i = 0; i < n; i++) {
        union ovsdb_atom k, v;

        k.string = (char *) keys[i];
        if (svalues) {
            v.string = (char *) svalues[i];
        } else {
            v.integer = ivalues[i];
        }
        ovsdb_datum_add_unsafe(&d, &k, &v, type);
    }
    ovsdb_datum_sort_assert(&d, type);
    ovsdb_idl_txn_write(txn, row, column, &d);
}

static void
write_iface_status(struct ovsdb_idl_txn *txn,
                   const struct ovsdb_idl_row *row,
                   const struct rc_iface_status *st)
{
    write_optional_string(txn, row, "error", st ? st->error : NULL);
    /* OpenFlow port numbers mean nothing here, but Open vSwitch's tools
     * read "ofport" to tell whether an interface was set up: -1 is a
     * failure (ovs-vsctl --wait reports it), anything else success.  We
     * use the ifindex. */
    write_optional_integer(txn, row, "ofport", st != NULL,
                           !st || st->error || !st->present
                           ? -1 : st->ifindex);
    if (!st || !st->present) {
        write_optional_integer(txn, row, "ifindex", false, 0);
        write_optional_string(txn, row, "mac_in_use", NULL);
        write_optional_integer(txn, row, "mtu", false, 0);
        write_optional_string(txn, row, "link_state", st ? "down" : NULL);
        write_optional_string(txn, row, "admin_state", st ? "down" : NULL);
        if (ovsdb_idl_has_column(idl, "Interface", "statistics")) {
            ovsdb_idl_txn_clear(txn, row, "statistics");
        }
        return;
    }
    write_optional_integer(txn, row, "ifindex", true, st->ifindex);
    write_optional_string(txn, row, "mac_in_use",
                          st->mac[0] ? st->mac : NULL);
    write_optional_integer(txn, row, "mtu", st->mtu > 0, st->mtu);
    write_optional_string(txn, row, "link_state",
                          st->link_up ? "up" : "down");
    write_optional_string(txn, row, "admin_state",
                          st->admin_up ? "up" : "down");
    if (ovsdb_idl_has_column(idl, "Interface", "statistics")) {
        static const char *const keys[] = {
            "collisions", "rx_bytes", "rx_dropped", "rx_errors",
            "rx_multicast", "rx_packets", "tx_bytes", "tx_dropped",
            "tx_errors", "tx_packets",
        };
        const struct netlink_link_stats *s = &st->stats;
        int64_t values[] = {
            s->collisions, s->rx_bytes, s->rx_dropped, s->rx_errors,
            s->multicast, s->rx_packets, s->tx_bytes, s->tx_dropped,
            s->tx_errors, s->tx_packets,
        };

        write_map(txn, row, "statistics", keys, NULL, values,
                  ARRAY_SIZE(keys));
    }
}

static void
write_bridge_status(struct ovsdb_idl_txn *txn,
                    const struct ovsdb_idl_row *row,
                    const struct rc_bridge_status *st,
                    const struct vsd_bridge *br)
{
    const char *keys[3], *values[3];
    size_t n = 0;

    if (!ovsdb_idl_has_column(idl, "Bridge", "status")) {
        return;
    }
    if (st) {
        if (st->error) {
            keys[n] = "error";
            values[n++] = st->error;
        }
        keys[n] = "vlan_mode";
        values[n++] = st->vlan_mode;
    }
    if (br && br->warning) {
        keys[n] = "warning";
        values[n++] = br->warning;
    }
    write_map(txn, row, "status", keys, values, NULL, n);
}

static void
start_status_txn(void)
{
    const struct vsd_config *c = reconciler_get_config(rc);
    const struct ovsdb_idl_row *row, *ovs;
    int64_t applied = reconciler_get_applied_cfg(rc);

    status_txn = ovsdb_idl_txn_create(idl);
    ovsdb_idl_txn_add_comment(status_txn, "vswitchd: status");
    OVSDB_IDL_FOR_EACH (row, "Interface", idl) {
        const char *name = ovsdb_idl_row_get_string(row, "name");
        const struct vsd_iface *i = name ? vsd_config_find_iface(c, name)
                                         : NULL;

        if (i && uuid_equals(&i->uuid, ovsdb_idl_row_get_uuid(row))) {
            write_iface_status(status_txn, row,
                               reconciler_get_iface_status(rc, name));
        }
    }
    OVSDB_IDL_FOR_EACH (row, "Bridge", idl) {
        const char *name = ovsdb_idl_row_get_string(row, "name");
        const struct vsd_bridge *br = name ? vsd_config_find_bridge(c, name)
                                           : NULL;

        if (br && uuid_equals(&br->uuid, ovsdb_idl_row_get_uuid(row))) {
            write_bridge_status(status_txn, row,
                                reconciler_get_bridge_status(rc, name), br);
        }
    }
    ovs = ovsdb_idl_first_row(idl, "Open_vSwitch");
    if (ovs && applied >= 0
        && ovsdb_idl_row_get_integer(ovs, "cur_cfg", 0) != applied) {
        ovsdb_idl_txn_write_integer(status_txn, ovs, "cur_cfg", applied);
    }
    written_cur_cfg = applied;
    written_status_seqno = reconciler_get_status_seqno(rc);
    status_dirty = false;
    COVERAGE_INC(bridge_status_txn);
    n_status_txns++;
}

static void
run_status_txn(void)
{
    enum ovsdb_idl_txn_status status;

    if (!status_txn) {
        return;
    }
    status = ovsdb_idl_txn_commit(status_txn);
    if (status == TXN_INCOMPLETE) {
        return;
    }
    if (status != TXN_SUCCESS && status != TXN_UNCHANGED) {
        const char *err = ovsdb_idl_txn_get_error(status_txn);

        VLOG_WARN_RL(&rl, "status update failed: %s%s%s",
                     ovsdb_idl_txn_status_to_string(status),
                     err ? ": " : "", err ? err : "");
        status_dirty = true;
        status_retry_at = time_msec() + 1000;
    }
    ovsdb_idl_txn_destroy(status_txn);
    status_txn = NULL;
}

/* ---------------------------------------------------------------------
 * Main loop.
 */

void
bridge_run(void)
{
    ovsdb_idl_run(idl);

    if (ovsdb_idl_has_ever_connected(idl)
        && ovsdb_idl_is_connected(idl)
        && (!have_config || ovsdb_idl_get_seqno(idl) != last_idl_seqno)) {
        last_idl_seqno = ovsdb_idl_get_seqno(idl);
        if (!have_config) {
            VLOG_INFO("database contents received: reconciling");
        }
        have_config = true;
        COVERAGE_INC(bridge_reconfigure);
        n_reconfigures++;
        reconciler_set_config(rc, build_config());
    }

    reconciler_run(rc);

    run_status_txn();
    if (!status_txn && have_config && ovsdb_idl_is_connected(idl)) {
        unsigned int resync = ovsdb_idl_get_resync_seqno(idl);

        if (resync != last_resync_seqno) {
            last_resync_seqno = resync;
            status_dirty = true;
        }
        if (reconciler_get_status_seqno(rc) != written_status_seqno
            || reconciler_get_applied_cfg(rc) != written_cur_cfg) {
            status_dirty = true;
        }
        if (status_dirty && reconciler_get_applied_cfg(rc) >= 0
            && (status_retry_at == LLONG_MAX
                || time_msec() >= status_retry_at)) {
            status_retry_at = LLONG_MAX;
            start_status_txn();
            run_status_txn();
        }
    }
}

void
bridge_wait(void)
{
    ovsdb_idl_wait(idl);
    reconciler_wait(rc);
    if (status_txn) {
        ovsdb_idl_txn_wait(status_txn);
    } else if (status_retry_at != LLONG_MAX) {
        poll_timer_wait_until(status_retry_at);
    }
}

/* ---------------------------------------------------------------------
 * unixctl.
 */

static void
bridge_unixctl_list(struct unixctl_conn *conn, int argc VS_UNUSED,
                    const char *argv[] VS_UNUSED, void *aux VS_UNUSED)
{
    const struct vsd_config *c = reconciler_get_config(rc);
    struct ds out = DS_EMPTY_INITIALIZER;

    if (c) {
        const struct vsd_bridge *br;
        struct shash names = SHASH_INITIALIZER(&names);
        const struct shash_node **sorted;

        HMAP_FOR_EACH (br, node, &c->bridges) {
            shash_add(&names, br->name, NULL);
        }
        sorted = shash_sort(&names);
        for (size_t i = 0; i < shash_count(&names); i++) {
            ds_put_format(&out, "%s\n", sorted[i]->name);
        }
        free(sorted);
        shash_destroy(&names);
    }
    unixctl_command_reply(conn, ds_cstr(&out));
    ds_destroy(&out);
}

static void
bridge_unixctl_show(struct unixctl_conn *conn, int argc VS_UNUSED,
                    const char *argv[], void *aux VS_UNUSED)
{
    struct ds out = DS_EMPTY_INITIALIZER;

    if (reconciler_show_bridge(rc, argv[1], &out)) {
        unixctl_command_reply(conn, ds_cstr(&out));
    } else {
        unixctl_command_reply_error(conn, "no such bridge");
    }
    ds_destroy(&out);
}

static void
bridge_unixctl_fdb_show(struct unixctl_conn *conn, int argc VS_UNUSED,
                        const char *argv[], void *aux VS_UNUSED)
{
    struct ds out = DS_EMPTY_INITIALIZER;

    if (reconciler_show_fdb(rc, argv[1], &out)) {
        unixctl_command_reply(conn, ds_cstr(&out));
    } else {
        unixctl_command_reply_error(conn, "no such bridge");
    }
    ds_destroy(&out);
}

static void
bridge_unixctl_reconcile(struct unixctl_conn *conn, int argc VS_UNUSED,
                         const char *argv[] VS_UNUSED, void *aux VS_UNUSED)
{
    struct ds out = DS_EMPTY_INITIALIZER;

    if (!reconciler_get_config(rc)) {
        unixctl_command_reply_error(conn, "no configuration from the "
                                    "database yet");
        return;
    }
    reconciler_force_full(rc);
    reconciler_run(rc);
    reconciler_show_status(rc, &out);
    unixctl_command_reply(conn, ds_cstr(&out));
    ds_destroy(&out);
}

static void
bridge_unixctl_status(struct unixctl_conn *conn, int argc VS_UNUSED,
                      const char *argv[] VS_UNUSED, void *aux VS_UNUSED)
{
    const struct ovsdb_idl_row *ovs = ovsdb_idl_first_row(idl,
                                                          "Open_vSwitch");
    struct ds out = DS_EMPTY_INITIALIZER;
    int error = ovsdb_idl_get_last_error(idl);
    const char *msg = ovsdb_idl_get_error_message(idl);

    ds_put_format(&out, "database: %s (%s", ovsdb_idl_get_remote(idl),
                  ovsdb_idl_is_connected(idl) ? "connected"
                  : "not connected");
    if (!ovsdb_idl_is_connected(idl) && error) {
        ds_put_format(&out, ", last error: %s",
                      error == EOF ? "connection closed"
                      : vs_strerror(error));
    }
    ds_put_cstr(&out, ")\n");
    if (msg) {
        ds_put_format(&out, "database error: %s\n", msg);
    }
    if (ovs) {
        ds_put_format(&out, "next_cfg: %"PRId64", cur_cfg: %"PRId64"\n",
                      ovsdb_idl_row_get_integer(ovs, "next_cfg", 0),
                      ovsdb_idl_row_get_integer(ovs, "cur_cfg", 0));
    } else {
        ds_put_cstr(&out, "next_cfg: -, cur_cfg: - (no Open_vSwitch row)\n");
    }
    ds_put_format(&out, "applied cfg: %"PRId64"\n",
                  reconciler_get_applied_cfg(rc));
    reconciler_show_status(rc, &out);
    ds_put_format(&out, "configuration updates: %llu, status "
                  "transactions: %llu\n", n_reconfigures, n_status_txns);
    unixctl_command_reply(conn, ds_cstr(&out));
    ds_destroy(&out);
}

static void
bridge_memory_report(struct shash *usage, void *aux VS_UNUSED)
{
    const struct vsd_config *c = reconciler_get_config(rc);

    if (c) {
        memory_usage_add(usage, "bridges", hmap_count(&c->bridges));
        memory_usage_add(usage, "interfaces", hmap_count(&c->ifaces));
    }
}
