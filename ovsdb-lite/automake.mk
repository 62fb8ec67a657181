# ovsdb-lite: server-side modules in a convenience library that the server,
# ovsdb-lite-tool and the test drivers link.
noinst_LTLIBRARIES += ovsdb-lite/libovsdb-server.la
ovsdb_lite_libovsdb_server_la_SOURCES = \
	ovsdb-lite/database.c ovsdb-lite/database.h \
	ovsdb-lite/log.c ovsdb-lite/log.h \
	ovsdb-lite/monitor.c ovsdb-lite/monitor.h \
	ovsdb-lite/row-set.c ovsdb-lite/row-set.h \
	ovsdb-lite/server.c ovsdb-lite/server.h \
	ovsdb-lite/storage.c ovsdb-lite/storage.h \
	ovsdb-lite/transaction.c ovsdb-lite/transaction.h \
	ovsdb-lite/transaction-private.h \
	ovsdb-lite/transaction-check.c \
	ovsdb-lite/transaction-execute.c \
	ovsdb-lite/transaction-ops.c \
	ovsdb-lite/transaction-refs.c
ovsdb_lite_libovsdb_server_la_CPPFLAGS = $(OVSDB_SERVER_CPPFLAGS)

OVSDB_SERVER_LIBS = ovsdb-lite/libovsdb-server.la $(OVSDB_LIBS)

# The server sees the runtime and the data model, never netlink.
OVSDB_SERVER_CPPFLAGS = $(VS_BASE_CPPFLAGS) $(RUNTIME_CFLAGS) \
	-I$(top_srcdir)/lib/ovsdb

sbin_PROGRAMS += ovsdb-lite/ovsdb-lite
ovsdb_lite_ovsdb_lite_SOURCES = ovsdb-lite/ovsdb-lite.c
ovsdb_lite_ovsdb_lite_LDADD = $(OVSDB_SERVER_LIBS)
ovsdb_lite_ovsdb_lite_CPPFLAGS = $(OVSDB_SERVER_CPPFLAGS)
man_MANS += ovsdb-lite/ovsdb-lite.8
EXTRA_DIST += ovsdb-lite/ovsdb-lite.8

bin_PROGRAMS += ovsdb-lite/ovsdb-lite-tool
ovsdb_lite_ovsdb_lite_tool_SOURCES = ovsdb-lite/ovsdb-lite-tool.c
ovsdb_lite_ovsdb_lite_tool_LDADD = $(OVSDB_SERVER_LIBS)
ovsdb_lite_ovsdb_lite_tool_CPPFLAGS = $(OVSDB_SERVER_CPPFLAGS)
man_MANS += ovsdb-lite/ovsdb-lite-tool.1
EXTRA_DIST += ovsdb-lite/ovsdb-lite-tool.1
