/* domain.c - what the segment domain registers (store/domain.h). */
#include "store/domain.h"

const struct crm_domain crm_segment_domain = {
	.name = "segment",
};
