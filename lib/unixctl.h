/* unixctl: run-time control of daemons over a unix socket, wire-compatible
 * with Open vSwitch's ovs-appctl.
 *
 * Requests are JSON-RPC requests whose method is the command name and
 * whose params are an array of strings; replies carry a string result or a
 * string error. */
#ifndef UNIXCTL_H
#define UNIXCTL_H 1

#include <stdbool.h>

struct unixctl_server;
struct unixctl_conn;

/* Command callback: ARGV[0] is the command name, ARGV[1..ARGC-1] the
 * arguments.  It must eventually call unixctl_command_reply() or
 * unixctl_command_reply_error() exactly once (possibly later, from the main
 * loop, as long as CONN is used before the loop runs the server again). */
typedef void unixctl_cb_func(struct unixctl_conn *conn, int argc,
                             const char *argv[], void *aux);

/* Registers command NAME with USAGE (argument summary shown by
 * list-commands and in arity errors), accepting MIN..MAX arguments.
 * Registering an existing name replaces it. */
void unixctl_command_register(const char *name, const char *usage,
                              int min_args, int max_args,
                              unixctl_cb_func *cb, void *aux);
/* Replies with success; BODY may be NULL (empty). */
void unixctl_command_reply(struct unixctl_conn *, const char *body);
/* Replies with an error; BODY may be NULL. */
void unixctl_command_reply_error(struct unixctl_conn *, const char *body);

/* Creates a server listening at PATH:
 *   NULL:     punix:$VS_RUNDIR/PROGRAM.PID.ctl
 *   "none":   no server (*SERVERP = NULL, returns 0)
 *   relative: relative to $VS_RUNDIR; absolute: as given.
 * The socket is mode 0600 and unlinked on exit and fatal signals.
 * Registers the built-ins list-commands and version, and those of vlog,
 * coverage, memory and timeval.  Returns 0 or a positive errno. */
int unixctl_server_create(const char *path, struct unixctl_server **);
void unixctl_server_run(struct unixctl_server *);
void unixctl_server_wait(struct unixctl_server *);
void unixctl_server_destroy(struct unixctl_server *);
const char *unixctl_server_get_path(const struct unixctl_server *);
/* Number of connected clients. */
unsigned int unixctl_server_n_conns(const struct unixctl_server *);

/* Largest request accepted from a client: larger ones drop it. */
#define UNIXCTL_MAX_REQUEST_SIZE (1024 * 1024)

/* Client side. */
struct jsonrpc;
/* Connects to the socket PATH.  Returns 0 or a positive errno. */
int unixctl_client_create(const char *path, struct jsonrpc **client);
/* Runs COMMAND with ARGC ARGV.  On success returns 0 and stores either the
 * result in *RESULT (caller frees) or the error in *ERR (caller frees);
 * exactly one is nonnull.  Returns a positive errno on transport failure.
 * TIMEOUT_MSEC <= 0 waits forever. */
int unixctl_client_transact(struct jsonrpc *client, const char *command,
                            int argc, char *argv[],
                            long long int timeout_msec,
                            char **result, char **err);

/* Resolves an appctl target: a path if it contains '/', else a program
 * name looked up through $VS_RUNDIR/NAME.pid.  Returns a new socket path,
 * or NULL with a message for people in *ERRORP (caller frees). */
char *unixctl_target_to_path(const char *target, char **errorp);

#endif /* unixctl.h */
