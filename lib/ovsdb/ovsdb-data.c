/* ovsdb-data: OVSDB data, the values of columns (scalars, sets, maps):
 * construction and destruction, sorting, constraint checks, comparison and
 * search, set relations, union and subtraction, and the "update2" diffs.
 * Their JSON form is in ovsdb-data-json.c, their command-line form in
 * ovsdb-data-string.c, atoms in ovsdb-atom.c; the contract is in
 * ovsdb-data.h. */
#include <config.h>
#include "ovsdb-data.h"

#include <stdlib.h>
#include <string.h>
#include "dynamic-string.h"
#include "hash.h"
#include "ovsdb-error.h"
#include "util.h"

static struct ovsdb_datum default_data[OVSDB_N_TYPES][OVSDB_N_TYPES];

VS_CONSTRUCTOR(init_default_data)
{
    for (int k = 0; k < OVSDB_N_TYPES; k++) {
        for (int v = 0; v < OVSDB_N_TYPES; v++) {
            struct ovsdb_datum *d = &default_data[k][v];
            d->n = 1;
            /* The static default atoms, which nothing modifies. */
            d->keys = (union ovsdb_atom *) ovsdb_atom_default(k);
            d->values = (v == OVSDB_TYPE_VOID ? NULL
                         : (union ovsdb_atom *) ovsdb_atom_default(v));
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

void
ovsdb_datum_init_single(struct ovsdb_datum *datum,
                        const union ovsdb_atom *key,
                        const union ovsdb_atom *value,
                        const struct ovsdb_type *type)
{
    datum->n = 1;
    datum->keys = xmalloc(sizeof *datum->keys);
    ovsdb_atom_clone(&datum->keys[0], key, type->key.type);
    if (ovsdb_type_is_map(type)) {
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
                                ovsdb_type_is_map(type)
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

struct ovsdb_error *
ovsdb_datum_check_size(unsigned int n, const struct ovsdb_type *type)
{
    if (n >= type->n_min && n <= type->n_max) {
        return NULL;
    }
    const char *what = ovsdb_type_is_map(type) ? "map" : "set";
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
    return ovsdb_datum_check_size(datum->n, type);
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
    if (ovsdb_type_is_map(type)) {
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
    if (ovsdb_type_is_map(type)) {
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
    if (ovsdb_type_is_map(type)) {
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
        } else if (replace && ovsdb_type_is_map(type)) {
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
    bool pairs = ovsdb_type_is_map(a_type) && ovsdb_type_is_map(b_type);
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
    bool is_map = ovsdb_type_is_map(type);
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
    /* Applying a diff is the same merge as computing one: the result is
     * DIFF itself for a replacement, else the elements in only one of OLD
     * and DIFF, plus DIFF's pairs whose key is in both with another
     * value (a key in both with the same value is a removal). */
    ovsdb_datum_diff(new, old, diff, type);

    struct ovsdb_error *error = ovsdb_datum_check_size(new->n, type);
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
