"""A real OpenLDAP directory (slapd) and a real SMTP server (aiosmtpd) for the sign-in tests."""

from __future__ import annotations

import pytest

from tests.ldap_server import SERVICE_DN, SERVICE_PASSWORD, Slapd, Tree
from tests.mail import Inbox, SmtpServer

TRUST = "Riverside NHS Trust"


@pytest.fixture(scope="session")
def slapd(tmp_path_factory):
    """One slapd per test process (each xdist worker has its own), with a test CA made for this run."""
    server = Slapd.start(tmp_path_factory.mktemp("slapd"))
    yield server
    server.remove()


def directory_settings(slapd: Slapd, tree: Tree, **overrides) -> dict:
    """Search-then-bind with the service account, over plain LDAP on the loopback (the TLS tests say otherwise)."""
    return {
        "LDAP_URL": slapd.url,
        "LDAP_STARTTLS": None,
        "LDAP_CA_FILE": None,
        "LDAP_BASE_DN": tree.people_base,
        "LDAP_BIND_DN": SERVICE_DN,
        "LDAP_BIND_PASSWORD": SERVICE_PASSWORD,
        "LDAP_USER_DN_TEMPLATE": None,
        "LDAP_USER_FILTER": None,
        "LDAP_LOGIN_ATTRIBUTES": None,
        "LDAP_DISABLED_FILTER": "(employeeType=left)",
        "LDAP_ATTRIBUTES": None,
        "LDAP_GROUP_ROLES": f"admin={tree.group_dn('frontline-admins')}; champion={tree.group_dn('champions')}",
        "LDAP_DEFAULT_UNIT": TRUST,
        "LOCAL_SIGN_IN": None,
        **overrides,
    }


def staff(tree: Tree) -> Tree:
    """A small PALS team: a manager who administers Frontline, a champion who reports to her, someone who left."""
    tree.add_person("amira", name="Amira Haddad", email="Amira.Haddad@example.nhs.uk", staff_number="100234",
                    department="PALS", title="PALS manager")
    tree.add_person("tom", name="Tom Okafor", email="tom.okafor@example.nhs.uk", staff_number="100871",
                    department="PALS", title="Patient advice officer", manager="amira")
    tree.add_person("siobhan", name="Siobhan Kelly", email="siobhan.kelly@example.nhs.uk", staff_number="101402",
                    department="Complaints", manager="amira")
    tree.add_person("left", name="Leon Left", email="leon.left@example.nhs.uk", staff_number="100999",
                    department="PALS", disabled=True)
    tree.add_group("frontline-admins", ["amira"])
    tree.add_group("champions", ["tom"])
    return tree


@pytest.fixture
def configure(app, monkeypatch):
    """``configure(NAME=value, …)``: settings for this test only, on the shared app."""

    def apply(**settings) -> None:
        for name, value in settings.items():
            monkeypatch.setitem(app.config, name, value)

    return apply


@pytest.fixture
def directory(slapd, configure) -> Tree:
    """This test's own part of the directory, filled with ``staff``, and the app set to use it."""
    tree = staff(slapd.tree())
    configure(**directory_settings(slapd, tree))
    return tree


@pytest.fixture
def smtp():
    server = SmtpServer(Inbox()).start()
    yield server
    server.stop()


@pytest.fixture
def mail_to(smtp, configure) -> Inbox:
    """The app's SMTP_URL pointed at a real SMTP server; returns what arrives there."""
    configure(SMTP_URL=smtp.url)
    return smtp.inbox
