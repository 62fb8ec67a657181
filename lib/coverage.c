/* Coverage counters: see coverage.h.
 *
 * Each counter's 'samples' array holds two rings of its total:
 *
 *   - SEC_RING entries, one per second: the total at the end of each of the
 *     last 61 seconds (for the 5-second and 1-minute averages);
 *   - MIN_RING entries, one per minute: the total at the end of each of the
 *     last 61 minutes (for the 1-hour average).
 *
 * coverage_run() samples at most once a second.  Seconds (and minutes) in
 * which no sample was taken are filled in with the previous sample: a
 * counter can only have changed while the loop was awake, and
 * coverage_wait() asks to wake for a sample whenever one changed.  So an
 * idle process needs no periodic timer at all. */
#include <config.h>
#include "coverage.h"

#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "dynamic-string.h"
#include "hash.h"
#include "poll-loop.h"
#include "timeval.h"
#include "unixctl.h"
#include "util.h"

#define SEC_RING 61
#define MIN_RING 61
#define N_SAMPLES (SEC_RING + MIN_RING)

/* All counters, in registration order. */
static struct vs_list counters = VS_LIST_INITIALIZER(&counters);

/* Second (time_msec() / 1000) of the last sample, LLONG_MIN if none. */
static long long int last_sample_sec = LLONG_MIN;

/* time_msec() at which coverage_run() takes the next sample. */
static long long int next_sample_msec;

/* Returns X modulo N, in 0...N-1 even for negative X (early in a clock's
 * life, "an hour ago" is before time 0). */
static long long int
ring_index(long long int x, int n)
{
    return (x % n + n) % n;
}

/* Called by each counter's constructor (COVERAGE_DEFINE). */
void
coverage_counter_register(struct coverage_counter *counter)
{
    counter->samples = xcalloc(N_SAMPLES, sizeof *counter->samples);
    vs_list_push_back(&counters, &counter->list_node);
}

unsigned long long int
coverage_get_total(const char *name)
{
    struct coverage_counter *c;

    LIST_FOR_EACH (c, list_node, &counters) {
        if (!strcmp(c->name, name)) {
            return c->total;
        }
    }
    return 0;
}

/* Records C's total as of second NOW, filling the seconds and minutes since
 * the previous sample (at second LAST) with that sample's value. */
static void
sample_counter(struct coverage_counter *c, long long int last,
               long long int now)
{
    unsigned long long int *secs = c->samples;
    unsigned long long int *mins = c->samples + SEC_RING;

    if (last != LLONG_MIN) {
        unsigned long long int prev = secs[ring_index(last, SEC_RING)];
        long long int now_min = now / 60;

        for (long long int s = MAX(last + 1, now - SEC_RING + 1); s < now;
             s++) {
            secs[ring_index(s, SEC_RING)] = prev;
        }
        for (long long int m = MAX(last / 60 + 1, now_min - MIN_RING + 1);
             m < now_min; m++) {
            mins[ring_index(m, MIN_RING)] = prev;
        }
    }
    secs[ring_index(now, SEC_RING)] = c->total;
    mins[ring_index(now / 60, MIN_RING)] = c->total;
}

/* Samples every counter as of second NOW (>= the last sample's). */
static void
coverage_sample(long long int now)
{
    struct coverage_counter *c;

    LIST_FOR_EACH (c, list_node, &counters) {
        sample_counter(c, last_sample_sec, now);
    }
    last_sample_sec = now;
}

/* Takes a sample if a second has started since the last one.  Cheap to call
 * on every iteration of a main loop. */
void
coverage_run(void)
{
    long long int now = time_msec();

    if (now >= next_sample_msec) {
        coverage_sample(now / 1000);
        next_sample_msec = (now / 1000 + 1) * 1000;
    }
}

/* Returns true if some counter changed since the last sample. */
static bool
coverage_changed(void)
{
    struct coverage_counter *c;

    LIST_FOR_EACH (c, list_node, &counters) {
        unsigned long long int last = (last_sample_sec == LLONG_MIN ? 0
                                       : c->samples[ring_index(last_sample_sec,
                                                               SEC_RING)]);
        if (c->total != last) {
            return true;
        }
    }
    return false;
}

/* Wakes the loop for the next sample only if a counter changed since the
 * last one, so an idle process gets no wakeups from here. */
void
coverage_wait(void)
{
    if (coverage_changed()) {
        poll_timer_wait_until(next_sample_msec);
    }
}

static int
compare_counter_names(const void *a_, const void *b_)
{
    const struct coverage_counter *const *a = a_;
    const struct coverage_counter *const *b = b_;

    return strcmp((*a)->name, (*b)->name);
}

/* Returns the counters in an array sorted by name; the caller frees it. */
static struct coverage_counter **
sorted_counters(size_t *n)
{
    struct coverage_counter **array;
    struct coverage_counter *c;
    size_t i = 0;

    *n = vs_list_size(&counters);
    array = xmalloc(MAX(*n, 1) * sizeof *array);
    LIST_FOR_EACH (c, list_node, &counters) {
        array[i++] = c;
    }
    qsort(array, *n, sizeof *array, compare_counter_names);
    return array;
}

/* Returns the average rate per second of C over the last SECS seconds
 * (5 or 60) as of second NOW. */
static double
rate_over_secs(const struct coverage_counter *c, long long int now, int secs)
{
    unsigned long long int end = c->samples[ring_index(now, SEC_RING)];
    unsigned long long int start = c->samples[ring_index(now - secs,
                                                              SEC_RING)];

    return (double) (end - start) / secs;
}

/* Returns the average rate per second of C over the last hour as of second
 * NOW. */
static double
rate_over_hour(const struct coverage_counter *c, long long int now)
{
    const unsigned long long int *mins = c->samples + SEC_RING;
    long long int now_min = now / 60;

    return ((double) (mins[ring_index(now_min, MIN_RING)]
                      - mins[ring_index(now_min - 60, MIN_RING)]) / 3600);
}

/* Hash of the names of the counters that were hit, to tell at a glance
 * whether two reports cover the same set of events. */
static uint32_t
coverage_hash(struct coverage_counter **array, size_t n)
{
    uint32_t hash = 0;

    for (size_t i = 0; i < n; i++) {
        if (array[i]->total) {
            hash = hash_string(array[i]->name, hash);
        }
    }
    return hash;
}

char *
coverage_show(void)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    struct coverage_counter **array;
    long long int now = time_msec() / 1000;
    size_t n_unused = 0;
    size_t n;

    coverage_sample(MAX(now, last_sample_sec));
    now = last_sample_sec;
    array = sorted_counters(&n);
    ds_put_format(&s, "Event coverage, avg rate over last: 5 seconds, last "
                  "minute, last hour,  hash=%08"PRIx32":\n",
                  coverage_hash(array, n));
    for (size_t i = 0; i < n; i++) {
        const struct coverage_counter *c = array[i];

        if (!c->total) {
            n_unused++;
            continue;
        }
        ds_put_format(&s, "%-24s %5.1f/sec %9.3f/sec %8.4f/sec   "
                      "total: %llu\n", c->name, rate_over_secs(c, now, 5),
                      rate_over_secs(c, now, 60), rate_over_hour(c, now),
                      c->total);
    }
    ds_put_format(&s, "%zu events never hit\n", n_unused);
    free(array);
    return ds_steal_cstr(&s);
}

static void
coverage_unixctl_show(struct unixctl_conn *conn, int argc VS_UNUSED,
                      const char *argv[] VS_UNUSED, void *aux VS_UNUSED)
{
    char *text = coverage_show();

    unixctl_command_reply(conn, text);
    free(text);
}

void
coverage_register_commands(void)
{
    static bool registered;

    if (!registered) {
        registered = true;
        unixctl_command_register("coverage/show", "", 0, 0,
                                 coverage_unixctl_show, NULL);
    }
}
