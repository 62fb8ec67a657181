# tests for ovsdb-lite-client
TESTSUITE_AT += tests/ovsdb-client.at
