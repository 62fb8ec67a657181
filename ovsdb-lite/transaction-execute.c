/* ovsdb-lite: executing a "transact" request (RFC 7047 section 4.1.3):
 * its params, the operations in turn, the results array.  See
 * transaction.h and transaction-private.h. */
#include <config.h>

#include "transaction-private.h"

#include <limits.h>
#include <string.h>
#include "database.h"
#include "ovsdb-error.h"
#include "ovsdb-parser.h"
#include "ovsdb-row.h"

/* Returns NULL if PARAMS is an array whose first element names DB,
 * otherwise the error. */
static struct ovsdb_error *
check_params(const struct db *db, const json_t *params)
{
    if (!json_is_array(params)) {
        return ovsdb_syntax_error(params, NULL, "array expected");
    }
    if (!json_array_size(params)
        || !json_is_string(json_array_get(params, 0))
        || strcmp(json_string_value(json_array_get(params, 0)), db->name)) {
        return ovsdb_syntax_error(params, NULL, "database name expected "
                                  "as first parameter");
    }
    return NULL;
}

/* Runs OPERATION, number I of N_OPS, filling its RESULT object.  Returns
 * NULL or its error; an unsatisfied "wait" leaves X->blocked set. */
static struct ovsdb_error *
execute_operation(struct exec *x, const json_t *operation, size_t i,
                  size_t n_ops, json_t *result)
{
    struct ovsdb_error *error = NULL, *parse_error;
    struct ovsdb_parser parser;
    const json_t *op;

    ovsdb_parser_init(&parser, operation, "ovsdb operation %zu of %zu",
                      i, n_ops);
    op = ovsdb_parser_member(&parser, "op", OP_ID);
    if (op) {
        txn_op_func *func = txn_op_lookup(json_string_value(op));
        if (func) {
            error = func(x, &parser, result);
        } else {
            ovsdb_parser_raise_error(&parser, "No operation \"%s\"",
                                     json_string_value(op));
        }
    }
    parse_error = ovsdb_parser_finish(&parser);
    if (parse_error) {
        ovsdb_error_destroy(error);
        error = parse_error;
        x->blocked = false;
    }
    return error;
}

/* Runs the operations of PARAMS (after the database name) in turn until
 * one fails.  Returns NULL or the failing operation's error.  *RESULTSP
 * is the results array: one result per operation that ran, the error for
 * the one that failed, null for those that did not run; or NULL if an
 * unsatisfied "wait" stopped the request. */
static struct ovsdb_error *
execute_operations(struct exec *x, const json_t *params, json_t **resultsp)
{
    size_t n_ops = json_array_size(params) - 1;
    json_t *results = json_array();

    for (size_t i = 1; i <= n_ops; i++) {
        json_t *result = json_object();
        struct ovsdb_error *error;

        error = execute_operation(x, json_array_get(params, i), i, n_ops,
                                  result);
        if (!error) {
            json_array_append_new(results, result);
            continue;
        }
        json_decref(result);
        if (x->blocked) {
            /* An unsatisfied "wait": retry later. */
            json_decref(results);
            results = NULL;
        } else {
            json_array_append_new(results, ovsdb_error_to_json(error));
            while (json_array_size(results) < n_ops) {
                json_array_append_new(results, json_null());
            }
        }
        *resultsp = results;
        return error;
    }
    *resultsp = results;
    return NULL;
}

struct txn *
txn_execute(struct db *db, const json_t *params,
            const struct txn_context *ctx, json_t **resultsp,
            long long int *timeout_msecp)
{
    struct ovsdb_error *error;
    struct exec x;

    *timeout_msecp = LLONG_MAX;
    error = check_params(db, params);
    if (error) {
        *resultsp = ovsdb_error_to_json_free(error);
        return NULL;
    }

    x.txn = txn_create(db);
    x.symtab = ovsdb_symbol_table_create();
    x.ctx = ctx;
    x.timeout_msec = LLONG_MAX;
    x.blocked = false;

    error = execute_operations(&x, params, resultsp);
    if (x.blocked) {
        *timeout_msecp = x.timeout_msec;
    } else if (!error) {
        error = txn_prepare(x.txn);
        if (error) {
            json_array_append_new(*resultsp, ovsdb_error_to_json(error));
        }
    }
    ovsdb_symbol_table_destroy(x.symtab);

    if (error) {
        ovsdb_error_destroy(error);
        txn_abort(x.txn);
        return NULL;
    }
    return x.txn;
}
