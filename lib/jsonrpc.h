/* JSON-RPC 1.0 over a stream (RFC 7047 section 4 flavour), on jansson.
 *
 * Messages are JSON objects sent back to back with no delimiter.  Input is
 * framed by hand (a scanner finds where each top-level object ends, across
 * reads, inside strings and escapes) and each complete object is parsed by
 * jansson.  Integers are 64-bit (json_int_t) and strings are UTF-8. */
#ifndef JSONRPC_H
#define JSONRPC_H 1

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include "compiler.h"

struct stream;

enum jsonrpc_msg_type {
    JSONRPC_REQUEST,    /* Has method, params, id. */
    JSONRPC_NOTIFY,     /* Has method, params, null id. */
    JSONRPC_REPLY,      /* Has result, null error, id. */
    JSONRPC_ERROR       /* Has error, null result, id. */
};

struct jsonrpc_msg {
    enum jsonrpc_msg_type type;
    char *method;       /* Request or notify. */
    json_t *params;     /* Request or notify: an array. */
    json_t *result;     /* Reply. */
    json_t *error;      /* Error. */
    json_t *id;         /* Request, reply, error. */
};

const char *jsonrpc_msg_type_to_string(enum jsonrpc_msg_type);

/* Constructors take ownership of the json_t arguments (one reference). */
struct jsonrpc_msg *jsonrpc_create_request(const char *method,
                                           json_t *params, json_t **idp);
struct jsonrpc_msg *jsonrpc_create_notify(const char *method,
                                          json_t *params);
struct jsonrpc_msg *jsonrpc_create_reply(json_t *result, const json_t *id);
struct jsonrpc_msg *jsonrpc_create_error(json_t *error, const json_t *id);
/* Frees MSG and drops its references (NULL is a no-op). */
void jsonrpc_msg_destroy(struct jsonrpc_msg *);

/* Checks that MSG has exactly the members its type requires.  Returns NULL
 * or an error message that the caller frees. */
char *jsonrpc_msg_is_valid(const struct jsonrpc_msg *);

/* Converts JSON into a message, validating it.  Returns NULL and stores
 * the message in *MSGP, or returns an error the caller frees.  Does not take
 * ownership of JSON. */
char *jsonrpc_msg_from_json(const json_t *, struct jsonrpc_msg **msgp)
    VS_WARN_UNUSED_RESULT;
/* Returns a new JSON object for MSG (a new reference). */
json_t *jsonrpc_msg_to_json(const struct jsonrpc_msg *);
/* Returns MSG serialized compactly; the caller frees it. */
char *jsonrpc_msg_to_string(const struct jsonrpc_msg *);

/* Incremental framing of back-to-back JSON objects on a byte stream.
 *
 * Objects and arrays nested more than JSONRPC_MAX_DEPTH levels deep are a
 * framing error ("message nests deeper than 64 levels"): no JSON-RPC or
 * OVSDB message comes near it, and it keeps a hostile peer from making
 * the recursive parser and printer work through absurd depths. */
#define JSONRPC_MAX_DEPTH 64
struct json_framer;
/* MAX_SIZE bounds one message (0: no bound). */
struct json_framer *json_framer_create(size_t max_size);
void json_framer_destroy(struct json_framer *);
/* Feeds up to N bytes; returns how many were consumed.  Stops consuming
 * when a complete object is available (json_framer_is_done()) or on error
 * (json_framer_get_error()). */
size_t json_framer_feed(struct json_framer *, const char *buf, size_t n);
bool json_framer_is_done(const struct json_framer *);
/* Takes the completed object, parsed with jansson: returns a new reference
 * (or NULL with *ERRORP set to a message the caller frees) and resets the
 * framer for the next object. */
json_t *json_framer_take(struct json_framer *, char **errorp);
/* Returns a message for a framing error (garbage between objects, size or
 * depth limit), or NULL. */
const char *json_framer_get_error(const struct json_framer *);

/* A JSON-RPC connection. */
struct jsonrpc;

#define JSONRPC_DEFAULT_MAX_MSG_SIZE (64 * 1024 * 1024)

/* Takes ownership of STREAM. */
struct jsonrpc *jsonrpc_open(struct stream *);
void jsonrpc_close(struct jsonrpc *);
const char *jsonrpc_get_name(const struct jsonrpc *);
/* Sets the largest message accepted (0 = unbounded); a larger one closes
 * the connection with EMSGSIZE and a log line. */
void jsonrpc_set_max_msg_size(struct jsonrpc *, size_t max);

/* Slow-consumer limits: when more than MAX_MSGS messages or MAX_BYTES
 * bytes are queued but not yet sent (0 = no limit on that count), the next
 * jsonrpc_send() drops the connection with ENOBUFS and a warning, instead of
 * queueing without bound.  One message alone never exceeds the limits, so
 * a single large message can always be sent.  No limits by default;
 * jsonrpc_session sets some. */
void jsonrpc_set_max_backlog(struct jsonrpc *, size_t max_bytes,
                             size_t max_msgs);

/* Sends queued output; registers waits. */
void jsonrpc_run(struct jsonrpc *);
void jsonrpc_wait(struct jsonrpc *);
/* Returns 0 while healthy, EOF after an orderly close, else errno. */
int jsonrpc_get_status(const struct jsonrpc *);
/* Bytes and messages queued but not yet sent. */
size_t jsonrpc_get_backlog(const struct jsonrpc *);
size_t jsonrpc_get_backlog_msgs(const struct jsonrpc *);
/* Total bytes ever received (for liveness accounting). */
unsigned long long int jsonrpc_get_received_bytes(const struct jsonrpc *);

/* Queues MSG (taking ownership) and tries to send it now.  Returns 0 or
 * the connection's error status.
 *
 * Exception, for throughput: if more received bytes are already buffered
 * (the caller is working through a batch of requests), the message is only
 * queued; it leaves together with the following ones when jsonrpc_recv()
 * runs out of buffered input or at the next jsonrpc_run(), and
 * jsonrpc_wait() wakes the loop at once meanwhile. */
int jsonrpc_send(struct jsonrpc *, struct jsonrpc_msg *);
/* Tries to receive one message: returns 0 with *MSGP set, EAGAIN if none
 * is complete yet, EOF or errno once the connection failed. */
int jsonrpc_recv(struct jsonrpc *, struct jsonrpc_msg **msgp);
void jsonrpc_recv_wait(struct jsonrpc *);

/* Blocking forms: run the reactor until done. */
int jsonrpc_send_block(struct jsonrpc *, struct jsonrpc_msg *);
int jsonrpc_recv_block(struct jsonrpc *, struct jsonrpc_msg **);
/* Sends REQUEST and waits for the reply or error with the same id,
 * discarding other messages.  Returns 0 with *REPLYP set, or errno. */
int jsonrpc_transact_block(struct jsonrpc *, struct jsonrpc_msg *request,
                           struct jsonrpc_msg **replyp);

#endif /* jsonrpc.h */
