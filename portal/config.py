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
            "written to the log."),
    Setting("MAIL_FROM", "Frontline <frontline@localhost>", "The From address of outgoing mail."),
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
    Setting("PORT", "5000", "Port for `make run`."),
    Setting("LOGIN_LIMIT_PER_ACCOUNT", "5 per 15 minutes", "Failed sign-ins allowed per email address."),
    Setting("LOGIN_LIMIT_PER_IP", "30 per 15 minutes", "Failed sign-ins allowed per IP address."),
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
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_SECURE": production,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "RATELIMIT_STORAGE_URI": _env("RATELIMIT_STORAGE_URI") or "memory://",
        "LOGIN_LIMIT_PER_ACCOUNT": _env("LOGIN_LIMIT_PER_ACCOUNT") or "5 per 15 minutes",
        "LOGIN_LIMIT_PER_IP": _env("LOGIN_LIMIT_PER_IP") or "30 per 15 minutes",
        "PROXY_FIX_X_FOR": _env("PROXY_FIX_X_FOR"),
        "SMTP_URL": _smtp_url(_env("SMTP_URL")),
        "MAIL_FROM": _env("MAIL_FROM") or "Frontline <frontline@localhost>",
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
        "SUPPORT_REMINDER_HOURS": _int_env("SUPPORT_REMINDER_HOURS", 24, low=1, high=24 * 14),
        "SUPPORT_OFFER_HOLD_HOURS": _int_env("SUPPORT_OFFER_HOLD_HOURS", 4, low=1, high=24 * 7),
        "MENTORING_LAPSE_DAYS": _int_env("MENTORING_LAPSE_DAYS", 7, low=1, high=90),
        # The CSRF token lives as long as the session: a long nomination must not expire under the author.
        "WTF_CSRF_TIME_LIMIT": None,
        "MAX_CONTENT_LENGTH": 5 * 1024 * 1024,
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_DEFAULT_TIMEZONE": "Europe/London",
        "LANGUAGES": {"en": "English", "cy": "Cymraeg"},
        "ARGON2_PARAMS": {},
        "PAGE_SIZE": 25,
    }
