"""Every endpoint declares who may reach it, and the declaration is what actually happens.

Built from ``app.url_map``, so a new route is covered the moment it is registered.
"""

from __future__ import annotations

import logging

import pytest
from flask import Blueprint

from portal.common.access import access_for
from portal.common.roles import Role
from tests.factories import UserFactory

SINGLE_ROLES = [Role.STAFF, Role.SUPPORTER, Role.CHAMPION, Role.PANEL, Role.HR, Role.ADMIN]


def plain_get_rules(app):
    """(endpoint, path, access) for every rule that takes no URL arguments and answers GET."""
    with app.app_context():
        return sorted(
            (rule.endpoint, rule.rule, access_for(rule.endpoint))
            for rule in app.url_map.iter_rules()
            if "GET" in rule.methods and "<" not in rule.rule
        )


def is_login_redirect(response) -> bool:
    return response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_every_endpoint_declares_access(app):
    with app.app_context():
        undeclared = sorted(rule.endpoint for rule in app.url_map.iter_rules() if access_for(rule.endpoint) is None)
    assert undeclared == [], ("add @public, @signed_in, @role_required(...), @password_change_allowed or "
                              f"@api_token_required to {undeclared}")


def test_the_matrix_covers_every_kind_of_declaration(app):
    """Guards the matrix below against silently testing nothing."""
    kinds = {("roles" if access.roles else "signed_in" if access.signed_in else "public")
             for _, _, access in plain_get_rules(app)}
    assert kinds == {"public", "signed_in", "roles"}


def test_anonymous_visitors(app, client):
    wrong = []
    for endpoint, path, access in plain_get_rules(app):
        response = client.get(path)
        if access.api_token:  # an API for other systems: without a token, 401
            if response.status_code != 401:
                wrong.append((endpoint, response.status_code, "expected 401 without a token"))
            continue
        if access.signed_in and not is_login_redirect(response):
            wrong.append((endpoint, response.status_code, "expected a redirect to /login"))
        if not access.signed_in and (response.status_code in (401, 403) or response.status_code >= 500):
            wrong.append((endpoint, response.status_code, "public page refused"))
    assert wrong == []


@pytest.mark.parametrize("role", SINGLE_ROLES, ids=str)
def test_people_holding_one_role(app, app_ctx, as_user, role):
    client = as_user(UserFactory(roles=(role,)))
    wrong = []
    for endpoint, path, access in plain_get_rules(app):
        response = client.get(path)
        if access.api_token:  # a session is no token
            allowed = response.status_code == 401
        elif not access.signed_in:
            allowed = response.status_code not in (401, 403) and response.status_code < 500
        elif access.roles and role not in access.roles:
            allowed = response.status_code == 403
        else:
            # A page may send its own people elsewhere (an index to its first tab), never back to sign in.
            allowed = response.status_code == 200 or (response.status_code in (302, 303)
                                                      and not is_login_redirect(response))
        if not allowed:
            wrong.append((endpoint, response.status_code))
    assert wrong == []


def test_admin_pages_are_refused_to_everyone_else(app_ctx, as_user):
    """A concrete instance of the matrix, readable on its own."""
    assert as_user(UserFactory(roles=(Role.STAFF, Role.HR, Role.CHAMPION))).get("/admin/users").status_code == 403
    assert as_user(UserFactory(admin=True)).get("/admin/users").status_code == 200


class KeepRecords(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def test_an_endpoint_without_a_declaration_is_refused(separate_app):
    app = separate_app()
    forgotten = Blueprint("forgotten", __name__)

    @forgotten.route("/forgotten")
    def page():
        return "this should never be shown"

    app.register_blueprint(forgotten)
    records = KeepRecords()
    app.logger.addHandler(records)
    try:
        response = app.test_client().get("/forgotten")
    finally:
        app.logger.removeHandler(records)
    assert response.status_code == 403
    assert "this should never be shown" not in response.get_data(as_text=True)
    assert records.messages == ["endpoint forgotten.page declares no access; refusing"]
