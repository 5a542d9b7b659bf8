/* persona.h - a plain-language profile of each group of contacts: each
 * cluster of the last `crm-segment cluster`, or each RFM segment. */
#ifndef CRM_PERSONA_H
#define CRM_PERSONA_H

#include <stddef.h>
#include <stdint.h>

struct crm_err;
struct crm_store;

struct crm_persona {
	char *group;       /* "1" (a cluster) or "champions" */
	int64_t size;
	char *age_band;    /* the most common ten-year band, "30-39", or NULL */
	char *countries;   /* top three with shares: "NL 45%, DE 20%" */
	char *genders;
	char *channel;     /* the most common preferred channel */
	char *tags;        /* top three tags with shares */
	double spend;      /* average purchases less refunds, major units */
};

enum crm_persona_by { CRM_PERSONA_CLUSTER, CRM_PERSONA_RFM };

/* Profiles every group; *out (n entries) is allocated. Returns 0,
 * CRM_EX_NOTFOUND when there are no groups (run cluster or rfm first). */
int crm_personas(struct crm_store *s, enum crm_persona_by by, int64_t now,
		 struct crm_persona **out, size_t *n, struct crm_err *e);
void crm_personas_free(struct crm_persona *p, size_t n);

/* One sentence about p into out (allocated). */
char *crm_persona_text(const struct crm_persona *p, enum crm_persona_by by,
		       const char *currency);

#endif
