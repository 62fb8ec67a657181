/* Socket helpers. */
#ifndef SOCKET_UTIL_H
#define SOCKET_UTIL_H 1

#include <stdbool.h>
#include <sys/socket.h>
#include <sys/types.h>

/* Creates a non-blocking, close-on-exec AF_UNIX socket of STYLE.  If
 * BIND_PATH is nonnull, binds it there (unlinking a stale socket first; the
 * path is registered with fatal-signal for unlinking).  If CONNECT_PATH is
 * nonnull, starts connecting to it.  Paths longer than sun_path are
 * reached through /proc/self/fd.  Returns the fd or a negative errno;
 * EINPROGRESS from connect() is not an error (the caller polls).  (For
 * AF_UNIX, EAGAIN from connect() means the listener's backlog is full and
 * nothing is in progress, so it is returned as -EAGAIN, as in OVS.) */
int make_unix_socket(int style, bool nonblock, const char *bind_path,
                     const char *connect_path);

/* Returns the pending error on socket FD (SO_ERROR), 0 if none. */
int get_socket_error(int fd);

/* Checks a non-blocking connect: returns 0 if connected, EAGAIN if still
 * in progress, otherwise a positive errno. */
int check_connection_completion(int fd);

/* Sets FD's send or receive buffer size. Returns 0 or positive errno. */
int set_socket_sndbuf(int fd, int size);
int set_socket_rcvbuf(int fd, int size);

#endif /* socket-util.h */
