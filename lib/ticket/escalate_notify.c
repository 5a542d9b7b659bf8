/* escalate_notify.c - one digest mail to each agent concerned by a run
 * of escalate (escalate.h). */
#include "ticket/escalate_notify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/dates.h"
#include "base/err.h"
#include "base/xalloc.h"
#include "mailer/message.h"
#include "mailer/transport.h"
#include "store/store.h"
#include "ticket/escalate.h"

/* An agent concerned by escalation i. */
struct concern {
	char agent[128];
	size_t i;
};

static int by_agent(const void *a, const void *b)
{
	const struct concern *x = a, *y = b;
	int c = strcmp(x->agent, y->agent);

	return c != 0 ? c : (x->i > y->i) - (x->i < y->i);
}

static void add_concern(struct concern **v, size_t *n, const char *agent, size_t i)
{
	*v = xreallocarray(*v, *n + 1, sizeof(**v));
	snprintf((*v)[*n].agent, sizeof((*v)[*n].agent), "%s", agent);
	(*v)[(*n)++].i = i;
}

/* Who each escalation concerns: its agent after it and the one before,
 * and the active agents of the team the rule gave it to when no agent
 * has it. */
static int concerns(struct crm_store *s, const struct crm_escalated *done, size_t n,
		    struct concern **out, size_t *nout, struct crm_err *e)
{
	struct crm_stmt *st = crm_store_prepare(s, "SELECT a.name FROM agents a JOIN teams m"
						" ON m.id = a.team_id WHERE m.name = ?1"
						" AND a.active = 1 ORDER BY a.name");
	int step = CRM_DONE;

	*out = NULL;
	*nout = 0;
	for (size_t i = 0; i < n && step >= 0; i++) {
		if (done[i].before[0] != '\0' && strcmp(done[i].before, done[i].assignee) != 0)
			add_concern(out, nout, done[i].before, i);
		if (done[i].assignee[0] != '\0') {
			add_concern(out, nout, done[i].assignee, i);
			continue;
		}
		if (strncmp(done[i].assigned, "team ", 5) != 0)
			continue;
		crm_bind_text(st, 1, done[i].assigned + 5);
		while ((step = crm_store_step(s, st, e)) == CRM_ROW)
			add_concern(out, nout, crm_column_text(st, 0), i);
		crm_stmt_reset(st);
	}
	return step < 0 ? e->code : 0;
}

/* The agent's address, "" when it has none. */
static int agent_email(struct crm_store *s, const char *agent, char *out, size_t size,
		       struct crm_err *e)
{
	struct crm_stmt *st = crm_store_prepare(s, "SELECT email FROM agents WHERE name = ?1");
	int step;

	out[0] = '\0';
	crm_bind_text(st, 1, agent);
	step = crm_store_step(s, st, e);
	if (step == CRM_ROW && crm_column_text(st, 0) != NULL)
		snprintf(out, size, "%s", crm_column_text(st, 0));
	crm_stmt_reset(st);
	return step < 0 ? e->code : 0;
}

/* One line a ticket: "#12 Where is my order? - level 0 -> 2,
 * first_response due 2026-12-05T16:30:00Z". */
static int digest_line(struct crm_store *s, const struct crm_escalated *d, struct crm_buf *body,
		       struct crm_err *e)
{
	struct crm_stmt *st = crm_store_prepare(s, "SELECT coalesce(subject, '') FROM tickets"
						" WHERE id = ?1");
	int step;

	crm_bind_int64(st, 1, d->ticket);
	step = crm_store_step(s, st, e);
	crm_buf_addf(body, "#%lld %s - level %d -> %d, %s due %s\n", (long long)d->ticket,
		     step == CRM_ROW ? crm_column_text(st, 0) : "", d->from, d->to, d->clock, d->due);
	crm_stmt_reset(st);
	return step < 0 ? e->code : 0;
}

int crm_ticket_escalate_notify(struct crm_store *s, const struct crm_escalated *done, size_t n,
			       const char *from, const struct crm_transport *t, size_t *sent,
			       size_t *skipped, struct crm_err *e)
{
	struct crm_mail_new m;
	struct concern *c = NULL;
	size_t nc = 0;
	int rc;

	*sent = *skipped = 0;
	memset(&m, 0, sizeof(m));
	rc = crm_mail_address_parse("--from", from, &m.from, e);
	if (rc == 0)
		rc = concerns(s, done, n, &c, &nc, e);
	if (rc == 0)
		qsort(c, nc, sizeof(*c), by_agent);
	for (size_t i = 0; rc == 0 && i < nc;) {
		struct crm_buf body = CRM_BUF_INIT;
		struct crm_mail_built built;
		char email[256], subject[200];
		size_t j = i, count = 0;

		rc = agent_email(s, c[i].agent, email, sizeof(email), e);
		for (; rc == 0 && j < nc && strcmp(c[j].agent, c[i].agent) == 0; j++) {
			if (j > i && c[j].i == c[j - 1].i)
				continue;   /* the agent before it and one of the team */
			rc = digest_line(s, &done[c[j].i], &body, e);
			count++;
		}
		if (rc == 0 && email[0] == '\0') {
			(*skipped)++;
		} else if (rc == 0) {
			snprintf(subject, sizeof(subject), "%zu ticket%s escalated", count,
				 count == 1 ? "" : "s");
			rc = crm_mail_address_parse("the agent's email", email, &m.to, e);
			if (rc == 0 && m.to.name[0] == '\0')
				snprintf(m.to.name, sizeof(m.to.name), "%s", c[i].agent);
			m.subject = subject;
			m.body = crm_buf_str(&body);
			m.auto_generated = 1;   /* never to be answered by a robot */
			if (rc == 0 && crm_time_parse(crm_store_now(s), 0, &m.date, e) != 0)
				rc = e->code;
			if (rc == 0)
				rc = crm_mail_build(&m, &built, e);
			if (rc == 0) {
				const char *rcpt[1] = { m.to.addr };

				rc = crm_transport_send(t, m.from.addr, rcpt, 1, built.text, built.len, e);
				crm_mail_built_free(&built);
			}
			if (rc == 0)
				(*sent)++;
			else
				crm_err_prefix(e, "the digest of agent \"%.64s\"", c[i].agent);
		}
		crm_buf_free(&body);
		i = j;
	}
	free(c);
	return rc;
}
