# tests for ovsdb (data)
TESTSUITE_AT += tests/ovsdb-data.at

check_PROGRAMS += tests/test-ovsdb
tests_test_ovsdb_SOURCES = tests/test-ovsdb.c
tests_test_ovsdb_LDADD = $(OVSDB_LIBS)
TESTSUITE_AT += tests/ovsdb-schema.at tests/ovsdb-condition.at \
	tests/ovsdb-mutation.at
