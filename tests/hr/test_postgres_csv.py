"""On PostgreSQL the CSV export is written by ``COPY`` (``portal/hr/postgres_csv.py``) instead of the Python writer.
Both must give the same file, byte for byte: every cell rule of ``RowFormatter`` is exercised here on rows built to
break one — formula starts, quotes, commas, line breaks of every kind, empty text, Welsh letters, both London
offsets, the last microsecond of a day, pseudonyms, withheld words, team and nomination rows — under each filter."""

from datetime import UTC, date, datetime

import pytest

from portal.awards.models import NominationState
from portal.awards.services import withdraw_nomination
from portal.extensions import db
from portal.hr.columns import Format, columns_for
from portal.hr.downloads import records
from portal.hr.filters import ExportFilters, RecognitionType, RowStatus, UnitRef
from portal.hr.postgres_csv import copy_chunks
from portal.hr.queries import Reader
from portal.hr.writers import csv_chunks, csv_head
from portal.recognition.moderation import hide_post
from portal.recognition.services import withdraw_thank_you
from tests.awards.factories import make_scheme, nominate, panel_member
from tests.factories import UserFactory
from tests.hr.factories import PRIVATE_WORDS, decided_nomination, org, read_csv, thank_at

pytestmark = [pytest.mark.postgres_only, pytest.mark.usefixtures("app_ctx")]

ACCEPTED = "Words the service accepts as they are."
AWKWARD = ["=1+2", "+SUM(A1)", "-2", "@A1", "\tTab", "\rReturn", 'Say "hello"', "Smith, Jo", "Line\nbreak",
           "Windows\r\nbreak", "Lone\rreturn", "Gwenllïan Ŵyn", "ends in a comma,", '"', ",", "\\.", " spaced "]


@pytest.fixture
def o():
    o = org()
    o.pals.name = "=PALS, \"the\" office"
    people = [UserFactory(unit=o.north if n % 2 else o.south, display_name=name,
                          staff_number=f"{name[:12]}{n}" if n % 3 else ("" if n == 0 else None))
              for n, name in enumerate(AWKWARD)]
    for n, (giver, person) in enumerate(zip(people, people[1:] + people[:1], strict=True)):
        month = 1 + n % 12  # winter and summer time
        post = thank_at(giver, person, o.tom, when=f"2025-{month:02d}-{1 + n:02d} 23:59", words=ACCEPTED,
                        values=("Listened", "Kept informed") if n % 2 else ())
        post.created_at = post.created_at.replace(second=59, microsecond=999_999)
        # Stored as an import or an old version might have stored them, past the form's trimming.
        post.what_they_did, post.title = f"{AWKWARD[n]} words", AWKWARD[n]
        post.difference, post.learning = "" if n % 2 else AWKWARD[-1 - n], AWKWARD[n - 1]
    thank_at(o.giver, o.tom, team=o.north, when="2025-03-30 00:30", visibility="team", words=ACCEPTED)
    thank_at(o.sam, o.tom, when="2025-03-30 01:30", visibility="private", words=PRIVATE_WORDS)
    hide_post(post=thank_at(o.ola, o.sam, when="2025-10-26 00:59", words=ACCEPTED), actor=o.hr, reason="Why.")
    withdraw_thank_you(post=thank_at(o.hr, o.sam, when="2025-10-26 01:00", words=ACCEPTED), actor=o.hr)
    panel = panel_member(unit=o.trust, display_name="=Margaret, \"Meg\" Ellis")
    scheme = make_scheme(panel=[panel], consent=False, name="+Awards, \"2025\"")
    nominate(scheme, nominator=o.giver, nominee=o.sam)
    nominate(scheme, nominator=people[3], team=o.south)
    decided_nomination(scheme, nominator=o.sam, nominee=o.tom, outcome=NominationState.AWARDED, panel=panel)
    decided_nomination(scheme, nominator=o.tom, nominee=o.sam, outcome=NominationState.NOT_AWARDED, panel=panel)
    withdraw_nomination(nomination=nominate(scheme, nominator=o.ola, nominee=o.tom), actor=o.ola)
    db.session.flush()
    return o


def both(filters: ExportFilters, reader: Reader) -> tuple[bytes, bytes]:
    header = [column.name for column in columns_for(filters)]
    python = b"".join(csv_chunks(header, records(filters, reader, Format.CSV)))
    return python, csv_head(header) + b"".join(copy_chunks(filters, reader))


FILTERS = {
    "everything": {},
    "with message text": {"include_message": True},
    "pseudonymised, with message text": {"include_message": True, "pseudonymise": True},
    "nominations only": {"types": frozenset({RecognitionType.NOMINATION})},
    "the spring quarter": {"first": date(2025, 3, 30), "last": date(2025, 6, 30)},
    "hidden or declined": {"statuses": frozenset({RowStatus.HIDDEN, RowStatus.DECLINED}), "include_message": True},
}


@pytest.mark.parametrize("name", FILTERS)
def test_copy_writes_the_same_bytes_as_the_python_writer(o, name):
    filters = ExportFilters(**FILTERS[name])
    python, copied = both(filters, Reader.person(o.hr))
    assert len(read_csv(python)) >= 2  # the case exports rows, not just a header
    assert copied == python


def test_the_same_for_a_unit_and_for_an_hr_system(o):
    filters = ExportFilters(unit=UnitRef.of(o.north), include_message=True)
    for reader in (Reader.person(o.sam), Reader.system()):
        python, copied = both(filters, reader)
        assert copied == python


def test_pseudonyms_from_postgresql_are_pythons_hmac(o):
    """The pads-and-sha256 HMAC in SQL gives Python's ``hmac`` digest for every giver, not just equal files."""
    filters = ExportFilters(pseudonymise=True)
    python, copied = both(filters, Reader.person(o.hr))
    codes = {row["giver"] for row in read_csv(copied)}
    assert len(codes) > 10 and all(code.startswith("pseudonym-") and len(code) == 22 for code in codes)
    assert copied == python


def test_the_connection_keeps_its_own_time_zone(o):
    before = db.session.execute(db.text("SHOW TimeZone")).scalar()
    b"".join(copy_chunks(ExportFilters(), Reader.person(o.hr)))
    assert db.session.execute(db.text("SHOW TimeZone")).scalar() == before


def test_a_moment_is_written_to_the_second_not_rounded_up(o):
    post = thank_at(o.giver, o.tom, when="2025-12-31 23:59")
    post.created_at = datetime(2025, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC)
    db.session.flush()
    copied = b"".join(copy_chunks(ExportFilters(first=date(2025, 12, 31), last=date(2025, 12, 31)),
                                  Reader.person(o.hr)))
    assert b"2025-12-31,2025-12-31T23:59:59+00:00," in copied
