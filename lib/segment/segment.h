/* segment.h - saved segments and their snapshots. A segment is a named
 * filter expression (expr.h); a snapshot freezes its members at a time. */
#ifndef CRM_SEGMENT_H
#define CRM_SEGMENT_H

#include <stdint.h>

struct crm_err;
struct crm_store;

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

#endif
