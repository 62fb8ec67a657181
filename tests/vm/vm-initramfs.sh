#!/bin/bash
# vm-initramfs.sh KIT BUILDDIR OUTPUT [TESTSUITE-ARG...]
#
# Builds the initramfs of the VM test lane (tests/vm/vm-run.sh boots it):
#
#   /init                  tests/vm/init
#   /vm/modules/, /vm/modules.load
#                          the kernel modules of KIT (a directory that
#                          vm-run.sh prepared from the kernel package) and
#                          their load order
#   /vm/paths, /vm/args    where the suite lives, and its arguments
#   /usr/...               the host's shells, text tools, iproute2 (ip,
#                          bridge, tc), ping and the tools that run other
#                          programs (HOST_TOOLS below), with their shared
#                          libraries; busybox-static for every other
#                          command
#   SRCDIR, BUILDDIR       the suite at the same absolute paths as on the
#                          host: the generated tests/testsuite, schemas and
#                          scripts from the source tree; atconfig, atlocal
#                          and every program (debug information stripped,
#                          shared libraries added) from the build tree
#
# SRCDIR is read from BUILDDIR/tests/atconfig.  Writes OUTPUT (a
# gzip-compressed cpio archive) and prints its size.
set -eu
set -o pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
if [ $# -lt 3 ]; then
    echo "usage: $0 KIT BUILDDIR OUTPUT [TESTSUITE-ARG...]" >&2
    exit 2
fi
KIT=$1 BUILD=$2 OUTPUT=$3
shift 3

# Tools taken from the host rather than busybox: those whose exact
# behaviour the suite's expected outputs depend on, and those that run
# other programs (busybox's env, xargs, unshare... run busybox's own
# applets, such as its "ip" and "tc", rather than the programs in PATH).
# The first line is required, the rest are taken when the host has them.
REQUIRED_TOOLS=(bash sh awk sed grep sort diff cmp ip bridge tc ping)
HOST_TOOLS=(timeout env xargs find unshare nsenter setsid nohup nice flock
            chroot taskset stdbuf expr)

atconfig_value () {
    sed -n "s/^$1='\\(.*\\)'\$/\\1/p" "$BUILD/tests/atconfig"
}
SRC=$(atconfig_value abs_top_srcdir)
ABS_BUILD=$(atconfig_value abs_top_builddir)
if [ -z "$SRC" ] || [ ! -f "$SRC/tests/testsuite" ]; then
    echo "$0: no generated test suite (run 'make check' once?)" >&2
    exit 2
fi
BUSYBOX=$(command -v busybox)

ROOT=$(mktemp -d "${TMPDIR:-/tmp}/vs-vm-root.XXXXXX")
trap 'rm -rf "$ROOT"' EXIT

# A merged-/usr tree like Debian 12's.
mkdir -p "$ROOT"/usr/bin "$ROOT"/usr/sbin "$ROOT"/usr/lib64 \
    "$ROOT"/usr/lib/x86_64-linux-gnu "$ROOT"/{dev,proc,sys,run,tmp,root} \
    "$ROOT"/etc "$ROOT"/var "$ROOT"/vm/modules
for d in bin sbin lib lib64; do
    ln -s "usr/$d" "$ROOT/$d"
done
ln -s ../run "$ROOT/var/run"
if [ "$(id -u)" = 0 ]; then
    mknod -m 600 "$ROOT/dev/console" c 5 1
    mknod -m 666 "$ROOT/dev/null" c 1 3
fi
echo 'root:x:0:0:root:/root:/bin/bash' > "$ROOT/etc/passwd"
echo 'root:x:0:' > "$ROOT/etc/group"
printf '127.0.0.1\tlocalhost\n::1\t\tlocalhost\n' > "$ROOT/etc/hosts"

# in_root PATH: where the host's PATH goes in the merged-/usr tree.
in_root () {
    echo "$ROOT/usr${1#/usr}"
}

# copy_elf SRC DST: copies the program or library SRC to DST in the tree,
# without debug information, and the shared libraries it needs.
copy_elf () {
    local lib
    mkdir -p "$(dirname "$2")"
    if ! strip --strip-debug -o "$2" "$1" 2>/dev/null; then
        cp -L "$1" "$2"
    fi
    chmod 755 "$2"
    ldd "$1" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// {print $3}
                               $1 ~ /^\// {print $1}' |
    while read -r lib; do
        if [ ! -e "$(in_root "$lib")" ]; then
            copy_elf "$lib" "$(in_root "$lib")"
        fi
    done
}

is_elf () {
    [ "$(head -c 4 "$1" | od -An -tx1 | tr -d ' \n')" = 7f454c46 ]
}

for tool in "${REQUIRED_TOOLS[@]}" "${HOST_TOOLS[@]}"; do
    if ! path=$(command -v "$tool"); then
        case " ${REQUIRED_TOOLS[*]} " in
            *" $tool "*) echo "$0: no $tool" >&2; exit 2 ;;
        esac
        continue
    fi
    copy_elf "$(readlink -f "$path")" "$(in_root "$path")"
done
cp "$BUSYBOX" "$ROOT/usr/bin/busybox"
for applet in $("$BUSYBOX" --list); do
    if [ ! -e "$ROOT/usr/bin/$applet" ] && [ ! -e "$ROOT/usr/sbin/$applet" ]
    then
        ln -s busybox "$ROOT/usr/bin/$applet"
    fi
done

# Kernel modules.
cp "$KIT"/modules/* "$ROOT/vm/modules/"
cp "$KIT/modules.load" "$ROOT/vm/modules.load"

# The suite: the source tree's generated testsuite, schemas and scripts,
# the build tree's configuration and programs.
mkdir -p "$ROOT$SRC/tests" "$ROOT$SRC/vswitchd" "$ROOT$SRC/utilities" \
    "$ROOT$ABS_BUILD/tests"
cp "$SRC/tests/testsuite" "$ROOT$SRC/tests/"
cp "$SRC"/tests/*.sh "$SRC"/tests/*.py "$ROOT$SRC/tests/" 2>/dev/null || :
cp "$SRC"/vswitchd/*.ovsschema "$ROOT$SRC/vswitchd/"
cp "$SRC"/utilities/*.sh "$ROOT$SRC/utilities/"
cp "$BUILD/tests/atconfig" "$BUILD/tests/atlocal" "$ROOT$ABS_BUILD/tests/"
# autotest appends config.log to a failing run's testsuite.log.
if [ -f "$BUILD/config.log" ]; then
    cp "$BUILD/config.log" "$ROOT$ABS_BUILD/"
fi
for dir in utilities vswitchd ovsdb-lite tests; do
    for prog in "$BUILD/$dir"/*; do
        if [ -f "$prog" ] && [ -x "$prog" ] && is_elf "$prog"; then
            copy_elf "$prog" "$ROOT$ABS_BUILD/$dir/${prog##*/}"
        fi
    done
done

printf 'vm_srcdir=%q\nvm_builddir=%q\n' "$SRC" "$ABS_BUILD" > "$ROOT/vm/paths"
if [ $# -gt 0 ]; then
    printf '%s\n' "$@" > "$ROOT/vm/args"
else
    : > "$ROOT/vm/args"
fi
install -m 755 "$HERE/init" "$ROOT/init"

(cd "$ROOT" && find . | LC_ALL=C sort | "$BUSYBOX" cpio -o -H newc) \
    2>/dev/null | gzip -1 > "$OUTPUT"
echo "initramfs: $(du -k "$OUTPUT" | cut -f1) KiB compressed," \
     "$(du -sk "$ROOT" | cut -f1) KiB unpacked"
