#!/bin/sh
# The README's "A short tour", run as written: `make demo` first (into a
# temporary demo directory), then every command of the tour in order, from
# a copy of the top of the source tree. A command passes when it exits 0,
# or N where its line ends with "# exit N". Continuation lines (ending in a
# backslash) are joined; `export` lines are evaluated in this shell, as a
# user's shell would keep them.
. "$(dirname "$0")/lib.sh"

tree="$T/tree"
mkdir -p "$tree"
ln -s "$TOP/share" "$tree/share"
ln -s "$CRM_BIN" "$tree/cmd"
mkdir -p "$tree/scripts"
ln -s "$TOP/scripts/demo" "$tree/scripts/demo"
unset CRM_DB

run "make demo's script runs and its claims hold" 0 \
	'cd "$tree" && CRM_DEMO_DIR="$tree/demo" sh "$tree/scripts/demo"'
[ "$(grep -c '^(checked: ' "$T/out")" -ge 3 ] || _fail "the demo checked fewer than 3 claims"

# The tour block: from the "A short tour" heading to the next paragraph
# that is not indented, its indented lines with the indent removed.
sed -n '/^A short tour$/,/^Every program has a man page/p' "$TOP/README" |
	sed -n 's/^    //p' |
	awk '/\\$/ { sub(/\\$/, ""); line = line $0; next }
	     { print line $0; line = "" }' > "$T/tour"

check "the README has a tour of at least 20 commands" \
	'[ "$(grep -cv "^#\|^$" "$T/tour")" -ge 20 ]'

cd "$tree" || exit 70
n=0
while IFS= read -r cmd; do
	case $cmd in '' | '#'*) continue ;; esac
	n=$((n + 1))
	want=0
	case $cmd in
	*'# exit '[0-9]*) want=$(printf '%s\n' "$cmd" | sed 's/.*# exit \([0-9]*\).*/\1/') ;;
	esac
	case $cmd in
	export\ *)
		eval "$cmd"
		check "tour $n: $cmd" '[ "$CRM_DB" = "$tree/demo/crm.db" ]'
		;;
	*)
		# no terminal, no stdin: as from cron (a pipe inside still works)
		run "tour $n: $cmd" "$want" "{ $cmd
} < /dev/null"
		;;
	esac
done 3< "$T/tour" <&3

# The tour did what it says. Its store is the SQLite file the README
# names, whichever store the suite runs on (make test-pg too).
CRM_DB="$tree/demo/crm.db"
sql() {
	sqlite3 -batch -noheader "$CRM_DB" "$1"
}
check "tour: the erasure left no history of her edit" \
	'[ "$(sql "SELECT count(*) FROM history WHERE field = '\''shoe_size'\'' AND new_value = '\''39'\''")" -eq 0 ]'
# the invoice lines' total by awk: quantity x price of the rows with a customer
retail_cents=$(awk -F, 'NR > 1 && $7 != "" { t += $4 * $6 } END { printf "%.0f", t * 100 }' "$TOP/share/online-retail.csv")
check "tour: Outlook's US birthday, the decimal comma and the invoice lines were read" \
	'[ "$(sql "SELECT birthdate FROM contacts WHERE email = '\''linda.chen@example.com'\''")" = 1982-12-31 ] &&
	 [ "$(sql "SELECT value FROM contact_fields WHERE name = '\''umsatz'\'' ORDER BY contact_id LIMIT 1")" = 1234.50 ] &&
	 [ "$(sql "SELECT count(*), sum(amount), min(currency) FROM interactions WHERE currency = '\''GBP'\''")" = "5|$retail_cents|GBP" ]'
check "tour: the Spanish contacts are tagged" \
	'[ "$(sql "SELECT count(*) FROM contact_tags WHERE tag = '\''spanish'\''")" -ge 20 ] &&
	 [ "$(sql "SELECT count(*) FROM contacts c WHERE country = '\''Spain'\'' AND NOT EXISTS (SELECT 1 FROM contact_tags t WHERE t.contact_id = c.id AND t.tag = '\''spanish'\'')")" -eq 0 ]'
check "tour: the subject export names her" 'grep -q maria.garcia@example.com "$tree/maria.json"'

check "tour: she is erased" \
	'[ "$(sql "SELECT count(*) FROM contacts WHERE email = '\''maria.garcia@example.com'\''")" -eq 0 ]'
check "tour: the spreadsheet export has every contact" \
	'[ "$(($(wc -l < "$tree/contacts-for-excel.csv") - 1))" -ge 280 ]'
finish
