"""Mentoring pages: browse, ask, answer, agree, end — and the confidentiality wall for HR and administrators."""

import pytest
from sqlalchemy import func, select

from portal.common.audit import AuditEvent
from portal.extensions import db
from portal.mentoring.models import Mentoring, MentoringState
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
    assert mentee_client.post(f"/mentoring/{mentoring.id}/accept").status_code == 403
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
        reachable.append("/debriefs/insights")
    for path in reachable:
        response = client.get(path)
        assert response.status_code == 200, path
        assert all(secret not in response.get_data(as_text=True) for secret in SECRETS), path
