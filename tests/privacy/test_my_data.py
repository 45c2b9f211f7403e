"""The subject access export: everything about the person, their own confidential words included, and nothing of
anyone else's — on the page and in the JSON file; every export in the audit log."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.common.audit import AuditEvent
from portal.db import utcnow
from portal.extensions import db
from portal.notifications.services import notify
from portal.privacy.export import everything_about
from portal.recognition.models import Comment, Visibility
from portal.support.models import BookingStatus
from tests.awards.factories import make_scheme, nominate
from tests.factories import UserFactory
from tests.insight.data import booking, debrief, mentoring
from tests.recognition.factories import thank

pytestmark = pytest.mark.usefixtures("app_ctx")


def a_person_and_their_world():
    """Priya, with a bit of everything; others' words are marked OTHERS so a test can look for them."""
    manager = UserFactory(display_name="Claire Manager")
    priya = UserFactory(display_name="Priya Shah", email="priya@example.nhs.uk", staff_number="P-77",
                        job_title="PALS officer", manager=manager, supporter=True)
    colleague, supporter = UserFactory(display_name="Col League"), UserFactory(display_name="Sue Porter",
                                                                                  supporter=True)
    now = utcnow() - timedelta(days=3)
    thank(priya, colleague, words="MINE: you calmed a furious caller and then made me tea", created_at=now)
    to_me = thank(colleague, priya, words="TO-ME: you stayed on the line until the crisis team came",
                  created_at=now, visibility=Visibility.PRIVATE)
    db.session.add(Comment(post_id=to_me.id, author_id=supporter.id, body="OTHERS: comment under Priya's thanks"))
    thank(colleague, UserFactory(), words="OTHERS: thanks to someone else entirely", created_at=now)
    nominate(make_scheme(name="Blind Awards", blind=True), nominator=colleague, nominee=priya)
    nominate(make_scheme(name="Open Awards", blind=False), nominator=colleague, nominee=priya)
    mine = booking(priya, at=now, supporter=supporter, status=BookingStatus.ATTENDED)
    given = booking(colleague, at=now, supporter=priya)
    asked = debrief(priya, at=now, claimed_after=timedelta(minutes=4), supporter=supporter)
    supported = debrief(colleague, at=now, claimed_after=timedelta(minutes=4), supporter=priya)
    mentee = mentoring(priya, asked=now, accepted=now, mentor=supporter)
    mentor = mentoring(colleague, asked=now, accepted=now, mentor=priya)
    notify(recipient=priya, kind="recognition.thanked", subject="You were thanked", url="/thanks")
    db.session.flush()
    return priya, {"mine": mine, "given": given, "asked": asked, "supported": supported, "mentee": mentee,
                   "mentor": mentor}


def exported(person) -> str:
    return json.dumps({s.key: s.items for s in everything_about(person)}, default=str)


def test_it_holds_the_persons_own_words_confidential_ones_included():
    priya, rows = a_person_and_their_world()
    text = exported(priya)
    for expected in ("Priya Shah", "priya@example.nhs.uk", "P-77", "PALS officer", "Claire Manager",
                     "MINE: you calmed", "TO-ME: you stayed on the line", "You were thanked",
                     rows["mine"].reason, rows["mine"].reflections,  # her booking: her words
                     rows["given"].session_notes,  # a session she gave: her notes
                     rows["asked"].note, rows["asked"].contact_detail,  # her de-brief request
                     rows["supported"].session_note,  # a de-brief she held: her note
                     rows["mentee"].goals, rows["mentee"].agreement_goals,  # her mentoring
                     rows["mentor"].agreement_goals):  # an agreement she is part of
        assert expected in text, expected


def test_it_holds_nothing_of_anyone_elses():
    priya, rows = a_person_and_their_world()
    text = exported(priya)
    for others in ("OTHERS", rows["mine"].session_notes,  # her supporter's record
                   rows["given"].reason, rows["given"].reflections,  # what her client wrote
                   rows["asked"].session_note,  # the supporter's note on her de-brief
                   rows["supported"].note, rows["supported"].contact_detail,  # what the other requester wrote
                   rows["mentor"].goals):  # what her mentee asked for help with
        assert others not in text, others


def test_a_blind_schemes_nominator_is_not_named():
    priya, _rows = a_person_and_their_world()
    [section] = [s for s in everything_about(priya) if s.key == "nominations_received"]
    by_scheme = {item["scheme"]: item["nominated_by"] for item in section.items}
    assert by_scheme == {"Blind Awards": None, "Open Awards": "Col League"}


def test_the_page_and_the_file_are_the_persons_own_and_are_audited(as_user):
    priya, rows = a_person_and_their_world()
    client = as_user(priya)
    page = client.get("/account/my-data")
    assert page.status_code == 200
    assert rows["asked"].note in page.get_data(as_text=True)
    download = client.get("/account/my-data.json")
    assert download.mimetype == "application/json"
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.headers["Cache-Control"] == "no-store"
    data = download.get_json()
    assert data["person_id"] == priya.id and data["profile"][0]["email"] == "priya@example.nhs.uk"
    assert rows["mine"].reason in json.dumps(data)
    assert "OTHERS" not in json.dumps(data) and "OTHERS" not in page.get_data(as_text=True)
    events = list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == "privacy.data_exported")
                                     .order_by(AuditEvent.id)))
    assert [(e.actor_id, e.details["format"]) for e in events] == [(priya.id, "html"), (priya.id, "json")]
    # Somebody else gets their own export, not Priya's.
    other = as_user(UserFactory(display_name="Someone Else")).get("/account/my-data.json").get_json()
    assert other["profile"][0]["name"] == "Someone Else" and "Priya" not in json.dumps(other)


def test_the_export_runs_a_fixed_number_of_queries(as_user, count_queries):
    priya, _rows = a_person_and_their_world()
    client = as_user(priya)
    with count_queries() as few:
        client.get("/account/my-data.json")
    now = utcnow()
    for day in range(5):
        thank(UserFactory(), priya, created_at=now - timedelta(days=day))
        booking(priya, at=now - timedelta(days=day))
        debrief(priya, at=now - timedelta(days=day), claimed_after=timedelta(minutes=1))
        mentoring(priya, asked=now, mentor=UserFactory(supporter=True))
        nominate(make_scheme(), nominee=priya)
    with count_queries() as many:
        client.get("/account/my-data.json")
    assert many.count == few.count
