#!/bin/sh
# tests/e2e/segment.sh - crm-segment end to end: the filter language of
# crm-filter(7) over every kind of field and operator, its errors with
# their columns, injection attempts, run and count, saved segments,
# snapshots and diff, RFM on crafted purchases, k-means clusters on two
# obvious groups, personas, and cohort matrices.
# Each section works on a store of its own, with known data and a pinned
# clock.
. "$(dirname "$0")/lib.sh"
export CRM_NOW=2026-06-01T00:00:00Z

# out_empty: stdout is empty (out_is "" wants one empty line).
out_empty() {
	[ ! -s "$T/out" ] || _fail "stdout not empty: $(head -c 400 "$T/out")"
}

err_lacks() {
	! grep -qF -- "$1" "$T/err" || _fail "stderr has \"$1\": $(head -c 400 "$T/err")"
}

# use NAME: the following cases work on the store store_at NAME.
use() {
	CRM_DB=$(store_at "$1")
}

# setup COMMAND: a step that builds a store; it must succeed silently.
setup() {
	(eval "$*") > "$T/setup.out" 2>&1 ||
		echo "FAIL $SUITE: setup failed: $*: $(head -c 400 "$T/setup.out")" >&2
}

# m EXPR [ID ...]: `crm-segment run EXPR` lists exactly the contacts ID ...,
# in that order, and exits 0; with no ID it writes only its header and
# exits 1. Nothing on stderr either way.
m() {
	_expr=$1
	shift
	_ids="$*"
	if [ -n "$_ids" ]; then _st=0; else _st=1; fi
	run "run $_expr" $_st 'crm-segment run "$_expr"'
	_got=$(sed 1d "$T/out" | cut -f1 | tr '\n' ' ' | sed 's/ $//')
	[ "$_got" = "$_ids" ] || _fail "matched \"$_got\", want \"$_ids\""
	err_empty
}

# bad EXPR MESSAGE: `crm-segment run EXPR` is refused with exit 64 and
# exactly this one line on stderr (without the "crm-segment: run: ").
bad() {
	_expr=$1
	run "bad: $_expr" 64 'crm-segment run "$_expr"'
	err_is "crm-segment: run: $2"
	out_empty
}

# ---- program level ----------------------------------------------------------

use usage

run "--help lists every command" 0 'crm-segment --help'
out_has "usage: crm-segment [options] COMMAND [options] [args]"
for c in run count save list show rm snapshot diff rfm cluster personas cohort; do
	out_has "  $c "
done
err_empty

run "command --help" 0 'crm-segment run --help'
out_has "usage: crm-segment run [--fields F] [--limit N] EXPR|NAME"
out_has "common options:"
err_empty

run "cluster --help" 0 'crm-segment cluster --help'
out_has "usage: crm-segment cluster --features F,... [--k K|auto|auto:MIN-MAX] [--seed N] [--restarts N]"

run "--version" 0 'crm-segment --version'
out_is "crm-segment 0.1.0"

run "bad option" 64 'crm-segment --bogus run tag:x'
err_is "crm-segment: unknown option --bogus
usage: crm-segment [options] COMMAND [options] [args]"
out_empty

run "bad option of a command" 64 'crm-segment run --bogus tag:x'
err_is "crm-segment: run: unknown option --bogus
usage: crm-segment run [--fields F] [--limit N] EXPR|NAME"

run "option without its value" 64 'crm-segment run --limit'
err_has "crm-segment: run: option --limit needs a value"

run "unknown command" 64 'crm-segment frobnicate'
err_is "crm-segment: unknown command \"frobnicate\" (try 'crm-segment --help')
usage: crm-segment [options] COMMAND [options] [args]"

run "no command" 64 'crm-segment'
err_has "crm-segment: no command given"

run "run without an expression" 64 'crm-segment run'
err_is "crm-segment: run: give one expression or segment name
usage: crm-segment run [--fields F] [--limit N] EXPR|NAME"

run "run with two expressions" 64 'crm-segment run tag:a tag:b'
err_has "crm-segment: run: give one expression or segment name"

run "count takes no options" 64 'crm-segment count --limit 1 tag:a'
err_has "crm-segment: count: unknown option --limit"

run "--limit 0" 64 'crm-segment run --limit 0 tag:a'
err_has "crm-segment: run: --limit: too small number \"0\""

check "usage errors do not create a store" '[ ! -e "$CRM_DB" ]'

# ---- the filter store ---------------------------------------------------------
#
#   id uid   name       country birthdate  age tags            shoe  other
#   1  u-ann Ann Smith  NL      1990-06-01 36  vip             42    created 2024-01-01T15:00Z
#   2  u-bob Bob Jones  DE      1985-12-31 40  newsletter,vip  9     email opt-out
#   3  u-cem Cem        nl      2000-06-02 25                  wide
#   4  u-dee Dee        FR      -          -                         company with SQL in it
#   5  u-eve Eve        US      1960-01-15 66  newsletter            sms opt-out, title with \ and "
#
# purchases (EUR): Ann 100 (2026-05-20), 50 (2026-04-01), 30 (2026-01-15);
# Bob 500 (2025-01-10) and a refund of 100 (2025-02-01); Cem 10
# (2026-05-30); Eve 20 (2025-06-01), 20 (2025-07-01). Also an inbound
# email from Ann (2026-05-25), an outbound call to Bob (2026-03-01) and an
# open task for Dee.

use f
setup 'crm-contact add --uid u-ann --first-name Ann --last-name Smith --email ann@example.org \
	--country NL --birthdate 1990-06-01 --gender f --preferred-channel email --tag vip \
	--created-at 2024-01-01T15:00:00Z shoe=42'
setup 'crm-contact add --uid u-bob --first-name Bob --last-name Jones --email bob@example.org \
	--country DE --birthdate 1985-12-31 --gender m --tag vip,newsletter --email-opt-out true shoe=9'
setup 'crm-contact add --uid u-cem --first-name Cem --email cem@example.org --country nl \
	--birthdate 2000-06-02 --gender m shoe=wide'
setup 'crm-contact add --uid u-dee --first-name Dee --email dee@example.org --country FR \
	--company "O'"'"'Reilly; DROP TABLE contacts; --"'
setup 'crm-contact add --uid u-eve --first-name Eve --email eve@example.org --country US \
	--birthdate 1960-01-15 --gender f --tag newsletter --sms-opt-out true \
	--title '"'"'back\slash "quoted"'"'"
setup 'crm-log add --amount 100 --at 2026-05-20 ann@example.org
	crm-log add --amount 50 --at 2026-04-01 ann@example.org
	crm-log add --amount 30 --at 2026-01-15 ann@example.org
	crm-log add --amount 500 --at 2025-01-10 bob@example.org
	crm-log add --type refund --amount 100 --at 2025-02-01 bob@example.org
	crm-log add --amount 10 --at 2026-05-30 cem@example.org
	crm-log add --amount 20 --at 2025-06-01 eve@example.org
	crm-log add --amount 20 --at 2025-07-01 eve@example.org
	crm-log add --type email --direction in --at 2026-05-25 ann@example.org
	crm-log add --type call --direction out --at 2026-03-01 bob@example.org
	crm-log task add dee@example.org --due 2026-06-10 Call Dee'
check "the filter store is as planned" \
	'[ "$(sql "SELECT count(*) FROM contacts")/$(sql "SELECT count(*) FROM interactions")" = 5/11 ]'

# ---- run and count --------------------------------------------------------

run "run: a contact stream of id, uid, email and name" 0 'crm-segment run tag:vip'
out_is "id	uid	email	first_name	last_name
1	u-ann	ann@example.org	Ann	Smith
2	u-bob	bob@example.org	Bob	Jones"
err_empty

run "run --fields adds columns: standard, tags, custom" 0 \
	'crm-segment run --fields country,tags,shoe,birthdate tag:newsletter'
out_is "id	uid	email	first_name	last_name	country	tags	shoe	birthdate
2	u-bob	bob@example.org	Bob	Jones	DE	newsletter;vip	9	1985-12-31
5	u-eve	eve@example.org	Eve		US	newsletter		1960-01-15"

run "run --fields with a name that is no field" 64 'crm-segment run --fields "email;x" tag:vip'
err_has "crm-segment: run: --fields: unknown field \"email;x\" (did you mean \"email\"?); known: id, uid, "

run "run --limit" 0 'crm-segment run --limit 1 --no-header tag:vip'
out_is "1	u-ann	ann@example.org	Ann	Smith"

run "run --format csv" 0 'crm-segment run --format csv tag:vip'
out_is "id,uid,email,first_name,last_name
1,u-ann,ann@example.org,Ann,Smith
2,u-bob,bob@example.org,Bob,Jones"

run "run --format jsonl" 0 'crm-segment run --format jsonl "uid = \"u-cem\""'
out_is '{"id":3,"uid":"u-cem","email":"cem@example.org","first_name":"Cem","last_name":null}'

run "run: nothing matched: the header and exit 1" 1 'crm-segment run "id = 99"'
out_is "id	uid	email	first_name	last_name"
err_empty

run "count" 0 'crm-segment count tag:newsletter'
out_is "2"
err_empty

run "count: nothing matched prints 0 and exits 1" 1 'crm-segment count "id = 99"'
out_is "0"
err_empty

run "the stream pipes into crm-contact" 0 \
	'crm-segment run tag:newsletter | crm-contact tag add - promo && crm-segment count tag:promo'
out_is "2"

# ---- operators over text fields --------------------------------------------

m 'country = "NL"' 1 3
m 'country = "nl"' 1 3
m 'country == "NL"' 1 3
m 'country != "NL"' 2 4 5
m 'country <> "NL"' 2 4 5
m 'country < "E"' 2
m 'country >= "n"' 1 3 5
m 'country in ("nl", "De")' 1 2 3
m 'not country in ("NL", "DE")' 4 5
m 'country ~ "n?"' 1 3
m 'email ~ "A*"' 1
m 'email ~ "*@EXAMPLE.ORG"' 1 2 3 4 5
m 'email ~ "???@*"' 1 2 3 4 5
m 'email ~ "%"'
m 'email ~ "___@*"'
m 'company is null' 1 2 3 5
m 'company is not null' 4
m 'company != "x"' 1 2 3 4 5
m 'company = "x"'
m 'gender = "F"' 1 5
m 'uid = "u-ann"' 1
m 'status = "lead"' 1 2 3 4 5
m 'preferred_channel = "email"' 1
m 'country = 12'

# ---- strings and their escapes ---------------------------------------------

m 'title = "back\\slash \"quoted\""' 5
m 'title ~ "*\\*"' 5
m 'title ~ "*\"*"' 5
m 'company = "O'"'"'Reilly; DROP TABLE contacts; --"' 4
m 'company ~ "*; --"' 4
m 'country = "tab\there"'
m 'country = "line\nbreak"'

# ---- numbers, dates and times ------------------------------------------------

m 'id = 3' 3
m 'id in (1, 5)' 1 5
m 'id >= 2 and id < 4' 2 3
m 'age = 36' 1
m 'age = 36.0' 1
m 'age >= 36' 1 2 5
m 'age < 26' 3
m 'age != 36' 2 3 4 5
m 'age is null' 4
m 'age > -1' 1 2 3 5
m 'birthdate is null' 4
m 'birthdate = 1990-06-01 ' 1
m 'birthdate = "1990-06-01"' 1
m 'birthdate != "1990-06-01"' 2 3 4 5
m 'birthdate < 1980-01-01 ' 5
m 'birthdate >= -26y' 3
m 'birthdate >= -26Y' 3
m 'birthdate in (1990-06-01, 2000-06-02)' 1 3
m 'birthdate > "today"'
m '(created_at = 2024-01-01)' 1
m 'created_at = "2024-01-01"' 1
m 'created_at != "2024-01-01"' 2 3 4 5
m 'created_at < 2024-01-02 ' 1
m 'created_at <= 2024-01-01 ' 1
m 'created_at > 2024-01-01 ' 2 3 4 5
m 'created_at >= 2024-01-01 ' 1 2 3 4 5
m 'created_at = 2024-01-01T15:00:00Z ' 1
m 'created_at = 2024-01-01T15:00 ' 1
m 'created_at in (2024-01-01T15:00:00Z)' 1
m 'created_at in (2024-01-01 )' 1
m 'created_at in ("2023-12-31", 2026-06-01)' 2 3 4 5
m 'created_at >= "today"' 2 3 4 5
m 'created_at >= "-1d"' 2 3 4 5

# ---- custom fields -------------------------------------------------------------

m 'field.shoe = 42' 1
m 'field.shoe = 42.0' 1
m 'field.shoe = +42' 1
m 'field.shoe > 10' 1
m 'field.shoe < 10' 2
m 'field.shoe = "42"' 1
m 'field.shoe = "WIDE"' 3
m 'field.shoe > "a"' 3
m 'field.shoe != 42' 2 3 4 5
m 'field.shoe is null' 4 5
m 'field.shoe in (9, 42)' 1 2
m 'field.shoe in ("9", "wide")' 2 3
m 'field.shoe ~ "w*"' 3
m 'field.nothing is null' 1 2 3 4 5
m 'field.nothing = 1'

# ---- tags and true/false -------------------------------------------------------

m 'tag:vip' 1 2
m 'TAG:vip' 1 2
m 'tag:VIP'
m 'not tag:vip' 3 4 5
m 'tag:vip and tag:newsletter' 2
m 'tag:vip or tag:newsletter' 1 2 5
m "tag:x'--"
m 'opt_out.email' 2
m 'not opt_out.email' 1 3 4 5
m 'opt_out.email = true' 2
m 'opt_out.email = false' 1 3 4 5
m 'opt_out.email != true' 1 3 4 5
m 'opt_out.sms' 5
m 'email_opt_out' 2
m 'sms_opt_out = true' 5

# ---- computed fields -------------------------------------------------------------

m 'purchases.count >= 3' 1
m 'purchases.count = 0' 4
m 'purchases.count > 1.5' 1 5
m 'purchases.total = 180' 1
m 'purchases.total = 400' 2
m 'purchases.total > 399.99' 2
m 'purchases.total = 0' 4
m 'purchases.avg = 500' 2
m 'purchases.avg = 60' 1
m 'purchases.avg is null' 4
m 'purchases.last < -90d' 2 5
m 'purchases.last >= -30d' 1 3
m 'purchases.last > -2w' 1 3
m 'purchases.last > -300h' 1 3
m 'purchases.last < -12m' 2
m 'purchases.last < -1y' 2
m 'purchases.last < +1d' 1 2 3 5
m 'purchases.last is null' 4
m 'purchases.last > 2026-05-01 ' 1 3
m 'purchases.last = 2026-05-20 ' 1
m 'purchases.last != 2026-05-30 ' 1 2 4 5
m 'purchases.first < 2025-06-01 ' 2
m 'purchases.first <= 2025-06-01 ' 2 5
m 'purchases.first = "2025-06-01"' 5
m 'purchases.first = 2025-06-01' 5
m 'purchases.first <= 2025-06-01' 2 5
m 'interactions.count = 4' 1
m 'interactions.count >= 1' 1 2 3 5
m 'interactions.first < "2025-03-01"' 2
m 'interactions.last > -10d' 1 3
m 'interactions.last_30d > 0' 1 3
m 'interactions.last_7d = 1' 1 3
m 'interactions.last_30d = 2' 1
m 'interactions.channel.email >= 1' 1
m 'interactions.channel.phone = 1' 2
m 'interactions.channel.other > 0' 1 2 3 5
m 'interactions.type.call = 1' 2
m 'interactions.type.purchase >= 2' 1 5
m 'interactions.type.refund = 1' 2
m 'interactions.type.task = 1' 4
m 'interactions.in = 1' 1
m 'interactions.out = 1' 2
m 'tasks.open = 1' 4
m 'rfm.segment = "champions"'
m 'cluster = 1'

run "money in the default currency: JPY has no cents" 0 \
	'CRM_CURRENCY=JPY crm-segment count "purchases.total = 18000"'
out_is "1"

# ---- and, or, not, parentheses, layout -----------------------------------------

m 'NOT tag:vip AND country = "NL" OR id = 5' 3 5
m 'not (tag:vip and country = "NL") and id < 4' 2 3
m 'not not tag:vip' 1 2
m 'tag:vip and (country = "DE" or age < 40)' 1 2
m 'tag:vip and(id=1)' 1
m 'country is NULL'
m 'country IS NOT null' 1 2 3 4 5
m "$(printf 'tag:vip\n\tand\n  country = "NL"')" 1
m 'country = "NL" and tag:vip and purchases.count >= 3 and purchases.last < -90d and not opt_out.email'
m 'country = "NL" and tag:vip and purchases.count >= 3 and purchases.last > -90d and not opt_out.email' 1
m "$(awk 'BEGIN { s = "id in (0"; for (i = 1; i < 256; i++) s = s "," i; print s ")" }')" 1 2 3 4 5

# ---- errors point at the column ----------------------------------------------------

bad 'contry = "NL"' '1:1: unknown field "contry" (did you mean "country"?)'
bad 'tag:vip and contry = "NL"' '1:13: unknown field "contry" (did you mean "country"?)'
bad 'purchases.cont > 1' '1:1: unknown field "purchases.cont" (did you mean "purchases.count"?)'
bad 'xyzzy = 1' '1:1: unknown field "xyzzy" (see crm-filter(7))'
bad 'COUNTRY = "NL"' '1:1: unknown field "COUNTRY" (did you mean "country"?)'
bad "$(printf 'country = "NL"\n  and contry = "x"')" '2:7: unknown field "contry" (did you mean "country"?)'
bad '(country = "NL"' '1:1: ( is never closed'
bad 'tag:vip and ((country = "NL")' '1:13: ( is never closed'
bad "$(printf 'tag:vip and\n\t(tag:x or\n tag:y')" '2:2: ( is never closed'
bad 'country = "NL")' '1:15: unbalanced )'
bad 'country = "NL' '1:11: unterminated string'
bad 'country = "NL\' '1:11: unterminated string'
bad 'country = "a\qb"' '1:11: unknown escape \q in a string (use \" \\ \n \t)'
bad 'country = NL' '1:11: expected a value, found "NL" (quote text: "NL")'
bad 'age ~ "3*"' '1:5: ~ matches text; age is a number'
bad 'created_at ~ "2024*"' '1:12: ~ matches text; created_at is a time'
bad 'country ~ NL' '1:11: expected a quoted pattern after ~, found "NL"'
bad 'opt_out.email > true' '1:15: opt_out.email is true or false: use = or !='
bad 'opt_out.email = 1' '1:17: expected true or false, found "1"'
bad 'created_at = someday' '1:14: expected a time, found "someday"'

run "now, today, yesterday and tomorrow need no quotes" 0 \
	'crm-segment count "created_at < tomorrow and created_at > yesterday" > bare &&
	 crm-segment count "created_at < \"tomorrow\" and created_at > \"yesterday\"" > quoted &&
	 cmp bare quoted && cat bare'
out_is "$(sql "SELECT count(*) FROM contacts WHERE erased_at IS NULL AND created_at >= '2026-06-01' AND created_at < '2026-06-02'")"
bad 'birthdate > -12h' '1:13: invalid date "-12h"'
bad 'purchases.total = 1.234' '1:19: invalid amount "1.234": too many decimals (EUR has 2 decimals; use a dot, no thousands separators)'
bad 'tag:vip = true' '1:9: expected and, or or the end, found "="'
bad 'country = "NL" country' '1:16: expected and, or or the end, found "country"'
bad '' '1:1: empty expression'
bad '   ' '1:1: empty expression'
bad 'country' '1:8: expected a comparison after country, found end of expression'
bad 'country =' '1:10: expected text, found end of expression'
bad 'country = "NL" and' '1:19: expected a field, tag:NAME, not or (, found end of expression'
bad 'and tag:vip' '1:1: expected a field, tag:NAME, not or (, found "and"'
bad 'not' '1:4: expected a field, tag:NAME, not or (, found end of expression'
bad '1 = 1' '1:1: expected a field, tag:NAME, not or (, found "1"'
bad '"country" = "NL"' '1:1: expected a field, tag:NAME, not or (, found "country"'
bad 'age = "x"' '1:7: expected a number, found "x"'
bad 'age = 36 ; x' '1:10: unexpected ";"'
bad 'country in ()' '1:13: expected text, found ")"'
bad 'country in ("NL",)' '1:18: expected text, found ")"'
bad 'field.shoe in (9, "wide")' '1:19: mix of numbers and text in a list'
bad 'field. = 1' '1:1: invalid custom field name ""'
bad 'tag:' '1:1: invalid tag ""'
bad 'interactions.channel.fax > 0' '1:1: unknown field "interactions.channel.fax" (see crm-filter(7))'
bad 'interactions.last_0d > 0' '1:1: unknown field "interactions.last_0d" (see crm-filter(7))'
bad "$(printf 'country = "\377"')" '1:1: the expression is not valid UTF-8'
bad "$(awk 'BEGIN { s = "id in (0"; for (i = 1; i <= 256; i++) s = s "," i; print s ")" }')" \
	'1:922: more than 256 values in a list'
bad "$(awk 'BEGIN { for (i = 0; i < 20; i++) printf "("; printf "tag:vip"; for (i = 0; i < 20; i++) printf ")" }')" \
	'1:17: expression nested deeper than 16'
m "$(awk 'BEGIN { for (i = 0; i < 15; i++) printf "("; printf "tag:vip"; for (i = 0; i < 15; i++) printf ")" }')" 1 2
m "$(awk 'BEGIN { s = "id = 1"; for (i = 2; i <= 256; i++) s = s " or id = " i; print s }')" 1 2 3 4 5
bad "$(awk 'BEGIN { s = "id = 1"; for (i = 2; i <= 257; i++) s = s " or id = " i; print s }')" \
	'1:2965: more than 256 conditions'
bad '(country = "NL" tag:x' '1:17: expected and, or or ), found "tag:x"'
bad 'created_at in (2024-01-01, 2024-01-01T15:00:00Z)' '1:28: mix of days and times in a list'
bad 'id = 1.2.3' '1:6: invalid number "1.2.3"'
bad 'age = 12abc' '1:7: invalid number "12abc"'
bad 'id = 99999999999999999999' '1:6: number "99999999999999999999" out of range'

# ---- injection: values are data, names are checked ----------------------------------

run "a value with SQL in it is data" 1 \
	'crm-segment run "country = \"x\\\"; DROP TABLE contacts; --\""'
err_empty
run "a semicolon after an expression" 64 'crm-segment run "country = \"NL\" ; DROP TABLE contacts"'
err_has 'crm-segment: run: 1:16: '
run "an SQL comment after an expression" 64 'crm-segment run "country = \"NL\" -- x"'
err_has 'crm-segment: run: 1:16: '
run "a C comment after an expression" 64 'crm-segment run "country = \"NL\" /* x */"'
err_has 'crm-segment: run: 1:16: '
run "a quote in a field name" 64 "crm-segment run \"field.x'; DROP TABLE contacts; -- = 1\""
err_has 'crm-segment: run: 1:8: '
run "a quote after a computed field" 64 "crm-segment run \"interactions.channel.email';-- > 0\""
err_has 'crm-segment: run: 1:27: '
run "a tag with a semicolon" 64 "crm-segment run \"tag:vip';DROP\""
err_is "crm-segment: run: 1:1: invalid tag \"vip';DROP\""
run "or 1" 64 'crm-segment run "id = 1 or 1"'
err_is 'crm-segment: run: 1:11: expected a field, tag:NAME, not or (, found "1"'
run "a segment name with SQL in it" 64 "crm-segment save \"a'; DROP TABLE segments; --\" tag:vip"
err_is "crm-segment: save: invalid segment name \"a'; DROP TABLE segments; --\" (a-z, 0-9, _ and -, starting with a letter)"
run "a snapshot of a name with SQL in it" 1 "crm-segment snapshot \"x' OR 1=1 --\""
err_is "crm-segment: snapshot: no segment \"x' OR 1=1 --\""
run "cluster features with SQL in them" 64 'crm-segment cluster --features "age;DROP TABLE contacts"'
err_has "crm-segment: cluster: --features: age;DROP TABLE contacts: 1:4: "
check "the store is intact" \
	'[ "$(sql "SELECT count(*) FROM contacts")/$(sql "SELECT count(*) FROM interactions")/$(store_tables | grep -c -x -e contacts -e segments)" = 5/11/2 ]'

# ---- saved segments ---------------------------------------------------------------

run "save" 0 'crm-segment save vip tag:vip'
out_empty
err_empty
run "save: the name exists" 65 'crm-segment save vip tag:x'
err_is 'crm-segment: save: segment "vip" exists (use --replace to change it)'
run "save: a bad name" 64 'crm-segment save Vip tag:vip'
err_is 'crm-segment: save: invalid segment name "Vip" (a-z, 0-9, _ and -, starting with a letter)'
run "save: a name starting with a digit" 64 'crm-segment save 1vip tag:vip'
err_has 'invalid segment name "1vip"'
run "save: a bad expression" 64 'crm-segment save nl "contry = \"NL\""'
err_is 'crm-segment: save: 1:1: unknown field "contry" (did you mean "country"?)'
run "save: one argument" 64 'crm-segment save nl'
err_is 'crm-segment: save: give a name and an expression
usage: crm-segment save [--replace] NAME EXPR'
run "save another" 0 'crm-segment save nl "country = \"NL\""'
run "save --replace changes it" 0 'crm-segment save --replace nl "country in (\"NL\", \"DE\")"'
run "save --replace makes a new one" 0 'crm-segment save --replace one_2 "id = 1"'
Q_NL="SELECT expr FROM segments WHERE name = 'nl'"
check "the replaced expression is kept" '[ "$(sql "$Q_NL")" = "country in (\"NL\", \"DE\")" ]'

run "run NAME" 0 'crm-segment run --no-header nl'
out_is "1	u-ann	ann@example.org	Ann	Smith
2	u-bob	bob@example.org	Bob	Jones
3	u-cem	cem@example.org	Cem	"
run "count NAME" 0 'crm-segment count nl'
out_is "3"

run "a saved relative date is relative to each run" 0 '
	crm-segment save recent "purchases.last > -30d" &&
	crm-segment count recent && CRM_NOW=2026-06-25T00:00:00Z crm-segment count recent &&
	crm-segment rm recent'
out_is "2
1"

run "list" 0 'crm-segment list'
out_is 'id	name	expr	snapshots	last_snapshot	updated_at
2	nl	country in ("NL", "DE")	0		2026-06-01T00:00:00Z
3	one_2	id = 1	0		2026-06-01T00:00:00Z
1	vip	tag:vip	0		2026-06-01T00:00:00Z'
err_empty

run "show: no snapshots yet, nothing on stderr" 0 'crm-segment show nl'
out_is "snapshot	taken_at	size	label	taken_by	expr"
err_empty

run "show -v: the definition on stderr" 0 'crm-segment show -v nl'
err_is 'nl: country in ("NL", "DE")
  created 2026-06-01T00:00:00Z by tester, changed 2026-06-01T00:00:00Z'

run "show -q: no summary" 0 'crm-segment -q show nl'
err_empty

run "show: no such segment" 1 'crm-segment show nope'
err_is 'crm-segment: show: no segment "nope"'

run "rm" 0 'crm-segment rm one_2'
out_empty
err_empty
run "rm again" 1 'crm-segment rm one_2'
err_is 'crm-segment: rm: no segment "one_2"'

# ---- snapshots and diff ----------------------------------------------------------------

run "snapshot: prints its id and size" 0 'crm-segment snapshot vip'
out_is "1	2"
err_empty
run "snapshot: no such segment" 1 'crm-segment snapshot nope'
err_is 'crm-segment: snapshot: no segment "nope"'
setup 'crm-contact tag rm bob@example.org vip && crm-contact tag add eve@example.org vip'
run "snapshot --label, a day later" 0 'CRM_NOW=2026-06-02T00:00:00Z crm-segment snapshot --label after vip'
out_is "2	2"
check "members frozen" '[ "$(sql "SELECT group_concat(contact_id) FROM (SELECT contact_id FROM segment_members WHERE snapshot_id = 1 ORDER BY contact_id) AS t")/$(sql "SELECT group_concat(contact_id) FROM (SELECT contact_id FROM segment_members WHERE snapshot_id = 2 ORDER BY contact_id) AS t")" = "1,2/1,5" ]'

run "show lists the snapshots" 0 'crm-segment show vip'
out_is "snapshot	taken_at	size	label	taken_by	expr
1	2026-06-01T00:00:00Z	2		tester	tag:vip
2	2026-06-02T00:00:00Z	2	after	tester	tag:vip"

run "list counts them" 0 'crm-segment list --no-header'
out_is '2	nl	country in ("NL", "DE")	0		2026-06-01T00:00:00Z
1	vip	tag:vip	2	2026-06-02T00:00:00Z	2026-06-01T00:00:00Z'

DIFF="id	email	change
2	bob@example.org	left
5	eve@example.org	entered"
run "diff NAME: its two latest snapshots" 0 'crm-segment diff vip'
out_is "$DIFF"
err_empty
run "diff NAME~1 NAME" 0 'crm-segment diff vip~1 vip'
out_is "$DIFF"
run "diff by ids" 0 'crm-segment diff 1 2'
out_is "$DIFF"
run "diff the other way round" 0 'crm-segment diff 2 1'
out_is "id	email	change
2	bob@example.org	entered
5	eve@example.org	left"
run "diff: no change" 1 'crm-segment diff vip vip'
out_is "id	email	change"
run "diff: no such snapshot id" 1 'crm-segment diff 99 1'
err_is 'crm-segment: diff: no snapshot "99"'
out_empty
run "diff: not that many snapshots" 1 'crm-segment diff vip~2 vip'
err_is 'crm-segment: diff: no snapshot "vip~2"'
run "diff NAME with one snapshot" 1 'crm-segment snapshot nl > /dev/null && crm-segment diff nl'
err_is 'crm-segment: diff: no snapshot "nl~1"'
run "diff: bad NAME~N" 64 'crm-segment diff vip~x vip'
err_is 'crm-segment: diff: bad snapshot "vip~x" (use an id, NAME or NAME~N)
usage: crm-segment diff A B | diff NAME'
run "diff: no argument" 64 'crm-segment diff'
err_has 'crm-segment: diff: give two snapshots, or a segment name'

setup 'crm-contact rm --force ann@example.org'
run "a deleted contact stays a member, without its email" 0 \
	'crm-segment snapshot vip > /dev/null && crm-segment diff vip'
out_is "id	email	change
1		left"

run "snapshot of an empty segment" 0 'crm-segment save none "id = 99" && crm-segment snapshot none'
out_is "5	0"

run "rm drops the snapshots too" 0 'crm-segment rm vip'
check "no snapshot of vip is left" \
	'[ "$(sql "SELECT id, size FROM segment_snapshots")" = "3|3
5|0" ] && [ "$(sql "SELECT count(*) FROM segment_members")" = 3 ]'

run "list with no segment" 1 'crm-segment rm nl && crm-segment rm none && crm-segment list'
out_is "id	name	expr	snapshots	last_snapshot	updated_at"

# ---- RFM -------------------------------------------------------------------------------
#
# Two stores of five contacts each, all purchases 100.00, so monetary
# ranks equal frequency ranks and with five contacts every score is
# 1 + the rank (no ties).
#
#   store rfm1  last purchase  purchases  r f m  segment
#   a           -1d            5          5 5 5  champions
#   b           -5d            1          4 1 1  promising
#   c           -30d           3          3 3 3  needs attention
#   d           -200d          2          2 2 2  hibernating
#   e           -400d          4          1 4 4  cannot lose

use rfm1
run "rfm on an empty store" 1 'crm-segment rfm'
err_is "crm-segment: rfm: no purchases before the as-of time: nothing scored"
out_empty
setup 'for n in a b c d e; do crm-contact add --uid u-$n --email $n@example.org --country NL; done
	for d in 1 20 30 40 50; do crm-log add --amount 100 --at -${d}d a@example.org; done
	crm-log add --amount 100 --at -5d b@example.org
	for d in 30 40 50; do crm-log add --amount 100 --at -${d}d c@example.org; done
	for d in 200 210; do crm-log add --amount 100 --at -${d}d d@example.org; done
	for d in 400 410 420 430; do crm-log add --amount 100 --at -${d}d e@example.org; done'

run "rfm: segments with counts and value" 0 'crm-segment rfm'
out_is "segment	contacts	share	revenue	avg_recency_days	avg_frequency	avg_r	avg_f	avg_m
champions	1	20.0%	500.00	1	5.0	5.0	5.0	5.0
cannot lose	1	20.0%	400.00	400	4.0	1.0	4.0	4.0
needs attention	1	20.0%	300.00	30	3.0	3.0	3.0	3.0
hibernating	1	20.0%	200.00	200	2.0	2.0	2.0	2.0
promising	1	20.0%	100.00	5	1.0	4.0	1.0	1.0"
err_empty
RFM_SCORES="1|5|5|5|1|5|50000|champions|2026-06-01T00:00:00Z
2|4|1|1|5|1|10000|promising|2026-06-01T00:00:00Z
3|3|3|3|30|3|30000|needs attention|2026-06-01T00:00:00Z
4|2|2|2|200|2|20000|hibernating|2026-06-01T00:00:00Z
5|1|4|4|400|4|40000|cannot lose|2026-06-01T00:00:00Z"
check "rfm: the scores per contact" \
	'[ "$(sql "SELECT contact_id, r, f, m, recency_days, frequency, monetary, segment, as_of FROM contact_rfm ORDER BY contact_id")" = "$RFM_SCORES" ]'
m 'rfm.segment = "champions"' 1
m 'rfm.segment = "CANNOT LOSE"' 5
m 'rfm.r >= 4' 1 2
m 'rfm.score = 15' 1
m 'rfm.m = 1' 2

run "rfm -v: how many were scored" 0 'crm-segment -v rfm > /dev/null'
err_is "crm-segment: rfm: 5 contacts scored"

run "rfm --as-of: only purchases before it" 0 'crm-segment rfm --as-of 2025-06-01'
out_is "segment	contacts	share	revenue	avg_recency_days	avg_frequency	avg_r	avg_f	avg_m
lost	1	100.0%	400.00	35	4.0	1.0	1.0	1.0"
m 'rfm.segment = "lost"' 5
m 'rfm.segment = "champions"'

run "rfm --as-of before any purchase" 1 'crm-segment rfm --as-of 2020-01-01'
err_is "crm-segment: rfm: no purchases before the as-of time: nothing scored"
check "and the last scores stay" '[ "$(sql "SELECT count(*) FROM contact_rfm")" != 0 ]'

run "rfm --as-of: a bad date" 64 'crm-segment rfm --as-of bogus'
err_is 'crm-segment: rfm: --as-of: invalid date "bogus"
usage: crm-segment rfm [--as-of DATE]'
run "rfm: an argument" 64 'crm-segment rfm extra'
err_has 'crm-segment: rfm: unexpected argument "extra"'

#   store rfm2  last purchase  purchases  r f m  segment
#   p           -1d            1          5 1 1  new
#   q           -5d            3          4 3 3  potential loyalist
#   r           -30d           5          3 5 5  loyal
#   s           -200d          4          2 4 4  at risk
#   u           -400d          2          1 2 2  lost

use rfm2
setup 'for n in p q r s u; do crm-contact add --uid u-$n --email $n@example.org --birthdate 1980-01-01 --country DE; done
	crm-log add --amount 100 --at -1d p@example.org
	for d in 5 60 70; do crm-log add --amount 100 --at -${d}d q@example.org; done
	for d in 30 100 110 120 130; do crm-log add --amount 100 --at -${d}d r@example.org; done
	for d in 200 210 220 230; do crm-log add --amount 100 --at -${d}d s@example.org; done
	for d in 400 410; do crm-log add --amount 100 --at -${d}d u@example.org; done'
run "rfm: the other half of the grid" 0 'crm-segment rfm --no-header'
out_is "loyal	1	20.0%	500.00	30	5.0	3.0	5.0	5.0
at risk	1	20.0%	400.00	200	4.0	2.0	4.0	4.0
potential loyalist	1	20.0%	300.00	5	3.0	4.0	3.0	3.0
lost	1	20.0%	200.00	400	2.0	1.0	2.0	2.0
new	1	20.0%	100.00	1	1.0	5.0	1.0	1.0"
run "personas --by rfm --text" 0 'crm-segment personas --by rfm --text'
out_has "loyal (1 contact): mostly aged 40-49; from DE 100%; spends 500.00 EUR on average."
out_has "new (1 contact): mostly aged 40-49; from DE 100%; spends 100.00 EUR on average."
run "personas --by cluster before any cluster analysis" 1 'crm-segment personas'
err_is "crm-segment: personas: no clusters: run crm-segment cluster first"

# ---- cluster analysis and personas --------------------------------------------------------
#
# Two obvious groups, and one contact without a birthdate:
#   y1 y2 y3  aged 21-22, NL, spend 10-20, tagged student
#   o1 o2     aged 62-63, DE, spend 1000-1200, tagged retired

use cl
run "cluster on an empty store" 65 'crm-segment cluster --features age'
err_is "crm-segment: cluster: 0 contacts have every feature (0 skipped): too few for 2 clusters"
run "personas --by rfm before rfm" 1 'crm-segment personas --by rfm'
err_is "crm-segment: personas: no RFM scores: run crm-segment rfm first"
setup 'for s in "y1 2005-01-10 NL 10 f student" "y2 2004-03-01 NL 20 m student" \
		"y3 2005-07-07 NL 15 f student" "o1 1963-02-02 DE 1000 m retired" \
		"o2 1964-05-05 DE 1200 m retired"; do
		set -- $s
		crm-contact add --uid u-$1 --email $1@example.org --birthdate $2 --country $3 \
			--gender $5 --preferred-channel email --tag $6 &&
		crm-log add --amount $4 --at 2026-01-10 $1@example.org || exit 1
	done
	crm-contact add --uid u-nob --email nob@example.org'

CLUSTERS="2	62.50	1100.00
3	21.00	15.00"
run "cluster --k 2: two clusters of the right sizes" 0 \
	'crm-segment cluster --k 2 --features age,purchases.total > all &&
	 head -1 all && sed 1d all | cut -f2- | sort'
out_is "cluster	size	age	purchases.total
$CLUSTERS"
err_is "crm-segment: cluster: k=2, 5 contacts clustered, 1 skipped (a feature missing), silhouette 0.934"
check "each contact's cluster is stored" \
	'[ "$(sql "SELECT cluster, contact_id FROM contact_clusters ORDER BY contact_id" |
	     awk -F "|" "{ if (\$1 in m) m[\$1] = m[\$1] \",\" \$2; else m[\$1] = \$2 } END { for (c in m) print m[c] }" | sort)" = "1,2,3
4,5" ]'
check "and each centroid in the features' units" \
	'[ "$(sql "SELECT size, feature, value FROM cluster_centroids ORDER BY size, feature" |
	     awk -F "|" "{ printf \"%s|%s|%.2f\\n\", \$1, \$2, \$3 }")" = "2|age|62.50
2|purchases.total|1100.00
3|age|21.00
3|purchases.total|15.00" ]'
run "the cluster field" 0 'crm-segment count "cluster = $(sql "SELECT cluster FROM contact_clusters WHERE contact_id = 4")"'
out_is "2"

run "cluster --k auto picks 2" 0 \
	'crm-segment -v cluster --k auto --features age,purchases.total | sed 1d | cut -f2- | sort'
out_is "$CLUSTERS"
err_has "crm-segment: cluster: k=2, 5 contacts clustered, 1 skipped"
run "cluster --k auto:2-3" 0 \
	'crm-segment -q cluster --k auto:2-3 --features age,purchases.total | sed 1d | cut -f2- | sort'
out_is "$CLUSTERS"
err_empty
run "cluster: the same seed, the same result" 0 \
	'crm-segment -q cluster --seed 7 --restarts 3 --features age,purchases.total > a &&
	 crm-segment -q cluster --seed 7 --restarts 3 --features age,purchases.total > b && cmp a b &&
	 cat a'
out_has "cluster	size	age	purchases.total"
out_lines 3
run "cluster --k 3 splits the older pair" 0 \
	'crm-segment -q cluster --k 3 --features age,purchases.total | sed 1d | cut -f2- | sort'
out_is "1	62.00	1200.00
1	63.00	1000.00
3	21.00	15.00"
run "cluster --k 1" 0 'crm-segment -q cluster --k 1 --features age'
out_is "cluster	size	age
1	5	37.60"

run "personas: a profile per cluster" 0 \
	'crm-segment -q cluster --k 2 --features age,purchases.total > /dev/null &&
	 crm-segment personas | cut -f2-'
out_is "size	age_band	countries	gender	avg_spend	channel	tags
3	20-29	NL 100%	f 67%, m 33%	15.00	email	student 100%
2	60-69	DE 100%	m 100%	1100.00	email	retired 100%"
run "personas --text" 0 'crm-segment personas --text'
out_has "(3 contacts): mostly aged 20-29; from NL 100%; f 67%, m 33%; spends 15.00 EUR on average; prefers email; tagged student 100%."
out_has "(2 contacts): mostly aged 60-69; from DE 100%; m 100%; spends 1100.00 EUR on average; prefers email; tagged retired 100%."
out_lines 2
run "personas --by rfm" 0 'crm-segment rfm > /dev/null && crm-segment personas --by rfm --no-header'
out_is "lost	3	20-29	NL 100%	f 67%, m 33%	15.00	email	student 100%
at risk	2	60-69	DE 100%	m 100%	1100.00	email	retired 100%"
run "personas --by something else" 64 'crm-segment personas --by x'
err_is 'crm-segment: personas: --by cluster or rfm, not "x"
usage: crm-segment personas [--by cluster|rfm] [--text]'

run "cluster: more clusters than contacts" 65 'crm-segment cluster --k 6 --features age,purchases.total'
err_is "crm-segment: cluster: 5 contacts have every feature (1 skipped): too few for 6 clusters"
run "cluster without --features" 64 'crm-segment cluster --k 2'
err_is "crm-segment: cluster: give --features, e.g. age,purchases.total,interactions.count
usage: crm-segment cluster --features F,... [--k K|auto|auto:MIN-MAX] [--seed N] [--restarts N]"
run "cluster --k 0" 64 'crm-segment cluster --k 0 --features age'
err_has 'crm-segment: cluster: --k: a number 1-1000, auto or auto:MIN-MAX, not "0"'
run "cluster --k auto:1-3" 64 'crm-segment cluster --k auto:1-3 --features age'
err_has 'not "auto:1-3"'
run "cluster --k auto:MIN-MAX with more after it" 64 'crm-segment cluster --k auto:2-3x --features age'
err_has 'not "auto:2-3x"'
run "cluster --k auto:MAX-MIN" 64 'crm-segment cluster --k auto:3-2 --features age'
err_has 'not "auto:3-2"'
run "cluster --seed -1" 64 'crm-segment cluster --seed -1 --features age'
err_has 'crm-segment: cluster: --seed: too small number "-1"'
run "cluster --restarts 0" 64 'crm-segment cluster --restarts 0 --features age'
err_has 'crm-segment: cluster: --restarts: 1-100, not "0"'
run "cluster: an unknown feature" 64 'crm-segment cluster --features age,contry'
err_is 'crm-segment: cluster: --features: contry: 1:1: unknown field "contry" (did you mean "country"?)'
run "cluster: a text feature" 64 'crm-segment cluster --features age,country'
err_is 'crm-segment: cluster: --features: country: 1:1: country is text, not a number'
run "cluster: a tag is no feature" 64 'crm-segment cluster --features tag:x'
err_is 'crm-segment: cluster: --features: tag:x: 1:1: expected a field name, found "tag:x"'
run "cluster: no feature" 64 'crm-segment cluster --features ""'
err_is 'crm-segment: cluster: --features: no feature given'
run "cluster: an argument" 64 'crm-segment cluster --features age extra'
err_has 'crm-segment: cluster: unexpected argument "extra"'

# ---- cohorts ---------------------------------------------------------------------------
#
#   x  buys 10.00 2026-01-05, 11.00 2026-02-10, 12.00 2026-03-15
#   y  buys 20.00 2026-01-20, 21.00 2026-03-01 (a Sunday: the week of
#      Monday 2026-02-23, five weeks after its first)
#   z  buys 30.00 2026-02-03; refunds 5.00 2026-02-10, 1.00 2026-03-10;
#      a call 2026-04-10 (not a purchase)

use co
run "cohort on an empty store" 1 'empty_store; crm-segment cohort --periods 2'
out_is "cohort	size	m0	m1"
setup 'for n in x y z; do crm-contact add --uid u-$n --email $n@example.org; done
	crm-log add --amount 10 --at 2026-01-05 x@example.org
	crm-log add --amount 11 --at 2026-02-10 x@example.org
	crm-log add --amount 12 --at 2026-03-15 x@example.org
	crm-log add --amount 20 --at 2026-01-20 y@example.org
	crm-log add --amount 21 --at 2026-03-01 y@example.org
	crm-log add --amount 30 --at 2026-02-03 z@example.org
	crm-log add --type refund --amount 5 --at 2026-02-10 z@example.org
	crm-log add --type refund --amount 1 --at 2026-03-10 z@example.org
	crm-log add --type call --at 2026-04-10 z@example.org'

run "cohort: monthly retention" 0 'crm-segment cohort --periods 4'
out_is "cohort	size	m0	m1	m2	m3
2026-01	2	100.0	50.0	100.0	
2026-02	1	100.0	0.0		"
err_empty
run "cohort: monthly revenue, refunds taken off" 0 'crm-segment cohort --periods 4 --metric revenue'
out_is "cohort	size	m0	m1	m2	m3
2026-01	2	30.00	11.00	33.00	
2026-02	1	25.00	-1.00		"
run "cohort: weekly, from Monday" 0 'crm-segment cohort --by week --periods 6'
out_is "cohort	size	w0	w1	w2	w3	w4	w5
2026-01-05	1	100.0					100.0
2026-01-19	1	100.0					100.0
2026-02-02	1	100.0	0.0				0.0"
run "cohort: weekly revenue" 0 'crm-segment cohort --by week --metric revenue --periods 6 --no-header'
out_is "2026-01-05	1	10.00					11.00
2026-01-19	1	20.00					21.00
2026-02-02	1	30.00	-5.00				-1.00"
run "cohort: 12 periods by default" 0 'crm-segment cohort'
out_has "cohort	size	m0	m1	m2	m3	m4	m5	m6	m7	m8	m9	m10	m11"
out_lines 3
run "cohort --periods 120" 0 'crm-segment cohort --periods 120 | head -1 | tr "\t" "\n" | tail -1'
out_is "m119"
run "cohort --periods 0" 64 'crm-segment cohort --periods 0'
err_is 'crm-segment: cohort: bad value "0" (--by month|week, --metric retention|revenue, --periods 1-120)
usage: crm-segment cohort [--by month|week] [--metric retention|revenue] [--periods N]'
run "cohort --periods 121" 64 'crm-segment cohort --periods 121'
err_has 'bad value "121"'
run "cohort --by day" 64 'crm-segment cohort --by day'
err_has 'bad value "day"'
run "cohort --metric x" 64 'crm-segment cohort --metric x'
err_has 'bad value "x"'
run "cohort: an argument" 64 'crm-segment cohort extra'
err_has 'crm-segment: cohort: unexpected argument "extra"'

finish
