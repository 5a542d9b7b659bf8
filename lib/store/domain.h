/* domain.h - what each domain (contact, log, segment, later lead, ticket,
 * mail, report) tells the shared machinery about itself, so that a new
 * program adds its rows in its own folder and touches no other program:
 *
 *   - the fields it adds to the filter language and --fields (filter/);
 *   - its sources of a contact's timeline (log/ reads them);
 *   - its tables that name a contact: what erase does to their rows and
 *     how merge repoints them (contact/ reads them).
 *
 * Each domain defines one `const struct crm_domain crm_NAME_domain` in
 * lib/NAME/domain.c; lib/domains/registry.c lists them all, in order
 * (contact first), in crm_domains. The tables are constant data: no
 * registration at run time, no state.
 */
#ifndef CRM_STORE_DOMAIN_H
#define CRM_STORE_DOMAIN_H

#include <stddef.h>

struct crm_filter_field;   /* filter/field.h */
struct crm_timeline_source;
struct crm_contact_table;

struct crm_domain {
	const char *name;                              /* "contact", "log" */
	const struct crm_filter_field *fields;         /* filter language */
	size_t nfields;
	const struct crm_timeline_source *timeline;    /* timeline sources */
	size_t ntimeline;
	const struct crm_contact_table *tables;        /* erase and merge */
	size_t ntables;
};

/* ---- timeline sources (log/timeline.c reads them) ----
 *
 * One source of a contact's timeline: a SELECT of the contact ?1's rows in
 * the timeline's ten columns, in this order (named by position, so the
 * SELECT need not name them): at (UTC ISO 8601), source ("interaction",
 * "change"), id, channel, direction, type, subject, agent, amount (minor
 * units, or NULL) and currency. The timeline filters, merges and orders
 * the rows of every source of every domain (newest first); a source is
 * left out when its table is not in the store (an older store), and one
 * marked changes only with --changes (changes to the record itself). */
struct crm_timeline_source {
	const char *table;   /* read only when this table exists */
	int changes;         /* 1: only with --changes */
	const char *sql;     /* SELECT ... WHERE ... = ?1 */
};

/* Every domain, NULL-terminated (lib/domains/registry.c). */
extern const struct crm_domain *const crm_domains[];

#endif
