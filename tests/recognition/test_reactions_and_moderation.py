"""Appreciations, comments, reports and hiding (services, without HTTP)."""

import pytest
from sqlalchemy import select

from portal.common.audit import AuditEvent
from portal.common.errors import Conflict, DomainError, InvalidTransition
from portal.extensions import db
from portal.notifications.models import Notification
from portal.recognition.models import Appreciation, Post, Report
from portal.recognition.moderation import dismiss_report, hide_comment, hide_post, report_item
from portal.recognition.queries import count_open_reports
from portal.recognition.reactions import add_comment, set_appreciation
from portal.recognition.services import withdraw_thank_you
from tests.factories import UnitFactory, UserFactory
from tests.recognition.factories import thank

pytestmark = pytest.mark.usefixtures("app_ctx")


def test_appreciation_is_one_per_person_and_the_count_is_exact():
    author, colleague, a, b = UserFactory(), UserFactory(), UserFactory(), UserFactory()
    post = thank(author, colleague)
    assert set_appreciation(post=post, user=a, appreciated=True) == 1
    assert set_appreciation(post=post, user=a, appreciated=True) == 1  # a double click changes nothing
    assert set_appreciation(post=post, user=b, appreciated=True) == 2
    assert set_appreciation(post=post, user=a, appreciated=False) == 1
    assert set_appreciation(post=post, user=a, appreciated=False) == 1
    assert list(db.session.scalars(select(Appreciation.user_id).where(Appreciation.post_id == post.id))) == [b.id]
    with pytest.raises(InvalidTransition, match="your own"):
        set_appreciation(post=post, user=author, appreciated=True)


def test_a_withdrawn_post_cannot_be_appreciated_or_commented_on():
    author, colleague = UserFactory(), UserFactory()
    post = thank(author, colleague)
    withdraw_thank_you(post=post, actor=author)
    with pytest.raises(InvalidTransition):
        set_appreciation(post=post, user=colleague, appreciated=True)
    with pytest.raises(InvalidTransition):
        add_comment(post=post, author=colleague, body="Thanks")


def test_comments_are_short_and_tell_the_people_thanked():
    author, colleague, friend = UserFactory(), UserFactory(), UserFactory(display_name="Fay Friend")
    post = thank(author, colleague)
    with pytest.raises(DomainError) as error:
        add_comment(post=post, author=friend, body="x" * 501)
    assert error.value.field == "body"
    with pytest.raises(DomainError):
        add_comment(post=post, author=friend, body="   ")
    comment = add_comment(post=post, author=friend, body="  Seconded, she was brilliant.  ")
    assert comment.body == "Seconded, she was brilliant."
    subjects = list(db.session.scalars(select(Notification.subject).where(
        Notification.recipient_id == colleague.id, Notification.kind == "recognition.commented")))
    assert subjects == ["Fay Friend added their thanks"]


def test_report_then_a_champion_of_the_area_hides_it_and_the_author_is_told():
    area = UnitFactory(name="PALS")
    team = UnitFactory(name="North", parent=area)
    elsewhere = UnitFactory(name="Jobcentre")
    author, colleague, reporter = UserFactory(), UserFactory(unit=team), UserFactory()
    champion = UserFactory(champion=True, unit=area, display_name="Cam Champion")
    other_champion = UserFactory(champion=True, unit=elsewhere)
    post = thank(author, colleague)
    report_item(post=post, reporter=reporter, reason="Names a patient")
    with pytest.raises(Conflict):
        report_item(post=post, reporter=reporter, reason="again")
    assert count_open_reports(champion) == 1
    assert count_open_reports(other_champion) == 0
    assert count_open_reports(UserFactory(hr=True)) == 1
    assert count_open_reports(reporter) == 0
    with pytest.raises(InvalidTransition):
        hide_post(post=post, actor=other_champion, reason="No")
    with pytest.raises(DomainError):
        hide_post(post=post, actor=champion, reason=" ")
    hide_post(post=post, actor=champion, reason="It names a patient")
    db.session.expire_all()
    post = db.session.get(Post, post.id)
    assert post.hidden_at is not None and post.hidden_reason == "It names a patient"
    assert db.session.scalar(select(Report.outcome)) == "hidden"
    assert count_open_reports(champion) == 0
    assert db.session.scalar(select(Notification.kind).where(Notification.recipient_id == author.id)) == \
        "recognition.hidden"
    assert db.session.scalar(select(AuditEvent.details).where(AuditEvent.action == "recognition.post_hidden")) == \
        {"reason": "It names a patient"}
    with pytest.raises(InvalidTransition, match="already hidden by Cam Champion"):
        hide_post(post=post, actor=UserFactory(hr=True), reason="Also")


def test_only_public_posts_by_others_can_be_reported():
    author, colleague = UserFactory(), UserFactory()
    private = thank(author, colleague, visibility="private")
    with pytest.raises(InvalidTransition):
        report_item(post=private, reporter=colleague, reason="x")
    public = thank(author, colleague)
    with pytest.raises(InvalidTransition):
        report_item(post=public, reporter=author, reason="x")


def test_hiding_a_comment_and_dismissing_a_report():
    hr = UserFactory(hr=True)
    author, colleague, commenter, reporter = UserFactory(), UserFactory(), UserFactory(), UserFactory()
    post = thank(author, colleague)
    comment = add_comment(post=post, author=commenter, body="Rude words")
    report = report_item(post=post, comment=comment, reporter=reporter, reason="Rude")
    hide_comment(comment=comment, actor=hr, reason="Not kind")
    assert comment.hidden_at is not None
    db.session.refresh(report)
    assert report.outcome == "hidden"
    second = report_item(post=post, reporter=reporter, reason="Not sure about this")
    dismiss_report(report=second, actor=hr)
    assert second.outcome == "kept" and post.hidden_at is None
    with pytest.raises(InvalidTransition):
        dismiss_report(report=second, actor=hr)


def test_only_moderators_of_the_area_hide_comments_or_close_reports_and_reasons_are_short():
    area, elsewhere = UnitFactory(name="PALS"), UnitFactory(name="Jobcentre")
    post = thank(UserFactory(), UserFactory(unit=area))
    comment = add_comment(post=post, author=UserFactory(), body="Rude words")
    report = report_item(post=post, comment=comment, reporter=UserFactory(), reason="Rude")
    outsider = UserFactory(champion=True, unit=elsewhere)
    with pytest.raises(InvalidTransition):
        hide_comment(comment=comment, actor=outsider, reason="No")
    with pytest.raises(InvalidTransition):
        dismiss_report(report=report, actor=outsider)
    with pytest.raises(DomainError, match="1000 characters or fewer") as error:
        hide_comment(comment=comment, actor=UserFactory(champion=True, unit=area), reason="x" * 1001)
    assert error.value.field == "reason" and comment.hidden_at is None and report.resolved_at is None
