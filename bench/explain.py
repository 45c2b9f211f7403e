"""Every list page's statements at a bench scale, with PostgreSQL's plan for each: ``python -m bench.explain``.

Signs in (in process, with Flask's test client) as the people the benchmarks use, opens each page twice (the first
warms the caches), records every statement the second request ran with its parameters, and writes
``bench/plans/<page>.txt``: each statement, its parameters and ``EXPLAIN (ANALYZE, BUFFERS)`` of it, run warm. The HR
export's ``COPY`` statement is explained the same way. ``bench/plans/summary.md`` lists, per page, the statements, the
time PostgreSQL took and any sequential scan over a large table (thank-yous, their recipients, search entries,
bookings and sessions): a list page should have none.

Needs a seeded database (``make bench`` or ``flask --app portal bench seed --scale M`` into
``frontline_bench_m``).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from bench.run import DEFAULT_URL, database_url

OUT = Path(__file__).resolve().parent / "plans"
LARGE_TABLES = ("recognition_post", "recognition_recipient", "recognition_post_value", "recognition_appreciation",
                "search_post", "support_booking", "support_session", "notification")
SEQ_SCAN = re.compile(r"(?:Parallel )?Seq Scan on (\w+)")


@dataclass
class Statement:
    sql: str
    parameters: object
    milliseconds: float
    plan: list[str] = field(default_factory=list)

    def seq_scans(self, large: set[str]) -> list[str]:
        return sorted({m.group(1) for line in self.plan for m in [SEQ_SCAN.search(line)] if m and m.group(1) in large})

    @property
    def planned_ms(self) -> float | None:
        found = [float(line.split(":")[1].split()[0]) for line in self.plan if line.startswith("Execution Time")]
        return found[0] if found else None


def pages(ids: dict) -> list[tuple[str, str, str]]:
    """(name, who, path) of every list page the benchmarks and the issue name."""
    today = date.today()
    export = f"from={(today - timedelta(days=30)).isoformat()}&to={today.isoformat()}&unit={ids['directorate']}"
    return [
        ("wall", "staff", "/thanks"),
        ("wall_directorate", "staff", f"/thanks?unit={ids['directorate']}"),
        ("wall_team", "staff", f"/thanks?unit={ids['team']}"),
        ("home", "staff", "/"),
        ("home_champion", "champion", "/"),
        ("slot_browser", "staff", "/support/book?all=1"),
        ("my_bookings", "staff", "/support"),
        ("search_common_word", "staff", "/search?q=complaint"),
        ("search_rare_word", "staff", "/search?q=interpreter"),
        ("search_newest", "staff", "/search?q=complaint&sort=newest"),
        ("practice_notes", "staff", "/practice"),
        ("moderation_queue", "champion", "/practice/review"),
        ("notifications", "staff", "/notifications"),
        ("hr_export_page", "hr", f"/hr/exports?{export}"),
        ("hr_export_csv", "hr", f"/hr/exports/recognition.csv?{export}"),
    ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="M")
    parser.add_argument("--database", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--only", help="comma-separated page names")
    args = parser.parse_args(argv)
    url = database_url(args.database, args.scale)
    os.environ.update(DATABASE_URL=url, PORTAL_ENV="development")

    import psycopg
    from sqlalchemy import event, text
    from sqlalchemy.engine import make_url

    from portal import create_app
    from portal.extensions import db

    app = create_app({"WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False})
    with app.app_context():
        people = _people(db, text)
        ids = {"directorate": db.session.scalar(text(
                   "SELECT id FROM unit WHERE parent_id = (SELECT id FROM unit WHERE parent_id IS NULL) ORDER BY id")),
               "team": db.session.scalar(text(
                   "SELECT id FROM unit u WHERE NOT EXISTS (SELECT 1 FROM unit c WHERE c.parent_id = u.id) "
                   "ORDER BY id"))}
        engine = db.engine
    wanted = set(args.only.split(",")) if args.only else None
    recorded: list[Statement] = []

    @event.listens_for(engine, "before_cursor_execute")
    def _started(conn, cursor, statement, parameters, context, executemany):
        conn.info["bench_started"] = time.perf_counter()

    @event.listens_for(engine, "after_cursor_execute")
    def _ended(conn, cursor, statement, parameters, context, executemany):
        recorded.append(Statement(statement, parameters,
                                  (time.perf_counter() - conn.info.pop("bench_started")) * 1000))

    parsed = make_url(url)
    OUT.mkdir(exist_ok=True)
    summary = []
    with psycopg.connect(host=parsed.host, port=parsed.port or 5432, user=parsed.username, dbname=parsed.database,
                         password=parsed.password, autocommit=True) as explain:
        # A table the seed leaves empty (notifications) is scanned in no time; only those with rows count.
        large = {table for table in LARGE_TABLES
                 if explain.execute(f"SELECT EXISTS (SELECT 1 FROM {table})").fetchone()[0]}  # noqa: S608 — ours
        for name, who, path in pages(ids):
            if wanted and name not in wanted:
                continue
            client = app.test_client()
            with client.session_transaction() as session:
                session["_user_id"], session["_fresh"] = people[who], True
            client.get(path).get_data()
            recorded.clear()
            started = time.perf_counter()
            response = client.get(path)
            response.get_data()
            request_ms = (time.perf_counter() - started) * 1000
            statements = [s for s in recorded if s.sql.lstrip().upper().startswith(("SELECT", "WITH"))]
            if name == "hr_export_csv":
                statements += _export_statement(app, ids)
            for statement in statements:
                statement.plan = [row[0] for row in explain.execute(
                    "EXPLAIN (ANALYZE, BUFFERS) " + statement.sql, statement.parameters or None)]
            _write(name, who, path, response.status_code, request_ms, statements)
            scans = sorted({table for s in statements for table in s.seq_scans(large)})
            planned = sum(s.planned_ms or 0 for s in statements)
            summary.append(f"| {name} | `{path}` | {response.status_code} | {len(statements)} | {planned:.1f} | "
                           f"{request_ms:.0f} | {', '.join(scans) or '—'} |")
            print(summary[-1], flush=True)
    if not wanted:
        (OUT / "summary.md").write_text(
            f"# Plans at scale {args.scale} ({date.today().isoformat()}, `python -m bench.explain`)\n\n"
            "One request of each page in process, after one to warm up. *SQL ms*: PostgreSQL's execution time of the "
            "page's statements, explained warm; *page ms*: the whole request, rendering included. *Sequential scans*: "
            "of the large tables with rows (small ones, such as units or values, are read whole on purpose; "
            f"empty in this seed: {', '.join(sorted(set(LARGE_TABLES) - large)) or 'none'}).\n\n"
            "| page | path | status | statements | SQL ms | page ms | sequential scans of large tables |\n"
            "|---|---|---|---|---|---|---|\n" + "\n".join(summary) + "\n")


def _people(db, text) -> dict[str, str]:
    """Flask-Login's session value for a member of staff (one role), a champion and an HR person."""
    rows = {
        "staff": "SELECT id, session_token FROM user_account u WHERE is_active_account AND "
                 "(SELECT count(*) FROM user_role r WHERE r.user_id = u.id) = 1 ORDER BY id OFFSET 50 LIMIT 1",
        "champion": "SELECT u.id, session_token FROM user_account u JOIN user_role r ON r.user_id = u.id "
                    "WHERE r.role = 'champion' ORDER BY u.id LIMIT 1",
        "hr": "SELECT u.id, session_token FROM user_account u JOIN user_role r ON r.user_id = u.id "
              "WHERE r.role = 'hr' ORDER BY u.id LIMIT 1",
    }
    found = {}
    for who, sql in rows.items():
        user_id, token = db.session.execute(text(sql)).one()
        found[who] = f"{user_id}:{token}"
    return found


def _export_statement(app, ids: dict) -> list[Statement]:
    """The HR export's COPY statement (psycopg's copy, not seen by SQLAlchemy's events), as the download runs it."""
    from sqlalchemy import text

    from portal.auth.models import User
    from portal.extensions import db
    from portal.hr.filters import ExportFilters, UnitRef
    from portal.hr.postgres_csv import _driver_value, copy_statement
    from portal.hr.queries import Reader
    from portal.org.models import Unit

    with app.app_context():
        hr = db.session.get(User, db.session.scalar(text("SELECT user_id FROM user_role WHERE role = 'hr' LIMIT 1")))
        filters = ExportFilters(first=date.today() - timedelta(days=30), last=date.today(),
                                unit=UnitRef.of(db.session.get(Unit, ids["directorate"])))
        compiled = copy_statement(filters, Reader.person(hr)).compile(
            dialect=db.engine.dialect, compile_kwargs={"render_postcompile": True})
        return [Statement("-- the COPY's query\n" + compiled.string,
                          {name: _driver_value(value) for name, value in compiled.params.items()}, 0.0)]


def _write(name: str, who: str, path: str, status: int, request_ms: float, statements: list[Statement]) -> None:
    lines = [f"# {name}: GET {path} as {who} -> {status}, {request_ms:.0f} ms in process, {len(statements)} statements",
             "# EXPLAIN (ANALYZE, BUFFERS), warm (python -m bench.explain).", ""]
    for number, statement in enumerate(statements, 1):
        lines += [f"==================== {number}: {statement.milliseconds:.1f} ms in the request",
                  statement.sql if len(statement.sql) <= 3000 else statement.sql[:3000] + " …",
                  f"-- parameters: {statement.parameters!r}"[:2000], *statement.plan, ""]
    (OUT / f"{name}.txt").write_text("\n".join(lines))


if __name__ == "__main__":
    sys.exit(main())
