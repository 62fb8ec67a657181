/* Command-line helpers: see command-line.h. */
#include <config.h>
#include "command-line.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include "dynamic-string.h"
#include "util.h"

char *
long_options_to_short_options(const struct option options[])
{
    struct ds ds = DS_EMPTY_INITIALIZER;

    /* Leading ':' is not used: getopt prints its own errors. */
    for (; options->name; options++) {
        const struct option *o = options;
        if (o->flag || o->val <= 0 || o->val > UCHAR_MAX
            || !isalnum(o->val)) {
            continue;
        }
        ds_put_char(&ds, o->val);
        if (o->has_arg == required_argument) {
            ds_put_char(&ds, ':');
        } else if (o->has_arg == optional_argument) {
            ds_put_cstr(&ds, "::");
        }
    }
    return ds_steal_cstr(&ds);
}

void
vs_print_version(void)
{
    printf("%s (%s) %s\n", program_name, PACKAGE_NAME, PACKAGE_VERSION);
}

const struct vs_command *
vs_command_find(const struct vs_command *commands, const char *name)
{
    for (const struct vs_command *c = commands; c->name; c++) {
        if (!strcmp(c->name, name)) {
            return c;
        }
    }
    return NULL;
}
