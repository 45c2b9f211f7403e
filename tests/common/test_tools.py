"""Each role sees the tools the features contributed for it on the home page, and every tool it sees opens."""

import pytest
from flask import url_for

from portal.common.features import registry
from portal.common.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.usefixtures("app_ctx")


def test_every_role_but_staff_has_tools(app):
    assert {tool.role for tool in registry(app).tools} == set(Role) - {Role.STAFF}


@pytest.mark.parametrize("role", [role for role in Role if role != Role.STAFF], ids=str)
def test_a_role_sees_its_tools_and_each_one_opens(app, as_user, role):
    client = as_user(UserFactory(roles=(Role.STAFF, role)))
    home = client.get("/").get_data(as_text=True)
    assert "Your tools" in home
    tools = [tool for tool in registry(app).tools if tool.role == role]
    assert tools
    for tool in tools:
        assert str(tool.label) in home
        with app.test_request_context():
            url = url_for(tool.endpoint)
        response = client.get(url)
        assert response.status_code == 200, tool.endpoint


def test_staff_have_no_tools_section(as_user):
    assert "Your tools" not in as_user(UserFactory()).get("/").get_data(as_text=True)
