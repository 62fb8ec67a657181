# vs-bench-lib.sh: shell functions shared by vs-bench-netlink.sh and
# vs-bench-ports.sh.  Sourced, not run.
#
# The sourcing script sets, before calling any of them: ME (its name for
# messages), P (the prefix of every namespace it creates) and TMP (a
# private temporary directory, removed by the script on exit).  CNI_PLUGIN
# is read by have_cni_plugin.

# die MESSAGE: prints "ME: error: MESSAGE" on stderr and exits 1.
die () {
    echo "$ME: error: $*" >&2
    exit 1
}

# delete_namespaces: deletes every namespace named P-*, in one ip -batch.
# Never fails.
delete_namespaces () {
    local ns
    ip netns list 2>/dev/null | sed 's/ .*//' | grep "^$P-" |
        while read -r ns; do echo "netns del $ns"; done > "$TMP/del.batch"
    if [ -s "$TMP/del.batch" ]; then
        ip -force -batch "$TMP/del.batch" >/dev/null 2>&1 || :
    fi
}

# check_root: dies unless running as root with iproute2.
check_root () {
    [ "$(id -u)" = 0 ] || die "needs root"
    command -v ip >/dev/null || die "needs iproute2"
}

# make_namespaces PREFIX COUNT: PREFIX1 ... PREFIXCOUNT, in one ip -batch.
make_namespaces () {
    local i
    for i in $(seq 1 "$2"); do
        echo "netns add $1$i"
    done > "$TMP/add.batch"
    ip -batch "$TMP/add.batch" || die "cannot create namespaces $1*"
}

# make_host NAME: a private host namespace with lo up.
make_host () {
    ip netns add "$1" || die "cannot create namespace $1"
    ip -n "$1" link set lo up
}

# count_ports HOSTNS BRIDGE: prints how many veths are enslaved to BRIDGE
# and up in HOSTNS.
count_ports () {
    ip -n "$1" -o link show master "$2" up 2>/dev/null | grep -c . || :
}

# Let the kernel finish destroying devices and namespaces from an earlier
# round before timing the next one.
settle () {
    sleep 2
}

# ip_batch_prepare HOSTNS PREFIX N: creates bridge br0 in HOSTNS and
# namespaces PREFIX1 ... PREFIXN, and writes the batches that plug them
# the iproute2 way: $TMP/host.batch (veth vbI in HOSTNS on br0, peer eth0
# in PREFIXI) and, per container, $TMP/cI.batch (its address and link-up).
ip_batch_prepare () {
    local i
    ip -n "$1" link add br0 up type bridge || die "cannot create br0"
    make_namespaces "$2" "$3"
    for i in $(seq 1 "$3"); do
        echo "link add vb$i up master br0 type veth peer name eth0 netns $2$i"
    done > "$TMP/host.batch"
    for i in $(seq 1 "$3"); do
        printf 'addr add 10.64.%d.%d/16 dev eth0\nlink set eth0 up\n' \
            $((i / 250)) $((i % 250 + 1)) > "$TMP/c$i.batch"
    done
}

# ip_batch_containers PREFIX N: runs each container's batch from
# ip_batch_prepare in its namespace.
ip_batch_containers () {
    local i
    for i in $(seq 1 "$2"); do
        ip -n "$1$i" -batch "$TMP/c$i.batch" || die "ip -batch ($i) failed"
    done
}

# have_cni_plugin: succeeds if CNI_PLUGIN and its host-local IPAM plugin
# are there; otherwise says it skips them and fails.
have_cni_plugin () {
    if [ -x "$CNI_PLUGIN" ] && [ -x "$(dirname "$CNI_PLUGIN")/host-local" ]
    then
        return 0
    fi
    echo "(CNI bridge plugin not found at $CNI_PLUGIN: skipping it)"
    return 1
}

# write_cni_conf: writes $TMP/cni.conf, the bridge plugin's network
# configuration (bridge br0, host-local IPAM in 10.64.0.0/16).
write_cni_conf () {
    cat > "$TMP/cni.conf" <<EOF
{
  "cniVersion": "0.4.0",
  "name": "vsbench",
  "type": "bridge",
  "bridge": "br0",
  "isGateway": false,
  "ipMasq": false,
  "ipam": {
    "type": "host-local",
    "subnet": "10.64.0.0/16",
    "dataDir": "$TMP/ipam"
  }
}
EOF
}
