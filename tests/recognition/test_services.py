"""Recognition services: values, thank-yous, the edit window, withdrawal, award announcements."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.common.audit import AuditEvent
from portal.common.errors import Conflict, DomainError, InvalidTransition
from portal.db import utcnow
from portal.extensions import db
from portal.notifications.models import Notification
from portal.recognition.models import Post, PostKind, RecognitionValue, Visibility
from portal.recognition.services import (
    ThankYou,
    add_value,
    delete_value,
    edit_thank_you,
    make_private,
    post_award_announcement,
    rename_value,
    send_thank_you,
    set_value_retired,
    withdraw_thank_you,
)
from tests.factories import UnitFactory, UserFactory
from tests.recognition.factories import WORDS, thank, value_ids

pytestmark = pytest.mark.usefixtures("app_ctx")

SEEDED = ["Listened", "Understood", "Easy to reach", "Respectful", "Not passed around", "Kept informed", "Timely",
          "Compassion under pressure"]


def notified(user) -> list[str]:
    return list(db.session.scalars(select(Notification.kind).where(Notification.recipient_id == user.id)))


def test_the_migration_seeds_the_values_customers_care_about():
    names = set(db.session.scalars(select(RecognitionValue.name)))
    assert set(SEEDED) <= names


def test_hr_adds_renames_and_retires_values():
    hr = UserFactory(hr=True)
    value = add_value(name="  Warm   handover ", actor=hr)
    assert value.name == "Warm handover"
    with pytest.raises(Conflict):
        add_value(name="warm handover", actor=hr)
    rename_value(value=value, name="Warm handovers", actor=hr)
    set_value_retired(value=value, retired=True, actor=hr)
    assert value.is_retired and value.retired_at is not None
    actions = set(db.session.scalars(select(AuditEvent.action).where(AuditEvent.target_id == str(value.id),
                                                                      AuditEvent.target_type == "recognition_value")))
    assert {"recognition.value_added", "recognition.value_renamed", "recognition.value_retired"} <= actions


def test_a_value_in_use_is_never_deleted_but_an_unused_one_can_be():
    hr, author, colleague = UserFactory(hr=True), UserFactory(), UserFactory()
    used = add_value(name="Brave", actor=hr)
    unused = add_value(name="Typo valeu", actor=hr)
    thank(author, colleague, values=("Brave",))
    with pytest.raises(Conflict, match="Retire it instead"):
        delete_value(value=used, actor=hr)
    delete_value(value=unused, actor=hr)
    assert db.session.get(RecognitionValue, unused.id) is None
    assert db.session.get(RecognitionValue, used.id) is not None


def test_a_retired_value_cannot_be_chosen():
    hr, author, colleague = UserFactory(hr=True), UserFactory(), UserFactory()
    value = add_value(name="Old value", actor=hr)
    set_value_retired(value=value, retired=True, actor=hr)
    with pytest.raises(DomainError) as error:
        thank(author, colleague, values=("Old value",))
    assert error.value.field == "values"


def test_thanking_stores_units_at_the_time_and_tells_people_and_their_managers():
    manager = UserFactory(display_name="Mo Manager")
    author = UserFactory(display_name="Ada Author")
    colleague = UserFactory(manager=manager)
    other = UserFactory()
    post = thank(author, colleague, other, values=("Listened", "Timely"))
    assert post.author_unit_id == author.unit_id
    assert {(r.user_id, r.unit_id) for r in post.recipients} == {(colleague.id, colleague.unit_id),
                                                                  (other.id, other.unit_id)}
    assert [v.name for v in post.values] == ["Listened", "Timely"]
    assert post.created_at is not None
    assert notified(colleague) == ["recognition.thanked"]
    assert notified(other) == ["recognition.thanked"]
    assert notified(manager) == ["recognition.report_thanked"]
    assert notified(author) == []
    subject = db.session.scalar(select(Notification.subject).where(Notification.recipient_id == colleague.id))
    assert subject == "Ada Author said thank you"
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "recognition.thanked",
                                                      AuditEvent.target_id == str(post.id))) is not None


def test_thanking_a_whole_team_tells_everyone_in_it():
    team = UnitFactory(name="North PALS")
    members = [UserFactory(unit=team) for _ in range(3)]
    author = UserFactory()
    post = thank(author, team=team)
    assert post.team_unit_ids == {team.id}
    assert all(notified(m) == ["recognition.thanked"] for m in members)


def test_no_self_thanks_and_at_least_one_recipient():
    author = UserFactory()
    with pytest.raises(DomainError, match="cannot thank yourself") as error:
        thank(author, author)
    assert error.value.field == "to"
    with pytest.raises(DomainError, match="at least one colleague"):
        thank(author)


@pytest.mark.parametrize(("words", "field"), [("Too short", "what_they_did"), ("x" * 2001, "what_they_did")])
def test_what_they_did_must_be_specific_but_not_endless(words, field):
    with pytest.raises(DomainError) as error:
        thank(UserFactory(), UserFactory(), words=words)
    assert error.value.field == field


def test_at_least_one_value():
    author, colleague = UserFactory(), UserFactory()
    with pytest.raises(DomainError) as error:
        send_thank_you(author=author, user_ids=[colleague.id], team=None,
                       words=ThankYou(what_they_did=WORDS, difference="", value_ids=[], visibility="public"))
    assert error.value.field == "values"


def test_the_author_can_change_the_words_within_the_window_only():
    author, colleague = UserFactory(), UserFactory()
    sent = utcnow()
    post = thank(author, colleague, created_at=sent)
    edit_thank_you(post=post, actor=author, now=sent + timedelta(minutes=4),
                   words=ThankYou(what_they_did=WORDS + " Thank you.", difference="", value_ids=value_ids("Timely"),
                                  visibility=Visibility.TEAM))
    assert post.what_they_did.endswith("Thank you.") and post.visibility == "team" and post.edited_at
    assert [v.name for v in post.values] == ["Timely"]
    with pytest.raises(InvalidTransition, match="withdraw"):
        edit_thank_you(post=post, actor=author, now=sent + timedelta(minutes=6),
                       words=ThankYou(what_they_did=WORDS, difference="", value_ids=value_ids("Timely"),
                                      visibility="public"))
    with pytest.raises(InvalidTransition):  # nobody else, ever
        edit_thank_you(post=post, actor=colleague, now=sent,
                       words=ThankYou(what_they_did=WORDS, difference="", value_ids=value_ids(), visibility="public"))


def test_withdrawing_keeps_the_row_for_audit():
    author, colleague = UserFactory(), UserFactory()
    post = thank(author, colleague, created_at=utcnow() - timedelta(days=2))
    withdraw_thank_you(post=post, actor=author)
    db.session.expire_all()
    kept = db.session.get(Post, post.id)
    assert kept.withdrawn_at is not None and kept.what_they_did == WORDS
    with pytest.raises(InvalidTransition):
        withdraw_thank_you(post=kept, actor=author)
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "recognition.withdrawn")) is not None


def test_a_recipient_can_make_a_public_thank_you_private_but_others_cannot():
    author, colleague, stranger = UserFactory(), UserFactory(), UserFactory()
    post = thank(author, colleague)
    with pytest.raises(InvalidTransition):
        make_private(post=post, actor=stranger)
    make_private(post=post, actor=colleague)
    assert post.visibility == Visibility.PRIVATE and post.made_private_by_id == colleague.id
    with pytest.raises(InvalidTransition):
        make_private(post=post, actor=colleague)


def test_award_announcement_for_people_or_a_team():
    hr = UserFactory(hr=True)
    winner = UserFactory()
    team = UnitFactory(name="Bereavement office")
    post = post_award_announcement(nominee_users_or_unit=[winner], title="Compassion award",
                                   body="For the way she supports families.", actor=hr)
    assert (post.kind, post.visibility, post.title) == (PostKind.AWARD, "public", "Compassion award")
    assert post.recipient_user_ids == {winner.id}
    team_post = post_award_announcement(nominee_users_or_unit=team, title="Team of the year", body="For all of it.",
                                        actor=hr)
    assert team_post.team_unit_ids == {team.id}
    with pytest.raises(DomainError):
        post_award_announcement(nominee_users_or_unit=[], title="x", body="y", actor=hr)


@pytest.mark.parametrize(("name", "message"), [("   ", "Enter the value's name"), ("x" * 81, "80 characters or fewer")])
def test_a_value_needs_a_short_name(name, message):
    with pytest.raises(DomainError, match=message) as error:
        add_value(name=name, actor=UserFactory(hr=True))
    assert error.value.field == "name"


@pytest.mark.parametrize(("change", "field"), [
    ({"difference": "x" * 2001}, "difference"),
    ({"learning": "x" * 2001}, "learning"),
    ({"visibility": "everyone"}, "visibility"),
])
def test_the_other_words_are_checked_too(change, field):
    words = ThankYou(**{"what_they_did": WORDS, "difference": "", "value_ids": value_ids("Listened"),
                        "visibility": "public", **change})
    with pytest.raises(DomainError) as error:
        send_thank_you(author=UserFactory(), user_ids=[UserFactory().id], team=None, words=words)
    assert error.value.field == field


def test_someone_who_has_left_cannot_be_thanked():
    with pytest.raises(DomainError, match="no longer has an account") as error:
        thank(UserFactory(), UserFactory(is_active_account=False))
    assert error.value.field == "to"


def test_only_the_author_withdraws():
    author, colleague = UserFactory(), UserFactory()
    post = thank(author, colleague)
    with pytest.raises(InvalidTransition, match="Only the author"):
        withdraw_thank_you(post=post, actor=colleague)
    assert post.withdrawn_at is None
