"""Administration: people, units, the HR import and the audit log (administrators only)."""

from flask import Flask
from flask_babel import lazy_gettext as _l


def register(app: Flask) -> None:
    from portal.admin.blueprint import bp
    from portal.common.features import NavItem, Tool, contribute
    from portal.common.roles import Role

    contribute(app, "admin", blueprint=bp, url_prefix="/admin",
               nav=[NavItem("admin.users", _l("People"), "admin.user", order=60),
                    NavItem("admin.units", _l("Units"), "admin.unit", order=70),
                    NavItem("admin.audit", _l("Audit log"), "admin.audit", order=80)],
               tools=[Tool(Role.ADMIN, "admin.users", _l("People")),
                      Tool(Role.ADMIN, "admin.user_import", _l("Import people from HR")),
                      Tool(Role.ADMIN, "admin.units", _l("Units")),
                      Tool(Role.ADMIN, "admin.audit", _l("Audit log"))])
