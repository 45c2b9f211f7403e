"""The mentoring demo: one pair at each stage, for the demo people who are there, loaded once."""

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.mentoring.demo import load_demo
from portal.mentoring.models import Mentoring, MentoringState
from tests.factories import UserFactory
from tests.mentoring.factories import mentor

pytestmark = pytest.mark.usefixtures("app_ctx")


def test_the_demo_pairs_load_once_and_skip_missing_people():
    people = {f"{key}@demo.example": UserFactory(email=f"{key}@demo.example")
              for key in ("tom.brennan", "megan.lloyd", "kirsty.armstrong")}
    for key in ("kwame.mensah", "michelle.charlton"):
        people[f"{key}@demo.example"] = mentor(email=f"{key}@demo.example")
    people["rachel.adeyemi@demo.example"] = UserFactory(email="rachel.adeyemi@demo.example")  # offers no mentoring
    for _ in range(2):
        load_demo(people)
    assert set(db.session.scalars(select(Mentoring.state))) == {MentoringState.ACTIVE, MentoringState.ENDED}
    assert db.session.scalar(select(func.count()).select_from(Mentoring)) == 2
