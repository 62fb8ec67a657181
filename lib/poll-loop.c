/* The reactor, on libevent's epoll backend.  See poll-loop.h.
 *
 * Each fd ever passed to poll_fd_wait() gets a cached 'struct poll_fd'
 * holding a persistent libevent event.  poll_fd_wait() only records the
 * interest for the current iteration ('want', stamped with the iteration
 * number).  poll_block() then reconciles the cache with the requests:
 * entries whose registered events equal their request cost nothing; changed
 * ones are re-added; ones not requested this iteration are removed.  So an
 * iteration with thousands of idle fds issues no epoll_ctl() at all and
 * exactly one epoll_wait(). */
#include <config.h>
#include "poll-loop.h"

#include <errno.h>
#include <event2/event.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "coverage.h"
#include "dynamic-string.h"
#include "fatal-signal.h"
#include "hash.h"
#include "hmap.h"
#include "timeval.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(poll_loop);

COVERAGE_DEFINE(poll_create_node);
COVERAGE_DEFINE(poll_zero_timeout);

struct poll_fd {
    struct hmap_node hmap_node; /* In poll_loop's 'fds', by fd. */
    int fd;
    struct event *event;        /* Persistent libevent event. */
    short int registered;       /* EV_READ|EV_WRITE now in epoll, or 0. */
    short int want;             /* EV_* requested in iteration 'stamp'. */
    unsigned long long int stamp;
    short int fired;            /* EV_* reported by the last wakeup. */
    const char *where;          /* Requester, for debug logs. */
};

struct poll_loop {
    struct event_base *base;
    struct event *timer;
    struct hmap fds;            /* Contains "struct poll_fd"s. */
    unsigned long long int iteration;
    long long int timeout_when; /* LLONG_MIN: now; LLONG_MAX: never. */
    const char *timeout_where;
    bool timer_fired;
    bool watch_fired;           /* A poll_watch callback ran. */
    struct poll_loop_stats stats;
};

static struct poll_loop *the_loop;

static void
libevent_log_cb(int severity, const char *msg)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);

    if (severity >= EVENT_LOG_WARN) {
        VLOG_WARN_RL(&rl, "libevent: %s", msg);
    } else {
        VLOG_DBG_RL(&rl, "libevent: %s", msg);
    }
}

static void
timer_cb(evutil_socket_t fd VS_UNUSED, short int what VS_UNUSED,
         void *loop_arg)
{
    struct poll_loop *loop = loop_arg;
    loop->timer_fired = true;
}

static struct poll_loop *
poll_loop(void)
{
    if (!the_loop) {
        struct event_config *cfg = event_config_new();
        struct poll_loop *loop = xzalloc(sizeof *loop);

        event_set_log_callback(libevent_log_cb);
        event_config_avoid_method(cfg, "select");
        event_config_avoid_method(cfg, "poll");
        event_config_set_flag(cfg, EVENT_BASE_FLAG_NOLOCK);
        loop->base = event_base_new_with_config(cfg);
        event_config_free(cfg);
        if (!loop->base) {
            vs_abort(0, "libevent: could not create an epoll event base");
        }
        loop->timer = evtimer_new(loop->base, timer_cb, loop);
        hmap_init(&loop->fds);
        loop->timeout_when = LLONG_MAX;
        the_loop = loop;
    }
    return the_loop;
}

static struct poll_fd *
find_poll_fd(struct poll_loop *loop, int fd)
{
    struct poll_fd *pfd;

    HMAP_FOR_EACH_WITH_HASH (pfd, hmap_node, hash_int(fd, 0), &loop->fds) {
        if (pfd->fd == fd) {
            return pfd;
        }
    }
    return NULL;
}

static void
fd_cb(evutil_socket_t fd VS_UNUSED, short int what, void *pfd_)
{
    struct poll_fd *pfd = pfd_;
    pfd->fired |= what & (EV_READ | EV_WRITE);
}

static short int
poll_events_to_ev(short int events)
{
    return (events & POLLIN ? EV_READ : 0) | (events & POLLOUT ? EV_WRITE : 0);
}

void
poll_fd_wait_at(int fd, short int events, const char *where)
{
    struct poll_loop *loop = poll_loop();
    struct poll_fd *pfd = find_poll_fd(loop, fd);

    vs_assert(fd >= 0);
    if (!pfd) {
        COVERAGE_INC(poll_create_node);
        pfd = xzalloc(sizeof *pfd);
        pfd->fd = fd;
        pfd->event = event_new(loop->base, fd, 0, fd_cb, pfd);
        hmap_insert(&loop->fds, &pfd->hmap_node, hash_int(fd, 0));
    }
    if (pfd->stamp != loop->iteration || !pfd->want) {
        pfd->stamp = loop->iteration;
        pfd->want = 0;
        pfd->where = where;
    }
    pfd->want |= poll_events_to_ev(events);
}

static void
update_timeout(struct poll_loop *loop, long long int when, const char *where)
{
    if (when < loop->timeout_when) {
        loop->timeout_when = when;
        loop->timeout_where = where;
    }
}

void
poll_timer_wait_at(long long int msec, const char *where)
{
    long long int now = time_msec();
    long long int when;

    if (msec <= 0) {
        when = LLONG_MIN;
    } else if (msec >= LLONG_MAX - now) {
        when = LLONG_MAX;
    } else {
        when = now + msec;
    }
    update_timeout(poll_loop(), when, where);
}

void
poll_timer_wait_until_at(long long int when, const char *where)
{
    update_timeout(poll_loop(), when <= time_msec() ? LLONG_MIN : when,
                   where);
}

void
poll_immediate_wake_at(const char *where)
{
    update_timeout(poll_loop(), LLONG_MIN, where);
}

static void
free_poll_fd(struct poll_loop *loop, struct poll_fd *pfd)
{
    hmap_remove(&loop->fds, &pfd->hmap_node);
    if (pfd->registered) {
        loop->stats.fd_changes++;
    }
    event_free(pfd->event);
    free(pfd);
}

void
poll_fd_forget(int fd)
{
    if (the_loop) {
        struct poll_fd *pfd = find_poll_fd(the_loop, fd);
        if (pfd) {
            free_poll_fd(the_loop, pfd);
        }
    }
}

int
poll_fd_close(int fd)
{
    poll_fd_forget(fd);
    return close(fd);
}

bool
poll_fd_may_be_ready(int fd, short int events)
{
    short int ev = poll_events_to_ev(events);
    struct poll_fd *pfd = the_loop ? find_poll_fd(the_loop, fd) : NULL;

    if (!pfd || (pfd->registered & ev) != ev) {
        return true;
    }
    return (pfd->fired & ev) != 0;
}

void
poll_fd_clear_ready(int fd, short int events)
{
    struct poll_fd *pfd = the_loop ? find_poll_fd(the_loop, fd) : NULL;

    if (pfd) {
        pfd->fired &= ~poll_events_to_ev(events);
    }
}

/* Brings epoll's interest in line with this iteration's requests, touching
 * only the fds whose interest changed. */
static void
sync_interest(struct poll_loop *loop)
{
    struct poll_fd *pfd;

    HMAP_FOR_EACH_SAFE (pfd, hmap_node, &loop->fds) {
        short int want = pfd->stamp == loop->iteration ? pfd->want : 0;

        pfd->fired = 0;
        if (!want) {
            free_poll_fd(loop, pfd);
        } else if (want != pfd->registered) {
            if (pfd->registered) {
                event_del(pfd->event);
            }
            event_assign(pfd->event, loop->base, pfd->fd,
                         want | EV_PERSIST, fd_cb, pfd);
            if (event_add(pfd->event, NULL)) {
                VLOG_WARN("fd %d: could not add to epoll (%s)", pfd->fd,
                          vs_strerror(errno));
                poll_immediate_wake();
            }
            pfd->registered = want;
            loop->stats.fd_changes++;
        }
    }
    /* Shrink only here, after the iteration: removal never resizes. */
    if (loop->fds.mask > 7 && hmap_count(&loop->fds) < loop->fds.mask / 8) {
        hmap_shrink(&loop->fds);
    }
}

static void
log_wakeup(const struct poll_loop *loop, bool immediate)
{
    struct poll_fd *pfd;

    if (immediate) {
        VLOG_DBG("wakeup due to 0-ms timeout at %s",
                 loop->timeout_where ? loop->timeout_where : "?");
        return;
    }
    if (loop->watch_fired) {
        VLOG_DBG("wakeup due to a persistent watch");
    }
    if (loop->timer_fired) {
        VLOG_DBG("wakeup due to timeout at %s",
                 loop->timeout_where ? loop->timeout_where : "?");
    }
    HMAP_FOR_EACH (pfd, hmap_node, &loop->fds) {
        if (pfd->fired) {
            VLOG_DBG("wakeup due to [%s%s] on fd %d (%s)",
                     pfd->fired & EV_READ ? "POLLIN" : "",
                     pfd->fired & EV_WRITE
                     ? (pfd->fired & EV_READ ? "|POLLOUT" : "POLLOUT") : "",
                     pfd->fd, pfd->where);
        }
    }
}

/* Arms the timer for the iteration's earliest deadline.  Returns true if
 * the loop must not sleep at all. */
static bool
arm_timer(struct poll_loop *loop)
{
    long long int msec;
    struct timeval tv;

    loop->timer_fired = false;
    loop->watch_fired = false;
    if (loop->timeout_when == LLONG_MAX) {
        return false;
    }
    msec = loop->timeout_when == LLONG_MIN ? 0
           : loop->timeout_when - time_msec();
    if (msec <= 0) {
        return true;
    }
    tv.tv_sec = msec / 1000;
    tv.tv_usec = (msec % 1000) * 1000;
    evtimer_add(loop->timer, &tv);
    return false;
}

void
poll_block(void)
{
    struct poll_loop *loop = poll_loop();
    bool immediate;

    fatal_signal_wait();
    sync_interest(loop);
    immediate = arm_timer(loop);
    if (immediate) {
        COVERAGE_INC(poll_zero_timeout);
    }

    if (event_base_loop(loop->base,
                        EVLOOP_ONCE | (immediate ? EVLOOP_NONBLOCK : 0)) < 0) {
        VLOG_WARN("event_base_loop failed (%s)", vs_strerror(errno));
    }
    if (!immediate) {
        loop->stats.wakeups++;
    }
    if (VLOG_IS_DBG_ENABLED()) {
        log_wakeup(loop, immediate);
    }

    evtimer_del(loop->timer);
    loop->timeout_when = LLONG_MAX;
    loop->timeout_where = NULL;
    loop->iteration++;
    loop->stats.iterations++;

    fatal_signal_run();
}

struct poll_watch {
    struct event *event;
    int fd;
    short int events;           /* POLLIN | POLLOUT. */
    poll_watch_cb *cb;
    void *aux;
};

static void
watch_cb(evutil_socket_t fd, short int what, void *watch_)
{
    struct poll_watch *watch = watch_;
    short int revents = ((what & EV_READ ? POLLIN : 0)
                         | (what & EV_WRITE ? POLLOUT : 0));

    the_loop->watch_fired = true;
    watch->cb(fd, revents, watch->aux);
}

struct poll_watch *
poll_watch_create(int fd, short int events, poll_watch_cb *cb, void *aux)
{
    struct poll_watch *watch = xzalloc(sizeof *watch);

    watch->fd = fd;
    watch->cb = cb;
    watch->aux = aux;
    watch->event = event_new(poll_loop()->base, fd, 0, watch_cb, watch);
    poll_watch_set_events(watch, events);
    return watch;
}

void
poll_watch_set_events(struct poll_watch *watch, short int events)
{
    struct poll_loop *loop = poll_loop();

    events &= POLLIN | POLLOUT;
    if (events == watch->events) {
        return;
    }
    if (watch->events) {
        event_del(watch->event);
    }
    watch->events = events;
    if (events) {
        event_assign(watch->event, loop->base, watch->fd,
                     poll_events_to_ev(events) | EV_PERSIST, watch_cb, watch);
        if (event_add(watch->event, NULL)) {
            VLOG_WARN("fd %d: could not add watch to epoll (%s)", watch->fd,
                      vs_strerror(errno));
        }
    }
    loop->stats.fd_changes++;
}

short int
poll_watch_get_events(const struct poll_watch *watch)
{
    return watch->events;
}

void
poll_watch_destroy(struct poll_watch *watch)
{
    if (watch) {
        if (watch->events) {
            the_loop->stats.fd_changes++;
        }
        event_free(watch->event);
        free(watch);
    }
}

void
poll_loop_get_stats(struct poll_loop_stats *stats)
{
    struct poll_loop *loop = poll_loop();

    *stats = loop->stats;
    stats->cached_fds = hmap_count(&loop->fds);
}
