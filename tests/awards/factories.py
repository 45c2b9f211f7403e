"""Award test data: schemes made directly, nominations made through the service (as the portal makes them)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from portal.awards.models import AwardCategory, AwardPanelMember, AwardScheme, Nomination
from portal.awards.services import NominationDetails, submit_nomination
from portal.extensions import db
from portal.notifications.models import Notification
from tests.factories import UserFactory

ANSWER = "She stayed on the line with a caller in crisis until the crisis team arrived, then checked on me."


def make_scheme(*, panel=(), blind=True, endorsement=False, consent=True, opens_on=None, closes_on=None,
                decision_due_on=None, categories=None, name="Patient Experience Awards") -> AwardScheme:
    today = date.today()
    scheme = AwardScheme(
        name=name, description="For people who make a difference to patients.",
        opens_on=opens_on or today - timedelta(days=10), closes_on=closes_on or today + timedelta(days=20),
        decision_due_on=decision_due_on or today + timedelta(days=40), needs_manager_endorsement=endorsement,
        is_blind_review=blind, needs_publicity_consent=consent,
        categories=[AwardCategory(name=n, criteria=c, position=i) for i, (n, c) in enumerate(
            categories or [("Compassion under pressure", "What did they do?\nWhat difference did it make?")])],
        panel_rows=[AwardPanelMember(user_id=p.id) for p in panel])
    db.session.add(scheme)
    db.session.flush()
    return scheme


def panel_member(**kwargs):
    return UserFactory(panel=True, **kwargs)


def nominate(scheme: AwardScheme, *, nominator=None, nominee=None, team=None, category=None,
             allow_duplicate=False) -> Nomination:
    category = category or scheme.categories[0]
    if nominee is None and team is None:
        nominee = UserFactory()
    return submit_nomination(
        scheme=scheme, nominator=nominator or UserFactory(), allow_duplicate=allow_duplicate,
        details=NominationDetails(category=category, nominee=nominee, team=team,
                                  answers=[ANSWER] * len(category.criteria_list)))


def notifications(user, kind=None) -> list[Notification]:
    """What ``user`` has been told, oldest first (only ``kind``, if given)."""
    stmt = select(Notification).where(Notification.recipient_id == user.id)
    if kind:
        stmt = stmt.where(Notification.kind == kind)
    return list(db.session.scalars(stmt.order_by(Notification.id)))
