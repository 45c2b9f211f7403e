"""How fast HR's recognition export streams a million rows from PostgreSQL, and in how much memory.

    .venv/bin/python -m bench.hr_export --rows 1000000 --database postgresql+psycopg://postgres@127.0.0.1:5432/test

Builds a database of its own (``frontline_bench_hr``) holding about ``--rows`` export rows (thank-yous to one or two
people each, award announcements and nominations, over two years, in 200 units), loaded with set-based SQL so the
benchmark process never holds the data. Then, each in a fresh child process (so its peak memory is the export's
own), downloads ``/hr/exports/recognition.csv`` and ``.xlsx`` through the real view — the audit COUNT, the
server-side cursor, the writers — and discards the bytes; and times PostgreSQL's own
``COPY (<the export's SELECT>) TO STDOUT (FORMAT csv)`` of the same rows, the floor no Python code can beat.

Prints one JSON object per run and writes them to bench/results/hr_export.json. The machine's two cores are shared
by PostgreSQL and the export: compare the ratio, measured in the same run, rather than absolute rows per second.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "hr_export.json"
DATABASE = "frontline_bench_hr"
HR_TOKEN = "bench-hr-session"  # noqa: S105 - the bench user's session token, not a secret

SEED = """
SET session_replication_role = replica;  -- no triggers (search indexing) or FK checks while loading
INSERT INTO unit (id, name, parent_id, path, created_at) VALUES (1, 'Bench Trust', NULL, '/1/', now());
INSERT INTO unit (id, name, parent_id, path, created_at)
  SELECT d, 'Directorate ' || d, 1, '/1/' || d || '/', now() FROM generate_series(2, 11) AS d;
INSERT INTO unit (id, name, parent_id, path, created_at)
  SELECT t, 'Team ' || t, 2 + (t % 10), '/1/' || (2 + (t % 10)) || '/' || t || '/', now()
  FROM generate_series(12, 201) AS t;
SELECT setval(pg_get_serial_sequence('unit', 'id'), 201);
INSERT INTO user_account (id, email, display_name, staff_number, job_title, unit_id, manager_id, is_active_account,
                          password_hash, must_change_password, session_token, created_at, updated_at)
  SELECT u, 'person' || u || '@bench.example', 'Person ' || u || CASE WHEN u % 97 = 0 THEN ' Ŵyn' ELSE '' END,
         CASE WHEN u % 50 = 0 THEN '-' || u ELSE 'B' || u END, 'Adviser', 12 + (u % 190),
         CASE WHEN u > 190 THEN 12 + (u % 190) ELSE NULL END, true, NULL, false,
         CASE WHEN u = 1 THEN :hr_token ELSE md5(u::text) END, now(), now()
  FROM generate_series(1, :people) AS u;
SELECT setval(pg_get_serial_sequence('user_account', 'id'), :people);
INSERT INTO user_role (user_id, role) VALUES (1, 'staff'), (1, 'hr');
INSERT INTO recognition_post (id, kind, author_id, author_unit_id, title, what_they_did, difference, learning,
                              visibility, created_at, withdrawn_at, hidden_at, appreciation_count)
  SELECT p, CASE WHEN p % 40 = 0 THEN 'award' ELSE 'thank_you' END, 1 + (p::bigint * 7919) % :people,
         12 + ((1 + (p::bigint * 7919) % :people) % 190), CASE WHEN p % 40 = 0 THEN 'Awards: Kindness' END,
         CASE WHEN p % 1000 = 0 THEN '=HYPERLINK("http://example.com")' ELSE
           'You stayed on the line with a caller in crisis until the crisis team arrived, then checked I was OK.' END,
         'The caller was safe.', '',
         CASE WHEN p % 10 = 0 THEN 'private' WHEN p % 10 = 1 THEN 'team' ELSE 'public' END,
         timestamptz '2024-01-01 00:00+00' + (p::float8 / :posts) * interval '730 days',
         CASE WHEN p % 200 = 0 THEN now() END, CASE WHEN p % 300 = 0 THEN now() END, 0
  FROM generate_series(1, :posts) AS p;
SELECT setval(pg_get_serial_sequence('recognition_post', 'id'), :posts);
INSERT INTO recognition_recipient (post_id, user_id, unit_id)
  SELECT p, 1 + (p::bigint * 104729) % :people, 12 + ((1 + (p::bigint * 104729) % :people) % 190)
  FROM generate_series(1, :posts) AS p;
INSERT INTO recognition_recipient (post_id, user_id, unit_id)
  SELECT p, 1 + (p::bigint * 1299709) % :people, 12 + ((1 + (p::bigint * 1299709) % :people) % 190)
  FROM generate_series(1, :posts) AS p
  WHERE p % 5 = 0 AND (p::bigint * 1299709) % :people <> (p::bigint * 104729) % :people;
INSERT INTO recognition_post_value (post_id, value_id)
  SELECT p, v.id FROM generate_series(1, :posts) AS p
  JOIN recognition_value v ON v.id IN (1 + p % 8, 1 + (p + 3) % 8) WHERE p % 40 <> 0;
INSERT INTO award_scheme (id, name, description, opens_on, closes_on, decision_due_on, needs_manager_endorsement,
                          is_blind_review, needs_publicity_consent, created_at, updated_at)
  VALUES (1, 'Bench Awards', '', '2024-01-01', '2026-12-31', '2027-01-31', false, true, false, now(), now());
INSERT INTO award_category (id, scheme_id, name, criteria, position) VALUES (1, 1, 'Kindness', 'What?', 0);
INSERT INTO nomination (id, scheme_id, category_id, nominator_id, nominee_id, team_id, nominator_unit_id,
                        nominee_unit_id, state, state_changed_at, decided_at, created_at)
  SELECT n, 1, 1, 1 + (n::bigint * 31) % :people, 1 + (n::bigint * 17) % :people, NULL,
         12 + ((1 + (n::bigint * 31) % :people) % 190),
         12 + ((1 + (n::bigint * 17) % :people) % 190),
         (ARRAY['in_review', 'awarded', 'not_awarded', 'withdrawn', 'converted'])[1 + n % 5],
         now(), CASE WHEN n % 5 IN (1, 2, 4) THEN timestamptz '2024-01-20 00:00+00' + n * interval '10 minutes' END,
         timestamptz '2024-01-01 00:00+00' + n * interval '10 minutes'
  FROM generate_series(1, :nominations) AS n;
INSERT INTO nomination_state_change (nomination_id, from_state, to_state, changed_at)
  SELECT n, NULL, 'submitted', timestamptz '2024-01-01 00:00+00' + n * interval '10 minutes'
  FROM generate_series(1, :nominations) AS n
  UNION ALL SELECT n, 'submitted', 'in_review', timestamptz '2024-01-02 00:00+00' + n * interval '10 minutes'
  FROM generate_series(1, :nominations) AS n;
INSERT INTO nomination_answer (nomination_id, position, criterion, answer)
  SELECT n, 0, 'What?', 'She stayed with a caller in crisis.' FROM generate_series(1, :nominations) AS n;
SET session_replication_role = DEFAULT;
"""


def database_url(base: str) -> str:
    return make_url(base).set(database=DATABASE).render_as_string(hide_password=False)


def build(base: str, rows: int) -> dict:
    """A fresh database with about ``rows`` export rows; returns the exact counts."""
    admin = create_engine(make_url(base), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{DATABASE}"'))
    admin.dispose()
    subprocess.run([sys.executable, "-m", "flask", "--app", "portal", "db", "upgrade", "heads"], cwd=ROOT, check=True,
                   env={**os.environ, "DATABASE_URL": database_url(base)}, stdout=subprocess.DEVNULL)
    # Of every 1.2 posts' worth of rows: a post gives 1.2 rows (every fifth has two people); nominations are 5 %.
    nominations = rows // 20
    posts = round((rows - nominations) / 1.2)
    engine = create_engine(database_url(base))
    started = time.perf_counter()
    with engine.begin() as conn:
        for statement in filter(str.strip, SEED.split(";\n")):
            conn.execute(text(statement), {"people": 20_000, "posts": posts, "nominations": nominations,
                                           "hr_token": HR_TOKEN})
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))  # as autovacuum would have by the time anyone exports
    engine.dispose()
    return {"load_seconds": round(time.perf_counter() - started, 1)}


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def export_once(url: str, path: str) -> dict:
    """In this (child) process: one download through the real view, bytes discarded."""
    from portal import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "RATELIMIT_STORAGE_URI": "memory://"})
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = f"1:{HR_TOKEN}"
        session["_fresh"] = True
    before = peak_rss_mb()
    started = time.perf_counter()
    response = client.get(path, buffered=False)
    first_byte = None
    size = lines = 0
    for chunk in response.response:
        if first_byte is None:
            first_byte = time.perf_counter() - started
        size += len(chunk)
        lines += chunk.count(b"\n")
    response.close()
    seconds = time.perf_counter() - started
    return {"status": response.status_code, "seconds": round(seconds, 2),
            "first_byte_seconds": round(first_byte, 2), "bytes": size, "csv_lines": lines,
            "rss_before_mb": round(before, 1), "peak_rss_mb": round(peak_rss_mb(), 1)}


def copy_floor(url: str, path: str) -> dict:
    """PostgreSQL's own COPY of the export's exact SELECT (the same filters), read and discarded."""
    import psycopg

    from portal import create_app
    from portal.extensions import db
    from portal.hr.filters import ExportFilters
    from portal.hr.queries import Reader, ordered_rows

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    with app.test_request_context(path), app.app_context():
        message = "message=1" in path
        stmt = ordered_rows(ExportFilters(include_message=message), Reader(user_id=1, moderates_public_posts=True))
        sql = str(stmt.compile(db.engine, compile_kwargs={"literal_binds": True}))
    started = time.perf_counter()
    size = 0
    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with (psycopg.connect(dsn) as conn, conn.cursor() as cursor,
          cursor.copy(f"COPY ({sql}) TO STDOUT (FORMAT csv, HEADER)") as copy):
        for block in copy:
            size += len(block)
    return {"seconds": round(time.perf_counter() - started, 2), "bytes": size}


def child(kind: str, url: str, path: str) -> dict:
    out = subprocess.run([sys.executable, "-m", "bench.hr_export", "--child", kind, "--database", url, "--path", path],
                         cwd=ROOT, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--database", default=os.environ.get("TEST_DATABASE_URL",
                                                             "postgresql+psycopg://postgres@127.0.0.1:5432/test"))
    parser.add_argument("--skip-build", action="store_true", help="reuse the database from the last run")
    parser.add_argument("--formats", default="csv,csv-message,xlsx")
    parser.add_argument("--child", choices=["export", "copy"])
    parser.add_argument("--path")
    args = parser.parse_args()
    if args.child:
        result = (export_once if args.child == "export" else copy_floor)(args.database, args.path)
        print(json.dumps(result))
        return
    built = {} if args.skip_build else build(args.database, args.rows)
    url = database_url(args.database)
    engine = create_engine(url)
    with engine.connect() as conn:
        total = conn.execute(text("SELECT (SELECT count(*) FROM recognition_recipient)"
                                  " + (SELECT count(*) FROM nomination)")).scalar()
    engine.dispose()
    paths = {"csv": "/hr/exports/recognition.csv", "csv-message": "/hr/exports/recognition.csv?message=1",
             "xlsx": "/hr/exports/recognition.xlsx"}
    results = []
    for name in args.formats.split(","):
        floor = child("copy", url, paths[name])
        run = child("export", url, paths[name])
        rows = total  # every format exports every row (no filters); CSV lines would miscount multi-line messages
        result = {"scenario": f"hr_export_{name}", "rows": rows, "seconds": run["seconds"],
                  "rows_per_second": round(rows / run["seconds"]) if rows else None,
                  "copy_seconds": floor["seconds"], "ratio_to_copy": round(floor["seconds"] / run["seconds"], 2),
                  "first_byte_seconds": run["first_byte_seconds"], "peak_rss_mb": run["peak_rss_mb"],
                  "rss_before_export_mb": run["rss_before_mb"], "bytes": run["bytes"], "copy_bytes": floor["bytes"],
                  "status": run["status"], "load_seconds": built.get("load_seconds")}
        print(json.dumps(result), flush=True)
        results.append(result)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
