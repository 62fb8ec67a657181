/* ovsdb-lite-client-db.c: ovsdb-lite-client's one-shot commands, each one
 * or two requests and their output: list-dbs, get-schema, list-tables,
 * list-columns, transact, query and dump. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonrpc.h"
#include "ovsdb-lite-client.h"
#include "ovsdb-schema.h"
#include "shash.h"
#include "util.h"

void
do_list_dbs(int argc VS_UNUSED, char *argv[] VS_UNUSED)
{
    size_t n;
    char *const *names = server_get_dbs(&n);

    for (size_t i = 0; i < n; i++) {
        puts(names[i]);
    }
}

/* The database that the optional first of the ARGC arguments ARGV
 * names, or the default one. */
static const char *
db_arg(int argc, char *argv[])
{
    return argc > 0 ? server_check_db(argv[0]) : server_default_db();
}

void
do_get_schema(int argc, char *argv[])
{
    json_t *schema = server_get_schema_json(db_arg(argc, argv));
    output_json(schema);
    json_decref(schema);
}

void
do_list_tables(int argc, char *argv[])
{
    struct ovsdb_schema *schema = server_get_schema(db_arg(argc, argv));
    const struct shash_node **nodes = shash_sort(&schema->tables);
    struct table t;

    table_init(&t, NULL);
    table_add_column(&t, "Table");
    for (size_t i = 0; i < shash_count(&schema->tables); i++) {
        table_cell_set_string(table_add_row(&t), nodes[i]->name);
    }
    output_table(&t);
    table_destroy(&t);
    free(nodes);
    ovsdb_schema_destroy(schema);
}

/* Adds a row to T for each column of TABLE: its name and type, after the
 * table's name if WITH_TABLE_NAME. */
static void
add_column_rows(struct table *t, const struct ovsdb_table_schema *table,
                bool with_table_name)
{
    size_t n;
    const struct ovsdb_column **columns = schema_sorted_columns(table, true,
                                                                &n);

    for (size_t i = 0; i < n; i++) {
        struct table_cell *row = table_add_row(t);
        if (with_table_name) {
            table_cell_set_string(row++, table->name);
        }
        table_cell_set_string(&row[0], columns[i]->name);
        row[1].json = ovsdb_type_to_json(&columns[i]->type);
        row[1].text = json_to_compact_string(row[1].json);
    }
    free(columns);
}

void
do_list_columns(int argc, char *argv[])
{
    const char *db, *table_name;

    if (argc == 2) {
        db = server_check_db(argv[0]);
        table_name = argv[1];
    } else if (argc == 1 && server_has_db(argv[0])) {
        db = argv[0];
        table_name = NULL;
    } else {
        db = server_default_db();
        table_name = argc ? argv[0] : NULL;
    }

    struct ovsdb_schema *schema = server_get_schema(db);
    struct table t;
    table_init(&t, NULL);
    if (table_name) {
        const struct ovsdb_table_schema *table = schema_get_table(schema,
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
    output_table(&t);
    table_destroy(&t);
    ovsdb_schema_destroy(schema);
}

/* transact, query */

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

/* With QUERY, RESULTS holds the results of the N_OPS operations of a
 * transaction plus that of the "abort" added to them: drops the last,
 * which is "aborted" (or null if an earlier operation failed). */
static void
drop_abort_result(json_t *results, size_t n_ops)
{
    if (json_array_size(results) == n_ops + 1) {
        const json_t *last = json_array_get(results, n_ops);
        const json_t *error = json_object_get(last, "error");
        if (json_is_null(last)
            || (json_is_string(error)
                && !strcmp(json_string_value(error), "aborted"))) {
            json_array_remove(results, n_ops);
        }
    }
}

static void
run_transaction(const char *arg, bool query)
{
    json_t *params = parse_transaction(arg);
    size_t n_ops = json_array_size(params) - 1;

    if (query) {
        json_array_append_new(params, json_pack("{s:s}", "op", "abort"));
    }

    struct jsonrpc_msg *reply = server_request("transact", params, NULL);
    server_check_reply(reply, "transaction error");

    json_t *results = reply->result;
    if (!json_is_array(results)) {
        server_fatal("transact reply is not an array");
    }
    if (query) {
        drop_abort_result(results, n_ops);
    }
    output_json(results);

    for (size_t i = 0; i < json_array_size(results); i++) {
        const json_t *result = json_array_get(results, i);
        if (json_is_object(result) && json_object_get(result, "error")) {
            output_flush();
            json_fatal(result, "transaction error");
        }
    }
    jsonrpc_msg_destroy(reply);
}

void
do_transact(int argc VS_UNUSED, char *argv[])
{
    run_transaction(argv[0], false);
}

void
do_query(int argc VS_UNUSED, char *argv[])
{
    run_transaction(argv[0], true);
}

/* dump */

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

/* Prints ROWS, the rows of TABLE as selected with the N COLS. */
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
        struct table_cell *cells = table_add_row(&t);
        for (size_t j = 0; j < n; j++) {
            output_fill_cell(&cells[j], &r[i].data[j], &cols[j].type);
        }
        row_destroy_data(r[i].data, cols, n);
    }
    output_table(&t);
    table_destroy(&t);
    free(r);
}

/* The tables that dump prints: the one ARGC ARGV names, or else all of
 * SCHEMA's in name order; stores their number in *N.  The caller frees the
 * array. */
static const struct ovsdb_table_schema **
dump_tables(struct ovsdb_schema *schema, int argc, char *argv[], size_t *n)
{
    const struct ovsdb_table_schema **tables;

    if (argc > 0) {
        tables = xmalloc(sizeof *tables);
        tables[0] = schema_get_table(schema, argv[0]);
        *n = 1;
    } else {
        const struct shash_node **nodes = shash_sort(&schema->tables);
        *n = shash_count(&schema->tables);
        tables = xcalloc(*n + 1, sizeof *tables);
        for (size_t i = 0; i < *n; i++) {
            tables[i] = nodes[i]->data;
        }
        free(nodes);
    }
    return tables;
}

/* The columns of TABLE that dump prints: the N_NAMES NAMES, or else
 * "_uuid" and then the others in name order ("_version" changes with every
 * update, so it is left out).  Stores their number in *N; the caller frees
 * the array. */
static const struct ovsdb_column **
dump_columns(struct ovsdb_schema *schema,
             const struct ovsdb_table_schema *table,
             int n_names, char *names[], size_t *n)
{
    const struct ovsdb_column **columns;

    if (n_names > 0) {
        columns = xcalloc(n_names, sizeof *columns);
        for (*n = 0; *n < (size_t) n_names; (*n)++) {
            columns[*n] = schema_get_column(schema, table, names[*n]);
            for (size_t k = 0; k < *n; k++) {
                if (columns[k] == columns[*n]) {
                    vs_fatal(0, "column \"%s\" is named twice", names[*n]);
                }
            }
        }
    } else {
        columns = schema_sorted_columns(table, false, n);
        columns = xrealloc(columns, (*n + 1) * sizeof *columns);
        memmove(&columns[1], &columns[0], *n * sizeof *columns);
        columns[0] = ovsdb_table_schema_column(table, OVSDB_COL_UUID);
        (*n)++;
    }
    return columns;
}

void
do_dump(int argc, char *argv[])
{
    const char *db;

    if (argc > 0 && server_has_db(argv[0])) {
        db = argv[0];
        argc--;
        argv++;
    } else {
        db = server_default_db();
    }

    struct ovsdb_schema *schema = server_get_schema(db);
    size_t n_tables;
    const struct ovsdb_table_schema **tables = dump_tables(schema, argc, argv,
                                                           &n_tables);
    if (argc > 0) {
        argc--;
        argv++;
    }

    /* One "select" of the columns to print per table. */
    struct col **cols = xcalloc(n_tables, sizeof *cols);
    size_t *n_cols = xcalloc(n_tables, sizeof *n_cols);
    json_t *params = json_pack("[s]", db);
    for (size_t i = 0; i < n_tables; i++) {
        size_t n;
        const struct ovsdb_column **columns = dump_columns(schema, tables[i],
                                                           argc, argv, &n);
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

    struct jsonrpc_msg *reply = server_request("transact", params, NULL);
    server_check_reply(reply, "transaction error");
    const json_t *results = reply->result;
    if (!json_is_array(results) || json_array_size(results) < n_tables) {
        json_fatal(results, "%s: unexpected reply to dump transaction",
                   server_name());
    }
    for (size_t i = 0; i < n_tables; i++) {
        const json_t *result = json_array_get(results, i);
        const json_t *rows = json_object_get(result, "rows");
        if (!json_is_array(rows)) {
            json_fatal(result, "transaction error");
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
