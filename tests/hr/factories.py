"""HR export test data: a small organisation, thank-yous and nominations made through the real services, and helpers
to download and read exports."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, datetime

from portal.auth.models import User
from portal.awards.models import NominationState
from portal.awards.services import decide_nomination
from portal.extensions import db
from portal.hr.models import Scope
from portal.hr.services import create_token
from portal.org.models import Unit
from portal.recognition.models import Post
from tests.awards.factories import make_scheme, nominate, panel_member
from tests.factories import UnitFactory, UserFactory
from tests.recognition.factories import thank

PRIVATE_WORDS = "You sat with me after the call about my brother and said nothing, which was exactly right."
TEAM_WORDS = "The whole office covered my desk for a week while I was at the hospital with my dad."
PUBLIC_WORDS = "You stayed on the line with a caller in crisis until the crisis team arrived."


def at(text: str) -> datetime:
    """An aware UTC datetime from "2025-03-14 16:05"."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@dataclass
class Org:
    trust: Unit
    pals: Unit
    north: Unit
    south: Unit
    jobcentre: Unit
    hr: User
    giver: User
    tom: User
    sam: User
    manager: User
    ola: User


def org() -> Org:
    """Riverside Trust / PALS / North team and South team, and a Jobcentre office elsewhere in the tree."""
    trust = UnitFactory(name="Riverside Trust")
    pals = UnitFactory(name="PALS", parent=trust)
    north = UnitFactory(name="North team", parent=pals)
    south = UnitFactory(name="South team", parent=pals)
    jobcentre = UnitFactory(name="Jobcentre office")
    manager = UserFactory(unit=south, display_name="Claire Bennett", staff_number="100500")
    return Org(trust=trust, pals=pals, north=north, south=south, jobcentre=jobcentre,
               hr=UserFactory(hr=True, unit=trust, display_name="Helen Price", staff_number="100001"),
               giver=UserFactory(unit=north, display_name="Priya Shah", staff_number="100234"),
               tom=UserFactory(unit=north, display_name="Tom Byrne", staff_number="100871"),
               sam=UserFactory(unit=south, display_name="Sam Okafor", staff_number="100872", manager=manager),
               manager=manager,
               ola=UserFactory(unit=jobcentre, display_name="Ola Nowak", staff_number="200001"))


def thank_at(author: User, *people: User, when: str, team: Unit | None = None, visibility: str = "public",
             words: str = PUBLIC_WORDS, values: tuple[str, ...] = ("Listened",)) -> Post:
    return thank(author, *people, team=team, visibility=visibility, words=words, values=values, created_at=at(when))


def decided_nomination(scheme, *, nominator: User, nominee: User, outcome: NominationState, panel: User):
    nomination = nominate(scheme, nominator=nominator, nominee=nominee)
    decide_nomination(nomination=nomination, panel_member=panel, outcome=outcome, reason="The panel agreed.")
    return nomination


def awards_for(o: Org):
    """A scheme with a panel, and one nomination in each interesting state."""
    panel = panel_member(unit=o.trust, display_name="Margaret Ellis")
    scheme = make_scheme(panel=[panel], consent=False, name="Patient Experience Awards")
    pending = nominate(scheme, nominator=o.giver, nominee=o.sam)
    awarded = decided_nomination(scheme, nominator=o.sam, nominee=o.tom, outcome=NominationState.AWARDED,
                                 panel=panel)
    return scheme, pending, awarded


def hr_token(o: Org, *scopes: Scope, days: int = 30) -> str:
    """A token's secret (made by HR, with READ and ``scopes``)."""
    _token, secret = create_token(actor=o.hr, name="Payroll", scopes={Scope.READ, *scopes}, days=days)
    db.session.flush()
    return secret


def read_csv(body: bytes) -> list[dict[str, str]]:
    """Rows of an export; it must start with the UTF-8 byte-order mark."""
    assert body.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def download(client, path: str = "/hr/exports/recognition.csv", **params) -> list[dict[str, str]]:
    response = client.get(path, query_string=params)
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    return read_csv(response.data)
