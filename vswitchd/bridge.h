/* vswitchd's database side: keeps a replica of the Open_vSwitch database
 * (lib/ovsdb-idl), turns it into the desired state (desired.h) for the
 * reconciler (reconciler.h), writes interface and bridge status and
 * Open_vSwitch.cur_cfg back, and serves the bridge unixctl commands
 * (bridge/list, bridge/show, bridge/reconcile, fdb/show,
 * vswitchd/status). */
#ifndef VSWITCHD_BRIDGE_H
#define VSWITCHD_BRIDGE_H 1

/* Connects to the database at REMOTE (a remote or a comma-separated list)
 * and registers the unixctl commands.  Exits with a message if the kernel
 * side (netlink) cannot be set up. */
void bridge_init(const char *remote);
void bridge_run(void);
void bridge_wait(void);
void bridge_exit(void);

#endif /* bridge.h */
