/* vlog: leveled logging by module to console, syslog and a file.
 *
 * Each source file that logs says VLOG_DEFINE_THIS_MODULE(name) once, then
 * uses VLOG_ERR(...), VLOG_WARN(...), VLOG_INFO(...), VLOG_DBG(...) or the
 * rate-limited _RL forms.  Each (module, destination) pair has a level;
 * messages at or above it (more severe) are emitted.  Each destination
 * has a pattern (see vlog_set_pattern()); the default patterns carry a
 * timestamp, sequence number, module and level:
 *
 *   file/console:  2026-11-21T23:59:01.123Z|00042|unixctl|INFO|message
 *   syslog:        00042|unixctl|INFO|message
 *
 * Levels: off, emer, err, warn, info, dbg.  Defaults: console and file
 * "info", syslog "err"; once daemonized nothing goes to the console.
 * Every message emitted to at least one destination gets the next
 * sequence number.  Single-threaded; a message logged from inside vlog
 * (e.g. on allocation failure) is dropped rather than recursing.  */
#ifndef VLOG_H
#define VLOG_H 1

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include "compiler.h"
#include "list.h"

enum vlog_level {
    VLL_OFF,
    VLL_EMER,
    VLL_ERR,
    VLL_WARN,
    VLL_INFO,
    VLL_DBG,
    VLL_N_LEVELS
};

enum vlog_destination {
    VLF_CONSOLE,
    VLF_SYSLOG,
    VLF_FILE,
    VLF_N_DESTINATIONS,
    VLF_ANY_DESTINATION = -1
};

/* Names: "off", "emer", ...; returns VLL_N_LEVELS if unknown. */
const char *vlog_get_level_name(enum vlog_level);
enum vlog_level vlog_get_level_val(const char *name);
const char *vlog_get_destination_name(enum vlog_destination);
enum vlog_destination vlog_get_destination_val(const char *name);

struct vlog_module {
    struct vs_list list_node;         /* In the list of all modules. */
    const char *name;
    int levels[VLF_N_DESTINATIONS];   /* Level per destination. */
    int min_level;                    /* Most verbose of levels[]. */
};

void vlog_insert_module(struct vlog_module *);

#define VLOG_DEFINE_MODULE(MODULE) \
    struct vlog_module VLM_##MODULE = { \
        VS_LIST_INITIALIZER(&VLM_##MODULE.list_node), #MODULE, \
        { VLL_INFO, VLL_ERR, VLL_INFO }, VLL_INFO }; \
    VS_CONSTRUCTOR(vlog_init_module_##MODULE) \
    { vlog_insert_module(&VLM_##MODULE); }

#define VLOG_DEFINE_THIS_MODULE(MODULE) \
    VLOG_DEFINE_MODULE(MODULE); \
    static struct vlog_module *const THIS_MODULE = &VLM_##MODULE

struct vlog_module *vlog_module_from_name(const char *name);

/* Rate limiting: a token bucket of BURST messages refilled at RATE
 * messages per minute.  Messages dropped are counted and reported in the
 * next message that gets through. */
struct vlog_rate_limit {
    unsigned int rate;                /* Tokens per minute. */
    unsigned int burst;               /* Max tokens. */
    unsigned int tokens;              /* Current tokens, times 1000. */
    long long int last_fill;          /* time_msec() of last refill. */
    long long int first_dropped;      /* time_msec() of first drop. */
    long long int last_dropped;
    unsigned int n_dropped;
};

#define VLOG_RATE_LIMIT_INIT(RATE, BURST) \
    { RATE, BURST, 0, 0, 0, 0, 0 }

bool vlog_is_enabled(const struct vlog_module *, enum vlog_level);
/* Returns true if a message with this limit must be dropped now. */
bool vlog_should_drop(const struct vlog_module *, enum vlog_level,
                      struct vlog_rate_limit *);

void vlog(const struct vlog_module *, enum vlog_level, const char *format,
          ...) VS_PRINTF_FORMAT(3, 4);
void vlog_valist(const struct vlog_module *, enum vlog_level,
                 const char *format, va_list) VS_PRINTF_FORMAT(3, 0);
void vlog_rate_limit(const struct vlog_module *, enum vlog_level,
                     struct vlog_rate_limit *, const char *format, ...)
    VS_PRINTF_FORMAT(4, 5);
/* Like vlog_valist() but never to the console: for messages that the
 * caller also prints on stderr itself (vs_fatal() and friends). */
void vlog_to_logs_valist(const struct vlog_module *, enum vlog_level,
                         const char *format, va_list)
    VS_PRINTF_FORMAT(3, 0);
/* Logs at EMER level and aborts. */
void vlog_abort(const struct vlog_module *, const char *format, ...)
    VS_PRINTF_FORMAT(2, 3) VS_NO_RETURN;

#define VLOG(LEVEL, ...) \
    do { \
        enum vlog_level level__ = LEVEL; \
        if (THIS_MODULE->min_level >= level__) { \
            vlog(THIS_MODULE, level__, __VA_ARGS__); \
        } \
    } while (0)
#define VLOG_RL(RL, LEVEL, ...) \
    do { \
        enum vlog_level level__ = LEVEL; \
        if (THIS_MODULE->min_level >= level__) { \
            vlog_rate_limit(THIS_MODULE, level__, RL, __VA_ARGS__); \
        } \
    } while (0)

#define VLOG_EMER(...) VLOG(VLL_EMER, __VA_ARGS__)
#define VLOG_ERR(...) VLOG(VLL_ERR, __VA_ARGS__)
#define VLOG_WARN(...) VLOG(VLL_WARN, __VA_ARGS__)
#define VLOG_INFO(...) VLOG(VLL_INFO, __VA_ARGS__)
#define VLOG_DBG(...) VLOG(VLL_DBG, __VA_ARGS__)
#define VLOG_ERR_RL(RL, ...) VLOG_RL(RL, VLL_ERR, __VA_ARGS__)
#define VLOG_WARN_RL(RL, ...) VLOG_RL(RL, VLL_WARN, __VA_ARGS__)
#define VLOG_INFO_RL(RL, ...) VLOG_RL(RL, VLL_INFO, __VA_ARGS__)
#define VLOG_DBG_RL(RL, ...) VLOG_RL(RL, VLL_DBG, __VA_ARGS__)
#define VLOG_ABORT(...) vlog_abort(THIS_MODULE, __VA_ARGS__)
#define VLOG_IS_DBG_ENABLED() (THIS_MODULE->min_level >= VLL_DBG)
#define VLOG_IS_INFO_ENABLED() (THIS_MODULE->min_level >= VLL_INFO)

/* Sets the level of MODULE (NULL: all modules) at DEST
 * (VLF_ANY_DESTINATION: all) to LEVEL. */
void vlog_set_levels(struct vlog_module *, enum vlog_destination,
                     enum vlog_level);
/* Parses "MODULE:DEST:LEVEL" in any order, any part optional ("dbg",
 * "file:info", "any:any:warn", "unixctl:console:dbg"), also "PATTERN:DEST:
 * TEXT".  A missing module or destination, or "any", means all of them; a
 * missing level means dbg.  Names are case-insensitive.  Returns NULL on
 * success or an error message the caller frees. */
char *vlog_set_levels_from_string(const char *) VS_WARN_UNUSED_RESULT;
/* Like vlog_set_levels_from_string() but exits on error. */
void vlog_set_levels_from_string_assert(const char *);
/* Handles -v/--verbose[=SPEC]: NULL means "any:console:dbg". */
void vlog_set_verbosity(const char *arg);
/* Sets the pattern of DEST (VLF_ANY_DESTINATION: all).  Escapes:
 *   %A  program name              %c  module name
 *   %d  UTC time, ISO 8601 with milliseconds (2026-11-21T23:59:01.123Z)
 *   %d{FMT}  UTC time through strftime(FMT), "###" = milliseconds
 *   %D, %D{FMT}  the same in local time (default "%Y-%m-%d %H:%M:%S.###")
 *   %m  message                   %N  sequence number, 5 digits or more
 *   %p  level (EMER, ERR, WARN, INFO, DBG)
 *   %P  process id                %n  new-line       %%  a '%'
 * A width may follow the '%' ("%-10c" pads on the right, "%5p" on the
 * left).  Unknown escapes are copied as they are.  Console and file lines
 * end with a new-line added after the pattern. */
void vlog_set_pattern(enum vlog_destination, const char *pattern);

/* Opens FILE_NAME (NULL: $VS_LOGDIR/PROGRAM.log) for appending as the file
 * destination.  Returns 0 or a positive errno (and logs it). */
int vlog_set_log_file(const char *file_name);
/* Closes and reopens the log file by name (for logrotate); does nothing if
 * the open file still has that name or no log file is configured. */
int vlog_reopen_log_file(void);
/* Stops file logging; the name is kept for vlog_reopen_log_file(). */
void vlog_close_log_file(void);
/* Returns the configured log file name, or NULL. */
const char *vlog_get_log_file(void);

/* Called once daemonized: console output goes to /dev/null from now on. */
void vlog_disable_console(void);

/* Returns a table of modules and levels, as "vlog/list" prints it; the
 * caller frees it. */
char *vlog_get_levels(void);

/* Registers vlog/set, vlog/list, vlog/reopen, vlog/close, vlog/list-pattern
 * with unixctl.  Idempotent. */
void vlog_register_commands(void);

/* Option handling shared by all programs. */
#define VLOG_OPTION_ENUMS OPT_LOG_FILE
#define VLOG_LONG_OPTIONS \
    {"verbose", optional_argument, NULL, 'v'}, \
    {"log-file", optional_argument, NULL, OPT_LOG_FILE}
#define VLOG_OPTION_HANDLERS \
    case 'v': \
        vlog_set_verbosity(optarg); \
        break; \
    case OPT_LOG_FILE: \
        vlog_set_log_file_or_exit(optarg); \
        break;
void vlog_set_log_file_or_exit(const char *file_name);
void vlog_usage(void);

#endif /* vlog.h */
