/* SSL/TLS streams: "ssl:HOST:PORT" and "pssl:PORT[:HOST]" (OpenSSL).
 *
 * Both sides present a certificate and verify the peer's against the
 * configured CA certificate: a peer without a certificate, or with one
 * that the CA did not sign or that has expired, is refused during the
 * handshake, with a log line saying why.  TLS 1.2 is the minimum protocol
 * version.  The handshake is non-blocking, driven by stream_connect() /
 * stream_recv() / stream_send() and stream_wait().
 *
 * The private key, certificate and CA certificate are process-wide and
 * must all be set before an ssl or pssl stream is opened; changing them
 * affects connections opened afterwards.  Programs accept them as
 * --private-key, --certificate and --ca-cert (as Open vSwitch programs
 * do) through the macros below:
 *
 *   enum { ..., STREAM_SSL_OPTION_ENUMS };
 *   static const struct option long_options[] = {
 *       ..., STREAM_SSL_LONG_OPTIONS, ...
 *   };
 *   switch (c) { ... STREAM_SSL_OPTION_HANDLERS ... }
 */
#ifndef STREAM_SSL_H
#define STREAM_SSL_H 1

#include <stdbool.h>

/* Each loads FILE_NAME (PEM) now.  Returns 0, or a positive errno after
 * logging why the file could not be used (the previous setting, if any,
 * stays in effect). */
int stream_ssl_set_private_key_file(const char *file_name);
int stream_ssl_set_certificate_file(const char *file_name);
/* FILE_NAME holds one or more CA certificates that peers' certificates
 * must chain to. */
int stream_ssl_set_ca_cert_file(const char *file_name);

/* Returns true if the private key, certificate and CA certificate are all
 * set (so that ssl and pssl streams can be opened). */
bool stream_ssl_is_configured(void);

/* Prints the SSL options for --help. */
void stream_ssl_usage(void);

#define STREAM_SSL_OPTION_ENUMS \
    OPT_SSL_PRIVATE_KEY, OPT_SSL_CERTIFICATE, OPT_SSL_CA_CERT
#define STREAM_SSL_LONG_OPTIONS \
    {"private-key", required_argument, NULL, OPT_SSL_PRIVATE_KEY}, \
    {"certificate", required_argument, NULL, OPT_SSL_CERTIFICATE}, \
    {"ca-cert", required_argument, NULL, OPT_SSL_CA_CERT}
/* Exits with an error message if a file cannot be used. */
#define STREAM_SSL_OPTION_HANDLERS \
    case OPT_SSL_PRIVATE_KEY: \
        stream_ssl_set_file_or_exit(stream_ssl_set_private_key_file, \
                                    optarg); \
        break; \
    case OPT_SSL_CERTIFICATE: \
        stream_ssl_set_file_or_exit(stream_ssl_set_certificate_file, \
                                    optarg); \
        break; \
    case OPT_SSL_CA_CERT: \
        stream_ssl_set_file_or_exit(stream_ssl_set_ca_cert_file, optarg); \
        break;

/* Calls SETTER(FILE_NAME) and exits with status 1 if it fails. */
void stream_ssl_set_file_or_exit(int (*setter)(const char *),
                                 const char *file_name);

#endif /* stream-ssl.h */
