/* vs-bench-lib: helpers shared by the vs-bench benchmark modules. */
#include <config.h>

#include "vs-bench-lib.h"

#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "socket-util.h"
#include "util.h"

long long int
now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

long long int
proc_stat_cpu_ns(pid_t pid)
{
    char name[64];
    char buf[1024];
    FILE *f;

    snprintf(name, sizeof name, "/proc/%ld/stat", (long) pid);
    f = fopen(name, "r");
    if (!f) {
        return -1;
    }
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';

    /* Fields 14 and 15 (utime, stime) follow the ')' that ends field 2. */
    const char *p = strrchr(buf, ')');
    unsigned long long int utime, stime;
    if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u "
                     "%llu %llu", &utime, &stime) != 2) {
        return -1;
    }
    return (utime + stime) * (1000000000LL / sysconf(_SC_CLK_TCK));
}

void
samples_add(struct samples *s, long long int ns)
{
    if (s->n >= s->allocated) {
        s->allocated = s->allocated ? 2 * s->allocated : 4096;
        s->ns = xrealloc(s->ns, s->allocated * sizeof *s->ns);
    }
    s->ns[s->n++] = ns;
}

static int
compare_ll(const void *a_, const void *b_)
{
    const long long int *a = a_, *b = b_;

    return *a < *b ? -1 : *a > *b;
}

void
samples_sort(struct samples *s)
{
    if (s->n) {
        qsort(s->ns, s->n, sizeof *s->ns, compare_ll);
    }
}

double
samples_percentile_us(const struct samples *s, double p)
{
    size_t rank;

    if (!s->n) {
        return 0;
    }
    rank = (size_t) ((p / 100.0) * s->n + 0.999999);
    rank = rank < 1 ? 1 : rank > s->n ? s->n : rank;
    return s->ns[rank - 1] / 1000.0;
}

double
samples_rate(const struct samples *s)
{
    return s->busy_ns ? s->n * 1e9 / s->busy_ns : 0;
}

/* Reads (WRITING false) or writes all N bytes of BUF on FD. */
static bool
full_io(int fd, char *buf, size_t n, bool writing)
{
    while (n > 0) {
        ssize_t r = writing ? write(fd, buf, n) : read(fd, buf, n);
        if (r > 0) {
            buf += r;
            n -= r;
        } else if (r < 0 && errno == EINTR) {
            continue;
        } else {
            return false;
        }
    }
    return true;
}

bool
full_read(int fd, char *buf, size_t n)
{
    return full_io(fd, buf, n, false);
}

bool
full_write(int fd, const char *buf, size_t n)
{
    /* full_io() does not modify BUF when writing. */
    return full_io(fd, (char *) buf, n, true);
}

/* Makes a connected pair of blocking sockets of MODE ("unix" or "tcp"). */
static void
make_socket_pair(const char *mode, int fds[2])
{
    if (!strcmp(mode, "unix")) {
        if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds)) {
            vs_fatal(errno, "socketpair failed");
        }
        return;
    } else if (strcmp(mode, "tcp")) {
        vs_fatal(0, "--raw: unknown mode %s (use unix or tcp)", mode);
    }

    struct sockaddr_storage ss;
    int listener = inet_open_passive(SOCK_STREAM, "0:127.0.0.1", -1, &ss);
    if (listener < 0) {
        vs_fatal(-listener, "listen failed");
    }
    fds[0] = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fds[0] < 0
        || connect(fds[0], (struct sockaddr *) &ss, ss_length(&ss))) {
        vs_fatal(errno, "connect failed");
    }
    struct pollfd pfd = { .fd = listener, .events = POLLIN };
    if (poll(&pfd, 1, 5000) != 1) {
        vs_fatal(0, "accept timed out");
    }
    fds[1] = accept4(listener, NULL, NULL, SOCK_CLOEXEC);
    if (fds[1] < 0) {
        vs_fatal(errno, "accept failed");
    }
    /* Both ends are blocking; no Nagle delay, as for tcp: streams. */
    set_tcp_nodelay(fds[0]);
    set_tcp_nodelay(fds[1]);
    close(listener);
}

void
raw_peer_start(struct raw_peer *peer, const char *mode,
               size_t request_len, size_t reply_len)
{
    int fds[2];

    make_socket_pair(mode, fds);
    fflush(NULL);
    peer->pid = fork();
    if (peer->pid < 0) {
        vs_fatal(errno, "fork failed");
    } else if (!peer->pid) {
        size_t size = MAX(request_len, reply_len);
        char *buf = xzalloc(size);

        close(fds[0]);
        memset(buf, 'x', size);
        while (full_read(fds[1], buf, request_len)
               && full_write(fds[1], buf, reply_len)) {
            continue;
        }
        _exit(0);
    }
    close(fds[1]);
    peer->fd = fds[0];
    peer->request_len = request_len;
    peer->reply_len = reply_len;
    peer->buf = xzalloc(MAX(request_len, reply_len));
    memset(peer->buf, '{', request_len);
}

void
raw_peer_stop(struct raw_peer *peer)
{
    int status;

    close(peer->fd);
    while (waitpid(peer->pid, &status, 0) < 0 && errno == EINTR) {
        continue;
    }
    free(peer->buf);
}

long long int
raw_peer_exchange(struct raw_peer *peer)
{
    long long int start = now_ns();

    if (!full_write(peer->fd, peer->buf, peer->request_len)
        || !full_read(peer->fd, peer->buf, peer->reply_len)) {
        vs_fatal(errno, "raw ping-pong peer failed");
    }
    return now_ns() - start;
}
