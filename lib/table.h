/* Tables for command-line output: an optional caption, column headings and
 * rows of cells, each cell carrying text (for the text formats) and JSON
 * (for the JSON format).  vsctl's "list" and "find" and ovsdb-lite-client's
 * listings print through it, as ovs-vsctl and ovsdb-client share OVS's
 * table printer. */
#ifndef TABLE_H
#define TABLE_H 1

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

struct ds;

enum table_format {
    TABLE_FORMAT_TABLE,         /* Aligned columns under a dashed line. */
    TABLE_FORMAT_LIST,          /* "HEADING : VALUE" lines, rows apart. */
    TABLE_FORMAT_CSV,           /* Comma-separated values, RFC 4180. */
    TABLE_FORMAT_JSON           /* {"caption", "headings", "data"}. */
};

/* How to print a table.  The caption, if any, is the first line of the
 * TABLE format and the JSON object's "caption"; LIST and CSV leave it
 * out. */
struct table_style {
    enum table_format format;
    bool headings;              /* Text formats: print the headings. */
    bool utf8_widths;           /* TABLE: align by UTF-8 characters rather
                                 * than by bytes. */
    bool trim_blank_cells;      /* TABLE: a row ends at its last non-empty
                                 * cell (nothing pads empty cells at the
                                 * end of a row). */
    bool pretty;                /* JSON: indented rather than compact. */
};

/* One cell.  Either member may be NULL: an empty text, a JSON null. */
struct table_cell {
    char *text;                 /* Text formats. */
    json_t *json;               /* JSON format. */
};

struct table {
    char *caption;              /* May be NULL. */
    char **headings;
    size_t n_columns;
    struct table_cell *cells;   /* n_rows * n_columns, row by row. */
    size_t n_rows, allocated_rows;
};

/* Initializes T as an empty table with CAPTION (copied; may be NULL). */
void table_init(struct table *t, const char *caption);

/* Frees what T owns, including every cell's text and JSON.  T may be
 * reused after table_init(). */
void table_destroy(struct table *t);

/* Adds a column with HEADING (copied) to T, which must have no rows yet. */
void table_add_column(struct table *t, const char *heading);

/* Adds a row of T's n_columns empty cells and returns it.  The caller fills
 * in the cells (the table takes over their text and JSON); the pointer is
 * valid until the next table_add_row(). */
struct table_cell *table_add_row(struct table *t);

/* Sets CELL's text to a copy of S and its JSON to the string S. */
void table_cell_set_string(struct table_cell *cell, const char *s);

/* Appends T, printed as STYLE says, to OUT.  Every format ends in a new
 * line. */
void table_format(const struct table *t, const struct table_style *style,
                  struct ds *out);

#endif /* table.h */
