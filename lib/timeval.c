/* Time: see timeval.h. */
#include <config.h>
#include "timeval.h"

#include <stdlib.h>
#include <sys/resource.h>
#include "poll-loop.h"
#include "unixctl.h"
#include "util.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(timeval);

/* The clock's state: offsets added by warping, and the raw readings at
 * which the clock was stopped. */
static struct {
    long long int warp;         /* Milliseconds added by time_warp(). */
    bool stopped;
    long long int stopped_mono; /* Raw monotonic msec when stopped. */
    long long int stopped_wall; /* Raw wall msec when stopped. */
} clock_state;

static long long int
timespec_to_msec(const struct timespec *ts)
{
    return (long long int) ts->tv_sec * 1000 + ts->tv_nsec / 1000000;
}

static long long int
raw_msec(clockid_t id)
{
    struct timespec ts;

    if (clock_gettime(id, &ts)) {
        vs_abort(0, "clock_gettime failed");
    }
    return timespec_to_msec(&ts);
}

long long int
time_msec(void)
{
    return (clock_state.stopped ? clock_state.stopped_mono
            : raw_msec(CLOCK_MONOTONIC)) + clock_state.warp;
}

long long int
time_wall_msec(void)
{
    return (clock_state.stopped ? clock_state.stopped_wall
            : raw_msec(CLOCK_REALTIME)) + clock_state.warp;
}

long long int
time_now(void)
{
    return time_msec() / 1000;
}

void
time_stop(void)
{
    if (!clock_state.stopped) {
        clock_state.stopped_mono = raw_msec(CLOCK_MONOTONIC);
        clock_state.stopped_wall = raw_msec(CLOCK_REALTIME);
        clock_state.stopped = true;
    }
}

void
time_warp(long long int msecs)
{
    if (msecs > 0) {
        clock_state.warp += msecs;
    }
    poll_immediate_wake();
}

bool
time_is_stopped(void)
{
    return clock_state.stopped;
}

long long int
time_cpu_msec(void)
{
    struct rusage ru;

    if (getrusage(RUSAGE_SELF, &ru)) {
        return 0;
    }
    return ((long long int) (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000
            + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000);
}

static void
time_unixctl_stop(struct unixctl_conn *conn, int argc VS_UNUSED,
                  const char *argv[] VS_UNUSED, void *aux VS_UNUSED)
{
    time_stop();
    unixctl_command_reply(conn, NULL);
}

static void
time_unixctl_warp(struct unixctl_conn *conn, int argc VS_UNUSED,
                  const char *argv[], void *aux VS_UNUSED)
{
    long long int msecs;

    if (!str_to_llong(argv[1], &msecs) || msecs < 0) {
        unixctl_command_reply_error(conn, "time/warp: MSECS must be a "
                                    "non-negative integer");
        return;
    }
    time_warp(msecs);
    VLOG_DBG("clock warped by %lld ms", msecs);
    unixctl_command_reply(conn, "warped");
}

void
time_register_commands(void)
{
    static bool registered;

    if (!registered) {
        registered = true;
        unixctl_command_register("time/stop", "", 0, 0,
                                 time_unixctl_stop, NULL);
        unixctl_command_register("time/warp", "MSECS", 1, 1,
                                 time_unixctl_warp, NULL);
    }
}
