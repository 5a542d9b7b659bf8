#!/bin/sh
# tests/e2e/lead_money.sh - the money a sales team plans with, end to
# end on either store: exchange rates (rates set|list|rm), quotas (quota
# set|list|rm), the forecast's quota column and --currency, commission
# plans (commission set|plans|rm, flat or tiered, an owner's or a
# pipeline's, changing within a period), tax rates by country (tax
# set|list|rm, changing within a period) and the commission report.
#
# Every figure is checked against a computation of the test's own in
# Python from the deals it made (not from the store): exact decimals
# (fractions.Fraction) rounded half-even, tiers as marginal brackets,
# conversions at the rate kept or its inverse rounded to 10^-9.
. "$(dirname "$0")/lib.sh"
export CRM_NOW=2026-10-25T12:00:00Z
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

# got CMD...: runs CMD into $T/got as well.
got() {
	"$@" | tee "$T/got"
}

setup crm-contact add --email nl@example.org --country NL
setup crm-contact add --email de@example.org --country de
setup crm-contact add --email none@example.org
setup crm-contact add --email fr@example.org --country FR
setup crm-lead pipeline add partners
setup crm-lead stage add partners intro --probability 30%
setup crm-lead stage add partners signed --probability 100% --kind won

# The deals, one line each, the same list for the shell and for Python:
# id owner currency value contact stage at pipeline close
# (stage won/lost: moved there at AT; open: added in that stage with
# expected close CLOSE)
cat > "$T/deals" << 'EOF'
1 ann EUR 1000.00 1 won 2026-10-02T10:00:00Z default -
2 ann EUR 2000.01 2 won 2026-10-05T10:00:00Z default -
3 ann EUR 0.50 1 won 2026-10-06T10:00:00Z default -
4 ann EUR 1.50 1 won 2026-10-07T10:00:00Z default -
5 ann EUR 333.33 3 won 2026-10-08T10:00:00Z default -
6 ann USD 500.00 1 won 2026-10-09T10:00:00Z default -
7 ann EUR 1500.00 1 won 2026-10-20T10:00:00Z default -
8 ann EUR 10.25 4 won 2026-10-21T10:00:00Z default -
9 bob EUR 777.77 4 won 2026-10-03T10:00:00Z default -
10 bob JPY 12345 1 won 2026-10-04T10:00:00Z default -
11 carol EUR 100.00 1 signed 2026-10-10T10:00:00Z partners -
12 ann EUR 999.00 1 won 2026-09-30T10:00:00Z default -
13 ann EUR 50.00 1 lost 2026-10-11T10:00:00Z default -
14 ann EUR 70.00 1 new - default 2026-10-30
15 - EUR 40.00 2 won 2026-10-12T10:00:00Z default -
16 ann EUR 1000.00 2 new - default 2026-11-10
17 ann USD 2000.00 1 qualified - default 2026-11-20
18 bob JPY 100000 4 proposal - default 2026-12-05
19 bob EUR 400.00 3 negotiation - default 2027-01-15
20 carol EUR 250.00 1 intro - partners 2026-11-02
EOF
while read -r id owner cur value contact stage at pipe close; do
	o=""
	[ "$owner" = - ] || o="--owner $owner"
	case $stage in
	won | lost | signed)
		setup "crm-lead add --title d$id --value $value --currency $cur $o --pipeline $pipe $contact"
		setup "crm-lead move --at $at --reason r $id $stage" ;;
	*)
		setup "crm-lead add --title d$id --value $value --currency $cur $o --pipeline $pipe --stage $stage --close $close $contact" ;;
	esac
done < "$T/deals"

# The plans, taxes, rates and quotas, as set below and as Python reads them.
cat > "$T/plans" << 'EOF'
owner ann 2026-01-01 5%
owner ann 2026-10-16 tiers:0-1000:5%,1000-:8%
pipeline default 2026-01-01 3%
EOF
cat > "$T/taxes" << 'EOF'
NL 2026-01-01 21%
NL 2026-10-18 9%
DE 2026-01-01 19%
EOF
setup crm-lead commission set ann 5% --from 2026-01-01
setup crm-lead commission set ann --tiers 0-1000:5%,1000-:8% --from 2026-10-16
setup crm-lead commission set --pipeline default 3% --from 2026-01-01
setup crm-lead tax set NL 21% --from 2026-01-01
setup crm-lead tax set NL 9% --from 2026-10-18
setup crm-lead tax set DE 19% --from 2026-01-01

cat > "$T/want.py" << 'PY'
import sys
from fractions import Fraction as F
from datetime import date

what = sys.argv[1]
args = sys.argv[2:]
deals = [l.split() for l in open("deals") if l.strip()]
DEC = {"EUR": 2, "USD": 2, "JPY": 0}

def rate(s):
    return F(s[:-1]) / 100 if s.endswith("%") else F(s)

def half_even(x):
    return round(x)        # Fraction.__round__ rounds half to even

def minor(value, cur):
    return int(F(value) * 10 ** DEC[cur])

def fmt(m, cur):
    d = DEC[cur]
    if d == 0:
        return str(m)
    s = "-" if m < 0 else ""
    m = abs(m)
    return "%s%d.%0*d" % (s, m // 10 ** d, d, m % 10 ** d)

def tiered(net, tiers, cur):
    total = F(0)
    for t in tiers.split(","):
        span, r = t.split(":")
        lo, hi = span.split("-")
        lo = minor(lo, cur)
        hi = minor(hi, cur) if hi else None
        part = max(0, (net if hi is None else min(net, hi)) - lo)
        total += part * rate(r)
    return half_even(total)

def commission(period, owner_only):
    plans = [l.split() for l in open("plans") if l.strip()]
    taxes = [l.split() for l in open("taxes") if l.strip()]
    country = {"1": "NL", "2": "de", "3": "", "4": "FR"}
    if "Q" in period:
        y, q = int(period[:4]), int(period[-1])
        inp = lambda d: int(d[:4]) == y and (int(d[5:7]) - 1) // 3 + 1 == q
    else:
        inp = lambda d: d[:7] == period
    won = [d for d in deals if d[5] in ("won", "signed") and inp(d[6][:10])]
    won = [d for d in won if owner_only is None or d[1] == owner_only]
    # owner "" sorts first, as COALESCE(owner, '') does
    won.sort(key=lambda d: ("" if d[1] == "-" else d[1], d[2], d[6], int(d[0])))
    groups = []
    for d in won:
        owner = "" if d[1] == "-" else d[1]
        day = d[6][:10]
        plan = None
        for i, p in enumerate(plans):   # in order of day: the last that holds
            if p[2] <= day and p[0] == "owner" and p[1] == owner:
                plan = ("o", i)
        if plan is None:
            for i, p in enumerate(plans):
                if p[2] <= day and p[0] == "pipeline" and p[1] == d[7]:
                    plan = ("p", i)
        pl = plan[1] if plan else -1
        g = next((g for g in groups if g[0] == owner and g[1] == d[2] and g[2] == pl), None)
        if g is None:
            g = [owner, d[2], pl, 0, 0, 0, 0]
            groups.append(g)
        net = minor(d[3], d[2])
        tx = [t for t in taxes if t[0].lower() == country[d[4]].lower() and t[1] <= day]
        g[3] += 1
        g[5] += net
        if tx:
            g[4] += half_even(net * rate(max(tx, key=lambda t: t[1])[2]))
        else:
            g[6] += 1
    print("owner\tcurrency\tdeals\tgross\ttax\tnet\tcommission\tplan\tplan_source\tuntaxed")
    for owner, cur, pl, n, tax, net, untaxed in groups:
        c, text, src = 0, "", ""
        if pl >= 0:
            p = plans[pl]
            text = p[3][6:] if p[3].startswith("tiers:") else p[3]
            c = tiered(net, text, cur) if p[3].startswith("tiers:") else half_even(net * rate(p[3]))
            src = ("%s from %s" % (p[1], p[2])) if p[0] == "owner" else ("pipeline %s from %s" % (p[1], p[2]))
        print("\t".join([owner, cur, str(n), fmt(net + tax, cur), fmt(tax, cur), fmt(net, cur),
                         fmt(c, cur), text, src, str(untaxed)]))

# forecast: by month|quarter|owner, periods from now's (2026-10), to a
# currency or not
PROB = {"new": 10, "qualified": 25, "proposal": 50, "negotiation": 75, "intro": 30}
RATES = {("USD", "EUR"): "0.9232", ("EUR", "JPY"): "160.5"}

ORDER = []   # the rates in the order of first use, as the program keeps them

def leg(frm, to):
    """the rate kept, or its inverse rounded to 10^-9; None without one"""
    if (frm, to) in RATES:
        return F(RATES[(frm, to)]), False
    if (to, frm) in RATES:
        return F(half_even(F(10 ** 9) / F(RATES[(to, frm)])), 10 ** 9), True
    return None

def show(r):
    return ("%.9f" % float(r)).rstrip("0").rstrip(".")

def convert(m, frm, to, used):
    if frm == to:
        return m
    if leg(frm, to):
        r, inverse = leg(frm, to)
        text = "1 %s = %s %s (2026-10-01%s)" % (frm, show(r), to, ", inverse" if inverse else "")
    else:
        # through the first third currency with a rate to both
        via = sorted({c for p in RATES for c in p if frm in p and c != frm and c != to})
        via = [v for v in via if leg(frm, v) and leg(v, to)][0]
        r = F(half_even(leg(frm, via)[0] * leg(via, to)[0] * 10 ** 9), 10 ** 9)
        text = "1 %s = %s %s (via %s, 2026-10-01 and 2026-10-01)" % (frm, show(r), to, via)
    if text not in ORDER:
        ORDER.append(text)
    used.add(text)
    return half_even(F(m) * r * 10 ** DEC[to] / 10 ** DEC[frm])

def quarter(ym):
    return "%s-Q%d" % (ym[:4], (int(ym[5:7]) - 1) // 3 + 1)

def month_index(ym):
    return int(ym[:4]) * 12 + int(ym[5:7]) - 1

def forecast(by, periods, to):
    quotas = [l.split() for l in open("quotas") if l.strip()]
    now = "2026-10"
    first = month_index(now) if by != "quarter" else month_index("2026-10")
    if by == "quarter":
        end = first + 3 * periods
    else:
        end = first + periods
    rows = {}
    def row(key, cur):
        return rows.setdefault((key, cur), [0, 0, F(0), 0, None, set()])
    for d in deals:
        stage, cur = d[5], d[2]
        if stage in ("lost",):
            continue
        won = stage in ("won", "signed")
        day = d[6][:10] if won else d[8]
        mi = month_index(day)
        if won and (mi < month_index(now) or (by != "owner" and mi >= end)):
            continue
        if not won and by != "owner" and mi >= end:
            continue
        mi = max(mi, first)
        ym = "%04d-%02d" % (mi // 12, mi % 12 + 1)
        key = {"month": ym, "quarter": quarter(ym), "owner": "(none)" if d[1] == "-" else d[1]}[by]
        used = set()
        v = minor(d[3], cur)
        if to:
            v = convert(v, cur, to, used)
        r = row(key, to or cur)
        r[5] |= used
        if won:
            r[3] += v
        else:
            r[0] += 1
            r[1] += v
            r[2] += F(v) * PROB[stage] / 100
    have_q = {(q[0], q[1], q[2]) for q in quotas if "Q" in q[1]}
    for owner, period, cur, amount in quotas:
        if "Q" in period:
            if by == "month":
                continue
            lo = month_index("%s-%02d" % (period[:4], (int(period[-1]) - 1) * 3 + 1))
            hi = lo + 3
        else:
            if by != "month" and (owner, quarter(period), cur) in have_q:
                continue
            lo = month_index(period)
            hi = lo + 1
        if hi <= first or lo >= end:
            continue
        key = {"month": period, "quarter": quarter(period) if "Q" not in period else period,
               "owner": owner}[by]
        used = set()
        v = minor(amount, cur)
        if to:
            v = convert(v, cur, to, used)
        r = row(key, to or cur)
        r[4] = (r[4] or 0) + v
        r[5] |= used
    cols = ["group", "currency", "deals", "open_value", "weighted", "won", "quota"]
    print("\t".join(cols + (["rates"] if to else [])))
    for (key, cur) in sorted(rows):
        n, ov, w, won, q, used = rows[(key, cur)]
        # the program sums doubles and rounds half away from zero; the
        # weights here make no tie
        out = [key, cur, str(n), fmt(ov, cur), fmt(int(w + F(1, 2)) if w >= 0 else -int(-w + F(1, 2)), cur),
               fmt(won, cur), "" if q is None else fmt(q, cur)]
        if to:
            out.append("; ".join(t for t in ORDER if t in used))
        print("\t".join(out))

if what == "commission":
    commission(args[0], args[1] if len(args) > 1 and args[1] else None)
else:
    forecast(args[0], int(args[1]), args[2] if len(args) > 2 and args[2] else None)
PY

# want KIND ARGS...: the figures Python computes (in $T, beside its lists).
want() {
	(cd "$T" && python3 want.py "$@")
}

# ---- commission and tax: set, list, rm ----------------------------------

run "tax list: as set, the latest day last" 0 'crm-lead tax list'
out_is "country	from	rate
DE	2026-01-01	19%
NL	2026-01-01	21%
NL	2026-10-18	9%"
run "commission plans: owners' first, then pipelines'" 0 'crm-lead commission plans'
out_is "owner	pipeline	from	rate	tiers
ann		2026-01-01	5%	
ann		2026-10-16		0-1000:5%,1000-:8%
	default	2026-01-01	3%	"
run "commission set: the same holder and day replaces the plan" 0 '
	crm-lead commission set bob 4% --from 2026-02-01 &&
	crm-lead commission set bob 6.5% --from 2026-02-01 && crm-lead commission plans'
out_has "bob		2026-02-01	6.5%	"
out_lacks "4%"
run "commission rm bob: gone, and the report's plans are the ones above" 0 'crm-lead commission rm bob && crm-lead commission plans'
out_lacks "bob"
run "commission rm of no plan" 1 'crm-lead commission rm bob'
err_is 'crm-lead: commission rm: no commission plan of owner "bob"'
run "tax set: the same country and day replaces the rate" 0 '
	crm-lead tax set FR 20% --from 2027-01-01 && crm-lead tax set FR 5.5% --from 2027-01-01 &&
	crm-lead tax list | grep FR'
out_is "FR	2027-01-01	5.5%"
run "tax rm --from: that day's rate only" 0 'crm-lead tax rm FR --from 2027-01-01 && crm-lead tax list'
out_lacks "FR"
run "tax rm of no rate" 1 'crm-lead tax rm FR'
err_is 'crm-lead: tax rm: no tax rate of "FR"'

# ---- the commission report ----------------------------------------------

run "commission --period 2026-10: every figure" 0 'got crm-lead commission --period 2026-10'
check "as computed: half-even tax, the plan change, the pipeline's plan, untaxed" \
	'is "$(cat "$T/got")" "$(want commission 2026-10)"'
# by hand: ann 5% on 1000.00 + 2000.01 + 0.50 + 1.50 + 333.33 = 3335.34
# -> 166.767 -> 166.77; tax 210.00 + 380.0019 + 0.105 + 0.315 -> 210.00 +
# 380.00 + 0.10 + 0.32 = 590.42; tiers on 1510.25 = 50.00 + 40.82
check "the figures by hand" '
	awk -F"\t" "\$1 == \"ann\" && \$2 == \"EUR\" { print \$3, \$4, \$5, \$6, \$7, \$10 }" "$T/got" > q &&
	is "$(cat q)" "5 3925.76 590.42 3335.34 166.77 1
2 1645.25 135.00 1510.25 90.82 1"'
check "JPY in whole yen: 3% of 12345 is 370, tax 21% 2592" '
	grep -q "^bob	JPY	1	14937	2592	12345	370	3%	pipeline default from 2026-01-01	0$" "$T/got"'
check "a pipeline with no plan: no commission, the plan empty" '
	grep -q "^carol	EUR	1	121.00	21.00	100.00	0.00			0$" "$T/got"'
check "a deal with no owner: its own row, the pipeline plan" '
	grep -q "^	EUR	1	47.60	7.60	40.00	1.20	3%	pipeline default from 2026-01-01	0$" "$T/got"'
run "commission --owner ann" 0 'got crm-lead commission --period 2026-10 --owner ann'
check "as computed" 'is "$(cat "$T/got")" "$(want commission 2026-10 ann)"'
run "commission --period 2026-Q3: the September deal alone" 0 'got crm-lead commission --period 2026-Q3'
out_lines 2
check "as computed" 'is "$(cat "$T/got")" "$(want commission 2026-Q3)"'
run "commission --period 2026-Q4" 0 'got crm-lead commission --period 2026-Q4'
check "as computed" 'is "$(cat "$T/got")" "$(want commission 2026-Q4)"'
run "commission: this month by default" 0 'got crm-lead commission'
check "as --period 2026-10" 'is "$(cat "$T/got")" "$(want commission 2026-10)"'
run "commission of a month with no deal won: the header, exit 1" 1 'crm-lead commission --period 2027-03'
out_lines 1
run "commission --format jsonl: numbers" 0 'got crm-lead --format jsonl commission --period 2026-10 --owner bob'
check "valid JSON, commission a number" '
	python3 -c "
import json
rows = [json.loads(l) for l in open(\"$T/got\")]
b = {r[\"currency\"]: r for r in rows}
assert b[\"EUR\"][\"commission\"] == 23.33 and b[\"EUR\"][\"untaxed\"] == 1 and b[\"EUR\"][\"deals\"] == 1, b
assert b[\"JPY\"][\"net\"] == 12345, b
"'
run "commission --period not a period" 64 'crm-lead commission --period 2026-13'
err_has 'invalid period "2026-13"'
run "commission with an operand" 64 'crm-lead commission 2026-10'
err_has 'unknown sub-command "2026-10" (set, plans, rm)'
run "commission set with RATE and --tiers" 64 'crm-lead commission set ann 5% --tiers 0-:5%'
err_has 'give OWNER or --pipeline P, and RATE or --tiers T'
run "commission set with no rate" 64 'crm-lead commission set ann'
run "commission set of a rate above 100%" 65 'crm-lead commission set ann 150%'
err_is 'crm-lead: commission set: invalid rate "150%": above 100% (a percentage such as 7.5%)'
run "commission set of tiers with a gap" 65 'crm-lead commission set ann --tiers 0-100:5%,200-:7%'
err_has 'gap from 100 to 200'
run "commission set --pipeline unknown" 65 'crm-lead commission set --pipeline nope 5%'
err_has 'no pipeline "nope"'
run "commission set --from not a date" 64 'crm-lead commission set ann 5% --from 2026-02-30'
err_has '--from: invalid date "2026-02-30"'
run "tax set of a bad rate" 65 'crm-lead tax set NL 7,5%'
err_has 'invalid rate "7,5%"'
run "tax set without a rate" 64 'crm-lead tax set NL'
err_has 'give COUNTRY and RATE'
run "nothing was written by the refused commands" 0 'crm-lead commission plans; crm-lead tax list'
out_lines 8
run "tiers with cents, on a JPY deal: a clear error naming the plan" 65 '
	crm-lead commission set --pipeline default --tiers 0-100.50:5%,100.50-:7% --from 2026-10-01 &&
	crm-lead commission --period 2026-10'
err_has 'the commission plan of pipeline default from 2026-10-01, in JPY: invalid tiers'
setup crm-lead commission rm --pipeline default --from 2026-10-01

# ---- rates and quotas -----------------------------------------------------

run "rates set and list" 0 '
	crm-lead rates set USD EUR 0.9232 --date 2026-10-01 && crm-lead rates set EUR JPY 160.5 --date 2026-10-01 &&
	crm-lead rates set USD EUR 0.95 --date 2026-11-01 && crm-lead rates list'
out_is "base	quote	day	rate
EUR	JPY	2026-10-01	160.5
USD	EUR	2026-10-01	0.9232
USD	EUR	2026-11-01	0.95"
run "rates rm --date: that day's only" 0 'crm-lead rates rm USD EUR --date 2026-11-01 && crm-lead rates list'
out_lines 3
run "rates set of the same currency twice" 64 'crm-lead rates set EUR EUR 1'
run "rates set of a comma rate" 65 'crm-lead rates set USD EUR 0,92'
err_has 'invalid exchange rate "0,92"'
run "rates rm of no rate" 1 'crm-lead rates rm GBP EUR'

cat > "$T/quotas" << 'EOF'
ann 2026-11 EUR 3000
ann 2026-12 EUR 2000
ann 2026-Q4 EUR 4000
bob 2026-11 EUR 1000
bob 2026-12 USD 500
bob 2027-01 EUR 700
EOF
while read -r owner period cur amount; do
	setup "crm-lead quota set $owner $period $amount --currency $cur"
done < "$T/quotas"
run "quota list" 0 'crm-lead quota list'
out_lines 7
out_has "ann	2026-Q4	EUR	4000.00"
run "quota set replaces" 0 'crm-lead quota set bob 2027-01 750 && crm-lead quota set bob 2027-01 700 && crm-lead quota list'
out_has "bob	2027-01	EUR	700.00"
out_lines 7
run "quota set of a bad period" 64 'crm-lead quota set ann 2026-Q5 10'
err_has 'invalid period "2026-Q5"'
run "quota set of a negative amount" 65 'crm-lead quota set ann 2026-11 -- -5'
err_has '-5'
run "quota set of an amount that is not one" 65 'crm-lead quota set ann 2026-11 lots'
err_has 'lots'
run "quota rm of none" 1 'crm-lead quota rm ann 2030-01'

# ---- the forecast beside the quotas, and --currency -------------------------

run "forecast by month: open, weighted, won and quota" 0 'got crm-lead forecast'
check "as computed" 'is "$(cat "$T/got")" "$(want forecast month 6)"'
check "a month with a quota and no deal has its row" 'grep -q "^2026-12	USD	0	0.00	0.00	0.00	500.00$" "$T/got"'
run "forecast by quarter: an owner's quarter quota stands for its months" 0 'got crm-lead forecast --by quarter'
check "as computed" 'is "$(cat "$T/got")" "$(want forecast quarter 4)"'
check "Q4 EUR: ann's 4000 and bob's 1000" 'grep -q "^2026-Q4	EUR	.*	5000.00$" "$T/got"'
run "forecast by owner" 0 'got crm-lead forecast --by owner'
check "as computed" 'is "$(cat "$T/got")" "$(want forecast owner 6)"'
run "forecast --currency EUR: every amount converted, the rates named" 0 'got crm-lead forecast --currency EUR'
check "as computed (USD at the rate kept, JPY at its inverse)" \
	'is "$(cat "$T/got")" "$(want forecast month 6 EUR)"'
check "one row a period" 'is "$(cut -f1 "$T/got" | sort | uniq -d)" ""'
run "forecast --by quarter --currency USD: JPY through EUR, a rate of each kept" 0 \
	'got crm-lead forecast --by quarter --currency USD'
check "as computed: EUR at the inverse, JPY at its EUR rate times that" \
	'is "$(cat "$T/got")" "$(want forecast quarter 4 USD)"'
check "the cross rate named" 'grep -q "1 JPY = 0.006748841 USD (via EUR, 2026-10-01 and 2026-10-01)" "$T/got"'
run "forecast --currency with no rate at all" 65 'crm-lead forecast --currency CHF'
err_has 'no exchange rate from EUR to CHF on or before 2026-10-25, either way or through a third currency (crm-lead rates set EUR CHF RATE)'
run "forecast --currency not a currency" 64 'crm-lead forecast --currency euro'
run "forecast by stage: no quota column figures" 0 'crm-lead forecast --by stage'
check "quota empty everywhere" 'is "$(tail -n +2 "$T/out" | cut -f7 | sort -u)" ""'

finish
