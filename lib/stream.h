/* Byte streams (active) and listeners (passive), named as in Open vSwitch:
 * "unix:PATH" / "punix:PATH" (more classes in stream-provider.h).
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

/* Passive streams. */
int pstream_verify_name(const char *name);
int pstream_open(const char *name, struct pstream **pstreamp);
const char *pstream_get_name(const struct pstream *);
void pstream_close(struct pstream *);
/* Accepts one pending connection: returns 0 with *STREAMP set, EAGAIN if
 * none is pending, or a positive errno. */
int pstream_accept(struct pstream *, struct stream **streamp);
void pstream_wait(struct pstream *);

/* Returns true if streams of NAME's class need application-level liveness
 * probes (false for unix:, true for tcp: and ssl:). */
bool stream_or_pstream_needs_probes(const char *name);

#endif /* stream.h */
