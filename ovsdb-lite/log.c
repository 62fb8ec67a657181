/* ovsdb-lite durable storage: see log.h for the contract and
 * Documentation/ovsdb-lite-log.md for the format. */
#include <config.h>

#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <unistd.h>
#if defined(__x86_64__)
#include <nmmintrin.h>
#endif

#include "coverage.h"
#include "dynamic-string.h"
#include "poll-loop.h"
#include "util.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(ovsdb_log);

COVERAGE_DEFINE(ovsdb_log_write);
COVERAGE_DEFINE(ovsdb_log_sync);
COVERAGE_DEFINE(ovsdb_log_replace);

#define MAGIC_LEN (sizeof OVSDB_LOG_MAGIC - 1)
#define RECORD_PREFIX "VSR "
#define RECORD_PREFIX_LEN 4

enum log_state {
    LOG_READING,        /* Before the first read, or between reads. */
    LOG_READ_EOF,       /* Read to the end (clean or torn tail). */
    LOG_WRITING,        /* Appending. */
};

/* A committed replacement, handed from the main thread to the sync
 * thread and back. */
struct log_replace {
    int fd;                     /* PATH.tmp, open for writing. */
    char *tmp_name;
    struct ds data;             /* The whole new file: magic + snapshot. */
    struct ds old_queue;        /* Records queued before the commit. */
    uint64_t seqno;             /* Last seqno written before the commit. */
    char crash_point[32];       /* Test hook, see ovsdb_log_set_crash_point. */

    /* Main thread's accounting, restored if the replacement fails. */
    off_t old_offset;
    off_t old_snapshot_size;
    uint64_t old_n_since;

    /* Result, from the sync thread. */
    int error;
    const char *error_op;       /* Static: "write", "rename", ... */
};

/* State shared with the sync thread.  Members marked (T) belong to the
 * thread once it runs; (M) are protected by 'mutex'. */
struct log_sync {
    pthread_t thread;
    pthread_mutex_t mutex;
    pthread_cond_t wake;        /* Signals the thread: work or exit. */
    pthread_cond_t done;        /* Signals waiters: progress was made. */
    int event_fd;               /* Wakes the main loop on progress. */

    const char *name;           /* The log's name (immutable). */
    int fd;                     /* (T) The file being appended. */
    off_t file_offset;          /* (T) Where the next append goes. */

    struct ds queue;            /* (M) Records to append, then sync. */
    uint64_t queue_seqno;       /* (M) Seqno of the last record queued. */
    struct log_replace *replace;    /* (M) Replacement to perform. */
    struct log_replace *finished;   /* (M) Replacement done, for main. */
    uint64_t durable;           /* (M) Durable seqno. */
    int error;                  /* (M) Sticky I/O error. */
    const char *error_op;       /* (M) What failed. */
    bool exiting;               /* (M) Thread should exit when idle. */
    struct ovsdb_log_stats stats;   /* (M) n_syncs, n_bytes, replaces. */
};

struct ovsdb_log {
    char *name;
    enum ovsdb_log_open_mode mode;
    bool writable;
    int fd;                     /* -1 once handed to the sync thread. */
    int lock_fd;                /* Lock file, or -1. */
    enum log_state state;

    /* Sticky error: a corrupt middle, I/O error, ... */
    int error;
    char *error_msg;
    bool error_logged;

    /* Reading. */
    char *rbuf;                 /* Whole file, while reading. */
    size_t rsize;
    bool loaded;
    off_t torn_offset;          /* Truncate back here, if 'torn'. */
    bool torn;
    uint64_t n_read;

    /* Writing. */
    off_t offset;               /* Logical end, including 'wbuf'. */
    off_t snapshot_size;
    uint64_t n_since_snapshot;
    struct ds wbuf;             /* Records not yet handed to the thread. */
    struct ds scratch;          /* For serializing one record. */
    uint64_t written_seqno;
    uint64_t durable_seqno;     /* Cached from 'sync'. */
    struct ovsdb_log_stats stats;

    struct log_sync *sync;      /* Sync thread, once writing. */
    bool replace_in_progress;

    /* Replacement objects only. */
    struct ovsdb_log *replace_of;   /* Log being replaced, else NULL. */
};

static char crash_point[32];

static void start_sync(struct ovsdb_log *);
static void pickup(struct ovsdb_log *, bool log_errors);

/* CRC-32C. */

static uint32_t crc32c_table[8][256];
static pthread_once_t crc32c_once = PTHREAD_ONCE_INIT;

static void
crc32c_init(void)
{
    for (int i = 0; i < 256; i++) {
        uint32_t crc = i;
        for (int j = 0; j < 8; j++) {
            crc = crc & 1 ? (crc >> 1) ^ 0x82f63b78 : crc >> 1;
        }
        crc32c_table[0][i] = crc;
    }
    for (int i = 0; i < 256; i++) {
        uint32_t crc = crc32c_table[0][i];
        for (int k = 1; k < 8; k++) {
            crc = crc32c_table[0][crc & 0xff] ^ (crc >> 8);
            crc32c_table[k][i] = crc;
        }
    }
}

static uint32_t
crc32c_sw(uint32_t crc, const uint8_t *p, size_t n)
{
    while (n >= 8) {
        uint32_t lo = crc ^ ((uint32_t) p[0] | (uint32_t) p[1] << 8
                             | (uint32_t) p[2] << 16
                             | (uint32_t) p[3] << 24);
        crc = (crc32c_table[7][lo & 0xff]
               ^ crc32c_table[6][(lo >> 8) & 0xff]
               ^ crc32c_table[5][(lo >> 16) & 0xff]
               ^ crc32c_table[4][lo >> 24]
               ^ crc32c_table[3][p[4]]
               ^ crc32c_table[2][p[5]]
               ^ crc32c_table[1][p[6]]
               ^ crc32c_table[0][p[7]]);
        p += 8;
        n -= 8;
    }
    while (n--) {
        crc = crc32c_table[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
    }
    return crc;
}

#if defined(__x86_64__)
__attribute__((target("sse4.2")))
static uint32_t
crc32c_hw(uint32_t crc, const uint8_t *p, size_t n)
{
    uint64_t c = crc;

    while (n >= 8) {
        uint64_t v;

        memcpy(&v, p, 8);
        c = _mm_crc32_u64(c, v);
        p += 8;
        n -= 8;
    }
    crc = c;
    while (n--) {
        crc = _mm_crc32_u8(crc, *p++);
    }
    return crc;
}
#endif

static bool use_hw_crc;

static void
crc32c_setup(void)
{
    crc32c_init();
#if defined(__x86_64__)
    use_hw_crc = __builtin_cpu_supports("sse4.2")
                 && !getenv("OVSDB_LOG_SOFTWARE_CRC");
#endif
}

uint32_t
ovsdb_log_crc32c(uint32_t crc, const void *data, size_t n)
{
    pthread_once(&crc32c_once, crc32c_setup);
    crc = ~crc;
#if defined(__x86_64__)
    if (use_hw_crc) {
        return ~crc32c_hw(crc, data, n);
    }
#endif
    return ~crc32c_sw(crc, data, n);
}

/* Small helpers. */

static int VS_PRINTF_FORMAT(3, 4)
set_errorp(char **errorp, int error, const char *format, ...)
{
    if (errorp) {
        va_list args;

        va_start(args, format);
        *errorp = xvasprintf(format, args);
        va_end(args);
    }
    return error;
}

/* Makes ERROR with message MSG (taken) the sticky error of LOG. */
static void
set_sticky_error(struct ovsdb_log *log, int error, char *msg)
{
    if (!log->error) {
        log->error = error;
        log->error_msg = msg;
    } else {
        free(msg);
    }
}

static int
sticky_error(const struct ovsdb_log *log, char **errorp)
{
    if (errorp) {
        *errorp = xstrdup(log->error_msg);
    }
    return log->error;
}

static char *
dir_name_of(const char *file_name)
{
    const char *slash = strrchr(file_name, '/');

    return (!slash ? xstrdup(".")
            : slash == file_name ? xstrdup("/")
            : xmemdup0(file_name, slash - file_name));
}

static int
fsync_dir(const char *file_name)
{
    char *dir = dir_name_of(file_name);
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int error = 0;

    free(dir);
    if (fd < 0) {
        return errno;
    }
    if (fsync(fd) && errno != EINVAL) {
        error = errno;
    }
    close(fd);
    return error;
}

static int
write_all(int fd, const char *p, size_t n, off_t offset)
{
    while (n > 0) {
        ssize_t retval = pwrite(fd, p, n, offset);
        if (retval < 0) {
            if (errno == EINTR) {
                continue;
            }
            return errno;
        }
        p += retval;
        n -= retval;
        offset += retval;
    }
    return 0;
}

static int
sync_fd(int fd)
{
    while (fdatasync(fd)) {
        if (errno != EINTR) {
            return errno;
        }
    }
    return 0;
}

static char *
lock_file_name(const char *name)
{
    const char *slash = strrchr(name, '/');

    if (slash) {
        return xasprintf("%.*s/.%s.~lock~", (int) (slash - name), name,
                         slash + 1);
    }
    return xasprintf(".%s.~lock~", name);
}

static int
take_lock(const char *name, int *lock_fdp, char **errorp)
{
    char *lock_name = lock_file_name(name);
    struct flock l;
    int fd, error;

    *lock_fdp = -1;
    fd = open(lock_name, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        error = errno;
        set_errorp(errorp, error, "%s: failed to open lock file %s (%s)",
                   name, lock_name, vs_strerror(error));
        free(lock_name);
        return error;
    }
    free(lock_name);

    memset(&l, 0, sizeof l);
    l.l_type = F_WRLCK;
    l.l_whence = SEEK_SET;
    int retval = fcntl(fd, F_OFD_SETLK, &l);
    if (retval < 0 && errno == EINVAL) {
        /* Kernel without OFD locks (before 3.15): per-process lock. */
        retval = fcntl(fd, F_SETLK, &l);
    }
    if (retval < 0) {
        error = errno;
        close(fd);
        if (error == EAGAIN || error == EACCES) {
            return set_errorp(errorp, EBUSY,
                              "%s: database is locked by another process",
                              name);
        }
        return set_errorp(errorp, error, "%s: failed to lock database (%s)",
                          name, vs_strerror(error));
    }
    *lock_fdp = fd;
    return 0;
}

/* Creates NAME containing only the magic, atomically (see log.h).
 * Returns 0, EEXIST, or another error with a message. */
static int
create_file(const char *name, char **errorp)
{
    char *tmp_name = xasprintf("%s.tmp", name);
    const char *op = "create";
    const char *what = tmp_name;
    int fd, error = 0;

    fd = open(tmp_name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
    if (fd < 0) {
        error = errno;
        goto out;
    }
    op = "write";
    error = write_all(fd, OVSDB_LOG_MAGIC, MAGIC_LEN, 0);
    if (!error) {
        op = "fdatasync";
        error = sync_fd(fd);
    }
    close(fd);
    if (!error) {
        op = "link";
        if (link(tmp_name, name)) {
            error = errno;
        }
    }
    unlink(tmp_name);
    if (!error) {
        op = "fsync directory of";
        what = name;
        error = fsync_dir(name);
    }
out:
    if (error && error != EEXIST) {
        set_errorp(errorp, error, "%s: %s %s failed (%s)", name, op,
                   what, vs_strerror(error));
    }
    free(tmp_name);
    return error;
}

void
ovsdb_log_set_crash_point(const char *point)
{
    snprintf(crash_point, sizeof crash_point, "%s", point ? point : "");
}

/* Opening and closing. */

int
ovsdb_log_open(const char *name, enum ovsdb_log_open_mode mode, bool lock,
               struct ovsdb_log **logp, char **errorp)
{
    bool writable = mode != OVSDB_LOG_READ_ONLY;
    char magic[MAGIC_LEN];
    struct ovsdb_log *log;
    int lock_fd = -1;
    int fd = -1;
    int error;
    ssize_t n;

    *logp = NULL;
    if (errorp) {
        *errorp = NULL;
    }
    const char *env = getenv("OVSDB_LOG_CRASH_AT");
    if (env) {
        ovsdb_log_set_crash_point(env);
    }

    if (lock) {
        error = take_lock(name, &lock_fd, errorp);
        if (error) {
            return error;
        }
    }

    if (writable && lock) {
        /* Only the lock holder may touch NAME.tmp. */
        char *tmp_name = xasprintf("%s.tmp", name);
        if (!unlink(tmp_name)) {
            VLOG_INFO("%s: removed stale %s", name, tmp_name);
        }
        free(tmp_name);
    }

    if (mode == OVSDB_LOG_CREATE || mode == OVSDB_LOG_CREATE_EXCL) {
        error = create_file(name, errorp);
        if (error == EEXIST && mode == OVSDB_LOG_CREATE_EXCL) {
            set_errorp(errorp, error, "%s: database already exists", name);
            goto error;
        } else if (error && error != EEXIST) {
            goto error;
        }
    }

    fd = open(name, (writable ? O_RDWR : O_RDONLY) | O_CLOEXEC);
    if (fd < 0) {
        error = errno;
        set_errorp(errorp, error, "%s: open failed (%s)", name,
                   vs_strerror(error));
        goto error;
    }
    do {
        n = pread(fd, magic, MAGIC_LEN, 0);
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
        error = errno;
        set_errorp(errorp, error, "%s: read failed (%s)", name,
                   vs_strerror(error));
        goto error;
    } else if (n != MAGIC_LEN || memcmp(magic, OVSDB_LOG_MAGIC, MAGIC_LEN)) {
        error = EBADMSG;
        set_errorp(errorp, error, "%s: not an ovsdb-lite database log "
                   "(missing \"VSDB-LOG 1\" header)", name);
        goto error;
    }

    log = xzalloc(sizeof *log);
    log->name = xstrdup(name);
    log->mode = mode;
    log->writable = writable;
    log->fd = fd;
    log->lock_fd = lock_fd;
    log->state = LOG_READING;
    log->offset = MAGIC_LEN;
    log->snapshot_size = MAGIC_LEN;
    ds_init(&log->wbuf);
    ds_init(&log->scratch);
    *logp = log;
    return 0;

error:
    if (fd >= 0) {
        close(fd);
    }
    if (lock_fd >= 0) {
        close(lock_fd);
    }
    return error;
}

const char *
ovsdb_log_get_name(const struct ovsdb_log *log)
{
    return log->name;
}

static void
free_replace(struct log_replace *r)
{
    if (r) {
        if (r->fd >= 0) {
            close(r->fd);
        }
        free(r->tmp_name);
        ds_destroy(&r->data);
        ds_destroy(&r->old_queue);
        free(r);
    }
}

void
ovsdb_log_close(struct ovsdb_log *log)
{
    if (!log) {
        return;
    }
    if (log->replace_of) {
        ovsdb_log_replace_abort(log);
        return;
    }

    if (log->sync) {
        struct log_sync *s = log->sync;

        ovsdb_log_commit_start(log);
        pthread_mutex_lock(&s->mutex);
        s->exiting = true;
        pthread_cond_signal(&s->wake);
        pthread_mutex_unlock(&s->mutex);
        pthread_join(s->thread, NULL);

        pickup(log, true);

        close(s->fd);
        poll_fd_close(s->event_fd);
        pthread_mutex_destroy(&s->mutex);
        pthread_cond_destroy(&s->wake);
        pthread_cond_destroy(&s->done);
        ds_destroy(&s->queue);
        free(s);
    } else if (log->fd >= 0) {
        close(log->fd);
    }
    if (log->lock_fd >= 0) {
        close(log->lock_fd);
    }
    free(log->rbuf);
    ds_destroy(&log->wbuf);
    ds_destroy(&log->scratch);
    free(log->error_msg);
    free(log->name);
    free(log);
}

/* Reading. */

static int
load_file(struct ovsdb_log *log, char **errorp)
{
    struct stat st;
    size_t size, n = 0;

    if (fstat(log->fd, &st)) {
        int error = errno;
        return set_errorp(errorp, error, "%s: fstat failed (%s)",
                          log->name, vs_strerror(error));
    }
    size = st.st_size > MAGIC_LEN ? st.st_size : MAGIC_LEN;
    log->rbuf = xmalloc(size + 1);
    for (;;) {
        ssize_t retval;

        if (n == size) {
            size = size * 2;
            log->rbuf = xrealloc(log->rbuf, size + 1);
        }
        retval = pread(log->fd, log->rbuf + n, size - n, n);
        if (retval < 0) {
            int error = errno;
            if (error == EINTR) {
                continue;
            }
            return set_errorp(errorp, error, "%s: read failed (%s)",
                              log->name, vs_strerror(error));
        } else if (retval == 0) {
            break;
        }
        n += retval;
    }
    log->rsize = n;
    log->loaded = true;
    return 0;
}

static int
hexval(int c)
{
    return (c >= '0' && c <= '9' ? c - '0'
            : c >= 'a' && c <= 'f' ? c - 'a' + 10
            : -1);
}

/* Checks whether BUF[OFS...SIZE) starts with a complete, valid record.
 * If so, returns true and stores the offset just past it in *NEXTP and,
 * if JSONP is nonnull, its value in *JSONP. */
static bool
parse_record(const char *buf, size_t size, size_t ofs, size_t *nextp,
             json_t **jsonp)
{
    const char *p = buf + ofs;
    const char *end = buf + size;
    const char *digits;
    uint64_t len = 0;
    uint32_t crc = 0;

    if (end - p < RECORD_PREFIX_LEN
        || memcmp(p, RECORD_PREFIX, RECORD_PREFIX_LEN)) {
        return false;
    }
    p += RECORD_PREFIX_LEN;

    digits = p;
    while (p < end && *p >= '0' && *p <= '9' && p - digits < 11) {
        len = len * 10 + (*p++ - '0');
    }
    if (p == digits || p - digits > 10 || (*digits == '0')
        || len > OVSDB_LOG_MAX_RECORD) {
        return false;
    }
    if (end - p < 10 || *p++ != ' ') {
        return false;
    }
    for (int i = 0; i < 8; i++) {
        int v = hexval(*p++);
        if (v < 0) {
            return false;
        }
        crc = (crc << 4) | v;
    }
    if (*p++ != '\n') {
        return false;
    }
    if ((uint64_t) (end - p) < len + 1 || p[len] != '\n'
        || ovsdb_log_crc32c(0, p, len) != crc) {
        return false;
    }
    if (jsonp) {
        json_error_t error;

        *jsonp = json_loadb(p, len, JSON_DECODE_ANY, &error);
        if (!*jsonp) {
            return false;
        }
    } else {
        json_t *json = json_loadb(p, len, JSON_DECODE_ANY, NULL);
        if (!json) {
            return false;
        }
        json_decref(json);
    }
    *nextp = (p - buf) + len + 1;
    return true;
}

/* Returns true if BUF[START...SIZE) contains a valid record at a position
 * just after a new-line, storing its offset in *OFSP. */
static bool
find_valid_record(const char *buf, size_t size, size_t start, size_t *ofsp)
{
    static const char pattern[] = "\n" RECORD_PREFIX;
    size_t pattern_len = sizeof pattern - 1;
    size_t pos = start;

    while (pos < size) {
        const char *hit = memmem(buf + pos, size - pos, pattern, pattern_len);
        size_t next;

        if (!hit) {
            break;
        }
        pos = hit - buf + 1;
        if (parse_record(buf, size, pos, &next, NULL)) {
            *ofsp = pos;
            return true;
        }
    }
    return false;
}

static void
finish_reading(struct ovsdb_log *log)
{
    log->state = LOG_READ_EOF;
    free(log->rbuf);
    log->rbuf = NULL;
    log->rsize = 0;
}

int
ovsdb_log_read(struct ovsdb_log *log, json_t **jsonp, char **errorp)
{
    size_t ofs, next;
    int error;

    *jsonp = NULL;
    if (errorp) {
        *errorp = NULL;
    }
    if (log->replace_of) {
        return set_errorp(errorp, EBADF, "%s: cannot read a replacement",
                          log->name);
    }
    if (log->error) {
        return sticky_error(log, errorp);
    }
    if (log->state != LOG_READING) {
        return EOF;
    }
    if (!log->loaded) {
        error = load_file(log, errorp);
        if (error) {
            char *msg = errorp ? xstrdup(*errorp) : xstrdup("read failed");
            set_sticky_error(log, error, msg);
            return error;
        }
    }

    ofs = log->offset;
    if (ofs >= log->rsize) {
        finish_reading(log);
        return EOF;
    }
    if (parse_record(log->rbuf, log->rsize, ofs, &next, jsonp)) {
        log->offset = next;
        if (log->n_read++ == 0) {
            log->snapshot_size = next;
        } else {
            log->n_since_snapshot++;
        }
        return 0;
    }

    /* Bad record at 'ofs': torn tail or corrupt middle? */
    size_t valid_ofs;
    if (find_valid_record(log->rbuf, log->rsize, ofs, &valid_ofs)) {
        char *msg = xasprintf("%s: corrupt record at offset %zu followed "
                              "by valid data (at offset %zu); refusing "
                              "to open (run ovsdb-lite-tool check)",
                              log->name, ofs, valid_ofs);
        set_sticky_error(log, EBADMSG, msg);
        log->error_logged = true;
        finish_reading(log);
        return sticky_error(log, errorp);
    }

    size_t n_bad = log->rsize - ofs;
    if (log->writable) {
        VLOG_WARN("%s: %zu bytes of torn or corrupt data at offset %zu, "
                  "truncating", log->name, n_bad, ofs);
        log->torn = true;
        log->torn_offset = ofs;
    } else {
        VLOG_WARN("%s: %zu bytes of torn or corrupt data at offset %zu, "
                  "ignoring (read-only)", log->name, n_bad, ofs);
    }
    finish_reading(log);
    return EOF;
}

off_t
ovsdb_log_get_offset(const struct ovsdb_log *log)
{
    return log->offset;
}

off_t
ovsdb_log_snapshot_size(const struct ovsdb_log *log)
{
    return log->snapshot_size;
}

uint64_t
ovsdb_log_n_records_since_snapshot(const struct ovsdb_log *log)
{
    return log->n_since_snapshot;
}

/* Switching to writing. */

int
ovsdb_log_truncate_tail(struct ovsdb_log *log, char **errorp)
{
    if (errorp) {
        *errorp = NULL;
    }
    if (log->replace_of || log->state == LOG_WRITING) {
        return 0;
    }
    if (!log->writable) {
        return set_errorp(errorp, EBADF, "%s: log is read-only", log->name);
    }
    while (log->state == LOG_READING) {
        json_t *json;
        int error = ovsdb_log_read(log, &json, errorp);

        if (error == EOF) {
            if (errorp) {
                free(*errorp);
                *errorp = NULL;
            }
            break;
        } else if (error) {
            return error;
        }
        json_decref(json);
    }
    if (log->error) {
        return sticky_error(log, errorp);
    }
    if (log->torn) {
        int error = 0;
        const char *op = "ftruncate";

        if (ftruncate(log->fd, log->torn_offset)) {
            error = errno;
        } else {
            op = "fdatasync";
            error = sync_fd(log->fd);
        }
        if (error) {
            char *msg = xasprintf("%s: %s failed (%s)", log->name, op,
                                  vs_strerror(error));
            set_sticky_error(log, error, msg);
            return sticky_error(log, errorp);
        }
        log->torn = false;
    }
    return 0;
}

/* Makes LOG ready to append: finishes reading, truncates a torn tail,
 * starts the sync thread. */
static int
start_writing(struct ovsdb_log *log, char **errorp)
{
    if (log->state == LOG_WRITING) {
        return 0;
    }
    int error = ovsdb_log_truncate_tail(log, errorp);
    if (error) {
        return error;
    }
    log->state = LOG_WRITING;
    start_sync(log);
    return 0;
}

/* Writing. */

static int
dump_to_ds(const char *buffer, size_t size, void *ds_)
{
    ds_put_buffer(ds_, buffer, size);
    return 0;
}

int
ovsdb_log_write(struct ovsdb_log *log, const json_t *json, uint64_t *seqnop,
                char **errorp)
{
    size_t len;
    uint32_t crc;
    int error;

    if (seqnop) {
        *seqnop = 0;
    }
    if (errorp) {
        *errorp = NULL;
    }
    if (!log->writable) {
        return set_errorp(errorp, EBADF, "%s: log is read-only", log->name);
    }
    if (log->error) {
        return sticky_error(log, errorp);
    }
    if (!log->replace_of) {
        error = start_writing(log, errorp);
        if (error) {
            return error;
        }
    }

    ds_clear(&log->scratch);
    if (json_dump_callback(json, dump_to_ds, &log->scratch,
                           JSON_COMPACT | JSON_ENCODE_ANY)
        || !log->scratch.length) {
        return set_errorp(errorp, EINVAL, "%s: cannot serialize record",
                          log->name);
    }
    len = log->scratch.length;
    if (len > OVSDB_LOG_MAX_RECORD) {
        return set_errorp(errorp, EFBIG, "%s: record of %zu bytes is too "
                          "large", log->name, len);
    }
    crc = ovsdb_log_crc32c(0, log->scratch.string, len);

    size_t start = log->wbuf.length;
    ds_put_format(&log->wbuf, RECORD_PREFIX "%zu %08"PRIx32"\n", len, crc);
    ds_put_buffer(&log->wbuf, log->scratch.string, len);
    ds_put_char(&log->wbuf, '\n');
    log->offset += log->wbuf.length - start;
    log->n_since_snapshot++;
    log->stats.n_writes++;
    if (!log->replace_of) {
        log->written_seqno++;
        if (seqnop) {
            *seqnop = log->written_seqno;
        }
        COVERAGE_INC(ovsdb_log_write);
    }
    return 0;
}

uint64_t
ovsdb_log_written_seqno(const struct ovsdb_log *log)
{
    return log->written_seqno;
}

uint64_t
ovsdb_log_durable_seqno(const struct ovsdb_log *log)
{
    return log->durable_seqno;
}

int
ovsdb_log_get_error(const struct ovsdb_log *log, const char **msgp)
{
    if (msgp) {
        *msgp = log->error_msg;
    }
    return log->error;
}

void
ovsdb_log_get_stats(const struct ovsdb_log *log,
                    struct ovsdb_log_stats *stats)
{
    *stats = log->stats;
}

/* The sync thread. */

static void
notify_locked(struct log_sync *s)
{
    uint64_t one = 1;

    pthread_cond_broadcast(&s->done);
    if (write(s->event_fd, &one, sizeof one) < 0) {
        /* Only fails if the counter would overflow: already readable. */
    }
}

static void
maybe_crash(const struct log_replace *r, const char *point)
{
    if (!strcmp(r->crash_point, point)) {
        kill(getpid(), SIGKILL);
        for (;;) {
            pause();
        }
    }
}

/* Performs replacement R (called without the mutex).  Returns with
 * r->error set on failure; s->fd and s->file_offset refer to the file that
 * the log appends to from now on.  Returns a sticky I/O error for the
 * log, if any. */
static int
do_replace(struct log_sync *s, struct log_replace *r, const char **opp)
{
    int error;

    r->error_op = "write";
    error = write_all(r->fd, r->data.string, r->data.length, 0);
    if (!error) {
        r->error_op = "fdatasync";
        error = sync_fd(r->fd);
    }
    if (!error) {
        maybe_crash(r, "replace-before-rename");
        r->error_op = "rename";
        if (rename(r->tmp_name, s->name)) {
            error = errno;
        }
    }
    if (error) {
        /* The old file is still in place: append the records that were
         * queued before the commit to it after all. */
        r->error = error;
        unlink(r->tmp_name);
        close(r->fd);
        r->fd = -1;

        *opp = "write";
        error = write_all(s->fd, r->old_queue.string, r->old_queue.length,
                          s->file_offset);
        if (!error) {
            s->file_offset += r->old_queue.length;
            *opp = "fdatasync";
            error = sync_fd(s->fd);
        }
        return error;
    }

    /* Renamed: from now on the new file is the log. */
    maybe_crash(r, "replace-after-rename");
    close(s->fd);
    s->fd = r->fd;
    r->fd = -1;
    s->file_offset = r->data.length;
    *opp = "fsync directory";
    return fsync_dir(s->name);
}

static void *
sync_thread(void *s_)
{
    struct log_sync *s = s_;
    struct ds buf = DS_EMPTY_INITIALIZER;

    pthread_mutex_lock(&s->mutex);
    for (;;) {
        if (s->replace) {
            struct log_replace *r = s->replace;
            const char *op = NULL;
            int error;

            s->replace = NULL;
            if (s->error) {
                r->error = s->error;
                r->error_op = "skipped after earlier error";
                unlink(r->tmp_name);
            } else {
                pthread_mutex_unlock(&s->mutex);
                error = do_replace(s, r, &op);
                pthread_mutex_lock(&s->mutex);
                if (error) {
                    s->error = error;
                    s->error_op = op;
                } else {
                    s->durable = MAX(s->durable, r->seqno);
                    if (!r->error) {
                        s->stats.n_replacements++;
                    } else {
                        s->stats.n_failed_replacements++;
                        s->stats.n_syncs++;
                    }
                }
            }
            s->finished = r;
            notify_locked(s);
        } else if (s->queue.length && !s->error) {
            struct ds tmp = s->queue;
            uint64_t target = s->queue_seqno;
            int error;

            s->queue = buf;
            buf = tmp;
            pthread_mutex_unlock(&s->mutex);

            error = write_all(s->fd, buf.string, buf.length,
                              s->file_offset);
            const char *op = "write";
            if (!error) {
                s->file_offset += buf.length;
                op = "fdatasync";
                error = sync_fd(s->fd);
            }

            pthread_mutex_lock(&s->mutex);
            if (error) {
                s->error = error;
                s->error_op = op;
            } else {
                s->durable = target;
                s->stats.n_syncs++;
                s->stats.n_bytes += buf.length;
            }
            ds_clear(&buf);
            notify_locked(s);
        } else if (s->exiting) {
            break;
        } else {
            pthread_cond_wait(&s->wake, &s->mutex);
        }
    }
    pthread_mutex_unlock(&s->mutex);
    ds_destroy(&buf);
    return NULL;
}

static void
start_sync(struct ovsdb_log *log)
{
    struct log_sync *s;
    int error;

    if (log->sync) {
        return;
    }
    s = xzalloc(sizeof *s);
    s->event_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (s->event_fd < 0) {
        vs_abort(errno, "%s: eventfd failed", log->name);
    }
    s->name = log->name;
    s->fd = log->fd;
    log->fd = -1;
    s->file_offset = log->offset;
    ds_init(&s->queue);
    s->durable = log->written_seqno;
    pthread_mutex_init(&s->mutex, NULL);
    pthread_cond_init(&s->wake, NULL);
    pthread_cond_init(&s->done, NULL);

    /* Keep fatal signals in the main thread only. */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    error = pthread_create(&s->thread, NULL, sync_thread, s);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (error) {
        vs_abort(error, "%s: failed to start sync thread", log->name);
    }
    log->sync = s;
}

/* Group commit, main-thread side. */

void
ovsdb_log_commit_start(struct ovsdb_log *log)
{
    struct log_sync *s = log->sync;

    if (!s || !log->wbuf.length) {
        return;
    }
    pthread_mutex_lock(&s->mutex);
    if (!s->queue.length) {
        struct ds tmp = s->queue;
        s->queue = log->wbuf;
        log->wbuf = tmp;
    } else {
        ds_put_buffer(&s->queue, log->wbuf.string, log->wbuf.length);
        ds_clear(&log->wbuf);
    }
    s->queue_seqno = log->written_seqno;
    pthread_cond_signal(&s->wake);
    pthread_mutex_unlock(&s->mutex);
}

static void
finish_replace(struct ovsdb_log *log, struct log_replace *r)
{
    log->replace_in_progress = false;
    if (!r->error) {
        VLOG_INFO("%s: compacted (%"PRIdMAX" bytes)", log->name,
                  (intmax_t) r->data.length);
        COVERAGE_INC(ovsdb_log_replace);
    } else {
        VLOG_WARN("%s: compaction failed: %s %s failed (%s)", log->name,
                  r->error_op, r->tmp_name, vs_strerror(r->error));
        log->offset = (r->old_offset + r->old_queue.length
                       + (log->offset - (off_t) r->data.length));
        log->snapshot_size = r->old_snapshot_size;
        log->n_since_snapshot += r->old_n_since;
    }
    free_replace(r);
}

/* Copies the sync thread's progress into LOG. */
static void
pickup(struct ovsdb_log *log, bool log_errors)
{
    struct log_sync *s = log->sync;
    struct log_replace *r;
    uint64_t n_syncs;
    int error;
    const char *op;

    pthread_mutex_lock(&s->mutex);
    log->durable_seqno = s->durable;
    n_syncs = s->stats.n_syncs;
    log->stats.n_bytes = s->stats.n_bytes;
    log->stats.n_replacements = s->stats.n_replacements;
    log->stats.n_failed_replacements = s->stats.n_failed_replacements;
    error = s->error;
    op = s->error_op;
    r = s->finished;
    s->finished = NULL;
    pthread_mutex_unlock(&s->mutex);

    COVERAGE_ADD(ovsdb_log_sync, n_syncs - log->stats.n_syncs);
    log->stats.n_syncs = n_syncs;
    if (r) {
        finish_replace(log, r);
    }
    if (error && !log->error) {
        char *msg = xasprintf("%s: %s failed (%s)", log->name, op,
                              vs_strerror(error));
        set_sticky_error(log, error, msg);
    }
    if (log->error && !log->error_logged && log_errors) {
        VLOG_ERR("%s", log->error_msg);
        log->error_logged = true;
    }
}

void
ovsdb_log_run(struct ovsdb_log *log)
{
    struct log_sync *s = log->sync;
    uint64_t value;

    if (!s) {
        return;
    }
    while (read(s->event_fd, &value, sizeof value) < 0 && errno == EINTR) {
        continue;
    }
    pickup(log, true);
}

void
ovsdb_log_wait(struct ovsdb_log *log)
{
    struct log_sync *s = log->sync;

    if (!s) {
        return;
    }
    ovsdb_log_commit_start(log);
    if (log->durable_seqno < log->written_seqno || log->replace_in_progress) {
        poll_fd_wait(s->event_fd, POLLIN);
    }
}

int
ovsdb_log_commit_block(struct ovsdb_log *log, char **errorp)
{
    struct log_sync *s = log->sync;

    if (errorp) {
        *errorp = NULL;
    }
    if (s) {
        ovsdb_log_commit_start(log);
        pthread_mutex_lock(&s->mutex);
        while (!s->error
               && (s->durable < log->written_seqno || s->replace
                   || (log->replace_in_progress && !s->finished))) {
            pthread_cond_wait(&s->done, &s->mutex);
        }
        pthread_mutex_unlock(&s->mutex);
        ovsdb_log_run(log);
    }
    return log->error ? sticky_error(log, errorp) : 0;
}

/* Replacement. */

int
ovsdb_log_replace_start(struct ovsdb_log *log, struct ovsdb_log **newp,
                        char **errorp)
{
    struct ovsdb_log *new;
    struct stat st;
    char *tmp_name;
    int error, fd;

    *newp = NULL;
    if (errorp) {
        *errorp = NULL;
    }
    if (!log->writable || log->replace_of) {
        return set_errorp(errorp, EBADF, "%s: log is read-only", log->name);
    }
    if (log->replace_in_progress) {
        return set_errorp(errorp, EBUSY, "%s: compaction already in "
                          "progress", log->name);
    }
    if (log->error) {
        return sticky_error(log, errorp);
    }
    error = start_writing(log, errorp);
    if (error) {
        return error;
    }

    tmp_name = xasprintf("%s.tmp", log->name);
    fd = open(tmp_name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
              !stat(log->name, &st) ? st.st_mode & 07777 : 0640);
    if (fd < 0) {
        error = errno;
        set_errorp(errorp, error, "%s: create %s failed (%s)", log->name,
                   tmp_name, vs_strerror(error));
        free(tmp_name);
        return error;
    }
    free(tmp_name);

    new = xzalloc(sizeof *new);
    new->name = xasprintf("%s.tmp", log->name);
    new->mode = OVSDB_LOG_CREATE_EXCL;
    new->writable = true;
    new->fd = fd;
    new->lock_fd = -1;
    new->state = LOG_WRITING;
    new->replace_of = log;
    ds_init(&new->wbuf);
    ds_init(&new->scratch);
    ds_put_buffer(&new->wbuf, OVSDB_LOG_MAGIC, MAGIC_LEN);
    new->offset = MAGIC_LEN;
    new->snapshot_size = MAGIC_LEN;
    *newp = new;
    return 0;
}

void
ovsdb_log_replace_abort(struct ovsdb_log *new)
{
    if (!new) {
        return;
    }
    vs_assert(new->replace_of);
    if (new->fd >= 0) {
        close(new->fd);
        unlink(new->name);
    }
    ds_destroy(&new->wbuf);
    ds_destroy(&new->scratch);
    free(new->error_msg);
    free(new->name);
    free(new);
}

int
ovsdb_log_replace_commit(struct ovsdb_log *log, struct ovsdb_log *new,
                         char **errorp)
{
    struct log_sync *s = log->sync;
    struct log_replace *r;

    if (errorp) {
        *errorp = NULL;
    }
    vs_assert(new->replace_of == log);
    vs_assert(s && !log->replace_in_progress);
    if (new->error || log->error) {
        int error = (new->error
                     ? sticky_error(new, errorp)
                     : sticky_error(log, errorp));
        ovsdb_log_replace_abort(new);
        return error;
    }

    r = xzalloc(sizeof *r);
    r->fd = new->fd;
    new->fd = -1;
    r->tmp_name = new->name;
    new->name = NULL;
    r->data = new->wbuf;
    ds_init(&new->wbuf);
    snprintf(r->crash_point, sizeof r->crash_point, "%s", crash_point);
    r->seqno = log->written_seqno;
    r->old_offset = log->offset - log->wbuf.length;
    r->old_snapshot_size = log->snapshot_size;
    r->old_n_since = log->n_since_snapshot;
    ds_init(&r->old_queue);

    pthread_mutex_lock(&s->mutex);
    r->old_queue = s->queue;
    ds_init(&s->queue);
    r->old_offset -= r->old_queue.length;
    if (log->wbuf.length) {
        ds_put_buffer(&r->old_queue, log->wbuf.string, log->wbuf.length);
        ds_clear(&log->wbuf);
    }
    s->replace = r;
    pthread_cond_signal(&s->wake);
    pthread_mutex_unlock(&s->mutex);

    log->replace_in_progress = true;
    log->offset = r->data.length;
    log->snapshot_size = r->data.length;
    log->n_since_snapshot = 0;
    ds_destroy(&new->scratch);
    free(new->error_msg);
    free(new);
    return 0;
}

bool
ovsdb_log_replace_in_progress(const struct ovsdb_log *log)
{
    return log->replace_in_progress;
}
