/* vswitchd: the bridge daemon.
 *
 * Connects to the database (default unix:$VS_RUNDIR/db.sock), keeps a
 * replica of the Open_vSwitch database, and makes the kernel's bridges and
 * container ports match it (bridge.c, reconciler.c), reporting status
 * back.  Serves unixctl: the built-in commands, "exit", and the bridge
 * commands (bridge.h). */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include "bridge.h"
#include "daemon-main.h"
#include "dirs.h"
#include "poll-loop.h"
#include "util.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(vswitchd);

static const struct daemon_main_class vswitchd_class;
static char *parse_remote(int argc, char *argv[], int first_arg);
static void raise_fd_limit(void);

int
main(int argc, char *argv[])
{
    struct daemon_main dm;
    int first_arg;
    char *remote;

    first_arg = daemon_main_init(&dm, &vswitchd_class, argc, argv, NULL);
    remote = parse_remote(argc, argv, first_arg);
    raise_fd_limit();

    daemon_main_start(&dm);
    bridge_init(remote);
    daemon_main_ready(&dm);
    VLOG_INFO("database: %s", remote);

    while (!dm.exiting) {
        bridge_run();
        daemon_main_run(&dm);
        if (dm.exiting) {
            break;
        }
        bridge_wait();
        daemon_main_wait(&dm);
        poll_block();
    }

    /* The kernel state stays as it is: containers keep their network while
     * vswitchd is away. */
    daemon_main_exit(&dm);
    bridge_exit();
    free(remote);
    return 0;
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

/* Returns the database remote: the only argument from FIRST_ARG on, or
 * the default. */
static char *
parse_remote(int argc, char *argv[], int first_arg)
{
    if (argc - first_arg > 1) {
        vs_fatal(0, "at most one database argument expected (try --help)");
    }
    if (first_arg < argc) {
        return xstrdup(argv[first_arg]);
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
}

static const struct daemon_main_class vswitchd_class = {
    .module = &VLM_vswitchd,
    .usage = usage,             /* Only the common options. */
};
