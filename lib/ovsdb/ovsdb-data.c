/* OVSDB atoms, data and symbol tables. */
#include <config.h>
#include "ovsdb-data.h"

#include <ctype.h>
#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "dynamic-string.h"
#include "hash.h"
#include "ovsdb-error.h"
#include "util.h"

/* Atoms. */

static char empty_string[1] = "";
static union ovsdb_atom default_atoms[OVSDB_N_TYPES];

VS_CONSTRUCTOR(init_default_atoms)
{
    memset(default_atoms, 0, sizeof default_atoms);
    default_atoms[OVSDB_TYPE_STRING].string = empty_string;
}

void
ovsdb_atom_init_default(union ovsdb_atom *atom, enum ovsdb_atomic_type type)
{
    memset(atom, 0, sizeof *atom);
    if (type == OVSDB_TYPE_STRING) {
        atom->string = xstrdup("");
    }
}

const union ovsdb_atom *
ovsdb_atom_default(enum ovsdb_atomic_type type)
{
    vs_assert(ovsdb_atomic_type_is_valid(type));
    return &default_atoms[type];
}

bool
ovsdb_atom_is_default(const union ovsdb_atom *atom,
                      enum ovsdb_atomic_type type)
{
    switch (type) {
    case OVSDB_TYPE_VOID:
        return true;
    case OVSDB_TYPE_INTEGER:
        return atom->integer == 0;
    case OVSDB_TYPE_REAL:
        return atom->real == 0.0;
    case OVSDB_TYPE_BOOLEAN:
        return !atom->boolean;
    case OVSDB_TYPE_STRING:
        return atom->string[0] == '\0';
    case OVSDB_TYPE_UUID:
        return uuid_is_zero(&atom->uuid);
    case OVSDB_N_TYPES:
    default:
        vs_abort(0, "bad atomic type %d", (int) type);
    }
}

void
ovsdb_atom_clone(union ovsdb_atom *new, const union ovsdb_atom *old,
                 enum ovsdb_atomic_type type)
{
    if (type == OVSDB_TYPE_STRING) {
        new->string = xstrdup(old->string);
    } else {
        *new = *old;
    }
}

void
ovsdb_atom_swap(union ovsdb_atom *a, union ovsdb_atom *b)
{
    union ovsdb_atom tmp = *a;
    *a = *b;
    *b = tmp;
}

void
ovsdb_atom_destroy(union ovsdb_atom *atom, enum ovsdb_atomic_type type)
{
    if (type == OVSDB_TYPE_STRING) {
        free(atom->string);
        atom->string = NULL;
    }
}

uint32_t
ovsdb_atom_hash(const union ovsdb_atom *atom, enum ovsdb_atomic_type type,
                uint32_t basis)
{
    switch (type) {
    case OVSDB_TYPE_VOID:
        return basis;
    case OVSDB_TYPE_INTEGER:
        return hash_uint64(atom->integer, basis);
    case OVSDB_TYPE_REAL: {
        double d = atom->real == 0.0 ? 0.0 : atom->real;   /* -0 == 0 */
        return hash_bytes(&d, sizeof d, basis);
    }
    case OVSDB_TYPE_BOOLEAN:
        return hash_int(atom->boolean, basis);
    case OVSDB_TYPE_STRING:
        return hash_string(atom->string, basis);
    case OVSDB_TYPE_UUID:
        return hash_int(uuid_hash(&atom->uuid), basis);
    case OVSDB_N_TYPES:
    default:
        vs_abort(0, "bad atomic type %d", (int) type);
    }
}

int
ovsdb_atom_compare_3way(const union ovsdb_atom *a, const union ovsdb_atom *b,
                        enum ovsdb_atomic_type type)
{
    switch (type) {
    case OVSDB_TYPE_VOID:
        return 0;
    case OVSDB_TYPE_INTEGER:
        return a->integer < b->integer ? -1 : a->integer > b->integer;
    case OVSDB_TYPE_REAL:
        return a->real < b->real ? -1 : a->real > b->real;
    case OVSDB_TYPE_BOOLEAN:
        return (int) a->boolean - (int) b->boolean;
    case OVSDB_TYPE_STRING: {
        int cmp = strcmp(a->string, b->string);
        return cmp < 0 ? -1 : cmp > 0;
    }
    case OVSDB_TYPE_UUID:
        return uuid_compare_3way(&a->uuid, &b->uuid);
    case OVSDB_N_TYPES:
    default:
        vs_abort(0, "bad atomic type %d", (int) type);
    }
}

bool
ovsdb_atom_equals(const union ovsdb_atom *a, const union ovsdb_atom *b,
                  enum ovsdb_atomic_type type)
{
    return !ovsdb_atom_compare_3way(a, b, type);
}

static void
symbol_referenced(struct ovsdb_symbol *symbol,
                  const struct ovsdb_base_type *base)
{
    if (ovsdb_base_type_is_strong_ref(base)) {
        symbol->strong_ref = true;
    } else if (ovsdb_base_type_is_weak_ref(base)) {
        symbol->weak_ref = true;
    }
}

static struct ovsdb_error *
unwrap_uuid_json(const json_t *json, const char **kindp, const char **namep)
{
    if (json_is_array(json) && json_array_size(json) == 2
        && json_is_string(json_array_get(json, 0))
        && json_is_string(json_array_get(json, 1))) {
        *kindp = json_string_value(json_array_get(json, 0));
        *namep = json_string_value(json_array_get(json, 1));
        return NULL;
    }
    return ovsdb_syntax_error(json, NULL, "expected uuid "
                              "([\"uuid\", UUID] or "
                              "[\"named-uuid\", NAME])");
}

static struct ovsdb_error *
atom_from_json__(union ovsdb_atom *atom, const struct ovsdb_base_type *base,
                 const json_t *json, struct ovsdb_symbol_table *symtab)
{
    enum ovsdb_atomic_type type = base->type;

    switch (type) {
    case OVSDB_TYPE_INTEGER:
        if (json_is_integer(json)) {
            atom->integer = json_integer_value(json);
            return NULL;
        }
        break;

    case OVSDB_TYPE_REAL:
        if (json_is_number(json)) {
            atom->real = json_number_value(json);
            if (!isfinite(atom->real)) {
                return ovsdb_syntax_error(json, NULL, "real is not finite");
            }
            return NULL;
        }
        break;

    case OVSDB_TYPE_BOOLEAN:
        if (json_is_boolean(json)) {
            atom->boolean = json_is_true(json);
            return NULL;
        }
        break;

    case OVSDB_TYPE_STRING:
        if (json_is_string(json)) {
            atom->string = xstrdup(json_string_value(json));
            return NULL;
        }
        break;

    case OVSDB_TYPE_UUID: {
        const char *kind = NULL, *name = NULL;
        struct ovsdb_error *error = unwrap_uuid_json(json, &kind, &name);
        if (error) {
            return error;
        }
        if (!strcmp(kind, "uuid")) {
            if (!uuid_from_string(&atom->uuid, name)) {
                return ovsdb_syntax_error(json, NULL, "\"%s\" is not a "
                                          "valid UUID", name);
            }
            return NULL;
        } else if (!strcmp(kind, "named-uuid")) {
            if (!symtab) {
                return ovsdb_syntax_error(json, NULL, "named-uuid "
                                          "\"%s\" is not allowed here",
                                          name);
            }
            if (!ovsdb_is_valid_id(name)) {
                return ovsdb_syntax_error(json, NULL, "named-uuid \"%s\" "
                                          "is not a valid <id>", name);
            }
            struct ovsdb_symbol *symbol = ovsdb_symbol_table_insert(symtab,
                                                                    name);
            atom->uuid = symbol->uuid;
            symbol_referenced(symbol, base);
            return NULL;
        }
        return ovsdb_syntax_error(json, NULL, "expected uuid "
                                  "([\"uuid\", UUID] or "
                                  "[\"named-uuid\", NAME])");
    }

    case OVSDB_TYPE_VOID:
    case OVSDB_N_TYPES:
    default:
        return OVSDB_BUG("bad atomic type");
    }

    return ovsdb_syntax_error(json, NULL, "expected %s",
                              ovsdb_atomic_type_to_string(type));
}

struct ovsdb_error *
ovsdb_atom_from_json(union ovsdb_atom *atom,
                     const struct ovsdb_base_type *base, const json_t *json,
                     struct ovsdb_symbol_table *symtab)
{
    struct ovsdb_error *error = atom_from_json__(atom, base, json, symtab);
    if (error) {
        return error;
    }
    error = ovsdb_atom_check_constraints(atom, base);
    if (error) {
        ovsdb_atom_destroy(atom, base->type);
    }
    return error;
}

json_t *
ovsdb_atom_to_json(const union ovsdb_atom *atom, enum ovsdb_atomic_type type)
{
    switch (type) {
    case OVSDB_TYPE_INTEGER:
        return json_integer(atom->integer);
    case OVSDB_TYPE_REAL:
        return json_real(atom->real);
    case OVSDB_TYPE_BOOLEAN:
        return json_boolean(atom->boolean);
    case OVSDB_TYPE_STRING:
        return json_string(atom->string);
    case OVSDB_TYPE_UUID: {
        char buf[UUID_LEN + 1];
        uuid_format(&atom->uuid, buf);
        return json_pack("[ss]", "uuid", buf);
    }
    case OVSDB_TYPE_VOID:
    case OVSDB_N_TYPES:
    default:
        vs_abort(0, "bad atomic type %d", (int) type);
    }
}

/* Returns the number of UTF-8 characters in S (which jansson has already
 * validated as UTF-8 when it came from JSON). */
static size_t
utf8_length(const char *s)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *) s; *p; p++) {
        n += (*p & 0xc0) != 0x80;
    }
    return n;
}

static void
datum_to_string_for_message(const struct ovsdb_datum *datum,
                            enum ovsdb_atomic_type type, struct ds *s)
{
    struct ovsdb_type t;

    ovsdb_base_type_init(&t.key, type);
    ovsdb_base_type_init(&t.value, OVSDB_TYPE_VOID);
    t.n_min = 0;
    t.n_max = UINT_MAX;
    ovsdb_datum_to_string(datum, &t, s);
}

struct ovsdb_error *
ovsdb_atom_check_constraints(const union ovsdb_atom *atom,
                             const struct ovsdb_base_type *base)
{
    if (base->enum_
        && ovsdb_datum_find_key(base->enum_, atom, base->type) == UINT_MAX) {
        struct ds s = DS_EMPTY_INITIALIZER;
        struct ds allowed = DS_EMPTY_INITIALIZER;
        struct ovsdb_error *error;

        ovsdb_atom_to_string(atom, base->type, &s);
        datum_to_string_for_message(base->enum_, base->type, &allowed);
        error = ovsdb_error("constraint violation",
                            "%s is not one of the allowed values (%s)",
                            ds_cstr(&s), ds_cstr(&allowed));
        ds_destroy(&s);
        ds_destroy(&allowed);
        return error;
    }

    switch (base->type) {
    case OVSDB_TYPE_INTEGER: {
        const struct ovsdb_integer_constraints *c = &base->u.integer;
        int64_t x = atom->integer;
        if (x >= c->min && x <= c->max) {
            return NULL;
        } else if (c->min != INT64_MIN && c->max != INT64_MAX) {
            return ovsdb_error("constraint violation", "%"PRId64" is not "
                               "in the valid range %"PRId64" to %"PRId64" "
                               "(inclusive)", x, c->min, c->max);
        } else if (x < c->min) {
            return ovsdb_error("constraint violation", "%"PRId64" is less "
                               "than minimum allowed value %"PRId64,
                               x, c->min);
        } else {
            return ovsdb_error("constraint violation", "%"PRId64" is "
                               "greater than maximum allowed value "
                               "%"PRId64, x, c->max);
        }
    }

    case OVSDB_TYPE_REAL: {
        const struct ovsdb_real_constraints *c = &base->u.real;
        double x = atom->real;
        if (x >= c->min && x <= c->max) {
            return NULL;
        } else if (c->min != -DBL_MAX && c->max != DBL_MAX) {
            return ovsdb_error("constraint violation", "%.*g is not in the "
                               "valid range %.*g to %.*g (inclusive)",
                               DBL_DIG, x, DBL_DIG, c->min, DBL_DIG, c->max);
        } else if (x < c->min) {
            return ovsdb_error("constraint violation", "%.*g is less than "
                               "minimum allowed value %.*g",
                               DBL_DIG, x, DBL_DIG, c->min);
        } else {
            return ovsdb_error("constraint violation", "%.*g is greater "
                               "than maximum allowed value %.*g",
                               DBL_DIG, x, DBL_DIG, c->max);
        }
    }

    case OVSDB_TYPE_STRING: {
        const struct ovsdb_string_constraints *c = &base->u.string;
        if (c->min_len == 0 && c->max_len == UINT_MAX) {
            return NULL;
        }
        size_t n = utf8_length(atom->string);
        if (n < c->min_len) {
            return ovsdb_error("constraint violation", "\"%s\" length %zu "
                               "is less than minimum allowed length %u",
                               atom->string, n, c->min_len);
        } else if (n > c->max_len) {
            return ovsdb_error("constraint violation", "\"%s\" length %zu "
                               "is greater than maximum allowed length %u",
                               atom->string, n, c->max_len);
        }
        return NULL;
    }

    case OVSDB_TYPE_VOID:
    case OVSDB_TYPE_BOOLEAN:
    case OVSDB_TYPE_UUID:
    case OVSDB_N_TYPES:
    default:
        return NULL;
    }
}

/* Command-line syntax for atoms. */

static bool
string_needs_quotes(const char *s)
{
    const unsigned char *p = (const unsigned char *) s;
    struct uuid uuid;

    if (!isalpha(*p) && *p != '_') {
        return true;
    }
    for (p++; *p; p++) {
        if (!isalnum(*p) && *p != '_' && *p != '-' && *p != '.') {
            return true;
        }
    }
    return (!strcmp(s, "true") || !strcmp(s, "false")
            || uuid_from_string(&uuid, s));
}

static void
put_quoted_string(const char *s, struct ds *out)
{
    json_t *json = json_string(s);
    char *q = json_dumps(json, JSON_ENCODE_ANY);
    ds_put_cstr(out, q);
    free(q);
    json_decref(json);
}

/* Parses a double-quoted JSON-style string S in its entirety.  Returns
 * NULL and stores a new string in *OUT, or an error message. */
static char *
parse_quoted_string(const char *s, char **out)
{
    json_error_t jerr;
    json_t *json = json_loads(s, JSON_DECODE_ANY, &jerr);
    if (!json || !json_is_string(json)) {
        json_decref(json);
        return xasprintf("%s: invalid quoted string", s);
    }
    *out = xstrdup(json_string_value(json));
    json_decref(json);
    return NULL;
}

char *
ovsdb_atom_from_string(union ovsdb_atom *atom,
                       const struct ovsdb_base_type *base, const char *s,
                       struct ovsdb_symbol_table *symtab)
{
    enum ovsdb_atomic_type type = base->type;
    struct ovsdb_error *error;
    char *msg;

    switch (type) {
    case OVSDB_TYPE_INTEGER: {
        long long int x;
        if (!str_to_llong(s, &x)) {
            return xasprintf("\"%s\" is not a valid integer", s);
        }
        atom->integer = x;
        break;
    }

    case OVSDB_TYPE_REAL:
        if (!str_to_double(s, &atom->real) || !isfinite(atom->real)) {
            return xasprintf("\"%s\" is not a valid real number", s);
        }
        if (atom->real == 0.0) {
            atom->real = 0.0;   /* Normalize -0.0. */
        }
        break;

    case OVSDB_TYPE_BOOLEAN:
        if (!strcmp(s, "true")) {
            atom->boolean = true;
        } else if (!strcmp(s, "false")) {
            atom->boolean = false;
        } else {
            return xasprintf("\"%s\" is not a valid boolean (use \"true\" "
                             "or \"false\")", s);
        }
        break;

    case OVSDB_TYPE_STRING:
        if (*s == '"') {
            msg = parse_quoted_string(s, &atom->string);
            if (msg) {
                return msg;
            }
        } else {
            atom->string = xstrdup(s);
        }
        break;

    case OVSDB_TYPE_UUID:
        if (*s == '@') {
            if (!symtab) {
                return xasprintf("\"%s\": named uuids are not allowed here",
                                 s);
            }
            struct ovsdb_symbol *symbol = ovsdb_symbol_table_insert(symtab,
                                                                    s);
            atom->uuid = symbol->uuid;
            symbol_referenced(symbol, base);
        } else if (!uuid_from_string(&atom->uuid, s)) {
            return xasprintf("\"%s\" is not a valid UUID", s);
        }
        break;

    case OVSDB_TYPE_VOID:
    case OVSDB_N_TYPES:
    default:
        vs_abort(0, "bad atomic type %d", (int) type);
    }

    error = ovsdb_atom_check_constraints(atom, base);
    if (error) {
        ovsdb_atom_destroy(atom, type);
        msg = xstrdup(error->details ? error->details : error->tag);
        ovsdb_error_destroy(error);
        return msg;
    }
    return NULL;
}

void
ovsdb_atom_to_string(const union ovsdb_atom *atom,
                     enum ovsdb_atomic_type type, struct ds *out)
{
    switch (type) {
    case OVSDB_TYPE_INTEGER:
        ds_put_format(out, "%"PRId64, atom->integer);
        break;
    case OVSDB_TYPE_REAL:
        ds_put_format(out, "%.*g", DBL_DIG, atom->real);
        break;
    case OVSDB_TYPE_BOOLEAN:
        ds_put_cstr(out, atom->boolean ? "true" : "false");
        break;
    case OVSDB_TYPE_STRING:
        if (string_needs_quotes(atom->string)) {
            put_quoted_string(atom->string, out);
        } else {
            ds_put_cstr(out, atom->string);
        }
        break;
    case OVSDB_TYPE_UUID:
        ds_put_format(out, UUID_FMT, UUID_ARGS(&atom->uuid));
        break;
    case OVSDB_TYPE_VOID:
    case OVSDB_N_TYPES:
    default:
        vs_abort(0, "bad atomic type %d", (int) type);
    }
}

void
ovsdb_atom_to_bare(const union ovsdb_atom *atom,
                   enum ovsdb_atomic_type type, struct ds *out)
{
    if (type == OVSDB_TYPE_STRING) {
        ds_put_cstr(out, atom->string);
    } else {
        ovsdb_atom_to_string(atom, type, out);
    }
}

/* Data. */

static struct ovsdb_datum default_data[OVSDB_N_TYPES][OVSDB_N_TYPES];

VS_CONSTRUCTOR(init_default_data)
{
    for (int k = 0; k < OVSDB_N_TYPES; k++) {
        for (int v = 0; v < OVSDB_N_TYPES; v++) {
            struct ovsdb_datum *d = &default_data[k][v];
            d->n = 1;
            d->keys = &default_atoms[k];
            d->values = v == OVSDB_TYPE_VOID ? NULL : &default_atoms[v];
        }
    }
}

void
ovsdb_datum_init_empty(struct ovsdb_datum *datum)
{
    datum->n = 0;
    datum->keys = NULL;
    datum->values = NULL;
}

void
ovsdb_datum_init_default(struct ovsdb_datum *datum,
                         const struct ovsdb_type *type)
{
    ovsdb_datum_init_empty(datum);
    if (type->n_min) {
        datum->n = 1;
        datum->keys = xmalloc(sizeof *datum->keys);
        ovsdb_atom_init_default(&datum->keys[0], type->key.type);
        if (type->value.type != OVSDB_TYPE_VOID) {
            datum->values = xmalloc(sizeof *datum->values);
            ovsdb_atom_init_default(&datum->values[0], type->value.type);
        }
    }
}

bool
ovsdb_datum_is_default(const struct ovsdb_datum *datum,
                       const struct ovsdb_type *type)
{
    if (!type->n_min) {
        return datum->n == 0;
    }
    return (datum->n == 1
            && ovsdb_atom_is_default(&datum->keys[0], type->key.type)
            && (type->value.type == OVSDB_TYPE_VOID
                || ovsdb_atom_is_default(&datum->values[0],
                                         type->value.type)));
}

const struct ovsdb_datum *
ovsdb_datum_default(const struct ovsdb_type *type)
{
    static const struct ovsdb_datum empty = OVSDB_DATUM_EMPTY_INITIALIZER;

    if (!type->n_min) {
        return &empty;
    }
    vs_assert(ovsdb_atomic_type_is_valid(type->key.type)
              && ovsdb_atomic_type_is_valid(type->value.type));
    return &default_data[type->key.type][type->value.type];
}

static bool
type_is_map(const struct ovsdb_type *type)
{
    return type->value.type != OVSDB_TYPE_VOID;
}

void
ovsdb_datum_init_single(struct ovsdb_datum *datum,
                        const union ovsdb_atom *key,
                        const union ovsdb_atom *value,
                        const struct ovsdb_type *type)
{
    datum->n = 1;
    datum->keys = xmalloc(sizeof *datum->keys);
    ovsdb_atom_clone(&datum->keys[0], key, type->key.type);
    if (type_is_map(type)) {
        datum->values = xmalloc(sizeof *datum->values);
        ovsdb_atom_clone(&datum->values[0], value, type->value.type);
    } else {
        datum->values = NULL;
    }
}

static union ovsdb_atom *
clone_atoms(const union ovsdb_atom *old, enum ovsdb_atomic_type type,
            unsigned int n)
{
    if (type == OVSDB_TYPE_VOID || !old || !n) {
        return NULL;
    }
    union ovsdb_atom *new = xmalloc(n * sizeof *new);
    if (type == OVSDB_TYPE_STRING) {
        for (unsigned int i = 0; i < n; i++) {
            new[i].string = xstrdup(old[i].string);
        }
    } else {
        memcpy(new, old, n * sizeof *new);
    }
    return new;
}

void
ovsdb_datum_clone(struct ovsdb_datum *new, const struct ovsdb_datum *old,
                  const struct ovsdb_type *type)
{
    unsigned int n = old->n;
    new->n = n;
    new->keys = clone_atoms(old->keys, type->key.type, n);
    new->values = clone_atoms(old->values, type->value.type, n);
}

static void
free_atoms(union ovsdb_atom *atoms, enum ovsdb_atomic_type type,
           unsigned int n)
{
    if (atoms && type == OVSDB_TYPE_STRING) {
        for (unsigned int i = 0; i < n; i++) {
            free(atoms[i].string);
        }
    }
    free(atoms);
}

void
ovsdb_datum_destroy(struct ovsdb_datum *datum, const struct ovsdb_type *type)
{
    free_atoms(datum->keys, type->key.type, datum->n);
    free_atoms(datum->values, type->value.type, datum->n);
    datum->keys = datum->values = NULL;
    datum->n = 0;
}

void
ovsdb_datum_swap(struct ovsdb_datum *a, struct ovsdb_datum *b)
{
    struct ovsdb_datum tmp = *a;
    *a = *b;
    *b = tmp;
}

/* Sorting. */

struct sort_aux {
    const struct ovsdb_datum *datum;
    enum ovsdb_atomic_type key_type;
};

static int
compare_indexes(const void *a_, const void *b_, void *aux_)
{
    const unsigned int *a = a_, *b = b_;
    const struct sort_aux *aux = aux_;
    int cmp = ovsdb_atom_compare_3way(&aux->datum->keys[*a],
                                      &aux->datum->keys[*b], aux->key_type);
    /* Ties broken by position: a stable sort. */
    return cmp ? cmp : (*a < *b ? -1 : *a > *b);
}

/* Stable-sorts DATUM's elements by key. */
static void
datum_sort__(struct ovsdb_datum *datum, const struct ovsdb_type *type)
{
    unsigned int n = datum->n;
    if (n < 2) {
        return;
    }

    unsigned int *idx = xmalloc(n * sizeof *idx);
    for (unsigned int i = 0; i < n; i++) {
        idx[i] = i;
    }
    struct sort_aux aux = { datum, type->key.type };
    qsort_r(idx, n, sizeof *idx, compare_indexes, &aux);

    union ovsdb_atom *keys = xmalloc(n * sizeof *keys);
    union ovsdb_atom *values = datum->values
                               ? xmalloc(n * sizeof *values) : NULL;
    for (unsigned int i = 0; i < n; i++) {
        keys[i] = datum->keys[idx[i]];
        if (values) {
            values[i] = datum->values[idx[i]];
        }
    }
    free(datum->keys);
    free(datum->values);
    datum->keys = keys;
    datum->values = values;
    free(idx);
}

struct ovsdb_error *
ovsdb_datum_sort(struct ovsdb_datum *datum, const struct ovsdb_type *type)
{
    datum_sort__(datum, type);
    for (unsigned int i = 1; i < datum->n; i++) {
        if (ovsdb_atom_equals(&datum->keys[i - 1], &datum->keys[i],
                              type->key.type)) {
            struct ds s = DS_EMPTY_INITIALIZER;
            struct ovsdb_error *error;

            ovsdb_atom_to_string(&datum->keys[i], type->key.type, &s);
            error = ovsdb_error("constraint violation",
                                type_is_map(type)
                                ? "map contains duplicate key %s"
                                : "set contains duplicate value %s",
                                ds_cstr(&s));
            ds_destroy(&s);
            return error;
        }
    }
    return NULL;
}

void
ovsdb_datum_sort_assert(struct ovsdb_datum *datum,
                        const struct ovsdb_type *type)
{
    struct ovsdb_error *error = ovsdb_datum_sort(datum, type);
    if (error) {
        vs_abort(0, "ovsdb_datum_sort_assert: %s", error->details);
    }
}

unsigned int
ovsdb_datum_sort_unique(struct ovsdb_datum *datum,
                        const struct ovsdb_type *type)
{
    unsigned int dst, src;

    datum_sort__(datum, type);
    if (datum->n < 2) {
        return datum->n;
    }
    for (dst = 1, src = 1; src < datum->n; src++) {
        if (ovsdb_atom_equals(&datum->keys[src], &datum->keys[dst - 1],
                              type->key.type)) {
            ovsdb_atom_destroy(&datum->keys[src], type->key.type);
            if (datum->values) {
                ovsdb_atom_destroy(&datum->values[src], type->value.type);
            }
        } else {
            if (src != dst) {
                datum->keys[dst] = datum->keys[src];
                if (datum->values) {
                    datum->values[dst] = datum->values[src];
                }
            }
            dst++;
        }
    }
    datum->n = dst;
    return dst;
}

static struct ovsdb_error *
check_size(unsigned int n, const struct ovsdb_type *type)
{
    if (n >= type->n_min && n <= type->n_max) {
        return NULL;
    }
    const char *what = type_is_map(type) ? "map" : "set";
    if (type->n_max == UINT_MAX) {
        return ovsdb_error("constraint violation", "%s must have at least "
                           "%u elements but %u are present",
                           what, type->n_min, n);
    }
    return ovsdb_error("constraint violation", "%s must have %u to %u "
                       "elements but %u are present",
                       what, type->n_min, type->n_max, n);
}

struct ovsdb_error *
ovsdb_datum_check_constraints(const struct ovsdb_datum *datum,
                              const struct ovsdb_type *type)
{
    struct ovsdb_error *error;

    for (unsigned int i = 0; i < datum->n; i++) {
        error = ovsdb_atom_check_constraints(&datum->keys[i], &type->key);
        if (!error && datum->values) {
            error = ovsdb_atom_check_constraints(&datum->values[i],
                                                 &type->value);
        }
        if (error) {
            return error;
        }
    }
    return check_size(datum->n, type);
}

/* JSON. */

static struct ovsdb_error *
parse_elements(struct ovsdb_datum *datum, const struct ovsdb_type *type,
               const json_t *elems, bool is_map,
               struct ovsdb_symbol_table *symtab)
{
    size_t n = json_array_size(elems);
    struct ovsdb_error *error;

    if (n < type->n_min || n > type->n_max) {
        const char *what = is_map ? "map" : "set";
        if (type->n_max == UINT_MAX) {
            return ovsdb_syntax_error(elems, NULL, "%s must have at least "
                                      "%u elements but %zu are present",
                                      what, type->n_min, n);
        }
        return ovsdb_syntax_error(elems, NULL, "%s must have %u to %u "
                                  "elements but %zu are present",
                                  what, type->n_min, type->n_max, n);
    }

    datum->keys = n ? xmalloc(n * sizeof *datum->keys) : NULL;
    datum->values = is_map && n ? xmalloc(n * sizeof *datum->values) : NULL;
    for (size_t i = 0; i < n; i++) {
        const json_t *elem = json_array_get(elems, i);
        const json_t *key = elem;
        const json_t *value = NULL;

        if (is_map) {
            if (!json_is_array(elem) || json_array_size(elem) != 2) {
                error = ovsdb_syntax_error(elem, NULL, "expected 2-element "
                                           "array as map pair");
                goto error;
            }
            key = json_array_get(elem, 0);
            value = json_array_get(elem, 1);
        }

        error = ovsdb_atom_from_json(&datum->keys[i], &type->key, key,
                                     symtab);
        if (error) {
            goto error;
        }
        if (is_map) {
            error = ovsdb_atom_from_json(&datum->values[i], &type->value,
                                         value, symtab);
            if (error) {
                ovsdb_atom_destroy(&datum->keys[i], type->key.type);
                goto error;
            }
        }
        datum->n++;
    }

    return ovsdb_datum_sort(datum, type);

error:
    return error;
}

struct ovsdb_error *
ovsdb_datum_from_json(struct ovsdb_datum *datum,
                      const struct ovsdb_type *type, const json_t *json,
                      struct ovsdb_symbol_table *symtab)
{
    struct ovsdb_error *error;

    ovsdb_datum_init_empty(datum);
    if (type_is_map(type)) {
        if (!json_is_array(json) || json_array_size(json) != 2
            || !json_is_string(json_array_get(json, 0))
            || strcmp(json_string_value(json_array_get(json, 0)), "map")
            || !json_is_array(json_array_get(json, 1))) {
            return ovsdb_syntax_error(json, NULL, "expected map "
                                      "([\"map\", [[KEY, VALUE], ...]])");
        }
        error = parse_elements(datum, type, json_array_get(json, 1), true,
                               symtab);
    } else if (json_is_array(json) && json_array_size(json) == 2
               && json_is_string(json_array_get(json, 0))
               && !strcmp(json_string_value(json_array_get(json, 0)),
                          "set")) {
        const json_t *elems = json_array_get(json, 1);
        if (!json_is_array(elems)) {
            return ovsdb_syntax_error(json, NULL, "expected set "
                                      "([\"set\", [ATOM, ...]])");
        }
        error = parse_elements(datum, type, elems, false, symtab);
    } else {
        datum->keys = xmalloc(sizeof *datum->keys);
        error = ovsdb_atom_from_json(&datum->keys[0], &type->key, json,
                                     symtab);
        if (error) {
            free(datum->keys);
            datum->keys = NULL;
        } else {
            datum->n = 1;
        }
    }

    if (error) {
        ovsdb_datum_destroy(datum, type);
    }
    return error;
}

json_t *
ovsdb_datum_to_json(const struct ovsdb_datum *datum,
                    const struct ovsdb_type *type)
{
    if (type_is_map(type)) {
        json_t *pairs = json_array();
        for (unsigned int i = 0; i < datum->n; i++) {
            json_t *pair = json_array();
            json_array_append_new(pair, ovsdb_atom_to_json(&datum->keys[i],
                                                           type->key.type));
            json_array_append_new(pair, ovsdb_atom_to_json(
                                      &datum->values[i], type->value.type));
            json_array_append_new(pairs, pair);
        }
        return json_pack("[so]", "map", pairs);
    } else if (datum->n == 1) {
        return ovsdb_atom_to_json(&datum->keys[0], type->key.type);
    } else {
        json_t *elems = json_array();
        for (unsigned int i = 0; i < datum->n; i++) {
            json_array_append_new(elems, ovsdb_atom_to_json(
                                      &datum->keys[i], type->key.type));
        }
        return json_pack("[so]", "set", elems);
    }
}

/* Command-line syntax for data. */

static const char *
skip_spaces(const char *p)
{
    while (isspace((unsigned char) *p)) {
        p++;
    }
    return p;
}

/* Extracts one atom token starting at *PP, which is either a quoted string
 * (kept with its quotes) or a run of characters not in DELIMITERS (with
 * trailing spaces trimmed).  Advances *PP past it.  Returns NULL and stores
 * the token in *TOKENP, or an error message. */
static char *
next_token(const char **pp, const char *delimiters, char **tokenp)
{
    const char *p = skip_spaces(*pp);
    const char *start = p;

    if (*p == '"') {
        for (p++; *p != '"'; p++) {
            if (*p == '\\' && p[1]) {
                p++;
            } else if (*p == '\0') {
                return xasprintf("%s: missing quote at end of quoted "
                                 "string", start);
            }
        }
        p++;
        *tokenp = xmemdup0(start, p - start);
    } else {
        size_t n = strcspn(p, delimiters);
        const char *end = p + n;
        while (end > p && isspace((unsigned char) end[-1])) {
            end--;
        }
        *tokenp = xmemdup0(p, end - p);
        p += n;
    }
    *pp = p;
    return NULL;
}

static char *
parse_atom_token(const char **pp, const char *delimiters,
                 const struct ovsdb_base_type *base, union ovsdb_atom *atom,
                 struct ovsdb_symbol_table *symtab)
{
    char *token, *msg;

    msg = next_token(pp, delimiters, &token);
    if (!msg) {
        msg = ovsdb_atom_from_string(atom, base, token, symtab);
        free(token);
    }
    return msg;
}

char *
ovsdb_datum_from_string(struct ovsdb_datum *datum,
                        const struct ovsdb_type *type, const char *s,
                        struct ovsdb_symbol_table *symtab)
{
    bool is_map = type_is_map(type);
    const char *p, *end_delim = NULL;
    union ovsdb_atom key, value;
    char *msg = NULL;

    ovsdb_datum_init_empty(datum);

    if (ovsdb_type_is_scalar(type)) {
        msg = ovsdb_atom_from_string(&key, &type->key, s, symtab);
        if (!msg) {
            datum->n = 1;
            datum->keys = xmemdup(&key, sizeof key);
        }
        return msg;
    }

    p = skip_spaces(s);
    if (*p == '[' && !is_map) {
        end_delim = "]";
        p++;
    } else if (*p == '{') {
        end_delim = "}";
        p++;
    }

    for (;;) {
        p = skip_spaces(p);
        if (*p == '\0' || (end_delim && *p == *end_delim)) {
            break;
        }
        if (datum->n) {
            if (*p != ',') {
                msg = xasprintf("%s: syntax error at \"%s\" (expected "
                                "\",\")", s, p);
                goto error;
            }
            p = skip_spaces(p + 1);
        }

        msg = parse_atom_token(&p, is_map ? "=,]}" : ",]}", &type->key,
                               &key, symtab);
        if (msg) {
            goto error;
        }
        if (is_map) {
            p = skip_spaces(p);
            if (*p != '=') {
                ovsdb_atom_destroy(&key, type->key.type);
                msg = xasprintf("%s: syntax error at \"%s\" (expected "
                                "\"=\")", s, p);
                goto error;
            }
            p++;
            msg = parse_atom_token(&p, ",]}", &type->value, &value, symtab);
            if (msg) {
                ovsdb_atom_destroy(&key, type->key.type);
                goto error;
            }
        }
        ovsdb_datum_add_unsafe(datum, &key, is_map ? &value : NULL, type);
        ovsdb_atom_destroy(&key, type->key.type);
        if (is_map) {
            ovsdb_atom_destroy(&value, type->value.type);
        }
    }

    if (end_delim) {
        if (*p != *end_delim) {
            msg = xasprintf("%s: missing \"%s\" at end of data", s,
                            end_delim);
            goto error;
        }
        p = skip_spaces(p + 1);
    }
    if (*p) {
        msg = xasprintf("%s: trailing garbage after data", s);
        goto error;
    }

    struct ovsdb_error *error = ovsdb_datum_sort(datum, type);
    if (!error) {
        error = check_size(datum->n, type);
    }
    if (error) {
        msg = xstrdup(error->details);
        ovsdb_error_destroy(error);
        goto error;
    }
    return NULL;

error:
    ovsdb_datum_destroy(datum, type);
    return msg;
}

void
ovsdb_datum_to_string(const struct ovsdb_datum *datum,
                      const struct ovsdb_type *type, struct ds *out)
{
    bool is_map = type_is_map(type);

    if (type->n_max == 1 && datum->n == 1 && !is_map) {
        ovsdb_atom_to_string(&datum->keys[0], type->key.type, out);
        return;
    }

    ds_put_char(out, is_map ? '{' : '[');
    for (unsigned int i = 0; i < datum->n; i++) {
        if (i) {
            ds_put_cstr(out, ", ");
        }
        ovsdb_atom_to_string(&datum->keys[i], type->key.type, out);
        if (is_map) {
            ds_put_char(out, '=');
            ovsdb_atom_to_string(&datum->values[i], type->value.type, out);
        }
    }
    ds_put_char(out, is_map ? '}' : ']');
}

void
ovsdb_datum_to_bare(const struct ovsdb_datum *datum,
                    const struct ovsdb_type *type, struct ds *out)
{
    for (unsigned int i = 0; i < datum->n; i++) {
        if (i) {
            ds_put_char(out, ' ');
        }
        ovsdb_atom_to_bare(&datum->keys[i], type->key.type, out);
        if (datum->values) {
            ds_put_char(out, '=');
            ovsdb_atom_to_bare(&datum->values[i], type->value.type, out);
        }
    }
}

/* Comparisons. */

uint32_t
ovsdb_datum_hash(const struct ovsdb_datum *datum,
                 const struct ovsdb_type *type, uint32_t basis)
{
    uint32_t hash = hash_int(datum->n, basis);
    for (unsigned int i = 0; i < datum->n; i++) {
        hash = ovsdb_atom_hash(&datum->keys[i], type->key.type, hash);
        if (datum->values) {
            hash = ovsdb_atom_hash(&datum->values[i], type->value.type,
                                   hash);
        }
    }
    return hash;
}

int
ovsdb_datum_compare_3way(const struct ovsdb_datum *a,
                         const struct ovsdb_datum *b,
                         const struct ovsdb_type *type)
{
    if (a->n != b->n) {
        return a->n < b->n ? -1 : 1;
    }
    for (unsigned int i = 0; i < a->n; i++) {
        int cmp = ovsdb_atom_compare_3way(&a->keys[i], &b->keys[i],
                                          type->key.type);
        if (cmp) {
            return cmp;
        }
    }
    if (type_is_map(type)) {
        for (unsigned int i = 0; i < a->n; i++) {
            int cmp = ovsdb_atom_compare_3way(&a->values[i], &b->values[i],
                                              type->value.type);
            if (cmp) {
                return cmp;
            }
        }
    }
    return 0;
}

bool
ovsdb_datum_equals(const struct ovsdb_datum *a, const struct ovsdb_datum *b,
                   const struct ovsdb_type *type)
{
    return !ovsdb_datum_compare_3way(a, b, type);
}

/* Searches the sorted keys [LOW, HIGH) of DATUM for KEY. */
static unsigned int
find_key_in_range(const struct ovsdb_datum *datum,
                  const union ovsdb_atom *key,
                  enum ovsdb_atomic_type key_type,
                  unsigned int low, unsigned int high)
{
    while (low < high) {
        unsigned int mid = low + (high - low) / 2;
        int cmp = ovsdb_atom_compare_3way(key, &datum->keys[mid], key_type);
        if (cmp < 0) {
            high = mid;
        } else if (cmp > 0) {
            low = mid + 1;
        } else {
            return mid;
        }
    }
    return UINT_MAX;
}

unsigned int
ovsdb_datum_find_key(const struct ovsdb_datum *datum,
                     const union ovsdb_atom *key,
                     enum ovsdb_atomic_type key_type)
{
    return find_key_in_range(datum, key, key_type, 0, datum->n);
}

unsigned int
ovsdb_datum_find_key_value(const struct ovsdb_datum *datum,
                           const union ovsdb_atom *key,
                           enum ovsdb_atomic_type key_type,
                           const union ovsdb_atom *value,
                           enum ovsdb_atomic_type value_type)
{
    unsigned int idx = ovsdb_datum_find_key(datum, key, key_type);
    if (idx != UINT_MAX && value_type != OVSDB_TYPE_VOID
        && datum->values
        && !ovsdb_atom_equals(&datum->values[idx], value, value_type)) {
        idx = UINT_MAX;
    }
    return idx;
}

/* Returns true if element I of A (key, and value if A is a map) is in B. */
static bool
element_in(const struct ovsdb_datum *a, unsigned int i,
           const struct ovsdb_datum *b, const struct ovsdb_type *type)
{
    return ovsdb_datum_find_key_value(b, &a->keys[i], type->key.type,
                                      a->values ? &a->values[i] : NULL,
                                      a->values ? type->value.type
                                      : OVSDB_TYPE_VOID) != UINT_MAX;
}

bool
ovsdb_datum_includes_all(const struct ovsdb_datum *a,
                         const struct ovsdb_datum *b,
                         const struct ovsdb_type *type)
{
    if (a->n > b->n) {
        return false;
    }
    for (unsigned int i = 0; i < a->n; i++) {
        if (!element_in(a, i, b, type)) {
            return false;
        }
    }
    return true;
}

bool
ovsdb_datum_excludes_all(const struct ovsdb_datum *a,
                         const struct ovsdb_datum *b,
                         const struct ovsdb_type *type)
{
    for (unsigned int i = 0; i < a->n; i++) {
        if (element_in(a, i, b, type)) {
            return false;
        }
    }
    return true;
}

static void
datum_reserve(struct ovsdb_datum *datum, unsigned int n,
              const struct ovsdb_type *type)
{
    datum->keys = xrealloc(datum->keys, n * sizeof *datum->keys);
    if (type_is_map(type)) {
        datum->values = xrealloc(datum->values, n * sizeof *datum->values);
    }
}

void
ovsdb_datum_add_unsafe(struct ovsdb_datum *datum,
                       const union ovsdb_atom *key,
                       const union ovsdb_atom *value,
                       const struct ovsdb_type *type)
{
    unsigned int idx = datum->n;

    datum_reserve(datum, idx + 1, type);
    ovsdb_atom_clone(&datum->keys[idx], key, type->key.type);
    if (type_is_map(type)) {
        ovsdb_atom_clone(&datum->values[idx], value, type->value.type);
    }
    datum->n++;
}

void
ovsdb_datum_remove_unsafe(struct ovsdb_datum *datum, unsigned int idx,
                          const struct ovsdb_type *type)
{
    vs_assert(idx < datum->n);
    ovsdb_atom_destroy(&datum->keys[idx], type->key.type);
    datum->keys[idx] = datum->keys[datum->n - 1];
    if (datum->values) {
        ovsdb_atom_destroy(&datum->values[idx], type->value.type);
        datum->values[idx] = datum->values[datum->n - 1];
    }
    datum->n--;
    if (!datum->n) {
        free(datum->keys);
        free(datum->values);
        datum->keys = datum->values = NULL;
    }
}

void
ovsdb_datum_union(struct ovsdb_datum *a, const struct ovsdb_datum *b,
                  const struct ovsdb_type *type, bool replace)
{
    unsigned int n_orig = a->n;
    bool added = false;

    for (unsigned int i = 0; i < b->n; i++) {
        unsigned int idx = find_key_in_range(a, &b->keys[i], type->key.type,
                                             0, n_orig);
        if (idx == UINT_MAX) {
            ovsdb_datum_add_unsafe(a, &b->keys[i],
                                   b->values ? &b->values[i] : NULL, type);
            added = true;
        } else if (replace && type_is_map(type)) {
            ovsdb_atom_destroy(&a->values[idx], type->value.type);
            ovsdb_atom_clone(&a->values[idx], &b->values[i],
                             type->value.type);
        }
    }
    if (added) {
        ovsdb_datum_sort_assert(a, type);
    }
}

void
ovsdb_datum_subtract(struct ovsdb_datum *a, const struct ovsdb_type *a_type,
                     const struct ovsdb_datum *b,
                     const struct ovsdb_type *b_type)
{
    bool pairs = type_is_map(a_type) && type_is_map(b_type);
    unsigned int dst = 0;

    for (unsigned int i = 0; i < a->n; i++) {
        unsigned int idx = pairs
            ? ovsdb_datum_find_key_value(b, &a->keys[i], a_type->key.type,
                                         &a->values[i], a_type->value.type)
            : ovsdb_datum_find_key(b, &a->keys[i], a_type->key.type);
        if (idx != UINT_MAX) {
            ovsdb_atom_destroy(&a->keys[i], a_type->key.type);
            if (a->values) {
                ovsdb_atom_destroy(&a->values[i], a_type->value.type);
            }
        } else {
            a->keys[dst] = a->keys[i];
            if (a->values) {
                a->values[dst] = a->values[i];
            }
            dst++;
        }
    }
    a->n = dst;
    if (!dst) {
        free(a->keys);
        free(a->values);
        a->keys = a->values = NULL;
    }
}

/* Diffs. */

static bool
diff_is_replacement(const struct ovsdb_type *type)
{
    return !ovsdb_type_is_composite(type);    /* n_max == 1 */
}

void
ovsdb_datum_diff_type(struct ovsdb_type *diff_type,
                      const struct ovsdb_type *type)
{
    ovsdb_type_clone(diff_type, type);
    if (!diff_is_replacement(type)) {
        diff_type->n_min = 0;
        diff_type->n_max = UINT_MAX;
    }
}

void
ovsdb_datum_diff(struct ovsdb_datum *diff, const struct ovsdb_datum *old,
                 const struct ovsdb_datum *new, const struct ovsdb_type *type)
{
    enum ovsdb_atomic_type kt = type->key.type, vt = type->value.type;
    bool is_map = type_is_map(type);
    unsigned int i = 0, j = 0;

    ovsdb_datum_init_empty(diff);
    if (diff_is_replacement(type)) {
        ovsdb_datum_clone(diff, new, type);
        return;
    }

    /* Merge the two sorted key sequences. */
    while (i < old->n || j < new->n) {
        int cmp = (i >= old->n ? 1
                   : j >= new->n ? -1
                   : ovsdb_atom_compare_3way(&old->keys[i], &new->keys[j],
                                             kt));
        if (cmp < 0) {
            ovsdb_datum_add_unsafe(diff, &old->keys[i],
                                   is_map ? &old->values[i] : NULL, type);
            i++;
        } else if (cmp > 0) {
            ovsdb_datum_add_unsafe(diff, &new->keys[j],
                                   is_map ? &new->values[j] : NULL, type);
            j++;
        } else {
            if (is_map && !ovsdb_atom_equals(&old->values[i],
                                             &new->values[j], vt)) {
                ovsdb_datum_add_unsafe(diff, &new->keys[j], &new->values[j],
                                       type);
            }
            i++;
            j++;
        }
    }
    /* Added in key order, so already sorted. */
}

struct ovsdb_error *
ovsdb_datum_apply_diff(struct ovsdb_datum *new,
                       const struct ovsdb_datum *old,
                       const struct ovsdb_datum *diff,
                       const struct ovsdb_type *type)
{
    enum ovsdb_atomic_type kt = type->key.type, vt = type->value.type;
    bool is_map = type_is_map(type);
    unsigned int i = 0, j = 0;

    ovsdb_datum_init_empty(new);
    if (diff_is_replacement(type)) {
        ovsdb_datum_clone(new, diff, type);
    } else {
        while (i < old->n || j < diff->n) {
            int cmp = (i >= old->n ? 1
                       : j >= diff->n ? -1
                       : ovsdb_atom_compare_3way(&old->keys[i],
                                                 &diff->keys[j], kt));
            if (cmp < 0) {
                ovsdb_datum_add_unsafe(new, &old->keys[i],
                                       is_map ? &old->values[i] : NULL,
                                       type);
                i++;
            } else if (cmp > 0) {
                ovsdb_datum_add_unsafe(new, &diff->keys[j],
                                       is_map ? &diff->values[j] : NULL,
                                       type);
                j++;
            } else {
                /* In both: a removal, unless a map value changes. */
                if (is_map && !ovsdb_atom_equals(&old->values[i],
                                                 &diff->values[j], vt)) {
                    ovsdb_datum_add_unsafe(new, &diff->keys[j],
                                           &diff->values[j], type);
                }
                i++;
                j++;
            }
        }
    }

    struct ovsdb_error *error = check_size(new->n, type);
    if (error) {
        ovsdb_datum_destroy(new, type);
    }
    return error;
}

struct ovsdb_error *
ovsdb_datum_apply_diff_in_place(struct ovsdb_datum *datum,
                                const struct ovsdb_datum *diff,
                                const struct ovsdb_type *type)
{
    struct ovsdb_datum new;
    struct ovsdb_error *error = ovsdb_datum_apply_diff(&new, datum, diff,
                                                       type);
    if (!error) {
        ovsdb_datum_destroy(datum, type);
        *datum = new;
    }
    return error;
}

/* Symbol tables. */

struct ovsdb_symbol_table *
ovsdb_symbol_table_create(void)
{
    struct ovsdb_symbol_table *symtab = xmalloc(sizeof *symtab);
    shash_init(&symtab->sh);
    return symtab;
}

void
ovsdb_symbol_table_destroy(struct ovsdb_symbol_table *symtab)
{
    if (symtab) {
        shash_destroy_free_data(&symtab->sh);
        free(symtab);
    }
}

struct ovsdb_symbol *
ovsdb_symbol_table_get(const struct ovsdb_symbol_table *symtab,
                       const char *name)
{
    return shash_find_data(&symtab->sh, name);
}

struct ovsdb_symbol *
ovsdb_symbol_table_put(struct ovsdb_symbol_table *symtab, const char *name,
                       const struct uuid *uuid, bool created)
{
    struct ovsdb_symbol *symbol = xzalloc(sizeof *symbol);

    vs_assert(!ovsdb_symbol_table_get(symtab, name));
    symbol->uuid = *uuid;
    symbol->created = created;
    shash_add(&symtab->sh, name, symbol);
    return symbol;
}

struct ovsdb_symbol *
ovsdb_symbol_table_insert(struct ovsdb_symbol_table *symtab,
                          const char *name)
{
    struct ovsdb_symbol *symbol = ovsdb_symbol_table_get(symtab, name);
    if (!symbol) {
        struct uuid uuid;
        uuid_random(&uuid);
        symbol = ovsdb_symbol_table_put(symtab, name, &uuid, false);
    }
    return symbol;
}

const char *
ovsdb_symbol_table_find_uncreated(const struct ovsdb_symbol_table *symtab)
{
    const char *first = NULL;
    struct shash_node *node;

    SHASH_FOR_EACH (node, &symtab->sh) {
        struct ovsdb_symbol *symbol = node->data;
        if (!symbol->created && (!first || strcmp(node->name, first) < 0)) {
            first = node->name;
        }
    }
    return first;
}

bool
ovsdb_is_valid_id(const char *s)
{
    const unsigned char *p = (const unsigned char *) s;

    if (!isalpha(*p) && *p != '_') {
        return false;
    }
    for (p++; *p; p++) {
        if (!isalnum(*p) && *p != '_') {
            return false;
        }
    }
    return true;
}
