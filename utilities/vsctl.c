/* vsctl: configures vswitch-lite through its database; a compatible
 * subset of Open vSwitch's ovs-vsctl.
 *
 * All the commands of one invocation run against the replica (lib/ovsdb-idl)
 * and form one transaction.  Commands read the transaction's view, so a
 * later command sees what an earlier one did.  If another client changed
 * what a command read before the commit, the server refuses the
 * transaction ("verify") and the commands run again on the new contents.
 * With --wait (the default) the transaction also increments
 * Open_vSwitch.next_cfg, and vsctl waits until vswitchd reports, through
 * cur_cfg, that it has applied that configuration.
 *
 * This file holds main(), the global options, --help and the parsing of
 * the command line into commands, checked against the command tables of
 * vsctl-bridge.c and vsctl-db.c; vsctl.h says where the rest is. */
#include <config.h>

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "command-line.h"
#include "dirs.h"
#include "ovsdb-idl.h"
#include "util.h"
#include "vlog.h"
#include "vsctl.h"

/* Global options. */
static char *db;
static int timeout_sec;
static bool retry;
static struct vsctl_options opts = {
    .wait_for_reload = true,
    .style = { .format = TABLE_FORMAT_LIST, .headings = true },
};

/* Like vsctl_fatal(), but frees NAME (which FORMAT may refer to) after
 * formatting the message, so that a bad option does not leak it. */
static void VS_PRINTF_FORMAT(2, 3) VS_NO_RETURN
vsctl_option_fatal(char *name, const char *format, ...)
{
    va_list args;

    va_start(args, format);
    char *message = xvasprintf(format, args);
    va_end(args);
    free(name);
    vsctl_fatal("%s", message);
}

/* ------------------------------------------------------------------ */
/* The command tables.                                                 */
/* ------------------------------------------------------------------ */

static const struct vsctl_command_syntax *const command_tables[] = {
    vsctl_bridge_commands,
    vsctl_db_commands,
};

static const struct vsctl_command_syntax *
find_command(const char *name)
{
    for (size_t i = 0; i < ARRAY_SIZE(command_tables); i++) {
        for (const struct vsctl_command_syntax *p = command_tables[i];
             p->name; p++) {
            if (!strcmp(p->name, name)) {
                return p;
            }
        }
    }
    return NULL;
}

/* Does SYNTAX accept OPTION ("--name")?  Stores in *NEEDS_VALUE whether
 * it is written "--name=VALUE". */
static bool
command_accepts_option(const struct vsctl_command_syntax *syntax,
                       const char *option, bool *needs_value)
{
    const char *p = syntax->options;
    size_t len = strlen(option);

    while (*p) {
        size_t n = strcspn(p, ",");
        if (n >= len && !strncmp(p, option, len)
            && (n == len || (n == len + 1 && p[len] == '='))) {
            *needs_value = n == len + 1;
            return true;
        }
        p += n;
        if (*p == ',') {
            p++;
        }
    }
    return false;
}

/* Does any command accept NAME ("--name")? */
static bool
is_command_option(const char *name)
{
    for (size_t i = 0; i < ARRAY_SIZE(command_tables); i++) {
        for (const struct vsctl_command_syntax *p = command_tables[i];
             p->name; p++) {
            bool needs_value;
            if (command_accepts_option(p, name, &needs_value)) {
                return true;
            }
        }
    }
    return false;
}

/* ------------------------------------------------------------------ */
/* Global options and --help.                                          */
/* ------------------------------------------------------------------ */

static void usage(void) VS_NO_RETURN;

static void
usage(void)
{
    printf("%s: configure vswitch-lite through its database\n"
           "usage: %s [OPTIONS] COMMAND [ARG...] [-- [OPTIONS] COMMAND "
           "[ARG...]]...\n\n", program_name, program_name);
    printf("Bridge commands:\n"
           "  init                        initialize the database\n"
           "  show                        print an overview of the "
           "configuration\n"
           "  add-br BRIDGE               create a bridge\n"
           "  del-br BRIDGE               delete a bridge and its ports\n"
           "  list-br                     print the names of all bridges\n"
           "  br-exists BRIDGE            exit 2 if BRIDGE does not exist\n"
           "\nPort and interface commands:\n"
           "  add-port BRIDGE PORT [COLUMN[:KEY]=VALUE]...\n"
           "                              add PORT to BRIDGE\n"
           "  del-port [BRIDGE] PORT      delete PORT\n"
           "  list-ports BRIDGE           print the ports of BRIDGE\n"
           "  list-ifaces BRIDGE          print the interfaces of BRIDGE\n"
           "  port-to-br PORT             print the bridge of PORT\n"
           "  iface-to-br IFACE           print the bridge of IFACE\n"
           "\nDatabase commands:\n"
           "  list TABLE [RECORD]...      list records\n"
           "  find TABLE CONDITION...     list records that match\n"
           "  get TABLE RECORD COLUMN[:KEY]...\n"
           "                              print values\n"
           "  set TABLE RECORD COLUMN[:KEY]=VALUE...\n"
           "                              set values\n"
           "  add TABLE RECORD COLUMN [KEY=]VALUE...\n"
           "                              add to a set or map\n"
           "  remove TABLE RECORD COLUMN KEY|VALUE|KEY=VALUE...\n"
           "                              remove from a set or map\n"
           "  clear TABLE RECORD COLUMN...  empty a set or map\n"
           "  create TABLE COLUMN[:KEY]=VALUE...\n"
           "                              create a record, print its uuid\n"
           "  destroy TABLE RECORD...     delete records\n"
           "\nCommand options: --may-exist, --if-exists, --with-iface, "
           "--columns=COL,..., --id=@NAME, --all\n");
    printf("\nOptions:\n"
           "  --db=SERVER                 database (default: "
           "unix:%s/db.sock)\n"
           "  --wait                      wait for vswitchd to apply the "
           "change (default)\n"
           "  --no-wait                   do not wait for vswitchd\n"
           "  -t, --timeout=SECS          give up after SECS seconds\n"
           "  --retry                     keep trying to connect\n"
           "  --dry-run                   do not commit changes\n"
           "  -f, --format=FORMAT         list/find output: list (default), "
           "table, csv, json\n"
           "  --bare                      values only, no headings or "
           "quotes\n"
           "  --no-headings               omit headings\n"
           "  -v, --verbose[=SPEC]        set logging levels\n"
           "  -h, --help                  display this help message\n"
           "  -V, --version               display version information\n",
           vs_rundir());
    exit(EXIT_SUCCESS);
}

/* Parses ARG, and NEXT if it is ARG's value, as a global option; stores in
 * *USED_NEXT whether it used NEXT.  Returns false if ARG is not a global
 * option.  Dies if it is one but is wrong. */
static bool
parse_global_option(const char *arg, const char *next, bool *used_next)
{
    const char *value = NULL;
    char *name;

    *used_next = false;
    if (arg[0] == '-' && arg[1] != '-') {
        /* Short options. */
        switch (arg[1]) {
        case 'h':
            usage();
        case 'V':
            vs_print_version();
            exit(EXIT_SUCCESS);
        case 'v':
            vlog_set_verbosity(arg[2] ? arg + 2 : NULL);
            return true;
        case 't':
        case 'f':
            value = arg[2] ? arg + 2 : next;
            if (!value) {
                vsctl_fatal("option '%s' requires an argument", arg);
            }
            *used_next = !arg[2];
            name = xstrdup(arg[1] == 't' ? "--timeout" : "--format");
            goto have_value;
        default:
            vsctl_fatal("invalid option '%s'; use --help for help", arg);
        }
    }

    const char *eq = strchr(arg, '=');
    name = eq ? xmemdup0(arg, eq - arg) : xstrdup(arg);
    value = eq ? eq + 1 : NULL;

    if (!strcmp(name, "--help")) {
        usage();
    } else if (!strcmp(name, "--version")) {
        vs_print_version();
        exit(EXIT_SUCCESS);
    } else if (!strcmp(name, "--verbose")) {
        vlog_set_verbosity(value);
    } else if (!strcmp(name, "--no-wait")) {
        opts.wait_for_reload = false;
    } else if (!strcmp(name, "--wait")) {
        opts.wait_for_reload = true;
    } else if (!strcmp(name, "--retry")) {
        retry = true;
    } else if (!strcmp(name, "--dry-run")) {
        opts.dry_run = true;
    } else if (!strcmp(name, "--bare")) {
        opts.bare = true;
        opts.style.headings = false;
    } else if (!strcmp(name, "--no-headings")) {
        opts.style.headings = false;
    } else if (!strcmp(name, "--db") || !strcmp(name, "--timeout")
               || !strcmp(name, "--format")) {
        if (!value) {
            value = next;
            *used_next = true;
            if (!value) {
                vsctl_fatal("option '%s' requires an argument", name);
            }
        }
        goto have_value;
    } else {
        free(name);
        return false;
    }
    free(name);
    return true;

have_value:
    if (!strcmp(name, "--db")) {
        free(db);
        db = xstrdup(value);
    } else if (!strcmp(name, "--timeout")) {
        if (!str_to_int(value, &timeout_sec) || timeout_sec < 0) {
            vsctl_fatal("value %s on --timeout is invalid", value);
        }
    } else if (!strcmp(value, "list")) {
        opts.style.format = TABLE_FORMAT_LIST;
    } else if (!strcmp(value, "table")) {
        opts.style.format = TABLE_FORMAT_TABLE;
    } else if (!strcmp(value, "csv")) {
        opts.style.format = TABLE_FORMAT_CSV;
    } else if (!strcmp(value, "json")) {
        opts.style.format = TABLE_FORMAT_JSON;
    } else {
        vsctl_fatal("unknown output format \"%s\"", value);
    }
    free(name);
    return true;
}

/* Is NAME ("--name") a global option? */
static bool
is_global_option(const char *name)
{
    static const char *const names[] = {
        "--db", "--wait", "--no-wait", "--timeout", "--retry", "--dry-run",
        "--format", "--bare", "--no-headings", "--verbose", "--help",
        "--version",
    };
    for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
        if (!strcmp(names[i], name)) {
            return true;
        }
    }
    return false;
}

/* ------------------------------------------------------------------ */
/* The command line.                                                   */
/* ------------------------------------------------------------------ */

/* Adds ARG, "--name[=VALUE]", to OPTIONS, the options of the command that
 * follows.  Dies if no command has such an option, if it is a global
 * option (out of place), or if OPTIONS already has it. */
static void
add_command_option(struct shash *options, const char *arg)
{
    const char *eq = strchr(arg, '=');
    char *name = eq ? xmemdup0(arg, eq - arg) : xstrdup(arg);

    if (!is_command_option(name)) {
        if (is_global_option(name)) {
            vsctl_option_fatal(name, "'%s' option cannot be used here "
                               "(global options go before the first "
                               "command)", arg);
        }
        vsctl_option_fatal(name, "unrecognized option '%s'; use --help for "
                           "help", arg);
    }
    if (shash_find(options, name)) {
        vsctl_option_fatal(name, "'%s' option specified multiple times",
                           name);
    }
    shash_add(options, name, eq ? xstrdup(eq + 1) : NULL);
    free(name);
}

/* Checks that SYNTAX takes N_ARGS arguments and OPTIONS. */
static void
check_command(const struct vsctl_command_syntax *syntax, int n_args,
              const struct shash *options)
{
    if (n_args < syntax->min_args) {
        vsctl_fatal("'%s' command requires at least %d arguments",
                    syntax->name, syntax->min_args);
    } else if (n_args > syntax->max_args) {
        vsctl_fatal("'%s' command takes at most %d arguments",
                    syntax->name, syntax->max_args);
    }

    struct shash_node *node;
    SHASH_FOR_EACH (node, options) {
        bool needs_value;
        if (!command_accepts_option(syntax, node->name, &needs_value)) {
            vsctl_fatal("'%s' command has no '%s' option", syntax->name,
                        node->name);
        }
        if (needs_value && !node->data) {
            vsctl_fatal("missing argument to '%s' option on '%s' "
                        "command", node->name, syntax->name);
        } else if (!needs_value && node->data) {
            vsctl_fatal("'%s' option on '%s' does not accept an "
                        "argument", node->name, syntax->name);
        }
    }
}

static void VS_NO_RETURN
missing_command_after_separator(void)
{
    vsctl_fatal("missing command name after \"--\" (use --help for help)");
}

/* Parses the command line into commands.  Global options may appear only
 * before the first command; each command may be preceded by its own
 * options (--may-exist, --if-exists, --columns=..., --id=..., ...). */
static struct vsctl_command *
parse_commands(int argc, char *argv[], size_t *n_commandsp)
{
    struct vsctl_command *commands = NULL;
    size_t n_commands = 0;
    struct shash options = SHASH_INITIALIZER(&options);
    int i = 1;

    /* Global options, mixed with the first command's options. */
    for (; i < argc && argv[i][0] == '-' && strcmp(argv[i], "--"); i++) {
        bool used_next;
        if (!parse_global_option(argv[i], i + 1 < argc ? argv[i + 1] : NULL,
                                 &used_next)) {
            add_command_option(&options, argv[i]);
        }
        i += used_next;
    }
    if (i < argc && !strcmp(argv[i], "--")) {
        i++;
    }

    while (i < argc) {
        /* Command options. */
        for (; i < argc && argv[i][0] == '-' && strcmp(argv[i], "--"); i++) {
            add_command_option(&options, argv[i]);
        }
        if (i >= argc || !strcmp(argv[i], "--")) {
            missing_command_after_separator();
        }

        const struct vsctl_command_syntax *syntax = find_command(argv[i]);
        if (!syntax) {
            vsctl_fatal("unknown command '%s'; use --help for help",
                        argv[i]);
        }
        int start = i;
        while (i < argc && strcmp(argv[i], "--")) {
            i++;
        }
        int n_args = i - start - 1;
        check_command(syntax, n_args, &options);

        commands = xrealloc(commands, (n_commands + 1) * sizeof *commands);
        struct vsctl_command *cmd = &commands[n_commands++];
        memset(cmd, 0, sizeof *cmd);
        cmd->syntax = syntax;
        cmd->argc = n_args + 1;
        cmd->argv = &argv[start];
        cmd->options = xmalloc(sizeof *cmd->options);
        *cmd->options = options;
        hmap_moved(&cmd->options->map);
        shash_init(&options);
        ds_init(&cmd->output);

        if (i < argc) {
            i++;                /* Skip "--". */
            if (i >= argc) {
                missing_command_after_separator();
            }
        }
    }
    if (!n_commands) {
        vsctl_fatal("missing command name (use --help for help)");
    }
    shash_destroy(&options);
    *n_commandsp = n_commands;
    return commands;
}

int
main(int argc, char *argv[])
{
    struct vsctl_command *commands;
    size_t n_commands;

    set_program_name(argv[0]);
    vlog_set_levels(NULL, VLF_CONSOLE, VLL_WARN);
    vlog_set_levels(NULL, VLF_SYSLOG, VLL_OFF);

    commands = parse_commands(argc, argv, &n_commands);
    if (!db) {
        db = xasprintf("unix:%s/db.sock", vs_rundir());
    }
    vsctl_set_timeout(timeout_sec);

    struct ovsdb_idl *idl = ovsdb_idl_create(db, "Open_vSwitch", retry);
    ovsdb_idl_add_all(idl);
    vsctl_connect(idl);
    vsctl_run_commands(idl, commands, n_commands, &opts, argc, argv);

    for (size_t i = 0; i < n_commands; i++) {
        shash_destroy_free_data(commands[i].options);
        free(commands[i].options);
        ds_destroy(&commands[i].output);
    }
    free(commands);
    ovsdb_idl_destroy(idl);
    free(db);
    return 0;
}
