#!/bin/bash
# vs-bench-ports.sh: container ports through the whole product (database +
# vswitchd), against iproute2 and the CNI bridge plugin.
#
#   utilities/vs-bench-ports.sh [N] [CNI_N] [SINGLE_N]
#
# In private "host" network namespaces, with its own pre-created container
# namespaces for each part:
#
#   1. vswitch-lite, bulk: ovsdb-lite and vswitchd run in the host
#      namespace; "vs-bench ports N" adds N veth container ports (peer eth0
#      in the container with an address) in ONE transaction and times until
#      vswitchd confirms them (Open_vSwitch.cur_cfg).  A first, separate
#      run of CNI_N ports on a fresh bridge gives the figure at the same
#      bridge occupancy as the CNI sample (the kernel's cost per port grows
#      with the number of ports on the bridge, for every tool alike).
#   2. vswitch-lite, one container at a time: SINGLE_N (default 100)
#      "vs-container add-port" commands on an empty bridge, each a
#      process that connects, commits and waits for vswitchd; wall time of
#      each, p50 and p99.
#   3. The same kernel operations with "ip -batch": one batch for all
#      host-side work and, because a batch cannot switch namespaces, one
#      "ip -n C -batch" per container for its address and link-up.
#   4. The CNI bridge plugin (/usr/lib/cni/bridge, Debian
#      containernetworking-plugins) with host-local IPAM: CNI_N (default
#      50) "CNI_COMMAND=ADD" invocations, timed one by one.
#
# Also reports vswitchd's resident memory after the bulk run.
# Targets: bulk rate >= 0.8x "ip -batch", >= 20x the CNI plugin per
# container, vswitchd RSS with 1000 ports <= 32 MiB.
#
# Needs root.  Never touches the namespace it is started from: everything
# happens in namespaces named vsbp<PID>-*, deleted on exit (also on failure
# or interruption), with the daemons' files in a temporary directory.
#
# Environment: VS_BUILD_DIR (build tree, default _build next to this
# script's directory), CNI_PLUGIN (default /usr/lib/cni/bridge).
set -u
set -o pipefail

ME=$(basename "$0")
REPO=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${VS_BUILD_DIR:-$REPO/_build}
N=${1:-1000}
CNI_N=${2:-50}
SINGLE_N=${3:-100}
CNI_PLUGIN=${CNI_PLUGIN:-/usr/lib/cni/bridge}
P=vsbp$$
TMP=$(mktemp -d "/tmp/$P.XXXXXX")
. "$REPO/utilities/vs-bench-lib.sh"

cleanup () {
    local d
    for d in vswitchd ovsdb-lite; do
        [ -s "$TMP/$d.pid" ] && kill "$(cat "$TMP/$d.pid")" 2>/dev/null
    done
    sleep 0.2
    delete_namespaces
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

check_root
case $N$CNI_N$SINGLE_N in *[!0-9]*) die "usage: $ME [N] [CNI_N] [SINGLE_N]";; esac
[ "$N" -ge 1 ] && [ "$CNI_N" -ge 1 ] && [ "$SINGLE_N" -ge 1 ] ||
    die "usage: $ME [N] [CNI_N] [SINGLE_N]"
for prog in ovsdb-lite/ovsdb-lite vswitchd/vswitchd utilities/vs-container \
            utilities/vs-bench; do
    [ -x "$BUILD/$prog" ] || die "$BUILD/$prog not found (build first, or \
set VS_BUILD_DIR)"
done
VS_BENCH=${VS_BENCH:-$BUILD/utilities/vs-bench}
if [ -x "$BUILD/utilities/vsctl" ]; then
    VSCTL=$BUILD/utilities/vsctl
elif command -v ovs-vsctl >/dev/null; then
    VSCTL=ovs-vsctl
else
    die "needs $BUILD/utilities/vsctl or ovs-vsctl"
fi

export VS_RUNDIR=$TMP VS_LOGDIR=$TMP VS_DBDIR=$TMP VS_SYSCONFDIR=$TMP
export VS_PKGDATADIR=$REPO/vswitchd
DB=unix:$TMP/db.sock

# percentile P FILE: the P-th percentile of the numbers in FILE.
percentile () {
    sort -n "$2" | awk -v p="$1" '{v[NR] = $1}
        END {i = int((NR * p + 99) / 100); if (i < 1) i = 1; print v[i]}'
}

echo "vs-bench-ports: N=$N ports in one transaction, CNI: $CNI_N, single \
adds: $SINGLE_N; $(nproc) CPUs, kernel $(uname -r)"

# ---------------------------------------------------------------------------
# 1 and 2. vswitch-lite.
make_host "$P-h1"
ip netns exec "$P-h1" "$BUILD/ovsdb-lite/ovsdb-lite" --detach --no-chdir \
    --pidfile --log-file "--remote=punix:$TMP/db.sock" ||
    die "ovsdb-lite did not start"
"$VSCTL" --db="$DB" --no-wait init 2>/dev/null || die "cannot init the db"
ip netns exec "$P-h1" "$BUILD/vswitchd/vswitchd" --detach --no-chdir \
    --pidfile --log-file "$DB" || die "vswitchd did not start"
make_namespaces "$P-s" "$SINGLE_N"
make_namespaces "$P-b" "$CNI_N"
make_namespaces "$P-a" "$N"

# Single adds, on an empty bridge.
"$VSCTL" --db="$DB" --timeout=30 add-br brs 2>/dev/null ||
    die "cannot create bridge brs"
settle
: > "$TMP/single.us"
for i in $(seq 1 "$SINGLE_N"); do
    t0=$EPOCHREALTIME
    "$BUILD/utilities/vs-container" --db="$DB" --timeout=30 add-port brs \
        eth0 "$P-s$i" --ipaddress=10.65.$((i / 250)).$((i % 250 + 1))/16 ||
        die "vs-container add-port failed"
    t1=$EPOCHREALTIME
    echo $(( (${t1/./} - ${t0/./}) )) >> "$TMP/single.us"
done
single_p50=$(percentile 50 "$TMP/single.us")
single_p99=$(percentile 99 "$TMP/single.us")
[ "$(count_ports "$P-h1" brs)" = "$SINGLE_N" ] ||
    die "vs-container: not all $SINGLE_N ports up"

# Bulk of CNI_N on a fresh bridge: same occupancy as the CNI sample.
settle
"$VS_BENCH" ports "$CNI_N" --db="$DB" --bridge=brc --netns-prefix="$P-b" \
    --subnet=10.66 --port-prefix=vm > "$TMP/small.out" ||
    { cat "$TMP/small.out"; die "vs-bench ports $CNI_N failed"; }
small_us=$(sed -n 's/^per_port_us: //p' "$TMP/small.out")

# The big one.
settle
"$VS_BENCH" ports "$N" --db="$DB" --bridge=br0 --netns-prefix="$P-a" \
    > "$TMP/bulk.out" || { cat "$TMP/bulk.out"; die "vs-bench ports failed"; }
bulk_us=$(sed -n 's/^per_port_us: //p' "$TMP/bulk.out")
bulk_s=$(sed -n 's/^seconds: //p' "$TMP/bulk.out")
commit_ms=$(sed -n 's/^commit_ms: //p' "$TMP/bulk.out")
vs_ports=$(count_ports "$P-h1" br0)
[ "$vs_ports" = "$N" ] || die "vswitch-lite: $vs_ports of $N ports up"
ip -n "$P-a1" -o -4 addr show dev eth0 | grep -q 'inet ' ||
    die "vswitch-lite: no address in the first container"
pid=$(cat "$TMP/vswitchd.pid")
sleep 1
rss_kb=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status")
hwm_kb=$(awk '/^VmHWM:/ {print $2}' "/proc/$pid/status")
total_ports=$((N + CNI_N + SINGLE_N))
pass_line=$(grep 'reconciled: ' "$TMP/vswitchd.log" |
            grep "$N changes" | tail -1 | sed 's/.*reconciled: //')
kill "$pid" "$(cat "$TMP/ovsdb-lite.pid")" 2>/dev/null
ip netns del "$P-h1"

# ---------------------------------------------------------------------------
# 3. ip -batch.
make_host "$P-h2"
ip_batch_prepare "$P-h2" "$P-i" "$N"
settle
t0=$EPOCHREALTIME
ip -n "$P-h2" -batch "$TMP/host.batch" || die "ip -batch (host) failed"
ip_batch_containers "$P-i" "$N"
t1=$EPOCHREALTIME
ip_us=$(( (${t1/./} - ${t0/./}) / N ))
[ "$(count_ports "$P-h2" br0)" = "$N" ] || die "ip -batch: not all ports up"
ip netns del "$P-h2"

# ---------------------------------------------------------------------------
# 4. CNI bridge plugin.
cni_us=
if have_cni_plugin; then
    make_host "$P-h3"
    make_namespaces "$P-c" "$CNI_N"
    write_cni_conf
    cat > "$TMP/cni.sh" <<EOF
for i in \$(seq 1 $CNI_N); do
    t0=\$EPOCHREALTIME
    CNI_COMMAND=ADD CNI_CONTAINERID=vsbench\$i CNI_NETNS=/run/netns/$P-c\$i \
    CNI_IFNAME=eth0 CNI_PATH=$(dirname "$CNI_PLUGIN") \
        $CNI_PLUGIN < $TMP/cni.conf > $TMP/cni-result.json || exit 1
    t1=\$EPOCHREALTIME
    echo \$(( (\${t1/./} - \${t0/./}) ))
done > $TMP/cni.us
EOF
    settle
    ip netns exec "$P-h3" bash "$TMP/cni.sh" ||
        { cat "$TMP/cni-result.json"; die "CNI bridge plugin failed"; }
    [ "$(count_ports "$P-h3" br0)" = "$CNI_N" ] ||
        die "CNI: not all $CNI_N ports up"
    cni_us=$(awk '{s += $1} END {printf "%d", s / NR}' "$TMP/cni.us")
    cni_p50=$(percentile 50 "$TMP/cni.us")
    cni_p99=$(percentile 99 "$TMP/cni.us")
fi

# ---------------------------------------------------------------------------
awk -v n="$N" -v bulk_us="$bulk_us" -v bulk_s="$bulk_s" \
    -v commit_ms="$commit_ms" -v small_us="$small_us" -v ip_us="$ip_us" \
    -v cni_us="${cni_us:-0}" -v cni_p50="${cni_p50:-0}" \
    -v cni_p99="${cni_p99:-0}" -v cni_n="$CNI_N" \
    -v s_p50="$single_p50" -v s_p99="$single_p99" -v s_n="$SINGLE_N" \
    -v rss="$rss_kb" -v hwm="$hwm_kb" -v total="$total_ports" '
function rate(us) { return us > 0 ? 1e6 / us : 0 }
BEGIN {
    printf "\n%-44s %12s %14s\n", "", "us/container", "containers/s"
    printf "%-44s %12.0f %14.0f\n",
           "vswitch-lite, " n " ports in one transaction", bulk_us,
           rate(bulk_us)
    printf "%-44s %12.0f %14.0f\n", "ip -batch (+ ip -n C -batch each)",
           ip_us, rate(ip_us)
    printf "%-44s %12.0f %14.0f\n",
           "vswitch-lite, " cni_n " ports in one transaction", small_us,
           rate(small_us)
    if (cni_us > 0)
        printf "%-44s %12.0f %14.1f\n",
               "CNI bridge plugin, " cni_n " ADDs", cni_us, rate(cni_us)
    printf "\n(bulk: %.3f s in all, of which %.0f ms to commit the "  \
           "transaction)\n", bulk_s, commit_ms
    printf "\nOne container at a time, end to end (process start, "   \
           "transaction,\nwait for vswitchd), %d samples:\n", s_n
    printf "  vs-container add-port:  p50 %6.1f ms   p99 %6.1f ms\n",
           s_p50 / 1000, s_p99 / 1000
    if (cni_us > 0)
        printf "  CNI bridge ADD:         p50 %6.1f ms   p99 %6.1f ms\n",
               cni_p50 / 1000, cni_p99 / 1000
    printf "\nvswitch-lite vs ip -batch:   %.1fx (target >= 0.8x)  %s\n",
           ip_us / bulk_us, (ip_us / bulk_us >= 0.8) ? "ok" : "MISSED"
    if (cni_us > 0)
        printf "vswitch-lite vs CNI bridge:  %.0fx per container "       \
               "(target >= 20x)  %s\n  (same bridge occupancy: %d "    \
               "containers each)\n", cni_us / small_us,
               (cni_us / small_us >= 20) ? "ok" : "MISSED", cni_n
    printf "vswitchd RSS with %d ports: %.1f MiB (peak %.1f MiB; "      \
           "target <= 32 MiB)  %s\n", total, rss / 1024, hwm / 1024,
           (hwm / 1024 <= 32) ? "ok" : "MISSED"
}'
[ -n "$pass_line" ] && echo "vswitchd's pass for the bulk: $pass_line"
exit 0
