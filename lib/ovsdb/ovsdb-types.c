/* OVSDB types. */
#include <config.h>
#include "ovsdb-types.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "dynamic-string.h"
#include "ovsdb-data.h"
#include "ovsdb-error.h"
#include "ovsdb-parser.h"
#include "util.h"

const struct ovsdb_type ovsdb_type_integer =
    OVSDB_TYPE_SCALAR_INITIALIZER(OVSDB_BASE_INTEGER_INIT);
const struct ovsdb_type ovsdb_type_real =
    OVSDB_TYPE_SCALAR_INITIALIZER(OVSDB_BASE_REAL_INIT);
const struct ovsdb_type ovsdb_type_boolean =
    OVSDB_TYPE_SCALAR_INITIALIZER(OVSDB_BASE_BOOLEAN_INIT);
const struct ovsdb_type ovsdb_type_string =
    OVSDB_TYPE_SCALAR_INITIALIZER(OVSDB_BASE_STRING_INIT);
const struct ovsdb_type ovsdb_type_uuid =
    OVSDB_TYPE_SCALAR_INITIALIZER(OVSDB_BASE_UUID_INIT);

/* Atomic types. */

bool
ovsdb_atomic_type_is_valid(enum ovsdb_atomic_type type)
{
    return (int) type >= 0 && type < OVSDB_N_TYPES;
}

const char *
ovsdb_atomic_type_to_string(enum ovsdb_atomic_type type)
{
    switch (type) {
    case OVSDB_TYPE_VOID:
        return "void";
    case OVSDB_TYPE_INTEGER:
        return "integer";
    case OVSDB_TYPE_REAL:
        return "real";
    case OVSDB_TYPE_BOOLEAN:
        return "boolean";
    case OVSDB_TYPE_STRING:
        return "string";
    case OVSDB_TYPE_UUID:
        return "uuid";
    case OVSDB_N_TYPES:
    default:
        return "<invalid>";
    }
}

bool
ovsdb_atomic_type_from_string(const char *s, enum ovsdb_atomic_type *type)
{
    for (int t = OVSDB_TYPE_INTEGER; t < OVSDB_N_TYPES; t++) {
        if (!strcmp(s, ovsdb_atomic_type_to_string(t))) {
            *type = t;
            return true;
        }
    }
    return false;
}

struct ovsdb_error *
ovsdb_atomic_type_from_json(enum ovsdb_atomic_type *type, const json_t *json)
{
    if (json_is_string(json)) {
        const char *s = json_string_value(json);
        if (ovsdb_atomic_type_from_string(s, type)) {
            return NULL;
        }
        *type = OVSDB_TYPE_VOID;
        return ovsdb_syntax_error(json, NULL, "unknown atomic type \"%s\"",
                                  s);
    }
    *type = OVSDB_TYPE_VOID;
    return ovsdb_syntax_error(json, NULL, "atomic type expected");
}

json_t *
ovsdb_atomic_type_to_json(enum ovsdb_atomic_type type)
{
    return json_string(ovsdb_atomic_type_to_string(type));
}

/* Base types. */

void
ovsdb_base_type_init(struct ovsdb_base_type *base,
                     enum ovsdb_atomic_type type)
{
    memset(base, 0, sizeof *base);
    base->type = type;
    base->enum_ = NULL;
    switch (type) {
    case OVSDB_TYPE_INTEGER:
        base->u.integer.min = INT64_MIN;
        base->u.integer.max = INT64_MAX;
        break;
    case OVSDB_TYPE_REAL:
        base->u.real.min = -DBL_MAX;
        base->u.real.max = DBL_MAX;
        break;
    case OVSDB_TYPE_STRING:
        base->u.string.min_len = 0;
        base->u.string.max_len = UINT_MAX;
        break;
    case OVSDB_TYPE_UUID:
        base->u.uuid.ref_table_name = NULL;
        base->u.uuid.ref_table = NULL;
        base->u.uuid.ref_type = OVSDB_REF_STRONG;
        break;
    case OVSDB_TYPE_VOID:
    case OVSDB_TYPE_BOOLEAN:
    case OVSDB_N_TYPES:
    default:
        break;
    }
}

static const struct ovsdb_type *
enum_type_for(enum ovsdb_atomic_type type, struct ovsdb_type *scratch)
{
    /* The type of an enum datum: a set of atoms without constraints. */
    memset(scratch, 0, sizeof *scratch);
    ovsdb_base_type_init(&scratch->key, type);
    ovsdb_base_type_init(&scratch->value, OVSDB_TYPE_VOID);
    scratch->n_min = 0;
    scratch->n_max = UINT_MAX;
    return scratch;
}

void
ovsdb_base_type_clone(struct ovsdb_base_type *dst,
                      const struct ovsdb_base_type *src)
{
    *dst = *src;
    if (src->enum_) {
        struct ovsdb_type t;
        dst->enum_ = xmalloc(sizeof *dst->enum_);
        ovsdb_datum_clone(dst->enum_, src->enum_,
                          enum_type_for(src->type, &t));
    }
    if (src->type == OVSDB_TYPE_UUID && src->u.uuid.ref_table_name) {
        dst->u.uuid.ref_table_name = xstrdup(src->u.uuid.ref_table_name);
    }
}

void
ovsdb_base_type_destroy(struct ovsdb_base_type *base)
{
    if (!base) {
        return;
    }
    if (base->enum_) {
        struct ovsdb_type t;
        ovsdb_datum_destroy(base->enum_, enum_type_for(base->type, &t));
        free(base->enum_);
        base->enum_ = NULL;
    }
    if (base->type == OVSDB_TYPE_UUID) {
        free(base->u.uuid.ref_table_name);
        base->u.uuid.ref_table_name = NULL;
    }
}

bool
ovsdb_base_type_is_valid(const struct ovsdb_base_type *base)
{
    switch (base->type) {
    case OVSDB_TYPE_VOID:
        return true;
    case OVSDB_TYPE_INTEGER:
        return base->u.integer.min <= base->u.integer.max;
    case OVSDB_TYPE_REAL:
        return base->u.real.min <= base->u.real.max;
    case OVSDB_TYPE_BOOLEAN:
        return true;
    case OVSDB_TYPE_STRING:
        return base->u.string.min_len <= base->u.string.max_len;
    case OVSDB_TYPE_UUID:
        return true;
    case OVSDB_N_TYPES:
    default:
        return false;
    }
}

bool
ovsdb_base_type_has_constraints(const struct ovsdb_base_type *base)
{
    if (base->enum_) {
        return true;
    }
    switch (base->type) {
    case OVSDB_TYPE_INTEGER:
        return (base->u.integer.min != INT64_MIN
                || base->u.integer.max != INT64_MAX);
    case OVSDB_TYPE_REAL:
        return base->u.real.min != -DBL_MAX || base->u.real.max != DBL_MAX;
    case OVSDB_TYPE_STRING:
        return (base->u.string.min_len != 0
                || base->u.string.max_len != UINT_MAX);
    case OVSDB_TYPE_UUID:
        return base->u.uuid.ref_table_name != NULL;
    case OVSDB_TYPE_VOID:
    case OVSDB_TYPE_BOOLEAN:
    case OVSDB_N_TYPES:
    default:
        return false;
    }
}

void
ovsdb_base_type_clear_constraints(struct ovsdb_base_type *base)
{
    enum ovsdb_atomic_type type = base->type;
    ovsdb_base_type_destroy(base);
    ovsdb_base_type_init(base, type);
}

bool
ovsdb_base_type_is_ref(const struct ovsdb_base_type *base)
{
    return base->type == OVSDB_TYPE_UUID && base->u.uuid.ref_table_name;
}

bool
ovsdb_base_type_is_strong_ref(const struct ovsdb_base_type *base)
{
    return (ovsdb_base_type_is_ref(base)
            && base->u.uuid.ref_type == OVSDB_REF_STRONG);
}

bool
ovsdb_base_type_is_weak_ref(const struct ovsdb_base_type *base)
{
    return (ovsdb_base_type_is_ref(base)
            && base->u.uuid.ref_type == OVSDB_REF_WEAK);
}

/* Constraint members and the atomic type each applies to. */
static const struct {
    const char *name;
    enum ovsdb_atomic_type type;
} constraint_members[] = {
    { "minInteger", OVSDB_TYPE_INTEGER },
    { "maxInteger", OVSDB_TYPE_INTEGER },
    { "minReal", OVSDB_TYPE_REAL },
    { "maxReal", OVSDB_TYPE_REAL },
    { "minLength", OVSDB_TYPE_STRING },
    { "maxLength", OVSDB_TYPE_STRING },
    { "refTable", OVSDB_TYPE_UUID },
    { "refType", OVSDB_TYPE_UUID },
};

static struct ovsdb_error *
parse_length(const json_t *json, const char *name, unsigned int *len)
{
    json_int_t x = json_integer_value(json);
    if (x < 0 || x > UINT_MAX) {
        return ovsdb_syntax_error(json, NULL, "%s out of valid range 0 to "
                                  "%u", name, UINT_MAX);
    }
    *len = x;
    return NULL;
}

static struct ovsdb_error *
parse_base_type_object(struct ovsdb_base_type *base, const json_t *json)
{
    struct ovsdb_parser parser;
    struct ovsdb_error *error;
    enum ovsdb_atomic_type type;
    const json_t *type_json, *enum_json;

    ovsdb_parser_init(&parser, json, "base type");
    type_json = ovsdb_parser_member(&parser, "type", OP_STRING);
    if (ovsdb_parser_has_error(&parser)) {
        return ovsdb_parser_finish(&parser);
    }
    error = ovsdb_atomic_type_from_json(&type, type_json);
    if (error) {
        ovsdb_parser_destroy(&parser);
        return error;
    }
    ovsdb_base_type_init(base, type);

    /* Reject constraints that do not fit TYPE with a specific message. */
    for (size_t i = 0; i < ARRAY_SIZE(constraint_members); i++) {
        if (constraint_members[i].type != type
            && json_object_get(json, constraint_members[i].name)) {
            ovsdb_parser_raise_error(
                &parser, "constraint \"%s\" does not apply to type %s",
                constraint_members[i].name,
                ovsdb_atomic_type_to_string(type));
            return ovsdb_parser_finish(&parser);
        }
    }

    switch (type) {
    case OVSDB_TYPE_INTEGER: {
        const json_t *min = ovsdb_parser_member(&parser, "minInteger",
                                                OP_INTEGER | OP_OPTIONAL);
        const json_t *max = ovsdb_parser_member(&parser, "maxInteger",
                                                OP_INTEGER | OP_OPTIONAL);
        if (min) {
            base->u.integer.min = json_integer_value(min);
        }
        if (max) {
            base->u.integer.max = json_integer_value(max);
        }
        if (base->u.integer.min > base->u.integer.max) {
            ovsdb_parser_raise_error(&parser, "minInteger %"PRId64" exceeds "
                                     "maxInteger %"PRId64,
                                     base->u.integer.min,
                                     base->u.integer.max);
        }
        break;
    }

    case OVSDB_TYPE_REAL: {
        const json_t *min = ovsdb_parser_member(&parser, "minReal",
                                                OP_NUMBER | OP_OPTIONAL);
        const json_t *max = ovsdb_parser_member(&parser, "maxReal",
                                                OP_NUMBER | OP_OPTIONAL);
        if (min) {
            base->u.real.min = json_number_value(min);
        }
        if (max) {
            base->u.real.max = json_number_value(max);
        }
        if (base->u.real.min > base->u.real.max) {
            ovsdb_parser_raise_error(&parser, "minReal %.*g exceeds maxReal "
                                     "%.*g", DBL_DECIMAL_DIG,
                                     base->u.real.min, DBL_DECIMAL_DIG,
                                     base->u.real.max);
        }
        break;
    }

    case OVSDB_TYPE_STRING: {
        const json_t *min = ovsdb_parser_member(&parser, "minLength",
                                                OP_INTEGER | OP_OPTIONAL);
        const json_t *max = ovsdb_parser_member(&parser, "maxLength",
                                                OP_INTEGER | OP_OPTIONAL);
        if (min) {
            ovsdb_parser_put_error(&parser, parse_length(
                                       min, "minLength",
                                       &base->u.string.min_len));
        }
        if (max && !ovsdb_parser_has_error(&parser)) {
            ovsdb_parser_put_error(&parser, parse_length(
                                       max, "maxLength",
                                       &base->u.string.max_len));
        }
        if (!ovsdb_parser_has_error(&parser)
            && base->u.string.min_len > base->u.string.max_len) {
            ovsdb_parser_raise_error(&parser, "minLength %u exceeds "
                                     "maxLength %u",
                                     base->u.string.min_len,
                                     base->u.string.max_len);
        }
        break;
    }

    case OVSDB_TYPE_UUID: {
        const json_t *ref_table = ovsdb_parser_member(&parser, "refTable",
                                                      OP_ID | OP_OPTIONAL);
        const json_t *ref_type = ovsdb_parser_member(&parser, "refType",
                                                     OP_STRING | OP_OPTIONAL);
        if (ref_table) {
            base->u.uuid.ref_table_name = xstrdup(
                json_string_value(ref_table));
        }
        if (ref_type) {
            const char *s = json_string_value(ref_type);
            if (!ref_table) {
                ovsdb_parser_raise_error(&parser, "refType without "
                                         "refTable");
            } else if (!strcmp(s, "strong")) {
                base->u.uuid.ref_type = OVSDB_REF_STRONG;
            } else if (!strcmp(s, "weak")) {
                base->u.uuid.ref_type = OVSDB_REF_WEAK;
            } else {
                ovsdb_parser_raise_error(&parser, "refType must be "
                                         "\"strong\" or \"weak\" (not "
                                         "\"%s\")", s);
            }
        }
        break;
    }

    case OVSDB_TYPE_BOOLEAN:
    case OVSDB_TYPE_VOID:
    case OVSDB_N_TYPES:
    default:
        break;
    }

    enum_json = ovsdb_parser_member(&parser, "enum",
                                    OP_ANY | OP_OPTIONAL);
    if (enum_json && !ovsdb_parser_has_error(&parser)) {
        /* Enum members must be distinct and satisfy the other
         * constraints. */
        struct ovsdb_type etype;
        struct ovsdb_datum *datum = xmalloc(sizeof *datum);

        etype.key = *base;
        etype.key.enum_ = NULL;
        ovsdb_base_type_init(&etype.value, OVSDB_TYPE_VOID);
        etype.n_min = 1;
        etype.n_max = UINT_MAX;
        error = ovsdb_datum_from_json(datum, &etype, enum_json, NULL);
        if (error) {
            free(datum);
            ovsdb_parser_put_error(&parser,
                                   ovsdb_wrap_error(error, "enum"));
        } else {
            base->enum_ = datum;
        }
    }

    error = ovsdb_parser_finish(&parser);
    if (error) {
        ovsdb_base_type_destroy(base);
        ovsdb_base_type_init(base, OVSDB_TYPE_VOID);
    }
    return error;
}

struct ovsdb_error *
ovsdb_base_type_from_json(struct ovsdb_base_type *base, const json_t *json)
{
    ovsdb_base_type_init(base, OVSDB_TYPE_VOID);
    if (json_is_string(json)) {
        enum ovsdb_atomic_type type;
        struct ovsdb_error *error = ovsdb_atomic_type_from_json(&type, json);
        if (!error) {
            ovsdb_base_type_init(base, type);
        }
        return error;
    } else if (json_is_object(json)) {
        return parse_base_type_object(base, json);
    } else {
        return ovsdb_syntax_error(json, NULL, "base type expected");
    }
}

json_t *
ovsdb_base_type_to_json(const struct ovsdb_base_type *base)
{
    if (!ovsdb_base_type_has_constraints(base)) {
        return ovsdb_atomic_type_to_json(base->type);
    }

    json_t *json = json_object();
    json_object_set_new(json, "type", ovsdb_atomic_type_to_json(base->type));
    if (base->enum_) {
        struct ovsdb_type t;
        json_t *e = ovsdb_datum_to_json(base->enum_,
                                        enum_type_for(base->type, &t));
        if (base->enum_->n == 1) {
            /* Always use the "set" form for an enum, as OVS does. */
            json_t *set = json_array();
            json_array_append_new(set, e);
            e = json_pack("[so]", "set", set);
        }
        json_object_set_new(json, "enum", e);
    }
    switch (base->type) {
    case OVSDB_TYPE_INTEGER:
        if (base->u.integer.min != INT64_MIN) {
            json_object_set_new(json, "minInteger",
                                json_integer(base->u.integer.min));
        }
        if (base->u.integer.max != INT64_MAX) {
            json_object_set_new(json, "maxInteger",
                                json_integer(base->u.integer.max));
        }
        break;
    case OVSDB_TYPE_REAL:
        if (base->u.real.min != -DBL_MAX) {
            json_object_set_new(json, "minReal",
                                json_real(base->u.real.min));
        }
        if (base->u.real.max != DBL_MAX) {
            json_object_set_new(json, "maxReal",
                                json_real(base->u.real.max));
        }
        break;
    case OVSDB_TYPE_STRING:
        if (base->u.string.min_len != 0) {
            json_object_set_new(json, "minLength",
                                json_integer(base->u.string.min_len));
        }
        if (base->u.string.max_len != UINT_MAX) {
            json_object_set_new(json, "maxLength",
                                json_integer(base->u.string.max_len));
        }
        break;
    case OVSDB_TYPE_UUID:
        if (base->u.uuid.ref_table_name) {
            json_object_set_new(json, "refTable",
                                json_string(base->u.uuid.ref_table_name));
            if (base->u.uuid.ref_type == OVSDB_REF_WEAK) {
                json_object_set_new(json, "refType", json_string("weak"));
            }
        }
        break;
    case OVSDB_TYPE_VOID:
    case OVSDB_TYPE_BOOLEAN:
    case OVSDB_N_TYPES:
    default:
        break;
    }
    return json;
}

/* Column types. */

void
ovsdb_type_clone(struct ovsdb_type *dst, const struct ovsdb_type *src)
{
    ovsdb_base_type_clone(&dst->key, &src->key);
    ovsdb_base_type_clone(&dst->value, &src->value);
    dst->n_min = src->n_min;
    dst->n_max = src->n_max;
}

void
ovsdb_type_destroy(struct ovsdb_type *type)
{
    if (type) {
        ovsdb_base_type_destroy(&type->key);
        ovsdb_base_type_destroy(&type->value);
    }
}

bool
ovsdb_type_is_valid(const struct ovsdb_type *type)
{
    return (type->key.type != OVSDB_TYPE_VOID
            && ovsdb_base_type_is_valid(&type->key)
            && ovsdb_base_type_is_valid(&type->value)
            && type->n_min <= 1
            && type->n_max >= 1
            && type->n_min <= type->n_max);
}

bool
ovsdb_type_is_scalar(const struct ovsdb_type *type)
{
    return (type->value.type == OVSDB_TYPE_VOID
            && type->n_min == 1 && type->n_max == 1);
}

bool
ovsdb_type_is_optional(const struct ovsdb_type *type)
{
    return type->n_min == 0;
}

bool
ovsdb_type_is_optional_scalar(const struct ovsdb_type *type)
{
    return (type->value.type == OVSDB_TYPE_VOID
            && type->n_min == 0 && type->n_max == 1);
}

bool
ovsdb_type_is_composite(const struct ovsdb_type *type)
{
    return type->n_max > 1;
}

bool
ovsdb_type_is_set(const struct ovsdb_type *type)
{
    return (type->value.type == OVSDB_TYPE_VOID
            && (type->n_min != 1 || type->n_max != 1));
}

bool
ovsdb_type_is_map(const struct ovsdb_type *type)
{
    return type->value.type != OVSDB_TYPE_VOID;
}

static struct ovsdb_error *
parse_type_object(struct ovsdb_type *type, const json_t *json)
{
    struct ovsdb_parser parser;
    struct ovsdb_error *error;
    const json_t *key, *value, *min, *max;

    ovsdb_parser_init(&parser, json, "type");
    key = ovsdb_parser_member(&parser, "key", OP_STRING | OP_OBJECT);
    value = ovsdb_parser_member(&parser, "value",
                                OP_STRING | OP_OBJECT | OP_OPTIONAL);
    min = ovsdb_parser_member(&parser, "min", OP_INTEGER | OP_OPTIONAL);
    max = ovsdb_parser_member(&parser, "max",
                              OP_INTEGER | OP_STRING | OP_OPTIONAL);
    error = ovsdb_parser_finish(&parser);
    if (error) {
        return error;
    }

    error = ovsdb_base_type_from_json(&type->key, key);
    if (error) {
        return ovsdb_wrap_error(error, "key type");
    }
    if (value) {
        error = ovsdb_base_type_from_json(&type->value, value);
        if (error) {
            ovsdb_base_type_destroy(&type->key);
            return ovsdb_wrap_error(error, "value type");
        }
    }

    if (min) {
        json_int_t n = json_integer_value(min);
        if (n != 0 && n != 1) {
            error = ovsdb_syntax_error(min, NULL, "\"min\" must be 0 or 1 "
                                       "(not %"JSON_INTEGER_FORMAT")", n);
            goto error;
        }
        type->n_min = n;
    }
    if (max) {
        if (json_is_string(max)) {
            if (strcmp(json_string_value(max), "unlimited")) {
                error = ovsdb_syntax_error(max, NULL, "\"max\" must be a "
                                           "positive integer or "
                                           "\"unlimited\"");
                goto error;
            }
            type->n_max = UINT_MAX;
        } else {
            json_int_t n = json_integer_value(max);
            if (n < 1 || n >= UINT_MAX) {
                error = ovsdb_syntax_error(max, NULL, "\"max\" must be a "
                                           "positive integer or "
                                           "\"unlimited\"");
                goto error;
            }
            type->n_max = n;
        }
    }
    if (type->n_min > type->n_max) {
        error = ovsdb_syntax_error(json, NULL, "\"min\" exceeds \"max\"");
        goto error;
    }
    return NULL;

error:
    ovsdb_type_destroy(type);
    return error;
}

struct ovsdb_error *
ovsdb_type_from_json(struct ovsdb_type *type, const json_t *json)
{
    struct ovsdb_error *error;

    ovsdb_base_type_init(&type->key, OVSDB_TYPE_VOID);
    ovsdb_base_type_init(&type->value, OVSDB_TYPE_VOID);
    type->n_min = type->n_max = 1;

    if (json_is_string(json)) {
        enum ovsdb_atomic_type atomic;
        error = ovsdb_atomic_type_from_json(&atomic, json);
        if (!error) {
            ovsdb_base_type_init(&type->key, atomic);
        }
    } else if (json_is_object(json)) {
        error = parse_type_object(type, json);
    } else {
        error = ovsdb_syntax_error(json, NULL, "type expected");
    }
    if (error) {
        ovsdb_base_type_init(&type->key, OVSDB_TYPE_VOID);
        ovsdb_base_type_init(&type->value, OVSDB_TYPE_VOID);
        type->n_min = type->n_max = 1;
    }
    return error;
}

json_t *
ovsdb_type_to_json(const struct ovsdb_type *type)
{
    if (ovsdb_type_is_scalar(type)
        && !ovsdb_base_type_has_constraints(&type->key)) {
        return ovsdb_base_type_to_json(&type->key);
    }

    json_t *json = json_object();
    json_object_set_new(json, "key", ovsdb_base_type_to_json(&type->key));
    if (type->value.type != OVSDB_TYPE_VOID) {
        json_object_set_new(json, "value",
                            ovsdb_base_type_to_json(&type->value));
    }
    if (type->n_min != 1) {
        json_object_set_new(json, "min", json_integer(type->n_min));
    }
    if (type->n_max == UINT_MAX) {
        json_object_set_new(json, "max", json_string("unlimited"));
    } else if (type->n_max != 1) {
        json_object_set_new(json, "max", json_integer(type->n_max));
    }
    return json;
}

static void
base_type_to_english(const struct ovsdb_base_type *base, bool plural,
                     struct ds *s)
{
    if (ovsdb_base_type_is_ref(base)) {
        ds_put_format(s, "%s%s", plural ? "references to " : "reference to ",
                      base->u.uuid.ref_table_name);
        return;
    }
    ds_put_cstr(s, ovsdb_atomic_type_to_string(base->type));
    if (plural) {
        ds_put_char(s, 's');
    }
}

char *
ovsdb_type_to_english(const struct ovsdb_type *type)
{
    struct ds s = DS_EMPTY_INITIALIZER;

    if (ovsdb_type_is_scalar(type)) {
        base_type_to_english(&type->key, false, &s);
        return ds_steal_cstr(&s);
    }
    if (ovsdb_type_is_optional_scalar(type)) {
        ds_put_cstr(&s, "optional ");
        base_type_to_english(&type->key, false, &s);
        return ds_steal_cstr(&s);
    }

    if (ovsdb_type_is_map(type)) {
        ds_put_cstr(&s, "map from ");
        base_type_to_english(&type->key, false, &s);
        ds_put_cstr(&s, " to ");
        base_type_to_english(&type->value, false, &s);
    } else {
        ds_put_cstr(&s, "set of ");
        base_type_to_english(&type->key, true, &s);
    }
    if (type->n_max != UINT_MAX) {
        if (type->n_min) {
            ds_put_format(&s, " (%u to %u elements)",
                          type->n_min, type->n_max);
        } else {
            ds_put_format(&s, " (up to %u elements)", type->n_max);
        }
    } else if (type->n_min) {
        ds_put_format(&s, " (at least %u element%s)", type->n_min,
                      type->n_min == 1 ? "" : "s");
    }
    return ds_steal_cstr(&s);
}
