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

typedef struct ovsdb_error *column_func(struct txn *, struct txn_row *,
                                        const struct ovsdb_column *);

/* Calls FUNC(TXN, TR, COLUMN) for each column COLUMN, for which WANT
 * returns true, of each row TR that TXN inserts, deletes or modifies, until
 * FUNC returns an error, which it then returns.  Rows that FUNC makes TXN
 * track are not visited. */
static struct ovsdb_error *
for_each_changed_column(struct txn *txn,
                        bool (*want)(const struct ovsdb_column *),
                        column_func *func)
{
    struct ovsdb_error *error = NULL;
    struct txn_row **rows;
    size_t n;

    rows = txn_collect_rows(txn, &n);
    for (size_t i = 0; !error && i < n; i++) {
        struct txn_row *tr = rows[i];
        const struct ovsdb_table_schema *ts = tr->table->schema;

        if (!txn_row_is_change(tr)) {
            continue;
        }
        for (size_t c = OVSDB_N_STD_COLUMNS; !error && c < ts->n_columns;
             c++) {
            if (want(ts->column_array[c])) {
                error = func(txn, tr, ts->column_array[c]);
            }
        }
    }
    free(rows);
    return error;
}

/* Strong references. */

static bool
column_has_strong_refs(const struct ovsdb_column *column)
{
    return (ovsdb_base_type_is_strong_ref(&column->type.key)
            || ovsdb_base_type_is_strong_ref(&column->type.value));
}

static int
compare_uuids(const void *a, const void *b)
{
    return uuid_compare_3way(a, b);
}

/* Gathers the uuids in the keys (if KEYS) or values of datum D into
 * *UUIDS, sorted, which the caller frees.  Returns their number. */
static size_t
collect_ref_uuids(const struct ovsdb_datum *d, bool keys, struct uuid **uuids)
{
    const union ovsdb_atom *atoms = keys ? d->keys : d->values;

    *uuids = xmalloc((d->n ? d->n : 1) * sizeof **uuids);
    for (unsigned int i = 0; i < d->n; i++) {
        (*uuids)[i] = atoms[i].uuid;
    }
    qsort(*uuids, d->n, sizeof **uuids, compare_uuids);
    return d->n;
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

/* Counts the strong reference that TR's new row adds in COLUMN to row U of
 * TARGET, which must exist. */
static struct ovsdb_error *
add_ref(struct txn *txn, const struct txn_row *tr,
        const struct ovsdb_column *column, struct db_table *target,
        const struct uuid *u)
{
    struct txn_row *dst = (db_table_find_row(target, u)
                           ? find_or_make_txn_row(txn, target, u)
                           : NULL);

    if (!dst) {
        const struct db_strong_ref ref = {
            .row = tr->new, .column = column, .target = target, .uuid = u,
        };
        return db_strong_ref_error(&ref);
    }
    dst->n_refs++;
    return NULL;
}

/* Uncounts a strong reference to row U of TARGET.  Returns the row's
 * txn_row if that was its last reference and the row still exists, else
 * NULL. */
static struct txn_row *
drop_ref(struct txn *txn, struct db_table *target, const struct uuid *u)
{
    struct txn_row *dst = find_or_make_txn_row(txn, target, u);

    if (dst && dst->n_refs && !--dst->n_refs && dst->new) {
        return dst;
    }
    return NULL;
}

/* Adjusts the reference counts for the strong references to TARGET in
 * the keys (if KEYS) or values of TR's COLUMN, whose old and new datums
 * are OD and ND: those only in ND are counted, those only in OD
 * uncounted.  Self references do not count. */
static struct ovsdb_error *
adjust_base_refs(struct txn *txn, const struct txn_row *tr,
                 const struct ovsdb_column *column, struct db_table *target,
                 const struct ovsdb_datum *od, const struct ovsdb_datum *nd,
                 bool keys)
{
    struct ovsdb_error *error = NULL;
    struct uuid *olds, *news;
    size_t n_old = collect_ref_uuids(od, keys, &olds);
    size_t n_new = collect_ref_uuids(nd, keys, &news);

    for (size_t i = 0, j = 0; !error && (i < n_old || j < n_new); ) {
        int cmp = (i >= n_old ? 1 : j >= n_new ? -1
                   : uuid_compare_3way(&olds[i], &news[j]));

        if (!cmp) {
            i++, j++;
        } else if (cmp < 0) {
            const struct uuid *u = &olds[i++];
            if (!uuid_equals(u, &tr->uuid)) {
                drop_ref(txn, target, u);
            }
        } else {
            const struct uuid *u = &news[j++];
            if (!uuid_equals(u, &tr->uuid)) {
                error = add_ref(txn, tr, column, target, u);
            }
        }
    }
    free(olds);
    free(news);
    return error;
}

/* Adjusts reference counts for strong references in COLUMN of TR that were
 * added (in new, not old) or removed (in old, not new).  A column_func. */
static struct ovsdb_error *
adjust_refs(struct txn *txn, struct txn_row *tr,
            const struct ovsdb_column *column)
{
    const struct ovsdb_base_type *bases[2] = { &column->type.key,
                                               &column->type.value };
    const struct ovsdb_datum empty = OVSDB_DATUM_EMPTY_INITIALIZER;
    const struct ovsdb_datum *od = (tr->old
                                    ? &tr->old->row.fields[column->index]
                                    : &empty);
    const struct ovsdb_datum *nd = (tr->new
                                    ? &tr->new->row.fields[column->index]
                                    : &empty);

    if (tr->old && tr->new && ovsdb_datum_equals(od, nd, &column->type)) {
        return NULL;
    }
    for (int b = 0; b < 2; b++) {
        struct ovsdb_error *error;
        struct db_table *target;

        if (!ovsdb_base_type_is_strong_ref(bases[b])) {
            continue;
        }
        target = db_get_table(txn->db, bases[b]->u.uuid.ref_table_name);
        if (!target) {
            continue;
        }
        error = adjust_base_refs(txn, tr, column, target, od, nd, b == 0);
        if (error) {
            return error;
        }
    }
    return NULL;
}

/* Rows left without references, still to be deleted. */
struct gc_stack {
    struct txn *txn;
    struct txn_row **rows;
    size_t n, allocated;
};

static void
gc_push(struct gc_stack *gc, struct txn_row *tr)
{
    if (gc->n >= gc->allocated) {
        gc->allocated = gc->allocated ? gc->allocated * 2 : 8;
        gc->rows = xrealloc(gc->rows, gc->allocated * sizeof *gc->rows);
    }
    gc->rows[gc->n++] = tr;
}

/* Uncounts REF, held by a row being deleted, and queues its target for
 * deletion if that was its last reference.  A db_strong_ref_func. */
static struct ovsdb_error *
gc_drop_ref(const struct db_strong_ref *ref, void *gc_)
{
    struct gc_stack *gc = gc_;
    struct txn_row *dst = drop_ref(gc->txn, ref->target, ref->uuid);

    if (dst) {
        gc_push(gc, dst);
    }
    return NULL;
}

/* Deletes the unreferenced non-root row of FIRST and, in turn, rows that
 * only it referred to. */
static void
collect_garbage(struct txn *txn, struct txn_row *first)
{
    struct gc_stack gc = { .txn = txn };

    gc_push(&gc, first);
    while (gc.n) {
        struct txn_row *tr = gc.rows[--gc.n];

        if (!tr->new || tr->n_refs || tr->table->schema->is_root) {
            continue;
        }
        /* gc_drop_ref() never fails. */
        ovsdb_error_destroy(db_row_for_each_strong_ref(txn->db, tr->new,
                                                       gc_drop_ref, &gc));
        txn_row_delete(txn, tr->table, tr->new);
    }
    free(gc.rows);
}

struct ovsdb_error *
txn_check_references(struct txn *txn)
{
    struct ovsdb_error *error;
    struct txn_row **rows;
    size_t n, i;

    /* Count references added and removed. */
    error = for_each_changed_column(txn, column_has_strong_refs,
                                    adjust_refs);
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

/* Weak references. */

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

/* Cleans the weak references in COLUMN of TR's new row that point to
 * missing rows.  A column_func. */
static struct ovsdb_error *
clean_written_weak_refs(struct txn *txn, struct txn_row *tr,
                        const struct ovsdb_column *column)
{
    return (tr->new
            ? clean_weak_refs(txn, tr->table, tr->new, column, NULL)
            : NULL);
}

/* Cleans the weak references to rows of TARGET that TXN deleted. */
static struct ovsdb_error *
clean_weak_refs_to_deleted(struct txn *txn, const struct db_table *target)
{
    struct hmap deleted = HMAP_INITIALIZER(&deleted);
    struct ovsdb_error *error = NULL;
    struct txn_row *tr;

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
        struct row_array a = ROW_ARRAY_INITIALIZER;
        struct db_row *row;

        /* Collect first: cleaning replaces rows in the table. */
        HMAP_FOR_EACH (row, hmap_node, &src->table->rows) {
            if (row->row.fields[src->column->index].n) {
                row_array_add(&a, row);
            }
        }
        for (size_t r = 0; !error && r < a.n; r++) {
            error = clean_weak_refs(txn, src->table, a.rows[r], src->column,
                                    &deleted);
        }
        row_array_destroy(&a);
    }
    uuid_set_destroy(&deleted);
    return error;
}

struct ovsdb_error *
txn_check_weak_refs(struct txn *txn)
{
    struct ovsdb_error *error;

    /* Weak references written by this transaction to missing rows. */
    error = for_each_changed_column(txn, column_has_weak_refs,
                                    clean_written_weak_refs);

    /* Weak references to rows that this transaction deleted. */
    for (size_t t = 0; !error && t < txn->db->n_tables; t++) {
        const struct db_table *target = txn->db->table_array[t];

        if (target->n_weak_sources && target->txn_table) {
            error = clean_weak_refs_to_deleted(txn, target);
        }
    }
    return error;
}
