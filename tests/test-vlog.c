/* test-vlog: drives vlog, coverage and memory for tests/vlog.at.
 *
 * usage: test-vlog [-v[SPEC]]... [--log-file[=FILE]] < SCRIPT
 *
 * Options are the ones every daemon takes (vlog.h).  Syslog starts "off"
 * so that tests do not write to the host's log; "-vsyslog:LEVEL" turns it
 * back on.  Log messages go where vlog sends them (console: stderr); all
 * other output goes to stdout.
 *
 * SCRIPT holds one command per line; empty lines and lines starting with
 * '#' are skipped.  TEXT is the rest of the line.
 *
 *   emit MODULE LEVEL TEXT      vlog() TEXT as MODULE at LEVEL
 *   rate-limit RATE BURST       reset the rate limit that emit-rl uses
 *   emit-rl MODULE LEVEL TEXT   vlog_rate_limit() TEXT through that limit
 *   set TEXT                    vlog_set_levels_from_string(TEXT); prints
 *                               "error: MESSAGE" if it fails
 *   levels [PREFIX]             print vlog_get_levels(), only the header
 *                               and modules whose names start with PREFIX
 *   stop                        time_stop()
 *   warp MSEC                   time_warp(MSEC)
 *   log-file [FILE]             vlog_set_log_file(FILE or NULL)
 *   reopen                      vlog_reopen_log_file()
 *   close                       vlog_close_log_file()
 *   rename OLD NEW              rename(2) a file
 *   disable-console             vlog_disable_console()
 *   abort TEXT                  vlog_abort(TEXT): does not return
 *   cov-inc NAME [N]            count N (default 1) events on counter NAME
 *                               (test_a or test_b)
 *   cov-run                     coverage_run()
 *   cov-show                    print coverage_show()
 *   cov-total NAME              print coverage_get_total(NAME)
 *   cov-loop idle|busy MSEC     run a main loop (coverage_run(),
 *                               coverage_wait(), poll_block()) for MSEC
 *                               real milliseconds, counting test_a once per
 *                               iteration if "busy"; prints whether the loop
 *                               woke up before its deadline
 *   memory-show                 print memory_show(); reporters add
 *                               test_apples:2 twice and test_zebras:3
 *   echo TEXT                   print TEXT */
#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "command-line.h"
#include "coverage.h"
#include "dynamic-string.h"
#include "memory.h"
#include "poll-loop.h"
#include "timeval.h"
#include "util.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(test_vlog);
VLOG_DEFINE_MODULE(test_other);

COVERAGE_DEFINE(test_a);
COVERAGE_DEFINE(test_b);

static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(60, 5);

/* A parsed script line: the command word and the rest of the line. */
struct line {
    char *cmd;
    char *rest;                 /* Never NULL, maybe "". */
};

/* Cuts the first space-separated word off *RESTP and returns it ("" if
 * none). */
static char *
cut_word(char **restp)
{
    char *s = *restp + strspn(*restp, " \t");
    size_t n = strcspn(s, " \t");

    *restp = s + n;
    if (s[n]) {
        s[n] = '\0';
        *restp += 1 + strspn(s + n + 1, " \t");
    }
    return s;
}

static void VS_NO_RETURN
fail(const char *cmd, const char *what)
{
    fprintf(stderr, "test-vlog: %s: %s\n", cmd, what);
    exit(EXIT_FAILURE);
}

/* "MODULE LEVEL TEXT": parses the module and level off L->rest. */
static void
parse_module_level(struct line *l, struct vlog_module **module,
                   enum vlog_level *level)
{
    const char *module_name = cut_word(&l->rest);
    const char *level_name = cut_word(&l->rest);

    *module = vlog_module_from_name(module_name);
    *level = vlog_get_level_val(level_name);
    if (!*module || *level == VLL_N_LEVELS) {
        fail(l->cmd, "bad module or level");
    }
}

static void
cmd_emit(struct line *l)
{
    struct vlog_module *module;
    enum vlog_level level;

    parse_module_level(l, &module, &level);
    vlog(module, level, "%s", l->rest);
}

static void
cmd_emit_rl(struct line *l)
{
    struct vlog_module *module;
    enum vlog_level level;

    parse_module_level(l, &module, &level);
    vlog_rate_limit(module, level, &rl, "%s", l->rest);
}

static void
cmd_rate_limit(struct line *l)
{
    struct vlog_rate_limit fresh = VLOG_RATE_LIMIT_INIT(0, 0);

    if (!str_to_uint(cut_word(&l->rest), &fresh.rate)
        || !str_to_uint(cut_word(&l->rest), &fresh.burst)) {
        fail(l->cmd, "usage: rate-limit RATE BURST");
    }
    rl = fresh;
}

static void
cmd_set(struct line *l)
{
    char *error = vlog_set_levels_from_string(l->rest);

    if (error) {
        printf("error: %s\n", error);
        free(error);
    }
}

static void
cmd_levels(struct line *l)
{
    const char *prefix = cut_word(&l->rest);
    char *levels = vlog_get_levels();
    char *save_ptr = NULL;

    for (char *row = strtok_r(levels, "\n", &save_ptr); row;
         row = strtok_r(NULL, "\n", &save_ptr)) {
        if (row[0] == ' ' || str_starts_with(row, prefix)) {
            puts(row);
        }
    }
    free(levels);
}

static void
cmd_warp(struct line *l)
{
    long long int msec;

    if (!str_to_llong(cut_word(&l->rest), &msec)) {
        fail(l->cmd, "usage: warp MSEC");
    }
    time_warp(msec);
}

static void
cmd_log_file(struct line *l)
{
    int error = vlog_set_log_file(l->rest[0] ? l->rest : NULL);

    if (error) {
        printf("log-file: %s\n", vs_strerror(error));
    }
}

static void
cmd_reopen(struct line *l VS_UNUSED)
{
    int error = vlog_reopen_log_file();

    if (error) {
        printf("reopen: %s\n", vs_strerror(error));
    }
}

static void
cmd_rename(struct line *l)
{
    const char *old_name = cut_word(&l->rest);
    const char *new_name = cut_word(&l->rest);

    if (rename(old_name, new_name)) {
        fail(l->cmd, vs_strerror(errno));
    }
}

static void
cmd_cov_inc(struct line *l)
{
    const char *name = cut_word(&l->rest);
    unsigned int n = 1;

    if (l->rest[0] && !str_to_uint(cut_word(&l->rest), &n)) {
        fail(l->cmd, "usage: cov-inc NAME [N]");
    }
    if (!strcmp(name, "test_a")) {
        COVERAGE_ADD(test_a, n);
    } else if (!strcmp(name, "test_b")) {
        COVERAGE_ADD(test_b, n);
    } else {
        fail(l->cmd, "unknown counter");
    }
}

static void
cmd_cov_show(struct line *l VS_UNUSED)
{
    char *text = coverage_show();

    fputs(text, stdout);
    free(text);
}

static void
cmd_cov_total(struct line *l)
{
    printf("%llu\n", coverage_get_total(cut_word(&l->rest)));
}

/* Runs a main loop until MSEC real milliseconds from now.  Returns the
 * number of times poll_block() returned before that deadline. */
static int
run_coverage_loop(bool busy, long long int msec)
{
    long long int deadline = time_msec() + msec;
    int wakeups = 0;

    for (;;) {
        coverage_run();
        if (time_msec() >= deadline) {
            return wakeups;
        }
        if (busy) {
            COVERAGE_INC(test_a);
        }
        coverage_wait();
        poll_timer_wait_until(deadline);
        poll_block();
        wakeups += time_msec() < deadline;
    }
}

static void
cmd_cov_loop(struct line *l)
{
    const char *mode = cut_word(&l->rest);
    long long int msec;

    if ((strcmp(mode, "idle") && strcmp(mode, "busy"))
        || !str_to_llong(cut_word(&l->rest), &msec)) {
        fail(l->cmd, "usage: cov-loop idle|busy MSEC");
    }
    printf("%s loop woke up early: %s\n", mode,
           run_coverage_loop(!strcmp(mode, "busy"), msec) ? "yes" : "no");
}

static void
report_apples(struct shash *usage, void *aux VS_UNUSED)
{
    memory_usage_add(usage, "test_apples", 2);
}

static void
report_zebras(struct shash *usage, void *aux VS_UNUSED)
{
    memory_usage_add(usage, "test_zebras", 3);
}

static void
cmd_memory_show(struct line *l VS_UNUSED)
{
    static bool registered;
    char *text;

    if (!registered) {
        registered = true;
        memory_report_register(report_zebras, NULL);
        memory_report_register(report_apples, NULL);
        memory_report_register(report_apples, NULL);
    }
    text = memory_show();
    fputs(text, stdout);
    free(text);
}

static void cmd_stop(struct line *l VS_UNUSED) { time_stop(); }
static void cmd_close(struct line *l VS_UNUSED) { vlog_close_log_file(); }
static void cmd_cov_run(struct line *l VS_UNUSED) { coverage_run(); }
static void cmd_echo(struct line *l) { puts(l->rest); }
static void cmd_disable_console(struct line *l VS_UNUSED)
{
    vlog_disable_console();
}
static void cmd_abort(struct line *l)
{
    vlog_abort(THIS_MODULE, "%s", l->rest);
}

static const struct command {
    const char *name;
    void (*run)(struct line *);
} commands[] = {
    {"emit", cmd_emit},
    {"emit-rl", cmd_emit_rl},
    {"rate-limit", cmd_rate_limit},
    {"set", cmd_set},
    {"levels", cmd_levels},
    {"stop", cmd_stop},
    {"warp", cmd_warp},
    {"log-file", cmd_log_file},
    {"reopen", cmd_reopen},
    {"close", cmd_close},
    {"rename", cmd_rename},
    {"disable-console", cmd_disable_console},
    {"abort", cmd_abort},
    {"cov-inc", cmd_cov_inc},
    {"cov-run", cmd_cov_run},
    {"cov-show", cmd_cov_show},
    {"cov-total", cmd_cov_total},
    {"cov-loop", cmd_cov_loop},
    {"memory-show", cmd_memory_show},
    {"echo", cmd_echo},
};

static void
run_line(char *text)
{
    struct line l;

    l.rest = text;
    l.cmd = cut_word(&l.rest);
    if (!l.cmd[0] || l.cmd[0] == '#') {
        return;
    }
    for (size_t i = 0; i < ARRAY_SIZE(commands); i++) {
        if (!strcmp(l.cmd, commands[i].name)) {
            commands[i].run(&l);
            fflush(stdout);
            return;
        }
    }
    fail(l.cmd, "unknown command");
}

static void
parse_options(int argc, char *argv[])
{
    enum { VLOG_OPTION_ENUMS = UCHAR_MAX + 1 };
    static const struct option long_options[] = {
        VLOG_LONG_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    char *short_options = long_options_to_short_options(long_options);
    int c;

    while ((c = getopt_long(argc, argv, short_options, long_options,
                            NULL)) != -1) {
        switch (c) {
        VLOG_OPTION_HANDLERS
        default:
            exit(EXIT_FAILURE);
        }
    }
    free(short_options);
    if (optind < argc) {
        vs_fatal(0, "unexpected argument \"%s\"", argv[optind]);
    }
}

int
main(int argc, char *argv[])
{
    struct ds line = DS_EMPTY_INITIALIZER;

    set_program_name(argv[0]);
    vlog_set_levels(NULL, VLF_SYSLOG, VLL_OFF);
    parse_options(argc, argv);

    while (!ds_get_line(&line, stdin)) {
        run_line(ds_cstr(&line));
    }
    ds_destroy(&line);
    return 0;
}
