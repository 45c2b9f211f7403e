"""Keyset pagination: every row exactly once, in order, one query per page, whatever the ties."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from portal.auth.models import User
from portal.common.pagination import decode_cursor, encode_cursor, keyset_page
from portal.extensions import db
from portal.org.models import Unit
from tests.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.usefixtures("app_ctx")


def walk(order, size: int) -> list[list[int]]:
    pages, cursor = [], None
    while True:
        page = keyset_page(select(User), order=order, cursor=cursor, size=size, session=db.session)
        pages.append([user.id for user in page.items])
        if not page.has_more:
            return pages
        cursor = page.next_cursor


def test_ascending_with_ties_visits_every_row_once_in_order():
    unit = UnitFactory()
    for name in ["Bea", "Ann", "Bea", "Cy", "Ann", "Bea", "Ann"]:
        UserFactory(display_name=name, unit=unit)
    expected = list(db.session.scalars(select(User.id).order_by(User.display_name, User.id)))
    pages = walk([(User.display_name, False), (User.id, False)], size=3)
    assert [len(page) for page in pages] == [3, 3, 1]
    assert sum(pages, []) == expected


def test_descending_times_with_ties():
    unit = UnitFactory()
    base = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
    for minutes in [0, 5, 5, 5, 10, 20]:
        UserFactory(unit=unit, created_at=base + timedelta(minutes=minutes))
    expected = list(db.session.scalars(select(User.id).order_by(User.created_at.desc(), User.id.desc())))
    pages = walk([(User.created_at, True), (User.id, True)], size=2)
    assert [len(page) for page in pages] == [2, 2, 2]
    assert sum(pages, []) == expected


def test_an_exact_multiple_of_the_page_size_has_no_empty_last_page():
    unit = UnitFactory()
    for _ in range(4):
        UserFactory(unit=unit)
    assert [len(page) for page in walk([(User.id, False)], size=2)] == [2, 2]


def test_one_query_per_page(count_queries):
    """One query finds the page and whether there is another (eager loads of the rows aside)."""
    for _ in range(5):
        UnitFactory()
    db.session.flush()  # the units' audit events
    cursor = None
    for _ in range(3):
        with count_queries() as counter:
            page = keyset_page(select(Unit), order=[(Unit.id, False)], cursor=cursor, size=2, session=db.session)
        assert counter.count == 1, counter.statements
        cursor = page.next_cursor
    assert cursor is None


@pytest.mark.parametrize("cursor", [None, "", "not base64!", encode_cursor([1]), encode_cursor([1, 2, 3]), "W10"])
def test_a_missing_or_malformed_cursor_means_the_first_page(cursor):
    assert decode_cursor(cursor, 2) is None


def test_cursors_keep_datetimes():
    moment = datetime(2025, 7, 1, 12, 30, 15, 123456, tzinfo=UTC)
    assert decode_cursor(encode_cursor([moment, 42]), 2) == [moment, 42]
