/* ovsdb-lite: in-memory database.  See database.h. */
#include <config.h>

#include "database.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "hash.h"
#include "ovsdb-data.h"
#include "ovsdb-error.h"
#include "ovsdb-schema.h"
#include "ovsdb-uuid.h"
#include "timeval.h"
#include "util.h"

/* Fast UUIDs. */

static uint64_t
rotl64(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

void
db_uuid_generate(struct uuid *uuid)
{
    static uint64_t s[4];
    static pid_t seeded_pid;
    uint64_t r[2];

    if (seeded_pid != getpid()) {
        struct uuid seed[2];

        uuid_random(&seed[0]);
        uuid_random(&seed[1]);
        memcpy(s, seed, sizeof s);
        if (!(s[0] | s[1] | s[2] | s[3])) {
            s[0] = 1;
        }
        seeded_pid = getpid();
    }
    for (int i = 0; i < 2; i++) {
        uint64_t t = s[1] << 17;

        r[i] = rotl64(s[1] * 5, 7) * 9;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = rotl64(s[3], 45);
    }
    uuid->parts[0] = r[0] >> 32;
    uuid->parts[1] = (r[0] & 0xffff0fff) | 0x4000;      /* Version 4. */
    uuid->parts[2] = ((r[1] >> 32) & 0x3fffffff) | 0x80000000; /* RFC 4122
                                                                 * variant. */
    uuid->parts[3] = r[1];
}

static void db_table_add_weak_source(struct db_table *target,
                                     struct db_table *source,
                                     const struct ovsdb_column *);

struct db *
db_create(struct ovsdb_schema *schema)
{
    struct db *db = xzalloc(sizeof *db);
    const struct shash_node **nodes;
    size_t i;

    db->schema = schema;
    db->name = schema->name;
    shash_init(&db->tables);
    db->n_tables = shash_count(&schema->tables);
    db->table_array = xcalloc(db->n_tables ? db->n_tables : 1,
                              sizeof *db->table_array);

    nodes = shash_sort(&schema->tables);
    for (i = 0; i < db->n_tables; i++) {
        const struct ovsdb_table_schema *ts = nodes[i]->data;
        struct db_table *t = xzalloc(sizeof *t);

        t->db = db;
        t->schema = ts;
        hmap_init(&t->rows);
        t->indexes = xcalloc(ts->n_indexes ? ts->n_indexes : 1,
                             sizeof *t->indexes);
        for (size_t j = 0; j < ts->n_indexes; j++) {
            hmap_init(&t->indexes[j]);
        }
        shash_add(&db->tables, ts->name, t);
        db->table_array[i] = t;
    }
    free(nodes);

    /* Find the weak references. */
    for (i = 0; i < db->n_tables; i++) {
        struct db_table *t = db->table_array[i];

        for (size_t c = 0; c < t->schema->n_columns; c++) {
            const struct ovsdb_column *column = t->schema->column_array[c];
            const struct ovsdb_type *type = &column->type;
            const struct ovsdb_base_type *bases[2] = { &type->key,
                                                       &type->value };

            for (int b = 0; b < 2; b++) {
                if (ovsdb_base_type_is_weak_ref(bases[b])) {
                    struct db_table *target = db_get_table(
                        db, bases[b]->u.uuid.ref_table_name);
                    if (target) {
                        db_table_add_weak_source(target, t, column);
                    }
                }
            }
        }
    }
    return db;
}

static void
db_table_add_weak_source(struct db_table *target, struct db_table *source,
                         const struct ovsdb_column *column)
{
    for (size_t i = 0; i < target->n_weak_sources; i++) {
        if (target->weak_sources[i].table == source
            && target->weak_sources[i].column == column) {
            return;
        }
    }
    target->weak_sources = xrealloc(target->weak_sources,
                                    (target->n_weak_sources + 1)
                                    * sizeof *target->weak_sources);
    target->weak_sources[target->n_weak_sources].table = source;
    target->weak_sources[target->n_weak_sources].column = column;
    target->n_weak_sources++;
}

void
db_destroy(struct db *db)
{
    if (!db) {
        return;
    }
    for (size_t i = 0; i < db->n_tables; i++) {
        struct db_table *t = db->table_array[i];
        struct db_row *row;

        for (size_t j = 0; j < t->schema->n_indexes; j++) {
            hmap_destroy(&t->indexes[j]);
        }
        free(t->indexes);
        HMAP_FOR_EACH_SAFE (row, hmap_node, &t->rows) {
            db_row_destroy(row);
        }
        hmap_destroy(&t->rows);
        free(t->weak_sources);
        free(t);
    }
    free(db->table_array);
    shash_destroy(&db->tables);
    ovsdb_schema_destroy(db->schema);
    free(db);
}

struct db_table *
db_get_table(const struct db *db, const char *name)
{
    return shash_find_data(&db->tables, name);
}

size_t
db_count_rows(const struct db *db)
{
    size_t n = 0;

    for (size_t i = 0; i < db->n_tables; i++) {
        n += hmap_count(&db->table_array[i]->rows);
    }
    return n;
}

static struct db_row *
db_row_alloc(const struct ovsdb_table_schema *ts)
{
    struct db_row *row = xmalloc(sizeof *row
                                 + ts->n_indexes * sizeof row->index_nodes[0]);
    row->txn_row = NULL;
    row->n_refs = 0;
    return row;
}

struct db_row *
db_row_create(const struct db_table *table)
{
    struct db_row *row = db_row_alloc(table->schema);

    ovsdb_row_init(&row->row, table->schema);
    return row;
}

struct db_row *
db_row_clone(const struct db_row *old)
{
    struct db_row *row = db_row_alloc(old->row.table);

    ovsdb_row_clone_into(&row->row, &old->row);
    return row;
}

void
db_row_destroy(struct db_row *row)
{
    if (row) {
        ovsdb_row_uninit(&row->row);
        free(row);
    }
}

struct db_row *
db_table_find_row(const struct db_table *table, const struct uuid *uuid)
{
    struct db_row *row;

    HMAP_FOR_EACH_WITH_HASH (row, hmap_node, uuid_hash(uuid), &table->rows) {
        if (uuid_equals(db_row_uuid(row), uuid)) {
            return row;
        }
    }
    return NULL;
}

void
db_table_insert_row(struct db_table *table, struct db_row *row)
{
    hmap_insert(&table->rows, &row->hmap_node, uuid_hash(db_row_uuid(row)));
}

void
db_table_remove_row(struct db_table *table, struct db_row *row)
{
    hmap_remove(&table->rows, &row->hmap_node);
}

uint32_t
db_row_index_hash(const struct db_row *row, size_t index)
{
    return ovsdb_row_hash_columns(&row->row, &row->row.table->indexes[index],
                                  0);
}

void
db_table_index_insert(struct db_table *table, struct db_row *row)
{
    for (size_t i = 0; i < table->schema->n_indexes; i++) {
        hmap_insert(&table->indexes[i], &row->index_nodes[i],
                    db_row_index_hash(row, i));
    }
}

void
db_table_index_remove(struct db_table *table, struct db_row *row)
{
    for (size_t i = 0; i < table->schema->n_indexes; i++) {
        hmap_remove(&table->indexes[i], &row->index_nodes[i]);
    }
}

struct ovsdb_error *
db_row_for_each_strong_ref(const struct db *db, const struct db_row *row,
                           db_strong_ref_func *func, void *aux)
{
    const struct ovsdb_table_schema *ts = row->row.table;

    for (size_t c = OVSDB_N_STD_COLUMNS; c < ts->n_columns; c++) {
        const struct ovsdb_column *column = ts->column_array[c];
        const struct ovsdb_base_type *bases[2] = { &column->type.key,
                                                   &column->type.value };
        const struct ovsdb_datum *d = &row->row.fields[c];

        for (int b = 0; b < 2; b++) {
            const union ovsdb_atom *atoms = b ? d->values : d->keys;
            struct db_strong_ref ref = { .row = row, .column = column };

            if (!ovsdb_base_type_is_strong_ref(bases[b])) {
                continue;
            }
            ref.target = db_get_table(db, bases[b]->u.uuid.ref_table_name);
            for (unsigned int i = 0; ref.target && i < d->n; i++) {
                struct ovsdb_error *error;

                if (uuid_equals(&atoms[i].uuid, db_row_uuid(row))) {
                    continue;
                }
                ref.uuid = &atoms[i].uuid;
                error = func(&ref, aux);
                if (error) {
                    return error;
                }
            }
        }
    }
    return NULL;
}

struct ovsdb_error *
db_strong_ref_error(const struct db_strong_ref *ref)
{
    return ovsdb_error("referential integrity violation",
                       "Table %s column %s row "UUID_FMT" references "
                       "nonexistent row "UUID_FMT" in table %s.",
                       ref->row->row.table->name, ref->column->name,
                       UUID_ARGS(db_row_uuid(ref->row)),
                       UUID_ARGS(ref->uuid), ref->target->schema->name);
}

/* Counts REF in its target row's n_refs (a db_strong_ref_func). */
static struct ovsdb_error *
count_ref(const struct db_strong_ref *ref, void *aux VS_UNUSED)
{
    struct db_row *dst = db_table_find_row(ref->target, ref->uuid);

    if (!dst) {
        return db_strong_ref_error(ref);
    }
    dst->n_refs++;
    return NULL;
}

struct ovsdb_error *
db_rebuild(struct db *db)
{
    size_t i;

    for (i = 0; i < db->n_tables; i++) {
        struct db_table *t = db->table_array[i];
        struct db_row *row;

        for (size_t j = 0; j < t->schema->n_indexes; j++) {
            hmap_clear(&t->indexes[j]);
        }
        HMAP_FOR_EACH (row, hmap_node, &t->rows) {
            row->n_refs = 0;
        }
    }

    for (i = 0; i < db->n_tables; i++) {
        struct db_table *t = db->table_array[i];
        struct db_row *row;

        HMAP_FOR_EACH (row, hmap_node, &t->rows) {
            struct ovsdb_error *error;

            error = db_row_for_each_strong_ref(db, row, count_ref, NULL);
            if (error) {
                return error;
            }

            for (size_t j = 0; j < t->schema->n_indexes; j++) {
                uint32_t hash = db_row_index_hash(row, j);
                const struct ovsdb_column_set *cols = &t->schema->indexes[j];
                struct hmap_node *node;

                for (node = hmap_first_with_hash(&t->indexes[j], hash);
                     node; node = hmap_next_with_hash(node)) {
                    struct db_row *other = db_row_from_index_node(node, j);
                    if (ovsdb_row_equal_columns(&row->row, &other->row,
                                                cols)) {
                        return ovsdb_error("constraint violation",
                                           "rows "UUID_FMT" and "UUID_FMT
                                           " in table %s have the same "
                                           "values for an index",
                                           UUID_ARGS(db_row_uuid(row)),
                                           UUID_ARGS(db_row_uuid(other)),
                                           t->schema->name);
                    }
                }
                hmap_insert(&t->indexes[j], &row->index_nodes[j], hash);
            }
        }
    }
    return NULL;
}

/* JSON. */

json_t *
db_row_to_disk_json(const struct db_row *row)
{
    const struct ovsdb_table_schema *ts = row->row.table;
    json_t *json = json_object();

    for (size_t c = OVSDB_N_STD_COLUMNS; c < ts->n_columns; c++) {
        const struct ovsdb_column *column = ts->column_array[c];
        const struct ovsdb_datum *d = &row->row.fields[c];

        if (!column->ephemeral && !ovsdb_datum_is_default(d, &column->type)) {
            json_object_set_new(json, column->name,
                                ovsdb_datum_to_json(d, &column->type));
        }
    }
    return json;
}

json_t *
db_to_snapshot_json(const struct db *db)
{
    json_t *data = json_object();
    json_t *json;

    for (size_t i = 0; i < db->n_tables; i++) {
        const struct db_table *t = db->table_array[i];
        const struct db_row *row;
        json_t *rows;

        if (hmap_is_empty(&t->rows)) {
            continue;
        }
        rows = json_object();
        HMAP_FOR_EACH (row, hmap_node, &t->rows) {
            char uuid[UUID_LEN + 1];

            uuid_format(db_row_uuid(row), uuid);
            json_object_set_new(rows, uuid, db_row_to_disk_json(row));
        }
        json_object_set_new(data, t->schema->name, rows);
    }

    json = json_object();
    json_object_set_new(json, "schema", ovsdb_schema_to_json(db->schema));
    json_object_set_new(json, "data", data);
    return json;
}

struct ovsdb_error *
db_schema_from_snapshot_json(const json_t *json,
                             struct ovsdb_schema **schemap)
{
    const json_t *schema_json = json_object_get(json, "schema");

    *schemap = NULL;
    if (!json_is_object(json) || !schema_json) {
        return ovsdb_syntax_error(NULL, NULL, "snapshot record lacks "
                                  "\"schema\"");
    }
    return ovsdb_schema_from_json(schema_json, schemap);
}

/* Parses the columns in ROW_JSON into ROW, rejecting "_uuid", "_version"
 * and ephemeral columns. */
static struct ovsdb_error *
parse_disk_row(struct db_row *row, const json_t *row_json)
{
    const struct ovsdb_table_schema *ts = row->row.table;
    const char *name;
    json_t *value;

    if (!json_is_object(row_json)) {
        return ovsdb_syntax_error(row_json, NULL, "table %s row must be an "
                                  "object", ts->name);
    }
    json_object_foreach ((json_t *) row_json, name, value) {
        const struct ovsdb_column *column;
        struct ovsdb_datum datum;
        struct ovsdb_error *error;

        column = ovsdb_table_schema_get_column(ts, name);
        if (!column || column->index < OVSDB_N_STD_COLUMNS) {
            return ovsdb_syntax_error(row_json, "unknown column",
                                      "No column %s in table %s.", name,
                                      ts->name);
        }
        error = ovsdb_datum_from_json(&datum, &column->type, value, NULL);
        if (error) {
            return ovsdb_wrap_error(error, "table %s column %s", ts->name,
                                    name);
        }
        ovsdb_datum_swap(&row->row.fields[column->index], &datum);
        ovsdb_datum_destroy(&datum, &column->type);
    }
    return NULL;
}

static void
set_random_version(struct db_row *row)
{
    struct uuid version;

    db_uuid_generate(&version);
    ovsdb_row_set_version(&row->row, &version);
}

/* Applies TABLE_JSON, {UUID: ROW-OR-NULL, ...}, to TABLE.  Snapshot
 * records (SNAPSHOT true) only insert. */
static struct ovsdb_error *
apply_table_json(struct db_table *table, const json_t *table_json,
                 bool snapshot)
{
    const char *uuid_s;
    json_t *row_json;

    if (!json_is_object(table_json)) {
        return ovsdb_syntax_error(table_json, NULL, "table %s must be an "
                                  "object", table->schema->name);
    }
    json_object_foreach ((json_t *) table_json, uuid_s, row_json) {
        struct ovsdb_error *error;
        struct db_row *row;
        struct uuid uuid;

        if (!uuid_from_string(&uuid, uuid_s)) {
            return ovsdb_syntax_error(NULL, NULL, "table %s: \"%s\" is not "
                                      "a valid UUID", table->schema->name,
                                      uuid_s);
        }
        row = db_table_find_row(table, &uuid);
        if (json_is_null(row_json)) {
            if (!row || snapshot) {
                return ovsdb_syntax_error(NULL, NULL, "table %s: cannot "
                                          "delete missing row %s",
                                          table->schema->name, uuid_s);
            }
            db_table_remove_row(table, row);
            db_row_destroy(row);
        } else if (row) {
            if (snapshot) {
                return ovsdb_syntax_error(NULL, NULL, "table %s: duplicate "
                                          "row %s", table->schema->name,
                                          uuid_s);
            }
            error = parse_disk_row(row, row_json);
            if (error) {
                return error;
            }
            set_random_version(row);
        } else {
            row = db_row_create(table);
            ovsdb_row_set_uuid(&row->row, &uuid);
            set_random_version(row);
            error = parse_disk_row(row, row_json);
            if (error) {
                db_row_destroy(row);
                return error;
            }
            db_table_insert_row(table, row);
        }
    }
    return NULL;
}

struct ovsdb_error *
db_apply_txn_json(struct db *db, const json_t *json)
{
    const char *name;
    json_t *value;

    if (!json_is_object(json)) {
        return ovsdb_syntax_error(json, NULL, "transaction record must be "
                                  "an object");
    }
    json_object_foreach ((json_t *) json, name, value) {
        struct db_table *table;
        struct ovsdb_error *error;

        if (name[0] == '_') {
            continue;           /* "_date", "_comment", ... */
        }
        table = db_get_table(db, name);
        if (!table) {
            return ovsdb_syntax_error(NULL, "unknown table",
                                      "No table named %s.", name);
        }
        error = apply_table_json(table, value, false);
        if (error) {
            return error;
        }
    }
    return NULL;
}

struct ovsdb_error *
db_from_snapshot_json(const json_t *json, struct db **dbp)
{
    struct ovsdb_schema *schema;
    struct ovsdb_error *error;
    const json_t *data;
    const char *name;
    json_t *value;
    struct db *db;

    *dbp = NULL;
    error = db_schema_from_snapshot_json(json, &schema);
    if (error) {
        return error;
    }
    db = db_create(schema);

    data = json_object_get(json, "data");
    if (data && !json_is_object(data)) {
        error = ovsdb_syntax_error(data, NULL, "snapshot \"data\" must be "
                                   "an object");
        goto error;
    }
    json_object_foreach ((json_t *) data, name, value) {
        struct db_table *table = db_get_table(db, name);

        if (!table) {
            error = ovsdb_syntax_error(NULL, "unknown table",
                                       "No table named %s.", name);
            goto error;
        }
        error = apply_table_json(table, value, true);
        if (error) {
            goto error;
        }
    }
    error = db_rebuild(db);
    if (error) {
        goto error;
    }
    *dbp = db;
    return NULL;

error:
    db_destroy(db);
    return error;
}
