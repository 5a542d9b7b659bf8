#!/bin/sh
# tests/e2e/dupes_scale.sh - crm-contact dupes on blocks too large to
# compare whole: --max-block, the split on the second key and what stderr
# says about it (-q, -v), the output order (by pass, block key, score), a
# streamed output that is complete past one batch of pairs, and the output
# in both formats read back by merge --from.
. "$(dirname "$0")/lib.sh"
export CRM_NOW=2026-01-01T00:00:00Z
unset CRM_REGION

use() {
	CRM_DB=$(store_at "$1")
}

add() {
	crm-contact add "$@" > /dev/null || echo "FAIL $SUITE: setup: add $*" >&2
}

# ---- a block of five split on the surname's first letter ----------------------

use split
add --first-name Gerard --last-name Jansen --city Delft
add --first-name Gerard --last-name Janssen --city Delft
add --first-name Gerard --last-name Bakker --city Delft
add --first-name Gerard --last-name Baker --city Delft
add --first-name Gerard --last-name Kansen --city Delft

run "dupes: a block under the bound is compared whole, stderr quiet" 0 \
	'crm-contact dupes --format csv --no-header'
out_is "1,2,0.60,name one edit apart in the same city,Gerard Jansen,,Gerard Janssen,
1,5,0.60,name one edit apart in the same city,Gerard Jansen,,Gerard Kansen,
3,4,0.60,name one edit apart in the same city,Gerard Bakker,,Gerard Baker,
2,5,0.45,name two edits apart in the same city,Gerard Janssen,,Gerard Kansen,"
err_empty

run "dupes --max-block 3: split on the surname's first letter, said once" 0 \
	'crm-contact dupes --max-block 3 --format csv --no-header'
out_is "3,4,0.60,name one edit apart in the same city,Gerard Bakker,,Gerard Baker,
1,2,0.60,name one edit apart in the same city,Gerard Jansen,,Gerard Janssen,"
err_is "crm-contact: dupes: 1 block of more than 3 contacts (names alike in the same city) split on the first letter of the surname"

run "dupes -v --max-block 3: one line per split block too" 0 \
	'crm-contact -v dupes --max-block 3 --format csv --no-header'
err_is "crm-contact: dupes: block \"delft|g\" (names alike in the same city) of 5 contacts split into 3 parts
crm-contact: dupes: 1 block of more than 3 contacts (names alike in the same city) split on the first letter of the surname"

run "dupes -q --max-block 3: nothing on stderr" 0 'crm-contact -q dupes --max-block 3'
err_empty
out_lines 3

run "dupes --max-block 5: a block of exactly the bound is not split" 0 \
	'crm-contact dupes --max-block 5 --no-header'
out_lines 4
err_empty

for bad in 1 0 -3 x 2x 1000001 ""; do
	run "dupes --max-block \"$bad\" is a usage error" 64 "crm-contact dupes --max-block '$bad'"
	err_has "--max-block: a number from 2 to 1000000, not \"$bad\""
done

# ---- a shared phone (a switchboard) split on the name's first letter --------

use phones
add --first-name Ann --last-name Archer --phone "+31 20 123 4567"
add --first-name Aad --last-name Smit --phone "020-1234567"
add --first-name Bob --last-name Cole --phone "+31201234567"
add --first-name Bea --last-name Dunn --phone "020 123 45 67"
run "dupes: four with one phone, six pairs" 0 'crm-contact dupes --default-region NL --no-header'
out_lines 6
run "dupes --max-block 2: only names starting alike" 0 \
	'crm-contact dupes --default-region NL --max-block 2 --format csv --no-header'
out_is "1,2,0.90,same phone (E.164),Ann Archer,,Aad Smit,
3,4,0.90,same phone (E.164),Bob Cole,,Bea Dunn,"
err_is "crm-contact: dupes: 1 block of more than 2 contacts (same phone) split on the first letter of the name"

# ---- order: by pass, then block key, then score ----------------------------

use order
add --first-name Zoe --last-name Zwart --city Zwolle --phone "+31 6 1111 1111"
add --first-name Zoe --last-name Zwart --city Zwolle --phone "06-11111111"
add --first-name Anna --last-name Adams --city Arnhem
add --first-name Anna --last-name Adamss --city Arnhem
add --first-name Anna --last-name Adams --city Arnhem
run "dupes: the phone pass first, then blocks in key order, each by score" 0 \
	'crm-contact dupes --default-region NL --format csv --no-header | cut -d, -f1-4'
out_is "1,2,0.90,same phone (E.164); same name in the same city
3,5,0.75,same name in the same city
3,4,0.60,name one edit apart in the same city
4,5,0.60,name one edit apart in the same city"

# ---- a block whose pairs fill more than one batch ----------------------------

use many
empty_store; crm-contact list > /dev/null 2>&1  # an empty store, migrated on open
sql "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 380)
 INSERT INTO contacts (uid, first_name, last_name, city, created_at, updated_at)
 SELECT 'u' || i, 'Frederik', 'Hansen', 'Utrecht', 'x', 'x' FROM n"
run "dupes: 380 of one name in one city, 72,010 pairs, each once" 0 \
	'crm-contact dupes --max-block 400 --no-header > pairs.tsv &&
	 wc -l < pairs.tsv && cut -f1,2 pairs.tsv | sort -u | wc -l &&
	 awk -F "\t" "\$1 >= \$2 || \$3 != \"0.75\"" pairs.tsv | wc -l'
out_is "72010
72010
0"
run "dupes --max-block 100: split, one part (one surname), still every pair" 0 \
	'crm-contact -v dupes --max-block 100 --no-header | wc -l'
out_is "72010"
err_has 'block "utrecht|f" (names alike in the same city) of 380 contacts split into 1 parts'

# ---- formats: CSV when asked, and merge --from reads both -------------------

use formats
add --uid u-a1 --first-name Pia --last-name Pauw --email pia@example.org
add --uid u-a2 --first-name Pia --last-name Pauw --email PIA+x@example.org
add --uid u-b1 --first-name Quinten --last-name Quist --company "Quux BV"
add --uid u-b2 --first-name Quinten --last-name Quist --company quux
run "the global --format csv before the command gives CSV" 0 \
	'crm-contact --format csv dupes --default-region NL > pairs.csv && head -n 1 pairs.csv'
out_is "keep,other,score,reason,keep_name,keep_email,other_name,other_email"
run "without --format, a file gets TSV" 0 'crm-contact dupes > pairs.tsv && head -n 1 pairs.tsv'
out_is "$(printf 'keep\tother\tscore\treason\tkeep_name\tkeep_email\tother_name\tother_email')"
run "merge --from the TSV file" 0 'grep -v Quinten pairs.tsv > pia.tsv && crm-contact -v merge --from pia.tsv'
err_is "crm-contact: merge: 1 merged, 0 skipped"
run "merge --from the CSV file: the other pair merges, the first is gone" 0 \
	'crm-contact -v merge --from pairs.csv'
err_is "crm-contact: merge: no contact \"2\": skipped
crm-contact: merge: 1 merged, 1 skipped"
check "one of each left" '[ "$(sql "SELECT group_concat(uid, \" \") FROM (SELECT uid FROM contacts ORDER BY id) AS t")" = "u-a1 u-b1" ]'

finish
