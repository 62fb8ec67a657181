/* Interface for stream classes: one file per class (stream-unix.c, ...).
 * Callers use stream.h only. */
#ifndef STREAM_PROVIDER_H
#define STREAM_PROVIDER_H 1

#include <sys/socket.h>
#include <sys/types.h>
#include "stream.h"

/* An active stream.  A class embeds this as its first member. */
struct stream {
    const struct stream_class *class;
    int state;              /* SCS_CONNECTING or SCS_CONNECTED. */
    int error;              /* Connection error once known. */
    char *name;
};

void stream_init(struct stream *, const struct stream_class *,
                 int connect_status, char *name);

struct stream_class {
    const char *name;       /* Prefix without the colon, e.g. "unix". */
    bool needs_probes;

    /* Opens SUFFIX (the name after "PREFIX:"); NAME is the full name and
     * becomes the stream's (owned by the stream on success).  Returns 0 or
     * a positive errno. */
    int (*open)(const char *name, char *suffix, struct stream **streamp);
    void (*close)(struct stream *);
    /* Returns 0, EAGAIN, or errno.  NULL if connect always completes in
     * open. */
    int (*connect)(struct stream *);
    ssize_t (*recv)(struct stream *, void *buffer, size_t n);
    ssize_t (*send)(struct stream *, const void *buffer, size_t n);
    void (*run)(struct stream *);           /* May be NULL. */
    void (*run_wait)(struct stream *);      /* May be NULL. */
    void (*wait)(struct stream *, enum stream_wait_type);
    /* Returns the stream's socket fd, or -1.  May be NULL. */
    int (*get_socket_fd)(const struct stream *);
};

/* A passive stream. */
struct pstream {
    const struct pstream_class *class;
    char *name;
};

void pstream_init(struct pstream *, const struct pstream_class *,
                  char *name);

struct pstream_class {
    const char *name;       /* Prefix without the colon, e.g. "punix". */
    bool needs_probes;
    int (*listen)(const char *name, char *suffix, struct pstream **);
    void (*close)(struct pstream *);
    int (*accept)(struct pstream *, struct stream **);
    void (*wait)(struct pstream *);
};

/* Streams over a connected socket fd (stream-fd.c), shared by classes. */
int new_fd_stream(char *name, int fd, int connect_status,
                  struct stream **streamp);
/* Listeners over a listening socket fd.  ACCEPT_CB turns an accepted fd
 * into a stream (naming it after the peer).  UNLINK_PATH, if nonnull, is
 * unlinked when the pstream closes. */
int new_fd_pstream(char *name, int fd,
                   int (*accept_cb)(int fd, const struct sockaddr_storage *,
                                    size_t, struct stream **),
                   char *unlink_path, struct pstream **pstreamp);

extern const struct stream_class unix_stream_class;
extern const struct pstream_class punix_pstream_class;
extern const struct stream_class tcp_stream_class;
extern const struct pstream_class ptcp_pstream_class;
extern const struct stream_class ssl_stream_class;
extern const struct pstream_class pssl_pstream_class;

/* Helpers for the tcp and ssl classes (stream-tcp.c). */
struct sockaddr_storage;
/* Returns a new name "PREFIX:ADDRESS:PORT" for the peer SS
 * ("tcp:10.0.0.2:5555", "ssl:[::1]:5555"). */
char *stream_name_from_peer(const char *prefix,
                            const struct sockaddr_storage *ss);
/* Returns a new name "PREFIX:PORT:ADDRESS" for the bound address SS
 * ("ptcp:41234:127.0.0.1"). */
char *pstream_name_from_bound(const char *prefix,
                              const struct sockaddr_storage *ss);

#endif /* stream-provider.h */
