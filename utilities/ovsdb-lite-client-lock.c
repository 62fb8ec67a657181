/* ovsdb-lite-client-lock.c: the "lock" and "steal" commands.
 *
 * Each asks the server for a named lock (RFC 7047 section 4.1.8), then
 * holds the connection open until killed or --timeout, printing
 * "NAME: STATE" whenever the state changes: "locked", "waiting" (another
 * client holds it), "stolen" (another client's "steal" took it). */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "jsonrpc.h"
#include "ovsdb-lite-client.h"

static const char *lock_name;
static const char *lock_state;  /* "locked", "waiting", "stolen". */

/* Prints "NAME: STATE" if STATE differs from the last one printed (a
 * server may repeat itself, e.g. Open vSwitch's ovsdb-server can send
 * "locked" to a client that already holds the lock). */
static void
set_lock_state(const char *state)
{
    if (!lock_state || strcmp(state, lock_state)) {
        lock_state = state;
        printf("%s: %s\n", lock_name, state);
        output_flush();
    }
}

static void
lock_handle_notification(const struct jsonrpc_msg *msg)
{
    const json_t *name = (json_is_array(msg->params)
                          ? json_array_get(msg->params, 0) : NULL);
    if (!json_is_string(name) || strcmp(json_string_value(name), lock_name)) {
        return;
    }
    if (!strcmp(msg->method, "locked")) {
        set_lock_state("locked");
    } else if (!strcmp(msg->method, "stolen")) {
        set_lock_state("stolen");
    }
}

/* Sends METHOD ("lock" or "steal") for lock NAME, then reports its state
 * until killed or --timeout. */
static void VS_NO_RETURN
run_lock(const char *method, const char *name)
{
    lock_name = name;
    struct jsonrpc_msg *reply = server_request(method,
                                               json_pack("[s]", name),
                                               lock_handle_notification);
    server_check_reply(reply, "%s: %s request failed", server_name(),
                       method);
    const json_t *locked = json_object_get(reply->result, "locked");
    if (!json_is_boolean(locked)) {
        json_fatal(reply->result, "%s: unexpected reply to %s request",
                   server_name(), method);
    }
    set_lock_state(json_is_true(locked) ? "locked" : "waiting");
    jsonrpc_msg_destroy(reply);

    server_serve_forever(lock_handle_notification);
}

void
do_lock(int argc VS_UNUSED, char *argv[])
{
    run_lock("lock", argv[0]);
}

void
do_steal(int argc VS_UNUSED, char *argv[])
{
    run_lock("steal", argv[0]);
}
