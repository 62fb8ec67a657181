/* ovsdb-idl: generic client-side replica of an OVSDB database.
 * See ovsdb-idl.h for the contract.
 *
 * This file is the session: the IDL's life cycle and its conversation with
 * the server over a jsonrpc_session.  On each (re)connection it asks for
 * the schema, then monitors what is registered ("monitor_cond", falling
 * back to "monitor" for a server that does not know it), hands the replies
 * and the update notifications to the replica (ovsdb-idl-update.c), keeps
 * the lock, and passes transaction replies on (ovsdb-idl-txn.c).  See
 * ovsdb-idl-private.h for the layout of the IDL's files. */
#include <config.h>

#include "ovsdb-idl.h"
#include "ovsdb-idl-private.h"

#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "coverage.h"
#include "jsonrpc.h"
#include "jsonrpc-session.h"
#include "ovsdb-error.h"
#include "ovsdb-schema.h"
#include "poll-loop.h"
#include "util.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(ovsdb_idl);

COVERAGE_DEFINE(idl_update);

struct vlog_rate_limit idl_rl = VLOG_RATE_LIMIT_INIT(10, 10);

static void idl_handle_msg(struct ovsdb_idl *, struct jsonrpc_msg *);
static void idl_send_lock_request(struct ovsdb_idl *);

/* ------------------------------------------------------------------ */
/* Life cycle.                                                         */
/* ------------------------------------------------------------------ */

struct ovsdb_idl *
ovsdb_idl_create(const char *remote, const char *db_name, bool retry)
{
    struct ovsdb_idl *idl = xzalloc(sizeof *idl);

    idl->db_name = xstrdup(db_name);
    idl->session = jsonrpc_session_open(remote, retry);
    idl->session_seqno = UINT_MAX;
    idl->retry = retry;
    idl->state = IDL_S_DISCONNECTED;
    idl->monitor_id = json_string("vs-idl");
    idl_replica_init(idl);
    return idl;
}

void
ovsdb_idl_destroy(struct ovsdb_idl *idl)
{
    if (!idl) {
        return;
    }
    ovsdb_idl_txn_destroy(idl->txn);
    jsonrpc_session_close(idl->session);

    idl_replica_destroy(idl);
    json_decref(idl->request_id);
    json_decref(idl->lock_request_id);
    json_decref(idl->monitor_id);
    free(idl->lock_name);
    free(idl->error_message);
    free(idl->db_name);
    free(idl);
}

/* ------------------------------------------------------------------ */
/* Connection handling.                                                */
/* ------------------------------------------------------------------ */

static void
idl_set_fatal(struct ovsdb_idl *idl, const char *format, ...)
    VS_PRINTF_FORMAT(2, 3);

static void
idl_set_fatal(struct ovsdb_idl *idl, const char *format, ...)
{
    va_list args;

    free(idl->error_message);
    va_start(args, format);
    idl->error_message = xvasprintf(format, args);
    va_end(args);

    VLOG_WARN_RL(&idl_rl, "%s: %s", jsonrpc_session_get_name(idl->session),
                 idl->error_message);
    if (idl->retry) {
        jsonrpc_session_force_reconnect(idl->session);
    } else {
        idl->fatal = true;
    }
    idl->state = IDL_S_DISCONNECTED;
}

void
idl_send(struct ovsdb_idl *idl, const char *method, json_t *params,
         json_t **idp)
{
    if (idp) {
        json_decref(*idp);
        *idp = NULL;
    }
    struct jsonrpc_msg *msg = jsonrpc_create_request(method, params, idp);
    jsonrpc_session_send(idl->session, msg);
}

static void
idl_send_schema_request(struct ovsdb_idl *idl)
{
    idl_send(idl, "get_schema", json_pack("[s]", idl->db_name),
             &idl->request_id);
    idl->state = IDL_S_SCHEMA_REQUESTED;
}

void
ovsdb_idl_run(struct ovsdb_idl *idl)
{
    idl_gc(idl);
    if (idl->fatal) {
        return;
    }

    jsonrpc_session_run(idl->session);

    unsigned int seqno = jsonrpc_session_get_seqno(idl->session);
    if (seqno != idl->session_seqno) {
        idl->session_seqno = seqno;
        idl_txn_disconnected(idl);
        if (idl->has_lock || idl->is_lock_contended) {
            idl->has_lock = false;
            idl->is_lock_contended = false;
            idl->seqno++;
        }
        json_decref(idl->lock_request_id);
        idl->lock_request_id = NULL;
        idl->state = IDL_S_DISCONNECTED;
        if (jsonrpc_session_is_connected(idl->session)) {
            idl_send_schema_request(idl);
            if (idl->lock_name) {
                idl_send_lock_request(idl);
            }
        }
    }

    /* Bound the work per call so a flood cannot starve the caller. */
    for (int i = 0; i < 50; i++) {
        struct jsonrpc_msg *msg = jsonrpc_session_recv(idl->session);
        if (!msg) {
            break;
        }
        idl_handle_msg(idl, msg);
        jsonrpc_msg_destroy(msg);
        if (idl->fatal || idl->session_seqno
            != jsonrpc_session_get_seqno(idl->session)) {
            break;
        }
        if (i == 49) {
            poll_immediate_wake();
        }
    }
}

void
ovsdb_idl_wait(struct ovsdb_idl *idl)
{
    if (idl->fatal) {
        return;
    }
    jsonrpc_session_wait(idl->session);
    jsonrpc_session_recv_wait(idl->session);
    if (!vs_list_is_empty(&idl->gc)) {
        /* Nothing to do: freed at the next run. */
    }
}

unsigned int
ovsdb_idl_get_seqno(const struct ovsdb_idl *idl)
{
    return idl->seqno;
}

unsigned int
ovsdb_idl_get_resync_seqno(const struct ovsdb_idl *idl)
{
    return idl->resync_seqno;
}

bool
ovsdb_idl_is_connected(const struct ovsdb_idl *idl)
{
    return idl->state == IDL_S_MONITORING
           && jsonrpc_session_is_connected(idl->session);
}

bool
ovsdb_idl_has_ever_connected(const struct ovsdb_idl *idl)
{
    return idl->ever_connected;
}

bool
ovsdb_idl_is_alive(const struct ovsdb_idl *idl)
{
    return !idl->fatal && jsonrpc_session_is_alive(idl->session);
}

int
ovsdb_idl_get_last_error(const struct ovsdb_idl *idl)
{
    int error = jsonrpc_session_get_status(idl->session);
    return error ? error : jsonrpc_session_get_last_error(idl->session);
}

const char *
ovsdb_idl_get_error_message(const struct ovsdb_idl *idl)
{
    return idl->error_message;
}

const char *
ovsdb_idl_get_remote(const struct ovsdb_idl *idl)
{
    return jsonrpc_session_get_name(idl->session);
}

void
ovsdb_idl_force_reconnect(struct ovsdb_idl *idl)
{
    jsonrpc_session_force_reconnect(idl->session);
}

void
ovsdb_idl_set_probe_interval(struct ovsdb_idl *idl, int probe_interval)
{
    jsonrpc_session_set_probe_interval(idl->session, probe_interval);
}

/* ------------------------------------------------------------------ */
/* Schema and monitoring.                                              */
/* ------------------------------------------------------------------ */

static void
idl_send_monitor_request(struct ovsdb_idl *idl)
{
    idl_send(idl, idl->use_update2 ? "monitor_cond" : "monitor",
             json_pack("[sOo]", idl->db_name, idl->monitor_id,
                       idl_monitor_requests(idl, idl->use_update2)),
             &idl->request_id);
    idl->state = IDL_S_MONITOR_REQUESTED;
}

/* Is ERROR (a JSON-RPC error member) "unknown method"? */
static bool
is_unknown_method(const json_t *error)
{
    const char *s = json_string_value(error);
    if (!s && json_is_object(error)) {
        s = json_string_value(json_object_get(error, "error"));
    }
    return s && !strcmp(s, "unknown method");
}

char *
idl_error_to_string(const json_t *error)
{
    if (json_is_string(error)) {
        return xstrdup(json_string_value(error));
    } else if (json_is_object(error)
               && json_is_string(json_object_get(error, "error"))) {
        const char *tag = json_string_value(json_object_get(error, "error"));
        const char *details = json_string_value(json_object_get(error,
                                                                "details"));
        return details ? xasprintf("%s: %s", tag, details) : xstrdup(tag);
    } else {
        char *s = json_dumps(error, JSON_COMPACT | JSON_SORT_KEYS
                             | JSON_ENCODE_ANY);
        return s ? s : xstrdup("unknown error");
    }
}

static void
idl_handle_schema_reply(struct ovsdb_idl *idl, const struct jsonrpc_msg *msg)
{
    if (msg->type == JSONRPC_ERROR) {
        char *s = idl_error_to_string(msg->error);
        idl_set_fatal(idl, "database %s: get_schema failed (%s)",
                      idl->db_name, s);
        free(s);
        return;
    }

    struct ovsdb_schema *schema;
    struct ovsdb_error *error = ovsdb_schema_from_json(msg->result, &schema);
    if (error) {
        char *s = ovsdb_error_to_string_free(error);
        idl_set_fatal(idl, "database %s: bad schema from server (%s)",
                      idl->db_name, s);
        free(s);
        return;
    }
    idl_install_schema(idl, schema);
    idl->use_update2 = true;
    idl_send_monitor_request(idl);
}

static void
idl_handle_monitor_reply(struct ovsdb_idl *idl, const struct jsonrpc_msg *msg)
{
    if (msg->type == JSONRPC_ERROR) {
        if (idl->use_update2 && is_unknown_method(msg->error)) {
            VLOG_DBG("%s: monitor_cond not supported, using monitor",
                     jsonrpc_session_get_name(idl->session));
            idl->use_update2 = false;
            idl_send_monitor_request(idl);
            return;
        }
        char *s = idl_error_to_string(msg->error);
        idl_set_fatal(idl, "database %s: monitor request failed (%s)",
                      idl->db_name, s);
        free(s);
        return;
    }
    idl_process_snapshot(idl, msg->result, idl->use_update2);
    idl->state = IDL_S_MONITORING;
    idl->resync_seqno++;
    if (!idl->ever_connected) {
        idl->ever_connected = true;
        idl->changed = true;
    }
    idl_finish_change(idl);
    free(idl->error_message);
    idl->error_message = NULL;
}

static void
idl_handle_update(struct ovsdb_idl *idl, const struct jsonrpc_msg *msg,
                  bool update2)
{
    if (idl->state != IDL_S_MONITORING || !json_is_array(msg->params)
        || json_array_size(msg->params) < 2
        || !json_equal(json_array_get(msg->params, 0), idl->monitor_id)) {
        return;
    }
    COVERAGE_INC(idl_update);
    bool ok = idl_process_table_updates(idl, json_array_get(msg->params, 1),
                                        update2);
    idl_finish_change(idl);
    if (!ok) {
        /* Our replica disagrees with the server: start over. */
        VLOG_WARN_RL(&idl_rl, "%s: replica out of sync, reconnecting",
                     jsonrpc_session_get_name(idl->session));
        jsonrpc_session_force_reconnect(idl->session);
    }
}

/* ------------------------------------------------------------------ */
/* Locks.                                                              */
/* ------------------------------------------------------------------ */

static void
idl_send_lock_request(struct ovsdb_idl *idl)
{
    idl_send(idl, "lock", json_pack("[s]", idl->lock_name),
             &idl->lock_request_id);
}

static void
idl_update_lock(struct ovsdb_idl *idl, bool has_lock, bool contended)
{
    if (idl->has_lock != has_lock || idl->is_lock_contended != contended) {
        idl->has_lock = has_lock;
        idl->is_lock_contended = contended;
        idl->seqno++;
    }
}

void
ovsdb_idl_set_lock(struct ovsdb_idl *idl, const char *lock_name)
{
    if (idl->lock_name && lock_name && !strcmp(idl->lock_name, lock_name)) {
        return;
    }
    if (idl->lock_name) {
        if (jsonrpc_session_is_connected(idl->session)) {
            idl_send(idl, "unlock", json_pack("[s]", idl->lock_name), NULL);
        }
        free(idl->lock_name);
        idl->lock_name = NULL;
        json_decref(idl->lock_request_id);
        idl->lock_request_id = NULL;
        idl_update_lock(idl, false, false);
    }
    if (lock_name) {
        idl->lock_name = xstrdup(lock_name);
        if (jsonrpc_session_is_connected(idl->session)) {
            idl_send_lock_request(idl);
        }
    }
}

bool
ovsdb_idl_has_lock(const struct ovsdb_idl *idl)
{
    return idl->has_lock;
}

bool
ovsdb_idl_is_lock_contended(const struct ovsdb_idl *idl)
{
    return idl->is_lock_contended;
}

static bool
lock_notify_matches(const struct ovsdb_idl *idl, const json_t *params)
{
    return (idl->lock_name && json_is_array(params)
            && json_is_string(json_array_get(params, 0))
            && !strcmp(json_string_value(json_array_get(params, 0)),
                       idl->lock_name));
}

/* ------------------------------------------------------------------ */
/* Incoming messages.                                                  */
/* ------------------------------------------------------------------ */

static void
idl_handle_msg(struct ovsdb_idl *idl, struct jsonrpc_msg *msg)
{
    if (msg->type == JSONRPC_NOTIFY) {
        if (!strcmp(msg->method, "update2")) {
            idl_handle_update(idl, msg, true);
        } else if (!strcmp(msg->method, "update")) {
            idl_handle_update(idl, msg, false);
        } else if (!strcmp(msg->method, "locked")) {
            if (lock_notify_matches(idl, msg->params)) {
                idl_update_lock(idl, true, false);
            }
        } else if (!strcmp(msg->method, "stolen")) {
            if (lock_notify_matches(idl, msg->params)) {
                idl_update_lock(idl, false, true);
            }
        }
        return;
    }
    if (msg->type == JSONRPC_REQUEST) {
        /* "echo" is answered by the session; nothing else is expected. */
        return;
    }

    /* Replies. */
    if (idl->request_id && json_equal(msg->id, idl->request_id)) {
        json_decref(idl->request_id);
        idl->request_id = NULL;
        if (idl->state == IDL_S_SCHEMA_REQUESTED) {
            idl_handle_schema_reply(idl, msg);
        } else if (idl->state == IDL_S_MONITOR_REQUESTED) {
            idl_handle_monitor_reply(idl, msg);
        }
    } else if (idl->lock_request_id
               && json_equal(msg->id, idl->lock_request_id)) {
        json_decref(idl->lock_request_id);
        idl->lock_request_id = NULL;
        if (msg->type == JSONRPC_REPLY) {
            bool locked = json_is_true(json_object_get(msg->result,
                                                       "locked"));
            idl_update_lock(idl, locked, !locked);
        } else {
            char *s = idl_error_to_string(msg->error);
            VLOG_WARN_RL(&idl_rl, "lock %s: %s", idl->lock_name, s);
            free(s);
        }
    } else {
        idl_txn_handle_reply(idl, msg);
    }
}
