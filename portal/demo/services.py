"""Loading the demo organisation through the same services an administrator's actions use (so it is audited)."""

from __future__ import annotations

from portal.auth.models import User
from portal.auth.services import PersonDetails, create_user, find_user_by_email
from portal.common.features import registry
from portal.common.roles import Role
from portal.demo.people import DEMO_ADMIN_EMAIL, DEMO_PASSWORD, ORGANISATIONS, UNITS
from portal.org.services import ensure_unit_path


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
    """Each feature's part of the demo (thank-yous, awards, supporters and their hours, mentoring, de-brief rotas),
    in the order of ``portal.FEATURES`` — mentoring reads the supporter profiles the support demo creates."""
    for load in registry().demo_loaders:
        load(people)
