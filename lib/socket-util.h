/* Socket helpers. */
#ifndef SOCKET_UTIL_H
#define SOCKET_UTIL_H 1

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

struct ds;

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

/* Sets TCP_NODELAY on FD.  Returns 0 or a positive errno. */
int set_tcp_nodelay(int fd);

/* IPv4 and IPv6 addresses, as Open vSwitch spells them in stream names.
 * Hosts are numeric addresses (no name resolution, which could block);
 * IPv6 addresses are written in brackets ("[::1]:6640"), optionally with a
 * scope ("[fe80::1%eth0]").
 *
 * inet_parse_active() parses "HOST:PORT" (active side).  If DEFAULT_PORT
 * is nonnegative, ":PORT" may be omitted and DEFAULT_PORT is used.
 * inet_parse_passive() parses "[PORT][:HOST]" (passive side): PORT may be
 * omitted if DEFAULT_PORT is nonnegative, HOST defaults to 0.0.0.0, and an
 * IPv6 HOST may be given with or without brackets.  PORT 0 asks for an
 * ephemeral port.  Both return 0 and fill in *SS, or a positive errno
 * (EINVAL, with a log message naming TARGET). */
int inet_parse_active(const char *target, int default_port,
                      struct sockaddr_storage *ss);
int inet_parse_passive(const char *target, int default_port,
                       struct sockaddr_storage *ss);

/* Opens a non-blocking, close-on-exec socket of STYLE (SOCK_STREAM) and
 * starts connecting to TARGET (see inet_parse_active()).  On success
 * returns 0 and stores the fd in *FDP (the connection may still be in
 * progress: see check_connection_completion()); on failure returns a
 * positive errno and stores -1.  If SS is nonnull, stores the remote
 * address there. */
int inet_open_active(int style, const char *target, int default_port,
                     struct sockaddr_storage *ss, int *fdp);
/* Opens a non-blocking, close-on-exec socket of STYLE bound to TARGET (see
 * inet_parse_passive()) with SO_REUSEADDR, and listens on it if STYLE is
 * SOCK_STREAM.  Returns the fd or a negative errno.  If SS is nonnull,
 * stores the bound address there, including the port the kernel picked
 * for port 0. */
int inet_open_passive(int style, const char *target, int default_port,
                      struct sockaddr_storage *ss);

/* Returns the length of the sockaddr that SS holds (by its family). */
socklen_t ss_length(const struct sockaddr_storage *ss);
/* Returns SS's port in host byte order (0 for non-IP families). */
uint16_t ss_get_port(const struct sockaddr_storage *ss);
/* Appends SS's address to S: "10.0.0.2" or "[fe80::1%eth0]". */
void ss_format_address(const struct sockaddr_storage *ss, struct ds *s);

#endif /* socket-util.h */
