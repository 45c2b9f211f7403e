"""Talking to the organisation's directory (OpenLDAP or Active Directory) with ldap3.

Three questions are asked of it: *are these someone's credentials* (``check_credentials``, for the sign-in page),
*who is this* (``look_up``, for single sign-on, with the service account) and *who is everyone*
(``read_everyone``, for ``flask users sync-ldap``). Every answer is a ``DirectoryPerson``; this module never touches
Frontline's database.

Connections are encrypted (LDAPS, or StartTLS on ldap://) and the server's certificate is checked against
``LDAP_CA_FILE`` (or the system's store) *and its host name*, by the standard library. Several ``LDAP_URL`` servers
are tried in order. A directory that cannot be reached raises ``DirectoryUnavailable``; wrong credentials, an
unknown or disabled person raise ``DirectoryRejected`` with the reason for the audit log.
"""

from __future__ import annotations

import logging
import ssl
import uuid
import warnings
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace

from flask import current_app
from flask_babel import lazy_gettext as _l

from portal.auth.directory_settings import DirectorySettings, directory_settings
from portal.common.errors import DomainError
from portal.common.roles import Role

with warnings.catch_warnings():
    # ldap3 2.9.1 imports names that pyasn1 0.6 renamed (tagMap → TAG_MAP); the old names still work.
    warnings.filterwarnings("ignore", message=r".* is deprecated\. Please use .* instead\.",
                            category=DeprecationWarning)
    import ldap3
    from ldap3.core import exceptions as ldap_errors
    from ldap3.utils.conv import escape_filter_chars
    from ldap3.utils.dn import escape_rdn, parse_dn

log = logging.getLogger(__name__)
INVALID_CREDENTIALS = 49
UNAVAILABLE = _l("Frontline cannot reach the staff directory just now, so directory accounts cannot sign in. Try "
                 "again in a few minutes; if it keeps happening, tell your IT service desk.")


class DirectoryUnavailable(DomainError):  # noqa: N818 - a state, like the other domain errors
    """No directory server answered (down, unreachable, or its certificate is not trusted)."""

    def __init__(self, detail: str = ""):
        super().__init__(UNAVAILABLE)
        self.detail = detail


class DirectoryRejected(DomainError):  # noqa: N818
    """The directory said no; ``reason`` is for the audit log only."""

    def __init__(self, reason: str):
        super().__init__(_l("The directory did not accept these details."))
        self.reason = reason


@dataclass(frozen=True)
class DirectoryPerson:
    dn: str
    directory_id: str
    email: str | None
    name: str
    staff_number: str | None = None
    department: str | None = None
    job_title: str | None = None
    manager_dn: str | None = None
    roles: frozenset[Role] = frozenset()
    disabled: bool = False
    manager_email: str | None = None  # filled in when the manager's entry was read too
    manager_directory_id: str | None = None


@dataclass
class DirectorySnapshot:
    """Everyone the directory lists, for a sync."""

    people: list[DirectoryPerson] = field(default_factory=list)


def current_settings() -> DirectorySettings | None:
    return directory_settings(current_app.config)


def enabled() -> bool:
    return current_settings() is not None


# --- connections --------------------------------------------------------------------------------------------

class _CheckedTls(ldap3.Tls):
    """TLS whose certificate *and host name* checks are the standard library's (ldap3 2.9 checks the name with the
    deprecated ``ssl.match_hostname``, and only after StartTLS)."""

    def wrap_socket(self, connection, do_handshake=False):
        context = ssl.create_default_context(cafile=self.ca_certs_file)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        connection.socket = context.wrap_socket(connection.socket, server_hostname=connection.server.host,
                                                do_handshake_on_connect=do_handshake)


def _server(settings: DirectorySettings, url: str) -> ldap3.Server:
    tls = _CheckedTls(validate=ssl.CERT_REQUIRED, ca_certs_file=settings.ca_file)
    return ldap3.Server(url, use_ssl=url.lower().startswith("ldaps://"), tls=tls, get_info=ldap3.NONE,
                        connect_timeout=settings.timeout)


def _open(settings: DirectorySettings) -> ldap3.Connection:
    """An open, encrypted connection to the first server that answers (not yet bound)."""
    problems = []
    for url in settings.urls:
        connection = ldap3.Connection(_server(settings, url), receive_timeout=settings.timeout, read_only=True,
                                      raise_exceptions=False, auto_referrals=False)
        try:
            connection.open()
            if settings.start_tls and not connection.server.ssl:
                connection.start_tls()
            return connection
        except (ldap_errors.LDAPException, OSError) as error:
            problems.append(f"{url}: {error}")
            _close(connection)
    log.warning("directory unavailable: %s", "; ".join(problems))
    raise DirectoryUnavailable("; ".join(problems))


def _bind(connection: ldap3.Connection, user: str, password: str) -> bool:
    """True when the directory accepts ``user``/``password``; False when it says they are wrong. Raises
    DirectoryUnavailable when it cannot answer."""
    if not password:
        return False  # an empty password is an "unauthenticated bind", which many directories accept: never ask
    try:
        connection.authentication, connection.user, connection.password = ldap3.SIMPLE, user, password
        if connection.bind():
            return True
    except (ldap_errors.LDAPException, OSError) as error:
        raise DirectoryUnavailable(str(error)) from error
    if connection.result.get("result") == INVALID_CREDENTIALS:
        return False
    raise DirectoryUnavailable(f"bind refused: {connection.result.get('description')}")


@contextmanager
def _connection(settings: DirectorySettings, user: str | None = None, password: str | None = None,
                ) -> Iterator[ldap3.Connection]:
    """A connection bound as ``user`` (the service account when None). Raises DirectoryUnavailable, or
    DirectoryRejected("wrong_password") when the directory refuses the credentials."""
    connection = _open(settings)
    try:
        service = user is None
        if service and not _bind(connection, settings.bind_dn, settings.bind_password or ""):
            raise DirectoryUnavailable("the directory refused the service account (LDAP_BIND_DN/LDAP_BIND_PASSWORD)")
        if not service and not _bind(connection, user, password or ""):
            raise DirectoryRejected("wrong_password")
        yield connection
    finally:
        _close(connection)


def _close(connection: ldap3.Connection) -> None:
    # After a failed TLS handshake the socket is already gone: there is nothing left to say goodbye on.
    with suppress(ldap_errors.LDAPException, OSError):
        connection.unbind()
    if connection.socket is not None:  # a connection that never opened leaves its socket to us
        with suppress(OSError):
            connection.socket.close()


def _search(connection: ldap3.Connection, base: str, search_filter: str, attributes: list[str], *,
            scope=ldap3.SUBTREE, size_limit: int = 0) -> list[dict]:
    try:
        connection.search(base, search_filter, scope, attributes=attributes or [ldap3.NO_ATTRIBUTES],
                          size_limit=size_limit)
    except ldap_errors.LDAPException as error:
        raise DirectoryUnavailable(str(error)) from error
    result = connection.result.get("result")
    if result not in (0, 4, 32):  # success, size limit exceeded (we asked for two), no such object
        raise DirectoryUnavailable(f"search failed: {connection.result.get('description')}")
    return [entry for entry in connection.response or [] if entry.get("type") == "searchResEntry"]


# --- reading entries -----------------------------------------------------------------------------------------

def normalise_dn(dn: str) -> str:
    """A DN as a comparable key: attribute names and values lower-cased, spaces around separators dropped."""
    try:
        return ",".join(f"{attr.strip().lower()}={value.strip().lower()}" for attr, value, _ in parse_dn(dn))
    except ldap_errors.LDAPException:
        return dn.strip().lower()


def _values(entry: dict, attribute: str | None) -> list:
    if not attribute:
        return []
    raw = entry.get("raw_attributes", {})
    for name, values in raw.items():
        if name.lower() == attribute.lower():
            return list(values)
    return []


def _text(entry: dict, attribute: str | None) -> str | None:
    for value in _values(entry, attribute):
        text = value.decode("utf-8", errors="replace").strip() if isinstance(value, bytes) else str(value).strip()
        if text:
            return text
    return None


def _identifier(entry: dict, attribute: str) -> str | None:
    """The entry's stable id: entryUUID as text, or Active Directory's 16-byte objectGUID as a UUID."""
    for value in _values(entry, attribute):
        if isinstance(value, bytes):
            if len(value) == 16 and not _printable(value):
                return str(uuid.UUID(bytes_le=value))
            value = value.decode("utf-8", errors="replace")
        text = str(value).strip().lower()[:64]
        if text:
            return text
    return None


def _printable(value: bytes) -> bool:
    try:
        return value.decode("ascii").isprintable()
    except UnicodeDecodeError:
        return False


def _person(entry: dict, settings: DirectorySettings, *, roles=frozenset(), disabled=False) -> DirectoryPerson | None:
    directory_id = _identifier(entry, settings.attribute("id"))
    if directory_id is None:
        return None
    attr = settings.attribute
    email = _text(entry, attr("email"))
    return DirectoryPerson(
        dn=entry["dn"], directory_id=directory_id, email=email.lower() if email else None,
        name=_text(entry, attr("name")) or _text(entry, "cn") or (email or ""),
        staff_number=_text(entry, attr("staff_number")), department=_text(entry, attr("department")),
        job_title=_text(entry, attr("job_title")), manager_dn=_text(entry, attr("manager")),
        roles=frozenset(roles), disabled=disabled)


def _person_attributes(settings: DirectorySettings) -> list[str]:
    names = ["cn", *(settings.attribute(key) for key in ("id", "email", "name", "staff_number", "department",
                                                          "job_title", "manager"))]
    return sorted({name for name in names if name})


def _login_filter(settings: DirectorySettings, username: str) -> str:
    value = escape_filter_chars(username.strip())
    choices = "".join(f"({attribute}={value})" for attribute in settings.login_attributes)
    return f"(&{settings.user_filter}(|{choices}))"


def _find_entry(connection, settings: DirectorySettings, username: str) -> dict:
    entries = _search(connection, settings.base_dn, _login_filter(settings, username),
                      _person_attributes(settings), size_limit=2)
    if not entries:
        raise DirectoryRejected("no_entry")
    if len(entries) > 1:
        raise DirectoryRejected("ambiguous")
    return entries[0]


def _is_disabled(connection, settings: DirectorySettings, dn: str) -> bool:
    if settings.disabled_filter is None:
        return False
    return bool(_search(connection, dn, settings.disabled_filter, [], scope=ldap3.BASE))


def _roles_of(connection, settings: DirectorySettings, dn: str) -> frozenset[Role]:
    """The roles whose mapped group lists ``dn`` as a member (one small search per mapped group)."""
    member = settings.attribute("group_member")
    return frozenset(role for role, group_dn in settings.group_roles
                     if _search(connection, group_dn, f"({member}={escape_filter_chars(dn)})", [], scope=ldap3.BASE))


def _with_manager(connection, settings: DirectorySettings, person: DirectoryPerson) -> DirectoryPerson:
    if not person.manager_dn:
        return person
    attributes = [a for a in (settings.attribute("id"), settings.attribute("email")) if a]
    found = _search(connection, person.manager_dn, "(objectClass=*)", attributes, scope=ldap3.BASE)
    if not found:
        return person
    email = _text(found[0], settings.attribute("email"))
    return replace(person, manager_email=email.lower() if email else None,
                    manager_directory_id=_identifier(found[0], settings.attribute("id")))


def _complete(connection, settings: DirectorySettings, entry: dict) -> DirectoryPerson:
    person = _person(entry, settings, roles=_roles_of(connection, settings, entry["dn"]),
                     disabled=_is_disabled(connection, settings, entry["dn"]))
    if person is None:
        raise DirectoryRejected("no_identifier")
    return _with_manager(connection, settings, person)


# --- the three questions --------------------------------------------------------------------------------------

def _user_dn(settings: DirectorySettings, username: str) -> str:
    template = settings.user_dn_template or ""
    name = username.strip()
    # In a DN template the name is one RDN value and must be escaped; a UPN template (…@corp) takes it as written.
    return template.replace("{username}", escape_rdn(name) if "=" in template else name)


def check_credentials(*, username: str, password: str) -> DirectoryPerson:
    """The directory's person for these sign-in details, with their roles. Raises DirectoryRejected (wrong
    password, nobody, several people, disabled) or DirectoryUnavailable."""
    settings = current_settings()
    if settings is None:
        raise DirectoryRejected("not_configured")
    if not username.strip() or not password:
        raise DirectoryRejected("wrong_password")
    if settings.has_service_account:
        with _connection(settings) as service:
            entry = _find_entry(service, settings, username)
            with _connection(settings, entry["dn"], password):
                pass  # the password is right
            person = _complete(service, settings, entry)
    else:
        with _connection(settings, _user_dn(settings, username), password) as own:
            person = _complete(own, settings, _find_entry(own, settings, username))
    if person.disabled:
        raise DirectoryRejected("disabled")
    return person


def look_up(*, username: str) -> DirectoryPerson:
    """The person a trusted proxy vouched for, found with the service account. Raises DirectoryRejected or
    DirectoryUnavailable."""
    settings = current_settings()
    if settings is None or not settings.has_service_account:
        raise DirectoryRejected("not_configured")
    with _connection(settings) as service:
        person = _complete(service, settings, _find_entry(service, settings, username))
    if person.disabled:
        raise DirectoryRejected("disabled")
    return person


def read_everyone(*, page_size: int = 500) -> list[DirectoryPerson]:
    """Every person the user filter finds under the base DN, disabled ones marked, with roles and managers' emails.
    A handful of searches whatever the size (paged, so Active Directory's 1,000-entry limit does not cut it short).
    Raises DirectoryUnavailable."""
    settings = current_settings()
    if settings is None or not settings.has_service_account:
        raise DirectoryUnavailable("a sync needs LDAP_BIND_DN and LDAP_BIND_PASSWORD (a service account)")
    with _connection(settings) as service:
        entries = _paged(service, settings.base_dn, settings.user_filter, _person_attributes(settings), page_size)
        disabled = set()
        if settings.disabled_filter:
            disabled = {normalise_dn(e["dn"]) for e in _paged(
                service, settings.base_dn, f"(&{settings.user_filter}{settings.disabled_filter})", [], page_size)}
        members = {role_group: _group_members(service, settings, role_group[1]) for role_group in settings.group_roles}
    people = []
    for entry in entries:
        key = normalise_dn(entry["dn"])
        roles = {role for (role, _), dns in members.items() if key in dns}
        person = _person(entry, settings, roles=roles, disabled=key in disabled)
        if person is not None:
            people.append(person)
    by_dn = {normalise_dn(p.dn): p for p in people}
    return [replace(p, manager_email=by_dn[normalise_dn(p.manager_dn)].email,
                     manager_directory_id=by_dn[normalise_dn(p.manager_dn)].directory_id)
            if p.manager_dn and normalise_dn(p.manager_dn) in by_dn else p for p in people]


def _paged(connection, base: str, search_filter: str, attributes: list[str], page_size: int) -> list[dict]:
    try:
        found = connection.extend.standard.paged_search(base, search_filter, ldap3.SUBTREE,
                                                        attributes=attributes or [ldap3.NO_ATTRIBUTES],
                                                        paged_size=page_size, generator=False)
    except ldap_errors.LDAPException as error:
        raise DirectoryUnavailable(str(error)) from error
    if connection.result.get("result") not in (0, 32):
        raise DirectoryUnavailable(f"search failed: {connection.result.get('description')}")
    return [entry for entry in found or [] if entry.get("type") == "searchResEntry"]


def _group_members(connection, settings: DirectorySettings, group_dn: str) -> set[str]:
    member = settings.attribute("group_member")
    found = _search(connection, group_dn, "(objectClass=*)", [member], scope=ldap3.BASE)
    if not found:
        log.warning("directory group %s (LDAP_GROUP_ROLES) was not found", group_dn)
        return set()
    return {normalise_dn(_decode(value)) for value in _values(found[0], member)}


def _decode(value) -> str:
    return value.decode("utf-8", errors="replace") if isinstance(value, bytes) else str(value)
