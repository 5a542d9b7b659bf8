#!/bin/sh
# tests/e2e/import_resume.sh - an import killed again and again converges:
# each re-run of the same file starts after the rows its predecessors
# committed (migration 0009), says so, and the store ends as one clean
# import leaves it, rejects file included; a changed file, a pipe and
# --no-resume start from the top, and a finished import is read in full
# the next time.
#
# $CRM_TEST_COMMIT_ROWS=N commits every N rows (instead of every second)
# and $CRM_TEST_KILL_AFTER_COMMITS=K has the program killed (SIGKILL)
# right after its Kth commit, so the kills fall at known rows; one case
# kills from outside, as a user would.
. "$(dirname "$0")/lib.sh"
export CRM_NOW=2026-01-01T00:00:00Z
FIELDS=id,first_name,last_name,email,company,created_at,updated_at

# 1000 contacts; every 97th email is invalid (10 rejects: rows 97..970).
awk 'BEGIN {
	print "email,first_name,company"
	for (i = 1; i <= 1000; i++)
		if (i % 97 == 0)
			printf "bad%d,X%d,Co\n", i, i
		else
			printf "u%d@example.org,N%d,Co %d\n", i, i, i % 7
}' > big.csv

killed() { # the import of "$@", killed after its second commit (300 rows)
	CRM_TEST_COMMIT_ROWS=150 CRM_TEST_KILL_AFTER_COMMITS=2 "$@"
}

# ---- crm-contact import, killed three times --------------------------------

run "a killed import: its committed rows stay (rows 1..300, 3 of them rejected)" 137 \
	'killed crm-contact -v import --rejects rej.csv big.csv'
check "297 contacts, and the record of where it got to" \
	'[ "$(sql "SELECT count(*) FROM contacts")" = 297 ] &&
	 [ "$(sql "SELECT rows_done, line, rejected FROM import_resume")" = "300|302|3" ]'
check "the rejects file of a killed run is not written" '[ ! -e rej.csv ]'

run "killed again: it started at row 301, so rows 301..600 are stored now" 137 \
	'killed crm-contact -v import --rejects rej.csv big.csv'
check "594 contacts; the record at row 600" \
	'[ "$(sql "SELECT count(*) FROM contacts")" = 594 ] &&
	 [ "$(sql "SELECT rows_done, rejected FROM import_resume")" = "600|6" ]'

run "and again: rows 601..900" 137 'killed crm-contact -v import --rejects rej.csv big.csv'
check "891 contacts" '[ "$(sql "SELECT count(*) FROM contacts")" = 891 ]'

run "the run that finishes reads the last 100 rows only, and says why" 65 \
	'crm-contact import --rejects rej.csv big.csv'
err_is "crm-contact: import: big.csv: 100 read, 99 added, 0 updated, 1 rejected (see rej.csv); resumed at row 901 (line 902): rows 1..900 were imported by an earlier run, 9 of them rejected"
check "finished: no record left" '[ "$(sql "SELECT count(*) FROM import_resume")" = 0 ]'

run "one clean import of the same file, into another store" 65 \
	'CRM_DB=$(store_at clean) crm-contact import --rejects clean-rej.csv big.csv'
err_is "crm-contact: import: big.csv: 1000 read, 990 added, 0 updated, 10 rejected (see clean-rej.csv)"
run "the killed and resumed import stored the same contacts" 0 \
	"crm-contact export --format csv --fields $FIELDS > a.csv &&
	 CRM_DB=\"\$(store_at clean)\" crm-contact export --format csv --fields $FIELDS > b.csv && cmp a.csv b.csv"
run "and its rejects file holds every reject, as the clean one" 0 'cmp rej.csv clean-rej.csv'
check "ten of them" '[ "$(wc -l < rej.csv)" = 11 ]'

run "a later import of the finished file reads it all again (upsert rules)" 65 \
	'crm-contact import --rejects r.csv big.csv'
err_is "crm-contact: import: big.csv: 1000 read, 0 added, 0 updated, 990 unchanged, 10 rejected (see r.csv)"

# ---- what starts from the top ----------------------------------------------

run "killed once more" 137 'killed crm-contact import big.csv'
sed 's/^u5@example.org,N5,/u5@example.org,M5,/' big.csv > changed.csv
mv changed.csv big.csv
run "the file changed (one byte, same size): read from the top" 65 \
	'crm-contact import --rejects r.csv big.csv'
err_is "crm-contact: import: big.csv: 1000 read, 0 added, 1 updated, 989 unchanged, 10 rejected (see r.csv)"
check "the change was read, the old contents' record dropped" \
	'[ "$(sql "SELECT first_name FROM contacts WHERE email = '\''u5@example.org'\''")" = M5 ] &&
	 [ "$(sql "SELECT count(*) FROM import_resume")" = 0 ]'

run "killed, then --no-resume" 137 'killed crm-contact import big.csv'
run "--no-resume reads it all" 65 'crm-contact import --no-resume --rejects r.csv big.csv'
err_is "crm-contact: import: big.csv: 1000 read, 0 added, 0 updated, 990 unchanged, 10 rejected (see r.csv)"
check "and finishes it: no record" '[ "$(sql "SELECT count(*) FROM import_resume")" = 0 ]'

run "killed while reading a pipe" 137 'cat big.csv | killed crm-contact import -'
check "a pipe cannot be told from another: nothing recorded" \
	'[ "$(sql "SELECT count(*) FROM import_resume")" = 0 ]'
run "stdin from the file itself is identified" 137 'killed crm-contact import - < big.csv'
run "and resumed" 65 'crm-contact import --rejects r.csv - < big.csv'
err_is "crm-contact: import: <stdin>: 700 read, 0 added, 0 updated, 693 unchanged, 7 rejected (see r.csv); resumed at row 301 (line 302): rows 1..300 were imported by an earlier run, 3 of them rejected"

# ---- killed from outside ---------------------------------------------------

reset_store
# A commit every row (each followed by a 20 ms pause for other writers):
# the kill comes long before the end.
CRM_TEST_COMMIT_ROWS=1 crm-contact import --rejects rej.csv big.csv 2>/dev/null &
pid=$!
i=0
while [ "$(sql "SELECT CASE WHEN coalesce(max(rows_done), 0) >= 5 THEN 1 ELSE 0 END FROM import_resume" 2>/dev/null)" != 1 ] &&
	[ $i -lt 200 ]; do
	sleep 0.05
	i=$((i + 1))
done
kill -KILL $pid
wait $pid
st=$?
check "kill -9 from outside, some rows in: killed before the end" '[ "$st" = 137 ]'
done_rows=$(sql "SELECT rows_done FROM import_resume")
stored=$(sql "SELECT count(*) FROM contacts")
check "what it committed and its record agree" \
	'[ "$done_rows" -ge 5 ] && [ "$stored" = $((done_rows - done_rows / 97)) ]'
run "the re-run starts after the rows stored" 65 'crm-contact import --rejects rej.csv big.csv'
err_has "resumed at row $((done_rows + 1)) (line $((done_rows + 2))): rows 1..$done_rows were imported by an earlier run"
err_has "big.csv: $((1000 - done_rows)) read, "
run "and ends where the clean import does" 0 \
	"crm-contact export --format csv --fields $FIELDS > a.csv &&
	 CRM_DB=\"\$(store_at clean2)\" crm-contact import -q big.csv; CRM_DB=\"\$(store_at clean2)\" crm-contact export --format csv --fields $FIELDS > b.csv && cmp a.csv b.csv"

# ---- vCard: resumed by reading past the cards done -------------------------

crm-contact export --format vcard > all.vcf
for n in 1 2 3; do
	killed env CRM_DB="$(store_at v)" crm-contact import all.vcf 2>/dev/null
done
run "a vCard import killed three times, then finished" 0 'CRM_DB=$(store_at v) crm-contact import all.vcf'
err_is "crm-contact: import: all.vcf: 90 read, 90 added, 0 updated, 0 rejected; resumed at row 901 (line 7201): rows 1..900 were imported by an earlier run"
run "the same contacts as one clean vCard import" 0 \
	"CRM_DB=\"\$(store_at v)\" crm-contact export --format csv --fields uid,$FIELDS > a.csv &&
	 CRM_DB=\"\$(store_at v2)\" crm-contact import all.vcf && CRM_DB=\"\$(store_at v2)\" crm-contact export --format csv --fields uid,$FIELDS > b.csv &&
	 cmp a.csv b.csv"

# ---- crm-log import: sorted blocks, committed whole -------------------------

awk 'BEGIN {
	print "email,date,channel,type,subject,ext_key"
	for (i = 1; i <= 1000; i++)
		printf "u%d@example.org,2025-11-%02d,%s,note,S%d,k%d\n", (i * 31) % 1000 + 1,
			(i * 7919) % 28 + 1, i % 101 == 0 ? "fax" : "email", i, i
}' > ev.csv
base=$(copy_store base)
progress=
for n in 1 2 3; do
	killed crm-log import --block-size 40 --rejects erej.csv ev.csv 2>/dev/null
	progress="$progress $(sql "SELECT rows_done FROM import_resume WHERE command = 'crm-log import'")"
done
check "three killed runs, each further than the one before (whole blocks of 40)" \
	'set -- $progress; [ $# = 3 ] && [ "$1" -gt 200 ] && [ "$2" -gt $(($1 + 200)) ] && [ "$3" -gt $(($2 + 200)) ]'
run "the fourth finishes" 65 'crm-log import --block-size 40 --rejects erej.csv ev.csv'
err_has "resumed at row "
check "the same interactions as one clean import" \
	'CRM_DB=$base crm-log import -q --block-size 40 --rejects erej2.csv ev.csv;
	 q="SELECT contact_id, at, channel, subject, ext_key FROM interactions ORDER BY ext_key";
	 [ "$(sql "$q")" = "$(sql_in "$base" "$q")" ] && [ -n "$(sql "$q")" ] && cmp erej.csv erej2.csv'

# ---- other options, order lines, erasure: never a wrong resume -------------

run "killed, importing with --tag vip" 137 'killed crm-contact import --tag vip big.csv'
run "the re-run with --tag wholesale reads from the top, not resumed" 65 \
	'crm-contact -v import --tag wholesale --rejects r.csv big.csv'
err_lacks "resumed"
check "so every contact of the file got the new tag" \
	'[ "$(sql "SELECT count(*) FROM contact_tags WHERE tag = \"wholesale\"")" = 990 ]'

# One order of 10 lines read in blocks of 4, killed after the first block:
# the lines are numbered as they come, so the re-run must read them all.
{
	echo "email,date,Invoice,Description,Quantity,UnitPrice"
	i=1
	while [ $i -le 10 ]; do
		echo "u1@example.org,2025-11-01,9001,P$i,1,1.00"
		i=$((i + 1))
	done
} > order.csv
run "an import of order lines, killed after its first block" 137 \
	'CRM_TEST_COMMIT_ROWS=4 CRM_TEST_KILL_AFTER_COMMITS=1 crm-log import --block-size 4 --map Invoice=order order.csv'
check "no record of it: order lines are never resumed" \
	'[ "$(sql "SELECT count(*) FROM import_resume WHERE command = \"crm-log import\"")" = 0 ]'
run "the re-run reads every line again" 0 'crm-log import -v --block-size 4 --map Invoice=order order.csv'
err_lacks "resumed"
check "the order has its ten lines and their sum, as one clean import" \
	'[ "$(sql "SELECT count(*), group_concat(d, \" \") FROM (SELECT l.description AS d FROM interaction_lines l JOIN interactions i ON i.id = l.interaction_id WHERE i.ext_key = \"9001\" ORDER BY l.line) AS t")" = "10|P1 P2 P3 P4 P5 P6 P7 P8 P9 P10" ] &&
	 [ "$(sql "SELECT amount FROM interactions WHERE ext_key = \"9001\"")" = 1000 ]'

# A killed import keeps its rejected rows' cells until it finishes: an
# erasure removes them all.
printf 'email,first_name,birthdate\nann@x.org,Ann,1980-13-45\n' > p.csv
awk 'BEGIN { for (i = 1; i <= 400; i++) printf "p%d@example.org,P%d,\n", i, i }' >> p.csv
run "a killed import with a rejected row of Ann's" 137 'killed crm-contact import --rejects pr.csv p.csv'
check "the record keeps the rejected row" \
	'sql "SELECT lines FROM import_resume_rejects" | grep -q "ann@x.org"'
crm-contact add --email ann@x.org --first-name Ann > /dev/null
run "erase Ann" 0 'crm-contact erase -f ann@x.org'
check "no record keeps her row any more" \
	'[ "$(sql "SELECT count(*) FROM import_resume_rejects") $(sql "SELECT count(*) FROM import_resume")" = "0 0" ]'

finish
