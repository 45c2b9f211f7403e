"""Search: a full-text index of thank-yous, colleagues and practice notes, kept in step by triggers.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02

One table per kind of thing found holds the words to search in, one column per weight: ``search_post`` (a
thank-you: the people thanked; the words; what we can learn, the values and who wrote it), ``search_person`` (name,
job title, unit) and ``search_note`` (title; summary and tags; the body and the prompts). The words come from a view
per table (``search_<kind>_source``) that joins the rows they are taken from: live thank-yous (not withdrawn or
hidden), published notes, everyone's account. Triggers on those rows refresh the entries they touch (delete, then
insert from the view), so a change anywhere (a post, its recipients, a value or a person renamed, a note published or
hidden) is searchable, or gone from the index, in the same transaction. Nothing is read from peer support:
confidential words are never indexed.

- PostgreSQL: each table has a stored generated ``document`` tsvector (``setweight(to_tsvector('english', …))``, one
  weight per column) with a GIN index. The trigger functions first take a share lock on the rows whose names they
  copy (the author, a person or team thanked, a value), so a rename running at the same time waits for the new
  thank-you, or the thank-you for the rename: neither keeps an old name.
- SQLite: each table has an FTS5 index (``search_<kind>_fts``, external content: the table above, porter stemming)
  kept in step by the table's own insert/update/delete triggers, the documented FTS5 pattern.

These tables, views, functions and triggers are not in the ORM models: the app reads them through
``portal/search/indexes.py``, and Alembic's comparison leaves them out (``portal.search.schema.include_name``).

Practice notes are indexed when ``practice_note`` exists when this revision runs: ``depends_on`` puts the notes'
revision (0009) first; without it, the rest of the index is still made and search shows no notes.

On SQLite, a later revision that rebuilds one of the indexed tables with ``batch_alter_table`` drops its triggers
with the old table: it must create them again (tests/search/test_index.py checks they are all there at head).
"""

from dataclasses import dataclass

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


@dataclass(frozen=True)
class Index:
    name: str  # post → search_post, search_post_source, search_post_fts
    key: str
    columns: tuple[tuple[str, str], ...]  # (column, weight)

    @property
    def table(self) -> str:
        return f"search_{self.name}"


POSTS = Index("post", "post_id", (("people", "A"), ("words", "B"), ("more", "C")))
PEOPLE = Index("person", "user_id", (("name", "A"), ("job", "B"), ("unit", "C")))
NOTES = Index("note", "note_id", (("title", "A"), ("summary", "B"), ("tags", "B"), ("body", "C")))


def source_view(index: Index, dialect: str) -> str:
    """The words for each entry, read from the rows they come from."""

    def joined(expression: str, source: str) -> str:
        aggregate = "string_agg" if dialect == "postgresql" else "group_concat"
        return f"coalesce((SELECT {aggregate}({expression}, ' ') {source}), '')"

    if index is POSTS:
        people = joined("coalesce(u.display_name, t.name)",
                        "FROM recognition_recipient r JOIN unit t ON t.id = r.unit_id "
                        "LEFT JOIN user_account u ON u.id = r.user_id WHERE r.post_id = p.id")
        values = joined("v.name", "FROM recognition_post_value pv JOIN recognition_value v ON v.id = pv.value_id "
                                  "WHERE pv.post_id = p.id")
        return (f"SELECT p.id AS post_id, {people} AS people, "
                "trim(coalesce(p.title, '') || ' ' || p.what_they_did || ' ' || p.difference) AS words, "
                f"trim(p.learning || ' ' || {values} || ' ' || a.display_name) AS more "
                "FROM recognition_post p JOIN user_account a ON a.id = p.author_id "
                "WHERE p.withdrawn_at IS NULL AND p.hidden_at IS NULL")
    if index is PEOPLE:
        return ("SELECT u.id AS user_id, u.display_name AS name, u.job_title AS job, t.name AS unit "
                "FROM user_account u JOIN unit t ON t.id = u.unit_id")
    tags = joined("g.tag", "FROM practice_note_tag g WHERE g.note_id = n.id")
    return ("SELECT n.id AS note_id, n.title AS title, n.summary AS summary, "
            f"{tags} AS tags, "
            "n.body_source || ' ' || n.situation || ' ' || n.what_we_did || ' ' || n.what_changed || ' ' || n.tips "
            "AS body FROM practice_note n WHERE n.state = 'published'")


@dataclass(frozen=True)
class Refresh:
    """A trigger: when ``table`` has ``event`` (of ``columns``, when one of them changed), the entries of ``index``
    whose keys are ``ids`` (SQL) are read again from its view. ``locks`` (PostgreSQL): rows taken FOR SHARE first."""

    index: Index
    table: str
    event: str
    ids: str
    columns: tuple[str, ...] = ()
    locks: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return f"{self.index.table}_on_{self.table}_{self.event.lower()}"


AUTHOR = "user_account WHERE id = NEW.author_id"
NAMED = "user_account WHERE id = NEW.user_id"
TEAM = "unit WHERE id = NEW.unit_id AND NEW.user_id IS NULL"
UNIT = "unit WHERE id = NEW.unit_id"
POST_WORDS = ("title", "what_they_did", "difference", "learning", "withdrawn_at", "hidden_at")
NOTE_WORDS = ("state", "title", "summary", "body_source", "situation", "what_we_did", "what_changed", "tips")

REFRESHES = (
    Refresh(POSTS, "recognition_post", "INSERT", "NEW.id", locks=(AUTHOR,)),
    Refresh(POSTS, "recognition_post", "UPDATE", "NEW.id", POST_WORDS, locks=(AUTHOR,)),
    Refresh(POSTS, "recognition_post", "DELETE", "OLD.id"),
    Refresh(POSTS, "recognition_recipient", "INSERT", "NEW.post_id", locks=(NAMED, TEAM)),
    Refresh(POSTS, "recognition_recipient", "UPDATE", "OLD.post_id, NEW.post_id", ("post_id", "user_id", "unit_id"),
            locks=(NAMED, TEAM)),
    Refresh(POSTS, "recognition_recipient", "DELETE", "OLD.post_id"),
    Refresh(POSTS, "recognition_post_value", "INSERT", "NEW.post_id",
            locks=("recognition_value WHERE id = NEW.value_id",)),
    Refresh(POSTS, "recognition_post_value", "DELETE", "OLD.post_id"),
    Refresh(POSTS, "recognition_value", "UPDATE", "SELECT post_id FROM recognition_post_value WHERE value_id = NEW.id",
            ("name",)),
    Refresh(POSTS, "user_account", "UPDATE", "SELECT id FROM recognition_post WHERE author_id = NEW.id UNION "
                                             "SELECT post_id FROM recognition_recipient WHERE user_id = NEW.id",
            ("display_name",)),
    Refresh(POSTS, "unit", "UPDATE", "SELECT post_id FROM recognition_recipient WHERE unit_id = NEW.id "
                                     "AND user_id IS NULL", ("name",)),
    Refresh(PEOPLE, "user_account", "INSERT", "NEW.id", locks=(UNIT,)),
    Refresh(PEOPLE, "user_account", "UPDATE", "NEW.id", ("display_name", "job_title", "unit_id"),
            locks=(UNIT,)),
    Refresh(PEOPLE, "user_account", "DELETE", "OLD.id"),
    Refresh(PEOPLE, "unit", "UPDATE", "SELECT id FROM user_account WHERE unit_id = NEW.id", ("name",)),
)
NOTE_REFRESHES = (
    Refresh(NOTES, "practice_note", "INSERT", "NEW.id"),
    Refresh(NOTES, "practice_note", "UPDATE", "NEW.id", NOTE_WORDS),
    Refresh(NOTES, "practice_note", "DELETE", "OLD.id"),
    Refresh(NOTES, "practice_note_tag", "INSERT", "NEW.note_id"),
    Refresh(NOTES, "practice_note_tag", "UPDATE", "OLD.note_id, NEW.note_id", ("note_id", "tag")),
    Refresh(NOTES, "practice_note_tag", "DELETE", "OLD.note_id"),
)


def refresh_statements(refresh: Refresh) -> str:
    index = refresh.index
    names = ", ".join(column for column, _ in index.columns)
    return (f"DELETE FROM {index.table} WHERE {index.key} IN ({refresh.ids}); "
            f"INSERT INTO {index.table} ({index.key}, {names}) SELECT {index.key}, {names} "
            f"FROM {index.table}_source WHERE {index.key} IN ({refresh.ids});")


def changed(refresh: Refresh, dialect: str) -> str:
    differs = "IS DISTINCT FROM" if dialect == "postgresql" else "IS NOT"
    return " OR ".join(f"OLD.{column} {differs} NEW.{column}" for column in refresh.columns)


def create_trigger(refresh: Refresh, dialect: str) -> list[str]:
    event = refresh.event + (f" OF {', '.join(refresh.columns)}" if refresh.columns else "")
    if dialect == "postgresql":
        locks = " ".join(f"PERFORM 1 FROM {lock} FOR SHARE;" for lock in refresh.locks)
        when = f" WHEN ({changed(refresh, dialect)})" if refresh.columns else ""
        return [f"CREATE FUNCTION {refresh.name}() RETURNS trigger LANGUAGE plpgsql AS $$ "
                f"BEGIN {locks} {refresh_statements(refresh)} RETURN NULL; END $$",
                f"CREATE TRIGGER {refresh.name} AFTER {event} ON {refresh.table} FOR EACH ROW{when} "
                f"EXECUTE FUNCTION {refresh.name}()"]
    when = f" WHEN {changed(refresh, dialect)}" if refresh.columns else ""
    return [f"CREATE TRIGGER {refresh.name} AFTER {event} ON {refresh.table}{when} "
            f"BEGIN {refresh_statements(refresh)} END"]


def drop_trigger(refresh: Refresh, dialect: str) -> list[str]:
    if dialect == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {refresh.name} ON {refresh.table}",
                f"DROP FUNCTION IF EXISTS {refresh.name}()"]
    return [f"DROP TRIGGER IF EXISTS {refresh.name}"]


def create_index(index: Index, dialect: str) -> list[str]:
    """The table, its full-text index, and the view it is filled from (filled once here)."""
    text_columns = ", ".join(f"{column} TEXT NOT NULL DEFAULT ''" for column, _ in index.columns)
    names = ", ".join(column for column, _ in index.columns)
    if dialect == "postgresql":
        document = " || ".join(f"setweight(to_tsvector('english'::regconfig, {column}), '{weight}')"
                               for column, weight in index.columns)
        statements = [
            f"CREATE TABLE {index.table} ({index.key} INTEGER PRIMARY KEY, {text_columns}, "
            f"document tsvector GENERATED ALWAYS AS ({document}) STORED)",
            f"CREATE INDEX ix_{index.table}_document ON {index.table} USING gin (document)",
        ]
    else:
        fts = f"{index.table}_fts"
        old = ", ".join(f"OLD.{column}" for column, _ in index.columns)
        new = ", ".join(f"NEW.{column}" for column, _ in index.columns)
        add = f"INSERT INTO {fts} (rowid, {names}) VALUES (NEW.{index.key}, {new});"
        remove = f"INSERT INTO {fts} ({fts}, rowid, {names}) VALUES ('delete', OLD.{index.key}, {old});"
        statements = [
            f"CREATE TABLE {index.table} ({index.key} INTEGER PRIMARY KEY, {text_columns})",
            f"CREATE VIRTUAL TABLE {fts} USING fts5({names}, content='{index.table}', "
            f"content_rowid='{index.key}', tokenize='porter unicode61 remove_diacritics 2')",
            f"CREATE TRIGGER {fts}_insert AFTER INSERT ON {index.table} BEGIN {add} END",
            f"CREATE TRIGGER {fts}_delete AFTER DELETE ON {index.table} BEGIN {remove} END",
            f"CREATE TRIGGER {fts}_update AFTER UPDATE ON {index.table} BEGIN {remove} {add} END",
        ]
    return [*statements,
            f"CREATE VIEW {index.table}_source AS {source_view(index, dialect)}",
            f"INSERT INTO {index.table} ({index.key}, {names}) SELECT {index.key}, {names} FROM {index.table}_source"]


def drop_index(index: Index, dialect: str) -> list[str]:
    statements = [f"DROP VIEW IF EXISTS {index.table}_source"]
    if dialect != "postgresql":
        statements += [f"DROP TRIGGER IF EXISTS {index.table}_fts_{event}" for event in ("insert", "delete", "update")]
        statements.append(f"DROP TABLE IF EXISTS {index.table}_fts")
    return [*statements, f"DROP TABLE IF EXISTS {index.table}"]


def run(statements: list[str]) -> None:
    bind = op.get_bind()
    for statement in statements:
        bind.exec_driver_sql(statement)


def upgrade():
    dialect = op.get_bind().dialect.name
    with_notes = sa.inspect(op.get_bind()).has_table("practice_note")
    for index in (POSTS, PEOPLE, NOTES) if with_notes else (POSTS, PEOPLE):
        run(create_index(index, dialect))
    for refresh in REFRESHES + (NOTE_REFRESHES if with_notes else ()):
        run(create_trigger(refresh, dialect))


def downgrade():
    dialect = op.get_bind().dialect.name
    with_notes = sa.inspect(op.get_bind()).has_table("practice_note")
    for refresh in REFRESHES + (NOTE_REFRESHES if with_notes else ()):
        run(drop_trigger(refresh, dialect))
    for index in (POSTS, PEOPLE, NOTES):
        run(drop_index(index, dialect))
