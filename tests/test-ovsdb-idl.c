/* Test driver for lib/ovsdb-idl: connects to a server and runs a script of
 * commands given as arguments, printing what a test can check.
 *
 * usage: test-ovsdb-idl [OPTIONS] REMOTE COMMAND...
 *
 * Options (registration, applied to every IDL the driver opens):
 *   --all                 replicate every table and column
 *   --table=T             replicate every column of T
 *   --table=T:C1,C2       replicate columns C1, C2 of T
 *   --omit=T:C            replicate C but without alerts (omit_alert())
 *   --track               enable change tracking
 *   --db=NAME             database name (default: idltest)
 *
 * Commands (one argument each; words separated by spaces):
 *   connect               run until the replica is complete
 *   dump                  print the replica, one sorted line per row:
 *                         "TABLE: col=value ...", references as @NAME
 *   wait-change           run until the seqno changes
 *   wait-resync           run until the replica was received again
 *   txn OP[; OP...]       one transaction, committed and waited for; then
 *                         waits (up to 5 s) for the replica to change
 *   txn-begin OP[; OP...] build a transaction but do not commit it yet
 *   txn-commit            commit the transaction from txn-begin
 *   use N                 switch to IDL number N (1-4), opening it first
 *   track-dump            print the tracked changes, then clear them
 *   lock NAME | unlock    set or drop the lock
 *   wait-lock             run until the lock is held or contended, print
 *   has-column T C        print "yes" or "no"
 *   reconnect             force a reconnection
 *   shell CMD             run CMD with /bin/sh (tests only)
 *   seqno                 print whether the seqno changed since the last
 *                         "seqno" (or connect): "changed" / "unchanged"
 *
 * Transaction operations (values in vsctl syntax; "@NAME" stands for the
 * uuid of the row whose "name" column is NAME, inserted rows included):
 *   insert TABLE COL=VALUE...
 *   set TABLE NAME COL=VALUE...
 *   delete TABLE NAME
 *   verify TABLE NAME COL
 *   increment TABLE NAME COL
 *   mutate TABLE NAME COL MUTATOR VALUE
 *   comment TEXT */
#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dynamic-string.h"
#include "ovsdb-data.h"
#include "ovsdb-idl.h"
#include "ovsdb-schema.h"
#include "poll-loop.h"
#include "timeval.h"
#include "util.h"
#include "vlog.h"

#define MAX_IDLS 4

struct reg {
    char *table;
    char *columns;          /* NULL for all columns. */
    bool omit;
};

static struct reg regs[32];
static size_t n_regs;
static bool all_tables;
static bool track;
static const char *db_name = "idltest";
static const char *remote;

static struct ovsdb_idl *idls[MAX_IDLS];
static unsigned int last_seqno[MAX_IDLS];
static struct ovsdb_idl *idl;
static int cur;

static void
fatal(const char *msg)
{
    printf("%s\n", msg);
    fflush(stdout);
    exit(1);
}

static struct ovsdb_idl *
open_idl(void)
{
    struct ovsdb_idl *x = ovsdb_idl_create(remote, db_name, true);
    if (all_tables) {
        ovsdb_idl_add_all(x);
    }
    for (size_t i = 0; i < n_regs; i++) {
        if (regs[i].omit) {
            ovsdb_idl_omit_alert(x, regs[i].table, regs[i].columns);
        } else if (!regs[i].columns) {
            ovsdb_idl_add_all_columns(x, regs[i].table);
        } else {
            char *copy = xstrdup(regs[i].columns);
            char *save = NULL;
            for (char *c = strtok_r(copy, ",", &save); c;
                 c = strtok_r(NULL, ",", &save)) {
                ovsdb_idl_add_column(x, regs[i].table, c);
            }
            free(copy);
        }
    }
    if (track) {
        ovsdb_idl_track_enable(x);
    }
    return x;
}

/* Runs IDL until COND(IDL, AUX) holds, or fails after 10 s. */
static bool
run_until(bool (*cond)(struct ovsdb_idl *, const void *), const void *aux,
          const char *what)
{
    long long int deadline = time_msec() + 10000;
    for (;;) {
        ovsdb_idl_run(idl);
        if (cond(idl, aux)) {
            return true;
        }
        if (time_msec() >= deadline) {
            printf("timeout waiting for %s\n", what);
            return false;
        }
        ovsdb_idl_wait(idl);
        poll_timer_wait_until(deadline);
        poll_block();
    }
}

static bool
cond_connected(struct ovsdb_idl *x, const void *aux VS_UNUSED)
{
    return ovsdb_idl_has_ever_connected(x) && ovsdb_idl_is_connected(x);
}

static bool
cond_seqno(struct ovsdb_idl *x, const void *aux)
{
    return ovsdb_idl_get_seqno(x) != *(const unsigned int *) aux;
}

static bool
cond_resync(struct ovsdb_idl *x, const void *aux)
{
    return (ovsdb_idl_get_resync_seqno(x) != *(const unsigned int *) aux
            && ovsdb_idl_is_connected(x));
}

static bool
cond_lock(struct ovsdb_idl *x, const void *aux VS_UNUSED)
{
    return ovsdb_idl_has_lock(x) || ovsdb_idl_is_lock_contended(x);
}

static int
compare_strings(const void *a_, const void *b_)
{
    const char *const *a = a_;
    const char *const *b = b_;
    return strcmp(*a, *b);
}

static const char *
row_name(const struct ovsdb_idl_row *row)
{
    return ovsdb_idl_row_get_string(row, "name");
}

static void
put_atom(struct ds *s, const union ovsdb_atom *atom,
         const struct ovsdb_base_type *base)
{
    if (base->type == OVSDB_TYPE_UUID && base->u.uuid.ref_table) {
        const struct ovsdb_idl_row *ref = ovsdb_idl_get_row(
            idl, base->u.uuid.ref_table->name, &atom->uuid);
        const char *name = ref ? row_name(ref) : NULL;
        if (name) {
            ds_put_format(s, "@%s", name);
        } else {
            ds_put_cstr(s, ref ? "@?" : "<dangling>");
        }
    } else {
        ovsdb_atom_to_string(atom, base->type, s);
    }
}

static void
put_datum(struct ds *s, const struct ovsdb_datum *d,
          const struct ovsdb_type *type)
{
    bool is_map = ovsdb_type_is_map(type);
    if (ovsdb_type_is_scalar(type) && d->n == 1) {
        put_atom(s, &d->keys[0], &type->key);
        return;
    }
    if (!is_map && type->key.type == OVSDB_TYPE_UUID) {
        /* References print as names: sort them by name. */
        char **names = xmalloc((d->n + 1) * sizeof *names);
        for (unsigned int i = 0; i < d->n; i++) {
            struct ds name = DS_EMPTY_INITIALIZER;
            put_atom(&name, &d->keys[i], &type->key);
            names[i] = ds_steal_cstr(&name);
        }
        qsort(names, d->n, sizeof *names, compare_strings);
        ds_put_char(s, '[');
        for (unsigned int i = 0; i < d->n; i++) {
            ds_put_format(s, "%s%s", i ? ", " : "", names[i]);
            free(names[i]);
        }
        ds_put_char(s, ']');
        free(names);
        return;
    }
    ds_put_char(s, is_map ? '{' : '[');
    for (unsigned int i = 0; i < d->n; i++) {
        if (i) {
            ds_put_cstr(s, ", ");
        }
        put_atom(s, &d->keys[i], &type->key);
        if (is_map) {
            ds_put_char(s, '=');
            put_atom(s, &d->values[i], &type->value);
        }
    }
    ds_put_char(s, is_map ? '}' : ']');
}

static void
format_row(struct ds *s, const struct ovsdb_idl_row *row, const char *table)
{
    const struct ovsdb_table_schema *ts = ovsdb_idl_row_get_table_schema(row);

    ds_put_format(s, "%s:", table);
    for (size_t i = OVSDB_N_STD_COLUMNS; i < ts->n_columns; i++) {
        const struct ovsdb_column *c = ovsdb_table_schema_column(ts, i);
        if (!ovsdb_idl_has_column(idl, table, c->name)) {
            continue;
        }
        ds_put_format(s, " %s=", c->name);
        put_datum(s, ovsdb_idl_row_get(row, c->name, NULL), &c->type);
    }
}

static void
print_sorted(char **lines, size_t n)
{
    if (n) {
        /* 'lines' is NULL when there are none, and qsort() must not be
         * given a null pointer even with no elements. */
        qsort(lines, n, sizeof *lines, compare_strings);
    }
    for (size_t i = 0; i < n; i++) {
        printf("%s\n", lines[i]);
        free(lines[i]);
    }
    free(lines);
}

static void
do_dump(void)
{
    const struct ovsdb_schema *schema = ovsdb_idl_get_schema(idl);
    char **lines = NULL;
    size_t n = 0;
    struct shash_node *node;

    if (!schema) {
        printf("no schema\n");
        return;
    }
    SHASH_FOR_EACH (node, &schema->tables) {
        const struct ovsdb_idl_row *row;
        OVSDB_IDL_FOR_EACH (row, node->name, idl) {
            struct ds s = DS_EMPTY_INITIALIZER;
            format_row(&s, row, node->name);
            lines = xrealloc(lines, (n + 1) * sizeof *lines);
            lines[n++] = ds_steal_cstr(&s);
        }
    }
    if (!n) {
        printf("empty\n");
    }
    print_sorted(lines, n);
}

static void
do_track_dump(void)
{
    const struct ovsdb_schema *schema = ovsdb_idl_get_schema(idl);
    char **lines = NULL;
    size_t n = 0;
    struct shash_node *node;

    SHASH_FOR_EACH (node, &schema->tables) {
        const struct ovsdb_table_schema *ts = node->data;
        const struct ovsdb_idl_row *row;
        OVSDB_IDL_FOR_EACH_TRACKED (row, node->name, idl) {
            struct ds s = DS_EMPTY_INITIALIZER;
            const char *name = row_name(row);
            ds_put_format(&s, "%s %s: ", node->name, name ? name : "?");
            if (ovsdb_idl_row_is_deleted(row)) {
                ds_put_cstr(&s, "deleted");
            } else if (ovsdb_idl_row_is_new(row)) {
                ds_put_cstr(&s, "new");
            } else {
                ds_put_cstr(&s, "updated");
                for (size_t i = OVSDB_N_STD_COLUMNS; i < ts->n_columns; i++) {
                    const char *c = ovsdb_table_schema_column(ts, i)->name;
                    if (ovsdb_idl_row_is_updated(row, c)) {
                        ds_put_format(&s, " %s", c);
                    }
                }
            }
            lines = xrealloc(lines, (n + 1) * sizeof *lines);
            lines[n++] = ds_steal_cstr(&s);
        }
    }
    if (!n) {
        printf("no changes\n");
    }
    print_sorted(lines, n);
    ovsdb_idl_track_clear(idl);
}

/* Transactions. */

static struct ovsdb_idl_txn *pending;
static bool txn_incremented;

static const struct ovsdb_idl_row *
find_named(const char *table, const char *name)
{
    const struct ovsdb_idl_row *row;
    OVSDB_IDL_FOR_EACH (row, table, idl) {
        const char *n = row_name(row);
        if (n && !strcmp(n, name)) {
            return row;
        }
    }
    printf("no row named %s in %s\n", name, table);
    exit(1);
}

/* Returns a symbol table with "@NAME" for each row named NAME in the
 * tables that TYPE references. */
static struct ovsdb_symbol_table *
make_symtab(const struct ovsdb_type *type)
{
    struct ovsdb_symbol_table *symtab = ovsdb_symbol_table_create();
    const struct ovsdb_base_type *bases[2] = { &type->key, &type->value };

    for (int i = 0; i < 2; i++) {
        const struct ovsdb_table_schema *ref = bases[i]->u.uuid.ref_table;
        const struct ovsdb_idl_row *row;

        if (bases[i]->type != OVSDB_TYPE_UUID || !ref) {
            continue;
        }
        OVSDB_IDL_FOR_EACH (row, ref->name, idl) {
            const char *name = row_name(row);
            if (name) {
                char *sym = xasprintf("@%s", name);
                if (!ovsdb_symbol_table_get(symtab, sym)) {
                    ovsdb_symbol_table_put(symtab, sym,
                                           ovsdb_idl_row_get_uuid(row), true);
                }
                free(sym);
            }
        }
    }
    return symtab;
}

static bool
parse_value(const struct ovsdb_idl_row *row, const char *column,
            const char *text, struct ovsdb_datum *d)
{
    const struct ovsdb_type *type;
    ovsdb_idl_row_get(row, column, &type);
    if (!type) {
        printf("no column %s\n", column);
        exit(1);
    }
    struct ovsdb_symbol_table *symtab = make_symtab(type);
    char *error = ovsdb_datum_from_string(d, type, text, symtab);
    ovsdb_symbol_table_destroy(symtab);
    if (error) {
        printf("bad value %s for %s: %s\n", text, column, error);
        exit(1);
    }
    return true;
}

static void
set_columns(struct ovsdb_idl_txn *txn, const struct ovsdb_idl_row *row,
            char **words, int n)
{
    for (int i = 0; i < n; i++) {
        char *eq = strchr(words[i], '=');
        if (!eq) {
            fatal("COL=VALUE expected");
        }
        *eq = '\0';
        struct ovsdb_datum d;
        parse_value(row, words[i], eq + 1, &d);
        ovsdb_idl_txn_write(txn, row, words[i], &d);
        *eq = '=';
    }
}

static void
build_op(struct ovsdb_idl_txn *txn, char *op)
{
    char *words[64];
    int n = 0;
    char *save = NULL;

    for (char *w = strtok_r(op, " ", &save); w && n < 64;
         w = strtok_r(NULL, " ", &save)) {
        words[n++] = w;
    }
    if (!n) {
        return;
    }
    if (!strcmp(words[0], "insert") && n >= 2) {
        const struct ovsdb_idl_row *row = ovsdb_idl_txn_insert(txn, words[1],
                                                               NULL);
        if (row) {
            set_columns(txn, row, words + 2, n - 2);
        }
    } else if (!strcmp(words[0], "set") && n >= 3) {
        set_columns(txn, find_named(words[1], words[2]), words + 3, n - 3);
    } else if (!strcmp(words[0], "delete") && n == 3) {
        ovsdb_idl_txn_delete(txn, find_named(words[1], words[2]));
    } else if (!strcmp(words[0], "verify") && n == 4) {
        ovsdb_idl_txn_verify(txn, find_named(words[1], words[2]), words[3]);
    } else if (!strcmp(words[0], "increment") && n == 4) {
        ovsdb_idl_txn_increment(txn, find_named(words[1], words[2]),
                                words[3]);
        txn_incremented = true;
    } else if (!strcmp(words[0], "mutate") && n == 6) {
        const struct ovsdb_idl_row *row = find_named(words[1], words[2]);
        const struct ovsdb_type *type;
        ovsdb_idl_row_get(row, words[3], &type);
        if (!type) {
            fatal("no such column");
        }
        struct ovsdb_type relaxed;
        ovsdb_type_clone(&relaxed, type);
        relaxed.n_min = 0;
        relaxed.n_max = UINT_MAX;
        ovsdb_base_type_clear_constraints(&relaxed.key);
        ovsdb_base_type_clear_constraints(&relaxed.value);
        struct ovsdb_datum d;
        struct ovsdb_symbol_table *symtab = make_symtab(type);
        char *error = ovsdb_datum_from_string(&d, &relaxed, words[5],
                                              symtab);
        ovsdb_symbol_table_destroy(symtab);
        ovsdb_type_destroy(&relaxed);
        if (error) {
            printf("bad value: %s\n", error);
            exit(1);
        }
        ovsdb_idl_txn_mutate(txn, row, words[3], words[4], &d);
    } else if (!strcmp(words[0], "comment") && n >= 2) {
        ovsdb_idl_txn_add_comment(txn, "%s", words[1]);
    } else {
        printf("bad transaction operation %s\n", words[0]);
        exit(1);
    }
}

static struct ovsdb_idl_txn *
build_txn(const char *spec)
{
    struct ovsdb_idl_txn *txn = ovsdb_idl_txn_create(idl);
    char *copy = xstrdup(spec);
    char *save = NULL;

    for (char *op = strtok_r(copy, ";", &save); op;
         op = strtok_r(NULL, ";", &save)) {
        build_op(txn, op);
    }
    free(copy);
    return txn;
}

static void
commit_txn(struct ovsdb_idl_txn *txn)
{
    unsigned int seqno = ovsdb_idl_get_seqno(idl);
    enum ovsdb_idl_txn_status status = ovsdb_idl_txn_commit_block(txn);

    printf("txn: %s\n", ovsdb_idl_txn_status_to_string(status));
    if (status == TXN_SUCCESS && txn_incremented) {
        printf("increment: %lld\n", (long long int)
               ovsdb_idl_txn_get_increment_new_value(txn));
    }
    txn_incremented = false;
    if (ovsdb_idl_txn_get_error(txn)) {
        printf("error: %s\n", ovsdb_idl_txn_get_error(txn));
    }
    ovsdb_idl_txn_destroy(txn);

    if (status == TXN_SUCCESS) {
        /* Let the monitor update arrive.  Servers that send it before the
         * reply (ovsdb-server does) have already delivered it. */
        long long int deadline = time_msec() + 2000;
        while (ovsdb_idl_get_seqno(idl) == seqno
               && time_msec() < deadline) {
            ovsdb_idl_run(idl);
            ovsdb_idl_wait(idl);
            poll_timer_wait_until(deadline);
            poll_block();
        }
    }
}

static void
run_command(char *cmd)
{
    char *arg = strchr(cmd, ' ');
    if (arg) {
        *arg++ = '\0';
    }

    if (!strcmp(cmd, "connect")) {
        if (!run_until(cond_connected, NULL, "connection")) {
            exit(1);
        }
        last_seqno[cur] = ovsdb_idl_get_seqno(idl);
    } else if (!strcmp(cmd, "dump")) {
        do_dump();
    } else if (!strcmp(cmd, "wait-change")) {
        unsigned int seqno = ovsdb_idl_get_seqno(idl);
        if (!run_until(cond_seqno, &seqno, "a change")) {
            exit(1);
        }
    } else if (!strcmp(cmd, "wait-resync")) {
        unsigned int seqno = ovsdb_idl_get_resync_seqno(idl);
        if (!run_until(cond_resync, &seqno, "resynchronization")) {
            exit(1);
        }
    } else if (!strcmp(cmd, "txn") && arg) {
        commit_txn(build_txn(arg));
    } else if (!strcmp(cmd, "txn-begin") && arg) {
        pending = build_txn(arg);
    } else if (!strcmp(cmd, "txn-commit")) {
        if (!pending) {
            fatal("no pending transaction");
        }
        /* The pending transaction belongs to the IDL it was built on. */
        struct ovsdb_idl *saved = idl;
        idl = ovsdb_idl_txn_get_idl(pending);
        commit_txn(pending);
        idl = saved;
        pending = NULL;
    } else if (!strcmp(cmd, "use") && arg) {
        int n = atoi(arg);
        if (n < 1 || n > MAX_IDLS) {
            fatal("bad IDL number");
        }
        cur = n - 1;
        if (!idls[cur]) {
            idls[cur] = open_idl();
            idl = idls[cur];
            if (!run_until(cond_connected, NULL, "connection")) {
                exit(1);
            }
            last_seqno[cur] = ovsdb_idl_get_seqno(idl);
        }
        idl = idls[cur];
    } else if (!strcmp(cmd, "track-dump")) {
        do_track_dump();
    } else if (!strcmp(cmd, "lock") && arg) {
        ovsdb_idl_set_lock(idl, arg);
    } else if (!strcmp(cmd, "unlock")) {
        ovsdb_idl_set_lock(idl, NULL);
        ovsdb_idl_run(idl);
    } else if (!strcmp(cmd, "wait-lock")) {
        if (!run_until(cond_lock, NULL, "the lock")) {
            exit(1);
        }
        printf("has_lock=%s contended=%s\n",
               ovsdb_idl_has_lock(idl) ? "yes" : "no",
               ovsdb_idl_is_lock_contended(idl) ? "yes" : "no");
    } else if (!strcmp(cmd, "has-column") && arg) {
        char *col = strchr(arg, ' ');
        if (!col) {
            fatal("has-column TABLE COLUMN");
        }
        *col++ = '\0';
        printf("%s\n", ovsdb_idl_has_column(idl, arg, col) ? "yes" : "no");
    } else if (!strcmp(cmd, "reconnect")) {
        ovsdb_idl_force_reconnect(idl);
    } else if (!strcmp(cmd, "shell") && arg) {
        fflush(stdout);
        int status = system(arg);
        if (status) {
            printf("shell: status %d\n", status);
        }
    } else if (!strcmp(cmd, "seqno")) {
        unsigned int seqno = ovsdb_idl_get_seqno(idl);
        printf("%s\n", seqno != last_seqno[cur] ? "changed" : "unchanged");
        last_seqno[cur] = seqno;
    } else {
        printf("unknown command %s\n", cmd);
        exit(1);
    }
    fflush(stdout);
}

int
main(int argc, char *argv[])
{
    static const struct option long_options[] = {
        {"all", no_argument, NULL, 'a'},
        {"table", required_argument, NULL, 't'},
        {"omit", required_argument, NULL, 'o'},
        {"track", no_argument, NULL, 'T'},
        {"db", required_argument, NULL, 'd'},
        {"verbose", optional_argument, NULL, 'v'},
        {NULL, 0, NULL, 0},
    };

    set_program_name(argv[0]);
    vlog_set_levels(NULL, VLF_CONSOLE, VLL_WARN);
    for (;;) {
        int c = getopt_long(argc, argv, "", long_options, NULL);
        if (c == -1) {
            break;
        }
        switch (c) {
        case 'a':
            all_tables = true;
            break;
        case 't':
        case 'o': {
            if (n_regs >= ARRAY_SIZE(regs)) {
                fatal("too many registrations");
            }
            char *copy = xstrdup(optarg);
            char *colon = strchr(copy, ':');
            if (colon) {
                *colon = '\0';
            }
            regs[n_regs].table = copy;
            regs[n_regs].columns = colon ? colon + 1 : NULL;
            regs[n_regs].omit = c == 'o';
            if (c == 'o' && !colon) {
                fatal("--omit=TABLE:COLUMN");
            }
            n_regs++;
            break;
        }
        case 'T':
            track = true;
            break;
        case 'd':
            db_name = optarg;
            break;
        case 'v':
            vlog_set_verbosity(optarg);
            break;
        default:
            exit(2);
        }
    }
    if (optind >= argc) {
        fatal("usage: test-ovsdb-idl [OPTIONS] REMOTE COMMAND...");
    }
    remote = argv[optind++];
    idls[0] = idl = open_idl();
    for (int i = optind; i < argc; i++) {
        char *cmd = xstrdup(argv[i]);
        run_command(cmd);
        free(cmd);
    }
    ovsdb_idl_txn_destroy(pending);
    for (int i = 0; i < MAX_IDLS; i++) {
        ovsdb_idl_destroy(idls[i]);
    }
    return 0;
}
