"""A real OpenLDAP directory for tests: a private ``slapd`` with its own test certificate authority.

``Slapd.start(folder)`` writes a small slapd.conf, loads the base entries with ``slapadd`` and starts
``slapd -h "ldap://127.0.0.1:<port>/ ldaps://127.0.0.1:<port>/"`` in the foreground (well under a second). The server
certificate is issued by a CA made for this run with the ``openssl`` command (valid for two days, never committed);
a second, unrelated CA proves that a directory whose certificate Frontline does not trust is refused.

Each test gets its own organisational unit (``Slapd.tree()``), so tests share one server and never see each other's
people. A small schema of our own (``AD_SCHEMA``) adds Active Directory's attribute names — sAMAccountName,
userPrincipalName, userAccountControl, objectGUID (16 bytes), employeeID, department — so an AD-style configuration
is tested too; OpenLDAP implements AD's bitwise matching rule (1.2.840.113556.1.4.803), which AD's "disabled
account" filter uses. (slapd's own msuser.schema defines these names without matching rules, so searches on them
find nothing.)
"""

from __future__ import annotations

import itertools
import shutil
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from portal.auth.directory import ldap3  # imported there with ldap3's import-time warnings handled

SUFFIX = "dc=frontline,dc=test"
ADMIN_DN = f"cn=admin,{SUFFIX}"
ADMIN_PASSWORD = "directory-admin-secret"
SERVICE_DN = f"cn=frontline-service,{SUFFIX}"
SERVICE_PASSWORD = "service-account-secret"
PERSON_PASSWORD = "directory-password"
SCHEMAS = ("core", "cosine", "inetorgperson", "nis")
AD_SCHEMA = """\
attributetype ( 1.3.6.1.4.1.55555.1.1 NAME 'sAMAccountName' EQUALITY caseIgnoreMatch
  SUBSTR caseIgnoreSubstringsMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 SINGLE-VALUE )
attributetype ( 1.3.6.1.4.1.55555.1.2 NAME 'userPrincipalName' EQUALITY caseIgnoreMatch
  SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 SINGLE-VALUE )
attributetype ( 1.3.6.1.4.1.55555.1.3 NAME 'userAccountControl' EQUALITY integerMatch
  SYNTAX 1.3.6.1.4.1.1466.115.121.1.27 SINGLE-VALUE )
attributetype ( 1.3.6.1.4.1.55555.1.4 NAME 'objectGUID' EQUALITY octetStringMatch
  SYNTAX 1.3.6.1.4.1.1466.115.121.1.40 SINGLE-VALUE )
attributetype ( 1.3.6.1.4.1.55555.1.5 NAME 'employeeID' EQUALITY caseIgnoreMatch
  SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 SINGLE-VALUE )
attributetype ( 1.3.6.1.4.1.55555.1.6 NAME 'department' EQUALITY caseIgnoreMatch
  SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 SINGLE-VALUE )
objectclass ( 1.3.6.1.4.1.55555.2.1 NAME 'frontlineTestAdUser' SUP top AUXILIARY
  MAY ( sAMAccountName $ userPrincipalName $ userAccountControl $ objectGUID $ employeeID $ department ) )
"""
_trees = itertools.count(1)


def program(name: str) -> str:
    """slapd and slapadd live in /usr/sbin, which is not on every user's PATH. Missing: a failure, never a skip."""
    found = shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/local/sbin")
    if found is None:
        raise RuntimeError(f"{name} is not installed: apt-get install -y slapd ldap-utils (.ci/run does)")
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


def make_ca(folder: Path, name: str) -> Path:
    """A certificate authority in ``folder``: ``<name>.pem`` and ``<name>.key``."""
    _openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
             "-keyout", f"{name}.key", "-out", f"{name}.pem", "-days", "2", "-subj", f"/CN={name}",
             "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
             cwd=folder)
    return folder / f"{name}.pem"


def make_server_certificate(folder: Path, ca: str, names: str = "DNS:localhost") -> tuple[Path, Path]:
    """A server certificate for ``names`` signed by the CA ``ca`` in ``folder`` (localhost only: reached as
    127.0.0.1, the name does not match, which the tests use)."""
    (folder / "server.ext").write_text(f"subjectAltName={names}\nbasicConstraints=CA:FALSE\n"
                                       "keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n")
    _openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "server.key",
             "-out", "server.csr", "-subj", "/CN=localhost", cwd=folder)
    _openssl("x509", "-req", "-in", "server.csr", "-CA", f"{ca}.pem", "-CAkey", f"{ca}.key", "-CAcreateserial",
             "-days", "2", "-out", "server.pem", "-extfile", "server.ext", cwd=folder)
    return folder / "server.pem", folder / "server.key"


SLAPD_CONF = """\
{includes}
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile {folder}/slapd.pid
TLSCACertificateFile {folder}/test-ca.pem
TLSCertificateFile {folder}/server.pem
TLSCertificateKeyFile {folder}/server.key
sizelimit unlimited

database mdb
maxsize 104857600
suffix "{suffix}"
rootdn "{admin_dn}"
rootpw {admin_password}
directory {folder}/data
index objectClass eq
index uid,mail eq
access to attrs=userPassword by self write by anonymous auth by * none
access to * by users read by * none
"""

BASE_LDIF = """\
dn: {suffix}
objectClass: dcObject
objectClass: organization
o: Frontline tests
dc: frontline

dn: {service_dn}
objectClass: person
cn: frontline-service
sn: Service account
userPassword: {service_password}
"""


@dataclass
class Slapd:
    folder: Path
    port: int
    tls_port: int
    ca_file: Path  # the CA that issued the server's certificate
    other_ca_file: Path  # a CA the server has nothing to do with
    process: subprocess.Popen | None = None

    @classmethod
    def start(cls, folder: Path) -> Slapd:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "data").mkdir()
        ca = make_ca(folder, "test-ca")
        other = make_ca(folder, "other-ca")
        make_server_certificate(folder, "test-ca")
        (folder / "ad.schema").write_text(AD_SCHEMA)
        includes = "\n".join([*(f"include /etc/ldap/schema/{name}.schema" for name in SCHEMAS),
                              f"include {folder}/ad.schema"])
        conf = folder / "slapd.conf"
        conf.write_text(SLAPD_CONF.format(includes=includes, folder=folder, suffix=SUFFIX, admin_dn=ADMIN_DN,
                                          admin_password=ADMIN_PASSWORD))
        ldif = folder / "base.ldif"
        ldif.write_text(BASE_LDIF.format(suffix=SUFFIX, service_dn=SERVICE_DN, service_password=SERVICE_PASSWORD))
        subprocess.run([program("slapadd"), "-f", str(conf), "-l", str(ldif)], check=True, capture_output=True)
        server = cls(folder=folder, port=free_port(), tls_port=free_port(), ca_file=ca, other_ca_file=other)
        server._run()
        return server

    def _run(self) -> None:
        urls = f"ldap://127.0.0.1:{self.port}/ ldaps://127.0.0.1:{self.tls_port}/"
        # -d 0: stay in the foreground (no debug output), so the test run owns the process and ends it.
        command = [program("slapd"), "-f", str(self.folder / "slapd.conf"), "-h", urls, "-d", "0"]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"slapd stopped: {self.process.stderr.read().decode(errors='replace')}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                socket.create_connection(("127.0.0.1", self.tls_port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.02)
        raise RuntimeError("slapd did not start listening within 10 seconds")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        if self.process is not None:
            self.process.stderr.close()
        self.process = None

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)

    @property
    def url(self) -> str:
        return f"ldap://127.0.0.1:{self.port}"

    @property
    def ldaps_url(self) -> str:
        return f"ldaps://localhost:{self.tls_port}"

    @property
    def starttls_url(self) -> str:
        return f"ldap://localhost:{self.port}"

    @contextmanager
    def admin(self) -> Iterator:
        """A connection bound as the directory's administrator, for tests to arrange entries (closed afterwards:
        ldap3's own ``with`` leaves a connection that was bound on entry open)."""
        server = ldap3.Server(self.url, get_info=ldap3.NONE)
        connection = ldap3.Connection(server, ADMIN_DN, ADMIN_PASSWORD, auto_bind=True, raise_exceptions=True)
        try:
            yield connection
        finally:
            connection.unbind()

    def tree(self) -> Tree:
        """A fresh organisational unit with ``ou=people`` and ``ou=groups`` beneath it, for one test."""
        base = f"ou=t{next(_trees)},{SUFFIX}"
        with self.admin() as conn:
            conn.add(base, "organizationalUnit", {"ou": base.split(",")[0][3:]})
            conn.add(f"ou=people,{base}", "organizationalUnit", {"ou": "people"})
            conn.add(f"ou=groups,{base}", "organizationalUnit", {"ou": "groups"})
        return Tree(server=self, base=base)


@dataclass
class Tree:
    """One test's part of the directory."""

    server: Slapd
    base: str
    people: dict[str, str] = field(default_factory=dict)  # uid → DN

    @property
    def people_base(self) -> str:
        return f"ou=people,{self.base}"

    def group_dn(self, name: str) -> str:
        return f"cn={name},ou=groups,{self.base}"

    def add_person(self, uid: str, *, name: str, email: str | None, password: str = PERSON_PASSWORD,
                   staff_number: str | None = None, department: str | None = None, title: str | None = None,
                   manager: str | None = None, disabled: bool = False, ad: bool = False, **extra) -> str:
        """An inetOrgPerson (``ad=True``: with Active Directory's attribute names too). ``manager`` is a uid."""
        dn = f"uid={uid},{self.people_base}"
        attributes = {"cn": name, "sn": name.split()[-1], "displayName": name, "uid": uid,
                      "userPassword": password, **extra}
        optional = {"mail": email, "employeeNumber": staff_number, "departmentNumber": department, "title": title,
                    "manager": self.people[manager] if manager else None,
                    "employeeType": "left" if disabled else None}
        attributes.update({key: value for key, value in optional.items() if value is not None})
        classes = ["inetOrgPerson"]
        if ad:
            classes.append("frontlineTestAdUser")
            attributes.update({"sAMAccountName": uid, "userPrincipalName": f"{uid}@corp.frontline.test",
                               "userAccountControl": "514" if disabled else "512",
                               "objectGUID": uuid.uuid4().bytes_le})
            if staff_number:
                attributes["employeeID"] = staff_number
            if department:
                attributes["department"] = department
        with self.server.admin() as conn:
            conn.add(dn, classes, attributes)
        self.people[uid] = dn
        return dn

    def add_group(self, name: str, members: list[str]) -> str:
        dn = self.group_dn(name)
        with self.server.admin() as conn:
            conn.add(dn, "groupOfNames", {"cn": name, "member": [self.people[uid] for uid in members] or [dn]})
        return dn

    def change(self, uid: str, **attributes) -> None:
        """Replace attributes of a person (a value of None removes the attribute)."""
        changes = {name: [(ldap3.MODIFY_REPLACE, [] if value is None else [value])]
                   for name, value in attributes.items()}
        with self.server.admin() as conn:
            conn.modify(self.people[uid], changes)

    def set_members(self, group: str, members: list[str]) -> None:
        dn = self.group_dn(group)
        with self.server.admin() as conn:
            conn.modify(dn, {"member": [(ldap3.MODIFY_REPLACE, [self.people[uid] for uid in members] or [dn])]})

    def remove(self, uid: str) -> None:
        with self.server.admin() as conn:
            conn.delete(self.people.pop(uid))
