"""The command-line contracts: `units create`, `users create`, `demo`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from portal.auth.models import User, UserRole
from portal.common.audit import AuditEvent
from portal.common.roles import Role
from portal.demo.people import DEMO_ADMIN_EMAIL, DEMO_PASSWORD, ORGANISATIONS, SIGN_IN_ACCOUNTS, UNITS
from portal.extensions import db
from portal.org.models import Unit
from tests.org.units import find_unit_by_path

pytestmark = pytest.mark.usefixtures("app_ctx")
README = Path(__file__).resolve().parent.parent / "README.md"


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def audit_count(action: str) -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action))


# --- units ------------------------------------------------------------------------------------------------------

def test_units_create_is_idempotent(runner):
    first = runner.invoke(args=["units", "create", "Trust/PALS/North team"])
    second = runner.invoke(args=["units", "create", " /Trust/pals/North team/ "])
    assert first.exit_code == 0, first.output
    assert second.exit_code == 0, second.output
    unit_id = re.fullmatch(r"Unit (\d+): Trust/PALS/North team\n", first.output).group(1)
    assert second.output.startswith(f"Unit {unit_id}: ")
    db.session.expire_all()
    assert count(Unit) == 3
    assert audit_count("unit.created") == 3
    north = find_unit_by_path("Trust/PALS/North team")
    assert [u.name for u in (north.parent.parent, north.parent, north)] == ["Trust", "PALS", "North team"]


def test_units_create_adds_only_what_is_missing(runner):
    runner.invoke(args=["units", "create", "Trust/PALS/North team"])
    result = runner.invoke(args=["units", "create", "Trust/PALS/South team"])
    assert result.exit_code == 0
    db.session.expire_all()
    assert count(Unit) == 4


def test_units_create_refuses_an_empty_part(runner):
    result = runner.invoke(args=["units", "create", "Trust//North team"])
    assert result.exit_code != 0
    assert "Write the unit as names separated by /" in result.output
    assert count(Unit) == 0


# --- users ------------------------------------------------------------------------------------------------------

GRACE_PASSWORD = "calm and steady words"


def create_grace(runner, email="grace.okafor@example.nhs.uk", stdin=GRACE_PASSWORD + "\n"):
    return runner.invoke(args=["users", "create", email, "--name", "Grace Okafor", "--unit", "Trust/PALS/North team",
                               "--role", "staff", "--role", "champion", "--job-title", "PALS officer",
                               "--password-stdin"], input=stdin)


def test_users_create_and_then_sign_in(runner, client):
    result = create_grace(runner)
    assert result.exit_code == 0, result.output
    assert result.output == "Created grace.okafor@example.nhs.uk (champion, staff) in Trust/PALS/North team\n"
    db.session.expire_all()
    user = db.session.scalar(select(User).where(User.email == "grace.okafor@example.nhs.uk"))
    assert user.roles == {Role.STAFF, Role.CHAMPION}
    assert (user.display_name, user.job_title, user.unit.name) == ("Grace Okafor", "PALS officer", "North team")
    assert not user.must_change_password

    response = client.post("/login", data={"email": "grace.okafor@example.nhs.uk", "password": GRACE_PASSWORD})
    assert (response.status_code, response.headers["Location"]) == (303, "/")
    assert "Hello, Grace" in client.get("/").get_data(as_text=True)


def test_users_create_refuses_a_duplicate_email(runner):
    assert create_grace(runner).exit_code == 0
    result = create_grace(runner, email="Grace.Okafor@example.nhs.uk")
    assert result.exit_code == 1
    assert "Error: Someone already has this email address." in result.output
    db.session.expire_all()
    assert count(User) == 1


def test_users_create_refuses_a_short_password(runner):
    result = create_grace(runner, stdin="short\n")
    assert result.exit_code == 1
    assert "Use at least 10 characters." in result.output
    db.session.expire_all()
    assert count(User) == 0
    assert count(Unit) == 0  # the units it would have made are rolled back too


def test_users_create_refuses_an_unknown_role(runner):
    result = runner.invoke(args=["users", "create", "a@example.nhs.uk", "--name", "A", "--unit", "Trust",
                                 "--role", "wizard"])
    assert result.exit_code == 2
    assert "'wizard' is not one of" in result.output


def test_users_create_without_a_password(runner):
    result = runner.invoke(args=["users", "create", "a@example.nhs.uk", "--name", "Ann Lee", "--unit", "Trust"])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "a@example.nhs.uk"))
    assert user.password_hash is None
    assert user.roles == {Role.STAFF}


# --- demo -------------------------------------------------------------------------------------------------------

def demo_people() -> int:
    return sum(len(people) for _, people in ORGANISATIONS)


def test_demo_loads_the_organisation_once(runner, client):
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    db.session.expire_all()
    people, units, events = count(User), count(Unit), count(AuditEvent)
    assert 55 <= people <= 70
    assert people == demo_people() == audit_count("user.created")
    assert units == audit_count("unit.created") >= len(UNITS)
    for label, email in SIGN_IN_ACCOUNTS:
        assert email in first.output, label
    assert DEMO_PASSWORD in first.output

    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0, second.output
    assert "already loaded; nothing was changed" in second.output
    assert DEMO_ADMIN_EMAIL in second.output
    db.session.expire_all()
    assert (count(User), count(Unit), count(AuditEvent)) == (people, units, events)

    response = client.post("/login", data={"email": DEMO_ADMIN_EMAIL, "password": DEMO_PASSWORD})
    assert response.status_code == 303
    assert client.get("/admin/users").status_code == 200


def test_demo_has_every_role_and_real_line_management(runner):
    assert runner.invoke(args=["demo"]).exit_code == 0
    db.session.expire_all()
    roles = dict(db.session.execute(select(UserRole.role, func.count()).group_by(UserRole.role)).all())
    assert roles[Role.STAFF] == count(User)
    assert roles[Role.ADMIN] == 1
    assert roles[Role.HR] == 2
    assert roles[Role.SUPPORTER] >= 3 and roles[Role.CHAMPION] >= 3 and roles[Role.PANEL] >= 3
    managed = db.session.scalar(select(func.count()).select_from(User).where(User.manager_id.is_not(None)))
    assert managed >= count(User) - 8
    assert db.session.scalar(select(func.count()).select_from(User).where(User.staff_number.is_(None))) == 0
    accounts = {label: db.session.scalar(select(User).where(User.email == email)) for label, email in SIGN_IN_ACCOUNTS}
    assert accounts["administrator"].has_role(Role.ADMIN)
    assert accounts["HR"].has_role(Role.HR)
    assert accounts["service champion"].has_role(Role.CHAMPION)
    assert accounts["supporter (clinical supervisor)"].has_role(Role.SUPPORTER)
    assert accounts["award panel"].has_role(Role.PANEL)
    assert accounts["staff"].roles == {Role.STAFF}
    assert accounts["line manager"].reports
    assert accounts["staff"].manager is accounts["line manager"]


def test_demo_units_include_the_pals_teams_and_jobcentre_offices(runner):
    assert runner.invoke(args=["demo"]).exit_code == 0
    for path in UNITS.values():
        assert find_unit_by_path(path) is not None, path
    pals = find_unit_by_path("Northfield Teaching Hospitals NHS Foundation Trust/Patient Experience/PALS")
    assert [child.name for child in pals.children] == ["Complaints team", "North team", "South team"]


def test_demo_is_refused_in_production(runner, app, monkeypatch):
    monkeypatch.setitem(app.config, "PORTAL_ENV", "production")
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 1
    assert "never loaded when PORTAL_ENV=production" in result.output
    assert count(User) == 0


def test_demo_that_cannot_load_changes_nothing(runner):
    """Someone already has a demo person's email (but the demo is not loaded): the whole load is undone."""
    first_email = f"{ORGANISATIONS[0][1][1].key}@{ORGANISATIONS[0][0]}"
    assert create_grace(runner, email=first_email).exit_code == 0
    db.session.expire_all()
    before = (count(User), count(Unit), count(AuditEvent))
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 1
    assert "Could not load the demo organisation: Someone already has this email address." in result.output
    db.session.expire_all()
    assert (count(User), count(Unit), count(AuditEvent)) == before


def test_readme_lists_the_demo_accounts():
    readme = README.read_text()
    assert f"**`{DEMO_PASSWORD}`**" in readme
    for _, email in SIGN_IN_ACCOUNTS:
        assert f"`{email}`" in readme


@pytest.mark.committed
def test_serve_runs_the_site_and_the_worker_and_ctrl_c_stops_both_cleanly(tmp_path):
    """`make run`'s last step: one process, one Ctrl-C, exit code 0 — not "make: *** Segmentation fault"."""
    import os
    import signal
    import subprocess
    import sys
    import time
    import urllib.request

    from tests.databases import fresh_database_url, worker_name
    from tests.mail import free_port

    url = fresh_database_url(f"frontline_serve_{worker_name()}", tmp_path)
    from tests.conftest import make_test_app

    with make_test_app(url).app_context():
        db.engine.dispose()
    port = free_port()
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "test", "PORTAL_ENV": "development",
           "MAIL_FOLDER": str(tmp_path / "mail")}
    # Under `make test`'s coverage the child is measured too (a parallel data file that pytest-cov combines).
    import coverage

    measured = ["coverage", "run", "--parallel-mode", "-m"] if coverage.Coverage.current() is not None else []
    command = [sys.executable, "-m", *measured, "flask", "--app", "portal", "serve", "--port", str(port)]
    server = subprocess.Popen(command,
                              cwd=Path(__file__).resolve().parents[1], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:  # noqa: S310
                    assert response.status == 200
                    break
            except OSError:
                assert time.monotonic() < deadline, "the server never answered"
                time.sleep(0.2)
        server.send_signal(signal.SIGINT)
        output, _ = server.communicate(timeout=30)
    finally:
        if server.poll() is None:
            server.kill()
    assert server.returncode == 0, output
    assert f"Frontline is at http://127.0.0.1:{port}/" in output and "worker started" in output
    assert "Stopped." in output
