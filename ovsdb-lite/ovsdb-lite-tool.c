/* ovsdb-lite-tool: offline management of ovsdb-lite database files. */
#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "command-line.h"
#include "database.h"
#include "dirs.h"
#include "dynamic-string.h"
#include "fatal-signal.h"
#include "log.h"
#include "ovsdb-data.h"
#include "ovsdb-error.h"
#include "ovsdb-schema.h"
#include "storage.h"
#include "timeval.h"
#include "transaction.h"
#include "util.h"
#include "vlog.h"

static int show_log_verbosity;

static void usage(void) VS_NO_RETURN;

static char *
default_db(void)
{
    return xasprintf("%s/conf.db", vs_dbdir());
}

static char *
default_schema(void)
{
    return xasprintf("%s/vswitch.ovsschema", vs_pkgdatadir());
}

static void
check_ovsdb_error(struct ovsdb_error *error)
{
    if (error) {
        vs_fatal(0, "%s", ovsdb_error_to_string_free(error));
    }
}

/* Exits with *MSGP (or ERROR's text) if ERROR is nonzero; frees *MSGP. */
static void
check_error(int error, char **msgp)
{
    if (error) {
        vs_fatal(0, "%s", *msgp ? *msgp : vs_strerror(error));
    }
    free(*msgp);
    *msgp = NULL;
}

static void
print_json(const json_t *json)
{
    char *s = json_dumps(json, JSON_COMPACT | JSON_ENCODE_ANY);
    puts(s ? s : "null");
    free(s);
}

static void
do_create(int argc, char *argv[])
{
    char *db_file = argc > 1 ? xstrdup(argv[1]) : default_db();
    char *schema_file = argc > 2 ? xstrdup(argv[2]) : default_schema();
    struct ovsdb_schema *schema;
    char *msg = NULL;

    check_ovsdb_error(ovsdb_schema_from_file(schema_file, &schema));
    check_error(storage_create(db_file, schema, &msg), &msg);
    ovsdb_schema_destroy(schema);
    free(db_file);
    free(schema_file);
}

static void
do_compact(int argc, char *argv[])
{
    char *db_file = argc > 1 ? xstrdup(argv[1]) : default_db();
    struct storage *storage;
    struct db *db;
    char *msg = NULL;

    if (argc > 2) {
        check_error(storage_read(db_file, &db, NULL, &msg), &msg);
        check_error(storage_create_from_db(argv[2], db, &msg), &msg);
    } else {
        check_error(storage_open(db_file, &db, &storage, &msg), &msg);
        check_error(storage_compact(storage, db, &msg), &msg);
        check_error(storage_commit_block(storage, &msg), &msg);
        storage_close(storage);
    }
    db_destroy(db);
    free(db_file);
}

static void
do_check(int argc, char *argv[])
{
    char *db_file = argc > 1 ? xstrdup(argv[1]) : default_db();
    uint64_t n_records;
    struct db *db;
    char *msg = NULL;

    check_error(storage_read(db_file, &db, &n_records, &msg), &msg);
    printf("%s: database %s, %"PRIu64" record%s, %zu row%s: OK\n", db_file,
           db->name, n_records, n_records == 1 ? "" : "s",
           db_count_rows(db), db_count_rows(db) == 1 ? "" : "s");
    db_destroy(db);
    free(db_file);
}

static void
do_schema_name(int argc, char *argv[])
{
    char *schema_file = argc > 1 ? xstrdup(argv[1]) : default_schema();
    struct ovsdb_schema *schema;

    check_ovsdb_error(ovsdb_schema_from_file(schema_file, &schema));
    puts(schema->name);
    ovsdb_schema_destroy(schema);
    free(schema_file);
}

static void
do_schema_version(int argc, char *argv[])
{
    char *schema_file = argc > 1 ? xstrdup(argv[1]) : default_schema();
    struct ovsdb_schema *schema;

    check_ovsdb_error(ovsdb_schema_from_file(schema_file, &schema));
    puts(schema->version ? schema->version : "");
    ovsdb_schema_destroy(schema);
    free(schema_file);
}

/* Reads only the first record of FILE_NAME: its schema. */
static struct ovsdb_schema *
read_db_schema(const char *file_name)
{
    struct ovsdb_schema *schema;
    struct ovsdb_log *log;
    json_t *json;
    char *msg = NULL;
    int error;

    check_error(ovsdb_log_open(file_name, OVSDB_LOG_READ_ONLY, false, &log,
                               &msg), &msg);
    error = ovsdb_log_read(log, &json, &msg);
    if (error == EOF) {
        vs_fatal(0, "%s: database file is empty (no schema)", file_name);
    }
    check_error(error, &msg);
    check_ovsdb_error(db_schema_from_snapshot_json(json, &schema));
    json_decref(json);
    ovsdb_log_close(log);
    return schema;
}

static void
do_db_name(int argc, char *argv[])
{
    if (argc < 2) {
        char *db_file = default_db();
        struct ovsdb_schema *schema = read_db_schema(db_file);
        puts(schema->name);
        ovsdb_schema_destroy(schema);
        free(db_file);
    }
    for (int i = 1; i < argc; i++) {
        struct ovsdb_schema *schema = read_db_schema(argv[i]);
        puts(schema->name);
        ovsdb_schema_destroy(schema);
    }
}

static void
do_db_version(int argc, char *argv[])
{
    char *db_file = argc > 1 ? xstrdup(argv[1]) : default_db();
    struct ovsdb_schema *schema = read_db_schema(db_file);

    puts(schema->version ? schema->version : "");
    ovsdb_schema_destroy(schema);
    free(db_file);
}

static void
print_date(struct ds *s, const json_t *date)
{
    if (json_is_integer(date)) {
        ds_put_strftime_msec(s, "%Y-%m-%d %H:%M:%S%.###",
                             json_integer_value(date), true);
    }
}

static bool
row_exists(const struct db_table *table, const char *uuid_s)
{
    struct uuid uuid;

    return (table && uuid_from_string(&uuid, uuid_s)
            && db_table_find_row(table, &uuid));
}

/* Prints the changes of one transaction or snapshot record. */
static void
show_changes(const struct db *db, const json_t *tables, bool snapshot)
{
    const char *table_name;
    json_t *rows;

    json_object_foreach ((json_t *) tables, table_name, rows) {
        const struct db_table *table = db ? db_get_table(db, table_name)
                                          : NULL;
        const char *uuid;
        json_t *row;

        if (table_name[0] == '_' || !json_is_object(rows)) {
            continue;
        }
        printf("\ttable %s", table_name);
        if (!table) {
            printf(" (not in schema)");
        }
        putchar('\n');
        json_object_foreach (rows, uuid, row) {
            const char *what = (json_is_null(row) ? "delete "
                                : snapshot ? ""
                                : row_exists(table, uuid)
                                ? "update " : "insert ");
            const json_t *name = json_object_get(row, "name");

            printf("\t\t%srow %.8s", what, uuid);
            if (json_is_string(name)) {
                printf(" \"%s\"", json_string_value(name));
            }
            if (show_log_verbosity > 1 && json_is_object(row)) {
                printf(": ");
                char *s = json_dumps(row, JSON_COMPACT);
                printf("%s", s ? s : "");
                free(s);
            }
            putchar('\n');
        }
    }
}

static void
do_show_log(int argc, char *argv[])
{
    char *db_file = argc > 1 ? xstrdup(argv[1]) : default_db();
    struct ovsdb_schema *schema = NULL;
    struct db *db = NULL;
    struct ovsdb_log *log;
    char *msg = NULL;
    int error;

    check_error(ovsdb_log_open(db_file, OVSDB_LOG_READ_ONLY, false, &log,
                               &msg), &msg);
    for (unsigned int i = 0; ; i++) {
        struct ds s = DS_EMPTY_INITIALIZER;
        json_t *json;

        error = ovsdb_log_read(log, &json, &msg);
        if (error == EOF) {
            break;
        }
        check_error(error, &msg);

        ds_put_format(&s, "record %u:", i);
        if (i == 0) {
            const json_t *data = json_object_get(json, "data");
            size_t n_rows = 0;
            const char *name;
            json_t *value;

            check_ovsdb_error(db_from_snapshot_json(json, &db));
            schema = db->schema;
            json_object_foreach ((json_t *) data, name, value) {
                n_rows += json_object_size(value);
            }
            ds_put_format(&s, " \"%s\" schema", schema->name);
            if (schema->version) {
                ds_put_format(&s, ", version=\"%s\"", schema->version);
            }
            ds_put_format(&s, ", snapshot with %zu row%s", n_rows,
                          n_rows == 1 ? "" : "s");
            puts(ds_cstr(&s));
            if (show_log_verbosity) {
                show_changes(db, data, true);
            }
        } else {
            const json_t *comment = json_object_get(json, "_comment");

            ds_put_char(&s, ' ');
            print_date(&s, json_object_get(json, "_date"));
            if (json_is_string(comment)) {
                ds_put_format(&s, " \"%s\"", json_string_value(comment));
            }
            puts(ds_cstr(&s));
            if (show_log_verbosity) {
                show_changes(db, json, false);
            }
            check_ovsdb_error(db_apply_txn_json(db, json));
        }
        ds_destroy(&s);
        json_decref(json);
    }
    ovsdb_log_close(log);
    db_destroy(db);
    free(db_file);
}

/* "query" and "transact": one transaction, executed offline. */
static void
transact(int argc, char *argv[], bool read_only)
{
    const char *db_file = argc > 2 ? argv[1] : NULL;
    const char *txn_s = argv[argc - 1];
    struct txn_context ctx = { .lock_owned = NULL };
    char *default_file = NULL;
    struct storage *storage = NULL;
    long long int timeout;
    json_error_t jerror;
    json_t *params, *results;
    struct db *db;
    struct txn *txn;
    char *msg = NULL;

    if (!db_file) {
        db_file = default_file = default_db();
    }
    params = json_loads(txn_s, JSON_DECODE_ANY, &jerror);
    if (!params) {
        vs_fatal(0, "transaction is not valid JSON: %s", jerror.text);
    }
    if (read_only) {
        check_error(storage_read(db_file, &db, NULL, &msg), &msg);
    } else {
        check_error(storage_open(db_file, &db, &storage, &msg), &msg);
    }

    txn = txn_execute(db, params, &ctx, &results, &timeout);
    if (!txn && !results) {
        results = json_pack("[{ss}]", "error", "timed out");
    }
    if (txn) {
        if (read_only) {
            txn_abort(txn);
        } else {
            json_t *record = txn_to_record_json(txn, time_wall_msec());
            if (record) {
                check_error(storage_write(storage, record, NULL, &msg), &msg);
                json_decref(record);
            }
            txn_commit(txn);
            check_error(storage_commit_block(storage, &msg), &msg);
        }
    }
    print_json(results);
    json_decref(results);
    json_decref(params);
    storage_close(storage);
    db_destroy(db);
    free(default_file);
}

static void
do_query(int argc, char *argv[])
{
    transact(argc, argv, true);
}

static void
do_transact(int argc, char *argv[])
{
    transact(argc, argv, false);
}

static void
do_help(int argc VS_UNUSED, char *argv[] VS_UNUSED)
{
    usage();
}

static const struct vs_command commands[] = {
    { "create", 0, 2, do_create },
    { "compact", 0, 2, do_compact },
    { "check", 0, 1, do_check },
    { "show-log", 0, 1, do_show_log },
    { "schema-name", 0, 1, do_schema_name },
    { "schema-version", 0, 1, do_schema_version },
    { "db-name", 0, INT_MAX, do_db_name },
    { "db-version", 0, 1, do_db_version },
    { "query", 1, 2, do_query },
    { "transact", 1, 2, do_transact },
    { "help", 0, 0, do_help },
    { NULL, 0, 0, NULL },
};

static void
usage(void)
{
    printf("%s: vswitch-lite database management utility\n"
           "usage: %s [OPTIONS] COMMAND [ARG...]\n"
           "  create [DB [SCHEMA]]    create DB with the given SCHEMA\n"
           "  compact [DB [DST]]      compact DB in place, or into DST\n"
           "  check [DB]              check DB's log and contents\n"
           "  show-log [DB]           print DB's records "
           "(-m, -mm for more)\n"
           "  schema-name [SCHEMA]    print SCHEMA's name\n"
           "  schema-version [SCHEMA] print SCHEMA's version\n"
           "  db-name [DB...]         print each DB's name\n"
           "  db-version [DB]         print DB's schema version\n"
           "  query [DB] TRNS         execute read-only TRNS on DB\n"
           "  transact [DB] TRNS      execute TRNS on DB\n"
           "The default DB is %s/conf.db and the default SCHEMA\n"
           "%s/vswitch.ovsschema.\n",
           program_name, program_name, vs_dbdir(), vs_pkgdatadir());
    vlog_usage();
    printf("\nOther options:\n"
           "  -m, --more              increase show-log verbosity\n"
           "  -h, --help              display this help message\n"
           "  -V, --version           display version information\n");
    exit(EXIT_SUCCESS);
}

int
main(int argc, char *argv[])
{
    enum {
        OPT_UNUSED = UCHAR_MAX + 1,
        VLOG_OPTION_ENUMS
    };
    static const struct option long_options[] = {
        {"more", no_argument, NULL, 'm'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        VLOG_LONG_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    char *short_options;

    set_program_name(argv[0]);
    fatal_signal_init();
    vlog_set_levels_from_string_assert("any:console:warn");
    short_options = long_options_to_short_options(long_options);
    for (;;) {
        int c = getopt_long(argc, argv, short_options, long_options, NULL);
        if (c == -1) {
            break;
        }
        switch (c) {
        case 'm':
            show_log_verbosity++;
            break;
        case 'h':
            usage();
        case 'V':
            vs_print_version();
            exit(EXIT_SUCCESS);
        VLOG_OPTION_HANDLERS
        case '?':
            exit(EXIT_FAILURE);
        default:
            vs_abort(0, "unhandled option %d", c);
        }
    }
    free(short_options);

    argc -= optind;
    argv += optind;
    if (argc < 1) {
        vs_fatal(0, "missing command name; use --help for help");
    }
    const struct vs_command *c = vs_command_find(commands, argv[0]);
    if (!c) {
        vs_fatal(0, "unknown command '%s'; use --help for help", argv[0]);
    }
    int n_args = argc - 1;
    if (n_args < c->min_args) {
        vs_fatal(0, "'%s' command requires at least %d arguments",
                 c->name, c->min_args);
    } else if (n_args > c->max_args) {
        vs_fatal(0, "'%s' command takes at most %d arguments",
                 c->name, c->max_args);
    }
    c->handler(argc, argv);
    return 0;
}
