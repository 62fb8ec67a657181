#! /bin/bash
# vs-bench-ovsdb.sh: "vs-bench ovsdb" workloads against ovsdb-lite and a
# real Open vSwitch ovsdb-server, same schema, same run, and the ratios
# against the targets of issue 5.
#
# Usage: utilities/vs-bench-ovsdb.sh [--seconds=S] [--clients=N]
#                                     [--monitors=N] [--modes="M..."]
#
#   --seconds=S     measured seconds of select and mutate (default 5)
#   --clients=N     idle-clients connections (default 10000)
#   --monitors=N    fanout monitoring sessions (default 1000)
#   --modes=LIST    subset of "select mutate insert fanout idle-clients"
#
# Environment: VS_BENCH, OVSDB_LITE, OVSDB_LITE_TOOL (default: the build
# tree's), OVSDB_SERVER, OVSDB_TOOL (default: from $PATH).
#
# Both servers run in a private temporary directory on unix sockets, with
# their pidfile, control socket and log there; both are killed at the end,
# also on failure.  The pipelined echo target is measured by
# vs-bench-echo.sh and not repeated here.
set -e

seconds=5
clients=10000
monitors=1000
modes="select mutate insert fanout idle-clients"
for arg; do
    case $arg in
        --seconds=*) seconds=${arg#--seconds=} ;;
        --clients=*) clients=${arg#--clients=} ;;
        --monitors=*) monitors=${arg#--monitors=} ;;
        --modes=*) modes=${arg#--modes=} ;;
        -h|--help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'
                   exit 0 ;;
        *) echo "$0: unknown argument $arg (try --help)" >&2; exit 1 ;;
    esac
done

srcdir=`cd "\`dirname "$0"\`/.." && pwd`
find_built () {             # find_built VAR RELATIVE-PATH: the newest
    eval "test -n \"\$$1\"" && return
    found=`ls -t "$srcdir"/_build*/$2 2>/dev/null | sed -n 1p`
    if test -z "$found" || ! test -x "$found"; then
        echo "$0: $2 not found (set $1)" >&2
        exit 1
    fi
    eval "$1=\$found"
}
find_built VS_BENCH utilities/vs-bench
find_built OVSDB_LITE ovsdb-lite/ovsdb-lite
find_built OVSDB_LITE_TOOL ovsdb-lite/ovsdb-lite-tool
: ${OVSDB_SERVER:=`command -v ovsdb-server || echo /usr/sbin/ovsdb-server`}
: ${OVSDB_TOOL:=`command -v ovsdb-tool || echo /usr/bin/ovsdb-tool`}

# 10k clients need 10k descriptors on both sides.
ulimit -n `ulimit -Hn` 2>/dev/null || :
if test `ulimit -n` != unlimited && test `ulimit -n` -lt $((clients + 100))
then
    echo "$0: ulimit -n is `ulimit -n`, too low for $clients clients" >&2
    exit 1
fi

tmp=`mktemp -d "${TMPDIR:-/tmp}/vs-bench-ovsdb.XXXXXX"`
lite_pid=
ovsdb_pid=
cleanup () {
    test -n "$lite_pid" && kill "$lite_pid" 2>/dev/null
    test -n "$ovsdb_pid" && kill "$ovsdb_pid" 2>/dev/null
    sleep 0.3
    rm -rf "$tmp"
}
trap cleanup 0
trap 'exit 1' HUP INT TERM

export OVS_RUNDIR=$tmp OVS_LOGDIR=$tmp OVS_DBDIR=$tmp OVS_SYSCONFDIR=$tmp
export VS_RUNDIR=$tmp VS_LOGDIR=$tmp VS_DBDIR=$tmp VS_SYSCONFDIR=$tmp

"$VS_BENCH" ovsdb --print-schema > "$tmp/bench.ovsschema"
"$OVSDB_LITE_TOOL" create "$tmp/lite.db" "$tmp/bench.ovsschema"
"$OVSDB_TOOL" create "$tmp/ovsdb.db" "$tmp/bench.ovsschema"

"$OVSDB_LITE" "$tmp/lite.db" --detach --no-chdir \
    --pidfile="$tmp/ovsdb-lite.pid" --unixctl="$tmp/ovsdb-lite.ctl" \
    --log-file="$tmp/ovsdb-lite.log" --remote=punix:$tmp/lite.sock \
    2> "$tmp/ovsdb-lite.err"
lite_pid=`cat "$tmp/ovsdb-lite.pid"`
"$OVSDB_SERVER" "$tmp/ovsdb.db" --detach --no-chdir \
    --pidfile="$tmp/ovsdb-server.pid" --unixctl="$tmp/ovsdb-server.ctl" \
    --log-file="$tmp/ovsdb-server.log" --remote=punix:$tmp/ovsdb.sock \
    2> "$tmp/ovsdb-server.err"
ovsdb_pid=`cat "$tmp/ovsdb-server.pid"`
for i in `seq 100`; do
    test -S "$tmp/lite.sock" && test -S "$tmp/ovsdb.sock" && break
    sleep 0.1
done

echo "vs-bench:     $VS_BENCH"
echo "ovsdb-lite:   $OVSDB_LITE (pid $lite_pid)"
echo "ovsdb-server: `"$OVSDB_SERVER" --version | sed -n 1p` (pid $ovsdb_pid)"
echo "`nproc` CPUs; unix sockets; ulimit -n `ulimit -n`;" \
     "somaxconn `cat /proc/sys/net/core/somaxconn 2>/dev/null`"
echo

results=$tmp/results
: > "$results"
for mode in $modes; do
    for server in lite ovsdb; do
        if test $server = lite; then pid=$lite_pid; else pid=$ovsdb_pid; fi
        set -- --remote=unix:$tmp/$server.sock --label=$server \
            --server-pid=$pid
        case $mode in
            select) set -- "$@" --seconds=$seconds ;;
            mutate) set -- "$@" --seconds=$seconds --clients=4 --depth=8 ;;
            insert) set -- "$@" --rows=10000 --rounds=3 ;;
            fanout) set -- "$@" --monitors=$monitors --rounds=5 ;;
            idle-clients) set -- "$@" --clients=$clients --timeout=30 ;;
        esac
        if ! "$VS_BENCH" ovsdb $mode "$@" > "$tmp/out" 2> "$tmp/err"; then
            echo "$server $mode FAILED: `tail -1 "$tmp/err"`"
            echo "BENCH test=ovsdb-$mode label=$server failed=1" >> "$results"
        fi
        cat "$tmp/out" | tee -a "$results" | grep -v '^BENCH'
    done
done

echo
awk '
/^BENCH / {
    test = $2; sub(/^test=ovsdb-/, "", test);
    who = "";
    for (i = 3; i <= NF; i++) {
        split($i, kv, "=");
        if (kv[1] == "label") who = kv[2];
        V[test, who, kv[1]] = kv[2];
    }
}
function v(test, who, key) { return V[test, who, key]; }
function verdict(ok) { return ok ? "met" : "NOT met"; }
function row(what, lite, ovsdb, unit, ratio, target, ok) {
    printf "%-34s %14s %14s %8s  %-22s %s\n", what, lite unit, ovsdb unit,
           ratio, target, ok;
}
END {
    printf "%-34s %14s %14s %8s  %-22s %s\n", "", "ovsdb-lite",
           "ovsdb-server", "ratio", "target", "";
    if (("select", "lite", "rate") in V) {
        l = v("select", "lite", "rate"); o = v("select", "ovsdb", "rate");
        r = o ? l / o : 0;
        row("select 1x1, transactions/s", l, o, "", sprintf("%.2fx", r),
            ">= 1.3x", verdict(r >= 1.3));
        row("select 1x1, p50 us", v("select", "lite", "p50_us"),
            v("select", "ovsdb", "p50_us"), "", "", "", "");
        row("select 1x1, p99 us", v("select", "lite", "p99_us"),
            v("select", "ovsdb", "p99_us"), "", "", "", "");
    }
    if (("mutate", "lite", "rate") in V) {
        l = v("mutate", "lite", "rate"); o = v("mutate", "ovsdb", "rate");
        r = o ? l / o : 0;
        row("mutate 4x8, commits/s (lite fsyncs)", l, o, "",
            sprintf("%.2fx", r), ">= 1x", verdict(r >= 1));
        row("mutate 4x8, p50 us", v("mutate", "lite", "p50_us"),
            v("mutate", "ovsdb", "p50_us"), "", "", "", "");
    }
    if (("insert", "lite", "median_s") in V) {
        l = v("insert", "lite", "median_s"); o = v("insert", "ovsdb", "median_s");
        row("insert 10k rows, 1 txn, s", l, o, "",
            sprintf("%.2fx", l ? o / l : 0), "(speed-up)", "");
    }
    if (("fanout", "lite", "last_ms") in V) {
        l = v("fanout", "lite", "last_ms"); o = v("fanout", "ovsdb", "last_ms");
        row("fanout " v("fanout", "lite", "monitors") " monitors, last ms", l, o, "",
            sprintf("%.2fx", l ? o / l : 0), "(speed-up)", "");
    }
    if (("idle-clients", "lite", "accept_s") in V) {
        t = "idle-clients";
        n = v(t, "lite", "clients");
        row("idle " n ": accepted", v(t, "lite", "accepted"),
            v(t, "ovsdb", "accepted"), "", "", "all", 
            verdict(v(t, "lite", "accepted") == n));
        l = v(t, "lite", "accept_s");
        row("idle " n ": time to accept all, s", l, v(t, "ovsdb", "accept_s"),
            "", "", "< 1 s", verdict(v(t, "lite", "accepted") == n && l < 1));
        l = v(t, "lite", "kib_per_session");
        row("idle " n ": RSS KiB/session", l, v(t, "ovsdb", "kib_per_session"),
            "", "", "<= 16 KiB", verdict(l <= 16));
        l = v(t, "lite", "idle_cpu_ms");
        row("idle " n ": server CPU ms in " v(t, "lite", "idle_seconds") " s", l,
            v(t, "ovsdb", "idle_cpu_ms"), "", "", "0", verdict(l == 0));
        for (k = 1; k <= 2; k++) {
            w = k == 1 ? "lite" : "ovsdb";
            R[w] = v(t, w, "echo_p50_alone_us") \
                   ? v(t, w, "echo_p50_with_us") / v(t, w, "echo_p50_alone_us") : 0;
        }
        row("idle " n ": echo p50 us alone", v(t, "lite", "echo_p50_alone_us"),
            v(t, "ovsdb", "echo_p50_alone_us"), "", "", "", "");
        row("idle " n ": echo p50 us with them", v(t, "lite", "echo_p50_with_us"),
            v(t, "ovsdb", "echo_p50_with_us"), "", "", "", "");
        row("idle " n ": p50 with / alone", sprintf("%.2fx", R["lite"]),
            sprintf("%.2fx", R["ovsdb"]), "", "", "<= 1.5x",
            verdict(R["lite"] <= 1.5));
    }
}' "$results"
