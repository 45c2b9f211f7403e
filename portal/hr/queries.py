"""Reading recognition for HR: one row per person or team recognised, from thank-yous, award announcements and
award nominations, filtered as ``ExportFilters`` says.

The rows come from one SELECT (a UNION ALL of posts × recipients and nominations) ordered by when the recognition
was given, so the same statement serves the streamed export (a server-side cursor, ``stream_rows``), the API's
keyset pages (``rows_page``) and the counts (``count_by_type``). Unit and value names are not joined here: the
writers look them up in small maps (``portal/hr/columns.py``), which keeps the statement lean.

Message text is selected only when asked for, and a thank-you's words come with ``message_withheld`` set (to
"private", "team", "hidden" or "withdrawn") whenever the person exporting could not read them in Frontline
(``portal.recognition.policies.can_view``): the people named, their line managers and the author read private and
team thanks; HR reads hidden public ones as their moderators; nobody reads withdrawn ones. The API has no person
behind it, so it gets the words of live public thank-yous only.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import (
    ColumnElement,
    DateTime,
    Integer,
    Row,
    Select,
    String,
    and_,
    case,
    exists,
    false,
    func,
    literal,
    literal_column,
    not_,
    null,
    or_,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import aliased

from portal.auth.models import User
from portal.awards.models import OPEN_STATES, AwardCategory, AwardScheme, Nomination, NominationAnswer, NominationState
from portal.awards.models import NominationStateChange as Change
from portal.common.london import days_bounds
from portal.common.pagination import decode_cursor, encode_cursor
from portal.common.roles import Role
from portal.db import UTCDateTime
from portal.extensions import db
from portal.hr.filters import (
    NOMINATION_STATUSES,
    POST_STATUSES,
    ExportFilters,
    RecognitionType,
    RowStatus,
    UnitRef,
)
from portal.org.models import Unit
from portal.recognition.models import Post, PostKind, PostRecipient, PostValue, RecognitionValue, Visibility

# The export's columns as the statement names them (``portal/hr/columns.py`` reads them by position).
FIELDS = ("source", "source_id", "row_key", "kind", "given_at", "endorsed_at", "sent_to_panel_at", "decided_at",
          "made_private_at", "withdrawn_at", "hidden_at", "giver_id", "giver_name", "giver_staff_number",
          "giver_unit_id", "recipient_id", "recipient_name", "recipient_staff_number", "recipient_unit_id",
          "value_names", "scheme", "category", "status", "stage", "visibility")
MESSAGE_FIELDS = ("title", "message", "difference", "learning", "message_withheld")
ORDER = ("given_at", "source", "source_id", "row_key")
CURSOR_TYPES = [datetime, str, int, int]
# A row's ``kind`` (the post's kind, or "nomination") → the type the export names.
KIND_TYPES = {PostKind.THANK_YOU.value: RecognitionType.THANK_YOU, PostKind.AWARD.value: RecognitionType.AWARD,
              "nomination": RecognitionType.NOMINATION}
DECIDED = (NominationState.AWARDED, NominationState.NOT_AWARDED, NominationState.CONVERTED,
           NominationState.NOT_ENDORSED)


@dataclass(frozen=True)
class Reader:
    """Who the rows are read for, as plain values (rows stream after the request's session has ended): a person,
    or an HR system through a token (``user_id`` None: nobody's private circle)."""

    user_id: int | None = None
    unit_path: str = ""
    moderates_public_posts: bool = False

    @classmethod
    def person(cls, user: User) -> Reader:
        return cls(user_id=user.id, unit_path=user.unit.path, moderates_public_posts=user.has_role(Role.HR))

    @classmethod
    def system(cls) -> Reader:
        return cls()


def _text(value: str) -> ColumnElement:
    return literal_column(f"'{value}'", String)


def _null(kind=String) -> ColumnElement:
    return type_coerce(null(), kind() if isinstance(kind, type) else kind)


def subtree(unit: UnitRef) -> list[int]:
    """The ids of ``unit`` and every unit beneath it, as read when the filters were made."""
    return list(unit.subtree_ids)


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def _joined(column, order_by, separator: str, *where, outer, joins=()) -> ColumnElement:
    """The values of ``column`` for one row of the ``outer`` table, in order, joined by ``separator``.

    PostgreSQL orders inside the aggregate; SQLite (before 3.44) concatenates in the order of an ordered subquery.
    """
    if _dialect() == "postgresql":
        stmt = select(func.string_agg(column, aggregate_order_by(literal(separator), order_by)))
        for target, on in joins:
            stmt = stmt.join(target, on)
        return stmt.where(*where).scalar_subquery()
    inner = select(column.label("part"))
    for target, on in joins:
        inner = inner.join(target, on)
    ordered = inner.where(*where).order_by(order_by).correlate(outer).subquery()
    return select(func.group_concat(ordered.c.part, separator)).scalar_subquery()


# --- thank-yous and award announcements ---------------------------------------------------------------------

def _post_status() -> ColumnElement:
    return case((Post.withdrawn_at.is_not(None), _text(RowStatus.WITHDRAWN)),
                (Post.hidden_at.is_not(None), _text(RowStatus.HIDDEN)), else_=_text(RowStatus.PUBLISHED))


def _post_status_filter(statuses) -> ColumnElement:
    live = and_(Post.withdrawn_at.is_(None), Post.hidden_at.is_(None))
    hidden = and_(Post.withdrawn_at.is_(None), Post.hidden_at.is_not(None))
    clauses = {RowStatus.PUBLISHED: live, RowStatus.HIDDEN: hidden, RowStatus.WITHDRAWN: Post.withdrawn_at.is_not(None)}
    return or_(*[clauses[status] for status in sorted(statuses)])


def _in_private_circle(reader: Reader) -> ColumnElement:
    """SQL for ``recognition.policies.in_private_circle``: the author, a person named, a member of a team thanked
    (its unit or beneath it), or the line manager of a person named."""
    named, managed, team = aliased(PostRecipient), aliased(PostRecipient), aliased(PostRecipient)
    report, team_unit = aliased(User), aliased(Unit)
    return or_(
        Post.author_id == reader.user_id,
        exists().where(named.post_id == Post.id, named.user_id == reader.user_id),
        exists().where(managed.post_id == Post.id, report.id == managed.user_id, report.manager_id == reader.user_id),
        exists().where(team.post_id == Post.id, team.user_id.is_(None), team_unit.id == team.unit_id,
                       literal(reader.unit_path).like(team_unit.path.concat("%"))),
    )


def _post_withheld(reader: Reader) -> ColumnElement:
    """Why the words are not in the row (None: they are), mirroring ``recognition.policies.can_view``."""
    if reader.user_id is None:
        hidden_readable, circle = false(), false()
    else:
        author = Post.author_id == reader.user_id
        hidden_readable = or_(author, Post.visibility == Visibility.PUBLIC) if reader.moderates_public_posts else author
        circle = _in_private_circle(reader)
    return case(
        (Post.withdrawn_at.is_not(None), _text(RowStatus.WITHDRAWN)),
        (and_(Post.hidden_at.is_not(None), not_(hidden_readable)), _text(RowStatus.HIDDEN)),
        (and_(Post.visibility != Visibility.PUBLIC, not_(circle)), type_coerce(Post.visibility, String)),
        else_=_null(),
    )


PEOPLE = frozenset({"giver_name", "giver_staff_number", "recipient_name", "recipient_staff_number"})


def _post_columns(reader: Reader, giver, person) -> dict[str, ColumnElement]:
    return {
        "source": _text("P"), "source_id": Post.id, "row_key": PostRecipient.id,
        "kind": type_coerce(Post.kind, String), "given_at": Post.created_at,
        "endorsed_at": _null(UTCDateTime), "sent_to_panel_at": _null(UTCDateTime), "decided_at": _null(UTCDateTime),
        "made_private_at": Post.made_private_at, "withdrawn_at": Post.withdrawn_at, "hidden_at": Post.hidden_at,
        "giver_id": Post.author_id, "giver_name": giver.display_name, "giver_staff_number": giver.staff_number,
        "giver_unit_id": Post.author_unit_id, "recipient_id": PostRecipient.user_id,
        "recipient_name": person.display_name, "recipient_staff_number": person.staff_number,
        "recipient_unit_id": PostRecipient.unit_id,
        "value_names": _joined(RecognitionValue.name, RecognitionValue.name, "; ", PostValue.post_id == Post.id,
                               outer=Post, joins=[(PostValue, PostValue.value_id == RecognitionValue.id)]),
        "scheme": _null(), "category": _null(), "status": _post_status(), "stage": _null(),
        "visibility": type_coerce(Post.visibility, String),
        "title": Post.title, "message": Post.what_they_did, "difference": Post.difference, "learning": Post.learning,
        "message_withheld": _post_withheld(reader),
    }


def _post_where(stmt: Select, filters: ExportFilters, kinds: list[PostKind]) -> Select:
    stmt = stmt.select_from(PostRecipient).join(Post, Post.id == PostRecipient.post_id).where(Post.kind.in_(kinds))
    start, end = _bounds(filters)
    if start is not None:
        stmt = stmt.where(Post.created_at >= start)
    if end is not None:
        stmt = stmt.where(Post.created_at < end)
    if filters.unit is not None:
        stmt = stmt.where(PostRecipient.unit_id.in_(subtree(filters.unit)))
    if filters.value_id is not None:
        stmt = stmt.where(exists().where(PostValue.post_id == Post.id, PostValue.value_id == filters.value_id))
    if filters.statuses:
        stmt = stmt.where(_post_status_filter(filters.statuses & POST_STATUSES))
    return stmt


def _post_rows(filters: ExportFilters, reader: Reader, kinds: list[PostKind], names: tuple[str, ...]) -> Select:
    giver, person = aliased(User), aliased(User)
    columns = _post_columns(reader, giver, person)
    stmt = _post_where(select(*[columns[name].label(name) for name in names]), filters, kinds)
    if PEOPLE & set(names):
        stmt = stmt.join(giver, giver.id == Post.author_id).outerjoin(person, person.id == PostRecipient.user_id)
    return stmt


# --- nominations ----------------------------------------------------------------------------------------------

NOMINATION_STATES = {
    RowStatus.PENDING: sorted(OPEN_STATES),
    RowStatus.AWARDED: [NominationState.AWARDED],
    RowStatus.DECLINED: [NominationState.NOT_AWARDED, NominationState.NOT_ENDORSED],
    RowStatus.CONVERTED: [NominationState.CONVERTED],
    RowStatus.WITHDRAWN: [NominationState.WITHDRAWN],
}


def _nomination_status() -> ColumnElement:
    return case(*[(Nomination.state.in_(states), _text(status)) for status, states in NOMINATION_STATES.items()],
                else_=_null())


def _first_change(*states: NominationState) -> ColumnElement:
    return (select(func.min(Change.changed_at)).where(Change.nomination_id == Nomination.id,
                                                      Change.to_state.in_(states)).scalar_subquery())


def _nomination_columns(nominator, nominee, team) -> dict[str, ColumnElement]:
    return {
        "source": _text("N"), "source_id": Nomination.id, "row_key": literal_column("0", Integer),
        "kind": _text("nomination"), "given_at": Nomination.created_at,
        "endorsed_at": _first_change(NominationState.ENDORSED),
        "sent_to_panel_at": _first_change(NominationState.IN_REVIEW),
        "decided_at": func.coalesce(Nomination.decided_at, _first_change(*DECIDED)),
        "made_private_at": _null(UTCDateTime), "withdrawn_at": _first_change(NominationState.WITHDRAWN),
        "hidden_at": _null(UTCDateTime),
        "giver_id": Nomination.nominator_id, "giver_name": nominator.display_name,
        "giver_staff_number": nominator.staff_number, "giver_unit_id": Nomination.nominator_unit_id,
        "recipient_id": Nomination.nominee_id, "recipient_name": func.coalesce(nominee.display_name, team.name),
        "recipient_staff_number": nominee.staff_number, "recipient_unit_id": Nomination.nominee_unit_id,
        "value_names": _null(), "scheme": AwardScheme.name, "category": AwardCategory.name,
        "status": _nomination_status(), "stage": type_coerce(Nomination.state, String), "visibility": _null(),
        "title": _null(), "difference": _null(), "learning": _null(), "message_withheld": _null(),
        "message": _joined(NominationAnswer.answer, NominationAnswer.position, "\n\n",
                           NominationAnswer.nomination_id == Nomination.id, outer=Nomination),
    }


def _nomination_where(stmt: Select, filters: ExportFilters) -> Select:
    stmt = stmt.select_from(Nomination)
    start, end = _bounds(filters)
    if start is not None:
        stmt = stmt.where(Nomination.created_at >= start)
    if end is not None:
        stmt = stmt.where(Nomination.created_at < end)
    if filters.unit is not None:
        stmt = stmt.where(Nomination.nominee_unit_id.in_(subtree(filters.unit)))
    if filters.scheme_id is not None:
        stmt = stmt.where(Nomination.scheme_id == filters.scheme_id)
    if filters.statuses:
        wanted = [state for status in sorted(filters.statuses & NOMINATION_STATUSES)
                  for state in NOMINATION_STATES[status]]
        stmt = stmt.where(Nomination.state.in_(wanted))
    return stmt


def _nomination_rows(filters: ExportFilters, names: tuple[str, ...]) -> Select:
    nominator, nominee, team = aliased(User), aliased(User), aliased(Unit)
    columns = _nomination_columns(nominator, nominee, team)
    stmt = _nomination_where(select(*[columns[name].label(name) for name in names]), filters)
    if {"scheme", "category"} & set(names):
        stmt = (stmt.join(AwardScheme, AwardScheme.id == Nomination.scheme_id)
                .join(AwardCategory, AwardCategory.id == Nomination.category_id))
    if PEOPLE & set(names):
        stmt = (stmt.join(nominator, nominator.id == Nomination.nominator_id)
                .outerjoin(nominee, nominee.id == Nomination.nominee_id).outerjoin(team, team.id == Nomination.team_id))
    return stmt


# --- both -----------------------------------------------------------------------------------------------------

def _bounds(filters: ExportFilters) -> tuple[datetime | None, datetime | None]:
    start = days_bounds(filters.first, filters.first)[0] if filters.first else None
    end = days_bounds(filters.last, filters.last)[1] if filters.last else None
    return start, end


def _post_kinds(filters: ExportFilters) -> list[PostKind]:
    """The post kinds that can contribute rows: none for a scheme filter (only nominations have schemes) or for
    statuses only nominations have; only thank-yous for a value filter (nothing else has values)."""
    if filters.scheme_id is not None or (filters.statuses and not filters.statuses & POST_STATUSES):
        return []
    kinds = [kind for rtype, kind in ((RecognitionType.THANK_YOU, PostKind.THANK_YOU),
                                      (RecognitionType.AWARD, PostKind.AWARD)) if filters.wants(rtype)]
    return [kind for kind in kinds if filters.value_id is None or kind == PostKind.THANK_YOU]


def _nominations_possible(filters: ExportFilters) -> bool:
    return (filters.wants(RecognitionType.NOMINATION) and filters.value_id is None
            and (not filters.statuses or bool(filters.statuses & NOMINATION_STATUSES)))


def rows_statement(filters: ExportFilters, reader: Reader, names: tuple[str, ...] | None = None):
    """The rows (the columns ``names``; by default the export's) as a subquery, unordered; an empty one when the
    filters rule every kind out."""
    names = names or (FIELDS + MESSAGE_FIELDS if filters.include_message else FIELDS)
    branches = []
    if kinds := _post_kinds(filters):
        branches.append(_post_rows(filters, reader, kinds, names))
    if _nominations_possible(filters):
        branches.append(_nomination_rows(filters, names))
    if not branches:
        return _post_rows(filters, reader, [PostKind.THANK_YOU], names).where(false()).subquery("rows")
    return (branches[0] if len(branches) == 1 else union_all(*branches)).subquery("rows")


def ordered_rows(filters: ExportFilters, reader: Reader, *, driver_times: bool = False) -> Select:
    """The rows in export order. With ``driver_times`` the timestamps come as the driver reads them (PostgreSQL's
    timestamptz is already an aware datetime), without ``UTCDateTime``'s per-value conversion."""
    rows = rows_statement(filters, reader)
    columns = [type_coerce(column, DateTime(timezone=True)) if driver_times and isinstance(column.type, UTCDateTime)
               else column for column in rows.c]
    return select(*columns).order_by(*[rows.c[name] for name in ORDER])


def count_by_type(filters: ExportFilters) -> dict[RecognitionType, int]:
    """How many rows of each type the filters select: a GROUP BY per kind of source, without the per-row lookups
    the rows themselves need."""
    found: dict[str, int] = {}
    if kinds := _post_kinds(filters):
        stmt = _post_where(select(type_coerce(Post.kind, String), func.count()), filters, kinds).group_by(Post.kind)
        found.update(db.session.execute(stmt).all())
    if _nominations_possible(filters):
        found["nomination"] = db.session.scalar(_nomination_where(select(func.count()), filters))
    return {rtype: found.get(kind, 0) for kind, rtype in KIND_TYPES.items()}


@contextmanager
def london_connection() -> Iterator[Connection]:
    """A connection for one streamed read, on which PostgreSQL hands times over in London time (for its transaction
    only): a million rows are then written without converting a time zone in Python.

    It is a connection of its own (from the engine; under test, the test's connection), not the request's session:
    a streamed body outlives the request's app context, whose end closes that session.
    """
    bind = db.engine
    own = isinstance(bind, Engine)
    connection = bind.connect() if own else bind
    postgres = connection.dialect.name == "postgresql"
    try:
        if postgres:
            connection.exec_driver_sql("SELECT set_config('TimeZone', 'Europe/London', true)")
        yield connection
    finally:
        if own:
            connection.close()
        elif postgres:  # the test's connection goes on being used: put its time zone back
            connection.exec_driver_sql("SET LOCAL TIME ZONE DEFAULT")


def stream_rows(filters: ExportFilters, reader: Reader, *, batch: int = 1000) -> Iterator[Row]:
    """Every row, in order, through a server-side cursor ``batch`` rows at a time: memory does not grow with the
    number of rows. On PostgreSQL timestamps arrive in London time (``RowFormatter``'s astimezone(LONDON) is then a
    no-op)."""
    with london_connection() as connection:
        statement = ordered_rows(filters, reader, driver_times=connection.dialect.name == "postgresql")
        # Options on the statement, not the connection: a connection's options stay with it.
        result = connection.execute(statement, execution_options={"yield_per": batch})
        try:
            for partition in result.partitions():
                yield from partition
        finally:
            result.close()


def rows_page(filters: ExportFilters, reader: Reader, *, after: str | None, size: int) -> tuple[list[Row], str | None]:
    """One keyset page: the rows just after the ``after`` cursor (a tampered cursor starts again at the top)."""
    rows = rows_statement(filters, reader)
    keys = [rows.c[name] for name in ORDER]
    stmt = select(rows)
    values = decode_cursor(after, len(ORDER), CURSOR_TYPES)
    if values is not None:
        stmt = stmt.where(or_(*[and_(*[keys[j] == values[j] for j in range(i)], keys[i] > values[i])
                                for i in range(len(keys))]))
    found = list(db.session.execute(stmt.order_by(*keys).limit(size + 1)))
    page = found[:size]
    cursor = encode_cursor([getattr(page[-1], name) for name in ORDER]) if len(found) > size else None
    return page, cursor
