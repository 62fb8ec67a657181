/* test-reconnect: drives the reconnect FSM from a script and prints a trace.
 *
 * usage: test-reconnect [-v[SPEC]]... [FILE]...
 *
 * Reads commands, one per line, from each FILE (or stdin), each FILE with a
 * fresh FSM named "remote" created at t=1000.  The trace has the format of
 * Open vSwitch's test-reconnect driver, and tests/test-reconnect.py prints
 * the same trace for the same input using Open vSwitch's Python library:
 * each input line is echoed, then "### t=N ###" if time moved, then one
 * indented line per change in the FSM's statistics.  With several FILEs,
 * each trace is preceded by "==> FILE <==".
 *
 * Commands (ERRNO: a decimal number, EOF, or one of ECONNREFUSED,
 * ECONNRESET, ETIMEDOUT, EPIPE, ENOMEM, EMFILE):
 *
 *   enable | disable | force-reconnect | connecting | connected | activity
 *   | listening | passive | active | quiet | timeout
 *   disconnected [ERRNO]      connect-failed [ERRNO]    listen-error ERRNO
 *   run [MS]                  advance MS
 *   set-max-tries N           set-backoff-free-tries N
 *   set-probe-interval MS     set-backoff MIN MAX
 *   receive-attempted now|LLONG_MAX|MSEC
 *
 * Lines starting with '#' are comments.  Log messages are off unless
 * enabled with -v (e.g. -vreconnect:console:dbg); they go to stderr. */
#include <config.h>
#include "reconnect.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dynamic-string.h"
#include "util.h"
#include "vlog.h"

#define MAX_ARGS 3

struct driver {
    struct reconnect *fsm;
    long long int now;
};

struct command {
    const char *name;
    int min_args, max_args;
    void (*handler)(struct driver *, char *argv[]);
};

static VS_NO_RETURN void
usage_error(const char *format, ...) VS_PRINTF_FORMAT(1, 2);

static void
usage_error(const char *format, ...)
{
    va_list args;

    fflush(stdout);
    fprintf(stderr, "%s: ", program_name);
    va_start(args, format);
    vfprintf(stderr, format, args);
    va_end(args);
    fputc('\n', stderr);
    exit(1);
}

static long long int
parse_msec(const char *s)
{
    long long int value;

    if (!str_to_llong(s, &value) || value < 0 || value > INT_MAX) {
        usage_error("bad time or count '%s'", s);
    }
    return value;
}

static int
parse_error(const char *s)
{
    static const struct {
        const char *name;
        int value;
    } errors[] = {
        { "EOF", EOF },
        { "ECONNREFUSED", ECONNREFUSED },
        { "ECONNRESET", ECONNRESET },
        { "ETIMEDOUT", ETIMEDOUT },
        { "EPIPE", EPIPE },
        { "ENOMEM", ENOMEM },
        { "EMFILE", EMFILE },
    };
    int value;

    if (!s) {
        return 0;
    }
    for (size_t i = 0; i < ARRAY_SIZE(errors); i++) {
        if (!strcmp(s, errors[i].name)) {
            return errors[i].value;
        }
    }
    if (!str_to_int(s, &value)) {
        usage_error("unknown error '%s'", s);
    }
    return value;
}

static void
do_enable(struct driver *d, char *argv[] VS_UNUSED)
{
    reconnect_enable(d->fsm, d->now);
}

static void
do_disable(struct driver *d, char *argv[] VS_UNUSED)
{
    reconnect_disable(d->fsm, d->now);
}

static void
do_force_reconnect(struct driver *d, char *argv[] VS_UNUSED)
{
    reconnect_force_reconnect(d->fsm, d->now);
}

static void
do_disconnected(struct driver *d, char *argv[])
{
    reconnect_disconnected(d->fsm, d->now, parse_error(argv[1]));
}

static void
do_connecting(struct driver *d, char *argv[] VS_UNUSED)
{
    reconnect_connecting(d->fsm, d->now);
}

static void
do_connect_failed(struct driver *d, char *argv[])
{
    reconnect_connect_failed(d->fsm, d->now, parse_error(argv[1]));
}

static void
do_connected(struct driver *d, char *argv[] VS_UNUSED)
{
    reconnect_connected(d->fsm, d->now);
}

static void
do_activity(struct driver *d, char *argv[] VS_UNUSED)
{
    reconnect_activity(d->fsm, d->now);
}

static void
do_listening(struct driver *d, char *argv[] VS_UNUSED)
{
    reconnect_listening(d->fsm, d->now);
}

static void
do_listen_error(struct driver *d, char *argv[])
{
    reconnect_listen_error(d->fsm, d->now, parse_error(argv[1]));
}

static void
do_passive(struct driver *d, char *argv[] VS_UNUSED)
{
    reconnect_set_passive(d->fsm, true, d->now);
}

static void
do_active(struct driver *d, char *argv[] VS_UNUSED)
{
    reconnect_set_passive(d->fsm, false, d->now);
}

static void
do_quiet(struct driver *d, char *argv[] VS_UNUSED)
{
    reconnect_set_quiet(d->fsm, true);
}

static void
do_run(struct driver *d, char *argv[])
{
    if (argv[1]) {
        d->now += parse_msec(argv[1]);
    }

    switch (reconnect_run(d->fsm, d->now)) {
    case RECONNECT_CONNECT:
        printf("  should connect\n");
        break;
    case RECONNECT_DISCONNECT:
        printf("  should disconnect\n");
        break;
    case RECONNECT_PROBE:
        printf("  should send probe\n");
        break;
    default:
        break;
    }
}

static void
do_advance(struct driver *d, char *argv[])
{
    d->now += parse_msec(argv[1]);
}

static void
do_timeout(struct driver *d, char *argv[] VS_UNUSED)
{
    int timeout = reconnect_timeout(d->fsm, d->now);

    if (timeout >= 0) {
        printf("  advance %d ms\n", timeout);
        d->now += timeout;
    } else {
        printf("  no timeout\n");
    }
}

static void
do_set_max_tries(struct driver *d, char *argv[])
{
    reconnect_set_max_tries(d->fsm, parse_msec(argv[1]));
}

static void
do_set_backoff_free_tries(struct driver *d, char *argv[])
{
    reconnect_set_backoff_free_tries(d->fsm, parse_msec(argv[1]));
}

static void
do_set_probe_interval(struct driver *d, char *argv[])
{
    reconnect_set_probe_interval(d->fsm, parse_msec(argv[1]));
}

static void
do_set_backoff(struct driver *d, char *argv[])
{
    reconnect_set_backoff(d->fsm, parse_msec(argv[1]), parse_msec(argv[2]));
}

static void
do_receive_attempted(struct driver *d, char *argv[])
{
    long long int when;

    if (!strcmp(argv[1], "now")) {
        when = d->now;
    } else if (!strcmp(argv[1], "LLONG_MAX")) {
        when = LLONG_MAX;
    } else {
        when = parse_msec(argv[1]);
    }
    reconnect_receive_attempted(d->fsm, when);
}

static const struct command commands[] = {
    { "enable", 0, 0, do_enable },
    { "disable", 0, 0, do_disable },
    { "force-reconnect", 0, 0, do_force_reconnect },
    { "disconnected", 0, 1, do_disconnected },
    { "connecting", 0, 0, do_connecting },
    { "connect-failed", 0, 1, do_connect_failed },
    { "connected", 0, 0, do_connected },
    { "activity", 0, 0, do_activity },
    { "listening", 0, 0, do_listening },
    { "listen-error", 1, 1, do_listen_error },
    { "passive", 0, 0, do_passive },
    { "active", 0, 0, do_active },
    { "quiet", 0, 0, do_quiet },
    { "run", 0, 1, do_run },
    { "advance", 1, 1, do_advance },
    { "timeout", 0, 0, do_timeout },
    { "set-max-tries", 1, 1, do_set_max_tries },
    { "set-backoff-free-tries", 1, 1, do_set_backoff_free_tries },
    { "set-probe-interval", 1, 1, do_set_probe_interval },
    { "set-backoff", 2, 2, do_set_backoff },
    { "receive-attempted", 1, 1, do_receive_attempted },
};

/* Splits LINE in place into at most MAX_ARGS words plus a terminating
 * NULL in ARGV.  Returns the number of words. */
static int
split_words(char *line, char *argv[MAX_ARGS + 1])
{
    int argc = 0;

    for (char *word = strtok(line, " \t\n\v\f\r"); word;
         word = strtok(NULL, " \t\n\v\f\r")) {
        if (argc >= MAX_ARGS) {
            usage_error("%s: too many arguments", argv[0]);
        }
        argv[argc++] = word;
    }
    argv[argc] = NULL;
    return argc;
}

static void
execute(struct driver *d, char *line)
{
    char *argv[MAX_ARGS + 1];
    int argc = split_words(line, argv);

    if (!argc) {
        return;
    }
    for (size_t i = 0; i < ARRAY_SIZE(commands); i++) {
        const struct command *c = &commands[i];

        if (!strcmp(c->name, argv[0])) {
            if (argc - 1 < c->min_args || argc - 1 > c->max_args) {
                usage_error("%s: wrong number of arguments", argv[0]);
            }
            c->handler(d, argv);
            return;
        }
    }
    usage_error("unknown command '%s'", argv[0]);
}

static void
print_stats_diff(const struct reconnect_stats *old,
                 const struct reconnect_stats *new, long long int delta)
{
    if (strcmp(old->state, new->state)
        || old->state_elapsed != new->state_elapsed
        || old->backoff != new->backoff) {
        printf("  in %s for %u ms (%d ms backoff)\n",
               new->state, new->state_elapsed, new->backoff);
    }
    if (old->creation_time != new->creation_time
        || old->last_activity != new->last_activity
        || old->last_connected != new->last_connected) {
        printf("  created %lld, last activity %lld, last connected %lld\n",
               new->creation_time, new->last_activity, new->last_connected);
    }
    if (old->n_successful_connections != new->n_successful_connections
        || old->n_attempted_connections != new->n_attempted_connections
        || old->seqno != new->seqno) {
        printf("  %u successful connections out of %u attempts, seqno %u\n",
               new->n_successful_connections, new->n_attempted_connections,
               new->seqno);
    }
    if (old->is_connected != new->is_connected) {
        printf("  %sconnected\n", new->is_connected ? "" : "dis");
    }
    if (old->last_connected != new->last_connected
        || (new->msec_since_connect != UINT_MAX
            && old->msec_since_connect != new->msec_since_connect - delta)
        || (old->total_connected_duration
            != new->total_connected_duration - delta
            && (old->total_connected_duration
                || new->total_connected_duration))) {
        printf("  last connected %u ms ago, connected %llu ms total\n",
               new->msec_since_connect, new->total_connected_duration);
    }
    if (old->last_disconnected != new->last_disconnected
        || (new->msec_since_disconnect != UINT_MAX
            && old->msec_since_disconnect
               != new->msec_since_disconnect - delta)) {
        printf("  disconnected at %lld ms (%u ms ago)\n",
               new->last_disconnected, new->msec_since_disconnect);
    }
}

/* Runs the script in STREAM against a fresh FSM, printing the trace. */
static void
run_script(FILE *stream)
{
    struct driver d = { .now = 1000 };
    struct reconnect_stats prev;
    struct ds line = DS_EMPTY_INITIALIZER;
    unsigned int old_max_tries;
    long long int old_time;

    d.fsm = reconnect_create(d.now);
    reconnect_set_name(d.fsm, "remote");
    reconnect_get_stats(d.fsm, d.now, &prev);
    printf("### t=%lld ###\n", d.now);
    old_time = d.now;
    old_max_tries = reconnect_get_max_tries(d.fsm);

    while (!ds_get_line(&line, stream)) {
        struct reconnect_stats cur;

        printf("%s\n", ds_cstr(&line));
        if (ds_cstr(&line)[0] == '#') {
            continue;
        }
        execute(&d, ds_cstr(&line));

        if (old_time != d.now) {
            printf("\n### t=%lld ###\n", d.now);
        }
        reconnect_get_stats(d.fsm, d.now, &cur);
        print_stats_diff(&prev, &cur, d.now - old_time);
        prev = cur;
        if (reconnect_get_max_tries(d.fsm) != old_max_tries) {
            old_max_tries = reconnect_get_max_tries(d.fsm);
            printf("  %u tries left\n", old_max_tries);
        }
        old_time = d.now;
    }
    ds_destroy(&line);
    reconnect_destroy(d.fsm);
}

int
main(int argc, char *argv[])
{
    int n_files = 0;

    set_program_name(argv[0]);
    vlog_set_levels_from_string_assert("reconnect:off");
    for (int i = 1; i < argc; i++) {
        if (!strncmp(argv[i], "-v", 2)) {
            vlog_set_verbosity(argv[i][2] ? &argv[i][2] : NULL);
        } else if (!strncmp(argv[i], "--verbose", 9)) {
            vlog_set_verbosity(argv[i][9] == '=' ? &argv[i][10] : NULL);
        } else {
            n_files++;
        }
    }

    if (!n_files) {
        run_script(stdin);
    }
    for (int i = 1; i < argc; i++) {
        FILE *stream;

        if (argv[i][0] == '-') {
            continue;
        }
        stream = fopen(argv[i], "r");
        if (!stream) {
            usage_error("%s: open failed (%s)", argv[i],
                        vs_strerror(errno));
        }
        if (n_files > 1) {
            printf("==> %s <==\n", argv[i]);
        }
        run_script(stream);
        fclose(stream);
    }
    return 0;
}
