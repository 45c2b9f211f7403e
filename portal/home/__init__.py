"""The home page (the three actions, "Waiting for you", "Your tools") and the health check."""

from flask import Flask
from flask_babel import lazy_gettext as _l


def register(app: Flask) -> None:
    from portal.common.features import NavItem, contribute
    from portal.home.blueprint import bp

    contribute(app, "home", blueprint=bp, nav=[NavItem("home.index", _l("Home"), "home.index", order=0)])
