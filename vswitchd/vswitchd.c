/* vswitchd: the bridge daemon.
 *
 * Connects to the database (default unix:$VS_RUNDIR/db.sock), keeps a
 * replica of the Open_vSwitch database, and makes the kernel's bridges and
 * container ports match it (bridge.c, reconciler.c), reporting status
 * back.  Serves unixctl: the built-in commands, "exit", and the bridge
 * commands (bridge.h). */
#include <config.h>

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include "bridge.h"
#include "command-line.h"
#include "coverage.h"
#include "daemon.h"
#include "dirs.h"
#include "fatal-signal.h"
#include "poll-loop.h"
#include "stream-ssl.h"
#include "unixctl.h"
#include "util.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(vswitchd);

static char *parse_options(int argc, char *argv[], char **unixctl_pathp);
static void raise_fd_limit(void);
static void usage(void) VS_NO_RETURN;
static unixctl_cb_func vswitchd_exit;

int
main(int argc, char *argv[])
{
    struct unixctl_server *unixctl;
    char *unixctl_path = NULL;
    bool exiting = false;
    char *remote;
    int error;

    set_program_name(argv[0]);
    fatal_signal_init();
    remote = parse_options(argc, argv, &unixctl_path);
    raise_fd_limit();

    daemonize_start();
    error = unixctl_server_create(unixctl_path, &unixctl);
    if (error) {
        vs_fatal(error, "could not create unixctl server");
    }
    unixctl_command_register("exit", "", 0, 0, vswitchd_exit, &exiting);
    bridge_init(remote);
    daemonize_complete();
    VLOG_INFO("%s (%s) %s started", program_name, PACKAGE_NAME,
              PACKAGE_VERSION);
    VLOG_INFO("database: %s", remote);

    while (!exiting) {
        coverage_run();
        bridge_run();
        unixctl_server_run(unixctl);
        if (exiting) {
            break;
        }
        coverage_wait();
        bridge_wait();
        unixctl_server_wait(unixctl);
        poll_block();
    }

    /* The kernel state stays as it is: containers keep their network while
     * vswitchd is away. */
    VLOG_INFO("exiting");
    bridge_exit();
    unixctl_server_destroy(unixctl);
    free(unixctl_path);
    free(remote);
    return 0;
}

static void
vswitchd_exit(struct unixctl_conn *conn, int argc VS_UNUSED,
              const char *argv[] VS_UNUSED, void *exiting_)
{
    bool *exiting = exiting_;

    *exiting = true;
    unixctl_command_reply(conn, NULL);
}

/* One file descriptor per container namespace may be open at a time, plus
 * sockets: use the hard limit. */
static void
raise_fd_limit(void)
{
    struct rlimit rl;

    if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
}

static char *
parse_options(int argc, char *argv[], char **unixctl_pathp)
{
    enum {
        OPT_UNIXCTL = UCHAR_MAX + 1,
        VLOG_OPTION_ENUMS,
        DAEMON_OPTION_ENUMS,
        STREAM_SSL_OPTION_ENUMS,
    };
    static const struct option long_options[] = {
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {"unixctl", required_argument, NULL, OPT_UNIXCTL},
        DAEMON_LONG_OPTIONS,
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
        STREAM_SSL_OPTION_HANDLERS
        case '?':
            exit(EXIT_FAILURE);
        default:
            vs_abort(0, "unhandled option %d", c);
        }
    }
    free(short_options);

    if (argc - optind > 1) {
        vs_fatal(0, "at most one database argument expected (try --help)");
    }
    if (optind < argc) {
        return xstrdup(argv[optind]);
    }
    return xasprintf("unix:%s/db.sock", vs_rundir());
}

static void
usage(void)
{
    printf("%s: vswitch-lite bridge daemon\n"
           "usage: %s [OPTIONS] [DATABASE]\n"
           "where DATABASE is a remote (unix:PATH, tcp:IP:PORT, "
           "ssl:IP:PORT) or a\n"
           "comma-separated list of them (default: unix:%s/db.sock).\n",
           program_name, program_name, vs_rundir());
    stream_ssl_usage();
    daemon_usage();
    vlog_usage();
    printf("\nOther options:\n"
           "  --unixctl=SOCKET        override default control socket name\n"
           "  -h, --help              display this help message\n"
           "  -V, --version           display version information\n");
    exit(EXIT_SUCCESS);
}
