/* dupes.h - likely duplicate contacts, each pair with a reason and a
 * score from 0 to 1:
 *
 *   1.00  same email ignoring case
 *   0.95  same mailbox: +tags ignored, and dots for Gmail
 *   0.90  same phone in E.164 form (national numbers need a region)
 *   0.80  same name (case, accents and punctuation folded) at the same
 *         company (Inc, Ltd, BV, GmbH, ... ignored)
 *   0.75  same name in the same city; 0.60 and 0.45 for names one or two
 *         edits apart in the same city (names whose folded forms start
 *         with the same letter, the lesser one at least 5 long)
 *
 * A pair gets the highest score of the reasons that hold for it and
 * every one of them. keep is the older contact (lower id). Erased
 * contacts are left out.
 *
 * How: five passes, one per kind of key (email, mailbox, phone, name at
 * company, city and first letter of the name), each reading the contacts
 * sorted by that key from the store (SQLite sorts them, spilling to temp
 * files), so memory does not grow with the store. Contacts with the same
 * key form a block; every two contacts of a block are compared. A block
 * of more than max_block contacts is split on a second key and only
 * contacts with the same second key are compared: the first letter of the
 * folded name for the four exact keys, the first letter of the folded
 * name's last word (the surname) for names in the same city. A pair is
 * written once, by the first pass and block that compares it, as soon as
 * its block is done: pairs are never all held.
 */
#ifndef CRM_DUPES_H
#define CRM_DUPES_H

#include <stddef.h>
#include <stdint.h>

struct crm_err;
struct crm_store;
struct crm_buf;

#define CRM_DUPES_MAX_BLOCK 1000

/* At most this many pairs of one block are sorted before they are
 * written; a block with more writes them in runs of this size. */
#define CRM_DUPES_BATCH 65536

struct crm_dupe {
	int64_t keep, other;
	double score;
	char *reason;
	/* The display name and primary email of each (borrowed: valid
	 * during the emit callback only; crm_dupes_find leaves them NULL). */
	const char *keep_name, *keep_email, *other_name, *other_email;
};

struct crm_dupes_opts {
	const char *region;     /* of national phone numbers, or NULL */
	double min_score;       /* pairs scoring less are not written */
	size_t max_block;       /* 0: CRM_DUPES_MAX_BLOCK */
	/* Called for each pair in output order: by pass (email, mailbox,
	 * phone, name at company, name in city), then by block key, then
	 * score (highest first), keep, other. A non-zero return stops the
	 * run and is returned. */
	int (*emit)(void *ctx, const struct crm_dupe *d, struct crm_err *e);
	/* Called for each block split on its second key, or NULL: the
	 * reason the pass looks for, the block key, its size and the
	 * number of parts it was split into. */
	void (*split)(void *ctx, const char *reason, const char *key, size_t n, size_t parts);
	void *ctx;
};

struct crm_dupes_stats {
	size_t pairs;            /* pairs emitted */
	size_t split[5];         /* blocks split, per pass */
	size_t largest;          /* contacts in the largest part compared */
};

/* The reason each pass looks for, and what its split blocks are split on
 * (pass 0-4). */
const char *crm_dupes_pass_reason(int pass);
const char *crm_dupes_pass_second(int pass);

/* Streams the pairs to o->emit. Returns 0, or an exit code with e set. */
int crm_dupes_scan(struct crm_store *s, const struct crm_dupes_opts *o,
		   struct crm_dupes_stats *stats, struct crm_err *e);

/* Every pair in one array, in the order above, holding them all (for
 * tests and small stores): *out is allocated, free it with
 * crm_dupes_free. */
int crm_dupes_find(struct crm_store *s, const char *region, double min_score,
		   struct crm_dupe **out, size_t *n, struct crm_err *e);
void crm_dupes_free(struct crm_dupe *d, size_t n);

/* Text folded for comparing names: ASCII lowercase, common accented
 * letters without their accents, punctuation dropped, one space between
 * words. */
void crm_fold(const char *s, struct crm_buf *out);

#endif
