/* ovsdb-lite: the OVSDB database server.
 *
 * This version is the runtime skeleton: it parses the common daemon
 * options, daemonizes, serves unixctl (the built-in commands plus "exit")
 * and runs the main loop.  Databases, remotes and JSON-RPC sessions plug
 * into the loop below. */
#include <config.h>

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include "command-line.h"
#include "coverage.h"
#include "daemon.h"
#include "fatal-signal.h"
#include "poll-loop.h"
#include "unixctl.h"
#include "util.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(ovsdb_lite);

static void parse_options(int argc, char *argv[], char **unixctl_pathp);
static void usage(void) VS_NO_RETURN;
static unixctl_cb_func ovsdb_lite_exit;

int
main(int argc, char *argv[])
{
    struct unixctl_server *unixctl;
    char *unixctl_path = NULL;
    bool exiting = false;
    int error;

    set_program_name(argv[0]);
    fatal_signal_init();
    parse_options(argc, argv, &unixctl_path);

    daemonize_start();
    error = unixctl_server_create(unixctl_path, &unixctl);
    if (error) {
        vs_fatal(error, "could not create unixctl server");
    }
    unixctl_command_register("exit", "", 0, 0, ovsdb_lite_exit, &exiting);
    daemonize_complete();
    VLOG_INFO("%s (%s) %s started", program_name, PACKAGE_NAME,
              PACKAGE_VERSION);

    while (!exiting) {
        coverage_run();
        unixctl_server_run(unixctl);
        if (exiting) {
            break;
        }
        coverage_wait();
        unixctl_server_wait(unixctl);
        poll_block();
    }

    VLOG_INFO("exiting");
    unixctl_server_destroy(unixctl);
    free(unixctl_path);
    return 0;
}

static void
ovsdb_lite_exit(struct unixctl_conn *conn, int argc VS_UNUSED,
              const char *argv[] VS_UNUSED, void *exiting_)
{
    bool *exiting = exiting_;

    *exiting = true;
    unixctl_command_reply(conn, NULL);
}

static void
parse_options(int argc, char *argv[], char **unixctl_pathp)
{
    enum {
        OPT_UNIXCTL = UCHAR_MAX + 1,
        VLOG_OPTION_ENUMS,
        DAEMON_OPTION_ENUMS,
    };
    static const struct option long_options[] = {
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {"unixctl", required_argument, NULL, OPT_UNIXCTL},
        DAEMON_LONG_OPTIONS,
        VLOG_LONG_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    char *short_options = long_options_to_short_options(long_options);

    for (;;) {
        int c = getopt_long(argc, argv, short_options, long_options, NULL);
        if (c == -1) {
            break;
        }
        switch (c) {
        case 'h':
            usage();
        case 'V':
            vs_print_version();
            exit(EXIT_SUCCESS);
        case OPT_UNIXCTL:
            free(*unixctl_pathp);
            *unixctl_pathp = xstrdup(optarg);
            break;
        VLOG_OPTION_HANDLERS
        DAEMON_OPTION_HANDLERS
        case '?':
            exit(EXIT_FAILURE);
        default:
            vs_abort(0, "unhandled option %d", c);
        }
    }
    free(short_options);

    if (optind < argc) {
        vs_fatal(0, "unexpected argument \"%s\" (try --help)", argv[optind]);
    }
}

static void
usage(void)
{
    printf("%s: vswitch-lite OVSDB database server\n"
           "usage: %s [OPTIONS]\n",
           program_name, program_name);
    daemon_usage();
    vlog_usage();
    printf("\nOther options:\n"
           "  --unixctl=SOCKET        override default control socket name\n"
           "  -h, --help              display this help message\n"
           "  -V, --version           display version information\n");
    exit(EXIT_SUCCESS);
}
