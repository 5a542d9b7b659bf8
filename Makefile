# crm - a Unix toolkit of small CRM programs.
#
#   make            build lib/libcrm.a and the programs in cmd/
#   make deps       install missing Debian packages (as root, or via sudo)
#   make test       build and run every unit and end-to-end test
#   make test-pg    the end-to-end suites of tests/e2e/pg-suites on a
#                   throwaway PostgreSQL server
#   make check      the same tests built with ASan and UBSan
#   make valgrind   the unit tests under valgrind
#   make lint       mandoc -T lint on the man pages
#   make demo       a guided tour over the sample data in share/
#   make bench      benchmarks against reference runs (see README)
#   make fuzz       build the libFuzzer targets (clang)
#   make install PREFIX=/usr/local DESTDIR=   /   make uninstall
#
# O=DIR/ puts every build product under DIR/ (make check uses build/asan/).

CC      ?= cc
CFLAGS  ?= -O2 -g
PREFIX  ?= /usr/local
DESTDIR ?=
O       ?=

VERSION = 0.1.0
PROGRAMS = crm crm-contact crm-log crm-segment crm-lead crm-ticket
WARN     = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wformat=2 -Wno-format-nonliteral
CRM_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
           -DCRM_VERSION=\"$(VERSION)\" $(WARN) -Ilib -I$(PG_INCLUDE) $(MAIL_CFLAGS)
PG_INCLUDE := $(shell pg_config --includedir 2>/dev/null || echo /usr/include/postgresql)
# GMime's and GLib's headers as system headers: their warnings are not ours.
MAIL_CFLAGS := $(patsubst -I%,-isystem %,$(shell pkg-config --cflags gmime-3.0 libcurl 2>/dev/null))
MAIL_LIBS   := $(shell pkg-config --libs gmime-3.0 libcurl 2>/dev/null || echo -lgmime-3.0 -lgobject-2.0 -lglib-2.0 -lcurl)
LDLIBS   = -lsqlite3 -lpq -lcsv $(MAIL_LIBS) -lm
TEST_LDLIBS = -lcmocka

LIB_SRCS  = $(sort $(wildcard lib/*/*.c))
LIB_HDRS  = $(sort $(wildcard lib/*/*.h))
LIB_OBJS  = $(LIB_SRCS:%.c=$(O)%.o) $(O)lib/store/schema_sql.o $(O)lib/store/schema_pg.o
SQL_FILES = $(sort $(wildcard lib/store/sql/*.sql))
PG_SQL_FILES = $(sort $(wildcard lib/store/sql/pg/*.sql))
UNIT_SRCS = $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS = $(UNIT_SRCS:%.c=$(O)%)
BINS      = $(PROGRAMS:%=$(O)cmd/%)
MAN1      = $(PROGRAMS:%=man/man1/%.1)
MAN7      = man/man7/crm.7 man/man7/crm-filter.7

.PHONY: all deps test test-pg check valgrind lint demo bench fuzz install uninstall clean

all: $(O)lib/libcrm.a $(BINS)

$(O)lib/store/schema_sql.c: $(SQL_FILES) scripts/sql2c
	@mkdir -p $(@D)
	sh scripts/sql2c $(SQL_FILES) > $@.tmp && mv $@.tmp $@

$(O)lib/store/schema_sql.o: $(O)lib/store/schema_sql.c
	$(CC) $(CRM_CFLAGS) $(CFLAGS) -c -o $@ $<

$(O)lib/store/schema_pg.c: $(PG_SQL_FILES) scripts/sql2c
	@mkdir -p $(@D)
	sh scripts/sql2c -s pg $(PG_SQL_FILES) > $@.tmp && mv $@.tmp $@

$(O)lib/store/schema_pg.o: $(O)lib/store/schema_pg.c
	$(CC) $(CRM_CFLAGS) $(CFLAGS) -c -o $@ $<

$(O)lib/%.o: lib/%.c $(LIB_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CRM_CFLAGS) $(CFLAGS) -c -o $@ $<

$(O)lib/libcrm.a: $(LIB_OBJS)
	rm -f $@
	$(AR) rcs $@ $(LIB_OBJS)

$(O)cmd/%: cmd/%.c $(O)lib/libcrm.a $(LIB_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CRM_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(O)lib/libcrm.a $(LDLIBS)

$(O)tests/unit/%: tests/unit/%.c $(O)lib/libcrm.a $(LIB_HDRS) tests/unit/*.h
	@mkdir -p $(@D)
	$(CC) $(CRM_CFLAGS) -Wno-missing-prototypes $(CFLAGS) $(LDFLAGS) -o $@ $< $(O)lib/libcrm.a $(LDLIBS) $(TEST_LDLIBS)

deps:
	@sh scripts/deps

test:
	@sh scripts/deps
	@$(MAKE) --no-print-directory all $(UNIT_BINS)
	@sh tests/run $(O)

test-pg:
	@sh scripts/deps
	@$(MAKE) --no-print-directory all
	@sh tests/run-pg $(O)

check:
	@$(MAKE) --no-print-directory O=build/asan/ CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
		LDFLAGS="-fsanitize=address,undefined" test

valgrind: all $(UNIT_BINS)
	@CRM_VALGRIND=1 sh tests/run $(O)

lint:
	mandoc -T lint -W warning $(MAN1) $(MAN7)

demo:
	@sh scripts/deps
	@$(MAKE) --no-print-directory all
	@sh scripts/demo

bench: all
	@sh scripts/bench
	@sh scripts/bench-dupes
	@sh scripts/bench-privacy
	@d=$$(mktemp -d "$${TMPDIR:-/tmp}/crm-bench-store.XXXXXX") && \
		BENCH_STORE=$$d/crm.db sh scripts/bench-log && \
		BENCH_STORE=$$d/crm.db sh scripts/bench-segment && \
		BENCH_STORE=$$d/crm.db sh scripts/bench-fields; \
		rc=$$?; rm -rf "$$d"; [ $$rc -eq 0 ] || exit $$rc
	@BENCH_N=$${BENCH_N:-100000} sh scripts/bench-lead
	@sh scripts/bench-ticket
	@sh scripts/bench-growth
	@sh scripts/bench-backends
	@sh scripts/bench-copy

fuzz:
	$(MAKE) -C tests/fuzz

install: all
	mkdir -p $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(PREFIX)/share/man/man7 $(DESTDIR)$(PREFIX)/share/crm
	cp $(BINS) $(DESTDIR)$(PREFIX)/bin/
	cp $(MAN1) $(DESTDIR)$(PREFIX)/share/man/man1/
	cp $(MAN7) $(DESTDIR)$(PREFIX)/share/man/man7/
	cp -R share/. $(DESTDIR)$(PREFIX)/share/crm/

uninstall:
	for p in $(PROGRAMS); do rm -f $(DESTDIR)$(PREFIX)/bin/$$p \
		$(DESTDIR)$(PREFIX)/share/man/man1/$$p.1; done
	for m in $(MAN7); do rm -f $(DESTDIR)$(PREFIX)/share/man/man7/$${m##*/}; done
	rm -rf $(DESTDIR)$(PREFIX)/share/crm

clean:
	rm -rf build lib/*/*.o lib/libcrm.a lib/store/schema_sql.c lib/store/schema_pg.c $(BINS) $(UNIT_BINS)
