#!/bin/bash
# vs-setup.sh: set up vswitch-lite on a fresh Debian 12 machine.
#
#   utilities/vs-setup.sh demo    install build dependencies if missing,
#                                 build, run the container-network demo
#                                 (utilities/vs-demo.sh)
#   utilities/vs-setup.sh check   install dependencies, build with
#                                 --enable-Werror, run the whole test suite,
#                                 then the VM test lane (make check-vm)
#                                 when qemu is installed, then make distcheck
#   utilities/vs-setup.sh bench   build, then benchmark unixctl against our
#                                 vswitchd and a real ovs-vswitchd, and
#                                 measure idle wakeups and RSS
#
# Run as root (to install packages) from anywhere; the repository root is
# the parent of this script's directory.  The build goes to _build/ there
# (override with VS_BUILD_DIR).
#
# Environment:
#   VS_CONFIGURE_FLAGS  extra flags for configure (e.g. --enable-asan)
#   TESTSUITEFLAGS      extra flags for the test suite ("check"; -j2 is
#                       always passed)
#   VS_BENCH_FLAGS      extra flags for "vs-bench unixctl" ("bench")
#   VS_IDLE_SECONDS     idle measurement length for "bench" (default 60)
#   VS_SKIP_DEPS=1      do not check or install packages
#   VS_SKIP_VM=1        "check" does not run the VM test lane
#   VS_VM_TESTSUITEFLAGS
#                       the VM lane's test selection ("check"; default:
#                       the tests with keyword "vm")
#   VS_SKIP_DISTCHECK=1 "check" does not run make distcheck
#   VS_BUILD_DIR        build directory (default: _build in the repository)
set -e
set -o pipefail

ME=$(basename "$0")
REPO=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${VS_BUILD_DIR:-$REPO/_build}

say () {
    printf '\n==> %s\n' "$*"
}

die () {
    printf '%s: error: %s\n' "$ME" "$*" >&2
    exit 1
}

usage () {
    cat <<EOF
usage: $ME demo|check|bench
  demo    install build dependencies if missing, build, run the
          container-network demo (utilities/vs-demo.sh)
  check   install dependencies if missing, build with -Werror, make check,
          make check-vm (if qemu is installed), make distcheck
  bench   build, then benchmark unixctl and idle behaviour (needs OVS)
EOF
}

# ---------------------------------------------------------------------------
# Dependencies.

# systemd and bash-completion: their pkg-config files say where units,
# tmpfiles.d entries and completions are installed.
BUILD_DEPS=(autoconf automake libtool pkg-config make gcc libevent-dev
            libjansson-dev libnl-3-dev libnl-route-3-dev libssl-dev uuid-dev
            iproute2 iputils-ping procps python3 systemd bash-completion)
# For the interop tests and the benchmark; qemu, busybox-static and kmod
# (depmod) for the VM test lane (Documentation/vm-lane.md); for the
# packaging tests (Debian packages, logrotate, completion from the schema,
# the man pages that systemd-analyze verify looks up).
TEST_DEPS=(openvswitch-switch openvswitch-common python3-openvswitch
           containernetworking-plugins clang strace openssl
           qemu-system-x86 busybox-static kmod
           debhelper dpkg-dev lintian logrotate jq man-db)

# Prints the packages among "$@" that are not installed.
missing_packages () {
    local pkg status
    for pkg in "$@"; do
        status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" \
                 2>/dev/null || true)
        if [ "$status" != installed ]; then
            echo "$pkg"
        fi
    done
}

POLICY_RC_D=/usr/sbin/policy-rc.d
created_policy_rc_d=false

remove_policy_rc_d () {
    if $created_policy_rc_d; then
        rm -f "$POLICY_RC_D"
        created_policy_rc_d=false
    fi
}

install_deps () {
    if [ "${VS_SKIP_DEPS:-0}" = 1 ]; then
        say "Skipping the dependency check (VS_SKIP_DEPS=1)"
        return 0
    fi
    if ! command -v dpkg-query >/dev/null 2>&1; then
        say "dpkg-query not found: not a Debian system, not installing" \
            "packages (install the equivalents of:" \
            "${BUILD_DEPS[*]} ${TEST_DEPS[*]})"
        return 0
    fi

    local missing
    missing=$(missing_packages "${BUILD_DEPS[@]}" "${TEST_DEPS[@]}" \
              | tr '\n' ' ')
    if [ -z "${missing// /}" ]; then
        say "All build and test dependencies are installed"
        return 0
    fi

    say "Installing missing packages: $missing"
    if [ "$(id -u)" != 0 ]; then
        die "installing packages needs root; run as root or install: $missing"
    fi

    # Debian starts the services of packages it installs.  We do not want
    # system Open vSwitch daemons on the default paths: the tests and the
    # benchmark run their own, in private directories.
    if [ ! -e "$POLICY_RC_D" ]; then
        printf '#!/bin/sh\n# Added by vs-setup.sh during installation.\n%s\n' \
               'exit 101' > "$POLICY_RC_D"
        chmod 755 "$POLICY_RC_D"
        created_policy_rc_d=true
        trap remove_policy_rc_d EXIT
    fi

    export DEBIAN_FRONTEND=noninteractive
    apt-get update
    # shellcheck disable=SC2086
    apt-get install -y $missing
    remove_policy_rc_d

    missing=$(missing_packages "${BUILD_DEPS[@]}" | tr '\n' ' ')
    if [ -n "${missing// /}" ]; then
        die "packages still missing after installation: $missing"
    fi
}

# ---------------------------------------------------------------------------
# Build.

# build [CONFIGURE-FLAG...]: bootstraps if needed, configures _build/ when
# the flags differ from last time, and builds.
build () {
    local flags="$*"
    cd "$REPO"
    if [ ! -x configure ] || [ configure.ac -nt configure ]; then
        say "Bootstrapping (./boot.sh)"
        ./boot.sh
    fi

    mkdir -p "$BUILD"
    cd "$BUILD"
    if [ ! -f Makefile ] || [ ! -f .vs-configure-flags ] \
       || [ "$(cat .vs-configure-flags)" != "$flags" ]; then
        say "Configuring in $BUILD: configure $flags"
        rm -f .vs-configure-flags
        # shellcheck disable=SC2086
        "$REPO/configure" --quiet $flags
        printf '%s' "$flags" > .vs-configure-flags
    fi

    say "Building (make -j$(nproc))"
    make -j"$(nproc)"
}

# ---------------------------------------------------------------------------
# demo: the container-network demo (utilities/vs-demo.sh) on a fresh build.

# run_shown CMD...: prints "$ CMD..." then runs it.
run_shown () {
    printf '$ %s\n' "$*"
    "$@"
}

demo () {
    install_deps
    # shellcheck disable=SC2086
    build ${VS_CONFIGURE_FLAGS:-}
    remove_policy_rc_d
    say "Running the container-network demo"
    bash "$REPO/utilities/vs-demo.sh" "$BUILD"
}

# ---------------------------------------------------------------------------
# check: the whole test suite.

check () {
    install_deps
    # shellcheck disable=SC2086
    build --enable-Werror ${VS_CONFIGURE_FLAGS:-}

    say "Running the test suite" \
        "(make check TESTSUITEFLAGS='-j2 ${TESTSUITEFLAGS:-}')"
    cd "$BUILD"
    local status=0 vm_status=0
    make check TESTSUITEFLAGS="-j2 ${TESTSUITEFLAGS:-}" </dev/null \
        || status=$?
    if [ "$status" != 0 ]; then
        echo "$ME: make check failed (status $status);" \
             "see $BUILD/tests/testsuite.log" >&2
    fi

    # The VM lane boots Debian's stock kernel, which has what this
    # machine's kernel may lack (bridge VLAN filtering, 802.1Q, tc police).
    # Its results go to tests/check-vm/, where .ci/run reads them.
    local vm_dir=$BUILD/tests/check-vm vm_skip=
    rm -rf "$vm_dir"
    if [ "${VS_SKIP_VM:-0}" = 1 ]; then
        vm_skip="VS_SKIP_VM=1"
    elif ! command -v qemu-system-x86_64 >/dev/null 2>&1; then
        vm_skip="qemu-system-x86_64 not found"
        vm_skip="$vm_skip (apt-get install qemu-system-x86)"
    fi
    if [ -n "$vm_skip" ]; then
        say "Skipping the VM test lane: $vm_skip"
        mkdir -p "$vm_dir"
        echo "skipped: $vm_skip" > "$vm_dir/result"
    else
        say "Running the VM test lane (make check-vm)"
        make check-vm TESTSUITEFLAGS="${VS_VM_TESTSUITEFLAGS:-}" \
            </dev/null || vm_status=$?
        if [ "$vm_status" != 0 ]; then
            echo "$ME: make check-vm failed (status $vm_status);" \
                 "see $BUILD/tests/check-vm/" >&2
        fi
    fi
    if [ "$status" = 0 ]; then
        status=$vm_status
    fi
    if [ "$status" = 0 ] && [ "${VS_SKIP_DISTCHECK:-0}" != 1 ]; then
        distcheck || status=$?
    fi
    exit "$status"
}

# distcheck: the tarball builds out of tree, passes the test suite, and
# installs and uninstalls cleanly.  The test that builds the Debian
# packages is left out: "make check" ran it already.
distcheck () {
    local flags="-j2 -k !deb ${TESTSUITEFLAGS:-}"
    say "Checking the distribution" \
        "(make distcheck TESTSUITEFLAGS='$flags')"
    cd "$BUILD"
    local status=0
    make distcheck DISTCHECK_CONFIGURE_FLAGS="${VS_CONFIGURE_FLAGS:-}" \
        TESTSUITEFLAGS="$flags" </dev/null || status=$?
    if [ "$status" != 0 ]; then
        echo "$ME: make distcheck failed (status $status)" >&2
    fi
    return "$status"
}

# ---------------------------------------------------------------------------
# bench: vs-bench against our vswitchd and a real ovs-vswitchd.

BENCH_DIR=
bench_cleanup () {
    local pidfile pid
    remove_policy_rc_d
    [ -n "$BENCH_DIR" ] || return 0
    for pidfile in "$BENCH_DIR"/vs/*.pid "$BENCH_DIR"/ovs/*.pid; do
        [ -s "$pidfile" ] || continue
        pid=$(cat "$pidfile")
        kill "$pid" 2>/dev/null || true
    done
    sleep 0.2
    rm -rf "$BENCH_DIR"
    BENCH_DIR=
}

# Waits up to 10 s for the socket $1 to appear.
wait_socket () {
    local i
    for ((i = 0; i < 100; i++)); do
        [ -S "$1" ] && return 0
        sleep 0.1
    done
    return 1
}

bench () {
    install_deps
    # shellcheck disable=SC2086
    build ${VS_CONFIGURE_FLAGS:-}

    BENCH_DIR=$(mktemp -d /tmp/vswitch-lite-bench.XXXXXX)
    trap bench_cleanup EXIT
    mkdir "$BENCH_DIR/vs" "$BENCH_DIR/ovs"
    local vs=$BENCH_DIR/vs ovs=$BENCH_DIR/ovs
    local vsbench=$BUILD/utilities/vs-bench
    local targets=() pids=() netns=()

    # Both switch daemons watch the kernel's links through netlink.  Run
    # each in a private network namespace, so that link changes made by
    # other programs on this host do not count as their wakeups.
    if unshare --net true 2>/dev/null; then
        netns=(unshare --net --)
    else
        say "Cannot create network namespaces: the daemons see the host's"
    fi

    say "Starting our daemons in $vs"
    (
        export VS_RUNDIR=$vs VS_LOGDIR=$vs VS_DBDIR=$vs VS_SYSCONFDIR=$vs
        export VS_PKGDATADIR=$REPO/vswitchd
        cd "$vs"
        "$BUILD/ovsdb-lite/ovsdb-lite" --detach --no-chdir --pidfile \
            --log-file --unixctl="$vs/ovsdb-lite.ctl" \
            --remote=punix:"$vs/db.sock"
        "${netns[@]}" "$BUILD/vswitchd/vswitchd" --detach --no-chdir \
            --pidfile --log-file --unixctl="$vs/vswitchd.ctl"
    )
    wait_socket "$vs/vswitchd.ctl" || die "vswitchd did not start"
    targets+=("--target=vswitchd=$vs/vswitchd.ctl")
    pids+=("--pid=vswitchd=$(cat "$vs/vswitchd.pid")"
           "--pid=ovsdb-lite=$(cat "$vs/ovsdb-lite.pid")")

    if command -v ovs-vswitchd >/dev/null 2>&1 \
       && command -v ovsdb-server >/dev/null 2>&1; then
        say "Starting a real Open vSwitch in $ovs (private paths)"
        (
            export OVS_RUNDIR=$ovs OVS_LOGDIR=$ovs OVS_DBDIR=$ovs
            export OVS_SYSCONFDIR=$ovs
            cd "$ovs"
            ovsdb-tool create "$ovs/conf.db" \
                /usr/share/openvswitch/vswitch.ovsschema
            ovsdb-server --detach --no-chdir \
                --pidfile="$ovs/ovsdb-server.pid" \
                --unixctl="$ovs/ovsdb-server.ctl" \
                --log-file="$ovs/ovsdb-server.log" \
                --remote=punix:"$ovs/db.sock" "$ovs/conf.db" 2>/dev/null
            "${netns[@]}" ovs-vswitchd --detach --no-chdir \
                --pidfile="$ovs/ovs-vswitchd.pid" \
                --unixctl="$ovs/ovs-vswitchd.ctl" \
                --log-file="$ovs/ovs-vswitchd.log" \
                unix:"$ovs/db.sock" 2>/dev/null
        )
        wait_socket "$ovs/ovs-vswitchd.ctl" || die "ovs-vswitchd did not start"
        ovs-appctl -t "$ovs/ovs-vswitchd.ctl" version
        targets+=("--target=ovs-vswitchd=$ovs/ovs-vswitchd.ctl")
        pids+=("--pid=ovs-vswitchd=$(cat "$ovs/ovs-vswitchd.pid")"
               "--pid=ovsdb-server=$(cat "$ovs/ovsdb-server.pid")")
    else
        say "Open vSwitch is not installed: benchmarking vswitchd only"
    fi

    say "Letting the daemons settle"
    sleep 2

    local flags=(--rounds=20 --requests=40000)
    say "unixctl rate and latency, one connection, depth 1," \
        "everything on CPU 0, lib/jsonrpc client"
    # shellcheck disable=SC2086
    run_shown "$vsbench" unixctl "${targets[@]}" --cpu=0 "${flags[@]}" \
        ${VS_BENCH_FLAGS:-}

    say "The same with the lean client (template requests, replies" \
        "checked by id only)"
    # shellcheck disable=SC2086
    run_shown "$vsbench" unixctl "${targets[@]}" --cpu=0 --client=lean \
        "${flags[@]}" ${VS_BENCH_FLAGS:-}

    say "lib/jsonrpc client, CPU placement left to the scheduler"
    # shellcheck disable=SC2086
    run_shown "$vsbench" unixctl "${targets[@]}" "${flags[@]}" \
        ${VS_BENCH_FLAGS:-}

    say "Idle behaviour over ${VS_IDLE_SECONDS:-60} s (after 5 s of quiet)"
    sleep 5
    run_shown "$vsbench" idle "${pids[@]}" --seconds="${VS_IDLE_SECONDS:-60}"

    cd "$REPO"
    bench_cleanup
    trap - EXIT
}

# ---------------------------------------------------------------------------

case ${1:-} in
    demo) demo ;;
    check) check ;;
    bench) bench ;;
    -h|--help|help) usage ;;
    *) usage >&2; exit 1 ;;
esac
