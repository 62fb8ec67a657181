/* String-keyed map: see shash.h. */
#include <config.h>
#include "shash.h"

#include <stdlib.h>
#include <string.h>
#include "hash.h"

static uint32_t
name_hash(const char *name)
{
    return hash_string(name, 0);
}

void
shash_init(struct shash *sh)
{
    hmap_init(&sh->map);
}

void
shash_clear(struct shash *sh)
{
    struct shash_node *node;

    HMAP_FOR_EACH_POP (node, node, &sh->map) {
        free(node->name);
        free(node);
    }
}

void
shash_destroy(struct shash *sh)
{
    if (sh) {
        shash_clear(sh);
        hmap_destroy(&sh->map);
    }
}

void
shash_destroy_free_data(struct shash *sh)
{
    if (sh) {
        struct shash_node *node;

        HMAP_FOR_EACH_POP (node, node, &sh->map) {
            free(node->data);
            free(node->name);
            free(node);
        }
        hmap_destroy(&sh->map);
    }
}

size_t
shash_count(const struct shash *sh)
{
    return hmap_count(&sh->map);
}

bool
shash_is_empty(const struct shash *sh)
{
    return hmap_is_empty(&sh->map);
}

struct shash_node *
shash_add(struct shash *sh, const char *name, void *data)
{
    struct shash_node *node = xmalloc(sizeof *node);

    node->name = xstrdup(name);
    node->data = data;
    hmap_insert(&sh->map, &node->node, name_hash(name));
    return node;
}

bool
shash_add_once(struct shash *sh, const char *name, void *data)
{
    if (shash_find(sh, name)) {
        return false;
    }
    shash_add(sh, name, data);
    return true;
}

void *
shash_replace(struct shash *sh, const char *name, void *data)
{
    struct shash_node *node = shash_find(sh, name);

    if (!node) {
        shash_add(sh, name, data);
        return NULL;
    } else {
        void *old = node->data;
        node->data = data;
        return old;
    }
}

void *
shash_delete(struct shash *sh, struct shash_node *node)
{
    void *data = node->data;

    hmap_remove(&sh->map, &node->node);
    free(node->name);
    free(node);
    return data;
}

void *
shash_find_and_delete(struct shash *sh, const char *name)
{
    struct shash_node *node = shash_find(sh, name);
    return node ? shash_delete(sh, node) : NULL;
}

struct shash_node *
shash_find(const struct shash *sh, const char *name)
{
    struct shash_node *node;

    HMAP_FOR_EACH_WITH_HASH (node, node, name_hash(name), &sh->map) {
        if (!strcmp(node->name, name)) {
            return node;
        }
    }
    return NULL;
}

void *
shash_find_data(const struct shash *sh, const char *name)
{
    struct shash_node *node = shash_find(sh, name);
    return node ? node->data : NULL;
}

static int
compare_nodes_by_name(const void *a_, const void *b_)
{
    const struct shash_node *const *a = a_;
    const struct shash_node *const *b = b_;
    return strcmp((*a)->name, (*b)->name);
}

const struct shash_node **
shash_sort(const struct shash *sh)
{
    size_t n = shash_count(sh);
    const struct shash_node **nodes;
    struct shash_node *node;
    size_t i = 0;

    if (!n) {
        return NULL;
    }
    nodes = xmalloc(n * sizeof *nodes);
    SHASH_FOR_EACH (node, sh) {
        nodes[i++] = node;
    }
    qsort(nodes, n, sizeof *nodes, compare_nodes_by_name);
    return nodes;
}
