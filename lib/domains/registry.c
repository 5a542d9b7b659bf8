/* registry.c - every domain of the toolkit, in the order their rows are
 * read (store/domain.h). A new domain adds its line here and its folder's
 * layer to scripts/check-layout; nothing else outside its folder. */
#include "store/domain.h"

extern const struct crm_domain crm_contact_domain;
extern const struct crm_domain crm_log_domain;
extern const struct crm_domain crm_segment_domain;
extern const struct crm_domain crm_lead_domain;
extern const struct crm_domain crm_ticket_domain;

const struct crm_domain *const crm_domains[] = {
	&crm_contact_domain,
	&crm_log_domain,
	&crm_segment_domain,
	&crm_lead_domain,
	&crm_ticket_domain,
	NULL,
};
