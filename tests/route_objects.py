"""Objects for the route tests: for every model a view loads from its URL (``@load``), a builder makes one that
exists, with the people who have a claim on it.

Each feature's ``tests/<feature>/route_objects.py`` registers its builders with ``@builder(Model)``; the generated
route tests (tests/common/test_routes.py) build the object for each id in each URL rule and try it as its owner,
as the others who have a claim on it, and as a stranger, expecting what the view's declared policy says.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import tests


@dataclass
class Owned:
    obj: Any
    owner: Any  # a person with a claim on it (the author, the requester, the booker …)
    others: list[Any] = field(default_factory=list)  # others with a claim (the supporter, the nominee …)
    # URL arguments that are not ids (a feed's ``token``) with values that reach this object.
    extra_args: dict[str, Any] = field(default_factory=dict)
    # Confidential peer support: the route tests then check, independently of the view's policy, that nobody
    # without a claim on it (HR and administrators included) gets in.
    confidential: bool = False


BUILDERS: dict[type, Callable[[], Owned]] = {}
# URL arguments that are not ids of loaded objects (a feed token, say): name → builder whose extra_args give it.
ARG_BUILDERS: dict[str, Callable[[], Owned]] = {}


def builder(model: type) -> Callable[[Callable[[], Owned]], Callable[[], Owned]]:
    def register(fn: Callable[[], Owned]) -> Callable[[], Owned]:
        if model in BUILDERS:
            raise ValueError(f"two route-object builders for {model.__name__}")
        BUILDERS[model] = fn
        return fn

    return register


def arg_builder(name: str) -> Callable[[Callable[[], Owned]], Callable[[], Owned]]:
    def register(fn: Callable[[], Owned]) -> Callable[[], Owned]:
        if name in ARG_BUILDERS:
            raise ValueError(f"two route-argument builders for {name!r}")
        ARG_BUILDERS[name] = fn
        return fn

    return register


def load_all_builders() -> dict[type, Callable[[], Owned]]:
    """Import every ``tests/<feature>/route_objects.py``."""
    for info in pkgutil.iter_modules(tests.__path__):
        if info.ispkg:
            try:
                importlib.import_module(f"tests.{info.name}.route_objects")
            except ModuleNotFoundError as error:
                if error.name != f"tests.{info.name}.route_objects":
                    raise
    return BUILDERS
