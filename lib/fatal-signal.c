/* Fatal signals and cleanup hooks.  See fatal-signal.h.
 *
 * The handler for SIGTERM, SIGINT, SIGHUP and SIGALRM does only two
 * async-signal-safe things: it stores the signal number in a volatile
 * sig_atomic_t (the latch that fatal_signal_run() tests, so a loop
 * iteration with nothing pending costs no system call) and writes one byte
 * to a non-blocking, close-on-exec self-pipe whose read end
 * fatal_signal_wait() hands to the reactor, so a sleeping poll_block()
 * wakes up.  Everything else (hooks, unlinking files, logging) happens
 * later in fatal_signal_run(), outside the handler. */
#include <config.h>
#include "fatal-signal.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "poll-loop.h"
#include "shash.h"
#include "util.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(fatal_signal);

static const int fatal_signals[] = { SIGTERM, SIGINT, SIGHUP, SIGALRM };

struct hook {
    void (*hook_cb)(void *aux);
    void (*cancel_cb)(void *aux);
    void *aux;
    bool run_at_exit;
};

/* Registered hooks, in registration order (run from last to first). */
static struct hook *hooks;
static size_t n_hooks, allocated_hooks;

/* Files to unlink on a fatal signal or at exit (names only, data unused). */
static struct shash files = SHASH_INITIALIZER(&files);

/* The latch.  'stored_sig_nr' is SIG_ATOMIC_MAX while nothing is pending. */
static volatile sig_atomic_t stored_sig_nr = SIG_ATOMIC_MAX;
static int signal_fds[2] = { -1, -1 };

static bool inited;

static void fatal_signal_handler(int sig_nr);
static void fatal_signal_atexit_handler(void);
static void call_hooks(int sig_nr);

/* Creates the self-pipe, non-blocking and close-on-exec at both ends. */
static void
create_signal_pipe(void)
{
    if (pipe2(signal_fds, O_NONBLOCK | O_CLOEXEC)) {
        vs_fatal(errno, "could not create fatal signal pipe");
    }
}

void
fatal_signal_init(void)
{
    if (inited) {
        return;
    }
    inited = true;

    create_signal_pipe();

    for (size_t i = 0; i < ARRAY_SIZE(fatal_signals); i++) {
        int sig_nr = fatal_signals[i];
        struct sigaction old_sa, sa;

        if (sigaction(sig_nr, NULL, &old_sa)) {
            vs_fatal(errno, "sigaction(%d) failed", sig_nr);
        }
        /* Respect an inherited SIG_IGN (nohup, background jobs). */
        if (old_sa.sa_handler == SIG_IGN) {
            continue;
        }
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = fatal_signal_handler;
        sigemptyset(&sa.sa_mask);
        sa.sa_flags = SA_RESTART;
        if (sigaction(sig_nr, &sa, NULL)) {
            vs_fatal(errno, "sigaction(%d) failed", sig_nr);
        }
    }

    /* Writes to a closed socket or pipe report EPIPE instead. */
    if (signal(SIGPIPE, SIG_IGN) == SIG_ERR) {
        vs_fatal(errno, "signal(SIGPIPE) failed");
    }

    atexit(fatal_signal_atexit_handler);
}

static void
fatal_signal_handler(int sig_nr)
{
    int save_errno = errno;
    unsigned char c = sig_nr;

    /* Latch first, then wake the loop: a loop woken by the byte is sure to
     * see the latch. */
    stored_sig_nr = sig_nr;
    if (signal_fds[1] >= 0) {
        ssize_t retval VS_UNUSED = write(signal_fds[1], &c, 1);
    }
    errno = save_errno;
}

void
fatal_signal_add_hook(void (*hook_cb)(void *aux),
                      void (*cancel_cb)(void *aux), void *aux,
                      bool run_at_exit)
{
    fatal_signal_init();

    if (n_hooks >= allocated_hooks) {
        allocated_hooks = allocated_hooks ? 2 * allocated_hooks : 8;
        hooks = xrealloc(hooks, allocated_hooks * sizeof *hooks);
    }
    hooks[n_hooks++] = (struct hook) {
        .hook_cb = hook_cb,
        .cancel_cb = cancel_cb,
        .aux = aux,
        .run_at_exit = run_at_exit,
    };
}

void
fatal_signal_add_file_to_unlink(const char *file)
{
    fatal_signal_init();
    shash_add_once(&files, file, NULL);
}

void
fatal_signal_remove_file_to_unlink(const char *file)
{
    shash_find_and_delete(&files, file);
}

int
fatal_signal_unlink_file_now(const char *file)
{
    int error = unlink(file) ? errno : 0;

    if (error) {
        VLOG_WARN("could not unlink \"%s\" (%s)", file, vs_strerror(error));
    }
    fatal_signal_remove_file_to_unlink(file);
    return error;
}

static void
unlink_files(void)
{
    struct shash_node *node;

    SHASH_FOR_EACH (node, &files) {
        unlink(node->name);
    }
}

/* Runs the hooks, most recent first (all of them for a signal, only the
 * RUN_AT_EXIT ones at exit, SIG_NR == 0), then unlinks the files.  Runs at
 * most once per process, so a hook that exit()s cannot recurse. */
static void
call_hooks(int sig_nr)
{
    static volatile sig_atomic_t recurse;

    if (recurse) {
        return;
    }
    recurse = 1;

    for (size_t i = n_hooks; i-- > 0; ) {
        const struct hook *h = &hooks[i];
        if (sig_nr || h->run_at_exit) {
            h->hook_cb(h->aux);
        }
    }
    unlink_files();
}

static void
fatal_signal_atexit_handler(void)
{
    call_hooks(0);
}

void
fatal_signal_run(void)
{
    int sig_nr;

    if (VS_UNLIKELY(!inited)) {
        fatal_signal_init();
    }

    sig_nr = stored_sig_nr;
    if (VS_LIKELY(sig_nr == SIG_ATOMIC_MAX)) {
        return;
    }

    VLOG_WARN("terminating with signal %d (%s)", sig_nr, strsignal(sig_nr));
    call_hooks(sig_nr);
    fflush(stdout);
    fflush(stderr);

    /* Die with the conventional "killed by signal" status. */
    sigset_t set;
    signal(sig_nr, SIG_DFL);
    sigemptyset(&set);
    sigaddset(&set, sig_nr);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    raise(sig_nr);

    /* Not reached unless the default action does not terminate. */
    vs_abort(0, "signal %d did not terminate the process", sig_nr);
}

void
fatal_signal_wait(void)
{
    if (VS_UNLIKELY(!inited)) {
        fatal_signal_init();
    }
    if (stored_sig_nr != SIG_ATOMIC_MAX) {
        poll_immediate_wake();
    }
    poll_fd_wait(signal_fds[0], POLLIN);
}

/* Drops the hooks (running their cancel callbacks) and the files to unlink,
 * so that this process leaves the resources to the other side of the fork.
 * A signal already latched stays latched.  The self-pipe is replaced by a
 * fresh one: the old one is shared with the other process, whose signals
 * must not wake (and, left unread, keep waking) this one. */
void
fatal_signal_fork(void)
{
    for (size_t i = 0; i < n_hooks; i++) {
        const struct hook *h = &hooks[i];
        if (h->cancel_cb) {
            h->cancel_cb(h->aux);
        }
    }
    n_hooks = 0;
    shash_clear(&files);

    if (inited) {
        sigset_t set, oldset;
        int old_fds[2] = { signal_fds[0], signal_fds[1] };

        sigemptyset(&set);
        for (size_t i = 0; i < ARRAY_SIZE(fatal_signals); i++) {
            sigaddset(&set, fatal_signals[i]);
        }
        sigprocmask(SIG_BLOCK, &set, &oldset);
        create_signal_pipe();
        sigprocmask(SIG_SETMASK, &oldset, NULL);

        poll_fd_close(old_fds[0]);
        close(old_fds[1]);
    }
}

static void
fatal_signal_sigprocmask(int how)
{
    sigset_t set;

    sigemptyset(&set);
    for (size_t i = 0; i < ARRAY_SIZE(fatal_signals); i++) {
        sigaddset(&set, fatal_signals[i]);
    }
    if (sigprocmask(how, &set, NULL)) {
        vs_fatal(errno, "sigprocmask failed");
    }
}

void
fatal_signal_block(void)
{
    fatal_signal_sigprocmask(SIG_BLOCK);
}

void
fatal_signal_unblock(void)
{
    fatal_signal_sigprocmask(SIG_UNBLOCK);
}

bool
fatal_signal_is_fatal(int sig)
{
    for (size_t i = 0; i < ARRAY_SIZE(fatal_signals); i++) {
        if (fatal_signals[i] == sig) {
            return true;
        }
    }
    return false;
}
