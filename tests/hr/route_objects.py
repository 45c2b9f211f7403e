"""HR objects for the generated route tests."""

from portal.hr.models import ApiToken, Scope
from portal.hr.services import create_token
from tests.factories import UserFactory
from tests.route_objects import Owned, builder


@builder(ApiToken)
def api_token() -> Owned:
    """A live token made by an HR person (any HR person may revoke it)."""
    maker = UserFactory(hr=True)
    token, _secret = create_token(actor=maker, name="Payroll", scopes={Scope.READ}, days=30)
    return Owned(token, maker)
