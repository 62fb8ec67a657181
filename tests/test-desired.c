/* test-desired: drives vswitchd's desired-state builder (vswitchd/desired.c)
 * from a script on stdin and prints what it made of it.
 *
 * Script lines (words separated by blanks; '#' starts a comment):
 *
 *   bridge NAME [stp] [mcast] [KEY=VALUE]...      (Bridge other_config)
 *   port BRIDGE PORT [tag=N] [trunks=A,B,...] [vlan_mode=MODE]
 *        [oc:KEY=VALUE]...
 *        iface NAME TYPE [mac=MAC] [mtu=N] [KEY=VALUE]...  (options)
 *        [iface ...]
 *   vlan-bridge NAME VID                          (prints the name)
 *   print-vlans                                   (see below)
 *
 * At the end of input, finishes the configuration and prints each bridge
 * and interface, sorted by name; after print-vlans, each valid interface
 * is followed by a line with its VLAN mode and its VLANs on a
 * VLAN-filtering bridge ("vlans: MODE [pvid=VID[,tagged]]
 * [tagged=VID|FIRST-LAST,...]"). */
#include <config.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "desired.h"
#include "dynamic-string.h"
#include "shash.h"
#include "util.h"

#define MAX_WORDS 64

static int
compare_strings(const void *a_, const void *b_)
{
    const char *const *a = a_, *const *b = b_;

    return strcmp(*a, *b);
}

static void
put_kv(struct shash *sh, const char *kv)
{
    const char *eq = strchr(kv, '=');

    if (!eq) {
        vs_fatal(0, "%s: KEY=VALUE expected", kv);
    }
    char *key = xmemdup0(kv, eq - kv);

    free(shash_replace(sh, key, xstrdup(eq + 1)));
    free(key);
}

static void
destroy_smap(struct shash *sh)
{
    shash_destroy_free_data(sh);
}

static void
do_port(struct vsd_config *c, char *words[], int n)
{
    struct vsd_iface_spec specs[8];
    struct shash options[8], oc;
    struct vsd_port_spec ps;
    struct vsd_bridge *br;
    int64_t trunks[64];
    size_t n_specs = 0;
    int i;

    memset(&ps, 0, sizeof ps);
    memset(specs, 0, sizeof specs);
    br = vsd_config_find_bridge(c, words[1]);
    if (!br) {
        vs_fatal(0, "no bridge %s", words[1]);
    }
    ps.name = words[2];
    uuid_random(&ps.uuid);
    ps.tag = -1;
    shash_init(&oc);
    ps.other_config = &oc;
    ps.trunks = trunks;
    for (i = 3; i < n && strcmp(words[i], "iface"); i++) {
        if (str_starts_with(words[i], "tag=")) {
            long long int tag;

            if (!str_to_llong(words[i] + 4, &tag)) {
                vs_fatal(0, "bad %s", words[i]);
            }
            ps.tag = tag;
        } else if (str_starts_with(words[i], "trunks=")) {
            char *save = NULL;

            for (char *t = strtok_r(words[i] + 7, ",", &save); t;
                 t = strtok_r(NULL, ",", &save)) {
                long long int v;

                if (!str_to_llong(t, &v) || ps.n_trunks >= 64) {
                    vs_fatal(0, "bad trunk %s", t);
                }
                trunks[ps.n_trunks++] = v;
            }
        } else if (str_starts_with(words[i], "vlan_mode=")) {
            ps.vlan_mode = words[i] + 10;
        } else if (str_starts_with(words[i], "oc:")) {
            put_kv(&oc, words[i] + 3);
        } else {
            vs_fatal(0, "unknown port setting %s", words[i]);
        }
    }
    while (i < n) {
        struct vsd_iface_spec *s = &specs[n_specs];
        struct shash *opts = &options[n_specs];

        if (i + 2 >= n + 1 || n_specs >= 8) {
            vs_fatal(0, "iface NAME TYPE expected");
        }
        shash_init(opts);
        s->name = words[i + 1];
        uuid_random(&s->uuid);
        s->type = strcmp(words[i + 2], "\"\"") ? words[i + 2] : "";
        s->options = opts;
        for (i += 3; i < n && strcmp(words[i], "iface"); i++) {
            if (str_starts_with(words[i], "mac=")) {
                s->mac = words[i] + 4;
            } else if (str_starts_with(words[i], "mtu=")) {
                long long int mtu;

                if (!str_to_llong(words[i] + 4, &mtu)) {
                    vs_fatal(0, "bad %s", words[i]);
                }
                s->mtu_request = mtu;
            } else {
                put_kv(opts, words[i]);
            }
        }
        n_specs++;
    }
    ps.ifaces = specs;
    ps.n_ifaces = n_specs;
    vsd_config_add_port(c, br, &ps);
    for (size_t k = 0; k < n_specs; k++) {
        destroy_smap(&options[k]);
    }
    destroy_smap(&oc);
}

/* Appends VIDS (N, ascending) to S as "A,B-C,...". */
static void
put_vid_ranges(struct ds *s, const uint16_t *vids, size_t n)
{
    for (size_t k = 0; k < n; ) {
        size_t j = k + 1;

        while (j < n && vids[j] == vids[j - 1] + 1) {
            j++;
        }
        ds_put_format(s, "%s%u", k ? "," : "", vids[k]);
        if (j - k > 1) {
            ds_put_format(s, "-%u", vids[j - 1]);
        }
        k = j;
    }
}

static void
print_vlans(const struct vsd_iface *i)
{
    const struct vsd_vlans *v = &i->vlans;
    struct ds s = DS_EMPTY_INITIALIZER;

    ds_put_format(&s, "  vlans: %s", vsd_vlan_mode_to_string(i->vlan_mode));
    if (v->pvid) {
        ds_put_format(&s, " pvid=%u%s", v->pvid,
                      v->pvid_tagged ? ",tagged" : "");
    }
    if (v->n_tagged) {
        ds_put_cstr(&s, " tagged=");
        put_vid_ranges(&s, v->tagged, v->n_tagged);
    }
    printf("%s\n", ds_cstr(&s));
    ds_destroy(&s);
}

static void
print_config(const struct vsd_config *c, bool with_vlans)
{
    const struct vsd_bridge *br;
    const struct vsd_iface *i;
    const char **names;
    size_t n = 0;

    names = xmalloc((hmap_count(&c->bridges) + hmap_count(&c->ifaces) + 1)
                    * sizeof *names);
    HMAP_FOR_EACH (br, node, &c->bridges) {
        names[n++] = br->name;
    }
    qsort(names, n, sizeof *names, compare_strings);
    for (size_t k = 0; k < n; k++) {
        br = vsd_config_find_bridge(c, names[k]);
        printf("bridge %s: stp=%d mcast=%d ageing=%d isolation=%s vlans=",
               br->name, br->stp, br->mcast_snooping, br->ageing,
               vsd_isolation_to_string(br->isolation));
        if (!br->needs_vlans) {
            printf("no");
        }
        for (size_t v = 0; v < br->n_access_vlans; v++) {
            printf("%s%u", v ? "," : "access:", br->access_vlans[v]);
        }
        if (br->needs_vlans && !br->n_access_vlans) {
            printf("trunks-only");
        }
        printf("\n");
        if (br->warning) {
            printf("  warning: %s\n", br->warning);
        }
    }

    n = 0;
    HMAP_FOR_EACH (i, node, &c->ifaces) {
        names[n++] = i->name;
    }
    qsort(names, n, sizeof *names, compare_strings);
    for (size_t k = 0; k < n; k++) {
        struct ds s = DS_EMPTY_INITIALIZER;

        i = vsd_config_find_iface(c, names[k]);
        ds_put_format(&s, "%s (%s on %s): ", i->name,
                      i->error ? (i->type[0] ? i->type : "system")
                               : vsd_iface_kind_to_string(i->kind),
                      i->br->name);
        if (i->error) {
            ds_put_format(&s, "error: %s", i->error);
        } else {
            if (i->tag) {
                ds_put_format(&s, "tag=%d ", i->tag);
            }
            for (size_t t = 0; t < i->n_trunks; t++) {
                ds_put_format(&s, "%s%u", t ? "," : "trunks=",
                              i->trunks[t]);
            }
            if (i->n_trunks) {
                ds_put_char(&s, ' ');
            }
            if (i->isolated) {
                ds_put_cstr(&s, "isolated ");
            }
            if (i->mac) {
                ds_put_format(&s, "mac=%s ", i->mac);
            }
            if (i->mtu) {
                ds_put_format(&s, "mtu=%d ", i->mtu);
            }
            if (i->peer) {
                ds_put_format(&s, "peer=%s netns=%s ", i->peer,
                              i->netns ? i->netns : "-");
            }
            for (size_t a = 0; a < i->n_addrs; a++) {
                ds_put_format(&s, "%s%s", a ? "," : "addr=", i->addrs[a]);
            }
            if (i->n_addrs) {
                ds_put_char(&s, ' ');
            }
            for (size_t a = 0; a < i->n_gateways; a++) {
                ds_put_format(&s, "%s%s", a ? "," : "gw=", i->gateways[a]);
            }
            if (i->n_gateways) {
                ds_put_char(&s, ' ');
            }
            if (i->remote_ip) {
                ds_put_format(&s, "vni=%"PRIu32" remote=%s local=%s "
                              "port=%d ", i->vni, i->remote_ip,
                              i->local_ip ? i->local_ip : "-", i->dst_port);
            }
            if (i->bridge_self) {
                ds_put_cstr(&s, "bridge-self ");
            }
            if (i->bport) {
                ds_put_format(&s, "bport=%.4s* ", i->bport);
            }
            ds_chomp(&s, ' ');
        }
        printf("%s\n", ds_cstr(&s));
        ds_destroy(&s);
        if (with_vlans && !i->error) {
            print_vlans(i);
        }
    }
    free(names);
}

int
main(int argc VS_UNUSED, char *argv[])
{
    struct vsd_config *c = vsd_config_create(1);
    struct ds line = DS_EMPTY_INITIALIZER;
    bool with_vlans = false;

    set_program_name(argv[0]);
    while (!ds_get_line(&line, stdin)) {
        char *words[MAX_WORDS], *save = NULL, *p;
        int n = 0;

        p = strchr(ds_cstr(&line), '#');
        if (p) {
            *p = '\0';
        }
        for (char *w = strtok_r(ds_cstr(&line), " \t", &save); w;
             w = strtok_r(NULL, " \t", &save)) {
            if (n >= MAX_WORDS) {
                vs_fatal(0, "too many words");
            }
            words[n++] = w;
        }
        if (!n) {
            continue;
        }
        if (!strcmp(words[0], "bridge") && n >= 2) {
            struct shash oc = SHASH_INITIALIZER(&oc);
            bool stp = false, mcast = false;
            struct uuid u;

            for (int k = 2; k < n; k++) {
                if (!strcmp(words[k], "stp")) {
                    stp = true;
                } else if (!strcmp(words[k], "mcast")) {
                    mcast = true;
                } else {
                    put_kv(&oc, words[k]);
                }
            }
            uuid_random(&u);
            if (!vsd_config_add_bridge(c, words[1], &u, stp, mcast, &oc)) {
                printf("bridge %s: duplicate\n", words[1]);
            }
            destroy_smap(&oc);
        } else if (!strcmp(words[0], "port") && n >= 3) {
            do_port(c, words, n);
        } else if (!strcmp(words[0], "print-vlans") && n == 1) {
            with_vlans = true;
        } else if (!strcmp(words[0], "vlan-bridge") && n == 3) {
            int vid;
            char *name;

            if (!str_to_int(words[2], &vid)) {
                vs_fatal(0, "bad VLAN %s", words[2]);
            }
            name = vsd_vlan_bridge_name(words[1], vid);
            printf("vlan-bridge %s %d: %s (%zu characters)\n", words[1],
                   vid, name, strlen(name));
            free(name);
        } else {
            vs_fatal(0, "cannot parse: %s", words[0]);
        }
    }
    ds_destroy(&line);
    vsd_config_finish(c);
    print_config(c, with_vlans);
    vsd_config_destroy(c);
    return 0;
}
