/* channels.c - the preferred channel of contacts (channels.h). */
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "contact/contact.h"
#include "log/channels.h"
#include "store/store.h"

/* ?1 the contact (0: all, rank 1 only), ?2 the window in days. */
static const char channels_sql[] =
	"WITH io AS (SELECT contact_id, channel, direction, at FROM interactions"
	"  WHERE direction IS NOT NULL AND (?1 = 0 OR contact_id = ?1)),"
	" per AS (SELECT contact_id, channel,"
	"  sum(direction = 'in') AS inbound, sum(direction = 'out') AS outbound,"
	"  sum(direction = 'out' AND EXISTS (SELECT 1 FROM interactions r"
	"   WHERE r.contact_id = io.contact_id AND r.direction = 'in' AND r.at > io.at"
	"   AND r.at <= strftime('%Y-%m-%dT%H:%M:%SZ', io.at, '+' || ?2 || ' days'))) AS answered,"
	"  max(CASE WHEN direction = 'in' THEN at END) AS last_in"
	"  FROM io GROUP BY contact_id, channel),"
	" ranked AS (SELECT *, inbound + answered AS score, row_number() OVER ("
	"  PARTITION BY contact_id ORDER BY inbound + answered DESC,"
	"  last_in DESC NULLS LAST, channel) AS rank FROM per)"
	" SELECT r.contact_id, c.email, r.channel, r.inbound, r.outbound, r.answered,"
	"  r.score, r.rank, c.preferred_channel FROM ranked r"
	"  JOIN contacts c ON c.id = r.contact_id"
	" WHERE r.score > 0 AND (?1 <> 0 OR r.rank = 1) AND c.erased_at IS NULL"
	" ORDER BY r.contact_id, r.rank";

struct pending {
	int64_t id;
	char *channel;
};

struct crm_channels {
	struct crm_store *s;
	struct crm_stmt *st;
	int update;
	struct pending *pending;
	size_t npending;
};

struct crm_channels *crm_channels_open(struct crm_store *s, int64_t contact_id,
				       int64_t window, int update)
{
	struct crm_channels *c = xcalloc(1, sizeof(*c));

	c->s = s;
	c->update = update;
	c->st = crm_store_prepare(s, channels_sql);
	crm_bind_int64(c->st, 1, contact_id);
	crm_bind_int64(c->st, 2, window);
	return c;
}

int crm_channels_next(struct crm_channels *c, struct crm_channel_row *row,
		      struct crm_err *e)
{
	int step = crm_store_step(c->s, c->st, e);

	if (step != CRM_ROW)
		return step == CRM_DONE ? 0 : -1;
#define COL(i) ((const char *)crm_column_text(c->st, (i)))
	row->contact_id = crm_column_int64(c->st, 0);
	row->id = COL(0);
	row->email = COL(1);
	row->channel = COL(2);
	row->inbound = COL(3);
	row->outbound = COL(4);
	row->answered = COL(5);
	row->score = COL(6);
	row->rank = crm_column_int(c->st, 7);
	row->stored = COL(8);
#undef COL
	if (c->update && row->rank == 1 &&
	    (row->stored == NULL || strcmp(row->stored, row->channel) != 0)) {
		c->pending = xreallocarray(c->pending, c->npending + 1, sizeof(*c->pending));
		c->pending[c->npending].id = row->contact_id;
		c->pending[c->npending].channel = xstrdup(row->channel);
		c->npending++;
	}
	return 1;
}

static int set_preferred(struct crm_store *s, int64_t id, const char *channel,
			 struct crm_err *e)
{
	struct crm_contact ct;
	int rc, changed;

	crm_contact_init(&ct);
	rc = crm_contact_set(&ct, CRM_CF_PREFERRED_CHANNEL, channel, 0, e);
	if (rc == 0)
		rc = crm_contact_update(s, id, &ct, &changed, e);
	crm_contact_free(&ct);
	return rc;
}

int crm_channels_update(struct crm_channels *c, unsigned long *updated,
			struct crm_err *e)
{
	int rc = 0;

	crm_stmt_reset(c->st);
	*updated = 0;
	for (size_t i = 0; rc == 0 && i < c->npending; i++) {
		rc = set_preferred(c->s, c->pending[i].id, c->pending[i].channel, e);
		if (rc == 0)
			++*updated;
	}
	return rc;
}

void crm_channels_close(struct crm_channels *c)
{
	if (c == NULL)
		return;
	crm_stmt_reset(c->st);
	for (size_t i = 0; i < c->npending; i++)
		free(c->pending[i].channel);
	free(c->pending);
	free(c);
}
