"""De-brief test data: a small unit tree with duty supporters, and requests made through the service."""

from __future__ import annotations

from dataclasses import dataclass

from portal.auth.models import User
from portal.debriefs.models import ContactMethod, DebriefRequest, DutySupporter, UnitLead, Urgency
from portal.debriefs.services import create_request
from portal.extensions import db
from portal.org.models import Unit
from tests.factories import UnitFactory, UserFactory

NOTE = "The caller said he had pills in front of him and I could hear his daughter crying"
CONTACT = "07700 900123 after 4pm"
SESSION_NOTE = "Talked through the call; she slept badly; agreed to check in Thursday"


@dataclass
class Tree:
    trust: Unit
    pals: Unit
    north: Unit


def tree() -> Tree:
    trust = UnitFactory(name="Riverside NHS Trust")
    pals = UnitFactory(name="PALS", parent=trust)
    north = UnitFactory(name="North team", parent=pals)
    return Tree(trust=trust, pals=pals, north=north)


def on_duty(duty_unit: Unit, **kwargs) -> User:
    person = UserFactory(supporter=True, **kwargs)
    db.session.add(DutySupporter(unit_id=duty_unit.id, user_id=person.id))
    db.session.flush()
    return person


def lead_of(unit: Unit, **kwargs) -> User:
    person = UserFactory(**kwargs)
    db.session.add(UnitLead(unit_id=unit.id, user_id=person.id))
    db.session.flush()
    return person


def ask(requester: User, *, urgency: Urgency = Urgency.THIS_SHIFT, note: str = NOTE, kind: str | None = "bereavement",
        now=None) -> DebriefRequest:
    return create_request(requester=requester, urgency=urgency, kind=kind, note=note,
                          contact_method=ContactMethod.PHONE, contact_detail=CONTACT, now=now)
