# lib/: the runtime every program links (libvswitch-lite): reactor, time,
# logging, daemon, streams, JSON-RPC, reconnect, unixctl, containers,
# tables for command-line output.
# It sees only its own headers: the layers above (lib/ovsdb/, lib/kernel/)
# are not on its include path, so it cannot depend on them.
noinst_LTLIBRARIES += lib/libvswitch-lite.la
lib_libvswitch_lite_la_CPPFLAGS = $(VS_BASE_CPPFLAGS) $(RUNTIME_CFLAGS)
lib_libvswitch_lite_la_SOURCES = \
	lib/compiler.h \
	lib/command-line.c lib/command-line.h \
	lib/coverage.c lib/coverage.h \
	lib/daemon.c lib/daemon.h \
	lib/daemon-main.c lib/daemon-main.h \
	lib/dirs.c lib/dirs.h \
	lib/dynamic-string.c lib/dynamic-string.h \
	lib/fatal-signal.c lib/fatal-signal.h \
	lib/hash.c lib/hash.h \
	lib/hmap.c lib/hmap.h \
	lib/jsonrpc.c lib/jsonrpc.h \
	lib/jsonrpc-session.c lib/jsonrpc-session.h \
	lib/list.h \
	lib/memory.c lib/memory.h \
	lib/poll-loop.c lib/poll-loop.h \
	lib/reconnect.c lib/reconnect.h \
	lib/shash.c lib/shash.h \
	lib/socket-util.c lib/socket-util.h \
	lib/stream.c lib/stream.h lib/stream-provider.h \
	lib/stream-fd.c \
	lib/stream-unix.c \
	lib/stream-tcp.c \
	lib/stream-ssl.c lib/stream-ssl.h \
	lib/table.c lib/table.h \
	lib/timeval.c lib/timeval.h \
	lib/unixctl.c lib/unixctl.h \
	lib/util.c lib/util.h \
	lib/vlog.c lib/vlog.h

include lib/ovsdb/automake.mk
include lib/kernel/automake.mk
