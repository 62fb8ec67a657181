# vs-container: attach containers to bridges.
bin_PROGRAMS += utilities/vs-container
utilities_vs_container_SOURCES = utilities/vs-container.c
utilities_vs_container_LDADD = $(VS_LIBS)
man_MANS += utilities/vs-container.8
EXTRA_DIST += utilities/vs-container.8 utilities/vs-demo.sh \
	utilities/vs-bench-ports.sh
# "vs-bench ports" (utilities/vs-bench.c dispatches to it).
utilities_vs_bench_SOURCES += utilities/vs-bench-ports.c
