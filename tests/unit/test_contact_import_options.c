/* test_contact_import_options.c - unit tests for
 * lib/contact/contact_import_options.c: --on-conflict, --key, --map,
 * --tag and --format of import with their refusals, and what a --format
 * before the command asks of the input. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "cli/batch.h"
#include "cli/cli.h"
#include "contact/contact_import.h"
#include "contact/contact_import_options.h"
#include "io/csvio.h"

struct args {
	struct crm crm;
	struct crm_contact_import ic;
	struct crm_batch_opts bo;
	struct crm_contact_import_args a;
	struct crm_err e;
};

static int setup(void **state)
{
	struct args *t = calloc(1, sizeof(*t));

	if (t == NULL)
		return -1;
	crm_contact_import_init(&t->ic, &t->crm);
	t->bo.format = CRM_CSV_AUTO;
	t->bo.use_source = -1;
	t->a.ic = &t->ic;
	t->a.bo = &t->bo;
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	struct args *t = *state;

	crm_contact_import_free(&t->ic);
	free(t);
	return 0;
}

static int opt(void **state, int o, const char *arg)
{
	struct args *t = *state;

	return crm_contact_import_option(&t->a, o, arg, &t->e);
}

static const char *msg(void **state)
{
	return ((struct args *)*state)->e.msg;
}

static void import_options__on_conflict(void **state)
{
	struct args *t = *state;

	assert_int_equal(opt(state, CRM_IMPORT_OPT_ON_CONFLICT, "skip"), 0);
	assert_int_equal(t->ic.on_conflict, 's');
	assert_int_equal(opt(state, CRM_IMPORT_OPT_ON_CONFLICT, "merge"), CRM_EX_USAGE);
	assert_string_equal(msg(state), "--on-conflict: use update, skip or error, not \"merge\"");
	assert_int_equal(t->ic.on_conflict, 's');
}

static void import_options__key(void **state)
{
	struct args *t = *state;

	assert_int_equal(opt(state, CRM_IMPORT_OPT_KEY, "field.customer_no"), 0);
	assert_ptr_equal(t->ic.key, &t->a.key);
	assert_string_equal(t->a.key.name, "customer_no");
	assert_int_equal(opt(state, CRM_IMPORT_OPT_KEY, "id"), CRM_EX_USAGE);
	assert_string_equal(msg(state), "--key: ids are the store's, not a key of a file");
	assert_int_equal(opt(state, CRM_IMPORT_OPT_KEY, "shoe"), CRM_EX_USAGE);
	assert_int_equal(strncmp(msg(state), "--key: ", 7), 0);
	assert_null(strstr(msg(state) + 7, "--key: "));
}

static void import_options__map_and_tags_kept(void **state)
{
	struct args *t = *state;

	assert_int_equal(opt(state, CRM_IMPORT_OPT_MAP, "E-mail=email"), 0);
	assert_int_equal(opt(state, CRM_IMPORT_OPT_MAP, "Notes=-"), 0);
	assert_int_equal(t->ic.nmaps, 2);
	assert_string_equal(t->ic.maps[1], "Notes=-");
	assert_int_equal(opt(state, CRM_IMPORT_OPT_MAP, "=email"), CRM_EX_USAGE);
	assert_string_equal(msg(state), "--map wants COLUMN=FIELD, not \"=email\"");
	assert_int_equal(opt(state, CRM_IMPORT_OPT_MAP, "email"), CRM_EX_USAGE);
	assert_int_equal(opt(state, CRM_IMPORT_OPT_TAG, "fair-2024"), 0);
	assert_int_equal(t->ic.ntags, 1);
	assert_int_equal(opt(state, CRM_IMPORT_OPT_TAG, "a b"), CRM_EX_DATAERR);
	assert_int_equal(t->ic.ntags, 1);
}

static void import_options__format(void **state)
{
	struct args *t = *state;

	assert_int_equal(opt(state, CRM_IMPORT_OPT_FORMAT, "tsv"), 0);
	assert_int_equal(t->bo.format, CRM_CSV_TAB);
	assert_int_equal(t->bo.use_source, 0);
	assert_int_equal(opt(state, CRM_IMPORT_OPT_FORMAT, "vcard"), 0);
	assert_int_equal(t->bo.use_source, 1);
	assert_int_equal(opt(state, CRM_IMPORT_OPT_FORMAT, "csv"), 0);
	assert_int_equal(t->bo.format, CRM_CSV_COMMA);
	assert_int_equal(t->bo.use_source, 0);
	assert_int_equal(opt(state, CRM_IMPORT_OPT_FORMAT, "jsonl"), CRM_EX_USAGE);
	assert_string_equal(msg(state), "--format for import is csv, tsv or vcard, not \"jsonl\"");
	assert_int_equal(opt(state, 'x', "1"), -1);
}

static void import_options__format_before_the_command(void **state)
{
	struct args *t = *state;

	assert_int_equal(crm_contact_import_format(CRM_FMT_DEFAULT, &t->bo, &t->e), 0);
	assert_int_equal(t->bo.format, CRM_CSV_AUTO);
	assert_int_equal(t->bo.use_source, -1);
	assert_int_equal(crm_contact_import_format(CRM_FMT_TSV, &t->bo, &t->e), 0);
	assert_int_equal(t->bo.format, CRM_CSV_TAB);
	assert_int_equal(t->bo.use_source, 0);
	assert_int_equal(crm_contact_import_format(CRM_FMT_JSONL, &t->bo, &t->e), CRM_EX_USAGE);
	assert_string_equal(msg(state), "--format for import is csv, tsv or vcard");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define S(t) cmocka_unit_test_setup_teardown(t, setup, teardown)
		S(import_options__on_conflict),
		S(import_options__key),
		S(import_options__map_and_tags_kept),
		S(import_options__format),
		S(import_options__format_before_the_command),
#undef S
	};

	return cmocka_run_group_tests_name("contact_import_options", tests, NULL, NULL);
}
