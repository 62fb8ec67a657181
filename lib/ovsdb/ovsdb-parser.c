/* Parsing JSON objects with a fixed set of members. */
#include <config.h>
#include "ovsdb-parser.h"

#include <stdlib.h>
#include "ovsdb-data.h"
#include "ovsdb-error.h"
#include "util.h"

void
ovsdb_parser_init(struct ovsdb_parser *parser, const json_t *json,
                  const char *name, ...)
{
    va_list args;

    va_start(args, name);
    parser->name = xvasprintf(name, args);
    va_end(args);

    shash_init(&parser->used);
    parser->json = json;
    parser->error = NULL;
    if (!json_is_object(json)) {
        parser->error = ovsdb_syntax_error(json, NULL,
                                           "%s is not an object",
                                           parser->name);
    }
}

static bool
json_has_type(const json_t *value, enum ovsdb_parser_types types)
{
    switch (json_typeof(value)) {
    case JSON_NULL:
        return types & OP_NULL;
    case JSON_FALSE:
        return types & OP_FALSE;
    case JSON_TRUE:
        return types & OP_TRUE;
    case JSON_INTEGER:
        return types & OP_INTEGER;
    case JSON_REAL:
        return types & OP_NONINTEGER;
    case JSON_STRING:
        return types & (OP_STRING | OP_ID);
    case JSON_ARRAY:
        return types & OP_ARRAY;
    case JSON_OBJECT:
        return types & OP_OBJECT;
    }
    return false;
}

const json_t *
ovsdb_parser_member(struct ovsdb_parser *parser, const char *name,
                    enum ovsdb_parser_types types)
{
    const json_t *value;

    if (parser->error) {
        return NULL;
    }

    value = json_object_get(parser->json, name);
    if (!value) {
        if (!(types & OP_OPTIONAL)) {
            ovsdb_parser_raise_error(parser, "%s: required member \"%s\" "
                                     "is missing", parser->name, name);
        }
        return NULL;
    }

    shash_add_once(&parser->used, name, NULL);
    if (!json_has_type(value, types)) {
        parser->error = ovsdb_syntax_error(value, NULL,
                                           "%s: member \"%s\" has wrong type",
                                           parser->name, name);
        return NULL;
    }
    if ((types & OP_ID) && !(types & OP_STRING)
        && !ovsdb_is_valid_id(json_string_value(value))) {
        parser->error = ovsdb_syntax_error(value, NULL,
                                           "%s: member \"%s\" is not a "
                                           "valid <id>", parser->name, name);
        return NULL;
    }
    return value;
}

void
ovsdb_parser_put_error(struct ovsdb_parser *parser, struct ovsdb_error *error)
{
    if (parser->error) {
        ovsdb_error_destroy(error);
    } else {
        parser->error = error;
    }
}

void
ovsdb_parser_raise_error(struct ovsdb_parser *parser, const char *format,
                         ...)
{
    if (!parser->error) {
        va_list args;

        va_start(args, format);
        parser->error = ovsdb_error_valist("syntax error", format, args);
        va_end(args);
    }
}

bool
ovsdb_parser_has_error(const struct ovsdb_parser *parser)
{
    return parser->error != NULL;
}

struct ovsdb_error *
ovsdb_parser_finish(struct ovsdb_parser *parser)
{
    if (!parser->error) {
        const char *key;
        json_t *value;

        json_object_foreach ((json_t *) parser->json, key, value) {
            if (!shash_find(&parser->used, key)) {
                parser->error = ovsdb_syntax_error(
                    parser->json, NULL, "%s has unknown member \"%s\"",
                    parser->name, key);
                break;
            }
        }
    }

    struct ovsdb_error *error = parser->error;
    parser->error = NULL;
    ovsdb_parser_destroy(parser);
    return error;
}

void
ovsdb_parser_destroy(struct ovsdb_parser *parser)
{
    free(parser->name);
    parser->name = NULL;
    shash_destroy(&parser->used);
    ovsdb_error_destroy(parser->error);
    parser->error = NULL;
}
