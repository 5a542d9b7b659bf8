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
struct crm_history_entity;

struct crm_domain {
	const char *name;                              /* "contact", "log" */
	const struct crm_filter_field *fields;         /* filter language */
	size_t nfields;
	const struct crm_timeline_source *timeline;    /* timeline sources */
	size_t ntimeline;
	const struct crm_contact_table *tables;        /* erase and merge */
	size_t ntables;
	const struct crm_history_entity *history;      /* erase, export */
	size_t nhistory;
};

/* ---- history of a domain's own records (erase, export --subject) ----
 *
 * A domain whose records write the change history under an entity of
 * their own (crm_history_add(s, "lead", deal_id, ...)) names it here,
 * with the SELECT of the ids of the person ?1's records, so that an
 * erasure deletes those rows and a data-subject export lists them. When
 * a record is removed its rows move to the entity removed, keyed by the
 * contact it belonged to, the record's id in their note ("lead 14"): an
 * id a new record may get again (SQLite) then names only the new one's,
 * and the person's are still found by an index, hers or those of a
 * contact merged into her (contact_merges). */
struct crm_history_entity {
	const char *entity;   /* "lead": a constant of the code, put in SQL as is */
	const char *ids_sql;  /* "SELECT id FROM leads WHERE contact_id = ?1" */
	const char *removed;  /* "lead-removed" */
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
 * marked changes only with --changes (changes to the record itself).
 * A column a source has no value for is typed all the same, for
 * PostgreSQL's union of the sources: CAST(NULL AS BIGINT) for id and
 * amount, NULL (text) for the others. */
struct crm_timeline_source {
	const char *table;   /* read only when this table exists */
	int changes;         /* 1: only with --changes */
	const char *sql;     /* SELECT ... WHERE ... = ?1 */
};

/* ---- tables that name a contact (erase, merge, export --subject) ----
 *
 * One row for each table whose rows belong to a contact, by a column of
 * its own that holds the contact's id (contact_id): a table that hangs
 * off another contact's table (interaction_lines off interactions)
 * carries the contact_id too, so that a store can be distributed by
 * contact (crm(7) "Distributing a store"; tests/unit/test_contact_tables.c
 * and tests/e2e/backends.sh check it).
 * lib/contact/privacy.c and merge.c walk these rows of every domain; a
 * table of the schema with a contact_id column that no domain lists
 * stops an erasure (nothing is left behind unknown), and
 * tests/unit/test_contact_tables.c fails for it. */

/* What erase does to the person's rows. */
enum crm_erase_rule {
	CRM_ERASE_KEEP,    /* nothing personal: kept as they are (memberships,
			    * scores, the record of the erasure) */
	CRM_ERASE_DELETE,  /* the rows are deleted */
	CRM_ERASE_CLEAR,   /* kept for counts, the .personal columns set NULL */
};

/* What merge does to OTHER's rows. */
enum crm_merge_rule {
	CRM_MERGE_REPOINT, /* the contact column set to KEEP; a row that would
			    * collide with one of KEEP's on a unique key is
			    * dropped (KEEP's wins) */
	CRM_MERGE_DROP,    /* derived from OTHER (scores): deleted */
	CRM_MERGE_OWN,     /* merge.c moves them itself, value by value, with
			    * history (the contact's emails and phones) */
};

struct crm_contact_table {
	const char *table;            /* "interactions" */
	const char *contact;          /* its column naming the contact
				       * ("contact_id") */
	enum crm_erase_rule erase;
	const char *const *personal;  /* CRM_ERASE_CLEAR: the columns cleared,
				       * NULL-terminated */
	enum crm_merge_rule merge;
	/* export --subject: 1 lists every column of the person's rows under
	 * the table's name (in export_order, SQL ORDER BY of the table's own
	 * columns; give one to every table with more than a row a contact:
	 * without, the order is the backend's, and PostgreSQL's is not
	 * SQLite's). */
	int export;
	const char *export_order;
};

/* Every domain, NULL-terminated (lib/domains/registry.c). */
extern const struct crm_domain *const crm_domains[];

#endif
