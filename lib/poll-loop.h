/* The reactor: OVS-style "wait, then block" on top of libevent (epoll).
 *
 * Each iteration of a daemon's main loop calls x_run() for every object,
 * then x_wait() for every object, which registers what would make x_run()
 * useful (an fd becoming ready, a deadline, or "wake now"), then
 * poll_block(), which sleeps until one of those fires and then forgets all
 * registrations.
 *
 * Kernel interest is cached across iterations: an fd waited for the same
 * events as in the previous iteration costs no system call.  Only fds whose
 * interest changed (new, different events, or no longer waited) are updated
 * in epoll.  Because epoll forgets an fd when it is closed, an owner that
 * closes an fd it has passed to poll_fd_wait() must call poll_fd_forget()
 * first (or use poll_fd_close()).
 *
 * Timers use time_msec() (see timeval.h), so they follow a stopped or warped
 * clock. */
#ifndef POLL_LOOP_H
#define POLL_LOOP_H 1

#include <poll.h>
#include "util.h"

/* Wakes the next poll_block() when FD is ready for EVENTS (POLLIN, POLLOUT,
 * or both).  WHERE names the caller for debug logs. */
#define poll_fd_wait(FD, EVENTS) \
    poll_fd_wait_at(FD, EVENTS, VS_SOURCE_LOCATOR)
void poll_fd_wait_at(int fd, short int events, const char *where);

/* Wakes the next poll_block() after MSEC milliseconds (immediately if
 * MSEC <= 0). */
#define poll_timer_wait(MSEC) \
    poll_timer_wait_at(MSEC, VS_SOURCE_LOCATOR)
void poll_timer_wait_at(long long int msec, const char *where);

/* Wakes the next poll_block() when time_msec() reaches WHEN. */
#define poll_timer_wait_until(WHEN) \
    poll_timer_wait_until_at(WHEN, VS_SOURCE_LOCATOR)
void poll_timer_wait_until_at(long long int when, const char *where);

/* Makes the next poll_block() return at once. */
#define poll_immediate_wake() poll_immediate_wake_at(VS_SOURCE_LOCATOR)
void poll_immediate_wake_at(const char *where);

/* Sleeps until something registered since the last call fires, then
 * clears all registrations.  Also services fatal signals: a pending
 * SIGTERM etc. runs the cleanup hooks and terminates the process here. */
void poll_block(void);

/* Tells the reactor that FD is about to be closed, so that a later fd with
 * the same number is registered afresh in epoll.  Harmless if FD was never
 * waited on. */
void poll_fd_forget(int fd);
/* poll_fd_forget(FD), then close(FD).  Returns close()'s result. */
int poll_fd_close(int fd);

/* Readiness hints, to skip system calls that would fail with EAGAIN.
 *
 * poll_fd_may_be_ready(FD, EVENTS) returns false only when FD was
 * registered for EVENTS during the last poll_block() and did not become
 * ready then; otherwise (ready, or unknown) it returns true.  Because epoll
 * is level-triggered, treating "false" as EAGAIN is safe: data that arrives
 * later wakes the next poll_block() as soon as the caller waits again.
 *
 * poll_fd_clear_ready(FD, EVENTS) records that FD is known to be drained
 * for EVENTS (e.g. a read returned less than asked), so that later calls of
 * poll_fd_may_be_ready() until the next poll_block() return false. */
bool poll_fd_may_be_ready(int fd, short int events);
void poll_fd_clear_ready(int fd, short int events);

/* Persistent watches, for servers with many mostly idle connections.
 *
 * poll_fd_wait() costs a little user-space work per fd per iteration.  A
 * server with thousands of idle sessions instead keeps one poll_watch per
 * session: the fd stays registered in epoll across iterations, and when it
 * becomes ready, poll_block() calls the watch's callback, which typically
 * puts the session on a "ready" list that the server's run function
 * drains.  Idle watches cost nothing per iteration.
 *
 * The callback runs inside poll_block(); it must not block and must not
 * destroy other watches (it may change its own watch's events). */
struct poll_watch;
typedef void poll_watch_cb(int fd, short int revents, void *aux);

/* Watches FD for EVENTS (POLLIN, POLLOUT or both; 0 for none yet) until
 * poll_watch_destroy().  Never returns NULL. */
struct poll_watch *poll_watch_create(int fd, short int events,
                                     poll_watch_cb *, void *aux);
/* Changes the events watched (0 suspends the watch).  Costs an epoll_ctl()
 * only if EVENTS differs from the current set. */
void poll_watch_set_events(struct poll_watch *, short int events);
short int poll_watch_get_events(const struct poll_watch *);
/* Stops watching; call before closing the fd.  NULL is a no-op. */
void poll_watch_destroy(struct poll_watch *);

/* Statistics for tests and benchmarks. */
struct poll_loop_stats {
    unsigned long long int iterations; /* Calls to poll_block(). */
    unsigned long long int wakeups;    /* Returns after actually sleeping. */
    unsigned long long int fd_changes; /* epoll interest updates issued. */
    size_t cached_fds;                 /* fds currently registered. */
};
void poll_loop_get_stats(struct poll_loop_stats *);

#endif /* poll-loop.h */
