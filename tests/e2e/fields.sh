#!/bin/sh
# tests/e2e/fields.sh - `--fields` of every listing (crm-segment run,
# crm-contact list and export) takes any name the filter language knows:
# computed ones (cluster, rfm.*, purchases.*, interactions.*, age,
# opt_out.*), field.NAME and tag:NAME, with the values the filter reads;
# an unknown name exits 64 with the list of known names. Expected values
# come from SQL queries (tsql, tests/e2e/lib.sh) of the tables crm-log, rfm and cluster wrote.
. "$(dirname "$0")/lib.sh"
export CRM_NOW=2026-06-01T00:00:00Z

TAB=$(printf '\t')

out_empty() {
	[ ! -s "$T/out" ] || _fail "stdout not empty: $(head -c 400 "$T/out")"
}

# money EXPR: SQL for the cents EXPR (not negative) as major units with
# two decimals, "1234.05", in SQL both stores read (no printf).
money() {
	_c="CAST($1 AS BIGINT)"
	printf '%s' "(($_c / 100) || '.' || (CASE WHEN ($_c % 100) < 10 THEN '0' ELSE '' END) || ($_c % 100))"
}

# no_empty_cells: every cell of stdout (TSV) holds something.
no_empty_cells() {
	awk -F '\t' '{ for (i = 1; i <= NF; i++) if ($i == "") { print NR ": " $0; exit 1 } }' \
		"$T/out" > "$T/empty" || _fail "an empty cell: $(cat "$T/empty")"
}

# ---- a store: ten contacts, purchases, refunds, other touches ---------------
#   a..h buy (h also gets a refund), i only calls, j has nothing;
#   b and d have custom field shoe_size; a, c and e are tagged vip.

(
	set -e
	n=0
	for c in a b c d e f g h i j; do
		n=$((n + 1))
		crm-contact add --uid "u-$c" --email "$c@example.org" --first-name "$c" \
			--birthdate "19$((50 + n * 4))-03-0$((n % 9 + 1))" > /dev/null
	done
	crm-contact add --uid u-b2 --email b2@example.org > /dev/null  # 11: erased below
	crm-contact edit b@example.org shoe_size=38 > /dev/null
	crm-contact edit d@example.org shoe_size=44 > /dev/null
	crm-contact tag add a@example.org vip > /dev/null
	crm-contact tag add c@example.org vip > /dev/null
	crm-contact tag add e@example.org vip > /dev/null
	n=0
	for c in a b c d e f g h; do
		n=$((n + 1))
		i=0
		while [ $i -lt $n ]; do
			i=$((i + 1))
			crm-log add --amount "$((n * 37 + i)).$((i * 7 % 100))" --at "-$((n * 40 + i * 3))d" \
				"$c@example.org" > /dev/null
		done
	done
	crm-log add --type refund --amount 12.34 --at -2d h@example.org > /dev/null
	crm-log add --type call --direction out --at -3d i@example.org > /dev/null
	crm-log add --type call --direction in --at -10d a@example.org > /dev/null
	crm-segment rfm > /dev/null
	crm-segment cluster --k 3 --seed 1 --features purchases.total,purchases.count,age > /dev/null 2>&1
) > "$T/setup.out" 2>&1 || echo "FAIL $SUITE: setup: $(head -c 400 "$T/setup.out")" >&2

check "setup: rfm and cluster scored the buyers" \
	'[ "$(tsql "SELECT count(*) FROM contact_rfm")" = 8 ] &&
	 [ "$(tsql "SELECT count(*) FROM contact_clusters")" -ge 8 ]'

# ---- crm-segment run ----------------------------------------------------------

run "run --fields id,cluster,rfm.segment,rfm.r: the stored scores" 0 \
	'crm-segment run --no-header "purchases.count >= 1" --fields id,cluster,rfm.segment,rfm.r | cut -f6-'
no_empty_cells
WANT=$(tsql "SELECT c.id, k.cluster, r.segment, r.r FROM contacts c
	LEFT JOIN contact_clusters k ON k.contact_id = c.id
	LEFT JOIN contact_rfm r ON r.contact_id = c.id
	WHERE c.id IN (SELECT contact_id FROM interactions WHERE type = 'purchase') ORDER BY c.id")
out_is "$WANT"
out_lines 8

run "run: the header names the columns as given" 0 \
	'crm-segment run --limit 1 "rfm.r >= 1" --fields cluster,rfm.segment,rfm.f,rfm.m,rfm.score'
out_has "id${TAB}uid${TAB}email${TAB}first_name${TAB}last_name${TAB}cluster${TAB}rfm.segment${TAB}rfm.f${TAB}rfm.m${TAB}rfm.score"

run "run: rfm.f, rfm.m, rfm.score as stored" 0 \
	'crm-segment run --no-header "rfm.r >= 1" --fields rfm.f,rfm.m,rfm.score | cut -f1,6-'
out_is "$(tsql "SELECT contact_id, f, m, r + f + m FROM contact_rfm ORDER BY contact_id")"

# money in major units of the default currency, purchases less refunds
run "run: purchases.total, .count, .avg, .last as the filter reads them" 0 \
	'crm-segment run --no-header "purchases.count >= 1" --fields purchases.total,purchases.count,purchases.avg,purchases.last | cut -f1,6-'
WANT=$(tsql "SELECT c.id,
	$(money t), n, $(money a), l
	FROM (SELECT c.id,
		(SELECT sum(amount) FROM interactions WHERE contact_id = c.id AND type IN ('purchase', 'refund')) AS t,
		(SELECT count(*) FROM interactions WHERE contact_id = c.id AND type = 'purchase') AS n,
		(SELECT CAST(round(avg(amount)) AS INTEGER) FROM interactions WHERE contact_id = c.id AND type = 'purchase') AS a,
		(SELECT max(at) FROM interactions WHERE contact_id = c.id AND type = 'purchase') AS l
		FROM contacts c) AS c WHERE n >= 1 ORDER BY c.id")
out_is "$WANT"

run "run: the refund is taken off h's total" 0 \
	'crm-segment run --no-header "tag:nope or id = 8" --fields purchases.total | cut -f6'
out_is "$(tsql "SELECT $(money "sum(amount)") FROM interactions WHERE contact_id = 8")"

run "run: interactions, age, tag:NAME, opt_out, field.NAME and a bare custom name" 0 \
	'crm-segment run --no-header "id <= 10" --fields interactions.count,interactions.last_30d,age,tag:vip,opt_out.email,field.shoe_size,shoe_size | cut -f1,6-'
WANT=$(tsql "SELECT c.id,
	(SELECT count(*) FROM interactions WHERE contact_id = c.id AND type <> 'task'),
	(SELECT count(*) FROM interactions WHERE contact_id = c.id AND type <> 'task' AND at >= '2026-05-02T00:00:00Z'),
	CAST(strftime('%Y', '2026-06-01') AS INTEGER) - CAST(strftime('%Y', birthdate) AS INTEGER)
	  - (CASE WHEN strftime('%m-%d', '2026-06-01') < strftime('%m-%d', birthdate) THEN 1 ELSE 0 END),
	CASE WHEN EXISTS (SELECT 1 FROM contact_tags WHERE contact_id = c.id AND tag = 'vip') THEN 1 ELSE 0 END,
	email_opt_out,
	(SELECT value FROM contact_fields WHERE contact_id = c.id AND name = 'shoe_size'),
	(SELECT value FROM contact_fields WHERE contact_id = c.id AND name = 'shoe_size')
	FROM contacts c WHERE id <= 10 ORDER BY id")
out_is "$WANT"

run "run: a computed column and a filter with parameters of their own" 0 \
	'crm-segment run --no-header "field.shoe_size > 40 or tag:vip" --fields tag:vip,field.shoe_size | cut -f1,6-'
out_is "1${TAB}1${TAB}
3${TAB}1${TAB}
4${TAB}0${TAB}44
5${TAB}1${TAB}"

run "run: jsonl, computed numbers and money unquoted" 0 \
	'crm-segment --format jsonl run "id = 8" --fields cluster,rfm.segment,purchases.total'
out_has "\"rfm.segment\":\"$(tsql "SELECT segment FROM contact_rfm WHERE contact_id = 8")\""
out_has "\"cluster\":$(tsql "SELECT cluster FROM contact_clusters WHERE contact_id = 8"),"
out_has "\"purchases.total\":$(tsql "SELECT $(money "sum(amount)") FROM interactions WHERE contact_id = 8")}"

run "run: a zero-decimal currency prints whole units" 0 \
	'CRM_CURRENCY=JPY crm-segment run --no-header "id = 1" --fields purchases.total | cut -f6'
out_is "$(tsql "SELECT sum(amount) FROM interactions WHERE contact_id = 1")"

# ---- unknown names ------------------------------------------------------------

run "run --fields nosuch: 64 with the list of names" 64 'crm-segment run "id > 0" --fields nosuch'
out_empty
err_has 'crm-segment: run: --fields: unknown field "nosuch"; known: id, uid, first_name, '
for name in email created_at age opt_out.email purchases.count purchases.total purchases.last \
	interactions.count interactions.last_Nd tasks.open rfm.segment rfm.r rfm.f rfm.m rfm.score \
	cluster field.NAME tag:NAME tags; do
	err_has " $name,"
done
err_has " tags, emails, phones and the name of any custom field a contact has"
[ "$(wc -l < "$T/err")" = 1 ] || _fail "more than one line on stderr"

run "run --fields: a misspelt computed name" 64 'crm-segment run "id > 0" --fields purchases.totl'
err_has 'crm-segment: run: --fields: unknown field "purchases.totl" (did you mean "purchases.total"?); known: '
out_empty

run "run --fields: a bad custom field name" 64 'crm-segment run "id > 0" --fields field.Shoe'
err_is 'crm-segment: run: --fields: invalid custom field name "Shoe"'

run "run --fields: SQL is a name, never run" 64 \
	'crm-segment run "id > 0" --fields "cluster FROM contacts; DROP TABLE contacts; --"'
err_has 'unknown field "cluster FROM contacts; DROP TABLE contacts; --"; known: '
check "the store is intact" '[ "$(tsql "SELECT count(*) FROM contacts")" = 11 ]'

# ---- crm-contact list and export ----------------------------------------------

run "list --fields id,purchases.total: the sum of purchases less refunds" 0 \
	'crm-contact list --no-header --fields id,purchases.total'
out_is "$(tsql "SELECT c.id, $(money "coalesce(s, 0)")
	FROM (SELECT c.id, (SELECT sum(amount) FROM interactions WHERE contact_id = c.id
	AND type IN ('purchase', 'refund')) AS s FROM contacts c) AS c ORDER BY c.id")"

run "list --fields with computed columns and --where, --tag" 0 \
	'crm-contact list --no-header --tag vip --fields email,rfm.segment,cluster'
out_is "$(tsql "SELECT c.email, coalesce(r.segment, ''), coalesce(CAST(k.cluster AS TEXT), '') FROM contacts c
	LEFT JOIN contact_rfm r ON r.contact_id = c.id LEFT JOIN contact_clusters k ON k.contact_id = c.id
	WHERE c.id IN (SELECT contact_id FROM contact_tags WHERE tag = 'vip') ORDER BY c.id")"

run "list --fields nosuch: 64 with the list" 64 'crm-contact list --fields id,nosuch'
err_has 'crm-contact: list: --fields: unknown field "nosuch"; known: id, uid, '
out_empty

run "export --fields computed columns, csv" 0 \
	'crm-contact export --format csv --where email=h@example.org --fields email,purchases.count,purchases.total'
out_is "email,purchases.count,purchases.total
h@example.org,8,$(tsql "SELECT $(money "sum(amount)") FROM interactions WHERE contact_id = 8")"

# an erased contact stays out of listings with computed columns too
crm-contact erase --force b2@example.org > /dev/null 2>&1 ||
	echo "FAIL $SUITE: setup: erase failed" >&2
run "list: an erased contact stays out" 1 'crm-contact list --no-header --fields id,cluster --where id=11'
out_empty

finish
