"""Configuration: the only module that reads environment variables."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit


class ConfigError(RuntimeError):
    """The environment cannot run Frontline; the message says what to set."""


@dataclass(frozen=True)
class Setting:
    name: str
    default: str | None
    help: str


# The README's configuration table is generated from (and tested against) this list.
SETTINGS: tuple[Setting, ...] = (
    Setting("PORTAL_ENV", "development", "`development` or `production`. Production refuses to start without "
            "`SECRET_KEY` and `DATABASE_URL`, and sets secure cookies."),
    Setting("DATABASE_URL", "sqlite:///instance/frontline.db", "SQLAlchemy URL. PostgreSQL: "
            "`postgresql+psycopg://user@host/db`."),
    Setting("SECRET_KEY", None, "Signs sessions and CSRF tokens. In development one is generated and kept in "
            "`instance/secret_key`."),
    Setting("RATELIMIT_STORAGE_URI", "memory://", "Where rate-limit counters live. Use `redis://host:6379` "
            "when more than one process serves the portal."),
    Setting("PROXY_FIX_X_FOR", None, "Number of reverse proxies in front of Frontline, so client IPs are real."),
    Setting("SMTP_URL", None, "`smtp://user:pass@host:587` (STARTTLS) or `smtps://…:465`. Unset: mail is "
            "written to MAIL_FOLDER."),
    Setting("MAIL_FROM", "Frontline <frontline@localhost>", "The From address of outgoing mail."),
    Setting("MAIL_FOLDER", "instance/mail", "Without SMTP_URL, where outgoing mail is written (one .eml file per "
            "email)."),
    Setting("PUBLIC_URL", "http://127.0.0.1:5000", "The address people open Frontline at; links in emails use it. "
            "Required in production."),
    Setting("WORKER_POLL_SECONDS", "5", "How long an idle worker waits before looking for due mail and jobs again."),
    Setting("WORKER_BATCH_SIZE", "50", "Emails (and jobs) one worker claims at a time."),
    Setting("WORKER_LEASE_SECONDS", "300", "How long a claim lasts; work claimed by a worker that died is retried "
            "after this."),
    Setting("WORKER_MAX_ATTEMPTS", "8", "Attempts before an email or job is given up as dead (admins can retry)."),
    Setting("DEFAULT_DIGEST_HOUR", "8", "Hour (Europe/London) of the daily digest for people who have not chosen."),
    Setting("BELL_POLL_SECONDS", "60", "How often an open page checks for new notifications."),
    Setting("RECOGNITION_EDIT_MINUTES", "5", "How long the author of a thank-you can still edit or undo it."),
    Setting("SUPPORT_MAX_FUTURE_BOOKINGS", "4", "How many upcoming support sessions one person can hold at once."),
    Setting("SUPPORT_REMINDER_HOURS", "24", "How long before a session its reminder goes out."),
    Setting("SUPPORT_OFFER_HOLD_HOURS", "4", "How long a freed group place is held for the next person waiting."),
    Setting("MENTORING_LAPSE_DAYS", "7", "Days a mentor has to answer a request before it lapses and the mentee is "
            "offered others."),
    Setting("PEER_SUPPORT_RETENTION_DAYS", "365", "Days after a de-brief closes, a mentoring ends or a session takes "
            "place before what people wrote in it is erased (HR can change it on the de-brief settings page)."),
    Setting("LEAVER_RETENTION_DAYS", "730", "Days after an administrator deactivates someone before the daily job "
            "removes their personal data (name, email, notifications, their peer-support words); every count stays."),
    Setting("SEARCH_RANKED_MATCHES", "1000", "How many matches of thank-yous and of notes, the latest added, a search "
            "ranks for \"best match first\"; when more match, the page says so (\"newest first\" reaches every "
            "match)."),
    Setting("PORT", "5000", "Port for `make run`."),
    Setting("SQLITE_BUSY_TIMEOUT_MS", "15000", "SQLite only: how long a write waits for another to finish before the "
            "person is asked to try again (503)."),
    Setting("LOGIN_LIMIT_PER_ACCOUNT", "5 per 15 minutes", "Failed sign-ins allowed per email address."),
    Setting("LOGIN_LIMIT_PER_IP", "30 per 15 minutes", "Failed sign-ins allowed per IP address."),
    Setting("HR_API_LIMIT", "120 per minute", "Requests each HR API token may make (read-only recognition API)."),
    Setting("PASSWORD_RESET_LIMIT_PER_ADDRESS", "3 per hour", "Password reset requests allowed per email address."),
    Setting("PASSWORD_RESET_LIMIT_PER_IP", "20 per hour", "Password reset requests allowed per IP address."),
    Setting("PASSWORD_RESET_VALID_MINUTES", "60", "How long a password reset link works (once)."),
    Setting("INVITATION_VALID_DAYS", "7", "How long an invitation link to choose a password works (once)."),
    Setting("LDAP_URL", None, "The directory: `ldaps://dc1.example.org` (several, space-separated, are tried in "
            "turn). Unset: no directory sign-in."),
    Setting("LDAP_STARTTLS", "false", "`true` to upgrade an `ldap://` connection with StartTLS."),
    Setting("LDAP_CA_FILE", None, "PEM file of the CA that signed the directory's certificate (default: the "
            "system's)."),
    Setting("LDAP_ALLOW_PLAINTEXT", "false", "Production refuses `ldap://` without StartTLS unless this is `true`."),
    Setting("LDAP_TIMEOUT_SECONDS", "5", "How long to wait for the directory before saying it is unavailable."),
    Setting("LDAP_BASE_DN", None, "Where people are, e.g. `ou=People,dc=example,dc=org`."),
    Setting("LDAP_BIND_DN", None, "Service account that searches for people (search-then-bind)."),
    Setting("LDAP_BIND_PASSWORD", None, "The service account's password."),
    Setting("LDAP_USER_DN_TEMPLATE", None, "Without a service account: bind as the person, e.g. "
            "`{username}@corp.example.org`."),
    Setting("LDAP_USER_FILTER", "(objectClass=inetOrgPerson)", "Which entries are people who may sign in."),
    Setting("LDAP_LOGIN_ATTRIBUTES", "uid mail", "Attributes matched against what people type as their user name."),
    Setting("LDAP_DISABLED_FILTER", None, "Entries matching this filter are disabled and cannot sign in."),
    Setting("LDAP_ATTRIBUTES", None, "Attribute mapping, e.g. `id=objectGUID staff_number=employeeID`."),
    Setting("LDAP_GROUP_ROLES", None, "Directory groups mapped to roles: `admin=cn=…; champion=cn=…`."),
    Setting("LDAP_DEFAULT_UNIT", "Everyone", "The unit people without a department are put in."),
    Setting("LOCAL_SIGN_IN", "everyone", "With a directory: who may still sign in with a password kept by Frontline "
            "(`everyone` or `administrators`)."),
    Setting("TRUSTED_HEADER", None, "Single sign-on: the header a reverse proxy sets to the signed-in person, e.g. "
            "`X-Remote-User`. Off when unset."),
    Setting("TRUSTED_PROXIES", None, "With TRUSTED_HEADER: the proxies' addresses or networks; the header is "
            "ignored (and audited) from anyone else."),
)

# Sign-in settings passed through as text; portal/auth/directory_settings.py checks them when the app starts.
_SIGN_IN_SETTINGS = (
    "LDAP_URL", "LDAP_STARTTLS", "LDAP_CA_FILE", "LDAP_ALLOW_PLAINTEXT", "LDAP_TIMEOUT_SECONDS", "LDAP_BASE_DN",
    "LDAP_BIND_DN", "LDAP_BIND_PASSWORD", "LDAP_USER_DN_TEMPLATE", "LDAP_USER_FILTER", "LDAP_LOGIN_ATTRIBUTES",
    "LDAP_DISABLED_FILTER", "LDAP_ATTRIBUTES", "LDAP_GROUP_ROLES", "LDAP_DEFAULT_UNIT", "LOCAL_SIGN_IN",
    "TRUSTED_HEADER", "TRUSTED_PROXIES",
)


def _env(name: str) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else None


def _int_env(name: str, default: int, *, low: int = 0, high: int = 10**9) -> int:
    raw = _env(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}.") from None
    if not low <= value <= high:
        raise ConfigError(f"{name} must be between {low} and {high}, not {value}.")
    return value


def _smtp_url(raw: str | None) -> str | None:
    if raw is not None and urlsplit(raw).scheme not in ("smtp", "smtps"):
        raise ConfigError("SMTP_URL must start with smtp:// or smtps://.")
    return raw


def _instance_secret_key(instance_path: Path) -> str:
    """Development only: keep one generated key so sessions survive restarts."""
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def _database_url(raw: str | None, instance_path: Path) -> str:
    if raw is None:
        return f"sqlite:///{instance_path / 'frontline.db'}"
    if raw.startswith("postgres://"):
        raw = "postgresql+psycopg://" + raw.removeprefix("postgres://")
    elif raw.startswith("postgresql://"):
        raw = "postgresql+psycopg://" + raw.removeprefix("postgresql://")
    return raw


def load_config(instance_path: Path) -> dict[str, object]:
    """Build the Flask config from the environment. Raises ConfigError when production is misconfigured."""
    portal_env = _env("PORTAL_ENV") or "development"
    if portal_env not in ("development", "production"):
        raise ConfigError(f"PORTAL_ENV must be 'development' or 'production', not {portal_env!r}.")
    production = portal_env == "production"
    public_url = _env("PUBLIC_URL") or f"http://127.0.0.1:{_env('PORT') or '5000'}"
    secret_key = _env("SECRET_KEY")
    database_url = _env("DATABASE_URL")
    if production:
        required = (("SECRET_KEY", secret_key), ("DATABASE_URL", database_url), ("PUBLIC_URL", _env("PUBLIC_URL")))
        missing = [name for name, value in required if value is None]
        if missing:
            raise ConfigError(f"PORTAL_ENV=production needs {' and '.join(missing)} set; Frontline will not start "
                              "without it (PUBLIC_URL is the address people open Frontline at, used in emails).")
    return {
        "PORTAL_ENV": portal_env,
        "SECRET_KEY": secret_key or _instance_secret_key(instance_path),
        "SQLALCHEMY_DATABASE_URI": _database_url(database_url, instance_path),
        # A connection the database dropped (a restart, a failover) is noticed and replaced before it is used, so
        # Frontline recovers by itself once the database is back.
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "SQLITE_BUSY_TIMEOUT_MS": _int_env("SQLITE_BUSY_TIMEOUT_MS", 15_000, low=100, high=120_000),
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_SECURE": production,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "RATELIMIT_STORAGE_URI": _env("RATELIMIT_STORAGE_URI") or "memory://",
        "LOGIN_LIMIT_PER_ACCOUNT": _env("LOGIN_LIMIT_PER_ACCOUNT") or "5 per 15 minutes",
        "LOGIN_LIMIT_PER_IP": _env("LOGIN_LIMIT_PER_IP") or "30 per 15 minutes",
        "HR_API_LIMIT": _env("HR_API_LIMIT") or "120 per minute",
        "PASSWORD_RESET_LIMIT_PER_ADDRESS": _env("PASSWORD_RESET_LIMIT_PER_ADDRESS") or "3 per hour",
        "PASSWORD_RESET_LIMIT_PER_IP": _env("PASSWORD_RESET_LIMIT_PER_IP") or "20 per hour",
        "PASSWORD_RESET_VALID_MINUTES": _int_env("PASSWORD_RESET_VALID_MINUTES", 60, low=5, high=24 * 60),
        "INVITATION_VALID_DAYS": _int_env("INVITATION_VALID_DAYS", 7, low=1, high=90),
        **{name: _env(name) for name in _SIGN_IN_SETTINGS},
        "PROXY_FIX_X_FOR": _env("PROXY_FIX_X_FOR"),
        "SMTP_URL": _smtp_url(_env("SMTP_URL")),
        "MAIL_FROM": _env("MAIL_FROM") or "Frontline <frontline@localhost>",
        "MAIL_FOLDER": _env("MAIL_FOLDER") or str(instance_path / "mail"),
        "PUBLIC_URL": public_url,
        "MAIL_MESSAGE_ID_DOMAIN": urlsplit(public_url).hostname or "frontline.local",
        "WORKER_POLL_SECONDS": _int_env("WORKER_POLL_SECONDS", 5, low=1, high=3600),
        "WORKER_BATCH_SIZE": _int_env("WORKER_BATCH_SIZE", 50, low=1, high=1000),
        "WORKER_LEASE_SECONDS": _int_env("WORKER_LEASE_SECONDS", 300, low=2, high=86400),
        "WORKER_MAX_ATTEMPTS": _int_env("WORKER_MAX_ATTEMPTS", 8, low=1, high=100),
        "DEFAULT_DIGEST_HOUR": _int_env("DEFAULT_DIGEST_HOUR", 8, low=0, high=23),
        "BELL_POLL_SECONDS": _int_env("BELL_POLL_SECONDS", 60, low=1, high=3600),
        "RECOGNITION_EDIT_MINUTES": _int_env("RECOGNITION_EDIT_MINUTES", 5, low=0, high=1440),
        "SUPPORT_MAX_FUTURE_BOOKINGS": _int_env("SUPPORT_MAX_FUTURE_BOOKINGS", 4, low=1, high=100),
        "SEARCH_RANKED_MATCHES": _int_env("SEARCH_RANKED_MATCHES", 1000, low=1, high=1_000_000),
        "SUPPORT_REMINDER_HOURS": _int_env("SUPPORT_REMINDER_HOURS", 24, low=1, high=24 * 14),
        "SUPPORT_OFFER_HOLD_HOURS": _int_env("SUPPORT_OFFER_HOLD_HOURS", 4, low=1, high=24 * 7),
        "MENTORING_LAPSE_DAYS": _int_env("MENTORING_LAPSE_DAYS", 7, low=1, high=90),
        "PEER_SUPPORT_RETENTION_DAYS": _int_env("PEER_SUPPORT_RETENTION_DAYS", 365, low=1, high=3650),
        "LEAVER_RETENTION_DAYS": _int_env("LEAVER_RETENTION_DAYS", 730, low=1, high=36500),
        # The CSRF token lives as long as the session: a long nomination must not expire under the author.
        "WTF_CSRF_TIME_LIMIT": None,
        "MAX_CONTENT_LENGTH": 5 * 1024 * 1024,
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_DEFAULT_TIMEZONE": "Europe/London",
        "LANGUAGES": {"en": "English", "cy": "Cymraeg"},
        "ARGON2_PARAMS": {},
        "PAGE_SIZE": 25,
    }
