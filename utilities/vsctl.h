/* vsctl's private interface, shared by its files:
 *
 *   vsctl.c          main(), global options, --help, parsing the command
 *                    line into commands.
 *   vsctl-context.c  the context commands run in: fatal errors, the
 *                    timeout, the database connection, the bridge/port/
 *                    interface cache, what a command's syntax asks to be
 *                    prepared before it runs, and the loop that runs all
 *                    commands as one transaction.  (The only file that
 *                    logs, as module "vsctl".)
 *   vsctl-bridge.c   the commands over bridges, ports and interfaces
 *                    (init, show, add-br, add-port, list-ports, ...).
 *   vsctl-db.c       the generic database commands (list, find, get, set,
 *                    add, remove, clear, create, destroy) and how records,
 *                    columns and values are named on the command line. */
#ifndef VSCTL_H
#define VSCTL_H 1

#include <stdbool.h>
#include "compiler.h"
#include "dynamic-string.h"
#include "ovsdb-uuid.h"
#include "shash.h"
#include "table.h"

struct ovsdb_column;
struct ovsdb_idl;
struct ovsdb_idl_row;
struct ovsdb_idl_txn;
struct ovsdb_symbol_table;
struct ovsdb_table_schema;
struct vsctl_context;

/* What the dispatcher prepares before a command's run() (and from which
 * argument), so that the handlers do not repeat it.  A missing bridge or
 * record ends the command with an error, or, when the command was given
 * --if-exists, skips it silently. */
enum vsctl_prereq {
    VSCTL_CACHE = 1 << 0,       /* ctx->cache: bridges, ports, ifaces. */
    VSCTL_BRIDGE = 1 << 1,      /* ctx->bridge: the bridge ARGV[1] (builds
                                 * the cache too). */
    VSCTL_TABLE = 1 << 2,       /* ctx->table: the table ARGV[1]. */
    VSCTL_COLUMN = 1 << 3,      /* ctx->column: the column ARGV[3] of the
                                 * table (implies VSCTL_TABLE). */
    VSCTL_RECORD = 1 << 4,      /* ctx->row: the record ARGV[2] of the table,
                                 * found after the column (implies
                                 * VSCTL_TABLE). */
};

/* One command, as the command tables describe it. */
struct vsctl_command_syntax {
    const char *name;           /* NULL ends a table. */
    int min_args;
    int max_args;
    unsigned int prereqs;       /* VSCTL_* bits. */
    const char *options;        /* Comma-separated "--opt" or "--opt=". */
    void (*run)(struct vsctl_context *);
    void (*postprocess)(struct vsctl_context *);  /* After commit. */
};

/* The command tables of vsctl-bridge.c and vsctl-db.c. */
extern const struct vsctl_command_syntax vsctl_bridge_commands[];
extern const struct vsctl_command_syntax vsctl_db_commands[];

/* One command of the command line. */
struct vsctl_command {
    const struct vsctl_command_syntax *syntax;
    int argc;
    char **argv;                /* argv[0] is the command's name. */
    struct shash *options;      /* "--name" -> value (or NULL), owned. */
    struct ds output;
    struct uuid insert_uuid;    /* For "create": the temporary uuid. */
    bool inserted;
};

/* The global options that commands and the transaction loop consult. */
struct vsctl_options {
    bool wait_for_reload;       /* --wait (default) or --no-wait. */
    bool dry_run;               /* --dry-run. */
    bool bare;                  /* --bare: values without quotes. */
    struct table_style style;   /* list and find: --format, --bare,
                                 * --no-headings. */
};

/* The bridge/port/interface view that the bridge commands work on, built
 * from the transaction's view of the database (the bridges that
 * Open_vSwitch lists, their ports and their interfaces, verifying what it
 * read) before each command that asks for it. */
struct vsctl_cache {
    struct shash bridges;       /* Name -> Bridge row. */
    struct shash ports;         /* Name -> Port row. */
    struct shash port_br;       /* Port name -> Bridge row. */
    struct shash ifaces;        /* Name -> Interface row. */
    struct shash iface_port;    /* Interface name -> Port row. */
    struct shash iface_br;      /* Interface name -> Bridge row. */
};

struct vsctl_context {
    /* The command being run. */
    struct vsctl_command *cmd;
    int argc;
    char **argv;
    struct shash *options;
    struct ds *output;
    const struct vsctl_options *opts;

    /* The invocation's transaction. */
    struct ovsdb_idl *idl;
    struct ovsdb_idl_txn *txn;
    struct ovsdb_symbol_table *symtab;
    const struct ovsdb_idl_row *ovs;    /* Open_vSwitch row, or NULL. */

    /* Prepared as the command's 'prereqs' ask. */
    struct vsctl_cache cache;
    const struct ovsdb_idl_row *bridge;
    const struct ovsdb_table_schema *table;
    const struct ovsdb_column *column;
    const struct ovsdb_idl_row *row;
};

/* vsctl-context.c. */

/* Flushes stdout, prints "vsctl: MESSAGE" on stderr and exits with status
 * 1. */
void vsctl_fatal(const char *format, ...)
    VS_PRINTF_FORMAT(1, 2) VS_NO_RETURN;
/* Flushes stdout and exits with STATUS. */
void vsctl_exit(int status) VS_NO_RETURN;

/* Makes every wait of this invocation give up after SECS seconds (0: no
 * limit), counting from now. */
void vsctl_set_timeout(int secs);

/* Runs IDL until it has connected and received the database's contents.
 * Exits with a message if the connection fails or the timeout expires. */
void vsctl_connect(struct ovsdb_idl *idl);

/* Runs the N COMMANDS as one transaction on IDL, as OPTS say, retrying
 * them while the server asks to; prints their output once it committed,
 * then (with --wait) waits for vswitchd to apply the change.  ARGV, the
 * whole command line, becomes the transaction's comment.  Exits on
 * failure. */
void vsctl_run_commands(struct ovsdb_idl *idl, struct vsctl_command *commands,
                        size_t n, const struct vsctl_options *opts,
                        int argc, char *argv[]);

/* Was the current command given OPTION ("--name")? */
bool vsctl_has_option(const struct vsctl_context *ctx, const char *option);

/* The Open_vSwitch record, created in the transaction if there is none. */
const struct ovsdb_idl_row *vsctl_get_ovs(struct vsctl_context *ctx);

/* ROW's "name" column, or "" if it has none. */
const char *vsctl_row_name(const struct ovsdb_idl_row *row);

/* qsort() comparison of "const struct ovsdb_idl_row *"s: by name, then by
 * uuid. */
int vsctl_compare_rows_by_name(const void *a, const void *b);

/* Returns CACHE's bridge, port or interface NAME; if there is none,
 * returns NULL or, with MUST_EXIST, dies ("no bridge named NAME"). */
const struct ovsdb_idl_row *vsctl_find_bridge(struct vsctl_cache *cache,
                                              const char *name,
                                              bool must_exist);
const struct ovsdb_idl_row *vsctl_find_port(struct vsctl_cache *cache,
                                            const char *name,
                                            bool must_exist);
const struct ovsdb_idl_row *vsctl_find_iface(struct vsctl_cache *cache,
                                             const char *name,
                                             bool must_exist);

/* vsctl-db.c. */

/* The table whose name is NAME, or a unique prefix of it, ignoring case.
 * Dies if there is none. */
const struct ovsdb_table_schema *vsctl_get_table(struct vsctl_context *ctx,
                                                 const char *name);

/* T's column NAME, likewise. */
const struct ovsdb_column *vsctl_get_column(const struct ovsdb_table_schema *t,
                                            const char *name);

/* The record of T that ID designates: a uuid (or a unique prefix of at
 * least 4 digits), "@NAME" from --id, the value of the table's name
 * column, or "." for a table that has at most one row.  Returns NULL if
 * there is none, or, with MUST_EXIST, dies. */
const struct ovsdb_idl_row *vsctl_get_row(struct vsctl_context *ctx,
                                          const struct ovsdb_table_schema *t,
                                          const char *id, bool must_exist);

/* Applies ARG, "COLUMN[:KEY]=VALUE", to ROW. */
void vsctl_set_column(struct vsctl_context *ctx,
                      const struct ovsdb_idl_row *row, const char *arg);

#endif /* vsctl.h */
