sbin_PROGRAMS += ovsdb-lite/ovsdb-lite
ovsdb_lite_ovsdb_lite_SOURCES = ovsdb-lite/ovsdb-lite.c
ovsdb_lite_ovsdb_lite_LDADD = $(VS_LIBS)
man_MANS += ovsdb-lite/ovsdb-lite.8
EXTRA_DIST += ovsdb-lite/ovsdb-lite.8
