/* Unix domain socket streams: "unix:PATH" (active) and "punix:PATH"
 * (passive).  A relative PATH is taken relative to $VS_RUNDIR. */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "dirs.h"
#include "fatal-signal.h"
#include "socket-util.h"
#include "stream-provider.h"
#include "util.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(stream_unix);

/* Listen backlog (the kernel caps it at net.core.somaxconn).  Generous, so
 * that a burst of clients does not see EAGAIN from connect(). */
#define PUNIX_BACKLOG 1024

/* Active unix streams. */

static int
unix_open(const char *name, char *suffix, struct stream **streamp)
{
    char *connect_path;
    int fd;

    if (!suffix[0]) {
        VLOG_WARN("%s: missing socket path", name);
        return EINVAL;
    }

    connect_path = abs_file_name(vs_rundir(), suffix);
    fd = make_unix_socket(SOCK_STREAM, true, NULL, connect_path);
    if (fd < 0) {
        VLOG_DBG("%s: connection failed (%s)", connect_path,
                 vs_strerror(-fd));
        free(connect_path);
        return -fd;
    }
    free(connect_path);

    return new_fd_stream(xstrdup(name), fd, check_connection_completion(fd),
                         streamp);
}

/* The fd stream class does the work; this class only opens. */
const struct stream_class unix_stream_class = {
    .name = "unix",
    .needs_probes = false,
    .open = unix_open,
};

/* Passive unix streams. */

/* Names an accepted connection: after the peer's bound path if it has one,
 * otherwise "unix#N" with a counter, so that log lines tell clients
 * apart. */
static int
punix_accept(int fd, const struct sockaddr_storage *ss, size_t ss_len,
             struct stream **streamp)
{
    static unsigned int next_idx;
    const struct sockaddr_un *sun = (const struct sockaddr_un *) ss;
    size_t path_ofs = offsetof(struct sockaddr_un, sun_path);
    char *name;

    if (ss_len > path_ofs + 1 && sun->sun_path[0]) {
        size_t max = MIN(ss_len - path_ofs, sizeof sun->sun_path);
        name = xasprintf("unix:%.*s", (int) strnlen(sun->sun_path, max),
                         sun->sun_path);
    } else {
        name = xasprintf("unix#%u", next_idx++);
    }
    return new_fd_stream(name, fd, 0, streamp);
}

static int
punix_listen(const char *name, char *suffix, struct pstream **pstreamp)
{
    char *bind_path;
    int error;
    int fd;

    if (!suffix[0]) {
        VLOG_WARN("%s: missing socket path", name);
        return EINVAL;
    }

    bind_path = abs_file_name(vs_rundir(), suffix);
    fd = make_unix_socket(SOCK_STREAM, true, bind_path, NULL);
    if (fd < 0) {
        error = -fd;
        VLOG_ERR("%s: binding failed (%s)", bind_path, vs_strerror(error));
        free(bind_path);
        return error;
    }

    if (listen(fd, PUNIX_BACKLOG) < 0) {
        error = errno;
        VLOG_ERR("%s: listen failed (%s)", bind_path, vs_strerror(error));
        fatal_signal_unlink_file_now(bind_path);
        close(fd);
        free(bind_path);
        return error;
    }

    return new_fd_pstream(xstrdup(name), fd, punix_accept, bind_path,
                          pstreamp);
}

const struct pstream_class punix_pstream_class = {
    .name = "punix",
    .needs_probes = false,
    .listen = punix_listen,
};
