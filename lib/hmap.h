/* Intrusive hash map with chaining; the caller supplies hash values.
 * Buckets are a power of two; the map grows by itself in hmap_insert().  It
 * never shrinks by itself (so that removal is safe during iteration): call
 * hmap_shrink() after removing many nodes. */
#ifndef HMAP_H
#define HMAP_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "util.h"

struct hmap_node {
    uint32_t hash;
    struct hmap_node *next;
};

struct hmap {
    struct hmap_node **buckets;
    struct hmap_node *one;      /* Storage when mask == 0. */
    size_t mask;
    size_t n;
};

#define HMAP_INITIALIZER(HMAP) { &(HMAP)->one, NULL, 0, 0 }

void hmap_init(struct hmap *);
/* Frees the bucket array; nodes are the caller's. */
void hmap_destroy(struct hmap *);
/* Removes all nodes (without freeing them). */
void hmap_clear(struct hmap *);
void hmap_swap(struct hmap *, struct hmap *);
void hmap_moved(struct hmap *);

static inline size_t hmap_count(const struct hmap *h) { return h->n; }
static inline bool hmap_is_empty(const struct hmap *h) { return !h->n; }

/* Inserts NODE with HASH; may grow the table. */
void hmap_insert(struct hmap *, struct hmap_node *node, uint32_t hash);
/* Removes NODE.  Never resizes the table. */
void hmap_remove(struct hmap *, struct hmap_node *node);
/* Low-level variants that never resize. */
void hmap_insert_fast(struct hmap *, struct hmap_node *, uint32_t hash);
void hmap_remove_fast(struct hmap *, struct hmap_node *);
void hmap_expand(struct hmap *);
void hmap_shrink(struct hmap *);
void hmap_reserve(struct hmap *, size_t capacity);

/* First node with HASH, or NULL; then hmap_next_with_hash(). */
struct hmap_node *hmap_first_with_hash(const struct hmap *, uint32_t hash);
struct hmap_node *hmap_next_with_hash(const struct hmap_node *);
/* Iteration in bucket order: hmap_first(), hmap_next(). */
struct hmap_node *hmap_first(const struct hmap *);
struct hmap_node *hmap_next(const struct hmap *, const struct hmap_node *);

#define HMAP_FOR_EACH_WITH_HASH(NODE, MEMBER, HASH, HMAP) \
    for (struct hmap_node *hmap_iter__ = hmap_first_with_hash(HMAP, HASH); \
         hmap_iter__ && ASSIGN_CONTAINER(NODE, hmap_iter__, MEMBER); \
         hmap_iter__ = hmap_next_with_hash(hmap_iter__))

#define HMAP_FOR_EACH(NODE, MEMBER, HMAP) \
    for (struct hmap_node *hmap_iter__ = hmap_first(HMAP); \
         hmap_iter__ && ASSIGN_CONTAINER(NODE, hmap_iter__, MEMBER); \
         hmap_iter__ = hmap_next(HMAP, hmap_iter__))

/* Safe against removing NODE (hmap_remove() and hmap_remove_fast() never
 * resize). */
#define HMAP_FOR_EACH_SAFE(NODE, MEMBER, HMAP) \
    for (struct hmap_node *hmap_iter__ = hmap_first(HMAP), \
                          *hmap_next__ = NULL; \
         hmap_iter__ \
         && (hmap_next__ = hmap_next(HMAP, hmap_iter__), 1) \
         && ASSIGN_CONTAINER(NODE, hmap_iter__, MEMBER); \
         hmap_iter__ = hmap_next__)

/* Removes each node in turn (never shrinking) and binds it to NODE. */
#define HMAP_FOR_EACH_POP(NODE, MEMBER, HMAP) \
    for (struct hmap_node *hmap_iter__; \
         (hmap_iter__ = hmap_first(HMAP)) != NULL \
         && (hmap_remove_fast(HMAP, hmap_iter__), 1) \
         && ASSIGN_CONTAINER(NODE, hmap_iter__, MEMBER);)

#endif /* hmap.h */
