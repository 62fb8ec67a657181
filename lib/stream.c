/* Byte streams and listeners: dispatch by name prefix to a stream class. */
#include <config.h>

#include "stream.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "coverage.h"
#include "dynamic-string.h"
#include "poll-loop.h"
#include "socket-util.h"
#include "stream-provider.h"
#include "timeval.h"
#include "util.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(stream);

COVERAGE_DEFINE(stream_open);
COVERAGE_DEFINE(pstream_open);

/* State of an active stream. */
enum stream_state {
    SCS_CONNECTING,             /* Underlying connection in progress. */
    SCS_CONNECTED,              /* Connection established. */
    SCS_DISCONNECTED            /* Connection failed or closed. */
};

/* Known classes. */
static const struct stream_class *const stream_classes[] = {
    &unix_stream_class,
    &tcp_stream_class,
    &ssl_stream_class,
};

static const struct pstream_class *const pstream_classes[] = {
    &punix_pstream_class,
    &ptcp_pstream_class,
    &pssl_pstream_class,
};

/* Splits NAME at its first ':' and returns the length of the prefix, or 0
 * if NAME has no ':'. */
static size_t
prefix_len(const char *name)
{
    const char *colon = strchr(name, ':');
    return colon ? (size_t) (colon - name) : 0;
}

static const struct stream_class *
stream_lookup_class(const char *name)
{
    size_t len = prefix_len(name);

    if (len) {
        for (size_t i = 0; i < ARRAY_SIZE(stream_classes); i++) {
            const struct stream_class *class = stream_classes[i];
            if (strlen(class->name) == len
                && !strncmp(name, class->name, len)) {
                return class;
            }
        }
    }
    return NULL;
}

static const struct pstream_class *
pstream_lookup_class(const char *name)
{
    size_t len = prefix_len(name);

    if (len) {
        for (size_t i = 0; i < ARRAY_SIZE(pstream_classes); i++) {
            const struct pstream_class *class = pstream_classes[i];
            if (strlen(class->name) == len
                && !strncmp(name, class->name, len)) {
                return class;
            }
        }
    }
    return NULL;
}

int
stream_verify_name(const char *name)
{
    return stream_lookup_class(name) ? 0 : EAFNOSUPPORT;
}

int
pstream_verify_name(const char *name)
{
    return pstream_lookup_class(name) ? 0 : EAFNOSUPPORT;
}

bool
stream_or_pstream_needs_probes(const char *name)
{
    const struct stream_class *class = stream_lookup_class(name);
    if (class) {
        return class->needs_probes;
    }

    const struct pstream_class *pclass = pstream_lookup_class(name);
    return pclass ? pclass->needs_probes : false;
}

/* Active streams. */

void
stream_init(struct stream *stream, const struct stream_class *class,
            int connect_status, char *name)
{
    memset(stream, 0, sizeof *stream);
    stream->class = class;
    stream->state = (connect_status == EAGAIN ? SCS_CONNECTING
                     : !connect_status ? SCS_CONNECTED
                     : SCS_DISCONNECTED);
    stream->error = connect_status;
    stream->name = name;
}

int
stream_open(const char *name, struct stream **streamp)
{
    const struct stream_class *class;
    struct stream *stream = NULL;
    int error;

    COVERAGE_INC(stream_open);
    *streamp = NULL;

    class = stream_lookup_class(name);
    if (!class) {
        VLOG_WARN("%s: unknown stream type", name);
        return EAFNOSUPPORT;
    }

    char *suffix = xstrdup(name + strlen(class->name) + 1);
    error = class->open(name, suffix, &stream);
    free(suffix);
    if (error) {
        return error;
    }
    *streamp = stream;
    return 0;
}

/* Returns true if the "HOST[:PORT]" part of an active tcp or ssl name
 * lacks the port. */
static bool
active_target_lacks_port(const char *target)
{
    if (target[0] == '[') {
        const char *end = strchr(target, ']');
        return end && end[1] == '\0';
    }
    const char *colon = strchr(target, ':');
    return !colon;
}

int
stream_open_with_default_ports(const char *name, uint16_t default_tcp_port,
                               uint16_t default_ssl_port,
                               struct stream **streamp)
{
    char *full = NULL;
    int error;

    if (str_starts_with(name, "tcp:")
        && active_target_lacks_port(name + 4)) {
        full = xasprintf("%s:%u", name, (unsigned int) default_tcp_port);
    } else if (str_starts_with(name, "ssl:")
               && active_target_lacks_port(name + 4)) {
        full = xasprintf("%s:%u", name, (unsigned int) default_ssl_port);
    }
    error = stream_open(full ? full : name, streamp);
    free(full);
    return error;
}

/* Completes a connection started with stream_open(), whose result is
 * ERROR.  Waits at most TIMEOUT_MSEC (forever if TIMEOUT_MSEC <= 0).  On
 * failure closes the stream and sets *STREAMP to NULL.  Blocks. */
int
stream_open_block(int error, long long int timeout_msec,
                  struct stream **streamp)
{
    struct stream *stream = *streamp;
    long long int deadline = (timeout_msec > 0
                              ? time_msec() + timeout_msec
                              : LLONG_MAX);

    if (!error) {
        for (;;) {
            stream_run(stream);
            error = stream_connect(stream);
            if (error != EAGAIN) {
                break;
            }
            if (time_msec() >= deadline) {
                error = ETIMEDOUT;
                break;
            }
            stream_run_wait(stream);
            stream_connect_wait(stream);
            if (deadline != LLONG_MAX) {
                poll_timer_wait_until(deadline);
            }
            poll_block();
        }
    }

    if (error) {
        stream_close(stream);
        *streamp = NULL;
    }
    return error;
}

void
stream_close(struct stream *stream)
{
    if (stream) {
        char *name = stream->name;
        stream->class->close(stream);
        free(name);
    }
}

const char *
stream_get_name(const struct stream *stream)
{
    return stream ? stream->name : "(null)";
}

int
stream_connect(struct stream *stream)
{
    if (stream->state == SCS_CONNECTING) {
        int error = stream->class->connect
                    ? stream->class->connect(stream) : 0;
        if (!error) {
            stream->state = SCS_CONNECTED;
        } else if (error != EAGAIN) {
            stream->state = SCS_DISCONNECTED;
            stream->error = error;
        }
        return error;
    }
    return stream->state == SCS_CONNECTED ? 0 : stream->error;
}

ssize_t
stream_recv(struct stream *stream, void *buffer, size_t n)
{
    int error = stream_connect(stream);

    return (error ? -error
            : n == 0 ? 0
            : stream->class->recv(stream, buffer, n));
}

ssize_t
stream_send(struct stream *stream, const void *buffer, size_t n)
{
    int error = stream_connect(stream);

    return (error ? -error
            : n == 0 ? 0
            : stream->class->send(stream, buffer, n));
}

void
stream_run(struct stream *stream)
{
    if (stream->class->run) {
        stream->class->run(stream);
    }
}

void
stream_run_wait(struct stream *stream)
{
    if (stream->class->run_wait) {
        stream->class->run_wait(stream);
    }
}

void
stream_wait(struct stream *stream, enum stream_wait_type wait)
{
    switch (stream->state) {
    case SCS_CONNECTING:
        wait = STREAM_CONNECT;
        break;
    case SCS_DISCONNECTED:
        poll_immediate_wake();
        return;
    case SCS_CONNECTED:
        break;
    }
    stream->class->wait(stream, wait);
}

int
stream_set_socket_buffers(struct stream *stream, int sndbuf, int rcvbuf)
{
    int fd = (stream->class->get_socket_fd
              ? stream->class->get_socket_fd(stream) : -1);
    int error = 0;

    if (fd < 0) {
        return EOPNOTSUPP;
    }
    if (sndbuf > 0) {
        error = set_socket_sndbuf(fd, sndbuf);
    }
    if (!error && rcvbuf > 0) {
        error = set_socket_rcvbuf(fd, rcvbuf);
    }
    return error;
}

/* Names for tcp and ssl streams. */

char *
stream_name_from_peer(const char *prefix, const struct sockaddr_storage *ss)
{
    struct ds name = DS_EMPTY_INITIALIZER;

    ds_put_format(&name, "%s:", prefix);
    ss_format_address(ss, &name);
    ds_put_format(&name, ":%u", (unsigned int) ss_get_port(ss));
    return ds_steal_cstr(&name);
}

char *
pstream_name_from_bound(const char *prefix,
                        const struct sockaddr_storage *ss)
{
    struct ds name = DS_EMPTY_INITIALIZER;

    ds_put_format(&name, "%s:%u:", prefix, (unsigned int) ss_get_port(ss));
    ss_format_address(ss, &name);
    return ds_steal_cstr(&name);
}

/* Passive streams. */

void
pstream_init(struct pstream *pstream, const struct pstream_class *class,
             char *name)
{
    memset(pstream, 0, sizeof *pstream);
    pstream->class = class;
    pstream->name = name;
}

int
pstream_open(const char *name, struct pstream **pstreamp)
{
    const struct pstream_class *class;
    struct pstream *pstream = NULL;
    int error;

    COVERAGE_INC(pstream_open);
    *pstreamp = NULL;

    class = pstream_lookup_class(name);
    if (!class) {
        VLOG_WARN("%s: unknown passive stream type", name);
        return EAFNOSUPPORT;
    }

    char *suffix = xstrdup(name + strlen(class->name) + 1);
    error = class->listen(name, suffix, &pstream);
    free(suffix);
    if (error) {
        return error;
    }
    *pstreamp = pstream;
    return 0;
}

int
pstream_open_with_default_ports(const char *name,
                                uint16_t default_ptcp_port,
                                uint16_t default_pssl_port,
                                struct pstream **pstreamp)
{
    char *full = NULL;
    int error;

    /* "ptcp:" and "ptcp::HOST" lack the port. */
    if (str_starts_with(name, "ptcp:")
        && (name[5] == '\0' || name[5] == ':')) {
        full = xasprintf("ptcp:%u%s", (unsigned int) default_ptcp_port,
                         name + 5);
    } else if (str_starts_with(name, "pssl:")
               && (name[5] == '\0' || name[5] == ':')) {
        full = xasprintf("pssl:%u%s", (unsigned int) default_pssl_port,
                         name + 5);
    }
    error = pstream_open(full ? full : name, pstreamp);
    free(full);
    return error;
}

const char *
pstream_get_name(const struct pstream *pstream)
{
    return pstream ? pstream->name : "(null)";
}

void
pstream_close(struct pstream *pstream)
{
    if (pstream) {
        char *name = pstream->name;
        pstream->class->close(pstream);
        free(name);
    }
}

int
pstream_accept(struct pstream *pstream, struct stream **streamp)
{
    int error = pstream->class->accept(pstream, streamp);
    if (error) {
        *streamp = NULL;
    } else {
        vs_assert((*streamp)->state != SCS_CONNECTING
                  || (*streamp)->class->connect);
    }
    return error;
}

void
pstream_wait(struct pstream *pstream)
{
    pstream->class->wait(pstream);
}

/* Accessors added for ovsdb-lite's server (persistent poll watches). */

int
stream_get_fd(const struct stream *stream)
{
    return (stream->class->get_socket_fd
            ? stream->class->get_socket_fd(stream) : -1);
}
