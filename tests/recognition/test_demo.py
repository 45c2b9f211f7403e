"""The demo thank-yous load into the demo organisation, once."""

import pytest
from sqlalchemy import func, select

from portal.demo.services import load_demo_organisation
from portal.extensions import db
from portal.recognition.demo import THANKS, load_demo
from portal.recognition.models import Appreciation, Comment, Post

pytestmark = pytest.mark.usefixtures("app_ctx")


def test_demo_thanks_load_once_with_dates_spread_over_months():
    people = load_demo_organisation()
    load_demo(people)
    load_demo(people)
    db.session.expire_all()
    posts = list(db.session.scalars(select(Post)))
    assert len(posts) == len(THANKS) >= 25
    spread = max(p.created_at for p in posts) - min(p.created_at for p in posts)
    assert spread.days > 90
    assert {p.visibility for p in posts} == {"public", "team", "private"}
    assert any(p.team_unit_ids for p in posts)
    assert db.session.scalar(select(func.count()).select_from(Appreciation)) == sum(p.appreciation_count for p in posts)
    assert db.session.scalar(select(func.count()).select_from(Comment)) >= 2
