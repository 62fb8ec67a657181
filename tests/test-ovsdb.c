/* Driver for the OVSDB data model unit tests (tests/ovsdb-data.at).
 *
 * Usage: test-ovsdb COMMAND ARG...  Every JSON argument is parsed with
 * jansson; output JSON is compact with sorted object keys.  Errors from the
 * data model print as "TAG: DETAILS".  Commands:
 *
 *   parse-atomic-type JSON         parse-base-type JSON     parse-type JSON
 *       print the canonical JSON, or the error
 *   type-to-english TYPE...        print ovsdb_type_to_english()
 *   parse-atoms BASE-TYPE ATOM...  each ATOM: canonical JSON or error
 *   parse-atom-strings BASE-TYPE STRING...
 *                                  each STRING: ovsdb_atom_to_string() form
 *   parse-data TYPE DATUM...       each DATUM: canonical JSON or error
 *   parse-data-named TYPE DATUM... like parse-data, with a symbol table for
 *                                  "named-uuid"s; their uuids print as
 *                                  "<NAME>", then the symbols' flags
 *   parse-data-strings TYPE STRING...
 *                                  each STRING: to_string form, then JSON
 *   check-data TYPE DATUM...       parse DATUM without constraints, then
 *                                  print ovsdb_datum_check_constraints()
 *   compare-data TYPE DATUM...     print the data in ascending order, "="
 *                                  marking one equal to the previous
 *   set-ops TYPE A B               print A∪B (keep), A∪B (replace), A-B,
 *                                  includes_all(A,B), excludes_all(A,B)
 *   diff-data TYPE OLD NEW...      for each NEW: the update2 diff from OLD,
 *                                  and whether applying it to OLD gives NEW
 *   parse-column NAME JSON         parse-table NAME JSON
 *   parse-schema JSON              parse-schema-file FILE
 *       print the canonical JSON (file: a summary) or the error (exit 1)
 *   parse-conditions TABLE-SCHEMA CONDITION...
 *   parse-mutations TABLE-SCHEMA MUTATION-SET...
 *       each: canonical JSON or error
 *   evaluate-conditions TABLE-SCHEMA CONDITIONS ROWS
 *   evaluate-conditions-any TABLE-SCHEMA CONDITIONS ROWS
 *       for each condition, one line "condition N: " then for each row 'T'
 *       (true) or '-' (false), in groups of 5; the first uses conjunction
 *       (transact "where"), the second empty-or-any (monitor_cond)
 *   execute-mutations TABLE-SCHEMA MUTATION-SETS ROWS
 *       for each mutation set and row: "mutation N, row M: " then the
 *       columns that changed as JSON, "no change", or the error
 */
#include <config.h>

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "command-line.h"
#include "dynamic-string.h"
#include "ovsdb-condition.h"
#include "ovsdb-data.h"
#include "ovsdb-error.h"
#include "ovsdb-mutation.h"
#include "ovsdb-row.h"
#include "ovsdb-schema.h"
#include "ovsdb-types.h"
#include "util.h"

#define DUMP_FLAGS (JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY \
                    | JSON_REAL_PRECISION(15))

static json_t *
parse_json(const char *s)
{
    json_error_t jerr;
    json_t *json = json_loads(s, JSON_DECODE_ANY, &jerr);
    if (!json) {
        vs_fatal(0, "%s: bad JSON (%s)", s, jerr.text);
    }
    return json;
}

static void
print_json(const json_t *json)
{
    char *s = json_dumps(json, DUMP_FLAGS);
    puts(s);
    free(s);
}

static void
print_json_free(json_t *json)
{
    print_json(json);
    json_decref(json);
}

static void
print_error(const struct ovsdb_error *error)
{
    const char *details = ovsdb_error_get_details(error);
    if (details) {
        printf("%s: %s\n", ovsdb_error_get_tag(error), details);
    } else {
        printf("%s\n", ovsdb_error_get_tag(error));
    }
}

static void
print_and_free_error(struct ovsdb_error *error)
{
    print_error(error);
    ovsdb_error_destroy(error);
}

/* Dies if ERROR is nonnull. */
static void
check_ovsdb_error(struct ovsdb_error *error)
{
    if (error) {
        char *s = ovsdb_error_to_string_free(error);
        vs_fatal(0, "%s", s);
    }
}

static void
parse_type_arg(const char *s, struct ovsdb_type *type)
{
    json_t *json = parse_json(s);
    check_ovsdb_error(ovsdb_type_from_json(type, json));
    json_decref(json);
}

static void
parse_base_type_arg(const char *s, struct ovsdb_base_type *base)
{
    json_t *json = parse_json(s);
    check_ovsdb_error(ovsdb_base_type_from_json(base, json));
    json_decref(json);
}

static struct ovsdb_table_schema *
parse_table_arg(const char *s)
{
    struct ovsdb_table_schema *ts;
    json_t *json = parse_json(s);
    check_ovsdb_error(ovsdb_table_schema_from_json(json, "mytable", &ts));
    json_decref(json);
    return ts;
}

/* Type commands. */

static void
do_parse_atomic_type(int argc, char *argv[])
{
    enum ovsdb_atomic_type type;
    json_t *json = parse_json(argv[1]);
    struct ovsdb_error *error = ovsdb_atomic_type_from_json(&type, json);
    json_decref(json);
    if (error) {
        print_and_free_error(error);
    } else {
        print_json_free(ovsdb_atomic_type_to_json(type));
    }
}

static void
do_parse_base_type(int argc, char *argv[])
{
    struct ovsdb_base_type base;
    json_t *json = parse_json(argv[1]);
    struct ovsdb_error *error = ovsdb_base_type_from_json(&base, json);
    json_decref(json);
    if (error) {
        print_and_free_error(error);
    } else {
        print_json_free(ovsdb_base_type_to_json(&base));
        ovsdb_base_type_destroy(&base);
    }
}

static void
do_parse_type(int argc, char *argv[])
{
    struct ovsdb_type type;
    json_t *json = parse_json(argv[1]);
    struct ovsdb_error *error = ovsdb_type_from_json(&type, json);
    json_decref(json);
    if (error) {
        print_and_free_error(error);
    } else {
        vs_assert(ovsdb_type_is_valid(&type));
        print_json_free(ovsdb_type_to_json(&type));
        ovsdb_type_destroy(&type);
    }
}

static void
do_type_to_english(int argc, char *argv[])
{
    for (int i = 1; i < argc; i++) {
        struct ovsdb_type type;
        parse_type_arg(argv[i], &type);
        char *s = ovsdb_type_to_english(&type);
        puts(s);
        free(s);
        ovsdb_type_destroy(&type);
    }
}

/* Atoms. */

static void
do_parse_atoms(int argc, char *argv[])
{
    struct ovsdb_base_type base;

    parse_base_type_arg(argv[1], &base);
    for (int i = 2; i < argc; i++) {
        union ovsdb_atom atom;
        json_t *json = parse_json(argv[i]);
        struct ovsdb_error *error = ovsdb_atom_from_json(&atom, &base, json,
                                                         NULL);
        json_decref(json);
        if (error) {
            print_and_free_error(error);
        } else {
            print_json_free(ovsdb_atom_to_json(&atom, base.type));
            ovsdb_atom_destroy(&atom, base.type);
        }
    }
    ovsdb_base_type_destroy(&base);
}

static void
do_parse_atom_strings(int argc, char *argv[])
{
    struct ovsdb_base_type base;

    parse_base_type_arg(argv[1], &base);
    for (int i = 2; i < argc; i++) {
        union ovsdb_atom atom;
        char *msg = ovsdb_atom_from_string(&atom, &base, argv[i], NULL);
        if (msg) {
            printf("error: %s\n", msg);
            free(msg);
        } else {
            struct ds s = DS_EMPTY_INITIALIZER;
            ovsdb_atom_to_string(&atom, base.type, &s);
            puts(ds_cstr(&s));

            /* The printed form must parse back to the same atom. */
            union ovsdb_atom atom2;
            char *msg2 = ovsdb_atom_from_string(&atom2, &base, ds_cstr(&s),
                                                NULL);
            if (msg2) {
                vs_fatal(0, "reparse failed: %s", msg2);
            }
            ds_destroy(&s);
            vs_assert(ovsdb_atom_equals(&atom, &atom2, base.type));
            ovsdb_atom_destroy(&atom2, base.type);
            ovsdb_atom_destroy(&atom, base.type);
        }
    }
    ovsdb_base_type_destroy(&base);
}

/* Data. */

static void
do_parse_data(int argc, char *argv[])
{
    struct ovsdb_type type;

    parse_type_arg(argv[1], &type);
    for (int i = 2; i < argc; i++) {
        struct ovsdb_datum datum;
        json_t *json = parse_json(argv[i]);
        struct ovsdb_error *error = ovsdb_datum_from_json(&datum, &type,
                                                          json, NULL);
        json_decref(json);
        if (error) {
            print_and_free_error(error);
            vs_assert(datum.n == 0);
        } else {
            json_t *out = ovsdb_datum_to_json(&datum, &type);

            /* The output must parse back to an equal datum. */
            struct ovsdb_datum datum2;
            check_ovsdb_error(ovsdb_datum_from_json(&datum2, &type, out,
                                                    NULL));
            vs_assert(ovsdb_datum_equals(&datum, &datum2, &type));
            vs_assert(ovsdb_datum_hash(&datum, &type, 0)
                      == ovsdb_datum_hash(&datum2, &type, 0));
            ovsdb_datum_destroy(&datum2, &type);

            print_json_free(out);
            ovsdb_datum_destroy(&datum, &type);
        }
    }
    ovsdb_type_destroy(&type);
}

/* Replaces every occurrence of OLD in DS by NEW. */
static void
ds_replace(struct ds *ds, const char *old, const char *new)
{
    struct ds out = DS_EMPTY_INITIALIZER;
    const char *p = ds_cstr(ds);
    const char *q;

    while ((q = strstr(p, old)) != NULL) {
        ds_put_buffer(&out, p, q - p);
        ds_put_cstr(&out, new);
        p = q + strlen(old);
    }
    ds_put_cstr(&out, p);
    ds_destroy(ds);
    *ds = out;
}

static void
do_parse_data_named(int argc, char *argv[])
{
    struct ovsdb_symbol_table *symtab = ovsdb_symbol_table_create();
    struct ovsdb_type type;

    parse_type_arg(argv[1], &type);
    for (int i = 2; i < argc; i++) {
        struct ovsdb_datum datum;
        json_t *json = parse_json(argv[i]);
        struct ovsdb_error *error = ovsdb_datum_from_json(&datum, &type,
                                                          json, symtab);
        json_decref(json);
        if (error) {
            print_and_free_error(error);
            continue;
        }

        struct ds s = DS_EMPTY_INITIALIZER;
        json_t *out = ovsdb_datum_to_json(&datum, &type);
        char *text = json_dumps(out, DUMP_FLAGS);
        ds_put_cstr(&s, text);
        free(text);
        json_decref(out);

        const struct shash_node **nodes = shash_sort(&symtab->sh);
        for (size_t j = 0; j < shash_count(&symtab->sh); j++) {
            const struct ovsdb_symbol *symbol = nodes[j]->data;
            char uuid[UUID_LEN + 1], *name;

            uuid_format(&symbol->uuid, uuid);
            name = xasprintf("<%s>", nodes[j]->name);
            ds_replace(&s, uuid, name);
            free(name);
        }
        free(nodes);
        puts(ds_cstr(&s));
        ds_destroy(&s);
        ovsdb_datum_destroy(&datum, &type);
    }

    const struct shash_node **nodes = shash_sort(&symtab->sh);
    for (size_t j = 0; j < shash_count(&symtab->sh); j++) {
        const struct ovsdb_symbol *symbol = nodes[j]->data;
        printf("symbol %s:%s%s%s\n", nodes[j]->name,
               symbol->created ? " created" : "",
               symbol->strong_ref ? " strong" : "",
               symbol->weak_ref ? " weak" : "");
    }
    free(nodes);
    const char *uncreated = ovsdb_symbol_table_find_uncreated(symtab);
    if (uncreated) {
        printf("first uncreated: %s\n", uncreated);
    }

    ovsdb_symbol_table_destroy(symtab);
    ovsdb_type_destroy(&type);
}

static void
do_parse_data_strings(int argc, char *argv[])
{
    struct ovsdb_type type;

    parse_type_arg(argv[1], &type);
    for (int i = 2; i < argc; i++) {
        struct ovsdb_datum datum;
        char *msg = ovsdb_datum_from_string(&datum, &type, argv[i], NULL);
        if (msg) {
            printf("error: %s\n", msg);
            free(msg);
            continue;
        }

        struct ds s = DS_EMPTY_INITIALIZER;
        ovsdb_datum_to_string(&datum, &type, &s);
        printf("%s ", ds_cstr(&s));
        print_json_free(ovsdb_datum_to_json(&datum, &type));

        /* The printed form must parse back to an equal datum. */
        struct ovsdb_datum datum2;
        msg = ovsdb_datum_from_string(&datum2, &type, ds_cstr(&s), NULL);
        if (msg) {
            vs_fatal(0, "reparse of %s failed: %s", ds_cstr(&s), msg);
        }
        vs_assert(ovsdb_datum_equals(&datum, &datum2, &type));
        ovsdb_datum_destroy(&datum2, &type);
        ds_destroy(&s);
        ovsdb_datum_destroy(&datum, &type);
    }
    ovsdb_type_destroy(&type);
}

static void
do_check_data(int argc, char *argv[])
{
    struct ovsdb_type type, loose;

    parse_type_arg(argv[1], &type);
    ovsdb_type_clone(&loose, &type);
    ovsdb_base_type_clear_constraints(&loose.key);
    ovsdb_base_type_clear_constraints(&loose.value);
    loose.n_min = 0;
    loose.n_max = UINT_MAX;
    for (int i = 2; i < argc; i++) {
        struct ovsdb_datum datum;
        json_t *json = parse_json(argv[i]);
        check_ovsdb_error(ovsdb_datum_from_json(&datum, &loose, json, NULL));
        json_decref(json);

        struct ovsdb_error *error = ovsdb_datum_check_constraints(&datum,
                                                                  &type);
        if (error) {
            print_and_free_error(error);
        } else {
            puts("ok");
        }
        ovsdb_datum_destroy(&datum, &loose);
    }
    ovsdb_type_destroy(&loose);
    ovsdb_type_destroy(&type);
}

static const struct ovsdb_type *compare_type;

static int
compare_data_qsort(const void *a_, const void *b_)
{
    const struct ovsdb_datum *a = a_, *b = b_;
    return ovsdb_datum_compare_3way(a, b, compare_type);
}

static void
do_compare_data(int argc, char *argv[])
{
    struct ovsdb_type type;
    int n = argc - 2;

    parse_type_arg(argv[1], &type);
    struct ovsdb_datum *data = xcalloc(n ? n : 1, sizeof *data);
    for (int i = 0; i < n; i++) {
        json_t *json = parse_json(argv[i + 2]);
        check_ovsdb_error(ovsdb_datum_from_json(&data[i], &type, json,
                                                NULL));
        json_decref(json);
    }
    compare_type = &type;
    qsort(data, n, sizeof *data, compare_data_qsort);
    for (int i = 0; i < n; i++) {
        bool same = (i > 0
                     && ovsdb_datum_equals(&data[i - 1], &data[i], &type));
        if (same) {
            vs_assert(ovsdb_datum_hash(&data[i - 1], &type, 0)
                      == ovsdb_datum_hash(&data[i], &type, 0));
        }
        json_t *json = ovsdb_datum_to_json(&data[i], &type);
        char *s = json_dumps(json, DUMP_FLAGS);
        printf("%s%s\n", same ? "= " : "", s);
        free(s);
        json_decref(json);
    }
    for (int i = 0; i < n; i++) {
        ovsdb_datum_destroy(&data[i], &type);
    }
    free(data);
    ovsdb_type_destroy(&type);
}

static void
parse_datum_arg(const char *s, const struct ovsdb_type *type,
                struct ovsdb_datum *datum)
{
    json_t *json = parse_json(s);
    check_ovsdb_error(ovsdb_datum_from_json(datum, type, json, NULL));
    json_decref(json);
}

static void
print_datum(const char *label, const struct ovsdb_datum *datum,
            const struct ovsdb_type *type)
{
    json_t *json = ovsdb_datum_to_json(datum, type);
    char *s = json_dumps(json, DUMP_FLAGS);
    printf("%s%s\n", label, s);
    free(s);
    json_decref(json);
}

static void
do_set_ops(int argc, char *argv[])
{
    struct ovsdb_type type, loose, keys_type;
    struct ovsdb_datum a, b, tmp;

    parse_type_arg(argv[1], &type);
    ovsdb_type_clone(&loose, &type);
    loose.n_min = 0;
    loose.n_max = UINT_MAX;
    parse_datum_arg(argv[2], &loose, &a);

    /* B may be a set of keys when A is a map. */
    ovsdb_type_clone(&keys_type, &loose);
    if (ovsdb_type_is_map(&loose) && strncmp(argv[3], "[\"map\"", 6)) {
        ovsdb_base_type_destroy(&keys_type.value);
        ovsdb_base_type_init(&keys_type.value, OVSDB_TYPE_VOID);
    }
    parse_datum_arg(argv[3], &keys_type, &b);

    if (!ovsdb_type_is_map(&keys_type) && ovsdb_type_is_map(&loose)) {
        ovsdb_datum_clone(&tmp, &a, &loose);
        ovsdb_datum_subtract(&tmp, &loose, &b, &keys_type);
        print_datum("A-B: ", &tmp, &loose);
        ovsdb_datum_destroy(&tmp, &loose);
    } else {
        ovsdb_datum_clone(&tmp, &a, &loose);
        ovsdb_datum_union(&tmp, &b, &loose, false);
        print_datum("A+B: ", &tmp, &loose);
        ovsdb_datum_destroy(&tmp, &loose);

        ovsdb_datum_clone(&tmp, &a, &loose);
        ovsdb_datum_union(&tmp, &b, &loose, true);
        print_datum("A+B replace: ", &tmp, &loose);
        ovsdb_datum_destroy(&tmp, &loose);

        ovsdb_datum_clone(&tmp, &a, &loose);
        ovsdb_datum_subtract(&tmp, &loose, &b, &loose);
        print_datum("A-B: ", &tmp, &loose);
        ovsdb_datum_destroy(&tmp, &loose);

        printf("A includes-all-of B: %s\n",
               ovsdb_datum_includes_all(&b, &a, &loose) ? "yes" : "no");
        printf("A excludes-all-of B: %s\n",
               ovsdb_datum_excludes_all(&b, &a, &loose) ? "yes" : "no");
    }

    ovsdb_datum_destroy(&a, &loose);
    ovsdb_datum_destroy(&b, &keys_type);
    ovsdb_type_destroy(&keys_type);
    ovsdb_type_destroy(&loose);
    ovsdb_type_destroy(&type);
}

static void
do_diff_data(int argc, char *argv[])
{
    struct ovsdb_type type, diff_type;
    struct ovsdb_datum old;

    parse_type_arg(argv[1], &type);
    ovsdb_datum_diff_type(&diff_type, &type);
    parse_datum_arg(argv[2], &type, &old);
    for (int i = 3; i < argc; i++) {
        struct ovsdb_datum new, diff, applied;

        parse_datum_arg(argv[i], &type, &new);
        ovsdb_datum_diff(&diff, &old, &new, &type);

        /* The diff must survive the wire. */
        json_t *wire = ovsdb_datum_to_json(&diff, &diff_type);
        struct ovsdb_datum diff2;
        check_ovsdb_error(ovsdb_datum_from_json(&diff2, &diff_type, wire,
                                                NULL));
        vs_assert(ovsdb_datum_equals(&diff, &diff2, &diff_type));
        json_decref(wire);

        print_datum("diff: ", &diff, &diff_type);
        struct ovsdb_error *error = ovsdb_datum_apply_diff(&applied, &old,
                                                           &diff2, &type);
        if (error) {
            print_and_free_error(error);
        } else {
            printf("apply: %s\n", (ovsdb_datum_equals(&applied, &new, &type)
                                   ? "same as new" : "DIFFERENT"));
            ovsdb_datum_destroy(&applied, &type);
        }
        ovsdb_datum_destroy(&diff2, &diff_type);
        ovsdb_datum_destroy(&diff, &diff_type);
        ovsdb_datum_destroy(&new, &type);
    }
    ovsdb_datum_destroy(&old, &type);
    ovsdb_type_destroy(&diff_type);
    ovsdb_type_destroy(&type);
}

/* Schemas. */

static void
do_parse_column(int argc, char *argv[])
{
    struct ovsdb_column *column;
    json_t *json = parse_json(argv[2]);
    struct ovsdb_error *error = ovsdb_column_from_json(json, argv[1],
                                                       &column);
    json_decref(json);
    if (error) {
        print_and_free_error(error);
    } else {
        print_json_free(ovsdb_column_to_json(column));
        ovsdb_column_destroy(column);
    }
}

static void
do_parse_table(int argc, char *argv[])
{
    struct ovsdb_table_schema *ts;
    json_t *json = parse_json(argv[2]);
    struct ovsdb_error *error = ovsdb_table_schema_from_json(json, argv[1],
                                                             &ts);
    json_decref(json);
    if (error) {
        print_and_free_error(error);
    } else {
        print_json_free(ovsdb_table_schema_to_json(ts));
        ovsdb_table_schema_destroy(ts);
    }
}

/* Checks that SCHEMA survives to_json/from_json and clone. */
static void
check_schema_round_trip(const struct ovsdb_schema *schema)
{
    struct ovsdb_schema *schema2, *clone;
    json_t *json = ovsdb_schema_to_json(schema);

    check_ovsdb_error(ovsdb_schema_from_json(json, &schema2));
    vs_assert(ovsdb_schema_equal(schema, schema2));
    json_decref(json);

    clone = ovsdb_schema_clone(schema);
    vs_assert(ovsdb_schema_equal(schema, clone));

    /* References in the clone point into the clone. */
    struct shash_node *node;
    SHASH_FOR_EACH (node, &clone->tables) {
        const struct ovsdb_table_schema *ts = node->data;
        for (size_t i = 0; i < ts->n_columns; i++) {
            const struct ovsdb_column *c = ts->column_array[i];
            vs_assert(c->index == i);
            const struct ovsdb_base_type *bases[2] = { &c->type.key,
                                                       &c->type.value };
            for (int j = 0; j < 2; j++) {
                if (ovsdb_base_type_is_ref(bases[j])) {
                    vs_assert(bases[j]->u.uuid.ref_table
                              == ovsdb_schema_get_table(
                                  clone, bases[j]->u.uuid.ref_table_name));
                }
            }
        }
    }
    ovsdb_schema_destroy(clone);
    ovsdb_schema_destroy(schema2);
}

static void
do_parse_schema(int argc, char *argv[])
{
    struct ovsdb_schema *schema;
    json_t *json = parse_json(argv[1]);
    struct ovsdb_error *error = ovsdb_schema_from_json(json, &schema);
    json_decref(json);
    if (error) {
        print_and_free_error(error);
        exit(1);
    }
    check_schema_round_trip(schema);
    print_json_free(ovsdb_schema_to_json(schema));
    ovsdb_schema_destroy(schema);
}

static void
do_parse_schema_file(int argc, char *argv[])
{
    struct ovsdb_schema *schema;
    struct ovsdb_error *error = ovsdb_schema_from_file(argv[1], &schema);
    if (error) {
        print_and_free_error(error);
        exit(1);
    }
    check_schema_round_trip(schema);

    size_t n_columns = 0, n_refs = 0, n_weak = 0, n_roots = 0;
    size_t n_indexes = 0, n_ephemeral = 0;
    struct shash_node *node;
    SHASH_FOR_EACH (node, &schema->tables) {
        const struct ovsdb_table_schema *ts = node->data;
        n_roots += ts->is_root;
        n_indexes += ts->n_indexes;
        for (size_t i = OVSDB_N_STD_COLUMNS; i < ts->n_columns; i++) {
            const struct ovsdb_column *c = ts->column_array[i];
            n_columns++;
            n_ephemeral += c->ephemeral;
            const struct ovsdb_base_type *bases[2] = { &c->type.key,
                                                       &c->type.value };
            for (int j = 0; j < 2; j++) {
                if (ovsdb_base_type_is_ref(bases[j])) {
                    n_refs++;
                    n_weak += ovsdb_base_type_is_weak_ref(bases[j]);
                    vs_assert(bases[j]->u.uuid.ref_table);
                }
            }
        }
    }
    printf("name %s version %s\n", schema->name,
           schema->version ? schema->version : "(none)");
    printf("%zu tables (%zu root), %zu columns (%zu ephemeral), "
           "%zu references (%zu weak), %zu indexes\n",
           shash_count(&schema->tables), n_roots, n_columns, n_ephemeral,
           n_refs, n_weak, n_indexes);
    ovsdb_schema_destroy(schema);
}

/* Conditions and mutations. */

static void
do_parse_conditions(int argc, char *argv[])
{
    struct ovsdb_table_schema *ts = parse_table_arg(argv[1]);

    for (int i = 2; i < argc; i++) {
        struct ovsdb_condition cnd;
        json_t *json = parse_json(argv[i]);
        struct ovsdb_error *error = ovsdb_condition_from_json(ts, json, NULL,
                                                              &cnd);
        json_decref(json);
        if (error) {
            print_and_free_error(error);
        } else {
            print_json_free(ovsdb_condition_to_json(&cnd));
            ovsdb_condition_destroy(&cnd);
        }
    }
    ovsdb_table_schema_destroy(ts);
}

static void
do_parse_mutations(int argc, char *argv[])
{
    struct ovsdb_table_schema *ts = parse_table_arg(argv[1]);

    for (int i = 2; i < argc; i++) {
        struct ovsdb_mutation_set set;
        json_t *json = parse_json(argv[i]);
        struct ovsdb_error *error = ovsdb_mutation_set_from_json(ts, json,
                                                                 NULL, &set);
        json_decref(json);
        if (error) {
            print_and_free_error(error);
        } else {
            print_json_free(ovsdb_mutation_set_to_json(&set));
            ovsdb_mutation_set_destroy(&set);
        }
    }
    ovsdb_table_schema_destroy(ts);
}

/* Parses JSON array ROWS_S into rows of TS. */
static struct ovsdb_row *
parse_rows(const struct ovsdb_table_schema *ts, const char *rows_s,
           size_t *n_rowsp)
{
    json_t *json = parse_json(rows_s);
    if (!json_is_array(json)) {
        vs_fatal(0, "ROWS must be an array");
    }
    size_t n = json_array_size(json);
    struct ovsdb_row *rows = xcalloc(n ? n : 1, sizeof *rows);
    for (size_t i = 0; i < n; i++) {
        ovsdb_row_init(&rows[i], ts);
        check_ovsdb_error(ovsdb_row_from_json(&rows[i],
                                              json_array_get(json, i),
                                              NULL, NULL));
    }
    json_decref(json);
    *n_rowsp = n;
    return rows;
}

static void
free_rows(struct ovsdb_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        ovsdb_row_uninit(&rows[i]);
    }
    free(rows);
}

static void
evaluate_conditions(int argc, char *argv[], bool any)
{
    struct ovsdb_table_schema *ts = parse_table_arg(argv[1]);
    json_t *conds = parse_json(argv[2]);
    size_t n_rows;
    struct ovsdb_row *rows = parse_rows(ts, argv[3], &n_rows);

    if (!json_is_array(conds)) {
        vs_fatal(0, "CONDITIONS must be an array");
    }
    for (size_t i = 0; i < json_array_size(conds); i++) {
        struct ovsdb_condition cnd;
        struct ovsdb_error *error = ovsdb_condition_from_json(
            ts, json_array_get(conds, i), NULL, &cnd);

        printf("condition %2zu:", i);
        if (error) {
            printf(" ");
            print_and_free_error(error);
            continue;
        }
        for (size_t j = 0; j < n_rows; j++) {
            bool r = (any ? ovsdb_condition_empty_or_match_any(&rows[j], &cnd)
                      : ovsdb_condition_match_every_clause(&rows[j], &cnd));
            if (j % 5 == 0) {
                putchar(' ');
            }
            putchar(r ? 'T' : '-');
        }
        putchar('\n');

        /* A clone evaluates the same way. */
        struct ovsdb_condition clone;
        ovsdb_condition_clone(&clone, &cnd);
        for (size_t j = 0; j < n_rows; j++) {
            vs_assert(ovsdb_condition_match_every_clause(&rows[j], &cnd)
                      == ovsdb_condition_match_every_clause(&rows[j],
                                                            &clone));
        }
        ovsdb_condition_destroy(&clone);
        ovsdb_condition_destroy(&cnd);
    }
    json_decref(conds);
    free_rows(rows, n_rows);
    ovsdb_table_schema_destroy(ts);
}

static void
do_evaluate_conditions(int argc, char *argv[])
{
    evaluate_conditions(argc, argv, false);
}

static void
do_evaluate_conditions_any(int argc, char *argv[])
{
    evaluate_conditions(argc, argv, true);
}

static void
do_execute_mutations(int argc, char *argv[])
{
    struct ovsdb_table_schema *ts = parse_table_arg(argv[1]);
    json_t *sets = parse_json(argv[2]);
    size_t n_rows;
    struct ovsdb_row *rows = parse_rows(ts, argv[3], &n_rows);

    if (!json_is_array(sets)) {
        vs_fatal(0, "MUTATION-SETS must be an array");
    }
    for (size_t i = 0; i < json_array_size(sets); i++) {
        struct ovsdb_mutation_set set;
        struct ovsdb_error *error = ovsdb_mutation_set_from_json(
            ts, json_array_get(sets, i), NULL, &set);

        if (error) {
            printf("mutation %2zu: ", i);
            print_and_free_error(error);
            continue;
        }
        for (size_t j = 0; j < n_rows; j++) {
            struct ovsdb_row row;

            printf("mutation %2zu, row %2zu: ", i, j);
            ovsdb_row_clone_into(&row, &rows[j]);
            error = ovsdb_mutation_set_execute(&row, &set);
            if (error) {
                print_and_free_error(error);
            } else {
                struct ovsdb_column_set changed;
                ovsdb_column_set_init(&changed);
                for (size_t k = 0; k < ts->n_columns; k++) {
                    const struct ovsdb_column *c = ts->column_array[k];
                    if (!ovsdb_datum_equals(&row.fields[k],
                                            &rows[j].fields[k], &c->type)) {
                        ovsdb_column_set_add(&changed, c);
                        /* Every changed column is valid for its type. */
                        check_ovsdb_error(ovsdb_datum_check_constraints(
                                              &row.fields[k], &c->type));
                    }
                }
                if (changed.n) {
                    print_json_free(ovsdb_row_to_json(&row, &changed));
                } else {
                    puts("no change");
                }
                ovsdb_column_set_destroy(&changed);
            }
            ovsdb_row_uninit(&row);
        }
        ovsdb_mutation_set_destroy(&set);
    }
    json_decref(sets);
    free_rows(rows, n_rows);
    ovsdb_table_schema_destroy(ts);
}

static const struct vs_command commands[] = {
    { "parse-atomic-type", 1, 1, do_parse_atomic_type },
    { "parse-base-type", 1, 1, do_parse_base_type },
    { "parse-type", 1, 1, do_parse_type },
    { "type-to-english", 1, INT_MAX, do_type_to_english },
    { "parse-atoms", 2, INT_MAX, do_parse_atoms },
    { "parse-atom-strings", 2, INT_MAX, do_parse_atom_strings },
    { "parse-data", 2, INT_MAX, do_parse_data },
    { "parse-data-named", 2, INT_MAX, do_parse_data_named },
    { "parse-data-strings", 2, INT_MAX, do_parse_data_strings },
    { "check-data", 2, INT_MAX, do_check_data },
    { "compare-data", 2, INT_MAX, do_compare_data },
    { "set-ops", 3, 3, do_set_ops },
    { "diff-data", 3, INT_MAX, do_diff_data },
    { "parse-column", 2, 2, do_parse_column },
    { "parse-table", 2, 2, do_parse_table },
    { "parse-schema", 1, 1, do_parse_schema },
    { "parse-schema-file", 1, 1, do_parse_schema_file },
    { "parse-conditions", 2, INT_MAX, do_parse_conditions },
    { "parse-mutations", 2, INT_MAX, do_parse_mutations },
    { "evaluate-conditions", 3, 3, do_evaluate_conditions },
    { "evaluate-conditions-any", 3, 3, do_evaluate_conditions_any },
    { "execute-mutations", 3, 3, do_execute_mutations },
    { NULL, 0, 0, NULL },
};

int
main(int argc, char *argv[])
{
    set_program_name(argv[0]);
    if (argc < 2) {
        vs_fatal(0, "usage: %s COMMAND [ARG...] (see the source)",
                 program_name);
    }
    const struct vs_command *c = vs_command_find(commands, argv[1]);
    if (!c) {
        vs_fatal(0, "unknown command \"%s\"", argv[1]);
    }
    int n_args = argc - 2;
    if (n_args < c->min_args || n_args > c->max_args) {
        vs_fatal(0, "%s: wrong number of arguments", c->name);
    }
    c->handler(argc - 1, argv + 1);
    return 0;
}
