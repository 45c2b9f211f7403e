"""Who sees which thank-you: author, people named, their line managers, their team, everyone else."""

from datetime import timedelta

import pytest

from portal.db import utcnow
from portal.recognition import policies
from portal.recognition.moderation import hide_post
from portal.recognition.services import withdraw_thank_you
from tests.factories import UnitFactory, UserFactory
from tests.recognition.factories import thank

pytestmark = pytest.mark.usefixtures("app_ctx")


@pytest.fixture
def cast():
    team = UnitFactory(name="South PALS")
    manager = UserFactory(display_name="Manager")
    return {
        "author": UserFactory(),
        "recipient": UserFactory(unit=team, manager=manager),
        "manager": manager,
        "teammate": UserFactory(unit=team),
        "stranger": UserFactory(),
        "hr": UserFactory(hr=True),
    }


EXPECTED = {
    "public": {"author", "recipient", "manager", "teammate", "stranger", "hr"},
    "team": {"author", "recipient", "manager"},  # sharing the recipient's unit is not enough
    "private": {"author", "recipient", "manager"},
}


@pytest.mark.parametrize("visibility", EXPECTED)
def test_who_can_see_each_visibility(cast, visibility):
    post = thank(cast["author"], cast["recipient"], visibility=visibility)
    seen = {name for name, user in cast.items() if policies.can_view(user, post)}
    assert seen == EXPECTED[visibility]


def test_a_private_thank_you_to_a_whole_team_is_seen_by_its_members(cast):
    team = cast["recipient"].unit
    post = thank(cast["author"], team=team, visibility="private")
    assert policies.can_view(cast["teammate"], post)
    assert not policies.can_view(cast["stranger"], post)


def test_withdrawn_posts_are_seen_by_nobody(cast):
    post = thank(cast["author"], cast["recipient"])
    withdraw_thank_you(post=post, actor=cast["author"])
    assert not any(policies.can_view(user, post) for user in cast.values())


def test_hidden_posts_are_seen_by_the_author_and_moderators_only(cast):
    post = thank(cast["author"], cast["recipient"])
    hide_post(post=post, actor=cast["hr"], reason="Names a patient")
    seen = {name for name, user in cast.items() if policies.can_view(user, post)}
    assert seen == {"author", "hr"}


def test_edit_window_withdraw_and_make_private(cast, app):
    sent = utcnow()
    post = thank(cast["author"], cast["recipient"], created_at=sent)
    assert policies.can_edit(cast["author"], post, now=sent + timedelta(minutes=4, seconds=59))
    assert not policies.can_edit(cast["author"], post, now=sent + timedelta(minutes=5))
    app.config["RECOGNITION_EDIT_MINUTES"] = 10
    try:
        assert policies.can_edit(cast["author"], post, now=sent + timedelta(minutes=9))
    finally:
        app.config["RECOGNITION_EDIT_MINUTES"] = 5
    assert not policies.can_edit(cast["recipient"], post, now=sent)
    assert policies.can_withdraw(cast["author"], post) and not policies.can_withdraw(cast["manager"], post)
    assert policies.can_make_private(cast["recipient"], post)
    assert not policies.can_make_private(cast["manager"], post)


def test_champions_moderate_their_subtree_only():
    area = UnitFactory(name="Patient experience")
    inside = UnitFactory(name="PALS North", parent=area)
    outside = UnitFactory(name="Jobcentre Leeds")
    post = thank(UserFactory(), UserFactory(unit=inside))
    assert policies.can_moderate(UserFactory(champion=True, unit=area), post)
    assert policies.can_moderate(UserFactory(champion=True, unit=inside), post)
    assert not policies.can_moderate(UserFactory(champion=True, unit=outside), post)
    assert not policies.can_moderate(UserFactory(unit=area), post)
    assert policies.can_moderate(UserFactory(hr=True, unit=outside), post)
