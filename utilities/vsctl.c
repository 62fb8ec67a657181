/* vsctl: configures vswitch-lite through its database; a compatible
 * subset of Open vSwitch's ovs-vsctl.
 *
 * All the commands of one invocation run against the replica (lib/ovsdb-idl)
 * and form one transaction.  Commands read the transaction's view, so a
 * later command sees what an earlier one did.  If another client changed
 * what a command read before the commit, the server refuses the
 * transaction ("verify") and the commands run again on the new contents.
 * With --wait (the default) the transaction also increments
 * Open_vSwitch.next_cfg, and vsctl waits until vswitchd reports, through
 * cur_cfg, that it has applied that configuration. */
#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "command-line.h"
#include "dirs.h"
#include "dynamic-string.h"
#include "ovsdb-data.h"
#include "ovsdb-idl.h"
#include "ovsdb-schema.h"
#include "poll-loop.h"
#include "shash.h"
#include "timeval.h"
#include "util.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(vsctl);

/* Global options. */
static char *db;
static bool wait_for_reload = true;
static int timeout_sec;
static bool retry;
static bool dry_run;
enum output_format { FMT_LIST, FMT_TABLE, FMT_CSV, FMT_JSON };
static enum output_format output_fmt = FMT_LIST;
static bool bare;
static bool no_headings;

static long long int deadline = LLONG_MAX;

struct vsctl_context;

struct vsctl_command_syntax {
    const char *name;
    int min_args;
    int max_args;
    const char *arguments;      /* For --help. */
    void (*run)(struct vsctl_context *);
    void (*postprocess)(struct vsctl_context *);
    const char *options;        /* Comma-separated "--opt" or "--opt=". */
    bool read_only;
};

struct vsctl_command {
    const struct vsctl_command_syntax *syntax;
    int argc;
    char **argv;
    struct shash *options;      /* "--name" -> value (or NULL). */
    struct ds output;
    struct uuid insert_uuid;    /* For "create": the temporary uuid. */
    bool inserted;
};

struct vsctl_context {
    struct vsctl_command *cmd;
    int argc;
    char **argv;
    struct shash *options;
    struct ds *output;

    struct ovsdb_idl *idl;
    struct ovsdb_idl_txn *txn;
    struct ovsdb_symbol_table *symtab;
    const struct ovsdb_idl_row *ovs;    /* Open_vSwitch row, or NULL. */
};

static void vsctl_fatal(const char *format, ...)
    VS_PRINTF_FORMAT(1, 2) VS_NO_RETURN;
static void vsctl_option_fatal(char *name, const char *format, ...)
    VS_PRINTF_FORMAT(2, 3) VS_NO_RETURN;
static void vsctl_exit(int status) VS_NO_RETURN;

static void
vsctl_fatal(const char *format, ...)
{
    va_list args;

    fflush(stdout);
    fprintf(stderr, "%s: ", program_name);
    va_start(args, format);
    vfprintf(stderr, format, args);
    va_end(args);
    putc('\n', stderr);
    exit(EXIT_FAILURE);
}

/* Like vsctl_fatal(), but frees NAME (which FORMAT may refer to) after
 * printing the message, so that a bad option does not leak it. */
static void
vsctl_option_fatal(char *name, const char *format, ...)
{
    va_list args;

    fflush(stdout);
    fprintf(stderr, "%s: ", program_name);
    va_start(args, format);
    vfprintf(stderr, format, args);
    va_end(args);
    putc('\n', stderr);
    free(name);
    exit(EXIT_FAILURE);
}

static void
vsctl_exit(int status)
{
    fflush(stdout);
    exit(status);
}

static bool
has_option(const struct vsctl_context *ctx, const char *option)
{
    return shash_find(ctx->options, option) != NULL;
}

/* ------------------------------------------------------------------ */
/* Small helpers over the replica.                                     */
/* ------------------------------------------------------------------ */

static const char *
row_name(const struct ovsdb_idl_row *row)
{
    const char *name = ovsdb_idl_row_get_string(row, "name");
    return name ? name : "";
}

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

static int
compare_rows_by_name(const void *a_, const void *b_)
{
    const struct ovsdb_idl_row *const *a = a_;
    const struct ovsdb_idl_row *const *b = b_;
    int cmp = strcmp(row_name(*a), row_name(*b));
    return cmp ? cmp : uuid_compare_3way(ovsdb_idl_row_get_uuid(*a),
                                         ovsdb_idl_row_get_uuid(*b));
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
    qsort(refs, n, sizeof *refs, compare_rows_by_name);
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

static const struct ovsdb_idl_row *
get_ovs(struct vsctl_context *ctx)
{
    if (!ctx->ovs) {
        ctx->ovs = ovsdb_idl_first_row(ctx->idl, "Open_vSwitch");
        if (!ctx->ovs) {
            ctx->ovs = ovsdb_idl_txn_insert(ctx->txn, "Open_vSwitch", NULL);
            if (!ctx->ovs) {
                vsctl_fatal("database has no Open_vSwitch table");
            }
        }
    }
    return ctx->ovs;
}

/* ------------------------------------------------------------------ */
/* The bridge/port/interface view.                                     */
/* ------------------------------------------------------------------ */

struct vsctl_cache {
    struct shash bridges;   /* Name -> Bridge row. */
    struct shash ports;     /* Name -> Port row. */
    struct shash port_br;   /* Port name -> Bridge row. */
    struct shash ifaces;    /* Name -> Interface row. */
    struct shash iface_port; /* Interface name -> Port row. */
};

/* Builds the view of the configuration that the bridge commands use:
 * the bridges that Open_vSwitch lists, their ports and their interfaces,
 * verifying what it read. */
static void
cache_init(struct vsctl_context *ctx, struct vsctl_cache *cache)
{
    const struct ovsdb_idl_row *ovs = get_ovs(ctx);
    const struct ovsdb_datum *brs;

    shash_init(&cache->bridges);
    shash_init(&cache->ports);
    shash_init(&cache->port_br);
    shash_init(&cache->ifaces);
    shash_init(&cache->iface_port);

    ovsdb_idl_txn_verify(ctx->txn, ovs, "bridges");
    brs = ovsdb_idl_row_get(ovs, "bridges", NULL);
    for (unsigned int i = 0; i < brs->n; i++) {
        const struct ovsdb_idl_row *br = ovsdb_idl_row_get_ref(ovs, "bridges",
                                                               i);
        if (!br || !shash_add_once(&cache->bridges, row_name(br),
                                   (void *) br)) {
            if (br) {
                VLOG_WARN("%s: database contains duplicate bridge name",
                          row_name(br));
            }
            continue;
        }
        ovsdb_idl_txn_verify(ctx->txn, br, "ports");
        const struct ovsdb_datum *ports = ovsdb_idl_row_get(br, "ports",
                                                            NULL);
        for (unsigned int j = 0; j < ports->n; j++) {
            const struct ovsdb_idl_row *port
                = ovsdb_idl_row_get_ref(br, "ports", j);
            if (!port || !shash_add_once(&cache->ports, row_name(port),
                                         (void *) port)) {
                if (port) {
                    VLOG_WARN("%s: database contains duplicate port name",
                              row_name(port));
                }
                continue;
            }
            shash_add(&cache->port_br, row_name(port), (void *) br);
            ovsdb_idl_txn_verify(ctx->txn, port, "interfaces");
            const struct ovsdb_datum *ifaces
                = ovsdb_idl_row_get(port, "interfaces", NULL);
            for (unsigned int k = 0; k < ifaces->n; k++) {
                const struct ovsdb_idl_row *iface
                    = ovsdb_idl_row_get_ref(port, "interfaces", k);
                if (!iface || !shash_add_once(&cache->ifaces,
                                              row_name(iface),
                                              (void *) iface)) {
                    if (iface) {
                        VLOG_WARN("%s: database contains duplicate "
                                  "interface name", row_name(iface));
                    }
                    continue;
                }
                shash_add(&cache->iface_port, row_name(iface), (void *) port);
            }
        }
    }
}

static void
cache_destroy(struct vsctl_cache *cache)
{
    shash_destroy(&cache->bridges);
    shash_destroy(&cache->ports);
    shash_destroy(&cache->port_br);
    shash_destroy(&cache->ifaces);
    shash_destroy(&cache->iface_port);
}

static const struct ovsdb_idl_row *
find_bridge(struct vsctl_cache *cache, const char *name, bool must_exist)
{
    const struct ovsdb_idl_row *br = shash_find_data(&cache->bridges, name);
    if (must_exist && !br) {
        vsctl_fatal("no bridge named %s", name);
    }
    return br;
}

static const struct ovsdb_idl_row *
find_port(struct vsctl_cache *cache, const char *name, bool must_exist)
{
    const struct ovsdb_idl_row *port = shash_find_data(&cache->ports, name);
    if (must_exist && !port) {
        vsctl_fatal("no port named %s", name);
    }
    return port;
}

static const struct ovsdb_idl_row *
find_iface(struct vsctl_cache *cache, const char *name, bool must_exist)
{
    const struct ovsdb_idl_row *iface = shash_find_data(&cache->ifaces,
                                                        name);
    if (must_exist && !iface) {
        vsctl_fatal("no interface named %s", name);
    }
    return iface;
}

/* Fails if NAME is already a bridge, port or interface name, with a
 * message that starts with PREFIX ("cannot create a bridge named br0"). */
static void
check_conflicts(struct vsctl_cache *cache, const char *name,
                const char *prefix)
{
    const struct ovsdb_idl_row *br;

    if (find_bridge(cache, name, false)) {
        vsctl_fatal("%s because a bridge named %s already exists", prefix,
                    name);
    }
    if (find_port(cache, name, false)) {
        br = shash_find_data(&cache->port_br, name);
        vsctl_fatal("%s because a port named %s already exists on "
                    "bridge %s", prefix, name, row_name(br));
    }
    if (find_iface(cache, name, false)) {
        const struct ovsdb_idl_row *port
            = shash_find_data(&cache->iface_port, name);
        br = shash_find_data(&cache->port_br, row_name(port));
        vsctl_fatal("%s because an interface named %s already exists on "
                    "bridge %s", prefix, name, row_name(br));
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

/* ------------------------------------------------------------------ */
/* Bridge commands.                                                    */
/* ------------------------------------------------------------------ */

static void
cmd_init(struct vsctl_context *ctx)
{
    get_ovs(ctx);
}

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

static void
cmd_add_br(struct vsctl_context *ctx)
{
    const char *name = ctx->argv[1];
    struct vsctl_cache cache;

    cache_init(ctx, &cache);
    if (has_option(ctx, "--may-exist") && find_bridge(&cache, name, false)) {
        cache_destroy(&cache);
        return;
    }
    char *prefix = xasprintf("cannot create a bridge named %s", name);
    check_conflicts(&cache, name, prefix);
    free(prefix);

    const struct ovsdb_idl_row *iface = insert_named(ctx, "Interface", name);
    ovsdb_idl_txn_write_string(ctx->txn, iface, "type", "internal");
    const struct ovsdb_idl_row *port = insert_named(ctx, "Port", name);
    ovsdb_idl_txn_write_uuid(ctx->txn, port, "interfaces",
                             ovsdb_idl_row_get_uuid(iface));
    const struct ovsdb_idl_row *br = insert_named(ctx, "Bridge", name);
    ovsdb_idl_txn_write_uuid(ctx->txn, br, "ports",
                             ovsdb_idl_row_get_uuid(port));
    update_ref_set(ctx, get_ovs(ctx), "bridges", ovsdb_idl_row_get_uuid(br),
                   true);
    cache_destroy(&cache);
}

static void
cmd_del_br(struct vsctl_context *ctx)
{
    struct vsctl_cache cache;

    cache_init(ctx, &cache);
    const struct ovsdb_idl_row *br = find_bridge(
        &cache, ctx->argv[1], !has_option(ctx, "--if-exists"));
    if (br) {
        size_t n;
        const struct ovsdb_idl_row **ports = get_refs_sorted(br, "ports", &n);
        for (size_t i = 0; i < n; i++) {
            del_port(ctx, br, ports[i]);
        }
        free(ports);
        update_ref_set(ctx, get_ovs(ctx), "bridges",
                       ovsdb_idl_row_get_uuid(br), false);
        ovsdb_idl_txn_delete(ctx->txn, br);
    }
    cache_destroy(&cache);
}

static void
cmd_list_br(struct vsctl_context *ctx)
{
    struct vsctl_cache cache;

    cache_init(ctx, &cache);
    output_sorted_names(ctx, &cache.bridges, NULL);
    cache_destroy(&cache);
}

static void
cmd_br_exists(struct vsctl_context *ctx)
{
    struct vsctl_cache cache;

    cache_init(ctx, &cache);
    if (!find_bridge(&cache, ctx->argv[1], false)) {
        vsctl_exit(2);
    }
    cache_destroy(&cache);
}

static void set_column(struct vsctl_context *, const struct ovsdb_idl_row *,
                       const char *arg);

static void
cmd_add_port(struct vsctl_context *ctx)
{
    const char *br_name = ctx->argv[1];
    const char *name = ctx->argv[2];
    struct vsctl_cache cache;

    cache_init(ctx, &cache);
    if (has_option(ctx, "--may-exist")) {
        const struct ovsdb_idl_row *port = find_port(&cache, name, false);
        if (port) {
            const struct ovsdb_idl_row *br = shash_find_data(&cache.port_br,
                                                             name);
            if (strcmp(row_name(br), br_name)) {
                vsctl_fatal("\"--may-exist add-port %s %s\" but %s is "
                            "actually attached to bridge %s", br_name, name,
                            name, row_name(br));
            }
            cache_destroy(&cache);
            return;
        }
    }
    char *prefix = xasprintf("cannot create a port named %s", name);
    check_conflicts(&cache, name, prefix);
    free(prefix);

    const struct ovsdb_idl_row *br = find_bridge(&cache, br_name, true);
    const struct ovsdb_idl_row *iface = insert_named(ctx, "Interface", name);
    const struct ovsdb_idl_row *port = insert_named(ctx, "Port", name);
    ovsdb_idl_txn_write_uuid(ctx->txn, port, "interfaces",
                             ovsdb_idl_row_get_uuid(iface));
    for (int i = 3; i < ctx->argc; i++) {
        set_column(ctx, port, ctx->argv[i]);
    }
    update_ref_set(ctx, br, "ports", ovsdb_idl_row_get_uuid(port), true);
    cache_destroy(&cache);
}

static void
cmd_del_port(struct vsctl_context *ctx)
{
    const char *name = ctx->argv[ctx->argc - 1];
    bool must_exist = !has_option(ctx, "--if-exists");
    struct vsctl_cache cache;
    const struct ovsdb_idl_row *port;

    cache_init(ctx, &cache);
    port = find_port(&cache, name, false);
    if (!port && has_option(ctx, "--with-iface")) {
        port = shash_find_data(&cache.iface_port, name);
    }
    if (!port) {
        if (must_exist) {
            vsctl_fatal("no port named %s", name);
        }
        cache_destroy(&cache);
        return;
    }

    const struct ovsdb_idl_row *br = shash_find_data(&cache.port_br,
                                                     row_name(port));
    if (ctx->argc == 3) {
        const struct ovsdb_idl_row *want = find_bridge(&cache, ctx->argv[1],
                                                       true);
        if (want != br) {
            vsctl_fatal("bridge %s does not have a port %s", ctx->argv[1],
                        name);
        }
    }
    if (!strcmp(row_name(port), row_name(br))) {
        vsctl_fatal("cannot delete port %s because it is the local port for "
                    "bridge %s (deleting this port requires deleting the "
                    "entire bridge)", row_name(port), row_name(br));
    }
    del_port(ctx, br, port);
    cache_destroy(&cache);
}

static void
cmd_list_ports(struct vsctl_context *ctx)
{
    struct vsctl_cache cache;
    struct shash names = SHASH_INITIALIZER(&names);

    cache_init(ctx, &cache);
    const struct ovsdb_idl_row *br = find_bridge(&cache, ctx->argv[1], true);
    struct shash_node *node;
    SHASH_FOR_EACH (node, &cache.port_br) {
        if (node->data == br) {
            shash_add(&names, node->name, NULL);
        }
    }
    output_sorted_names(ctx, &names, ctx->argv[1]);
    shash_destroy(&names);
    cache_destroy(&cache);
}

static void
cmd_list_ifaces(struct vsctl_context *ctx)
{
    struct vsctl_cache cache;
    struct shash names = SHASH_INITIALIZER(&names);

    cache_init(ctx, &cache);
    const struct ovsdb_idl_row *br = find_bridge(&cache, ctx->argv[1], true);
    struct shash_node *node;
    SHASH_FOR_EACH (node, &cache.iface_port) {
        const struct ovsdb_idl_row *port = node->data;
        if (shash_find_data(&cache.port_br, row_name(port)) == br) {
            shash_add(&names, node->name, NULL);
        }
    }
    output_sorted_names(ctx, &names, ctx->argv[1]);
    shash_destroy(&names);
    cache_destroy(&cache);
}

static void
cmd_port_to_br(struct vsctl_context *ctx)
{
    struct vsctl_cache cache;

    cache_init(ctx, &cache);
    find_port(&cache, ctx->argv[1], true);
    ds_put_format(ctx->output, "%s\n", row_name(
                      shash_find_data(&cache.port_br, ctx->argv[1])));
    cache_destroy(&cache);
}

static void
cmd_iface_to_br(struct vsctl_context *ctx)
{
    struct vsctl_cache cache;

    cache_init(ctx, &cache);
    find_iface(&cache, ctx->argv[1], true);
    const struct ovsdb_idl_row *port = shash_find_data(&cache.iface_port,
                                                       ctx->argv[1]);
    ds_put_format(ctx->output, "%s\n", row_name(
                      shash_find_data(&cache.port_br, row_name(port))));
    cache_destroy(&cache);
}

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

/* ------------------------------------------------------------------ */
/* Database commands.                                                  */
/* ------------------------------------------------------------------ */

static const struct ovsdb_table_schema *
get_table(struct vsctl_context *ctx, const char *name)
{
    const struct ovsdb_schema *schema = ovsdb_idl_get_schema(ctx->idl);
    const struct ovsdb_table_schema *match = NULL;
    size_t n_matches = 0;
    struct shash_node *node;

    SHASH_FOR_EACH (node, &schema->tables) {
        const struct ovsdb_table_schema *t = node->data;
        if (!strcasecmp(t->name, name)) {
            return t;
        } else if (!strncasecmp(t->name, name, strlen(name))) {
            match = t;
            n_matches++;
        }
    }
    if (n_matches == 1) {
        return match;
    } else if (n_matches > 1) {
        vsctl_fatal("multiple table names match \"%s\"", name);
    }
    vsctl_fatal("unknown table \"%s\"", name);
}

static const struct ovsdb_column *
get_column(const struct ovsdb_table_schema *t, const char *name)
{
    const struct ovsdb_column *c = ovsdb_table_schema_get_column(t, name);
    const struct ovsdb_column *match = NULL;
    size_t n_matches = 0;

    if (c) {
        return c;
    }
    for (size_t i = 0; i < t->n_columns; i++) {
        const struct ovsdb_column *ci = ovsdb_table_schema_column(t, i);
        if (!strcasecmp(ci->name, name)) {
            return ci;
        } else if (!strncasecmp(ci->name, name, strlen(name))) {
            match = ci;
            n_matches++;
        }
    }
    if (n_matches == 1 && *name) {
        return match;
    } else if (n_matches > 1 && *name) {
        vsctl_fatal("%s contains more than one column whose name matches "
                    "\"%s\"", t->name, name);
    }
    vsctl_fatal("%s does not contain a column whose name matches \"%s\"",
                t->name, name);
}

/* The column by which a record of T is named on the command line, or
 * NULL. */
static const char *
name_column(const struct ovsdb_table_schema *t)
{
    if (!strcmp(t->name, "Manager") || !strcmp(t->name, "Controller")) {
        return "target";
    }
    const struct ovsdb_column *c = ovsdb_table_schema_get_column(t, "name");
    return (c && c->type.key.type == OVSDB_TYPE_STRING
            && ovsdb_type_is_scalar(&c->type) ? "name" : NULL);
}

static bool
is_uuid_prefix(const char *s)
{
    size_t n = strlen(s);
    if (n < 4 || n > UUID_LEN) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        if (!isxdigit((unsigned char) s[i]) && s[i] != '-') {
            return false;
        }
    }
    return true;
}

/* Finds the record of T that ID designates: a uuid (or a unique prefix of
 * at least 4 digits), "@NAME" from --id, the value of the table's name
 * column, or "." for a table that has at most one row. */
static const struct ovsdb_idl_row *
get_row(struct vsctl_context *ctx, const struct ovsdb_table_schema *t,
        const char *id, bool must_exist)
{
    const struct ovsdb_idl_row *row = NULL;
    struct uuid uuid;

    if (id[0] == '@') {
        const struct ovsdb_symbol *symbol = ovsdb_symbol_table_get(
            ctx->symtab, id);
        if (symbol) {
            row = ovsdb_idl_get_row(ctx->idl, t->name, &symbol->uuid);
        }
    } else if (uuid_from_string(&uuid, id)) {
        row = ovsdb_idl_get_row(ctx->idl, t->name, &uuid);
    }

    if (!row && !strcmp(id, ".") && t->max_rows == 1) {
        row = ovsdb_idl_first_row(ctx->idl, t->name);
    }

    const char *nc = name_column(t);
    if (!row && nc) {
        const struct ovsdb_idl_row *r;
        OVSDB_IDL_FOR_EACH (r, t->name, ctx->idl) {
            const char *name = ovsdb_idl_row_get_string(r, nc);
            if (name && !strcmp(name, id)) {
                if (row) {
                    vsctl_fatal("multiple rows in %s match \"%s\"", t->name,
                                id);
                }
                row = r;
            }
        }
    }

    if (!row && is_uuid_prefix(id)) {
        const struct ovsdb_idl_row *r;
        OVSDB_IDL_FOR_EACH (r, t->name, ctx->idl) {
            char buf[UUID_LEN + 1];
            uuid_format(ovsdb_idl_row_get_uuid(r), buf);
            if (!strncasecmp(buf, id, strlen(id))) {
                if (row) {
                    vsctl_fatal("multiple rows in %s match \"%s\"", t->name,
                                id);
                }
                row = r;
            }
        }
    }

    if (!row && must_exist) {
        vsctl_fatal("no row \"%s\" in table %s", id, t->name);
    }
    return row;
}

/* A copy of TYPE that accepts any number of elements (for add, remove,
 * and the set comparisons of find). */
static void
relaxed_type(struct ovsdb_type *relaxed, const struct ovsdb_type *type)
{
    ovsdb_type_clone(relaxed, type);
    relaxed->n_min = 0;
    relaxed->n_max = UINT_MAX;
}

static void
parse_datum(struct vsctl_context *ctx, struct ovsdb_datum *d,
            const struct ovsdb_type *type, const char *s)
{
    char *error = ovsdb_datum_from_string(d, type, s, ctx->symtab);
    if (error) {
        vsctl_fatal("%s", error);
    }
}

static void
parse_atom(struct vsctl_context *ctx, union ovsdb_atom *atom,
           const struct ovsdb_base_type *base, const char *s)
{
    char *error = ovsdb_atom_from_string(atom, base, s, ctx->symtab);
    if (error) {
        vsctl_fatal("%s", error);
    }
}

/* Relational operators of "find" (and "=" alone for set/create). */
enum rel_op {
    OP_EQ, OP_NE, OP_LT, OP_GT, OP_LE, OP_GE,
    OP_SET_EQ, OP_SET_NE, OP_SET_LT, OP_SET_GT, OP_SET_LE, OP_SET_GE
};

static const char *const op_names[] = {
    "=", "!=", "<", ">", "<=", ">=",
    "{=}", "{!=}", "{<}", "{>}", "{<=}", "{>=}"
};

/* Parses ARG as COLUMN[:KEY][OP VALUE] for table T.  Stores the column,
 * a copy of the KEY text (or NULL) and the VALUE text (or NULL) and the
 * operator.  If !ALLOW_OPS only "=" is accepted; VALUE_REQUIRED says
 * whether the operator must be present. */
static const struct ovsdb_column *
parse_column_key_value(const struct ovsdb_table_schema *t, const char *arg,
                       char **keyp, const char **valuep, enum rel_op *opp,
                       bool allow_ops, bool value_required)
{
    const char *p = arg;
    size_t n = strcspn(p, ":=!<>{");
    char *column_name = xmemdup0(p, n);
    const struct ovsdb_column *c;

    p += n;
    *keyp = NULL;
    *valuep = NULL;
    *opp = OP_EQ;

    if (!*column_name) {
        vsctl_fatal("%s: missing column name", arg);
    }
    c = get_column(t, column_name);
    free(column_name);

    if (*p == ':') {
        p++;
        if (*p == '"') {
            const char *end = p + 1;
            while (*end && *end != '"') {
                end += end[0] == '\\' && end[1] ? 2 : 1;
            }
            if (*end != '"') {
                vsctl_fatal("%s: missing closing quote", arg);
            }
            *keyp = xmemdup0(p, end + 1 - p);
            p = end + 1;
        } else {
            n = strcspn(p, "=!<>{");
            *keyp = xmemdup0(p, n);
            p += n;
        }
    }

    if (*p) {
        size_t best = 0;
        for (size_t i = 0; i < ARRAY_SIZE(op_names); i++) {
            size_t len = strlen(op_names[i]);
            if (!strncmp(p, op_names[i], len) && len > best) {
                best = len;
                *opp = i;
            }
        }
        if (!best || (!allow_ops && *opp != OP_EQ)) {
            vsctl_fatal("%s: argument does not end in \"=\" followed by a "
                        "value", arg);
        }
        *valuep = p + best;
    } else if (value_required) {
        vsctl_fatal("%s: argument does not end in \"=\" followed by a value",
                    arg);
    }
    return c;
}

static void
check_mutable(const struct ovsdb_idl_row *row, const struct ovsdb_column *c)
{
    if (!c->mutable_ || c->index < OVSDB_N_STD_COLUMNS) {
        vsctl_fatal("cannot modify read-only column %s in table %s", c->name,
                    ovsdb_idl_row_get_table_name(row));
    }
}

/* Applies "COLUMN[:KEY]=VALUE" to ROW. */
static void
set_column(struct vsctl_context *ctx, const struct ovsdb_idl_row *row,
           const char *arg)
{
    const struct ovsdb_table_schema *t = ovsdb_idl_row_get_table_schema(row);
    const struct ovsdb_column *c;
    const char *value;
    enum rel_op op;
    char *key;

    c = parse_column_key_value(t, arg, &key, &value, &op, false, true);
    if (key) {
        if (!ovsdb_type_is_map(&c->type)) {
            vsctl_fatal("cannot specify key to set for non-map column %s",
                        c->name);
        }
        union ovsdb_atom katom, vatom;
        struct ovsdb_datum d, one;

        parse_atom(ctx, &katom, &c->type.key, key);
        parse_atom(ctx, &vatom, &c->type.value, value);
        ovsdb_idl_txn_verify(ctx->txn, row, c->name);
        ovsdb_datum_clone(&d, ovsdb_idl_row_get(row, c->name, NULL),
                          &c->type);
        ovsdb_datum_init_single(&one, &katom, &vatom, &c->type);
        ovsdb_datum_union(&d, &one, &c->type, true);
        ovsdb_datum_destroy(&one, &c->type);
        ovsdb_atom_destroy(&katom, c->type.key.type);
        ovsdb_atom_destroy(&vatom, c->type.value.type);
        ovsdb_idl_txn_write(ctx->txn, row, c->name, &d);
        free(key);
    } else {
        struct ovsdb_datum d;
        parse_datum(ctx, &d, &c->type, value);
        ovsdb_idl_txn_write(ctx->txn, row, c->name, &d);
    }
}

/* Is ROW inserted by "create" in the current transaction?  (Every row
 * that "create" inserts has a symbol, see cmd_create().) */
static bool
row_is_inserted(struct vsctl_context *ctx, const struct ovsdb_idl_row *row)
{
    struct shash_node *node;
    SHASH_FOR_EACH (node, &ctx->symtab->sh) {
        const struct ovsdb_symbol *symbol = node->data;
        if (symbol->created
            && uuid_equals(&symbol->uuid, ovsdb_idl_row_get_uuid(row))) {
            return true;
        }
    }
    return false;
}

static void
cmd_get(struct vsctl_context *ctx)
{
    const char *id = shash_find_data(ctx->options, "--id");
    bool must_exist = !has_option(ctx, "--if-exists");
    const struct ovsdb_table_schema *t = get_table(ctx, ctx->argv[1]);
    const struct ovsdb_idl_row *row = get_row(ctx, t, ctx->argv[2],
                                              must_exist);

    if (!row) {
        return;
    }
    if (id) {
        struct ovsdb_symbol *symbol;
        if (id[0] != '@') {
            vsctl_fatal("row id \"%s\" does not begin with \"@\"", id);
        }
        symbol = ovsdb_symbol_table_get(ctx->symtab, id);
        if (symbol && symbol->created) {
            vsctl_fatal("row id \"%s\" may only be specified on one --id "
                        "option", id);
        }
        if (!symbol) {
            symbol = ovsdb_symbol_table_put(ctx->symtab, id,
                                            ovsdb_idl_row_get_uuid(row),
                                            true);
        } else {
            symbol->uuid = *ovsdb_idl_row_get_uuid(row);
            symbol->created = true;
        }
        symbol->strong_ref = true;
    }

    for (int i = 3; i < ctx->argc; i++) {
        const struct ovsdb_column *c;
        const char *value;
        enum rel_op op;
        char *key;

        c = parse_column_key_value(t, ctx->argv[i], &key, &value, &op, false,
                                   false);
        if (value) {
            vsctl_fatal("%s: value not accepted here", ctx->argv[i]);
        }
        ovsdb_idl_txn_verify(ctx->txn, row, c->name);
        const struct ovsdb_datum *d = ovsdb_idl_row_get(row, c->name, NULL);
        if (key) {
            union ovsdb_atom katom;
            if (!ovsdb_type_is_map(&c->type)) {
                vsctl_fatal("cannot specify key to get for non-map column %s",
                            c->name);
            }
            parse_atom(ctx, &katom, &c->type.key, key);
            unsigned int idx = ovsdb_datum_find_key(d, &katom,
                                                    c->type.key.type);
            ovsdb_atom_destroy(&katom, c->type.key.type);
            if (idx == UINT_MAX) {
                if (must_exist) {
                    vsctl_fatal("no key \"%s\" in %s record \"%s\" column %s",
                                key, t->name, ctx->argv[2], c->name);
                }
            } else {
                ovsdb_atom_to_string(&d->values[idx], c->type.value.type,
                                     ctx->output);
            }
            free(key);
        } else {
            ovsdb_datum_to_string(d, &c->type, ctx->output);
        }
        ds_put_char(ctx->output, '\n');
    }
}

/* Returns the row of table T that argument 2 of CTX's command names, or
 * NULL if there is none and the command has --if-exists (otherwise, dies).
 */
static const struct ovsdb_idl_row *
get_row_arg(struct vsctl_context *ctx, const struct ovsdb_table_schema *t)
{
    return get_row(ctx, t, ctx->argv[2], !has_option(ctx, "--if-exists"));
}

static void
cmd_set(struct vsctl_context *ctx)
{
    const struct ovsdb_table_schema *t = get_table(ctx, ctx->argv[1]);
    const struct ovsdb_idl_row *row = get_row_arg(ctx, t);

    if (!row) {
        return;
    }
    for (int i = 3; i < ctx->argc; i++) {
        const char *value;
        enum rel_op op;
        char *key;
        const struct ovsdb_column *c = parse_column_key_value(
            t, ctx->argv[i], &key, &value, &op, false, true);
        free(key);
        if (!row_is_inserted(ctx, row)) {
            check_mutable(row, c);
        }
        set_column(ctx, row, ctx->argv[i]);
    }
}

/* "add" or "remove" under way: column C of ROW in table T, a copy D of its
 * value to change, and RELAXED, C's type relaxed for the arguments. */
struct column_edit {
    const struct ovsdb_table_schema *t;
    const struct ovsdb_column *c;
    const struct ovsdb_idl_row *row;
    struct ovsdb_type relaxed;
    struct ovsdb_datum d;
};

/* Starts E on the table, row and column that arguments 1 to 3 of CTX's
 * command name.  Returns false, with nothing to finish, if the row does
 * not exist and --if-exists was given; dies on other errors. */
static bool
column_edit_start(struct vsctl_context *ctx, struct column_edit *e)
{
    e->t = get_table(ctx, ctx->argv[1]);
    e->c = get_column(e->t, ctx->argv[3]);
    e->row = get_row_arg(ctx, e->t);
    if (!e->row) {
        return false;
    }
    check_mutable(e->row, e->c);
    relaxed_type(&e->relaxed, &e->c->type);
    ovsdb_idl_txn_verify(ctx->txn, e->row, e->c->name);
    ovsdb_datum_clone(&e->d, ovsdb_idl_row_get(e->row, e->c->name, NULL),
                      &e->c->type);
    return true;
}

/* Writes E's new value into the transaction and frees what E owns. */
static void
column_edit_finish(struct vsctl_context *ctx, struct column_edit *e)
{
    ovsdb_type_destroy(&e->relaxed);
    ovsdb_idl_txn_write(ctx->txn, e->row, e->c->name, &e->d);
}

static void
cmd_add(struct vsctl_context *ctx)
{
    struct column_edit e;

    if (!column_edit_start(ctx, &e)) {
        return;
    }

    const struct ovsdb_table_schema *t = e.t;
    const struct ovsdb_column *c = e.c;
    struct ovsdb_datum *d = &e.d;
    for (int i = 4; i < ctx->argc; i++) {
        struct ovsdb_datum add;
        parse_datum(ctx, &add, &e.relaxed, ctx->argv[i]);
        ovsdb_datum_union(d, &add, &c->type, false);
        ovsdb_datum_destroy(&add, &c->type);
    }
    if (d->n > c->type.n_max) {
        vsctl_fatal("\"add\" operation would put %u values in column %s of "
                    "table %s but the maximum number is %u", d->n, c->name,
                    t->name, c->type.n_max);
    }
    column_edit_finish(ctx, &e);
}

static void
cmd_remove(struct vsctl_context *ctx)
{
    struct column_edit e;

    if (!column_edit_start(ctx, &e)) {
        return;
    }

    const struct ovsdb_table_schema *t = e.t;
    const struct ovsdb_column *c = e.c;
    const struct ovsdb_type *relaxed = &e.relaxed;
    struct ovsdb_datum *d = &e.d;
    for (int i = 4; i < ctx->argc; i++) {
        struct ovsdb_datum rm;
        char *error = ovsdb_datum_from_string(&rm, relaxed, ctx->argv[i],
                                              ctx->symtab);
        if (error && ovsdb_type_is_map(&c->type)) {
            /* A map also accepts bare keys. */
            struct ovsdb_type keys;
            ovsdb_type_clone(&keys, relaxed);
            ovsdb_base_type_destroy(&keys.value);
            ovsdb_base_type_init(&keys.value, OVSDB_TYPE_VOID);
            char *error2 = ovsdb_datum_from_string(&rm, &keys, ctx->argv[i],
                                                   ctx->symtab);
            if (error2) {
                free(error2);
                ovsdb_type_destroy(&keys);
                vsctl_fatal("%s", error);
            }
            free(error);
            ovsdb_datum_subtract(d, &c->type, &rm, &keys);
            ovsdb_datum_destroy(&rm, &keys);
            ovsdb_type_destroy(&keys);
            continue;
        } else if (error) {
            vsctl_fatal("%s", error);
        }
        ovsdb_datum_subtract(d, &c->type, &rm, relaxed);
        ovsdb_datum_destroy(&rm, relaxed);
    }
    if (d->n < c->type.n_min) {
        vsctl_fatal("\"remove\" operation would put %u values in column %s "
                    "of table %s but the minimum number is %u", d->n,
                    c->name, t->name, c->type.n_min);
    }
    column_edit_finish(ctx, &e);
}

static void
cmd_clear(struct vsctl_context *ctx)
{
    const struct ovsdb_table_schema *t = get_table(ctx, ctx->argv[1]);
    const struct ovsdb_idl_row *row = get_row_arg(ctx, t);

    if (!row) {
        return;
    }
    for (int i = 3; i < ctx->argc; i++) {
        const struct ovsdb_column *c = get_column(t, ctx->argv[i]);
        check_mutable(row, c);
        if (c->type.n_min > 0) {
            vsctl_fatal("\"clear\" operation cannot be applied to column %s "
                        "of table %s, which is not allowed to be empty",
                        c->name, t->name);
        }
        ovsdb_idl_txn_clear(ctx->txn, row, c->name);
    }
}

static void
cmd_create(struct vsctl_context *ctx)
{
    const char *id = shash_find_data(ctx->options, "--id");
    const struct ovsdb_table_schema *t = get_table(ctx, ctx->argv[1]);
    struct ovsdb_symbol *symbol = NULL;
    struct uuid uuid;

    if (id) {
        if (id[0] != '@') {
            vsctl_fatal("row id \"%s\" does not begin with \"@\"", id);
        }
        symbol = ovsdb_symbol_table_insert(ctx->symtab, id);
        if (symbol->created) {
            vsctl_fatal("row id \"%s\" may only be specified on one --id "
                        "option", id);
        }
        symbol->created = true;
        uuid = symbol->uuid;
    } else {
        uuid_random(&uuid);
    }

    const struct ovsdb_idl_row *row = ovsdb_idl_txn_insert(ctx->txn, t->name,
                                                           &uuid);
    if (!row) {
        vsctl_fatal("cannot create a row in table %s", t->name);
    }
    if (!symbol) {
        /* Remember it as created, so that "set" on it is allowed. */
        char *name = xasprintf("@@create-"UUID_FMT, UUID_ARGS(&uuid));
        ovsdb_symbol_table_put(ctx->symtab, name, &uuid, true)->strong_ref
            = true;
        free(name);
    }
    for (int i = 2; i < ctx->argc; i++) {
        set_column(ctx, row, ctx->argv[i]);
    }
    ctx->cmd->insert_uuid = uuid;
    ctx->cmd->inserted = true;
}

static void
post_create(struct vsctl_context *ctx)
{
    const struct uuid *real = ovsdb_idl_txn_get_insert_uuid(
        ctx->txn, &ctx->cmd->insert_uuid);
    if (real) {
        ds_put_format(ctx->output, UUID_FMT"\n", UUID_ARGS(real));
    }
}

static void
cmd_destroy(struct vsctl_context *ctx)
{
    const struct ovsdb_table_schema *t = get_table(ctx, ctx->argv[1]);
    bool must_exist = !has_option(ctx, "--if-exists");

    if (has_option(ctx, "--all")) {
        if (ctx->argc > 2) {
            vsctl_fatal("--all and records argument should not be specified "
                        "together");
        }
        const struct ovsdb_idl_row *row, *next;
        for (row = ovsdb_idl_first_row(ctx->idl, t->name); row; row = next) {
            next = ovsdb_idl_next_row(row);
            ovsdb_idl_txn_delete(ctx->txn, row);
        }
        return;
    }
    if (ctx->argc < 3) {
        vsctl_fatal("either --all or records argument should be specified");
    }
    for (int i = 2; i < ctx->argc; i++) {
        const struct ovsdb_idl_row *row = get_row(ctx, t, ctx->argv[i],
                                                  must_exist);
        if (row) {
            ovsdb_idl_txn_delete(ctx->txn, row);
        }
    }
}

/* ------------------------------------------------------------------ */
/* list and find: tabular output.                                      */
/* ------------------------------------------------------------------ */

struct out_table {
    size_t n_columns;
    char **headings;
    size_t n_rows;
    char ***cells;          /* Text cells (not for JSON). */
    json_t *json_rows;      /* JSON format: array of arrays. */
};

static void
out_table_init(struct out_table *tbl, const struct ovsdb_column_set *cols)
{
    memset(tbl, 0, sizeof *tbl);
    tbl->n_columns = cols->n;
    tbl->headings = xmalloc(cols->n * sizeof *tbl->headings);
    for (size_t i = 0; i < cols->n; i++) {
        tbl->headings[i] = xstrdup(cols->columns[i]->name);
    }
    tbl->json_rows = json_array();
}

static void
out_table_add_row(struct out_table *tbl, const struct ovsdb_idl_row *row,
                  const struct ovsdb_column_set *cols)
{
    if (output_fmt == FMT_JSON) {
        json_t *jrow = json_array();
        for (size_t i = 0; i < cols->n; i++) {
            const struct ovsdb_column *c = cols->columns[i];
            json_array_append_new(jrow, ovsdb_datum_to_json(
                ovsdb_idl_row_get(row, c->name, NULL), &c->type));
        }
        json_array_append_new(tbl->json_rows, jrow);
        tbl->n_rows++;
        return;
    }
    tbl->cells = xrealloc(tbl->cells, (tbl->n_rows + 1) * sizeof *tbl->cells);
    char **cells = xmalloc(cols->n * sizeof *cells);
    for (size_t i = 0; i < cols->n; i++) {
        const struct ovsdb_column *c = cols->columns[i];
        struct ds s = DS_EMPTY_INITIALIZER;
        const struct ovsdb_datum *d = ovsdb_idl_row_get(row, c->name, NULL);
        if (bare) {
            ovsdb_datum_to_bare(d, &c->type, &s);
        } else {
            ovsdb_datum_to_string(d, &c->type, &s);
        }
        cells[i] = ds_steal_cstr(&s);
    }
    tbl->cells[tbl->n_rows++] = cells;
}

static void
put_csv_cell(struct ds *out, const char *s)
{
    if (strpbrk(s, "\n\",")) {
        ds_put_char(out, '"');
        for (; *s; s++) {
            if (*s == '"') {
                ds_put_char(out, '"');
            }
            ds_put_char(out, *s);
        }
        ds_put_char(out, '"');
    } else {
        ds_put_cstr(out, s);
    }
}

static void
out_table_print(struct out_table *tbl, struct ds *out)
{
    switch (output_fmt) {
    case FMT_JSON: {
        json_t *headings = json_array();
        for (size_t i = 0; i < tbl->n_columns; i++) {
            json_array_append_new(headings, json_string(tbl->headings[i]));
        }
        json_t *obj = json_pack("{s:O,s:o}", "data", tbl->json_rows,
                                "headings", headings);
        char *s = json_dumps(obj, JSON_COMPACT | JSON_SORT_KEYS);
        ds_put_format(out, "%s\n", s);
        free(s);
        json_decref(obj);
        break;
    }

    case FMT_LIST:
        for (size_t r = 0; r < tbl->n_rows; r++) {
            if (r) {
                ds_put_char(out, '\n');
            }
            for (size_t i = 0; i < tbl->n_columns; i++) {
                if (!no_headings) {
                    ds_put_format(out, "%-20s: ", tbl->headings[i]);
                }
                ds_put_format(out, "%s\n", tbl->cells[r][i]);
            }
        }
        break;

    case FMT_TABLE: {
        size_t *widths = xcalloc(tbl->n_columns, sizeof *widths);
        for (size_t i = 0; i < tbl->n_columns; i++) {
            widths[i] = no_headings ? 0 : strlen(tbl->headings[i]);
            for (size_t r = 0; r < tbl->n_rows; r++) {
                size_t len = strlen(tbl->cells[r][i]);
                if (len > widths[i]) {
                    widths[i] = len;
                }
            }
        }
        if (!no_headings) {
            for (size_t i = 0; i < tbl->n_columns; i++) {
                bool last = i == tbl->n_columns - 1;
                ds_put_format(out, "%-*s%s", last ? 0 : (int) widths[i],
                              tbl->headings[i], last ? "\n" : " ");
            }
            for (size_t i = 0; i < tbl->n_columns; i++) {
                ds_put_char_multiple(out, '-', widths[i]);
                ds_put_char(out, i == tbl->n_columns - 1 ? '\n' : ' ');
            }
        }
        for (size_t r = 0; r < tbl->n_rows; r++) {
            for (size_t i = 0; i < tbl->n_columns; i++) {
                bool last = i == tbl->n_columns - 1;
                ds_put_format(out, "%-*s%s", last ? 0 : (int) widths[i],
                              tbl->cells[r][i], last ? "\n" : " ");
            }
        }
        free(widths);
        break;
    }

    case FMT_CSV:
        if (!no_headings) {
            for (size_t i = 0; i < tbl->n_columns; i++) {
                if (i) {
                    ds_put_char(out, ',');
                }
                put_csv_cell(out, tbl->headings[i]);
            }
            ds_put_char(out, '\n');
        }
        for (size_t r = 0; r < tbl->n_rows; r++) {
            for (size_t i = 0; i < tbl->n_columns; i++) {
                if (i) {
                    ds_put_char(out, ',');
                }
                put_csv_cell(out, tbl->cells[r][i]);
            }
            ds_put_char(out, '\n');
        }
        break;
    }
}

static void
out_table_destroy(struct out_table *tbl)
{
    for (size_t r = 0; tbl->cells && r < tbl->n_rows; r++) {
        for (size_t i = 0; i < tbl->n_columns; i++) {
            free(tbl->cells[r][i]);
        }
        free(tbl->cells[r]);
    }
    free(tbl->cells);
    for (size_t i = 0; i < tbl->n_columns; i++) {
        free(tbl->headings[i]);
    }
    free(tbl->headings);
    json_decref(tbl->json_rows);
}

/* The columns to print: --columns=A,B or all (_uuid first, then the
 * others by name). */
static void
parse_columns(struct vsctl_context *ctx, const struct ovsdb_table_schema *t,
              struct ovsdb_column_set *cols)
{
    const char *spec = shash_find_data(ctx->options, "--columns");

    ovsdb_column_set_init(cols);
    if (!spec) {
        ovsdb_column_set_add(cols, ovsdb_table_schema_column(t,
                                                             OVSDB_COL_UUID));
        for (size_t i = OVSDB_N_STD_COLUMNS; i < t->n_columns; i++) {
            ovsdb_column_set_add(cols, ovsdb_table_schema_column(t, i));
        }
        return;
    }
    char *copy = xstrdup(spec);
    char *save = NULL;
    for (char *name = strtok_r(copy, ", ", &save); name;
         name = strtok_r(NULL, ", ", &save)) {
        ovsdb_column_set_add(cols, get_column(t, name));
    }
    free(copy);
}

static int
compare_rows_for_list(const void *a_, const void *b_)
{
    return compare_rows_by_name(a_, b_);
}

static void
list_rows(struct vsctl_context *ctx, const struct ovsdb_table_schema *t,
          const struct ovsdb_idl_row **rows, size_t n)
{
    struct ovsdb_column_set cols;
    struct out_table tbl;

    parse_columns(ctx, t, &cols);
    out_table_init(&tbl, &cols);
    for (size_t i = 0; i < n; i++) {
        out_table_add_row(&tbl, rows[i], &cols);
    }
    out_table_print(&tbl, ctx->output);
    out_table_destroy(&tbl);
    ovsdb_column_set_destroy(&cols);
}

/* Returns TABLE's rows sorted by name (else uuid). */
static const struct ovsdb_idl_row **
all_rows_sorted(struct vsctl_context *ctx, const struct ovsdb_table_schema *t,
                size_t *np)
{
    size_t n = ovsdb_idl_count_rows(ctx->idl, t->name);
    const struct ovsdb_idl_row **rows = xmalloc((n + 1) * sizeof *rows);
    const struct ovsdb_idl_row *row;
    size_t i = 0;

    OVSDB_IDL_FOR_EACH (row, t->name, ctx->idl) {
        rows[i++] = row;
    }
    qsort(rows, i, sizeof *rows, compare_rows_for_list);
    *np = i;
    return rows;
}

static void
cmd_list(struct vsctl_context *ctx)
{
    const struct ovsdb_table_schema *t = get_table(ctx, ctx->argv[1]);
    const struct ovsdb_idl_row **rows;
    size_t n;

    if (ctx->argc > 2) {
        bool must_exist = !has_option(ctx, "--if-exists");
        rows = xmalloc(ctx->argc * sizeof *rows);
        n = 0;
        for (int i = 2; i < ctx->argc; i++) {
            const struct ovsdb_idl_row *row = get_row(ctx, t, ctx->argv[i],
                                                      must_exist);
            if (row) {
                rows[n++] = row;
            }
        }
    } else {
        rows = all_rows_sorted(ctx, t, &n);
    }
    list_rows(ctx, t, rows, n);
    free(rows);
}

/* Does ROW satisfy ARG, "COLUMN[:KEY]OP VALUE"? */
static bool
row_matches(struct vsctl_context *ctx, const struct ovsdb_idl_row *row,
            const struct ovsdb_table_schema *t, const char *arg)
{
    const struct ovsdb_column *c;
    const char *value;
    enum rel_op op;
    char *key;
    struct ovsdb_type type, relaxed;
    struct ovsdb_datum have, want;

    c = parse_column_key_value(t, arg, &key, &value, &op, true, true);
    const struct ovsdb_datum *d = ovsdb_idl_row_get(row, c->name, NULL);

    if (key) {
        union ovsdb_atom katom;
        if (!ovsdb_type_is_map(&c->type)) {
            vsctl_fatal("cannot specify key to check for non-map column %s",
                        c->name);
        }
        parse_atom(ctx, &katom, &c->type.key, key);
        free(key);
        /* Compare the value for KEY (absent: an empty set). */
        memset(&type, 0, sizeof type);
        ovsdb_base_type_clone(&type.key, &c->type.value);
        ovsdb_base_type_init(&type.value, OVSDB_TYPE_VOID);
        type.n_min = 0;
        type.n_max = 1;
        unsigned int idx = ovsdb_datum_find_key(d, &katom, c->type.key.type);
        if (idx == UINT_MAX) {
            ovsdb_datum_init_empty(&have);
        } else {
            ovsdb_datum_init_single(&have, &d->values[idx], NULL, &type);
        }
        ovsdb_atom_destroy(&katom, c->type.key.type);
    } else {
        ovsdb_type_clone(&type, &c->type);
        ovsdb_datum_clone(&have, d, &type);
    }

    relaxed_type(&relaxed, &type);
    parse_datum(ctx, &want, op >= OP_SET_EQ ? &relaxed : &relaxed, value);

    bool result;
    int cmp;
    switch (op) {
    case OP_EQ:
    case OP_SET_EQ:
        result = ovsdb_datum_equals(&have, &want, &type);
        break;
    case OP_NE:
    case OP_SET_NE:
        result = !ovsdb_datum_equals(&have, &want, &type);
        break;
    case OP_LT:
    case OP_GT:
    case OP_LE:
    case OP_GE:
        cmp = ovsdb_datum_compare_3way(&have, &want, &type);
        result = (op == OP_LT ? cmp < 0 : op == OP_GT ? cmp > 0
                  : op == OP_LE ? cmp <= 0 : cmp >= 0);
        break;
    case OP_SET_LT:
        result = (ovsdb_datum_includes_all(&have, &want, &type)
                  && have.n < want.n);
        break;
    case OP_SET_GT:
        result = (ovsdb_datum_includes_all(&want, &have, &type)
                  && have.n > want.n);
        break;
    case OP_SET_LE:
        result = ovsdb_datum_includes_all(&have, &want, &type);
        break;
    case OP_SET_GE:
        result = ovsdb_datum_includes_all(&want, &have, &type);
        break;
    default:
        result = false;
    }
    ovsdb_datum_destroy(&have, &type);
    ovsdb_datum_destroy(&want, &relaxed);
    ovsdb_type_destroy(&type);
    ovsdb_type_destroy(&relaxed);
    return result;
}

static void
cmd_find(struct vsctl_context *ctx)
{
    const struct ovsdb_table_schema *t = get_table(ctx, ctx->argv[1]);
    size_t n, m = 0;
    const struct ovsdb_idl_row **rows = all_rows_sorted(ctx, t, &n);

    for (size_t i = 0; i < n; i++) {
        bool match = true;
        for (int j = 2; j < ctx->argc && match; j++) {
            match = row_matches(ctx, rows[i], t, ctx->argv[j]);
        }
        if (match) {
            rows[m++] = rows[i];
        }
    }
    list_rows(ctx, t, rows, m);
    free(rows);
}

/* ------------------------------------------------------------------ */
/* Command table and parsing.                                          */
/* ------------------------------------------------------------------ */

static const struct vsctl_command_syntax all_commands[] = {
    {"init", 0, 0, "", cmd_init, NULL, "", false},
    {"show", 0, 0, "", cmd_show, NULL, "", true},
    {"add-br", 1, 1, "BRIDGE", cmd_add_br, NULL, "--may-exist", false},
    {"del-br", 1, 1, "BRIDGE", cmd_del_br, NULL, "--if-exists", false},
    {"list-br", 0, 0, "", cmd_list_br, NULL, "", true},
    {"br-exists", 1, 1, "BRIDGE", cmd_br_exists, NULL, "", true},
    {"add-port", 2, INT_MAX, "BRIDGE PORT [COLUMN[:KEY]=VALUE]...",
     cmd_add_port, NULL, "--may-exist", false},
    {"del-port", 1, 2, "[BRIDGE] PORT", cmd_del_port, NULL,
     "--if-exists,--with-iface", false},
    {"list-ports", 1, 1, "BRIDGE", cmd_list_ports, NULL, "", true},
    {"list-ifaces", 1, 1, "BRIDGE", cmd_list_ifaces, NULL, "", true},
    {"port-to-br", 1, 1, "PORT", cmd_port_to_br, NULL, "", true},
    {"iface-to-br", 1, 1, "IFACE", cmd_iface_to_br, NULL, "", true},
    {"list", 1, INT_MAX, "TABLE [RECORD]...", cmd_list, NULL,
     "--if-exists,--columns=", true},
    {"find", 1, INT_MAX, "TABLE [COLUMN[:KEY]=VALUE]...", cmd_find, NULL,
     "--columns=", true},
    {"get", 2, INT_MAX, "TABLE RECORD [COLUMN[:KEY]]...", cmd_get, NULL,
     "--if-exists,--id=", true},
    {"set", 3, INT_MAX, "TABLE RECORD COLUMN[:KEY]=VALUE...", cmd_set, NULL,
     "--if-exists", false},
    {"add", 4, INT_MAX, "TABLE RECORD COLUMN [KEY=]VALUE...", cmd_add, NULL,
     "--if-exists", false},
    {"remove", 4, INT_MAX, "TABLE RECORD COLUMN KEY|VALUE|KEY=VALUE...",
     cmd_remove, NULL, "--if-exists", false},
    {"clear", 3, INT_MAX, "TABLE RECORD COLUMN...", cmd_clear, NULL,
     "--if-exists", false},
    {"create", 2, INT_MAX, "TABLE COLUMN[:KEY]=VALUE...", cmd_create,
     post_create, "--id=", false},
    {"destroy", 1, INT_MAX, "TABLE [RECORD]...", cmd_destroy, NULL,
     "--if-exists,--all", false},
};

static const struct vsctl_command_syntax *
find_command(const char *name)
{
    for (size_t i = 0; i < ARRAY_SIZE(all_commands); i++) {
        if (!strcmp(all_commands[i].name, name)) {
            return &all_commands[i];
        }
    }
    return NULL;
}

/* Does SYNTAX accept OPTION ("--name")?  Stores in *NEEDS_VALUE whether
 * it is written "--name=VALUE". */
static bool
command_accepts_option(const struct vsctl_command_syntax *syntax,
                       const char *option, bool *needs_value)
{
    const char *p = syntax->options;
    size_t len = strlen(option);

    while (*p) {
        size_t n = strcspn(p, ",");
        if (n >= len && !strncmp(p, option, len)
            && (n == len || (n == len + 1 && p[len] == '='))) {
            *needs_value = n == len + 1;
            return true;
        }
        p += n;
        if (*p == ',') {
            p++;
        }
    }
    return false;
}

static bool
is_command_option(const char *name)
{
    static const char *const names[] = {
        "--may-exist", "--if-exists", "--with-iface", "--columns", "--id",
        "--all",
    };
    for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
        if (!strcmp(names[i], name)) {
            return true;
        }
    }
    return false;
}

static void usage(void) VS_NO_RETURN;

static void
usage(void)
{
    printf("%s: configure vswitch-lite through its database\n"
           "usage: %s [OPTIONS] COMMAND [ARG...] [-- [OPTIONS] COMMAND "
           "[ARG...]]...\n\n", program_name, program_name);
    printf("Bridge commands:\n"
           "  init                        initialize the database\n"
           "  show                        print an overview of the "
           "configuration\n"
           "  add-br BRIDGE               create a bridge\n"
           "  del-br BRIDGE               delete a bridge and its ports\n"
           "  list-br                     print the names of all bridges\n"
           "  br-exists BRIDGE            exit 2 if BRIDGE does not exist\n"
           "\nPort and interface commands:\n"
           "  add-port BRIDGE PORT [COLUMN[:KEY]=VALUE]...\n"
           "                              add PORT to BRIDGE\n"
           "  del-port [BRIDGE] PORT      delete PORT\n"
           "  list-ports BRIDGE           print the ports of BRIDGE\n"
           "  list-ifaces BRIDGE          print the interfaces of BRIDGE\n"
           "  port-to-br PORT             print the bridge of PORT\n"
           "  iface-to-br IFACE           print the bridge of IFACE\n"
           "\nDatabase commands:\n"
           "  list TABLE [RECORD]...      list records\n"
           "  find TABLE CONDITION...     list records that match\n"
           "  get TABLE RECORD COLUMN[:KEY]...\n"
           "                              print values\n"
           "  set TABLE RECORD COLUMN[:KEY]=VALUE...\n"
           "                              set values\n"
           "  add TABLE RECORD COLUMN [KEY=]VALUE...\n"
           "                              add to a set or map\n"
           "  remove TABLE RECORD COLUMN KEY|VALUE|KEY=VALUE...\n"
           "                              remove from a set or map\n"
           "  clear TABLE RECORD COLUMN...  empty a set or map\n"
           "  create TABLE COLUMN[:KEY]=VALUE...\n"
           "                              create a record, print its uuid\n"
           "  destroy TABLE RECORD...     delete records\n"
           "\nCommand options: --may-exist, --if-exists, --with-iface, "
           "--columns=COL,..., --id=@NAME, --all\n");
    printf("\nOptions:\n"
           "  --db=SERVER                 database (default: "
           "unix:%s/db.sock)\n"
           "  --wait                      wait for vswitchd to apply the "
           "change (default)\n"
           "  --no-wait                   do not wait for vswitchd\n"
           "  -t, --timeout=SECS          give up after SECS seconds\n"
           "  --retry                     keep trying to connect\n"
           "  --dry-run                   do not commit changes\n"
           "  -f, --format=FORMAT         list/find output: list (default), "
           "table, csv, json\n"
           "  --bare                      values only, no headings or "
           "quotes\n"
           "  --no-headings               omit headings\n"
           "  -v, --verbose[=SPEC]        set logging levels\n"
           "  -h, --help                  display this help message\n"
           "  -V, --version               display version information\n",
           vs_rundir());
    exit(EXIT_SUCCESS);
}

static bool
parse_global_option(const char *arg, const char *next, bool *used_next)
{
    const char *value = NULL;
    char *name;

    *used_next = false;
    if (arg[0] == '-' && arg[1] != '-') {
        /* Short options. */
        switch (arg[1]) {
        case 'h':
            usage();
        case 'V':
            vs_print_version();
            exit(EXIT_SUCCESS);
        case 'v':
            vlog_set_verbosity(arg[2] ? arg + 2 : NULL);
            return true;
        case 't':
        case 'f':
            value = arg[2] ? arg + 2 : next;
            if (!value) {
                vsctl_fatal("option '%s' requires an argument", arg);
            }
            *used_next = !arg[2];
            name = xstrdup(arg[1] == 't' ? "--timeout" : "--format");
            goto have_value;
        default:
            vsctl_fatal("invalid option '%s'; use --help for help", arg);
        }
    }

    const char *eq = strchr(arg, '=');
    name = eq ? xmemdup0(arg, eq - arg) : xstrdup(arg);
    value = eq ? eq + 1 : NULL;

    if (!strcmp(name, "--help")) {
        usage();
    } else if (!strcmp(name, "--version")) {
        vs_print_version();
        exit(EXIT_SUCCESS);
    } else if (!strcmp(name, "--verbose")) {
        vlog_set_verbosity(value);
    } else if (!strcmp(name, "--no-wait")) {
        wait_for_reload = false;
    } else if (!strcmp(name, "--wait")) {
        wait_for_reload = true;
    } else if (!strcmp(name, "--retry")) {
        retry = true;
    } else if (!strcmp(name, "--dry-run")) {
        dry_run = true;
    } else if (!strcmp(name, "--bare")) {
        bare = true;
        no_headings = true;
    } else if (!strcmp(name, "--no-headings")) {
        no_headings = true;
    } else if (!strcmp(name, "--db") || !strcmp(name, "--timeout")
               || !strcmp(name, "--format")) {
        if (!value) {
            value = next;
            *used_next = true;
            if (!value) {
                vsctl_fatal("option '%s' requires an argument", name);
            }
        }
        goto have_value;
    } else {
        free(name);
        return false;
    }
    free(name);
    return true;

have_value:
    if (!strcmp(name, "--db")) {
        free(db);
        db = xstrdup(value);
    } else if (!strcmp(name, "--timeout")) {
        if (!str_to_int(value, &timeout_sec) || timeout_sec < 0) {
            vsctl_fatal("value %s on --timeout is invalid", value);
        }
    } else {
        if (!strcmp(value, "list")) {
            output_fmt = FMT_LIST;
        } else if (!strcmp(value, "table")) {
            output_fmt = FMT_TABLE;
        } else if (!strcmp(value, "csv")) {
            output_fmt = FMT_CSV;
        } else if (!strcmp(value, "json")) {
            output_fmt = FMT_JSON;
        } else {
            vsctl_fatal("unknown output format \"%s\"", value);
        }
    }
    free(name);
    return true;
}

/* Is NAME ("--name") a global option? */
static bool
parse_global_option_name_only(const char *name, bool *dummy)
{
    static const char *const names[] = {
        "--db", "--wait", "--no-wait", "--timeout", "--retry", "--dry-run",
        "--format", "--bare", "--no-headings", "--verbose", "--help",
        "--version",
    };
    *dummy = false;
    for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
        if (!strcmp(names[i], name)) {
            return true;
        }
    }
    return false;
}

/* Parses the command line into commands.  Global options may appear only
 * before the first command; each command may be preceded by its own
 * options (--may-exist, --if-exists, --columns=..., --id=..., ...). */
static struct vsctl_command *
parse_commands(int argc, char *argv[], size_t *n_commandsp)
{
    struct vsctl_command *commands = NULL;
    size_t n_commands = 0;
    struct shash options = SHASH_INITIALIZER(&options);
    int i = 1;

    /* Global options, mixed with the first command's options. */
    for (; i < argc && argv[i][0] == '-' && strcmp(argv[i], "--"); i++) {
        bool used_next;
        if (!parse_global_option(argv[i], i + 1 < argc ? argv[i + 1] : NULL,
                                 &used_next)) {
            const char *eq = strchr(argv[i], '=');
            char *name = eq ? xmemdup0(argv[i], eq - argv[i])
                            : xstrdup(argv[i]);
            if (!is_command_option(name)) {
                vsctl_option_fatal(name, "unrecognized option '%s'; use "
                                   "--help for help", argv[i]);
            }
            if (shash_find(&options, name)) {
                vsctl_option_fatal(name, "'%s' option specified multiple "
                                   "times", name);
            }
            shash_add(&options, name, eq ? xstrdup(eq + 1) : NULL);
            free(name);
        }
        i += used_next;
    }
    if (i < argc && !strcmp(argv[i], "--")) {
        i++;
    }

    while (i < argc) {
        /* Command options. */
        for (; i < argc && argv[i][0] == '-' && strcmp(argv[i], "--"); i++) {
            const char *eq = strchr(argv[i], '=');
            char *name = eq ? xmemdup0(argv[i], eq - argv[i])
                            : xstrdup(argv[i]);
            if (!is_command_option(name)) {
                bool dummy;
                if (parse_global_option_name_only(name, &dummy)) {
                    vsctl_option_fatal(name, "'%s' option cannot be used "
                                       "here (global options go before the "
                                       "first command)", argv[i]);
                }
                vsctl_option_fatal(name, "unrecognized option '%s'; use "
                                   "--help for help", argv[i]);
            }
            if (shash_find(&options, name)) {
                vsctl_option_fatal(name, "'%s' option specified multiple "
                                   "times", name);
            }
            shash_add(&options, name, eq ? xstrdup(eq + 1) : NULL);
            free(name);
        }
        if (i >= argc || !strcmp(argv[i], "--")) {
            vsctl_fatal("missing command name after \"--\" (use --help for "
                        "help)");
        }

        const struct vsctl_command_syntax *syntax = find_command(argv[i]);
        if (!syntax) {
            vsctl_fatal("unknown command '%s'; use --help for help",
                        argv[i]);
        }
        int start = i;
        while (i < argc && strcmp(argv[i], "--")) {
            i++;
        }
        int n_args = i - start - 1;
        if (n_args < syntax->min_args) {
            vsctl_fatal("'%s' command requires at least %d arguments",
                        syntax->name, syntax->min_args);
        } else if (n_args > syntax->max_args) {
            vsctl_fatal("'%s' command takes at most %d arguments",
                        syntax->name, syntax->max_args);
        }

        struct shash_node *node;
        SHASH_FOR_EACH (node, &options) {
            bool needs_value;
            if (!command_accepts_option(syntax, node->name, &needs_value)) {
                vsctl_fatal("'%s' command has no '%s' option", syntax->name,
                            node->name);
            }
            if (needs_value && !node->data) {
                vsctl_fatal("missing argument to '%s' option on '%s' "
                            "command", node->name, syntax->name);
            } else if (!needs_value && node->data) {
                vsctl_fatal("'%s' option on '%s' does not accept an "
                            "argument", node->name, syntax->name);
            }
        }

        commands = xrealloc(commands, (n_commands + 1) * sizeof *commands);
        struct vsctl_command *cmd = &commands[n_commands++];
        memset(cmd, 0, sizeof *cmd);
        cmd->syntax = syntax;
        cmd->argc = n_args + 1;
        cmd->argv = &argv[start];
        cmd->options = xmalloc(sizeof *cmd->options);
        *cmd->options = options;
        hmap_moved(&cmd->options->map);
        shash_init(&options);
        ds_init(&cmd->output);

        if (i < argc) {
            i++;                /* Skip "--". */
            if (i >= argc) {
                vsctl_fatal("missing command name after \"--\" (use --help "
                            "for help)");
            }
        }
    }
    if (!n_commands) {
        vsctl_fatal("missing command name (use --help for help)");
    }
    shash_destroy(&options);
    *n_commandsp = n_commands;
    return commands;
}

/* ------------------------------------------------------------------ */
/* Main.                                                               */
/* ------------------------------------------------------------------ */

static void
timeout_fatal(const char *what)
{
    vsctl_fatal("timed out after %d second%s %s", timeout_sec,
                timeout_sec == 1 ? "" : "s", what);
}

static void
wait_deadline(void)
{
    if (deadline != LLONG_MAX) {
        poll_timer_wait_until(deadline);
    }
}

static void
check_alive(struct ovsdb_idl *idl)
{
    if (!ovsdb_idl_is_alive(idl)) {
        const char *msg = ovsdb_idl_get_error_message(idl);
        int error = ovsdb_idl_get_last_error(idl);
        if (msg) {
            vsctl_fatal("%s: %s", ovsdb_idl_get_remote(idl), msg);
        }
        vsctl_fatal("%s: database connection failed (%s)",
                    ovsdb_idl_get_remote(idl),
                    error == EOF ? "connection closed by server"
                    : error ? vs_strerror(error) : "unknown error");
    }
}

static void
connect_db(struct ovsdb_idl *idl)
{
    for (;;) {
        ovsdb_idl_run(idl);
        if (ovsdb_idl_has_ever_connected(idl)) {
            return;
        }
        check_alive(idl);
        if (time_msec() >= deadline) {
            char *what = xasprintf("connecting to %s",
                                   ovsdb_idl_get_remote(idl));
            timeout_fatal(what);
        }
        ovsdb_idl_wait(idl);
        wait_deadline();
        poll_block();
    }
}

/* Is UUID a row of a non-root table? */
static bool
is_nonroot_row(struct ovsdb_idl *idl, const struct uuid *uuid)
{
    const struct ovsdb_schema *schema = ovsdb_idl_get_schema(idl);
    struct shash_node *node;

    SHASH_FOR_EACH (node, &schema->tables) {
        const struct ovsdb_table_schema *t = node->data;
        if (!t->is_root && ovsdb_idl_get_row(idl, t->name, uuid)) {
            return true;
        }
    }
    return false;
}

/* Checks the "@name"s at the end of a run of the commands. */
static void
check_symbols(struct ovsdb_symbol_table *symtab, struct ovsdb_idl *idl)
{
    const char *unused = ovsdb_symbol_table_find_uncreated(symtab);
    if (unused) {
        vsctl_fatal("row id \"%s\" is referenced but never created (e.g. "
                    "with \"-- --id=%s create ...\")", unused, unused);
    }

    struct shash_node *node;
    SHASH_FOR_EACH (node, &symtab->sh) {
        const struct ovsdb_symbol *symbol = node->data;
        if (node->name[0] == '@' && node->name[1] == '@') {
            continue;
        }
        if (symbol->created && !symbol->strong_ref && !symbol->weak_ref
            && is_nonroot_row(idl, &symbol->uuid)) {
            VLOG_WARN("row id \"%s\" was created but no reference to it "
                      "was inserted, so it will not actually appear in the "
                      "database", node->name);
        }
    }
}

/* Waits until vswitchd has applied NEXT_CFG. */
static void
wait_for_cfg(struct ovsdb_idl *idl, int64_t next_cfg)
{
    for (;;) {
        ovsdb_idl_run(idl);
        const struct ovsdb_idl_row *ovs = ovsdb_idl_first_row(idl,
                                                              "Open_vSwitch");
        int64_t cur_cfg = ovs ? ovsdb_idl_row_get_integer(ovs, "cur_cfg", 0)
                              : 0;
        if (cur_cfg >= next_cfg) {
            return;
        }
        check_alive(idl);
        if (time_msec() >= deadline) {
            char *what = xasprintf(
                "waiting for vswitchd to apply the configuration "
                "(next_cfg %"PRId64", cur_cfg %"PRId64"); is vswitchd "
                "running? (use --no-wait not to wait)", next_cfg, cur_cfg);
            timeout_fatal(what);
        }
        ovsdb_idl_wait(idl);
        wait_deadline();
        poll_block();
    }
}

/* Points CTX at CMD: its arguments, options and output. */
static void
context_set_command(struct vsctl_context *ctx, struct vsctl_command *cmd)
{
    ctx->cmd = cmd;
    ctx->argc = cmd->argc;
    ctx->argv = cmd->argv;
    ctx->options = cmd->options;
    ctx->output = &cmd->output;
}

static void
run_commands(struct ovsdb_idl *idl, struct vsctl_command *commands,
             size_t n_commands, int argc, char *argv[])
{
    for (;;) {
        unsigned int seqno = ovsdb_idl_get_seqno(idl);
        struct ovsdb_idl_txn *txn = ovsdb_idl_txn_create(idl);
        struct ovsdb_symbol_table *symtab = ovsdb_symbol_table_create();
        struct vsctl_context ctx;
        struct ds comment = DS_EMPTY_INITIALIZER;

        ds_put_cstr(&comment, "vsctl:");
        for (int i = 1; i < argc; i++) {
            ds_put_format(&comment, " %s", argv[i]);
        }
        ovsdb_idl_txn_add_comment(txn, "%s", ds_cstr(&comment));
        ds_destroy(&comment);

        memset(&ctx, 0, sizeof ctx);
        ctx.idl = idl;
        ctx.txn = txn;
        ctx.symtab = symtab;

        for (size_t i = 0; i < n_commands; i++) {
            struct vsctl_command *cmd = &commands[i];
            ds_clear(&cmd->output);
            cmd->inserted = false;
            context_set_command(&ctx, cmd);
            cmd->syntax->run(&ctx);
        }
        check_symbols(symtab, idl);

        if (wait_for_reload) {
            const struct ovsdb_idl_row *ovs = ctx.ovs ? ctx.ovs
                : ovsdb_idl_first_row(idl, "Open_vSwitch");
            if (ovs) {
                ovsdb_idl_txn_increment_if_changed(txn, ovs, "next_cfg");
            }
        }

        enum ovsdb_idl_txn_status status;
        if (dry_run) {
            ovsdb_idl_txn_abort(txn);
            status = TXN_UNCHANGED;
        } else {
            for (;;) {
                ovsdb_idl_run(idl);
                status = ovsdb_idl_txn_commit(txn);
                if (status != TXN_INCOMPLETE) {
                    break;
                }
                if (time_msec() >= deadline) {
                    timeout_fatal("waiting for the database to commit the "
                                  "transaction");
                }
                ovsdb_idl_wait(idl);
                ovsdb_idl_txn_wait(txn);
                wait_deadline();
                poll_block();
            }
        }

        switch (status) {
        case TXN_UNCOMMITTED:
        case TXN_INCOMPLETE:
        case TXN_ABORTED:
            vs_abort(0, "unexpected transaction status");

        case TXN_UNCHANGED:
        case TXN_SUCCESS:
            break;

        case TXN_TRY_AGAIN:
            VLOG_DBG("transaction must be retried: %s",
                     ovsdb_idl_txn_get_error(txn));
            ovsdb_idl_txn_destroy(txn);
            ovsdb_symbol_table_destroy(symtab);
            /* Wait for the replica to catch up (it may have already). */
            while (ovsdb_idl_get_seqno(idl) == seqno
                   || !ovsdb_idl_is_connected(idl)) {
                ovsdb_idl_run(idl);
                check_alive(idl);
                if (ovsdb_idl_get_seqno(idl) != seqno
                    && ovsdb_idl_is_connected(idl)) {
                    break;
                }
                if (time_msec() >= deadline) {
                    timeout_fatal("retrying the transaction");
                }
                ovsdb_idl_wait(idl);
                wait_deadline();
                poll_block();
            }
            continue;

        case TXN_NOT_LOCKED:
        case TXN_ERROR:
            vsctl_fatal("transaction error: %s",
                        ovsdb_idl_txn_get_error(txn));
        }

        /* Success: post-process, print, and wait. */
        for (size_t i = 0; i < n_commands; i++) {
            struct vsctl_command *cmd = &commands[i];
            if (cmd->syntax->postprocess) {
                context_set_command(&ctx, cmd);
                cmd->syntax->postprocess(&ctx);
            }
            fputs(ds_cstr(&cmd->output), stdout);
        }
        fflush(stdout);

        if (status == TXN_SUCCESS && ovsdb_idl_txn_has_increment(txn)) {
            int64_t next_cfg = ovsdb_idl_txn_get_increment_new_value(txn);
            ovsdb_idl_txn_destroy(txn);
            wait_for_cfg(idl, next_cfg);
        } else {
            ovsdb_idl_txn_destroy(txn);
        }
        ovsdb_symbol_table_destroy(symtab);
        return;
    }
}

int
main(int argc, char *argv[])
{
    struct vsctl_command *commands;
    size_t n_commands;

    set_program_name(argv[0]);
    vlog_set_levels(NULL, VLF_CONSOLE, VLL_WARN);
    vlog_set_levels(NULL, VLF_SYSLOG, VLL_OFF);

    commands = parse_commands(argc, argv, &n_commands);
    if (!db) {
        db = xasprintf("unix:%s/db.sock", vs_rundir());
    }
    if (timeout_sec) {
        deadline = time_msec() + timeout_sec * 1000LL;
    }

    struct ovsdb_idl *idl = ovsdb_idl_create(db, "Open_vSwitch", retry);
    ovsdb_idl_add_all(idl);
    connect_db(idl);
    run_commands(idl, commands, n_commands, argc, argv);

    for (size_t i = 0; i < n_commands; i++) {
        struct shash_node *node;
        SHASH_FOR_EACH (node, commands[i].options) {
            free(node->data);
        }
        shash_destroy(commands[i].options);
        free(commands[i].options);
        ds_destroy(&commands[i].output);
    }
    free(commands);
    ovsdb_idl_destroy(idl);
    free(db);
    return 0;
}
