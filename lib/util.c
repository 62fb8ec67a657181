/* Small utilities: see util.h. */
#include <config.h>
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "dynamic-string.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(util);

const char *program_name = "vswitch-lite";

static void VS_NO_RETURN
out_of_memory(void)
{
    static const char msg[] = "virtual memory exhausted\n";
    ssize_t retval VS_UNUSED = write(STDERR_FILENO, msg, sizeof msg - 1);
    abort();
}

void *
xmalloc(size_t size)
{
    void *p = malloc(size ? size : 1);
    if (!p) {
        out_of_memory();
    }
    return p;
}

void *
xcalloc(size_t count, size_t size)
{
    void *p = count && size ? calloc(count, size) : malloc(1);
    if (!p) {
        out_of_memory();
    }
    return p;
}

void *
xzalloc(size_t size)
{
    return xcalloc(1, size);
}

void *
xrealloc(void *p, size_t size)
{
    p = realloc(p, size ? size : 1);
    if (!p) {
        out_of_memory();
    }
    return p;
}

void *
xmemdup(const void *p, size_t size)
{
    void *copy = xmalloc(size);
    memcpy(copy, p, size);
    return copy;
}

char *
xmemdup0(const char *p, size_t length)
{
    char *copy = xmalloc(length + 1);
    memcpy(copy, p, length);
    copy[length] = '\0';
    return copy;
}

char *
xstrdup(const char *s)
{
    return xmemdup0(s, strlen(s));
}

char *
xvasprintf(const char *format, va_list args)
{
    char *s;
    if (vasprintf(&s, format, args) < 0) {
        out_of_memory();
    }
    return s;
}

char *
xasprintf(const char *format, ...)
{
    va_list args;
    char *s;

    va_start(args, format);
    s = xvasprintf(format, args);
    va_end(args);
    return s;
}

void
set_program_name(const char *argv0)
{
    const char *slash = strrchr(argv0, '/');
    const char *name = slash ? slash + 1 : argv0;

    /* libtool wrappers run "lt-NAME". */
    if (!strncmp(name, "lt-", 3)) {
        name += 3;
    }
    program_name = name;
}

const char *
vs_strerror(int error)
{
    static __thread char buffer[128];

    if (error == 0) {
        return "Success";
    } else if (error == EOF) {
        return "End of file";
    }
    return strerror_r(error, buffer, sizeof buffer);
}

static char *
format_message(int err_no, const char *format, va_list args)
{
    struct ds ds = DS_EMPTY_INITIALIZER;

    ds_put_format_valist(&ds, format, args);
    if (err_no) {
        ds_put_format(&ds, " (%s)", vs_strerror(err_no));
    }
    return ds_steal_cstr(&ds);
}

static void VS_PRINTF_FORMAT(1, 2)
log_to_logs(const char *format, ...)
{
    va_list args;

    va_start(args, format);
    vlog_to_logs_valist(THIS_MODULE, VLL_ERR, format, args);
    va_end(args);
}

/* Prints the message on stderr, and to the log file and syslog (not the
 * console again). */
static void
report_error(int err_no, const char *format, va_list args)
{
    int save_errno = errno;
    char *msg = format_message(err_no, format, args);

    fprintf(stderr, "%s: %s\n", program_name, msg);
    fflush(stderr);
    log_to_logs("%s", msg);
    free(msg);
    errno = save_errno;
}

void
vs_error(int err_no, const char *format, ...)
{
    va_list args;

    va_start(args, format);
    report_error(err_no, format, args);
    va_end(args);
}

void
vs_fatal(int err_no, const char *format, ...)
{
    va_list args;

    va_start(args, format);
    report_error(err_no, format, args);
    va_end(args);
    exit(EXIT_FAILURE);
}

void
vs_abort(int err_no, const char *format, ...)
{
    va_list args;

    va_start(args, format);
    report_error(err_no, format, args);
    va_end(args);
    abort();
}

void
vs_assert_failure(const char *where, const char *condition)
{
    vs_abort(0, "%s: assertion %s failed", where, condition);
}

int
set_nonblocking(int fd)
{
    int flags = fcntl(fd, F_GETFL, 0);
    if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) {
        return errno;
    }
    return 0;
}

int
set_cloexec(int fd)
{
    int flags = fcntl(fd, F_GETFD, 0);
    if (flags < 0 || fcntl(fd, F_SETFD, flags | FD_CLOEXEC) < 0) {
        return errno;
    }
    return 0;
}

void
close_fd_if_open(int fd)
{
    if (fd >= 0) {
        int save_errno = errno;
        close(fd);
        errno = save_errno;
    }
}

bool
str_to_llong(const char *s, long long int *value)
{
    char *tail;
    long long int x;

    if (!s || !*s) {
        return false;
    }
    errno = 0;
    x = strtoll(s, &tail, 10);
    if (errno || *tail) {
        return false;
    }
    *value = x;
    return true;
}

bool
str_to_int(const char *s, int *value)
{
    long long int x;

    if (!str_to_llong(s, &x) || x < INT_MIN || x > INT_MAX) {
        return false;
    }
    *value = x;
    return true;
}

bool
str_to_uint(const char *s, unsigned int *value)
{
    long long int x;

    if (!str_to_llong(s, &x) || x < 0 || x > UINT_MAX) {
        return false;
    }
    *value = x;
    return true;
}

bool
str_to_double(const char *s, double *value)
{
    char *tail;
    double x;

    if (!s || !*s) {
        return false;
    }
    errno = 0;
    x = strtod(s, &tail);
    if (errno || *tail) {
        return false;
    }
    *value = x;
    return true;
}

bool
str_starts_with(const char *s, const char *prefix)
{
    return !strncmp(s, prefix, strlen(prefix));
}

char *
base_name(const char *file_name)
{
    size_t end = strlen(file_name);
    size_t start;

    while (end > 1 && file_name[end - 1] == '/') {
        end--;
    }
    start = end;
    while (start > 0 && file_name[start - 1] != '/') {
        start--;
    }
    if (start == end) {
        return xstrdup(end ? "/" : ".");
    }
    return xmemdup0(file_name + start, end - start);
}

char *
abs_file_name(const char *dir, const char *file_name)
{
    if (file_name[0] == '/' || !dir || !dir[0]) {
        return xstrdup(file_name);
    }
    return xasprintf("%s%s%s", dir,
                     dir[strlen(dir) - 1] == '/' ? "" : "/", file_name);
}

void
xsleep_msec(long long int msecs)
{
    struct timespec ts = { msecs / 1000, (msecs % 1000) * 1000000 };

    while (nanosleep(&ts, &ts) < 0 && errno == EINTR) {
        continue;
    }
}
