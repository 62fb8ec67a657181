# IDL and vsctl tests
TESTSUITE_AT += tests/idl.at tests/vsctl.at
check_PROGRAMS += tests/test-ovsdb-idl
tests_test_ovsdb_idl_SOURCES = tests/test-ovsdb-idl.c
tests_test_ovsdb_idl_LDADD = $(OVSDB_LIBS)
