/* Unit tests for list.h, hmap.h and shash.h.  Each subcommand runs one
 * group of checks and prints "ok" lines; a failed check aborts with the
 * location. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hash.h"
#include "hmap.h"
#include "list.h"
#include "shash.h"
#include "util.h"

struct element {
    int value;
    struct vs_list list_node;
    struct hmap_node hmap_node;
};

/* Checks that LIST holds exactly VALUES[0..N-1] in order, both ways. */
static void
check_list(struct vs_list *list, const int values[], size_t n)
{
    struct element *e;
    size_t i = 0;

    LIST_FOR_EACH (e, list_node, list) {
        vs_assert(i < n);
        vs_assert(e->value == values[i]);
        i++;
    }
    vs_assert(i == n);
    vs_assert(vs_list_size(list) == n);
    vs_assert(vs_list_is_empty(list) == !n);
    for (struct vs_list *node = list->prev; node != list; node = node->prev) {
        vs_assert(CONTAINER_OF(node, struct element, list_node)->value
                  == values[--i]);
    }
}

static void
test_list(void)
{
    struct element elems[5];
    struct vs_list list = VS_LIST_INITIALIZER(&list);
    struct element *e;

    check_list(&list, NULL, 0);
    for (int i = 0; i < 5; i++) {
        elems[i].value = i;
        vs_list_push_back(&list, &elems[i].list_node);
    }
    check_list(&list, (int[]) {0, 1, 2, 3, 4}, 5);

    LIST_FOR_EACH_SAFE (e, list_node, &list) {
        if (e->value % 2) {
            vs_list_remove(&e->list_node);
        }
    }
    check_list(&list, (int[]) {0, 2, 4}, 3);

    vs_list_push_front(&list, &elems[3].list_node);
    check_list(&list, (int[]) {3, 0, 2, 4}, 4);

    struct vs_list other = VS_LIST_INITIALIZER(&other);
    vs_list_push_back(&other, &elems[1].list_node);
    vs_list_splice_back(&list, &other);
    check_list(&list, (int[]) {3, 0, 2, 4, 1}, 5);
    vs_assert(vs_list_is_empty(&other));

    int n = 0;
    LIST_FOR_EACH_POP (e, list_node, &list) {
        n++;
    }
    vs_assert(n == 5 && vs_list_is_empty(&list));
    printf("list: ok\n");
}

static struct element *
hmap_find(const struct hmap *map, int value, uint32_t (*hash)(int))
{
    struct element *e;

    HMAP_FOR_EACH_WITH_HASH (e, hmap_node, hash(value), map) {
        if (e->value == value) {
            return e;
        }
    }
    return NULL;
}

static uint32_t good_hash(int value) { return hash_int(value, 0); }
static uint32_t constant_hash(int value VS_UNUSED) { return 42; }

/* Inserts N elements, removes every third, checks membership, iteration
 * counts and that the table shrinks and grows. */
static void
test_hmap_with(uint32_t (*hash)(int), int n)
{
    struct element *elems = xcalloc(n, sizeof *elems);
    struct hmap map = HMAP_INITIALIZER(&map);
    struct element *e;
    int count;

    for (int i = 0; i < n; i++) {
        elems[i].value = i;
        hmap_insert(&map, &elems[i].hmap_node, hash(i));
    }
    vs_assert(hmap_count(&map) == (size_t) n);
    for (int i = 0; i < n; i++) {
        vs_assert(hmap_find(&map, i, hash) == &elems[i]);
    }
    vs_assert(!hmap_find(&map, n, hash));

    HMAP_FOR_EACH_SAFE (e, hmap_node, &map) {
        if (e->value % 3 == 0) {
            hmap_remove(&map, &e->hmap_node);
        }
    }
    count = 0;
    HMAP_FOR_EACH (e, hmap_node, &map) {
        vs_assert(e->value % 3 != 0);
        count++;
    }
    vs_assert(count == n - (n + 2) / 3);
    vs_assert(hmap_count(&map) == (size_t) count);
    for (int i = 0; i < n; i++) {
        vs_assert(!hmap_find(&map, i, hash) == (i % 3 == 0));
    }

    HMAP_FOR_EACH_POP (e, hmap_node, &map) {
        count--;
    }
    vs_assert(count == 0 && hmap_is_empty(&map));
    hmap_shrink(&map);
    vs_assert(map.mask == 0);
    hmap_destroy(&map);
    free(elems);
}

static void
test_hmap(void)
{
    test_hmap_with(good_hash, 10000);
    test_hmap_with(constant_hash, 300);
    for (int n = 0; n < 40; n++) {
        test_hmap_with(good_hash, n);
    }

    struct hmap a = HMAP_INITIALIZER(&a), b = HMAP_INITIALIZER(&b);
    struct element e1 = { .value = 1 };
    hmap_insert(&a, &e1.hmap_node, good_hash(1));
    hmap_swap(&a, &b);
    vs_assert(hmap_is_empty(&a) && hmap_find(&b, 1, good_hash) == &e1);
    hmap_destroy(&a);
    hmap_destroy(&b);
    printf("hmap: ok\n");
}

static void
test_shash(void)
{
    struct shash sh = SHASH_INITIALIZER(&sh);
    const struct shash_node **sorted;
    static const char *names[] = { "vlog/set", "exit", "version", "a" };

    for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
        vs_assert(shash_add_once(&sh, names[i], (void *) names[i]));
    }
    vs_assert(!shash_add_once(&sh, "exit", NULL));
    vs_assert(shash_count(&sh) == 4);
    vs_assert(shash_find_data(&sh, "version") == names[2]);
    vs_assert(!shash_find(&sh, "versio"));
    vs_assert(shash_replace(&sh, "a", "b") == names[3]);
    vs_assert(!strcmp(shash_find_data(&sh, "a"), "b"));

    sorted = shash_sort(&sh);
    for (size_t i = 0; i < 4; i++) {
        printf("%s%s", i ? " " : "", sorted[i]->name);
    }
    printf("\n");
    free(sorted);

    vs_assert(shash_find_and_delete(&sh, "exit") == names[1]);
    vs_assert(!shash_find_and_delete(&sh, "exit"));
    vs_assert(shash_count(&sh) == 3);
    shash_destroy(&sh);
    vs_assert(!shash_sort(&sh));
    printf("shash: ok\n");
}

int
main(int argc, char *argv[])
{
    set_program_name(argv[0]);
    if (argc != 2) {
        vs_fatal(0, "usage: %s list|hmap|shash", program_name);
    }
    if (!strcmp(argv[1], "list")) {
        test_list();
    } else if (!strcmp(argv[1], "hmap")) {
        test_hmap();
    } else if (!strcmp(argv[1], "shash")) {
        test_shash();
    } else {
        vs_fatal(0, "unknown test \"%s\"", argv[1]);
    }
    return 0;
}
