"""The demo scheme loads through the real services, with nominations in several states, and only once."""

import pytest
from sqlalchemy import func, select

from portal.awards.demo import SCHEME_NAME, load_demo
from portal.awards.models import AwardScheme, Nomination
from portal.demo.services import load_demo_organisation
from portal.extensions import db

pytestmark = pytest.mark.usefixtures("app_ctx")


def test_demo_awards_load_once_with_nominations_in_several_states():
    people = load_demo_organisation()
    load_demo(people)
    load_demo(people)
    assert db.session.scalar(select(func.count()).select_from(AwardScheme)
                             .where(AwardScheme.name == SCHEME_NAME)) == 1
    states = sorted(db.session.scalars(select(Nomination.state)))
    assert states == ["awarded", "converted", "in_review", "in_review", "submitted"]
    winner = db.session.scalars(select(Nomination).where(Nomination.state == "awarded")).one()
    assert winner.announced_at is not None and winner.nominee.display_name == "Seun Bakare"
    dates = sorted(n.created_at for n in db.session.scalars(select(Nomination)))
    assert (dates[-1] - dates[0]).days >= 30
