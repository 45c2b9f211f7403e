"""Award objects for the generated route tests."""

from portal.awards.models import AwardScheme, Nomination
from portal.awards.services import cosign_nomination, endorse_nomination
from tests.awards.factories import make_scheme, nominate, panel_member
from tests.factories import UserFactory
from tests.route_objects import Owned, builder


@builder(Nomination)
def nomination() -> Owned:
    """A co-signed nomination the line manager endorsed, now with the (blind) panel: the nominator owns it; the
    nominee, the endorsing manager, the co-signer and a panel member each have a claim on it."""
    member, manager, cosigner = panel_member(), UserFactory(), UserFactory()
    item = nominate(make_scheme(panel=[member], endorsement=True), nominee=UserFactory(manager=manager))
    cosign_nomination(nomination=item, actor=cosigner, comment="Calm and kind with every caller.")
    endorse_nomination(nomination=item, actor=manager, endorse=True, reason="Richly deserved.")
    return Owned(item, item.nominator, others=[item.nominee, manager, cosigner, member])


@builder(AwardScheme)
def award_scheme() -> Owned:
    """An open scheme: its panel member owns the panel page; HR manages it; anyone may nominate."""
    member = panel_member()
    return Owned(make_scheme(panel=[member]), member, others=[UserFactory(hr=True)])
