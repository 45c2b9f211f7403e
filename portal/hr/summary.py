"""The spreadsheet's summary sheet: figures about the exported rows, every count through small-number suppression
(``portal/common/privacy.py``) — a count under 5 reads "fewer than 5", and tables hide enough other cells that no
hidden count can be worked out from the totals.

What is counted: the rows the filters select, except withdrawn recognition and hidden thank-yous (they were taken
back or taken down). Coverage is about people who work in each unit now; the flow between units is about where
givers and recipients worked at the time, grouped one level below the unit exported (or below the top of the
organisation).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from itertools import accumulate

from flask_babel import gettext as _
from sqlalchemy import distinct, func, select

from portal.auth.models import User
from portal.awards.models import AwardScheme, Nomination, NominationState
from portal.common.privacy import Count, suppress_table, suppressed, suppressed_total
from portal.extensions import db
from portal.hr.columns import UnitNames, london
from portal.hr.filters import ExportFilters, RecognitionType, RowStatus
from portal.hr.queries import KIND_TYPES, Reader, rows_statement, subtree
from portal.org.models import Unit

OUTCOMES = [NominationState.SUBMITTED, NominationState.ENDORSED, NominationState.IN_REVIEW, NominationState.AWARDED,
            NominationState.NOT_AWARDED, NominationState.NOT_ENDORSED, NominationState.CONVERTED,
            NominationState.WITHDRAWN]


@dataclass
class CoverageRow:
    unit: str
    staff: Count
    recognised: Count
    not_recognised: Count
    share: str  # "42%", or "" when a count it depends on is hidden


@dataclass
class OutcomeRow:
    scheme: str
    counts: list[Count]  # in the order of OUTCOMES
    total: Count
    median_days: str  # "", when fewer than 5 were decided


@dataclass
class Summary:
    totals: list[tuple[str, Count]]
    coverage: list[CoverageRow]
    flow_areas: list[str]
    flow: list[list[Count]]
    outcomes: list[OutcomeRow]


FACTS = ("source", "source_id", "row_key", "kind", "given_at", "decided_at", "giver_id", "giver_unit_id",
         "recipient_id", "recipient_unit_id", "status")


def _counted(filters: ExportFilters):
    """The facts the summary needs about each row (no names, values or words), and the condition for "counted"."""
    rows = rows_statement(replace(filters, include_message=False), Reader.system(), FACTS)
    return rows, rows.c.status.not_in([RowStatus.WITHDRAWN.value, RowStatus.HIDDEN.value])


def build_summary(filters: ExportFilters, units: UnitNames) -> Summary:
    return Summary(totals=_totals(filters), coverage=_coverage(filters, units), **_flow(filters, units),
                   outcomes=_outcomes(filters))


def _totals(filters: ExportFilters) -> list[tuple[str, Count]]:
    rows, counted = _counted(filters)
    by_kind = dict(db.session.execute(select(rows.c.kind, func.count()).where(counted).group_by(rows.c.kind)).all())
    givers, people, teams = db.session.execute(
        select(func.count(distinct(rows.c.giver_id)), func.count(distinct(rows.c.recipient_id)),
               func.count(distinct(rows.c.recipient_unit_id)).filter(rows.c.recipient_id.is_(None)))
        .where(counted)).one()
    found = [(str(KIND_TYPES[kind].label), suppressed(by_kind.get(kind, 0))) for kind in KIND_TYPES]
    return [*found, (_("Unique givers"), suppressed(givers)), (_("People recognised"), suppressed(people)),
            (_("Teams recognised as a whole"), suppressed(teams))]


def _coverage(filters: ExportFilters, units: UnitNames) -> list[CoverageRow]:
    """For each unit (in the one exported, and beneath it): of the active people in it now, how many were
    recognised by name in the rows counted."""
    rows, counted = _counted(filters)
    people = select(User.unit_id, func.count()).where(User.is_active_account.is_(True)).group_by(User.unit_id)
    recognised = (select(User.unit_id, func.count(distinct(User.id))).join(rows, rows.c.recipient_id == User.id)
                  .where(counted, User.is_active_account.is_(True)).group_by(User.unit_id))
    if filters.unit is not None:
        people = people.where(User.unit_id.in_(subtree(filters.unit)))
        recognised = recognised.where(User.unit_id.in_(subtree(filters.unit)))
    staff = dict(db.session.execute(people).all())
    got = dict(db.session.execute(recognised).all())
    unit_ids = sorted(staff, key=lambda unit_id: units.full.get(unit_id, "").casefold())
    table = suppress_table([[got.get(unit_id, 0), staff[unit_id] - got.get(unit_id, 0)] for unit_id in unit_ids])
    found = []
    for unit_id, (yes, no) in zip(unit_ids, table, strict=True):
        share = "" if yes.hidden or no.hidden else f"{round(100 * got.get(unit_id, 0) / staff[unit_id])}%"
        found.append(CoverageRow(unit=units.full.get(unit_id, ""), recognised=yes, not_recognised=no, share=share,
                                 staff=suppressed_total([got.get(unit_id, 0), staff[unit_id] - got.get(unit_id, 0)])))
    return found


def _area_of(filters: ExportFilters, units_paths: dict[int, str]):
    """A function from unit id to the id of its "area": its ancestor one level below the unit exported (or below
    the top), the unit itself when it is higher up, and 0 for units outside the unit exported."""
    top = filters.unit
    depth = top.depth + 1 if top is not None else 1

    def area(unit_id: int | None) -> int:
        path = units_paths.get(unit_id or 0)
        if path is None:
            return 0
        ids = [int(part) for part in path.strip("/").split("/")]
        if top is not None and top.id not in ids:
            return 0
        return ids[depth] if len(ids) > depth else ids[-1]

    return area


def _flow(filters: ExportFilters, units: UnitNames) -> dict:
    rows, counted = _counted(filters)
    pairs = db.session.execute(select(rows.c.giver_unit_id, rows.c.recipient_unit_id, func.count()).where(counted)
                               .group_by(rows.c.giver_unit_id, rows.c.recipient_unit_id)).all()
    area = _area_of(filters, dict(db.session.execute(select(Unit.id, Unit.path)).all()))
    flows: Counter[tuple[int, int]] = Counter()
    for giver_unit, recipient_unit, count in pairs:
        flows[(area(giver_unit), area(recipient_unit))] += count
    outside = _("Outside %(unit)s", unit=filters.unit.name) if filters.unit is not None else _("Not recorded")
    names = {area_id: units.full.get(area_id, outside) if area_id else outside
             for pair in flows for area_id in pair}
    order = sorted(names, key=lambda area_id: (area_id == 0, names[area_id].casefold()))
    table = suppress_table([[flows.get((giver, recipient), 0) for recipient in order] for giver in order])
    return {"flow_areas": [names[area_id] for area_id in order], "flow": table}


def _outcomes(filters: ExportFilters) -> list[OutcomeRow]:
    if not filters.wants(RecognitionType.NOMINATION) or filters.value_id is not None:
        return []
    rows, _counted_rows = _counted(filters)
    nominations = select(rows.c.source_id).where(rows.c.kind == "nomination")
    counts = db.session.execute(
        select(AwardScheme.id, AwardScheme.name, Nomination.state, func.count()).join(AwardScheme)
        .where(Nomination.id.in_(nominations)).group_by(AwardScheme.id, AwardScheme.name, Nomination.state)).all()
    by_scheme: dict[tuple[int, str], dict[NominationState, int]] = defaultdict(dict)
    for scheme_id, name, state, count in counts:
        by_scheme[(scheme_id, name)][state] = count
    days = _days_to_decision(rows)
    keys = sorted(by_scheme, key=lambda key: (key[1].casefold(), key[0]))
    table = suppress_table([[by_scheme[key].get(state, 0) for state in OUTCOMES] for key in keys])
    return [OutcomeRow(scheme=key[1], counts=cells, total=suppressed_total(list(by_scheme[key].values())),
                       median_days=_median(days.get(key[0], Counter())))
            for key, cells in zip(keys, table, strict=True)]


def _days_to_decision(rows) -> dict[int, Counter[int]]:
    """Per scheme: how many decided nominations took each number of London days (a histogram, so memory holds
    one number per distinct day count, not one per nomination)."""
    decided = (select(Nomination.scheme_id, rows.c.given_at, rows.c.decided_at)
               .join(rows, (rows.c.kind == "nomination") & (rows.c.source_id == Nomination.id))
               .where(rows.c.decided_at.is_not(None)))
    found: dict[int, Counter[int]] = defaultdict(Counter)
    result = db.session.connection().execute(decided, execution_options={"yield_per": 1000})
    for scheme_id, given_at, decided_at in result:
        found[scheme_id][(london(decided_at).date() - london(given_at).date()).days] += 1
    return found


def _median(histogram: Counter[int]) -> str:
    """The middle number of days (the lower of the two middle ones for an even count); "" for fewer than 5."""
    total = sum(histogram.values())
    if total < 5:
        return ""
    ordered = sorted(histogram)
    running = accumulate(histogram[days] for days in ordered)
    return str(next(days for days, seen in zip(ordered, running, strict=True) if seen > (total - 1) // 2))
