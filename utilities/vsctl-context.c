/* vsctl-context.c: the context in which vsctl's commands run.
 *
 * It holds what every command relies on and none implements for itself:
 * fatal errors and the --timeout deadline, the connection to the database,
 * the bridge/port/interface cache, the preparation that a command's syntax
 * asks for (see enum vsctl_prereq) and the loop that runs all the commands
 * of an invocation as one transaction, retrying them when the server says
 * that what they read has changed, and waiting for vswitchd afterward. */
#include <config.h>

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ovsdb-data.h"
#include "ovsdb-idl.h"
#include "ovsdb-schema.h"
#include "poll-loop.h"
#include "timeval.h"
#include "util.h"
#include "vlog.h"
#include "vsctl.h"

VLOG_DEFINE_THIS_MODULE(vsctl);

void
vsctl_fatal(const char *format, ...)
{
    va_list args;

    va_start(args, format);
    char *message = xvasprintf(format, args);
    va_end(args);

    fflush(stdout);
    vs_fatal(0, "%s", message);
}

void
vsctl_exit(int status)
{
    fflush(stdout);
    exit(status);
}

/* ------------------------------------------------------------------ */
/* The timeout.                                                        */
/* ------------------------------------------------------------------ */

static int timeout_sec;
static long long int deadline = LLONG_MAX;

void
vsctl_set_timeout(int secs)
{
    timeout_sec = secs;
    deadline = secs ? time_msec() + secs * 1000LL : LLONG_MAX;
}

static void VS_NO_RETURN
timeout_fatal(const char *what)
{
    vsctl_fatal("timed out after %d second%s %s", timeout_sec,
                timeout_sec == 1 ? "" : "s", what);
}

/* Dies with "timed out after N seconds WHAT" if the timeout expired. */
static void
check_deadline(const char *what)
{
    if (time_msec() >= deadline) {
        timeout_fatal(what);
    }
}

/* ------------------------------------------------------------------ */
/* The connection.                                                     */
/* ------------------------------------------------------------------ */

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

/* Waits for IDL to do something, or for the timeout. */
static void
block_on_idl(struct ovsdb_idl *idl)
{
    ovsdb_idl_wait(idl);
    poll_timer_wait_until(deadline);    /* No-op for LLONG_MAX. */
    poll_block();
}

void
vsctl_connect(struct ovsdb_idl *idl)
{
    for (;;) {
        ovsdb_idl_run(idl);
        if (ovsdb_idl_has_ever_connected(idl)) {
            return;
        }
        check_alive(idl);
        if (time_msec() >= deadline) {
            timeout_fatal(xasprintf("connecting to %s",
                                    ovsdb_idl_get_remote(idl)));
        }
        block_on_idl(idl);
    }
}

/* ------------------------------------------------------------------ */
/* Small helpers over the replica.                                     */
/* ------------------------------------------------------------------ */

bool
vsctl_has_option(const struct vsctl_context *ctx, const char *option)
{
    return shash_find(ctx->options, option) != NULL;
}

const char *
vsctl_row_name(const struct ovsdb_idl_row *row)
{
    const char *name = ovsdb_idl_row_get_string(row, "name");
    return name ? name : "";
}

int
vsctl_compare_rows_by_name(const void *a_, const void *b_)
{
    const struct ovsdb_idl_row *const *a = a_;
    const struct ovsdb_idl_row *const *b = b_;
    int cmp = strcmp(vsctl_row_name(*a), vsctl_row_name(*b));
    return cmp ? cmp : uuid_compare_3way(ovsdb_idl_row_get_uuid(*a),
                                         ovsdb_idl_row_get_uuid(*b));
}

const struct ovsdb_idl_row *
vsctl_get_ovs(struct vsctl_context *ctx)
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
/* The bridge/port/interface cache.                                    */
/* ------------------------------------------------------------------ */

/* Adds ROW to MAP under its name, unless the name is taken (then logs that
 * the database has a duplicate WHAT name).  Returns true if it added. */
static bool
cache_add(struct shash *map, const struct ovsdb_idl_row *row,
          const char *what)
{
    if (!row) {
        return false;
    } else if (!shash_add_once(map, vsctl_row_name(row), (void *) row)) {
        VLOG_WARN("%s: database contains duplicate %s name",
                  vsctl_row_name(row), what);
        return false;
    }
    return true;
}

/* Adds PORT of bridge BR, and its interfaces, to CACHE. */
static void
cache_add_port(struct vsctl_context *ctx, struct vsctl_cache *cache,
               const struct ovsdb_idl_row *br,
               const struct ovsdb_idl_row *port)
{
    const char *port_name = vsctl_row_name(port);

    shash_add(&cache->port_br, port_name, (void *) br);
    ovsdb_idl_txn_verify(ctx->txn, port, "interfaces");
    const struct ovsdb_datum *ifaces = ovsdb_idl_row_get(port, "interfaces",
                                                         NULL);
    for (unsigned int i = 0; i < ifaces->n; i++) {
        const struct ovsdb_idl_row *iface
            = ovsdb_idl_row_get_ref(port, "interfaces", i);
        if (cache_add(&cache->ifaces, iface, "interface")) {
            shash_add(&cache->iface_port, vsctl_row_name(iface),
                      (void *) port);
            shash_add(&cache->iface_br, vsctl_row_name(iface), (void *) br);
        }
    }
}

static void
cache_init(struct vsctl_context *ctx, struct vsctl_cache *cache)
{
    const struct ovsdb_idl_row *ovs = vsctl_get_ovs(ctx);
    const struct ovsdb_datum *brs;

    shash_init(&cache->bridges);
    shash_init(&cache->ports);
    shash_init(&cache->port_br);
    shash_init(&cache->ifaces);
    shash_init(&cache->iface_port);
    shash_init(&cache->iface_br);

    ovsdb_idl_txn_verify(ctx->txn, ovs, "bridges");
    brs = ovsdb_idl_row_get(ovs, "bridges", NULL);
    for (unsigned int i = 0; i < brs->n; i++) {
        const struct ovsdb_idl_row *br = ovsdb_idl_row_get_ref(ovs, "bridges",
                                                               i);
        if (!cache_add(&cache->bridges, br, "bridge")) {
            continue;
        }
        ovsdb_idl_txn_verify(ctx->txn, br, "ports");
        const struct ovsdb_datum *ports = ovsdb_idl_row_get(br, "ports",
                                                            NULL);
        for (unsigned int j = 0; j < ports->n; j++) {
            const struct ovsdb_idl_row *port
                = ovsdb_idl_row_get_ref(br, "ports", j);
            if (cache_add(&cache->ports, port, "port")) {
                cache_add_port(ctx, cache, br, port);
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
    shash_destroy(&cache->iface_br);
}

/* Returns MAP's entry NAME, or NULL or, with MUST_EXIST, dies with "no WHAT
 * named NAME". */
static const struct ovsdb_idl_row *
cache_find(struct shash *map, const char *what, const char *name,
           bool must_exist)
{
    const struct ovsdb_idl_row *row = shash_find_data(map, name);
    if (must_exist && !row) {
        vsctl_fatal("no %s named %s", what, name);
    }
    return row;
}

const struct ovsdb_idl_row *
vsctl_find_bridge(struct vsctl_cache *cache, const char *name,
                  bool must_exist)
{
    return cache_find(&cache->bridges, "bridge", name, must_exist);
}

const struct ovsdb_idl_row *
vsctl_find_port(struct vsctl_cache *cache, const char *name, bool must_exist)
{
    return cache_find(&cache->ports, "port", name, must_exist);
}

const struct ovsdb_idl_row *
vsctl_find_iface(struct vsctl_cache *cache, const char *name,
                 bool must_exist)
{
    return cache_find(&cache->ifaces, "interface", name, must_exist);
}

/* ------------------------------------------------------------------ */
/* Running one command.                                                */
/* ------------------------------------------------------------------ */

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

/* Prepares what the 'prereqs' of CTX's command ask for, in the order a
 * user would check them: the cache, the bridge, the table, its column,
 * the record.  Returns false if the command is to be skipped, because a
 * bridge or record it names does not exist and it has --if-exists; dies
 * if one does not exist otherwise. */
static bool
prepare_command(struct vsctl_context *ctx)
{
    unsigned int prereqs = ctx->cmd->syntax->prereqs;
    bool must_exist = !vsctl_has_option(ctx, "--if-exists");

    ctx->bridge = NULL;
    ctx->table = NULL;
    ctx->column = NULL;
    ctx->row = NULL;
    if (prereqs & VSCTL_BRIDGE) {
        ctx->bridge = vsctl_find_bridge(&ctx->cache, ctx->argv[1],
                                        must_exist);
        if (!ctx->bridge) {
            return false;
        }
    }
    if (prereqs & (VSCTL_TABLE | VSCTL_COLUMN | VSCTL_RECORD)) {
        ctx->table = vsctl_get_table(ctx, ctx->argv[1]);
    }
    if (prereqs & VSCTL_COLUMN) {
        ctx->column = vsctl_get_column(ctx->table, ctx->argv[3]);
    }
    if (prereqs & VSCTL_RECORD) {
        ctx->row = vsctl_get_row(ctx, ctx->table, ctx->argv[2], must_exist);
        if (!ctx->row) {
            return false;
        }
    }
    return true;
}

/* Runs CMD in CTX. */
static void
run_command(struct vsctl_context *ctx, struct vsctl_command *cmd)
{
    bool needs_cache = cmd->syntax->prereqs & (VSCTL_CACHE | VSCTL_BRIDGE);

    ds_clear(&cmd->output);
    cmd->inserted = false;
    context_set_command(ctx, cmd);
    if (needs_cache) {
        cache_init(ctx, &ctx->cache);
    }
    if (prepare_command(ctx)) {
        cmd->syntax->run(ctx);
    }
    if (needs_cache) {
        cache_destroy(&ctx->cache);
    }
}

/* ------------------------------------------------------------------ */
/* Running all the commands as one transaction.                        */
/* ------------------------------------------------------------------ */

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
            timeout_fatal(xasprintf(
                "waiting for vswitchd to apply the configuration "
                "(next_cfg %"PRId64", cur_cfg %"PRId64"); is vswitchd "
                "running? (use --no-wait not to wait)", next_cfg, cur_cfg));
        }
        block_on_idl(idl);
    }
}

/* Commits TXN, unless --dry-run, and returns its status. */
static enum ovsdb_idl_txn_status
commit_block(struct ovsdb_idl *idl, struct ovsdb_idl_txn *txn,
             const struct vsctl_options *opts)
{
    if (opts->dry_run) {
        ovsdb_idl_txn_abort(txn);
        return TXN_UNCHANGED;
    }
    for (;;) {
        ovsdb_idl_run(idl);
        enum ovsdb_idl_txn_status status = ovsdb_idl_txn_commit(txn);
        if (status != TXN_INCOMPLETE) {
            return status;
        }
        check_deadline("waiting for the database to commit the "
                       "transaction");
        ovsdb_idl_txn_wait(txn);
        block_on_idl(idl);
    }
}

/* After TXN_TRY_AGAIN: waits for the replica to catch up with what made
 * the server refuse (it may have already).  SEQNO is the replica's seqno
 * when the transaction began. */
static void
wait_for_change(struct ovsdb_idl *idl, unsigned int seqno)
{
    while (ovsdb_idl_get_seqno(idl) == seqno
           || !ovsdb_idl_is_connected(idl)) {
        ovsdb_idl_run(idl);
        check_alive(idl);
        if (ovsdb_idl_get_seqno(idl) != seqno
            && ovsdb_idl_is_connected(idl)) {
            break;
        }
        check_deadline("retrying the transaction");
        block_on_idl(idl);
    }
}

/* Starts a transaction on IDL whose comment is the command line ARGV. */
static struct ovsdb_idl_txn *
start_txn(struct ovsdb_idl *idl, int argc, char *argv[])
{
    struct ovsdb_idl_txn *txn = ovsdb_idl_txn_create(idl);
    struct ds comment = DS_EMPTY_INITIALIZER;

    ds_put_cstr(&comment, "vsctl:");
    for (int i = 1; i < argc; i++) {
        ds_put_format(&comment, " %s", argv[i]);
    }
    ovsdb_idl_txn_add_comment(txn, "%s", ds_cstr(&comment));
    ds_destroy(&comment);
    return txn;
}

void
vsctl_run_commands(struct ovsdb_idl *idl, struct vsctl_command *commands,
                   size_t n_commands, const struct vsctl_options *opts,
                   int argc, char *argv[])
{
    for (;;) {
        unsigned int seqno = ovsdb_idl_get_seqno(idl);
        struct ovsdb_idl_txn *txn = start_txn(idl, argc, argv);
        struct ovsdb_symbol_table *symtab = ovsdb_symbol_table_create();
        struct vsctl_context ctx;

        memset(&ctx, 0, sizeof ctx);
        ctx.opts = opts;
        ctx.idl = idl;
        ctx.txn = txn;
        ctx.symtab = symtab;

        for (size_t i = 0; i < n_commands; i++) {
            run_command(&ctx, &commands[i]);
        }
        check_symbols(symtab, idl);

        if (opts->wait_for_reload) {
            const struct ovsdb_idl_row *ovs = ctx.ovs ? ctx.ovs
                : ovsdb_idl_first_row(idl, "Open_vSwitch");
            if (ovs) {
                ovsdb_idl_txn_increment_if_changed(txn, ovs, "next_cfg");
            }
        }

        enum ovsdb_idl_txn_status status = commit_block(idl, txn, opts);
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
            wait_for_change(idl, seqno);
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
