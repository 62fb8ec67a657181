# tests for ovsdb (log)
TESTSUITE_AT += tests/ovsdb-log.at
check_PROGRAMS += tests/test-ovsdb-log
tests_test_ovsdb_log_SOURCES = tests/test-ovsdb-log.c
tests_test_ovsdb_log_LDADD = $(OVSDB_SERVER_LIBS)
tests_test_ovsdb_log_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/ovsdb-lite
