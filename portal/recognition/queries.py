"""Reading recognition: the wall, a person's received thanks, the people picker and the moderation queue.

List pages load a fixed number of queries whatever the data size: one keyset query for the posts, then one
``selectin`` query each for recipients, values and comments, and one for the viewer's own appreciations.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import Select, exists, false, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from portal.auth.models import User
from portal.common.pagination import Page, keyset_page
from portal.common.roles import Role
from portal.extensions import db
from portal.org.models import Unit
from portal.org.queries import subtree_unit_ids
from portal.recognition.models import (
    Appreciation,
    Comment,
    Post,
    PostKind,
    PostRecipient,
    PostValue,
    RecognitionValue,
    Report,
    Visibility,
)

POST_ORDER = [(Post.created_at, True), (Post.id, True)]


def post_options():
    """What a card shows. The people on it are shown by name only, so their roles are not loaded with them."""
    return (
        joinedload(Post.author).lazyload(User.role_rows),
        selectinload(Post.recipients).joinedload(PostRecipient.user).lazyload(User.role_rows),
        selectinload(Post.recipients).joinedload(PostRecipient.unit),
        selectinload(Post.values),
        selectinload(Post.comments).joinedload(Comment.author).lazyload(User.role_rows),
    )


def active_values() -> list[RecognitionValue]:
    return list(db.session.scalars(select(RecognitionValue).where(RecognitionValue.is_retired.is_(False))
                                   .order_by(RecognitionValue.name)))


def all_values() -> list[RecognitionValue]:
    return list(db.session.scalars(select(RecognitionValue).order_by(RecognitionValue.is_retired,
                                                                     RecognitionValue.name)))


def values_in_use() -> set[int]:
    return set(db.session.scalars(select(PostValue.value_id).distinct()))


@dataclass
class WallFilter:
    unit: Unit | None = None
    value_id: int | None = None
    kind: PostKind | None = None


# A unit whose subtree was thanked at most this many times is listed from its recipients (the posts are found by
# id and the newest picked out); above it, matching posts are common enough that walking the wall newest first
# finds a page of them quickly.
FEW_RECIPIENTS = 3000


def few_post_ids(unit: Unit, value_id: int | None) -> list[int] | None:
    """The posts thanking a person or team in ``unit`` or beneath it (and carrying ``value_id``, if given), when the
    subtree was thanked at most FEW_RECIPIENTS times; None when it was thanked more often.

    One index-only query (``ix_recognition_recipient_unit_post``) reads up to FEW_RECIPIENTS + 1 of the subtree's
    recipients, and with a value one more looks those posts up by primary key. The wall is then those posts by id,
    so its work follows the unit's own thanks, not the size of the wall, whatever the planner's estimates
    (bench/plans/wall_filter.txt).
    """
    post_ids = set(db.session.scalars(select(PostRecipient.post_id).where(
        PostRecipient.unit_id.in_(subtree_unit_ids(unit))).limit(FEW_RECIPIENTS + 1)))
    if len(post_ids) > FEW_RECIPIENTS:
        return None
    if value_id is not None and post_ids:
        post_ids = set(db.session.scalars(select(PostValue.post_id).where(PostValue.post_id.in_(sorted(post_ids)),
                                                                          PostValue.value_id == value_id)))
    return sorted(post_ids)


def wall_statement(filters: WallFilter) -> Select:
    """Public, live posts. A unit thanked a few times is the posts of its recipients (``few_post_ids``); otherwise
    each filter is an indexed EXISTS, and PostgreSQL walks the wall index newest first until a page is found."""
    stmt = select(Post).where(Post.visibility == Visibility.PUBLIC, Post.withdrawn_at.is_(None),
                              Post.hidden_at.is_(None))
    value_id = filters.value_id
    if filters.unit is not None:
        post_ids = few_post_ids(filters.unit, value_id)
        if post_ids is not None:
            stmt, value_id = stmt.where(Post.id.in_(post_ids)), None
        else:
            stmt = stmt.where(exists().where(PostRecipient.post_id == Post.id,
                                             PostRecipient.unit_id.in_(subtree_unit_ids(filters.unit))))
    if value_id is not None:
        stmt = stmt.where(exists().where(PostValue.post_id == Post.id, PostValue.value_id == value_id))
    if filters.kind is not None:
        stmt = stmt.where(Post.kind == filters.kind)
    return stmt


def wall_page(filters: WallFilter, *, cursor: str | None, size: int) -> Page[Post]:
    return keyset_page(wall_statement(filters).options(*post_options()), order=POST_ORDER, cursor=cursor,
                       size=size, session=db.session)


def appreciated_by(user: User, posts: list[Post]) -> set[int]:
    """Which of ``posts`` this person has appreciated (one query)."""
    if not posts:
        return set()
    return set(db.session.scalars(select(Appreciation.post_id).where(
        Appreciation.user_id == user.id, Appreciation.post_id.in_([p.id for p in posts]))))


def received_statement(person: User, *, viewer: User, everything: bool) -> Select:
    """Live posts naming ``person``. ``everything`` (the person and their line manager) includes team and private
    ones; anyone else sees public ones and the team and private ones whose circle they are in (policies.can_view):
    ones they wrote, ones naming them or a person they line manage, ones to a whole team they work in."""
    stmt = select(Post).where(Post.withdrawn_at.is_(None), Post.hidden_at.is_(None),
                              exists().where(PostRecipient.post_id == Post.id, PostRecipient.user_id == person.id))
    if not everything:
        stmt = stmt.where(or_(Post.visibility == Visibility.PUBLIC, Post.author_id == viewer.id,
                              _in_circle_of(viewer)))
    return stmt


def _in_circle_of(viewer: User):
    """EXISTS: ``viewer`` is named, manages someone named, or works in a team thanked as a whole (or beneath it)."""
    viewer_units = [*viewer.unit.ancestor_ids, viewer.unit_id]
    named = select(PostRecipient.id).where(PostRecipient.post_id == Post.id, PostRecipient.user_id == viewer.id)
    manages = (select(PostRecipient.id).join(User, User.id == PostRecipient.user_id)
               .where(PostRecipient.post_id == Post.id, User.manager_id == viewer.id))
    in_team = select(PostRecipient.id).where(PostRecipient.post_id == Post.id, PostRecipient.user_id.is_(None),
                                             PostRecipient.unit_id.in_(viewer_units))
    return or_(named.exists(), manages.exists(), in_team.exists())


def received_page(person: User, *, viewer: User, everything: bool, cursor: str | None, size: int) -> Page[Post]:
    stmt = received_statement(person, viewer=viewer, everything=everything).options(*post_options())
    return keyset_page(stmt, order=POST_ORDER, cursor=cursor, size=size, session=db.session)


def received_for_export(person: User) -> Iterator[Post]:
    """Everything ``person`` received, oldest first, read in batches (for their own CSV download)."""
    stmt = (received_statement(person, viewer=person, everything=True)
            .options(joinedload(Post.author), selectinload(Post.values))
            .order_by(Post.created_at, Post.id).execution_options(yield_per=200))
    yield from db.session.scalars(stmt)


def search_people(query: str, *, exclude: set[int], limit: int = 10) -> list[User]:
    """Active people whose name or email contains ``query`` (at least two characters), by name."""
    query = (query or "").strip()
    if len(query) < 2:
        return []
    pattern = f"%{query.lower()}%"
    stmt = (select(User).where(User.is_active_account.is_(True),
                               or_(func.lower(User.display_name).like(pattern), func.lower(User.email).like(pattern)))
            .order_by(User.display_name, User.id).limit(limit))
    if exclude:
        stmt = stmt.where(User.id.not_in(exclude))
    return list(db.session.scalars(stmt))


def people_by_id(ids: list[int]) -> list[User]:
    if not ids:
        return []
    return list(db.session.scalars(select(User).where(User.id.in_(ids)).order_by(User.display_name)))


def _open_reports(user: User) -> Select:
    """Open reports of posts that are still public and live: a post made private, changed away from public,
    withdrawn or hidden since it was reported is not shown to moderators (its reports are closed then too)."""
    stmt = (select(Report).join(Post, Post.id == Report.post_id)
            .where(Report.resolved_at.is_(None), Post.visibility == Visibility.PUBLIC, Post.withdrawn_at.is_(None),
                   Post.hidden_at.is_(None)))
    if user.has_role(Role.HR):
        return stmt
    if not user.has_role(Role.CHAMPION):
        return stmt.where(false())
    return stmt.where(exists().where(PostRecipient.post_id == Report.post_id,
                                     PostRecipient.unit_id.in_(subtree_unit_ids(user.unit))))


def open_reports_for(user: User, *, cursor: str | None, size: int) -> Page[Report]:
    stmt = _open_reports(user).options(
        joinedload(Report.reporter).lazyload(User.role_rows), joinedload(Report.comment),
        joinedload(Report.post).options(*post_options()))
    return keyset_page(stmt, order=[(Report.created_at, False), (Report.id, False)], cursor=cursor, size=size,
                       session=db.session)


def open_reports_statement(user: User) -> Select:
    """The open reports ``user`` may act on (nothing for people who moderate nothing): for the champions' one
    moderation queue in good practice, which counts and lists them beside notes and comments."""
    return _open_reports(user)


def count_open_reports(user: User) -> int:
    """One COUNT query (the home page's "Waiting for you")."""
    return db.session.scalar(select(func.count()).select_from(_open_reports(user).subquery())) or 0
