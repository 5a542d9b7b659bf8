/* channels.h - the preferred channel of contacts, learned from their
 * interactions: per contact and channel the inbound and outbound counts,
 * the outbound ones answered by an inbound interaction within a window of
 * days, and a score (inbound + answered); rank 1 is the preferred channel
 * (ties: the latest inbound, then the channel's name).
 */
#ifndef CRM_LOG_CHANNELS_H
#define CRM_LOG_CHANNELS_H

#include <stdint.h>

struct crm_err;
struct crm_store;

struct crm_channels;

/* One channel of one contact; the text is valid until the next row. */
struct crm_channel_row {
	int64_t contact_id;
	const char *id;          /* contact_id as text */
	const char *email;
	const char *channel;
	const char *inbound;
	const char *outbound;
	const char *answered;
	const char *score;
	int rank;                /* 1: the preferred one */
	const char *stored;      /* the contact's preferred_channel, or NULL */
};

/* The channels with a score above 0 of contact_id, best first, or with
 * contact_id 0 the preferred channel (rank 1) of every contact, by id.
 * window: days an answer may take (1 to 3650). With update, each row
 * whose rank-1 channel differs from the stored one is kept for
 * crm_channels_update. */
struct crm_channels *crm_channels_open(struct crm_store *s, int64_t contact_id,
				       int64_t window, int update);

/* The next row: 1 with *row set, 0 after the last, -1 with e set. */
int crm_channels_next(struct crm_channels *c, struct crm_channel_row *row,
		      struct crm_err *e);

/* After the rows: writes the kept preferred channels to the contacts
 * (in the caller's transaction; changing contacts while the query over
 * them runs would be undefined in SQLite, so this comes after it).
 * *updated counts them. Returns 0 or an exit code with e set. */
int crm_channels_update(struct crm_channels *c, unsigned long *updated,
			struct crm_err *e);

/* Ends the query and frees c and what it kept (NULL is fine). */
void crm_channels_close(struct crm_channels *c);

#endif
