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

/* Statistics for tests and benchmarks. */
struct poll_loop_stats {
    unsigned long long int iterations; /* Calls to poll_block(). */
    unsigned long long int wakeups;    /* Returns after actually sleeping. */
    unsigned long long int fd_changes; /* epoll interest updates issued. */
    size_t cached_fds;                 /* fds currently registered. */
};
void poll_loop_get_stats(struct poll_loop_stats *);

#endif /* poll-loop.h */
