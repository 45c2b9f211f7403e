"""Mentoring test data: mentors are supporters whose supporter profile offers mentoring."""

from __future__ import annotations

from portal.auth.models import User
from portal.extensions import db
from portal.support.models import SupporterProfile
from tests.factories import UserFactory

GOALS = "I freeze when callers shout about their mother's care and want to feel steadier"
AGREED = "Practise de-escalation phrases; reflect on two calls a month"
CHECK = "First session helped; we role-played the opening of a hard call"


def mentor(*, capacity: int = 2, experience: str = "Bereavement calls, complaints", accepting: bool = True,
           **kwargs) -> User:
    person = UserFactory(supporter=True, **kwargs)
    db.session.add(SupporterProfile(user_id=person.id, kinds=["mentoring"], about="Ten years in PALS.",
                                    experience=experience, mentee_capacity=capacity, is_accepting=accepting))
    db.session.flush()
    return person
