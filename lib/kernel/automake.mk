# lib/kernel/: the kernel side on libnl-3 (links, bridges, veth, VLANs,
# VXLAN, addresses, routes, FDB, events) and network namespaces.  Uses the
# runtime (lib/) only; knows nothing of OVSDB.
noinst_LTLIBRARIES += lib/kernel/libvs-kernel.la
lib_kernel_libvs_kernel_la_CPPFLAGS = $(VS_BASE_CPPFLAGS) \
	$(RUNTIME_CFLAGS) $(LIBNL_CFLAGS) $(LIBNL_ROUTE_CFLAGS) \
	-I$(top_srcdir)/lib/kernel
lib_kernel_libvs_kernel_la_SOURCES = \
	lib/kernel/netlink.c lib/kernel/netlink.h \
	lib/kernel/netlink-private.h \
	lib/kernel/netlink-addr.c \
	lib/kernel/netlink-bridge.c \
	lib/kernel/netlink-create.c \
	lib/kernel/netlink-link.c \
	lib/kernel/netlink-monitor.c lib/kernel/netlink-monitor.h \
	lib/kernel/netns.c lib/kernel/netns.h
