/* Tables for command-line output: see table.h. */
#include <config.h>
#include "table.h"

#include <stdlib.h>
#include <string.h>
#include "dynamic-string.h"
#include "util.h"

void
table_init(struct table *t, const char *caption)
{
    memset(t, 0, sizeof *t);
    t->caption = caption ? xstrdup(caption) : NULL;
}

void
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

void
table_add_column(struct table *t, const char *heading)
{
    vs_assert(!t->n_rows);
    t->headings = xrealloc(t->headings,
                           (t->n_columns + 1) * sizeof *t->headings);
    t->headings[t->n_columns++] = xstrdup(heading);
}

struct table_cell *
table_add_row(struct table *t)
{
    if (t->n_rows >= t->allocated_rows) {
        t->allocated_rows = t->allocated_rows ? 2 * t->allocated_rows : 8;
        t->cells = xrealloc(t->cells, (t->allocated_rows * t->n_columns
                                       * sizeof *t->cells));
    }
    struct table_cell *row = &t->cells[t->n_rows++ * t->n_columns];
    memset(row, 0, t->n_columns * sizeof *row);
    return row;
}

void
table_cell_set_string(struct table_cell *cell, const char *s)
{
    cell->text = xstrdup(s);
    cell->json = json_string(s);
}

static const struct table_cell *
table_row(const struct table *t, size_t r)
{
    return &t->cells[r * t->n_columns];
}

static const char *
cell_text(const struct table_cell *cell)
{
    return cell->text ? cell->text : "";
}

/* Returns how wide S is: its bytes, or with UTF8 its characters. */
static size_t
text_width(const char *s, bool utf8)
{
    if (!utf8) {
        return strlen(s);
    }

    size_t n = 0;
    for (; *s; s++) {
        n += ((unsigned char) *s & 0xc0) != 0x80;
    }
    return n;
}

/* Appends S to OUT; unless LAST, pads it to WIDTH and adds a space. */
static void
put_aligned(struct ds *out, const char *s, size_t width, bool utf8,
            bool last)
{
    ds_put_cstr(out, s);
    if (!last) {
        size_t w = text_width(s, utf8);
        ds_put_char_multiple(out, ' ', (w < width ? width - w : 0) + 1);
    }
}

static void
format_table(const struct table *t, const struct table_style *style,
             struct ds *out)
{
    bool utf8 = style->utf8_widths;
    size_t *widths = xcalloc(t->n_columns, sizeof *widths);

    for (size_t i = 0; i < t->n_columns; i++) {
        widths[i] = style->headings ? text_width(t->headings[i], utf8) : 0;
        for (size_t r = 0; r < t->n_rows; r++) {
            widths[i] = MAX(widths[i],
                            text_width(cell_text(&table_row(t, r)[i]), utf8));
        }
    }

    if (t->caption) {
        ds_put_format(out, "%s\n", t->caption);
    }
    if (style->headings) {
        for (size_t i = 0; i < t->n_columns; i++) {
            put_aligned(out, t->headings[i], widths[i], utf8,
                        i == t->n_columns - 1);
        }
        ds_put_char(out, '\n');
        for (size_t i = 0; i < t->n_columns; i++) {
            ds_put_char_multiple(out, '-', widths[i]);
            ds_put_char(out, i == t->n_columns - 1 ? '\n' : ' ');
        }
    }
    for (size_t r = 0; r < t->n_rows; r++) {
        const struct table_cell *row = table_row(t, r);
        size_t n = t->n_columns;

        while (style->trim_blank_cells && n > 1 && !*cell_text(&row[n - 1])) {
            n--;
        }
        for (size_t i = 0; i < n; i++) {
            put_aligned(out, cell_text(&row[i]), widths[i], utf8, i == n - 1);
        }
        ds_put_char(out, '\n');
    }
    free(widths);
}

static void
format_list(const struct table *t, const struct table_style *style,
            struct ds *out)
{
    for (size_t r = 0; r < t->n_rows; r++) {
        if (r) {
            ds_put_char(out, '\n');
        }
        for (size_t i = 0; i < t->n_columns; i++) {
            if (style->headings) {
                ds_put_format(out, "%-20s: ", t->headings[i]);
            }
            ds_put_format(out, "%s\n", cell_text(&table_row(t, r)[i]));
        }
    }
}

/* Appends S to OUT as a CSV field: quoted if it holds a quote, a comma or
 * a new line, with quotes doubled. */
static void
put_csv_field(struct ds *out, const char *s)
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
format_csv(const struct table *t, const struct table_style *style,
           struct ds *out)
{
    if (style->headings) {
        for (size_t i = 0; i < t->n_columns; i++) {
            if (i) {
                ds_put_char(out, ',');
            }
            put_csv_field(out, t->headings[i]);
        }
        ds_put_char(out, '\n');
    }
    for (size_t r = 0; r < t->n_rows; r++) {
        for (size_t i = 0; i < t->n_columns; i++) {
            if (i) {
                ds_put_char(out, ',');
            }
            put_csv_field(out, cell_text(&table_row(t, r)[i]));
        }
        ds_put_char(out, '\n');
    }
}

static void
format_json(const struct table *t, const struct table_style *style,
            struct ds *out)
{
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
        const struct table_cell *row = table_row(t, r);
        json_t *jrow = json_array();
        for (size_t i = 0; i < t->n_columns; i++) {
            json_array_append(jrow, row[i].json ? row[i].json : json_null());
        }
        json_array_append_new(data, jrow);
    }
    json_object_set_new(obj, "headings", headings);
    json_object_set_new(obj, "data", data);

    size_t flags = JSON_SORT_KEYS;
    flags |= style->pretty ? JSON_INDENT(4) : JSON_COMPACT;
    char *s = json_dumps(obj, flags);
    if (!s) {
        /* Only allocation fails on a tree built of valid values. */
        vs_abort(0, "out of memory formatting a JSON table");
    }
    ds_put_format(out, "%s\n", s);
    free(s);
    json_decref(obj);
}

void
table_format(const struct table *t, const struct table_style *style,
             struct ds *out)
{
    switch (style->format) {
    case TABLE_FORMAT_TABLE:
        format_table(t, style, out);
        break;
    case TABLE_FORMAT_LIST:
        format_list(t, style, out);
        break;
    case TABLE_FORMAT_CSV:
        format_csv(t, style, out);
        break;
    case TABLE_FORMAT_JSON:
        format_json(t, style, out);
        break;
    }
}
