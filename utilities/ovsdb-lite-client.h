/* ovsdb-lite-client's private interface, shared by its files:
 *
 *   ovsdb-lite-client.c          main(), options, --help, the command
 *                                table and argument checks.
 *   ovsdb-lite-client-rpc.c      the server: the connection and its
 *                                --timeout, requests and notifications,
 *                                the server's databases and schemas.
 *   ovsdb-lite-client-output.c   what is printed and how: JSON, tables in
 *                                the --format, and the rows the server
 *                                sends, parsed and ordered for printing.
 *   ovsdb-lite-client-db.c       list-dbs, get-schema, list-tables,
 *                                list-columns, transact, query, dump.
 *   ovsdb-lite-client-monitor.c  monitor.
 *   ovsdb-lite-client-lock.c     lock, steal.
 *
 * All of them log as module "ovsdb_lite_client". */
#ifndef OVSDB_LITE_CLIENT_H
#define OVSDB_LITE_CLIENT_H 1

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include "compiler.h"
#include "ovsdb-data.h"
#include "ovsdb-types.h"
#include "ovsdb-uuid.h"
#include "table.h"

struct jsonrpc_msg;
struct ovsdb_column;
struct ovsdb_schema;
struct ovsdb_table_schema;
struct vlog_module;

extern struct vlog_module VLM_ovsdb_lite_client;

/* The commands: ARGV holds the ARGC arguments after the command's name
 * (and after SERVER). */
void do_list_dbs(int argc, char *argv[]);
void do_get_schema(int argc, char *argv[]);
void do_list_tables(int argc, char *argv[]);
void do_list_columns(int argc, char *argv[]);
void do_transact(int argc, char *argv[]);
void do_query(int argc, char *argv[]);
void do_dump(int argc, char *argv[]);
void do_monitor(int argc, char *argv[]);
void do_lock(int argc, char *argv[]);
void do_steal(int argc, char *argv[]);

/* ovsdb-lite-client-monitor.c: monitor with "monitor_cond" if the server
 * knows it (USE, the default) or always with "monitor". */
void monitor_use_monitor_cond(bool use);

/* ovsdb-lite-client-rpc.c: the server. */

/* Sets the server to talk to, SERVER_NAME (active or passive, see
 * stream.h), and starts the TIMEOUT_SECS (0: none) that bound every wait
 * from now on.  Connects only on the first request.  SERVER_NAME must
 * outlive the connection. */
void server_init(const char *server_name, unsigned int timeout_secs);

/* Closes the connection, if any, and frees what the server module holds. */
void server_close(void);

/* The server's name, for messages. */
const char *server_name(void);

/* Dies with "SERVER: MESSAGE". */
void server_fatal(const char *format, ...)
    VS_PRINTF_FORMAT(1, 2) VS_NO_RETURN;

/* What receives notifications (monitor updates, lock changes) while the
 * client waits for a reply, or forever. */
typedef void notification_handler(const struct jsonrpc_msg *);

/* Sends a METHOD request with PARAMS (taken over), connecting first if
 * needed, and returns the reply or error message (the caller destroys
 * it).  Notifications that arrive meanwhile go to HANDLER (may be NULL);
 * "echo" requests are answered.  Blocks until --timeout; exits on
 * failure. */
struct jsonrpc_msg *server_request(const char *method, json_t *params,
                                   notification_handler *handler);

/* Like server_request() but returns only the result (a new reference),
 * exiting with a message on an error reply. */
json_t *server_call(const char *method, json_t *params);

/* If REPLY is an error, dies with "PREFIX: ERROR", PREFIX being FORMAT
 * formatted and ERROR the error as JSON. */
void server_check_reply(const struct jsonrpc_msg *reply,
                        const char *format, ...) VS_PRINTF_FORMAT(2, 3);

/* Does ERROR, a JSON-RPC error, say "unknown method" (as a bare string, as
 * Open vSwitch sends it, or as an error object)? */
bool server_is_unknown_method(const json_t *error);

/* Hands every notification to HANDLER, answering "echo"s, until --timeout
 * expires (then exits with status 0) or the connection fails. */
void server_serve_forever(notification_handler *handler) VS_NO_RETURN;

/* The server's databases, sorted by name; stores their number in *N.  The
 * names belong to the server module. */
char *const *server_get_dbs(size_t *n);

/* Does the server have database NAME? */
bool server_has_db(const char *name);

/* Returns NAME, if the server has that database; otherwise dies. */
const char *server_check_db(const char *name);

/* The database to use when none is named: Open_vSwitch, or else the only
 * database that is not internal (whose name does not begin with '_'). */
const char *server_default_db(void);

/* The schema of database DB, as JSON (a new reference) or parsed (the
 * caller frees it).  Exit on failure. */
json_t *server_get_schema_json(const char *db);
struct ovsdb_schema *server_get_schema(const char *db);

/* Returns SCHEMA's table NAME, or TABLE's column NAME.  If there is none,
 * reports the error, frees SCHEMA and exits. */
const struct ovsdb_table_schema *schema_get_table(struct ovsdb_schema *,
                                                  const char *name);
const struct ovsdb_column *schema_get_column(
    struct ovsdb_schema *, const struct ovsdb_table_schema *table,
    const char *name);

/* Reports the error that FORMAT says, frees SCHEMA and exits. */
void schema_fatal(struct ovsdb_schema *schema, const char *format, ...)
    VS_PRINTF_FORMAT(2, 3) VS_NO_RETURN;

/* Returns TABLE's columns, "_uuid" and "_version" first if WITH_STD, then
 * the others in name order, and their number in *N.  The caller frees
 * the array. */
const struct ovsdb_column **schema_sorted_columns(
    const struct ovsdb_table_schema *table, bool with_std, size_t *n);

/* ovsdb-lite-client-output.c: printing. */

/* --format and --pretty. */
void output_set_format(enum table_format);
void output_set_pretty(bool pretty);

/* Flushes stdout, exiting if output failed: quietly if the reader went
 * away ("monitor | head"), else with a message. */
void output_flush(void);

/* Prints JSON on a line, indented with --pretty. */
void output_json(const json_t *json);

/* Returns JSON as compact text (the caller frees it), never NULL. */
char *json_to_compact_string(const json_t *json);

/* Dies with "MESSAGE: JSON", MESSAGE being FORMAT formatted. */
void json_fatal(const json_t *json, const char *format, ...)
    VS_PRINTF_FORMAT(2, 3) VS_NO_RETURN;

/* Prints T in the --format, then flushes; in table format a blank line
 * separates it from the previous table. */
void output_table(const struct table *t);

/* Fills CELL with DATUM of TYPE, as text and as JSON. */
void output_fill_cell(struct table_cell *cell,
                      const struct ovsdb_datum *datum,
                      const struct ovsdb_type *type);

/* A column whose values come from a server.  They are parsed with a type
 * that keeps the column's shape but drops its constraints: a server may
 * hold values (such as defaults) that break them, and they are still
 * worth printing. */
struct col {
    const struct ovsdb_column *column;
    struct ovsdb_type type;     /* column->type without constraints. */
};

void col_init(struct col *col, const struct ovsdb_column *column);
void col_destroy(struct col *col);

/* A row as received: the row's uuid and one datum per struct col. */
struct row {
    struct uuid uuid;
    struct ovsdb_datum *data;
};

/* Parses VALUE from the server, for COLUMN of TABLE, as a datum of TYPE
 * into DATUM; exits on error. */
void parse_value(struct ovsdb_datum *datum, const struct ovsdb_type *type,
                 const json_t *value, const char *table, const char *column);

/* Parses JSON, a <row> object of TABLE, into ROW's data for the N COLS.
 * Columns that JSON lacks get their default values.  Exits on error. */
void parse_row(struct row *row, const json_t *json, const struct col *cols,
               size_t n, const char *table);

/* Frees DATA, the data of a row for the N COLS (NULL is a no-op). */
void row_destroy_data(struct ovsdb_datum *data, const struct col *cols,
                      size_t n);

/* Compares rows A and B of TABLE (with the N COLS) for a stable output
 * order: by the columns of TABLE's first index that are among COLS (so
 * that rows with a "name" index come in name order), then column by
 * column, skipping "_uuid", then by uuid. */
int compare_rows(const struct row *a, const struct row *b,
                 const struct ovsdb_table_schema *table,
                 const struct col *cols, size_t n);

#endif /* ovsdb-lite-client.h */
