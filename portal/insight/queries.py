"""Recognition for HR and line managers: thank-yous and nominations over time, by value and by unit; who has not
been recognised lately; and the signals worth a second look (people who mostly thank each other, the same
nomination made twice).

Every figure is one grouped COUNT in the database (nothing is loaded to be counted), filtered on indexed columns
(models.py lists the indexes). Recognition is not peer support: its counts are shown as they are. The words of a
thank-you never appear here; the signals, which name people, use public thank-yous only, since HR cannot read team
or private ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import aliased

from portal.auth.models import User
from portal.awards.models import AwardScheme, Nomination, NominationState
from portal.common.pagination import Page, keyset_page
from portal.extensions import db
from portal.insight.filters import Bucket, InsightFilter, bucket_key, in_unit, unit_buckets
from portal.insight.periods import in_months, month_key
from portal.org.models import Unit
from portal.recognition.models import Post, PostKind, PostRecipient, PostValue, RecognitionValue, Visibility

LIVE_THANKS = and_(Post.kind == PostKind.THANK_YOU, Post.withdrawn_at.is_(None), Post.hidden_at.is_(None))
COUNTED_NOMINATION = Nomination.state != NominationState.WITHDRAWN


def _received(f: InsightFilter, *columns):
    """Thank-yous received (one per person or team thanked) in the filter's months and unit."""
    return (select(*columns).select_from(PostRecipient).join(Post, Post.id == PostRecipient.post_id)
            .where(LIVE_THANKS, in_months(Post.created_at, f.months), in_unit(PostRecipient.unit_id, f.unit)))


def thanks_by_month(f: InsightFilter) -> dict[str, int]:
    month = month_key(Post.created_at, f.months)
    return dict(db.session.execute(_received(f, month, func.count()).group_by(month)).all())


def nominations_by_month(f: InsightFilter) -> dict[str, int]:
    month = month_key(Nomination.created_at, f.months)
    return dict(db.session.execute(
        select(month, func.count()).where(COUNTED_NOMINATION, in_months(Nomination.created_at, f.months),
                                          in_unit(Nomination.nominee_unit_id, f.unit)).group_by(month)).all())


def thanks_by_value(f: InsightFilter) -> list[tuple[str, int]]:
    """Every value in use (retired ones only if they were given), with how many thank-yous received named it."""
    counts = (_received(f, PostValue.value_id, func.count().label("n")).join(PostValue, PostValue.post_id == Post.id)
              .group_by(PostValue.value_id).subquery())
    rows = db.session.execute(
        select(RecognitionValue.name, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.value_id == RecognitionValue.id)
        .where(or_(RecognitionValue.is_retired.is_(False), counts.c.n.is_not(None)))
        .order_by(RecognitionValue.name))
    return [(name, count) for name, count in rows]


def thanks_by_unit(f: InsightFilter) -> list[tuple[Bucket, int]]:
    """Thank-yous received in each unit beneath the chosen one (each with everything beneath it)."""
    buckets = unit_buckets(f.unit)
    key = bucket_key(Unit.path, buckets)
    if key is None:
        return []
    counts = dict(db.session.execute(
        _received(f, key, func.count()).join(Unit, Unit.id == PostRecipient.unit_id).group_by(key)).all())
    return [(bucket, counts.get(bucket.unit_id, 0)) for bucket in buckets]


# --- recognition gaps -----------------------------------------------------------------------------------------

def recognised_person(person_id, since: datetime):
    """A live thank-you to the person by name, or a nomination of them, since ``since``."""
    thanked = (exists().where(PostRecipient.user_id == person_id).where(
        Post.id == PostRecipient.post_id, LIVE_THANKS, Post.created_at >= since))
    nominated = exists().where(Nomination.nominee_id == person_id, COUNTED_NOMINATION,
                               Nomination.created_at >= since)
    return or_(thanked, nominated)


def _people_without_recognition(unit: Unit | None, since: datetime):
    return select(User).where(User.is_active_account.is_(True), in_unit(User.unit_id, unit),
                              ~recognised_person(User.id, since))


def people_without_recognition(unit: Unit | None, *, since: datetime, cursor: str | None,
                               size: int) -> Page[User]:
    """Active people in the unit not thanked by name nor nominated since ``since``, by name (one query a page)."""
    return keyset_page(_people_without_recognition(unit, since), order=[(User.display_name, False), (User.id, False)],
                       cursor=cursor, size=size, session=db.session)


def count_people_without_recognition(unit: Unit | None, *, since: datetime) -> int:
    stmt = _people_without_recognition(unit, since).with_only_columns(func.count()).order_by(None)
    return db.session.scalar(stmt) or 0


def last_recognised(person_ids: list[int]) -> dict[int, datetime]:
    """When each person was last thanked by name (ever), for the people on one page: one grouped query."""
    if not person_ids:
        return {}
    return dict(db.session.execute(
        select(PostRecipient.user_id, func.max(Post.created_at)).join(Post, Post.id == PostRecipient.post_id)
        .where(PostRecipient.user_id.in_(person_ids), LIVE_THANKS).group_by(PostRecipient.user_id)).all())


def _teams_without_recognition(unit: Unit | None, since: datetime):
    has_people = exists().where(User.unit_id == Unit.id, User.is_active_account.is_(True))
    thanked = exists().where(PostRecipient.unit_id == Unit.id, Post.id == PostRecipient.post_id, LIVE_THANKS,
                             Post.created_at >= since)
    nominated = exists().where(Nomination.nominee_unit_id == Unit.id, COUNTED_NOMINATION,
                               Nomination.created_at >= since)
    scope = Unit.path.startswith(unit.path, autoescape=True) if unit is not None else Unit.id.is_not(None)
    return select(Unit).where(scope, has_people, ~thanked, ~nominated)


def teams_without_recognition(unit: Unit | None, *, since: datetime, cursor: str | None, size: int) -> Page[Unit]:
    """Units with active people where nobody (by name or as a team) was thanked or nominated since ``since``."""
    return keyset_page(_teams_without_recognition(unit, since), order=[(Unit.name, False), (Unit.id, False)],
                       cursor=cursor, size=size, session=db.session)


def count_teams_without_recognition(unit: Unit | None, *, since: datetime) -> int:
    stmt = _teams_without_recognition(unit, since).with_only_columns(func.count()).order_by(None)
    return db.session.scalar(stmt) or 0


def people_in_units(unit_ids: list[int]) -> dict[int, int]:
    """Active people directly in each unit, for the units on one page."""
    if not unit_ids:
        return {}
    return dict(db.session.execute(
        select(User.unit_id, func.count()).where(User.unit_id.in_(unit_ids), User.is_active_account.is_(True))
        .group_by(User.unit_id)).all())


# --- signals --------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Pair:
    first: User
    second: User
    first_to_second: int
    second_to_first: int


def reciprocal_pairs(f: InsightFilter, *, minimum: int = 2, limit: int = 50) -> list[Pair]:
    """Two people who each thanked the other at least ``minimum`` times in public in the period: worth a look
    (sincere thanks go both ways too, so it is a signal, not a finding). Three queries, however many pairs."""
    given = (select(Post.author_id.label("giver"), PostRecipient.user_id.label("receiver"), func.count().label("n"))
             .select_from(PostRecipient).join(Post, Post.id == PostRecipient.post_id)
             .where(LIVE_THANKS, Post.visibility == Visibility.PUBLIC, in_months(Post.created_at, f.months),
                    in_unit(PostRecipient.unit_id, f.unit), PostRecipient.user_id.is_not(None),
                    PostRecipient.user_id != Post.author_id)
             .group_by(Post.author_id, PostRecipient.user_id).subquery())
    back = aliased(given)
    rows = db.session.execute(
        select(given.c.giver, given.c.receiver, given.c.n, back.c.n)
        .join(back, and_(back.c.giver == given.c.receiver, back.c.receiver == given.c.giver))
        .where(given.c.giver < given.c.receiver, given.c.n >= minimum, back.c.n >= minimum)
        .order_by((given.c.n + back.c.n).desc(), given.c.giver, given.c.receiver).limit(limit)).all()
    people = _people({person_id for row in rows for person_id in row[:2]})
    return [Pair(people[a], people[b], ab, ba) for a, b, ab, ba in rows]


@dataclass(frozen=True)
class Duplicate:
    scheme: AwardScheme
    nominator: User
    nominee: User | None
    team: Unit | None
    count: int

    @property
    def nominee_name(self) -> str:
        return self.nominee.display_name if self.nominee is not None else self.team.name


def duplicate_nominations(f: InsightFilter, *, limit: int = 50) -> list[Duplicate]:
    """The same person nominating the same nominee more than once in one scheme (ix_nomination_duplicate)."""
    rows = db.session.execute(
        select(Nomination.scheme_id, Nomination.nominator_id, Nomination.nominee_id, Nomination.team_id,
               func.count())
        .where(COUNTED_NOMINATION, in_months(Nomination.created_at, f.months),
               in_unit(Nomination.nominee_unit_id, f.unit))
        .group_by(Nomination.scheme_id, Nomination.nominator_id, Nomination.nominee_id, Nomination.team_id)
        .having(func.count() > 1)
        .order_by(func.count().desc(), Nomination.scheme_id, Nomination.nominator_id).limit(limit)).all()
    schemes = {s.id: s for s in db.session.scalars(select(AwardScheme).where(
        AwardScheme.id.in_({row[0] for row in rows})))} if rows else {}
    people = _people({person_id for row in rows for person_id in row[1:3] if person_id is not None})
    team_ids = {row[3] for row in rows if row[3] is not None}
    teams = {u.id: u for u in db.session.scalars(select(Unit).where(Unit.id.in_(team_ids)))} if team_ids else {}
    return [Duplicate(schemes[s], people[by], people.get(nominee), teams.get(team), n)
            for s, by, nominee, team, n in rows]


def _people(ids: set[int]) -> dict[int, User]:
    if not ids:
        return {}
    return {person.id: person for person in db.session.scalars(select(User).where(User.id.in_(ids)))}
