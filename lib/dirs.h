/* Directories, from the environment (VS_RUNDIR, VS_LOGDIR, VS_DBDIR,
 * VS_SYSCONFDIR, VS_PKGDATADIR) or the configure-time defaults. */
#ifndef DIRS_H
#define DIRS_H 1

const char *vs_rundir(void);
const char *vs_logdir(void);
const char *vs_dbdir(void);
const char *vs_sysconfdir(void);
const char *vs_pkgdatadir(void);

#endif /* dirs.h */
