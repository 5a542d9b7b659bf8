-- 0012 (PostgreSQL 15): service: teams, agents, tickets, their messages
-- and events. As ../0012-tickets.sql, with what a store distributed by
-- contact needs (as pg/0010 and pg/0011, listed in pg/differences):
-- contact_id in the primary key of every table of a contact's rows, and
-- a ticket's messages and events keyed to it by (ticket_id, contact_id)
-- with ON UPDATE CASCADE (a merge of contacts moves a ticket and its rows
-- follow). Teams and agents are small tables every shard reads.

CREATE TABLE teams (
	id          bigint PRIMARY KEY DEFAULT crm_next_id('teams'),
	name        citext NOT NULL UNIQUE,
	created_at  text NOT NULL
);
CREATE TABLE agents (
	id          bigint PRIMARY KEY DEFAULT crm_next_id('agents'),
	name        citext NOT NULL UNIQUE,
	email       text,
	team_id     bigint REFERENCES teams(id) ON DELETE SET NULL,
	active      bigint NOT NULL DEFAULT 1 CHECK (active = 0 OR active = 1),
	created_at  text NOT NULL
);

CREATE TABLE tickets (
	id                bigint NOT NULL DEFAULT crm_next_id('tickets'),
	contact_id        bigint NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
	subject           text,
	status            text NOT NULL DEFAULT 'new'
	                  CHECK (status = 'new' OR status = 'open' OR status = 'pending' OR
	                         status = 'resolved' OR status = 'closed' OR status = 'merged'),
	priority          text NOT NULL DEFAULT 'normal'
	                  CHECK (priority = 'low' OR priority = 'normal' OR priority = 'high' OR
	                         priority = 'urgent'),
	channel           text,
	team_id           bigint REFERENCES teams(id) ON DELETE SET NULL,
	category          text,
	assignee          text,
	escalation        bigint NOT NULL DEFAULT 0,
	merged_into       bigint,
	first_response_at text,
	resolved_at       text,
	closed_at         text,
	csat              bigint CHECK (csat >= 1 AND csat <= 5),
	csat_comment      text,
	created_at        text NOT NULL,
	updated_at        text NOT NULL,
	PRIMARY KEY (id, contact_id)
);
CREATE INDEX tickets_by_contact ON tickets(contact_id, status);
CREATE INDEX tickets_by_status ON tickets(status, priority);
CREATE INDEX tickets_by_assignee ON tickets(assignee, status);

CREATE TABLE ticket_messages (
	id          bigint NOT NULL DEFAULT crm_next_id('ticket_messages'),
	ticket_id   bigint NOT NULL,
	contact_id  bigint NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
	at          text NOT NULL,
	direction   text NOT NULL CHECK (direction = 'in' OR direction = 'out' OR direction = 'note'),
	author      text,
	message_id  text,
	body        text,
	PRIMARY KEY (id, contact_id),
	FOREIGN KEY (ticket_id, contact_id) REFERENCES tickets(id, contact_id)
		ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX ticket_messages_by_ticket ON ticket_messages(ticket_id, at);
CREATE INDEX ticket_messages_by_contact ON ticket_messages(contact_id);
CREATE INDEX ticket_messages_by_message_id ON ticket_messages(message_id);

CREATE TABLE ticket_events (
	id          bigint NOT NULL DEFAULT crm_next_id('ticket_events'),
	ticket_id   bigint NOT NULL,
	contact_id  bigint NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
	at          text NOT NULL,
	kind        text NOT NULL
	            CHECK (kind = 'opened' OR kind = 'status' OR kind = 'assigned' OR
	                   kind = 'priority' OR kind = 'note' OR kind = 'reply' OR
	                   kind = 'reopened' OR kind = 'merged' OR kind = 'escalated' OR
	                   kind = 'csat'),
	from_value  text,
	to_value    text,
	who         text NOT NULL,
	detail      text,
	PRIMARY KEY (id, contact_id),
	FOREIGN KEY (ticket_id, contact_id) REFERENCES tickets(id, contact_id)
		ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX ticket_events_by_ticket ON ticket_events(ticket_id, at);
CREATE INDEX ticket_events_by_contact ON ticket_events(contact_id, at);
