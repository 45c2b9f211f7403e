"""Each figure on the insight pages as a table and a chart, built once from the queries so the page, the chart and
the CSV download always say the same thing."""

from __future__ import annotations

from dataclasses import dataclass, replace

from flask_babel import format_decimal
from flask_babel import gettext as _

from portal.insight import peer_support, queries
from portal.insight.charts import Chart, bar_chart, column_chart
from portal.insight.figures import CountTable, count_table
from portal.insight.filters import InsightFilter
from portal.insight.periods import Month
from portal.support.models import SupportKind


@dataclass(frozen=True)
class Figure:
    slug: str  # the CSV's address and file name: /insight/<page>/<slug>.csv
    table: CountTable
    chart: Chart | None


def _period(months: list[Month]) -> str:
    return _("%(first)s to %(last)s", first=months[0].label, last=months[-1].label)


def _month_rows(months: list[Month], found: dict[str, tuple[int, ...]], width: int) -> list[list[int]]:
    return [list(found.get(month.key, (0,) * width)) for month in months]


def _monthly_chart(slug: str, title: str, months: list[Month], counts, what: str) -> Chart:
    return column_chart(slug, title, [(m.label, m.short_label, c) for m, c in zip(months, counts, strict=True)],
                        what=what)


# --- recognition ----------------------------------------------------------------------------------------------

def recognition_by_month(f: InsightFilter) -> Figure:
    thanks, nominations = queries.thanks_by_month(f), queries.nominations_by_month(f)
    raw = [[thanks.get(m.key, 0), nominations.get(m.key, 0)] for m in f.months]
    table = count_table(raw, caption=_("Recognition each month"), row_heading=_("Month"),
                        rows=[m.label for m in f.months], columns=[_("Thank-yous received"), _("Nominations")],
                        row_totals=False, suppress=False)
    chart = _monthly_chart("by-month", _("Thank-yous received each month"), f.months, table.column(0),
                           _("Thank-yous received each month, %(period)s", period=_period(f.months)))
    return Figure("by-month", table, chart)


def recognition_by_value(f: InsightFilter) -> Figure:
    rows = queries.thanks_by_value(f)
    table = count_table([[n] for _name, n in rows], caption=_("Thank-yous received by value"),
                        row_heading=_("Value"), rows=[name for name, _n in rows], columns=[_("Thank-yous received")],
                        row_totals=False, column_totals=False, suppress=False)
    chart = bar_chart("by-value", _("Thank-yous received by value"), list(zip(table.rows, table.column(0),
                                                                             strict=True)),
                      what=_("Thank-yous received for each value, %(period)s", period=_period(f.months)))
    return Figure("by-value", table, chart)


def recognition_by_unit(f: InsightFilter) -> Figure:
    rows = queries.thanks_by_unit(f)
    table = count_table([[n] for _bucket, n in rows], caption=_("Thank-yous received by unit"),
                        row_heading=_("Unit"), rows=[bucket.label for bucket, _n in rows],
                        columns=[_("Thank-yous received")], row_totals=False, suppress=False)
    chart = bar_chart("by-unit", _("Thank-yous received by unit"), list(zip(table.rows, table.column(0),
                                                                           strict=True)),
                      what=_("Thank-yous received in each unit, %(period)s", period=_period(f.months)))
    return Figure("by-unit", table, chart)


RECOGNITION = {"by-month": recognition_by_month, "by-value": recognition_by_value, "by-unit": recognition_by_unit}


# --- peer support ---------------------------------------------------------------------------------------------

def sessions_by_month(f: InsightFilter) -> Figure:
    found = peer_support.sessions_by_month_and_kind(f)
    kinds = list(SupportKind)
    raw = [[found.get((m.key, kind), 0) for kind in kinds] for m in f.months]
    table = count_table(raw, caption=_("Sessions booked each month, by kind"), row_heading=_("Month"),
                        rows=[m.label for m in f.months], columns=[kind.label for kind in kinds])
    chart = _monthly_chart("sessions-by-month", _("Sessions booked each month"), f.months, table.row_total_column,
                           _("Sessions booked each month, all kinds, %(period)s", period=_period(f.months)))
    return Figure("sessions-by-month", table, chart)


def sessions_by_unit(f: InsightFilter) -> Figure:
    buckets, found = peer_support.sessions_by_unit_and_kind(f)
    kinds = list(SupportKind)
    raw = [[found.get((bucket.unit_id, kind), 0) for kind in kinds] for bucket in buckets]
    table = count_table(raw, caption=_("Sessions booked by unit and kind"), row_heading=_("Unit"),
                        rows=[bucket.label for bucket in buckets], columns=[kind.label for kind in kinds])
    chart = bar_chart("sessions-by-unit", _("Sessions booked by unit"),
                      list(zip(table.rows, table.row_total_column, strict=True)),
                      what=_("Sessions booked in each unit, all kinds, %(period)s", period=_period(f.months)))
    return Figure("sessions-by-unit", table, chart)


def debriefs(f: InsightFilter) -> Figure:
    found, medians = peer_support.debriefs_by_month(f), peer_support.median_minutes_to_claim(f)
    table = count_table(_month_rows(f.months, found, 2), caption=_("De-brief requests each month"),
                        row_heading=_("Month asked"), rows=[m.label for m in f.months],
                        columns=[_("Claimed"), _("Not claimed yet")])
    notes = {}
    for index, month in enumerate(f.months):
        claimed = table.cells[index][0]
        if claimed.hidden:  # a median of fewer than 5 waits could point at someone
            notes[index] = _("Not shown")
        elif month.key in medians:
            notes[index] = _("%(n)s minutes", n=format_decimal(round(medians[month.key])))
    table = replace(table, notes=notes, notes_heading=_("Median time to claim"))
    chart = _monthly_chart("debriefs", _("De-brief requests each month"), f.months, table.row_total_column,
                           _("De-brief requests each month, %(period)s", period=_period(f.months)))
    return Figure("debriefs", table, chart)


def mentoring(f: InsightFilter) -> Figure:
    found = peer_support.mentoring_by_month(f)
    table = count_table(_month_rows(f.months, found, 2), caption=_("Mentoring started and ended each month"),
                        row_heading=_("Month"), rows=[m.label for m in f.months],
                        columns=[_("Started"), _("Ended")], row_totals=False)
    chart = _monthly_chart("mentoring", _("Mentoring started each month"), f.months, table.column(0),
                           _("Mentoring relationships started each month, %(period)s", period=_period(f.months)))
    return Figure("mentoring", table, chart)


PEER_SUPPORT = {"sessions-by-month": sessions_by_month, "sessions-by-unit": sessions_by_unit, "debriefs": debriefs,
                "mentoring": mentoring}
