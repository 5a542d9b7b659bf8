/* features.h - raw values of a table turned into the numeric columns a
 * model fits: the encoding learnt by crm-lead's lead scoring (and later
 * crm-report's churn model) and stored with the model.
 *
 * Input is n rows of m raw features, row-major: row i, feature j is
 * values[i * m + j], a C string, or NULL for a missing value. An empty
 * string "" is missing too (a blank cell of a CSV file). Numbers are read
 * in the C locale's syntax (the toolkit never calls setlocale): optional
 * sign, digits with an optional '.' fraction (".5" and "5." are fine), an
 * optional exponent; no spaces, no hex, no "inf" or "nan", and a value
 * must be finite as a double ("1e999" is not a number).
 *
 * A feature is
 *   - numeric when every non-missing value is a number (and it is not
 *     forced categorical): one column, the value standardised by the mean
 *     and population sd (divide by n) of the non-missing values, named
 *     as the feature ("value"). When the sd is 0 (one number wherever it
 *     is present) there is no value column; only its missing indicator
 *     is left, and struct crm_feature's sd of 0 tells the caller so.
 *   - categorical otherwise: its values are counted; the kept levels are
 *     the most frequent values (ties by value, bytewise, so it is
 *     deterministic), at most top_k of them, each seen in at least
 *     min_count rows; every other value is "other". The levels are
 *     treatment coded: the most frequent kept value is the reference and
 *     has no column (its effect is the model's intercept), every other
 *     kept value has a 0/1 column "source = referral", and "other" has a
 *     column "source = other" when learning saw other values ("source =
 *     (other)" if a kept value is itself "other"). Full one-hot columns
 *     with an intercept are collinear: their coefficients would be set by
 *     the penalty alone, with standard errors ~ 1/sqrt(lambda).
 *   - either way, a feature with a missing value in some row gets a 0/1
 *     missing indicator column "country missing"; missing numeric values
 *     encode as 0 (the mean) in the value column.
 *
 * min_count defaults to 5, not 2: a level seen in a couple of rows gets a
 * coefficient that the penalty, not the data, decides, and lumping it into
 * "other" costs little. top_k counts the reference, so the default of 10
 * gives at most 9 level columns plus other and missing.
 *
 * A feature that cannot tell rows apart is refused with CRM_EX_DATAERR and
 * a message naming it:
 *     feature "x" has one value ("y") in every row
 *     feature "x" is missing in every row
 *     feature "x" has no value in 5 or more rows (all 120 values are other)
 * unless opts->skip_uninformative is set: then it gets no columns and
 * its struct crm_feature has dropped = 1, for the caller to warn about.
 *
 * The struct crm_features owns everything in it; the caller reads the
 * fields (read-only) and releases it with crm_features_free. Functions
 * never print and keep no state; they fail with CRM_EX_DATAERR and e set
 * (e may be NULL) on bad arguments or data.
 */
#ifndef CRM_FEATURES_H
#define CRM_FEATURES_H

#include <stddef.h>

#include "base/buf.h"
#include "base/err.h"

#define CRM_FEATURES_TOP_K 10
#define CRM_FEATURES_MIN_COUNT 5

struct crm_features_opts {
	size_t top_k;            /* kept levels, the reference included;
				  * 0: CRM_FEATURES_TOP_K */
	size_t min_count;        /* rows a value needs to be a level;
				  * 0: CRM_FEATURES_MIN_COUNT */
	const unsigned char *categorical; /* NULL, or m flags: non-zero
					   * makes feature j categorical even
					   * when its values are numbers (zip
					   * codes, ids of a list) */
	int skip_uninformative;  /* drop, rather than refuse, a feature that
				  * cannot tell rows apart */
};

enum crm_feature_kind {
	CRM_FEATURE_NUMERIC,
	CRM_FEATURE_CATEGORICAL,
};

struct crm_feature {
	char *name;
	enum crm_feature_kind kind;
	int dropped;       /* uninformative, skipped: no columns */
	double mean, sd;   /* numeric: of the non-missing values; sd 0 means
			    * no value column */
	size_t nlevels;    /* categorical: the kept values in levels[] */
	char **levels;     /* most frequent first; levels[0] is the
			    * reference and has no column */
	int has_other;     /* categorical: learning saw values outside the
			    * levels; with nlevels == 0 "other" is the
			    * reference, else it has a column */
	int has_missing;   /* learning saw missing values: indicator column */
	size_t col;        /* its first column, */
	size_t ncols;      /* and how many it has */
};

struct crm_features {
	size_t m;          /* raw features, as learnt */
	struct crm_feature *f;
	size_t ncols;      /* encoded columns */
	char **colname;    /* ncols names, for people: "value", "source =
			    * referral", "source = other", "country missing" */
	size_t *colfeat;   /* ncols: the raw feature of each column, to sum a
			    * feature's contributions */
};

/* What encoding met that learning had not (crm_features_encode adds to
 * it; start it zeroed). */
struct crm_features_tally {
	size_t unparsed;   /* values of a numeric feature that were not
			    * numbers: encoded as missing */
	size_t unseen;     /* values of a categorical feature outside its
			    * levels when learning saw no other value: encoded
			    * as the reference level */
	size_t missing;    /* missing values of a feature that learning saw
			    * always present: numeric at the mean,
			    * categorical at the reference level */
};

/* 0 and the value in *out if s is a whole number in the syntax above, -1
 * (out untouched) otherwise. */
int crm_features_parse_number(const char *s, double *out);

/* Learns an encoding of the n x m table values (layout above) with
 * feature names names[0..m-1] (copied) and options o (NULL: defaults)
 * into *out, which the caller frees with crm_features_free. Costs O(n m)
 * time and O(n) scratch per feature. m == 0 gives an encoding of no
 * columns. CRM_EX_DATAERR, *out left empty (safe to free), for n == 0
 * with m > 0, NULL arrays, a NULL name, top_k or min_count absurd, an
 * uninformative feature (above), or numbers whose sd overflows. */
int crm_features_learn(const char *const *values, size_t n, size_t m,
		       const char *const *names,
		       const struct crm_features_opts *o,
		       struct crm_features *out, struct crm_err *e);

/* Encodes one row (m values, as in learning) into out[0..enc->ncols-1].
 * A value of a numeric feature that is not a number, or whose
 * standardised value is not finite, is encoded as missing; a categorical
 * value outside the levels is "other" (or the reference level, above).
 * Adds what it met to *t when t is not NULL, and returns how many of the
 * row's values were unparsed, unseen or unexpectedly missing: 0 for a row
 * that encoded exactly as learnt. The caller decides what to make of it. */
size_t crm_features_encode(const struct crm_features *enc,
			   const char *const *row, double *out,
			   struct crm_features_tally *t);

/* crm_features_encode of n rows (values as in learning) into the n x ncols
 * array out; returns the total of their counts. */
size_t crm_features_encode_rows(const struct crm_features *enc,
				const char *const *values, size_t n,
				double *out, struct crm_features_tally *t);

/* Appends the encoding to b as text, for a database text column. Lines
 * end in '\n'; fields are separated by a tab; in names and values a
 * backslash, tab, newline and carriage return are written \\ \t \n \r;
 * numbers are "%.17g", so they read back exactly:
 *     crm-features	1	M
 * then, for each of the M features in order, one of
 *     numeric	NAME	MEAN	SD	HAS_MISSING
 *     categorical	NAME	NLEVELS	HAS_OTHER	HAS_MISSING
 *         followed by NLEVELS lines "level	VALUE", the reference first
 *     dropped	NAME	KIND        (KIND "numeric" or "categorical")
 * and last
 *     end
 * HAS_* are 0 or 1. Columns and their names are not stored: loading
 * derives them as learning does. */
void crm_features_save(const struct crm_features *enc, struct crm_buf *b);

/* Reads text written by crm_features_save into *out (free it with
 * crm_features_free); encodings of rows are then identical to the saved
 * one's. CRM_EX_DATAERR, *out left empty, with e naming the line, for text
 * that is not such an encoding (truncated, unknown version, a bad field). */
int crm_features_load(const char *text, struct crm_features *out,
		      struct crm_err *e);

/* Releases what enc owns and leaves it empty; an empty (zeroed) or freed
 * enc is fine. */
void crm_features_free(struct crm_features *enc);

#endif
