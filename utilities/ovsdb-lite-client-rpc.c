/* ovsdb-lite-client-rpc.c: the server ovsdb-lite-client talks to.
 *
 * One JSON-RPC connection, opened on the first request (for a passive
 * name, by waiting for the server to connect).  The client runs its own
 * small loop over the reactor, instead of jsonrpc_transact_block(), so
 * that --timeout bounds every wait, the server's "echo" probes are
 * answered, and notifications (monitor updates, lock changes) are handed
 * to the command as they arrive.  Also here: the server's list of
 * databases, fetched once, and its schemas. */
#include <config.h>

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "jsonrpc.h"
#include "ovsdb-error.h"
#include "ovsdb-schema.h"
#include "ovsdb-lite-client.h"
#include "poll-loop.h"
#include "stream.h"
#include "timeval.h"
#include "util.h"
#include "vlog.h"

static struct vlog_module *const THIS_MODULE = &VLM_ovsdb_lite_client;

static const char *remote;              /* The server's name. */
static unsigned int timeout_secs;       /* --timeout, 0 for none. */
static long long int deadline = LLONG_MAX;
static struct jsonrpc *rpc;             /* The connection, once open. */

/* The server's databases, fetched on first use. */
static char **db_names;
static size_t n_db_names;
static bool have_db_names;

void
server_init(const char *name, unsigned int secs)
{
    remote = name;
    timeout_secs = secs;
    if (timeout_secs) {
        deadline = time_msec() + timeout_secs * 1000LL;
    }
}

void
server_close(void)
{
    jsonrpc_close(rpc);
    rpc = NULL;
    for (size_t i = 0; i < n_db_names; i++) {
        free(db_names[i]);
    }
    free(db_names);
    db_names = NULL;
    n_db_names = 0;
    have_db_names = false;
}

const char *
server_name(void)
{
    return remote;
}

void
server_fatal(const char *format, ...)
{
    va_list args;

    va_start(args, format);
    char *message = xvasprintf(format, args);
    va_end(args);
    vs_fatal(0, "%s: %s", remote, message);
}

/* Called when --timeout expires: RUNS_FOREVER says that the command (monitor,
 * lock) ends this way, with status 0. */
static void VS_NO_RETURN
timeout_expired(bool runs_forever)
{
    if (runs_forever) {
        output_flush();
        exit(EXIT_SUCCESS);
    }
    server_fatal("timed out after %u second%s", timeout_secs,
                 timeout_secs == 1 ? "" : "s");
}

/* Exits (as --timeout says) if it expired. */
static void
check_deadline(bool runs_forever)
{
    if (time_msec() >= deadline) {
        timeout_expired(runs_forever);
    }
}

/* Returns the milliseconds left until --timeout, or -1 for no limit. */
static long long int
remaining_msec(void)
{
    return (deadline == LLONG_MAX ? -1 : MAX(deadline - time_msec(), 1));
}

/* Waits for the server to connect to the passive name. */
static struct stream *
accept_connection(void)
{
    struct pstream *listener;
    struct stream *stream;

    int error = pstream_open(remote, &listener);
    if (error) {
        vs_fatal(error, "failed to listen on \"%s\"", remote);
    }
    for (;;) {
        error = pstream_accept(listener, &stream);
        if (!error) {
            break;
        } else if (error != EAGAIN) {
            vs_fatal(error, "%s: accept failed", remote);
        }
        check_deadline(false);
        pstream_wait(listener);
        poll_timer_wait_until(deadline);    /* No-op for LLONG_MAX. */
        poll_block();
    }
    pstream_close(listener);
    return stream;
}

/* Connects to the server (or, for a passive name, waits for it to
 * connect), unless already done.  Exits on failure. */
static void
open_connection(void)
{
    struct stream *stream;
    int error;

    if (rpc) {
        return;
    }
    if (!pstream_verify_name(remote)) {
        stream = accept_connection();
        error = stream_open_block(0, remaining_msec(), &stream);
    } else {
        error = stream_open_block(stream_open(remote, &stream),
                                  remaining_msec(), &stream);
    }
    if (error == ETIMEDOUT) {
        timeout_expired(false);
    } else if (error) {
        vs_fatal(error, "failed to connect to \"%s\"", remote);
    }
    rpc = jsonrpc_open(stream);
}

/* Handles MSG, which is not the reply being waited for. */
static void
handle_other_msg(struct jsonrpc_msg *msg, notification_handler *handler)
{
    if (msg->type == JSONRPC_REQUEST && !strcmp(msg->method, "echo")) {
        jsonrpc_send(rpc, jsonrpc_create_reply(json_incref(msg->params),
                                               msg->id));
    } else if (msg->type == JSONRPC_NOTIFY && handler) {
        handler(msg);
    } else if (msg->type == JSONRPC_REQUEST) {
        jsonrpc_send(rpc, jsonrpc_create_error(json_string("unknown method"),
                                               msg->id));
    } else {
        VLOG_DBG("%s: ignoring unexpected %s", remote,
                 jsonrpc_msg_type_to_string(msg->type));
    }
}

static void VS_NO_RETURN
connection_failed(int error)
{
    if (error == EOF) {
        server_fatal("connection closed by server");
    }
    vs_fatal(error, "%s: connection failed", remote);
}

/* Receives the next message, blocking until --timeout (RUNS_FOREVER says
 * what the timeout means). */
static struct jsonrpc_msg *
recv_msg(bool runs_forever)
{
    for (;;) {
        struct jsonrpc_msg *msg;

        jsonrpc_run(rpc);
        int error = jsonrpc_recv(rpc, &msg);
        if (!error) {
            return msg;
        } else if (error != EAGAIN) {
            connection_failed(error);
        }
        check_deadline(runs_forever);
        jsonrpc_wait(rpc);
        jsonrpc_recv_wait(rpc);
        poll_timer_wait_until(deadline);    /* No-op for LLONG_MAX. */
        poll_block();
    }
}

struct jsonrpc_msg *
server_request(const char *method, json_t *params,
               notification_handler *handler)
{
    json_t *id;

    open_connection();
    int error = jsonrpc_send(rpc, jsonrpc_create_request(method, params,
                                                         &id));
    if (error) {
        connection_failed(error);
    }
    for (;;) {
        struct jsonrpc_msg *msg = recv_msg(false);
        if ((msg->type == JSONRPC_REPLY || msg->type == JSONRPC_ERROR)
            && json_equal(msg->id, id)) {
            json_decref(id);
            return msg;
        }
        handle_other_msg(msg, handler);
        jsonrpc_msg_destroy(msg);
    }
}

void
server_serve_forever(notification_handler *handler)
{
    for (;;) {
        struct jsonrpc_msg *msg = recv_msg(true);
        handle_other_msg(msg, handler);
        jsonrpc_msg_destroy(msg);
    }
}

bool
server_is_unknown_method(const json_t *error)
{
    if (json_is_object(error)) {
        error = json_object_get(error, "error");
    }
    return json_is_string(error)
           && !strcmp(json_string_value(error), "unknown method");
}

void
server_check_reply(const struct jsonrpc_msg *reply, const char *format, ...)
{
    if (reply->type == JSONRPC_ERROR) {
        va_list args;

        va_start(args, format);
        char *message = xvasprintf(format, args);
        va_end(args);
        json_fatal(reply->error, "%s", message);
    }
}

json_t *
server_call(const char *method, json_t *params)
{
    struct jsonrpc_msg *reply = server_request(method, params, NULL);
    server_check_reply(reply, "%s: \"%s\" request failed", remote, method);
    json_t *result = json_incref(reply->result);
    jsonrpc_msg_destroy(reply);
    return result;
}

/* ------------------------------------------------------------------ */
/* Databases and schemas.                                              */
/* ------------------------------------------------------------------ */

static int
compare_strings(const void *a_, const void *b_)
{
    const char *const *a = a_;
    const char *const *b = b_;
    return strcmp(*a, *b);
}

static void
fetch_dbs(void)
{
    if (have_db_names) {
        return;
    }
    json_t *result = server_call("list_dbs", json_array());
    if (!json_is_array(result)) {
        server_fatal("list_dbs reply is not an array");
    }
    n_db_names = json_array_size(result);
    db_names = xcalloc(n_db_names + 1, sizeof *db_names);
    for (size_t i = 0; i < n_db_names; i++) {
        const json_t *db = json_array_get(result, i);
        if (!json_is_string(db)) {
            server_fatal("list_dbs reply contains a non-string");
        }
        db_names[i] = xstrdup(json_string_value(db));
    }
    qsort(db_names, n_db_names, sizeof *db_names, compare_strings);
    json_decref(result);
    have_db_names = true;
}

char *const *
server_get_dbs(size_t *n)
{
    fetch_dbs();
    *n = n_db_names;
    return db_names;
}

bool
server_has_db(const char *db)
{
    fetch_dbs();
    for (size_t i = 0; i < n_db_names; i++) {
        if (!strcmp(db_names[i], db)) {
            return true;
        }
    }
    return false;
}

const char *
server_default_db(void)
{
    const char *found = NULL;
    size_t n = 0;

    if (server_has_db("Open_vSwitch")) {
        return "Open_vSwitch";
    }
    for (size_t i = 0; i < n_db_names; i++) {
        if (db_names[i][0] != '_') {
            found = db_names[i];
            n++;
        }
    }
    if (n == 1) {
        return found;
    } else if (!n) {
        server_fatal("server has no databases");
    }
    server_fatal("server has %zu databases and none is Open_vSwitch: "
                 "please name one", n);
}

const char *
server_check_db(const char *db)
{
    if (!server_has_db(db)) {
        server_fatal("no database named \"%s\"", db);
    }
    return db;
}

json_t *
server_get_schema_json(const char *db)
{
    return server_call("get_schema", json_pack("[s]", db));
}

struct ovsdb_schema *
server_get_schema(const char *db)
{
    struct ovsdb_schema *schema;
    json_t *json = server_get_schema_json(db);
    struct ovsdb_error *error = ovsdb_schema_from_json(json, &schema);
    if (error) {
        char *s = ovsdb_error_to_string_free(error);
        server_fatal("cannot parse the schema of \"%s\": %s", db, s);
    }
    json_decref(json);
    return schema;
}

void
schema_fatal(struct ovsdb_schema *schema, const char *format, ...)
{
    va_list args;

    va_start(args, format);
    char *message = xvasprintf(format, args);
    va_end(args);

    ovsdb_schema_destroy(schema);
    vs_fatal(0, "%s", message);
}

const struct ovsdb_table_schema *
schema_get_table(struct ovsdb_schema *schema, const char *table_name)
{
    const struct ovsdb_table_schema *table
        = ovsdb_schema_get_table(schema, table_name);
    if (!table) {
        schema_fatal(schema, "database \"%s\" has no table named \"%s\"",
                     schema->name, table_name);
    }
    return table;
}

const struct ovsdb_column *
schema_get_column(struct ovsdb_schema *schema,
                  const struct ovsdb_table_schema *table,
                  const char *column_name)
{
    const struct ovsdb_column *column
        = ovsdb_table_schema_get_column(table, column_name);
    if (!column) {
        schema_fatal(schema, "table \"%s\" has no column named \"%s\"",
                     table->name, column_name);
    }
    return column;
}

static int
compare_column_names(const void *a_, const void *b_)
{
    const struct ovsdb_column *const *a = a_;
    const struct ovsdb_column *const *b = b_;
    bool a_std = (*a)->index < OVSDB_N_STD_COLUMNS;
    bool b_std = (*b)->index < OVSDB_N_STD_COLUMNS;

    if (a_std != b_std) {
        return a_std ? -1 : 1;
    }
    return strcmp((*a)->name, (*b)->name);
}

const struct ovsdb_column **
schema_sorted_columns(const struct ovsdb_table_schema *table, bool with_std,
                      size_t *n)
{
    const struct ovsdb_column **columns
        = xcalloc(table->n_columns, sizeof *columns);
    *n = 0;
    for (size_t i = 0; i < table->n_columns; i++) {
        const struct ovsdb_column *c = table->column_array[i];
        if (with_std || c->index >= OVSDB_N_STD_COLUMNS) {
            columns[(*n)++] = c;
        }
    }
    qsort(columns, *n, sizeof *columns, compare_column_names);
    return columns;
}
