# ovs-sandbox.sh: run a real Open vSwitch (ovsdb-server + ovs-vswitchd) in
# the current directory, for interoperability tests.
#
# Source it from a test (after require_ovs), then:
#
#   ovs_sandbox_start      creates conf.db from Open vSwitch's schema and
#                          starts ovsdb-server and ovs-vswitchd detached,
#                          with every file they use (pidfiles, control
#                          sockets, logs, database, db.sock) in the current
#                          directory; registers with on_exit their shutdown.
#                          Returns nonzero (with a message) on failure.
#
# Afterwards these are set:
#   OVS_SANDBOX_DIR        the directory
#   OVS_VSWITCHD_PID       ovs-vswitchd's pid
#   OVS_VSWITCHD_CTL       its control socket: OVS's default name
#                          ovs-vswitchd.PID.ctl in OVS_RUNDIR, so that
#                          "appctl -t ovs-vswitchd" finds it through the
#                          pidfile like "ovs-appctl -t ovs-vswitchd" does
#   OVSDB_SERVER_CTL       ovsdb-server's control socket (--unixctl)
#
# Never touches the system's Open vSwitch: OVS_RUNDIR, OVS_LOGDIR,
# OVS_DBDIR and OVS_SYSCONFDIR point at the directory, every path is given
# explicitly, and ovs-vswitchd runs with --disable-system (no kernel
# datapath, so it neither creates nor deletes kernel datapaths) and
# --disable-system-route (no routing table monitor).  It needs no kernel
# module and no bridges to answer control commands.

ovs_sandbox_bin () {
    if command -v "$1" >/dev/null 2>&1; then
        command -v "$1"
    elif test -x "/usr/sbin/$1"; then
        echo "/usr/sbin/$1"
    else
        echo "$1"
    fi
}

ovs_sandbox_start () {
    OVS_SANDBOX_DIR=`pwd`
    OVS_RUNDIR=$OVS_SANDBOX_DIR; export OVS_RUNDIR
    OVS_LOGDIR=$OVS_SANDBOX_DIR; export OVS_LOGDIR
    OVS_DBDIR=$OVS_SANDBOX_DIR; export OVS_DBDIR
    OVS_SYSCONFDIR=$OVS_SANDBOX_DIR; export OVS_SYSCONFDIR

    ovs_sb_schema=${OVS_SCHEMA:-/usr/share/openvswitch/vswitch.ovsschema}
    ovs_sb_dir=$OVS_SANDBOX_DIR

    if ! `ovs_sandbox_bin ovsdb-tool` create "$ovs_sb_dir/conf.db" \
            "$ovs_sb_schema"; then
        echo "ovs_sandbox_start: ovsdb-tool create failed"
        return 1
    fi

    # on_exit runs the most recent first: ovs-vswitchd stops before
    # ovsdb-server.
    on_exit "vs_kill_pidfile '$ovs_sb_dir/ovsdb-server.pid'"
    if ! `ovs_sandbox_bin ovsdb-server` -vconsole:off \
            --remote="punix:$ovs_sb_dir/db.sock" \
            --pidfile="$ovs_sb_dir/ovsdb-server.pid" \
            --unixctl="$ovs_sb_dir/ovsdb-server.ctl" \
            --log-file="$ovs_sb_dir/ovsdb-server.log" \
            --detach --no-chdir "$ovs_sb_dir/conf.db"; then
        echo "ovs_sandbox_start: ovsdb-server failed to start"
        cat "$ovs_sb_dir/ovsdb-server.log" 2>/dev/null
        return 1
    fi
    OVSDB_SERVER_CTL=$ovs_sb_dir/ovsdb-server.ctl

    on_exit "vs_kill_pidfile '$ovs_sb_dir/ovs-vswitchd.pid'"
    if ! `ovs_sandbox_bin ovs-vswitchd` -vconsole:off \
            --disable-system --disable-system-route \
            --pidfile="$ovs_sb_dir/ovs-vswitchd.pid" \
            --log-file="$ovs_sb_dir/ovs-vswitchd.log" \
            --detach --no-chdir "unix:$ovs_sb_dir/db.sock"; then
        echo "ovs_sandbox_start: ovs-vswitchd failed to start"
        cat "$ovs_sb_dir/ovs-vswitchd.log" 2>/dev/null
        return 1
    fi
    OVS_VSWITCHD_PID=`cat "$ovs_sb_dir/ovs-vswitchd.pid"`
    OVS_VSWITCHD_CTL=$ovs_sb_dir/ovs-vswitchd.$OVS_VSWITCHD_PID.ctl
    if test ! -S "$OVS_VSWITCHD_CTL"; then
        echo "ovs_sandbox_start: no control socket $OVS_VSWITCHD_CTL"
        return 1
    fi
    return 0
}
