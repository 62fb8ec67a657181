/* Fatal signals (SIGTERM, SIGINT, SIGHUP, SIGALRM) and cleanup hooks.
 *
 * The signal handler only records the signal in a latch (a self-pipe); the
 * main loop notices it in fatal_signal_run(), which poll_block() calls, so
 * work is never interrupted half-way.  fatal_signal_run() then runs the
 * registered hooks (for example, unlinking the pidfile and unix sockets)
 * and re-raises the signal with its default action, so the process exits
 * with the conventional "killed by signal" status.  Hooks registered with
 * RUN_AT_EXIT also run at a normal exit(). */
#ifndef FATAL_SIGNAL_H
#define FATAL_SIGNAL_H 1

#include <stdbool.h>

/* Installs the handlers; called implicitly by the functions below. */
void fatal_signal_init(void);

/* Registers HOOK_CB(AUX) to run on a fatal signal (and at exit if
 * RUN_AT_EXIT).  CANCEL_CB(AUX), if nonnull, runs in a forked child
 * instead (fatal_signal_fork()). */
void fatal_signal_add_hook(void (*hook_cb)(void *aux),
                           void (*cancel_cb)(void *aux), void *aux,
                           bool run_at_exit);

/* Unlinks FILE on a fatal signal or exit; remove with
 * fatal_signal_remove_file_to_unlink() when it is removed normally. */
void fatal_signal_add_file_to_unlink(const char *file);
void fatal_signal_remove_file_to_unlink(const char *file);
/* Unlinks FILE now and forgets it.  Returns 0 or a positive errno. */
int fatal_signal_unlink_file_now(const char *file);

/* Services a pending fatal signal (does not return if one is pending). */
void fatal_signal_run(void);
/* Registers the latch fd with the reactor. */
void fatal_signal_wait(void);

/* Called in a child after fork(): drops the parent's hooks (running their
 * cancel callbacks) so the child does not remove the parent's files. */
void fatal_signal_fork(void);

/* Blocks or unblocks the fatal signals (for critical sections such as
 * fork()). */
void fatal_signal_block(void);
void fatal_signal_unblock(void);

/* Returns true if SIG is one of the fatal signals handled here. */
bool fatal_signal_is_fatal(int sig);

#endif /* fatal-signal.h */
