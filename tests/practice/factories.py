"""Good-practice test data, made through the real services: a small unit tree with champions, and notes."""

from __future__ import annotations

from dataclasses import dataclass

from portal.auth.models import User
from portal.org.models import Unit
from portal.practice.models import Note
from portal.practice.moderation import approve_note
from portal.practice.services import NoteContent, create_note
from tests.factories import UnitFactory, UserFactory

BODY = "Walk bereaved relatives over to the **bereavement office** yourself.\n\n- Offer the quiet room\n- Ring first"


@dataclass
class Area:
    trust: Unit
    pals: Unit
    north: Unit
    south: Unit
    champion: User  # in PALS: moderates PALS, North and South
    north_champion: User  # in North only
    staff: User  # in North
    colleague: User  # in South


def area(name: str = "Riverside") -> Area:
    trust = UnitFactory(name=f"{name} NHS Trust")
    pals = UnitFactory(name="PALS", parent=trust)
    north = UnitFactory(name="North team", parent=pals)
    south = UnitFactory(name="South team", parent=pals)
    return Area(trust=trust, pals=pals, north=north, south=south,
                champion=UserFactory(unit=pals, champion=True, display_name="Aisha Rahman"),
                north_champion=UserFactory(unit=north, champion=True, display_name="Imran Akhtar"),
                staff=UserFactory(unit=north, display_name="Priya Shah"),
                colleague=UserFactory(unit=south, display_name="Tom Brennan"))


def content(unit: Unit, **overrides) -> NoteContent:
    values = {"title": "Warm handovers to the bereavement office",
              "summary": "Walk people over instead of giving them a number.", "body_source": BODY,
              "unit_id": unit.id, "tags": ["bereavement", "handover"]}
    return NoteContent(**{**values, **overrides})


def write(author: User, *, submit: bool = True, unit: Unit | None = None, confirm: bool = False, **overrides) -> Note:
    return create_note(author=author, content=content(unit or author.unit, **overrides), submit=submit,
                       confirm_personal_data=confirm)


def pending(a: Area, **overrides) -> Note:
    return write(a.staff, **overrides)


def published(a: Area, **overrides) -> Note:
    note = pending(a, **overrides)
    approve_note(note=note, actor=a.champion)
    return note
