/* vs-bench-lib: helpers shared by the vs-bench benchmark modules: clocks,
 * per-process CPU time, latency samples and a raw socket ping-pong peer. */
#ifndef VS_BENCH_LIB_H
#define VS_BENCH_LIB_H 1

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Returns CLOCK_MONOTONIC in ns. */
long long int now_ns(void);

/* Returns the CPU time (user + system) of process PID in ns, from
 * /proc/PID/stat (clock-tick resolution), or -1 if unavailable. */
long long int proc_stat_cpu_ns(pid_t pid);

/* Latency samples, in ns.  Initialize with all-zero members
 * (e.g. "struct samples s = { NULL, 0, 0, 0 };"); free 'ns' when done. */
struct samples {
    long long int *ns;          /* One per measured request. */
    size_t n, allocated;
    long long int busy_ns;      /* Run time measured, for samples_rate(). */
};

/* Appends NS to S. */
void samples_add(struct samples *s, long long int ns);

/* Sorts S's samples in ascending order. */
void samples_sort(struct samples *s);

/* Returns the P-th percentile (0 < P <= 100) of S, which must be sorted
 * (samples_sort()), in microseconds: the smallest sample with at least P%
 * of the samples at or below it (nearest rank).  Returns 0 if S is
 * empty. */
double samples_percentile_us(const struct samples *s, double p);

/* Returns the samples per second of S's 'busy_ns', or 0 if that is 0. */
double samples_rate(const struct samples *s);

/* Reads (writes) exactly N bytes from (to) blocking FD, retrying on EINTR.
 * Returns false on error or end of file. */
bool full_read(int fd, char *buf, size_t n);
bool full_write(int fd, const char *buf, size_t n);

/* Raw ping-pong: a forked child that answers every 'request_len' bytes it
 * reads with 'reply_len' bytes, over a blocking connected socket pair; no
 * JSON, no reactor.  The floor for a request-reply round trip. */
struct raw_peer {
    int fd;                     /* Our end of the socket pair. */
    pid_t pid;                  /* The echoing child. */
    size_t request_len, reply_len;
    char *buf;
};

/* Starts PEER over a socket pair of MODE: "unix" (socketpair()) or "tcp"
 * (a loopback connection, without Nagle delay).  Exits with a message on
 * failure or an unknown MODE. */
void raw_peer_start(struct raw_peer *peer, const char *mode,
                    size_t request_len, size_t reply_len);

/* Closes PEER's socket and reaps its child. */
void raw_peer_stop(struct raw_peer *peer);

/* One request-reply exchange with PEER; returns its round-trip time in ns.
 * Exits with a message on failure. */
long long int raw_peer_exchange(struct raw_peer *peer);

#endif /* vs-bench-lib.h */
