/* ovsdb-lite: collections of rows.  See row-set.h. */
#include <config.h>

#include "row-set.h"

#include <stdlib.h>
#include "ovsdb-row.h"
#include "util.h"

void
row_array_add(struct row_array *a, struct db_row *row)
{
    if (a->n >= a->allocated) {
        a->allocated = a->allocated ? a->allocated * 2 : 8;
        a->rows = xrealloc(a->rows, a->allocated * sizeof *a->rows);
    }
    a->rows[a->n++] = row;
}

void
row_array_destroy(struct row_array *a)
{
    free(a->rows);
    *a = (struct row_array) ROW_ARRAY_INITIALIZER;
}

void
row_set_init(struct row_set *set, const struct ovsdb_column_set *columns,
             size_t capacity)
{
    hmap_init(&set->map);
    set->columns = columns;
    set->nodes = xmalloc((capacity ? capacity : 1) * sizeof *set->nodes);
    set->n = 0;
}

void
row_set_destroy(struct row_set *set)
{
    hmap_destroy(&set->map);
    free(set->nodes);
}

uint32_t
row_set_hash(const struct row_set *set, const struct ovsdb_row *row)
{
    return ovsdb_row_hash_columns(row, set->columns, 0);
}

static const struct ovsdb_row *
row_set_find(const struct row_set *set, const struct ovsdb_row *row,
             uint32_t hash)
{
    struct row_set_node *node;

    HMAP_FOR_EACH_WITH_HASH (node, hmap_node, hash, &set->map) {
        if (ovsdb_row_equal_columns(node->row, row, set->columns)) {
            return node->row;
        }
    }
    return NULL;
}

const struct ovsdb_row *
row_set_insert(struct row_set *set, const struct ovsdb_row *row,
               uint32_t hash)
{
    const struct ovsdb_row *dup = row_set_find(set, row, hash);

    if (!dup) {
        set->nodes[set->n].row = row;
        hmap_insert(&set->map, &set->nodes[set->n].hmap_node, hash);
        set->n++;
    }
    return dup;
}

bool
row_set_add(struct row_set *set, const struct ovsdb_row *row)
{
    return !row_set_insert(set, row, row_set_hash(set, row));
}

bool
row_set_contains(const struct row_set *set, const struct ovsdb_row *row)
{
    return row_set_find(set, row, row_set_hash(set, row)) != NULL;
}
