"""One unit of work per request: committed after a successful view, rolled back otherwise; a service's refusal is
undone on its own; a GET that writes must say so."""

from __future__ import annotations

import pytest
from flask import Blueprint, abort
from sqlalchemy import func, select, update

from portal.common.access import public
from portal.common.errors import DomainError
from portal.common.transaction import attempt, writes
from portal.extensions import db
from portal.org.models import Unit
from portal.org.services import create_unit

pytestmark = pytest.mark.committed


def _count(app, name: str) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Unit).where(Unit.name == name))


def _refuse_after_writing(name: str) -> None:
    create_unit(name=name, parent=None)
    raise DomainError("No, thank you.")


@pytest.fixture
def tx_app(separate_app):
    app = separate_app()
    pages = Blueprint("tx", __name__)

    @pages.post("/ok/<name>")
    @public
    def ok(name):
        create_unit(name=name, parent=None)
        return "made"

    @pages.post("/refused/<name>")
    @public
    def refused(name):
        create_unit(name=name, parent=None)
        abort(403)

    @pages.post("/attempt/<name>")
    @public
    def attempted(name):
        create_unit(name=f"{name} kept", parent=None)
        with attempt() as outcome:
            _refuse_after_writing(f"{name} undone")
        return "refused" if not outcome.ok else "accepted"

    @pages.get("/sneaky-add/<name>")
    @public
    def sneaky_add(name):
        create_unit(name=name, parent=None)
        return "added"

    @pages.get("/sneaky-update")
    @public
    def sneaky_update():
        db.session.execute(update(Unit).values(name="Renamed"))
        return "updated"

    @pages.get("/declared/<name>")
    @public
    @writes
    def declared(name):
        create_unit(name=name, parent=None)
        return "declared"

    app.register_blueprint(pages)
    return app


def test_a_successful_view_is_committed_and_a_refused_one_rolled_back(tx_app):
    app = tx_app
    client = app.test_client()
    assert client.post("/ok/North").status_code == 200
    assert client.post("/refused/South").status_code == 403
    assert (_count(app, "North"), _count(app, "South")) == (1, 0)


def test_a_refusal_inside_attempt_undoes_only_the_service_call(tx_app):
    app = tx_app
    client = app.test_client()
    assert client.post("/attempt/East").get_data(as_text=True) == "refused"
    assert (_count(app, "East kept"), _count(app, "East undone")) == (1, 0)


@pytest.mark.parametrize("path", ["/sneaky-add/West", "/sneaky-update"])
def test_a_get_that_writes_without_saying_so_is_refused(tx_app, path):
    app = tx_app
    assert app.test_client().get(path).status_code == 500
    assert _count(app, "West") == 0


def test_a_get_that_declares_its_writes_may_write(tx_app):
    app = tx_app
    assert app.test_client().get("/declared/Central").status_code == 200
    assert _count(app, "Central") == 1


def test_a_refusal_no_view_caught_is_a_409_that_says_why_not_a_500(separate_app):
    app = separate_app()
    pages = Blueprint("uncaught", __name__)

    @pages.post("/uncaught")
    @public
    def uncaught():
        _refuse_after_writing("Never kept")

    app.register_blueprint(pages)
    response = app.test_client().post("/uncaught", data={"note": "What I typed"})
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "No, thank you." in page and "What I typed" in page
    assert _count(app, "Never kept") == 0
