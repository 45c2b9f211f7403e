"""The demo data for de-briefs and mentoring loads on the demo organisation, reads true, and loads once."""

import pytest
from sqlalchemy import func, select

from portal.auth.models import User
from portal.debriefs.demo import load_demo as load_debriefs
from portal.debriefs.models import DebriefRequest, DebriefSettings, DebriefState, DutySupporter, UnitLead
from portal.demo.people import TRUST_DOMAIN
from portal.demo.services import load_demo_organisation
from portal.extensions import db
from portal.mentoring.demo import load_demo as load_mentoring
from portal.mentoring.models import Mentoring, MentoringState
from portal.support.demo import load_demo as load_support
from portal.support.models import SupporterProfile

pytestmark = pytest.mark.usefixtures("app_ctx")

HEADLINE_SUPPORTER = f"daniel.hughes@{TRUST_DOMAIN}"



def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_demo_loads_once_with_requests_at_every_stage():
    people = load_demo_organisation()
    load_support(people)
    for _ in range(2):
        load_debriefs(people)
        load_mentoring(people)
    assert "example" in db.session.get(DebriefSettings, 1).signposting
    assert count(DutySupporter) == 6 and count(UnitLead) == 3
    states = set(db.session.scalars(select(DebriefRequest.state)))
    assert states == {DebriefState.OPEN, DebriefState.CLAIMED, DebriefState.FOLLOW_UPS, DebriefState.CLOSED}
    assert set(db.session.scalars(select(Mentoring.state))) == {
        MentoringState.ACTIVE, MentoringState.REQUESTED, MentoringState.ENDED}
    assert count(DebriefRequest) == 4 and count(Mentoring) == 3


def test_everyone_on_duty_offers_debriefs_and_the_headline_supporter_has_one_to_claim(as_user):
    people = load_demo_organisation()
    load_support(people)
    load_debriefs(people)
    on_duty = db.session.execute(
        select(User.email, SupporterProfile.kinds).join(DutySupporter, DutySupporter.user_id == User.id)
        .outerjoin(SupporterProfile, SupporterProfile.user_id == User.id)).all()
    assert on_duty and all("debrief" in (kinds or []) for _, kinds in on_duty), on_duty
    daniel = people[HEADLINE_SUPPORTER]
    client = as_user(daniel)
    queue = client.get("/debriefs/queue").get_data(as_text=True)
    assert "Nobody is waiting" not in queue
    waiting = db.session.scalar(select(DebriefRequest).where(DebriefRequest.state == DebriefState.OPEN))
    assert client.post(f"/debriefs/{waiting.id}/claim").status_code == 303
    db.session.refresh(waiting)
    assert waiting.state == DebriefState.CLAIMED and waiting.claimed_by_id == daniel.id
