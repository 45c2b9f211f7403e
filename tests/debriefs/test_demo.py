"""The demo data for de-briefs and mentoring loads on the demo organisation, reads true, and loads once."""

import pytest
from sqlalchemy import func, select

from portal.debriefs.demo import load_demo as load_debriefs
from portal.debriefs.models import DebriefRequest, DebriefSettings, DebriefState, DutySupporter, UnitLead
from portal.demo.services import load_demo_organisation
from portal.extensions import db
from portal.mentoring.demo import load_demo as load_mentoring
from portal.mentoring.models import Mentoring, MentoringState
from portal.support.demo import load_demo as load_support

pytestmark = pytest.mark.usefixtures("app_ctx")


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_demo_loads_once_with_requests_at_every_stage():
    people = load_demo_organisation()
    load_support(people)
    for _ in range(2):
        load_debriefs(people)
        load_mentoring(people)
    assert "example" in db.session.get(DebriefSettings, 1).signposting
    assert count(DutySupporter) == 5 and count(UnitLead) == 3
    states = set(db.session.scalars(select(DebriefRequest.state)))
    assert states == {DebriefState.OPEN, DebriefState.CLAIMED, DebriefState.FOLLOW_UPS, DebriefState.CLOSED}
    assert set(db.session.scalars(select(Mentoring.state))) == {
        MentoringState.ACTIVE, MentoringState.REQUESTED, MentoringState.ENDED}
    assert count(DebriefRequest) == 4 and count(Mentoring) == 3
