"""The bridge to recognition: award winners on the wall, and nominations the panel turned into thank-yous.

This is the only module of the awards feature that calls recognition's services.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select

from portal.awards.models import Nomination
from portal.common.errors import DomainError
from portal.extensions import db
from portal.recognition.models import RecognitionValue, Visibility
from portal.recognition.services import TEXT_MAX, WHAT_MAX, ThankYou, post_award_announcement, send_thank_you


def post_winner_to_wall(nomination: Nomination) -> None:
    """A public "award" post naming the winner, the scheme and the category (not the nominator's words)."""
    winners = nomination.team if nomination.team is not None else [nomination.nominee]
    post_award_announcement(
        nominee_users_or_unit=winners, actor=nomination.decided_by,
        title=_("%(scheme)s: %(category)s", scheme=nomination.scheme.name, category=nomination.category.name),
        body=_("%(name)s won the “%(category)s” award in %(scheme)s. Congratulations.",
               name=nomination.nominee_name, category=nomination.category.name, scheme=nomination.scheme.name))


def _value_for(nomination: Nomination) -> RecognitionValue | None:
    """The value named like the category ("Compassion under pressure"), else the first value in use."""
    active = select(RecognitionValue).where(RecognitionValue.is_retired.is_(False))
    named = db.session.scalars(active.where(func.lower(RecognitionValue.name)
                                            == nomination.category.name.lower())).first()
    return named or db.session.scalars(active.order_by(RecognitionValue.id)).first()


def thank_from_nomination(nomination: Nomination) -> bool:
    """A private thank-you from the nominator, in their own words. False when recognition cannot take it (no
    values set up yet): the decision stands either way and the nominee has been told."""
    value = _value_for(nomination)
    if value is None:
        return False
    answers = [a.answer for a in nomination.answers]
    words = ThankYou(what_they_did=answers[0][:WHAT_MAX], difference="\n\n".join(answers[1:])[:TEXT_MAX],
                     value_ids=[value.id], visibility=Visibility.PRIVATE.value)
    try:
        send_thank_you(author=nomination.nominator, words=words, team=nomination.team,
                       user_ids=[nomination.nominee_id] if nomination.nominee_id else [])
    except DomainError:
        return False
    return True
