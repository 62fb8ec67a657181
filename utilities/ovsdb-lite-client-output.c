/* ovsdb-lite-client-output.c: what ovsdb-lite-client prints, and how.
 *
 * JSON results (compact, or indented with --pretty), tables through
 * lib/table in the --format ("table": aligned by UTF-8 characters, a row's
 * trailing empty cells left unpadded, a blank line between tables, as
 * ovsdb-client does; "json": one object per table), and the rows a server
 * sends, parsed into data and ordered so that output does not depend on
 * the server's order. */
#include <config.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "dynamic-string.h"
#include "ovsdb-error.h"
#include "ovsdb-lite-client.h"
#include "ovsdb-schema.h"
#include "util.h"

static struct table_style style = {
    .format = TABLE_FORMAT_TABLE,
    .headings = true,
    .utf8_widths = true,
    .trim_blank_cells = true,
};

void
output_set_format(enum table_format format)
{
    style.format = format;
}

void
output_set_pretty(bool pretty)
{
    style.pretty = pretty;
}

void
output_flush(void)
{
    if (fflush(stdout) || ferror(stdout)) {
        if (errno == EPIPE) {
            exit(EXIT_FAILURE);
        }
        vs_fatal(errno, "error writing output");
    }
}

void
output_json(const json_t *json)
{
    size_t flags = JSON_SORT_KEYS | JSON_ENCODE_ANY;
    flags |= style.pretty ? JSON_INDENT(4) : JSON_COMPACT;

    char *s = json_dumps(json, flags);
    if (!s) {
        vs_fatal(0, "cannot serialize JSON output");
    }
    puts(s);
    free(s);
}

char *
json_to_compact_string(const json_t *json)
{
    char *s = json_dumps(json, (JSON_SORT_KEYS | JSON_ENCODE_ANY
                                | JSON_COMPACT));
    return s ? s : xstrdup("(unprintable JSON)");
}

void
json_fatal(const json_t *json, const char *format, ...)
{
    va_list args;

    va_start(args, format);
    char *message = xvasprintf(format, args);
    va_end(args);

    vs_fatal(0, "%s: %s", message, json_to_compact_string(json));
}

void
output_table(const struct table *t)
{
    static bool printed_one;
    struct ds out = DS_EMPTY_INITIALIZER;

    if (style.format == TABLE_FORMAT_TABLE && printed_one) {
        ds_put_char(&out, '\n');
    }
    printed_one = true;
    table_format(t, &style, &out);
    fputs(ds_cstr(&out), stdout);
    ds_destroy(&out);
    output_flush();
}

void
output_fill_cell(struct table_cell *cell, const struct ovsdb_datum *datum,
                 const struct ovsdb_type *type)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    ovsdb_datum_to_string(datum, type, &s);
    cell->text = ds_steal_cstr(&s);
    cell->json = ovsdb_datum_to_json(datum, type);
}

/* ------------------------------------------------------------------ */
/* Rows from the server.                                               */
/* ------------------------------------------------------------------ */

void
col_init(struct col *col, const struct ovsdb_column *column)
{
    col->column = column;
    ovsdb_type_clone(&col->type, &column->type);
    ovsdb_base_type_clear_constraints(&col->type.key);
    ovsdb_base_type_clear_constraints(&col->type.value);
}

void
col_destroy(struct col *col)
{
    ovsdb_type_destroy(&col->type);
}

void
parse_value(struct ovsdb_datum *datum, const struct ovsdb_type *type,
            const json_t *value, const char *table, const char *column)
{
    struct ovsdb_error *error = ovsdb_datum_from_json(datum, type, value,
                                                      NULL);
    if (error) {
        char *s = ovsdb_error_to_string_free(error);
        server_fatal("bad value for column \"%s\" of table \"%s\": %s",
                     column, table, s);
    }
}

void
parse_row(struct row *row, const json_t *json, const struct col *cols,
          size_t n, const char *table)
{
    if (!json_is_object(json)) {
        server_fatal("received a row that is not a JSON object");
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

void
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

int
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
