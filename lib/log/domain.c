/* domain.c - what the log domain registers (store/domain.h). */
#include "store/domain.h"

/* Every interaction on the contact's timeline: notes, calls, mails,
 * meetings, messages, purchases, refunds and tasks alike. */
static const struct crm_timeline_source log_timeline[] = {
	{ "interactions", 0,
	  "SELECT at, 'interaction' AS source, id, channel, direction, type, subject,"
	  " agent, amount, currency FROM interactions WHERE contact_id = ?1" },
};

const struct crm_domain crm_log_domain = {
	.name = "log",
	.timeline = log_timeline,
	.ntimeline = sizeof(log_timeline) / sizeof(log_timeline[0]),
};
