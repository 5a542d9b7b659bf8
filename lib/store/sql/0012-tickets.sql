-- 0012: service: teams and agents, tickets with their thread (messages
-- in, out and internal notes) and every event (crm-ticket(1)). Times are
-- UTC ISO 8601, as everywhere.

-- Teams and agents are data. An agent belongs to at most one team; one
-- no longer active keeps the tickets it had but gets no new ones.
CREATE TABLE teams (
	id          INTEGER PRIMARY KEY,
	name        TEXT NOT NULL COLLATE NOCASE UNIQUE,
	created_at  TEXT NOT NULL
);
CREATE TABLE agents (
	id          INTEGER PRIMARY KEY,
	name        TEXT NOT NULL COLLATE NOCASE UNIQUE,
	email       TEXT,
	team_id     INTEGER REFERENCES teams(id) ON DELETE SET NULL,
	active      INTEGER NOT NULL DEFAULT 1 CHECK (active = 0 OR active = 1),
	created_at  TEXT NOT NULL
);

-- A ticket of a contact. status: new, open, pending (on the customer),
-- resolved, closed, or merged (into merged_into, whose thread it joined).
-- assignee is an agent's name. first_response_at is the first reply out,
-- resolved_at and closed_at the last time it got there (NULL once
-- reopened). csat is the customer's rating, 1 to 5. subject and
-- csat_comment are NULL once its contact was erased. AUTOINCREMENT: a
-- ticket's number is the customer's reference ([#123] in a subject) and
-- is never given again.
CREATE TABLE tickets (
	id                INTEGER PRIMARY KEY AUTOINCREMENT,
	contact_id        INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
	subject           TEXT,
	status            TEXT NOT NULL DEFAULT 'new'
	                  CHECK (status = 'new' OR status = 'open' OR status = 'pending' OR
	                         status = 'resolved' OR status = 'closed' OR status = 'merged'),
	priority          TEXT NOT NULL DEFAULT 'normal'
	                  CHECK (priority = 'low' OR priority = 'normal' OR priority = 'high' OR
	                         priority = 'urgent'),
	channel           TEXT,
	team_id           INTEGER REFERENCES teams(id) ON DELETE SET NULL,
	category          TEXT,
	assignee          TEXT,
	escalation        INTEGER NOT NULL DEFAULT 0,
	merged_into       INTEGER,
	first_response_at TEXT,
	resolved_at       TEXT,
	closed_at         TEXT,
	csat              INTEGER CHECK (csat >= 1 AND csat <= 5),
	csat_comment      TEXT,
	created_at        TEXT NOT NULL,
	updated_at        TEXT NOT NULL
);
CREATE INDEX tickets_by_contact ON tickets(contact_id, status);
CREATE INDEX tickets_by_status ON tickets(status, priority);
CREATE INDEX tickets_by_assignee ON tickets(assignee, status);

-- A ticket's thread: what the customer wrote (in), what we answered
-- (out) and internal notes (note), with the mail's Message-ID where it
-- came or went by mail.
CREATE TABLE ticket_messages (
	id          INTEGER PRIMARY KEY,
	ticket_id   INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
	contact_id  INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
	at          TEXT NOT NULL,
	direction   TEXT NOT NULL CHECK (direction = 'in' OR direction = 'out' OR direction = 'note'),
	author      TEXT,
	message_id  TEXT,
	body        TEXT
);
CREATE INDEX ticket_messages_by_ticket ON ticket_messages(ticket_id, at);
CREATE INDEX ticket_messages_by_contact ON ticket_messages(contact_id);
CREATE INDEX ticket_messages_by_message_id ON ticket_messages(message_id);

-- Everything that happened to a ticket, for its history and the
-- contact's timeline: opened, status (from -> to), assigned (to an agent
-- or a team), priority, note, reply, reopened, merged (in or into),
-- escalated, csat; who did it and when.
CREATE TABLE ticket_events (
	id          INTEGER PRIMARY KEY,
	ticket_id   INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
	contact_id  INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
	at          TEXT NOT NULL,
	kind        TEXT NOT NULL
	            CHECK (kind = 'opened' OR kind = 'status' OR kind = 'assigned' OR
	                   kind = 'priority' OR kind = 'note' OR kind = 'reply' OR
	                   kind = 'reopened' OR kind = 'merged' OR kind = 'escalated' OR
	                   kind = 'csat'),
	from_value  TEXT,
	to_value    TEXT,
	who         TEXT NOT NULL,
	detail      TEXT
);
CREATE INDEX ticket_events_by_ticket ON ticket_events(ticket_id, at);
CREATE INDEX ticket_events_by_contact ON ticket_events(contact_id, at);
