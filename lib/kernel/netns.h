/* Network namespaces: resolve, create, delete, and run code inside one.
 *
 * A namespace is named by a "spec":
 *
 *   NAME        a named namespace, /run/netns/NAME, as "ip netns" makes
 *               them (a bind mount of the namespace, so it lives without
 *               any process in it).  NAME may not be empty, ".", "..",
 *               contain '/', or be longer than NAME_MAX.
 *   pid:PID     the namespace of process PID (/proc/PID/ns/net).
 *   /PATH       any file that refers to a network namespace (an absolute
 *               path: a bind mount, /proc/PID/task/TID/ns/net, ...).
 *   NULL or ""  the namespace the calling thread is in ("the current
 *               network namespace").
 *
 * Error reporting: functions that can fail return 0 or a positive errno
 * value and, if ERRP is nonnull, store in *ERRP a message for people
 * ("network namespace 'c7' not found") that the caller must free(), or
 * NULL on success.
 *
 * The calling thread never stays in another namespace: netns_call() enters
 * the target namespace, runs a function and switches back before returning
 * (and aborts the process if it cannot switch back, rather than keep
 * running in the wrong namespace).
 *
 * Not thread-safe: use from one thread (the daemon's main thread). */
#ifndef NETNS_H
#define NETNS_H 1

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Directory that holds named namespaces, as in iproute2. */
#define NETNS_RUN_DIR "/run/netns"

struct netns;

/* Resolves SPEC (see above) and opens the namespace, storing a new handle
 * in *NSP (NULL on failure).  Fails with ENOENT ("network namespace 'c7'
 * not found"), ESRCH (no such process), EINVAL (bad name, or the file is
 * not a network namespace), or whatever open() reports.  Does not block. */
int netns_open(const char *spec, struct netns **nsp, char **errp);

/* Closes NS.  netns_close(NULL) is a no-op. */
void netns_close(struct netns *ns);

/* Returns a description of NS for messages: "network namespace 'c1'",
 * "network namespace of pid 42", "network namespace '/x/y'" or "the current
 * network namespace".  Valid as long as NS. */
const char *netns_describe(const struct netns *ns);

/* Returns the spec NS was opened with, or NULL for the current namespace.
 * Valid as long as NS. */
const char *netns_spec(const struct netns *ns);

/* Returns an open, close-on-exec fd referring to NS (for IFLA_NET_NS_FD);
 * owned by NS. */
int netns_fd(const struct netns *ns);

/* Identity of a namespace: two handles refer to the same namespace iff
 * their ids are equal. */
struct netns_id {
    dev_t dev;
    ino_t ino;
};
struct netns_id netns_get_id(const struct netns *ns);
bool netns_id_equals(struct netns_id a, struct netns_id b);

/* Returns true if NS is the namespace the calling thread is in. */
bool netns_is_current(const struct netns *ns);

/* Runs FUNC(AUX) with the calling thread inside NS, switches back, and
 * returns FUNC's return value.  If NS is the current namespace, simply
 * calls FUNC.  If the thread cannot enter NS, FUNC is not called and a
 * positive errno is returned (with a message in *ERRP).  FUNC must not
 * call netns_call() itself and must not fork or create threads that are
 * expected to stay in NS.  Aborts if switching back fails. */
int netns_call(const struct netns *ns, int (*func)(void *aux), void *aux,
               char **errp);

/* Checks that NAME can be the name of a namespace under NETNS_RUN_DIR.
 * Returns 0 or EINVAL ("invalid network namespace name 'a/b'"). */
int netns_validate_name(const char *name, char **errp);

/* Creates the named network namespace NAME the way "ip netns add" does:
 * makes NETNS_RUN_DIR a shared mount point if needed, creates
 * NETNS_RUN_DIR/NAME, and bind-mounts a fresh network namespace on it from
 * a short-lived child process.  Fails with EEXIST ("network namespace 'c1'
 * already exists").  Blocks until the child exits (milliseconds). */
int netns_add(const char *name, char **errp);

/* Deletes the named network namespace NAME (unmount, then unlink), the way
 * "ip netns del" does.  The kernel destroys the namespace once nothing else
 * (process, open fd, socket) refers to it.  Fails with ENOENT ("network
 * namespace 'c7' not found"). */
int netns_del(const char *name, char **errp);

/* Returns true if the named namespace NAME exists. */
bool netns_exists(const char *name);

/* Stores in *NAMESP a sorted array of the names under NETNS_RUN_DIR and in
 * *N their number.  The caller frees each name and the array.  Returns 0
 * (also when the directory does not exist) or a positive errno. */
int netns_list(char ***namesp, size_t *n);

#endif /* netns.h */
