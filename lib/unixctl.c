/* unixctl: run-time control of daemons over a unix socket, wire-compatible
 * with Open vSwitch's ovs-appctl. */
#include <config.h>

#include "unixctl.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "coverage.h"
#include "daemon.h"
#include "dirs.h"
#include "dynamic-string.h"
#include "jsonrpc.h"
#include "list.h"
#include "memory.h"
#include "poll-loop.h"
#include "shash.h"
#include "stream.h"
#include "timeval.h"
#include "util.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(unixctl);

COVERAGE_DEFINE(unixctl_received);
COVERAGE_DEFINE(unixctl_replied);

struct unixctl_command {
    char *usage;                /* NULL: not shown by list-commands. */
    int min_args, max_args;
    unixctl_cb_func *cb;
    void *aux;
};

/* All registered commands, by name. */
static struct shash commands = SHASH_INITIALIZER(&commands);

struct unixctl_conn {
    struct vs_list node;        /* In server's 'conns' (unless orphaned). */
    struct jsonrpc *rpc;        /* NULL once orphaned. */

    /* The id of the request being processed, or NULL.  While a request is
     * pending no other request is read from this connection. */
    json_t *request_id;
};

struct unixctl_server {
    struct pstream *listener;
    struct vs_list conns;       /* Contains struct unixctl_conn. */
    unsigned int n_conns;
    char *path;                 /* Socket path. */
};

static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);

/* Commands. */

void
unixctl_command_register(const char *name, const char *usage,
                         int min_args, int max_args,
                         unixctl_cb_func *cb, void *aux)
{
    struct unixctl_command *command = xmalloc(sizeof *command);

    vs_assert(min_args >= 0 && min_args <= max_args);
    command->usage = usage ? xstrdup(usage) : NULL;
    command->min_args = min_args;
    command->max_args = max_args;
    command->cb = cb;
    command->aux = aux;

    struct unixctl_command *old = shash_replace(&commands, name, command);
    if (old) {
        free(old->usage);
        free(old);
    }
}

/* Sends the reply for CONN's pending request.  A connection whose client
 * went away while the request was pending ("orphaned") is freed here. */
static void
unixctl_command_reply__(struct unixctl_conn *conn, bool success,
                        const char *body)
{
    json_t *body_json;

    COVERAGE_INC(unixctl_replied);
    vs_assert(conn->request_id);

    if (!conn->rpc) {
        json_decref(conn->request_id);
        free(conn);
        return;
    }

    /* As Open vSwitch does: a nonempty body ends with a new-line. */
    if (!body) {
        body = "";
    }
    size_t len = strlen(body);
    if (len && body[len - 1] != '\n') {
        char *s = xasprintf("%s\n", body);
        body_json = json_string(s);
        free(s);
    } else {
        body_json = json_string(body);
    }
    if (!body_json) {
        /* jansson refuses strings that are not valid UTF-8. */
        body_json = json_string("(reply is not valid UTF-8)\n");
    }

    struct jsonrpc_msg *reply = (success
                                 ? jsonrpc_create_reply(body_json,
                                                        conn->request_id)
                                 : jsonrpc_create_error(body_json,
                                                        conn->request_id));
    json_decref(conn->request_id);
    conn->request_id = NULL;

    /* An error here shows up in jsonrpc_get_status() on the next run. */
    jsonrpc_send(conn->rpc, reply);
}

void
unixctl_command_reply(struct unixctl_conn *conn, const char *body)
{
    unixctl_command_reply__(conn, true, body);
}

void
unixctl_command_reply_error(struct unixctl_conn *conn, const char *body)
{
    unixctl_command_reply__(conn, false, body);
}

static void
unixctl_list_commands(struct unixctl_conn *conn, int argc VS_UNUSED,
                      const char *argv[] VS_UNUSED, void *aux VS_UNUSED)
{
    struct ds ds = DS_EMPTY_INITIALIZER;
    const struct shash_node **nodes = shash_sort(&commands);
    size_t n = shash_count(&commands);

    ds_put_cstr(&ds, "The available commands are:\n");
    for (size_t i = 0; i < n; i++) {
        const struct unixctl_command *command = nodes[i]->data;
        if (command->usage) {
            ds_put_format(&ds, "  %-23s %s\n", nodes[i]->name,
                          command->usage);
        }
    }
    free(nodes);

    unixctl_command_reply(conn, ds_cstr(&ds));
    ds_destroy(&ds);
}

static void
unixctl_version(struct unixctl_conn *conn, int argc VS_UNUSED,
                const char *argv[] VS_UNUSED, void *aux VS_UNUSED)
{
    char *version = xasprintf("%s (%s) %s\n", program_name, PACKAGE_NAME,
                              PACKAGE_VERSION);
    unixctl_command_reply(conn, version);
    free(version);
}

/* Server. */

int
unixctl_server_create(const char *path, struct unixctl_server **serverp)
{
    struct pstream *listener;
    char *abs_path;
    int error;

    *serverp = NULL;
    if (path && !strcmp(path, "none")) {
        return 0;
    }

    abs_path = (path
                ? abs_file_name(vs_rundir(), path)
                : xasprintf("%s/%s.%ld.ctl", vs_rundir(), program_name,
                            (long int) getpid()));
    char *punix_path = xasprintf("punix:%s", abs_path);
    error = pstream_open(punix_path, &listener);
    if (error) {
        VLOG_ERR("%s: could not initialize control socket (%s)",
                 punix_path, vs_strerror(error));
        free(punix_path);
        free(abs_path);
        return error;
    }
    free(punix_path);

    unixctl_command_register("list-commands", "", 0, 0,
                             unixctl_list_commands, NULL);
    unixctl_command_register("version", "", 0, 0, unixctl_version, NULL);
    vlog_register_commands();
    coverage_register_commands();
    memory_register_commands();
    time_register_commands();

    struct unixctl_server *server = xmalloc(sizeof *server);
    server->listener = listener;
    vs_list_init(&server->conns);
    server->n_conns = 0;
    server->path = abs_path;
    *serverp = server;
    return 0;
}

static void
process_command(struct unixctl_conn *conn, struct jsonrpc_msg *request)
{
    const struct unixctl_command *command;
    size_t n_params = json_array_size(request->params);
    char *error = NULL;

    COVERAGE_INC(unixctl_received);
    conn->request_id = json_incref(request->id);

    if (VLOG_IS_DBG_ENABLED()) {
        char *params_s = json_dumps(request->params, JSON_COMPACT);
        char *id_s = json_dumps(request->id,
                                JSON_COMPACT | JSON_ENCODE_ANY);
        VLOG_DBG("received request %s%s, id=%s", request->method,
                 params_s ? params_s : "", id_s ? id_s : "");
        free(params_s);
        free(id_s);
    }

    command = shash_find_data(&commands, request->method);
    if (!command) {
        error = xasprintf("\"%s\" is not a valid command (use "
                          "\"list-commands\" to see a list of valid "
                          "commands)", request->method);
    } else if (n_params < (size_t) command->min_args) {
        error = xasprintf("\"%s\" command requires at least %d arguments "
                          "(usage: %s%s%s)", request->method,
                          command->min_args, request->method,
                          command->usage && command->usage[0] ? " " : "",
                          command->usage ? command->usage : "");
    } else if (n_params > (size_t) command->max_args) {
        error = xasprintf("\"%s\" command takes at most %d arguments "
                          "(usage: %s%s%s)", request->method,
                          command->max_args, request->method,
                          command->usage && command->usage[0] ? " " : "",
                          command->usage ? command->usage : "");
    } else {
        const char **argv = xmalloc((n_params + 2) * sizeof *argv);

        argv[0] = request->method;
        for (size_t i = 0; i < n_params; i++) {
            json_t *param = json_array_get(request->params, i);
            if (!json_is_string(param)) {
                error = xasprintf("\"%s\" command has non-string argument",
                                  request->method);
                break;
            }
            argv[i + 1] = json_string_value(param);
        }
        argv[n_params + 1] = NULL;

        if (!error) {
            command->cb(conn, n_params + 1, argv, command->aux);
        }
        free(argv);
    }

    if (error) {
        unixctl_command_reply_error(conn, error);
        free(error);
    }
}

/* Does the work for CONN.  Returns 0 or EAGAIN while the connection is
 * healthy, otherwise an error that means the connection must go. */
static int
run_connection(struct unixctl_conn *conn)
{
    int error;

    jsonrpc_run(conn->rpc);
    error = jsonrpc_get_status(conn->rpc);
    if (error || jsonrpc_get_backlog(conn->rpc)) {
        /* A client that does not read its replies is not read from either,
         * so it cannot make us queue unbounded output. */
        return error;
    }

    for (int i = 0; i < 10 && !conn->request_id; i++) {
        struct jsonrpc_msg *msg;

        error = jsonrpc_recv(conn->rpc, &msg);
        if (error) {
            return error;
        }
        if (msg->type == JSONRPC_REQUEST) {
            process_command(conn, msg);
        } else {
            VLOG_WARN_RL(&rl, "%s: received unexpected %s message",
                         jsonrpc_get_name(conn->rpc),
                         jsonrpc_msg_type_to_string(msg->type));
            error = EINVAL;
        }
        jsonrpc_msg_destroy(msg);
        if (error) {
            return error;
        }
        error = jsonrpc_get_status(conn->rpc);
        if (error || jsonrpc_get_backlog(conn->rpc)) {
            return error;
        }
    }
    return 0;
}

static void
kill_connection(struct unixctl_server *server, struct unixctl_conn *conn,
                int error)
{
    if (error == EOF) {
        VLOG_DBG("%s: connection closed", jsonrpc_get_name(conn->rpc));
    } else {
        VLOG_DBG("%s: dropping connection (%s)",
                 jsonrpc_get_name(conn->rpc), vs_strerror(error));
    }

    vs_list_remove(&conn->node);
    server->n_conns--;
    jsonrpc_close(conn->rpc);
    conn->rpc = NULL;

    if (conn->request_id) {
        /* The command still holds CONN and will reply later: free it
         * then. */
        return;
    }
    free(conn);
}

void
unixctl_server_run(struct unixctl_server *server)
{
    struct unixctl_conn *conn;

    if (!server) {
        return;
    }

    for (int i = 0; i < 10; i++) {
        struct stream *stream;
        int error = pstream_accept(server->listener, &stream);

        if (!error) {
            conn = xzalloc(sizeof *conn);
            conn->rpc = jsonrpc_open(stream);
            jsonrpc_set_max_msg_size(conn->rpc, UNIXCTL_MAX_REQUEST_SIZE);
            vs_list_push_back(&server->conns, &conn->node);
            server->n_conns++;
        } else if (error == EAGAIN) {
            break;
        } else {
            VLOG_WARN_RL(&rl, "%s: accept failed: %s",
                         pstream_get_name(server->listener),
                         vs_strerror(error));
            break;
        }
    }

    LIST_FOR_EACH_SAFE (conn, node, &server->conns) {
        int error = run_connection(conn);
        if (error && error != EAGAIN) {
            kill_connection(server, conn, error);
        }
    }
}

void
unixctl_server_wait(struct unixctl_server *server)
{
    struct unixctl_conn *conn;

    if (!server) {
        return;
    }

    pstream_wait(server->listener);
    LIST_FOR_EACH (conn, node, &server->conns) {
        jsonrpc_wait(conn->rpc);
        if (jsonrpc_get_status(conn->rpc)) {
            poll_immediate_wake();
        } else if (!jsonrpc_get_backlog(conn->rpc) && !conn->request_id) {
            jsonrpc_recv_wait(conn->rpc);
        }
    }
}

void
unixctl_server_destroy(struct unixctl_server *server)
{
    if (server) {
        struct unixctl_conn *conn;

        LIST_FOR_EACH_SAFE (conn, node, &server->conns) {
            kill_connection(server, conn, EOF);
        }
        pstream_close(server->listener);
        free(server->path);
        free(server);
    }
}

const char *
unixctl_server_get_path(const struct unixctl_server *server)
{
    return server ? server->path : NULL;
}

unsigned int
unixctl_server_n_conns(const struct unixctl_server *server)
{
    return server ? server->n_conns : 0;
}

/* Client. */

int
unixctl_client_create(const char *path, struct jsonrpc **client)
{
    struct stream *stream;
    int error;

    *client = NULL;

    char *abs_path = abs_file_name(vs_rundir(), path);
    char *unix_path = xasprintf("unix:%s", abs_path);
    free(abs_path);

    error = stream_open_block(stream_open(unix_path, &stream), -1, &stream);
    free(unix_path);
    if (error) {
        VLOG_DBG("failed to connect to %s (%s)", path, vs_strerror(error));
        return error;
    }

    *client = jsonrpc_open(stream);
    return 0;
}

/* Returns a copy of the string in BODY, or if BODY is some other JSON
 * value, its serialization (Open vSwitch only sends strings). */
static char *
body_to_string(const json_t *body)
{
    if (json_is_string(body)) {
        return xstrdup(json_string_value(body));
    }

    char *s = json_dumps(body, JSON_COMPACT | JSON_ENCODE_ANY);
    char *result = xasprintf("%s\n", s ? s : "null");
    free(s);
    return result;
}

int
unixctl_client_transact(struct jsonrpc *client, const char *command,
                        int argc, char *argv[], long long int timeout_msec,
                        char **result, char **err)
{
    long long int deadline = (timeout_msec > 0
                              ? time_msec() + timeout_msec
                              : LLONG_MAX);
    struct jsonrpc_msg *reply = NULL;
    json_t *params = json_array();
    json_t *id;
    int error;

    *result = NULL;
    *err = NULL;

    for (int i = 0; i < argc; i++) {
        json_t *arg = json_string(argv[i]);
        if (!arg) {
            json_decref(params);
            return EILSEQ;      /* Not valid UTF-8. */
        }
        json_array_append_new(params, arg);
    }

    struct jsonrpc_msg *request = jsonrpc_create_request(command, params,
                                                         &id);
    error = jsonrpc_send(client, request);
    while (!error) {
        jsonrpc_run(client);
        error = jsonrpc_recv(client, &reply);
        if (!error) {
            if ((reply->type == JSONRPC_REPLY
                 || reply->type == JSONRPC_ERROR)
                && json_equal(reply->id, id)) {
                break;
            }
            jsonrpc_msg_destroy(reply);
            reply = NULL;
            continue;
        } else if (error != EAGAIN) {
            break;
        }

        error = 0;
        if (time_msec() >= deadline) {
            error = ETIMEDOUT;
            break;
        }
        jsonrpc_wait(client);
        jsonrpc_recv_wait(client);
        if (deadline != LLONG_MAX) {
            poll_timer_wait_until(deadline);
        }
        poll_block();
    }
    json_decref(id);

    if (error) {
        /* The server closed the connection without replying. */
        return error == EOF ? ECONNRESET : error;
    }

    if (reply->type == JSONRPC_ERROR) {
        *err = body_to_string(reply->error);
    } else {
        *result = body_to_string(reply->result);
    }
    jsonrpc_msg_destroy(reply);
    return 0;
}

char *
unixctl_target_to_path(const char *target, char **errorp)
{
    *errorp = NULL;

    if (strchr(target, '/')) {
        /* A socket path.  A relative one is relative to the current
         * directory, as users expect on a command line. */
        if (target[0] == '/') {
            return xstrdup(target);
        }
        char *cwd = getcwd(NULL, 0);
        if (!cwd) {
            *errorp = xasprintf("cannot get current directory (%s)",
                                vs_strerror(errno));
            return NULL;
        }
        while (target[0] == '.' && target[1] == '/') {
            target += 2;
        }
        char *path = abs_file_name(cwd, target);
        free(cwd);
        return path;
    }

    char *pidfile = xasprintf("%s/%s.pid", vs_rundir(), target);
    pid_t pid = read_pidfile(pidfile);
    if (pid < 0) {
        *errorp = xasprintf("cannot read pidfile \"%s\" (%s)", pidfile,
                            vs_strerror(-pid));
        free(pidfile);
        return NULL;
    }
    free(pidfile);
    return xasprintf("%s/%s.%ld.ctl", vs_rundir(), target, (long int) pid);
}
