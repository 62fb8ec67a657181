/* Directories: see dirs.h. */
#include <config.h>
#include "dirs.h"

#include <stdlib.h>

static const char *
dir_from_env(const char *var, const char *default_dir)
{
    const char *value = getenv(var);
    return value && value[0] ? value : default_dir;
}

const char *
vs_rundir(void)
{
    return dir_from_env("VS_RUNDIR", VS_RUNDIR_DEFAULT);
}

const char *
vs_logdir(void)
{
    return dir_from_env("VS_LOGDIR", VS_LOGDIR_DEFAULT);
}

const char *
vs_dbdir(void)
{
    return dir_from_env("VS_DBDIR", VS_DBDIR_DEFAULT);
}

const char *
vs_sysconfdir(void)
{
    return dir_from_env("VS_SYSCONFDIR", VS_SYSCONFDIR_DEFAULT);
}

const char *
vs_pkgdatadir(void)
{
    return dir_from_env("VS_PKGDATADIR", VS_PKGDATADIR_DEFAULT);
}
