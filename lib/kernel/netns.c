/* Network namespaces: see netns.h. */
#include <config.h>

#include "netns.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "coverage.h"
#include "util.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(netns);

COVERAGE_DEFINE(netns_switch);
COVERAGE_DEFINE(netns_add);
COVERAGE_DEFINE(netns_del);

struct netns {
    char *spec;                 /* As given to netns_open(); NULL: current. */
    char *desc;                 /* For messages. */
    int fd;                     /* O_RDONLY fd of the namespace file. */
    struct netns_id id;
};

/* The namespace of the (single) thread using this module, opened on first
 * use.  netns_call() always returns to it. */
static int home_fd = -1;
static struct netns_id home_id;

static void VS_PRINTF_FORMAT(2, 3)
set_error(char **errp, const char *format, ...)
{
    if (errp) {
        va_list args;

        va_start(args, format);
        *errp = xvasprintf(format, args);
        va_end(args);
    }
}

static void
clear_error(char **errp)
{
    if (errp) {
        *errp = NULL;
    }
}

static int
init_home(char **errp)
{
    if (home_fd < 0) {
        struct stat s;
        int fd;

        fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            int error = errno;
            set_error(errp, "cannot open the current network namespace "
                      "(%s)", vs_strerror(error));
            return error;
        }
        if (fstat(fd, &s)) {
            int error = errno;
            close(fd);
            set_error(errp, "cannot stat the current network namespace "
                      "(%s)", vs_strerror(error));
            return error;
        }
        home_fd = fd;
        home_id.dev = s.st_dev;
        home_id.ino = s.st_ino;
    }
    return 0;
}

int
netns_validate_name(const char *name, char **errp)
{
    const char *why = NULL;

    clear_error(errp);
    if (!name || !name[0]) {
        why = "it is empty";
    } else if (strchr(name, '/')) {
        why = "it contains '/'";
    } else if (strstr(name, "..") || !strcmp(name, ".")) {
        why = "it contains '..' or is '.'";
    } else if (strlen(name) > NAME_MAX) {
        why = "it is too long";
    }
    if (why) {
        set_error(errp, "invalid network namespace name '%s' (%s)",
                  name ? name : "", why);
        return EINVAL;
    }
    return 0;
}

static char *
netns_path(const char *name)
{
    return xasprintf("%s/%s", NETNS_RUN_DIR, name);
}

int
netns_open(const char *spec, struct netns **nsp, char **errp)
{
    char *path = NULL, *desc = NULL;
    bool is_pid = false;
    struct netns *ns;
    struct stat s;
    int error, fd;

    *nsp = NULL;
    clear_error(errp);

    if (!spec || !spec[0]) {
        error = init_home(errp);
        if (error) {
            return error;
        }
        spec = NULL;
        path = xstrdup("/proc/thread-self/ns/net");
        desc = xstrdup("the current network namespace");
    } else if (str_starts_with(spec, "pid:")) {
        int pid;

        if (!str_to_int(spec + 4, &pid) || pid <= 0) {
            set_error(errp, "invalid process id '%s' in network namespace "
                      "'%s'", spec + 4, spec);
            return EINVAL;
        }
        is_pid = true;
        path = xasprintf("/proc/%d/ns/net", pid);
        desc = xasprintf("network namespace of pid %d", pid);
    } else if (spec[0] == '/') {
        path = xstrdup(spec);
        desc = xasprintf("network namespace '%s'", spec);
    } else {
        error = netns_validate_name(spec, errp);
        if (error) {
            return error;
        }
        path = netns_path(spec);
        desc = xasprintf("network namespace '%s'", spec);
    }

    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        error = errno;
        if (error == ENOENT && is_pid) {
            set_error(errp, "%s not found (no such process)", desc);
            error = ESRCH;
        } else if (error == ENOENT) {
            set_error(errp, "%s not found", desc);
        } else {
            set_error(errp, "cannot open %s (%s)", desc, vs_strerror(error));
        }
        goto error;
    }
    if (ioctl(fd, NS_GET_NSTYPE) != CLONE_NEWNET) {
        error = EINVAL;
        set_error(errp, "%s: '%s' is not a network namespace", desc, path);
        close(fd);
        goto error;
    }
    if (fstat(fd, &s)) {
        error = errno;
        set_error(errp, "cannot stat %s (%s)", desc, vs_strerror(error));
        close(fd);
        goto error;
    }
    free(path);

    ns = xmalloc(sizeof *ns);
    ns->spec = spec ? xstrdup(spec) : NULL;
    ns->desc = desc;
    ns->fd = fd;
    ns->id.dev = s.st_dev;
    ns->id.ino = s.st_ino;
    *nsp = ns;
    return 0;

error:
    free(path);
    free(desc);
    return error;
}

void
netns_close(struct netns *ns)
{
    if (ns) {
        close(ns->fd);
        free(ns->spec);
        free(ns->desc);
        free(ns);
    }
}

const char *
netns_describe(const struct netns *ns)
{
    return ns->desc;
}

const char *
netns_spec(const struct netns *ns)
{
    return ns->spec;
}

int
netns_fd(const struct netns *ns)
{
    return ns->fd;
}

struct netns_id
netns_get_id(const struct netns *ns)
{
    return ns->id;
}

bool
netns_id_equals(struct netns_id a, struct netns_id b)
{
    return a.dev == b.dev && a.ino == b.ino;
}

bool
netns_is_current(const struct netns *ns)
{
    return !init_home(NULL) && netns_id_equals(ns->id, home_id);
}

int
netns_call(const struct netns *ns, int (*func)(void *aux), void *aux,
           char **errp)
{
    int error, retval;

    clear_error(errp);
    error = init_home(errp);
    if (error) {
        return error;
    }
    if (netns_id_equals(ns->id, home_id)) {
        return func(aux);
    }

    COVERAGE_INC(netns_switch);
    if (setns(ns->fd, CLONE_NEWNET)) {
        error = errno;
        set_error(errp, "cannot enter %s (%s)", ns->desc,
                  vs_strerror(error));
        return error;
    }
    retval = func(aux);
    if (setns(home_fd, CLONE_NEWNET)) {
        /* Running on in the wrong namespace would misconfigure the host:
         * better to stop. */
        VLOG_ABORT("cannot return from %s to the original network "
                   "namespace (%s)", ns->desc, vs_strerror(errno));
    }
    return retval;
}

/* Makes NETNS_RUN_DIR exist and be a shared mount point, as iproute2 does,
 * so that unmounting a namespace file in one mount namespace unmounts it
 * in all of them. */
static int
prepare_run_dir(char **errp)
{
    bool made_mount = false;

    if (mkdir(NETNS_RUN_DIR, 0755) && errno != EEXIST) {
        int error = errno;
        set_error(errp, "cannot create %s (%s)", NETNS_RUN_DIR,
                  vs_strerror(error));
        return error;
    }
    while (mount("", NETNS_RUN_DIR, "none", MS_SHARED | MS_REC, NULL)) {
        int error = errno;

        if (error != EINVAL || made_mount) {
            set_error(errp, "cannot make %s a shared mount (%s)",
                      NETNS_RUN_DIR, vs_strerror(error));
            return error;
        }
        /* Not a mount point yet: bind-mount it onto itself. */
        if (mount(NETNS_RUN_DIR, NETNS_RUN_DIR, "none", MS_BIND | MS_REC,
                  NULL)) {
            error = errno;
            set_error(errp, "cannot bind-mount %s onto itself (%s)",
                      NETNS_RUN_DIR, vs_strerror(error));
            return error;
        }
        made_mount = true;
    }
    return 0;
}

int
netns_add(const char *name, char **errp)
{
    char *path;
    int error, fd, status;
    pid_t pid;

    error = netns_validate_name(name, errp);
    if (error) {
        return error;
    }
    error = prepare_run_dir(errp);
    if (error) {
        return error;
    }

    path = netns_path(name);
    fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
    if (fd < 0) {
        error = errno;
        if (error == EEXIST) {
            set_error(errp, "network namespace '%s' already exists", name);
        } else {
            set_error(errp, "cannot create %s (%s)", path,
                      vs_strerror(error));
        }
        free(path);
        return error;
    }
    close(fd);

    /* The child makes a new namespace and pins it with a bind mount; our
     * own thread never leaves its namespace. */
    pid = fork();
    if (pid < 0) {
        error = errno;
        set_error(errp, "cannot create network namespace '%s': fork failed "
                  "(%s)", name, vs_strerror(error));
        goto error;
    } else if (!pid) {
        if (unshare(CLONE_NEWNET)) {
            _exit(errno);
        }
        if (mount("/proc/self/ns/net", path, "none", MS_BIND, NULL)) {
            _exit(errno);
        }
        _exit(0);
    }
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            error = errno;
            set_error(errp, "cannot create network namespace '%s': waitpid "
                      "failed (%s)", name, vs_strerror(error));
            goto error;
        }
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status)) {
        error = WIFEXITED(status) ? WEXITSTATUS(status) : EINTR;
        set_error(errp, "cannot create network namespace '%s' (%s)", name,
                  vs_strerror(error));
        goto error;
    }
    COVERAGE_INC(netns_add);
    VLOG_DBG("created network namespace '%s'", name);
    free(path);
    return 0;

error:
    umount2(path, MNT_DETACH);
    unlink(path);
    free(path);
    return error;
}

int
netns_del(const char *name, char **errp)
{
    char *path;
    int error;

    error = netns_validate_name(name, errp);
    if (error) {
        return error;
    }
    path = netns_path(name);
    if (umount2(path, MNT_DETACH) && errno == ENOENT) {
        set_error(errp, "network namespace '%s' not found", name);
        free(path);
        return ENOENT;
    }
    if (unlink(path)) {
        error = errno;
        if (error == ENOENT) {
            set_error(errp, "network namespace '%s' not found", name);
        } else {
            set_error(errp, "cannot remove network namespace '%s' (%s)",
                      name, vs_strerror(error));
        }
        free(path);
        return error;
    }
    COVERAGE_INC(netns_del);
    VLOG_DBG("deleted network namespace '%s'", name);
    free(path);
    return 0;
}

bool
netns_exists(const char *name)
{
    struct stat s;
    bool exists;
    char *path;

    if (netns_validate_name(name, NULL)) {
        return false;
    }
    path = netns_path(name);
    exists = !stat(path, &s);
    free(path);
    return exists;
}

static int
compare_strings(const void *a_, const void *b_)
{
    const char *const *a = a_;
    const char *const *b = b_;

    return strcmp(*a, *b);
}

int
netns_list(char ***namesp, size_t *n)
{
    size_t allocated = 0;
    struct dirent *de;
    char **names = NULL;
    DIR *dir;

    *namesp = NULL;
    *n = 0;
    dir = opendir(NETNS_RUN_DIR);
    if (!dir) {
        return errno == ENOENT ? 0 : errno;
    }
    while ((de = readdir(dir)) != NULL) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) {
            continue;
        }
        if (*n >= allocated) {
            allocated = allocated ? allocated * 2 : 8;
            names = xrealloc(names, allocated * sizeof *names);
        }
        names[(*n)++] = xstrdup(de->d_name);
    }
    closedir(dir);
    if (*n) {
        qsort(names, *n, sizeof *names, compare_strings);
    }
    *namesp = names;
    return 0;
}
