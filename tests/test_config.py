"""Configuration comes from the environment; production refuses to start half-configured."""

from __future__ import annotations

import stat

import pytest

from portal.config import SETTINGS, ConfigError, load_config


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    for setting in SETTINGS:
        monkeypatch.delenv(setting.name, raising=False)


@pytest.mark.parametrize(("present", "missing"), [
    ({"DATABASE_URL": "postgresql://frontline@db/frontline"}, ["SECRET_KEY"]),
    ({"SECRET_KEY": "a-production-secret"}, ["DATABASE_URL"]),
    ({}, ["SECRET_KEY", "DATABASE_URL"]),
    ({"SECRET_KEY": "", "DATABASE_URL": ""}, ["SECRET_KEY", "DATABASE_URL"]),  # empty counts as unset
])
def test_production_needs_a_secret_key_and_a_database(monkeypatch, tmp_path, present, missing):
    monkeypatch.setenv("PORTAL_ENV", "production")
    for name, value in present.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as raised:
        load_config(tmp_path)
    for name in missing:
        assert name in str(raised.value)
    for name in {"SECRET_KEY", "DATABASE_URL"} - set(missing):
        assert name not in str(raised.value)
    assert not (tmp_path / "secret_key").exists()  # production never invents a key


def test_production(monkeypatch, tmp_path):
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "a-production-secret")
    monkeypatch.setenv("PUBLIC_URL", "https://frontline.trust.nhs.example")
    monkeypatch.setenv("DATABASE_URL", "postgres://frontline@db.internal/frontline")
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "redis://cache.internal:6379")
    config = load_config(tmp_path)
    assert config["SECRET_KEY"] == "a-production-secret"
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://frontline@db.internal/frontline"
    assert config["RATELIMIT_STORAGE_URI"] == "redis://cache.internal:6379"
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["REMEMBER_COOKIE_SECURE"] is True


def test_production_needs_the_public_address_for_links_in_emails(monkeypatch, tmp_path):
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "a-production-secret")
    monkeypatch.setenv("DATABASE_URL", "postgresql://frontline@db/frontline")
    with pytest.raises(ConfigError, match="needs PUBLIC_URL set"):
        load_config(tmp_path)
    monkeypatch.setenv("PUBLIC_URL", "https://frontline.trust.nhs.example")
    assert load_config(tmp_path)["MAIL_MESSAGE_ID_DOMAIN"] == "frontline.trust.nhs.example"


@pytest.mark.parametrize(("name", "value", "message"), [
    ("DEFAULT_DIGEST_HOUR", "24", "between 0 and 23"),
    ("WORKER_BATCH_SIZE", "0", "between 1 and 1000"),
    ("WORKER_POLL_SECONDS", "soon", "whole number"),
    ("SMTP_URL", "http://relay.example", "smtp:// or smtps://"),
])
def test_bad_settings_are_refused_at_start(monkeypatch, tmp_path, name, value, message):
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=message):
        load_config(tmp_path)


def test_an_unknown_environment_is_refused(monkeypatch, tmp_path):
    monkeypatch.setenv("PORTAL_ENV", "staging")
    with pytest.raises(ConfigError, match="PORTAL_ENV must be 'development' or 'production'"):
        load_config(tmp_path)


def test_development_generates_a_key_once_and_keeps_it(tmp_path):
    instance = tmp_path / "instance"
    first = load_config(instance)
    key_file = instance / "secret_key"
    assert key_file.read_text() == first["SECRET_KEY"]
    assert len(first["SECRET_KEY"]) == 64
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert load_config(instance)["SECRET_KEY"] == first["SECRET_KEY"]
    assert load_config(tmp_path / "another-instance")["SECRET_KEY"] != first["SECRET_KEY"]


def test_development_defaults(tmp_path):
    config = load_config(tmp_path)
    assert config["PORTAL_ENV"] == "development"
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'frontline.db'}"
    assert config["SESSION_COOKIE_SECURE"] is False
    assert config["SESSION_COOKIE_HTTPONLY"] is True
    assert config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert config["RATELIMIT_STORAGE_URI"] == "memory://"
    assert config["LOGIN_LIMIT_PER_ACCOUNT"] == "5 per 15 minutes"
    assert config["LOGIN_LIMIT_PER_IP"] == "30 per 15 minutes"
    assert config["BABEL_DEFAULT_TIMEZONE"] == "Europe/London"
    assert config["WTF_CSRF_TIME_LIMIT"] is None


def test_a_secret_key_from_the_environment_wins_in_development(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    assert load_config(tmp_path)["SECRET_KEY"] == "from-the-environment"
    assert not (tmp_path / "secret_key").exists()


@pytest.mark.parametrize(("given", "used"), [
    ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
    ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
    ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
    ("sqlite:////srv/frontline.db", "sqlite:////srv/frontline.db"),
])
def test_database_urls_use_psycopg_3(monkeypatch, tmp_path, given, used):
    monkeypatch.setenv("DATABASE_URL", given)
    assert load_config(tmp_path)["SQLALCHEMY_DATABASE_URI"] == used


def test_limits_and_mail_come_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("LOGIN_LIMIT_PER_ACCOUNT", "3 per 10 minutes")
    monkeypatch.setenv("LOGIN_LIMIT_PER_IP", "100 per hour")
    monkeypatch.setenv("SMTP_URL", "smtp://mail.internal:587")
    monkeypatch.setenv("MAIL_FROM", "Frontline <frontline@northfield.nhs.example>")
    config = load_config(tmp_path)
    assert config["LOGIN_LIMIT_PER_ACCOUNT"] == "3 per 10 minutes"
    assert config["LOGIN_LIMIT_PER_IP"] == "100 per hour"
    assert config["SMTP_URL"] == "smtp://mail.internal:587"
    assert config["MAIL_FROM"] == "Frontline <frontline@northfield.nhs.example>"


def test_every_documented_setting_is_read(tmp_path):
    """SETTINGS (which the README's table is checked against) names only variables load_config really uses."""
    config_keys = set(load_config(tmp_path))
    aliases = {"DATABASE_URL": "SQLALCHEMY_DATABASE_URI", "PORT": None}  # PORT is read by `make run`
    for setting in SETTINGS:
        key = aliases.get(setting.name, setting.name)
        assert key is None or key in config_keys, setting.name
