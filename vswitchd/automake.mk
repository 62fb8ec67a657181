sbin_PROGRAMS += vswitchd/vswitchd
vswitchd_vswitchd_SOURCES = \
	vswitchd/vswitchd.c \
	vswitchd/bridge.c vswitchd/bridge.h \
	vswitchd/desired.c vswitchd/desired.h \
	vswitchd/reconciler.c vswitchd/reconciler.h \
	vswitchd/reconciler-private.h \
	vswitchd/reconciler-bridge.c \
	vswitchd/reconciler-container.c \
	vswitchd/reconciler-kview.c \
	vswitchd/reconciler-port.c \
	vswitchd/reconciler-status.c \
	vswitchd/reconciler-vlan.c
vswitchd_vswitchd_LDADD = $(VS_LIBS)
man_MANS += vswitchd/vswitchd.8
EXTRA_DIST += vswitchd/vswitchd.8
