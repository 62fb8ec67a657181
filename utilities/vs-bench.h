/* vs-bench: interfaces between the benchmark driver (vs-bench.c) and its
 * per-area benchmark modules. */
#ifndef VS_BENCH_H
#define VS_BENCH_H 1

/* "vs-bench netlink ...": runs the netlink benchmark with the arguments
 * that follow the subcommand name (ARGV[0] is "netlink").  Returns the
 * process exit status. */
int bench_netlink_main(int argc, char *argv[]);

/* "vs-bench echo ..." and "vs-bench echo-server ...": the JSON-RPC echo
 * load generator and a server answering "echo" (ARGV[0] is the subcommand
 * name).  Return the process exit status. */
int bench_echo_main(int argc, char *argv[]);
int bench_echo_server_main(int argc, char *argv[]);

/* "vs-bench ports ...": adds N veth container ports to the database in one
 * transaction and times until vswitchd's cur_cfg confirms them. */
int bench_ports_main(int argc, char *argv[]);

/* "vs-bench ovsdb MODE ...": OVSDB workloads (select, mutate, insert,
 * fanout, idle-clients) against any OVSDB server (ARGV[0] is "ovsdb").
 * Returns the process exit status. */
int bench_ovsdb_main(int argc, char *argv[]);

#endif /* vs-bench.h */
