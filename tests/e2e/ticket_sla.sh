#!/bin/sh
# tests/e2e/ticket_sla.sh - crm-ticket calendar, sla and escalate end to
# end, on either store. Every due time is checked against an independent
# reference: Python's zoneinfo (the same tz database, another reader) and
# a count minute by minute of business minutes, holidays and pauses, where
# crm-ticket walks spans of hours with GLib. Across daylight-saving
# changes in Europe and America, pauses while pending, a reply meeting the
# first-response clock, list --breached and --due-within,
# tickets.breached, escalation rules, escalate (output, exit status, and
# two runs at once raising each ticket once).
. "$(dirname "$0")/lib.sh"
export CRM_NOW=2026-12-04T16:30:00Z
PY=/usr/bin/python3

setup() {
	(eval "$*") > "$T/setup.out" 2>&1 ||
		echo "FAIL $SUITE: setup failed: $*: $(head -c 400 "$T/setup.out")" >&2
}

is() {
	[ "$1" = "$2" ] && return 0
	printf 'got:\n%s\nwant:\n%s\n' "$1" "$2" >&2
	return 1
}

# ref START MINUTES TZ OPEN CLOSE DAYS HOLIDAYS [PAUSE_FROM PAUSE_TO]: the
# moment MINUTES business minutes after START, counted minute by minute:
# local weekday in DAYS (0 Monday, "01234"), local minute of the day in
# [OPEN, CLOSE) (minutes), local day not in HOLIDAYS (comma list), and not
# within the pause.
ref() {
	"$PY" - "$@" <<'EOF'
import sys
from datetime import datetime, timezone, timedelta
from zoneinfo import ZoneInfo
start, minutes, tz, op, cl, days, hol = sys.argv[1:8]
pause = sys.argv[8:10]
zone = ZoneInfo(tz) if tz != "UTC" else timezone.utc
t = datetime.fromisoformat(start.replace("Z", "+00:00"))
p0 = p1 = None
if pause:
    p0, p1 = (datetime.fromisoformat(x.replace("Z", "+00:00")) for x in pause)
holidays = set(hol.split(",")) if hol else set()
left = int(minutes)
step = timedelta(minutes=1)
while left > 0:
    l = t.astimezone(zone)
    m = l.hour * 60 + l.minute
    on = (str(l.weekday()) in days and l.date().isoformat() not in holidays
          and int(op) <= m < int(cl) and not (p0 is not None and p0 <= t < p1))
    t += step
    if on:
        left -= 1
print(t.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))
EOF
}

due() { tsql "SELECT coalesce(${2}_due, 'none') FROM tickets WHERE id = $1"; }

setup crm-contact add --email a@example.org
setup crm-contact add --email b@example.org
setup crm-contact add --email c@example.org
setup crm-ticket team add tier2
setup crm-ticket agent add zed --team tier2 --email zed@help.example
setup crm-ticket agent add tester --email desk@help.example

# ---- calendars -----------------------------------------------------------------------

run "hours written wrongly" 64 "crm-ticket calendar set office --hours 'mon-fri 9:00-17:00' --tz Europe/Amsterdam"
err_has "invalid hours \"mon-fri 9:00-17:00\" (such as 'mon-fri 09:00-17:00; sat 10:00-14:00')"
run "hours overlapping" 64 "crm-ticket calendar set office --hours 'mon-fri 09:00-17:00; mon 12:00-13:00' --tz Europe/Amsterdam"
run "a day that is none" 64 "crm-ticket calendar set office --hours 'mon-fry 09:00-17:00' --tz Europe/Amsterdam"
run "a zone the tz database does not know" 64 "crm-ticket calendar set office --hours 'mon-fri 09:00-17:00' --tz Mars/Olympus"
err_has 'unknown time zone "Mars/Olympus" (a name of the tz database, such as Europe/Amsterdam)'
run "no zone" 64 "crm-ticket calendar set office --hours 'mon-fri 09:00-17:00'"
run "calendar set" 0 "crm-ticket calendar set office --hours 'mon-fri 09:00-17:00' --tz Europe/Amsterdam &&
	crm-ticket calendar set ny --hours 'mon-fri 08:00-12:00,13:00-18:00' --tz America/New_York"
run "a holiday" 0 "crm-ticket calendar holiday add office 2026-12-07"
run "a holiday that is no date" 64 "crm-ticket calendar holiday add office 2026-13-01"
run "a holiday of no calendar" 65 "crm-ticket calendar holiday add nope 2026-12-25"
err_is 'crm-ticket: calendar holiday add: no calendar "nope" (crm-ticket calendar set NAME)'
run "calendar list" 0 "crm-ticket calendar list"
out_is "calendar	hours	tz	holidays
ny	mon-fri 08:00-12:00,13:00-18:00	America/New_York	0
office	mon-fri 09:00-17:00	Europe/Amsterdam	1"

# ---- policies -------------------------------------------------------------------------

run "sla set: an unknown calendar" 65 "crm-ticket sla set high --first-response 4h --calendar nope"
run "sla set: an unknown team" 65 "crm-ticket sla set high --team nope --first-response 4h"
run "sla set: no target" 64 "crm-ticket sla set high --calendar office"
err_has 'give --first-response, --next-response or --resolution'
run "sla set: a bad span" 64 "crm-ticket sla set high --first-response 4x"
run "sla set: a bad priority" 64 "crm-ticket sla set highest --first-response 4h"
run "sla set" 0 "crm-ticket sla set high --first-response 4h --resolution 2d --calendar office &&
	crm-ticket sla set high --team tier2 --first-response 1h &&
	crm-ticket sla set normal --first-response 1d &&
	crm-ticket sla set urgent --resolution 16h --calendar office &&
	crm-ticket sla set low --first-response 12h --calendar ny"
run "sla list" 0 "crm-ticket sla list"
out_is "priority	team	first_response	next_response	resolution	calendar
urgent	*			16h	office
high	*	4h		2d	office
high	tier2	1h			
normal	*	1d			
low	*	12h			ny"

# ---- due times against the reference ----------------------------------------------------

# Friday 17:30 in Amsterdam: after hours; Monday a holiday
setup 'crm-ticket open a@example.org --subject "After hours" --priority high'
check "first response and resolution due, in business time, past the weekend and the holiday" '
	is "$(due 1 first_response)" "$(ref 2026-12-04T16:30:00Z 240 Europe/Amsterdam 540 1020 01234 2026-12-07)" &&
	is "$(due 1 resolution)" "$(ref 2026-12-04T16:30:00Z 2880 Europe/Amsterdam 540 1020 01234 2026-12-07)" &&
	is "$(due 1 first_response)" 2026-12-08T12:00:00Z && is "$(due 1 next_response)" none'
setup 'crm-ticket open b@example.org --subject "Around the clock"'
check "no calendar: around the clock" 'is "$(due 2 first_response)" 2026-12-05T16:30:00Z && is "$(due 2 resolution)" none'
setup 'crm-ticket open c@example.org --subject "Tier 2" --priority high --team tier2'
check "the team's policy before any team's, as a whole" '
	is "$(due 3 first_response)" 2026-12-04T17:30:00Z && is "$(due 3 resolution)" none'
setup 'CRM_NOW=2026-10-23T14:00:00Z crm-ticket open a@example.org --subject "Over the clock change" --priority urgent'
check "across the end of summer time in Amsterdam (25 October)" '
	is "$(due 4 resolution)" "$(ref 2026-10-23T14:00:00Z 960 Europe/Amsterdam 540 1020 01234 2026-12-07)" &&
	is "$(due 4 resolution)" 2026-10-27T15:00:00Z'
setup 'CRM_NOW=2026-03-06T20:00:00Z crm-ticket open b@example.org --subject "Spring forward" --priority low'
check "across the start of daylight time in New York (8 March), two spans a day" '
	r=$("$PY" - <<EOF
import sys
from datetime import datetime, timezone, timedelta
from zoneinfo import ZoneInfo
z = ZoneInfo("America/New_York"); t = datetime(2026, 3, 6, 20, tzinfo=timezone.utc); left = 720
while left > 0:
    l = t.astimezone(z); m = l.hour * 60 + l.minute
    on = l.weekday() < 5 and (480 <= m < 720 or 780 <= m < 1080)
    t += timedelta(minutes=1)
    left -= on
print(t.strftime("%Y-%m-%dT%H:%M:%SZ"))
EOF
) && is "$(due 5 first_response)" "$r" && is "$r" 2026-03-09T22:00:00Z'
setup "crm-ticket status 4 closed && crm-ticket status 5 closed"

# ---- pauses, show, a reply ---------------------------------------------------------------

setup 'CRM_NOW=2026-12-08T09:00:00Z crm-ticket status 1 pending'
check "pending: both clocks of ticket 1 paused, no due time kept" '
	is "$(due 1 first_response)" none && is "$(due 1 resolution)" none'
run "show while pending" 0 'CRM_NOW=2026-12-08T15:00:00Z crm-ticket show 1'
out_has "first_response_due	paused (3h 0m of business time left)"
out_has "resolution_due	paused (47h 0m of business time left)"
setup 'CRM_NOW=2026-12-09T10:00:00Z crm-ticket status 1 open'
check "open again: the due times moved by the business time it was pending" '
	is "$(due 1 first_response)" "$(ref 2026-12-04T16:30:00Z 240 Europe/Amsterdam 540 1020 01234 2026-12-07 2026-12-08T09:00:00Z 2026-12-09T10:00:00Z)" &&
	is "$(due 1 resolution)" "$(ref 2026-12-04T16:30:00Z 2880 Europe/Amsterdam 540 1020 01234 2026-12-07 2026-12-08T09:00:00Z 2026-12-09T10:00:00Z)" &&
	is "$(due 1 first_response)" 2026-12-09T13:00:00Z'
run "show: what is left" 0 'CRM_NOW=2026-12-09T11:30:00Z crm-ticket show 1'
out_has "first_response_due	2026-12-09T13:00:00Z (1h 30m left)"
run "a reply in time" 0 'CRM_NOW=2026-12-09T12:00:00Z crm-ticket reply 1 --mbox sent.mbox "On it."'
run "show: met" 0 'CRM_NOW=2026-12-09T12:30:00Z crm-ticket show 1'
out_has "first_response_due	2026-12-09T13:00:00Z (met)"
run "show: past due" 0 'CRM_NOW=2026-12-06T18:00:00Z crm-ticket show 2'
out_has "first_response_due	2026-12-05T16:30:00Z (breached, 1d 1h 30m over)"

# ---- list and the filter language -----------------------------------------------------------

run "list --breached" 0 'CRM_NOW=2026-12-06T18:00:00Z crm-ticket list --breached --fields id,breached'
out_is "id	breached
2	1
3	1"
check "the same as the store's due times say, counted apart" '
	is "$(sql "SELECT count(*) FROM tickets WHERE status IN ('\''new'\'', '\''open'\'', '\''pending'\'') AND ((first_response_at IS NULL AND first_response_due < '\''2026-12-06T18:00:00Z'\'') OR resolution_due < '\''2026-12-06T18:00:00Z'\'')")" 2'
run "list --due-within 2h" 0 'CRM_NOW=2026-12-05T15:00:00Z crm-ticket list --due-within 2h --fields id,first_response_due'
out_is "id	first_response_due
2	2026-12-05T16:30:00Z"
run "tickets.breached in the filter language" 0 "CRM_NOW=2026-12-06T18:00:00Z crm-segment count 'tickets.breached > 0'"
out_is 2
run "a bad span for --due-within" 64 'crm-ticket list --due-within soon'

# ---- escalation --------------------------------------------------------------------------------

run "a rule for nobody" 65 "crm-ticket escalation rule add 2 --to nobody"
err_is 'crm-ticket: escalation rule add: no agent or team "nobody" (crm-ticket agent add, team add)'
run "a level that is none" 64 "crm-ticket escalation rule add 0 --to zed"
run "rules" 0 "crm-ticket escalation rule add 2 --to zed && crm-ticket escalation rule add 1 --to tier2 --priority high"
run "rule list" 0 "crm-ticket escalation rule list"
out_is "level	priority	to	kind
1	high	tier2	team
2	*	zed	agent"
run "rm of no rule" 1 "crm-ticket escalation rule rm 5"
run "escalate: past due and near it" 0 'CRM_NOW=2026-12-05T16:00:00Z crm-ticket escalate --warn 1h'
out_is "ticket	from	to	clock	due	assigned	assignee
2	0	1	first_response	2026-12-05T16:30:00Z		
3	0	2	first_response	2026-12-04T17:30:00Z	zed	zed"
check "raised with their events; the rule gave ticket 3 to zed" '
	is "$(tsql "SELECT ticket_id, from_value, to_value, detail FROM ticket_events WHERE kind = '\''escalated'\'' ORDER BY ticket_id")" "2	0	1	first_response due 2026-12-05T16:30:00Z
3	0	2	first_response due 2026-12-04T17:30:00Z" &&
	is "$(tsql "SELECT escalation, assignee FROM tickets WHERE id = 3")" "2	zed"'
run "escalate again: nothing to do, nothing printed" 1 'CRM_NOW=2026-12-05T16:00:00Z crm-ticket escalate --warn 1h'
out_lines 0
run "later, past due: ticket 2 to level 2" 0 'CRM_NOW=2026-12-05T17:00:00Z crm-ticket escalate'
out_has "2	1	2	first_response	2026-12-05T16:30:00Z	zed	zed"
for i in 1 2 3 4 5 6 7 8; do setup "CRM_NOW=2026-12-01T08:00:00Z crm-ticket open a@example.org --subject 'Late $i'"; done
run "two runs at once raise each ticket once" 0 '
	CRM_NOW=2026-12-06T08:00:00Z crm-ticket escalate > one.tsv & p=$!
	CRM_NOW=2026-12-06T08:00:00Z crm-ticket escalate > two.tsv; b=$?; wait $p; a=$?
	[ $a -le 1 ] && [ $b -le 1 ]'
check "one escalated event a ticket, and every raised ticket printed by exactly one run" '
	is "$(sql "SELECT count(*) FROM (SELECT ticket_id FROM ticket_events WHERE kind = '\''escalated'\'' AND ticket_id > 5 GROUP BY ticket_id HAVING count(*) = 1) x")" 8 &&
	is "$(cat one.tsv two.tsv | grep -v "^ticket" | awk -F"\t" "\$1 > 5" | wc -l | tr -d " ")" 8'
run "the escalations are on the timeline" 0 'crm-log timeline c@example.org'
out_has "ticket escalated"

run "--notify needs a sender" 64 'crm-ticket escalate --notify --mbox digest.mbox'
err_has "give --from ADDRESS (or set CRM_FROM)"
setup crm-ticket agent add nomail --team tier2
setup 'CRM_NOW=2026-12-10T08:00:00Z crm-ticket open b@example.org --subject "Mine" && crm-ticket assign 14 tester'
setup 'CRM_NOW=2026-12-10T08:00:00Z crm-ticket open c@example.org --subject "Unassigned"'
setup 'CRM_NOW=2026-12-10T08:00:00Z crm-ticket open a@example.org --subject "No mail" && crm-ticket assign 16 nomail'
run "escalate --notify: one digest an agent concerned" 0 \
	'CRM_NOW=2026-12-12T08:00:00Z crm-ticket escalate --notify --from "Help Desk <desk@help.example>" --mbox digest.mbox'
err_is "crm-ticket: escalate: 1 agent without an email not notified"
cat > digests.py <<'PYEOF'
import email, email.policy, mailbox
box = mailbox.mbox("digest.mbox", factory=lambda f: email.message_from_binary_file(f, policy=email.policy.default))
for m in sorted(box, key=lambda m: str(m["To"])):
    print(str(m["To"]), "|", str(m["Subject"]), "|", m["Auto-Submitted"], "|", " ".join(l.split(" ")[0] for l in m.get_content().splitlines()))
PYEOF
check "the digests: to tester (its ticket, taken by the rule) and to zed (given all three)" '
	is "$("$PY" digests.py)" "tester <desk@help.example> | 1 ticket escalated | auto-generated | #14
zed <zed@help.example> | 3 tickets escalated | auto-generated | #14 #15 #16"'

setup 'CRM_NOW=2026-12-10T08:00:00Z crm-ticket open b@example.org --subject "Resolved while pending" --priority high'
setup 'CRM_NOW=2026-12-10T09:00:00Z crm-ticket status 17 pending && CRM_NOW=2026-12-11T09:00:00Z crm-ticket status 17 resolved'
run "resolved while pending, with time left: the resolution clock was met" 0 'CRM_NOW=2026-12-12T09:00:00Z crm-ticket show 17'
out_has "resolution_due	"
out_has " (met)"
check "its due time kept" '[ "$(due 17 resolution)" != none ]'
setup crm-ticket agent rm zed
setup 'CRM_NOW=2026-12-10T08:00:00Z crm-ticket open a@example.org --subject "Late A" && CRM_NOW=2026-12-10T08:00:00Z crm-ticket open b@example.org --subject "Late B"'
run "a rule naming an agent removed since: raised, not given, and the run goes on" 0 'CRM_NOW=2026-12-14T08:00:00Z crm-ticket escalate'
err_has "escalate: ticket 18 raised, not given: "
err_has "escalate: ticket 19 raised, not given: "
check "both raised with their events, neither given to zed" '
	is "$(tsql "SELECT id, escalation, coalesce(assignee, '\''-'\'') FROM tickets WHERE id IN (18, 19) ORDER BY id")" "18	2	-
19	2	-" &&
	is "$(sql "SELECT count(*) FROM ticket_events WHERE kind = '\''escalated'\'' AND ticket_id IN (18, 19)")" 2'

# ---- changes of policy ----------------------------------------------------------------------------

run "a calendar a policy uses is not removed" 65 "crm-ticket calendar rm office"
err_has 'calendar "office" is the'
run "sla rm" 0 "crm-ticket sla rm normal"
check "ticket 2 has no due times now" 'is "$(due 2 first_response)" none'
run "sla rm of none" 1 "crm-ticket sla rm normal"
err_is 'crm-ticket: sla rm: no normal policy'
run "a holiday removed moves the due times back" 0 "crm-ticket calendar holiday rm office 2026-12-07"
check "ticket 1's resolution as if Monday were a working day" '
	is "$(due 1 resolution)" "$(ref 2026-12-04T16:30:00Z 2880 Europe/Amsterdam 540 1020 01234 "" 2026-12-08T09:00:00Z 2026-12-09T10:00:00Z)"'

finish
