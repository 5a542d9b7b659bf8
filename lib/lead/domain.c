/* domain.c - what the lead domain registers (store/domain.h): the fields
 * of deals in the filter language, deal events on the timeline, and the
 * erase and merge rules of its tables. */
#include "store/domain.h"

#include <stdio.h>
#include <string.h>

#include "base/err.h"
#include "base/money.h"
#include "filter/field.h"

/* ---- fields of the filter language (filter/field.h) ---------------------- */

/* A contact's deals by the kind of the stage they are in. */
#define LEADS_OF "FROM leads l0 JOIN stages s0 ON s0.id = l0.stage_id WHERE l0.contact_id = c.id"

/* leads.value_open: the open deals' value in the default currency (money
 * never adds two currencies: deals in another one are left out). */
static int build_value_open(const char *name, struct crm_filter_value *v, struct crm_err *e)
{
	char cur[4];

	(void)e;
	if (strcmp(name, "leads.value_open") != 0)
		return CRM_EX_NOTFOUND;
	crm_default_currency_code(cur);
	crm_filter_add_sql(v, "(SELECT coalesce(sum(l0.value), 0) " LEADS_OF
			   " AND s0.kind = 'open' AND l0.currency = ");
	crm_filter_add_text(v, cur);
	crm_filter_add_sql(v, ")");
	return 0;
}

static const char *value_open_name(size_t i, char buf[64])
{
	(void)buf;
	return i == 0 ? "leads.value_open" : NULL;
}

/* The currencies of decimals minor digits other than 2, as SQL text
 * ('JPY', 'KRW', ...), from base/money's own answer for every code. */
static void currencies_of(struct crm_buf *b, int decimals)
{
	char code[4] = "AAA";
	int n = 0;

	for (int i = 0; i < 26 * 26 * 26; i++) {
		code[0] = (char)('A' + i / 676);
		code[1] = (char)('A' + i / 26 % 26);
		code[2] = (char)('A' + i % 26);
		if (crm_currency_decimals(code) == decimals)
			crm_buf_addf(b, "%s'%s'", n++ > 0 ? ", " : "", code);
	}
}

/* 10^(to - from) as an SQL number: "100", "1", "0.01". */
static void scale(struct crm_buf *b, int from, int to)
{
	crm_buf_adds(b, to >= from ? "1" : "0.");
	for (int i = to; i < from - 1; i++)
		crm_buf_addc(b, '0');
	if (to < from)
		crm_buf_addc(b, '1');
	for (int i = from; i < to; i++)
		crm_buf_addc(b, '0');
}

/* lead.value: the deal's value in its own currency. Money in the language
 * is in the default currency's minor units, so the deal's minor units
 * are scaled to its decimals: 1000 JPY is 1000 as 1000.00 EUR is, not
 * 10.00 (and holds for lead.value > 999). */
static int build_lead_value(const char *name, struct crm_filter_value *v, struct crm_err *e)
{
	static const int other[] = { 0, 3 };
	struct crm_buf b;
	char cur[4];
	int d;

	(void)e;
	if (strcmp(name, "lead.value") != 0)
		return CRM_EX_NOTFOUND;
	crm_default_currency_code(cur);
	d = crm_currency_decimals(cur);
	crm_buf_init(&b);
	crm_buf_adds(&b, "(l.value * CASE");
	for (size_t i = 0; i < sizeof(other) / sizeof(other[0]); i++) {
		crm_buf_adds(&b, " WHEN l.currency IN (");
		currencies_of(&b, other[i]);
		crm_buf_adds(&b, ") THEN ");
		scale(&b, other[i], d);
	}
	crm_buf_adds(&b, " ELSE ");
	scale(&b, 2, d);
	crm_buf_adds(&b, " END)");
	crm_filter_add_sql(v, crm_buf_str(&b));
	crm_buf_free(&b);
	return 0;
}

static const char *lead_value_name(size_t i, char buf[64])
{
	(void)buf;
	return i == 0 ? "lead.value" : NULL;
}

/* lead.field.NAME: a custom field of the deal itself (crm-lead's own
 * filters, where the deal is `l`). */
static int build_lead_field(const char *name, struct crm_filter_value *v, struct crm_err *e)
{
	const char *f = name + 11;

	if (strncmp(name, "lead.field.", 11) != 0)
		return CRM_EX_NOTFOUND;
	if (!(f[0] >= 'a' && f[0] <= 'z' && strlen(f) <= 64 &&
	      strspn(f, "abcdefghijklmnopqrstuvwxyz0123456789_") == strlen(f)))
		return crm_err_set(e, CRM_EX_USAGE, "invalid custom field name \"%.64s\"", f);
	crm_filter_add_sql(v, "(SELECT value FROM lead_fields WHERE lead_id = l.id"
			   " AND contact_id = l.contact_id AND name = ");
	crm_filter_add_text(v, f);
	crm_filter_add_sql(v, ")");
	return 0;
}


/* The deal's moment: when it closed, else now. Interactions "before
 * close" are those of its contact up to then (lead scoring's features:
 * a closed deal is seen as it was when it closed, an open one now). */
#define LEAD_AT "coalesce(l.closed_at, @now)"
/* The whole days from time a to time b, truncated, as integers on either
 * store: a cast of julianday's difference would truncate on SQLite but
 * round on PostgreSQL (a deal 125.5 days old was 126 there). */
#define WHOLE_DAYS(a, b) "((CAST(strftime('%s', " b ") AS INTEGER)" \
	" - CAST(strftime('%s', " a ") AS INTEGER)) / 86400)"
#define TOUCHES_90D "(SELECT count(*) FROM interactions i WHERE i.contact_id = l.contact_id" \
	" AND i.type <> 'task' AND i.at <= " LEAD_AT \
	" AND i.at >= strftime('%Y-%m-%dT%H:%M:%SZ', " LEAD_AT ", '-90 days')"

static const char *const channels[] = {
	"email", "phone", "sms", "chat", "social", "meeting", "post", "web", "other", NULL
};

/* lead.touches_90d.CHANNEL: the contact's interactions on a channel in
 * the 90 days before the deal's moment. */
static int build_touches(const char *name, struct crm_filter_value *v, struct crm_err *e)
{
	const char *c = name + 17;

	(void)e;
	if (strncmp(name, "lead.touches_90d.", 17) != 0)
		return CRM_EX_NOTFOUND;
	for (size_t i = 0; channels[i] != NULL; i++)
		if (strcmp(c, channels[i]) == 0) {
			crm_filter_add_sql(v, TOUCHES_90D " AND i.channel = ");
			crm_filter_add_text(v, c);
			crm_filter_add_sql(v, ")");
			return 0;
		}
	return CRM_EX_NOTFOUND;
}

static const char *touches_name(size_t i, char buf[64])
{
	if (channels[i] == NULL)
		return NULL;
	snprintf(buf, 64, "lead.touches_90d.%s", channels[i]);
	return buf;
}

static const struct crm_filter_field fields[] = {
	{ "leads.open", CRM_FILTER_NUMBER, "(SELECT count(*) " LEADS_OF " AND s0.kind = 'open')",
	  "leads.open\tnumber\topen deals (crm-lead)", NULL, NULL, 0, CRM_SCOPE_CONTACT },
	{ "leads.won", CRM_FILTER_NUMBER, "(SELECT count(*) " LEADS_OF " AND s0.kind = 'won')",
	  "leads.won\tnumber\twon deals", NULL, NULL, 0, CRM_SCOPE_CONTACT },
	{ "leads.lost", CRM_FILTER_NUMBER, "(SELECT count(*) " LEADS_OF " AND s0.kind = 'lost')",
	  "leads.lost\tnumber\tlost deals", NULL, NULL, 0, CRM_SCOPE_CONTACT },
	{ NULL, CRM_FILTER_MONEY, NULL,
	  "leads.value_open\tmoney\tvalue of the open deals in the default currency",
	  build_value_open, value_open_name, 0, CRM_SCOPE_CONTACT },
	{ "leads.last_won", CRM_FILTER_TIME,
	  "(SELECT max(l0.closed_at) " LEADS_OF " AND s0.kind = 'won')",
	  "leads.last_won\ttime\twhen the latest deal was won", NULL, NULL, 0, CRM_SCOPE_CONTACT },
	{ "leads.stage", CRM_FILTER_TEXT,
	  "(SELECT s0.name " LEADS_OF " AND s0.kind = 'open'"
	  " ORDER BY s0.position DESC, l0.id DESC LIMIT 1)",
	  "leads.stage\ttext\tthe furthest stage of the open deals", NULL, NULL, 0, CRM_SCOPE_CONTACT },
	/* The deal itself: only in crm-lead's filters and --fields. */
	{ "lead.id", CRM_FILTER_NUMBER, "l.id",
	  "lead.id, lead.title, lead.owner, ...\ttext, number, date\tthe deal itself (crm-lead only): "
	  "id, title, value, currency, stage, pipeline, status, probability, owner, source, "
	  "campaign, expected_close, reason, created, closed, age, days_in_stage, score, points",
	  NULL, NULL, 0, CRM_SCOPE_DEAL },
	{ "lead.title", CRM_FILTER_TEXT, "l.title", NULL, NULL, NULL, 0, CRM_SCOPE_DEAL },
	{ NULL, CRM_FILTER_MONEY, NULL, NULL, build_lead_value, lead_value_name, 0, CRM_SCOPE_DEAL },
	{ "lead.currency", CRM_FILTER_TEXT, "l.currency", NULL, NULL, NULL, 0, CRM_SCOPE_DEAL },
	{ "lead.stage", CRM_FILTER_TEXT, "(SELECT name FROM stages WHERE id = l.stage_id)",
	  NULL, NULL, NULL, 0, CRM_SCOPE_DEAL },
	{ "lead.pipeline", CRM_FILTER_TEXT, "(SELECT name FROM pipelines WHERE id = l.pipeline_id)",
	  NULL, NULL, NULL, 0, CRM_SCOPE_DEAL },
	{ "lead.status", CRM_FILTER_TEXT, "(SELECT kind FROM stages WHERE id = l.stage_id)",
	  NULL, NULL, NULL, 0, CRM_SCOPE_DEAL },
	{ "lead.probability", CRM_FILTER_NUMBER,
	  "(SELECT probability FROM stages WHERE id = l.stage_id)", NULL, NULL, NULL, 0, CRM_SCOPE_DEAL },
	{ "lead.owner", CRM_FILTER_TEXT, "l.owner", NULL, NULL, NULL, 0, CRM_SCOPE_DEAL },
	{ "lead.source", CRM_FILTER_TEXT, "l.source", NULL, NULL, NULL, 0, CRM_SCOPE_DEAL },
	{ "lead.campaign", CRM_FILTER_TEXT, "l.campaign", NULL, NULL, NULL, 0, CRM_SCOPE_DEAL },
	{ "lead.expected_close", CRM_FILTER_DATE, "l.expected_close", NULL, NULL, NULL, 0, CRM_SCOPE_DEAL },
	{ "lead.reason", CRM_FILTER_TEXT, "l.reason", NULL, NULL, NULL, 0, CRM_SCOPE_DEAL },
	{ "lead.created", CRM_FILTER_TIME, "l.created_at", NULL, NULL, NULL, 0, CRM_SCOPE_DEAL },
	{ "lead.closed", CRM_FILTER_TIME, "l.closed_at", NULL, NULL, NULL, 0, CRM_SCOPE_DEAL },
	{ "lead.age", CRM_FILTER_NUMBER,
	  WHOLE_DAYS("l.created_at", "@now"), NULL, NULL, NULL, 0, CRM_SCOPE_DEAL },
	{ "lead.days_in_stage", CRM_FILTER_NUMBER,
	  WHOLE_DAYS("l.stage_at", "@now"), NULL, NULL, NULL, 0, CRM_SCOPE_DEAL },
	{ "lead.score", CRM_FILTER_NUMBER, "l.score", NULL, NULL, NULL, 0, CRM_SCOPE_DEAL },
	{ "lead.points", CRM_FILTER_NUMBER, "l.points", NULL, NULL, NULL, 0, CRM_SCOPE_DEAL },
	{ "lead.touches_90d", CRM_FILTER_NUMBER, TOUCHES_90D ")",
	  "lead.touches_90d[.in|.out|.CHANNEL]\tnumber\tthe contact's interactions in the 90 days"
	  " before the deal closed (open: before now), all, by direction or channel",
	  NULL, NULL, 0, CRM_SCOPE_DEAL },
	{ "lead.touches_90d.in", CRM_FILTER_NUMBER, TOUCHES_90D " AND i.direction = 'in')",
	  NULL, NULL, NULL, 0, CRM_SCOPE_DEAL },
	{ "lead.touches_90d.out", CRM_FILTER_NUMBER, TOUCHES_90D " AND i.direction = 'out')",
	  NULL, NULL, NULL, 0, CRM_SCOPE_DEAL },
	{ NULL, CRM_FILTER_NUMBER, NULL, NULL, build_touches, touches_name, 0, CRM_SCOPE_DEAL },
	{ "lead.first_touch_days", CRM_FILTER_NUMBER,
	  WHOLE_DAYS("(SELECT min(i.at) FROM interactions i WHERE i.contact_id = l.contact_id"
		     " AND i.type <> 'task' AND i.at <= " LEAD_AT ")", LEAD_AT),
	  "lead.first_touch_days\tnumber\tdays from the contact's first interaction to the"
	  " deal's close (open: to now)", NULL, NULL, 0, CRM_SCOPE_DEAL },
	{ "lead.field.NAME", CRM_FILTER_TEXT, NULL,
	  "lead.field.NAME\ttext\ta custom field of the deal (crm-lead only)",
	  build_lead_field, NULL, 1, CRM_SCOPE_DEAL },
};

/* ---- sources of the timeline (store/domain.h) ---------------------------- */

/* Every event of every deal of the contact: created, each move (from ->
 * to, and why), edits, reopening, conversion. */
static const struct crm_timeline_source lead_timeline[] = {
	{ "lead_events", 0,
	  "SELECT e.at, 'lead' AS source, e.lead_id, NULL, NULL, 'deal ' || e.kind,"
	  " coalesce(l.title, '') || coalesce(': ' || e.from_stage || ' -> ' || e.to_stage,"
	  " ': ' || e.to_stage, '') || coalesce(' (' || e.detail || ')', ''),"
	  " e.who, l.value, l.currency"
	  " FROM lead_events e JOIN leads l ON l.id = e.lead_id AND l.contact_id = e.contact_id"
	  " WHERE e.contact_id = ?1" },
};

/* ---- tables that name a contact: erase, merge, export (store/domain.h) ---- */

/* An erased person's deals stay for the sales figures (value, stages,
 * dates) without their title, reason or key; the deal's custom fields may
 * be anything and go, as do the words of its events. Merge moves them
 * all: on PostgreSQL a deal's rows follow it by ON UPDATE CASCADE
 * (store/sql/pg/0011), so deals come first. */
static const char *const lead_personal[] = { "title", "reason", "ext_key", NULL };
static const char *const event_personal[] = { "detail", NULL };

static const struct crm_contact_table lead_tables[] = {
	{ .table = "leads", .contact = "contact_id", .erase = CRM_ERASE_CLEAR,
	  .personal = lead_personal, .merge = CRM_MERGE_REPOINT, .export = 1,
	  .export_order = "id" },
	{ .table = "lead_events", .contact = "contact_id", .erase = CRM_ERASE_CLEAR,
	  .personal = event_personal, .merge = CRM_MERGE_REPOINT, .export = 1,
	  .export_order = "lead_id, at, id" },
	{ .table = "lead_tags", .contact = "contact_id", .erase = CRM_ERASE_DELETE,
	  .merge = CRM_MERGE_REPOINT, .export = 1, .export_order = "lead_id, tag" },
	{ .table = "lead_fields", .contact = "contact_id", .erase = CRM_ERASE_DELETE,
	  .merge = CRM_MERGE_REPOINT, .export = 1, .export_order = "lead_id, name" },
};

/* A deal's edits are in the change history under "lead", a removed
 * deal's under "lead-removed" by its contact (deal.c crm_deal_rm). */
static const struct crm_history_entity lead_history[] = {
	{ "lead", "SELECT id FROM leads WHERE contact_id = ?1", "lead-removed" },
};

const struct crm_domain crm_lead_domain = {
	.name = "lead",
	.fields = fields,
	.nfields = sizeof(fields) / sizeof(fields[0]),
	.timeline = lead_timeline,
	.ntimeline = sizeof(lead_timeline) / sizeof(lead_timeline[0]),
	.tables = lead_tables,
	.ntables = sizeof(lead_tables) / sizeof(lead_tables[0]),
	.history = lead_history,
	.nhistory = sizeof(lead_history) / sizeof(lead_history[0]),
};
