/* vlog: leveled logging by module.  See vlog.h.
 *
 * Every message is formatted once into a temporary buffer sized to the
 * message, then once per destination through that destination's pattern,
 * and written with a single write(2) (console, file) or syslog(3) call.
 * Nothing is queued, so memory use is bounded by the message being
 * logged.  A message logged while another is being emitted (for example
 * by an allocation failure inside vlog itself) is dropped rather than
 * recursing.  The module is single-threaded, like the daemons using it. */
#include <config.h>
#include "vlog.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>
#include "dirs.h"
#include "dynamic-string.h"
#include "timeval.h"
#include "unixctl.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(vlog);

static const char *const level_names[VLL_N_LEVELS] = {
    "off", "emer", "err", "warn", "info", "dbg"
};

/* Level names as %p and "vlog/list" write them (like Open vSwitch). */
static const char *const level_tags[VLL_N_LEVELS] = {
    "OFF", "EMER", "ERR", "WARN", "INFO", "DBG"
};

/* syslog(3) priorities.  EMER maps to LOG_ALERT, as in Open vSwitch, so
 * that an emergency of one daemon is not broadcast to every terminal. */
static const int syslog_priorities[VLL_N_LEVELS] = {
    LOG_DEBUG, LOG_ALERT, LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG
};

static const char *const destination_names[VLF_N_DESTINATIONS] = {
    "console", "syslog", "file"
};

static const char *const default_patterns[VLF_N_DESTINATIONS] = {
    "%d|%N|%c|%p|%m",           /* console */
    "%N|%c|%p|%m",              /* syslog */
    "%d|%N|%c|%p|%m",           /* file */
};

/* Timestamp formats for %d and %D without braces.  "###" becomes the
 * milliseconds. */
#define UTC_TIME_FORMAT "%Y-%m-%dT%H:%M:%S.###Z"
#define LOCAL_TIME_FORMAT "%Y-%m-%d %H:%M:%S.###"

/* All modules, in registration order. */
static struct vs_list vlog_modules = VS_LIST_INITIALIZER(&vlog_modules);

/* Patterns set with vlog_set_pattern(); NULL means the default. */
static char *patterns[VLF_N_DESTINATIONS];

/* The log file: its absolute name once configured (kept across
 * vlog_close_log_file(), so that "vlog/reopen" can resume), and its fd
 * while open. */
static char *log_file_name;
static int log_fd = -1;

static bool console_disabled;   /* Set by vlog_disable_console(). */
static bool syslog_opened;      /* openlog() called? */
static unsigned int msg_num;    /* Sequence number of the last message. */
static bool emitting;           /* Guards against recursion. */

/* A message being emitted. */
struct vlog_msg {
    const struct vlog_module *module;
    enum vlog_level level;
    const char *text;
    unsigned int seq;
    long long int when;         /* Wall-clock msec since the epoch. */
};

static void vlog_emit(const struct vlog_module *, enum vlog_level,
                      unsigned int dest_mask, const char *format, va_list)
    VS_PRINTF_FORMAT(4, 0);

/* Names and values. */

const char *
vlog_get_level_name(enum vlog_level level)
{
    return level < VLL_N_LEVELS ? level_names[level] : "unknown";
}

enum vlog_level
vlog_get_level_val(const char *name)
{
    for (int i = 0; i < VLL_N_LEVELS; i++) {
        if (!strcasecmp(name, level_names[i])) {
            return i;
        }
    }
    return VLL_N_LEVELS;
}

const char *
vlog_get_destination_name(enum vlog_destination dest)
{
    return (dest >= 0 && dest < VLF_N_DESTINATIONS
            ? destination_names[dest] : "any");
}

/* Returns VLF_N_DESTINATIONS if NAME is not a destination ("any" is not:
 * callers handle it). */
enum vlog_destination
vlog_get_destination_val(const char *name)
{
    for (int i = 0; i < VLF_N_DESTINATIONS; i++) {
        if (!strcasecmp(name, destination_names[i])) {
            return i;
        }
    }
    return VLF_N_DESTINATIONS;
}

/* Modules and levels. */

/* Returns true if destination DEST currently produces output at all. */
static bool
destination_is_active(enum vlog_destination dest)
{
    return (dest == VLF_CONSOLE ? !console_disabled
            : dest == VLF_FILE ? log_fd >= 0
            : true);
}

static void
update_min_level(struct vlog_module *module)
{
    module->min_level = VLL_OFF;
    for (int d = 0; d < VLF_N_DESTINATIONS; d++) {
        if (destination_is_active(d)) {
            module->min_level = MAX(module->min_level, module->levels[d]);
        }
    }
}

static void
update_all_min_levels(void)
{
    struct vlog_module *module;

    LIST_FOR_EACH (module, list_node, &vlog_modules) {
        update_min_level(module);
    }
}

/* Called by each module's constructor (VLOG_DEFINE_MODULE). */
void
vlog_insert_module(struct vlog_module *module)
{
    vs_list_push_back(&vlog_modules, &module->list_node);
    update_min_level(module);
}

/* Returns the module named NAME (case-insensitive), or NULL. */
struct vlog_module *
vlog_module_from_name(const char *name)
{
    struct vlog_module *module;

    LIST_FOR_EACH (module, list_node, &vlog_modules) {
        if (!strcasecmp(name, module->name)) {
            return module;
        }
    }
    return NULL;
}

static void
set_module_levels(struct vlog_module *module, enum vlog_destination dest,
                  enum vlog_level level)
{
    if (dest == VLF_ANY_DESTINATION) {
        for (int d = 0; d < VLF_N_DESTINATIONS; d++) {
            module->levels[d] = level;
        }
    } else {
        module->levels[dest] = level;
    }
    update_min_level(module);
}

void
vlog_set_levels(struct vlog_module *module, enum vlog_destination dest,
                enum vlog_level level)
{
    vs_assert(dest == VLF_ANY_DESTINATION
              || (dest >= 0 && dest < VLF_N_DESTINATIONS));
    vs_assert(level < VLL_N_LEVELS);

    if (module) {
        set_module_levels(module, dest, level);
    } else {
        LIST_FOR_EACH (module, list_node, &vlog_modules) {
            set_module_levels(module, dest, level);
        }
    }
}

bool
vlog_is_enabled(const struct vlog_module *module, enum vlog_level level)
{
    return module->min_level >= (int) level;
}

/* Patterns. */

static const char *
get_pattern(enum vlog_destination dest)
{
    return patterns[dest] ? patterns[dest] : default_patterns[dest];
}

/* Sets DEST's pattern (VLF_ANY_DESTINATION: all destinations) to a copy of
 * PATTERN. */
void
vlog_set_pattern(enum vlog_destination dest, const char *pattern)
{
    if (dest == VLF_ANY_DESTINATION) {
        for (int d = 0; d < VLF_N_DESTINATIONS; d++) {
            vlog_set_pattern(d, pattern);
        }
        return;
    }
    vs_assert(dest >= 0 && dest < VLF_N_DESTINATIONS);
    free(patterns[dest]);
    patterns[dest] = xstrdup(pattern);
}

/* Appends WHEN, formatted with the strftime() template TMPL (TMPL_LEN
 * bytes, not necessarily NUL-terminated), to S.  "###" in the result
 * becomes the three-digit milliseconds. */
static void
put_time(struct ds *s, const char *tmpl, size_t tmpl_len, long long int when,
         bool utc)
{
    char format[128];
    char buf[256];
    time_t secs = when / 1000;
    struct tm tm;
    size_t n;

    snprintf(format, sizeof format, "%.*s", (int) tmpl_len, tmpl);
    if (utc) {
        gmtime_r(&secs, &tm);
    } else {
        localtime_r(&secs, &tm);
    }
    n = strftime(buf, sizeof buf, format, &tm);
    for (size_t i = 0; i < n; i++) {
        if (i + 3 <= n && !memcmp(&buf[i], "###", 3)) {
            ds_put_format(s, "%03d", (int) (when % 1000));
            i += 2;
        } else {
            ds_put_char(s, buf[i]);
        }
    }
}

/* Expands a %d or %D escape; P points to the 'd' or 'D'.  Returns a pointer
 * to the last character consumed (the letter, or the closing brace of a
 * "{TEMPLATE}" argument). */
static const char *
format_time_escape(const char *p, long long int when, struct ds *s)
{
    bool utc = *p == 'd';
    const char *close = p[1] == '{' ? strchr(p + 2, '}') : NULL;

    if (close) {
        put_time(s, p + 2, close - (p + 2), when, utc);
        return close;
    }
    if (utc) {
        put_time(s, UTC_TIME_FORMAT, strlen(UTC_TIME_FORMAT), when, true);
    } else {
        put_time(s, LOCAL_TIME_FORMAT, strlen(LOCAL_TIME_FORMAT), when,
                 false);
    }
    return p;
}

/* Pads the field that starts at offset START in S with spaces to WIDTH,
 * on the right if LEFT_JUSTIFY, else on the left. */
static void
pad_field(struct ds *s, size_t start, size_t width, bool left_justify)
{
    size_t len = s->length - start;

    if (len < width) {
        size_t pad = width - len;

        ds_put_uninit(s, pad);
        if (!left_justify) {
            memmove(&s->string[start + pad], &s->string[start], len);
            memset(&s->string[start], ' ', pad);
        } else {
            memset(&s->string[start + len], ' ', pad);
        }
    }
}

/* Expands the escape that starts at P (just after a '%') into S.  Returns
 * the position just after the escape. */
static const char *
format_escape(const char *p, const struct vlog_msg *msg, struct ds *s)
{
    size_t start = s->length;
    bool left_justify = false;
    size_t width = 0;

    if (*p == '-') {
        left_justify = true;
        p++;
    }
    for (; isdigit((unsigned char) *p); p++) {
        width = MIN(width * 10 + (*p - '0'), 255);
    }

    switch (*p) {
    case 'A': ds_put_cstr(s, program_name); break;
    case 'c': ds_put_cstr(s, msg->module->name); break;
    case 'd': case 'D': p = format_time_escape(p, msg->when, s); break;
    case 'm': ds_put_cstr(s, msg->text); break;
    case 'N': ds_put_format(s, "%05u", msg->seq); break;
    case 'n': ds_put_char(s, '\n'); break;
    case 'p': ds_put_cstr(s, level_tags[msg->level]); break;
    case 'P': ds_put_format(s, "%ld", (long int) getpid()); break;
    case '%': ds_put_char(s, '%'); break;
    case '\0':
        ds_put_char(s, '%');
        return p;
    default:                    /* Unknown escape: copied literally. */
        ds_put_char(s, '%');
        ds_put_char(s, *p);
        break;
    }
    pad_field(s, start, width, left_justify);
    return p + 1;
}

/* Replaces the content of S by MSG formatted through PATTERN. */
static void
format_log_message(const char *pattern, const struct vlog_msg *msg,
                   struct ds *s)
{
    const char *p = pattern;

    ds_clear(s);
    while (*p) {
        if (*p == '%') {
            p = format_escape(p + 1, msg, s);
        } else {
            ds_put_char(s, *p++);
        }
    }
}

/* Emitting messages. */

/* Writes the N bytes at BUF to FD with one write(2), retrying only if a
 * signal interrupted it.  Errors are ignored: there is nowhere to report
 * them. */
static void
write_line(int fd, const char *buf, size_t n)
{
    ssize_t retval;

    do {
        retval = write(fd, buf, n);
    } while (retval < 0 && errno == EINTR);
}

static void
send_to_syslog(enum vlog_level level, const char *line)
{
    if (!syslog_opened) {
        openlog(program_name, LOG_NDELAY, LOG_DAEMON);
        syslog_opened = true;
    }
    syslog(syslog_priorities[level], "%s", line);
}

/* Sends MSG, formatted with DEST's pattern into the scratch buffer LINE,
 * to DEST. */
static void
send_to_destination(enum vlog_destination dest, const struct vlog_msg *msg,
                    struct ds *line)
{
    format_log_message(get_pattern(dest), msg, line);
    if (dest == VLF_SYSLOG) {
        send_to_syslog(msg->level, ds_cstr(line));
    } else {
        ds_put_char(line, '\n');
        write_line(dest == VLF_FILE ? log_fd : STDERR_FILENO,
                   line->string, line->length);
    }
}

/* Returns the bitmap of destinations among DEST_MASK that want a message
 * from MODULE at LEVEL. */
static unsigned int
wanted_destinations(const struct vlog_module *module, enum vlog_level level,
                    unsigned int dest_mask)
{
    unsigned int mask = 0;

    if (level == VLL_OFF || level >= VLL_N_LEVELS) {
        return 0;
    }
    for (int d = 0; d < VLF_N_DESTINATIONS; d++) {
        if (dest_mask & (1u << d) && destination_is_active(d)
            && module->levels[d] >= (int) level) {
            mask |= 1u << d;
        }
    }
    return mask;
}

/* Formats FORMAT with ARGS and emits it, as MODULE at LEVEL, to those of
 * the destinations in DEST_MASK (bits 1 << VLF_*) whose level allows it.
 * Preserves errno. */
static void
vlog_emit(const struct vlog_module *module, enum vlog_level level,
          unsigned int dest_mask, const char *format, va_list args)
{
    unsigned int mask = wanted_destinations(module, level, dest_mask);
    struct ds text = DS_EMPTY_INITIALIZER;
    struct ds line = DS_EMPTY_INITIALIZER;
    int save_errno = errno;
    struct vlog_msg msg;

    if (!mask || emitting) {
        return;
    }
    emitting = true;

    ds_put_format_valist(&text, format, args);
    msg.module = module;
    msg.level = level;
    msg.text = ds_cstr(&text);
    msg.seq = ++msg_num;
    msg.when = time_wall_msec();
    for (int d = 0; d < VLF_N_DESTINATIONS; d++) {
        if (mask & (1u << d)) {
            send_to_destination(d, &msg, &line);
        }
    }
    ds_destroy(&line);
    ds_destroy(&text);

    emitting = false;
    errno = save_errno;
}

#define ALL_DESTINATIONS ((1u << VLF_N_DESTINATIONS) - 1)

void
vlog_valist(const struct vlog_module *module, enum vlog_level level,
            const char *format, va_list args)
{
    vlog_emit(module, level, ALL_DESTINATIONS, format, args);
}

void
vlog(const struct vlog_module *module, enum vlog_level level,
     const char *format, ...)
{
    va_list args;

    va_start(args, format);
    vlog_valist(module, level, format, args);
    va_end(args);
}

void
vlog_to_logs_valist(const struct vlog_module *module, enum vlog_level level,
                    const char *format, va_list args)
{
    vlog_emit(module, level, ALL_DESTINATIONS & ~(1u << VLF_CONSOLE), format,
              args);
}

void
vlog_abort(const struct vlog_module *module, const char *format, ...)
{
    va_list args;

    va_start(args, format);
    vlog_valist(module, VLL_EMER, format, args);
    va_end(args);
    abort();
}

/* Rate limiting. */

/* Adds to RL's bucket the tokens earned since its last refill, at 'rate'
 * per minute, up to 'burst'.  A limit never used before (last_fill == 0)
 * starts full.  Tokens count in thousandths; 'last_fill' advances only by
 * the time actually converted into them, so no fraction is lost however
 * often this runs. */
static void
rate_limit_refill(struct vlog_rate_limit *rl, long long int now)
{
    unsigned long long int max = MIN((unsigned long long int) rl->burst
                                     * 1000, UINT_MAX);
    long long int elapsed = MIN(now - rl->last_fill, 24LL * 3600 * 1000);
    unsigned long long int add;

    if (!rl->last_fill) {
        rl->tokens = max;
        rl->last_fill = now;
        return;
    }
    if (elapsed <= 0) {
        return;
    }
    /* RATE tokens per minute are RATE / 60 thousandths per msec. */
    add = elapsed * (unsigned long long int) rl->rate / 60;
    if (!add) {
        return;
    } else if (rl->tokens + add >= max) {
        rl->tokens = max;
        rl->last_fill = now;
    } else {
        rl->tokens += add;
        rl->last_fill += add * 60 / rl->rate;
    }
}

bool
vlog_should_drop(const struct vlog_module *module, enum vlog_level level,
                 struct vlog_rate_limit *rl)
{
    long long int now;
    unsigned int n_dropped;

    if (!vlog_is_enabled(module, level)) {
        return true;
    }

    now = time_msec();
    rate_limit_refill(rl, now);
    if (rl->tokens < 1000) {
        if (!rl->n_dropped) {
            rl->first_dropped = now;
        }
        rl->last_dropped = now;
        rl->n_dropped += rl->n_dropped < UINT_MAX;
        return true;
    }
    rl->tokens -= 1000;

    n_dropped = rl->n_dropped;
    if (n_dropped) {
        rl->n_dropped = 0;
        vlog(module, level, "Dropped %u log messages in last %lld seconds "
             "(most recently, %lld seconds ago) due to excessive rate",
             n_dropped, (now - rl->first_dropped) / 1000,
             (now - rl->last_dropped) / 1000);
    }
    return false;
}

void
vlog_rate_limit(const struct vlog_module *module, enum vlog_level level,
                struct vlog_rate_limit *rl, const char *format, ...)
{
    if (!vlog_should_drop(module, level, rl)) {
        va_list args;

        va_start(args, format);
        vlog_valist(module, level, format, args);
        va_end(args);
    }
}

/* Parsing settings. */

#define SPEC_DELIMITERS " ,:\t"

/* Cuts the next word off *SP (words are separated by SPEC_DELIMITERS) and
 * returns it, or NULL if no word is left.  Afterward *SP points just past
 * the delimiter that ended the word. */
static char *
next_word(char **sp)
{
    char *s = *sp + strspn(*sp, SPEC_DELIMITERS);
    size_t n;

    if (!*s) {
        *sp = s;
        return NULL;
    }
    n = strcspn(s, SPEC_DELIMITERS);
    *sp = s[n] ? &s[n + 1] : &s[n];
    s[n] = '\0';
    return s;
}

/* Parses the rest of "PATTERN:DEST:TEXT" from S (after "PATTERN"). */
static char *
parse_pattern_spec(char *s)
{
    enum vlog_destination dest;
    char *word = next_word(&s);

    if (!word) {
        return xstrdup("missing destination in PATTERN:DEST:TEXT");
    }
    dest = (!strcasecmp(word, "any") ? VLF_ANY_DESTINATION
            : vlog_get_destination_val(word));
    if (dest == VLF_N_DESTINATIONS) {
        return xasprintf("unknown destination \"%s\"", word);
    }
    if (!*s) {
        return xstrdup("missing pattern in PATTERN:DEST:TEXT");
    }
    vlog_set_pattern(dest, s);
    return NULL;
}

/* The parts of "MODULE:DEST:LEVEL". */
enum spec_part { SPEC_MODULE, SPEC_DEST, SPEC_LEVEL, SPEC_N_PARTS };
static const char *const spec_part_names[SPEC_N_PARTS] = {
    "module", "destination", "level"
};

struct level_spec {
    struct vlog_module *module;     /* NULL: all. */
    enum vlog_destination dest;     /* VLF_N_DESTINATIONS: not given. */
    enum vlog_level level;          /* VLL_N_LEVELS: not given. */
    const char *unknown;            /* First unrecognized word, if any. */
    int unknown_pos;                /* Its position, counting from 0. */
    int n_words;
};

/* Classifies WORD (at position POS) into SPEC.  Returns an error message
 * if WORD repeats a part already given, otherwise NULL. */
static char *
classify_word(struct level_spec *spec, const char *word, int pos)
{
    enum vlog_destination dest = vlog_get_destination_val(word);
    enum vlog_level level = vlog_get_level_val(word);
    struct vlog_module *module;

    if (!strcasecmp(word, "any")) {
        return NULL;
    } else if (dest != VLF_N_DESTINATIONS) {
        if (spec->dest != VLF_N_DESTINATIONS) {
            return xstrdup("cannot specify multiple destinations");
        }
        spec->dest = dest;
    } else if (level != VLL_N_LEVELS) {
        if (spec->level != VLL_N_LEVELS) {
            return xstrdup("cannot specify multiple levels");
        }
        spec->level = level;
    } else if ((module = vlog_module_from_name(word)) != NULL) {
        if (spec->module) {
            return xstrdup("cannot specify multiple modules");
        }
        spec->module = module;
    } else if (!spec->unknown) {
        spec->unknown = word;
        spec->unknown_pos = pos;
    }
    return NULL;
}

/* Returns a message for SPEC's unrecognized word, naming what it could
 * have been: the parts not otherwise given, narrowed down by its position
 * in a complete three-part "MODULE:DEST:LEVEL". */
static char *
unknown_word_error(const struct level_spec *spec)
{
    bool missing[SPEC_N_PARTS] = {
        !spec->module,
        spec->dest == VLF_N_DESTINATIONS,
        spec->level == VLL_N_LEVELS,
    };
    struct ds s = DS_EMPTY_INITIALIZER;
    int n_missing = missing[0] + missing[1] + missing[2];

    if (n_missing > 1 && spec->n_words == SPEC_N_PARTS
        && missing[spec->unknown_pos]) {
        for (int i = 0; i < SPEC_N_PARTS; i++) {
            missing[i] = i == spec->unknown_pos;
        }
        n_missing = 1;
    }
    if (!n_missing) {
        return xasprintf("unexpected \"%s\" (module, destination and level "
                         "already given)", spec->unknown);
    }

    ds_put_cstr(&s, "unknown ");
    for (int i = 0, j = 0; i < SPEC_N_PARTS; i++) {
        if (missing[i]) {
            const char *sep = (j == 0 ? ""
                               : j == n_missing - 1 ? " or " : ", ");
            ds_put_format(&s, "%s%s", sep, spec_part_names[i]);
            j++;
        }
    }
    ds_put_format(&s, " \"%s\"", spec->unknown);
    return ds_steal_cstr(&s);
}

/* Parses "MODULE:DEST:LEVEL" (any part optional, any order) whose first
 * word, already cut off, is WORD (NULL if none) and whose remaining words
 * are in REST. */
static char *
parse_level_spec(char *word, char *rest)
{
    struct level_spec spec = {
        .module = NULL,
        .dest = VLF_N_DESTINATIONS,
        .level = VLL_N_LEVELS,
    };

    for (; word; word = next_word(&rest)) {
        char *error = classify_word(&spec, word, spec.n_words++);
        if (error) {
            return error;
        }
    }
    if (spec.unknown) {
        return unknown_word_error(&spec);
    }
    vlog_set_levels(spec.module,
                    (spec.dest == VLF_N_DESTINATIONS
                     ? VLF_ANY_DESTINATION : spec.dest),
                    spec.level == VLL_N_LEVELS ? VLL_DBG : spec.level);
    return NULL;
}

/* Missing parts of a level spec mean "any" (module, destination) and
 * "dbg" (level), so "" sets everything to dbg. */
char *
vlog_set_levels_from_string(const char *s_)
{
    char *s = xstrdup(s_);
    char *rest = s;
    char *word = next_word(&rest);
    char *error;

    if (word && !strcasecmp(word, "pattern")) {
        error = parse_pattern_spec(rest);
    } else {
        error = parse_level_spec(word, rest);
    }
    free(s);
    return error;
}

void
vlog_set_levels_from_string_assert(const char *s)
{
    char *error = vlog_set_levels_from_string(s);

    if (error) {
        vs_fatal(0, "processing \"%s\": %s", s, error);
    }
}

void
vlog_set_verbosity(const char *arg)
{
    if (arg && arg[0]) {
        vlog_set_levels_from_string_assert(arg);
    } else {
        vlog_set_levels(NULL, VLF_CONSOLE, VLL_DBG);
    }
}

/* The log file. */

/* Opens NAME for logging.  Returns an fd, or a negative errno. */
static int
open_log_file(const char *name)
{
    int fd = open(name, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
    return fd >= 0 ? fd : -errno;
}

static void
report_open_error(const char *name, int error)
{
    fprintf(stderr, "%s: could not open log file %s (%s)\n",
            program_name, name, vs_strerror(error));
    fflush(stderr);
}

/* Logs at INFO level, to the file and syslog only, that NAME is now the
 * log file. */
static void
log_opened(const char *format, ...) VS_PRINTF_FORMAT(1, 2);
static void
log_opened(const char *format, ...)
{
    va_list args;

    va_start(args, format);
    vlog_emit(THIS_MODULE, VLL_INFO, (1u << VLF_FILE) | (1u << VLF_SYSLOG),
              format, args);
    va_end(args);
}

/* Makes FD, open on file NAME (which the log takes over), the log file. */
static void
install_log_file(char *name, int fd)
{
    if (log_fd >= 0) {
        close(log_fd);
    }
    log_fd = fd;
    if (name != log_file_name) {
        free(log_file_name);
        log_file_name = name;
    }
    update_all_min_levels();
    log_opened("opened log file %s", log_file_name);
}

/* A relative FILE_NAME is taken relative to $VS_LOGDIR.  On failure the
 * previous log file, if any, stays in use and the error is printed on
 * stderr as "PROGRAM: could not open log file NAME (ERROR)". */
int
vlog_set_log_file(const char *file_name)
{
    char *name = (file_name && file_name[0]
                  ? abs_file_name(vs_logdir(), file_name)
                  : xasprintf("%s/%s.log", vs_logdir(), program_name));
    int fd = open_log_file(name);

    if (fd < 0) {
        report_open_error(name, -fd);
        free(name);
        return -fd;
    }
    install_log_file(name, fd);
    return 0;
}

void
vlog_set_log_file_or_exit(const char *file_name)
{
    if (vlog_set_log_file(file_name)) {
        exit(EXIT_FAILURE);
    }
}

/* Returns true if FD is open on the file now named NAME. */
static bool
fd_is_file(int fd, const char *name)
{
    struct stat a, b;

    return (!fstat(fd, &a) && !stat(name, &b)
            && a.st_dev == b.st_dev && a.st_ino == b.st_ino);
}

/* Does nothing (and returns 0) if no log file is configured or the open
 * file still has its name.  Otherwise opens the name afresh, typically
 * after logrotate renamed the old file, and closes the old fd.  On failure
 * keeps writing to the old fd, if any, and returns a positive errno. */
int
vlog_reopen_log_file(void)
{
    int fd;

    if (!log_file_name
        || (log_fd >= 0 && fd_is_file(log_fd, log_file_name))) {
        return 0;
    }
    fd = open_log_file(log_file_name);
    if (fd < 0) {
        report_open_error(log_file_name, -fd);
        return -fd;
    }
    install_log_file(log_file_name, fd);
    return 0;
}

/* Stops logging to the file.  The name is remembered, so that
 * vlog_reopen_log_file() can resume. */
void
vlog_close_log_file(void)
{
    if (log_fd >= 0) {
        close(log_fd);
        log_fd = -1;
        update_all_min_levels();
    }
}

/* Returns the configured log file name (even while closed), or NULL. */
const char *
vlog_get_log_file(void)
{
    return log_file_name;
}

void
vlog_disable_console(void)
{
    console_disabled = true;
    update_all_min_levels();
}

/* Reports. */

static int
compare_module_names(const void *a_, const void *b_)
{
    const struct vlog_module *const *a = a_;
    const struct vlog_module *const *b = b_;

    return strcmp((*a)->name, (*b)->name);
}

/* Returns the modules in an array sorted by name; the caller frees it. */
static struct vlog_module **
sorted_modules(size_t *n)
{
    struct vlog_module **modules;
    struct vlog_module *module;
    size_t i = 0;

    *n = vs_list_size(&vlog_modules);
    modules = xmalloc(MAX(*n, 1) * sizeof *modules);
    LIST_FOR_EACH (module, list_node, &vlog_modules) {
        modules[i++] = module;
    }
    qsort(modules, *n, sizeof *modules, compare_module_names);
    return modules;
}

char *
vlog_get_levels(void)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    struct vlog_module **modules;
    size_t n;

    ds_put_cstr(&s, "                 console    syslog    file\n"
                    "                 -------    ------    ------\n");
    modules = sorted_modules(&n);
    for (size_t i = 0; i < n; i++) {
        const struct vlog_module *m = modules[i];

        ds_put_format(&s, "%-16s  %4s       %4s       %4s\n", m->name,
                      level_tags[m->levels[VLF_CONSOLE]],
                      level_tags[m->levels[VLF_SYSLOG]],
                      level_tags[m->levels[VLF_FILE]]);
    }
    free(modules);
    return ds_steal_cstr(&s);
}

/* Returns "DEST  PATTERN" lines, one per destination; the caller frees. */
static char *
vlog_get_patterns(void)
{
    struct ds s = DS_EMPTY_INITIALIZER;

    for (int d = 0; d < VLF_N_DESTINATIONS; d++) {
        ds_put_format(&s, "%-7s  %s\n", destination_names[d],
                      get_pattern(d));
    }
    return ds_steal_cstr(&s);
}

void
vlog_usage(void)
{
    printf("\nLogging options:\n"
           "  -vSPEC, --verbose=SPEC   set logging levels "
           "(SPEC: [MODULE][:DEST][:LEVEL])\n"
           "  -v, --verbose            log everything to the console "
           "(any:console:dbg)\n"
           "  --log-file[=FILE]        enable logging to FILE\n"
           "                           (default: %s/%s.log)\n",
           vs_logdir(), program_name);
}

/* unixctl commands. */

static void
vlog_unixctl_set(struct unixctl_conn *conn, int argc, const char *argv[],
                 void *aux VS_UNUSED)
{
    for (int i = 1; i < argc; i++) {
        char *error = vlog_set_levels_from_string(argv[i]);
        if (error) {
            unixctl_command_reply_error(conn, error);
            free(error);
            return;
        }
    }
    unixctl_command_reply(conn, NULL);
}

static void
vlog_unixctl_list(struct unixctl_conn *conn, int argc VS_UNUSED,
                  const char *argv[] VS_UNUSED, void *aux VS_UNUSED)
{
    char *levels = vlog_get_levels();

    unixctl_command_reply(conn, levels);
    free(levels);
}

static void
vlog_unixctl_list_pattern(struct unixctl_conn *conn, int argc VS_UNUSED,
                          const char *argv[] VS_UNUSED, void *aux VS_UNUSED)
{
    char *text = vlog_get_patterns();

    unixctl_command_reply(conn, text);
    free(text);
}

static void
vlog_unixctl_reopen(struct unixctl_conn *conn, int argc VS_UNUSED,
                    const char *argv[] VS_UNUSED, void *aux VS_UNUSED)
{
    int error;

    if (!log_file_name) {
        unixctl_command_reply_error(conn, "Logging to file not configured");
        return;
    }
    error = vlog_reopen_log_file();
    if (error) {
        char *msg = xasprintf("could not reopen log file %s (%s)",
                              log_file_name, vs_strerror(error));
        unixctl_command_reply_error(conn, msg);
        free(msg);
    } else {
        unixctl_command_reply(conn, NULL);
    }
}

static void
vlog_unixctl_close(struct unixctl_conn *conn, int argc VS_UNUSED,
                   const char *argv[] VS_UNUSED, void *aux VS_UNUSED)
{
    if (!log_file_name) {
        unixctl_command_reply_error(conn, "Logging to file not configured");
        return;
    }
    vlog_close_log_file();
    unixctl_command_reply(conn, NULL);
}

void
vlog_register_commands(void)
{
    static bool registered;

    if (registered) {
        return;
    }
    registered = true;
    unixctl_command_register("vlog/set",
                             "{spec | PATTERN:destination:pattern}...",
                             1, INT_MAX, vlog_unixctl_set, NULL);
    unixctl_command_register("vlog/list", "", 0, 0, vlog_unixctl_list,
                             NULL);
    unixctl_command_register("vlog/list-pattern", "", 0, 0,
                             vlog_unixctl_list_pattern, NULL);
    unixctl_command_register("vlog/reopen", "", 0, 0, vlog_unixctl_reopen,
                             NULL);
    unixctl_command_register("vlog/close", "", 0, 0, vlog_unixctl_close,
                             NULL);
}
