bin_PROGRAMS += utilities/appctl utilities/vs-bench
utilities_appctl_SOURCES = utilities/appctl.c
utilities_appctl_LDADD = $(RUNTIME_LIBS)
utilities_vs_bench_SOURCES = utilities/vs-bench.c utilities/vs-bench.h \
	utilities/vs-bench-netlink.c utilities/vs-bench-echo.c \
	utilities/vs-bench-ovsdb.c utilities/vs-bench-lib.c \
	utilities/vs-bench-lib.h
utilities_vs_bench_LDADD = $(VS_LIBS)
man_MANS += utilities/appctl.8 utilities/vs-bench.8
EXTRA_DIST += utilities/appctl.8 utilities/vs-bench.8 utilities/vs-setup.sh \
	utilities/vs-bench-netlink.sh utilities/vs-bench-echo.sh utilities/vs-bench-lib.sh \
	utilities/vs-bench-ovsdb.sh

bin_PROGRAMS += utilities/ovsdb-lite-client
utilities_ovsdb_lite_client_SOURCES = utilities/ovsdb-lite-client.c \
	utilities/ovsdb-lite-client.h utilities/ovsdb-lite-client-rpc.c \
	utilities/ovsdb-lite-client-output.c utilities/ovsdb-lite-client-db.c \
	utilities/ovsdb-lite-client-monitor.c utilities/ovsdb-lite-client-lock.c
utilities_ovsdb_lite_client_LDADD = $(OVSDB_LIBS)
man_MANS += utilities/ovsdb-lite-client.1
EXTRA_DIST += utilities/ovsdb-lite-client.1

include utilities/vsctl.mk
include utilities/vs-container.mk
include utilities/bash-completion/automake.mk
