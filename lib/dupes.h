/* dupes.h - likely duplicate contacts, each pair with a reason and a
 * score from 0 to 1:
 *
 *   1.00  same email ignoring case
 *   0.95  same mailbox: +tags ignored, and dots for Gmail
 *   0.90  same phone in E.164 form (national numbers need a region)
 *   0.80  same name (case, accents and punctuation folded) at the same
 *         company (Inc, Ltd, BV, GmbH, ... ignored)
 *   0.75  same name in the same city; 0.60 and 0.45 for names one or two
 *         edits apart in the same city
 *
 * A pair found for several reasons gets the highest score and every
 * reason. keep is the older contact (lower id). Erased contacts are left
 * out. Memory is proportional to the number of contacts.
 */
#ifndef CRM_DUPES_H
#define CRM_DUPES_H

#include <stddef.h>
#include <stdint.h>

struct crm_err;
struct crm_store;
struct crm_buf;

struct crm_dupe {
	int64_t keep, other;
	double score;
	char *reason;
};

int crm_dupes_find(struct crm_store *s, const char *region, double min_score,
		   struct crm_dupe **out, size_t *n, struct crm_err *e);
void crm_dupes_free(struct crm_dupe *d, size_t n);

/* Text folded for comparing names: ASCII lowercase, common accented
 * letters without their accents, punctuation dropped, one space between
 * words. */
void crm_fold(const char *s, struct crm_buf *out);

#endif
