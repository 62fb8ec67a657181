# Interop driver: Open vSwitch's own python JSON-RPC library (Debian's
# python3-openvswitch), talking to vswitch-lite's C implementation.
#
#   test-jsonrpc.py server PSTREAM
#       Listens on PSTREAM ("ptcp:0:127.0.0.1" or "punix:/ABS/PATH"), prints
#       "listening on NAME" with the bound port, and serves until killed:
#       "echo" requests get their params back, other requests an error
#       {"error":"unknown method"}, notifications are printed on stderr.
#   test-jsonrpc.py request REMOTE METHOD PARAMS
#       Sends one request, prints the reply (keys sorted).
#   test-jsonrpc.py echo REMOTE SIZE
#       Sends an "echo" request with a SIZE-byte string full of characters
#       that need escaping; checks that it comes back intact.
#
# Options before the command: --private-key=FILE --certificate=FILE
# --ca-cert=FILE for ssl: remotes.
#
# Exits with status 77 if the ovs python package is missing.
import errno
import sys

try:
    import ovs.json
    import ovs.jsonrpc
    import ovs.poller
    import ovs.stream
except ImportError:
    sys.stderr.write("skipped: the ovs python package is not installed\n")
    sys.exit(77)


def fatal(msg):
    sys.stderr.write("test-jsonrpc.py: %s\n" % msg)
    sys.exit(1)


def open_connection(remote):
    error, stream = ovs.stream.Stream.open_block(
        ovs.stream.Stream.open(remote), 10000)
    if error:
        fatal("%s: connection failed (%s)" % (remote, errno.errorcode.get(
            error, error)))
    return ovs.jsonrpc.Connection(stream)


def print_msg(msg):
    print(ovs.json.to_string(msg.to_json(), sort_keys=True))
    sys.stdout.flush()


def do_request(remote, method, params):
    rpc = open_connection(remote)
    request = ovs.jsonrpc.Message.create_request(method,
                                                 ovs.json.from_string(params))
    error, reply = rpc.transact_block(request)
    if error:
        fatal("%s: transaction failed (%s)" % (remote, error))
    print_msg(reply)
    rpc.close()


def make_payload(size):
    pieces = ['{', '}', '[', ']', '"', '\\', '\n', '\t', '\x01', '/',
              '\u00e9', '\u2603', 'a', 'b', '0', ' ', ':', ',']
    out = []
    n = 0
    seed = 7
    while n < size:
        seed = (seed * 1103515245 + 12345) & 0xffffffff
        piece = pieces[(seed >> 16) % len(pieces)]
        if n + len(piece.encode("utf-8")) > size:
            piece = 'x'
        out.append(piece)
        n += len(piece.encode("utf-8"))
    return ''.join(out)


def do_echo(remote, size):
    rpc = open_connection(remote)
    payload = make_payload(int(size))
    request = ovs.jsonrpc.Message.create_request("echo", [payload])
    error, reply = rpc.transact_block(request)
    if error:
        fatal("%s: transaction failed (%s)" % (remote, error))
    if reply.type != ovs.jsonrpc.Message.T_REPLY or reply.result != [payload]:
        fatal("%s: echo reply differs" % remote)
    print("echo of %s bytes: ok" % size)
    rpc.close()


def do_server(name):
    if name.startswith("ptcp:"):
        # The python library wants "ptcp:HOST:PORT", unlike the C library
        # (and us): "ptcp:PORT[:HOST]".
        parts = name.split(":", 2)
        name = "ptcp:%s:%s" % (parts[2] if len(parts) > 2 else "0.0.0.0",
                               parts[1])
    error, pstream = ovs.stream.PassiveStream.open(name)
    if error:
        fatal("%s: listen failed (%s)" % (name, error))
    # The python library leaves ptcp listeners blocking.
    pstream.socket.setblocking(False)
    if name.startswith("ptcp:"):
        host, port = pstream.socket.getsockname()[:2]
        name = "ptcp:%d:%s" % (port, host)
    print("listening on %s" % name)
    sys.stdout.flush()

    conns = []
    while True:
        error, stream = pstream.accept()
        if not error:
            conns.append(ovs.jsonrpc.Connection(stream))

        for rpc in list(conns):
            rpc.run()
            error, msg = rpc.recv()
            if msg is not None:
                if msg.type == ovs.jsonrpc.Message.T_REQUEST:
                    if msg.method == "echo":
                        reply = ovs.jsonrpc.Message.create_reply(msg.params,
                                                                 msg.id)
                    else:
                        reply = ovs.jsonrpc.Message.create_error(
                            {"error": "unknown method"}, msg.id)
                    rpc.send(reply)
                elif msg.type == ovs.jsonrpc.Message.T_NOTIFY:
                    sys.stderr.write("notification %s %s\n"
                                     % (msg.method,
                                        ovs.json.to_string(msg.params)))
                    sys.stderr.flush()
            elif error and error != errno.EAGAIN:
                rpc.close()
                conns.remove(rpc)

        poller = ovs.poller.Poller()
        pstream.wait(poller)
        for rpc in conns:
            rpc.wait(poller)
            rpc.recv_wait(poller)
        poller.block()


def main(argv):
    args = argv[1:]
    while args and args[0].startswith("--"):
        opt, _, value = args.pop(0).partition("=")
        if opt == "--private-key":
            ovs.stream.Stream.ssl_set_private_key_file(value)
        elif opt == "--certificate":
            ovs.stream.Stream.ssl_set_certificate_file(value)
        elif opt == "--ca-cert":
            ovs.stream.Stream.ssl_set_ca_cert_file(value)
        else:
            fatal("unknown option %s" % opt)

    if len(args) == 2 and args[0] == "server":
        do_server(args[1])
    elif len(args) == 4 and args[0] == "request":
        do_request(args[1], args[2], args[3])
    elif len(args) == 3 and args[0] == "echo":
        do_echo(args[1], args[2])
    else:
        fatal("bad command line (see the top of the script)")


if __name__ == "__main__":
    main(sys.argv)
