#!/bin/bash
# vs-demo.sh: the container-network demo of vswitch-lite.
#
#   utilities/vs-demo.sh [BUILD_DIR]
#
# In a private "host" network namespace: starts ovsdb-lite and vswitchd,
# creates bridge br0, attaches four container namespaces with vs-container
# (two on VLAN 10, two on VLAN 20), shows that pings work within a VLAN and
# fail across VLANs, shows "vsctl show" and "appctl bridge/show br0",
# restarts vswitchd while a ping runs and shows that no packet was lost,
# then tears everything down.
#
# BUILD_DIR (or $VS_BUILD) is the build tree (default: _build next to this
# script's directory).  Needs root (network namespaces), iproute2 and ping.
# Never touches the namespace it is started from: everything happens in
# namespaces named vsdemo<PID>-*, deleted on exit (also on failure or
# interruption), with daemons' files in a temporary directory.
set -u
set -o pipefail

ME=$(basename "$0")
REPO=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-${VS_BUILD:-$REPO/_build}}
case $BUILD in /*) ;; *) BUILD=$PWD/$BUILD ;; esac
P=vsdemo$$
HOST=$P-host
DIR=

if [ -t 1 ]; then
    B=$(printf '\033[1m'); G=$(printf '\033[32m'); R=$(printf '\033[31m')
    N=$(printf '\033[0m')
else
    B= G= R= N=
fi

step () {
    printf '\n%s==> %s%s\n' "$B" "$*" "$N"
}

ok () {
    printf '    %s[ok]%s %s\n' "$G" "$N" "$*"
}

fail () {
    printf '    %s[FAILED]%s %s\n' "$R" "$N" "$*"
    failures=$((failures + 1))
}

die () {
    printf '%s: error: %s\n' "$ME" "$*" >&2
    exit 1
}

# Runs a command and shows it, indented.
show () {
    printf '    $ %s\n' "$*"
    "$@" 2>&1 | sed 's/^/      /'
}

failures=0

cleanup () {
    set +e
    if [ -n "$DIR" ]; then
        for d in vswitchd ovsdb-lite; do
            if [ -s "$DIR/$d.pid" ]; then
                kill "$(cat "$DIR/$d.pid")" 2>/dev/null
            fi
        done
        sleep 0.2
    fi
    ip netns list 2>/dev/null | sed 's/ .*//' | grep "^$P-" |
        while read -r ns; do ip netns del "$ns"; done
    [ -n "$DIR" ] && rm -rf "$DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

[ "$(id -u)" = 0 ] || die "needs root (network namespaces)"
command -v ip >/dev/null || die "needs iproute2 (ip)"
command -v ping >/dev/null || die "needs ping (iputils-ping)"
for prog in ovsdb-lite/ovsdb-lite vswitchd/vswitchd utilities/appctl \
            utilities/vs-container; do
    [ -x "$BUILD/$prog" ] || die "$BUILD/$prog not found (build first, or \
give the build directory as argument)"
done
if [ -x "$BUILD/utilities/vsctl" ]; then
    VSCTL_PROG=$BUILD/utilities/vsctl
elif command -v ovs-vsctl >/dev/null; then
    VSCTL_PROG=ovs-vsctl
else
    die "neither $BUILD/utilities/vsctl nor ovs-vsctl found"
fi

DIR=$(mktemp -d "/tmp/$P.XXXXXX")
export VS_RUNDIR=$DIR VS_LOGDIR=$DIR VS_DBDIR=$DIR VS_SYSCONFDIR=$DIR
export VS_PKGDATADIR=$REPO/vswitchd
export PATH=$BUILD/utilities:$BUILD/vswitchd:$BUILD/ovsdb-lite:$PATH

vsctl () {
    "$VSCTL_PROG" --timeout=20 --db="unix:$DIR/db.sock" "$@" \
        2> >(grep -v 'database needs upgrade' >&2)
}

in_host () {
    ip netns exec "$HOST" "$@"
}

pinger () {                     # pinger FROM-NS ADDR
    ip netns exec "$P-$1" ping -c1 -W1 "$2" >/dev/null 2>&1
}

start_vswitchd () {
    in_host vswitchd --detach --no-chdir --pidfile --log-file \
        "unix:$DIR/db.sock"
}

# ---------------------------------------------------------------------------
step "Private host namespace $HOST, four container namespaces"
ip netns add "$HOST" || die "cannot create namespace $HOST"
ip -n "$HOST" link set lo up
for c in c1 c2 c3 c4; do
    ip netns add "$P-$c" || die "cannot create namespace $P-$c"
    ip -n "$P-$c" link set lo up
done
ok "namespaces: $(ip netns list | sed 's/ .*//' | grep "^$P-" | sort |
                  tr '\n' ' ')"

step "Starting ovsdb-lite and vswitchd in $HOST (files in $DIR)"
in_host ovsdb-lite --detach --no-chdir --pidfile --log-file \
    "--remote=punix:$DIR/db.sock" || die "ovsdb-lite did not start"
vsctl --no-wait init || die "cannot initialize the database"
start_vswitchd || die "vswitchd did not start"
ok "$(appctl -t ovsdb-lite version | head -1)"
ok "$(appctl -t vswitchd version | head -1)"

step "Creating bridge br0"
show vsctl add-br br0
ok "kernel: $(ip -n "$HOST" -br link show br0 | awk '{print $1, $2}')"

step "Attaching containers with vs-container (one transaction each)"
i=0
for c in c1 c2 c3 c4; do
    i=$((i + 1))
    vlan=$(( i <= 2 ? 10 : 20 ))
    show vs-container --timeout=20 add-port br0 eth0 "$P-$c" \
        --ipaddress=10.0.0.$i/24 --vlan=$vlan ||
        die "vs-container add-port failed"
done
for c in c1 c2 c3 c4; do
    printf '    %s: %s\n' "$c" "$(ip -n "$P-$c" -o -4 addr show dev eth0 |
                                  awk '{print $2, $4}')"
done

step "Pings: same VLAN works, across VLANs does not"
check_ping () {                 # check_ping FROM ADDR EXPECT(yes|no) WHY
    if pinger "$1" "$2"; then got=yes; else got=no; fi
    if [ "$got" = "$3" ]; then
        ok "$1 -> $2: $( [ "$got" = yes ] && echo reachable ||
                         echo unreachable) ($4)"
    else
        fail "$1 -> $2: expected $3, got $got ($4)"
    fi
}
# Give the new ports a moment to reach forwarding state.
for _ in $(seq 1 30); do pinger c1 10.0.0.2 && break; sleep 0.1; done
check_ping c1 10.0.0.2 yes "both on VLAN 10"
check_ping c3 10.0.0.4 yes "both on VLAN 20"
check_ping c1 10.0.0.3 no "VLAN 10 -> VLAN 20"
check_ping c2 10.0.0.4 no "VLAN 10 -> VLAN 20"

step "The database, as vsctl shows it"
vsctl show | sed 's/^/    /'

step "Desired vs kernel state: appctl bridge/show br0"
appctl -t vswitchd bridge/show br0 | sed "s/$P-/DEMO-/g; s/^/    /"

step "Restarting vswitchd while c1 pings c2 (every 0.1 s)"
ip netns exec "$P-c1" ping -c 40 -i 0.1 -W 1 10.0.0.2 > "$DIR/ping.out" 2>&1 &
ping_pid=$!
sleep 1
appctl -t vswitchd exit
while [ -e "$DIR/vswitchd.pid" ] && kill -0 "$(cat "$DIR/vswitchd.pid" 2>/dev/null)" 2>/dev/null; do
    sleep 0.05
done
ok "vswitchd stopped; containers keep their network"
sleep 0.5
start_vswitchd || die "vswitchd did not restart"
for _ in $(seq 1 50); do
    appctl -t vswitchd vswitchd/status | grep -q '^applied cfg: [0-9]' &&
        break
    sleep 0.1
done
adopted=$(appctl -t vswitchd coverage/show |
          awk '/reconcile_port_adopted/ {print $NF}')
created=$(appctl -t vswitchd coverage/show |
          awk '/reconcile_port_(re)?created/ {n += $NF} END {print n + 0}')
if [ "$created" = 0 ]; then
    ok "vswitchd started again and adopted the ${adopted:-0} existing ports \
without touching them"
else
    fail "vswitchd recreated $created ports after the restart"
fi
wait $ping_pid
summary=$(grep 'packets transmitted' "$DIR/ping.out")
if echo "$summary" | grep -q ' 0% packet loss'; then
    ok "ping: $summary"
else
    fail "ping: $summary"
fi

step "Tearing down"
for c in c1 c2 c3 c4; do
    vs-container --timeout=20 del-ports br0 "$P-$c" || fail "del-ports $c"
done
show vsctl del-br br0
left=$(ip -n "$HOST" -o link show | grep -vc ': lo:' || :)
if [ "$left" = 0 ]; then
    ok "host namespace is empty again"
else
    fail "$left devices left in the host namespace"
fi
appctl -t vswitchd exit
appctl -t ovsdb-lite exit
sleep 0.2

if [ $failures = 0 ]; then
    printf '\n%sDemo complete: all checks passed.%s\n' "$G" "$N"
else
    printf '\n%sDemo complete: %d check(s) failed.%s\n' "$R" "$failures" "$N"
    exit 1
fi
