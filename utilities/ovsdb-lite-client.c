/* ovsdb-lite-client: command-line client for OVSDB servers (ovsdb-lite or
 * Open vSwitch's ovsdb-server), modeled on ovsdb-client(1).
 *
 * Every command opens one JSON-RPC connection, sends its requests and
 * prints what comes back.  The program runs its own small loop over the
 * reactor (instead of jsonrpc_transact_block()) so that --timeout bounds
 * every wait, the server's "echo" probes are answered, and notifications
 * (monitor updates, lock changes) are handled as they arrive. */
#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "command-line.h"
#include "dirs.h"
#include "dynamic-string.h"
#include "jsonrpc.h"
#include "ovsdb-data.h"
#include "ovsdb-error.h"
#include "ovsdb-schema.h"
#include "ovsdb-types.h"
#include "ovsdb-uuid.h"
#include "poll-loop.h"
#include "shash.h"
#include "stream-ssl.h"
#include "stream.h"
#include "timeval.h"
#include "util.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(ovsdb_lite_client);

/* Output format of tables (--format). */
enum output_format {
    FMT_TABLE,                  /* Aligned text columns. */
    FMT_JSON                    /* One JSON object per table. */
};

static enum output_format output_format = FMT_TABLE;
static bool pretty_json;        /* --pretty: indent JSON output. */
static bool use_monitor_cond = true;    /* Off: --no-monitor-cond. */
static unsigned int timeout_secs;       /* --timeout, 0 for none. */
static long long int deadline = LLONG_MAX;

/* The connection, opened on first use. */
static const char *server_name;
static struct jsonrpc *rpc;

/* Lists of databases, fetched on first use. */
static char **db_names;
static size_t n_db_names;
static bool have_db_names;

struct command {
    const char *name;
    int min_args, max_args;     /* Not counting a SERVER argument. */
    void (*handler)(int argc, char *argv[]);
};

static const struct command *find_command(const char *name);
static void flush_stdout(void);
static void parse_options(int argc, char *argv[]);
static void usage(void) VS_NO_RETURN;

static bool
is_server_name(const char *s)
{
    return !stream_verify_name(s) || !pstream_verify_name(s);
}

int
main(int argc, char *argv[])
{
    set_program_name(argv[0]);
    /* Problems are reported on stderr by the program itself; -v shows
     * the library's logs. */
    vlog_set_levels(NULL, VLF_CONSOLE, VLL_WARN);
    /* monitor, lock and steal normally end by a signal: no warning. */
    vlog_set_levels(vlog_module_from_name("fatal_signal"), VLF_CONSOLE,
                    VLL_ERR);
    parse_options(argc, argv);

    char **args = argv + optind;
    int n_args = argc - optind;

    /* [SERVER] COMMAND [SERVER] [ARG...] */
    if (n_args > 0 && !find_command(args[0]) && is_server_name(args[0])) {
        server_name = args[0];
        args++;
        n_args--;
    }
    if (n_args < 1) {
        vs_fatal(0, "missing command name (use --help for help)");
    }
    const struct command *cmd = find_command(args[0]);
    if (!cmd) {
        vs_fatal(0, "unknown command \"%s\" (use --help for help)",
                 args[0]);
    }
    args++;
    n_args--;
    if (n_args > 0 && !server_name && is_server_name(args[0])) {
        server_name = args[0];
        args++;
        n_args--;
    }
    if (n_args < cmd->min_args || n_args > cmd->max_args) {
        int n = n_args < cmd->min_args ? cmd->min_args : cmd->max_args;
        vs_fatal(0, "\"%s\" command takes %s%d argument%s, %d given "
                 "(use --help for help)", cmd->name,
                 (cmd->min_args == cmd->max_args ? ""
                  : n_args < cmd->min_args ? "at least " : "at most "),
                 n, n == 1 ? "" : "s", n_args);
    }

    char *default_server = NULL;
    if (!server_name) {
        default_server = xasprintf("unix:%s/db.sock", vs_rundir());
        server_name = default_server;
    }
    if (timeout_secs) {
        deadline = time_msec() + timeout_secs * 1000LL;
    }

    cmd->handler(n_args, args);

    flush_stdout();
    jsonrpc_close(rpc);
    for (size_t i = 0; i < n_db_names; i++) {
        free(db_names[i]);
    }
    free(db_names);
    free(default_server);
    return 0;
}

/* Flushes stdout, exiting if output failed: quietly if the reader went
 * away ("monitor | head"), else with a message. */
static void
flush_stdout(void)
{
    if (fflush(stdout) || ferror(stdout)) {
        if (errno == EPIPE) {
            exit(EXIT_FAILURE);
        }
        vs_fatal(errno, "error writing output");
    }
}

/* Called when --timeout expires. */
static void VS_NO_RETURN
timeout_expired(bool runs_forever)
{
    if (runs_forever) {
        flush_stdout();
        exit(EXIT_SUCCESS);
    }
    vs_fatal(0, "%s: timed out after %u second%s", server_name,
             timeout_secs, timeout_secs == 1 ? "" : "s");
}

/* Options. */

static void
parse_options(int argc, char *argv[])
{
    enum {
        OPT_PRETTY = UCHAR_MAX + 1,
        OPT_TIMEOUT,
        OPT_NO_MONITOR_COND,
        VLOG_OPTION_ENUMS,
        STREAM_SSL_OPTION_ENUMS
    };
    static const struct option long_options[] = {
        {"format", required_argument, NULL, 'f'},
        {"pretty", no_argument, NULL, OPT_PRETTY},
        {"timeout", required_argument, NULL, OPT_TIMEOUT},
        {"no-monitor-cond", no_argument, NULL, OPT_NO_MONITOR_COND},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        VLOG_LONG_OPTIONS,
        STREAM_SSL_LONG_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    char *short_options = long_options_to_short_options(long_options);

    for (;;) {
        int c = getopt_long(argc, argv, short_options, long_options, NULL);
        if (c == -1) {
            break;
        }

        switch (c) {
        case 'f':
            if (!strcmp(optarg, "table")) {
                output_format = FMT_TABLE;
            } else if (!strcmp(optarg, "json")) {
                output_format = FMT_JSON;
            } else {
                vs_fatal(0, "unknown output format \"%s\" (use \"table\" or "
                         "\"json\")", optarg);
            }
            break;

        case OPT_PRETTY:
            pretty_json = true;
            break;

        case OPT_TIMEOUT:
            if (!str_to_uint(optarg, &timeout_secs) || !timeout_secs
                || timeout_secs > INT_MAX / 1000) {
                vs_fatal(0, "value \"%s\" on --timeout is invalid (a "
                         "positive number of seconds is required)", optarg);
            }
            break;

        case OPT_NO_MONITOR_COND:
            use_monitor_cond = false;
            break;

        case 'h':
            usage();

        case 'V':
            vs_print_version();
            exit(EXIT_SUCCESS);

        VLOG_OPTION_HANDLERS
        STREAM_SSL_OPTION_HANDLERS

        case '?':
            exit(EXIT_FAILURE);

        default:
            vs_abort(0, "unexpected option %d", c);
        }
    }
    free(short_options);
}

static void
usage(void)
{
    printf("\
%s: command-line client for OVSDB servers\n\
usage: %s [OPTIONS] [SERVER] COMMAND [ARG...]\n\
\n\
SERVER is an OVSDB server to connect to (unix:PATH, tcp:HOST:PORT,\n\
ssl:HOST:PORT) or a passive name (punix:PATH, ptcp:PORT[:HOST],\n\
pssl:PORT[:HOST]) on which to wait for the server to connect; it may also\n\
follow COMMAND.  The default is unix:%s/db.sock.\n\
DB defaults to Open_vSwitch, or to the only database the server has.\n\
\n\
Commands:\n\
  list-dbs                   list the server's databases\n\
  get-schema [DB]            print DB's schema as JSON\n\
  list-tables [DB]           list DB's tables\n\
  list-columns [DB] [TABLE]  list the columns of TABLE (or all tables)\n\
  transact JSON              run the transaction JSON, [DB, OP...], and\n\
                             print the results as JSON\n\
  query JSON                 like transact, but never commits\n\
  dump [DB] [TABLE [COLUMN...]]\n\
                             print the contents of DB (or of TABLE)\n\
  monitor [DB] TABLE [COLUMN[,COLUMN]...]...\n\
                             print TABLE's rows, then every change to them,\n\
                             until killed\n\
  lock NAME                  acquire lock NAME and hold it until killed,\n\
                             printing when it is locked or stolen\n\
  steal NAME                 like lock, but take NAME from its owner\n\
\n\
Output options:\n\
  -f, --format=FORMAT        tables as \"table\" (default) or \"json\"\n\
  --pretty                   indent JSON output\n\
\n\
Other options:\n\
  --timeout=SECS             give up after SECS seconds (monitor, lock and\n\
                             steal stop then, with exit status 0)\n\
  --no-monitor-cond          monitor with RFC 7047 \"monitor\" requests\n\
                             even if the server knows \"monitor_cond\"\n\
  -h, --help                 display this help message\n\
  -V, --version              display version information\n",
           program_name, program_name, vs_rundir());
    printf("\nSSL options (for ssl: and pssl:):\n");
    stream_ssl_usage();
    vlog_usage();
    exit(EXIT_SUCCESS);
}

/* Output helpers. */

static void
print_json(const json_t *json)
{
    size_t flags = JSON_SORT_KEYS | JSON_ENCODE_ANY;
    flags |= pretty_json ? JSON_INDENT(4) : JSON_COMPACT;

    char *s = json_dumps(json, flags);
    if (!s) {
        vs_fatal(0, "cannot serialize JSON output");
    }
    puts(s);
    free(s);
}

static char *
json_to_compact_string(const json_t *json)
{
    char *s = json_dumps(json, (JSON_SORT_KEYS | JSON_ENCODE_ANY
                                | JSON_COMPACT));
    return s ? s : xstrdup("(unprintable JSON)");
}

/* A table of text (and JSON) cells, printed as aligned columns with
 * headings, or as a JSON object {"caption", "headings", "data"}. */
struct cell {
    char *text;                 /* For FMT_TABLE. */
    json_t *json;               /* For FMT_JSON. */
};

struct table {
    char *caption;              /* May be NULL. */
    char **headings;
    size_t n_columns;
    struct cell *cells;         /* n_rows * n_columns, row by row. */
    size_t n_rows, allocated_rows;
};

static void
table_init(struct table *t, const char *caption)
{
    memset(t, 0, sizeof *t);
    t->caption = caption ? xstrdup(caption) : NULL;
}

static void
table_add_column(struct table *t, const char *heading)
{
    vs_assert(!t->n_rows);
    t->headings = xrealloc(t->headings,
                           (t->n_columns + 1) * sizeof *t->headings);
    t->headings[t->n_columns++] = xstrdup(heading);
}

/* Adds a row of empty cells and returns it; the caller fills in each cell
 * of n_columns (text and json, either may be left NULL for a blank). */
static struct cell *
table_add_row(struct table *t)
{
    if (t->n_rows >= t->allocated_rows) {
        t->allocated_rows = t->allocated_rows ? 2 * t->allocated_rows : 8;
        t->cells = xrealloc(t->cells, (t->allocated_rows * t->n_columns
                                       * sizeof *t->cells));
    }
    struct cell *row = &t->cells[t->n_rows++ * t->n_columns];
    memset(row, 0, t->n_columns * sizeof *row);
    return row;
}

static void
table_destroy(struct table *t)
{
    for (size_t i = 0; i < t->n_rows * t->n_columns; i++) {
        free(t->cells[i].text);
        json_decref(t->cells[i].json);
    }
    for (size_t i = 0; i < t->n_columns; i++) {
        free(t->headings[i]);
    }
    free(t->cells);
    free(t->headings);
    free(t->caption);
}

/* Returns the number of characters in UTF-8 string S. */
static size_t
utf8_width(const char *s)
{
    size_t n = 0;
    for (; *s; s++) {
        n += ((unsigned char) *s & 0xc0) != 0x80;
    }
    return n;
}

static void
put_padded(struct ds *out, const char *s, size_t width, bool last)
{
    ds_put_cstr(out, s);
    if (!last) {
        ds_put_char_multiple(out, ' ', width - utf8_width(s) + 1);
    }
}

/* Prints T in the output format.  Between tables, a blank line. */
static void
table_print(const struct table *t)
{
    static bool printed_one;

    if (output_format == FMT_JSON) {
        json_t *obj = json_object();
        json_t *headings = json_array();
        json_t *data = json_array();

        if (t->caption) {
            json_object_set_new(obj, "caption", json_string(t->caption));
        }
        for (size_t i = 0; i < t->n_columns; i++) {
            json_array_append_new(headings, json_string(t->headings[i]));
        }
        for (size_t r = 0; r < t->n_rows; r++) {
            const struct cell *row = &t->cells[r * t->n_columns];
            json_t *jrow = json_array();
            for (size_t i = 0; i < t->n_columns; i++) {
                json_array_append(jrow,
                                  row[i].json ? row[i].json : json_null());
            }
            json_array_append_new(data, jrow);
        }
        json_object_set_new(obj, "headings", headings);
        json_object_set_new(obj, "data", data);
        print_json(obj);
        json_decref(obj);
        flush_stdout();
        return;
    }

    size_t *widths = xcalloc(t->n_columns, sizeof *widths);
    for (size_t i = 0; i < t->n_columns; i++) {
        widths[i] = utf8_width(t->headings[i]);
        for (size_t r = 0; r < t->n_rows; r++) {
            const char *text = t->cells[r * t->n_columns + i].text;
            widths[i] = MAX(widths[i], utf8_width(text ? text : ""));
        }
    }

    struct ds out = DS_EMPTY_INITIALIZER;
    if (printed_one) {
        ds_put_char(&out, '\n');
    }
    printed_one = true;
    if (t->caption) {
        ds_put_format(&out, "%s\n", t->caption);
    }
    for (size_t i = 0; i < t->n_columns; i++) {
        put_padded(&out, t->headings[i], widths[i], i == t->n_columns - 1);
    }
    ds_put_char(&out, '\n');
    for (size_t i = 0; i < t->n_columns; i++) {
        ds_put_char_multiple(&out, '-', widths[i]);
        if (i < t->n_columns - 1) {
            ds_put_char(&out, ' ');
        }
    }
    ds_put_char(&out, '\n');
    for (size_t r = 0; r < t->n_rows; r++) {
        const struct cell *row = &t->cells[r * t->n_columns];

        /* Trailing blank cells are not padded either. */
        size_t n = t->n_columns;
        while (n > 1 && (!row[n - 1].text || !row[n - 1].text[0])) {
            n--;
        }
        for (size_t i = 0; i < n; i++) {
            put_padded(&out, row[i].text ? row[i].text : "", widths[i],
                       i == n - 1);
        }
        ds_put_char(&out, '\n');
    }
    fputs(ds_cstr(&out), stdout);
    flush_stdout();
    ds_destroy(&out);
    free(widths);
}

/* The connection. */

/* Exits (as --timeout says) if it expired. */
static void
check_deadline(void)
{
    if (time_msec() >= deadline) {
        timeout_expired(false);
    }
}

/* Makes poll_block() wake up when --timeout expires. */
static void
wait_deadline(void)
{
    if (deadline != LLONG_MAX) {
        poll_timer_wait_until(deadline);
    }
}

/* Returns the milliseconds left until --timeout, or -1 for no limit. */
static long long int
remaining_msec(void)
{
    return (deadline == LLONG_MAX ? -1 : MAX(deadline - time_msec(), 1));
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

    if (!pstream_verify_name(server_name)) {
        struct pstream *listener;

        error = pstream_open(server_name, &listener);
        if (error) {
            vs_fatal(error, "failed to listen on \"%s\"", server_name);
        }
        for (;;) {
            error = pstream_accept(listener, &stream);
            if (!error) {
                break;
            } else if (error != EAGAIN) {
                vs_fatal(error, "%s: accept failed", server_name);
            }
            check_deadline();
            pstream_wait(listener);
            wait_deadline();
            poll_block();
        }
        pstream_close(listener);
        error = stream_open_block(0, remaining_msec(), &stream);
    } else {
        error = stream_open_block(stream_open(server_name, &stream),
                                  remaining_msec(), &stream);
    }
    if (error == ETIMEDOUT) {
        timeout_expired(false);
    } else if (error) {
        vs_fatal(error, "failed to connect to \"%s\"", server_name);
    }
    rpc = jsonrpc_open(stream);
}

/* Handles a message that is not the reply being waited for. */
typedef void notification_handler(const struct jsonrpc_msg *);

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
        VLOG_DBG("%s: ignoring unexpected %s", server_name,
                 jsonrpc_msg_type_to_string(msg->type));
    }
}

static void VS_NO_RETURN
connection_failed(int error)
{
    if (error == EOF) {
        vs_fatal(0, "%s: connection closed by server", server_name);
    }
    vs_fatal(error, "%s: connection failed", server_name);
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
        if (time_msec() >= deadline) {
            timeout_expired(runs_forever);
        }
        jsonrpc_wait(rpc);
        jsonrpc_recv_wait(rpc);
        wait_deadline();
        poll_block();
    }
}

/* Sends a METHOD request with PARAMS (taken over) and returns the reply or
 * error message (the caller destroys it).  Notifications that arrive
 * meanwhile go to HANDLER. */
static struct jsonrpc_msg *
rpc_request(const char *method, json_t *params,
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

/* Returns true if ERROR, a JSON-RPC error, says "unknown method" (as a
 * bare string, as Open vSwitch sends it, or as an error object). */
static bool
is_unknown_method(const json_t *error)
{
    if (json_is_object(error)) {
        error = json_object_get(error, "error");
    }
    return json_is_string(error)
           && !strcmp(json_string_value(error), "unknown method");
}

/* Like rpc_request() but returns only the result (a new reference),
 * exiting with a message on an error reply. */
static json_t *
rpc_call(const char *method, json_t *params)
{
    struct jsonrpc_msg *reply = rpc_request(method, params, NULL);
    if (reply->type == JSONRPC_ERROR) {
        char *s = json_to_compact_string(reply->error);
        vs_fatal(0, "%s: \"%s\" request failed: %s", server_name, method, s);
    }
    json_t *result = json_incref(reply->result);
    jsonrpc_msg_destroy(reply);
    return result;
}

/* Databases and schemas. */

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
    json_t *result = rpc_call("list_dbs", json_array());
    if (!json_is_array(result)) {
        vs_fatal(0, "%s: list_dbs reply is not an array", server_name);
    }
    n_db_names = json_array_size(result);
    db_names = xcalloc(n_db_names + 1, sizeof *db_names);
    for (size_t i = 0; i < n_db_names; i++) {
        const json_t *name = json_array_get(result, i);
        if (!json_is_string(name)) {
            vs_fatal(0, "%s: list_dbs reply contains a non-string",
                     server_name);
        }
        db_names[i] = xstrdup(json_string_value(name));
    }
    qsort(db_names, n_db_names, sizeof *db_names, compare_strings);
    json_decref(result);
    have_db_names = true;
}

static bool
db_exists(const char *name)
{
    fetch_dbs();
    for (size_t i = 0; i < n_db_names; i++) {
        if (!strcmp(db_names[i], name)) {
            return true;
        }
    }
    return false;
}

/* The database to use when none is named: Open_vSwitch, or else the only
 * database that is not internal (whose name does not begin with '_'). */
static const char *
default_db(void)
{
    const char *found = NULL;
    size_t n = 0;

    if (db_exists("Open_vSwitch")) {
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
        vs_fatal(0, "%s: server has no databases", server_name);
    }
    vs_fatal(0, "%s: server has %zu databases and none is Open_vSwitch: "
             "please name one", server_name, n);
}

static const char *
check_db(const char *name)
{
    if (!db_exists(name)) {
        vs_fatal(0, "%s: no database named \"%s\"", server_name, name);
    }
    return name;
}

static json_t *
fetch_schema_json(const char *db)
{
    return rpc_call("get_schema", json_pack("[s]", db));
}

static struct ovsdb_schema *
fetch_schema(const char *db)
{
    struct ovsdb_schema *schema;
    json_t *json = fetch_schema_json(db);
    struct ovsdb_error *error = ovsdb_schema_from_json(json, &schema);
    if (error) {
        char *s = ovsdb_error_to_string_free(error);
        vs_fatal(0, "%s: cannot parse the schema of \"%s\": %s",
                 server_name, db, s);
    }
    json_decref(json);
    return schema;
}

/* Returns SCHEMA's table NAME.  If there is none, reports the error,
 * frees SCHEMA and exits. */
static const struct ovsdb_table_schema *
get_table(struct ovsdb_schema *schema, const char *name)
{
    const struct ovsdb_table_schema *table
        = ovsdb_schema_get_table(schema, name);
    if (!table) {
        vs_error(0, "database \"%s\" has no table named \"%s\"",
                 schema->name, name);
        ovsdb_schema_destroy(schema);
        exit(EXIT_FAILURE);
    }
    return table;
}

/* Returns TABLE's column NAME, TABLE being one of SCHEMA's tables.  If
 * there is none, reports the error, frees SCHEMA and exits. */
static const struct ovsdb_column *
get_column(struct ovsdb_schema *schema,
           const struct ovsdb_table_schema *table, const char *name)
{
    const struct ovsdb_column *column
        = ovsdb_table_schema_get_column(table, name);
    if (!column) {
        vs_error(0, "table \"%s\" has no column named \"%s\"",
                 table->name, name);
        ovsdb_schema_destroy(schema);
        exit(EXIT_FAILURE);
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

/* Returns TABLE's columns, "_uuid" and "_version" first if WITH_STD, then
 * the others in name order, and their number in *N.  The caller frees
 * the array. */
static const struct ovsdb_column **
sorted_columns(const struct ovsdb_table_schema *table, bool with_std,
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

/* Column values received from a server.  They are parsed with a type that
 * keeps the column's shape but drops its constraints: a server may hold
 * values (such as defaults) that break them, and they are still worth
 * printing. */
struct col {
    const struct ovsdb_column *column;
    struct ovsdb_type type;     /* column->type without constraints. */
};

static void
col_init(struct col *col, const struct ovsdb_column *column)
{
    col->column = column;
    ovsdb_type_clone(&col->type, &column->type);
    ovsdb_base_type_clear_constraints(&col->type.key);
    ovsdb_base_type_clear_constraints(&col->type.value);
}

static void
col_destroy(struct col *col)
{
    ovsdb_type_destroy(&col->type);
}

/* Parses VALUE from the server as a datum of TYPE into DATUM, exiting on
 * error. */
static void
parse_value(struct ovsdb_datum *datum, const struct ovsdb_type *type,
            const json_t *value, const char *table, const char *column)
{
    struct ovsdb_error *error = ovsdb_datum_from_json(datum, type, value,
                                                      NULL);
    if (error) {
        char *s = ovsdb_error_to_string_free(error);
        vs_fatal(0, "%s: bad value for column \"%s\" of table \"%s\": %s",
                 server_name, column, table, s);
    }
}

/* A row as received: the row's uuid and one datum per struct col. */
struct row {
    struct uuid uuid;
    struct ovsdb_datum *data;
};

/* Parses JSON, a <row> object, into ROW's data for the N COLS.  Columns
 * that JSON lacks get their default values. */
static void
parse_row(struct row *row, const json_t *json, const struct col *cols,
          size_t n, const char *table)
{
    if (!json_is_object(json)) {
        vs_fatal(0, "%s: received a row that is not a JSON object",
                 server_name);
    }
    row->data = xcalloc(n, sizeof *row->data);
    for (size_t i = 0; i < n; i++) {
        const json_t *value = json_object_get(json, cols[i].column->name);
        if (value) {
            parse_value(&row->data[i], &cols[i].type, value, table,
                        cols[i].column->name);
        } else {
            ovsdb_datum_init_default(&row->data[i], &cols[i].type);
        }
    }
}

static void
row_destroy_data(struct ovsdb_datum *data, const struct col *cols, size_t n)
{
    if (data) {
        for (size_t i = 0; i < n; i++) {
            ovsdb_datum_destroy(&data[i], &cols[i].type);
        }
        free(data);
    }
}

static int
compare_column(const struct row *a, const struct row *b,
               const struct col *col, size_t i)
{
    return ovsdb_datum_compare_3way(&a->data[i], &b->data[i], &col->type);
}

/* Compares rows A and B of TABLE (with the N COLS) for a stable output
 * order: by the columns of TABLE's first index that are among COLS (so
 * that rows with a "name" index come in name order), then column by
 * column, skipping "_uuid", then by uuid. */
static int
compare_rows(const struct row *a, const struct row *b,
             const struct ovsdb_table_schema *table,
             const struct col *cols, size_t n)
{
    int cmp;

    if (table->n_indexes) {
        const struct ovsdb_column_set *index = &table->indexes[0];
        for (size_t k = 0; k < index->n; k++) {
            for (size_t i = 0; i < n; i++) {
                if (cols[i].column == index->columns[k]
                    && (cmp = compare_column(a, b, &cols[i], i))) {
                    return cmp;
                }
            }
        }
    }
    for (size_t i = 0; i < n; i++) {
        if (cols[i].column->index != OVSDB_COL_UUID
            && (cmp = compare_column(a, b, &cols[i], i))) {
            return cmp;
        }
    }
    return uuid_compare_3way(&a->uuid, &b->uuid);
}

struct sort_ctx {
    const struct ovsdb_table_schema *table;
    const struct col *cols;
    size_t n;
};

static int
compare_rows_qsort(const void *a, const void *b, void *ctx_)
{
    const struct sort_ctx *ctx = ctx_;
    return compare_rows(a, b, ctx->table, ctx->cols, ctx->n);
}

static void
fill_cell(struct cell *cell, const struct ovsdb_datum *datum,
          const struct ovsdb_type *type)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    ovsdb_datum_to_string(datum, type, &s);
    cell->text = ds_steal_cstr(&s);
    cell->json = ovsdb_datum_to_json(datum, type);
}

/* Commands. */

static void
do_list_dbs(int argc VS_UNUSED, char *argv[] VS_UNUSED)
{
    fetch_dbs();
    for (size_t i = 0; i < n_db_names; i++) {
        puts(db_names[i]);
    }
}

static void
do_get_schema(int argc, char *argv[])
{
    const char *db = argc > 0 ? check_db(argv[0]) : default_db();
    json_t *schema = fetch_schema_json(db);
    print_json(schema);
    json_decref(schema);
}

static void
do_list_tables(int argc, char *argv[])
{
    const char *db = argc > 0 ? check_db(argv[0]) : default_db();
    struct ovsdb_schema *schema = fetch_schema(db);
    const struct shash_node **nodes = shash_sort(&schema->tables);
    struct table t;

    table_init(&t, NULL);
    table_add_column(&t, "Table");
    for (size_t i = 0; i < shash_count(&schema->tables); i++) {
        struct cell *row = table_add_row(&t);
        row->text = xstrdup(nodes[i]->name);
        row->json = json_string(nodes[i]->name);
    }
    table_print(&t);
    table_destroy(&t);
    free(nodes);
    ovsdb_schema_destroy(schema);
}

static void
add_column_rows(struct table *t, const struct ovsdb_table_schema *table,
                bool with_table_name)
{
    size_t n;
    const struct ovsdb_column **columns = sorted_columns(table, true, &n);

    for (size_t i = 0; i < n; i++) {
        struct cell *row = table_add_row(t);
        if (with_table_name) {
            row->text = xstrdup(table->name);
            row->json = json_string(table->name);
            row++;
        }
        row[0].text = xstrdup(columns[i]->name);
        row[0].json = json_string(columns[i]->name);
        row[1].json = ovsdb_type_to_json(&columns[i]->type);
        row[1].text = json_to_compact_string(row[1].json);
    }
    free(columns);
}

static void
do_list_columns(int argc, char *argv[])
{
    const char *db, *table_name;

    if (argc == 2) {
        db = check_db(argv[0]);
        table_name = argv[1];
    } else if (argc == 1 && db_exists(argv[0])) {
        db = argv[0];
        table_name = NULL;
    } else {
        db = default_db();
        table_name = argc ? argv[0] : NULL;
    }

    struct ovsdb_schema *schema = fetch_schema(db);
    struct table t;
    table_init(&t, NULL);
    if (table_name) {
        const struct ovsdb_table_schema *table = get_table(schema,
                                                           table_name);
        table_add_column(&t, "Column");
        table_add_column(&t, "Type");
        add_column_rows(&t, table, false);
    } else {
        const struct shash_node **nodes = shash_sort(&schema->tables);
        table_add_column(&t, "Table");
        table_add_column(&t, "Column");
        table_add_column(&t, "Type");
        for (size_t i = 0; i < shash_count(&schema->tables); i++) {
            add_column_rows(&t, nodes[i]->data, true);
        }
        free(nodes);
    }
    table_print(&t);
    table_destroy(&t);
    ovsdb_schema_destroy(schema);
}

/* Parses the transaction argument S: a JSON array [DB, OP...]. */
static json_t *
parse_transaction(const char *s)
{
    json_error_t jerror;
    json_t *json = json_loads(s, JSON_DECODE_ANY, &jerror);

    if (!json) {
        vs_fatal(0, "transaction is not valid JSON: %s (at line %d, "
                 "column %d)", jerror.text, jerror.line, jerror.column);
    }
    if (!json_is_array(json) || !json_array_size(json)
        || !json_is_string(json_array_get(json, 0))) {
        vs_fatal(0, "transaction must be a JSON array whose first element "
                 "is a database name, like [\"DB\", {\"op\": ...}, ...]");
    }
    for (size_t i = 1; i < json_array_size(json); i++) {
        if (!json_is_object(json_array_get(json, i))) {
            vs_fatal(0, "transaction operation %zu is not a JSON object",
                     i);
        }
    }
    return json;
}

static void
run_transaction(const char *arg, bool query)
{
    json_t *params = parse_transaction(arg);
    size_t n_ops = json_array_size(params) - 1;

    if (query) {
        json_array_append_new(params, json_pack("{s:s}", "op", "abort"));
    }

    struct jsonrpc_msg *reply = rpc_request("transact", params, NULL);
    if (reply->type == JSONRPC_ERROR) {
        char *s = json_to_compact_string(reply->error);
        vs_fatal(0, "transaction error: %s", s);
    }

    json_t *results = reply->result;
    if (!json_is_array(results)) {
        vs_fatal(0, "%s: transact reply is not an array", server_name);
    }
    if (query && json_array_size(results) == n_ops + 1) {
        /* The result of our "abort": its "aborted" error, or null if an
         * earlier operation failed. */
        const json_t *last = json_array_get(results, n_ops);
        const json_t *error = json_object_get(last, "error");
        if (json_is_null(last)
            || (json_is_string(error)
                && !strcmp(json_string_value(error), "aborted"))) {
            json_array_remove(results, n_ops);
        }
    }
    print_json(results);

    for (size_t i = 0; i < json_array_size(results); i++) {
        const json_t *result = json_array_get(results, i);
        if (json_is_object(result) && json_object_get(result, "error")) {
            char *s = json_to_compact_string(result);
            flush_stdout();
            vs_fatal(0, "transaction error: %s", s);
        }
    }
    jsonrpc_msg_destroy(reply);
}

static void
do_transact(int argc VS_UNUSED, char *argv[])
{
    run_transaction(argv[0], false);
}

static void
do_query(int argc VS_UNUSED, char *argv[])
{
    run_transaction(argv[0], true);
}

/* dump */

static void
print_dump_table(const struct ovsdb_table_schema *table,
                 const struct col *cols, size_t n, const json_t *rows)
{
    size_t n_rows = json_array_size(rows);
    struct row *r = xcalloc(n_rows, sizeof *r);

    for (size_t i = 0; i < n_rows; i++) {
        parse_row(&r[i], json_array_get(rows, i), cols, n, table->name);
        for (size_t j = 0; j < n; j++) {
            if (cols[j].column->index == OVSDB_COL_UUID
                && r[i].data[j].n == 1) {
                r[i].uuid = r[i].data[j].keys[0].uuid;
            }
        }
    }
    struct sort_ctx ctx = { table, cols, n };
    qsort_r(r, n_rows, sizeof *r, compare_rows_qsort, &ctx);

    char *caption = xasprintf("%s table", table->name);
    struct table t;
    table_init(&t, caption);
    free(caption);
    for (size_t j = 0; j < n; j++) {
        table_add_column(&t, cols[j].column->name);
    }
    for (size_t i = 0; i < n_rows; i++) {
        struct cell *cells = table_add_row(&t);
        for (size_t j = 0; j < n; j++) {
            fill_cell(&cells[j], &r[i].data[j], &cols[j].type);
        }
        row_destroy_data(r[i].data, cols, n);
    }
    table_print(&t);
    table_destroy(&t);
    free(r);
}

static void
do_dump(int argc, char *argv[])
{
    const char *db;

    if (argc > 0 && db_exists(argv[0])) {
        db = argv[0];
        argc--;
        argv++;
    } else {
        db = default_db();
    }

    struct ovsdb_schema *schema = fetch_schema(db);
    const struct ovsdb_table_schema **tables;
    size_t n_tables;
    if (argc > 0) {
        tables = xmalloc(sizeof *tables);
        tables[0] = get_table(schema, argv[0]);
        n_tables = 1;
        argc--;
        argv++;
    } else {
        const struct shash_node **nodes = shash_sort(&schema->tables);
        n_tables = shash_count(&schema->tables);
        tables = xcalloc(n_tables + 1, sizeof *tables);
        for (size_t i = 0; i < n_tables; i++) {
            tables[i] = nodes[i]->data;
        }
        free(nodes);
    }

    /* Columns of each table: those named, or "_uuid" and then the rest. */
    struct col **cols = xcalloc(n_tables, sizeof *cols);
    size_t *n_cols = xcalloc(n_tables, sizeof *n_cols);
    json_t *params = json_pack("[s]", db);
    for (size_t i = 0; i < n_tables; i++) {
        const struct ovsdb_column **columns;
        size_t n;

        if (argc > 0) {
            columns = xcalloc(argc, sizeof *columns);
            for (n = 0; n < (size_t) argc; n++) {
                columns[n] = get_column(schema, tables[i], argv[n]);
                for (size_t k = 0; k < n; k++) {
                    if (columns[k] == columns[n]) {
                        vs_fatal(0, "column \"%s\" is named twice",
                                 argv[n]);
                    }
                }
            }
        } else {
            /* "_uuid", then the others; "_version" changes with every
             * update, so it is left out. */
            columns = sorted_columns(tables[i], false, &n);
            columns = xrealloc(columns, (n + 1) * sizeof *columns);
            memmove(&columns[1], &columns[0], n * sizeof *columns);
            columns[0] = ovsdb_table_schema_column(tables[i],
                                                   OVSDB_COL_UUID);
            n++;
        }

        json_t *names = json_array();
        cols[i] = xcalloc(n, sizeof **cols);
        n_cols[i] = n;
        for (size_t j = 0; j < n; j++) {
            col_init(&cols[i][j], columns[j]);
            json_array_append_new(names, json_string(columns[j]->name));
        }
        free(columns);
        json_array_append_new(params, json_pack("{s:s, s:s, s:[], s:o}",
                                                "op", "select",
                                                "table", tables[i]->name,
                                                "where",
                                                "columns", names));
    }

    struct jsonrpc_msg *reply = rpc_request("transact", params, NULL);
    if (reply->type == JSONRPC_ERROR) {
        char *s = json_to_compact_string(reply->error);
        vs_fatal(0, "transaction error: %s", s);
    }
    const json_t *results = reply->result;
    if (!json_is_array(results) || json_array_size(results) < n_tables) {
        char *s = json_to_compact_string(results);
        vs_fatal(0, "%s: unexpected reply to dump transaction: %s",
                 server_name, s);
    }
    for (size_t i = 0; i < n_tables; i++) {
        const json_t *result = json_array_get(results, i);
        const json_t *rows = json_object_get(result, "rows");
        if (!json_is_array(rows)) {
            char *s = json_to_compact_string(result);
            vs_fatal(0, "transaction error: %s", s);
        }
        print_dump_table(tables[i], cols[i], n_cols[i], rows);
    }
    jsonrpc_msg_destroy(reply);

    for (size_t i = 0; i < n_tables; i++) {
        for (size_t j = 0; j < n_cols[i]; j++) {
            col_destroy(&cols[i][j]);
        }
        free(cols[i]);
    }
    free(cols);
    free(n_cols);
    free(tables);
    ovsdb_schema_destroy(schema);
}

/* monitor */

/* What the monitor knows, kept up to date from updates: with
 * "update2" notifications the server sends only what changed, and for a
 * deletion nothing at all, so the client must remember each row. */
struct monitor {
    struct ovsdb_schema *schema;        /* Owns 'table' and the columns. */
    const struct ovsdb_table_schema *table;
    struct col *cols;
    size_t n_cols;
    bool v2;                    /* monitor_cond / update2 in use. */
    struct shash rows;          /* uuid text -> struct ovsdb_datum[n_cols] */
};

static struct monitor mon;

enum event_type { EV_INITIAL, EV_INSERT, EV_MODIFY, EV_DELETE };

/* One row's change in one update. */
struct event {
    enum event_type type;
    struct row row;             /* New contents (old ones for EV_DELETE). */
    struct ovsdb_datum *old;    /* EV_MODIFY: old values, NULL if absent */
    bool *changed;              /* EV_MODIFY: which columns changed. */
};

static const char *
event_type_name(enum event_type type)
{
    return (type == EV_INITIAL ? "initial"
            : type == EV_INSERT ? "insert"
            : type == EV_MODIFY ? "modify"
            : "delete");
}

static struct ovsdb_datum *
clone_data(const struct ovsdb_datum *data)
{
    struct ovsdb_datum *copy = xcalloc(mon.n_cols, sizeof *copy);
    for (size_t i = 0; i < mon.n_cols; i++) {
        ovsdb_datum_clone(&copy[i], &data[i], &mon.cols[i].type);
    }
    return copy;
}

static void
remember_row(const char *uuid_s, const struct ovsdb_datum *data)
{
    struct ovsdb_datum *old = shash_replace(&mon.rows, uuid_s,
                                            clone_data(data));
    row_destroy_data(old, mon.cols, mon.n_cols);
}

static void event_destroy(struct event *);

/* Returns true if EV, a modification, changed a column; otherwise destroys
 * EV and returns false. */
static bool
event_has_changes(struct event *ev)
{
    for (size_t i = 0; i < mon.n_cols; i++) {
        if (ev->changed[i]) {
            return true;
        }
    }
    event_destroy(ev);
    return false;
}

/* Parses one row update, UPDATE, for the row UUID_S into EVENT.  Returns
 * false if there is nothing to print. */
static bool
parse_row_update(const char *uuid_s, const json_t *update, bool initial,
                 struct event *ev)
{
    const char *table = mon.table->name;

    memset(ev, 0, sizeof *ev);
    if (!uuid_from_string(&ev->row.uuid, uuid_s) || !json_is_object(update)) {
        vs_fatal(0, "%s: malformed update for table \"%s\"", server_name,
                 table);
    }

    const json_t *value;
    if (!mon.v2) {
        const json_t *old = json_object_get(update, "old");
        const json_t *new = json_object_get(update, "new");
        if (new && !old) {
            ev->type = initial ? EV_INITIAL : EV_INSERT;
            parse_row(&ev->row, new, mon.cols, mon.n_cols, table);
        } else if (old && !new) {
            ev->type = EV_DELETE;
            parse_row(&ev->row, old, mon.cols, mon.n_cols, table);
        } else if (old && new) {
            ev->type = EV_MODIFY;
            parse_row(&ev->row, new, mon.cols, mon.n_cols, table);
            ev->old = xcalloc(mon.n_cols, sizeof *ev->old);
            ev->changed = xcalloc(mon.n_cols, sizeof *ev->changed);
            for (size_t i = 0; i < mon.n_cols; i++) {
                const json_t *v = json_object_get(old,
                                                  mon.cols[i].column->name);
                if (v) {
                    parse_value(&ev->old[i], &mon.cols[i].type, v, table,
                                mon.cols[i].column->name);
                    ev->changed[i] = true;
                }
            }
            return event_has_changes(ev);
        } else {
            return false;
        }
    } else if ((value = json_object_get(update, "initial"))
               || (value = json_object_get(update, "insert"))) {
        ev->type = (json_object_get(update, "initial") || initial
                    ? EV_INITIAL : EV_INSERT);
        parse_row(&ev->row, value, mon.cols, mon.n_cols, table);
        remember_row(uuid_s, ev->row.data);
    } else if (json_object_get(update, "delete")) {
        struct ovsdb_datum *data = shash_find_and_delete(&mon.rows, uuid_s);
        ev->type = EV_DELETE;
        if (data) {
            ev->row.data = data;
        } else {
            /* Unknown row: print blank values. */
            ev->row.data = xcalloc(mon.n_cols, sizeof *ev->row.data);
        }
    } else if ((value = json_object_get(update, "modify"))) {
        struct ovsdb_datum *data = shash_find_data(&mon.rows, uuid_s);
        if (!data || !json_is_object(value)) {
            vs_fatal(0, "%s: \"modify\" for unknown row %s in table \"%s\"",
                     server_name, uuid_s, table);
        }
        ev->type = EV_MODIFY;
        ev->old = xcalloc(mon.n_cols, sizeof *ev->old);
        ev->changed = xcalloc(mon.n_cols, sizeof *ev->changed);
        for (size_t i = 0; i < mon.n_cols; i++) {
            const struct col *col = &mon.cols[i];
            const json_t *v = json_object_get(value, col->column->name);
            if (!v) {
                continue;
            }

            struct ovsdb_type diff_type;
            struct ovsdb_datum diff;
            ovsdb_datum_diff_type(&diff_type, &col->type);
            parse_value(&diff, &diff_type, v, table, col->column->name);
            ovsdb_datum_clone(&ev->old[i], &data[i], &col->type);
            struct ovsdb_error *error = ovsdb_datum_apply_diff_in_place(
                &data[i], &diff, &col->type);
            if (error) {
                char *s = ovsdb_error_to_string_free(error);
                vs_fatal(0, "%s: bad \"modify\" of column \"%s\" of table "
                         "\"%s\": %s", server_name, col->column->name,
                         table, s);
            }
            ev->changed[i] = true;
            ovsdb_datum_destroy(&diff, &diff_type);
            ovsdb_type_destroy(&diff_type);
        }
        ev->row.data = clone_data(data);
        return event_has_changes(ev);
    } else {
        return false;
    }
    return true;
}

static int
compare_events(const void *a_, const void *b_)
{
    const struct event *a = a_;
    const struct event *b = b_;
    return compare_rows(&a->row, &b->row, mon.table, mon.cols,
                        mon.n_cols);
}

static void
event_destroy(struct event *ev)
{
    row_destroy_data(ev->row.data, mon.cols, mon.n_cols);
    if (ev->old) {
        for (size_t i = 0; i < mon.n_cols; i++) {
            if (ev->changed[i]) {
                ovsdb_datum_destroy(&ev->old[i], &mon.cols[i].type);
            }
        }
        free(ev->old);
    }
    free(ev->changed);
}

/* Prints TABLE_UPDATES (a <table-updates> or <table-updates2> object). */
static void
monitor_print_updates(const json_t *table_updates, bool initial)
{
    if (!json_is_object(table_updates)) {
        vs_fatal(0, "%s: malformed monitor update", server_name);
    }
    const json_t *updates = json_object_get(table_updates, mon.table->name);
    if (!updates) {
        return;
    }
    if (!json_is_object(updates)) {
        vs_fatal(0, "%s: malformed monitor update", server_name);
    }

    struct event *events = xcalloc(json_object_size(updates) + 1,
                                   sizeof *events);
    size_t n_events = 0;
    const char *uuid_s;
    const json_t *update;
    json_object_foreach ((json_t *) updates, uuid_s, update) {
        if (parse_row_update(uuid_s, update, initial, &events[n_events])) {
            n_events++;
        }
    }
    if (!n_events) {
        free(events);
        return;
    }
    qsort(events, n_events, sizeof *events, compare_events);

    struct table t;
    table_init(&t, NULL);
    table_add_column(&t, "row");
    table_add_column(&t, "action");
    for (size_t i = 0; i < mon.n_cols; i++) {
        table_add_column(&t, mon.cols[i].column->name);
    }
    for (size_t e = 0; e < n_events; e++) {
        struct event *ev = &events[e];
        char uuid[UUID_LEN + 1];

        uuid_format(&ev->row.uuid, uuid);
        if (ev->type == EV_MODIFY) {
            struct cell *cells = table_add_row(&t);
            cells[0].text = xstrdup(uuid);
            cells[0].json = json_string(uuid);
            cells[1].text = xstrdup("old");
            cells[1].json = json_string("old");
            for (size_t i = 0; i < mon.n_cols; i++) {
                if (ev->changed[i]) {
                    fill_cell(&cells[i + 2], &ev->old[i], &mon.cols[i].type);
                }
            }
        }

        struct cell *cells = table_add_row(&t);
        const char *action = (ev->type == EV_MODIFY ? "new"
                              : event_type_name(ev->type));
        cells[0].text = xstrdup(ev->type == EV_MODIFY ? "" : uuid);
        cells[0].json = json_string(uuid);
        cells[1].text = xstrdup(action);
        cells[1].json = json_string(action);
        for (size_t i = 0; i < mon.n_cols; i++) {
            fill_cell(&cells[i + 2], &ev->row.data[i], &mon.cols[i].type);
        }
        event_destroy(ev);
    }
    table_print(&t);
    table_destroy(&t);
    free(events);
}

static void
monitor_handle_notification(const struct jsonrpc_msg *msg)
{
    const char *method = mon.v2 ? "update2" : "update";
    if (!strcmp(msg->method, method) && json_is_array(msg->params)
        && json_array_size(msg->params) == 2) {
        monitor_print_updates(json_array_get(msg->params, 1), false);
    } else {
        VLOG_DBG("%s: ignoring \"%s\" notification", server_name,
                 msg->method);
    }
}

static void
do_monitor(int argc, char *argv[])
{
    const char *db;

    if (argc >= 2 && db_exists(argv[0])) {
        db = argv[0];
        argc--;
        argv++;
    } else {
        db = default_db();
    }

    /* The schema stays in use until the monitor exits. */
    mon.schema = fetch_schema(db);
    mon.table = get_table(mon.schema, argv[0]);
    argc--;
    argv++;

    const struct ovsdb_column **columns;
    size_t n = 0;
    if (argc > 0) {
        columns = xcalloc(mon.table->n_columns, sizeof *columns);
        for (int i = 0; i < argc; i++) {
            char *save_ptr = NULL;
            char *names = xstrdup(argv[i]);
            for (char *name = strtok_r(names, ",", &save_ptr); name;
                 name = strtok_r(NULL, ",", &save_ptr)) {
                const struct ovsdb_column *c
                    = ovsdb_table_schema_get_column(mon.table, name);
                if (!c) {
                    vs_error(0, "table \"%s\" has no column named \"%s\"",
                             mon.table->name, name);
                } else if (c->index == OVSDB_COL_UUID) {
                    vs_error(0, "column \"_uuid\" is always monitored (as "
                             "\"row\")");
                    c = NULL;
                } else {
                    for (size_t k = 0; k < n; k++) {
                        if (columns[k] == c) {
                            vs_error(0, "column \"%s\" is named twice",
                                     name);
                            c = NULL;
                            break;
                        }
                    }
                }
                if (!c) {
                    free(names);
                    free(columns);
                    ovsdb_schema_destroy(mon.schema);
                    exit(EXIT_FAILURE);
                }
                columns[n++] = c;
            }
            free(names);
        }
        if (!n) {
            free(columns);
            ovsdb_schema_destroy(mon.schema);
            vs_fatal(0, "no column names given");
        }
    } else {
        columns = sorted_columns(mon.table, false, &n);
    }

    json_t *names = json_array();
    mon.cols = xcalloc(n, sizeof *mon.cols);
    mon.n_cols = n;
    for (size_t i = 0; i < n; i++) {
        col_init(&mon.cols[i], columns[i]);
        json_array_append_new(names, json_string(columns[i]->name));
    }
    free(columns);
    shash_init(&mon.rows);

    /* monitor_cond, or RFC 7047 monitor if the server does not know it. */
    json_t *monitor_id = json_string("ovsdb-lite-client");
    struct jsonrpc_msg *reply = NULL;
    if (use_monitor_cond) {
        mon.v2 = true;
        reply = rpc_request("monitor_cond",
                            json_pack("[s, O, {s:[{s:O}]}]", db, monitor_id,
                                      mon.table->name, "columns", names),
                            monitor_handle_notification);
        if (reply->type == JSONRPC_ERROR
            && is_unknown_method(reply->error)) {
            VLOG_INFO("%s: server does not support monitor_cond, using "
                      "monitor", server_name);
            jsonrpc_msg_destroy(reply);
            reply = NULL;
        }
    }
    if (!reply) {
        mon.v2 = false;
        reply = rpc_request("monitor",
                            json_pack("[s, O, {s:{s:O}}]", db, monitor_id,
                                      mon.table->name, "columns", names),
                            monitor_handle_notification);
    }
    if (reply->type == JSONRPC_ERROR) {
        char *s = json_to_compact_string(reply->error);
        vs_fatal(0, "%s: monitor request failed: %s", server_name, s);
    }
    json_decref(monitor_id);
    json_decref(names);
    VLOG_INFO("%s: monitoring table %s of database %s with %s", server_name,
              mon.table->name, db, mon.v2 ? "monitor_cond" : "monitor");
    monitor_print_updates(reply->result, true);
    jsonrpc_msg_destroy(reply);

    for (;;) {
        struct jsonrpc_msg *msg = recv_msg(true);
        handle_other_msg(msg, monitor_handle_notification);
        jsonrpc_msg_destroy(msg);
    }
}

/* lock, steal */

static const char *lock_name;
static const char *lock_state;  /* "locked", "waiting", "stolen". */

/* Prints "NAME: STATE" if STATE differs from the last one printed (a
 * server may repeat itself, e.g. Open vSwitch's ovsdb-server can send
 * "locked" to a client that already holds the lock). */
static void
set_lock_state(const char *state)
{
    if (!lock_state || strcmp(state, lock_state)) {
        lock_state = state;
        printf("%s: %s\n", lock_name, state);
        flush_stdout();
    }
}

static void
lock_handle_notification(const struct jsonrpc_msg *msg)
{
    const json_t *name = (json_is_array(msg->params)
                          ? json_array_get(msg->params, 0) : NULL);
    if (!json_is_string(name) || strcmp(json_string_value(name), lock_name)) {
        return;
    }
    if (!strcmp(msg->method, "locked")) {
        set_lock_state("locked");
    } else if (!strcmp(msg->method, "stolen")) {
        set_lock_state("stolen");
    }
}

static void
run_lock(const char *method, const char *name)
{
    lock_name = name;
    struct jsonrpc_msg *reply = rpc_request(method, json_pack("[s]", name),
                                            lock_handle_notification);
    if (reply->type == JSONRPC_ERROR) {
        char *s = json_to_compact_string(reply->error);
        vs_fatal(0, "%s: %s request failed: %s", server_name, method, s);
    }
    const json_t *locked = json_object_get(reply->result, "locked");
    if (!json_is_boolean(locked)) {
        char *s = json_to_compact_string(reply->result);
        vs_fatal(0, "%s: unexpected reply to %s request: %s", server_name,
                 method, s);
    }
    set_lock_state(json_is_true(locked) ? "locked" : "waiting");
    jsonrpc_msg_destroy(reply);

    for (;;) {
        struct jsonrpc_msg *msg = recv_msg(true);
        handle_other_msg(msg, lock_handle_notification);
        jsonrpc_msg_destroy(msg);
    }
}

static void
do_lock(int argc VS_UNUSED, char *argv[])
{
    run_lock("lock", argv[0]);
}

static void
do_steal(int argc VS_UNUSED, char *argv[])
{
    run_lock("steal", argv[0]);
}

static const struct command commands[] = {
    {"list-dbs", 0, 0, do_list_dbs},
    {"get-schema", 0, 1, do_get_schema},
    {"list-tables", 0, 1, do_list_tables},
    {"list-columns", 0, 2, do_list_columns},
    {"transact", 1, 1, do_transact},
    {"query", 1, 1, do_query},
    {"dump", 0, INT_MAX, do_dump},
    {"monitor", 1, INT_MAX, do_monitor},
    {"lock", 1, 1, do_lock},
    {"steal", 1, 1, do_steal},
};

static const struct command *
find_command(const char *name)
{
    for (size_t i = 0; i < ARRAY_SIZE(commands); i++) {
        if (!strcmp(commands[i].name, name)) {
            return &commands[i];
        }
    }
    return NULL;
}
