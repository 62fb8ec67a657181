/* Coverage counters: cheap named event counts, shown by "coverage/show".
 *
 *   COVERAGE_DEFINE(stream_open);        (once, at file scope)
 *   COVERAGE_INC(stream_open);           (anywhere)
 *
 * "coverage/show" prints each counter with a nonzero total together with
 * its average rate over the last 5 seconds, minute and hour. */
#ifndef COVERAGE_H
#define COVERAGE_H 1

#include "compiler.h"
#include "list.h"

struct coverage_counter {
    struct vs_list list_node;
    const char *name;
    unsigned long long int total;
    /* Samples of 'total' taken once a second by coverage_run(), a ring of
     * the last hour. */
    unsigned long long int *samples;
};

void coverage_counter_register(struct coverage_counter *);

#define COVERAGE_DEFINE(COUNTER) \
    struct coverage_counter counter_##COUNTER = { \
        VS_LIST_INITIALIZER(&counter_##COUNTER.list_node), #COUNTER, 0, \
        NULL }; \
    VS_CONSTRUCTOR(coverage_init_##COUNTER) \
    { coverage_counter_register(&counter_##COUNTER); }

#define COVERAGE_ADD(COUNTER, AMOUNT) \
    do { \
        extern struct coverage_counter counter_##COUNTER; \
        counter_##COUNTER.total += (AMOUNT); \
    } while (0)
#define COVERAGE_INC(COUNTER) COVERAGE_ADD(COUNTER, 1)

/* Returns the total of counter NAME, or 0 if there is no such counter. */
unsigned long long int coverage_get_total(const char *name);

/* Takes a sample once a second; call from the main loop. */
void coverage_run(void);
void coverage_wait(void);

/* Returns "coverage/show" text; caller frees. */
char *coverage_show(void);

/* Registers "coverage/show" with unixctl.  Idempotent. */
void coverage_register_commands(void);

#endif /* coverage.h */
