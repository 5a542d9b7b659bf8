/* domain.c - what the contact domain registers (store/domain.h). */
#include "store/domain.h"

#include <string.h>

#include "base/err.h"
#include "contact/contact_field.h"
#include "filter/field.h"

/* ---- fields of the filter language (filter/field.h) ---------------------- */

static enum crm_filter_type standard_type(enum crm_field_type t)
{
	switch (t) {
	case CRM_FT_ID:
		return CRM_FILTER_NUMBER;
	case CRM_FT_BOOL:
		return CRM_FILTER_BOOL;
	case CRM_FT_DATE:
		return CRM_FILTER_DATE;
	case CRM_FT_TIME:
		return CRM_FILTER_TIME;
	default:
		return CRM_FILTER_TEXT;
	}
}

/* country, status, birthdate, ...: the columns of contacts. */
static int build_standard(const char *name, struct crm_filter_value *v, struct crm_err *e)
{
	int f = strchr(name, '-') == NULL ? crm_contact_field_index(name) : -1;

	(void)e;
	if (f < 0)
		return CRM_EX_NOTFOUND;
	v->type = standard_type(crm_contact_fields[f].type);
	crm_buf_addf(&v->sql, "c.%s", crm_contact_fields[f].name);
	return 0;
}

static const char *standard_names(size_t i, char buf[64])
{
	(void)buf;
	return i < CRM_CONTACT_NFIELDS ? crm_contact_fields[i].name : NULL;
}

/* field.NAME: a custom field's value, text (compared as a number with a
 * number). */
static int build_custom(const char *name, struct crm_filter_value *v, struct crm_err *e)
{
	if (strncmp(name, "field.", 6) != 0)
		return CRM_EX_NOTFOUND;
	if (crm_contact_check_custom_name(name + 6, NULL) != 0)
		return crm_err_set(e, CRM_EX_USAGE, "invalid custom field name \"%.64s\"", name + 6);
	crm_filter_add_sql(v, "(SELECT value FROM contact_fields WHERE contact_id = c.id AND name = ");
	crm_filter_add_text(v, name + 6);
	crm_filter_add_sql(v, ")");
	return 0;
}

/* tag:NAME: whether the contact has the tag. */
static int build_tag(const char *name, struct crm_filter_value *v, struct crm_err *e)
{
	char q[72];

	if (strncmp(name, "tag:", 4) != 0)
		return CRM_EX_NOTFOUND;
	if (crm_contact_check_tag(name + 4, NULL) != 0) {
		crm_filter_quote(name + 4, q);
		return crm_err_set(e, CRM_EX_USAGE, "invalid tag \"%s\"", q);
	}
	/* 1 or 0, as the other true/false fields (opt_out.email) are stored:
	 * a boolean would not compare with them on PostgreSQL. */
	crm_filter_add_sql(v, "CASE WHEN EXISTS (SELECT 1 FROM contact_tags WHERE contact_id = c.id"
			   " AND tag = ");
	crm_filter_add_text(v, name + 4);
	crm_filter_add_sql(v, ") THEN 1 ELSE 0 END");
	return 0;
}

static const struct crm_filter_field fields[] = {
	{ NULL, CRM_FILTER_TEXT, NULL,
	  "FIELD\ttext, date or number\tany standard contact field (country, status, birthdate, ...)",
	  build_standard, standard_names, 0, CRM_SCOPE_CONTACT },
	{ "age", CRM_FILTER_NUMBER,
	  "(CAST(strftime('%Y', @now) AS INTEGER) - CAST(strftime('%Y', c.birthdate) AS INTEGER)"
	  " - CASE WHEN strftime('%m-%d', @now) < strftime('%m-%d', c.birthdate) THEN 1 ELSE 0 END)",
	  "age\tnumber\twhole years since birthdate", NULL, NULL, 0, CRM_SCOPE_CONTACT },
	{ "opt_out.email", CRM_FILTER_BOOL, "c.email_opt_out",
	  "opt_out.email\ttrue/false\topted out of email", NULL, NULL, 0, CRM_SCOPE_CONTACT },
	{ "opt_out.sms", CRM_FILTER_BOOL, "c.sms_opt_out",
	  "opt_out.sms\ttrue/false\topted out of SMS", NULL, NULL, 0, CRM_SCOPE_CONTACT },
	{ "field.NAME", CRM_FILTER_TEXT, NULL,
	  "field.NAME\ttext\ta custom field; compared as a number with a number",
	  build_custom, NULL, 1, CRM_SCOPE_CONTACT },
	{ "tag:NAME", CRM_FILTER_BOOL, NULL, "tag:NAME\ttrue/false\tthe contact has the tag",
	  build_tag, NULL, 0, CRM_SCOPE_CONTACT },
};

/* ---- sources of the timeline (store/domain.h) ---------------------------- */

/* The contact's own history on its timeline (crm-log timeline --changes):
 * every change to the record, and for a contact an import created, that
 * import's one row (history_imports, migration 0007), unless the contact
 * was erased. */
static const struct crm_timeline_source contact_timeline[] = {
	{ "history", 1,
	  "SELECT at, 'change', id, NULL, NULL, action, coalesce(field, '') ||"
	  " coalesce(': ' || old_value, '') || coalesce(' -> ' || new_value, ''), who,"
	  " CAST(NULL AS BIGINT), NULL FROM history WHERE entity = 'contact' AND entity_id = ?1"
	  " UNION ALL SELECT h.at, 'change', h.id, NULL, NULL, 'create', '', h.who,"
	  " CAST(NULL AS BIGINT), NULL"
	  " FROM history_imports r, history h WHERE h.id = r.history_id"
	  " AND r.first_id = (SELECT max(first_id) FROM history_imports WHERE first_id <= ?1)"
	  " AND r.last_id >= ?1 AND NOT EXISTS"
	  " (SELECT 1 FROM contacts c WHERE c.id = ?1 AND c.erased_at IS NOT NULL)" },
};

/* ---- tables that name a contact: erase, merge, export (store/domain.h) ---- */

/* The contact's own details go with the person on erase; merge unites
 * them (KEEP's custom field wins), emails and phones value by value
 * (merge.c). contact_merges says whose history is whose: erase deletes
 * that history before it (privacy.c). An erasure is recorded by id alone. */
static const struct crm_contact_table contact_tables[] = {
	{ .table = "contact_fields", .contact = "contact_id", .erase = CRM_ERASE_DELETE,
	  .merge = CRM_MERGE_REPOINT, .export = 1, .export_order = "name" },
	{ .table = "contact_tags", .contact = "contact_id", .erase = CRM_ERASE_DELETE,
	  .merge = CRM_MERGE_REPOINT, .export = 1, .export_order = "tag" },
	{ .table = "contact_emails", .contact = "contact_id", .erase = CRM_ERASE_DELETE,
	  .merge = CRM_MERGE_OWN, .export = 1, .export_order = "id" },
	{ .table = "contact_phones", .contact = "contact_id", .erase = CRM_ERASE_DELETE,
	  .merge = CRM_MERGE_OWN, .export = 1, .export_order = "phone" },
	{ .table = "contact_merges", .contact = "contact_id", .erase = CRM_ERASE_DELETE,
	  .merge = CRM_MERGE_REPOINT, .export = 1, .export_order = "id" },
	{ .table = "erasures", .contact = "contact_id", .erase = CRM_ERASE_KEEP,
	  .merge = CRM_MERGE_REPOINT, .export = 1, .export_order = "id" },
};

const struct crm_domain crm_contact_domain = {
	.name = "contact",
	.fields = fields,
	.nfields = sizeof(fields) / sizeof(fields[0]),
	.timeline = contact_timeline,
	.ntimeline = sizeof(contact_timeline) / sizeof(contact_timeline[0]),
	.tables = contact_tables,
	.ntables = sizeof(contact_tables) / sizeof(contact_tables[0]),
};
