"""Privacy review fixes: team and private thank-yous stay in their circle (author, people named, their line
managers, members of a team thanked as a whole), moderation touches public posts only, the moderation queue never
shows a post that stopped being public, and a recipient's "Make it private" cannot be undone by the author."""

import pytest
from sqlalchemy import select

from portal.common.errors import DomainError, InvalidTransition
from portal.db import utcnow
from portal.extensions import db
from portal.recognition import policies
from portal.recognition.models import Post, Report, Visibility
from portal.recognition.moderation import hide_post, report_item
from portal.recognition.queries import count_open_reports
from portal.recognition.services import ThankYou, edit_thank_you, make_private, withdraw_thank_you
from tests.factories import UnitFactory, UserFactory
from tests.recognition.factories import WORDS, thank, value_ids

pytestmark = pytest.mark.usefixtures("app_ctx")

SECRET = "Words only the circle may read, about a hard shift."


def text(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def cast():
    area = UnitFactory(name="Patient experience")
    team = UnitFactory(name="South PALS", parent=area)
    manager = UserFactory(display_name="Manager")
    return {
        "area": area,
        "team": team,
        "author": UserFactory(),
        "recipient": UserFactory(unit=team, manager=manager, display_name="Rae Recipient"),
        "manager": manager,
        "teammate": UserFactory(unit=team),
        "hr": UserFactory(hr=True),
        "champion": UserFactory(champion=True, unit=area),
        "team_champion": UserFactory(champion=True, unit=team),
    }


# --- 1. hiding and moderating apply to public posts only ------------------------------------------------------

@pytest.mark.parametrize("visibility", [Visibility.TEAM, Visibility.PRIVATE])
def test_moderators_cannot_moderate_or_read_a_hidden_team_or_private_post(cast, visibility):
    post = thank(cast["author"], cast["recipient"], visibility=visibility, words=SECRET)
    for name in ("hr", "champion", "team_champion"):
        assert not policies.can_moderate(cast[name], post), name
    post.hidden_at = utcnow()  # hidden before this fix (or by any other route)
    db.session.flush()
    seen = {name for name, user in cast.items() if name not in ("area", "team") and policies.can_view(user, post)}
    assert seen == {"author"}


def test_a_hidden_public_post_is_still_seen_by_its_moderators(cast):
    post = thank(cast["author"], cast["recipient"])
    hide_post(post=post, actor=cast["champion"], reason="Names a patient")
    assert policies.can_view(cast["hr"], post) and policies.can_view(cast["champion"], post)
    assert policies.can_view(cast["author"], post)
    assert not policies.can_view(cast["recipient"], post) and not policies.can_view(cast["teammate"], post)


def test_hiding_a_private_post_is_refused_even_for_hr_who_can_read_it(cast, as_user):
    hr_manager = UserFactory(hr=True)
    recipient = UserFactory(manager=hr_manager)
    post = thank(cast["author"], recipient, visibility=Visibility.PRIVATE, words=SECRET)
    client = as_user(hr_manager)
    page = text(client.get(f"/thanks/{post.id}"))
    assert SECRET in page and "Hide this thank-you" not in page
    assert client.get(f"/thanks/{post.id}/hide").status_code == 404
    assert client.post(f"/thanks/{post.id}/hide", data={"reason": "Not allowed"}).status_code == 404
    with pytest.raises(InvalidTransition):
        hide_post(post=post, actor=hr_manager, reason="Not allowed")
    db.session.expire_all()
    assert db.session.get(Post, post.id).hidden_at is None


def test_a_champion_in_the_recipients_team_cannot_open_or_hide_a_team_thank_you(cast, as_user):
    post = thank(cast["author"], cast["recipient"], visibility=Visibility.TEAM, words=SECRET)
    client = as_user(cast["team_champion"])
    assert client.get(f"/thanks/{post.id}").status_code == 404
    assert client.post(f"/thanks/{post.id}/hide", data={"reason": "Nosy"}).status_code == 404
    db.session.expire_all()
    assert db.session.get(Post, post.id).hidden_at is None


# --- 2. the moderation queue only lists posts that are still public and live ------------------------------------

def _reported(cast, **kwargs) -> Post:
    post = thank(cast["author"], cast["recipient"], words=SECRET, **kwargs)
    report_item(post=post, reporter=UserFactory(), reason="Please look")
    return post


def _open(post) -> list[Report]:
    return list(db.session.scalars(select(Report).where(Report.post_id == post.id, Report.resolved_at.is_(None))))


@pytest.mark.parametrize("change", ["visibility", "withdrawn", "hidden"])
def test_the_queue_never_shows_a_post_that_stopped_being_public(cast, as_user, change):
    post = _reported(cast)
    assert SECRET in text(as_user(cast["hr"]).get("/thanks/reports"))
    # Changed outside the services (older rows, or any future path): the queue itself must filter.
    if change == "visibility":
        post.visibility = Visibility.PRIVATE
    elif change == "withdrawn":
        post.withdrawn_at = utcnow()
    else:
        post.hidden_at = utcnow()
    db.session.flush()
    assert _open(post)
    for moderator in (cast["hr"], cast["champion"]):
        assert SECRET not in text(as_user(moderator).get("/thanks/reports"))
        assert count_open_reports(moderator) == 0


def test_making_it_private_closes_its_open_reports(cast, as_user):
    post = _reported(cast)
    assert as_user(cast["recipient"]).post(f"/thanks/{post.id}/make-private").status_code == 303
    db.session.expire_all()
    report = db.session.scalars(select(Report).where(Report.post_id == post.id)).one()
    assert report.resolved_at is not None and report.outcome == "not_public"
    assert report.resolved_by_id == cast["recipient"].id


def test_withdrawing_closes_its_open_reports(cast):
    post = _reported(cast)
    withdraw_thank_you(post=post, actor=cast["author"])
    assert not _open(post)
    assert db.session.scalar(select(Report.outcome).where(Report.post_id == post.id)) == "withdrawn"


def _words(visibility: str) -> ThankYou:
    return ThankYou(what_they_did=WORDS, difference="", value_ids=value_ids("Listened"), visibility=visibility)


def test_editing_away_from_public_closes_its_open_reports_but_a_public_edit_does_not(cast):
    post = _reported(cast)
    edit_thank_you(post=post, actor=cast["author"], words=_words(Visibility.PUBLIC))
    assert len(_open(post)) == 1
    edit_thank_you(post=post, actor=cast["author"], words=_words(Visibility.TEAM))
    assert not _open(post)
    assert count_open_reports(cast["hr"]) == 0


# --- 3. team thank-yous: the private circle, plus members of a team thanked as a whole ------------------------

def test_sharing_a_recipients_unit_does_not_show_a_team_thank_you(cast, as_user):
    post = thank(cast["author"], cast["recipient"], visibility=Visibility.TEAM, words=SECRET)
    assert not policies.can_view(cast["teammate"], post)
    teammate = as_user(cast["teammate"])
    assert teammate.get(f"/thanks/{post.id}").status_code == 404
    assert SECRET not in text(teammate.get(f"/thanks/people/{cast['recipient'].id}"))
    for name in ("author", "recipient", "manager"):
        assert policies.can_view(cast[name], post), name


def test_a_thank_you_to_a_whole_team_is_seen_by_its_subtree_only(cast, as_user):
    sub_team = UnitFactory(name="South PALS nights", parent=cast["team"])
    night_worker = UserFactory(unit=sub_team)
    in_area_only = UserFactory(unit=cast["area"])
    post = thank(cast["author"], cast["recipient"], team=cast["team"], visibility=Visibility.TEAM, words=SECRET)
    assert policies.can_view(cast["teammate"], post) and policies.can_view(night_worker, post)
    assert not policies.can_view(in_area_only, post)
    # The recipient's recognition page agrees with the policy, for people other than them and their manager.
    assert SECRET in text(as_user(night_worker).get(f"/thanks/people/{cast['recipient'].id}"))
    assert SECRET not in text(as_user(in_area_only).get(f"/thanks/people/{cast['recipient'].id}"))


def test_a_co_recipients_line_manager_sees_it_on_the_other_recipients_page(cast, as_user):
    boss = UserFactory()
    co_recipient = UserFactory(manager=boss)
    thank(cast["author"], cast["recipient"], co_recipient, visibility=Visibility.PRIVATE, words=SECRET)
    assert SECRET in text(as_user(boss).get(f"/thanks/people/{cast['recipient'].id}"))
    assert SECRET in text(as_user(co_recipient).get(f"/thanks/people/{cast['recipient'].id}"))
    assert SECRET not in text(as_user(cast["teammate"]).get(f"/thanks/people/{cast['recipient'].id}"))


# --- 4. the author cannot undo a recipient's "Make it private" -------------------------------------------------

@pytest.mark.parametrize("visibility", [Visibility.PUBLIC, Visibility.TEAM])
def test_the_author_cannot_reopen_a_thank_you_a_recipient_made_private(cast, visibility):
    post = thank(cast["author"], cast["recipient"])
    make_private(post=post, actor=cast["recipient"])
    with pytest.raises(DomainError, match="made this private") as error:
        edit_thank_you(post=post, actor=cast["author"], words=_words(visibility))
    assert error.value.field == "visibility"
    db.session.expire_all()
    assert db.session.get(Post, post.id).visibility == Visibility.PRIVATE
    edit_thank_you(post=post, actor=cast["author"], words=_words(Visibility.PRIVATE))
    assert post.visibility == Visibility.PRIVATE and post.edited_at is not None


def test_the_edit_page_shows_the_refusal_next_to_the_field(cast, as_user):
    post = thank(cast["author"], cast["recipient"])
    make_private(post=post, actor=cast["recipient"])
    client = as_user(cast["author"])
    assert "stays private" in text(client.get(f"/thanks/{post.id}/edit"))
    response = client.post(f"/thanks/{post.id}/edit", data={
        "what_they_did": WORDS, "difference": "", "values": [str(value_ids("Listened")[0])],
        "visibility": "public", "learning": ""})
    page = text(response)
    assert response.status_code == 200 and "Error:" in page
    assert 'id="visibility-error"' in page and "Someone you thanked made this private" in page
    db.session.expire_all()
    assert db.session.get(Post, post.id).visibility == Visibility.PRIVATE
