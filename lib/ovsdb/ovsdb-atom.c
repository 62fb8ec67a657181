/* ovsdb-atom: OVSDB atoms, the values of one atomic type: defaults,
 * copying and destruction, hashing and ordering, and the checks of a base
 * type's constraints (enum, range, string length).  Their JSON form is in
 * ovsdb-data-json.c, their command-line form in ovsdb-data-string.c; the
 * contract is in ovsdb-data.h. */
#include <config.h>
#include "ovsdb-data.h"

#include <float.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "dynamic-string.h"
#include "hash.h"
#include "ovsdb-error.h"
#include "util.h"

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
