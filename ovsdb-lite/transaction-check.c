/* ovsdb-lite: the checks of a whole transaction before it may commit,
 * and working out what it really changed.  See transaction-private.h. */
#include <config.h>

#include "transaction-private.h"

#include <stdlib.h>
#include "database.h"
#include "dynamic-string.h"
#include "ovsdb-data.h"
#include "ovsdb-error.h"
#include "ovsdb-row.h"
#include "ovsdb-schema.h"
#include "row-set.h"
#include "util.h"

static struct ovsdb_error *
check_max_rows(const struct txn *txn)
{
    struct txn_table *tt;

    LIST_FOR_EACH (tt, node, &txn->tables) {
        size_t n_rows = hmap_count(&tt->table->rows);
        unsigned int max_rows = tt->table->schema->max_rows;

        if (n_rows > max_rows) {
            return ovsdb_error("constraint violation",
                               "transaction causes \"%s\" table to contain "
                               "%zu rows, greater than the schema-defined "
                               "limit of %u row(s)", tt->table->schema->name,
                               n_rows, max_rows);
        }
    }
    return NULL;
}

static void
describe_index_row(struct ds *s, const char *title, const struct db_row *row,
                   const struct ovsdb_column_set *index)
{
    const struct txn_row *tr = row->txn_row;

    ds_put_format(s, "  %s row, with UUID "UUID_FMT", ", title,
                  UUID_ARGS(db_row_uuid(row)));
    if (!tr || tr->old == tr->new) {
        ds_put_cstr(s, "existed in the database before this transaction "
                    "and was not modified by the transaction.");
    } else if (!tr->old) {
        ds_put_cstr(s, "was inserted by this transaction.");
    } else if (ovsdb_row_equal_columns(&tr->old->row, &tr->new->row, index)) {
        ds_put_cstr(s, "existed in the database before this transaction, "
                    "which modified some of the row's columns but not any "
                    "columns in this index.");
    } else {
        ds_put_cstr(s, "had different index values before the "
                    "transaction.");
    }
}

static struct ovsdb_error *
duplicate_index_error(const struct db_table *table, size_t idx,
                      const struct db_row *a, const struct db_row *b)
{
    const struct ovsdb_column_set *index = &table->schema->indexes[idx];
    struct ds s = DS_EMPTY_INITIALIZER;
    struct ovsdb_error *error;

    ds_put_format(&s, "Transaction causes multiple rows in \"%s\" table to "
                  "have identical values (", table->schema->name);
    for (size_t i = 0; i < index->n; i++) {
        const struct ovsdb_column *c = index->columns[i];
        if (i) {
            ds_put_cstr(&s, ", ");
        }
        ovsdb_datum_to_string(&a->row.fields[c->index], &c->type, &s);
    }
    ds_put_cstr(&s, ") for index on ");
    if (index->n == 1) {
        ds_put_format(&s, "column \"%s\".", index->columns[0]->name);
    } else {
        ds_put_cstr(&s, "columns ");
        for (size_t i = 0; i < index->n; i++) {
            ds_put_format(&s, "%s\"%s\"", i ? ", " : "",
                          index->columns[i]->name);
        }
        ds_put_char(&s, '.');
    }
    describe_index_row(&s, "First", a, index);
    describe_index_row(&s, "Second", b, index);
    error = ovsdb_error("constraint violation", "%s", ds_cstr(&s));
    ds_destroy(&s);
    return error;
}

/* Returns a row other than TR's with the same values as TR->new in index
 * I of TABLE: one that the transaction wrote earlier (in NEWS, to which
 * TR->new is added otherwise) or a committed row that the transaction
 * leaves alone.  Returns NULL if there is none. */
static const struct db_row *
find_index_duplicate(const struct db_table *table, size_t i,
                     struct row_set *news, const struct txn_row *tr)
{
    uint32_t hash = db_row_index_hash(tr->new, i);
    const struct ovsdb_row *dup;
    struct hmap_node *node;

    /* Against rows of this transaction. */
    dup = row_set_insert(news, &tr->new->row, hash);
    if (dup) {
        return CONTAINER_OF(dup, struct db_row, row);
    }

    /* Against committed rows the transaction leaves alone. */
    for (node = hmap_first_with_hash(&table->indexes[i], hash);
         node; node = hmap_next_with_hash(node)) {
        const struct db_row *other = db_row_from_index_node(node, i);

        if ((!other->txn_row || other->txn_row->old == other->txn_row->new)
            && ovsdb_row_equal_columns(&other->row, &tr->new->row,
                                       &table->schema->indexes[i])) {
            return other;
        }
    }
    return NULL;
}

/* Checks that the rows TT's transaction wrote keep index I of their table
 * unique. */
static struct ovsdb_error *
check_index(const struct txn_table *tt, size_t i)
{
    struct ovsdb_error *error = NULL;
    struct row_set news;
    struct txn_row *tr;

    row_set_init(&news, &tt->table->schema->indexes[i],
                 hmap_count(&tt->rows));
    HMAP_FOR_EACH (tr, hmap_node, &tt->rows) {
        const struct db_row *dup;

        if (!tr->new || tr->new == tr->old) {
            continue;
        }
        dup = find_index_duplicate(tt->table, i, &news, tr);
        if (dup) {
            error = duplicate_index_error(tt->table, i, dup, tr->new);
            break;
        }
    }
    row_set_destroy(&news);
    return error;
}

static struct ovsdb_error *
check_indexes(const struct txn *txn)
{
    struct txn_table *tt;

    LIST_FOR_EACH (tt, node, &txn->tables) {
        for (size_t i = 0; i < tt->table->schema->n_indexes; i++) {
            struct ovsdb_error *error = check_index(tt, i);
            if (error) {
                return error;
            }
        }
    }
    return NULL;
}

/* Works out which columns each modified row changed, and drops rows that
 * did not really change. */
static void
determine_changes(struct txn *txn)
{
    struct txn_table *tt;

    txn->n_changes = 0;
    LIST_FOR_EACH (tt, node, &txn->tables) {
        const struct ovsdb_table_schema *ts = tt->table->schema;
        struct txn_row *tr;

        HMAP_FOR_EACH_SAFE (tr, hmap_node, &tt->rows) {
            if (!tr->old && !tr->new) {
                hmap_remove(&tt->rows, &tr->hmap_node);
                txn_row_free(tr);
                continue;
            }
            if (tr->old == tr->new) {
                continue;
            }
            tr->changed = xcalloc(ts->n_columns, sizeof *tr->changed);
            if (tr->old && tr->new) {
                bool any = false;

                for (size_t c = 0; c < ts->n_columns; c++) {
                    if (c != OVSDB_COL_VERSION
                        && !ovsdb_datum_equals(&tr->old->row.fields[c],
                                               &tr->new->row.fields[c],
                                               &ts->column_array[c]->type)) {
                        tr->changed[c] = any = true;
                    }
                }
                if (!any) {
                    /* Keep the committed row (its reference count may still
                     * change). */
                    size_t n_refs = tr->n_refs;
                    txn_row_undo(tr);
                    tr->n_refs = n_refs;
                    tr->old->txn_row = tr;
                    free(tr->changed);
                    tr->changed = NULL;
                    continue;
                }
                tr->changed[OVSDB_COL_VERSION] = true;
            } else {
                for (size_t c = 0; c < ts->n_columns; c++) {
                    tr->changed[c] = true;
                }
            }
            txn->n_changes++;
        }
    }
}

struct ovsdb_error *
txn_prepare(struct txn *txn)
{
    struct ovsdb_error *error;

    if (vs_list_is_empty(&txn->tables)) {
        txn->n_changes = 0;     /* Read-only: nothing to check. */
        return NULL;
    }

    error = txn_check_references(txn);
    if (!error) {
        error = check_max_rows(txn);
    }
    if (!error) {
        error = txn_check_weak_refs(txn);
    }
    if (!error) {
        error = check_indexes(txn);
    }
    if (!error) {
        determine_changes(txn);
    }
    return error;
}
