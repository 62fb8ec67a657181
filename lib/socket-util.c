/* Socket helpers. */
#include <config.h>

#include "socket-util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

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
