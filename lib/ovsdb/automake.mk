# lib/ovsdb/: the OVSDB data model (atoms, data, schema, conditions,
# mutations) and the client-side replica (IDL), shared by ovsdb-lite,
# vswitchd and the clients.  Uses the runtime (lib/) only.
noinst_LTLIBRARIES += lib/ovsdb/libvs-ovsdb.la
lib_ovsdb_libvs_ovsdb_la_CPPFLAGS = $(VS_BASE_CPPFLAGS) $(RUNTIME_CFLAGS) \
	-I$(top_srcdir)/lib/ovsdb
lib_ovsdb_libvs_ovsdb_la_SOURCES = \
	lib/ovsdb/ovsdb-atom.c \
	lib/ovsdb/ovsdb-condition.c lib/ovsdb/ovsdb-condition.h \
	lib/ovsdb/ovsdb-data.c lib/ovsdb/ovsdb-data.h \
	lib/ovsdb/ovsdb-data-json.c \
	lib/ovsdb/ovsdb-data-string.c \
	lib/ovsdb/ovsdb-error.c lib/ovsdb/ovsdb-error.h \
	lib/ovsdb/ovsdb-idl.c lib/ovsdb/ovsdb-idl.h \
	lib/ovsdb/ovsdb-idl-private.h \
	lib/ovsdb/ovsdb-idl-read.c \
	lib/ovsdb/ovsdb-idl-replica.c \
	lib/ovsdb/ovsdb-idl-txn.c \
	lib/ovsdb/ovsdb-idl-update.c \
	lib/ovsdb/ovsdb-mutation.c lib/ovsdb/ovsdb-mutation.h \
	lib/ovsdb/ovsdb-parser.c lib/ovsdb/ovsdb-parser.h \
	lib/ovsdb/ovsdb-row.c lib/ovsdb/ovsdb-row.h \
	lib/ovsdb/ovsdb-schema.c lib/ovsdb/ovsdb-schema.h \
	lib/ovsdb/ovsdb-symbol.c \
	lib/ovsdb/ovsdb-types.c lib/ovsdb/ovsdb-types.h \
	lib/ovsdb/ovsdb-uuid.c lib/ovsdb/ovsdb-uuid.h

# Our schema, installed as $(pkgdatadir)/vswitch.ovsschema.
dist_pkgdata_DATA += vswitchd/vswitch.ovsschema
