/* ovsdb-lite: JSON-RPC database server.  See server.h. */
#include <config.h>

#include "server.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include "coverage.h"
#include "database.h"
#include "dynamic-string.h"
#include "hash.h"
#include "jsonrpc.h"
#include "list.h"
#include "memory.h"
#include "monitor.h"
#include "ovsdb-data.h"
#include "ovsdb-error.h"
#include "ovsdb-schema.h"
#include "poll-loop.h"
#include "shash.h"
#include "storage.h"
#include "stream.h"
#include "timeval.h"
#include "transaction.h"
#include "util.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(server);

COVERAGE_DEFINE(server_accept);
COVERAGE_DEFINE(server_request);
COVERAGE_DEFINE(server_commit);
COVERAGE_DEFINE(server_session_run);
COVERAGE_DEFINE(server_deferred_reply);

/* Requests handled per session per turn, before the next session. */
#define SESSION_BUDGET 50

/* Connections accepted per listener per main loop iteration. */
#define ACCEPT_BATCH 1024

/* A session whose unsent output or replies waiting for the disk exceed
 * these is not read from until they shrink. */
#define THROTTLE_BACKLOG_BYTES (1024 * 1024)
#define THROTTLE_PENDING_MSGS 1000

/* A session whose client does not read is dropped when its unsent output
 * exceeds this. */
#define SESSION_MAX_BACKLOG_BYTES (256 * 1024 * 1024)

struct server_db {
    struct server *server;
    struct db *db;
    struct storage *storage;        /* NULL: in memory only. */
    uint64_t last_seqno;            /* Seqno of the last record written. */
    uint64_t flushed_durable;       /* Durable seqno at the last flush. */
    struct vs_list monitors;        /* Contains struct server_monitor. */
    struct vs_list triggers;        /* Contains struct trigger. */
    bool triggers_dirty;            /* Database changed since they ran. */
    bool compacting;                /* A compaction we started runs. */
    uint64_t n_failed_replacements; /* Last seen log statistic. */
};

struct remote {
    struct server *server;
    char *name;                     /* As given by the user. */
    struct pstream *listener;
};

struct session {
    struct vs_list node;            /* In server's 'sessions'. */
    struct vs_list ready_node;      /* In server's 'ready' or 'classic'. */
    bool ready;                     /* In 'ready'. */
    bool classic;                   /* No watch: run every iteration. */
    struct vs_list waiting_node;    /* In server's 'waiting'. */
    bool waiting;

    struct server *server;
    struct remote *remote;
    struct jsonrpc *rpc;
    struct poll_watch *watch;

    struct hmap monitors;           /* struct server_monitor by id hash. */
    struct vs_list triggers;        /* struct trigger. */
    struct vs_list lock_waiters;    /* struct lock_waiter. */
    struct vs_list pending;         /* struct pending: output waiting for
                                     * the disk, in order. */
    size_t n_pending;
};

/* A message waiting until 'sdb''s log is durable up to 'seqno'. */
struct pending {
    struct vs_list node;
    struct server_db *sdb;          /* NULL: no condition. */
    uint64_t seqno;
    struct jsonrpc_msg *msg;
};

struct server_monitor {
    struct hmap_node session_node;  /* In session's 'monitors'. */
    struct vs_list db_node;         /* In server_db's 'monitors'. */
    struct session *session;
    struct server_db *sdb;
    json_t *id;
    struct monitor *monitor;
};

/* A "transact" request blocked by "wait". */
struct trigger {
    struct vs_list session_node;
    struct vs_list db_node;
    struct session *session;
    struct server_db *sdb;
    json_t *id;
    json_t *params;
    long long int created;
    long long int deadline;         /* LLONG_MAX: none. */
};

struct lock {
    struct hmap_node node;          /* In server's 'locks'. */
    char *name;
    struct vs_list waiters;         /* The first one owns the lock. */
};

struct lock_waiter {
    struct vs_list lock_node;
    struct vs_list session_node;
    struct lock *lock;
    struct session *session;
};

struct server {
    struct shash dbs;               /* Name -> struct server_db *. */
    struct shash remotes;           /* Name -> struct remote *. */
    struct vs_list sessions;
    size_t n_sessions;
    struct vs_list ready;           /* Sessions to run. */
    struct vs_list classic;         /* Sessions without a watch. */
    struct vs_list waiting;         /* Sessions with pending output. */
    struct hmap locks;
    unsigned int n_failed_compactions;
};

static void session_close(struct session *);
static void session_send(struct session *, struct server_db *,
                         struct jsonrpc_msg *);
static void trigger_destroy(struct trigger *);
static void server_monitor_destroy(struct server_monitor *);
static void lock_waiter_remove(struct lock_waiter *);

/* Databases. */

struct server *
server_create(void)
{
    struct server *server = xzalloc(sizeof *server);

    shash_init(&server->dbs);
    shash_init(&server->remotes);
    vs_list_init(&server->sessions);
    vs_list_init(&server->ready);
    vs_list_init(&server->classic);
    vs_list_init(&server->waiting);
    hmap_init(&server->locks);
    return server;
}

void
server_destroy(struct server *server)
{
    struct shash_node *node;
    struct session *s;

    if (!server) {
        return;
    }
    LIST_FOR_EACH_SAFE (s, node, &server->sessions) {
        session_close(s);
    }
    SHASH_FOR_EACH (node, &server->remotes) {
        struct remote *r = node->data;
        pstream_close(r->listener);
        free(r->name);
        free(r);
    }
    shash_destroy(&server->remotes);
    SHASH_FOR_EACH (node, &server->dbs) {
        struct server_db *sdb = node->data;
        storage_close(sdb->storage);
        db_destroy(sdb->db);
        free(sdb);
    }
    shash_destroy(&server->dbs);
    hmap_destroy(&server->locks);
    free(server);
}

bool
server_add_db(struct server *server, struct db *db, struct storage *storage)
{
    struct server_db *sdb;

    if (shash_find(&server->dbs, db->name)) {
        return false;
    }
    sdb = xzalloc(sizeof *sdb);
    sdb->server = server;
    sdb->db = db;
    sdb->storage = storage;
    vs_list_init(&sdb->monitors);
    vs_list_init(&sdb->triggers);
    if (storage) {
        sdb->last_seqno = storage_written_seqno(storage);
        sdb->flushed_durable = storage_durable_seqno(storage);
    }
    db->aux = sdb;
    shash_add(&server->dbs, db->name, sdb);
    return true;
}

void
server_list_dbs(const struct server *server, struct ds *s)
{
    const struct shash_node **nodes = shash_sort(&server->dbs);

    for (size_t i = 0; i < shash_count(&server->dbs); i++) {
        ds_put_format(s, "%s\n", nodes[i]->name);
    }
    free(nodes);
}

/* Remotes. */

int
server_add_remote(struct server *server, const char *name, char **errorp)
{
    struct pstream *listener;
    struct remote *r;
    int error;

    *errorp = NULL;
    if (shash_find(&server->remotes, name)) {
        *errorp = xasprintf("%s: already a remote", name);
        return EEXIST;
    }
    if (!str_starts_with(name, "punix:") && !str_starts_with(name, "ptcp:")
        && !str_starts_with(name, "pssl:")) {
        *errorp = xasprintf("%s: not a passive remote (punix:, ptcp:, "
                            "pssl:)", name);
        return EAFNOSUPPORT;
    }
    error = pstream_open_with_default_ports(name, 6640, 6640, &listener);
    if (error) {
        *errorp = xasprintf("%s: listen failed (%s)", name,
                            vs_strerror(error));
        return error;
    }
    r = xzalloc(sizeof *r);
    r->server = server;
    r->name = xstrdup(name);
    r->listener = listener;
    shash_add(&server->remotes, name, r);
    VLOG_DBG("%s: listening", pstream_get_name(listener));
    return 0;
}

bool
server_remove_remote(struct server *server, const char *name)
{
    struct remote *r = shash_find_and_delete(&server->remotes, name);
    struct session *s;

    if (!r) {
        return false;
    }
    LIST_FOR_EACH_SAFE (s, node, &server->sessions) {
        if (s->remote == r) {
            session_close(s);
        }
    }
    pstream_close(r->listener);
    free(r->name);
    free(r);
    return true;
}

const char *
server_get_remote_bound_name(const struct server *server, const char *name)
{
    const struct remote *r = shash_find_data(&server->remotes, name);
    return r ? pstream_get_name(r->listener) : NULL;
}

void
server_list_remotes(const struct server *server, struct ds *s)
{
    const struct shash_node **nodes = shash_sort(&server->remotes);

    for (size_t i = 0; i < shash_count(&server->remotes); i++) {
        ds_put_format(s, "%s\n", nodes[i]->name);
    }
    free(nodes);
}

/* Sessions. */

static bool
session_throttled(const struct session *s)
{
    return (jsonrpc_get_backlog(s->rpc) > THROTTLE_BACKLOG_BYTES
            || s->n_pending > THROTTLE_PENDING_MSGS);
}

static void
session_mark_ready(struct session *s)
{
    if (!s->ready && !s->classic) {
        s->ready = true;
        vs_list_push_back(&s->server->ready, &s->ready_node);
    }
}

static void
session_watch_cb(int fd VS_UNUSED, short int revents VS_UNUSED, void *s_)
{
    session_mark_ready(s_);
}

/* Makes S's watch wait for what S needs: input unless it is throttled,
 * output while it has a backlog. */
static void
session_update_watch(struct session *s)
{
    if (s->watch) {
        short int events = 0;

        if (!session_throttled(s)) {
            events |= POLLIN;
        }
        if (jsonrpc_get_backlog(s->rpc)) {
            events |= POLLOUT;
        }
        poll_watch_set_events(s->watch, events);
    }
}

/* After using S's connection outside session_run(): if it failed, stop
 * watching its (closed) fd and let session_run() close it. */
static void
session_check_status(struct session *s)
{
    if (jsonrpc_get_status(s->rpc)) {
        poll_watch_destroy(s->watch);
        s->watch = NULL;
        session_mark_ready(s);
    } else {
        session_update_watch(s);
    }
}

static void
session_create(struct server *server, struct remote *r,
               struct stream *stream)
{
    struct session *s = xzalloc(sizeof *s);
    int fd = stream_get_fd(stream);

    s->server = server;
    s->remote = r;
    hmap_init(&s->monitors);
    vs_list_init(&s->triggers);
    vs_list_init(&s->lock_waiters);
    vs_list_init(&s->pending);
    s->classic = fd < 0 || str_starts_with(stream_get_name(stream), "ssl:");
    s->rpc = jsonrpc_open(stream);
    jsonrpc_set_max_backlog(s->rpc, SESSION_MAX_BACKLOG_BYTES, 0);
    vs_list_push_back(&server->sessions, &s->node);
    server->n_sessions++;

    if (s->classic) {
        vs_list_push_back(&server->classic, &s->ready_node);
    } else {
        s->watch = poll_watch_create(fd, POLLIN, session_watch_cb, s);
    }
    VLOG_DBG("%s: connected", jsonrpc_get_name(s->rpc));
}

static void
session_close(struct session *s)
{
    struct server_monitor *m;
    struct lock_waiter *w;
    struct trigger *t;
    struct pending *p;

    VLOG_DBG("%s: closing (%s)", jsonrpc_get_name(s->rpc),
             vs_strerror(jsonrpc_get_status(s->rpc)));
    HMAP_FOR_EACH_SAFE (m, session_node, &s->monitors) {
        server_monitor_destroy(m);
    }
    hmap_destroy(&s->monitors);
    LIST_FOR_EACH_SAFE (t, session_node, &s->triggers) {
        trigger_destroy(t);
    }
    LIST_FOR_EACH_SAFE (w, session_node, &s->lock_waiters) {
        lock_waiter_remove(w);
    }
    LIST_FOR_EACH_POP (p, node, &s->pending) {
        jsonrpc_msg_destroy(p->msg);
        free(p);
    }
    if (s->ready || s->classic) {
        vs_list_remove(&s->ready_node);
    }
    if (s->waiting) {
        vs_list_remove(&s->waiting_node);
    }
    poll_watch_destroy(s->watch);
    jsonrpc_close(s->rpc);
    vs_list_remove(&s->node);
    s->server->n_sessions--;
    free(s);
}

static void
session_send_now(struct session *s, struct jsonrpc_msg *msg)
{
    jsonrpc_send(s->rpc, msg);
    session_check_status(s);
}

static bool
pending_is_ready(const struct pending *p)
{
    return (!p->sdb || !p->sdb->storage
            || storage_durable_seqno(p->sdb->storage) >= p->seqno);
}

/* Sends MSG on S once everything S sent before has left and, if SDB is
 * nonnull, once every transaction committed to SDB so far is durable. */
static void
session_send(struct session *s, struct server_db *sdb,
             struct jsonrpc_msg *msg)
{
    struct pending p = {
        .sdb = sdb,
        .seqno = sdb ? sdb->last_seqno : 0,
        .msg = msg,
    };

    if (vs_list_is_empty(&s->pending) && pending_is_ready(&p)) {
        session_send_now(s, msg);
    } else {
        struct pending *pp = xmemdup(&p, sizeof p);

        COVERAGE_INC(server_deferred_reply);
        vs_list_push_back(&s->pending, &pp->node);
        s->n_pending++;
        if (!s->waiting) {
            s->waiting = true;
            vs_list_push_back(&s->server->waiting, &s->waiting_node);
        }
    }
}

/* Sends the pending output that is now durable. */
static void
server_flush_waiting(struct server *server)
{
    struct session *s;

    LIST_FOR_EACH_SAFE (s, waiting_node, &server->waiting) {
        bool was_throttled = session_throttled(s);

        while (!vs_list_is_empty(&s->pending)) {
            struct pending *p = CONTAINER_OF(vs_list_front(&s->pending),
                                             struct pending, node);
            if (!pending_is_ready(p)) {
                break;
            }
            vs_list_remove(&p->node);
            s->n_pending--;
            jsonrpc_send(s->rpc, p->msg);
            free(p);
        }
        session_check_status(s);
        if (vs_list_is_empty(&s->pending)) {
            vs_list_remove(&s->waiting_node);
            s->waiting = false;
        }
        if (was_throttled && !session_throttled(s)) {
            session_mark_ready(s);
        }
    }
}

/* Locks. */

static struct lock_waiter *
session_find_waiter(const struct session *s, const char *name)
{
    struct lock_waiter *w;

    LIST_FOR_EACH (w, session_node, &s->lock_waiters) {
        if (!strcmp(w->lock->name, name)) {
            return w;
        }
    }
    return NULL;
}

static bool
lock_waiter_is_owner(const struct lock_waiter *w)
{
    return vs_list_front(&w->lock->waiters) == &w->lock_node;
}

static bool
session_lock_owned(const char *name, void *s_)
{
    struct lock_waiter *w = session_find_waiter(s_, name);
    return w && lock_waiter_is_owner(w);
}

static void
notify_lock(struct session *s, const char *method, const char *name)
{
    session_send(s, NULL, jsonrpc_create_notify(method,
                                                json_pack("[s]", name)));
}

/* Removes W from its lock; tells the next waiter if it becomes owner. */
static void
lock_waiter_remove(struct lock_waiter *w)
{
    struct server *server = w->session->server;
    struct lock *lock = w->lock;
    bool was_owner = lock_waiter_is_owner(w);

    vs_list_remove(&w->lock_node);
    vs_list_remove(&w->session_node);
    free(w);

    if (vs_list_is_empty(&lock->waiters)) {
        hmap_remove(&server->locks, &lock->node);
        free(lock->name);
        free(lock);
    } else if (was_owner) {
        struct lock_waiter *owner = CONTAINER_OF(
            vs_list_front(&lock->waiters), struct lock_waiter, lock_node);
        notify_lock(owner->session, "locked", lock->name);
    }
}

static struct lock *
server_find_lock(const struct server *server, const char *name)
{
    struct lock *lock;

    HMAP_FOR_EACH_WITH_HASH (lock, node, hash_string(name, 0),
                             &server->locks) {
        if (!strcmp(lock->name, name)) {
            return lock;
        }
    }
    return NULL;
}

static struct ovsdb_error *
parse_lock_name(const struct jsonrpc_msg *request, const char **namep)
{
    const json_t *params = request->params;
    const json_t *name = json_array_get(params, 0);

    if (json_array_size(params) != 1 || !json_is_string(name)
        || !ovsdb_is_valid_id(json_string_value(name))) {
        *namep = NULL;
        return ovsdb_syntax_error(params, NULL,
                                  "%s request params must be <id>",
                                  request->method);
    }
    *namep = json_string_value(name);
    return NULL;
}

static struct jsonrpc_msg *
handle_lock(struct session *s, const struct jsonrpc_msg *request, bool steal)
{
    struct server *server = s->server;
    struct ovsdb_error *error;
    struct lock_waiter *w;
    struct session *victim;
    struct lock *lock;
    const char *name;

    error = parse_lock_name(request, &name);
    if (!error && session_find_waiter(s, name)) {
        error = ovsdb_syntax_error(request->params, NULL,
                                   "must issue \"unlock\" before new \"%s\"",
                                   request->method);
    }
    if (error) {
        return jsonrpc_create_error(ovsdb_error_to_json_free(error),
                                    request->id);
    }

    lock = server_find_lock(server, name);
    if (!lock) {
        lock = xzalloc(sizeof *lock);
        lock->name = xstrdup(name);
        vs_list_init(&lock->waiters);
        hmap_insert(&server->locks, &lock->node, hash_string(name, 0));
    }
    victim = (steal && !vs_list_is_empty(&lock->waiters)
              ? CONTAINER_OF(vs_list_front(&lock->waiters),
                             struct lock_waiter, lock_node)->session
              : NULL);

    w = xzalloc(sizeof *w);
    w->lock = lock;
    w->session = s;
    if (steal) {
        vs_list_push_front(&lock->waiters, &w->lock_node);
    } else {
        vs_list_push_back(&lock->waiters, &w->lock_node);
    }
    vs_list_push_back(&s->lock_waiters, &w->session_node);

    if (victim && victim != s) {
        notify_lock(victim, "stolen", name);
    }
    return jsonrpc_create_reply(json_pack("{sb}", "locked",
                                          lock_waiter_is_owner(w)),
                                request->id);
}

static struct jsonrpc_msg *
handle_unlock(struct session *s, const struct jsonrpc_msg *request)
{
    struct ovsdb_error *error;
    struct lock_waiter *w = NULL;
    const char *name;

    error = parse_lock_name(request, &name);
    if (!error) {
        w = session_find_waiter(s, name);
        if (!w) {
            error = ovsdb_syntax_error(request->params, NULL,
                                       "\"unlock\" without \"lock\" or "
                                       "\"steal\"");
        }
    }
    if (error) {
        return jsonrpc_create_error(ovsdb_error_to_json_free(error),
                                    request->id);
    }
    lock_waiter_remove(w);
    return jsonrpc_create_reply(json_object(), request->id);
}

/* Requests. */

/* Finds the database that REQUEST's first param names.  Returns it, or
 * NULL with an error reply in *REPLYP. */
static struct server_db *
lookup_db(const struct session *s, const struct jsonrpc_msg *request,
          struct jsonrpc_msg **replyp)
{
    const json_t *name = json_array_get(request->params, 0);
    struct ovsdb_error *error;
    struct server_db *sdb;

    *replyp = NULL;
    if (!json_is_string(name)) {
        error = ovsdb_syntax_error(request->params, NULL,
                                   "%s request params must begin with "
                                   "<db-name>", request->method);
    } else {
        sdb = shash_find_data(&s->server->dbs, json_string_value(name));
        if (sdb) {
            return sdb;
        }
        error = ovsdb_syntax_error(request->params, "unknown database",
                                   "%s request specifies unknown database "
                                   "%s", request->method,
                                   json_string_value(name));
    }
    *replyp = jsonrpc_create_error(ovsdb_error_to_json_free(error),
                                   request->id);
    return NULL;
}

/* Commits the prepared TXN to SDB: log record, monitor updates, memory.
 * On a log failure, aborts it and appends the error to *RESULTS. */
static void
server_commit(struct server_db *sdb, struct txn *txn, json_t *results)
{
    struct server_monitor *m;
    struct shash cache;

    if (!txn->n_changes) {
        txn_commit(txn);
        return;
    }
    COVERAGE_INC(server_commit);

    if (sdb->storage) {
        json_t *record = txn_to_record_json(txn, time_wall_msec());

        if (record) {
            uint64_t seqno;
            char *msg;
            int error = storage_write(sdb->storage, record, &seqno, &msg);

            json_decref(record);
            if (error) {
                VLOG_ERR("%s", msg);
                json_array_append_new(results, ovsdb_error_to_json_free(
                                          ovsdb_io_error(error, "%s", msg)));
                free(msg);
                txn_abort(txn);
                return;
            }
            sdb->last_seqno = seqno;
        }
    }

    /* Monitors with the same key get the same update, computed once. */
    shash_init(&cache);
    LIST_FOR_EACH (m, db_node, &sdb->monitors) {
        const char *key = monitor_get_key(m->monitor);
        struct shash_node *node = shash_find(&cache, key);
        json_t *update;

        if (node) {
            update = node->data;
        } else {
            update = monitor_compose_txn(m->monitor, txn);
            shash_add(&cache, key, update);
        }
        if (update) {
            bool v1 = monitor_get_version(m->monitor) == MONITOR_V1;
            session_send(m->session, sdb, jsonrpc_create_notify(
                             v1 ? "update" : "update2",
                             json_pack("[OO]", m->id, update)));
        }
    }
    {
        struct shash_node *node;
        SHASH_FOR_EACH (node, &cache) {
            json_decref(node->data);
        }
    }
    shash_destroy(&cache);

    txn_commit(txn);
    sdb->triggers_dirty = true;
}

static void
trigger_destroy(struct trigger *t)
{
    vs_list_remove(&t->session_node);
    vs_list_remove(&t->db_node);
    json_decref(t->id);
    json_decref(t->params);
    free(t);
}

/* Tries to execute T.  If it completes, sends the reply, destroys T and
 * returns true. */
static bool
trigger_try(struct trigger *t, long long int now)
{
    struct txn_context ctx = {
        .lock_owned = session_lock_owned,
        .aux = t->session,
        .elapsed_msec = now - t->created,
    };
    long long int timeout;
    json_t *results;
    struct txn *txn;

    txn = txn_execute(t->sdb->db, t->params, &ctx, &results, &timeout);
    if (!txn && !results) {
        t->deadline = (timeout == LLONG_MAX ? LLONG_MAX
                       : t->created + timeout);
        return false;
    }
    if (txn) {
        server_commit(t->sdb, txn, results);
    }
    session_send(t->session, t->sdb,
                 jsonrpc_create_reply(results, t->id));
    trigger_destroy(t);
    return true;
}

static struct trigger *
session_find_trigger(const struct session *s, const json_t *id)
{
    struct trigger *t;

    LIST_FOR_EACH (t, session_node, &s->triggers) {
        if (json_equal(t->id, id)) {
            return t;
        }
    }
    return NULL;
}

static struct jsonrpc_msg *
handle_transact(struct session *s, struct jsonrpc_msg *request)
{
    struct jsonrpc_msg *reply;
    struct server_db *sdb = lookup_db(s, request, &reply);
    struct trigger *t;

    if (!sdb) {
        return reply;
    }
    if (session_find_trigger(s, request->id)) {
        return jsonrpc_create_error(json_string("duplicate request ID"),
                                    request->id);
    }

    t = xzalloc(sizeof *t);
    t->session = s;
    t->sdb = sdb;
    t->id = json_incref(request->id);
    t->params = json_incref(request->params);
    t->created = time_msec();
    t->deadline = LLONG_MAX;
    vs_list_push_back(&s->triggers, &t->session_node);
    vs_list_push_back(&sdb->triggers, &t->db_node);
    trigger_try(t, t->created);
    return NULL;
}

static void
handle_cancel(struct session *s, const struct jsonrpc_msg *notify)
{
    if (json_array_size(notify->params) == 1) {
        struct trigger *t = session_find_trigger(
            s, json_array_get(notify->params, 0));
        if (t) {
            session_send(s, NULL, jsonrpc_create_error(json_string("canceled"),
                                                       t->id));
            trigger_destroy(t);
        }
    }
}

/* Monitors. */

static uint32_t
monitor_id_hash(const json_t *id)
{
    char *s = json_dumps(id, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
    uint32_t hash = hash_string(s ? s : "", 0);

    free(s);
    return hash;
}

static struct server_monitor *
session_find_monitor(const struct session *s, const json_t *id)
{
    struct server_monitor *m;

    HMAP_FOR_EACH_WITH_HASH (m, session_node, monitor_id_hash(id),
                             &s->monitors) {
        if (json_equal(m->id, id)) {
            return m;
        }
    }
    return NULL;
}

static void
server_monitor_destroy(struct server_monitor *m)
{
    hmap_remove(&m->session->monitors, &m->session_node);
    vs_list_remove(&m->db_node);
    json_decref(m->id);
    monitor_destroy(m->monitor);
    free(m);
}

static struct jsonrpc_msg *
handle_monitor(struct session *s, const struct jsonrpc_msg *request,
               enum monitor_version version)
{
    struct jsonrpc_msg *reply;
    struct server_db *sdb = lookup_db(s, request, &reply);
    struct ovsdb_error *error;
    struct server_monitor *m;
    struct monitor *monitor;
    const json_t *id;

    if (!sdb) {
        return reply;
    }
    if (json_array_size(request->params) != 3) {
        error = ovsdb_syntax_error(request->params, NULL,
                                   "invalid parameters");
        goto error;
    }
    id = json_array_get(request->params, 1);
    if (session_find_monitor(s, id)) {
        error = ovsdb_syntax_error(id, NULL, "duplicate monitor ID");
        goto error;
    }
    error = monitor_create(sdb->db, version,
                           json_array_get(request->params, 2), &monitor);
    if (error) {
        goto error;
    }

    m = xzalloc(sizeof *m);
    m->session = s;
    m->sdb = sdb;
    m->id = json_deep_copy(id);
    m->monitor = monitor;
    hmap_insert(&s->monitors, &m->session_node, monitor_id_hash(id));
    vs_list_push_back(&sdb->monitors, &m->db_node);
    session_send(s, sdb, jsonrpc_create_reply(monitor_get_initial(monitor),
                                              request->id));
    return NULL;

error:
    return jsonrpc_create_error(ovsdb_error_to_json_free(error),
                                request->id);
}

static struct jsonrpc_msg *
handle_monitor_cond_change(struct session *s,
                           const struct jsonrpc_msg *request)
{
    const json_t *params = request->params;
    struct server_monitor *m;
    struct ovsdb_error *error;
    json_t *update;

    if (json_array_size(params) != 3) {
        error = ovsdb_syntax_error(params, NULL, "invalid parameters");
        goto error;
    }
    m = session_find_monitor(s, json_array_get(params, 0));
    if (!m) {
        error = ovsdb_syntax_error(request->id, NULL,
                                   "unknown monitor session");
        goto error;
    }
    if (monitor_get_version(m->monitor) != MONITOR_V2) {
        error = ovsdb_syntax_error(NULL, NULL, "monitor_cond_change "
                                   "requires a monitor_cond monitor");
        goto error;
    }
    error = monitor_change_condition(m->monitor, json_array_get(params, 2),
                                     &update);
    if (error) {
        goto error;
    }

    hmap_remove(&s->monitors, &m->session_node);
    json_decref(m->id);
    m->id = json_deep_copy(json_array_get(params, 1));
    hmap_insert(&s->monitors, &m->session_node, monitor_id_hash(m->id));
    if (update) {
        session_send(s, m->sdb, jsonrpc_create_notify(
                         "update2", json_pack("[Oo]", m->id, update)));
    }
    session_send(s, m->sdb, jsonrpc_create_reply(json_object(),
                                                 request->id));
    return NULL;

error:
    return jsonrpc_create_error(ovsdb_error_to_json_free(error),
                                request->id);
}

static struct jsonrpc_msg *
handle_monitor_cancel(struct session *s, const struct jsonrpc_msg *request)
{
    struct server_monitor *m;

    if (json_array_size(request->params) != 1) {
        return jsonrpc_create_error(json_string("invalid parameters"),
                                    request->id);
    }
    m = session_find_monitor(s, json_array_get(request->params, 0));
    if (!m) {
        return jsonrpc_create_error(json_string("unknown monitor"),
                                    request->id);
    }
    server_monitor_destroy(m);
    return jsonrpc_create_reply(json_object(), request->id);
}

static void
session_handle_request(struct session *s, struct jsonrpc_msg *request)
{
    struct jsonrpc_msg *reply = NULL;
    struct server_db *sdb = NULL;
    const char *method = request->method;

    COVERAGE_INC(server_request);
    if (!strcmp(method, "transact")) {
        reply = handle_transact(s, request);
    } else if (!strcmp(method, "echo")) {
        reply = jsonrpc_create_reply(json_incref(request->params),
                                     request->id);
    } else if (!strcmp(method, "monitor")) {
        reply = handle_monitor(s, request, MONITOR_V1);
    } else if (!strcmp(method, "monitor_cond")) {
        reply = handle_monitor(s, request, MONITOR_V2);
    } else if (!strcmp(method, "monitor_cond_change")) {
        reply = handle_monitor_cond_change(s, request);
    } else if (!strcmp(method, "monitor_cancel")) {
        reply = handle_monitor_cancel(s, request);
    } else if (!strcmp(method, "get_schema")) {
        sdb = lookup_db(s, request, &reply);
        if (sdb) {
            reply = jsonrpc_create_reply(ovsdb_schema_to_json(
                                             sdb->db->schema), request->id);
        }
    } else if (!strcmp(method, "list_dbs")) {
        const struct shash_node **nodes = shash_sort(&s->server->dbs);
        json_t *dbs = json_array();

        for (size_t i = 0; i < shash_count(&s->server->dbs); i++) {
            json_array_append_new(dbs, json_string(nodes[i]->name));
        }
        free(nodes);
        reply = jsonrpc_create_reply(dbs, request->id);
    } else if (!strcmp(method, "lock")) {
        reply = handle_lock(s, request, false);
    } else if (!strcmp(method, "steal")) {
        reply = handle_lock(s, request, true);
    } else if (!strcmp(method, "unlock")) {
        reply = handle_unlock(s, request);
    } else {
        reply = jsonrpc_create_error(json_string("unknown method"),
                                     request->id);
    }
    if (reply) {
        session_send(s, NULL, reply);
    }
}

static void
session_handle(struct session *s, struct jsonrpc_msg *msg)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);

    switch (msg->type) {
    case JSONRPC_REQUEST:
        session_handle_request(s, msg);
        break;
    case JSONRPC_NOTIFY:
        if (!strcmp(msg->method, "cancel")) {
            handle_cancel(s, msg);
        }
        break;
    case JSONRPC_REPLY:
    case JSONRPC_ERROR:
        VLOG_DBG_RL(&rl, "%s: ignoring unexpected %s",
                    jsonrpc_get_name(s->rpc),
                    jsonrpc_msg_type_to_string(msg->type));
        break;
    }
    jsonrpc_msg_destroy(msg);
}

/* Handles up to SESSION_BUDGET requests of S.  Closes S if its connection
 * failed. */
static void
session_run(struct session *s)
{
    int budget = SESSION_BUDGET;
    bool more = false;

    COVERAGE_INC(server_session_run);
    jsonrpc_run(s->rpc);
    while (!jsonrpc_get_status(s->rpc) && !session_throttled(s)) {
        unsigned long long int before = jsonrpc_get_received_bytes(s->rpc);
        struct jsonrpc_msg *msg;
        int error = jsonrpc_recv(s->rpc, &msg);

        if (error) {
            /* EAGAIN after receiving something may leave input buffered
             * inside 'rpc' that no fd event announces: come back. */
            more = (error == EAGAIN
                    && jsonrpc_get_received_bytes(s->rpc) != before);
            break;
        }
        session_handle(s, msg);
        if (!--budget) {
            more = true;
            break;
        }
    }
    jsonrpc_run(s->rpc);

    if (jsonrpc_get_status(s->rpc)) {
        session_close(s);
        return;
    }
    if (more && !session_throttled(s)) {
        session_mark_ready(s);
    }
    session_update_watch(s);
}

static void
session_wait_classic(struct session *s)
{
    jsonrpc_wait(s->rpc);
    if (jsonrpc_get_status(s->rpc)) {
        poll_immediate_wake();
    } else if (!session_throttled(s)) {
        jsonrpc_recv_wait(s->rpc);
    }
}

/* Main loop. */

static void
server_run_triggers(struct server_db *sdb, long long int now)
{
    bool dirty = sdb->triggers_dirty;
    struct trigger *t;

    sdb->triggers_dirty = false;
    LIST_FOR_EACH_SAFE (t, db_node, &sdb->triggers) {
        if (dirty || now >= t->deadline) {
            trigger_try(t, now);
        }
    }
}

static void
server_run_storage(struct server *server)
{
    bool advanced = false;
    struct shash_node *node;

    SHASH_FOR_EACH (node, &server->dbs) {
        struct server_db *sdb = node->data;
        struct storage_stats stats;
        const char *msg;
        uint64_t durable;

        if (!sdb->storage) {
            continue;
        }
        if (storage_durable_seqno(sdb->storage)
            >= storage_written_seqno(sdb->storage)
            && !sdb->compacting && !storage_should_compact(sdb->storage)) {
            continue;           /* Nothing outstanding: no system call. */
        }
        storage_run(sdb->storage);
        if (storage_get_error(sdb->storage, &msg)) {
            vs_fatal(0, "%s: %s; exiting (no transaction after the failure "
                     "was acknowledged)", storage_get_name(sdb->storage),
                     msg ? msg : "I/O error");
        }
        durable = storage_durable_seqno(sdb->storage);
        if (durable != sdb->flushed_durable) {
            sdb->flushed_durable = durable;
            advanced = true;
        }

        if (sdb->compacting && !storage_compaction_in_progress(sdb->storage)) {
            sdb->compacting = false;
            storage_get_stats(sdb->storage, &stats);
            if (stats.n_failed_compactions != sdb->n_failed_replacements) {
                server->n_failed_compactions += (stats.n_failed_compactions
                                                 - sdb->n_failed_replacements);
                sdb->n_failed_replacements = stats.n_failed_compactions;
            }
        }
        if (!sdb->compacting && storage_should_compact(sdb->storage)) {
            char *error_msg;
            if (!storage_compact(sdb->storage, sdb->db, &error_msg)) {
                sdb->compacting = true;
            } else {
                VLOG_WARN("%s", error_msg);
                free(error_msg);
            }
        }
    }
    if (advanced) {
        server_flush_waiting(server);
    }
}

static void
server_accept(struct server *server)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);
    struct shash_node *node;

    SHASH_FOR_EACH (node, &server->remotes) {
        struct remote *r = node->data;

        for (int i = 0; i < ACCEPT_BATCH; i++) {
            struct stream *stream;
            int error = pstream_accept(r->listener, &stream);

            if (error) {
                if (error != EAGAIN) {
                    VLOG_WARN_RL(&rl, "%s: accept failed (%s)", r->name,
                                 vs_strerror(error));
                }
                break;
            }
            COVERAGE_INC(server_accept);
            session_create(server, r, stream);
        }
    }
}

void
server_run(struct server *server)
{
    struct vs_list batch;
    struct shash_node *node;
    struct session *s;
    long long int now;

    server_run_storage(server);

    /* Sessions with activity, round robin: sessions that come back ready
     * wait for the next iteration. */
    vs_list_init(&batch);
    vs_list_splice_back(&batch, &server->ready);
    while (!vs_list_is_empty(&batch)) {
        s = CONTAINER_OF(vs_list_pop_front(&batch), struct session,
                         ready_node);
        s->ready = false;
        session_run(s);
    }
    LIST_FOR_EACH_SAFE (s, ready_node, &server->classic) {
        session_run(s);
    }

    now = time_msec();
    SHASH_FOR_EACH (node, &server->dbs) {
        struct server_db *sdb = node->data;
        if (!vs_list_is_empty(&sdb->triggers)) {
            server_run_triggers(sdb, now);
        } else {
            sdb->triggers_dirty = false;
        }
    }

    server_accept(server);
}

void
server_wait(struct server *server)
{
    struct shash_node *node;
    struct session *s;

    SHASH_FOR_EACH (node, &server->remotes) {
        struct remote *r = node->data;
        pstream_wait(r->listener);
    }
    SHASH_FOR_EACH (node, &server->dbs) {
        struct server_db *sdb = node->data;
        struct trigger *t;

        if (sdb->storage) {
            storage_wait(sdb->storage);
        }
        if (sdb->triggers_dirty && !vs_list_is_empty(&sdb->triggers)) {
            poll_immediate_wake();
        }
        LIST_FOR_EACH (t, db_node, &sdb->triggers) {
            if (t->deadline != LLONG_MAX) {
                poll_timer_wait_until(t->deadline);
            }
        }
    }
    if (!vs_list_is_empty(&server->ready)) {
        poll_immediate_wake();
    }
    LIST_FOR_EACH (s, ready_node, &server->classic) {
        session_wait_classic(s);
    }
}

/* Compaction. */

int
server_compact(struct server *server, const char *db_name, char **errorp)
{
    struct shash_node *node;

    *errorp = NULL;
    if (db_name && !shash_find(&server->dbs, db_name)) {
        *errorp = xasprintf("%s: no such database", db_name);
        return ENOENT;
    }
    SHASH_FOR_EACH (node, &server->dbs) {
        struct server_db *sdb = node->data;
        struct storage_stats stats;
        int error;

        if ((db_name && strcmp(db_name, node->name)) || !sdb->storage) {
            continue;
        }
        if (sdb->compacting || storage_compaction_in_progress(sdb->storage)) {
            continue;           /* Already under way: wait for it. */
        }
        storage_get_stats(sdb->storage, &stats);
        sdb->n_failed_replacements = stats.n_failed_compactions;
        error = storage_compact(sdb->storage, sdb->db, errorp);
        if (error) {
            return error;
        }
        sdb->compacting = true;
    }
    return 0;
}

bool
server_compaction_done(struct server *server, unsigned int *n_failedp)
{
    struct shash_node *node;
    bool done = true;

    SHASH_FOR_EACH (node, &server->dbs) {
        struct server_db *sdb = node->data;

        if (sdb->compacting) {
            done = false;
        }
    }
    *n_failedp = server->n_failed_compactions;
    if (done) {
        server->n_failed_compactions = 0;
    }
    return done;
}

void
server_set_compaction_policy(struct server *server, unsigned int factor,
                             long long int min_bytes)
{
    struct shash_node *node;

    SHASH_FOR_EACH (node, &server->dbs) {
        struct server_db *sdb = node->data;
        if (sdb->storage) {
            storage_set_compaction_policy(sdb->storage, factor, min_bytes);
        }
    }
}

void
server_get_memory_usage(const struct server *server, struct shash *usage)
{
    unsigned long long int n_monitors = 0, n_triggers = 0, backlog = 0;
    unsigned long long int n_rows = 0;
    const struct shash_node *node;
    const struct session *s;

    SHASH_FOR_EACH (node, &server->dbs) {
        const struct server_db *sdb = node->data;
        n_rows += db_count_rows(sdb->db);
        n_monitors += vs_list_size(&sdb->monitors);
        n_triggers += vs_list_size(&sdb->triggers);
    }
    LIST_FOR_EACH (s, node, &server->sessions) {
        backlog += jsonrpc_get_backlog(s->rpc);
    }
    memory_usage_add(usage, "sessions", server->n_sessions);
    memory_usage_add(usage, "monitors", n_monitors);
    memory_usage_add(usage, "triggers", n_triggers);
    memory_usage_add(usage, "rows", n_rows);
    memory_usage_add(usage, "backlog", backlog);
    memory_usage_add(usage, "locks", hmap_count(&server->locks));
}
