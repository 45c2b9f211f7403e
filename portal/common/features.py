"""What each feature contributes to the app, kept per app in one registry.

A feature package's ``register(app)`` calls :func:`contribute` once with everything it adds — its blueprint, the
jobs the worker runs for it and the periodic ones it schedules (portal/notifications/schedule.py), its notification
kinds, its "Waiting for you" counts, its navigation and home-page tools, its policies for templates, its commands,
its template context, its part of the demo organisation, and the names of its audit actions (and which of them are
confidential). ``create_app`` calls every feature's ``register`` from one list
(``portal.FEATURES``); importing a module registers nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

import click
from flask import Blueprint, Flask, current_app, redirect, request, url_for

from portal.common.roles import Role

JobHandler = Callable[[dict[str, Any], Any], None]


@dataclass(frozen=True)
class NavItem:
    """A link in the header; shown only to people who may open ``endpoint``."""

    endpoint: str
    label: Any
    section: str  # endpoints starting with this mark the item as the current page
    order: int  # position in the header, smallest first


@dataclass(frozen=True)
class Tool:
    """A link under "Your tools" on the home page, in the group of the role it belongs to."""

    role: Role
    endpoint: str
    label: Any


@dataclass
class Registry:
    features: list[str] = field(default_factory=list)
    job_handlers: dict[str, JobHandler] = field(default_factory=dict)
    periodic_jobs: list[Any] = field(default_factory=list)  # portal.notifications.schedule.Periodic
    notification_kinds: dict[str, Any] = field(default_factory=dict)
    waiting_providers: list[Callable] = field(default_factory=list)
    nav: list[NavItem] = field(default_factory=list)
    tools: list[Tool] = field(default_factory=list)
    policies: dict[str, ModuleType] = field(default_factory=dict)
    demo_loaders: list[Callable] = field(default_factory=list)
    audit_labels: dict[str, Any] = field(default_factory=dict)
    # Audit actions about peer support (who asked, who read): kept, but never listed to administrators.
    confidential_audit: set[str] = field(default_factory=set)


def registry(app: Flask | None = None) -> Registry:
    return (app or current_app).extensions["frontline"]


def init_registry(app: Flask) -> Registry:
    app.extensions["frontline"] = Registry()
    return app.extensions["frontline"]


def contribute(app: Flask, name: str, *, blueprint: Blueprint | None = None, url_prefix: str | None = None,
               jobs: Mapping[str, JobHandler] | None = None, periodic: Iterable[Any] = (),
               notification_kinds: Iterable[Any] = (), waiting: Callable | None = None,
               nav: Iterable[NavItem] = (), tools: Iterable[Tool] = (), policies: ModuleType | None = None,
               commands: Iterable[click.Command] = (), moved: Mapping[str, str] | None = None,
               context_processors: Iterable[Callable] = (), demo: Callable | None = None,
               audit_labels: Mapping[str, Any] | None = None, confidential_audit: Iterable[str] = ()) -> None:
    """Add one feature's parts to ``app``. A name, job kind or notification kind used twice is a programming
    error, reported at start-up rather than by a surprised user."""
    found = registry(app)
    if name in found.features:
        raise ValueError(f"feature {name!r} registered twice")
    found.features.append(name)
    if blueprint is not None:
        app.register_blueprint(blueprint, url_prefix=url_prefix)
    for number, (old_path, endpoint) in enumerate((moved or {}).items()):
        app.add_url_rule(old_path, endpoint=f"{name}.moved_{number}", view_func=_moved_to(endpoint))
    for kind, handler in (jobs or {}).items():
        _add_once(found.job_handlers, kind, handler, "job kind")
    for job in periodic:
        if job.kind not in found.job_handlers:
            raise ValueError(f"periodic job {job.kind!r} has no handler")
        found.periodic_jobs.append(job)
    for kind in notification_kinds:
        _add_once(found.notification_kinds, kind.name, kind, "notification kind")
    if waiting is not None:
        found.waiting_providers.append(waiting)
    found.nav.extend(nav)
    found.nav.sort(key=lambda item: item.order)
    found.tools.extend(tools)
    if policies is not None:
        found.policies[name] = policies
    for command in commands:
        app.cli.add_command(command)
    for processor in context_processors:
        app.context_processor(processor)
    if demo is not None:
        found.demo_loaders.append(demo)
    for action, label in (audit_labels or {}).items():
        _add_once(found.audit_labels, action, label, "audit action")
    found.confidential_audit.update(confidential_audit)


def _moved_to(endpoint: str) -> Callable:
    """An old address that now lives at ``endpoint``: a permanent redirect, keeping the query string, so bookmarks
    and links in old emails keep working."""
    from portal.common.access import public

    @public
    def moved(**view_args):
        target = url_for(endpoint, **view_args)
        return redirect(f"{target}?{request.query_string.decode()}" if request.query_string else target, code=301)

    return moved


def _add_once(table: dict, key: str, value: Any, what: str) -> None:
    if key in table:
        raise ValueError(f"{what} {key!r} registered twice")
    table[key] = value
