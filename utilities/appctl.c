/* appctl: sends a unixctl command to a running daemon. */
#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonrpc.h"
#include "unixctl.h"
#include "util.h"
#include "vlog.h"

static void usage(void) VS_NO_RETURN;
static void appctl_fatal(int err_no, const char *format, ...)
    VS_PRINTF_FORMAT(2, 3) VS_NO_RETURN;
static const char *parse_command_line(int argc, char *argv[],
                                      long long int *timeout_msec);

int
main(int argc, char *argv[])
{
    long long int timeout_msec = 0;
    struct jsonrpc *client;
    char *socket_name;
    char *cmd_result;
    char *cmd_error;
    char *error_s;
    int error;

    set_program_name(argv[0]);

    /* Problems are reported by appctl_fatal(), not through the log. */
    vlog_set_levels(NULL, VLF_CONSOLE, VLL_OFF);

    const char *target = parse_command_line(argc, argv, &timeout_msec);
    if (optind >= argc) {
        appctl_fatal(0, "at least one non-option argument is required "
                 "(use --help for help)");
    }

    socket_name = unixctl_target_to_path(target, &error_s);
    if (!socket_name) {
        appctl_fatal(0, "%s", error_s);
    }

    error = unixctl_client_create(socket_name, &client);
    if (error) {
        appctl_fatal(error, "cannot connect to \"%s\"", socket_name);
    }

    const char *cmd = argv[optind];
    char **cmd_argv = argv + optind + 1;
    int cmd_argc = argc - optind - 1;
    error = unixctl_client_transact(client, cmd, cmd_argc, cmd_argv,
                                    timeout_msec, &cmd_result, &cmd_error);
    if (error) {
        appctl_fatal(error, "%s: transaction error", socket_name);
    }

    if (cmd_error) {
        jsonrpc_close(client);
        fputs(cmd_error, stderr);
        fprintf(stderr, "%s: %s: server returned an error\n", program_name,
                socket_name);
        exit(2);
    } else if (cmd_result) {
        fputs(cmd_result, stdout);
    }

    jsonrpc_close(client);
    free(cmd_result);
    free(socket_name);
    if (fflush(stdout) || ferror(stdout)) {
        appctl_fatal(errno, "error writing output");
    }
    return 0;
}

/* Prints "appctl: MESSAGE[ (ERROR)]" on stderr and exits with status 1,
 * the status for "could not talk to the target". */
static void
appctl_fatal(int err_no, const char *format, ...)
{
    va_list args;

    fprintf(stderr, "%s: ", program_name);
    va_start(args, format);
    vfprintf(stderr, format, args);
    va_end(args);
    if (err_no) {
        fprintf(stderr, " (%s)", vs_strerror(err_no));
    }
    putc('\n', stderr);
    exit(EXIT_FAILURE);
}

static void
usage(void)
{
    printf("\
%s, for querying and controlling vswitch-lite daemons\n\
usage: %s [TARGET] COMMAND [ARG...]\n\
Targets:\n\
  -t, --target=TARGET  pidfile name or socket path of daemon\n\
                       (default: \"vswitchd\", found through\n\
                       $VS_RUNDIR/vswitchd.pid)\n\
Common commands:\n\
  list-commands      List commands supported by the target\n\
  version            Print version of the target\n\
  vlog/list          List current logging levels\n\
  vlog/set [SPEC]\n\
      Set log levels as detailed in SPEC, which may include:\n\
      A valid module name (all modules, by default)\n\
      'syslog', 'console', 'file' (all destinations, by default)\n\
      'off', 'emer', 'err', 'warn', 'info', or 'dbg' ('dbg', by default)\n\
  vlog/reopen        Make the program reopen its log file\n\
Other options:\n\
  -T, --timeout=SECS  wait at most SECS seconds for a response\n\
  -h, --help          Print this helpful information\n\
  -V, --version       Display appctl version information\n\
Exit status: 0 on success, 1 if the target could not be reached, 2 if\n\
the target returned an error.\n",
           program_name, program_name);
    exit(EXIT_SUCCESS);
}

static const char *
parse_command_line(int argc, char *argv[], long long int *timeout_msec)
{
    static const struct option long_options[] = {
        {"target", required_argument, NULL, 't'},
        {"execute", no_argument, NULL, 'e'},
        {"help", no_argument, NULL, 'h'},
        {"timeout", required_argument, NULL, 'T'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    const char *target = NULL;
    int e_options = 0;

    for (;;) {
        int option = getopt_long(argc, argv, "+t:T:hVe", long_options,
                                 NULL);
        if (option == -1) {
            break;
        }

        switch (option) {
        case 't':
            if (target) {
                appctl_fatal(0, "-t or --target may be specified only once");
            }
            target = optarg;
            break;

        case 'e':
            /* We ignore -e for compatibility.  Older versions specified the
             * command as the argument to -e.  Since the current version
             * takes the command as non-option arguments, -e is a no-op. */
            if (e_options++) {
                appctl_fatal(0, "-e or --execute may be specified only once");
            }
            break;

        case 'T': {
            unsigned int secs;
            if (!str_to_uint(optarg, &secs) || !secs) {
                appctl_fatal(0, "value %s on -T or --timeout is invalid "
                         "(a positive number of seconds is required)",
                         optarg);
            }
            *timeout_msec = secs * 1000LL;
            break;
        }

        case 'h':
            usage();

        case 'V':
            printf("%s (%s) %s\n", program_name, PACKAGE_NAME,
                   PACKAGE_VERSION);
            exit(EXIT_SUCCESS);

        case '?':
            exit(EXIT_FAILURE);

        default:
            vs_abort(0, "unexpected option %d", option);
        }
    }

    return target ? target : "vswitchd";
}
