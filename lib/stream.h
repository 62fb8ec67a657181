/* Byte streams (active) and listeners (passive), named as in Open vSwitch:
 *
 *   unix:PATH             punix:PATH
 *   tcp:HOST:PORT         ptcp:PORT[:HOST]
 *   ssl:HOST:PORT         pssl:PORT[:HOST]     (see stream-ssl.h)
 *
 * HOST is a numeric IPv4 address or an IPv6 address in brackets
 * ("tcp:[::1]:6640").  A passive PORT of 0 binds an ephemeral port, and the
 * listener's name then reports the port and address actually bound
 * ("ptcp:0:127.0.0.1" becomes "ptcp:41234:127.0.0.1").  Accepted streams
 * are named after the peer ("tcp:10.0.0.2:5555").  tcp and ssl streams use
 * TCP_NODELAY; listeners use SO_REUSEADDR; every fd is close-on-exec.
 *
 * Everything is non-blocking.  stream_open() starts a connection;
 * stream_connect() returns EAGAIN until it completes.  stream_recv() and
 * stream_send() return a byte count or a negative errno (-EAGAIN when they
 * would block); stream_recv() returns 0 at end of file.  After EAGAIN, call
 * stream_wait() with the matching STREAM_* and poll_block(). */
#ifndef STREAM_H
#define STREAM_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct stream;
struct pstream;

enum stream_wait_type {
    STREAM_CONNECT,
    STREAM_RECV,
    STREAM_SEND
};

/* Returns 0 if NAME's class exists and looks valid, else a positive errno
 * (EAFNOSUPPORT for an unknown class). */
int stream_verify_name(const char *name);

/* Starts connecting to NAME.  Returns 0 and stores a new stream in
 * *STREAMP, or a positive errno and NULL. */
int stream_open(const char *name, struct stream **streamp);
/* Like stream_open(), but a "tcp:" or "ssl:" NAME without a port gets
 * DEFAULT_TCP_PORT or DEFAULT_SSL_PORT ("tcp:10.0.0.1" means
 * "tcp:10.0.0.1:6640" with a default of 6640). */
int stream_open_with_default_ports(const char *name,
                                   uint16_t default_tcp_port,
                                   uint16_t default_ssl_port,
                                   struct stream **streamp);
/* Like stream_open() but waits for the connection to complete. */
int stream_open_block(int error, long long int timeout_msec,
                      struct stream **streamp);
/* Closes STREAM (NULL is a no-op). */
void stream_close(struct stream *);
const char *stream_get_name(const struct stream *);

/* Returns 0 once connected, EAGAIN while in progress, else errno. */
int stream_connect(struct stream *);
/* Receives up to N bytes; see above for the return value. */
ssize_t stream_recv(struct stream *, void *buffer, size_t n);
/* Sends up to N bytes; returns bytes sent (maybe fewer) or -errno. */
ssize_t stream_send(struct stream *, const void *buffer, size_t n);

/* Does background work (e.g. TLS) and registers what it waits for. */
void stream_run(struct stream *);
void stream_run_wait(struct stream *);
void stream_wait(struct stream *, enum stream_wait_type);
static inline void stream_connect_wait(struct stream *s)
{ stream_wait(s, STREAM_CONNECT); }
static inline void stream_recv_wait(struct stream *s)
{ stream_wait(s, STREAM_RECV); }
static inline void stream_send_wait(struct stream *s)
{ stream_wait(s, STREAM_SEND); }

/* Sets the kernel send and receive buffer sizes of STREAM's socket (a size
 * of 0 leaves that one alone).  For tests and tuning.  Returns 0, or a
 * positive errno (EOPNOTSUPP if STREAM has no socket). */
int stream_set_socket_buffers(struct stream *, int sndbuf, int rcvbuf);

/* Passive streams. */
int pstream_verify_name(const char *name);
/* Starts listening on NAME.  Returns 0 and stores a new listener in
 * *PSTREAMP, or a positive errno and NULL. */
int pstream_open(const char *name, struct pstream **pstreamp);
/* Like pstream_open(), but a "ptcp:" or "pssl:" NAME without a port
 * ("ptcp:" or "ptcp::10.0.0.1") gets DEFAULT_PTCP_PORT or
 * DEFAULT_PSSL_PORT. */
int pstream_open_with_default_ports(const char *name,
                                    uint16_t default_ptcp_port,
                                    uint16_t default_pssl_port,
                                    struct pstream **pstreamp);
/* Returns the listener's name, with the bound port and address for ptcp
 * and pssl. */
const char *pstream_get_name(const struct pstream *);
void pstream_close(struct pstream *);
/* Accepts one pending connection: returns 0 with *STREAMP set, EAGAIN if
 * none is pending, or a positive errno. */
int pstream_accept(struct pstream *, struct stream **streamp);
void pstream_wait(struct pstream *);

/* Returns true if streams of NAME's class need application-level liveness
 * probes (false for unix:, true for tcp: and ssl:). */
bool stream_or_pstream_needs_probes(const char *name);

/* Accessors added for ovsdb-lite's server (persistent poll watches). */

/* Returns STREAM's socket fd (owned by STREAM; do not close it), or -1 if
 * it has none.  A caller that watches the fd itself must still use
 * stream_wait() for classes that buffer data (ssl). */
int stream_get_fd(const struct stream *);

#endif /* stream.h */
