"""Mentoring pages: browse, ask, answer, agree, end — and the confidentiality wall for HR and administrators."""

import pytest
from sqlalchemy import func, select

from portal.common.audit import AuditEvent
from portal.extensions import db
from portal.mentoring.models import EndReason, Mentoring, MentoringState
from portal.mentoring.services import accept_request, record_agreement, record_first_check, request_mentor
from tests.factories import UserFactory
from tests.mentoring.factories import AGREED, CHECK, GOALS, mentor

pytestmark = pytest.mark.usefixtures("app_ctx")
SECRETS = (GOALS, AGREED, CHECK)


def test_browse_by_experience_or_by_describing_goals(as_user):
    mentor(display_name="Maya Bereavement", experience="Bereavement and grief calls")
    mentor(display_name="Leo Leadership", experience="Leadership, first-time team leaders")
    mentor(display_name="Full Fran", experience="Bereavement support", capacity=0)
    client = as_user(UserFactory())
    everyone = client.get("/mentoring/mentors").get_data(as_text=True)
    assert "Maya Bereavement" in everyone and "Leo Leadership" in everyone
    grief = client.get("/mentoring/mentors?q=bereavement").get_data(as_text=True)
    assert "Maya Bereavement" in grief and "Leo Leadership" not in grief
    assert "No space for new mentees at the moment" in grief
    described = client.get("/mentoring/mentors?q=I+want+to+become+a+team+leader").get_data(as_text=True)
    assert "Leo Leadership" in described and "Maya Bereavement" not in described
    fragment = client.get("/mentoring/mentors?q=leadership", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in fragment and "Leo Leadership" in fragment


def test_asking_accepting_and_agreeing_through_the_pages(as_user):
    m = mentor(display_name="Maya Mentor")
    mentee = UserFactory()
    mentee_client, mentor_client = as_user(mentee), as_user(m)
    assert "Only you and Maya Mentor will see this." in mentee_client.get(
        f"/mentoring/mentors/{m.id}/ask").get_data(as_text=True)
    empty = mentee_client.post(f"/mentoring/mentors/{m.id}/ask", data={"goals": ""})
    assert empty.status_code == 200 and "Tell your mentor what you would like help with" in empty.get_data(True)
    response = mentee_client.post(f"/mentoring/mentors/{m.id}/ask", data={"goals": GOALS})
    mentoring = db.session.scalar(select(Mentoring).where(Mentoring.mentee_id == mentee.id))
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/mentoring/{mentoring.id}")
    assert "Mentoring requests to answer" in mentor_client.get("/").get_data(as_text=True)
    assert mentee_client.post(f"/mentoring/{mentoring.id}/accept").status_code == 404  # the mentor's to answer
    assert mentor_client.post(f"/mentoring/{mentoring.id}/accept").status_code == 303
    response = mentee_client.post(f"/mentoring/{mentoring.id}/agreement", data={
        "agreement_goals": AGREED, "agreement_frequency": "Every 2 weeks", "agreement_length": "6 months"})
    assert response.status_code == 303
    db.session.expire_all()
    assert mentoring.state == MentoringState.ACTIVE
    page = mentor_client.get(f"/mentoring/{mentoring.id}").get_data(as_text=True)
    assert GOALS.replace("'", "&#39;") in page and AGREED in page
    assert "/support/book?kind=mentoring&amp;supporter=" in mentee_client.get(
        f"/mentoring/{mentoring.id}").get_data(as_text=True)
    reads = db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "mentoring.read", AuditEvent.target_id == str(mentoring.id)))
    assert reads == 2
    assert mentee_client.post(f"/mentoring/{mentoring.id}/end", data={}).status_code == 200
    assert mentee_client.post(f"/mentoring/{mentoring.id}/end", data={"reason": "goals_met"}).status_code == 303
    db.session.expire_all()
    assert mentoring.state == MentoringState.ENDED


def test_a_full_mentor_is_told_clearly(as_user):
    m = mentor(capacity=1)
    first = request_mentor(mentee=UserFactory(), mentor=m, goals=GOALS)
    second = request_mentor(mentee=UserFactory(), mentor=m, goals=GOALS)
    accept_request(mentoring=first, mentor=m)
    response = as_user(m).post(f"/mentoring/{second.id}/accept", follow_redirects=True)
    assert response.status_code == 200 and "no space for another mentee" in response.get_data(as_text=True)


@pytest.mark.parametrize("trait", ["hr", "admin"])
def test_hr_and_admins_cannot_reach_mentoring_content(as_user, trait):
    m = mentor()
    mentoring = request_mentor(mentee=UserFactory(), mentor=m, goals=GOALS)
    accept_request(mentoring=mentoring, mentor=m)
    record_agreement(mentoring=mentoring, actor=m, goals=AGREED, frequency="Monthly", length="A year")
    record_first_check(mentoring=mentoring, actor=m, note=CHECK)
    client = as_user(UserFactory(**{trait: True}))
    assert client.get(f"/mentoring/{mentoring.id}").status_code == 404
    for action in ("accept", "decline", "agreement", "check", "end"):
        assert client.post(f"/mentoring/{mentoring.id}/{action}", data={"reason": "other"}).status_code == 404
    reachable = ["/mentoring", "/mentoring/mentors", "/", "/debriefs/rota"]
    if trait == "hr":
        reachable.append("/insight/peer-support")
    for path in reachable:
        response = client.get(path)
        assert response.status_code == 200, path
        assert all(secret not in response.get_data(as_text=True) for secret in SECRETS), path


def test_the_mentoring_page_shows_each_side_what_they_can_do(as_user):
    m = mentor(display_name="Maya Mentor")
    mentee = UserFactory()
    mentoring = request_mentor(mentee=mentee, mentor=m, goals=GOALS)
    mentee_page = as_user(mentee).get(f"/mentoring/{mentoring.id}").get_data(as_text=True)
    assert "Answer due by" in mentee_page and "Waiting for the mentor" in mentee_page
    assert f"/mentoring/{mentoring.id}/accept" not in mentee_page
    mentor_client = as_user(m)
    mentor_page = mentor_client.get(f"/mentoring/{mentoring.id}").get_data(as_text=True)
    assert f"/mentoring/{mentoring.id}/accept" in mentor_page and f"/mentoring/{mentoring.id}/decline" in mentor_page
    assert f"/mentoring/{mentoring.id}/end" not in mentor_page
    index = mentor_client.get("/mentoring").get_data(as_text=True)
    assert "As a mentor" in index and "Please answer by" in index and "/support/profile" in index


def test_the_mentor_section_is_for_supporters_and_those_who_mentor(as_user):
    page = as_user(UserFactory()).get("/mentoring").get_data(as_text=True)
    assert "As a mentor" not in page and "/support/profile" not in page
    assert "As a mentor" in as_user(UserFactory(supporter=True)).get("/mentoring").get_data(as_text=True)


def test_a_declined_mentee_is_pointed_at_other_mentors(as_user):
    m = mentor(display_name="Maya Mentor", experience="Bereavement calls")
    mentor(display_name="Other Olu", experience="Bereavement and grief")
    mentee = UserFactory()
    mentoring = request_mentor(mentee=mentee, mentor=m, goals="Help with bereavement calls, please")
    response = as_user(m).post(f"/mentoring/{mentoring.id}/decline", follow_redirects=True)
    assert "Declined. We have let them know." in response.get_data(as_text=True)
    assert "Other mentors who may help" not in response.get_data(as_text=True)
    page = as_user(mentee).get(f"/mentoring/{mentoring.id}").get_data(as_text=True)
    assert "Other mentors who may help" in page and "Ask Other Olu" in page and "Ask Maya Mentor" not in page
    assert f"/mentoring/mentors?exclude={m.id}" in page
    everyone_else = as_user(mentee).get(f"/mentoring/mentors?exclude={m.id}").get_data(as_text=True)
    assert "Other Olu" in everyone_else and "Maya Mentor" not in everyone_else


def test_only_a_mentor_someone_else_can_ask_has_an_ask_page(as_user):
    m = mentor()
    client = as_user(UserFactory())
    assert client.get(f"/mentoring/mentors/{m.id}/ask").status_code == 200
    assert client.get(f"/mentoring/mentors/{UserFactory(supporter=True).id}/ask").status_code == 404
    assert as_user(m).get(f"/mentoring/mentors/{m.id}/ask").status_code == 404
    assert as_user(m).post(f"/mentoring/mentors/{m.id}/ask", data={"goals": GOALS}).status_code == 404


def test_asking_twice_is_refused_next_to_the_field(as_user):
    m = mentor(display_name="Maya Mentor")
    client = as_user(UserFactory())
    assert client.post(f"/mentoring/mentors/{m.id}/ask", data={"goals": GOALS}).status_code == 303
    again = client.post(f"/mentoring/mentors/{m.id}/ask", data={"goals": GOALS})
    assert again.status_code == 200 and "You have already asked Maya Mentor." in again.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Mentoring).where(Mentoring.mentor_id == m.id)) == 1


def test_a_second_click_gets_a_message_not_an_error(as_user):
    m = mentor()
    mentoring = request_mentor(mentee=UserFactory(), mentor=m, goals=GOALS)
    client = as_user(m)
    assert client.post(f"/mentoring/{mentoring.id}/accept").status_code == 303
    again = client.post(f"/mentoring/{mentoring.id}/accept", follow_redirects=True).get_data(as_text=True)
    assert "This mentoring request has moved on (it is now: Accepted: agree how you will work)." in again


def test_the_forms_on_the_mentoring_page_say_what_is_missing(as_user):
    m = mentor()
    mentee = UserFactory()
    mentoring = request_mentor(mentee=mentee, mentor=m, goals=GOALS)
    accept_request(mentoring=mentoring, mentor=m)
    client = as_user(mentee)
    empty = client.post(f"/mentoring/{mentoring.id}/agreement", data={"agreement_goals": ""})
    assert empty.status_code == 200 and "Write down what you will work on" in empty.get_data(as_text=True)
    record_agreement(mentoring=mentoring, actor=m, goals=AGREED, frequency="Monthly", length="A year")
    empty = client.post(f"/mentoring/{mentoring.id}/check", data={"note": ""})
    assert empty.status_code == 200 and "Write a line about how it went" in empty.get_data(as_text=True)
    saved = client.post(f"/mentoring/{mentoring.id}/check", data={"note": CHECK}, follow_redirects=True)
    assert "Thank you. Saved." in saved.get_data(as_text=True)
    db.session.expire_all()
    assert mentoring.first_check_note == CHECK


def test_an_ended_mentoring_says_why(as_user):
    m = mentor()
    mentee = UserFactory()
    mentoring = request_mentor(mentee=mentee, mentor=m, goals=GOALS)
    accept_request(mentoring=mentoring, mentor=m)
    response = as_user(m).post(f"/mentoring/{mentoring.id}/end", data={"reason": "not_a_good_fit"},
                               follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Mentoring ended." in page and "It was not a good fit" in page
    db.session.expire_all()
    assert mentoring.end_reason == EndReason.NOT_A_GOOD_FIT
