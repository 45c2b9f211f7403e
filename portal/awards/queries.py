"""Reading schemes and nominations for pages, in a fixed number of queries each."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Select, and_, exists, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from portal.auth.models import User
from portal.awards.models import AwardPanelMember, AwardScheme, Nomination, NominationScore, NominationState
from portal.common.pagination import Page, keyset_page
from portal.extensions import db

LIST_SIZE = 20


def _with_people(stmt: Select) -> Select:
    """What a list row shows. People are shown by name, so their roles are not loaded with them."""
    return stmt.options(joinedload(Nomination.nominee).lazyload(User.role_rows), joinedload(Nomination.team),
                        joinedload(Nomination.scheme).selectinload(AwardScheme.panel_rows),
                        joinedload(Nomination.category))


def open_schemes(today: date) -> list[AwardScheme]:
    return list(db.session.scalars(
        select(AwardScheme).where(AwardScheme.opens_on <= today, AwardScheme.closes_on >= today)
        .options(selectinload(AwardScheme.categories)).order_by(AwardScheme.closes_on, AwardScheme.id)))


def schemes_with_counts() -> list[tuple[AwardScheme, int]]:
    """Every scheme, newest closing date first, with how many nominations it has (one query)."""
    counts = (select(Nomination.scheme_id, func.count().label("n")).group_by(Nomination.scheme_id)
              .subquery())
    rows = db.session.execute(
        select(AwardScheme, func.coalesce(counts.c.n, 0)).outerjoin(counts, counts.c.scheme_id == AwardScheme.id)
        .order_by(AwardScheme.closes_on.desc(), AwardScheme.id.desc()))
    return [(scheme, count) for scheme, count in rows]


def nominations_made_by(user: User, *, cursor: str | None = None) -> Page[Nomination]:
    stmt = _with_people(select(Nomination).where(Nomination.nominator_id == user.id))
    return keyset_page(stmt, order=[(Nomination.created_at, True), (Nomination.id, True)], cursor=cursor,
                       size=LIST_SIZE, session=db.session)


def _for_user(user: User):
    """Nominations of this person or their team, except those withdrawn (the nominee is told, and cannot open them)."""
    return and_(or_(Nomination.nominee_id == user.id, Nomination.team_id == user.unit_id),
                Nomination.state != NominationState.WITHDRAWN)


def nominations_for(user: User, *, cursor: str | None = None) -> Page[Nomination]:
    stmt = _with_people(select(Nomination).where(_for_user(user)))
    return keyset_page(stmt, order=[(Nomination.created_at, True), (Nomination.id, True)], cursor=cursor,
                       size=LIST_SIZE, session=db.session)


def _to_endorse(user: User):
    return and_(Nomination.endorser_id == user.id, Nomination.state == NominationState.SUBMITTED)


def nominations_to_endorse(user: User) -> list[Nomination]:
    return list(db.session.scalars(_with_people(select(Nomination).where(_to_endorse(user)))
                                   .order_by(Nomination.created_at, Nomination.id).limit(100)))


def count_to_endorse(user: User) -> int:
    return db.session.scalar(select(func.count()).select_from(Nomination).where(_to_endorse(user)))


def _panel_scheme_ids(user: User):
    return select(AwardPanelMember.scheme_id).where(AwardPanelMember.user_id == user.id)


def _reviewable_by(user: User):
    """Nominations on this person's panels that are not about them, not made by them, and not about someone they
    line-manage or endorsed (they would know the nominator: see ``policies.can_review``)."""
    their_reports = select(User.id).where(User.manager_id == user.id)
    return and_(Nomination.scheme_id.in_(_panel_scheme_ids(user)), Nomination.nominator_id != user.id,
                or_(Nomination.nominee_id.is_(None),
                    and_(Nomination.nominee_id != user.id, Nomination.nominee_id.not_in(their_reports))),
                or_(Nomination.team_id.is_(None), Nomination.team_id != user.unit_id),
                or_(Nomination.endorser_id.is_(None), Nomination.endorser_id != user.id))


def count_to_review(user: User) -> int:
    return db.session.scalar(select(func.count()).select_from(Nomination).where(
        _reviewable_by(user), Nomination.state == NominationState.IN_REVIEW))


def panel_schemes(user: User) -> list[tuple[AwardScheme, int]]:
    """The schemes ``user`` sits on, with how many of their nominations wait for a decision (one query)."""
    waiting = (select(Nomination.scheme_id, func.count().label("n"))
               .where(_reviewable_by(user), Nomination.state == NominationState.IN_REVIEW)
               .group_by(Nomination.scheme_id).subquery())
    rows = db.session.execute(
        select(AwardScheme, func.coalesce(waiting.c.n, 0))
        .where(AwardScheme.id.in_(_panel_scheme_ids(user)))
        .outerjoin(waiting, waiting.c.scheme_id == AwardScheme.id)
        .order_by(AwardScheme.decision_due_on, AwardScheme.id))
    return [(scheme, count) for scheme, count in rows]


PANEL_STATES = (NominationState.IN_REVIEW, NominationState.AWARDED, NominationState.NOT_AWARDED,
                NominationState.CONVERTED)


def panel_nominations(scheme: AwardScheme, user: User) -> list[tuple[Nomination, bool]]:
    """The nominations in ``scheme`` for ``user``'s review, waiting ones first, with whether they have scored it."""
    scored = exists().where(NominationScore.nomination_id == Nomination.id,
                            NominationScore.panel_member_id == user.id)
    rows = db.session.execute(
        select(Nomination, scored).where(Nomination.scheme_id == scheme.id, _reviewable_by(user),
                                         Nomination.state.in_(PANEL_STATES))
        .options(joinedload(Nomination.nominee).lazyload(User.role_rows), joinedload(Nomination.team),
                 joinedload(Nomination.category))
        .order_by((Nomination.state != NominationState.IN_REVIEW), Nomination.created_at, Nomination.id)
        .limit(500))
    return [(nomination, bool(has_scored)) for nomination, has_scored in rows]


def scores_by(nomination: Nomination, user: User) -> dict[int, int]:
    return {row.position: row.score for row in db.session.scalars(
        select(NominationScore).where(NominationScore.nomination_id == nomination.id,
                                      NominationScore.panel_member_id == user.id))}


def panel_score_summary(nomination: Nomination) -> dict[int, tuple[float, int]]:
    """Average score and number of panel members who scored, per criterion (no names: blind-safe)."""
    rows = db.session.execute(
        select(NominationScore.position, func.avg(NominationScore.score), func.count())
        .where(NominationScore.nomination_id == nomination.id).group_by(NominationScore.position))
    return {position: (round(float(avg), 1), count) for position, avg, count in rows}


def announced_winners(*, limit: int = 20) -> list[Nomination]:
    return list(db.session.scalars(
        _with_people(select(Nomination).where(Nomination.state == NominationState.AWARDED,
                                              Nomination.announced_at.is_not(None)))
        .order_by(Nomination.announced_at.desc(), Nomination.id.desc()).limit(limit)).unique())


def panel_people() -> list[User]:
    """Active people holding the award panel role, by name (for choosing a scheme's panel)."""
    from portal.auth.models import UserRole
    from portal.common.roles import Role

    return list(db.session.scalars(
        select(User).join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == Role.PANEL.value, User.is_active_account.is_(True))
        .order_by(User.display_name, User.id)))


def scheme_nominations(scheme: AwardScheme, *, cursor: str | None = None, size: int = 50) -> Page[Nomination]:
    """Every nomination in a scheme, newest first, for HR (who may see nominators' names)."""
    stmt = _with_people(select(Nomination).where(Nomination.scheme_id == scheme.id)).options(
        joinedload(Nomination.nominator).lazyload(User.role_rows))
    return keyset_page(stmt, order=[(Nomination.created_at, True), (Nomination.id, True)], cursor=cursor,
                       size=size, session=db.session)
