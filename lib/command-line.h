/* Command-line helpers shared by programs. */
#ifndef COMMAND_LINE_H
#define COMMAND_LINE_H 1

#include <getopt.h>

/* Builds a getopt short-option string from LONG_OPTIONS (options whose
 * 'val' is a printable character); the caller frees it. */
char *long_options_to_short_options(const struct option long_options[]);

/* Prints "PROGRAM (vswitch-lite) VERSION" to stdout. */
void vs_print_version(void);

#endif /* command-line.h */
