#!/bin/sh
# tests/e2e/ticket_stats.sh - crm-ticket stats end to end, on either
# store: a hand-made month of four tickets (an answer in time and one
# late, a pause while pending, a reply over a weekend in business hours,
# a reopening, an escalation, two ratings), each figure checked against
# the durations of that timeline computed apart by Python (datetime
# differences, statistics.median, the nearest rank for P90), overall and
# --by priority; and its errors.
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3

setup() {
	(eval "$*") > "$T/setup.out" 2>&1 ||
		echo "FAIL $SUITE: setup failed: $*: $(head -c 400 "$T/setup.out")" >&2
}

at() { CRM_NOW=$1; export CRM_NOW; }

at 2026-11-01T00:00:00Z
setup crm-contact add --email a@example.org
setup crm-contact add --email b@example.org
setup crm-ticket team add tier2
setup crm-ticket agent add tester --email desk@help.example
setup "crm-ticket calendar set office --hours 'mon-fri 09:00-17:00' --tz Europe/Amsterdam"
setup crm-ticket sla set normal --first-response 1h --resolution 1d
setup crm-ticket sla set high --first-response 4h --calendar office
# 1: answered in 30 minutes, resolved in 10 hours; reopened, resolved again 2 hours on
at 2026-11-02T10:00:00Z; setup crm-ticket open a@example.org --subject one
at 2026-11-02T10:30:00Z; setup crm-ticket reply 1 --mbox out.mbox ok
at 2026-11-02T20:00:00Z; setup crm-ticket status 1 resolved
# 2: answered in 2 hours (late), pending a day, resolved 2 hours after
at 2026-11-03T10:00:00Z; setup crm-ticket open b@example.org --subject two
at 2026-11-03T12:00:00Z; setup crm-ticket reply 2 --mbox out.mbox --status pending later
at 2026-11-04T12:00:00Z; setup crm-ticket status 2 open
at 2026-11-04T14:00:00Z; setup crm-ticket status 2 resolved
# four (ticket 3): never answered, escalated
at 2026-11-05T09:00:00Z; setup crm-ticket open a@example.org --subject four
at 2026-11-05T12:00:00Z; setup crm-ticket escalate
# three (ticket 4): high, Friday 16:00 in Amsterdam, answered Monday 10:00 there: 2 business hours
at 2026-11-06T15:00:00Z; setup crm-ticket open b@example.org --subject three --priority high --team tier2
at 2026-11-09T09:00:00Z; setup crm-ticket reply 4 --mbox out.mbox hello
at 2026-11-10T10:00:00Z; setup crm-ticket reopen 1
at 2026-11-10T12:00:00Z; setup crm-ticket status 1 resolved
at 2026-11-10T13:00:00Z; setup crm-ticket csat 1 5 && crm-ticket csat 2 3
at 2026-12-02T00:00:00Z

# The expected rows, from the durations of the timeline above (hours of
# business time; the high ticket's over the weekend is 1 + 1): ref.py
# prints the header, and a row for each row() call after it.
cat > ref.py <<'EOF'
import statistics
def q(v):
    if not v: return "", ""
    s = sorted(v); r = -(-len(s) * 9 // 10)
    return "%.2f" % statistics.median(s), "%.2f" % s[r - 1]
def row(group, opened, resolved, backlog, first, res, met, stopped, esc, reop, csat):
    fm, fp = q(first); rm, rp = q(res)
    hit = "%.3f" % (met / stopped) if stopped else ""
    rr = "%.3f" % (reop / resolved) if resolved else ""
    ca = "%.2f" % (sum(csat) / len(csat)) if csat else ""
    print("\t".join(str(x) for x in (group, opened, resolved, backlog, fm, fp, rm, rp, hit, esc, reop, rr, ca, len(csat))))
print("\t".join(["group", "opened", "resolved", "backlog", "first_response_median_h", "first_response_p90_h",
                 "resolution_median_h", "resolution_p90_h", "sla_hit_rate", "escalations", "reopened",
                 "reopen_rate", "csat_avg", "csat_count"]))
EOF
"$PY" - > want.tsv <<'EOF'
exec(open("ref.py").read())
# first responses: 1 0.5h met, 2 2h missed, 4 2h met (business), 3 none (escalated);
# resolutions: 1 10h + 2h = 12h met, 2 2h + 2h = 4h met
row("all", 4, 2, 2, [0.5, 2, 2], [12, 4], 4, 5, 1, 1, [5, 3])
EOF
run "stats over November" 0 "crm-ticket stats --since 2026-11-01 --until 2026-12-01 > got.tsv"
check "every figure as computed apart" 'cmp -s got.tsv want.tsv || { diff want.tsv got.tsv >&2; false; }'

"$PY" - > want-by.tsv <<'EOF'
exec(open("ref.py").read())
row("high", 1, 0, 1, [2], [], 1, 1, 0, 0, [])
row("normal", 3, 2, 1, [0.5, 2], [12, 4], 3, 4, 1, 1, [5, 3])
EOF
run "stats --by priority" 0 "crm-ticket stats --since 2026-11-01 --until 2026-12-01 --by priority > got-by.tsv"
check "each group as computed apart" 'cmp -s got-by.tsv want-by.tsv || { diff want-by.tsv got-by.tsv >&2; false; }'
run "a period before anything: zeros, empty times" 0 "crm-ticket stats --since 2026-01-01 --until 2026-02-01"
out_is "group	opened	resolved	backlog	first_response_median_h	first_response_p90_h	resolution_median_h	resolution_p90_h	sla_hit_rate	escalations	reopened	reopen_rate	csat_avg	csat_count
all	0	0	0						0	0			0"
run "--by something unknown" 64 "crm-ticket stats --by mood"
err_has '--by: unknown "mood" (agent, team, priority, category or channel)'
run "--until before --since" 64 "crm-ticket stats --since 2026-12-01 --until 2026-11-01"
run "a bad time" 64 "crm-ticket stats --since yesterdayish"

finish
