/* The start-up every daemon shares.  See daemon-main.h. */
#include <config.h>
#include "daemon-main.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "command-line.h"
#include "coverage.h"
#include "daemon.h"
#include "fatal-signal.h"
#include "stream-ssl.h"
#include "unixctl.h"
#include "util.h"
#include "vlog.h"

/* The common options' getopt values. */
enum {
    OPT_UNIXCTL = UCHAR_MAX + 1,
    VLOG_OPTION_ENUMS,
    DAEMON_OPTION_ENUMS,
    STREAM_SSL_OPTION_ENUMS,
    OPT_END_OF_COMMON
};
_Static_assert(OPT_END_OF_COMMON <= DAEMON_MAIN_OPT_FIRST,
               "common daemon options overlap DAEMON_MAIN_OPT_FIRST");

static const struct option common_options[] = {
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {"unixctl", required_argument, NULL, OPT_UNIXCTL},
    DAEMON_LONG_OPTIONS,
    VLOG_LONG_OPTIONS,
    STREAM_SSL_LONG_OPTIONS,
};

static bool
is_common_option(int val)
{
    for (size_t i = 0; i < ARRAY_SIZE(common_options); i++) {
        if (common_options[i].val == val) {
            return true;
        }
    }
    return false;
}

/* Returns the daemon's OPTIONS followed by the common ones and the
 * terminating element, for getopt_long(); the caller frees it. */
static struct option *
merge_options(const struct option *options)
{
    size_t n = 0;
    struct option *all;

    while (options && options[n].name) {
        if (is_common_option(options[n].val)) {
            vs_abort(0, "--%s: option value %d is taken by a common daemon "
                     "option", options[n].name, options[n].val);
        }
        n++;
    }
    all = xmalloc((n + ARRAY_SIZE(common_options) + 1) * sizeof *all);
    if (n) {
        memcpy(all, options, n * sizeof *all);
    }
    memcpy(&all[n], common_options, sizeof common_options);
    all[n + ARRAY_SIZE(common_options)] = (struct option) { NULL, 0, NULL, 0 };
    return all;
}

/* Prints the common options' part of --help. */
static void
common_usage(void)
{
    stream_ssl_usage();
    daemon_usage();
    vlog_usage();
    printf("\nOther options:\n"
           "  --unixctl=SOCKET        override default control socket name\n"
           "  -h, --help              display this help message\n"
           "  -V, --version           display version information\n");
}

/* Handles option C if it is a common one; returns false otherwise. */
static bool
parse_common_option(struct daemon_main *dm, int c)
{
    switch (c) {
    case 'h':
        dm->class->usage();
        common_usage();
        exit(EXIT_SUCCESS);
    case 'V':
        vs_print_version();
        exit(EXIT_SUCCESS);
    case OPT_UNIXCTL:
        free(dm->unixctl_path);
        dm->unixctl_path = xstrdup(optarg);
        break;
    VLOG_OPTION_HANDLERS
    DAEMON_OPTION_HANDLERS
    STREAM_SSL_OPTION_HANDLERS
    case '?':
        exit(EXIT_FAILURE);
    default:
        return false;
    }
    return true;
}

int
daemon_main_init(struct daemon_main *dm,
                 const struct daemon_main_class *class,
                 int argc, char *argv[], void *aux)
{
    struct option *options;
    char *short_options;

    set_program_name(argv[0]);
    fatal_signal_init();
    *dm = (struct daemon_main) { .class = class };

    options = merge_options(class->options);
    short_options = long_options_to_short_options(options);
    for (;;) {
        int c = getopt_long(argc, argv, short_options, options, NULL);
        if (c == -1) {
            break;
        }
        if (!parse_common_option(dm, c)
            && (!class->parse_option
                || !class->parse_option(c, optarg, aux))) {
            vs_abort(0, "unhandled option %d", c);
        }
    }
    free(short_options);
    free(options);
    return optind;
}

static void
daemon_main_unixctl_exit(struct unixctl_conn *conn, int argc VS_UNUSED,
                         const char *argv[] VS_UNUSED, void *dm_)
{
    struct daemon_main *dm = dm_;

    dm->exiting = true;
    unixctl_command_reply(conn, NULL);
}

void
daemon_main_start(struct daemon_main *dm)
{
    int error;

    daemonize_start();
    error = unixctl_server_create(dm->unixctl_path, &dm->unixctl);
    if (error) {
        vs_fatal(error, "could not create unixctl server");
    }
    unixctl_command_register("exit", "", 0, 0, daemon_main_unixctl_exit, dm);
}

void
daemon_main_ready(struct daemon_main *dm)
{
    daemonize_complete();
    vlog(dm->class->module, VLL_INFO, "%s (%s) %s started", program_name,
         PACKAGE_NAME, PACKAGE_VERSION);
}

void
daemon_main_run(struct daemon_main *dm)
{
    coverage_run();
    unixctl_server_run(dm->unixctl);
}

void
daemon_main_wait(struct daemon_main *dm)
{
    coverage_wait();
    unixctl_server_wait(dm->unixctl);
}

void
daemon_main_exit(struct daemon_main *dm)
{
    vlog(dm->class->module, VLL_INFO, "exiting");
    unixctl_server_destroy(dm->unixctl);
    dm->unixctl = NULL;
    free(dm->unixctl_path);
    dm->unixctl_path = NULL;
}
