"""Units for the generated route tests (the administrators' unit page loads one by ``unit_id``)."""

from portal.org.models import Unit
from tests.factories import UnitFactory, UserFactory
from tests.route_objects import Owned, builder


@builder(Unit)
def unit() -> Owned:
    """A team inside a directorate, with someone working in it (a unit has no owner: its page is every
    administrator's, and the person in it has no more claim on it than a stranger)."""
    team = UnitFactory(parent=UnitFactory())
    return Owned(team, UserFactory(unit=team))
