"""Every POST needs a CSRF token, and a refused POST keeps what the person typed."""

from __future__ import annotations

from flask import url_for

from tests.factories import UserFactory

HTMX = {"HX-Request": "true"}


def post_urls(app) -> list[tuple[str, str]]:
    """(endpoint, url) for every rule that accepts POST, with any URL arguments filled in with 1."""
    with app.test_request_context():
        return sorted(
            (rule.endpoint, url_for(rule.endpoint, **dict.fromkeys(rule.arguments, 1)))
            for rule in app.url_map.iter_rules()
            if "POST" in rule.methods
        )


def test_there_are_post_routes_to_check(app):
    endpoints = {endpoint for endpoint, _ in post_urls(app)}
    assert {"auth.login", "auth.logout", "auth.change_password", "auth.choose_language"} <= endpoints


def test_every_post_without_a_token_is_refused(app, app_ctx, as_user):
    client = as_user(UserFactory(admin=True))
    accepted = []
    for endpoint, url in post_urls(app):
        response = client.post(url, data={"anything": "x"}, csrf=False)
        if response.status_code != 400 or "Your page had expired" not in response.get_data(as_text=True):
            accepted.append((endpoint, url, response.status_code))
    assert accepted == []


def test_a_wrong_token_is_refused_too(client):
    response = client.post("/login", data={"email": "a@example.nhs.uk", "password": "x", "csrf_token": "forged"},
                           csrf=False)
    assert response.status_code == 400


def test_the_same_post_with_a_token_goes_through(app_ctx, as_user):
    response = as_user(UserFactory()).post("/language", data={"locale": "cy"})
    assert response.status_code == 303


def test_htmx_post_without_a_token_shows_the_message_in_the_live_region(client):
    response = client.post("/language", data={"locale": "cy"}, headers=HTMX, csrf=False)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert response.headers["HX-Retarget"] == "#messages"
    assert "<html" not in html
    assert "Your page had expired" in html
    assert "What you typed is still on the page" in html


def test_expired_page_shows_what_was_typed_but_never_the_password(client):
    response = client.post("/login", data={"email": "aisha.rahman@example.nhs.uk",
                                           "password": "my secret sentence"}, csrf=False)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "<html" in html
    assert "What you typed is below" in html
    assert "aisha.rahman@example.nhs.uk" in html
    assert "my secret sentence" not in html


def test_expired_change_password_page_keeps_no_passwords(app_ctx, as_user):
    response = as_user(UserFactory()).post("/account/password", csrf=False, data={
        "current_password": "old words here", "new_password": "new words here", "confirm_password": "new words here"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "words here" not in html
    assert "Go back, reload the page and try again." in html
