#!/bin/sh
# tests/e2e/privacy_scale.sh - how commands open the store, and data-subject
# requests across merges.
#
# A command that only reads never creates a store: on a missing one it
# exits 66 naming the path and leaves no file or directory behind; a
# command that writes creates the store (0600) and its directories (0700).
# Every read command of crm-contact, crm-log and crm-segment is checked.
# Then export --subject and erase --force of a person with contacts
# merged into it directly and indirectly.
. "$(dirname "$0")/lib.sh"
export CRM_NOW=2026-06-01T00:00:00Z

# The missing store: a file in directories that do not exist on SQLite;
# on PostgreSQL a database with no tables (no store yet).
if on_sqlite; then
	db=$T/missing/dir/x.db
else
	db=$(store_at missing)
fi

# absent PATH: no store at PATH: neither PATH nor the directory missing/
# under $T exists (SQLite); the database $db has no tables (PostgreSQL).
absent() {
	if on_sqlite; then
		[ ! -e "$1" ] || _fail "$1 was created"
		[ ! -e "$T/missing" ] || _fail "$T/missing was created"
	else
		[ "$(sql_in "$db" "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()")" = 0 ] ||
			_fail "tables were created in $db"
	fi
}

# drop_missing: the missing store is missing again.
drop_missing() {
	if on_sqlite; then
		rm -rf "$T/missing"
	else
		(CRM_DB=$db; reset_store)
	fi
}

# ---- reading commands on a missing store: 66, the path, nothing created ----

# no_store NAME PROG CMD ARGS...: PROG --db $db CMD ARGS exits 66 with
# "PROG: CMD: no store at $db" and creates nothing.
no_store() {
	name=$1 prog=$2 cmd=$3
	shift 3
	run "$prog $cmd on a missing store: 66 ($name)" 66 "$prog --db '$db' $cmd $*"
	err_is "$prog: $cmd: no store at $db"
	absent "$db"
}

no_store list crm-contact list
no_store "list --tag" crm-contact list --tag vip
no_store show crm-contact show a@x.org
no_store export crm-contact export
no_store "export --format csv" crm-contact export --format csv
no_store "export --subject" crm-contact export --subject a@x.org
no_store "export --format vcard" crm-contact export --format vcard
no_store "tag list" crm-contact tag list
no_store "tag list CONTACT" crm-contact tag list a@x.org
no_store history crm-contact history a@x.org
no_store "history --since" crm-contact history --since -1d
no_store "email list" crm-contact email list a@x.org
no_store "phone list" crm-contact phone list a@x.org
no_store dupes crm-contact dupes

no_store timeline crm-log timeline a@x.org
no_store list crm-log list
no_store purchases crm-log purchases
no_store due crm-log due
no_store "due --overdue" crm-log due --overdue
no_store channels crm-log channels a@x.org
no_store "channels --all" crm-log channels --all

no_store count crm-segment count "'country = \"NL\"'"
no_store run crm-segment run "'country = \"NL\"'"
no_store list crm-segment list
no_store show crm-segment show vip
no_store diff crm-segment diff 1 2
no_store "diff NAME" crm-segment diff vip
no_store personas crm-segment personas
no_store cohort crm-segment cohort

# The store named by $CRM_DB (no --db), and the default under XDG_DATA_HOME.
run "list, CRM_DB missing: 66 with its path" 66 "CRM_DB='$db' crm-contact list"
err_is "crm-contact: list: no store at $db"
absent "$db"
if on_sqlite; then
	run "list, default store missing: 66, no crm/ directory made" 66 \
		"unset CRM_DB; XDG_DATA_HOME='$T/missing' crm-contact list"
	err_is "crm-contact: list: no store at $T/missing/crm/crm.db"
	absent "$T/missing/crm/crm.db"

	# A path through a regular file: no store either (not an I/O error).
	: >"$T/plain"
	run "show, store path under a file: 66" 66 "crm-contact --db '$T/plain/x.db' show 1"
	err_is "crm-contact: show: no store at $T/plain/x.db"
fi

# A bad usage is still a usage error, before the store is looked at.
run "list with a bad option on a missing store: 64" 64 "crm-contact --db '$db' list --bogus"
absent "$db"

# ---- writing commands create the store ----

# mode PATH: the permission bits of PATH in octal.
mode() { stat -c %a "$1"; }

run "add on a missing store creates it and its directories" 0 \
	"crm-contact --db '$db' add --email a@x.org --first-name Ann"
out_is "1"
if on_sqlite; then
	check "new store 0600, new directories 0700" \
		"[ \"\$(mode '$db')\" = 600 ] && [ \"\$(mode '$T/missing/dir')\" = 700 ] &&
		 [ \"\$(mode '$T/missing')\" = 700 ]"
fi
run "list on the store add made" 0 "crm-contact --db '$db' list --format csv --fields email"
out_is "email
a@x.org"
run "show on it" 0 "crm-contact --db '$db' show a@x.org"
out_has "Ann"
drop_missing

printf 'email,first_name\nb@x.org,Bo\n' >"$T/in.csv"
run "import on a missing store creates it" 0 "crm-contact --db '$db' import '$T/in.csv'"
run "and its contacts are there" 0 "crm-contact --db '$db' list --format csv --fields email"
out_is "email
b@x.org"
drop_missing

printf 'contact,at,type,subject\nc@x.org,2026-05-01T10:00:00Z,note,hello\n' >"$T/log.csv"
run "crm-log import --create-contacts on a missing store creates it" 0 \
	"crm-log --db '$db' import --create-contacts '$T/log.csv'"
run "and crm-log timeline reads it" 0 "crm-log --db '$db' timeline c@x.org"
out_has "hello"
drop_missing

run "crm-segment save on a missing store creates it" 0 \
	"crm-segment --db '$db' save vip 'country = \"NL\"'"
run "and crm-segment list reads it" 0 "crm-segment --db '$db' list"
out_has "vip"
run "crm-segment count on it: nobody matches" 1 "crm-segment --db '$db' count vip"
out_is "0"
drop_missing

# An empty but present store file is a store: read commands open it (an
# empty database on PostgreSQL is the missing store above).
if on_sqlite; then
	mkdir -p "$T/empty" && : >"$T/empty/crm.db"
	run "list on an empty store file: 1 (nothing), not 66" 1 "crm-contact --db '$T/empty/crm.db' list"
	err_empty
fi

# ---- export and erase across merges ----

setup() {
	(eval "$*") >"$T/setup.out" 2>&1 ||
		echo "FAIL $SUITE: setup failed: $*: $(head -c 400 "$T/setup.out")" >&2
}
setup crm-contact add --email zed@x.org --first-name Zed
setup crm-contact add --email zed.old@x.org --city Leiden
setup crm-contact add --email zed.work@x.org --company Acme
setup crm-contact add --email zed.older@x.org --title Boss
setup crm-contact add --email other@x.org --first-name Olga
# 4 into 3, then 3 and 2 into 1: 2, 3 and 4 are all the person
setup crm-contact merge 3 4
setup crm-contact merge 1 2 3

run "export --subject of the person: every merged contact's history" 0 \
	"crm-contact export --subject zed@x.org"
out_has '"entity_id":2, "action":"create"'
out_has '"entity_id":3, "action":"create"'
out_has '"entity_id":4, "action":"create"'
out_has '"new_value":"zed.older@x.org"'
out_has '"contact_merges": ['
out_lacks "other@x.org"
out_lacks '"entity_id":5'
run "erase --force of the person" 0 "crm-contact erase --force zed@x.org"
check "no history of 1-4 is left, 5's is" \
	"[ \"\$(sql 'SELECT group_concat(DISTINCT entity_id) FROM history')\" = 5 ]"
check "no merge record is left" "[ \"\$(sql 'SELECT count(*) FROM contact_merges')\" = 0 ]"
run "export after the erasure: the anonymous row and the erasure" 0 \
	"crm-contact export --subject 1"
out_has '"uid":"erased-1"'
out_has '"history": []'
out_lacks "zed"

finish
