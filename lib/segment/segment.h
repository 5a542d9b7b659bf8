/* segment.h - saved segments and their snapshots. A segment is a named
 * filter expression (expr.h); a snapshot freezes its members at a time. */
#ifndef CRM_SEGMENT_H
#define CRM_SEGMENT_H

#include <stdint.h>

struct crm_err;
struct crm_stmt;
struct crm_store;

/* A saved segment as `show` tells it. */
struct crm_segment_info {
	char *name, *expr, *created_at, *created_by, *updated_at;
};

/* The expression a segment argument stands for: the saved expression
 * when arg names a segment, else arg itself. *expr is allocated; *name is
 * the segment's name (allocated) or NULL. */
int crm_segment_resolve(struct crm_store *s, const char *arg, char **expr,
			char **name, struct crm_err *e);

/* Checks a segment name: 1-64 of a-z, 0-9, _ and -, starting with a
 * letter. */
int crm_segment_check_name(const char *name, struct crm_err *e);

/* Saves (or with replace, replaces) a segment after compiling expr. */
int crm_segment_save(struct crm_store *s, const char *name, const char *expr,
		     int replace, int64_t now, struct crm_err *e);

int crm_segment_remove(struct crm_store *s, const char *name, struct crm_err *e);

/* Freezes the members of segment name; *id and *size of the snapshot. */
int crm_segment_snapshot(struct crm_store *s, const char *name,
			 const char *label, int64_t now, int64_t *id,
			 int64_t *size, struct crm_err *e);

/* Counts the contacts matching expr. */
int crm_segment_count(struct crm_store *s, const char *expr, int64_t now,
		      int64_t *count, struct crm_err *e);

/* The segment called name: 0 with *g filled (free it with
 * crm_segment_info_free), CRM_EX_NOTFOUND with e set (`no segment "x"`),
 * or a store error. */
int crm_segment_get(struct crm_store *s, const char *name,
		    struct crm_segment_info *g, struct crm_err *e);
void crm_segment_info_free(struct crm_segment_info *g);

/* The snapshot arg names: an id that exists, NAME for the segment's
 * latest, NAME~N for the Nth before it (0-1000000). Returns 0 with *id,
 * CRM_EX_USAGE with e set for a malformed NAME~N, CRM_EX_NOTFOUND with e
 * set (`no snapshot "x"`), or a store error. */
int crm_segment_snapshot_id(struct crm_store *s, const char *arg, int64_t *id,
			    struct crm_err *e);

/* Statements for listings (cli.h's crm_print_query), cached by the store:
 *   list:       id, name, expr, snapshots, last_snapshot, updated_at,
 *               a row per saved segment by name;
 *   snapshots:  snapshot, taken_at, size, label, taken_by, expr, a row
 *               per snapshot of segment name, oldest first;
 *   diff:       id, email, change ("entered" or "left"): who is in
 *               snapshot b and not in a, and the other way round, by id. */
struct crm_stmt *crm_segment_list_query(struct crm_store *s);
struct crm_stmt *crm_segment_snapshots_query(struct crm_store *s, const char *name);
struct crm_stmt *crm_segment_diff_query(struct crm_store *s, int64_t a, int64_t b);

#endif
