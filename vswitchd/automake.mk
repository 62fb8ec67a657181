sbin_PROGRAMS += vswitchd/vswitchd
vswitchd_vswitchd_SOURCES = \
	vswitchd/vswitchd.c \
	vswitchd/bridge.c vswitchd/bridge.h \
	vswitchd/desired.c vswitchd/desired.h \
	vswitchd/reconciler.c vswitchd/reconciler.h
vswitchd_vswitchd_LDADD = $(VS_LIBS)
man_MANS += vswitchd/vswitchd.8
EXTRA_DIST += vswitchd/vswitchd.8
