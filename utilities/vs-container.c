/* vs-container: attach containers to vswitch-lite bridges.
 *
 * Every command is one database transaction (plus, with --wait, the wait
 * until vswitchd has applied it): vswitchd does all the kernel work.  See
 * vs-container(8). */
#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <net/if.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <jansson.h>

#include "command-line.h"
#include "dirs.h"
#include "dynamic-string.h"
#include "netns.h"
#include "ovsdb-data.h"
#include "ovsdb-idl.h"
#include "poll-loop.h"
#include "stream-ssl.h"
#include "shash.h"
#include "timeval.h"
#include "util.h"
#include "vlog.h"

VLOG_DEFINE_MODULE(vs_container);

#define DOCKER_SOCKET "/var/run/docker.sock"

/* Command-line settings. */
static char *db;
static bool wait_for_vswitchd = true;
static long long int timeout_msec;     /* 0: none. */
static long long int deadline = LLONG_MAX;
static char **ipaddresses;
static size_t n_ipaddresses;
static char *gateway;
static char *macaddress;
static int mtu;
static int vlan = -1;

static void usage(void) VS_NO_RETURN;
static void fatal(const char *format, ...) VS_PRINTF_FORMAT(1, 2)
    VS_NO_RETURN;

static void
fatal(const char *format, ...)
{
    va_list args;

    fprintf(stderr, "%s: ", program_name);
    va_start(args, format);
    vfprintf(stderr, format, args);
    va_end(args);
    fputc('\n', stderr);
    exit(EXIT_FAILURE);
}

/* ---------------------------------------------------------------------
 * Containers.
 */

/* A container resolved: 'key' identifies it in external_ids:container_id,
 * 'netns' is what vswitchd gets in options:netns. */
struct container {
    char *key;
    char *netns;
    char *describe;             /* For messages. */
};

static void
container_destroy(struct container *c)
{
    free(c->key);
    free(c->netns);
    free(c->describe);
}

/* Asks the Docker engine at DOCKER_SOCKET about container NAME.  Returns
 * NULL and fills C, or returns an error message. */
static char *
docker_lookup(const char *name, struct container *c)
{
    struct sockaddr_un sun;
    struct ds req = DS_EMPTY_INITIALIZER;
    struct ds resp = DS_EMPTY_INITIALIZER;
    const char *body, *id;
    json_error_t jerr;
    json_t *json, *state;
    char buf[4096];
    int fd, status = 0;
    ssize_t n;

    for (const char *p = name; *p; p++) {
        if (!(isalnum((unsigned char) *p) || strchr("_.-", *p))) {
            return xasprintf("\"%s\" is not a network namespace and not a "
                             "valid Docker container name", name);
        }
    }

    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return xasprintf("socket: %s", vs_strerror(errno));
    }
    memset(&sun, 0, sizeof sun);
    sun.sun_family = AF_UNIX;
    snprintf(sun.sun_path, sizeof sun.sun_path, "%s", DOCKER_SOCKET);
    if (connect(fd, (struct sockaddr *) &sun, sizeof sun)) {
        int error = errno;

        close(fd);
        return xasprintf("no network namespace named \"%s\", and no Docker "
                         "engine answers on %s (%s)", name, DOCKER_SOCKET,
                         vs_strerror(error));
    }

    ds_put_format(&req, "GET /containers/%s/json HTTP/1.0\r\n"
                  "Host: docker\r\n\r\n", name);
    if (write(fd, req.string, req.length) != (ssize_t) req.length) {
        close(fd);
        ds_destroy(&req);
        return xasprintf("%s: write failed", DOCKER_SOCKET);
    }
    ds_destroy(&req);
    while ((n = read(fd, buf, sizeof buf)) > 0) {
        ds_put_buffer(&resp, buf, n);
    }
    close(fd);

    if (sscanf(ds_cstr(&resp), "HTTP/%*s %d", &status) != 1) {
        ds_destroy(&resp);
        return xasprintf("%s: malformed reply from the Docker engine",
                         DOCKER_SOCKET);
    }
    body = strstr(ds_cstr(&resp), "\r\n\r\n");
    if (status == 404) {
        ds_destroy(&resp);
        return xasprintf("no network namespace or Docker container named "
                         "\"%s\"", name);
    } else if (status != 200 || !body) {
        ds_destroy(&resp);
        return xasprintf("Docker engine: HTTP status %d for container "
                         "\"%s\"", status, name);
    }
    json = json_loads(body + 4, 0, &jerr);
    ds_destroy(&resp);
    if (!json) {
        return xasprintf("Docker engine: bad JSON (%s)", jerr.text);
    }
    id = json_string_value(json_object_get(json, "Id"));
    state = json_object_get(json, "State");
    json_int_t pid = json_integer_value(json_object_get(state, "Pid"));
    if (!id || !json_is_true(json_object_get(state, "Running")) || pid <= 0) {
        json_decref(json);
        return xasprintf("Docker container \"%s\" is not running", name);
    }
    c->key = xstrdup(id);
    c->netns = xasprintf("pid:%lld", (long long int) pid);
    c->describe = xasprintf("Docker container %s", name);
    json_decref(json);
    return NULL;
}

/* Resolves SPEC: a netns name, pid:N, a path, or a Docker container. */
static void
container_resolve(const char *spec, struct container *c)
{
    char *msg;

    memset(c, 0, sizeof *c);
    if (!spec[0]) {
        fatal("empty container name");
    }
    if (str_starts_with(spec, "pid:") || spec[0] == '/'
        || netns_exists(spec)) {
        struct netns *ns;

        if (netns_open(spec, &ns, &msg)) {
            fatal("%s", msg);
        }
        c->describe = xstrdup(netns_describe(ns));
        netns_close(ns);
        c->key = xstrdup(spec);
        c->netns = xstrdup(spec);
        return;
    }
    msg = docker_lookup(spec, c);
    if (msg) {
        fatal("%s", msg);
    }
}

/* The key of SPEC without requiring the container to exist any more (for
 * del-port, del-ports and list after a container went away). */
static char *
container_key(const char *spec)
{
    struct container c;
    char *msg;

    if (str_starts_with(spec, "pid:") || spec[0] == '/'
        || netns_exists(spec)) {
        return xstrdup(spec);
    }
    msg = docker_lookup(spec, &c);
    if (msg) {
        free(msg);
        return xstrdup(spec);
    }
    free(c.netns);
    free(c.describe);
    return c.key;
}

/* Host-side device name for container KEY's interface IFACE: "vc" and 8
 * hex digits of a hash (FNV-1a) of both, 10 characters. */
static char *
host_ifname(const char *key, const char *iface)
{
    uint32_t h = 2166136261u;

    for (const char *p = key; *p; p++) {
        h = (h ^ (unsigned char) *p) * 16777619u;
    }
    h = (h ^ '/') * 16777619u;
    for (const char *p = iface; *p; p++) {
        h = (h ^ (unsigned char) *p) * 16777619u;
    }
    return xasprintf("vc%08"PRIx32, h);
}

/* ---------------------------------------------------------------------
 * Database.
 */

static struct ovsdb_idl *idl;

static void
run_until(bool (*cond)(void *), void *aux, const char *what)
{
    for (;;) {
        ovsdb_idl_run(idl);
        if (cond(aux)) {
            return;
        }
        if (!ovsdb_idl_is_alive(idl)) {
            const char *msg = ovsdb_idl_get_error_message(idl);
            int error = ovsdb_idl_get_last_error(idl);

            fatal("%s: database connection failed (%s)",
                  ovsdb_idl_get_remote(idl),
                  msg ? msg : error == EOF ? "connection closed"
                  : vs_strerror(error));
        }
        if (time_msec() >= deadline) {
            fatal("timeout while %s", what);
        }
        ovsdb_idl_wait(idl);
        if (deadline != LLONG_MAX) {
            poll_timer_wait_until(deadline);
        }
        poll_block();
    }
}

static bool
is_connected(void *aux VS_UNUSED)
{
    return ovsdb_idl_is_connected(idl);
}

static void
db_connect(void)
{
    static const char *const cols[][2] = {
        {"Open_vSwitch", "bridges"}, {"Open_vSwitch", "next_cfg"},
        {"Open_vSwitch", "cur_cfg"},
        {"Bridge", "name"}, {"Bridge", "ports"},
        {"Port", "name"}, {"Port", "interfaces"}, {"Port", "tag"},
        {"Port", "external_ids"},
        {"Interface", "name"}, {"Interface", "type"},
        {"Interface", "options"}, {"Interface", "external_ids"},
        {"Interface", "error"}, {"Interface", "link_state"},
        {"Interface", "mac"}, {"Interface", "mtu_request"},
    };

    idl = ovsdb_idl_create(db, "Open_vSwitch", false);
    for (size_t i = 0; i < ARRAY_SIZE(cols); i++) {
        ovsdb_idl_add_column(idl, cols[i][0], cols[i][1]);
    }
    run_until(is_connected, NULL, "connecting to the database");
}

static const struct ovsdb_idl_row *
find_bridge(const char *name)
{
    return ovsdb_idl_find_row_by_string(idl, "Bridge", "name", name);
}

/* The bridge that has PORT, or NULL. */
static const struct ovsdb_idl_row *
port_bridge(const struct ovsdb_idl_row *port)
{
    const struct ovsdb_idl_row *br;

    OVSDB_IDL_FOR_EACH (br, "Bridge", idl) {
        const struct ovsdb_datum *ports = ovsdb_idl_row_get(br, "ports",
                                                            NULL);

        for (unsigned int i = 0; i < ports->n; i++) {
            if (uuid_equals(&ports->keys[i].uuid,
                            ovsdb_idl_row_get_uuid(port))) {
                return br;
            }
        }
    }
    return NULL;
}

/* The Interface row of PORT (its first), or NULL. */
static const struct ovsdb_idl_row *
port_iface(const struct ovsdb_idl_row *port)
{
    return ovsdb_idl_row_get_ref(port, "interfaces", 0);
}

/* Calls CB for each of the container's ports (optionally only IFACE,
 * optionally only on bridge BR). */
struct cport {
    const struct ovsdb_idl_row *port, *iface, *bridge;
};

static size_t
find_container_ports(const char *key, const char *iface_name,
                     const char *br_name, struct cport **portsp)
{
    const struct ovsdb_idl_row *port;
    struct cport *ports = NULL;
    size_t n = 0;

    OVSDB_IDL_FOR_EACH (port, "Port", idl) {
        const char *cid = ovsdb_idl_row_get_map_string(port, "external_ids",
                                                       "container_id");
        const char *cif = ovsdb_idl_row_get_map_string(port, "external_ids",
                                                       "container_iface");
        const struct ovsdb_idl_row *iface = port_iface(port);
        const struct ovsdb_idl_row *br;

        if (!cid || !cif || strcmp(cid, key)
            || (iface_name && strcmp(cif, iface_name))) {
            continue;
        }
        br = port_bridge(port);
        if (br_name && (!br || strcmp(ovsdb_idl_row_get_string(br, "name"),
                                      br_name))) {
            continue;
        }
        ports = xrealloc(ports, (n + 1) * sizeof *ports);
        ports[n].port = port;
        ports[n].iface = iface;
        ports[n].bridge = br;
        n++;
    }
    *portsp = ports;
    return n;
}

static void
write_smap(struct ovsdb_idl_txn *txn, const struct ovsdb_idl_row *row,
           const char *column, const char *const *kv, size_t n)
{
    if (!ovsdb_idl_txn_write_smap(txn, row, column, kv, n)) {
        fatal("the database has no column %s in table %s", column,
              ovsdb_idl_row_get_table_name(row));
    }
}

static void
set_ref_mutation(struct ovsdb_idl_txn *txn, const struct ovsdb_idl_row *row,
                 const char *column, const char *mutator,
                 const struct uuid *uuid)
{
    const struct ovsdb_type *type;
    union ovsdb_atom atom;
    struct ovsdb_datum d;

    ovsdb_idl_row_get(row, column, &type);
    if (!type) {
        fatal("the database has no column %s in table %s", column,
              ovsdb_idl_row_get_table_name(row));
    }
    atom.uuid = *uuid;
    ovsdb_datum_init_empty(&d);
    ovsdb_datum_add_unsafe(&d, &atom, NULL, type);
    ovsdb_idl_txn_mutate(txn, row, column, mutator, &d);
}

static int64_t wait_cfg;

static bool
cfg_reached(void *aux VS_UNUSED)
{
    const struct ovsdb_idl_row *ovs = ovsdb_idl_first_row(idl,
                                                          "Open_vSwitch");

    return (ovsdb_idl_is_connected(idl) && ovs
            && ovsdb_idl_row_get_integer(ovs, "cur_cfg", 0) >= wait_cfg);
}

/* Commits TXN (which includes a next_cfg increment if waiting) and waits
 * for vswitchd if asked. */
static void
commit(struct ovsdb_idl_txn *txn, const char *what)
{
    enum ovsdb_idl_txn_status status;

    for (;;) {
        status = ovsdb_idl_txn_commit(txn);
        if (status != TXN_INCOMPLETE) {
            break;
        }
        if (time_msec() >= deadline) {
            fatal("timeout while %s", what);
        }
        ovsdb_idl_run(idl);
        ovsdb_idl_wait(idl);
        ovsdb_idl_txn_wait(txn);
        if (deadline != LLONG_MAX) {
            poll_timer_wait_until(deadline);
        }
        poll_block();
    }
    if (status != TXN_SUCCESS && status != TXN_UNCHANGED) {
        const char *err = ovsdb_idl_txn_get_error(txn);

        fatal("transaction failed while %s: %s%s%s", what,
              ovsdb_idl_txn_status_to_string(status), err ? ": " : "",
              err ? err : "");
    }
    if (wait_for_vswitchd && status == TXN_SUCCESS) {
        wait_cfg = ovsdb_idl_txn_get_increment_new_value(txn);
        ovsdb_idl_txn_destroy(txn);
        run_until(cfg_reached, NULL, "waiting for vswitchd to apply the "
                  "change (is vswitchd running?)");
    } else {
        ovsdb_idl_txn_destroy(txn);
    }
}

static struct ovsdb_idl_txn *
start_txn(const char *comment)
{
    const struct ovsdb_idl_row *ovs = ovsdb_idl_first_row(idl,
                                                          "Open_vSwitch");
    struct ovsdb_idl_txn *txn;

    if (!ovs) {
        fatal("the database has no Open_vSwitch row (run \"vsctl init\" "
              "first)");
    }
    txn = ovsdb_idl_txn_create(idl);
    ovsdb_idl_txn_add_comment(txn, "vs-container: %s", comment);
    if (wait_for_vswitchd) {
        ovsdb_idl_txn_increment(txn, ovs, "next_cfg");
    }
    return txn;
}

/* ---------------------------------------------------------------------
 * Commands.
 */

static void
cmd_add_port(int argc VS_UNUSED, char *argv[])
{
    const char *br_name = argv[0], *iface = argv[1];
    const struct ovsdb_idl_row *br, *port, *ifrow;
    struct ovsdb_idl_txn *txn;
    struct container c;
    struct cport *existing;
    struct ds addrs = DS_EMPTY_INITIALIZER;
    struct uuid port_uuid, iface_uuid;
    const char *opts[8], *ext[4];
    size_t n_opts = 0;
    char *host, *comment;

    if (strlen(iface) >= IFNAMSIZ || !iface[0] || strchr(iface, '/')
        || strchr(iface, ' ') || strchr(iface, ':')) {
        fatal("\"%s\" is not a valid interface name (at most %d "
              "characters, no '/', ':' or blanks)", iface, IFNAMSIZ - 1);
    }
    container_resolve(argv[2], &c);
    host = host_ifname(c.key, iface);

    db_connect();
    br = find_bridge(br_name);
    if (!br) {
        fatal("no bridge named %s", br_name);
    }
    if (find_container_ports(c.key, iface, NULL, &existing)) {
        fatal("%s already has an interface %s on bridge %s",
              c.describe, iface,
              existing[0].bridge
              ? ovsdb_idl_row_get_string(existing[0].bridge, "name") : "?");
    }
    OVSDB_IDL_FOR_EACH (port, "Port", idl) {
        const char *n = ovsdb_idl_row_get_string(port, "name");

        if (n && !strcmp(n, host)) {
            fatal("host-side name %s is already used by another port",
                  host);
        }
    }

    comment = xasprintf("add-port %s %s %s", br_name, iface, argv[2]);
    txn = start_txn(comment);
    free(comment);

    uuid_random(&iface_uuid);
    uuid_random(&port_uuid);
    ifrow = ovsdb_idl_txn_insert(txn, "Interface", &iface_uuid);
    port = ovsdb_idl_txn_insert(txn, "Port", &port_uuid);
    if (!ifrow || !port) {
        fatal("the database lacks the Port or Interface table");
    }
    ovsdb_idl_txn_write_string(txn, ifrow, "name", host);
    ovsdb_idl_txn_write_string(txn, ifrow, "type", "veth");
    opts[n_opts++] = "netns";
    opts[n_opts++] = c.netns;
    opts[n_opts++] = "peer";
    opts[n_opts++] = iface;
    for (size_t i = 0; i < n_ipaddresses; i++) {
        ds_put_format(&addrs, "%s%s", i ? "," : "", ipaddresses[i]);
    }
    if (addrs.length) {
        opts[n_opts++] = "address";
        opts[n_opts++] = ds_cstr(&addrs);
    }
    if (gateway) {
        opts[n_opts++] = "gateway";
        opts[n_opts++] = gateway;
    }
    /* Keys must be sorted for write_smap(): sort pairs by key. */
    for (size_t i = 0; i < n_opts / 2; i++) {
        for (size_t j = i + 1; j < n_opts / 2; j++) {
            if (strcmp(opts[2 * i], opts[2 * j]) > 0) {
                const char *k = opts[2 * i], *v = opts[2 * i + 1];

                opts[2 * i] = opts[2 * j];
                opts[2 * i + 1] = opts[2 * j + 1];
                opts[2 * j] = k;
                opts[2 * j + 1] = v;
            }
        }
    }
    write_smap(txn, ifrow, "options", opts, n_opts / 2);
    if (macaddress) {
        ovsdb_idl_txn_write_string(txn, ifrow, "mac", macaddress);
    }
    if (mtu) {
        ovsdb_idl_txn_write_integer(txn, ifrow, "mtu_request", mtu);
    }
    ext[0] = "container_id";
    ext[1] = c.key;
    ext[2] = "container_iface";
    ext[3] = iface;
    write_smap(txn, ifrow, "external_ids", ext, 2);

    ovsdb_idl_txn_write_string(txn, port, "name", host);
    ovsdb_idl_txn_write_uuid(txn, port, "interfaces", &iface_uuid);
    if (vlan > 0) {
        ovsdb_idl_txn_write_integer(txn, port, "tag", vlan);
    }
    write_smap(txn, port, "external_ids", ext, 2);
    set_ref_mutation(txn, br, "ports", "insert", &port_uuid);

    commit(txn, "adding the port");

    if (wait_for_vswitchd) {
        const struct ovsdb_idl_row *row;

        OVSDB_IDL_FOR_EACH (row, "Interface", idl) {
            const char *n = ovsdb_idl_row_get_string(row, "name");
            const char *err = ovsdb_idl_row_get_string(row, "error");

            if (n && !strcmp(n, host) && err) {
                fatal("port %s (host side %s) was added, but vswitchd "
                      "reports: %s", iface, host, err);
            }
        }
    }
    ds_destroy(&addrs);
    free(host);
    container_destroy(&c);
}

static void
delete_ports(struct ovsdb_idl_txn *txn, const struct cport *ports, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (ports[i].bridge) {
            set_ref_mutation(txn, ports[i].bridge, "ports", "delete",
                             ovsdb_idl_row_get_uuid(ports[i].port));
        }
        ovsdb_idl_txn_delete(txn, ports[i].port);
        if (ports[i].iface) {
            ovsdb_idl_txn_delete(txn, ports[i].iface);
        }
    }
}

static void
cmd_del_port(int argc VS_UNUSED, char *argv[])
{
    char *key = container_key(argv[2]);
    struct ovsdb_idl_txn *txn;
    struct cport *ports;
    size_t n;

    db_connect();
    if (!find_bridge(argv[0])) {
        fatal("no bridge named %s", argv[0]);
    }
    n = find_container_ports(key, argv[1], argv[0], &ports);
    if (!n) {
        fatal("container %s has no interface %s on bridge %s", argv[2],
              argv[1], argv[0]);
    }
    txn = start_txn("del-port");
    delete_ports(txn, ports, n);
    commit(txn, "deleting the port");
    free(ports);
    free(key);
}

static void
cmd_del_ports(int argc VS_UNUSED, char *argv[])
{
    char *key = container_key(argv[1]);
    struct ovsdb_idl_txn *txn;
    struct cport *ports;
    size_t n;

    db_connect();
    if (!find_bridge(argv[0])) {
        fatal("no bridge named %s", argv[0]);
    }
    n = find_container_ports(key, NULL, argv[0], &ports);
    if (n) {
        txn = start_txn("del-ports");
        delete_ports(txn, ports, n);
        commit(txn, "deleting the ports");
    }
    free(ports);
    free(key);
}

static void
cmd_set_vlan(int argc VS_UNUSED, char *argv[])
{
    char *key = container_key(argv[2]);
    struct ovsdb_idl_txn *txn;
    struct cport *ports;
    int vid;

    if (!str_to_int(argv[3], &vid) || vid < 0 || vid > 4094) {
        fatal("\"%s\" is not a VLAN (1 to 4094, or 0 for none)", argv[3]);
    }
    db_connect();
    if (!find_bridge(argv[0])) {
        fatal("no bridge named %s", argv[0]);
    }
    if (!find_container_ports(key, argv[1], argv[0], &ports)) {
        fatal("container %s has no interface %s on bridge %s", argv[2],
              argv[1], argv[0]);
    }
    txn = start_txn("set-vlan");
    if (vid) {
        ovsdb_idl_txn_write_integer(txn, ports[0].port, "tag", vid);
    } else {
        ovsdb_idl_txn_clear(txn, ports[0].port, "tag");
    }
    commit(txn, "setting the VLAN");
    free(ports);
    free(key);
}

static int
compare_cports(const void *a_, const void *b_)
{
    const struct cport *a = a_, *b = b_;
    const char *an = a->bridge ? ovsdb_idl_row_get_string(a->bridge, "name")
                               : "";
    const char *bn = b->bridge ? ovsdb_idl_row_get_string(b->bridge, "name")
                               : "";
    int c = strcmp(an, bn);

    return c ? c : strcmp(ovsdb_idl_row_get_map_string(a->port,
                                                       "external_ids",
                                                       "container_iface"),
                          ovsdb_idl_row_get_map_string(b->port,
                                                       "external_ids",
                                                       "container_iface"));
}

static void
cmd_list(int argc VS_UNUSED, char *argv[])
{
    char *key = container_key(argv[0]);
    struct cport *ports;
    size_t n;

    wait_for_vswitchd = false;
    db_connect();
    n = find_container_ports(key, NULL, NULL, &ports);
    if (n) {
        qsort(ports, n, sizeof *ports, compare_cports);
    }
    if (n) {
        printf("%-15s %-15s %-15s %-5s %-10s %s\n", "BRIDGE", "INTERFACE",
               "HOST-DEVICE", "VLAN", "STATE", "ADDRESSES");
    }
    for (size_t i = 0; i < n; i++) {
        const struct cport *p = &ports[i];
        int64_t tag = ovsdb_idl_row_get_integer(p->port, "tag", 0);
        const char *addr = p->iface
            ? ovsdb_idl_row_get_map_string(p->iface, "options", "address")
            : NULL;
        const char *err = p->iface
            ? ovsdb_idl_row_get_string(p->iface, "error") : NULL;
        const char *state = p->iface
            ? ovsdb_idl_row_get_string(p->iface, "link_state") : NULL;
        char tagbuf[16];

        snprintf(tagbuf, sizeof tagbuf, "%"PRId64, tag);
        printf("%-15s %-15s %-15s %-5s %-10s %s\n",
               p->bridge ? ovsdb_idl_row_get_string(p->bridge, "name") : "-",
               ovsdb_idl_row_get_map_string(p->port, "external_ids",
                                            "container_iface"),
               ovsdb_idl_row_get_string(p->port, "name"),
               tag ? tagbuf : "-", err ? "error" : state ? state : "-",
               addr ? addr : "-");
        if (err) {
            printf("  error: %s\n", err);
        }
    }
    free(ports);
    free(key);
}

/* Each command takes exactly min_args (== max_args) arguments. */
static const struct vs_command commands[] = {
    {"add-port", 3, 3, cmd_add_port},
    {"del-port", 3, 3, cmd_del_port},
    {"del-ports", 2, 2, cmd_del_ports},
    {"set-vlan", 4, 4, cmd_set_vlan},
    {"list", 1, 1, cmd_list},
    {NULL, 0, 0, NULL},
};

int
main(int argc, char *argv[])
{
    enum {
        OPT_DB = UCHAR_MAX + 1,
        OPT_WAIT,
        OPT_NO_WAIT,
        OPT_TIMEOUT,
        OPT_IPADDRESS,
        OPT_GATEWAY,
        OPT_MACADDRESS,
        OPT_MTU,
        OPT_VLAN,
        VLOG_OPTION_ENUMS,
        STREAM_SSL_OPTION_ENUMS,
    };
    static const struct option long_options[] = {
        {"db", required_argument, NULL, OPT_DB},
        {"wait", no_argument, NULL, OPT_WAIT},
        {"no-wait", no_argument, NULL, OPT_NO_WAIT},
        {"timeout", required_argument, NULL, OPT_TIMEOUT},
        {"ipaddress", required_argument, NULL, OPT_IPADDRESS},
        {"gateway", required_argument, NULL, OPT_GATEWAY},
        {"macaddress", required_argument, NULL, OPT_MACADDRESS},
        {"mtu", required_argument, NULL, OPT_MTU},
        {"vlan", required_argument, NULL, OPT_VLAN},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        VLOG_LONG_OPTIONS,
        STREAM_SSL_LONG_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    char *short_options;
    const struct vs_command *cmd;
    bool add_only = false;

    set_program_name(argv[0]);
    vlog_set_levels(NULL, VLF_CONSOLE, VLL_WARN);
    short_options = long_options_to_short_options(long_options);
    for (;;) {
        int c = getopt_long(argc, argv, short_options, long_options, NULL);
        int secs;

        if (c == -1) {
            break;
        }
        switch (c) {
        case OPT_DB:
            free(db);
            db = xstrdup(optarg);
            break;
        case OPT_WAIT:
            wait_for_vswitchd = true;
            break;
        case OPT_NO_WAIT:
            wait_for_vswitchd = false;
            break;
        case OPT_TIMEOUT:
            if (!str_to_int(optarg, &secs) || secs < 0) {
                fatal("--timeout: \"%s\" is not a number of seconds",
                      optarg);
            }
            timeout_msec = secs * 1000LL;
            break;
        case OPT_IPADDRESS:
            ipaddresses = xrealloc(ipaddresses, (n_ipaddresses + 1)
                                   * sizeof *ipaddresses);
            ipaddresses[n_ipaddresses++] = optarg;
            add_only = true;
            break;
        case OPT_GATEWAY:
            gateway = optarg;
            add_only = true;
            break;
        case OPT_MACADDRESS:
            macaddress = optarg;
            add_only = true;
            break;
        case OPT_MTU:
            if (!str_to_int(optarg, &mtu) || mtu < 68 || mtu > 65535) {
                fatal("--mtu: \"%s\" is not an MTU (68 to 65535)", optarg);
            }
            add_only = true;
            break;
        case OPT_VLAN:
            if (!str_to_int(optarg, &vlan) || vlan < 1 || vlan > 4094) {
                fatal("--vlan: \"%s\" is not a VLAN (1 to 4094)", optarg);
            }
            add_only = true;
            break;
        case 'h':
            usage();
        case 'V':
            vs_print_version();
            exit(EXIT_SUCCESS);
        VLOG_OPTION_HANDLERS
        STREAM_SSL_OPTION_HANDLERS
        case '?':
            exit(EXIT_FAILURE);
        default:
            abort();
        }
    }
    free(short_options);

    if (optind >= argc) {
        fatal("missing command name (use --help for help)");
    }
    cmd = vs_command_find(commands, argv[optind]);
    if (!cmd) {
        fatal("unknown command \"%s\" (use --help for help)", argv[optind]);
    }
    if (argc - optind - 1 != cmd->min_args) {
        fatal("\"%s\" takes exactly %d arguments (use --help for help)",
              cmd->name, cmd->min_args);
    }
    if (add_only && cmd->handler != cmd_add_port) {
        fatal("--ipaddress, --gateway, --macaddress, --mtu and --vlan only "
              "go with add-port");
    }
    if (!db) {
        db = xasprintf("unix:%s/db.sock", vs_rundir());
    }
    if (timeout_msec) {
        deadline = time_msec() + timeout_msec;
    }

    cmd->handler(cmd->min_args, &argv[optind + 1]);

    ovsdb_idl_destroy(idl);
    free(ipaddresses);
    free(db);
    return 0;
}

static void
usage(void)
{
    printf("%s: attach containers to vswitch-lite bridges\n"
           "usage: %s [OPTIONS] COMMAND ARG...\n"
           "\nCommands:\n"
           "  add-port BRIDGE IFACE CONTAINER [--ipaddress=CIDR]... "
           "[--gateway=IP]\n"
           "           [--macaddress=MAC] [--mtu=N] [--vlan=N]\n"
           "                       give CONTAINER an interface IFACE on "
           "BRIDGE\n"
           "  del-port BRIDGE IFACE CONTAINER\n"
           "                       remove CONTAINER's interface IFACE\n"
           "  del-ports BRIDGE CONTAINER\n"
           "                       remove all of CONTAINER's interfaces on "
           "BRIDGE\n"
           "  set-vlan BRIDGE IFACE CONTAINER VLAN\n"
           "                       move the interface to VLAN (0: none)\n"
           "  list CONTAINER       show CONTAINER's interfaces\n"
           "\nCONTAINER is a network namespace name, pid:PID, a path to a "
           "network\nnamespace, or a Docker container name or id.\n"
           "\nOptions:\n"
           "  --db=SERVER          database (default: unix:%s/db.sock)\n"
           "  --wait               wait until vswitchd applied the change "
           "(default)\n"
           "  --no-wait            do not wait for vswitchd\n"
           "  --timeout=SECS       give up after SECS seconds\n"
           "  --private-key=FILE, --certificate=FILE, --ca-cert=FILE\n"
           "                       SSL settings for ssl: databases\n"
           "  -h, --help           display this help message\n"
           "  -V, --version        display version information\n",
           program_name, program_name, vs_rundir());
    exit(EXIT_SUCCESS);
}
