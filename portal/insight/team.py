"""A line manager's view of their own team: the people who report to them, how recently each was thanked or
nominated, the team's thank-yous over time, and the nominations of their reports (for the awards page).

Line managers already see every thank-you addressed to their reports (private ones too), so the counts include
them. Peer support is never shown here: a team is too small for its figures to hide anyone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import joinedload

from portal.auth.models import User
from portal.awards.models import AwardScheme, Nomination
from portal.common.pagination import Page, keyset_page
from portal.extensions import db
from portal.insight.periods import Month, in_months, month_key
from portal.insight.queries import COUNTED_NOMINATION, LIVE_THANKS, recognised_person
from portal.recognition.models import Post, PostRecipient


def reports_of(manager: User):
    """The active people who report to ``manager`` (a subquery of ids; user_account.manager_id is indexed)."""
    return select(User.id).where(User.manager_id == manager.id, User.is_active_account.is_(True))


@dataclass(frozen=True)
class Member:
    person: User
    thanks: int  # thank-yous by name since the cut-off
    nominations: int  # nominations since the cut-off
    last_thanked: datetime | None  # ever

    @property
    def unrecognised(self) -> bool:
        return self.thanks == 0 and self.nominations == 0


def team(manager: User, *, since: datetime) -> list[Member]:
    """Each report, by name, with their recognition: three queries, however big the team."""
    people = list(db.session.scalars(
        select(User).where(User.id.in_(reports_of(manager))).order_by(User.display_name, User.id)))
    recent = case((Post.created_at >= since, 1), else_=0)
    thanks = {person_id: (n, last) for person_id, n, last in db.session.execute(
        select(PostRecipient.user_id, func.sum(recent), func.max(Post.created_at))
        .join(Post, Post.id == PostRecipient.post_id)
        .where(PostRecipient.user_id.in_(reports_of(manager)), LIVE_THANKS).group_by(PostRecipient.user_id))}
    nominations = dict(db.session.execute(
        select(Nomination.nominee_id, func.count())
        .where(Nomination.nominee_id.in_(reports_of(manager)), COUNTED_NOMINATION, Nomination.created_at >= since)
        .group_by(Nomination.nominee_id)).all())
    return [Member(person, int(thanks.get(person.id, (0, None))[0] or 0), nominations.get(person.id, 0),
                   thanks.get(person.id, (0, None))[1]) for person in people]


def count_unrecognised(manager: User, *, since: datetime) -> int:
    """How many reports were neither thanked by name nor nominated since ``since`` (one query: "Waiting for you")."""
    return db.session.scalar(select(func.count()).select_from(User).where(
        User.id.in_(reports_of(manager)), ~recognised_person(User.id, since))) or 0


def team_thanks_by_month(manager: User, months: list[Month]) -> dict[str, int]:
    month = month_key(Post.created_at, months)
    return dict(db.session.execute(
        select(month, func.count()).select_from(PostRecipient).join(Post, Post.id == PostRecipient.post_id)
        .where(PostRecipient.user_id.in_(reports_of(manager)), LIVE_THANKS, in_months(Post.created_at, months))
        .group_by(month)).all())


def team_nominations(manager: User, *, cursor: str | None, size: int = 20) -> Page[Nomination]:
    """Nominations of the people who report to ``manager``, newest first (the awards page's team view). Withdrawn
    ones are left out: the nominee was told, but the nominator took it back."""
    stmt = (select(Nomination).where(Nomination.nominee_id.in_(reports_of(manager)), COUNTED_NOMINATION)
            .options(joinedload(Nomination.nominee), joinedload(Nomination.category),
                     joinedload(Nomination.scheme).selectinload(AwardScheme.panel_rows)))
    return keyset_page(stmt, order=[(Nomination.created_at, True), (Nomination.id, True)], cursor=cursor,
                       size=size, session=db.session)
