#!/bin/sh
# tests/e2e/lead_contact.sh - crm-lead where deals meet their contacts,
# end to end on either store: list with every filter (--stage, --owner,
# --source, --pipeline, --status; --min-value and --max-value rounded in
# each deal's currency toward the bound, JPY, EUR and KWD; the expected
# close; --stale against interactions logged at known times and moves
# --at; --filter over lead.* and contact fields), --fields (custom fields
# of the deal, computed names), --sort, --limit, every format and the
# exit statuses; convert (a customer once, recorded in the contact's
# history); the leads.* fields of the filter language in crm-segment and
# crm-contact list; every deal event on crm-log's timeline; merge, which
# repoints deals with their events, tags and fields; erase, which keeps
# deals for the figures and clears what is personal in them. Each figure
# is checked against the store's rows (sql) or computed from them by
# Python (exact fractions for money, datetime for days).
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

# ids CMD...: the first column of CMD's output without its header line,
# on one line.
ids() {
	"$@" | awk -F'\t' 'NR > 1 { printf "%s%s", s, $1; s = " " } END { print "" }'
}

# keep CMD...: runs CMD with its output in $T/res as well (a check's own
# output is $T/out).
keep() {
	"$@" > "$T/res"
	_rc=$?
	cat "$T/res"
	return $_rc
}

# lids QUERY: the ids an SQL query gives, on one line, as ids prints them.
lids() {
	sql "$1" | tr '\n' ' ' | sed 's/ $//'
}

# dump: the store's raw rows, for calc.py.
dump() {
	tsql "SELECT l.id, l.contact_id, l.title, l.value, l.currency, p.name, t.name, t.kind, t.probability, l.owner, l.source, l.expected_close, l.stage_at, l.closed_at, l.created_at, c.country, t.position, l.reason, l.campaign FROM leads l JOIN stages t ON t.id = l.stage_id JOIN pipelines p ON p.id = l.pipeline_id JOIN contacts c ON c.id = l.contact_id ORDER BY l.id" > "$T/d.deals"
	tsql "SELECT contact_id, at, type, direction, channel FROM interactions ORDER BY id" > "$T/d.ix"
	tsql "SELECT lead_id, tag FROM lead_tags" > "$T/d.ltags"
	tsql "SELECT lead_id, name, value FROM lead_fields" > "$T/d.lfields"
	tsql "SELECT contact_id, tag FROM contact_tags" > "$T/d.ctags"
	tsql "SELECT id FROM contacts WHERE erased_at IS NULL ORDER BY id" > "$T/d.contacts"
}

# calc MODE ARG...: what calc.py computes from the rows dump wrote.
calc() {
	dump && python3 "$T/calc.py" "$T" "$@"
}

cat > "$T/calc.py" << 'PY'
import functools, sys
from datetime import datetime, timedelta, timezone
from fractions import Fraction
import os

T, mode, args = sys.argv[1], sys.argv[2], sys.argv[3:]
DEC = {"EUR": 2, "USD": 2, "JPY": 0, "KWD": 3}   # ISO 4217 minor units
def t(s): return datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
NOW = t(os.environ["CRM_NOW"])
CUR = os.environ.get("CRM_CURRENCY") or "EUR"
def rows(f): return [l.rstrip("\n").split("\t") for l in open(T + "/" + f) if l.strip()]
K = ["id", "contact", "title", "value", "currency", "pipeline", "stage", "kind", "prob",
     "owner", "source", "close", "stage_at", "closed", "created", "country", "pos",
     "reason", "campaign"]
deals = []
for r in rows("d.deals"):
    d = dict(zip(K, r))
    for k in ("id", "contact", "value", "prob", "pos"):
        d[k] = int(d[k])
    deals.append(d)
ix = [(int(c), t(at), ty) for c, at, ty, _, _ in rows("d.ix")]
ixd = [(int(c), t(at), ty, dr, ch) for c, at, ty, dr, ch in rows("d.ix")]
ltags, lfields, ctags = {}, {}, {}
for l, g in rows("d.ltags"): ltags.setdefault(int(l), []).append(g)
for l, n, v in rows("d.lfields"): lfields[(int(l), n)] = v
for c, g in rows("d.ctags"): ctags.setdefault(int(c), set()).add(g)
contacts = [int(r[0]) for r in rows("d.contacts")]

def major(d): return Fraction(d["value"], 10 ** DEC[d["currency"]])
def fmt(v, cur):
    n = DEC[cur]
    return "%d.%0*d" % (v // 10 ** n, n, v % 10 ** n) if n else str(v)
def days(a, b): return int((b - a).total_seconds() // 86400)
def moment(d): return t(d["closed"]) if d["closed"] else NOW
def touches(d, ok=lambda dr, ch: True):
    m = moment(d)
    return sum(1 for c, at, ty, dr, ch in ixd if c == d["contact"] and ty != "task" and
               m - timedelta(days=90) <= at <= m and ok(dr, ch))
def first_touch(d):
    m = moment(d)
    f = [at for c, at, ty in ix if c == d["contact"] and ty != "task" and at <= m]
    return days(min(f), m) if f else ""
def out(ids): print(" ".join(str(d["id"]) for d in ids))

if mode in ("min", "max"):
    v = Fraction(args[0])
    out(d for d in deals if (major(d) >= v if mode == "min" else major(d) <= v))
elif mode == "stale":
    since = NOW - timedelta(days=int(args[0]))
    out(d for d in deals if d["kind"] == "open" and t(d["stage_at"]) < since and
        not any(c == d["contact"] and ty != "task" and at >= since for c, at, ty in ix))
elif mode == "filter":
    lo = lambda s: s.lower()
    P = {
        "nl1000": lambda d: major(d) >= 1000 and lo(d["country"]) == "nl",
        "over999": lambda d: major(d) > 999,
        "kwd": lambda d: Fraction(123, 100) < major(d) < Fraction(124, 100),
        "instage": lambda d: days(t(d["stage_at"]), NOW) > 30 and d["prob"] < 50,
        "touched": lambda d: touches(d) >= 1,
        "eveclose": lambda d: d["close"] != "" and d["close"] < "2027-01-01" and lo(d["owner"]) == "eve",
        "created": lambda d: t(d["created"]) >= datetime(2026, 10, 1, tzinfo=timezone.utc),
        "closed": lambda d: d["closed"] != "",
        "yen": lambda d: "yen" in lo(d["title"]),
        "vipopen": lambda d: d["kind"] == "open" and "vip" in ctags.get(d["contact"], ()),
        "pipecur": lambda d: lo(d["pipeline"]) == "partners" or d["currency"] == "JPY",
        "xl": lambda d: lfields.get((d["id"], "size"), "").lower() == "xl",
        "nosize": lambda d: lfields.get((d["id"], "size"), "") == "",
        "oldnotweb": lambda d: days(t(d["created"]), NOW) >= 100 and lo(d["source"]) != "web",
        "closesoon": lambda d: d["close"] != "" and d["close"] <= (NOW + timedelta(days=30)).strftime("%Y-%m-%d"),
        "firsttouch": lambda d: first_touch(d) != "" and first_touch(d) >= 20,
    }
    out(d for d in deals if P[args[0]](d))
elif mode == "sort":
    # SPEC: keys, -key descending; ascending NULLS FIRST, descending NULLS
    # LAST, ties by id; LIMIT optional
    col = {"value": lambda d: d["value"], "owner": lambda d: d["owner"] or None,
           "close": lambda d: d["close"] or None, "currency": lambda d: d["currency"],
           "id": lambda d: d["id"], "created": lambda d: d["created"],
           "age": lambda d: days(t(d["created"]), NOW)}
    keys = [(k.lstrip("-"), k.startswith("-")) for k in args[0].split(",")]
    def cmp(a, b):
        for k, desc in keys:
            x, y = col[k](a), col[k](b)
            if x == y: continue
            if x is None: return 1 if desc else -1
            if y is None: return -1 if desc else 1
            r = -1 if x < y else 1
            return -r if desc else r
        return a["id"] - b["id"]
    s = sorted(deals, key=functools.cmp_to_key(cmp))
    out(s[:int(args[1])] if len(args) > 1 else s)
elif mode == "computed":
    # id,value,lead.value,lead.age,lead.days_in_stage,leads.open,lead.touches_90d,
    # tag:vip,purchases.count,country,lead.field.size,lead.field.region,tags,
    # lead.first_touch_days,lead.touches_90d.in,lead.touches_90d.out,lead.touches_90d.phone
    print("\t".join(["id", "value", "lead.value", "lead.age", "lead.days_in_stage", "leads.open",
                     "lead.touches_90d", "tag:vip", "purchases.count", "country",
                     "lead.field.size", "lead.field.region", "tags", "lead.first_touch_days",
                     "lead.touches_90d.in", "lead.touches_90d.out", "lead.touches_90d.phone"]))
    for d in deals:
        c = d["contact"]
        print("\t".join(str(x) for x in [
            d["id"], fmt(d["value"], d["currency"]), fmt(d["value"], d["currency"]),
            days(t(d["created"]), NOW), days(t(d["stage_at"]), NOW),
            sum(1 for e in deals if e["contact"] == c and e["kind"] == "open"), touches(d),
            1 if "vip" in ctags.get(c, ()) else 0,
            sum(1 for k, at, ty in ix if k == c and ty == "purchase"), d["country"],
            lfields.get((d["id"], "size"), ""), lfields.get((d["id"], "region"), ""),
            ";".join(sorted(ltags.get(d["id"], []))), first_touch(d),
            touches(d, lambda dr, ch: dr == "in"), touches(d, lambda dr, ch: dr == "out"),
            touches(d, lambda dr, ch: ch == "phone")]))
elif mode == "contacts":
    # the leads.* fields of each contact, in the default currency
    print("\t".join(["id", "leads.open", "leads.won", "leads.lost", "leads.value_open",
                     "leads.last_won", "leads.stage"]))
    for c in contacts:
        mine = [d for d in deals if d["contact"] == c]
        op = [d for d in mine if d["kind"] == "open"]
        won = [d["closed"] for d in mine if d["kind"] == "won"]
        far = max(op, key=lambda d: (d["pos"], d["id"]))["stage"] if op else ""
        print("\t".join(str(x) for x in [
            c, len(op), len(won), sum(1 for d in mine if d["kind"] == "lost"),
            fmt(sum(d["value"] for d in op if d["currency"] == CUR), CUR),
            max(won) if won else "", far]))
PY

# timeline C: the deal rows of crm-log timeline C (source lead), sorted
timeline_deals() {
	crm-log timeline "$1" | awk -F'\t' '$2 == "lead"' | sort
}

# want_timeline C [SINCE]: the rows of contact C's deal events in
# lead_events, as the timeline writes them (subject "title: from -> to
# (detail)", amount in the deal's currency), sorted
want_timeline() {
	tsql "SELECT e.at, e.lead_id, e.kind, l.title, e.from_stage, e.to_stage, e.detail, e.who, l.value, l.currency FROM lead_events e JOIN leads l ON l.id = e.lead_id WHERE e.contact_id = $1 ORDER BY e.id" |
		python3 -c '
import sys
DEC = {"EUR": 2, "USD": 2, "JPY": 0, "KWD": 3}
since = sys.argv[1]
for l in sys.stdin:
    at, lead, kind, title, fr, to, detail, who, value, cur = l.rstrip("\n").split("\t")
    if since and at < since: continue
    s = title + (": %s -> %s" % (fr, to) if fr and to else ": " + to if to else "")
    s += " (%s)" % detail if detail else ""
    v, n = int(value), DEC[cur]
    amount = "%d.%0*d" % (v // 10 ** n, n, v % 10 ** n) if n else str(v)
    print("\t".join([at, "lead", lead, "", "", "deal " + kind, s, who, amount, cur]))
' "${2:-}" | sort
}

# ---- list: filters -------------------------------------------------------------

CRM_DB=$(store_at list)
setup crm-contact add --first-name Ada --email ada@example.org --country NL --tag vip
setup crm-contact add --first-name Bob --email bob@example.org --country DE
setup crm-contact add --first-name Cy --email cy@example.org --country nl --tag vip
setup crm-contact add --first-name Dee --email dee@example.org
setup crm-contact add --first-name Eve --email eve@example.org --country NL
setup crm-lead pipeline add partners
setup crm-lead stage add partners intro --probability 20%
setup crm-lead stage add partners signed --probability 100% --kind won
setup crm-lead stage add partners dropped --probability 0% --kind lost
# 1 Ada: EUR, proposal since 2026-10-01, Ada called 2026-11-28
setup CRM_NOW=2026-09-01T09:00:00Z crm-lead add --title '"Web shop"' --value 12000.50 --owner eve --source web --campaign spring --close 2027-01-31 --tag hot --set size=XL 1
setup crm-lead move --at 2026-10-01T09:00:00Z 1 proposal
# 2 Ada: JPY, new since 2026-11-20
setup CRM_NOW=2026-11-20T10:00:00Z crm-lead add --title '"Yen deal"' --value 1000 --currency JPY --owner ann --source referral --close 2026-12-15 1
# 3 Bob: 999.99 EUR, qualified since 2026-11-01, Bob mailed 2026-09-01
setup CRM_NOW=2026-10-15T08:00:00Z crm-lead add --title Exact --value 999.99 --owner eve --source web --close 2026-12-31 --set size=M 2
setup crm-lead move --at 2026-11-01T08:00:00Z 3 qualified
# 4 Bob: 1000.00 EUR, won 2026-11-10
setup CRM_NOW=2026-08-01T00:00:00Z crm-lead add --title Thousand --value 1000 --owner ann --source event --close 2026-11-30 2
setup crm-lead move --at 2026-11-10T15:00:00Z --reason signed 4 won
# 5 Cy: 999 JPY in partners since 2026-07-01; Cy has a task (no touch) and an old note
setup CRM_NOW=2026-07-01T00:00:00Z crm-lead add --title '"Small yen"' --value 999 --currency JPY --pipeline partners --owner bob --source web --close 2027-02-28 3
# 6 Cy: 1.234 KWD, dropped 2026-07-01
setup CRM_NOW=2026-06-01T00:00:00Z crm-lead add --title Kuwait --value 1.234 --currency KWD --pipeline partners --owner bob --source referral 3
setup crm-lead move --at 2026-07-01T00:00:00Z --reason '"no budget"' 6 dropped
# 7 Dee: USD, negotiation since 2026-11-30
setup CRM_NOW=2026-05-01T00:00:00Z crm-lead add --title Big --value 50000 --currency USD --owner eve --source referral --close 2027-03-15 --tag hot --tag big --set size=XL --set region=south 4
setup crm-lead move --at 2026-11-30T00:00:00Z 7 negotiation
# 8 Dee: 0 EUR, no owner, source or close date, new since 2026-10-01; Dee met 2026-11-02T12:00
setup CRM_NOW=2026-10-01T00:00:00Z crm-lead add --title '"Nothing, yet"' --value 0 4
setup crm-log add --type call --direction in --at 2026-11-28T10:00:00Z 1
setup crm-log add --amount 50 --at 2026-11-15T10:00:00Z 1
setup crm-log add --type email --direction out --at 2026-09-01T10:00:00Z 2
setup crm-log add --type task --due 2026-12-10 --at 2026-12-01T10:00:00Z 3
setup crm-log add --type note --at 2026-08-01T10:00:00Z 3
setup crm-log add --type meeting --at 2026-11-02T12:00:00Z 4

run "list: the default columns, by id" 0 'crm-lead list'
check "every deal, its columns the store's" '
	crm-lead list --no-header > got.txt
	tsql "SELECT l.id, c.email, l.title, l.value, l.currency, p.name, t.name, t.kind, t.probability, l.owner, l.expected_close, l.score FROM leads l JOIN contacts c ON c.id = l.contact_id JOIN stages t ON t.id = l.stage_id JOIN pipelines p ON p.id = l.pipeline_id ORDER BY l.id" |
		awk -F"\t" -v OFS="\t" "\$5 == \"KWD\" { \$4 = sprintf(\"%d.%03d\", int(\$4 / 1000), \$4 % 1000) } \$5 == \"EUR\" || \$5 == \"USD\" { \$4 = sprintf(\"%d.%02d\", int(\$4 / 100), \$4 % 100) } { print }" > want.txt
	cmp got.txt want.txt || { diff got.txt want.txt >&2; false; }'

run "--stage, in another case" 0 'crm-lead list --stage PROPOSAL'
check "the deals in a stage named so" \
	'is "$(ids crm-lead list --stage PROPOSAL)" "$(lids "SELECT l.id FROM leads l JOIN stages t ON t.id = l.stage_id WHERE lower(t.name) = \"proposal\" ORDER BY l.id")"'
run "--stage of another pipeline" 0 'crm-lead list --stage intro'
check "the deals in intro" \
	'is "$(ids crm-lead list --stage intro)" "$(lids "SELECT l.id FROM leads l JOIN stages t ON t.id = l.stage_id WHERE t.name = \"intro\" ORDER BY l.id")"'
for o in eve ann bob; do
	check "--owner $o" "is \"\$(ids crm-lead list --owner $o)\" \"\$(lids \"SELECT id FROM leads WHERE owner = \\\"$o\\\" ORDER BY id\")\""
done
for s in web referral event; do
	check "--source $s" "is \"\$(ids crm-lead list --source $s)\" \"\$(lids \"SELECT id FROM leads WHERE source = \\\"$s\\\" ORDER BY id\")\""
done
check "--pipeline partners" \
	'is "$(ids crm-lead list --pipeline partners)" "$(lids "SELECT l.id FROM leads l JOIN pipelines p ON p.id = l.pipeline_id WHERE p.name = \"partners\" ORDER BY l.id")"'
check "--pipeline default, in another case" \
	'is "$(ids crm-lead list --pipeline Default)" "$(lids "SELECT l.id FROM leads l JOIN pipelines p ON p.id = l.pipeline_id WHERE p.name = \"default\" ORDER BY l.id")"'
for k in open won lost; do
	check "--status $k: by the kind of the stage" \
		"is \"\$(ids crm-lead list --status $k)\" \"\$(lids \"SELECT l.id FROM leads l JOIN stages t ON t.id = l.stage_id WHERE t.kind = \\\"$k\\\" ORDER BY l.id\")\""
done
check "--status closed: won and lost" \
	'is "$(ids crm-lead list --status closed)" "$(lids "SELECT l.id FROM leads l JOIN stages t ON t.id = l.stage_id WHERE t.kind <> \"open\" ORDER BY l.id")"'
run "--status of no kind" 64 'crm-lead list --status maybe'
err_has '--status: "maybe" is not open, won, lost or closed'
check "filters combine: --owner eve --status open --source web" \
	'is "$(ids crm-lead list --owner eve --status open --source web)" "$(lids "SELECT l.id FROM leads l JOIN stages t ON t.id = l.stage_id WHERE l.owner = \"eve\" AND t.kind = \"open\" AND l.source = \"web\" ORDER BY l.id")"'

# money: v major units of each deal's own currency, compared exactly
for v in 999 999.99 999.995 1000 1000.004 999.5 999.999 1.234 1.233 0 12000.5; do
	check "--min-value $v: exactly at least v in each currency" \
		"is \"\$(ids crm-lead list --min-value $v)\" \"\$(calc min $v)\""
	check "--max-value $v: exactly at most v in each currency" \
		"is \"\$(ids crm-lead list --max-value $v)\" \"\$(calc max $v)\""
done
check "the bounds by hand: 999.99 takes 1000 JPY and 999.99 EUR, not 999 JPY" \
	'is "$(ids crm-lead list --min-value 999.99 --max-value 1000)" "2 3 4"'
check "999.995 is 1000 JPY and 1000.00 EUR up, 999 JPY and 999.99 EUR down" \
	'is "$(ids crm-lead list --min-value 999.995)" "1 2 4 7" && is "$(ids crm-lead list --max-value 999.995)" "3 5 6 8"'
check "both bounds: between 999.5 and 1000.004" \
	'is "$(ids crm-lead list --min-value 999.5 --max-value 1000.004)" "$(calc min 999.5 > a; calc max 1000.004 > b; python3 -c "import sys; a, b = (set(open(f).read().split()) for f in sys.argv[1:]); print(\" \".join(sorted(a & b, key=int)))" a b)"'
run "--min-value with 4 decimals" 64 'crm-lead list --min-value 1.2345'
err_has '--min-value: invalid value "1.2345" (a number, at most 3 decimals)'
run "--max-value that is no number" 64 'crm-lead list --max-value lots'
err_has '--max-value: invalid value "lots"'

check "--closing-before: expected close before the day" \
	'is "$(ids crm-lead list --closing-before 2026-12-31)" "$(lids "SELECT id FROM leads WHERE expected_close < \"2026-12-31\" ORDER BY id")"'
check "--closing-after: expected close after the day" \
	'is "$(ids crm-lead list --closing-after 2027-01-31)" "$(lids "SELECT id FROM leads WHERE expected_close > \"2027-01-31\" ORDER BY id")"'
check "--closing-before +30d: a relative date (2027-01-03)" \
	'is "$(ids crm-lead list --closing-before +30d)" "$(lids "SELECT id FROM leads WHERE expected_close < \"2027-01-03\" ORDER BY id")"'
check "--closing-after and --closing-before: a window; no close date is in none" \
	'is "$(ids crm-lead list --closing-after 2026-12-01 --closing-before 2027-03-01)" "$(lids "SELECT id FROM leads WHERE expected_close > \"2026-12-01\" AND expected_close < \"2027-03-01\" ORDER BY id")"'
run "--closing-before that is no date" 64 'crm-lead list --closing-before someday'
err_has '--closing-before: invalid date "someday"'

# stale: open, no stage change and no interaction (tasks aside) for N days
for n in 1 3 20 30 32 33 40 100 125 126; do
	check "--stale $n: as computed from the stage times and the interactions" \
		"is \"\$(ids crm-lead list --stale $n)\" \"\$(calc stale $n)\""
done
check "--stale 30 by hand: Bob's qualified deal, Cy's (a task is no touch) and Dee's empty one" \
	'is "$(ids crm-lead list --stale 30)" "3 5 8"'
check "--stale 32: Dee's meeting exactly 32 days ago is a touch" \
	'is "$(ids crm-lead list --stale 32)" "3 5"'
check "--stale 40: Bob's stage changed 33 days ago, Dee met 32 days ago" \
	'is "$(ids crm-lead list --stale 40)" "5"'
run "--stale 3: a move --at now takes a deal out" 0 '
	crm-lead list --stale 3 > before.txt
	crm-lead move --at 2026-12-04T11:00:00Z 8 qualified && keep crm-lead list --stale 3'
check "deal 8 was stale for 3 days, and is no more" \
	'grep -q "^8	" before.txt && ! grep -q "^8	" res && is "$(ids crm-lead list --stale 3)" "$(calc stale 3)"'
run "--stale 3: an interaction logged now takes the contact's deals out" 0 '
	crm-log add --type note --at 2026-12-04T10:00:00Z 3 > /dev/null && keep crm-lead list --stale 3'
check "Cy's deal 5 is stale no more" \
	'! grep -q "^5	" res && is "$(ids crm-lead list --stale 3)" "$(calc stale 3)"'
run "--stale: no stale deal left is 1" 1 'crm-lead list --stale 3 --owner bob'
out_lines 1
for n in 0 -1 x 36501; do
	run "--stale $n" 64 "crm-lead list --stale '$n'"
	err_has "--stale takes a number of days (1-36500)"
done

# --filter: lead.* and the contact's fields together
for f in \
	'nl1000|lead.value >= 1000 and country = "NL"' \
	'kwd|lead.value > 1.23 and lead.value < 1.24' \
	'instage|lead.days_in_stage > 30 and lead.probability < 50' \
	'touched|lead.touches_90d >= 1' \
	'eveclose|lead.expected_close < 2027-01-01 and lead.owner = "EVE"' \
	'created|lead.created >= 2026-10-01' \
	'closed|lead.closed is not null' \
	'yen|lead.title ~ "*yen*"' \
	'vipopen|lead.status = "open" and tag:vip' \
	'pipecur|lead.pipeline = "partners" or lead.currency in ("JPY")' \
	'xl|lead.field.size = "XL"' \
	'nosize|lead.field.size is null' \
	'oldnotweb|lead.age >= 100 and lead.source != "web"' \
	'closesoon|lead.expected_close <= +30d' \
	'firsttouch|lead.first_touch_days >= 20'; do
	k=${f%%|*} e=${f#*|}
	check "--filter '$e'" "is \"\$(ids crm-lead list --filter '$e')\" \"\$(calc filter $k)\""
done
check "--filter with CRM_CURRENCY=JPY: lead.value in yen, a EUR deal scaled exactly (999.99 > 999)" \
	'export CRM_CURRENCY=JPY; is "$(ids crm-lead list --filter "lead.value > 999")" "$(calc filter over999)"'
check "--filter by hand: Ada's EUR 12000.50 and JPY 1000 deals are at least 1000" \
	'is "$(ids crm-lead list --filter "lead.value >= 1000 and country = \"NL\"")" "1 2"'
run "--filter: a JPY amount with decimals" 64 'CRM_CURRENCY=JPY crm-lead list --filter "lead.value > 1.5"'
err_has "JPY"
run "--filter: an unknown field" 64 'crm-lead list --filter "lead.nosuch = 1"'
err_has 'crm-lead: list: --filter: 1:1: unknown field "lead.nosuch"'
run "--filter: a bare word" 64 'crm-lead list --filter "lead.owner = eve"'
err_has "--filter"
run "--filter that holds for no deal" 1 'crm-lead list --filter "lead.value > 1000000"'
out_lines 1

# ---- list: fields, sort, limit, formats ----------------------------------------

run "--fields: the deal's own columns" 0 \
	'crm-lead list --fields id,contact_id,email,title,currency,key,converted,stage_at,created,closed,reason,campaign,probability,status,pipeline,stage,owner,source,expected_close,points,score'
out_has "$(printf 'id\tcontact_id\temail\ttitle\tcurrency\tkey\tconverted\tstage_at')"
check "as stored" '
	crm-lead list --no-header --fields id,contact_id,email,title,currency,key,converted,stage_at,created,closed,reason,campaign,probability,status,pipeline,stage,owner,source,expected_close,points,score > got.txt
	tsql "SELECT l.id, l.contact_id, c.email, l.title, l.currency, l.ext_key, l.converted_at, l.stage_at, l.created_at, l.closed_at, l.reason, l.campaign, t.probability, t.kind, p.name, t.name, l.owner, l.source, l.expected_close, l.points, l.score FROM leads l JOIN contacts c ON c.id = l.contact_id JOIN stages t ON t.id = l.stage_id JOIN pipelines p ON p.id = l.pipeline_id ORDER BY l.id" > want.txt
	cmp got.txt want.txt || { diff got.txt want.txt >&2; false; }'
run "--fields: custom fields of the deal and computed names" 0 \
	'keep crm-lead list --fields id,value,lead.value,lead.age,lead.days_in_stage,leads.open,lead.touches_90d,tag:vip,purchases.count,country,lead.field.size,lead.field.region,tags,lead.first_touch_days,lead.touches_90d.in,lead.touches_90d.out,lead.touches_90d.phone'
check "each as computed from the rows" '
	calc computed > want.txt && cmp res want.txt || { diff res want.txt >&2; false; }'
check "lead.value prints in the deal's currency: 1.234 KWD, 1000 JPY" \
	'crm-lead list --fields id,lead.value --filter "lead.id in (2, 6)" > got.txt && is "$(cat got.txt)" "$(printf "id\tlead.value\n2\t1000\n6\t1.234")"'
run "--fields: an unknown field" 64 'crm-lead list --fields id,nosuch'
err_has 'crm-lead: list: --fields: unknown field "nosuch"'
run "--fields: a custom field name that is no name" 64 'crm-lead list --fields id,lead.field.Size'
err_has 'invalid custom field name "Size"'
run "--fields: a deal field outside crm-lead is unknown to crm-contact" 64 'crm-contact list --fields id,lead.value'

for s in -value owner,-close currency,-id created id,-value -owner,close; do
	f=$(printf '%s' "$s" | sed 's/close/expected_close/')
	check "--sort $f: as sorted by Python, nulls first ascending, last descending" \
		"is \"\$(ids crm-lead list --sort $f)\" \"\$(calc sort $s)\""
done
check "--sort a computed column the listing shows" \
	'is "$(ids crm-lead list --fields id,lead.age --sort -lead.age)" "$(calc sort -age)"'
for n in 1 3 8 20; do
	check "--sort -value --limit $n" "is \"\$(ids crm-lead list --sort -value --limit $n)\" \"\$(calc sort -value $n)\""
done
check "--limit without --sort: the lowest ids" \
	'is "$(ids crm-lead list --limit 2)" "1 2"'
run "--sort: an unknown column" 64 'crm-lead list --sort nosuch'
err_has '--sort: "nosuch" is neither a column of the listing nor of a deal'
run "--sort: a computed name not listed" 64 'crm-lead list --sort lead.age'
err_has '(add it to --fields)'
for n in 0 -2 x; do
	run "--limit $n" 64 "crm-lead list --limit '$n'"
	err_has "--limit takes a whole number from 1"
done
run "an unknown option" 64 'crm-lead list --bogus'
err_has "unknown option --bogus"
run "no deal of that owner: the header, exit 1" 1 'crm-lead list --owner nobody'
out_is "$(printf 'id\tcontact\ttitle\tvalue\tcurrency\tpipeline\tstage\tstatus\tprobability\towner\texpected_close\tscore')"
err_empty

F=id,title,value,currency,owner,expected_close,score,lead.field.size,leads.open
run "--format tsv (the default off a terminal)" 0 "crm-lead --format tsv list --fields $F > tsv.txt && keep crm-lead list --fields $F"
check "the same as without --format" 'cmp res tsv.txt'
run "--format csv" 0 "keep crm-lead --format csv list --fields $F"
check "csv parses to the tsv's cells (a title with a comma quoted)" '
	python3 -c "
import csv, sys
c = list(csv.reader(open(\"res\", newline=\"\")))
t = [l.rstrip(\"\n\").split(\"\t\") for l in open(\"tsv.txt\")]
assert c == t, (c, t)
assert any(r[1] == \"Nothing, yet\" for r in c)
" && grep -q "\"Nothing, yet\"" res'
run "--format jsonl" 0 "keep crm-lead --format jsonl list --fields $F"
check "jsonl: one object a deal, keys in order, numbers as numbers, null for empty" '
	python3 -c "
import json, sys
t = [l.rstrip(\"\n\").split(\"\t\") for l in open(\"tsv.txt\")]
head, body = t[0], t[1:]
objs = [json.loads(l, object_pairs_hook=list, parse_float=lambda s: (\"num\", s), parse_int=lambda s: (\"num\", s)) for l in open(\"res\")]
assert len(objs) == len(body), (len(objs), len(body))
for o, r in zip(objs, body):
    assert [k for k, v in o] == head, o
    for (k, v), cell in zip(o, r):
        if v is None: assert cell == \"\", (k, cell)
        elif isinstance(v, tuple): assert v[1] == cell and k in (\"id\", \"value\", \"score\", \"leads.open\"), (k, v, cell)
        else: assert isinstance(v, str) and v == cell and k not in (\"id\", \"value\", \"leads.open\"), (k, v, cell)
"'
run "--format table" 0 "keep crm-lead --format table list --fields $F"
check "table: a header and a line a deal, aligned" '
	is "$(wc -l < res | tr -d " ")" "$(wc -l < tsv.txt | tr -d " ")" &&
	head -1 res | grep -q "^id  *title  *value  *currency  *owner  *expected_close  *score  *lead.field.size  *leads.open" &&
	is "$(awk "NR > 1 { print \$1 }" res | tr "\n" " ")" "$(ids crm-lead list) "'
run "--no-header" 0 'keep crm-lead --no-header list --owner ann'
check "only the rows" 'is "$(cut -f1 res | tr "\n" " ")" "$(lids "SELECT id FROM leads WHERE owner = \"ann\" ORDER BY id") "'
run "a bad --format" 64 'crm-lead --format xml list'

# ---- leads.* in the filter language (crm-segment, crm-contact) -----------------

n_open="(SELECT count(*) FROM leads l JOIN stages t ON t.id = l.stage_id WHERE l.contact_id = c.id AND t.kind = 'open')"
n_won="(SELECT count(*) FROM leads l JOIN stages t ON t.id = l.stage_id WHERE l.contact_id = c.id AND t.kind = 'won')"
n_lost="(SELECT count(*) FROM leads l JOIN stages t ON t.id = l.stage_id WHERE l.contact_id = c.id AND t.kind = 'lost')"
n_buys="(SELECT count(*) FROM interactions i WHERE i.contact_id = c.id AND i.type = 'purchase')"
# value_open CUR: the contact's open value in CUR's minor units
value_open() {
	printf "(SELECT coalesce(sum(l.value), 0) FROM leads l JOIN stages t ON t.id = l.stage_id WHERE l.contact_id = c.id AND t.kind = 'open' AND l.currency = '%s')" "$1"
}
last_won="(SELECT max(l.closed_at) FROM leads l JOIN stages t ON t.id = l.stage_id WHERE l.contact_id = c.id AND t.kind = 'won')"
# furthest: the name of the contact's open stage furthest in its pipeline
furthest="(SELECT t.name FROM leads l JOIN stages t ON t.id = l.stage_id WHERE l.contact_id = c.id AND t.kind = 'open' ORDER BY t.position DESC, l.id DESC LIMIT 1)"
# cids WHERE: the contacts (not erased) for which WHERE holds, from SQL
cids() {
	lids "SELECT c.id FROM contacts c WHERE c.erased_at IS NULL AND ($1) ORDER BY c.id"
}
# segment EXPR WHERE: crm-segment run and count EXPR agree with SQL's WHERE
segment() {
	is "$(ids crm-segment run "$1")" "$(cids "$2")" &&
		is "$(crm-segment count "$1")" "$(sql "SELECT count(*) FROM contacts c WHERE c.erased_at IS NULL AND ($2)")"
}

check "leads.open > 0 and purchases.count = 0: the mailing of the manual" \
	'segment "leads.open > 0 and purchases.count = 0" "$n_open > 0 AND $n_buys = 0"'
check "by hand: Bob, Cy and Dee have an open deal and bought nothing" \
	'is "$(ids crm-segment run "leads.open > 0 and purchases.count = 0")" "2 3 4"'
check "leads.open = 0: a contact without deals is 0, not missing" 'segment "leads.open = 0" "$n_open = 0"'
check "leads.open >= 2" 'segment "leads.open >= 2" "$n_open >= 2"'
check "leads.won >= 1" 'segment "leads.won >= 1" "$n_won >= 1"'
check "leads.lost = 1 and leads.open = 1" 'segment "leads.lost = 1 and leads.open = 1" "$n_lost = 1 AND $n_open = 1"'
check "leads.value_open > 999.99: EUR only (Bob's 999.99 is not more)" \
	'segment "leads.value_open > 999.99" "$(value_open EUR) > 99999"'
check "leads.value_open >= 999.99" 'segment "leads.value_open >= 999.99" "$(value_open EUR) >= 99999"'
check "leads.value_open in JPY: CRM_CURRENCY=JPY, the yen deals only" \
	'export CRM_CURRENCY=JPY; segment "leads.value_open >= 1000" "$(value_open JPY) >= 1000" && segment "leads.value_open > 0" "$(value_open JPY) > 0"'
check "leads.value_open in USD" 'export CRM_CURRENCY=USD; segment "leads.value_open = 50000" "$(value_open USD) = 5000000"'
check "leads.last_won >= 2026-11-10: from the start of that day" \
	'segment "leads.last_won >= 2026-11-10" "$last_won >= \"2026-11-10T00:00:00Z\""'
check "leads.last_won > 2026-11-10T15:00:00Z: none" \
	'is "$(crm-segment count "leads.last_won > 2026-11-10T15:00:00Z")" 0'
check "leads.last_won is null" 'segment "leads.last_won is null" "$last_won IS NULL"'
check "leads.stage = \"proposal\": the furthest open stage" 'segment "leads.stage = \"proposal\"" "$furthest = \"proposal\""'
check "leads.stage in (\"negotiation\", \"intro\")" \
	'segment "leads.stage in (\"negotiation\", \"intro\")" "$furthest IN (\"negotiation\", \"intro\")"'
check "leads.stage is null: no open deal" 'segment "leads.stage is null" "$furthest IS NULL"'
check "leads.* and contact fields: crm-contact list --filter" '
	is "$(ids crm-contact list --filter "leads.open >= 1 and country = \"NL\"")" "$(cids "$n_open >= 1 AND lower(c.country) = \"nl\"")" &&
	is "$(ids crm-contact list --filter "leads.won = 0 and leads.lost = 0")" "$(cids "$n_won = 0 AND $n_lost = 0")"'
run "crm-contact list --fields leads.*" 0 \
	'keep crm-contact list --fields id,leads.open,leads.won,leads.lost,leads.value_open,leads.last_won,leads.stage'
check "each contact's figures, computed from the deals" 'calc contacts > want.txt && cmp res want.txt || { diff res want.txt >&2; false; }'
run "crm-segment run --fields leads.* in JPY" 0 \
	'CRM_CURRENCY=JPY crm-segment run --fields leads.value_open,leads.stage "id > 0" | cut -f1,6,7 | tee res'
check "the same figures" 'export CRM_CURRENCY=JPY; calc contacts | cut -f1,5,7 > want.txt && cmp res want.txt || { diff res want.txt >&2; false; }'
run "crm-segment: the deal's own fields are crm-lead's only" 64 'crm-segment count "lead.value > 1"'
err_has "lead.value is a field of a deal"
run "crm-segment run: leads.* finding nobody is 1" 1 'crm-segment run "leads.won > 5"'

# ---- convert --------------------------------------------------------------------

check "Bob is a lead before" 'is "$(sql "SELECT status FROM contacts WHERE id = 2")" lead'
run "convert: the deal's contact becomes a customer" 0 'CRM_NOW=2026-12-04T13:00:00Z crm-lead convert 4'
err_empty
check "status customer, converted_at set, one converted event" '
	is "$(sql "SELECT status FROM contacts WHERE id = 2")" customer &&
	is "$(sql "SELECT converted_at, updated_at FROM leads WHERE id = 4")" "2026-12-04T13:00:00Z|2026-12-04T13:00:00Z" &&
	is "$(sql "SELECT at, kind, coalesce(from_stage, \"-\"), coalesce(to_stage, \"-\"), who, detail FROM lead_events WHERE lead_id = 4 AND kind = \"converted\"")" \
	   "2026-12-04T13:00:00Z|converted|-|-|tester|now a customer"'
check "one history row of the contact: status lead -> customer" \
	'is "$(sql "SELECT at, who, action, field, old_value, new_value FROM history WHERE entity = \"contact\" AND entity_id = 2 AND field = \"status\"")" \
	    "2026-12-04T13:00:00Z|tester|update|status|lead|customer"'
run "crm-contact history shows it" 0 'keep crm-contact history 2'
check "history prints the store's rows of the contact" '
	tail -n +2 res | cut -f1-8 > got.txt
	tsql "SELECT id, at, who, entity_id, action, field, old_value, new_value FROM history WHERE entity = \"contact\" AND entity_id = 2 ORDER BY id" > want.txt
	cmp got.txt want.txt && grep -q "	update	status	lead	customer" res'
run "convert the same deal again" 65 'crm-lead convert 4'
err_is 'crm-lead: convert: deal 4 was converted at 2026-12-04T13:00:00Z: nothing done'
check "nothing written: one converted event, one status row, converted_at kept" '
	is "$(sql "SELECT count(*) FROM lead_events WHERE kind = \"converted\"")" 1 &&
	is "$(sql "SELECT count(*) FROM history WHERE entity = \"contact\" AND field = \"status\"")" 1 &&
	is "$(sql "SELECT converted_at FROM leads WHERE id = 4")" 2026-12-04T13:00:00Z'
run "convert another deal of a customer: the deal converted, the contact as it was" 0 'crm-lead convert 3'
check "deal 3 converted, \"a customer already\", no new history row of the contact" '
	is "$(sql "SELECT converted_at FROM leads WHERE id = 3")" 2026-12-04T12:00:00Z &&
	is "$(sql "SELECT detail FROM lead_events WHERE lead_id = 3 AND kind = \"converted\"")" "a customer already" &&
	is "$(sql "SELECT count(*) FROM history WHERE entity = \"contact\" AND entity_id = 2 AND field = \"status\"")" 1'
run "convert: an open deal of a lead" 0 'crm-lead convert 7'
check "Dee a customer too; list --fields converted shows the converted deals" '
	is "$(sql "SELECT status FROM contacts WHERE id = 4")" customer &&
	is "$(ids crm-lead list --fields id,converted --sort converted)" "1 2 5 6 8 3 7 4" &&
	is "$(ids crm-lead list --fields id,converted --sort converted)" "$(lids "SELECT id FROM leads ORDER BY converted_at IS NOT NULL, converted_at, id")" &&
	is "$(ids crm-lead list --fields id,converted --sort -converted)" "$(lids "SELECT id FROM leads ORDER BY converted_at IS NULL, converted_at DESC, id")"'
run "convert: an unknown deal" 1 'crm-lead convert 999'
err_is "crm-lead: convert: no deal 999"
run "convert: no number" 64 'crm-lead convert abc'
err_is 'crm-lead: convert: invalid deal id "abc"'
run "convert: no deal" 64 'crm-lead convert'

# ---- the timeline ------------------------------------------------------------------

for c in 1 2 3 4; do
	check "timeline of contact $c: every one of its deal events, as lead_events holds them" \
		"timeline_deals $c > got.txt && want_timeline $c > want.txt && [ -s want.txt ] && cmp got.txt want.txt || { diff got.txt want.txt >&2; false; }"
done
check "timeline of a contact without deals: none" 'is "$(timeline_deals 5)" ""'

CRM_DB=$(store_at story)
setup crm-contact add --first-name Ada --email ada@example.org
setup crm-contact add --first-name Bob --email bob@example.org
setup CRM_NOW=2026-11-01T09:00:00Z crm-lead add --title Shop --value 120.50 --owner eve 1
setup CRM_NOW=2026-11-02T09:00:00Z crm-lead edit --value 200 --tag x 1
setup crm-lead move --at 2026-11-03T09:00:00Z 1 qualified
setup crm-log add --type call --subject hello --at 2026-11-04T09:00:00Z 1
setup crm-lead move --at 2026-11-05T09:00:00Z --reason '"best offer"' 1 won
setup CRM_NOW=2026-11-06T09:00:00Z crm-lead convert 1
setup crm-lead move --reopen --at 2026-11-07T09:00:00Z 1 negotiation
setup crm-lead move --at 2026-11-08T09:00:00Z --reason '"went quiet"' 1 lost
setup crm-lead move --reopen --at 2026-11-09T09:00:00Z --reason '"came back"' 1 won
setup CRM_NOW=2026-11-01T10:00:00Z crm-lead add --title Upfront --value 7000 --currency JPY --stage won --reason paid 1
setup CRM_NOW=2026-11-03T10:00:00Z crm-lead add --title Other --value 5 2
setup crm-lead move --at 2026-11-04T10:00:00Z 3 proposal

run "timeline: the contact's deal events with its interactions, newest first" 0 'keep crm-log timeline 1'
check "every event of lead_events, none of another contact's" '
	awk -F"\t" "\$2 == \"lead\"" res | sort > got.txt && want_timeline 1 > want.txt && cmp got.txt want.txt || { diff got.txt want.txt >&2; false; }'
check "created, edited, moved, won, converted, reopened, lost: every kind, 10 events" '
	is "$(awk -F"\t" "\$2 == \"lead\" { print \$6 }" res | sort | uniq -c | awk "{ print \$2 \" \" \$3 \":\" \$1 }" | tr "\n" " ")" \
	   "deal converted:1 deal created:2 deal edited:1 deal moved:4 deal reopened:2 " &&
	is "$(sql "SELECT count(*) FROM lead_events WHERE contact_id = 1")" 10'
check "newest first, ties by id the higher first; the call among them" '
	awk -F"\t" "NR > 1 { print \$1 \"\t\" \$3 }" res > keys.txt && sort -r keys.txt | cmp - keys.txt &&
	is "$(awk -F"\t" "\$2 == \"interaction\" { print NR - 1 }" res)" 6'
check "the subjects by hand: a move, a win with its reason, a reopening" '
	grep -q "	deal moved	Shop: new -> qualified	tester	200.00	EUR	*$" res &&
	grep -q "	deal moved	Shop: qualified -> won (best offer)	" res &&
	grep -q "	deal reopened	Shop: lost -> won (came back)	" res &&
	grep -q "	deal converted	Shop (now a customer)	" res &&
	grep -q "	deal edited	Shop (value, tags or fields)	" res &&
	grep -q "	deal moved	Upfront: won (paid)	tester	7000	JPY" res'
run "timeline --since: only the events from then" 0 'keep crm-log timeline --since 2026-11-05 1'
check "as lead_events holds them from that day" '
	awk -F"\t" "\$2 == \"lead\"" res | sort > got.txt && want_timeline 1 2026-11-05T00:00:00Z > want.txt && cmp got.txt want.txt'
run "timeline --limit 2: the newest two" 0 'keep crm-log timeline --limit 2 1'
check "the two latest events" \
	'is "$(tail -n +2 res | cut -f1,6 | tr "\n" " ")" "2026-11-09T09:00:00Z	deal reopened 2026-11-08T09:00:00Z	deal moved "'
run "timeline of the other contact: its own deal only" 0 'keep crm-log timeline 2'
check "as lead_events holds them" 'awk -F"\t" "\$2 == \"lead\"" res | sort > got.txt && want_timeline 2 > want.txt && cmp got.txt want.txt'

# ---- merge -----------------------------------------------------------------------

CRM_DB=$(store_at merge)
setup crm-contact add --first-name Keep --email keep@example.org
setup crm-contact add --first-name Other --email other@example.org
setup crm-contact add --first-name By --email by@example.org
setup CRM_NOW=2026-11-01T09:00:00Z crm-lead add --title K1 --value 100 --tag k --set f=1 1
setup CRM_NOW=2026-11-02T09:00:00Z crm-lead add --title O1 --value 200 --tag o --tag p --set g=2 2
setup crm-lead move --at 2026-11-03T09:00:00Z --reason yes 2 won
setup CRM_NOW=2026-11-04T09:00:00Z crm-lead add --title O2 --value 300 --currency USD 2
setup CRM_NOW=2026-11-05T09:00:00Z crm-lead edit --owner ann --set h=3 3
setup crm-lead move --at 2026-11-06T09:00:00Z 3 proposal
setup CRM_NOW=2026-11-07T09:00:00Z crm-lead add --title B1 --value 9 --tag b 3

# counts CONTACT: its rows in leads, lead_events, lead_tags, lead_fields
counts() {
	sql "SELECT (SELECT count(*) FROM leads WHERE contact_id = $1), (SELECT count(*) FROM lead_events WHERE contact_id = $1), (SELECT count(*) FROM lead_tags WHERE contact_id = $1), (SELECT count(*) FROM lead_fields WHERE contact_id = $1)"
}
k0=$(counts 1) o0=$(counts 2) b0=$(counts 3)
tsql "SELECT id, title, value, currency, stage_id, stage_at, closed_at, reason, created_at FROM leads ORDER BY id" > "$T/m.leads0"
tsql "SELECT id, lead_id, at, kind, from_stage, to_stage, who, detail FROM lead_events ORDER BY id" > "$T/m.events0"
tsql "SELECT lead_id, tag FROM lead_tags ORDER BY lead_id, tag" > "$T/m.tags0"
tsql "SELECT lead_id, name, value FROM lead_fields ORDER BY lead_id, name" > "$T/m.fields0"
ev_other=$(lids "SELECT id FROM lead_events WHERE contact_id IN (1, 2) ORDER BY id")
check "before: keep 1 deal, other 2 deals with their events, tags and fields" \
	'is "$k0" "1|1|1|1" && is "$o0" "2|5|2|2" && is "$b0" "1|1|1|0"'

run "merge KEEP OTHER" 0 'crm-contact merge 1 2'
check "after: keep has the rows of both, other none, the bystander its own" '
	is "$(counts 1)" "$(echo "$k0 $o0" | awk -F"[| ]" "{ print \$1 + \$5 \"|\" \$2 + \$6 \"|\" \$3 + \$7 \"|\" \$4 + \$8 }")" &&
	is "$(counts 2)" "0|0|0|0" && is "$(counts 3)" "$b0"'
check "the same deals, events, tags and fields, only their contact changed" '
	tsql "SELECT id, title, value, currency, stage_id, stage_at, closed_at, reason, created_at FROM leads ORDER BY id" | cmp - m.leads0 &&
	tsql "SELECT id, lead_id, at, kind, from_stage, to_stage, who, detail FROM lead_events ORDER BY id" | cmp - m.events0 &&
	tsql "SELECT lead_id, tag FROM lead_tags ORDER BY lead_id, tag" | cmp - m.tags0 &&
	tsql "SELECT lead_id, name, value FROM lead_fields ORDER BY lead_id, name" | cmp - m.fields0 &&
	is "$(lids "SELECT id FROM lead_events WHERE contact_id = 1 ORDER BY id")" "$ev_other" &&
	is "$(sql "SELECT count(*) FROM lead_events e JOIN leads l ON l.id = e.lead_id WHERE e.contact_id <> l.contact_id") $(sql "SELECT count(*) FROM lead_tags g JOIN leads l ON l.id = g.lead_id WHERE g.contact_id <> l.contact_id") $(sql "SELECT count(*) FROM lead_fields f JOIN leads l ON l.id = f.lead_id WHERE f.contact_id <> l.contact_id")" "0 0 0"'
check "crm-lead list: the deals of other are keep's, with their tags and fields" '
	is "$(crm-lead list --no-header --fields id,contact_id,email,tags,lead.field.f,lead.field.g,lead.field.h | tr "\t" "," | tr "\n" " ")" \
	   "1,1,keep@example.org,k,1,, 2,1,keep@example.org,o;p,,2, 3,1,keep@example.org,,,,3 4,3,by@example.org,b,,, "'
check "crm-lead show names keep as the contact" \
	'crm-lead show 2 > s.txt && grep -q "^contact	keep@example.org (1)$" s.txt'
check "keep's timeline has other's deal events" \
	'timeline_deals 1 > got.txt && want_timeline 1 > want.txt && cmp got.txt want.txt && is "$(wc -l < got.txt | tr -d " ")" 6'
check "leads.* of keep count other's deals" '
	is "$(crm-contact list --fields id,leads.open,leads.won --no-header --filter "id = 1")" "$(printf "1\t2\t1")" &&
	is "$(ids crm-segment run "leads.won = 1 and leads.open = 2")" 1'
check "crm-lead list --filter over keep's fields finds other's deals" \
	'is "$(ids crm-lead list --filter "email = \"keep@example.org\"")" "1 2 3"'

# ---- erase ------------------------------------------------------------------------

CRM_DB=$(store_at erase)
setup crm-contact add --first-name Ada --email ada@example.org
setup crm-contact add --first-name Bob --email bob@example.org
setup CRM_NOW=2026-11-01T09:00:00Z crm-lead add --title '"Ada private"' --value 100 --owner eve --source web --key k-1 --tag t1 --set note=secret 1
setup CRM_NOW=2026-11-02T09:00:00Z crm-lead edit --title '"Ada still private"' 1
setup crm-lead move --at 2026-11-03T09:00:00Z --reason '"her husband agreed"' 1 won
setup CRM_NOW=2026-11-03T10:00:00Z crm-lead convert 1
setup CRM_NOW=2026-11-04T09:00:00Z crm-lead add --title '"Ada two"' --value 5 --currency JPY --key k-2 --close 2027-01-01 1
setup crm-lead move --at 2026-11-05T09:00:00Z --reason '"moved away"' 2 lost
setup crm-lead move --reopen --at 2026-11-06T09:00:00Z 2 proposal
setup CRM_NOW=2026-11-04T09:00:00Z crm-lead add --title '"Bob deal"' --value 7 --key k-3 --tag t2 --set note=bob 2
setup crm-lead move --at 2026-11-05T09:00:00Z --reason '"bob reason"' 3 lost

# what erase keeps: every column but the personal ones
KEEP_LEADS="id, contact_id, value, currency, pipeline_id, stage_id, owner, source, campaign, expected_close, stage_at, closed_at, score, points, converted_at, created_at, updated_at"
KEEP_EVENTS="id, lead_id, contact_id, at, kind, from_stage, to_stage, who"
tsql "SELECT $KEEP_LEADS FROM leads ORDER BY id" > "$T/e.leads0"
tsql "SELECT $KEEP_EVENTS FROM lead_events ORDER BY id" > "$T/e.events0"
tsql "SELECT * FROM leads WHERE contact_id = 2 ORDER BY id" > "$T/e.bob0"
tsql "SELECT * FROM lead_events WHERE contact_id = 2 ORDER BY id" > "$T/e.bobev0"
tsql "SELECT lead_id, tag FROM lead_tags WHERE contact_id = 2 ORDER BY lead_id, tag" > "$T/e.bobtags0"
tsql "SELECT lead_id, name, value FROM lead_fields WHERE contact_id = 2 ORDER BY lead_id, name" > "$T/e.bobfields0"
check "before: Ada's deals have titles, reasons, keys, details, a tag and a field" '
	is "$(sql "SELECT count(*) FROM leads WHERE contact_id = 1 AND title IS NOT NULL AND ext_key IS NOT NULL")" 2 &&
	is "$(sql "SELECT count(*) FROM lead_events WHERE contact_id = 1 AND detail IS NOT NULL")" 4 &&
	is "$(sql "SELECT count(*) FROM lead_tags WHERE contact_id = 1") $(sql "SELECT count(*) FROM lead_fields WHERE contact_id = 1")" "1 1"'

run "erase a contact with deals" 0 'crm-contact erase -f 1'
check "leads: kept, title, reason and key cleared (CRM_ERASE_CLEAR), the rest as it was" '
	is "$(sql "SELECT count(*) FROM leads WHERE contact_id = 1")" 2 &&
	is "$(sql "SELECT count(*) FROM leads WHERE contact_id = 1 AND (title IS NOT NULL OR reason IS NOT NULL OR ext_key IS NOT NULL)")" 0 &&
	tsql "SELECT $KEEP_LEADS FROM leads ORDER BY id" > now.txt && cmp now.txt e.leads0 || { diff now.txt e.leads0 >&2; false; }'
check "lead_events: kept, detail cleared, the rest as it was" '
	is "$(sql "SELECT count(*) FROM lead_events WHERE contact_id = 1")" 7 &&
	is "$(sql "SELECT count(*) FROM lead_events WHERE contact_id = 1 AND detail IS NOT NULL")" 0 &&
	tsql "SELECT $KEEP_EVENTS FROM lead_events ORDER BY id" > now.txt && cmp now.txt e.events0 || { diff now.txt e.events0 >&2; false; }'
check "lead_tags and lead_fields: deleted (CRM_ERASE_DELETE)" \
	'is "$(sql "SELECT count(*) FROM lead_tags WHERE contact_id = 1") $(sql "SELECT count(*) FROM lead_fields WHERE contact_id = 1")" "0 0"'
check "the other contact's deals untouched" '
	tsql "SELECT * FROM leads WHERE contact_id = 2 ORDER BY id" | cmp - e.bob0 &&
	tsql "SELECT * FROM lead_events WHERE contact_id = 2 ORDER BY id" | cmp - e.bobev0 &&
	tsql "SELECT lead_id, tag FROM lead_tags WHERE contact_id = 2 ORDER BY lead_id, tag" | cmp - e.bobtags0 &&
	tsql "SELECT lead_id, name, value FROM lead_fields WHERE contact_id = 2 ORDER BY lead_id, name" | cmp - e.bobfields0'
run "crm-lead list: the deals stay for the figures, without title" 0 \
	'crm-lead list --fields id,contact,title,value,currency,stage,reason,key,tags'
out_is "$(printf 'id\tcontact\ttitle\tvalue\tcurrency\tstage\treason\tkey\ttags
1\terased-1\t\t100.00\tEUR\twon\t\t\t
2\terased-1\t\t5\tJPY\tproposal\t\t\t
3\tbob@example.org\tBob deal\t7.00\tEUR\tlost\tbob reason\tk-3\tt2')"
run "crm-lead show of an erased person's deal: no title, reason, key, tag or field" 0 'crm-lead show 1'
out_lacks "private"
out_lacks "husband"
out_lacks "secret"
out_lacks "k-1"
check "the timeline of the erased contact: the events without their words" \
	'timeline_deals 1 > got.txt && want_timeline 1 > want.txt && cmp got.txt want.txt && ! grep -q "private\|husband\|moved away" got.txt'
check "count and snapshots leave the erased person out, as run does (her deal is still open)" '
	is "$(sql "SELECT count(*) FROM leads l JOIN stages t ON t.id = l.stage_id WHERE l.contact_id = 1 AND t.kind = '"'"'open'"'"'")" 1 &&
	is "$(crm-segment count "leads.open > 0")" "$(crm-segment run --no-header "leads.open > 0" | wc -l | tr -d " ")" &&
	crm-segment save open_deals "leads.open > 0" > /dev/null && crm-segment snapshot open_deals > /dev/null &&
	is "$(sql "SELECT count(*) FROM segment_members WHERE contact_id = 1")" 0'
run "erase again: nothing left to erase" 0 'crm-contact erase -f 1'
check "nothing changed" 'tsql "SELECT $KEEP_LEADS FROM leads ORDER BY id" | cmp - e.leads0 && tsql "SELECT $KEEP_EVENTS FROM lead_events ORDER BY id" | cmp - e.events0'
run "a key of an erased deal is free again" 0 'crm-lead add --title New --value 1 --key k-1 2'
out_is 4

# The change history of a person's deals: in the data-subject export, and
# gone with an erasure, a deal removed before too (by the note of its
# "delete" row), another person's left.
CRM_DB=$(store_at erase_history)
setup crm-contact add --email cy@example.org
setup crm-contact add --email dee@example.org
setup crm-lead add --title '"Cy private"' --value 10 1
setup crm-lead edit --title '"Cy still private"' --tag secret-tag 1
setup crm-lead add --title '"Cy removed plan"' --value 20 1
setup crm-lead rm 2
setup crm-lead add --title '"Dee deal"' --value 30 2
dee=$(sql "SELECT id FROM leads WHERE contact_id = 2")
setup crm-lead edit --title '"Dee renamed"' "$dee"
check "the removed deal's history is hers now (lead-removed), the new deal's under its own id" '
	is "$(sql "SELECT count(*) FROM history WHERE entity = '"'"'lead-removed'"'"' AND entity_id = 1 AND note = '"'"'lead 2'"'"'")" 2 &&
	is "$(sql "SELECT count(*) FROM history WHERE entity = '"'"'lead'"'"' AND entity_id = $dee AND old_value LIKE '"'"'Cy%'"'"'")" 0'
run "export --subject lists the history of her deals, the removed one too" 0 \
	'crm-contact export --subject cy@example.org > cy.json'
check "every lead history row of hers, none of Dee's" '
	python3 - "$T/cy.json" << PY
import json, sys
j = json.load(open(sys.argv[1]))
rows = [h for h in j["history"] if h["entity"] in ("lead", "lead-removed")]
words = " ".join(str(h.get("old_value")) + " " + str(h.get("new_value")) for h in rows)
assert "Cy still private" in words and "Cy removed plan" in words and "secret-tag" in words, rows
assert "Dee" not in words, rows
PY'
run "erase her" 0 'crm-contact erase -f cy@example.org'
check "no lead history row of hers is left; Dee's are" '
	is "$(sql "SELECT count(*) FROM history WHERE (entity = '"'"'lead'"'"' OR entity = '"'"'lead-removed'"'"') AND (old_value LIKE '"'"'Cy%'"'"' OR new_value LIKE '"'"'Cy%'"'"' OR new_value = '"'"'secret-tag'"'"')")" 0 &&
	is "$(sql "SELECT count(*) FROM history WHERE entity = '"'"'lead'"'"' AND entity_id = $dee")" 2 &&
	is "$(sql "SELECT count(*) FROM history WHERE entity = '"'"'lead'"'"' AND new_value = '"'"'Dee renamed'"'"'")" 1'

finish
