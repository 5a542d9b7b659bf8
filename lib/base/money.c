/* money.c - currencies and amounts in minor units. */
#include "base/money.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/num.h"

const char *crm_default_currency(void)
{
	const char *env = getenv("CRM_CURRENCY");

	return env != NULL && strlen(env) == 3 ? env : "EUR";
}

void crm_default_currency_code(char out[4])
{
	if (crm_currency_parse(crm_default_currency(), out, NULL) != 0)
		memcpy(out, "EUR", 4);
}

int crm_currency_minor_per_major(const char *code)
{
	int d = crm_currency_decimals(code), n = 1;

	while (d-- > 0)
		n *= 10;
	return n;
}

int crm_currency_parse(const char *s, char out[4], struct crm_err *e)
{
	if (strlen(s) != 3 || !isalpha((unsigned char)s[0]) ||
	    !isalpha((unsigned char)s[1]) || !isalpha((unsigned char)s[2]))
		return crm_err_set(e, CRM_EX_DATAERR,
				   "invalid currency \"%.16s\" (use an ISO 4217 code such as EUR)", s);
	for (int i = 0; i < 3; i++)
		out[i] = (char)toupper((unsigned char)s[i]);
	out[3] = '\0';
	return 0;
}

int crm_currency_decimals(const char *code)
{
	static const char zero[] = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF";
	static const char three[] = "BHD IQD JOD KWD LYD OMR TND";

	if (strlen(code) != 3)
		return 2;
	if (strstr(zero, code) != NULL)
		return 0;
	if (strstr(three, code) != NULL)
		return 3;
	return 2;
}

int crm_amount_parse(const char *s, const char *code, int64_t *minor,
		     struct crm_err *e)
{
	return crm_amount_parse_mark(s, code, 0, minor, e);
}

int crm_amount_parse_mark(const char *s, const char *code, char mark,
			  int64_t *minor, struct crm_err *e)
{
	int decimals = crm_currency_decimals(code);
	const char *why;

	if (crm_parse_money_mark(s, mark, decimals, minor, &why) == 0)
		return 0;
	if (mark == 0)
		return crm_err_set(e, CRM_EX_DATAERR,
				   "invalid amount \"%.32s\": %s (%s has %d decimal%s; use a dot, no thousands separators)",
				   s, why, code, decimals, decimals == 1 ? "" : "s");
	return crm_err_set(e, CRM_EX_DATAERR,
			   "invalid amount \"%.32s\": %s (%s has %d decimal%s; decimal mark '%c', thousands in groups of three as in %s)",
			   s, why, code, decimals, decimals == 1 ? "" : "s", mark,
			   mark == ',' ? "1.234,50" : "1,234.50");
}

void crm_amount_format(int64_t minor, const char *code, char out[32])
{
	crm_format_money(minor, crm_currency_decimals(code), out);
}
