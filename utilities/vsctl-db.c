/* vsctl-db.c: vsctl's generic database commands (list, find, get, set,
 * add, remove, clear, create, destroy) and their command table, with how
 * the command line names what they work on: tables and columns by unique
 * prefix, records by uuid, name or "@id", and values as
 * COLUMN[:KEY][OP VALUE] in ovs-vsctl's syntax.  "list" and "find" print
 * through lib/table in the --format that vsctl.c parsed. */
#include <config.h>

#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "ovsdb-data.h"
#include "ovsdb-idl.h"
#include "ovsdb-schema.h"
#include "util.h"
#include "vsctl.h"

/* ------------------------------------------------------------------ */
/* Tables, columns and records.                                        */
/* ------------------------------------------------------------------ */

const struct ovsdb_table_schema *
vsctl_get_table(struct vsctl_context *ctx, const char *name)
{
    const struct ovsdb_schema *schema = ovsdb_idl_get_schema(ctx->idl);
    const struct ovsdb_table_schema *match = NULL;
    size_t n_matches = 0;
    struct shash_node *node;

    SHASH_FOR_EACH (node, &schema->tables) {
        const struct ovsdb_table_schema *t = node->data;
        if (!strcasecmp(t->name, name)) {
            return t;
        } else if (!strncasecmp(t->name, name, strlen(name))) {
            match = t;
            n_matches++;
        }
    }
    if (n_matches == 1) {
        return match;
    } else if (n_matches > 1) {
        vsctl_fatal("multiple table names match \"%s\"", name);
    }
    vsctl_fatal("unknown table \"%s\"", name);
}

const struct ovsdb_column *
vsctl_get_column(const struct ovsdb_table_schema *t, const char *name)
{
    const struct ovsdb_column *c = ovsdb_table_schema_get_column(t, name);
    const struct ovsdb_column *match = NULL;
    size_t n_matches = 0;

    if (c) {
        return c;
    }
    for (size_t i = 0; i < t->n_columns; i++) {
        const struct ovsdb_column *ci = ovsdb_table_schema_column(t, i);
        if (!strcasecmp(ci->name, name)) {
            return ci;
        } else if (!strncasecmp(ci->name, name, strlen(name))) {
            match = ci;
            n_matches++;
        }
    }
    if (n_matches == 1 && *name) {
        return match;
    } else if (n_matches > 1 && *name) {
        vsctl_fatal("%s contains more than one column whose name matches "
                    "\"%s\"", t->name, name);
    }
    vsctl_fatal("%s does not contain a column whose name matches \"%s\"",
                t->name, name);
}

/* The column by which a record of T is named on the command line, or
 * NULL. */
static const char *
name_column(const struct ovsdb_table_schema *t)
{
    if (!strcmp(t->name, "Manager") || !strcmp(t->name, "Controller")) {
        return "target";
    }
    const struct ovsdb_column *c = ovsdb_table_schema_get_column(t, "name");
    return (c && c->type.key.type == OVSDB_TYPE_STRING
            && ovsdb_type_is_scalar(&c->type) ? "name" : NULL);
}

static bool
is_uuid_prefix(const char *s)
{
    size_t n = strlen(s);
    if (n < 4 || n > UUID_LEN) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        if (!isxdigit((unsigned char) s[i]) && s[i] != '-') {
            return false;
        }
    }
    return true;
}

/* Does ROW match ID, by its NAME_COL column if NAME_COL is nonnull, else
 * by uuid prefix? */
static bool
row_matches_id(const struct ovsdb_idl_row *row, const char *name_col,
               const char *id)
{
    if (name_col) {
        const char *name = ovsdb_idl_row_get_string(row, name_col);
        return name && !strcmp(name, id);
    }

    char buf[UUID_LEN + 1];
    uuid_format(ovsdb_idl_row_get_uuid(row), buf);
    return !strncasecmp(buf, id, strlen(id));
}

/* Returns the one row of T that matches ID (see row_matches_id()), or
 * NULL; dies if several do. */
static const struct ovsdb_idl_row *
find_row_by_id(struct vsctl_context *ctx, const struct ovsdb_table_schema *t,
               const char *name_col, const char *id)
{
    const struct ovsdb_idl_row *row = NULL;
    const struct ovsdb_idl_row *r;

    OVSDB_IDL_FOR_EACH (r, t->name, ctx->idl) {
        if (row_matches_id(r, name_col, id)) {
            if (row) {
                vsctl_fatal("multiple rows in %s match \"%s\"", t->name, id);
            }
            row = r;
        }
    }
    return row;
}

const struct ovsdb_idl_row *
vsctl_get_row(struct vsctl_context *ctx, const struct ovsdb_table_schema *t,
              const char *id, bool must_exist)
{
    const struct ovsdb_idl_row *row = NULL;
    struct uuid uuid;

    if (id[0] == '@') {
        const struct ovsdb_symbol *symbol = ovsdb_symbol_table_get(
            ctx->symtab, id);
        if (symbol) {
            row = ovsdb_idl_get_row(ctx->idl, t->name, &symbol->uuid);
        }
    } else if (uuid_from_string(&uuid, id)) {
        row = ovsdb_idl_get_row(ctx->idl, t->name, &uuid);
    }

    if (!row && !strcmp(id, ".") && t->max_rows == 1) {
        row = ovsdb_idl_first_row(ctx->idl, t->name);
    }

    const char *nc = name_column(t);
    if (!row && nc) {
        row = find_row_by_id(ctx, t, nc, id);
    }
    if (!row && is_uuid_prefix(id)) {
        row = find_row_by_id(ctx, t, NULL, id);
    }

    if (!row && must_exist) {
        vsctl_fatal("no row \"%s\" in table %s", id, t->name);
    }
    return row;
}

/* ------------------------------------------------------------------ */
/* Values.                                                             */
/* ------------------------------------------------------------------ */

/* A copy of TYPE that accepts any number of elements (for add, remove,
 * and the set comparisons of find). */
static void
relaxed_type(struct ovsdb_type *relaxed, const struct ovsdb_type *type)
{
    ovsdb_type_clone(relaxed, type);
    relaxed->n_min = 0;
    relaxed->n_max = UINT_MAX;
}

/* Dies with ERROR, a message from a parser, unless it is NULL. */
static void
check_parse(const char *error)
{
    if (error) {
        vsctl_fatal("%s", error);
    }
}

static void
parse_datum(struct vsctl_context *ctx, struct ovsdb_datum *d,
            const struct ovsdb_type *type, const char *s)
{
    check_parse(ovsdb_datum_from_string(d, type, s, ctx->symtab));
}

static void
parse_atom(struct vsctl_context *ctx, union ovsdb_atom *atom,
           const struct ovsdb_base_type *base, const char *s)
{
    check_parse(ovsdb_atom_from_string(atom, base, s, ctx->symtab));
}

/* Parses KEY as a key of map column C, for the command VERB ("get",
 * "set", "check"); dies if C is not a map. */
static void
parse_map_key(struct vsctl_context *ctx, union ovsdb_atom *katom,
              const struct ovsdb_column *c, const char *verb,
              const char *key)
{
    if (!ovsdb_type_is_map(&c->type)) {
        vsctl_fatal("cannot specify key to %s for non-map column %s", verb,
                    c->name);
    }
    parse_atom(ctx, katom, &c->type.key, key);
}

/* Relational operators of "find" (and "=" alone for set/create). */
enum rel_op {
    OP_EQ, OP_NE, OP_LT, OP_GT, OP_LE, OP_GE,
    OP_SET_EQ, OP_SET_NE, OP_SET_LT, OP_SET_GT, OP_SET_LE, OP_SET_GE
};

static const char *const op_names[] = {
    "=", "!=", "<", ">", "<=", ">=",
    "{=}", "{!=}", "{<}", "{>}", "{<=}", "{>=}"
};

/* Parses the ":KEY" at *P (P just past the ':') into a copy in *KEYP,
 * advancing *P past it. */
static void
parse_key(const char *arg, const char **p, char **keyp)
{
    const char *s = *p;

    if (*s == '"') {
        const char *end = s + 1;
        while (*end && *end != '"') {
            end += end[0] == '\\' && end[1] ? 2 : 1;
        }
        if (*end != '"') {
            vsctl_fatal("%s: missing closing quote", arg);
        }
        *keyp = xmemdup0(s, end + 1 - s);
        *p = end + 1;
    } else {
        size_t n = strcspn(s, "=!<>{");
        *keyp = xmemdup0(s, n);
        *p = s + n;
    }
}

/* Parses ARG as COLUMN[:KEY][OP VALUE] for table T.  Stores the column,
 * a copy of the KEY text (or NULL) and the VALUE text (or NULL) and the
 * operator.  If !ALLOW_OPS only "=" is accepted; VALUE_REQUIRED says
 * whether the operator must be present. */
static const struct ovsdb_column *
parse_column_key_value(const struct ovsdb_table_schema *t, const char *arg,
                       char **keyp, const char **valuep, enum rel_op *opp,
                       bool allow_ops, bool value_required)
{
    const char *p = arg;
    size_t n = strcspn(p, ":=!<>{");
    char *column_name = xmemdup0(p, n);
    const struct ovsdb_column *c;

    p += n;
    *keyp = NULL;
    *valuep = NULL;
    *opp = OP_EQ;

    if (!*column_name) {
        vsctl_fatal("%s: missing column name", arg);
    }
    c = vsctl_get_column(t, column_name);
    free(column_name);

    if (*p == ':') {
        p++;
        parse_key(arg, &p, keyp);
    }

    if (*p) {
        size_t best = 0;
        for (size_t i = 0; i < ARRAY_SIZE(op_names); i++) {
            size_t len = strlen(op_names[i]);
            if (!strncmp(p, op_names[i], len) && len > best) {
                best = len;
                *opp = i;
            }
        }
        if (!best || (!allow_ops && *opp != OP_EQ)) {
            vsctl_fatal("%s: argument does not end in \"=\" followed by a "
                        "value", arg);
        }
        *valuep = p + best;
    } else if (value_required) {
        vsctl_fatal("%s: argument does not end in \"=\" followed by a value",
                    arg);
    }
    return c;
}

static void
check_mutable(const struct ovsdb_idl_row *row, const struct ovsdb_column *c)
{
    if (!c->mutable_ || c->index < OVSDB_N_STD_COLUMNS) {
        vsctl_fatal("cannot modify read-only column %s in table %s", c->name,
                    ovsdb_idl_row_get_table_name(row));
    }
}

void
vsctl_set_column(struct vsctl_context *ctx, const struct ovsdb_idl_row *row,
                 const char *arg)
{
    const struct ovsdb_table_schema *t = ovsdb_idl_row_get_table_schema(row);
    const struct ovsdb_column *c;
    const char *value;
    enum rel_op op;
    char *key;

    c = parse_column_key_value(t, arg, &key, &value, &op, false, true);
    if (key) {
        union ovsdb_atom katom, vatom;
        struct ovsdb_datum d, one;

        parse_map_key(ctx, &katom, c, "set", key);
        parse_atom(ctx, &vatom, &c->type.value, value);
        ovsdb_idl_txn_verify(ctx->txn, row, c->name);
        ovsdb_datum_clone(&d, ovsdb_idl_row_get(row, c->name, NULL),
                          &c->type);
        ovsdb_datum_init_single(&one, &katom, &vatom, &c->type);
        ovsdb_datum_union(&d, &one, &c->type, true);
        ovsdb_datum_destroy(&one, &c->type);
        ovsdb_atom_destroy(&katom, c->type.key.type);
        ovsdb_atom_destroy(&vatom, c->type.value.type);
        ovsdb_idl_txn_write(ctx->txn, row, c->name, &d);
        free(key);
    } else {
        struct ovsdb_datum d;
        parse_datum(ctx, &d, &c->type, value);
        ovsdb_idl_txn_write(ctx->txn, row, c->name, &d);
    }
}

/* Is ROW inserted by "create" in the current transaction?  (Every row
 * that "create" inserts has a symbol, see cmd_create().) */
static bool
row_is_inserted(struct vsctl_context *ctx, const struct ovsdb_idl_row *row)
{
    struct shash_node *node;
    SHASH_FOR_EACH (node, &ctx->symtab->sh) {
        const struct ovsdb_symbol *symbol = node->data;
        if (symbol->created
            && uuid_equals(&symbol->uuid, ovsdb_idl_row_get_uuid(row))) {
            return true;
        }
    }
    return false;
}

/* Declares the "@NAME" of the command's --id option: returns its symbol,
 * now marked created, or NULL if the command has no --id.  Dies if NAME
 * does not begin with "@" or an earlier --id declared it. */
static struct ovsdb_symbol *
declare_id(struct vsctl_context *ctx)
{
    const char *id = shash_find_data(ctx->options, "--id");
    if (!id) {
        return NULL;
    }
    if (id[0] != '@') {
        vsctl_fatal("row id \"%s\" does not begin with \"@\"", id);
    }

    struct ovsdb_symbol *symbol = ovsdb_symbol_table_insert(ctx->symtab, id);
    if (symbol->created) {
        vsctl_fatal("row id \"%s\" may only be specified on one --id "
                    "option", id);
    }
    symbol->created = true;
    return symbol;
}

/* ------------------------------------------------------------------ */
/* get, set, add, remove, clear, create, destroy.                      */
/* ------------------------------------------------------------------ */

/* Prints the value of ARG, COLUMN[:KEY], in ctx->row. */
static void
get_column_value(struct vsctl_context *ctx, const char *arg)
{
    const struct ovsdb_table_schema *t = ctx->table;
    const struct ovsdb_column *c;
    const char *value;
    enum rel_op op;
    char *key;

    c = parse_column_key_value(t, arg, &key, &value, &op, false, false);
    if (value) {
        vsctl_fatal("%s: value not accepted here", arg);
    }
    ovsdb_idl_txn_verify(ctx->txn, ctx->row, c->name);
    const struct ovsdb_datum *d = ovsdb_idl_row_get(ctx->row, c->name, NULL);
    if (key) {
        union ovsdb_atom katom;

        parse_map_key(ctx, &katom, c, "get", key);
        unsigned int idx = ovsdb_datum_find_key(d, &katom, c->type.key.type);
        ovsdb_atom_destroy(&katom, c->type.key.type);
        if (idx != UINT_MAX) {
            ovsdb_atom_to_string(&d->values[idx], c->type.value.type,
                                 ctx->output);
        } else if (!vsctl_has_option(ctx, "--if-exists")) {
            vsctl_fatal("no key \"%s\" in %s record \"%s\" column %s",
                        key, t->name, ctx->argv[2], c->name);
        }
        free(key);
    } else {
        ovsdb_datum_to_string(d, &c->type, ctx->output);
    }
    ds_put_char(ctx->output, '\n');
}

static void
cmd_get(struct vsctl_context *ctx)
{
    struct ovsdb_symbol *symbol = declare_id(ctx);
    if (symbol) {
        symbol->uuid = *ovsdb_idl_row_get_uuid(ctx->row);
        symbol->strong_ref = true;
    }
    for (int i = 3; i < ctx->argc; i++) {
        get_column_value(ctx, ctx->argv[i]);
    }
}

static void
cmd_set(struct vsctl_context *ctx)
{
    for (int i = 3; i < ctx->argc; i++) {
        const char *value;
        enum rel_op op;
        char *key;
        const struct ovsdb_column *c = parse_column_key_value(
            ctx->table, ctx->argv[i], &key, &value, &op, false, true);
        free(key);
        if (!row_is_inserted(ctx, ctx->row)) {
            check_mutable(ctx->row, c);
        }
        vsctl_set_column(ctx, ctx->row, ctx->argv[i]);
    }
}

/* "add" or "remove" under way on the command's column and record: a copy
 * D of the value to change, and RELAXED, the column's type relaxed for the
 * arguments. */
struct column_edit {
    struct ovsdb_type relaxed;
    struct ovsdb_datum d;
};

static void
column_edit_start(struct vsctl_context *ctx, struct column_edit *e)
{
    const struct ovsdb_column *c = ctx->column;

    check_mutable(ctx->row, c);
    relaxed_type(&e->relaxed, &c->type);
    ovsdb_idl_txn_verify(ctx->txn, ctx->row, c->name);
    ovsdb_datum_clone(&e->d, ovsdb_idl_row_get(ctx->row, c->name, NULL),
                      &c->type);
}

/* Writes E's new value into the transaction and frees what E owns. */
static void
column_edit_finish(struct vsctl_context *ctx, struct column_edit *e)
{
    ovsdb_type_destroy(&e->relaxed);
    ovsdb_idl_txn_write(ctx->txn, ctx->row, ctx->column->name, &e->d);
}

static void
cmd_add(struct vsctl_context *ctx)
{
    const struct ovsdb_column *c = ctx->column;
    struct column_edit e;

    column_edit_start(ctx, &e);
    for (int i = 4; i < ctx->argc; i++) {
        struct ovsdb_datum add;
        parse_datum(ctx, &add, &e.relaxed, ctx->argv[i]);
        ovsdb_datum_union(&e.d, &add, &c->type, false);
        ovsdb_datum_destroy(&add, &c->type);
    }
    if (e.d.n > c->type.n_max) {
        vsctl_fatal("\"add\" operation would put %u values in column %s of "
                    "table %s but the maximum number is %u", e.d.n, c->name,
                    ctx->table->name, c->type.n_max);
    }
    column_edit_finish(ctx, &e);
}

/* Removes ARG, parsed as keys of the map column C of relaxed type RELAXED,
 * from D.  ERROR is why ARG did not parse as key-value pairs; it is the
 * message if ARG is not keys either. */
static void
remove_map_keys(struct vsctl_context *ctx, struct ovsdb_datum *d,
                const struct ovsdb_column *c, const struct ovsdb_type *relaxed,
                const char *arg, char *error)
{
    struct ovsdb_type keys;
    struct ovsdb_datum rm;

    ovsdb_type_clone(&keys, relaxed);
    ovsdb_base_type_destroy(&keys.value);
    ovsdb_base_type_init(&keys.value, OVSDB_TYPE_VOID);
    char *error2 = ovsdb_datum_from_string(&rm, &keys, arg, ctx->symtab);
    if (error2) {
        free(error2);
        ovsdb_type_destroy(&keys);
        vsctl_fatal("%s", error);
    }
    free(error);
    ovsdb_datum_subtract(d, &c->type, &rm, &keys);
    ovsdb_datum_destroy(&rm, &keys);
    ovsdb_type_destroy(&keys);
}

static void
cmd_remove(struct vsctl_context *ctx)
{
    const struct ovsdb_column *c = ctx->column;
    struct column_edit e;

    column_edit_start(ctx, &e);
    for (int i = 4; i < ctx->argc; i++) {
        struct ovsdb_datum rm;
        char *error = ovsdb_datum_from_string(&rm, &e.relaxed, ctx->argv[i],
                                              ctx->symtab);
        if (!error) {
            ovsdb_datum_subtract(&e.d, &c->type, &rm, &e.relaxed);
            ovsdb_datum_destroy(&rm, &e.relaxed);
        } else if (ovsdb_type_is_map(&c->type)) {
            /* A map also accepts bare keys. */
            remove_map_keys(ctx, &e.d, c, &e.relaxed, ctx->argv[i], error);
        } else {
            vsctl_fatal("%s", error);
        }
    }
    if (e.d.n < c->type.n_min) {
        vsctl_fatal("\"remove\" operation would put %u values in column %s "
                    "of table %s but the minimum number is %u", e.d.n,
                    c->name, ctx->table->name, c->type.n_min);
    }
    column_edit_finish(ctx, &e);
}

static void
cmd_clear(struct vsctl_context *ctx)
{
    const struct ovsdb_table_schema *t = ctx->table;

    for (int i = 3; i < ctx->argc; i++) {
        const struct ovsdb_column *c = vsctl_get_column(t, ctx->argv[i]);
        check_mutable(ctx->row, c);
        if (c->type.n_min > 0) {
            vsctl_fatal("\"clear\" operation cannot be applied to column %s "
                        "of table %s, which is not allowed to be empty",
                        c->name, t->name);
        }
        ovsdb_idl_txn_clear(ctx->txn, ctx->row, c->name);
    }
}

static void
cmd_create(struct vsctl_context *ctx)
{
    const struct ovsdb_table_schema *t = ctx->table;
    struct ovsdb_symbol *symbol = declare_id(ctx);
    struct uuid uuid;

    if (symbol) {
        uuid = symbol->uuid;
    } else {
        uuid_random(&uuid);
    }

    const struct ovsdb_idl_row *row = ovsdb_idl_txn_insert(ctx->txn, t->name,
                                                           &uuid);
    if (!row) {
        vsctl_fatal("cannot create a row in table %s", t->name);
    }
    if (!symbol) {
        /* Remember it as created, so that "set" on it is allowed. */
        char *name = xasprintf("@@create-"UUID_FMT, UUID_ARGS(&uuid));
        ovsdb_symbol_table_put(ctx->symtab, name, &uuid, true)->strong_ref
            = true;
        free(name);
    }
    for (int i = 2; i < ctx->argc; i++) {
        vsctl_set_column(ctx, row, ctx->argv[i]);
    }
    ctx->cmd->insert_uuid = uuid;
    ctx->cmd->inserted = true;
}

static void
post_create(struct vsctl_context *ctx)
{
    const struct uuid *real = ovsdb_idl_txn_get_insert_uuid(
        ctx->txn, &ctx->cmd->insert_uuid);
    if (real) {
        ds_put_format(ctx->output, UUID_FMT"\n", UUID_ARGS(real));
    }
}

static void
cmd_destroy(struct vsctl_context *ctx)
{
    const struct ovsdb_table_schema *t = ctx->table;
    bool must_exist = !vsctl_has_option(ctx, "--if-exists");

    if (vsctl_has_option(ctx, "--all")) {
        if (ctx->argc > 2) {
            vsctl_fatal("--all and records argument should not be specified "
                        "together");
        }
        const struct ovsdb_idl_row *row, *next;
        for (row = ovsdb_idl_first_row(ctx->idl, t->name); row; row = next) {
            next = ovsdb_idl_next_row(row);
            ovsdb_idl_txn_delete(ctx->txn, row);
        }
        return;
    }
    if (ctx->argc < 3) {
        vsctl_fatal("either --all or records argument should be specified");
    }
    for (int i = 2; i < ctx->argc; i++) {
        const struct ovsdb_idl_row *row = vsctl_get_row(ctx, t, ctx->argv[i],
                                                        must_exist);
        if (row) {
            ovsdb_idl_txn_delete(ctx->txn, row);
        }
    }
}

/* ------------------------------------------------------------------ */
/* list and find.                                                      */
/* ------------------------------------------------------------------ */

/* The columns to print: --columns=A,B or all (_uuid first, then the
 * others by name). */
static void
parse_columns(struct vsctl_context *ctx, const struct ovsdb_table_schema *t,
              struct ovsdb_column_set *cols)
{
    const char *spec = shash_find_data(ctx->options, "--columns");

    ovsdb_column_set_init(cols);
    if (!spec) {
        ovsdb_column_set_add(cols, ovsdb_table_schema_column(t,
                                                             OVSDB_COL_UUID));
        for (size_t i = OVSDB_N_STD_COLUMNS; i < t->n_columns; i++) {
            ovsdb_column_set_add(cols, ovsdb_table_schema_column(t, i));
        }
        return;
    }
    char *copy = xstrdup(spec);
    char *save = NULL;
    for (char *name = strtok_r(copy, ", ", &save); name;
         name = strtok_r(NULL, ", ", &save)) {
        ovsdb_column_set_add(cols, vsctl_get_column(t, name));
    }
    free(copy);
}

/* Fills CELL with datum D of TYPE: as text (bare with --bare) and as
 * JSON. */
static void
fill_cell(struct vsctl_context *ctx, struct table_cell *cell,
          const struct ovsdb_datum *d, const struct ovsdb_type *type)
{
    struct ds s = DS_EMPTY_INITIALIZER;

    if (ctx->opts->bare) {
        ovsdb_datum_to_bare(d, type, &s);
    } else {
        ovsdb_datum_to_string(d, type, &s);
    }
    cell->text = ds_steal_cstr(&s);
    cell->json = ovsdb_datum_to_json(d, type);
}

/* Prints the N ROWS of the command's table, in the --columns. */
static void
list_rows(struct vsctl_context *ctx, const struct ovsdb_idl_row **rows,
          size_t n)
{
    struct ovsdb_column_set cols;
    struct table tbl;

    parse_columns(ctx, ctx->table, &cols);
    table_init(&tbl, NULL);
    for (size_t i = 0; i < cols.n; i++) {
        table_add_column(&tbl, cols.columns[i]->name);
    }
    for (size_t r = 0; r < n; r++) {
        struct table_cell *cells = table_add_row(&tbl);
        for (size_t i = 0; i < cols.n; i++) {
            const struct ovsdb_column *c = cols.columns[i];
            fill_cell(ctx, &cells[i], ovsdb_idl_row_get(rows[r], c->name,
                                                        NULL), &c->type);
        }
    }
    table_format(&tbl, &ctx->opts->style, ctx->output);
    table_destroy(&tbl);
    ovsdb_column_set_destroy(&cols);
}

/* Returns the rows of the command's table sorted by name (else uuid). */
static const struct ovsdb_idl_row **
all_rows_sorted(struct vsctl_context *ctx, size_t *np)
{
    const char *table = ctx->table->name;
    size_t n = ovsdb_idl_count_rows(ctx->idl, table);
    const struct ovsdb_idl_row **rows = xmalloc((n + 1) * sizeof *rows);
    const struct ovsdb_idl_row *row;
    size_t i = 0;

    OVSDB_IDL_FOR_EACH (row, table, ctx->idl) {
        rows[i++] = row;
    }
    qsort(rows, i, sizeof *rows, vsctl_compare_rows_by_name);
    *np = i;
    return rows;
}

static void
cmd_list(struct vsctl_context *ctx)
{
    const struct ovsdb_idl_row **rows;
    size_t n;

    if (ctx->argc > 2) {
        bool must_exist = !vsctl_has_option(ctx, "--if-exists");
        rows = xmalloc(ctx->argc * sizeof *rows);
        n = 0;
        for (int i = 2; i < ctx->argc; i++) {
            const struct ovsdb_idl_row *row = vsctl_get_row(
                ctx, ctx->table, ctx->argv[i], must_exist);
            if (row) {
                rows[n++] = row;
            }
        }
    } else {
        rows = all_rows_sorted(ctx, &n);
    }
    list_rows(ctx, rows, n);
    free(rows);
}

/* Stores in *HAVE the part of D, of column C, that "find" compares: the
 * value for KEY (absent: an empty set) or, without KEY, all of D; stores
 * its type in *TYPE.  Frees KEY. */
static void
find_operand(struct vsctl_context *ctx, const struct ovsdb_column *c,
             const struct ovsdb_datum *d, char *key,
             struct ovsdb_datum *have, struct ovsdb_type *type)
{
    if (!key) {
        ovsdb_type_clone(type, &c->type);
        ovsdb_datum_clone(have, d, type);
        return;
    }

    union ovsdb_atom katom;
    parse_map_key(ctx, &katom, c, "check", key);
    free(key);
    memset(type, 0, sizeof *type);
    ovsdb_base_type_clone(&type->key, &c->type.value);
    ovsdb_base_type_init(&type->value, OVSDB_TYPE_VOID);
    type->n_min = 0;
    type->n_max = 1;
    unsigned int idx = ovsdb_datum_find_key(d, &katom, c->type.key.type);
    if (idx == UINT_MAX) {
        ovsdb_datum_init_empty(have);
    } else {
        ovsdb_datum_init_single(have, &d->values[idx], NULL, type);
    }
    ovsdb_atom_destroy(&katom, c->type.key.type);
}

/* Does "HAVE OP WANT" hold, for values of TYPE? */
static bool
evaluate_op(enum rel_op op, const struct ovsdb_datum *have,
            const struct ovsdb_datum *want, const struct ovsdb_type *type)
{
    int cmp;

    switch (op) {
    case OP_EQ:
    case OP_SET_EQ:
        return ovsdb_datum_equals(have, want, type);
    case OP_NE:
    case OP_SET_NE:
        return !ovsdb_datum_equals(have, want, type);
    case OP_LT:
    case OP_GT:
    case OP_LE:
    case OP_GE:
        cmp = ovsdb_datum_compare_3way(have, want, type);
        return (op == OP_LT ? cmp < 0 : op == OP_GT ? cmp > 0
                : op == OP_LE ? cmp <= 0 : cmp >= 0);
    case OP_SET_LT:
        return (ovsdb_datum_includes_all(have, want, type)
                && have->n < want->n);
    case OP_SET_GT:
        return (ovsdb_datum_includes_all(want, have, type)
                && have->n > want->n);
    case OP_SET_LE:
        return ovsdb_datum_includes_all(have, want, type);
    case OP_SET_GE:
        return ovsdb_datum_includes_all(want, have, type);
    }
    return false;
}

/* Does ROW satisfy ARG, "COLUMN[:KEY]OP VALUE"? */
static bool
row_matches(struct vsctl_context *ctx, const struct ovsdb_idl_row *row,
            const char *arg)
{
    const struct ovsdb_column *c;
    const char *value;
    enum rel_op op;
    char *key;
    struct ovsdb_type type, relaxed;
    struct ovsdb_datum have, want;

    c = parse_column_key_value(ctx->table, arg, &key, &value, &op, true,
                               true);
    find_operand(ctx, c, ovsdb_idl_row_get(row, c->name, NULL), key, &have,
                 &type);
    relaxed_type(&relaxed, &type);
    parse_datum(ctx, &want, &relaxed, value);

    bool result = evaluate_op(op, &have, &want, &type);
    ovsdb_datum_destroy(&have, &type);
    ovsdb_datum_destroy(&want, &relaxed);
    ovsdb_type_destroy(&type);
    ovsdb_type_destroy(&relaxed);
    return result;
}

static void
cmd_find(struct vsctl_context *ctx)
{
    size_t n, m = 0;
    const struct ovsdb_idl_row **rows = all_rows_sorted(ctx, &n);

    for (size_t i = 0; i < n; i++) {
        bool match = true;
        for (int j = 2; j < ctx->argc && match; j++) {
            match = row_matches(ctx, rows[i], ctx->argv[j]);
        }
        if (match) {
            rows[m++] = rows[i];
        }
    }
    list_rows(ctx, rows, m);
    free(rows);
}

#define TABLE VSCTL_TABLE
#define RECORD (VSCTL_TABLE | VSCTL_RECORD)
#define COLUMN_RECORD (VSCTL_TABLE | VSCTL_COLUMN | VSCTL_RECORD)

const struct vsctl_command_syntax vsctl_db_commands[] = {
    {"list", 1, INT_MAX, TABLE, "--if-exists,--columns=", cmd_list, NULL},
    {"find", 1, INT_MAX, TABLE, "--columns=", cmd_find, NULL},
    {"get", 2, INT_MAX, RECORD, "--if-exists,--id=", cmd_get, NULL},
    {"set", 3, INT_MAX, RECORD, "--if-exists", cmd_set, NULL},
    {"add", 4, INT_MAX, COLUMN_RECORD, "--if-exists", cmd_add, NULL},
    {"remove", 4, INT_MAX, COLUMN_RECORD, "--if-exists", cmd_remove, NULL},
    {"clear", 3, INT_MAX, RECORD, "--if-exists", cmd_clear, NULL},
    {"create", 2, INT_MAX, TABLE, "--id=", cmd_create, post_create},
    {"destroy", 1, INT_MAX, TABLE, "--if-exists,--all", cmd_destroy, NULL},
    {NULL, 0, 0, 0, NULL, NULL, NULL},
};
