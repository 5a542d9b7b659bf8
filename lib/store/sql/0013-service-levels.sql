-- 0013: service levels (crm-ticket(1) calendar, sla, escalate): business
-- calendars, SLA policies by priority and team, escalation rules, and
-- each ticket's due times.

-- A business calendar: its weekly hours ("mon-fri 09:00-17:00; sat
-- 10:00-14:00", as given, parsed again on use), the IANA time zone they
-- are in, and its holidays (local days, no hours at all).
CREATE TABLE calendars (
	id          INTEGER PRIMARY KEY,
	name        TEXT NOT NULL COLLATE NOCASE UNIQUE,
	hours       TEXT NOT NULL,
	tz          TEXT NOT NULL,
	created_at  TEXT NOT NULL
);
CREATE TABLE calendar_holidays (
	calendar_id INTEGER NOT NULL REFERENCES calendars(id) ON DELETE CASCADE,
	day         TEXT NOT NULL,
	PRIMARY KEY (calendar_id, day)
);

-- What a ticket of a priority (and of a team, or of any team when
-- team_id is NULL) is promised: seconds of business time to the first
-- response, to the next response after the customer wrote again, and to
-- resolution, on a calendar (NULL: around the clock).
CREATE TABLE sla_policies (
	id              INTEGER PRIMARY KEY,
	priority        TEXT NOT NULL
	                CHECK (priority = 'low' OR priority = 'normal' OR priority = 'high' OR
	                       priority = 'urgent'),
	team_id         INTEGER REFERENCES teams(id) ON DELETE CASCADE,
	first_response  INTEGER CHECK (first_response > 0),
	next_response   INTEGER CHECK (next_response > 0),
	resolution      INTEGER CHECK (resolution > 0),
	calendar_id     INTEGER REFERENCES calendars(id) ON DELETE SET NULL,
	created_at      TEXT NOT NULL
);
CREATE UNIQUE INDEX sla_policies_by_priority_team ON sla_policies(priority, coalesce(team_id, 0));

-- Who a ticket goes to when it reaches an escalation level (1: near its
-- due time, 2: past it), for tickets of a priority or of any (NULL).
CREATE TABLE escalation_rules (
	id          INTEGER PRIMARY KEY,
	level       INTEGER NOT NULL CHECK (level >= 1),
	priority    TEXT CHECK (priority = 'low' OR priority = 'normal' OR priority = 'high' OR
	                        priority = 'urgent'),
	to_agent    TEXT,
	to_team_id  INTEGER REFERENCES teams(id) ON DELETE CASCADE,
	created_at  TEXT NOT NULL,
	CHECK ((to_agent IS NULL AND to_team_id IS NOT NULL) OR
	       (to_agent IS NOT NULL AND to_team_id IS NULL))
);
CREATE UNIQUE INDEX escalation_rules_by_level ON escalation_rules(level, coalesce(priority, ''));

-- A ticket's due times under its policy, in UTC: NULL for a clock that
-- has none, or that is paused (pending on the customer, resolved,
-- closed) before reaching it. Kept by every change of the ticket.
ALTER TABLE tickets ADD COLUMN first_response_due TEXT;
ALTER TABLE tickets ADD COLUMN next_response_due TEXT;
ALTER TABLE tickets ADD COLUMN resolution_due TEXT;
