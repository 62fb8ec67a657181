/* The kernel view of a reconciliation pass (see reconciler-private.h):
 * the host namespace's links from one dump, found by name or ifindex, and
 * kept current as the pass changes them (one request per changed link,
 * never another dump). */
#include <config.h>

#include "reconciler-private.h"

#include <stdlib.h>
#include <string.h>
#include "netlink.h"
#include "shash.h"
#include "util.h"
#include "vlog.h"

static struct vlog_module *const THIS_MODULE = &VLM_reconciler;

int
kv_load(struct reconciler *rc, struct kview *kv)
{
    char *msg = NULL;
    int error;

    memset(kv, 0, sizeof *kv);
    shash_init(&kv->by_name);
    error = netlink_link_dump(rc->hns, &kv->links, &kv->n, &msg);
    if (error) {
        VLOG_WARN_RL(&rc_rl, "cannot read the kernel's links: %s",
                     msg ? msg : vs_strerror(error));
        free(msg);
        kv->links = NULL;
        kv->n = 0;
        return error;
    }
    for (size_t i = 0; i < kv->n; i++) {
        shash_replace(&kv->by_name, kv->links[i].name, &kv->links[i]);
    }
    return 0;
}

void
kv_destroy(struct kview *kv)
{
    shash_destroy(&kv->by_name);
    free(kv->links);
    for (size_t i = 0; i < kv->n_extra; i++) {
        free(kv->extra[i]);
    }
    free(kv->extra);
}

const struct netlink_link *
kv_find(const struct kview *kv, const char *name)
{
    return shash_find_data(&kv->by_name, name);
}

const struct netlink_link *
kv_find_by_index(const struct kview *kv, int ifindex)
{
    const struct netlink_link *l = netlink_link_find(kv->links, kv->n,
                                                     ifindex);

    if (l && kv_find(kv, l->name) == l) {
        return l;
    }
    for (size_t i = 0; i < kv->n_extra; i++) {
        if (kv->extra[i]->ifindex == ifindex
            && kv_find(kv, kv->extra[i]->name) == kv->extra[i]) {
            return kv->extra[i];
        }
    }
    return NULL;
}

void
kv_forget(struct kview *kv, const char *name)
{
    shash_find_and_delete(&kv->by_name, name);
}

const struct netlink_link *
kv_refresh(struct reconciler *rc, struct kview *kv, const char *name)
{
    struct netlink_link *l = xmalloc(sizeof *l);

    if (netlink_link_get(rc->hns, name, l, NULL)) {
        free(l);
        kv_forget(kv, name);
        return NULL;
    }
    if (kv->n_extra >= kv->allocated_extra) {
        kv->allocated_extra = kv->allocated_extra
                              ? 2 * kv->allocated_extra : 8;
        kv->extra = xrealloc(kv->extra,
                             kv->allocated_extra * sizeof *kv->extra);
    }
    kv->extra[kv->n_extra++] = l;
    shash_replace(&kv->by_name, name, l);
    return l;
}

int
kv_ifindex(const struct kview *kv, const char *name)
{
    const struct netlink_link *l = kv_find(kv, name);

    return l ? l->ifindex : 0;
}
