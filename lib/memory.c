/* "memory/show": see memory.h. */
#include <config.h>
#include "memory.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>
#include "dynamic-string.h"
#include "unixctl.h"
#include "util.h"

struct memory_reporter {
    memory_report_func *cb;
    void *aux;
};

/* Registered reporters, in registration order. */
static struct memory_reporter *reporters;
static size_t n_reporters;

/* Registers CB to be called, with AUX, each time "memory/show" runs. */
void
memory_report_register(memory_report_func *cb, void *aux)
{
    reporters = xrealloc(reporters, (n_reporters + 1) * sizeof *reporters);
    reporters[n_reporters].cb = cb;
    reporters[n_reporters].aux = aux;
    n_reporters++;
}

/* Adds COUNT to the value of NAME in USAGE (creating it at 0 first), so
 * several reporters may contribute to one name. */
void
memory_usage_add(struct shash *usage, const char *name,
                 unsigned long long int count)
{
    unsigned long long int *value = shash_find_data(usage, name);

    if (!value) {
        value = xzalloc(sizeof *value);
        shash_add(usage, name, value);
    }
    *value += count;
}

/* Reads the resident set size, in pages, from /proc/self/statm.  Returns
 * false if it is unavailable. */
static bool
read_statm_rss(unsigned long long int *pages)
{
    char buf[128];
    ssize_t n;
    int fd;

    fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return false;
    }
    n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) {
        return false;
    }
    buf[n] = '\0';
    return sscanf(buf, "%*u %llu", pages) == 1;
}

unsigned long long int
memory_rss_kib(void)
{
    unsigned long long int pages;
    struct rusage ru;

    if (read_statm_rss(&pages)) {
        long int page_size = sysconf(_SC_PAGESIZE);
        return pages * (page_size > 0 ? page_size : 4096) / 1024;
    }
    /* Fallback: the peak rather than the current RSS, in KiB on Linux. */
    if (!getrusage(RUSAGE_SELF, &ru) && ru.ru_maxrss > 0) {
        return ru.ru_maxrss;
    }
    return 0;
}

/* Returns "rss:KIB" followed by " NAME:COUNT" for each reported name in
 * alphabetical order, and a new-line. */
char *
memory_show(void)
{
    struct shash usage = SHASH_INITIALIZER(&usage);
    struct ds s = DS_EMPTY_INITIALIZER;
    const struct shash_node **nodes;
    size_t n;

    for (size_t i = 0; i < n_reporters; i++) {
        reporters[i].cb(&usage, reporters[i].aux);
    }

    ds_put_format(&s, "rss:%llu", memory_rss_kib());
    n = shash_count(&usage);
    nodes = shash_sort(&usage);
    for (size_t i = 0; i < n; i++) {
        const unsigned long long int *value = nodes[i]->data;
        ds_put_format(&s, " %s:%llu", nodes[i]->name, *value);
    }
    ds_put_char(&s, '\n');
    free(nodes);
    shash_destroy_free_data(&usage);
    return ds_steal_cstr(&s);
}

static void
memory_unixctl_show(struct unixctl_conn *conn, int argc VS_UNUSED,
                    const char *argv[] VS_UNUSED, void *aux VS_UNUSED)
{
    char *text = memory_show();

    unixctl_command_reply(conn, text);
    free(text);
}

void
memory_register_commands(void)
{
    static bool registered;

    if (!registered) {
        registered = true;
        unixctl_command_register("memory/show", "", 0, 0,
                                 memory_unixctl_show, NULL);
    }
}
