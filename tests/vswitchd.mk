# vswitchd, vs-container and demo tests
TESTSUITE_AT += tests/vswitchd.at tests/vlan.at

# Unit-level driver for vswitchd's desired-state builder.
check_PROGRAMS += tests/test-desired
tests_test_desired_SOURCES = tests/test-desired.c vswitchd/desired.c \
	vswitchd/desired.h
tests_test_desired_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/vswitchd
tests_test_desired_LDADD = $(VS_LIBS)

TESTSUITE_AT += tests/vs-bench.at
