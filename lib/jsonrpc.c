/* JSON-RPC 1.0 messages and connections, wire-compatible with Open
 * vSwitch. */
#include <config.h>

#include "jsonrpc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "coverage.h"
#include "dynamic-string.h"
#include "list.h"
#include "poll-loop.h"
#include "stream.h"
#include "util.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(jsonrpc);

COVERAGE_DEFINE(jsonrpc_recv);
COVERAGE_DEFINE(jsonrpc_send);
COVERAGE_DEFINE(jsonrpc_slow_consumer);

/* Rate limit for messages that a peer can trigger. */
static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);

/* Messages. */

const char *
jsonrpc_msg_type_to_string(enum jsonrpc_msg_type type)
{
    switch (type) {
    case JSONRPC_REQUEST:
        return "request";
    case JSONRPC_NOTIFY:
        return "notification";
    case JSONRPC_REPLY:
        return "reply";
    case JSONRPC_ERROR:
        return "error";
    }
    return "(bad type)";
}

static struct jsonrpc_msg *
jsonrpc_create(enum jsonrpc_msg_type type, const char *method,
               json_t *params, json_t *result, json_t *error, json_t *id)
{
    struct jsonrpc_msg *msg = xmalloc(sizeof *msg);

    msg->type = type;
    msg->method = method ? xstrdup(method) : NULL;
    msg->params = params;
    msg->result = result;
    msg->error = error;
    msg->id = id;
    return msg;
}

/* Returns a new id for a request: a counter, as in Open vSwitch. */
static json_t *
jsonrpc_create_id(void)
{
    static json_int_t next_id;
    return json_integer(next_id++);
}

/* Creates a request for METHOD with PARAMS (an array, taken over) and a new
 * unique id.  If IDP is nonnull, stores a new reference to the id in *IDP
 * (the caller must json_decref() it). */
struct jsonrpc_msg *
jsonrpc_create_request(const char *method, json_t *params, json_t **idp)
{
    json_t *id = jsonrpc_create_id();

    if (idp) {
        *idp = json_incref(id);
    }
    return jsonrpc_create(JSONRPC_REQUEST, method, params, NULL, NULL, id);
}

struct jsonrpc_msg *
jsonrpc_create_notify(const char *method, json_t *params)
{
    return jsonrpc_create(JSONRPC_NOTIFY, method, params, NULL, NULL, NULL);
}

/* Creates a reply carrying RESULT (taken over) for the request whose id is
 * ID (copied). */
struct jsonrpc_msg *
jsonrpc_create_reply(json_t *result, const json_t *id)
{
    return jsonrpc_create(JSONRPC_REPLY, NULL, NULL, result, NULL,
                          json_deep_copy(id));
}

/* Creates an error reply carrying ERROR (taken over) for the request whose
 * id is ID (copied). */
struct jsonrpc_msg *
jsonrpc_create_error(json_t *error, const json_t *id)
{
    return jsonrpc_create(JSONRPC_ERROR, NULL, NULL, NULL, error,
                          json_deep_copy(id));
}

void
jsonrpc_msg_destroy(struct jsonrpc_msg *msg)
{
    if (msg) {
        free(msg->method);
        json_decref(msg->params);
        json_decref(msg->result);
        json_decref(msg->error);
        json_decref(msg->id);
        free(msg);
    }
}

char *
jsonrpc_msg_is_valid(const struct jsonrpc_msg *m)
{
    /* Which members each type must have: method, params, result, error,
     * id (one hex digit each). */
    unsigned int pattern;

    if (m->params && !json_is_array(m->params)) {
        return xstrdup("\"params\" must be JSON array");
    }

    switch (m->type) {
    case JSONRPC_REQUEST:
        pattern = 0x11001;
        break;
    case JSONRPC_NOTIFY:
        pattern = 0x11000;
        break;
    case JSONRPC_REPLY:
        pattern = 0x00101;
        break;
    case JSONRPC_ERROR:
        pattern = 0x00011;
        break;
    default:
        return xasprintf("bad message type %d", (int) m->type);
    }

    static const char *const names[] = {
        "method", "params", "result", "error", "id"
    };
    const bool present[] = {
        m->method != NULL, m->params != NULL, m->result != NULL,
        m->error != NULL, m->id != NULL
    };
    const char *type_name = jsonrpc_msg_type_to_string(m->type);
    for (int i = 0; i < 5; i++) {
        bool required = (pattern >> (4 * (4 - i))) & 1;
        if (present[i] != required) {
            return xasprintf("%s must%s have \"%s\"", type_name,
                             required ? "" : " not", names[i]);
        }
    }
    return NULL;
}

/* Returns VALUE, or NULL if VALUE is JSON null: on input, a null member
 * counts as absent. */
static json_t *
null_is_absent(json_t *value)
{
    return value && !json_is_null(value) ? value : NULL;
}

char *
jsonrpc_msg_from_json(const json_t *json, struct jsonrpc_msg **msgp)
{
    json_t *method = NULL, *params = NULL, *result = NULL, *error = NULL;
    json_t *id = NULL;
    const char *key;
    json_t *value;

    *msgp = NULL;
    if (!json_is_object(json)) {
        return xstrdup("message is not a JSON object");
    }

    json_object_foreach ((json_t *) json, key, value) {
        if (!strcmp(key, "method")) {
            method = null_is_absent(value);
        } else if (!strcmp(key, "params")) {
            params = null_is_absent(value);
        } else if (!strcmp(key, "result")) {
            result = null_is_absent(value);
        } else if (!strcmp(key, "error")) {
            error = null_is_absent(value);
        } else if (!strcmp(key, "id")) {
            id = null_is_absent(value);
        } else {
            return xasprintf("message has unexpected member \"%s\"", key);
        }
    }

    if (method && !json_is_string(method)) {
        return xstrdup("method is not a JSON string");
    }

    enum jsonrpc_msg_type type = (result ? JSONRPC_REPLY
                                  : error ? JSONRPC_ERROR
                                  : id ? JSONRPC_REQUEST
                                  : JSONRPC_NOTIFY);
    struct jsonrpc_msg *msg = jsonrpc_create(
        type, method ? json_string_value(method) : NULL,
        params ? json_incref(params) : NULL,
        result ? json_incref(result) : NULL,
        error ? json_incref(error) : NULL,
        id ? json_incref(id) : NULL);

    char *problem = jsonrpc_msg_is_valid(msg);
    if (problem) {
        jsonrpc_msg_destroy(msg);
        return problem;
    }
    *msgp = msg;
    return NULL;
}

/* Members appear in the order method, params, result, error, id.  A reply
 * carries "error":null, an error "result":null and a notification
 * "id":null, as JSON-RPC 1.0 requires. */
json_t *
jsonrpc_msg_to_json(const struct jsonrpc_msg *m)
{
    json_t *json = json_object();

    if (m->method) {
        json_object_set_new(json, "method", json_string(m->method));
    }
    if (m->params) {
        json_object_set(json, "params", m->params);
    }
    if (m->result) {
        json_object_set(json, "result", m->result);
    } else if (m->type == JSONRPC_ERROR) {
        json_object_set_new(json, "result", json_null());
    }
    if (m->error) {
        json_object_set(json, "error", m->error);
    } else if (m->type == JSONRPC_REPLY) {
        json_object_set_new(json, "error", json_null());
    }
    if (m->id) {
        json_object_set(json, "id", m->id);
    } else if (m->type == JSONRPC_NOTIFY) {
        json_object_set_new(json, "id", json_null());
    }
    return json;
}

static int
dump_to_ds(const char *buffer, size_t size, void *ds_)
{
    ds_put_buffer(ds_, buffer, size);
    return 0;
}

/* Appends the JSON string literal for the LEN bytes of UTF-8 at S to DS,
 * escaped exactly as jansson does by default: '"', '\\' and control
 * characters only (short forms where they exist, else \u00XX), everything
 * else as is. */
static void
put_json_string(struct ds *ds, const char *s, size_t len)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t run = 0;

    ds_put_char(ds, '"');
    for (size_t i = 0; i < len; i++) {
        unsigned char c = s[i];
        if (c >= 0x20 && c != '"' && c != '\\') {
            continue;
        }

        ds_put_buffer(ds, s + run, i - run);
        run = i + 1;
        switch (c) {
        case '"':
            ds_put_buffer(ds, "\\\"", 2);
            break;
        case '\\':
            ds_put_buffer(ds, "\\\\", 2);
            break;
        case '\b':
            ds_put_buffer(ds, "\\b", 2);
            break;
        case '\f':
            ds_put_buffer(ds, "\\f", 2);
            break;
        case '\n':
            ds_put_buffer(ds, "\\n", 2);
            break;
        case '\r':
            ds_put_buffer(ds, "\\r", 2);
            break;
        case '\t':
            ds_put_buffer(ds, "\\t", 2);
            break;
        default: {
            char seq[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
            ds_put_buffer(ds, seq, sizeof seq);
            break;
        }
        }
    }
    ds_put_buffer(ds, s + run, len - run);
    ds_put_char(ds, '"');
}

static void
put_json_integer(struct ds *ds, json_int_t value)
{
    char buf[24];
    char *p = buf + sizeof buf;
    unsigned long long int u = (value < 0
                                ? -(unsigned long long int) value
                                : (unsigned long long int) value);

    do {
        *--p = '0' + u % 10;
        u /= 10;
    } while (u);
    if (value < 0) {
        *--p = '-';
    }
    ds_put_buffer(ds, p, buf + sizeof buf - p);
}

/* Appends VALUE to DS as compact JSON, byte for byte what
 * json_dump_callback(VALUE, ..., JSON_COMPACT | JSON_ENCODE_ANY) writes,
 * but faster: this is the hot path of every message sent. */
static void
put_json(struct ds *ds, const json_t *value)
{
    switch (json_typeof(value)) {
    case JSON_OBJECT: {
        const char *key;
        json_t *member;
        bool first = true;

        ds_put_char(ds, '{');
        json_object_foreach ((json_t *) value, key, member) {
            if (!first) {
                ds_put_char(ds, ',');
            }
            first = false;
#if JANSSON_VERSION_HEX >= 0x020e00
            put_json_string(ds, key, json_object_iter_key_len(
                                json_object_key_to_iter(key)));
#else
            put_json_string(ds, key, strlen(key));
#endif
            ds_put_char(ds, ':');
            put_json(ds, member);
        }
        ds_put_char(ds, '}');
        break;
    }

    case JSON_ARRAY: {
        size_t n = json_array_size(value);

        ds_put_char(ds, '[');
        for (size_t i = 0; i < n; i++) {
            if (i) {
                ds_put_char(ds, ',');
            }
            put_json(ds, json_array_get(value, i));
        }
        ds_put_char(ds, ']');
        break;
    }

    case JSON_STRING:
        put_json_string(ds, json_string_value(value),
                        json_string_length(value));
        break;

    case JSON_INTEGER:
        put_json_integer(ds, json_integer_value(value));
        break;

    case JSON_TRUE:
        ds_put_buffer(ds, "true", 4);
        break;

    case JSON_FALSE:
        ds_put_buffer(ds, "false", 5);
        break;

    case JSON_NULL:
        ds_put_buffer(ds, "null", 4);
        break;

    case JSON_REAL:
    default:
        /* jansson's number formatting, exactly. */
        if (json_dump_callback(value, dump_to_ds, ds,
                               JSON_COMPACT | JSON_ENCODE_ANY)) {
            vs_abort(0, "json_dump_callback failed");
        }
        break;
    }
}

/* Appends member NAME with VALUE (NULL: JSON null) to DS, after a comma
 * unless *FIRSTP. */
static void
put_member(struct ds *ds, bool *firstp, const char *name,
           const json_t *value)
{
    if (!*firstp) {
        ds_put_char(ds, ',');
    }
    *firstp = false;
    put_json_string(ds, name, strlen(name));
    ds_put_char(ds, ':');
    if (value) {
        put_json(ds, value);
    } else {
        ds_put_buffer(ds, "null", 4);
    }
}

/* Appends M to DS in its wire form: the same text as dumping
 * jsonrpc_msg_to_json(M) compactly, without building that object. */
static void
jsonrpc_msg_put(const struct jsonrpc_msg *m, struct ds *ds)
{
    bool first = true;

    ds_put_char(ds, '{');
    if (m->method) {
        put_json_string(ds, "method", 6);
        ds_put_char(ds, ':');
        put_json_string(ds, m->method, strlen(m->method));
        first = false;
    }
    if (m->params) {
        put_member(ds, &first, "params", m->params);
    }
    if (m->result || m->type == JSONRPC_ERROR) {
        put_member(ds, &first, "result", m->result);
    }
    if (m->error || m->type == JSONRPC_REPLY) {
        put_member(ds, &first, "error", m->error);
    }
    if (m->id || m->type == JSONRPC_NOTIFY) {
        put_member(ds, &first, "id", m->id);
    }
    ds_put_char(ds, '}');
}

char *
jsonrpc_msg_to_string(const struct jsonrpc_msg *m)
{
    struct ds ds = DS_EMPTY_INITIALIZER;

    jsonrpc_msg_put(m, &ds);
    return ds_steal_cstr(&ds);
}

/* Framing: finds where each top-level JSON object ends. */

struct json_framer {
    size_t max_size;            /* Largest object accepted, 0: no limit. */
    int max_depth;              /* Deepest nesting accepted. */
    struct ds buf;              /* Bytes of the object so far. */
    int depth;                  /* Nesting depth, 0 between objects. */
    bool in_string;             /* Inside a string literal. */
    bool escape;                /* Just after a backslash in a string. */
    bool done;                  /* 'buf' holds a complete object. */
    char *error;                /* Framing error, or NULL. */
    int error_code;             /* errno value that goes with 'error'. */
};

struct json_framer *
json_framer_create(size_t max_size)
{
    struct json_framer *f = xzalloc(sizeof *f);
    f->max_size = max_size;
    f->max_depth = JSONRPC_MAX_DEPTH;
    ds_init(&f->buf);
    return f;
}

void
json_framer_destroy(struct json_framer *f)
{
    if (f) {
        ds_destroy(&f->buf);
        free(f->error);
        free(f);
    }
}

static void
json_framer_set_error(struct json_framer *f, int code, char *error)
{
    f->error = error;
    f->error_code = code;
}

/* Returns true if F holds part of an object. */
static bool
json_framer_is_partial(const struct json_framer *f)
{
    return f->depth > 0 && !f->done;
}

static bool
is_json_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

size_t
json_framer_feed(struct json_framer *f, const char *buf, size_t n)
{
    size_t i = 0;

    if (f->done || f->error) {
        return 0;
    }

    /* Between objects: skip white space, then expect '{'. */
    if (!f->depth) {
        while (i < n && is_json_space(buf[i])) {
            i++;
        }
        if (i >= n) {
            return i;
        }
        if (buf[i] != '{') {
            unsigned char c = buf[i];
            json_framer_set_error(
                f, EPROTO,
                (c == '[' || c == '"' || c == '-' || (c >= '0' && c <= '9')
                 ? xstrdup("message is not a JSON object")
                 : c >= 0x20 && c < 0x7f
                 ? xasprintf("syntax error: unexpected '%c' where a JSON "
                             "object should begin", c)
                 : xasprintf("syntax error: unexpected byte 0x%02x where "
                             "a JSON object should begin", c)));
            return i;
        }
    }

    /* Inside an object: find its end. */
    size_t start = i;
    for (; i < n; i++) {
        char c = buf[i];

        if (f->in_string) {
            if (f->escape) {
                f->escape = false;
            } else if (c == '\\') {
                f->escape = true;
            } else if (c == '"') {
                f->in_string = false;
            }
        } else if (c == '"') {
            f->in_string = true;
        } else if (c == '{' || c == '[') {
            if (++f->depth > f->max_depth) {
                json_framer_set_error(
                    f, EPROTO,
                    xasprintf("message nests deeper than %d levels",
                              f->max_depth));
                return i;
            }
        } else if (c == '}' || c == ']') {
            if (--f->depth == 0) {
                f->done = true;
                i++;
                break;
            }
        }
    }

    size_t chunk = i - start;
    if (f->max_size && f->buf.length + chunk > f->max_size) {
        json_framer_set_error(
            f, EMSGSIZE,
            xasprintf("message too long (more than %zu bytes)",
                      f->max_size));
        f->done = false;
        return i;
    }
    ds_put_buffer(&f->buf, buf + start, chunk);
    return i;
}

bool
json_framer_is_done(const struct json_framer *f)
{
    return f->done;
}

json_t *
json_framer_take(struct json_framer *f, char **errorp)
{
    json_error_t error;
    json_t *json;

    *errorp = NULL;
    if (!f->done) {
        *errorp = xstrdup("no complete message");
        return NULL;
    }

    json = json_loadb(f->buf.string, f->buf.length, 0, &error);
    if (!json) {
        *errorp = xasprintf("syntax error in JSON (%s at line %d, "
                            "column %d)", error.text, error.line,
                            error.column);
    }

    ds_clear(&f->buf);
    f->depth = 0;
    f->in_string = false;
    f->escape = false;
    f->done = false;
    return json;
}

const char *
json_framer_get_error(const struct json_framer *f)
{
    return f->error;
}

/* Connections. */

/* A chunk of output.  Messages are serialized straight into the last
 * chunk while it is small, so that replies to a batch of requests leave in
 * one system call. */
struct jsonrpc_obuf {
    struct vs_list node;        /* In struct jsonrpc's 'output'. */
    struct ds data;
    size_t ofs;                 /* Bytes already sent. */
    size_t n_msgs;              /* Messages that end in this chunk. */
};

/* Messages are appended to the last chunk while it is smaller than this. */
#define JSONRPC_OBUF_COALESCE (64 * 1024)

#define JSONRPC_INPUT_SIZE 4096

struct jsonrpc {
    struct stream *stream;      /* NULL once the connection failed. */
    char *name;
    int status;

    /* Input. */
    struct json_framer *framer;
    size_t max_msg_size;
    char input[JSONRPC_INPUT_SIZE];
    size_t input_ofs;           /* First unprocessed byte in 'input'. */
    size_t input_len;           /* Bytes in 'input'. */
    unsigned long long int received_bytes;

    /* Output. */
    struct vs_list output;      /* Contains struct jsonrpc_obuf. */
    size_t output_count;        /* Messages not completely sent. */
    size_t backlog;             /* Bytes in 'output' not yet sent. */
    bool deferred;              /* Output queued without trying to send. */

    /* Slow consumer limits (0: none). */
    size_t max_backlog_bytes;
    size_t max_backlog_msgs;
};

static void jsonrpc_error(struct jsonrpc *, int error);

struct jsonrpc *
jsonrpc_open(struct stream *stream)
{
    struct jsonrpc *rpc = xzalloc(sizeof *rpc);

    vs_assert(stream != NULL);
    rpc->stream = stream;
    rpc->name = xstrdup(stream_get_name(stream));
    rpc->max_msg_size = JSONRPC_DEFAULT_MAX_MSG_SIZE;
    rpc->framer = json_framer_create(rpc->max_msg_size);
    vs_list_init(&rpc->output);
    return rpc;
}

static void
jsonrpc_obuf_destroy(struct jsonrpc_obuf *buf)
{
    ds_destroy(&buf->data);
    free(buf);
}

static void
jsonrpc_cleanup(struct jsonrpc *rpc)
{
    struct jsonrpc_obuf *buf;

    stream_close(rpc->stream);
    rpc->stream = NULL;

    json_framer_destroy(rpc->framer);
    rpc->framer = NULL;
    rpc->input_ofs = rpc->input_len = 0;

    LIST_FOR_EACH_POP (buf, node, &rpc->output) {
        jsonrpc_obuf_destroy(buf);
    }
    rpc->output_count = 0;
    rpc->backlog = 0;
    rpc->deferred = false;
}

void
jsonrpc_close(struct jsonrpc *rpc)
{
    if (rpc) {
        jsonrpc_cleanup(rpc);
        free(rpc->name);
        free(rpc);
    }
}

const char *
jsonrpc_get_name(const struct jsonrpc *rpc)
{
    return rpc->name;
}

void
jsonrpc_set_max_msg_size(struct jsonrpc *rpc, size_t max)
{
    rpc->max_msg_size = max;
    if (rpc->framer) {
        rpc->framer->max_size = max;
    }
}

void
jsonrpc_set_max_backlog(struct jsonrpc *rpc, size_t max_bytes,
                        size_t max_msgs)
{
    rpc->max_backlog_bytes = max_bytes;
    rpc->max_backlog_msgs = max_msgs;
}

/* Marks RPC as failed with ERROR (a positive errno or EOF) and releases
 * the stream, unless it already failed. */
static void
jsonrpc_error(struct jsonrpc *rpc, int error)
{
    vs_assert(error != 0);
    if (!rpc->status) {
        rpc->status = error;
        jsonrpc_cleanup(rpc);
    }
}

void
jsonrpc_run(struct jsonrpc *rpc)
{
    if (rpc->status) {
        return;
    }

    rpc->deferred = false;
    stream_run(rpc->stream);
    while (!vs_list_is_empty(&rpc->output)) {
        struct jsonrpc_obuf *buf = CONTAINER_OF(vs_list_front(&rpc->output),
                                                struct jsonrpc_obuf, node);
        ssize_t retval = stream_send(rpc->stream,
                                     buf->data.string + buf->ofs,
                                     buf->data.length - buf->ofs);
        if (retval > 0) {
            rpc->backlog -= retval;
            buf->ofs += retval;
            if (buf->ofs >= buf->data.length) {
                vs_list_remove(&buf->node);
                rpc->output_count -= buf->n_msgs;
                jsonrpc_obuf_destroy(buf);
            }
        } else {
            if (retval < 0 && retval != -EAGAIN) {
                VLOG_WARN_RL(&rl, "%s: send error: %s", rpc->name,
                             vs_strerror(-retval));
                jsonrpc_error(rpc, -retval);
            }
            break;
        }
    }
}

void
jsonrpc_wait(struct jsonrpc *rpc)
{
    if (!rpc->status) {
        stream_run_wait(rpc->stream);
        if (rpc->deferred) {
            poll_immediate_wake();
        } else if (rpc->backlog) {
            stream_send_wait(rpc->stream);
        }
    }
}

int
jsonrpc_get_status(const struct jsonrpc *rpc)
{
    return rpc->status;
}

size_t
jsonrpc_get_backlog(const struct jsonrpc *rpc)
{
    return rpc->status ? 0 : rpc->backlog;
}

size_t
jsonrpc_get_backlog_msgs(const struct jsonrpc *rpc)
{
    return rpc->status ? 0 : rpc->output_count;
}

unsigned long long int
jsonrpc_get_received_bytes(const struct jsonrpc *rpc)
{
    return rpc->received_bytes;
}

static void
jsonrpc_log_msg(const struct jsonrpc *rpc, const char *title,
                const struct jsonrpc_msg *msg)
{
    if (VLOG_IS_DBG_ENABLED()) {
        char *s = jsonrpc_msg_to_string(msg);
        VLOG_DBG("%s: %s %s", rpc->name, title, s);
        free(s);
    }
}

/* Returns true if RPC's unsent output exceeds its slow-consumer limits.
 * A single queued message never does: only a peer that lets messages pile
 * up counts as slow. */
static bool
jsonrpc_backlog_exceeded(const struct jsonrpc *rpc)
{
    return (rpc->output_count > 1
            && ((rpc->max_backlog_bytes
                 && rpc->backlog > rpc->max_backlog_bytes)
                || (rpc->max_backlog_msgs
                    && rpc->output_count > rpc->max_backlog_msgs)));
}

int
jsonrpc_send(struct jsonrpc *rpc, struct jsonrpc_msg *msg)
{
    struct jsonrpc_obuf *buf;

    if (rpc->status) {
        jsonrpc_msg_destroy(msg);
        return rpc->status;
    }

    jsonrpc_log_msg(rpc, "send", msg);
    COVERAGE_INC(jsonrpc_send);

    buf = (vs_list_is_empty(&rpc->output) ? NULL
           : CONTAINER_OF(vs_list_back(&rpc->output), struct jsonrpc_obuf,
                          node));
    if (!buf || buf->data.length >= JSONRPC_OBUF_COALESCE) {
        buf = xmalloc(sizeof *buf);
        ds_init(&buf->data);
        buf->ofs = 0;
        buf->n_msgs = 0;
        vs_list_push_back(&rpc->output, &buf->node);
    }
    size_t old_length = buf->data.length;
    jsonrpc_msg_put(msg, &buf->data);
    jsonrpc_msg_destroy(msg);
    buf->n_msgs++;
    rpc->output_count++;
    rpc->backlog += buf->data.length - old_length;

    if (jsonrpc_backlog_exceeded(rpc)) {
        COVERAGE_INC(jsonrpc_slow_consumer);
        VLOG_WARN("%s: dropping slow consumer: %zu messages (%zu bytes) "
                  "not yet sent, over the limit of %zu messages or "
                  "%zu bytes", rpc->name, rpc->output_count, rpc->backlog,
                  rpc->max_backlog_msgs, rpc->max_backlog_bytes);
        jsonrpc_error(rpc, ENOBUFS);
        return rpc->status;
    }

    if (rpc->input_ofs < rpc->input_len
        && rpc->backlog < JSONRPC_OBUF_COALESCE) {
        /* More input is already here, and the caller is probably about to
         * answer it too: send the answers together, when jsonrpc_recv()
         * runs out of input or at the next jsonrpc_run(). */
        rpc->deferred = true;
        return 0;
    }
    jsonrpc_run(rpc);
    return rpc->status;
}

/* Parses the object that RPC's framer completed.  Returns 0 with *MSGP
 * set, or fails the connection and returns its status. */
static int
jsonrpc_parse_received(struct jsonrpc *rpc, struct jsonrpc_msg **msgp)
{
    char *error;
    json_t *json = json_framer_take(rpc->framer, &error);

    if (!json) {
        VLOG_WARN_RL(&rl, "%s: error parsing stream: %s, closing "
                     "connection", rpc->name, error);
        free(error);
        jsonrpc_error(rpc, EPROTO);
        return rpc->status;
    }

    error = jsonrpc_msg_from_json(json, msgp);
    json_decref(json);
    if (error) {
        VLOG_WARN_RL(&rl, "%s: received bad JSON-RPC message: %s, closing "
                     "connection", rpc->name, error);
        free(error);
        jsonrpc_error(rpc, EPROTO);
        return rpc->status;
    }

    COVERAGE_INC(jsonrpc_recv);
    jsonrpc_log_msg(rpc, "received", *msgp);
    return 0;
}

int
jsonrpc_recv(struct jsonrpc *rpc, struct jsonrpc_msg **msgp)
{
    *msgp = NULL;
    if (rpc->status) {
        return rpc->status;
    }

    /* Bounded, so that one busy peer cannot starve the others. */
    for (int i = 0; i < 50; i++) {
        if (rpc->input_ofs < rpc->input_len) {
            struct json_framer *f = rpc->framer;
            rpc->input_ofs += json_framer_feed(
                f, rpc->input + rpc->input_ofs,
                rpc->input_len - rpc->input_ofs);

            if (json_framer_is_done(f)) {
                return jsonrpc_parse_received(rpc, msgp);
            }
            const char *error = json_framer_get_error(f);
            if (error) {
                int code = f->error_code;
                VLOG_WARN_RL(&rl, "%s: %s, closing connection", rpc->name,
                             error);
                jsonrpc_error(rpc, code);
                return rpc->status;
            }
        } else {
            if (rpc->deferred) {
                /* Send the answers to what was received before reading
                 * (and maybe waiting for) more. */
                jsonrpc_run(rpc);
                if (rpc->status) {
                    return rpc->status;
                }
            }

            ssize_t retval = stream_recv(rpc->stream, rpc->input,
                                         sizeof rpc->input);
            if (retval < 0) {
                if (retval == -EAGAIN) {
                    return EAGAIN;
                }
                if (retval == -EPIPE || retval == -ECONNRESET) {
                    VLOG_INFO_RL(&rl, "%s: receive error: %s", rpc->name,
                                 vs_strerror(-retval));
                } else {
                    VLOG_WARN_RL(&rl, "%s: receive error: %s", rpc->name,
                                 vs_strerror(-retval));
                }
                jsonrpc_error(rpc, -retval);
                return rpc->status;
            } else if (retval == 0) {
                if (json_framer_is_partial(rpc->framer)) {
                    VLOG_WARN_RL(&rl, "%s: connection closed in the middle "
                                 "of a message", rpc->name);
                    jsonrpc_error(rpc, EPROTO);
                } else {
                    jsonrpc_error(rpc, EOF);
                }
                return rpc->status;
            }
            rpc->input_ofs = 0;
            rpc->input_len = retval;
            rpc->received_bytes += retval;
        }
    }
    return EAGAIN;
}

void
jsonrpc_recv_wait(struct jsonrpc *rpc)
{
    if (rpc->status || rpc->input_ofs < rpc->input_len) {
        poll_immediate_wake();
    } else {
        stream_recv_wait(rpc->stream);
    }
}

int
jsonrpc_send_block(struct jsonrpc *rpc, struct jsonrpc_msg *msg)
{
    int error = jsonrpc_send(rpc, msg);
    if (error) {
        return error;
    }

    for (;;) {
        jsonrpc_run(rpc);
        if (!rpc->backlog || rpc->status) {
            return rpc->status;
        }
        jsonrpc_wait(rpc);
        poll_block();
    }
}

int
jsonrpc_recv_block(struct jsonrpc *rpc, struct jsonrpc_msg **msgp)
{
    for (;;) {
        int error = jsonrpc_recv(rpc, msgp);
        if (error != EAGAIN) {
            return error;
        }
        jsonrpc_run(rpc);
        jsonrpc_wait(rpc);
        jsonrpc_recv_wait(rpc);
        poll_block();
    }
}

int
jsonrpc_transact_block(struct jsonrpc *rpc, struct jsonrpc_msg *request,
                       struct jsonrpc_msg **replyp)
{
    struct jsonrpc_msg *reply = NULL;
    json_t *id;
    int error;

    *replyp = NULL;
    vs_assert(request->type == JSONRPC_REQUEST);
    id = json_incref(request->id);

    error = jsonrpc_send_block(rpc, request);
    while (!error) {
        error = jsonrpc_recv_block(rpc, &reply);
        if (error) {
            break;
        }
        if ((reply->type == JSONRPC_REPLY || reply->type == JSONRPC_ERROR)
            && json_equal(reply->id, id)) {
            break;
        }
        jsonrpc_msg_destroy(reply);
        reply = NULL;
    }
    json_decref(id);

    *replyp = error ? NULL : reply;
    return error;
}
