/* domain.c - what the contact domain registers (store/domain.h). */
#include "store/domain.h"

const struct crm_domain crm_contact_domain = {
	.name = "contact",
};
