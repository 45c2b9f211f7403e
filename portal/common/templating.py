"""What every template can use: filters, the header's navigation, and ``can`` — the one way a template asks a
policy.

``can.<feature>.<verb>(obj)`` calls ``portal.<feature>.policies.can_<verb>(current_user, obj)``, the same function
the view enforces, so a button is shown exactly when pressing it would be allowed. ``can.open("endpoint")`` asks the
route's access declaration. A template never re-states a rule (no ``has_role`` or id comparisons).
"""

from __future__ import annotations

from functools import partial
from types import ModuleType
from typing import Any

from flask import Flask, current_app, request
from flask_login import current_user

from portal.common.access import may_open
from portal.common.features import NavItem, registry
from portal.common.i18n import (
    current_language,
    day,
    fill_untranslated_notice,
    html_lang,
    iso,
    untranslated_notice_slot,
    when,
)
from portal.common.roles import Role


class UnknownPolicy(LookupError):
    """A template asked for a policy that does not exist (raised, not swallowed into a falsy Undefined)."""


class _FeaturePolicies:
    def __init__(self, feature: str, module: ModuleType):
        self._feature = feature
        self._module = module

    def __getattr__(self, verb: str):
        policy = getattr(self._module, f"can_{verb}", None)
        if policy is None:
            raise UnknownPolicy(f"no policy can_{verb} in portal.{self._feature}.policies")
        return partial(policy, current_user)


class PolicyNamespace:
    def __getattr__(self, feature: str) -> _FeaturePolicies:
        module = registry().policies.get(feature)
        if module is None:
            raise UnknownPolicy(f"feature {feature!r} registered no policies")
        return _FeaturePolicies(feature, module)

    def open(self, endpoint: str) -> bool:
        return may_open(current_user, endpoint)


can = PolicyNamespace()


def is_current(item: NavItem) -> bool:
    return (request.endpoint or "").startswith(item.section)


def nav_items() -> list[NavItem]:
    """The header's links: only the pages this person may open."""
    if not current_user.is_authenticated:
        return []
    return [item for item in registry().nav if may_open(current_user, item.endpoint)]


# The largest count a badge shows as a number; past it, "99+". Counts that would cost more to finish than to show
# (the champions' queue) stop at BADGE_MOST + 1.
BADGE_MOST = 99


def at_most(count: int, most: int = BADGE_MOST) -> str:
    """A count for a badge: ``"99+"`` past ``most``, else the number."""
    return f"{most}+" if count > most else str(count)


def register(app: Flask) -> None:
    app.jinja_env.filters.update(when=when, day=day, iso=iso, at_most=at_most)
    app.jinja_env.globals.update(Role=Role, nav_items=nav_items, is_current=is_current, can=can, BADGE_MOST=BADGE_MOST,
                                 untranslated_notice_slot=untranslated_notice_slot)
    app.after_request(fill_untranslated_notice)

    @app.context_processor
    def _language() -> dict[str, Any]:
        return {"current_language": current_language(), "html_lang": html_lang(current_language()),
                "languages": current_app.config["LANGUAGES"]}
