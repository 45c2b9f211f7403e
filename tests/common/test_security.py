"""Security headers, cookies, redirects after sign-in, the vendored htmx file, and templates that suit the CSP."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from urllib.parse import quote

import pytest

from portal.config import load_config
from tests.factories import DEFAULT_PASSWORD, UserFactory

PROJECT_ROOT = Path(__file__).resolve().parents[2]
VENDORED = PROJECT_ROOT / "static" / "vendor" / "VENDORED.md"


def csp_directives(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part.strip() for part in policy.split(";") if part.strip()}


# A page, a redirect, an error page, a JSON answer and a static file: every kind of response.
@pytest.mark.parametrize("path", ["/login", "/", "/no-such-page", "/healthz", "/static/vendor/htmx.min.js"])
def test_security_headers_on_every_kind_of_response(client, path):
    response = client.get(path)
    response.close()
    directives = csp_directives(response)
    assert directives["script-src"] == "script-src 'self'"
    assert directives["style-src"] == "style-src 'self'"
    assert directives["frame-ancestors"] == "frame-ancestors 'none'"
    assert directives["object-src"] == "object-src 'none'"
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert "unsafe-eval" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "HX-Request" in response.headers["Vary"]


def test_security_headers_for_signed_in_pages(app_ctx, as_user):
    response = as_user(UserFactory()).get("/")
    assert response.status_code == 200
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert "HX-Request" in response.headers["Vary"]
    assert "Strict-Transport-Security" not in response.headers  # development serves plain HTTP


def test_development_cookies_are_http_only_but_not_secure(client):
    cookie = client.get("/login").headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie


def test_production_configuration_makes_cookies_secure(monkeypatch, tmp_path):
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "a-production-secret")
    monkeypatch.setenv("PUBLIC_URL", "https://frontline.trust.nhs.example")
    monkeypatch.setenv("DATABASE_URL", "postgresql://frontline@db.internal/frontline")
    config = load_config(tmp_path)
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["REMEMBER_COOKIE_SECURE"] is True
    assert config["SESSION_COOKIE_HTTPONLY"] is True


def test_production_app_sends_secure_cookies_and_hsts(monkeypatch, separate_app):
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "a-production-secret")
    monkeypatch.setenv("PUBLIC_URL", "https://frontline.trust.nhs.example")
    monkeypatch.setenv("DATABASE_URL", "postgresql://frontline@db.internal/frontline")  # the test app overrides it
    app = separate_app()
    response = app.test_client().get("/login")
    cookie = response.headers["Set-Cookie"]
    assert "; Secure" in cookie
    assert "HttpOnly" in cookie
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"


@pytest.mark.parametrize("target", ["https://evil.example", "//evil.example", "/\\evil.example",
                                    "javascript:alert(1)", "evil.example", "/\tevil", "\\\\evil.example"])
def test_no_open_redirect_after_sign_in(app_ctx, client, target):
    user = UserFactory()
    response = client.post(f"/login?next={quote(target)}",
                           data={"email": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 303
    assert response.headers["Location"] == "/"


def test_a_local_next_page_is_honoured(app_ctx, client):
    user = UserFactory(admin=True)
    response = client.post("/login?next=/admin/users", data={"email": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 303
    assert response.headers["Location"] == "/admin/users"


def test_the_sign_in_page_is_asked_for_with_the_page_you_wanted(client):
    response = client.get("/admin/users?q=shah")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=/admin/users?q%3Dshah"


def recorded_htmx() -> tuple[str, str]:
    row = next(line for line in VENDORED.read_text().splitlines() if line.startswith("| htmx.min.js |"))
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    return cells[2], cells[3]  # version, sha256


def test_served_htmx_is_the_vendored_release(client):
    version, sha256 = recorded_htmx()
    assert re.fullmatch(r"2\.0\.\d+", version), "stay on htmx 2.0.x"
    response = client.get("/static/vendor/htmx.min.js")
    body = response.get_data()
    response.close()
    assert response.status_code == 200
    assert hashlib.sha256(body).hexdigest() == sha256
    assert f'version:"{version}"'.encode() in body


def templates() -> list[Path]:
    return sorted((PROJECT_ROOT / "templates").rglob("*.html"))


SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
INLINE_HANDLER = re.compile(r"<[^>]*\s(on[a-z]+|hx-on[:\w-]*)\s*=", re.IGNORECASE)


def test_there_are_templates_to_check():
    assert len(templates()) > 5


@pytest.mark.parametrize("path", templates(), ids=lambda p: str(p.relative_to(PROJECT_ROOT / "templates")))
def test_templates_have_no_inline_script_or_style(path):
    text = path.read_text(encoding="utf-8")
    for attributes, body in SCRIPT.findall(text):
        assert "src=" in attributes and not body.strip(), "scripts must be files in static/ (the CSP blocks inline)"
    assert "<style" not in text.lower()
    assert not INLINE_HANDLER.search(text), "event handler attributes and hx-on are inline script"
    if "email" not in path.parts:  # mail is read in mail clients, not under the site's CSP
        assert not re.search(r"\sstyle\s*=", text), "use a class from static/css/portal.css"
