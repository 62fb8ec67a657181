#! /bin/sh
# vs-bench-echo.sh: JSON-RPC echo load against vswitch-lite's echo server
# ("vs-bench echo-server": our jsonrpc on our streams, one poll loop) and
# against a real Open vSwitch ovsdb-server (its "echo" method), in the same
# run, over unix, tcp and ssl, plus a raw socket ping-pong for the floor.
#
# Usage: utilities/vs-bench-echo.sh [--seconds=S] [--rounds=N] [--size=B]
#                                    [--no-pin]
#
#   --seconds=S   measured seconds per run (default 2)
#   --rounds=N    the whole matrix N times; medians are reported (default 3)
#   --size=B      payload bytes per echo (default 64)
#   --no-pin      do not pin processes to CPUs (see below)
#
# Environment: VS_BENCH (default: vs-bench in $PATH, else the build tree's
# utilities/vs-bench), OVSDB_SERVER, OVSDB_TOOL.
#
# CPU placement dominates results on small and virtual machines, so unless
# --no-pin: depth-1 runs put the client and the server on the same CPU
# (the raw ping-pong too), which removes cross-CPU wake-up noise and
# compares the programs' own costs; 4x16 runs put the client on CPU 0 and
# the server on CPU 1, so that the server has a CPU to itself and its
# capacity is what gets measured.
#
# Everything runs in a temporary directory that is removed at the end;
# both servers are killed.  Output: the BENCH lines of every run, a summary
# table of medians, and the ratios against the targets of issue 3:
#   depth-1 p50 <= 1.15x the raw ping-pong's p50
#   4 clients x depth 16 throughput >= 2x ovsdb-server's
#   ssl within 1.5x of tcp
set -e

seconds=2
rounds=3
size=64
pin=:
for arg; do
    case $arg in
        --seconds=*) seconds=${arg#--seconds=} ;;
        --rounds=*) rounds=${arg#--rounds=} ;;
        --size=*) size=${arg#--size=} ;;
        --no-pin) pin=false ;;
        -h|--help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'
                   exit 0 ;;
        *) echo "$0: unknown argument $arg (try --help)" >&2; exit 1 ;;
    esac
done

srcdir=`cd "\`dirname "$0"\`/.." && pwd`
if test -z "$VS_BENCH"; then
    if command -v vs-bench > /dev/null 2>&1; then
        VS_BENCH=vs-bench
    else
        for dir in "$srcdir"/_build*/utilities "$srcdir/utilities"; do
            if test -x "$dir/vs-bench"; then
                VS_BENCH=$dir/vs-bench
                break
            fi
        done
    fi
fi
if test -z "$OVSDB_SERVER"; then
    OVSDB_SERVER=`command -v ovsdb-server || echo /usr/sbin/ovsdb-server`
fi
if test -z "$OVSDB_TOOL"; then
    OVSDB_TOOL=`command -v ovsdb-tool || echo /usr/bin/ovsdb-tool`
fi
for prog in "$VS_BENCH" "$OVSDB_SERVER" "$OVSDB_TOOL" openssl; do
    if ! command -v "$prog" > /dev/null 2>&1; then
        echo "$0: $prog not found" >&2
        exit 1
    fi
done

if $pin && command -v taskset > /dev/null 2>&1 \
   && test "`nproc`" -ge 2; then
    :
else
    pin=false
fi

tmp=`mktemp -d "${TMPDIR:-/tmp}/vs-bench-echo.XXXXXX"`
ours_pid=
ovsdb_pid=
cleanup () {
    test -n "$ours_pid" && kill "$ours_pid" 2>/dev/null
    test -n "$ovsdb_pid" && kill "$ovsdb_pid" 2>/dev/null
    sleep 0.2
    rm -rf "$tmp"
}
trap cleanup 0
trap 'exit 1' HUP INT TERM

# wait_for COND: up to 10 s.
wait_for () {
    i=0
    until eval "$1"; do
        i=`expr $i + 1`
        if test $i -gt 100; then
            echo "$0: timed out waiting for: $1" >&2
            exit 1
        fi
        sleep 0.1
    done
}

# Certificates: a CA, and a certificate for each side.
(
    cd "$tmp"
    newkey='-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes'
    openssl req -x509 $newkey -days 2 -subj /CN=bench-ca \
        -keyout ca-key.pem -out ca-cert.pem
    for who in server client; do
        openssl req $newkey -subj /CN=$who -keyout $who-key.pem \
            -out $who-req.pem
        openssl x509 -req -in $who-req.pem -CA ca-cert.pem \
            -CAkey ca-key.pem -CAcreateserial -days 2 -out $who-cert.pem
    done
) > "$tmp/pki.log" 2>&1
server_ssl="--private-key=$tmp/server-key.pem \
            --certificate=$tmp/server-cert.pem --ca-cert=$tmp/ca-cert.pem"
client_ssl="--private-key=$tmp/client-key.pem \
            --certificate=$tmp/client-cert.pem --ca-cert=$tmp/ca-cert.pem"

# Our echo server.
$VS_BENCH echo-server $server_ssl punix:$tmp/ours.sock \
    ptcp:0:127.0.0.1 pssl:0:127.0.0.1 > "$tmp/ours.out" 2> "$tmp/ours.err" &
ours_pid=$!
wait_for 'test -s "$tmp/ours.out" && test `wc -l < "$tmp/ours.out"` -ge 3'
ours_tcp=`sed -n 's/^listening on ptcp:\([0-9]*\):.*/\1/p' "$tmp/ours.out"`
ours_ssl=`sed -n 's/^listening on pssl:\([0-9]*\):.*/\1/p' "$tmp/ours.out"`

# ovsdb-server with a database of its own.  The ssl listener uses
# 127.0.0.2 so that the log lines with the bound ports tell tcp and ssl
# apart.
cat > "$tmp/bench.ovsschema" <<'EOF'
{"name": "Bench", "version": "1.0.0",
 "tables": {"T": {"columns": {"x": {"type": "integer"}}}}}
EOF
"$OVSDB_TOOL" create "$tmp/bench.db" "$tmp/bench.ovsschema"
OVS_RUNDIR=$tmp OVS_LOGDIR=$tmp OVS_DBDIR=$tmp OVS_SYSCONFDIR=$tmp
export OVS_RUNDIR OVS_LOGDIR OVS_DBDIR OVS_SYSCONFDIR
"$OVSDB_SERVER" "$tmp/bench.db" --detach --no-chdir \
    --pidfile="$tmp/ovsdb-server.pid" --unixctl="$tmp/ovsdb-server.ctl" \
    --log-file="$tmp/ovsdb-server.log" \
    --remote=punix:$tmp/ovsdb.sock --remote=ptcp:0:127.0.0.1 \
    --remote=pssl:0:127.0.0.2 $server_ssl 2> "$tmp/ovsdb-server.err"
ovsdb_pid=`cat "$tmp/ovsdb-server.pid"`
wait_for 'grep -q "0:127.0.0.2: listening on port" "$tmp/ovsdb-server.log"'
ovsdb_tcp=`sed -n 's/.*0:127\.0\.0\.1: listening on port \([0-9]*\).*/\1/p' \
    "$tmp/ovsdb-server.log" | sed -n 1p`
ovsdb_ssl=`sed -n 's/.*0:127\.0\.0\.2: listening on port \([0-9]*\).*/\1/p' \
    "$tmp/ovsdb-server.log" | sed -n 1p`

echo "vs-bench: $VS_BENCH"
echo "ovsdb-server: `"$OVSDB_SERVER" --version | sed -n 1p`"
echo "$rounds rounds of $seconds s per run, $size-byte payloads," \
     "`nproc` CPUs, pinning: `$pin && echo on || echo off`"
echo

# place CLIENT-CPU SERVER-CPU: pins both servers; sets $client_pin.
client_pin=
place () {
    if $pin; then
        taskset -p -c $2 $ours_pid > /dev/null
        taskset -p -c $2 $ovsdb_pid > /dev/null
        client_pin="taskset -c $1"
    fi
}

results=$tmp/results
: > "$results"
run () {
    $client_pin $VS_BENCH echo --seconds=$seconds --size=$size "$@" \
        | tee -a "$results" | grep '^BENCH'
}

round=1
while test $round -le $rounds; do
    place 0 0
    run --raw=unix --label=raw-unix
    run --raw=tcp --label=raw-tcp
    for shape in 1x1 4x16; do
        clients=${shape%x*}
        depth=${shape#*x}
        if test $shape = 4x16; then place 0 1; else place 0 0; fi
        for server in ours ovsdb; do
            if test $server = ours; then
                pid=$ours_pid
                unix=unix:$tmp/ours.sock
                tcp=tcp:127.0.0.1:$ours_tcp
                ssl=ssl:127.0.0.1:$ours_ssl
            else
                pid=$ovsdb_pid
                unix=unix:$tmp/ovsdb.sock
                tcp=tcp:127.0.0.1:$ovsdb_tcp
                ssl=ssl:127.0.0.2:$ovsdb_ssl
            fi
            run --remote=$unix --label=$server-unix-$shape \
                --clients=$clients --depth=$depth --server-pid=$pid
            run --remote=$tcp --label=$server-tcp-$shape \
                --clients=$clients --depth=$depth --server-pid=$pid
            run $client_ssl --remote=$ssl --label=$server-ssl-$shape \
                --clients=$clients --depth=$depth --server-pid=$pid
        done
    done
    round=`expr $round + 1`
done

# Medians per label, then the table and the ratios.
echo
awk '
/^BENCH / {
    label = ""; rate = p50 = p99 = scpu = "";
    for (i = 2; i <= NF; i++) {
        split($i, kv, "=");
        if (kv[1] == "label") label = kv[2];
        else if (kv[1] == "rate") rate = kv[2];
        else if (kv[1] == "p50_us") p50 = kv[2];
        else if (kv[1] == "p99_us") p99 = kv[2];
        else if (kv[1] == "server_cpu_us") scpu = kv[2];
    }
    if (!(label in n)) order[++n_labels] = label;
    k = ++n[label];
    R[label, k] = rate; P[label, k] = p50; Q[label, k] = p99;
    S[label, k] = scpu;
}
function median(A, label, cnt,    i, j, t, v) {
    for (i = 1; i <= cnt; i++) v[i] = A[label, i] + 0;
    for (i = 1; i <= cnt; i++)
        for (j = i + 1; j <= cnt; j++)
            if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t; }
    return cnt % 2 ? v[(cnt + 1) / 2] : (v[cnt / 2] + v[cnt / 2 + 1]) / 2;
}
function verdict(ok) { return ok ? "met" : "NOT met"; }
END {
    printf "%-18s %10s %9s %9s %14s\n", "median of runs", "req/s",
           "p50 us", "p99 us", "server cpu/req";
    for (i = 1; i <= n_labels; i++) {
        l = order[i];
        RATE[l] = median(R, l, n[l]);
        P50[l] = median(P, l, n[l]);
        cpu = (S[l, 1] == "") ? "-" : sprintf("%.2f us", median(S, l, n[l]));
        printf "%-18s %10.0f %9.1f %9.1f %14s\n", l, RATE[l], P50[l],
               median(Q, l, n[l]), cpu;
    }

    print "";
    print "Targets (issue 3):";
    split("unix tcp ssl", tr, " ");
    for (t = 1; t <= 3; t++) {
        raw = tr[t] == "unix" ? "raw-unix" : "raw-tcp";
        r = P50["ours-" tr[t] "-1x1"] / P50[raw];
        printf "  depth-1 p50, ours %-4s / %-8s = %5.2fx  (<= 1.15x: %s)\n",
               tr[t], raw, r, verdict(r <= 1.15);
        ro = P50["ovsdb-" tr[t] "-1x1"] / P50[raw];
        printf "  depth-1 p50, ovsdb %-4s / %-8s = %5.2fx  (for comparison)\n",
               tr[t], raw, ro;
    }
    for (t = 1; t <= 3; t++) {
        r = RATE["ours-" tr[t] "-4x16"] / RATE["ovsdb-" tr[t] "-4x16"];
        printf "  4x16 req/s, ours / ovsdb-server over %-4s = %5.2fx  " \
               "(>= 2x: %s)\n", tr[t], r, verdict(r >= 2);
    }
    r = P50["ours-ssl-1x1"] / P50["ours-tcp-1x1"];
    printf "  ssl / tcp, depth-1 p50 = %5.2fx  (<= 1.5x: %s)\n", r,
           verdict(r <= 1.5);
    r = RATE["ours-tcp-4x16"] / RATE["ours-ssl-4x16"];
    printf "  tcp / ssl, 4x16 req/s  = %5.2fx  (<= 1.5x: %s)\n", r,
           verdict(r <= 1.5);
}' "$results"
