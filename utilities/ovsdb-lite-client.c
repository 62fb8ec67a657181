/* ovsdb-lite-client: command-line client for OVSDB servers (ovsdb-lite or
 * Open vSwitch's ovsdb-server), modeled on ovsdb-client(1).
 *
 * Every command opens one JSON-RPC connection, sends its requests and
 * prints what comes back.  The program runs its own small loop over the
 * reactor (instead of jsonrpc_transact_block()) so that --timeout bounds
 * every wait, the server's "echo" probes are answered, and notifications
 * (monitor updates, lock changes) are handled as they arrive.
 *
 * This file holds main(), the options, --help and the command table;
 * ovsdb-lite-client.h says where the rest is. */
#include <config.h>

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "command-line.h"
#include "dirs.h"
#include "ovsdb-lite-client.h"
#include "stream-ssl.h"
#include "stream.h"
#include "util.h"
#include "vlog.h"

VLOG_DEFINE_MODULE(ovsdb_lite_client);    /* The other files log through it. */

static unsigned int timeout_secs;       /* --timeout, 0 for none. */

static const struct vs_command commands[] = {
    {"list-dbs", 0, 0, do_list_dbs},
    {"get-schema", 0, 1, do_get_schema},
    {"list-tables", 0, 1, do_list_tables},
    {"list-columns", 0, 2, do_list_columns},
    {"transact", 1, 1, do_transact},
    {"query", 1, 1, do_query},
    {"dump", 0, INT_MAX, do_dump},
    {"monitor", 1, INT_MAX, do_monitor},
    {"lock", 1, 1, do_lock},
    {"steal", 1, 1, do_steal},
    {NULL, 0, 0, NULL},
};

static void parse_options(int argc, char *argv[]);
static void usage(void) VS_NO_RETURN;

static bool
is_server_name(const char *s)
{
    return !stream_verify_name(s) || !pstream_verify_name(s);
}

/* Takes the first of the *N_ARGS arguments *ARGS as the server, if it names
 * one and no server was named yet. */
static void
take_server_arg(const char **server, char ***args, int *n_args)
{
    if (*n_args > 0 && !*server && is_server_name((*args)[0])) {
        *server = (*args)[0];
        (*args)++;
        (*n_args)--;
    }
}

/* Exits if CMD does not take N_ARGS arguments. */
static void
check_n_args(const struct vs_command *cmd, int n_args)
{
    if (n_args < cmd->min_args || n_args > cmd->max_args) {
        int n = n_args < cmd->min_args ? cmd->min_args : cmd->max_args;
        vs_fatal(0, "\"%s\" command takes %s%d argument%s, %d given "
                 "(use --help for help)", cmd->name,
                 (cmd->min_args == cmd->max_args ? ""
                  : n_args < cmd->min_args ? "at least " : "at most "),
                 n, n == 1 ? "" : "s", n_args);
    }
}

int
main(int argc, char *argv[])
{
    set_program_name(argv[0]);
    /* Problems are reported on stderr by the program itself; -v shows
     * the library's logs. */
    vlog_set_levels(NULL, VLF_CONSOLE, VLL_WARN);
    /* monitor, lock and steal normally end by a signal: no warning. */
    vlog_set_levels(vlog_module_from_name("fatal_signal"), VLF_CONSOLE,
                    VLL_ERR);
    parse_options(argc, argv);

    char **args = argv + optind;
    int n_args = argc - optind;
    const char *server = NULL;

    /* [SERVER] COMMAND [SERVER] [ARG...] */
    if (n_args > 0 && !vs_command_find(commands, args[0])) {
        take_server_arg(&server, &args, &n_args);
    }
    if (n_args < 1) {
        vs_fatal(0, "missing command name (use --help for help)");
    }
    const struct vs_command *cmd = vs_command_find(commands, args[0]);
    if (!cmd) {
        vs_fatal(0, "unknown command \"%s\" (use --help for help)",
                 args[0]);
    }
    args++;
    n_args--;
    take_server_arg(&server, &args, &n_args);
    check_n_args(cmd, n_args);

    char *default_server = NULL;
    if (!server) {
        default_server = xasprintf("unix:%s/db.sock", vs_rundir());
        server = default_server;
    }
    server_init(server, timeout_secs);

    cmd->handler(n_args, args);

    output_flush();
    server_close();
    free(default_server);
    return 0;
}

/* Options. */

static void
parse_options(int argc, char *argv[])
{
    enum {
        OPT_PRETTY = UCHAR_MAX + 1,
        OPT_TIMEOUT,
        OPT_NO_MONITOR_COND,
        VLOG_OPTION_ENUMS,
        STREAM_SSL_OPTION_ENUMS
    };
    static const struct option long_options[] = {
        {"format", required_argument, NULL, 'f'},
        {"pretty", no_argument, NULL, OPT_PRETTY},
        {"timeout", required_argument, NULL, OPT_TIMEOUT},
        {"no-monitor-cond", no_argument, NULL, OPT_NO_MONITOR_COND},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        VLOG_LONG_OPTIONS,
        STREAM_SSL_LONG_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    char *short_options = long_options_to_short_options(long_options);

    for (;;) {
        int c = getopt_long(argc, argv, short_options, long_options, NULL);
        if (c == -1) {
            break;
        }

        switch (c) {
        case 'f':
            if (!strcmp(optarg, "table")) {
                output_set_format(TABLE_FORMAT_TABLE);
            } else if (!strcmp(optarg, "json")) {
                output_set_format(TABLE_FORMAT_JSON);
            } else {
                vs_fatal(0, "unknown output format \"%s\" (use \"table\" or "
                         "\"json\")", optarg);
            }
            break;

        case OPT_PRETTY:
            output_set_pretty(true);
            break;

        case OPT_TIMEOUT:
            if (!str_to_uint(optarg, &timeout_secs) || !timeout_secs
                || timeout_secs > INT_MAX / 1000) {
                vs_fatal(0, "value \"%s\" on --timeout is invalid (a "
                         "positive number of seconds is required)", optarg);
            }
            break;

        case OPT_NO_MONITOR_COND:
            monitor_use_monitor_cond(false);
            break;

        case 'h':
            usage();

        case 'V':
            vs_print_version();
            exit(EXIT_SUCCESS);

        VLOG_OPTION_HANDLERS
        STREAM_SSL_OPTION_HANDLERS

        case '?':
            exit(EXIT_FAILURE);

        default:
            vs_abort(0, "unexpected option %d", c);
        }
    }
    free(short_options);
}

static void
usage(void)
{
    printf("\
%s: command-line client for OVSDB servers\n\
usage: %s [OPTIONS] [SERVER] COMMAND [ARG...]\n\
\n\
SERVER is an OVSDB server to connect to (unix:PATH, tcp:HOST:PORT,\n\
ssl:HOST:PORT) or a passive name (punix:PATH, ptcp:PORT[:HOST],\n\
pssl:PORT[:HOST]) on which to wait for the server to connect; it may also\n\
follow COMMAND.  The default is unix:%s/db.sock.\n\
DB defaults to Open_vSwitch, or to the only database the server has.\n\
\n\
Commands:\n\
  list-dbs                   list the server's databases\n\
  get-schema [DB]            print DB's schema as JSON\n\
  list-tables [DB]           list DB's tables\n\
  list-columns [DB] [TABLE]  list the columns of TABLE (or all tables)\n\
  transact JSON              run the transaction JSON, [DB, OP...], and\n\
                             print the results as JSON\n\
  query JSON                 like transact, but never commits\n\
  dump [DB] [TABLE [COLUMN...]]\n\
                             print the contents of DB (or of TABLE)\n\
  monitor [DB] TABLE [COLUMN[,COLUMN]...]...\n\
                             print TABLE's rows, then every change to them,\n\
                             until killed\n\
  lock NAME                  acquire lock NAME and hold it until killed,\n\
                             printing when it is locked or stolen\n\
  steal NAME                 like lock, but take NAME from its owner\n\
\n\
Output options:\n\
  -f, --format=FORMAT        tables as \"table\" (default) or \"json\"\n\
  --pretty                   indent JSON output\n\
\n\
Other options:\n\
  --timeout=SECS             give up after SECS seconds (monitor, lock and\n\
                             steal stop then, with exit status 0)\n\
  --no-monitor-cond          monitor with RFC 7047 \"monitor\" requests\n\
                             even if the server knows \"monitor_cond\"\n\
  -h, --help                 display this help message\n\
  -V, --version              display version information\n",
           program_name, program_name, vs_rundir());
    printf("\nSSL options (for ssl: and pssl:):\n");
    stream_ssl_usage();
    vlog_usage();
    exit(EXIT_SUCCESS);
}
