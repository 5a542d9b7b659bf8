/* dupes_run.h - dupes as a command runs it: its options (--min-score,
 * --max-block), and the pairs as rows of a listing: keep, other, score
 * (two decimals), reason, keep_name, keep_email, other_name, other_email;
 * keep, other and score are numbers. What `crm-contact dupes` writes and
 * `merge --from` reads back. */
#ifndef CRM_DUPES_RUN_H
#define CRM_DUPES_RUN_H

#include <getopt.h>

struct crm_dupes_opts;
struct crm_dupes_stats;
struct crm_err;
struct crm_out;
struct crm_store;

/* Put CRM_DUPES_LONGOPTS in the command's option table and hand each
 * option to crm_dupes_option. */
enum { CRM_DUPES_OPT_MIN_SCORE = 0x4300, CRM_DUPES_OPT_MAX_BLOCK };
#define CRM_DUPES_LONGOPTS \
	{ "min-score", required_argument, NULL, CRM_DUPES_OPT_MIN_SCORE }, \
	{ "max-block", required_argument, NULL, CRM_DUPES_OPT_MAX_BLOCK }

/* Sets o from opt and its argument. Returns 0; -1 if opt is not one of
 * them; CRM_EX_USAGE with the message in e ("--min-score: a number from
 * 0 to 1, not \"x\""). */
int crm_dupes_option(struct crm_dupes_opts *o, int opt, const char *arg, struct crm_err *e);

/* Runs crm_dupes_scan with o (whose emit is not used; split and ctx are)
 * and writes the columns, then each pair as it comes, to out. Returns 0,
 * or an exit code with e set. */
int crm_dupes_write(struct crm_store *s, const struct crm_dupes_opts *o,
		    struct crm_out *out, struct crm_dupes_stats *stats, struct crm_err *e);

/* The score as "%.2f" writes it, for 0 <= score <= 1 (out: 5 bytes). */
void crm_dupes_score_text(double score, char out[5]);

#endif
