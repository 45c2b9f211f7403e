"""A Cymraeg catalogue is in place: choosing Welsh changes the words, not just the lang attribute."""

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.usefixtures("app_ctx")


def test_the_navigation_and_home_actions_in_welsh(as_user):
    client = as_user(UserFactory(display_name="Ceri Jones"))
    client.post("/language", data={"locale": "cy", "next": "/"})
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="cy">' in page
    for welsh in ("Hafan", "Diolch", "Cymorth", "Dweud diolch", "Rwyf wedi cael cyswllt anodd", "Helo, Ceri"):
        assert welsh in page, welsh
    client.post("/language", data={"locale": "en", "next": "/"})
    assert "Say thank you" in client.get("/").get_data(as_text=True)
