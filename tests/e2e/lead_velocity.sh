#!/bin/sh
# tests/e2e/lead_velocity.sh - crm-lead velocity end to end, on either
# store: deals moved through two pipelines at known times (move --at,
# CRM_NOW for their creation), in two currencies, then every figure of
# the report (entered, advanced, conversion, the median and nearest-rank
# P90 of the days in each stage, won, lost, win rate, average value won
# per currency, median sales cycle) checked against a computation of its
# own in Python over the store's raw rows (lead_events, leads, stages),
# for all time, a window, one pipeline and one owner; an empty window
# (header only, exit 0), an unknown pipeline (65), a bad date (64), and
# every output format.
. "$(dirname "$0")/lib.sh"
export CRM_NOW=2026-06-30T12:00:00Z
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

# deal CREATED TITLE VALUE CURRENCY OWNER [PIPELINE]: adds a deal created
# at CREATED for contact 1.
deal() {
	CRM_NOW=$1 crm-lead add --title "$2" --value "$3" --currency "$4" --owner "$5" \
		${6:+--pipeline "$6"} 1 > /dev/null
}

# mv ID STAGE AT [REASON]
mv() {
	crm-lead move --at "$3" ${4:+--reason "$4"} "$1" "$2"
}

setup crm-contact add --email ada@example.org
setup crm-lead pipeline add partners
setup crm-lead stage add partners intro --probability 20%
setup crm-lead stage add partners pilot --probability 60%
setup crm-lead stage add partners signed --probability 100% --kind won
setup crm-lead stage add partners dropped --probability 0% --kind lost

# default: new qualified proposal negotiation won lost
setup deal 2026-01-01T00:00:00Z d1 1000 EUR ann     # new 2d, qualified 3.5d, won
setup mv 1 qualified 2026-01-03T00:00:00Z
setup mv 1 won 2026-01-06T12:00:00Z best
setup deal 2026-01-02T00:00:00Z d2 250.50 EUR ann   # new 5d, skips to proposal 10d, lost
setup mv 2 proposal 2026-01-07T00:00:00Z
setup mv 2 lost 2026-01-17T00:00:00Z price
setup deal 2026-01-05T06:00:00Z d3 99.99 EUR bob    # new 1.25d, qualified, back to new
setup mv 3 qualified 2026-01-06T12:00:00Z
setup mv 3 new 2026-01-08T00:00:00Z
setup mv 3 qualified 2026-01-09T00:00:00Z
setup mv 3 proposal 2026-02-01T00:00:00Z
setup deal 2026-02-10T00:00:00Z d4 500 USD bob      # USD: won, then another
setup mv 4 negotiation 2026-02-12T00:00:00Z
setup mv 4 won 2026-03-01T00:00:00Z signed
setup deal 2026-02-11T00:00:00Z d5 300.25 USD ann
setup mv 5 qualified 2026-02-20T08:00:00Z
setup mv 5 won 2026-03-15T00:00:00Z ok
setup deal 2026-03-01T00:00:00Z d6 80 USD ann       # lost straight from new
setup mv 6 lost 2026-03-02T00:00:00Z none
setup deal 2026-01-10T00:00:00Z d7 700 EUR ann      # won, reopened, won again
setup mv 7 won 2026-01-20T00:00:00Z first
setup crm-lead move --reopen --at 2026-01-25T00:00:00Z 7 negotiation
setup mv 7 won 2026-02-05T00:00:00Z again
setup deal 2026-03-10T00:00:00Z d8 10 EUR bob       # open, still in new
setup deal 2026-02-01T00:00:00Z p1 5000 EUR ann partners
setup mv 9 pilot 2026-02-04T00:00:00Z
setup mv 9 signed 2026-02-28T00:00:00Z yes
setup deal 2026-02-02T00:00:00Z p2 40 EUR bob partners
setup mv 10 dropped 2026-02-09T18:00:00Z no

# the report computed from the raw rows: velocity.h's definitions
tsql "SELECT p.id, p.name, t.position, t.id, t.name, t.kind FROM stages t JOIN pipelines p ON p.id = t.pipeline_id ORDER BY p.id, t.position, t.id" > "$T/stages"
tsql "SELECT lead_id, at, id, to_stage FROM lead_events WHERE to_stage IS NOT NULL ORDER BY lead_id, at, id" > "$T/events"
tsql "SELECT l.id, l.pipeline_id, coalesce(l.owner, \"\"), l.currency, l.value, l.created_at, coalesce(l.closed_at, \"\"), t.kind FROM leads l JOIN stages t ON t.id = l.stage_id" > "$T/leads"
cat > "$T/want.py" << 'PY'
import math, statistics, sys
from datetime import datetime, timedelta
since, until, only, owner = (a or None for a in sys.argv[1:5])
lo = since + "T00:00:00Z" if since else ""
hi = (datetime.strptime(until, "%Y-%m-%d") + timedelta(days=1)).strftime("%Y-%m-%dT00:00:00Z") if until else "~"
inw = lambda t: t is not None and lo <= t < hi
sec = lambda a, b: (datetime.strptime(b, "%Y-%m-%dT%H:%M:%SZ") - datetime.strptime(a, "%Y-%m-%dT%H:%M:%SZ")).total_seconds()
rows = lambda f: [l.rstrip("\n").split("\t") for l in open(f) if l.strip()]
pipes, stages = [], {}
for pid, pname, pos, sid, name, kind in rows(sys.argv[5]):
    if (pid, pname) not in pipes: pipes.append((pid, pname))
    stages.setdefault(pid, []).append((name, kind))
leads = {r[0]: r for r in rows(sys.argv[7])}
ev = {}
for lid, at, eid, to in rows(sys.argv[6]):
    ev.setdefault(lid, []).append((at, to))
f1 = lambda x: "%.1f" % x
def amount(v, cur): return "%d.%02d" % (v // 100, v % 100)
out = []
for pid, pname in pipes:
    if only and pname != only: continue
    st = stages[pid]; idx = {n.lower(): i for i, (n, k) in enumerate(st)}
    ent = [set() for _ in st]; adv = [set() for _ in st]; days = [[] for _ in st]
    any_ = False
    for lid, l in leads.items():
        if l[1] != pid or (owner and l[2] != owner): continue
        e = ev.get(lid, [])
        for k, (at, to) in enumerate(e):
            nxt, nst = (e[k + 1] if k + 1 < len(e) else (None, None))
            if not (inw(at) or inw(nxt)) or to.lower() not in idx: continue
            i = idx[to.lower()]; any_ = True
            if inw(at):
                ent[i].add(lid)
                j = idx.get((nst or "").lower())
                if nxt is not None and nxt < hi and j is not None and (st[j][1] == "won" or (st[j][1] == "open" and j > i)):
                    adv[i].add(lid)
            if inw(nxt): days[i].append(sec(at, nxt) / 86400)
    closed = {}
    for lid, l in sorted(leads.items(), key=lambda x: int(x[0])):
        if l[1] != pid or (owner and l[2] != owner) or l[7] == "open" or not inw(l[6]): continue
        any_ = True
        for c in ("", l[3]):
            d = closed.setdefault(c, [0, 0, 0, []])
            if l[7] == "won":
                d[0] += 1; d[2] += int(l[4]); d[3].append(sec(l[5], l[6]) / 86400)
            else: d[1] += 1
    if not any_: continue
    for i, (name, kind) in enumerate(st):
        op = kind == "open"; d = sorted(days[i]); n = len(d)
        out.append([pname, name, str(len(ent[i])), str(len(adv[i])) if op else "",
                    f1(100 * len(adv[i]) / len(ent[i])) if op and ent[i] else "",
                    f1(statistics.median(d)) if n else "", f1(d[math.ceil(0.9 * n) - 1]) if n else "",
                    "", "", "", "", "", ""])
    closed.setdefault("", [0, 0, 0, []])
    for c in sorted(closed):
        w, L, v, cy = closed[c]
        if c == "" and w + L == 0: continue
        out.append([pname, "", "", "", "", "", "", c, str(w), str(L), f1(100 * w / (w + L)),
                    amount((v + w // 2) // w, c) if c and w else "", f1(statistics.median(cy)) if cy else ""])
print("pipeline\tstage\tentered\tadvanced\tconversion\tmedian_days\tp90_days\tcurrency\twon\tlost\twin_rate\tavg_won\tmedian_cycle")
for r in out: print("\t".join(r))
PY

# want SINCE UNTIL PIPELINE OWNER: the report Python computes
want() {
	python3 "$T/want.py" "$1" "$2" "$3" "$4" "$T/stages" "$T/events" "$T/leads"
}

# got CMD...: runs CMD into $T/got as well (a check's own output is $T/out).
got() {
	"$@" | tee "$T/got"
}

run "velocity: every figure, all time, both pipelines" 0 'got crm-lead velocity'
check "as computed from the raw rows" 'is "$(cat "$T/got")" "$(want "" "" "" "")"'
# new: d1..d8 entered, d1 d2 d3 d4 d5 d7 left it forward (won counts, lost
# not); its spells 1 1 1.25 2 2 5 9.33 10 days; qualified: d1 d3 d5, d3
# back to new, then on; won d1 d4 d5 d7 (cycles 5.5 19 32 26), lost d2 d6
check "the figures by hand" '
	crm-lead velocity --pipeline default | awk -F"\t" "\$2 == \"new\" { print \$3, \$4, \$5, \$6, \$7 }
		\$2 == \"qualified\" { print \$3, \$4, \$5 } \$2 == \"\" { print \$8, \$9, \$10, \$11, \$12, \$13 }" > q &&
	is "$(cat q)" "8 6 75.0 2.0 10.0
3 3 100.0
 4 2 66.7  22.5
EUR 2 1 66.7 850.00 15.8
USD 2 1 66.7 400.13 25.5"'
run "velocity --since --until: a window" 0 'got crm-lead velocity --since 2026-01-06 --until 2026-02-10'
check "as computed" 'is "$(cat "$T/got")" "$(want 2026-01-06 2026-02-10 "" "")"'
run "velocity --pipeline --owner" 0 'got crm-lead velocity --pipeline default --owner ann --since 2026-01-01'
check "as computed" 'is "$(cat "$T/got")" "$(want 2026-01-01 "" default ann)"'
run "velocity --pipeline, in another case" 0 'got crm-lead velocity --pipeline PARTNERS'
check "as computed" 'is "$(cat "$T/got")" "$(want "" "" partners "")"'
run "velocity: a relative --since" 0 'got crm-lead velocity --since -180d'
check "as computed (180 days before now: 2026-01-01)" 'is "$(cat "$T/got")" "$(want 2026-01-01 "" "" "")"'
run "velocity: nothing in the window: the header alone" 0 'crm-lead velocity --since 2027-01-01'
out_is "pipeline	stage	entered	advanced	conversion	median_days	p90_days	currency	won	lost	win_rate	avg_won	median_cycle"
err_empty
run "velocity: an owner with no deal: the header alone" 0 'crm-lead velocity --owner nobody'
out_lines 1
run "velocity --pipeline unknown" 65 'crm-lead velocity --pipeline nope'
err_is 'crm-lead: velocity: no pipeline "nope"'
run "velocity --since not a date" 64 'crm-lead velocity --since 2026-13-01'
err_has 'crm-lead: velocity: --since: invalid date "2026-13-01"'
run "velocity --until not a date" 64 'crm-lead velocity --until soon'
err_has '--until: invalid date "soon"'
run "velocity --since after --until" 64 'crm-lead velocity --since 2026-03-01 --until 2026-02-01'
err_has '--since is after --until'
run "velocity --format jsonl: numbers and nulls" 0 'got crm-lead --format jsonl velocity --pipeline partners'
check "valid JSON, the same figures" '
	python3 -c "
import json, sys
rows = [json.loads(l) for l in open(\"$T/got\")]
st = {r[\"stage\"]: r for r in rows}
assert st[\"intro\"][\"entered\"] == 2 and st[\"intro\"][\"advanced\"] == 1 and st[\"intro\"][\"conversion\"] == 50.0, st
assert st[\"signed\"][\"advanced\"] is None and st[\"intro\"][\"won\"] is None
eur = [r for r in rows if r[\"currency\"] == \"EUR\"][0]
assert eur[\"avg_won\"] == 5000.0 and eur[\"win_rate\"] == 50.0 and eur[\"stage\"] is None, eur
"'
run "velocity --format csv and table" 0 'crm-lead --format csv velocity > c && crm-lead --format table velocity'
out_has "median_cycle"
check "csv has the rows of tsv" '[ "$(wc -l < c)" = "$(want "" "" "" "" | wc -l)" ]'
run "velocity --help" 0 'crm-lead velocity --help'
out_has "--since DATE"
# a stage renamed: its spells count under the new name, in velocity and show
run "stage edit --name: the deals' history renamed too" 0 '
	crm-lead velocity --pipeline partners > before.txt &&
	crm-lead stage edit partners pilot --name trial && crm-lead velocity --pipeline partners > after.txt'
check "the same figures, the stage under its new name" '
	is "$(sed "s/\tpilot\t/\ttrial\t/" before.txt)" "$(cat after.txt)" &&
	is "$(sql "SELECT count(*) FROM lead_events WHERE to_stage = '"'"'pilot'"'"' OR from_stage = '"'"'pilot'"'"'")" 0 &&
	grep -q "	trial	" after.txt'
finish
