/* The start-up, control socket and shut-down that every daemon shares.
 *
 * A daemon describes itself in a struct daemon_main_class: the module it
 * logs under, its own long options (those of ARCHITECTURE's "common
 * daemon options" are added here: --detach, --monitor, --pidfile,
 * --overwrite-pidfile, --no-chdir, --log-file, -v/--verbose, --unixctl,
 * the SSL options, -h/--help, -V/--version), a handler for them, and the
 * first part of its --help text.  Its main() is then:
 *
 *   struct daemon_main dm;
 *   int first_arg = daemon_main_init(&dm, &class, argc, argv, aux);
 *   daemon_main_start(&dm);     forks for --detach/--monitor, pidfile,
 *                               control socket with the "exit" command
 *   ...set up, register its own unixctl commands...
 *   daemon_main_ready(&dm);     releases the --detach parent, logs
 *                               "PROGRAM (vswitch-lite) VERSION started"
 *   while (!dm.exiting) {
 *       ...own run()s...
 *       daemon_main_run(&dm);
 *       if (dm.exiting) break;
 *       ...own wait()s...
 *       daemon_main_wait(&dm);
 *       poll_block();
 *   }
 *   daemon_main_exit(&dm);      logs "exiting", closes the control socket
 *
 * Everything that fails during start-up is fatal (vs_fatal()): a daemon
 * that cannot have its control socket does not run. */
#ifndef DAEMON_MAIN_H
#define DAEMON_MAIN_H 1

#include <getopt.h>
#include <limits.h>
#include <stdbool.h>

struct unixctl_server;
struct vlog_module;

/* A daemon's own long options use 'val's from here up (or printable
 * characters other than 'h', 'V' and 'v'); the common options take the
 * values below. */
#define DAEMON_MAIN_OPT_FIRST (UCHAR_MAX + 64)

struct daemon_main_class {
    /* Where "started" and "exiting" are logged: the daemon's THIS_MODULE,
     * so that the lines carry the daemon's name. */
    struct vlog_module *module;

    /* The daemon's own long options, ending with an all-zero element, and
     * their handler: it handles option C with argument ARG (getopt's
     * optarg), exiting with a message for a bad ARG, and returns false if
     * C is not one of the daemon's options.  Both NULL for a daemon that
     * has only the common options. */
    const struct option *options;
    bool (*parse_option)(int c, const char *arg, void *aux);

    /* Prints the daemon's part of --help to stdout: what it is, its usage
     * line and its own options.  The common options follow. */
    void (*usage)(void);
};

struct daemon_main {
    const struct daemon_main_class *class;
    char *unixctl_path;             /* --unixctl, or NULL for the default. */
    struct unixctl_server *unixctl; /* NULL with --unixctl=none. */
    bool exiting;                   /* "exit" was requested. */
};

/* Sets the program name from ARGV[0], installs the fatal signal handlers
 * and parses the command line into DM and through CLASS's parse_option
 * (with AUX).  -h and -V print and exit; a bad option exits with status
 * 1.  Returns the index in ARGV of the first non-option argument. */
int daemon_main_init(struct daemon_main *, const struct daemon_main_class *,
                     int argc, char *argv[], void *aux);

/* Daemonizes as the options say (daemonize_start()), then creates the
 * control socket and registers "exit".  Exits on failure. */
void daemon_main_start(struct daemon_main *);

/* Completes start-up (daemonize_complete(): a --detach parent exits now)
 * and logs that the daemon started. */
void daemon_main_ready(struct daemon_main *);

/* Serves the control socket and the other shared modules (coverage).
 * Never blocks. */
void daemon_main_run(struct daemon_main *);
/* Registers with the reactor what daemon_main_run() waits for. */
void daemon_main_wait(struct daemon_main *);

/* Logs that the daemon exits and closes the control socket; replies not
 * yet sent are lost.  DM may not be used afterwards. */
void daemon_main_exit(struct daemon_main *);

#endif /* daemon-main.h */
