#! /usr/bin/python3
"""ovsdb-rpc.py: a scripted JSON-RPC client for the ovsdb-lite tests.

usage: ovsdb-rpc.py [OPTIONS] REMOTE STEP...
       ovsdb-rpc.py --filter      (copies stdin to stdout, each UUID
                                   replaced by <N> as with --uuids)

REMOTE is unix:PATH, tcp:HOST:PORT or ssl:HOST:PORT.  Each STEP is one
argument:

  [C:] METHOD PARAMS   send a request (PARAMS is JSON), print every
                       notification that arrives first, then the reply
  [C:] send METHOD PARAMS
                       send a request, do not wait for the reply
  [C:] notify METHOD PARAMS
                       send a notification
  [C:] recv            wait for one message and print it
  [C:] raw TEXT        send TEXT as is
  [C:] expect-close    wait until the server closes the connection
  [C:] close           close the connection
  sleep MSEC
  print TEXT           print TEXT
  @FILE                read more steps from FILE, one per line (blank
                       lines and lines starting with "#" are skipped)

C names a connection (opened at its first use; the default is "_" and
is not printed).  Output, one line per message, with keys sorted:

  [C: ]RESULT                 reply
  [C: ]error: ERROR           error reply
  [C: ]notify METHOD PARAMS   notification
  [C: ]reply ID RESULT        reply received by "recv"

Options:
  --uuids    replace each UUID by <N>, numbered in order of appearance
  --sort     sort arrays named "rows" (select results)
  --no-details  drop "details" and "syntax" from error objects
  --timeout=SECS  give up waiting after SECS (default 10)
  --private-key=FILE --certificate=FILE --ca-cert=FILE   for ssl:
"""

import json
import re
import socket
import sys
import time

# Lowercase UUIDs, as servers write them.
UUID_RE = re.compile(r'[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-'
                     r'[0-9a-f]{12}')


class Printer:
    def __init__(self, uuids, sort, no_details):
        self.uuids = uuids
        self.sort = sort
        self.no_details = no_details
        self.names = {}

    def fmt(self, obj):
        if self.no_details:
            obj = self.strip_details(obj)
        if self.uuids:
            # Number UUIDs in the order the server sent them, then sort.
            s = json.dumps(obj, separators=(',', ':'))
            obj = json.loads(UUID_RE.sub(self.uuid_name, s))
        if self.sort:
            obj = self.sort_rows(obj)
        return json.dumps(obj, sort_keys=True, separators=(',', ':'))

    def uuid_name(self, m):
        u = m.group(0)
        if u not in self.names:
            self.names[u] = '<%d>' % len(self.names)
        return self.names[u]

    def strip_details(self, obj):
        if isinstance(obj, dict):
            return {k: self.strip_details(v) for k, v in obj.items()
                    if 'error' not in obj or k not in ('details', 'syntax')}
        if isinstance(obj, list):
            return [self.strip_details(x) for x in obj]
        return obj

    def sort_rows(self, obj):
        if isinstance(obj, dict):
            out = {}
            for k, v in obj.items():
                v = self.sort_rows(v)
                if k == 'rows' and isinstance(v, list):
                    v = sorted(v, key=lambda r: json.dumps(r, sort_keys=True))
                out[k] = v
            return out
        if isinstance(obj, list):
            return [self.sort_rows(x) for x in obj]
        return obj


SSL_FILES = {}


class Conn:
    def __init__(self, remote, timeout):
        if remote.startswith('unix:'):
            self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            self.sock.connect(remote[5:])
        elif remote.startswith('tcp:') or remote.startswith('ssl:'):
            host, port = remote[4:].rsplit(':', 1)
            self.sock = socket.create_connection((host.strip('[]'),
                                                  int(port)))
            if remote.startswith('ssl:'):
                import ssl
                ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
                ctx.check_hostname = False
                ctx.load_verify_locations(SSL_FILES['ca-cert'])
                ctx.load_cert_chain(SSL_FILES['certificate'],
                                    SSL_FILES['private-key'])
                self.sock = ctx.wrap_socket(self.sock)
        else:
            sys.stderr.write('%s: unsupported remote\n' % remote)
            sys.exit(1)
        self.sock.settimeout(timeout)
        self.buf = ''
        self.decoder = json.JSONDecoder()
        self.next_id = 0

    def send(self, obj):
        self.send_raw(json.dumps(obj))

    def send_raw(self, text):
        self.sock.sendall(text.encode())

    def recv(self):
        """Returns the next message, or None at end of file."""
        while True:
            s = self.buf.lstrip()
            if s:
                try:
                    obj, end = self.decoder.raw_decode(s)
                    self.buf = s[end:]
                    return obj
                except ValueError:
                    pass
            data = self.sock.recv(65536)
            if not data:
                return None
            self.buf += data.decode()


def main():
    args = sys.argv[1:]
    uuids = sort = no_details = False
    timeout = 10.0
    if args == ['--filter']:
        p = Printer(True, False, False)
        for line in sys.stdin:
            sys.stdout.write(UUID_RE.sub(p.uuid_name, line))
        return
    while args and args[0].startswith('--'):
        opt = args.pop(0)
        if opt == '--uuids':
            uuids = True
        elif opt == '--sort':
            sort = True
        elif opt == '--no-details':
            no_details = True
        elif opt.startswith('--timeout='):
            timeout = float(opt[10:])
        elif opt.split('=')[0] in ('--private-key', '--certificate',
                                   '--ca-cert'):
            SSL_FILES[opt[2:].split('=')[0]] = opt.split('=', 1)[1]
        else:
            sys.stderr.write('unknown option %s\n' % opt)
            sys.exit(1)
    if not args:
        sys.stderr.write(__doc__)
        sys.exit(1)
    remote = args.pop(0)
    p = Printer(uuids, sort, no_details)
    conns = {}

    def out(name, text):
        print(('%s: ' % name if name != '_' else '') + text)
        sys.stdout.flush()

    def show(name, msg):
        if msg.get('id') is None and 'method' in msg:
            out(name, 'notify %s %s' % (msg['method'], p.fmt(msg['params'])))
        elif 'method' in msg:
            out(name, 'request %s %s' % (msg['method'], p.fmt(msg['params'])))
        elif msg.get('error') is not None:
            out(name, 'error %s %s' % (p.fmt(msg['id']), p.fmt(msg['error'])))
        else:
            out(name, 'reply %s %s' % (p.fmt(msg['id']), p.fmt(msg['result'])))

    steps = []
    for arg in args:
        if arg.startswith('@'):
            with open(arg[1:]) as f:
                for line in f:
                    line = line.strip()
                    if line and not line.startswith('#'):
                        steps.append(line)
        else:
            steps.append(arg)

    for step in steps:
        if step.startswith('print '):
            out('_', step[6:])
            continue
        m = re.match(r'^([A-Za-z0-9_]+): *(.*)$', step, re.S)
        name, step = (m.group(1), m.group(2)) if m else ('_', step)
        if step.startswith('sleep '):
            time.sleep(int(step[6:]) / 1000.0)
            continue
        if name not in conns:
            conns[name] = Conn(remote, timeout)
        c = conns[name]
        word, _, rest = step.partition(' ')
        if word == 'recv':
            msg = c.recv()
            if msg is None:
                out(name, 'EOF')
            else:
                show(name, msg)
        elif word == 'close':
            c.sock.close()
            del conns[name]
        elif word == 'raw':
            c.send_raw(rest)
        elif word == 'expect-close':
            while True:
                try:
                    msg = c.recv()
                except ConnectionResetError:
                    msg = None
                if msg is None:
                    out(name, 'closed')
                    break
                show(name, msg)
        elif word == 'notify':
            method, _, params = rest.partition(' ')
            c.send({'method': method, 'params': json.loads(params),
                    'id': None})
        else:
            send_only = word == 'send'
            if send_only:
                word, _, rest = rest.partition(' ')
            req_id = c.next_id
            c.next_id += 1
            c.send({'method': word, 'params': json.loads(rest),
                    'id': req_id})
            if send_only:
                continue
            while True:
                msg = c.recv()
                if msg is None:
                    out(name, 'EOF')
                    sys.exit(1)
                if 'method' in msg or msg.get('id') != req_id:
                    show(name, msg)
                    continue
                if msg.get('error') is not None:
                    out(name, 'error: ' + p.fmt(msg['error']))
                else:
                    out(name, p.fmt(msg['result']))
                break


if __name__ == '__main__':
    main()
