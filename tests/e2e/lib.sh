# tests/e2e/lib.sh - sourced by every end-to-end test script.
#
# Each script is a table of cases on a fresh temporary store:
#
#   run  "add with custom field" 0  'crm-contact add --email a@x.org shoe=42'
#   out_has "42"
#   run  "unknown contact" 1  'crm-contact show 999'
#   err_is  "crm-contact: show: no contact \"999\""
#
# run NAME STATUS COMMAND evaluates COMMAND with sh in $T (the temp dir),
# stdout to $T/out and stderr to $T/err, and checks the exit status; the
# assertions after it belong to that case. A case passes when all of its
# checks pass. finish prints and records the totals.
set -u
: "${CRM_BIN:?CRM_BIN must name the directory of the programs}"
: "${RESULTS:=/dev/null}"
: "${SUITE:=$(basename "$0" .sh)}"
PATH="$CRM_BIN:$PATH"
# PostgreSQL's own psql, not Debian's wrapper of it (a Perl program that
# starts in ~0.1 s: a suite's checks run it hundreds of times)
_pgbin=$(pg_config --bindir 2> /dev/null || :)
if [ -n "$_pgbin" ] && [ -x "$_pgbin/psql" ]; then
	PATH="$CRM_BIN:$_pgbin:$PATH"
fi
TOP=$(cd "$(dirname "$0")/../.." && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export CRM_DB="$T/crm.db" CRM_USER=tester HOME="$T/home" XDG_DATA_HOME="$T/xdg"
unset CRM_BUSY_TIMEOUT CRM_NOW
# make test-pg: CRM_TEST_PG names a PostgreSQL server (a libpq keyword
# string with dbname=...); each suite gets a database of its own there,
# dropped at the end, as its store.
# The programs connect as the role tester, which owns the suite's
# databases: a PostgreSQL store records the role in its history, where
# an SQLite store records CRM_USER (tester too).
if [ -n "${CRM_TEST_PG:-}" ]; then
	PGDB="crm_$(printf '%s' "$SUITE" | tr -c 'a-z0-9_' '_')_$$"
	psql "$CRM_TEST_PG" -XqAtc "DO \$\$ BEGIN CREATE ROLE tester LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END \$\$" > /dev/null 2>&1
	psql "$CRM_TEST_PG" -XqAtc "CREATE DATABASE $PGDB OWNER tester" > /dev/null || exit 70
	echo "$PGDB" > "$T/.pgdbs"
	CRM_DB=$(printf '%s' "$CRM_TEST_PG" | sed "s/dbname=[^ ]*/dbname=$PGDB/; s/user=[^ ]*/user=tester/")
	export CRM_DB
	trap 'while read -r _d; do psql "$CRM_TEST_PG" -XqAtc "DROP DATABASE IF EXISTS $_d WITH (FORCE)" > /dev/null 2>&1; done < "$T/.pgdbs"; rm -rf "$T"' EXIT
fi

# pg_db NAME: the connection string of the test server's database NAME,
# as the role tester.
pg_db() {
	printf '%s\n' "$CRM_TEST_PG" | sed "s/dbname=[^ ]*/dbname=$1/; s/user=[^ ]*/user=tester/"
}

# store_at NAME: the name of another store of this suite, called NAME: the
# file $T/NAME.db on SQLite, a database of the test server on PostgreSQL
# (made empty on first use, dropped at the end).
store_at() {
	if [ -z "${CRM_TEST_PG:-}" ]; then
		printf '%s\n' "$T/$1.db"
		return
	fi
	_db="${PGDB}_$(printf '%s' "$1" | tr -c 'a-z0-9_' '_')"
	if ! grep -qx "$_db" "$T/.pgdbs"; then
		psql "$CRM_TEST_PG" -XqAtc "CREATE DATABASE $_db OWNER tester" > /dev/null || return 70
		echo "$_db" >> "$T/.pgdbs"
	fi
	pg_db "$_db"
}

# empty_store: CRM_DB is a store with nothing in it: an empty file on
# SQLite (a store, made on open); on PostgreSQL an empty database is no
# store yet (as a missing file), so an import of no rows makes its tables.
empty_store() {
	if [ -z "${CRM_TEST_PG:-}" ]; then
		rm -f "$CRM_DB-wal" "$CRM_DB-shm" && : > "$CRM_DB"
		return
	fi
	reset_store && printf 'email\n' | crm-contact import - > /dev/null 2>&1
}

# reset_store: CRM_DB is empty again, as if it had never been made.
reset_store() {
	if [ -z "${CRM_TEST_PG:-}" ]; then
		rm -f "$CRM_DB" "$CRM_DB-wal" "$CRM_DB-shm"
		return
	fi
	_db=$(printf '%s\n' "$CRM_DB" | sed -n 's/.*dbname=\([^ ]*\).*/\1/p')
	psql "$CRM_TEST_PG" -XqAtc "DROP DATABASE IF EXISTS $_db WITH (FORCE)" > /dev/null &&
		psql "$CRM_TEST_PG" -XqAtc "CREATE DATABASE $_db OWNER tester" > /dev/null
}
# times without an offset are local: every suite runs in UTC unless it
# says otherwise (TZ=Europe/Amsterdam crm-log ...)
export TZ=UTC
cd "$T" || exit 70
passed=0
failed=0
cur=""
cur_ok=1

_end() {
	if [ -n "$cur" ]; then
		if [ "$cur_ok" = 1 ]; then
			passed=$((passed + 1))
		else
			failed=$((failed + 1))
		fi
	fi
	cur=""
}

_fail() {
	cur_ok=0
	printf 'FAIL %s: %s: %s\n' "$SUITE" "$cur" "$*" >&2
}

run() {
	_end
	cur=$1
	cur_ok=1
	_want=$2
	shift 2
	(eval "$*") > "$T/out" 2> "$T/err"
	_got=$?
	[ "$_got" = "$_want" ] ||
		_fail "exit status $_got, want $_want; stderr: $(head -c 400 "$T/err")"
}

out_is() {
	printf '%s\n' "$1" | cmp -s - "$T/out" ||
		_fail "stdout is not as expected:
--- want
$1
--- got
$(head -c 1000 "$T/out")"
}

out_has() {
	grep -qF -- "$1" "$T/out" || _fail "stdout lacks \"$1\": $(head -c 400 "$T/out")"
}

out_lacks() {
	! grep -qF -- "$1" "$T/out" || _fail "stdout has \"$1\""
}

out_lines() {
	_n=$(wc -l < "$T/out" | tr -d ' ')
	[ "$_n" = "$1" ] || _fail "stdout has $_n lines, want $1"
}

err_is() {
	printf '%s\n' "$1" | cmp -s - "$T/err" ||
		_fail "stderr is \"$(head -c 400 "$T/err")\", want \"$1\""
}

err_has() {
	grep -qF -- "$1" "$T/err" || _fail "stderr lacks \"$1\": $(head -c 400 "$T/err")"
}

err_lacks() {
	! grep -qF -- "$1" "$T/err" || _fail "stderr has \"$1\": $(head -c 400 "$T/err")"
}

err_empty() {
	[ ! -s "$T/err" ] || _fail "stderr not empty: $(head -c 400 "$T/err")"
}

# lock_store / unlock_store: a second program holds an exclusive lock on
# $CRM_DB (WAL: every reader is kept out) until unlock_store. lock_store
# returns once the lock is held, starting the holder again if it lost the
# race for the lock (up to 20 times); unlock_store never blocks, even when
# the holder is gone.
lock_store() {
	rm -f "$T/hold"
	mkfifo "$T/hold"
	_tries=0
	while [ $_tries -lt 20 ]; do
		(sqlite3 "$CRM_DB" ".timeout 5000" "PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE;" \
			"SELECT 1 FROM contacts LIMIT 1;" ".shell cat '$T/hold'" "COMMIT;" > /dev/null 2>&1) &
		_holder=$!
		_wait=0
		while kill -0 "$_holder" 2> /dev/null && [ $_wait -lt 100 ]; do
			sqlite3 "$CRM_DB" "SELECT 1 FROM contacts LIMIT 1" > /dev/null 2>&1 || return 0
			sleep 0.05
			_wait=$((_wait + 1))
		done
		kill "$_holder" 2> /dev/null
		wait "$_holder" 2> /dev/null
		_tries=$((_tries + 1))
	done
	echo "lock_store: could not lock $CRM_DB" >&2
	return 1
}

unlock_store() {
	# opened read-write, a FIFO never blocks, whether the holder reads or not
	echo > "$T/hold" 1<> "$T/hold"
	wait "$_holder" 2> /dev/null
	rm -f "$T/hold"
}

# sql QUERY: the store's answer, for checks that look behind the programs.
# The queries are SQLite's; on PostgreSQL their "double-quoted" strings
# are quoted as PostgreSQL reads strings, and SQLite's two checks of a
# whole store have their PostgreSQL counterparts: the server's count of
# pages that failed their checksum, and none for foreign keys (PostgreSQL
# checks every one as it is written, so none can be broken in the store).
sql() {
	sql_in "$CRM_DB" "$1"
}

# sql_in STORE QUERY: sql on another store of the suite (a name that
# store_at printed).
sql_in() {
	if [ -z "${CRM_TEST_PG:-}" ]; then
		sqlite3 -batch -noheader "$1" "$2"
		return
	fi
	_q=$(printf '%s' "$2" | sed "s/\"/'/g; s/PRAGMA integrity_check/SELECT CASE WHEN coalesce(sum(checksum_failures), 0) = 0 THEN 'ok' END FROM pg_stat_database WHERE datname = current_database()/; s/PRAGMA foreign_key_check/SELECT 1 WHERE false/")
	printf '%s\n' "$_q" | psql "$1" -X -q -A -t -v ON_ERROR_STOP=1 -f - 2>&1
}

# tsql QUERY: sql with the columns separated by tabs, NULL empty.
tsql() {
	if [ -z "${CRM_TEST_PG:-}" ]; then
		sqlite3 -batch -noheader -separator "$(printf '\t')" "$CRM_DB" "$1"
		return
	fi
	_q=$(printf '%s' "$1" | sed "s/\"/'/g")
	printf '%s\n' "$_q" | psql "$CRM_DB" -X -q -A -t -F "$(printf '\t')" -v ON_ERROR_STOP=1 -f - 2>&1
}

# store_columns: "table|column" for each column of each table of the store.
store_columns() {
	if on_sqlite; then
		sql "SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p WHERE m.type = 'table'"
	else
		sql "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name IN (SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE')"
	fi
}

# set_last_id TABLE N: the store gives TABLE's next row the id N + 1 when
# its rows' ids are at most N (SQLite's sqlite_sequence, PostgreSQL's
# floor in crm_ids).
set_last_id() {
	if on_sqlite; then
		sql "UPDATE sqlite_sequence SET seq = $2 WHERE name = '$1'"
	else
		sql "INSERT INTO crm_ids (name, last) VALUES ('$1', $2) ON CONFLICT (name) DO UPDATE SET last = excluded.last" > /dev/null
	fi
}

# store_tables: the name of each table of the store, one a line.
store_tables() {
	if on_sqlite; then
		sql "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
	else
		sql "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name"
	fi
}

# store_indexes: "name|definition" for each index of the store (the
# CREATE INDEX statement on either store; SQLite's automatic ones have
# no statement).
store_indexes() {
	if on_sqlite; then
		sql "SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name"
	else
		sql "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() ORDER BY indexname"
	fi
}

# no_store: CRM_DB was never made a store: no file on SQLite, no table
# in the database on PostgreSQL.
no_store() {
	if on_sqlite; then
		[ ! -e "$CRM_DB" ]
	else
		[ "$(sql "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()")" = 0 ]
	fi
}

# copy_store NAME: a copy of CRM_DB as the store NAME of the suite (the
# file copied on SQLite, a database made from it on PostgreSQL); prints
# the copy's name, as store_at does.
copy_store() {
	if on_sqlite; then
		cp "$CRM_DB" "$T/$1.db" && printf '%s\n' "$T/$1.db"
		return
	fi
	_from=$(printf '%s\n' "$CRM_DB" | sed -n 's/.*dbname=\([^ ]*\).*/\1/p')
	_db="${PGDB}_$(printf '%s' "$1" | tr -c 'a-z0-9_' '_')"
	psql "$CRM_TEST_PG" -XqAtc "DROP DATABASE IF EXISTS $_db WITH (FORCE)" > /dev/null &&
		psql "$CRM_TEST_PG" -XqAtc "CREATE DATABASE $_db OWNER tester TEMPLATE $_from" > /dev/null || return 70
	grep -qx "$_db" "$T/.pgdbs" || echo "$_db" >> "$T/.pgdbs"
	pg_db "$_db"
}

# as_user NAME: the store's name for the user NAME: CRM_DB on SQLite
# (where CRM_USER names the user), on PostgreSQL CRM_DB with the login
# role NAME (made on first use, a member of tester, so it may write the
# store), which the store records as the user.
as_user() {
	if on_sqlite; then
		printf '%s\n' "$CRM_DB"
		return
	fi
	psql "$CRM_TEST_PG" -XqAtc "DO \$\$ BEGIN CREATE ROLE $1 LOGIN IN ROLE tester; EXCEPTION WHEN duplicate_object THEN NULL; END \$\$" > /dev/null 2>&1
	printf '%s\n' "$CRM_DB" | sed "s/user=[^ ]*/user=$1/"
}

# on_sqlite: true when the store is an SQLite file (not make test-pg); a
# case that checks what only SQLite does runs under it.
on_sqlite() {
	[ -z "${CRM_TEST_PG:-}" ]
}

# hold_writer / release_writer: another program holds the store's write
# lock (with a write pending) until released; writers wait for it, readers
# do not.
hold_writer() {
	rm -f "$T/locked" "$T/release"
	if on_sqlite; then
		sqlite3 "$CRM_DB" "BEGIN IMMEDIATE;" "INSERT INTO history (at, who, entity, entity_id, action) VALUES ('x', 'x', 'lock', 0, 'x');" \
			".shell touch '$T/locked'" \
			".shell i=0; while [ ! -e '$T/release' ] && [ \$i -lt 300 ]; do sleep 0.1; i=\$((i + 1)); done" \
			"COMMIT;" > /dev/null 2>&1 &
	else
		printf '%s\n' "BEGIN;" "SELECT pg_advisory_xact_lock(7271);" \
			"INSERT INTO history (at, who, entity, entity_id, action) VALUES ('x', 'x', 'lock', 0, 'x');" \
			"\\! touch '$T/locked'" \
			"\\! i=0; while [ ! -e '$T/release' ] && [ \$i -lt 300 ]; do sleep 0.1; i=\$((i + 1)); done" \
			"COMMIT;" | psql "$CRM_DB" -X -q > /dev/null 2>&1 &
	fi
	_writer=$!
	_i=0
	while [ ! -e "$T/locked" ] && [ $_i -lt 100 ]; do sleep 0.1; _i=$((_i + 1)); done
}

release_writer() {
	touch "$T/release"
	wait "$_writer"
}

# check NAME COMMAND: a case that passes when the shell COMMAND succeeds.
check() {
	_end
	cur=$1
	cur_ok=1
	shift
	(eval "$*") > "$T/out" 2> "$T/err" || _fail "check failed: $*; $(head -c 400 "$T/err")"
}

finish() {
	_end
	echo "e2e $SUITE: $passed passed, $failed failed"
	echo "$passed $failed" >> "$RESULTS"
}
