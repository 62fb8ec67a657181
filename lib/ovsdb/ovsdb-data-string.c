/* ovsdb-data-string: the command-line form of OVSDB atoms and data, the
 * syntax of ovs-vsctl (parsing, printing, and the bare form for
 * "--bare"-style output), with "@name" uuids resolved through a symbol
 * table.  The contract is in ovsdb-data.h. */
#include <config.h>
#include "ovsdb-data.h"

#include <ctype.h>
#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "dynamic-string.h"
#include "ovsdb-error.h"
#include "util.h"

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
            atom->uuid = ovsdb_symbol_table_reference(symtab, s,
                                                      base)->uuid;
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
    bool is_map = ovsdb_type_is_map(type);
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
        error = ovsdb_datum_check_size(datum->n, type);
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
    bool is_map = ovsdb_type_is_map(type);

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
