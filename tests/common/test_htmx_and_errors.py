"""Error pages for full pages and htmx, the language switch, and times shown in London."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask import Blueprint, render_template_string
from sqlalchemy import select

from portal.auth.models import User
from portal.common.access import public
from portal.common.htmx import redirect_after_post
from portal.extensions import db
from tests.factories import UserFactory

HTMX = {"HX-Request": "true"}


def assert_full_page(response, status: int, title: str) -> None:
    html = response.get_data(as_text=True)
    assert response.status_code == status
    assert "<html" in html
    assert f"<h1>{title}</h1>" in html
    assert "HX-Retarget" not in response.headers


def assert_htmx_message(response, status: int, title: str) -> None:
    html = response.get_data(as_text=True)
    assert response.status_code == status
    assert "<html" not in html
    assert "<h1" not in html  # a message in the live region, not a page
    assert title in html
    assert response.headers["HX-Retarget"] == "#messages"
    assert response.headers["HX-Reswap"] == "innerHTML"


def test_not_found(client):
    assert_full_page(client.get("/no-such-page"), 404, "Page not found")
    assert_htmx_message(client.get("/no-such-page", headers=HTMX), 404, "Page not found")


def test_history_restore_gets_the_whole_page(client):
    response = client.get("/no-such-page", headers={**HTMX, "HX-History-Restore-Request": "true"})
    assert_full_page(response, 404, "Page not found")


def test_forbidden(app_ctx, as_user):
    client = as_user(UserFactory())
    assert_full_page(client.get("/admin/users"), 403, "You do not have access to this page")
    assert_htmx_message(client.get("/admin/users", headers=HTMX), 403, "You do not have access to this page")


def test_method_not_allowed(client):
    assert_full_page(client.get("/logout"), 405, "That action is not available here")
    assert_htmx_message(client.get("/logout", headers=HTMX), 405, "That action is not available here")


def test_too_many_attempts_page(client):
    for _ in range(6):
        response = client.post("/login", data={"email": "someone@example.nhs.uk", "password": "guess-guess-guess"})
    assert_full_page(response, 429, "Too many attempts")


@pytest.fixture
def app_with_a_broken_page(separate_app):
    app = separate_app()
    broken = Blueprint("broken", __name__)

    @broken.route("/broken")
    @public
    def page():
        raise RuntimeError("a bug")

    app.register_blueprint(broken)
    return app


def test_unexpected_error(app_with_a_broken_page):
    client = app_with_a_broken_page.test_client()
    response = client.get("/broken")
    assert_full_page(response, 500, "Sorry, something went wrong on our side")
    assert "a bug" not in response.get_data(as_text=True)
    assert_htmx_message(client.get("/broken", headers=HTMX), 500, "Sorry, something went wrong on our side")


def test_anonymous_htmx_request_is_sent_to_sign_in_with_hx_redirect(client):
    response = client.get("/", headers=HTMX)
    assert response.status_code == 200
    assert response.headers["HX-Redirect"] == "/login"


def test_after_signing_in_again_an_htmx_poll_returns_to_the_page_not_the_fragment(client):
    headers = {**HTMX, "HX-Current-URL": "http://localhost/notifications?after=abc"}
    response = client.get("/notifications/bell", headers=headers)
    assert response.headers["HX-Redirect"] == "/login?next=/notifications?after%3Dabc"
    headers["HX-Current-URL"] = "https://evil.example/steal"
    assert client.get("/notifications/bell", headers=headers).headers["HX-Redirect"] == "/login?next=/steal"


def test_redirect_after_post(app):
    with app.test_request_context("/", method="POST"):
        response = redirect_after_post("/done")
        assert (response.status_code, response.headers["Location"]) == (303, "/done")
    with app.test_request_context("/", method="POST", headers=HTMX):
        response = redirect_after_post("/done")
        assert (response.status_code, response.headers["HX-Location"]) == (200, "/done")
        assert "Location" not in response.headers


def test_language_switch_for_a_visitor(client):
    assert '<html lang="en-GB">' in client.get("/login").get_data(as_text=True)
    response = client.post("/language", data={"locale": "cy", "next": "/login"})
    assert response.status_code == 303
    assert response.headers["Location"] == "/login"
    assert '<html lang="cy">' in client.get("/login").get_data(as_text=True)


def test_language_switch_is_remembered_for_a_signed_in_person(app_ctx, as_user):
    user = UserFactory()
    client = as_user(user)
    client.post("/language", data={"locale": "cy", "next": "https://evil.example/"})
    db.session.expire_all()
    assert db.session.scalar(select(User.locale).where(User.id == user.id)) == "cy"
    assert '<html lang="cy">' in client.get("/").get_data(as_text=True)


def test_an_unknown_language_is_ignored(client):
    client.post("/language", data={"locale": "xx"})
    assert '<html lang="en-GB">' in client.get("/login").get_data(as_text=True)


def test_the_browser_language_is_used_before_any_choice(client):
    html = client.get("/login", headers={"Accept-Language": "cy-GB,cy;q=0.9,en;q=0.5"}).get_data(as_text=True)
    assert '<html lang="cy">' in html


@pytest.mark.parametrize(("stored", "shown"), [
    (datetime(2025, 7, 1, 12, 30, tzinfo=UTC), "Tue 1 Jul 2025, 13:30"),  # British Summer Time: UTC+1
    (datetime(2025, 12, 2, 12, 30, tzinfo=UTC), "Tue 2 Dec 2025, 12:30"),  # winter: UTC
    (datetime(2025, 10, 26, 0, 59, tzinfo=UTC), "Sun 26 Oct 2025, 01:59"),  # the last minute of BST
    (datetime(2025, 10, 26, 1, 0, tzinfo=UTC), "Sun 26 Oct 2025, 01:00"),  # clocks went back
])
def test_times_are_shown_in_london(app, stored, shown):
    with app.test_request_context("/"):
        assert render_template_string("{{ stored|when }}", stored=stored) == shown


def test_this_years_times_leave_out_the_year(app):
    stored = datetime(datetime.now(UTC).year, 7, 1, 12, 0, tzinfo=UTC)
    with app.test_request_context("/"):
        shown = render_template_string("{{ stored|when }}", stored=stored)
    assert shown.endswith(" 1 Jul, 13:00")
    assert str(stored.year) not in shown
