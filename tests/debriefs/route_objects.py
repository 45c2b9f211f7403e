"""De-brief objects for the generated route tests."""

from sqlalchemy import select

from portal.debriefs.models import DebriefRequest, DutySupporter
from portal.debriefs.services import claim_request
from portal.extensions import db
from tests.debriefs.factories import ask, on_duty, tree
from tests.factories import UserFactory
from tests.route_objects import Owned, builder


@builder(DebriefRequest)
def debrief_request() -> Owned:
    """A request claimed by its duty supporter: the requester owns it, the supporter looks after it."""
    t = tree()
    supporter = on_duty(t.north)
    request = ask(UserFactory(unit=t.north))
    claim_request(request=request, supporter=supporter)
    return Owned(request, request.requester, others=[supporter], confidential=True)


@builder(DutySupporter)
def duty_supporter() -> Owned:
    person = on_duty(tree().north)
    return Owned(db.session.scalar(select(DutySupporter).where(DutySupporter.user_id == person.id)), person)
