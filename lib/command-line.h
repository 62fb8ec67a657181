/* Command-line helpers shared by programs. */
#ifndef COMMAND_LINE_H
#define COMMAND_LINE_H 1

#include <getopt.h>

/* Builds a getopt short-option string from LONG_OPTIONS (options whose
 * 'val' is a printable character); the caller frees it. */
char *long_options_to_short_options(const struct option long_options[]);

/* Prints "PROGRAM (vswitch-lite) VERSION" to stdout. */
void vs_print_version(void);

/* A subcommand of a program run as "PROGRAM [OPTIONS] COMMAND [ARG...]".
 * Each program decides what ARGC and ARGV hold when it calls 'handler' and
 * how it reports a wrong number of arguments. */
struct vs_command {
    const char *name;           /* NULL ends a table of commands. */
    int min_args, max_args;     /* Arguments after the command's name. */
    void (*handler)(int argc, char *argv[]);
};

/* Returns the command named NAME in COMMANDS, an array that ends with a
 * null name, or NULL if there is none. */
const struct vs_command *vs_command_find(const struct vs_command *commands,
                                         const char *name);

#endif /* command-line.h */
