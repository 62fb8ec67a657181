# tests for ovsdb-lite (the server) and ovsdb-lite-tool
TESTSUITE_AT += \
	tests/ovsdb-server.at \
	tests/ovsdb-server-transact.at \
	tests/ovsdb-server-monitor.at \
	tests/ovsdb-server-storage.at \
	tests/ovsdb-server-interop.at \
	tests/ovsdb-server-scale.at
EXTRA_DIST += tests/ovsdb-rpc.py tests/ovsdb-load.py
