/* ovsdb-lite: the OVSDB database server.
 *
 * Parses the common daemon options, daemonizes, opens the databases
 * (storage.h), listens on the remotes and serves JSON-RPC (server.h), and
 * answers unixctl commands, all from one main loop. */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "daemon-main.h"
#include "database.h"
#include "dirs.h"
#include "dynamic-string.h"
#include "memory.h"
#include "ovsdb-error.h"
#include "ovsdb-schema.h"
#include "poll-loop.h"
#include "server.h"
#include "storage.h"
#include "unixctl.h"
#include "util.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(ovsdb_lite);

/* Command-line settings. */
struct options {
    char **remotes;
    size_t n_remotes;
    char **db_files;
    size_t n_db_files;
    long long int compact_min;      /* -1: default. */
};

/* Pending "ovsdb-lite/compact" requests. */
struct compact_request {
    struct unixctl_conn **conns;
    size_t n;
};

struct app {
    struct server *server;
    struct compact_request compact;
};

static const struct daemon_main_class ovsdb_lite_class;
static void add_remotes(struct server *, const struct options *,
                        struct ds *startup_log);
static void open_databases(struct server *, const struct options *,
                           struct ds *startup_log);
static void register_commands(struct app *);
static void add_string(char ***arrayp, size_t *np, const char *);
static void free_options(struct options *);
static unixctl_cb_func ovsdb_lite_add_remote;
static unixctl_cb_func ovsdb_lite_remove_remote;
static unixctl_cb_func ovsdb_lite_list_remotes;
static unixctl_cb_func ovsdb_lite_list_dbs;
static unixctl_cb_func ovsdb_lite_compact;
static memory_report_func ovsdb_lite_memory_report;
static void finish_compactions(struct app *);

int
main(int argc, char *argv[])
{
    struct options options = { .compact_min = -1 };
    struct app app = { .server = NULL };
    struct ds startup_log = DS_EMPTY_INITIALIZER;
    struct daemon_main dm;
    int first_arg;

    first_arg = daemon_main_init(&dm, &ovsdb_lite_class, argc, argv,
                                 &options);
    for (int i = first_arg; i < argc; i++) {
        add_string(&options.db_files, &options.n_db_files, argv[i]);
    }

    daemon_main_start(&dm);
    app.server = server_create();
    open_databases(app.server, &options, &startup_log);
    if (options.compact_min >= 0) {
        server_set_compaction_policy(app.server, 4, options.compact_min);
    }
    add_remotes(app.server, &options, &startup_log);
    register_commands(&app);
    daemon_main_ready(&dm);
    /* Logged only now, so that a --detach start is quiet on stderr. */
    for (char *line = strtok(ds_cstr(&startup_log), "\n"); line;
         line = strtok(NULL, "\n")) {
        VLOG_INFO("%s", line);
    }
    ds_destroy(&startup_log);

    while (!dm.exiting) {
        server_run(app.server);
        daemon_main_run(&dm);
        finish_compactions(&app);
        if (dm.exiting) {
            break;
        }
        server_wait(app.server);
        daemon_main_wait(&dm);
        poll_block();
    }

    for (size_t i = 0; i < app.compact.n; i++) {
        unixctl_command_reply_error(app.compact.conns[i], "exiting");
    }
    free(app.compact.conns);
    daemon_main_exit(&dm);
    server_destroy(app.server);
    free_options(&options);
    return 0;
}

static void
add_remotes(struct server *server, const struct options *options,
            struct ds *startup_log)
{
    for (size_t i = 0; i < options->n_remotes; i++) {
        const char *remote = options->remotes[i];
        char *msg;

        if (str_starts_with(remote, "db:")) {
            VLOG_WARN("%s: remotes from the database are not supported, "
                      "ignoring", remote);
            continue;
        }
        if (server_add_remote(server, remote, &msg)) {
            vs_fatal(0, "%s", msg);
        }
        ds_put_format(startup_log, "%s: listening on %s\n", remote,
                      server_get_remote_bound_name(server, remote));
    }
}

/* Creates FILE_NAME from the installed schema if it does not exist. */
static void
create_default_db(const char *file_name, struct ds *startup_log)
{
    struct ovsdb_schema *schema;
    struct ovsdb_error *oerror;
    char *schema_file;
    struct stat st;
    char *msg;
    int error;

    if (!stat(file_name, &st) || errno != ENOENT) {
        return;
    }
    schema_file = xasprintf("%s/vswitch.ovsschema", vs_pkgdatadir());
    oerror = ovsdb_schema_from_file(schema_file, &schema);
    if (oerror) {
        vs_fatal(0, "%s: cannot create from %s: %s", file_name, schema_file,
                 ovsdb_error_to_string_free(oerror));
    }
    error = storage_create(file_name, schema, &msg);
    if (error && error != EEXIST) {
        vs_fatal(0, "%s", msg);
    }
    free(msg);
    ds_put_format(startup_log, "%s: created from %s\n", file_name,
                  schema_file);
    ovsdb_schema_destroy(schema);
    free(schema_file);
}

static void
open_databases(struct server *server, const struct options *options,
               struct ds *startup_log)
{
    char *default_db = NULL;
    const char *const *files = (const char *const *) options->db_files;
    size_t n_files = options->n_db_files;

    if (!n_files) {
        default_db = xasprintf("%s/conf.db", vs_dbdir());
        create_default_db(default_db, startup_log);
        files = (const char *const *) &default_db;
        n_files = 1;
    }
    for (size_t i = 0; i < n_files; i++) {
        struct storage *storage;
        struct db *db;
        char *msg;
        int error;

        error = storage_open(files[i], &db, &storage, &msg);
        if (error) {
            vs_fatal(0, "%s", msg);
        }
        if (!server_add_db(server, db, storage)) {
            vs_fatal(0, "%s: database %s is already being served", files[i],
                     db->name);
        }
        ds_put_format(startup_log, "%s: serving database %s (%zu rows)\n",
                      files[i], db->name, db_count_rows(db));
    }
    free(default_db);
}

/* unixctl commands. */

static void
register_commands(struct app *app)
{
    unixctl_command_register("ovsdb-lite/add-remote", "REMOTE", 1, 1,
                             ovsdb_lite_add_remote, app);
    unixctl_command_register("ovsdb-lite/remove-remote", "REMOTE", 1, 1,
                             ovsdb_lite_remove_remote, app);
    unixctl_command_register("ovsdb-lite/list-remotes", "", 0, 0,
                             ovsdb_lite_list_remotes, app);
    unixctl_command_register("ovsdb-lite/list-dbs", "", 0, 0,
                             ovsdb_lite_list_dbs, app);
    unixctl_command_register("ovsdb-lite/compact", "[DB]", 0, 1,
                             ovsdb_lite_compact, app);
    memory_report_register(ovsdb_lite_memory_report, app);
}

static void
ovsdb_lite_add_remote(struct unixctl_conn *conn, int argc VS_UNUSED,
                      const char *argv[], void *app_)
{
    struct app *app = app_;
    char *msg;

    if (server_add_remote(app->server, argv[1], &msg)) {
        unixctl_command_reply_error(conn, msg);
    } else {
        VLOG_INFO("%s: listening on %s", argv[1],
                  server_get_remote_bound_name(app->server, argv[1]));
        unixctl_command_reply(conn, NULL);
    }
    free(msg);
}

static void
ovsdb_lite_remove_remote(struct unixctl_conn *conn, int argc VS_UNUSED,
                         const char *argv[], void *app_)
{
    struct app *app = app_;

    if (server_remove_remote(app->server, argv[1])) {
        VLOG_INFO("%s: stopped listening", argv[1]);
        unixctl_command_reply(conn, NULL);
    } else {
        unixctl_command_reply_error(conn, "Unknown remote");
    }
}

static void
ovsdb_lite_list_remotes(struct unixctl_conn *conn, int argc VS_UNUSED,
                        const char *argv[] VS_UNUSED, void *app_)
{
    struct app *app = app_;
    struct ds s = DS_EMPTY_INITIALIZER;

    server_list_remotes(app->server, &s);
    unixctl_command_reply(conn, ds_cstr(&s));
    ds_destroy(&s);
}

static void
ovsdb_lite_list_dbs(struct unixctl_conn *conn, int argc VS_UNUSED,
                    const char *argv[] VS_UNUSED, void *app_)
{
    struct app *app = app_;
    struct ds s = DS_EMPTY_INITIALIZER;

    server_list_dbs(app->server, &s);
    unixctl_command_reply(conn, ds_cstr(&s));
    ds_destroy(&s);
}

static void
ovsdb_lite_compact(struct unixctl_conn *conn, int argc,
                   const char *argv[], void *app_)
{
    struct app *app = app_;
    struct compact_request *c = &app->compact;
    char *msg;

    if (server_compact(app->server, argc > 1 ? argv[1] : NULL, &msg)) {
        unixctl_command_reply_error(conn, msg);
        free(msg);
        return;
    }
    c->conns = xrealloc(c->conns, (c->n + 1) * sizeof *c->conns);
    c->conns[c->n++] = conn;
}

/* Replies to "ovsdb-lite/compact" once compactions have finished. */
static void
finish_compactions(struct app *app)
{
    struct compact_request *c = &app->compact;
    unsigned int n_failed;

    if (!c->n || !server_compaction_done(app->server, &n_failed)) {
        return;
    }
    for (size_t i = 0; i < c->n; i++) {
        if (n_failed) {
            unixctl_command_reply_error(c->conns[i], "compaction failed "
                                        "(see the log)");
        } else {
            unixctl_command_reply(c->conns[i], NULL);
        }
    }
    c->n = 0;
}

static void
ovsdb_lite_memory_report(struct shash *usage, void *app_)
{
    struct app *app = app_;

    server_get_memory_usage(app->server, usage);
}

/* Options. */

static void
add_string(char ***arrayp, size_t *np, const char *s)
{
    *arrayp = xrealloc(*arrayp, (*np + 1) * sizeof **arrayp);
    (*arrayp)[(*np)++] = xstrdup(s);
}

static void
free_strings(char **array, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(array[i]);
    }
    free(array);
}

static void
free_options(struct options *options)
{
    free_strings(options->remotes, options->n_remotes);
    free_strings(options->db_files, options->n_db_files);
}

enum {
    OPT_REMOTE = DAEMON_MAIN_OPT_FIRST,
    OPT_COMPACT_MIN,
};

static const struct option ovsdb_lite_options[] = {
    {"remote", required_argument, NULL, OPT_REMOTE},
    {"compaction-min-size", required_argument, NULL, OPT_COMPACT_MIN},
    {NULL, 0, NULL, 0},
};

static bool
parse_option(int c, const char *arg, void *options_)
{
    struct options *options = options_;

    switch (c) {
    case OPT_REMOTE:
        add_string(&options->remotes, &options->n_remotes, arg);
        return true;
    case OPT_COMPACT_MIN:
        if (!str_to_llong(arg, &options->compact_min)
            || options->compact_min < 0) {
            vs_fatal(0, "--compaction-min-size: \"%s\" is not a "
                     "nonnegative number of bytes", arg);
        }
        return true;
    default:
        return false;
    }
}

static void
usage(void)
{
    printf("%s: vswitch-lite OVSDB database server\n"
           "usage: %s [OPTIONS] [DATABASE...]\n"
           "where each DATABASE is a file made by \"ovsdb-lite-tool "
           "create\";\nthe default is %s/conf.db, created from\n"
           "%s/vswitch.ovsschema if it does not exist.\n",
           program_name, program_name, vs_dbdir(), vs_pkgdatadir());
    printf("\nJSON-RPC options (may be specified any number of times):\n"
           "  --remote=REMOTE         listen on REMOTE: punix:FILE,\n"
           "                          ptcp:PORT[:IP], pssl:PORT[:IP]\n"
           "  --compaction-min-size=BYTES\n"
           "                          compact automatically only once the\n"
           "                          log grew by BYTES (default 10 MiB)\n");
}

static const struct daemon_main_class ovsdb_lite_class = {
    .module = &VLM_ovsdb_lite,
    .options = ovsdb_lite_options,
    .parse_option = parse_option,
    .usage = usage,
};
