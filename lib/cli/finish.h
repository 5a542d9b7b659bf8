/* finish.h - how a command ends: its transaction committed or rolled
 * back, its listing closed, and the error, if any, printed once.
 *
 * The tail every command repeats:
 *
 *   rc = crm_store_begin(s, &e);
 *   if (rc == 0)
 *       rc = crm_contact_update(s, id, &c, &changed, &e);
 *   rc = crm_finish_tx(crm, s, rc, &e);       -- commit, or roll back
 *
 *   out = crm_out_open(stdout, &crm->out);
 *   rc = crm_contact_query_run(s, &q, out, &n, &e);
 *   rc = crm_finish_output(crm, out, rc, &e); -- close, report
 *
 * rc is what the work returned: 0, or an exit code with e set (not yet
 * printed). Both return 0, or the exit code after printing the error as
 * crm_report() does.
 */
#ifndef CRM_FINISH_H
#define CRM_FINISH_H

struct crm;
struct crm_err;
struct crm_out;
struct crm_store;

/* rc 0: commits the transaction of s; a failed commit rolls back and is
 * printed. rc non-zero: rolls back and prints e. */
int crm_finish_tx(struct crm *crm, struct crm_store *s, int rc, struct crm_err *e);

/* Closes out (freeing it). rc 0: a failed write or close is printed and
 * returned (74). rc non-zero: out is closed without a word of its own and
 * e is printed. */
int crm_finish_output(struct crm *crm, struct crm_out *out, int rc, struct crm_err *e);

/* An option a library function refused, as its rc says: -1 (not one of
 * its options: getopt has printed why) is 64 and nothing more;
 * CRM_EX_USAGE is e's message and the usage line (64); another code is
 * e's message. For the X_option() functions that return 0, -1 or an
 * exit code with e set (crm_contact_query_option, crm_dupes_option, ...);
 * rc must not be 0. */
int crm_finish_option(struct crm *crm, int rc, const struct crm_err *e);

#endif
