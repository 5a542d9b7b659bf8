/* reply.c - a ticket's answer by mail (reply.h). */
#include "ticket/reply.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/dates.h"
#include "base/err.h"
#include "base/xalloc.h"
#include "mailer/message.h"
#include "mailer/transport.h"
#include "store/store.h"
#include "ticket/ticket.h"
#include "ticket/ticket_row.h"

#define MAX_REFERENCES 10

/* The thread's last Message-IDs, oldest first (the caller frees them). */
struct thread {
	char *ids[MAX_REFERENCES];
	size_t n;
};

static void thread_free(struct thread *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->ids[i]);
	t->n = 0;
}

static int load_thread(struct crm_store *s, int64_t id, struct thread *t, struct crm_err *e)
{
	struct crm_stmt *st = crm_store_prepare(s,
		"SELECT message_id FROM (SELECT message_id, at, id FROM ticket_messages"
		" WHERE ticket_id = ?1 AND message_id IS NOT NULL ORDER BY at DESC, id DESC"
		" LIMIT 10) m ORDER BY at, id");
	int step;

	memset(t, 0, sizeof(*t));
	crm_bind_int64(st, 1, id);
	while ((step = crm_store_step(s, st, e)) == CRM_ROW && t->n < MAX_REFERENCES)
		t->ids[t->n++] = xstrdup(crm_column_text(st, 0));
	crm_stmt_reset(st);
	return step < 0 ? e->code : 0;
}

/* s cut short by snprintf ends on a whole UTF-8 character, not in one. */
static void cut_whole(char *s)
{
	size_t n = strlen(s), i = n, want;
	unsigned char lead;

	while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
		i--;
	if (i == 0)
		return;
	lead = (unsigned char)s[i - 1];
	want = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
	if (n - (i - 1) < want)
		s[i - 1] = '\0';
}

/* The contact's address and name, and the ticket's subject. */
static int load_people(struct crm_store *s, const struct crm_ticket_row *t,
		       struct crm_mail_new *m, char *subject, size_t size, struct crm_err *e)
{
	struct crm_stmt *st = crm_store_prepare(s,
		"SELECT c.email, trim(coalesce(c.first_name, '') || ' ' || coalesce(c.last_name, '')),"
		" coalesce(t.subject, '') FROM tickets t JOIN contacts c ON c.id = t.contact_id"
		" WHERE t.id = ?1");
	int step, rc = 0;

	crm_bind_int64(st, 1, t->id);
	step = crm_store_step(s, st, e);
	if (step == CRM_ROW && crm_column_text(st, 0) == NULL)
		rc = crm_err_set(e, CRM_EX_DATAERR, "ticket %lld: contact %lld has no email address",
				 (long long)t->id, (long long)t->contact);
	else if (step == CRM_ROW && strlen(crm_column_text(st, 0)) >= sizeof(m->to.addr))
		rc = crm_err_set(e, CRM_EX_DATAERR, "ticket %lld: contact %lld's email address is"
				 " longer than mail allows", (long long)t->id, (long long)t->contact);
	else if (step == CRM_ROW) {
		snprintf(m->to.addr, sizeof(m->to.addr), "%s", crm_column_text(st, 0));
		snprintf(m->to.name, sizeof(m->to.name), "%s", crm_column_text(st, 1));
		snprintf(subject, size, "%s", crm_column_text(st, 2));
		cut_whole(m->to.name);
		cut_whole(subject);
	}
	crm_stmt_reset(st);
	if (step < 0)
		return e->code;
	return step == CRM_ROW ? rc : crm_err_set(e, CRM_EX_NOTFOUND, "no ticket %lld",
						  (long long)t->id);
}

/* The agent's own address, as crm-ticket agent add gave it. */
static int agent_from(struct crm_store *s, struct crm_mail_address *from, struct crm_err *e)
{
	struct crm_stmt *st = crm_store_prepare(s, "SELECT email FROM agents WHERE name = ?1"
						" AND email IS NOT NULL");
	const char *who = crm_store_who(s);
	char addr[256] = "";
	int step, rc;

	crm_bind_text(st, 1, who);
	step = crm_store_step(s, st, e);
	if (step == CRM_ROW)
		snprintf(addr, sizeof(addr), "%s", crm_column_text(st, 0));
	crm_stmt_reset(st);
	if (step < 0)
		return e->code;
	if (addr[0] == '\0')
		return crm_err_set(e, CRM_EX_USAGE, "who sends it? give --from ADDRESS (or set"
				   " CRM_FROM, or give agent \"%.64s\" an --email)", who);
	rc = crm_mail_address_parse("the agent's email", addr, from, e);
	if (rc == 0 && from->name[0] == '\0')
		snprintf(from->name, sizeof(from->name), "%s", who);
	return rc;
}

/* "Re: SUBJECT [#ID]": one Re:, the ticket's number once. */
static void reply_subject(const char *subject, int64_t id, char *out, size_t size)
{
	char tag[32];

	snprintf(tag, sizeof(tag), "[#%lld]", (long long)id);
	snprintf(out, size, "%s%s%s%s", strncasecmp(subject, "re:", 3) == 0 ? "" : "Re: ", subject,
		 strstr(subject, tag) != NULL ? "" : subject[0] != '\0' ? " " : "",
		 strstr(subject, tag) != NULL ? "" : tag);
}

/* The reply's rows: its message, the first response, open from new, the
 * event, and the status asked for. */
static int record(struct crm_store *s, struct crm_ticket_row *t, const struct crm_mail_new *m,
		  const struct crm_mail_built *built, const char *status, struct crm_err *e)
{
	const char *now = crm_store_now(s);
	struct crm_stmt *st;
	int rc = crm_ticket_row_message(s, t, now, "out", crm_store_who(s), built->message_id,
					m->body, e), changed;

	if (rc != 0)
		return rc;
	st = crm_store_prepare(s, "UPDATE tickets SET first_response_at = coalesce(first_response_at,"
			       " ?2), updated_at = ?2 WHERE id = ?1");
	crm_bind_int64(st, 1, t->id);
	crm_bind_text(st, 2, now);
	rc = crm_store_run(s, st, e);
	if (rc == 0)
		rc = crm_ticket_row_event(s, t, "reply", NULL, m->to.addr, built->message_id, e);
	if (rc == 0 && strcmp(t->status, "new") == 0 && (status == NULL || strcmp(status, "new") != 0))
		rc = crm_ticket_set_status(s, t->id, "open", &changed, e);
	if (rc == 0 && status != NULL)
		rc = crm_ticket_set_status(s, t->id, status, &changed, e);
	return rc;
}

int crm_ticket_reply(struct crm_store *s, int64_t id, const struct crm_ticket_reply *r,
		     struct crm_mail_built *out, struct crm_err *e)
{
	struct crm_mail_new m;
	struct crm_ticket_row t;
	struct thread th = { { NULL }, 0 };
	char subject[1024], resubject[1100];
	int rc = crm_ticket_row_load_live(s, id, &t, e);

	memset(out, 0, sizeof(*out));
	memset(&m, 0, sizeof(m));
	if (rc == 0 && strcmp(t.status, "closed") == 0)
		rc = crm_err_set(e, CRM_EX_DATAERR, "ticket %lld is closed (crm-ticket reopen %lld"
				 " first)", (long long)id, (long long)id);
	if (rc == 0 && (r->body == NULL || r->body[0] == '\0'))
		rc = crm_err_set(e, CRM_EX_USAGE, "an empty reply");
	if (rc == 0 && r->status != NULL)
		rc = crm_ticket_status_check(r->status, e);
	if (rc == 0)
		rc = load_people(s, &t, &m, subject, sizeof(subject), e);
	if (rc == 0)
		rc = r->from != NULL ? crm_mail_address_parse("--from", r->from, &m.from, e)
				     : agent_from(s, &m.from, e);
	if (rc == 0)
		rc = load_thread(s, id, &th, e);
	if (rc == 0 && crm_time_parse(crm_store_now(s), 0, &m.date, e) != 0)
		rc = e->code;
	if (rc == 0) {
		reply_subject(subject, id, resubject, sizeof(resubject));
		m.subject = resubject;
		m.body = r->body;
		m.in_reply_to = th.n > 0 ? th.ids[th.n - 1] : NULL;
		m.references = (const char *const *)th.ids;
		m.nreferences = th.n;
		rc = crm_mail_build(&m, out, e);
	}
	if (rc == 0 && r->transport != NULL)
		rc = record(s, &t, &m, out, r->status, e);
	if (rc == 0 && r->transport != NULL) {
		const char *rcpt[1] = { m.to.addr };

		rc = crm_transport_send(r->transport, m.from.addr, rcpt, 1, out->text, out->len, e);
	}
	thread_free(&th);
	return rc;
}
