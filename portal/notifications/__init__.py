"""Telling people things: in-app notifications, the email outbox, daily digests, jobs and the worker."""

from flask import Flask
from flask_babel import lazy_gettext as _l


def register(app: Flask) -> None:
    from portal.common.features import NavItem, Tool, contribute
    from portal.common.roles import Role
    from portal.notifications import digests, policies
    from portal.notifications.blueprint import bp
    from portal.notifications.cli import worker_command
    from portal.notifications.views import bell_context

    contribute(app, "notifications", blueprint=bp, policies=policies, jobs=digests.JOBS, commands=[worker_command],
               nav=[NavItem("notifications.outbox", _l("Emails"), "notifications.outbox", order=90)],
               tools=[Tool(Role.ADMIN, "notifications.outbox", _l("Emails"))],
               context_processors=[bell_context],  # the header's bell: the unread count on every page
               audit_labels={"email.retried": _l("Sent an email again"),
                             "email.retried_all": _l("Sent every failed email again")})
