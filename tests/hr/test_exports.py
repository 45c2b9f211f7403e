"""The recognition export over HTTP, as HR downloads it: its columns, one row per recipient, every filter (the unit
subtree, inclusive London dates across midnight and clock changes, type, value, scheme, status), formula
injection, private words withheld, pseudonymised givers, the audit record — and never a confidential word."""

import pytest
from sqlalchemy import select, text

from portal.awards.models import NominationState
from portal.awards.services import withdraw_nomination
from portal.common.audit import AuditEvent
from portal.extensions import db
from portal.hr.columns import COLUMNS
from portal.recognition.models import RecognitionValue
from portal.recognition.moderation import hide_post
from portal.recognition.services import withdraw_thank_you
from tests.awards.factories import make_scheme, nominate
from tests.debriefs.factories import CONTACT, NOTE, ask
from tests.factories import UserFactory
from tests.hr.factories import (
    PRIVATE_WORDS,
    PUBLIC_WORDS,
    TEAM_WORDS,
    awards_for,
    decided_nomination,
    download,
    org,
    thank_at,
)

pytestmark = pytest.mark.usefixtures("app_ctx")
NAMES = [column.name for column in COLUMNS]
PLAIN = [column.name for column in COLUMNS if not column.message_only]


@pytest.fixture
def o():
    return org()


def ids(rows) -> list[str]:
    return [row["recognition_id"] for row in rows]


def test_the_columns_are_the_data_dictionarys_in_its_order(as_user, o):
    thank_at(o.giver, o.tom, when="2025-03-14 16:05")
    client = as_user(o.hr)
    assert list(download(client)[0]) == PLAIN
    assert list(download(client, message="1")[0]) == NAMES


def test_one_row_per_recipient_with_every_column_filled_in(as_user, o):
    post = thank_at(o.giver, o.tom, o.sam, team=o.north, when="2025-03-14 16:05",
                    values=("Listened", "Kept informed"))
    rows = download(as_user(o.hr))
    assert ids(rows) == [f"T-{post.id}"] * 3
    tom, sam, team = rows
    assert tom == {
        "recognition_id": f"T-{post.id}", "type": "thank-you", "given_on": "2025-03-14",
        "given_at": "2025-03-14T16:05:00+00:00", "endorsed_at": "", "sent_to_panel_at": "", "decided_at": "",
        "made_private_at": "", "withdrawn_at": "", "hidden_at": "", "giver": "Priya Shah",
        "giver_staff_number": "100234", "giver_unit": "Riverside Trust / PALS / North team", "recipient": "Tom Byrne",
        "recipient_type": "person", "recipient_staff_number": "100871",
        "recipient_unit": "Riverside Trust / PALS / North team", "values": "Kept informed; Listened", "scheme": "",
        "category": "", "status": "published", "stage": "", "decision": "", "days_to_decision": "",
        "visibility": "public"}
    assert (sam["recipient"], sam["recipient_unit"]) == ("Sam Okafor", "Riverside Trust / PALS / South team")
    assert (team["recipient"], team["recipient_type"], team["recipient_staff_number"]) == ("North team", "team", "")


def test_nominations_carry_their_scheme_dates_decision_and_days_to_decision(as_user, o):
    scheme, pending, awarded = awards_for(o)
    rows = {row["recognition_id"]: row for row in download(as_user(o.hr), type="nomination")}
    won = rows[f"N-{awarded.id}"]
    assert (won["scheme"], won["category"], won["status"], won["stage"], won["decision"]) == (
        "Patient Experience Awards", "Compassion under pressure", "awarded", "awarded", "awarded")
    assert won["sent_to_panel_at"] and won["decided_at"] and won["days_to_decision"] == "0"
    assert (won["giver"], won["recipient"], won["values"], won["visibility"]) == ("Sam Okafor", "Tom Byrne", "", "")
    waiting = rows[f"N-{pending.id}"]
    assert (waiting["status"], waiting["stage"], waiting["decision"], waiting["decided_at"]) == (
        "pending", "in-review", "", "")


def test_an_award_announcement_is_its_own_type(as_user, o):
    scheme, _pending, awarded = awards_for(o)
    rows = download(as_user(o.hr), type="award")
    assert [(row["type"], row["recipient"], row["visibility"]) for row in rows] == [("award", "Tom Byrne", "public")]
    assert rows[0]["recognition_id"].startswith("A-")


def test_the_unit_filter_takes_the_unit_and_everything_beneath_it(as_user, o):
    north = thank_at(o.giver, o.tom, when="2025-03-14 10:00")
    south = thank_at(o.giver, o.sam, when="2025-03-14 11:00")
    elsewhere = thank_at(o.giver, o.ola, when="2025-03-14 12:00")
    client = as_user(o.hr)
    assert ids(download(client, unit=o.pals.id)) == [f"T-{north.id}", f"T-{south.id}"]
    assert ids(download(client, unit=o.north.id)) == [f"T-{north.id}"]
    assert ids(download(client)) == [f"T-{north.id}", f"T-{south.id}", f"T-{elsewhere.id}"]


@pytest.mark.parametrize(("first", "last", "expected"), [
    ("2025-07-01", "2025-07-01", ["just after midnight BST", "last second of the day"]),
    ("2025-06-30", "2025-06-30", ["last second of 30 June"]),
    ("2025-07-02", "2025-07-02", ["midnight 2 July"]),
    ("2025-06-30", "2025-07-02", ["last second of 30 June", "just after midnight BST", "last second of the day",
                                  "midnight 2 July"]),
])
def test_dates_are_london_days_with_both_ends_included(as_user, o, first, last, expected):
    """In summer London is UTC+1: 23:30 UTC on 30 June is already 1 July in London."""
    for when, words in [("2025-06-30 22:59:59", "last second of 30 June"),
                        ("2025-06-30 23:30", "just after midnight BST"),
                        ("2025-07-01 22:59:59", "last second of the day"),
                        ("2025-07-01 23:00", "midnight 2 July")]:
        thank_at(o.giver, o.tom, when=when, words=f"{words}: {PUBLIC_WORDS}")
    rows = download(as_user(o.hr), message="1", **{"from": first, "to": last})
    assert [row["message"].split(":")[0] for row in rows] == expected


def test_in_winter_a_london_day_is_the_utc_day_and_times_carry_their_offset(as_user, o):
    thank_at(o.giver, o.tom, when="2025-01-31 23:59:59")
    thank_at(o.giver, o.tom, when="2025-02-01 00:00")
    thank_at(o.giver, o.tom, when="2025-03-30 01:30")  # the clocks went forward at 01:00 UTC
    rows = download(as_user(o.hr), **{"from": "2025-01-31", "to": "2025-01-31"})
    assert [row["given_at"] for row in rows] == ["2025-01-31T23:59:59+00:00"]
    spring = download(as_user(o.hr), **{"from": "2025-03-30", "to": "2025-03-30"})
    assert [(row["given_on"], row["given_at"]) for row in spring] == [("2025-03-30", "2025-03-30T02:30:00+01:00")]


def test_type_value_scheme_and_status_filters(as_user, o):
    listened = thank_at(o.giver, o.tom, when="2025-03-14 10:00", values=("Listened",))
    timely = thank_at(o.giver, o.sam, when="2025-03-14 11:00", values=("Timely",))
    withdrawn = thank_at(o.giver, o.tom, when="2025-03-14 12:00")
    withdraw_thank_you(post=withdrawn, actor=o.giver)
    hidden = thank_at(o.ola, o.tom, when="2025-03-14 13:00")
    hide_post(post=hidden, actor=o.hr, reason="Names a patient.")
    scheme, pending, awarded = awards_for(o)
    other = make_scheme(name="Jobcentre Stars")
    elsewhere = nominate(other, nominator=o.ola, nominee=o.giver)
    gone = nominate(scheme, nominator=o.tom, nominee=o.giver)
    withdraw_nomination(nomination=gone, actor=o.tom)
    client = as_user(o.hr)
    timely_id = db.session.scalar(select(RecognitionValue.id).where(RecognitionValue.name == "Timely"))
    assert ids(download(client, value=timely_id)) == [f"T-{timely.id}"]
    assert set(ids(download(client, scheme=other.id))) == {f"N-{elsewhere.id}"}
    assert {row["type"] for row in download(client, type=["thank-you", "award"])} == {"thank-you", "award"}
    assert set(ids(download(client, status="withdrawn"))) == {f"T-{withdrawn.id}", f"N-{gone.id}"}
    assert ids(download(client, status="hidden")) == [f"T-{hidden.id}"]
    assert set(ids(download(client, status="pending"))) == {f"N-{pending.id}", f"N-{elsewhere.id}"}
    assert ids(download(client, status="awarded")) == [f"N-{awarded.id}"]
    published = set(ids(download(client, status="published", type="thank-you")))
    assert published == {f"T-{listened.id}", f"T-{timely.id}"}
    assert download(client, value=timely_id, scheme=other.id) == []  # nothing has both


def test_a_declined_nomination_and_one_converted_to_thanks(as_user, o):
    panel = UserFactory(panel=True)
    scheme = make_scheme(panel=[panel], consent=False)
    declined = decided_nomination(scheme, nominator=o.giver, nominee=o.tom, outcome=NominationState.NOT_AWARDED,
                                  panel=panel)
    converted = decided_nomination(scheme, nominator=o.giver, nominee=o.sam, outcome=NominationState.CONVERTED,
                                   panel=panel)
    rows = {row["recognition_id"]: row for row in download(as_user(o.hr), type="nomination")}
    assert (rows[f"N-{declined.id}"]["status"], rows[f"N-{declined.id}"]["decision"]) == ("declined", "not-awarded")
    assert (rows[f"N-{converted.id}"]["status"], rows[f"N-{converted.id}"]["decision"]) == ("converted", "converted")
    assert ids(download(as_user(o.hr), status="declined")) == [f"N-{declined.id}"]


FORMULAS = ["=1+2", "+SUM(A1)", "-2+3", "@SUM(A1)", "\tTAB", "\rCR", "=HYPERLINK(\"http://evil.example\")"]


@pytest.mark.parametrize("formula", FORMULAS)
def test_cells_a_spreadsheet_would_run_start_with_an_apostrophe(as_user, o, formula):
    author = UserFactory(unit=o.north, display_name=f"{formula} Smith", staff_number=formula)
    person = UserFactory(unit=o.north, display_name=f"{formula} Jones")
    thank_at(author, person, when="2025-03-14 10:00", words=f"{formula} {PUBLIC_WORDS}")
    o.trust.name = f"{formula} Trust"
    db.session.flush()
    [row] = download(as_user(o.hr), message="1")
    assert row["giver"] == f"'{formula} Smith" and row["giver_staff_number"] == f"'{formula}"
    assert row["recipient"] == f"'{formula} Jones"
    assert row["recipient_unit"] == f"'{formula} Trust / PALS / North team"
    if formula == formula.strip():  # the service trims the words' leading whitespace
        assert row["message"].startswith(f"'{formula}")


def test_private_and_team_words_are_withheld_unless_the_exporter_could_read_them(as_user, o):
    private = thank_at(o.sam, o.tom, when="2025-03-14 10:00", visibility="private", words=PRIVATE_WORDS)
    team = thank_at(o.tom, o.ola, when="2025-03-14 11:00", visibility="team", words=TEAM_WORDS)
    public = thank_at(o.giver, o.sam, when="2025-03-14 12:00")
    response = as_user(o.hr).get("/hr/exports/recognition.csv", query_string={"message": "1"})
    body = response.get_data(as_text=True)
    assert PRIVATE_WORDS not in body and TEAM_WORDS not in body and PUBLIC_WORDS in body
    rows = {row["recognition_id"]: row for row in download(as_user(o.hr), message="1")}
    assert (rows[f"T-{private.id}"]["message"], rows[f"T-{private.id}"]["message_withheld"]) == ("", "private")
    assert rows[f"T-{team.id}"]["message_withheld"] == "team"
    assert rows[f"T-{public.id}"]["message_withheld"] == ""
    # An HR person in the thank-you (here: Tom's line manager, the author, a person named) reads it as in Frontline.
    for insider in (o.manager, o.sam, o.tom):
        insider.set_roles(["staff", "hr"])
    db.session.flush()
    o.tom.manager = o.manager
    db.session.flush()
    for insider in (o.manager, o.sam, o.tom):
        rows = {row["recognition_id"]: row for row in download(as_user(insider), message="1")}
        assert rows[f"T-{private.id}"]["message"].startswith(PRIVATE_WORDS), insider.display_name


def test_hidden_public_words_are_for_hr_as_moderators_and_withdrawn_words_for_nobody(as_user, o):
    hidden = thank_at(o.ola, o.tom, when="2025-03-14 10:00", words="Hidden words: " + PUBLIC_WORDS)
    hide_post(post=hidden, actor=o.hr, reason="Names a patient.")
    withdrawn = thank_at(o.hr, o.tom, when="2025-03-14 11:00", words="Withdrawn words: " + PUBLIC_WORDS)
    withdraw_thank_you(post=withdrawn, actor=o.hr)
    rows = {row["recognition_id"]: row for row in download(as_user(o.hr), message="1")}
    assert rows[f"T-{hidden.id}"]["message"].startswith("Hidden words")
    assert (rows[f"T-{withdrawn.id}"]["message"], rows[f"T-{withdrawn.id}"]["message_withheld"]) == ("", "withdrawn")
    assert rows[f"T-{withdrawn.id}"]["status"] == "withdrawn" and rows[f"T-{withdrawn.id}"]["withdrawn_at"]


def test_message_text_only_when_asked_for(as_user, o):
    thank_at(o.giver, o.tom, when="2025-03-14 10:00")
    body = as_user(o.hr).get("/hr/exports/recognition.csv").get_data(as_text=True)
    assert PUBLIC_WORDS not in body and "message" not in body.splitlines()[0]


def test_pseudonymised_givers_are_the_same_code_everywhere_and_never_a_name(as_user, o):
    thank_at(o.giver, o.tom, when="2025-03-14 10:00")
    thank_at(o.giver, o.sam, when="2025-03-15 10:00")
    thank_at(o.tom, o.sam, when="2025-03-16 10:00")
    client = as_user(o.hr)
    response = client.get("/hr/exports/recognition.csv", query_string={"pseudonymise": "1"})
    body = response.get_data(as_text=True)
    assert "Priya Shah" not in body and "100234" not in body
    rows = download(client, pseudonymise="1")
    codes = [row["giver"] for row in rows]
    assert codes[0] == codes[1] != codes[2] and all(code.startswith("pseudonym-") for code in codes)
    assert {row["giver_staff_number"] for row in rows} == {""}
    assert [row["giver"] for row in download(client, pseudonymise="1")] == codes  # and again next time
    assert rows[2]["recipient"] == "Sam Okafor"  # recipients stay named


def test_no_confidential_word_reaches_any_export(as_user, o):
    ask(o.tom, note=NOTE)
    thank_at(o.giver, o.tom, when="2025-03-14 10:00")
    client = as_user(o.hr)
    for path in ("/hr/exports/recognition.csv", "/hr/exports/recognition.xlsx"):
        body = client.get(path, query_string={"message": "1"}).data
        for secret in (NOTE, CONTACT, "bereavement"):
            assert secret.encode() not in body


def test_csv_is_utf8_with_a_bom_crlf_and_iso_dates(as_user, o):
    thank_at(UserFactory(unit=o.north, display_name="Gwenllïan Ŵyn"), o.tom, when="2025-03-14 10:00")
    response = as_user(o.hr).get("/hr/exports/recognition.csv", query_string={"from": "2025-03-01"})
    assert response.mimetype == "text/csv" and response.headers["Cache-Control"] == "no-store"
    assert response.data.startswith(b"\xef\xbb\xbfrecognition_id,") and b"\r\n" in response.data
    assert "Gwenllïan Ŵyn".encode() in response.data
    assert 'filename="Recognition 2025-03-01 to ' in response.headers["Content-Disposition"]


def test_every_export_is_audited_with_who_the_filters_and_the_rows(as_user, o):
    thank_at(o.giver, o.tom, o.sam, when="2025-03-14 10:00")
    client = as_user(o.hr)
    client.get("/hr/exports/recognition.csv", query_string={"from": "2025-03-01", "to": "2025-03-31",
                                                            "unit": o.pals.id, "message": "1"})
    client.get("/hr/exports/recognition.xlsx", query_string={"type": "thank-you", "pseudonymise": "1"})
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "hr.exported")
                                .order_by(AuditEvent.id)).all()
    assert [(e.actor_id, e.details["format"], e.details["rows"]) for e in events] == [(o.hr.id, "csv", 2),
                                                                                       (o.hr.id, "xlsx", 2)]
    assert events[0].details["filters"] == {"from": "2025-03-01", "to": "2025-03-31", "unit": o.pals.id,
                                            "message": "1"}
    assert events[1].details["filters"] == {"type": ["thank-you"], "pseudonymise": "1"}


def test_the_number_of_queries_does_not_grow_with_the_rows(as_user, o, count_queries):
    client = as_user(o.hr)
    thank_at(o.giver, o.tom, when="2025-03-14 10:00")
    with count_queries() as few:
        assert len(download(client, message="1")) == 1
    for day in range(20):
        thank_at(o.giver, o.tom, o.sam, when=f"2025-04-{day + 1:02d} 10:00")
    awards_for(o)
    with count_queries() as many:
        assert len(download(client, message="1")) > 40
    assert many.count == few.count


def test_bad_filters_are_shown_on_the_form_not_exported(as_user, o):
    client = as_user(o.hr)
    db.session.commit()  # into the test's transaction: a refused request rolls back only its own work
    for params in ({"from": "2025-02-30"}, {"from": "2025-03-02", "to": "2025-03-01"}, {"from": "1066-10-14"},
                   {"type": "gossip"}, {"unit": "999999"}):
        response = client.get("/hr/exports/recognition.csv", query_string=params)
        assert response.status_code == 400 and response.mimetype == "text/html", params
        assert "There is a problem" in response.get_data(as_text=True)
    assert not db.session.scalars(select(AuditEvent).where(AuditEvent.action == "hr.exported")).all()


def test_only_hr_may_export(as_user, o):
    for person in (o.giver, UserFactory(admin=True), UserFactory(champion=True)):
        assert as_user(person).get("/hr/exports/recognition.csv").status_code == 403


def test_dates_in_the_future_or_far_past_export_nothing_rather_than_fail(as_user, o):
    thank_at(o.giver, o.tom, when="2025-03-14 10:00")
    assert download(as_user(o.hr), **{"from": "2100-12-31", "to": "2100-12-31"}) == []
    assert len(download(as_user(o.hr), **{"from": "2000-01-01"})) == 1


def test_times_read_in_london_leave_the_connections_own_time_zone_as_it_was(as_user, o):
    """On PostgreSQL the stream asks for London times for its own transaction only; on SQLite nothing changes."""
    def zone():
        return db.session.execute(text("SHOW TimeZone")).scalar() if db.engine.dialect.name == "postgresql" else None

    before = zone()
    thank_at(o.giver, o.tom, when="2025-07-14 16:05")
    (row,) = download(as_user(o.hr))
    assert (row["given_on"], row["given_at"]) == ("2025-07-14", "2025-07-14T17:05:00+01:00")
    assert zone() == before
