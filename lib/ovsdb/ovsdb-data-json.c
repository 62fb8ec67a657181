/* ovsdb-data-json: the JSON (wire) form of OVSDB atoms and data, RFC 7047
 * section 5.1, with "named-uuid" resolved through a symbol table.  The
 * contract is in ovsdb-data.h. */
#include <config.h>
#include "ovsdb-data.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "ovsdb-error.h"
#include "util.h"

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
            atom->uuid = ovsdb_symbol_table_reference(symtab, name,
                                                      base)->uuid;
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

static struct ovsdb_error *
parse_elements(struct ovsdb_datum *datum, const struct ovsdb_type *type,
               const json_t *elems, bool is_map,
               struct ovsdb_symbol_table *symtab)
{
    size_t n = json_array_size(elems);
    struct ovsdb_error *error;

    error = ovsdb_datum_check_size(n, type);
    if (error) {
        /* The same bounds, but in JSON a wrong count is a syntax error. */
        struct ovsdb_error *syntax = ovsdb_syntax_error(elems, NULL, "%s",
                                                        error->details);
        ovsdb_error_destroy(error);
        return syntax;
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
    if (ovsdb_type_is_map(type)) {
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
    if (ovsdb_type_is_map(type)) {
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
