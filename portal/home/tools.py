"""The home page's "Your tools": pages that belong to a role, grouped by role, shown only to those who may open
them (the same access declarations the routes enforce)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from portal.common.access import access_for
from portal.common.roles import Role


@dataclass(frozen=True)
class Tool:
    endpoint: str
    label: object


TOOLS: list[tuple[Role, list[Tool]]] = [
    (Role.SUPPORTER, [Tool("support.queue", _l("Your supporter queue")),
                      Tool("debriefs.queue", _l("De-brief requests")),
                      Tool("support.availability", _l("Your availability")),
                      Tool("support.profile", _l("Your supporter profile"))]),
    (Role.CHAMPION, [Tool("recognition.moderation", _l("Reported posts to review"))]),
    (Role.PANEL, [Tool("awards.panel", _l("Nominations for your panel"))]),
    (Role.HR, [Tool("awards.schemes", _l("Award schemes")),
               Tool("recognition.values", _l("Values people can thank for")),
               Tool("debriefs.rota", _l("Duty supporters and unit leads")),
               Tool("debriefs.settings", _l("De-brief signposting and timings")),
               Tool("debriefs.insights", _l("De-brief figures"))]),
    (Role.ADMIN, [Tool("admin.users", _l("People")), Tool("admin.user_import", _l("Import people from HR")),
                  Tool("admin.units", _l("Units")), Tool("debriefs.rota", _l("Duty supporters and unit leads")),
                  Tool("admin.audit", _l("Audit log")), Tool("notifications.outbox", _l("Emails"))]),
]


def tools_for(user) -> list[tuple[Role, list[Tool]]]:
    groups = []
    for role, tools in TOOLS:
        if not user.has_role(role):
            continue
        allowed = [tool for tool in tools if (access := access_for(tool.endpoint)) is not None
                   and (not access.roles or user.has_any_role(access.roles))]
        if allowed:
            groups.append((role, allowed))
    return groups
