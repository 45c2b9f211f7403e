"""What every template can use."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app, request
from flask_babel import gettext as _
from flask_login import current_user

from portal.common.access import access_for
from portal.common.i18n import current_language, day, iso, when
from portal.common.roles import Role


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: str
    section: str  # endpoints starting with this mark the item as the current page

    @property
    def is_current(self) -> bool:
        return (request.endpoint or "").startswith(self.section)


def _nav_items() -> list[NavItem]:
    """Top navigation: only the pages this person may open (the same access rules the routes enforce)."""
    candidates = [
        NavItem("home.index", _("Home"), "home.index"),
        NavItem("recognition.wall", _("Thanks"), "recognition."),
        NavItem("awards.index", _("Awards"), "awards."),
        NavItem("support.index", _("Support"), "support."),
        NavItem("mentoring.index", _("Mentoring"), "mentoring."),
        NavItem("admin.users", _("People"), "admin.user"),
        NavItem("admin.units", _("Units"), "admin.unit"),
        NavItem("admin.audit", _("Audit log"), "admin.audit"),
        NavItem("notifications.outbox", _("Emails"), "notifications.outbox"),
    ]
    items = []
    for item in candidates:
        access = access_for(item.endpoint)
        if access is None or not current_user.is_authenticated:
            continue
        if access.roles and not current_user.has_any_role(access.roles):
            continue
        items.append(item)
    return items


def register(app: Flask) -> None:
    app.jinja_env.filters.update(when=when, day=day, iso=iso)
    app.jinja_env.globals.update(Role=Role, nav_items=_nav_items)

    @app.context_processor
    def _language():
        return {"current_language": current_language(), "languages": current_app.config["LANGUAGES"]}
