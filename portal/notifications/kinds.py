"""The kinds of notification Frontline sends, with each one's default channel.

Features register their kinds at import time with ``register_kind``; the preferences page lists them all.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

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

    def applies_to(self, user) -> bool:
        return not self.for_roles or user.has_any_role(self.for_roles)


KINDS: dict[str, Kind] = {}
ACCOUNT_GROUP = _l("Your account")


def register_kind(name: str, label, *, default: Channel = Channel.EMAIL, group=ACCOUNT_GROUP,
                  email_required: bool = False, for_roles=()) -> Kind:
    kind = Kind(name=name, label=label, default_channel=default, group=group, email_required=email_required,
                for_roles=frozenset(for_roles))
    KINDS[name] = kind
    return kind


def get_kind(name: str) -> Kind:
    try:
        return KINDS[name]
    except KeyError:
        raise ValueError(f"unknown notification kind {name!r}; register it with register_kind") from None


ACCOUNT_ROLES_CHANGED = register_kind(
    "account.roles_changed", _l("When your roles in Frontline change"), default=Channel.EMAIL)
ACCOUNT_PASSWORD_SET = register_kind(
    "account.password_set", _l("When an administrator sets a temporary password for you"), default=Channel.EMAIL,
    email_required=True)
