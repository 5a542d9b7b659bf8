/* domain.c - what the log domain registers (store/domain.h). */
#include "store/domain.h"

#include <stdio.h>
#include <string.h>

#include "base/dates.h"
#include "base/err.h"
#include "contact/contact_field.h"
#include "filter/field.h"
#include "log/interaction.h"

/* ---- fields of the filter language (filter/field.h) ---------------------- */

#define PURCHASE_WHERE " FROM interactions WHERE contact_id = c.id AND type = 'purchase')"
#define MONEY_WHERE " FROM interactions WHERE contact_id = c.id AND (type = 'purchase' OR type = 'refund'))"
#define TOUCH_WHERE " FROM interactions WHERE contact_id = c.id AND type <> 'task'"

static int word_in(const char *w, const char *const *list)
{
	for (size_t i = 0; list[i] != NULL; i++)
		if (strcmp(w, list[i]) == 0)
			return 1;
	return 0;
}

/* interactions.last_Nd: interactions of the last N days (1-36500). */
static int build_last_days(const char *name, struct crm_filter_value *v, struct crm_err *e)
{
	unsigned days;
	char tail, since[32];

	(void)e;
	if (sscanf(name, "interactions.last_%ud%c", &days, &tail) != 1 || days < 1 || days > 36500)
		return CRM_EX_NOTFOUND;
	crm_time_format(v->now - (int64_t)days * 86400, since);
	crm_filter_add_sql(v, "(SELECT count(*)" TOUCH_WHERE " AND at >= ");
	crm_filter_add_text(v, since);
	crm_filter_add_sql(v, ")");
	return 0;
}

/* interactions.channel.C and interactions.type.T: how many of them. */
static int count_of(const char *name, const char *prefix, const char *const *words,
		    const char *sql, struct crm_filter_value *v)
{
	size_t n = strlen(prefix);

	if (strncmp(name, prefix, n) != 0 || !word_in(name + n, words))
		return CRM_EX_NOTFOUND;
	crm_filter_add_sql(v, sql);
	crm_filter_add_text(v, name + n);
	crm_filter_add_sql(v, ")");
	return 0;
}

static int build_channel(const char *name, struct crm_filter_value *v, struct crm_err *e)
{
	(void)e;
	return count_of(name, "interactions.channel.", crm_contact_channels,
			"(SELECT count(*)" TOUCH_WHERE " AND channel = ", v);
}

static int build_type(const char *name, struct crm_filter_value *v, struct crm_err *e)
{
	(void)e;
	return count_of(name, "interactions.type.", crm_interaction_types,
			"(SELECT count(*) FROM interactions WHERE contact_id = c.id AND type = ", v);
}

static const char *channel_field(size_t i, char buf[64])
{
	if (crm_contact_channels[i] == NULL)
		return NULL;
	snprintf(buf, 64, "interactions.channel.%s", crm_contact_channels[i]);
	return buf;
}

static const char *type_field(size_t i, char buf[64])
{
	if (crm_interaction_types[i] == NULL)
		return NULL;
	snprintf(buf, 64, "interactions.type.%s", crm_interaction_types[i]);
	return buf;
}

/* attr.NAME: an imported column kept with interactions (crm-log import),
 * its value on the contact's latest interaction that has it. */
static int build_attr(const char *name, struct crm_filter_value *v, struct crm_err *e)
{
	const char *a = name + 5;

	if (strncmp(name, "attr.", 5) != 0)
		return CRM_EX_NOTFOUND;
	if (!(a[0] >= 'a' && a[0] <= 'z' && strlen(a) <= 64 &&
	      strspn(a, "abcdefghijklmnopqrstuvwxyz0123456789_") == strlen(a)))
		return crm_err_set(e, CRM_EX_USAGE, "invalid attribute name \"%.64s\"", a);
	crm_filter_add_sql(v, "(SELECT a.value FROM interactions i JOIN interaction_attrs a"
			   " ON a.interaction_id = i.id AND a.contact_id = i.contact_id"
			   " WHERE i.contact_id = c.id AND a.name = ");
	crm_filter_add_text(v, a);
	crm_filter_add_sql(v, " ORDER BY i.at DESC, i.id DESC LIMIT 1)");
	return 0;
}

static const struct crm_filter_field fields[] = {
	{ "purchases.count", CRM_FILTER_NUMBER, "(SELECT count(*)" PURCHASE_WHERE,
	  "purchases.count\tnumber\tnumber of purchases", NULL, NULL, 0, CRM_SCOPE_CONTACT },
	{ "purchases.total", CRM_FILTER_MONEY, "(SELECT coalesce(sum(amount), 0)" MONEY_WHERE,
	  "purchases.total\tmoney\tpurchases less refunds, default currency", NULL, NULL, 0, CRM_SCOPE_CONTACT },
	{ "purchases.avg", CRM_FILTER_MONEY, "(SELECT avg(amount)" PURCHASE_WHERE,
	  "purchases.avg\tmoney\taverage purchase", NULL, NULL, 0, CRM_SCOPE_CONTACT },
	{ "purchases.first", CRM_FILTER_TIME, "(SELECT min(at)" PURCHASE_WHERE,
	  "purchases.first\ttime\tfirst purchase", NULL, NULL, 0, CRM_SCOPE_CONTACT },
	{ "purchases.last", CRM_FILTER_TIME, "(SELECT max(at)" PURCHASE_WHERE,
	  "purchases.last\ttime\tlast purchase", NULL, NULL, 0, CRM_SCOPE_CONTACT },
	{ "interactions.count", CRM_FILTER_NUMBER, "(SELECT count(*)" TOUCH_WHERE ")",
	  "interactions.count\tnumber\tinteractions of any kind but tasks", NULL, NULL, 0, CRM_SCOPE_CONTACT },
	{ "interactions.first", CRM_FILTER_TIME, "(SELECT min(at)" TOUCH_WHERE ")",
	  "interactions.first\ttime\tfirst interaction", NULL, NULL, 0, CRM_SCOPE_CONTACT },
	{ "interactions.last", CRM_FILTER_TIME, "(SELECT max(at)" TOUCH_WHERE ")",
	  "interactions.last\ttime\tlast interaction", NULL, NULL, 0, CRM_SCOPE_CONTACT },
	{ "interactions.in", CRM_FILTER_NUMBER, "(SELECT count(*)" TOUCH_WHERE " AND direction = 'in')",
	  "interactions.in\tnumber\tinbound interactions", NULL, NULL, 0, CRM_SCOPE_CONTACT },
	{ "interactions.out", CRM_FILTER_NUMBER, "(SELECT count(*)" TOUCH_WHERE " AND direction = 'out')",
	  "interactions.out\tnumber\toutbound interactions", NULL, NULL, 0, CRM_SCOPE_CONTACT },
	{ "tasks.open", CRM_FILTER_NUMBER,
	  "(SELECT count(*) FROM interactions WHERE contact_id = c.id AND type = 'task' AND done_at IS NULL)",
	  "tasks.open\tnumber\topen tasks", NULL, NULL, 0, CRM_SCOPE_CONTACT },
	{ "interactions.last_Nd", CRM_FILTER_NUMBER, NULL,
	  "interactions.last_Nd\tnumber\tinteractions in the last N days (last_30d)",
	  build_last_days, NULL, 0, CRM_SCOPE_CONTACT },
	{ "interactions.channel.C", CRM_FILTER_NUMBER, NULL,
	  "interactions.channel.C\tnumber\tinteractions on channel C (email, phone, ...)",
	  build_channel, channel_field, 0, CRM_SCOPE_CONTACT },
	{ "interactions.type.T", CRM_FILTER_NUMBER, NULL,
	  "interactions.type.T\tnumber\tinteractions of type T (call, meeting, ...)",
	  build_type, type_field, 0, CRM_SCOPE_CONTACT },
	{ "attr.NAME", CRM_FILTER_TEXT, NULL,
	  "attr.NAME\ttext\tan imported column of interactions: the latest one's value",
	  build_attr, NULL, 1, CRM_SCOPE_CONTACT },
};

/* ---- sources of the timeline (store/domain.h) ---------------------------- */

/* Every interaction on the contact's timeline: notes, calls, mails,
 * meetings, messages, purchases, refunds and tasks alike. */
static const struct crm_timeline_source log_timeline[] = {
	{ "interactions", 0,
	  "SELECT at, 'interaction' AS source, id, channel, direction, type, subject,"
	  " agent, amount, currency FROM interactions WHERE contact_id = ?1" },
};

/* ---- tables that name a contact: erase, merge, export (store/domain.h) ---- */

/* An erased person's interactions stay for counts and sums (purchases
 * are interactions too) without their text or key; the columns an import
 * kept with them may be anything and go; order lines keep product,
 * quantity and price but not their description. Merge moves them all. */
static const char *const interaction_personal[] = {
	"subject", "body", "outcome", "ext_key", NULL
};
static const char *const line_personal[] = { "description", NULL };

static const struct crm_contact_table log_tables[] = {
	{ .table = "interactions", .contact = "contact_id", .erase = CRM_ERASE_CLEAR,
	  .personal = interaction_personal, .merge = CRM_MERGE_REPOINT, .export = 1,
	  /* as its index by contact gives them; a direction may be NULL,
	   * which SQLite sorts first and PostgreSQL last */
	  .export_order = "at, type, channel, coalesce(direction, ''), id" },
	/* After interactions: on PostgreSQL their lines and attributes
	 * follow them by ON UPDATE CASCADE (store/sql/pg/0010), and a line
	 * moved first would point at an interaction of another contact. */
	{ .table = "interaction_attrs", .contact = "contact_id", .erase = CRM_ERASE_DELETE,
	  .merge = CRM_MERGE_REPOINT, .export = 1, .export_order = "interaction_id, name" },
	{ .table = "interaction_lines", .contact = "contact_id", .erase = CRM_ERASE_CLEAR,
	  .personal = line_personal, .merge = CRM_MERGE_REPOINT, .export = 1,
	  .export_order = "interaction_id, line" },
};

const struct crm_domain crm_log_domain = {
	.name = "log",
	.fields = fields,
	.nfields = sizeof(fields) / sizeof(fields[0]),
	.timeline = log_timeline,
	.ntimeline = sizeof(log_timeline) / sizeof(log_timeline[0]),
	.tables = log_tables,
	.ntables = sizeof(log_tables) / sizeof(log_tables[0]),
};
