"""Loading the demo organisation through the same services an administrator's actions use (so it is audited)."""

from __future__ import annotations

from portal.auth.models import User
from portal.auth.services import PersonDetails, create_user, find_user_by_email
from portal.awards.demo import load_demo as load_awards
from portal.common.roles import Role
from portal.debriefs.demo import load_demo as load_debriefs
from portal.demo.people import DEMO_ADMIN_EMAIL, DEMO_PASSWORD, ORGANISATIONS, UNITS
from portal.mentoring.demo import load_demo as load_mentoring
from portal.org.services import ensure_unit_path
from portal.recognition.demo import load_demo as load_recognition
from portal.support.demo import load_demo as load_support


def demo_is_loaded() -> bool:
    return find_user_by_email(DEMO_ADMIN_EMAIL) is not None


def load_demo_organisation() -> dict[str, User]:
    """Create the demo units and people in the caller's transaction; returns the people by email.

    Call it only when ``demo_is_loaded()`` is false: it raises Conflict for an email that is already taken.
    """
    units = {key: ensure_unit_path(path) for key, path in UNITS.items()}
    people: dict[str, User] = {}
    for domain, persons in ORGANISATIONS:
        for person in persons:
            details = PersonDetails(
                email=f"{person.key}@{domain}",
                display_name=person.name,
                unit=units[person.unit],
                job_title=person.job_title,
                staff_number=person.staff_number,
                manager=people[f"{person.manager}@{domain}"] if person.manager else None,
                roles=[Role.STAFF, *(Role(name) for name in person.roles.split())],
            )
            user = create_user(details=details, password=DEMO_PASSWORD, actor=None)
            people[user.email] = user
    return people


def load_feature_demos(people: dict[str, User]) -> None:
    """Thank-yous, awards, supporters and their hours, de-brief rotas and a mentoring pair, for the demo people.

    Order matters: mentoring reads the supporter profiles the booking demo creates.
    """
    for load in (load_recognition, load_awards, load_support, load_debriefs, load_mentoring):
        load(people)
