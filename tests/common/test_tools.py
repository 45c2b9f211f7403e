"""Each role sees its own tools on the home page, and every tool it sees opens for it."""

import pytest
from flask import url_for

from portal.common.roles import Role
from portal.home.tools import TOOLS
from tests.factories import UserFactory

pytestmark = pytest.mark.usefixtures("app_ctx")


@pytest.mark.parametrize("role", [role for role, _ in TOOLS])
def test_a_role_sees_its_tools_and_each_one_opens(app, as_user, role):
    client = as_user(UserFactory(roles=(Role.STAFF, role)))
    home = client.get("/").get_data(as_text=True)
    assert "Your tools" in home
    for tool in dict(TOOLS)[role]:
        assert str(tool.label) in home
        with app.test_request_context():
            url = url_for(tool.endpoint)
        response = client.get(url)
        assert response.status_code == 200, tool.endpoint


def test_staff_have_no_tools_section(as_user):
    assert "Your tools" not in as_user(UserFactory()).get("/").get_data(as_text=True)
