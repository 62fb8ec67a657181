# OVSDB data model shared by ovsdb-lite, vswitchd and the clients.
# (sources are added to lib_libvswitch_lite_la_SOURCES with +=)
lib_libvswitch_lite_la_SOURCES += \
	lib/ovsdb-condition.c lib/ovsdb-condition.h \
	lib/ovsdb-data.c lib/ovsdb-data.h \
	lib/ovsdb-error.c lib/ovsdb-error.h \
	lib/ovsdb-mutation.c lib/ovsdb-mutation.h \
	lib/ovsdb-parser.c lib/ovsdb-parser.h \
	lib/ovsdb-row.c lib/ovsdb-row.h \
	lib/ovsdb-schema.c lib/ovsdb-schema.h \
	lib/ovsdb-types.c lib/ovsdb-types.h \
	lib/ovsdb-uuid.c lib/ovsdb-uuid.h

# Our schema, installed as $(pkgdatadir)/vswitch.ovsschema.
dist_pkgdata_DATA += vswitchd/vswitch.ovsschema

# Client-side replica (IDL) and transactions, shared by vswitchd and vsctl.
lib_libvswitch_lite_la_SOURCES += lib/ovsdb-idl.c lib/ovsdb-idl.h
