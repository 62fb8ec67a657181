/* SSL/TLS streams over TCP, with OpenSSL: "ssl:HOST:PORT" and
 * "pssl:PORT[:HOST]".  See stream-ssl.h. */
#include <config.h>

#include "stream-ssl.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include "coverage.h"
#include "fatal-signal.h"
#include "poll-loop.h"
#include "socket-util.h"
#include "stream-provider.h"
#include "util.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(stream_ssl);

COVERAGE_DEFINE(ssl_handshake);
COVERAGE_DEFINE(ssl_handshake_failed);

static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(10, 20);

/* The largest chunk handed to SSL_write() at once.  When SSL_write() would
 * block, OpenSSL requires the same bytes to be offered again, so up to
 * this much is copied into the stream's 'txbuf'. */
#define SSL_MAX_WRITE (64 * 1024)

/* Process-wide configuration. */
static SSL_CTX *ctx;
static char *private_key_file;
static char *certificate_file;
static char *ca_cert_file;

enum ssl_state {
    STATE_TCP_CONNECTING,       /* TCP connect() in progress. */
    STATE_SSL_CONNECTING,       /* TLS handshake in progress. */
    STATE_CONNECTED             /* Handshake done. */
};

enum session_type {
    CLIENT,
    SERVER
};

/* What OpenSSL is waiting for before an operation can make progress. */
enum ssl_want {
    WANT_NOTHING,
    WANT_READ,
    WANT_WRITE
};

struct ssl_stream {
    struct stream stream;
    enum ssl_state state;
    enum session_type type;
    int fd;
    SSL *ssl;

    enum ssl_want rx_want;      /* What the last SSL_read() waits for. */
    enum ssl_want tx_want;      /* What the last SSL_write() waits for. */
    enum ssl_want hs_want;      /* What the handshake waits for. */

    /* Bytes accepted by ssl_send() that SSL_write() could not take yet;
     * they must be offered again, unchanged. */
    char *txbuf;
    size_t txbuf_len;
};

static const struct stream_class ssl_stream_impl_class;

static struct ssl_stream *
ssl_stream_cast(struct stream *stream)
{
    vs_assert(stream->class == &ssl_stream_impl_class);
    return CONTAINER_OF(stream, struct ssl_stream, stream);
}

/* Returns a message for the first error in OpenSSL's error queue, or
 * DEFAULT if it is empty, and clears the queue.  The string is static. */
static const char *
ssl_error_string(const char *default_msg)
{
    static char buf[256];
    unsigned long e = ERR_get_error();

    ERR_clear_error();
    if (!e) {
        return default_msg;
    }
    const char *reason = ERR_reason_error_string(e);
    if (reason) {
        snprintf(buf, sizeof buf, "%s", reason);
    } else {
        ERR_error_string_n(e, buf, sizeof buf);
    }
    return buf;
}

/* Configuration. */

static int ssl_verify_cb(int preverify_ok, X509_STORE_CTX *store);

/* Creates the SSL_CTX if needed.  Returns 0 or a positive errno. */
static int
ssl_init(void)
{
    if (ctx) {
        return 0;
    }

    /* OpenSSL writes to sockets with write(), which raises SIGPIPE;
     * fatal_signal_init() ignores SIGPIPE. */
    fatal_signal_init();

    ctx = SSL_CTX_new(TLS_method());
    if (!ctx) {
        VLOG_ERR("SSL_CTX_new: %s", ssl_error_string("out of memory"));
        return ENOMEM;
    }
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET | SSL_OP_NO_COMPRESSION
                        | SSL_OP_NO_RENEGOTIATION
#ifdef SSL_OP_IGNORE_UNEXPECTED_EOF
                        | SSL_OP_IGNORE_UNEXPECTED_EOF
#endif
                        );
    SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE
                     | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
    SSL_CTX_set_num_tickets(ctx, 0);
    SSL_CTX_set_read_ahead(ctx, 1);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER
                       | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, ssl_verify_cb);
    return 0;
}

int
stream_ssl_set_private_key_file(const char *file_name)
{
    int error = ssl_init();
    if (error) {
        return error;
    }
    ERR_clear_error();
    if (SSL_CTX_use_PrivateKey_file(ctx, file_name, SSL_FILETYPE_PEM) != 1) {
        VLOG_ERR("%s: could not load private key: %s", file_name,
                 ssl_error_string("unknown error"));
        return EINVAL;
    }
    free(private_key_file);
    private_key_file = xstrdup(file_name);
    return 0;
}

int
stream_ssl_set_certificate_file(const char *file_name)
{
    int error = ssl_init();
    if (error) {
        return error;
    }
    ERR_clear_error();
    if (SSL_CTX_use_certificate_chain_file(ctx, file_name) != 1) {
        VLOG_ERR("%s: could not load certificate: %s", file_name,
                 ssl_error_string("unknown error"));
        return EINVAL;
    }
    free(certificate_file);
    certificate_file = xstrdup(file_name);
    return 0;
}

int
stream_ssl_set_ca_cert_file(const char *file_name)
{
    int error = ssl_init();
    if (error) {
        return error;
    }

    ERR_clear_error();
    STACK_OF(X509_NAME) *names = SSL_load_client_CA_file(file_name);
    if (!names) {
        VLOG_ERR("%s: could not load CA certificate: %s", file_name,
                 ssl_error_string("no certificate found"));
        return EINVAL;
    }

    /* A fresh store, so that a CA certificate set earlier stops being
     * trusted. */
    X509_STORE *store = X509_STORE_new();
    if (!store || X509_STORE_load_file(store, file_name) != 1) {
        VLOG_ERR("%s: could not load CA certificate: %s", file_name,
                 ssl_error_string("unknown error"));
        X509_STORE_free(store);
        sk_X509_NAME_pop_free(names, X509_NAME_free);
        return EINVAL;
    }
    SSL_CTX_set_cert_store(ctx, store);
    SSL_CTX_set_client_CA_list(ctx, names);

    free(ca_cert_file);
    ca_cert_file = xstrdup(file_name);
    return 0;
}

bool
stream_ssl_is_configured(void)
{
    return private_key_file && certificate_file && ca_cert_file;
}

void
stream_ssl_set_file_or_exit(int (*setter)(const char *),
                            const char *file_name)
{
    if (setter(file_name)) {
        vs_fatal(0, "%s: cannot use this file for SSL (see the log)",
                 file_name);
    }
}

void
stream_ssl_usage(void)
{
    printf("\nSSL options (for ssl: and pssl: connections):\n"
           "  --private-key=FILE      file with this program's private key\n"
           "  --certificate=FILE      file with a certificate for "
           "the private key\n"
           "  --ca-cert=FILE          CA certificate that peers' "
           "certificates must be\n"
           "                          signed by\n");
}

/* Checks that SSL can be used for NAME.  Returns 0 or a positive errno
 * after logging the problem. */
static int
ssl_check_configured(const char *name)
{
    int error = ssl_init();
    if (error) {
        return error;
    }

    const char *missing = (!private_key_file ? "--private-key"
                           : !certificate_file ? "--certificate"
                           : !ca_cert_file ? "--ca-cert"
                           : NULL);
    if (missing) {
        VLOG_ERR("%s: SSL is not configured: %s is missing (SSL needs "
                 "--private-key, --certificate and --ca-cert)", name,
                 missing);
        return ENOPROTOOPT;
    }

    ERR_clear_error();
    if (SSL_CTX_check_private_key(ctx) != 1) {
        VLOG_ERR("%s: private key %s does not match certificate %s (%s)",
                 name, private_key_file, certificate_file,
                 ssl_error_string("mismatch"));
        return ENOPROTOOPT;
    }
    return 0;
}

/* Logs why a peer's certificate is refused. */
static int
ssl_verify_cb(int preverify_ok, X509_STORE_CTX *store)
{
    if (!preverify_ok) {
        int err = X509_STORE_CTX_get_error(store);
        int depth = X509_STORE_CTX_get_error_depth(store);
        X509 *cert = X509_STORE_CTX_get_current_cert(store);
        SSL *ssl = X509_STORE_CTX_get_ex_data(
            store, SSL_get_ex_data_X509_STORE_CTX_idx());
        struct ssl_stream *sslv = ssl ? SSL_get_app_data(ssl) : NULL;
        char subject[256];

        if (cert) {
            X509_NAME_oneline(X509_get_subject_name(cert), subject,
                              sizeof subject);
        } else {
            snprintf(subject, sizeof subject, "(none)");
        }
        VLOG_WARN_RL(&rl, "%s: refusing %s certificate: %s (depth %d, "
                     "subject %s)",
                     sslv ? sslv->stream.name : "ssl",
                     sslv && sslv->type == SERVER ? "client's" : "server's",
                     X509_verify_cert_error_string(err), depth, subject);
    }
    return preverify_ok;
}

/* Streams. */

/* Creates an SSL stream of TYPE named NAME (taken over) on FD, whose TCP
 * connection has status CONNECT_STATUS (0 or EAGAIN).  On success the
 * stream owns FD; on failure the caller still does. */
static int
new_ssl_stream(char *name, int fd, enum session_type type,
               int connect_status, struct stream **streamp)
{
    struct ssl_stream *sslv;
    SSL *ssl;

    ERR_clear_error();
    ssl = SSL_new(ctx);
    if (!ssl) {
        VLOG_ERR("%s: SSL_new: %s", name, ssl_error_string("failed"));
        goto error;
    }
    if (SSL_set_fd(ssl, fd) != 1) {
        VLOG_ERR("%s: SSL_set_fd: %s", name, ssl_error_string("failed"));
        SSL_free(ssl);
        goto error;
    }
    if (type == CLIENT) {
        SSL_set_connect_state(ssl);
    } else {
        SSL_set_accept_state(ssl);
    }

    sslv = xzalloc(sizeof *sslv);
    /* The TLS handshake is still to do, so the stream is connecting. */
    stream_init(&sslv->stream, &ssl_stream_impl_class, EAGAIN, name);
    sslv->state = (connect_status == EAGAIN ? STATE_TCP_CONNECTING
                   : STATE_SSL_CONNECTING);
    sslv->type = type;
    sslv->fd = fd;
    sslv->ssl = ssl;
    SSL_set_app_data(ssl, sslv);
    *streamp = &sslv->stream;
    return 0;

error:
    free(name);
    return ENOPROTOOPT;
}

static int
ssl_open(const char *name, char *suffix, struct stream **streamp)
{
    int error;
    int fd;

    error = ssl_check_configured(name);
    if (error) {
        return error;
    }

    error = inet_open_active(SOCK_STREAM, suffix, -1, NULL, &fd);
    if (error) {
        VLOG_DBG_RL(&rl, "%s: connect failed (%s)", name,
                    vs_strerror(error));
        return error;
    }
    set_tcp_nodelay(fd);

    int status = check_connection_completion(fd);
    if (status && status != EAGAIN) {
        close(fd);
        return status;
    }
    error = new_ssl_stream(xstrdup(name), fd, CLIENT, status, streamp);
    if (error) {
        close(fd);
    }
    return error;
}

static void
ssl_close(struct stream *stream)
{
    struct ssl_stream *sslv = ssl_stream_cast(stream);

    if (sslv->state == STATE_CONNECTED) {
        /* Try to send close_notify; never wait for it. */
        ERR_clear_error();
        SSL_shutdown(sslv->ssl);
        ERR_clear_error();
    }
    SSL_free(sslv->ssl);
    poll_fd_close(sslv->fd);
    free(sslv->txbuf);
    free(sslv);
}

/* Converts the result RET of an SSL_*() call on SSLV into a positive errno
 * (EAGAIN if it would block, with *WANTP set), logging real failures with
 * FUNCTION's name.  A clean end of stream gives EOF. */
static int
interpret_ssl_error(struct ssl_stream *sslv, const char *function, int ret,
                    enum ssl_want *wantp)
{
    int error = SSL_get_error(sslv->ssl, ret);

    *wantp = WANT_NOTHING;
    switch (error) {
    case SSL_ERROR_NONE:
        return 0;

    case SSL_ERROR_WANT_READ:
        *wantp = WANT_READ;
        return EAGAIN;

    case SSL_ERROR_WANT_WRITE:
        *wantp = WANT_WRITE;
        return EAGAIN;

    case SSL_ERROR_ZERO_RETURN:
        return EOF;

    case SSL_ERROR_SYSCALL: {
        int sys_errno = errno;
        if (ERR_peek_error()) {
            break;
        }
        ERR_clear_error();
        if (ret == 0 || !sys_errno) {
            /* The peer closed the connection without close_notify. */
            VLOG_DBG_RL(&rl, "%s: %s: unexpected end of stream",
                        sslv->stream.name, function);
            return EOF;
        }
        if (sys_errno == EAGAIN || sys_errno == EWOULDBLOCK) {
            *wantp = WANT_READ;
            return EAGAIN;
        }
        VLOG_WARN_RL(&rl, "%s: %s: %s", sslv->stream.name, function,
                     vs_strerror(sys_errno));
        return sys_errno;
    }

    case SSL_ERROR_SSL:
    default:
        break;
    }

    VLOG_WARN_RL(&rl, "%s: %s failed: %s", sslv->stream.name, function,
                 ssl_error_string("protocol error"));
    return EPROTO;
}

static int
ssl_connect(struct stream *stream)
{
    struct ssl_stream *sslv = ssl_stream_cast(stream);
    int retval;

    switch (sslv->state) {
    case STATE_TCP_CONNECTING:
        retval = check_connection_completion(sslv->fd);
        if (retval) {
            return retval;
        }
        sslv->state = STATE_SSL_CONNECTING;
        /* Fall through. */

    case STATE_SSL_CONNECTING:
        ERR_clear_error();
        retval = (sslv->type == CLIENT
                  ? SSL_connect(sslv->ssl) : SSL_accept(sslv->ssl));
        if (retval != 1) {
            const char *function = (sslv->type == CLIENT
                                    ? "TLS handshake (client)"
                                    : "TLS handshake (server)");
            int error = interpret_ssl_error(sslv, function, retval,
                                            &sslv->hs_want);
            if (error == EAGAIN) {
                return EAGAIN;
            }
            COVERAGE_INC(ssl_handshake_failed);
            if (error == EOF) {
                VLOG_WARN_RL(&rl, "%s: %s failed: connection closed by "
                             "peer", stream->name, function);
                error = ECONNRESET;
            }
            return error;
        }

        /* OpenSSL verified the peer's certificate against the CA (and
         * refuses a peer without one); check once more that there was
         * one and that it passed. */
#if OPENSSL_VERSION_NUMBER >= 0x30000000L
        X509 *peer = SSL_get1_peer_certificate(sslv->ssl);
#else
        X509 *peer = SSL_get_peer_certificate(sslv->ssl);
#endif
        long verify = SSL_get_verify_result(sslv->ssl);
        if (!peer || verify != X509_V_OK) {
            VLOG_WARN_RL(&rl, "%s: refusing peer: %s", stream->name,
                         !peer ? "it presented no certificate"
                         : X509_verify_cert_error_string(verify));
            X509_free(peer);
            COVERAGE_INC(ssl_handshake_failed);
            return EPROTO;
        }
        X509_free(peer);

        COVERAGE_INC(ssl_handshake);
        VLOG_DBG("%s: %s handshake complete (%s, %s)", stream->name,
                 SSL_get_version(sslv->ssl),
                 sslv->type == CLIENT ? "client" : "server",
                 SSL_get_cipher_name(sslv->ssl));
        sslv->state = STATE_CONNECTED;
        sslv->hs_want = WANT_NOTHING;
        return 0;

    case STATE_CONNECTED:
        return 0;
    }
    return EPROTO;
}

static ssize_t
ssl_recv(struct stream *stream, void *buffer, size_t n)
{
    struct ssl_stream *sslv = ssl_stream_cast(stream);
    int ret;

    if (sslv->rx_want == WANT_READ
        && !poll_fd_may_be_ready(sslv->fd, POLLIN)) {
        /* OpenSSL holds nothing and the reactor saw nothing arrive. */
        return -EAGAIN;
    }

    ERR_clear_error();
    ret = SSL_read(sslv->ssl, buffer, MIN(n, INT_MAX));
    if (ret > 0) {
        /* If OpenSSL holds no more input (decrypted or raw), only the
         * socket can bring more: wait for it.  Otherwise try again at
         * once, since no fd event would announce what is buffered. */
        sslv->rx_want = SSL_has_pending(sslv->ssl) ? WANT_NOTHING : WANT_READ;
        return ret;
    }

    int error = interpret_ssl_error(sslv, "SSL_read", ret, &sslv->rx_want);
    if (error == EAGAIN && sslv->rx_want == WANT_READ) {
        poll_fd_clear_ready(sslv->fd, POLLIN);
    }
    return error == EOF ? 0 : -error;
}

/* Tries to send SSLV's 'txbuf'.  Returns 0 once it is all sent, EAGAIN,
 * or a positive errno. */
static int
ssl_do_tx(struct ssl_stream *sslv)
{
    ERR_clear_error();
    int ret = SSL_write(sslv->ssl, sslv->txbuf, sslv->txbuf_len);
    if (ret > 0) {
        /* Partial writes: the rest must still be offered, but OpenSSL no
         * longer holds any of it. */
        memmove(sslv->txbuf, sslv->txbuf + ret, sslv->txbuf_len - ret);
        sslv->txbuf_len -= ret;
        sslv->tx_want = WANT_NOTHING;
        if (sslv->txbuf_len) {
            return ssl_do_tx(sslv);
        }
        free(sslv->txbuf);
        sslv->txbuf = NULL;
        return 0;
    }
    int error = interpret_ssl_error(sslv, "SSL_write", ret,
                                    &sslv->tx_want);
    return error == EOF ? EPIPE : error;
}

static ssize_t
ssl_send(struct stream *stream, const void *buffer, size_t n)
{
    struct ssl_stream *sslv = ssl_stream_cast(stream);
    size_t chunk = MIN(n, SSL_MAX_WRITE);
    int ret;

    if (sslv->txbuf) {
        int error = ssl_do_tx(sslv);
        if (error) {
            return -error;
        }
    }

    ERR_clear_error();
    ret = SSL_write(sslv->ssl, buffer, chunk);
    if (ret > 0) {
        sslv->tx_want = WANT_NOTHING;
        return ret;
    }

    int error = interpret_ssl_error(sslv, "SSL_write", ret, &sslv->tx_want);
    if (error == EAGAIN) {
        /* OpenSSL may have taken part of BUFFER into a record it could not
         * send completely; it must see the same bytes again.  Keep them
         * and report them as sent. */
        sslv->txbuf = xmemdup(buffer, chunk);
        sslv->txbuf_len = chunk;
        return chunk;
    }
    return -(error == EOF ? EPIPE : error);
}

static void
ssl_run(struct stream *stream)
{
    struct ssl_stream *sslv = ssl_stream_cast(stream);

    if (sslv->txbuf) {
        int error = ssl_do_tx(sslv);
        if (error && error != EAGAIN) {
            /* The connection is broken; the next send or receive reports
             * it. */
            free(sslv->txbuf);
            sslv->txbuf = NULL;
            sslv->txbuf_len = 0;
        }
    }
}

static void
ssl_wait_for(struct ssl_stream *sslv, enum ssl_want want)
{
    switch (want) {
    case WANT_NOTHING:
        poll_immediate_wake();
        break;
    case WANT_READ:
        poll_fd_wait(sslv->fd, POLLIN);
        break;
    case WANT_WRITE:
        poll_fd_wait(sslv->fd, POLLOUT);
        break;
    }
}

static void
ssl_run_wait(struct stream *stream)
{
    struct ssl_stream *sslv = ssl_stream_cast(stream);

    if (sslv->txbuf) {
        ssl_wait_for(sslv, sslv->tx_want);
    }
}

static void
ssl_wait(struct stream *stream, enum stream_wait_type wait)
{
    struct ssl_stream *sslv = ssl_stream_cast(stream);

    switch (wait) {
    case STREAM_CONNECT:
        if (sslv->state == STATE_TCP_CONNECTING) {
            poll_fd_wait(sslv->fd, POLLOUT);
        } else if (sslv->state == STATE_SSL_CONNECTING) {
            ssl_wait_for(sslv, sslv->hs_want);
        } else {
            poll_immediate_wake();
        }
        break;

    case STREAM_RECV:
        /* See ssl_recv() for what 'rx_want' means. */
        ssl_wait_for(sslv, sslv->rx_want);
        break;

    case STREAM_SEND:
        if (!sslv->txbuf) {
            poll_immediate_wake();
        } else {
            ssl_wait_for(sslv, sslv->tx_want);
        }
        break;
    }
}

static int
ssl_get_socket_fd(const struct stream *stream)
{
    const struct ssl_stream *sslv = CONTAINER_OF(stream, struct ssl_stream,
                                                 stream);
    return sslv->fd;
}

/* The class of open ssl streams. */
static const struct stream_class ssl_stream_impl_class = {
    .name = "ssl",
    .needs_probes = true,
    .open = NULL,
    .close = ssl_close,
    .connect = ssl_connect,
    .recv = ssl_recv,
    .send = ssl_send,
    .run = ssl_run,
    .run_wait = ssl_run_wait,
    .wait = ssl_wait,
    .get_socket_fd = ssl_get_socket_fd,
};

/* The class that stream.c looks names up in: it only opens. */
const struct stream_class ssl_stream_class = {
    .name = "ssl",
    .needs_probes = true,
    .open = ssl_open,
};

/* Passive SSL streams. */

static int
pssl_accept(int fd, const struct sockaddr_storage *ss,
            size_t ss_len VS_UNUSED, struct stream **streamp)
{
    set_tcp_nodelay(fd);
    return new_ssl_stream(stream_name_from_peer("ssl", ss), fd, SERVER, 0,
                          streamp);
}

static int
pssl_listen(const char *name, char *suffix, struct pstream **pstreamp)
{
    struct sockaddr_storage ss;
    int error;
    int fd;

    error = ssl_check_configured(name);
    if (error) {
        return error;
    }

    fd = inet_open_passive(SOCK_STREAM, suffix, -1, &ss);
    if (fd < 0) {
        return -fd;
    }
    return new_fd_pstream(pstream_name_from_bound("pssl", &ss), fd,
                          pssl_accept, NULL, pstreamp);
}

const struct pstream_class pssl_pstream_class = {
    .name = "pssl",
    .needs_probes = true,
    .listen = pssl_listen,
};
