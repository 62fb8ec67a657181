/* OVSDB values: atoms and data (RFC 7047 section 5.1 <atom>, <set>, <map>,
 * <value>), plus the symbol table that resolves "named-uuid"s.
 *
 * An atom is a single integer, real, boolean, string or uuid; which one is
 * never stored in the atom, the caller always passes the atomic type.
 *
 * A datum is the value of one column: n keys, plus n values for a map.  The
 * INVARIANT of every datum handed between modules ("a valid datum of TYPE"):
 *
 *   - keys[] are sorted in ascending ovsdb_atom_compare_3way() order with no
 *     duplicates; values[i] is the value for keys[i] (maps only; values is
 *     NULL for sets and scalars);
 *   - every atom satisfies TYPE's base-type constraints;
 *   - TYPE->n_min <= n <= TYPE->n_max.
 *
 * ovsdb_datum_from_json() and the mutation code produce valid data.  Code
 * that builds data by hand uses the *_unsafe() helpers and then
 * ovsdb_datum_sort() (or _sort_unique()) and, if the input was untrusted,
 * ovsdb_datum_check_constraints().
 *
 * Ordering: integers numerically, reals numerically, false < true, strings
 * by strcmp() (bytewise UTF-8), uuids as their text forms.  Data compare
 * first by n, then element by element (keys, then values for maps).
 *
 * Ownership: a datum owns its arrays and the strings inside its atoms.
 * A zero-filled struct is a valid empty datum.  Destroy functions accept
 * empty data.
 *
 * Implementation: atoms in ovsdb-atom.c, data in ovsdb-data.c, the JSON
 * forms of both in ovsdb-data-json.c, the command-line forms in
 * ovsdb-data-string.c, the symbol table and ovsdb_is_valid_id() in
 * ovsdb-symbol.c. */
#ifndef OVSDB_DATA_H
#define OVSDB_DATA_H 1

#include <jansson.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include "compiler.h"
#include "ovsdb-types.h"
#include "ovsdb-uuid.h"
#include "shash.h"

struct ds;
struct ovsdb_symbol_table;

/* One atomic value. */
union ovsdb_atom {
    int64_t integer;
    double real;
    bool boolean;
    char *string;       /* Owned, NUL-terminated UTF-8. */
    struct uuid uuid;
};

/* Sets ATOM to TYPE's default: 0, 0.0, false, "" (allocated), all-zero
 * uuid. */
void ovsdb_atom_init_default(union ovsdb_atom *, enum ovsdb_atomic_type);
/* Returns a static default atom of TYPE (do not modify or destroy). */
const union ovsdb_atom *ovsdb_atom_default(enum ovsdb_atomic_type);
bool ovsdb_atom_is_default(const union ovsdb_atom *, enum ovsdb_atomic_type);

/* Initializes NEW as a deep copy of OLD. */
void ovsdb_atom_clone(union ovsdb_atom *new, const union ovsdb_atom *old,
                      enum ovsdb_atomic_type);
void ovsdb_atom_swap(union ovsdb_atom *, union ovsdb_atom *);
/* Frees what ATOM owns (a string's memory); ATOM becomes invalid. */
void ovsdb_atom_destroy(union ovsdb_atom *, enum ovsdb_atomic_type);

uint32_t ovsdb_atom_hash(const union ovsdb_atom *, enum ovsdb_atomic_type,
                         uint32_t basis);
/* Returns <0, 0, >0 (see "Ordering" above). */
int ovsdb_atom_compare_3way(const union ovsdb_atom *,
                            const union ovsdb_atom *,
                            enum ovsdb_atomic_type);
bool ovsdb_atom_equals(const union ovsdb_atom *, const union ovsdb_atom *,
                       enum ovsdb_atomic_type);

/* Parses JSON as an atom of BASE->type and checks BASE's constraints.
 *
 * Wire forms: a JSON integer (integer; also accepted for real), a JSON
 * number (real), true/false, a string, ["uuid", "xxxxxxxx-..."].  If SYMTAB
 * is nonnull, ["named-uuid", NAME] is also accepted for a uuid: the symbol
 * NAME is looked up or created (ovsdb_symbol_table_insert()), its uuid
 * used, and its strong_ref/weak_ref flag set according to BASE's refType;
 * with a null SYMTAB "named-uuid" is a syntax error.
 *
 * Errors: "syntax error" for wrong JSON; "constraint violation" for a
 * value outside BASE's enum, range or length bounds.  On success
 * initializes ATOM (caller owns); on error ATOM is not initialized. */
struct ovsdb_error *ovsdb_atom_from_json(union ovsdb_atom *,
                                         const struct ovsdb_base_type *,
                                         const json_t *,
                                         struct ovsdb_symbol_table *)
    VS_WARN_UNUSED_RESULT;
/* Returns the wire form of ATOM (new reference). */
json_t *ovsdb_atom_to_json(const union ovsdb_atom *, enum ovsdb_atomic_type);

/* Checks ATOM against BASE's constraints (enum, min/max, string length in
 * UTF-8 characters; refTable is not checked here).  Returns NULL or a
 * "constraint violation". */
struct ovsdb_error *ovsdb_atom_check_constraints(
    const union ovsdb_atom *, const struct ovsdb_base_type *)
    VS_WARN_UNUSED_RESULT;

/* Command-line syntax (as ovs-vsctl): integers and reals in C syntax,
 * "true"/"false", uuids in text form (or "@NAME" through SYMTAB: the symbol
 * named "@NAME", '@' included, found or created as by
 * ovsdb_symbol_table_insert()).  Strings parse from a double-quoted JSON
 * string, else from the text as is; they print bare if they match
 * [A-Za-z_][-.A-Za-z0-9_]* and are not "true", "false" or a uuid, else
 * double-quoted with JSON escapes.
 *
 * ovsdb_atom_from_string() returns NULL and initializes ATOM, or returns an
 * error message (caller frees) and leaves ATOM uninitialized.  It checks
 * BASE's constraints. */
char *ovsdb_atom_from_string(union ovsdb_atom *,
                             const struct ovsdb_base_type *, const char *,
                             struct ovsdb_symbol_table *)
    VS_WARN_UNUSED_RESULT;
/* Appends ATOM in the syntax above (strings quoted only when needed). */
void ovsdb_atom_to_string(const union ovsdb_atom *, enum ovsdb_atomic_type,
                          struct ds *);
/* Appends ATOM without quoting strings (for "--bare"-style output). */
void ovsdb_atom_to_bare(const union ovsdb_atom *, enum ovsdb_atomic_type,
                        struct ds *);

/* A column value. */
struct ovsdb_datum {
    unsigned int n;             /* Number of elements. */
    union ovsdb_atom *keys;     /* n keys (NULL if n == 0). */
    union ovsdb_atom *values;   /* n values for a map, else NULL. */
};

#define OVSDB_DATUM_EMPTY_INITIALIZER { 0, NULL, NULL }

/* Initializes DATUM as the empty set/map. */
void ovsdb_datum_init_empty(struct ovsdb_datum *);
/* Initializes DATUM as TYPE's default: empty if n_min == 0, else one
 * element of default atoms (0, 0.0, false, "", all-zero uuid).  Note that
 * the default may violate TYPE's constraints (as in RFC 7047). */
void ovsdb_datum_init_default(struct ovsdb_datum *, const struct ovsdb_type *);
bool ovsdb_datum_is_default(const struct ovsdb_datum *,
                            const struct ovsdb_type *);
/* Returns a static default datum for TYPE (do not modify or destroy). */
const struct ovsdb_datum *ovsdb_datum_default(const struct ovsdb_type *);
/* Initializes DATUM as a one-element datum of TYPE holding a copy of KEY
 * (and of VALUE for a map; VALUE must be NULL otherwise). */
void ovsdb_datum_init_single(struct ovsdb_datum *,
                             const union ovsdb_atom *key,
                             const union ovsdb_atom *value,
                             const struct ovsdb_type *);

/* Initializes NEW as a deep copy of OLD. */
void ovsdb_datum_clone(struct ovsdb_datum *new, const struct ovsdb_datum *old,
                       const struct ovsdb_type *);
/* Frees what DATUM owns; DATUM must be re-initialized before reuse. */
void ovsdb_datum_destroy(struct ovsdb_datum *, const struct ovsdb_type *);
void ovsdb_datum_swap(struct ovsdb_datum *, struct ovsdb_datum *);

/* Sorts DATUM's keys (carrying values along).  Returns NULL if the keys are
 * then unique, else a "constraint violation" ("set contains duplicate
 * value"/"map contains duplicate key"); DATUM stays sorted either way. */
struct ovsdb_error *ovsdb_datum_sort(struct ovsdb_datum *,
                                     const struct ovsdb_type *)
    VS_WARN_UNUSED_RESULT;
/* Like ovsdb_datum_sort(), but aborts on duplicates (for data known
 * unique). */
void ovsdb_datum_sort_assert(struct ovsdb_datum *, const struct ovsdb_type *);
/* Sorts DATUM and removes duplicate keys (for a map, the first pair of
 * each key in the original order wins).  Returns the new n. */
unsigned int ovsdb_datum_sort_unique(struct ovsdb_datum *,
                                     const struct ovsdb_type *);

/* Checks that every atom satisfies TYPE's base constraints and that
 * n_min <= n <= n_max.  Returns NULL or a "constraint violation". */
struct ovsdb_error *ovsdb_datum_check_constraints(
    const struct ovsdb_datum *, const struct ovsdb_type *)
    VS_WARN_UNUSED_RESULT;
/* Checks only the size: that N elements fit TYPE's n_min <= N <= n_max.
 * Returns NULL or a "constraint violation" saying how many elements a set
 * (or map) of TYPE must have and how many are present. */
struct ovsdb_error *ovsdb_datum_check_size(unsigned int n,
                                           const struct ovsdb_type *)
    VS_WARN_UNUSED_RESULT;

/* Parses JSON as a datum of TYPE, producing a valid datum (see top).
 *
 * Accepted forms: maps only as ["map", [[K, V], ...]]; sets as
 * ["set", [ATOM, ...]] or a single bare ATOM (a one-element set); scalars
 * as a bare ATOM or a one-element ["set", [ATOM]].  Atoms as
 * ovsdb_atom_from_json() (SYMTAB for "named-uuid", may be NULL).
 *
 * Errors: "syntax error" (shape, wrong atom type, or element count outside
 * [n_min, n_max]), "constraint violation" (atom constraints, duplicate set
 * elements or map keys).  On success initializes DATUM, which the caller
 * owns; on error DATUM is left as an empty datum. */
struct ovsdb_error *ovsdb_datum_from_json(struct ovsdb_datum *,
                                          const struct ovsdb_type *,
                                          const json_t *,
                                          struct ovsdb_symbol_table *)
    VS_WARN_UNUSED_RESULT;
/* Returns the wire form (new reference): ["map", [...]] for a map (even if
 * empty), a bare atom for a datum with exactly one element, else
 * ["set", [...]]. */
json_t *ovsdb_datum_to_json(const struct ovsdb_datum *,
                            const struct ovsdb_type *);

/* Command-line syntax (as ovs-vsctl): a scalar as an atom; a set as atoms
 * separated by commas, optionally in [] or {}; a map as KEY=VALUE pairs
 * separated by commas, optionally in {}; "[]" and "{}" are empty.  Returns
 * NULL and initializes a valid DATUM, or an error message the caller frees
 * (DATUM left empty). */
char *ovsdb_datum_from_string(struct ovsdb_datum *,
                              const struct ovsdb_type *, const char *,
                              struct ovsdb_symbol_table *)
    VS_WARN_UNUSED_RESULT;
/* Appends DATUM: a scalar as its atom, a set as "[a, b]", a map as
 * "{k=v, k2=v2}", an empty set as "[]" and an empty map as "{}". */
void ovsdb_datum_to_string(const struct ovsdb_datum *,
                           const struct ovsdb_type *, struct ds *);
/* Like ovsdb_datum_to_string(), but bare: elements separated by spaces,
 * no brackets, strings unquoted. */
void ovsdb_datum_to_bare(const struct ovsdb_datum *,
                         const struct ovsdb_type *, struct ds *);

uint32_t ovsdb_datum_hash(const struct ovsdb_datum *,
                          const struct ovsdb_type *, uint32_t basis);
int ovsdb_datum_compare_3way(const struct ovsdb_datum *,
                             const struct ovsdb_datum *,
                             const struct ovsdb_type *);
bool ovsdb_datum_equals(const struct ovsdb_datum *,
                        const struct ovsdb_datum *,
                        const struct ovsdb_type *);

/* Binary search in a sorted DATUM.  find_key() returns the index of KEY,
 * find_key_value() the index of the pair KEY=VALUE (VALUE_TYPE VOID acts
 * like find_key()); both return UINT_MAX if absent. */
unsigned int ovsdb_datum_find_key(const struct ovsdb_datum *,
                                  const union ovsdb_atom *key,
                                  enum ovsdb_atomic_type key_type);
unsigned int ovsdb_datum_find_key_value(const struct ovsdb_datum *,
                                        const union ovsdb_atom *key,
                                        enum ovsdb_atomic_type key_type,
                                        const union ovsdb_atom *value,
                                        enum ovsdb_atomic_type value_type);

/* Set relations, with maps compared as sets of key-value pairs (both data
 * of TYPE, sorted):
 *   includes_all(A, B): every element of A is in B (A is a subset of B);
 *   excludes_all(A, B): no element of A is in B. */
bool ovsdb_datum_includes_all(const struct ovsdb_datum *a,
                              const struct ovsdb_datum *b,
                              const struct ovsdb_type *);
bool ovsdb_datum_excludes_all(const struct ovsdb_datum *a,
                              const struct ovsdb_datum *b,
                              const struct ovsdb_type *);

/* Adds to A each element of B whose key is not already in A.  For maps, if
 * REPLACE is true, a key present in both takes B's value; if false, A's
 * value is kept (RFC 7047 "insert" semantics).  A stays sorted.  Does not
 * check n_max. */
void ovsdb_datum_union(struct ovsdb_datum *a, const struct ovsdb_datum *b,
                       const struct ovsdb_type *, bool replace);
/* Removes from A (of A_TYPE) the elements that B (of B_TYPE) names.  If
 * both are maps, a pair is removed only if key and value both match;
 * otherwise B's keys name A's keys to remove (B_TYPE's value type must be
 * VOID, or A is a set).  A stays sorted.  Does not check n_min. */
void ovsdb_datum_subtract(struct ovsdb_datum *a,
                          const struct ovsdb_type *a_type,
                          const struct ovsdb_datum *b,
                          const struct ovsdb_type *b_type);

/* "update2" diffs (ovsdb-server(7), "modify"): for a column of TYPE,
 * ovsdb_datum_diff() initializes DIFF as:
 *   - if TYPE->n_max == 1 (scalar, optional scalar, or a map of at most
 *     one pair): a copy of NEW;
 *   - for a set: the elements in exactly one of OLD and NEW;
 *   - for a map: the pairs whose key is in only one of OLD and NEW, plus
 *     the pairs of NEW whose key is in both with a different value.
 * DIFF is sorted but may break TYPE's n_min/n_max (parse it with
 * ovsdb_datum_diff_type()).  ovsdb_datum_apply_diff() initializes NEW from
 * OLD and DIFF (the inverse) and returns a "constraint violation" (NEW left
 * empty) if the result breaks TYPE's size bounds.  _in_place modifies OLD
 * (left unchanged on error). */
void ovsdb_datum_diff(struct ovsdb_datum *diff,
                      const struct ovsdb_datum *old,
                      const struct ovsdb_datum *new,
                      const struct ovsdb_type *);
struct ovsdb_error *ovsdb_datum_apply_diff(struct ovsdb_datum *new,
                                           const struct ovsdb_datum *old,
                                           const struct ovsdb_datum *diff,
                                           const struct ovsdb_type *)
    VS_WARN_UNUSED_RESULT;
struct ovsdb_error *ovsdb_datum_apply_diff_in_place(
    struct ovsdb_datum *, const struct ovsdb_datum *diff,
    const struct ovsdb_type *)
    VS_WARN_UNUSED_RESULT;
/* Initializes *DIFF_TYPE (free with ovsdb_type_destroy()) as the type to
 * parse a diff of a column of TYPE with: TYPE itself if n_max == 1, else
 * TYPE with n_min 0, n_max UINT_MAX. */
void ovsdb_datum_diff_type(struct ovsdb_type *diff_type,
                           const struct ovsdb_type *);

/* Low-level construction; these break the sorted/unique invariant until
 * the caller runs ovsdb_datum_sort().  add_unsafe() appends KEY (and VALUE
 * for a map, else VALUE must be NULL), cloning them. remove_unsafe()
 * destroys element IDX and moves the last element into its place. */
void ovsdb_datum_add_unsafe(struct ovsdb_datum *,
                            const union ovsdb_atom *key,
                            const union ovsdb_atom *value,
                            const struct ovsdb_type *);
void ovsdb_datum_remove_unsafe(struct ovsdb_datum *, unsigned int idx,
                               const struct ovsdb_type *);

/* Symbol table for "named-uuid"s within one transaction (or ovs-vsctl's
 * "@name"s).  Each symbol maps a name to a uuid. */
struct ovsdb_symbol {
    struct uuid uuid;   /* UUID the name stands for. */
    bool created;       /* Some operation declared it ("uuid-name"). */
    bool strong_ref;    /* Referenced through a strong reference. */
    bool weak_ref;      /* Referenced through a weak reference. */
};

struct ovsdb_symbol_table {
    struct shash sh;    /* Name -> struct ovsdb_symbol * (owned). */
};

struct ovsdb_symbol_table *ovsdb_symbol_table_create(void);
/* Frees SYMTAB and its symbols (NULL is a no-op). */
void ovsdb_symbol_table_destroy(struct ovsdb_symbol_table *);
/* Returns the symbol NAME, or NULL. */
struct ovsdb_symbol *ovsdb_symbol_table_get(
    const struct ovsdb_symbol_table *, const char *name);
/* Adds NAME (which must not exist) with UUID and CREATED; returns it. */
struct ovsdb_symbol *ovsdb_symbol_table_put(struct ovsdb_symbol_table *,
                                            const char *name,
                                            const struct uuid *,
                                            bool created);
/* Returns the symbol NAME, adding it with a new random uuid and created
 * false if absent. */
struct ovsdb_symbol *ovsdb_symbol_table_insert(struct ovsdb_symbol_table *,
                                               const char *name);
/* Like ovsdb_symbol_table_insert(), and records that the symbol is
 * referenced through a column of base type BASE: sets its strong_ref or
 * weak_ref according to BASE's refType (neither if BASE is not a uuid
 * with a refTable). */
struct ovsdb_symbol *ovsdb_symbol_table_reference(
    struct ovsdb_symbol_table *, const char *name,
    const struct ovsdb_base_type *base);
/* Returns the name of a symbol that is referenced but was never created
 * (lexicographically first, for deterministic messages), or NULL. */
const char *ovsdb_symbol_table_find_uncreated(
    const struct ovsdb_symbol_table *);

/* Returns true if NAME is a valid <id>: [A-Za-z_][A-Za-z0-9_]*. */
bool ovsdb_is_valid_id(const char *name);

#endif /* ovsdb-data.h */
