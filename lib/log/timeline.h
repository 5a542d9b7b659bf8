/* timeline.h - everything about one contact, newest first: the rows of
 * every timeline source every domain registers (store/domain.h), merged
 * by time.
 *
 * A new domain (leads, tickets) puts its sources in its own domain.c and
 * they appear here; nothing in log/ names them.
 */
#ifndef CRM_LOG_TIMELINE_H
#define CRM_LOG_TIMELINE_H

#include <stddef.h>

struct crm_domain;
struct crm_err;
struct crm_log_filter;
struct crm_log_rows;
struct crm_store;

/* The columns of a timeline row; amount (minor units formatted in its
 * currency) and currency are columns 8 and 9. */
extern const char *const crm_timeline_cols[];
#define CRM_TIMELINE_NCOLS 10

/* Opens the timeline of contact f->contact_id over the sources of
 * domains (NULL-terminated; crm_domains for the whole toolkit): each
 * source whose table the store holds (with f->changes, the change sources
 * too), filtered by f, ordered by time then id, newest first; rows at the
 * same time with the same id come from the later source (in domain order)
 * first. Returns 0 with *out set, or an exit code with e set: a store too
 * busy to say whether a table exists is 75, never a source left out. */
int crm_timeline_open(struct crm_store *s, const struct crm_domain *const *domains,
		      const struct crm_log_filter *f, struct crm_log_rows **out,
		      struct crm_err *e);

#endif
