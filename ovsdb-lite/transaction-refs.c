/* ovsdb-lite: references at commit (RFC 7047 section 3.2): strong
 * reference counts, garbage collection of unreferenced non-root rows, and
 * weak references to rows that are gone.  See transaction-private.h. */
#include <config.h>

#include "transaction-private.h"

#include <stdlib.h>
#include <string.h>
#include "database.h"
#include "hash.h"
#include "ovsdb-data.h"
#include "ovsdb-error.h"
#include "ovsdb-row.h"
#include "ovsdb-schema.h"
#include "row-set.h"
#include "util.h"

/* Gathers the uuids that atoms of BASE (key or value, as KEYS says) of
 * datum D refer to, into *UUIDS (sorted). */
static size_t
collect_ref_uuids(const struct ovsdb_datum *d, bool keys, struct uuid **uuids)
{
    const union ovsdb_atom *atoms = keys ? d->keys : d->values;

    *uuids = xmalloc((d->n ? d->n : 1) * sizeof **uuids);
    for (unsigned int i = 0; i < d->n; i++) {
        (*uuids)[i] = atoms[i].uuid;
    }
    return d->n;
}

static int
compare_uuids(const void *a, const void *b)
{
    return uuid_compare_3way(a, b);
}

/* Returns the txn_row that tracks the row UUID of TABLE's, creating a
 * reference-count-only one for an untouched committed row.  Returns NULL
 * if there is no such row in the current view or among rows the
 * transaction deleted. */
static struct txn_row *
find_or_make_txn_row(struct txn *txn, struct db_table *table,
                     const struct uuid *uuid)
{
    struct txn_row *tr = txn_find_row(table, uuid);

    if (!tr) {
        struct db_row *row = db_table_find_row(table, uuid);
        if (row) {
            tr = txn_add_row(txn, table, uuid, row, row);
        }
    }
    return tr;
}

/* Adjusts reference counts for strong references in COLUMN of TR that were
 * added (in new, not old) or removed (in old, not new). */
static struct ovsdb_error *
adjust_refs(struct txn *txn, struct txn_row *tr,
            const struct ovsdb_column *column)
{
    const struct ovsdb_base_type *bases[2] = { &column->type.key,
                                               &column->type.value };
    const struct ovsdb_datum *od = tr->old ? &tr->old->row.fields[
        column->index] : NULL;
    const struct ovsdb_datum *nd = tr->new ? &tr->new->row.fields[
        column->index] : NULL;
    const struct ovsdb_datum empty = OVSDB_DATUM_EMPTY_INITIALIZER;

    if (od && nd && ovsdb_datum_equals(od, nd, &column->type)) {
        return NULL;
    }
    if (!od) {
        od = &empty;
    }
    if (!nd) {
        nd = &empty;
    }

    for (int b = 0; b < 2; b++) {
        struct db_table *target;
        struct uuid *olds, *news;
        size_t n_old, n_new, i, j;
        struct ovsdb_error *error = NULL;

        if (!ovsdb_base_type_is_strong_ref(bases[b])) {
            continue;
        }
        target = db_get_table(txn->db, bases[b]->u.uuid.ref_table_name);
        if (!target) {
            continue;
        }
        n_old = collect_ref_uuids(od, b == 0, &olds);
        n_new = collect_ref_uuids(nd, b == 0, &news);
        qsort(olds, n_old, sizeof *olds, compare_uuids);
        qsort(news, n_new, sizeof *news, compare_uuids);

        for (i = j = 0; !error && (i < n_old || j < n_new); ) {
            int cmp = (i >= n_old ? 1 : j >= n_new ? -1
                       : uuid_compare_3way(&olds[i], &news[j]));
            const struct uuid *u;
            int delta;

            if (!cmp) {
                i++, j++;
                continue;
            } else if (cmp < 0) {
                u = &olds[i++];
                delta = -1;
            } else {
                u = &news[j++];
                delta = 1;
            }
            if (uuid_equals(u, &tr->uuid)) {
                continue;           /* Self references do not count. */
            }

            struct txn_row *dst;
            if (delta > 0) {
                struct db_row *row = db_table_find_row(target, u);
                dst = row ? find_or_make_txn_row(txn, target, u) : NULL;
                if (!dst) {
                    error = ovsdb_error("referential integrity violation",
                                        "Table %s column %s row "UUID_FMT" "
                                        "references nonexistent row "
                                        UUID_FMT" in table %s.",
                                        tr->table->schema->name,
                                        column->name, UUID_ARGS(&tr->uuid),
                                        UUID_ARGS(u), target->schema->name);
                    break;
                }
                dst->n_refs++;
            } else {
                dst = find_or_make_txn_row(txn, target, u);
                if (dst && dst->n_refs) {
                    dst->n_refs--;
                }
            }
        }
        free(olds);
        free(news);
        if (error) {
            return error;
        }
    }
    return NULL;
}

static bool
table_has_strong_refs(const struct ovsdb_table_schema *ts)
{
    for (size_t c = OVSDB_N_STD_COLUMNS; c < ts->n_columns; c++) {
        const struct ovsdb_type *type = &ts->column_array[c]->type;
        if (ovsdb_base_type_is_strong_ref(&type->key)
            || ovsdb_base_type_is_strong_ref(&type->value)) {
            return true;
        }
    }
    return false;
}

/* Deletes the unreferenced non-root row of TR and, in turn, rows that
 * only it referred to. */
static void
collect_garbage(struct txn *txn, struct txn_row *first)
{
    struct txn_row **stack = xmalloc(sizeof *stack);
    size_t n = 0, allocated = 1;

    stack[n++] = first;
    while (n) {
        struct txn_row *tr = stack[--n];
        const struct ovsdb_table_schema *ts = tr->table->schema;
        struct db_row *row = tr->new;

        if (!row || tr->n_refs || ts->is_root) {
            continue;
        }

        /* Drop the row's outgoing strong references. */
        for (size_t c = OVSDB_N_STD_COLUMNS; c < ts->n_columns; c++) {
            const struct ovsdb_column *column = ts->column_array[c];
            const struct ovsdb_datum *d = &row->row.fields[c];
            const struct ovsdb_base_type *bases[2] = { &column->type.key,
                                                       &column->type.value };

            for (int b = 0; b < 2; b++) {
                const union ovsdb_atom *atoms = b ? d->values : d->keys;
                struct db_table *target;

                if (!ovsdb_base_type_is_strong_ref(bases[b])) {
                    continue;
                }
                target = db_get_table(txn->db,
                                      bases[b]->u.uuid.ref_table_name);
                for (unsigned int i = 0; target && i < d->n; i++) {
                    struct txn_row *dst;

                    if (uuid_equals(&atoms[i].uuid, &tr->uuid)) {
                        continue;
                    }
                    dst = find_or_make_txn_row(txn, target, &atoms[i].uuid);
                    if (dst && dst->n_refs && !--dst->n_refs && dst->new) {
                        if (n >= allocated) {
                            allocated *= 2;
                            stack = xrealloc(stack, allocated * sizeof *stack);
                        }
                        stack[n++] = dst;
                    }
                }
            }
        }
        txn_row_delete(txn, tr->table, row);
    }
    free(stack);
}

struct ovsdb_error *
txn_check_references(struct txn *txn)
{
    struct txn_row **rows;
    struct ovsdb_error *error = NULL;
    size_t n, i;

    /* Count references added and removed. */
    rows = txn_collect_rows(txn, &n);
    for (i = 0; !error && i < n; i++) {
        struct txn_row *tr = rows[i];
        const struct ovsdb_table_schema *ts = tr->table->schema;

        if (tr->old == tr->new || !table_has_strong_refs(ts)) {
            continue;
        }
        for (size_t c = OVSDB_N_STD_COLUMNS; !error && c < ts->n_columns;
             c++) {
            const struct ovsdb_column *column = ts->column_array[c];
            if (ovsdb_base_type_is_strong_ref(&column->type.key)
                || ovsdb_base_type_is_strong_ref(&column->type.value)) {
                error = adjust_refs(txn, tr, column);
            }
        }
    }
    free(rows);
    if (error) {
        return error;
    }

    /* Garbage collection. */
    rows = txn_collect_rows(txn, &n);
    for (i = 0; i < n; i++) {
        struct txn_row *tr = rows[i];
        if (tr->new && !tr->n_refs && !tr->table->schema->is_root) {
            collect_garbage(txn, tr);
        }
    }
    free(rows);

    /* Deleted rows must not be referenced any longer. */
    rows = txn_collect_rows(txn, &n);
    for (i = 0; !error && i < n; i++) {
        struct txn_row *tr = rows[i];
        if (tr->old && !tr->new && tr->n_refs) {
            error = ovsdb_error("referential integrity violation",
                                "cannot delete %s row "UUID_FMT" because of "
                                "%zu remaining reference(s)",
                                tr->table->schema->name, UUID_ARGS(&tr->uuid),
                                tr->n_refs);
        }
    }
    free(rows);
    return error;
}
/* A set of uuids. */
struct uuid_node {
    struct hmap_node hmap_node;
    struct uuid uuid;
};

static bool
uuid_set_contains(const struct hmap *set, const struct uuid *uuid)
{
    struct uuid_node *node;

    HMAP_FOR_EACH_WITH_HASH (node, hmap_node, uuid_hash(uuid), set) {
        if (uuid_equals(&node->uuid, uuid)) {
            return true;
        }
    }
    return false;
}

static void
uuid_set_destroy(struct hmap *set)
{
    struct uuid_node *node;

    HMAP_FOR_EACH_SAFE (node, hmap_node, set) {
        free(node);
    }
    hmap_destroy(set);
}

/* Removes from column COLUMN of ROW (of TABLE) the elements whose weak
 * reference (in key or value) points to a row that is not in the
 * transaction's view or whose uuid is in DELETED (may be NULL).  Modifies
 * the row through the transaction only if something must go.  Returns an
 * error if the column ends up with too few elements. */
static struct ovsdb_error *
clean_weak_refs(struct txn *txn, struct db_table *table, struct db_row *row,
                const struct ovsdb_column *column, const struct hmap *deleted)
{
    const struct ovsdb_type *type = &column->type;
    struct db_table *key_target = NULL, *value_target = NULL;
    const struct ovsdb_datum *d = &row->row.fields[column->index];
    unsigned int n_removed = 0;
    bool *remove = NULL;

    if (ovsdb_base_type_is_weak_ref(&type->key)) {
        key_target = db_get_table(txn->db, type->key.u.uuid.ref_table_name);
    }
    if (ovsdb_base_type_is_weak_ref(&type->value)) {
        value_target = db_get_table(txn->db,
                                    type->value.u.uuid.ref_table_name);
    }
    for (unsigned int i = 0; i < d->n; i++) {
        bool dangling = false;

        for (int b = 0; b < 2 && !dangling; b++) {
            struct db_table *target = b ? value_target : key_target;
            const struct uuid *u;

            if (!target) {
                continue;
            }
            u = b ? &d->values[i].uuid : &d->keys[i].uuid;
            if (deleted) {
                dangling = uuid_set_contains(deleted, u);
            } else {
                dangling = (!uuid_equals(u, db_row_uuid(row))
                            && !db_table_find_row(target, u));
            }
        }
        if (dangling) {
            if (!remove) {
                remove = xcalloc(d->n, sizeof *remove);
            }
            remove[i] = true;
            n_removed++;
        }
    }
    if (!n_removed) {
        return NULL;
    }

    struct db_row *rw = txn_row_modify(txn, table, row);
    struct ovsdb_datum *wd = &rw->row.fields[column->index];
    for (unsigned int i = wd->n; i-- > 0; ) {
        if (remove[i]) {
            ovsdb_datum_remove_unsafe(wd, i, type);
        }
    }
    free(remove);
    ovsdb_datum_sort_assert(wd, type);

    if (wd->n < type->n_min) {
        return ovsdb_error("constraint violation",
                           "Deletion of %u weak reference(s) to deleted (or "
                           "never-existing) rows from column \"%s\" in \"%s\" "
                           "row "UUID_FMT" %scaused this column to become "
                           "empty, but constraints on this column disallow "
                           "an empty column.", n_removed, column->name,
                           table->schema->name, UUID_ARGS(db_row_uuid(rw)),
                           (rw->txn_row->old ? ""
                            : "(inserted within this transaction) "));
    }
    return NULL;
}

static bool
column_has_weak_refs(const struct ovsdb_column *column)
{
    return (ovsdb_base_type_is_weak_ref(&column->type.key)
            || ovsdb_base_type_is_weak_ref(&column->type.value));
}

struct ovsdb_error *
txn_check_weak_refs(struct txn *txn)
{
    struct ovsdb_error *error = NULL;
    struct txn_row **rows;
    size_t n, i;

    /* Weak references written by this transaction to missing rows. */
    rows = txn_collect_rows(txn, &n);
    for (i = 0; !error && i < n; i++) {
        struct txn_row *tr = rows[i];
        const struct ovsdb_table_schema *ts = tr->table->schema;

        if (!tr->new || tr->new == tr->old) {
            continue;
        }
        for (size_t c = OVSDB_N_STD_COLUMNS; !error && c < ts->n_columns;
             c++) {
            const struct ovsdb_column *column = ts->column_array[c];
            if (column_has_weak_refs(column)) {
                error = clean_weak_refs(txn, tr->table, tr->new, column,
                                        NULL);
            }
        }
    }

    /* Weak references to rows that this transaction deleted. */
    for (size_t t = 0; !error && t < txn->db->n_tables; t++) {
        struct db_table *target = txn->db->table_array[t];
        struct hmap deleted = HMAP_INITIALIZER(&deleted);
        struct txn_row *tr;

        if (!target->n_weak_sources || !target->txn_table) {
            continue;
        }
        HMAP_FOR_EACH (tr, hmap_node, &target->txn_table->rows) {
            if (tr->old && !tr->new) {
                struct uuid_node *node = xmalloc(sizeof *node);
                node->uuid = tr->uuid;
                hmap_insert(&deleted, &node->hmap_node, uuid_hash(&tr->uuid));
            }
        }
        for (size_t s = 0; !hmap_is_empty(&deleted) && !error
                 && s < target->n_weak_sources; s++) {
            const struct db_weak_source *src = &target->weak_sources[s];
            struct row_array a;

            /* Collect first: cleaning replaces rows in the table. */
            a = (struct row_array) ROW_ARRAY_INITIALIZER;
            struct db_row *row;
            HMAP_FOR_EACH (row, hmap_node, &src->table->rows) {
                if (row->row.fields[src->column->index].n) {
                    row_array_add(&a, row);
                }
            }
            for (size_t r = 0; !error && r < a.n; r++) {
                error = clean_weak_refs(txn, src->table, a.rows[r],
                                        src->column, &deleted);
            }
            free(a.rows);
        }
        uuid_set_destroy(&deleted);
    }
    free(rows);
    return error;
}
