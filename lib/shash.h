/* A map from strings to opaque pointers, built on hmap. */
#ifndef SHASH_H
#define SHASH_H 1

#include "hmap.h"

struct shash_node {
    struct hmap_node node;
    char *name;
    void *data;
};

struct shash {
    struct hmap map;
};

#define SHASH_INITIALIZER(SHASH) { HMAP_INITIALIZER(&(SHASH)->map) }

#define SHASH_FOR_EACH(NODE, SHASH) \
    HMAP_FOR_EACH (NODE, node, &(SHASH)->map)
#define SHASH_FOR_EACH_SAFE(NODE, SHASH) \
    HMAP_FOR_EACH_SAFE (NODE, node, &(SHASH)->map)

void shash_init(struct shash *);
/* Frees the nodes and names, not the data. */
void shash_destroy(struct shash *);
/* Like shash_destroy() but also free()s each data pointer. */
void shash_destroy_free_data(struct shash *);
void shash_clear(struct shash *);
size_t shash_count(const struct shash *);
bool shash_is_empty(const struct shash *);

/* Adds NAME -> DATA without checking for duplicates. */
struct shash_node *shash_add(struct shash *, const char *name, void *data);
/* Adds NAME -> DATA unless NAME exists; returns false if it existed. */
bool shash_add_once(struct shash *, const char *name, void *data);
/* Sets NAME -> DATA, returning the old data or NULL. */
void *shash_replace(struct shash *, const char *name, void *data);
/* Removes NODE, returning its data. */
void *shash_delete(struct shash *, struct shash_node *);
/* Removes NAME if present, returning its data or NULL. */
void *shash_find_and_delete(struct shash *, const char *name);

struct shash_node *shash_find(const struct shash *, const char *name);
void *shash_find_data(const struct shash *, const char *name);

/* Returns the nodes in an array sorted by name; the caller frees the
 * array (not the nodes).  Returns NULL for an empty map. */
const struct shash_node **shash_sort(const struct shash *);

#endif /* shash.h */
