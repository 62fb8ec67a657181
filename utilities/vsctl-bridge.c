/* vsctl-bridge.c: vsctl's commands over bridges, ports and interfaces
 * (init, show, add-br, del-br, list-br, br-exists, add-port, del-port,
 * list-ports, list-ifaces, port-to-br, iface-to-br) and their command
 * table.  They work on the cache that vsctl-context.c builds from the
 * transaction's view of the database (see VSCTL_CACHE), and write through
 * the transaction, verifying the reference sets they rewrite. */
#include <config.h>

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "ovsdb-data.h"
#include "ovsdb-idl.h"
#include "ovsdb-schema.h"
#include "util.h"
#include "vsctl.h"

/* Returns the column NAME of ROW's table (which must exist). */
static const struct ovsdb_column *
row_column(const struct ovsdb_idl_row *row, const char *name)
{
    const struct ovsdb_column *c = ovsdb_table_schema_get_column(
        ovsdb_idl_row_get_table_schema(row), name);
    if (!c) {
        vsctl_fatal("the database has no column %s in table %s", name,
                    ovsdb_idl_row_get_table_name(row));
    }
    return c;
}

/* Returns the rows that the reference column COLUMN of ROW points to
 * (existing ones only), sorted by name; stores the count in *NP.  The
 * caller frees the array. */
static const struct ovsdb_idl_row **
get_refs_sorted(const struct ovsdb_idl_row *row, const char *column,
                size_t *np)
{
    const struct ovsdb_datum *d = ovsdb_idl_row_get(row, column, NULL);
    const struct ovsdb_idl_row **refs = xmalloc((d->n + 1) * sizeof *refs);
    size_t n = 0;

    for (unsigned int i = 0; i < d->n; i++) {
        const struct ovsdb_idl_row *ref = ovsdb_idl_row_get_ref(row, column,
                                                                i);
        if (ref) {
            refs[n++] = ref;
        }
    }
    qsort(refs, n, sizeof *refs, vsctl_compare_rows_by_name);
    *np = n;
    return refs;
}

/* Writes to reference column COLUMN of ROW its current value plus (ADD)
 * or minus (!ADD) UUID, verifying the current value first. */
static void
update_ref_set(struct vsctl_context *ctx, const struct ovsdb_idl_row *row,
               const char *column, const struct uuid *uuid, bool add)
{
    const struct ovsdb_column *c = row_column(row, column);
    struct ovsdb_datum d, one;
    union ovsdb_atom atom = { .uuid = *uuid };

    ovsdb_idl_txn_verify(ctx->txn, row, column);
    ovsdb_datum_clone(&d, ovsdb_idl_row_get(row, column, NULL), &c->type);
    ovsdb_datum_init_single(&one, &atom, NULL, &c->type);
    if (add) {
        ovsdb_datum_union(&d, &one, &c->type, false);
    } else {
        ovsdb_datum_subtract(&d, &c->type, &one, &c->type);
    }
    ovsdb_datum_destroy(&one, &c->type);
    ovsdb_idl_txn_write(ctx->txn, row, column, &d);
}

/* Fails if NAME is already a bridge, port or interface name, with a
 * message that starts with "cannot create a WHAT named NAME". */
static void
check_conflicts(struct vsctl_cache *cache, const char *what,
                const char *name)
{
    const struct ovsdb_idl_row *br;

    if (vsctl_find_bridge(cache, name, false)) {
        vsctl_fatal("cannot create a %s named %s because a bridge named %s "
                    "already exists", what, name, name);
    }
    if (vsctl_find_port(cache, name, false)) {
        br = shash_find_data(&cache->port_br, name);
        vsctl_fatal("cannot create a %s named %s because a port named %s "
                    "already exists on bridge %s", what, name, name,
                    vsctl_row_name(br));
    }
    if (vsctl_find_iface(cache, name, false)) {
        br = shash_find_data(&cache->iface_br, name);
        vsctl_fatal("cannot create a %s named %s because an interface named "
                    "%s already exists on bridge %s", what, name, name,
                    vsctl_row_name(br));
    }
}

/* Prints the names in SH, sorted, one per line, skipping SKIP. */
static void
output_sorted_names(struct vsctl_context *ctx, struct shash *sh,
                    const char *skip)
{
    const struct shash_node **nodes = shash_sort(sh);
    for (size_t i = 0; i < shash_count(sh); i++) {
        if (!skip || strcmp(nodes[i]->name, skip)) {
            ds_put_format(ctx->output, "%s\n", nodes[i]->name);
        }
    }
    free(nodes);
}

/* Prints ROW's name on a line of its own. */
static void
output_name(struct vsctl_context *ctx, const struct ovsdb_idl_row *row)
{
    ds_put_format(ctx->output, "%s\n", vsctl_row_name(row));
}

/* Deletes PORT and its interfaces, and removes it from bridge BR. */
static void
del_port(struct vsctl_context *ctx, const struct ovsdb_idl_row *br,
         const struct ovsdb_idl_row *port)
{
    size_t n;
    const struct ovsdb_idl_row **ifaces = get_refs_sorted(port, "interfaces",
                                                          &n);
    for (size_t i = 0; i < n; i++) {
        ovsdb_idl_txn_delete(ctx->txn, ifaces[i]);
    }
    free(ifaces);
    update_ref_set(ctx, br, "ports", ovsdb_idl_row_get_uuid(port), false);
    ovsdb_idl_txn_delete(ctx->txn, port);
}

/* Inserts a row named NAME into TABLE. */
static const struct ovsdb_idl_row *
insert_named(struct vsctl_context *ctx, const char *table, const char *name)
{
    const struct ovsdb_idl_row *row = ovsdb_idl_txn_insert(ctx->txn, table,
                                                           NULL);
    if (!row) {
        vsctl_fatal("database has no %s table", table);
    }
    ovsdb_idl_txn_write_string(ctx->txn, row, "name", name);
    return row;
}

/* Inserts a Port named NAME with one Interface of the same name, of TYPE
 * unless it is NULL. */
static const struct ovsdb_idl_row *
insert_port(struct vsctl_context *ctx, const char *name, const char *type)
{
    const struct ovsdb_idl_row *iface = insert_named(ctx, "Interface", name);
    if (type) {
        ovsdb_idl_txn_write_string(ctx->txn, iface, "type", type);
    }
    const struct ovsdb_idl_row *port = insert_named(ctx, "Port", name);
    ovsdb_idl_txn_write_uuid(ctx->txn, port, "interfaces",
                             ovsdb_idl_row_get_uuid(iface));
    return port;
}

/* ------------------------------------------------------------------ */
/* Bridge commands.                                                    */
/* ------------------------------------------------------------------ */

static void
cmd_init(struct vsctl_context *ctx)
{
    vsctl_get_ovs(ctx);
}

static void
cmd_add_br(struct vsctl_context *ctx)
{
    const char *name = ctx->argv[1];

    if (vsctl_has_option(ctx, "--may-exist")
        && vsctl_find_bridge(&ctx->cache, name, false)) {
        return;
    }
    check_conflicts(&ctx->cache, "bridge", name);

    const struct ovsdb_idl_row *port = insert_port(ctx, name, "internal");
    const struct ovsdb_idl_row *br = insert_named(ctx, "Bridge", name);
    ovsdb_idl_txn_write_uuid(ctx->txn, br, "ports",
                             ovsdb_idl_row_get_uuid(port));
    update_ref_set(ctx, vsctl_get_ovs(ctx), "bridges",
                   ovsdb_idl_row_get_uuid(br), true);
}

static void
cmd_del_br(struct vsctl_context *ctx)
{
    const struct ovsdb_idl_row *br = ctx->bridge;
    size_t n;
    const struct ovsdb_idl_row **ports = get_refs_sorted(br, "ports", &n);

    for (size_t i = 0; i < n; i++) {
        del_port(ctx, br, ports[i]);
    }
    free(ports);
    update_ref_set(ctx, vsctl_get_ovs(ctx), "bridges",
                   ovsdb_idl_row_get_uuid(br), false);
    ovsdb_idl_txn_delete(ctx->txn, br);
}

static void
cmd_list_br(struct vsctl_context *ctx)
{
    output_sorted_names(ctx, &ctx->cache.bridges, NULL);
}

static void
cmd_br_exists(struct vsctl_context *ctx)
{
    if (!vsctl_find_bridge(&ctx->cache, ctx->argv[1], false)) {
        vsctl_exit(2);
    }
}

/* ------------------------------------------------------------------ */
/* Port and interface commands.                                        */
/* ------------------------------------------------------------------ */

static void
cmd_add_port(struct vsctl_context *ctx)
{
    const char *br_name = ctx->argv[1];
    const char *name = ctx->argv[2];

    if (vsctl_has_option(ctx, "--may-exist")
        && vsctl_find_port(&ctx->cache, name, false)) {
        const struct ovsdb_idl_row *br = shash_find_data(&ctx->cache.port_br,
                                                         name);
        if (strcmp(vsctl_row_name(br), br_name)) {
            vsctl_fatal("\"--may-exist add-port %s %s\" but %s is "
                        "actually attached to bridge %s", br_name, name,
                        name, vsctl_row_name(br));
        }
        return;
    }
    check_conflicts(&ctx->cache, "port", name);

    const struct ovsdb_idl_row *br = vsctl_find_bridge(&ctx->cache, br_name,
                                                       true);
    const struct ovsdb_idl_row *port = insert_port(ctx, name, NULL);
    for (int i = 3; i < ctx->argc; i++) {
        vsctl_set_column(ctx, port, ctx->argv[i]);
    }
    update_ref_set(ctx, br, "ports", ovsdb_idl_row_get_uuid(port), true);
}

static void
cmd_del_port(struct vsctl_context *ctx)
{
    struct vsctl_cache *cache = &ctx->cache;
    const char *name = ctx->argv[ctx->argc - 1];
    const struct ovsdb_idl_row *port;

    port = vsctl_find_port(cache, name, false);
    if (!port && vsctl_has_option(ctx, "--with-iface")) {
        port = shash_find_data(&cache->iface_port, name);
    }
    if (!port) {
        if (!vsctl_has_option(ctx, "--if-exists")) {
            vsctl_fatal("no port named %s", name);
        }
        return;
    }

    const struct ovsdb_idl_row *br = shash_find_data(&cache->port_br,
                                                     vsctl_row_name(port));
    if (ctx->argc == 3
        && vsctl_find_bridge(cache, ctx->argv[1], true) != br) {
        vsctl_fatal("bridge %s does not have a port %s", ctx->argv[1], name);
    }
    if (!strcmp(vsctl_row_name(port), vsctl_row_name(br))) {
        vsctl_fatal("cannot delete port %s because it is the local port for "
                    "bridge %s (deleting this port requires deleting the "
                    "entire bridge)", vsctl_row_name(port),
                    vsctl_row_name(br));
    }
    del_port(ctx, br, port);
}

/* Prints, sorted, the names in MAP (port or interface name -> Bridge row)
 * that are on the command's bridge, except the bridge's own. */
static void
output_bridge_members(struct vsctl_context *ctx, const struct shash *map)
{
    struct shash names = SHASH_INITIALIZER(&names);
    struct shash_node *node;

    SHASH_FOR_EACH (node, map) {
        if (node->data == ctx->bridge) {
            shash_add(&names, node->name, NULL);
        }
    }
    output_sorted_names(ctx, &names, ctx->argv[1]);
    shash_destroy(&names);
}

static void
cmd_list_ports(struct vsctl_context *ctx)
{
    output_bridge_members(ctx, &ctx->cache.port_br);
}

static void
cmd_list_ifaces(struct vsctl_context *ctx)
{
    output_bridge_members(ctx, &ctx->cache.iface_br);
}

static void
cmd_port_to_br(struct vsctl_context *ctx)
{
    vsctl_find_port(&ctx->cache, ctx->argv[1], true);
    output_name(ctx, shash_find_data(&ctx->cache.port_br, ctx->argv[1]));
}

static void
cmd_iface_to_br(struct vsctl_context *ctx)
{
    vsctl_find_iface(&ctx->cache, ctx->argv[1], true);
    output_name(ctx, shash_find_data(&ctx->cache.iface_br, ctx->argv[1]));
}

/* ------------------------------------------------------------------ */
/* show                                                                */
/* ------------------------------------------------------------------ */

/* "show": a tree of the configuration, as ovs-vsctl prints it (but with
 * bridges, ports and interfaces sorted by name). */
struct show_table {
    const char *table;
    const char *name_column;    /* NULL: print the uuid. */
    const char *columns[4];
};

static const struct show_table show_tables[] = {
    {"Open_vSwitch", NULL, {"manager_options", "bridges", "ovs_version"}},
    {"Bridge", "name", {"controller", "fail_mode", "datapath_type",
                        "ports"}},
    {"Port", "name", {"tag", "trunks", "interfaces"}},
    {"Interface", "name", {"type", "options", "error"}},
    {"Controller", "target", {"is_connected"}},
    {"Manager", "target", {"is_connected"}},
};

static const struct show_table *
find_show_table(const char *name)
{
    for (size_t i = 0; i < ARRAY_SIZE(show_tables); i++) {
        if (!strcmp(show_tables[i].table, name)) {
            return &show_tables[i];
        }
    }
    return NULL;
}

static void
show_row(struct vsctl_context *ctx, const struct ovsdb_idl_row *row,
         int level)
{
    const struct show_table *st
        = find_show_table(ovsdb_idl_row_get_table_name(row));
    const struct ovsdb_type *type;

    ds_put_char_multiple(ctx->output, ' ', level * 4);
    if (st->name_column) {
        const struct ovsdb_datum *d = ovsdb_idl_row_get(row, st->name_column,
                                                        &type);
        ds_put_format(ctx->output, "%s ", st->table);
        if (type) {
            ovsdb_datum_to_string(d, type, ctx->output);
        }
    } else {
        ds_put_format(ctx->output, UUID_FMT,
                      UUID_ARGS(ovsdb_idl_row_get_uuid(row)));
    }
    ds_put_char(ctx->output, '\n');

    for (size_t i = 0; i < ARRAY_SIZE(st->columns) && st->columns[i]; i++) {
        const char *column = st->columns[i];
        const struct ovsdb_datum *d = ovsdb_idl_row_get(row, column, &type);

        if (!type) {
            continue;
        }
        if (type->key.type == OVSDB_TYPE_UUID && type->key.u.uuid.ref_table
            && find_show_table(type->key.u.uuid.ref_table->name)) {
            size_t n;
            const struct ovsdb_idl_row **refs = get_refs_sorted(row, column,
                                                                &n);
            for (size_t j = 0; j < n; j++) {
                show_row(ctx, refs[j], level + 1);
            }
            free(refs);
        } else if (!ovsdb_datum_is_default(d, type)) {
            ds_put_char_multiple(ctx->output, ' ', (level + 1) * 4);
            ds_put_format(ctx->output, "%s: ", column);
            ovsdb_datum_to_string(d, type, ctx->output);
            ds_put_char(ctx->output, '\n');
        }
    }
}

static void
cmd_show(struct vsctl_context *ctx)
{
    const struct ovsdb_idl_row *ovs;
    OVSDB_IDL_FOR_EACH (ovs, "Open_vSwitch", ctx->idl) {
        show_row(ctx, ovs, 0);
    }
}

const struct vsctl_command_syntax vsctl_bridge_commands[] = {
    {"init", 0, 0, 0, "", cmd_init, NULL},
    {"show", 0, 0, 0, "", cmd_show, NULL},
    {"add-br", 1, 1, VSCTL_CACHE, "--may-exist", cmd_add_br, NULL},
    {"del-br", 1, 1, VSCTL_BRIDGE, "--if-exists", cmd_del_br, NULL},
    {"list-br", 0, 0, VSCTL_CACHE, "", cmd_list_br, NULL},
    {"br-exists", 1, 1, VSCTL_CACHE, "", cmd_br_exists, NULL},
    {"add-port", 2, INT_MAX, VSCTL_CACHE, "--may-exist", cmd_add_port, NULL},
    {"del-port", 1, 2, VSCTL_CACHE, "--if-exists,--with-iface", cmd_del_port,
     NULL},
    {"list-ports", 1, 1, VSCTL_BRIDGE, "", cmd_list_ports, NULL},
    {"list-ifaces", 1, 1, VSCTL_BRIDGE, "", cmd_list_ifaces, NULL},
    {"port-to-br", 1, 1, VSCTL_CACHE, "", cmd_port_to_br, NULL},
    {"iface-to-br", 1, 1, VSCTL_CACHE, "", cmd_iface_to_br, NULL},
    {NULL, 0, 0, 0, NULL, NULL, NULL},
};
