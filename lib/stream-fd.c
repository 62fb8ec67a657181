/* Generic streams and listeners over a socket file descriptor, shared by
 * the stream classes that are plain sockets (unix, tcp). */
#include <config.h>

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "coverage.h"
#include "fatal-signal.h"
#include "poll-loop.h"
#include "socket-util.h"
#include "stream-provider.h"
#include "timeval.h"
#include "util.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(stream_fd);

COVERAGE_DEFINE(pstream_accept);
COVERAGE_DEFINE(pstream_accept_backoff);

/* How long a listener stops accepting after running out of fds. */
#define ACCEPT_BACKOFF_MSEC 100

/* Active fd streams. */

struct stream_fd {
    struct stream stream;
    int fd;
    bool is_socket;             /* Use send() with MSG_NOSIGNAL. */
};

static const struct stream_class stream_fd_class;

static struct stream_fd *
stream_fd_cast(struct stream *stream)
{
    vs_assert(stream->class == &stream_fd_class);
    return CONTAINER_OF(stream, struct stream_fd, stream);
}

/* Creates a stream named NAME (taken over) over FD (taken over), whose
 * connection status is CONNECT_STATUS (0 connected, EAGAIN in progress,
 * else an error).  Always succeeds: returns 0. */
int
new_fd_stream(char *name, int fd, int connect_status,
              struct stream **streamp)
{
    struct stream_fd *s = xmalloc(sizeof *s);
    struct stat st;

    stream_init(&s->stream, &stream_fd_class, connect_status, name);
    s->fd = fd;
    s->is_socket = !fstat(fd, &st) && S_ISSOCK(st.st_mode);
    *streamp = &s->stream;
    return 0;
}

static void
fd_close(struct stream *stream)
{
    struct stream_fd *s = stream_fd_cast(stream);

    poll_fd_close(s->fd);
    free(s);
}

static int
fd_connect(struct stream *stream)
{
    struct stream_fd *s = stream_fd_cast(stream);
    return check_connection_completion(s->fd);
}

static ssize_t
fd_recv(struct stream *stream, void *buffer, size_t n)
{
    struct stream_fd *s = stream_fd_cast(stream);
    ssize_t retval;

    if (!poll_fd_may_be_ready(s->fd, POLLIN)) {
        /* The reactor watched this fd and it had nothing to read: skip a
         * read() that would fail with EAGAIN. */
        return -EAGAIN;
    }

    do {
        retval = read(s->fd, buffer, n);
    } while (retval < 0 && errno == EINTR);
    if (retval < 0) {
        int error = errno;
        if (error == EWOULDBLOCK || error == EAGAIN) {
            poll_fd_clear_ready(s->fd, POLLIN);
            return -EAGAIN;
        }
        return -error;
    } else if (retval > 0 && (size_t) retval < n) {
        /* A short read drained the socket: until the reactor runs again,
         * reading more would most likely just return EAGAIN. */
        poll_fd_clear_ready(s->fd, POLLIN);
    }
    return retval;
}

static ssize_t
fd_send(struct stream *stream, const void *buffer, size_t n)
{
    struct stream_fd *s = stream_fd_cast(stream);
    ssize_t retval;

    do {
        retval = (s->is_socket
                  ? send(s->fd, buffer, n, MSG_NOSIGNAL)
                  : write(s->fd, buffer, n));
    } while (retval < 0 && errno == EINTR);
    if (retval < 0) {
        int error = errno;
        if (error == EWOULDBLOCK || error == EAGAIN) {
            poll_fd_clear_ready(s->fd, POLLOUT);
            return -EAGAIN;
        }
        return -error;
    }
    return retval;
}

static void
fd_wait(struct stream *stream, enum stream_wait_type wait)
{
    struct stream_fd *s = stream_fd_cast(stream);

    switch (wait) {
    case STREAM_CONNECT:
    case STREAM_SEND:
        poll_fd_wait(s->fd, POLLOUT);
        break;
    case STREAM_RECV:
        poll_fd_wait(s->fd, POLLIN);
        break;
    }
}

static int
fd_get_socket_fd(const struct stream *stream)
{
    const struct stream_fd *s = CONTAINER_OF(stream, struct stream_fd,
                                             stream);
    return s->is_socket ? s->fd : -1;
}

static const struct stream_class stream_fd_class = {
    .name = "fd",
    .needs_probes = false,
    .open = NULL,
    .close = fd_close,
    .connect = fd_connect,
    .recv = fd_recv,
    .send = fd_send,
    .run = NULL,
    .run_wait = NULL,
    .wait = fd_wait,
    .get_socket_fd = fd_get_socket_fd,
};

/* Passive fd streams. */

struct fd_pstream {
    struct pstream pstream;
    int fd;
    int (*accept_cb)(int fd, const struct sockaddr_storage *, size_t,
                     struct stream **);
    char *unlink_path;
    long long int backoff_until;    /* Don't accept until this time. */
};

static const struct pstream_class fd_pstream_class;

static struct fd_pstream *
fd_pstream_cast(struct pstream *pstream)
{
    vs_assert(pstream->class == &fd_pstream_class);
    return CONTAINER_OF(pstream, struct fd_pstream, pstream);
}

/* Creates a listener named NAME (taken over) on the listening socket FD
 * (taken over).  Accepted connections become streams through ACCEPT_CB.
 * If UNLINK_PATH is nonnull, it is taken over and that file is unlinked
 * (and unregistered from fatal-signal) when the listener closes.  Always
 * succeeds: returns 0. */
int
new_fd_pstream(char *name, int fd,
               int (*accept_cb)(int fd, const struct sockaddr_storage *,
                                size_t, struct stream **),
               char *unlink_path, struct pstream **pstreamp)
{
    struct fd_pstream *ps = xmalloc(sizeof *ps);

    pstream_init(&ps->pstream, &fd_pstream_class, name);
    ps->fd = fd;
    ps->accept_cb = accept_cb;
    ps->unlink_path = unlink_path;
    ps->backoff_until = LLONG_MIN;
    *pstreamp = &ps->pstream;
    return 0;
}

static void
pfd_close(struct pstream *pstream)
{
    struct fd_pstream *ps = fd_pstream_cast(pstream);

    poll_fd_close(ps->fd);
    if (ps->unlink_path) {
        fatal_signal_unlink_file_now(ps->unlink_path);
        free(ps->unlink_path);
    }
    free(ps);
}

static int
pfd_accept(struct pstream *pstream, struct stream **new_streamp)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);
    struct fd_pstream *ps = fd_pstream_cast(pstream);
    struct sockaddr_storage ss;
    socklen_t ss_len = sizeof ss;
    int new_fd;
    int error;

    if (time_msec() < ps->backoff_until) {
        return EAGAIN;
    }
    if (!poll_fd_may_be_ready(ps->fd, POLLIN)) {
        /* The reactor watched the listener and saw nothing pending: skip
         * an accept() that would fail with EAGAIN. */
        return EAGAIN;
    }

    do {
        new_fd = accept4(ps->fd, (struct sockaddr *) &ss, &ss_len,
                         SOCK_NONBLOCK | SOCK_CLOEXEC);
    } while (new_fd < 0 && errno == EINTR);

    if (new_fd < 0) {
        error = errno;
        if (error == EWOULDBLOCK || error == EAGAIN) {
            poll_fd_clear_ready(ps->fd, POLLIN);
            return EAGAIN;
        }
        if (error == EMFILE || error == ENFILE || error == ENOBUFS
            || error == ENOMEM) {
            /* The connection stays queued and the listener stays readable,
             * so waiting on the fd would spin.  Back off instead. */
            COVERAGE_INC(pstream_accept_backoff);
            VLOG_WARN_RL(&rl, "%s: accept failed (%s); pausing for %d ms",
                         pstream->name, vs_strerror(error),
                         ACCEPT_BACKOFF_MSEC);
            ps->backoff_until = time_msec() + ACCEPT_BACKOFF_MSEC;
            return EAGAIN;
        }
        VLOG_DBG_RL(&rl, "%s: accept failed (%s)", pstream->name,
                    vs_strerror(error));
        return error;
    }

    COVERAGE_INC(pstream_accept);
    error = ps->accept_cb(new_fd, &ss, ss_len, new_streamp);
    if (error) {
        close(new_fd);
    }
    return error;
}

static void
pfd_wait(struct pstream *pstream)
{
    struct fd_pstream *ps = fd_pstream_cast(pstream);

    if (time_msec() < ps->backoff_until) {
        poll_timer_wait_until(ps->backoff_until);
    } else {
        poll_fd_wait(ps->fd, POLLIN);
    }
}

static const struct pstream_class fd_pstream_class = {
    .name = "pstream",
    .needs_probes = false,
    .listen = NULL,
    .close = pfd_close,
    .accept = pfd_accept,
    .wait = pfd_wait,
};
