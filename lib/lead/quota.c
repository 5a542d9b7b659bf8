/* quota.c - sales quotas (quota.h). */
#include "lead/quota.h"

#include <stdio.h>
#include <string.h>

#include "base/err.h"
#include "base/money.h"
#include "cli/cli.h"
#include "cli/finish.h"
#include "io/output.h"
#include "store/store.h"

static int digits(const char *s, size_t n)
{
	return strspn(s, "0123456789") >= n;
}

int crm_period_check(const char *p, struct crm_err *e)
{
	size_t n = strlen(p);
	int ok = 0;

	if (n == 7 && digits(p, 4) && p[4] == '-' && digits(p + 5, 2))
		ok = (p[5] == '0' && p[6] >= '1') || (p[5] == '1' && p[6] <= '2');
	else if (n == 7 && digits(p, 4) && p[4] == '-' && p[5] == 'Q')
		ok = p[6] >= '1' && p[6] <= '4';
	if (!ok)
		return crm_err_set(e, CRM_EX_USAGE, "invalid period \"%.32s\" (a month such as"
				   " 2026-10 or a quarter such as 2026-Q4)", p);
	return 0;
}

void crm_period_quarter(const char *p, char out[8])
{
	int m = (p[5] - '0') * 10 + (p[6] - '0');

	memcpy(out, p, 5);
	out[5] = 'Q';
	out[6] = p[5] == 'Q' ? p[6] : (char)('1' + (m - 1) / 3 % 4);
	out[7] = '\0';
}

int crm_quota_set(struct crm_store *s, const char *owner, const char *period,
		  const char *amount, const char *currency, struct crm_err *e)
{
	struct crm_stmt *st;
	char cur[4];
	int64_t minor;
	int rc;

	if (owner[0] == '\0')
		return crm_err_set(e, CRM_EX_USAGE, "a quota needs an owner");
	if ((rc = crm_period_check(period, e)) != 0 || (rc = crm_currency_parse(currency, cur, e)) != 0 ||
	    (rc = crm_amount_parse(amount, cur, &minor, e)) != 0)
		return rc;
	if (minor < 0)
		return crm_err_set(e, CRM_EX_DATAERR, "a quota is not negative: \"%.32s\"", amount);
	st = crm_store_prepare(s, "INSERT INTO quotas (owner, period, currency, amount)"
			       " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (owner, period, currency)"
			       " DO UPDATE SET amount = excluded.amount");
	crm_bind_text(st, 1, owner);
	crm_bind_text(st, 2, period);
	crm_bind_text(st, 3, cur);
	crm_bind_int64(st, 4, minor);
	return crm_store_run(s, st, e);
}

int crm_quota_rm(struct crm_store *s, const char *owner, const char *period,
		 const char *currency, struct crm_err *e)
{
	struct crm_stmt *st;
	char cur[4];
	int rc;

	if ((rc = crm_period_check(period, e)) != 0 ||
	    (currency != NULL && (rc = crm_currency_parse(currency, cur, e)) != 0))
		return rc;
	st = crm_store_prepare(s, "DELETE FROM quotas WHERE owner = ?1 AND period = ?2"
			       " AND (?3 IS NULL OR currency = ?3)");
	crm_bind_text(st, 1, owner);
	crm_bind_text(st, 2, period);
	if (currency != NULL)
		crm_bind_text(st, 3, cur);
	else
		crm_bind_null(st, 3);
	return crm_store_run_named(s, st, e, "no quota of \"%.64s\" for %s", owner, period);
}

int crm_quota_list(struct crm *crm, struct crm_store *s)
{
	static const char *const cols[] = { "owner", "period", "currency", "amount" };
	struct crm_err e = { 0, "" };
	struct crm_stmt *st = crm_store_prepare(s, "SELECT owner, period, currency, amount"
						" FROM quotas ORDER BY owner, period, currency");
	struct crm_out *out = crm_out_open(stdout, &crm->out);
	int step, rc, n = 0;

	crm_out_columns(out, 4, cols);
	crm_out_numeric(out, 3);
	while ((step = crm_store_step(s, st, &e)) == CRM_ROW) {
		char amount[32];
		const char *v[4] = { crm_column_text(st, 0), crm_column_text(st, 1),
				     crm_column_text(st, 2), amount };

		crm_amount_format(crm_column_int64(st, 3), v[2], amount);
		crm_out_row(out, v);
		n++;
	}
	crm_stmt_reset(st);
	rc = crm_finish_output(crm, out, step < 0 ? e.code : 0, &e);
	return rc != 0 ? rc : n == 0 ? CRM_EX_NOTFOUND : 0;
}
