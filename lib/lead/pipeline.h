/* pipeline.h - pipelines and their stages (crm-lead pipeline, stage).
 *
 * A pipeline is a named, ordered list of stages; each stage has a whole
 * percentage probability and a kind (open, won, lost). The default
 * pipeline ("default": new 10%, qualified 25%, proposal 50%, negotiation
 * 75%, won, lost) is made on first use by any command that writes deals
 * (crm_pipeline_ensure). Names compare without regard to case.
 */
#ifndef CRM_LEAD_PIPELINE_H
#define CRM_LEAD_PIPELINE_H

#include <getopt.h>
#include <stdint.h>

struct crm_err;
struct crm_stmt;
struct crm_store;

#define CRM_DEFAULT_PIPELINE "default"

enum crm_stage_kind { CRM_STAGE_OPEN, CRM_STAGE_WON, CRM_STAGE_LOST };

struct crm_stage {
	int64_t id;
	int64_t pipeline_id;
	char name[128];
	char pipeline[128];
	int probability;          /* 0..100 */
	enum crm_stage_kind kind;
	int64_t position;
};

/* "open", "won", "lost". */
const char *crm_stage_kind_name(enum crm_stage_kind k);
/* Parses a kind; 0 or CRM_EX_USAGE with e set. */
int crm_stage_kind_parse(const char *s, enum crm_stage_kind *k, struct crm_err *e);
/* Parses a probability: "40%" or "40", a whole number 0..100. 0 or
 * CRM_EX_USAGE: `invalid probability "140%" (0% to 100%)`. */
int crm_probability_parse(const char *s, int *out, struct crm_err *e);
/* Checks a pipeline or stage name: 1-100 bytes of UTF-8, no control
 * character, not all digits. 0 or CRM_EX_USAGE. */
int crm_pipeline_check_name(const char *what, const char *name, struct crm_err *e);

/* Makes the default pipeline when the store has no pipeline at all. In
 * the caller's transaction. */
int crm_pipeline_ensure(struct crm_store *s, struct crm_err *e);

/* The id of pipeline name: 0, CRM_EX_NOTFOUND with e set (`no pipeline
 * "x"`), or a store error. */
int crm_pipeline_find(struct crm_store *s, const char *name, int64_t *id, struct crm_err *e);
/* Adds pipeline name with no stages; CRM_EX_DATAERR if it exists. */
int crm_pipeline_add(struct crm_store *s, const char *name, int64_t *id, struct crm_err *e);
/* Removes pipeline name and its stages; refused (CRM_EX_DATAERR) while it
 * holds deals. */
int crm_pipeline_rm(struct crm_store *s, const char *name, struct crm_err *e);
/* name, stages, open, won, lost, open_value_deals: one row a pipeline. */
struct crm_stmt *crm_pipeline_list_stmt(struct crm_store *s);
/* pipeline, position, stage, probability, kind, deals: the stages of
 * pipeline id in order. */
struct crm_stmt *crm_pipeline_stages_stmt(struct crm_store *s, int64_t id);

/* Stage name of pipeline pipeline_id (pipeline_id 0: of the default
 * pipeline, or the only one): 0 with *out, CRM_EX_NOTFOUND with e set
 * (`no stage "x" in pipeline "y"`), or a store error. */
int crm_stage_find(struct crm_store *s, int64_t pipeline_id, const char *name,
		   struct crm_stage *out, struct crm_err *e);
/* The stage of id. */
int crm_stage_get(struct crm_store *s, int64_t id, struct crm_stage *out, struct crm_err *e);
/* The first open stage of pipeline_id by position (where a new deal goes). */
int crm_stage_first(struct crm_store *s, int64_t pipeline_id, struct crm_stage *out,
		    struct crm_err *e);
/* Adds stage name to pipeline (by name) at position (<= 0: after the
 * last). */
int crm_stage_add(struct crm_store *s, const char *pipeline, const char *name,
		  int probability, int64_t position, enum crm_stage_kind kind, struct crm_err *e);
/* Changes what is given of stage name: new_name (NULL: kept), probability
 * (< 0: kept), position (<= 0: kept), kind (NULL: kept). A kind change of
 * a stage that holds deals is refused (their closed state would lie). */
int crm_stage_edit(struct crm_store *s, const char *pipeline, const char *name,
		   const char *new_name, int probability, int64_t position,
		   const enum crm_stage_kind *kind, struct crm_err *e);
/* Removes stage name; one that holds deals only with move_to (a stage of
 * the same pipeline and kind), where its deals go, each move recorded as
 * an event by who. *moved counts them. */
int crm_stage_rm(struct crm_store *s, const char *pipeline, const char *name,
		 const char *move_to, const char *who, int64_t *moved, struct crm_err *e);

/* The options of stage add, edit and rm: --probability P% --order N
 * --kind K --name NEW --move-to STAGE, into a (arg kept, not copied). */
struct crm_stage_args {
	int probability;          /* -1: not given */
	long order;               /* 0: not given */
	int has_kind;
	enum crm_stage_kind kind;
	const char *name, *move_to;
};
enum { CRM_STAGE_OPT = 0x5400 };
#define CRM_STAGE_LONGOPTS \
	{ "probability", required_argument, NULL, CRM_STAGE_OPT + 0 }, \
	{ "order", required_argument, NULL, CRM_STAGE_OPT + 1 }, \
	{ "kind", required_argument, NULL, CRM_STAGE_OPT + 2 }, \
	{ "name", required_argument, NULL, CRM_STAGE_OPT + 3 }, \
	{ "move-to", required_argument, NULL, CRM_STAGE_OPT + 4 }
/* 0, or CRM_EX_USAGE with e set. */
int crm_stage_option(struct crm_stage_args *a, int opt, const char *arg, struct crm_err *e);

#endif
