"""Bank holidays: no weekly hours are offered on them. Which ones depends on where the supporter works — England and
Wales, Scotland or Northern Ireland — a per-unit setting inherited down the unit tree (``UnitRegion``).

The dates come from the ``holidays`` package (kept up to date with each year's proclamations, including one-off
holidays), so nobody has to type them in. A supporter can still put a one-off session on a bank holiday.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import lru_cache

import holidays
from sqlalchemy import select

from portal.common.audit import record_event
from portal.extensions import db
from portal.org.models import Unit
from portal.support.models import DEFAULT_REGION, Region, UnitRegion


@lru_cache(maxsize=64)
def _holidays_in(region: str, year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv=region, years=year))


def bank_holidays(region: Region | str, first: date, last: date) -> set[date]:
    """The region's bank holidays from ``first`` to ``last``, inclusive."""
    days: set[date] = set()
    for year in range(first.year, last.year + 1):
        days.update(day for day in _holidays_in(Region(region).value, year) if first <= day <= last)
    return days


def is_bank_holiday(region: Region | str, day: date) -> bool:
    return day in _holidays_in(Region(region).value, day.year)


def holiday_name(region: Region | str, day: date) -> str | None:
    return holidays.country_holidays("GB", subdiv=Region(region).value, years=day.year).get(day)


def _chain(unit: Unit) -> list[int]:
    """The unit's id and its ancestors', nearest first."""
    return [unit.id, *reversed(unit.ancestor_ids)]


def regions_for(units: Iterable[Unit]) -> dict[int, Region]:
    """Each unit's region (its own, else its nearest ancestor's, else England and Wales), in one query."""
    units = list(units)
    ids = {i for unit in units for i in _chain(unit)}
    if not ids:
        return {}
    set_here = {unit_id: region for unit_id, region in db.session.execute(
        select(UnitRegion.unit_id, UnitRegion.region).where(UnitRegion.unit_id.in_(ids)))}
    return {unit.id: next((set_here[i] for i in _chain(unit) if i in set_here), DEFAULT_REGION) for unit in units}


def region_for(unit: Unit) -> Region:
    return regions_for([unit])[unit.id]


def set_unit_region(*, actor, unit: Unit, region: Region | str | None) -> None:
    """Set the unit's region, or (``None`` / "") let it follow the unit above it again."""
    row = db.session.get(UnitRegion, unit.id)
    if not region:
        if row is not None:
            db.session.delete(row)
    elif row is None:
        db.session.add(UnitRegion(unit_id=unit.id, region=Region(region)))
    else:
        row.region = Region(region)
    db.session.flush()
    record_event("support.region_set", actor=actor, target=unit, region=Region(region).value if region else None)
