/* score_print.h - what crm-lead score train and score explain print. */
#ifndef CRM_LEAD_SCORE_PRINT_H
#define CRM_LEAD_SCORE_PRINT_H

struct crm;
struct crm_score_trained;
struct crm_score_explained;

/* The coefficients: term, coefficient, std_error, z (the intercept first),
 * in crm's output format. 0, or the exit code after printing the error. */
int crm_score_print_trained(struct crm *crm, const struct crm_score_trained *t);

/* The reasons: the baseline (intercept), each feature's contribution to
 * the log-odds in words ("lead.source = referral: +0.82") with the deal's
 * value, largest first, and the total with P(won). */
int crm_score_print_explained(struct crm *crm, const struct crm_score_explained *x);

#endif
