# vsctl: the ovs-vsctl-compatible configuration utility.
bin_PROGRAMS += utilities/vsctl
utilities_vsctl_SOURCES = utilities/vsctl.c utilities/vsctl.h \
	utilities/vsctl-context.c utilities/vsctl-bridge.c utilities/vsctl-db.c
utilities_vsctl_LDADD = $(OVSDB_LIBS)
man_MANS += utilities/vsctl.8
EXTRA_DIST += utilities/vsctl.8
