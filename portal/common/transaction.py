"""One unit of work per request: views never commit.

Services change things and ``flush()``; when the view has returned a successful response (status below 400) the
request's transaction is committed, once, here; otherwise — an error response, an exception, an ``abort()`` — it is
rolled back. This is Indico's ``RH.process()`` shape in Flask terms.

SQLite has one write lock for the whole database. A transaction that starts by reading and later writes cannot
take that lock if someone else wrote in between: it fails at once. So a request that may write (any unsafe method,
or a GET view declared with ``@writes``) starts its transaction with ``BEGIN IMMEDIATE`` and waits its turn for the
lock instead. PostgreSQL needs none of this: row locks and conditional updates decide there.

A GET view that writes without declaring it is a bug (a crawler or a prefetch would change things); it is logged,
and refused outright under test, so the route tests find it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TypeVar

from flask import Flask, current_app, flash, g, has_request_context, request
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session

from portal.common.errors import DomainError
from portal.db import begin_immediate
from portal.extensions import db

F = TypeVar("F", bound=Callable[..., object])
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class UndeclaredWrite(RuntimeError):
    """A GET view changed the database without declaring ``@writes``."""


def writes(view: F) -> F:
    """Declare that this GET view writes (for instance an audit record of a confidential read)."""
    view.writes = True  # type: ignore[attr-defined]
    return view


def _view_writes() -> bool:
    view = current_app.view_functions.get(request.endpoint or "")
    return request.method not in SAFE_METHODS or bool(getattr(view, "writes", False))


class TransactionalFlask(Flask):
    """Flask whose requests commit once, after a successful view, or roll back."""

    def dispatch_request(self) -> ResponseReturnValue:
        response = self.make_response(super().dispatch_request())
        if response.status_code < 400:
            db.session.commit()
        else:
            db.session.rollback()
        # The unit of work is over: a streamed body (an export) reads in a plain transaction, without SQLite's
        # write lock.
        _release_write_intent()
        return response


def _has_changes(session) -> bool:
    return bool(session.new or session.dirty or session.deleted)


def _start_request() -> None:
    g.in_unit_of_work = True
    if _view_writes():
        g.begin_immediate_token = begin_immediate.set(True)
    elif _has_changes(db.session):
        # Only a test that shares its app context with the request gets here: its own unsaved rows are not the
        # view's writes.
        g.flushing_carried_over = True
        try:
            db.session.flush()
        finally:
            g.flushing_carried_over = False


def _release_write_intent() -> None:
    token = g.pop("begin_immediate_token", None)
    if token is not None:
        begin_immediate.reset(token)


def _end_request(_error: BaseException | None) -> None:
    _release_write_intent()


def _writing_undeclared() -> bool:
    if not has_request_context() or not g.get("in_unit_of_work") or g.get("flushing_carried_over"):
        return False
    return request.method in SAFE_METHODS and not _view_writes()


def _refuse_undeclared_writes(session: Session, _context, _instances) -> None:
    """A flush of changed objects (``session.add``, attribute changes, deletes)."""
    if _has_changes(session) and _writing_undeclared():
        _refuse()


def _refuse_undeclared_statements(state: ORMExecuteState) -> None:
    """An ``UPDATE``/``INSERT``/``DELETE`` statement run through the session (guarded state changes)."""
    if (state.is_update or state.is_delete or state.is_insert) and _writing_undeclared():
        _refuse()


def _refuse() -> None:
    message = f"GET {request.endpoint} changes the database; declare it with @writes"
    if current_app.config.get("TESTING"):
        raise UndeclaredWrite(message)
    current_app.logger.error(message)


def register(app: Flask) -> None:
    """Must run before any other before_request hook touches the database (the access check loads the user)."""
    app.before_request_funcs.setdefault(None, []).insert(0, _start_request)
    app.teardown_request(_end_request)
    if not event.contains(db.session, "before_flush", _refuse_undeclared_writes):
        event.listen(db.session, "before_flush", _refuse_undeclared_writes)
        event.listen(db.session, "do_orm_execute", _refuse_undeclared_statements)


@dataclass
class Outcome:
    error: DomainError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


@contextmanager
def attempt(form: FlaskForm | None = None) -> Iterator[Outcome]:
    """Run a service call that may refuse with a ``DomainError``: its changes are undone (a savepoint), and its
    message is shown next to the form field it names, or flashed as a warning when there is no form.

        with attempt(form) as outcome:
            item = create_request(...)
        if outcome.ok:
            return redirect_after_post(...)
    """
    from portal.common.forms import attach_error

    outcome = Outcome()
    savepoint = db.session.begin_nested()
    try:
        yield outcome
    except DomainError as error:
        if savepoint.is_active:
            savepoint.rollback()
        outcome.error = error
        if form is not None:
            attach_error(form, error)
        else:
            flash(error.message, "warning")
    else:
        if savepoint.is_active:
            savepoint.commit()
