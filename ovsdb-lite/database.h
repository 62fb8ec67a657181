/* ovsdb-lite: an in-memory OVSDB database (tables, rows, indexes,
 * reference counts) and its JSON forms on disk.
 *
 * A database owns its schema and one struct db_table per table.  Each
 * table keeps its rows in an hmap by uuid and, for each schema index, an
 * hmap of the committed rows by the hash of the index columns.
 *
 * Rows are struct db_row: the data model's struct ovsdb_row plus the
 * server's bookkeeping.  'n_refs' counts the strong references that other
 * rows hold to the row (self references do not count); it is exact for
 * committed rows and maintained by transactions (transaction.h).  While a
 * transaction runs, a table's 'rows' shows the transaction's view: see
 * transaction.h.
 *
 * On-disk records (see storage.h for the file): a snapshot record
 *
 *     {"schema": SCHEMA, "data": {TABLE: {UUID: ROW, ...}, ...}}
 *
 * and transaction records
 *
 *     {"_date": MSEC, "_comment": TEXT, TABLE: {UUID: ROW-OR-NULL, ...}}
 *
 * where ROW holds the row's non-default, non-ephemeral columns (for a
 * snapshot or an inserted row) or the new values of the columns that
 * changed (for a modified row; the uuid already exists), and null deletes
 * the row.  "_comment" is optional.  "_uuid" and "_version" are never
 * written; versions are regenerated when a database is loaded. */
#ifndef OVSDB_LITE_DATABASE_H
#define OVSDB_LITE_DATABASE_H 1

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include "hmap.h"
#include "list.h"
#include "ovsdb-row.h"
#include "shash.h"

struct ovsdb_column;
struct ovsdb_error;
struct ovsdb_schema;
struct txn_row;
struct txn_table;

struct db_row {
    struct hmap_node hmap_node;     /* In db_table's 'rows', by uuid. */
    struct txn_row *txn_row;        /* Set while a transaction has it. */
    size_t n_refs;                  /* Strong references from other rows. */
    struct ovsdb_row row;
    struct hmap_node index_nodes[]; /* One per index of the table. */
};

static inline const struct uuid *
db_row_uuid(const struct db_row *row)
{
    return &row->row.fields[OVSDB_COL_UUID].keys[0].uuid;
}

/* Returns the row whose index_nodes[I] is NODE. */
static inline struct db_row *
db_row_from_index_node(const struct hmap_node *node, size_t i)
{
    return (struct db_row *) (void *)
        ((char *) (node - i) - offsetof(struct db_row, index_nodes));
}

struct db_table {
    struct db *db;
    const struct ovsdb_table_schema *schema;
    struct hmap rows;               /* Contains struct db_row, by uuid. */
    struct hmap *indexes;           /* schema->n_indexes hmaps of committed
                                     * rows' index_nodes. */
    struct txn_table *txn_table;    /* Set while a transaction changes it. */

    /* Columns of other tables (or this one) that refer to this table with
     * a weak reference, as "struct db_weak_source"s. */
    struct db_weak_source *weak_sources;
    size_t n_weak_sources;
};

/* A column SOURCE->table.COLUMN whose key or value weakly refers to some
 * table. */
struct db_weak_source {
    struct db_table *table;
    const struct ovsdb_column *column;
};

struct db {
    struct ovsdb_schema *schema;    /* Owned. */
    const char *name;               /* schema->name. */
    struct shash tables;            /* Name -> struct db_table *. */
    struct db_table **table_array;  /* Tables in name order. */
    size_t n_tables;

    void *aux;                      /* For the server (see server.c). */
};

/* Stores a new random (version 4) UUID in UUID.  Much cheaper than
 * uuid_random(): a xoshiro256** generator seeded from uuid_random() at
 * the first use in each process. */
void db_uuid_generate(struct uuid *);

/* Creates an empty database for SCHEMA, taking ownership of it. */
struct db *db_create(struct ovsdb_schema *);
/* Frees DB and all of its rows (NULL is a no-op). */
void db_destroy(struct db *);

struct db_table *db_get_table(const struct db *, const char *name);
size_t db_count_rows(const struct db *);

/* Rows. */
struct db_row *db_row_create(const struct db_table *);
/* Returns a deep copy of ROW (not in any table, n_refs 0). */
struct db_row *db_row_clone(const struct db_row *);
void db_row_destroy(struct db_row *);
/* Returns the row with UUID in TABLE's current view, or NULL. */
struct db_row *db_table_find_row(const struct db_table *,
                                 const struct uuid *);
/* Inserts ROW into TABLE's 'rows' (not the indexes). */
void db_table_insert_row(struct db_table *, struct db_row *);
void db_table_remove_row(struct db_table *, struct db_row *);

/* Index maintenance for committed rows. */
uint32_t db_row_index_hash(const struct db_row *, size_t index);
void db_table_index_insert(struct db_table *, struct db_row *);
void db_table_index_remove(struct db_table *, struct db_row *);

/* Strong references. */

/* A strong reference that ROW's COLUMN holds to the row UUID of
 * TARGET. */
struct db_strong_ref {
    const struct db_row *row;
    const struct ovsdb_column *column;
    struct db_table *target;
    const struct uuid *uuid;
};

typedef struct ovsdb_error *db_strong_ref_func(const struct db_strong_ref *,
                                               void *aux);

/* Calls FUNC(REF, AUX) for each strong reference that ROW of DB holds to
 * a row other than itself (whether that row exists or not), column by
 * column, keys before values; references into a table that DB lacks are
 * skipped.  Stops at the first error FUNC returns and returns it, else
 * returns NULL.  FUNC must not change ROW. */
struct ovsdb_error *db_row_for_each_strong_ref(const struct db *,
                                               const struct db_row *,
                                               db_strong_ref_func *,
                                               void *aux);
/* Returns the "referential integrity violation" error for REF, whose
 * target row does not exist. */
struct ovsdb_error *db_strong_ref_error(const struct db_strong_ref *);

/* Recomputes every row's n_refs from scratch and rebuilds the indexes
 * (after loading).  Returns NULL, or a "referential integrity violation"
 * or "constraint violation" error describing a database that breaks its
 * schema's reference or index rules. */
struct ovsdb_error *db_rebuild(struct db *) VS_WARN_UNUSED_RESULT;

/* On-disk JSON. */

/* Returns the snapshot record for DB (new reference). */
json_t *db_to_snapshot_json(const struct db *);
/* Parses a snapshot record into a new database.  On success stores it in
 * *DBP (after db_rebuild()); on error returns it and stores NULL. */
struct ovsdb_error *db_from_snapshot_json(const json_t *, struct db **dbp)
    VS_WARN_UNUSED_RESULT;
/* Extracts just the schema of a snapshot record (new schema). */
struct ovsdb_error *db_schema_from_snapshot_json(const json_t *,
                                                 struct ovsdb_schema **)
    VS_WARN_UNUSED_RESULT;
/* Applies the transaction record JSON to DB without checking references
 * (call db_rebuild() afterwards).  On error DB may be partly changed. */
struct ovsdb_error *db_apply_txn_json(struct db *, const json_t *)
    VS_WARN_UNUSED_RESULT;

/* Returns ROW's columns that are written on disk (non-ephemeral, not
 * "_uuid"/"_version"), limited to non-default values (new reference). */
json_t *db_row_to_disk_json(const struct db_row *);

#endif /* ovsdb-lite/database.h */
