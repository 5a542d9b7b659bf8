/* merge_pairs.h - merging pairs a person or dupes names: KEEP and OTHER
 * as references (an id, uid or email), one pair at a time or every
 * keep/other row of a CSV or TSV file such as `crm-contact dupes`
 * writes. A pair whose contact is gone (merged away by an earlier pair)
 * is skipped and said; the caller holds the transaction (merge.h). */
#ifndef CRM_MERGE_PAIRS_H
#define CRM_MERGE_PAIRS_H

struct crm_err;
struct crm_store;

struct crm_merge_pairs {
	struct crm_store *store;
	/* Called for a skipped pair with why ("no contact \"12\""), or NULL. */
	void (*skipped)(void *ctx, const char *why);
	void *ctx;
	unsigned long merged, skipped_n;   /* counts so far */
};

/* Merges other_ref into keep_ref. Returns 0 (merged, or skipped when
 * either names no contact), or an exit code with e set: a lookup or a
 * merge that failed (75 busy, ...). */
int crm_merge_pair(struct crm_merge_pairs *m, const char *keep_ref, const char *other_ref,
		   struct crm_err *e);

/* Merges every pair of the file at path ("-": stdin), which needs keep
 * and other columns. Returns 0, or an exit code with e set: 66 when it
 * cannot be opened, 65 for a file without the columns, an empty one or a
 * bad row ("d.csv:3: ..."), 74 on a read error, or crm_merge_pair's. */
int crm_merge_pairs_from(struct crm_merge_pairs *m, const char *path, struct crm_err *e);

#endif
