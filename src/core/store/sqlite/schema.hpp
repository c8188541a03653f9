#pragma once
// The schema migrations, oldest first. Migration N (1-based) takes user_version N-1 to N.
// Never edit a shipped migration: append a new one.

#include <array>
#include <string_view>

namespace followup::schema {

inline constexpr std::array<std::string_view, 7> migrations{
    // Version 1: the first schema.
    R"sql(
CREATE TABLE events (
    id          INTEGER PRIMARY KEY,
    uuid        TEXT    NOT NULL UNIQUE,
    name        TEXT    NOT NULL,
    name_key    TEXT    NOT NULL UNIQUE,
    on_date     TEXT,
    place       TEXT    NOT NULL DEFAULT '',
    created     INTEGER NOT NULL
);

CREATE TABLE contacts (
    id          INTEGER PRIMARY KEY,
    uuid        TEXT    NOT NULL UNIQUE,
    name        TEXT    NOT NULL,
    name_key    TEXT    NOT NULL,
    company     TEXT    NOT NULL DEFAULT '',
    title       TEXT    NOT NULL DEFAULT '',
    email       TEXT    NOT NULL DEFAULT '',
    phone       TEXT    NOT NULL DEFAULT '',
    channel     TEXT    NOT NULL DEFAULT '',
    handle      TEXT    NOT NULL DEFAULT '',
    notes       TEXT    NOT NULL DEFAULT '',
    birthday    TEXT    NOT NULL DEFAULT '',
    event_id    INTEGER REFERENCES events(id) ON DELETE SET NULL,
    met         INTEGER,
    referred_by INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
    every_days  INTEGER,
    last_touch  INTEGER,
    archived    INTEGER NOT NULL DEFAULT 0,
    created     INTEGER NOT NULL
);
CREATE INDEX contacts_event ON contacts(event_id);
CREATE INDEX contacts_referred_by ON contacts(referred_by);
CREATE INDEX contacts_email ON contacts(email COLLATE NOCASE) WHERE email <> '';

CREATE TABLE contact_tags (
    contact_id  INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    tag         TEXT    NOT NULL COLLATE NOCASE,
    PRIMARY KEY (contact_id, tag)
) WITHOUT ROWID;
CREATE INDEX contact_tags_tag ON contact_tags(tag);

CREATE TABLE referrals (
    id          INTEGER PRIMARY KEY,
    uuid        TEXT    NOT NULL UNIQUE,
    direction   TEXT    NOT NULL CHECK (direction IN ('received', 'given')),
    referrer_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
    prospect_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
    member_id   INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
    status      TEXT    NOT NULL DEFAULT 'new' CHECK (status IN
                ('new', 'contacted', 'met', 'won', 'lost', 'declined', 'passed')),
    amount      REAL,
    note        TEXT    NOT NULL DEFAULT '',
    created     INTEGER NOT NULL,
    updated     INTEGER NOT NULL
);
CREATE INDEX referrals_referrer ON referrals(referrer_id);
CREATE INDEX referrals_prospect ON referrals(prospect_id);
CREATE INDEX referrals_member ON referrals(member_id);

CREATE TABLE followups (
    id           INTEGER PRIMARY KEY,
    uuid         TEXT    NOT NULL UNIQUE,
    contact_id   INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    kind         TEXT    NOT NULL CHECK (kind IN ('note', 'connect', 'meet', 'referral',
                 'report', 'thank', 'checkin', 'promise', 'waiting', 'reconnect', 'birthday',
                 'custom')),
    title        TEXT    NOT NULL,
    due          INTEGER NOT NULL,
    original_due INTEGER NOT NULL,
    status       TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'skipped')),
    referral_id  INTEGER REFERENCES referrals(id) ON DELETE SET NULL,
    created      INTEGER NOT NULL,
    done_at      INTEGER,
    note         TEXT    NOT NULL DEFAULT ''
);
-- `due` reads only open follow-ups: a partial index keeps it fast with years of history.
CREATE INDEX followups_open_due ON followups(due) WHERE status = 'open';
CREATE INDEX followups_contact ON followups(contact_id, status);
CREATE INDEX followups_referral ON followups(referral_id) WHERE referral_id IS NOT NULL;

CREATE TABLE interactions (
    id          INTEGER PRIMARY KEY,
    uuid        TEXT    NOT NULL UNIQUE,
    contact_id  INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    at          INTEGER NOT NULL,
    channel     TEXT    NOT NULL DEFAULT '',
    direction   TEXT    NOT NULL DEFAULT 'out' CHECK (direction IN ('in', 'out')),
    note        TEXT    NOT NULL DEFAULT '',
    followup_id INTEGER REFERENCES followups(id) ON DELETE SET NULL,
    created     INTEGER NOT NULL
);
CREATE INDEX interactions_contact_at ON interactions(contact_id, at);
CREATE INDEX interactions_followup ON interactions(followup_id) WHERE followup_id IS NOT NULL;
)sql",
    // Version 2: a contact never has more than one open `reconnect` (keep-in-touch) follow-up.
    // Any duplicates an older version could have made are skipped, newest first kept.
    R"sql(
UPDATE followups SET status = 'skipped', note = 'duplicate reconnect'
WHERE kind = 'reconnect' AND status = 'open' AND id NOT IN
      (SELECT max(id) FROM followups WHERE kind = 'reconnect' AND status = 'open'
       GROUP BY contact_id);
CREATE UNIQUE INDEX followups_one_reconnect ON followups(contact_id)
    WHERE kind = 'reconnect' AND status = 'open';
)sql",
    // Version 3: the status history of each referral, with times.
    R"sql(
CREATE TABLE referral_events (
    id          INTEGER PRIMARY KEY,
    referral_id INTEGER NOT NULL REFERENCES referrals(id) ON DELETE CASCADE,
    status      TEXT    NOT NULL,
    at          INTEGER NOT NULL,
    note        TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX referral_events_referral ON referral_events(referral_id, at);
INSERT INTO referral_events (referral_id, status, at, note)
    SELECT id, status, updated, '' FROM referrals;
)sql",
    // Version 4: ids are never used twice (AUTOINCREMENT: every table is rebuilt, the procedure
    // of SQLite's "ALTER TABLE" page, with foreign keys off during migrations); chases and
    // campaigns on touches and follow-ups; a referral passed on remembers the one it came from;
    // meetings as a kind; and the undo log (the changesets of the last commands that wrote).
    R"sql(
CREATE TABLE new_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid        TEXT    NOT NULL UNIQUE,
    name        TEXT    NOT NULL,
    name_key    TEXT    NOT NULL UNIQUE,
    on_date     TEXT,
    place       TEXT    NOT NULL DEFAULT '',
    created     INTEGER NOT NULL
);
INSERT INTO new_events SELECT id, uuid, name, name_key, on_date, place, created FROM events;
DROP TABLE events;
ALTER TABLE new_events RENAME TO events;

CREATE TABLE new_contacts (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid        TEXT    NOT NULL UNIQUE,
    name        TEXT    NOT NULL,
    name_key    TEXT    NOT NULL,
    company     TEXT    NOT NULL DEFAULT '',
    title       TEXT    NOT NULL DEFAULT '',
    email       TEXT    NOT NULL DEFAULT '',
    phone       TEXT    NOT NULL DEFAULT '',
    channel     TEXT    NOT NULL DEFAULT '',
    handle      TEXT    NOT NULL DEFAULT '',
    notes       TEXT    NOT NULL DEFAULT '',
    birthday    TEXT    NOT NULL DEFAULT '',
    event_id    INTEGER REFERENCES events(id) ON DELETE SET NULL,
    met         INTEGER,
    referred_by INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
    every_days  INTEGER,
    last_touch  INTEGER,
    archived    INTEGER NOT NULL DEFAULT 0,
    created     INTEGER NOT NULL
);
INSERT INTO new_contacts SELECT id, uuid, name, name_key, company, title, email, phone, channel,
    handle, notes, birthday, event_id, met, referred_by, every_days, last_touch, archived, created
    FROM contacts;
DROP TABLE contacts;
ALTER TABLE new_contacts RENAME TO contacts;
CREATE INDEX contacts_event ON contacts(event_id);
CREATE INDEX contacts_referred_by ON contacts(referred_by);
CREATE INDEX contacts_email ON contacts(email COLLATE NOCASE) WHERE email <> '';

CREATE TABLE new_referrals (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid        TEXT    NOT NULL UNIQUE,
    direction   TEXT    NOT NULL CHECK (direction IN ('received', 'given')),
    referrer_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
    prospect_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
    member_id   INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
    status      TEXT    NOT NULL DEFAULT 'new' CHECK (status IN
                ('new', 'contacted', 'met', 'won', 'lost', 'declined', 'passed')),
    amount      REAL,
    note        TEXT    NOT NULL DEFAULT '',
    created     INTEGER NOT NULL,
    updated     INTEGER NOT NULL,
    passed_from INTEGER REFERENCES referrals(id) ON DELETE SET NULL
);
INSERT INTO new_referrals SELECT id, uuid, direction, referrer_id, prospect_id, member_id, status,
    amount, note, created, updated, NULL FROM referrals;
DROP TABLE referrals;
ALTER TABLE new_referrals RENAME TO referrals;
CREATE INDEX referrals_referrer ON referrals(referrer_id);
CREATE INDEX referrals_prospect ON referrals(prospect_id);
CREATE INDEX referrals_member ON referrals(member_id);

CREATE TABLE new_followups (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid         TEXT    NOT NULL UNIQUE,
    contact_id   INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    kind         TEXT    NOT NULL CHECK (kind IN ('note', 'connect', 'meet', 'referral',
                 'report', 'thank', 'checkin', 'promise', 'waiting', 'reconnect', 'birthday',
                 'custom', 'meeting')),
    title        TEXT    NOT NULL,
    due          INTEGER NOT NULL,
    original_due INTEGER NOT NULL,
    status       TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'skipped')),
    referral_id  INTEGER REFERENCES referrals(id) ON DELETE SET NULL,
    created      INTEGER NOT NULL,
    done_at      INTEGER,
    note         TEXT    NOT NULL DEFAULT '',
    campaign     TEXT    NOT NULL DEFAULT '',
    place        TEXT    NOT NULL DEFAULT '',
    length       INTEGER
);
INSERT INTO new_followups SELECT id, uuid, contact_id, kind, title, due, original_due, status,
    referral_id, created, done_at, note, '', '', NULL FROM followups;
DROP TABLE followups;
ALTER TABLE new_followups RENAME TO followups;
CREATE INDEX followups_open_due ON followups(due) WHERE status = 'open';
CREATE INDEX followups_contact ON followups(contact_id, status);
CREATE INDEX followups_referral ON followups(referral_id) WHERE referral_id IS NOT NULL;
CREATE UNIQUE INDEX followups_one_reconnect ON followups(contact_id)
    WHERE kind = 'reconnect' AND status = 'open';

CREATE TABLE new_interactions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid        TEXT    NOT NULL UNIQUE,
    contact_id  INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    at          INTEGER NOT NULL,
    channel     TEXT    NOT NULL DEFAULT '',
    direction   TEXT    NOT NULL DEFAULT 'out' CHECK (direction IN ('in', 'out')),
    note        TEXT    NOT NULL DEFAULT '',
    followup_id INTEGER REFERENCES followups(id) ON DELETE SET NULL,
    created     INTEGER NOT NULL,
    chase       INTEGER NOT NULL DEFAULT 0,
    campaign    TEXT    NOT NULL DEFAULT ''
);
INSERT INTO new_interactions SELECT id, uuid, contact_id, at, channel, direction, note,
    followup_id, created, 0, '' FROM interactions;
DROP TABLE interactions;
ALTER TABLE new_interactions RENAME TO interactions;
CREATE INDEX interactions_contact_at ON interactions(contact_id, at);
CREATE INDEX interactions_followup ON interactions(followup_id) WHERE followup_id IS NOT NULL;
CREATE INDEX interactions_campaign ON interactions(campaign) WHERE campaign <> '';

CREATE TABLE new_referral_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    referral_id INTEGER NOT NULL REFERENCES referrals(id) ON DELETE CASCADE,
    status      TEXT    NOT NULL,
    at          INTEGER NOT NULL,
    note        TEXT    NOT NULL DEFAULT ''
);
INSERT INTO new_referral_events SELECT id, referral_id, status, at, note FROM referral_events;
DROP TABLE referral_events;
ALTER TABLE new_referral_events RENAME TO referral_events;
CREATE INDEX referral_events_referral ON referral_events(referral_id, at);

CREATE TABLE undo_log (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          INTEGER NOT NULL,
    command     TEXT    NOT NULL,
    changeset   BLOB    NOT NULL
);
)sql",
    // Version 5: every way to reach a person. A contact's emails, phones, postal addresses and
    // profiles move to `reach` (one row each, in order, the first one used); the handle that was
    // given with the channel goes first in the list it belongs to (an email, a phone number, a
    // postal address for `mail`, else a profile on the channel's network). A `connect` step
    // remembers its network. The undo log is cleared: its changesets are of the old tables.
    R"sql(
CREATE TABLE reach (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    contact_id  INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    kind        TEXT    NOT NULL CHECK (kind IN ('email', 'phone', 'address', 'profile')),
    position    INTEGER NOT NULL,
    value       TEXT    NOT NULL,
    label       TEXT    NOT NULL DEFAULT '',
    network     TEXT    NOT NULL DEFAULT '',
    UNIQUE (contact_id, kind, position)
);
CREATE INDEX reach_value ON reach(kind, value COLLATE NOCASE);

INSERT INTO reach (contact_id, kind, position, value)
    SELECT id, 'email', 0, handle FROM contacts WHERE channel = 'email' AND handle <> '';
INSERT INTO reach (contact_id, kind, position, value)
    SELECT id, 'email', 1, email FROM contacts
    WHERE email <> '' AND NOT (channel = 'email' AND lower(handle) = lower(email));
INSERT INTO reach (contact_id, kind, position, value)
    SELECT id, 'phone', 0, handle FROM contacts WHERE channel IN ('phone', 'sms') AND handle <> '';
INSERT INTO reach (contact_id, kind, position, value)
    SELECT id, 'phone', 1, phone FROM contacts
    WHERE phone <> '' AND NOT (channel IN ('phone', 'sms') AND handle = phone);
INSERT INTO reach (contact_id, kind, position, value)
    SELECT id, 'address', 0, handle FROM contacts WHERE channel = 'mail' AND handle <> '';
INSERT INTO reach (contact_id, kind, position, value, network)
    SELECT id, 'profile', 0, handle, channel FROM contacts
    WHERE channel NOT IN ('', 'email', 'phone', 'sms', 'mail') AND handle <> '';

DROP INDEX contacts_email;
ALTER TABLE contacts DROP COLUMN email;
ALTER TABLE contacts DROP COLUMN phone;
ALTER TABLE contacts DROP COLUMN handle;

ALTER TABLE followups ADD COLUMN channel TEXT NOT NULL DEFAULT '';
UPDATE followups SET channel = coalesce((SELECT CASE WHEN c.channel IN
        ('linkedin', 'x', 'facebook', 'instagram', 'mastodon') THEN c.channel END
    FROM contacts c WHERE c.id = followups.contact_id), 'linkedin')
    WHERE kind = 'connect';

DELETE FROM undo_log;
)sql",
    // Version 6: indexes that hold everything `due` reads, so that listing the open follow-ups
    // and their contacts' reach reads index pages only (no table page per row): the open
    // follow-ups by deadline (then id, the listing's order) with every column of the listing,
    // and each contact's reach rows in order with their values. (At 100,000 contacts: 1,081
    // pages read by `due` before, 554 after; the file grows by 5%.)
    R"sql(
DROP INDEX followups_open_due;
CREATE INDEX followups_open_due ON followups(due, id, uuid, contact_id, kind, title,
    original_due, status, referral_id, created, done_at, note, channel, campaign, place, length)
    WHERE status = 'open';
CREATE INDEX reach_of_contact ON reach(contact_id, kind, position, value, label, network);
-- Their statistics, so that SQLite's planner prefers them even in a database that had some
-- (from an ANALYZE of the user's): one row per contact_id, like the UNIQUE index it covers.
ANALYZE reach_of_contact;
ANALYZE followups_open_due;
)sql",
    // Version 7 (issue 31): names compare as people read them. text::fold, which makes the
    // name_key of contacts and events, is Unicode normalisation with case folding and marks
    // removed (utf8proc) instead of a table of Latin letters: every key is made again by the SQL
    // function fold(), which is text::fold. An event whose new key another event has already
    // (two names that were told apart only by a letter the table did not know) keeps its old
    // key rather than break the uniqueness of event names.
    R"sql(
UPDATE contacts SET name_key = fold(name) WHERE name_key <> fold(name);
UPDATE events SET name_key = fold(name) WHERE name_key <> fold(name) AND NOT EXISTS
    (SELECT 1 FROM events e WHERE e.id <> events.id AND
     (e.name_key = fold(events.name) OR fold(e.name) = fold(events.name)));
)sql",
};

} // namespace followup::schema
