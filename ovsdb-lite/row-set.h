/* ovsdb-lite: collections of rows that operations and commit checks
 * build while a transaction runs.
 *
 * A row_array is a plain growing array of rows, e.g. the rows a "where"
 * clause selected: it stays valid while the table changes underneath.
 *
 * A row_set holds rows that are distinct in some columns (a "select"
 * without "_uuid" in its columns, the rows a "wait" expects, the values
 * of an index).  Its capacity is fixed when it is created; it does not
 * own the rows. */
#ifndef OVSDB_LITE_ROW_SET_H
#define OVSDB_LITE_ROW_SET_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "hmap.h"

struct db_row;
struct ovsdb_column_set;
struct ovsdb_row;

struct row_array {
    struct db_row **rows;
    size_t n, allocated;
};

#define ROW_ARRAY_INITIALIZER { NULL, 0, 0 }

/* Appends ROW to A. */
void row_array_add(struct row_array *, struct db_row *);
/* Frees A's memory (not the rows) and leaves it empty. */
void row_array_destroy(struct row_array *);

struct row_set_node {
    struct hmap_node hmap_node;
    const struct ovsdb_row *row;
};

struct row_set {
    struct hmap map;                /* Contains struct row_set_node. */
    const struct ovsdb_column_set *columns;
    struct row_set_node *nodes;     /* Room for 'capacity' rows. */
    size_t n;
};

/* Initializes SET for at most CAPACITY rows distinct in COLUMNS, which
 * must outlive it. */
void row_set_init(struct row_set *, const struct ovsdb_column_set *columns,
                  size_t capacity);
void row_set_destroy(struct row_set *);

/* Returns the hash of ROW's columns that SET compares: the same as
 * db_row_index_hash() when SET's columns are an index. */
uint32_t row_set_hash(const struct row_set *, const struct ovsdb_row *);
/* Adds ROW, whose row_set_hash() is HASH, unless a row equal in SET's
 * columns is present.  Returns that row, or NULL if ROW was added.  SET
 * must have room for ROW. */
const struct ovsdb_row *row_set_insert(struct row_set *,
                                       const struct ovsdb_row *,
                                       uint32_t hash);
/* Adds ROW unless an equal one is present; returns true if added. */
bool row_set_add(struct row_set *, const struct ovsdb_row *);
/* Returns true if SET has a row equal to ROW in SET's columns. */
bool row_set_contains(const struct row_set *, const struct ovsdb_row *);

#endif /* ovsdb-lite/row-set.h */
