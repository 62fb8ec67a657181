/* TCP streams: "tcp:HOST:PORT" (active) and "ptcp:PORT[:HOST]" (passive),
 * IPv4 or IPv6 ("tcp:[::1]:6640").  The fd stream class (stream-fd.c) does
 * the I/O; this file opens sockets and names streams. */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "socket-util.h"
#include "stream-provider.h"
#include "util.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(stream_tcp);

static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);

/* Active TCP streams. */

static int
tcp_open(const char *name, char *suffix, struct stream **streamp)
{
    int error;
    int fd;

    error = inet_open_active(SOCK_STREAM, suffix, -1, NULL, &fd);
    if (error) {
        VLOG_DBG_RL(&rl, "%s: connect failed (%s)", name,
                    vs_strerror(error));
        return error;
    }
    error = set_tcp_nodelay(fd);
    if (error) {
        VLOG_ERR_RL(&rl, "%s: setsockopt(TCP_NODELAY) failed (%s)", name,
                    vs_strerror(error));
        close(fd);
        return error;
    }
    return new_fd_stream(xstrdup(name), fd, check_connection_completion(fd),
                         streamp);
}

/* The fd stream class does the work; this class only opens. */
const struct stream_class tcp_stream_class = {
    .name = "tcp",
    .needs_probes = true,
    .open = tcp_open,
};

/* Passive TCP streams. */

static int
ptcp_accept(int fd, const struct sockaddr_storage *ss,
            size_t ss_len VS_UNUSED, struct stream **streamp)
{
    int error = set_tcp_nodelay(fd);
    if (error) {
        VLOG_ERR_RL(&rl, "setsockopt(TCP_NODELAY) failed (%s)",
                    vs_strerror(error));
        return error;
    }
    return new_fd_stream(stream_name_from_peer("tcp", ss), fd, 0, streamp);
}

static int
ptcp_listen(const char *name VS_UNUSED, char *suffix,
            struct pstream **pstreamp)
{
    struct sockaddr_storage ss;
    int fd;

    fd = inet_open_passive(SOCK_STREAM, suffix, -1, &ss);
    if (fd < 0) {
        return -fd;
    }
    return new_fd_pstream(pstream_name_from_bound("ptcp", &ss), fd,
                          ptcp_accept, NULL, pstreamp);
}

const struct pstream_class ptcp_pstream_class = {
    .name = "ptcp",
    .needs_probes = true,
    .listen = ptcp_listen,
};
