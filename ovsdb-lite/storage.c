/* ovsdb-lite: a database on disk.  See storage.h. */
#include <config.h>

#include "storage.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include "database.h"
#include "log.h"
#include "ovsdb-error.h"
#include "ovsdb-schema.h"
#include "timeval.h"
#include "util.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(storage);

struct storage {
    struct ovsdb_log *log;
    char *name;
    unsigned int compact_factor;
    off_t compact_min_bytes;
};

int
storage_create(const char *file_name, const struct ovsdb_schema *schema,
               char **errorp)
{
    struct db *db = db_create(ovsdb_schema_clone(schema));
    int error = storage_create_from_db(file_name, db, errorp);

    db_destroy(db);
    return error;
}

int
storage_create_from_db(const char *file_name, const struct db *db,
                       char **errorp)
{
    struct ovsdb_log *log;
    json_t *json;
    int error;

    *errorp = NULL;
    error = ovsdb_log_open(file_name, OVSDB_LOG_CREATE_EXCL, true, &log,
                           errorp);
    if (error) {
        return error;
    }

    json = db_to_snapshot_json(db);
    error = ovsdb_log_write(log, json, NULL, errorp);
    json_decref(json);
    if (!error) {
        error = ovsdb_log_commit_block(log, errorp);
    }
    ovsdb_log_close(log);
    return error;
}

/* Reads every record of LOG into a new database. */
static int
replay(struct ovsdb_log *log, const char *name, struct db **dbp,
       uint64_t *n_recordsp, char **errorp)
{
    struct ovsdb_error *oerror;
    uint64_t n_records = 0;
    struct db *db = NULL;
    int error;

    *dbp = NULL;
    for (;;) {
        json_t *json;

        error = ovsdb_log_read(log, &json, errorp);
        if (error == EOF) {
            break;
        } else if (error) {
            db_destroy(db);
            return error;
        }

        n_records++;
        if (!db) {
            oerror = db_from_snapshot_json(json, &db);
        } else {
            oerror = db_apply_txn_json(db, json);
        }
        json_decref(json);
        if (oerror) {
            char *s = ovsdb_error_to_string_free(oerror);
            *errorp = xasprintf("%s: record %"PRIu64" is not valid: %s",
                                name, n_records, s);
            free(s);
            db_destroy(db);
            return EBADMSG;
        }
    }

    if (!db) {
        *errorp = xasprintf("%s: database file is empty (no schema)", name);
        return EBADMSG;
    }
    if (n_records > 1) {
        oerror = db_rebuild(db);
        if (oerror) {
            char *s = ovsdb_error_to_string_free(oerror);
            *errorp = xasprintf("%s: %s", name, s);
            free(s);
            db_destroy(db);
            return EBADMSG;
        }
    }
    *dbp = db;
    if (n_recordsp) {
        *n_recordsp = n_records;
    }
    return 0;
}

int
storage_open(const char *file_name, struct db **dbp,
             struct storage **storagep, char **errorp)
{
    struct ovsdb_log *log;
    struct storage *s;
    int error;

    *dbp = NULL;
    *storagep = NULL;
    *errorp = NULL;
    error = ovsdb_log_open(file_name, OVSDB_LOG_READ_WRITE, true, &log,
                           errorp);
    if (error) {
        return error;
    }
    error = replay(log, file_name, dbp, NULL, errorp);
    if (!error) {
        error = ovsdb_log_truncate_tail(log, errorp);
    }
    if (error) {
        db_destroy(*dbp);
        *dbp = NULL;
        ovsdb_log_close(log);
        return error;
    }

    s = xzalloc(sizeof *s);
    s->log = log;
    s->name = xstrdup(file_name);
    s->compact_factor = 4;
    s->compact_min_bytes = 10 * 1024 * 1024;
    *storagep = s;
    return 0;
}

int
storage_read(const char *file_name, struct db **dbp, uint64_t *n_recordsp,
             char **errorp)
{
    struct ovsdb_log *log;
    int error;

    *dbp = NULL;
    *errorp = NULL;
    error = ovsdb_log_open(file_name, OVSDB_LOG_READ_ONLY, false, &log,
                           errorp);
    if (error) {
        return error;
    }
    error = replay(log, file_name, dbp, n_recordsp, errorp);
    ovsdb_log_close(log);
    return error;
}

void
storage_close(struct storage *s)
{
    if (s) {
        ovsdb_log_close(s->log);
        free(s->name);
        free(s);
    }
}

const char *
storage_get_name(const struct storage *s)
{
    return s->name;
}

int
storage_write(struct storage *s, const json_t *record, uint64_t *seqnop,
              char **errorp)
{
    return ovsdb_log_write(s->log, record, seqnop, errorp);
}

uint64_t
storage_written_seqno(const struct storage *s)
{
    return ovsdb_log_written_seqno(s->log);
}

uint64_t
storage_durable_seqno(const struct storage *s)
{
    return ovsdb_log_durable_seqno(s->log);
}

void
storage_run(struct storage *s)
{
    ovsdb_log_run(s->log);
}

void
storage_wait(struct storage *s)
{
    ovsdb_log_wait(s->log);
}

int
storage_get_error(const struct storage *s, const char **msgp)
{
    return ovsdb_log_get_error(s->log, msgp);
}

void
storage_set_compaction_policy(struct storage *s, unsigned int factor,
                              off_t min_bytes)
{
    s->compact_factor = factor;
    s->compact_min_bytes = min_bytes;
}

bool
storage_should_compact(const struct storage *s)
{
    off_t snapshot = ovsdb_log_snapshot_size(s->log);
    off_t growth = ovsdb_log_get_offset(s->log) - snapshot;

    return (!ovsdb_log_replace_in_progress(s->log)
            && growth > s->compact_min_bytes
            && growth > (off_t) s->compact_factor * snapshot);
}

bool
storage_compaction_in_progress(const struct storage *s)
{
    return ovsdb_log_replace_in_progress(s->log);
}

int
storage_compact(struct storage *s, const struct db *db, char **errorp)
{
    struct ovsdb_log *new;
    json_t *json;
    int error;

    *errorp = NULL;
    error = ovsdb_log_replace_start(s->log, &new, errorp);
    if (error) {
        return error;
    }
    json = db_to_snapshot_json(db);
    error = ovsdb_log_write(new, json, NULL, errorp);
    json_decref(json);
    if (error) {
        ovsdb_log_replace_abort(new);
        return error;
    }
    error = ovsdb_log_replace_commit(s->log, new, errorp);
    if (!error) {
        VLOG_INFO("%s: compacting (%zu rows)", s->name, db_count_rows(db));
    }
    return error;
}

int
storage_commit_block(struct storage *s, char **errorp)
{
    return ovsdb_log_commit_block(s->log, errorp);
}

void
storage_get_stats(const struct storage *s, struct storage_stats *stats)
{
    struct ovsdb_log_stats ls;

    ovsdb_log_get_stats(s->log, &ls);
    stats->file_size = ovsdb_log_get_offset(s->log);
    stats->snapshot_size = ovsdb_log_snapshot_size(s->log);
    stats->n_records_since_snapshot
        = ovsdb_log_n_records_since_snapshot(s->log);
    stats->n_writes = ls.n_writes;
    stats->n_syncs = ls.n_syncs;
    stats->n_compactions = ls.n_replacements;
    stats->n_failed_compactions = ls.n_failed_replacements;
}
