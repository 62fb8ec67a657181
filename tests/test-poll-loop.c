/* Test driver for the reactor (poll-loop.h).  Subcommands:
 *
 *   timers MSEC...   arm one timer per MSEC in one iteration and run the
 *                    loop until all fired; print them in firing order and
 *                    complain if any fired early.
 *   fd               pipe readiness: not ready -> timer wins; data written
 *                    -> fd wins.
 *   immediate        poll_immediate_wake() beats a long timer.
 *   idle-fds N ITERS wait on N idle socket fds for ITERS iterations (each
 *                    woken by an immediate wake); print how many epoll
 *                    interest changes each phase issued.
 *   reuse            close a waited fd with poll_fd_close(), get a new fd
 *                    with the same number, and check it still wakes us.
 *   warp             with the clock stopped, a 1000 ms timer fires after
 *                    time_warp(1000) and not before.
 *   drop-many N      wait on N idle fds, then on nothing but one new
 *                    readable pipe: the loop must wake for it (the cache
 *                    shrinking while it is reconciled must not skip it).
 *   hint             readiness hints (poll_fd_may_be_ready()) follow what
 *                    the last poll_block() saw.
 *   watch N          N idle sockets under persistent watches: only the ones
 *                    written to call back, and idle iterations change
 *                    nothing in epoll.
 */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>
#include "poll-loop.h"
#include "timeval.h"
#include "util.h"

static void
make_pipe(int fds[2])
{
    if (pipe(fds)) {
        vs_fatal(errno, "pipe");
    }
    set_nonblocking(fds[0]);
    set_nonblocking(fds[1]);
}

static bool
fd_is_readable(int fd)
{
    struct pollfd pfd = { .fd = fd, .events = POLLIN };
    return poll(&pfd, 1, 0) == 1;
}

static int
cmd_timers(int argc, char *argv[])
{
    int n = argc;
    long long int *deadline = xcalloc(n, sizeof *deadline);
    bool *done = xcalloc(n, sizeof *done);
    long long int start = time_msec();
    int n_done = 0, early = 0;

    for (int i = 0; i < n; i++) {
        int msec;
        if (!str_to_int(argv[i], &msec)) {
            vs_fatal(0, "%s: bad milliseconds", argv[i]);
        }
        deadline[i] = start + msec;
    }
    while (n_done < n) {
        long long int earliest = LLONG_MAX;
        for (int i = 0; i < n; i++) {
            if (!done[i]) {
                poll_timer_wait_until(deadline[i]);
                earliest = MIN(earliest, deadline[i]);
            }
        }
        poll_block();
        if (time_msec() < earliest) {
            early++;
        }
        for (int i = 0; i < n; i++) {
            if (!done[i] && time_msec() >= deadline[i]) {
                printf("timer %d (%s ms) fired\n", i, argv[i]);
                done[i] = true;
                n_done++;
            }
        }
    }
    printf("early wakeups: %d\n", early);
    free(deadline);
    free(done);
    return 0;
}

static int
cmd_fd(int argc VS_UNUSED, char *argv[] VS_UNUSED)
{
    int fds[2];

    make_pipe(fds);
    poll_fd_wait(fds[0], POLLIN);
    poll_timer_wait(50);
    poll_block();
    printf("empty pipe: readable=%d\n", fd_is_readable(fds[0]));

    if (write(fds[1], "x", 1) != 1) {
        vs_fatal(errno, "write");
    }
    poll_fd_wait(fds[0], POLLIN);
    poll_timer_wait(60000);
    poll_block();
    printf("after write: readable=%d\n", fd_is_readable(fds[0]));

    poll_fd_wait(fds[1], POLLOUT);
    poll_timer_wait(60000);
    poll_block();
    printf("write end: woke for POLLOUT\n");
    poll_fd_close(fds[0]);
    poll_fd_close(fds[1]);
    return 0;
}

static int
cmd_immediate(int argc VS_UNUSED, char *argv[] VS_UNUSED)
{
    struct poll_loop_stats before, after;

    poll_loop_get_stats(&before);
    poll_timer_wait(60000);
    poll_immediate_wake();
    poll_block();
    poll_loop_get_stats(&after);
    printf("iterations: %llu, sleeps: %llu\n",
           after.iterations - before.iterations,
           after.wakeups - before.wakeups);
    return 0;
}

static void
raise_fd_limit(int n)
{
    struct rlimit rl;

    if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < (rlim_t) n) {
        rl.rlim_cur = MIN((rlim_t) n, rl.rlim_max);
        setrlimit(RLIMIT_NOFILE, &rl);
    }
}

static int
cmd_idle_fds(int argc, char *argv[])
{
    struct poll_loop_stats s0, s1, s2;
    int n, iters;
    int *fds;

    if (argc != 2 || !str_to_int(argv[0], &n) || !str_to_int(argv[1], &iters)
        || n <= 0 || iters < 2) {
        vs_fatal(0, "usage: idle-fds N ITERS (ITERS >= 2)");
    }
    raise_fd_limit(2 * n + 64);
    fds = xcalloc(2 * n, sizeof *fds);
    for (int i = 0; i < n; i++) {
        if (socketpair(AF_UNIX, SOCK_STREAM, 0, &fds[2 * i])) {
            vs_fatal(errno, "socketpair %d", i);
        }
    }

    poll_loop_get_stats(&s0);
    for (int it = 0; it < iters; it++) {
        for (int i = 0; i < n; i++) {
            poll_fd_wait(fds[2 * i], POLLIN);
        }
        poll_immediate_wake();
        poll_block();
        if (it == 0) {
            poll_loop_get_stats(&s1);
        }
    }
    poll_loop_get_stats(&s2);
    printf("first iteration: %llu interest changes\n",
           s1.fd_changes - s0.fd_changes);
    printf("next %d iterations: %llu interest changes\n", iters - 1,
           s2.fd_changes - s1.fd_changes);
    printf("registered fds: %zu\n", s2.cached_fds);

    /* Stop waiting on half of them: exactly those change. */
    for (int i = 0; i < n; i += 2) {
        poll_fd_wait(fds[2 * i], POLLIN);
    }
    poll_immediate_wake();
    poll_block();
    poll_loop_get_stats(&s1);
    printf("after dropping half: %llu interest changes\n",
           s1.fd_changes - s2.fd_changes);
    /* The fds are left for exit() to close, so that a trace of this
     * command shows only the interest changes counted above. */
    free(fds);
    return 0;
}

static int
cmd_reuse(int argc VS_UNUSED, char *argv[] VS_UNUSED)
{
    int a[2], b[2];

    make_pipe(a);
    poll_fd_wait(a[0], POLLIN);
    poll_timer_wait(10);
    poll_block();

    poll_fd_close(a[0]);
    poll_fd_close(a[1]);
    make_pipe(b);
    printf("same fd number: %s\n", b[0] == a[0] ? "yes" : "no");
    if (write(b[1], "x", 1) != 1) {
        vs_fatal(errno, "write");
    }
    poll_fd_wait(b[0], POLLIN);
    poll_timer_wait(60000);
    poll_block();
    printf("new fd woke the loop: %s\n",
           fd_is_readable(b[0]) ? "yes" : "no");
    return 0;
}

static int
cmd_warp(int argc VS_UNUSED, char *argv[] VS_UNUSED)
{
    long long int deadline;

    time_stop();
    deadline = time_msec() + 1000;
    time_warp(999);
    poll_block();
    printf("after 999 ms: %s\n", time_msec() >= deadline ? "due" : "not due");
    time_warp(1);
    poll_timer_wait_until(deadline);
    poll_block();
    printf("after 1000 ms: %s\n",
           time_msec() >= deadline ? "due" : "not due");
    return 0;
}

static void
count_watch_cb(int fd, short int revents, void *n_calls_)
{
    int *n_calls = n_calls_;
    char buf[16];

    if (revents & POLLIN && read(fd, buf, sizeof buf) > 0) {
        (*n_calls)++;
    }
}

static int
cmd_watch(int argc, char *argv[])
{
    struct poll_loop_stats s0, s1;
    struct poll_watch **watches;
    int n, n_calls = 0;
    int *fds;

    if (argc != 1 || !str_to_int(argv[0], &n) || n < 10) {
        vs_fatal(0, "usage: watch N (N >= 10)");
    }
    raise_fd_limit(2 * n + 64);
    fds = xcalloc(2 * n, sizeof *fds);
    watches = xcalloc(n, sizeof *watches);
    for (int i = 0; i < n; i++) {
        if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0,
                       &fds[2 * i])) {
            vs_fatal(errno, "socketpair %d", i);
        }
        watches[i] = poll_watch_create(fds[2 * i], POLLIN, count_watch_cb,
                                       &n_calls);
    }
    for (int i = 0; i < n; i += n / 3) {
        if (write(fds[2 * i + 1], "x", 1) != 1) {
            vs_fatal(errno, "write");
        }
    }
    poll_block();
    printf("callbacks after writing to 3 sockets: %d\n", n_calls);

    poll_loop_get_stats(&s0);
    for (int it = 0; it < 10; it++) {
        poll_timer_wait(1);
        poll_block();
    }
    poll_loop_get_stats(&s1);
    printf("callbacks after 10 idle iterations: %d\n", n_calls);
    printf("interest changes in idle iterations: %llu\n",
           s1.fd_changes - s0.fd_changes);

    for (int i = 0; i < n; i++) {
        poll_watch_destroy(watches[i]);
        close(fds[2 * i]);
        close(fds[2 * i + 1]);
    }
    free(watches);
    free(fds);
    return 0;
}

static int
cmd_hint(int argc VS_UNUSED, char *argv[] VS_UNUSED)
{
    int fds[2];

    make_pipe(fds);
    printf("never waited: %d\n", poll_fd_may_be_ready(fds[0], POLLIN));

    poll_fd_wait(fds[0], POLLIN);
    poll_timer_wait(10);
    poll_block();
    printf("waited, idle: %d\n", poll_fd_may_be_ready(fds[0], POLLIN));
    printf("not waited for POLLOUT: %d\n",
           poll_fd_may_be_ready(fds[0], POLLOUT));

    if (write(fds[1], "x", 1) != 1) {
        vs_fatal(errno, "write");
    }
    poll_fd_wait(fds[0], POLLIN);
    poll_timer_wait(60000);
    poll_block();
    printf("waited, readable: %d\n", poll_fd_may_be_ready(fds[0], POLLIN));
    poll_fd_clear_ready(fds[0], POLLIN);
    printf("after clear: %d\n", poll_fd_may_be_ready(fds[0], POLLIN));

    /* Data still there: the next wait wakes at once (level-triggered). */
    poll_fd_wait(fds[0], POLLIN);
    poll_timer_wait(60000);
    poll_block();
    printf("still readable: %d\n", poll_fd_may_be_ready(fds[0], POLLIN));
    poll_fd_close(fds[0]);
    poll_fd_close(fds[1]);
    return 0;
}

static int
cmd_drop_many(int argc, char *argv[])
{
    int n, p[2];
    int *fds;

    if (argc != 1 || !str_to_int(argv[0], &n) || n <= 0) {
        vs_fatal(0, "usage: drop-many N");
    }
    raise_fd_limit(2 * n + 64);
    fds = xcalloc(2 * n, sizeof *fds);
    for (int i = 0; i < n; i++) {
        if (socketpair(AF_UNIX, SOCK_STREAM, 0, &fds[2 * i])) {
            vs_fatal(errno, "socketpair %d", i);
        }
        poll_fd_wait(fds[2 * i], POLLIN);
    }
    poll_immediate_wake();
    poll_block();

    make_pipe(p);
    if (write(p[1], "x", 1) != 1) {
        vs_fatal(errno, "write");
    }
    poll_fd_wait(p[0], POLLIN);
    poll_timer_wait(10000);
    poll_block();
    printf("new fd woke the loop: %s\n",
           poll_fd_may_be_ready(p[0], POLLIN) ? "yes" : "no");
    free(fds);
    return 0;
}

int
main(int argc, char *argv[])
{
    static const struct {
        const char *name;
        int (*cb)(int argc, char *argv[]);
    } commands[] = {
        {"timers", cmd_timers},
        {"fd", cmd_fd},
        {"immediate", cmd_immediate},
        {"idle-fds", cmd_idle_fds},
        {"reuse", cmd_reuse},
        {"warp", cmd_warp},
        {"watch", cmd_watch},
        {"hint", cmd_hint},
        {"drop-many", cmd_drop_many},
    };

    set_program_name(argv[0]);
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc < 2) {
        vs_fatal(0, "missing subcommand");
    }
    for (size_t i = 0; i < ARRAY_SIZE(commands); i++) {
        if (!strcmp(argv[1], commands[i].name)) {
            return commands[i].cb(argc - 2, argv + 2);
        }
    }
    vs_fatal(0, "unknown subcommand \"%s\"", argv[1]);
}
