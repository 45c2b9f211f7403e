"""The home page's "Waiting for you": each feature contributes a provider; only items with something waiting show."""

import pytest

from portal.common.features import registry
from portal.home.waiting import WaitingItem
from tests.factories import UserFactory

pytestmark = pytest.mark.usefixtures("app_ctx")


@pytest.fixture
def provider(app):
    def waiting(user):
        return [WaitingItem(label=f"Bookings to confirm for {user.display_name}", count=2, url="/support"),
                WaitingItem(label="Nothing here", count=0, url="/")]

    registry(app).waiting_providers.append(waiting)
    yield
    registry(app).waiting_providers.remove(waiting)


def test_home_lists_what_is_waiting_for_this_person(as_user, provider):
    page = as_user(UserFactory(display_name="Jo Bloggs")).get("/").get_data(as_text=True)
    assert "Bookings to confirm for Jo Bloggs" in page
    assert "Nothing here" not in page
    assert "Nothing is waiting for you." not in page
