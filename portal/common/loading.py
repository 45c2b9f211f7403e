"""Load the object a URL names, and check the policy that guards it, before the view runs.

    @signed_in
    @load("request_id", DebriefRequest, can=policies.can_view, hide=True)
    def show(item: DebriefRequest): ...

The view receives the object instead of the id (as ``into``, by default the argument name without ``_id``).
A missing object is a 404. A person the policy refuses gets a 403 — or a 404 with ``hide=True``, for confidential
things whose very existence is private. The declaration stays readable on the view (``view.loads``), so the route
tests build an object for every id in every URL and check that its owner gets in and a stranger does not.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from flask import abort
from flask_login import current_user

from portal.extensions import db

F = TypeVar("F", bound=Callable[..., Any])
Policy = Callable[[Any, Any], bool]


@dataclass(frozen=True)
class Load:
    arg: str
    model: type
    can: Policy | None
    hide: bool
    into: str


def load(arg: str, model: type, *, can: Policy | None = None, hide: bool = False,
         into: str | None = None) -> Callable[[F], F]:
    declaration = Load(arg=arg, model=model, can=can, hide=hide, into=into or arg.removesuffix("_id"))

    def decorator(view: F) -> F:
        @wraps(view)
        def loaded(*args: Any, **kwargs: Any) -> Any:
            kwargs[declaration.into] = load_or_404(model, kwargs.pop(arg), can=can, hide=hide)
            return view(*args, **kwargs)

        loaded.loads = (declaration, *getattr(view, "loads", ()))  # type: ignore[attr-defined]
        return loaded  # type: ignore[return-value]

    return decorator


def load_or_404(model: type, ident: Any, *, can: Policy | None = None, hide: bool = False) -> Any:
    """The object with this primary key, or a 404; refused (403, or 404 when ``hide``) unless ``can`` allows."""
    found = db.session.get(model, ident)
    if found is None:
        abort(404)
    if can is not None and not can(current_user, found):
        abort(404 if hide else 403)
    return found
