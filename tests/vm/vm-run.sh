#!/bin/bash
# vm-run.sh BUILDDIR [TESTSUITE-ARG...]
#
# The VM test lane ("make check-vm"): boots Debian's stock kernel under
# qemu (TCG: no /dev/kvm needed), with no network device, from an
# initramfs holding the build tree's programs and the test suite
# (tests/vm/vm-initramfs.sh), runs the suite inside the guest with
# TESTSUITE-ARGs (default: -k vm, the tests whose code paths depend on
# kernel features the hosts the suite usually runs on lack), and brings
# the guest's autotest results back to BUILDDIR/tests/check-vm/:
#
#   testsuite.log, testsuite.dir/   the guest's, as autotest wrote them
#   console.log                     the guest's serial console
#   result                          "status N" (the guest suite's exit
#                                   status), "skipped: REASON" or
#                                   "error: REASON"
#
# The guest always runs with -j$VS_VM_CPUS first, so a -jN among the
# arguments overrides it.
#
# Exit status: 0 when the guest's tests passed or the lane was skipped
# (qemu, busybox-static or the kernel package unavailable; the reason is
# printed), 1 when some failed (their logs are printed), 2 on a setup
# error, 124 when qemu timed out, 125 when the guest ended without
# results.
#
# Environment:
#   VS_VM_CACHE    where the kernel package and the modules taken from it
#                  are kept between runs (default /var/cache/vswitch-lite-vm,
#                  or ~/.cache/vswitch-lite-vm when that is not writable)
#   VS_VM_KERNEL   kernel package (default: the one the cache used last, or
#                  else what linux-image-amd64 depends on)
#   VS_VM_TIMEOUT  seconds before qemu is killed (default 900)
#   VS_VM_CPUS, VS_VM_MEMORY
#                  guest CPUs (default 2) and MiB of memory (default 1024)
#   VS_VM_ACCEL    qemu accelerator (default tcg; "kvm" where it works)
set -eu
set -o pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ME=vm-run
if [ $# -lt 1 ]; then
    echo "usage: $0 BUILDDIR [TESTSUITE-ARG...]" >&2
    exit 2
fi
BUILD=$(cd "$1" && pwd)
shift
OUT=$BUILD/tests/check-vm
CPUS=${VS_VM_CPUS:-2}
MEMORY=${VS_VM_MEMORY:-1024}
TIMEOUT=${VS_VM_TIMEOUT:-900}
ACCEL=${VS_VM_ACCEL:-tcg}
if [ $# -eq 0 ]; then
    set -- -k vm
fi

mkdir -p "$OUT"
rm -rf "$OUT/testsuite.log" "$OUT/testsuite.dir" "$OUT/result" \
    "$OUT/console.log" "$OUT/results.b64" "$OUT/initramfs.cpio.gz" \
    "$OUT/vmlinuz"

now () {
    date +%s.%N
}

since () {
    awk -v a="$1" -v b="$(now)" 'BEGIN {printf "%.1f", b - a}'
}

say () {
    echo "$ME: $*"
}

skip () {
    say "skipped: $*"
    echo "skipped: $*" > "$OUT/result"
    exit 0
}

setup_error () {
    say "error: $*" >&2
    echo "error: $*" > "$OUT/result"
    exit 2
}

# ---------------------------------------------------------------------------
# What the lane needs on the host.

command -v qemu-system-x86_64 >/dev/null ||
    skip "qemu-system-x86_64 not found (apt-get install qemu-system-x86)"
busybox=$(command -v busybox) ||
    skip "busybox not found (apt-get install busybox-static)"
if ldd "$busybox" >/dev/null 2>&1; then
    skip "$busybox is not statically linked (apt-get install busybox-static)"
fi
for tool in timeout gzip strip ldd; do
    command -v $tool >/dev/null || setup_error "$tool not found"
done
[ -f "$BUILD/tests/atconfig" ] ||
    setup_error "$BUILD is not a configured build tree"

CACHE=${VS_VM_CACHE:-/var/cache/vswitch-lite-vm}
if ! mkdir -p "$CACHE" 2>/dev/null || [ ! -w "$CACHE" ]; then
    [ -z "${VS_VM_CACHE:-}" ] || setup_error "cannot write to $CACHE"
    CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/vswitch-lite-vm
    mkdir -p "$CACHE"
fi

# ---------------------------------------------------------------------------
# The kernel: a Debian package, downloaded once, from which a "kit" is
# taken: vmlinuz and the modules of tests/vm/modules with their
# dependencies, in load order.  The kit is rebuilt from the cached package
# when the module list changes.

MODULES=$(sed 's/#.*//' "$HERE/modules" | awk 'NF {print $1}' | tr '\n' ' ')

choose_kernel () {
    if [ -n "${VS_VM_KERNEL:-}" ]; then
        echo "$VS_VM_KERNEL"
    elif [ -s "$CACHE/kernel" ]; then
        cat "$CACHE/kernel"
    elif command -v apt-cache >/dev/null; then
        apt-cache depends linux-image-amd64 2>/dev/null | awk '
            $1 == "Depends:" && $2 ~ /^linux-image-/ {print $2; exit}'
    fi
}

# cached_deb PACKAGE: the newest cached .deb of PACKAGE, or nothing.
cached_deb () {
    local debs
    debs=$(find "$CACHE" -maxdepth 1 -name "${1}_*.deb" | sort -V)
    [ -z "$debs" ] || echo "$debs" | tail -n 1
}

download_kernel () {
    local dl
    command -v apt-get >/dev/null ||
        skip "kernel package $1 not cached and no apt-get to fetch it"
    say "downloading $1 into $CACHE"
    dl=$(mktemp -d "$CACHE/download.XXXXXX")
    # apt downloads as the _apt user when it can write the directory.
    chown _apt "$dl" 2>/dev/null || :
    if ! (cd "$dl" && apt-get download -q "$1" >&2); then
        rm -rf "$dl"
        skip "apt-get download $1 failed (no network, or unknown package)"
    fi
    mv "$dl"/*.deb "$CACHE/"
    rm -rf "$dl"
}

# resolve_modules MODULES_DIR: prints the paths (relative to MODULES_DIR) of
# $MODULES and their dependencies, each after what it depends on.
# Modules built into the kernel are left out.
resolve_modules () {
    awk -v want="$MODULES" -v builtin="$1/modules.builtin" '
        function base(p) {
            sub(/^.*\//, "", p)
            sub(/\.ko(\.(xz|zst|gz))?$/, "", p)
            gsub(/-/, "_", p)
            return p
        }
        BEGIN {
            n = split(want, w, " ")
            for (i = 1; i <= n; i++) {
                gsub(/-/, "_", w[i])
            }
            while ((getline line < builtin) > 0) {
                built[base(line)] = 1
            }
        }
        {
            path = $1
            sub(/:$/, "", path)
            m = base(path)
            file[m] = path
            ndeps[m] = NF - 1
            for (i = 2; i <= NF; i++) {
                dep[m, i - 1] = $i
            }
        }
        function emit(p) {
            if (!(p in done)) {
                done[p] = 1
                print p
            }
        }
        END {
            for (i = 1; i <= n; i++) {
                m = w[i]
                if (m in built) {
                    continue
                }
                if (!(m in file)) {
                    print "no module " m > "/dev/stderr"
                    exit 1
                }
                # modules.dep lists every dependency, direct or not, so
                # that loading them from last to first works.
                for (j = ndeps[m]; j >= 1; j--) {
                    emit(dep[m, j])
                }
                emit(file[m])
            }
        }' "$1/modules.dep"
}

# make_kit DEB KIT: unpacks DEB and fills the directory KIT.
make_kit () {
    local tmp kver mdir rel name
    for tool in dpkg-deb depmod; do
        command -v $tool >/dev/null ||
            skip "$tool not found: cannot unpack the kernel package"
    done
    tmp=$(mktemp -d "$CACHE/unpack.XXXXXX")
    dpkg-deb -x "$1" "$tmp"
    kver=$(ls "$tmp/lib/modules")
    mdir=$tmp/lib/modules/$kver
    depmod -b "$tmp" "$kver"
    rm -rf "$2.tmp"
    mkdir -p "$2.tmp/modules"
    cp "$tmp"/boot/vmlinuz-* "$2.tmp/vmlinuz"
    echo "$kver" > "$2.tmp/release"
    : > "$2.tmp/modules.load"
    resolve_modules "$mdir" > "$tmp/order" ||
        setup_error "$1 lacks modules of tests/vm/modules"
    while read -r rel; do
        name=${rel##*/}
        case $name in
            *.ko.xz) xz -dc "$mdir/$rel" > "$2.tmp/modules/${name%.xz}" ;;
            *.ko.zst) zstd -qdc "$mdir/$rel" > "$2.tmp/modules/${name%.zst}" ;;
            *.ko.gz) gzip -dc "$mdir/$rel" > "$2.tmp/modules/${name%.gz}" ;;
            *) cp "$mdir/$rel" "$2.tmp/modules/" ;;
        esac
        echo "${name%.ko*}.ko" >> "$2.tmp/modules.load"
    done < "$tmp/order"
    rm -rf "$tmp" "$2"
    mv "$2.tmp" "$2"
}

# Another run (another build tree) may be preparing the cache: one at a
# time, until this run's kernel and initramfs are in $OUT.
if command -v flock >/dev/null; then
    exec 9>"$CACHE/lock"
    flock 9
fi

t0=$(now)
KPKG=$(choose_kernel)
[ -n "$KPKG" ] || skip "no kernel package known (set VS_VM_KERNEL)"
deb=$(cached_deb "$KPKG")
if [ -z "$deb" ]; then
    download_kernel "$KPKG"
    deb=$(cached_deb "$KPKG")
    [ -n "$deb" ] || setup_error "apt-get download $KPKG gave no .deb"
fi
echo "$KPKG" > "$CACHE/kernel"
key=$(echo "$MODULES" | md5sum | cut -c1-8)
debname=${deb##*/}
KIT=$CACHE/${debname%.deb}.kit-$key
if [ ! -f "$KIT/modules.load" ]; then
    say "unpacking $debname"
    make_kit "$deb" "$KIT"
    # Kits of the same package for other module lists are stale.
    find "$CACHE" -maxdepth 1 -name "${debname%.deb}.kit-*" \
        ! -name "${KIT##*/}" -exec rm -rf {} +
fi
say "kernel $(cat "$KIT/release") from $debname," \
    "$(wc -l < "$KIT/modules.load") modules, ready in $(since "$t0") s" \
    "(cache $CACHE)"

# ---------------------------------------------------------------------------
# The initramfs and the boot.

t0=$(now)
INITRD=$OUT/initramfs.cpio.gz
"$HERE/vm-initramfs.sh" "$KIT" "$BUILD" "$INITRD" "-j$CPUS" "$@" |
    sed "s/^/$ME: /"
cp "$KIT/vmlinuz" "$OUT/vmlinuz"
exec 9>&-
say "initramfs built in $(since "$t0") s"

case $ACCEL in
    tcg) accel=tcg,thread=multi cpu=max ;;
    *) accel=$ACCEL cpu=host ;;
esac
say "booting (accel $ACCEL, $CPUS CPUs, $MEMORY MiB, timeout $TIMEOUT s)"
t0=$(now)
rc=0
# The console (ttyS0) goes to stdout and console.log; the results come on
# ttyS1, a file.  No network device: nothing on the host's networks is
# touched, the tests make their own namespaces inside the guest.
timeout -k 10 "$TIMEOUT" qemu-system-x86_64 \
    -accel "$accel" -cpu "$cpu" -smp "$CPUS" -m "$MEMORY" \
    -display none -monitor none -no-reboot -nic none \
    -serial stdio -serial "file:$OUT/results.b64" \
    -kernel "$OUT/vmlinuz" -initrd "$INITRD" \
    -append "console=ttyS0 quiet panic=-1 random.trust_cpu=on" \
    </dev/null 2>&1 | tr -d '\r' | tee "$OUT/console.log" || rc=$?
say "qemu ran $(since "$t0") s"

if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
    echo "error: qemu timed out after $TIMEOUT s" > "$OUT/result"
    say "error: qemu timed out after $TIMEOUT s (console: $OUT/console.log)"
    exit 124
fi
if grep -q '^VS-VM-ERROR:' "$OUT/console.log"; then
    setup_error "$(sed -n 's/^VS-VM-ERROR: //p' "$OUT/console.log" | head -1)"
fi
status=$(tr -d '\r' < "$OUT/results.b64" 2>/dev/null |
         sed -n 's/^VS-VM-ARCHIVE-END status=\([0-9]*\)$/\1/p')
if [ -z "$status" ]; then
    echo "error: the guest ended without results" > "$OUT/result"
    say "error: the guest ended without results (console: $OUT/console.log)"
    exit 125
fi
tr -d '\r' < "$OUT/results.b64" |
    sed -n '/^VS-VM-ARCHIVE-BEGIN$/,/^VS-VM-ARCHIVE-END/{//!p}' |
    base64 -d | tar -xzf - -C "$OUT"
echo "status $status" > "$OUT/result"

# The logs of the tests that failed (a kept directory can also be an
# expected failure's).
for log in "$OUT"/testsuite.dir/*/testsuite.log; do
    [ -f "$log" ] || continue
    tail -n 1 "$log" | grep -Eq ': (FAILED \(|UNEXPECTED PASS)' || continue
    echo
    echo "======== guest log: $log ========"
    cat "$log"
done
say "guest results in $OUT/testsuite.log (suite status $status)"
[ "$status" = 0 ] || exit 1
exit 0
