#!/bin/sh
# tests/e2e/lead_import.sh - crm-lead import and export end to end, on
# either store: our own columns (contact by contact_id, uid or email, tags,
# custom fields), exports of Salesforce (US dates, thousands separators,
# Closed Won/Lost), HubSpot and Pipedrive (';', European decimals, a
# status beside the stage it closed from); upsert on a key (a changed
# stage is a move, recorded; an unchanged file changes nothing); rejects
# with line and reason, the rows as they were; --strict, --dry-run,
# --key, --map-stage, --currency; a killed import run again (each deal
# once); and export read back into a new store giving the same export.
# Each figure is checked against the store's rows or against the input
# file (awk, Python), never against the program's own output alone.
. "$(dirname "$0")/lib.sh"
export CRM_NOW=2026-12-04T12:00:00Z
command -v python3 > /dev/null || { echo "e2e $SUITE: python3 needed" >&2; exit 1; }

setup() {
	(eval "$*") > "$T/setup.out" 2>&1 ||
		echo "FAIL $SUITE: setup failed: $*: $(head -c 400 "$T/setup.out")" >&2
}

# is GOT WANT
is() {
	[ "$1" = "$2" ] && return 0
	printf 'got:\n%s\nwant:\n%s\n' "$1" "$2" >&2
	return 1
}

deals() {
	sql "SELECT count(*) FROM leads"
}

setup 'printf "email,uid,first_name,country\nada@example.org,u-ada,Ada,NL\nbob@example.org,u-bob,Bob,DE\ncy@example.org,u-cy,Cy,FR\n" | crm-contact import -q -'

# ---- our own columns ------------------------------------------------------------

cat > own.csv << 'EOF'
contact_id,uid,email,title,value,currency,stage,owner,source,campaign,expected_close,tags,field.size,shoe,key
1,,,One,10.5,USD,qualified,ann,web,spring,2027-01-02,a;b,XL,42,k1
,u-bob,,Two,7,,new,,,,,,,,k2
,,BOB@example.org,Three,1000,JPY,won,ann,,,2026-11-01,,,,k3
2,,ada@example.org,Four,1,,new,,,,,,,,k4
,,nobody@example.org,Five,1,,new,,,,,,,,k5
,,cy@example.org,Six,1.005,,new,,,,,,,,k6
,,cy@example.org,Seven,1,,nosuch,,,,,,,,k7
,,cy@example.org,,1,,new,,,,,,,,k8
EOF
run "import of our own columns: good rows in, bad ones rejected with line and reason" 65 \
	'crm-lead import --rejects rej.csv own.csv'
err_is 'crm-lead: import: own.csv: 8 read, 3 added, 0 updated, 5 rejected (see rej.csv); columns left out: "shoe"'
check "the rejects: line, reason, then the row as it was" '
	python3 - "$T" << PY
import csv, sys
t = sys.argv[1]
rows = list(csv.reader(open(t + "/rej.csv")))
src = list(csv.reader(open(t + "/own.csv")))
assert rows[0] == ["line", "reason"] + src[0], rows[0]
got = {int(r[0]): r for r in rows[1:]}
assert sorted(got) == [5, 6, 7, 8, 9], sorted(got)
for line, r in got.items():
    assert r[2:] == src[line - 1], (line, r)
why = {k: v[1] for k, v in got.items()}
assert why[5] == "contact_id \"2\" and email \"ada@example.org\" name different contacts", why[5]
assert why[6] == "no contact \"nobody@example.org\"", why[6]
assert "1.005" in why[7] and "decimals" in why[7], why[7]
assert "nosuch" in why[8], why[8]
assert "title" in why[9], why[9]
PY'
check "each good row as written: contact, value in minor units, currency, stage, tags, custom field" '
	is "$(tsql "SELECT l.ext_key, l.contact_id, l.title, l.value, l.currency, t.name, coalesce(l.owner, \"-\"), coalesce(l.expected_close, \"-\") FROM leads l JOIN stages t ON t.id = l.stage_id ORDER BY l.ext_key")" "k1	1	One	1050	USD	qualified	ann	2027-01-02
k2	2	Two	700	EUR	new	-	-
k3	2	Three	1000	JPY	won	ann	2026-11-01" &&
	is "$(crm-lead show 1 | awk -F"\t" "\$1 == \"tag\" || \$1 ~ /^field\\./ { print \$1, \$2 }")" "tag a
tag b
field.size XL"'
check "a won row closed on its close date" '
	is "$(tsql "SELECT closed_at FROM leads WHERE ext_key = \"k3\"")" "2026-11-01T00:00:00Z"'
run "--strict: one bad row, nothing written" 65 'crm-lead import --strict own.csv'
check "still 3 deals" 'is "$(deals)" 3'
run "--dry-run: checked, nothing written, said so" 65 \
	'crm-lead import --dry-run --key key own.csv'
err_has "dry run"
check "still 3 deals" 'is "$(deals)" 3'

# ---- upsert on the key ------------------------------------------------------------

cat > upd.csv << 'EOF'
email,title,value,stage,key
ada@example.org,One renamed,10.5,proposal,k1
bob@example.org,Two,7,new,k2
cy@example.org,Nine,9,new,k9
EOF
run "re-import by key: k1 updated and moved, k2 unchanged, k9 added" 0 'crm-lead -v import upd.csv'
err_is "crm-lead: import: upd.csv: 3 read, 1 added, 1 updated, 1 unchanged, 0 rejected"
check "k1: the new title, the value kept in its own currency (USD), moved to proposal" '
	is "$(tsql "SELECT l.title, l.value, l.currency, t.name FROM leads l JOIN stages t ON t.id = l.stage_id WHERE ext_key = \"k1\"")" "One renamed	1050	USD	proposal"'
check "the move is recorded once, from qualified to proposal" '
	is "$(tsql "SELECT from_stage, to_stage FROM lead_events e JOIN leads l ON l.id = e.lead_id WHERE l.ext_key = \"k1\" AND from_stage IS NOT NULL")" "qualified	proposal"'
run "the same file again: nothing changes" 0 'crm-lead -v import upd.csv'
err_is "crm-lead: import: upd.csv: 3 read, 0 added, 0 updated, 3 unchanged, 0 rejected"
check "no new event" 'is "$(sql "SELECT count(*) FROM lead_events WHERE from_stage IS NOT NULL")" 1'
cat > other-key.csv << 'EOF'
Ref,email,title,value
X-1,ada@example.org,By ref,5
X-1,ada@example.org,By ref again,6
EOF
run "--key COLUMN: a column of any name is the key" 0 'crm-lead -v import --key Ref other-key.csv'
err_is "crm-lead: import: other-key.csv: 2 read, 1 added, 1 updated, 0 rejected"
check "one deal, the later row's" 'is "$(tsql "SELECT title, value FROM leads WHERE ext_key = \"X-1\"")" "By ref again	600"'
run "--key naming no column" 64 'crm-lead import --key Nope other-key.csv'
err_has '--key: no column "Nope" in the input'
run "no column names the contact" 65 'printf "title,value\nA,1\n" | crm-lead import -'
err_has "the input has no contact_id, uid or email column"

# ---- the CRMs' exports ------------------------------------------------------------

cat > sf.csv << 'EOF'
Opportunity ID,Opportunity Name,Amount,Stage,Close Date,Opportunity Owner,Lead Source,Primary Campaign Source,Contact Email
006A,Alpha,"4,800.00",Prospecting,11/12/2026,ann,Web,Fall,Ada@Example.org
006B,Beta,1200,Closed Won,10/01/2026,ben,Referral,,bob@example.org
006C,Gamma,300,Closed Lost,10/02/2026,ben,Referral,,cy@example.org
006D,Delta,300,Closed Lost,13/01/2026,ben,Referral,,cy@example.org
EOF
run "Salesforce: US dates, thousands separators, Closed Won/Lost, a mapped stage" 65 \
	'crm-lead -v import --date-format %m/%d/%Y --map-stage Prospecting=new --rejects sfrej.csv sf.csv'
err_is "crm-lead: import: sf.csv: 4 read, 3 added, 0 updated, 1 rejected (see sfrej.csv)"
check "each as the file says" '
	is "$(tsql "SELECT l.ext_key, l.title, l.value, t.name, t.kind, l.owner, l.source, coalesce(l.campaign, \"-\"), l.expected_close, coalesce(l.closed_at, \"-\"), l.contact_id FROM leads l JOIN stages t ON t.id = l.stage_id WHERE l.ext_key LIKE \"006%\" ORDER BY l.ext_key")" "006A	Alpha	480000	new	open	ann	Web	Fall	2026-11-12	-	1
006B	Beta	120000	won	won	ben	Referral	-	2026-10-01	2026-10-01T00:00:00Z	2
006C	Gamma	30000	lost	lost	ben	Referral	-	2026-10-02	2026-10-02T00:00:00Z	3"'
check "the day-first date is the reject, by line" 'grep -q "^5,.*13/01/2026" sfrej.csv'
run "a stage neither the pipeline's nor mapped" 65 \
	'printf "Opportunity ID,Opportunity Name,Amount,Stage,Contact Email\n006Z,Z,1,Prospecting,ada@example.org\n" | crm-lead import -'
err_has '"Prospecting"'

cat > hs.csv << 'EOF'
Record ID,Deal Name,Deal Stage,Amount,Close Date,Deal owner,Create Date,Associated Contact Email,Pipeline
9001,Hs one,qualified,"1,500.50",2026-12-20,cara,2026-11-01 09:30,ada@example.org,default
9002,Hs two,won,99.99,2026-11-20,cara,2026-10-01 10:00,cy@example.org,default
EOF
run "HubSpot: created dates and the pipeline named" 0 'crm-lead import hs.csv'
check "as the file says" '
	is "$(tsql "SELECT l.ext_key, l.title, l.value, t.name, l.owner, l.created_at, l.contact_id FROM leads l JOIN stages t ON t.id = l.stage_id WHERE l.ext_key LIKE \"900%\" ORDER BY l.ext_key")" "9001	Hs one	150050	qualified	cara	2026-11-01T09:30:00Z	1
9002	Hs two	9999	won	cara	2026-10-01T10:00:00Z	3"'

cat > pd.csv << 'EOF'
Deal - ID;Deal - Title;Deal - Value;Deal - Currency;Deal - Stage;Deal - Status;Deal - Owner;Person - Email;Deal - Expected close date;Deal - Labels;Deal - Lost reason
77;Pd one;1.234,50;EUR;proposal;open;dan;bob@example.org;2027-01-15;hot,big;
78;Pd two;500;JPY;proposal;lost;dan;ada@example.org;2026-11-30;;too dear
79;Pd three;12,5;JPY;proposal;open;dan;ada@example.org;2026-11-30;;
80;Pd four;2.000;EUR;negotiation;won;dan;cy@example.org;2026-11-29;;
EOF
run "Pipedrive: ';', European decimals, labels, a status beside the stage it closed from" 65 \
	'crm-lead -v import --decimal , --rejects pdrej.csv pd.csv'
err_is "crm-lead: import: pd.csv: 4 read, 3 added, 0 updated, 1 rejected (see pdrej.csv)"
check "open in proposal; lost and won in the won and lost stages, with the reason" '
	is "$(tsql "SELECT l.ext_key, l.value, l.currency, t.name, coalesce(l.reason, \"-\"), coalesce(l.closed_at, \"-\") FROM leads l JOIN stages t ON t.id = l.stage_id WHERE l.ext_key IN (\"77\", \"78\", \"80\") ORDER BY l.ext_key")" "77	123450	EUR	proposal	-	-
78	500	JPY	lost	too dear	2026-11-30T00:00:00Z
80	200000	EUR	won	-	2026-11-29T00:00:00Z"'
check "the labels are tags" 'is "$(tsql "SELECT tag FROM lead_tags g JOIN leads l ON l.id = g.lead_id WHERE l.ext_key = \"77\" ORDER BY tag")" "big
hot"'
check "12,5 JPY is refused: JPY has no decimals" 'grep -q "^4,.*JPY has 0 decimals" pdrej.csv'

# ---- a killed import, run again ------------------------------------------------------

# 1000 deals without a key (so only the resume keeps them once); every
# 97th row has a negative value (10 rejects: rows 97..970).
awk 'BEGIN {
	print "email,title,value,stage"
	split("ada@example.org bob@example.org cy@example.org", who, " ")
	for (i = 1; i <= 1000; i++)
		printf "%s,Bulk %d,%s,%s\n", who[i % 3 + 1], i, (i % 97 == 0 ? "-1" : sprintf("%d.%02d", i, i % 100)), (i % 4 == 0 ? "qualified" : "new")
}' > big.csv
before=$(deals)
killed() { # the import of "$@", killed after its second commit (300 rows)
	CRM_TEST_COMMIT_ROWS=150 CRM_TEST_KILL_AFTER_COMMITS=2 "$@"
}
run "a killed import keeps the rows it committed (300, 3 of them rejected)" 137 \
	'killed crm-lead import --rejects bulkrej.csv big.csv'
check "297 more deals" 'is "$(($(deals) - before))" 297'
run "killed again: rows 301..600" 137 'killed crm-lead import --rejects bulkrej.csv big.csv'
check "594 more deals" 'is "$(($(deals) - before))" 594'
run "the run that finishes starts at row 601 and says so" 65 \
	'crm-lead import --rejects bulkrej.csv big.csv'
err_is "crm-lead: import: big.csv: 400 read, 396 added, 0 updated, 4 rejected (see bulkrej.csv); resumed at row 601 (line 602): rows 1..600 were imported by an earlier run, 6 of them rejected"
check "each deal once: 990 titles, none twice, values as the file's" '
	tsql "SELECT title, value FROM leads WHERE title LIKE \"Bulk %\" ORDER BY title" > got.txt &&
	awk -F, "NR > 1 && \$3 !~ /^-/ { split(\$3, v, \".\"); print \$2 \"\t\" v[1] * 100 + v[2] }" big.csv | sort > want.txt &&
	sort got.txt > got.sorted && cmp got.sorted want.txt && is "$(wc -l < got.txt | tr -d " ")" 990'
check "the rejects file has all 10, as one clean run writes it" '
	is "$(tail -n +2 bulkrej.csv | cut -d, -f1 | tr "\n" " ")" "98 195 292 389 486 583 680 777 874 971 "'
check "one created event a deal" '
	is "$(sql "SELECT count(*) FROM lead_events e JOIN leads l ON l.id = e.lead_id WHERE l.title LIKE '"'"'Bulk %'"'"'")" 990'

# ---- export, read back into a new store ------------------------------------------------

run "export: every deal, the columns import reads" 0 'crm-lead export --format csv > all.csv'
check "one row a deal" 'is "$(($(wc -l < all.csv) - 1))" "$(deals)"'
check "the custom fields as field.NAME columns" '
	python3 -c "
import csv
rows = list(csv.DictReader(open(\"$T/all.csv\")))
assert [r[\"field.size\"] for r in rows if r[\"key\"] == \"k1\"] == [\"XL\"], rows[0].keys()
"'
run "import of the export into a new store (its contacts imported the same way)" 0 '
	export CRM_DB=$(store_at copy) &&
	printf "email,uid,first_name,country\nada@example.org,u-ada,Ada,NL\nbob@example.org,u-bob,Bob,DE\ncy@example.org,u-cy,Cy,FR\n" | crm-contact import -q - &&
	crm-lead import all.csv && crm-lead export --format csv > again.csv'
check "the same export (custom fields too), but for the created times of deals without a key" '
	python3 - "$T" << PY
import csv, sys
t = sys.argv[1]
a = list(csv.DictReader(open(t + "/all.csv")))
b = list(csv.DictReader(open(t + "/again.csv")))
assert len(a) == len(b), (len(a), len(b))
for x, y in zip(a, b):
    for k in x:
        if k in ("id", "created") : continue
        assert x[k] == y[k], (k, x, y)
PY'

finish
