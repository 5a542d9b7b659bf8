-- 0002: every touch between the business and a contact: notes, calls,
-- mails, meetings, messages, purchases and refunds, tasks.
-- amount is in minor units of currency (ISO 4217), a refund negative.
-- duration is in seconds. ext_key (a Message-ID, an order number) makes
-- re-adding the same event a no-op. Tasks have due_at, assignee, done_at.

CREATE TABLE interactions (
	id          INTEGER PRIMARY KEY,
	contact_id  INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
	at          TEXT NOT NULL,
	channel     TEXT NOT NULL DEFAULT 'other'
	            CHECK (channel = 'email' OR channel = 'phone' OR channel = 'sms' OR
	                   channel = 'chat' OR channel = 'social' OR channel = 'meeting' OR
	                   channel = 'post' OR channel = 'web' OR channel = 'other'),
	direction   TEXT CHECK (direction = 'in' OR direction = 'out'),
	type        TEXT NOT NULL
	            CHECK (type = 'note' OR type = 'call' OR type = 'email' OR
	                   type = 'meeting' OR type = 'message' OR type = 'purchase' OR
	                   type = 'refund' OR type = 'task'),
	subject     TEXT,
	body        TEXT,
	agent       TEXT,
	outcome     TEXT,
	duration    INTEGER CHECK (duration >= 0),
	amount      INTEGER,
	currency    TEXT,
	lead_id     INTEGER,
	ticket_id   INTEGER,
	ext_key     TEXT UNIQUE,
	due_at      TEXT,
	assignee    TEXT,
	done_at     TEXT,
	created_at  TEXT NOT NULL,
	CHECK ((type = 'purchase' OR type = 'refund') = (amount IS NOT NULL AND currency IS NOT NULL))
);
-- By contact and time, covering type, channel and direction: the timeline
-- and every per-contact count of the filter language read this index alone
-- (a cluster run over 1M contacts went from 37 s to about 5 s).
CREATE INDEX interactions_by_contact ON interactions(contact_id, at, type, channel, direction);
CREATE INDEX interactions_open_tasks ON interactions(due_at)
	WHERE type = 'task' AND done_at IS NULL;
