#!/bin/bash
# vs-bench-netlink.sh: container port plumbing, vswitch-lite vs. the tools.
#
#   utilities/vs-bench-netlink.sh [N] [CNI_N]
#
# Plugs N containers (default 1000) into a Linux bridge three ways, each in
# its own private "host" network namespace with its own N (or CNI_N)
# pre-created container namespaces, and compares the rates:
#
#   1. vs-bench netlink N: lib/netlink, one process, cached sockets.  For
#      each container: veth pair with the peer created in the container's
#      namespace as eth0, address on eth0, eth0 up, host end enslaved to the
#      bridge and up.
#   2. The same kernel operations with iproute2 at its best: one
#      "ip -batch" for all host-side work ("link add ... up master br0 type
#      veth peer name eth0 netns C"), and, because a batch cannot switch
#      namespaces, one "ip -n C -batch" per container for its address and
#      link-up.
#   3. The CNI bridge plugin (/usr/lib/cni/bridge, Debian
#      containernetworking-plugins) with host-local IPAM, CNI_COMMAND=ADD
#      once per container, for CNI_N containers (default 50), reported per
#      container and compared with our first CNI_N containers (the
#      kernel's cost per port grows with the bridge's size).
#
# Targets: rate >= 0.8x "ip -batch", >= 20x the CNI plugin per container.
# Also reports vs-bench's resident memory.
#
# Needs root.  Never touches the namespace it is started from: everything
# happens in namespaces named vsbench<PID>-*, all deleted on exit (also on
# failure or interruption).
#
# Environment: VS_BENCH (path of vs-bench; default: the build tree's, else
# PATH), VS_BUILD_DIR (build tree, default _build next to this script's
# directory), CNI_PLUGIN (default /usr/lib/cni/bridge).
set -u
set -o pipefail

ME=$(basename "$0")
REPO=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${VS_BUILD_DIR:-$REPO/_build}
N=${1:-1000}
CNI_N=${2:-50}
CNI_PLUGIN=${CNI_PLUGIN:-/usr/lib/cni/bridge}
P=vsbench$$
TMP=$(mktemp -d "/tmp/$P.XXXXXX")
. "$REPO/utilities/vs-bench-lib.sh"

# Deletes every namespace this run created.
cleanup () {
    delete_namespaces
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

check_root
case $N$CNI_N in *[!0-9]*) die "usage: $ME [N] [CNI_N]";; esac
[ "$N" -ge 1 ] && [ "$CNI_N" -ge 1 ] || die "usage: $ME [N] [CNI_N]"

if [ -z "${VS_BENCH:-}" ]; then
    if [ -x "$BUILD/utilities/vs-bench" ]; then
        VS_BENCH=$BUILD/utilities/vs-bench
    else
        VS_BENCH=$(command -v vs-bench) || die "vs-bench not found (build \
first, or set VS_BENCH)"
    fi
fi

now_ns () {
    date +%s%N
}

echo "vs-bench-netlink: N=$N containers (CNI: $CNI_N), $(nproc) CPUs, \
kernel $(uname -r)"

# ---------------------------------------------------------------------------
# 1. vswitch-lite.
make_host "$P-h1"
make_namespaces "$P-a" "$N"
settle
t0=$(now_ns)
ip netns exec "$P-h1" "$VS_BENCH" netlink "$N" --netns-prefix="$P-a" \
    --bridge=br0 --progress="$CNI_N" > "$TMP/vs.out" ||
    { cat "$TMP/vs.out"; die "vs-bench failed"; }
t1=$(now_ns)
vs_wall_us=$(( (t1 - t0) / 1000 ))
vs_port_us=$(sed -n 's/^per_port_us: //p' "$TMP/vs.out")
vs_rss=$(sed -n 's/^peak_rss_kb: //p' "$TMP/vs.out")
# Our cost for the first CNI_N ports, on a bridge as empty as CNI's.
vs_first_us=$(sed -n "s/^progress: ports 1-$CNI_N: \([0-9]*\) us.*/\1/p" \
              "$TMP/vs.out")
vs_first_us=${vs_first_us:-$vs_port_us}
vs_ports=$(count_ports "$P-h1" br0)
[ "$vs_ports" = "$N" ] || die "vs-bench: $vs_ports of $N ports up"
ip -n "$P-a1" -o -4 addr show dev eth0 | grep -q 'inet ' ||
    die "vs-bench: no address in the first container"

# ---------------------------------------------------------------------------
# 2. ip -batch.
make_host "$P-h2"
ip_batch_prepare "$P-h2" "$P-b" "$N"
settle
t0=$(now_ns)
ip -n "$P-h2" -batch "$TMP/host.batch" || die "ip -batch (host) failed"
t_host=$(now_ns)
ip_batch_containers "$P-b" "$N"
t1=$(now_ns)
ip_wall_us=$(( (t1 - t0) / 1000 ))
ip_host_us=$(( (t_host - t0) / 1000 ))
ip_ports=$(count_ports "$P-h2" br0)
[ "$ip_ports" = "$N" ] || die "ip -batch: $ip_ports of $N ports up"

# ---------------------------------------------------------------------------
# 3. CNI bridge plugin, host-local IPAM.
cni_port_us=
if have_cni_plugin; then
    make_host "$P-h3"
    make_namespaces "$P-c" "$CNI_N"
    write_cni_conf
    cat > "$TMP/cni.sh" <<EOF
for i in \$(seq 1 $CNI_N); do
    CNI_COMMAND=ADD CNI_CONTAINERID=vsbench\$i CNI_NETNS=/run/netns/$P-c\$i \
    CNI_IFNAME=eth0 CNI_PATH=$(dirname "$CNI_PLUGIN") \
        $CNI_PLUGIN < $TMP/cni.conf > $TMP/cni-result.json || exit 1
done
EOF
    settle
    t0=$(now_ns)
    ip netns exec "$P-h3" sh "$TMP/cni.sh" ||
        { cat "$TMP/cni-result.json"; die "CNI bridge plugin failed"; }
    t1=$(now_ns)
    cni_wall_us=$(( (t1 - t0) / 1000 ))
    cni_ports=$(count_ports "$P-h3" br0)
    [ "$cni_ports" = "$CNI_N" ] ||
        die "CNI: $cni_ports of $CNI_N ports up"
    cni_port_us=$(( cni_wall_us / CNI_N ))
fi

# ---------------------------------------------------------------------------
# Report.  Rates per container; ours from vs-bench's own clock (the work
# only) and from the wall clock around the process (with its start-up).
# The kernel's cost per port grows with the number of ports already on the
# bridge, for every tool alike, so ours and ip's are averages over the same
# N ports, and the CNI sample (CNI_N containers on an empty bridge) is
# compared with our first CNI_N ports.
awk -v n="$N" -v vs_us="$vs_port_us" -v vs_wall="$vs_wall_us" \
    -v ip_wall="$ip_wall_us" -v ip_host="$ip_host_us" -v cni_us="${cni_port_us:-0}" \
    -v cni_n="$CNI_N" -v rss="$vs_rss" -v vs_first="$vs_first_us" '
function rate(us) { return us > 0 ? 1e6 / us : 0 }
BEGIN {
    ip_us = ip_wall / n
    vs_wall_us = vs_wall / n
    printf "\n%-34s %12s %14s\n", "", "us/container", "containers/s"
    printf "%-34s %12.0f %14.0f\n", "vswitch-lite (lib/netlink)", vs_us,
           rate(vs_us)
    printf "%-34s %12.0f %14.0f\n", "  same, incl. process start-up",
           vs_wall_us, rate(vs_wall_us)
    printf "%-34s %12.0f %14.0f\n", "ip -batch (+ ip -n C -batch each)",
           ip_us, rate(ip_us)
    printf "%-34s %12.0f %14s\n", "  of which the host-side batch",
           ip_host / n, "-"
    if (cni_us > 0) {
        printf "%-34s %12.0f %14.1f\n",
               "CNI bridge plugin, first " cni_n, cni_us, rate(cni_us)
        printf "%-34s %12.0f %14.0f\n", "vswitch-lite, first " cni_n,
               vs_first, rate(vs_first)
    }
    printf "\nvswitch-lite vs ip -batch:   %.1fx (target >= 0.8x)  %s\n",
           ip_us / vs_us, (ip_us / vs_us >= 0.8) ? "ok" : "MISSED"
    if (cni_us > 0)
        printf "vswitch-lite vs CNI bridge:  %.0fx (target >= 20x)  %s\n" \
               "  (same bridge occupancy: first %d containers of each)\n",
               cni_us / vs_first, (cni_us / vs_first >= 20) ? "ok" \
               : "MISSED", cni_n
    printf "vs-bench peak RSS: %d kB\n", rss
}'
