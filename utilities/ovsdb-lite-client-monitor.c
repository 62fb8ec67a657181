/* ovsdb-lite-client-monitor.c: the "monitor" command.
 *
 * It prints a table's rows, then every change to them, until killed or
 * --timeout: each update becomes a table of rows with an "action"
 * (initial, insert, delete, or an "old"/"new" pair for a modification,
 * with only the changed columns under "old").  It asks with
 * "monitor_cond", whose "update2" notifications carry only what changed,
 * and falls back to RFC 7047 "monitor" (full old and new values) when the
 * server does not know it or with --no-monitor-cond. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "jsonrpc.h"
#include "ovsdb-error.h"
#include "ovsdb-lite-client.h"
#include "ovsdb-schema.h"
#include "shash.h"
#include "util.h"
#include "vlog.h"

static struct vlog_module *const THIS_MODULE = &VLM_ovsdb_lite_client;

static bool use_monitor_cond = true;    /* Off: --no-monitor-cond. */

void
monitor_use_monitor_cond(bool use)
{
    use_monitor_cond = use;
}

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

/* Makes EV a modification, so far of no column. */
static void
event_start_modify(struct event *ev)
{
    ev->type = EV_MODIFY;
    ev->old = xcalloc(mon.n_cols, sizeof *ev->old);
    ev->changed = xcalloc(mon.n_cols, sizeof *ev->changed);
}

/* Parses UPDATE, an RFC 7047 <row-update> ("old" and "new"), into EV.
 * Returns false if there is nothing to print. */
static bool
parse_update1(const json_t *update, bool initial, struct event *ev)
{
    const char *table = mon.table->name;
    const json_t *old = json_object_get(update, "old");
    const json_t *new = json_object_get(update, "new");

    if (new && !old) {
        ev->type = initial ? EV_INITIAL : EV_INSERT;
        parse_row(&ev->row, new, mon.cols, mon.n_cols, table);
    } else if (old && !new) {
        ev->type = EV_DELETE;
        parse_row(&ev->row, old, mon.cols, mon.n_cols, table);
    } else if (old && new) {
        event_start_modify(ev);
        parse_row(&ev->row, new, mon.cols, mon.n_cols, table);
        for (size_t i = 0; i < mon.n_cols; i++) {
            const char *column = mon.cols[i].column->name;
            const json_t *v = json_object_get(old, column);
            if (v) {
                parse_value(&ev->old[i], &mon.cols[i].type, v, table,
                            column);
                ev->changed[i] = true;
            }
        }
        return event_has_changes(ev);
    } else {
        return false;
    }
    return true;
}

/* Applies MODIFY, the "modify" of an <row-update2> for the remembered row
 * UUID_S, to that row, and makes EV the modification. */
static bool
parse_modify2(const char *uuid_s, const json_t *modify, struct event *ev)
{
    const char *table = mon.table->name;
    struct ovsdb_datum *data = shash_find_data(&mon.rows, uuid_s);

    if (!data || !json_is_object(modify)) {
        server_fatal("\"modify\" for unknown row %s in table \"%s\"",
                     uuid_s, table);
    }
    event_start_modify(ev);
    for (size_t i = 0; i < mon.n_cols; i++) {
        const struct col *col = &mon.cols[i];
        const json_t *v = json_object_get(modify, col->column->name);
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
            server_fatal("bad \"modify\" of column \"%s\" of table "
                         "\"%s\": %s", col->column->name, table, s);
        }
        ev->changed[i] = true;
        ovsdb_datum_destroy(&diff, &diff_type);
        ovsdb_type_destroy(&diff_type);
    }
    ev->row.data = clone_data(data);
    return event_has_changes(ev);
}

/* Parses UPDATE, a <row-update2> ("initial", "insert", "delete" or
 * "modify") for the row UUID_S, into EV, and keeps the monitor's copy of
 * the row up to date.  Returns false if there is nothing to print. */
static bool
parse_update2(const char *uuid_s, const json_t *update, bool initial,
              struct event *ev)
{
    const json_t *value;

    if ((value = json_object_get(update, "initial"))
        || (value = json_object_get(update, "insert"))) {
        ev->type = (json_object_get(update, "initial") || initial
                    ? EV_INITIAL : EV_INSERT);
        parse_row(&ev->row, value, mon.cols, mon.n_cols, mon.table->name);
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
        return parse_modify2(uuid_s, value, ev);
    } else {
        return false;
    }
    return true;
}

/* Parses one row update, UPDATE, for the row UUID_S into EV.  Returns
 * false if there is nothing to print. */
static bool
parse_row_update(const char *uuid_s, const json_t *update, bool initial,
                 struct event *ev)
{
    memset(ev, 0, sizeof *ev);
    if (!uuid_from_string(&ev->row.uuid, uuid_s) || !json_is_object(update)) {
        server_fatal("malformed update for table \"%s\"", mon.table->name);
    }
    return (mon.v2
            ? parse_update2(uuid_s, update, initial, ev)
            : parse_update1(update, initial, ev));
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

/* Adds to T the rows that print EV: "old" and "new" rows for a
 * modification (only the changed columns under "old"), else one row named
 * after the event. */
static void
add_event_rows(struct table *t, const struct event *ev)
{
    char uuid[UUID_LEN + 1];
    struct table_cell *cells;

    uuid_format(&ev->row.uuid, uuid);
    if (ev->type == EV_MODIFY) {
        cells = table_add_row(t);
        table_cell_set_string(&cells[0], uuid);
        table_cell_set_string(&cells[1], "old");
        for (size_t i = 0; i < mon.n_cols; i++) {
            if (ev->changed[i]) {
                output_fill_cell(&cells[i + 2], &ev->old[i],
                                 &mon.cols[i].type);
            }
        }
    }

    cells = table_add_row(t);
    const char *action = (ev->type == EV_MODIFY ? "new"
                          : event_type_name(ev->type));
    cells[0].text = xstrdup(ev->type == EV_MODIFY ? "" : uuid);
    cells[0].json = json_string(uuid);
    table_cell_set_string(&cells[1], action);
    for (size_t i = 0; i < mon.n_cols; i++) {
        output_fill_cell(&cells[i + 2], &ev->row.data[i], &mon.cols[i].type);
    }
}

/* Prints TABLE_UPDATES (a <table-updates> or <table-updates2> object). */
static void
monitor_print_updates(const json_t *table_updates, bool initial)
{
    if (!json_is_object(table_updates)) {
        server_fatal("malformed monitor update");
    }
    const json_t *updates = json_object_get(table_updates, mon.table->name);
    if (!updates) {
        return;
    }
    if (!json_is_object(updates)) {
        server_fatal("malformed monitor update");
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
        add_event_rows(&t, &events[e]);
        event_destroy(&events[e]);
    }
    output_table(&t);
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
        VLOG_DBG("%s: ignoring \"%s\" notification", server_name(),
                 msg->method);
    }
}

/* Adds to COLUMNS[*N] (room for all of the table's) the monitored table's
 * columns that LIST, "COLUMN[,COLUMN]...", names.  Returns false, after
 * reporting why, if one is not a column or cannot be named. */
static bool
add_monitor_columns(const char *list, const struct ovsdb_column **columns,
                    size_t *n)
{
    char *save_ptr = NULL;
    char *names = xstrdup(list);
    bool ok = true;

    for (char *name = strtok_r(names, ",", &save_ptr); name && ok;
         name = strtok_r(NULL, ",", &save_ptr)) {
        const struct ovsdb_column *c
            = ovsdb_table_schema_get_column(mon.table, name);
        if (!c) {
            vs_error(0, "table \"%s\" has no column named \"%s\"",
                     mon.table->name, name);
            ok = false;
        } else if (c->index == OVSDB_COL_UUID) {
            vs_error(0, "column \"_uuid\" is always monitored (as "
                     "\"row\")");
            ok = false;
        } else {
            for (size_t k = 0; k < *n && ok; k++) {
                if (columns[k] == c) {
                    vs_error(0, "column \"%s\" is named twice", name);
                    ok = false;
                }
            }
        }
        if (ok) {
            columns[(*n)++] = c;
        }
    }
    free(names);
    return ok;
}

/* Sets up mon.cols for the columns that the ARGC ARGV name, or else all of
 * the monitored table's but "_uuid" and "_version", and returns their
 * names as a JSON array.  Exits on error. */
static json_t *
monitor_columns(int argc, char *argv[])
{
    const struct ovsdb_column **columns;
    size_t n = 0;

    if (argc > 0) {
        columns = xcalloc(mon.table->n_columns, sizeof *columns);
        for (int i = 0; i < argc; i++) {
            if (!add_monitor_columns(argv[i], columns, &n)) {
                free(columns);
                ovsdb_schema_destroy(mon.schema);
                exit(EXIT_FAILURE);
            }
        }
        if (!n) {
            free(columns);
            schema_fatal(mon.schema, "no column names given");
        }
    } else {
        columns = schema_sorted_columns(mon.table, false, &n);
    }

    json_t *names = json_array();
    mon.cols = xcalloc(n, sizeof *mon.cols);
    mon.n_cols = n;
    for (size_t i = 0; i < n; i++) {
        col_init(&mon.cols[i], columns[i]);
        json_array_append_new(names, json_string(columns[i]->name));
    }
    free(columns);
    return names;
}

/* Sends the monitor request for DB, whose id is MONITOR_ID, for the
 * columns NAMES of the monitored table, and returns the reply:
 * "monitor_cond", or RFC 7047 "monitor" if the server does not know it. */
static struct jsonrpc_msg *
send_monitor_request(const char *db, const json_t *monitor_id,
                     const json_t *names)
{
    struct jsonrpc_msg *reply;

    if (use_monitor_cond) {
        mon.v2 = true;
        reply = server_request("monitor_cond",
                               json_pack("[s, O, {s:[{s:O}]}]", db,
                                         monitor_id, mon.table->name,
                                         "columns", names),
                               monitor_handle_notification);
        if (reply->type != JSONRPC_ERROR
            || !server_is_unknown_method(reply->error)) {
            return reply;
        }
        VLOG_INFO("%s: server does not support monitor_cond, using "
                  "monitor", server_name());
        jsonrpc_msg_destroy(reply);
    }
    mon.v2 = false;
    return server_request("monitor",
                          json_pack("[s, O, {s:{s:O}}]", db, monitor_id,
                                    mon.table->name, "columns", names),
                          monitor_handle_notification);
}

void
do_monitor(int argc, char *argv[])
{
    const char *db;

    if (argc >= 2 && server_has_db(argv[0])) {
        db = argv[0];
        argc--;
        argv++;
    } else {
        db = server_default_db();
    }

    /* The schema stays in use until the monitor exits. */
    mon.schema = server_get_schema(db);
    mon.table = schema_get_table(mon.schema, argv[0]);
    json_t *names = monitor_columns(argc - 1, argv + 1);
    shash_init(&mon.rows);

    json_t *monitor_id = json_string("ovsdb-lite-client");
    struct jsonrpc_msg *reply = send_monitor_request(db, monitor_id, names);
    server_check_reply(reply, "%s: monitor request failed", server_name());
    json_decref(monitor_id);
    json_decref(names);
    VLOG_INFO("%s: monitoring table %s of database %s with %s",
              server_name(), mon.table->name, db,
              mon.v2 ? "monitor_cond" : "monitor");
    monitor_print_updates(reply->result, true);
    jsonrpc_msg_destroy(reply);

    server_serve_forever(monitor_handle_notification);
}
