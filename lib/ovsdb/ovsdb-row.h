/* A row of an OVSDB table, as the data model sees it: the table schema and
 * one datum per column, indexed by column index (ovsdb-schema.h), with the
 * row's uuid in fields[OVSDB_COL_UUID] and its version in
 * fields[OVSDB_COL_VERSION] (both one-element uuid data).
 *
 * The server embeds a struct ovsdb_row in its own row structure (with its
 * hmap node, transaction and reference-count bookkeeping) and recovers the
 * container with CONTAINER_OF; ovsdb_row_init()/ovsdb_row_uninit() serve
 * that use, ovsdb_row_create()/ovsdb_row_destroy() the heap-allocated one.
 * Clients use it for rows parsed from select results or updates.
 * Conditions and mutations operate on struct ovsdb_row.
 *
 * Every datum in fields[] is a valid datum of its column's type (see
 * ovsdb-data.h), except that defaults may violate constraints, as in
 * RFC 7047. */
#ifndef OVSDB_ROW_H
#define OVSDB_ROW_H 1

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include "compiler.h"
#include "ovsdb-data.h"
#include "ovsdb-schema.h"
#include "ovsdb-uuid.h"

struct ovsdb_row {
    const struct ovsdb_table_schema *table;
    struct ovsdb_datum *fields;     /* table->n_columns data. */
};

/* Initializes ROW for TABLE with every column at its type's default
 * (_uuid and _version all-zero uuids). */
void ovsdb_row_init(struct ovsdb_row *, const struct ovsdb_table_schema *);
/* Frees what ROW owns (not ROW). */
void ovsdb_row_uninit(struct ovsdb_row *);
/* Initializes DST as a deep copy of SRC. */
void ovsdb_row_clone_into(struct ovsdb_row *dst, const struct ovsdb_row *src);

/* Heap-allocated versions of the above.  destroy(NULL) is a no-op. */
struct ovsdb_row *ovsdb_row_create(const struct ovsdb_table_schema *);
struct ovsdb_row *ovsdb_row_clone(const struct ovsdb_row *);
void ovsdb_row_destroy(struct ovsdb_row *);

/* The row's "_uuid" and "_version". */
const struct uuid *ovsdb_row_get_uuid(const struct ovsdb_row *);
void ovsdb_row_set_uuid(struct ovsdb_row *, const struct uuid *);
const struct uuid *ovsdb_row_get_version(const struct ovsdb_row *);
void ovsdb_row_set_version(struct ovsdb_row *, const struct uuid *);

/* Parses RFC 7047 <row> {COLUMN: VALUE, ...} into ROW (already
 * initialized), replacing each named column's datum.  Unknown columns are
 * an "unknown column" error ("No column X in table T."); a bad value is
 * the datum's error with "column X: " prefixed.  Implicit columns
 * ("_uuid", "_version") are accepted too; the server rejects writes to them
 * itself (they are immutable).  Values go through ovsdb_datum_from_json()
 * with SYMTAB (may be NULL).  If COLUMNS is nonnull, each parsed column is
 * added to it (COLUMNS must be initialized).  On error, ROW may have been
 * partly updated but is still valid. */
struct ovsdb_error *ovsdb_row_from_json(struct ovsdb_row *, const json_t *,
                                        struct ovsdb_symbol_table *,
                                        struct ovsdb_column_set *columns)
    VS_WARN_UNUSED_RESULT;
/* Returns {COLUMN: VALUE, ...} for the columns in COLUMNS, or for every
 * column including "_uuid" and "_version" if COLUMNS is NULL (new
 * reference). */
json_t *ovsdb_row_to_json(const struct ovsdb_row *,
                          const struct ovsdb_column_set *columns);

/* Column-wise operations over COLUMNS (both rows of the same table). */
uint32_t ovsdb_row_hash_columns(const struct ovsdb_row *,
                                const struct ovsdb_column_set *,
                                uint32_t basis);
bool ovsdb_row_equal_columns(const struct ovsdb_row *,
                             const struct ovsdb_row *,
                             const struct ovsdb_column_set *);
int ovsdb_row_compare_columns_3way(const struct ovsdb_row *,
                                   const struct ovsdb_row *,
                                   const struct ovsdb_column_set *);
/* Copies the COLUMNS of SRC into DST. */
void ovsdb_row_update_columns(struct ovsdb_row *dst,
                              const struct ovsdb_row *src,
                              const struct ovsdb_column_set *);

#endif /* ovsdb-row.h */
