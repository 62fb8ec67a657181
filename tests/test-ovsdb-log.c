/* test-ovsdb-log: drives ovsdb-lite/log.c for tests/ovsdb-log.at.
 *
 * usage: test-ovsdb-log [-vSPEC]... COMMAND [ARG...]
 *
 * Log messages go to stderr as "MODULE|LEVEL|MESSAGE".  Errors from the
 * log API that end a command are printed on stderr as "test-ovsdb-log:
 * MESSAGE" with exit status 1.
 *
 *   crc32c STRING          print the CRC-32C of STRING as 8 hex digits
 *   create FILE            create FILE (create-excl, locked)
 *   open FILE MODE         open FILE in MODE (read-only, read-write,
 *                          create, create-excl), locked; print "opened"
 *   read FILE              read-only, unlocked: print "N: JSON" for each
 *                          record, then "EOF" or "error: MESSAGE"
 *   append FILE JSON...    open read-write (locked), read every record,
 *                          append each JSON, commit_block(); print
 *                          "appended N records"
 *   truncate-tail FILE     open read-write (locked), read every record,
 *                          ovsdb_log_truncate_tail(); print "ok"
 *   values FILE            read-only: print the values the log holds, a
 *                          record {"snapshot":[V...]} standing for
 *                          V..., any other record for itself; runs of
 *                          consecutive integers print as "A-B"
 *   compact FILE [JSON...] open read-write (locked), read every record,
 *                          replace the log by one snapshot record of its
 *                          values, append each JSON after replace_commit,
 *                          commit_block(); print "compacted N values"
 *   hold FILE STOPFILE     open FILE locked, print "locked", wait until
 *                          STOPFILE exists
 *   lock-twice FILE        open FILE locked twice in this process; print
 *                          the second open's result
 *   group-commit FILE N    create FILE, write N records in one loop
 *                          iteration, run the poll loop until durable;
 *                          print seqnos and the number of fdatasyncs
 *   load FILE N EVERY      create FILE, write the integers 1..N with 32
 *                          records in flight through the poll loop,
 *                          starting a compaction (without blocking) about
 *                          every EVERY records; print "wrote N values"
 *   durability FILE ITERATIONS SEED
 *                          ITERATIONS times: fork a writer that appends
 *                          consecutive integers (32 in flight, compacting
 *                          now and then) and reports each durable
 *                          value through a pipe; SIGKILL it after a random
 *                          delay (seeded by SEED); reopen FILE like a
 *                          server and check that the values are 1..M with
 *                          every reported value present.  Prints
 *                          "iteration I: ok" for each
 *   bench FILE N INFLIGHT  N records, INFLIGHT in flight (group commit);
 *                          prints records/s and records per fdatasync
 *   raw-fsync FILE N       N times: append 64 bytes, fdatasync; prints
 *                          fdatasyncs per second */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "dynamic-string.h"
#include "log.h"
#include "poll-loop.h"
#include "util.h"
#include "vlog.h"

static void VS_NO_RETURN
die_msg(char *msg)
{
    fprintf(stderr, "test-ovsdb-log: %s\n", msg);
    free(msg);
    exit(1);
}

static void VS_NO_RETURN VS_PRINTF_FORMAT(1, 2)
die(const char *format, ...)
{
    va_list args;

    va_start(args, format);
    die_msg(xvasprintf(format, args));
}

/* Evaluates EXPR, which stores a message in 'msg' on error, and dies on
 * error. */
#define TRY(EXPR) \
    do { \
        char *msg = NULL; \
        int error_ = (EXPR); \
        check(error_, msg); \
    } while (0)

static void
check(int error, char *msg)
{
    if (error) {
        die_msg(msg ? msg : xstrdup(vs_strerror(error)));
    }
    free(msg);
}

static double
now_sec(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static struct ovsdb_log *
open_log(const char *file, enum ovsdb_log_open_mode mode, bool lock)
{
    struct ovsdb_log *log;

    TRY(ovsdb_log_open(file, mode, lock, &log, &msg));
    return log;
}

static json_t *
parse_json(const char *s)
{
    json_error_t error;
    json_t *json = json_loads(s, JSON_DECODE_ANY, &error);

    if (!json) {
        die("%s: bad JSON (%s)", s, error.text);
    }
    return json;
}

/* Reads all of LOG's records and appends the values they stand for to
 * VALUES (see "values").  Dies on a read error. */
static void
read_values(struct ovsdb_log *log, json_t *values)
{
    for (;;) {
        json_t *json;
        char *msg;
        int error = ovsdb_log_read(log, &json, &msg);

        if (error == EOF) {
            break;
        }
        check(error, msg);

        json_t *snap = json_is_object(json)
                       ? json_object_get(json, "snapshot") : NULL;
        if (snap && json_is_array(snap)) {
            json_array_extend(values, snap);
        } else {
            json_array_append(values, json);
        }
        json_decref(json);
    }
}

static void
print_values(const json_t *values)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    size_t n = json_array_size(values);

    for (size_t i = 0; i < n; ) {
        json_t *v = json_array_get(values, i);

        if (s.length) {
            ds_put_char(&s, ' ');
        }
        if (json_is_integer(v)) {
            json_int_t first = json_integer_value(v);
            size_t j = i + 1;

            while (j < n && json_is_integer(json_array_get(values, j))
                   && (json_integer_value(json_array_get(values, j))
                       == first + (json_int_t) (j - i))) {
                j++;
            }
            if (j - i > 1) {
                ds_put_format(&s, "%lld-%lld", (long long) first,
                              (long long) (first + (j - i) - 1));
            } else {
                ds_put_format(&s, "%lld", (long long) first);
            }
            i = j;
        } else {
            char *text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
            ds_put_cstr(&s, text);
            free(text);
            i++;
        }
    }
    printf("%s\n", s.length ? ds_cstr(&s) : "(none)");
    ds_destroy(&s);
}

/* Returns true if VALUES is exactly the integers 1..N, storing N. */
static bool
values_are_sequence(const json_t *values, long long *np)
{
    size_t n = json_array_size(values);

    for (size_t i = 0; i < n; i++) {
        json_t *v = json_array_get(values, i);
        if (!json_is_integer(v)
            || json_integer_value(v) != (json_int_t) i + 1) {
            return false;
        }
    }
    *np = n;
    return true;
}

static enum ovsdb_log_open_mode
parse_mode(const char *s)
{
    return (!strcmp(s, "read-only") ? OVSDB_LOG_READ_ONLY
            : !strcmp(s, "read-write") ? OVSDB_LOG_READ_WRITE
            : !strcmp(s, "create") ? OVSDB_LOG_CREATE
            : !strcmp(s, "create-excl") ? OVSDB_LOG_CREATE_EXCL
            : (die("%s: unknown mode", s), OVSDB_LOG_READ_ONLY));
}

static void
do_read(const char *file)
{
    struct ovsdb_log *log = open_log(file, OVSDB_LOG_READ_ONLY, false);

    for (int i = 1; ; i++) {
        json_t *json;
        char *msg;
        int error = ovsdb_log_read(log, &json, &msg);

        if (error == EOF) {
            printf("EOF\n");
            break;
        } else if (error) {
            printf("error: %s\n", msg);
            free(msg);
            break;
        }
        char *text = json_dumps(json, JSON_COMPACT | JSON_ENCODE_ANY);
        printf("%d: %s\n", i, text);
        free(text);
        json_decref(json);
    }
    ovsdb_log_close(log);
}

static void
do_append(const char *file, int n, char *jsons[])
{
    struct ovsdb_log *log = open_log(file, OVSDB_LOG_READ_WRITE, true);
    json_t *values = json_array();

    read_values(log, values);
    json_decref(values);
    for (int i = 0; i < n; i++) {
        json_t *json = parse_json(jsons[i]);
        uint64_t seqno;

        TRY(ovsdb_log_write(log, json, &seqno, &msg));
        json_decref(json);
    }
    TRY(ovsdb_log_commit_block(log, &msg));
    printf("appended %d record(s)\n", n);
    ovsdb_log_close(log);
}

static void
do_compact(const char *file, int n, char *jsons[])
{
    struct ovsdb_log *log = open_log(file, OVSDB_LOG_READ_WRITE, true);
    json_t *values = json_array();
    struct ovsdb_log *new;

    read_values(log, values);
    TRY(ovsdb_log_replace_start(log, &new, &msg));
    json_t *snap = json_pack("{sO}", "snapshot", values);
    TRY(ovsdb_log_write(new, snap, NULL, &msg));
    json_decref(snap);
    TRY(ovsdb_log_replace_commit(log, new, &msg));
    for (int i = 0; i < n; i++) {
        json_t *json = parse_json(jsons[i]);
        TRY(ovsdb_log_write(log, json, NULL, &msg));
        json_decref(json);
    }
    TRY(ovsdb_log_commit_block(log, &msg));

    struct ovsdb_log_stats stats;
    ovsdb_log_get_stats(log, &stats);
    printf("compacted %zu values, %"PRIu64" replacement(s) done\n",
           json_array_size(values), stats.n_replacements);
    json_decref(values);
    ovsdb_log_close(log);
}

/* Writes consecutive integers FIRST, FIRST+1, ... to LOG with INFLIGHT
 * records in flight until N are written and durable.  Every EVERY writes
 * (0: never), and once the log holds a quarter more records than the
 * snapshot, starts a compaction whose snapshot is 1..last written (the
 * log must hold 1..FIRST-1 already).
 * If REPORT_FD >= 0, writes "synced V\n" there whenever the durable value
 * advances.  Returns the number of fdatasyncs. */
static uint64_t
write_loop(struct ovsdb_log *log, long long first, long long n,
           int inflight, long long every, int report_fd)
{
    long long written = 0, since_compact = 0;
    uint64_t base_seqno = ovsdb_log_written_seqno(log);
    uint64_t reported = base_seqno;
    struct ovsdb_log_stats stats;

    for (;;) {
        ovsdb_log_run(log);
        check(ovsdb_log_get_error(log, NULL), NULL);

        uint64_t durable = ovsdb_log_durable_seqno(log);
        if (durable > reported) {
            reported = durable;
            if (report_fd >= 0) {
                char line[64];
                int len = snprintf(line, sizeof line, "synced %lld\n",
                                   first - 1 + (long long) (durable
                                                            - base_seqno));
                if (write(report_fd, line, len) != len) {
                    exit(2);
                }
            }
        }
        if (durable - base_seqno >= (uint64_t) n) {
            break;
        }

        while (written < n
               && (ovsdb_log_written_seqno(log) - durable
                   < (uint64_t) inflight)) {
            json_t *json = json_integer(first + written);
            TRY(ovsdb_log_write(log, json, NULL, &msg));
            json_decref(json);
            written++;
            since_compact++;
        }

        if (every && since_compact >= every
            && since_compact >= (first + written) / 4
            && !ovsdb_log_replace_in_progress(log)) {
            struct ovsdb_log *new;
            json_t *values = json_array();

            for (long long v = 1; v < first + written; v++) {
                json_array_append_new(values, json_integer(v));
            }
            json_t *snap = json_pack("{so}", "snapshot", values);
            TRY(ovsdb_log_replace_start(log, &new, &msg));
            TRY(ovsdb_log_write(new, snap, NULL, &msg));
            json_decref(snap);
            TRY(ovsdb_log_replace_commit(log, new, &msg));
            since_compact = 0;
        }

        ovsdb_log_wait(log);
        poll_block();
    }
    TRY(ovsdb_log_commit_block(log, &msg));
    ovsdb_log_get_stats(log, &stats);
    return stats.n_syncs;
}

static void
do_group_commit(const char *file, int n)
{
    struct ovsdb_log *log = open_log(file, OVSDB_LOG_CREATE_EXCL, true);
    uint64_t first = 0, last = 0;
    struct ovsdb_log_stats stats;

    for (int i = 0; i < n; i++) {
        json_t *json = json_pack("{si}", "n", i);
        TRY(ovsdb_log_write(log, json, &last, &msg));
        if (!i) {
            first = last;
        }
        json_decref(json);
    }
    printf("written seqnos %"PRIu64"-%"PRIu64", durable %"PRIu64"\n",
           first, last, ovsdb_log_durable_seqno(log));
    while (ovsdb_log_durable_seqno(log) < last) {
        ovsdb_log_run(log);
        ovsdb_log_wait(log);
        if (ovsdb_log_durable_seqno(log) < last) {
            poll_block();
        }
    }
    ovsdb_log_get_stats(log, &stats);
    printf("durable %"PRIu64" after %"PRIu64" fdatasync(s)\n",
           ovsdb_log_durable_seqno(log), stats.n_syncs);
    ovsdb_log_close(log);
}

static void
do_load(const char *file, long long n, long long every)
{
    struct ovsdb_log *log = open_log(file, OVSDB_LOG_CREATE_EXCL, true);
    struct ovsdb_log_stats stats;

    write_loop(log, 1, n, 32, every, -1);
    ovsdb_log_get_stats(log, &stats);
    printf("wrote %lld values, compacted: %s\n", n,
           stats.n_replacements > 0 ? "yes" : "no");
    if (stats.n_failed_replacements) {
        die("%"PRIu64" compactions failed", stats.n_failed_replacements);
    }
    ovsdb_log_close(log);
}

/* The writer child of "durability". */
static void VS_NO_RETURN
durability_child(const char *file, int report_fd)
{
    struct ovsdb_log *log = open_log(file, OVSDB_LOG_CREATE, true);
    json_t *values = json_array();
    long long n;

    read_values(log, values);
    if (!values_are_sequence(values, &n)) {
        die("child: %s does not hold a sequence", file);
    }
    json_decref(values);
    TRY(ovsdb_log_truncate_tail(log, &msg));
    write_loop(log, n + 1, 1000000000, 32, 300, report_fd);
    exit(0);
}

static void
do_durability(const char *file, int iterations, unsigned int seed)
{
    long long total_synced = 0;

    for (int i = 1; i <= iterations; i++) {
        int fds[2];
        pid_t pid;

        if (pipe(fds)) {
            die("pipe failed");
        }
        fflush(stdout);
        pid = fork();
        if (pid < 0) {
            die("fork failed");
        } else if (!pid) {
            close(fds[0]);
            durability_child(file, fds[1]);
        }
        close(fds[1]);

        /* Let it run for 50 to 300 ms, reading reports as they come. */
        struct ds reports = DS_EMPTY_INITIALIZER;
        long long delay_ms = 50 + rand_r(&seed) % 251;
        double deadline = now_sec() + delay_ms / 1000.0;
        fcntl(fds[0], F_SETFL, O_NONBLOCK);
        for (;;) {
            char buf[4096];
            ssize_t r = read(fds[0], buf, sizeof buf);
            if (r > 0) {
                ds_put_buffer(&reports, buf, r);
                continue;
            }
            if (now_sec() >= deadline) {
                break;
            }
            xsleep_msec(1);
        }
        kill(pid, SIGKILL);

        int status;
        if (waitpid(pid, &status, 0) != pid) {
            die("waitpid failed");
        }
        fcntl(fds[0], F_SETFL, 0);
        for (;;) {
            char buf[4096];
            ssize_t r = read(fds[0], buf, sizeof buf);
            if (r <= 0) {
                break;
            }
            ds_put_buffer(&reports, buf, r);
        }
        close(fds[0]);
        if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL) {
            die("iteration %d: writer exited with status %d before it "
                "was killed", i, status);
        }

        /* The last complete report line. */
        long long synced = 0;
        const char *p = ds_cstr(&reports);
        const char *line;
        while ((line = strstr(p, "synced ")) != NULL) {
            const char *nl = strchr(line, '\n');
            if (!nl) {
                break;
            }
            synced = atoll(line + 7);
            p = nl + 1;
        }
        ds_destroy(&reports);

        /* Reopen as the server would. */
        struct ovsdb_log *log = open_log(file, OVSDB_LOG_READ_WRITE, true);
        json_t *values = json_array();
        long long n;

        read_values(log, values);
        TRY(ovsdb_log_truncate_tail(log, &msg));
        ovsdb_log_close(log);
        if (!values_are_sequence(values, &n)) {
            printf("iteration %d: values are not 1..N: ", i);
            print_values(values);
            exit(1);
        }
        json_decref(values);
        if (n < synced) {
            die("iteration %d: %lld values reported synced, only %lld "
                "present", i, synced, n);
        }
        if (synced < total_synced) {
            synced = total_synced;
        }
        total_synced = synced;
        printf("iteration %d: ok\n", i);
        fprintf(stderr, "iteration %d: killed after %lld ms, %lld synced, "
                "%lld present\n", i, delay_ms, synced, n);
    }
}

static void
do_bench(const char *file, long long n, int inflight)
{
    struct ovsdb_log *log = open_log(file, OVSDB_LOG_CREATE_EXCL, true);
    double start = now_sec();
    uint64_t n_syncs = write_loop(log, 1, n, inflight, 0, -1);
    double elapsed = now_sec() - start;

    printf("%lld records, %d in flight: %.0f records/s, %"PRIu64
           " fdatasyncs (%.1f records each)\n", n, inflight, n / elapsed,
           n_syncs, (double) n / n_syncs);
    ovsdb_log_close(log);
}

static void
do_raw_fsync(const char *file, int n)
{
    int fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    char buf[64];
    double start;

    if (fd < 0) {
        die("%s: open failed", file);
    }
    memset(buf, 'x', sizeof buf);
    start = now_sec();
    for (int i = 0; i < n; i++) {
        if (write(fd, buf, sizeof buf) != sizeof buf || fdatasync(fd)) {
            die("%s: write or fdatasync failed", file);
        }
    }
    printf("%d fdatasyncs of appends: %.0f/s\n", n,
           n / (now_sec() - start));
    close(fd);
}

int
main(int argc, char *argv[])
{
    const char *cmd;

    set_program_name(argv[0]);
    vlog_set_levels(NULL, VLF_SYSLOG, VLL_OFF);
    vlog_set_pattern(VLF_CONSOLE, "%c|%p|%m");
    while (argc > 1 && !strncmp(argv[1], "-v", 2)) {
        vlog_set_verbosity(argv[1][2] ? argv[1] + 2 : NULL);
        argc--;
        argv++;
    }
    if (argc < 2) {
        die("usage: test-ovsdb-log COMMAND [ARG...] (see the source)");
    }
    cmd = argv[1];

#define NEED(N) \
    if (argc < (N) + 2) { die("%s: needs %d arguments", cmd, N); }

    if (!strcmp(cmd, "crc32c")) {
        NEED(1);
        printf("%08"PRIx32"\n",
               ovsdb_log_crc32c(0, argv[2], strlen(argv[2])));
    } else if (!strcmp(cmd, "create")) {
        NEED(1);
        ovsdb_log_close(open_log(argv[2], OVSDB_LOG_CREATE_EXCL, true));
    } else if (!strcmp(cmd, "open")) {
        NEED(2);
        ovsdb_log_close(open_log(argv[2], parse_mode(argv[3]), true));
        printf("opened\n");
    } else if (!strcmp(cmd, "read")) {
        NEED(1);
        do_read(argv[2]);
    } else if (!strcmp(cmd, "append")) {
        NEED(1);
        do_append(argv[2], argc - 3, argv + 3);
    } else if (!strcmp(cmd, "truncate-tail")) {
        NEED(1);
        struct ovsdb_log *log = open_log(argv[2], OVSDB_LOG_READ_WRITE, true);
        json_t *values = json_array();
        read_values(log, values);
        json_decref(values);
        TRY(ovsdb_log_truncate_tail(log, &msg));
        ovsdb_log_close(log);
        printf("ok\n");
    } else if (!strcmp(cmd, "values")) {
        NEED(1);
        struct ovsdb_log *log = open_log(argv[2], OVSDB_LOG_READ_ONLY, false);
        json_t *values = json_array();
        read_values(log, values);
        print_values(values);
        json_decref(values);
        ovsdb_log_close(log);
    } else if (!strcmp(cmd, "compact")) {
        NEED(1);
        do_compact(argv[2], argc - 3, argv + 3);
    } else if (!strcmp(cmd, "hold")) {
        NEED(2);
        struct ovsdb_log *log = open_log(argv[2], OVSDB_LOG_READ_WRITE, true);
        struct stat st;
        printf("locked\n");
        fflush(stdout);
        while (stat(argv[3], &st)) {
            xsleep_msec(10);
        }
        ovsdb_log_close(log);
    } else if (!strcmp(cmd, "lock-twice")) {
        NEED(1);
        struct ovsdb_log *log = open_log(argv[2], OVSDB_LOG_READ_WRITE, true);
        struct ovsdb_log *log2;
        char *msg2;
        int error = ovsdb_log_open(argv[2], OVSDB_LOG_READ_ONLY, true,
                                   &log2, &msg2);
        printf("second open: %s\n", error ? msg2 : "success");
        free(msg2);
        ovsdb_log_close(log2);
        ovsdb_log_close(log);
    } else if (!strcmp(cmd, "group-commit")) {
        NEED(2);
        do_group_commit(argv[2], atoi(argv[3]));
    } else if (!strcmp(cmd, "load")) {
        NEED(3);
        do_load(argv[2], atoll(argv[3]), atoll(argv[4]));
    } else if (!strcmp(cmd, "durability")) {
        NEED(3);
        do_durability(argv[2], atoi(argv[3]), atoi(argv[4]));
    } else if (!strcmp(cmd, "bench")) {
        NEED(3);
        do_bench(argv[2], atoll(argv[3]), atoi(argv[4]));
    } else if (!strcmp(cmd, "raw-fsync")) {
        NEED(2);
        do_raw_fsync(argv[2], atoi(argv[3]));
    } else {
        die("%s: unknown command", cmd);
    }
    return 0;
}
