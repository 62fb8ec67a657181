/* Daemonizing, supervision and pidfiles.
 *
 * The daemons reach this module through daemon-main.h, which parses these
 * options with the other common ones and makes the calls below; a program
 * that needs only part of it (a test driver) parses options itself
 * (DAEMON_LONG_OPTIONS and DAEMON_OPTION_HANDLERS), then:
 *
 *   daemonize_start();     forks for --detach/--monitor, creates pidfile
 *   ...set up: open sockets, unixctl server...
 *   daemonize_complete();  tells the --detach parent we are up; closes
 *                          standard fds, chdir("/") unless --no-chdir
 *
 * If the process exits (e.g. through vs_fatal()) between the two calls,
 * the --detach parent exits with status 1; the error message has already
 * been written to the original stderr.
 *
 * --monitor runs a supervisor that restarts the daemon when it dies from a
 * crash signal (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGSYS, SIGXCPU,
 * SIGXFSZ), at most once per 10 s, with core dumps disabled after the first
 * restart.  A clean exit or death by any other signal ends the supervisor
 * too, with the same status. */
#ifndef DAEMON_H
#define DAEMON_H 1

#include <stdbool.h>
#include <sys/types.h>

#define DAEMON_OPTION_ENUMS \
    OPT_DETACH, OPT_NO_CHDIR, OPT_OVERWRITE_PIDFILE, OPT_PIDFILE, \
    OPT_MONITOR

#define DAEMON_LONG_OPTIONS \
    {"detach", no_argument, NULL, OPT_DETACH}, \
    {"no-chdir", no_argument, NULL, OPT_NO_CHDIR}, \
    {"pidfile", optional_argument, NULL, OPT_PIDFILE}, \
    {"overwrite-pidfile", no_argument, NULL, OPT_OVERWRITE_PIDFILE}, \
    {"monitor", no_argument, NULL, OPT_MONITOR}

#define DAEMON_OPTION_HANDLERS \
    case OPT_DETACH: \
        daemon_set_detach(true); \
        break; \
    case OPT_NO_CHDIR: \
        daemon_set_no_chdir(true); \
        break; \
    case OPT_PIDFILE: \
        daemon_set_pidfile(optarg); \
        break; \
    case OPT_OVERWRITE_PIDFILE: \
        daemon_set_overwrite_pidfile(true); \
        break; \
    case OPT_MONITOR: \
        daemon_set_monitor(true); \
        break;

/* NAME NULL means $VS_RUNDIR/PROGRAM.pid; a relative NAME is taken
 * relative to $VS_RUNDIR. */
void daemon_set_pidfile(const char *name);
const char *daemon_get_pidfile(void);
void daemon_set_detach(bool);
bool daemon_get_detach(void);
void daemon_set_monitor(bool);
void daemon_set_no_chdir(bool);
/* Take over a pidfile even if another live process holds it. */
void daemon_set_overwrite_pidfile(bool);

void daemonize_start(void);
void daemonize_complete(void);
/* True once daemonize_complete() has run in a detached daemon. */
bool daemon_is_detached(void);
void daemon_usage(void);

/* Reads the pid from PIDFILE.  Returns the pid if a live process holds the
 * pidfile's lock, otherwise a negative errno: -ESRCH if the file exists but
 * nobody holds it (stale), -ENOENT if it does not exist. */
pid_t read_pidfile(const char *pidfile);

#endif /* daemon.h */
