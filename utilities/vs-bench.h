/* vs-bench: interfaces between the benchmark driver (vs-bench.c) and its
 * per-area benchmark modules. */
#ifndef VS_BENCH_H
#define VS_BENCH_H 1

/* "vs-bench netlink ...": runs the netlink benchmark with the arguments
 * that follow the subcommand name (ARGV[0] is "netlink").  Returns the
 * process exit status. */
int bench_netlink_main(int argc, char *argv[]);

#endif /* vs-bench.h */
