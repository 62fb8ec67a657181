#! /usr/bin/python3
"""Drives Open vSwitch's Python reconnect FSM (ovs.reconnect, from Debian's
python3-openvswitch) with the same command language as tests/test-reconnect
and prints the same trace, so the two can be compared byte for byte.

usage: test-reconnect.py [FILE]...
       test-reconnect.py --random SEED N

The first form reads commands from each FILE (or stdin); see
tests/test-reconnect.c for the language and the trace format.

The second form writes N random scripts random-1.in ... random-N.in into
the current directory, reproducibly from SEED.  The scripts favour the
commands that make sense in the FSM's current state (which the generator
tracks by running each script through ovs.reconnect as it writes it), so
that they wander through every state; they never use "activity" before
the first "connected", which Open vSwitch's Python library does not
support."""

import errno
import random
import sys

import ovs.reconnect

ERRORS = {
    "EOF": ovs.reconnect.EOF,
    "ECONNREFUSED": errno.ECONNREFUSED,
    "ECONNRESET": errno.ECONNRESET,
    "ETIMEDOUT": errno.ETIMEDOUT,
    "EPIPE": errno.EPIPE,
    "ENOMEM": errno.ENOMEM,
    "EMFILE": errno.EMFILE,
}

INT_MAX = 2 ** 31 - 1


class UsageError(Exception):
    pass


def parse_msec(s):
    try:
        value = int(s)
    except ValueError:
        value = -1
    if not s.isdigit() or value > INT_MAX:
        raise UsageError("bad time or count '%s'" % s)
    return value


def parse_error(s):
    if s is None:
        return 0
    if s in ERRORS:
        return ERRORS[s]
    try:
        return int(s)
    except ValueError:
        raise UsageError("unknown error '%s'" % s)


class Driver(object):
    """One script's worth of state: the FSM, the clock, and what was last
    printed, writing the trace through 'out' (a function taking a line)."""

    def __init__(self, out):
        self.out = out
        self.now = 1000
        self.r = ovs.reconnect.Reconnect(self.now)
        self.r.set_name("remote")
        self.prev = self.r.get_stats(self.now)
        self.old_time = self.now
        self.old_max_tries = self.r.get_max_tries()
        self.out("### t=%d ###" % self.now)

    # Commands: each takes the list of arguments after the command name.
    def do_enable(self):
        self.r.enable(self.now)

    def do_disable(self):
        self.r.disable(self.now)

    def do_force_reconnect(self):
        self.r.force_reconnect(self.now)

    def do_disconnected(self, error=None):
        self.r.disconnected(self.now, parse_error(error))

    def do_connecting(self):
        self.r.connecting(self.now)

    def do_connect_failed(self, error=None):
        self.r.connect_failed(self.now, parse_error(error))

    def do_connected(self):
        self.r.connected(self.now)

    def do_activity(self):
        self.r.activity(self.now)

    def do_listening(self):
        self.r.listening(self.now)

    def do_listen_error(self, error):
        self.r.listen_error(self.now, parse_error(error))

    def do_passive(self):
        self.r.set_passive(True, self.now)

    def do_active(self):
        self.r.set_passive(False, self.now)

    def do_quiet(self):
        self.r.set_quiet(True)

    def do_run(self, msec=None):
        if msec is not None:
            self.now += parse_msec(msec)
        action = self.r.run(self.now)
        if action == ovs.reconnect.CONNECT:
            self.out("  should connect")
        elif action == ovs.reconnect.DISCONNECT:
            self.out("  should disconnect")
        elif action == ovs.reconnect.PROBE:
            self.out("  should send probe")
        else:
            assert action is None

    def do_advance(self, msec):
        self.now += parse_msec(msec)

    def do_timeout(self):
        timeout = self.r.timeout(self.now)
        if timeout is not None and timeout >= 0:
            self.out("  advance %d ms" % timeout)
            self.now += timeout
        else:
            self.out("  no timeout")

    def do_set_max_tries(self, n):
        self.r.set_max_tries(parse_msec(n))

    def do_set_backoff_free_tries(self, n):
        self.r.set_backoff_free_tries(parse_msec(n))

    def do_set_probe_interval(self, msec):
        self.r.set_probe_interval(parse_msec(msec))

    def do_set_backoff(self, min_backoff, max_backoff):
        self.r.set_backoff(parse_msec(min_backoff), parse_msec(max_backoff))

    def do_receive_attempted(self, when):
        if when == "now":
            self.r.receive_attempted(self.now)
        elif when == "LLONG_MAX":
            self.r.receive_attempted(None)
        else:
            self.r.receive_attempted(parse_msec(when))

    def execute(self, words):
        name = words[0]
        handler = getattr(self, "do_" + name.replace("-", "_"), None)
        if name != name.lower() or "_" in name or handler is None:
            raise UsageError("unknown command '%s'" % name)
        code = handler.__code__
        max_args = code.co_argcount - 1
        min_args = max_args - len(handler.__defaults__ or ())
        if not min_args <= len(words) - 1 <= max_args:
            raise UsageError("%s: wrong number of arguments" % name)
        handler(*words[1:])

    def print_diff(self, old, new, delta):
        out = self.out
        if (old.state != new.state
                or old.state_elapsed != new.state_elapsed
                or old.backoff != new.backoff):
            out("  in %s for %d ms (%d ms backoff)"
                % (new.state, new.state_elapsed, new.backoff))
        if (old.creation_time != new.creation_time
                or old.last_activity != new.last_activity
                or old.last_connected != new.last_connected):
            out("  created %d, last activity %d, last connected %d"
                % (new.creation_time, new.last_activity,
                   new.last_connected))
        if (old.n_successful_connections != new.n_successful_connections
                or old.n_attempted_connections
                != new.n_attempted_connections
                or old.seqno != new.seqno):
            out("  %d successful connections out of %d attempts, seqno %d"
                % (new.n_successful_connections,
                   new.n_attempted_connections, new.seqno))
        if old.is_connected != new.is_connected:
            out("  %sconnected" % ("" if new.is_connected else "dis"))
        if (old.last_connected != new.last_connected
                or (new.msec_since_connect is not None
                    and old.msec_since_connect
                    != new.msec_since_connect - delta)
                or (old.total_connected_duration
                    != new.total_connected_duration - delta
                    and (old.total_connected_duration
                         or new.total_connected_duration))):
            out("  last connected %d ms ago, connected %d ms total"
                % (new.msec_since_connect, new.total_connected_duration))
        if (old.last_disconnected != new.last_disconnected
                or (new.msec_since_disconnect is not None
                    and old.msec_since_disconnect
                    != new.msec_since_disconnect - delta)):
            out("  disconnected at %d ms (%d ms ago)"
                % (new.last_disconnected, new.msec_since_disconnect))

    def line(self, line):
        """Echoes and executes one input line (without its newline)."""
        self.out(line)
        if line.startswith("#"):
            return
        words = line.split()
        if words:
            self.execute(words)

        if self.old_time != self.now:
            self.out("")
            self.out("### t=%d ###" % self.now)
        cur = self.r.get_stats(self.now)
        self.print_diff(self.prev, cur, self.now - self.old_time)
        self.prev = cur
        if self.r.get_max_tries() != self.old_max_tries:
            self.old_max_tries = self.r.get_max_tries()
            self.out("  %d tries left" % self.old_max_tries)
        self.old_time = self.now


def run_script(stream):
    def out(s):
        sys.stdout.write(s + "\n")

    driver = Driver(out)
    for raw in stream:
        if raw.endswith(b"\n"):
            raw = raw[:-1]
        driver.line(raw.decode("utf-8", "surrogateescape"))


# Random scripts.
ERROR_ARGS = [None, None, "EOF", "ECONNREFUSED", "ECONNRESET", "ETIMEDOUT",
              "0", "104"]
ADVANCES = [1, 10, 250, 500, 999, 1000, 1001, 2000, 2500, 4000, 4999, 5000,
            5001, 8000, 10000]


def random_command(rng, driver):
    """Returns a random command line, likely to be useful for the state
    that 'driver''s FSM is in."""
    r = driver.r
    state = r.get_stats(driver.now).state
    now = driver.now

    # (weight, generator) pairs; the weights depend on the state.
    def w(states, likely, otherwise=1):
        return likely if state in states else otherwise

    connected = ("ACTIVE", "IDLE")
    choices = [
        (w(("VOID",), 12), lambda: "enable"),
        (1, lambda: "disable"),
        (w(("CONNECTING", "ACTIVE", "IDLE"), 4), lambda: "force-reconnect"),
        (w(connected + ("RECONNECT", "LISTENING"), 8),
         lambda: "disconnected" + arg(rng.choice(ERROR_ARGS))),
        (w(("BACKOFF",), 8), lambda: "connecting"),
        (w(("BACKOFF", "CONNECTING", "RECONNECT"), 8),
         lambda: "connect-failed" + arg(rng.choice(ERROR_ARGS))),
        (w(("BACKOFF", "CONNECTING", "LISTENING"), 10), lambda: "connected"),
        (w(("LISTENING",), 6, 1) if r.is_passive() else 1,
         lambda: "listen-error " + rng.choice(["ENOMEM", "EMFILE", "0"])),
        (w(("BACKOFF", "CONNECTING"), 6, 1) if r.is_passive() else 1,
         lambda: "listening"),
        (1, lambda: "passive"),
        (w(("LISTENING",), 4), lambda: "active"),
        (20, lambda: "run"),
        (3, lambda: "run %d" % rng.choice(ADVANCES)),
        (10, lambda: "advance %d" % rng.choice(ADVANCES)),
        (3, lambda: "advance %d" % rng.randint(0, 9000)),
        (20, lambda: "timeout"),
        (2, lambda: "set-max-tries %d" % rng.randint(0, 5)),
        (1, lambda: "set-backoff-free-tries %d" % rng.randint(0, 4)),
        (1, lambda: "set-probe-interval %d"
         % rng.choice([0, 500, 1000, 3000, 5000, 10000])),
        (1, lambda: "set-backoff %d %d"
         % (rng.choice([0, 500, 1000, 2000, 3000]),
            rng.choice([500, 1000, 2000, 4000, 8000, 16000]))),
        (w(connected, 6, 2), lambda: "receive-attempted "
         + rng.choice(["now", "now", "LLONG_MAX",
                       str(max(0, now + rng.randint(-6000, 6000)))])),
    ]
    # Open vSwitch's Python FSM cannot report statistics for activity
    # before any connection, so only use it once connected.
    if r.last_connected is not None:
        choices.append((w(connected, 14), lambda: "activity"))

    total = sum(weight for weight, _ in choices)
    pick = rng.uniform(0, total)
    for weight, make in choices:
        pick -= weight
        if pick <= 0:
            return make()
    return choices[-1][1]()


def arg(value):
    return "" if value is None else " " + value


def write_random_scripts(seed, n):
    rng = random.Random(seed)
    for i in range(1, n + 1):
        driver = Driver(lambda s: None)
        lines = []
        for _ in range(rng.randint(20, 60)):
            if rng.random() < 0.03:
                line = "# comment %d" % rng.randint(0, 99)
            else:
                line = random_command(rng, driver)
            driver.line(line)
            lines.append(line + "\n")
        with open("random-%d.in" % i, "w") as f:
            f.writelines(lines)


def main(args):
    if args and args[0] == "--random":
        if len(args) != 3:
            raise UsageError("--random takes SEED and N")
        write_random_scripts(int(args[1]), int(args[2]))
    elif not args:
        run_script(sys.stdin.buffer)
    else:
        for name in args:
            try:
                stream = open(name, "rb")
            except OSError as e:
                raise UsageError("%s: open failed (%s)" % (name, e.strerror))
            with stream:
                if len(args) > 1:
                    sys.stdout.write("==> %s <==\n" % name)
                run_script(stream)


if __name__ == "__main__":
    sys.stdout.reconfigure(errors="surrogateescape")
    try:
        main(sys.argv[1:])
    except UsageError as e:
        sys.stdout.flush()
        sys.stderr.write("test-reconnect.py: %s\n" % e)
        sys.exit(1)
