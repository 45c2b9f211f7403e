"""After the panel awards: the winner's consent, the one announcement on the awards page and the wall, and
nominations the panel turned into a thank-you from the nominator."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal.awards.models import NominationState
from portal.awards.services import announce_award, decide_nomination, record_publicity_consent
from portal.common.errors import DomainError, InvalidTransition
from portal.extensions import db
from portal.recognition.models import Post, PostKind, PostValue, RecognitionValue
from tests.awards.factories import ANSWER, make_scheme, nominate, notifications, panel_member
from tests.factories import UserFactory

pytestmark = pytest.mark.usefixtures("app_ctx")


def test_award_without_consent_needed_is_announced_at_once():
    member = panel_member()
    nomination = nominate(make_scheme(panel=[member], consent=False))
    decide_nomination(nomination=nomination, panel_member=member, outcome=NominationState.AWARDED, reason="Yes.")
    assert nomination.announced_at is not None
    assert any("announced" in n.subject for n in notifications(nomination.nominee))


def test_award_with_consent_waits_for_the_nominee():
    member = panel_member()
    nomination = nominate(make_scheme(panel=[member], consent=True))
    decide_nomination(nomination=nomination, panel_member=member, outcome=NominationState.AWARDED, reason="Yes.")
    assert nomination.announced_at is None
    assert any("May we announce" in n.subject for n in notifications(nomination.nominee))
    with pytest.raises(DomainError, match="Only the person"):
        record_publicity_consent(nomination=nomination, actor=nomination.nominator, consent=True)
    record_publicity_consent(nomination=nomination, actor=nomination.nominee, consent=True)
    assert nomination.publicity_consent is True and nomination.announced_at is not None
    with pytest.raises(InvalidTransition, match="already answered"):
        record_publicity_consent(nomination=nomination, actor=nomination.nominee, consent=False)


def test_consent_is_not_asked_when_the_scheme_does_not_ask_it():
    member = panel_member()
    nomination = nominate(make_scheme(panel=[member], consent=False))
    decide_nomination(nomination=nomination, panel_member=member, outcome=NominationState.AWARDED, reason="Yes.")
    with pytest.raises(InvalidTransition, match="no award to announce"):
        record_publicity_consent(nomination=nomination, actor=nomination.nominee, consent=False)
    assert nomination.publicity_consent is None and nomination.announced_at is not None


def test_an_award_is_announced_once():
    member = panel_member()
    nomination = nominate(make_scheme(panel=[member], consent=False))
    decide_nomination(nomination=nomination, panel_member=member, outcome=NominationState.AWARDED, reason="Yes.")
    assert announce_award(nomination=nomination) is False
    assert db.session.scalar(select(func.count()).select_from(Post).where(Post.kind == PostKind.AWARD)) == 1


def test_refused_consent_keeps_the_award_private():
    member = panel_member()
    nomination = nominate(make_scheme(panel=[member], consent=True))
    decide_nomination(nomination=nomination, panel_member=member, outcome=NominationState.AWARDED, reason="Yes.")
    record_publicity_consent(nomination=nomination, actor=nomination.nominee, consent=False)
    assert nomination.publicity_consent is False and nomination.announced_at is None


def test_an_announced_award_is_a_public_post_on_the_wall():
    member = panel_member()
    nomination = nominate(make_scheme(panel=[member], consent=False), nominee=UserFactory(display_name="Ali Khan"))
    decide_nomination(nomination=nomination, panel_member=member, outcome=NominationState.AWARDED, reason="Yes.")
    post = db.session.scalars(select(Post).where(Post.kind == PostKind.AWARD)).one()
    assert post.visibility == "public" and post.recipient_user_ids == {nomination.nominee_id}
    assert "Ali Khan won the “Compassion under pressure” award" in post.what_they_did


def test_converting_makes_a_private_thank_you_from_the_nominator_in_their_words():
    member = panel_member()
    nomination = nominate(make_scheme(panel=[member]))
    decide_nomination(nomination=nomination, panel_member=member, outcome=NominationState.CONVERTED,
                      reason="Better as a heartfelt thank-you.")
    post = db.session.scalars(select(Post).where(Post.kind == PostKind.THANK_YOU)).one()
    assert post.author_id == nomination.nominator_id and post.visibility == "private"
    assert post.what_they_did == ANSWER and post.recipient_user_ids == {nomination.nominee_id}
    value = db.session.scalars(select(RecognitionValue).join(PostValue).where(PostValue.post_id == post.id)).one()
    assert value.name.lower() == "compassion under pressure"  # the value seeded by recognition, matched by name
