"""Migration 0008 (idempotency keys) keeps every row, both ways. SQLite has to rebuild the five tables to add a unique
constraint; with foreign keys enforced, dropping the old table would delete the rows that refer to it (a thank-you's
recipients, values and comments, a nomination's answers and history) or fail. (Belongs in tests/test_migrations.py.)
"""

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from portal.awards.services import cosign_nomination
from portal.extensions import db
from portal.mentoring.services import request_mentor
from portal.recognition.moderation import report_item
from portal.recognition.reactions import add_comment, set_appreciation
from tests.awards.factories import make_scheme, nominate
from tests.conftest import make_test_app
from tests.databases import fresh_database_url, on_postgres, worker_name
from tests.factories import UserFactory
from tests.mentoring.factories import GOALS, mentor
from tests.recognition.factories import thank

pytestmark = pytest.mark.committed
TABLES = ("recognition_post", "recognition_recipient", "recognition_post_value", "recognition_comment",
          "recognition_appreciation", "recognition_report", "award_scheme", "award_category", "award_panel_member",
          "nomination", "nomination_answer", "nomination_state_change", "nomination_cosignature", "mentoring")


def row_counts() -> dict[str, int]:
    with db.engine.connect() as connection:
        return {table: connection.scalar(text(f"SELECT count(*) FROM {table}")) for table in TABLES}  # noqa: S608


def fill() -> None:
    """One of everything that refers to the rebuilt tables, made through the services."""
    colleague = UserFactory()
    post = thank(UserFactory(), colleague)
    comment = add_comment(post=post, author=colleague, body="Thank you, it helped.")
    set_appreciation(post=post, user=UserFactory(), appreciated=True)
    report_item(post=post, reporter=UserFactory(), reason="It names a patient.")
    report_item(post=post, comment=comment, reporter=UserFactory(), reason="It names a patient.")
    nomination = nominate(make_scheme(panel=[UserFactory(panel=True)]))
    cosign_nomination(nomination=nomination, actor=UserFactory(), comment="Richly deserved.")
    request_mentor(mentee=UserFactory(), mentor=mentor(), goals=GOALS)
    db.session.commit()


def test_upgrading_to_0008_and_back_keeps_every_row(tmp_path):
    app = make_test_app(fresh_database_url(f"frontline_migrate_0008_{worker_name()}", tmp_path))
    try:
        with app.app_context():
            fill()
            before = row_counts()
            assert all(before.values()), before
            downgrade(revision="0007")
            assert row_counts() == before
            upgrade()
            assert row_counts() == before
            if not on_postgres():
                with db.engine.connect() as connection:
                    assert connection.scalar(text("PRAGMA foreign_keys")) == 1  # switched back on
                    index = connection.scalar(text("SELECT sql FROM sqlite_master WHERE name = :name"),
                                              {"name": "uq_mentoring_open_pair"})
                assert "WHERE state IN" in index  # the partial index survived the rebuild as it was
    finally:
        with app.app_context():
            db.engine.dispose()
