"""Hand-edited URLs and query strings get a page or a 404, never a 500."""

import base64
import json

import pytest

from portal.common.params import parse_id
from tests.factories import UserFactory

pytestmark = pytest.mark.usefixtures("app_ctx")


def cursor(values) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


@pytest.mark.parametrize("bad", [
    cursor([{"dt": "x"}, 1]), cursor([{"dt": 5}, 1]), cursor([{"dt": "2026-01-01T00:00:00"}, 1]),
    cursor(["not a date", "not an id"]), cursor([10**30]), "%%%", "e30",
])
def test_a_tampered_cursor_shows_the_first_page(as_user, bad):
    admin = as_user(UserFactory(admin=True))
    for url in ("/notifications", "/admin/emails", "/admin/users", "/admin/audit"):
        assert admin.get(f"{url}?after={bad}").status_code == 200, url


@pytest.mark.parametrize("value", ["²", "-1", "0", str(10**20), "1e3", " ", "٣"])
def test_odd_ids_are_not_ids(value):
    assert parse_id(value) is None


def test_parse_id_accepts_real_ids():
    assert parse_id("42") == 42 and parse_id(7) == 7


def test_huge_ids_in_urls_are_not_found(as_user):
    client = as_user(UserFactory(admin=True))
    assert client.post("/notifications/99999999999999999999/open").status_code == 404
    assert client.get("/admin/users/99999999999999999999").status_code == 404
    assert client.get("/admin/users?unit=²").status_code == 200
