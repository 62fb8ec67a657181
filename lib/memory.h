/* "memory/show": resident set size plus counts reported by modules. */
#ifndef MEMORY_H
#define MEMORY_H 1

#include "shash.h"

/* A module's reporter adds "name" -> count pairs to USAGE with
 * memory_usage_add(). */
typedef void memory_report_func(struct shash *usage, void *aux);
void memory_report_register(memory_report_func *, void *aux);
void memory_usage_add(struct shash *usage, const char *name,
                      unsigned long long int count);

/* Returns this process's resident set size in KiB (0 if unknown). */
unsigned long long int memory_rss_kib(void);
/* Returns the "memory/show" text; the caller frees it. */
char *memory_show(void);

/* Registers "memory/show" with unixctl.  Idempotent. */
void memory_register_commands(void);

#endif /* memory.h */
