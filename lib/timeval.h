/* Time: a monotonic millisecond clock that tests can stop and warp.
 *
 * time_msec() and time_wall_msec() include any warp applied with
 * time_warp() (unixctl "time/warp MSECS").  After time_stop() (unixctl
 * "time/stop") the clock only moves through time_warp(), which makes
 * timeouts and backoff deterministic in tests. */
#ifndef TIMEVAL_H
#define TIMEVAL_H 1

#include <stdbool.h>
#include <time.h>

/* Monotonic milliseconds since an arbitrary point. */
long long int time_msec(void);
/* Wall-clock milliseconds since the epoch. */
long long int time_wall_msec(void);
/* Monotonic seconds, time_msec() / 1000. */
long long int time_now(void);

/* Freezes the clock (both monotonic and wall offsets stop advancing). */
void time_stop(void);
/* Advances the clock by MSECS (>= 0) and wakes the reactor. */
void time_warp(long long int msecs);
bool time_is_stopped(void);

/* Registers "time/stop" and "time/warp" with unixctl.  Idempotent. */
void time_register_commands(void);

/* Returns CPU time (user+system) used by this process, in milliseconds. */
long long int time_cpu_msec(void);

#endif /* timeval.h */
