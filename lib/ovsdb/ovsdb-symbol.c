/* ovsdb-symbol: the symbol table that resolves "named-uuid"s (and
 * ovs-vsctl's "@name"s) to uuids, and the <id> syntax of names.  The
 * contract is in ovsdb-data.h. */
#include <config.h>
#include "ovsdb-data.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "shash.h"
#include "util.h"

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

struct ovsdb_symbol *
ovsdb_symbol_table_reference(struct ovsdb_symbol_table *symtab,
                             const char *name,
                             const struct ovsdb_base_type *base)
{
    struct ovsdb_symbol *symbol = ovsdb_symbol_table_insert(symtab, name);
    if (ovsdb_base_type_is_strong_ref(base)) {
        symbol->strong_ref = true;
    } else if (ovsdb_base_type_is_weak_ref(base)) {
        symbol->weak_ref = true;
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
