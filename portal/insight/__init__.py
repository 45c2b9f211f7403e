"""Insight: recognition over time, gaps and fairness signals for HR and line managers; privacy-safe peer-support
figures."""

from flask import Flask
from flask_babel import lazy_gettext as _l


def register(app: Flask) -> None:
    from portal.common.features import NavItem, Tool, contribute
    from portal.common.roles import Role
    from portal.insight import models, policies  # noqa: F401  (models: the indexes insight's filters need)
    from portal.insight.blueprint import bp
    from portal.insight.team_views import waiting_items

    contribute(app, "insight", blueprint=bp, policies=policies, waiting=waiting_items,
               nav=[NavItem("insight.index", _l("Insight"), "insight.", order=55)],
               tools=[Tool(Role.HR, "insight.peer_support", _l("De-brief, mentoring and session figures")),
                      Tool(Role.HR, "insight.gaps", _l("Recognition gaps"))],
               moved=_moved(app))


def _moved(app: Flask) -> dict[str, str]:
    """HR's de-brief and mentoring figures live here now; old bookmarks land on the new page for good. While the
    de-briefs feature still answers its old address itself (with the same permanent redirect), it keeps it."""
    taken = {rule.rule for rule in app.url_map.iter_rules()}
    return {old: new for old, new in {"/debriefs/insights": "insight.peer_support"}.items() if old not in taken}
