# Autotest suite: tests/testsuite.at includes one .at file per area.
TESTSUITE_AT = \
	tests/testsuite.at \
	tests/vs-macros.at \
	tests/containers.at \
	tests/reactor.at \
	tests/timeval.at \
	tests/vlog.at \
	tests/daemon.at \
	tests/unixctl.at \
	tests/interop-ovs.at \
	tests/reconnect.at \
	tests/netlink.at \
	tests/kernel.at \
	tests/stream.at \
	tests/jsonrpc.at \
	tests/root-ns.at \
	tests/packaging.at
TESTSUITE = $(srcdir)/tests/testsuite
EXTRA_DIST += $(TESTSUITE_AT) $(TESTSUITE) tests/package.m4 \
	tests/atlocal.in tests/ovs-sandbox.sh \
	tests/test-reconnect.py tests/test-jsonrpc.py \
	tests/vm/vm-run.sh tests/vm/vm-initramfs.sh tests/vm/init \
	tests/vm/modules tests/complete.bash
DISTCLEANFILES += tests/atconfig tests/atlocal

check_PROGRAMS += tests/test-containers tests/test-poll-loop \
	tests/test-vlog tests/test-unixctl tests/test-reconnect \
	tests/test-netlink tests/test-jsonrpc
tests_test_containers_SOURCES = tests/test-containers.c
tests_test_containers_LDADD = $(RUNTIME_LIBS)
tests_test_poll_loop_SOURCES = tests/test-poll-loop.c
tests_test_poll_loop_LDADD = $(RUNTIME_LIBS)
tests_test_vlog_SOURCES = tests/test-vlog.c
tests_test_vlog_LDADD = $(RUNTIME_LIBS)
tests_test_unixctl_SOURCES = tests/test-unixctl.c
tests_test_unixctl_LDADD = $(RUNTIME_LIBS)

AUTOTEST_PATH = utilities:vswitchd:ovsdb-lite:tests

$(srcdir)/tests/package.m4: $(top_srcdir)/configure.ac
	$(AM_V_GEN):;{ \
	  echo '# Signature of the current package.' && \
	  echo 'm4_define([AT_PACKAGE_NAME],      [$(PACKAGE_NAME)])' && \
	  echo 'm4_define([AT_PACKAGE_TARNAME],   [$(PACKAGE_TARNAME)])' && \
	  echo 'm4_define([AT_PACKAGE_VERSION],   [$(PACKAGE_VERSION)])' && \
	  echo 'm4_define([AT_PACKAGE_STRING],    [$(PACKAGE_STRING)])' && \
	  echo 'm4_define([AT_PACKAGE_BUGREPORT], [$(PACKAGE_BUGREPORT)])'; \
	} >'$(srcdir)/tests/package.m4'

AUTOM4TE = autom4te
AUTOTEST = $(AUTOM4TE) -l autotest
$(TESTSUITE): $(TESTSUITE_AT) $(srcdir)/tests/package.m4
	$(AM_V_GEN)$(AUTOTEST) -I '$(srcdir)' -I '$(srcdir)/tests' -o $@.tmp $@.at && \
	  mv $@.tmp $@

# The packaging tests (tests/packaging.at) install into a scratch
# directory and need to know where files go.
TESTSUITE_DIRS = \
	vs_bindir='$(bindir)' vs_sbindir='$(sbindir)' vs_mandir='$(mandir)' \
	vs_sysconfdir='$(sysconfdir)' vs_pkgdatadir='$(pkgdatadir)' \
	vs_rundir='$(VS_RUNDIR)' vs_logdir='$(VS_LOGDIR)' vs_dbdir='$(VS_DBDIR)' \
	vs_systemdsystemunitdir='$(systemdsystemunitdir)' \
	vs_tmpfilesdir='$(tmpfilesdir)' \
	vs_bashcompletiondir='$(bashcompletiondir)' \
	MAKE='$(MAKE)'

check-local: tests/atconfig tests/atlocal $(TESTSUITE) $(check_PROGRAMS) \
		$(bin_PROGRAMS) $(sbin_PROGRAMS) $(VS_SUBST_FILES)
	$(SHELL) '$(TESTSUITE)' -C tests AUTOTEST_PATH='$(AUTOTEST_PATH)' \
	  $(TESTSUITE_DIRS) $(TESTSUITEFLAGS)

tests/atconfig: config.status
	$(AM_V_GEN)$(SHELL) ./config.status tests/atconfig

# The VM test lane (Documentation/vm-lane.md): the suite's tests with
# keyword "vm", or those TESTSUITEFLAGS selects, inside a qemu guest
# running Debian's stock kernel; results in tests/check-vm/.
check-vm: tests/atconfig tests/atlocal $(TESTSUITE) $(check_PROGRAMS) \
		$(bin_PROGRAMS) $(sbin_PROGRAMS)
	$(SHELL) '$(srcdir)/tests/vm/vm-run.sh' . $(TESTSUITEFLAGS)
.PHONY: check-vm

clean-local:
	test ! -f '$(TESTSUITE)' || \
	  $(SHELL) '$(TESTSUITE)' -C tests --clean || :
	rm -rf tests/check-vm
tests_test_reconnect_SOURCES = tests/test-reconnect.c
tests_test_reconnect_LDADD = $(RUNTIME_LIBS)
tests_test_netlink_SOURCES = tests/test-netlink.c
tests_test_netlink_LDADD = $(KERNEL_LIBS)
tests_test_jsonrpc_SOURCES = tests/test-jsonrpc.c
tests_test_jsonrpc_LDADD = $(RUNTIME_LIBS)

include tests/ovsdb-data.mk
include tests/ovsdb-log.mk
include tests/ovsdb-server.mk
include tests/ovsdb-client.mk
include tests/idl.mk
include tests/vswitchd.mk
