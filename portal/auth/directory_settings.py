"""The directory (LDAP / Active Directory) and single sign-on settings, read from the app's configuration.

``portal/config.py`` puts the environment's text into ``app.config``; this module turns it into typed settings and
says plainly what is wrong with a value. ``check_settings`` runs when the app starts, so a mistake stops Frontline
at start-up rather than at someone's first sign-in.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from portal.common.roles import Role
from portal.config import ConfigError

# What Frontline reads from a person's entry, and the attribute it reads it from (OpenLDAP's inetOrgPerson names;
# the README gives Active Directory's). An empty name turns a field off: Frontline then leaves it alone.
DEFAULT_ATTRIBUTES = {
    "id": "entryUUID",
    "email": "mail",
    "name": "displayName",
    "staff_number": "employeeNumber",
    "department": "departmentNumber",
    "job_title": "title",
    "manager": "manager",
    "group_member": "member",
}
REQUIRED_ATTRIBUTES = ("id", "email", "name", "group_member")
TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


class LocalSignIn:
    """Who may still sign in with a password kept by Frontline when a directory is configured."""

    EVERYONE = "everyone"
    ADMINISTRATORS = "administrators"


@dataclass(frozen=True)
class DirectorySettings:
    urls: tuple[str, ...]
    start_tls: bool
    ca_file: str | None
    timeout: float
    base_dn: str
    user_filter: str
    login_attributes: tuple[str, ...]
    bind_dn: str | None
    bind_password: str | None
    user_dn_template: str | None
    disabled_filter: str | None
    attributes: Mapping[str, str]
    group_roles: tuple[tuple[Role, str], ...]
    default_unit: str

    @property
    def has_service_account(self) -> bool:
        return self.bind_dn is not None

    def attribute(self, name: str) -> str | None:
        return self.attributes.get(name) or None

    @property
    def managed_roles(self) -> frozenset[Role]:
        """The roles the directory decides (those with a group mapped to them); Frontline keeps the rest."""
        return frozenset(role for role, _ in self.group_roles)


@dataclass(frozen=True)
class TrustedHeaderSettings:
    header: str
    proxies: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]

    def trusts(self, address: str | None) -> bool:
        try:
            ip = ipaddress.ip_address((address or "").strip())
        except ValueError:
            return False
        return any(ip in network for network in self.proxies)


def _text(config: Mapping[str, Any], name: str, default: str | None = None) -> str | None:
    value = config.get(name)
    if value is None:
        return default
    value = str(value).strip()
    return value or default


def _flag(config: Mapping[str, Any], name: str, default: bool = False) -> bool:
    value = config.get(name)
    if isinstance(value, bool):
        return value
    if value is None:
        return default
    word = str(value).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ConfigError(f"{name} must be true or false, not {value!r}.")


def _number(config: Mapping[str, Any], name: str, default: float, *, low: float, high: float) -> float:
    value = config.get(name)
    if value is None or value == "":
        return default
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{name} must be a number, not {value!r}.") from None
    if not low <= number <= high:
        raise ConfigError(f"{name} must be between {low:g} and {high:g}, not {number:g}.")
    return number


def parse_attributes(text: str | Mapping[str, str] | None) -> dict[str, str]:
    """``"email=mail name=cn department="`` → the defaults with those changed (an empty value turns a field off)."""
    attributes = dict(DEFAULT_ATTRIBUTES)
    if isinstance(text, Mapping):
        pairs = list(text.items())
    else:
        pairs = []
        for item in (text or "").replace(",", " ").split():
            key, sep, value = item.partition("=")
            if not sep:
                raise ConfigError(f"LDAP_ATTRIBUTES: write each mapping as field=attribute, not {item!r}.")
            pairs.append((key, value))
    for key, value in pairs:
        key = key.strip().lower()
        if key not in DEFAULT_ATTRIBUTES:
            raise ConfigError(f"LDAP_ATTRIBUTES: unknown field {key!r}; use {', '.join(DEFAULT_ATTRIBUTES)}.")
        if not value and key in REQUIRED_ATTRIBUTES:
            raise ConfigError(f"LDAP_ATTRIBUTES: {key} cannot be turned off.")
        attributes[key] = value.strip()
    return attributes


def parse_group_roles(text: str | None) -> tuple[tuple[Role, str], ...]:
    """``"admin=cn=Frontline admins,ou=Groups,dc=example,dc=org; champion=cn=…"`` → ((Role.ADMIN, dn), …)."""
    found = []
    for item in (text or "").split(";"):
        if not item.strip():
            continue
        role, sep, dn = item.partition("=")
        if not sep or not dn.strip():
            raise ConfigError(f"LDAP_GROUP_ROLES: write each mapping as role=group DN, not {item.strip()!r}.")
        try:
            found.append((Role(role.strip().lower()), dn.strip()))
        except ValueError:
            raise ConfigError(f"LDAP_GROUP_ROLES: unknown role {role.strip()!r}; use "
                              f"{', '.join(r.value for r in Role)}.") from None
    return tuple(found)


def _urls(text: str) -> tuple[str, ...]:
    urls = tuple(text.replace(",", " ").split())
    for url in urls:
        if urlsplit(url).scheme not in ("ldap", "ldaps") or not urlsplit(url).hostname:
            raise ConfigError(f"LDAP_URL: {url!r} must look like ldaps://dc1.example.org or ldap://host:389.")
    return urls


def directory_settings(config: Mapping[str, Any]) -> DirectorySettings | None:
    """The directory settings, or None when no directory is configured (LDAP_URL unset). Raises ConfigError."""
    url_text = _text(config, "LDAP_URL")
    if url_text is None:
        return None
    urls = _urls(url_text)
    start_tls = _flag(config, "LDAP_STARTTLS")
    plain = [url for url in urls if url.startswith("ldap://")]
    if plain and not start_tls and config.get("PORTAL_ENV") == "production" \
            and not _flag(config, "LDAP_ALLOW_PLAINTEXT"):
        raise ConfigError("LDAP_URL uses ldap:// without LDAP_STARTTLS=true: passwords would cross the network "
                          "unencrypted. Use ldaps:// or set LDAP_STARTTLS=true.")
    base_dn = _text(config, "LDAP_BASE_DN")
    if base_dn is None:
        raise ConfigError("LDAP_URL is set, so LDAP_BASE_DN must say where people are, e.g. ou=People,dc=example,"
                          "dc=org.")
    bind_dn, template = _text(config, "LDAP_BIND_DN"), _text(config, "LDAP_USER_DN_TEMPLATE")
    if bind_dn is None and template is None:
        raise ConfigError("Set LDAP_BIND_DN and LDAP_BIND_PASSWORD (a service account that searches for people) or "
                          "LDAP_USER_DN_TEMPLATE (to bind as the person, e.g. {username}@corp.example.org).")
    if template is not None and "{username}" not in template:
        raise ConfigError("LDAP_USER_DN_TEMPLATE must contain {username}.")
    user_filter = _text(config, "LDAP_USER_FILTER", "(objectClass=inetOrgPerson)")
    disabled_filter = _text(config, "LDAP_DISABLED_FILTER")
    for name, value in (("LDAP_USER_FILTER", user_filter), ("LDAP_DISABLED_FILTER", disabled_filter)):
        if value is not None and not (value.startswith("(") and value.endswith(")")):
            raise ConfigError(f"{name} must be an LDAP filter in brackets, like (objectClass=person).")
    return DirectorySettings(
        urls=urls, start_tls=start_tls, ca_file=_text(config, "LDAP_CA_FILE"),
        timeout=_number(config, "LDAP_TIMEOUT_SECONDS", 5, low=0.5, high=60),
        base_dn=base_dn, user_filter=user_filter,
        login_attributes=tuple((_text(config, "LDAP_LOGIN_ATTRIBUTES", "uid mail") or "").replace(",", " ").split()),
        bind_dn=bind_dn, bind_password=_text(config, "LDAP_BIND_PASSWORD", ""), user_dn_template=template,
        disabled_filter=disabled_filter, attributes=parse_attributes(config.get("LDAP_ATTRIBUTES")),
        group_roles=parse_group_roles(_text(config, "LDAP_GROUP_ROLES")),
        default_unit=_text(config, "LDAP_DEFAULT_UNIT", "Everyone"),
    )


def trusted_header_settings(config: Mapping[str, Any]) -> TrustedHeaderSettings | None:
    """Single sign-on through a header set by the reverse proxy; None (off) unless TRUSTED_HEADER is set."""
    header = _text(config, "TRUSTED_HEADER")
    if header is None:
        return None
    proxies = []
    for item in (_text(config, "TRUSTED_PROXIES") or "").replace(",", " ").split():
        try:
            proxies.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ConfigError(f"TRUSTED_PROXIES: {item!r} is not an IP address or network.") from None
    if not proxies:
        raise ConfigError("TRUSTED_HEADER is set, so TRUSTED_PROXIES must list the reverse proxy's addresses: "
                          "without them anyone could send the header.")
    return TrustedHeaderSettings(header=header, proxies=tuple(proxies))


def local_sign_in(config: Mapping[str, Any]) -> str:
    value = (_text(config, "LOCAL_SIGN_IN", LocalSignIn.EVERYONE) or "").lower()
    if value not in (LocalSignIn.EVERYONE, LocalSignIn.ADMINISTRATORS):
        raise ConfigError("LOCAL_SIGN_IN must be everyone or administrators.")
    return value


def check_settings(config: Mapping[str, Any]) -> None:
    """Read every setting once; raises ConfigError naming the first one that is wrong."""
    directory_settings(config)
    trusted_header_settings(config)
    local_sign_in(config)
