#!/bin/sh
# tests/e2e/lead.sh - the core of crm-lead end to end, on either store:
# the default pipeline, pipelines and stages (several won and lost ones,
# removal refused or moving the deals), deals added by id, uid, email and
# a contact stream, money in minor units, keys, tags and custom fields,
# edit and rm; moves with reasons and reopening, each recorded (from, to,
# when, who) and shown by show as a stage history with the days in each
# stage, and its events. Each figure is checked against the store's rows
# (sql) or one computed from them (Python).
# Elsewhere: list (every filter, --fields, --sort, --limit, every format),
# convert, the leads.* fields of the filter language, the timeline, merge
# and erase in lead_contact.sh; import and export in lead_import.sh.
. "$(dirname "$0")/lib.sh"
export CRM_NOW=2026-12-04T12:00:00Z
command -v python3 > /dev/null || { echo "e2e $SUITE: python3 needed" >&2; exit 1; }

setup() {
	(eval "$*") > "$T/setup.out" 2>&1 ||
		echo "FAIL $SUITE: setup failed: $*: $(head -c 400 "$T/setup.out")" >&2
}

# is GOT WANT: GOT is WANT, else both on stderr (for check's message).
is() {
	[ "$1" = "$2" ] && return 0
	printf 'got:\n%s\nwant:\n%s\n' "$1" "$2" >&2
	return 1
}

# same_rows A B: the lines of files A and B are the same, in any order.
same_rows() {
	sort "$1" > "$T/same.a" && sort "$2" > "$T/same.b" && cmp -s "$T/same.a" "$T/same.b" && return 0
	diff "$T/same.a" "$T/same.b" | head -20 >&2
	return 1
}

# ids CMD...: the first column of CMD's output without its header line.
ids() {
	"$@" | awk -F'\t' 'NR > 1 { print $1 }'
}

# use NAME: the following cases work on a store of their own, store_at
# NAME, holding four contacts: 1 Ada (uid u-ada, ada@example.org),
# 2 Bob and 3 Cy (both tagged vip), 4 Dee.
use() {
	CRM_DB=$(store_at "$1")
	setup crm-contact add --uid u-ada --first-name Ada --email ada@example.org
	setup crm-contact add --first-name Bob --email bob@example.org --tag vip
	setup crm-contact add --first-name Cy --email cy@example.org --tag vip
	setup crm-contact add --first-name Dee --email dee@example.org
}

# ---- pipelines and stages ------------------------------------------------------

use pipes

run "pipeline list: the default pipeline is made on first use" 0 'crm-lead pipeline list'
out_is "$(printf 'pipeline\tstages\topen\twon\tlost\ndefault\t6\t0\t0\t0')"
check "its stages, probabilities and kinds in order" '
	is "$(sql "SELECT group_concat(name || \":\" || probability || \":\" || kind, \" \") FROM (SELECT t.* FROM stages t JOIN pipelines p ON p.id = t.pipeline_id WHERE p.name = \"default\" ORDER BY t.position, t.id) AS s")" \
	   "new:10:open qualified:25:open proposal:50:open negotiation:75:open won:100:won lost:0:lost"'

run "pipeline show: the default pipeline's stages" 0 'crm-lead pipeline show'
out_is "$(printf 'pipeline\torder\tstage\tprobability\tkind\tdeals
default\t1\tnew\t10\topen\t0
default\t2\tqualified\t25\topen\t0
default\t3\tproposal\t50\topen\t0
default\t4\tnegotiation\t75\topen\t0
default\t5\twon\t100\twon\t0
default\t6\tlost\t0\tlost\t0')"

run "the default pipeline is made once" 0 'crm-lead pipeline list && crm-lead pipeline show default'
check "one pipeline of six stages" \
	'is "$(sql "SELECT count(*) FROM pipelines; SELECT count(*) FROM stages")" "1
6"'

run "pipeline add" 0 'crm-lead pipeline add partners'
err_empty
run "pipeline add: a name taken, in another case" 65 'crm-lead pipeline add Partners'
err_is 'crm-lead: pipeline add: pipeline "Partners" exists'
run "pipeline add: a number is no name" 64 'crm-lead pipeline add 123'
err_has 'invalid pipeline name "123" (not a number)'
run "pipeline add: no name" 64 'crm-lead pipeline add'

run "stage add: probability with or without %, kinds, places" 0 '
	crm-lead stage add partners intro --probability 20% &&
	crm-lead stage add partners signed --probability 100 --kind won &&
	crm-lead stage add partners renewed --probability 100% --kind won &&
	crm-lead stage add partners dropped --probability 0 --kind lost &&
	crm-lead stage add partners declined --probability 0% --kind lost &&
	crm-lead stage add partners pitch --probability 40 --order 2'
err_empty
check "the stages as stored: after the last by default, --order its place, the rest moved down one" '
	is "$(sql "SELECT group_concat(name || \":\" || position || \":\" || probability || \":\" || kind, \" \") FROM (SELECT t.* FROM stages t JOIN pipelines p ON p.id = t.pipeline_id WHERE p.name = \"partners\" ORDER BY t.id) AS s")" \
	   "intro:1:20:open signed:3:100:won renewed:4:100:won dropped:5:0:lost declined:6:0:lost pitch:2:40:open"'
run "pipeline show: by place" 0 \
	'crm-lead pipeline show PARTNERS'
out_is "$(printf 'pipeline\torder\tstage\tprobability\tkind\tdeals
partners\t1\tintro\t20\topen\t0
partners\t2\tpitch\t40\topen\t0
partners\t3\tsigned\t100\twon\t0
partners\t4\trenewed\t100\twon\t0
partners\t5\tdropped\t0\tlost\t0
partners\t6\tdeclined\t0\tlost\t0')"
check "two won and two lost stages" \
	'is "$(sql "SELECT kind, count(*) FROM stages WHERE pipeline_id = (SELECT id FROM pipelines WHERE name = \"partners\") GROUP BY kind ORDER BY kind")" "lost|2
open|2
won|2"'

for p in 101 1.5 -5 x 50%% 1000; do
	run "stage add: bad probability $p" 64 "crm-lead stage add partners bad --probability '$p'"
	err_has "crm-lead: stage add: invalid probability \"$p\" (a whole 0% to 100%)"
done
run "stage add: no probability" 64 'crm-lead stage add partners bad'
err_has "crm-lead: stage add: a stage needs --probability P%"
run "stage add: bad kind" 64 'crm-lead stage add partners bad --probability 5 --kind maybe'
err_has 'crm-lead: stage add: invalid stage kind "maybe" (open, won or lost)'
run "stage add: bad order" 64 'crm-lead stage add partners bad --probability 5 --order 0'
err_has "--order takes a whole number from 1"
run "stage add: a stage taken, in another case" 65 'crm-lead stage add partners INTRO --probability 5'
err_is 'crm-lead: stage add: stage "INTRO" exists in pipeline "partners"'
run "stage add: an unknown pipeline" 65 'crm-lead stage add nosuch bad --probability 5'
err_is 'crm-lead: stage add: no pipeline "nosuch"'
run "stage add: no stage name" 64 'crm-lead stage add partners --probability 5'
check "no bad stage was added" \
	'is "$(sql "SELECT count(*) FROM stages WHERE name = \"bad\"; SELECT count(*) FROM stages")" "0
12"'

run "stage edit: rename, probability and place" 0 \
	'crm-lead stage edit partners pitch --name demo --probability 45% --order 3'
check "the stage changed, the others kept their order around it" '
	is "$(sql "SELECT name, position, probability, kind FROM stages WHERE name IN (\"pitch\", \"demo\")")" "demo|3|45|open" &&
	is "$(crm-lead pipeline show partners | cut -f3 | tr "\n" " ")" "stage intro signed demo renewed dropped declined " &&
	is "$(sql "SELECT count(*) FROM stages WHERE name = \"intro\" AND position = 1 AND probability = 20")" 1'
run "stage edit: a name taken" 65 'crm-lead stage edit partners demo --name intro'
err_is 'crm-lead: stage edit: stage "intro" exists in pipeline "partners"'
run "stage edit: an unknown stage" 65 'crm-lead stage edit partners pitch --probability 5'
err_is 'crm-lead: stage edit: no stage "pitch" in pipeline "partners"'
run "stage edit: bad probability" 64 'crm-lead stage edit partners demo --probability 200'
err_has 'invalid probability "200"'
run "stage edit: the kind of an empty stage" 0 'crm-lead stage edit partners declined --kind open && crm-lead stage edit partners declined --kind lost'
check "declined is lost again" 'is "$(sql "SELECT kind FROM stages WHERE name = \"declined\"")" lost'

# deals in the partners pipeline: 1 in intro, 2 in demo, 1 won
run "deals in a pipeline of one's own" 0 '
	crm-lead add --title P1 --value 10 --pipeline partners 1 &&
	crm-lead add --title P2 --value 20 --pipeline partners --stage demo 2 &&
	crm-lead add --title P3 --value 30 --pipeline partners --stage Demo 3 &&
	crm-lead add --title P4 --value 40 --pipeline partners --stage signed --reason "signed early" 4'
out_is "1
2
3
4"
check "each deal in its stage" '
	is "$(sql "SELECT group_concat(l.title || \":\" || l.name, \" \") FROM (SELECT l.title, t.name FROM leads l JOIN stages t ON t.id = l.stage_id ORDER BY l.id) AS l")" \
	   "P1:intro P2:demo P3:demo P4:signed"'
run "pipeline list: stages, open, won and lost deals" 0 'crm-lead pipeline list'
out_is "$(printf 'pipeline\tstages\topen\twon\tlost\ndefault\t6\t0\t0\t0\npartners\t6\t3\t1\t0')"
check "pipeline list's counts are the store's" '
	crm-lead pipeline list | awk -F"\t" "NR > 1 { print \$1 \"|\" \$2 \"|\" \$3 \"|\" \$4 \"|\" \$5 }" > got.txt
	sql "SELECT p.name, (SELECT count(*) FROM stages WHERE pipeline_id = p.id), (SELECT count(*) FROM leads l JOIN stages t ON t.id = l.stage_id WHERE l.pipeline_id = p.id AND t.kind = \"open\"), (SELECT count(*) FROM leads l JOIN stages t ON t.id = l.stage_id WHERE l.pipeline_id = p.id AND t.kind = \"won\"), (SELECT count(*) FROM leads l JOIN stages t ON t.id = l.stage_id WHERE l.pipeline_id = p.id AND t.kind = \"lost\") FROM pipelines p ORDER BY p.id" > want.txt
	cmp got.txt want.txt'
run "pipeline show counts the deals of each stage" 0 'crm-lead pipeline show partners'
out_has "$(printf 'partners\t1\tintro\t20\topen\t1')"
out_has "$(printf 'partners\t3\tdemo\t45\topen\t2')"
out_has "$(printf 'partners\t2\tsigned\t100\twon\t1')"

run "pipeline rm: refused while it holds deals" 65 'crm-lead pipeline rm partners'
err_is 'crm-lead: pipeline rm: pipeline "partners" holds 4 deals: move or remove them first'
check "the pipeline and its stages stay" \
	'is "$(sql "SELECT count(*) FROM stages WHERE pipeline_id = (SELECT id FROM pipelines WHERE name = \"partners\")")" 6'
run "pipeline rm: an unknown pipeline" 65 'crm-lead pipeline rm nosuch'
err_is 'crm-lead: pipeline rm: no pipeline "nosuch"'
run "pipeline show: an unknown pipeline" 1 'crm-lead pipeline show nosuch'
err_is 'crm-lead: pipeline show: no pipeline "nosuch"'

run "stage edit: the kind of a stage with deals stays" 65 'crm-lead stage edit partners demo --kind won'
err_is 'crm-lead: stage edit: stage "demo" holds 2 deals: its kind stays open'
run "stage rm: refused while it holds deals" 65 'crm-lead stage rm partners demo'
err_is 'crm-lead: stage rm: stage "demo" holds 2 deals: remove it with --move-to STAGE'
run "stage rm --move-to a stage of another kind" 65 'crm-lead stage rm partners demo --move-to signed'
err_is 'crm-lead: stage rm: stage "demo" is open and "signed" won: its deals move only to a stage of the same kind'
run "stage rm --move-to the stage itself" 64 'crm-lead stage rm partners demo --move-to demo'
err_has "--move-to names the stage removed"
run "stage rm --move-to a stage not there" 65 'crm-lead stage rm partners demo --move-to nosuch'
err_is 'crm-lead: stage rm: no stage "nosuch" in pipeline "partners"'
check "demo and its deals are where they were" \
	'is "$(sql "SELECT count(*) FROM leads WHERE stage_id = (SELECT id FROM stages WHERE name = \"demo\")")" 2'

run "stage rm --move-to: the deals move, each move an event" 0 \
	'CRM_NOW=2026-12-05T08:00:00Z crm-lead -q stage rm partners demo --move-to intro'
err_empty
check "demo is gone; P2 and P3 are in intro since the removal" '
	is "$(sql "SELECT count(*) FROM stages WHERE name = \"demo\"")" 0 &&
	is "$(sql "SELECT l.title, t.name, l.stage_at FROM leads l JOIN stages t ON t.id = l.stage_id WHERE l.title IN (\"P2\", \"P3\") ORDER BY l.id")" \
	   "P2|intro|2026-12-05T08:00:00Z
P3|intro|2026-12-05T08:00:00Z"'
check "one move event each: demo -> intro, by tester, stage removed" '
	is "$(sql "SELECT lead_id, at, kind, from_stage, to_stage, who, detail FROM lead_events WHERE kind = \"moved\" AND from_stage = \"demo\" ORDER BY lead_id")" \
	   "2|2026-12-05T08:00:00Z|moved|demo|intro|tester|stage removed
3|2026-12-05T08:00:00Z|moved|demo|intro|tester|stage removed"'
run "stage rm -v: the deals moved are counted on stderr" 0 \
	'crm-lead stage add partners tmp --probability 5 && crm-lead add --title P5 --value 1 --pipeline partners --stage tmp 1 > /dev/null && crm-lead -v stage rm partners tmp --move-to intro'
err_is 'crm-lead: stage rm: 1 deals moved to "intro"'
run "stage rm: an empty stage needs no --move-to" 0 'crm-lead stage rm partners declined'
check "declined is gone, dropped stays" \
	'is "$(sql "SELECT group_concat(name, \" \") FROM (SELECT name FROM stages WHERE kind = \"lost\" AND pipeline_id = (SELECT id FROM pipelines WHERE name = \"partners\") ORDER BY id) AS s")" dropped'

run "pipeline rm: an empty pipeline goes with its stages" 0 '
	crm-lead pipeline add spare && crm-lead stage add spare one --probability 10 &&
	crm-lead stage add spare two --probability 90 && crm-lead pipeline rm spare'
check "no pipeline spare, no stage without a pipeline" '
	is "$(sql "SELECT count(*) FROM pipelines WHERE name = \"spare\"; SELECT count(*) FROM stages WHERE pipeline_id NOT IN (SELECT id FROM pipelines)")" "0
0"'

run "a new deal goes to the first open stage by place" 0 '
	crm-lead pipeline add later && crm-lead stage add later second --probability 50 --order 2 &&
	crm-lead stage add later gone --probability 0 --kind lost --order 1 &&
	crm-lead stage add later first --probability 10 --order 1 &&
	crm-lead add --title L --value 1 --pipeline later 1'
check "it is in first (place 1, the first open one)" \
	'is "$(sql "SELECT t.name FROM leads l JOIN stages t ON t.id = l.stage_id WHERE l.title = \"L\"")" first'
run "a pipeline without an open stage takes no new deal" 65 '
	crm-lead pipeline add closedonly && crm-lead stage add closedonly done --probability 100 --kind won &&
	crm-lead add --title C --value 1 --pipeline closedonly 1'
err_has "pipeline has no open stage for a new deal"

# ---- deals: add ------------------------------------------------------------------

use deals

run "add by email: prints the id; the value in minor units" 0 \
	'crm-lead add --title "Web shop" --value 12000.50 --owner eve --source web --campaign spring --close 2027-01-31 ada@example.org'
out_is "1"
err_empty
check "the deal as stored: new, open, EUR, 1200050 minor units" '
	is "$(sql "SELECT l.contact_id, l.title, l.value, l.currency, p.name, t.name, l.owner, l.source, l.campaign, l.expected_close, l.stage_at, l.closed_at, l.created_at, l.ext_key FROM leads l JOIN stages t ON t.id = l.stage_id JOIN pipelines p ON p.id = l.pipeline_id WHERE l.id = 1")" \
	   "1|Web shop|1200050|EUR|default|new|eve|web|spring|2027-01-31|2026-12-04T12:00:00Z||2026-12-04T12:00:00Z|"'
check "one created event, one history row" '
	is "$(sql "SELECT at, kind, from_stage, to_stage, who FROM lead_events WHERE lead_id = 1")" "2026-12-04T12:00:00Z|created||new|tester" &&
	is "$(sql "SELECT action, who FROM history WHERE entity = \"lead\" AND entity_id = 1")" "create|tester"'
run "add by uid" 0 'crm-lead add --title "By uid" --value 5 u-ada'
out_is "2"
run "add by id" 0 'crm-lead add --title "By id" --value 7 4'
out_is "3"
check "each deal's contact" \
	'is "$(sql "SELECT group_concat(id || \":\" || contact_id, \" \") FROM (SELECT id, contact_id FROM leads ORDER BY id) AS l")" "1:1 2:1 3:4"'

run "currencies: CRM_CURRENCY, --currency, 0 and 3 decimals" 0 '
	CRM_CURRENCY=usd crm-lead add --title usd --value 99.99 2 &&
	crm-lead add --title jpy --value 1000 --currency jpy 2 &&
	crm-lead add --title kwd --value 1.234 --currency KWD 2'
out_is "4
5
6"
check "USD 9999, JPY 1000, KWD 1234 minor units" \
	'is "$(sql "SELECT group_concat(value || currency, \" \") FROM (SELECT * FROM leads WHERE id >= 4 ORDER BY id) AS l")" "9999USD 1000JPY 1234KWD"'
run "show prints money in the deal's currency" 0 'crm-lead show 6'
out_has "$(printf 'value\t1.234')"
out_has "$(printf 'currency\tKWD')"

run "unknown contact: email" 1 'crm-lead add --title X --value 1 nobody@example.org'
err_is 'crm-lead: add: no contact "nobody@example.org"'
run "unknown contact: id" 1 'crm-lead add --title X --value 1 999'
err_is 'crm-lead: add: no contact "999"'
run "unknown contact: uid" 1 'crm-lead add --title X --value 1 u-nobody'
err_is 'crm-lead: add: no contact "u-nobody"'
run "no title" 64 'crm-lead add --value 1 1'
err_has "crm-lead: add: a deal needs a title (--title)"
run "no value" 64 'crm-lead add --title X 1'
err_has "crm-lead: add: a deal needs a value (--value)"
run "a negative value" 65 'crm-lead add --title X --value -1 1'
err_is "crm-lead: add: invalid value \"-1\" (a deal's value is not negative)"
run "a value that is no amount" 65 'crm-lead add --title X --value 12,5 1'
err_has 'invalid amount "12,5"'
run "too many decimals for the currency" 65 'crm-lead add --title X --value 1.5 --currency JPY 1'
err_has "JPY has 0 decimals"
run "a bad currency" 65 'crm-lead add --title X --value 1 --currency EURO 1'
err_has 'invalid currency "EURO"'
run "an unknown stage" 65 'crm-lead add --title X --value 1 --stage nosuch 1'
err_is 'crm-lead: add: no stage "nosuch" in pipeline "default"'
run "an unknown pipeline" 65 'crm-lead add --title X --value 1 --pipeline nosuch 1'
err_is 'crm-lead: add: no pipeline "nosuch"'
run "no contact" 64 'crm-lead add --title X --value 1'
run "two contacts" 64 'crm-lead add --title X --value 1 1 2'
check "no failed add wrote a deal" 'is "$(sql "SELECT count(*) FROM leads")" 6'

run "add in a won stage: closed when added, two events" 0 \
	'crm-lead add --title Closed --value 300 --stage won --reason "paid up front" 3'
out_is "7"
check "closed_at = created_at = now, the reason kept" \
	'is "$(sql "SELECT closed_at, created_at, reason FROM leads WHERE id = 7")" "2026-12-04T12:00:00Z|2026-12-04T12:00:00Z|paid up front"'
check "a created and a moved event" \
	'is "$(sql "SELECT kind || \":\" || coalesce(to_stage, \"-\") || \":\" || coalesce(detail, \"-\") FROM lead_events WHERE lead_id = 7 ORDER BY id")" "created:-:-
moved:won:paid up front"'

run "--key: the first add" 0 'crm-lead add --title Keyed --value 50 --key crm-1 2'
out_is "8"
run "--key again: the same id, nothing added" 0 'crm-lead add --title "Keyed again" --value 60 --key crm-1 2'
out_is "8"
check "one deal of the key, as first added" \
	'is "$(sql "SELECT count(*), min(title), min(value) FROM leads WHERE ext_key = \"crm-1\"")" "1|Keyed|5000"'

run "add - : a contact stream from crm-contact list adds one deal a contact" 0 \
	'crm-contact list --format tsv --tag vip | crm-lead add - --title Promo --value 99 --tag promo'
out_is "9
10"
check "the deals went to the vip contacts, each with the tag" '
	is "$(sql "SELECT group_concat(contact_id, \" \") FROM (SELECT contact_id FROM leads WHERE title = \"Promo\" ORDER BY contact_id) AS l")" \
	   "$(sql "SELECT group_concat(contact_id, \" \") FROM (SELECT contact_id FROM contact_tags WHERE tag = \"vip\" ORDER BY contact_id) AS t")" &&
	is "$(sql "SELECT count(*) FROM lead_tags g JOIN leads l ON l.id = g.lead_id WHERE l.title = \"Promo\" AND g.tag = \"promo\"")" 2'
run "add - : ids, uids and emails; an unknown one is reported, the rest added" 1 \
	'printf "email\nada@example.org\nnobody@example.org\ndee@example.org\n" | crm-lead add - --title Stream --value 1'
out_is "11
12"
err_is 'crm-lead: add: stdin:3: no contact "nobody@example.org"'
check "the stream's deals: contacts 1 and 4" \
	'is "$(sql "SELECT group_concat(contact_id, \" \") FROM (SELECT contact_id FROM leads WHERE title = \"Stream\" ORDER BY id) AS l")" "1 4"'
run "add - : a stream of uids" 0 'printf "uid\nu-ada\n" | crm-lead add - --title "Uid stream" --value 1'
out_is "13"

run "tags and custom fields" 0 \
	'crm-lead add --title Extras --value 10 --tag hot --tag big --set size=XL --set region=north 1'
out_is "14"
check "lead_tags and lead_fields" '
	is "$(sql "SELECT group_concat(tag, \" \") FROM (SELECT tag FROM lead_tags WHERE lead_id = 14 ORDER BY tag) AS t")" "big hot" &&
	is "$(sql "SELECT group_concat(name || \"=\" || value, \" \") FROM (SELECT * FROM lead_fields WHERE lead_id = 14 ORDER BY name) AS f")" "region=north size=XL"'
run "show: the fields, tags and custom fields" 0 'crm-lead show 14'
out_has "$(printf 'tag\tbig')"
out_has "$(printf 'tag\thot')"
out_has "$(printf 'field.size\tXL')"
out_has "$(printf 'field.region\tnorth')"
out_has "$(printf 'contact\tada@example.org (1)')"
out_has "$(printf 'stage\tnew (open, 10%%)')"
run "a custom field with a deal's own name" 65 'crm-lead add --title X --value 1 --set owner=me 1'
err_is "crm-lead: add: field name \"owner\" is a deal's own field"
run "a custom field name that is no name" 65 'crm-lead add --title X --value 1 --set Size=1 1'
err_has 'invalid custom field name "Size"'
run "--set without =" 64 'crm-lead add --title X --value 1 --set size 1'
err_has "--set takes NAME=VALUE"

# ---- deals: edit and rm ------------------------------------------------------------

run "edit: value, owner, close date, tags and fields" 0 \
	'CRM_NOW=2026-12-06T00:00:00Z crm-lead edit --value 75.5 --owner bob --close 2027-03-01 --untag hot --tag warm --set size= --set region=south 14'
err_empty
check "the deal as edited" '
	is "$(sql "SELECT value, currency, owner, expected_close, updated_at FROM leads WHERE id = 14")" "7550|EUR|bob|2027-03-01|2026-12-06T00:00:00Z" &&
	is "$(sql "SELECT group_concat(tag, \" \") FROM (SELECT tag FROM lead_tags WHERE lead_id = 14 ORDER BY tag) AS t")" "big warm" &&
	is "$(sql "SELECT group_concat(name || \"=\" || value, \" \") FROM (SELECT * FROM lead_fields WHERE lead_id = 14 ORDER BY name) AS f")" "region=south"'
check "a history row for each change" '
	is "$(sql "SELECT action || \" \" || coalesce(field, \"\") || \" \" || coalesce(old_value, \"-\") || \" \" || coalesce(new_value, \"-\") FROM history WHERE entity = \"lead\" AND entity_id = 14 AND at = \"2026-12-06T00:00:00Z\" ORDER BY id")" \
	   "update value 1000 7550
update owner - bob
update expected_close - 2027-03-01
tag tag - warm
untag tag hot -
update field.size XL -
update field.region north south"'
check "one edited event naming them" \
	'is "$(sql "SELECT at, kind, detail FROM lead_events WHERE lead_id = 14 AND kind = \"edited\"")" "2026-12-06T00:00:00Z|edited|value, owner, expected_close, tags or fields"'
run "edit: a value without --currency is in the deal's own" 0 'crm-lead edit --value 2500 5'
check "2500 JPY minor units" 'is "$(sql "SELECT value, currency FROM leads WHERE id = 5")" "2500|JPY"'
run "edit: a value and a currency" 0 'crm-lead edit --value 12.5 --currency USD 5'
check "1250 USD" 'is "$(sql "SELECT value, currency FROM leads WHERE id = 5")" "1250|USD"'
run "edit: a currency without its value" 64 'crm-lead edit --currency GBP 5'
err_has "a new currency needs its value (--value)"
run "edit: clear the close date and the owner" 0 "crm-lead edit --close '' --owner '' 14"
check "both NULL" 'is "$(sql "SELECT coalesce(expected_close, \"-\") || coalesce(owner, \"-\") FROM leads WHERE id = 14")" "--"'
run "edit: nothing changes, -v says so" 0 'crm-lead -v edit --title Extras 14'
err_is "crm-lead: edit: deal 14: nothing changed"
check "no event for an edit that changed nothing" \
	'is "$(sql "SELECT count(*) FROM lead_events WHERE lead_id = 14 AND kind = \"edited\"")" 2'
run "edit: the stage is moved, not edited" 64 'crm-lead edit --stage won 14'
err_has "a deal changes stage with crm-lead move"
run "edit: a negative value" 65 'crm-lead edit --value -3 14'
err_has "not negative"
run "edit: an unknown deal" 1 'crm-lead edit --title X 999'
err_is "crm-lead: edit: no deal 999"
run "edit: a deal id that is no number" 64 'crm-lead edit --title X abc'
err_is 'crm-lead: edit: invalid deal id "abc"'

run "rm: the deal with its events, tags and fields" 0 'crm-lead rm 14'
err_empty
check "nothing of deal 14 left but its history, now of its contact (lead-removed, the note naming it)" '
	is "$(sql "SELECT (SELECT count(*) FROM leads WHERE id = 14) + (SELECT count(*) FROM lead_events WHERE lead_id = 14) + (SELECT count(*) FROM lead_tags WHERE lead_id = 14) + (SELECT count(*) FROM lead_fields WHERE lead_id = 14)")" 0 &&
	is "$(sql "SELECT count(*) FROM history WHERE entity = \"lead\" AND entity_id = 14")" 0 &&
	is "$(sql "SELECT action, field, old_value, note FROM history WHERE entity = \"lead-removed\" AND note = \"lead 14\" ORDER BY id DESC LIMIT 1")" "delete|title|Extras|lead 14"'
run "rm: a deal not there" 1 'crm-lead rm 14'
err_is "crm-lead: rm: no deal 14"
run "show: a deal not there" 1 'crm-lead show 14'
err_is "crm-lead: show: no deal 14"

# ---- move: stages, reasons, reopening, the record of each -----------------------

use moves
setup 'crm-lead add --title "Web shop" --value 12000 --owner eve ada@example.org'
setup 'crm-lead add --title Other --value 10 bob@example.org'

run "move to an open stage, at a given time" 0 'crm-lead move --at 2026-12-05T10:00:00Z 1 proposal'
err_empty
check "stage and stage_at changed, still open" \
	'is "$(sql "SELECT t.name, l.stage_at, coalesce(l.closed_at, \"-\") FROM leads l JOIN stages t ON t.id = l.stage_id WHERE l.id = 1")" "proposal|2026-12-05T10:00:00Z|-"'
run "move to won without --reason" 64 'crm-lead move 1 won'
err_has 'crm-lead: move: a deal moved to won stage "won" needs --reason'
run "move to lost with an empty --reason" 64 "crm-lead move --reason '' 1 lost"
err_has 'needs --reason'
check "the refused moves changed nothing" \
	'is "$(sql "SELECT t.name FROM leads l JOIN stages t ON t.id = l.stage_id WHERE l.id = 1; SELECT count(*) FROM lead_events WHERE lead_id = 1")" "proposal
2"'
run "move to won by another user, with a reason" 0 \
	'CRM_USER=alice CRM_DB=$(as_user alice) crm-lead move --reason "best offer" --at 2026-12-10T00:00:00Z 1 won'
check "closed at the move, with its reason" \
	'is "$(sql "SELECT t.kind, l.closed_at, l.reason FROM leads l JOIN stages t ON t.id = l.stage_id WHERE l.id = 1")" "won|2026-12-10T00:00:00Z|best offer"'
run "a closed deal moves only with --reopen" 65 'crm-lead move 1 negotiation'
err_is "crm-lead: move: deal 1 is won: move it with --reopen"
run "not to lost either" 65 'crm-lead move --reason x 1 lost'
err_is "crm-lead: move: deal 1 is won: move it with --reopen"
run "--reopen moves it back to an open stage" 0 'crm-lead move --reopen --at 2026-12-12T00:00:00Z 1 negotiation'
check "open again: no closed_at, no reason" \
	'is "$(sql "SELECT t.kind, coalesce(l.closed_at, \"-\"), coalesce(l.reason, \"-\"), l.stage_at FROM leads l JOIN stages t ON t.id = l.stage_id WHERE l.id = 1")" "open|-|-|2026-12-12T00:00:00Z"'
run "move to the stage it is in: nothing recorded" 0 'crm-lead -v move 1 negotiation'
err_is 'crm-lead: move: deal 1 is in stage "negotiation" already'
run "move to lost, then reopened straight to won" 0 \
	'crm-lead move --reason "no budget" --at 2026-12-13T00:00:00Z 1 lost && crm-lead move --reopen --reason "came back" --at 2026-12-14T06:00:00Z 1 won'
run "move: an unknown stage" 65 'crm-lead move 2 nosuch'
err_is 'crm-lead: move: no stage "nosuch" in pipeline "default"'
run "move: an unknown deal" 1 'crm-lead move 999 new'
err_is "crm-lead: move: no deal 999"
run "move: a bad time" 64 'crm-lead move --at yesterday-ish 2 qualified'
run "move: no stage" 64 'crm-lead move 2'
err_has "give a deal id and a stage"

check "every stage change in lead_events: from, to, when, who, why" '
	is "$(sql "SELECT kind, coalesce(from_stage, \"-\"), to_stage, at, who, coalesce(detail, \"-\") FROM lead_events WHERE lead_id = 1 ORDER BY at, id")" \
	   "created|-|new|2026-12-04T12:00:00Z|tester|-
moved|new|proposal|2026-12-05T10:00:00Z|tester|-
moved|proposal|won|2026-12-10T00:00:00Z|alice|best offer
reopened|won|negotiation|2026-12-12T00:00:00Z|tester|-
moved|negotiation|lost|2026-12-13T00:00:00Z|tester|no budget
reopened|lost|won|2026-12-14T06:00:00Z|tester|came back"'
check "and a history row for each, from and to" '
	is "$(sql "SELECT group_concat(old_value || \">\" || new_value, \" \") FROM (SELECT * FROM history WHERE entity = \"lead\" AND entity_id = 1 AND field = \"stage\" ORDER BY id) AS h")" \
	   "new>proposal proposal>won won>negotiation negotiation>lost lost>won"'
check "the deal ends won, closed at the last move, with its reason" \
	'is "$(sql "SELECT t.name, l.closed_at, l.reason FROM leads l JOIN stages t ON t.id = l.stage_id WHERE l.id = 1")" "won|2026-12-14T06:00:00Z|came back"'

run "show: the stage history, each stage's days computed from the events" 0 \
	'CRM_NOW=2026-12-20T00:00:00Z crm-lead show 1 | tee show.txt'
check "show's stage history is the events', days by Python" '
	awk "BEGIN { s = 0 } /^\$/ { s++; next } s == 1" show.txt > got.txt
	sql "SELECT to_stage, at, who, coalesce(detail, \"\") FROM lead_events WHERE lead_id = 1 AND to_stage IS NOT NULL ORDER BY at, id" > ev.txt
	python3 - ev.txt 2026-12-20T00:00:00Z > want.txt <<PY
import sys, datetime, decimal
def t(s): return datetime.datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ")
rows = [l.rstrip("\n").split("|") for l in open(sys.argv[1])]
now = t(sys.argv[2])
print("stage\tentered\tleft\tdays\tby\treason")
for i, (stage, at, who, why) in enumerate(rows):
    left = rows[i + 1][1] if i + 1 < len(rows) else ""
    secs = int(((t(left) if left else now) - t(at)).total_seconds())
    days = (decimal.Decimal(secs) / 86400).quantize(decimal.Decimal("0.1"), decimal.ROUND_HALF_UP)
    print("%s\t%s\t%s\t%s\t%s\t%s" % (stage, at, left, days, who, why))
PY
	cmp got.txt want.txt || { diff got.txt want.txt >&2; false; }'
check "the days themselves: 0.9 in new, 4.6 in proposal, 1.25 in lost is 1.3, 5.8 in won to now" '
	is "$(awk -F"\t" "BEGIN { s = 0 } /^\$/ { s++; next } s == 1 { print \$1 \" \" \$4 }" show.txt | tail -n +2 | tr "\n" " ")" \
	   "new 0.9 proposal 4.6 won 2.0 negotiation 1.0 lost 1.3 won 5.8 "'
check "show's events are the store's" '
	awk "BEGIN { s = 0 } /^\$/ { s++; next } s == 2" show.txt > got.txt
	{ printf "at\tevent\tfrom\tto\tby\tdetail\n"; tsql "SELECT at, kind, from_stage, to_stage, who, detail FROM lead_events WHERE lead_id = 1 ORDER BY at, id"; } > want.txt
	cmp got.txt want.txt || { diff got.txt want.txt >&2; false; }'
run "show --format jsonl: each section parses" 0 \
	'crm-lead --format jsonl show 1 | grep -v "^\$" | python3 -c "import json,sys; [json.loads(l) for l in sys.stdin]"'

finish
