/* ovsdb-idl-read: the users' view of the IDL's replica.
 *
 * Schema accessors, row lookup and iteration, column values (generic and
 * typed), and change tracking.  Reads see the open transaction's view: its
 * written values, its inserted rows, not its deleted ones.  See
 * ovsdb-idl-private.h for the layout of the IDL's files and ovsdb-idl.h
 * for the contract. */
#include <config.h>

#include "ovsdb-idl-private.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "hmap.h"
#include "list.h"
#include "ovsdb-schema.h"
#include "shash.h"
#include "util.h"

/* ------------------------------------------------------------------ */
/* Schema accessors.                                                   */
/* ------------------------------------------------------------------ */

const struct ovsdb_schema *
ovsdb_idl_get_schema(const struct ovsdb_idl *idl)
{
    return idl->schema;
}

const struct ovsdb_table_schema *
ovsdb_idl_get_table_schema(const struct ovsdb_idl *idl, const char *table)
{
    return idl->schema ? ovsdb_schema_get_table(idl->schema, table) : NULL;
}

bool
ovsdb_idl_has_table(const struct ovsdb_idl *idl, const char *table)
{
    const struct idl_table *t = idl_table_get(idl, table);
    return t && t->schema;
}

bool
ovsdb_idl_has_column(const struct ovsdb_idl *idl, const char *table,
                     const char *column)
{
    const struct idl_table *t = idl_table_get(idl, table);
    if (!t || !t->schema) {
        return false;
    }
    const struct ovsdb_column *c = ovsdb_table_schema_get_column(t->schema,
                                                                 column);
    return c && (c->index < OVSDB_N_STD_COLUMNS || t->monitored[c->index]);
}

/* ------------------------------------------------------------------ */
/* Reading.                                                            */
/* ------------------------------------------------------------------ */

static struct ovsdb_idl_row *
table_find_row(const struct idl_table *t, const struct uuid *uuid)
{
    struct ovsdb_idl_row *row;
    HMAP_FOR_EACH_WITH_HASH (row, hmap_node, uuid_hash(uuid), &t->rows) {
        if (uuid_equals(&row->uuid, uuid)) {
            return row;
        }
    }
    return NULL;
}

static bool
row_is_visible(const struct ovsdb_idl_row *row)
{
    return !row->txn_deleted && !row->deleted;
}

const struct ovsdb_idl_row *
ovsdb_idl_get_row(const struct ovsdb_idl *idl, const char *table,
                  const struct uuid *uuid)
{
    const struct idl_table *t = idl_table_get(idl, table);
    const struct ovsdb_idl_row *row = t ? table_find_row(t, uuid) : NULL;
    return row && row_is_visible(row) ? row : NULL;
}

static const struct ovsdb_idl_row *
next_visible(const struct idl_table *t, struct hmap_node *node)
{
    for (; node; node = hmap_next(&t->rows, node)) {
        const struct ovsdb_idl_row *row
            = CONTAINER_OF(node, struct ovsdb_idl_row, hmap_node);
        if (row_is_visible(row)) {
            return row;
        }
    }
    return NULL;
}

const struct ovsdb_idl_row *
ovsdb_idl_first_row(const struct ovsdb_idl *idl, const char *table)
{
    const struct idl_table *t = idl_table_get(idl, table);
    return t ? next_visible(t, hmap_first(&t->rows)) : NULL;
}

const struct ovsdb_idl_row *
ovsdb_idl_next_row(const struct ovsdb_idl_row *row)
{
    return next_visible(row->table, hmap_next(&row->table->rows,
                                              &row->hmap_node));
}

size_t
ovsdb_idl_count_rows(const struct ovsdb_idl *idl, const char *table)
{
    const struct ovsdb_idl_row *row;
    size_t n = 0;
    OVSDB_IDL_FOR_EACH (row, table, idl) {
        n++;
    }
    return n;
}

const struct uuid *
ovsdb_idl_row_get_uuid(const struct ovsdb_idl_row *row)
{
    return &row->uuid;
}

const char *
ovsdb_idl_row_get_table_name(const struct ovsdb_idl_row *row)
{
    return row->table->name;
}

const struct ovsdb_table_schema *
ovsdb_idl_row_get_table_schema(const struct ovsdb_idl_row *row)
{
    return row->schema;
}

struct ovsdb_idl *
ovsdb_idl_row_get_idl(const struct ovsdb_idl_row *row)
{
    return row->table->idl;
}

static const struct ovsdb_datum *
row_datum(const struct ovsdb_idl_row *row, size_t i)
{
    if (row->new_ && (!row->old || row->written[i])) {
        return &row->new_[i];
    }
    return &row->old[i];
}

const struct ovsdb_datum *
ovsdb_idl_row_get(const struct ovsdb_idl_row *row, const char *column,
                  const struct ovsdb_type **typep)
{
    static const struct ovsdb_datum empty = OVSDB_DATUM_EMPTY_INITIALIZER;
    const struct ovsdb_column *c
        = ovsdb_table_schema_get_column(row->schema, column);
    if (typep) {
        *typep = c ? &c->type : NULL;
    }
    return c ? row_datum(row, c->index) : &empty;
}

const struct ovsdb_idl_row *
ovsdb_idl_find_row_by_string(const struct ovsdb_idl *idl, const char *table,
                             const char *column, const char *value)
{
    const struct ovsdb_idl_row *row;

    OVSDB_IDL_FOR_EACH (row, table, idl) {
        const char *s = ovsdb_idl_row_get_string(row, column);

        if (s && !strcmp(s, value)) {
            return row;
        }
    }
    return NULL;
}

/* The first key of COLUMN in ROW if the column's keys are of type ATYPE
 * and it has one, else NULL. */
static const union ovsdb_atom *
row_get_first_key(const struct ovsdb_idl_row *row, const char *column,
                  enum ovsdb_atomic_type atype)
{
    const struct ovsdb_type *type;
    const struct ovsdb_datum *d = ovsdb_idl_row_get(row, column, &type);
    return type && type->key.type == atype && d->n ? &d->keys[0] : NULL;
}

const char *
ovsdb_idl_row_get_string(const struct ovsdb_idl_row *row, const char *column)
{
    const union ovsdb_atom *a = row_get_first_key(row, column,
                                                  OVSDB_TYPE_STRING);
    return a ? a->string : NULL;
}

int64_t
ovsdb_idl_row_get_integer(const struct ovsdb_idl_row *row,
                          const char *column, int64_t dflt)
{
    const union ovsdb_atom *a = row_get_first_key(row, column,
                                                  OVSDB_TYPE_INTEGER);
    return a ? a->integer : dflt;
}

bool
ovsdb_idl_row_get_boolean(const struct ovsdb_idl_row *row,
                          const char *column, bool dflt)
{
    const union ovsdb_atom *a = row_get_first_key(row, column,
                                                  OVSDB_TYPE_BOOLEAN);
    return a ? a->boolean : dflt;
}

const char *
ovsdb_idl_row_get_map_string(const struct ovsdb_idl_row *row,
                             const char *column, const char *key)
{
    const struct ovsdb_type *type;
    const struct ovsdb_datum *d = ovsdb_idl_row_get(row, column, &type);
    if (!type || type->key.type != OVSDB_TYPE_STRING
        || type->value.type != OVSDB_TYPE_STRING) {
        return NULL;
    }
    union ovsdb_atom atom = { .string = (char *) key };
    unsigned int idx = ovsdb_datum_find_key(d, &atom, OVSDB_TYPE_STRING);
    return idx == UINT_MAX ? NULL : d->values[idx].string;
}

const struct ovsdb_idl_row *
ovsdb_idl_row_get_ref(const struct ovsdb_idl_row *row, const char *column,
                      unsigned int idx)
{
    const struct ovsdb_type *type;
    const struct ovsdb_datum *d = ovsdb_idl_row_get(row, column, &type);
    if (!type || type->key.type != OVSDB_TYPE_UUID
        || !type->key.u.uuid.ref_table || idx >= d->n) {
        return NULL;
    }
    return ovsdb_idl_get_row(row->table->idl,
                             type->key.u.uuid.ref_table->name,
                             &d->keys[idx].uuid);
}

unsigned int
ovsdb_idl_row_get_seqno(const struct ovsdb_idl_row *row)
{
    return row->seqno;
}

/* ------------------------------------------------------------------ */
/* Change tracking.                                                    */
/* ------------------------------------------------------------------ */

void
ovsdb_idl_track_enable(struct ovsdb_idl *idl)
{
    idl->track = true;
}

const struct ovsdb_idl_row *
ovsdb_idl_track_first(const struct ovsdb_idl *idl, const char *table)
{
    const struct idl_table *t = idl_table_get(idl, table);
    if (!t || vs_list_is_empty(&t->track_list)) {
        return NULL;
    }
    return CONTAINER_OF(vs_list_front(&t->track_list), struct ovsdb_idl_row,
                        track_node);
}

const struct ovsdb_idl_row *
ovsdb_idl_track_next(const struct ovsdb_idl_row *row)
{
    if (row->track_node.next == &row->table->track_list) {
        return NULL;
    }
    return CONTAINER_OF(row->track_node.next, struct ovsdb_idl_row,
                        track_node);
}

bool
ovsdb_idl_row_is_new(const struct ovsdb_idl_row *row)
{
    return row->track_new && !row->deleted;
}

bool
ovsdb_idl_row_is_deleted(const struct ovsdb_idl_row *row)
{
    return row->deleted;
}

bool
ovsdb_idl_row_is_updated(const struct ovsdb_idl_row *row, const char *column)
{
    const struct ovsdb_column *c
        = ovsdb_table_schema_get_column(row->schema, column);
    if (!c || !row->tracked) {
        return false;
    }
    return row->track_new || (row->updated && row->updated[c->index]);
}

void
ovsdb_idl_track_clear(struct ovsdb_idl *idl)
{
    struct shash_node *node;
    SHASH_FOR_EACH (node, &idl->tables) {
        struct idl_table *t = node->data;
        struct ovsdb_idl_row *row;

        LIST_FOR_EACH_POP (row, track_node, &t->track_list) {
            vs_list_init(&row->track_node);
            row->tracked = false;
            row->track_new = false;
            free(row->updated);
            row->updated = NULL;
            if (row->deleted) {
                if (row->in_txn) {
                    row->in_gc = true;
                    vs_list_push_back(&idl->gc, &row->gc_node);
                } else {
                    idl_row_free(row);
                }
            }
        }
    }
}
