"""Writing the benchmark data (bench/seed.py makes the rows): COPY on PostgreSQL, executemany on SQLite.

On PostgreSQL everything goes in one transaction with ``session_replication_role = replica``, so neither the search
index's triggers nor the foreign-key triggers run per row (unique, check and exclusion constraints still do: they
are indexes); the search index is then rebuilt from its views in three statements, the sequences are moved past the
ids given, and VACUUM ANALYZE leaves the tables as autovacuum would. tests/bench checks the foreign keys hold.
On SQLite (scale S and below) the rows go through SQLAlchemy with foreign keys and the search triggers on.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from sqlalchemy import select, text
from sqlalchemy.engine import make_url

from bench import seed as gen
from bench import seed_support
from portal.extensions import db

MARKER = "bench_seed"
JSON_TABLES = {"supporter_profile", "practice_note"}
SEARCH = (("search_post", "post_id, people, words, more"), ("search_person", "user_id, name, job, unit"),
          ("search_note", "note_id, title, summary, tags, body"))


class SeedError(RuntimeError):
    """The database cannot be seeded (not empty, or SQLite asked for more than scale S)."""


class PostgresWriter:
    def __init__(self, url: str):
        import psycopg

        self.conn = psycopg.connect(make_url(url).set(drivername="postgresql").render_as_string(hide_password=False))
        self.conn.execute("SET session_replication_role = replica")

    def write(self, table: str, columns: tuple[str, ...], rows: Iterable[tuple]) -> int:
        count = 0
        with self.conn.cursor() as cursor, cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                if table in JSON_TABLES:
                    row = tuple(json.dumps(v) if isinstance(v, list) else v for v in row)
                copy.write_row(row)
                count += 1
        return count

    def finish(self, tables: list[str], marker: tuple) -> None:
        for index, columns in SEARCH:
            # The names are this module's constants, not input.
            self.conn.execute(f"DELETE FROM {index}")  # noqa: S608
            self.conn.execute(f"INSERT INTO {index} ({columns}) SELECT {columns} FROM {index}_source")  # noqa: S608
        for table in tables:
            self.conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) "  # noqa: S608
                              f"FROM {table} HAVING max(id) IS NOT NULL")
        self.conn.execute("SET session_replication_role = DEFAULT")
        _mark(self.conn, marker, "%s")
        self.conn.commit()
        self.conn.autocommit = True
        self.conn.execute("VACUUM ANALYZE")
        self.conn.close()


class SQLiteWriter:
    def __init__(self, url: str):
        self.conn = db.engine.connect()
        self.trans = self.conn.begin()

    def write(self, table: str, columns: tuple[str, ...], rows: Iterable[tuple]) -> int:
        target = db.metadata.tables[table]
        rows = [dict(zip(columns, row, strict=True)) for row in rows]
        for start in range(0, len(rows), 5000):
            self.conn.execute(target.insert(), rows[start:start + 5000])
        return len(rows)

    def finish(self, tables: list[str], marker: tuple) -> None:
        _mark(self.conn.connection.driver_connection, marker, "?")
        self.trans.commit()
        self.conn.exec_driver_sql("ANALYZE")
        self.conn.close()


def _mark(conn, marker: tuple, placeholder: str) -> None:
    conn.execute(f"CREATE TABLE IF NOT EXISTS {MARKER} (scale VARCHAR(8) PRIMARY KEY, staff INTEGER, "
                 "posts INTEGER, seeded_at VARCHAR(40), seconds FLOAT)")
    conn.execute(f"INSERT INTO {MARKER} VALUES ({', '.join([placeholder] * 5)})", marker)  # noqa: S608


def seeded_scale(connection) -> str | None:
    """The scale recorded in the marker table, or None (a database not seeded by this)."""
    try:
        return connection.execute(text(f"SELECT scale FROM {MARKER}")).scalar()  # noqa: S608
    except Exception:  # noqa: BLE001 - no marker table: not seeded
        connection.rollback()
        return None


def seed(scale: gen.Scale, *, password_hash: str, random_seed: int = 14,
         progress: Callable[[str], None] = print) -> dict[str, int]:
    """Load ``scale`` into the app's (empty) database; returns the rows written per table."""
    from portal.auth.models import User
    from portal.common.markdown import render_markdown
    from portal.recognition.models import RecognitionValue

    url = db.engine.url.render_as_string(hide_password=False)
    if db.session.scalar(select(User.id).limit(1)) is not None:
        raise SeedError("The database already holds people; seed an empty, freshly migrated database.")
    if db.engine.dialect.name == "sqlite" and scale.posts > gen.SCALES["S"].posts:
        raise SeedError("SQLite is seeded at scale S at most; use PostgreSQL for M and L.")
    value_ids = list(db.session.scalars(select(RecognitionValue.id).where(RecognitionValue.is_retired.is_(False))))
    body_html = str(render_markdown(gen.words.NOTE_BODY))
    db.session.remove()
    started = time.perf_counter()
    plan = gen.Plan(scale=scale, now=datetime.now(UTC), password_hash=password_hash, rng=random.Random(random_seed),
                    value_ids=value_ids)
    writer = PostgresWriter(url) if db.engine.dialect.name == "postgresql" else SQLiteWriter(url)
    counts: dict[str, int] = {}
    numbered: set[str] = set()  # tables whose ids were given, so their sequences move past them

    def write(table: str, columns: tuple[str, ...], rows: Iterable[tuple]) -> None:
        began = time.perf_counter()
        written = writer.write(table, columns, rows)
        counts[table] = counts.get(table, 0) + written
        if columns[0] == "id":
            numbered.add(table)
        progress(f"  {table:<28} {written:>10,} rows  {time.perf_counter() - began:6.1f} s")

    write("unit", ("id", "name", "parent_id", "path", "created_at"), gen.build_units(plan))
    write("user_account", ("id", "email", "display_name", "staff_number", "job_title", "unit_id", "manager_id",
                           "is_active_account", "password_hash", "must_change_password", "session_token",
                           "created_at", "updated_at"), gen.build_people(plan))
    write("user_role", ("user_id", "role"), gen.build_roles(plan))
    recognition = gen.Recognition(plan)
    columns = {"recognition_post": gen.POST_COLUMNS, "recognition_recipient": gen.RECIPIENT_COLUMNS,
               "recognition_post_value": gen.POST_VALUE_COLUMNS,
               "recognition_appreciation": gen.APPRECIATION_COLUMNS, "recognition_comment": gen.COMMENT_COLUMNS}
    for batch in recognition.batches():
        for table, rows in batch.items():
            write(table, columns[table], rows)
    write("recognition_report", gen.REPORT_COLUMNS, recognition.reports())
    support = seed_support.Support(plan)
    write("supporter_profile", seed_support.PROFILE_COLUMNS, support.profile_rows())
    write("support_weekly_hours", seed_support.WEEKLY_COLUMNS, support.weekly_rows())
    support.build_bookings()
    write("support_session", seed_support.SESSION_COLUMNS, support.sessions)
    write("support_booking", seed_support.BOOKING_COLUMNS, support.bookings)
    notes = {"practice_note": seed_support.NOTE_COLUMNS, "practice_note_tag": seed_support.TAG_COLUMNS,
             "practice_revision": seed_support.REVISION_COLUMNS}
    for batch in seed_support.note_rows(plan, body_html):
        for table, rows in batch.items():
            write(table, notes[table], rows)
    progress("  search index, sequences, VACUUM ANALYZE …")
    began = time.perf_counter()
    seconds = round(time.perf_counter() - started, 1)
    writer.finish(sorted(numbered), (scale.name, scale.staff, scale.posts, plan.now.isoformat(), seconds))
    progress(f"  finished in {time.perf_counter() - began:.1f} s")
    return counts
