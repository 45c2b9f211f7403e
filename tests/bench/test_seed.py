"""The benchmark data generator at a tiny scale, on SQLite and (with TEST_DATABASE_URL) PostgreSQL: the counts asked
for, every constraint and counter holding, the search index filled, and a seeded person able to sign in."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from bench.loading import SeedError, seed, seeded_scale
from bench.seed import BENCH_PASSWORD, SCALES
from portal.extensions import db
from portal.org.models import Unit
from tests.conftest import make_test_app
from tests.databases import fresh_database_url, worker_name

pytestmark = pytest.mark.committed

TINY = SCALES["XS"]


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    """The command itself, at the tiny scale, into a database of its own."""
    app = make_test_app(fresh_database_url(f"bench_seed_{worker_name()}", tmp_path_factory.mktemp("bench")))
    result = app.test_cli_runner().invoke(args=["bench", "seed", "--scale", "XS"])
    assert result.exit_code == 0, result.output
    yield app, result.output
    with app.app_context():
        db.engine.dispose()


def scalar(app, sql: str):
    with app.app_context(), db.engine.connect() as conn:
        return conn.execute(text(sql)).scalar()


def test_counts_are_the_scales(seeded):
    app, output = seeded
    assert scalar(app, "SELECT count(*) FROM user_account") == TINY.staff
    assert scalar(app, "SELECT count(*) FROM unit") == TINY.units == 1 + 2 + 4 + 12
    assert scalar(app, "SELECT count(*) FROM recognition_post") == TINY.posts
    assert f"recognition_post {TINY.posts} rows" in " ".join(output.split())  # the timing printed per table
    assert f"Every person's password is: {BENCH_PASSWORD}" in output
    assert scalar(app, "SELECT count(*) FROM support_booking") >= TINY.bookings * 0.6
    assert scalar(app, "SELECT count(*) FROM practice_note") == TINY.notes
    assert scalar(app, "SELECT count(*) FROM user_role WHERE role = 'supporter'") == TINY.supporters
    assert scalar(app, "SELECT count(*) FROM recognition_report WHERE resolved_at IS NULL") > 0
    with app.app_context(), db.engine.connect() as conn:
        assert seeded_scale(conn) == "XS"


def test_every_foreign_key_points_at_a_row(seeded):
    app, _ = seeded
    orphans = {}
    for table in db.metadata.sorted_tables:
        for key in table.foreign_keys:
            column, parent = key.parent, key.column
            sql = (f"SELECT count(*) FROM {table.name} c WHERE c.{column.name} IS NOT NULL AND NOT EXISTS "  # noqa: S608
                   f"(SELECT 1 FROM {parent.table.name} p WHERE p.{parent.name} = c.{column.name})")
            orphans[f"{table.name}.{column.name}"] = scalar(app, sql)
    assert orphans and not {name: n for name, n in orphans.items() if n}


def test_nobody_thanks_or_appreciates_themselves_and_counts_match(seeded):
    app, _ = seeded
    assert scalar(app, "SELECT count(*) FROM recognition_recipient r JOIN recognition_post p ON p.id = r.post_id "
                       "WHERE r.user_id = p.author_id") == 0
    assert scalar(app, "SELECT count(*) FROM recognition_appreciation a JOIN recognition_post p ON p.id = a.post_id "
                       "WHERE a.user_id = p.author_id") == 0
    assert scalar(app, "SELECT count(*) FROM recognition_post p WHERE appreciation_count <> "
                       "(SELECT count(*) FROM recognition_appreciation a WHERE a.post_id = p.id)") == 0
    assert scalar(app, "SELECT count(*) FROM recognition_post p WHERE kind = 'thank_you' AND NOT EXISTS "
                       "(SELECT 1 FROM recognition_post_value v WHERE v.post_id = p.id)") == 0
    assert scalar(app, "SELECT count(*) FROM recognition_post p WHERE NOT EXISTS "
                       "(SELECT 1 FROM recognition_recipient r WHERE r.post_id = p.id)") == 0
    assert scalar(app, "SELECT max(n) FROM (SELECT count(*) AS n FROM recognition_post GROUP BY author_id) x") > \
        3 * TINY.posts / TINY.staff  # a few people thank far more than most


def test_support_sessions_never_overlap_or_overfill(seeded):
    app, _ = seeded
    assert scalar(app, "SELECT count(*) FROM support_session a JOIN support_session b ON a.supporter_id = "
                       "b.supporter_id AND a.id < b.id AND a.is_active AND b.is_active AND a.starts_at < b.ends_at "
                       "AND b.starts_at < a.ends_at") == 0
    assert scalar(app, "SELECT count(*) FROM support_session s WHERE booked_count <> (SELECT count(*) FROM "
                       "support_booking b WHERE b.session_id = s.id AND b.status <> 'cancelled') "
                       "OR booked_count > capacity OR is_active <> (booked_count > 0)") == 0
    assert scalar(app, "SELECT count(*) FROM support_booking WHERE booker_id = supporter_id") == 0
    assert scalar(app, "SELECT coalesce(max(n), 0) FROM (SELECT count(*) AS n FROM support_booking WHERE status IN "
                       "('requested', 'confirmed') GROUP BY booker_id) x") <= 4
    assert scalar(app, "SELECT count(*) FROM support_booking WHERE status IN ('requested', 'confirmed')") > 0


def test_search_index_holds_the_live_posts_people_and_published_notes(seeded):
    app, _ = seeded
    assert scalar(app, "SELECT count(*) FROM search_post") == scalar(
        app, "SELECT count(*) FROM recognition_post WHERE withdrawn_at IS NULL AND hidden_at IS NULL")
    assert scalar(app, "SELECT count(*) FROM search_person") == TINY.staff
    assert scalar(app, "SELECT count(*) FROM search_note") == scalar(
        app, "SELECT count(*) FROM practice_note WHERE state = 'published'") > 0


def test_new_rows_get_new_ids_after_seeding(seeded):
    app, _ = seeded
    with app.app_context():
        unit = Unit(name="Made after seeding", parent_id=1, path="")
        db.session.add(unit)
        db.session.flush()
        assert unit.id == TINY.units + 1
        db.session.rollback()


def test_a_seeded_person_signs_in_with_the_published_password(seeded):
    app, _ = seeded
    with app.app_context():
        email = db.session.scalar(select(func.min(text("email"))).select_from(text("user_account")))
    client = app.test_client()
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").get_data(as_text=True)).group(1)
    signed_in = client.post("/login", data={"email": email, "password": BENCH_PASSWORD, "csrf_token": token})
    assert signed_in.status_code == 303
    assert client.get("/thanks").status_code == 200


def test_capacity_finds_an_acknowledged_write_that_is_not_stored(seeded):
    from bench.capacity import lost_writes

    app, _ = seeded
    with app.app_context():
        acknowledged = ["/thanks/1", f"/thanks/{TINY.posts + 50}", "/support/bookings/1", "/support/bookings/999999",
                        "/elsewhere"]
        assert lost_writes(db.engine, acknowledged) == [f"/thanks/{TINY.posts + 50}", "/support/bookings/999999"]
        assert lost_writes(db.engine, ["/thanks/1"]) == []


def test_a_database_with_people_is_not_seeded_again(seeded):
    app, _ = seeded
    result = app.test_cli_runner().invoke(args=["bench", "seed", "--scale", "XS"])
    assert result.exit_code == 1 and "already holds people" in result.output


def test_benchmark_data_is_never_loaded_in_production(seeded):
    app, _ = seeded
    app.config["PORTAL_ENV"] = "production"
    try:
        result = app.test_cli_runner().invoke(args=["bench", "seed", "--scale", "XS"])
    finally:
        app.config["PORTAL_ENV"] = "development"
    assert result.exit_code == 1 and "never loaded in production" in result.output


def test_sqlite_is_seeded_at_scale_s_at_most(tmp_path: Path):
    from bench.seed import SCALES

    app = make_test_app(f"sqlite:///{tmp_path / 'refused.db'}")
    with app.app_context(), pytest.raises(SeedError, match="SQLite"):
        seed(SCALES["M"], password_hash="x", progress=lambda line: None)
