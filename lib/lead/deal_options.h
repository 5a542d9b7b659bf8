/* deal_options.h - the options that set a deal's fields, shared by
 * crm-lead add and edit (and their help text):
 *
 *   --title T --value V --currency C --pipeline P --stage S --owner O
 *   --source S --campaign C --close DATE --reason R --key K
 *   --tag T --untag T --set NAME=VALUE (a custom field; NAME= removes it)
 */
#ifndef CRM_LEAD_DEAL_OPTIONS_H
#define CRM_LEAD_DEAL_OPTIONS_H

#include <getopt.h>
#include <stdint.h>

struct crm_deal;
struct crm_err;

enum {
	CRM_DEAL_OPT = 0x5000,   /* + enum crm_deal_field */
	CRM_DEAL_OPT_TAG = 0x5100,
	CRM_DEAL_OPT_UNTAG,
	CRM_DEAL_OPT_SET,
};

#define CRM_DEAL_LONGOPTS \
	{ "title", required_argument, NULL, CRM_DEAL_OPT + 0 }, \
	{ "value", required_argument, NULL, CRM_DEAL_OPT + 1 }, \
	{ "currency", required_argument, NULL, CRM_DEAL_OPT + 2 }, \
	{ "pipeline", required_argument, NULL, CRM_DEAL_OPT + 3 }, \
	{ "stage", required_argument, NULL, CRM_DEAL_OPT + 4 }, \
	{ "owner", required_argument, NULL, CRM_DEAL_OPT + 5 }, \
	{ "source", required_argument, NULL, CRM_DEAL_OPT + 6 }, \
	{ "campaign", required_argument, NULL, CRM_DEAL_OPT + 7 }, \
	{ "close", required_argument, NULL, CRM_DEAL_OPT + 8 }, \
	{ "reason", required_argument, NULL, CRM_DEAL_OPT + 9 }, \
	{ "key", required_argument, NULL, CRM_DEAL_OPT + 10 }, \
	{ "tag", required_argument, NULL, CRM_DEAL_OPT_TAG }, \
	{ "untag", required_argument, NULL, CRM_DEAL_OPT_UNTAG }, \
	{ "set", required_argument, NULL, CRM_DEAL_OPT_SET }

#define CRM_DEAL_HELP \
	"  --title T         what the deal is (required for add)\n" \
	"  --value V         its value, e.g. 12000 or 12000.50 (required for add)\n" \
	"  --currency C      ISO 4217 code (default $CRM_CURRENCY, else EUR)\n" \
	"  --pipeline P      its pipeline (default: \"default\")\n" \
	"  --stage S         its stage (add; default the first open one)\n" \
	"  --owner O --source S --campaign C\n" \
	"  --close DATE      expected close date\n" \
	"  --reason R        why it was won or lost\n" \
	"  --key K           an external key (re-adding the same key adds nothing)\n" \
	"  --tag T --untag T add or remove a tag\n" \
	"  --set NAME=VALUE  a custom field (NAME= removes it)\n"

/* Applies option opt to d: 1 if it was one of these (0 with e untouched
 * when not), or CRM_EX_DATAERR/CRM_EX_USAGE with e set for a bad value. */
int crm_deal_option(struct crm_deal *d, int opt, const char *arg, int64_t now, struct crm_err *e);

/* crm-lead add's and move's --help. */
#define CRM_DEAL_ADD_HELP CRM_DEAL_HELP \
	"  CONTACT           an id, uid or email; - reads a contact stream on stdin\n" \
	"                    and adds the deal to each\n"
#define CRM_DEAL_MOVE_HELP \
	"  --reason R        why (required for a won or lost stage)\n" \
	"  --reopen          move a closed deal\n" \
	"  --at TIME         when it moved (default now)\n"

#endif
