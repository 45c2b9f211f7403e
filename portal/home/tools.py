"""The home page's "Your tools": the pages features contributed for each role, grouped by role, shown only to those
who may open them (the same access declarations the routes enforce)."""

from __future__ import annotations

from portal.common.access import may_open
from portal.common.features import Tool, registry
from portal.common.roles import Role


def tools_for(user) -> list[tuple[Role, list[Tool]]]:
    groups = []
    for role in Role:
        if not user.has_role(role):
            continue
        allowed = [tool for tool in registry().tools if tool.role == role and may_open(user, tool.endpoint)]
        if allowed:
            groups.append((role, allowed))
    return groups
