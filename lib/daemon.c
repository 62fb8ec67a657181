/* Daemonizing, supervision and pidfiles.  See daemon.h.
 *
 * Process layout with --detach --monitor:
 *
 *   original process   forks, waits on a pipe for the start-up byte, then
 *        |             exits 0 (or non-zero if the pipe closes without it)
 *        v
 *   monitor            setsid(); forks the daemon, relays its start-up
 *        |             byte to the original process, then restarts the
 *        v             daemon after crash signals (log module "monitor")
 *   daemon             creates the pidfile, sets up, daemonize_complete()
 *
 * Without --monitor the daemon is the original process's child; without
 * --detach there is no waiting original process.
 *
 * Whenever we fork, the process that is *not* going to be the daemon calls
 * fatal_signal_fork(), so that only the daemon removes the files it owns
 * (pidfile, unix sockets) at exit. */
#include <config.h>
#include "daemon.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "dirs.h"
#include "fatal-signal.h"
#include "util.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(daemon);

/* The supervisor logs under its own name. */
VLOG_DEFINE_MODULE(monitor);
#define MONITOR_LOG(LEVEL, ...) vlog(&VLM_monitor, LEVEL, __VA_ARGS__)

/* Options. */
static char *pidfile;           /* Absolute name, or NULL for no pidfile. */
static bool detach;             /* --detach */
static bool monitor;            /* --monitor */
static bool chdir_ = true;      /* Not --no-chdir. */
static bool overwrite_pidfile;  /* --overwrite-pidfile */

/* State. */
static bool completed;          /* daemonize_complete() has run. */
static bool detached;           /* ...and with --detach. */
static int daemonize_fd = -1;   /* Start-up report goes here, if >= 0. */

/* Our pidfile, once created: its fd stays open to keep the lock. */
static int pidfile_fd = -1;
static dev_t pidfile_dev;
static ino_t pidfile_ino;

/* A restart happens at most once per this many milliseconds. */
#define RESTART_INTERVAL_MSEC 10000

static void make_pidfile(void);
static void monitor_daemon(void);

/* Returns the absolute name of pidfile NAME (NULL: the default), which
 * must stay valid after daemonize_complete()'s chdir("/"). */
static char *
make_pidfile_name(const char *name)
{
    char *file = (name
                  ? abs_file_name(vs_rundir(), name)
                  : xasprintf("%s/%s.pid", vs_rundir(), program_name));

    if (file[0] != '/') {
        char *cwd = getcwd(NULL, 0);
        if (cwd) {
            char *abs = abs_file_name(cwd, file);
            free(cwd);
            free(file);
            file = abs;
        }
    }
    return file;
}

void
daemon_set_pidfile(const char *name)
{
    free(pidfile);
    pidfile = make_pidfile_name(name);
}

const char *
daemon_get_pidfile(void)
{
    return pidfile;
}

void
daemon_set_detach(bool detach_)
{
    detach = detach_;
}

bool
daemon_get_detach(void)
{
    return detach;
}

void
daemon_set_monitor(bool monitor_)
{
    monitor = monitor_;
}

void
daemon_set_no_chdir(bool no_chdir)
{
    chdir_ = !no_chdir;
}

void
daemon_set_overwrite_pidfile(bool overwrite)
{
    overwrite_pidfile = overwrite;
}

bool
daemon_is_detached(void)
{
    return detached;
}

void
daemon_usage(void)
{
    printf("\nDaemon options:\n"
           "  --detach                run in background as daemon\n"
           "  --monitor               creates a process to monitor this "
           "daemon\n"
           "  --no-chdir              do not chdir to '/'\n"
           "  --pidfile[=FILE]        create pidfile (default: %s/%s.pid)\n"
           "  --overwrite-pidfile     with --pidfile, start even if already "
           "running\n",
           vs_rundir(), program_name);
}

/* Small helpers. */

static long long int
monotonic_msec(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* Returns a description of wait() status STATUS, which the caller frees:
 * "exit status 1", "killed by signal 11 (Segmentation fault)". */
static char *
process_status_msg(int status)
{
    if (WIFEXITED(status)) {
        return xasprintf("exit status %d", WEXITSTATUS(status));
    } else if (WIFSIGNALED(status)) {
        int sig = WTERMSIG(status);
        return xasprintf("killed by signal %d (%s)%s", sig, strsignal(sig),
                         WCOREDUMP(status) ? ", core dumped" : "");
    } else {
        return xasprintf("terminated abnormally (%x)", (unsigned) status);
    }
}

static bool
is_crash_signal(int sig)
{
    switch (sig) {
    case SIGSEGV: case SIGBUS: case SIGILL: case SIGFPE: case SIGABRT:
    case SIGSYS: case SIGXCPU: case SIGXFSZ:
        return true;
    default:
        return false;
    }
}

static pid_t
waitpid_retry(pid_t pid, int *status, int flags)
{
    pid_t retval;

    do {
        retval = waitpid(pid, status, flags);
    } while (retval < 0 && errno == EINTR);
    return retval;
}

static ssize_t
read_retry(int fd, void *buf, size_t n)
{
    ssize_t retval;

    do {
        retval = read(fd, buf, n);
    } while (retval < 0 && errno == EINTR);
    return retval;
}

static void
disable_core_dumps(void)
{
    struct rlimit r = { .rlim_cur = 0, .rlim_max = 0 };

    if (setrlimit(RLIMIT_CORE, &r)) {
        VLOG_WARN("failed to disable core dumps (%s)", vs_strerror(errno));
    }
}

/* Terminates this process with signal SIG's default action, so its parent
 * sees "killed by signal SIG". */
static void VS_NO_RETURN
reraise(int sig)
{
    struct rlimit r = { .rlim_cur = 0, .rlim_max = RLIM_INFINITY };
    sigset_t set;

    /* Our own core is of no interest: it is the daemon that died. */
    getrlimit(RLIMIT_CORE, &r);
    r.rlim_cur = 0;
    setrlimit(RLIMIT_CORE, &r);

    fflush(stdout);
    fflush(stderr);
    signal(sig, SIG_DFL);
    sigemptyset(&set);
    sigaddset(&set, sig);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    raise(sig);
    _exit(1);                   /* Only if SIG does not terminate. */
}

/* Ends this process with the same wait() status as a child's STATUS. */
static void VS_NO_RETURN
exit_like(int status)
{
    if (WIFEXITED(status)) {
        exit(WEXITSTATUS(status));
    } else if (WIFSIGNALED(status)) {
        reraise(WTERMSIG(status));
    }
    exit(EXIT_FAILURE);
}

/* Points the standard fds at /dev/null. */
static void
close_standard_fds(void)
{
    int null_fd = open("/dev/null", O_RDWR);

    if (null_fd < 0) {
        vs_fatal(errno, "could not open /dev/null");
    }
    for (int fd = 0; fd < 3; fd++) {
        if (null_fd != fd) {
            dup2(null_fd, fd);
        }
    }
    if (null_fd > 2) {
        close(null_fd);
    }
}

/* Writes the one "started" byte to FD, if FD >= 0, and closes it. */
static void
notify_startup(int fd)
{
    if (fd >= 0) {
        ssize_t retval;

        do {
            retval = write(fd, "", 1);
        } while (retval < 0 && errno == EINTR);
        if (retval != 1) {
            VLOG_ERR("could not report start-up to parent process (%s)",
                     retval < 0 ? vs_strerror(errno) : "short write");
        }
        close(fd);
    }
}

/* Forks.  The parent gives up its fatal-signal hooks and files (they
 * belong to the daemon side).  Returns like fork(); exits on failure. */
static pid_t
fork_and_clean_up(void)
{
    pid_t pid;

    fflush(stdout);
    fflush(stderr);
    pid = fork();
    if (pid < 0) {
        vs_fatal(errno, "could not fork");
    } else if (pid > 0) {
        fatal_signal_fork();
    }
    return pid;
}

/* For --detach.  Forks; the child gets the write end of a pipe in *FDP for
 * daemonize_complete() and returns 0.  The parent waits for the child's
 * start-up byte and returns the child's pid; if the pipe closes without
 * it, the parent reaps the child and exits with its status (at least 1;
 * the child has already said why on the shared stderr). */
static pid_t
fork_and_wait_for_startup(int *fdp)
{
    int fds[2];
    ssize_t n;
    pid_t pid;
    char c;

    if (pipe2(fds, O_CLOEXEC)) {
        vs_fatal(errno, "could not create pipe");
    }

    pid = fork_and_clean_up();
    if (!pid) {
        close(fds[0]);
        *fdp = fds[1];
        return 0;
    }

    /* Parent: nothing to clean up any more, so fatal signals may simply
     * kill us while we wait. */
    for (int sig = 1; sig < NSIG; sig++) {
        if (fatal_signal_is_fatal(sig)) {
            struct sigaction old;
            if (!sigaction(sig, NULL, &old) && old.sa_handler != SIG_IGN) {
                signal(sig, SIG_DFL);
            }
        }
    }

    close(fds[1]);
    n = read_retry(fds[0], &c, 1);
    close(fds[0]);
    if (n != 1) {
        int status;

        if (waitpid_retry(pid, &status, 0) != pid) {
            vs_fatal(errno, "waitpid failed");
        }
        if (WIFEXITED(status) && WEXITSTATUS(status)) {
            _exit(WEXITSTATUS(status));
        } else {
            char *msg = process_status_msg(status);
            vs_fatal(0, "fork child died before signaling startup (%s)",
                     msg);
        }
    }
    return pid;
}

void
daemonize_start(void)
{
    fatal_signal_init();
    daemonize_fd = -1;

    if (detach) {
        if (fork_and_wait_for_startup(&daemonize_fd) > 0) {
            /* Original process: the daemon is up. */
            _exit(EXIT_SUCCESS);
        }
        if (setsid() < 0) {
            vs_fatal(errno, "setsid failed");
        }
    }

    if (monitor) {
        monitor_daemon();       /* Returns only in a daemon process. */
    }

    if (pidfile) {
        make_pidfile();
    }
}

void
daemonize_complete(void)
{
    if (completed) {
        return;
    }
    completed = true;

    if (detach) {
        if (chdir_ && chdir("/")) {
            VLOG_WARN("could not chdir to \"/\" (%s)", vs_strerror(errno));
        }
        vlog_disable_console();
        close_standard_fds();
        detached = true;
    }

    /* Report last, so that when the --detach parent returns we hold none
     * of its standard fds any more. */
    notify_startup(daemonize_fd);
    daemonize_fd = -1;
}

/* Pidfile. */

static void
unlink_pidfile(void *aux VS_UNUSED)
{
    struct stat s;

    /* Only if it is still ours: --overwrite-pidfile may have replaced it. */
    if (pidfile && !stat(pidfile, &s)
        && s.st_dev == pidfile_dev && s.st_ino == pidfile_ino) {
        unlink(pidfile);
    }
}

/* Sets a write lock on the whole of FD (F_SETLK), or queries it
 * (F_GETLK).  Returns 0 or a positive errno. */
static int
lock_pidfile(int fd, int command, struct flock *lck)
{
    memset(lck, 0, sizeof *lck);
    lck->l_type = F_WRLCK;
    lck->l_whence = SEEK_SET;
    lck->l_start = 0;
    lck->l_len = 0;
    return fcntl(fd, command, lck) ? errno : 0;
}

static void VS_NO_RETURN
already_running(long int pid)
{
    vs_fatal(0, "%s: already running as pid %ld, aborting", pidfile, pid);
}

static void
check_already_running(void)
{
    pid_t pid = read_pidfile(pidfile);

    if (pid > 0) {
        already_running(pid);
    } else if (pid != -ENOENT && pid != -ESRCH) {
        vs_fatal(-pid, "%s: could not read pidfile", pidfile);
    }
}

/* Creates the pidfile like Open vSwitch: the pid goes into a locked
 * temporary file that is then renamed into place, carrying the lock
 * along, so a reader never sees a partial pidfile and the lock on the
 * pidfile tells whether its process is alive.  Without --overwrite-pidfile
 * every starter uses the same temporary name, whose lock serializes them;
 * the winner then checks the real pidfile for a live holder. */
static void
make_pidfile(void)
{
    long int pid = getpid();
    struct flock lck;
    struct stat s;
    char *tmpfile;
    char buf[32];
    int error;
    int fd;

    if (overwrite_pidfile) {
        tmpfile = xasprintf("%s.tmp%ld", pidfile, pid);
        fatal_signal_add_file_to_unlink(tmpfile);
    } else {
        /* Not registered for unlinking until we hold the lock: until then
         * the file may belong to another starter. */
        tmpfile = xasprintf("%s.tmp", pidfile);
    }

    fd = open(tmpfile, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        vs_fatal(errno, "%s: create failed", tmpfile);
    }

    error = lock_pidfile(fd, F_SETLK, &lck);
    if (error == EAGAIN || error == EACCES) {
        /* Another process holds it: typically a starter that won and has
         * since renamed the file into place. */
        if (!lock_pidfile(fd, F_GETLK, &lck) && lck.l_type != F_UNLCK) {
            already_running(lck.l_pid);
        }
    }
    if (error) {
        vs_fatal(error, "%s: failed to lock pidfile", tmpfile);
    }

    if (!overwrite_pidfile) {
        fatal_signal_add_file_to_unlink(tmpfile);
        check_already_running();
    }

    snprintf(buf, sizeof buf, "%ld\n", pid);
    if (ftruncate(fd, 0)
        || pwrite(fd, buf, strlen(buf), 0) != (ssize_t) strlen(buf)) {
        vs_fatal(errno, "%s: write failed", tmpfile);
    }
    if (fstat(fd, &s)) {
        vs_fatal(errno, "%s: fstat failed", tmpfile);
    }

    error = rename(tmpfile, pidfile) ? errno : 0;
    fatal_signal_remove_file_to_unlink(tmpfile);
    if (error) {
        unlink(tmpfile);
        vs_fatal(error, "failed to rename \"%s\" to \"%s\"", tmpfile,
                 pidfile);
    }
    free(tmpfile);

    /* Keep 'fd' open: closing it would drop the lock. */
    pidfile_fd = fd;
    pidfile_dev = s.st_dev;
    pidfile_ino = s.st_ino;
    fatal_signal_add_hook(unlink_pidfile, NULL, NULL, true);
}

pid_t
read_pidfile(const char *name)
{
    struct flock lck;
    struct stat s;
    char buf[32];
    ssize_t n;
    int error;
    int fd;

    /* Our own pidfile: opening and closing it would drop our lock. */
    if (pidfile_fd >= 0 && !stat(name, &s)
        && s.st_dev == pidfile_dev && s.st_ino == pidfile_ino) {
        return getpid();
    }

    fd = open(name, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return -errno;
    }

    error = lock_pidfile(fd, F_GETLK, &lck);
    if (error) {
        close(fd);
        return -error;
    }
    if (lck.l_type == F_UNLCK) {
        close(fd);
        return -ESRCH;
    }

    /* The lock holder's pid is authoritative; the file's content serves
     * only if the holder is invisible to us (another pid namespace). */
    n = read_retry(fd, buf, sizeof buf - 1);
    close(fd);
    if (lck.l_pid > 0) {
        return lck.l_pid;
    } else if (n > 0) {
        int pid;

        buf[n] = '\0';
        buf[strcspn(buf, "\n")] = '\0';
        if (str_to_int(buf, &pid) && pid > 0) {
            return pid;
        }
    }
    return -ESRCH;
}

/* The monitor (supervisor). */

/* Signals the monitor handles itself: the fatal ones, which it forwards to
 * the daemon, and SIGCHLD.  The daemon gets the previous actions back. */
struct saved_action {
    int sig;
    struct sigaction action;
};
static struct saved_action saved_actions[8];
static size_t n_saved_actions;
static int monitor_fds[2] = { -1, -1 };

struct monitor {
    pid_t daemon_pid;           /* Running daemon, or -1. */
    int startup_fd;             /* Read end of its start-up pipe, or -1. */
    int parent_fd;              /* --detach parent's pipe, or -1. */
    bool started;               /* First daemon reported start-up. */
    bool core_disabled;
    long long int last_restart; /* monotonic_msec(), or LLONG_MIN. */
    long long int restart_at;   /* Pending restart time, or LLONG_MIN. */
};

static void
monitor_signal_handler(int sig)
{
    int save_errno = errno;
    unsigned char c = sig;
    ssize_t retval VS_UNUSED = write(monitor_fds[1], &c, 1);

    errno = save_errno;
}

static void
monitor_signal_set(sigset_t *set)
{
    sigemptyset(set);
    sigaddset(set, SIGCHLD);
    for (int sig = 1; sig < NSIG; sig++) {
        if (fatal_signal_is_fatal(sig)) {
            sigaddset(set, sig);
        }
    }
}

static void
monitor_install_handlers(void)
{
    struct sigaction sa;

    if (pipe2(monitor_fds, O_NONBLOCK | O_CLOEXEC)) {
        vs_fatal(errno, "could not create pipe");
    }

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = monitor_signal_handler;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
    for (int sig = 1; sig < NSIG; sig++) {
        struct saved_action *sa_old;

        if (sig != SIGCHLD && !fatal_signal_is_fatal(sig)) {
            continue;
        }
        vs_assert(n_saved_actions < ARRAY_SIZE(saved_actions));
        sa_old = &saved_actions[n_saved_actions];
        if (sigaction(sig, NULL, &sa_old->action)) {
            vs_fatal(errno, "sigaction(%d) failed", sig);
        }
        if (sig != SIGCHLD && sa_old->action.sa_handler == SIG_IGN) {
            continue;           /* Ignored signals stay ignored. */
        }
        sa_old->sig = sig;
        n_saved_actions++;
        if (sigaction(sig, &sa, NULL)) {
            vs_fatal(errno, "sigaction(%d) failed", sig);
        }
    }
}

/* Forks a daemon.  In the daemon, undoes the monitor's set-up and returns
 * 0.  In the monitor, records the daemon and returns its pid. */
static pid_t
monitor_fork(struct monitor *m)
{
    sigset_t set, oldset;
    int fds[2];
    pid_t pid;

    if (pipe2(fds, O_NONBLOCK | O_CLOEXEC)) {
        vs_fatal(errno, "could not create pipe");
    }

    /* Block our signals across fork(), so that the daemon gets its own
     * handlers back before any signal reaches it. */
    monitor_signal_set(&set);
    sigprocmask(SIG_BLOCK, &set, &oldset);
    pid = fork_and_clean_up();
    if (!pid) {
        for (size_t i = 0; i < n_saved_actions; i++) {
            sigaction(saved_actions[i].sig, &saved_actions[i].action, NULL);
        }
        close(monitor_fds[0]);
        close(monitor_fds[1]);
        close(fds[0]);
        close_fd_if_open(m->parent_fd);
        daemonize_fd = fds[1];
    } else {
        close(fds[1]);
        m->daemon_pid = pid;
        m->startup_fd = fds[0];
    }
    sigprocmask(SIG_SETMASK, &oldset, NULL);
    return pid;
}

/* Reads the daemon's start-up byte (or EOF, if it died first).  The first
 * daemon's start-up is what the --detach parent waits for. */
static void
monitor_check_startup(struct monitor *m)
{
    char c;
    ssize_t n = read_retry(m->startup_fd, &c, 1);

    if (n < 0 && errno == EAGAIN) {
        return;
    }
    close(m->startup_fd);
    m->startup_fd = -1;

    if (n == 1 && !m->started) {
        m->started = true;
        if (detach) {
            if (chdir_ && chdir("/")) {
                MONITOR_LOG(VLL_WARN, "could not chdir to \"/\" (%s)",
                            vs_strerror(errno));
            }
            vlog_disable_console();
            close_standard_fds();
        }
        notify_startup(m->parent_fd);
        m->parent_fd = -1;
    }
}

/* Reaps the daemon if it has died and decides what follows. */
static void
monitor_check_daemon(struct monitor *m)
{
    long long int now;
    int status;
    pid_t pid;
    char *s;

    if (m->daemon_pid <= 0) {
        return;
    }
    pid = waitpid_retry(m->daemon_pid, &status, WNOHANG);
    if (pid < 0) {
        vs_fatal(errno, "waitpid failed");
    } else if (!pid) {
        return;
    }

    if (m->startup_fd >= 0) {
        monitor_check_startup(m);
        if (m->startup_fd >= 0) {
            close(m->startup_fd);
            m->startup_fd = -1;
        }
    }
    m->daemon_pid = -1;

    s = process_status_msg(status);
    if (!m->started) {
        /* It never came up: nothing to restart.  Its error message is
         * already on stderr. */
        if (WIFEXITED(status) && WEXITSTATUS(status)) {
            exit(WEXITSTATUS(status));
        }
        vs_fatal(0, "pid %ld died before signaling startup (%s)",
                 (long int) pid, s);
    }

    if (WIFSIGNALED(status) && is_crash_signal(WTERMSIG(status))) {
        MONITOR_LOG(VLL_WARN, "pid %ld died, %s, restarting",
                    (long int) pid, s);
        now = monotonic_msec();
        if (m->last_restart != LLONG_MIN
            && now < m->last_restart + RESTART_INTERVAL_MSEC) {
            m->restart_at = m->last_restart + RESTART_INTERVAL_MSEC;
            MONITOR_LOG(VLL_INFO, "waiting %lld ms: at most one restart "
                        "per %d seconds", m->restart_at - now,
                        RESTART_INTERVAL_MSEC / 1000);
        } else {
            m->restart_at = now;
        }
    } else {
        MONITOR_LOG(VLL_INFO, "pid %ld died, %s, exiting", (long int) pid,
                    s);
        free(s);
        exit_like(status);
    }
    free(s);
}

/* Handles the signals the handler queued in 'monitor_fds'. */
static void
monitor_check_signals(struct monitor *m)
{
    unsigned char sigs[64];
    ssize_t n;

    while ((n = read_retry(monitor_fds[0], sigs, sizeof sigs)) > 0) {
        for (ssize_t i = 0; i < n; i++) {
            int sig = sigs[i];

            if (sig == SIGCHLD) {
                continue;       /* monitor_check_daemon() runs anyway. */
            } else if (m->daemon_pid > 0) {
                /* The daemon cleans up and dies of it; we follow. */
                kill(m->daemon_pid, sig);
            } else {
                /* Between a crash and the restart: just go. */
                MONITOR_LOG(VLL_INFO, "terminating with signal %d (%s)",
                            sig, strsignal(sig));
                reraise(sig);
            }
        }
    }
}

/* Runs the supervisor.  Returns only in a (re)started daemon process. */
static void
monitor_daemon(void)
{
    struct monitor m = {
        .daemon_pid = -1,
        .startup_fd = -1,
        .parent_fd = daemonize_fd,
        .started = false,
        .core_disabled = false,
        .last_restart = LLONG_MIN,
        .restart_at = LLONG_MIN,
    };

    daemonize_fd = -1;
    monitor_install_handlers();
    if (!monitor_fork(&m)) {
        return;
    }

    for (;;) {
        struct pollfd pfds[2];
        int timeout = -1;
        nfds_t n = 0;

        pfds[n++] = (struct pollfd) { .fd = monitor_fds[0],
                                      .events = POLLIN };
        if (m.startup_fd >= 0) {
            pfds[n++] = (struct pollfd) { .fd = m.startup_fd,
                                          .events = POLLIN };
        }
        if (m.restart_at != LLONG_MIN) {
            long long int delay = m.restart_at - monotonic_msec();
            timeout = delay <= 0 ? 0 : delay >= INT_MAX ? INT_MAX : delay;
        }
        if (poll(pfds, n, timeout) < 0 && errno != EINTR) {
            vs_fatal(errno, "poll failed");
        }

        if (m.startup_fd >= 0 && n > 1 && pfds[1].revents) {
            monitor_check_startup(&m);
        }
        monitor_check_signals(&m);
        monitor_check_daemon(&m);

        if (m.restart_at != LLONG_MIN
            && monotonic_msec() >= m.restart_at) {
            m.restart_at = LLONG_MIN;
            m.last_restart = monotonic_msec();
            if (!m.core_disabled) {
                /* Keep one core (from the first crash), not one per
                 * restart. */
                disable_core_dumps();
                m.core_disabled = true;
            }
            if (!monitor_fork(&m)) {
                return;
            }
        }
    }
}
