/* Intrusive circular doubly linked list. */
#ifndef LIST_H
#define LIST_H 1

#include <stdbool.h>
#include <stddef.h>
#include "util.h"

struct vs_list {
    struct vs_list *prev;
    struct vs_list *next;
};

#define VS_LIST_INITIALIZER(LIST) { LIST, LIST }

static inline void
vs_list_init(struct vs_list *list)
{
    list->next = list->prev = list;
}

/* Inserts ELEM just before BEFORE. */
static inline void
vs_list_insert(struct vs_list *before, struct vs_list *elem)
{
    elem->prev = before->prev;
    elem->next = before;
    before->prev->next = elem;
    before->prev = elem;
}

static inline void
vs_list_push_front(struct vs_list *list, struct vs_list *elem)
{
    vs_list_insert(list->next, elem);
}

static inline void
vs_list_push_back(struct vs_list *list, struct vs_list *elem)
{
    vs_list_insert(list, elem);
}

/* Removes ELEM from its list and returns the element that followed it. */
static inline struct vs_list *
vs_list_remove(struct vs_list *elem)
{
    elem->prev->next = elem->next;
    elem->next->prev = elem->prev;
    return elem->next;
}

static inline bool
vs_list_is_empty(const struct vs_list *list)
{
    return list->next == list;
}

/* Removes and returns the first element; LIST must not be empty. */
static inline struct vs_list *
vs_list_pop_front(struct vs_list *list)
{
    struct vs_list *front = list->next;
    vs_list_remove(front);
    return front;
}

static inline struct vs_list *
vs_list_front(const struct vs_list *list)
{
    return list->next;
}

static inline struct vs_list *
vs_list_back(const struct vs_list *list)
{
    return list->prev;
}

/* Returns the number of elements: O(n). */
static inline size_t
vs_list_size(const struct vs_list *list)
{
    size_t n = 0;
    for (const struct vs_list *e = list->next; e != list; e = e->next) {
        n++;
    }
    return n;
}

/* Moves all of SRC's elements to the end of DST; SRC becomes empty. */
static inline void
vs_list_splice_back(struct vs_list *dst, struct vs_list *src)
{
    if (!vs_list_is_empty(src)) {
        src->next->prev = dst->prev;
        dst->prev->next = src->next;
        src->prev->next = dst;
        dst->prev = src->prev;
        vs_list_init(src);
    }
}

#define LIST_FOR_EACH(ITER, MEMBER, LIST) \
    for (struct vs_list *iter_node__ = (LIST)->next; \
         iter_node__ != (LIST) \
         && ASSIGN_CONTAINER(ITER, iter_node__, MEMBER); \
         iter_node__ = iter_node__->next)

/* Safe against removal of ITER during the loop. */
#define LIST_FOR_EACH_SAFE(ITER, MEMBER, LIST) \
    for (struct vs_list *iter_node__ = (LIST)->next, \
                        *iter_next__ = iter_node__->next; \
         iter_node__ != (LIST) \
         && ASSIGN_CONTAINER(ITER, iter_node__, MEMBER); \
         iter_node__ = iter_next__, iter_next__ = iter_node__->next)

/* Removes each element in turn and binds it to ITER. */
#define LIST_FOR_EACH_POP(ITER, MEMBER, LIST) \
    while (!vs_list_is_empty(LIST) \
           && ASSIGN_CONTAINER(ITER, vs_list_pop_front(LIST), MEMBER))

#endif /* list.h */
