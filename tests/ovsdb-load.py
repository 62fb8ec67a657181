#! /usr/bin/python3
"""ovsdb-load.py: write load and durability checks for ovsdb-lite tests.

usage: ovsdb-load.py load REMOTE ACK-FILE [CLIENTS [INFLIGHT [SECONDS]]]
       ovsdb-load.py verify REMOTE ACK-FILE
       ovsdb-load.py scale REMOTE N-IDLE N-FLOOD

"load" opens CLIENTS connections (default 4) to the test database
("testdb", tests/ovsdb-server.at) and, on each, keeps INFLIGHT
transactions (default 4) outstanding until SECONDS (default 30) pass or
the server goes away.  Transaction K of client C inserts two rows into
table "simple", named "C-K-a" and "C-K-b", with i = K.  When its reply
says it succeeded, "C-K" is appended to ACK-FILE (flushed at once).

"verify" reads every row of "simple" and checks that (1) both rows of
every transaction named in ACK-FILE are present and (2) no transaction is
half present.  It prints "verified: N acknowledged transactions present,
no partial transactions" (with "N >= 1" when N is at least one, so that
expected output stays fixed) and exits 0, or prints the problems and
exits 1.
"""

import json
import os
import socket
import sys
import threading
import time


def connect(remote):
    if remote.startswith('unix:'):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(remote[5:])
    else:
        host, port = remote[4:].rsplit(':', 1)
        s = socket.create_connection((host, int(port)))
    return s


class Reader:
    def __init__(self, sock):
        self.sock = sock
        self.buf = ''
        self.decoder = json.JSONDecoder()

    def recv(self):
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


def txn(client, k):
    ops = []
    for suffix in ('a', 'b'):
        ops.append({'op': 'insert', 'table': 'simple',
                    'row': {'name': '%d-%d-%s' % (client, k, suffix),
                            'i': k}})
    return {'method': 'transact', 'params': ['testdb'] + ops, 'id': k}


def load_client(remote, client, inflight, deadline, ack, lock):
    try:
        sock = connect(remote)
    except OSError:
        return
    reader = Reader(sock)
    next_k = 0
    outstanding = 0
    try:
        while True:
            while outstanding < inflight and time.time() < deadline:
                sock.sendall(json.dumps(txn(client, next_k)).encode())
                next_k += 1
                outstanding += 1
            if not outstanding:
                break
            msg = reader.recv()
            if msg is None:
                break
            if msg.get('id') is None:
                continue
            outstanding -= 1
            result = msg.get('result')
            if (isinstance(result, list) and len(result) == 2
                    and all('uuid' in r for r in result)):
                with lock:
                    ack.write('%d-%d\n' % (client, msg['id']))
                    ack.flush()
                    os.fsync(ack.fileno())
    except OSError:
        pass
    sock.close()


def load(remote, ack_file, clients=4, inflight=4, seconds=30):
    deadline = time.time() + seconds
    lock = threading.Lock()
    with open(ack_file, 'a') as ack:
        threads = [threading.Thread(target=load_client,
                                    args=(remote, c, inflight, deadline,
                                          ack, lock))
                   for c in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()


def verify(remote, ack_file):
    sock = connect(remote)
    sock.sendall(json.dumps({'method': 'transact',
                             'params': ['testdb',
                                        {'op': 'select', 'table': 'simple',
                                         'where': [], 'columns': ['name']}],
                             'id': 0}).encode())
    reply = Reader(sock).recv()
    names = set(r['name'] for r in reply['result'][0]['rows'])
    with open(ack_file) as f:
        acked = [line.strip() for line in f if line.strip()]
    problems = []
    for t in acked:
        for suffix in ('a', 'b'):
            if '%s-%s' % (t, suffix) not in names:
                problems.append('acknowledged %s-%s is missing'
                                % (t, suffix))
    for name in names:
        if name.endswith('-a') or name.endswith('-b'):
            other = name[:-1] + ('b' if name.endswith('-a') else 'a')
            if other not in names:
                problems.append('%s present without %s' % (name, other))
    if problems:
        for p in problems:
            print(p)
        sys.exit(1)
    print('verified: %s acknowledged transactions present, '
          'no partial transactions' % ('N >= 1' if acked else '0'))


def memory_show():
    import subprocess
    out = subprocess.run(['appctl', '-t', 'ovsdb-lite', 'memory/show'],
                         capture_output=True, text=True).stdout
    return dict(x.split(':') for x in out.split())


def echo(sock, reader, tag):
    sock.sendall(json.dumps({'method': 'echo', 'params': [tag],
                             'id': tag}).encode())
    reply = reader.recv()
    return reply is not None and reply.get('result') == [tag]


def scale(remote, n_idle, n_flood):
    """Many idle sessions, then one client that floods requests without
    reading its replies while another one keeps getting answers."""
    idle = [connect(remote) for _ in range(n_idle)]
    deadline = time.time() + 30
    while int(memory_show()['sessions']) < n_idle:
        if time.time() > deadline:
            print('only %s sessions' % memory_show()['sessions'])
            sys.exit(1)
        time.sleep(0.05)
    print('%d idle sessions connected' % n_idle)

    other = connect(remote)
    other.settimeout(10)
    other_reader = Reader(other)
    print('echo among idle sessions: %s'
          % ('ok' if all(echo(other, other_reader, 'e%d' % i)
                         for i in range(100)) else 'FAILED'))

    flooder = connect(remote)
    request = json.dumps({'method': 'echo', 'params': ['x' * 100],
                          'id': 0}).encode()

    def flood():
        for _ in range(n_flood):
            flooder.sendall(request)
    t = threading.Thread(target=flood)
    t.start()
    time.sleep(0.5)
    ok = all(echo(other, other_reader, 'f%d' % i) for i in range(100))
    print('echo while another client floods: %s' % ('ok' if ok else 'FAILED'))

    reader = Reader(flooder)
    n = 0
    flooder.settimeout(30)
    while n < n_flood:
        if reader.recv() is None:
            break
        n += 1
    t.join()
    print('flooder got %s replies' % ('all' if n == n_flood else n))
    print('sessions: %s' % memory_show()['sessions'])
    for s in idle + [other, flooder]:
        s.close()


def main():
    args = sys.argv[1:]
    if len(args) < 3:
        sys.stderr.write(__doc__)
        sys.exit(1)
    if args[0] == 'load':
        load(args[1], args[2], *[int(x) for x in args[3:6]])
    elif args[0] == 'verify':
        verify(args[1], args[2])
    elif args[0] == 'scale':
        scale(args[1], int(args[2]), int(args[3]))
    else:
        sys.stderr.write(__doc__)
        sys.exit(1)


if __name__ == '__main__':
    main()
