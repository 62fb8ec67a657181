/* Small utilities: allocation that aborts on OOM, program name, fatal
 * errors, errno strings, fd flags, string parsing. */
#ifndef UTIL_H
#define UTIL_H 1

#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "compiler.h"

#define ARRAY_SIZE(A) (sizeof (A) / sizeof (A)[0])
#define MIN(A, B) ((A) < (B) ? (A) : (B))
#define MAX(A, B) ((A) > (B) ? (A) : (B))

/* Given POINTER, the address of MEMBER in a STRUCT, returns the STRUCT. */
#define CONTAINER_OF(POINTER, STRUCT, MEMBER) \
    ((STRUCT *) (void *) ((char *) (POINTER) - offsetof(STRUCT, MEMBER)))

/* Like CONTAINER_OF, but OBJECT names a variable whose type is used. */
#define OBJECT_CONTAINING(POINTER, OBJECT, MEMBER) \
    ((__typeof__(OBJECT)) (void *) \
     ((char *) (POINTER) - offsetof(__typeof__(*(OBJECT)), MEMBER)))

/* Assigns to OBJECT the container of POINTER; evaluates to 1 so it can be
 * used inside a for-loop condition. */
#define ASSIGN_CONTAINER(OBJECT, POINTER, MEMBER) \
    ((OBJECT) = OBJECT_CONTAINING(POINTER, OBJECT, MEMBER), 1)

/* Allocation helpers: never return NULL; abort with a message on OOM. */
void *xmalloc(size_t);
void *xcalloc(size_t, size_t);
void *xzalloc(size_t);
void *xrealloc(void *, size_t);
void *xmemdup(const void *, size_t);
char *xstrdup(const char *);
char *xmemdup0(const char *, size_t);
char *xasprintf(const char *format, ...) VS_PRINTF_FORMAT(1, 2);
char *xvasprintf(const char *format, va_list);

/* Program name, set once from main() through set_program_name(argv[0]). */
extern const char *program_name;
void set_program_name(const char *argv0);

/* Returns a string for errno value ERROR, also for 0 ("Success") and EOF
 * ("End of file").  The string is static or thread-local: copy it if it
 * must outlive the next call. */
const char *vs_strerror(int error);

/* Prints "PROGRAM: MESSAGE[ (ERROR STRING)]" on stderr and through vlog,
 * then exits with status 1.  ERR_NO may be 0 for no errno text. */
void vs_fatal(int err_no, const char *format, ...)
    VS_PRINTF_FORMAT(2, 3) VS_NO_RETURN;
/* Like vs_fatal() but does not exit. */
void vs_error(int err_no, const char *format, ...) VS_PRINTF_FORMAT(2, 3);
/* Logs and aborts: for "can't happen" conditions. */
void vs_abort(int err_no, const char *format, ...)
    VS_PRINTF_FORMAT(2, 3) VS_NO_RETURN;

/* Asserts CONDITION even in NDEBUG builds. */
#define vs_assert(CONDITION) \
    (VS_LIKELY(CONDITION) ? (void) 0 \
     : vs_assert_failure(__FILE__ ":" VS_STRINGIZE(__LINE__), #CONDITION))
#define VS_STRINGIZE(ARG) VS_STRINGIZE2(ARG)
#define VS_STRINGIZE2(ARG) #ARG
#define VS_SOURCE_LOCATOR __FILE__ ":" VS_STRINGIZE(__LINE__)
void vs_assert_failure(const char *where, const char *condition)
    VS_NO_RETURN;

/* fd helpers: return 0 or a positive errno. */
int set_nonblocking(int fd);
int set_cloexec(int fd);

/* Closes FD if it is not negative, preserving errno. */
void close_fd_if_open(int fd);

/* Parses S as a decimal integer that fits the target type.  Returns true
 * on success, storing the value; false (value untouched) on any garbage,
 * overflow, or empty string. */
bool str_to_int(const char *s, int *value);
bool str_to_llong(const char *s, long long int *value);
bool str_to_uint(const char *s, unsigned int *value);
bool str_to_double(const char *s, double *value);

/* Returns true if S begins with PREFIX. */
bool str_starts_with(const char *s, const char *prefix);

/* Returns the base name of FILE_NAME in a new string. */
char *base_name(const char *file_name);
/* If FILE_NAME is relative, returns DIR/FILE_NAME, else a copy. */
char *abs_file_name(const char *dir, const char *file_name);

/* Sleeps for MSECS milliseconds, resuming after signals. */
void xsleep_msec(long long int msecs);

#endif /* util.h */
