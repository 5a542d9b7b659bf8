/* velocity.h - crm-lead velocity: how fast deals go through a pipeline's
 * stages and how many go on, from their stage history (lead_events: a
 * spell in a stage runs from the event that put the deal in it to the
 * deal's next such event, as crm-lead show prints it), beside the win
 * rate, the average value won and the sales cycle of the deals closed.
 *
 * The window is [from, to): from the local midnight that starts --since
 * to the one that ends --until (all time without them). Per stage:
 *   entered     deals with a spell in the stage that began in the window
 *   advanced    of those, the deals that left such a spell, before the
 *               window's end, for a later open stage (in stage order) or
 *               a won stage
 *   conversion  advanced / entered in per cent, one decimal
 *   median_days, p90_days
 *               the days of the spells in the stage that ended in the
 *               window: the median (the mean of the two middle values
 *               for an even count) and the nearest-rank P90 (the value of
 *               rank ceil(0.9 n) in ascending order), one decimal
 * A spell is matched to its stage by name (ASCII case folded), as the
 * event names it (a rename renames it there too, lead/pipeline.c): one in
 * a stage since removed counts nowhere.
 * Then summary rows, stage empty, over the deals closed (now in a won or
 * lost stage, closed_at in the window): one for all of them (currency
 * empty: won, lost, win_rate = won / (won + lost) in per cent, and
 * median_cycle, the median days from created to closed of the won) and
 * one a currency with the same of that currency's deals and avg_won,
 * the mean value won rounded half up to the minor unit (money is never
 * added across currencies). A pipeline with nothing in the window has no
 * rows.
 */
#ifndef CRM_LEAD_VELOCITY_H
#define CRM_LEAD_VELOCITY_H

#include <stdint.h>

struct crm;
struct crm_err;
struct crm_store;

struct crm_velocity_opts {
	char from[32], to[32];   /* the window, stored times; "" and "~": open */
	const char *pipeline;    /* NULL: every pipeline, in the order made */
	const char *owner;       /* NULL: every owner */
};

/* Sets o's window from --since and --until (dates, relative forms as
 * crm_date_parse reads them; NULL: open). 0, or CRM_EX_USAGE with e set:
 * `--since: invalid date "x"`, `--since is after --until`. */
int crm_velocity_window(struct crm_velocity_opts *o, const char *since, const char *until,
			int64_t now, struct crm_err *e);

/* Writes the report to stdout in crm's format: pipeline, stage, entered,
 * advanced, conversion, median_days, p90_days, currency, won, lost,
 * win_rate, avg_won, median_cycle. 0 (also with nothing in the window:
 * the header alone), CRM_EX_DATAERR for an unknown pipeline, or the
 * exit code after printing. */
int crm_velocity(struct crm *crm, struct crm_store *s, const struct crm_velocity_opts *o);

/* The options' lines for --help. */
#define CRM_VELOCITY_HELP \
	"  --since DATE      the window's first day (default: all time)\n" \
	"  --until DATE      its last day (default: all time)\n" \
	"  --pipeline P      this pipeline only (default: every one)\n" \
	"  --owner O         deals of this owner only\n"

#endif
