/* Socket helpers. */
#include <config.h>

#include "socket-util.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "dynamic-string.h"
#include "fatal-signal.h"
#include "util.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(socket_util);

/* Fills in *UN and *UN_LEN for NAME.  If NAME does not fit in sun_path,
 * opens NAME's directory and names the socket "/proc/self/fd/N/BASE"
 * instead, storing the directory fd in *DIRFDP for the caller to close once
 * bind() or connect() is done (otherwise *DIRFDP is -1).  Returns 0 or a
 * positive errno (ENAMETOOLONG if even the short form does not fit). */
static int
make_sockaddr_un(const char *name, struct sockaddr_un *un,
                 socklen_t *un_len, int *dirfdp)
{
    char short_name[sizeof un->sun_path + 64];
    size_t len = strlen(name);

    *dirfdp = -1;
    memset(un, 0, sizeof *un);
    un->sun_family = AF_UNIX;

    if (!len) {
        return EINVAL;
    }
    if (len >= sizeof un->sun_path) {
        const char *slash = strrchr(name, '/');
        const char *base = slash ? slash + 1 : name;
        char *dir = (!slash ? xstrdup(".")
                     : slash == name ? xstrdup("/")
                     : xmemdup0(name, slash - name));
        int dirfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
        int error = dirfd < 0 ? errno : 0;

        free(dir);
        if (error) {
            return error;
        }
        snprintf(short_name, sizeof short_name, "/proc/self/fd/%d/%s",
                 dirfd, base);
        if (strlen(short_name) >= sizeof un->sun_path) {
            close(dirfd);
            return ENAMETOOLONG;
        }
        *dirfdp = dirfd;
        name = short_name;
        len = strlen(name);
    }

    memcpy(un->sun_path, name, len + 1);
    *un_len = offsetof(struct sockaddr_un, sun_path) + len + 1;
    return 0;
}

/* Removes a stale socket at PATH, left behind by a process that died
 * without cleaning up.  Anything that is not a socket is left alone (bind()
 * then fails with EADDRINUSE). */
static void
unlink_stale_socket(const char *path)
{
    struct stat s;

    if (!lstat(path, &s) && S_ISSOCK(s.st_mode) && unlink(path)
        && errno != ENOENT) {
        VLOG_WARN("%s: failed to unlink stale socket (%s)", path,
                  vs_strerror(errno));
    }
}

static int
bind_unix_socket(int fd, const char *path)
{
    struct sockaddr_un un;
    socklen_t un_len;
    int dirfd;
    int error;

    error = make_sockaddr_un(path, &un, &un_len, &dirfd);
    if (error) {
        return error;
    }

    unlink_stale_socket(path);
    fatal_signal_add_file_to_unlink(path);

    /* fchmod() before bind() does not set a unix socket's file mode, so
     * create the socket file with a restrictive umask: mode 0600. */
    mode_t old_umask = umask(0177);
    error = bind(fd, (struct sockaddr *) &un, un_len) ? errno : 0;
    umask(old_umask);

    if (error) {
        fatal_signal_remove_file_to_unlink(path);
    }
    close_fd_if_open(dirfd);
    return error;
}

static int
connect_unix_socket(int fd, const char *path)
{
    struct sockaddr_un un;
    socklen_t un_len;
    int dirfd;
    int error;

    error = make_sockaddr_un(path, &un, &un_len, &dirfd);
    if (error) {
        return error;
    }

    do {
        error = connect(fd, (struct sockaddr *) &un, un_len) ? errno : 0;
    } while (error == EINTR);
    close_fd_if_open(dirfd);

    /* EINPROGRESS means the caller polls for completion.  (For AF_UNIX,
     * EAGAIN means that the listener's backlog is full and the socket is
     * NOT connecting, so it is a real error, as in Open vSwitch.) */
    return error == EINPROGRESS ? 0 : error;
}

int
make_unix_socket(int style, bool nonblock, const char *bind_path,
                 const char *connect_path)
{
    int flags = style | SOCK_CLOEXEC | (nonblock ? SOCK_NONBLOCK : 0);
    int fd = socket(AF_UNIX, flags, 0);
    bool bound = false;
    int error;

    if (fd < 0) {
        return -errno;
    }

    if (bind_path) {
        error = bind_unix_socket(fd, bind_path);
        if (error) {
            goto error;
        }
        bound = true;
    }

    if (connect_path) {
        error = connect_unix_socket(fd, connect_path);
        if (error) {
            goto error;
        }
    }

    return fd;

error:
    if (bound) {
        fatal_signal_unlink_file_now(bind_path);
    }
    close(fd);
    return -error;
}

int
get_socket_error(int fd)
{
    socklen_t len = sizeof(int);
    int error;

    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len)) {
        return errno;
    }
    return error;
}

int
check_connection_completion(int fd)
{
    struct pollfd pfd;
    int retval;

    pfd.fd = fd;
    pfd.events = POLLOUT;
    pfd.revents = 0;
    do {
        retval = poll(&pfd, 1, 0);
    } while (retval < 0 && errno == EINTR);

    if (retval < 0) {
        return errno;
    } else if (retval == 0) {
        return EAGAIN;
    } else if (pfd.revents & (POLLERR | POLLHUP)) {
        struct sockaddr_storage ss;
        socklen_t len = sizeof ss;
        int error = get_socket_error(fd);

        if (error) {
            return error;
        }
        /* Connected, then hung up by the peer: the connection did complete
         * and the caller will read EOF. */
        return getpeername(fd, (struct sockaddr *) &ss, &len) ? errno : 0;
    } else {
        return get_socket_error(fd);
    }
}

static int
set_socket_buf(int fd, int opt, int size)
{
    return setsockopt(fd, SOL_SOCKET, opt, &size, sizeof size) ? errno : 0;
}

int
set_socket_sndbuf(int fd, int size)
{
    return set_socket_buf(fd, SO_SNDBUF, size);
}

int
set_socket_rcvbuf(int fd, int size)
{
    return set_socket_buf(fd, SO_RCVBUF, size);
}

int
set_tcp_nodelay(int fd)
{
    int on = 1;
    return (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on)
            ? errno : 0);
}

/* IP addresses. */

static struct vlog_rate_limit parse_rl = VLOG_RATE_LIMIT_INIT(10, 10);

/* Parses the numeric HOST (without brackets) into *SS with PORT.  Returns
 * true on success. */
static bool
parse_numeric_host(const char *host, uint16_t port,
                   struct sockaddr_storage *ss)
{
    struct addrinfo hints, *res;

    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_flags = AI_NUMERICHOST;
    if (getaddrinfo(host, NULL, &hints, &res) || !res) {
        return false;
    }

    bool ok = false;
    memset(ss, 0, sizeof *ss);
    if (res->ai_family == AF_INET
        && res->ai_addrlen == sizeof(struct sockaddr_in)) {
        struct sockaddr_in *sin = (struct sockaddr_in *) ss;
        memcpy(sin, res->ai_addr, sizeof *sin);
        sin->sin_port = htons(port);
        ok = true;
    } else if (res->ai_family == AF_INET6
               && res->ai_addrlen == sizeof(struct sockaddr_in6)) {
        struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *) ss;
        memcpy(sin6, res->ai_addr, sizeof *sin6);
        sin6->sin6_port = htons(port);
        ok = true;
    }
    freeaddrinfo(res);
    return ok;
}

/* Parses PORT_S into *PORTP: a decimal number 0...65535, or empty, which
 * means DEFAULT_PORT if that is nonnegative. */
static bool
parse_port(const char *port_s, int default_port, uint16_t *portp)
{
    int port;

    if (!port_s[0]) {
        if (default_port < 0) {
            return false;
        }
        *portp = default_port;
        return true;
    }
    for (const char *p = port_s; *p; p++) {
        if (*p < '0' || *p > '9') {
            return false;
        }
    }
    if (!str_to_int(port_s, &port) || port < 0 || port > 65535) {
        return false;
    }
    *portp = port;
    return true;
}

/* Splits "HOST:PORT", "[HOST]:PORT", "HOST" or "[HOST]" (S is modified)
 * into *HOSTP (brackets removed) and *PORTP ("" if absent).  Returns false
 * if the brackets do not match. */
static bool
split_host_port(char *s, char **hostp, char **portp)
{
    if (s[0] == '[') {
        char *end = strchr(s, ']');
        if (!end || (end[1] && end[1] != ':')) {
            return false;
        }
        *end = '\0';
        *hostp = s + 1;
        *portp = end[1] ? end + 2 : end + 1;
        return true;
    }

    char *colon = strchr(s, ':');
    if (colon && strchr(colon + 1, ':')) {
        /* A bare IPv6 address: there is no way to tell a port apart. */
        *hostp = s;
        *portp = s + strlen(s);
        return true;
    }
    *hostp = s;
    if (colon) {
        *colon = '\0';
        *portp = colon + 1;
    } else {
        *portp = s + strlen(s);
    }
    return true;
}

int
inet_parse_active(const char *target, int default_port,
                  struct sockaddr_storage *ss)
{
    char *copy = xstrdup(target);
    char *host, *port_s;
    uint16_t port;
    int error = 0;

    if (!split_host_port(copy, &host, &port_s)) {
        VLOG_WARN_RL(&parse_rl, "%s: bad brackets around address", target);
        error = EINVAL;
    } else if (!host[0]) {
        VLOG_WARN_RL(&parse_rl, "%s: host must be specified", target);
        error = EINVAL;
    } else if (!port_s[0] && default_port <= 0) {
        VLOG_WARN_RL(&parse_rl, "%s: port must be specified", target);
        error = EINVAL;
    } else if (!parse_port(port_s, default_port, &port)) {
        VLOG_WARN_RL(&parse_rl, "%s: bad port number", target);
        error = EINVAL;
    } else if (!parse_numeric_host(host, port, ss)) {
        VLOG_WARN_RL(&parse_rl, "%s: \"%s\" is not an IPv4 or IPv6 address "
                     "(IPv6 addresses go in brackets)", target, host);
        error = EINVAL;
    }
    free(copy);
    return error;
}

int
inet_parse_passive(const char *target, int default_port,
                   struct sockaddr_storage *ss)
{
    char *copy = xstrdup(target);
    char *colon = strchr(copy, ':');
    char *host = colon ? colon + 1 : NULL;
    uint16_t port;
    int error = 0;

    if (colon) {
        *colon = '\0';
    }
    if (host && host[0] == '[') {
        size_t len = strlen(host);
        if (len < 2 || host[len - 1] != ']') {
            VLOG_WARN_RL(&parse_rl, "%s: bad brackets around address",
                         target);
            free(copy);
            return EINVAL;
        }
        host[len - 1] = '\0';
        host++;
    }

    if (!parse_port(copy, default_port, &port)) {
        VLOG_WARN_RL(&parse_rl, "%s: %s", target,
                     copy[0] ? "bad port number" : "port must be specified");
        error = EINVAL;
    } else if (!parse_numeric_host(host && host[0] ? host : "0.0.0.0", port,
                                   ss)) {
        VLOG_WARN_RL(&parse_rl, "%s: \"%s\" is not an IPv4 or IPv6 address",
                     target, host);
        error = EINVAL;
    }
    free(copy);
    return error;
}

int
inet_open_active(int style, const char *target, int default_port,
                 struct sockaddr_storage *ssp, int *fdp)
{
    struct sockaddr_storage ss;
    int error;
    int fd;

    *fdp = -1;
    error = inet_parse_active(target, default_port, &ss);
    if (error) {
        return error;
    }
    if (ssp) {
        *ssp = ss;
    }

    fd = socket(ss.ss_family, style | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        error = errno;
        VLOG_ERR("%s: socket: %s", target, vs_strerror(error));
        return error;
    }

    do {
        error = (connect(fd, (struct sockaddr *) &ss, ss_length(&ss))
                 ? errno : 0);
    } while (error == EINTR);
    if (error && error != EINPROGRESS) {
        close(fd);
        return error;
    }
    *fdp = fd;
    return 0;
}

int
inet_open_passive(int style, const char *target, int default_port,
                  struct sockaddr_storage *ssp)
{
    struct sockaddr_storage ss;
    socklen_t ss_len;
    int error;
    int fd;
    int on = 1;

    error = inet_parse_passive(target, default_port, &ss);
    if (error) {
        return -error;
    }

    fd = socket(ss.ss_family, style | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        error = errno;
        VLOG_ERR("%s: socket: %s", target, vs_strerror(error));
        return -error;
    }
    if (style == SOCK_STREAM
        && setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on)) {
        error = errno;
        VLOG_ERR("%s: setsockopt(SO_REUSEADDR): %s", target,
                 vs_strerror(error));
        goto error;
    }
    if (bind(fd, (struct sockaddr *) &ss, ss_length(&ss))) {
        error = errno;
        VLOG_ERR("%s: bind: %s", target, vs_strerror(error));
        goto error;
    }
    if (style == SOCK_STREAM && listen(fd, 1024)) {
        error = errno;
        VLOG_ERR("%s: listen: %s", target, vs_strerror(error));
        goto error;
    }
    if (ssp) {
        ss_len = sizeof *ssp;
        if (getsockname(fd, (struct sockaddr *) ssp, &ss_len)) {
            error = errno;
            VLOG_ERR("%s: getsockname: %s", target, vs_strerror(error));
            goto error;
        }
    }
    return fd;

error:
    close(fd);
    return -error;
}

socklen_t
ss_length(const struct sockaddr_storage *ss)
{
    switch (ss->ss_family) {
    case AF_INET:
        return sizeof(struct sockaddr_in);
    case AF_INET6:
        return sizeof(struct sockaddr_in6);
    default:
        return sizeof *ss;
    }
}

uint16_t
ss_get_port(const struct sockaddr_storage *ss)
{
    switch (ss->ss_family) {
    case AF_INET:
        return ntohs(((const struct sockaddr_in *) ss)->sin_port);
    case AF_INET6:
        return ntohs(((const struct sockaddr_in6 *) ss)->sin6_port);
    default:
        return 0;
    }
}

void
ss_format_address(const struct sockaddr_storage *ss, struct ds *s)
{
    char buf[INET6_ADDRSTRLEN];

    if (ss->ss_family == AF_INET) {
        const struct sockaddr_in *sin = (const struct sockaddr_in *) ss;
        ds_put_cstr(s, inet_ntop(AF_INET, &sin->sin_addr, buf, sizeof buf));
    } else if (ss->ss_family == AF_INET6) {
        const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *) ss;
        char ifname[IF_NAMESIZE];

        ds_put_format(s, "[%s", inet_ntop(AF_INET6, &sin6->sin6_addr, buf,
                                          sizeof buf));
        if (sin6->sin6_scope_id) {
            if (if_indextoname(sin6->sin6_scope_id, ifname)) {
                ds_put_format(s, "%%%s", ifname);
            } else {
                ds_put_format(s, "%%%u", (unsigned int) sin6->sin6_scope_id);
            }
        }
        ds_put_char(s, ']');
    } else {
        ds_put_format(s, "(family %d)", (int) ss->ss_family);
    }
}
