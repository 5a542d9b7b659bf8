/* domain.c - what the log domain registers (store/domain.h). */
#include "store/domain.h"

const struct crm_domain crm_log_domain = {
	.name = "log",
};
