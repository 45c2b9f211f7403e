"""The kinds of notification Frontline sends, with each one's default channel.

Each feature declares its kinds as ``Kind`` values and contributes them in its ``register(app)``; the preferences
page lists every kind the app has.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from portal.common.features import registry
from portal.notifications.models import Channel


@dataclass(frozen=True)
class Kind:
    name: str
    label: object  # a lazy string: "When your roles change"
    default_channel: Channel
    group: object
    # Some messages must reach people by email whatever they chose (e.g. security notices).
    email_required: bool = False
    # Only people with one of these roles can get it (empty: anyone); the settings page shows only those.
    for_roles: frozenset = frozenset()
    # Peer support: who is told what says who asked for help. Administrators see such emails only as "hidden".
    confidential: bool = False
    # A summary that is itself sent on a schedule (the monthly summary): "straight away" and "in my daily summary"
    # mean nothing for it, so the choice is just by email or only in Frontline.
    scheduled: bool = False

    def applies_to(self, user) -> bool:
        return not self.for_roles or user.has_any_role(self.for_roles)


ACCOUNT_GROUP = _l("Your account")


def notification_kind(name: str, label, *, default: Channel = Channel.EMAIL, group=ACCOUNT_GROUP,
                      email_required: bool = False, for_roles=(), confidential: bool = False,
                      scheduled: bool = False) -> Kind:
    return Kind(name=name, label=label, default_channel=default, group=group, email_required=email_required,
                for_roles=frozenset(for_roles), confidential=confidential, scheduled=scheduled)


def all_kinds() -> dict[str, Kind]:
    """Every kind the app's features contributed, by name."""
    return registry().notification_kinds


def get_kind(name: str) -> Kind:
    try:
        return all_kinds()[name]
    except KeyError:
        raise ValueError(f"unknown notification kind {name!r}; contribute it in its feature's register()") from None


ACCOUNT_ROLES_CHANGED = notification_kind(
    "account.roles_changed", _l("When your roles in Frontline change"), default=Channel.EMAIL)
ACCOUNT_PASSWORD_SET = notification_kind(
    "account.password_set", _l("When an administrator sets a temporary password for you"), default=Channel.EMAIL,
    email_required=True)
