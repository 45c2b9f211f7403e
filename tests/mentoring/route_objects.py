"""Mentoring objects for the generated route tests."""

from portal.mentoring.models import Mentoring
from portal.mentoring.queries import mentor_profile
from portal.mentoring.services import accept_request, request_mentor
from portal.support.models import SupporterProfile
from tests.factories import UserFactory
from tests.mentoring.factories import GOALS, mentor
from tests.route_objects import Owned, builder


@builder(SupporterProfile)
def mentor_offering_mentoring() -> Owned:
    """A mentor's supporter profile (the ask page loads it by the mentor's id): the mentor owns it, and is the one
    person who may not ask them (``can_ask``: never yourself)."""
    person = mentor()
    return Owned(mentor_profile(person.id), person)


@builder(Mentoring)
def accepted_mentoring() -> Owned:
    """An accepted request: the mentee owns it, the mentor is the other person with a claim on it."""
    person = mentor()
    mentoring = request_mentor(mentee=UserFactory(), mentor=person, goals=GOALS)
    accept_request(mentoring=mentoring, mentor=person)
    return Owned(mentoring, mentoring.mentee, others=[person], confidential=True)
