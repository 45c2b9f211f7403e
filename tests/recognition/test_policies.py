"""Who sees which thank-you: author, people named, their line managers, their team, everyone else."""

from datetime import timedelta

import pytest

from portal.db import utcnow
from portal.recognition import policies
from portal.recognition.moderation import hide_comment, hide_post
from portal.recognition.reactions import add_comment
from portal.recognition.services import make_private, withdraw_thank_you
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


def test_who_may_act_on_a_thank_you_whatever_its_state_and_what_its_state_allows(cast):
    post = thank(cast["author"], cast["recipient"])
    assert policies.can_manage(cast["author"], post) and not policies.can_manage(cast["recipient"], post)
    assert policies.can_act_as_recipient(cast["recipient"], post)
    assert not any(policies.can_act_as_recipient(cast[name], post) for name in ("author", "manager", "teammate"))
    assert policies.can_hide(cast["hr"], post) and policies.can_change_visibility(cast["author"], post)
    make_private(post=post, actor=cast["recipient"])
    assert policies.can_edit(cast["author"], post) and not policies.can_change_visibility(cast["author"], post)
    assert not policies.can_make_private(cast["recipient"], post) and not policies.can_hide(cast["hr"], post)
    withdraw_thank_you(post=post, actor=cast["author"])
    # Still the author (a second click is told it was already withdrawn), but no button and nobody moderates it.
    assert policies.can_manage(cast["author"], post) and not policies.can_withdraw(cast["author"], post)
    assert not policies.can_act_as_recipient(cast["recipient"], post)
    assert not policies.can_moderate(cast["hr"], post)


def test_a_hidden_comment_is_seen_by_its_writer_and_the_posts_moderators_only(cast):
    post = thank(cast["author"], cast["recipient"])
    writer = cast["teammate"]
    shown = add_comment(post=post, author=cast["manager"], body="Well done.")
    hidden = add_comment(post=post, author=writer, body="Something unkind.")
    hide_comment(comment=hidden, actor=cast["hr"], reason="Unkind")
    assert all(policies.can_see_comment(user, shown) for user in cast.values())
    assert {name for name, user in cast.items() if policies.can_see_comment(user, hidden)} == {"teammate", "hr"}
    assert policies.visible_comments(cast["author"], post) == [shown]
    assert policies.visible_comments(writer, post) == [shown, hidden]
    assert not policies.can_hide_comment(cast["hr"], hidden) and policies.can_hide_comment(cast["hr"], shown)
    assert not policies.can_report_comment(writer, hidden) and policies.can_report_comment(writer, shown)
