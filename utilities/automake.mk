bin_PROGRAMS += utilities/appctl utilities/vs-bench
utilities_appctl_SOURCES = utilities/appctl.c
utilities_appctl_LDADD = $(VS_LIBS)
utilities_vs_bench_SOURCES = utilities/vs-bench.c
utilities_vs_bench_LDADD = $(VS_LIBS)
man_MANS += utilities/appctl.8 utilities/vs-bench.8
EXTRA_DIST += utilities/appctl.8 utilities/vs-bench.8 utilities/vs-setup.sh
