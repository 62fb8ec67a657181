/* ovsdb-lite: monitors (RFC 7047 section 4.1.5 "monitor" and Open
 * vSwitch's "monitor_cond", ovsdb-server(7)).
 *
 * A monitor says, per table, which columns a client follows, which kinds
 * of change (initial rows, inserts, deletes, modifications) it wants, and,
 * for "monitor_cond" (version 2), a condition: a row is visible to the
 * client while it matches any clause of the condition (an empty condition
 * matches every row).  This module turns a monitor plus the database or a
 * committed transaction into "table-updates" JSON:
 *
 *   version 1 ("update"):  {TABLE: {UUID: {"old": ROW, "new": ROW}}}
 *       "new" holds every monitored column, "old" the columns that changed
 *       (modify) or every monitored column (delete).
 *   version 2 ("update2"): {TABLE: {UUID: {"initial"|"insert": ROW}
 *                                       | {"modify": DIFF}
 *                                       | {"delete": null}}}
 *       ROW holds the non-default monitored columns; DIFF the changed
 *       columns as ovsdb_datum_diff() describes.
 *
 * A row that enters a monitor_cond condition through a modification is
 * reported as inserted, one that leaves it as deleted.
 *
 * Monitors are pure data; the server keeps track of which session owns
 * which monitor. */
#ifndef OVSDB_LITE_MONITOR_H
#define OVSDB_LITE_MONITOR_H 1

#include <jansson.h>
#include "compiler.h"

struct db;
struct monitor;
struct ovsdb_error;
struct txn;

enum monitor_version {
    MONITOR_V1 = 1,             /* "monitor", "update" notifications. */
    MONITOR_V2 = 2              /* "monitor_cond", "update2". */
};

/* Parses REQUESTS, the <monitor-requests> object of a "monitor" or
 * "monitor_cond" request, against DB.  On success stores a new monitor in
 * *MONITORP; on error returns it (a "syntax error" saying what is wrong)
 * and stores NULL. */
struct ovsdb_error *monitor_create(struct db *, enum monitor_version,
                                   const json_t *requests,
                                   struct monitor **monitorp)
    VS_WARN_UNUSED_RESULT;
void monitor_destroy(struct monitor *);

enum monitor_version monitor_get_version(const struct monitor *);

/* Returns a string that is the same for two monitors exactly when they
 * produce the same updates for every transaction (same version, tables,
 * columns, selections and conditions), so that servers compute the update
 * once for all of them.  Owned by the monitor; changes on
 * monitor_change_condition(). */
const char *monitor_get_key(const struct monitor *);

/* Returns the initial contents for the reply to the monitor request:
 * table-updates with every visible row whose table selects "initial"
 * (new reference; an empty object if there are none). */
json_t *monitor_get_initial(const struct monitor *);

/* Returns the table-updates that the prepared transaction TXN causes, or
 * NULL if it changes nothing this monitor reports (new reference). */
json_t *monitor_compose_txn(const struct monitor *, const struct txn *);

/* Handles "monitor_cond_change": CHANGES is {TABLE: [{"where": COND}],
 * ...}.  On success changes the conditions and stores in *UPDATEP the
 * table-updates (version 2) that move the client from the old view to the
 * new one, rows that became visible as "insert" and rows that disappeared
 * as "delete" (NULL if none).  On error changes nothing. */
struct ovsdb_error *monitor_change_condition(struct monitor *,
                                             const json_t *changes,
                                             json_t **updatep)
    VS_WARN_UNUSED_RESULT;

#endif /* ovsdb-lite/monitor.h */
