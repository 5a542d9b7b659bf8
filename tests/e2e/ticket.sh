#!/bin/sh
# tests/e2e/ticket.sh - crm-ticket end to end, on either store: teams and
# agents; open (body from a file and from stdin, priorities, teams, dated
# with --at); list with every filter, --fields, --sort, --limit and
# format; assignment by hand, to a team, by load and round robin; notes;
# status changes with their stamps; reopen; merge of tickets; ratings;
# every event on the contact's timeline; the tickets.* fields of the
# filter language; a merge of contacts and an erasure. Each figure is
# checked against the store's rows (sql) or a count of its own.
. "$(dirname "$0")/lib.sh"
export CRM_NOW=2026-12-04T12:00:00Z
command -v python3 > /dev/null || { echo "e2e $SUITE: python3 needed" >&2; exit 1; }

setup() {
	(eval "$*") > "$T/setup.out" 2>&1 ||
		echo "FAIL $SUITE: setup failed: $*: $(head -c 400 "$T/setup.out")" >&2
}

is() {
	[ "$1" = "$2" ] && return 0
	printf 'got:\n%s\nwant:\n%s\n' "$1" "$2" >&2
	return 1
}

setup crm-contact add --email ada@example.org --first-name Ada --country NL
setup crm-contact add --email bob@example.org --first-name Bob --country DE
setup crm-contact add --email cy@example.org --country NL

# ---- teams and agents -----------------------------------------------------------

run "team add" 0 'crm-ticket team add support && crm-ticket team add billing'
run "a team added twice, in another case" 65 'crm-ticket team add Support'
err_is 'crm-ticket: team add: team "Support" exists'
run "agent add: with a team and an email" 0 '
	crm-ticket agent add ann --team support --email ann@us.example &&
	crm-ticket agent add ben --team support && crm-ticket agent add cat --team billing'
run "agent add: an unknown team" 65 'crm-ticket agent add dan --team nope'
err_is 'crm-ticket: agent add: no team "nope" (crm-ticket team add NAME)'
run "agent add: a bad email" 64 'crm-ticket agent add dan --email "dan at home"'
err_has 'invalid email "dan at home"'
run "agent list" 0 'crm-ticket agent list'
out_is "agent	team	email	active	open
ann	support	ann@us.example	1	0
ben	support		1	0
cat	billing		1	0"

# ---- open --------------------------------------------------------------------------

printf 'My order never arrived.\nOrder 1234.\n' > mail.txt
run "open: body from a file, priority, channel, team; prints the number" 0 \
	'crm-ticket open ada@example.org --subject "Where is my order?" --priority high --channel email --team support --body-file mail.txt'
out_is 1
check "the ticket as stored, new, the body its first message in" '
	is "$(tsql "SELECT contact_id, subject, status, priority, channel, CASE WHEN category IS NULL THEN 1 ELSE 0 END, created_at FROM tickets WHERE id = 1")" "1	Where is my order?	new	high	email	1	2026-12-04T12:00:00Z" &&
	is "$(tsql "SELECT direction, body FROM ticket_messages WHERE ticket_id = 1")" "in	My order never arrived.
Order 1234." &&
	is "$(tsql "SELECT kind, to_value, who FROM ticket_events WHERE ticket_id = 1")" "opened	new	tester"'
run "open: the body on stdin, a category, dated" 0 \
	'printf "The invoice says 3 items.\n" | crm-ticket open bob@example.org --subject "Invoice wrong" --team billing --category invoice --at 2026-12-01T09:00:00Z --body-file -'
out_is 2
run "open: no body, by contact id" 0 'crm-ticket open 1 --subject Password --at 2026-11-30T08:00:00Z'
out_is 3
run "open: an urgent one for cy" 0 'crm-ticket open cy@example.org --subject "Site down" --priority urgent --team support --channel phone'
out_is 4
run "open: no subject" 64 'crm-ticket open 1'
err_has "a ticket needs --subject S"
run "open: a bad priority" 64 'crm-ticket open 1 --subject x --priority asap'
err_has 'crm-ticket: open: invalid priority "asap" (low, normal, high or urgent)'
run "open: an unknown contact" 1 'crm-ticket open nobody@example.org --subject x'
err_is 'crm-ticket: open: no contact "nobody@example.org"'
run "open: an unknown team" 65 'crm-ticket open 1 --subject x --team nope'
run "open: a body file that is not there" 66 'crm-ticket open 1 --subject x --body-file nope.txt'
printf 'a\000b' > nul.txt
run "open: a body with a NUL byte" 65 'crm-ticket open 1 --subject x --body-file nul.txt'
check "nothing written by the refused ones" 'is "$(sql "SELECT count(*) FROM tickets")" 4'

# ---- list -------------------------------------------------------------------------

run "list: by number, the default columns" 0 'crm-ticket list'
out_is "id	contact	subject	status	priority	assignee	team	created
1	ada@example.org	Where is my order?	new	high		support	2026-12-04T12:00:00Z
2	bob@example.org	Invoice wrong	new	normal		billing	2026-12-01T09:00:00Z
3	ada@example.org	Password	new	normal			2026-11-30T08:00:00Z
4	cy@example.org	Site down	new	urgent		support	2026-12-04T12:00:00Z"
run "list --priority high,urgent --team support" 0 'crm-ticket list --priority high,urgent --team support --fields id'
out_is "id
1
4"
run "list --age 2d: opened two days ago or more; age in whole days (3.125, 4.17)" 0 'crm-ticket list --age 2d --fields id,age'
out_is "id	age
2	3
3	4"
run "age truncates on either store: 1.64 days is 1, 2.68 is 2" 0 'CRM_NOW=2026-12-03T00:24:00Z crm-ticket list --age 1d --fields id,age'
out_is "id	age
2	1
3	2"
run "list --age 90m, --channel, --category, --contact" 0 '
	crm-ticket list --age 90m --channel phone --fields id; crm-ticket list --category invoice --fields id --no-header;
	crm-ticket list --contact ada@example.org --fields id --no-header'
out_is "id
2
1
3"
run "list --filter over the contact" 0 "crm-ticket list --filter 'country = \"NL\"' --fields id,contact"
out_is "id	contact
1	ada@example.org
3	ada@example.org
4	cy@example.org"
run "list --sort -created,id --limit 2" 0 'crm-ticket list --sort -created --limit 2 --fields id,created'
out_is "id	created
1	2026-12-04T12:00:00Z
4	2026-12-04T12:00:00Z"
run "list --format jsonl: numbers and nulls" 0 'crm-ticket --format jsonl list --fields id,assignee,age > got.json'
check "valid JSON" 'python3 -c "
import json, sys
rows = [json.loads(l) for l in open(\"$T/got.json\")]
assert [r[\"id\"] for r in rows] == [1, 2, 3, 4], rows
assert rows[0][\"assignee\"] is None and rows[1][\"age\"] == 3, rows
"'
run "list: no match is exit 1, the header still written" 1 'crm-ticket list --status pending'
out_lines 1
run "list: a bad status" 64 'crm-ticket list --status open,later'
err_has 'invalid status "later"'
run "list: an unknown field" 64 'crm-ticket list --fields id,colour'
err_has '--fields: unknown field "colour"'
run "list: an unknown sort" 64 'crm-ticket list --sort -colour'
run "list: a bad span" 64 'crm-ticket list --age 2x'
err_has 'invalid span "2x" (a number and m, h, d or w, such as 4h)'
run "list: a bad filter" 64 "crm-ticket list --filter 'country ='"

# ---- assign -----------------------------------------------------------------------

run "assign ID AGENT: the agent's, and a new ticket taken is open" 0 'crm-ticket assign 2 cat'
check "assignee, status and two events" '
	is "$(tsql "SELECT assignee, status FROM tickets WHERE id = 2")" "cat	open" &&
	is "$(tsql "SELECT kind, coalesce(from_value, \"-\"), to_value FROM ticket_events WHERE ticket_id = 2 AND kind <> \"opened\" ORDER BY id")" "assigned	-	cat
status	new	open"'
run "assign --team: a team's queue" 0 'crm-ticket assign 3 --team billing'
check "team billing, no agent, still new" 'is "$(tsql "SELECT (SELECT name FROM teams WHERE id = team_id), CASE WHEN assignee IS NULL THEN 1 ELSE 0 END, status FROM tickets WHERE id = 3")" "billing	1	new"'
run "assign: an unknown agent" 65 'crm-ticket assign 1 zed'
err_is 'crm-ticket: assign: no agent "zed" (crm-ticket agent add NAME)'
run "assign: no such ticket" 1 'crm-ticket assign 99 ann'
err_is 'crm-ticket: assign: no ticket 99'
run "assign: a bad number" 64 'crm-ticket assign x ann'
setup crm-ticket agent add dan --team support
setup crm-ticket agent rm dan
run "assign: a removed agent" 65 'crm-ticket assign 1 dan'
err_is 'crm-ticket: assign: agent "dan" was removed'
run "assign --auto: by load, oldest first" 0 'crm-ticket assign --auto'
# unassigned: 3 (billing, 2026-11-30), 1 (support, 12-04), 4 (support, 12-04);
# cat has 1 open, ann and ben none: 3 -> cat, 1 -> ann, 4 -> ben
out_is "ticket	agent
3	cat
1	ann
4	ben"
check "the loads the choice was made from, counted here" '
	is "$(sql "SELECT assignee, count(*) FROM tickets WHERE status IN (\"new\", \"open\", \"pending\") GROUP BY assignee ORDER BY assignee")" "ann|1
ben|1
cat|2"'
run "assign --auto with nothing to give: exit 1" 1 'crm-ticket assign --auto'
out_lines 1
setup 'crm-ticket open bob@example.org --subject "Refund" --team support > /dev/null'
setup 'crm-ticket open bob@example.org --subject "Refund again" --team support > /dev/null'
run "assign --auto --round-robin: the agent given one least recently" 0 'crm-ticket assign --auto --round-robin'
# support's agents ann and ben were last given one in that order: ann first
out_is "ticket	agent
5	ann
6	ben"
run "assign --auto with an ID" 64 'crm-ticket assign --auto 1'

# ---- note, status, reopen ---------------------------------------------------------

# who: CRM_USER on SQLite, the role on PostgreSQL (lib.sh)
who=eve
on_sqlite || who=tester
run "note: words on the command line" 0 'CRM_USER=eve crm-ticket note 1 Called the courier'
check "a note message by its writer, and an event" '
	is "$(tsql "SELECT direction, author, body FROM ticket_messages WHERE ticket_id = 1 ORDER BY id DESC LIMIT 1")" "note	$who	Called the courier" &&
	is "$(sql "SELECT count(*) FROM ticket_events WHERE ticket_id = 1 AND kind = \"note\"")" 1'
run "note: from a file" 0 'crm-ticket note 1 --body-file mail.txt'
run "note: nothing to say" 64 'crm-ticket note 1'
run "status pending, then resolved: stamped" 0 \
	'CRM_NOW=2026-12-05T10:00:00Z crm-ticket status 1 pending && CRM_NOW=2026-12-06T10:00:00Z crm-ticket status 1 resolved'
check "resolved at the time of the change" 'is "$(tsql "SELECT status, resolved_at, CASE WHEN closed_at IS NULL THEN 1 ELSE 0 END FROM tickets WHERE id = 1")" "resolved	2026-12-06T10:00:00Z	1"'
run "status: the same again changes nothing" 0 'crm-ticket -v status 1 resolved'
err_has "ticket 1 is resolved already"
check "no event for it" 'is "$(sql "SELECT count(*) FROM ticket_events WHERE ticket_id = 1 AND kind = \"status\" AND to_value = \"resolved\"")" 1'
run "status closed keeps the resolved time" 0 'CRM_NOW=2026-12-07T10:00:00Z crm-ticket status 1 closed'
check "both stamps" 'is "$(tsql "SELECT resolved_at, closed_at FROM tickets WHERE id = 1")" "2026-12-06T10:00:00Z	2026-12-07T10:00:00Z"'
run "list leaves closed tickets out by default" 0 'crm-ticket list --fields id --no-header'
out_lacks "^1$"
run "status: not a status" 64 'crm-ticket status 1 done'
run "reopen: open again, the stamps cleared" 0 'crm-ticket reopen 1'
check "open, no stamps, a reopened event" '
	is "$(tsql "SELECT status, CASE WHEN resolved_at IS NULL AND closed_at IS NULL THEN 1 ELSE 0 END FROM tickets WHERE id = 1")" "open	1" &&
	is "$(tsql "SELECT from_value, to_value FROM ticket_events WHERE ticket_id = 1 AND kind = \"reopened\"")" "closed	open"'
run "reopen: a ticket that is open" 65 'crm-ticket reopen 1'
err_is 'crm-ticket: reopen: ticket 1 is open, not resolved or closed'

# ---- merge, csat ------------------------------------------------------------------

before=$(sql "SELECT count(*) FROM ticket_events WHERE ticket_id IN (5, 6)")
run "merge 5 6: 6's thread and events join 5" 0 'crm-ticket merge 5 6'
check "6 is merged into 5, its rows moved, an event on each" '
	is "$(tsql "SELECT status, merged_into FROM tickets WHERE id = 6")" "merged	5" &&
	is "$(sql "SELECT count(*) FROM ticket_events WHERE ticket_id = 5")" "$((before + 1))" &&
	is "$(tsql "SELECT detail FROM ticket_events WHERE ticket_id = 5 AND kind = \"merged\"")" "#6" &&
	is "$(tsql "SELECT detail FROM ticket_events WHERE ticket_id = 6")" "into #5"'
run "a merged ticket changes no more" 65 'crm-ticket status 6 open'
err_is 'crm-ticket: status: ticket 6 was merged into 5'
run "merge into itself" 64 'crm-ticket merge 5 5'
run "show of a merged ticket says where it went" 0 'crm-ticket show 6'
out_has "status	merged into 5"
run "csat 2 4 --comment" 0 'crm-ticket csat 2 4 --comment quick && crm-ticket csat 4 2'
run "csat: not 1 to 5" 64 'crm-ticket csat 2 6'
check "tickets.csat_avg is the mean of the ratings" '
	is "$(crm-segment run --no-header "tickets.csat_avg >= 3" | cut -f3)" "bob@example.org" &&
	is "$(sql "SELECT avg(csat) FROM tickets WHERE contact_id = 2" | awk "{ print \$1 + 0 }")" 4'

# ---- show, timeline, filter fields ----------------------------------------------

run "show: fields, thread and events" 0 'crm-ticket show 1 > show.txt'
check "its events are the store's" '
	awk "BEGIN { s = 0 } /^\$/ { s++; next } s == 2" show.txt > got.txt &&
	{ printf "at\tevent\tfrom\tto\tby\tdetail\n"; tsql "SELECT at, kind, from_value, to_value, who, detail FROM ticket_events WHERE ticket_id = 1 ORDER BY at, id"; } > want.txt &&
	cmp got.txt want.txt'
run "show: no such ticket" 1 'crm-ticket show 99'
run "the timeline has every ticket event of the contact" 0 'crm-log timeline ada@example.org > timeline.txt'
check "as many ticket rows as events" '
	is "$(awk -F"\t" "\$2 == \"ticket\"" timeline.txt | wc -l | tr -d " ")" "$(sql "SELECT count(*) FROM ticket_events WHERE contact_id = 1")"'
check "tickets.open and tickets.count as the store counts them" '
	is "$(crm-segment run --no-header "tickets.open > 0" | cut -f3 | tr "\n" " ")" "$(sql "SELECT c.email FROM contacts c WHERE EXISTS (SELECT 1 FROM tickets t WHERE t.contact_id = c.id AND t.status IN (\"new\", \"open\", \"pending\")) ORDER BY c.id" | tr "\n" " ")" &&
	is "$(crm-segment count "tickets.count >= 2")" "$(sql "SELECT count(*) FROM (SELECT contact_id FROM tickets WHERE status <> \"merged\" GROUP BY contact_id HAVING count(*) >= 2) AS x")"'

# ---- a merge of contacts, an erasure ----------------------------------------------

run "crm-contact merge: cy's tickets, messages and events are ada's now" 0 'crm-contact merge 1 3'
check "nothing of 3 left in the ticket tables" '
	is "$(sql "SELECT count(*) FROM tickets WHERE contact_id = 3") $(sql "SELECT count(*) FROM ticket_events WHERE contact_id = 3") $(sql "SELECT count(*) FROM ticket_messages WHERE contact_id = 3")" "0 0 0" &&
	is "$(sql "SELECT contact_id FROM tickets WHERE id = 4")" 1'
run "erase ada: the tickets stay for the figures, without their words" 0 'crm-contact erase -f 1'
check "subjects and details cleared, the thread gone, status and times kept" '
	is "$(sql "SELECT count(*) FROM tickets WHERE contact_id = 1 AND subject IS NULL")" 3 &&
	is "$(sql "SELECT count(*) FROM ticket_messages WHERE contact_id = 1")" 0 &&
	is "$(sql "SELECT count(*) FROM ticket_events WHERE contact_id = 1 AND detail IS NOT NULL")" 0 &&
	is "$(tsql "SELECT status, priority FROM tickets WHERE id = 1")" "open	high"'

finish
